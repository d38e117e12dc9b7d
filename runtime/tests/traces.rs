//! Tracing output of the client: the request is named, secrets never appear.
//!
//! In a test binary of its own: `tracing`'s per-callsite interest cache is global, and a test
//! running on another thread without a subscriber could otherwise mark the client's spans as
//! uninteresting before this test's scoped subscriber is in place.

use std::sync::{Arc, Mutex};

use airbyte_agent_runtime::Client;
use serde_json::json;

mod support;

use support::*;

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
