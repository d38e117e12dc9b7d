//! The tool methods every generated connector has, written once: [`toolbox!`](crate::toolbox!).

/// Makes a connector a [`Toolbox`](crate::tools::Toolbox): from its `tools.json` (the tool
/// definitions and the connector description, read and their schemas compiled on first use)
/// and one line per tool naming the [`ToolSet`](crate::tools::ToolSet) method that runs it
/// (`run`, or `run_download` for a download) and the action's params struct.
///
/// The connector is a type of the calling crate with a `client(&self) -> &Client` method and
/// a `tool_output_limit: usize` field; it gets the inherent methods `tools`, `call_tool`,
/// `describe`, `tool_output_limit` and `with_tool_output_limit`, and the `Toolbox` impl
/// calling them.
///
/// ```
/// use airbyte_agent_runtime::{handle, request, toolbox, Client};
/// use airbyte_agent_runtime::tools::Toolbox;
///
/// /// A connector.
/// pub struct Shop {
///     client: Client,
///     tool_output_limit: usize,
/// }
///
/// impl Shop {
///     /// The client underneath.
///     pub fn client(&self) -> &Client {
///         &self.client
///     }
/// }
///
/// handle! {
///     /// The actions of orders.
///     pub struct OrdersApi = "orders";
///     method Shop::orders;
/// }
///
/// request! {
///     /// Gets one order.
///     pub struct GetOrder(GetOrderParams) -> serde_json::Value {
///         /// The order's id.
///         "id" => id: String,
///     }
///     action OrdersApi::get = "get", idempotent = true;
/// }
///
/// toolbox! {
///     impl Toolbox for Shop {
///         tools = r#"{"tools": [{"name": "orders_get", "description": "Gets one order.",
///             "input_schema": {"type": "object", "properties": {"id": {"type": "string"}},
///             "required": ["id"], "additionalProperties": false}}], "describe": {}}"#;
///         "orders_get" => run(GetOrderParams),
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), airbyte_agent_runtime::Error> {
/// let client = Client::builder().connector_id("c").bearer_token("t").build()?;
/// let shop = Shop { client, tool_output_limit: 1_000 };
/// assert_eq!(Toolbox::tools(&shop)[0].name, "orders_get");
/// let error = shop.call_tool("orders_list", serde_json::json!({})).await.unwrap_err();
/// assert!(error.to_string().contains("orders_get"), "{error}");
/// let error = shop.call_tool("orders_get", serde_json::json!({"id": 7})).await.unwrap_err();
/// assert!(error.to_string().contains("id"), "{error}");
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! toolbox {
    (
        impl Toolbox for $connector:ident {
            tools = $json:expr;
            $($tool:literal => $run:ident($params:ty)),* $(,)?
        }
    ) => {
        // In an anonymous const: `tool_set` is no item of the caller's module (no clash with
        // one of its own, and two connectors of one module can each have a toolbox).
        const _: () = {
        /// The tool definitions and connector description of `tools.json`, read and their
        /// schemas compiled on first use.
        fn tool_set() -> &'static $crate::tools::ToolSet {
            static SET: ::std::sync::OnceLock<$crate::tools::ToolSet> =
                ::std::sync::OnceLock::new();
            SET.get_or_init(|| {
                $crate::tools::ToolSet::from_json($json)
                    .expect("tools.json is generated with the crate and read by its tests")
            })
        }

        impl $connector {
            /// The actions of the connector as tools for a model, one per action in the
            /// document's order: name (`<entity>_<action>`), description, and the JSON Schema
            /// (draft 2020-12) of the arguments.
            pub fn tools(&self) -> ::std::vec::Vec<$crate::tools::ToolDefinition> {
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
            // No intra-doc links to the runtime in these docs: `$crate` is not expanded in a
            // doc string, and the caller's crate may name the runtime otherwise.
            /// A `ToolError` (of the runtime's `tools` module) written for a model to correct
            /// its next call: an unknown tool (listing those there are), invalid arguments
            /// (naming each argument and what was expected), or the API's error.
            #[allow(unused_variables)]
            pub async fn call_tool(
                &self,
                name: &str,
                args: $crate::__private::serde_json::Value,
            ) -> ::std::result::Result<$crate::tools::ToolOutput, $crate::tools::ToolError> {
                let limit = self.tool_output_limit;
                match name {
                    $($tool => tool_set().$run::<$params>(self.client(), name, args, limit).await,)*
                    _ => ::std::result::Result::Err(tool_set().unknown(name)),
                }
            }

            /// The connector described for a model or a tool host: its entities, their
            /// actions (tool name, required and optional parameters with their types) and
            /// searchable fields with the operators each allows.
            pub fn describe(&self) -> $crate::__private::serde_json::Value {
                tool_set().describe().clone()
            }

            /// The cap on a tool result in characters (default `DEFAULT_OUTPUT_LIMIT` of the
            /// runtime's `tools` module, 100,000).
            pub fn tool_output_limit(&self) -> usize {
                self.tool_output_limit
            }

            /// Sets the cap on a tool result, in characters.
            pub fn with_tool_output_limit(mut self, chars: usize) -> Self {
                self.tool_output_limit = chars;
                self
            }
        }

        impl $crate::tools::Toolbox for $connector {
            fn tools(&self) -> ::std::vec::Vec<$crate::tools::ToolDefinition> {
                $connector::tools(self)
            }

            fn call_tool<'a>(
                &'a self,
                name: &'a str,
                args: $crate::__private::serde_json::Value,
            ) -> $crate::__private::futures::future::BoxFuture<
                'a,
                ::std::result::Result<$crate::tools::ToolOutput, $crate::tools::ToolError>,
            > {
                ::std::boxed::Box::pin($connector::call_tool(self, name, args))
            }

            fn describe(&self) -> $crate::__private::serde_json::Value {
                $connector::describe(self)
            }
        }
        };
    };
}

#[cfg(test)]
mod tests {
    //! The macro's items stay out of the caller's module: it may have a `tool_set` of its own
    //! and more than one connector with a toolbox (this module fails to compile otherwise).
    #![allow(dead_code)]

    /// A doc comment a macro writes into the caller's crate cannot link with `$crate` (it is
    /// not expanded in a doc string: rustdoc renders a dead `href="$crate::.."`).
    #[test]
    fn macro_docs_link_nothing_through_dollar_crate() {
        for (file, text) in [
            ("handle.rs", include_str!("../handle.rs")),
            ("record.rs", include_str!("../record.rs")),
            ("request.rs", include_str!("../request.rs")),
            ("enums.rs", include_str!("../enums.rs")),
            ("tools/toolbox.rs", include_str!("toolbox.rs")),
        ] {
            for (n, line) in text.lines().enumerate() {
                let doc = line.trim_start().starts_with("///") || line.contains("#[doc");
                assert!(
                    !(doc && line.contains("($crate::")),
                    "runtime/src/{file}:{}: {line}",
                    n + 1
                );
            }
        }
    }

    use crate::tools::Toolbox;
    use crate::Client;

    const TOOLS: &str = r#"{"tools": [], "describe": {"entities": []}}"#;

    #[allow(dead_code)]
    fn tool_set() -> &'static str {
        "the caller's own"
    }

    macro_rules! connector {
        ($name:ident) => {
            pub struct $name {
                client: Client,
                tool_output_limit: usize,
            }

            impl $name {
                fn client(&self) -> &Client {
                    &self.client
                }
            }

            crate::toolbox! {
                impl Toolbox for $name {
                    tools = TOOLS;
                }
            }
        };
    }
    connector!(First);
    connector!(Second);

    #[tokio::test]
    async fn two_toolboxes_in_one_module_beside_a_tool_set_of_its_own() {
        let client = Client::builder()
            .connector_id("c")
            .bearer_token("t")
            .build()
            .unwrap();
        let first = First {
            client: client.clone(),
            tool_output_limit: 10,
        };
        let second = Second {
            client,
            tool_output_limit: 20,
        };
        assert!(Toolbox::tools(&first).is_empty());
        assert_eq!(second.tool_output_limit(), 20);
        assert!(first
            .call_tool("nope", serde_json::Value::Null)
            .await
            .is_err());
        assert_eq!(tool_set(), "the caller's own");
    }
}
