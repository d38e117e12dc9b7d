//! [`Client::execute_raw`]: any action by name, with untyped params and result, for actions
//! the generated crate does not know yet.

use std::path::Path;

use bytes::Bytes;
use futures::Stream;
use serde_json::Value;

use crate::error::{DecodeError, Error, ErrorKind};
use crate::options::ExecuteOptions;

use super::envelope::raw_request_body;
use super::send::Call;
use super::{read_whole, Client};

/// The actions that only read: a [`RawRequest`] for one of them is retried without
/// [`RetryPolicy::retry_writes`](crate::RetryPolicy::retry_writes).
pub const READ_ACTIONS: &[&str] = &[
    "list",
    "get",
    "search",
    "api_search",
    "context_store_search",
    "download",
];

/// A call of any action by name, made by [`Client::execute_raw`]: the same auth, retries,
/// [`ExecuteOptions`] and typed [`Error`]s as a generated request builder, with params and
/// result as JSON.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest {
    client: Client,
    entity: String,
    action: String,
    params: Value,
    options: ExecuteOptions,
    idempotent: bool,
}

impl Client {
    /// A call of `action` on `entity` with `params` (the body's `params` member; omitted when
    /// `null` or `{}`), for an action the generated crate does not know yet. It is retried
    /// as a read when `action` is one of [`READ_ACTIONS`], else only with
    /// [`RetryPolicy::retry_writes`](crate::RetryPolicy::retry_writes) or
    /// [`RawRequest::idempotent`].
    ///
    /// ```no_run
    /// # async fn run(client: airbyte_agent_runtime::Client) -> Result<(), airbyte_agent_runtime::Error> {
    /// let result = client
    ///     .execute_raw("contacts", "list", serde_json::json!({"per_page": 5}))
    ///     .select_fields(["id", "email"])
    ///     .send()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn execute_raw(
        &self,
        entity: impl Into<String>,
        action: impl Into<String>,
        params: Value,
    ) -> RawRequest {
        let action = action.into();
        RawRequest {
            client: self.clone(),
            idempotent: READ_ACTIONS.contains(&action.as_str()),
            entity: entity.into(),
            action,
            params,
            options: ExecuteOptions::default(),
        }
    }
}

impl RawRequest {
    crate::__execute_option_setters!(options);

    /// Whether sending the call twice does no harm: retried as a read when `true` (the
    /// default follows [`READ_ACTIONS`]).
    pub fn idempotent(mut self, yes: bool) -> Self {
        self.idempotent = yes;
        self
    }

    /// The JSON request body as it will be sent.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`] when the options cannot be sent (an `intent` that is too
    /// long).
    pub fn body(&self) -> Result<Bytes, Error> {
        raw_request_body(
            &self.entity,
            &self.action,
            self.params.clone(),
            &self.options,
            self.client.inner.skip_truncation,
        )
    }

    /// Sends the call and returns the response body's `result` member.
    ///
    /// # Errors
    ///
    /// As [`Client::execute`]; [`ErrorKind::Decode`] when the body is not JSON or has no
    /// `result` member.
    pub async fn send(self) -> Result<Value, Error> {
        self.send_envelope_inner(true).await
    }

    /// Sends the call and returns the whole response body, e.g. a list's
    /// `{"result": [..], "connector_metadata": {"next_page": ..}}`.
    ///
    /// # Errors
    ///
    /// As [`Client::execute`]; [`ErrorKind::Decode`] when the body is not JSON.
    pub async fn send_envelope(self) -> Result<Value, Error> {
        self.send_envelope_inner(false).await
    }

    /// Sends the call and decodes the body as JSON: its `result` member with `result`, else
    /// the whole body.
    async fn send_envelope_inner(self, result: bool) -> Result<Value, Error> {
        let body = self.body()?;
        let call = Call {
            entity: &self.entity,
            action: &self.action,
            idempotent: self.idempotent,
            streaming: false,
        };
        let ((status, bytes), token) = self
            .client
            .send_with_retries(body, call, read_whole)
            .await?;
        let decoded = crate::decode::json::<Value>(&bytes).and_then(|mut envelope| {
            if !result {
                return Ok(envelope);
            }
            match envelope.get_mut("result") {
                Some(result) => Ok(result.take()),
                None => Err(DecodeError::new("result", "missing member", &bytes)),
            }
        });
        decoded.map_err(|e| {
            Error::new(
                ErrorKind::Decode(self.client.redacted(e, &bytes, &token)),
                Some(status),
                self.entity.clone(),
                self.action.clone(),
            )
        })
    }

    /// Streams the response body as it arrives, for a `download` (see
    /// [`Client::download`]).
    pub fn stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send + Unpin + 'static {
        let body = self.body();
        self.client.download_body(
            body,
            self.entity.into(),
            self.action.into(),
            self.idempotent,
        )
    }

    /// Writes the response body to `path` (see [`crate::save_download`]); returns the number
    /// of bytes written.
    ///
    /// # Errors
    ///
    /// As [`RawRequest::stream`], and [`ErrorKind::Io`] when the file cannot be written.
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<u64, Error> {
        let (entity, action) = (self.entity.clone(), self.action.clone());
        crate::save_download(self.stream(), path.as_ref())
            .await
            .map_err(|e| match e.entity() {
                "" => e.with_action(entity, action),
                _ => e,
            })
    }
}
