//! The committed Intercom spec: its model has every entity, action and table row of the
//! Markdown, counted here by a route independent of the parser (table lines per section).

use std::collections::BTreeMap;
use std::path::Path;

use airbyte_codegen::model::{Connector, Field, Response};

fn spec() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/intercom/REFERENCE.md");
    std::fs::read_to_string(path).expect("spec/intercom/REFERENCE.md")
}

fn connector() -> Connector {
    airbyte_codegen::parse::parse("spec/intercom/REFERENCE.md", &spec())
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .connector
}

/// (action heading, section) -> data rows, from the raw lines: a data row starts with "| `".
fn rows_by_line_count(text: &str) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    let (mut action, mut section) = (String::new(), String::new());
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            action = h.to_string();
            section.clear();
        } else if let Some(h) = line.strip_prefix("## ") {
            action = h.to_string();
            section.clear();
        } else if let Some(h) = line.strip_prefix("#### ") {
            section = h.to_string();
        } else if line.starts_with("<summary>") {
            section = "Response".to_string();
        } else if line.starts_with("| `") {
            *out.entry((action.clone(), section.clone())).or_insert(0) += 1;
        }
    }
    out
}

fn count(fields: &[Field]) -> usize {
    fields.iter().map(|f| 1 + count(&f.fields)).sum()
}

#[test]
fn seven_entities_eighteen_actions() {
    let c = connector();
    let names: Vec<&str> = c.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Contacts",
            "Conversations",
            "Companies",
            "Teams",
            "Admins",
            "Tags",
            "Segments"
        ]
    );
    let actions: Vec<String> = c
        .entities
        .iter()
        .flat_map(|e| {
            e.actions
                .iter()
                .map(move |a| format!("{} {}", e.id, a.name))
        })
        .collect();
    assert_eq!(actions.len(), 18);
    for e in &c.entities {
        let want: &[&str] =
            if ["Contacts", "Conversations", "Companies", "Teams"].contains(&e.name.as_str()) {
                &["list", "get", "search"]
            } else {
                &["list", "get"]
            };
        let have: Vec<&str> = e.actions.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(have, want, "{}", e.name);
    }
    assert_eq!(
        c.endpoint.path,
        "/api/v1/connectors/sources/{source_id}/execute"
    );
    assert_eq!(c.endpoint.base_url, "https://api.airbyte.ai");
    let replication = c.replication.as_ref().expect("replication config");
    assert_eq!(replication.fields[0].name, "start_date");
}

#[test]
fn every_table_row_is_in_the_model() {
    let c = connector();
    let expected = rows_by_line_count(&spec());
    let mut seen = BTreeMap::new();
    for e in &c.entities {
        for a in &e.actions {
            let heading = format!("{} {}", e.name, a.label);
            let mut put = |section: &str, n: usize| {
                if n > 0 {
                    seen.insert((heading.clone(), section.to_string()), n);
                }
            };
            put("Parameters", count(&a.params));
            match &a.response {
                Some(Response::Records { records, meta }) => {
                    put("Records", count(records));
                    put("Meta", count(meta));
                }
                Some(Response::Search(s)) => {
                    put("Searchable Fields", count(&s.fields));
                    put("Response", count(&s.response));
                }
                None => {}
            }
        }
    }
    if let Some(r) = &c.replication {
        seen.insert(
            ("Replication Configuration".to_string(), String::new()),
            count(&r.fields),
        );
    }
    // Summary rows are entities.
    let summary = expected
        .iter()
        .filter(|((a, _), _)| a == "Supported entities and actions")
        .map(|(_, n)| *n)
        .sum::<usize>();
    assert_eq!(summary, 0, "summary rows do not start with a code span");
    assert_eq!(seen, expected);
}

#[test]
fn model_yaml_snapshot() {
    let yaml = serde_yaml::to_string(&connector()).unwrap();
    insta::assert_snapshot!(yaml);
}
