//! The wire format of one call: the request envelope `{"entity", "action", "params"}` an
//! action is sent as, and the error kind a non-success response status maps to.

use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

use crate::action::Action;
use crate::error::{server_message, Error, ErrorKind};

#[derive(Serialize)]
struct Envelope<'a, P: Serialize> {
    entity: &'a str,
    action: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip_truncation: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<P>,
}

/// Serialises the request envelope of `action`.
pub(crate) fn request_body<A: Action>(action: &A, skip_truncation: bool) -> Result<Bytes, Error> {
    let config = |e: serde_json::Error| {
        Error::new(
            ErrorKind::Config {
                message: format!("cannot serialise the action's params: {e}"),
            },
            None,
            A::ENTITY,
            A::ACTION,
        )
    };
    let params = serde_json::to_value(action).map_err(config)?;
    let params = match &params {
        serde_json::Value::Object(m) if m.is_empty() => None,
        serde_json::Value::Null => None,
        _ => Some(params),
    };
    let env = Envelope {
        entity: A::ENTITY,
        action: A::ACTION,
        skip_truncation,
        params,
    };
    serde_json::to_vec(&env).map(Bytes::from).map_err(config)
}

/// Maps a non-success HTTP status to an error kind, with the server's message.
pub(crate) fn status_kind(status: u16, retry_after: Option<Duration>, body: &[u8]) -> ErrorKind {
    let message = || server_message(body);
    match status {
        401 | 403 => ErrorKind::Authentication { message: message() },
        400 | 422 => ErrorKind::Validation { message: message() },
        404 => ErrorKind::NotFound { message: message() },
        429 => ErrorKind::RateLimited { retry_after },
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
