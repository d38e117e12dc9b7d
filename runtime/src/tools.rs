//! Connector actions as tools for a model: [`ToolDefinition`] (name, description, input JSON
//! Schema), [`Toolbox`] (list and call them), [`ToolOutput`] and [`ToolError`].
//!
//! Every generated connector implements [`Toolbox`]: one tool per action, its input schema
//! emitted from the same IR as the action's params struct, so arguments valid under the schema
//! deserialise into the params. An MCP server or an agent framework needs nothing else.

use futures::future::BoxFuture;

/// One tool: an action of a connector offered to a model.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ToolDefinition {
    /// The tool's name, `^[a-zA-Z0-9_-]{1,64}$`, unique within the connector and stable across
    /// regenerations: `<entity>_<action>` in snake case, e.g. `contacts_list`.
    pub name: String,
    /// What the tool does, from the document: the action's text, its required parameters, how
    /// to page, and for search the filter operators.
    pub description: String,
    /// The JSON Schema (draft 2020-12) of the arguments: an object schema (`"type": "object"`)
    /// with one property per parameter, `required` and `additionalProperties: false`.
    pub input_schema: serde_json::Value,
}

/// A successful tool call: the action's result as JSON text, capped.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// The result as JSON text; when [`truncated`](Self::truncated), a prefix of it followed
    /// by a notice saying what was cut and how to narrow the next call.
    pub text: String,
    /// Whether the text was cut at the output cap.
    pub truncated: bool,
}

/// A failed tool call, written for a model to correct its next call.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct ToolError {
    /// Why the call failed, by category.
    pub kind: ToolErrorKind,
    /// What went wrong and what was expected, e.g. ``argument `per_page`: expected an
    /// integer from 1 to 150, got the string "many"``.
    pub message: String,
}

impl ToolError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ToolErrorKind, message: impl Into<String>) -> Self {
        ToolError {
            kind,
            message: message.into(),
        }
    }
}

/// Why a tool call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToolErrorKind {
    /// No tool has that name; the message lists the tools there are.
    UnknownTool,
    /// The arguments do not match the input schema: unknown argument, wrong type, missing
    /// required argument, value out of an enum. The message names the argument.
    InvalidArguments,
    /// The action was sent and failed (HTTP, transport, decode); the message is the client's.
    Api,
}

/// Anything that offers tools: every generated connector implements it.
pub trait Toolbox: Send + Sync {
    /// The tools, one per action, in the document's order.
    fn tools(&self) -> Vec<ToolDefinition>;
    /// Runs the tool `name` with the JSON arguments `args` (an object, or `null` for none).
    fn call_tool<'a>(
        &'a self,
        name: &'a str,
        args: serde_json::Value,
    ) -> BoxFuture<'a, Result<ToolOutput, ToolError>>;
    /// The connector's entities, actions, their required and optional parameters and
    /// searchable fields, as JSON.
    fn describe(&self) -> serde_json::Value;
}
