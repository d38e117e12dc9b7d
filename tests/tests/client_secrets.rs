//! A token and a client secret never appear in `Debug`, `Display` or tracing output, even
//! across a token exchange, a 401 refresh, retries and errors.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_agent_runtime::{Client, RetryPolicy};
use airbyte_agent_sandbox::{
    Fault, Sandbox, SandboxConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_CONNECTOR_ID,
    TEST_TOKEN,
};
use airbyte_intercom::Intercom;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn assert_clean(what: &str, text: &str) {
    for secret in [TEST_CLIENT_SECRET, TEST_TOKEN, "sbx-token-"] {
        assert!(
            !text.contains(secret),
            "{what} contains {secret:?}:\n{text}"
        );
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_display_and_traces() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let fast = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2));

    // Client credentials: exchange, a retried 503, a 401 refresh, an error.
    let builder = Intercom::builder()
        .base_url(sandbox.base_url())
        .connector_id(TEST_CONNECTOR_ID)
        .client_credentials(TEST_CLIENT_ID, TEST_CLIENT_SECRET)
        .retry(fast.clone());
    assert_clean("builder Debug", &format!("{builder:?}"));
    let ic: Intercom = builder.build().unwrap();
    let client = ic.client().clone();
    sandbox.push_fault(Fault::Status(503));
    let page = ic.contacts().list().send().await.unwrap();
    assert_eq!(page.records.len(), 7);
    sandbox.revoke_tokens();
    ic.tags().list().send().await.unwrap();
    sandbox.push_fault(Fault::Unauthorized);
    sandbox.push_fault(Fault::Unauthorized);
    let err = ic.tags().list().send().await.unwrap_err();
    assert_clean("error Display", &err.to_string());
    assert_clean("error Debug", &format!("{err:?}"));
    assert_clean("client Debug", &format!("{client:?} {ic:?}"));
    assert_eq!(sandbox.token_exchanges(), 3);

    // Static bearer token, including a failed exchange-free 401 from a wrong token.
    let bearer = Client::builder()
        .base_url(sandbox.base_url())
        .path_template(Intercom::PATH_TEMPLATE, Intercom::PATH_PARAM)
        .connector_id(TEST_CONNECTOR_ID)
        .bearer_token(TEST_TOKEN)
        .retry(fast)
        .build()
        .unwrap();
    assert_clean("bearer client Debug", &format!("{bearer:?}"));
    let page = Intercom::from(bearer).admins().list().send().await.unwrap();
    assert_clean("records", &format!("{page:?}"));

    let traces = buffer.text();
    assert!(
        traces.contains("airbyte.request") && traces.contains("airbyte.token"),
        "the subscriber captured the client's spans:\n{traces}"
    );
    assert_clean("traces", &traces);
}
