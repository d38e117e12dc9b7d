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

use std::fmt;
use std::path::Path;

use serde::Deserialize;

/// The model of Intercom, built in (`spec/intercom/model.yaml`).
const INTERCOM: &str = include_str!("../../spec/intercom/model.yaml");

/// One connector: its name and entities.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    /// Connector name as the publisher spells it, e.g. `intercom`.
    pub name: String,
    /// Entities in document order.
    pub entities: Vec<Entity>,
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Route {
    /// `list`, `get`, `search` (hits envelope), `context_store_search` (data + meta),
    /// `create`, `update`, `delete` or `download`.
    pub(crate) handler: &'static str,
    /// For `get`, `update` and `delete`: the parameter that carries the record id.
    pub(crate) id_param: String,
}

impl Model {
    /// Intercom's model, built into the sandbox.
    pub fn intercom() -> Model {
        Model::from_yaml("spec/intercom/model.yaml", INTERCOM)
            .expect("the built-in Intercom model reads")
    }

    /// Reads a `model.yaml` text; `file` names it in the error.
    ///
    /// # Errors
    /// When the text is not YAML or lacks a member the sandbox needs (`name`, `entities`,
    /// an entity's `id` or `actions`, an action's `kind` or `name`, a field's `type`); the
    /// message names the file, line and column.
    pub fn from_yaml(file: &str, text: &str) -> Result<Model, ModelError> {
        serde_yaml::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(":{}:{}", l.line(), l.column()))
                .unwrap_or_default();
            ModelError {
                message: format!("{file}{at}: not a connector model: {e}"),
            }
        })
    }

    /// Reads a `model.yaml` file.
    ///
    /// # Errors
    /// When the file cannot be read, or as [`Model::from_yaml`].
    pub fn load(path: impl AsRef<Path>) -> Result<Model, ModelError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ModelError {
            message: format!("{}: cannot read: {e}", path.display()),
        })?;
        Model::from_yaml(&path.display().to_string(), &text)
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
        Ok(Route {
            handler,
            id_param: a.id_param().to_owned(),
        })
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

impl Action {
    /// The parameter that names the record: `id` when there is one, else the first required
    /// parameter whose name ends in `id`, else `id`.
    pub fn id_param(&self) -> &str {
        if self.params.iter().any(|p| p.name == "id") {
            return "id";
        }
        self.params
            .iter()
            .find(|p| p.required == Some(true) && p.name.to_ascii_lowercase().ends_with("id"))
            .map_or("id", |p| p.name.as_str())
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
        assert_eq!(m.route("contacts", "get").unwrap().id_param, "id");
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

    #[test]
    fn id_param_falls_back_to_a_required_id_parameter() {
        let text = "name: x\nentities:\n- id: tasks\n  actions:\n  - kind: get\n    name: get\n    params:\n    - name: workspace\n      type: string\n      required: true\n    - name: task_id\n      type: string\n      required: true\n";
        let m = Model::from_yaml("m.yaml", text).unwrap();
        let route = m.route("tasks", "get").unwrap();
        assert_eq!(route.id_param, "task_id");
    }
}
