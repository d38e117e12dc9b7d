//! Inputs a newcomer tried that once panicked, overflowed the stack or gave a crate that did
//! not build: each now gives a located error or a crate with safe names.

mod common;

use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::lower::lower;
use airbyte_codegen::parse::parse;

/// A one-entity document with a List action whose Records table holds `rows`.
fn doc(entity: &str, rows: &str) -> String {
    let id = entity.to_lowercase().replace(' ', "_");
    let anchor = format!("{}-list", entity.to_lowercase().replace(' ', "-"));
    format!(
        "# Acme full reference\n\nThis is the full reference documentation for the Acme agent connector.\n\n\
## Supported entities and actions\n\nThe Acme connector supports the following entities and actions.\n\n\
| Entity | Actions |\n|--------|---------|\n| {entity} | [List](#{anchor}) |\n\n## {entity}\n\n### {entity} List\n\n\
Lists them\n\n#### Python SDK\n\n```python\nawait acme.{id}.list()\n```\n\n#### API\n\n\
```bash\ncurl --location 'https://api.airbyte.ai/api/v1/integrations/connectors/{{your_connector_id}}/execute' \\\n\
--header 'Content-Type: application/json' \\\n--header 'Authorization: Bearer {{your_auth_token}}' \\\n\
--data '{{\n    \"entity\": \"{id}\",\n    \"action\": \"list\"\n}}'\n```\n\n\
<details>\n<summary><b>Response Schema</b></summary>\n\n#### Records\n\n| Field Name | Type | Description |\n|------------|------|-------------|\n{rows}\n</details>\n"
    )
}

fn options(name: &str) -> CrateOptions {
    CrateOptions {
        crate_name: name.to_string(),
        runtime_path: "../../runtime".to_string(),
        source: "hostile.md".to_string(),
        version: "0.1.0".to_string(),
    }
}

#[test]
fn entity_modules_never_take_names_cargo_or_the_crate_use() {
    for (entity, module) in [
        ("Lib", "lib_2"),
        ("Main", "main_2"),
        ("Fields", "fields_2"),
        ("Airbyte Agent Runtime", "airbyte_agent_runtime_2"),
        ("Serde", "serde_2"),
    ] {
        let parsed = parse("hostile.md", &doc(entity, "| `id` | `string` | |"))
            .unwrap_or_else(|d| panic!("{entity}: {d:?}"));
        let krate = lower(&parsed.connector).unwrap();
        assert_eq!(krate.entities[0].module, module, "{entity}");
        let files = emit_crate(&parsed.connector, &options("airbyte-acme")).unwrap();
        assert!(
            files
                .iter()
                .any(|f| f.path.to_str() == Some(&format!("src/{module}.rs"))),
            "{entity}"
        );
        // Exactly one lib.rs: an entity never overwrites the crate root.
        let roots = files.iter().filter(|f| f.path.ends_with("lib.rs")).count();
        assert_eq!(roots, 1, "{entity}");
    }
}

#[test]
fn crate_names_that_are_not_package_names_are_errors_not_panics() {
    let parsed = parse("hostile.md", &doc("Widgets", "| `id` | `string` | |")).unwrap();
    for bad in [
        "airbyte-gran.ola",
        "bad name",
        "123",
        "x/y",
        "airbyte-Ünïcode",
        "airbyte-agent-runtime",
        "self",
        "std",
        "",
    ] {
        let err = emit_crate(&parsed.connector, &options(bad)).unwrap_err();
        assert!(err.message.contains("crate name"), "{bad}: {err}");
        assert_eq!(err.line, 0, "{bad}");
        assert!(!err.to_string().starts_with("line"), "{bad}: {err}");
    }
    assert!(emit_crate(&parsed.connector, &options("airbyte-gran-ola")).is_ok());
}

/// `generate --version abc` (or `--runtime-path ''`) wrote a Cargo.toml cargo refuses.
#[test]
fn versions_and_runtime_paths_cargo_refuses_are_errors() {
    let parsed = parse("hostile.md", &doc("Widgets", "| `id` | `string` | |")).unwrap();
    let with = |version: &str, runtime_path: &str| CrateOptions {
        version: version.to_string(),
        runtime_path: runtime_path.to_string(),
        ..options("airbyte-widgets")
    };
    for bad in [
        "abc",
        "",
        "1.0",
        "1",
        "1.0.0.0",
        "01.0.0",
        "1.0.0-",
        "1.0.0-01",
        "1.0.0+",
        "1.0.0-a..b",
        "v1.0.0",
        " 1.0.0",
        "1.0.0\nevil = 1",
        "18446744073709551616.0.0",
        "1.0.0-é",
    ] {
        let err = emit_crate(&parsed.connector, &with(bad, "../../runtime")).unwrap_err();
        assert!(
            err.message.contains("crate version") && err.message.contains("major.minor.patch"),
            "{bad:?}: {err}"
        );
    }
    for good in [
        "0.1.0",
        "10.20.30",
        "1.0.0-beta.1",
        "1.0.0-rc-1+build.007",
        "1.0.0+20260101",
    ] {
        assert!(
            emit_crate(&parsed.connector, &with(good, "../../runtime")).is_ok(),
            "{good}"
        );
    }
    for bad in ["", "  "] {
        let err = emit_crate(&parsed.connector, &with("0.1.0", bad)).unwrap_err();
        assert!(err.message.contains("runtime path is empty"), "{err}");
    }
}

#[test]
fn nesting_beyond_the_limits_is_a_located_error() {
    let mut rows = String::from("| `deep` | `object` | |\n");
    let mut path = String::from("deep");
    for _ in 0..20 {
        path.push_str(".b");
        rows.push_str(&format!("| `{path}` | `object` | |\n"));
    }
    let errors = parse("deep.md", &doc("Widgets", &rows)).unwrap_err();
    let first = errors.first().unwrap().to_string();
    assert!(
        first.contains("nesting") && first.contains("17 levels deep"),
        "{first}"
    );

    let mut ty = String::from("string");
    for _ in 0..3000 {
        ty = format!("array<{ty}>");
    }
    let errors = parse(
        "deep.md",
        &doc("Widgets", &format!("| `deep` | `{ty}` | |")),
    )
    .unwrap_err();
    let first = errors.first().unwrap().to_string();
    assert!(
        first.contains("unknown-type") && first.contains("nested more than 8"),
        "{first}"
    );
    // Within the limits, the crate is generated.
    let mut ty = String::from("string");
    for _ in 0..8 {
        ty = format!("array<{ty}>");
    }
    let parsed = parse(
        "deep.md",
        &doc("Widgets", &format!("| `deep` | `{ty}` | |")),
    )
    .unwrap();
    assert!(emit_crate(&parsed.connector, &options("airbyte-deep")).is_ok());
}

#[test]
fn entities_whose_ids_collide_are_an_error() {
    let one = doc("Things", "| `id` | `string` | |");
    let section_start = one.find("## Things").unwrap();
    let second = one[section_start..].replace("Things", "THINGS");
    let text = one.replace(
        "| Things | [List](#things-list) |",
        "| Things | [List](#things-list) |\n| THINGS | [List](#things-list-1) |",
    ) + "\n"
        + &second;
    let errors = parse("ids.md", &text).unwrap_err();
    let all: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert!(
        all.iter().any(|d| d.contains("duplicate-entity")
            && d.contains("`THINGS` has the id `things` of entity `Things`")),
        "{all:#?}"
    );
}

/// The package and the client type come from the same words of the title (once `airbyte-123`
/// beside `V123`): the client is the package's words in PascalCase, without `Airbyte` where
/// the title alone makes a type name of its own. Titles without words are parse errors.
#[test]
fn package_and_client_names_agree() {
    use airbyte_codegen::names;
    use heck::ToUpperCamelCase;
    let long = format!("Acme {}", "Very Long Name ".repeat(8));
    for (title, package, client) in [
        ("Intercom", "airbyte-intercom", "Intercom"),
        ("Clickup-Api", "airbyte-clickup-api", "ClickupApi"),
        ("Monday.com", "airbyte-monday-com", "MondayCom"),
        ("123", "airbyte-123", "Airbyte123"),
        ("1Password", "airbyte-1password", "Airbyte1password"),
        ("Self", "airbyte-self", "AirbyteSelf"),
        ("Error", "airbyte-error", "AirbyteError"),
        ("Json", "airbyte-json", "AirbyteJson"),
        (long.trim(), "", ""),
    ] {
        let text = doc("Widgets", "| `id` | `string` | |").replace(
            "# Acme full reference",
            &format!("# {title} full reference"),
        );
        let parsed = parse("title.md", &text).unwrap_or_else(|d| panic!("{title}: {d:?}"));
        let krate = lower(&parsed.connector).unwrap();
        let got = names::package(&parsed.connector.title).unwrap();
        if !package.is_empty() {
            assert_eq!(
                (got.as_str(), krate.connector.as_str()),
                (package, client),
                "{title}"
            );
        }
        // The same words: the client is the package in PascalCase, with or without `Airbyte`
        // (a package is cut at 64 bytes, so its words may be fewer).
        let words = got.strip_prefix("airbyte-").unwrap().to_upper_camel_case();
        let own = krate
            .connector
            .strip_prefix("Airbyte")
            .unwrap_or(&krate.connector);
        assert!(
            own.starts_with(&words) || krate.connector.starts_with(&words),
            "{title}: {got} / {}",
            krate.connector
        );
        assert!(got.len() <= names::MAX_PACKAGE, "{got}");
        let files = emit_crate(&parsed.connector, &options(&got))
            .unwrap_or_else(|e| panic!("{title}: {e}"));
        let cargo = files
            .iter()
            .find(|f| f.path.ends_with("Cargo.toml"))
            .unwrap();
        assert!(
            cargo.contents.contains(&format!("name = \"{got}\"")),
            "{title}"
        );
        let lib = files
            .iter()
            .find(|f| f.path.ends_with("src/lib.rs"))
            .unwrap();
        assert!(
            lib.contents
                .contains(&format!("pub use client::{};", krate.connector)),
            "{title}"
        );
    }
    for bad in [
        "#",
        "# full reference",
        "#  Full Reference",
        "# ??? full reference",
        "# -- full reference",
    ] {
        let text = doc("Widgets", "| `id` | `string` | |").replace("# Acme full reference", bad);
        let errors = parse("title.md", &text).unwrap_err();
        let title: Vec<String> = errors
            .iter()
            .filter(|d| d.code == "title")
            .map(|d| d.to_string())
            .collect();
        assert_eq!(title.len(), 1, "{bad}: {errors:?}");
        assert!(
            title[0].starts_with("title.md:1:1: error[title]"),
            "{}",
            title[0]
        );
    }
}

/// Names made of several document names (a nested type's starts with its owner's) are cut
/// at `names::MAX_IDENT`, so that no generated item name makes a file name (rustdoc writes
/// `struct.<Name>.html`) longer than file systems allow; cut names stay unique.
#[test]
fn generated_names_are_bounded() {
    use airbyte_codegen::ir::TypeDef;
    use airbyte_codegen::names::MAX_IDENT;
    use airbyte_codegen::parse::MAX_NAME;
    let segment = |c: char| c.to_string().repeat(40);
    // Paths of 3 segments of 40 characters (123 characters, under MAX_NAME), nested.
    let (a, b, c) = (segment('a'), segment('b'), segment('c'));
    let mut rows = format!(
        "| `{a}` | `object` | |\n| `{a}.{b}` | `object` | |\n| `{a}.{b}.{c}` | `object` | |\n"
    );
    rows.push_str(&format!(
        "| `{a}.{b}.{c}.d` | `string` | |\n| `{a}.{b}.{c}.e` | `string` | |\n"
    ));
    let entity = format!("W{}", "x".repeat(MAX_NAME - 1));
    let parsed = parse("long.md", &doc(&entity, &rows)).unwrap_or_else(|d| panic!("{d:?}"));
    let krate = lower(&parsed.connector).unwrap();
    let mut names: Vec<&str> = vec![&krate.entities[0].module, &krate.entities[0].handle];
    for t in &krate.entities[0].types {
        match t {
            TypeDef::Record(s) | TypeDef::Params(s) => names.push(&s.name),
            TypeDef::Enum(e) => names.push(&e.name),
        }
    }
    names.extend(krate.entities[0].paths.iter().map(|p| p.function.as_str()));
    for a in &krate.entities[0].actions {
        names.extend([
            a.builder.as_str(),
            a.params.name.as_str(),
            a.method.as_str(),
        ]);
    }
    for name in &names {
        assert!(name.len() <= MAX_IDENT + 8, "{} bytes: {name}", name.len());
        syn::parse_str::<syn::Ident>(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:#?}");
    assert!(emit_crate(&parsed.connector, &options("airbyte-long")).is_ok());
}

/// A summary link cut off after its `](` (no anchor, no `)`), or whose `)` is another link's,
/// is a located `summary` error naming the item, never a panic.
#[test]
fn unfinished_summary_links_are_errors() {
    let base = doc("Widgets", "| `id` | string | The id |");
    for cell in [
        "[List](",
        "[List](#widgets-list), [Get](",
        "[Get](, [List](#widgets-list)",
    ] {
        let text = base.replace("[List](#widgets-list)", cell);
        let diags = parse("hostile.md", &text).expect_err(cell);
        assert!(
            diags
                .iter()
                .any(|d| d.code == "summary" && d.message.contains("cannot read the action link")),
            "{cell}: {diags:?}"
        );
    }
}
