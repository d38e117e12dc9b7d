//! The connector model: what a reference document says, independent of Markdown and of Rust.
//!
//! The parser builds it, `model.yaml` stores it for review, the emitter reads it. Field order
//! is document order everywhere; nothing is keyed by name, because documents may repeat names.

use serde::{Deserialize, Serialize};

pub use crate::types::Type;

/// One connector reference document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connector {
    /// Connector name as used by the publisher, e.g. `intercom`, `clickup-api`.
    pub name: String,
    /// Title from the H1, e.g. `Intercom`, `Clickup-Api`.
    pub title: String,
    /// The execute endpoint every action posts to, read from the curl examples.
    pub endpoint: Endpoint,
    /// Entities in document order.
    pub entities: Vec<Entity>,
    /// The `## Replication Configuration` section, when the document has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication: Option<Replication>,
}

/// Where actions are sent: `POST {base_url}{path}` with `path_param` substituted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Endpoint {
    /// Scheme and host, e.g. `https://api.airbyte.ai`.
    pub base_url: String,
    /// Path template with one placeholder, e.g. `/api/v1/connectors/sources/{source_id}/execute`.
    pub path: String,
    /// Name of the placeholder in `path`, e.g. `source_id`.
    pub path_param: String,
}

/// An entity (H2 section), e.g. `Contacts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Display name, e.g. `Internal Articles`.
    pub name: String,
    /// Id used in the JSON body and SDK calls, e.g. `internal_articles`.
    pub id: String,
    /// Actions in document order.
    pub actions: Vec<Action>,
}

/// What an action does, which decides its request and response shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    List,
    Get,
    Create,
    Update,
    Delete,
    /// Answers with bytes rather than records.
    Download,
    /// The provider's own search; shaped like List.
    ApiSearch,
    /// Search over Airbyte's hosted index (`query`, Searchable Fields, a search envelope).
    /// Labelled `Search` in older documents and `Context Store Search` in newer ones.
    Search,
    /// A kind this generator does not know (`authorize`, `sql_select`, whatever comes next):
    /// a generic action with typed params and the result as JSON.
    Other,
}

impl ActionKind {
    /// Whether the action only reads, and so may be retried safely.
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Self::List | Self::Get | Self::ApiSearch | Self::Search | Self::Download
        )
    }
}

/// One action (H3 section), e.g. `Contacts List`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub kind: ActionKind,
    /// Label as written in the heading, e.g. `List`, `Context Store Search`.
    pub label: String,
    /// The JSON `action` value, e.g. `list`, `context_store_search`.
    pub name: String,
    /// Description paragraphs, raw text joined by blank lines.
    pub description: String,
    /// Request parameters in table order; dotted names nested.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<Field>,
    /// Response schema, absent when the document has no `<details>` block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
    /// Line of the action heading (or of the description, when the heading is missing).
    pub line: usize,
}

/// A response schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case", deny_unknown_fields)]
pub enum Response {
    /// `#### Records` (and optionally `#### Meta`).
    Records {
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        records: Vec<Field>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        meta: Vec<Field>,
    },
    /// A search: the searchable fields and the envelope the response comes in.
    Search(Search),
}

/// A search's fields and response envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// Operators named in the `query` parameter's description, in its order.
    pub operators: Vec<String>,
    /// The Searchable Fields table; dotted names here are literal keys.
    pub fields: Vec<Field>,
    pub envelope: SearchEnvelope,
    /// The response table as documented (envelope rows, nested).
    pub response: Vec<Field>,
}

/// How search results come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchEnvelope {
    /// `{hits: [{id, score, data}], next_cursor, took_ms}` (January 2026 documents, the seed).
    Hits,
    /// `{data: [...], meta: {has_more, cursor, took_ms}}` (from February 2026).
    DataMeta,
}

/// A parameter, record field, meta field or searchable field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Name of this segment (the last part of a dotted path), exactly as in the document.
    pub name: String,
    /// Normalised type, without its `null` member.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether the type admitted `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// From the Required column; `None` where the table has no such column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// From the Default column of older configuration tables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Source line of the table row.
    pub line: usize,
    /// Members of this object, or of this array's elements (`a[].b`, or dotted parameters).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<Field>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The `## Replication Configuration` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Replication {
    /// The prose before the table.
    pub description: String,
    pub fields: Vec<Field>,
}
