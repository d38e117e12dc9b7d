//! The request builder every generated action has, written once: [`request!`](crate::request!).

/// Defines one action: the [`Action`](crate::Action) impl of its params struct (entity,
/// action, whether it only reads, output type) and its request builder, a struct holding a
/// [`Client`](crate::Client) and the params, with `new`, `params`, `into_params` and `send`
/// (returning `-> Output`, the action's output type, spelled out so that it shows in the
/// docs). With `stream Item: Style { .. };` the params also implement
/// [`Paginated`](crate::Paginated) with that [`Paging`](crate::Paging) style and the builder
/// gets `stream`; with `download;` the builder gets `stream` (the body's bytes as they arrive)
/// and `save_to` (into a file). Every builder has the [`ExecuteOptions`](crate::ExecuteOptions)
/// setters `select_fields`, `exclude_fields`, `intent` and `skip_truncation`. Setters for
/// optional parameters are written beside it, in an `impl` of the builder, as
/// `self.params.<field> = Some(value)`.
///
/// ```no_run
/// use airbyte_agent_runtime::{Client, ListPage};
/// use serde_json::Value;
///
/// #[derive(Debug, Clone, Default, serde::Serialize)]
/// pub struct ListTagsParams {
///     #[serde(skip_serializing_if = "Option::is_none")]
///     pub page: Option<i64>,
/// }
///
/// airbyte_agent_runtime::request! {
///     /// Lists tags.
///     pub struct ListTags(ListTagsParams) -> ListPage<Value, Value>;
///     entity = "tags", action = "list", idempotent = true;
///     stream Value: Page { param: "page", first: 1, end: airbyte_agent_runtime::PageEnd::Empty };
/// }
///
/// impl ListTags {
///     /// The page to start from.
///     pub fn page(mut self, value: i64) -> Self {
///         self.params.page = Some(value);
///         self
///     }
/// }
///
/// # async fn run(client: Client) -> Result<(), airbyte_agent_runtime::Error> {
/// let page = ListTags::new(client, ListTagsParams::default()).page(2).send().await?;
/// println!("{} tags", page.records.len());
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! request {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty;
        entity = $entity:literal, action = $action:literal, idempotent = $idempotent:literal;
        stream $item:ty: $style:ident { $($paging:tt)* };
    ) => {
        $crate::request! {
            $(#[$meta])*
            $vis struct $name($params) -> $output;
            entity = $entity, action = $action, idempotent = $idempotent;
        }

        impl $crate::Paginated for $params {
            const PAGING: $crate::Paging = $crate::Paging::$style { $($paging)* };
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
                self.client.paginate_with(self.params, self.options)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty;
        entity = $entity:literal, action = $action:literal, idempotent = $idempotent:literal;
        download;
    ) => {
        $crate::request! {
            $(#[$meta])*
            $vis struct $name($params) -> $output;
            entity = $entity, action = $action, idempotent = $idempotent;
        }

        impl $name {
            /// Streams the downloaded bytes chunk by chunk as they arrive, never holding the
            /// whole body (see [`Client::download`]($crate::Client::download)); an error
            /// answer is the stream's one item.
            pub fn stream(
                self,
            ) -> impl $crate::__private::futures::Stream<
                Item = ::std::result::Result<$crate::__private::bytes::Bytes, $crate::Error>,
            > + ::std::marker::Send
                   + ::std::marker::Unpin
                   + 'static {
                self.client.download(self.params, self.options)
            }

            /// Downloads into the file at `path`, which appears only once the whole body has
            /// arrived (see [`save_download`]($crate::save_download)); returns the number of
            /// bytes written.
            ///
            /// # Errors
            ///
            /// [`Error`]($crate::Error): as [`send`](Self::send), or
            /// [`ErrorKind::Io`]($crate::ErrorKind::Io) when the file cannot be written.
            pub async fn save_to(
                self,
                path: impl ::std::convert::AsRef<::std::path::Path>,
            ) -> ::std::result::Result<u64, $crate::Error> {
                $crate::save_download(self.stream(), path.as_ref())
                    .await
                    .map_err(|e| match e.entity() {
                        "" => e.with_action($entity, $action),
                        _ => e,
                    })
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty;
        entity = $entity:literal, action = $action:literal, idempotent = $idempotent:literal;
    ) => {
        impl $crate::Action for $params {
            const ENTITY: &'static str = $entity;
            const ACTION: &'static str = $action;
            const IDEMPOTENT: bool = $idempotent;
            type Output = $output;
        }

        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        $vis struct $name {
            client: $crate::Client,
            params: $params,
            options: $crate::ExecuteOptions,
        }

        impl $name {
            /// A request sending `params` through `client`.
            pub fn new(client: $crate::Client, params: $params) -> Self {
                Self {
                    client,
                    params,
                    options: $crate::ExecuteOptions::default(),
                }
            }

            $crate::__execute_option_setters!(options);

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
                self.client.execute_with(&self.params, &self.options).await
            }
        }
    };
}

/// The [`ExecuteOptions`](crate::ExecuteOptions) setters of a request builder whose options
/// live in the field `$field` (used by [`request!`](crate::request!) and
/// [`RawRequest`](crate::RawRequest)).
#[doc(hidden)]
#[macro_export]
macro_rules! __execute_option_setters {
    ($field:ident) => {
        /// Returns only these dot paths of each record (`select_fields`), e.g.
        /// `["id", "email"]` or the entity's `paths` constants; a path also excluded is
        /// returned. Replaces earlier paths.
        pub fn select_fields<I>(mut self, paths: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::Into<$crate::FieldPath>,
        {
            self.$field = self.$field.select_fields(paths);
            self
        }

        /// Leaves these dot paths out of each record (`exclude_fields`). Replaces earlier
        /// paths.
        pub fn exclude_fields<I>(mut self, paths: I) -> Self
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::Into<$crate::FieldPath>,
        {
            self.$field = self.$field.exclude_fields(paths);
            self
        }

        /// Why the call is made, in words (`intent`), at most
        /// [`MAX_INTENT_CHARS`]($crate::MAX_INTENT_CHARS) characters: a longer one fails with
        /// [`ErrorKind::Validation`]($crate::ErrorKind::Validation) before anything is sent.
        pub fn intent(mut self, text: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.$field = self.$field.intent(text);
            self
        }

        /// Whether records come back whole (`skip_truncation: true`, the client's default
        /// unless configured otherwise) or the server may shorten long values (`false`).
        pub fn skip_truncation(mut self, yes: bool) -> Self {
            self.$field = self.$field.skip_truncation(yes);
            self
        }

        /// The execute options set so far (sent beside `params`).
        pub fn execute_options(&self) -> &$crate::ExecuteOptions {
            &self.$field
        }
    };
}
