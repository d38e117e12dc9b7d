//! The intermediate representation: the public API of one generated crate, decided.
//!
//! [`crate::lower`] builds it from a [`model::Connector`](crate::model::Connector) and settles
//! everything once: every Rust name beside its wire name, every Rust type, each action's shape
//! (parameters, required arguments, output, pagination, idempotency), and every doc text
//! (already rustdoc Markdown). Renderers ([`crate::emit`]) only read it and make no decision;
//! other outputs (tool schemas, API diffs, docs) read the same values.
//!
//! Everything is in document order. Type names are unique across the crate, so a name alone
//! says which item it is.

use serde::Serialize;

pub use crate::model::ActionKind;
/// How an action pages and what ends its list: one definition, shared with the sandbox that
/// serves it (`airbyte_resolved`).
pub use airbyte_resolved::{PageEnd, Pagination};

/// One generated crate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crate {
    /// The connector's title as written in the document, e.g. `Intercom` (doc Markdown).
    pub title: String,
    /// The connector client type, e.g. `Intercom`.
    pub connector: String,
    /// Where every action is sent.
    pub endpoint: Endpoint,
    /// Entity modules, in document order.
    pub entities: Vec<Entity>,
    /// The `replication` module: the replication configuration struct and its nested types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication: Option<Vec<TypeDef>>,
}

/// The execute endpoint: `POST {base_url}{path}`, `path_param` replaced by the connector id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub base_url: String,
    pub path: String,
    pub path_param: String,
}

/// One entity: a module with its types, actions and entity handle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    /// Display name (doc Markdown), e.g. `Contacts`.
    pub name: String,
    /// The JSON `entity` value, e.g. `contacts`.
    pub wire: String,
    /// Module name, e.g. `contacts`.
    pub module: String,
    /// Method of the connector client returning the handle, e.g. `contacts`.
    pub accessor: String,
    /// Entity handle type, e.g. `ContactsApi`.
    pub handle: String,
    /// The entity record (the Records tables of its actions merged), e.g. `Contact`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// The dot paths into the nested objects of the entity record's documented fields.
    /// With one path per member of the record (its wire name) they are the functions of the
    /// `paths` module, for `select_fields` / `exclude_fields`, which the record's
    /// declaration writes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<RecordPath>,
    /// Records, enums, metadata and nested parameter types, in the order they are declared.
    pub types: Vec<TypeDef>,
    /// The search index, when the entity has a search action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchIndex>,
    /// Actions in document order.
    pub actions: Vec<Action>,
}

/// One dot path into a nested object of an entity record, a function of its `paths` module.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordPath {
    /// Function name, e.g. `location_city`.
    pub function: String,
    /// The path on the wire, e.g. `location.city`.
    pub wire: String,
    /// Doc Markdown (the field's description).
    pub doc: String,
}

/// A generated type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeDef {
    /// Response data: every field a `Lenient<T>` with an accessor, undocumented members kept.
    Record(Struct),
    /// Request data: required fields plain, optional ones `Option<T>`.
    Params(Struct),
    /// Literal values of a field.
    Enum(Enum),
}

/// A struct and its fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Struct {
    pub name: String,
    /// Doc Markdown.
    pub doc: String,
    pub fields: Vec<Field>,
}

/// A field of a record or params struct.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// Rust name: the field, its accessor (records) or setter (params).
    pub rust: String,
    /// Member name in JSON.
    pub wire: String,
    /// The value's type (in records, inside `Lenient`).
    pub ty: Ty,
    /// Doc Markdown.
    pub doc: String,
    /// A required parameter (a constructor argument); always `false` in records.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// An optional parameter the document allows to be `null` (`string | null`,
    /// `"asc" | "desc" | None`): its tool schema accepts `null`, which the params read as
    /// unset (`None`, left out of the request). Always `false` in records (every record field
    /// keeps `null`) and for required parameters, whose type is [`Ty::Nullable`] then (an
    /// argument `Option<T>`, `None` sent as `null`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
}

/// A Rust type, as far as the generator chooses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ty {
    String,
    /// `i64`.
    Integer,
    /// `f64` (parameters).
    Float,
    /// `serde_json::Number` (records keep the number exactly as received).
    Number,
    Boolean,
    /// `serde_json::Value`: loose, unions, untyped objects.
    Json,
    /// A struct of this crate.
    Struct(String),
    /// An enum of this crate.
    Enum(String),
    /// `Vec<T>`.
    List(Box<Ty>),
    /// A number limited to the listed values, some with a fraction (`0.5 | 1 | 1.5`): `f64`
    /// like [`Ty::Float`] in params, `serde_json::Number` like [`Ty::Number`] in records
    /// (`record`). No Rust enum holds a decimal, so the field's doc lists the values and the
    /// tool schema's `enum` enforces them (`examples` when `open`: other values allowed too).
    NumberIn {
        values: Vec<serde_json::Number>,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        open: bool,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        record: bool,
    },
    /// `Option<T>`: array elements, and required parameters, that may be `null`.
    Nullable(Box<Ty>),
    /// `Query<Marker>`: a search query over the entity's searchable fields.
    Query(String),
    /// `FieldPath<Marker>`: a searchable field path.
    FieldPath(String),
}

/// An enum of literal values; unknown values are kept (`Unknown`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Enum {
    pub name: String,
    /// Doc Markdown.
    pub doc: String,
    pub values: EnumValues,
    /// A parameter's enum whose document allows other values too (`"a" | "b" | any`): the
    /// tool schema names the values without limiting the argument to them. Never set for a
    /// record's enum, which keeps any value received (its `Unknown` variant) either way.
    pub open: bool,
}

/// The variants of an enum: all strings or all integers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EnumValues {
    Str(Vec<Variant<String>>),
    Int(Vec<Variant<i64>>),
}

/// One variant and its wire value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant<T> {
    pub rust: String,
    pub wire: T,
    /// Doc Markdown.
    pub doc: String,
}

/// One action: its params struct, request builder and handle method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub kind: ActionKind,
    /// The JSON `action` value, e.g. `list`.
    pub wire: String,
    /// Heading label, e.g. `List` (doc Markdown).
    pub label: String,
    /// Method of the entity handle, e.g. `list`.
    pub method: String,
    /// Request builder type, e.g. `ListContacts`.
    pub builder: String,
    /// The params struct (its name is `<builder>Params`); required fields are the handle
    /// method's arguments, in order.
    pub params: Struct,
    /// Doc Markdown (the action's description).
    pub doc: String,
    /// What a successful call returns.
    pub output: Output,
    /// Whether retrying is safe (reads).
    pub idempotent: bool,
    /// How its pages follow each other: `None` when it does not page; `stream()` unless
    /// [`Pagination::Unknown`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Search actions: the marker type of the searchable fields (the builder gets `sort`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// The standard search (parameters `query`, `limit`, `cursor`, `fields`, the hits
    /// envelope, cursor paging): the runtime's generic `Search<marker>` and
    /// `SearchParams<marker>` serve it, so no params struct or builder is generated; `builder`
    /// names a type alias.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub standard_search: bool,
    /// Line of the action in the reference document.
    pub line: usize,
}

impl Action {
    /// The required parameters: the handle method's and constructor's arguments, in order.
    pub fn required(&self) -> impl Iterator<Item = &Field> {
        self.params.fields.iter().filter(|f| f.required)
    }
}

/// The output of an action, which also decides how the response body is decoded.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// `ListPage<record, meta>` from `{"result": [..], "connector_metadata": {..}}`.
    ListPage { record: Ty, meta: Ty },
    /// `SearchHits<record>` (`hits`, `next_cursor`, `took_ms`).
    SearchHits { record: String },
    /// `SearchPage<record>` (`data`, `meta`).
    SearchPage { record: String },
    /// One record (or JSON) from `{"result": ..}`.
    Record(Ty),
    /// The raw bytes of a download.
    Bytes,
}

/// The searchable fields of an entity and the types that use them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchIndex {
    /// Marker type of filters, sorts and field paths, e.g. `SearchableContact`.
    pub marker: String,
    /// The record type of search results, e.g. `ContactSearchRecord`: one member per
    /// searchable field, whose declaration writes the module `fields`.
    pub record: String,
    /// One typed field handle per searchable field (module `fields`), in the order of the
    /// record's members.
    pub fields: Vec<FilterField>,
}

/// A typed handle of one searchable field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterField {
    /// Function name in the `fields` module: the search record's member.
    pub function: String,
    /// The field path on the wire.
    pub wire: String,
    /// Which operators it allows.
    pub kind: FilterKind,
    /// Doc Markdown.
    pub doc: String,
}

/// The runtime's field kinds (`airbyte_agent_runtime::filter`), which decide the operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum FilterKind {
    Text,
    Timestamp,
    Integer,
    Number,
    Boolean,
    Json,
}

impl FilterKind {
    /// The runtime type name.
    pub fn type_name(self) -> &'static str {
        match self {
            FilterKind::Text => "Text",
            FilterKind::Timestamp => "Timestamp",
            FilterKind::Integer => "Integer",
            FilterKind::Number => "Number",
            FilterKind::Boolean => "Boolean",
            FilterKind::Json => "Json",
        }
    }
}
