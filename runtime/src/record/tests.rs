use crate::lenient::Lenient;
use crate::raw::Extra;
use serde::Deserialize;
use serde_json::{json, Value};

/// A record as the generator writes one.
#[derive(Clone, Default, PartialEq)]
struct Contact {
    type_: Lenient<String>,
    owner_id: Lenient<i64>,
    active: Lenient<bool>,
    location: Lenient<Value>,
    tags: Lenient<Vec<String>>,
    extra: Extra,
}

crate::record!(Contact {
    "type" => type_,
    "owner_id" => owner_id,
    "active" => active,
    "location" => location,
    "tags" => tags,
});

/// Decodes `input` from text (borrowed keys and strings) and from a `Value` (owned ones);
/// both must agree.
fn decode(input: &str) -> Result<Contact, String> {
    let from_text = serde_json::from_str::<Contact>(input).map_err(|e| e.to_string());
    let value: Value = serde_json::from_str(input).unwrap();
    let from_value = serde_json::from_value::<Contact>(value).map_err(|e| e.to_string());
    match (&from_text, &from_value) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{input}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{input}: text {from_text:?}, value {from_value:?}"),
    }
    from_text
}

#[test]
fn documented_members_go_to_fields_and_the_rest_to_extra() {
    let input = r#"{"type": "contact", "utm_source": "news", "owner_id": 7, "active": true,
        "location": {"city": "Dublin"}, "tags": ["a", "b"], "opted_in": {"type": "list"},
        "a\"quoted\u0041key": 1}"#;
    let c = decode(input).unwrap();
    assert_eq!(c.type_, Lenient::Known("contact".into()));
    assert_eq!(c.owner_id, Lenient::Known(7));
    assert_eq!(c.active, Lenient::Known(true));
    assert_eq!(c.location, Lenient::Known(json!({"city": "Dublin"})));
    assert_eq!(c.tags, Lenient::Known(vec!["a".into(), "b".into()]));
    // The accessors' plain forms.
    assert_eq!(c.type_.get(), Some("contact"));
    assert_eq!(c.owner_id.get(), Some(7));
    assert_eq!(c.tags.get().map(<[String]>::len), Some(2));
    assert_eq!(c.location.get(), Some(&json!({"city": "Dublin"})));
    assert_eq!(
        Value::Object(c.extra.map().clone()),
        json!({"utm_source": "news", "opted_in": {"type": "list"}, "a\"quotedAkey": 1})
    );
    // Unknown members keep their order; re-encoding gives the input back.
    let keys: Vec<&str> = c.extra.keys().map(String::as_str).collect();
    assert_eq!(keys, ["utm_source", "opted_in", "a\"quotedAkey"]);
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(input).unwrap());
}

#[test]
fn wrong_types_are_kept_raw_and_nulls_are_kept_apart_from_absent() {
    let c = decode(r#"{"type": 5, "owner_id": "991267553", "active": "yes", "tags": ["a", 1]}"#)
        .unwrap();
    assert_eq!(c.type_, Lenient::other_value(json!(5)));
    assert_eq!(c.owner_id, Lenient::other_value(json!("991267553")));
    assert_eq!(c.active, Lenient::other_value(json!("yes")));
    assert_eq!(c.tags, Lenient::other_value(json!(["a", 1])));
    // An accessor never makes up a value from one of another shape.
    assert_eq!(c.owner_id.get(), None);
    assert!(c.extra.is_empty());

    let input = r#"{"type": null, "owner_id": null, "location": null, "x": null}"#;
    let c = decode(input).unwrap();
    assert_eq!(c.type_, Lenient::Null);
    assert_eq!(c.owner_id, Lenient::Null);
    assert_eq!(c.location, Lenient::Null);
    assert_eq!(c.active, Lenient::Absent);
    assert_eq!((c.type_.get(), c.location.get()), (None, None));
    assert_eq!(c.extra.get("x"), Some(&Value::Null));
    // Null stays null and absent stays absent when re-encoded.
    let back = serde_json::to_value(&c).unwrap();
    assert_eq!(back, serde_json::from_str::<Value>(input).unwrap());

    assert_eq!(decode("{}").unwrap(), Contact::default());
}

#[test]
fn duplicate_members_keep_the_last() {
    // (From text only: a `Value` has already collapsed them.) RFC 8259 leaves duplicates to
    // the reader; the last wins, documented or not, and the record still decodes.
    let c = serde_json::from_str::<Contact>(r#"{"owner_id": 1, "owner_id": 2}"#).unwrap();
    assert_eq!(c.owner_id, Lenient::Known(2));
    // Also when the first one was null, or the last one is.
    let c =
        serde_json::from_str::<Contact>(r#"{"type": null, "x": 1, "type": "contact"}"#).unwrap();
    assert_eq!(c.type_, Lenient::Known("contact".into()));
    let c = serde_json::from_str::<Contact>(r#"{"type": "contact", "type": null}"#).unwrap();
    assert_eq!(c.type_, Lenient::Null);
    // An undocumented member given twice keeps its last value (as a flattened map does).
    let c = serde_json::from_str::<Contact>(r#"{"x": 1, "x": 2}"#).unwrap();
    assert_eq!(c.extra.get("x"), Some(&json!(2)));
}

#[test]
fn non_objects_are_errors_naming_the_type() {
    for input in [r#""contact""#, "[]", "3", "null"] {
        let e = decode(input).unwrap_err();
        assert!(e.contains("expected struct Contact"), "{input}: {e}");
    }
    // A syntax error inside a member is reported with its position.
    let e = serde_json::from_str::<Contact>(r#"{"type": "a", "location": {"#).unwrap_err();
    assert!(e.is_eof(), "{e}");
}

#[test]
fn errors_carry_the_record_path() {
    #[derive(Debug, Deserialize)]
    struct Page {
        #[allow(dead_code)]
        result: Vec<Contact>,
    }
    let body = br#"{"result": [{"type": "a"}, "not a record"]}"#;
    let mut de = serde_json::Deserializer::from_slice(body);
    let e = serde_path_to_error::deserialize::<_, Page>(&mut de).unwrap_err();
    // As with a derived struct: the record that is not an object.
    assert_eq!(e.path().to_string(), "result[1]");
    assert!(e.inner().to_string().contains("expected struct Contact"));
}

#[test]
fn values_and_extras_match_serde_json() {
    // Nested objects and arrays, duplicate keys inside them, key order, numbers of every kind:
    // `Member::value` and `Member::extra` must build what `Value::deserialize` builds.
    let input = r#"{"location": {"z": 1, "a": {"k": [1, -2, 3.5, 18446744073709551615, {"x": null}]}, "z": 2},
        "zz": {"b": [], "a": {}, "b": [true, "s\u00e9"]}, "tags": [], "aa": [[{"q": 1}], "x"]}"#;
    let c: Contact = serde_json::from_str(input).unwrap();
    let want: Value = serde_json::from_str(input).unwrap();
    assert_eq!(c.location.get(), want.get("location"));
    assert_eq!(c.extra.get("zz"), want.get("zz"));
    assert_eq!(c.extra.get("aa"), want.get("aa"));
    let order: Vec<&str> = c
        .location
        .get()
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(order, ["z", "a"]);
    assert_eq!(c.tags, Lenient::Known(vec![]));
}

#[test]
fn records_nest_inside_lenient_values() {
    // A record read inside another record's lenient field (a second scratch buffer in use).
    #[derive(Default, PartialEq)]
    struct Outer {
        inner: Lenient<Vec<Contact>>,
        extra: Extra,
    }
    crate::record!(Outer { "inner" => inner });
    let input = json!({"a": 1, "inner": [{"type": "t", "x": {"y": 2}}], "b": {"c": 3}});
    let o: Outer = serde_json::from_str(&input.to_string()).unwrap();
    let inner = o.inner.get().unwrap();
    assert_eq!(inner[0].type_, Lenient::Known("t".into()));
    assert_eq!(inner[0].extra.get("x"), Some(&json!({"y": 2})));
    assert_eq!(
        Value::Object(o.extra.map().clone()),
        json!({"a": 1, "b": {"c": 3}})
    );
    assert_eq!(serde_json::to_value(&o).unwrap(), input);
    // A failed record leaves nothing behind for the next one on this thread.
    assert!(serde_json::from_str::<Contact>(r#"{"x": {"a": 1, "b": [}"#).is_err());
    let c: Contact = serde_json::from_str(r#"{"y": 1}"#).unwrap();
    assert_eq!(Value::Object(c.extra.into_map()), json!({"y": 1}));
}

/// A record whose string members are stored as the generator stores them.
#[derive(Clone, Default, PartialEq)]
struct Person {
    name: Lenient<compact_str::CompactString>,
    email: Lenient<compact_str::CompactString>,
    extra: Extra,
}

crate::record!(Person {
    "name" => name,
    "email" => email,
});

#[test]
fn compact_string_members_keep_every_state_and_round_trip() {
    let long = "a name longer than twenty-four bytes, kept on the heap";
    let cases = [
        (
            json!({"name": "Ada", "email": long}),
            Some("Ada"),
            Some(long),
        ),
        (
            json!({"name": "tab\t\"quoted\" \u{e9}"}),
            Some("tab\t\"quoted\" \u{e9}"),
            None,
        ),
        (json!({"name": null, "email": 7}), None, None),
        (
            json!({"name": {"first": "Ada"}, "email": ["x"]}),
            None,
            None,
        ),
        (json!({"email": true, "other": "kept"}), None, None),
    ];
    for (input, name, email) in cases {
        for person in [
            serde_json::from_str::<Person>(&input.to_string()).unwrap(),
            serde_json::from_value::<Person>(input.clone()).unwrap(),
        ] {
            assert_eq!(person.name.get(), name, "{input}");
            assert_eq!(person.email.get(), email, "{input}");
            assert_eq!(serde_json::to_value(&person).unwrap(), input, "lossless");
        }
    }
    let p: Person = serde_json::from_str(r#"{"name": null, "email": 7}"#).unwrap();
    assert_eq!(p.name, Lenient::Null);
    assert_eq!(p.email, Lenient::other_value(7.into()));
    let p: Person = serde_json::from_str(r#"{"name": "x"}"#).unwrap();
    assert!(p.email.is_absent());
    assert_eq!(p.name, Lenient::Known("x".into()));
}

/// One member of each type that has a fast path when read in a record.
#[derive(Clone, Default, PartialEq)]
struct Scalars {
    s: Lenient<String>,
    c: Lenient<compact_str::CompactString>,
    i: Lenient<i64>,
    b: Lenient<bool>,
    extra: Extra,
}

crate::record!(Scalars {
    "s" => s,
    "c" => c,
    "i" => i,
    "b" => b,
});

#[test]
fn members_read_in_a_record_are_classified_as_from_value() {
    let values = [
        "null",
        "true",
        "false",
        "0",
        "-7",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551615",
        "-9223372036854775808",
        "1.0",
        "2.5",
        "1e3",
        "\"\"",
        "\"x\"",
        "\"a\\nb\\u00e9\"",
        "\"12\"",
        "\"true\"",
        "[]",
        "[1]",
        "{}",
        r#"{"a": 1}"#,
    ];
    for text in values {
        let value: Value = serde_json::from_str(text).unwrap();
        let input = format!(r#"{{"s": {text}, "c": {text}, "i": {text}, "b": {text}}}"#);
        let read: Scalars = serde_json::from_str(&input).unwrap();
        let owned: Scalars = serde_json::from_value(serde_json::from_str(&input).unwrap()).unwrap();
        assert!(read == owned, "from text and from a Value: {text}");
        assert_eq!(
            read.s,
            Lenient::from_value(value.clone()),
            "String from {text}"
        );
        assert_eq!(
            read.c,
            Lenient::from_value(value.clone()),
            "CompactString from {text}"
        );
        assert_eq!(
            read.i,
            Lenient::from_value(value.clone()),
            "i64 from {text}"
        );
        assert_eq!(
            read.b,
            Lenient::from_value(value.clone()),
            "bool from {text}"
        );
        let back = serde_json::to_value(&read).unwrap();
        assert_eq!(
            back,
            json!({"s": value, "c": value, "i": value, "b": value}),
            "{text}"
        );
    }
}

/// A record with members documented as any JSON, as the generator writes them.
#[derive(Clone, Default, PartialEq)]
struct Loose {
    location: Lenient<crate::raw::LazyValue>,
    tags: Lenient<crate::raw::LazyValue>,
    nested: Lenient<Vec<Loose>>,
    extra: Extra,
}

crate::record!(Loose {
    "location" => location,
    "tags" => tags,
    "nested" => nested,
});

#[test]
fn any_json_members_and_extras_keep_their_texts_when_shared() {
    let input = r#"{"u": [1, 2.50], "location": {"city": "Dublin",  "n": 1e2},
        "nested": [{"tags": ["x"], "w": 1}, {"location": null}],
        "tags": [ "a" ], "location": {"city": "Cork"}, "v\u0041": "z"}"#;
    let mut texts = Vec::new();
    for loose in [
        serde_json::from_str::<Loose>(input).unwrap(),
        serde_json::from_slice::<Loose>(input.as_bytes()).unwrap(),
        serde_json::from_reader::<_, Loose>(input.as_bytes()).unwrap(),
    ] {
        // The last of two members wins; texts are exactly as received.
        let location = loose.location.known().unwrap();
        assert_eq!(location.json(), r#"{"city": "Cork"}"#);
        assert_eq!(loose.tags.known().unwrap().json(), r#"[ "a" ]"#);
        assert_eq!(loose.extra.json(), r#"{"u":[1, 2.50],"vA":"z"}"#);
        let nested = loose.nested.get().unwrap();
        assert_eq!(nested[0].tags.known().unwrap().json(), r#"["x"]"#);
        assert_eq!(nested[0].extra.json(), r#"{"w":1}"#);
        assert_eq!(nested[1].location, Lenient::Null);
        assert!(nested[1].extra.is_empty());
        // A value taken out of its record, and a clone, outlive the record.
        let copy = loose.clone();
        let Lenient::Known(tags) = loose.tags else {
            panic!("tags")
        };
        drop(copy.nested);
        assert_eq!(*tags, json!(["a"]));
        assert_eq!(copy.location.get(), Some(&json!({"city": "Cork"})));
        texts.push(serde_json::to_string(&copy.extra).unwrap());
    }
    assert_eq!(texts[0], r#"{"u":[1,2.5],"vA":"z"}"#);
    assert!(texts.iter().all(|t| *t == texts[0]));
}
