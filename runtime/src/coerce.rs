//! `deserialize_with` helpers for the execute API's envelope members (cursors, scores,
//! `has_more`, token lifetimes) and for the string enums: they accept the plausible variants
//! of a scalar (a number where a string is documented, `"true"` where a boolean is) instead of
//! failing a whole response. Record fields do not use them: records keep values as received
//! ([`Lenient`](crate::Lenient)).
//!
//! They normalise the value's type (a number read by [`string`] re-encodes as a string); the
//! `option_*` forms read `null` or absent as `None` (pair them with `#[serde(default)]`).
//! A number read as a string is the number's text as received (`1.50`, `1E2` and integers
//! beyond 64 bits included), so a cursor sent back is the one the server gave.
//!
//! No helper changes a number: a value that does not fit the target type exactly (an integer
//! beyond `i64`, an integer beyond 2^53 read as `f64`, `"NaN"`, `"inf"`, `"1e400"`) is an
//! error, never clamped, rounded or saturated.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::Value;

/// The JSON type of `v` as error texts name it ("a number"), never its value (which may be a
/// secret).
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A string, number or boolean as a `String` (`None` for `null`), from the JSON text
/// received: a number is its text as written, never serde_json's re-spelling of a parsed
/// `f64` (`123456789012345678901234` would become `1.2345678901234568e23`).
fn raw_to_string(raw: &RawValue) -> Result<Option<String>, String> {
    let text = raw.get().trim();
    match text.as_bytes().first() {
        // A string without escapes is the text between its quotes.
        Some(b'"') if text.len() >= 2 && !text.contains('\\') => {
            Ok(Some(text[1..text.len() - 1].to_owned()))
        }
        Some(b'"') => serde_json::from_str(text)
            .map(Some)
            .map_err(|e| e.to_string()),
        Some(b'-' | b'0'..=b'9') | Some(b't' | b'f') => Ok(Some(text.to_owned())),
        Some(b'n') => Ok(None),
        Some(b'[') => Err("expected a string, number or boolean, found an array".into()),
        _ => Err("expected a string, number or boolean, found an object".into()),
    }
}

/// [`raw_to_string`] of the next value of `deserializer`.
fn string_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    raw_to_string(&raw).map_err(D::Error::custom)
}

/// Deserializes a `String` from a string, number (its text as received) or boolean.
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    string_or_null(deserializer)?
        .ok_or_else(|| D::Error::custom("expected a string, number or boolean, found null"))
}

/// Like [`string()`], with `null` → `None`.
pub fn option_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    string_or_null(deserializer)
}

/// The largest integer below which every integer is exactly an `f64` (2^53).
const EXACT_F64_INT: f64 = 9_007_199_254_740_992.0;

/// Whether `text` is written as an integer (no fraction, no exponent).
fn integer_text(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `f` as a finite `f64` that is the number `text` says, exactly when `text` is an integer.
fn exact_f64(f: f64, text: &str) -> Result<f64, String> {
    if !f.is_finite() {
        return Err(format!("the number {text} is not finite"));
    }
    // An integer must be the very integer written (`f` is finite, so the cast is exact
    // for any integer that fits i128; a larger one never equals an i128 parse).
    if integer_text(text) && text.trim_start_matches('+').parse::<i128>() != Ok(f as i128) {
        return Err(format!("the integer {text} has no exact f64; not rounded"));
    }
    Ok(f)
}

fn to_f64_value(v: Value) -> Result<f64, String> {
    match &v {
        Value::Number(n) => {
            let f = n
                .as_f64()
                .ok_or_else(|| format!("expected a number, found {n}"))?;
            exact_f64(f, &n.to_string())
        }
        Value::String(s) => {
            let t = s.trim();
            // Rust also parses "NaN", "inf" and "infinity"; JSON has none of them.
            let f = t
                .parse::<f64>()
                .map_err(|_| format!("expected a number, found the string {s:?}"))?;
            exact_f64(f, t).map_err(|e| format!("{e} (the string {s:?})"))
        }
        other => Err(format!("expected a number, found {}", kind_of(other))),
    }
}

/// An `i64` from an integral float, when the float is exact (below 2^53 in magnitude: a larger
/// float may already be a rounded integer, `9007199254740993.0` reads as `...992`).
fn float_to_i64(f: f64, text: &str) -> Result<i64, String> {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < EXACT_F64_INT {
        // Integral and below 2^53: the cast is exact, and no other integer text rounds to it
        // (2^53 itself may be 2^53 + 1 rounded, as a correctly rounding parser gives).
        Ok(f as i64)
    } else if f.is_finite() && f.fract() != 0.0 {
        Err(format!("expected an integer, found {text}"))
    } else {
        Err(format!(
            "the number {text} is out of the range where an integer is exact; not clamped"
        ))
    }
}

fn to_i64_value(v: Value) -> Result<i64, String> {
    match &v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            if n.is_u64() {
                return Err(format!("the integer {n} is beyond i64; not clamped"));
            }
            let f = n
                .as_f64()
                .ok_or_else(|| format!("expected an integer, found {n}"))?;
            float_to_i64(f, &n.to_string())
        }
        Value::String(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                return Ok(i);
            }
            if integer_text(t) {
                return Err(format!(
                    "the integer string {s:?} is beyond i64; not clamped"
                ));
            }
            let f = t
                .parse::<f64>()
                .map_err(|_| format!("expected an integer, found the string {s:?}"))?;
            float_to_i64(f, t)
        }
        other => Err(format!("expected an integer, found {}", kind_of(other))),
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
    f64,
    option_f64,
    f64,
    to_f64_value,
    "an `f64` from a number or a numeric string (finite; an integer beyond 2^53, which \
     `f64` cannot hold exactly, is an error, never rounded)"
);
helpers!(
    i64,
    option_i64,
    i64,
    to_i64_value,
    "an `i64` from an integer, an integral float below 2^53, or an integer string (anything \
     beyond `i64`, or a float that may be rounded, is an error, never clamped)"
);
helpers!(
    bool,
    option_bool,
    bool,
    to_bool_value,
    "a `bool` from a boolean, `0`/`1`, or `\"true\"`/`\"false\"`"
);

/// Reads `null` as `T::default()` (pair it with `#[serde(default)]` for absent members): an
/// envelope's list or object written as `null` is empty.
pub fn null_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Reads `null` as `None` and any other value as `Some(T)`, without `#[serde(default)]`: a
/// member that must be present but may be `null` (a hit's `data`), kept apart from absent,
/// which stays a missing-member error (serde reads an absent `Option` member as `None`
/// unless it is read with a function such as this one).
pub fn null_or<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// Like [`bool()`], with `null` -> `false` (pair it with `#[serde(default)]`): a flag such as
/// `has_more` written as `null` never means "yes".
pub fn bool_or_false<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    option_bool(deserializer).map(Option::unwrap_or_default)
}

#[cfg(test)]
mod tests;
