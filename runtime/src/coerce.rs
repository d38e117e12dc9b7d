//! `deserialize_with` helpers for the execute API's envelope members (cursors, scores,
//! `has_more`, token lifetimes) and for the string enums: they accept the plausible variants
//! of a scalar (a number where a string is documented, `"true"` where a boolean is) instead of
//! failing a whole response. Record fields do not use them: records keep values as received
//! ([`Lenient`](crate::Lenient)).
//!
//! They normalise the value's type (a number read by [`string`] re-encodes as a string); the
//! `option_*` forms read `null` or absent as `None` (pair them with `#[serde(default)]`).
//! Integers keep their exact text; other numbers are printed in serde_json's shortest
//! round-trip form (`1.50` becomes `"1.5"`).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn to_string_value(v: Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        other => Err(format!(
            "expected a string, number or boolean, found {}",
            kind_of(&other)
        )),
    }
}

fn to_f64_value(v: Value) -> Result<f64, String> {
    match &v {
        Value::Number(n) => n
            .as_f64()
            .ok_or_else(|| format!("expected a number, found {n}")),
        Value::String(s) => s
            .trim()
            .parse::<f64>()
            .map_err(|_| format!("expected a number, found the string {s:?}")),
        other => Err(format!("expected a number, found {}", kind_of(other))),
    }
}

fn to_bool_value(v: Value) -> Result<bool, String> {
    match &v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(format!("expected a boolean, found the string {s:?}")),
        },
        other => Err(format!("expected a boolean, found {}", kind_of(other))),
    }
}

macro_rules! helpers {
    ($name:ident, $opt:ident, $ty:ty, $conv:ident, $what:literal) => {
        #[doc = concat!("Deserializes ", $what, ".")]
        pub fn $name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<$ty, D::Error> {
            $conv(Value::deserialize(deserializer)?).map_err(D::Error::custom)
        }

        #[doc = concat!("Like [`", stringify!($name), "()`], with `null` → `None`.")]
        pub fn $opt<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<$ty>, D::Error> {
            match Value::deserialize(deserializer)? {
                Value::Null => Ok(None),
                v => $conv(v).map(Some).map_err(D::Error::custom),
            }
        }
    };
}

helpers!(
    string,
    option_string,
    String,
    to_string_value,
    "a `String` from a string, number (exact integer text) or boolean"
);
helpers!(
    f64,
    option_f64,
    f64,
    to_f64_value,
    "an `f64` from a number or a numeric string"
);
helpers!(
    bool,
    option_bool,
    bool,
    to_bool_value,
    "a `bool` from a boolean, `0`/`1`, or `\"true\"`/`\"false\"`"
);

#[cfg(test)]
mod tests;
