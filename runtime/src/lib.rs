//! Runtime for generated Airbyte agent-connector SDKs.
//!
//! Generated crates are data plus thin impls; the machinery lives here:
//!
//! * [`Action`] describes one action (entity, action name, params, output); [`Client::execute`]
//!   sends any of them and [`Client::paginate`] streams the items of a [`Paginated`] one.
//! * [`decode`] turns the execute API's envelopes into [`ListPage`], [`SearchHits`],
//!   [`SearchPage`] or a record (chosen by the output type, [`Decode`]); [`record`](mod@record) decodes
//!   generated record structs (documented members into [`Lenient`] fields, the rest kept in
//!   `extra`), [`Plain`] is what their accessors return, and [`raw`] keeps JSON members as
//!   the text received until they are read ([`LazyValue`], [`Extra`]).
//! * [`actions!`] (an entity handle with its actions, through [`handle!`] and [`request!`]),
//!   [`record!`], [`string_enum!`] and [`int_enum!`] carry what every generated request
//!   builder, entity handle, record and enum has in common.
//! * [`filter`] is the typed search DSL and its local evaluation.
//! * [`Error`] is the one error type; [`RetryPolicy`] says when requests are sent again;
//!   [`Secret`] keeps tokens out of logs.
//!
//! The crate's README describes the behaviour in full: request envelope, configuration,
//! auth and token refresh, retries, error mapping, pagination, tracing and search semantics.
//!
//! ```no_run
//! use airbyte_agent_runtime::{Action, Client, DecodeError, ListPage};
//! use serde::Serialize;
//!
//! #[derive(Serialize)]
//! struct ListContacts {
//!     #[serde(skip_serializing_if = "Option::is_none")]
//!     per_page: Option<u32>,
//! }
//!
//! impl Action for ListContacts {
//!     const ENTITY: &'static str = "contacts";
//!     const ACTION: &'static str = "list";
//!     const IDEMPOTENT: bool = true;
//!     type Output = ListPage<serde_json::Value, serde_json::Value>;
//!     fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
//!         airbyte_agent_runtime::decode::list_page(body)
//!     }
//! }
//!
//! # async fn run() -> Result<(), airbyte_agent_runtime::Error> {
//! let client = Client::builder()
//!     .from_env() // AIRBYTE_BASE_URL, AIRBYTE_TOKEN, AIRBYTE_CONNECTOR_ID, ...
//!     .build()?;
//! let page = client.execute(&ListContacts { per_page: Some(10) }).await?;
//! println!("{} contacts", page.records.len());
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod action;
mod auth;
mod client;
pub mod coerce;
pub mod decode;
pub mod enums;
mod error;
pub mod filter;
mod handle;
pub mod lenient;
mod options;
pub mod paging;
pub mod raw;
pub mod record;
mod request;
mod retry;
pub mod search;
mod secret;
pub mod tools;

pub use action::{Action, Decode, Hit, ListPage, Paginated, SearchHits, SearchMeta, SearchPage};
pub use auth::TOKEN_PATH;
pub use client::{save_download, Client, ClientBuilder, RawRequest, READ_ACTIONS};
/// The string type of record members documented as strings: a string of up to 24 bytes is
/// kept inline (no allocation), a longer one on the heap; it dereferences to `str`, and a
/// record's accessor hands it out as `&str`. From the `compact_str` crate.
pub use compact_str::CompactString;
pub use enums::StringEnum;
pub use error::{body_start, server_message, DecodeError, Error, ErrorItem, ErrorKind};
pub use filter::{Field, Filter};
pub use lenient::{Lenient, Plain};
pub use options::{ExecuteOptions, FieldPath, MAX_INTENT_CHARS};
pub use paging::{PageEnd, Pages, Paging, MAX_EMPTY_PAGES};
pub use raw::{Extra, LazyValue};
pub use retry::{parse_retry_after, RetryPolicy, RETRY_AFTER_SATURATED};
pub use search::{Search, SearchParams, Searchable};
pub use secret::Secret;
pub use tools::{ToolDefinition, ToolError, ToolErrorKind, ToolOutput, Toolbox};

/// Re-exports used by the macros and by generated crates (not a stable API).
#[doc(hidden)]
pub mod __private {
    pub use crate::record::{same_accessor, SameAccessor};
    pub use bytes;
    pub use futures;
    pub use serde;
    pub use serde_json;
}
