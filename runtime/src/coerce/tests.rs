use super::*;
use serde::Serialize;
use serde_json::json;

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Rec {
    #[serde(deserialize_with = "string")]
    id: String,
    #[serde(default, deserialize_with = "option_string")]
    external_id: Option<String>,
    #[serde(default, deserialize_with = "option_f64")]
    score: Option<f64>,
    #[serde(default, deserialize_with = "option_bool")]
    active: Option<bool>,
}

#[test]
fn helpers_accept_the_plausible_variants() {
    let cases = [
        (
            json!({"id": 123, "external_id": "x", "score": "2.5", "active": "true"}),
            Rec {
                id: "123".into(),
                external_id: Some("x".into()),
                score: Some(2.5),
                active: Some(true),
            },
        ),
        (
            json!({"id": "abc", "external_id": 70, "score": 3, "active": 0}),
            Rec {
                id: "abc".into(),
                external_id: Some("70".into()),
                score: Some(3.0),
                active: Some(false),
            },
        ),
        (
            json!({"id": true, "external_id": null}),
            Rec {
                id: "true".into(),
                external_id: None,
                score: None,
                active: None,
            },
        ),
        (
            json!({"id": 18446744073709551615_u64}),
            Rec {
                id: "18446744073709551615".into(),
                external_id: None,
                score: None,
                active: None,
            },
        ),
    ];
    for (input, want) in cases {
        let got: Rec = serde_json::from_value(input.clone()).unwrap();
        assert_eq!(got, want, "{input}");
    }
}

#[test]
fn helpers_reject_what_cannot_fit() {
    for bad in [
        json!({"id": {"a": 1}}),
        json!({"id": null}),
        json!({"id": "1", "score": [1]}),
        json!({"id": "1", "active": "maybe"}),
        json!({"id": "1", "active": 2}),
    ] {
        let err = serde_json::from_value::<Rec>(bad.clone()).unwrap_err();
        assert!(!err.to_string().is_empty(), "{bad}");
    }
}

/// Case 05 (integers beyond i64), part B: the numeric helpers never invent a number.
#[test]
fn case_05_integers_beyond_i64_helpers_never_clamp() {
    #[derive(Debug, Deserialize)]
    struct I {
        #[serde(deserialize_with = "i64")]
        v: i64,
    }
    #[derive(Debug, Deserialize)]
    struct OptI {
        #[serde(default, deserialize_with = "option_i64")]
        v: Option<i64>,
    }
    #[derive(Debug, Deserialize)]
    struct F {
        #[serde(deserialize_with = "f64")]
        v: f64,
    }
    #[derive(Debug, Deserialize)]
    struct OptF {
        #[serde(default, deserialize_with = "option_f64")]
        v: Option<f64>,
    }
    let ints: &[(&str, Option<i64>)] = &[
        ("9223372036854775807", Some(i64::MAX)),
        ("9223372036854775808", None),
        (r#""99999999999999999999""#, None),
        (r#""-1e300""#, None),
        (r#""9007199254740993""#, Some(9_007_199_254_740_993)),
        ("9007199254740993.0", None),
        ("1.0", Some(1)),
        ("-9223372036854775808", Some(i64::MIN)),
        ("-9223372036854775809", None),
        ("1.5", None),
        (r#""12""#, Some(12)),
    ];
    for (text, want) in ints {
        let body = format!(r#"{{"v": {text}}}"#);
        let got = serde_json::from_str::<I>(&body).ok().map(|r| r.v);
        assert_eq!(got, *want, "i64 of {text}");
        let got = serde_json::from_str::<OptI>(&body).ok().map(|r| r.v);
        assert_eq!(got, want.map(Some), "option_i64 of {text}");
    }
    let floats: &[(&str, Option<f64>)] = &[
        (r#""NaN""#, None),
        (r#""inf""#, None),
        (r#""-infinity""#, None),
        (r#""1e400""#, None),
        (r#""1.5""#, Some(1.5)),
        ("12345678901234567890", None),
        ("9007199254740992", Some(9_007_199_254_740_992.0)),
        (r#""9007199254740993""#, None),
        ("0.1", Some(0.1)),
        ("1e300", Some(1e300)),
    ];
    for (text, want) in floats {
        let body = format!(r#"{{"v": {text}}}"#);
        let got = serde_json::from_str::<F>(&body).ok().map(|r| r.v);
        assert_eq!(got, *want, "f64 of {text}");
        let got = serde_json::from_str::<OptF>(&body).ok().map(|r| r.v);
        assert_eq!(got, want.map(Some), "option_f64 of {text}");
    }
    assert_eq!(
        serde_json::from_str::<OptI>(r#"{"v": null}"#).unwrap().v,
        None
    );
    assert_eq!(serde_json::from_str::<OptF>("{}").unwrap().v, None);
}

/// A number read as a string (a hit's `id`, a search's `next_cursor` or `meta.cursor`) is the
/// number's text as received: an integer beyond 64 bits, `1.50` or `1E2` sent back as a cursor
/// in serde_json's own spelling (`1.2345678901234568e23`, `1.5`, `100.0`) would be another
/// cursor.
#[test]
fn numbers_read_as_strings_keep_their_text() {
    #[derive(Debug, Deserialize)]
    struct S {
        #[serde(deserialize_with = "string")]
        v: String,
    }
    #[derive(Debug, Deserialize)]
    struct OptS {
        #[serde(default, deserialize_with = "option_string")]
        v: Option<String>,
    }
    for text in [
        "123456789012345678901234",
        "-123456789012345678901234",
        "1.50",
        "1E2",
        "-0",
        "0.000",
        "18446744073709551616",
        "12",
        "true",
    ] {
        let body = format!(r#"{{"v": {text} }}"#);
        assert_eq!(serde_json::from_str::<S>(&body).unwrap().v, text, "{body}");
        assert_eq!(
            serde_json::from_str::<OptS>(&body).unwrap().v.as_deref(),
            Some(text),
            "{body}"
        );
    }
    // Strings are unescaped as usual; `null` is `None` for the option form only.
    let body = r#"{"v": "a\"b\u00e9"}"#;
    assert_eq!(serde_json::from_str::<S>(body).unwrap().v, "a\"bé");
    for (body, text) in [
        (r#"{"v": "plain é"}"#, "plain é"),
        (r#"{"v": ""}"#, ""),
        (r#"{"v": "\\"}"#, "\\"),
    ] {
        assert_eq!(serde_json::from_str::<S>(body).unwrap().v, text, "{body}");
    }
    // Read from a `Value` (re-encoded, escapes included) the same.
    let value = serde_json::json!({"v": "tab\tquote\""});
    assert_eq!(
        serde_json::from_value::<S>(value).unwrap().v,
        "tab\tquote\""
    );
    assert_eq!(
        serde_json::from_str::<OptS>(r#"{"v": null}"#).unwrap().v,
        None
    );
    assert!(serde_json::from_str::<S>(r#"{"v": null}"#).is_err());
    assert!(serde_json::from_str::<S>(r#"{"v": [1]}"#).is_err());
}
