//! [`Client`] and [`ClientBuilder`]: transport, auth, retries, pagination.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use futures::Stream;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::Serialize;
use tracing::Instrument;

use crate::action::{Action, Paginated};
use crate::auth::{bearer_header, Auth, TokenSource, TOKEN_PATH};
use crate::error::{server_message, Error, ErrorKind};
use crate::retry::{parse_retry_after, RetryPolicy};
use crate::secret::Secret;

/// The hosted API's base URL, used when neither the builder nor the environment gives one.
const DEFAULT_BASE_URL: &str = "https://api.airbyte.ai";
/// The execute path template used when none is given.
const DEFAULT_PATH_TEMPLATE: &str = "/api/v1/connectors/sources/{source_id}/execute";
/// The placeholder of [`DEFAULT_PATH_TEMPLATE`].
const DEFAULT_PATH_PARAM: &str = "source_id";
/// Default connect timeout.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default per-attempt request timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A client of the execute API. Cheap to clone (shared state behind an `Arc`); its `Debug`
/// shows no secrets.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    execute_url: String,
    auth: Auth,
    retry: RetryPolicy,
    timeout: Duration,
    skip_truncation: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("execute_url", &self.inner.execute_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]. Later calls override earlier ones, so
/// `Client::builder().from_env().base_url(..)` lets code override the environment.
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    path_template: Option<(String, String)>,
    connector_id: Option<String>,
    token: Option<Secret>,
    credentials: Option<(String, Secret)>,
    token_url: Option<String>,
    retry: Option<RetryPolicy>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    skip_truncation: Option<bool>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("path_template", &self.path_template)
            .field("connector_id", &self.connector_id)
            .field("token", &self.token)
            .field("client_id", &self.credentials.as_ref().map(|c| &c.0))
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// Scheme and host of the API, e.g. `https://api.airbyte.ai` (the default;
    /// [`ClientBuilder::from_env`] reads `AIRBYTE_BASE_URL`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The execute path with one placeholder, e.g.
    /// `("/api/v1/connectors/sources/{source_id}/execute", "source_id")` (the default).
    pub fn path_template(mut self, path: impl Into<String>, param: impl Into<String>) -> Self {
        self.path_template = Some((path.into(), param.into()));
        self
    }

    /// The connector (source) id substituted for the path placeholder.
    pub fn connector_id(mut self, id: impl Into<String>) -> Self {
        self.connector_id = Some(id.into());
        self
    }

    /// Authenticates with a static bearer token (replaces client credentials).
    pub fn bearer_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self.credentials = None;
        self
    }

    /// Authenticates with client credentials exchanged for a token at
    /// `{base}/api/v1/account/applications/token` (replaces a bearer token). The token is
    /// cached, refreshed before expiry and once after a 401.
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Self {
        self.credentials = Some((client_id.into(), client_secret.into()));
        self.token = None;
        self
    }

    /// Overrides the token endpoint URL (default `{base}/api/v1/account/applications/token`).
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.token_url = Some(url.into());
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Connect timeout (default 10 s). Ignored with [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Timeout of one attempt, response body included (default 60 s).
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = Some(d);
        self
    }

    /// Uses this `reqwest` client (its own connect timeout and pool apply).
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }

    /// Whether requests carry `"skip_truncation": true`, as the publisher's Python client
    /// sends it. Off by default: the body is exactly the documents' `{entity, action, params}`.
    pub fn skip_truncation(mut self, yes: bool) -> Self {
        self.skip_truncation = Some(yes);
        self
    }

    /// Reads `AIRBYTE_BASE_URL`, `AIRBYTE_TOKEN`, `AIRBYTE_CLIENT_ID` + `AIRBYTE_CLIENT_SECRET`
    /// and `AIRBYTE_CONNECTOR_ID`; variables that are unset or empty change nothing.
    pub fn from_env(self) -> Self {
        self.apply_env(|k| std::env::var(k).ok())
    }

    fn apply_env(mut self, get: impl Fn(&str) -> Option<String>) -> Self {
        let get = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        if let Some(v) = get("AIRBYTE_BASE_URL") {
            self = self.base_url(v);
        }
        if let Some(v) = get("AIRBYTE_CONNECTOR_ID") {
            self = self.connector_id(v);
        }
        match (get("AIRBYTE_CLIENT_ID"), get("AIRBYTE_CLIENT_SECRET")) {
            (Some(id), Some(secret)) => self = self.client_credentials(id, secret),
            _ => {
                if let Some(t) = get("AIRBYTE_TOKEN") {
                    self = self.bearer_token(t);
                }
            }
        }
        self
    }

    /// Builds the client. Fails with [`ErrorKind::Config`](crate::ErrorKind::Config) when the
    /// base URL is invalid, the connector id is missing while the path has a placeholder, or
    /// no credentials are set.
    pub fn build(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .clone()
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base = base.trim().trim_end_matches('/').to_owned();
        let base_parsed = reqwest::Url::parse(&base)
            .map_err(|e| Error::config(format!("invalid base URL {base:?}: {e}")))?;
        if !matches!(base_parsed.scheme(), "http" | "https") {
            return Err(Error::config(format!(
                "base URL {base:?} must be http or https"
            )));
        }
        let (path, param) = self.path_template.clone().unwrap_or_else(|| {
            (
                DEFAULT_PATH_TEMPLATE.to_owned(),
                DEFAULT_PATH_PARAM.to_owned(),
            )
        });
        let placeholder = format!("{{{param}}}");
        let path = if path.contains(&placeholder) {
            let id = self.connector_id.as_deref().map(str::trim).unwrap_or("");
            if id.is_empty() {
                return Err(Error::config(format!(
                    "no connector id for `{placeholder}`: call connector_id(..) or set AIRBYTE_CONNECTOR_ID"
                )));
            }
            if id
                .chars()
                .any(|c| matches!(c, '/' | '?' | '#' | '%') || c.is_whitespace() || c.is_control())
            {
                return Err(Error::config(format!("invalid connector id {id:?}")));
            }
            path.replace(&placeholder, id)
        } else {
            path
        };
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        let execute_url = format!("{base}{path}");
        reqwest::Url::parse(&execute_url)
            .map_err(|e| Error::config(format!("invalid execute URL {execute_url:?}: {e}")))?;

        let auth = match (self.token, self.credentials) {
            (Some(t), _) if !t.is_empty() => Auth::Static(t),
            (_, Some((id, secret))) if !id.is_empty() && !secret.is_empty() => {
                let url = self
                    .token_url
                    .unwrap_or_else(|| format!("{base}{TOKEN_PATH}"));
                Auth::ClientCredentials(TokenSource::new(id, secret, url))
            }
            _ => {
                return Err(Error::config(
                    "no credentials: call bearer_token(..) or client_credentials(..), or set AIRBYTE_TOKEN or AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET",
                ))
            }
        };

        let http = match self.http {
            Some(c) => c,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                execute_url,
                auth,
                retry: self.retry.unwrap_or_default(),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                skip_truncation: self.skip_truncation.unwrap_or(false),
            }),
        })
    }
}

#[derive(Serialize)]
struct Envelope<'a, P: Serialize> {
    entity: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_truncation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<P>,
}

impl Client {
    /// A builder with every setting at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The full execute URL (connector id substituted).
    pub fn execute_url(&self) -> &str {
        &self.inner.execute_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The JSON request body of `action`: `{"entity", "action", "params"}` (plus
    /// `"skip_truncation": true` when enabled); `params` is omitted when the action
    /// serialises to an empty object.
    pub fn request_body<A: Action>(&self, action: &A) -> Result<Bytes, Error> {
        request_body(action, self.inner.skip_truncation)
    }

    /// Sends one action, with retries per the policy, and decodes the response.
    pub async fn execute<A: Action>(&self, action: &A) -> Result<A::Output, Error> {
        let body = self.request_body(action)?;
        let (status, bytes) = self
            .send_with_retries(body, A::ENTITY, A::ACTION, A::IDEMPOTENT)
            .await?;
        A::decode(bytes)
            .map_err(|e| Error::new(ErrorKind::Decode(e), Some(status), A::ENTITY, A::ACTION))
    }

    /// Streams all items of all pages, starting with `first`; holds one page at a time. A
    /// failed request ends the stream with its error. A server whose cursors go round in a
    /// cycle ends it with [`ErrorKind::RepeatedCursor`] (after that page's items): a cursor
    /// equal to the one just returned is caught at once, a cycle of `k` pages entered after
    /// `m` pages within `2m + 3k` pages. Memory stays constant however many pages there are.
    pub fn paginate<A: Paginated + 'static>(
        &self,
        first: A,
    ) -> impl Stream<Item = Result<A::Item, Error>> + Send + 'static {
        struct State<A: Paginated> {
            client: Client,
            next: Option<A>,
            page: std::vec::IntoIter<A::Item>,
            cycle: CursorCycle,
            pending: Option<Error>,
        }
        let state = State {
            client: self.clone(),
            next: Some(first),
            page: Vec::new().into_iter(),
            cycle: CursorCycle::default(),
            pending: None,
        };
        futures::stream::unfold(state, |mut s| async move {
            loop {
                if let Some(item) = s.page.next() {
                    return Some((Ok(item), s));
                }
                if let Some(e) = s.pending.take() {
                    return Some((Err(e), s));
                }
                let action = s.next.take()?;
                match s.client.execute(&action).await {
                    Err(e) => return Some((Err(e), s)),
                    Ok(out) => {
                        let (items, cursor) = A::into_items(out);
                        s.page = items.into_iter();
                        match cursor.filter(|c| !c.is_empty()) {
                            None => {}
                            Some(c) if s.cycle.repeats(&c) => {
                                s.pending = Some(Error::new(
                                    ErrorKind::RepeatedCursor { cursor: c },
                                    None,
                                    A::ENTITY,
                                    A::ACTION,
                                ));
                            }
                            Some(c) => {
                                let mut next = action;
                                next.set_cursor(c);
                                s.next = Some(next);
                            }
                        }
                    }
                }
            }
        })
    }

    async fn send_with_retries(
        &self,
        body: Bytes,
        entity: &'static str,
        action: &'static str,
        idempotent: bool,
    ) -> Result<(u16, Bytes), Error> {
        let policy = &self.inner.retry;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            // Each attempt gets the per-attempt timeout, cut to what is left of the deadline.
            let timeout = match policy.deadline {
                Some(d) => self.inner.timeout.min(d.saturating_sub(started.elapsed())),
                None => self.inner.timeout,
            }
            .max(Duration::from_millis(1));
            let span = tracing::info_span!(
                "airbyte.request",
                entity,
                action,
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let result = self
                .attempt(body.clone(), timeout, &span)
                .instrument(span.clone())
                .await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let (err, token) = match result {
                Ok(ok) => return Ok(ok),
                Err(AttemptError { error, token }) => (error.with_action(entity, action), token),
            };
            // A 401 with an exchanged token: exchange again once (not counted as a retry).
            if err.status() == Some(401) && !refreshed {
                if let Some(used) = &token {
                    if self.inner.auth.invalidate(used).await {
                        refreshed = true;
                        attempt -= 1;
                        tracing::debug!(parent: &span, "401: refreshing the token once");
                        continue;
                    }
                }
            }
            // A request that never reached the server is safe to send again even for writes.
            let never_sent = matches!(err.kind(), ErrorKind::Transport { connect: true, .. });
            let may_retry = idempotent || policy.retry_writes || never_sent;
            if !may_retry || !err.is_retryable() || attempt >= policy.max_attempts {
                return Err(err);
            }
            let wait = match err.retry_after() {
                Some(ra) if ra > policy.max_retry_after => return Err(err),
                Some(ra) => ra,
                None => policy.backoff(attempt),
            };
            if let Some(deadline) = policy.deadline {
                if started.elapsed() + wait >= deadline {
                    return Err(err);
                }
            }
            tracing::info!(
                parent: &span,
                wait_ms = wait.as_millis() as u64,
                error = %err.kind(),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }
}

/// An attempt's failure, with the token it used (to invalidate it after a 401).
struct AttemptError {
    error: Error,
    token: Option<Secret>,
}

impl Client {
    async fn attempt(
        &self,
        body: Bytes,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Result<(u16, Bytes), AttemptError> {
        let inner = &self.inner;
        let token = inner
            .auth
            .token(&inner.http, timeout)
            .await
            .map_err(|error| AttemptError { error, token: None })?;
        let header = bearer_header(&token).map_err(|error| AttemptError { error, token: None })?;
        let fail = |error: Error| AttemptError {
            error,
            token: Some(token.clone()),
        };
        let resp = inner
            .http
            .post(&inner.execute_url)
            .timeout(timeout)
            .header(AUTHORIZATION, header)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await
            .map_err(|e| fail(transport_error(&e)))?;
        let status = resp.status().as_u16();
        span.record("status", status);
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let bytes = resp.bytes().await.map_err(|e| fail(transport_error(&e)))?;
        if (200..300).contains(&status) {
            Ok((status, bytes))
        } else {
            Err(fail(
                Error::new(
                    status_kind(status, retry_after, &bytes),
                    Some(status),
                    "",
                    "",
                )
                .with_retry_after(retry_after),
            ))
        }
    }
}

/// Serialises the request envelope of `action`.
pub(crate) fn request_body<A: Action>(action: &A, skip_truncation: bool) -> Result<Bytes, Error> {
    let config = |e: serde_json::Error| {
        Error::new(
            ErrorKind::Config {
                message: format!("cannot serialise the action's params: {e}"),
            },
            None,
            A::ENTITY,
            A::ACTION,
        )
    };
    let params = serde_json::to_value(action).map_err(config)?;
    let params = match &params {
        serde_json::Value::Object(m) if m.is_empty() => None,
        serde_json::Value::Null => None,
        _ => Some(params),
    };
    let env = Envelope {
        entity: A::ENTITY,
        action: A::ACTION,
        skip_truncation,
        params,
    };
    serde_json::to_vec(&env).map(Bytes::from).map_err(config)
}

/// Maps a non-success HTTP status to an error kind, with the server's message.
pub(crate) fn status_kind(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ErrorKind {
    let message = || server_message(body);
    match status {
        401 | 403 => ErrorKind::Authentication { message: message() },
        400 | 422 => ErrorKind::Validation { message: message() },
        404 => ErrorKind::NotFound { message: message() },
        429 => ErrorKind::RateLimited { retry_after },
        500..=599 => ErrorKind::Server { message: message() },
        _ => ErrorKind::Http { message: message() },
    }
}

/// Maps a `reqwest` failure to [`ErrorKind::Transport`], with the causes' text (no URL).
pub(crate) fn transport_error(e: &reqwest::Error) -> Error {
    let mut message = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut first = true;
    while let Some(err) = cur {
        let text = if first {
            // reqwest's own text includes the URL; keep only the description.
            let t = err.to_string();
            match t.find(" for url (") {
                Some(i) => t[..i].to_owned(),
                None => t,
            }
        } else {
            err.to_string()
        };
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        first = false;
        cur = err.source();
    }
    Error::new(
        ErrorKind::Transport {
            message,
            timeout: e.is_timeout(),
            connect: e.is_connect(),
        },
        None,
        "",
        "",
    )
}

/// Finds a cycle in the sequence of cursors in constant memory: the last cursor (a server
/// repeating itself is caught at once) and, after Brent, one saved cursor replaced after 1, 2,
/// 4, 8, ... further cursors. A sequence that cycles with period `k` meets its saved cursor
/// again once the window has grown past `k`.
#[derive(Debug)]
struct CursorCycle {
    last: Option<String>,
    saved: Option<String>,
    window: u64,
    since_saved: u64,
}

impl Default for CursorCycle {
    fn default() -> Self {
        CursorCycle {
            last: None,
            saved: None,
            window: 1,
            since_saved: 0,
        }
    }
}

impl CursorCycle {
    /// Whether `cursor` shows that the cursors repeat; otherwise records it.
    fn repeats(&mut self, cursor: &str) -> bool {
        if self.last.as_deref() == Some(cursor) || self.saved.as_deref() == Some(cursor) {
            return true;
        }
        self.since_saved += 1;
        if self.since_saved == self.window {
            self.saved = Some(cursor.to_owned());
            self.window *= 2;
            self.since_saved = 0;
        }
        self.last = Some(cursor.to_owned());
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The number of cursors read before a cycle is reported, or `None`.
    fn pages_until_cycle(cursors: impl IntoIterator<Item = String>) -> Option<usize> {
        let mut cycle = CursorCycle::default();
        cursors.into_iter().position(|c| cycle.repeats(&c))
    }

    #[test]
    fn cursor_cycles_are_found_soon_and_fresh_cursors_never() {
        // A server repeating the cursor it just gave: caught on the first repeat.
        let same = ["a", "b", "b"].map(String::from);
        assert_eq!(pages_until_cycle(same), Some(2));
        // Cycles of every length up to 100, after a tail of 5 fresh cursors: caught within
        // three periods plus twice the tail.
        for period in 1..=100usize {
            let seq = (0..5)
                .map(|i| format!("t{i}"))
                .chain((0..).map(move |i| format!("c{}", i % period)))
                .take(1000);
            let found = pages_until_cycle(seq).expect("a cycle is found");
            assert!(
                found <= 2 * 5 + 3 * period,
                "period {period}: found at {found}"
            );
            assert!(
                found >= 5 + period,
                "period {period}: reported before any repeat"
            );
        }
        // A million distinct cursors: never a cycle.
        assert_eq!(
            pages_until_cycle((0..1_000_000).map(|i| format!("c{i}"))),
            None
        );
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn env_settings_apply_and_later_calls_win() {
        let c = Client::builder()
            .apply_env(env(&[
                ("AIRBYTE_BASE_URL", "http://127.0.0.1:9/"),
                ("AIRBYTE_TOKEN", "tok"),
                ("AIRBYTE_CONNECTOR_ID", "abc"),
            ]))
            .build()
            .unwrap();
        assert_eq!(
            c.execute_url(),
            "http://127.0.0.1:9/api/v1/connectors/sources/abc/execute"
        );
        assert!(matches!(c.inner.auth, Auth::Static(_)));

        // Client credentials win over a token; explicit calls after from_env win over it.
        let c = Client::builder()
            .apply_env(env(&[
                ("AIRBYTE_TOKEN", "tok"),
                ("AIRBYTE_CLIENT_ID", "id"),
                ("AIRBYTE_CLIENT_SECRET", "secret"),
                ("AIRBYTE_CONNECTOR_ID", "abc"),
                ("AIRBYTE_BASE_URL", ""),
            ]))
            .connector_id("xyz")
            .build()
            .unwrap();
        assert!(c.execute_url().starts_with(DEFAULT_BASE_URL));
        assert!(c.execute_url().contains("/xyz/"));
        match &c.inner.auth {
            Auth::ClientCredentials(s) => {
                assert_eq!(s.token_url, format!("{DEFAULT_BASE_URL}{TOKEN_PATH}"))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn status_mapping() {
        let cases = [
            (400, "Validation"),
            (401, "Authentication"),
            (403, "Authentication"),
            (404, "NotFound"),
            (409, "Http"),
            (422, "Validation"),
            (429, "RateLimited"),
            (500, "Server"),
            (503, "Server"),
        ];
        for (status, want) in cases {
            let kind = status_kind(status, None, b"{}");
            let name = format!("{kind:?}");
            assert!(name.starts_with(want), "{status}: {name}");
        }
    }
}
