//! Prefetching: [`ahead`] drives a stream of pages up to `depth` pages ahead of its consumer,
//! so that the request for page N+1 is in flight while the consumer works through page N.
//!
//! The page stream runs in a task of its own (`tokio::spawn`) that hands pages over a channel
//! of `depth` slots and reserves a slot *before* it asks for the next page: a page is only
//! requested when there is room for it, so at most `depth + 1` pages are in memory (the one
//! the consumer holds and `depth` waiting or being fetched). Pages arrive in the order the
//! page stream produced them, errors included. Dropping the stream aborts the task, which
//! drops the request in flight (cancelling it). With `depth == 0`, or outside a tokio
//! runtime, the page stream is polled in place: sequential paging.

use std::future::Future as _;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::{Stream, StreamExt};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// `pages`, driven up to `depth` pages ahead of the consumer (see the module documentation).
pub(crate) fn ahead<S>(pages: S, depth: usize) -> Ahead<S>
where
    S: Stream + Send + 'static,
    S::Item: Send + 'static,
{
    Ahead {
        state: State::Idle(Box::pin(pages), depth),
    }
}

/// The stream [`ahead`] returns.
pub(crate) struct Ahead<S: Stream> {
    state: State<S>,
}

enum State<S: Stream> {
    /// Not polled yet: the task starts on the first poll, inside the consumer's runtime.
    Idle(Pin<Box<S>>, usize),
    /// Polled in place (no prefetching).
    InPlace(Pin<Box<S>>),
    /// Driven by a task; pages come through `pages`.
    Ahead {
        pages: mpsc::Receiver<S::Item>,
        task: JoinHandle<()>,
    },
    /// Finished.
    Done,
}

impl<S> Stream for Ahead<S>
where
    S: Stream + Send + 'static,
    S::Item: Send + 'static,
{
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        loop {
            match &mut self.state {
                State::Idle(..) => {
                    let State::Idle(pages, depth) = std::mem::replace(&mut self.state, State::Done)
                    else {
                        unreachable!("matched above")
                    };
                    self.state = match tokio::runtime::Handle::try_current() {
                        Ok(runtime) if depth > 0 => {
                            let (tx, rx) = mpsc::channel(depth);
                            let task = runtime.spawn(produce(pages, tx));
                            State::Ahead { pages: rx, task }
                        }
                        _ => State::InPlace(pages),
                    };
                }
                State::InPlace(pages) => {
                    let next = futures::ready!(pages.poll_next_unpin(cx));
                    if next.is_none() {
                        self.state = State::Done;
                    }
                    return Poll::Ready(next);
                }
                State::Ahead { pages, task } => {
                    if let Some(page) = futures::ready!(pages.poll_recv(cx)) {
                        return Poll::Ready(Some(page));
                    }
                    // The task ended: the page stream is finished, or it panicked, which is
                    // the consumer's panic too.
                    let ended = futures::ready!(Pin::new(task).poll(cx));
                    self.state = State::Done;
                    if let Err(e) = ended {
                        if e.is_panic() {
                            std::panic::resume_unwind(e.into_panic());
                        }
                    }
                    return Poll::Ready(None);
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<S: Stream> Drop for Ahead<S> {
    fn drop(&mut self) {
        if let State::Ahead { task, .. } = &self.state {
            task.abort();
        }
    }
}

/// The prefetching task: one slot reserved, then one page fetched into it, until the page
/// stream ends or the consumer is gone.
async fn produce<S: Stream>(mut pages: Pin<Box<S>>, tx: mpsc::Sender<S::Item>) {
    while let Ok(slot) = tx.reserve().await {
        match pages.next().await {
            Some(page) => slot.send(page),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    /// Pages `0..n`, counting how many were asked for; each takes `delay` to fetch.
    fn pages(
        n: usize,
        delay: Duration,
        asked: Arc<AtomicUsize>,
    ) -> impl Stream<Item = usize> + Send + 'static {
        futures::stream::unfold(0, move |i| {
            let asked = asked.clone();
            async move {
                if i == n {
                    return None;
                }
                asked.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                Some((i, i + 1))
            }
        })
    }

    #[tokio::test]
    async fn pages_come_in_order_and_at_most_depth_are_fetched_ahead() {
        for depth in [0, 1, 3] {
            let asked = Arc::new(AtomicUsize::new(0));
            let mut s = ahead(pages(10, Duration::from_millis(1), asked.clone()), depth);
            assert_eq!(s.next().await, Some(0));
            // The consumer sits on page 0: the task fetches `depth` pages and waits.
            tokio::time::sleep(Duration::from_millis(100)).await;
            assert_eq!(asked.load(Ordering::SeqCst), 1 + depth, "depth {depth}");
            let rest: Vec<usize> = s.collect().await;
            assert_eq!(rest, (1..10).collect::<Vec<_>>(), "depth {depth}");
            assert_eq!(asked.load(Ordering::SeqCst), 10);
        }
    }

    #[tokio::test]
    async fn the_next_page_is_fetched_while_the_consumer_works() {
        let asked = Arc::new(AtomicUsize::new(0));
        let delay = Duration::from_millis(50);
        let started = tokio::time::Instant::now();
        let mut s = ahead(pages(5, delay, asked), 1);
        while s.next().await.is_some() {
            // The consumer's own work on a page, as long as a fetch.
            tokio::time::sleep(delay).await;
        }
        // Sequentially: 5 fetches + 5 pages of work = 500 ms; overlapped: about 300 ms.
        let took = started.elapsed();
        assert!(took < Duration::from_millis(450), "{took:?}");
    }

    /// Sets its flag when dropped.
    struct Dropped(Arc<AtomicBool>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[tokio::test]
    async fn dropping_the_stream_cancels_the_fetch_in_flight() {
        let dropped = Arc::new(AtomicBool::new(false));
        let guard = Dropped(dropped.clone());
        // The first page comes at once, the second never: it is in flight when the consumer
        // drops the stream. The guard lives as long as the page stream.
        let pages = futures::stream::iter([1])
            .chain(futures::stream::pending())
            .map(move |page| {
                let _alive = &guard;
                page
            });
        let mut s = ahead(pages, 1);
        assert_eq!(s.next().await, Some(1));
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!dropped.load(Ordering::SeqCst), "the page stream is alive");
        drop(s);
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(
            dropped.load(Ordering::SeqCst),
            "the task and its page stream are gone"
        );
    }

    #[test]
    fn outside_a_runtime_pages_are_fetched_in_place() {
        let asked = Arc::new(AtomicUsize::new(0));
        let s = ahead(
            futures::stream::iter(0..3).inspect({
                let asked = asked.clone();
                move |_| {
                    asked.fetch_add(1, Ordering::SeqCst);
                }
            }),
            1,
        );
        let all: Vec<usize> = futures::executor::block_on(s.collect());
        assert_eq!(all, [0, 1, 2]);
        assert_eq!(asked.load(Ordering::SeqCst), 3);
    }
}
