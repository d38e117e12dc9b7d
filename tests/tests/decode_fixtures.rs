//! Every Intercom fixture (../shared/fixtures/intercom/) decodes into the generated record
//! types and re-encodes to the same JSON: nothing is lost. Skips when ../shared is absent.
//!
//! The one difference allowed is `null` versus an absent member: record fields are
//! `Option`s, and both decode to `None` (which is not re-encoded).

use std::path::{Path, PathBuf};

use airbyte_agent_runtime::lenient::Lenient;
use airbyte_intercom::{admins, companies, contacts, segments, tags};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn fixtures() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/intercom");
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

/// The value with every `null` object member removed, recursively.
fn without_nulls(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Decodes `value` as `T`, re-encodes it and checks that nothing was lost.
fn round_trip<T: DeserializeOwned + Serialize>(what: &str, value: &Value) -> T {
    let record: T = serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{what}: does not decode: {e}"));
    let again = serde_json::to_value(&record).expect("encodes");
    assert_eq!(
        without_nulls(&again),
        without_nulls(value),
        "{what}: decode -> encode lost or changed data"
    );
    record
}

/// The records of a fixture: the object itself, or the elements of a list object's array.
fn records(value: &Value) -> Vec<Value> {
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

fn check_file(path: &Path) -> usize {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let text = std::fs::read_to_string(path).expect("read fixture");
    let value: Value = serde_json::from_str(&text).expect("fixture is JSON");
    let items = records(&value);
    for (i, item) in items.iter().enumerate() {
        let what = format!("{name}[{i}]");
        match name.split(['_', '.']).next().unwrap_or_default() {
            "admin" => {
                let a: admins::Admin = round_trip(&what, item);
                assert!(a.id.as_ref().is_some_and(Lenient::is_known), "{what}: id");
            }
            "company" => {
                let c: companies::Company = round_trip(&what, item);
                assert!(c.id.as_ref().is_some_and(Lenient::is_known), "{what}: id");
            }
            "contact" => {
                let c: contacts::Contact = round_trip(&what, item);
                assert!(c.id.as_ref().is_some_and(Lenient::is_known), "{what}: id");
            }
            "segment" => {
                let s: segments::Segment = round_trip(&what, item);
                assert!(s.id.as_ref().is_some_and(Lenient::is_known), "{what}: id");
            }
            "tag" => {
                let t: tags::Tag = round_trip(&what, item);
                assert!(t.id.as_ref().is_some_and(Lenient::is_known), "{what}: id");
            }
            other => panic!("{name}: no record type for fixture kind `{other}`"),
        }
    }
    items.len()
}

#[test]
fn every_intercom_fixture_round_trips() {
    let Some(dir) = fixtures() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "expected the 10 Intercom fixtures, found {}",
        files.len()
    );
    let records: usize = files.iter().map(|f| check_file(f)).sum();
    assert!(records >= files.len() - 1, "only {records} records decoded");
}

#[test]
fn the_contact_fixture_has_typed_fields_and_keeps_undocumented_ones() {
    let Some(dir) = fixtures() else { return };
    let value: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("contact.json")).expect("read"))
            .expect("json");
    let c: contacts::Contact = round_trip("contact.json", &value);
    assert_eq!(
        c.email
            .as_ref()
            .and_then(Lenient::known)
            .map(String::as_str),
        Some("joe@bloggs.com")
    );
    assert_eq!(
        c.created_at.as_ref().and_then(Lenient::known),
        Some(&1719492777)
    );
    assert_eq!(c.phone, None, "null decodes to None");
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
    // as an object, plus an unknown member: the record still decodes, and re-encodes the same.
    let odd = serde_json::json!({
        "type": "contact",
        "id": 12345,
        "has_hard_bounced": "no",
        "created_at": {"seconds": 1},
        "location": "Dublin",
        "brand_new_field": [1, 2, 3]
    });
    let c: contacts::Contact = round_trip("odd contact", &odd);
    assert_eq!(c.id, Some(Lenient::other_value(serde_json::json!(12345))));
    assert_eq!(
        c.has_hard_bounced,
        Some(Lenient::other_value(serde_json::json!("no")))
    );
    assert!(c.created_at.as_ref().is_some_and(|v| !v.is_known()));
    assert_eq!(
        c.extra.get("brand_new_field"),
        Some(&serde_json::json!([1, 2, 3]))
    );
}

#[test]
fn list_envelopes_decode_into_pages_with_meta() {
    let body = serde_json::json!({
        "result": [{"type": "contact", "id": "a"}, {"type": "contact", "id": 7}],
        "connector_metadata": {"next_page": "cursor-2", "unknown": true}
    });
    let page = airbyte_agent_runtime::decode::list_page::<contacts::Contact, contacts::ListMeta>(
        bytes::Bytes::from(body.to_string()),
    )
    .expect("decodes");
    assert_eq!(page.records.len(), 2);
    assert_eq!(
        page.meta.next_page,
        Some(Lenient::Known("cursor-2".to_string()))
    );
    assert_eq!(page.meta.extra.get("unknown"), Some(&Value::Bool(true)));
}
