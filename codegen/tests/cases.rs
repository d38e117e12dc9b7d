//! The document cases of `../shared/cases` (10: Python-rendered type cells, 11: unescaped `|`
//! in descriptions), one test each named after the case. Each runs on the repo's copy
//! (`tests/cases/<case>.md`) and again on `../shared/cases/<case>/input.md` when present.

use std::path::{Path, PathBuf};

use airbyte_codegen::diagnostics::Severity;
use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::model::{Field, Response};
use airbyte_codegen::parse::{parse_bytes, Parsed};
use airbyte_codegen::types::{Literal, Type};

fn documents(case: &str) -> Vec<(PathBuf, Parsed)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let repo = manifest.join(format!("tests/cases/{case}.md"));
    let shared = manifest.join(format!("../../shared/cases/{case}/input.md"));
    let mut paths = vec![repo];
    if shared.exists() {
        paths.push(shared);
    } else {
        println!("skipping {}: ../shared is absent", shared.display());
    }
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let parsed = parse_bytes("input.md", &bytes)
                .unwrap_or_else(|d| panic!("{}: {d:?}", p.display()));
            (p, parsed)
        })
        .collect()
}

fn find<'f>(fields: &'f [Field], path: &str) -> &'f Field {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let f = fields
        .iter()
        .find(|f| f.name == head)
        .unwrap_or_else(|| panic!("no field {head}"));
    match rest {
        Some(r) => find(&f.fields, r),
        None => f,
    }
}

fn records(parsed: &Parsed) -> (&[Field], &[Field]) {
    let action = &parsed.connector.entities[0].actions[0];
    match &action.response {
        Some(Response::Records { records, meta }) => (records, meta),
        other => panic!("{other:?}"),
    }
}

fn strs(values: &[&str]) -> Type {
    Type::Enum {
        values: values.iter().map(|s| Literal::Str((*s).into())).collect(),
        open: false,
    }
}

/// Case 10: zero errors and warnings; `None` is the enum's `null` member in any position,
/// `True`/`False` booleans, `0.5 | 1 | 1.5` a number; every other row modelled.
#[test]
fn case_10_python_rendered_enum_members() {
    for (path, parsed) in documents("10-python-rendered-enum-members") {
        let what = path.display();
        assert!(parsed.warnings.is_empty(), "{what}: {:?}", parsed.warnings);
        let (records, _) = records(&parsed);
        let cases: &[(&str, Type, bool)] = &[
            (
                "ai_agent.last_answer_type",
                strs(&["ai_answer", "custom_answer"]),
                true,
            ),
            (
                "ai_agent.resolution_state",
                strs(&[
                    "assumed_resolution",
                    "confirmed_resolution",
                    "routed_to_team",
                    "abandoned",
                ]),
                true,
            ),
            (
                "linked_category",
                strs(&["Customer", "Back-office", "Tracker"]),
                true,
            ),
            // One boolean literal: a constant, kept (a `bool` whose doc names it).
            (
                "merge_preview.allowed",
                Type::Enum {
                    values: vec![Literal::Bool(true)],
                    open: false,
                },
                false,
            ),
            (
                "merge_preview.blocked",
                Type::Enum {
                    values: vec![Literal::Bool(false)],
                    open: false,
                },
                false,
            ),
            // Decimals: a numeric enum of the values as written (a `Number` in the record).
            (
                "score_weights",
                Type::Enum {
                    values: vec![
                        Literal::Dec("0.5".into()),
                        Literal::Int(1),
                        Literal::Dec("1.5".into()),
                    ],
                    open: false,
                },
                false,
            ),
            ("ai_agent.rating", Type::Integer, false),
            ("type", Type::String { format: None }, true),
        ];
        for (field, ty, nullable) in cases {
            let f = find(records, field);
            assert_eq!((&f.ty, f.nullable), (ty, *nullable), "{what}: {field}");
        }
    }
}

/// Case 11: 0 errors, 4 `description-pipe` warnings located at each row's first surplus `|`;
/// the descriptions re-joined in full, every other column unchanged.
#[test]
fn case_11_description_unescaped_pipe() {
    for (path, parsed) in documents("11-description-unescaped-pipe") {
        let what = path.display();
        let at: Vec<(&str, usize, usize)> = parsed
            .warnings
            .iter()
            .map(|d| (d.code, d.line, d.col))
            .collect();
        assert_eq!(
            at,
            [
                ("description-pipe", 43, 49),
                ("description-pipe", 44, 78),
                ("description-pipe", 55, 47),
                ("description-pipe", 56, 64),
            ],
            "{what}"
        );
        for d in &parsed.warnings {
            assert_eq!(d.severity, Severity::Warning);
            assert!(d.hint.as_deref().unwrap_or_default().contains(r"\|"), "{d}");
        }
        let action = &parsed.connector.entities[0].actions[0];
        let string = Type::String { format: None };
        for (name, description) in [
            ("order", "Sort direction: asc | desc"),
            (
                "separator",
                "Character placed between values, for example |",
            ),
        ] {
            let p = find(&action.params, name);
            assert_eq!(p.description, description, "{what}");
            assert_eq!(
                (&p.ty, p.nullable, p.required),
                (&string, false, Some(false))
            );
        }
        assert_eq!(
            find(&action.params, "per_page").description,
            "Number of contacts to return per page"
        );
        let (records, _) = records(&parsed);
        for (name, description) in [
            ("channel", "Either email | chat | phone"),
            ("query", "Lucene query such as `a|b` or c | d"),
        ] {
            let f = find(records, name);
            assert_eq!(f.description, description, "{what}");
            assert_eq!((&f.ty, f.nullable), (&string, true));
        }
        // The IR's doc text (what the emitted doc comments are) keeps the full descriptions.
        let krate = airbyte_codegen::lower::lower(&parsed.connector).expect("lowers");
        // Rustdoc Markdown escapes a `|` as `\|` (Debug doubles the backslash); it renders as `|`.
        let ir = format!("{krate:?}").replace(r"\\|", "|");
        for text in [
            "asc | desc",
            "email | chat | phone",
            "or c | d",
            "for example |",
        ] {
            assert!(ir.contains(text), "{what}: {text}");
        }
    }
}

/// Case 10, decoding: the e2e test `case_10_python_rendered_enum_members` decodes the case's
/// JSON with the module generated from the case document, committed as
/// `tests/tests/case_10_generated/conversations.rs`; this keeps that copy fresh (run with
/// `UPDATE_CASES=1` to rewrite it after a change of the emitter, and read the diff).
#[test]
fn case_10_generated_module_is_fresh() {
    committed_module_is_fresh(
        "codegen/tests/cases/10-python-rendered-enum-members.md",
        "airbyte-intercom",
        "conversations.rs",
        "tests/tests/case_10_generated/conversations.rs",
    );
}

/// The sandbox e2e test (`tests/tests/sandbox_e2e.rs`) drives the module generated from the
/// Acme fixture (`tests/fixtures/tasks/REFERENCE.md`, lists paged by page number), committed as
/// `tests/tests/acme_generated/tasks.rs`; this keeps that copy fresh (`UPDATE_CASES=1`).
#[test]
fn acme_generated_module_is_fresh() {
    committed_module_is_fresh(
        "tests/fixtures/tasks/REFERENCE.md",
        "airbyte-acme",
        "tasks.rs",
        "tests/tests/acme_generated/tasks.rs",
    );
}

/// `tests/tests/signal_tools.rs` checks tool arguments through the runtime's `ToolSet` into the
/// params types generated from the enum shapes document (`codegen/tests/shapes/signal.md`):
/// its module and `tools.json` are committed as `tests/tests/signal_generated/`, kept fresh here.
#[test]
fn signal_generated_module_and_tools_are_fresh() {
    for (module, committed) in [
        ("alerts.rs", "tests/tests/signal_generated/alerts.rs"),
        ("tools.json", "tests/tests/signal_generated/tools.json"),
    ] {
        committed_module_is_fresh(
            "codegen/tests/shapes/signal.md",
            "airbyte-signal",
            module,
            committed,
        );
    }
}

/// Emits the crate of `doc` (relative to the workspace root) and checks that its `module`
/// equals the copy committed at `committed`; with `UPDATE_CASES` set, rewrites the copy.
fn committed_module_is_fresh(doc: &str, crate_name: &str, module: &str, committed: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let parsed = parse_bytes("input.md", &std::fs::read(root.join(doc)).unwrap()).unwrap();
    let options = CrateOptions {
        crate_name: crate_name.into(),
        runtime_path: "../../runtime".into(),
        source: doc.into(),
        version: "0.1.0".into(),
    };
    let files = emit_crate(&parsed.connector, &options).expect("emits");
    let module = files
        .iter()
        .find(|f| f.path.ends_with(module))
        .unwrap_or_else(|| panic!("a module {module}"));
    let committed = root.join(committed);
    if std::env::var_os("UPDATE_CASES").is_some() {
        std::fs::create_dir_all(committed.parent().unwrap()).unwrap();
        std::fs::write(&committed, &module.contents).unwrap();
    }
    let on_disk = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        on_disk == module.contents,
        "{} is stale: run `UPDATE_CASES=1 cargo test -p airbyte-codegen --test cases`",
        committed.display()
    );
}
