//! Integers as the input schema counts them: JSON Schema calls any number with a zero
//! fraction an `integer` (`1.0`, `1e300`, `9223372036854775808`), while a params struct reads
//! `i64`. [`read_integers`] walks schema-valid arguments beside their schema and, wherever the
//! schema says `integer`, writes an integral number inside the `i64` range as that integer
//! (`1.0` becomes `1`) and reports one outside it, and one it cannot know exactly: serde_json
//! reads a number written with a fraction or an exponent, or a negative integer past 64 bits,
//! as an `f64`, which past 2^53 stands for many integers (`-9223372036854775809` reads as
//! exactly `i64::MIN`), so such a number is an integer only below 2^53 in magnitude. Values the schema leaves open (`{}`, any
//! JSON) are not touched: they are sent as received.

use serde_json::Value;

/// How many `$ref`s may follow one another without descending into the value: more is a
/// schema that refers to itself in a loop, whose values are left as they are.
const MAX_REF_CHAIN: usize = 16;

/// Why an `integer` argument is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    /// Outside the `i64` range.
    Range,
    /// Read as an `f64` of 2^53 or more in magnitude: not known exactly.
    Inexact,
}

/// Below this magnitude every integer is an `f64` of its own (2^53).
const EXACT_F64: f64 = 9_007_199_254_740_992.0;

/// Writes every integral number where `schema` says `integer` as an `i64`, in place, and
/// returns the arguments whose number is not read (see [`Fault`]): their JSON pointers
/// (`/per_page`, `/query/filter/in/created_at/0`). `args` must be valid under `schema` (the
/// walk follows `properties`, `additionalProperties`, `items`, `anyOf` and `$ref` into the
/// schema's root; it does not check).
pub(super) fn read_integers(args: &mut Value, schema: &Value) -> Vec<(String, Fault)> {
    let mut out = Vec::new();
    let mut walk = Walk {
        root: schema,
        out: &mut out,
    };
    walk.value(args, schema, &mut String::new(), 0);
    out
}

struct Walk<'a> {
    root: &'a Value,
    out: &'a mut Vec<(String, Fault)>,
}

impl<'a> Walk<'a> {
    fn value(&mut self, value: &mut Value, schema: &'a Value, pointer: &mut String, refs: usize) {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            if refs >= MAX_REF_CHAIN {
                return;
            }
            if let Some(resolved) = target.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                self.value(value, resolved, pointer, refs + 1);
            }
            // A `$ref` beside other keywords (`description`) is walked as well: below.
        }
        if let Some(alternatives) = schema.get("anyOf").and_then(Value::as_array) {
            // The first alternative whose type admits the value (the generated schemas use
            // `anyOf` for a nullable type: the type, or `null`).
            if let Some(alt) = alternatives.iter().find(|a| admits(a, value)) {
                self.value(value, alt, pointer, refs);
            }
        }
        match value {
            Value::Number(n) if says(schema, "integer") && !says(schema, "number") => {
                if n.is_i64() {
                    return;
                }
                let fault = match n.as_f64() {
                    _ if n.is_u64() => Fault::Range,
                    Some(f) if !fits_i64(f) => Fault::Range,
                    // Exact: an integral f64 below 2^53 in magnitude is that integer.
                    Some(f) if f.fract() == 0.0 && f.abs() < EXACT_F64 => {
                        *value = Value::from(f as i64);
                        return;
                    }
                    _ => Fault::Inexact,
                };
                self.out.push((pointer.clone(), fault));
            }
            Value::Object(members) => {
                let properties = schema.get("properties").and_then(Value::as_object);
                let additional = schema.get("additionalProperties").filter(|a| a.is_object());
                for (name, member) in members.iter_mut() {
                    let Some(sub) = properties.and_then(|p| p.get(name)).or(additional) else {
                        continue;
                    };
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&name.replace('~', "~0").replace('/', "~1"));
                    self.value(member, sub, pointer, 0);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                if let Some(sub) = schema.get("items") {
                    for (i, item) in items.iter_mut().enumerate() {
                        let len = pointer.len();
                        pointer.push_str(&format!("/{i}"));
                        self.value(item, sub, pointer, 0);
                        pointer.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `schema`'s `type` is or lists `ty`.
fn says(schema: &Value, ty: &str) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == ty,
        Some(Value::Array(ts)) => ts.iter().any(|t| t == ty),
        _ => false,
    }
}

/// Whether `schema`'s `type` admits `value`'s JSON type (a schema without `type` admits all).
fn admits(schema: &Value, value: &Value) -> bool {
    if schema.get("type").is_none() {
        return true;
    }
    match value {
        Value::Null => says(schema, "null"),
        Value::Bool(_) => says(schema, "boolean"),
        Value::Number(_) => says(schema, "number") || says(schema, "integer"),
        Value::String(_) => says(schema, "string"),
        Value::Array(_) => says(schema, "array"),
        Value::Object(_) => says(schema, "object"),
    }
}

/// Whether the integral `f` is an `i64`: -2^63 <= f < 2^63 (both bounds exact in `f64`).
fn fits_i64(f: f64) -> bool {
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
}
