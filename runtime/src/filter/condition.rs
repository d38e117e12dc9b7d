//! The untyped condition tree ([`Condition`]) and its JSON form, the query JSON the reference
//! documents show: building, parsing (unknown shapes kept as [`Condition::Raw`]) and
//! serialising. Local evaluation is in `eval`.

use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

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

    pub(super) fn parse(value: &Value) -> Option<Condition> {
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
