//! The typed filter DSL through the generated Intercom handles: the JSON of each of the 13
//! operators and of nested and/or/not, against hand-written expected JSON, and the request body
//! a search sends.

use airbyte_intercom::contacts::fields::{
    created_at, email, has_hard_bounced, location, name, owner_id, role,
};
use airbyte_intercom::runtime::filter::{not, Query};
use airbyte_intercom::{companies, Intercom};
use serde_json::{json, Value};

/// The request body without members the runtime adds for its own transport (e.g.
/// `skip_truncation`): what the document's `{entity, action, params}` shows.
fn documented_part(body: &[u8]) -> Value {
    let body: Value = serde_json::from_slice(body).expect("json body");
    let mut out = serde_json::Map::new();
    for key in ["entity", "action", "params"] {
        if let Some(v) = body.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    Value::Object(out)
}

fn to_json(v: impl serde::Serialize) -> Value {
    serde_json::to_value(v).expect("serialises")
}

#[test]
fn each_operator_serialises_to_the_documented_json() {
    let cases: Vec<(Value, Value)> = vec![
        (
            to_json(email().eq("a@b.c")),
            json!({"eq": {"email": "a@b.c"}}),
        ),
        (
            to_json(role().neq("lead")),
            json!({"neq": {"role": "lead"}}),
        ),
        (
            to_json(created_at().gt(1_700_000_000)),
            json!({"gt": {"created_at": 1_700_000_000}}),
        ),
        (
            to_json(created_at().gte(1)),
            json!({"gte": {"created_at": 1}}),
        ),
        (to_json(owner_id().lt(10)), json!({"lt": {"owner_id": 10}})),
        (
            to_json(owner_id().lte(10)),
            json!({"lte": {"owner_id": 10}}),
        ),
        (
            to_json(role().in_(["user", "lead"])),
            json!({"in": {"role": ["user", "lead"]}}),
        ),
        (
            to_json(email().like("%@acme.com")),
            json!({"like": {"email": "%@acme.com"}}),
        ),
        (
            to_json(name().fuzzy("joe blogs")),
            json!({"fuzzy": {"name": "joe blogs"}}),
        ),
        (
            to_json(name().keyword("joe")),
            json!({"keyword": {"name": "joe"}}),
        ),
        (
            to_json(not(has_hard_bounced().eq(true))),
            json!({"not": {"eq": {"has_hard_bounced": true}}}),
        ),
        (
            to_json(email().like("%@acme.com").and(created_at().gt(5))),
            json!({"and": [{"like": {"email": "%@acme.com"}}, {"gt": {"created_at": 5}}]}),
        ),
        (
            to_json(role().eq("user").or(role().eq("lead"))),
            json!({"or": [{"eq": {"role": "user"}}, {"eq": {"role": "lead"}}]}),
        ),
    ];
    assert_eq!(cases.len(), 13);
    for (got, want) in cases {
        assert_eq!(got, want);
    }
}

#[test]
fn other_kinds_take_their_own_value_types() {
    assert_eq!(
        to_json(location().eq(json!({"city": "Dublin"}))),
        json!({"eq": {"location": {"city": "Dublin"}}})
    );
    assert_eq!(
        to_json(companies::fields::monthly_spend().gte(99.5)),
        json!({"gte": {"monthly_spend": 99.5}})
    );
}

#[test]
fn operators_nest_with_and_or_not() {
    let filter = (email().like("%@acme.com") & !role().eq("lead"))
        | (created_at().gte(100) & created_at().lt(200));
    assert_eq!(
        to_json(&filter),
        json!({"or": [
            {"and": [{"like": {"email": "%@acme.com"}}, {"not": {"eq": {"role": "lead"}}}]},
            {"and": [{"gte": {"created_at": 100}}, {"lt": {"created_at": 200}}]}
        ]})
    );
    let query = Query::from(filter).sort(created_at().desc());
    assert_eq!(to_json(&query)["sort"], json!([{"created_at": "desc"}]));
}

#[test]
fn a_search_request_sends_the_documented_body() {
    let connector = Intercom::builder()
        .connector_id("conn-1")
        .bearer_token("token")
        .build()
        .expect("connector builds");
    let client = connector.client();
    let request = connector
        .contacts()
        .search(email().like("%@acme.com"))
        .sort(created_at().desc())
        .limit(10)
        .fields([email().path(), created_at().path()]);
    let body = documented_part(&client.request_body(request.params()).expect("body"));
    assert_eq!(
        body,
        json!({
            "entity": "contacts",
            "action": "search",
            "params": {
                "query": {"filter": {"like": {"email": "%@acme.com"}}, "sort": [{"created_at": "desc"}]},
                "limit": 10,
                "fields": [["email"], ["created_at"]]
            }
        })
    );
}

#[test]
fn list_and_get_requests_send_only_what_is_set() {
    let connector = Intercom::builder()
        .connector_id("conn-1")
        .bearer_token("token")
        .build()
        .expect("connector builds");
    let client = connector.client();
    let list = connector.contacts().list().per_page(50);
    let body = documented_part(&client.request_body(list.params()).expect("body"));
    assert_eq!(
        body,
        json!({"entity": "contacts", "action": "list", "params": {"per_page": 50}})
    );
    let get = connector.contacts().get("abc");
    let body = documented_part(&client.request_body(get.params()).expect("body"));
    assert_eq!(
        body,
        json!({"entity": "contacts", "action": "get", "params": {"id": "abc"}})
    );
    let bare = connector.teams().list();
    let body = documented_part(&client.request_body(bare.params()).expect("body"));
    assert_eq!(body, json!({"entity": "teams", "action": "list"}));
}
