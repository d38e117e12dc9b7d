//! The Intercom connector's actions as tools, the way an agent loop uses them: list the tool
//! definitions to hand to a model, then run the calls the model makes and feed back the
//! result text or the error message.
//!
//! ```text
//! cargo run -p airbyte-e2e --example tools
//! ```
//!
//! Without `AIRBYTE_TOKEN` it starts the loopback sandbox and talks to it; with it (and
//! `AIRBYTE_CONNECTOR_ID`) the real service.

use airbyte_intercom::Intercom;
use serde_json::json;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut _sandbox = None;
    let intercom: Intercom = if std::env::var_os("AIRBYTE_TOKEN").is_some() {
        Intercom::from_env()?
    } else {
        let sandbox = airbyte_agent_sandbox::Sandbox::start(Default::default()).await;
        println!(
            "AIRBYTE_TOKEN not set: using the loopback sandbox at {}",
            sandbox.base_url()
        );
        let intercom = sandbox.connect(Intercom::builder()).build()?;
        _sandbox = Some(sandbox);
        intercom
    };

    // What a model is offered: name, description, JSON Schema of the arguments.
    for tool in intercom.tools() {
        println!(
            "{:<22} {}",
            tool.name,
            tool.description.lines().next().unwrap_or_default()
        );
    }

    // Calls as a model would make them; an error's message says what to correct.
    let calls = [
        ("contacts_list", json!({"per_page": 2})),
        (
            "contacts_search",
            json!({"query": {"filter": {"eq": {"role": "user"}}}, "limit": 2}),
        ),
        ("contacts_list", json!({"per_page": "many"})),
        ("contacts_get", json!({})),
    ];
    for (name, args) in calls {
        match intercom.call_tool(name, args.clone()).await {
            Ok(out) => println!("\n{name} {args} ->\n{}", out.text),
            Err(e) => println!("\n{name} {args} -> error ({:?}):\n{e}", e.kind),
        }
    }

    // The whole connector at a glance: entities, actions, parameters, searchable fields.
    let described = intercom.describe();
    println!(
        "\n{} entities described",
        described["entities"].as_array().map_or(0, Vec::len)
    );
    Ok(())
}
