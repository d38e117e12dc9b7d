//! [`Client`]: the configured handle on the execute API, and [`Client::execute`], which sends
//! one action and decodes its output.
//!
//! The parts live in submodules, one job each: [`ClientBuilder`] and its configuration in
//! `builder`, the request body and the status -> error mapping in `envelope`, the attempt and
//! retry loop in `send`, the page stream of [`Client::paginate`] in `paginate`, and the
//! prefetching of its next page in `prefetch`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::action::Action;
use crate::auth::Auth;
use crate::error::{DecodeError, Error, ErrorKind};
use crate::options::ExecuteOptions;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

use send::Call;

mod builder;
mod download;
mod envelope;
mod paginate;
mod prefetch;
mod raw;
mod send;

pub use builder::ClientBuilder;
pub use download::save_download;
pub(crate) use envelope::status_kind;
pub use raw::{RawRequest, READ_ACTIONS};
pub(crate) use send::{
    read_capped, redirect_message, retry_after, transport_error, ERROR_BODY_CAP,
};

/// A client of the execute API. Cheap to clone (shared state behind an `Arc`); its `Debug`
/// shows no secrets.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// The settings a [`ClientBuilder`] resolved, shared by every clone of a [`Client`].
struct Inner {
    http: reqwest::Client,
    execute_url: String,
    auth: Auth,
    retry: RetryPolicy,
    timeout: Duration,
    skip_truncation: bool,
    /// Pages a stream fetches ahead of its consumer.
    prefetch_pages: usize,
    organization_id: Option<reqwest::header::HeaderValue>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("execute_url", &self.inner.execute_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("organization_id", &self.inner.organization_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with every setting at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The full execute URL (connector id substituted).
    pub fn execute_url(&self) -> &str {
        &self.inner.execute_url
    }

    /// How many pages a stream fetches ahead of its consumer (0: none, each page is
    /// requested when the previous one is used up).
    pub fn prefetch_pages(&self) -> usize {
        self.inner.prefetch_pages
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The JSON request body of `action`: `{"entity", "action", "params", "skip_truncation"}`
    /// (`skip_truncation` as the client is configured, `true` by default); `params` is
    /// omitted when the action serialises to an empty object.
    pub fn request_body<A: Action>(&self, action: &A) -> Result<Bytes, Error> {
        self.request_body_with(action, &ExecuteOptions::default())
    }

    /// The JSON request body of `action` with `options` (see [`ExecuteOptions`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when the options cannot be sent (an `intent` longer than
    /// [`MAX_INTENT_CHARS`](crate::MAX_INTENT_CHARS)); [`ErrorKind::Config`] when the params
    /// do not serialise.
    pub fn request_body_with<A: Action>(
        &self,
        action: &A,
        options: &ExecuteOptions,
    ) -> Result<Bytes, Error> {
        envelope::request_body(action, options, self.inner.skip_truncation)
    }

    /// Sends one action, with retries per the policy, and decodes the response.
    pub async fn execute<A: Action>(&self, action: &A) -> Result<A::Output, Error> {
        self.execute_with(action, &ExecuteOptions::default()).await
    }

    /// Sends one action with `options` (what the request builders' option setters collect),
    /// with retries per the policy, and decodes the response.
    pub async fn execute_with<A: Action>(
        &self,
        action: &A,
        options: &ExecuteOptions,
    ) -> Result<A::Output, Error> {
        let body = self.request_body_with(action, options)?;
        let call = Call {
            entity: A::ENTITY,
            action: A::ACTION,
            idempotent: A::IDEMPOTENT,
            streaming: false,
        };
        let ((status, bytes), token) = self.send_with_retries(body, call, read_whole).await?;
        A::decode(bytes.clone()).map_err(|e| {
            let kind = if crate::decode::is_null_result(&e) {
                ErrorKind::NotFound {
                    message: "the execute API answered `\"result\": null` (no record)".into(),
                }
            } else {
                ErrorKind::Decode(self.redacted(e, &bytes, &token))
            };
            Error::new(kind, Some(status), A::ENTITY, A::ACTION)
        })
    }

    /// `e`, the decode error of the success body `body` (sent with `token`), without the
    /// secrets a server may echo in it (see [`crate::secret::redact`]): its path, message
    /// and the body's start, cut from the redacted body so that no prefix of a secret is
    /// left at the cut. Only a body that failed to decode is searched.
    fn redacted(&self, e: DecodeError, body: &[u8], token: &Secret) -> DecodeError {
        let mut secrets = self.inner.auth.secrets();
        secrets.push(token.expose());
        let text = |s: &str| {
            let out = crate::secret::redact(s.as_bytes(), &secrets);
            String::from_utf8_lossy(&out).into_owned()
        };
        let body_start = if e.body_start == crate::error::body_start(body) {
            crate::error::body_start(&crate::secret::redact(body, &secrets))
        } else {
            // A decoder's own choice of text: what it holds is redacted.
            text(&e.body_start)
        };
        DecodeError {
            path: text(&e.path),
            message: text(&e.message),
            body_start,
        }
    }
}

/// Reads a successful response whole: its status and body.
async fn read_whole(resp: reqwest::Response) -> Result<(u16, Bytes), Error> {
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.map_err(|e| transport_error(&e))?;
    Ok((status, bytes))
}
