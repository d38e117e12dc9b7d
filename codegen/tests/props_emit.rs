//! Properties of the emitter on hostile names and descriptions (issue 6):
//! - any string becomes a valid Rust identifier (checked with `syn`), names in one scope are
//!   unique, and the emitted `#[serde(rename = "...")]` gives back the original name;
//! - any description (backticks, `*/`, HTML, code fences, `#[`) becomes a doc comment that cannot
//!   break the generated code: every emitted file parses and has the same items as with a plain
//!   description.

use std::collections::{BTreeMap, BTreeSet};

use airbyte_codegen::docs;
use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::model::{
    Action, ActionKind, Connector, Endpoint, Entity, Field, Response, Type,
};
use airbyte_codegen::names::{self, Scope};
use proptest::prelude::*;

fn field(name: &str, ty: Type, description: &str) -> Field {
    Field {
        name: name.to_string(),
        ty,
        nullable: false,
        required: Some(false),
        default: None,
        description: description.to_string(),
        line: 1,
        fields: Vec::new(),
    }
}

/// One entity with one `Get` action whose params and records are `params` and `records`.
fn connector(description: &str, params: Vec<Field>, records: Vec<Field>) -> Connector {
    Connector {
        name: "acme".to_string(),
        title: "Acme".to_string(),
        endpoint: Endpoint {
            base_url: "https://api.airbyte.ai".to_string(),
            path: "/api/v1/integrations/connectors/{connector_id}/execute".to_string(),
            path_param: "connector_id".to_string(),
        },
        entities: vec![Entity {
            name: "Widgets".to_string(),
            id: "widgets".to_string(),
            actions: vec![Action {
                kind: ActionKind::Get,
                label: "Get".to_string(),
                name: "get".to_string(),
                description: description.to_string(),
                params,
                response: Some(Response::Records {
                    records,
                    meta: Vec::new(),
                }),
                line: 1,
            }],
        }],
        replication: None,
    }
}

fn options() -> CrateOptions {
    CrateOptions {
        crate_name: "airbyte-acme".to_string(),
        runtime_path: "../../runtime".to_string(),
        source: "spec/acme/REFERENCE.md".to_string(),
        version: "0.1.0".to_string(),
    }
}

/// Every emitted `.rs` file, parsed.
fn emitted(c: &Connector) -> Vec<(String, syn::File)> {
    let files = emit_crate(c, &options()).unwrap_or_else(|e| panic!("emit failed: {e}"));
    files
        .into_iter()
        .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
        .map(|f| {
            let parsed = syn::parse_file(&f.contents).unwrap_or_else(|e| {
                panic!("{} does not parse: {e}\n{}", f.path.display(), f.contents)
            });
            (f.path.display().to_string(), parsed)
        })
        .collect()
}

/// A struct's serialised fields as (ident, JSON name): the serde rename, or the ident where
/// there is none. Flattened fields (the `extra` map) have no name of their own and are left out.
type Fields = Vec<(String, String)>;

/// Named structs (also inside inline modules), with their fields.
fn structs(items: &[syn::Item], out: &mut Vec<(String, Fields)>) {
    for (name, members) in record_members(items) {
        out.push((name, members.into_iter().collect()));
    }
    for item in items {
        match item {
            syn::Item::Struct(s) => {
                let fields = s
                    .fields
                    .iter()
                    .filter(|f| !flattened(&f.attrs))
                    .filter_map(|f| {
                        let ident = f.ident.as_ref()?.to_string();
                        let json = rename(&f.attrs).unwrap_or_else(|| ident.clone());
                        Some((ident, json))
                    })
                    .collect();
                out.push((s.ident.to_string(), fields));
            }
            syn::Item::Mod(m) => {
                if let Some((_, items)) = &m.content {
                    structs(items, out);
                }
            }
            _ => {}
        }
    }
}

/// The structs declared by macro invocations among `items`, per struct, field ident -> wire
/// name: records (`record! { pub struct Name { "wire" => field: T [as R] [=> Kind], .. } .. }`)
/// and the params of actions (`actions! { pub struct Api = "wire" for C::m; read m: Builder(Params)
/// -> Output { "wire" => field: T, .. } [stream ..;] .. }`).
fn record_members(items: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, String>> {
    use syn::parse::ParseStream;

    /// A braced member list; a record's members may end in `as R` and `=> Kind`.
    fn members(input: ParseStream, record: bool) -> syn::Result<BTreeMap<String, String>> {
        let body;
        syn::braced!(body in input);
        let mut members = BTreeMap::new();
        while !body.is_empty() {
            body.call(syn::Attribute::parse_outer)?;
            let wire: syn::LitStr = body.parse()?;
            body.parse::<syn::Token![=>]>()?;
            let field: syn::Ident = body.parse()?;
            body.parse::<syn::Token![:]>()?;
            body.parse::<syn::Type>()?;
            if record {
                // `as R` only for a nested record.
                if body.peek(syn::Token![as]) {
                    body.parse::<syn::Token![as]>()?;
                    body.parse::<syn::Type>()?;
                }
                if body.peek(syn::Token![=>]) {
                    body.parse::<syn::Token![=>]>()?;
                    body.parse::<syn::Ident>()?;
                }
            }
            members.insert(field.to_string(), wire.value());
            if !body.is_empty() {
                body.parse::<syn::Token![,]>()?;
            }
        }
        Ok(members)
    }

    /// Tokens up to and including the next `;`.
    fn skip_clause(input: ParseStream) -> syn::Result<()> {
        while !input.peek(syn::Token![;]) {
            input.parse::<proc_macro2::TokenTree>()?;
        }
        input.parse::<syn::Token![;]>()?;
        Ok(())
    }

    struct Declared(Vec<(String, BTreeMap<String, String>)>);
    struct Record(Declared);
    impl syn::parse::Parse for Record {
        fn parse(input: ParseStream) -> syn::Result<Self> {
            input.call(syn::Attribute::parse_outer)?;
            input.parse::<syn::Visibility>()?;
            input.parse::<syn::Token![struct]>()?;
            let name: syn::Ident = input.parse()?;
            let members = members(input, true)?;
            // The clauses after the members (`paths;`, `fields for ..;`) declare no struct.
            input.parse::<proc_macro2::TokenStream>()?;
            Ok(Record(Declared(vec![(name.to_string(), members)])))
        }
    }
    struct Actions(Declared);
    impl syn::parse::Parse for Actions {
        fn parse(input: ParseStream) -> syn::Result<Self> {
            input.call(syn::Attribute::parse_outer)?;
            input.parse::<syn::Visibility>()?;
            input.parse::<syn::Token![struct]>()?;
            skip_clause(input)?;
            let mut declared = Vec::new();
            while !input.is_empty() {
                input.call(syn::Attribute::parse_outer)?;
                let _verb: syn::Ident = input.parse()?;
                let _method: syn::Ident = input.parse()?;
                if input.peek(syn::Token![=]) {
                    input.parse::<syn::Token![=]>()?;
                    input.parse::<syn::LitStr>()?;
                }
                input.parse::<syn::Token![:]>()?;
                input.parse::<syn::Ident>()?;
                let params;
                syn::parenthesized!(params in input);
                let name: syn::Ident = params.parse()?;
                // The standard search (`= Search<..> -> ..;`) declares no struct.
                if input.peek(syn::Token![=]) {
                    skip_clause(input)?;
                    continue;
                }
                input.parse::<syn::Token![->]>()?;
                input.parse::<syn::Type>()?;
                declared.push((name.to_string(), members(input, false)?));
                // `stream ..;` or `download;`.
                let clause = input.fork().parse::<syn::Ident>();
                if matches!(clause, Ok(i) if i == "stream" || i == "download") {
                    skip_clause(input)?;
                }
            }
            Ok(Actions(Declared(declared)))
        }
    }
    items
        .iter()
        .flat_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("record") => {
                let Record(Declared(d)) = m.mac.parse_body().expect("record! input");
                d
            }
            syn::Item::Macro(m) if m.mac.path.is_ident("actions") => {
                let Actions(Declared(d)) = m.mac.parse_body().expect("actions! input");
                d
            }
            _ => Vec::new(),
        })
        .collect()
}

/// Whether a field is `#[serde(flatten)]`.
fn flattened(attrs: &[syn::Attribute]) -> bool {
    let mut found = false;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            found |= meta.path.is_ident("flatten");
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// The value of `#[serde(rename = "...")]`, decoded from its string literal.
fn rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let lit: syn::LitStr = meta.value()?.parse()?;
                found = Some(lit.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

/// Names of every item in a file, recursively, to compare two emissions' shapes.
fn item_names(items: &[syn::Item], prefix: &str, out: &mut BTreeSet<String>) {
    for item in items {
        let name = match item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            syn::Item::Fn(f) => f.sig.ident.to_string(),
            syn::Item::Type(t) => t.ident.to_string(),
            syn::Item::Const(c) => c.ident.to_string(),
            syn::Item::Mod(m) => {
                let inner = format!("{prefix}{}::", m.ident);
                if let Some((_, items)) = &m.content {
                    item_names(items, &inner, out);
                }
                m.ident.to_string()
            }
            syn::Item::Impl(i) => {
                let methods = i.items.iter().filter_map(|it| match it {
                    syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                    _ => None,
                });
                for m in methods {
                    out.insert(format!("{prefix}impl::{m}"));
                }
                continue;
            }
            _ => continue,
        };
        out.insert(format!("{prefix}{name}"));
    }
}

fn shape(c: &Connector) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, file) in emitted(c) {
        item_names(&file.items, &format!("{path}::"), &mut out);
    }
    out
}

/// Names a document could contain: anything, with the hostile ones made likely.
fn any_name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,12}",
        "[a-zA-Z0-9_ .\\[\\]?$-]{0,12}",
        prop::sample::select(vec![
            "type", "self", "Self", "super", "crate", "gen", "async", "r#type", "_", "__", "1",
            "0x", "Option", "Result", "String", "Box", "Vec", "None", "default", "", " ", "?", "é",
            "名前", "a-b", "a.b", "a[]", "$ref", "@type",
        ])
        .prop_map(str::to_string),
    ]
}

/// Descriptions with everything that could end a comment, a string or an attribute.
fn any_description() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "`",
        "```",
        "```rust\nfn main() {}\n```",
        "*/",
        "/*",
        "/**",
        "//",
        "\"",
        "\\",
        "\\\"",
        "#[",
        "#![allow(x)]",
        "]",
        "}",
        "{",
        "<script>",
        "</details>",
        "<!--",
        "-->",
        "&amp;",
        "\n",
        "\n\n",
        "    indented",
        "\t",
        "\r",
        "\u{0}",
        "\u{202e}",
        "r#\"",
        "\"#",
        "[link](x)",
        "[`Vec`]",
        "https://example.com/a_b*c",
        "# Heading",
        "| a | b |",
        "*",
        "_",
        "~~~",
        "text",
        " ",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(pieces, 0..20).prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_string_is_a_valid_identifier(raw in any_name()) {
        for id in [names::snake(&raw, "field"), names::pascal(&raw, "Unnamed")] {
            prop_assert!(syn::parse_str::<syn::Ident>(&id).is_ok(), "{raw:?} -> {id:?}");
        }
    }

    #[test]
    fn names_in_one_scope_are_unique_and_valid(raws in prop::collection::vec(any_name(), 0..24)) {
        let mut snake = Scope::default();
        let mut pascal = Scope::default();
        let mut seen = BTreeSet::new();
        for raw in &raws {
            for id in [snake.snake(raw, "field"), pascal.pascal(raw, "Unnamed")] {
                prop_assert!(syn::parse_str::<syn::Ident>(&id).is_ok(), "{raw:?} -> {id:?}");
                prop_assert!(seen.insert(id.clone()), "{id} handed out twice for {raws:?}");
            }
        }
    }

    /// Record and parameter fields named anything: emitted idents are valid and unique in their
    /// struct, and each field's serde rename is exactly the original name.
    #[test]
    fn serde_rename_gives_back_the_original_name(raws in prop::collection::btree_set(any_name(), 1..8)) {
        let want: BTreeSet<String> = raws.into_iter().filter(|n| !n.is_empty()).collect();
        prop_assume!(!want.is_empty());
        let fields: Vec<Field> = want
            .iter()
            .map(|n| field(n, Type::String { format: None }, "a field"))
            .collect();
        let c = connector("Gets a widget", fields.clone(), fields);
        let mut all = Vec::new();
        for (_, file) in emitted(&c) {
            structs(&file.items, &mut all);
        }
        let mut matched = 0;
        for (name, fields) in &all {
            let renames: BTreeSet<String> = fields.iter().map(|(_, json)| json.clone()).collect();
            if renames != want {
                continue;
            }
            matched += 1;
            let idents: BTreeSet<&String> = fields.iter().map(|(i, _)| i).collect();
            prop_assert_eq!(idents.len(), fields.len(), "duplicate field in {}", name);
            for (ident, _) in fields {
                prop_assert!(syn::parse_str::<syn::Ident>(ident).is_ok(), "{ident}");
            }
        }
        // The record struct and the params struct.
        prop_assert!(matched >= 2, "no struct carries the names {want:?}: {all:?}");
    }

    /// A hostile description changes the doc text and nothing else.
    #[test]
    fn a_description_cannot_break_the_generated_code(desc in any_description()) {
        let plain = connector("plain", vec![field("id", Type::String { format: None }, "plain")], vec![field("id", Type::Integer, "plain")]);
        let hostile = connector(&desc, vec![field("id", Type::String { format: None }, &desc)], vec![field("id", Type::Integer, &desc)]);
        prop_assert_eq!(shape(&hostile), shape(&plain));
        // The doc text opens no code block (rustdoc would compile it) and holds no raw HTML.
        let text = docs::sanitize(&desc);
        prop_assert!(
            !text.lines().any(|l| {
                let l = l.trim_start();
                l.starts_with("```") || l.starts_with("~~~")
            }),
            "{text}"
        );
        prop_assert!(!text.lines().any(|l| l.starts_with("    ") || l.starts_with('\t')), "{text}");
        let unescaped_lt = text.match_indices('<').any(|(i, _)| {
            !text[..i].ends_with('\\') && !text[i + 1..].starts_with("http")
        });
        prop_assert!(!unescaped_lt, "{text}");
    }
}
