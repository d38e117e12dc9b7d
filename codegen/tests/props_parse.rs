//! Properties of the parser on hostile input, as ordinary bounded tests (the cargo-fuzz targets in
//! `fuzz/` run the same checks for as long as one likes): any bytes, and documents assembled from
//! the format's own tokens, never panic; every diagnostic is located inside the input; rendering
//! never panics.

use airbyte_codegen::diagnostics::{Diagnostic, Source};
use airbyte_codegen::parse::parse_bytes;
use airbyte_codegen::render::render;
use proptest::prelude::*;

/// Pieces of the reference format; random sequences of them reach deep into the parser.
const TOKENS: &[&str] = &[
    "# Acme full reference\n",
    "## Supported entities and actions\n",
    "| Entity | Actions |\n|--------|---------|\n",
    "| Widgets | [List](#widgets-list), [Get](#widgets-get) |\n",
    "## Widgets\n",
    "### Widgets List\n",
    "### Widgets Get\n",
    "### Widgets Context Store Search\n",
    "#### Python SDK\n",
    "#### API\n",
    "#### Parameters\n",
    "#### Searchable Fields\n",
    "#### Records\n",
    "#### Meta\n",
    "**Parameters**\n",
    "```python\nawait acme.widgets.list()\n```\n",
    "```bash\ncurl --location 'https://api.airbyte.ai/api/v1/integrations/connectors/{your_connector_id}/execute' \\\n--data '{\n    \"entity\": \"widgets\",\n    \"action\": \"list\"\n}'\n```\n",
    "```bash\n",
    "```\n",
    "| Parameter Name | Type | Required | Description |\n|----------------|------|----------|-------------|\n",
    "| Field Name | Type | Description |\n|------------|------|-------------|\n",
    "| `id` | `string` | Yes | Widget ID |\n",
    "| `data` | `array<object>` |  |\n",
    "| `data[].id` | `string \\| null` |  |\n",
    "| `meta.cursor` | `null \\| string` |  |\n",
    "| `meta` | `object` |  |\n",
    "| `kind` | `\"a\" \\| \"b\"` | No | x |\n",
    "| `x` | `boolean | number` |\n",
    "| `a` | \n",
    "<details>\n",
    "<summary><b>Response Schema</b></summary>\n",
    "</details>\n",
    "> **Note**: Download operations return an async iterator\n",
    "Some description text\n",
    "\n",
    "\n\n",
    "|",
    "`",
    "\\",
    "é",
    "\u{0}",
    "\r\n",
    "## Replication Configuration\n",
    "### Example\n",
];

fn check(data: &[u8], diags: &[Diagnostic]) {
    let shown = String::from_utf8_lossy(data);
    for d in diags {
        assert!(d.line >= 1 && d.col >= 1, "{d}");
        assert!(d.offset <= data.len(), "{d}");
        assert!(!d.code.is_empty(), "{d}");
        if let Ok(text) = std::str::from_utf8(data) {
            assert_eq!(
                (d.line, d.col),
                Source::new("p.md", text).locate(d.offset),
                "{d}"
            );
        }
    }
    let out = render(diags, &shown);
    assert_eq!(out.matches("┌─ ").count(), diags.len(), "{out}");
}

fn run(data: &[u8]) {
    match parse_bytes("p.md", data) {
        Ok(parsed) => {
            check(data, &parsed.warnings);
            serde_yaml::to_string(&parsed.connector).unwrap();
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            check(data, &diags);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes(data in proptest::collection::vec(any::<u8>(), 0..2048)) {
        run(&data);
    }

    #[test]
    fn any_text(text in "\\PC{0,400}") {
        run(text.as_bytes());
    }

    #[test]
    fn format_tokens_in_any_order(picks in proptest::collection::vec(0..TOKENS.len(), 0..60)) {
        let text: String = picks.iter().map(|&i| TOKENS[i]).collect();
        run(text.as_bytes());
    }

    /// The valid catalogue document with one byte range replaced by random bytes.
    #[test]
    fn damaged_valid_document(at in 0usize..4000, cut in 0usize..64, junk in proptest::collection::vec(any::<u8>(), 0..16)) {
        let mut data = include_bytes!("catalogue/valid.md").to_vec();
        let at = at.min(data.len());
        let end = (at + cut).min(data.len());
        data.splice(at..end, junk);
        run(&data);
    }
}
