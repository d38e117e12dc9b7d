//! The shape of `paging.resolved.yaml`: what `airbyte-codegen` settled for each action, as a
//! server must answer it for the generated client to read it. One definition for both sides:
//! the generator's IR names these types (`ir::Pagination` is [`Pagination`]) and writes the
//! file with them; the sandbox (`airbyte-agent-sandbox`), which must not depend on the
//! generator, reads the file with the same types. A new pagination style or key rule is added
//! here once, and both sides must handle it (their matches are exhaustive).
//!
//! Only `serde`: depending on it costs the sandbox's users nothing.

use serde::{Deserialize, Serialize};

/// The file name beside `model.yaml` (`spec/<name>/paging.resolved.yaml`).
pub const FILE_NAME: &str = "paging.resolved.yaml";

/// How one action is served. The file maps entity id -> action name -> `Resolved`; an action
/// absent from it does not page and names no record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resolved {
    /// The IR's pagination of the action (absent: it does not page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// The integer parameter giving the page size, when the action pages and has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// The page size when the request gives none, as the document states it (the
    /// parameter's Default column, else `default N` in its description).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_size: Option<u64>,
    /// For get, update, delete and download: how the request names the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
}

/// How an action on one record names it (YAML: `{by: param, param: orderId, field:
/// AmazonOrderId, rule: field_ends_with_param}`, `{by: only}`, `{by: unsettled, reason: ..}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case", deny_unknown_fields)]
pub enum Key {
    /// The record whose `field` equals the request's `param`.
    Param {
        /// The required request parameter, e.g. `task_gid`.
        param: String,
        /// The record field it matches, e.g. `gid`.
        field: String,
        /// Which rule of the generator matched them (for review).
        rule: KeyRule,
    },
    /// The action takes no parameter: the entity has one record (the authenticated user, the
    /// shop's settings), which it acts on.
    Only,
    /// No parameter could be matched to a record field; why, naming the parameters. A server
    /// cannot tell which record is meant (the sandbox answers 422 with the reason).
    Unsettled {
        /// Why, e.g. `no record field is documented`.
        reason: String,
    },
}

impl Key {
    /// `id` naming the record's `id`: Intercom's key, and the key of records seeded without
    /// a model.
    pub fn id() -> Key {
        Key::Param {
            param: "id".into(),
            field: "id".into(),
            rule: KeyRule::Same,
        }
    }

    /// The parameter and the record field, for a [`Key::Param`].
    pub fn param(&self) -> Option<(&str, &str)> {
        match self {
            Key::Param { param, field, .. } => Some((param, field)),
            Key::Only | Key::Unsettled { .. } => None,
        }
    }
}

/// The rule that matched a key parameter to a record field, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyRule {
    /// The parameter is the field (`task_id`, `id`).
    Same,
    /// The parameter is the field behind a scope word: `task_gid` -> `gid`, `taskId` -> `id`.
    ParamEndsWithField,
    /// The field is the parameter, an identifier, behind a word: `orderId` -> `AmazonOrderId`.
    FieldEndsWithParam,
    /// The parameter is the record's name and its description names the field: GitLab's
    /// `branch`, "The name of the branch" -> `name`; Slack's `user`, "User ID" -> `id`.
    Description,
    /// The parameter is one closed compound ending in the field: `feedpath` -> `path` (a
    /// field of at least four letters).
    Compound,
}

impl KeyRule {
    /// The rule's name in the file, e.g. `field_ends_with_param`.
    pub fn name(self) -> &'static str {
        match self {
            KeyRule::Same => "same",
            KeyRule::ParamEndsWithField => "param_ends_with_field",
            KeyRule::FieldEndsWithParam => "field_ends_with_param",
            KeyRule::Description => "description",
            KeyRule::Compound => "compound",
        }
    }
}

/// How the pages of an action follow each other, as the generator inferred it from the
/// parameters and the page metadata. Parameters and members are JSON names; the runtime's
/// `Paging` implements each style once and generated code only names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pagination {
    /// A cursor or token: member `next` (a string, or an object holding `param`) is sent in
    /// `param`; `more`, when given, is the boolean member saying whether pages follow.
    Cursor {
        /// The request parameter the cursor is sent in.
        param: String,
        /// The metadata member holding the next cursor (absent, `null` or `""` at the end).
        next: String,
        /// The boolean metadata member saying whether pages follow, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        more: Option<String>,
    },
    /// A page number in `param`, from `first`.
    Page {
        /// The request parameter the page number is sent in.
        param: String,
        /// The page-size parameter, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<String>,
        /// The number of the first page (0 or 1).
        first: i64,
        /// What says there is no next page.
        end: PageEnd,
    },
    /// A row offset in `param`, advanced by the records received; ends on an empty page.
    Offset {
        /// The request parameter the offset is sent in.
        param: String,
        /// The page-size parameter, when there is one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<String>,
    },
    /// The last record's `id` member sent in `param`.
    LastId {
        /// The request parameter the id is sent in.
        param: String,
        /// The record member holding the id.
        id: String,
        /// Whether the parameter is an integer.
        integer: bool,
        /// What says there is no next page.
        end: PageEnd,
    },
    /// A next-page URL in member `next`; `param` is read from its query string.
    NextUrl {
        /// The query (and request) parameter of the position.
        param: String,
        /// The metadata member holding the URL.
        next: String,
        /// Whether the position is an integer.
        integer: bool,
    },
    /// A next-page URL in member `next` whose query carries only parameters the action does
    /// not document: they are sent as params beside the caller's documented ones.
    NextUrlQuery {
        /// The metadata member holding the URL.
        next: String,
    },
    /// The action pages, but how could not be inferred (no `stream()`; a server answers
    /// every record in one page): why, for review.
    Unknown {
        /// Why, as the generator said it.
        reason: String,
    },
}

impl Pagination {
    /// Whether the action gets a `stream()`.
    pub fn streams(&self) -> bool {
        !matches!(self, Pagination::Unknown { .. })
    }

    /// The request parameter the position is sent in (`None` when unknown, or when the next
    /// page is the undocumented parameters of a URL).
    pub fn param(&self) -> Option<&str> {
        match self {
            Pagination::Cursor { param, .. }
            | Pagination::Page { param, .. }
            | Pagination::Offset { param, .. }
            | Pagination::LastId { param, .. }
            | Pagination::NextUrl { param, .. } => Some(param),
            Pagination::NextUrlQuery { .. } | Pagination::Unknown { .. } => None,
        }
    }

    /// The style's name, e.g. `cursor`, `next_url` (the `style` tag in the file).
    pub fn style(&self) -> &'static str {
        match self {
            Pagination::Cursor { .. } => "cursor",
            Pagination::Page { .. } => "page",
            Pagination::Offset { .. } => "offset",
            Pagination::LastId { .. } => "last_id",
            Pagination::NextUrl { .. } => "next_url",
            Pagination::NextUrlQuery { .. } => "next_url_query",
            Pagination::Unknown { .. } => "unknown",
        }
    }

    /// One line for reviewers and API diffs, e.g. `cursor: start_cursor <- next_cursor while has_more`.
    pub fn summary(&self) -> String {
        match self {
            Pagination::Cursor { param, next, more } => match more {
                Some(m) => format!("cursor: {param} <- {next} while {m}"),
                None => format!("cursor: {param} <- {next}"),
            },
            Pagination::Page {
                param, first, end, ..
            } => format!("page: {param} from {first}, until {}", end.summary()),
            Pagination::Offset { param, .. } => {
                format!("offset: {param} += records, until an empty page")
            }
            Pagination::LastId { param, id, end, .. } => {
                format!(
                    "last id: {param} <- last record's {id}, until {}",
                    end.summary()
                )
            }
            Pagination::NextUrl { param, next, .. } => {
                format!("next URL: {param} <- query of {next}")
            }
            Pagination::NextUrlQuery { next } => {
                format!("next URL: the undocumented parameters in the query of {next} are sent as params")
            }
            Pagination::Unknown { reason } => format!("unknown: {reason}"),
        }
    }
}

/// What ends a page-number or last-id list besides an empty page (JSON member names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PageEnd {
    /// Only an empty page.
    Empty,
    /// The member is absent, `null` or `""`.
    Absent(String),
    /// The boolean member is `false`.
    False(String),
    /// The boolean member is `true`.
    True(String),
    /// The integer member gives the number of pages.
    Count(String),
}

impl PageEnd {
    /// One phrase for reviewers, e.g. `has_more is false`.
    pub fn summary(&self) -> String {
        match self {
            PageEnd::Empty => "an empty page".into(),
            PageEnd::Absent(m) => format!("{m} is absent"),
            PageEnd::False(m) => format!("{m} is false"),
            PageEnd::True(m) => format!("{m} is true"),
            PageEnd::Count(m) => format!("{m} pages are read"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// YAML as codegen writes the file: through JSON's data model, so an end member is
    /// `{'false': has_more}`, not a YAML tag, which internally tagged enums cannot read back.
    fn yaml_of<T: Serialize>(value: &T) -> String {
        serde_yaml::to_string(&serde_json::to_value(value).unwrap()).unwrap()
    }

    fn round_trip<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        value: T,
        yaml: &str,
    ) {
        let text = yaml_of(&value);
        assert_eq!(text.trim(), yaml, "{value:?}");
        assert_eq!(serde_yaml::from_str::<T>(&text).unwrap(), value);
    }

    #[test]
    fn keys_are_tagged_by_how_they_name_the_record() {
        round_trip(
            Key::Param {
                param: "orderId".into(),
                field: "AmazonOrderId".into(),
                rule: KeyRule::FieldEndsWithParam,
            },
            "by: param\nparam: orderId\nfield: AmazonOrderId\nrule: field_ends_with_param",
        );
        round_trip(Key::Only, "by: only");
        round_trip(
            Key::Unsettled {
                reason: "no record field is documented".into(),
            },
            "by: unsettled\nreason: no record field is documented",
        );
        for rule in [
            KeyRule::Same,
            KeyRule::ParamEndsWithField,
            KeyRule::FieldEndsWithParam,
            KeyRule::Description,
            KeyRule::Compound,
        ] {
            round_trip(rule, rule.name());
        }
        // A member the reader does not know is an error, not ignored.
        let e = serde_yaml::from_str::<Key>("by: param\nparam: id\nfield: id\nrule: same\nx: 1")
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `x`"), "{e}");
    }

    #[test]
    fn every_style_is_tagged_by_its_name() {
        for p in [
            Pagination::Cursor {
                param: "cursor".into(),
                next: "next".into(),
                more: Some("has_more".into()),
            },
            Pagination::Page {
                param: "page".into(),
                size: Some("per_page".into()),
                first: 1,
                end: PageEnd::False("has_more".into()),
            },
            Pagination::Offset {
                param: "offset".into(),
                size: None,
            },
            Pagination::LastId {
                param: "since_id".into(),
                id: "id".into(),
                integer: true,
                end: PageEnd::Count("pages".into()),
            },
            Pagination::NextUrl {
                param: "page[cursor]".into(),
                next: "next".into(),
                integer: false,
            },
            Pagination::NextUrlQuery {
                next: "next_page_uri".into(),
            },
            Pagination::Unknown {
                reason: "no cursor".into(),
            },
        ] {
            let text = yaml_of(&p);
            assert!(
                text.starts_with(&format!("style: {}\n", p.style())),
                "{text}"
            );
            assert_eq!(serde_yaml::from_str::<Pagination>(&text).unwrap(), p);
        }
    }
}
