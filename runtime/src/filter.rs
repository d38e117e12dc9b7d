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

use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

use serde::de::Error as _;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

// ---------------------------------------------------------------------------------------------
// Untyped AST
// ---------------------------------------------------------------------------------------------

/// An untyped search condition, serialised exactly as the documents' query JSON
/// (`{"eq": {"email": "a@b.c"}}`, `{"in": {"role": ["user", "lead"]}}`, `{"not": {..}}`,
/// `{"and": [..]}`).
///
/// Field names are kept verbatim: a literal dotted key such as `event.type` is one name.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `{"eq": {field: value}}`: JSON equality (numbers compared numerically).
    Eq(String, Value),
    /// `{"neq": {field: value}}`: negation of `eq`.
    Neq(String, Value),
    /// `{"gt": {field: value}}`: greater than (numbers numerically, strings lexicographically).
    Gt(String, Value),
    /// `{"gte": {field: value}}`: greater than or equal.
    Gte(String, Value),
    /// `{"lt": {field: value}}`: less than.
    Lt(String, Value),
    /// `{"lte": {field: value}}`: less than or equal.
    Lte(String, Value),
    /// `{"in": {field: [values]}}`: equal to any of the values.
    In(String, Vec<Value>),
    /// `{"like": {field: pattern}}`: SQL-like pattern, `%` any run, `_` one character,
    /// case-insensitive; `\` escapes the next character.
    Like(String, String),
    /// `{"fuzzy": {field: text}}`: the query's words appear in order, case-insensitive.
    Fuzzy(String, String),
    /// `{"keyword": {field: text}}`: any query word is present as a word, case-insensitive.
    Keyword(String, String),
    /// `{"not": condition}`.
    Not(Box<Condition>),
    /// `{"and": [conditions]}`; an empty list matches everything.
    And(Vec<Condition>),
    /// `{"or": [conditions]}`; an empty list matches nothing.
    Or(Vec<Condition>),
    /// Any JSON, sent unchanged. Deserialising yields `Raw` for JSON that is not a known
    /// condition shape; [`Condition::matches`] evaluates a `Raw` that parses as a condition and
    /// is `false` otherwise.
    Raw(Value),
}

impl Condition {
    /// The operator key of this condition (`"eq"`, `"in"`, `"and"`, ...), `None` for `Raw`.
    pub fn operator(&self) -> Option<&'static str> {
        Some(match self {
            Condition::Eq(..) => "eq",
            Condition::Neq(..) => "neq",
            Condition::Gt(..) => "gt",
            Condition::Gte(..) => "gte",
            Condition::Lt(..) => "lt",
            Condition::Lte(..) => "lte",
            Condition::In(..) => "in",
            Condition::Like(..) => "like",
            Condition::Fuzzy(..) => "fuzzy",
            Condition::Keyword(..) => "keyword",
            Condition::Not(..) => "not",
            Condition::And(..) => "and",
            Condition::Or(..) => "or",
            Condition::Raw(..) => return None,
        })
    }

    /// The condition as JSON.
    pub fn to_value(&self) -> Value {
        fn single(op: &str, field: &str, v: Value) -> Value {
            let mut inner = Map::new();
            inner.insert(field.to_owned(), v);
            let mut outer = Map::new();
            outer.insert(op.to_owned(), Value::Object(inner));
            Value::Object(outer)
        }
        fn wrap(op: &str, v: Value) -> Value {
            let mut outer = Map::new();
            outer.insert(op.to_owned(), v);
            Value::Object(outer)
        }
        let op = self.operator().unwrap_or("");
        match self {
            Condition::Eq(f, v)
            | Condition::Neq(f, v)
            | Condition::Gt(f, v)
            | Condition::Gte(f, v)
            | Condition::Lt(f, v)
            | Condition::Lte(f, v) => single(op, f, v.clone()),
            Condition::In(f, vs) => single(op, f, Value::Array(vs.clone())),
            Condition::Like(f, s) | Condition::Fuzzy(f, s) | Condition::Keyword(f, s) => {
                single(op, f, Value::String(s.clone()))
            }
            Condition::Not(c) => wrap(op, c.to_value()),
            Condition::And(cs) | Condition::Or(cs) => wrap(
                op,
                Value::Array(cs.iter().map(Condition::to_value).collect()),
            ),
            Condition::Raw(v) => v.clone(),
        }
    }

    /// Parses the documents' query JSON. Never fails: JSON that is not a known condition
    /// shape becomes [`Condition::Raw`] (nested conditions are parsed the same way).
    pub fn from_value(value: &Value) -> Condition {
        Self::parse(value).unwrap_or_else(|| Condition::Raw(value.clone()))
    }

    fn parse(value: &Value) -> Option<Condition> {
        let obj = value.as_object()?;
        if obj.len() != 1 {
            return None;
        }
        let (op, arg) = obj.iter().next()?;
        let field_arg = || -> Option<(String, &Value)> {
            let m = arg.as_object()?;
            if m.len() != 1 {
                return None;
            }
            m.iter().next().map(|(k, v)| (k.clone(), v))
        };
        let text = |v: &Value| v.as_str().map(str::to_owned);
        Some(match op.as_str() {
            "eq" => field_arg().map(|(f, v)| Condition::Eq(f, v.clone()))?,
            "neq" => field_arg().map(|(f, v)| Condition::Neq(f, v.clone()))?,
            "gt" => field_arg().map(|(f, v)| Condition::Gt(f, v.clone()))?,
            "gte" => field_arg().map(|(f, v)| Condition::Gte(f, v.clone()))?,
            "lt" => field_arg().map(|(f, v)| Condition::Lt(f, v.clone()))?,
            "lte" => field_arg().map(|(f, v)| Condition::Lte(f, v.clone()))?,
            "in" => {
                let (f, v) = field_arg()?;
                Condition::In(f, v.as_array()?.clone())
            }
            "like" => {
                let (f, v) = field_arg()?;
                Condition::Like(f, text(v)?)
            }
            "fuzzy" => {
                let (f, v) = field_arg()?;
                Condition::Fuzzy(f, text(v)?)
            }
            "keyword" => {
                let (f, v) = field_arg()?;
                Condition::Keyword(f, text(v)?)
            }
            "not" => {
                arg.as_object()?;
                Condition::Not(Box::new(Condition::from_value(arg)))
            }
            "and" => Condition::And(arg.as_array()?.iter().map(Condition::from_value).collect()),
            "or" => Condition::Or(arg.as_array()?.iter().map(Condition::from_value).collect()),
            _ => return None,
        })
    }

    /// The first part of the tree that is not a known condition ([`Condition::Raw`] without
    /// a known shape), e.g. an operator this runtime does not know. A server evaluating
    /// queries locally should reject such a query rather than guess.
    pub fn first_unknown(&self) -> Option<&Value> {
        match self {
            Condition::Raw(v) => match Condition::parse(v) {
                Some(c) if c.first_unknown().is_none() => None,
                _ => Some(v),
            },
            Condition::Not(c) => c.first_unknown(),
            Condition::And(cs) | Condition::Or(cs) => cs.iter().find_map(Condition::first_unknown),
            _ => None,
        }
    }

    /// Evaluates the condition against one record: the single implementation of the search
    /// semantics (used for local filtering and by test servers).
    ///
    /// * `eq`/`neq`/`in`: JSON equality, numbers compared numerically; a missing field equals
    ///   `null`.
    /// * `gt`/`gte`/`lt`/`lte`: numbers numerically, strings lexicographically; a missing or
    ///   `null` field, or mismatched types, never match.
    /// * `like`: `%` any run, `_` one character, `\` escape, case-insensitive, whole value.
    /// * `fuzzy`: the query's words appear in the value in order, case-insensitive.
    /// * `keyword`: any query word is one of the value's words, case-insensitive.
    ///
    /// Text operators apply to strings, numbers and booleans (by their JSON text); on an
    /// array they match when any element matches.
    ///
    /// Field lookup: the whole name as a literal key first, else a dotted path through nested
    /// objects (and array indices).
    pub fn matches(&self, record: &Value) -> bool {
        match self {
            Condition::Eq(f, v) => values_equal(lookup(record, f).unwrap_or(&Value::Null), v),
            Condition::Neq(f, v) => !values_equal(lookup(record, f).unwrap_or(&Value::Null), v),
            Condition::Gt(f, v) => compare(lookup(record, f), v) == Some(Ordering::Greater),
            Condition::Gte(f, v) => matches!(
                compare(lookup(record, f), v),
                Some(Ordering::Greater | Ordering::Equal)
            ),
            Condition::Lt(f, v) => compare(lookup(record, f), v) == Some(Ordering::Less),
            Condition::Lte(f, v) => matches!(
                compare(lookup(record, f), v),
                Some(Ordering::Less | Ordering::Equal)
            ),
            Condition::In(f, vs) => {
                let actual = lookup(record, f).unwrap_or(&Value::Null);
                vs.iter().any(|v| values_equal(actual, v))
            }
            Condition::Like(f, p) => text_match(lookup(record, f), |t| like_match(t, p)),
            Condition::Fuzzy(f, q) => text_match(lookup(record, f), |t| fuzzy_match(t, q)),
            Condition::Keyword(f, q) => text_match(lookup(record, f), |t| keyword_match(t, q)),
            Condition::Not(c) => !c.matches(record),
            Condition::And(cs) => cs.iter().all(|c| c.matches(record)),
            Condition::Or(cs) => cs.iter().any(|c| c.matches(record)),
            Condition::Raw(v) => match Condition::parse(v) {
                Some(c) => c.matches(record),
                None => false,
            },
        }
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(deserializer)?;
        if !v.is_object() {
            return Err(D::Error::custom(
                "a search condition must be a JSON object such as {\"eq\": {\"field\": value}}",
            ));
        }
        Ok(Condition::from_value(&v))
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_value())
    }
}

/// Looks a field up in a record: the whole name as a literal key first, else a dotted path
/// through nested objects (a segment that is a number also indexes arrays).
pub fn lookup<'a>(record: &'a Value, field: &str) -> Option<&'a Value> {
    if let Some(v) = record.as_object().and_then(|m| m.get(field)) {
        return Some(v);
    }
    if !field.contains('.') {
        return None;
    }
    let mut cur = record;
    for seg in field.split('.') {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

/// JSON equality with numbers compared by value (`1 == 1.0`), recursively.
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_cmp(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| values_equal(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| values_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Compares two JSON numbers exactly: integers as integers, an integer and a float without
/// rounding the integer through `f64` (9007199254740993 is not 9007199254740992.0).
fn num_cmp(x: &serde_json::Number, y: &serde_json::Number) -> Option<Ordering> {
    let int = |n: &serde_json::Number| {
        n.as_i64()
            .map(i128::from)
            .or_else(|| n.as_u64().map(i128::from))
    };
    match (int(x), int(y)) {
        (Some(a), Some(b)) => Some(a.cmp(&b)),
        (Some(a), None) => int_float_cmp(a, y.as_f64()?),
        (None, Some(b)) => int_float_cmp(b, x.as_f64()?).map(Ordering::reverse),
        (None, None) => x.as_f64()?.partial_cmp(&y.as_f64()?),
    }
}

fn int_float_cmp(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // Beyond what any JSON integer here can hold (u64 < 2^64 < 1e20).
    if f >= 1e20 {
        return Some(Ordering::Less);
    }
    if f <= -1e20 {
        return Some(Ordering::Greater);
    }
    let floor = f.floor();
    // `floor` is integral and within i128, so the cast is exact.
    match i.cmp(&(floor as i128)) {
        Ordering::Equal if f > floor => Some(Ordering::Less),
        other => Some(other),
    }
}

fn compare(actual: Option<&Value>, query: &Value) -> Option<Ordering> {
    match (actual?, query) {
        (Value::Number(a), Value::Number(b)) => num_cmp(a, b),
        (Value::String(a), Value::String(b)) => Some(a.as_str().cmp(b.as_str())),
        _ => None,
    }
}

fn text_match(actual: Option<&Value>, pred: impl Fn(&str) -> bool + Copy) -> bool {
    match actual {
        Some(Value::String(s)) => pred(s),
        Some(Value::Number(n)) => pred(&n.to_string()),
        Some(Value::Bool(b)) => pred(if *b { "true" } else { "false" }),
        Some(Value::Array(items)) => items.iter().any(|v| text_match(Some(v), pred)),
        _ => false,
    }
}

/// SQL `LIKE` over characters, case-insensitive; `%` any run, `_` one character, `\` escape.
fn like_match(text: &str, pattern: &str) -> bool {
    enum Tok {
        Any,
        One,
        Lit(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars().flat_map(char::to_lowercase);
    while let Some(c) = chars.next() {
        toks.push(match c {
            '%' => Tok::Any,
            '_' => Tok::One,
            '\\' => Tok::Lit(chars.next().unwrap_or('\\')),
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    // Iterative wildcard matching with backtracking to the last `%` (linear space).
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Tok::One) => {
                t += 1;
                p += 1;
            }
            Some(Tok::Lit(c)) if *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| matches!(t, Tok::Any))
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn fuzzy_match(text: &str, query: &str) -> bool {
    let hay = text.to_lowercase();
    let mut from = 0usize;
    for word in query.split_whitespace().map(str::to_lowercase) {
        match hay[from..].find(&word) {
            Some(i) => from += i + word.len(),
            None => return false,
        }
    }
    true
}

fn keyword_match(text: &str, query: &str) -> bool {
    let have: std::collections::HashSet<String> = words(text).collect();
    words(query).any(|w| have.contains(&w))
}

// ---------------------------------------------------------------------------------------------
// Typed layer
// ---------------------------------------------------------------------------------------------

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

/// A search filter on entity `E` (a marker type, one per searchable entity).
///
/// Combine with `&`, `|`, `!` or [`Filter::and`], [`Filter::or`], [`Filter::not`].
pub struct Filter<E> {
    condition: Condition,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Filter<E> {
    /// Wraps an untyped condition.
    pub fn from_condition(condition: Condition) -> Self {
        Filter {
            condition,
            _entity: PhantomData,
        }
    }

    /// Escape hatch: any JSON, sent unchanged (parsed into a [`Condition`] when it has a known
    /// shape, so local evaluation still works).
    pub fn raw(value: Value) -> Self {
        Self::from_condition(Condition::from_value(&value))
    }

    /// The untyped condition.
    pub fn condition(&self) -> &Condition {
        &self.condition
    }

    /// Consumes the filter, returning the untyped condition.
    pub fn into_condition(self) -> Condition {
        self.condition
    }

    /// Both filters; nested `and`s are flattened.
    pub fn and(self, other: Filter<E>) -> Self {
        let mut items = Vec::new();
        for c in [self.condition, other.condition] {
            match c {
                Condition::And(cs) => items.extend(cs),
                c => items.push(c),
            }
        }
        Self::from_condition(Condition::And(items))
    }

    /// Either filter; nested `or`s are flattened.
    pub fn or(self, other: Filter<E>) -> Self {
        let mut items = Vec::new();
        for c in [self.condition, other.condition] {
            match c {
                Condition::Or(cs) => items.extend(cs),
                c => items.push(c),
            }
        }
        Self::from_condition(Condition::Or(items))
    }

    /// The negation of this filter.
    #[allow(clippy::should_implement_trait)] // `!` is implemented too; this is the named form.
    pub fn not(self) -> Self {
        Self::from_condition(Condition::Not(Box::new(self.condition)))
    }

    /// Evaluates the filter against a record locally (see [`Condition::matches`]).
    pub fn matches(&self, record: &Value) -> bool {
        self.condition.matches(record)
    }
}

/// The negation of a filter, as a free function: `not(email.eq("x"))`.
pub fn not<E>(filter: Filter<E>) -> Filter<E> {
    filter.not()
}

impl<E> Clone for Filter<E> {
    fn clone(&self) -> Self {
        Self::from_condition(self.condition.clone())
    }
}

impl<E> fmt::Debug for Filter<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Filter").field(&self.condition).finish()
    }
}

impl<E> PartialEq for Filter<E> {
    fn eq(&self, other: &Self) -> bool {
        self.condition == other.condition
    }
}

impl<E> Serialize for Filter<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.condition.serialize(serializer)
    }
}

impl<'de, E> Deserialize<'de> for Filter<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Condition::deserialize(deserializer).map(Self::from_condition)
    }
}

impl<E> From<Filter<E>> for Condition {
    fn from(f: Filter<E>) -> Self {
        f.condition
    }
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

macro_rules! ordering_ops {
    ($kind:ty, $arg:ty, $conv:expr) => {
        impl<E> Field<E, $kind> {
            /// Greater than `value`.
            pub fn gt(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Gt(f, v))
            }
            /// Greater than or equal to `value`.
            pub fn gte(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Gte(f, v))
            }
            /// Less than `value`.
            pub fn lt(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Lt(f, v))
            }
            /// Less than or equal to `value`.
            pub fn lte(&self, value: $arg) -> Filter<E> {
                let v = $conv(value);
                self.filter(|f| Condition::Lte(f, v))
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
fn num_value(x: impl Into<f64>) -> Value {
    Value::from(x.into())
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
ordering_ops!(Integer, i64, int_value);
ordering_ops!(Number, impl Into<f64>, num_value);
ordering_ops!(Timestamp, impl Into<String>, text_value);

impl<E> Field<E, Text> {
    /// SQL-like pattern match: `%` any run of characters, `_` one character, case-insensitive.
    pub fn like(&self, pattern: impl Into<String>) -> Filter<E> {
        let p = pattern.into();
        self.filter(|f| Condition::Like(f, p))
    }
    /// The query's words appear in order, case-insensitive.
    pub fn fuzzy(&self, text: impl Into<String>) -> Filter<E> {
        let t = text.into();
        self.filter(|f| Condition::Fuzzy(f, t))
    }
    /// Any of the query's words is present as a word, case-insensitive.
    pub fn keyword(&self, text: impl Into<String>) -> Filter<E> {
        let t = text.into();
        self.filter(|f| Condition::Keyword(f, t))
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Ascending (`"asc"`).
    Asc,
    /// Descending (`"desc"`).
    Desc,
}

impl SortOrder {
    /// `"asc"` or `"desc"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// One sort key on entity `E`, serialised as `{"created_at": "desc"}`.
pub struct Sort<E> {
    field: String,
    order: SortOrder,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Sort<E> {
    /// A sort key on any field name (the typed way is [`Field::asc`] / [`Field::desc`]).
    pub fn new(field: impl Into<String>, order: SortOrder) -> Self {
        Sort {
            field: field.into(),
            order,
            _entity: PhantomData,
        }
    }
    /// The field name.
    pub fn field(&self) -> &str {
        &self.field
    }
    /// The direction.
    pub fn order(&self) -> SortOrder {
        self.order
    }
}

impl<E> Clone for Sort<E> {
    fn clone(&self) -> Self {
        Sort::new(self.field.clone(), self.order)
    }
}

impl<E> fmt::Debug for Sort<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sort")
            .field("field", &self.field)
            .field("order", &self.order)
            .finish()
    }
}

impl<E> PartialEq for Sort<E> {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field && self.order == other.order
    }
}

impl<E> Serialize for Sort<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(1))?;
        m.serialize_entry(&self.field, self.order.as_str())?;
        m.end()
    }
}

impl<'de, E> Deserialize<'de> for Sort<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let m = Map::<String, Value>::deserialize(deserializer)?;
        let mut it = m.into_iter();
        match (it.next(), it.next()) {
            (Some((field, order)), None) => {
                let order = SortOrder::deserialize(order).map_err(D::Error::custom)?;
                Ok(Sort::new(field, order))
            }
            _ => Err(D::Error::custom(
                "a sort key must be an object with one member",
            )),
        }
    }
}

/// A search query on entity `E`: `{"filter": {...}, "sort": [...]}`, empty parts omitted.
pub struct Query<E> {
    filter: Option<Filter<E>>,
    sort: Vec<Sort<E>>,
}

impl<E> Query<E> {
    /// An empty query (matches everything, server order).
    pub fn new() -> Self {
        Query {
            filter: None,
            sort: Vec::new(),
        }
    }

    /// Adds a filter; a second call combines with the first by `and`.
    pub fn filter(mut self, filter: Filter<E>) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(existing) => existing.and(filter),
            None => filter,
        });
        self
    }

    /// Appends a sort key (repeatable; earlier keys take precedence).
    pub fn sort(mut self, sort: Sort<E>) -> Self {
        self.sort.push(sort);
        self
    }

    /// The filter, if any.
    pub fn filter_ref(&self) -> Option<&Filter<E>> {
        self.filter.as_ref()
    }

    /// The sort keys.
    pub fn sorts(&self) -> &[Sort<E>] {
        &self.sort
    }

    /// Whether the query has neither filter nor sort.
    pub fn is_empty(&self) -> bool {
        self.filter.is_none() && self.sort.is_empty()
    }
}

impl<E> Default for Query<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for Query<E> {
    fn clone(&self) -> Self {
        Query {
            filter: self.filter.clone(),
            sort: self.sort.clone(),
        }
    }
}

impl<E> fmt::Debug for Query<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("filter", &self.filter)
            .field("sort", &self.sort)
            .finish()
    }
}

impl<E> PartialEq for Query<E> {
    fn eq(&self, other: &Self) -> bool {
        self.filter == other.filter && self.sort == other.sort
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

impl<E> Serialize for Query<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.filter.is_some()) + usize::from(!self.sort.is_empty());
        let mut m = serializer.serialize_map(Some(len))?;
        if let Some(f) = &self.filter {
            m.serialize_entry("filter", f)?;
        }
        if !self.sort.is_empty() {
            m.serialize_entry("sort", &self.sort)?;
        }
        m.end()
    }
}

impl<'de, E> Deserialize<'de> for Query<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            filter: Option<Condition>,
            #[serde(default)]
            sort: Vec<Map<String, Value>>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let mut q = Query::new();
        if let Some(c) = raw.filter {
            q.filter = Some(Filter::from_condition(c));
        }
        for m in raw.sort {
            let s: Sort<E> = Sort::deserialize(Value::Object(m)).map_err(D::Error::custom)?;
            q.sort.push(s);
        }
        Ok(q)
    }
}

/// A projection path on entity `E`: a list of segments, serialised as `["email"]`. A literal
/// dotted key (`event.type`) stays one segment.
pub struct FieldPath<E> {
    segments: Vec<String>,
    _entity: PhantomData<fn() -> E>,
}

impl<E> FieldPath<E> {
    /// A path from its segments (for nested members: `["location", "city"]`).
    pub fn from_segments<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        FieldPath {
            segments: segments.into_iter().map(Into::into).collect(),
            _entity: PhantomData,
        }
    }

    /// The segments.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl<E> Clone for FieldPath<E> {
    fn clone(&self) -> Self {
        FieldPath::from_segments(self.segments.iter().cloned())
    }
}

impl<E> fmt::Debug for FieldPath<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FieldPath").field(&self.segments).finish()
    }
}

impl<E> PartialEq for FieldPath<E> {
    fn eq(&self, other: &Self) -> bool {
        self.segments == other.segments
    }
}

impl<E> Serialize for FieldPath<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_seq(Some(self.segments.len()))?;
        for seg in &self.segments {
            s.serialize_element(seg)?;
        }
        s.end()
    }
}

impl<'de, E> Deserialize<'de> for FieldPath<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<String>::deserialize(deserializer).map(FieldPath::from_segments)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod exact_number_tests {
    use super::*;

    #[test]
    fn integers_and_floats_compare_exactly() {
        use serde_json::json;
        assert!(!values_equal(
            &json!(9007199254740993_i64),
            &json!(9007199254740992.0)
        ));
        assert!(values_equal(&json!(3), &json!(3.0)));
        assert!(values_equal(&json!(u64::MAX), &json!(u64::MAX)));
        assert_eq!(
            compare_numbers(&json!(2), &json!(2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare_numbers(&json!(-2.5), &json!(-3)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_numbers(&json!(1e30), &json!(u64::MAX)),
            Some(Ordering::Greater)
        );
    }

    fn compare_numbers(a: &Value, b: &Value) -> Option<Ordering> {
        num_cmp(a.as_number().unwrap(), b.as_number().unwrap())
    }
}
