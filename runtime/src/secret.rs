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

/// Secrets of this many bytes or more are replaced wherever they occur in a server's text,
/// also inside a longer word; shorter ones only where they stand alone (see [`redact`]).
pub(crate) const MIN_REDACTED_LEN: usize = 8;

/// `text` (a server's answer) with each of `secrets`, as written or as a JSON string escapes
/// it (`/` escaped or not), replaced by `[redacted]`: a server may echo the token or client
/// secret it was sent, and what it says ends up in an error's text, `errors()`, `body()` and
/// a `DecodeError`.
///
/// Where a secret is replaced depends on its length:
/// - [`MIN_REDACTED_LEN`] (8) bytes or more: every occurrence. Such a string inside
///   ordinary text is the secret.
/// - 1 to 7 bytes: every occurrence that stands alone, i.e. that neither follows nor precedes
///   an ASCII letter, digit, `-` or `_` (`token ab12cd revoked`, `"ab12cd"`, `=ab12cd&`,
///   `"\nab12cd"`: the letter of a JSON escape does not count),
///   but not one inside a longer word (`xab12cdx`, `ab12cd-v2`): a short secret is still a
///   secret when it is echoed, but replacing it inside every word that contains it would
///   garble the server's text (a secret `test` would cut `latest` in two). A short secret
///   that is also an ordinary word (`hello`) is replaced where that word stands alone.
/// - The empty string: never.
pub(crate) fn redact<'a>(text: &'a [u8], secrets: &[&str]) -> std::borrow::Cow<'a, [u8]> {
    let mut out = std::borrow::Cow::Borrowed(text);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let whole_word = secret.len() < MIN_REDACTED_LEN;
        // JSON escapes `"`, `\\` and controls; some writers also escape `/` (PHP's `\/`).
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"');
        let slashes = escaped.replace('/', "\\/");
        for form in [*secret, escaped, &slashes] {
            if let Some(replaced) = replace_all(&out, form.as_bytes(), b"[redacted]", whole_word) {
                out = std::borrow::Cow::Owned(replaced);
            }
        }
    }
    out
}

/// Whether `b` continues a word for [`redact`]'s short secrets: an ASCII letter or digit,
/// `-` or `_` (the characters of tokens and identifiers).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

/// Whether `hay[j]` is the letter of a JSON escape (`\n`, `\t`, `\r`, `\b`, `\f`): it
/// follows an odd number of backslashes. Such a letter is a control character of the text,
/// not part of the word after it.
fn is_escape_letter(hay: &[u8], j: usize) -> bool {
    let backslashes = hay[..j].iter().rev().take_while(|&&b| b == b'\\').count();
    b"bfnrt".contains(&hay[j]) && backslashes % 2 == 1
}

/// `hay` with every `needle` replaced by `with` (with `whole_word`, only those not next to an
/// [`is_word_byte`]); `None` when there is none.
fn replace_all(hay: &[u8], needle: &[u8], with: &[u8], whole_word: bool) -> Option<Vec<u8>> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let mut out = Vec::new();
    let (mut from, mut i) = (0, 0);
    while i + needle.len() <= hay.len() {
        let alone = || {
            let before = i
                .checked_sub(1)
                .is_some_and(|j| is_word_byte(hay[j]) && !is_escape_letter(hay, j));
            let after = hay.get(i + needle.len()).copied();
            !before && !after.is_some_and(is_word_byte)
        };
        if hay[i..].starts_with(needle) && (!whole_word || alone()) {
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
    fn redact_replaces_every_form() {
        let body = br#"{"m": "tok-12345678 and xtok-12345678x", "e": "a\/b-secret-x"}"#;
        let out = redact(body, &["tok-12345678", "a/b-secret-x", ""]);
        assert_eq!(
            std::str::from_utf8(&out).unwrap(),
            r#"{"m": "[redacted] and x[redacted]x", "e": "[redacted]"}"#
        );
        assert!(matches!(
            redact(b"nothing here", &["tok-12345678"]),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// A short secret is replaced where it stands alone (a leak), never inside a longer word
    /// (ordinary text).
    #[test]
    fn short_secrets_are_replaced_only_as_words_of_their_own() {
        let shown = |text: &str, secret: &str| {
            String::from_utf8(redact(text.as_bytes(), &[secret]).into_owned()).unwrap()
        };
        // Leaks: alone, quoted, in a query, at either end, after `Bearer `, JSON-escaped.
        assert_eq!(
            shown("token ab12 revoked", "ab12"),
            "token [redacted] revoked"
        );
        assert_eq!(shown(r#"{"t":"ab12"}"#, "ab12"), r#"{"t":"[redacted]"}"#);
        assert_eq!(shown("?key=ab12&x=1", "ab12"), "?key=[redacted]&x=1");
        assert_eq!(shown("ab12", "ab12"), "[redacted]");
        assert_eq!(shown("Bearer a/b1.", "a/b1"), "Bearer [redacted].");
        assert_eq!(shown(r#""a\/b1""#, "a/b1"), r#""[redacted]""#);
        assert_eq!(shown("a\"b\"c", "a\"b"), "[redacted]\"c");
        // Ordinary text: the secret inside a longer word or identifier.
        for text in ["latest news", "testing", "test-suite", "my_test", "Test1"] {
            assert_eq!(shown(text, "test"), text);
        }
        assert_eq!(shown("a test.", "test"), "a [redacted].");
    }

    /// In a JSON text a short secret right after an escape (`\n`, `\t`, ...) stands alone in
    /// the string it encodes, but the escape's letter looked like the end of a longer word, so
    /// the secret was left in the text (a leak).
    #[test]
    fn short_secrets_after_a_json_escape_are_replaced() {
        let shown = |text: &str| {
            String::from_utf8(redact(text.as_bytes(), &["ab12"]).into_owned()).unwrap()
        };
        for (text, want) in [
            (
                r#"{"m":"bad token:\nab12"}"#,
                r#"{"m":"bad token:\n[redacted]"}"#,
            ),
            (r#""\tab12\r""#, r#""\t[redacted]\r""#),
            (r#""x\/ab12""#, r#""x\/[redacted]""#),
        ] {
            assert_eq!(shown(text), want);
        }
        // An escaped backslash followed by a letter is that letter: `\\nab12` is `\nab12`.
        assert_eq!(shown(r#""\\nab12""#), r#""\\nab12""#);
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
