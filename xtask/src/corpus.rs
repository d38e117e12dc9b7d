//! `cargo xtask corpus [DIR]`: parse every reference document in DIR, generate every crate into
//! one scratch workspace under `target/corpus`, build and lint them together, print a table.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{ExitCode, Stdio};
use std::time::Instant;

use airbyte_codegen::emit::{self, CrateOptions};
use airbyte_codegen::model::{Connector, Field, Response};
use airbyte_codegen::parse;

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
    let mut docs: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            })
            .collect(),
        Err(e) => {
            eprintln!("corpus: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    docs.sort();
    let scratch = root.join("target/corpus");
    let _ = fs::remove_dir_all(&scratch);
    let runtime = root.join("runtime");
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut members = Vec::new();
    for doc in &docs {
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
                        .filter(|d| d.severity == airbyte_codegen::diagnostics::Severity::Warning)
                        .count();
                    ds.iter()
                        .filter(|d| d.severity == airbyte_codegen::diagnostics::Severity::Error)
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
                };
                emit::emit_crate(&parsed.connector, &options).map_err(|e| vec![e.to_string()])
            });
        match generated {
            Ok(files) => {
                let crate_dir = scratch.join(&name);
                for f in files {
                    let path = crate_dir.join(&f.path);
                    if let Some(p) = path.parent() {
                        let _ = fs::create_dir_all(p);
                    }
                    if let Err(e) = fs::write(&path, f.contents) {
                        eprintln!("corpus: cannot write {}: {e}", path.display());
                        return ExitCode::FAILURE;
                    }
                }
                members.push(name.clone());
            }
            Err(errors) => {
                row.errors = errors.len();
                row.first_error = errors.first().cloned();
                for e in &errors {
                    eprintln!("{e}");
                }
            }
        }
        row.seconds = start.elapsed().as_secs_f64();
        rows.insert(name, row);
    }

    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n[profile.dev]\ndebug = false\n",
        members
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Err(e) = fs::write(scratch.join("Cargo.toml"), manifest) {
        eprintln!("corpus: {e}");
        return ExitCode::FAILURE;
    }
    // Same dependency versions as the project, and its target dir, so dependencies build once.
    let _ = fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock"));
    let target = root.join("target");

    let t = Instant::now();
    let build = cargo(&scratch, &target, &["build", "--workspace", "--keep-going"]);
    let build_secs = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let lint = cargo(
        &scratch,
        &target,
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
    for m in &members {
        let row = rows.get_mut(m).expect("row");
        row.built = Some(!build.failed.contains(m));
        row.lint_errors = lint.messages.get(m).copied().unwrap_or(0);
    }

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
    let mut failed = false;
    for (name, r) in &rows {
        let compiles = match r.built {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "-",
        };
        failed |= r.errors > 0 || r.built != Some(true) || r.lint_errors > 0;
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
        "build: {build_secs:.1} s (one cargo invocation); clippy -D warnings: {lint_secs:.1} s"
    );
    if !build.ok || !lint.ok {
        failed = true;
    }
    if failed {
        eprintln!("corpus: FAILED");
        ExitCode::FAILURE
    } else {
        println!(
            "corpus: all {} documents parse, generate, build and pass clippy",
            rows.len()
        );
        ExitCode::SUCCESS
    }
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
