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
use crate::error::{Error, ErrorKind};
use crate::retry::RetryPolicy;

mod builder;
mod envelope;
mod paginate;
mod prefetch;
mod send;

pub use builder::ClientBuilder;
pub(crate) use envelope::status_kind;
pub(crate) use send::transport_error;

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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("execute_url", &self.inner.execute_url)
            .field("auth", &self.inner.auth)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
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

    /// The JSON request body of `action`: `{"entity", "action", "params"}` (plus
    /// `"skip_truncation": true` when enabled); `params` is omitted when the action
    /// serialises to an empty object.
    pub fn request_body<A: Action>(&self, action: &A) -> Result<Bytes, Error> {
        envelope::request_body(action, self.inner.skip_truncation)
    }

    /// Sends one action, with retries per the policy, and decodes the response.
    pub async fn execute<A: Action>(&self, action: &A) -> Result<A::Output, Error> {
        let body = self.request_body(action)?;
        let (status, bytes) = self
            .send_with_retries(body, A::ENTITY, A::ACTION, A::IDEMPOTENT)
            .await?;
        A::decode(bytes)
            .map_err(|e| Error::new(ErrorKind::Decode(e), Some(status), A::ENTITY, A::ACTION))
    }
}
