//! The fast path of [`Lenient`](super::Lenient) decoding: whether a typed value re-encodes
//! to the very scalar it was read from, checked without building a `Value`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::ser::Impossible;
use serde::{Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON scalar, borrowed.
#[derive(Clone, Copy)]
pub(super) enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a serde_json::Number),
    Str(&'a str),
}

/// Whether `t` encodes to `scalar` (numbers compared by value, as in [`Lenient::from_value`]).
pub(super) fn same_as<T: Serialize>(t: &T, scalar: Scalar<'_>) -> bool {
    t.serialize(SameAs(scalar)).is_ok()
}

/// Deserialises like `&Value::String` does: as the string, `Some` of it, a unit variant or a
/// newtype around it, and as nothing else.
pub(super) struct StrDeserializer<'a>(pub(super) &'a str);

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
