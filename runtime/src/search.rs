//! The standard `search` action, written once for every entity: [`SearchParams`] and its
//! request builder [`Search`], generic over the entity's searchable-fields marker
//! ([`Searchable`]).
//!
//! A reference document's Search action with exactly the standard parameters (`query`,
//! `limit`, `cursor`, `fields`) and the hits envelope (`hits`, `next_cursor`, `took_ms`) is
//! emitted as `pub type SearchContacts = Search<SearchableContact>;`; a search with other
//! parameters gets its own params struct and builder.

use std::fmt;

use futures::Stream;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::filter::{FieldPath, Query, Sort};
use crate::{Action, Client, Error, ExecuteOptions, Hit, Paginated, Paging, SearchHits};

/// The marker type of an entity's searchable fields, naming what its standard `search` sends
/// and returns.
pub trait Searchable: Send + Sync + 'static {
    /// The JSON `entity` of the search request, e.g. `"contacts"`.
    const ENTITY: &'static str;
    /// The record of one hit (the document's Search Records table).
    type Record: DeserializeOwned + Serialize + Clone + Send + Sync + 'static;
}

/// Parameters of an entity's standard `search` action, serialised as the request's
/// `params`: `{"query": {"filter", "sort"}, "limit", "cursor", "fields"}`, unset members
/// omitted.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, bound = "")]
#[non_exhaustive]
pub struct SearchParams<S> {
    /// Filter and sort conditions (operators eq, neq, gt, gte, lt, lte, in, like, fuzzy,
    /// keyword, not, and, or over the entity's searchable fields).
    pub query: Query<S>,
    /// Maximum number of hits to return per page (the server's default when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Cursor of the page to return: the `next_cursor` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The field paths each hit's record keeps (all documented fields when unset).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldPath<S>>>,
}

impl<S> SearchParams<S> {
    /// Parameters sending `query`; the others start unset.
    pub fn new(query: impl Into<Query<S>>) -> Self {
        SearchParams {
            query: query.into(),
            limit: None,
            cursor: None,
            fields: None,
        }
    }
}

impl<S> Clone for SearchParams<S> {
    fn clone(&self) -> Self {
        SearchParams {
            query: self.query.clone(),
            limit: self.limit,
            cursor: self.cursor.clone(),
            fields: self.fields.clone(),
        }
    }
}

impl<S> fmt::Debug for SearchParams<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchParams")
            .field("query", &self.query)
            .field("limit", &self.limit)
            .field("cursor", &self.cursor)
            .field("fields", &self.fields)
            .finish()
    }
}

impl<S> PartialEq for SearchParams<S> {
    fn eq(&self, other: &Self) -> bool {
        self.query == other.query
            && self.limit == other.limit
            && self.cursor == other.cursor
            && self.fields == other.fields
    }
}

impl<S: Searchable> Action for SearchParams<S> {
    const ENTITY: &'static str = S::ENTITY;
    const ACTION: &'static str = "search";
    const IDEMPOTENT: bool = true;
    type Output = SearchHits<S::Record>;
}

impl<S: Searchable> Paginated for SearchParams<S> {
    const PAGING: Paging = Paging::Cursor {
        param: "cursor",
        next: "next_cursor",
        more: None,
    };
}

/// The request builder of an entity's standard `search`: the params, their setters and the
/// execute options, sent with [`send`](Self::send) (one page of hits) or
/// [`stream`](Self::stream) (every hit of every page).
#[must_use = "a request does nothing until it is sent"]
pub struct Search<S> {
    client: Client,
    params: SearchParams<S>,
    options: ExecuteOptions,
}

impl<S> Clone for Search<S> {
    fn clone(&self) -> Self {
        Search {
            client: self.client.clone(),
            params: self.params.clone(),
            options: self.options.clone(),
        }
    }
}

impl<S> fmt::Debug for Search<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Search")
            .field("params", &self.params)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<S: Searchable> Search<S> {
    /// A request sending `params` through `client`.
    pub fn new(client: Client, params: SearchParams<S>) -> Self {
        Search {
            client,
            params,
            options: ExecuteOptions::default(),
        }
    }

    crate::__execute_option_setters!(options);

    /// The maximum number of hits per page (`limit`).
    pub fn limit(mut self, value: impl Into<i64>) -> Self {
        self.params.limit = Some(value.into());
        self
    }

    /// Starts at the page of this cursor (`cursor`, a previous page's `next_cursor`).
    pub fn cursor(mut self, value: impl Into<String>) -> Self {
        self.params.cursor = Some(value.into());
        self
    }

    /// Keeps only these field paths of each hit's record (`fields`), e.g.
    /// `[fields::email().path()]` or plain names.
    pub fn fields(mut self, value: impl IntoIterator<Item = impl Into<FieldPath<S>>>) -> Self {
        self.params.fields = Some(value.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a sort key to the query, e.g. `fields::created_at().desc()`.
    pub fn sort(mut self, sort: Sort<S>) -> Self {
        self.params.query = std::mem::take(&mut self.params.query).sort(sort);
        self
    }

    /// The parameters as they will be sent (the body's `params` member).
    pub fn params(&self) -> &SearchParams<S> {
        &self.params
    }

    /// The parameters, e.g. to send them with another client.
    pub fn into_params(self) -> SearchParams<S> {
        self.params
    }

    /// Sends the request: one POST to the execute endpoint (retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows), decoded into one page of hits.
    ///
    /// # Errors
    ///
    /// [`Error`]: transport, HTTP status, or a body that does not decode.
    pub async fn send(self) -> Result<SearchHits<S::Record>, Error> {
        self.client.execute_with(&self.params, &self.options).await
    }

    /// Streams the hits of this page and of every following page, the next page requested
    /// while this one is consumed (see [`Client::paginate`]); a repeated cursor ends the
    /// stream with an error.
    pub fn stream(self) -> impl Stream<Item = Result<Hit<S::Record>, Error>> + Send + 'static {
        self.client.paginate_with(self.params, self.options)
    }
}
