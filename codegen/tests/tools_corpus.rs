//! Tool definitions for every shared corpus document and the test models: valid, unique names;
//! every input schema a valid draft 2020-12 object schema that compiles; example arguments
//! enumerated from each schema valid under it (so no schema is unsatisfiable); one tool per
//! action; the connector description names every tool.

mod common;

use airbyte_agent_runtime::tools::example_arguments;
use airbyte_codegen::ir::Crate;
use airbyte_codegen::tools;
use serde_json::Value;

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Checks the tools of `krate`, returning how many there are.
fn check(doc: &str, krate: &Crate) -> usize {
    let defs = tools::definitions(krate);
    let actions: usize = krate.entities.iter().map(|e| e.actions.len()).sum();
    assert_eq!(defs.len(), actions, "{doc}: one tool per action");
    let mut names: Vec<&str> = defs.iter().map(|d| d["name"].as_str().unwrap()).collect();
    for n in &names {
        assert!(valid_name(n), "{doc}: tool name {n:?}");
    }
    names.sort_unstable();
    let unique = names.len();
    names.dedup();
    assert_eq!(names.len(), unique, "{doc}: tool names are unique");
    let meta = jsonschema::draft202012::meta::validator();
    for d in &defs {
        let name = d["name"].as_str().unwrap();
        let schema = &d["input_schema"];
        assert_eq!(schema["type"], "object", "{doc}: {name}");
        assert!(
            d["description"].as_str().is_some_and(|s| !s.is_empty()),
            "{doc}: {name} has a description"
        );
        if let Err(e) = meta.validate(schema) {
            panic!("{doc}: {name}: not a valid 2020-12 schema: {e}");
        }
        let validator = jsonschema::draft202012::new(schema)
            .unwrap_or_else(|e| panic!("{doc}: {name}: schema does not compile: {e}"));
        for args in example_arguments(schema, 12) {
            assert!(
                validator.is_valid(&args),
                "{doc}: {name}: example {args} is not valid under its own schema"
            );
        }
    }
    let describe = tools::describe(krate);
    let described: Vec<&str> = describe["entities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["actions"].as_array().unwrap())
        .map(|a| a["tool"].as_str().unwrap())
        .collect();
    assert_eq!(
        described.len(),
        defs.len(),
        "{doc}: describe lists every tool"
    );
    defs.len()
}

#[test]
fn every_corpus_document_gives_valid_tool_definitions() {
    let dir = common::root().join("../shared/corpus");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping: {} is absent", dir.display());
        return;
    };
    let mut docs: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| !p.ends_with("README.md"))
        .collect();
    docs.sort();
    let mut tools_total = 0;
    for path in &docs {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).expect("read");
        let parsed = airbyte_codegen::parse::parse(&name, &text)
            .unwrap_or_else(|d| panic!("{name} does not parse: {d:?}"));
        let krate = airbyte_codegen::lower::lower(&parsed.connector)
            .unwrap_or_else(|e| panic!("{name} does not lower: {e}"));
        tools_total += check(&name, &krate);
    }
    assert!(docs.len() >= 25, "only {} documents", docs.len());
    eprintln!("{} documents, {tools_total} tools", docs.len());
}

#[test]
fn every_test_model_gives_valid_tool_definitions() {
    for name in common::model_names() {
        let krate = airbyte_codegen::lower::lower(&common::model(&name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        check(&name, &krate);
    }
}

#[test]
fn tool_names_are_stable_entity_action_snake_case() {
    let krate = airbyte_codegen::lower::lower(&common::load(
        &common::root().join("spec/intercom/model.yaml"),
    ))
    .unwrap();
    let names: Vec<String> = tools::tools(&krate).into_iter().map(|t| t.name).collect();
    assert_eq!(names.len(), 18);
    assert_eq!(
        names[..3],
        ["contacts_list", "contacts_get", "contacts_search"]
    );
    assert_eq!(names[17], "segments_get");
    let search = tools::definitions(&krate)
        .into_iter()
        .find(|d| d["name"] == "conversations_search")
        .unwrap();
    // The filter of a search offers exactly the entity's searchable fields.
    let eq: Vec<&String> = search["input_schema"]["$defs"]["condition"]["properties"]["eq"]
        ["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    let searchable: Vec<&String> = krate.entities[1]
        .search
        .as_ref()
        .unwrap()
        .fields
        .iter()
        .map(|f| &f.wire)
        .collect();
    assert_eq!(eq, searchable);
    assert!(matches!(search["description"], Value::String(ref s) if s.contains("`next_cursor`")));
}
