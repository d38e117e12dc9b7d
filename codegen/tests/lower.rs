//! The IR (`codegen::lower`): what it decides, shown as snapshots, and the properties every
//! lowered crate has.

mod common;

use std::collections::BTreeSet;

use airbyte_codegen::ir::{Crate, TypeDef};
use airbyte_codegen::lower::lower;

/// Every type name the crate declares: connector, handles, records, enums, params, builders,
/// markers.
fn type_names(krate: &Crate) -> Vec<String> {
    let mut names = vec![krate.connector.clone()];
    let defs = krate
        .entities
        .iter()
        .flat_map(|e| e.types.iter())
        .chain(krate.replication.iter().flatten());
    for def in defs {
        names.push(match def {
            TypeDef::Record(s) | TypeDef::Params(s) => s.name.clone(),
            TypeDef::Enum(e) => e.name.clone(),
        });
    }
    for e in &krate.entities {
        names.push(e.handle.clone());
        if let Some(s) = &e.search {
            names.push(s.marker.clone());
        }
        for a in &e.actions {
            names.push(a.builder.clone());
            names.push(a.params.name.clone());
        }
    }
    names
}

#[test]
fn type_names_are_unique_across_the_crate() {
    let mut models: Vec<_> = common::model_names()
        .into_iter()
        .map(|n| common::model(&n))
        .collect();
    models.push(common::load(
        &common::root().join("spec/intercom/model.yaml"),
    ));
    for model in models {
        let krate = lower(&model).unwrap_or_else(|e| panic!("{}: {e}", model.name));
        let names = type_names(&krate);
        let unique: BTreeSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{}: {names:?}", model.name);
    }
}

#[test]
fn intercom_names_read_like_an_sdk() {
    let krate = lower(&common::load(
        &common::root().join("spec/intercom/model.yaml"),
    ))
    .unwrap();
    assert_eq!(krate.connector, "Intercom");
    let contacts = &krate.entities[0];
    assert_eq!(
        (contacts.module.as_str(), contacts.handle.as_str()),
        ("contacts", "ContactsApi")
    );
    assert_eq!(contacts.record.as_deref(), Some("Contact"));
    let builders: Vec<(&str, &str, &str)> = contacts
        .actions
        .iter()
        .map(|a| {
            (
                a.method.as_str(),
                a.builder.as_str(),
                a.params.name.as_str(),
            )
        })
        .collect();
    assert_eq!(
        builders,
        [
            ("list", "ListContacts", "ListContactsParams"),
            ("get", "GetContact", "GetContactParams"),
            ("search", "SearchContacts", "SearchContactsParams"),
        ]
    );
    let search = contacts.search.as_ref().unwrap();
    assert_eq!(
        (search.marker.as_str(), search.record.as_str()),
        ("SearchableContact", "ContactSearchRecord")
    );
    // A record field without a description takes the Searchable Fields' one.
    let record = contacts
        .types
        .iter()
        .find_map(|d| match d {
            TypeDef::Record(s) if s.name == "Contact" => Some(s),
            _ => None,
        })
        .unwrap();
    let email = record.fields.iter().find(|f| f.wire == "email").unwrap();
    assert_eq!(email.doc, "The email address of the contact.");
}

#[test]
fn ir_of_the_search_model() {
    let krate = lower(&common::model("search")).unwrap();
    insta::assert_yaml_snapshot!("ir_search", krate);
}

#[test]
fn ir_of_the_write_model() {
    let krate = lower(&common::model("write")).unwrap();
    insta::assert_yaml_snapshot!("ir_write", krate);
}

/// The pagination decided for each list of the paging model: one line per action, for review.
#[test]
fn pagination_of_each_style() {
    let krate = lower(&common::model("paging")).unwrap();
    let lines: Vec<String> = krate
        .entities
        .iter()
        .flat_map(|e| e.actions.iter().map(move |a| (e, a)))
        .map(|(e, a)| match &a.pagination {
            Some(p) => format!("{} {}: {}", e.wire, a.wire, p.summary()),
            None => format!("{} {}: not paginated", e.wire, a.wire),
        })
        .collect();
    insta::assert_snapshot!("pagination_styles", lines.join("\n"));
    let styles: Vec<_> = krate
        .entities
        .iter()
        .flat_map(|e| &e.actions)
        .filter_map(|a| a.pagination.as_ref().map(|p| p.style()))
        .collect();
    for style in [
        "cursor",
        "page",
        "offset",
        "last_id",
        "next_url",
        "next_url_query",
        "unknown",
    ] {
        assert!(
            styles.contains(&style),
            "no {style} action in the paging model"
        );
    }
}
