//! The connector's actions as tools: `src/tools.json` (the tool definitions of
//! [`crate::tools`] and the connector description) and `src/tools.rs` (the connector's
//! `tools()`, `call_tool()`, `describe()` and its `Toolbox` impl, dispatching each tool name to
//! its params struct).

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::json;

use super::{doc, ident, Uses};
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

/// `src/tools.rs`: the tool methods of the connector and its `Toolbox` impl.
pub(super) fn module(krate: &Crate) -> TokenStream {
    let mut uses = Uses::default();
    let tool_set = uses.name("airbyte_agent_runtime::tools", "ToolSet");
    let definition = uses.name("airbyte_agent_runtime::tools", "ToolDefinition");
    let output = uses.name("airbyte_agent_runtime::tools", "ToolOutput");
    let error = uses.name("airbyte_agent_runtime::tools", "ToolError");
    let toolbox = uses.name("airbyte_agent_runtime::tools", "Toolbox");
    let value = uses.name("serde_json", "Value");
    let box_future = uses.name("futures::future", "BoxFuture");
    let once = uses.name("std::sync", "OnceLock");
    let connector = ident(&krate.connector);
    let all = tools::tools(krate);
    let has_download = all.iter().any(|t| t.action.output == Output::Bytes);
    let has_other = all.iter().any(|t| t.action.output != Output::Bytes);
    let arms: Vec<TokenStream> = all
        .iter()
        .map(|t| {
            let name = &t.name;
            let params = uses.name(
                &format!("crate::{}", t.entity.module),
                &t.action.params.name,
            );
            let run = if t.action.output == Output::Bytes {
                quote!(run_download)
            } else {
                quote!(run)
            };
            quote!(#name => #run::<#params>(self, name, args).await,)
        })
        .collect();
    if !all.is_empty() {
        uses.name("airbyte_agent_runtime", "Action");
        uses.name("serde::de", "DeserializeOwned");
    }
    // The generic helper each `call_tool` arm calls: `run` (output written as JSON) or
    // `run_download` (the body as text or hex), both reading the tool's narrowing hint.
    let runner = |name: &str, bound: TokenStream, doc_text: &str| {
        let id = ident(name);
        let text = doc(doc_text);
        quote! {
            #text
            async fn #id<P>(
                connector: &crate::#connector,
                name: &str,
                args: #value,
            ) -> Result<#output, #error>
            where
                P: DeserializeOwned + #bound,
            {
                let limit = connector.tool_output_limit;
                tool_set().#id::<P>(connector.client(), name, args, limit).await
            }
        }
    };
    let run = if has_other {
        let serialize = uses.name("serde", "Serialize");
        runner(
            "run",
            quote!(Action<Output: #serialize>),
            "Runs the tool `name`, whose params are `P` (see [`ToolSet::run`]).",
        )
    } else {
        quote!()
    };
    let run_download = if has_download {
        let bytes = uses.name("bytes", "Bytes");
        runner(
            "run_download",
            quote!(Action<Output = #bytes>),
            "Runs the download tool `name`, whose params are `P` (see [`ToolSet::run_download`]).",
        )
    } else {
        quote!()
    };
    let imports = uses.items();
    let describe_doc = doc(&format!(
        "The {} connector described for a model or a tool host: its entities, their\n\
         actions (tool name, required and optional parameters with their types) and\n\
         searchable fields with the operators each allows.",
        krate.title
    ));
    let example = tools::tools(krate)
        .first()
        .map_or_else(|| "entity_action".to_string(), |t| t.name.clone());
    let tools_doc = doc(&format!(
        "The actions of the connector as tools for a model, one per action in the\n\
         document's order: name (`<entity>_<action>`, e.g. `{example}`), description,\n\
         and the JSON Schema (draft 2020-12) of the arguments."
    ));
    quote! {
        #imports

        /// The tool definitions and connector description of `tools.json`, read and their
        /// schemas compiled on first use.
        fn tool_set() -> &'static #tool_set {
            static SET: #once<#tool_set> = #once::new();
            SET.get_or_init(|| {
                #tool_set::from_json(include_str!("tools.json"))
                    .expect("tools.json is generated with the crate and read by its tests")
            })
        }

        #run
        #run_download

        impl crate::#connector {
            #tools_doc
            pub fn tools(&self) -> Vec<#definition> {
                tool_set().definitions().to_vec()
            }

            /// Runs the tool `name` with the JSON arguments `args` (an object; `null` for
            /// none): the arguments are checked against the tool's input schema and read
            /// into the action's params, the action is sent, and its result comes back as
            /// JSON text of at most [`tool_output_limit`](Self::tool_output_limit)
            /// characters (with a notice saying what was cut and how to narrow the call).
            ///
            /// # Errors
            ///
            /// A [`ToolError`](airbyte_agent_runtime::tools::ToolError) written for a model
            /// to correct its next call: an unknown tool (listing those there are), invalid
            /// arguments (naming each argument and what was expected), or the API's error.
            pub async fn call_tool(&self, name: &str, args: #value) -> Result<#output, #error> {
                match name {
                    #(#arms)*
                    _ => Err(tool_set().unknown(name)),
                }
            }

            #describe_doc
            pub fn describe(&self) -> #value {
                tool_set().describe().clone()
            }

            /// The cap on a tool result in characters (default
            /// [`DEFAULT_OUTPUT_LIMIT`](airbyte_agent_runtime::tools::DEFAULT_OUTPUT_LIMIT),
            /// 100,000).
            pub fn tool_output_limit(&self) -> usize {
                self.tool_output_limit
            }

            /// Sets the cap on a tool result, in characters.
            pub fn with_tool_output_limit(mut self, chars: usize) -> Self {
                self.tool_output_limit = chars;
                self
            }
        }

        impl #toolbox for crate::#connector {
            fn tools(&self) -> Vec<#definition> {
                crate::#connector::tools(self)
            }

            fn call_tool<'a>(
                &'a self,
                name: &'a str,
                args: #value,
            ) -> #box_future<'a, Result<#output, #error>> {
                Box::pin(crate::#connector::call_tool(self, name, args))
            }

            fn describe(&self) -> #value {
                crate::#connector::describe(self)
            }
        }
    }
}
