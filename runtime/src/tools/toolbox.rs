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
            /// A [`ToolError`]($crate::tools::ToolError) written for a model to correct its
            /// next call: an unknown tool (listing those there are), invalid arguments
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

            /// The cap on a tool result in characters (default
            /// [`DEFAULT_OUTPUT_LIMIT`]($crate::tools::DEFAULT_OUTPUT_LIMIT), 100,000).
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
}
