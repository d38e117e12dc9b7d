//! Sending a request body: one attempt (token, POST, status) and the retry loop around it
//! (per-attempt timeout within the deadline, one token refresh after a 401, backoff or
//! `Retry-After`, a tracing span per attempt).

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use tracing::Instrument;

use crate::auth::bearer_header;
use crate::error::{server_message_and_detail, Error, ErrorKind};
use crate::retry::parse_retry_after;
use crate::secret::Secret;

use super::envelope::status_kind;
use super::Client;

/// An attempt's failure, with the token it used (to invalidate it after a 401).
struct AttemptError {
    error: Error,
    token: Option<Secret>,
}

impl Client {
    /// Sends `body` until it succeeds or the policy gives up; returns the status and body of
    /// the successful response.
    pub(super) async fn send_with_retries(
        &self,
        body: Bytes,
        entity: &'static str,
        action: &'static str,
        idempotent: bool,
    ) -> Result<(u16, Bytes), Error> {
        let policy = &self.inner.retry;
        let started = Instant::now();
        let mut attempt: u32 = 0;
        let mut refreshed = false;
        loop {
            attempt += 1;
            // Each attempt gets the per-attempt timeout, cut to what is left of the deadline.
            let timeout = match policy.deadline {
                Some(d) => self.inner.timeout.min(d.saturating_sub(started.elapsed())),
                None => self.inner.timeout,
            }
            .max(Duration::from_millis(1));
            let span = tracing::info_span!(
                "airbyte.request",
                entity,
                action,
                attempt,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let result = self
                .attempt(body.clone(), timeout, &span)
                .instrument(span.clone())
                .await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let (err, token) = match result {
                Ok(ok) => return Ok(ok),
                Err(AttemptError { error, token }) => (error.with_action(entity, action), token),
            };
            // A 401 with an exchanged token: exchange again once (not counted as a retry).
            if err.status() == Some(401) && !refreshed {
                if let Some(used) = &token {
                    if self.inner.auth.invalidate(used).await {
                        refreshed = true;
                        attempt -= 1;
                        tracing::debug!(parent: &span, "401: refreshing the token once");
                        continue;
                    }
                }
            }
            // A request that never reached the server is safe to send again even for writes.
            let never_sent = matches!(err.kind(), ErrorKind::Transport { connect: true, .. });
            let may_retry = idempotent || policy.retry_writes || never_sent;
            if !may_retry || !err.is_retryable() || attempt >= policy.max_attempts {
                return Err(err);
            }
            let wait = match err.retry_after() {
                Some(ra) if ra > policy.max_retry_after => return Err(err),
                Some(ra) => ra,
                None => policy.backoff(attempt),
            };
            if let Some(deadline) = policy.deadline {
                if started.elapsed().saturating_add(wait) >= deadline {
                    return Err(err);
                }
            }
            tracing::info!(
                parent: &span,
                wait_ms = wait.as_millis() as u64,
                error = %err.kind(),
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    /// One attempt: gets a token, posts `body`, reads the whole response.
    async fn attempt(
        &self,
        body: Bytes,
        timeout: Duration,
        span: &tracing::Span,
    ) -> Result<(u16, Bytes), AttemptError> {
        let inner = &self.inner;
        let token = inner
            .auth
            .token(&inner.http, timeout)
            .await
            .map_err(|error| AttemptError { error, token: None })?;
        let header = bearer_header(&token).map_err(|error| AttemptError { error, token: None })?;
        let fail = |error: Error| AttemptError {
            error,
            token: Some(token.clone()),
        };
        let resp = inner
            .http
            .post(&inner.execute_url)
            .timeout(timeout)
            .header(AUTHORIZATION, header)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await
            .map_err(|e| fail(transport_error(&e)))?;
        let status = resp.status().as_u16();
        span.record("status", status);
        let retry_after = resp
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let bytes = resp.bytes().await.map_err(|e| fail(transport_error(&e)))?;
        if (200..300).contains(&status) {
            Ok((status, bytes))
        } else {
            Err(fail(
                Error::new(
                    status_kind(status, retry_after, &bytes),
                    Some(status),
                    "",
                    "",
                )
                .with_retry_after(retry_after)
                .with_detail(server_message_and_detail(&bytes).1),
            ))
        }
    }
}

/// Maps a `reqwest` failure to [`ErrorKind::Transport`], with the causes' text (no URL).
pub(crate) fn transport_error(e: &reqwest::Error) -> Error {
    let mut message = String::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut first = true;
    while let Some(err) = cur {
        let text = if first {
            // reqwest's own text includes the URL; keep only the description.
            let t = err.to_string();
            match t.find(" for url (") {
                Some(i) => t[..i].to_owned(),
                None => t,
            }
        } else {
            err.to_string()
        };
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
        first = false;
        cur = err.source();
    }
    Error::new(
        ErrorKind::Transport {
            message,
            timeout: e.is_timeout(),
            connect: e.is_connect(),
        },
        None,
        "",
        "",
    )
}
