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
