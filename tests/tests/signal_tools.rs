//! Tool arguments through the runtime's `ToolSet` (the tool's JSON Schema, then the params
//! type) for the module generated from the enum shapes document
//! (`codegen/tests/shapes/signal.md`; committed as `signal_generated/`, kept fresh by the
//! codegen test `signal_generated_module_and_tools_are_fresh`): what the schema accepts, the
//! params read, and what the document rules out, the schema rejects with the argument's name.

use airbyte_agent_runtime::tools::{ToolErrorKind, ToolSet};
use airbyte_agent_runtime::Client;
use serde_json::{json, Value};

/// The connector of the generated module, which names it `crate::Signal` as in the crate it
/// was generated for; only argument checks are tested, so nothing builds one.
#[allow(dead_code)]
struct Signal {
    client: Client,
}

#[allow(dead_code)]
impl Signal {
    fn client(&self) -> &Client {
        &self.client
    }
}

#[allow(dead_code, clippy::all)]
#[rustfmt::skip]
#[path = "signal_generated/alerts.rs"]
mod alerts;

use alerts::{ListAlertsParams, UpdateAlertParams};

fn tools() -> ToolSet {
    ToolSet::from_json(include_str!("signal_generated/tools.json")).expect("tools.json compiles")
}

fn list(args: Value) -> Result<ListAlertsParams, String> {
    tools()
        .parse::<ListAlertsParams>("alerts_list", args)
        .map_err(|e| {
            assert_eq!(e.kind, ToolErrorKind::InvalidArguments, "{e:?}");
            e.message
        })
}

/// Every nullable parameter shape takes `null`, read as unset: an enum (`"asc" | "desc" |
/// None`), a scalar, an array, an object and a member of that object.
#[test]
fn nullable_parameters_take_null() {
    for arg in ["order", "note", "labels", "window", "scale"] {
        let params = list(json!({ arg: null })).unwrap_or_else(|e| panic!("{arg}: {e}"));
        assert_eq!(params, ListAlertsParams::default(), "{arg}");
    }
    let params = list(json!({"window": {"from": 1, "to": null}})).unwrap();
    let window = params.window.expect("window is set");
    assert_eq!((window.from, window.to), (1, None));
    // Values are still checked.
    let e = list(json!({"order": "up"})).unwrap_err();
    assert!(e.contains("order"), "{e}");
}

/// A parameter the document does not allow to be `null` rejects it, naming the argument.
#[test]
fn parameters_that_are_not_nullable_reject_null() {
    for arg in ["severity", "priority", "weight", "states", "thresholds"] {
        let e = list(json!({ arg: null })).expect_err(arg);
        assert!(e.contains(arg), "{arg}: {e}");
    }
}

/// Decimal literals (`0.5 | 1 | 1.5`, `-1.5 | 1e-05`, in an array) keep their values: the
/// schema accepts exactly them (`1.0` is `1`) and rejects any other number.
#[test]
fn decimal_literals_limit_the_argument_to_their_values() {
    for weight in [json!(0.5), json!(1), json!(1.0), json!(1.5)] {
        let params = list(json!({ "weight": weight })).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(params.weight, weight.as_f64());
    }
    for weight in [json!(0.7), json!(2), json!("0.5")] {
        let e = list(json!({ "weight": weight })).expect_err("not a listed value");
        assert!(e.contains("weight"), "{e}");
    }
    assert_eq!(list(json!({"scale": 1e-5})).unwrap().scale, Some(1e-5));
    assert_eq!(list(json!({"scale": -1.5})).unwrap().scale, Some(-1.5));
    assert!(list(json!({"scale": 1.5})).is_err());
    assert_eq!(
        list(json!({"thresholds": [1.5, 0.5]})).unwrap().thresholds,
        Some(vec![1.5, 0.5])
    );
    assert!(list(json!({"thresholds": [1]})).is_err());
    // Negative integer literals stay an integer enum.
    assert!(list(json!({"offset": -1})).is_ok());
    assert!(list(json!({"offset": 1})).is_err());
}

/// A required parameter that may be `null` (`assignee`): the schema and the params agree.
#[test]
fn a_required_nullable_parameter_takes_null_and_sends_it() {
    let tools = tools();
    let params: UpdateAlertParams = tools
        .parse(
            "alerts_update",
            json!({"id": "a1", "severity": "low", "assignee": null}),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(params.assignee, None);
    // Sent as `null` (unassign), not left out.
    let sent = serde_json::to_value(&params).unwrap();
    assert_eq!(sent["assignee"], Value::Null);
    assert!(sent.as_object().unwrap().contains_key("assignee"));
    // Still required: leaving it out is an error naming it.
    let e = tools
        .parse::<UpdateAlertParams>("alerts_update", json!({"id": "a1", "severity": "low"}))
        .unwrap_err();
    assert!(e.message.contains("assignee"), "{}", e.message);
}
