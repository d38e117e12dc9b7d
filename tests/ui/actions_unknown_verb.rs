// An action of `actions!` that is neither `read` nor `write` fails with a message naming the
// two verbs and what each means, not "no rules expected the token".
use airbyte_agent_runtime::actions;

actions! {
    /// The actions of orders.
    pub struct OrdersApi = "orders";

    /// Gets one order.
    fetch get: GetOrder(GetOrderParams) -> serde_json::Value {
        /// The order's id.
        "id" => id: String,
    }
}

fn main() {}
