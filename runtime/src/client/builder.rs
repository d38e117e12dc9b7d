//! [`ClientBuilder`]: the client's configuration (builder calls and `AIRBYTE_*` environment
//! variables) and its resolution into a [`Client`] (execute URL, credentials, HTTP client).

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Auth, TokenSource, TOKEN_PATH};
use crate::error::Error;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

use super::{Client, Inner};

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

/// Builds a [`Client`], or a generated connector `C` (any `From<Client>`: a generated
/// crate's `Intercom::builder()` is a `ClientBuilder<Intercom>` whose `build()` returns the
/// connector). Later calls override earlier ones, so
/// `Client::builder().from_env().base_url(..)` lets code override the environment.
pub struct ClientBuilder<C = Client> {
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
    prefetch_pages: Option<usize>,
    organization_id: Option<String>,
    connector: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            path_template: None,
            connector_id: None,
            token: None,
            credentials: None,
            token_url: None,
            retry: None,
            connect_timeout: None,
            timeout: None,
            http: None,
            skip_truncation: None,
            prefetch_pages: None,
            organization_id: None,
            connector: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("path_template", &self.path_template)
            .field("connector_id", &self.connector_id)
            .field("token", &self.token)
            .field("client_id", &self.credentials.as_ref().map(|c| &c.0))
            .field("retry", &self.retry)
            .field("organization_id", &self.organization_id)
            .finish_non_exhaustive()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with every setting at its default (what [`Client::builder`] gives).
    pub fn new() -> Self {
        Self::default()
    }

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

    /// Uses this `reqwest` client (its own connect timeout and pool apply). Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: reqwest follows redirects by default,
    /// and a call whose response arrives from another URL than the one requested is an
    /// [`ErrorKind::Http`](crate::ErrorKind::Http) error (after the redirect was followed).
    pub fn http_client(mut self, c: reqwest::Client) -> Self {
        self.http = Some(c);
        self
    }

    /// The `skip_truncation` every request carries unless it sets its own: `true` by default,
    /// as Airbyte's own clients send it, so that records come back whole whatever the
    /// server's default; `false` lets the server shorten long values.
    pub fn skip_truncation(mut self, yes: bool) -> Self {
        self.skip_truncation = Some(yes);
        self
    }

    /// How many pages a stream ([`Client::paginate`], a request's `stream()`) requests ahead
    /// of its consumer: with the default 1, page N+1 is fetched while page N is consumed, and
    /// at most two pages are in memory (`n + 1` in general). 0 fetches each page only when the
    /// previous one is used up. Actions that write are never prefetched.
    pub fn prefetch_pages(mut self, n: usize) -> Self {
        self.prefetch_pages = Some(n);
        self
    }

    /// The organisation a multi-organisation credential acts for: every execute request
    /// carries it as `X-Organization-Id` ([`ClientBuilder::from_env`] reads
    /// `AIRBYTE_ORGANIZATION_ID`). `build` fails when it is not a valid header value.
    pub fn organization_id(mut self, id: impl Into<String>) -> Self {
        self.organization_id = Some(id.into());
        self
    }

    /// Reads `AIRBYTE_BASE_URL`, `AIRBYTE_TOKEN`, `AIRBYTE_CLIENT_ID` + `AIRBYTE_CLIENT_SECRET`,
    /// `AIRBYTE_CONNECTOR_ID` and `AIRBYTE_ORGANIZATION_ID`; variables that are unset or empty
    /// change nothing.
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
        if let Some(v) = get("AIRBYTE_ORGANIZATION_ID") {
            self = self.organization_id(v);
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

    /// Builds the client, or the connector made from it. Fails with
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when the base URL is invalid, the
    /// connector id is missing while the path has a placeholder, or no credentials are set.
    pub fn build(self) -> Result<C, Error>
    where
        C: From<Client>,
    {
        self.build_client().map(C::from)
    }

    fn build_client(self) -> Result<Client, Error> {
        let base = self
            .base_url
            .clone()
            .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        let base = base.trim().trim_end_matches('/').to_owned();
        let mut loopback = is_loopback(&check_url("base URL", &base)?);
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
                    "no connector id: call connector_id(..) or set AIRBYTE_CONNECTOR_ID (it fills `{placeholder}` in the execute path {path:?})"
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
                let url = match self.token_url {
                    Some(url) => {
                        let url = url.trim().to_owned();
                        loopback &= is_loopback(&check_url("token URL", &url)?);
                        url
                    }
                    None => format!("{base}{TOKEN_PATH}"),
                };
                Auth::ClientCredentials(TokenSource::new(id, secret, url))
            }
            _ => {
                return Err(Error::config(
                    "no credentials: call bearer_token(..) or client_credentials(..), or set AIRBYTE_TOKEN or AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET",
                ))
            }
        };

        let organization_id = match self.organization_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(reqwest::header::HeaderValue::from_str(id).map_err(|_| {
                Error::config(format!(
                    "invalid organization id {id:?}: not a header value"
                ))
            })?),
        };
        let http = match self.http {
            Some(c) => c,
            None => {
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .user_agent(super::send::SDK_USER_AGENT)
                    // A redirected POST would come back as a GET without its body: never
                    // follow one (see `send::redirect_message`).
                    .redirect(reqwest::redirect::Policy::none());
                // The environment's proxy (`HTTP_PROXY`) cannot reach this machine's loopback
                // (the sandbox): loopback URLs are never proxied.
                let builder = if loopback {
                    builder.no_proxy()
                } else {
                    builder
                };
                builder
                    .build()
                    .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                execute_url,
                auth,
                retry: self.retry.unwrap_or_default(),
                timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
                skip_truncation: self.skip_truncation.unwrap_or(true),
                prefetch_pages: self.prefetch_pages.unwrap_or(1),
                organization_id,
            }),
        })
    }
}

/// Whether `url` names this machine's loopback (`localhost`, `127.0.0.0/8`, `::1`).
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let d = host.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
    }
}

/// Checks a configured URL (`what`: "base URL", "token URL"): http or https, and neither a
/// query nor a fragment (the execute path is appended to it, and would land in them) nor a
/// user or password (sent as basic auth beside the bearer token, and shown by `Debug`). The
/// error never shows the password, the query or the fragment.
fn check_url(what: &str, url: &str) -> Result<reqwest::Url, Error> {
    // What an error may show of the text: without a user or password (which `set_password`
    // cannot remove from text that did not parse as an http(s) URL), a query (`?api_key=..`)
    // or a fragment (`#access_token=..`).
    let bare = url.rsplit_once('@').map_or(url, |(_, host)| host).trim();
    let bare = bare.split(['?', '#']).next().unwrap_or_default();
    // `localhost:8080` parses with the scheme `localhost`, `127.0.0.1:8080` not at all: both
    // lack `://`, and the fix is to write it.
    let hint = match url.contains("://") {
        true => String::new(),
        false => format!("; it has no `http://` or `https://`: write \"http://{bare}\""),
    };
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::config(format!("invalid {what} {bare:?}: {e}{hint}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::config(format!(
            "{what} {bare:?} must be http or https{hint}"
        )));
    }
    // The error names which of these is the problem, and shows the URL without them.
    let shown = crate::secret::shown_url(&parsed);
    let problem = if !parsed.username().is_empty() || parsed.password().is_some() {
        Some("has a user or password: give credentials with bearer_token(..) or client_credentials(..)")
    } else if parsed.query().is_some() {
        Some("has a query: give the scheme, the host and at most a path prefix")
    } else if parsed.fragment().is_some() {
        Some("has a fragment: give the scheme, the host and at most a path prefix")
    } else {
        None
    };
    match problem {
        Some(p) => Err(Error::config(format!("{what} {:?} {p}", shown.as_str()))),
        None => Ok(parsed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| m.get(k).cloned()
    }

    #[test]
    fn loopback_hosts() {
        for (url, want) in [
            ("http://127.0.0.1:8080", true),
            ("http://127.9.9.9", true),
            ("http://[::1]:9", true),
            ("http://localhost:1/x", true),
            ("http://LOCALHOST.", true),
            ("http://api.localhost", true),
            ("https://api.airbyte.ai", false),
            ("http://10.0.0.1", false),
            ("http://localhost.example.com", false),
        ] {
            assert_eq!(
                is_loopback(&reqwest::Url::parse(url).unwrap()),
                want,
                "{url}"
            );
        }
    }

    #[test]
    fn env_settings_apply_and_later_calls_win() {
        let c = Client::builder()
            .apply_env(env(&[
                ("AIRBYTE_BASE_URL", "http://127.0.0.1:9/"),
                ("AIRBYTE_TOKEN", "tok"),
                ("AIRBYTE_CONNECTOR_ID", "abc"),
                ("AIRBYTE_ORGANIZATION_ID", "org-7"),
            ]))
            .build()
            .unwrap();
        assert_eq!(c.inner.organization_id.as_ref().unwrap(), "org-7");
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
}
