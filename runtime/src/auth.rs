//! Credentials: a static bearer token, or client credentials exchanged for a cached token.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use serde::Deserialize;

use crate::error::{server_message, Error, ErrorKind};
use crate::secret::Secret;

/// Path of the token endpoint, appended to the base URL.
pub const TOKEN_PATH: &str = "/api/v1/account/applications/token";

/// Where the bearer token comes from.
pub(crate) enum Auth {
    /// A token given by the user.
    Static(Secret),
    /// Client credentials exchanged at the token endpoint.
    ClientCredentials(TokenSource),
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Static(_) => f.write_str("BearerToken([redacted])"),
            Auth::ClientCredentials(s) => f
                .debug_struct("ClientCredentials")
                .field("client_id", &s.client_id)
                .field("client_secret", &s.client_secret)
                .field("token_url", &s.token_url)
                .finish(),
        }
    }
}

impl Auth {
    /// The current token (exchanging credentials when there is none or it is about to
    /// expire).
    pub(crate) async fn token(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<Secret, Error> {
        match self {
            Auth::Static(t) => Ok(t.clone()),
            Auth::ClientCredentials(src) => src.token(http, timeout).await,
        }
    }

    /// The secrets configured (the static token, or the client secret), to keep out of
    /// errors.
    pub(crate) fn secrets(&self) -> Vec<&str> {
        match self {
            Auth::Static(t) => vec![t.expose()],
            Auth::ClientCredentials(src) => vec![src.client_secret.expose()],
        }
    }

    /// Forgets `used` after a 401 so that the next call exchanges again. Returns whether a
    /// retry with a new token makes sense (only for exchanged tokens).
    pub(crate) async fn invalidate(&self, used: &Secret) -> bool {
        match self {
            Auth::Static(_) => false,
            Auth::ClientCredentials(src) => {
                let mut guard = src.cache.lock().await;
                if guard.token.as_ref().is_some_and(|c| &c.token == used) {
                    guard.token = None;
                }
                true
            }
        }
    }
}

/// An `Authorization: Bearer …` header value marked sensitive.
pub(crate) fn bearer_header(token: &Secret) -> Result<HeaderValue, Error> {
    let mut v = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        Error::config("the bearer token contains characters not allowed in an HTTP header")
    })?;
    v.set_sensitive(true);
    Ok(v)
}

struct CachedToken {
    token: Secret,
    /// When to exchange again; `None` when the token's lifetime reaches past what the
    /// monotonic clock can represent (it is then exchanged again only after a 401).
    refresh_at: Option<Instant>,
}

/// Client credentials and the token cache. Concurrent callers share one exchange, and its
/// outcome: the cache is behind an async mutex held during the exchange, and a caller that
/// waited for the lock while an exchange ran takes that exchange's token or error rather than
/// running its own (a caller that comes after a failed exchange tries again).
pub(crate) struct TokenSource {
    pub(crate) client_id: String,
    pub(crate) client_secret: Secret,
    pub(crate) token_url: String,
    cache: tokio::sync::Mutex<Cache>,
    /// The number of exchanges that have finished (written under the lock): a caller reads
    /// it before waiting for the lock, so that it knows whether one finished meanwhile.
    finished: std::sync::atomic::AtomicU64,
}

/// What the last exchange left.
#[derive(Default)]
struct Cache {
    token: Option<CachedToken>,
    /// The error of the last exchange, when it failed, with its number (the value of
    /// `finished` it made).
    failed: Option<(u64, Error)>,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    /// Seconds, as a number or a numeric string; read by [`lifetime`].
    #[serde(default)]
    expires_in: serde_json::Value,
}

/// The lifetime an `expires_in` gives: seconds as an integer, a decimal or a numeric string,
/// [`Duration::MAX`] for one longer than a `Duration` holds (a very long time, never a short
/// one), and [`DEFAULT_LIFETIME`] when it is absent, not a number, zero or negative.
fn lifetime(expires_in: &serde_json::Value) -> Duration {
    use serde_json::Value;
    let seconds = |text: &str| -> Option<Duration> {
        if let Ok(n) = text.parse::<u64>() {
            return Some(Duration::from_secs(n));
        }
        let s = text.parse::<f64>().ok().filter(|s| *s > 0.0)?;
        Some(Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX))
    };
    let read = match expires_in {
        Value::Number(n) => seconds(&n.to_string()),
        Value::String(s) => seconds(s.trim()),
        _ => None,
    };
    read.filter(|d| !d.is_zero()).unwrap_or(DEFAULT_LIFETIME)
}

/// The lifetime of a token whose answer gives none (or one that cannot be read).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

/// How long before expiry a token is refreshed: a fifth of its lifetime, at most 60 s.
pub(crate) fn refresh_margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(60))
}

impl TokenSource {
    pub(crate) fn new(client_id: String, client_secret: Secret, token_url: String) -> Self {
        TokenSource {
            client_id,
            client_secret,
            token_url,
            cache: tokio::sync::Mutex::new(Cache::default()),
            finished: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// The cached token, else the outcome of an exchange: the one that failed while this
    /// caller waited for it, or a new one.
    async fn token(&self, http: &reqwest::Client, timeout: Duration) -> Result<Secret, Error> {
        use std::sync::atomic::Ordering::SeqCst;
        let seen = self.finished.load(SeqCst);
        let mut guard = self.cache.lock().await;
        if let Some(c) = guard.token.as_ref() {
            if c.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(c.token.clone());
            }
        }
        if let Some((n, error)) = &guard.failed {
            if *n > seen {
                return Err(error.clone());
            }
        }
        // A cancelled exchange (the caller's timeout) finishes nothing: the next caller runs
        // its own.
        let outcome = self.exchange(http, timeout).await;
        let n = self.finished.fetch_add(1, SeqCst) + 1;
        match outcome {
            Ok(fresh) => {
                let token = fresh.token.clone();
                *guard = Cache {
                    token: Some(fresh),
                    failed: None,
                };
                Ok(token)
            }
            Err(error) => {
                guard.failed = Some((n, error.clone()));
                Err(error)
            }
        }
    }

    #[tracing::instrument(name = "airbyte.token", skip_all, fields(status = tracing::field::Empty))]
    async fn exchange(
        &self,
        http: &reqwest::Client,
        timeout: Duration,
    ) -> Result<CachedToken, Error> {
        let started = Instant::now();
        let body = serde_json::json!({
            "client_id": self.client_id,
            "client_secret": self.client_secret.expose(),
        });
        let fail = |e: &reqwest::Error| crate::client::transport_error(e).with_action("", "token");
        let resp = http
            .post(&self.token_url)
            .timeout(timeout)
            .json(&body)
            .send()
            .await
            .map_err(|e| fail(&e))?;
        let status = resp.status().as_u16();
        tracing::Span::current().record("status", status);
        if let Some(message) = crate::client::redirect_message(&resp, &self.token_url) {
            return Err(Error::new(
                ErrorKind::Authentication {
                    message: format!("token exchange failed: {message}"),
                },
                Some(status),
                "",
                "token",
            ));
        }
        let retry_after = crate::client::retry_after(&resp);
        // A token answer is a few hundred bytes: a body past the cap is not read on.
        let bytes = crate::client::read_capped(resp, crate::client::ERROR_BODY_CAP)
            .await
            .map_err(|e| fail(&e))?;
        // A token endpoint may echo the request: never let the secret into the error.
        let secrets = [self.client_secret.expose()];
        let bytes = crate::secret::redact(&bytes, &secrets);
        if !(200..300).contains(&status) {
            let kind = match status {
                400 | 401 | 403 | 422 => ErrorKind::Authentication {
                    message: format!("token exchange failed: {}", server_message(&bytes)),
                },
                _ => crate::client::status_kind(status, retry_after, &bytes),
            };
            return Err(Error::new(kind, Some(status), "", "token").with_retry_after(retry_after));
        }
        let unreadable = |why: String| {
            // Never keep the body: it may hold a token.
            Error::new(
                ErrorKind::Authentication {
                    message: format!("token endpoint answered an unreadable body: {why}"),
                },
                Some(status),
                "",
                "token",
            )
        };
        // Read as JSON first: serde's text for a member of the wrong type quotes its value,
        // here the token. A syntax error's text quotes nothing.
        let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            let why = crate::secret::redact(e.to_string().as_bytes(), &secrets).into_owned();
            unreadable(String::from_utf8_lossy(&why).into_owned())
        })?;
        let kind = match json.get("access_token") {
            None if json.is_object() => Some("missing field `access_token`".to_owned()),
            None => Some(format!(
                "the answer is {}, not an object",
                crate::coerce::kind_of(&json)
            )),
            Some(serde_json::Value::String(_)) => None,
            Some(other) => Some(format!(
                "`access_token` is {}, not a string",
                crate::coerce::kind_of(other)
            )),
        };
        if let Some(why) = kind {
            return Err(unreadable(why));
        }
        let parsed: TokenResponse = serde_json::from_value(json)
            .map_err(|_| unreadable("`access_token` is not a string".to_owned()))?;
        if parsed.access_token.trim().is_empty() {
            return Err(unreadable("`access_token` is empty".to_owned()));
        }
        let lifetime = lifetime(&parsed.expires_in);
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "token exchanged"
        );
        Ok(CachedToken {
            token: Secret::from(parsed.access_token),
            // `expires_in` comes from the server: a lifetime the clock cannot add (1e19 s)
            // means "no expiry we can wait for", never a panic.
            refresh_at: started.checked_add(lifetime - refresh_margin(lifetime)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_a_fifth_capped_at_a_minute() {
        assert_eq!(
            refresh_margin(Duration::from_secs(900)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(10)),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn lifetimes_are_read_and_never_overflow() {
        use serde_json::json;
        let cases = [
            (json!(900), Duration::from_secs(900)),
            (json!(1.5), Duration::from_millis(1500)),
            (json!("3600"), Duration::from_secs(3600)),
            (
                json!(18446744073709551615u64),
                Duration::from_secs(u64::MAX),
            ),
            (json!(1e19), Duration::from_secs(10_000_000_000_000_000_000)),
            (json!(1e300), Duration::MAX),
            (json!("1e300"), Duration::MAX),
            (json!(0), DEFAULT_LIFETIME),
            (json!(-5), DEFAULT_LIFETIME),
            (json!("-5"), DEFAULT_LIFETIME),
            (json!("soon"), DEFAULT_LIFETIME),
            (json!(null), DEFAULT_LIFETIME),
            (json!({"s": 1}), DEFAULT_LIFETIME),
        ];
        for (expires_in, want) in cases {
            assert_eq!(lifetime(&expires_in), want, "{expires_in}");
            let d = lifetime(&expires_in);
            // What `exchange` computes from it: no overflow, whatever the server said.
            let _ = Instant::now().checked_add(d - refresh_margin(d));
        }
    }

    #[test]
    fn header_is_sensitive() {
        let h = bearer_header(&Secret::from("tok")).unwrap();
        assert!(h.is_sensitive());
        assert_eq!(h.to_str().unwrap(), "Bearer tok");
        assert!(!format!("{h:?}").contains("tok"));
        assert!(bearer_header(&Secret::from("bad\ntoken")).is_err());
    }

    #[test]
    fn debug_redacts() {
        let a = Auth::ClientCredentials(TokenSource::new(
            "id-1".into(),
            Secret::from("s3cr3t"),
            "http://x/t".into(),
        ));
        let d = format!("{a:?}");
        assert!(d.contains("id-1") && !d.contains("s3cr3t"), "{d}");
        let s = format!("{:?}", Auth::Static(Secret::from("tok-123")));
        assert!(!s.contains("tok-123"));
    }
}
