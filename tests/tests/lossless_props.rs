//! Lossless decoding as a property (issue 6): for every generated Intercom record type, random
//! JSON objects always decode, never panic, and re-encode to exactly the same JSON (equal as
//! `serde_json::Value`: `null` stays `null`, an absent member stays absent, numbers keep their
//! representation).
//!
//! Each documented member is, at random: absent, `null`, a value of its documented type, a
//! value of another type (a number where a string is documented, a numeric string where an
//! integer is, `0`/`"true"` where a boolean is, ...), or any JSON at all; undocumented members
//! with any values (`null` included) are added. Records are decoded both from the `Value` and
//! from its JSON text (the path the client takes). Each member's [`Lenient`] state is checked
//! against what was generated: `null` is `Null`, a documented-type value `Known`, another type
//! `Other`.

use std::collections::BTreeSet;
use std::path::Path;

use airbyte_agent_runtime::Lenient;
use airbyte_intercom::{admins, companies, contacts, conversations, segments, tags, teams};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};

fn generated_source(module: &str) -> (std::path::PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated/intercom/src")
        .join(format!("{module}.rs"));
    let src = std::fs::read_to_string(&path).unwrap();
    (path, src)
}

/// A documented member: its JSON name and the `T` of its `Lenient<T>` field.
#[derive(Debug, Clone)]
struct Member {
    name: String,
    ty: String,
}

/// The documented members of record `<ty>` in the generated `module`, as its `record!`
/// invocation declares them: one `"wire" => field: T as R` (or `T`) line each (`Lenient<T>`
/// stored).
fn documented(module: &str, ty: &str) -> Vec<Member> {
    let (path, src) = generated_source(module);
    let start = src
        .find(&format!("    pub struct {ty} {{\n"))
        .unwrap_or_else(|| panic!("no record {ty} in {}", path.display()));
    let body = &src[start..];
    let body = &body[..body.find("\n    }\n").unwrap()];
    let mut members = Vec::new();
    for line in body.lines().skip(1).map(str::trim) {
        if line.starts_with("///") {
            continue;
        }
        let (wire, rest) = line
            .split_once(" => ")
            .unwrap_or_else(|| panic!("{ty}: not a member line: {line}"));
        let (_field, types) = rest.split_once(": ").unwrap();
        // `T as R`, or `T` alone where the accessor returns `T`; a search record's line
        // ends in `=> Kind`.
        let types = types.trim_end_matches(',');
        let types = types.split_once(" => ").map_or(types, |(t, _kind)| t);
        let stored = types.split_once(" as ").map_or(types, |(t, _read)| t);
        members.push(Member {
            name: serde_json::from_str(wire).unwrap(),
            ty: stored.to_string(),
        });
    }
    assert!(!members.is_empty(), "{ty} documents no member");
    members
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

/// Strings, some of which look like other types.
fn string() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,8}".prop_map(Value::String),
        prop::sample::select(vec![
            "1", "-2.5", "true", "false", "null", "", " 7 ", "1e400", "0", "[]", "{}"
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string(),
    ]
}

/// Any JSON value, three levels deep at most.
fn any_json() -> BoxedStrategy<Value> {
    leaf()
        .prop_recursive(3, 32, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{0,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

fn any_array() -> BoxedStrategy<Value> {
    prop::collection::vec(any_json(), 0..4)
        .prop_map(Value::Array)
        .boxed()
}

fn any_object() -> BoxedStrategy<Value> {
    prop::collection::btree_map("[a-z_]{0,6}", any_json(), 0..4)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
        .boxed()
}

/// A non-null JSON value that is not an array or an object.
fn scalar() -> BoxedStrategy<Value> {
    prop_oneof![any::<bool>().prop_map(Value::Bool), number(), string()].boxed()
}

/// Values of the documented type `ty`.
fn typed(ty: &str) -> BoxedStrategy<Value> {
    match ty {
        "String" | "CompactString" => string().boxed(),
        "i64" => prop_oneof![
            any::<i64>().prop_map(Value::from),
            (-1000i64..1000).prop_map(Value::from),
            Just(Value::from(i64::MAX)),
            Just(Value::from(i64::MIN)),
        ]
        .boxed(),
        "bool" => any::<bool>().prop_map(Value::Bool).boxed(),
        "Number" => number().boxed(),
        "Value" | "LazyValue" => prop_oneof![scalar(), any_array(), any_object()].boxed(),
        "Vec<i64>" => prop::collection::vec(any::<i64>().prop_map(Value::from), 0..4)
            .prop_map(Value::Array)
            .boxed(),
        "Vec<Value>" => any_array(),
        other => panic!("no generator for documented type {other}: add one"),
    }
}

/// Values of another type than `ty` (none for `Value`, which takes any JSON).
fn mistyped(ty: &str) -> Option<BoxedStrategy<Value>> {
    let numbers_as_text = || {
        prop_oneof![
            any::<i64>().prop_map(|i| Value::String(i.to_string())),
            Just(Value::String("1.0".into())),
        ]
    };
    Some(match ty {
        "String" | "CompactString" => prop_oneof![
            any::<bool>().prop_map(Value::Bool),
            number(),
            any_array(),
            any_object(),
        ]
        .boxed(),
        "i64" => prop_oneof![
            numbers_as_text(),
            // Beyond i64, or not an integer.
            (i64::MAX as u64 + 1..=u64::MAX).prop_map(Value::from),
            (-1000i32..1000).prop_map(|i| Value::from(f64::from(i))),
            Just(Value::from(0.5)),
            any::<bool>().prop_map(Value::Bool),
            string(),
            any_array(),
            any_object(),
        ]
        .boxed(),
        "bool" => prop_oneof![
            Just(Value::from(0)),
            Just(Value::from(1)),
            Just(Value::String("true".into())),
            Just(Value::String("no".into())),
            number(),
            string(),
            any_array(),
            any_object(),
        ]
        .boxed(),
        "Number" => prop_oneof![
            numbers_as_text(),
            any::<bool>().prop_map(Value::Bool),
            string(),
            any_array(),
            any_object(),
        ]
        .boxed(),
        "Vec<i64>" => prop_oneof![
            // One element that is not an i64.
            (
                prop::collection::vec(any::<i64>().prop_map(Value::from), 0..3),
                prop_oneof![numbers_as_text(), Just(Value::from(1.5)), Just(Value::Null)]
            )
                .prop_map(|(mut items, odd)| {
                    items.push(odd);
                    Value::Array(items)
                }),
            scalar(),
            any_object(),
        ]
        .boxed(),
        "Vec<Value>" => prop_oneof![scalar(), any_object()].boxed(),
        "Value" | "LazyValue" => return None,
        other => panic!("no generator for documented type {other}: add one"),
    })
}

/// What a documented member was generated as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Absent,
    Null,
    Typed,
    Mistyped,
    /// Any JSON, of whichever type.
    Any,
}

fn member(m: &Member) -> BoxedStrategy<(Shape, Option<Value>)> {
    let mut options = vec![
        Just((Shape::Absent, None)).boxed(),
        Just((Shape::Null, Some(Value::Null))).boxed(),
        typed(&m.ty).prop_map(|v| (Shape::Typed, Some(v))).boxed(),
        any_json().prop_map(|v| (Shape::Any, Some(v))).boxed(),
    ];
    if let Some(odd) = mistyped(&m.ty) {
        options.push(odd.prop_map(|v| (Shape::Mistyped, Some(v))).boxed());
    }
    prop::strategy::Union::new(options).boxed()
}

/// One generated record: the object, and each documented member's shape.
#[derive(Debug, Clone)]
struct Generated {
    value: Value,
    shapes: Vec<(Member, Shape)>,
}

/// An object with every documented member absent, `null`, typed, mistyped or anything, and
/// up to four undocumented members (names that are not documented, values of any kind).
fn record(members: Vec<Member>) -> impl Strategy<Value = Generated> {
    let documented: BTreeSet<String> = members.iter().map(|m| m.name.clone()).collect();
    let each: Vec<_> = members.iter().map(member).collect();
    let extra = prop::collection::vec(
        (
            prop_oneof![
                "[a-zA-Z_$@ -]{1,10}".boxed(),
                // Near misses of documented names.
                prop::sample::select(members.clone())
                    .prop_map(|m| format!("{}_", m.name))
                    .boxed(),
                prop::sample::select(members.clone())
                    .prop_map(|m| m.name.to_uppercase())
                    .boxed(),
            ],
            any_json(),
        ),
        0..4,
    );
    (each, extra).prop_map(move |(values, extra)| {
        let mut m = Map::new();
        for (k, v) in extra {
            if !documented.contains(&k) {
                m.insert(k, v);
            }
        }
        let mut shapes = Vec::new();
        for (member, (shape, value)) in members.iter().zip(values) {
            if let Some(v) = value {
                m.insert(member.name.clone(), v);
            }
            shapes.push((member.clone(), shape));
        }
        Generated {
            value: Value::Object(m),
            shapes,
        }
    })
}

/// `value` decoded as `T` re-encodes to exactly `value`; and its JSON text decoded as `T`
/// re-encodes to exactly what `Value` reads from that text (serde_json's float parsing may
/// move a float by an ulp, the same for both).
fn lossless<T: DeserializeOwned + Serialize>(value: &Value) -> Result<(), TestCaseError> {
    let text = value.to_string();
    let from_text: Value = serde_json::from_str(&text).expect("valid JSON");
    for (how, decoded, want) in [
        ("value", serde_json::from_value::<T>(value.clone()), value),
        ("text", serde_json::from_str::<T>(&text), &from_text),
    ] {
        let decoded =
            decoded.map_err(|e| TestCaseError::fail(format!("decode from {how} failed: {e}")))?;
        let back = serde_json::to_value(&decoded)
            .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
        prop_assert!(
            &back == want,
            "decode (from {}) -> encode is not exact:\n  in:  {}\n  out: {}",
            how,
            want,
            back
        );
    }
    Ok(())
}

/// `value` as every record of a list page (the client's decoder, which reads records where
/// they stay and copies runs of undocumented members from the body), written compactly and
/// with spaces, re-encodes to exactly what `Value` reads from that text.
fn lossless_in_a_page<T: DeserializeOwned + Serialize + Default>(
    value: &Value,
) -> Result<(), TestCaseError> {
    let page = serde_json::json!({"result": [value, {}, value, value], "connector_metadata": {}});
    for text in [
        page.to_string(),
        serde_json::to_string_pretty(&page).unwrap(),
    ] {
        let want: Value = serde_json::from_str(&text).expect("valid JSON");
        let decoded =
            airbyte_agent_runtime::decode::list_page::<T, Value>(bytes::Bytes::from(text))
                .map_err(|e| TestCaseError::fail(format!("decode of a page failed: {e}")))?;
        let back = serde_json::to_value(&decoded.records)
            .map_err(|e| TestCaseError::fail(format!("encode failed: {e}")))?;
        prop_assert!(
            back == want["result"],
            "page decode -> encode is not exact:\n  in:  {}\n  out: {}",
            want["result"],
            back
        );
    }
    Ok(())
}

/// The state a documented member's value reads into, as a record field reads it.
fn state<T: DeserializeOwned + Serialize>(v: &Value) -> Shape {
    match serde_json::from_str::<Lenient<T>>(&v.to_string()).expect("a Lenient always decodes") {
        Lenient::Absent => Shape::Absent,
        Lenient::Null => Shape::Null,
        Lenient::Known(_) => Shape::Typed,
        Lenient::Other(_) => Shape::Mistyped,
    }
}

fn state_of(ty: &str, v: &Value) -> Shape {
    match ty {
        "String" => state::<String>(v),
        "CompactString" => state::<airbyte_agent_runtime::CompactString>(v),
        "i64" => state::<i64>(v),
        "bool" => state::<bool>(v),
        "Number" => state::<Number>(v),
        "Value" => state::<Value>(v),
        "LazyValue" => state::<airbyte_agent_runtime::LazyValue>(v),
        "Vec<i64>" => state::<Vec<i64>>(v),
        "Vec<Value>" => state::<Vec<Value>>(v),
        other => panic!("no reader for documented type {other}"),
    }
}

/// Every generated shape reads as it should: `null` is `Null`, a typed value `Known`, a
/// mistyped one `Other`.
fn shapes_read_as_generated(g: &Generated) -> Result<(), TestCaseError> {
    for (m, shape) in &g.shapes {
        let Some(v) = g.value.get(&m.name) else {
            prop_assert_eq!(*shape, Shape::Absent);
            continue;
        };
        let read = state_of(&m.ty, v);
        match shape {
            Shape::Null | Shape::Typed | Shape::Mistyped => {
                prop_assert_eq!(read, *shape, "{} ({}) = {}", m.name, m.ty, v)
            }
            Shape::Any => prop_assert_ne!(read, Shape::Absent),
            Shape::Absent => prop_assert!(false, "{} is absent but present", m.name),
        }
    }
    Ok(())
}

macro_rules! lossless_props {
    ($($test:ident: $module:ident :: $ty:ident),* $(,)?) => {
        /// The record types the property covers, by module.
        const COVERED: &[(&str, &str)] = &[$((stringify!($module), stringify!($ty))),*];

        proptest! {
            #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
            $(
                #[test]
                fn $test(g in record(documented(stringify!($module), stringify!($ty)))) {
                    lossless::<$module::$ty>(&g.value)?;
                    lossless_in_a_page::<$module::$ty>(&g.value)?;
                    shapes_read_as_generated(&g)?;
                }
            )*
        }
    };
}

lossless_props! {
    contact: contacts::Contact,
    contact_search_record: contacts::ContactSearchRecord,
    contact_list_meta: contacts::ListContactsMeta,
    company: companies::Company,
    company_search_record: companies::CompanySearchRecord,
    company_list_meta: companies::ListCompaniesMeta,
    conversation: conversations::Conversation,
    conversation_search_record: conversations::ConversationSearchRecord,
    conversation_list_meta: conversations::ListConversationsMeta,
    team: teams::Team,
    team_search_record: teams::TeamSearchRecord,
    admin: admins::Admin,
    tag: tags::Tag,
    segment: segments::Segment,
}

/// The property covers every record type of the generated crate (every `record!`).
#[test]
fn every_generated_record_type_is_covered() {
    let mut found = BTreeSet::new();
    for module in [
        "admins",
        "companies",
        "contacts",
        "conversations",
        "segments",
        "tags",
        "teams",
    ] {
        let (_, src) = generated_source(module);
        let mut lines = src.lines();
        while let Some(line) = lines.next() {
            if line == "record! {" {
                let name = lines
                    .find_map(|l| l.strip_prefix("    pub struct "))
                    .and_then(|l| l.strip_suffix(" {"))
                    .unwrap()
                    .to_string();
                found.insert((module.to_string(), name));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = COVERED
        .iter()
        .map(|(m, t)| (m.to_string(), t.to_string()))
        .collect();
    assert_eq!(found, covered);
}

/// The accessors follow the member's state: the plain value when it had the documented type,
/// `None` when absent, `null` or of another type.
#[test]
fn contact_accessors_follow_the_generated_shapes() {
    let members = documented("contacts", "Contact");
    let strategy = record(members);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    for _ in 0..200 {
        let g = strategy.new_tree(&mut runner).unwrap().current();
        let c: contacts::Contact = serde_json::from_value(g.value.clone()).unwrap();
        let v = |name: &str| g.value.get(name);
        assert_eq!(c.email(), v("email").and_then(Value::as_str));
        assert_eq!(c.type_(), v("type").and_then(Value::as_str));
        assert_eq!(c.created_at(), v("created_at").and_then(Value::as_i64));
        assert_eq!(
            c.has_hard_bounced(),
            v("has_hard_bounced").and_then(Value::as_bool)
        );
        assert_eq!(c.location(), v("location").filter(|v| !v.is_null()));
        assert_eq!(
            c.extra.len() + documented_present(&g),
            g.value.as_object().unwrap().len()
        );
    }
}

fn documented_present(g: &Generated) -> usize {
    g.shapes.iter().filter(|(_, s)| *s != Shape::Absent).count()
}

/// The generators reach what they should: every documented member absent, `null`, typed and
/// mistyped; undocumented members; values of every JSON kind.
#[test]
fn generators_cover_every_shape_and_kind() {
    let members = documented("contacts", "Contact");
    let names: BTreeSet<&String> = members.iter().map(|m| &m.name).collect();
    assert_eq!(names.len(), members.len(), "duplicate JSON names");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = record(members.clone());
    let mut kinds = BTreeSet::new();
    let mut shapes: BTreeSet<(String, Shape)> = BTreeSet::new();
    let mut extras = 0;
    for _ in 0..400 {
        let g = strategy.new_tree(&mut runner).unwrap().current();
        for (k, v) in g.value.as_object().unwrap() {
            extras += usize::from(!names.contains(k));
            kinds.insert(match v {
                Value::Null => "null",
                Value::Bool(_) => "bool",
                Value::Number(_) => "number",
                Value::String(_) => "string",
                Value::Array(_) => "array",
                Value::Object(_) => "object",
            });
        }
        for (m, s) in g.shapes {
            shapes.insert((m.name, s));
        }
    }
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert!(extras > 100, "{extras} undocumented members");
    for m in &members {
        let mut wanted = vec![Shape::Absent, Shape::Null, Shape::Typed, Shape::Any];
        if m.ty != "Value" && m.ty != "LazyValue" {
            wanted.push(Shape::Mistyped);
        }
        for s in wanted {
            assert!(
                shapes.contains(&(m.name.clone(), s)),
                "{} ({}) never {s:?}",
                m.name,
                m.ty
            );
        }
    }
}

/// The check itself fails on a type that drops members, drops `null`, or changes a number's
/// representation.
#[test]
fn the_check_catches_a_lossy_type() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Lossy {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<f64>,
    }
    let extra = serde_json::json!({"a": 1.5, "b": 2});
    assert!(lossless::<Lossy>(&extra).is_err(), "drops a member");
    let null = serde_json::json!({ "a": null });
    assert!(lossless::<Lossy>(&null).is_err(), "drops null");
    let rounded = serde_json::json!({ "a": 9_007_199_254_740_993u64 });
    assert!(lossless::<Lossy>(&rounded).is_err(), "rounds");
    let float = serde_json::json!({ "a": 1 });
    assert!(lossless::<Lossy>(&float).is_err(), "1 becomes 1.0");
    assert!(lossless::<Lossy>(&serde_json::json!({"a": 1.5})).is_ok());
    assert!(lossless::<Lossy>(&serde_json::json!({})).is_ok());
}
