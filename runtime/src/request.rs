//! The request builder every generated action has, written once: [`request!`](crate::request!).

/// Defines one action: the [`Action`](crate::Action) impl of its params struct (entity,
/// action, whether it only reads, output type) and its request builder, a struct holding a
/// [`Client`](crate::Client) and the params, with `new`, `params`, `into_params` and `send`
/// (returning `-> Output`, the action's output type, spelled out so that it shows in the
/// docs). With `stream Item: Style { .. };` the params also implement
/// [`Paginated`](crate::Paginated) with that [`Paging`](crate::Paging) style and the builder
/// gets `stream`; with `download;` the builder gets `stream` (the body's bytes as they arrive)
/// and `save_to` (into a file). Every builder has the [`ExecuteOptions`](crate::ExecuteOptions)
/// setters `select_fields`, `exclude_fields`, `intent` and `skip_truncation`.
///
/// # Declaring the params
///
/// With its members in braces after the output type, the macro also declares the params
/// struct (`Serialize`, and `Deserialize` rejecting unknown members; `#[non_exhaustive]`) and
/// its entity handle's method, named in the clause `action Handle::name = "action",
/// idempotent = ..;` (the handle is a struct of the same module with a `client: Client` field
/// and the entity's wire name as `ENTITY`, as [`handle!`](crate::handle!) declares it). Each
/// member is `"wire name" => field: T`, one of:
///
/// | member type | params field | set by |
/// |---|---|---|
/// | `T` (required) | `T` | an argument `impl Into<T>` of `Params::new` and of the handle method |
/// | `[T]` (required list) | `Vec<T>` | an argument `impl IntoIterator<Item = impl Into<T>>` |
/// | `Nullable<T>` (required, may be `null`) | `Option<T>`, sent as `null` when `None` | an argument `impl Into<Option<T>>` |
/// | `Option<T>` | `Option<T>`, left out when unset | the builder's setter `field(impl Into<T>)` |
/// | `Option<[T]>` | `Option<Vec<T>>`, left out when unset | the setter `field(impl IntoIterator<Item = impl Into<T>>)` |
///
/// The members' doc comments document the fields, the arguments' setters alike. Params
/// without a required member are `Default` (and have no `new`).
///
/// ```no_run
/// use airbyte_agent_runtime::{handle, request, Client, ListPage, PageEnd};
/// use serde_json::Value;
///
/// handle! {
///     /// The actions of tags.
///     pub struct TagsApi = "tags";
/// }
///
/// request! {
///     /// Lists tags.
///     pub struct ListTags(ListTagsParams) -> ListPage<Value, Value> {
///         /// The page to start from.
///         "page" => page: Option<i64>,
///         /// Only tags with these names.
///         "names" => names: Option<[String]>,
///     }
///     action TagsApi::list = "list", idempotent = true;
///     stream Value: Page { param: "page", first: 1, end: PageEnd::Empty };
/// }
///
/// request! {
///     /// Gets one tag.
///     pub struct GetTag(GetTagParams) -> Value {
///         /// The tag's id.
///         "id" => id: String,
///     }
///     action TagsApi::get = "get", idempotent = true;
/// }
///
/// # async fn run(client: Client) -> Result<(), airbyte_agent_runtime::Error> {
/// let tags = TagsApi::new(client);
/// let page = tags.list().page(2).names(["bug", "urgent"]).send().await?;
/// println!("{} tags", page.records.len());
/// let tag = tags.get("7").send().await?;
/// println!("{tag}");
/// # Ok(()) }
/// ```
///
/// # The standard search
///
/// An entity whose search is the standard one (see [`Search`](crate::Search)) names the
/// runtime's generic builder for its marker type: `pub type SearchTags(SearchTagsParams) =
/// Search<SearchableTag> -> SearchHits<TagHit>; action TagsApi::search;`
/// declares the two type aliases, the marker's [`Searchable`](crate::Searchable) impl (the
/// entity and the hit's record) and the handle's method taking the query.
///
/// # Params declared elsewhere
///
/// Without braces, `pub struct ListTags(ListTagsParams) -> Output;` takes a params struct
/// declared beside it (any `Serialize` type) and names its entity (`entity = "tags", action =
/// "list", idempotent = true;`); setters, if any, are then written by hand as
/// `self.params.<field> = Some(value)` in an `impl` of the builder.
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
/// # async fn run(client: Client) -> Result<(), airbyte_agent_runtime::Error> {
/// let page = ListTags::new(client, ListTagsParams { page: Some(2) }).send().await?;
/// println!("{} tags", page.records.len());
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! request {
    // An entity's standard search: the runtime's generic builder, named.
    (
        $(#[$meta:meta])*
        $vis:vis type $name:ident($params:ident) = Search<$marker:ident> -> SearchHits<$record:ty>;
        action $handle:ident::$method:ident;
    ) => {
        #[doc = ::std::concat!(
            "Parameters of [`", ::std::stringify!($name), "`], serialised as the request's `params`."
        )]
        $vis type $params = $crate::SearchParams<$marker>;

        $(#[$meta])*
        $vis type $name = $crate::Search<$marker>;

        impl $crate::Searchable for $marker {
            const ENTITY: &'static str = $handle::ENTITY;
            type Record = $record;
        }

        impl $handle {
            $(#[$meta])*
            pub fn $method(
                &self,
                query: impl ::std::convert::Into<$crate::filter::Query<$marker>>,
            ) -> $name {
                $name::new(self.client.clone(), $params::new(query))
            }
        }
    };
    // The clauses before the handle named the entity: say what they are now.
    (
        $(#[$meta:meta])*
        $vis:vis type $name:ident($params:ident) = Search<$marker:ident> -> SearchHits<$record:ty>;
        entity = $entity:literal;
        method $handle:ident::$method:ident;
    ) => {
        ::std::compile_error!(::std::concat!(
            "request!: write `action ", ::std::stringify!($handle), "::", ::std::stringify!($method),
            ";` for `entity = ..; method ..;` (the entity is the handle's `ENTITY`, from its \
             `handle!`)"
        ));
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ident) -> $output:ty { $($members:tt)* }
        entity = $entity:literal, action = $action:expr, idempotent = $idempotent:expr;
        method $handle:ident::$method:ident;
        $($tail:tt)*
    ) => {
        ::std::compile_error!(::std::concat!(
            "request!: write `action ", ::std::stringify!($handle), "::", ::std::stringify!($method), " = ",
            ::std::stringify!($action), ", idempotent = ", ::std::stringify!($idempotent),
            ";` for `entity = .., action = .., idempotent = ..; method ..;` (the entity is the \
             handle's `ENTITY`, from its `handle!`)"
        ));
    };
    // The declaring form: the members are read one by one (`@member`), collecting the params
    // fields, `new`'s arguments and initialisers, the handle method's argument names and the
    // builder's setters; `@declare` then writes them out.
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ident) -> $output:ty { $($members:tt)* }
        action $handle:ident::$method:ident = $action:expr, idempotent = $idempotent:expr;
        $($tail:tt)*
    ) => {
        $crate::request! {
            @member [
                [$(#[$meta])*] $vis $name $params [$output] [$handle $method]
                [entity = $handle::ENTITY, action = $action, idempotent = $idempotent; $($tail)*]
            ]
            [] [] [] [] []
            $($members)*
        }
    };
    (
        @member $decl:tt
        [$($fields:tt)*] [$($args:tt)*] [$($inits:tt)*] [$($names:tt)*] [$($setters:tt)*]
        $(#[$doc:meta])* $wire:literal => $field:ident: Nullable<$ty:ty> $(, $($rest:tt)*)?
    ) => {
        $crate::request! {
            @member $decl
            [
                $($fields)*
                $(#[$doc])*
                #[serde(rename = $wire)]
                pub $field: ::std::option::Option<$ty>,
            ]
            [$($args)* $field: impl ::std::convert::Into<::std::option::Option<$ty>>,]
            [$($inits)* $field: $field.into(),]
            [$($names)* $field,]
            [$($setters)*]
            $($($rest)*)?
        }
    };
    (
        @member $decl:tt $fields:tt $args:tt $inits:tt $names:tt $setters:tt
        $(#[$doc:meta])* $wire:literal => $field:ident: Option<[$elem:ty]> $(, $($rest:tt)*)?
    ) => {
        $crate::request! {
            @optional $decl $fields $args $inits $names $setters
            [$(#[$doc])*] $wire $field [::std::vec::Vec<$elem>]
            [
                pub fn $field(
                    mut self,
                    value: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$elem>>,
                ) -> Self {
                    self.params.$field = ::std::option::Option::Some(
                        value.into_iter().map(::std::convert::Into::into).collect(),
                    );
                    self
                }
            ]
            $($($rest)*)?
        }
    };
    (
        @member $decl:tt $fields:tt $args:tt $inits:tt $names:tt $setters:tt
        $(#[$doc:meta])* $wire:literal => $field:ident: Option<$ty:ty> $(, $($rest:tt)*)?
    ) => {
        $crate::request! {
            @optional $decl $fields $args $inits $names $setters
            [$(#[$doc])*] $wire $field [$ty]
            [
                pub fn $field(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.params.$field = ::std::option::Option::Some(value.into());
                    self
                }
            ]
            $($($rest)*)?
        }
    };
    // An optional member (either form above): a params field skipped when `None`, `None` in
    // `new`, and its setter (`$setter`, documented as the member).
    (
        @optional $decl:tt
        [$($fields:tt)*] [$($args:tt)*] [$($inits:tt)*] [$($names:tt)*] [$($setters:tt)*]
        [$(#[$doc:meta])*] $wire:literal $field:ident [$ty:ty] [$($setter:tt)*]
        $($rest:tt)*
    ) => {
        $crate::request! {
            @member $decl
            [
                $($fields)*
                $(#[$doc])*
                #[serde(rename = $wire, skip_serializing_if = "Option::is_none")]
                pub $field: ::std::option::Option<$ty>,
            ]
            [$($args)*]
            [$($inits)* $field: ::std::option::Option::None,]
            [$($names)*]
            [
                $($setters)*
                $(#[$doc])*
                $($setter)*
            ]
            $($rest)*
        }
    };
    (
        @member $decl:tt
        [$($fields:tt)*] [$($args:tt)*] [$($inits:tt)*] [$($names:tt)*] [$($setters:tt)*]
        $(#[$doc:meta])* $wire:literal => $field:ident: [$elem:ty] $(, $($rest:tt)*)?
    ) => {
        $crate::request! {
            @member $decl
            [$($fields)* $(#[$doc])* #[serde(rename = $wire)] pub $field: ::std::vec::Vec<$elem>,]
            [
                $($args)*
                $field: impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<$elem>>,
            ]
            [$($inits)* $field: $field.into_iter().map(::std::convert::Into::into).collect(),]
            [$($names)* $field,]
            [$($setters)*]
            $($($rest)*)?
        }
    };
    (
        @member $decl:tt
        [$($fields:tt)*] [$($args:tt)*] [$($inits:tt)*] [$($names:tt)*] [$($setters:tt)*]
        $(#[$doc:meta])* $wire:literal => $field:ident: $ty:ty $(, $($rest:tt)*)?
    ) => {
        $crate::request! {
            @member $decl
            [$($fields)* $(#[$doc])* #[serde(rename = $wire)] pub $field: $ty,]
            [$($args)* $field: impl ::std::convert::Into<$ty>,]
            [$($inits)* $field: $field.into(),]
            [$($names)* $field,]
            [$($setters)*]
            $($($rest)*)?
        }
    };
    // No required member: the params are `Default`.
    (
        @member [
            [$($meta:tt)*] $vis:vis $name:ident $params:ident [$output:ty] [$handle:ident $method:ident]
            [$($action:tt)*]
        ]
        [$($fields:tt)*] [] [$($inits:tt)*] [] [$($setters:tt)*]
    ) => {
        #[doc = ::std::concat!(
            "Parameters of [`", ::std::stringify!($name), "`], serialised as the request's `params`."
        )]
        #[derive(
            ::std::fmt::Debug, ::std::clone::Clone, ::std::default::Default, ::std::cmp::PartialEq,
            $crate::__private::serde::Serialize, $crate::__private::serde::Deserialize,
        )]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        $vis struct $params {
            $($fields)*
        }

        $crate::request!(@declare [$($meta)*] $vis $name $params [$output] [$($action)*] [$($setters)*]);

        impl $handle {
            $($meta)*
            pub fn $method(&self) -> $name {
                $name::new(self.client.clone(), <$params as ::std::default::Default>::default())
            }
        }
    };
    (
        @member [
            [$($meta:tt)*] $vis:vis $name:ident $params:ident [$output:ty] [$handle:ident $method:ident]
            [$($action:tt)*]
        ]
        [$($fields:tt)*] [$($args:tt)+] [$($inits:tt)*] [$($names:tt)+] [$($setters:tt)*]
    ) => {
        #[doc = ::std::concat!(
            "Parameters of [`", ::std::stringify!($name), "`], serialised as the request's `params`."
        )]
        #[derive(
            ::std::fmt::Debug, ::std::clone::Clone, ::std::cmp::PartialEq,
            $crate::__private::serde::Serialize, $crate::__private::serde::Deserialize,
        )]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        $vis struct $params {
            $($fields)*
        }

        impl $params {
            /// Creates the value from its required members; the others start unset.
            #[allow(clippy::too_many_arguments)]
            pub fn new($($args)+) -> Self {
                Self { $($inits)* }
            }
        }

        $crate::request!(@declare [$($meta)*] $vis $name $params [$output] [$($action)*] [$($setters)*]);

        impl $handle {
            $($meta)*
            #[allow(clippy::too_many_arguments)]
            pub fn $method(&self, $($args)+) -> $name {
                $name::new(self.client.clone(), $params::new($($names)+))
            }
        }
    };
    (
        @declare [$($meta:tt)*] $vis:vis $name:ident $params:ident [$output:ty]
        [$($action:tt)*] [$($setters:tt)*]
    ) => {
        $crate::request! {
            $($meta)*
            $vis struct $name($params) -> $output;
            $($action)*
        }

        impl $name {
            $($setters)*
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident($params:ty) -> $output:ty;
        entity = $entity:expr, action = $action:expr, idempotent = $idempotent:expr;
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
            /// requested while this one is consumed (see `Client::paginate`). A failed
            /// request ends the stream with its error, after the items before it; so do
            /// metadata that cannot be followed (`ErrorKind::UnusableCursor`), a repeated
            /// cursor (`ErrorKind::RepeatedCursor`), a repeated page
            /// (`ErrorKind::RepeatedPage`) and `MAX_EMPTY_PAGES` (100) pages in a row
            /// without items that announce more (`ErrorKind::EmptyPages`).
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
        entity = $entity:expr, action = $action:expr, idempotent = $idempotent:expr;
        download;
    ) => {
        $crate::request! {
            $(#[$meta])*
            $vis struct $name($params) -> $output;
            entity = $entity, action = $action, idempotent = $idempotent;
        }

        impl $name {
            /// Streams the downloaded bytes chunk by chunk as they arrive, never holding the
            /// whole body (see `Client::download`); an error
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
            /// arrived (see `save_download`); returns the number of
            /// bytes written.
            ///
            /// # Errors
            ///
            /// `Error`: as [`send`](Self::send), or
            /// `ErrorKind::Io` when the file cannot be written.
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
        entity = $entity:expr, action = $action:expr, idempotent = $idempotent:expr;
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
            /// `RetryPolicy` allows), decoded into the action's output.
            ///
            /// # Errors
            ///
            /// `Error`: transport, HTTP status, or a body that does not decode.
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
        /// `MAX_INTENT_CHARS` characters: a longer one fails with
        /// `ErrorKind::Validation` before anything is sent.
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

#[cfg(test)]
mod tests;
