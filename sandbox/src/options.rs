//! The execute options the sandbox honours on `list` and `get` answers: `select_fields`
//! keeps only those dot paths of each record, `exclude_fields` removes those not selected
//! (select wins). Other options (`intent`, `skip_truncation`) are only logged.

use serde_json::Value;

use crate::projection;

/// Applies the request's `select_fields` / `exclude_fields` to the records of `out`
/// (`result` as a list or one record).
pub(crate) fn apply(request: &Value, out: &mut Value) {
    let paths = |member: &str| -> Option<Vec<Vec<String>>> {
        let list = request.get(member)?.as_array()?;
        Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(|p| p.split('.').map(str::to_owned).collect())
                .collect(),
        )
    };
    let select = paths("select_fields");
    let exclude: Vec<Vec<String>> = paths("exclude_fields")
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !select.as_ref().is_some_and(|s| s.contains(p)))
        .collect();
    if select.is_none() && exclude.is_empty() {
        return;
    }
    let shape = |record: &mut Value| {
        if let Some(select) = &select {
            *record = projection(record, select);
        }
        for path in &exclude {
            remove(record, path);
        }
    };
    match out.get_mut("result") {
        Some(Value::Array(records)) => records.iter_mut().for_each(shape),
        Some(record @ Value::Object(_)) => shape(record),
        _ => {}
    }
}

fn remove(record: &mut Value, path: &[String]) {
    match path {
        [] => {}
        [last] => {
            if let Some(m) = record.as_object_mut() {
                m.remove(last);
            }
        }
        [first, rest @ ..] => {
            if let Some(inner) = record.get_mut(first) {
                remove(inner, rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn select_wins_and_exclude_removes_nested_paths() {
        let mut out = json!({"result": [{"id": "1", "email": "a@x", "location": {"city": "Paris", "country": "FR"}}]});
        apply(
            &json!({"select_fields": ["id", "location"], "exclude_fields": ["id", "location.city"]}),
            &mut out,
        );
        assert_eq!(
            out,
            json!({"result": [{"id": "1", "location": {"country": "FR"}}]})
        );
        let mut one = json!({"result": {"id": "1", "notes": "n"}});
        apply(&json!({"exclude_fields": ["notes"]}), &mut one);
        assert_eq!(one, json!({"result": {"id": "1"}}));
    }
}
