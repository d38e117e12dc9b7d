//! An MCP server for any connector's tools, on the official Rust MCP SDK, `rmcp`.
//!
//! [`ToolServer`] wraps anything that implements
//! [`Toolbox`] (every generated connector does) and
//! answers the Model Context Protocol's `tools/list` and `tools/call`:
//!
//! * `tools/list` gives one tool per action: its name, description and input JSON Schema as
//!   the toolbox defines them;
//! * `tools/call` runs the action. Every failure is a tool result with `isError: true` and a
//!   message a model can act on, never a JSON-RPC error: bad arguments (the toolbox's message
//!   names the argument and what was expected), an unknown tool (the message lists the
//!   tools), an API error, a call that outlives [`ToolServer::timeout`], even a panic inside
//!   the toolbox. A call the client cancels (`notifications/cancelled`) is dropped at once,
//!   its HTTP request with it.
//!
//! ```no_run
//! # async fn run(intercom: airbyte_intercom::Intercom) -> Result<(), airbyte_mcp::ServeError> {
//! use airbyte_mcp::ToolServer;
//!
//! // stdout carries the protocol; log to stderr only.
//! ToolServer::new(intercom).named("airbyte-intercom", "0.1.0").serve_stdio().await
//! # }
//! ```
//!
//! The `airbyte-mcp` binary of this crate serves the Intercom connector this way.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::borrow::Cow;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use airbyte_agent_runtime::tools::{ToolErrorKind, Toolbox};
use futures::FutureExt;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::Value;

pub mod stdio;

/// How long a tool call may run before it is abandoned with an `isError` result.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Why [`ToolServer::serve_stdio`] stopped with an error.
#[derive(Debug)]
pub struct ServeError {
    message: String,
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ServeError {}

/// An MCP server offering the tools of a [`Toolbox`].
///
/// The tool list is read once, at [`ToolServer::new`]. Cloning shares the toolbox.
pub struct ToolServer<T> {
    toolbox: Arc<T>,
    tools: Arc<Vec<Tool>>,
    implementation: Implementation,
    instructions: Option<String>,
    timeout: Duration,
}

impl<T> Clone for ToolServer<T> {
    fn clone(&self) -> Self {
        ToolServer {
            toolbox: self.toolbox.clone(),
            tools: self.tools.clone(),
            implementation: self.implementation.clone(),
            instructions: self.instructions.clone(),
            timeout: self.timeout,
        }
    }
}

impl<T> std::fmt::Debug for ToolServer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolServer")
            .field("name", &self.implementation.name)
            .field("tools", &self.tools.len())
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<T: Toolbox + 'static> ToolServer<T> {
    /// A server for `toolbox`'s tools, named `airbyte-mcp` with this crate's version until
    /// [`ToolServer::named`], calls limited to [`DEFAULT_TIMEOUT`].
    pub fn new(toolbox: T) -> Self {
        let tools = toolbox.tools().into_iter().map(mcp_tool).collect();
        ToolServer {
            toolbox: Arc::new(toolbox),
            tools: Arc::new(tools),
            implementation: Implementation::new("airbyte-mcp", env!("CARGO_PKG_VERSION")),
            instructions: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The name and version announced to the client in `initialize` (`serverInfo`).
    pub fn named(mut self, name: impl Into<String>, version: impl Into<String>) -> Self {
        self.implementation = Implementation::new(name, version);
        self
    }

    /// Text announced to the client in `initialize` (`instructions`): how to use the tools.
    pub fn instructions(mut self, text: impl Into<String>) -> Self {
        self.instructions = Some(text.into());
        self
    }

    /// How long one tool call may run; past it the call is dropped and answered with an
    /// `isError` result saying so.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The tools as announced in `tools/list`.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// Runs one tool call, turning every failure into an `isError` result.
    pub async fn call(&self, name: &str, arguments: Option<JsonObject>) -> CallToolResult {
        let args = arguments.map_or(Value::Null, Value::Object);
        let started = Instant::now();
        let call = AssertUnwindSafe(self.toolbox.call_tool(name, args)).catch_unwind();
        let outcome = tokio::time::timeout(self.timeout, call).await;
        let elapsed = started.elapsed();
        match outcome {
            Ok(Ok(Ok(output))) => {
                tracing::info!(
                    tool = name,
                    ?elapsed,
                    truncated = output.truncated,
                    "tool call"
                );
                CallToolResult::success(vec![ContentBlock::text(output.text)])
            }
            Ok(Ok(Err(e))) => {
                let kind = match e.kind {
                    ToolErrorKind::UnknownTool => "unknown tool",
                    ToolErrorKind::InvalidArguments => "invalid arguments",
                    ToolErrorKind::Api => "API error",
                    _ => "error",
                };
                tracing::warn!(tool = name, ?elapsed, kind, "tool call failed: {e}");
                CallToolResult::error(vec![ContentBlock::text(e.message)])
            }
            Ok(Err(panic)) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "no message".to_owned());
                tracing::error!(tool = name, "tool call panicked: {what}");
                CallToolResult::error(vec![ContentBlock::text(format!(
                    "internal error in tool `{name}` ({what}); the call did not complete"
                ))])
            }
            Err(_) => {
                tracing::warn!(tool = name, ?elapsed, "tool call timed out");
                CallToolResult::error(vec![ContentBlock::text(format!(
                    "tool `{name}` did not finish within {} s and was cancelled; retry, or ask \
                     for less (a smaller `limit`, fewer `fields`)",
                    self.timeout.as_secs_f64()
                ))])
            }
        }
    }

    /// Serves MCP over this process's stdin and stdout until the client closes them.
    ///
    /// stdout carries protocol messages only: nothing else in the process may print to it
    /// (log to stderr). A line that is not a message this server reads is answered with a
    /// JSON-RPC error (see [`stdio`]), never dropped.
    ///
    /// # Errors
    /// When the client's `initialize` fails or the serving task ends abnormally.
    pub async fn serve_stdio(self) -> Result<(), ServeError> {
        let running = self
            .serve(stdio::transport(
                tokio::io::BufReader::new(tokio::io::stdin()),
                tokio::io::stdout(),
            ))
            .await
            .map_err(|e| ServeError {
                message: format!("MCP initialization failed: {e}"),
            })?;
        running.waiting().await.map_err(|e| ServeError {
            message: format!("MCP server stopped abnormally: {e}"),
        })?;
        Ok(())
    }
}

/// The MCP form of a tool definition. An input schema that is not a JSON object (which a
/// [`Toolbox`] should never give) is announced as `{"type": "object"}`, as MCP requires an
/// object schema.
fn mcp_tool(def: airbyte_agent_runtime::tools::ToolDefinition) -> Tool {
    let schema = match def.input_schema {
        Value::Object(map) => map,
        _ => {
            let mut map = JsonObject::new();
            map.insert("type".into(), Value::String("object".into()));
            map
        }
    };
    Tool::new(
        Cow::Owned(def.name),
        Cow::Owned(def.description),
        Arc::new(schema),
    )
}

impl<T: Toolbox + 'static> ServerHandler for ToolServer<T> {
    fn get_info(&self) -> ServerConfig {
        let config = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(self.implementation.clone());
        match &self.instructions {
            Some(text) => config.with_instructions(text.clone()),
            None => config,
        }
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    /// Runs the call until it ends or the client cancels it (`notifications/cancelled`):
    /// then the call is dropped at once, its HTTP request with it, and no result is sent.
    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        tokio::select! {
            result = self.call(&request.name, request.arguments) => Ok(result.into()),
            () = context.ct.cancelled() => {
                tracing::info!(tool = %request.name, "tool call cancelled by the client");
                // rmcp sends nothing for a cancelled request; this only ends the task.
                Err(ErrorData::invalid_request("the client cancelled this request", None))
            }
        }
    }
}
