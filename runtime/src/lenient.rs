//! [`Lenient`]: one member of a record as received (absent, `null`, a value of the documented
//! type, or a value of another shape kept verbatim), and [`Plain`], how a record accessor hands
//! the value out.
//!
//! Real payloads disagree with the reference documents: an id documented as a string arrives
//! as a number, a string arrives as an object. A lenient field never fails a whole page, and
//! re-encodes exactly what was read. A string, number, boolean or `null` is read into `T`
//! directly (a [`Value`] is built only when it does not fit); arrays and objects
//! are read as a [`Value`] first.

mod scalar;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use self::scalar::{same_as, Scalar, StrDeserializer};
use crate::record::Buffers;

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
    /// Hands a record's shared texts to the value ([`Plain::share_texts`]).
    #[doc(hidden)]
    pub fn share_texts(&mut self, texts: &Arc<str>) {
        if let Lenient::Known(t) = self {
            t.share_texts(texts);
        }
    }

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
/// it out (`Ref`). Implemented for `String` and [`CompactString`](crate::CompactString)
/// (`&str`), `i64`, `f64`, `bool` (by value), `serde_json::Number` (as `f64`, when exact),
/// `serde_json::Value` and [`LazyValue`](crate::raw::LazyValue) (`&Value`), `Vec<T>`
/// (`&[T]`), every [`Record`](crate::record::Record) (`&Self`) and enums made with
/// [`string_enum!`](crate::string_enum) (by value).
pub trait Plain: DeserializeOwned + Serialize {
    /// What the accessor returns.
    type Ref<'a>
    where
        Self: 'a;

    /// The plain form of the value; `None` only where it has none (a `Number` that is not
    /// representable as `f64`).
    fn plain(&self) -> Option<Self::Ref<'_>>;

    /// Reads a record member's value into its field (see
    /// [`Member::field`](crate::record::Member::field)).
    #[doc(hidden)]
    fn read_member<'de, A: de::MapAccess<'de>>(
        map: &mut A,
        slot: &mut Lenient<Self>,
        _buffers: &mut Buffers,
    ) -> Result<(), A::Error> {
        *slot = map.next_value()?;
        Ok(())
    }

    /// Takes the record's shared texts (see [`Record::share_texts`]); only values that keep
    /// text do anything.
    ///
    /// [`Record::share_texts`]: crate::record::Record::share_texts
    #[doc(hidden)]
    fn share_texts(&mut self, _texts: &Arc<str>) {}
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

plain_by_value!(f64);

/// `i64` and `bool`: as [`plain_by_value!`], read through [`ExactInto`].
macro_rules! plain_exact_by_value {
    ($($ty:ty)*) => {
        $(
            impl Plain for $ty {
                type Ref<'a> = $ty;
                fn plain(&self) -> Option<$ty> {
                    Some(*self)
                }

                fn read_member<'de, A: de::MapAccess<'de>>(
                    map: &mut A,
                    slot: &mut Lenient<Self>,
                    _buffers: &mut Buffers,
                ) -> Result<(), A::Error> {
                    map.next_value_seed(ExactInto(slot))
                }
            }
        )*
    };
}

plain_exact_by_value!(i64 bool);

impl Exact for i64 {
    fn from_i64(v: i64) -> Option<Self> {
        Some(v)
    }
    fn from_u64(v: u64) -> Option<Self> {
        i64::try_from(v).ok()
    }
}

impl Exact for bool {
    fn from_bool(v: bool) -> Option<Self> {
        Some(v)
    }
}

macro_rules! plain_string {
    ($($ty:ty)*) => {
        $(
            impl Plain for $ty {
                type Ref<'a> = &'a str;
                fn plain(&self) -> Option<&str> {
                    Some(self)
                }

                fn read_member<'de, A: de::MapAccess<'de>>(
                    map: &mut A,
                    slot: &mut Lenient<Self>,
                    _buffers: &mut Buffers,
                ) -> Result<(), A::Error> {
                    map.next_value_seed(ExactInto(slot))
                }
            }

            impl Exact for $ty {
                fn from_str(s: &str) -> Option<Self> {
                    Some(s.into())
                }
                fn from_string(s: String) -> Result<Self, String> {
                    Ok(s.into())
                }
            }
        )*
    };
}

plain_string!(String compact_str::CompactString);

impl Plain for serde_json::Number {
    type Ref<'a> = f64;
    /// The number as an `f64` when that is exactly the number received; `None` for an integer
    /// `f64` cannot hold (beyond 2^53, e.g. `12345678901234567890`), which the field keeps
    /// exactly (read it from the field's `Known` value).
    fn plain(&self) -> Option<f64> {
        let f = self.as_f64()?;
        let exact = if let Some(i) = self.as_i64() {
            f as i128 == i128::from(i) && f.abs() <= 9_007_199_254_740_992.0
        } else if let Some(u) = self.as_u64() {
            f as i128 == i128::from(u) && f <= 9_007_199_254_740_992.0
        } else {
            true
        };
        exact.then_some(f)
    }
}

impl Plain for Value {
    type Ref<'a> = &'a Value;
    fn plain(&self) -> Option<&Value> {
        Some(self)
    }

    fn read_member<'de, A: de::MapAccess<'de>>(
        map: &mut A,
        slot: &mut Lenient<Self>,
        buffers: &mut Buffers,
    ) -> Result<(), A::Error> {
        *slot = match crate::record::value_with(map, buffers)? {
            Value::Null => Lenient::Null,
            value => Lenient::Known(value),
        };
        Ok(())
    }
}

impl Plain for crate::raw::LazyValue {
    type Ref<'a> = &'a Value;
    /// The value, parsed on the first call.
    fn plain(&self) -> Option<&Value> {
        Some(self.value())
    }

    /// The member's text is kept with the record's other texts (one allocation for all).
    fn read_member<'de, A: de::MapAccess<'de>>(
        map: &mut A,
        slot: &mut Lenient<Self>,
        buffers: &mut Buffers,
    ) -> Result<(), A::Error> {
        let text = crate::raw::next_text(map)?;
        *slot = if *text == *"null" {
            Lenient::Null
        } else {
            crate::raw::check_depth(&text)?;
            Lenient::Known(buffers.lazy_value(&text))
        };
        Ok(())
    }

    fn share_texts(&mut self, texts: &Arc<str>) {
        self.share(texts);
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

/// A record's string member from a `String`, as for a field of type `Lenient<String>`.
impl From<String> for Lenient<compact_str::CompactString> {
    fn from(s: String) -> Self {
        Lenient::Known(s.into())
    }
}

/// A record's string member from a `&str`.
impl From<&str> for Lenient<compact_str::CompactString> {
    fn from(s: &str) -> Self {
        Lenient::Known(s.into())
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
        // A type the string does not fit is asked once more through a `Value`, which some
        // types read and a bare string does not (`LazyValue` wants JSON text).
        Ok(Self::string(v).unwrap_or_else(|| Lenient::from_value(Value::String(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Self::string(&v).unwrap_or_else(|| Lenient::from_value(Value::String(v))))
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

/// The JSON scalars a type holds as they are: each `Some` is the value read, which re-encodes
/// to the very scalar (a JSON string is a `String`, an integer within range an `i64`), so
/// [`ExactInto`] stores it without the check [`LenientVisitor`] makes. `None` (the default)
/// sends the scalar through [`LenientVisitor`].
trait Exact: Sized {
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    /// The string back when the type does not hold it.
    fn from_string(s: String) -> Result<Self, String> {
        Self::from_str(&s).ok_or(s)
    }
    fn from_i64(_: i64) -> Option<Self> {
        None
    }
    fn from_u64(_: u64) -> Option<Self> {
        None
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

/// Reads a [`Lenient`] of an [`Exact`] type into a record's field: a scalar the type holds as
/// it is becomes [`Lenient::Known`] directly; anything else goes through [`LenientVisitor`],
/// with the same outcome as [`Lenient::from_value`]. The value is written into the field, not
/// returned and moved there.
struct ExactInto<'a, T>(&'a mut Lenient<T>);

impl<'de, T: Exact + DeserializeOwned + Serialize> de::DeserializeSeed<'de> for ExactInto<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<T> ExactInto<'_, T> {
    /// Writes the scalar the type holds as it is (`known`), or else what `other` reads.
    fn store<E>(
        self,
        known: Option<T>,
        other: impl FnOnce() -> Result<Lenient<T>, E>,
    ) -> Result<(), E> {
        *self.0 = match known {
            Some(t) => Lenient::Known(t),
            None => other()?,
        };
        Ok(())
    }
}

impl<'de, T: Exact + DeserializeOwned + Serialize> Visitor<'de> for ExactInto<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.store(T::from_str(v), || LenientVisitor(PhantomData).visit_str(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<(), E> {
        *self.0 = match T::from_string(v) {
            Ok(t) => Lenient::Known(t),
            Err(v) => LenientVisitor(PhantomData).visit_string(v)?,
        };
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.store(T::from_i64(v), || LenientVisitor(PhantomData).visit_i64(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.store(T::from_u64(v), || LenientVisitor(PhantomData).visit_u64(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.store(T::from_bool(v), || {
            LenientVisitor(PhantomData).visit_bool(v)
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        *self.0 = LenientVisitor(PhantomData).visit_f64(v)?;
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        *self.0 = Lenient::Null;
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        *self.0 = Lenient::Null;
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        *self.0 = LenientVisitor(PhantomData).visit_seq(seq)?;
        Ok(())
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        *self.0 = LenientVisitor(PhantomData).visit_map(map)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
