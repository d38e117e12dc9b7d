//! How the pages of a paginated action follow each other: the [`Paging`] styles generated code
//! names (parameter and metadata members only), and the one place each style is implemented,
//! `next_position`, which [`Client::paginate`](crate::Client::paginate) calls after every page.
//!
//! Every style keeps the same guarantees: the request of the next page is the previous one
//! with only the paging parameter changed (the caller's page size and filters are sent on
//! every page; [`Paging::NextUrlQuery`] changes the parameters its URL carries); a page whose metadata cannot be read ends the stream with
//! [`ErrorKind::UnusableCursor`](crate::ErrorKind::UnusableCursor), never silently; an empty
//! page ends every style but the cursor styles (whose end the server states).

use serde::Serialize;
use serde_json::Value;

use crate::action::{Hit, ListPage, SearchHits, SearchPage};
use crate::Decode;

/// How many pages in a row may hold no record while announcing more (a cursor or a next-page
/// URL) before [`Client::paginate`](crate::Client::paginate) stops with
/// [`ErrorKind::EmptyPages`](crate::ErrorKind::EmptyPages): a server answering each page
/// with a new cursor and nothing else would otherwise be followed forever. Some APIs filter
/// after paging and so answer a few empty pages before the next records; a run of 100 is far
/// past them, and costs 100 requests of a broken server.
pub const MAX_EMPTY_PAGES: u32 = 100;

/// How the pages of an action follow each other. Members are read by their JSON names from
/// the page's metadata (for a list, the envelope's `connector_metadata`); `param` is the
/// JSON name of the request parameter the position is sent in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// A cursor or token: the metadata member `next` holds the value of `param` for the
    /// next page (a string, or an object holding a string member named `param`, e.g.
    /// `{"offset": "eyJ..", "path": ".."}`). Absent, `null` or `""` is the end; when `more`
    /// is given, that boolean member decides: `false` is the end, `true` without a cursor
    /// is an error.
    Cursor {
        /// Request parameter, e.g. `start_cursor`.
        param: &'static str,
        /// Metadata member with the next cursor, e.g. `next_cursor`.
        next: &'static str,
        /// Boolean metadata member saying whether more pages follow, e.g. `has_more`.
        more: Option<&'static str>,
    },
    /// A page number in `param`: the next page asks for the current number plus one (the
    /// current one is the request's, else `first`, the server's first page).
    Page {
        /// Request parameter, e.g. `page`.
        param: &'static str,
        /// The number of the first page (0 or 1), used when the request names no page.
        first: i64,
        /// When the list ends, besides an empty page.
        end: PageEnd,
    },
    /// A row offset in `param`, advanced by the number of records received; an empty page
    /// is the end.
    Offset {
        /// Request parameter, e.g. `offset`, `startRow`.
        param: &'static str,
    },
    /// The last record's `id` member, sent in `param` (e.g. `since_id`).
    LastId {
        /// Request parameter, e.g. `since_id`.
        param: &'static str,
        /// Member of a record holding its id, e.g. `id`.
        id: &'static str,
        /// Whether `param` takes an integer (an id received as a string of digits is sent
        /// as a number) or a string (a numeric id is sent as its text).
        integer: bool,
        /// When the list ends, besides an empty page.
        end: PageEnd,
    },
    /// A next-page URL in the metadata member `next`; the value of `param` for the next page
    /// is read from its query string (a value without a query string is taken as the value
    /// itself). Absent, `null` or `""` is the end.
    NextUrl {
        /// Request parameter the URL carries, e.g. `page[cursor]`, `start_time`.
        param: &'static str,
        /// Metadata member with the URL, e.g. `next_page_url`.
        next: &'static str,
        /// Whether `param` takes an integer (the query value is parsed).
        integer: bool,
    },
    /// A next-page URL in the metadata member `next` whose query carries parameters the
    /// action does not document (Twilio's `Page` and `PageToken`, Shopify's `page_info`,
    /// Zendesk's `page`). The next request is the caller's documented parameters (those named
    /// in `documented`: page size, filters, path ids) plus every other query parameter of the
    /// URL, as the strings the query holds (a name repeated in the query: an array of them),
    /// sent as params for the execute API to pass on to the vendor. Absent, `null` or `""` is
    /// the end; a URL without a query parameter beyond the documented ones is unusable. Should
    /// the undocumented parameters not reach the vendor, it answers the same page with the same
    /// URL, and the stream ends with [`ErrorKind::RepeatedCursor`](crate::ErrorKind::RepeatedCursor).
    NextUrlQuery {
        /// Metadata member with the URL, e.g. `next_page_uri`.
        next: &'static str,
        /// JSON names of the action's documented parameters, kept from the caller's request
        /// (the URL's values for them are not read).
        documented: &'static [&'static str],
    },
}

/// What ends a paged list besides an empty page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageEnd {
    /// Only an empty page.
    Empty,
    /// The member is absent, `null` or `""` (e.g. `next`).
    Absent(&'static str),
    /// The boolean member is `false` (e.g. `more_records`).
    False(&'static str),
    /// The boolean member is `true` (e.g. `last_page`).
    True(&'static str),
    /// The integer member (the number of pages, e.g. `page_count`) has been reached.
    Count(&'static str),
}

impl Paging {
    /// The request parameter the position is sent in; `None` for [`Paging::NextUrlQuery`],
    /// whose position is the set of parameters its URL carries.
    pub fn param(&self) -> Option<&'static str> {
        match *self {
            Paging::Cursor { param, .. }
            | Paging::Page { param, .. }
            | Paging::Offset { param }
            | Paging::LastId { param, .. }
            | Paging::NextUrl { param, .. } => Some(param),
            Paging::NextUrlQuery { .. } => None,
        }
    }

    /// The member errors name: the one holding the next position (or the end condition).
    pub(crate) fn member(&self) -> &'static str {
        match *self {
            Paging::Cursor { next, .. }
            | Paging::NextUrl { next, .. }
            | Paging::NextUrlQuery { next, .. } => next,
            Paging::Page { end, .. } | Paging::LastId { end, .. } => end.member().unwrap_or(""),
            Paging::Offset { .. } => "",
        }
    }
}

impl PageEnd {
    fn member(&self) -> Option<&'static str> {
        match *self {
            PageEnd::Empty => None,
            PageEnd::Absent(m) | PageEnd::False(m) | PageEnd::True(m) | PageEnd::Count(m) => {
                Some(m)
            }
        }
    }
}

/// An output that comes in pages: its items and its metadata as JSON.
pub trait Pages: Decode {
    /// One item of the stream.
    type Item: Send + Serialize + 'static;
    /// Where the metadata sits in the response, as errors name it, e.g. `connector_metadata`.
    const META: &'static str;
    /// The items of the page and its metadata (`Value::Null` when there is none).
    fn into_page(self) -> (Vec<Self::Item>, Value);
}

impl<T, M> Pages for ListPage<T, M>
where
    T: Send + Serialize + 'static,
    Self: Decode,
    M: Serialize,
{
    type Item = T;
    const META: &'static str = "connector_metadata";
    fn into_page(self) -> (Vec<T>, Value) {
        // Records and `Value` serialise to the JSON they were read from.
        let meta = serde_json::to_value(&self.meta).unwrap_or(Value::Null);
        (self.records, meta)
    }
}

impl<T: Send + Serialize + 'static> Pages for SearchHits<T>
where
    Self: Decode,
{
    type Item = Hit<T>;
    const META: &'static str = "result";
    fn into_page(self) -> (Vec<Hit<T>>, Value) {
        let meta = serde_json::json!({ "next_cursor": self.next_cursor });
        (self.hits, meta)
    }
}

impl<T: Send + Serialize + 'static> Pages for SearchPage<T>
where
    Self: Decode,
{
    type Item = T;
    const META: &'static str = "result.meta";
    fn into_page(self) -> (Vec<T>, Value) {
        let meta = serde_json::to_value(&self.meta).unwrap_or(Value::Null);
        (self.data, meta)
    }
}

/// What a page says about the next one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Next {
    /// The list is complete.
    End,
    /// The value of the paging parameter for the next page (for [`Paging::NextUrlQuery`], an
    /// object of the parameters the URL carries); see [`advance`].
    At(Value),
    /// The metadata cannot be read: the member that failed (without the envelope prefix),
    /// why, and its value as received.
    Unusable {
        member: &'static str,
        reason: String,
        value: Value,
    },
}

/// The next position after a page: `params` is the request that fetched it (a JSON object),
/// `count` its number of items, `last` its last item (as JSON, read only by
/// [`Paging::LastId`]) and `meta` its metadata.
pub(crate) fn next_position(
    paging: &Paging,
    params: &Value,
    count: usize,
    last: impl FnOnce() -> Option<Value>,
    meta: &Value,
) -> Next {
    let member = |name: &str| meta.get(name).unwrap_or(&Value::Null);
    // An empty page ends a list that counts pages, rows or records; a cursor or a next-page
    // URL says itself whether more follow.
    let counted = matches!(
        paging,
        Paging::Page { .. } | Paging::Offset { .. } | Paging::LastId { .. }
    );
    if counted && count == 0 {
        return Next::End;
    }
    match *paging {
        Paging::Cursor { param, next, more } => after_cursor(param, next, more, member),
        Paging::Page { param, first, end } => after_page(params, meta, param, first, end),
        Paging::Offset { param } => {
            let current = params.get(param).and_then(Value::as_i64).unwrap_or(0);
            Next::At(Value::from(current.saturating_add(count as i64)))
        }
        Paging::LastId {
            id, integer, end, ..
        } => after_last_id(last, meta, id, integer, end),
        Paging::NextUrl {
            param,
            next,
            integer,
        } => after_next_url(member(next), next, param, integer),
        Paging::NextUrlQuery { next, documented } => {
            after_next_url_query(member(next), next, documented)
        }
    }
}

/// [`Next::Unusable`] for `member`'s `value`, saying why.
fn unusable(member: &'static str, reason: String, value: &Value) -> Next {
    Next::Unusable {
        member,
        reason,
        value: value.clone(),
    }
}

/// [`Paging::Cursor`]: the `next` member's cursor (a string, or an object carrying `param`),
/// unless the `more` member says the list is complete.
fn after_cursor<'m>(
    param: &str,
    next: &'static str,
    more: Option<&'static str>,
    member: impl Fn(&str) -> &'m Value,
) -> Next {
    let more = match more.map(|m| (m, member(m))) {
        None | Some((_, Value::Null)) => None,
        Some((_, Value::Bool(b))) => Some(*b),
        Some((m, other)) => {
            return unusable(m, "the more-results member is not a boolean".into(), other)
        }
    };
    if more == Some(false) {
        return Next::End;
    }
    let value = member(next);
    match value {
        Value::String(c) if !c.is_empty() => Next::At(Value::String(c.clone())),
        Value::Object(o) => match o.get(param) {
            Some(Value::String(c)) if !c.is_empty() => Next::At(Value::String(c.clone())),
            _ => unusable(
                next,
                format!("the next-page object has no `{param}` cursor string"),
                value,
            ),
        },
        Value::Null => match more {
            Some(true) => unusable(
                next,
                "more results announced, but no cursor given".into(),
                value,
            ),
            _ => Next::End,
        },
        Value::String(_) => match more {
            Some(true) => unusable(
                next,
                "more results announced, but the cursor is empty".into(),
                value,
            ),
            _ => Next::End,
        },
        _ => unusable(
            next,
            "the next-page member is not a cursor string".into(),
            value,
        ),
    }
}

/// [`Paging::Page`]: the page number after the request's (`first` when it had none), unless
/// `end` holds.
fn after_page(params: &Value, meta: &Value, param: &'static str, first: i64, end: PageEnd) -> Next {
    let current = match params.get(param) {
        None | Some(Value::Null) => first,
        Some(v) => match v.as_i64() {
            Some(n) => n,
            None => return unusable(param, "the page parameter is not an integer".into(), v),
        },
    };
    match ended(end, meta, current - first + 1) {
        Ok(true) => Next::End,
        Ok(false) => Next::At(Value::from(current + 1)),
        Err((m, reason, v)) => unusable(m, reason, &v),
    }
}

/// [`Paging::LastId`]: the last record's `id`, unless `end` holds.
fn after_last_id(
    last: impl FnOnce() -> Option<Value>,
    meta: &Value,
    id: &'static str,
    integer: bool,
    end: PageEnd,
) -> Next {
    match ended(end, meta, 0) {
        Ok(true) => return Next::End,
        Ok(false) => {}
        Err((m, reason, v)) => return unusable(m, reason, &v),
    }
    let value = last()
        .and_then(|r| r.get(id).cloned())
        .unwrap_or(Value::Null);
    match typed(&value, integer) {
        Some(v) => Next::At(v),
        None => unusable(
            id,
            format!("the last record's `{id}` is not an id to continue after"),
            &value,
        ),
    }
}

/// [`Paging::NextUrl`]: the `param` of the next-page URL in member `next` (`value`), or the
/// value itself when a connector gives it bare.
fn after_next_url(value: &Value, next: &'static str, param: &str, integer: bool) -> Next {
    let url = match next_url(value) {
        Ok(Some(url)) => url,
        Ok(None) => return Next::End,
        Err(reason) => return unusable(next, reason, value),
    };
    let found = match url.split_once('?') {
        Some((_, query)) => query_pairs(query)
            .find(|(k, _)| k == param)
            .map(|(_, v)| v.into_owned()),
        // A bare value (a connector that unwraps the link) is the value itself.
        None if !url.contains("://") && !url.starts_with('/') => Some(url.to_owned()),
        None => None,
    };
    match found.and_then(|v| typed(&Value::String(v), integer)) {
        Some(v) => Next::At(v),
        None => unusable(
            next,
            format!("the next-page URL carries no usable `{param}`"),
            value,
        ),
    }
}

/// [`Paging::NextUrlQuery`]: the query parameters of the next-page URL in member `next`
/// (`value`) other than the `documented` ones, a repeated name as an array of its values.
fn after_next_url_query(value: &Value, next: &'static str, documented: &[&str]) -> Next {
    let url = match next_url(value) {
        Ok(Some(url)) => url,
        Ok(None) => return Next::End,
        Err(reason) => return unusable(next, reason, value),
    };
    let mut carried = serde_json::Map::new();
    let query = url.split_once('?').map_or("", |(_, q)| q);
    for (k, v) in query_pairs(query) {
        if documented.contains(&k.as_ref()) {
            continue;
        }
        let v = Value::String(v.into_owned());
        match carried.get_mut(k.as_ref()) {
            None => {
                carried.insert(k.into_owned(), v);
            }
            Some(Value::Array(all)) => all.push(v),
            Some(first) => *first = Value::Array(vec![first.take(), v]),
        }
    }
    if carried.is_empty() {
        return unusable(
            next,
            "the next-page URL carries no query parameter beyond the documented ones".into(),
            value,
        );
    }
    Next::At(Value::Object(carried))
}

/// The request after `params` at `position` (what [`next_position`] returned): the paging
/// parameter set to it, or for [`Paging::NextUrlQuery`] the documented parameters of
/// `params` and the parameters of the position.
pub(crate) fn advance(paging: &Paging, params: &mut Value, position: Value) {
    if !params.is_object() {
        *params = Value::Object(serde_json::Map::new());
    }
    let Value::Object(map) = params else {
        return;
    };
    match (*paging, position) {
        (Paging::NextUrlQuery { documented, .. }, Value::Object(carried)) => {
            map.retain(|k, _| documented.contains(&k.as_str()));
            map.extend(carried);
        }
        (paging, position) => {
            if let Some(param) = paging.param() {
                map.insert(param.to_owned(), position);
            }
        }
    }
}

/// The URL in a next-page member: `None` at the end (absent, `null`, `""`), or why the value
/// is not one.
fn next_url(value: &Value) -> Result<Option<&str>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err("the next-page URL is not a string".into()),
    }
}

/// The decoded name-value pairs of a URL's query string (without its `#fragment`).
fn query_pairs(query: &str) -> form_urlencoded::Parse<'_> {
    let query = query.split('#').next().unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
}

/// Whether the end condition holds after page number `seen` (1 for the first page read).
fn ended(end: PageEnd, meta: &Value, seen: i64) -> Result<bool, (&'static str, String, Value)> {
    let get = |m: &str| meta.get(m).cloned().unwrap_or(Value::Null);
    match end {
        PageEnd::Empty => Ok(false),
        PageEnd::Absent(m) => Ok(match get(m) {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            _ => false,
        }),
        PageEnd::False(m) | PageEnd::True(m) => match get(m) {
            // Not said: an empty page will end the list.
            Value::Null => Ok(false),
            Value::Bool(b) => Ok(b == matches!(end, PageEnd::True(_))),
            other => Err((m, "the end-of-list member is not a boolean".into(), other)),
        },
        PageEnd::Count(m) => match get(m) {
            Value::Null => Ok(false),
            v => match v.as_i64() {
                Some(pages) => Ok(seen >= pages),
                None => Err((m, "the page count is not an integer".into(), v)),
            },
        },
    }
}

/// `value` as the paging parameter takes it, or `None` when it cannot be (a non-numeric id
/// for an integer parameter, an empty string, another shape).
fn typed(value: &Value, integer: bool) -> Option<Value> {
    match (value, integer) {
        (Value::Number(n), true) if n.is_i64() || n.is_u64() => Some(value.clone()),
        (Value::Number(n), false) => Some(Value::String(n.to_string())),
        (Value::String(s), true) => s.parse::<i64>().ok().map(Value::from),
        (Value::String(s), false) if !s.is_empty() => Some(value.clone()),
        _ => None,
    }
}

/// The member an error names, e.g. `connector_metadata.next_page`, or `result[-1].id` for
/// the last record's id.
pub(crate) fn member_path(meta: &str, paging: &Paging, member: &str) -> String {
    if let Paging::LastId { id, .. } = paging {
        if member == *id {
            // A member of the last record, not of the metadata.
            return format!("result[-1].{id}");
        }
    }
    let member = if member.is_empty() {
        paging.member()
    } else {
        member
    };
    if member.is_empty() {
        meta.to_owned()
    } else {
        format!("{meta}.{member}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn next(paging: Paging, params: Value, count: usize, meta: Value) -> Next {
        next_position(&paging, &params, count, || Some(json!({"id": 42})), &meta)
    }

    #[test]
    fn cursor_reads_strings_objects_and_the_more_flag() {
        let c = Paging::Cursor {
            param: "start_cursor",
            next: "next_cursor",
            more: Some("has_more"),
        };
        let at = |s: &str| Next::At(json!(s));
        assert_eq!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": "b", "has_more": true})
            ),
            at("b")
        );
        assert_eq!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": "b", "has_more": false})
            ),
            Next::End
        );
        assert_eq!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": null, "has_more": false})
            ),
            Next::End
        );
        assert!(matches!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": null, "has_more": true})
            ),
            Next::Unusable {
                member: "next_cursor",
                ..
            }
        ));
        assert!(matches!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": "", "has_more": true})
            ),
            Next::Unusable { .. }
        ));
        assert!(matches!(
            next(
                c,
                json!({}),
                2,
                json!({"next_cursor": "b", "has_more": "yes"})
            ),
            Next::Unusable {
                member: "has_more",
                ..
            }
        ));
        let plain = Paging::Cursor {
            param: "offset",
            next: "next_page",
            more: None,
        };
        assert_eq!(
            next(
                plain,
                json!({}),
                1,
                json!({"next_page": {"offset": "x", "path": "/p"}})
            ),
            at("x")
        );
        assert_eq!(next(plain, json!({}), 1, json!({})), Next::End);
        assert_eq!(
            next(plain, json!({}), 1, json!({"next_page": ""})),
            Next::End
        );
        assert!(matches!(
            next(plain, json!({}), 1, json!({"next_page": 2})),
            Next::Unusable { .. }
        ));
        assert!(matches!(
            next(plain, json!({}), 1, json!({"next_page": {"page": 2}})),
            Next::Unusable { .. }
        ));
    }

    #[test]
    fn page_numbers_advance_and_end_on_each_condition() {
        let page = |end| Paging::Page {
            param: "page",
            first: 1,
            end,
        };
        let p = page(PageEnd::Absent("next"));
        assert_eq!(
            next(p, json!({}), 3, json!({"next": "https://x/?page=2"})),
            Next::At(json!(2))
        );
        assert_eq!(
            next(p, json!({"page": 4}), 3, json!({"next": "u"})),
            Next::At(json!(5))
        );
        assert_eq!(
            next(p, json!({"page": 4}), 3, json!({"next": null})),
            Next::End
        );
        assert_eq!(
            next(p, json!({"page": 4}), 0, json!({"next": "u"})),
            Next::End
        );
        let more = page(PageEnd::False("more_records"));
        assert_eq!(
            next(more, json!({}), 3, json!({"more_records": false})),
            Next::End
        );
        assert_eq!(
            next(more, json!({}), 3, json!({"more_records": true})),
            Next::At(json!(2))
        );
        assert_eq!(next(more, json!({}), 3, json!({})), Next::At(json!(2)));
        assert!(matches!(
            next(more, json!({}), 3, json!({"more_records": 1})),
            Next::Unusable { .. }
        ));
        let last = Paging::Page {
            param: "page",
            first: 0,
            end: PageEnd::True("last_page"),
        };
        assert_eq!(
            next(last, json!({}), 3, json!({"last_page": false})),
            Next::At(json!(1))
        );
        assert_eq!(
            next(last, json!({}), 3, json!({"last_page": true})),
            Next::End
        );
        let count = page(PageEnd::Count("page_count"));
        assert_eq!(
            next(count, json!({"page": 2}), 3, json!({"page_count": 3})),
            Next::At(json!(3))
        );
        assert_eq!(
            next(count, json!({"page": 3}), 3, json!({"page_count": 3})),
            Next::End
        );
        let empty = page(PageEnd::Empty);
        assert_eq!(
            next(empty, json!({"page": 9}), 1, json!(null)),
            Next::At(json!(10))
        );
        assert_eq!(next(empty, json!({"page": 9}), 0, json!(null)), Next::End);
    }

    #[test]
    fn offsets_advance_by_the_records_received() {
        let o = Paging::Offset { param: "startRow" };
        assert_eq!(
            next(o, json!({"rowLimit": 5}), 5, json!(null)),
            Next::At(json!(5))
        );
        assert_eq!(
            next(o, json!({"startRow": 5}), 3, json!(null)),
            Next::At(json!(8))
        );
        assert_eq!(next(o, json!({"startRow": 8}), 0, json!(null)), Next::End);
    }

    #[test]
    fn last_ids_are_typed_as_the_parameter() {
        let l = |integer| Paging::LastId {
            param: "since_id",
            id: "id",
            integer,
            end: PageEnd::Empty,
        };
        assert_eq!(
            next(l(true), json!({}), 2, json!(null)),
            Next::At(json!(42))
        );
        assert_eq!(
            next(l(false), json!({}), 2, json!(null)),
            Next::At(json!("42"))
        );
        assert_eq!(next(l(true), json!({}), 0, json!(null)), Next::End);
        let missing = next_position(&l(true), &json!({}), 2, || Some(json!({})), &json!(null));
        assert!(matches!(missing, Next::Unusable { member: "id", .. }));
        let more = Paging::LastId {
            param: "starting_after",
            id: "id",
            integer: false,
            end: PageEnd::False("has_more"),
        };
        assert_eq!(
            next(more, json!({}), 2, json!({"has_more": false})),
            Next::End
        );
    }

    #[test]
    fn next_urls_carry_the_parameter_in_their_query() {
        let u = Paging::NextUrl {
            param: "page[cursor]",
            next: "next",
            integer: false,
        };
        let url = "https://a.example.com/api/profiles/?page%5Bsize%5D=2&page%5Bcursor%5D=bm9%3D";
        assert_eq!(
            next(u, json!({}), 2, json!({ "next": url })),
            Next::At(json!("bm9="))
        );
        assert_eq!(
            next(u, json!({}), 2, json!({"next": "bare-token"})),
            Next::At(json!("bare-token"))
        );
        assert_eq!(next(u, json!({}), 2, json!({"next": null})), Next::End);
        assert!(matches!(
            next(u, json!({}), 2, json!({"next": "https://x/?other=1"})),
            Next::Unusable { member: "next", .. }
        ));
        let t = Paging::NextUrl {
            param: "start_time",
            next: "next_page",
            integer: true,
        };
        assert_eq!(
            next(
                t,
                json!({}),
                2,
                json!({"next_page": "/api/v2/calls.json?start_time=1700"})
            ),
            Next::At(json!(1700))
        );
    }
    #[test]
    fn next_url_queries_carry_the_undocumented_parameters() {
        let q = Paging::NextUrlQuery {
            next: "next_page_uri",
            documented: &["PageSize", "AccountSid"],
        };
        let uri = "/2010-04-01/Accounts/AC1/Calls.json?PageSize=50&Page=1&PageToken=PA%2Bx#top";
        let at = next(q, json!({}), 2, json!({ "next_page_uri": uri }));
        assert_eq!(at, Next::At(json!({"Page": "1", "PageToken": "PA+x"})));
        // Repeated names are kept as a list; documented ones are never read from the URL.
        assert_eq!(
            next(
                q,
                json!({}),
                2,
                json!({"next_page_uri": "https://x/?a=1&PageSize=9&a=2&a=3"})
            ),
            Next::At(json!({"a": ["1", "2", "3"]}))
        );
        for end in [
            json!({}),
            json!({"next_page_uri": null}),
            json!({"next_page_uri": ""}),
        ] {
            assert_eq!(next(q, json!({}), 2, end), Next::End);
        }
        for bad in [
            json!({"next_page_uri": "https://x/calls?PageSize=50"}),
            json!({"next_page_uri": "https://x/calls"}),
            json!({"next_page_uri": 2}),
        ] {
            assert!(
                matches!(
                    next(q, json!({}), 2, bad.clone()),
                    Next::Unusable {
                        member: "next_page_uri",
                        ..
                    }
                ),
                "{bad}"
            );
        }
        // The next request: the caller's documented parameters and the URL's others; the
        // previous URL's parameters go.
        let mut params = json!({"PageSize": 3, "AccountSid": "AC1", "Page": "1", "PageToken": "a"});
        advance(&q, &mut params, json!({"Page": "2", "Extra": "e"}));
        assert_eq!(
            params,
            json!({"PageSize": 3, "AccountSid": "AC1", "Page": "2", "Extra": "e"})
        );
        let mut params = json!({"per_page": 3});
        advance(
            &Paging::Page {
                param: "page",
                first: 1,
                end: PageEnd::Empty,
            },
            &mut params,
            json!(2),
        );
        assert_eq!(params, json!({"per_page": 3, "page": 2}));
    }
}
