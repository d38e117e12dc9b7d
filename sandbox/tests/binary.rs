//! The `airbyte-agent-sandbox` binary, run as a real child process: it prints its base URL on
//! stdout and answers execute calls there until it is stopped.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use airbyte_agent_sandbox::{TEST_CONNECTOR_ID, TEST_TOKEN};
use serde_json::{json, Value};

/// Starts the binary with `args` and `stderr`, and reads the base URL it prints on stdout.
fn start(args: &[&std::ffi::OsStr], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_airbyte-agent-sandbox"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn the sandbox binary");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the base URL");
    (child, line.trim().to_owned())
}

/// Intercom contacts lists of two records, asked of the sandbox at `base` twice, 100 ms apart;
/// the sandbox must still run after them, and is then stopped.
async fn list_two_contacts(mut child: Child, base: &str) {
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");
    let list = || async {
        reqwest::Client::new()
            .post(format!(
                "{base}/api/v1/connectors/sources/{TEST_CONNECTOR_ID}/execute"
            ))
            .bearer_auth(TEST_TOKEN)
            .json(&json!({"entity": "contacts", "action": "list", "params": {"per_page": 2}}))
            .send()
            .await
    };
    let first = list().await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let answer = list().await;
    let running = child.try_wait().expect("the sandbox's state").is_none();
    let _ = child.kill();
    let exit = child.wait().expect("the sandbox's exit");
    assert!(running, "the sandbox exited ({exit}) while serving");
    first.expect("first execute call");
    let answer = answer.expect("second execute call");
    let status = answer.status();
    let body: Value = answer.json().await.expect("JSON answer");
    assert_eq!(status, 200, "{body}");
    let records = body["result"]
        .as_array()
        .expect("result: the page of records");
    assert_eq!(records.len(), 2, "{body}");
    assert!(records.iter().all(|r| r["id"].is_string()), "{body}");
}

#[tokio::test]
async fn binary_prints_its_url_and_serves_until_killed() {
    let (child, base) = start(&["--port".as_ref(), "0".as_ref()], Stdio::piped());
    list_two_contacts(child, &base).await;
}

/// Its notes on stderr are written without `eprintln!`, which panics when stderr cannot be
/// written: a full (or closed) stderr loses the notes, not the server.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_full_stderr_does_not_stop_the_sandbox() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let (child, base) = start(&["--port".as_ref(), "0".as_ref()], full.into());
    list_two_contacts(child, &base).await;
}

/// A connector the sandbox has never seen, as codegen would write its model.
const TASKS_MODEL: &str = r#"
name: tasks-app
title: Tasks App
endpoint:
  base_url: https://api.airbyte.ai
  path: /api/v1/connectors/sources/{source_id}/execute
  path_param: source_id
entities:
- name: Tasks
  id: tasks
  actions:
  - kind: list
    label: List
    name: list
    description: Lists tasks
    params:
    - name: per_page
      type: integer
      required: false
      line: 10
    response:
      shape: records
      records:
      - name: id
        type: string
        line: 20
      - name: title
        type: string
        line: 21
      - name: done
        type: boolean
        line: 22
      - name: due_at
        type: integer
        nullable: true
        line: 23
    line: 9
"#;

#[tokio::test]
async fn binary_serves_another_connector_from_its_model() {
    let dir = std::env::temp_dir().join(format!("sandbox-model-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("model.yaml");
    std::fs::write(&path, TASKS_MODEL).expect("write the model");
    let args = [
        "--model".as_ref(),
        path.as_os_str(),
        "--records".as_ref(),
        "3".as_ref(),
    ];
    let (mut child, base) = start(&args, Stdio::piped());
    let url = format!("{base}/api/v1/connectors/sources/{TEST_CONNECTOR_ID}/execute");
    let http = reqwest::Client::new();
    let call = |entity: &str| {
        http.post(&url)
            .bearer_auth(TEST_TOKEN)
            .json(&json!({"entity": entity, "action": "list", "params": {}}))
            .send()
    };
    let tasks = call("tasks").await.expect("list tasks");
    let tasks_status = tasks.status();
    let tasks: Value = tasks.json().await.expect("JSON");
    let contacts = call("contacts").await.expect("list contacts");
    let contacts_status = contacts.status();
    let contacts: Value = contacts.json().await.expect("JSON");
    child.kill().expect("stop the sandbox");
    let _ = child.wait();
    let mut notes = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut notes)
        .expect("read the notes");

    // Without a paging file beside the model, the binary says what that means.
    assert!(
        notes.contains(
            "paging:           none (no paging.resolved.yaml beside the model): every list answers all its records"
        ),
        "{notes}"
    );
    assert!(
        notes.contains("connector:        tasks-app (tasks)"),
        "{notes}"
    );
    assert_eq!(tasks_status, 200, "{tasks}");
    let records = tasks["result"].as_array().expect("records");
    assert_eq!(records.len(), 3, "{tasks}");
    assert_eq!(records[0]["id"], "tasks-0");
    assert!(records
        .iter()
        .all(|r| r["title"].is_string() && r["done"].is_boolean()));
    // Only the model's entities are served.
    assert_eq!(contacts_status, 422, "{contacts}");
    assert!(
        contacts["message"].as_str().unwrap().contains("tasks"),
        "{contacts}"
    );

    // With one, lists page as it says (here: offsets, 2 a page by default), and no note.
    std::fs::write(
        dir.join("paging.resolved.yaml"),
        "tasks:\n  list:\n    pagination: {style: offset, param: offset}\n    size: per_page\n    default_size: 2\n",
    )
    .expect("write the paging file");
    let (mut child, base) = start(&args, Stdio::piped());
    let url = format!("{base}/api/v1/connectors/sources/{TEST_CONNECTOR_ID}/execute");
    let page = http
        .post(&url)
        .bearer_auth(TEST_TOKEN)
        .json(&json!({"entity": "tasks", "action": "list", "params": {}}))
        .send()
        .await;
    child.kill().expect("stop the sandbox");
    let _ = child.wait();
    let mut notes = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut notes)
        .expect("read the notes");
    let _ = std::fs::remove_dir_all(&dir);
    let page: Value = page.expect("list tasks").json().await.expect("JSON");
    assert_eq!(page["result"].as_array().map(Vec::len), Some(2), "{page}");
    assert_eq!(page["connector_metadata"], json!({"total": 3}));
    assert!(!notes.contains("paging:"), "{notes}");
}

#[test]
fn binary_names_a_model_it_cannot_read() {
    let out = Command::new(env!("CARGO_BIN_EXE_airbyte-agent-sandbox"))
        .args(["--model", "/nonexistent/model.yaml"])
        .output()
        .expect("run the sandbox binary");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/model.yaml"), "{err}");
    assert!(out.stdout.is_empty());
}
