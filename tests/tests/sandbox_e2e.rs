//! The sandbox serving a connector other than Intercom the way its generated client reads it:
//! the module generated from the Acme fixture (`tests/fixtures/tasks/REFERENCE.md`: lists
//! paged by page number, ended by `has_more`, 10 a page by default; records named by their
//! `task_id`, which get and delete take) against a sandbox
//! started from the model and `paging.resolved.yaml` the generator writes for that document.

use airbyte_agent_runtime::{Client, Error};
use airbyte_agent_sandbox::{Model, Sandbox, SandboxConfig};
use airbyte_codegen::{lower, parse, regen};
use futures::StreamExt;
use serde_json::json;

/// The connector of the generated module, which names it `crate::Acme` as in the crate it was
/// generated for (its `handle!` adds the `tasks` method).
struct Acme {
    client: Client,
}

impl Acme {
    fn client(&self) -> &Client {
        &self.client
    }
}

/// The module generated from the Acme fixture (kept fresh by the codegen test
/// `acme_generated_module_is_fresh`).
#[allow(dead_code, clippy::all)]
#[rustfmt::skip]
#[path = "acme_generated/tasks.rs"]
mod tasks;

const DOC: &str = "tests/fixtures/tasks/REFERENCE.md";

/// The model of the fixture as `cargo xtask regen` / `airbyte-codegen generate` write it:
/// `model.yaml` and `paging.resolved.yaml`, read back by the sandbox.
fn model() -> Model {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/tasks/REFERENCE.md");
    let text = std::fs::read_to_string(&path).expect("the fixture document");
    let parsed = parse::parse(DOC, &text).expect("the fixture parses");
    let yaml = regen::model_yaml(&parsed.connector, DOC).expect("model YAML");
    let paging = regen::paging_yaml(
        &parsed.connector,
        &lower::lower(&parsed.connector).expect("lowers"),
        DOC,
    )
    .expect("paging YAML");
    Model::from_yaml("model.yaml", &yaml)
        .and_then(|m| m.with_paging("paging.resolved.yaml", &paging))
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn start(records: u64) -> (Sandbox, Acme) {
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .fixtures(false)
            .model(model())
            .records_per_entity(records),
    )
    .await;
    let client = sandbox.connect(Client::builder()).build().expect("client");
    (sandbox, Acme { client })
}

/// Every record once, in order, through page numbers 1, 2, ...; the sandbox says `has_more`
/// false on the last page, so the stream ends without an extra request.
#[tokio::test]
async fn page_number_list_streams_every_record_once() -> Result<(), Error> {
    let (sandbox, acme) = start(11).await;
    let ids: Vec<String> = acme
        .tasks()
        .list()
        .page_size(4)
        .stream()
        .map(|t| t.map(|t| t.task_id().unwrap_or_default().to_owned()))
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    let want: Vec<String> = (0..11).map(|i| format!("tasks-{i}")).collect();
    assert_eq!(ids, want);
    let sent: Vec<_> = sandbox
        .requests()
        .iter()
        .map(|r| {
            (
                r.body["params"]["page"].clone(),
                r.body["params"]["page_size"].clone(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (json!(null), json!(4)),
            (json!(2), json!(4)),
            (json!(3), json!(4))
        ]
    );
    // Records decode into the generated record type.
    let first = acme.tasks().list().page(3).page_size(4).send().await?;
    assert_eq!(first.records.len(), 3);
    assert_eq!(first.meta.has_more(), Some(false));
    Ok(())
}

/// Create answers a record shaped like the record (`Task`), which get then returns.
#[tokio::test]
async fn create_then_get_returns_the_record() -> Result<(), Error> {
    let (sandbox, acme) = start(3).await;
    let created = acme
        .tasks()
        .create("Write the report", "w-1")
        .priority(tasks::CreateTaskPriority::High)
        .send()
        .await?;
    assert_eq!(created.task_id(), Some("tasks-3"));
    assert_eq!(created.title(), Some("Write the report"));
    assert_eq!(created.priority(), Some(tasks::TaskPriority::High));
    let stored = sandbox.records("tasks").pop().expect("the created record");
    assert!(stored.get("workspace").is_none(), "{stored}");
    let got = acme.tasks().get("tasks-3").send().await?;
    assert_eq!(got, created);
    let ids: Vec<String> = acme
        .tasks()
        .list()
        .stream()
        .map(|t| t.expect("a task").task_id().unwrap_or_default().to_owned())
        .collect()
        .await;
    assert_eq!(ids, ["tasks-0", "tasks-1", "tasks-2", "tasks-3"]);
    Ok(())
}

/// A create given the record's key (`task_id`) keeps it, so a get by that key finds the
/// record; a key already taken is refused with 409 and nothing is added.
#[tokio::test]
async fn a_create_given_the_key_keeps_it() -> Result<(), Error> {
    let (sandbox, acme) = start(2).await;
    let created = acme
        .tasks()
        .create("Write the report", "w-1")
        .task_id("report-1")
        .send()
        .await?;
    assert_eq!(created.task_id(), Some("report-1"));
    let got = acme.tasks().get("report-1").send().await?;
    assert_eq!(got, created);
    let again = acme
        .tasks()
        .create("Another", "w-1")
        .task_id("report-1")
        .send()
        .await
        .expect_err("the key is taken");
    assert_eq!(again.status(), Some(409), "{again}");
    assert_eq!(sandbox.records("tasks").len(), 3);
    Ok(())
}

/// An entity or action the model does not have is a 422 naming what is served.
#[tokio::test]
async fn unknown_entity_and_action_are_clear_errors() {
    let (sandbox, _) = start(1).await;
    for (entity, action, want) in [
        (
            "projects",
            "list",
            r#"unknown entity "projects"; acme has: tasks"#,
        ),
        (
            "tasks",
            "archive",
            r#"unknown action "archive" for tasks; it has: list, get, create, delete"#,
        ),
    ] {
        let r = reqwest::Client::new()
            .post(sandbox.execute_url())
            .bearer_auth(airbyte_agent_sandbox::TEST_TOKEN)
            .json(&json!({"entity": entity, "action": action}))
            .send()
            .await
            .expect("execute call");
        assert_eq!(r.status().as_u16(), 422);
        let body: serde_json::Value = r.json().await.expect("JSON");
        assert_eq!(body["message"], want);
    }
}

/// The identifier read from a listed record finds that record through get and delete: the
/// key is `task_id`, the field the get action's parameter names, and records have no `id`.
#[tokio::test]
async fn a_listed_records_key_gets_and_deletes_it() -> Result<(), Error> {
    let (sandbox, acme) = start(5).await;
    let page = acme.tasks().list().page_size(5).send().await?;
    let listed = page.records[2].clone();
    let key = listed.task_id().expect("a task_id").to_owned();
    let stored = &sandbox.records("tasks")[2];
    assert!(
        stored.get("id").is_none(),
        "an undocumented id member: {stored}"
    );
    assert_eq!(acme.tasks().get(&key).send().await?, listed);
    // Delete documents no output: the answer is an empty object, not the removed record.
    let answer = acme.tasks().delete(&key).send().await?;
    assert_eq!(answer, json!({}));
    let gone = acme
        .tasks()
        .get(&key)
        .send()
        .await
        .expect_err("a deleted task is gone");
    assert_eq!(gone.status(), Some(404), "{gone}");
    assert_eq!(sandbox.records("tasks").len(), 4);
    Ok(())
}

/// A plain `send()` gets the documented default page size (`page_size`: "default 10"), not a
/// test's choice.
#[tokio::test]
async fn a_list_without_a_page_size_gets_the_documented_default() -> Result<(), Error> {
    let (sandbox, acme) = start(25).await;
    let page = acme.tasks().list().send().await?;
    assert_eq!(page.records.len(), 10);
    assert_eq!(page.meta.has_more(), Some(true));
    let sent = &sandbox.requests()[0].body;
    assert!(sent["params"].get("page_size").is_none(), "{sent}");
    Ok(())
}
