//! The `airbyte-mcp` binary as an MCP host runs it: a child process spoken to over stdio,
//! here by rmcp's own client.

use std::process::Stdio;

use airbyte_agent_sandbox::{Sandbox, SandboxConfig, TEST_CONNECTOR_ID, TEST_TOKEN};
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_airbyte-mcp");

/// The binary with no `AIRBYTE_*` variable inherited from the test's environment.
fn command() -> Command {
    let mut cmd = Command::new(BIN);
    for (key, _) in std::env::vars() {
        if key.starts_with("AIRBYTE_") {
            cmd.env_remove(key);
        }
    }
    cmd
}

async fn spawn(cmd: Command) -> RunningService<RoleClient, ()> {
    let (transport, _stderr) = TokioChildProcess::builder(cmd)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn airbyte-mcp");
    ().serve(transport).await.expect("MCP initialize")
}

/// Every sub-schema of `schema` whose type is `integer`, with its JSON pointer.
fn integers(schema: &Value, at: String) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if schema["type"] == "integer" {
        out.push((at.clone(), schema));
    }
    match schema {
        Value::Object(members) => {
            for (k, v) in members {
                out.extend(integers(v, format!("{at}/{k}")));
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                out.extend(integers(v, format!("{at}/{i}")));
            }
        }
        _ => {}
    }
    out
}

async fn call(client: &RunningService<RoleClient, ()>, name: &str, args: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(name.to_owned());
    params.arguments = args.as_object().cloned();
    client
        .call_tool(params)
        .await
        .unwrap_or_else(|e| panic!("{name}: a tool result, not a protocol error: {e}"))
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

fn json_of(result: &CallToolResult) -> Value {
    serde_json::from_str(&text(result)).expect("the tool result is JSON text")
}

#[tokio::test]
async fn sandbox_server_lists_and_runs_the_intercom_tools() {
    let mut cmd = command();
    cmd.arg("--sandbox");
    let client = spawn(cmd).await;

    let tools = client.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), 18, "one tool per Intercom action");
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    for name in &names {
        let valid = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        assert!(valid, "tool name {name:?}");
    }
    for tool in &tools {
        let schema = Value::Object((*tool.input_schema).clone());
        assert_eq!(schema["type"], "object", "{}: {schema}", tool.name);
        if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
            panic!("{}: not a valid 2020-12 schema: {e}\n{schema}", tool.name);
        }
        jsonschema::draft202012::new(&schema)
            .unwrap_or_else(|e| panic!("{}: schema does not compile: {e}", tool.name));
        for (pointer, int) in integers(&schema, String::new()) {
            assert_eq!(
                (&int["minimum"], &int["maximum"]),
                (&json!(i64::MIN), &json!(i64::MAX)),
                "{}: the integer at {pointer} is bounded to i64",
                tool.name
            );
        }
        assert!(
            tool.description.as_deref().is_some_and(|d| !d.is_empty()),
            "{} has no description",
            tool.name
        );
    }
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 18, "tool names are unique");
    assert!(names.contains(&"contacts_list") && names.contains(&"contacts_search"));

    // A list call returns records.
    let list = call(&client, "contacts_list", json!({"per_page": 2})).await;
    assert_eq!(list.is_error, Some(false), "{}", text(&list));
    let page = json_of(&list);
    let records = page["records"].as_array().expect("records");
    assert_eq!(records.len(), 2, "{page}");
    assert!(records.iter().all(|r| r["id"].is_string()), "{page}");

    // A search with a filter and a limit.
    let args = json!({"query": {"filter": {"eq": {"role": "user"}}}, "limit": 2});
    let search = call(&client, "contacts_search", args).await;
    assert_eq!(search.is_error, Some(false), "{}", text(&search));
    let found = json_of(&search);
    let hits = found["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 2, "{found}");
    assert!(hits.iter().all(|h| h["data"]["role"] == "user"), "{found}");

    // A number JSON Schema counts as an integer is one (`1.0` reads as 1); one beyond 64
    // bits is an argument error naming the range.
    let one = call(&client, "contacts_list", json!({"per_page": 1.0})).await;
    assert_eq!(one.is_error, Some(false), "{}", text(&one));
    assert_eq!(json_of(&one)["records"].as_array().map(Vec::len), Some(1));
    let huge = call(&client, "contacts_list", json!({"per_page": 1e300})).await;
    assert_eq!(huge.is_error, Some(true), "{}", text(&huge));
    assert!(
        text(&huge).contains("- argument `per_page`: expected an integer from -9223372036854775808 to 9223372036854775807"),
        "{}",
        text(&huge)
    );

    // Bad arguments are tool errors that name the argument.
    let bad = call(&client, "contacts_list", json!({"per_page": "many"})).await;
    assert_eq!(bad.is_error, Some(true), "{}", text(&bad));
    assert!(text(&bad).contains("per_page"), "{}", text(&bad));

    let no_id = call(&client, "contacts_get", json!({})).await;
    assert_eq!(no_id.is_error, Some(true), "{}", text(&no_id));
    assert!(text(&no_id).contains("`id`"), "{}", text(&no_id));

    // An API error (unknown record: 404 from the sandbox) is a tool error too.
    let missing = call(&client, "contacts_get", json!({"id": "no-such-contact"})).await;
    assert_eq!(missing.is_error, Some(true), "{}", text(&missing));
    assert!(text(&missing).contains("404"), "{}", text(&missing));

    // So is an unknown tool, listing the tools there are.
    let unknown = call(&client, "contacts_delete", json!({})).await;
    assert_eq!(unknown.is_error, Some(true));
    assert!(
        text(&unknown).contains("contacts_list"),
        "{}",
        text(&unknown)
    );

    // The server is still there after every failure.
    let again = call(&client, "teams_list", json!({})).await;
    assert_eq!(again.is_error, Some(false), "{}", text(&again));
    client.cancel().await.expect("close the session");
}

/// Starts the binary with `env`, sends `initialize`, `initialized`, `tools/list` and one
/// `tools/call` as raw JSON lines, closes stdin, and returns stdout's lines and stderr.
async fn raw_session(env: &[(&str, &str)], args: &[&str]) -> (Vec<String>, String) {
    let mut cmd = command();
    cmd.args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = cmd.spawn().expect("spawn airbyte-mcp");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let messages = [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {},
            "clientInfo": {"name": "raw-test", "version": "0"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
               "params": {"name": "teams_list", "arguments": {}}}),
    ];
    let mut lines = Vec::new();
    for m in messages {
        stdin
            .write_all(format!("{m}\n").as_bytes())
            .await
            .expect("write a message");
        if m.get("id").is_some() {
            let line = stdout.next_line().await.expect("read").expect("an answer");
            lines.push(line);
        }
    }
    drop(stdin);
    while let Some(line) = stdout.next_line().await.expect("read") {
        lines.push(line);
    }
    let out = child.wait_with_output().await.expect("exit");
    assert!(out.status.success(), "exit status {}", out.status);
    (lines, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn without_credentials_it_serves_the_sandbox_and_says_so_on_stderr() {
    let (lines, stderr) = raw_session(&[], &[]).await;
    // stdout carries exactly the three answers, each a JSON-RPC 2.0 message.
    assert_eq!(lines.len(), 3, "{lines:#?}");
    for (line, id) in lines.iter().zip(1..) {
        let v: Value = serde_json::from_str(line).expect("a JSON-RPC line");
        assert_eq!(
            (&v["jsonrpc"], &v["id"]),
            (&json!("2.0"), &json!(id)),
            "{v}"
        );
    }
    let call: Value = serde_json::from_str(&lines[2]).expect("JSON");
    assert_eq!(call["result"]["isError"], false, "{call}");
    assert!(stderr.contains("embedded loopback sandbox"), "{stderr}");
    assert!(stderr.contains("no AIRBYTE_TOKEN"), "{stderr}");
}

#[tokio::test]
async fn with_credentials_it_serves_the_configured_execute_api() {
    // The "real service" here is a sandbox this test runs: the binary must reach it through
    // AIRBYTE_BASE_URL, AIRBYTE_CONNECTOR_ID and AIRBYTE_TOKEN, not start its own.
    let service = Sandbox::start(SandboxConfig::default()).await;
    let base = service.base_url();
    let env = [
        ("AIRBYTE_BASE_URL", base.as_str()),
        ("AIRBYTE_TOKEN", TEST_TOKEN),
        ("AIRBYTE_CONNECTOR_ID", TEST_CONNECTOR_ID),
    ];
    let (lines, stderr) = raw_session(&env, &[]).await;
    assert!(!stderr.contains("sandbox"), "{stderr}");
    let call: Value = serde_json::from_str(&lines[2]).expect("JSON");
    assert_eq!(call["result"]["isError"], false, "{call}");
    let seen = service.requests();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!(seen[0].body["entity"], "teams");
    assert!(seen[0].authorized);
}

#[tokio::test]
async fn credentials_without_a_connector_id_are_refused_before_serving() {
    let out = command()
        .env("AIRBYTE_TOKEN", "t0k3n")
        .stdin(Stdio::null())
        .output()
        .await
        .expect("run airbyte-mcp");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        out.stdout.is_empty(),
        "stdout is for protocol messages only"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("AIRBYTE_CONNECTOR_ID"), "{stderr}");
    assert!(
        !stderr.contains("t0k3n"),
        "the token is not logged: {stderr}"
    );
}

#[tokio::test]
async fn the_readme_configuration_block_names_this_binary_and_its_flags() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("read README.md");
    let (_, section) = readme
        .split_once("## With an agent: MCP")
        .expect("the README's MCP section");
    let block = section
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a JSON block in the agent section");
    let config: Value = serde_json::from_str(block).expect("the block is JSON");
    let servers = config["mcpServers"].as_object().expect("mcpServers");
    assert!(!servers.is_empty());
    for (name, server) in servers {
        let command = server["command"].as_str().expect("command");
        assert!(
            command.ends_with("/target/release/airbyte-mcp"),
            "{name}: {command}"
        );
        let args: Vec<&str> = server["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|a| a.as_str().expect("string args"))
            .collect();
        // The flags are the binary's own: it accepts them (with --help, it then stops).
        let out = command_with(&args)
            .arg("--help")
            .output()
            .await
            .expect("run");
        assert!(
            out.status.success(),
            "{name}: {args:?} refused: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        for key in server["env"].as_object().into_iter().flat_map(|e| e.keys()) {
            assert!(
                [
                    "AIRBYTE_CLIENT_ID",
                    "AIRBYTE_CLIENT_SECRET",
                    "AIRBYTE_CONNECTOR_ID",
                    "AIRBYTE_TOKEN"
                ]
                .contains(&key.as_str()),
                "{name}: {key} is not read by airbyte-mcp"
            );
        }
    }
}

fn command_with(args: &[&str]) -> Command {
    let mut cmd = command();
    cmd.args(args);
    cmd
}

/// A host that sends a line the server cannot read gets an answer, not silence: rmcp's own
/// stdio transport dropped such lines, and a `tools/call` nested deeper than serde_json's
/// recursion limit left the host waiting forever.
#[tokio::test]
async fn lines_that_are_not_messages_are_answered_and_the_session_goes_on() {
    let deep = format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000));
    let lines = [
        initialize(1).to_string(),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string(),
        "this is not JSON".to_owned(),
        format!(
            r#"{{"jsonrpc":"2.0","id":"deep","method":"tools/call","params":{{"name":"teams_list","arguments":{{"filter":{deep}}}}}}}"#
        ),
        json!({"jsonrpc": "2.0", "id": 6, "method": "tools/call",
               "params": {"name": "teams_list", "arguments": {}}})
        .to_string(),
    ];
    let answers = exchange(&lines, 4).await;
    assert_eq!(answers[0]["id"], 1, "{}", answers[0]);
    assert_eq!(
        (&answers[1]["id"], &answers[1]["error"]["code"]),
        (&Value::Null, &json!(-32700)),
        "{}",
        answers[1]
    );
    assert_eq!(
        (&answers[2]["id"], &answers[2]["error"]["code"]),
        (&json!("deep"), &json!(-32600)),
        "{}",
        answers[2]
    );
    let message = answers[2]["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("recursion limit"), "{message}");
    assert_eq!(answers[3]["id"], 6, "{}", answers[3]);
    assert_eq!(answers[3]["result"]["isError"], false, "{}", answers[3]);
}

/// A fresh `--sandbox` server spoken to line by line: the child (killed when dropped), its
/// stdin, and its stdout's lines.
fn raw_sandbox_server() -> (
    tokio::process::Child,
    tokio::process::ChildStdin,
    tokio::io::Lines<BufReader<tokio::process::ChildStdout>>,
) {
    let mut child = command()
        .arg("--sandbox")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn airbyte-mcp");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = BufReader::new(child.stdout.take().expect("stdout")).lines();
    (child, stdin, stdout)
}

/// Sends `lines` (JSON values, or raw text) to a fresh `--sandbox` server and reads
/// `answers` lines back (30 s each).
async fn exchange<L: std::fmt::Display>(lines: &[L], answers: usize) -> Vec<Value> {
    let (_child, mut stdin, mut stdout) = raw_sandbox_server();
    for line in lines {
        stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .expect("write a line");
    }
    let mut read = Vec::new();
    for i in 0..answers {
        let next = tokio::time::timeout(std::time::Duration::from_secs(30), stdout.next_line());
        let line = next.await.expect("an answer within 30 s").expect("read");
        let line = line.unwrap_or_else(|| panic!("stdout closed after {i} answers: {read:?}"));
        read.push(serde_json::from_str::<Value>(&line).expect("a JSON-RPC line"));
    }
    read
}

fn initialize(id: i64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {},
        "clientInfo": {"name": "raw-test", "version": "0"}}})
}

/// rmcp's handshake ended the session on any notification or response before `initialize`
/// (exit 1, the host's `initialize` unanswered); they are now dropped and serving goes on.
#[tokio::test]
async fn notifications_and_responses_before_initialize_do_not_end_the_session() {
    let answers = exchange(
        &[
            json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
            json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}}),
            json!({"jsonrpc": "2.0", "id": 9, "result": {}}),
            initialize(1),
            json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}),
        ],
        2,
    )
    .await;
    assert_eq!(answers[0]["id"], 1, "{}", answers[0]);
    assert!(
        answers[0]["result"]["serverInfo"].is_object(),
        "{}",
        answers[0]
    );
    assert_eq!(answers[1], json!({"jsonrpc": "2.0", "id": 2, "result": {}}));
}

/// A `tools/call` whose `params` do not read was answered `-32601` (method not found) with
/// the message `tools/call`; JSON-RPC batches were answered with the batch's first element
/// as the `id` (or, empty, not at all).
#[tokio::test]
async fn malformed_calls_and_batches_get_an_error_saying_what_is_wrong() {
    let call = |id: i64, params: Value| json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params});
    let answers = exchange(
        &[
            initialize(0),
            call(1, json!({"name": "contacts_list", "arguments": "abc"})),
            call(2, json!({"name": "contacts_list", "arguments": [1, 2]})),
            call(3, json!({"name": null})),
            call(4, json!({})),
            json!([{"jsonrpc": "2.0", "id": 5, "method": "ping"}]),
            json!([]),
            json!("ping"),
            call(8, json!({"name": "contacts_list", "arguments": null})),
        ],
        9,
    )
    .await;
    let expected_params = [
        (1, "invalid type: string \"abc\", expected a map"),
        (2, "invalid type: sequence, expected a map"),
        (3, "invalid type: null, expected a string"),
        (4, "missing field `name`"),
    ];
    for (i, (id, why)) in expected_params.into_iter().enumerate() {
        let answer = &answers[i + 1];
        assert_eq!(answer["id"], id, "{answer}");
        assert_eq!(answer["error"]["code"], -32602, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("Invalid params for `tools/call`: "),
            "{message}"
        );
        assert!(message.contains(why), "{message}");
    }
    for answer in &answers[5..7] {
        assert_eq!(
            (&answer["id"], &answer["error"]["code"]),
            (&Value::Null, &json!(-32600))
        );
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("no JSON-RPC batches"), "{message}");
    }
    assert_eq!(
        (&answers[7]["id"], &answers[7]["error"]["code"]),
        (&Value::Null, &json!(-32600))
    );
    assert_eq!(answers[8]["id"], 8, "{}", answers[8]);
    assert_eq!(answers[8]["result"]["isError"], false, "{}", answers[8]);
}

/// Two requests with the same id at once: rmcp ran both and dropped the second answer as
/// that of a cancelled request, so its sender waited forever. Each now gets one answer (the
/// second, while the first is in flight, an error saying so); once answered, an id is free.
#[tokio::test]
async fn a_request_reusing_an_id_in_flight_is_answered() {
    let list = |id: i64| {
        json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
               "params": {"name": "contacts_list", "arguments": {"per_page": 1}}})
    };
    let answers = exchange(&[initialize(0), list(1), list(1)], 3).await;
    for answer in &answers[1..] {
        assert_eq!(answer["id"], 1, "{answer}");
        let ok = answer["result"]["isError"] == false
            || (answer["error"]["code"] == -32600
                && answer["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("still in flight")));
        assert!(ok, "{answer}");
    }
    assert!(
        answers[1..].iter().any(|a| a["result"]["isError"] == false),
        "{answers:?}"
    );
}

/// The write end of a pipe whose reader has exited: writing to it fails with `EPIPE`.
#[cfg(unix)]
fn closed_pipe() -> Stdio {
    let mut reader = std::process::Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn true");
    let write_end = reader.stdin.take().expect("its stdin");
    reader.wait().expect("true exits");
    write_end.into()
}

/// A host that closed the server's stderr (or a log reader that went away) does not bring
/// the server down: its startup notes are lost, the session works.
#[cfg(unix)]
#[tokio::test]
async fn a_closed_stderr_does_not_stop_the_server() {
    let mut cmd = command();
    cmd.arg("--sandbox");
    let (transport, _) = TokioChildProcess::builder(cmd)
        .stderr(closed_pipe())
        .spawn()
        .expect("spawn airbyte-mcp");
    let client = ().serve(transport).await.expect("MCP initialize");
    let tools = client.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), 18);
    // Each tool call logs a line: a logger that panics on the closed stderr would leave the
    // call unanswered, so the test waits a bounded time.
    for _ in 0..2 {
        let result = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            call(&client, "admins_list", json!({})),
        )
        .await
        .expect("the call is answered although stderr is closed");
        assert_ne!(result.is_error, Some(true), "{}", text(&result));
    }
    client.cancel().await.expect("shutdown");
}

/// `--timeout 0` answered every call "did not finish within 0 s ... retry", and
/// `--max-output 0` every result with only the truncation notice: settings no host wants,
/// which the model was told to work around. They are usage errors naming the option.
#[tokio::test]
async fn a_zero_timeout_or_a_cap_below_one_record_is_refused() {
    for (args, says) in [
        (["--timeout", "0"], "'--timeout <SECONDS>'"),
        (["--max-output", "0"], "'--max-output <CHARS>'"),
        (["--max-output", "999"], "'--max-output <CHARS>'"),
    ] {
        let out = command_with(&args)
            .arg("--sandbox")
            .stdin(Stdio::null())
            .output()
            .await
            .expect("run airbyte-mcp");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// A line longer than `MAX_LINE_BYTES` was read whole into memory, however long: a client
/// that never ends its line made the server allocate without bound. The server now answers
/// as soon as the cap is passed, before the line ends, and keeps serving after it.
#[tokio::test]
async fn a_line_longer_than_the_cap_is_answered_before_it_ends() {
    let (_child, mut stdin, mut stdout) = raw_sandbox_server();
    let mut next = async || {
        let line = tokio::time::timeout(std::time::Duration::from_secs(30), stdout.next_line());
        let line = line.await.expect("an answer within 30 s").expect("read");
        serde_json::from_str::<Value>(&line.expect("an answer, not the end of stdout"))
            .expect("a JSON-RPC line")
    };
    stdin
        .write_all(format!("{}\n", initialize(1)).as_bytes())
        .await
        .expect("write");
    assert_eq!(next().await["id"], 1);
    // One byte past the cap, and no line break: without the cap the server would wait for
    // the end of the line, buffering it all.
    let long = vec![b' '; airbyte_mcp::stdio::MAX_LINE_BYTES + 1];
    stdin.write_all(&long).await.expect("write the long line");
    let answer = next().await;
    assert_eq!(
        (&answer["id"], &answer["error"]["code"]),
        (&Value::Null, &json!(-32600)),
        "{answer}"
    );
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!(
            "longer than {} bytes",
            airbyte_mcp::stdio::MAX_LINE_BYTES
        )),
        "{message}"
    );
    // The rest of the long line is dropped; the next line is read as a message.
    stdin
        .write_all(b"more of the long line\n")
        .await
        .expect("write");
    let ping = json!({"jsonrpc": "2.0", "id": 2, "method": "ping"});
    stdin
        .write_all(format!("{ping}\n").as_bytes())
        .await
        .expect("write");
    assert_eq!(
        next().await,
        json!({"jsonrpc": "2.0", "id": 2, "result": {}})
    );
}
