//! The [`Action`] and [`Paginated`] traits and the page types actions decode into.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::DecodeError;
use crate::paging::{Pages, Paging};
use crate::record::Record;

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
    /// is set, or when the server did not act on the attempt (see
    /// [`RetryPolicy`](crate::RetryPolicy)).
    const IDEMPOTENT: bool;
    /// What a successful call returns; its [`Decode`] impl reads the response body.
    type Output: Decode;
    /// Decodes the HTTP response body of a successful call. The default reads it as
    /// [`Decode`] says for the output type; override it for another envelope.
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
        Self::Output::decode(body)
    }
}

/// How an action's output is read from the body of a successful response, chosen by the
/// output type: [`ListPage`] from the list envelope `{"result": [..], "connector_metadata"}`,
/// [`SearchHits`], [`SearchPage`], a [`Record`](crate::record::Record) or a
/// `serde_json::Value` from `{"result": ..}`, `Bytes` as received (downloads).
pub trait Decode: Sized + Send {
    /// Decodes a response body; the error names the JSON path that failed.
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError>;
}

impl<T, M> Decode for ListPage<T, M>
where
    T: DeserializeOwned + Default + Send,
    M: DeserializeOwned + Default + Send,
{
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        crate::decode::list_page(body)
    }
}

impl<T: DeserializeOwned + Send> Decode for SearchHits<T> {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        crate::decode::search_hits(body)
    }
}

impl<T: DeserializeOwned + Send> Decode for SearchPage<T> {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        crate::decode::search_page(body)
    }
}

impl<T: Record + DeserializeOwned + Send> Decode for T {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        crate::decode::present_record(body)
    }
}

impl Decode for serde_json::Value {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        crate::decode::record(body)
    }
}

impl Decode for bytes::Bytes {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        Ok(body)
    }
}

/// An action whose output comes in pages that follow each other as [`Paging`] says:
/// [`Client::paginate`](crate::Client::paginate) streams the items of all pages.
pub trait Paginated: Action<Output: Pages> + Clone + 'static {
    /// The paging parameter, the metadata members read and the end condition.
    const PAGING: Paging;
}

/// A page of a `list` action: the envelope `{"result": [..], "connector_metadata": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListPage<T, M> {
    /// The records (`result`). A `null` record is a decode error naming its index
    /// (`result[3]`), not dropped.
    pub records: Vec<T>,
    /// The connector metadata (`connector_metadata`, e.g. `next_page`); default when absent.
    pub meta: M,
}

/// The result of a hits-style `search`: `{"hits": [..], "next_cursor", "took_ms"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct SearchHits<T> {
    /// The hits, best first (`null` or absent: none).
    #[serde(default = "Vec::new", deserialize_with = "crate::coerce::null_default")]
    pub hits: Vec<Hit<T>>,
    /// Cursor of the next page, `None` on the last page.
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_cursor: Option<String>,
    /// Server time in milliseconds.
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub took_ms: Option<f64>,
}

/// One search hit: `{"id", "score", "data"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Hit<T> {
    /// The record's id (a number is read as its text; `None` when `null` or absent).
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    /// Relevance score.
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<f64>,
    /// The record (`data`); `None` when the server sent `null` for it, which re-encodes as
    /// `null`. A hit without `data` is a decode error naming it, as absent is not `null`.
    #[serde(deserialize_with = "crate::coerce::null_or")]
    pub data: Option<T>,
}

impl<T> Hit<T> {
    /// The record, unless the server sent `null` for it.
    pub fn record(&self) -> Option<&T> {
        self.data.as_ref()
    }
}

/// The result of a `context_store_search`: `{"data": [..], "meta": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct SearchPage<T> {
    /// The matching records (`null` or absent: none). A `null` record is a decode error
    /// naming its index (`result.data[3]`), not dropped.
    #[serde(default = "Vec::new", deserialize_with = "crate::decode::items")]
    pub data: Vec<T>,
    /// Paging information (`null` or absent: the default, no more pages).
    #[serde(default, deserialize_with = "crate::coerce::null_default")]
    pub meta: SearchMeta,
}

/// Paging information of a [`SearchPage`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchMeta {
    /// Whether more results follow (`null` or absent: no; a `null` never means more pages).
    #[serde(default, deserialize_with = "crate::coerce::bool_or_false")]
    pub has_more: bool,
    /// Cursor of the next page.
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub cursor: Option<String>,
    /// Server time in milliseconds.
    #[serde(
        default,
        deserialize_with = "crate::coerce::option_f64",
        skip_serializing_if = "Option::is_none"
    )]
    pub took_ms: Option<f64>,
}

impl<T> Default for SearchHits<T> {
    fn default() -> Self {
        SearchHits {
            hits: Vec::new(),
            next_cursor: None,
            took_ms: None,
        }
    }
}

impl<T> Default for SearchPage<T> {
    fn default() -> Self {
        SearchPage {
            data: Vec::new(),
            meta: SearchMeta::default(),
        }
    }
}

impl<T> SearchHits<T> {
    /// The records of the hits, dropping ids and scores, and the hits whose `data` was `null`
    /// (which have no record; [`hits`](Self::hits) keeps them).
    pub fn into_records(self) -> Vec<T> {
        self.hits.into_iter().filter_map(|h| h.data).collect()
    }
}

impl<T> SearchPage<T> {
    /// The cursor of the next page: `meta.cursor` when `meta.has_more`, else `None`. `None`
    /// with [`Self::has_more`] means the server announced more results without a usable
    /// cursor (a stream ends with [`ErrorKind::UnusableCursor`](crate::ErrorKind::UnusableCursor)).
    pub fn next_cursor(&self) -> Option<&str> {
        if self.meta.has_more {
            self.meta.cursor.as_deref().filter(|c| !c.is_empty())
        } else {
            None
        }
    }

    /// Whether the server announced more results (`meta.has_more`).
    pub fn has_more(&self) -> bool {
        self.meta.has_more
    }
}
