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
use airbyte_intercom::{Client, Intercom};
use futures::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive for the whole run when used.
    let mut _sandbox = None;
    let client: Client = if std::env::var_os("AIRBYTE_TOKEN").is_some() {
        println!("using the service configured by AIRBYTE_* variables");
        Intercom::builder().from_env().build()?
    } else {
        let sandbox = airbyte_e2e::Sandbox::start(Default::default()).await;
        println!(
            "AIRBYTE_TOKEN not set: using the loopback sandbox at {}",
            sandbox.base_url()
        );
        let client = Intercom::builder()
            .base_url(sandbox.base_url())
            .connector_id(airbyte_e2e::TEST_CONNECTOR_ID)
            .bearer_token(airbyte_e2e::TEST_TOKEN)
            .build()?;
        _sandbox = Some(sandbox);
        client
    };
    let intercom = Intercom::new(client);

    let page = intercom.contacts().list().per_page(5).send().await?;
    println!("first page: {} contacts", page.records.len());
    let Some(first_id) = page
        .records
        .iter()
        .find_map(|c| c.id.as_ref()?.known().cloned())
    else {
        println!("no contacts");
        return Ok(());
    };

    let contact = intercom.contacts().get(&first_id).send().await?;
    let name = |n: &Option<airbyte_intercom::runtime::Lenient<String>>| {
        n.as_ref()
            .and_then(|l| l.known().cloned())
            .unwrap_or_default()
    };
    println!(
        "get {first_id}: {} <{}>",
        name(&contact.name),
        name(&contact.email)
    );

    let mut all = 0usize;
    let mut stream = Box::pin(intercom.contacts().list().per_page(50).stream());
    while let Some(item) = stream.next().await {
        item?;
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
        println!("  {} {}", hit.id, name(&hit.data.name));
    }
    Ok(())
}
