//! [`Secret`]: a string that never prints.

use std::fmt;

/// A secret string (token, client secret). `Debug` and `Display` print `[redacted]`; the value
/// is reachable only through [`Secret::expose`].
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl From<&str> for Secret {
    fn from(s: &str) -> Self {
        Secret(s.to_owned())
    }
}

impl From<&String> for Secret {
    fn from(s: &String) -> Self {
        Secret(s.clone())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// `url` as an error may show it: without a user, a password, a query (`?api_key=..`, a
/// signature) or a fragment (`#access_token=..`), any of which may hold a secret.
pub(crate) fn shown_url(url: &reqwest::Url) -> reqwest::Url {
    let mut url = url.clone();
    let _ = url.set_password(None);
    let _ = url.set_username("");
    url.set_query(None);
    url.set_fragment(None);
    url
}

/// Secrets shorter than this many bytes are not looked for in a server's text: they cannot be
/// told apart from its ordinary words (real tokens and client secrets are far longer).
pub(crate) const MIN_REDACTED_LEN: usize = 8;

/// `text` (a server's answer) with every occurrence of each of `secrets`, as written or as a
/// JSON string escapes it (`/` escaped or not), replaced by `[redacted]`: a server may echo the token or client
/// secret it was sent, and what it says ends up in an error's text, `errors()` and `body()`.
pub(crate) fn redact<'a>(text: &'a [u8], secrets: &[&str]) -> std::borrow::Cow<'a, [u8]> {
    let mut out = std::borrow::Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| s.len() >= MIN_REDACTED_LEN) {
        // JSON escapes `"`, `\\` and controls; some writers also escape `/` (PHP's `\/`).
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        let slashes = escaped.replace('/', "\\/");
        for form in [*secret, escaped, &slashes] {
            if let Some(replaced) = replace_all(&out, form.as_bytes(), b"[redacted]") {
                out = std::borrow::Cow::Owned(replaced);
            }
        }
    }
    out
}

/// `hay` with every `needle` replaced by `with`; `None` when there is none.
fn replace_all(hay: &[u8], needle: &[u8], with: &[u8]) -> Option<Vec<u8>> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let mut out = Vec::new();
    let (mut from, mut i) = (0, 0);
    while i + needle.len() <= hay.len() {
        if hay[i..].starts_with(needle) {
            out.extend_from_slice(&hay[from..i]);
            out.extend_from_slice(with);
            i += needle.len();
            from = i;
        } else {
            i += 1;
        }
    }
    if from == 0 {
        return None;
    }
    out.extend_from_slice(&hay[from..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_replaces_every_form_and_leaves_short_secrets() {
        let body = br#"{"m": "tok-12345678 and tok-12345678", "e": "a\/b-secret-x"}"#;
        let out = redact(body, &["tok-12345678", "a/b-secret-x", "short"]);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            r#"{"m": "[redacted] and [redacted]", "e": "[redacted]"}"#
        );
        assert!(matches!(
            redact(b"nothing here", &["tok-12345678"]),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(&*redact(b"a short one", &["short"]), b"a short one");
    }

    #[test]
    fn debug_and_display_redact() {
        let s = Secret::from("hunter2-token");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert!(!format!("{s:#?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-token");
        assert_eq!(Secret::from(String::from("x")).expose(), "x");
    }
}
