//! The newer Intercom document of the corpus (Create/Update, Context Store Search, Notes and
//! Internal Articles, another endpoint) fits the model. Skips when `../shared` is absent.

use std::path::PathBuf;

use airbyte_codegen::model::{ActionKind, Response, SearchEnvelope};
use airbyte_codegen::parse::parse;
use airbyte_codegen::types::Type;

fn corpus(name: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "skipping: {} is absent (no ../shared beside the repo)",
                path.display()
            );
            None
        }
    }
}

#[test]
fn newer_intercom_document_fits_the_model() {
    let Some(text) = corpus("intercom.md") else {
        return;
    };
    let parsed = parse("intercom.md", &text).unwrap_or_else(|d| panic!("{d:#?}"));
    let c = parsed.connector;
    assert_eq!(c.name, "intercom");
    assert_eq!(
        c.endpoint.path,
        "/api/v1/integrations/connectors/{connector_id}/execute"
    );
    assert_eq!(c.endpoint.path_param, "connector_id");
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
            "Notes",
            "Segments",
            "Internal Articles"
        ]
    );
    let articles = c
        .entities
        .iter()
        .find(|e| e.name == "Internal Articles")
        .unwrap();
    assert_eq!(articles.id, "internal_articles");
    assert_eq!(articles.actions[0].kind, ActionKind::Create);

    let contacts = &c.entities[0];
    let kinds: Vec<ActionKind> = contacts.actions.iter().map(|a| a.kind).collect();
    use ActionKind::*;
    assert_eq!(kinds, [List, Create, Get, Update, Search]);
    let create = &contacts.actions[1];
    assert_eq!(create.name, "create");
    assert!(create
        .params
        .iter()
        .any(|p| p.name == "email" && p.required == Some(false)));

    let search = &contacts.actions[4];
    assert_eq!(search.name, "context_store_search");
    let Some(Response::Search(s)) = &search.response else {
        panic!("search response")
    };
    assert_eq!(s.envelope, SearchEnvelope::DataMeta);
    assert_eq!(s.operators.len(), 13);
    let meta = s.response.iter().find(|f| f.name == "meta").unwrap();
    let member_names: Vec<&str> = meta.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(member_names, ["has_more", "cursor", "took_ms"]);
    let data = s.response.iter().find(|f| f.name == "data").unwrap();
    assert_eq!(
        data.fields.len(),
        s.fields.len(),
        "one data[] row per searchable field"
    );
    let query = search.params.iter().find(|p| p.name == "query").unwrap();
    let children: Vec<&str> = query.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(children, ["filter", "sort"]);
    assert_eq!(query.required, Some(true));

    // `integer | string` (intercom.md:1896) stays a union.
    let any_union = c
        .entities
        .iter()
        .flat_map(|e| &e.actions)
        .filter_map(|a| match &a.response {
            Some(Response::Records { records, .. }) => Some(records),
            _ => None,
        })
        .flatten()
        .any(|f| f.ty == Type::Union(vec![Type::Integer, Type::String { format: None }]));
    assert!(any_union);
}
