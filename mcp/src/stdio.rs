//! The stdio transport: one JSON-RPC message per line on stdin, one per line on stdout.
//!
//! rmcp's own stdio transport drops a line it cannot read, so the client that sent it waits
//! for an answer forever. Here every such line is answered, as JSON-RPC 2.0 asks:
//! - not JSON at all: error `-32700` (parse error) with `"id": null`;
//! - JSON, with an `id`, but not a message this server reads (for example nested deeper than
//!   serde_json's limit of 128 levels, or a `tools/call` whose `params` are not an object):
//!   error `-32600` (invalid request) with that `id`, so the caller's request ends;
//! - JSON without an `id` (a notification) or without a `method` (a response): nothing is
//!   sent back; a warning goes to stderr.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Sink, Stream};
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

/// JSON-RPC 2.0: the text is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: the JSON is not a valid request.
pub const INVALID_REQUEST: i64 = -32600;

type Writer<W> = Arc<Mutex<W>>;

/// Where the service's answers go.
pub type MessageSink = Pin<Box<dyn Sink<ServerJsonRpcMessage, Error = std::io::Error> + Send>>;
/// Where the service's messages come from.
pub type MessageStream = Pin<Box<dyn Stream<Item = ClientJsonRpcMessage> + Send>>;

/// The (sink, stream) pair rmcp serves over: messages read from `input` line by line, answers
/// written to `output`. Lines that are not messages are answered on `output` directly (see the
/// module docs) and never reach the service.
pub fn transport<R, W>(input: R, output: W) -> (MessageSink, MessageStream)
where
    R: AsyncBufRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
    let writer: Writer<W> = Arc::new(Mutex::new(output));
    let sink = futures::sink::unfold(
        writer.clone(),
        |writer, message: ServerJsonRpcMessage| async move {
            let line = serde_json::to_vec(&message).map_err(std::io::Error::other)?;
            write_line(&writer, &line).await?;
            Ok::<_, std::io::Error>(writer)
        },
    );
    let stream = futures::stream::unfold((input, writer), |(mut input, writer)| async move {
        let mut line = Vec::new();
        loop {
            line.clear();
            match input.read_until(b'\n', &mut line).await {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!("reading stdin failed: {e}");
                    return None;
                }
            }
            match read_message(&line) {
                Read::Message(message) => return Some((*message, (input, writer))),
                Read::Blank => {}
                Read::Answer(answer) => {
                    if let Err(e) = write_line(&writer, answer.to_string().as_bytes()).await {
                        tracing::error!("writing stdout failed: {e}");
                        return None;
                    }
                }
                Read::Ignored(why) => tracing::warn!("notification ignored: {why}"),
            }
        }
    });
    (Box::pin(sink), Box::pin(stream))
}

async fn write_line<W: AsyncWrite + Unpin>(writer: &Writer<W>, line: &[u8]) -> std::io::Result<()> {
    let mut out = writer.lock().await;
    out.write_all(line).await?;
    out.write_all(b"\n").await?;
    out.flush().await
}

/// What one line of input is.
#[derive(Debug)]
enum Read {
    /// A message for the service.
    Message(Box<ClientJsonRpcMessage>),
    /// An empty line (only white space): skipped.
    Blank,
    /// Not a message, from a sender that waits: this JSON-RPC error answers it.
    Answer(Value),
    /// Not a message, from a notification: nobody waits for an answer.
    Ignored(String),
}

/// The members of a JSON-RPC message that are read even when the rest is not: serde_json
/// skips the other members without a depth limit.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    method: Option<IgnoredAny>,
}

fn read_message(line: &[u8]) -> Read {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Read::Blank;
    }
    let error = match serde_json::from_slice::<ClientJsonRpcMessage>(line) {
        Ok(message) => return Read::Message(Box::new(message)),
        Err(e) => e,
    };
    match serde_json::from_slice::<Head>(line) {
        Err(_) => Read::Answer(error_answer(
            Value::Null,
            PARSE_ERROR,
            format!("Parse error: the line is not JSON ({error})"),
        )),
        Ok(Head {
            id: None | Some(Value::Null),
            ..
        }) => Read::Ignored(format!("a notification that is not valid: {error}")),
        Ok(Head { method: None, .. }) => {
            Read::Ignored(format!("a response that is not valid: {error}"))
        }
        Ok(Head { id: Some(id), .. }) => Read::Answer(error_answer(
            id,
            INVALID_REQUEST,
            format!("Invalid Request: {error}"),
        )),
    }
}

fn error_answer(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    #[test]
    fn a_valid_request_is_a_message() {
        let line = br#"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#;
        assert!(matches!(read_message(line), Read::Message(_)));
        assert!(matches!(read_message(b"  \r\n"), Read::Blank));
    }

    #[test]
    fn text_that_is_not_json_is_a_parse_error_with_a_null_id() {
        let Read::Answer(answer) = read_message(b"{\"jsonrpc\": \"2.0\", \"id\": 4,\n") else {
            panic!("an answer");
        };
        assert_eq!(answer["id"], Value::Null);
        assert_eq!(answer["error"]["code"], PARSE_ERROR);
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with("Parse error: the line is not JSON"),
            "{message}"
        );
    }

    #[test]
    fn a_request_too_deep_to_read_is_answered_with_its_id() {
        let line = format!(
            r#"{{"jsonrpc":"2.0","method":"tools/call","params":{{"name":"teams_list","arguments":{{"a":{}}}}},"id":"call-9"}}"#,
            nested(100_000)
        );
        let Read::Answer(answer) = read_message(line.as_bytes()) else {
            panic!("an answer");
        };
        assert_eq!(answer["id"], "call-9");
        assert_eq!(answer["error"]["code"], INVALID_REQUEST);
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains("recursion limit exceeded"), "{message}");
    }

    #[test]
    fn an_unreadable_notification_or_response_is_not_answered() {
        let line = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{}}}"#,
            nested(300)
        );
        assert!(matches!(read_message(line.as_bytes()), Read::Ignored(_)));
        let line = format!(r#"{{"jsonrpc":"2.0","id":3,"result":{}}}"#, nested(300));
        assert!(matches!(read_message(line.as_bytes()), Read::Ignored(_)));
    }
}
