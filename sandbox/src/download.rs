//! The `download` action: any entity answers it with a deterministic body of
//! [`SandboxConfig::download_size`] bytes (byte `i` is [`download_byte`]`(i)`), generated
//! chunk by chunk as the client reads, so a 1 GiB download costs the sandbox no more memory
//! than a small one. The params' `range_header` (e.g. `bytes=0-99`) selects a part, as the
//! documents' download actions take it. [`Fault::Truncated`] breaks the body off half-way
//! (the connection closes before the announced `Content-Length`).
//!
//! The request handler plans the answer ([`plan`]) as an ordinary response carrying a
//! [`Planned`] extension; [`body`] turns it into the streaming body when it is sent.

use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{Either, Full};
use hyper::body::{Body, Frame, SizeHint};
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::Response;
use serde_json::Value;

use crate::{error, Fault, SandboxConfig};

/// Bytes per chunk of a download body.
const CHUNK: usize = 64 * 1024;
/// The period of the download content.
const PERIOD: u64 = 251;

/// Byte `i` of every sandbox download.
pub fn download_byte(i: u64) -> u8 {
    (i % PERIOD) as u8
}

/// The body type of every sandbox response: a buffered one, or a download streamed as read.
pub(crate) type SandboxBody = Either<Full<Bytes>, DownloadBody>;

/// A planned download: the byte range to send, and where to break off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Planned {
    start: u64,
    end: u64,
    fail_at: Option<u64>,
}

/// The answer to a `download` call with `params`: a 200 response planned for [`body`], or a
/// 416 error body for an unreadable range.
pub(crate) fn plan(
    config: &SandboxConfig,
    params: &Value,
    fault: Option<&Fault>,
) -> Response<Full<Bytes>> {
    let size = config.download_size;
    let (start, end) = match params.get("range_header").and_then(Value::as_str) {
        None => (0, size),
        Some(range) => match parse_range(range, size) {
            Some(r) => r,
            None => return error(416, &format!("unsatisfiable range {range:?}")),
        },
    };
    let fail_at = matches!(fault, Some(Fault::Truncated)).then(|| start + (end - start) / 2);
    let mut r = Response::new(Full::new(Bytes::new()));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    r.headers_mut()
        .insert(CONTENT_LENGTH, HeaderValue::from(end - start));
    r.extensions_mut().insert(Planned {
        start,
        end,
        fail_at,
    });
    r
}

/// `bytes=a-b` (inclusive), `bytes=a-` or `bytes=-n` within `size`, as `start..end`.
fn parse_range(range: &str, size: u64) -> Option<(u64, u64)> {
    let spec = range.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: u64 = n.parse().ok()?;
            (size.saturating_sub(n), size)
        }
        (a, "") => (a.parse().ok()?, size),
        (a, b) => (
            a.parse().ok()?,
            b.parse::<u64>().ok()?.saturating_add(1).min(size),
        ),
    };
    (start < end).then_some((start, end))
}

/// The response as sent: a planned download gets its streaming body, others keep theirs.
pub(crate) fn body(r: Response<Full<Bytes>>) -> Response<SandboxBody> {
    match r.extensions().get::<Planned>().copied() {
        Some(p) => r.map(|_| {
            Either::Right(DownloadBody {
                next: p.start,
                end: p.end,
                fail_at: p.fail_at,
            })
        }),
        None => r.map(Either::Left),
    }
}

/// A download body, generated chunk by chunk from the content's period (each chunk a slice
/// of one shared buffer: nothing is copied or held).
#[derive(Debug)]
pub(crate) struct DownloadBody {
    next: u64,
    end: u64,
    fail_at: Option<u64>,
}

/// `PERIOD + CHUNK` bytes of the content from offset 0: every chunk is a slice of it.
fn pattern() -> &'static Bytes {
    static PATTERN: OnceLock<Bytes> = OnceLock::new();
    PATTERN.get_or_init(|| {
        (0..PERIOD + CHUNK as u64)
            .map(download_byte)
            .collect::<Vec<u8>>()
            .into()
    })
}

impl Body for DownloadBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let stop = self.fail_at.unwrap_or(self.end).min(self.end);
        if self.next >= stop {
            if self.fail_at.is_some() && self.next < self.end {
                self.next = self.end;
                return Poll::Ready(Some(Err(std::io::Error::other(
                    "scripted fault: download broken off",
                ))));
            }
            return Poll::Ready(None);
        }
        let n = (stop - self.next).min(CHUNK as u64) as usize;
        let at = (self.next % PERIOD) as usize;
        self.next += n as u64;
        Poll::Ready(Some(Ok(Frame::data(pattern().slice(at..at + n)))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= self.end
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.end.saturating_sub(self.next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some((0, 100)));
        assert_eq!(parse_range("bytes=900-", 1000), Some((900, 1000)));
        assert_eq!(parse_range("bytes=-10", 1000), Some((990, 1000)));
        assert_eq!(parse_range("bytes=990-5000", 1000), Some((990, 1000)));
        assert_eq!(parse_range("bytes=5-4", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
    }

    #[test]
    fn chunks_follow_the_content() {
        let mut b = DownloadBody {
            next: 7,
            end: 7 + CHUNK as u64 + 3,
            fail_at: None,
        };
        let mut cx = Context::from_waker(std::task::Waker::noop());
        let mut seen = 7u64;
        while let Poll::Ready(Some(frame)) = Pin::new(&mut b).poll_frame(&mut cx) {
            let data = frame.unwrap().into_data().unwrap();
            for byte in data.iter() {
                assert_eq!(*byte, download_byte(seen));
                seen += 1;
            }
        }
        assert_eq!(seen, 7 + CHUNK as u64 + 3);
    }
}
