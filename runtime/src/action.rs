//! The [`Action`] and [`Paginated`] traits and the page types actions decode into.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::DecodeError;
use crate::lenient::Lenient;
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
    /// is set.
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
    T: DeserializeOwned + Send,
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
        crate::decode::record_or_empty(body)
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

/// An action that can be sent again with a cursor to get the next page.
pub trait Paginated: Action + Clone {
    /// One item of a page.
    type Item: Send;
    /// The response member that carries the next cursor, as errors name it (e.g.
    /// `connector_metadata.next_page`, `result.meta.cursor`).
    const CURSOR_MEMBER: &'static str;
    /// Splits a page into its items and what it says about the next page.
    fn into_items(output: Self::Output) -> (Vec<Self::Item>, NextPage);
    /// Sets the cursor parameter for the next request.
    fn set_cursor(&mut self, cursor: String);
}

/// What a page says about the next one. [`Client::paginate`](crate::Client::paginate) ends
/// cleanly only on [`NextPage::End`]; on [`NextPage::Unusable`] it yields the page's items and
/// then one [`ErrorKind::UnusableCursor`](crate::ErrorKind::UnusableCursor).
#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// The server says the list is complete.
    End,
    /// The cursor of the next page.
    Cursor(String),
    /// The server announced more results, or sent a next-page member, that gives no usable
    /// cursor: missing, empty, or of another shape.
    Unusable {
        /// Why the cursor cannot be used.
        reason: &'static str,
        /// The member's value as received (`Value::Null` when missing).
        value: serde_json::Value,
    },
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

/// One search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// The record.
    pub data: T,
}

/// The result of a `context_store_search`: `{"data": [..], "meta": {..}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct SearchPage<T> {
    /// The matching records (`null` or absent: none).
    #[serde(default = "Vec::new", deserialize_with = "crate::coerce::null_default")]
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

impl<T, M> ListPage<T, M> {
    /// The records and what the metadata member `next` reads says about the next page:
    /// absent, `null` or `""` is the end (a list envelope has no "more results" flag); a
    /// string is the cursor; an object holding a non-empty string member named `cursor_param`
    /// (the request parameter the cursor is sent in, e.g. `{"page": 2, "starting_after":
    /// "WzE3"}`) gives that cursor; any other shape is [`NextPage::Unusable`], never the end.
    pub fn into_items(
        self,
        cursor_param: &str,
        next: impl FnOnce(M) -> Lenient<String>,
    ) -> (Vec<T>, NextPage) {
        let next = match next(self.meta) {
            Lenient::Absent | Lenient::Null => NextPage::End,
            Lenient::Known(c) if c.is_empty() => NextPage::End,
            Lenient::Known(c) => NextPage::Cursor(c),
            Lenient::Other(v) => match v.get(cursor_param) {
                Some(serde_json::Value::String(c)) if !c.is_empty() => NextPage::Cursor(c.clone()),
                _ => NextPage::Unusable {
                    reason: "the next-page member is not a cursor string",
                    value: *v,
                },
            },
        };
        (self.records, next)
    }
}

impl<T> SearchHits<T> {
    /// The hits and the next page: `next_cursor` when it is a non-empty string, else the end
    /// (a hits envelope has no "more results" flag).
    pub fn into_items(self) -> (Vec<Hit<T>>, NextPage) {
        let next = match self.next_cursor {
            Some(c) if !c.is_empty() => NextPage::Cursor(c),
            _ => NextPage::End,
        };
        (self.hits, next)
    }

    /// The records of the hits, dropping ids and scores.
    pub fn into_records(self) -> Vec<T> {
        self.hits.into_iter().map(|h| h.data).collect()
    }
}

impl<T> SearchPage<T> {
    /// The records and the next page, decided by `meta.has_more`: `false` is the end (a
    /// cursor sent with it is ignored); `true` with a non-empty cursor is that cursor; `true`
    /// without one (missing, `null`, `""`) is [`NextPage::Unusable`].
    pub fn into_items(self) -> (Vec<T>, NextPage) {
        let next = match (self.meta.has_more, self.meta.cursor) {
            (false, _) => NextPage::End,
            (true, Some(c)) if !c.is_empty() => NextPage::Cursor(c),
            (true, Some(c)) => NextPage::Unusable {
                reason: "more results announced, but the cursor is empty",
                value: serde_json::Value::String(c),
            },
            (true, None) => NextPage::Unusable {
                reason: "more results announced, but no cursor given",
                value: serde_json::Value::Null,
            },
        };
        (self.data, next)
    }

    /// The cursor of the next page: `meta.cursor` when `meta.has_more`, else `None`. `None`
    /// with [`Self::has_more`] means the server announced more results without a usable
    /// cursor ([`Self::into_items`] says [`NextPage::Unusable`]).
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
