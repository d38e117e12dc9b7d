//! Lists, gets and searches Intercom contacts through the generated SDK.
//!
//! ```text
//! cargo run -p airbyte-e2e --example quickstart
//! ```
//!
//! Without `AIRBYTE_TOKEN` it starts the loopback sandbox and talks to it. With
//! `AIRBYTE_TOKEN` (and `AIRBYTE_CONNECTOR_ID`, optionally `AIRBYTE_BASE_URL`) it talks to the
//! real service.

use airbyte_intercom::contacts::fields;
use airbyte_intercom::Intercom;
use futures::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive for the whole run when used.
    let mut _sandbox = None;
    let intercom: Intercom = if std::env::var_os("AIRBYTE_TOKEN").is_some() {
        println!("using the service configured by AIRBYTE_* variables");
        Intercom::from_env()?
    } else {
        let sandbox = airbyte_agent_sandbox::Sandbox::start(Default::default()).await;
        println!(
            "AIRBYTE_TOKEN not set: using the loopback sandbox at {}",
            sandbox.base_url()
        );
        let intercom = Intercom::builder()
            .base_url(sandbox.base_url())
            .connector_id(airbyte_agent_sandbox::TEST_CONNECTOR_ID)
            .bearer_token(airbyte_agent_sandbox::TEST_TOKEN)
            .build()?;
        _sandbox = Some(sandbox);
        intercom
    };

    let page = intercom.contacts().list().per_page(5).send().await?;
    println!("first page: {} contacts", page.records.len());
    let Some(first_id) = page.records.iter().find_map(|c| c.id()) else {
        println!("no contacts");
        return Ok(());
    };

    let contact = intercom.contacts().get(first_id).send().await?;
    println!(
        "get {first_id}: {} <{}>",
        contact.name().unwrap_or_default(),
        contact.email().unwrap_or_default()
    );

    let mut all = 0usize;
    let mut stream = Box::pin(intercom.contacts().list().per_page(50).stream());
    while let Some(contact) = stream.next().await {
        contact?;
        all += 1;
    }
    println!("streamed {all} contacts");

    let hits = intercom
        .contacts()
        .search(fields::role().eq("user"))
        .sort(fields::created_at().desc())
        .limit(3)
        .send()
        .await?;
    println!("search role = user, newest first:");
    for hit in &hits.hits {
        println!(
            "  {} {}",
            hit.id.as_deref().unwrap_or("?"),
            hit.record().and_then(|c| c.name()).unwrap_or_default()
        );
    }
    Ok(())
}
