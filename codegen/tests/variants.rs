//! Older variants of the format (FORMAT.md §12) parse into the same model: entities as H3 and
//! actions as H4, bold sub-section labels, `**Params**`, the trailing Configuration and
//! Authentication sections, the oldest endpoint, `Api_search`, an empty Searchable Fields table,
//! a `<details>` holding only Meta, and an entity section missing from the summary.

use airbyte_codegen::diagnostics::Severity;
use airbyte_codegen::model::{ActionKind, Response, SearchEnvelope};
use airbyte_codegen::parse::parse;

const OLD: &str = r#"# Acme

## Supported Entities and Actions

| Entity | Actions |
|--------|---------|
| Widgets | [List](#widgets-list), [Api_search](#widgets-api_search), [Search](#widgets-search) |
| Gadgets | [Get](#gadgets-get) |

### Widgets

#### Widgets List

Returns widgets,
hard-wrapped over two lines with a raw <UUID> and {braces}.

**Python SDK**

```python
acme.widgets.list()
```

**API**

```bash
curl --location 'https://api.airbyte.ai/api/v1/connectors/instances/{your_connector_instance_id}/execute' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {your_auth_token}' \
--data '{
    "entity": "widgets",
    "action": "list",
    "params": {
        "archived": True
    }
}'
```

**Params**

| Parameter Name | Type | Required | Description |
|----------------|------|----------|-------------|
| `archived` | `boolean` | Yes | Include archived widgets |

<details>
<summary><b>Response Schema</b></summary>



**Meta**

| Field Name | Type | Description |
|------------|------|-------------|
| `next` | `string \| null` |  |

</details>

#### Widgets Api_search

Searches widgets with the provider's own search

**Python SDK**

```python
acme.widgets.api_search()
```

**API**

```bash
curl --location 'https://api.airbyte.ai/api/v1/connectors/instances/{your_connector_instance_id}/execute' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {your_auth_token}' \
--data '{
    "entity": "widgets",
    "action": "api_search"
}'
```

#### Widgets Search

Search and filter widgets records powered by Airbyte's data sync.

**Python SDK**

```python
acme.widgets.search(query={"filter": {"eq": {"id": "<str>"}}})
```

**API**

```bash
curl --location 'https://api.airbyte.ai/api/v1/connectors/instances/{your_connector_instance_id}/execute' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {your_auth_token}' \
--data '{
    "entity": "widgets",
    "action": "search",
    "params": {
        "query": {"filter": {"eq": {"id": "<str>"}}}
    }
}'
```

**Parameters**

| Parameter Name | Type | Required | Description |
|----------------|------|----------|-------------|
| `query` | `object` | Yes | Filter and sort conditions. Supports operators: eq, neq, in |
| `query.filter` | `object` | No | Filter conditions |

**Searchable Fields**

| Field Name | Type | Description |
|------------|------|-------------|

<details>
<summary><b>Response Schema</b></summary>

| Field Name | Type | Description |
|------------|------|-------------|
| `hits` | `array` | List of matching records |
| `hits[].id` | `string` | Record identifier |
| `hits[].score` | `number` | Relevance score |
| `hits[].data` | `object` | Record data containing the searchable fields listed above |
| `next_cursor` | `string \| null` | Cursor for next page of results |
| `took_ms` | `number` | Query execution time in milliseconds |

</details>

### Gadgets

#### Gadgets Get

Get a gadget

**Python SDK**

```python
acme.gadgets.get(id="<str>")
```

**API**

```bash
curl --location 'https://api.airbyte.ai/api/v1/connectors/instances/{your_connector_instance_id}/execute' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {your_auth_token}' \
--data '{
    "entity": "gadgets",
    "action": "get",
    "params": {
        "id": "<str>"
    }
}'
```

**Params**

| Parameter Name | Type | Required | Description |
|----------------|------|----------|-------------|
| `id` | `string` | Yes | Gadget id |

### Sprockets

#### Sprockets List

Lists sprockets, an entity the summary forgot

**Python SDK**

```python
acme.sprockets.list()
```

**API**

```bash
curl --location 'https://api.airbyte.ai/api/v1/connectors/instances/{your_connector_instance_id}/execute' \
--header 'Content-Type: application/json' \
--header 'Authorization: Bearer {your_auth_token}' \
--data '{
    "entity": "sprockets",
    "action": "list"
}'
```




## Configuration

The Acme connector requires the following configuration variables.

| Variable | Type | Required | Default | Description |
|----------|------|----------|---------|-------------|
| `subdomain` | `string` | Yes | \{subdomain\} | Your Acme subdomain |

## Authentication

The Acme connector supports the following authentication methods.

### API Key Authentication

| Field Name | Type | Required | Description |
|------------|------|----------|-------------|
| `api_key` | `str` | Yes | Your Acme API key |

#### Example

**Python SDK**

```python
AcmeConnector(auth_config=AcmeAuthConfig(api_key="<key>"))
```

### Authentication

| Field Name | Type | Required | Description |
|------------|------|----------|-------------|
| `token` | `str` | Yes | A token |
"#;

#[test]
fn oldest_layout_parses() {
    let parsed = parse("old.md", OLD).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    let c = parsed.connector;
    assert_eq!((c.name.as_str(), c.title.as_str()), ("acme", "Acme"));
    assert_eq!(
        c.endpoint.path,
        "/api/v1/connectors/instances/{connector_instance_id}/execute"
    );
    let names: Vec<&str> = c.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Widgets", "Gadgets", "Sprockets"]);

    let widgets = &c.entities[0];
    let kinds: Vec<ActionKind> = widgets.actions.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [ActionKind::List, ActionKind::ApiSearch, ActionKind::Search]
    );
    assert_eq!(widgets.actions[1].name, "api_search");
    let list = &widgets.actions[0];
    assert!(list.description.contains("hard-wrapped") && list.description.contains("<UUID>"));
    assert_eq!(list.params[0].name, "archived");
    match &list.response {
        Some(Response::Records { records, meta }) => {
            assert!(records.is_empty());
            assert_eq!(meta[0].name, "next");
        }
        other => panic!("{other:?}"),
    }
    match &widgets.actions[2].response {
        Some(Response::Search(s)) => {
            assert_eq!(s.envelope, SearchEnvelope::Hits);
            assert!(s.fields.is_empty());
            assert_eq!(s.operators, ["eq", "neq", "in"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(c.entities[1].actions[0].response.is_none());

    // What the model does not hold is said in warnings, never dropped silently.
    let codes: Vec<&str> = parsed.warnings.iter().map(|w| w.code).collect();
    assert!(parsed
        .warnings
        .iter()
        .all(|w| w.severity == Severity::Warning));
    assert!(codes.contains(&"not-in-summary"), "{codes:?}");
    assert_eq!(
        codes.iter().filter(|c| **c == "legacy-section").count(),
        3,
        "{codes:?}"
    );
}
