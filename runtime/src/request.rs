//! The request builder every generated action has, written once: [`request!`](crate::request!).

/// Defines a request builder: a struct holding a [`Client`](crate::Client) and the params of
/// one [`Action`](crate::Action), with `new`, `params`, `into_params` and `send` (returning
/// `-> Output`, the action's output type, spelled out so that it shows in the docs); with
/// `, stream Item` also `stream` (the params must implement [`Paginated`](crate::Paginated)
/// with that item).
/// Setters for optional parameters are written beside it, in an `impl` of the builder, as
/// `self.params.<field> = Some(value)`.
///
/// ```no_run
/// use airbyte_agent_runtime::{Action, Client, ListPage};
/// use serde_json::Value;
///
/// #[derive(Debug, Clone, Default, serde::Serialize)]
/// pub struct ListTagsParams {
///     #[serde(skip_serializing_if = "Option::is_none")]
///     pub per_page: Option<i64>,
/// }
///
/// impl Action for ListTagsParams {
///     const ENTITY: &'static str = "tags";
///     const ACTION: &'static str = "list";
///     const IDEMPOTENT: bool = true;
///     type Output = ListPage<Value, Value>;
/// }
///
/// airbyte_agent_runtime::request! {
///     /// Lists tags.
///     pub struct ListTags(ListTagsParams) -> ListPage<Value, Value>;
/// }
///
/// impl ListTags {
///     /// Tags per page.
///     pub fn per_page(mut self, value: i64) -> Self {
///         self.params.per_page = Some(value);
///         self
///     }
/// }
///
/// # async fn run(client: Client) -> Result<(), airbyte_agent_runtime::Error> {
/// let page = ListTags::new(client, ListTagsParams::default()).per_page(10).send().await?;
/// println!("{} tags", page.records.len());
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! request {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty, stream $item:ty;
    ) => {
        $crate::request! {
            $(#[$meta])*
            $vis struct $name($params) -> $output;
        }

        impl $name {
            /// Streams the items of this page and of every following page, the next page
            /// requested while this one is consumed (see [`Client::paginate`]($crate::Client::paginate));
            /// a repeated cursor ends the stream with an error.
            pub fn stream(
                self,
            ) -> impl $crate::__private::futures::Stream<
                Item = ::std::result::Result<$item, $crate::Error>,
            > + ::std::marker::Send
                   + 'static {
                self.client.paginate(self.params)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        $vis struct $name {
            client: $crate::Client,
            params: $params,
        }

        impl $name {
            /// A request sending `params` through `client`.
            pub fn new(client: $crate::Client, params: $params) -> Self {
                Self { client, params }
            }

            /// The parameters as they will be sent (the body's `params` member).
            pub fn params(&self) -> &$params {
                &self.params
            }

            /// The parameters, e.g. to send them with another client.
            pub fn into_params(self) -> $params {
                self.params
            }

            /// Sends the request: one POST to the execute endpoint (retried as the client's
            /// [`RetryPolicy`]($crate::RetryPolicy) allows), decoded into the action's output.
            ///
            /// # Errors
            ///
            /// [`Error`]($crate::Error): transport, HTTP status, or a body that does not decode.
            pub async fn send(
                self,
            ) -> ::std::result::Result<$output, $crate::Error> {
                self.client.execute(&self.params).await
            }
        }
    };
}
