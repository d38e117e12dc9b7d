//! `cargo xtask corpus [DIR]`: parse every reference document in DIR, generate every crate into
//! one scratch workspace under `<target dir>/corpus` (`$CARGO_TARGET_DIR`, else `target`), build
//! and lint them together, call every tool of every crate with arguments enumerated from its
//! input schema, print a table.
//! [`run`] does each step with a function of its own: [`documents`], [`generate`],
//! [`write_workspace`] (with [`tools_check`]), [`build_and_lint`], [`report`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
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

use crate::layout;

#[derive(Default)]
struct Row {
    entities: usize,
    actions: usize,
    fields: usize,
    errors: usize,
    warnings: usize,
    built: Option<bool>,
    /// Clippy's error-level messages; `None` when the crate was not linted.
    lint_errors: Option<usize>,
    /// Whether every tool read every example argument object into its params; `None` when
    /// the tools were not checked.
    tools_ok: Option<bool>,
    seconds: f64,
    /// The first error of the parse, the generation, the build or clippy, in that order.
    first_error: Option<String>,
}

pub fn run(root: &Path, dir: &Path) -> ExitCode {
    let docs = match documents(dir) {
        Ok(docs) => docs,
        Err(e) => {
            note!("corpus: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    let runtime = root.join("runtime");
    let mut rows = BTreeMap::new();
    let mut crates = Vec::new();
    let mut connectors = Vec::new();
    for doc in &docs {
        let (name, row, files) = generate(doc, &runtime);
        if let Some((connector, files)) = files {
            crates.push((name.clone(), files));
            connectors.push((name.clone(), connector));
        }
        rows.insert(name, row);
    }
    let members: Vec<String> = crates.iter().map(|(name, _)| name.clone()).collect();
    let e2e = members
        .iter()
        .any(|m| m == E2E_CONNECTOR)
        .then(|| e2e_crate(root));
    crates.push((TOOLS_CHECK.to_string(), tools_check(&runtime, &connectors)));
    let target = layout::target_dir(root);
    let scratch = target.join("corpus");
    if let Err(e) = write_workspace(root, &scratch, crates.into_iter().chain(e2e).collect()) {
        note!("corpus: {e}");
        return ExitCode::FAILURE;
    }
    let checks = build_and_lint(&scratch, &target, &members, &mut rows);
    let (table, mut ok) = report(&rows, &checks);
    say_raw!("{table}");
    if members.iter().any(|m| m == E2E_CONNECTOR) {
        ok &= run_e2e(&scratch, &target);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        say_raw!("{table}");
        note!("corpus: FAILED");
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
    say!(
        "e2e: the crate of {E2E_CONNECTOR}.md against the sandbox (download snippet; lists streamed from its model): {} ({:.1} s)",
        if ok { "passed" } else { "FAILED" },
        t.elapsed().as_secs_f64()
    );
    ok
}

/// The reference documents `path` names: the file itself, or the `*.md` files of the
/// directory but `README.md`, sorted. A directory without any is an error naming it.
pub fn documents(path: &Path) -> io::Result<Vec<PathBuf>> {
    if !fs::metadata(path)?.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut docs: Vec<PathBuf> = fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md") && p.is_file())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
        })
        .collect();
    if docs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            "no reference document (`*.md` but README.md) in this directory",
        ));
    }
    docs.sort();
    Ok(docs)
}

/// Parses one document and emits its crate (`airbyte-corpus-<stem>`, runtime at `runtime`):
/// the document's name, its row (counts, errors, warnings, seconds) and, when it generates, the
/// connector type's name and the crate's files. Errors and warnings are printed.
fn generate(doc: &Path, runtime: &Path) -> (String, Row, Option<(String, Vec<GeneratedFile>)>) {
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
                say!("{w}");
            }
            count(&parsed.connector, &mut row);
            let options = CrateOptions {
                crate_name: format!("airbyte-corpus-{name}"),
                runtime_path: runtime.display().to_string(),
                source: shown.clone(),
                version: "0.1.0".to_string(),
            };
            let (krate, mut files) =
                emit::emit_lowered(&parsed.connector, &options, &Default::default())
                    .map_err(|e| vec![e.to_string()])?;
            // The model and the settled paging beside the crate, as `airbyte-codegen
            // generate` writes them: what the e2e test serves the sandbox from.
            let model =
                regen::model_yaml(&parsed.connector, &shown).map_err(|e| vec![e.to_string()])?;
            let paging = regen::paging_yaml(&parsed.connector, &krate, &shown)
                .map_err(|e| vec![e.to_string()])?;
            files.push(GeneratedFile {
                path: "model.yaml".into(),
                contents: model,
            });
            files.push(GeneratedFile {
                path: airbyte_codegen::resolved::FILE_NAME.into(),
                contents: paging,
            });
            Ok((krate.connector, files))
        });
    let files = match generated {
        Ok(files) => Some(files),
        Err(errors) => {
            row.errors = errors.len();
            row.first_error = errors.first().cloned();
            for e in &errors {
                note!("{e}");
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

/// The scratch crate that calls every tool of every generated crate.
const TOOLS_CHECK: &str = "tools-check";

/// The files of the [`TOOLS_CHECK`] crate: one test per generated crate (`connectors`: scratch
/// directory and connector type) that enumerates example arguments from each tool's input
/// schema and calls the tool with them on a connector whose endpoint refuses connections, so
/// a call either fails as invalid arguments (the schema and the params disagree: the test
/// fails) or gets past argument checking and fails to connect.
fn tools_check(runtime: &Path, connectors: &[(String, String)]) -> Vec<GeneratedFile> {
    let header = regen::header("#", "cargo xtask corpus");
    let deps: String = connectors
        .iter()
        .map(|(dir, _)| format!("airbyte-corpus-{dir} = {{ path = \"../{dir}\" }}\n"))
        .collect();
    let manifest = format!(
        "{header}[package]\nname = \"{TOOLS_CHECK}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dev-dependencies]\nairbyte-agent-runtime = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         serde_json = \"1\"\n{deps}",
        runtime.display().to_string()
    );
    let tests: String = connectors
        .iter()
        .map(|(dir, connector)| {
            let krate = format!("airbyte_corpus_{}", dir.replace('-', "_"));
            let test = dir.replace('-', "_");
            format!(
                "\n#[tokio::test]\nasync fn {test}() {{\n    let connector = {krate}::{connector}::builder()\n        \
                 .base_url(REFUSED)\n        .connector_id(\"check\")\n        .bearer_token(\"check\")\n        \
                 .retry(RetryPolicy::none())\n        .build()\n        .expect(\"connector\");\n    \
                 check(\"{dir}\", &connector).await;\n}}\n"
            )
        })
        .collect();
    let source = format!(
        "{}//! Every tool of every corpus crate called with arguments enumerated from its input\n\
         //! schema: each must be read into the action's params (the endpoint refuses the\n\
         //! connection, so a call that gets past argument checking fails with an API error).\n\n\
         use airbyte_agent_runtime::tools::{{example_arguments, ToolErrorKind, Toolbox}};\n\
         use airbyte_agent_runtime::RetryPolicy;\n\n\
         /// A loopback port nothing listens on (discard).\n\
         const REFUSED: &str = \"http://127.0.0.1:9\";\n\n\
         async fn check(doc: &str, connector: &impl Toolbox) {{\n    \
         for tool in connector.tools() {{\n        \
         for args in example_arguments(&tool.input_schema, 12) {{\n            \
         if let Err(e) = connector.call_tool(&tool.name, args.clone()).await {{\n                \
         assert_ne!(\n                    e.kind,\n                    ToolErrorKind::InvalidArguments,\n                    \
         \"{{doc}}: {{}} rejected {{args}}: {{}}\",\n                    tool.name,\n                    e.message\n                \
         );\n            }}\n        }}\n    }}\n}}\n{tests}",
        regen::header("//", "cargo xtask corpus")
    );
    vec![
        GeneratedFile {
            path: "Cargo.toml".into(),
            contents: manifest,
        },
        GeneratedFile {
            path: "src/lib.rs".into(),
            contents: format!(
                "{}//! Tests only: see `tests/tools.rs`.\n",
                regen::header("//", "cargo xtask corpus")
            ),
        },
        GeneratedFile {
            path: "tests/tools.rs".into(),
            contents: source,
        },
    ]
}

/// The scratch workspace's build, clippy and tools-check runs.
struct Checks {
    build: CargoRun,
    build_secs: f64,
    lint: CargoRun,
    lint_secs: f64,
    /// The tools check (`None` when the workspace has no tools-check crate).
    tools: Option<CargoRun>,
    tools_secs: f64,
}

/// Builds and lints the scratch workspace in one cargo invocation each (sharing the project's
/// `target`, so dependencies build once) and records in the rows of its `members` whether each
/// built, how many clippy errors it has, and its first error.
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
    let t = Instant::now();
    let tools = scratch.join(TOOLS_CHECK).is_dir().then(|| {
        cargo(
            scratch,
            target,
            &["test", "-p", TOOLS_CHECK, "--no-fail-fast"],
        )
    });
    let tools_secs = t.elapsed().as_secs_f64();
    record_checks(members, rows, &build, &lint, tools.as_ref());
    Checks {
        build,
        build_secs,
        lint,
        lint_secs,
        tools,
        tools_secs,
    }
}

/// Writes the build, clippy and tools results of each member into its row.
fn record_checks(
    members: &[String],
    rows: &mut BTreeMap<String, Row>,
    build: &CargoRun,
    lint: &CargoRun,
    tools: Option<&CargoRun>,
) {
    for name in members {
        let row = rows.get_mut(name).expect("a member has a row");
        let build_errors = build.errors.get(name);
        let lint_errors = lint.errors.get(name);
        row.built = Some(build_errors.is_none());
        row.lint_errors = Some(lint_errors.map_or(0, Vec::len));
        let tools_failed = tools.is_some_and(|t| t.failed_tests.contains(&name.replace('-', "_")));
        row.tools_ok = tools.map(|_| !tools_failed);
        if row.first_error.is_none() {
            row.first_error = build_errors
                .or(lint_errors)
                .and_then(|e| e.first())
                .cloned()
                .or_else(|| {
                    tools_failed.then(|| {
                        format!("tools check: a tool did not read its example arguments (cargo test -p {TOOLS_CHECK} {})", name.replace('-', "_"))
                    })
                });
        }
    }
}

/// The table and the list of failing documents with their first error; true when every
/// document parses, generates, builds, passes clippy and its tools read their example
/// arguments.
fn report(rows: &BTreeMap<String, Row>, checks: &Checks) -> (String, bool) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{:<28} {:>8} {:>7} {:>7} {:>6} {:>8} {:>8} {:>6} {:>5} {:>7}",
        "document",
        "entities",
        "actions",
        "fields",
        "errors",
        "warnings",
        "compiles",
        "clippy",
        "tools",
        "seconds"
    );
    let mut failing = Vec::new();
    for (name, r) in rows {
        let compiles = match r.built {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        let clippy = r.lint_errors.map_or("-".to_string(), |n| n.to_string());
        let tools = match r.tools_ok {
            Some(true) => "ok",
            Some(false) => "NO",
            None => "-",
        };
        if r.errors > 0
            || r.built != Some(true)
            || r.lint_errors != Some(0)
            || r.tools_ok == Some(false)
        {
            failing.push((name, r));
        }
        let _ = writeln!(
            out,
            "{name:<28} {:>8} {:>7} {:>7} {:>6} {:>8} {compiles:>8} {clippy:>6} {tools:>5} {:>7.3}",
            r.entities, r.actions, r.fields, r.errors, r.warnings, r.seconds
        );
    }
    let total = |f: fn(&Row) -> usize| rows.values().map(f).sum::<usize>();
    let _ = writeln!(
        out,
        "{:<28} {:>8} {:>7} {:>7} {:>6} {:>8}",
        format!("total ({} documents)", rows.len()),
        total(|r| r.entities),
        total(|r| r.actions),
        total(|r| r.fields),
        total(|r| r.errors),
        total(|r| r.warnings)
    );
    let _ = writeln!(
        out,
        "build: {:.1} s (one cargo invocation); clippy -D warnings: {:.1} s; tools check: {:.1} s",
        checks.build_secs, checks.lint_secs, checks.tools_secs
    );
    // A cargo failure no generated crate accounts for (resolution, a dependency) fails too.
    let unexplained = [
        ("build", Some(&checks.build)),
        ("clippy", Some(&checks.lint)),
        ("test (tools check)", checks.tools.as_ref()),
    ]
    .into_iter()
    .filter_map(|(step, run)| Some((step, run?)))
    .filter(|(_, run)| !run.ok && run.errors.is_empty() && run.failed_tests.is_empty())
    .map(|(step, _)| step)
    .collect::<Vec<_>>();
    let ok = failing.is_empty() && unexplained.is_empty();
    if ok {
        let _ = writeln!(
            out,
            "corpus: all {} documents parse, generate, build, pass clippy, and every tool reads \
             its schema's example arguments",
            rows.len()
        );
    } else {
        let _ = writeln!(out, "\nfailing documents:");
        for (name, r) in &failing {
            let error = r.first_error.as_deref().unwrap_or("(no error message)");
            let _ = writeln!(out, "  {name}: {error}");
        }
        for step in unexplained {
            let _ = writeln!(
                out,
                "  cargo {step} failed outside the generated crates (its output is above)"
            );
        }
    }
    (out, ok)
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
    /// Whether cargo succeeded.
    ok: bool,
    /// Error-level compiler messages per crate of the scratch workspace (its directory name),
    /// each as `file:line:col: message`, in the order cargo reported them.
    errors: BTreeMap<String, Vec<String>>,
    /// Tests that failed (`cargo test` runs: the `test <name> ... FAILED` lines).
    failed_tests: Vec<String>,
}

/// Runs cargo in `dir` with JSON messages: each diagnostic is printed to stderr as rustc
/// renders it, and the errors are attributed to the crates of `dir` they belong to.
fn cargo(dir: &Path, target: &Path, args: &[&str]) -> CargoRun {
    let mut cmd = crate::cargo_in(dir);
    cmd.args(&args[..1])
        .arg("--message-format=json")
        .args(&args[1..])
        .env("CARGO_TARGET_DIR", target)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            note!("corpus: cannot run cargo: {e}");
            return CargoRun {
                ok: false,
                errors: BTreeMap::new(),
                failed_tests: Vec::new(),
            };
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut failed_tests = Vec::new();
    let errors = compiler_errors(
        &stdout,
        dir,
        |rendered| note_raw!("{rendered}"),
        &mut failed_tests,
    );
    CargoRun {
        ok: out.status.success(),
        errors,
        failed_tests,
    }
}

/// The distinct error-level compiler messages in cargo's JSON output, per crate directory under
/// `dir`; `show` gets every rendered diagnostic; the names of failed tests (lines of the test
/// harness between the JSON messages) go to `failed_tests`. rustc's closing `aborting due to
/// ...` is not counted.
fn compiler_errors(
    json: &str,
    dir: &Path,
    mut show: impl FnMut(&str),
    failed_tests: &mut Vec<String>,
) -> BTreeMap<String, Vec<String>> {
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in json.lines() {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            // The test harness's own output (`cargo test`): shown, failures noted.
            if let Some(test) = line
                .strip_prefix("test ")
                .and_then(|l| l.strip_suffix(" ... FAILED"))
            {
                failed_tests.push(test.to_string());
            }
            let passed = line.starts_with("test ") && line.ends_with(" ... ok");
            if !passed && !line.is_empty() {
                say!("{line}");
            }
            continue;
        };
        if v["reason"] != "compiler-message" {
            continue;
        }
        let message = &v["message"];
        if let Some(rendered) = message["rendered"].as_str() {
            show(rendered);
        }
        let text = message["message"].as_str().unwrap_or_default();
        if message["level"] != "error" || text.starts_with("aborting due to") {
            continue;
        }
        let crate_dir = v["manifest_path"]
            .as_str()
            .and_then(|p| Path::new(p).parent())
            .filter(|p| p.starts_with(dir))
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .map(str::to_string);
        let Some(name) = crate_dir else { continue };
        let spans = message["spans"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let at = spans
            .iter()
            .find(|s| s["is_primary"] == true)
            .or(spans.first())
            .map(|s| {
                format!(
                    "{}:{}:{}: ",
                    s["file_name"].as_str().unwrap_or("?"),
                    s["line_start"],
                    s["column_start"]
                )
            })
            .unwrap_or_default();
        let code = message["code"]["code"]
            .as_str()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        // `--all-targets` checks the library twice (as itself and as its test harness).
        let error = format!("{at}error: {text}{code}");
        let seen = errors.entry(name).or_default();
        if !seen.contains(&error) {
            seen.push(error);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `corpus` and `pagination` take one document as well as a directory of them; a
    /// directory without any is an error naming it (not an empty table that passes).
    #[test]
    fn documents_are_one_file_or_the_md_files_of_a_directory() {
        let root = crate::project_root();
        let dir = layout::target_dir(&root).join("corpus-documents-selftest");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).unwrap();
        for name in ["b.md", "a.md", "README.md", "notes.txt", "sub/c.md"] {
            fs::write(dir.join(name), "# X full reference\n").unwrap();
        }
        assert_eq!(
            documents(&dir).unwrap(),
            vec![dir.join("a.md"), dir.join("b.md")]
        );
        // One file, whatever its name: the caller chose it.
        assert_eq!(
            documents(&dir.join("notes.txt")).unwrap(),
            vec![dir.join("notes.txt")]
        );
        let e = documents(&dir.join("sub/none")).unwrap_err().to_string();
        assert!(e.contains("No such file"), "{e}");
        fs::remove_file(dir.join("sub/c.md")).unwrap();
        let e = documents(&dir.join("sub")).unwrap_err().to_string();
        assert!(
            e.contains("no reference document (`*.md` but README.md)"),
            "{e}"
        );
    }

    /// A scratch workspace of three crates, one clean, one that builds but fails clippy, one
    /// that does not build, checked with the real cargo: each row says so, the failing ones are
    /// listed with their first error, and the verdict is a failure.
    #[test]
    fn table_shows_each_crates_build_and_clippy_result() {
        let root = crate::project_root();
        let scratch = layout::target_dir(&root).join("corpus-selftest");
        let outputs = vec![
            Output::File {
                path: "Cargo.toml".into(),
                contents:
                    "[workspace]\nresolver = \"2\"\nmembers = [\"clean\", \"lints\", \"broken\"]\n"
                        .into(),
            },
            krate(
                "clean",
                "/// Twice `x`.\npub fn twice(x: i32) -> i32 {\n    x * 2\n}",
            ),
            // `ptr_arg`, a default (style) lint: a warning, an error under `-D warnings`.
            krate(
                "lints",
                "/// The length.\npub fn len(v: &Vec<i32>) -> usize {\n    v.len()\n}",
            ),
            krate(
                "broken",
                "/// Not a number.\npub fn n() -> i32 {\n    \"one\"\n}",
            ),
        ];
        regen::ensure_file_contents(&scratch, &outputs, Mode::Write).expect("scratch written");
        let members = ["clean", "lints", "broken"].map(String::from);
        let mut rows: BTreeMap<String, Row> = members
            .iter()
            .map(|m| (m.clone(), Row::default()))
            .collect();
        let checks = build_and_lint(&scratch, &scratch.join("target"), &members, &mut rows);
        assert!(!checks.build.ok && !checks.lint.ok);
        assert_eq!(
            (rows["clean"].built, rows["clean"].lint_errors),
            (Some(true), Some(0))
        );
        assert_eq!(
            (rows["lints"].built, rows["lints"].lint_errors),
            (Some(true), Some(1))
        );
        assert_eq!(rows["broken"].built, Some(false));
        let lints = rows["lints"].first_error.as_deref().unwrap();
        assert!(
            lints.contains("src/lib.rs:4:")
                && lints.contains("[clippy::ptr_arg]")
                && lints.contains("error: writing `&Vec` instead of `&[_]`"),
            "{lints}"
        );
        let broken = rows["broken"].first_error.as_deref().unwrap();
        assert!(broken.contains("mismatched types [E0308]"), "{broken}");

        let (table, ok) = report(&rows, &checks);
        assert!(!ok, "{table}");
        let row = |name: &str| {
            table
                .lines()
                .find(|l| l.starts_with(&format!("{name} ")))
                .unwrap_or_else(|| panic!("no row {name}:\n{table}"))
                .split_whitespace()
                .collect::<Vec<_>>()
        };
        // document entities actions fields errors warnings compiles clippy seconds
        assert_eq!(row("clean")[6..8], ["yes", "0"], "{table}");
        assert_eq!(row("lints")[6..8], ["yes", "1"], "{table}");
        assert_eq!(row("broken")[6], "NO", "{table}");
        let failing = table.split("failing documents:\n").nth(1).expect("a list");
        let listed: Vec<&str> = failing
            .lines()
            .filter_map(|l| l.trim().split(':').next())
            .collect();
        assert_eq!(listed, ["broken", "lints"], "{table}");
        assert!(failing.contains(&format!("lints: {lints}")), "{table}");
    }

    /// The directory of a crate `name` whose `src/lib.rs` holds `body`.
    fn krate(name: &str, body: &str) -> Output {
        let file = |path: &str, contents: String| GeneratedFile {
            path: path.into(),
            contents,
        };
        Output::Dir {
            path: name.into(),
            files: vec![
                file(
                    "Cargo.toml",
                    format!(
                        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
                    ),
                ),
                file("src/lib.rs", format!("//! A test crate.\n\n{body}\n")),
            ],
        }
    }
}
