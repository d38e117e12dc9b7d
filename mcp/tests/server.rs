//! [`ToolServer`] with a hand-written toolbox, driven by rmcp's client over an in-process pipe:
//! what `tools/list` announces, and every way a call can fail coming back as `isError`
//! (including a timeout and a panic, which the Intercom sandbox cannot provoke).

use std::time::Duration;

use airbyte_agent_runtime::tools::{ToolDefinition, ToolError, ToolErrorKind, ToolOutput, Toolbox};
use airbyte_mcp::ToolServer;
use futures::future::BoxFuture;
use futures::FutureExt;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::RunningService;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};

struct Kit;

impl Toolbox for Kit {
    fn tools(&self) -> Vec<ToolDefinition> {
        ["echo", "slow", "boom", "fails"]
            .into_iter()
            .map(|name| ToolDefinition {
                name: name.into(),
                description: format!("The {name} tool."),
                input_schema: json!({"type": "object", "properties": {"n": {"type": "integer"}}}),
            })
            .chain([ToolDefinition {
                name: "odd_schema".into(),
                description: "A schema that is not an object.".into(),
                input_schema: json!(true),
            }])
            .collect()
    }

    fn call_tool<'a>(
        &'a self,
        name: &'a str,
        args: Value,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>> {
        async move {
            match name {
                "echo" => Ok(ToolOutput {
                    text: args.to_string(),
                    truncated: false,
                }),
                "slow" => {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    Ok(ToolOutput {
                        text: "late".into(),
                        truncated: false,
                    })
                }
                "boom" => panic!("the toolbox broke"),
                "fails" => Err(ToolError::new(
                    ToolErrorKind::Api,
                    "HTTP 503 from the execute API: scripted failure",
                )),
                other => Err(ToolError::new(
                    ToolErrorKind::UnknownTool,
                    format!("no tool named `{other}`; the tools are echo, slow, boom, fails"),
                )),
            }
        }
        .boxed()
    }

    fn describe(&self) -> Value {
        json!({})
    }
}

async fn connect() -> RunningService<RoleClient, ()> {
    let (client_side, server_side) = tokio::io::duplex(64 * 1024);
    let server = ToolServer::new(Kit)
        .named("kit", "1.2.3")
        .instructions("Use echo.")
        .timeout(Duration::from_millis(300));
    tokio::spawn(async move {
        let running = server.serve(server_side).await.expect("server initializes");
        let _ = running.waiting().await;
    });
    ().serve(client_side).await.expect("client initializes")
}

async fn call(client: &RunningService<RoleClient, ()>, name: &str, args: Value) -> CallToolResult {
    let mut params = CallToolRequestParams::new(name.to_owned());
    params.arguments = args.as_object().cloned();
    client
        .call_tool(params)
        .await
        .expect("a tool result, not a protocol error")
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

#[tokio::test]
async fn announces_the_toolbox_tools_and_itself() {
    let client = connect().await;
    let info = client.peer_info().expect("server info");
    let server = info.server_info.as_ref().expect("serverInfo");
    assert_eq!(
        (server.name.as_str(), server.version.as_str()),
        ("kit", "1.2.3")
    );
    assert_eq!(info.instructions.as_deref(), Some("Use echo."));
    let tools = client.list_all_tools().await.expect("tools/list");
    let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
    assert_eq!(names, ["echo", "slow", "boom", "fails", "odd_schema"]);
    assert_eq!(tools[0].description.as_deref(), Some("The echo tool."));
    assert_eq!(tools[0].input_schema["properties"]["n"]["type"], "integer");
    // MCP requires an object schema: a toolbox's odd schema is announced as one.
    assert_eq!(
        Value::Object((*tools[4].input_schema).clone()),
        json!({"type": "object"})
    );
    client.cancel().await.expect("close");
}

#[tokio::test]
async fn calls_run_and_every_failure_is_a_tool_result() {
    let client = connect().await;

    let ok = call(&client, "echo", json!({"n": 2})).await;
    assert_eq!(ok.is_error, Some(false));
    assert_eq!(text(&ok), r#"{"n":2}"#);

    let api = call(&client, "fails", json!({})).await;
    assert_eq!(api.is_error, Some(true));
    assert!(text(&api).contains("HTTP 503"), "{}", text(&api));

    let unknown = call(&client, "nope", json!({})).await;
    assert_eq!(unknown.is_error, Some(true));
    assert!(text(&unknown).contains("`nope`"), "{}", text(&unknown));

    let timeout = call(&client, "slow", json!({})).await;
    assert_eq!(timeout.is_error, Some(true));
    assert!(
        text(&timeout).contains("did not finish within 0.3 s"),
        "{}",
        text(&timeout)
    );

    let panic = call(&client, "boom", json!({})).await;
    assert_eq!(panic.is_error, Some(true));
    assert!(
        text(&panic).contains("the toolbox broke"),
        "{}",
        text(&panic)
    );

    // The server survived all of it.
    let again = call(&client, "echo", json!({})).await;
    assert_eq!(
        (again.is_error, text(&again)),
        (Some(false), "{}".to_owned())
    );
    client.cancel().await.expect("close");
}

/// A toolbox whose one tool never finishes: it says when it starts, and when its future is
/// dropped (the HTTP request of a real connector would be dropped with it).
struct Hangs {
    started: tokio::sync::mpsc::UnboundedSender<()>,
    dropped: tokio::sync::mpsc::UnboundedSender<()>,
}

struct OnDrop(tokio::sync::mpsc::UnboundedSender<()>);

impl Drop for OnDrop {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

impl Toolbox for Hangs {
    fn tools(&self) -> Vec<ToolDefinition> {
        vec![ToolDefinition {
            name: "hangs".into(),
            description: "Never finishes.".into(),
            input_schema: json!({"type": "object"}),
        }]
    }

    fn call_tool<'a>(
        &'a self,
        _name: &'a str,
        _args: Value,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>> {
        let guard = OnDrop(self.dropped.clone());
        let _ = self.started.send(());
        async move {
            let _guard = guard;
            futures::future::pending::<()>().await;
            unreachable!("a pending future never completes")
        }
        .boxed()
    }

    fn describe(&self) -> Value {
        json!({})
    }
}

/// A call the client cancels (`notifications/cancelled`, which rmcp's client sends when the
/// call's future is dropped) is dropped at once, not left running until `--timeout`
/// (default 120 s) with its connection open: MCP says the receiver should stop processing
/// it and free its resources.
#[tokio::test]
async fn a_call_the_client_cancels_is_dropped() {
    let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
    let (dropped_tx, mut dropped) = tokio::sync::mpsc::unbounded_channel();
    let (client_side, server_side) = tokio::io::duplex(64 * 1024);
    let server = ToolServer::new(Hangs {
        started: started_tx,
        dropped: dropped_tx,
    })
    .timeout(Duration::from_secs(3600));
    tokio::spawn(async move {
        let running = server.serve(server_side).await.expect("server initializes");
        let _ = running.waiting().await;
    });
    let client = ().serve(client_side).await.expect("client initializes");
    let call = call(&client, "hangs", json!({}));
    tokio::select! {
        _ = call => panic!("the call never finishes"),
        _ = started.recv() => {}
    }
    // The call's future is gone: rmcp's client has sent `notifications/cancelled`.
    let stopped = tokio::time::timeout(Duration::from_secs(30), dropped.recv()).await;
    assert!(
        matches!(stopped, Ok(Some(()))),
        "the server still runs a call its client cancelled"
    );
    // The session goes on.
    let tools = client.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), 1);
    client.cancel().await.expect("close");
}
