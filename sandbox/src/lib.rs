//! Loopback sandbox of the Airbyte execute API.
//!
//! [`Sandbox::start`] binds `127.0.0.1:0` and serves, over HTTP/1.1:
//!
//! * `POST /api/v1/account/applications/token`: `{client_id, client_secret}` ->
//!   `{access_token, token_type, expires_in}` (counted, see [`Sandbox::token_exchanges`]);
//! * `POST /api/v1/connectors/sources/{id}/execute` and
//!   `POST /api/v1/integrations/connectors/{id}/execute`: `{entity, action, params}` over
//!   in-memory records per entity (the repo's own `sandbox/fixtures/intercom/*.json`), with the
//!   actions `list` (paged as Intercom's built-in `paging.resolved.yaml` says: `per_page`,
//!   `starting_after`), `get` (404 when unknown), `search` (hits),
//!   `context_store_search` (data + meta), `create` and `update`; and, for any entity,
//!   `download`, a generated body streamed as it is read (see [`SandboxConfig::download_size`]).
//!   `list` and `get` honour `select_fields` and `exclude_fields`.
//!
//! Search filters are evaluated by the runtime's [`Condition::matches`], the one implementation
//! of the operators; the sandbox only adds sort, limit, cursor and `fields` projection.
//!
//! Requests need `Authorization: Bearer <token>` with [`TEST_TOKEN`] or a token the sandbox
//! issued (401 otherwise). Faults are scripted per test with [`Sandbox::push_fault`]: each
//! execute request takes the next queued fault, if any. Every execute request is counted
//! ([`Sandbox::execute_requests`]) so tests can assert attempts.
//!
//! Without a model it serves Intercom's fixture entities and answers any action by its name.
//! [`SandboxConfig::model`] serves any connector from its `model.yaml` instead (see [`model`]):
//! exactly its entities and actions, each answered as the generated client reads it (lists
//! paged and records named by their key as the model's `paging.resolved.yaml` says, the
//! decisions codegen's lowering made),
//! records synthesised from the documented field types unless fixtures or [`Sandbox::seed`]
//! provide them.
//!
//! Built by hand on hyper rather than axum: a [`Fault::Drop`] must close the socket without
//! answering, which needs the connection future in hand.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod model;
mod synth;

pub use model::{Key, Model, ModelError};

use std::cmp::Ordering as CmpOrdering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use airbyte_agent_runtime::filter::{lookup, Condition};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{json, Map, Value};
use tokio::net::TcpListener;
use tokio::sync::Notify;

mod download;
mod options;
pub mod paging;

pub use download::download_byte;

/// The static bearer token every sandbox accepts.
pub const TEST_TOKEN: &str = "sandbox-test-token";
/// The client id accepted by the token endpoint (with [`TEST_CLIENT_SECRET`]).
pub const TEST_CLIENT_ID: &str = "sandbox-client";
/// The client secret accepted by the token endpoint.
pub const TEST_CLIENT_SECRET: &str = "sandbox-client-secret-do-not-log";
/// The connector id used by [`Sandbox::execute_url`] and the examples.
pub const TEST_CONNECTOR_ID: &str = "00000000-0000-4000-8000-00000000e2e0";

/// Path of the token endpoint.
pub const TOKEN_PATH: &str = "/api/v1/account/applications/token";

const FIXTURES: &[(&str, &str)] = &[
    (
        "contacts",
        include_str!("../fixtures/intercom/contacts.json"),
    ),
    (
        "companies",
        include_str!("../fixtures/intercom/companies.json"),
    ),
    (
        "conversations",
        include_str!("../fixtures/intercom/conversations.json"),
    ),
    ("teams", include_str!("../fixtures/intercom/teams.json")),
    ("admins", include_str!("../fixtures/intercom/admins.json")),
    ("tags", include_str!("../fixtures/intercom/tags.json")),
    (
        "segments",
        include_str!("../fixtures/intercom/segments.json"),
    ),
];

/// How a [`Sandbox`] starts.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Lifetime of issued tokens (`expires_in`), default one hour.
    pub token_expiry: Duration,
    /// Load the built-in Intercom fixture records (default `true`).
    pub fixtures: bool,
    /// When set, the `contacts` entity serves this many synthetic contacts generated on the
    /// fly from their index (nothing is held in memory) instead of the fixtures.
    pub synthetic_contacts: Option<u64>,
    /// Keep every execute request for [`Sandbox::requests`] (default `true`). Benchmarks that
    /// send millions of requests turn it off so the log does not grow.
    pub log_requests: bool,
    /// Entities whose `list` pages in a style of their own (see [`SandboxConfig::paged`]).
    pub paged: HashMap<String, paging::Paged>,
    /// Records of entities, added to the fixtures (see [`SandboxConfig::paged`]).
    pub records: HashMap<String, Vec<Value>>,
    /// Time every execute request waits before it is answered (default none): the round
    /// trip of a remote API, for benchmarks of paging and prefetching. Kept to about 0.1 ms
    /// (tokio's timer alone would add up to a millisecond).
    pub latency: Duration,
    /// Size in bytes of the body every `download` action answers (default 1 MiB; see
    /// [`download_byte`]).
    pub download_size: u64,
    /// The connector served (see [`SandboxConfig::model`]); `None` serves Intercom's fixture
    /// entities and answers any action by its name.
    pub model: Option<Arc<Model>>,
    /// How many records are synthesised for each entity of [`SandboxConfig::model`] that has
    /// no fixtures (default 25).
    pub records_per_entity: u64,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            token_expiry: Duration::from_secs(3600),
            fixtures: true,
            synthetic_contacts: None,
            log_requests: true,
            paged: HashMap::new(),
            records: HashMap::new(),
            latency: Duration::ZERO,
            download_size: 1024 * 1024,
            model: None,
            records_per_entity: 25,
        }
    }
}

impl SandboxConfig {
    /// Sets the lifetime of issued tokens.
    pub fn token_expiry(mut self, d: Duration) -> Self {
        self.token_expiry = d;
        self
    }

    /// Serves `n` synthetic contacts (see [`synthetic_contact`]).
    pub fn synthetic_contacts(mut self, n: u64) -> Self {
        self.synthetic_contacts = Some(n);
        self
    }

    /// Whether to keep a log of execute requests (see [`SandboxConfig::log_requests`]).
    pub fn log_requests(mut self, yes: bool) -> Self {
        self.log_requests = yes;
        self
    }

    /// Serves `records` as `entity`, its `list` paging as `paging` says (page size in
    /// `size_param`, default [`paging::DEFAULT_SIZE`]), as [`paging::serve`] does.
    pub fn paged(
        mut self,
        entity: &str,
        paging: airbyte_agent_runtime::Paging,
        size_param: &str,
        records: Vec<Value>,
    ) -> Self {
        let paged = paging::Paged {
            pagination: model::pagination(paging),
            size: Some(size_param.to_owned()),
            default_size: None,
        };
        self.paged.insert(entity.to_owned(), paged);
        self.records.insert(entity.to_owned(), records);
        self
    }

    /// Delays every execute request by `d` (see [`SandboxConfig::latency`]).
    pub fn latency(mut self, d: Duration) -> Self {
        self.latency = d;
        self
    }

    /// Sets the size of download bodies (see [`SandboxConfig::download_size`]).
    pub fn download_size(mut self, bytes: u64) -> Self {
        self.download_size = bytes;
        self
    }

    /// Whether to load the built-in fixture records.
    pub fn fixtures(mut self, yes: bool) -> Self {
        self.fixtures = yes;
        self
    }

    /// Serves the connector of `model`: exactly its entities and actions (others get 422
    /// naming what is served), each action answered by the handler of its kind, with
    /// [`SandboxConfig::records_per_entity`] records synthesised from the documented record
    /// fields for every entity without fixtures. Intercom's fixtures are used only for the
    /// model named `intercom`.
    pub fn model(mut self, model: Model) -> Self {
        self.model = Some(Arc::new(model));
        self
    }

    /// How many records to synthesise per entity of a model (see [`SandboxConfig::model`]).
    pub fn records_per_entity(mut self, n: u64) -> Self {
        self.records_per_entity = n;
        self
    }
}

/// A scripted misbehaviour for one execute request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Answer with this status and a JSON error body (e.g. 500, 503).
    Status(u16),
    /// 429 with `Retry-After: <seconds>`.
    RetryAfterSeconds(u64),
    /// 429 with `Retry-After` as an HTTP date this far in the future (whole seconds).
    RetryAfterDate(Duration),
    /// Sleep this long, then answer normally.
    Slow(Duration),
    /// Answer normally but cut the body in half.
    Truncated,
    /// Answer 200 with a body that is not JSON.
    InvalidJson,
    /// Answer normally but set `field` to `value` in every returned record.
    WrongType {
        /// Top-level member of the records.
        field: String,
        /// The value it gets.
        value: Value,
    },
    /// Answer 200 with `{"result": "<text>"}` where a list or object is expected.
    WrongEnvelope,
    /// Close the connection without answering.
    Drop,
    /// Answer normally but give the request's own position as the next one (a server that
    /// repeats a cursor), `"c0"` when the request had none, in the members the action's paging
    /// reads: the cursor member, a next-page URL carrying it, or a search's cursor. Page
    /// numbers, offsets and last ids are left alone.
    RepeatedCursor,
    /// 401, as for an expired or revoked token.
    Unauthorized,
    /// Answer with exactly this status, these headers and this body (a scripted exchange,
    /// e.g. one of `../shared/cases`); the literal `NOW` in a header value is replaced by the
    /// server's clock in Unix seconds (`NOW+2` by that plus 2).
    Respond {
        /// The HTTP status.
        status: u16,
        /// Header names and values.
        headers: Vec<(String, String)>,
        /// The body, sent verbatim.
        body: String,
    },
}

/// One execute request as the sandbox saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The request path.
    pub path: String,
    /// The JSON body (`Value::Null` when it was not JSON).
    pub body: Value,
    /// Whether it carried a valid bearer token.
    pub authorized: bool,
    /// Its headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    /// The first value of header `name` (any case), when present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Counters {
    execute: AtomicU64,
    token: AtomicU64,
    issued: AtomicU64,
}

struct State {
    config: SandboxConfig,
    /// Intercom's model when [`SandboxConfig::model`] is `None`: how its lists page.
    intercom: Option<Model>,
    entities: Mutex<HashMap<String, Vec<Value>>>,
    faults: Mutex<VecDeque<Fault>>,
    tokens: Mutex<HashSet<String>>,
    seen: Mutex<Vec<Seen>>,
    counters: Counters,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running loopback sandbox; stops accepting connections when dropped.
pub struct Sandbox {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Sandbox {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime.
    ///
    /// # Panics
    /// When no loopback port can be bound.
    pub async fn start(config: SandboxConfig) -> Sandbox {
        let loopback = SocketAddr::from(([127, 0, 0, 1], 0));
        Sandbox::bind(loopback, config)
            .await
            .expect("bind a loopback port")
    }

    /// Binds `addr` (port 0 picks a free port) and serves on the current tokio runtime.
    ///
    /// # Errors
    /// When `addr` cannot be bound (in use, not a local address, no permission).
    pub async fn bind(addr: SocketAddr, config: SandboxConfig) -> std::io::Result<Sandbox> {
        let mut entities = HashMap::new();
        let intercom = config.model.as_ref().is_none_or(|m| m.name == "intercom");
        if config.fixtures && intercom {
            for (name, text) in FIXTURES {
                let records: Vec<Value> = serde_json::from_str(text).unwrap_or_default();
                entities.insert((*name).to_owned(), records);
            }
        }
        if let Some(model) = &config.model {
            for entity in &model.entities {
                entities.entry(entity.id.clone()).or_insert_with(|| {
                    let fields = entity.record_fields();
                    (0..config.records_per_entity)
                        .map(|i| synth::record(&entity.id, fields, model.key_field(&entity.id), i))
                        .collect()
                });
            }
        }
        entities.extend(config.records.clone());
        // Without a model, lists page as Intercom's generator settled it.
        let intercom = config.model.is_none().then(Model::intercom);
        let state = Arc::new(State {
            intercom,
            config,
            entities: Mutex::new(entities),
            faults: Mutex::new(VecDeque::new()),
            tokens: Mutex::new(HashSet::new()),
            seen: Mutex::new(Vec::new()),
            counters: Counters::default(),
        });
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(accept_loop(listener, state.clone()));
        Ok(Sandbox { addr, state, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `builder` pointed at this sandbox: its base URL, [`TEST_CONNECTOR_ID`] and
    /// [`TEST_TOKEN`]. Keep the connector's own builder (`Intercom::builder()`) for its path
    /// template: `sandbox.connect(Intercom::builder()).build()` gives the connector, as
    /// `sandbox.connect(Client::builder()).build()` gives a runtime `Client`.
    pub fn connect<C>(
        &self,
        builder: airbyte_agent_runtime::ClientBuilder<C>,
    ) -> airbyte_agent_runtime::ClientBuilder<C> {
        builder
            .base_url(self.base_url())
            .connector_id(TEST_CONNECTOR_ID)
            .bearer_token(TEST_TOKEN)
    }

    /// The execute URL for [`TEST_CONNECTOR_ID`].
    pub fn execute_url(&self) -> String {
        format!(
            "{}/api/v1/connectors/sources/{TEST_CONNECTOR_ID}/execute",
            self.base_url()
        )
    }

    /// Queues a fault for the next execute request without one.
    pub fn push_fault(&self, fault: Fault) {
        lock(&self.state.faults).push_back(fault);
    }

    /// Faults not yet consumed.
    pub fn pending_faults(&self) -> usize {
        lock(&self.state.faults).len()
    }

    /// Number of execute requests received (every attempt, faulted or not).
    pub fn execute_requests(&self) -> u64 {
        self.state.counters.execute.load(Ordering::SeqCst)
    }

    /// Number of token exchanges answered successfully.
    pub fn token_exchanges(&self) -> u64 {
        self.state.counters.token.load(Ordering::SeqCst)
    }

    /// The execute requests received so far (empty when [`SandboxConfig::log_requests`] is off).
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.state.seen).clone()
    }

    /// Forgets every issued token: the next request with one gets 401.
    pub fn revoke_tokens(&self) {
        lock(&self.state.tokens).clear();
    }

    /// Replaces the stored records of `entity` with `records` (the entity is created when
    /// new). Records are JSON objects; `get`, `update` and `delete` find them by the record
    /// key the model's generator settled (the field their parameter names, e.g. `gid` for
    /// `task_gid`), by `id` without a model.
    pub fn seed(&self, entity: &str, records: impl IntoIterator<Item = Value>) {
        lock(&self.state.entities).insert(entity.to_owned(), records.into_iter().collect());
    }

    /// The stored records of `entity` (synthetic contacts are not listed).
    pub fn records(&self, entity: &str) -> Vec<Value> {
        lock(&self.state.entities)
            .get(entity)
            .cloned()
            .unwrap_or_default()
    }
}

/// The synthetic contact number `i`: id `synthetic-<i>`, deterministic fields.
pub fn synthetic_contact(i: u64) -> Value {
    const ROLES: [&str; 2] = ["user", "lead"];
    const PLANS: [&str; 3] = ["free", "pro", "enterprise"];
    json!({
        "type": "contact",
        "id": format!("synthetic-{i}"),
        "workspace_id": "wsp4e7k2",
        "external_id": i.to_string(),
        "role": ROLES[(i % 2) as usize],
        "email": format!("person{i}@synthetic.example"),
        "name": format!("Person {i}"),
        "created_at": 1_700_000_000 + i as i64,
        "updated_at": 1_700_000_000 + 2 * i as i64,
        "custom_attributes": {"plan": PLANS[(i % 3) as usize], "seats": i % 50},
    })
}

async fn accept_loop(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let abort = Arc::new(Notify::new());
            let abort_in_service = abort.clone();
            let service = hyper::service::service_fn(move |req| {
                let state = state.clone();
                let abort = abort_in_service.clone();
                async move { Ok::<_, Infallible>(download::body(handle(req, state, abort).await)) }
            });
            let conn = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = abort.notified() => {}
            }
        });
    }
}

fn respond(status: u16, body: impl Into<Bytes>) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// A [`Fault::Respond`] answer.
fn scripted(status: u16, headers: &[(String, String)], body: &str) -> Response<Full<Bytes>> {
    let mut r = respond(status, body.to_owned());
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for (name, value) in headers {
        let value = match value.strip_prefix("NOW") {
            Some(rest) => {
                let plus = rest.strip_prefix('+').and_then(|n| n.parse::<u64>().ok());
                (now + plus.unwrap_or(0)).to_string()
            }
            None => value.clone(),
        };
        if let (Ok(n), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            r.headers_mut().insert(n, v);
        }
    }
    r
}

fn error(status: u16, message: &str) -> Response<Full<Bytes>> {
    respond(status, json!({ "message": message }).to_string())
}

async fn handle(
    req: Request<Incoming>,
    state: Arc<State>,
    abort: Arc<Notify>,
) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_owned();
    let bearer = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let is_post = req.method() == hyper::Method::POST;
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = match req.into_body().collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return error(400, "unreadable body"),
    };
    let parsed = serde_json::from_slice::<Value>(&body);
    let body_problem = match &parsed {
        Ok(Value::Object(_)) => None,
        Ok(_) => Some("the request body is not a JSON object".to_owned()),
        Err(e) => Some(format!("the request body is not JSON: {e}")),
    };
    let json = parsed.unwrap_or(Value::Null);
    if !is_post {
        return error(405, "use POST");
    }
    if path == TOKEN_PATH {
        return token(&state, &json);
    }
    if !is_execute_path(&path) {
        return error(404, "no such endpoint");
    }
    state.counters.execute.fetch_add(1, Ordering::SeqCst);
    let authorized = bearer.is_some_and(|t| t == TEST_TOKEN || lock(&state.tokens).contains(&t));
    if state.config.log_requests {
        lock(&state.seen).push(Seen {
            path,
            body: json.clone(),
            authorized,
            headers,
        });
    }
    if !state.config.latency.is_zero() {
        wait_precisely(state.config.latency).await;
    }
    let fault = lock(&state.faults).pop_front();
    match &fault {
        Some(Fault::Drop) => {
            abort.notify_one();
            std::future::pending::<()>().await;
        }
        Some(Fault::Status(code)) => return error(*code, "scripted failure"),
        Some(Fault::Unauthorized) => return error(401, "token expired"),
        Some(Fault::RetryAfterSeconds(s)) => {
            let mut r = error(429, "slow down");
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                r.headers_mut().insert(RETRY_AFTER, v);
            }
            return r;
        }
        Some(Fault::RetryAfterDate(d)) => {
            let mut r = error(429, "slow down");
            let date = httpdate::fmt_http_date(SystemTime::now() + *d);
            if let Ok(v) = HeaderValue::from_str(&date) {
                r.headers_mut().insert(RETRY_AFTER, v);
            }
            return r;
        }
        Some(Fault::Respond {
            status,
            headers,
            body,
        }) => return scripted(*status, headers, body),
        Some(Fault::Slow(d)) => tokio::time::sleep(*d).await,
        Some(Fault::InvalidJson) => return respond(200, "{\"result\": [ not json"),
        Some(Fault::WrongEnvelope) => {
            return respond(200, json!({"result": "not what you expected"}).to_string())
        }
        _ => {}
    }
    if !authorized {
        return error(401, "invalid or missing bearer token");
    }
    if let Some(problem) = body_problem {
        return error(400, &problem);
    }
    let action = json.get("action").and_then(Value::as_str).unwrap_or("");
    let download = match &state.config.model {
        None => action == "download",
        // A model's action of the download kind, whatever its name; an unknown one is
        // answered by `execute` (422 naming what is served).
        Some(model) => {
            let entity = json.get("entity").and_then(Value::as_str).unwrap_or("");
            model
                .route(entity, action)
                .is_ok_and(|r| r.handler == "download")
        }
    };
    if download {
        let params = json.get("params").cloned().unwrap_or(Value::Null);
        return download::plan(&state.config, &params, fault.as_ref());
    }
    let (status, mut out) = execute(&state, &json);
    if status == 200
        && matches!(
            json.get("action").and_then(Value::as_str),
            Some("list" | "get")
        )
    {
        options::apply(&json, &mut out);
    }
    if status == 200 {
        match &fault {
            Some(Fault::WrongType { field, value }) => set_in_records(&mut out, field, value),
            Some(Fault::RepeatedCursor) => {
                let entity = json.get("entity").and_then(Value::as_str).unwrap_or("");
                let model = state.config.model.as_ref();
                let route = model.and_then(|m| m.route(entity, action).ok());
                let paged = paged(&state, entity, &json, route.as_ref());
                repeat_cursor(&mut out, &json, paged.as_ref());
            }
            _ => {}
        }
    }
    let text = out.to_string();
    if fault == Some(Fault::Truncated) {
        let cut = text.len() / 2;
        return respond(status, text.into_bytes()[..cut].to_vec());
    }
    respond(status, text)
}

fn is_execute_path(path: &str) -> bool {
    let id_between = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix("/execute"))
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    };
    id_between("/api/v1/connectors/sources/") || id_between("/api/v1/integrations/connectors/")
}

fn token(state: &State, body: &Value) -> Response<Full<Bytes>> {
    let id = body.get("client_id").and_then(Value::as_str);
    let secret = body.get("client_secret").and_then(Value::as_str);
    if id != Some(TEST_CLIENT_ID) || secret != Some(TEST_CLIENT_SECRET) {
        return error(401, "invalid client credentials");
    }
    let n = state.counters.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let token = format!("sbx-token-{n}-{}", Instant::now().elapsed().as_nanos());
    lock(&state.tokens).insert(token.clone());
    state.counters.token.fetch_add(1, Ordering::SeqCst);
    respond(
        200,
        json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": state.config.token_expiry.as_secs(),
        })
        .to_string(),
    )
}

/// The records of an entity: stored ones, or synthetic contacts.
enum Source<'a> {
    Stored(&'a [Value]),
    Synthetic(u64),
}

impl Source<'_> {
    fn len(&self) -> u64 {
        match self {
            Source::Stored(v) => v.len() as u64,
            Source::Synthetic(n) => *n,
        }
    }
    fn at(&self, i: u64) -> Value {
        match self {
            Source::Stored(v) => v[i as usize].clone(),
            Source::Synthetic(_) => synthetic_contact(i),
        }
    }
    /// The record whose `field` is `id`.
    fn find(&self, field: &str, id: &str) -> Option<Value> {
        match self {
            Source::Stored(v) => v
                .iter()
                .find(|r| r.get(field).is_some_and(|x| id_eq(x, id)))
                .cloned(),
            Source::Synthetic(_) if field != "id" => None,
            Source::Synthetic(n) => id
                .strip_prefix("synthetic-")
                .and_then(|i| i.parse::<u64>().ok())
                .filter(|i| i < n)
                .map(synthetic_contact),
        }
    }
}

fn id_eq(v: &Value, id: &str) -> bool {
    match v {
        Value::String(s) => s == id,
        Value::Number(n) => n.to_string() == id,
        _ => false,
    }
}

fn parse_cursor(c: Option<&Value>) -> Result<u64, String> {
    match c {
        None | Some(Value::Null) => Ok(0),
        Some(Value::String(s)) => s
            .strip_prefix('c')
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("unknown cursor {s:?}")),
        Some(other) => Err(format!("cursor must be a string, got {other}")),
    }
}

fn execute(state: &State, body: &Value) -> (u16, Value) {
    let entity = body.get("entity").and_then(Value::as_str).unwrap_or("");
    let action = body.get("action").and_then(Value::as_str).unwrap_or("");
    let empty = Value::Object(Map::new());
    let params = body.get("params").unwrap_or(&empty);
    if !params.is_object() {
        return (
            422,
            json!({"errors": [{"message": "params must be an object"}]}),
        );
    }
    let route = match &state.config.model {
        None => None,
        Some(model) => match model.route(entity, action) {
            Ok(r) => Some(r),
            Err(message) => return (422, json!({ "message": message })),
        },
    };
    let action = route.as_ref().map_or(action, |r| r.handler);
    if matches!(action, "create" | "update" | "delete") {
        return write(state, entity, action, params, route.as_ref());
    }
    let entities = lock(&state.entities);
    let source = match (entity, state.config.synthetic_contacts) {
        ("contacts", Some(n)) => Source::Synthetic(n),
        _ => match entities.get(entity) {
            Some(v) => Source::Stored(v),
            None => {
                return (
                    422,
                    json!({"message": format!("unknown entity {entity:?}")}),
                )
            }
        },
    };
    let paged = paged(state, entity, body, route.as_ref());
    let paged = paged.as_ref();
    let key = route.as_ref().map_or_else(Key::id, |r| r.key.clone());
    let key_field = route
        .as_ref()
        .and_then(|r| r.key_field.as_deref())
        .unwrap_or("id");
    let result = match action {
        "list" => match (paged, &source) {
            (Some(paged), Source::Stored(records)) => {
                paging::serve(paged, params, records).map_err(|m| (422, m))
            }
            (Some(paged), Source::Synthetic(n)) => synthetic_list(paged, *n, params),
            // A list that does not page: every record in one page.
            (None, _) => {
                let records: Vec<Value> = (0..source.len()).map(|i| source.at(i)).collect();
                Ok(json!({"result": records, "connector_metadata": {}}))
            }
        },
        "get" => get(&source, params, &key),
        "search" | "context_store_search" => {
            search(&source, params, action == "search", paged, key_field)
        }
        other => Err((422, format!("unknown action {other:?} for {entity}"))),
    };
    match result {
        Ok(v) => (200, v),
        Err((status, message)) => (status, json!({ "message": message })),
    }
}

type ActionResult = Result<Value, (u16, String)>;

/// How `entity`'s `action` pages: as [`SandboxConfig::paged`] says for the entity, else as the
/// model's generator settled it (`route`), else, without a model, as Intercom's did (an
/// entity Intercom does not have pages like its contacts).
fn paged(
    state: &State,
    entity: &str,
    body: &Value,
    route: Option<&model::Route>,
) -> Option<paging::Paged> {
    if let Some(p) = state.config.paged.get(entity) {
        return Some(p.clone());
    }
    if let Some(route) = route {
        return route.paging.clone();
    }
    let intercom = state.intercom.as_ref()?;
    let action = body.get("action").and_then(Value::as_str).unwrap_or("");
    match intercom.route(entity, action) {
        Ok(r) => r.paging,
        Err(_) if intercom.entity(entity).is_none() && action == "list" => {
            intercom.route("contacts", "list").ok()?.paging
        }
        Err(_) => None,
    }
}

/// A page of `n` synthetic contacts, made on the fly when the paging has a cursor; other
/// styles page the contacts made up front.
fn synthetic_list(paged: &paging::Paged, n: u64, params: &Value) -> ActionResult {
    let paging::Paged {
        pagination: model::Pagination::Cursor { param, next, more },
        size,
        default_size,
    } = paged
    else {
        let records: Vec<Value> = (0..n).map(synthetic_contact).collect();
        return paging::serve(paged, params, &records).map_err(|m| (422, m));
    };
    let size_param = size.as_deref().unwrap_or("");
    let per_page = match params.get(size_param) {
        None | Some(Value::Null) => default_size.unwrap_or(paging::DEFAULT_SIZE),
        Some(v) => v
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or((422, format!("{size_param} must be a positive integer")))?,
    };
    let start = parse_cursor(params.get(param)).map_err(|m| (422, m))?;
    let end = start.saturating_add(per_page).min(n);
    let records: Vec<Value> = (start.min(end)..end).map(synthetic_contact).collect();
    let mut meta = Map::new();
    meta.insert(
        next.clone(),
        (end < n)
            .then(|| format!("c{end}"))
            .map_or(Value::Null, Value::String),
    );
    if let Some(more) = more {
        meta.insert(more.clone(), Value::Bool(end < n));
    }
    Ok(json!({"result": records, "connector_metadata": meta}))
}

/// The record the request names (see [`Named`]).
fn get(source: &Source<'_>, params: &Value, key: &Key) -> ActionResult {
    match named(params, key)? {
        Named::Field(field, id) => source
            .find(&field, &id)
            .ok_or((404, format!("no record with {field} {id:?}"))),
        Named::Only if source.len() > 0 => Ok(source.at(0)),
        Named::Only => Err((404, "the entity has no record".into())),
    }
    .map(|r| json!({ "result": r }))
}

/// Which record an action on one record names.
enum Named {
    /// The one whose record field (first) has the value (second, as text).
    Field(String, String),
    /// The entity's one record (the first): the action takes no parameter naming it.
    Only,
}

/// What the request names by the settled `key`: the value of its parameter (422 when it is
/// missing or not a string or number), the entity's one record, or, when the generator
/// settled no key, a 422 saying so with the generator's reason (the sandbox does not guess).
fn named(params: &Value, key: &Key) -> Result<Named, (u16, String)> {
    match key {
        Key::Param { param, field, .. } => match params.get(param) {
            Some(Value::String(s)) => Ok(Named::Field(field.clone(), s.clone())),
            Some(Value::Number(n)) => Ok(Named::Field(field.clone(), n.to_string())),
            _ => Err((422, format!("params.{param}: required string"))),
        },
        Key::Only => Ok(Named::Only),
        Key::Unsettled { reason } => Err((
            422,
            format!(
                "the generator settled no record key for this action ({reason}), \
                 so the sandbox cannot tell which record is meant"
            ),
        )),
    }
}

/// `paged`: the parameters of the search's cursor and size and its documented default size
/// (`cursor`, `limit` and 1000 without one); `key_field`: the record member a hit's `id` is.
fn search(
    source: &Source<'_>,
    params: &Value,
    hits_style: bool,
    paged: Option<&paging::Paged>,
    key_field: &str,
) -> ActionResult {
    let cursor_param = paged.and_then(|p| p.pagination.param()).unwrap_or("cursor");
    let limit_param = paged.and_then(|p| p.size.as_deref()).unwrap_or("limit");
    let query = params.get("query").cloned().unwrap_or(json!({}));
    let condition = match query.get("filter") {
        None | Some(Value::Null) => None,
        Some(f) => {
            let c: Condition = serde_json::from_value(f.clone())
                .map_err(|e| (422, format!("query.filter: {e}")))?;
            if let Some(unknown) = c.first_unknown() {
                return Err((422, format!("query.filter: unknown condition {unknown}")));
            }
            Some(c)
        }
    };
    let mut sorts = Vec::new();
    if let Some(list) = query.get("sort").and_then(Value::as_array) {
        for s in list {
            let Some((field, order)) = s.as_object().and_then(|m| m.iter().next()) else {
                return Err((422, "query.sort: each key is {field: order}".to_owned()));
            };
            let desc = match order.as_str() {
                Some("asc") => false,
                Some("desc") => true,
                _ => return Err((422, format!("query.sort: bad order {order}"))),
            };
            sorts.push((field.clone(), desc));
        }
    }
    let limit = match params.get(limit_param) {
        None | Some(Value::Null) => paged.and_then(|p| p.default_size).unwrap_or(1000),
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .ok_or((422, format!("{limit_param} must be a positive integer")))?,
    };
    let start = parse_cursor(params.get(cursor_param)).map_err(|m| (422, m))?;
    let fields: Option<Vec<Vec<String>>> = match params.get("fields") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|p| match p {
                    Value::String(s) => Ok(s.split('.').map(str::to_owned).collect()),
                    Value::Array(segs) => segs
                        .iter()
                        .map(|s| s.as_str().map(str::to_owned).ok_or(()))
                        .collect(),
                    _ => Err(()),
                })
                .collect::<Result<_, ()>>()
                .map_err(|()| {
                    (
                        422,
                        "fields: paths are strings or arrays of strings".to_owned(),
                    )
                })?,
        ),
        Some(_) => return Err((422, "fields must be an array".to_owned())),
    };
    let started = Instant::now();
    let mut matched: Vec<Value> = (0..source.len())
        .map(|i| source.at(i))
        .filter(|r| condition.as_ref().is_none_or(|c| c.matches(r)))
        .collect();
    if !sorts.is_empty() {
        matched.sort_by(|a, b| {
            for (field, desc) in &sorts {
                let o = compare(lookup(a, field), lookup(b, field));
                let o = if *desc { o.reverse() } else { o };
                if o != CmpOrdering::Equal {
                    return o;
                }
            }
            CmpOrdering::Equal
        });
    }
    let total = matched.len() as u64;
    let end = start.saturating_add(limit).min(total);
    let page: Vec<Value> = matched
        .into_iter()
        .skip(start as usize)
        .take(end.saturating_sub(start) as usize)
        .collect();
    let next = (end < total).then(|| format!("c{end}"));
    let took_ms = started.elapsed().as_secs_f64() * 1000.0;
    let project = |r: &Value| match &fields {
        Some(paths) => projection(r, paths),
        None => r.clone(),
    };
    if hits_style {
        let hits: Vec<Value> = page
            .iter()
            .map(|r| {
                let id = r.get(key_field).cloned().unwrap_or(Value::Null);
                json!({"id": id, "score": 1.0, "data": project(r)})
            })
            .collect();
        Ok(json!({"result": {"hits": hits, "next_cursor": next, "took_ms": took_ms}}))
    } else {
        let data: Vec<Value> = page.iter().map(project).collect();
        Ok(json!({"result": {"data": data, "meta": {
            "has_more": next.is_some(), "cursor": next, "took_ms": took_ms
        }}}))
    }
}

/// Orders values for `sort`: missing/null last, numbers numerically, strings lexicographically,
/// other kinds by their JSON text.
fn compare(a: Option<&Value>, b: Option<&Value>) -> CmpOrdering {
    let a = a.filter(|v| !v.is_null());
    let b = b.filter(|v| !v.is_null());
    match (a, b) {
        (None, None) => CmpOrdering::Equal,
        (None, Some(_)) => CmpOrdering::Greater,
        (Some(_), None) => CmpOrdering::Less,
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(CmpOrdering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        (Some(x), Some(y)) => x.to_string().cmp(&y.to_string()),
    }
}

fn projection(record: &Value, paths: &[Vec<String>]) -> Value {
    let mut out = Value::Object(Map::new());
    for path in paths {
        let mut src = Some(record);
        for seg in path {
            src = src.and_then(|v| v.get(seg));
        }
        let Some(value) = src else { continue };
        let mut dst = &mut out;
        for (i, seg) in path.iter().enumerate() {
            let Value::Object(map) = dst else { break };
            if i + 1 == path.len() {
                map.insert(seg.clone(), value.clone());
                break;
            }
            dst = map
                .entry(seg.clone())
                .or_insert_with(|| Value::Object(Map::new()));
        }
    }
    out
}

/// Create, update and delete over the stored records of `entity`. With a model's `route`, a
/// created record is a synthesised record of the entity's record fields with the params that
/// name record fields laid over it, an update lays over only such params (so what comes back
/// is shaped like the record), records are found by the route's key, and a delete answers
/// what the action documents (the removed record's members of its Records table, `{}` when
/// it documents none). Without one (Intercom's fixtures), every param is a member, records
/// are found by `id` and a delete answers the removed record.
fn write(
    state: &State,
    entity: &str,
    action: &str,
    params: &Value,
    route: Option<&model::Route>,
) -> (u16, Value) {
    let fields = route.map(|r| r.fields.as_slice());
    let key = route.map_or_else(Key::id, |r| r.key.clone());
    let key_field = route.and_then(|r| r.key_field.as_deref());
    let mut entities = lock(&state.entities);
    let Some(records) = entities.get_mut(entity) else {
        return (
            422,
            json!({"message": format!("unknown entity {entity:?}")}),
        );
    };
    let Some(given) = params.as_object() else {
        return (422, json!({"message": "params must be an object"}));
    };
    let is_member = |name: &str| fields.is_none_or(|f| f.iter().any(|f| f.name == name));
    // A param that is a record field sets it; an object param that is not (Asana's `data`)
    // wraps fields, and its members that are record fields set them. An update does not
    // change the key; a create keeps the one it is given.
    let naming = (action != "create").then(|| key.param()).flatten();
    let overlay = |record: &mut Map<String, Value>| {
        for (k, v) in given
            .iter()
            .filter(|(k, _)| naming.is_none_or(|(p, _)| *k != p))
        {
            if is_member(k) {
                record.insert(k.clone(), v.clone());
            } else if let Value::Object(inner) = v {
                for (k, v) in inner.iter().filter(|(k, _)| is_member(k)) {
                    record.insert(k.clone(), v.clone());
                }
            }
        }
    };
    if action == "create" {
        let fields = fields.unwrap_or(&[]);
        // The next number whose key no record has taken.
        let name = key_field.unwrap_or("id");
        let taken = |n: u64| {
            let k = synth::key(entity, fields, name, n);
            records.iter().any(|r| r.get(name) == Some(&k))
        };
        let n = (records.len() as u64..)
            .find(|n| !taken(*n))
            .unwrap_or_default();
        let mut record = match synth::record(entity, fields, key_field, n) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        overlay(&mut record);
        if let Some(id) = given.get(name) {
            if records.iter().any(|r| r.get(name).is_some_and(|x| x == id)) {
                let message = format!("a record with {name} {id} exists");
                return (409, json!({"errors": [{"message": message}]}));
            }
            record.insert(name.into(), id.clone());
        }
        let record = Value::Object(record);
        records.push(record.clone());
        return (200, json!({ "result": record }));
    }
    let at = match named(params, &key) {
        Ok(Named::Field(field, id)) => records
            .iter()
            .position(|r| r.get(&field).is_some_and(|x| id_eq(x, &id)))
            .ok_or(format!("no record with {field} {id:?}")),
        Ok(Named::Only) => (!records.is_empty())
            .then_some(0)
            .ok_or("the entity has no record".to_owned()),
        Err((status, message)) => return (status, json!({"errors": [{"message": message}]})),
    };
    let at = match at {
        Ok(at) => at,
        Err(message) => return (404, json!({ "message": message })),
    };
    if action == "delete" {
        let removed = records.remove(at);
        let result = match route {
            None => removed,
            Some(model::Route {
                output: Some(output),
                ..
            }) => {
                // The documented fields, the removed record's values where it has them.
                let mut out = match synth::record(entity, output, None, at as u64) {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                for (name, value) in out.iter_mut() {
                    if let Some(v) = removed.get(name) {
                        *value = v.clone();
                    }
                }
                Value::Object(out)
            }
            Some(_) => json!({}),
        };
        return (200, json!({ "result": result }));
    }
    let record = &mut records[at];
    if let Value::Object(map) = record {
        overlay(map);
    }
    (200, json!({ "result": record.clone() }))
}

fn set_in_records(out: &mut Value, field: &str, value: &Value) {
    let Some(result) = out.get_mut("result") else {
        return;
    };
    let set = |r: &mut Value| {
        if let Value::Object(m) = r {
            m.insert(field.to_owned(), value.clone());
        }
    };
    match result {
        Value::Array(items) => items.iter_mut().for_each(set),
        Value::Object(m) if m.contains_key("hits") => {
            if let Some(Value::Array(hits)) = m.get_mut("hits") {
                for h in hits {
                    if let Some(d) = h.get_mut("data") {
                        set(d);
                    }
                }
            }
        }
        Value::Object(m) if m.contains_key("data") && m.contains_key("meta") => {
            if let Some(Value::Array(data)) = m.get_mut("data") {
                data.iter_mut().for_each(set);
            }
        }
        other => set(other),
    }
}

/// Makes the answer give the request's own position as the next one, in the members the
/// action's paging reads (`paged`): a cursor, a next-page URL carrying it, or a search's
/// cursor. Page numbers, offsets and last ids have no position the server gives out, so
/// their answers are left alone.
fn repeat_cursor(out: &mut Value, request: &Value, paged: Option<&paging::Paged>) {
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let param = paged.and_then(|p| p.pagination.param()).unwrap_or("cursor");
    let position = |param: &str| params.get(param).filter(|v| !v.is_null()).cloned();
    let cursor = position(param).unwrap_or_else(|| json!("c0"));
    if let Some(result) = out.get_mut("result").filter(|r| r.is_object()) {
        if result.get("hits").is_some() {
            result["next_cursor"] = cursor;
        } else if let Some(meta) = result.get_mut("meta") {
            meta["has_more"] = Value::Bool(true);
            meta["cursor"] = cursor;
        }
        return;
    }
    let (Some(meta), Some(paged)) = (out.get_mut("connector_metadata"), paged) else {
        return;
    };
    let size = paged
        .size
        .as_deref()
        .and_then(|s| Some((s, params.get(s)?.to_string())));
    let url = |path: &str, pairs: &[(&str, String)]| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        if let Some((name, value)) = &size {
            query.append_pair(name, value);
        }
        for (name, value) in pairs {
            query.append_pair(name, value);
        }
        format!("{path}?{}", query.finish())
    };
    let text = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    match &paged.pagination {
        model::Pagination::Cursor { next, more, .. } => {
            meta[next.as_str()] = cursor;
            if let Some(more) = more {
                meta[more.as_str()] = Value::Bool(true);
            }
        }
        model::Pagination::NextUrl {
            param,
            next,
            integer,
        } => {
            let at = position(param).unwrap_or(if *integer { json!(0) } else { json!("c0") });
            meta[next.as_str()] = json!(url(
                "https://sandbox.invalid/items",
                &[(param.as_str(), text(&at))]
            ));
        }
        model::Pagination::NextUrlQuery { next } => {
            let page = position(paging::PAGE_NUMBER).map_or_else(|| "0".to_owned(), |v| text(&v));
            let token = position(paging::PAGE_TOKEN).map_or_else(|| "c0".to_owned(), |v| text(&v));
            meta[next.as_str()] = json!(url(
                "/2010-04-01/Items.json",
                &[(paging::PAGE_NUMBER, page), (paging::PAGE_TOKEN, token)]
            ));
        }
        _ => {}
    }
}

/// Waits `d`, to about 0.1 ms: tokio's timer rounds every wait up to its next millisecond tick
/// (a 20 ms latency would be 20-21 ms, a jitter as large as what the paging benchmarks
/// measure), so the last 2 ms are slept on the blocking pool, where the OS times them. The
/// wait stays cancellable (a dropped request) but for those 2 ms.
async fn wait_precisely(d: Duration) {
    const LAST: Duration = Duration::from_millis(2);
    let deadline = tokio::time::Instant::now() + d;
    if d > LAST {
        tokio::time::sleep_until(deadline - LAST).await;
    }
    let rest = deadline.saturating_duration_since(tokio::time::Instant::now());
    if !rest.is_zero()
        && tokio::task::spawn_blocking(move || std::thread::sleep(rest))
            .await
            .is_err()
    {
        // The blocking pool is shutting down: tokio's timer will do.
        tokio::time::sleep_until(deadline).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projection_keeps_only_listed_paths() {
        let r = json!({"id": "1", "location": {"city": "Paris", "country": "France"}, "x": 1});
        let p = projection(
            &r,
            &[
                vec!["id".into()],
                vec!["location".into(), "city".into()],
                vec!["missing".into()],
            ],
        );
        assert_eq!(p, json!({"id": "1", "location": {"city": "Paris"}}));
    }

    #[test]
    fn execute_paths_are_recognised() {
        assert!(is_execute_path("/api/v1/connectors/sources/abc/execute"));
        assert!(is_execute_path(
            "/api/v1/integrations/connectors/abc/execute"
        ));
        assert!(!is_execute_path("/api/v1/connectors/sources//execute"));
        assert!(!is_execute_path("/api/v1/connectors/sources/a/b/execute"));
    }

    #[test]
    fn fixtures_parse_and_have_ids() {
        for (name, text) in FIXTURES {
            let v: Vec<Value> = serde_json::from_str(text).expect(name);
            assert!(!v.is_empty(), "{name}");
            assert!(v.iter().all(|r| r.get("id").is_some()), "{name}");
        }
    }
}
