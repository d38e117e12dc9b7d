//! `cargo xtask corpus [DIR]`: parse every reference document in DIR, generate every crate into
//! one scratch workspace under `target/corpus`, build and lint them together, print a table.
//! [`run`] does each step with a function of its own: [`documents`], [`generate`],
//! [`write_workspace`], [`build_and_lint`], [`report`].

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use airbyte_codegen::diagnostics::Severity;
use airbyte_codegen::emit::{self, CrateOptions, GeneratedFile};
use airbyte_codegen::model::{Connector, Field, Response};
use airbyte_codegen::parse;
use airbyte_codegen::regen::{self, EnsureError, Mode, Output};

#[derive(Default)]
struct Row {
    entities: usize,
    actions: usize,
    fields: usize,
    errors: usize,
    warnings: usize,
    built: Option<bool>,
    lint_errors: usize,
    seconds: f64,
    first_error: Option<String>,
}

pub fn run(root: &Path, dir: &Path) -> ExitCode {
    let docs = match documents(dir) {
        Ok(docs) => docs,
        Err(e) => {
            eprintln!("corpus: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = root.join("runtime");
    let mut rows = BTreeMap::new();
    let mut crates = Vec::new();
    for doc in &docs {
        let (name, row, files) = generate(doc, &runtime);
        if let Some(files) = files {
            crates.push((name.clone(), files));
        }
        rows.insert(name, row);
    }
    let members: Vec<String> = crates.iter().map(|(name, _)| name.clone()).collect();
    let e2e = members
        .iter()
        .any(|m| m == E2E_CONNECTOR)
        .then(|| e2e_crate(root));
    let scratch = root.join("target/corpus");
    if let Err(e) = write_workspace(root, &scratch, crates.into_iter().chain(e2e).collect()) {
        eprintln!("corpus: {e}");
        return ExitCode::FAILURE;
    }
    let checks = build_and_lint(&scratch, &root.join("target"), &members, &mut rows);
    let mut ok = report(&rows, &checks);
    if members.iter().any(|m| m == E2E_CONNECTOR) {
        ok &= run_e2e(&scratch, &root.join("target"));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The document whose generated crate the `corpus-e2e` test drives against the sandbox.
const E2E_CONNECTOR: &str = "asana";
/// The scratch member holding that test.
const E2E_MEMBER: &str = "corpus-e2e";

/// The `corpus-e2e` crate: `xtask/corpus-e2e/asana.rs` as its test, depending on the crate
/// generated from `asana.md`, the runtime and the sandbox.
fn e2e_crate(root: &Path) -> (String, Vec<GeneratedFile>) {
    let manifest = format!(
        "[package]\nname = \"{E2E_MEMBER}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dev-dependencies]\n\
         airbyte-corpus-{E2E_CONNECTOR} = {{ path = \"../{E2E_CONNECTOR}\" }}\n\
         airbyte-agent-runtime = {{ path = {runtime:?} }}\n\
         airbyte-agent-sandbox = {{ path = {sandbox:?} }}\n\
         futures = \"0.3\"\n\
         serde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n",
        runtime = root.join("runtime").display().to_string(),
        sandbox = root.join("sandbox").display().to_string(),
    );
    let files = vec![
        GeneratedFile {
            path: "Cargo.toml".into(),
            contents: manifest,
        },
        GeneratedFile {
            path: "src/lib.rs".into(),
            contents: "//! Tests only: see `tests/`.\n".into(),
        },
        GeneratedFile {
            path: format!("tests/{E2E_CONNECTOR}.rs").into(),
            contents: include_str!("../corpus-e2e/asana.rs").into(),
        },
    ];
    (E2E_MEMBER.to_owned(), files)
}

/// Runs the `corpus-e2e` test (the README's download snippet against the sandbox); true when
/// it passes.
fn run_e2e(scratch: &Path, target: &Path) -> bool {
    let t = Instant::now();
    let status = crate::cargo_in(scratch)
        .args(["test", "-p", E2E_MEMBER])
        .env("CARGO_TARGET_DIR", target)
        .status();
    let ok = matches!(status, Ok(s) if s.success());
    println!(
        "e2e: the download snippet against the crate of {E2E_CONNECTOR}.md and the sandbox: {} ({:.1} s)",
        if ok { "passed" } else { "FAILED" },
        t.elapsed().as_secs_f64()
    );
    ok
}

/// The reference documents in `dir` (`*.md` but `README.md`), sorted.
fn documents(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut docs: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
        })
        .collect();
    docs.sort();
    Ok(docs)
}

/// Parses one document and emits its crate (`airbyte-corpus-<stem>`, runtime at `runtime`):
/// the document's name, its row (counts, errors, warnings, seconds) and, when it generates, the
/// crate's files. Errors and warnings are printed.
fn generate(doc: &Path, runtime: &Path) -> (String, Row, Option<Vec<GeneratedFile>>) {
    let name = doc
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("doc")
        .to_string();
    let mut row = Row::default();
    let start = Instant::now();
    let shown = doc.display().to_string();
    let generated = fs::read(doc)
        .map_err(|e| vec![e.to_string()])
        .and_then(|bytes| {
            String::from_utf8(bytes).map_err(|e| vec![format!("{shown}: not UTF-8: {e}")])
        })
        .and_then(|text| {
            parse::parse(&shown, &text).map_err(|ds| {
                row.warnings = ds
                    .iter()
                    .filter(|d| d.severity == Severity::Warning)
                    .count();
                ds.iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.to_string())
                    .collect()
            })
        })
        .and_then(|parsed| {
            row.warnings = parsed.warnings.len();
            for w in &parsed.warnings {
                println!("{w}");
            }
            count(&parsed.connector, &mut row);
            let options = CrateOptions {
                crate_name: format!("airbyte-corpus-{name}"),
                runtime_path: runtime.display().to_string(),
                source: shown.clone(),
                version: "0.1.0".to_string(),
            };
            emit::emit_crate(&parsed.connector, &options).map_err(|e| vec![e.to_string()])
        });
    let files = match generated {
        Ok(files) => Some(files),
        Err(errors) => {
            row.errors = errors.len();
            row.first_error = errors.first().cloned();
            for e in &errors {
                eprintln!("{e}");
            }
            None
        }
    };
    row.seconds = start.elapsed().as_secs_f64();
    (name, row, files)
}

/// Makes `scratch` one workspace of the generated `crates` (name, files), with the project's
/// lockfile (same dependency versions). Only what differs from the last run is written, so
/// unchanged crates are not rebuilt.
fn write_workspace(
    root: &Path,
    scratch: &Path,
    crates: Vec<(String, Vec<GeneratedFile>)>,
) -> Result<(), EnsureError> {
    let lock = root.join("Cargo.lock");
    let lock =
        fs::read_to_string(&lock).map_err(|source| EnsureError::Io { path: lock, source })?;
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        crates
            .iter()
            .map(|(name, _)| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut outputs = vec![
        Output::File {
            path: "Cargo.toml".into(),
            contents: manifest,
        },
        Output::File {
            path: "Cargo.lock".into(),
            contents: lock,
        },
    ];
    outputs.extend(crates.into_iter().map(|(name, files)| Output::Dir {
        path: name.into(),
        files,
    }));
    regen::ensure_file_contents(scratch, &outputs, Mode::Write).map(drop)
}

/// The scratch workspace's build and clippy runs.
struct Checks {
    build: CargoRun,
    build_secs: f64,
    lint: CargoRun,
    lint_secs: f64,
}

/// Builds and lints the scratch workspace in one cargo invocation each (sharing the project's
/// `target`, so dependencies build once) and records in the rows of its `members` whether each
/// built and how many clippy errors it has.
fn build_and_lint(
    scratch: &Path,
    target: &Path,
    members: &[String],
    rows: &mut BTreeMap<String, Row>,
) -> Checks {
    let t = Instant::now();
    let build = cargo(scratch, target, &["build", "--workspace", "--keep-going"]);
    let build_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let lint = cargo(
        scratch,
        target,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--keep-going",
            "--",
            "-D",
            "warnings",
        ],
    );
    let lint_secs = t.elapsed().as_secs_f64();
    for name in members {
        let row = rows.get_mut(name).expect("a member has a row");
        row.built = Some(!build.failed.contains(name));
        row.lint_errors = lint.messages.get(name).copied().unwrap_or(0);
    }
    Checks {
        build,
        build_secs,
        lint,
        lint_secs,
    }
}

/// Prints the table and the verdict; true when every document parses, generates, builds and
/// passes clippy.
fn report(rows: &BTreeMap<String, Row>, checks: &Checks) -> bool {
    println!(
        "\n{:<28} {:>8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>6} {:>7}",
        "document",
        "entities",
        "actions",
        "fields",
        "errors",
        "warnings",
        "compiles",
        "clippy",
        "seconds"
    );
    let mut ok = checks.build.ok && checks.lint.ok;
    for (name, r) in rows {
        let compiles = match r.built {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        ok &= r.errors == 0 && r.built == Some(true) && r.lint_errors == 0;
        println!(
            "{name:<28} {:>8} {:>7} {:>7} {:>6} {:>8} {compiles:>8} {:>6} {:>7.3}",
            r.entities, r.actions, r.fields, r.errors, r.warnings, r.lint_errors, r.seconds
        );
        if let Some(e) = &r.first_error {
            println!("    {e}");
        }
    }
    let total = |f: fn(&Row) -> usize| rows.values().map(f).sum::<usize>();
    println!(
        "{:<28} {:>8} {:>7} {:>7} {:>6} {:>8}",
        format!("total ({} documents)", rows.len()),
        total(|r| r.entities),
        total(|r| r.actions),
        total(|r| r.fields),
        total(|r| r.errors),
        total(|r| r.warnings)
    );
    println!(
        "build: {:.1} s (one cargo invocation); clippy -D warnings: {:.1} s",
        checks.build_secs, checks.lint_secs
    );
    if ok {
        println!(
            "corpus: all {} documents parse, generate, build and pass clippy",
            rows.len()
        );
    } else {
        eprintln!("corpus: FAILED");
    }
    ok
}

fn count(c: &Connector, row: &mut Row) {
    fn fields(fs: &[Field]) -> usize {
        fs.iter().map(|f| 1 + fields(&f.fields)).sum()
    }
    row.entities = c.entities.len();
    for a in c.entities.iter().flat_map(|e| &e.actions) {
        row.actions += 1;
        row.fields += fields(&a.params);
        row.fields += match &a.response {
            Some(Response::Records { records, meta }) => fields(records) + fields(meta),
            Some(Response::Search(s)) => fields(&s.fields) + fields(&s.response),
            None => 0,
        };
    }
}

struct CargoRun {
    ok: bool,
    /// Crates (scratch dir names) whose build failed.
    failed: Vec<String>,
    /// Error-level messages per crate.
    messages: BTreeMap<String, usize>,
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) -> CargoRun {
    let mut cmd = crate::cargo_in(dir);
    cmd.args(&args[..1])
        .arg("--message-format=json-render-diagnostics")
        .args(&args[1..])
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("corpus: cannot run cargo: {e}");
            return CargoRun {
                ok: false,
                failed: Vec::new(),
                messages: BTreeMap::new(),
            };
        }
    };
    let mut messages: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed = Vec::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let crate_dir = v["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent())
            .filter(|p| p.starts_with(dir))
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string);
        let Some(name) = crate_dir else { continue };
        if v["reason"] == "compiler-message" && v["message"]["level"] == "error" {
            *messages.entry(name.clone()).or_default() += 1;
            if !failed.contains(&name) {
                failed.push(name);
            }
        }
    }
    CargoRun {
        ok: out.status.success(),
        failed,
        messages,
    }
}
