//! Shared by the runtime's integration tests: a scripted loopback HTTP/1.1 server (a few
//! lines over a tokio `TcpListener`), hand-written actions and small helpers.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_agent_runtime::{
    decode, Action, Client, Decode, DecodeError, ListPage, Paginated, Paging, RetryPolicy,
    SearchPage,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ------------------------------------------------------------------------------------------
// The scripted server
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct Req {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Req {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
    pub delay: Duration,
    pub drop: bool,
}

pub fn ok(body: Value) -> Resp {
    status(200, body)
}

pub fn status(code: u16, body: Value) -> Resp {
    Resp {
        status: code,
        headers: vec![],
        body: body.to_string(),
        delay: Duration::ZERO,
        drop: false,
    }
}

pub type Handler = Arc<dyn Fn(&Req, usize) -> Resp + Send + Sync>;

pub struct Server {
    pub base: String,
    pub log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    pub fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
    pub fn count(&self, path_suffix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.ends_with(path_suffix))
            .count()
    }
}

/// What the server writes for one request.
pub enum Wire {
    /// A JSON response (after its delay; nothing when it drops the connection).
    Resp(Resp),
    /// These bytes, then close.
    Bytes(Vec<u8>),
    /// This head (status line and headers, chunked body), then chunks of `x` until the
    /// client hangs up.
    Endless(String),
}

/// Serves each connection's one request with `handler(request, index of the request)`.
pub async fn serve(handler: impl Fn(&Req, usize) -> Resp + Send + Sync + 'static) -> Server {
    serve_wire(move |req, n| Wire::Resp(handler(req, n))).await
}

/// As [`serve`], for a handler that chooses the bytes on the wire.
pub async fn serve_wire(handler: impl Fn(&Req, usize) -> Wire + Send + Sync + 'static) -> Server {
    let handler = Arc::new(handler);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let counter = Arc::new(AtomicUsize::new(0));
    let log2 = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (handler, log, counter) = (handler.clone(), log2.clone(), counter.clone());
            tokio::spawn(async move {
                let Some(req) = read_request(&mut sock).await else {
                    return;
                };
                let n = counter.fetch_add(1, Ordering::SeqCst);
                log.lock().unwrap().push(req.clone());
                match handler(&req, n) {
                    Wire::Resp(resp) => answer(&mut sock, resp).await,
                    Wire::Bytes(b) => {
                        let _ = sock.write_all(&b).await;
                        let _ = sock.shutdown().await;
                    }
                    Wire::Endless(head) => {
                        if sock.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = format!("10000\r\n{}\r\n", "x".repeat(0x10000));
                        while sock.write_all(chunk.as_bytes()).await.is_ok() {}
                    }
                }
            });
        }
    });
    Server { base, log }
}

/// Writes `resp` after its delay, then closes (or closes without answering when it drops).
async fn answer(sock: &mut tokio::net::TcpStream, resp: Resp) {
    tokio::time::sleep(resp.delay).await;
    if resp.drop {
        return; // close without answering
    }
    let mut out = format!(
        "HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        resp.status,
        resp.body.len()
    );
    for (k, v) in &resp.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&resp.body);
    let _ = sock.write_all(out.as_bytes()).await;
    let _ = sock.shutdown().await;
}

pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Req> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut lines = head.split("\r\n");
    let path = lines.next()?.split(' ').nth(1)?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::from_slice(&buf[head_end..]).unwrap_or(Value::Null);
    Some(Req {
        path,
        headers,
        body,
    })
}

// ------------------------------------------------------------------------------------------
// Hand-written actions
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
pub struct Contact {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// A plain serde struct (not a generated record): read from `{"result": ..}` as records are.
impl Decode for Contact {
    fn decode(body: bytes::Bytes) -> Result<Self, DecodeError> {
        decode::present_record(body)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ListMeta {
    #[serde(default)]
    pub next_page: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ListContacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
}

impl Action for ListContacts {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "list";
    const IDEMPOTENT: bool = true;
    type Output = ListPage<Contact, ListMeta>;
    // What the default does too: an override is still allowed.
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
        decode::list_page(body)
    }
}

impl Paginated for ListContacts {
    const PAGING: Paging = Paging::Cursor {
        param: "starting_after",
        next: "next_page",
        more: None,
    };
}

#[derive(Debug, Clone, Serialize)]
pub struct CreateContact {
    pub email: String,
}

impl Action for CreateContact {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "create";
    const IDEMPOTENT: bool = false;
    type Output = Contact;
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchContacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl Action for SearchContacts {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "context_store_search";
    const IDEMPOTENT: bool = true;
    type Output = SearchPage<Contact>;
}

impl Paginated for SearchContacts {
    const PAGING: Paging = Paging::Cursor {
        param: "cursor",
        next: "cursor",
        more: Some("has_more"),
    };
}

pub const EXECUTE: &str = "/api/v1/connectors/sources/src-1/execute";

pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

pub fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("test-token")
        .retry(fast_retries())
        .build()
        .unwrap()
}

/// The items of a search stream started at `cursor`, at most `take` of them (a stream a fault
/// would leave endless stops there).
pub async fn search_items(
    server: &Server,
    cursor: Option<&str>,
    take: usize,
) -> Vec<Result<Contact, airbyte_agent_runtime::Error>> {
    use futures::StreamExt;
    client(server)
        .paginate(SearchContacts {
            cursor: cursor.map(str::to_string),
        })
        .take(take)
        .collect()
        .await
}

pub fn page(ids: &[&str], next: Option<&str>) -> Value {
    json!({
        "result": ids.iter().map(|id| json!({"id": id, "email": format!("{id}@example.com")})).collect::<Vec<_>>(),
        "connector_metadata": {"next_page": next},
    })
}
