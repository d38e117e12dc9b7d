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

use serde::{Deserialize, Serialize};

pub use crate::model::ActionKind;

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

/// How the pages of an action follow each other, as [`crate::paging`] infers it from the
/// parameters and the page metadata. Parameters and members are JSON names; the runtime's
/// `Paging` implements each style once and the generated code only names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "style", rename_all = "snake_case", deny_unknown_fields)]
pub enum Pagination {
    /// A cursor or token: member `next` (a string, or an object holding `param`) is sent in
    /// `param`; `more`, when given, is the boolean member saying whether pages follow.
    Cursor {
        param: String,
        next: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        more: Option<String>,
    },
    /// A page number in `param`, from `first`; `size` is the page-size parameter.
    Page {
        param: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<String>,
        first: i64,
        end: PageEnd,
    },
    /// A row offset in `param`, advanced by the records received; ends on an empty page.
    Offset {
        param: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        size: Option<String>,
    },
    /// The last record's `id` member sent in `param` (an integer parameter when `integer`).
    LastId {
        param: String,
        id: String,
        integer: bool,
        end: PageEnd,
    },
    /// A next-page URL in member `next`; `param` is read from its query string.
    NextUrl {
        param: String,
        next: String,
        integer: bool,
    },
    /// A next-page URL in member `next` whose query carries only parameters the action does
    /// not document: they are sent as params beside the caller's documented ones (the
    /// action's own parameters, which the emitter lists for the runtime).
    NextUrlQuery { next: String },
    /// The action pages, but how could not be inferred (no `stream()`): why, for review.
    Unknown { reason: String },
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

    /// The style's name, e.g. `cursor`, `next_url`.
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
    /// The number of pages in the member has been read.
    Count(String),
}

impl PageEnd {
    fn summary(&self) -> String {
        match self {
            PageEnd::Empty => "an empty page".into(),
            PageEnd::Absent(m) => format!("{m} is absent"),
            PageEnd::False(m) => format!("{m} is false"),
            PageEnd::True(m) => format!("{m} is true"),
            PageEnd::Count(m) => format!("{m} pages are read"),
        }
    }
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
