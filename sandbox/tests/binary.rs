//! The `airbyte-agent-sandbox` binary, run as a real child process: it prints its base URL on
//! stdout and answers execute calls there until it is stopped.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use airbyte_agent_sandbox::{TEST_CONNECTOR_ID, TEST_TOKEN};
use serde_json::{json, Value};

#[tokio::test]
async fn binary_prints_its_url_and_serves_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_airbyte-agent-sandbox"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the sandbox binary");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("read the base URL");
    let base = line.trim().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base:?}");

    let answer = reqwest::Client::new()
        .post(format!(
            "{base}/api/v1/connectors/sources/{TEST_CONNECTOR_ID}/execute"
        ))
        .bearer_auth(TEST_TOKEN)
        .json(&json!({"entity": "contacts", "action": "list", "params": {"per_page": 2}}))
        .send()
        .await
        .expect("execute call");
    let status = answer.status();
    let body: Value = answer.json().await.expect("JSON answer");
    child.kill().expect("stop the sandbox");
    let _ = child.wait();
    assert_eq!(status, 200, "{body}");
    let records = body["result"]
        .as_array()
        .expect("result: the page of records");
    assert_eq!(records.len(), 2, "{body}");
    assert!(records.iter().all(|r| r["id"].is_string()), "{body}");
}
