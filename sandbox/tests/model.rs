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
    response:
      shape: records
      records:
      - {name: id, type: string}
      - {name: title, type: string}
      - {name: priority, type: '"low" | "high"'}
      - {name: estimate, type: number, nullable: true}
  - kind: get
    name: get
    params:
    - {name: task_id, type: string, required: true}
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
    - {name: task_id, type: string, required: true}
- id: notes
  actions:
  - kind: create
    name: create
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
    let model = Model::from_yaml("tasks.yaml", MODEL).expect("model reads");
    Sandbox::start(SandboxConfig::default().model(model).records_per_entity(10)).await
}

#[tokio::test]
async fn entities_and_actions_come_from_the_model() {
    let sandbox = start().await;
    let (status, body) = call(&sandbox, "tasks", "list", json!({"per_page": 4})).await;
    assert_eq!(status, 200, "{body}");
    let records = body["result"].as_array().unwrap();
    assert_eq!(records.len(), 4);
    assert_eq!(records[1]["id"], "tasks-1");
    assert_eq!(records[1]["priority"], "high");
    assert_eq!(records[0]["estimate"], 0.5);
    assert_eq!(body["connector_metadata"]["next_page"], "c4");

    // `get` takes the id from the parameter the model names.
    let (status, body) = call(&sandbox, "tasks", "get", json!({"task_id": "tasks-7"})).await;
    assert_eq!(
        (status, &body["result"]["id"]),
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
    let (status, body) = call(&sandbox, "tasks", "update", json!({"task_id": "tasks-1"})).await;
    assert_eq!(status, 422);
    assert!(
        body["message"].as_str().unwrap().contains("list, get"),
        "{body}"
    );
    let (status, _) = call(&sandbox, "contacts", "list", json!({})).await;
    assert_eq!(status, 422);

    // Delete by kind.
    let (status, _) = call(&sandbox, "tasks", "delete", json!({"task_id": "tasks-0"})).await;
    assert_eq!(status, 200);
    assert_eq!(sandbox.records("tasks").len(), 9);
    let (status, _) = call(&sandbox, "tasks", "get", json!({"task_id": "tasks-0"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn seeded_records_replace_the_synthesised_ones() {
    let sandbox = start().await;
    sandbox.seed(
        "tasks",
        [
            json!({"id": "t1", "title": "Write the tests", "priority": "high"}),
            json!({"id": "t2", "title": "Ship", "priority": "low"}),
        ],
    );
    let (status, body) = call(&sandbox, "tasks", "list", json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(
        body["result"],
        json!([
            {"id": "t1", "title": "Write the tests", "priority": "high"},
            {"id": "t2", "title": "Ship", "priority": "low"}
        ])
    );
    let (_, body) = call(&sandbox, "tasks", "get", json!({"task_id": "t2"})).await;
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
