//! The one error type, [`Error`], its [`ErrorKind`], and [`DecodeError`].

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

/// Why a response body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot decode response at `{path}`: {message} (body starts: {body_start:?})")]
pub struct DecodeError {
    /// JSON path of the offending member (e.g. `result[3].email`), `.` for the whole body.
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The first ~200 characters of the body.
    pub body_start: String,
}

impl DecodeError {
    /// Number of characters of the body kept in [`DecodeError::body_start`].
    pub const BODY_START_CHARS: usize = 200;

    /// A decode error for `body`, keeping its start.
    pub fn new(path: impl Into<String>, message: impl Into<String>, body: &[u8]) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
            body_start: body_start(body),
        }
    }
}

/// The first [`DecodeError::BODY_START_CHARS`] characters of a body (lossy UTF-8), with `…`
/// appended when cut.
pub fn body_start(body: &[u8]) -> String {
    // Look at a bounded prefix only: 4 bytes per char at most.
    let prefix = &body[..body.len().min(DecodeError::BODY_START_CHARS * 4)];
    let text = String::from_utf8_lossy(prefix);
    let mut out: String = text.chars().take(DecodeError::BODY_START_CHARS).collect();
    if out.len() < body.len() {
        out.push('…');
    }
    out
}

/// What went wrong, by category.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 401 or 403, or a failed token exchange.
    #[error("authentication failed: {message}")]
    Authentication {
        /// The server's message.
        message: String,
    },
    /// 400 or 422: the request was rejected (the server's message).
    #[error("request rejected: {message}")]
    Validation {
        /// The server's message.
        message: String,
    },
    /// 404.
    #[error("not found: {message}")]
    NotFound {
        /// The server's message.
        message: String,
    },
    /// 429.
    #[error("rate limited{}", retry_after.map(|d| format!(" (retry after {d:?})")).unwrap_or_default())]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// 5xx.
    #[error("server error: {message}")]
    Server {
        /// The server's message.
        message: String,
    },
    /// Another unexpected HTTP status (e.g. 405, 409, 408).
    #[error("unexpected HTTP status: {message}")]
    Http {
        /// The server's message.
        message: String,
    },
    /// The request did not complete: connection failure, timeout, broken body.
    #[error("transport error{}: {message}", if *timeout { " (timeout)" } else if *connect { " (connect)" } else { "" })]
    Transport {
        /// What failed.
        message: String,
        /// A connect or request timeout expired.
        timeout: bool,
        /// The connection could not be established.
        connect: bool,
    },
    /// The response body did not decode.
    #[error(transparent)]
    Decode(DecodeError),
    /// The server returned a cursor it had returned before; pagination stopped (after the
    /// items of the page that repeated it).
    #[error("pagination stopped: the server repeated cursor {cursor:?} in `{member}`")]
    RepeatedCursor {
        /// The repeated cursor.
        cursor: String,
        /// The response member that carried it (e.g. `connector_metadata.next_page`).
        member: String,
    },
    /// The server announced more results (or sent a next-page member) but gave no usable
    /// cursor: missing, empty or of another shape. Pagination stopped after the items of that
    /// page; the results are incomplete.
    #[error("pagination stopped, results are incomplete: {reason} in `{member}` (found {value})")]
    UnusableCursor {
        /// The response member that should carry the cursor.
        member: String,
        /// Why it cannot be used.
        reason: String,
        /// Its value as received (JSON text).
        value: String,
    },
    /// The client is misconfigured (missing base URL, connector id, credentials, ...).
    #[error("configuration error: {message}")]
    Config {
        /// What is missing or wrong.
        message: String,
    },
}

/// The error of every runtime operation: a kind plus the HTTP status and the action it
/// concerns. Never contains secrets.
#[derive(Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Error(Box<Inner>);

#[derive(Debug, Clone, PartialEq)]
struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    entity: Cow<'static, str>,
    action: Cow<'static, str>,
    retry_after: Option<Duration>,
}

impl Error {
    /// A new error of `kind` about `entity`/`action` (empty when not about an action).
    pub fn new(
        kind: ErrorKind,
        status: Option<u16>,
        entity: impl Into<Cow<'static, str>>,
        action: impl Into<Cow<'static, str>>,
    ) -> Self {
        let retry_after = match &kind {
            ErrorKind::RateLimited { retry_after } => *retry_after,
            _ => None,
        };
        Error(Box::new(Inner {
            kind,
            status,
            entity: entity.into(),
            action: action.into(),
            retry_after,
        }))
    }

    /// A configuration error (not about an action).
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(
            ErrorKind::Config {
                message: message.into(),
            },
            None,
            "",
            "",
        )
    }

    /// Sets the entity and action this error concerns.
    pub fn with_action(
        mut self,
        entity: impl Into<Cow<'static, str>>,
        action: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.0.entity = entity.into();
        self.0.action = action.into();
        self
    }

    /// The category.
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The entity of the action (`""` when not about an action).
    pub fn entity(&self) -> &str {
        &self.0.entity
    }

    /// The action name (`""` when not about an action).
    pub fn action(&self) -> &str {
        &self.0.action
    }

    /// Whether sending the same request again may succeed: 429, 5xx, 408 and transport
    /// failures.
    pub fn is_retryable(&self) -> bool {
        match &self.0.kind {
            ErrorKind::RateLimited { .. } | ErrorKind::Server { .. } => true,
            ErrorKind::Transport { .. } => true,
            ErrorKind::Http { .. } => self.0.status == Some(408),
            _ => false,
        }
    }

    /// The server's `Retry-After`, when the response had one (429 or 503, typically).
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }

    /// Sets the server's `Retry-After`.
    pub fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        if retry_after.is_some() {
            self.0.retry_after = retry_after;
        }
        self
    }

    /// The decode error, when this is one.
    pub fn as_decode(&self) -> Option<&DecodeError> {
        match &self.0.kind {
            ErrorKind::Decode(d) => Some(d),
            _ => None,
        }
    }

    fn render(&self) -> String {
        let mut s = String::new();
        if !self.0.entity.is_empty() || !self.0.action.is_empty() {
            s.push_str(&format!("{}.{}: ", self.0.entity, self.0.action));
        }
        if let Some(st) = self.0.status {
            s.push_str(&format!("HTTP {st}: "));
        }
        s.push_str(&self.0.kind.to_string());
        s
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("status", &self.0.status)
            .field("entity", &self.0.entity)
            .field("action", &self.0.action)
            .finish()
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::new(ErrorKind::Decode(e), None, "", "")
    }
}

/// Extracts a human-readable message from an error response body: `errors[].message` (joined
/// by `; `), else `message` / `detail` / `error` / `error_description`, else the body's start.
pub fn server_message(body: &[u8]) -> String {
    if let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) {
        if let Some(errs) = v.get("errors").and_then(|e| e.as_array()) {
            let msgs: Vec<String> = errs
                .iter()
                .filter_map(|e| match e {
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => other
                        .get("message")
                        .or_else(|| other.get("detail"))
                        .and_then(|m| m.as_str())
                        .map(str::to_owned),
                })
                .collect();
            if !msgs.is_empty() {
                return msgs.join("; ");
            }
        }
        for key in ["message", "detail", "error_description", "error"] {
            match v.get(key) {
                Some(serde_json::Value::String(s)) => return s.clone(),
                Some(other @ (serde_json::Value::Array(_) | serde_json::Value::Object(_))) => {
                    return other.to_string()
                }
                _ => {}
            }
        }
    }
    let start = body_start(body);
    if start.trim().is_empty() {
        "(empty body)".to_owned()
    } else {
        start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_message_reads_errors_array() {
        let body = br#"{"errors": [{"message": "params.id: must be a string"}]}"#;
        assert_eq!(server_message(body), "params.id: must be a string");
        let two = br#"{"errors": [{"message": "a"}, {"message": "b"}]}"#;
        assert_eq!(server_message(two), "a; b");
        assert_eq!(server_message(br#"{"detail": "nope"}"#), "nope");
        assert_eq!(
            server_message(b"<html>bad gateway</html>"),
            "<html>bad gateway</html>"
        );
        assert_eq!(server_message(b""), "(empty body)");
    }

    #[test]
    fn body_start_is_bounded_and_char_safe() {
        let long = "é".repeat(500);
        let s = body_start(long.as_bytes());
        assert_eq!(s.chars().count(), DecodeError::BODY_START_CHARS + 1);
        assert!(s.ends_with('…'));
        assert_eq!(body_start(b"short"), "short");
    }

    #[test]
    fn display_and_accessors() {
        let e = Error::new(
            ErrorKind::Validation {
                message: "params.id: must be a string".into(),
            },
            Some(422),
            "contacts",
            "get",
        );
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.entity(), "contacts");
        assert_eq!(e.action(), "get");
        assert!(!e.is_retryable());
        assert_eq!(
            e.to_string(),
            "contacts.get: HTTP 422: request rejected: params.id: must be a string"
        );
        let r = Error::new(
            ErrorKind::RateLimited {
                retry_after: Some(Duration::from_secs(2)),
            },
            Some(429),
            "contacts",
            "list",
        );
        assert!(r.is_retryable());
        assert_eq!(r.retry_after(), Some(Duration::from_secs(2)));
        assert!(std::mem::size_of::<Error>() <= 8);
    }
}
