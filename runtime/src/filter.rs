//! The search DSL: an untyped condition tree ([`Condition`]) with its JSON form and its
//! local evaluation ([`Condition::matches`]), and a typed layer on top of it ([`Filter`],
//! [`Field`], [`Sort`], [`Query`], [`FieldPath`]) that generated crates instantiate once per
//! searchable entity.
//!
//! The JSON form is the one the reference documents show:
//!
//! ```
//! use airbyte_agent_runtime::filter::Condition;
//! use serde_json::json;
//!
//! let c = Condition::And(vec![
//!     Condition::Eq("role".into(), json!("user")),
//!     Condition::Gte("created_at".into(), json!(1719492962)),
//! ]);
//! assert_eq!(
//!     serde_json::to_value(&c).unwrap(),
//!     json!({"and": [{"eq": {"role": "user"}}, {"gte": {"created_at": 1719492962}}]})
//! );
//! assert!(c.matches(&json!({"role": "user", "created_at": 1719492999})));
//! ```
//!
//! The typed layer rejects misuse at compile time: ordering operators exist only on numeric
//! and timestamp fields, text operators only on text fields.
//!
//! ```compile_fail,E0599
//! use airbyte_agent_runtime::filter::{Field, Text};
//! struct Contacts;
//! const EMAIL: Field<Contacts, Text> = Field::new("email");
//! let _ = EMAIL.gt(3); // no `gt` on a text field
//! ```
//!
//! ```compile_fail,E0599
//! use airbyte_agent_runtime::filter::{Field, Integer};
//! struct Contacts;
//! const CREATED: Field<Contacts, Integer> = Field::new("created_at");
//! let _ = CREATED.like("%x"); // no `like` on an integer field
//! ```

// Layout: this file is the typed DSL users write (field kinds, `Field` and its operators,
// `&`/`|`/`!` on filters, the conversions into a `Query`); `condition` is the untyped tree and
// its JSON form, `eval` the local evaluation, `query` the entity-typed `Filter`, `Sort`,
// `Query` and `FieldPath`. `Field` and the `From<..> for Query` impls must stay in this file:
// the compile-fail expectations in `tests/ui/*.stderr` name `runtime/src/filter.rs` as where
// they are defined.

use std::fmt;
use std::marker::PhantomData;

use serde_json::Value;

mod condition;
mod eval;
mod query;

pub use condition::Condition;
pub use eval::{lookup, values_equal};
pub use query::{FieldPath, Filter, Query, Sort, SortOrder};

/// Kind of a text field: `eq`, `neq`, `in_`, `like`, `fuzzy`, `keyword`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Text;
/// Kind of an integer field: `eq`, `neq`, `in_`, `gt`, `gte`, `lt`, `lte` with `i64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Integer;
/// Kind of a number field: `eq`, `neq`, `in_`, `gt`, `gte`, `lt`, `lte` with `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Number;
/// Kind of a boolean field: `eq`, `neq`, `in_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Boolean;
/// Kind of an object or array field: `eq`, `neq`, `in_` with `serde_json::Value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Json;
/// Kind of a date-time field sent as text (e.g. RFC 3339): `eq`, `neq`, `in_` and the ordering
/// operators, compared lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Timestamp;

/// The negation of a filter, as a free function: `not(email.eq("x"))`.
pub fn not<E>(filter: Filter<E>) -> Filter<E> {
    filter.not()
}

impl<E> std::ops::BitAnd for Filter<E> {
    type Output = Filter<E>;
    fn bitand(self, rhs: Self) -> Self {
        self.and(rhs)
    }
}

impl<E> std::ops::BitOr for Filter<E> {
    type Output = Filter<E>;
    fn bitor(self, rhs: Self) -> Self {
        self.or(rhs)
    }
}

impl<E> std::ops::Not for Filter<E> {
    type Output = Filter<E>;
    fn not(self) -> Self {
        Filter::not(self)
    }
}

/// A typed handle on a searchable field of entity `E` with kind `K` ([`Text`], [`Integer`],
/// [`Number`], [`Boolean`], [`Json`], [`Timestamp`]). Generated crates expose one per field.
pub struct Field<E, K> {
    name: &'static str,
    _marker: PhantomData<fn() -> (E, K)>,
}

impl<E, K> Field<E, K> {
    /// A handle on the field named `name` (verbatim; a dotted name is one literal key).
    pub const fn new(name: &'static str) -> Self {
        Field {
            name,
            _marker: PhantomData,
        }
    }

    /// The field's name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Sorts ascending by this field.
    pub fn asc(&self) -> Sort<E> {
        Sort::new(self.name, SortOrder::Asc)
    }

    /// Sorts descending by this field.
    pub fn desc(&self) -> Sort<E> {
        Sort::new(self.name, SortOrder::Desc)
    }

    /// The projection path of this field (one segment).
    pub fn path(&self) -> FieldPath<E> {
        FieldPath::from_segments([self.name])
    }

    fn filter(&self, make: impl FnOnce(String) -> Condition) -> Filter<E> {
        Filter::from_condition(make(self.name.to_owned()))
    }
}

impl<E, K> Clone for Field<E, K> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, K> Copy for Field<E, K> {}

impl<E, K> fmt::Debug for Field<E, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Field").field(&self.name).finish()
    }
}

impl<E, K> From<Field<E, K>> for FieldPath<E> {
    fn from(f: Field<E, K>) -> Self {
        f.path()
    }
}

macro_rules! equality_ops {
    ($kind:ty, $arg:ty, $conv:expr, $doc:literal) => {
        impl<E> Field<E, $kind> {
            #[doc = concat!("Equal to `value` (", $doc, ").")]
            pub fn eq(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Eq(f, v))
            }
            #[doc = concat!("Not equal to `value` (", $doc, ").")]
            pub fn neq(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Neq(f, v))
            }
            #[doc = concat!("Equal to any of `values` (", $doc, ").")]
            pub fn in_(&self, values: impl IntoIterator<Item = $arg>) -> Filter<E> {
                let vs = values.into_iter().map($conv).collect();
                self.filter(|f| Condition::In(f, vs))
            }
        }
    };
}

fn text_value(s: impl Into<String>) -> Value {
    Value::String(s.into())
}
fn int_value(i: i64) -> Value {
    Value::from(i)
}
/// A number filter value. JSON has no NaN or infinity, and serde_json would write them as
/// `null` (which `eq` would read as "the field is null"): a non-finite value is sent as its
/// text (`"NaN"`, `"inf"`, `"-inf"`), which matches no number locally and which a server
/// rejects or matches against nothing, never as a changed number.
fn num_value(x: impl Into<f64>) -> Value {
    let x = x.into();
    if x.is_finite() {
        Value::from(x)
    } else {
        Value::String(x.to_string())
    }
}
fn bool_value(b: bool) -> Value {
    Value::Bool(b)
}
fn json_value(v: Value) -> Value {
    v
}

equality_ops!(Text, impl Into<String>, text_value, "text");
equality_ops!(Integer, i64, int_value, "integer");
equality_ops!(Number, impl Into<f64>, num_value, "number");
equality_ops!(Boolean, bool, bool_value, "boolean");
equality_ops!(Json, Value, json_value, "any JSON value");
equality_ops!(Timestamp, impl Into<String>, text_value, "date-time text");
/// Field kinds with an order: the ones `gt`, `gte`, `lt` and `lte` take ([`Integer`],
/// [`Number`], [`Timestamp`]). Using an ordering operator on another kind is a compile error
/// that says so.
#[diagnostic::on_unimplemented(
    message = "`gt`, `gte`, `lt` and `lte` compare ordered fields; this field is of kind `{Self}`",
    label = "not an ordered field",
    note = "ordering operators apply to integer, number and date-time fields; on a text field use `eq`, `neq`, `in_`, `like`, `fuzzy` or `keyword`"
)]
pub trait Ordered {}

impl Ordered for Integer {}
impl Ordered for Number {}
impl Ordered for Timestamp {}

/// A value an ordering operator takes on a field of kind `K`: `i64` for [`Integer`], anything
/// that converts into `f64` for [`Number`], text for [`Timestamp`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a bound for a field of kind `{K}`",
    note = "integer fields take `i64`, number fields `f64` (or a smaller number), date-time fields text"
)]
pub trait Bound<K> {
    /// The bound as the JSON value sent.
    fn into_value(self) -> Value;
}

impl Bound<Integer> for i64 {
    fn into_value(self) -> Value {
        int_value(self)
    }
}

macro_rules! number_bounds {
    ($($t:ty),*) => {$(
        impl Bound<Number> for $t {
            fn into_value(self) -> Value {
                num_value(self)
            }
        }
    )*};
}
number_bounds!(f64, f32, i32, u32, i16, u16, i8, u8);

impl<T: Into<String>> Bound<Timestamp> for T {
    fn into_value(self) -> Value {
        text_value(self)
    }
}

/// Field kinds that hold text: the ones `like`, `fuzzy` and `keyword` take ([`Text`]). Using
/// a text operator on another kind is a compile error that says so.
#[diagnostic::on_unimplemented(
    message = "`like`, `fuzzy` and `keyword` match text fields; this field is of kind `{Self}`",
    label = "not a text field",
    note = "on integer, number and date-time fields use `eq`, `neq`, `in_`, `gt`, `gte`, `lt` or `lte`"
)]
pub trait Textual {}

impl Textual for Text {}

impl<E, K> Field<E, K> {
    /// Greater than `bound` (integer, number and date-time fields).
    pub fn gt(&self, bound: impl Bound<K>) -> Filter<E>
    where
        K: Ordered,
    {
        let v = bound.into_value();
        self.filter(|f| Condition::Gt(f, v))
    }
    /// Greater than or equal to `bound` (integer, number and date-time fields).
    pub fn gte(&self, bound: impl Bound<K>) -> Filter<E>
    where
        K: Ordered,
    {
        let v = bound.into_value();
        self.filter(|f| Condition::Gte(f, v))
    }
    /// Less than `bound` (integer, number and date-time fields).
    pub fn lt(&self, bound: impl Bound<K>) -> Filter<E>
    where
        K: Ordered,
    {
        let v = bound.into_value();
        self.filter(|f| Condition::Lt(f, v))
    }
    /// Less than or equal to `bound` (integer, number and date-time fields).
    pub fn lte(&self, bound: impl Bound<K>) -> Filter<E>
    where
        K: Ordered,
    {
        let v = bound.into_value();
        self.filter(|f| Condition::Lte(f, v))
    }

    /// SQL-like pattern match: `%` any run of characters, `_` one character, case-insensitive
    /// (text fields).
    pub fn like(&self, pattern: impl Into<String>) -> Filter<E>
    where
        K: Textual,
    {
        let p = pattern.into();
        self.filter(|f| Condition::Like(f, p))
    }
    /// The query's words appear in order, case-insensitive (text fields).
    pub fn fuzzy(&self, text: impl Into<String>) -> Filter<E>
    where
        K: Textual,
    {
        let t = text.into();
        self.filter(|f| Condition::Fuzzy(f, t))
    }
    /// Any of the query's words is present as a word, case-insensitive (text fields).
    pub fn keyword(&self, text: impl Into<String>) -> Filter<E>
    where
        K: Textual,
    {
        let t = text.into();
        self.filter(|f| Condition::Keyword(f, t))
    }
}

impl<E> From<Filter<E>> for Query<E> {
    fn from(f: Filter<E>) -> Self {
        Query::new().filter(f)
    }
}

impl<E> From<Sort<E>> for Query<E> {
    fn from(s: Sort<E>) -> Self {
        Query::new().sort(s)
    }
}

#[cfg(test)]
mod tests;
