//! The library serving a connector from its model: entities and actions from the model,
//! records synthesised from the documented fields, seeded records, handlers by action kind.

use airbyte_agent_sandbox::{Model, Sandbox, SandboxConfig, TEST_TOKEN};
use serde_json::{json, Value};

const MODEL: &str = r#"
name: tasks-app
entities:
- id: tasks
  actions:
  - kind: list
    name: list
    params:
    - {name: page, type: integer}
    - {name: page_size, type: integer}
    response:
      shape: records
      records:
      - {name: gid, type: string}
      - {name: title, type: string}
      - {name: priority, type: '"low" | "high"'}
      - {name: estimate, type: number, nullable: true}
  - kind: get
    name: get
    params:
    - {name: task_gid, type: string, required: true}
  - kind: search
    name: context_store_search
    response:
      shape: search
      operators: [eq]
      fields:
      - {name: priority, type: string}
      envelope: data_meta
      response: []
  - kind: delete
    name: delete
    params:
    - {name: task_gid, type: string, required: true}
    response:
      shape: records
      records:
      - {name: gid, type: string}
      - {name: deleted, type: boolean}
  - kind: download
    name: export
    params:
    - {name: task_gid, type: string, required: true}
  - kind: create
    name: create
    params:
    - {name: title, type: string, required: true}
    - {name: priority, type: string}
    - {name: workspace, type: string, required: true}
  - kind: update
    name: update
    params:
    - {name: task_gid, type: string, required: true}
    - {name: priority, type: string}
- id: notes
  actions:
  - kind: create
    name: create
- id: labels
  actions:
  - kind: get
    name: get
    params:
    - {name: id, type: string, required: true}
    response:
      shape: records
      records:
      - {name: id, type: string}
      - {name: color, type: string}
  - kind: create
    name: create
    params:
    - {name: id, type: string}
    - {name: color, type: string, required: true}
- id: settings
  actions:
  - kind: get
    name: get
    response:
      shape: records
      records:
      - {name: timezone, type: string}
  - kind: update
    name: update
    params:
    - {name: operations, type: 'array<object>', required: true}
"#;

/// How `tasks/list` pages and how records are named (the get parameter `task_gid` matches the
/// record field `gid`), as `cargo xtask regen` writes it beside `model.yaml`.
const PAGING: &str = r#"
tasks:
  list:
    pagination: {style: page, param: page, size: page_size, first: 1, end: {'false': has_more}}
    size: page_size
    default_size: 6
  get: {key: {by: param, param: task_gid, field: gid, rule: param_ends_with_field}}
  update: {key: {by: param, param: task_gid, field: gid, rule: param_ends_with_field}}
  delete: {key: {by: param, param: task_gid, field: gid, rule: param_ends_with_field}}
  export: {key: {by: param, param: task_gid, field: gid, rule: param_ends_with_field}}
labels:
  get: {key: {by: param, param: id, field: id, rule: same}}
settings:
  get: {key: {by: only}}
  update: {key: {by: unsettled, reason: 'no required parameter (`operations`) names a record field'}}
"#;

async fn call(sandbox: &Sandbox, entity: &str, action: &str, params: Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(sandbox.execute_url())
        .bearer_auth(TEST_TOKEN)
        .json(&json!({"entity": entity, "action": action, "params": params}))
        .send()
        .await
        .expect("execute call");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON answer"))
}

async fn start() -> Sandbox {
    let model = Model::from_yaml("tasks.yaml", MODEL)
        .and_then(|m| m.with_paging("paging.resolved.yaml", PAGING))
        .expect("model reads");
    Sandbox::start(SandboxConfig::default().model(model).records_per_entity(10)).await
}

#[tokio::test]
async fn entities_and_actions_come_from_the_model() {
    let sandbox = start().await;
    // Pages the way the paging file says: page numbers from 1, `has_more`.
    let (status, body) = call(&sandbox, "tasks", "list", json!({"page_size": 4})).await;
    assert_eq!(status, 200, "{body}");
    let records = body["result"].as_array().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1]["gid"], "tasks-1");
    assert!(records[1].get("id").is_none(), "{body}");
    assert_eq!(records[1]["priority"], "high");
    assert_eq!(records[0]["estimate"], 0.5);
    assert_eq!(
        body["connector_metadata"],
        json!({"page": 1, "has_more": true})
    );
    let (_, body) = call(
        &sandbox,
        "tasks",
        "list",
        json!({"page_size": 4, "page": 3}),
    )
    .await;
    assert_eq!(body["result"].as_array().unwrap().len(), 2);
    assert_eq!(
        body["connector_metadata"],
        json!({"page": 3, "has_more": false})
    );

    // Without a page size, the documented default.
    let (_, body) = call(&sandbox, "tasks", "list", json!({})).await;
    assert_eq!(body["result"].as_array().unwrap().len(), 6);

    // `get` finds the record whose key field is the parameter the resolved file names.
    let (status, body) = call(&sandbox, "tasks", "get", json!({"task_gid": "tasks-7"})).await;
    assert_eq!(
        (status, &body["result"]["gid"]),
        (200, &json!("tasks-7")),
        "{body}"
    );

    // The search envelope is the model's.
    let filter = json!({"query": {"filter": {"eq": {"priority": "low"}}}});
    let (status, body) = call(&sandbox, "tasks", "context_store_search", filter).await;
    assert_eq!(status, 200, "{body}");
    let data = body["result"]["data"].as_array().expect("data + meta");
    assert_eq!(data.len(), 5);
    assert!(data.iter().all(|r| r["priority"] == "low"));

    // Actions and entities outside the model are refused, naming what is served.
    let (status, body) = call(&sandbox, "tasks", "archive", json!({"task_gid": "tasks-1"})).await;
    assert_eq!(status, 422);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("unknown action \"archive\""),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("list, get"),
        "{body}"
    );
    let (status, body) = call(&sandbox, "contacts", "list", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "unknown entity \"contacts\"; tasks-app has: tasks, notes, labels, settings"
    );

    // Delete by kind, answering its documented output.
    let (status, body) = call(&sandbox, "tasks", "delete", json!({"task_gid": "tasks-0"})).await;
    assert_eq!(status, 200);
    assert_eq!(body["result"], json!({"gid": "tasks-0", "deleted": true}));
    assert_eq!(sandbox.records("tasks").len(), 9);
    let (status, _) = call(&sandbox, "tasks", "get", json!({"task_gid": "tasks-0"})).await;
    assert_eq!(status, 404);
}

/// A list the paging file does not name does not page: every record in one page, as the
/// generated client (no `stream()`) reads it.
#[tokio::test]
async fn without_paging_a_list_answers_every_record() {
    let model = Model::from_yaml("tasks.yaml", MODEL).expect("model reads");
    let sandbox =
        Sandbox::start(SandboxConfig::default().model(model).records_per_entity(10)).await;
    let (status, body) = call(&sandbox, "tasks", "list", json!({"per_page": 4})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"].as_array().unwrap().len(), 10);
    assert_eq!(body["connector_metadata"], json!({}));
}

/// Create answers a record (the record's fields, the params that are fields laid over them,
/// a new id), which get then finds; update changes only record fields.
#[tokio::test]
async fn create_then_get_returns_a_record_shaped_like_the_record() {
    let sandbox = start().await;
    let params = json!({"title": "Ship it", "priority": "high", "workspace": "w1"});
    let (status, body) = call(&sandbox, "tasks", "create", params).await;
    assert_eq!(status, 200, "{body}");
    let created = &body["result"];
    let mut keys: Vec<&str> = created
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["estimate", "gid", "priority", "title"]);
    assert_eq!(created["gid"], "tasks-10");
    assert_eq!(
        (&created["title"], &created["priority"]),
        (&json!("Ship it"), &json!("high"))
    );
    let (status, body) = call(&sandbox, "tasks", "get", json!({"task_gid": "tasks-10"})).await;
    assert_eq!((status, &body["result"]), (200, created), "{body}");

    let params = json!({"task_gid": "tasks-10", "priority": "low"});
    let (status, body) = call(&sandbox, "tasks", "update", params).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["priority"], "low");
    assert_eq!(body["result"]["title"], "Ship it");
    assert!(body["result"].get("task_gid").is_none(), "{body}");
    let (status, _) = call(&sandbox, "tasks", "update", json!({"task_gid": "nope"})).await;
    assert_eq!(status, 404);
}

/// A create that is given the record's key field keeps it: a get by that key finds the record.
/// A key already taken is a 409 naming it, and nothing is added.
#[tokio::test]
async fn a_create_given_the_key_keeps_it() {
    let sandbox = start().await;
    let (status, body) = call(
        &sandbox,
        "labels",
        "create",
        json!({"id": "urgent", "color": "red"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"], json!({"id": "urgent", "color": "red"}));
    let (status, body) = call(&sandbox, "labels", "get", json!({"id": "urgent"})).await;
    assert_eq!(
        (status, &body["result"]["color"]),
        (200, &json!("red")),
        "{body}"
    );
    let before = sandbox.records("labels").len();
    let (status, body) = call(
        &sandbox,
        "labels",
        "create",
        json!({"id": "urgent", "color": "blue"}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert!(body.to_string().contains(r#"id \"urgent\""#), "{body}");
    assert_eq!(sandbox.records("labels").len(), before);
    // Without one, the sandbox gives the next free key (numbered after the 11 records).
    let (status, body) = call(&sandbox, "labels", "create", json!({"color": "green"})).await;
    assert_eq!(
        (status, &body["result"]["id"]),
        (200, &json!("labels-11")),
        "{body}"
    );
    // The key field of an entity keyed by another name is kept too (`gid` of tasks).
    let params = json!({"gid": "t-7", "title": "Mine", "workspace": "w1"});
    let (status, body) = call(&sandbox, "tasks", "create", params).await;
    assert_eq!(
        (status, &body["result"]["gid"]),
        (200, &json!("t-7")),
        "{body}"
    );
    let (status, _) = call(&sandbox, "tasks", "get", json!({"task_gid": "t-7"})).await;
    assert_eq!(status, 200);
}

/// A get without a parameter answers the entity's only record; an action whose record key the
/// generator could not settle is a 422 giving its reason, and changes nothing.
#[tokio::test]
async fn only_records_and_unsettled_keys() {
    let sandbox = start().await;
    let first = sandbox.records("settings")[0].clone();
    let (status, body) = call(&sandbox, "settings", "get", json!({})).await;
    assert_eq!((status, &body["result"]), (200, &first), "{body}");
    let (status, body) = call(&sandbox, "settings", "update", json!({"operations": []})).await;
    assert_eq!(status, 422, "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("settled no record key")
            && message.contains("no required parameter (`operations`) names a record field"),
        "{message}"
    );
    assert_eq!(sandbox.records("settings")[0], first);
}

/// A paging file naming an action the model lacks is an error naming the file.
#[test]
fn paging_for_an_unknown_action_is_an_error() {
    let model = Model::from_yaml("tasks.yaml", MODEL).expect("model reads");
    let text = "tasks:\n  archive:\n    pagination: {style: offset, param: offset}\n";
    let e = model.with_paging("p.yaml", text).unwrap_err().to_string();
    assert_eq!(e, "p.yaml: tasks/archive is not an action of tasks-app");
    let model = Model::from_yaml("tasks.yaml", MODEL).expect("model reads");
    let e = model
        .with_paging(
            "p.yaml",
            "tasks:\n  list:\n    pagination: {style: sideways}\n",
        )
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("p.yaml:3:"), "{e}");
}

#[tokio::test]
async fn seeded_records_replace_the_synthesised_ones() {
    let sandbox = start().await;
    sandbox.seed(
        "tasks",
        [
            json!({"gid": "t1", "title": "Write the tests", "priority": "high"}),
            json!({"gid": "t2", "title": "Ship", "priority": "low"}),
        ],
    );
    let (status, body) = call(&sandbox, "tasks", "list", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["result"],
        json!([
            {"gid": "t1", "title": "Write the tests", "priority": "high"},
            {"gid": "t2", "title": "Ship", "priority": "low"}
        ])
    );
    let (_, body) = call(&sandbox, "tasks", "get", json!({"task_gid": "t2"})).await;
    assert_eq!(body["result"]["title"], "Ship");
}

#[tokio::test]
async fn synthesised_records_are_the_same_on_every_start() {
    let (a, b) = (start().await, start().await);
    assert_eq!(a.records("tasks"), b.records("tasks"));
    assert_eq!(a.records("tasks").len(), 10);
    // An entity whose records are undocumented still gets records with ids.
    assert_eq!(a.records("notes")[3], json!({"id": "notes-3"}));
}

#[tokio::test]
async fn the_intercom_model_serves_the_fixtures() {
    let sandbox = Sandbox::start(SandboxConfig::default().model(Model::intercom())).await;
    let fixtures = Sandbox::start(SandboxConfig::default()).await;
    assert_eq!(sandbox.records("contacts"), fixtures.records("contacts"));
    let (status, body) = call(&sandbox, "contacts", "search", json!({"limit": 1})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["hits"].as_array().unwrap().len(), 1);
}

/// A body that is not a JSON object is a 400 saying so, not an unknown entity `""`.
#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_a_bad_request() {
    let sandbox = start().await;
    for (body, expected) in [
        ("{\"entity\": ", "the request body is not JSON"),
        ("[1, 2]", "the request body is not a JSON object"),
    ] {
        let r = reqwest::Client::new()
            .post(sandbox.execute_url())
            .bearer_auth(TEST_TOKEN)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("execute call");
        assert_eq!(r.status().as_u16(), 400, "{body}");
        let answer: Value = r.json().await.expect("JSON answer");
        let message = answer["message"].as_str().unwrap();
        assert!(message.starts_with(expected), "{message}");
    }
}

/// A download action is served by its kind, whatever the document names it (`export` here):
/// the generated body, not a 422 or a JSON answer.
#[tokio::test]
async fn a_download_under_another_name_streams_the_body() {
    let model = Model::from_yaml("tasks.yaml", MODEL)
        .and_then(|m| m.with_paging("paging.resolved.yaml", PAGING))
        .expect("model reads");
    let sandbox = Sandbox::start(SandboxConfig::default().model(model).download_size(600)).await;
    let r = reqwest::Client::new()
        .post(sandbox.execute_url())
        .bearer_auth(TEST_TOKEN)
        .json(&json!({"entity": "tasks", "action": "export", "params": {"task_gid": "tasks-1"}}))
        .send()
        .await
        .expect("execute call");
    assert_eq!(r.status().as_u16(), 200);
    let body = r.bytes().await.expect("the body");
    let want: Vec<u8> = (0..600).map(airbyte_agent_sandbox::download_byte).collect();
    assert_eq!(body.as_ref(), want.as_slice());
    // `download` is not an action of this model: refused, naming what is.
    let (status, body) = call(&sandbox, "tasks", "download", json!({})).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["message"].as_str().unwrap().contains("export"),
        "{body}"
    );
}

/// Without a page size, a list answers the documented default, else the sandbox's
/// provider-like default ([`airbyte_agent_sandbox::paging::DEFAULT_SIZE`]), never a test's.
#[tokio::test]
async fn an_undocumented_default_page_size_is_the_provider_like_one() {
    let paging = PAGING.replace("    default_size: 6\n", "");
    let model = Model::from_yaml("tasks.yaml", MODEL)
        .and_then(|m| m.with_paging("paging.resolved.yaml", &paging))
        .expect("model reads");
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .model(model)
            .records_per_entity(120),
    )
    .await;
    let (status, body) = call(&sandbox, "tasks", "list", json!({})).await;
    assert_eq!(status, 200, "{body}");
    let records = body["result"].as_array().unwrap();
    assert_eq!(
        records.len() as u64,
        airbyte_agent_sandbox::paging::DEFAULT_SIZE
    );
    assert_eq!(records.len(), 50);
}

/// Without a model, lists page as Intercom's generator settled it (its
/// `paging.resolved.yaml`, built in): contacts by cursor (`starting_after`, `next_page`), 50
/// a page by default; teams, whose list does not page, in one page; synthetic contacts alike.
#[tokio::test]
async fn without_a_model_lists_page_as_intercoms_resolved_paging_says() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let (status, body) = call(&sandbox, "contacts", "list", json!({"per_page": 2})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"].as_array().unwrap().len(), 2);
    assert_eq!(body["connector_metadata"], json!({"next_page": "c2"}));
    let (_, body) = call(&sandbox, "teams", "list", json!({})).await;
    assert_eq!(body["result"].as_array().unwrap().len(), 2);
    assert_eq!(body["connector_metadata"], json!({}));

    let sandbox = Sandbox::start(SandboxConfig::default().synthetic_contacts(120)).await;
    let (_, body) = call(&sandbox, "contacts", "list", json!({})).await;
    assert_eq!(body["result"].as_array().unwrap().len(), 50);
    assert_eq!(body["connector_metadata"], json!({"next_page": "c50"}));
    let params = json!({"per_page": 3, "starting_after": "c117"});
    let (_, body) = call(&sandbox, "contacts", "list", params).await;
    assert_eq!(body["result"][2]["id"], "synthetic-119");
    assert_eq!(body["connector_metadata"], json!({"next_page": null}));
}
