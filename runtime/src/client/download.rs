//! Downloads: [`Client::download`] streams a response body chunk by chunk as it arrives, and
//! [`save_download`] writes such a stream to a file that appears only when it is complete.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use crate::action::Action;
use crate::error::{Error, ErrorKind};
use crate::options::ExecuteOptions;

use super::send::{timeout_error, Call};
use super::{transport_error, Client};

/// How often [`save_download`] reports progress (a `tracing` debug event), in bytes.
const PROGRESS_EVERY: u64 = 16 * 1024 * 1024;

impl Client {
    /// Sends `action` (a `download`) with `options` and streams the response body as it
    /// arrives, never holding more than one chunk: what a download builder's `stream()`
    /// returns. Retries (as the policy allows) happen before the first chunk; a failure after
    /// it ends the stream with that error. The per-attempt timeout bounds the wait for the
    /// response and then for each chunk, not the whole body, so a long download is not cut
    /// while data flows. An error answer (any non-2xx status, e.g. a JSON error body) is the
    /// stream's one item, the same typed [`Error`] as for any other action.
    pub fn download<A: Action + 'static>(
        &self,
        action: A,
        options: ExecuteOptions,
    ) -> impl Stream<Item = Result<Bytes, Error>> + Send + Unpin + 'static {
        let body = self.request_body_with(&action, &options);
        self.download_body(
            body,
            Cow::Borrowed(A::ENTITY),
            Cow::Borrowed(A::ACTION),
            A::IDEMPOTENT,
        )
    }

    /// Streams the response to `body` (already serialised, or the error that prevented it).
    pub(super) fn download_body(
        &self,
        body: Result<Bytes, Error>,
        entity: Cow<'static, str>,
        action: Cow<'static, str>,
        idempotent: bool,
    ) -> impl Stream<Item = Result<Bytes, Error>> + Send + Unpin + 'static {
        let call = DownloadCall {
            entity,
            action,
            idempotent,
        };
        let start = Download::Start(self.clone(), body, call);
        Box::pin(futures::stream::unfold(start, Download::next))
    }
}

/// What a download sends, owned by its stream.
struct DownloadCall {
    entity: Cow<'static, str>,
    action: Cow<'static, str>,
    idempotent: bool,
}

/// The state of a download stream.
enum Download {
    /// Nothing sent yet.
    Start(Client, Result<Bytes, Error>, DownloadCall),
    /// The response head arrived; its body is being read (`Duration`: the per-chunk timeout).
    Body(reqwest::Response, DownloadCall, std::time::Duration),
    /// Finished, or failed (the error was the last item).
    Done,
}

impl Download {
    /// The next chunk and the state after it.
    async fn next(self) -> Option<(Result<Bytes, Error>, Download)> {
        let (mut resp, call, idle) = match self {
            Download::Done => return None,
            Download::Body(resp, call, idle) => (resp, call, idle),
            Download::Start(client, body, call) => {
                let body = match body {
                    Ok(b) => b,
                    Err(e) => return call.fail(e),
                };
                let sent = client
                    .send_with_retries(
                        body,
                        Call {
                            entity: &call.entity,
                            action: &call.action,
                            idempotent: call.idempotent,
                            streaming: true,
                        },
                        |r| async { Ok(r) },
                    )
                    .await;
                match sent {
                    Ok((resp, _token)) => (resp, call, client.inner.timeout),
                    Err(e) => return call.fail(e),
                }
            }
        };
        match tokio::time::timeout(idle, resp.chunk()).await {
            Ok(Ok(Some(chunk))) => Some((Ok(chunk), Download::Body(resp, call, idle))),
            Ok(Ok(None)) => None,
            Ok(Err(e)) => call.fail(transport_error(&e)),
            Err(_) => call.fail(timeout_error(idle)),
        }
    }
}

impl DownloadCall {
    /// The stream's last item: `e`, about this call.
    fn fail(&self, e: Error) -> Option<(Result<Bytes, Error>, Download)> {
        let e = e.with_action(self.entity.clone(), self.action.clone());
        Some((Err(e), Download::Done))
    }
}

/// Writes `chunks` (e.g. a download builder's `stream()`) to `path`: into a temporary file
/// beside it (`.<name>.<pid>-<n>.part`, same directory, so the rename cannot cross file
/// systems), flushed to disk and renamed over `path` only when the stream ended without
/// error. A failed or cancelled download leaves no file behind, neither `path` nor the
/// temporary one, and an existing `path` untouched. Progress is reported through `tracing`:
/// a debug event every 16 MiB and an info event at the end. Returns the number of bytes
/// written.
///
/// # Errors
///
/// The stream's first error, or [`ErrorKind::Io`] when the file cannot be created, written
/// or renamed.
pub async fn save_download<S>(chunks: S, path: &Path) -> Result<u64, Error>
where
    S: Stream<Item = Result<Bytes, Error>>,
{
    let name = path
        .file_name()
        .ok_or_else(|| io_error(path, "the path names no file"))?
        .to_string_lossy()
        .into_owned();
    let temp = path.with_file_name(format!(
        ".{name}.{}-{}.part",
        std::process::id(),
        fastrand::u64(..)
    ));
    let guard = TempFile(Some(temp.clone()));
    let mut file = tokio::fs::File::create(&temp)
        .await
        .map_err(|e| io_error(&temp, e))?;
    let mut chunks = std::pin::pin!(chunks);
    let mut written: u64 = 0;
    let mut reported: u64 = 0;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        file.write_all(&chunk)
            .await
            .map_err(|e| io_error(&temp, e))?;
        written += chunk.len() as u64;
        if written - reported >= PROGRESS_EVERY {
            reported = written;
            tracing::debug!(path = %path.display(), bytes = written, "download progress");
        }
    }
    file.flush().await.map_err(|e| io_error(&temp, e))?;
    file.sync_all().await.map_err(|e| io_error(&temp, e))?;
    drop(file);
    tokio::fs::rename(&temp, path)
        .await
        .map_err(|e| io_error(path, e))?;
    guard.disarm();
    tracing::info!(path = %path.display(), bytes = written, "download saved");
    Ok(written)
}

/// Removes the temporary file of an unfinished download when dropped (error or cancellation).
struct TempFile(Option<PathBuf>);

impl TempFile {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        },
        None,
        "",
        "",
    )
}
