//! What lowering settled for each action, as a server must answer it for the generated client
//! to read it: the paging (style, page-size parameter and its documented default) and, for
//! actions on one record, the record key (the parameter naming the record and the record
//! field it matches). `cargo xtask regen` writes it beside `model.yaml` as
//! `paging.resolved.yaml`, which the sandbox serves by; the sandbox guesses none of it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ir::{ActionKind, Crate, Pagination};
use crate::model::{self, Connector, Field, Response};
use crate::paging::{norm, size_param};

/// How one action is served.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// The IR's pagination of the action (absent: it does not page).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// The integer parameter giving the page size, when the action pages and has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// The page size when the request gives none, as the document states it (the
    /// parameter's Default column, else `default N` in its description).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_size: Option<u64>,
    /// For get, update, delete and download: how the record is named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Key>,
}

/// The record an action acts on: `params[param] == record[field]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Key {
    /// The required request parameter, e.g. `task_gid`.
    pub param: String,
    /// The record field it matches, e.g. `gid`.
    pub field: String,
}

/// Every action of `krate` that pages or names a record (entity id -> action name ->
/// [`Resolved`]); `connector` is the model `krate` was lowered from (its parameters give the
/// page size, its Records tables the record fields).
pub fn resolved(
    connector: &Connector,
    krate: &Crate,
) -> BTreeMap<String, BTreeMap<String, Resolved>> {
    let mut out: BTreeMap<String, BTreeMap<String, Resolved>> = BTreeMap::new();
    for lowered in &krate.entities {
        let entity = connector.entities.iter().find(|e| e.id == lowered.wire);
        let fields = entity.map(record_fields).unwrap_or_default();
        for ir in &lowered.actions {
            let params = entity
                .and_then(|e| e.actions.iter().find(|a| a.name == ir.wire))
                .map_or(&[][..], |a| a.params.as_slice());
            let key = match ir.kind {
                ActionKind::Get
                | ActionKind::Update
                | ActionKind::Delete
                | ActionKind::Download => record_key(params, &fields),
                _ => None,
            };
            let size = ir
                .pagination
                .as_ref()
                .and_then(|_| size_param(params));
            if ir.pagination.is_none() && key.is_none() {
                continue;
            }
            out.entry(lowered.wire.clone()).or_default().insert(
                ir.wire.clone(),
                Resolved {
                    pagination: ir.pagination.clone(),
                    size: size.map(|f| f.name.clone()),
                    default_size: size.and_then(default_size),
                    key,
                },
            );
        }
    }
    out
}

/// The names of the entity's record fields: every Records table of its actions.
fn record_fields(entity: &model::Entity) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for action in &entity.actions {
        if let Some(Response::Records { records, .. }) = &action.response {
            for f in records {
                if !names.contains(&f.name.as_str()) {
                    names.push(&f.name);
                }
            }
        }
    }
    names
}

/// The last required parameter that names an identifier field of the record (`id`, `gid`,
/// `task_id`, `ts`, ...; else any field): the field itself (`task_id`), or the field behind a
/// prefix (`task_gid` -> `gid`, `issue_iid` -> `iid`, `taskId` -> `id`; the longest such
/// field). Scope parameters come first in the documents (`project_id`, `issue_iid`), so the
/// last match is the record's own key; values come after it (Slack's `channel`, `ts`, `text`).
fn record_key(params: &[Field], fields: &[&str]) -> Option<Key> {
    let matches: Vec<Key> = params
        .iter()
        .filter(|p| p.required == Some(true))
        .filter_map(|p| {
            let field = if fields.contains(&p.name.as_str()) {
                p.name.as_str()
            } else {
                fields
                    .iter()
                    .filter(|f| behind_prefix(&p.name, f))
                    .max_by_key(|f| f.len())
                    .copied()?
            };
            Some(Key {
                param: p.name.clone(),
                field: field.to_owned(),
            })
        })
        .collect();
    let identifier = |k: &&Key| {
        let f = norm(&k.field);
        f.ends_with("id") || IDENTIFIERS.contains(&f.as_str())
    };
    matches.iter().rfind(identifier).or(matches.last()).cloned()
}

/// Record fields that identify a record besides names ending in `id` (normalised).
const IDENTIFIERS: &[&str] = &["key", "ts", "uuid", "number", "sid", "name"];

/// Whether `param` is `field` after a word prefix: `<prefix>_<field>` or `<prefix><Field>`.
fn behind_prefix(param: &str, field: &str) -> bool {
    let (p, f) = (norm(param), norm(field));
    if f.is_empty() || p.len() <= f.len() || !p.ends_with(&f) {
        return false;
    }
    let at = param.len() - field.len();
    param.is_char_boundary(at)
        && param[at..].eq_ignore_ascii_case(field)
        && (param[..at].ends_with(['_', '-', '.'])
            || param[at..].starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The documented default of a page-size parameter: its Default column, else `default N` in
/// its description (`Maximum results (1-100, default 100).`).
fn default_size(size: &Field) -> Option<u64> {
    if let Some(d) = size.default.as_deref() {
        return d.trim().parse().ok();
    }
    let text = size.description.to_ascii_lowercase();
    let rest = &text[text.find("default")? + "default".len()..];
    let rest = rest
        .trim_start_matches([' ', ':', '='])
        .trim_start_matches("is ");
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, required: bool) -> Field {
        Field {
            name: name.into(),
            ty: model::Type::String { format: None },
            nullable: false,
            required: Some(required),
            default: None,
            description: String::new(),
            line: 1,
            fields: Vec::new(),
        }
    }

    #[test]
    fn the_key_is_the_last_required_parameter_naming_a_record_field() {
        let key = |params: &[Field], fields: &[&str]| {
            record_key(params, fields).map(|k| (k.param, k.field))
        };
        let asana = key(&[param("task_gid", true)], &["gid", "name"]);
        assert_eq!(asana, Some(("task_gid".into(), "gid".into())));
        let acme = key(&[param("task_id", true)], &["task_id", "title"]);
        assert_eq!(acme, Some(("task_id".into(), "task_id".into())));
        let intercom = key(&[param("id", true)], &["id", "email"]);
        assert_eq!(intercom, Some(("id".into(), "id".into())));
        let gitlab = key(
            &[param("project_id", true), param("issue_iid", true)],
            &["id", "iid", "project_id"],
        );
        assert_eq!(gitlab, Some(("issue_iid".into(), "iid".into())));
        let slack = key(
            &[
                param("channel", true),
                param("ts", true),
                param("text", true),
            ],
            &["ts", "channel", "text"],
        );
        assert_eq!(slack, Some(("ts".into(), "ts".into())));
        let camel = key(&[param("taskId", true)], &["id"]);
        assert_eq!(camel, Some(("taskId".into(), "id".into())));
        // `valid` is not `<prefix>_id`; an optional parameter is no key.
        assert_eq!(key(&[param("valid", true)], &["id"]), None);
        assert_eq!(key(&[param("id", false)], &["id"]), None);
    }

    #[test]
    fn default_size_comes_from_the_default_column_or_the_description() {
        let mut p = param("limit", false);
        p.description = "Maximum number of results (1-100, default 100).".into();
        assert_eq!(default_size(&p), Some(100));
        p.description = "Maximum results to return (default: 1000)".into();
        assert_eq!(default_size(&p), Some(1000));
        p.description = "Number of items per page (max 100)".into();
        assert_eq!(default_size(&p), None);
        p.default = Some("25".into());
        assert_eq!(default_size(&p), Some(25));
    }
}
