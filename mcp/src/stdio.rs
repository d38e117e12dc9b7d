//! The stdio transport: one JSON-RPC message per line on stdin, one per line on stdout.
//!
//! rmcp's own stdio transport drops a line it cannot read, so the client that sent it waits
//! for an answer forever. Here every such line is answered, as JSON-RPC 2.0 asks:
//! - not JSON at all: error `-32700` (parse error) with `"id": null`;
//! - JSON, with an `id`, but not a message this server reads (for example nested deeper than
//!   serde_json's limit of 128 levels, or a `tools/call` whose `params` are not an object):
//!   error `-32600` (invalid request) with that `id`, so the caller's request ends; an `id`
//!   MCP forbids (`null`, a fraction, an integer past 64 bits) makes no notification: it is
//!   answered the same way, the `id` copied as written;
//! - JSON that is not an object (a scalar, or an array: MCP has no JSON-RPC batches since
//!   2025-06-18): error `-32600` with `"id": null`;
//! - a `tools/call` whose `params` do not read as `{"name": string, "arguments": object}`
//!   (rmcp would take it for an unknown method and answer `-32601`, naming only the method):
//!   error `-32602` (invalid params) naming what is wrong;
//! - JSON without an `id` (a notification) or without a `method` (a response): nothing is
//!   sent back; a warning goes to stderr.
//!
//! - a line longer than [`MAX_LINE_BYTES`]: error `-32600` with `"id": null`, sent as soon
//!   as the limit is passed; the rest of the line is read and dropped without being kept, so
//!   a client cannot make the server hold more than that much of one line.
//!
//! A request whose `id` is that of a request still in flight is answered `-32600`: rmcp would
//! run it, then drop its answer as that of a cancelled request, and its sender would wait
//! forever.
//!
//! Before the lifecycle starts (an `initialize` request, or a request carrying the protocol
//! metadata of MCP 2026-07-28 and later), notifications and responses are dropped with a
//! warning: rmcp would end the session on them, leaving the host with a dead server. Another
//! request then (but `ping`) is answered `-32600`, saying to send `initialize` first.

use std::collections::HashSet;
use std::pin::Pin;
use std::sync::Arc;

use futures::{Sink, Stream};
use rmcp::model::{
    CallToolRequestParams, ClientJsonRpcMessage, ClientNotification, ClientRequest, GetMeta,
    ProtocolVersion, RequestId, ServerJsonRpcMessage,
};
use serde::de::IgnoredAny;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::Mutex;

/// JSON-RPC 2.0: the text is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC 2.0: the JSON is not a valid request.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC 2.0: the method's parameters are not valid.
pub const INVALID_PARAMS: i64 = -32602;

/// The longest line read as a message, in bytes (without its line break): 8 MiB.
pub const MAX_LINE_BYTES: usize = 8 << 20;

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
    let in_flight = InFlight::default();
    let sink = futures::sink::unfold(
        (writer.clone(), in_flight.clone()),
        |(writer, in_flight), message: ServerJsonRpcMessage| async move {
            let line = serde_json::to_vec(&message).map_err(std::io::Error::other)?;
            // Freed before the answer is out, so the sender may reuse the id at once.
            in_flight.answered(&message);
            write_line(&writer, &line).await?;
            Ok::<_, std::io::Error>((writer, in_flight))
        },
    );
    let input = Lines::new(input, MAX_LINE_BYTES);
    let state = (input, writer, Lifecycle::default(), in_flight);
    let stream = futures::stream::unfold(state, |state| async move {
        let (mut input, writer, mut lifecycle, in_flight) = state;
        let mut line = Vec::new();
        loop {
            line.clear();
            let read = match input.next(&mut line).await {
                Ok(Some(Line::Whole)) => read_message(&line),
                Ok(Some(Line::TooLong)) => Read::Answer(error_answer(
                    RawValue::NULL,
                    INVALID_REQUEST,
                    format!(
                        "Invalid Request: the line is longer than {} bytes (the rest of it is \
                         dropped); send one message per line, each at most that long",
                        input.cap
                    ),
                )),
                Ok(None) => return None,
                Err(e) => {
                    tracing::error!("reading stdin failed: {e}");
                    return None;
                }
            };
            let read = match read {
                Read::Message(message) => match lifecycle.admit(*message) {
                    Read::Message(message) => in_flight.admit(*message),
                    other => other,
                },
                other => other,
            };
            match read {
                Read::Message(message) => {
                    return Some((*message, (input, writer, lifecycle, in_flight)))
                }
                Read::Blank => {}
                Read::Answer(answer) => {
                    if let Err(e) = write_line(&writer, answer.as_bytes()).await {
                        tracing::error!("writing stdout failed: {e}");
                        return None;
                    }
                }
                Read::Ignored(why) => tracing::warn!("message ignored: {why}"),
            }
        }
    });
    (Box::pin(sink), Box::pin(stream))
}

/// What [`Lines::next`] read.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A whole line (with its line break, unless the input ended first).
    Whole,
    /// The first `cap + 1` bytes of a line longer than `cap`: dropped, and the rest of the
    /// line is skipped by the next read.
    TooLong,
}

/// The lines of `input`, none kept longer than `cap` bytes (line break not counted).
struct Lines<R> {
    input: R,
    cap: usize,
    /// Inside a line that was too long: its rest is dropped.
    skipping: bool,
}

impl<R: AsyncBufRead + Unpin> Lines<R> {
    fn new(input: R, cap: usize) -> Self {
        Self {
            input,
            cap,
            skipping: false,
        }
    }

    /// Reads the next line into `line` (which the caller clears); `None` at the end of the
    /// input.
    async fn next(&mut self, line: &mut Vec<u8>) -> std::io::Result<Option<Line>> {
        loop {
            let buf = self.input.fill_buf().await?;
            if buf.is_empty() {
                return Ok((!line.is_empty()).then_some(Line::Whole));
            }
            let end = buf.iter().position(|&b| b == b'\n');
            if self.skipping {
                let used = end.map_or(buf.len(), |i| i + 1);
                self.skipping = end.is_none();
                self.input.consume(used);
                continue;
            }
            let room = self.cap - line.len();
            match end {
                Some(i) if i <= room => {
                    line.extend_from_slice(&buf[..=i]);
                    self.input.consume(i + 1);
                    return Ok(Some(Line::Whole));
                }
                Some(i) => {
                    self.input.consume(i + 1);
                    return Ok(Some(Line::TooLong));
                }
                None if buf.len() <= room => {
                    let used = buf.len();
                    line.extend_from_slice(buf);
                    self.input.consume(used);
                }
                None => {
                    let used = buf.len();
                    self.input.consume(used);
                    self.skipping = true;
                    return Ok(Some(Line::TooLong));
                }
            }
        }
    }
}

/// The ids of the requests passed to the service and not answered yet.
#[derive(Debug, Clone, Default)]
struct InFlight(Arc<std::sync::Mutex<HashSet<RequestId>>>);

impl InFlight {
    fn ids(&self) -> std::sync::MutexGuard<'_, HashSet<RequestId>> {
        // The set stays consistent even if a holder panicked: each use is one call.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Passes `message` on, unless it is a request reusing the id of one in flight.
    fn admit(&self, message: ClientJsonRpcMessage) -> Read {
        match &message {
            ClientJsonRpcMessage::Request(req) if !self.ids().insert(req.id.clone()) => {
                let id = raw_id(&req.id);
                return Read::Answer(error_answer(
                    &id,
                    INVALID_REQUEST,
                    format!(
                        "Invalid Request: the id {id} is that of a request still in flight; \
                         give each request an id of its own"
                    ),
                ));
            }
            // rmcp sends no answer to a cancelled request: its id is free again.
            ClientJsonRpcMessage::Notification(n) => {
                if let ClientNotification::CancelledNotification(c) = &n.notification {
                    if let Some(id) = &c.params.request_id {
                        self.ids().remove(id);
                    }
                }
            }
            _ => {}
        }
        Read::Message(Box::new(message))
    }

    /// Frees the id `message` answers.
    fn answered(&self, message: &ServerJsonRpcMessage) {
        let id = match message {
            ServerJsonRpcMessage::Response(r) => Some(&r.id),
            ServerJsonRpcMessage::Error(e) => e.id.as_ref(),
            _ => None,
        };
        if let Some(id) = id {
            self.ids().remove(id);
        }
    }
}

/// Whether the MCP lifecycle has started, i.e. rmcp's handshake is over.
#[derive(Debug, Default)]
struct Lifecycle {
    started: bool,
}

impl Lifecycle {
    /// What to do with a message that reads: pass it on, or drop it when rmcp's handshake
    /// would end the session on it.
    fn admit(&mut self, message: ClientJsonRpcMessage) -> Read {
        if self.started {
            return Read::Message(Box::new(message));
        }
        match &message {
            ClientJsonRpcMessage::Request(req) => {
                let starts = match &req.request {
                    ClientRequest::InitializeRequest(_) => true,
                    ClientRequest::PingRequest(_) | ClientRequest::DiscoverRequest(_) => false,
                    // rmcp serves a request before `initialize` when it carries the
                    // metadata that replaced the handshake; the others are answered here, in
                    // words a host of either protocol acts on.
                    request => {
                        let meta = request.get_meta();
                        let missing = meta.missing_required_keys(&ProtocolVersion::NO_INITIALIZE);
                        if meta.protocol_version().is_none() || !missing.is_empty() {
                            return Read::Answer(error_answer(
                                &raw_id(&req.id),
                                INVALID_REQUEST,
                                format!(
                                    "Invalid Request: `{}` before `initialize`: send \
                                     `initialize` first (or, from MCP {}, give the request's \
                                     `_meta` {})",
                                    request.method(),
                                    ProtocolVersion::NO_INITIALIZE,
                                    missing.join(", ")
                                ),
                            ));
                        }
                        true
                    }
                };
                self.started = starts;
                Read::Message(Box::new(message))
            }
            ClientJsonRpcMessage::Notification(n) => {
                let method = serde_json::to_value(n).ok();
                let method = method.as_ref().and_then(|n| n["method"].as_str());
                Read::Ignored(format!(
                    "notification `{}` before `initialize`",
                    method.unwrap_or("?")
                ))
            }
            _ => Read::Ignored("a response before `initialize`".to_owned()),
        }
    }
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
    /// Not a message, from a sender that waits: this JSON-RPC error (its JSON text, the id
    /// written as the sender wrote it) answers it.
    Answer(String),
    /// Not a message, from a notification: nobody waits for an answer.
    Ignored(String),
}

/// The members of a JSON-RPC message that are read even when the rest is not: serde_json
/// skips the other members without a depth limit.
#[derive(Deserialize)]
struct Head {
    /// As written (`null` included: present, so the sender waits for an answer).
    #[serde(default, deserialize_with = "present")]
    id: Option<Box<RawValue>>,
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
        Ok(message) => return invalid_params(message),
        Err(e) => e,
    };
    if let Err(e) = serde_json::from_slice::<IgnoredAny>(line) {
        return Read::Answer(error_answer(
            RawValue::NULL,
            PARSE_ERROR,
            format!("Parse error: the line is not JSON ({e})"),
        ));
    }
    let first = line.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        let what = if first == Some(&b'[') {
            "an array (MCP has no JSON-RPC batches: send one message per line)"
        } else {
            "a JSON value that is not an object"
        };
        return Read::Answer(error_answer(
            RawValue::NULL,
            INVALID_REQUEST,
            format!("Invalid Request: expected a JSON-RPC message (a JSON object), got {what}"),
        ));
    }
    match serde_json::from_slice::<Head>(line) {
        Err(e) => Read::Answer(error_answer(
            RawValue::NULL,
            INVALID_REQUEST,
            format!("Invalid Request: {e}"),
        )),
        Ok(Head { id: None, .. }) => {
            Read::Ignored(format!("a notification that is not valid: {error}"))
        }
        Ok(Head { method: None, .. }) => {
            Read::Ignored(format!("a response that is not valid: {error}"))
        }
        Ok(Head { id: Some(id), .. }) => {
            // MCP: "Requests MUST include a string or integer ID"; rmcp reads an integer id
            // as an `i64`.
            let readable = matches!(
                serde_json::from_str::<Value>(id.get()),
                Ok(Value::String(_))
            ) || id.get().parse::<i64>().is_ok();
            let why = match readable {
                true => error.to_string(),
                false => format!("the id {} is not a string or an integer (64-bit)", id.get()),
            };
            Read::Answer(error_answer(
                &id,
                INVALID_REQUEST,
                format!("Invalid Request: {why}"),
            ))
        }
    }
}

/// A request rmcp took for an unknown method only because its `params` do not read: answered
/// here with what is wrong, instead of rmcp's `-32601` naming just the method.
fn invalid_params(message: ClientJsonRpcMessage) -> Read {
    let ClientJsonRpcMessage::Request(req) = &message else {
        return Read::Message(Box::new(message));
    };
    let ClientRequest::CustomRequest(custom) = &req.request else {
        return Read::Message(Box::new(message));
    };
    if custom.method != "tools/call" {
        return Read::Message(Box::new(message));
    }
    let params = custom.params.clone().unwrap_or(Value::Null);
    let why = match serde_json::from_value::<CallToolRequestParams>(params) {
        Err(e) => e.to_string(),
        // Reads on its own: rmcp had another reason; let it answer.
        Ok(_) => return Read::Message(Box::new(message)),
    };
    Read::Answer(error_answer(
        &raw_id(&req.id),
        INVALID_PARAMS,
        format!(
            "Invalid params for `tools/call`: {why}; expected {{\"name\": <tool name>, \
             \"arguments\": {{<argument>: <value>, ...}}}} (`arguments` may be left out)"
        ),
    ))
}

/// A member that is present, `null` included (serde reads a `null` `Option` as `None`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Box<RawValue>>, D::Error> {
    Box::<RawValue>::deserialize(d).map(Some)
}

/// A request id as JSON text.
fn raw_id(id: &RequestId) -> Box<RawValue> {
    serde_json::value::to_raw_value(id).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// The JSON text of a JSON-RPC error answering the request `id` (its text as the sender wrote
/// it, so that the sender recognises it).
fn error_answer(id: &RawValue, code: i64, message: String) -> String {
    // Written by the serializer, which copies a `RawValue` verbatim (a `Value` would not).
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        jsonrpc: &'static str,
        id: &'a RawValue,
        error: Value,
    }
    let error = json!({"code": code, "message": message});
    serde_json::to_string(&Answer {
        jsonrpc: "2.0",
        id,
        error,
    })
    .unwrap_or_else(|e| {
        // Unreachable (a struct of a string, raw JSON and a `Value`); still an answer.
        format!(r#"{{"jsonrpc":"2.0","id":null,"error":{{"code":{code},"message":"{e}"}}}}"#)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    /// Every line `input` holds when read with `cap`, each a line or `None` for one too long.
    async fn lines(input: &[u8], cap: usize, chunk: usize) -> Vec<Option<String>> {
        // A reader that hands out `chunk` bytes at a time, as a pipe does.
        let reader = tokio::io::BufReader::with_capacity(chunk, input);
        let mut lines = Lines::new(reader, cap);
        let mut out = Vec::new();
        let mut line = Vec::new();
        loop {
            line.clear();
            match lines.next(&mut line).await.unwrap() {
                None => return out,
                Some(Line::Whole) => out.push(Some(String::from_utf8(line.clone()).unwrap())),
                Some(Line::TooLong) => {
                    assert!(
                        line.len() <= cap,
                        "kept {} bytes over a cap of {cap}",
                        line.len()
                    );
                    out.push(None)
                }
            }
        }
    }

    #[tokio::test]
    async fn a_line_longer_than_the_cap_is_dropped_and_the_next_one_read() {
        let long = "x".repeat(25);
        let input = format!("{long}\nabc\n{}\n{long}{long}\nlast", "y".repeat(10));
        for chunk in [1, 3, 8, 64] {
            assert_eq!(
                lines(input.as_bytes(), 10, chunk).await,
                [
                    None,
                    Some("abc\n".to_owned()),
                    Some("y".repeat(10) + "\n"),
                    None,
                    Some("last".to_owned()),
                ],
                "chunks of {chunk}"
            );
        }
    }

    #[test]
    fn a_valid_request_is_a_message() {
        let line = br#"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#;
        assert!(matches!(read_message(line), Read::Message(_)));
        assert!(matches!(read_message(b"  \r\n"), Read::Blank));
    }

    #[test]
    fn text_that_is_not_json_is_a_parse_error_with_a_null_id() {
        let answer = answered(
            read_message(b"{\"jsonrpc\": \"2.0\", \"id\": 4,\n"),
            "a cut-off line",
        );
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
        let answer = answered(read_message(line.as_bytes()), &line);
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

    /// The JSON-RPC answer `read` holds; `what` names the input when it holds none.
    fn answered(read: Read, what: &str) -> Value {
        let Read::Answer(answer) = read else {
            panic!("an answer to {what}");
        };
        serde_json::from_str(&answer).expect("an answer is JSON")
    }

    fn error_of(line: &str) -> (Value, Value) {
        let answer = answered(read_message(line.as_bytes()), line);
        (answer["id"].clone(), answer["error"]["code"].clone())
    }

    #[test]
    fn json_that_is_not_an_object_is_an_invalid_request_with_a_null_id() {
        for line in [
            r#"[{"jsonrpc":"2.0","id":5,"method":"ping"}]"#,
            "[]",
            "5",
            "null",
            r#""x""#,
        ] {
            assert_eq!(
                error_of(line),
                (Value::Null, json!(INVALID_REQUEST)),
                "{line}"
            );
        }
        let line = r#"{"jsonrpc":"2.0","id":1,"id":2,"method":"ping"}"#;
        assert_eq!(error_of(line), (Value::Null, json!(INVALID_REQUEST)));
    }

    /// A request whose id MCP forbids (`null`, a fraction, a number past 64 bits) still has
    /// a sender waiting: it is answered, with the id exactly as sent (serde_json would turn
    /// `99999999999999999999999` into `1e+23`, an id the sender never used).
    #[test]
    fn a_request_with_an_id_mcp_forbids_is_answered_with_that_id_as_sent() {
        for id in ["null", "18.5", "99999999999999999999999"] {
            let line = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"ping"}}"#);
            let Read::Answer(answer) = read_message(line.as_bytes()) else {
                panic!("an answer to {line}");
            };
            assert!(answer.contains(&format!(r#""id":{id},"#)), "{answer}");
            let answer: Value = serde_json::from_str(&answer).expect("an answer is JSON");
            assert_eq!(answer["error"]["code"], json!(INVALID_REQUEST), "{line}");
            let text = answer["error"]["message"].as_str().unwrap_or_default();
            assert!(
                text.contains(&format!("the id {id} is not a string or an integer")),
                "{text}"
            );
        }
    }

    #[test]
    fn a_tools_call_whose_params_do_not_read_is_invalid_params() {
        let line = r#"{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"x","arguments":7}}"#;
        assert_eq!(error_of(line), (json!("c"), json!(INVALID_PARAMS)));
        let line = r#"{"jsonrpc":"2.0","id":"c","method":"tools/call","params":{"name":"x"}}"#;
        assert!(matches!(read_message(line.as_bytes()), Read::Message(_)));
    }

    /// The message `line` holds (a test line that must be one).
    fn message(line: &str) -> ClientJsonRpcMessage {
        match read_message(line.as_bytes()) {
            Read::Message(m) => *m,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_id_in_flight_is_refused_until_answered_or_cancelled() {
        let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
        let other = r#"{"jsonrpc":"2.0","id":"1","method":"ping"}"#;
        let cancel =
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#;
        let in_flight = InFlight::default();
        assert!(matches!(in_flight.admit(message(ping)), Read::Message(_)));
        assert!(matches!(in_flight.admit(message(other)), Read::Message(_)));
        let answer = answered(in_flight.admit(message(ping)), "a reused id");
        assert_eq!(
            (&answer["id"], &answer["error"]["code"]),
            (&json!(1), &json!(INVALID_REQUEST))
        );
        let answer = ServerJsonRpcMessage::response(
            rmcp::model::ServerResult::empty(()),
            RequestId::Number(1),
        );
        in_flight.answered(&answer);
        assert!(matches!(in_flight.admit(message(ping)), Read::Message(_)));
        assert!(matches!(in_flight.admit(message(cancel)), Read::Message(_)));
        assert!(matches!(in_flight.admit(message(ping)), Read::Message(_)));
    }

    #[test]
    fn only_requests_pass_before_the_lifecycle_starts() {
        let mut lifecycle = Lifecycle::default();
        let note = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;
        let response = r#"{"jsonrpc":"2.0","id":3,"result":{}}"#;
        let ping = r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#;
        let list = r#"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#;
        let init = r#"{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}"#;
        assert!(matches!(lifecycle.admit(message(note)), Read::Ignored(_)));
        assert!(matches!(
            lifecycle.admit(message(response)),
            Read::Ignored(_)
        ));
        assert!(matches!(lifecycle.admit(message(ping)), Read::Message(_)));
        let answer = answered(
            lifecycle.admit(message(list)),
            "a request before initialize",
        );
        assert_eq!(
            (&answer["id"], &answer["error"]["code"]),
            (&json!(4), &json!(INVALID_REQUEST))
        );
        let text = answer["error"]["message"].as_str().unwrap();
        assert!(
            text.contains("`tools/list` before `initialize`: send `initialize` first"),
            "{text}"
        );
        assert!(matches!(lifecycle.admit(message(note)), Read::Ignored(_)));
        assert!(matches!(lifecycle.admit(message(init)), Read::Message(_)));
        assert!(matches!(lifecycle.admit(message(list)), Read::Message(_)));
        assert!(matches!(lifecycle.admit(message(note)), Read::Message(_)));
        assert!(matches!(
            lifecycle.admit(message(response)),
            Read::Message(_)
        ));
    }
}
