//! Small Markdown snippets -> model, one per construct, reviewed as YAML snapshots; malformed
//! snippets -> located errors.

use airbyte_codegen::ir::{ActionKind, Output, Ty};
use airbyte_codegen::parse::parse;

/// A one-entity document around `body`, which holds the sections of one `Widgets` action.
fn doc(label: &str, body: &str) -> String {
    let anchor = format!("widgets-{}", label.to_lowercase().replace(' ', "-"));
    format!(
        "# Acme full reference\n\nThis is the full reference documentation for the Acme agent connector.\n\n\
## Supported entities and actions\n\nThe Acme connector supports the following entities and actions.\n\n\
| Entity | Actions |\n|--------|---------|\n| Widgets | [{label}](#{anchor}) |\n\n## Widgets\n\n### Widgets {label}\n\n\
Does things with widgets\n\n#### Python SDK\n\n```python\nawait acme.widgets.{action}()\n```\n\n#### API\n\n\
```bash\ncurl --location 'https://api.airbyte.ai/api/v1/integrations/connectors/{{your_connector_id}}/execute' \\\n\
--header 'Content-Type: application/json' \\\n--header 'Authorization: Bearer {{your_auth_token}}' \\\n\
--data '{{\n    \"entity\": \"widgets\",\n    \"action\": \"{action}\"\n}}'\n```\n\n{body}",
        action = label.to_lowercase().replace(' ', "_"),
    )
}

fn records(rows: &str) -> String {
    format!(
        "<details>\n<summary><b>Response Schema</b></summary>\n\n#### Records\n\n| Field Name | Type | Description |\n|------------|------|-------------|\n{rows}\n</details>\n"
    )
}

fn model(text: &str) -> String {
    match parse("snippet.md", text) {
        Ok(p) => serde_yaml::to_string(&p.connector.entities[0].actions[0]).unwrap(),
        Err(d) => panic!(
            "{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

fn errors(text: &str) -> String {
    match parse("snippet.md", text) {
        Ok(_) => panic!("expected errors"),
        Err(d) => d
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

#[test]
fn nullable_both_orders() {
    let text = doc("Get", &records("| `a` | `string \\| null` |  |\n| `b` | `null \\| integer` | Count |\n| `c` | `boolean` |  |\n"));
    insta::assert_snapshot!(model(&text));
}

#[test]
fn enum_union() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `order` | `\"asc\" \\| \"desc\"` | No | Sort order |\n| `days` | `1 \\| 7 \\| 30` | Yes | Window |\n\n";
    insta::assert_snapshot!(model(&doc("List", params)));
}

#[test]
fn array_of_enums_and_open_enum() {
    let text = doc("Get", &records("| `states` | `array<\"open\" \\| \"closed\">` |  |\n| `kind` | `\"a\" \\| \"b\" \\| any` |  |\n| `extra` | `object \\| any` |  |\n"));
    insta::assert_snapshot!(model(&text));
}

#[test]
fn nested_dotted_fields() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `data` | `object` | Yes | Body |\n| `data.name` | `string` | Yes | Name |\n| `data.tags` | `array<object>` | No | Tags |\n| `data.tags.label` | `string` | Yes | Label |\n| `created_at.after` | `string` | No | Orphan dot: a literal key |\n| `page[size]` | `integer` | No | Brackets are literal |\n\n";
    let rows = "| `items` | `array \\| null` |  |\n| `items[].id` | `string` |  |\n| `items[].owner` | `object` |  |\n| `items[].owner.name` | `string \\| null` |  |\n| `event.type` | `string` |  |\n";
    insta::assert_snapshot!(model(&doc(
        "Create",
        &format!("{params}\n{}", records(rows))
    )));
}

#[test]
fn missing_required_column() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Description |\n|----------------|------|-------------|\n| `limit` | `integer` | Page size |\n\n";
    insta::assert_snapshot!(model(&doc("List", params)));
}

#[test]
fn params_less_action() {
    insta::assert_snapshot!(model(&doc("List", &records("| `id` | `string` |  |\n"))));
}

#[test]
fn multi_line_cell_and_unescaped_pipe() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `filter` | `string` | No | First line \\{a\\}\nsecond line \\<UUID\\>\n |\n| `value` | `boolean | number` | No | Unescaped pipe |\n\n";
    insta::assert_snapshot!(model(&doc("List", params)));
}

#[test]
fn malformed_rows_give_located_errors() {
    let rows = "| `a` | `strng` |  |\n| `b` | `string` |\n| c | `string` |  |\n| `d` | `\"x\" \\| string` |  |\n";
    insta::assert_snapshot!(errors(&doc("Get", &records(rows))));
}

#[test]
fn bad_required_in_a_generic_action() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `id` | `string` | Maybe | Id |\n\n";
    let text = doc("Get", params).replace("### Widgets Get", "### Widgets Export");
    insta::assert_snapshot!(errors(&text));
}

#[test]
fn empty_document_is_an_error() {
    insta::assert_snapshot!(errors(""));
}

/// A January 2026 document (entities H3, actions H4, bold sub-section labels) whose search is
/// the provider's own search API: `"action": "search"`, typed parameters, and neither
/// Searchable Fields nor a Response Schema.
fn provider_search_doc() -> String {
    "# Acme full reference\n\nThis is the full reference documentation for the Acme agent connector.\n\n\
## Supported entities and actions\n\nThe Acme connector supports the following entities and actions.\n\n\
| Entity | Actions |\n|--------|---------|\n| Repositories | [Search](#repositories-search) |\n\n\
### Repositories\n\n#### Repositories Search\n\nSearch repositories with the provider's own search syntax\n\n\
**Python SDK**\n\n```python\nawait acme.repositories.search(query=\"<str>\")\n```\n\n**API**\n\n\
```bash\ncurl --location 'https://api.airbyte.ai/api/v1/integrations/connectors/{your_connector_id}/execute' \\\n\
--header 'Content-Type: application/json' \\\n--header 'Authorization: Bearer {your_auth_token}' \\\n\
--data '{\n    \"entity\": \"repositories\",\n    \"action\": \"search\",\n    \"params\": {\n        \"query\": \"<str>\"\n    }\n}'\n```\n\n\
**Parameters**\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n\
| `query` | `string` | Yes | Search query in the provider's syntax, e.g. `language:rust stars:>100` |\n\
| `limit` | `integer` | No | Results per page |\n\
| `after` | `string` | No | Cursor of the next page |\n\
| `fields` | `array<string>` | No | Fields to return |\n"
        .to_string()
}

#[test]
fn provider_search_without_searchable_fields_or_response() {
    let text = provider_search_doc();
    let parsed = parse("snippet.md", &text).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    insta::assert_snapshot!(model(&text));
    let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
    let action = &krate.entities[0].actions[0];
    assert_eq!(action.kind, ActionKind::ApiSearch);
    assert_eq!(
        (action.method.as_str(), action.wire.as_str()),
        ("search", "search")
    );
    assert_eq!(action.output, Output::Record(Ty::Json));
    assert_eq!(
        action.search, None,
        "no typed query: the provider's syntax is a string"
    );
    let types: Vec<(&str, &Ty, bool)> = action
        .params
        .fields
        .iter()
        .map(|f| (f.rust.as_str(), &f.ty, f.required))
        .collect();
    assert_eq!(
        types,
        [
            ("query", &Ty::String, true),
            ("limit", &Ty::Integer, false),
            ("after", &Ty::String, false),
            ("fields", &Ty::List(Box::new(Ty::String)), false),
        ]
    );
}

/// With a Records table the provider's search is typed like a list.
#[test]
fn provider_search_with_records_is_typed() {
    let text = format!(
        "{}\n{}",
        provider_search_doc(),
        records("| `id` | `string` |  |\n| `full_name` | `string` |  |\n")
            .replace("#### Records", "**Records**")
    );
    let parsed = parse("snippet.md", &text).unwrap_or_else(|d| panic!("{d:?}"));
    let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
    let entity = &krate.entities[0];
    let action = &entity.actions[0];
    assert_eq!(action.kind, ActionKind::ApiSearch);
    let record = entity.record.clone().expect("an entity record");
    assert_eq!(
        action.output,
        Output::ListPage {
            record: Ty::Struct(record),
            meta: Ty::Json
        }
    );
}

/// An action heading of no known kind is a generic action: typed params, the result as JSON, a
/// warning at its heading naming the kind; its method is named from the heading.
#[test]
fn unknown_action_kind_is_a_generic_action() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `sql` | `string` | Yes | The statement |\n| `max_rows` | `integer` | No | Row limit |\n\n";
    let text = doc("Sql Select", params);
    let parsed = parse("snippet.md", &text).unwrap_or_else(|d| panic!("{d:?}"));
    let warnings: Vec<String> = parsed.warnings.iter().map(|d| d.to_string()).collect();
    insta::assert_snapshot!(format!("{}\n---\n{}", warnings.join("\n"), model(&text)));
    let unknown = parsed
        .warnings
        .iter()
        .find(|d| d.code == "unknown-action")
        .expect("a warning naming the kind");
    assert_eq!(unknown.line, 15);
    assert!(unknown.message.contains("`Sql Select`"), "{unknown}");
    let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
    let action = &krate.entities[0].actions[0];
    assert_eq!(action.kind, ActionKind::Other);
    assert_eq!(action.wire, "sql_select");
    assert_eq!(action.method, "sql_select");
    assert_eq!(action.builder, "SqlSelectWidgets");
    assert_eq!(action.output, Output::Record(Ty::Json));
    assert!(!action.idempotent, "an unknown kind may write");
    let params: Vec<(&str, &Ty, bool)> = action
        .params
        .fields
        .iter()
        .map(|f| (f.rust.as_str(), &f.ty, f.required))
        .collect();
    assert_eq!(
        params,
        [
            ("sql", &Ty::String, true),
            ("max_rows", &Ty::Integer, false)
        ]
    );
}

/// The method name comes from the heading even when the curl body names the action otherwise.
#[test]
fn generic_action_method_comes_from_the_heading() {
    let text = doc("Authorize", "").replace(
        "\"action\": \"authorize\"",
        "\"action\": \"oauth_authorize\"",
    );
    let parsed = parse("snippet.md", &text).unwrap_or_else(|d| panic!("{d:?}"));
    let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
    let action = &krate.entities[0].actions[0];
    assert_eq!(
        (action.method.as_str(), action.wire.as_str()),
        ("authorize", "oauth_authorize")
    );
}

/// One entity lists the same action with different parameters: all are kept, with a warning,
/// and the one with a required parameter of its own is named by it; two that nothing tells
/// apart are numbered.
#[test]
fn repeated_action_keeps_distinct_readable_names() {
    let all = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `cursor` | `string` | No | Page cursor |\n\n";
    let one = all.replace(
        "| `cursor`",
        "| `ticket_id` | `integer` | Yes | The ticket |\n| `cursor`",
    );
    // The per-ticket list first: the general one still gets the bare name.
    let first = doc("List", &one);
    let second = first[first.find("### Widgets List").unwrap()..].replace(&one, all);
    let text = format!("{first}\n{second}\n{second}");
    let parsed = parse("snippet.md", &text).unwrap_or_else(|d| panic!("{d:?}"));
    let duplicates = parsed
        .warnings
        .iter()
        .filter(|d| d.code == "duplicate-action")
        .count();
    assert_eq!(duplicates, 2, "{:?}", parsed.warnings);
    let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
    let names: Vec<(&str, &str, &str)> = krate.entities[0]
        .actions
        .iter()
        .map(|a| (a.method.as_str(), a.builder.as_str(), a.wire.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("list_by_ticket_id", "ListWidgetsByTicketId", "list"),
            ("list", "ListWidgets", "list"),
            ("list_2", "ListWidgets2", "list"),
        ]
    );
}
