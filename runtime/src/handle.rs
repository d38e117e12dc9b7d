//! The entity handle every generated entity has, written once: [`handle!`](crate::handle!).

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
