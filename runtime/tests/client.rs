//! Minimal HTTP-level tests of the client against a scripted loopback server (a few lines of
//! HTTP/1.1 over a tokio `TcpListener`). The full sandbox lives in the `tests/` crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use airbyte_agent_runtime::{
    decode, Action, Client, DecodeError, ErrorKind, ListPage, Paginated, RetryPolicy, SearchPage,
};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ------------------------------------------------------------------------------------------
// The scripted server
// ------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Req {
    path: String,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
struct Resp {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
    drop: bool,
}

fn ok(body: Value) -> Resp {
    status(200, body)
}

fn status(code: u16, body: Value) -> Resp {
    Resp {
        status: code,
        headers: vec![],
        body: body.to_string(),
        delay: Duration::ZERO,
        drop: false,
    }
}

type Handler = Arc<dyn Fn(&Req, usize) -> Resp + Send + Sync>;

struct Server {
    base: String,
    log: Arc<Mutex<Vec<Req>>>,
}

impl Server {
    fn requests(&self) -> Vec<Req> {
        self.log.lock().unwrap().clone()
    }
    fn count(&self, path_suffix: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path.ends_with(path_suffix))
            .count()
    }
}

/// Serves each connection's one request with `handler(request, index of the request)`.
async fn serve(handler: impl Fn(&Req, usize) -> Resp + Send + Sync + 'static) -> Server {
    let handler: Handler = Arc::new(handler);
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
                let resp = handler(&req, n);
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
            });
        }
    });
    Server { base, log }
}

async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<Req> {
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

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
struct Contact {
    id: String,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct ListMeta {
    #[serde(default)]
    next_page: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
struct ListContacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    per_page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    starting_after: Option<String>,
}

impl Action for ListContacts {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "list";
    const IDEMPOTENT: bool = true;
    type Output = ListPage<Contact, ListMeta>;
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
        decode::list_page(body)
    }
}

impl Paginated for ListContacts {
    type Item = Contact;
    fn into_items(output: Self::Output) -> (Vec<Contact>, Option<String>) {
        (output.records, output.meta.next_page)
    }
    fn set_cursor(&mut self, cursor: String) {
        self.starting_after = Some(cursor);
    }
}

#[derive(Debug, Clone, Serialize)]
struct CreateContact {
    email: String,
}

impl Action for CreateContact {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "create";
    const IDEMPOTENT: bool = false;
    type Output = Contact;
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
        decode::record(body)
    }
}

#[derive(Debug, Clone, Serialize)]
struct SearchContacts {
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

impl Action for SearchContacts {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "context_store_search";
    const IDEMPOTENT: bool = true;
    type Output = SearchPage<Contact>;
    fn decode(body: bytes::Bytes) -> Result<Self::Output, DecodeError> {
        decode::search_page(body)
    }
}

impl Paginated for SearchContacts {
    type Item = Contact;
    fn into_items(output: Self::Output) -> (Vec<Contact>, Option<String>) {
        let next = output.next_cursor().map(str::to_owned);
        (output.data, next)
    }
    fn set_cursor(&mut self, cursor: String) {
        self.cursor = Some(cursor);
    }
}

const EXECUTE: &str = "/api/v1/connectors/sources/src-1/execute";

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(4)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("test-token")
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn page(ids: &[&str], next: Option<&str>) -> Value {
    json!({
        "result": ids.iter().map(|id| json!({"id": id, "email": format!("{id}@example.com")})).collect::<Vec<_>>(),
        "connector_metadata": {"next_page": next},
    })
}

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_sends_the_envelope_and_decodes_the_page() {
    let server = serve(|_, _| ok(page(&["1", "2"], Some("c2")))).await;
    let c = client(&server);
    let out = c
        .execute(&ListContacts {
            per_page: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out.records.len(), 2);
    assert_eq!(out.records[1].id, "2");
    assert_eq!(out.meta.next_page.as_deref(), Some("c2"));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, EXECUTE);
    assert_eq!(reqs[0].header("authorization"), Some("Bearer test-token"));
    assert_eq!(
        reqs[0].body,
        json!({"entity": "contacts", "action": "list", "params": {"per_page": 10}})
    );

    // Empty params are omitted; skip_truncation can be turned on.
    let c2 = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .skip_truncation(true)
        .build()
        .unwrap();
    c2.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(
        server.requests()[1].body,
        json!({"entity": "contacts", "action": "list", "skip_truncation": true})
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = serve(|_, n| {
        if n < 2 {
            status(503, json!({"message": "busy"}))
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let out = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert_eq!(out.records[0].id, "1");
    assert_eq!(server.count(EXECUTE), 3);
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server = serve(|_, _| status(500, json!({"message": "boom"}))).await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 4);
    assert_eq!(err.status(), Some(500));
    assert!(matches!(err.kind(), ErrorKind::Server { message } if message == "boom"));
    assert_eq!((err.entity(), err.action()), ("contacts", "list"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn writes_are_not_retried_unless_asked() {
    let server = serve(|_, _| status(502, json!({}))).await;
    let err = client(&server)
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(server.count(EXECUTE), 1);

    let retrying = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .retry(fast_retries().max_attempts(3).retry_writes(true))
        .build()
        .unwrap();
    retrying
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 4);
}

#[tokio::test]
async fn rate_limits_honour_retry_after_within_the_cap() {
    let server = serve(|_, n| {
        if n == 0 {
            let mut r = status(429, json!({}));
            r.headers.push(("retry-after", "1".into()));
            r
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let started = Instant::now();
    client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.count(EXECUTE), 2);

    // A 503 with Retry-After is honoured too.
    let unavailable = serve(|_, n| {
        if n == 0 {
            let mut r = status(503, json!({}));
            r.headers.push(("retry-after", "1".into()));
            r
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let started = Instant::now();
    client(&unavailable)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));

    // A Retry-After beyond the cap ends the retries at once, and the error keeps it.
    let far = serve(|_, _| {
        let mut r = status(429, json!({}));
        r.headers.push(("retry-after", "3600".into()));
        r
    })
    .await;
    let err = client(&far)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(far.count(EXECUTE), 1);
    assert!(matches!(
        err.kind(),
        ErrorKind::RateLimited { retry_after: Some(d) } if *d == Duration::from_secs(3600)
    ));
}

#[tokio::test]
async fn validation_errors_carry_the_server_message_and_are_not_retried() {
    let server = serve(|_, _| {
        status(
            422,
            json!({"errors": [{"message": "params.id: must be a string"}]}),
        )
    })
    .await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 1);
    assert_eq!(err.status(), Some(422));
    assert!(
        matches!(err.kind(), ErrorKind::Validation { message } if message == "params.id: must be a string")
    );

    let nf = serve(|_, _| status(404, json!({"message": "no such contact"}))).await;
    let err = client(&nf)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }));
}

#[tokio::test]
async fn slow_responses_time_out_per_attempt() {
    let server = serve(|_, n| {
        let mut r = ok(page(&["1"], None));
        if n == 0 {
            r.delay = Duration::from_millis(800);
        }
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .timeout(Duration::from_millis(200))
        .retry(fast_retries())
        .build()
        .unwrap();
    let out = c.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(out.records.len(), 1);
    assert_eq!(server.count(EXECUTE), 2);

    let always_slow = serve(|_, _| {
        let mut r = ok(page(&[], None));
        r.delay = Duration::from_millis(800);
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&always_slow.base)
        .connector_id("src-1")
        .bearer_token("t")
        .timeout(Duration::from_millis(100))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{err:?}"
    );
    assert_eq!(always_slow.count(EXECUTE), 2);
}

#[tokio::test]
async fn dropped_connections_and_refused_connects_are_transport_errors() {
    let server = serve(|_, n| {
        let mut r = ok(page(&["1"], None));
        r.drop = n == 0;
        r
    })
    .await;
    client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert_eq!(server.count(EXECUTE), 2);

    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .connector_id("src-1")
        .bearer_token("t")
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { connect: true, .. }),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn decode_errors_keep_the_path_and_the_body_start() {
    let server = serve(|_, _| {
        ok(json!({"result": [{"id": "1"}, {"id": "2", "email": {"not": "a string"}}]}))
    })
    .await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 1, "decode errors are not retried");
    assert_eq!(err.status(), Some(200));
    let d = err.as_decode().expect("a decode error");
    assert_eq!(d.path, "result[1].email");
    assert!(d.body_start.starts_with("{\"result\""), "{}", d.body_start);

    let truncated = serve(|_, _| {
        let mut r = ok(json!({}));
        r.body = "{\"result\": [{\"id\": \"1\"".into();
        r
    })
    .await;
    let err = client(&truncated)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn client_credentials_share_one_exchange_and_refresh_once_on_401() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path == "/api/v1/account/applications/token" {
            assert_eq!(
                req.body,
                json!({"client_id": "cid", "client_secret": "csecret"})
            );
            let n = ex.fetch_add(1, Ordering::SeqCst) + 1;
            let mut r = ok(json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 900}));
            r.delay = Duration::from_millis(50);
            return r;
        }
        // The first token is revoked on the server side.
        match req.header("authorization") {
            Some("Bearer tok-1") => status(401, json!({"message": "token expired"})),
            Some(h) if h.starts_with("Bearer tok-") => ok(page(&["1"], None)),
            _ => status(401, json!({"message": "no token"})),
        }
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries())
        .build()
        .unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("csecret"), "{debug}");

    let calls = (0..8).map(|_| {
        let c = c.clone();
        async move { c.execute(&ListContacts::default()).await }
    });
    let results = futures::future::join_all(calls).await;
    for r in results {
        r.unwrap();
    }
    // One exchange for all eight, one more after the 401s.
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);

    // A later call uses the cached second token without exchanging.
    c.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path.ends_with("/token") {
            ex.fetch_add(1, Ordering::SeqCst);
            return ok(json!({"access_token": "t", "expires_in": 900}));
        }
        status(401, json!({"message": "nope"}))
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Authentication { .. }));
    assert_eq!(err.status(), Some(401));
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
    assert_eq!(server.count(EXECUTE), 2);
    assert!(!err.to_string().contains("csecret"));

    // A static token gets no refresh: one attempt.
    let s2 = serve(|_, _| status(401, json!({"message": "bad token"}))).await;
    let err = client(&s2)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(s2.count(EXECUTE), 1);
    assert!(matches!(err.kind(), ErrorKind::Authentication { message } if message == "bad token"));
}

#[tokio::test]
async fn failed_token_exchange_is_an_authentication_error() {
    let server = serve(|_, _| status(401, json!({"detail": "invalid client"}))).await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { message } if message.contains("invalid client")),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 0);
}

#[tokio::test]
async fn paginate_follows_cursors_across_pages() {
    let server = serve(|req, _| {
        let after = req.body["params"]["starting_after"]
            .as_str()
            .map(str::to_owned);
        match after.as_deref() {
            None => ok(page(&["1", "2"], Some("c2"))),
            Some("c2") => ok(page(&["3", "4"], Some("c3"))),
            Some("c3") => ok(page(&["5"], None)),
            Some(other) => status(400, json!({"message": format!("bad cursor {other}")})),
        }
    })
    .await;
    let ids: Vec<String> = client(&server)
        .paginate(ListContacts {
            per_page: Some(2),
            ..Default::default()
        })
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        reqs[2].body["params"],
        json!({"per_page": 2, "starting_after": "c3"})
    );
}

#[tokio::test]
async fn paginate_stops_on_a_repeated_cursor() {
    let server = serve(|req, _| {
        let after = req.body["params"]["cursor"].as_str().map(str::to_owned);
        let (ids, more) = match after.as_deref() {
            None => (vec!["1"], true),
            _ => (vec!["2"], true),
        };
        ok(
            json!({"result": {"data": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>(),
                             "meta": {"has_more": more, "cursor": "same", "took_ms": 1}}}),
        )
    })
    .await;
    let items: Vec<_> = client(&server)
        .paginate(SearchContacts { cursor: None })
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    assert_eq!(items[1].as_ref().unwrap().id, "2");
    let err = items[2].as_ref().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RepeatedCursor { cursor } if cursor == "same"));
    assert_eq!(server.count(EXECUTE), 2);
}

#[tokio::test]
async fn paginate_ends_with_the_error_of_a_failed_page() {
    let server = serve(|req, _| {
        if req.body["params"]["starting_after"].is_null() {
            ok(page(&["1"], Some("c2")))
        } else {
            status(404, json!({"message": "gone"}))
        }
    })
    .await;
    let items: Vec<_> = client(&server)
        .paginate(ListContacts::default())
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(
        items[1].as_ref().unwrap_err().kind(),
        ErrorKind::NotFound { .. }
    ));
}

#[test]
fn build_reports_configuration_errors() {
    let missing_id = Client::builder().bearer_token("t").build().unwrap_err();
    assert!(matches!(missing_id.kind(), ErrorKind::Config { .. }));
    let no_auth = Client::builder().connector_id("x").build().unwrap_err();
    assert!(
        matches!(no_auth.kind(), ErrorKind::Config { message } if message.contains("credentials"))
    );
    let bad_url = Client::builder()
        .base_url("not a url")
        .connector_id("x")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(bad_url.kind(), ErrorKind::Config { .. }));
    let bad_id = Client::builder()
        .connector_id("a/b")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(bad_id.kind(), ErrorKind::Config { .. }));

    let c = Client::builder()
        .base_url("http://localhost:1/")
        .path_template("/api/v1/integrations/connectors/{id}/execute", "id")
        .connector_id("abc")
        .bearer_token("super-secret-token")
        .build()
        .unwrap();
    assert_eq!(
        c.execute_url(),
        "http://localhost:1/api/v1/integrations/connectors/abc/execute"
    );
    assert!(!format!("{c:?}").contains("super-secret-token"));
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts() {
    let server = serve(|_, _| {
        let mut r = status(500, json!({}));
        r.delay = Duration::from_millis(300);
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .retry(
            fast_retries()
                .max_attempts(10)
                .deadline(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_retryable());
    assert!(server.count(EXECUTE) <= 2, "{}", server.count(EXECUTE));
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_request_but_never_secrets() {
    let buf = Buf::default();
    let writer = buf.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = serve(|req, n| {
        if req.path.ends_with("/token") {
            return ok(json!({"access_token": "tok-SECRET-1", "expires_in": 900}));
        }
        if n == 1 {
            status(503, json!({"message": "busy"}))
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret-XYZ")
        .retry(fast_retries())
        .build()
        .unwrap();
    c.execute(&ListContacts::default()).await.unwrap();
    let err = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("static-TOKEN-9")
        .build()
        .unwrap();
    let _ = format!("{err:?}");

    let out = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    if std::env::var_os("SHOW_TRACES").is_some() {
        println!("{out}");
    }
    assert!(out.contains("airbyte.request"), "{out}");
    assert!(out.contains("entity=\"contacts\""), "{out}");
    assert!(out.contains("attempt=1"), "{out}");
    assert!(out.contains("status=503"), "{out}");
    assert!(out.contains("retrying"), "{out}");
    for secret in ["tok-SECRET-1", "csecret-XYZ", "static-TOKEN-9"] {
        assert!(!out.contains(secret), "{secret} leaked: {out}");
    }
}

#[tokio::test]
async fn futures_and_streams_are_send_and_static() {
    let server = serve(|_, _| ok(page(&["1", "2"], None))).await;
    let c = client(&server);
    let c2 = c.clone();
    let one = tokio::spawn(async move { c2.execute(&ListContacts::default()).await });
    let stream = c.paginate(ListContacts::default());
    let all = tokio::spawn(async move { stream.collect::<Vec<_>>().await });
    assert_eq!(one.await.unwrap().unwrap().records.len(), 2);
    assert_eq!(all.await.unwrap().len(), 2);
}
