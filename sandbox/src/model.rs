//! A connector's model as the sandbox reads it: the parts of `spec/<name>/model.yaml` (written
//! by `airbyte-codegen`) that decide what it serves.
//!
//! This is a read-only *view* of the codegen crate's `model::Connector`, not a second
//! definition of it: it names only the members the sandbox uses (entity ids, action kinds and
//! names, parameter names, record fields and their type cells, the search envelope), ignores
//! every other member, and keeps type cells as the text `model.yaml` stores. Depending on
//! `airbyte-codegen` instead would put syn, quote, prettyplease and pulldown-cmark into the
//! dev-dependencies of every application that tests against the sandbox; the model was
//! validated when codegen wrote it, so reading needs no validation of its own. The
//! e2e crate's `sandbox_models` test reads every model codegen writes (Intercom's and the
//! shared corpus) through this view and serves each one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;

use crate::paging::Paged;

/// The model of Intercom, built in (`spec/intercom/model.yaml`).
const INTERCOM: &str = include_str!("../../spec/intercom/model.yaml");

/// The paging codegen settled for Intercom (`spec/intercom/paging.resolved.yaml`).
const INTERCOM_PAGING: &str = include_str!("../../spec/intercom/paging.resolved.yaml");

/// The name of the file beside `model.yaml` in which `cargo xtask regen` writes what its
/// lowering settled for every action (see [`Model::with_paging`]).
pub const PAGING_FILE: &str = airbyte_resolved::FILE_NAME;

/// What the generator settled per action, in the one definition codegen writes it with.
pub use airbyte_resolved::{Key, KeyRule, PageEnd, Pagination, Resolved};

/// One connector: its name and entities.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    /// Connector name as the publisher spells it, e.g. `intercom`.
    pub name: String,
    /// Entities in document order.
    pub entities: Vec<Entity>,
    /// What the generator settled for each action that pages or names a record: entity id ->
    /// action name -> [`Resolved`] (read from [`PAGING_FILE`], see [`Model::with_paging`]). An
    /// action absent here does not page (its list answers every record in one page) and, on
    /// one record, names it by `id`.
    #[serde(skip)]
    pub resolved: BTreeMap<String, BTreeMap<String, Resolved>>,
}

/// The runtime's end condition as the file states it.
fn page_end(end: airbyte_agent_runtime::PageEnd) -> PageEnd {
    use airbyte_agent_runtime::PageEnd as P;
    match end {
        P::Empty => PageEnd::Empty,
        P::Absent(m) => PageEnd::Absent(m.into()),
        P::False(m) => PageEnd::False(m.into()),
        P::True(m) => PageEnd::True(m.into()),
        P::Count(m) => PageEnd::Count(m.into()),
    }
}

/// The runtime's compiled-in paging (a generated action's `PAGING`) as the sandbox serves it.
pub fn pagination(paging: airbyte_agent_runtime::Paging) -> Pagination {
    use airbyte_agent_runtime::Paging as P;
    match paging {
        P::Cursor { param, next, more } => Pagination::Cursor {
            param: param.into(),
            next: next.into(),
            more: more.map(Into::into),
        },
        P::Page { param, first, end } => Pagination::Page {
            param: param.into(),
            size: None,
            first,
            end: page_end(end),
        },
        P::Offset { param } => Pagination::Offset {
            param: param.into(),
            size: None,
        },
        P::LastId {
            param,
            id,
            integer,
            end,
        } => Pagination::LastId {
            param: param.into(),
            id: id.into(),
            integer,
            end: page_end(end),
        },
        P::NextUrl {
            param,
            next,
            integer,
        } => Pagination::NextUrl {
            param: param.into(),
            next: next.into(),
            integer,
        },
        P::NextUrlQuery { next, .. } => Pagination::NextUrlQuery { next: next.into() },
    }
}

/// An entity: the `entity` value of execute requests, and its actions.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Entity {
    /// The JSON `entity` value, e.g. `contacts`.
    pub id: String,
    /// Actions in document order.
    pub actions: Vec<Action>,
}

/// One action of an entity.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Action {
    /// What the action does.
    pub kind: ActionKind,
    /// The JSON `action` value, e.g. `list`, `context_store_search`.
    pub name: String,
    /// Request parameters (nested members under `fields`).
    #[serde(default)]
    pub params: Vec<Field>,
    /// The documented response, when the document has one.
    #[serde(default)]
    pub response: Option<Response>,
}

/// The kinds of action the model distinguishes (`model::ActionKind` in codegen).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// A page of records.
    List,
    /// One record by id.
    Get,
    /// Creates a record.
    Create,
    /// Changes a record.
    Update,
    /// Removes a record.
    Delete,
    /// Answers with bytes.
    Download,
    /// The provider's own search, shaped like `List`.
    ApiSearch,
    /// Search over the hosted index: `query` with a filter, a search envelope.
    Search,
    /// A kind this version of the sandbox does not know; answered with 422.
    #[serde(other)]
    Other,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum Response {
    /// Records (and meta fields).
    Records {
        /// The record fields.
        #[serde(default)]
        records: Vec<Field>,
    },
    /// A search response.
    Search {
        /// The Searchable Fields table (dotted names are literal keys).
        #[serde(default)]
        fields: Vec<Field>,
        /// How results come back.
        envelope: Envelope,
    },
}

/// How search results come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Envelope {
    /// `{hits: [{id, score, data}], next_cursor, took_ms}`.
    Hits,
    /// `{data: [...], meta: {has_more, cursor, took_ms}}`.
    DataMeta,
}

/// A parameter or record field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Field {
    /// Name of the member, as on the wire.
    pub name: String,
    /// The type cell in `model.yaml`'s notation, e.g. `string`, `array<object>`,
    /// `"asc" | "desc"`, `object | any`, `string(date-time)` (without its `null` member).
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether `null` is allowed.
    #[serde(default)]
    pub nullable: bool,
    /// From the Required column (`None` where the table has none).
    #[serde(default)]
    pub required: Option<bool>,
    /// Members of this object, or of this array's elements.
    #[serde(default)]
    pub fields: Vec<Field>,
}

/// A model that could not be read.
#[derive(Debug)]
pub struct ModelError {
    message: String,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ModelError {}

/// Where a request goes: the sandbox's handler for the action's kind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Route {
    /// `list`, `get`, `search` (hits envelope), `context_store_search` (data + meta),
    /// `create`, `update`, `delete` or `download`.
    pub(crate) handler: &'static str,
    /// For an action on one record: how the request names it ([`Key::id`] when the
    /// generator settled none).
    pub(crate) key: Key,
    /// The record field that tells the entity's records apart (see [`Model::key_field`]).
    pub(crate) key_field: Option<String>,
    /// How its pages follow each other (`None`: it does not page).
    pub(crate) paging: Option<Paged>,
    /// The record fields of the entity (what `create` synthesises and overlays).
    pub(crate) fields: Vec<Field>,
    /// The fields of the action's documented Records response (`None`: undocumented).
    pub(crate) output: Option<Vec<Field>>,
}

impl Model {
    /// Intercom's model, built into the sandbox.
    pub fn intercom() -> Model {
        Model::from_yaml("spec/intercom/model.yaml", INTERCOM)
            .and_then(|m| m.with_paging("spec/intercom/paging.resolved.yaml", INTERCOM_PAGING))
            .expect("the built-in Intercom model reads")
    }

    /// This model with what the generator settled (the text of a [`PAGING_FILE`]: entity id ->
    /// action name -> [`Resolved`], the pagination in codegen's IR shape, the page-size
    /// parameter, its documented default and the record key, e.g.
    /// `tasks: {list: {pagination: {style: cursor, param: offset, next: next_offset}, size: limit},
    /// get: {key: {param: task_gid, field: gid}}}`); `file` names it in the error.
    ///
    /// # Errors
    /// When the text is not such a map (message with file, line and column), or names an
    /// entity or action the model does not have.
    pub fn with_paging(mut self, file: &str, text: &str) -> Result<Model, ModelError> {
        let resolved: BTreeMap<String, BTreeMap<String, Resolved>> = if text.trim().is_empty() {
            BTreeMap::new()
        } else {
            serde_yaml::from_str(text).map_err(|e| yaml_error(file, "not a paging map", &e))?
        };
        for (entity, actions) in &resolved {
            for action in actions.keys() {
                if self
                    .entity(entity)
                    .is_none_or(|e| e.actions.iter().all(|a| &a.name != action))
                {
                    return Err(ModelError {
                        message: format!(
                            "{file}: {entity}/{action} is not an action of {}",
                            self.name
                        ),
                    });
                }
            }
        }
        self.resolved = resolved;
        Ok(self)
    }

    /// Reads a `model.yaml` text; `file` names it in the error.
    ///
    /// # Errors
    /// When the text is not YAML or lacks a member the sandbox needs (`name`, `entities`,
    /// an entity's `id` or `actions`, an action's `kind` or `name`, a field's `type`); the
    /// message names the file, line and column.
    pub fn from_yaml(file: &str, text: &str) -> Result<Model, ModelError> {
        serde_yaml::from_str(text).map_err(|e| yaml_error(file, "not a connector model", &e))
    }

    /// Reads a `model.yaml` file and the [`PAGING_FILE`] beside it (without one, no action
    /// pages and records are named by `id`).
    ///
    /// # Errors
    /// When a file cannot be read, or as [`Model::from_yaml`] and [`Model::with_paging`].
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| ModelError {
                message: format!("{}: cannot read: {e}", p.display()),
            })
        };
        let model = Model::from_yaml(&path.display().to_string(), &read(path)?)?;
        let paging = path.with_file_name(PAGING_FILE);
        if !paging.exists() {
            return Ok(model);
        }
        model.with_paging(&paging.display().to_string(), &read(&paging)?)
    }

    /// The entity whose `entity` value is `id`.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.id == id)
    }

    /// The handler for `entity` + `action`, or a 422 message naming what is served.
    pub(crate) fn route(&self, entity: &str, action: &str) -> Result<Route, String> {
        let Some(e) = self.entity(entity) else {
            let ids: Vec<&str> = self.entities.iter().map(|e| e.id.as_str()).collect();
            return Err(format!(
                "unknown entity {entity:?}; {} has: {}",
                self.name,
                ids.join(", ")
            ));
        };
        let Some(a) = e.actions.iter().find(|a| a.name == action) else {
            let names: Vec<&str> = e.actions.iter().map(|a| a.name.as_str()).collect();
            return Err(format!(
                "unknown action {action:?} for {entity}; it has: {}",
                names.join(", ")
            ));
        };
        let handler = match a.kind {
            ActionKind::List | ActionKind::ApiSearch => "list",
            ActionKind::Get => "get",
            ActionKind::Create => "create",
            ActionKind::Update => "update",
            ActionKind::Delete => "delete",
            ActionKind::Download => "download",
            ActionKind::Search => match a.response {
                Some(Response::Search {
                    envelope: Envelope::DataMeta,
                    ..
                }) => "context_store_search",
                _ => "search",
            },
            ActionKind::Other => {
                return Err(format!(
                    "action {action:?} of {entity} is of a kind this sandbox does not serve"
                ))
            }
        };
        let resolved = self.resolved.get(entity).and_then(|m| m.get(action));
        Ok(Route {
            handler,
            key: resolved.and_then(|r| r.key.clone()).unwrap_or_else(Key::id),
            key_field: self.key_field(entity).map(str::to_owned),
            paging: resolved.and_then(|r| {
                Some(Paged {
                    pagination: r.pagination.clone()?,
                    size: r.size.clone(),
                    default_size: r.default_size,
                })
            }),
            fields: e.record_fields().to_vec(),
            output: match &a.response {
                Some(Response::Records { records }) if !records.is_empty() => Some(records.clone()),
                _ => None,
            },
        })
    }

    /// The record field that tells the records of `entity` apart: the key field the generator
    /// settled for its `get` action, else for another of its actions (`None`: it settled
    /// none, records are named by `id`).
    pub fn key_field(&self, entity: &str) -> Option<&str> {
        let actions = self.resolved.get(entity)?;
        let kind = |name: &str| {
            self.entity(entity)
                .and_then(|e| e.actions.iter().find(|a| a.name == name))
                .map(|a| a.kind)
        };
        let keys = || {
            actions
                .iter()
                .filter_map(|(n, r)| Some((n, r.key.as_ref()?.param()?.1)))
        };
        keys()
            .find(|(n, _)| kind(n) == Some(ActionKind::Get))
            .or_else(|| keys().next())
            .map(|(_, field)| field)
    }
}

fn yaml_error(file: &str, what: &str, e: &serde_yaml::Error) -> ModelError {
    let at = e
        .location()
        .map(|l| format!(":{}:{}", l.line(), l.column()))
        .unwrap_or_default();
    ModelError {
        message: format!("{file}{at}: {what}: {e}"),
    }
}

impl Entity {
    /// The fields records of this entity have: those of its `get` response, else of a list
    /// (or provider search) response, else its searchable fields; empty when none is
    /// documented.
    pub fn record_fields(&self) -> &[Field] {
        let records = |kinds: &[ActionKind]| {
            self.actions
                .iter()
                .filter(|a| kinds.contains(&a.kind))
                .find_map(|a| match &a.response {
                    Some(Response::Records { records }) if !records.is_empty() => {
                        Some(records.as_slice())
                    }
                    _ => None,
                })
        };
        records(&[ActionKind::Get])
            .or_else(|| records(&[ActionKind::List, ActionKind::ApiSearch]))
            .or_else(|| {
                self.actions.iter().find_map(|a| match &a.response {
                    Some(Response::Search { fields, .. }) if !fields.is_empty() => {
                        Some(fields.as_slice())
                    }
                    _ => None,
                })
            })
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intercom_model_routes_every_action() {
        let m = Model::intercom();
        assert_eq!(m.name, "intercom");
        let actions: usize = m.entities.iter().map(|e| e.actions.len()).sum();
        assert_eq!(actions, 18);
        assert_eq!(m.route("contacts", "list").unwrap().handler, "list");
        assert_eq!(m.route("contacts", "search").unwrap().handler, "search");
        assert_eq!(m.route("contacts", "get").unwrap().key, Key::id());
        let e = m.route("contacts", "delete").unwrap_err();
        assert!(
            e.contains("\"delete\"") && e.contains("list, get, search"),
            "{e}"
        );
        let e = m.route("widgets", "list").unwrap_err();
        assert!(e.contains("\"widgets\"") && e.contains("contacts"), "{e}");
    }

    #[test]
    fn record_fields_prefer_get_then_list_then_search() {
        let m = Model::intercom();
        let contacts = m.entity("contacts").unwrap();
        assert!(contacts.record_fields().iter().any(|f| f.name == "email"));
    }

    #[test]
    fn errors_name_file_and_line() {
        let text = "name: x\nentities:\n- id: a\n  actions:\n  - name: list\n";
        let e = Model::from_yaml("m.yaml", text).unwrap_err().to_string();
        assert!(e.starts_with("m.yaml:5:"), "{e}");
        assert!(e.contains("kind"), "{e}");
    }
}
