//! Small Markdown snippets -> model, one per construct, reviewed as YAML snapshots; malformed
//! snippets -> located errors.

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
fn bad_required_and_unknown_label() {
    let params = "#### Parameters\n\n| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n| `id` | `string` | Maybe | Id |\n\n";
    let text = doc("Get", params).replace("### Widgets Get", "### Widgets Export");
    insta::assert_snapshot!(errors(&text));
}

#[test]
fn empty_document_is_an_error() {
    insta::assert_snapshot!(errors(""));
}
