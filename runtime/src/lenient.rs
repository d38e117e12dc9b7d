//! Lenient decoding helpers for generated record fields.
//!
//! Real payloads disagree with the reference documents: an id documented as a string arrives
//! as a number, a number arrives as a numeric string, a string arrives as an object. These
//! helpers accept the plausible variants instead of failing a whole page.
//!
//! * `#[serde(deserialize_with = "...")]` functions: [`string`], [`i64()`], [`f64()`],
//!   [`bool()`] and their `option_*` forms (`null` or absent → `None`; pair them with
//!   `#[serde(default)]`). They normalise the value's type (a number read by [`string`]
//!   re-encodes as a string), so use them where the documented type is what you want to send
//!   back.
//! * [`Lenient<T>`]: never fails and re-encodes the original value unchanged; prefer it for
//!   typed fields whose payload type is uncertain.
//! * [`string_enum!`](crate::string_enum): string enums with an `Unknown(String)` variant.
//!
//! Number text: integers keep their exact text; other numbers are printed in serde_json's
//! shortest round-trip form (`1.50` becomes `"1.5"`).

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
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

fn to_i64_value(v: Value) -> Result<i64, String> {
    match &v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f >= i64::MIN as f64 && f <= i64::MAX as f64 => {
                    Ok(f as i64)
                }
                _ => Err(format!("expected an integer, found {n}")),
            }
        }
        Value::String(s) => {
            let t = s.trim();
            t.parse::<i64>()
                .or_else(|_| match t.parse::<f64>() {
                    Ok(f) if f.is_finite() && f.fract() == 0.0 => Ok(f as i64),
                    _ => Err(()),
                })
                .map_err(|_| format!("expected an integer, found the string {s:?}"))
        }
        other => Err(format!("expected an integer, found {}", kind_of(other))),
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
    i64,
    option_i64,
    i64,
    to_i64_value,
    "an `i64` from an integer, an integral float, or a numeric string"
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

/// A value that is `T` when it decodes as `T` and re-encodes to the same JSON, and the
/// original JSON otherwise. Deserialising never fails (for JSON input), and serialising
/// writes back what was read: decode → encode loses nothing.
///
/// "The same JSON" compares numbers by value, so a `Lenient<f64>` read from `1` is
/// `Known(1.0)` and re-encodes as `1.0`.
#[derive(Debug, Clone, PartialEq)]
pub enum Lenient<T> {
    /// The value had the expected shape.
    Known(T),
    /// The value did not fit `T`; kept verbatim.
    Other(Value),
}

impl<T> Lenient<T> {
    /// The typed value, if the payload had the expected shape.
    pub fn known(&self) -> Option<&T> {
        match self {
            Lenient::Known(t) => Some(t),
            Lenient::Other(_) => None,
        }
    }

    /// Consumes `self`, returning the typed value if there is one.
    pub fn into_known(self) -> Option<T> {
        match self {
            Lenient::Known(t) => Some(t),
            Lenient::Other(_) => None,
        }
    }

    /// The raw JSON, when the payload did not fit `T`.
    pub fn other(&self) -> Option<&Value> {
        match self {
            Lenient::Known(_) => None,
            Lenient::Other(v) => Some(v),
        }
    }

    /// Whether the payload had the expected shape.
    pub fn is_known(&self) -> bool {
        matches!(self, Lenient::Known(_))
    }
}

impl<T: Serialize> Lenient<T> {
    /// The value as JSON (the typed value re-encoded, or the kept original).
    pub fn to_value(&self) -> Value {
        match self {
            Lenient::Known(t) => serde_json::to_value(t).unwrap_or(Value::Null),
            Lenient::Other(v) => v.clone(),
        }
    }
}

impl<T: DeserializeOwned + Serialize> Lenient<T> {
    /// Classifies a JSON value (see the type's documentation).
    pub fn from_value(value: Value) -> Self {
        match T::deserialize(&value) {
            Ok(t) => match serde_json::to_value(&t) {
                Ok(back) if crate::filter::values_equal(&back, &value) => Lenient::Known(t),
                _ => Lenient::Other(value),
            },
            Err(_) => Lenient::Other(value),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(t: T) -> Self {
        Lenient::Known(t)
    }
}

impl<T: Default> Default for Lenient<T> {
    fn default() -> Self {
        Lenient::Known(T::default())
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Lenient::Known(t) => t.serialize(serializer),
            Lenient::Other(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Lenient::from_value)
    }
}

/// Implemented by enums made with [`string_enum!`](crate::string_enum): parsing a string never
/// fails (unknown values are kept).
pub trait StringEnum: Sized {
    /// The known wire values, in declaration order.
    const KNOWN: &'static [&'static str];
    /// The wire value.
    fn as_str(&self) -> &str;
    /// Parses a wire value; an unknown value becomes the `Unknown` variant.
    fn from_wire(s: &str) -> Self;
    /// Whether this is the `Unknown` variant.
    fn is_unknown(&self) -> bool;
}

/// Defines a string enum that never fails to parse: each variant names its wire value, and an
/// `Unknown(String)` variant keeps anything else. The enum is `#[non_exhaustive]` and gets
/// `as_str()`, `Display`, `FromStr` (infallible), `From<&str>`, `From<String>`,
/// [`StringEnum`](crate::lenient::StringEnum), `Serialize` and a lenient `Deserialize` (numbers
/// and booleans are read as their text).
///
/// ```
/// airbyte_agent_runtime::string_enum! {
///     /// A contact's role.
///     pub enum Role {
///         /// A user.
///         User = "user",
///         /// A lead.
///         Lead = "lead",
///     }
/// }
/// let r: Role = serde_json::from_str("\"lead\"").unwrap();
/// assert_eq!(r, Role::Lead);
/// let u: Role = serde_json::from_str("\"visitor\"").unwrap();
/// assert_eq!(u, Role::Unknown("visitor".into()));
/// assert_eq!(serde_json::to_string(&u).unwrap(), "\"visitor\"");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(s) => s.as_str(),
                }
            }
        }

        impl $crate::lenient::StringEnum for $name {
            const KNOWN: &'static [&'static str] = &[$($value),*];
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn from_wire(s: &str) -> Self {
                match s {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(::std::string::String::from(other)),
                }
            }
            fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                <Self as $crate::lenient::StringEnum>::from_wire(s)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match <Self as $crate::lenient::StringEnum>::from_wire(&s) {
                    Self::Unknown(_) => Self::Unknown(s),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as $crate::lenient::StringEnum>::from_wire(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::lenient::string(deserializer).map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests;
