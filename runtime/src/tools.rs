//! Connector actions as tools for a model: [`ToolDefinition`] (name, description, input JSON
//! Schema), [`Toolbox`] (list and call them), [`ToolOutput`] and [`ToolError`].
//!
//! Every generated connector implements [`Toolbox`]: one tool per action, its input schema
//! emitted from the same IR as the action's params struct, so arguments valid under the schema
//! deserialise into the params. An MCP server or an agent framework needs nothing else.

use futures::future::BoxFuture;

mod examples;
mod integers;
mod toolbox;

pub use examples::example_arguments;

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
    /// The arguments do not match the input schema (unknown argument, wrong type, missing
    /// required argument, value out of an enum) or the params cannot hold them (an `integer`
    /// beyond 64 bits). The message names the argument.
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

/// The default cap on a tool result, in characters (as Airbyte's Python SDK has it).
pub const DEFAULT_OUTPUT_LIMIT: usize = 100_000;

/// The tools of one connector, their input schemas compiled: what a generated connector's
/// `tools()`, `call_tool()` and `describe()` read. Built once from the crate's generated
/// `tools.json`.
pub struct ToolSet {
    tools: Vec<ToolDefinition>,
    validators: Vec<jsonschema::Validator>,
    /// Per tool, how to narrow a call whose result was cut (the notice of [`cap_output`]).
    narrow: Vec<String>,
    describe: serde_json::Value,
}

impl std::fmt::Debug for ToolSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ToolSet")
            .field("tools", &self.tools)
            .finish_non_exhaustive()
    }
}

impl ToolSet {
    /// Reads a generated crate's `tools.json`: `{"tools": [{"name", "description",
    /// "input_schema", "narrow"}, ..], "describe": {..}}`, compiling every input schema as
    /// draft 2020-12. `narrow` (optional) says how to narrow a call whose result was cut.
    ///
    /// # Errors
    ///
    /// Which part is malformed, or which tool has a schema that does not compile, and why.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let mut doc: serde_json::Value =
            serde_json::from_str(json).map_err(|e| format!("tools document: {e}"))?;
        let list = match doc.get_mut("tools").map(serde_json::Value::take) {
            Some(serde_json::Value::Array(list)) => list,
            _ => return Err("tools document: `tools` is not an array".to_string()),
        };
        let describe = doc
            .get_mut("describe")
            .map(serde_json::Value::take)
            .ok_or("tools document: no `describe`")?;
        let mut set = ToolSet {
            tools: Vec::with_capacity(list.len()),
            validators: Vec::with_capacity(list.len()),
            narrow: Vec::with_capacity(list.len()),
            describe,
        };
        for (i, mut tool) in list.into_iter().enumerate() {
            let mut text = |key: &str| match tool.get_mut(key).map(serde_json::Value::take) {
                Some(serde_json::Value::String(s)) => Ok(s),
                _ => Err(format!("tool {i}: `{key}` is not a string")),
            };
            let (name, description) = (text("name")?, text("description")?);
            let input_schema = tool
                .get_mut("input_schema")
                .map(serde_json::Value::take)
                .ok_or_else(|| format!("tool `{name}`: no `input_schema`"))?;
            let validator = jsonschema::draft202012::new(&input_schema)
                .map_err(|e| format!("tool `{name}`: input schema does not compile: {e}"))?;
            set.tools.push(ToolDefinition {
                name,
                description,
                input_schema,
            });
            set.validators.push(validator);
            set.narrow
                .push(match tool.get_mut("narrow").map(serde_json::Value::take) {
                    None => String::new(),
                    Some(serde_json::Value::String(s)) => s,
                    Some(_) => {
                        return Err(format!(
                            "tool `{}`: `narrow` is not a string",
                            set.tools[i].name
                        ))
                    }
                });
        }
        Ok(set)
    }

    /// The tool definitions, in the document's order.
    pub fn definitions(&self) -> &[ToolDefinition] {
        &self.tools
    }

    /// The connector description (see [`Toolbox::describe`]).
    pub fn describe(&self) -> &serde_json::Value {
        &self.describe
    }

    /// Checks `args` against the input schema of tool `name` and deserialises them into the
    /// action's params `P`. `null` counts as no arguments (`{}`).
    ///
    /// What the schema accepts, the params accept: JSON Schema counts any number with a zero
    /// fraction as an `integer`, so wherever the schema says `integer` (a parameter, an
    /// array item, a member of a nested object or of a search condition) such a number
    /// inside the `i64` range is read as that integer (`1.0` and `1e2` are `1` and `100`,
    /// and are sent so). Written with a fraction or an exponent, or as a negative integer
    /// past 64 bits, it is read as an `f64`, so it is an integer only below 2^53 in
    /// magnitude (`-9223372036854775809` would otherwise be taken for `i64::MIN`). Values the
    /// schema leaves open (any JSON) are sent as received.
    ///
    /// # Errors
    ///
    /// [`ToolErrorKind::UnknownTool`] when no tool has that name;
    /// [`ToolErrorKind::InvalidArguments`] listing each offending argument by its path
    /// (`per_page`, `query.filter.eq.role`) and saying what was expected, in one format for
    /// a schema violation, an `integer` outside the `i64` range (`1e300`,
    /// `9223372036854775808`: "expected an integer from -9223372036854775808 to
    /// 9223372036854775807"), an `integer` an `f64` holds only approximately
    /// (`-9223372036854775809`, `9007199254740993.0`: "... written as its digits alone") and a
    /// value the params struct cannot read.
    pub fn parse<P: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<P, ToolError> {
        let index = self.index(name)?;
        self.parse_at(index, name, args)
    }

    /// [`parse`](Self::parse) for the tool at `index` of the definitions.
    fn parse_at<P: serde::de::DeserializeOwned>(
        &self,
        index: usize,
        name: &str,
        args: serde_json::Value,
    ) -> Result<P, ToolError> {
        let mut args = match args {
            serde_json::Value::Null => serde_json::Value::Object(Default::default()),
            serde_json::Value::Object(m) => serde_json::Value::Object(m),
            other => {
                return Err(ToolError::new(
                    ToolErrorKind::InvalidArguments,
                    format!(
                    "the arguments of `{name}` must be a JSON object of named arguments, got {}",
                    describe_value(&other)
                ),
                ))
            }
        };
        if depth(&args) > MAX_ARGUMENT_DEPTH {
            return Err(ToolError::new(
                ToolErrorKind::InvalidArguments,
                format!(
                    "the arguments of `{name}` nest deeper than {MAX_ARGUMENT_DEPTH} levels; \
                     flatten the query (combine conditions in one `and` or `or` list)"
                ),
            ));
        }
        let schema = &self.tools[index].input_schema;
        let mut problems: Vec<String> = self.validators[index]
            .iter_errors(&args)
            .take(MAX_REPORTED)
            .map(|e| argument_problem(&e, schema))
            .collect();
        if problems.is_empty() {
            problems = integers::read_integers(&mut args, schema)
                .iter()
                .take(MAX_REPORTED)
                .map(|(pointer, fault)| {
                    let value = args.pointer(pointer).unwrap_or(&serde_json::Value::Null);
                    let (written, why) = match fault {
                        integers::Fault::Range => ("", ""),
                        integers::Fault::Inexact => (
                            " written as its digits alone",
                            " (a number written with a fraction or an exponent, or past 64 \
                             bits, is read as a 64-bit float, exact only below 2^53: this one \
                             may stand for another integer than the one written)",
                        ),
                    };
                    format!(
                        "argument `{}`: expected {}{written}, got {}{why}",
                        dotted(pointer),
                        rust_words("i64"),
                        describe_value(value)
                    )
                })
                .collect();
        }
        if problems.is_empty() {
            match serde_path_to_error::deserialize(&args) {
                Ok(params) => return Ok(params),
                Err(e) => problems.push(read_problem(&e, &args)),
            }
        }
        Err(ToolError::new(
            ToolErrorKind::InvalidArguments,
            format!(
                "invalid arguments for `{name}`:\n- {}\nCorrect them and call again (the \
                 tool's input schema lists every argument).",
                problems.join("\n- ")
            ),
        ))
    }

    /// Runs tool `name`, whose params are `P`: checks and reads `args` as [`parse`](Self::parse)
    /// does, sends the action with `client` and returns its output as JSON text capped at
    /// `limit` characters, as [`cap_output`] does with the tool's narrowing hint.
    ///
    /// # Errors
    ///
    /// As [`parse`](Self::parse), and [`ToolErrorKind::Api`] with the client's error.
    pub async fn run<P>(
        &self,
        client: &crate::Client,
        name: &str,
        args: serde_json::Value,
        limit: usize,
    ) -> Result<ToolOutput, ToolError>
    where
        P: crate::Action + serde::de::DeserializeOwned,
        P::Output: serde::Serialize,
    {
        let (params, narrow) = self.prepare::<P>(name, args)?;
        run(client, params, limit, narrow).await
    }

    /// [`run`](Self::run) for a download action: the body comes back as [`run_download`]
    /// writes it.
    ///
    /// # Errors
    ///
    /// As [`run`](Self::run).
    pub async fn run_download<P>(
        &self,
        client: &crate::Client,
        name: &str,
        args: serde_json::Value,
        limit: usize,
    ) -> Result<ToolOutput, ToolError>
    where
        P: crate::Action<Output = bytes::Bytes> + serde::de::DeserializeOwned,
    {
        let (params, narrow) = self.prepare::<P>(name, args)?;
        run_download(client, params, limit, narrow).await
    }

    /// The params of tool `name` read from `args`, and its narrowing hint (empty when it has
    /// none): what [`run`](Self::run) and [`run_download`](Self::run_download) send and cap.
    fn prepare<P: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        args: serde_json::Value,
    ) -> Result<(P, &str), ToolError> {
        let index = self.index(name)?;
        let params = self.parse_at(index, name, args)?;
        Ok((params, self.narrow[index].as_str()))
    }

    /// The position of tool `name` among the definitions.
    fn index(&self, name: &str) -> Result<usize, ToolError> {
        self.tools
            .iter()
            .position(|t| t.name == name)
            .ok_or_else(|| self.unknown(name))
    }

    /// The error for a call of a tool that does not exist, listing those that do.
    pub fn unknown(&self, name: &str) -> ToolError {
        let names: Vec<&str> = self.tools.iter().map(|t| t.name.as_str()).collect();
        ToolError::new(
            ToolErrorKind::UnknownTool,
            format!(
                "there is no tool named `{name}`; the tools are: {}",
                names.join(", ")
            ),
        )
    }
}

/// How deep tool arguments may nest (objects and arrays): far beyond any query a model
/// writes, and low enough that checking and reading them cannot overflow the stack.
pub const MAX_ARGUMENT_DEPTH: usize = 64;

/// The nesting depth of `value` (a scalar is 0), counted without recursion.
fn depth(value: &serde_json::Value) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(value, 0usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            serde_json::Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            serde_json::Value::Object(m) => stack.extend(m.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// How many schema violations one error message lists.
const MAX_REPORTED: usize = 8;

/// One schema violation, in words naming the argument.
fn argument_problem(e: &jsonschema::ValidationError<'_>, schema: &serde_json::Value) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    let path = dotted(&e.instance_path().to_string());
    let at = if path.is_empty() {
        String::new()
    } else {
        format!("argument `{path}`: ")
    };
    // The sub-schema that failed: the schema path without its last keyword.
    let keyword_location = e.schema_path().to_string();
    let sub = keyword_location
        .rsplit_once('/')
        .and_then(|(parent, _)| schema.pointer(parent));
    match e.kind() {
        K::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let full = if path.is_empty() {
                name.to_string()
            } else {
                format!("{path}.{name}")
            };
            let expected = sub
                .and_then(|s| s.pointer(&format!("/properties/{}", pointer_escape(name))))
                .map(expected_text)
                .unwrap_or_default();
            format!("missing required argument `{full}`{expected}")
        }
        K::AdditionalProperties { unexpected } => {
            let allowed: Vec<String> = sub
                .and_then(|s| s.get("properties"))
                .and_then(|p| p.as_object())
                .map(|p| p.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            let names: Vec<String> = unexpected.iter().map(|u| format!("`{u}`")).collect();
            let allowed = if allowed.is_empty() {
                "none are allowed here".to_string()
            } else {
                format!("expected one of {}", allowed.join(", "))
            };
            if path.is_empty() {
                format!("unknown argument {}; {allowed}", names.join(", "))
            } else {
                format!("unknown member {} in `{path}`; {allowed}", names.join(", "))
            }
        }
        K::Type { .. } => format!(
            "{at}expected {}, got {}",
            sub.map(type_words).unwrap_or_else(|| "another type".into()),
            describe_value(e.instance())
        ),
        K::Minimum { .. }
        | K::Maximum { .. }
        | K::ExclusiveMinimum { .. }
        | K::ExclusiveMaximum { .. } => format!(
            "{at}expected {}{}, got {}",
            sub.map(type_words).unwrap_or_else(|| "a number".into()),
            sub.map(range_words).unwrap_or_default(),
            describe_value(e.instance())
        ),
        K::Enum { options } => format!(
            "{at}expected one of {}, got {}",
            options
                .as_array()
                .map(|o| o
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_else(|| options.to_string()),
            e.instance()
        ),
        K::MinProperties { .. } | K::MaxProperties { .. } => {
            let allowed: Vec<String> = sub
                .and_then(|s| s.get("properties"))
                .and_then(|p| p.as_object())
                .map(|p| p.keys().map(|k| format!("`{k}`")).collect())
                .unwrap_or_default();
            format!(
                "{at}expected an object with exactly one member (one of {}), got {}",
                allowed.join(", "),
                e.instance()
            )
        }
        _ => format!("{at}{e}"),
    }
}

/// `(string: Contact ID)`: what a property schema expects, for a missing argument.
fn expected_text(schema: &serde_json::Value) -> String {
    let ty = type_words(schema);
    match schema.get("description").and_then(|d| d.as_str()) {
        Some(d) if !d.is_empty() => format!(" ({ty}: {})", first_line(d)),
        _ => format!(" ({ty})"),
    }
}

/// A schema's bounds in words: ` from -9223372036854775808 to 9223372036854775807`,
/// ` of at least 1`, ` below 100`; empty without bounds.
fn range_words(schema: &serde_json::Value) -> String {
    let bound = |key: &str| schema.get(key).filter(|v| v.is_number());
    let low = bound("minimum")
        .map(|v| (v, "at least"))
        .or(bound("exclusiveMinimum").map(|v| (v, "above")));
    let high = bound("maximum")
        .map(|v| (v, "at most"))
        .or(bound("exclusiveMaximum").map(|v| (v, "below")));
    match (low, high) {
        (Some((l, "at least")), Some((h, "at most"))) => format!(" from {l} to {h}"),
        (Some((l, lw)), Some((h, hw))) => format!(" {lw} {l} and {hw} {h}"),
        (Some((l, lw)), None) => format!(" {lw} {l}"),
        (None, Some((h, hw))) => format!(" {hw} {h}"),
        (None, None) => String::new(),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// A schema's expected type in words: `an integer`, `one of "a", "b"`, `an array`.
fn type_words(schema: &serde_json::Value) -> String {
    if let Some(values) = schema.get("enum").and_then(|e| e.as_array()) {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        return format!("one of {}", values.join(", "));
    }
    let one = |t: &str| match t {
        "string" => "a string".to_string(),
        "integer" => "an integer".to_string(),
        "number" => "a number".to_string(),
        "boolean" => "a boolean (true or false)".to_string(),
        "array" => "an array".to_string(),
        "object" => "an object".to_string(),
        "null" => "null".to_string(),
        other => other.to_string(),
    };
    match schema.get("type") {
        Some(serde_json::Value::String(t)) => one(t),
        Some(serde_json::Value::Array(ts)) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .map(one)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".to_string(),
    }
}

/// A failure to read schema-valid arguments into the params (the schema admits a value the
/// params struct does not), in words naming the argument as [`argument_problem`] writes a
/// schema violation: what the params struct expects there, with Rust's names said as the
/// schema's (`u8` is "an integer from 0 to 255"), and the value received. A message the
/// runtime wrote for people (a search condition's) is kept as it is.
fn read_problem(
    e: &serde_path_to_error::Error<serde_json::Error>,
    args: &serde_json::Value,
) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in e.path().iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push('/');
                pointer.push_str(&pointer_escape(key));
            }
            Segment::Unknown => break,
        }
    }
    let path = dotted(&pointer);
    let message = e.inner().to_string();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        let full = if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        };
        return format!("missing required argument `{full}`");
    }
    let at = if path.is_empty() {
        "the arguments".to_string()
    } else {
        format!("argument `{path}`")
    };
    // serde's own messages end `, expected <what the Rust type reads>`.
    let expected = [
        "invalid type:",
        "invalid value:",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|p| message.starts_with(p))
    .then(|| message.rsplit_once(", expected "))
    .flatten();
    match (expected, args.pointer(&pointer)) {
        (Some((_, rust)), Some(value)) => format!(
            "{at}: expected {}, got {}",
            rust_words(rust),
            describe_value(value)
        ),
        _ => format!("{at}: {message}"),
    }
}

/// What serde says a Rust type expects, in the words of [`type_words`].
fn rust_words(expected: &str) -> String {
    macro_rules! ranges {
        ($($t:ty),*) => {
            match expected {
                $(stringify!($t) => {
                    return format!("an integer from {} to {}", <$t>::MIN, <$t>::MAX)
                })*
                _ => {}
            }
        };
    }
    ranges!(i8, i16, i32, i64, i128, u8, u16, u32, u64, u128, isize, usize);
    match expected {
        "f32" | "f64" => "a number".to_string(),
        "a sequence" => "an array".to_string(),
        "a map" => "an object".to_string(),
        s if s.starts_with("struct ") => "an object".to_string(),
        s => s.to_string(),
    }
}

/// A received value in words: `the string "many"`, `the number 3`, `null`.
fn describe_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".to_string(),
        serde_json::Value::Bool(b) => format!("the boolean {b}"),
        serde_json::Value::Number(n) => format!("the number {n}"),
        serde_json::Value::String(s) => {
            format!("the string {}", serde_json::Value::from(s.as_str()))
        }
        serde_json::Value::Array(_) => "an array".to_string(),
        serde_json::Value::Object(_) => "an object".to_string(),
    }
}

/// A JSON pointer (`/query/sort/0`) as an argument path (`query.sort[0]`).
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg);
        }
    }
    out
}

fn pointer_escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Sends `params` with `client` and returns the action's output as capped JSON text.
///
/// # Errors
///
/// [`ToolErrorKind::Api`] with the client's error (HTTP status and server message,
/// transport failure or timeout, undecodable response).
pub async fn run<A>(
    client: &crate::Client,
    params: A,
    limit: usize,
    narrow: &str,
) -> Result<ToolOutput, ToolError>
where
    A: crate::Action,
    A::Output: serde::Serialize,
{
    let output = client.execute(&params).await.map_err(api_error)?;
    let value = serde_json::to_value(&output).map_err(|e| {
        ToolError::new(
            ToolErrorKind::Api,
            format!(
                "the result of `{}` `{}` could not be written as JSON: {e}",
                A::ENTITY,
                A::ACTION
            ),
        )
    })?;
    Ok(cap_output(&value, limit, narrow))
}

/// Sends a download action and returns `{"size": bytes, "text": ..}` for UTF-8 content or
/// `{"size": bytes, "hex": ..}` otherwise, capped like [`run`].
///
/// # Errors
///
/// As [`run`].
pub async fn run_download<A>(
    client: &crate::Client,
    params: A,
    limit: usize,
    narrow: &str,
) -> Result<ToolOutput, ToolError>
where
    A: crate::Action<Output = bytes::Bytes>,
{
    let body = client.execute(&params).await.map_err(api_error)?;
    let value = match std::str::from_utf8(&body) {
        Ok(text) => serde_json::json!({ "size": body.len(), "text": text }),
        Err(_) => {
            let hex: String = body.iter().map(|b| format!("{b:02x}")).collect();
            serde_json::json!({ "size": body.len(), "hex": hex })
        }
    };
    Ok(cap_output(&value, limit, narrow))
}

/// The client's error as a tool error (its message already names the entity and action:
/// `contacts.get: HTTP 404: ..`).
fn api_error(e: crate::Error) -> ToolError {
    ToolError::new(ToolErrorKind::Api, e.to_string())
}

/// `value` as JSON text of at most `limit` characters plus a notice. When it is longer, the
/// largest array (the records, hits or data of a page, or the value itself) keeps as many
/// leading items as fit and stays valid JSON; otherwise the text is cut. The notice, after a
/// blank line, says what was cut and how to narrow the next call (`narrow`, e.g. "pass a
/// smaller `limit`").
pub fn cap_output(value: &serde_json::Value, limit: usize, narrow: &str) -> ToolOutput {
    let text = value.to_string();
    let total = text.chars().count();
    if total <= limit {
        return ToolOutput {
            text,
            truncated: false,
        };
    }
    let advice = if narrow.is_empty() {
        String::new()
    } else {
        format!(" To see more, narrow the call: {narrow}.")
    };
    if let Some((member, items)) = largest_array(value) {
        let n = items.len();
        let with = |k: usize| {
            let mut v = value.clone();
            let slot = match &member {
                Some(m) => v.get_mut(m.as_str()),
                None => Some(&mut v),
            };
            if let Some(serde_json::Value::Array(a)) = slot {
                a.truncate(k);
            }
            v.to_string()
        };
        let notice = |k: usize| {
            let what = member
                .as_ref()
                .map(|m| format!("of `{m}`"))
                .unwrap_or_else(|| "of the result".into());
            format!(
                "[output truncated: showing {k} of {n} items {what}; the full result has {total} \
                 characters, over the limit of {limit}.{advice}]"
            )
        };
        // The most items that fit with the notice (binary search over the prefix length).
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if with(mid).chars().count() + 2 + notice(mid).chars().count() <= limit {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let body = with(lo);
        if body.chars().count() + 2 + notice(lo).chars().count() <= limit || lo > 0 {
            return ToolOutput {
                text: format!("{body}\n\n{}", notice(lo)),
                truncated: true,
            };
        }
    }
    let notice_for = |shown: usize| {
        format!(
            "[output truncated: showing the first {shown} of {total} characters; the JSON above \
             is cut and incomplete.{advice}]"
        )
    };
    let keep = limit.saturating_sub(notice_for(limit).chars().count() + 2);
    let cut: String = text.chars().take(keep).collect();
    ToolOutput {
        text: format!("{cut}\n\n{}", notice_for(keep)),
        truncated: true,
    }
}

/// The longest array among the value itself and its top-level members, with the member name.
fn largest_array(value: &serde_json::Value) -> Option<(Option<String>, &Vec<serde_json::Value>)> {
    match value {
        serde_json::Value::Array(a) if !a.is_empty() => Some((None, a)),
        serde_json::Value::Object(m) => m
            .iter()
            .filter_map(|(k, v)| v.as_array().map(|a| (Some(k.clone()), a)))
            .filter(|(_, a)| !a.is_empty())
            .max_by_key(|(_, a)| a.len()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn short_output_is_kept_whole() {
        let out = cap_output(&json!({"records": [1, 2]}), 100, "pass a smaller `limit`");
        assert_eq!(out.text, r#"{"records":[1,2]}"#);
        assert!(!out.truncated);
    }

    #[test]
    fn long_output_keeps_leading_items_of_its_largest_array() {
        let records: Vec<_> = (0..50)
            .map(|i| json!({"id": i, "pad": "x".repeat(40)}))
            .collect();
        let value = json!({"records": records, "meta": {"next_page": "c9"}});
        let out = cap_output(&value, 600, "pass a smaller `limit`");
        assert!(out.truncated);
        assert!(out.text.chars().count() <= 600, "{}", out.text.len());
        let (body, notice) = out.text.split_once("\n\n").unwrap();
        let kept: Value = serde_json::from_str(body).unwrap();
        let n = kept["records"].as_array().unwrap().len();
        assert!(n > 0 && n < 50);
        assert_eq!(kept["meta"]["next_page"], "c9");
        assert!(
            notice.contains(&format!("showing {n} of 50 items of `records`")),
            "{notice}"
        );
        assert!(
            notice.contains("narrow the call: pass a smaller `limit`"),
            "{notice}"
        );
    }

    #[test]
    fn output_without_an_array_is_cut_by_characters() {
        let value = json!({"body": "é".repeat(1000)});
        let out = cap_output(&value, 400, "");
        assert!(out.truncated);
        assert!(out.text.chars().count() <= 400);
        assert!(
            out.text.contains("[output truncated: showing the first"),
            "{}",
            out.text
        );
        assert!(!out.text.contains("narrow the call"));
    }

    #[test]
    fn pointers_read_as_argument_paths() {
        assert_eq!(dotted(""), "");
        assert_eq!(dotted("/per_page"), "per_page");
        assert_eq!(
            dotted("/query/filter/and/0/like"),
            "query.filter.and[0].like"
        );
        assert_eq!(dotted("/a~1b/c~0d"), "a/b.c~d");
    }

    fn set() -> ToolSet {
        let doc = json!({
            "tools": [{
                "name": "reports_list",
                "description": "Lists reports",
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "window": {"type": "integer", "enum": [1, 7, 30], "description": "Days"},
                        "kind": {"type": "string", "enum": ["a", "b"]}
                    },
                    "required": ["window"],
                    "additionalProperties": false
                }
            }],
            "describe": {"connector": "Reports"}
        });
        ToolSet::from_json(&doc.to_string()).unwrap()
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Params {
        window: i64,
        kind: Option<String>,
    }

    #[test]
    fn arguments_nested_too_deep_are_refused_before_they_are_read() {
        // 1,500 levels overflow the stack of a schema check or of serde in a debug build; a flat error
        // comes back instead, naming the limit.
        let mut deep = json!(1);
        for _ in 0..1_500 {
            deep = json!({ "not": deep });
        }
        let err = set()
            .parse::<Params>("reports_list", json!({"window": 7, "kind": deep}))
            .unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
        assert!(
            err.message.contains("deeper than 64 levels"),
            "{}",
            err.message
        );
        // At the limit, the arguments are checked as usual.
        let mut at_limit = json!(1);
        for _ in 0..MAX_ARGUMENT_DEPTH - 1 {
            at_limit = json!([at_limit]);
        }
        let err = set()
            .parse::<Params>("reports_list", json!({"window": 7, "kind": at_limit}))
            .unwrap_err();
        assert!(err.message.contains("argument `kind`"), "{}", err.message);
        assert_eq!(depth(&json!({"a": [1, {"b": 2}]})), 3);
        assert_eq!(depth(&json!(1)), 0);
    }

    #[test]
    fn enum_violations_name_the_argument_and_the_values() {
        let err = set()
            .parse::<Params>("reports_list", json!({"window": 2, "kind": "c"}))
            .unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
        assert!(
            err.message
                .contains("argument `window`: expected one of 1, 7, 30, got 2"),
            "{}",
            err.message
        );
        assert!(
            err.message
                .contains("argument `kind`: expected one of \"a\", \"b\", got \"c\""),
            "{}",
            err.message
        );
        let err = set()
            .parse::<Params>("reports_list", json!({}))
            .unwrap_err();
        assert!(
            err.message
                .contains("missing required argument `window` (one of 1, 7, 30: Days)"),
            "{}",
            err.message
        );
        let ok = set()
            .parse::<Params>("reports_list", json!({"window": 7}))
            .unwrap();
        assert_eq!(ok.window, 7);
        let err = set()
            .parse::<Params>("reports_fetch", json!({}))
            .unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::UnknownTool);
        assert!(err.message.contains("the tools are: reports_list"));
    }

    /// A tool whose schema has `integer` at every depth: a parameter, array items, a nested
    /// object, a nullable, a search condition behind `$ref`; and values left open.
    fn integer_set() -> ToolSet {
        let doc = json!({
            "tools": [{
                "name": "things_list",
                "description": "Lists things",
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "per_page": {"type": "integer"},
                        "ids": {"type": "array", "items": {"type": "integer"}},
                        "window": {
                            "type": "object",
                            "properties": {"days": {"type": "integer"}},
                            "additionalProperties": false
                        },
                        "maybe": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                        "loose": {},
                        "ratio": {"type": "number"},
                        "filter": {"$ref": "#/$defs/condition"}
                    },
                    "additionalProperties": false,
                    "$defs": {"condition": {
                        "type": "object",
                        "properties": {
                            "eq": {"type": "object", "properties": {"n": {"type": "integer"}, "any": {}}},
                            "and": {"type": "array", "items": {"$ref": "#/$defs/condition"}}
                        }
                    }}
                }
            }],
            "describe": {}
        });
        ToolSet::from_json(&doc.to_string()).unwrap()
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Window {
        days: i64,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct IntegerParams {
        per_page: Option<i64>,
        ids: Option<Vec<i64>>,
        window: Option<Window>,
        #[serde(default, deserialize_with = "present")]
        maybe: Option<Option<i64>>,
        loose: Option<Value>,
        ratio: Option<f64>,
        filter: Option<Value>,
    }

    /// A member that is present, `null` or not.
    fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        <Option<i64> as serde::Deserialize>::deserialize(d).map(Some)
    }

    #[test]
    fn integral_numbers_are_integers_where_the_schema_says_integer() {
        let args: Value = serde_json::from_str(
            r#"{"per_page": 1.0, "ids": [2.0, 3, 1e2, -0.0], "window": {"days": 7.0},
                "maybe": 4.0, "loose": 1.0, "ratio": 2.0,
                "filter": {"and": [{"eq": {"n": 5.0, "any": 6.0}}]}}"#,
        )
        .unwrap();
        let p: IntegerParams = integer_set().parse("things_list", args).unwrap();
        assert_eq!(p.per_page, Some(1));
        assert_eq!(p.ids, Some(vec![2, 3, 100, 0]));
        assert_eq!(p.window.unwrap().days, 7);
        assert_eq!(p.maybe, Some(Some(4)));
        assert_eq!(p.ratio, Some(2.0));
        // Loose values are sent as received; integers of a condition as integers.
        assert!(p.loose.unwrap().is_f64());
        let filter = p.filter.unwrap();
        assert_eq!(filter.to_string(), r#"{"and":[{"eq":{"n":5,"any":6.0}}]}"#);
        let p: IntegerParams = integer_set()
            .parse(
                "things_list",
                json!({"ids": [i64::MAX, i64::MIN, -9007199254740991.0_f64], "maybe": null}),
            )
            .unwrap();
        assert_eq!(p.ids, Some(vec![i64::MAX, i64::MIN, -9007199254740991]));
        assert_eq!(p.maybe, Some(None));
        // An integer enum: JSON Schema compares numbers by value, so `7.0` is the `7` listed.
        let ok = set()
            .parse::<Params>("reports_list", json!({"window": 7.0}))
            .unwrap();
        assert_eq!(ok.window, 7);
    }

    #[test]
    fn integers_beyond_i64_are_argument_errors_naming_the_range() {
        let args: Value = serde_json::from_str(
            r#"{"per_page": 1e300, "ids": [1, 9223372036854775808], "window": {"days": -9.3e18},
                "filter": {"eq": {"n": 9223372036854775807.0, "any": 1e300}}}"#,
        )
        .unwrap();
        let err = integer_set()
            .parse::<IntegerParams>("things_list", args)
            .unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
        let range = "expected an integer from -9223372036854775808 to 9223372036854775807";
        let m = &err.message;
        assert!(
            m.starts_with("invalid arguments for `things_list`:\n- "),
            "{m}"
        );
        for line in [
            format!("- argument `per_page`: {range}, got the number 1e+300"),
            format!("- argument `ids[1]`: {range}, got the number 9223372036854775808"),
            format!("- argument `window.days`: {range}, got the number -9.3e+18"),
            format!("- argument `filter.eq.n`: {range}, got the number 9.223372036854776e+18"),
        ] {
            assert!(m.lines().any(|l| l == line), "{line} in {m}");
        }
        assert!(!m.contains("any"), "loose values are not checked: {m}");
        assert!(
            m.ends_with(
                "Correct them and call again (the tool's input schema lists every argument)."
            ),
            "{m}"
        );
    }

    /// A number serde_json reads as an `f64` (written with a fraction or an exponent, or a
    /// negative integer past 64 bits) stands for every integer that rounds to it once past
    /// 2^53: `-9223372036854775809` reads as exactly `i64::MIN`, `9007199254740993.0` as
    /// `9007199254740992`. Taking it for that integer would change the value received.
    #[test]
    fn integers_an_f64_cannot_hold_exactly_are_argument_errors() {
        let args: Value = serde_json::from_str(
            r#"{"per_page": -9223372036854775809, "ids": [9007199254740993.0, 9007199254740991.0],
                "window": {"days": -9.223372036854775808e18}, "maybe": 1e2}"#,
        )
        .unwrap();
        let err = integer_set()
            .parse::<IntegerParams>("things_list", args)
            .unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
        let m = &err.message;
        let inexact = "expected an integer from -9223372036854775808 to 9223372036854775807 \
                       written as its digits alone";
        for (path, got) in [
            ("per_page", "-9.223372036854776e+18"),
            ("ids[0]", "9007199254740992.0"),
            ("window.days", "-9.223372036854776e+18"),
        ] {
            let start = format!("- argument `{path}`: {inexact}, got the number {got}");
            assert!(m.lines().any(|l| l.starts_with(&start)), "{start} in {m}");
        }
        assert!(
            !m.contains("ids[1]") && !m.contains("maybe"),
            "exact ones pass: {m}"
        );
    }

    /// The generated schemas bound every `integer` to the `i64` range: a value beyond it is a
    /// schema violation, reported in the words of the check that follows it.
    #[test]
    fn integers_beyond_the_schema_bounds_are_argument_errors_naming_the_range() {
        let int = json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX});
        let doc = json!({
            "tools": [{
                "name": "things_list",
                "description": "Lists things",
                "input_schema": {
                    "type": "object",
                    "properties": {
                        "per_page": int,
                        "ids": {"type": "array", "items": int},
                        "page": {"type": "integer", "minimum": 1},
                        "size": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
                    },
                    "additionalProperties": false
                }
            }],
            "describe": {}
        });
        let set = ToolSet::from_json(&doc.to_string()).unwrap();
        let args: Value = serde_json::from_str(
            r#"{"per_page": 1e30, "ids": [1, -9.3e18], "page": 0, "size": 1}"#,
        )
        .unwrap();
        let err = set.parse::<Value>("things_list", args).unwrap_err();
        assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
        let range = "expected an integer from -9223372036854775808 to 9223372036854775807";
        let m = &err.message;
        for line in [
            format!("- argument `per_page`: {range}, got the number 1e+30"),
            format!("- argument `ids[1]`: {range}, got the number -9.3e+18"),
            "- argument `page`: expected an integer at least 1, got the number 0".to_owned(),
            "- argument `size`: expected a number above 0 and below 1, got the number 1".to_owned(),
        ] {
            assert!(m.lines().any(|l| l == line), "{line} in {m}");
        }
    }

    #[test]
    fn values_the_params_cannot_read_are_listed_like_schema_violations() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Narrow {
            window: Option<NarrowWindow>,
            ids: Option<Vec<u8>>,
            loose: Option<String>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct NarrowWindow {
            days: u8,
        }
        let set = integer_set();
        let cases = [
            (
                json!({"window": {"days": 300}}),
                "argument `window.days`: expected an integer from 0 to 255, got the number 300",
            ),
            (
                json!({"ids": [1, -1]}),
                "argument `ids[1]`: expected an integer from 0 to 255, got the number -1",
            ),
            (
                json!({"loose": [1]}),
                "argument `loose`: expected a string, got an array",
            ),
            (
                json!({"window": {}}),
                "missing required argument `window.days`",
            ),
        ];
        for (args, problem) in cases {
            let err = set.parse::<Narrow>("things_list", args).unwrap_err();
            assert_eq!(err.kind, ToolErrorKind::InvalidArguments);
            assert_eq!(
                err.message,
                format!(
                    "invalid arguments for `things_list`:\n- {problem}\nCorrect them and call \
                     again (the tool's input schema lists every argument)."
                )
            );
        }
    }

    #[test]
    fn malformed_tool_documents_are_errors_naming_the_part() {
        assert!(ToolSet::from_json("[]")
            .unwrap_err()
            .contains("`tools` is not an array"));
        let bad = json!({"tools": [{"name": "x", "description": "d", "input_schema": {"type": 3}}], "describe": {}});
        let err = ToolSet::from_json(&bad.to_string()).unwrap_err();
        assert!(
            err.contains("tool `x`: input schema does not compile"),
            "{err}"
        );
    }
}
