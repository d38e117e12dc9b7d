use super::*;
use crate::enums::StringEnum;
use serde_json::json;

fn round_trip<T>(input: Value) -> Lenient<T>
where
    T: DeserializeOwned + Serialize,
{
    let decoded: Lenient<T> = serde_json::from_value(input.clone()).unwrap();
    let encoded = serde_json::to_value(&decoded).unwrap();
    assert!(
        crate::filter::values_equal(&encoded, &input),
        "{input} re-encoded as {encoded}"
    );
    // Through text too.
    let text = serde_json::to_string(&decoded).unwrap();
    let again: Value = serde_json::from_str(&text).unwrap();
    assert!(crate::filter::values_equal(&again, &input));
    decoded
}

#[test]
fn lenient_keeps_what_does_not_fit() {
    assert_eq!(
        round_trip::<String>(json!("abc")),
        Lenient::Known("abc".into())
    );
    assert_eq!(
        round_trip::<String>(json!(42)),
        Lenient::other_value(json!(42))
    );
    assert_eq!(
        round_trip::<String>(json!({"a": [1, 2]})),
        Lenient::other_value(json!({"a": [1, 2]}))
    );
    assert_eq!(round_trip::<i64>(json!(7)), Lenient::Known(7));
    assert_eq!(
        round_trip::<i64>(json!("7")),
        Lenient::other_value(json!("7"))
    );
    assert_eq!(
        round_trip::<i64>(json!(7.5)),
        Lenient::other_value(json!(7.5))
    );
    assert_eq!(round_trip::<f64>(json!(1)), Lenient::Known(1.0));
    // `null` is its own state, whatever the type.
    assert_eq!(round_trip::<bool>(json!(null)), Lenient::Null);
    assert_eq!(
        round_trip::<Vec<String>>(json!(["a", "b"]))
            .known()
            .map(Vec::len),
        Some(2)
    );
    assert!(!round_trip::<Vec<String>>(json!(["a", 1])).is_known());
    assert_eq!(round_trip::<Option<String>>(json!(null)), Lenient::Null);

    // A struct that would drop a member it does not know is kept raw instead.
    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Loc {
        city: String,
    }
    assert_eq!(
        round_trip::<Loc>(json!({"city": "Dublin"})),
        Lenient::Known(Loc {
            city: "Dublin".into()
        })
    );
    let extra = round_trip::<Loc>(json!({"city": "Dublin", "zip": "D01"}));
    assert_eq!(
        extra.other(),
        Some(&json!({"city": "Dublin", "zip": "D01"}))
    );

    // Inside a record, a lenient field never fails the record.
    #[derive(Debug, Deserialize, Serialize)]
    struct Contact {
        id: Lenient<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner_id: Option<Lenient<i64>>,
    }
    let input = json!({"id": 5, "owner_id": "991267553"});
    let c: Contact = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(serde_json::to_value(&c).unwrap(), input);
    assert_eq!(c.id.to_value(), json!(5));
    assert!(Lenient::<i64>::default().is_absent());
    assert_eq!(Lenient::from(3_i64).into_known(), Some(3));
    // A string member (stored as `CompactString`) is set from a `String` or a `&str`.
    let email: Lenient<compact_str::CompactString> = "a@b.c".to_string().into();
    assert_eq!(email.get(), Some("a@b.c"));
    let email: Lenient<compact_str::CompactString> = "a@b.c".into();
    assert_eq!(email.get(), Some("a@b.c"));
}

crate::string_enum! {
    /// Test enum.
    pub enum Role {
        /// A user.
        User = "user",
        /// A lead.
        Lead = "lead",
    }
}

#[test]
fn string_enums_never_fail_and_keep_unknown_values() {
    let cases = [
        (json!("user"), Role::User, json!("user")),
        (json!("lead"), Role::Lead, json!("lead")),
        (
            json!("visitor"),
            Role::Unknown("visitor".into()),
            json!("visitor"),
        ),
        (json!(""), Role::Unknown(String::new()), json!("")),
        (json!(3), Role::Unknown("3".into()), json!("3")),
    ];
    for (input, want, back) in cases {
        let got: Role = serde_json::from_value(input).unwrap();
        assert_eq!(got, want);
        assert_eq!(serde_json::to_value(&got).unwrap(), back);
    }
    let many: Vec<Role> = serde_json::from_value(json!(["user", "bot"])).unwrap();
    assert_eq!(many, [Role::User, Role::Unknown("bot".into())]);
    assert_eq!(Role::Lead.as_str(), "lead");
    assert_eq!(Role::Lead.to_string(), "lead");
    assert_eq!("user".parse::<Role>(), Ok(Role::User));
    assert_eq!(Role::from(String::from("x")), Role::Unknown("x".into()));
    assert_eq!(<Role as StringEnum>::KNOWN, &["user", "lead"]);
    assert!(Role::from("zzz").is_unknown());
    assert!(!Role::User.is_unknown());
}

/// `Lenient<T>` read from JSON text (the scalar fast path) and from a `Value` must both give
/// what [`Lenient::from_value`] gives.
fn same_as_from_value<T>(inputs: &[&str])
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    for input in inputs {
        let value: Value = serde_json::from_str(input).unwrap();
        let want = Lenient::<T>::from_value(value.clone());
        let from_text: Lenient<T> = serde_json::from_str(input).unwrap();
        assert_eq!(from_text, want, "{input} as {}", std::any::type_name::<T>());
        let from_slice: Lenient<T> = serde_json::from_slice(input.as_bytes()).unwrap();
        assert_eq!(from_slice, want, "{input}");
        let from_reader: Lenient<T> = serde_json::from_reader(input.as_bytes()).unwrap();
        assert_eq!(from_reader, want, "{input}");
        let from_value: Lenient<T> = serde_json::from_value(value).unwrap();
        assert_eq!(from_value, want, "{input}");
    }
}

#[test]
fn lenient_fast_path_matches_the_value_path() {
    let inputs = [
        r#""abc""#,
        r#""""#,
        r#""with \"escapes\" \u00e9""#,
        r#""7""#,
        r#"" 7 ""#,
        r#""true""#,
        r#""user""#,
        r#""x""#,
        "7",
        "-7",
        "0",
        "7.0",
        "7.5",
        "-0.0",
        "1e3",
        "9007199254740993",
        "18446744073709551615",
        "-9223372036854775808",
        "true",
        "false",
        "null",
        "[]",
        r#"["a", "b"]"#,
        "[1, 2]",
        r#"{"a": 1}"#,
        "{}",
    ];
    same_as_from_value::<String>(&inputs);
    same_as_from_value::<i64>(&inputs);
    same_as_from_value::<u8>(&inputs);
    same_as_from_value::<u64>(&inputs);
    same_as_from_value::<f64>(&inputs);
    same_as_from_value::<bool>(&inputs);
    same_as_from_value::<char>(&inputs);
    same_as_from_value::<serde_json::Number>(&inputs);
    same_as_from_value::<Value>(&inputs);
    same_as_from_value::<Option<String>>(&inputs);
    same_as_from_value::<Option<i64>>(&inputs);
    same_as_from_value::<Vec<String>>(&inputs);
    same_as_from_value::<Vec<i64>>(&inputs);
    same_as_from_value::<()>(&inputs);
    same_as_from_value::<Role>(&inputs);

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        User,
        #[serde(rename = "x")]
        Other,
    }
    same_as_from_value::<Kind>(&inputs);

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Id(String);
    same_as_from_value::<Id>(&inputs);

    /// Reads any string, writes it upper-cased: never re-encodes a lower-case input the same.
    #[derive(Debug, PartialEq)]
    struct Upper(String);
    impl<'de> Deserialize<'de> for Upper {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            String::deserialize(d).map(|s| Upper(s.to_uppercase()))
        }
    }
    impl Serialize for Upper {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(s)
        }
    }
    same_as_from_value::<Upper>(&inputs);
    assert_eq!(
        serde_json::from_str::<Lenient<Upper>>(r#""abc""#).unwrap(),
        Lenient::other_value(json!("abc"))
    );
    assert_eq!(
        serde_json::from_str::<Lenient<Upper>>(r#""ABC""#).unwrap(),
        Lenient::Known(Upper("ABC".into()))
    );
}

#[test]
fn lenient_fast_path_outcomes() {
    let read = |s: &str| serde_json::from_str::<Lenient<String>>(s).unwrap();
    assert_eq!(read(r#""a\nb""#), Lenient::Known("a\nb".into()));
    assert_eq!(read("12"), Lenient::other_value(json!(12)));
    assert_eq!(read("null"), Lenient::Null);
    let read = |s: &str| serde_json::from_str::<Lenient<i64>>(s).unwrap();
    assert_eq!(read("-3"), Lenient::Known(-3));
    // A float is kept as sent, even an integral one (`i64` does not read floats).
    assert_eq!(read("3.0"), Lenient::other_value(json!(3.0)));
    assert_eq!(read(r#""3""#), Lenient::other_value(json!("3")));
    assert_eq!(
        read("18446744073709551615"),
        Lenient::other_value(json!(18446744073709551615_u64))
    );
    let read = |s: &str| serde_json::from_str::<Lenient<bool>>(s).unwrap();
    assert_eq!(read("false"), Lenient::Known(false));
    assert_eq!(read("0"), Lenient::other_value(json!(0)));
    // Inside an array, elements go through the same paths.
    let many: Vec<Lenient<i64>> = serde_json::from_str(r#"[1, "2", null, {"a": 3}]"#).unwrap();
    assert_eq!(
        many,
        [
            Lenient::Known(1),
            Lenient::other_value(json!("2")),
            Lenient::Null,
            Lenient::other_value(json!({"a": 3}))
        ]
    );
}
