//! Example arguments valid under an input schema, enumerated deterministically: what the
//! tests of generated connectors feed to `call_tool` to show that every schema-valid argument
//! object deserialises into the action's params.

use serde_json::{json, Map, Value};

/// How many `$ref`s deep an example goes before it picks alternatives without one.
const MAX_DEPTH: usize = 3;

/// `count` argument objects valid under `schema` (an input schema as
/// [`ToolDefinition::input_schema`](super::ToolDefinition::input_schema) has it: the
/// vocabulary `type`, `properties`, `required`, `additionalProperties`, `propertyNames`,
/// `items`, `enum`, `anyOf`, `$ref` into `$defs`, `minProperties`/`maxProperties` 1).
///
/// Example `i` takes the `i`-th alternative wherever there is a choice (enum value, one-of
/// property, operator, array length 0 to 2), and sets only the required properties when `i`
/// is 0, every property otherwise; so `count` at least the longest enum or property list
/// covers every alternative at least once.
pub fn example_arguments(schema: &Value, count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| Examples { root: schema }.value(schema, i, 0))
        .collect()
}

struct Examples<'a> {
    root: &'a Value,
}

impl Examples<'_> {
    fn value(&self, schema: &Value, i: usize, depth: usize) -> Value {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let resolved = target
                .strip_prefix('#')
                .and_then(|p| self.root.pointer(p))
                .unwrap_or(&Value::Null);
            return self.value(resolved, i, depth + 1);
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values
                .get(i % values.len().max(1))
                .cloned()
                .unwrap_or(Value::Null);
        }
        if let Some(alts) = schema.get("anyOf").and_then(Value::as_array) {
            return match alts.get(i % alts.len().max(1)) {
                Some(alt) => self.value(alt, i / alts.len().max(1), depth),
                None => Value::Null,
            };
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") => json!(format!("example {i}")),
            Some("integer") => json!(i),
            Some("number") => json!(i as f64 + 0.5),
            Some("boolean") => json!(i % 2 == 0),
            Some("null") => Value::Null,
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                Value::Array(
                    (0..i % 3)
                        .map(|k| self.value(items, i + k, depth))
                        .collect(),
                )
            }
            Some("object") => self.object(schema, i, depth),
            // Any JSON: a few shapes in turn.
            _ => [json!(null), json!(1), json!("text"), json!({"k": [true]})][i % 4].clone(),
        }
    }

    fn object(&self, schema: &Value, i: usize, depth: usize) -> Value {
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let one = schema.get("maxProperties").and_then(Value::as_u64) == Some(1);
        let mut out = Map::new();
        if one {
            if properties.is_empty() {
                // `{name: value}` with the name from `propertyNames`.
                let names = schema
                    .pointer("/propertyNames/enum")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_else(|| vec![json!("key")]);
                let name = names[i % names.len().max(1)]
                    .as_str()
                    .unwrap_or("key")
                    .to_string();
                let value_schema = schema.get("additionalProperties").unwrap_or(&Value::Null);
                out.insert(name, self.value(value_schema, i, depth));
            } else {
                // One of the properties; past the depth limit one that does not recurse.
                let candidates: Vec<(&String, &Value)> = properties
                    .iter()
                    .filter(|(_, s)| depth < MAX_DEPTH || !s.to_string().contains("$ref"))
                    .collect();
                if let Some((name, s)) = candidates.get(i % candidates.len().max(1)) {
                    out.insert((*name).clone(), self.value(s, i / candidates.len(), depth));
                }
            }
            return Value::Object(out);
        }
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (k, (name, s)) in properties.iter().enumerate() {
            if i > 0 || required.contains(&name.as_str()) {
                out.insert(name.clone(), self.value(s, i + k, depth));
            }
        }
        Value::Object(out)
    }
}
