//! [`ExecuteOptions`]: what an execute call carries beside `{entity, action, params}`
//! (`select_fields`, `exclude_fields`, `intent`, `skip_truncation`), and [`FieldPath`], one
//! dot path of a record.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

/// The longest `intent` the execute API takes, in characters (Unicode scalar values).
pub const MAX_INTENT_CHARS: usize = 512;

/// A dot path into a record, e.g. `"email"` or `"location.city"`: a member of
/// `select_fields` or `exclude_fields`. Generated crates give each entity's known paths as
/// functions (`contacts::paths::email()`, written by [`record!`](crate::record!)); any `&str`
/// or `String` converts too, for paths the document does not list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct FieldPath(Cow<'static, str>);

impl FieldPath {
    /// A path known at compile time (what generated path constants use).
    pub const fn new(path: &'static str) -> Self {
        FieldPath(Cow::Borrowed(path))
    }

    /// The path as sent, e.g. `"location.city"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for FieldPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for FieldPath {
    fn from(s: &str) -> Self {
        FieldPath(Cow::Owned(s.to_owned()))
    }
}

impl From<String> for FieldPath {
    fn from(s: String) -> Self {
        FieldPath(Cow::Owned(s))
    }
}

impl From<&String> for FieldPath {
    fn from(s: &String) -> Self {
        FieldPath(Cow::Owned(s.clone()))
    }
}

impl From<&FieldPath> for FieldPath {
    fn from(p: &FieldPath) -> Self {
        p.clone()
    }
}

/// The options of one execute call, sent as top-level members of the request body beside
/// `params`. Every request builder has setters for them (`.select_fields(..)`,
/// `.exclude_fields(..)`, `.intent(..)`, `.skip_truncation(..)`); `Client::execute_with` and
/// `Client::execute_raw` take them too.
///
/// The body carries `select_fields`, `exclude_fields` and `intent` only when set.
/// `skip_truncation` is always sent: the call's own value, else the client's
/// ([`ClientBuilder::skip_truncation`](crate::ClientBuilder::skip_truncation)), which is
/// `true` unless configured otherwise, so that a change of the server's default can never
/// truncate a typed client's records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExecuteOptions {
    select_fields: Option<Vec<FieldPath>>,
    exclude_fields: Option<Vec<FieldPath>>,
    intent: Option<String>,
    skip_truncation: Option<bool>,
}

impl ExecuteOptions {
    /// No options: the body is `{entity, action, params, skip_truncation}`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these dot paths of each record are returned (`select_fields`); a path also in
    /// [`exclude_fields`](Self::exclude_fields) is returned (the server lets select win).
    /// Replaces earlier paths.
    pub fn select_fields<I>(mut self, paths: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<FieldPath>,
    {
        self.select_fields = Some(paths.into_iter().map(Into::into).collect());
        self
    }

    /// These dot paths of each record are left out (`exclude_fields`). Replaces earlier
    /// paths.
    pub fn exclude_fields<I>(mut self, paths: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<FieldPath>,
    {
        self.exclude_fields = Some(paths.into_iter().map(Into::into).collect());
        self
    }

    /// Why the call is made, in words (`intent`), at most [`MAX_INTENT_CHARS`] characters: a
    /// longer one fails with [`ErrorKind::Validation`](crate::ErrorKind::Validation) before
    /// anything is sent.
    pub fn intent(mut self, text: impl Into<String>) -> Self {
        self.intent = Some(text.into());
        self
    }

    /// Whether the server may shorten long values in the records (`skip_truncation: false`)
    /// or must return them whole (`true`, the default).
    pub fn skip_truncation(mut self, yes: bool) -> Self {
        self.skip_truncation = Some(yes);
        self
    }

    /// The `select_fields` paths, when set.
    pub fn selected_fields(&self) -> Option<&[FieldPath]> {
        self.select_fields.as_deref()
    }

    /// The `exclude_fields` paths, when set.
    pub fn excluded_fields(&self) -> Option<&[FieldPath]> {
        self.exclude_fields.as_deref()
    }

    /// The `intent`, when set.
    pub fn intent_text(&self) -> Option<&str> {
        self.intent.as_deref()
    }

    /// The call's own `skip_truncation`, when set (else the client's applies).
    pub fn skip_truncation_value(&self) -> Option<bool> {
        self.skip_truncation
    }

    /// Why these options cannot be sent: an `intent` longer than [`MAX_INTENT_CHARS`].
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(intent) = &self.intent {
            let n = intent.chars().count();
            if n > MAX_INTENT_CHARS {
                return Err(format!(
                    "intent is {n} characters long; the execute API takes at most {MAX_INTENT_CHARS}"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intent_is_limited_in_characters_not_bytes() {
        let ok = ExecuteOptions::new().intent("é".repeat(MAX_INTENT_CHARS));
        assert_eq!(ok.check(), Ok(()));
        let long = ExecuteOptions::new().intent("x".repeat(MAX_INTENT_CHARS + 1));
        assert_eq!(
            long.check(),
            Err("intent is 513 characters long; the execute API takes at most 512".to_owned())
        );
    }

    #[test]
    fn paths_from_strings_and_constants() {
        const EMAIL: FieldPath = FieldPath::new("email");
        let o = ExecuteOptions::new()
            .select_fields([EMAIL, "id".into()])
            .exclude_fields(vec![String::from("location.city")]);
        let sel: Vec<&str> = o
            .selected_fields()
            .unwrap()
            .iter()
            .map(FieldPath::as_str)
            .collect();
        assert_eq!(sel, ["email", "id"]);
        assert_eq!(o.excluded_fields().unwrap()[0].as_str(), "location.city");
        assert_eq!(o.skip_truncation_value(), None);
    }
}
