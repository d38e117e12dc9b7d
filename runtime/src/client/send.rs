//! Sending a request body: one attempt (token, POST, status) and the retry loop around it
//! (per-attempt timeout within the deadline, one token refresh after a 401, backoff or
//! `Retry-After`, a tracing span per attempt).

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use tracing::Instrument;

use crate::auth::bearer_header;
use crate::error::{Error, ErrorKind};
use crate::retry::parse_retry_after;
use crate::secret::Secret;

use super::envelope::status_kind;
use super::Client;

/// An attempt's failure, with the token it used (to invalidate it after a 401).
struct AttemptError {
    error: Error,
    token: Option<Secret>,
}

impl Client {
    /// Sends `body` until it succeeds or the policy gives up; returns what `read` makes of the
    /// successful response (its whole body, or the response itself for a stream), and the
    /// token that request used (to keep out of errors about the body). A failure of `read` is
    /// an attempt's failure, retried as any other.
    pub(super) async fn send_with_retries<T, F, Fut>(
        &self,
        body: Bytes,
        call: Call<'_>,
        read: F,
    ) -> Result<(T, Secret), Error>
    where
        F: Fn(reqwest::Response) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let Call {
            entity,
            action,
            idempotent,
            streaming,
        } = call;
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
            let result = async {
                let (resp, token) = self
                    .attempt(body.clone(), timeout, &span, streaming)
                    .await?;
                match read(resp).await {
                    Ok(value) => Ok((value, token)),
                    Err(error) => Err(AttemptError {
                        error,
                        token: Some(token),
                    }),
                }
            }
            .instrument(span.clone())
            .await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let (err, token) = match result {
                Ok(ok) => return Ok(ok),
                Err(AttemptError { error, token }) => (
                    error.with_action(entity.to_owned(), action.to_owned()),
                    token,
                ),
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
            // A request that never reached the server is safe to send again even for writes:
            // the connection could not be established, or the attempt failed before the
            // request was made (getting its token: no token was used).
            let never_sent =
                token.is_none() || matches!(err.kind(), ErrorKind::Transport { connect: true, .. });
            let may_retry = idempotent || policy.retry_writes || never_sent || not_processed(&err);
            if !may_retry || !err.is_retryable() || attempt >= policy.max_attempts {
                return Err(err);
            }
            let wait = match err.retry_after() {
                Some(ra) if ra > policy.max_retry_after => return Err(err),
                Some(ra) => ra,
                None => policy.backoff(attempt),
            };
            if let Some(deadline) = policy.deadline {
                if started.elapsed().saturating_add(wait) >= deadline {
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

    /// One attempt: gets a token, posts `body` and returns the successful response with the
    /// token it used; a non-success status is read whole and mapped to its error. With
    /// `streaming`, `timeout` bounds the wait for the response head only (the caller bounds
    /// each body chunk); otherwise it covers the whole exchange.
    async fn attempt(
        &self,
        body: Bytes,
        timeout: Duration,
        span: &tracing::Span,
        streaming: bool,
    ) -> Result<(reqwest::Response, Secret), AttemptError> {
        let inner = &self.inner;
        let token_started = Instant::now();
        // The wait for another request's exchange (the token cache's lock) is part of the
        // attempt too.
        let token =
            match tokio::time::timeout(timeout, inner.auth.token(&inner.http, timeout)).await {
                Ok(got) => got.map_err(|error| AttemptError { error, token: None })?,
                Err(_) => {
                    return Err(AttemptError {
                        error: timeout_error(timeout),
                        token: None,
                    })
                }
            };
        // The token exchange is part of the attempt: the request gets what is left of it.
        let timeout = timeout
            .saturating_sub(token_started.elapsed())
            .max(Duration::from_millis(1));
        let header = bearer_header(&token).map_err(|error| AttemptError { error, token: None })?;
        let fail = |error: Error| AttemptError {
            error,
            token: Some(token.clone()),
        };
        let mut request = inner
            .http
            .post(&inner.execute_url)
            .header(AUTHORIZATION, header)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header(USER_AGENT, HeaderValue::from_static(SDK_USER_AGENT));
        if let Some(org) = &inner.organization_id {
            request = request.header(ORGANIZATION_HEADER, org.clone());
        }
        let resp = if streaming {
            match tokio::time::timeout(timeout, request.body(body).send()).await {
                Ok(sent) => sent.map_err(|e| fail(transport_error(&e)))?,
                Err(_) => return Err(fail(timeout_error(timeout))),
            }
        } else {
            request
                .timeout(timeout)
                .body(body)
                .send()
                .await
                .map_err(|e| fail(transport_error(&e)))?
        };
        let status = resp.status().as_u16();
        span.record("status", status);
        if let Some(message) = redirect_message(&resp, &inner.execute_url) {
            return Err(fail(Error::new(
                ErrorKind::Http { message },
                Some(status),
                "",
                "",
            )));
        }
        if (200..300).contains(&status) {
            return Ok((resp, token));
        }
        let retry_after = retry_after(&resp);
        // An error body is read up to ERROR_BODY_CAP: an endless or huge error page neither
        // fills memory nor hides its status behind a timeout.
        let read = tokio::time::timeout(timeout, read_capped(resp, ERROR_BODY_CAP)).await;
        let bytes = match read {
            Ok(r) => r.map_err(|e| fail(transport_error(&e)))?,
            Err(_) => return Err(fail(timeout_error(timeout))),
        };
        // A server may echo what it was sent: never let the token or secret into the error.
        let mut secrets = inner.auth.secrets();
        secrets.push(token.expose());
        let bytes = crate::secret::redact(&bytes, &secrets);
        Err(fail(
            Error::new(
                status_kind(status, retry_after, &bytes),
                Some(status),
                "",
                "",
            )
            .with_retry_after(retry_after)
            .with_body(&bytes),
        ))
    }
}

/// Whether `err`'s status says the server did not act on the request, so that sending a
/// write again cannot do it twice: 429 (RFC 6585: the server refuses the request, rate
/// limiters answer before the request is handled) and 408 (RFC 9110 section 15.5.9: the
/// server did not receive the whole request, and closes the connection). A 5xx may come after
/// the write was done, and is not such a status.
fn not_processed(err: &Error) -> bool {
    matches!(err.status(), Some(408 | 429))
}

/// What is sent, as the retry loop needs to know it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Call<'a> {
    /// The entity (spans and errors).
    pub entity: &'a str,
    /// The action (spans and errors).
    pub action: &'a str,
    /// Whether the action only reads: retried without [`RetryPolicy::retry_writes`].
    ///
    /// [`RetryPolicy::retry_writes`]: crate::RetryPolicy::retry_writes
    pub idempotent: bool,
    /// Whether the body is streamed by the caller (the timeout bounds the response head).
    pub streaming: bool,
}

/// The `User-Agent` of every request: this SDK's runtime and its version.
pub(crate) const SDK_USER_AGENT: &str =
    concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The header naming the organisation of a multi-organisation credential.
pub(crate) const ORGANIZATION_HEADER: &str = "x-organization-id";

/// How much of an error response's body (or a token endpoint's answer) is read: the rest is
/// not read, and the connection is closed. [`Error::body`] keeps the first 64 KiB of it.
pub(crate) const ERROR_BODY_CAP: usize = 1024 * 1024;

/// Reads `resp`'s body up to `cap` bytes; what follows is left unread (the connection is then
/// closed, not reused).
pub(crate) async fn read_capped(
    mut resp: reqwest::Response,
    cap: usize,
) -> Result<Bytes, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = cap - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= cap {
            break;
        }
    }
    Ok(Bytes::from(body))
}

/// The response's `Retry-After`, when it has a readable one.
pub(crate) fn retry_after(resp: &reqwest::Response) -> Option<Duration> {
    resp.headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

/// The error text of a response that redirects (a 3xx status), or that arrived from another
/// URL than `requested` (an [`http_client`](super::ClientBuilder::http_client) of the caller's
/// that follows redirects); `None` for any other. Redirects are never followed: a POST would
/// be sent again as a GET without its body (and the answer to that taken for the action's),
/// or its body (the client secret of a token exchange) to another host. The text names where
/// the server points (without its query, which may carry a signature, or credentials), so the caller can
/// correct the base URL.
pub(crate) fn redirect_message(resp: &reqwest::Response, requested: &str) -> Option<String> {
    let where_to = |url: &reqwest::Url| crate::secret::shown_url(url).to_string();
    let requested = reqwest::Url::parse(requested).ok();
    // What to do: the base URL the target implies (its address without the execute path it
    // repeats), or, when it names another path, to correct the base URL.
    let advice = |to: &reqwest::Url| match requested.as_ref().and_then(|r| base_of(r, to)) {
        Some(base) => format!("use {base} as the base URL"),
        None => "correct the base URL (the execute path is appended to it)".to_owned(),
    };
    let status = resp.status();
    if status.is_redirection() {
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| resp.url().join(v).ok());
        let (to, advice) = match location {
            Some(url) => (format!("a redirect to {}", where_to(&url)), advice(&url)),
            None => (
                "a redirect without a Location".to_owned(),
                "correct the base URL".to_owned(),
            ),
        };
        return Some(format!(
            "the server answered {to}; redirects are not followed (a POST would be sent again \
             as a GET without its body): {advice}"
        ));
    }
    let requested_url = requested.as_ref()?;
    (resp.url() != requested_url).then(|| {
        format!(
            "the request was redirected to {} by the HTTP client given to `http_client`; \
             redirects are not followed (a POST would be sent again as a GET without its \
             body): build that client with `redirect(reqwest::redirect::Policy::none())` and \
             {}",
            where_to(resp.url()),
            advice(resp.url())
        )
    })
}

/// The base URL a redirect target implies: `to` without the trailing path segments it
/// shares with `requested` (the execute path, e.g. `/api/v1/.../execute`), without query or
/// fragment; `None` when they share no trailing segment (the target is another page).
fn base_of(requested: &reqwest::Url, to: &reqwest::Url) -> Option<String> {
    let segments = |u: &reqwest::Url| -> Vec<String> {
        u.path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let (req, dest) = (segments(requested), segments(to));
    let shared = req
        .iter()
        .rev()
        .zip(dest.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    if shared == 0 {
        return None;
    }
    let mut base = crate::secret::shown_url(to);
    base.set_path(&dest[..dest.len() - shared].join("/"));
    Some(base.as_str().trim_end_matches('/').to_owned())
}

/// The error of a wait that took longer than `timeout`.
pub(crate) fn timeout_error(timeout: Duration) -> Error {
    Error::new(
        ErrorKind::Transport {
            message: format!("no response within {} ms", timeout.as_millis()),
            timeout: true,
            connect: false,
        },
        None,
        "",
        "",
    )
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
