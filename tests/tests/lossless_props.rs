//! Lossless decoding as a property (issue 6): for the generated Intercom record types, random
//! JSON objects (documented members with values of any shape, numbers where strings are
//! documented and the reverse, extra members, nulls anywhere) always decode, never panic, and
//! re-encode to the same values.
//!
//! The one difference allowed is `null` versus an absent member (record fields are `Option`s).
//! Numbers compare by exact value: `1` and `1.0` are the same value, `2^53 + 1` and `2^53` are
//! not.

use std::collections::BTreeSet;
use std::path::Path;

use airbyte_intercom::{admins, companies, contacts, conversations, segments, tags, teams};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

/// The JSON names of the documented members of `pub struct <ty>` in the generated `module`:
/// each field's `#[serde(rename = "...")]`, or its Rust name where it has none.
fn documented(module: &str, ty: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated/intercom/src")
        .join(format!("{module}.rs"));
    let src = std::fs::read_to_string(&path).unwrap();
    let start = src
        .find(&format!("pub struct {ty} {{"))
        .unwrap_or_else(|| panic!("no struct {ty} in {}", path.display()));
    let body = &src[start..];
    let body = &body[..body.find("\n}\n").unwrap()];
    let mut names = Vec::new();
    let mut rename: Option<String> = None;
    let mut flatten = false;
    for line in body.lines().skip(1).map(str::trim) {
        if let Some(i) = line.find("rename = \"") {
            let rest = &line[i + "rename = \"".len()..];
            rename = Some(rest[..rest.find('"').unwrap()].to_string());
        }
        flatten |= line.contains("flatten");
        if let Some(field) = line.strip_prefix("pub ").and_then(|l| l.split_once(':')) {
            let json = rename.take().unwrap_or_else(|| field.0.to_string());
            if !std::mem::take(&mut flatten) {
                names.push(json);
            }
        }
    }
    assert!(!names.is_empty(), "{ty} documents no member");
    names
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        (-1000i32..1000).prop_map(|i| Value::from(f64::from(i))),
        Just(Value::from(9_007_199_254_740_993u64)),
        Just(Value::from(2f64.powi(63))),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        ".{0,8}".prop_map(Value::String),
        // Strings that look like other types.
        prop::sample::select(vec![
            "1", "-2.5", "true", "false", "null", "", " 7 ", "1e400"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

/// Any JSON value, three levels deep at most.
fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,6}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An object with some documented members (any values) and some undocumented ones.
fn record(names: Vec<String>) -> impl Strategy<Value = Value> {
    let documented = prop::collection::vec((prop::sample::select(names), any_json()), 0..12);
    let extra = prop::collection::vec(("[a-zA-Z_$@ -]{1,10}", any_json()), 0..4);
    (documented, extra).prop_map(|(documented, extra)| {
        let mut m = Map::new();
        for (k, v) in extra.into_iter().chain(documented) {
            m.insert(k, v);
        }
        Value::Object(m)
    })
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

/// Exact numeric value: integers as `i128`, integral floats in range as `i128` too.
fn exact(n: &Number) -> Result<i128, f64> {
    if let Some(i) = n.as_i64() {
        return Ok(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(i128::from(u));
    }
    let f = n.as_f64().expect("finite");
    if f.fract() == 0.0 && f.abs() < 1e38 {
        Ok(f as i128)
    } else {
        Err(f)
    }
}

/// Same JSON, numbers compared by exact value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => exact(x) == exact(y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Decodes and re-encodes `value` as `T`; the property.
fn lossless<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), TestCaseError> {
    let decoded: T = match serde_json::from_value(value.clone()) {
        Ok(t) => t,
        Err(e) => return Err(TestCaseError::fail(format!("decode failed: {e}"))),
    };
    let back = serde_json::to_value(&decoded)
        .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
    let (want, have) = (without_nulls(value), without_nulls(&back));
    prop_assert!(
        same(&want, &have),
        "lost a value:\n  in:  {want}\n  out: {have}"
    );
    Ok(())
}

macro_rules! lossless_props {
    ($($test:ident: $module:ident :: $ty:ident),* $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $test(value in record(documented(stringify!($module), stringify!($ty)))) {
                    lossless::<$module::$ty>(&value)?;
                }
            )*
        }
    };
}

lossless_props! {
    contact: contacts::Contact,
    contact_search_record: contacts::SearchRecord,
    contact_list_meta: contacts::ListMeta,
    company: companies::Company,
    company_search_record: companies::SearchRecord,
    conversation: conversations::Conversation,
    conversation_search_record: conversations::SearchRecord,
    team: teams::Team,
    team_search_record: teams::SearchRecord,
    admin: admins::Admin,
    tag: tags::Tag,
    segment: segments::Segment,
}

/// The generators reach what they should: documented members, and values of every JSON kind.
#[test]
fn generators_cover_documented_members_and_every_kind() {
    let names = documented("contacts", "Contact");
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "duplicate JSON names");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = record(names.clone());
    let mut kinds = BTreeSet::new();
    let mut hit = BTreeSet::new();
    for _ in 0..200 {
        let v = strategy.new_tree(&mut runner).unwrap().current();
        for (k, v) in v.as_object().unwrap() {
            if names.contains(k) {
                hit.insert(k.clone());
            }
            kinds.insert(match v {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            });
        }
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(
        hit.len() > names.len() / 2,
        "{} of {}",
        hit.len(),
        names.len()
    );
}

/// The check itself fails on a type that drops members or changes values.
#[test]
fn the_check_catches_a_lossy_type() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Lossy {
        a: Option<f64>,
    }
    let extra = serde_json::json!({"a": 1.5, "b": 2});
    assert!(lossless::<Lossy>(&extra).is_err());
    let rounded = serde_json::json!({ "a": 9_007_199_254_740_993u64 });
    assert!(lossless::<Lossy>(&rounded).is_err());
    assert!(lossless::<Lossy>(&serde_json::json!({"a": 1})).is_ok());
}
