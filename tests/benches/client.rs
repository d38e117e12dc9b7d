//! Client overhead: the generated SDK's `contacts().get(id).send()` against a bare reqwest POST
//! of the same body to the same loopback sandbox, one request at a time and 64 in flight.
//!
//! * `client/sequential/generated`, `client/concurrent64/generated`: the generated client
//!   (request builder, runtime client with its retry policy and deadlines, typed decode of the
//!   returned contact).
//! * `.../bare`: `reqwest::Client` POSTing the same `{entity, action, params}` body with the same
//!   bearer header and reading the response bytes: the floor.
//! * `.../bare_typed`: the same, plus decoding the contact into a minimal hand-written struct
//!   with the same fields (what a hand-written client does: the like-for-like baseline).
//! * `.../bare_value`: the same, plus decoding the body into `serde_json::Value`.
//!
//! Client and server share one tokio runtime (2 worker threads) in this process. Throughput is
//! in requests (elements). Run with `cargo bench -p airbyte-e2e --bench client`.

#![recursion_limit = "256"]

use std::hint::black_box;
use std::time::{Duration, Instant};

use airbyte_agent_sandbox::{Sandbox, SandboxConfig, TEST_TOKEN};
use airbyte_intercom::Intercom;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use futures::{stream, StreamExt, TryStreamExt};
use serde_json::{json, Value};
use tokio::runtime::Runtime;

mod common;

const IN_FLIGHT: usize = 64;

/// `{"result": {..}}` of a `get`, decoded by hand.
#[derive(serde::Deserialize)]
struct HandGet {
    result: common::HandContact,
}

/// Everything both sides need: the server, the generated SDK and a bare reqwest client.
struct Bench {
    _sandbox: Sandbox,
    intercom: Intercom,
    bare: reqwest::Client,
    url: String,
    id: String,
}

impl Bench {
    async fn generated(&self) -> Result<(), String> {
        let contact = self
            .intercom
            .contacts()
            .get(self.id.as_str())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        black_box(contact);
        Ok(())
    }

    async fn bare_bytes(&self) -> Result<bytes::Bytes, String> {
        let body = json!({"entity": "contacts", "action": "get", "params": {"id": self.id}});
        let response = self
            .bare
            .post(&self.url)
            .bearer_auth(TEST_TOKEN)
            .json(&body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !response.status().is_success() {
            return Err(format!("status {}", response.status()));
        }
        response.bytes().await.map_err(|e| e.to_string())
    }

    async fn bare(&self) -> Result<(), String> {
        black_box(self.bare_bytes().await?);
        Ok(())
    }

    async fn bare_typed(&self) -> Result<(), String> {
        let bytes = self.bare_bytes().await?;
        let get: HandGet = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        black_box(get.result);
        Ok(())
    }

    async fn bare_value(&self) -> Result<(), String> {
        let bytes = self.bare_bytes().await?;
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
        black_box(value);
        Ok(())
    }
}

fn setup(rt: &Runtime) -> Bench {
    rt.block_on(async {
        let sandbox = Sandbox::start(SandboxConfig::default().log_requests(false)).await;
        let id = sandbox.records("contacts")[0]["id"]
            .as_str()
            .expect("fixture contacts have string ids")
            .to_owned();
        let intercom = sandbox
            .connect(Intercom::builder())
            .build()
            .expect("connector");
        Bench {
            url: sandbox.execute_url(),
            _sandbox: sandbox,
            intercom,
            bare: reqwest::Client::new(),
            id,
        }
    })
}

/// Runs `iters` requests made by `one`, at most `in_flight` at a time, and times them.
fn timed<'a, F, Fut>(rt: &Runtime, iters: u64, in_flight: usize, one: F) -> Duration
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<(), String>> + 'a,
{
    rt.block_on(async {
        let start = Instant::now();
        let result = stream::iter(0..iters)
            .map(|_| one())
            .buffer_unordered(in_flight)
            .try_for_each(|()| async { Ok(()) })
            .await;
        let elapsed = start.elapsed();
        if let Err(e) = result {
            panic!("a benchmarked request failed: {e}");
        }
        elapsed
    })
}

fn client(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let bench = setup(&rt);
    // Every variant must succeed before it is timed.
    for check in [
        rt.block_on(bench.generated()),
        rt.block_on(bench.bare()),
        rt.block_on(bench.bare_typed()),
        rt.block_on(bench.bare_value()),
    ] {
        assert_eq!(check, Ok(()));
    }

    let mut group = c.benchmark_group("client");
    group.throughput(Throughput::Elements(1));
    for (label, in_flight) in [("sequential", 1), ("concurrent64", IN_FLIGHT)] {
        group.bench_function(format!("{label}/generated"), |b| {
            b.iter_custom(|iters| timed(&rt, iters, in_flight, || bench.generated()))
        });
        group.bench_function(format!("{label}/bare"), |b| {
            b.iter_custom(|iters| timed(&rt, iters, in_flight, || bench.bare()))
        });
        group.bench_function(format!("{label}/bare_typed"), |b| {
            b.iter_custom(|iters| timed(&rt, iters, in_flight, || bench.bare_typed()))
        });
        group.bench_function(format!("{label}/bare_value"), |b| {
            b.iter_custom(|iters| timed(&rt, iters, in_flight, || bench.bare_value()))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = client
}
criterion_main!(benches);
