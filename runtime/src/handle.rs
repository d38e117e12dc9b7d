//! The entity handle every generated entity has, written once: [`handle!`](crate::handle!),
//! and [`actions!`](crate::actions!), one block declaring a handle with all its actions.

/// Declares an entity handle: `pub struct OrdersApi = "orders";` is a struct holding a
/// [`Client`](crate::Client), with `new` and the entity's wire name as `ENTITY`, and, with the
/// clause `method Connector::name;`, the method of the connector that returns it (the
/// connector is a type of the same crate with a `client(&self) -> &Client` method). Both are
/// documented by the doc comment. The actions' methods are added by
/// [`request!`](crate::request!) (its clause `action Handle::name = "action", ..;`), one `impl`
/// each, which send the handle's `ENTITY`.
///
/// ```
/// use airbyte_agent_runtime::{handle, Client};
///
/// /// A connector.
/// pub struct Shop {
///     client: Client,
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
/// # fn main() -> Result<(), airbyte_agent_runtime::Error> {
/// let shop = Shop { client: Client::builder().connector_id("c").bearer_token("t").build()? };
/// let orders: OrdersApi = shop.orders();
/// assert_eq!(OrdersApi::ENTITY, "orders");
/// # let _ = orders;
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! handle {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident = $entity:literal;
        method $connector:ident::$accessor:ident;
    ) => {
        $crate::handle! {
            $(#[$meta])*
            #[doc = ::std::concat!(
                "\n\nFrom [`", ::std::stringify!($connector), "::", ::std::stringify!($accessor),
                "`](", ::std::stringify!($connector), "::", ::std::stringify!($accessor), ")."
            )]
            $vis struct $name = $entity;
        }

        impl $connector {
            $(#[$meta])*
            pub fn $accessor(&self) -> $name {
                $name::new(self.client().clone())
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident = $entity:literal;
    ) => {
        $(#[$meta])*
        #[derive(::std::fmt::Debug, ::std::clone::Clone)]
        $vis struct $name {
            client: $crate::Client,
        }

        impl $name {
            /// The entity's name on the wire: the `entity` of each request of this handle.
            pub const ENTITY: &'static str = $entity;

            /// A handle sending through `client`.
            pub fn new(client: $crate::Client) -> Self {
                Self { client }
            }
        }
    };
    // Without the entity's wire name (the form before `ENTITY`): say how to give it.
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident;
        $($rest:tt)*
    ) => {
        ::std::compile_error!(::std::concat!(
            "handle!: give the entity's name on the wire, which each action of the handle \
             sends: `", ::std::stringify!($vis struct $name), " = \"<entity>\";`"
        ));
    };
}

/// Declares an entity handle and all its actions in one block: what generated crates write,
/// one block per entity. The first item is the handle, as [`handle!`](crate::handle!) takes
/// it (`pub struct OrdersApi = "orders" for Shop::orders;`, the `for` clause naming the
/// connector's method that returns it, optional). Each action follows, one of:
///
/// * `read get: GetOrder(GetOrderParams) -> Order { members }` — an action that only reads
///   (retried by default, [`Action::IDEMPOTENT`](crate::Action::IDEMPOTENT) `true`);
/// * `write cancel: CancelOrder(CancelOrderParams) -> Value { members }` — one that changes
///   something, or may (`IDEMPOTENT` `false`: not retried unless the client's
///   [`RetryPolicy`](crate::RetryPolicy) says so);
/// * `read search: SearchOrders(SearchOrdersParams) = Search<SearchableOrder> ->
///   SearchHits<OrderHit>;` — the entity's standard search, the runtime's generic
///   [`Search`](crate::Search).
///
/// The word after `read`/`write` is the handle's method and the action's name on the wire;
/// when the wire name differs, it follows the method: `write cancel_all = "cancelAll": ..`.
/// The members and the clauses that may follow the braces (`stream Item: Style { .. };`,
/// `download;`) are those of [`request!`](crate::request!), which declares each action
/// (builders get the handle's visibility).
///
/// ```no_run
/// use airbyte_agent_runtime::{actions, Client, ListPage, PageEnd};
/// use serde_json::Value;
///
/// actions! {
///     /// The actions of tags.
///     pub struct TagsApi = "tags";
///
///     /// Lists tags.
///     read list: ListTags(ListTagsParams) -> ListPage<Value, Value> {
///         /// The page to start from.
///         "page" => page: Option<i64>,
///     }
///     stream Value: Page { param: "page", first: 1, end: PageEnd::Empty };
///
///     /// Removes every tag.
///     write clear_all = "clearAll": ClearTags(ClearTagsParams) -> Value {}
/// }
///
/// # async fn run(client: Client) -> Result<(), airbyte_agent_runtime::Error> {
/// let tags = TagsApi::new(client);
/// let page = tags.list().page(2).send().await?;
/// println!("{} tags", page.records.len());
/// assert_eq!(<ClearTagsParams as airbyte_agent_runtime::Action>::ACTION, "clearAll");
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! actions {
    // The actions, one at a time (`@action [vis] Handle ..`).
    (@action [$vis:vis] $handle:ident) => {};
    (
        @action [$vis:vis] $handle:ident
        $(#[$meta:meta])*
        read $method:ident: $name:ident($params:ident) = Search<$marker:ident> -> SearchHits<$record:ty>;
        $($rest:tt)*
    ) => {
        $crate::request! {
            $(#[$meta])*
            $vis type $name($params) = Search<$marker> -> SearchHits<$record>;
            action $handle::$method;
        }
        $crate::actions! { @action [$vis] $handle $($rest)* }
    };
    (
        @action [$vis:vis] $handle:ident
        $(#[$meta:meta])*
        $verb:ident $method:ident $(= $wire:literal)?: $name:ident($params:ident) -> $output:ty { $($members:tt)* }
        $($rest:tt)*
    ) => {
        $crate::actions! {
            @clauses [$vis] $handle [
                $(#[$meta])*
                $vis struct $name($params) -> $output { $($members)* }
                action $handle::$method = $crate::actions!(@wire $method $($wire)?),
                idempotent = $crate::actions!(@idempotent $verb $method);
            ]
            $($rest)*
        }
    };
    // Anything else: past its doc comments, say what an action looks like.
    (@action [$vis:vis] $handle:ident #[$meta:meta] $($rest:tt)*) => {
        $crate::actions! { @action [$vis] $handle $($rest)* }
    };
    (@action [$vis:vis] $handle:ident $first:tt $($rest:tt)*) => {
        ::std::compile_error!(::std::concat!(
            "actions!: expected an action of `", ::std::stringify!($handle), "`: `read name: \
             Builder(Params) -> Output { .. }`, `write name: ..` or `read name: Builder(Params) \
             = Search<Marker> -> SearchHits<Record>;`, found `", ::std::stringify!($first), "`"
        ));
    };
    // The clauses after an action's members, then the next action.
    (
        @clauses [$vis:vis] $handle:ident [$($request:tt)*]
        stream $item:ty: $style:ident { $($paging:tt)* };
        $($rest:tt)*
    ) => {
        $crate::request! { $($request)* stream $item: $style { $($paging)* }; }
        $crate::actions! { @action [$vis] $handle $($rest)* }
    };
    (@clauses [$vis:vis] $handle:ident [$($request:tt)*] download; $($rest:tt)*) => {
        $crate::request! { $($request)* download; }
        $crate::actions! { @action [$vis] $handle $($rest)* }
    };
    (@clauses [$vis:vis] $handle:ident [$($request:tt)*] $($rest:tt)*) => {
        $crate::request! { $($request)* }
        $crate::actions! { @action [$vis] $handle $($rest)* }
    };
    // Whether an action only reads (and so is retried).
    (@idempotent read $method:ident) => {
        true
    };
    (@idempotent write $method:ident) => {
        false
    };
    (@idempotent $verb:ident $method:ident) => {
        ::std::compile_error!(::std::concat!(
            "actions!: `", ::std::stringify!($verb), " ", ::std::stringify!($method),
            "`: an action is `read` (it only reads, so it is retried) or `write` (it may change \
             something)"
        ))
    };
    // An action's name on the wire: the method's, unless given.
    (@wire $method:ident) => {
        ::std::stringify!($method)
    };
    (@wire $method:ident $wire:literal) => {
        $wire
    };
    // The handle, then its actions.
    (
        $(#[$meta:meta])*
        $vis:vis struct $handle:ident = $entity:literal for $connector:ident::$accessor:ident;
        $($actions:tt)*
    ) => {
        $crate::handle! {
            $(#[$meta])*
            $vis struct $handle = $entity;
            method $connector::$accessor;
        }
        $crate::actions! { @action [$vis] $handle $($actions)* }
    };
    (
        $(#[$meta:meta])*
        $vis:vis struct $handle:ident = $entity:literal;
        $($actions:tt)*
    ) => {
        $crate::handle! {
            $(#[$meta])*
            $vis struct $handle = $entity;
        }
        $crate::actions! { @action [$vis] $handle $($actions)* }
    };
}

#[cfg(test)]
mod tests {
    // The builders' `send` and the rest are not called here.
    #![allow(dead_code)]

    use serde_json::{json, Value};

    use crate::{Action, Client, ListPage, Paginated, Paging, Searchable};

    /// A connector with one entity.
    pub struct Shop {
        client: Client,
    }

    impl Shop {
        fn client(&self) -> &Client {
            &self.client
        }
    }

    /// The marker of the orders' searchable fields.
    #[derive(Debug)]
    pub enum SearchableOrder {}

    crate::actions! {
        /// The actions of orders.
        pub struct OrdersApi = "orders" for Shop::orders;

        /// Lists orders.
        read list: ListOrders(ListOrdersParams) -> ListPage<Value, Value> {
            /// Orders per page.
            "limit" => limit: Option<i64>,
            /// Where the page starts.
            "cursor" => cursor: Option<String>,
        }
        stream Value: Cursor { param: "cursor", next: "next", more: None };

        /// Gets one order.
        read get: GetOrder(GetOrderParams) -> Value {
            /// The order's id.
            "id" => id: String,
        }

        /// Cancels every order of a customer.
        write cancel_all = "cancelAll": CancelOrders(CancelOrdersParams) -> Value {
            /// The customer.
            "customer" => customer: i64,
        }

        /// The invoice of an order.
        read invoice: DownloadInvoice(DownloadInvoiceParams) -> bytes::Bytes {
            /// The order's id.
            "id" => id: String,
        }
        download;

        /// Searches orders.
        read search: SearchOrders(SearchOrdersParams) = Search<SearchableOrder> -> SearchHits<Value>;
    }

    fn shop() -> Shop {
        let client = Client::builder()
            .connector_id("c")
            .bearer_token("t")
            .build()
            .unwrap();
        Shop { client }
    }

    #[test]
    fn each_action_has_its_wire_name_entity_and_retry_safety() {
        let seen = [
            (
                ListOrdersParams::ENTITY,
                ListOrdersParams::ACTION,
                ListOrdersParams::IDEMPOTENT,
            ),
            (
                GetOrderParams::ENTITY,
                GetOrderParams::ACTION,
                GetOrderParams::IDEMPOTENT,
            ),
            (
                CancelOrdersParams::ENTITY,
                CancelOrdersParams::ACTION,
                CancelOrdersParams::IDEMPOTENT,
            ),
            (
                DownloadInvoiceParams::ENTITY,
                DownloadInvoiceParams::ACTION,
                DownloadInvoiceParams::IDEMPOTENT,
            ),
        ];
        assert_eq!(
            seen,
            [
                ("orders", "list", true),
                ("orders", "get", true),
                ("orders", "cancelAll", false),
                ("orders", "invoice", true),
            ]
        );
        assert_eq!(OrdersApi::ENTITY, "orders");
        assert_eq!(<SearchableOrder as Searchable>::ENTITY, "orders");
        assert!(matches!(
            ListOrdersParams::PAGING,
            Paging::Cursor {
                param: "cursor",
                next: "next",
                more: None
            }
        ));
    }

    #[test]
    fn the_connector_method_and_the_handle_methods_build_the_params() {
        let orders = shop().orders();
        let list = orders.list().limit(5);
        assert_eq!(
            serde_json::to_value(list.params()).unwrap(),
            json!({"limit": 5})
        );
        let cancel = orders.cancel_all(7);
        assert_eq!(
            serde_json::to_value(cancel.params()).unwrap(),
            json!({"customer": 7})
        );
        assert_eq!(orders.get("o1").params().id, "o1");
        assert_eq!(orders.invoice("o1").params().id, "o1");
        let _search = orders.search(crate::filter::Query::<SearchableOrder>::default());
    }
}
