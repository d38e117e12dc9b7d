//! Records synthesised from a model's documented fields, for entities served without
//! fixtures.
//!
//! Record `i` of an entity is a pure function of the entity id, the field list and `i`: the
//! same sandbox serves the same records on every run. Each value has the field's documented
//! type (read from the type cell `model.yaml` stores, e.g. `string`, `array<object>`,
//! `"asc" | "desc"`, `string(date-time)`), with a few name conventions for realism: the key
//! field (the one that tells records apart, e.g. `id`, `gid`, `task_id`) is `<entity>-<i>`, or
//! `i + 1` when it is an integer (unique per entity), names with `email` look like addresses, integers named
//! `*_at` or `*timestamp*` are Unix seconds, `url`/`href`/`avatar`/`website` look like URLs.
//! Every seventh record has `null` in its nullable fields, so clients see both.

use serde_json::{json, Map, Value};

use crate::model::Field;

/// Record number `i` of `entity` with these fields and its key field (the one the generator
/// settled, else `id`) set to [`key`]. Only documented fields and a settled key are members:
/// without either the record is `{"id": "<entity>-<i>"}`.
pub fn record(entity: &str, fields: &[Field], key_field: Option<&str>, i: u64) -> Value {
    let mut map = object(entity, fields, i);
    let key_field = key_field.unwrap_or("id");
    if fields.is_empty() || map.contains_key(key_field) || key_field != "id" {
        map.insert(key_field.to_owned(), key(entity, fields, key_field, i));
    }
    Value::Object(map)
}

/// The key of record number `i`: `i + 1` when the documented key field is a number, else
/// `"<entity>-<i>"`.
pub fn key(entity: &str, fields: &[Field], key_field: &str, i: u64) -> Value {
    match fields.iter().find(|f| f.name == key_field) {
        Some(f)
            if members(&f.ty)
                .iter()
                .any(|m| matches!(*m, "integer" | "int" | "number" | "float")) =>
        {
            json!(i + 1)
        }
        _ => Value::String(format!("{entity}-{i}")),
    }
}

fn object(entity: &str, fields: &[Field], i: u64) -> Map<String, Value> {
    fields
        .iter()
        .map(|f| {
            let value = if f.nullable && i % 7 == 6 {
                Value::Null
            } else {
                value(entity, f, &f.ty, i)
            };
            (f.name.clone(), value)
        })
        .collect()
}

/// Splits a type cell at its top-level `|` (not inside `<…>` or quotes).
fn members(ty: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0usize);
    for (at, c) in ty.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => depth += 1,
            '>' if !quoted => depth = depth.saturating_sub(1),
            '|' if !quoted && depth == 0 => {
                out.push(ty[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    out.push(ty[start..].trim());
    out
}

fn value(entity: &str, field: &Field, ty: &str, i: u64) -> Value {
    let members: Vec<&str> = members(ty)
        .into_iter()
        .filter(|m| !matches!(*m, "null" | "None" | ""))
        .collect();
    let literals: Vec<Value> = members.iter().filter_map(|m| literal(m)).collect();
    if !literals.is_empty() {
        return literals[(i as usize) % literals.len()].clone();
    }
    let Some(first) = members.iter().find(|m| **m != "any") else {
        // `any` alone: a string, the most common shape of undocumented values.
        return Value::String(format!("{} {i}", field.name));
    };
    let name = field.name.to_ascii_lowercase();
    match *first {
        "string" | "str" => Value::String(string(entity, &name, &field.name, i)),
        "integer" | "int" => {
            if name.ends_with("_at") || name.contains("timestamp") {
                json!(1_700_000_000 + i * 3_600)
            } else {
                json!(i + 1)
            }
        }
        "number" | "float" => json!(i as f64 + 0.5),
        "boolean" | "bool" => Value::Bool(i % 2 == 0),
        "object" => Value::Object(object(entity, &field.fields, i)),
        "array" => json!([]),
        m => {
            if let Some(inner) = m.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
                // One element: nested objects take the row's members.
                json!([value(entity, field, inner, i)])
            } else if let Some(format) = m
                .strip_prefix("string(")
                .or_else(|| m.strip_prefix("str("))
                .and_then(|r| r.strip_suffix(')'))
            {
                Value::String(formatted(format.trim(), entity, &name, &field.name, i))
            } else {
                Value::Null
            }
        }
    }
}

fn literal(m: &str) -> Option<Value> {
    if m.len() >= 2 && m.starts_with('"') && m.ends_with('"') {
        return Some(Value::String(m[1..m.len() - 1].to_owned()));
    }
    match m {
        "true" | "True" => return Some(Value::Bool(true)),
        "false" | "False" => return Some(Value::Bool(false)),
        _ => {}
    }
    if m.contains(['e', 'E', '.']) {
        return m.parse::<f64>().ok().map(|f| json!(f));
    }
    m.parse::<i64>().ok().map(|n| json!(n))
}

fn string(entity: &str, lower: &str, name: &str, i: u64) -> String {
    if lower == "id" {
        format!("{entity}-{i}")
    } else if lower.contains("email") {
        format!("person{i}@example.com")
    } else if ["url", "href", "avatar", "website", "link"]
        .iter()
        .any(|k| lower.contains(k))
    {
        format!("https://example.com/{entity}/{i}")
    } else if lower.ends_with("_at") || lower.ends_with("date") || lower.ends_with("time") {
        date_time(i)
    } else {
        format!("{name} {i}")
    }
}

fn formatted(format: &str, entity: &str, lower: &str, name: &str, i: u64) -> String {
    match format {
        "date-time" => date_time(i),
        "date" => date(i),
        "email" => format!("person{i}@example.com"),
        "uri" | "url" => format!("https://example.com/{entity}/{i}"),
        _ => string(entity, lower, name, i),
    }
}

/// `2024-01-01T00:00:00Z` plus `i` days and `i` hours (mod 24).
fn date_time(i: u64) -> String {
    format!("{}T{:02}:00:00Z", date(i), i % 24)
}

/// `2024-01-01` plus `i` days (proleptic Gregorian).
fn date(i: u64) -> String {
    // Days from 1970-01-01 to 2024-01-01 is 19723.
    let days = 19_723 + i as i64;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, ty: &str, nullable: bool, fields: Vec<Field>) -> Field {
        Field {
            name: name.into(),
            ty: ty.into(),
            nullable,
            required: None,
            fields,
        }
    }

    #[test]
    fn values_follow_the_documented_types() {
        let fields = vec![
            field("id", "string", false, vec![]),
            field("email", "string", true, vec![]),
            field("created_at", "integer", true, vec![]),
            field("score", "number", false, vec![]),
            field("active", "boolean", false, vec![]),
            field("order", "\"asc\" | \"desc\"", false, vec![]),
            field("updated", "string(date-time)", false, vec![]),
            field("tags", "array<string>", false, vec![]),
            field(
                "owner",
                "object | any",
                false,
                vec![field("name", "string", false, vec![])],
            ),
            field(
                "items",
                "array<object>",
                false,
                vec![field("qty", "integer", false, vec![])],
            ),
            field("either", "integer | string", false, vec![]),
        ];
        let r = record("tasks", &fields, Some("id"), 3);
        assert_eq!(
            r,
            json!({
                "id": "tasks-3",
                "email": "person3@example.com",
                "created_at": 1_700_010_800,
                "score": 3.5,
                "active": false,
                "order": "desc",
                "updated": "2024-01-04T03:00:00Z",
                "tags": ["tags 3"],
                "owner": {"name": "name 3"},
                "items": [{"qty": 4}],
                "either": 4,
            })
        );
        // Deterministic: the same inputs give the same record.
        assert_eq!(r, record("tasks", &fields, Some("id"), 3));
        // Every seventh record has null in nullable fields (never in its key).
        let r6 = record("tasks", &fields, Some("id"), 6);
        assert_eq!(r6["email"], Value::Null);
        assert_eq!(r6["id"], "tasks-6");
    }

    #[test]
    fn only_documented_fields_and_the_key_are_members() {
        assert_eq!(record("notes", &[], None, 0), json!({"id": "notes-0"}));
        let fields = vec![
            field("gid", "string", false, vec![]),
            field("name", "string", false, vec![]),
        ];
        let r = record("tasks", &fields, Some("gid"), 2);
        assert_eq!(r, json!({"gid": "tasks-2", "name": "name 2"}));
        let fields = vec![field("number", "integer", false, vec![])];
        assert_eq!(
            record("issues", &fields, Some("number"), 4),
            json!({"number": 5})
        );
    }

    #[test]
    fn dates_cross_months_and_leap_days() {
        assert_eq!(date(0), "2024-01-01");
        assert_eq!(date(31), "2024-02-01");
        assert_eq!(date(59), "2024-02-29");
        assert_eq!(date(366), "2025-01-01");
    }

    #[test]
    fn splits_only_top_level_members() {
        assert_eq!(
            members("array<integer | null> | \"a|b\" | null"),
            vec!["array<integer | null>", "\"a|b\"", "null"]
        );
    }
}
