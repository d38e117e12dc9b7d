//! Every Intercom action end to end: the generated crate -> runtime -> HTTP -> the loopback
//! sandbox. `context_store_search`, `create` and `update` (not in the Intercom document) go
//! through small hand-written runtime actions.

use airbyte_agent_runtime::{Action, Client, ErrorKind, SearchPage};
use airbyte_agent_sandbox::{Sandbox, SandboxConfig, TEST_CONNECTOR_ID, TEST_TOKEN};
use airbyte_intercom::{contacts, Intercom};
use futures::StreamExt;
use serde::Serialize;
use serde_json::{json, Value};

fn intercom(sandbox: &Sandbox) -> Intercom {
    sandbox
        .connect(Intercom::builder())
        .build()
        .expect("connector")
}

/// The runtime client under the connector, for the hand-written actions below.
fn client(sandbox: &Sandbox) -> Client {
    intercom(sandbox).client().clone()
}

#[tokio::test]
async fn every_entity_lists_and_gets_through_the_generated_crate() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);

    let page = ic.contacts().list().per_page(3).send().await.unwrap();
    assert_eq!(page.records.len(), 3);
    assert_eq!(page.records[0].name(), Some("Ada Lovelace"));
    let next = page.meta.next_page().map(str::to_owned);
    assert_eq!(next.as_deref(), Some("c3"));
    let second = ic
        .contacts()
        .list()
        .per_page(3)
        .starting_after(next.unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(second.records[0].name(), Some("Marie Curie"));

    let id = page.records[1].id().unwrap().to_owned();
    let grace = ic.contacts().get(&id).send().await.unwrap();
    assert_eq!(grace.email(), Some("grace@cobol.example"));
    assert_eq!(grace.location().unwrap()["city"], "Arlington");

    // Every other entity: list all, then get the first by id.
    macro_rules! list_then_get {
        ($api:ident, $n:expr) => {{
            let all = ic.$api().list().send().await.unwrap();
            assert_eq!(all.records.len(), $n, stringify!($api));
            let first_id = all.records[0].id().unwrap().to_owned();
            let one = ic.$api().get(&first_id).send().await.unwrap();
            assert_eq!(one.id(), Some(first_id.as_str()), stringify!($api));
        }};
    }
    list_then_get!(companies, 3);
    list_then_get!(conversations, 3);
    list_then_get!(teams, 2);
    list_then_get!(admins, 3);
    list_then_get!(tags, 3);
    list_then_get!(segments, 2);

    // 2 contact lists + 1 get + 2 per other entity.
    assert_eq!(sandbox.execute_requests(), 3 + 12);
    let bodies = sandbox.requests();
    assert_eq!(
        bodies[0].body,
        json!({"entity": "contacts", "action": "list", "params": {"per_page": 3}, "skip_truncation": true})
    );
    assert!(bodies.iter().all(|r| r.authorized));
}

#[tokio::test]
async fn get_of_an_unknown_id_is_not_found() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    let err = ic.contacts().get("nope").send().await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message } if message.contains("nope")),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(404));
    assert_eq!(sandbox.execute_requests(), 1, "404 is not retried");
}

#[tokio::test]
async fn list_streams_across_pages() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    let names: Vec<String> = ic
        .contacts()
        .list()
        .per_page(2)
        .stream()
        .map(|c| c.unwrap().name().unwrap().to_owned())
        .collect()
        .await;
    let expected: Vec<String> = sandbox
        .records("contacts")
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, expected);
    assert_eq!(names.len(), 7);
    assert_eq!(sandbox.execute_requests(), 4, "7 records in pages of 2");
}

#[tokio::test]
async fn synthetic_contacts_stream_without_being_stored() {
    let sandbox = Sandbox::start(SandboxConfig::default().synthetic_contacts(2_500)).await;
    let ic = intercom(&sandbox);
    let mut n = 0u64;
    let mut stream = Box::pin(ic.contacts().list().per_page(1000).stream());
    while let Some(c) = stream.next().await {
        assert_eq!(c.unwrap().id(), Some(format!("synthetic-{n}").as_str()));
        n += 1;
    }
    assert_eq!(n, 2_500);
    assert_eq!(sandbox.execute_requests(), 3);
    assert!(sandbox.records("contacts").len() < 10);
    let one = ic.contacts().get("synthetic-1234").send().await.unwrap();
    assert_eq!(one.email(), Some("person1234@synthetic.example"));
}

#[tokio::test]
async fn search_filters_sorts_limits_and_projects() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    use contacts::fields;

    let names =
        |hits: &[airbyte_agent_runtime::Hit<contacts::ContactSearchRecord>]| -> Vec<String> {
            hits.iter()
                .map(|h| {
                    h.record()
                        .and_then(|c| c.name())
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect()
        };

    // eq + sort desc
    let r = ic
        .contacts()
        .search(fields::role().eq("lead"))
        .sort(fields::created_at().desc())
        .send()
        .await
        .unwrap();
    assert_eq!(names(&r.hits), ["Alan Turing", "Linus Pauling"]);

    // gte/lt, and
    let r = ic
        .contacts()
        .search(
            fields::created_at()
                .gte(1_719_086_400)
                .and(fields::created_at().lt(1_719_259_200)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(names(&r.hits), ["Grace Hopper", "Linus Pauling"]);

    // like (case-insensitive), or, not, in, neq, fuzzy, keyword
    let like = ic
        .contacts()
        .search(fields::email().like("%@ORBIT.%"))
        .send()
        .await
        .unwrap();
    assert_eq!(names(&like.hits), ["Katherine Johnson"]);
    let or = ic
        .contacts()
        .search(
            fields::name()
                .eq("Ada Lovelace")
                .or(fields::name().eq("Emmy Noether")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(names(&or.hits), ["Ada Lovelace", "Emmy Noether"]);
    let not = ic
        .contacts()
        .search(fields::role().eq("user").not())
        .send()
        .await
        .unwrap();
    assert_eq!(not.hits.len(), 2);
    let in_ = ic
        .contacts()
        .search(fields::browser().in_(["Edge", "Safari"]))
        .send()
        .await
        .unwrap();
    assert_eq!(names(&in_.hits), ["Linus Pauling", "Katherine Johnson"]);
    let neq = ic
        .contacts()
        .search(fields::browser().neq("Firefox"))
        .send()
        .await
        .unwrap();
    assert_eq!(neq.hits.len(), 5);
    let fuzzy = ic
        .contacts()
        .search(fields::name().fuzzy("kath john"))
        .send()
        .await
        .unwrap();
    assert_eq!(names(&fuzzy.hits), ["Katherine Johnson"]);
    let keyword = ic
        .contacts()
        .search(fields::name().keyword("curie turing"))
        .send()
        .await
        .unwrap();
    assert_eq!(names(&keyword.hits), ["Marie Curie", "Alan Turing"]);
    let gt_lte = ic
        .contacts()
        .search(
            fields::updated_at()
                .gt(1_719_000_000)
                .and(fields::updated_at().lte(1_719_097_200)),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(names(&gt_lte.hits), ["Grace Hopper"]);

    // limit + cursor + fields projection
    let first = ic
        .contacts()
        .search(fields::role().eq("user"))
        .sort(fields::name().asc())
        .limit(2)
        .fields([fields::name().path(), fields::email().path()])
        .send()
        .await
        .unwrap();
    assert_eq!(names(&first.hits), ["Ada Lovelace", "Emmy Noether"]);
    let first_record = first.hits[0].record().unwrap();
    assert!(first_record.role.is_absent(), "projected away");
    assert!(first_record.email().is_some());
    let cursor = first.next_cursor.clone().unwrap();
    let second = ic
        .contacts()
        .search(fields::role().eq("user"))
        .sort(fields::name().asc())
        .limit(2)
        .cursor(cursor)
        .send()
        .await
        .unwrap();
    assert_eq!(names(&second.hits), ["Grace Hopper", "Katherine Johnson"]);

    // the Stream walks every page
    let all: Vec<String> = ic
        .contacts()
        .search(fields::role().eq("user"))
        .sort(fields::name().asc())
        .limit(2)
        .stream()
        .map(|h| h.unwrap().record().unwrap().name().unwrap().to_owned())
        .collect()
        .await;
    assert_eq!(
        all,
        [
            "Ada Lovelace",
            "Emmy Noether",
            "Grace Hopper",
            "Katherine Johnson",
            "Marie Curie"
        ]
    );
}

#[tokio::test]
async fn other_entities_search() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    let teams = ic
        .teams()
        .search(airbyte_intercom::teams::fields::name().eq("Billing"))
        .send()
        .await
        .unwrap();
    assert_eq!(teams.hits.len(), 1);
    assert_eq!(teams.hits[0].id.as_deref(), Some("8101"));
    let companies = ic
        .companies()
        .search(airbyte_intercom::companies::fields::created_at().gt(1_718_000_500))
        .send()
        .await
        .unwrap();
    assert_eq!(companies.hits.len(), 2);
    let convs = ic
        .conversations()
        .search(airbyte_intercom::conversations::fields::admin_assignee_id().eq(7101))
        .send()
        .await
        .unwrap();
    assert_eq!(convs.hits.len(), 2);
}

#[derive(Serialize, Clone)]
struct ContextSearch {
    query: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

impl Action for ContextSearch {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "context_store_search";
    const IDEMPOTENT: bool = true;
    type Output = SearchPage<Value>;
}

#[tokio::test]
async fn context_store_search_pages_with_meta() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let c = client(&sandbox);
    let mut action = ContextSearch {
        query: json!({"filter": {"eq": {"custom_attributes.plan": "pro"}}, "sort": [{"name": "asc"}]}),
        limit: Some(1),
        cursor: None,
    };
    let first = c.execute(&action).await.unwrap();
    assert_eq!(first.data.len(), 1);
    assert_eq!(first.data[0]["name"], "Alan Turing");
    assert!(first.meta.has_more);
    action.cursor = first.next_cursor().map(str::to_owned);
    let second = c.execute(&action).await.unwrap();
    assert_eq!(second.data[0]["name"], "Grace Hopper");
    assert!(!second.meta.has_more);
    assert_eq!(second.next_cursor(), None);

    // an unknown operator is rejected, not silently matched
    action.query = json!({"filter": {"regex": {"name": ".*"}}});
    action.cursor = None;
    let err = c.execute(&action).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Validation { .. }),
        "{err:?}"
    );
}

#[derive(Serialize)]
struct Create {
    name: String,
    email: String,
}

impl Action for Create {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "create";
    const IDEMPOTENT: bool = false;
    type Output = contacts::Contact;
}

#[derive(Serialize)]
struct Update {
    id: String,
    role: String,
}

impl Action for Update {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "update";
    const IDEMPOTENT: bool = false;
    type Output = contacts::Contact;
}

#[tokio::test]
async fn create_then_update_then_read_back() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let c = client(&sandbox);
    let created = c
        .execute(&Create {
            name: "Hedy Lamarr".into(),
            email: "hedy@frequency.example".into(),
        })
        .await
        .unwrap();
    let id = created.id().unwrap().to_owned();
    let updated = c
        .execute(&Update {
            id: id.clone(),
            role: "lead".into(),
        })
        .await
        .unwrap();
    assert_eq!(updated.role(), Some("lead"));
    let ic = Intercom::from(c.clone());
    let read = ic.contacts().get(&id).send().await.unwrap();
    assert_eq!(read.name(), Some("Hedy Lamarr"));
    assert_eq!(read.role(), Some("lead"));
    let err = c
        .execute(&Update {
            id: "missing".into(),
            role: "user".into(),
        })
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }));
}

#[tokio::test]
async fn wrong_token_is_401_and_newer_path_works() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let bad: Intercom = Intercom::builder()
        .base_url(sandbox.base_url())
        .connector_id(TEST_CONNECTOR_ID)
        .bearer_token("wrong")
        .build()
        .unwrap();
    let err = bad.contacts().list().send().await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Authentication { .. }));
    assert_eq!(err.status(), Some(401));

    // A runtime client built elsewhere becomes the connector with `From`.
    let newer = Intercom::from(
        Client::builder()
            .base_url(sandbox.base_url())
            .path_template("/api/v1/integrations/connectors/{id}/execute", "id")
            .connector_id(TEST_CONNECTOR_ID)
            .bearer_token(TEST_TOKEN)
            .build()
            .unwrap(),
    );
    let page = newer.tags().list().send().await.unwrap();
    assert_eq!(page.records.len(), 3);
    assert!(sandbox
        .requests()
        .last()
        .unwrap()
        .path
        .starts_with("/api/v1/integrations/connectors/"));
}
