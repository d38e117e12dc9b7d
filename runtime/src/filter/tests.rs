use super::*;
use serde::Serialize;
use serde_json::json;

struct Contacts;

const EMAIL: Field<Contacts, Text> = Field::new("email");
const ROLE: Field<Contacts, Text> = Field::new("role");
const NAME: Field<Contacts, Text> = Field::new("name");
const CREATED_AT: Field<Contacts, Integer> = Field::new("created_at");
const SCORE: Field<Contacts, Number> = Field::new("score");
const SPAM: Field<Contacts, Boolean> = Field::new("marked_email_as_spam");
const LOCATION: Field<Contacts, Json> = Field::new("location");
const SEEN: Field<Contacts, Timestamp> = Field::new("last_seen");
const EVENT_TYPE: Field<Contacts, Text> = Field::new("event.type");

fn to_json<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap()
}

#[test]
fn typed_operators_serialize_to_document_json() {
    let cases: Vec<(Filter<Contacts>, Value)> = vec![
        (EMAIL.eq("a@b.c"), json!({"eq": {"email": "a@b.c"}})),
        (ROLE.neq("lead"), json!({"neq": {"role": "lead"}})),
        (
            CREATED_AT.gt(1_700_000_000),
            json!({"gt": {"created_at": 1700000000}}),
        ),
        (
            CREATED_AT.gte(1719492962),
            json!({"gte": {"created_at": 1719492962}}),
        ),
        (
            CREATED_AT.lt(3_000_000_000),
            json!({"lt": {"created_at": 3000000000_i64}}),
        ),
        (CREATED_AT.lte(5), json!({"lte": {"created_at": 5}})),
        (
            ROLE.in_(["user", "lead"]),
            json!({"in": {"role": ["user", "lead"]}}),
        ),
        (
            EMAIL.like("%@acme.com"),
            json!({"like": {"email": "%@acme.com"}}),
        ),
        (
            NAME.fuzzy("jon smth"),
            json!({"fuzzy": {"name": "jon smth"}}),
        ),
        (
            NAME.keyword("bloggs"),
            json!({"keyword": {"name": "bloggs"}}),
        ),
        (!ROLE.eq("user"), json!({"not": {"eq": {"role": "user"}}})),
        (
            ROLE.eq("user") & CREATED_AT.gte(1719492962),
            json!({"and": [{"eq": {"role": "user"}}, {"gte": {"created_at": 1719492962}}]}),
        ),
        (
            ROLE.eq("user") | ROLE.eq("lead"),
            json!({"or": [{"eq": {"role": "user"}}, {"eq": {"role": "lead"}}]}),
        ),
        (SCORE.gt(2), json!({"gt": {"score": 2.0}})),
        (SCORE.lte(2.5), json!({"lte": {"score": 2.5}})),
        (SCORE.in_([1.5, 2.0]), json!({"in": {"score": [1.5, 2.0]}})),
        (
            SPAM.eq(false),
            json!({"eq": {"marked_email_as_spam": false}}),
        ),
        (
            LOCATION.eq(json!({"city": "Dublin"})),
            json!({"eq": {"location": {"city": "Dublin"}}}),
        ),
        (
            SEEN.gte("2024-06-27T00:00:00Z"),
            json!({"gte": {"last_seen": "2024-06-27T00:00:00Z"}}),
        ),
        (
            EVENT_TYPE.eq("click"),
            json!({"eq": {"event.type": "click"}}),
        ),
        (
            Filter::raw(json!({"exists": {"email": true}})),
            json!({"exists": {"email": true}}),
        ),
    ];
    for (filter, want) in cases {
        assert_eq!(to_json(&filter), want);
        // And the JSON parses back to the same condition.
        let back: Condition = serde_json::from_value(want.clone()).unwrap();
        assert_eq!(&back, filter.condition(), "{want}");
    }
}

#[test]
fn nested_and_or_not() {
    let f = (ROLE.eq("user") | ROLE.eq("lead"))
        & !(EMAIL.like("%@spam.com") | SPAM.eq(true))
        & CREATED_AT.gt(10);
    let want = json!({"and": [
        {"or": [{"eq": {"role": "user"}}, {"eq": {"role": "lead"}}]},
        {"not": {"or": [
            {"like": {"email": "%@spam.com"}},
            {"eq": {"marked_email_as_spam": true}}
        ]}},
        {"gt": {"created_at": 10}}
    ]});
    assert_eq!(to_json(&f), want);
    let named = ROLE
        .eq("user")
        .or(ROLE.eq("lead"))
        .and(not(EMAIL.like("%@spam.com").or(SPAM.eq(true))))
        .and(CREATED_AT.gt(10));
    assert_eq!(named, f);
    let parsed: Condition = serde_json::from_value(want).unwrap();
    assert_eq!(&parsed, f.condition());
    assert!(f.matches(&json!({"role": "lead", "email": "x@ok.com", "created_at": 11})));
    assert!(!f.matches(&json!({"role": "lead", "email": "x@spam.com", "created_at": 11})));
    assert!(!f.matches(&json!({"role": "admin", "email": "x@ok.com", "created_at": 11})));
    assert!(!f.matches(&json!({"role": "user", "email": "x@ok.com", "created_at": 10})));
}

#[test]
fn unknown_shapes_deserialize_as_raw() {
    for v in [
        json!({"exists": {"email": true}}),
        json!({"eq": {"a": 1, "b": 2}}),
        json!({"in": {"role": "user"}}),
        json!({"like": {"email": 3}}),
        json!({"eq": 1}),
        json!({"and": {"eq": {"a": 1}}}),
        json!({"eq": {"a": 1}, "neq": {"b": 2}}),
    ] {
        let c: Condition = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(c, Condition::Raw(v.clone()));
        assert_eq!(to_json(&c), v, "raw conditions are sent unchanged");
        assert!(!c.matches(&json!({"a": 1, "b": 2})));
    }
    let nested = Condition::from_value(
        &json!({"and": [{"eq": {"a": 1}}, {"not": {"exists": {"b": true}}}]}),
    );
    assert_eq!(
        nested.first_unknown(),
        Some(&json!({"exists": {"b": true}}))
    );
    assert_eq!(
        Condition::from_value(&json!({"not": {"eq": {"a": 1}}})).first_unknown(),
        None
    );
    // Non-objects are not conditions at all.
    assert!(serde_json::from_value::<Condition>(json!([1])).is_err());
    // A raw filter with a known shape still evaluates locally.
    let raw = Filter::<Contacts>::raw(json!({"eq": {"role": "user"}}));
    assert_eq!(
        raw.condition(),
        &Condition::Eq("role".into(), json!("user"))
    );
    assert!(Condition::Raw(json!({"eq": {"role": "user"}})).matches(&json!({"role": "user"})));
}

fn check(cases: &[(Value, Value, bool)]) {
    for (cond, record, want) in cases {
        let c = Condition::from_value(cond);
        assert!(!matches!(c, Condition::Raw(_)), "not parsed: {cond}");
        assert_eq!(c.matches(record), *want, "{cond} on {record}");
    }
}

#[test]
fn matches_eq_and_neq() {
    check(&[
        (
            json!({"eq": {"role": "user"}}),
            json!({"role": "user"}),
            true,
        ),
        (
            json!({"eq": {"role": "user"}}),
            json!({"role": "User"}),
            false,
        ),
        (json!({"eq": {"role": "user"}}), json!({}), false),
        (json!({"eq": {"n": 1}}), json!({"n": 1.0}), true),
        (json!({"eq": {"n": 1}}), json!({"n": "1"}), false),
        (json!({"eq": {"n": -3}}), json!({"n": -3}), true),
        (
            json!({"eq": {"big": 18446744073709551615_u64}}),
            json!({"big": 18446744073709551615_u64}),
            true,
        ),
        (json!({"eq": {"x": null}}), json!({}), true),
        (json!({"eq": {"x": null}}), json!({"x": null}), true),
        (json!({"eq": {"b": true}}), json!({"b": true}), true),
        (
            json!({"eq": {"o": {"a": [1, 2]}}}),
            json!({"o": {"a": [1.0, 2]}}),
            true,
        ),
        (
            json!({"eq": {"o": {"a": [1, 2]}}}),
            json!({"o": {"a": [2, 1]}}),
            false,
        ),
        (
            json!({"eq": {"location.city": "Dublin"}}),
            json!({"location": {"city": "Dublin"}}),
            true,
        ),
        (
            json!({"eq": {"tags.1": "b"}}),
            json!({"tags": ["a", "b"]}),
            true,
        ),
        // A literal dotted key wins over the nested path.
        (
            json!({"eq": {"event.type": "click"}}),
            json!({"event.type": "click", "event": {"type": "view"}}),
            true,
        ),
        (
            json!({"eq": {"event.type": "view"}}),
            json!({"event.type": "click", "event": {"type": "view"}}),
            false,
        ),
        (
            json!({"neq": {"role": "user"}}),
            json!({"role": "lead"}),
            true,
        ),
        (
            json!({"neq": {"role": "user"}}),
            json!({"role": "user"}),
            false,
        ),
        (json!({"neq": {"role": "user"}}), json!({}), true),
        (json!({"neq": {"n": 2}}), json!({"n": 2.0}), false),
    ]);
}

#[test]
fn matches_ordering() {
    check(&[
        (json!({"gt": {"n": 5}}), json!({"n": 6}), true),
        (json!({"gt": {"n": 5}}), json!({"n": 5}), false),
        (json!({"gt": {"n": 5}}), json!({"n": 5.5}), true),
        (json!({"gt": {"n": -1}}), json!({"n": 0}), true),
        (json!({"gte": {"n": 5}}), json!({"n": 5.0}), true),
        (json!({"gte": {"n": 5}}), json!({"n": 4}), false),
        (json!({"lt": {"n": 5}}), json!({"n": 4.99}), true),
        (json!({"lt": {"n": 5}}), json!({"n": 5}), false),
        (json!({"lte": {"n": 5}}), json!({"n": 5}), true),
        (json!({"lte": {"n": 5}}), json!({"n": 6}), false),
        // Strings compare lexicographically (ISO dates order correctly).
        (
            json!({"gt": {"d": "2024-01-01"}}),
            json!({"d": "2024-06-30"}),
            true,
        ),
        (
            json!({"lt": {"d": "2024-01-01"}}),
            json!({"d": "2024-06-30"}),
            false,
        ),
        (json!({"gte": {"s": "b"}}), json!({"s": "b"}), true),
        // Missing, null and mismatched types never match.
        (json!({"gt": {"n": 5}}), json!({}), false),
        (json!({"lt": {"n": 5}}), json!({"n": null}), false),
        (json!({"lte": {"n": 5}}), json!({"n": "4"}), false),
        (json!({"gte": {"n": "a"}}), json!({"n": 1}), false),
        (json!({"gt": {"n": 1}}), json!({"n": [2]}), false),
        (json!({"gt": {"a.b": 1}}), json!({"a": {"b": 2}}), true),
    ]);
}

#[test]
fn matches_in() {
    check(&[
        (
            json!({"in": {"role": ["user", "lead"]}}),
            json!({"role": "lead"}),
            true,
        ),
        (
            json!({"in": {"role": ["user", "lead"]}}),
            json!({"role": "admin"}),
            false,
        ),
        (json!({"in": {"role": []}}), json!({"role": "user"}), false),
        (json!({"in": {"n": [1, 2]}}), json!({"n": 2.0}), true),
        (json!({"in": {"n": [1, 2]}}), json!({}), false),
        (json!({"in": {"n": [1, null]}}), json!({}), true),
    ]);
}

#[test]
fn matches_like() {
    check(&[
        (
            json!({"like": {"e": "%@acme.com"}}),
            json!({"e": "jo@ACME.com"}),
            true,
        ),
        (
            json!({"like": {"e": "%@acme.com"}}),
            json!({"e": "jo@acme.com.evil"}),
            false,
        ),
        (json!({"like": {"e": "jo%"}}), json!({"e": "Joe"}), true),
        (
            json!({"like": {"e": "%oe%"}}),
            json!({"e": "Joe Bloggs"}),
            true,
        ),
        (json!({"like": {"e": "j_e"}}), json!({"e": "joe"}), true),
        (json!({"like": {"e": "j_e"}}), json!({"e": "jooe"}), false),
        (json!({"like": {"e": "%"}}), json!({"e": ""}), true),
        (json!({"like": {"e": ""}}), json!({"e": ""}), true),
        (json!({"like": {"e": ""}}), json!({"e": "a"}), false),
        (
            json!({"like": {"e": "a%b%c"}}),
            json!({"e": "aXXbYYbZc"}),
            true,
        ),
        (
            json!({"like": {"e": "a%b%c"}}),
            json!({"e": "aXXcYYb"}),
            false,
        ),
        (json!({"like": {"e": "100\\%"}}), json!({"e": "100%"}), true),
        (
            json!({"like": {"e": "100\\%"}}),
            json!({"e": "1000"}),
            false,
        ),
        (json!({"like": {"e": "É%"}}), json!({"e": "école"}), true),
        (json!({"like": {"e": "12%"}}), json!({"e": 123}), true),
        (json!({"like": {"e": "%"}}), json!({}), false),
        (json!({"like": {"e": "%"}}), json!({"e": null}), false),
        (
            json!({"like": {"tags": "vip%"}}),
            json!({"tags": ["new", "VIP-gold"]}),
            true,
        ),
    ]);
}

#[test]
fn matches_fuzzy() {
    check(&[
        (
            json!({"fuzzy": {"n": "joe bloggs"}}),
            json!({"n": "Joe Bloggs"}),
            true,
        ),
        (
            json!({"fuzzy": {"n": "joe bl"}}),
            json!({"n": "Mr Joe T. Bloggs"}),
            true,
        ),
        (
            json!({"fuzzy": {"n": "bloggs joe"}}),
            json!({"n": "Joe Bloggs"}),
            false,
        ),
        (json!({"fuzzy": {"n": "JOE"}}), json!({"n": "joey"}), true),
        (
            json!({"fuzzy": {"n": "ann"}}),
            json!({"n": "Joe Bloggs"}),
            false,
        ),
        (json!({"fuzzy": {"n": "joe"}}), json!({}), false),
        (json!({"fuzzy": {"n": ""}}), json!({"n": "anything"}), true),
    ]);
}

#[test]
fn matches_keyword() {
    check(&[
        (
            json!({"keyword": {"t": "billing"}}),
            json!({"t": "A billing question"}),
            true,
        ),
        (
            json!({"keyword": {"t": "BILLING refund"}}),
            json!({"t": "refund please"}),
            true,
        ),
        (
            json!({"keyword": {"t": "bill"}}),
            json!({"t": "A billing question"}),
            false,
        ),
        (
            json!({"keyword": {"t": "question"}}),
            json!({"t": "question?"}),
            true,
        ),
        (json!({"keyword": {"t": "x"}}), json!({}), false),
        (
            json!({"keyword": {"t": ""}}),
            json!({"t": "anything"}),
            false,
        ),
    ]);
}

#[test]
fn matches_not_and_or() {
    check(&[
        (json!({"not": {"eq": {"a": 1}}}), json!({"a": 2}), true),
        (json!({"not": {"eq": {"a": 1}}}), json!({"a": 1}), false),
        (json!({"and": []}), json!({}), true),
        (json!({"or": []}), json!({}), false),
        (
            json!({"and": [{"eq": {"a": 1}}, {"eq": {"b": 2}}]}),
            json!({"a": 1, "b": 2}),
            true,
        ),
        (
            json!({"and": [{"eq": {"a": 1}}, {"eq": {"b": 2}}]}),
            json!({"a": 1, "b": 3}),
            false,
        ),
        (
            json!({"or": [{"eq": {"a": 1}}, {"eq": {"b": 2}}]}),
            json!({"a": 0, "b": 2}),
            true,
        ),
        (
            json!({"or": [{"eq": {"a": 1}}, {"eq": {"b": 2}}]}),
            json!({"a": 0, "b": 0}),
            false,
        ),
        (
            json!({"not": {"or": [{"eq": {"a": 1}}, {"and": [{"gt": {"b": 1}}, {"lt": {"b": 3}}]}]}}),
            json!({"a": 0, "b": 2}),
            false,
        ),
        (
            json!({"not": {"or": [{"eq": {"a": 1}}, {"and": [{"gt": {"b": 1}}, {"lt": {"b": 3}}]}]}}),
            json!({"a": 0, "b": 3}),
            true,
        ),
    ]);
}

#[test]
fn query_sort_and_projection() {
    let q = Query::new()
        .filter(ROLE.eq("user") & CREATED_AT.gte(1719492962))
        .sort(CREATED_AT.desc());
    assert_eq!(
        to_json(&q),
        json!({
            "filter": {"and": [{"eq": {"role": "user"}}, {"gte": {"created_at": 1719492962}}]},
            "sort": [{"created_at": "desc"}]
        })
    );
    assert_eq!(to_json(&Query::<Contacts>::new()), json!({}));
    assert!(Query::<Contacts>::default().is_empty());
    assert_eq!(
        to_json(&Query::from(EMAIL.eq("x"))),
        json!({"filter": {"eq": {"email": "x"}}})
    );
    assert_eq!(
        to_json(
            &Query::<Contacts>::new()
                .sort(NAME.asc())
                .sort(CREATED_AT.desc())
        ),
        json!({"sort": [{"name": "asc"}, {"created_at": "desc"}]})
    );
    // A second filter is combined by `and`.
    let twice = Query::new().filter(EMAIL.eq("x")).filter(ROLE.eq("user"));
    assert_eq!(
        to_json(&twice),
        json!({"filter": {"and": [{"eq": {"email": "x"}}, {"eq": {"role": "user"}}]}})
    );
    // Round trip through Deserialize.
    let back: Query<Contacts> = serde_json::from_value(to_json(&q)).unwrap();
    assert_eq!(back, q);

    let fields: Vec<FieldPath<Contacts>> = vec![
        Field::<Contacts, Text>::new("id").into(),
        EMAIL.path(),
        EVENT_TYPE.into(),
    ];
    assert_eq!(to_json(&fields), json!([["id"], ["email"], ["event.type"]]));
    let nested = FieldPath::<Contacts>::from_segments(["location", "city"]);
    assert_eq!(to_json(&nested), json!(["location", "city"]));
    assert_eq!(EMAIL.name(), "email");
}

#[test]
fn deep_nesting_does_not_overflow_small_inputs() {
    // 200 levels of `not` parse and evaluate.
    let mut v = json!({"eq": {"a": 1}});
    for _ in 0..200 {
        v = json!({ "not": v });
    }
    let c = Condition::from_value(&v);
    assert!(c.matches(&json!({"a": 1})));
    assert_eq!(c.to_value(), v);
}

/// Numbers are never changed in a filter: integers stay exact, and a non-finite `f64` (which
/// JSON cannot hold and serde_json writes as `null`) is sent as its text, never as `null`
/// (`eq(null)` would match records without the field).
#[test]
fn filter_numbers_are_never_changed() {
    assert_eq!(
        to_json(&CREATED_AT.eq(i64::MAX)),
        json!({"eq": {"created_at": 9223372036854775807_i64}})
    );
    assert_eq!(to_json(&SCORE.gt(0.1)), json!({"gt": {"score": 0.1}}));
    assert_eq!(
        to_json(&SCORE.eq(f64::NAN)),
        json!({"eq": {"score": "NaN"}})
    );
    assert_eq!(
        to_json(&SCORE.lt(f64::INFINITY)),
        json!({"lt": {"score": "inf"}})
    );
    assert_eq!(
        to_json(&SCORE.in_([1.5, f64::NEG_INFINITY])),
        json!({"in": {"score": [1.5, "-inf"]}})
    );
    // Locally a NaN filter matches no record, not the ones without the field.
    let nan = SCORE.eq(f64::NAN).into_condition();
    assert!(!nan.matches(&json!({})));
    assert!(!nan.matches(&json!({"score": null})));
    assert!(!nan.matches(&json!({"score": 1.0})));
}

#[test]
fn field_paths_read_from_a_name_or_segments() {
    let one: FieldPath<Contacts> = serde_json::from_value(json!("email")).unwrap();
    assert_eq!(one.segments(), ["email"]);
    let dotted: FieldPath<Contacts> = serde_json::from_value(json!("event.type")).unwrap();
    assert_eq!(
        dotted.segments(),
        ["event.type"],
        "a literal dotted key stays one segment"
    );
    let nested: FieldPath<Contacts> = serde_json::from_value(json!(["location", "city"])).unwrap();
    assert_eq!(nested.segments(), ["location", "city"]);
    assert_eq!(serde_json::to_value(&one).unwrap(), json!(["email"]));
    let err = serde_json::from_value::<FieldPath<Contacts>>(json!(3)).unwrap_err();
    assert!(
        err.to_string()
            .contains("a field name or an array of path segments"),
        "{err}"
    );
}
