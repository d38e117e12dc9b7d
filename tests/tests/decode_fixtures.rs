//! Every record in the fixtures decodes into the generated record types and re-encodes to
//! exactly the same JSON (equal as `serde_json::Value`: `null` stays `null`, absent stays
//! absent, values of an undocumented shape and undocumented members are kept as received).
//!
//! Two sets of fixtures:
//!
//! * the repo's own `sandbox/fixtures/intercom/*.json` (the sandbox's records), always there;
//! * `../shared/fixtures` beside the repo: Intercom's objects and list objects
//!   (`intercom/`) and the execute API's envelopes (`airbyte/`). These tests print that they
//!   skip, and pass, when the directory is absent.
//!
//! Each test prints how many objects round-tripped exactly.

use std::path::{Path, PathBuf};

use airbyte_agent_runtime::{Action, Client, CompactString, Decode, Lenient};
use airbyte_intercom::contacts::{
    Contact, ContactSearchRecord, GetContactParams, ListContactsMeta, ListContactsParams,
};
use airbyte_intercom::{admins, companies, contacts, conversations, segments, tags, teams};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn repo_fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../sandbox/fixtures/intercom")
}

/// `../shared/fixtures/<sub>`, or `None` (saying so) when `../shared` is absent.
fn shared_fixtures(sub: &str) -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures")
        .join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: {} is absent (no ../shared beside the repo)",
            dir.display()
        );
        None
    }
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string()
}

/// Decodes `value` as `T` and checks that it re-encodes to exactly `value`.
fn exact<T: DeserializeOwned + Serialize>(what: &str, value: &Value) -> T {
    let record: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what}: does not decode: {e}"));
    let again = serde_json::to_value(&record).expect("encodes");
    assert_eq!(
        &again, value,
        "{what}: decode -> encode is not exact\n  in:  {value}\n  out: {again}"
    );
    record
}

/// Checks one record of the entity `kind` (an entity name, singular or plural) and that its
/// id decoded as the documented string.
fn record_of(kind: &str, what: &str, value: &Value) {
    let id: Lenient<CompactString> = match kind {
        "admin" | "admins" => exact::<admins::Admin>(what, value).id,
        "company" | "companies" => exact::<companies::Company>(what, value).id,
        "contact" | "contacts" => exact::<contacts::Contact>(what, value).id,
        "conversation" | "conversations" => exact::<conversations::Conversation>(what, value).id,
        "segment" | "segments" => exact::<segments::Segment>(what, value).id,
        "tag" | "tags" => exact::<tags::Tag>(what, value).id,
        "team" | "teams" => exact::<teams::Team>(what, value).id,
        other => panic!("{what}: no record type for fixture kind `{other}`"),
    };
    assert!(id.is_known(), "{what}: id {id:?}");
}

/// The records of an Intercom fixture: the elements of a top-level array or of a list
/// object's array, or the object itself.
fn records(value: &Value) -> Vec<Value> {
    if let Some(items) = value.as_array() {
        return items.clone();
    }
    let list_member = [
        "data",
        "admins",
        "segments",
        "tags",
        "companies",
        "contacts",
    ]
    .iter()
    .find_map(|k| value.get(k).and_then(Value::as_array));
    match (value.get("type").and_then(Value::as_str), list_member) {
        (Some(t), Some(items)) if t == "list" || t.ends_with(".list") => items.clone(),
        _ => vec![value.clone()],
    }
}

/// Round-trips every record of every Intercom fixture file in `dir`, the record type chosen by
/// the file name's first word; returns (files, records).
fn intercom_dir(dir: &Path) -> (usize, usize) {
    let files = json_files(dir);
    let mut objects = 0;
    for path in &files {
        let name = file_name(path);
        let kind = name.split(['_', '.']).next().unwrap_or_default();
        let items = records(&read(path));
        for (i, item) in items.iter().enumerate() {
            record_of(kind, &format!("{name}[{i}]"), item);
        }
        objects += items.len();
    }
    (files.len(), objects)
}

#[test]
fn every_repo_fixture_round_trips_exactly() {
    let (files, objects) = intercom_dir(&repo_fixtures());
    assert_eq!(files, 7, "one fixture file per Intercom entity");
    assert!(objects >= files, "only {objects} records");
    println!("sandbox/fixtures/intercom: {objects} records in {files} files round-trip exactly");
}

#[test]
fn every_shared_intercom_fixture_round_trips_exactly() {
    let Some(dir) = shared_fixtures("intercom") else {
        return;
    };
    let (files, objects) = intercom_dir(&dir);
    assert!(
        files >= 10,
        "expected the 10 Intercom fixtures, found {files}"
    );
    assert!(objects >= files - 1, "only {objects} records");
    println!("../shared/fixtures/intercom: {objects} records in {files} files round-trip exactly");
}

/// A response body decoded as the generated action `A` decodes it.
fn decode_as<A: Action>(what: &str, body: &Value) -> A::Output {
    <A::Output as Decode>::decode(bytes::Bytes::from(body.to_string()))
        .unwrap_or_else(|e| panic!("{what}: does not decode: {e}"))
}

/// `actual` re-encoded is exactly `expected`; counts one object.
fn same<T: Serialize>(what: &str, actual: &T, expected: &Value, count: &mut usize) {
    let again = serde_json::to_value(actual).expect("encodes");
    assert_eq!(
        &again, expected,
        "{what}: decode -> encode is not exact\n  in:  {expected}\n  out: {again}"
    );
    *count += 1;
}

/// The request body the client sends for `action`: by default with `skip_truncation: true`,
/// as the publisher's client sets it.
fn request_body<A: Action>(action: &A) -> Value {
    let client = Client::builder()
        .connector_id("c")
        .bearer_token("t")
        .build()
        .expect("client");
    serde_json::from_slice(&client.request_body(action).expect("body")).expect("json body")
}

/// The execute API's envelopes: the records in every response decode through the generated
/// actions' own decoders (list page, get, search hits) and re-encode exactly; the requests the
/// generated crate can make encode to exactly the fixture's body. Every file is accounted for.
#[test]
fn every_shared_airbyte_envelope_round_trips_exactly() {
    let Some(dir) = shared_fixtures("airbyte") else {
        return;
    };
    let mut objects = 0;
    let files = json_files(&dir);
    for path in &files {
        let name = file_name(path);
        let body = read(path);
        let what = name.as_str();
        match name.trim_end_matches(".json") {
            "execute_response_get_contact" => {
                let c: Contact = decode_as::<GetContactParams>(what, &body);
                assert!(c.id.is_known(), "{what}: id");
                same(what, &c, &body["result"], &mut objects);
            }
            "execute_response_list_contacts" => {
                let page = decode_as::<ListContactsParams>(what, &body);
                let result = body["result"].as_array().expect("result array");
                assert_eq!(page.records.len(), result.len(), "{what}");
                for (i, (c, v)) in page.records.iter().zip(result).enumerate() {
                    same(&format!("{what} result[{i}]"), c, v, &mut objects);
                }
                let meta = body.get("connector_metadata").cloned().unwrap_or(json!({}));
                same(
                    &format!("{what} connector_metadata"),
                    &page.meta,
                    &meta,
                    &mut objects,
                );
            }
            "execute_response_search_legacy_hits" => {
                let hits = decode_as::<contacts::SearchContactsParams>(what, &body);
                let result = body["result"]["hits"].as_array().expect("hits");
                assert_eq!(hits.hits.len(), result.len(), "{what}");
                for (i, (hit, v)) in hits.hits.iter().zip(result).enumerate() {
                    assert_eq!(hit.id.as_deref(), v["id"].as_str(), "{what}");
                    assert_eq!(hit.score, v["score"].as_f64(), "{what}");
                    same(
                        &format!("{what} hits[{i}].data"),
                        &hit.data,
                        &v["data"],
                        &mut objects,
                    );
                }
                assert_eq!(
                    hits.next_cursor.as_deref(),
                    body["result"]["next_cursor"].as_str()
                );
            }
            "execute_response_context_store_search" => {
                // Not an action of the Intercom document; its records are the search records.
                let data = body["result"]["data"].as_array().expect("data");
                for (i, v) in data.iter().enumerate() {
                    let r: ContactSearchRecord = exact(&format!("{what} data[{i}]"), v);
                    assert!(r.id().is_some(), "{what}");
                    objects += 1;
                }
            }
            "execute_request_get" => {
                let id = body["params"]["id"].as_str().expect("id");
                assert_eq!(request_body(&GetContactParams::new(id)), body, "{what}");
            }
            "execute_request_list" => {
                let mut params = ListContactsParams::default();
                params.per_page = body["params"]["per_page"].as_i64();
                assert_eq!(request_body(&params), body, "{what}");
            }
            // Not records of the generated crate: the token endpoint, an error body, the
            // connector look-up, and a request of an action the document does not have.
            "token_request"
            | "token_response"
            | "error_422"
            | "connectors_lookup_response"
            | "execute_request_context_store_search" => {}
            other => panic!("{other}.json: a new fixture: say how it is checked"),
        }
    }
    assert!(files.len() >= 11, "found only {} files", files.len());
    assert!(objects >= 5, "only {objects} objects");
    println!(
        "../shared/fixtures/airbyte: {objects} records in {} files round-trip exactly",
        files.len()
    );
}

#[test]
fn the_contact_fixture_has_plain_fields_and_keeps_null_and_undocumented_ones() {
    let Some(dir) = shared_fixtures("intercom") else {
        return;
    };
    let value = read(&dir.join("contact.json"));
    let c: Contact = exact("contact.json", &value);
    assert_eq!(c.email(), Some("joe@bloggs.com"));
    assert_eq!(c.created_at(), Some(1719492777));
    assert_eq!(c.phone(), None);
    assert!(c.phone.is_null(), "null is kept apart from absent");
    // Members the document does not list are kept, not dropped.
    assert!(
        c.extra.contains_key("opted_in_subscription_types"),
        "{:?}",
        c.extra.keys()
    );
}

#[test]
fn odd_payloads_decode_without_losing_values() {
    // An id documented as a string arrives as a number, a boolean as a string, a timestamp
    // as an object, a JSON member as a string, null where a string is documented, plus an
    // unknown member: the record still decodes, and re-encodes exactly.
    let odd = json!({
        "type": "contact",
        "id": 12345,
        "has_hard_bounced": "no",
        "created_at": {"seconds": 1},
        "location": "Dublin",
        "name": null,
        "brand_new_field": [1, 2, 3]
    });
    let c: Contact = exact("odd contact", &odd);
    assert_eq!(c.type_(), Some("contact"));
    assert_eq!(c.id(), None);
    assert_eq!(c.id, Lenient::other_value(json!(12345)));
    assert_eq!(c.has_hard_bounced(), None);
    assert_eq!(c.has_hard_bounced, Lenient::other_value(json!("no")));
    assert_eq!(c.created_at.other(), Some(&json!({"seconds": 1})));
    assert_eq!(
        c.location(),
        Some(&json!("Dublin")),
        "any JSON fits a JSON field"
    );
    assert!(c.name.is_null());
    assert!(c.email.is_absent());
    assert_eq!(c.extra.get("brand_new_field"), Some(&json!([1, 2, 3])));
}

#[test]
fn list_envelopes_decode_into_pages_with_meta() {
    let body = json!({
        "result": [{"type": "contact", "id": "a"}, {"type": "contact", "id": 7}],
        "connector_metadata": {"next_page": "cursor-2", "unknown": true}
    });
    let page = decode_as::<ListContactsParams>("list envelope", &body);
    assert_eq!(page.records.len(), 2);
    assert_eq!(page.records[0].id(), Some("a"));
    assert_eq!(page.records[1].id(), None);
    let meta: &ListContactsMeta = &page.meta;
    assert_eq!(meta.next_page(), Some("cursor-2"));
    assert_eq!(meta.extra.get("unknown"), Some(&Value::Bool(true)));
    assert_eq!(serde_json::to_value(&page.records).unwrap(), body["result"]);
}
