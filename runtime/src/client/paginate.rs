//! [`Client::paginate`]: the stream of a paginated action's items, page after page (prefetched
//! by `prefetch`), and the constant-memory detection of servers whose cursors go round in a
//! cycle.

use futures::{Stream, StreamExt};

use crate::action::{NextPage, Paginated};
use crate::error::{Error, ErrorKind};
use crate::options::ExecuteOptions;

use super::Client;

impl Client {
    /// Streams all items of all pages, starting with `first`. A failed request ends the
    /// stream with its error. The stream ends cleanly only when a page says the list is
    /// complete ([`NextPage::End`]); a page that announces more results without a usable
    /// cursor ends it with [`ErrorKind::UnusableCursor`], after that page's items. A server
    /// whose cursors go round in a cycle ends it with [`ErrorKind::RepeatedCursor`] (after
    /// that page's items): a cursor equal to the one just returned is caught at once, a cycle
    /// of `k` pages entered after `m` pages within `2m + 3k` pages. Memory stays constant
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
    ) -> impl Stream<Item = Result<A::Item, Error>> + Send + 'static {
        self.paginate_with(first, ExecuteOptions::default())
    }

    /// [`Client::paginate`], every page requested with `options`.
    pub fn paginate_with<A: Paginated + 'static>(
        &self,
        first: A,
        options: ExecuteOptions,
    ) -> impl Stream<Item = Result<A::Item, Error>> + Send + 'static {
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
    ) -> impl Stream<Item = (Vec<A::Item>, Option<Error>)> + Send + 'static {
        struct State<A: Paginated> {
            client: Client,
            next: Option<A>,
            cycle: CursorCycle,
            options: ExecuteOptions,
        }
        let state = State {
            client: self.clone(),
            next: Some(first),
            cycle: CursorCycle::default(),
            options,
        };
        futures::stream::unfold(state, |mut s| async move {
            let action = s.next.take()?;
            let out = match s.client.execute_with(&action, &s.options).await {
                Err(e) => return Some(((Vec::new(), Some(e)), s)),
                Ok(out) => out,
            };
            let (items, next) = A::into_items(out);
            let error = |kind| Some(Error::new(kind, None, A::ENTITY, A::ACTION));
            let end = match next {
                NextPage::End => None,
                NextPage::Unusable { reason, value } => error(ErrorKind::UnusableCursor {
                    member: A::CURSOR_MEMBER.to_owned(),
                    reason: reason.to_owned(),
                    value: value.to_string(),
                }),
                NextPage::Cursor(c) if c.is_empty() => error(ErrorKind::UnusableCursor {
                    member: A::CURSOR_MEMBER.to_owned(),
                    reason: "the cursor is empty".to_owned(),
                    value: "\"\"".to_owned(),
                }),
                NextPage::Cursor(c) if s.cycle.repeats(&c) => error(ErrorKind::RepeatedCursor {
                    cursor: c,
                    member: A::CURSOR_MEMBER.to_owned(),
                }),
                NextPage::Cursor(c) => {
                    let mut next = action;
                    next.set_cursor(c);
                    s.next = Some(next);
                    None
                }
            };
            Some(((items, end), s))
        })
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
