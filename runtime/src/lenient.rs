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
//!   typed fields whose payload type is uncertain. A string, number, boolean or `null` is read
//!   into `T` directly (a [`Value`] is built only when it does not fit); arrays and objects are
//!   read as a [`Value`] first.
//! * [`string_enum!`](crate::string_enum): string enums with an `Unknown(String)` variant.
//!
//! Number text: integers keep their exact text; other numbers are printed in serde_json's
//! shortest round-trip form (`1.50` becomes `"1.5"`).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Error as _, Visitor};
use serde::ser::Impossible;
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

/// One member of a record as received: absent, `null`, a value of the documented type `T`,
/// or a value of another shape. Deserialising never fails (for JSON input), and serialising
/// writes back what was read: decode -> encode is exact (`null` stays `null`, an absent member
/// stays absent when the field is skipped with `skip_serializing_if = "Lenient::is_absent"`).
///
/// A value is `Known` when it decodes as `T` and re-encodes to the same JSON ("the same"
/// compares numbers by value, so a `Lenient<f64>` read from `1` is `Known(1.0)`); anything else
/// is kept verbatim in `Other`. Generated records read their fields through [`Lenient::get`]
/// (behind accessors such as `contact.email() -> Option<&str>`), which answers `None` for all
/// but `Known`.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Lenient<T> {
    /// The member was not in the payload (the default).
    #[default]
    Absent,
    /// The member was `null`.
    Null,
    /// The value had the expected shape.
    Known(T),
    /// The value did not fit `T`; kept verbatim. Boxed: the case is rare, and records of many
    /// lenient fields stay the size of their typed values.
    Other(Box<Value>),
}

impl<T> Lenient<T> {
    /// The typed value, if the payload had the expected shape.
    pub fn known(&self) -> Option<&T> {
        match self {
            Lenient::Known(t) => Some(t),
            _ => None,
        }
    }

    /// Consumes `self`, returning the typed value if there is one.
    pub fn into_known(self) -> Option<T> {
        match self {
            Lenient::Known(t) => Some(t),
            _ => None,
        }
    }

    /// The raw JSON, when the payload did not fit `T`.
    pub fn other(&self) -> Option<&Value> {
        match self {
            Lenient::Other(v) => Some(v),
            _ => None,
        }
    }

    /// A value that did not fit `T`, kept verbatim.
    pub fn other_value(value: Value) -> Self {
        Lenient::Other(Box::new(value))
    }

    /// Whether the payload had the expected shape.
    pub fn is_known(&self) -> bool {
        matches!(self, Lenient::Known(_))
    }

    /// Whether the member was absent (used by `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Lenient::Absent)
    }

    /// Whether the member was `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Lenient::Null)
    }
}

impl<T: Plain> Lenient<T> {
    /// The value in its plain form ([`Plain::plain`]: `&str` for a `String`, `&[T]` for a
    /// `Vec<T>`, numbers and booleans by value), or `None` when the member was absent, `null`
    /// or of another shape.
    pub fn get(&self) -> Option<T::Ref<'_>> {
        match self {
            Lenient::Known(t) => t.plain(),
            _ => None,
        }
    }
}

/// A type a record field holds: how the field is read from JSON and how its accessor hands
/// it out (`Ref`). Implemented for `String` (`&str`), `i64`, `f64`, `bool` (by value),
/// `serde_json::Number` (as `f64`), `serde_json::Value` (`&Value`), `Vec<T>` (`&[T]`), every
/// [`Record`](crate::record::Record) (`&Self`) and enums made with
/// [`string_enum!`](crate::string_enum) (by value).
pub trait Plain: DeserializeOwned + Serialize {
    /// What the accessor returns.
    type Ref<'a>
    where
        Self: 'a;

    /// The plain form of the value; `None` only where it has none (a `Number` that is not
    /// representable as `f64`).
    fn plain(&self) -> Option<Self::Ref<'_>>;

    /// Reads a record member's value (see [`Member::field`](crate::record::Member::field)).
    #[doc(hidden)]
    fn read_member<'de, A: de::MapAccess<'de>>(
        map: &mut A,
        _scratch: &mut Vec<(String, Value)>,
    ) -> Result<Lenient<Self>, A::Error> {
        map.next_value()
    }
}

macro_rules! plain_by_value {
    ($($ty:ty)*) => {
        $(
            impl Plain for $ty {
                type Ref<'a> = $ty;
                fn plain(&self) -> Option<$ty> {
                    Some(*self)
                }
            }
        )*
    };
}

plain_by_value!(i64 f64 bool);

impl Plain for String {
    type Ref<'a> = &'a str;
    fn plain(&self) -> Option<&str> {
        Some(self)
    }
}

impl Plain for serde_json::Number {
    type Ref<'a> = f64;
    fn plain(&self) -> Option<f64> {
        self.as_f64()
    }
}

impl Plain for Value {
    type Ref<'a> = &'a Value;
    fn plain(&self) -> Option<&Value> {
        Some(self)
    }

    fn read_member<'de, A: de::MapAccess<'de>>(
        map: &mut A,
        scratch: &mut Vec<(String, Value)>,
    ) -> Result<Lenient<Self>, A::Error> {
        Ok(match crate::record::value_with(map, scratch)? {
            Value::Null => Lenient::Null,
            value => Lenient::Known(value),
        })
    }
}

impl<T: DeserializeOwned + Serialize> Plain for Vec<T> {
    type Ref<'a>
        = &'a [T]
    where
        T: 'a;
    fn plain(&self) -> Option<&[T]> {
        Some(self)
    }
}

impl<T: crate::record::Record + DeserializeOwned + Serialize> Plain for T {
    type Ref<'a>
        = &'a T
    where
        T: 'a;
    fn plain(&self) -> Option<&T> {
        Some(self)
    }
}

impl<T: Serialize> Lenient<T> {
    /// The value as JSON (the typed value re-encoded, or the kept original).
    pub fn to_value(&self) -> Value {
        match self {
            Lenient::Absent | Lenient::Null => Value::Null,
            Lenient::Known(t) => serde_json::to_value(t).unwrap_or(Value::Null),
            Lenient::Other(v) => (**v).clone(),
        }
    }
}

impl<T: DeserializeOwned + Serialize> Lenient<T> {
    /// Classifies a JSON value (see the type's documentation).
    pub fn from_value(value: Value) -> Self {
        if value.is_null() {
            return Lenient::Null;
        }
        match T::deserialize(&value) {
            Ok(t) => match serde_json::to_value(&t) {
                Ok(back) if crate::filter::values_equal(&back, &value) => Lenient::Known(t),
                _ => Lenient::other_value(value),
            },
            Err(_) => Lenient::other_value(value),
        }
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(t: T) -> Self {
        Lenient::Known(t)
    }
}

impl<T: Serialize> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Lenient::Absent | Lenient::Null => serializer.serialize_unit(),
            Lenient::Known(t) => t.serialize(serializer),
            Lenient::Other(v) => v.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientVisitor(PhantomData))
    }
}

/// Reads a [`Lenient`] with the same outcome as [`Lenient::from_value`], without building a
/// [`Value`] first when the input is a string, number, boolean or `null`: `T` is read from
/// the scalar itself and compared with it as it re-encodes. Arrays and objects, and scalars
/// that do not fit, go through `Value`.
struct LenientVisitor<T>(PhantomData<T>);

impl<T: DeserializeOwned + Serialize> LenientVisitor<T> {
    /// A string: `T` read from it directly (what `T::deserialize(&Value::String(..))` does).
    fn string(s: &str) -> Option<Lenient<T>> {
        let t = T::deserialize(StrDeserializer(s)).ok()?;
        same_as(&t, Scalar::Str(s)).then_some(Lenient::Known(t))
    }

    /// `null`, a boolean or a number (a `Value` of these does not allocate).
    fn plain(value: Value) -> Lenient<T> {
        let t = match T::deserialize(&value) {
            Ok(t) => t,
            Err(_) => return Lenient::other_value(value),
        };
        let scalar = match &value {
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Number(n) => Scalar::Number(n),
            _ => Scalar::Null,
        };
        if same_as(&t, scalar) {
            Lenient::Known(t)
        } else {
            Lenient::other_value(value)
        }
    }
}

impl<'de, T: DeserializeOwned + Serialize> Visitor<'de> for LenientVisitor<T> {
    type Value = Lenient<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Self::plain(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Self::plain(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Self::plain(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // As serde_json's `Value` reads it: a non-finite float is `null`.
        Ok(Self::plain(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Self::string(v).unwrap_or_else(|| Lenient::other_value(Value::String(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Self::string(&v).unwrap_or_else(|| Lenient::other_value(Value::String(v))))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Null)
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Lenient::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Lenient::deserialize(deserializer)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        crate::record::array_value(seq).map(Lenient::from_value)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        crate::record::object_value(map).map(Lenient::from_value)
    }
}

/// A JSON scalar, borrowed.
#[derive(Clone, Copy)]
enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a serde_json::Number),
    Str(&'a str),
}

/// Whether `t` encodes to `scalar` (numbers compared by value, as in [`Lenient::from_value`]).
fn same_as<T: Serialize>(t: &T, scalar: Scalar<'_>) -> bool {
    t.serialize(SameAs(scalar)).is_ok()
}

/// Deserialises like `&Value::String` does: as the string, `Some` of it, a unit variant or a
/// newtype around it, and as nothing else.
struct StrDeserializer<'a>(&'a str);

macro_rules! reject {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
                Err(de::Error::invalid_type(de::Unexpected::Str(self.0), &visitor))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for StrDeserializer<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(de::value::BorrowedStrDeserializer::new(self.0))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf identifier
    }

    reject! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_unit deserialize_seq
        deserialize_map
    }
}

/// A serializer that succeeds when the value it is given encodes to the scalar.
struct SameAs<'a>(Scalar<'a>);

/// What [`SameAs`] fails with.
#[derive(Debug)]
struct Differs;

impl fmt::Display for Differs {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the value re-encodes differently")
    }
}

impl std::error::Error for Differs {}

impl serde::ser::Error for Differs {
    fn custom<M: fmt::Display>(_msg: M) -> Self {
        Differs
    }
}

impl SameAs<'_> {
    fn check(ok: bool) -> Result<(), Differs> {
        if ok {
            Ok(())
        } else {
            Err(Differs)
        }
    }

    fn number(self, n: Value) -> Result<(), Differs> {
        Self::check(match self.0 {
            Scalar::Number(m) => crate::filter::values_equal(&n, &Value::Number(m.clone())),
            _ => false,
        })
    }

    fn string(self, s: &str) -> Result<(), Differs> {
        Self::check(matches!(self.0, Scalar::Str(t) if t == s))
    }

    fn null(self) -> Result<(), Differs> {
        Self::check(matches!(self.0, Scalar::Null))
    }
}

macro_rules! numbers {
    ($($method:ident: $ty:ty)*) => {
        $(
            fn $method(self, v: $ty) -> Result<(), Differs> {
                self.number(Value::from(v))
            }
        )*
    };
}

impl Serializer for SameAs<'_> {
    type Ok = ();
    type Error = Differs;
    type SerializeSeq = Impossible<(), Differs>;
    type SerializeTuple = Impossible<(), Differs>;
    type SerializeTupleStruct = Impossible<(), Differs>;
    type SerializeTupleVariant = Impossible<(), Differs>;
    type SerializeMap = Impossible<(), Differs>;
    type SerializeStruct = Impossible<(), Differs>;
    type SerializeStructVariant = Impossible<(), Differs>;

    numbers! {
        serialize_i8: i8 serialize_i16: i16 serialize_i32: i32 serialize_i64: i64
        serialize_u8: u8 serialize_u16: u16 serialize_u32: u32 serialize_u64: u64
        serialize_f32: f32 serialize_f64: f64
    }

    fn serialize_i128(self, v: i128) -> Result<(), Differs> {
        match i64::try_from(v) {
            Ok(v) => self.number(Value::from(v)),
            Err(_) => match u64::try_from(v) {
                Ok(v) => self.number(Value::from(v)),
                Err(_) => Err(Differs),
            },
        }
    }

    fn serialize_u128(self, v: u128) -> Result<(), Differs> {
        match u64::try_from(v) {
            Ok(v) => self.number(Value::from(v)),
            Err(_) => Err(Differs),
        }
    }

    fn serialize_bool(self, v: bool) -> Result<(), Differs> {
        Self::check(matches!(self.0, Scalar::Bool(b) if b == v))
    }

    fn serialize_char(self, v: char) -> Result<(), Differs> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), Differs> {
        self.string(v)
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_none(self) -> Result<(), Differs> {
        self.null()
    }

    fn serialize_some<V: ?Sized + Serialize>(self, value: &V) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Differs> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Differs> {
        self.null()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Differs> {
        self.string(variant)
    }

    fn serialize_newtype_struct<V: ?Sized + Serialize>(
        self,
        _name: &'static str,
        value: &V,
    ) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<V: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &V,
    ) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Differs> {
        Err(Differs)
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Differs> {
        Err(Differs)
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Differs> {
        Err(Differs)
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Differs> {
        Err(Differs)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Differs> {
        Err(Differs)
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Differs> {
        Err(Differs)
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        Err(Differs)
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

        impl $crate::lenient::Plain for $name {
            type Ref<'a> = $name;
            fn plain(&self) -> ::std::option::Option<$name> {
                ::std::option::Option::Some(::std::clone::Clone::clone(self))
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

/// Defines an integer enum that never fails to parse: each variant names its wire value, and
/// an `Unknown(i64)` variant keeps any other integer. The enum is `#[non_exhaustive]`, `Copy`,
/// and gets `as_i64()`, `Display`, `From<i64>`, `Serialize` and `Deserialize`.
///
/// ```
/// airbyte_agent_runtime::int_enum! {
///     /// A page size.
///     pub enum PageSize {
///         /// Ten.
///         V10 = 10,
///         /// Fifty.
///         V50 = 50,
///     }
/// }
/// let p: PageSize = serde_json::from_str("50").unwrap();
/// assert_eq!(p, PageSize::V50);
/// assert_eq!(serde_json::to_string(&PageSize::from(7)).unwrap(), "7");
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, kept verbatim.
            Unknown(i64),
        }

        impl $name {
            /// The wire value.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(v) => *v,
                }
            }
        }

        impl $crate::lenient::Plain for $name {
            type Ref<'a> = $name;
            fn plain(&self) -> ::std::option::Option<$name> {
                ::std::option::Option::Some(*self)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                match v {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.as_i64())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <i64 as $crate::__private::serde::Deserialize<'de>>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}

#[cfg(test)]
mod tests;
