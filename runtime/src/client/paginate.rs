//! [`Client::paginate`]: the stream of a paginated action's items, page after page (the
//! position of each next page decided by [`crate::paging`], the next page prefetched by
//! `prefetch`), and the constant-memory detection of servers whose positions go round in a
//! cycle.

use std::marker::PhantomData;

use futures::{Stream, StreamExt};
use serde_json::Value;

use crate::action::{Action, Paginated};
use crate::error::{Error, ErrorKind};
use crate::options::ExecuteOptions;
use crate::paging::{advance, member_path, next_position, Next, Pages, Paging, MAX_EMPTY_PAGES};

use super::Client;

/// The item a paginated action streams.
pub type Item<A> = <<A as Action>::Output as Pages>::Item;

impl Client {
    /// Streams all items of all pages, starting with `first`; holds one page at a time. Each
    /// next request is `first` with only the paging parameter changed (for a next-page URL
    /// with undocumented parameters, those it carries), as [`Paging`](crate::Paging) says
    /// ([`Paginated::PAGING`]). A failed request ends the stream with its error. The stream
    /// ends cleanly only when a page says the list is complete; a page whose paging metadata
    /// cannot be used (more results announced without a cursor, a member of another shape)
    /// ends it with [`ErrorKind::UnusableCursor`], after that page's items. A server whose
    /// positions go round in a cycle ends it with [`ErrorKind::RepeatedCursor`] (after that
    /// page's items, unless they are the page before's records again): a position equal to the one just sent is caught at once, a cycle of
    /// `k` pages entered after `m` pages within `2m + 3k` pages. A next page with the same
    /// records as the one before it (same count, first and last record: a server that ignores
    /// the page number, offset or cursor, even one that gives a new cursor each time) ends it
    /// with [`ErrorKind::RepeatedPage`] before those records are yielded again. A server that answers
    /// [`MAX_EMPTY_PAGES`](crate::MAX_EMPTY_PAGES) (100) pages in a row without items, each
    /// announcing more with a new cursor, ends it with [`ErrorKind::EmptyPages`] (a run of
    /// fewer empty pages is followed: some APIs filter after paging). Memory stays constant
    /// however many pages there are.
    ///
    /// Pages are prefetched: while the consumer takes the items of page N, the request for
    /// page N+1 is in flight ([`ClientBuilder::prefetch_pages`](super::ClientBuilder::prefetch_pages)
    /// pages ahead, default 1, so at most two pages are in memory; never for actions that
    /// write). Items and errors arrive in page order; dropping the stream cancels the request
    /// in flight.
    pub fn paginate<A: Paginated + 'static>(
        &self,
        first: A,
    ) -> impl Stream<Item = Result<Item<A>, Error>> + Send + 'static {
        self.paginate_with(first, ExecuteOptions::default())
    }

    /// [`Client::paginate`], every page requested with `options`.
    pub fn paginate_with<A: Paginated + 'static>(
        &self,
        first: A,
        options: ExecuteOptions,
    ) -> impl Stream<Item = Result<Item<A>, Error>> + Send + 'static {
        let depth = if A::IDEMPOTENT {
            self.inner.prefetch_pages
        } else {
            0
        };
        super::prefetch::ahead(self.pages(first, options), depth).flat_map(|(items, end)| {
            futures::stream::iter(items.into_iter().map(Ok).chain(end.map(Err)))
        })
    }

    /// The pages of a paginated action, one request each: a page's items and the error that
    /// ends the stream after them, if any.
    fn pages<A: Paginated + 'static>(
        &self,
        first: A,
        options: ExecuteOptions,
    ) -> impl Stream<Item = (Vec<Item<A>>, Option<Error>)> + Send + 'static {
        struct State<A: Paginated> {
            client: Client,
            next: Option<Request<A>>,
            cycle: CursorCycle,
            /// The fingerprint of the last non-empty page (see [`fingerprint`]).
            last_page: Option<String>,
            /// The number of pages in a row without items that announced more.
            empty_run: u32,
            options: ExecuteOptions,
        }
        let state = State {
            client: self.clone(),
            next: Some(Request::First(first)),
            cycle: CursorCycle::default(),
            last_page: None,
            empty_run: 0,
            options,
        };
        futures::stream::unfold(state, |mut s| async move {
            let request = s.next.take()?;
            let fetched = match &request {
                Request::First(a) => s.client.execute_with(a, &s.options).await,
                Request::Then(p) => s.client.execute_with(p, &s.options).await,
            };
            let out = match fetched {
                Err(e) => return Some(((Vec::new(), Some(e)), s)),
                Ok(out) => out,
            };
            let params = match request.into_params() {
                Ok(p) => p,
                Err(e) => return Some(((Vec::new(), Some(e)), s)),
            };
            let (items, meta) = out.into_page();
            let paging = A::PAGING;
            let error = |kind| Some(Error::new(kind, None, A::ENTITY, A::ACTION));
            // A server that ignores the paging parameter answers every page with the first
            // one: the same records (count, first and last) on the next page end the stream
            // before they are yielded twice. For page numbers and offsets (positions the
            // client computes, which never repeat) this is the only sign; for positions the
            // server gives, a repeated position is caught first (below, after the page's
            // items, or without them when they are these same records), and this catches a
            // server that mints a new cursor for the same records.
            let print = fingerprint(&items);
            let repeated = print.is_some() && print == s.last_page;
            let repeated_page = || {
                let (param, position) = match paging.param() {
                    Some(p) => (
                        p,
                        params.params.get(p).map_or("null".into(), Value::to_string),
                    ),
                    // The parameters a next-page URL carried: the request's params.
                    None => (paging.member(), params.params.to_string()),
                };
                error(ErrorKind::RepeatedPage {
                    param: param.to_owned(),
                    position,
                })
            };
            let computed = matches!(paging, Paging::Page { .. } | Paging::Offset { .. });
            if repeated && computed {
                return Some(((Vec::new(), repeated_page()), s));
            }
            // An empty page leaves the fingerprint of the records before it.
            if print.is_some() {
                s.last_page = print;
            }
            let next = next_position(
                &paging,
                &params.params,
                items.len(),
                || items.last().and_then(|i| serde_json::to_value(i).ok()),
                &meta,
            );
            let meta_path = <A::Output as Pages>::META;
            let end = match next {
                Next::End => None,
                Next::Unusable {
                    member,
                    reason,
                    value,
                } => error(ErrorKind::UnusableCursor {
                    member: member_path(meta_path, &paging, member),
                    reason,
                    value: value.to_string(),
                }),
                Next::At(position) => {
                    let text = position_text(&position);
                    // The position just sent counts too: the caller's own start cursor
                    // answered again is a repeat at once, not one identical request later.
                    let sent = paging
                        .param()
                        .and_then(|p| params.params.get(p))
                        .map(position_text);
                    s.empty_run = if items.is_empty() { s.empty_run + 1 } else { 0 };
                    if sent.as_deref() == Some(text.as_str()) || s.cycle.repeats(&text) {
                        let end = error(ErrorKind::RepeatedCursor {
                            cursor: text,
                            member: member_path(meta_path, &paging, ""),
                        });
                        // The page before's records again (a server that ignores the cursor
                        // answers its first page and cursor): not yielded twice.
                        if repeated {
                            return Some(((Vec::new(), end), s));
                        }
                        end
                    } else if repeated {
                        return Some(((Vec::new(), repeated_page()), s));
                    } else if s.empty_run >= MAX_EMPTY_PAGES {
                        error(ErrorKind::EmptyPages {
                            pages: s.empty_run,
                            cursor: text,
                            member: member_path(meta_path, &paging, ""),
                        })
                    } else {
                        let mut params = params;
                        advance(&paging, &mut params.params, position);
                        s.next = Some(Request::Then(params));
                        None
                    }
                }
            };
            Some(((items, end), s))
        })
    }
}

/// What identifies a page for the repeated-page check: its count and its first and last
/// items as JSON (two records serialised per page, not the whole page); `None` for an empty
/// page. Two consecutive pages of a server that advances never share all three.
fn fingerprint<T: serde::Serialize>(items: &[T]) -> Option<String> {
    let json = |i: &T| serde_json::to_string(i).unwrap_or_default();
    Some(format!(
        "{} {} {}",
        items.len(),
        json(items.first()?),
        json(items.last()?)
    ))
}

/// A position as the cycle check compares it: a string as itself, anything else as its JSON.
fn position_text(position: &Value) -> String {
    match position {
        Value::String(c) => c.clone(),
        other => other.to_string(),
    }
}

/// The request of a page: the caller's action, or its params as JSON with the paging
/// parameter changed.
enum Request<A> {
    First(A),
    Then(Params<A>),
}

impl<A: Action> Request<A> {
    /// The params as JSON, to read the current position and write the next.
    fn into_params(self) -> Result<Params<A>, Error> {
        match self {
            Request::Then(p) => Ok(p),
            Request::First(a) => match serde_json::to_value(&a) {
                Ok(params) => Ok(Params {
                    params,
                    action: PhantomData,
                }),
                Err(e) => Err(Error::new(
                    ErrorKind::Config {
                        message: format!("cannot serialise the action's params: {e}"),
                    },
                    None,
                    A::ENTITY,
                    A::ACTION,
                )),
            },
        }
    }
}

/// The params of action `A` as JSON: sent as `A` would be, decoded as `A`'s output.
struct Params<A> {
    params: Value,
    action: PhantomData<fn() -> A>,
}

impl<A> serde::Serialize for Params<A> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.params.serialize(s)
    }
}

impl<A: Action> Action for Params<A> {
    const ENTITY: &'static str = A::ENTITY;
    const ACTION: &'static str = A::ACTION;
    const IDEMPOTENT: bool = A::IDEMPOTENT;
    type Output = A::Output;
    fn decode(body: bytes::Bytes) -> Result<Self::Output, crate::DecodeError> {
        A::decode(body)
    }
}

/// Finds a cycle in the sequence of cursors in constant memory: the last cursor (a server
/// repeating itself is caught at once) and, after Brent, one saved cursor replaced after 1, 2,
/// 4, 8, ... further cursors. A sequence that cycles with period `k` meets its saved cursor
/// again once the window has grown past `k`.
#[derive(Debug)]
struct CursorCycle {
    last: Option<String>,
    saved: Option<String>,
    window: u64,
    since_saved: u64,
}

impl Default for CursorCycle {
    fn default() -> Self {
        CursorCycle {
            last: None,
            saved: None,
            window: 1,
            since_saved: 0,
        }
    }
}

impl CursorCycle {
    /// Whether `cursor` shows that the cursors repeat; otherwise records it.
    fn repeats(&mut self, cursor: &str) -> bool {
        if self.last.as_deref() == Some(cursor) || self.saved.as_deref() == Some(cursor) {
            return true;
        }
        self.since_saved += 1;
        if self.since_saved == self.window {
            self.saved = Some(cursor.to_owned());
            self.window *= 2;
            self.since_saved = 0;
        }
        self.last = Some(cursor.to_owned());
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of cursors read before a cycle is reported, or `None`.
    fn pages_until_cycle(cursors: impl IntoIterator<Item = String>) -> Option<usize> {
        let mut cycle = CursorCycle::default();
        cursors.into_iter().position(|c| cycle.repeats(&c))
    }

    #[test]
    fn cursor_cycles_are_found_soon_and_fresh_cursors_never() {
        // A server repeating the cursor it just gave: caught on the first repeat.
        let same = ["a", "b", "b"].map(String::from);
        assert_eq!(pages_until_cycle(same), Some(2));
        // Cycles of every length up to 100, after a tail of 5 fresh cursors: caught within
        // three periods plus twice the tail.
        for period in 1..=100usize {
            let seq = (0..5)
                .map(|i| format!("t{i}"))
                .chain((0..).map(move |i| format!("c{}", i % period)))
                .take(1000);
            let found = pages_until_cycle(seq).expect("a cycle is found");
            assert!(
                found <= 2 * 5 + 3 * period,
                "period {period}: found at {found}"
            );
            assert!(
                found >= 5 + period,
                "period {period}: reported before any repeat"
            );
        }
        // A million distinct cursors: never a cycle.
        assert_eq!(
            pages_until_cycle((0..1_000_000).map(|i| format!("c{i}"))),
            None
        );
    }
}
