//! The wire format of one call: the request envelope `{"entity", "action", "params"}` (with
//! the [`ExecuteOptions`]) an action is sent as, and the error kind a non-success response status maps to.

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

use crate::action::Action;
use crate::error::{server_message, Error, ErrorKind};
use crate::options::{ExecuteOptions, FieldPath};

#[derive(Serialize)]
struct Envelope<'a> {
    entity: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    select_fields: Option<&'a [FieldPath]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude_fields: Option<&'a [FieldPath]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    intent: Option<&'a str>,
    skip_truncation: bool,
}

/// Serialises the request envelope of `action` with `options`; `skip_truncation` is the
/// client's default when the options do not set it.
pub(crate) fn request_body<A: Action>(
    action: &A,
    options: &ExecuteOptions,
    skip_truncation: bool,
) -> Result<Bytes, Error> {
    let params =
        serde_json::to_value(action).map_err(|e| serialise_error(e, A::ENTITY, A::ACTION))?;
    raw_request_body(A::ENTITY, A::ACTION, params, options, skip_truncation)
}

/// Serialises the request envelope `{entity, action, params, ..options}`; `params` is omitted
/// when it is `null` or an empty object. Fails, before anything is sent, when the options
/// do not pass [`ExecuteOptions::check`] (an `intent` that is too long).
pub(crate) fn raw_request_body(
    entity: &str,
    action: &str,
    params: serde_json::Value,
    options: &ExecuteOptions,
    skip_truncation: bool,
) -> Result<Bytes, Error> {
    options.check().map_err(|message| {
        Error::new(
            ErrorKind::Validation { message },
            None,
            entity.to_owned(),
            action.to_owned(),
        )
    })?;
    let params = match &params {
        serde_json::Value::Object(m) if m.is_empty() => None,
        serde_json::Value::Null => None,
        _ => Some(params),
    };
    let env = Envelope {
        entity,
        action,
        params,
        select_fields: options.selected_fields(),
        exclude_fields: options.excluded_fields(),
        intent: options.intent_text(),
        skip_truncation: options.skip_truncation_value().unwrap_or(skip_truncation),
    };
    serde_json::to_vec(&env)
        .map(Bytes::from)
        .map_err(|e| serialise_error(e, entity, action))
}

fn serialise_error(e: serde_json::Error, entity: &str, action: &str) -> Error {
    Error::new(
        ErrorKind::Config {
            message: format!("cannot serialise the action's params: {e}"),
        },
        None,
        entity.to_owned(),
        action.to_owned(),
    )
}

/// Maps a non-success HTTP status to an error kind, with the server's message.
pub(crate) fn status_kind(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ErrorKind {
    let message = || server_message(body);
    match status {
        401 | 403 => ErrorKind::Authentication { message: message() },
        400 | 422 => ErrorKind::Validation { message: message() },
        404 => ErrorKind::NotFound { message: message() },
        429 => ErrorKind::RateLimited {
            retry_after,
            // The status says it all when the body has no text: never its raw start.
            message: crate::error::server_text(body)
                .map(|(text, _)| text)
                .unwrap_or_default(),
        },
        500..=599 => ErrorKind::Server { message: message() },
        _ => ErrorKind::Http { message: message() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_mapping() {
        let cases = [
            (400, "Validation"),
            (401, "Authentication"),
            (403, "Authentication"),
            (404, "NotFound"),
            (409, "Http"),
            (422, "Validation"),
            (429, "RateLimited"),
            (500, "Server"),
            (503, "Server"),
        ];
        for (status, want) in cases {
            let kind = status_kind(status, None, b"{}");
            let name = format!("{kind:?}");
            assert!(name.starts_with(want), "{status}: {name}");
        }
    }
}
