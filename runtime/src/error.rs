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
    #[error(
        "rate limited{}{}",
        retry_after.map(|d| format!(" (retry after {d:?})")).unwrap_or_default(),
        if message.is_empty() { String::new() } else { format!(": {message}") }
    )]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
        /// The server's message (which limit, until when), read as for the other statuses;
        /// empty when its body has no text member.
        message: String,
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
    /// items of the page that repeated it, unless they were the page before's records again).
    #[error("pagination stopped: the server repeated cursor {cursor:?} in `{member}`")]
    RepeatedCursor {
        /// The repeated cursor.
        cursor: String,
        /// The response member that carried it (e.g. `connector_metadata.next_page`).
        member: String,
    },
    /// The server answered the next page with the same records as the page before it (same
    /// count, same first and last record): it ignores the paging parameter (a page number,
    /// an offset, or a cursor, for which it gave a new one each time), so every further page
    /// would be this one again. Pagination stopped after the first of them, before its
    /// records were yielded again; the results are incomplete. Check the parameter's name
    /// against the API (e.g. a `spec/<name>/pagination.yaml` correction).
    #[error("pagination stopped, results are incomplete: the page at `{param}` = {position} has the same records as the page before it (the server ignores `{param}`)")]
    RepeatedPage {
        /// The request parameter that was advanced, e.g. `page`, `starting_after`; for a
        /// next-page URL whose query parameters are sent ([`Paging::NextUrlQuery`](crate::Paging::NextUrlQuery)),
        /// the metadata member that held the URL, e.g. `next_page_uri`.
        param: String,
        /// Its value in the request answered with the repeated page, as JSON, e.g. `2` or
        /// `"WzE3..."` (for a next-page URL's parameters, the request's params object).
        position: String,
    },
    /// The server answered [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES) pages in a row without
    /// a record, each with a new cursor and the promise of more: a server that would be
    /// followed forever. Pagination stopped after the last of them; the results may be
    /// incomplete.
    #[error("pagination stopped, results may be incomplete: {pages} pages in a row had no records but announced more (last cursor {cursor:?} in `{member}`)")]
    EmptyPages {
        /// The number of empty pages in a row received, [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES).
        pages: u32,
        /// The next cursor the last of them gave (not requested).
        cursor: String,
        /// The response member that carried it (e.g. `result.meta.cursor`).
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
    /// A local file could not be written (e.g. by a download's `save_to`).
    #[error("cannot write {path}: {message}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        message: String,
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
    detail: Option<String>,
    items: Vec<ErrorItem>,
    body: Option<String>,
}

/// One entry of the `errors` list of an execute-API error body:
/// `{"field", "message", "error_code", "details", "userPresentableMessage"}`, every member
/// optional. A bare string entry is its `message`. A body without `errors` but with a
/// `detail` list of objects (a Python service's validation error, `{"loc", "msg", "type"}`)
/// gives its items: `loc` as the dotted `field`, `msg` as the `message`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ErrorItem {
    /// The request member it concerns, e.g. `params.per_page` (`field`, else `loc` joined by
    /// dots).
    pub field: Option<String>,
    /// The technical message (`message`, else `error`, else `msg`).
    pub message: Option<String>,
    /// The machine-readable code (`error_code`, else `code`; a number as its text).
    pub code: Option<String>,
    /// Further structured information, as received (`details`).
    pub details: Option<serde_json::Value>,
    /// The sentence meant for people (`userPresentableMessage`).
    pub user_presentable_message: Option<String>,
}

impl ErrorItem {
    fn parse(item: &serde_json::Value) -> Option<ErrorItem> {
        use serde_json::Value;
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(inner @ Value::Object(_)) => item_text(inner).map(|(t, _)| t),
            _ => None,
        };
        match item {
            Value::String(s) if !s.trim().is_empty() => Some(ErrorItem {
                message: Some(s.clone()),
                ..ErrorItem::default()
            }),
            Value::Object(m) => Some(ErrorItem {
                field: text(m.get("field"))
                    .or_else(|| match m.get("field") {
                        Some(v @ Value::Array(_)) => Some(v.to_string()),
                        _ => None,
                    })
                    .or_else(|| loc_text(m.get("loc"))),
                message: text(m.get("message"))
                    .or_else(|| text(m.get("error")))
                    .or_else(|| text(m.get("msg"))),
                code: text(m.get("error_code")).or_else(|| text(m.get("code"))),
                details: m.get("details").filter(|d| !d.is_null()).cloned(),
                user_presentable_message: text(m.get("userPresentableMessage")),
            }),
            _ => None,
        }
    }
}

/// How much of an error body [`Error::body`] keeps, in bytes.
const BODY_KEPT_BYTES: usize = 64 * 1024;

impl Error {
    /// A new error of `kind` about `entity`/`action` (empty when not about an action).
    pub fn new(
        kind: ErrorKind,
        status: Option<u16>,
        entity: impl Into<Cow<'static, str>>,
        action: impl Into<Cow<'static, str>>,
    ) -> Self {
        let retry_after = match &kind {
            ErrorKind::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        };
        Error(Box::new(Inner {
            kind,
            status,
            entity: entity.into(),
            action: action.into(),
            retry_after,
            detail: None,
            items: Vec::new(),
            body: None,
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

    /// The server's technical message, when its error body also had a user-facing one (the
    /// `message` beside `userPresentableMessage`); the user-facing text is in the kind.
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// Sets the server's technical message.
    pub fn with_detail(mut self, detail: Option<String>) -> Self {
        self.0.detail = detail;
        self
    }

    /// The entries of the error body's `errors` list (else of its `detail` list of objects),
    /// in order (empty when the body had none).
    pub fn errors(&self) -> &[ErrorItem] {
        &self.0.items
    }

    /// The error response's body as received (lossy UTF-8, its first 64 KiB), for debugging;
    /// the message never shows it when the body has a text member.
    pub fn body(&self) -> Option<&str> {
        self.0.body.as_deref()
    }

    /// Keeps an error response's body: its `errors` entries, its technical messages
    /// ([`Error::detail`]) and its text ([`Error::body`]).
    pub fn with_body(mut self, body: &[u8]) -> Self {
        self.0.detail = server_message_and_detail(body).1;
        self.0.items = error_body_json(body)
            .and_then(|v| {
                // Airbyte's `errors`, else a Python service's validation list `detail`.
                let list = v.get("errors").and_then(|e| e.as_array()).or_else(|| {
                    v.get("detail")
                        .and_then(|d| d.as_array())
                        .filter(|d| d.iter().all(|i| i.is_object()))
                })?;
                Some(list.iter().filter_map(ErrorItem::parse).collect())
            })
            .unwrap_or_default();
        let kept = &body[..body.len().min(BODY_KEPT_BYTES)];
        self.0.body = Some(String::from_utf8_lossy(kept).into_owned());
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
        if let Some(detail) = &self.0.detail {
            s.push_str(&format!(" ({detail})"));
        }
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
            .field("detail", &self.0.detail)
            .field("errors", &self.0.items)
            .finish_non_exhaustive()
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::new(ErrorKind::Decode(e), None, "", "")
    }
}

/// The members of an error item read as its text, user-facing first: Airbyte's services put
/// the sentence meant for people in `userPresentableMessage`, the technical one in `message`.
const ITEM_TEXT: [&str; 6] = [
    "userPresentableMessage",
    "message",
    "error",
    "detail",
    "error_description",
    "title",
];

/// The user-facing text of one error item (a string, or an object's first text member of
/// [`ITEM_TEXT`]), and the technical `message` when the user-facing one came first.
fn item_text(item: &serde_json::Value) -> Option<(String, Option<String>)> {
    use serde_json::Value;
    match item {
        Value::String(s) if !s.trim().is_empty() => Some((s.clone(), None)),
        Value::Object(m) => {
            let text = |k: &str| match m.get(k) {
                Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
                Some(inner @ Value::Object(_)) => item_text(inner).map(|(t, _)| t),
                Some(Value::Array(items)) => list_text(items),
                _ => None,
            };
            let user = ITEM_TEXT
                .iter()
                .find_map(|k| text(k))
                .or_else(|| located_msg(m))?;
            let detail = text("message").filter(|m| *m != user);
            Some((user, detail))
        }
        _ => None,
    }
}

/// The texts of a list of error items (`{"detail": [..]}`, `{"message": ["a", "b"]}`),
/// joined by `; `; `None` when no item has one.
fn list_text(items: &[serde_json::Value]) -> Option<String> {
    let texts: Vec<String> = items.iter().filter_map(item_text).map(|(t, _)| t).collect();
    (!texts.is_empty()).then(|| texts.join("; "))
}

/// A validation item as Python services (FastAPI, pydantic) write it, `{"loc": ["body",
/// "params", "per_page"], "msg": "Input should be ..", "type": ..}`: its `msg`, after the
/// dotted `loc` when there is one (`body.params.per_page: Input should be ..`).
fn located_msg(m: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let msg = m.get("msg")?.as_str().filter(|s| !s.trim().is_empty())?;
    Some(match loc_text(m.get("loc")) {
        Some(loc) => format!("{loc}: {msg}"),
        None => msg.to_owned(),
    })
}

/// A pydantic `loc` (`["body", "params", 0]`) as a dotted path (`body.params.0`).
fn loc_text(loc: Option<&serde_json::Value>) -> Option<String> {
    use serde_json::Value;
    let parts: Vec<String> = loc?
        .as_array()?
        .iter()
        .filter_map(|p| match p {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("."))
}

/// An error response body as JSON. A body that is not UTF-8 (a proxy's Latin-1 text, a
/// byte cut off) is read with U+FFFD for its bad bytes, so its text members are still read
/// rather than the raw JSON shown.
fn error_body_json(body: &[u8]) -> Option<serde_json::Value> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text).ok(),
        Err(_) => serde_json::from_str(&String::from_utf8_lossy(body)).ok(),
    }
}

/// The text members of an error body as [`server_message`] reads them, and the technical
/// messages they replaced; `None` when it has none (not JSON, or no text member).
pub(crate) fn server_text(body: &[u8]) -> Option<(String, Option<String>)> {
    let v = error_body_json(body)?;
    if let Some(errs) = v.get("errors").and_then(|e| e.as_array()) {
        let (texts, details): (Vec<String>, Vec<Option<String>>) =
            errs.iter().filter_map(item_text).unzip();
        if !texts.is_empty() {
            let details: Vec<String> = details.into_iter().flatten().collect();
            let detail = (!details.is_empty()).then(|| details.join("; "));
            return Some((texts.join("; "), detail));
        }
    }
    item_text(&v)
}

/// Extracts a human-readable message from an error response body, as Airbyte's own client
/// reads it: each `errors[]` item's `userPresentableMessage`, else `message`, else `error`
/// (else `detail`, `error_description`, `title`), joined by `; ` in order; without an
/// `errors` list, the top-level member of those names; else the body's start. Never the raw
/// JSON of a body that has a text member.
pub fn server_message(body: &[u8]) -> String {
    server_message_and_detail(body).0
}

/// [`server_message`], and the technical messages of the `errors[]` items whose
/// user-facing text was preferred (`None` when there were none).
pub(crate) fn server_message_and_detail(body: &[u8]) -> (String, Option<String>) {
    if let Some(found) = server_text(body) {
        return found;
    }
    let start = body_start(body);
    if start.trim().is_empty() {
        ("(empty body)".to_owned(), None)
    } else {
        (start, None)
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

    /// Case 14: the user-facing text first, every item in order, `error` at the top level,
    /// never the raw JSON.
    #[test]
    fn case_14_error_user_presentable_message() {
        let a = br#"{"errors": [{"userPresentableMessage": "per_page must be between 1 and 150.", "message": "ValidationError: params.per_page"}]}"#;
        assert_eq!(
            server_message_and_detail(a),
            (
                "per_page must be between 1 and 150.".to_owned(),
                Some("ValidationError: params.per_page".to_owned())
            )
        );
        let b = br#"{"errors": [{"userPresentableMessage": "One."}, {"userPresentableMessage": "Two."}]}"#;
        assert_eq!(server_message(b), "One.; Two.");
        let c = br#"{"error": "Token lacks the required scope"}"#;
        assert_eq!(server_message(c), "Token lacks the required scope");
        let mixed = br#"{"errors": [{"error": "e"}, "s", {"message": "m"}, {"code": 1}]}"#;
        assert_eq!(server_message(mixed), "e; s; m");
        let nested = br#"{"error": {"message": "inner"}}"#;
        assert_eq!(server_message(nested), "inner");
        let top = br#"{"userPresentableMessage": "u", "message": "m"}"#;
        assert_eq!(
            server_message_and_detail(top),
            ("u".to_owned(), Some("m".to_owned()))
        );
    }

    #[test]
    fn error_items_are_parsed_and_the_message_puts_people_first() {
        let body = br#"{"message": "Validation failed", "errors": [
            {"field": "params.per_page", "message": "ensure this value is <= 150",
             "error_code": "value_error", "details": {"limit": 150},
             "userPresentableMessage": "per_page must be between 1 and 150."},
            {"field": "intent", "code": 7, "message": "too long"}]}"#;
        let e =
            Error::new(status_kind_for_test(body), Some(422), "contacts", "list").with_body(body);
        let items = e.errors();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].field.as_deref(), Some("params.per_page"));
        assert_eq!(items[0].code.as_deref(), Some("value_error"));
        assert_eq!(items[0].details, Some(serde_json::json!({"limit": 150})));
        assert_eq!(
            items[0].user_presentable_message.as_deref(),
            Some("per_page must be between 1 and 150.")
        );
        assert_eq!(items[1].code.as_deref(), Some("7"));
        assert_eq!(items[1].message.as_deref(), Some("too long"));
        assert_eq!(
            e.to_string(),
            "contacts.list: HTTP 422: request rejected: per_page must be between 1 and 150.; \
             too long (ensure this value is <= 150)"
        );
        assert_eq!(e.body(), Some(std::str::from_utf8(body).unwrap()));
    }

    fn status_kind_for_test(body: &[u8]) -> ErrorKind {
        ErrorKind::Validation {
            message: server_message(body),
        }
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
                message: String::new(),
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
