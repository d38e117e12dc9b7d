// The `handle!` and `request!` forms from before the handle named its entity (`ENTITY`) fail
// with a message saying what to write instead, not "no rules expected the token".
use airbyte_agent_runtime::{handle, request};

handle! {
    /// The actions of orders.
    pub struct OldOrdersApi;
}

handle! {
    /// The actions of orders.
    pub struct OrdersApi = "orders";
}

request! {
    /// Gets one order.
    pub struct GetOrder(GetOrderParams) -> serde_json::Value {
        /// The order's id.
        "id" => id: String,
    }
    entity = "orders", action = "get", idempotent = true;
    method OrdersApi::get;
}

request! {
    /// Searches orders.
    pub type SearchOrders(SearchOrdersParams) = Search<SearchableOrder> -> SearchHits<OrderHit>;
    entity = "orders";
    method OrdersApi::search;
}

fn main() {}
