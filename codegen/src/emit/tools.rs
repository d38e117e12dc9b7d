//! The connector's actions as tools: `src/tools.json` (the tool definitions of
//! [`crate::tools`] and the connector description) and `src/tools.rs` (the runtime's
//! `toolbox!`: the connector's `tools()`, `call_tool()`, `describe()` and its `Toolbox` impl,
//! dispatching each tool name to its params struct).

use serde_json::json;

use super::{Chunk, Uses};
use crate::ir::{Crate, Output};
use crate::tools;

/// `src/tools.json`: `{"@generated", "tools": [..], "describe": {..}}`, pretty-printed.
pub(super) fn json(krate: &Crate, source: &str) -> String {
    let doc = json!({
        "@generated": format!("by airbyte-codegen from {source}. Do not edit."),
        "tools": tools::definitions(krate),
        "describe": tools::describe(krate),
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    text.push('\n');
    text
}

/// `src/tools.rs`: one `toolbox!` invocation, the tool methods of the connector and its
/// `Toolbox` impl: `tools.json`, then per tool its name, the runtime's `ToolSet` method that
/// runs it (`run`, or `run_download` for a download) and its params struct.
pub(super) fn module(krate: &Crate) -> Vec<Chunk> {
    let mut uses = Uses::default();
    let toolbox = uses.rt("toolbox");
    let arms: String = tools::tools(krate)
        .iter()
        .map(|t| {
            let params = uses.name(
                &format!("crate::{}", t.entity.module),
                &t.action.params.name,
            );
            let run = if t.action.output == Output::Bytes {
                "run_download"
            } else {
                "run"
            };
            format!("        {:?} => {run}({params}),\n", t.name)
        })
        .collect();
    uses.name("crate", &krate.connector);
    let invocation = format!(
        "{toolbox}! {{\n    impl Toolbox for {} {{\n        \
         tools = include_str!(\"tools.json\");\n{arms}    }}\n}}\n",
        krate.connector
    );
    vec![Chunk::Tokens(uses.items()), Chunk::Text(invocation)]
}
