//! Doc text from any description passes rustdoc and clippy's default doc lints (issue 15).
//!
//! Descriptions are generated from a grammar of what documents hold: Markdown lists (`-`, `+`,
//! `*`, numbered), lazy continuation lines, `Note:` lines, tables, HTML, indented blocks, code
//! fences and spans, links, quotes, headings, URLs. Every case is checked in Rust against the
//! Markdown rustdoc will read (pulldown-cmark): no code block, HTML, link or code span, no list
//! item with a continuation line, and no letter or digit of the description lost. A random
//! sample is emitted by the real generator as one crate and checked with
//! `cargo clippy -- -D warnings` and `cargo doc` with `RUSTDOCFLAGS=-D warnings`.

mod common;

use airbyte_codegen::docs;
use airbyte_codegen::model::{
    Action, ActionKind, Connector, Endpoint, Entity, Field, Response, Type,
};
use airbyte_codegen::regen::{ensure_file_contents, Mode, Output};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag};

/// The description of the issue: a list, then an unindented line.
const EXPORT: &str = "Exports a Google Workspace file.\nSupported formats:\n- Google Docs -> text/plain\n- Google Sheets -> text/csv\nNote: Export has a 10MB limit.";

/// A word of prose, with the punctuation documents use.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z]{1,8}",
        "[0-9]{1,4}",
        Just("->".to_string()),
        Just("e.g.".to_string()),
        Just("(optional)".to_string()),
        Just("`code`".to_string()),
        Just("**bold**".to_string()),
        Just("_em_".to_string()),
        Just("[link](https://example.com/a_b)".to_string()),
        Just("[^1]".to_string()),
        Just("https://example.com/x?y=1".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("&amp;".to_string()),
        Just("\\{\"id\": \"\\<UUID\\>\"\\}".to_string()),
    ]
}

fn words() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..6).prop_map(|w| w.join(" "))
}

/// One line of a description.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => words(),
        3 => (prop_oneof![Just("-"), Just("+"), Just("*"), Just("1."), Just("2."), Just("10)")], "[ \t]{1,6}", words())
            .prop_map(|(m, s, w)| format!("{m}{s}{w}")),
        2 => words().prop_map(|w| format!("Note: {w}")),
        1 => words().prop_map(|w| format!("  {w}")),
        1 => words().prop_map(|w| format!("    {w}")),
        1 => words().prop_map(|w| format!("\t{w}")),
        1 => words().prop_map(|w| format!("  - {w}")),
        1 => (words(), words()).prop_map(|(a, b)| format!("| {a} | {b} |")),
        1 => Just("|---|---|".to_string()),
        1 => Just("```rust".to_string()),
        1 => Just("```".to_string()),
        1 => Just("~~~".to_string()),
        1 => Just("fn main() { let x = 1; }".to_string()),
        1 => words().prop_map(|w| format!("> {w}")),
        1 => words().prop_map(|w| format!("# {w}")),
        1 => Just("---".to_string()),
        1 => Just("===".to_string()),
        1 => Just("-".to_string()),
        1 => words().prop_map(|w| format!("<details><summary>{w}</summary>")),
        1 => Just("</details>".to_string()),
        1 => Just("<!-- comment -->".to_string()),
        1 => words().prop_map(|w| format!("[ref]: https://example.com {w}")),
        1 => words().prop_map(|w| format!("- [ ] {w}")),
        1 => words().prop_map(|w| format!("!{w}")),
        1 => words().prop_map(|w| format!("/ {w}")),
        2 => Just(String::new()),
    ]
}

fn description() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 1..10).prop_map(|l| l.join("\n"))
}

/// What rustdoc would make of `doc` that the sanitiser must rule out, if anything.
fn markdown_problem(doc: &str) -> Option<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    for (event, range) in Parser::new_ext(doc, options).into_offset_iter() {
        let bad = match &event {
            Event::Start(Tag::CodeBlock(_)) => "a code block (a doctest)",
            Event::Html(_) | Event::InlineHtml(_) => "HTML",
            // `<https://...>` is how the sanitiser keeps URLs from being bare.
            Event::Start(Tag::Link { link_type, .. }) if *link_type != LinkType::Autolink => {
                "a link"
            }
            Event::Start(Tag::Image { .. }) => "an image",
            Event::Code(_) => "a code span",
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => "a footnote or task",
            Event::Start(Tag::BlockQuote(_) | Tag::Table(_)) => "a quote or table",
            _ => continue,
        };
        return Some(format!("{bad} at {range:?}: {:?}", &doc[range.clone()]));
    }
    // Items are unindented, so any non-blank line of an item but its first is lazy.
    let lazy = docs::lazy_lines(doc);
    (!lazy.is_empty()).then(|| format!("lazy continuation lines {lazy:?}"))
}

fn alphanumerics(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sanitised_descriptions_are_plain_markdown(d in description()) {
        let doc = docs::sanitize(&d);
        if let Some(problem) = markdown_problem(&doc) {
            prop_assert!(false, "{problem}\ndescription: {d:?}\ndoc: {doc:?}");
        }
        prop_assert_eq!(alphanumerics(&doc), alphanumerics(&d), "text lost: {:?}", doc);
    }
}

#[test]
fn the_issue_description_ends_its_list() {
    let doc = docs::sanitize(EXPORT);
    assert!(markdown_problem(&doc).is_none(), "{doc}");
    assert!(
        doc.ends_with("text/csv\n\nNote: Export has a 10MB limit."),
        "{doc}"
    );
}

fn field(name: &str, description: &str) -> Field {
    Field {
        name: name.to_string(),
        ty: Type::String { format: None },
        nullable: false,
        required: Some(false),
        default: None,
        description: description.to_string(),
        line: 1,
        fields: Vec::new(),
    }
}

/// A connector whose actions, params and record fields carry `descriptions`.
fn connector(descriptions: &[String]) -> Connector {
    let actions = descriptions
        .chunks(3)
        .enumerate()
        .map(|(i, d)| Action {
            kind: ActionKind::Get,
            label: format!("Get {i}"),
            name: format!("get_{i}"),
            description: d[0].clone(),
            params: d.get(1).map(|p| vec![field("p", p)]).unwrap_or_default(),
            response: Some(Response::Records {
                records: d
                    .get(2)
                    .map(|r| vec![field(&format!("f{i}"), r)])
                    .unwrap_or_default(),
                meta: Vec::new(),
            }),
            line: i + 1,
        })
        .collect();
    Connector {
        name: "docs".to_string(),
        title: "Docs".to_string(),
        endpoint: Endpoint {
            base_url: "https://api.airbyte.ai".to_string(),
            path: "/v1/connectors/{id}/execute".to_string(),
            path_param: "id".to_string(),
        },
        entities: vec![Entity {
            name: "Widgets".to_string(),
            id: "widgets".to_string(),
            actions,
        }],
        replication: None,
    }
}

/// `cargo <args>` in `dir`, sharing the runtime's build with `emit_compile`.
fn cargo(dir: &std::path::Path, args: &[&str], rustdocflags: bool) -> (bool, String) {
    let target = common::target_dir().join("emit-check/target");
    common::cargo(dir, &target, args, rustdocflags)
}

/// A sample of generated descriptions (and the issue's), as one crate of the real generator,
/// passes `clippy -D warnings` and `rustdoc -D warnings`.
#[test]
fn sampled_descriptions_pass_clippy_and_rustdoc() {
    let mut runner = TestRunner::default();
    let mut descriptions = vec![EXPORT.to_string()];
    for _ in 0..47 {
        let tree = description().new_tree(&mut runner).expect("a description");
        descriptions.push(tree.current());
    }
    let root = common::root();
    let scratch = common::target_dir().join("doc-lint");
    let runtime = root.join("runtime");
    let files = common::emit(
        &connector(&descriptions),
        "airbyte-doc-lint",
        runtime.to_str().expect("utf-8 path"),
    );
    let outputs = vec![
        Output::Dir {
            path: "doc-lint".into(),
            files,
        },
        Output::File {
            path: "Cargo.toml".into(),
            contents: "[workspace]\nresolver = \"2\"\nmembers = [\"doc-lint\"]\n".to_string(),
        },
        Output::File {
            path: "Cargo.lock".into(),
            contents: std::fs::read_to_string(root.join("Cargo.lock")).expect("lockfile"),
        },
    ];
    ensure_file_contents(&scratch, &outputs, Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    let sample = descriptions.join("\n=====\n");
    let (ok, out) = cargo(
        &scratch,
        &["clippy", "--offline", "--workspace", "--", "-D", "warnings"],
        false,
    );
    assert!(ok, "clippy failed:\n{out}\ndescriptions:\n{sample}");
    let (ok, out) = cargo(&scratch, &["doc", "--offline", "--no-deps"], true);
    assert!(ok, "rustdoc failed:\n{out}\ndescriptions:\n{sample}");
}
