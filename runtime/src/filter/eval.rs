//! Local evaluation: [`Condition::matches`] (and [`Filter::matches`]), the one implementation
//! of the search semantics, with the field lookup and the JSON comparisons it uses.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Condition, Filter};

impl Condition {
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

impl<E> Filter<E> {
    /// Evaluates the filter against a record locally (see [`Condition::matches`]).
    pub fn matches(&self, record: &Value) -> bool {
        self.condition().matches(record)
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

#[cfg(test)]
mod tests {
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
