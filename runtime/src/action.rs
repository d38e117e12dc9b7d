//! The [`Action`] and [`Paginated`] traits and the page types actions decode into.

use serde::{Deserialize, Serialize};

use crate::error::DecodeError;

/// One action of a connector: its struct serialises to the `params` object of the request
/// body `{"entity": ENTITY, "action": ACTION, "params": <self>}` (`params` is omitted when
/// `self` serialises to an empty object).
pub trait Action: Serialize + Send + Sync {
    /// JSON `entity`, e.g. `"contacts"`.
    const ENTITY: &'static str;
    /// JSON `action`, e.g. `"list"`, `"search"`, `"context_store_search"`.
    const ACTION: &'static str;
    /// Whether the action only reads (list/get/search/download): such actions are retried by
    /// default; others only when [`RetryPolicy::retry_writes`](crate::RetryPolicy::retry_writes)
    /// is set.
    const IDEMPOTENT: bool;
    /// What a successful call returns.
    type Output: Send;
    /// Decodes the HTTP response body of a successful call (generated impls call one of the
    /// [`decode`](crate::decode) functions).
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError>;
}

/// An action that can be sent again with a cursor to get the next page.
pub trait Paginated: Action + Clone {
    /// One item of a page.
    type Item: Send;
    /// Splits a page into its items and the cursor of the next page (`None`: last page).
    fn into_items(output: Self::Output) -> (Vec<Self::Item>, Option<String>);
    /// Sets the cursor parameter for the next request.
    fn set_cursor(&mut self, cursor: String);
}

/// A page of a `list` action: the envelope `{"result": [..], "connector_metadata": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListPage<T, M> {
    /// The records (`result`).
    pub records: Vec<T>,
    /// The connector metadata (`connector_metadata`, e.g. `next_page`); default when absent.
    pub meta: M,
}

/// The result of a hits-style `search`: `{"hits": [..], "next_cursor", "took_ms"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHits<T> {
    /// The hits, best first.
    #[serde(default = "Vec::new")]
    pub hits: Vec<Hit<T>>,
    /// Cursor of the next page, `None` on the last page.
    #[serde(
        default,
        deserialize_with = "crate::lenient::option_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<String>,
    /// Server time in milliseconds.
    #[serde(
        default,
        deserialize_with = "crate::lenient::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub took_ms: Option<f64>,
}

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit<T> {
    /// The record's id (a number is read as its text).
    #[serde(deserialize_with = "crate::lenient::string")]
    pub id: String,
    /// Relevance score.
    #[serde(
        default,
        deserialize_with = "crate::lenient::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<f64>,
    /// The record.
    pub data: T,
}

/// The result of a `context_store_search`: `{"data": [..], "meta": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchPage<T> {
    /// The matching records.
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    /// Paging information.
    #[serde(default)]
    pub meta: SearchMeta,
}

/// Paging information of a [`SearchPage`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchMeta {
    /// Whether more results follow.
    #[serde(default, deserialize_with = "crate::lenient::bool")]
    pub has_more: bool,
    /// Cursor of the next page.
    #[serde(
        default,
        deserialize_with = "crate::lenient::option_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cursor: Option<String>,
    /// Server time in milliseconds.
    #[serde(
        default,
        deserialize_with = "crate::lenient::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub took_ms: Option<f64>,
}

impl<T> SearchHits<T> {
    /// The records of the hits, dropping ids and scores.
    pub fn into_records(self) -> Vec<T> {
        self.hits.into_iter().map(|h| h.data).collect()
    }
}

impl<T> SearchPage<T> {
    /// The cursor of the next page: `meta.cursor` when `meta.has_more`, else `None`.
    pub fn next_cursor(&self) -> Option<&str> {
        if self.meta.has_more {
            self.meta.cursor.as_deref()
        } else {
            None
        }
    }
}
