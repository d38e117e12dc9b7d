//! The hosted execute API beyond `{entity, action, params}`, end to end against the sandbox:
//! execute options (exact request bodies), the `X-Organization-Id` and `User-Agent` headers,
//! structured error bodies, streamed and saved downloads, and `execute_raw`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use airbyte_agent_runtime::{Client, ErrorKind, RetryPolicy, MAX_INTENT_CHARS};
use airbyte_agent_sandbox::{download_byte, Fault, Sandbox, SandboxConfig, Seen};
use airbyte_intercom::{contacts, Intercom};
use bytes::Bytes;
use futures::StreamExt;
use serde::Serialize;
use serde_json::{json, Value};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default()).await
}

fn last(sandbox: &Sandbox) -> Seen {
    sandbox.requests().pop().expect("a request was sent")
}

/// A retry policy without waits, so that retry tests run at once.
fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(2))
}

// ------------------------------------------------------------------------------------------
// Execute options and headers
// ------------------------------------------------------------------------------------------

/// The example: every option in the body exactly as set, the organisation header and
/// the SDK's user agent on the request.
#[tokio::test]
async fn options_and_organization_header_are_sent_exactly() {
    let sandbox = sandbox().await;
    let intercom = Intercom::builder()
        .base_url(sandbox.base_url())
        .connector_id("c")
        .bearer_token(airbyte_agent_sandbox::TEST_TOKEN)
        .organization_id("org-1")
        .build()
        .unwrap();
    let page = intercom
        .contacts()
        .list()
        .per_page(2)
        .select_fields(["id", "email"])
        .exclude_fields(["notes"])
        .intent("find churned users")
        .send()
        .await
        .unwrap();
    assert_eq!(page.records.len(), 2);
    // The sandbox honours the selection: only `id` and `email` came back.
    let contact = &page.records[0];
    assert!(contact.id().is_some() && contact.email().is_some());
    assert_eq!(contact.name(), None);
    assert_eq!(contact.created_at(), None);
    let seen = last(&sandbox);
    assert_eq!(
        seen.body,
        json!({
            "entity": "contacts",
            "action": "list",
            "params": {"per_page": 2},
            "select_fields": ["id", "email"],
            "exclude_fields": ["notes"],
            "intent": "find churned users",
            "skip_truncation": true,
        })
    );
    assert_eq!(seen.header("x-organization-id"), Some("org-1"));
    let agent = seen.header("user-agent").unwrap();
    assert_eq!(
        agent,
        format!("airbyte-agent-runtime/{}", env!("CARGO_PKG_VERSION"))
    );
}

/// Without options the body is the document's envelope plus `skip_truncation: true`; each
/// option appears alone when set alone; typed path constants send their wire paths;
/// `skip_truncation(false)` is sent as `false`, per request or for the whole client.
#[tokio::test]
async fn each_option_alone_and_the_skip_truncation_default() {
    let sandbox = sandbox().await;
    let ic = sandbox.connect(Intercom::builder()).build().unwrap();
    let base = json!({"entity": "contacts", "action": "list", "skip_truncation": true});
    let with = |extra: Value| {
        let mut v = base.clone();
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
        v
    };

    ic.contacts().list().send().await.unwrap();
    assert_eq!(last(&sandbox).body, base);
    assert_eq!(last(&sandbox).header("x-organization-id"), None);

    ic.contacts()
        .list()
        .select_fields([contacts::paths::id(), contacts::paths::email()])
        .send()
        .await
        .unwrap();
    assert_eq!(
        last(&sandbox).body,
        with(json!({"select_fields": ["id", "email"]}))
    );

    let excluded = vec![String::from("custom_attributes")];
    ic.contacts()
        .list()
        .exclude_fields(&excluded)
        .send()
        .await
        .unwrap();
    assert_eq!(
        last(&sandbox).body,
        with(json!({"exclude_fields": ["custom_attributes"]}))
    );
    let page = ic
        .contacts()
        .list()
        .exclude_fields(&excluded)
        .send()
        .await
        .unwrap();
    assert!(page.records.iter().all(|c| c.custom_attributes().is_none()));
    assert!(page.records.iter().all(|c| c.name().is_some()));

    ic.contacts().get("1").intent("why").send().await.ok();
    assert_eq!(
        last(&sandbox).body,
        json!({"entity": "contacts", "action": "get", "params": {"id": "1"},
               "intent": "why", "skip_truncation": true})
    );

    ic.contacts()
        .list()
        .skip_truncation(false)
        .send()
        .await
        .unwrap();
    assert_eq!(last(&sandbox).body, with(json!({"skip_truncation": false})));

    let untruncating = sandbox
        .connect(Intercom::builder())
        .skip_truncation(false)
        .build()
        .unwrap();
    untruncating.contacts().list().send().await.unwrap();
    assert_eq!(last(&sandbox).body, with(json!({"skip_truncation": false})));
    untruncating
        .contacts()
        .list()
        .skip_truncation(true)
        .send()
        .await
        .unwrap();
    assert_eq!(last(&sandbox).body, base);
}

/// Every page of a stream carries the options.
#[tokio::test]
async fn streams_send_the_options_with_every_page() {
    let sandbox = sandbox().await;
    let ic = sandbox.connect(Intercom::builder()).build().unwrap();
    let all: Vec<_> = ic
        .contacts()
        .list()
        .per_page(2)
        .select_fields(["id"])
        .intent("export")
        .stream()
        .collect()
        .await;
    assert!(all.iter().all(Result::is_ok));
    let seen = sandbox.requests();
    assert!(seen.len() >= 2, "{} pages", seen.len());
    for s in &seen {
        assert_eq!(s.body["select_fields"], json!(["id"]));
        assert_eq!(s.body["intent"], "export");
        assert_eq!(s.body["skip_truncation"], true);
    }
    assert!(seen[1].body["params"]["starting_after"].is_string());
}

/// An intent longer than 512 characters fails before anything is sent; 512 is fine.
#[tokio::test]
async fn an_overlong_intent_is_a_validation_error_before_sending() {
    let sandbox = sandbox().await;
    let ic = sandbox.connect(Intercom::builder()).build().unwrap();
    let e = ic
        .contacts()
        .list()
        .intent("x".repeat(MAX_INTENT_CHARS + 1))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Validation { .. }), "{e:?}");
    assert_eq!(e.status(), None);
    assert_eq!((e.entity(), e.action()), ("contacts", "list"));
    assert!(e.to_string().contains("at most 512"), "{e}");
    assert_eq!(sandbox.execute_requests(), 0);

    ic.contacts()
        .list()
        .intent("é".repeat(MAX_INTENT_CHARS))
        .send()
        .await
        .unwrap();
    assert_eq!(sandbox.execute_requests(), 1);
}

/// `AIRBYTE_ORGANIZATION_ID` sets the header as the builder call does. (The only test of
/// this binary that touches the environment.)
#[tokio::test]
async fn organization_id_from_the_environment() {
    let sandbox = sandbox().await;
    std::env::set_var("AIRBYTE_ORGANIZATION_ID", "org-env");
    let ic = sandbox
        .connect(Intercom::builder().from_env())
        .build()
        .unwrap();
    std::env::remove_var("AIRBYTE_ORGANIZATION_ID");
    ic.tags().list().send().await.unwrap();
    assert_eq!(last(&sandbox).header("x-organization-id"), Some("org-env"));
}

// ------------------------------------------------------------------------------------------
// Structured error bodies
// ------------------------------------------------------------------------------------------

fn respond(status: u16, body: Value) -> Fault {
    Fault::Respond {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: body.to_string(),
    }
}

/// A 422 with `errors[]`: the entries are parsed, the message puts the user-presentable texts
/// first, then the technical ones, and never shows the raw JSON, which `body()` keeps.
#[tokio::test]
async fn a_422_with_user_presentable_messages() {
    let sandbox = sandbox().await;
    let body = json!({
        "message": "Request validation failed",
        "errors": [
            {
                "field": "params.per_page",
                "message": "ensure this value is less than or equal to 150",
                "error_code": "value_error.number.not_le",
                "details": {"limit_value": 150},
                "userPresentableMessage": "per_page must be between 1 and 150."
            },
            {
                "field": "intent",
                "message": "intent is required for this workspace",
                "error_code": "missing"
            }
        ]
    });
    sandbox.push_fault(respond(422, body.clone()));
    let ic = sandbox.connect(Intercom::builder()).build().unwrap();
    let e = ic.contacts().list().per_page(500).send().await.unwrap_err();
    assert_eq!(sandbox.execute_requests(), 1);
    assert_eq!(e.status(), Some(422));
    match e.kind() {
        ErrorKind::Validation { message } => assert_eq!(
            message,
            "per_page must be between 1 and 150.; intent is required for this workspace"
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        e.to_string(),
        "contacts.list: HTTP 422: request rejected: per_page must be between 1 and 150.; \
         intent is required for this workspace (ensure this value is less than or equal to 150)"
    );
    let items = e.errors();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].field.as_deref(), Some("params.per_page"));
    assert_eq!(
        items[0].message.as_deref(),
        Some("ensure this value is less than or equal to 150")
    );
    assert_eq!(items[0].code.as_deref(), Some("value_error.number.not_le"));
    assert_eq!(items[0].details, Some(json!({"limit_value": 150})));
    assert_eq!(
        items[0].user_presentable_message.as_deref(),
        Some("per_page must be between 1 and 150.")
    );
    assert_eq!(items[1].code.as_deref(), Some("missing"));
    assert_eq!(items[1].user_presentable_message, None);
    let raw: Value = serde_json::from_str(e.body().unwrap()).unwrap();
    assert_eq!(raw, body);
}

// ------------------------------------------------------------------------------------------
// Downloads
// ------------------------------------------------------------------------------------------

/// The params of a download action, as a generated crate writes them (here: Asana's
/// `attachments.download`).
#[derive(Debug, Clone, Default, Serialize)]
struct DownloadAttachmentParams {
    attachment_gid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    range_header: Option<String>,
}

airbyte_agent_runtime::request! {
    /// Downloads the file content of an attachment.
    pub struct DownloadAttachment(DownloadAttachmentParams) -> Bytes;
    entity = "attachments", action = "download", idempotent = true;
    download;
}

impl DownloadAttachment {
    fn range_header(mut self, value: impl Into<String>) -> Self {
        self.params.range_header = Some(value.into());
        self
    }
}

fn download(client: &Client, gid: &str) -> DownloadAttachment {
    DownloadAttachment::new(
        client.clone(),
        DownloadAttachmentParams {
            attachment_gid: gid.into(),
            range_header: None,
        },
    )
}

fn assert_content(bytes: &[u8], from: u64) {
    for (i, b) in bytes.iter().enumerate() {
        assert_eq!(
            *b,
            download_byte(from + i as u64),
            "byte {}",
            from + i as u64
        );
    }
}

/// A unique scratch directory under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("execute_api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The body arrives in chunks (several for 3 MiB), byte for byte; the request carries the
/// options and the range header param.
#[tokio::test]
async fn a_download_streams_in_chunks() {
    let size = 3 * 1024 * 1024 + 17;
    let sandbox = Sandbox::start(SandboxConfig::default().download_size(size)).await;
    let client = sandbox.connect(Client::builder()).build().unwrap();
    let mut chunks = download(&client, "gid-1").intent("archive").stream();
    let (mut n, mut total) = (0, 0u64);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.unwrap();
        assert_content(&chunk, total);
        total += chunk.len() as u64;
        n += 1;
    }
    assert_eq!(total, size);
    assert!(n > 3, "{n} chunks");
    assert_eq!(
        last(&sandbox).body,
        json!({"entity": "attachments", "action": "download",
               "params": {"attachment_gid": "gid-1"}, "intent": "archive",
               "skip_truncation": true})
    );

    let part: Vec<Bytes> = download(&client, "gid-1")
        .range_header("bytes=100-199")
        .stream()
        .map(Result::unwrap)
        .collect()
        .await;
    let part: Vec<u8> = part.concat();
    assert_eq!(part.len(), 100);
    assert_content(&part, 100);
    assert_eq!(
        last(&sandbox).body["params"]["range_header"],
        "bytes=100-199"
    );
}

/// `save_to` writes the whole body and leaves nothing else in the directory; a download broken
/// off half-way leaves no file (neither the target nor a temporary one) and an existing
/// target untouched.
#[tokio::test]
async fn save_to_writes_whole_files_only() {
    let size = 2 * 1024 * 1024 + 5;
    let sandbox = Sandbox::start(SandboxConfig::default().download_size(size)).await;
    let client = sandbox
        .connect(Client::builder())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let dir = scratch("save");
    let path = dir.join("report.pdf");
    let written = download(&client, "gid-1").save_to(&path).await.unwrap();
    assert_eq!(written, size);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert_content(&bytes, 0);
    assert_eq!(entries(&dir), ["report.pdf"]);

    // Broken off half-way: an error, no new file, the old one untouched.
    sandbox.push_fault(Fault::Truncated);
    let other = dir.join("other.pdf");
    let e = download(&client, "gid-2")
        .save_to(&other)
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Transport { .. }), "{e:?}");
    assert_eq!((e.entity(), e.action()), ("attachments", "download"));
    assert_eq!(entries(&dir), ["report.pdf"]);

    sandbox.push_fault(Fault::Truncated);
    let e = download(&client, "gid-1").save_to(&path).await.unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Transport { .. }), "{e:?}");
    assert_eq!(entries(&dir), ["report.pdf"]);
    assert_eq!(std::fs::read(&path).unwrap().len() as u64, size);

    // A directory that does not exist: an Io error naming the file.
    let e = download(&client, "gid-1")
        .save_to(dir.join("missing/x.bin"))
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Io { .. }), "{e:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A JSON error answer to a download is the same typed error as for any other action (the
/// stream's one item, and `save_to`'s error, with no file); a 503 is retried before the first
/// chunk.
#[tokio::test]
async fn download_errors_are_typed_and_retried() {
    let sandbox = Sandbox::start(SandboxConfig::default().download_size(1000)).await;
    let client = sandbox
        .connect(Client::builder())
        .retry(quick_retries())
        .build()
        .unwrap();
    sandbox.push_fault(respond(
        404,
        json!({"errors": [{"userPresentableMessage": "No attachment gid-9.", "message": "NotFound: gid-9", "error_code": "not_found"}]}),
    ));
    let items: Vec<_> = download(&client, "gid-9").stream().collect().await;
    assert_eq!(items.len(), 1);
    let e = items[0].as_ref().unwrap_err();
    assert_eq!(e.status(), Some(404));
    assert!(
        matches!(e.kind(), ErrorKind::NotFound { message } if message == "No attachment gid-9."),
        "{e:?}"
    );
    assert_eq!(e.errors()[0].code.as_deref(), Some("not_found"));
    assert_eq!((e.entity(), e.action()), ("attachments", "download"));

    let dir = scratch("errors");
    sandbox.push_fault(respond(422, json!({"message": "bad range"})));
    let e = download(&client, "gid-1")
        .save_to(dir.join("a.bin"))
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));
    assert!(entries(&dir).is_empty());

    let before = sandbox.execute_requests();
    sandbox.push_fault(Fault::Status(503));
    let n = download(&client, "gid-1")
        .save_to(dir.join("b.bin"))
        .await
        .unwrap();
    assert_eq!(n, 1000);
    assert_eq!(sandbox.execute_requests() - before, 2);
    assert_eq!(entries(&dir), ["b.bin"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ------------------------------------------------------------------------------------------
// execute_raw
// ------------------------------------------------------------------------------------------

/// Any action by name: the same auth, options and body shape; `send` returns `result`,
/// `send_envelope` the whole body.
#[tokio::test]
async fn execute_raw_sends_any_action() {
    let sandbox = sandbox().await;
    let ic = sandbox
        .connect(Intercom::builder())
        .organization_id("org-2")
        .build()
        .unwrap();
    let result = ic
        .client()
        .execute_raw("contacts", "list", json!({"per_page": 2}))
        .select_fields(["id"])
        .skip_truncation(false)
        .send()
        .await
        .unwrap();
    assert_eq!(result.as_array().unwrap().len(), 2);
    let seen = last(&sandbox);
    assert_eq!(
        seen.body,
        json!({"entity": "contacts", "action": "list", "params": {"per_page": 2},
               "select_fields": ["id"], "skip_truncation": false})
    );
    assert_eq!(seen.header("x-organization-id"), Some("org-2"));
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {}", airbyte_agent_sandbox::TEST_TOKEN).as_str())
    );

    let envelope = ic
        .client()
        .execute_raw("contacts", "list", json!({"per_page": 2}))
        .send_envelope()
        .await
        .unwrap();
    assert_eq!(envelope["connector_metadata"]["next_page"], "c2");

    let one = ic
        .client()
        .execute_raw("contacts", "get", Value::Null)
        .send()
        .await;
    // No params: the member is left out (the sandbox then finds no id).
    assert_eq!(
        last(&sandbox).body,
        json!({"entity": "contacts", "action": "get", "skip_truncation": true})
    );
    assert!(one.is_err());

    // A raw download streams like a typed one.
    let bytes: Vec<Bytes> = ic
        .client()
        .execute_raw("attachments", "download", json!({"attachment_gid": "g"}))
        .stream()
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(bytes.concat().len(), 1024 * 1024);
}

/// Typed errors; reads are retried, an unknown (write) action only when opted in.
#[tokio::test]
async fn execute_raw_errors_and_retries() {
    let sandbox = sandbox().await;
    let client = sandbox
        .connect(Client::builder())
        .retry(quick_retries())
        .build()
        .unwrap();

    sandbox.push_fault(respond(
        422,
        json!({"errors": [{"userPresentableMessage": "Unknown action archive.", "field": "action"}]}),
    ));
    let e = client
        .execute_raw("contacts", "archive", json!({"id": "1"}))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e.kind(), ErrorKind::Validation { message } if message == "Unknown action archive."),
        "{e:?}"
    );
    assert_eq!((e.entity(), e.action()), ("contacts", "archive"));
    assert_eq!(e.errors()[0].field.as_deref(), Some("action"));

    // A read: retried after a 503.
    let before = sandbox.execute_requests();
    sandbox.push_fault(Fault::Status(503));
    client
        .execute_raw("tags", "list", json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(sandbox.execute_requests() - before, 2);

    // A write: not retried by default; retried when declared idempotent.
    let before = sandbox.execute_requests();
    sandbox.push_fault(Fault::Status(503));
    let e = client
        .execute_raw("tags", "archive", json!({}))
        .send()
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(503));
    assert_eq!(sandbox.execute_requests() - before, 1);

    let before = sandbox.execute_requests();
    sandbox.push_fault(Fault::Status(503));
    sandbox.push_fault(Fault::Status(503));
    let e = client
        .execute_raw("tags", "archive", json!({}))
        .idempotent(true)
        .send()
        .await
        .unwrap_err();
    // Retried twice, then the sandbox answers the unknown action with 422.
    assert_eq!(e.status(), Some(422));
    assert_eq!(sandbox.execute_requests() - before, 3);

    // An overlong intent: nothing is sent.
    let before = sandbox.execute_requests();
    let e = client
        .execute_raw("tags", "list", json!({}))
        .intent("x".repeat(600))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(e.kind(), ErrorKind::Validation { .. }));
    assert_eq!(sandbox.execute_requests(), before);
}
