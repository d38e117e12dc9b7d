//! Every scripted fault of the sandbox -> the expected typed error, or a retry that succeeds;
//! the sandbox's attempt counter says how many requests the client really sent.

use std::time::{Duration, Instant};

use airbyte_agent_runtime::{Action, Client, ErrorKind, Lenient, RetryPolicy};
use airbyte_agent_sandbox::{
    Fault, Sandbox, SandboxConfig, TEST_CLIENT_ID, TEST_CLIENT_SECRET, TEST_CONNECTOR_ID,
};
use airbyte_intercom::Intercom;
use futures::StreamExt;
use serde::Serialize;
use serde_json::json;

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
}

fn intercom(sandbox: &Sandbox, policy: RetryPolicy) -> Intercom {
    sandbox
        .connect(Intercom::builder())
        .retry(policy)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

async fn start() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::Status(500));
    sandbox.push_fault(Fault::Status(503));
    let page = intercom(&sandbox, fast())
        .contacts()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(page.records.len(), 7);
    assert_eq!(sandbox.execute_requests(), 3);
}

#[tokio::test]
async fn retries_stop_after_max_attempts_with_a_server_error() {
    let sandbox = start().await;
    for _ in 0..5 {
        sandbox.push_fault(Fault::Status(503));
    }
    let err = intercom(&sandbox, fast().max_attempts(4))
        .contacts()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Server { .. }), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert_eq!(sandbox.execute_requests(), 4);
    assert_eq!(sandbox.pending_faults(), 1);
}

#[tokio::test]
async fn rate_limit_with_retry_after_seconds_waits_then_succeeds() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::RetryAfterSeconds(1));
    let t = Instant::now();
    let tags = intercom(&sandbox, fast())
        .tags()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(tags.records.len(), 3);
    assert!(
        t.elapsed() >= Duration::from_millis(900),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(sandbox.execute_requests(), 2);
}

#[tokio::test]
async fn rate_limit_with_retry_after_date_is_honoured() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::RetryAfterDate(Duration::from_secs(1)));
    let tags = intercom(&sandbox, fast())
        .tags()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(tags.records.len(), 3);
    assert_eq!(sandbox.execute_requests(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_ends_with_rate_limited() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::RetryAfterSeconds(3600));
    let err = intercom(&sandbox, fast())
        .tags()
        .list()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.kind(),
        &ErrorKind::RateLimited {
            retry_after: Some(Duration::from_secs(3600)),
            message: "slow down".to_owned(),
        }
    );
    assert_eq!(sandbox.execute_requests(), 1);
}

#[tokio::test]
async fn a_slow_response_times_out_and_is_retried() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::Slow(Duration::from_secs(2)));
    let page = intercom(&sandbox, fast())
        .teams()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(sandbox.execute_requests(), 2);

    sandbox.push_fault(Fault::Slow(Duration::from_secs(2)));
    let err = intercom(&sandbox, RetryPolicy::none())
        .teams()
        .list()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{err:?}"
    );
    assert_eq!(sandbox.execute_requests(), 3);
}

#[tokio::test]
async fn truncated_and_invalid_bodies_are_decode_errors() {
    let sandbox = start().await;
    let ic = intercom(&sandbox, fast());
    sandbox.push_fault(Fault::Truncated);
    let err = ic.contacts().list().send().await.unwrap_err();
    assert!(err.as_decode().is_some(), "{err:?}");
    sandbox.push_fault(Fault::InvalidJson);
    let err = ic.contacts().get("x").send().await.unwrap_err();
    let d = err.as_decode().expect("decode error");
    assert!(d.body_start.contains("not json"), "{d:?}");
    sandbox.push_fault(Fault::WrongEnvelope);
    let err = ic.contacts().list().send().await.unwrap_err();
    assert_eq!(err.as_decode().map(|d| d.path.as_str()), Some("result"));
    assert_eq!(
        sandbox.execute_requests(),
        3,
        "decode errors are not retried"
    );
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_kept_not_fatal() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::WrongType {
        field: "email".into(),
        value: json!(12345),
    });
    let page = intercom(&sandbox, fast())
        .contacts()
        .list()
        .send()
        .await
        .unwrap();
    let contact = &page.records[0];
    assert_eq!(contact.email(), None, "not a string: no plain value");
    assert_eq!(
        contact.email,
        Lenient::other_value(json!(12345)),
        "kept as received"
    );
    assert_eq!(
        serde_json::to_value(&page.records[0]).unwrap()["email"],
        12345
    );
}

#[derive(Serialize)]
struct Create {
    name: String,
}

impl Action for Create {
    const ENTITY: &'static str = "tags";
    const ACTION: &'static str = "create";
    const IDEMPOTENT: bool = false;
    type Output = serde_json::Value;
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_reads_but_not_writes() {
    let sandbox = start().await;
    sandbox.push_fault(Fault::Drop);
    let ic = intercom(&sandbox, fast());
    let page = ic.segments().list().send().await.unwrap();
    assert_eq!(page.records.len(), 2);
    assert_eq!(sandbox.execute_requests(), 2);

    sandbox.push_fault(Fault::Drop);
    let err = ic
        .client()
        .execute(&Create { name: "new".into() })
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Transport { .. }), "{err:?}");
    assert_eq!(sandbox.execute_requests(), 3, "a write is sent once");
    assert_eq!(sandbox.records("tags").len(), 3, "nothing was created");
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_its_error() {
    let sandbox = start().await;
    let ic = intercom(&sandbox, fast());
    let mut stream = Box::pin(ic.contacts().list().per_page(2).stream());
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(stream.next().await.unwrap().unwrap());
    }
    sandbox.push_fault(Fault::RepeatedCursor);
    let mut last_err = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(c) => got.push(c),
            Err(e) => last_err = Some(e),
        }
    }
    assert_eq!(
        got.len(),
        4,
        "the page with the repeated cursor is still yielded"
    );
    let err = last_err.expect("an error ends the stream");
    assert_eq!(
        err.kind(),
        &ErrorKind::RepeatedCursor {
            cursor: "c2".into(),
            member: "connector_metadata.next_page".into(),
        }
    );
    assert_eq!(sandbox.execute_requests(), 2);
}

fn with_credentials(sandbox: &Sandbox) -> Intercom {
    Intercom::builder()
        .base_url(sandbox.base_url())
        .connector_id(TEST_CONNECTOR_ID)
        .client_credentials(TEST_CLIENT_ID, TEST_CLIENT_SECRET)
        .retry(fast())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_401_refreshes_the_token_once_then_succeeds() {
    let sandbox = start().await;
    let ic = with_credentials(&sandbox);
    ic.admins().list().send().await.unwrap();
    assert_eq!(sandbox.token_exchanges(), 1);
    sandbox.revoke_tokens();
    let admins = ic.admins().list().send().await.unwrap();
    assert_eq!(admins.records.len(), 3);
    assert_eq!(sandbox.token_exchanges(), 2);
    assert_eq!(sandbox.execute_requests(), 3);
    let seen = sandbox.requests();
    assert_eq!(
        seen.iter().map(|r| r.authorized).collect::<Vec<_>>(),
        [true, false, true]
    );

    // A 401 that persists after the refresh is an authentication error, refreshed only once.
    sandbox.push_fault(Fault::Unauthorized);
    sandbox.push_fault(Fault::Unauthorized);
    let err = ic.admins().list().send().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Authentication { .. }));
    assert_eq!(sandbox.token_exchanges(), 3);
    assert_eq!(sandbox.execute_requests(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_share_one_token_exchange() {
    let sandbox = start().await;
    let ic = with_credentials(&sandbox);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let ic = ic.clone();
            tokio::spawn(async move { ic.tags().list().send().await.map(|p| p.records.len()) })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap(), 3);
    }
    assert_eq!(sandbox.token_exchanges(), 1);
    assert_eq!(sandbox.execute_requests(), 16);
}

#[tokio::test]
async fn wrong_client_secret_fails_the_exchange() {
    let sandbox = start().await;
    let ic = Intercom::from(
        Client::builder()
            .base_url(sandbox.base_url())
            .path_template(Intercom::PATH_TEMPLATE, Intercom::PATH_PARAM)
            .connector_id(TEST_CONNECTOR_ID)
            .client_credentials(TEST_CLIENT_ID, "not-the-secret")
            .retry(fast())
            .build()
            .unwrap(),
    );
    let err = ic.contacts().get("x").send().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Authentication { .. }));
    assert_eq!(sandbox.token_exchanges(), 0);
    assert_eq!(sandbox.execute_requests(), 0);
}
