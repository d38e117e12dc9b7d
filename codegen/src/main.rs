//! `airbyte-codegen`: the generator for one document.
//!
//! Exit codes: 0 success (warnings allowed; `diff` whatever the bump), 1 a document or model
//! has errors, 2 usage error, 3 input or output failure (a stdout closed before the end, as
//! by `| head`, included), 4 the model cannot be emitted as Rust. Nothing panics on a closed
//! stdout or stderr.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Parser, Subcommand, ValueEnum};

use airbyte_codegen::diff;
use airbyte_codegen::emit::{self, CrateOptions};
use airbyte_codegen::parse;
use airbyte_codegen::regen::{self, Mode, Output};
use airbyte_codegen::render::render;

/// Set when stdout could not be written (closed by its reader, or failing): the run then ends
/// with [`IO_ERROR`] instead of success.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// `print!` / `println!` that never panic: a stdout closed by its reader is remembered
/// ([`STDOUT_FAILED`]), not a panic.
macro_rules! out {
    ($w:ident, $($arg:tt)*) => {{
        if $w!(std::io::stdout().lock(), $($arg)*).is_err() {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
        }
    }};
}

/// `eprint!` / `eprintln!` that never panic: diagnostics written to a closed stderr are lost
/// (there is nowhere else to say so); the exit code still tells the result.
macro_rules! diag {
    ($w:ident, $($arg:tt)*) => {{
        let _ = $w!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "airbyte-codegen",
    version,
    about = "Airbyte agent-connector reference -> typed Rust SDK"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse a reference document (or read a model) and print its diagnostics.
    Check {
        /// The reference Markdown, or a model (`.yaml`).
        file: PathBuf,
    },
    /// Write the model YAML and a generated crate for one reference document (or model).
    Generate {
        /// The reference Markdown, or a model (`.yaml`).
        #[arg(long)]
        input: PathBuf,
        /// Directory of the generated crate (created; `model.yaml` is written inside it). Only
        /// files whose contents differ are written; nothing is removed.
        #[arg(long)]
        out: PathBuf,
        /// Crate name; defaults to `airbyte-` and the title's words in kebab case (the client
        /// type is named from the same words).
        #[arg(long, value_parser = option(emit::check_crate_name))]
        name: Option<String>,
        /// Path of the `airbyte-agent-runtime` crate, as the generated Cargo.toml should name it.
        #[arg(long, default_value = "../../runtime", value_parser = option(emit::check_runtime_path))]
        runtime_path: String,
        /// The crate's version, as the generated Cargo.toml should state it (SemVer:
        /// `major.minor.patch`, optionally `-pre` and `+build`).
        #[arg(long, default_value = "0.1.0", value_parser = option(emit::check_version))]
        version: String,
    },
    /// Every public-API change of the generated crate between two documents (or models),
    /// each classified by semver; the bump it needs.
    Diff {
        /// The old side: a reference document, or a model (`.yaml`).
        old: PathBuf,
        /// The new side: a reference document, or a model (`.yaml`).
        new: PathBuf,
        /// `text`: Markdown for a pull request; `json`: `{"bump", "changes": [..]}`.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

/// A clap value parser from the generator's own check of an option: a bad value is a usage
/// error naming the option (`invalid value '1.x' for '--version <VERSION>': ..`), found before
/// the document is read.
fn option(
    check: fn(&str) -> Result<(), emit::EmitError>,
) -> impl Fn(&str) -> Result<String, String> + Clone {
    move |value| {
        check(value)
            .map(|()| value.to_owned())
            .map_err(|e| e.message)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A lowering error as `file:line: error: message` (the line is left out when the error is
/// not about one).
fn located(file: &std::path::Path, e: &emit::EmitError) -> String {
    if e.line > 0 {
        format!("{}:{}: error: {}", file.display(), e.line, e.message)
    } else {
        format!("{}: error: {}", file.display(), e.message)
    }
}

const DOC_ERRORS: u8 = 1;
const IO_ERROR: u8 = 3;
const EMIT_ERROR: u8 = 4;

fn main() -> ExitCode {
    let code = run(Cli::parse().command);
    if STDOUT_FAILED.load(Ordering::Relaxed) && code == ExitCode::SUCCESS {
        return ExitCode::from(IO_ERROR);
    }
    code
}

fn run(command: Command) -> ExitCode {
    match command {
        Command::Check { file } => check_cmd(&file),
        Command::Diff { old, new, format } => diff_cmd(&old, &new, format),
        Command::Generate {
            input,
            out,
            name,
            runtime_path,
            version,
        } => generate_cmd(&input, &out, name, runtime_path, version),
    }
}

/// `check`: parses and lowers the document, printing its diagnostics and a summary line.
fn check_cmd(file: &Path) -> ExitCode {
    match load(file) {
        Ok(parsed) => {
            let c = &parsed.connector;
            // A document is only clean when its crate can be generated too.
            let krate = match airbyte_codegen::lower::lower(c) {
                Ok(krate) => krate,
                Err(e) => {
                    diag!(writeln, "{}", located(file, &e));
                    return ExitCode::from(EMIT_ERROR);
                }
            };
            // An action on one record whose key could not be settled: a server (the sandbox)
            // cannot tell which record it names.
            let resolved = airbyte_codegen::resolved::resolved(c, &krate);
            for k in airbyte_codegen::resolved::keys(&krate, &resolved) {
                if let airbyte_codegen::resolved::Key::Unsettled { reason } = k.key {
                    diag!(
                        writeln,
                        "{}:{}: note: {} {}: no record key: {reason}",
                        file.display(),
                        k.line,
                        k.entity,
                        k.action
                    );
                }
            }
            let actions: usize = c.entities.iter().map(|e| e.actions.len()).sum();
            out!(
                writeln,
                "{}: {} entities, {} actions, {} warnings",
                file.display(),
                c.entities.len(),
                actions,
                parsed.warnings.len()
            );
            ExitCode::SUCCESS
        }
        Err(code) => ExitCode::from(code),
    }
}

/// `generate`: writes the crate, `model.yaml` and `paging.resolved.yaml` into `out`, refusing to overwrite a file
/// the generator did not write.
fn generate_cmd(
    input: &Path,
    out: &Path,
    name: Option<String>,
    runtime_path: String,
    version: String,
) -> ExitCode {
    if let Some(file) = out.ancestors().find(|a| a.exists()).filter(|a| !a.is_dir()) {
        let which = match file == out {
            true => String::new(),
            false => format!(" {}", file.display()),
        };
        diag!(
            writeln,
            "error: --out {}:{which} is a file, expected a directory (the generated crate's, \
             created when absent)",
            out.display()
        );
        return ExitCode::from(IO_ERROR);
    }
    let parsed = match load(input) {
        Ok(p) => p,
        Err(code) => return ExitCode::from(code),
    };
    let connector = &parsed.connector;
    let source = input.display().to_string();
    // The parser refuses a title without words, so there is a package name.
    let Some(crate_name) = name.or_else(|| airbyte_codegen::names::package(&connector.title))
    else {
        diag!(
            writeln,
            "{}: error: the title has no letter or digit to name the crate from; pass --name",
            input.display()
        );
        return ExitCode::from(DOC_ERRORS);
    };
    let options = CrateOptions {
        crate_name,
        runtime_path,
        source: source.clone(),
        version,
    };
    let (krate, files) = match emit::emit_lowered(connector, &options, &Default::default()) {
        Ok(lowered) => lowered,
        Err(e) => {
            diag!(writeln, "{}", located(input, &e));
            return ExitCode::from(EMIT_ERROR);
        }
    };
    let model = match regen::model_yaml(connector, &source) {
        Ok(yaml) => yaml,
        Err(e) => {
            diag!(writeln, "cannot serialise the model: {e}");
            return ExitCode::from(EMIT_ERROR);
        }
    };
    // One file output each, not a directory replaced whole: `--out` may name a directory
    // that holds more than the crate.
    let mut outputs: Vec<Output> = files
        .into_iter()
        .map(|f| Output::File {
            path: f.path,
            contents: f.contents,
        })
        .collect();
    outputs.push(Output::File {
        path: PathBuf::from("model.yaml"),
        contents: model,
    });
    // Beside it, the paging lowering settled: what the sandbox's `--model` serves lists by.
    match regen::paging_yaml(connector, &krate, &source) {
        Ok(yaml) => outputs.push(Output::File {
            path: PathBuf::from(airbyte_codegen::resolved::FILE_NAME),
            contents: yaml,
        }),
        Err(e) => {
            diag!(writeln, "{}", located(input, &e));
            return ExitCode::from(EMIT_ERROR);
        }
    }
    let foreign = foreign_files(out, &outputs);
    if !foreign.is_empty() {
        diag!(
            writeln,
            "error: refusing to overwrite {} file(s) in {} that airbyte-codegen did not \
             write (no `@generated` marker at the top): {}\n  = hint: move them away or \
             choose another --out",
            foreign.len(),
            out.display(),
            foreign.join(", ")
        );
        return ExitCode::from(IO_ERROR);
    }
    match regen::ensure_file_contents(out, &outputs, Mode::Write) {
        Ok(changed) => {
            out!(
                writeln,
                "wrote {} of {} files to {}",
                changed.len(),
                outputs.len(),
                out.display()
            );
            warn_unresolved_runtime(out, &options.runtime_path);
            ExitCode::SUCCESS
        }
        Err(e) => {
            diag!(writeln, "cannot write: {e}");
            ExitCode::from(IO_ERROR)
        }
    }
}

/// Warns when the runtime path the generated `Cargo.toml` names (relative to `out`, or
/// absolute) holds no `Cargo.toml`: cargo would refuse to build the crate (the default,
/// `../../runtime`, resolves only for `generated/<name>` of a checkout).
fn warn_unresolved_runtime(out: &Path, runtime_path: &str) {
    let resolved = out.join(runtime_path);
    if resolved.join("Cargo.toml").is_file() {
        return;
    }
    // This checkout's runtime, when the binary runs from one.
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let example = match here.join("Cargo.toml").is_file() {
        true => here.canonicalize().unwrap_or(here).display().to_string(),
        false => "/path/to/airbyte-agent-sdk-gen/runtime".to_owned(),
    };
    diag!(
        writeln,
        "warning: the generated Cargo.toml takes `airbyte-agent-runtime` from `{runtime_path}`, \
         that is {}, which has no Cargo.toml: cargo will not build the crate\n  = hint: pass \
         --runtime-path with the runtime crate's directory (absolute, or relative to --out), \
         e.g. --runtime-path {example}",
        resolved.display()
    );
}

fn diff_cmd(old: &Path, new: &Path, format: Format) -> ExitCode {
    let (old_model, new_model) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a.connector, b.connector),
        (Err(code), _) | (_, Err(code)) => return ExitCode::from(code),
    };
    let report = match diff::diff(&old_model, &new_model) {
        Ok(r) => r,
        Err(e) => {
            let file = match e {
                diff::DiffError::Old(_) => old,
                diff::DiffError::New(_) => new,
            };
            diag!(
                writeln,
                "{}: cannot be emitted as Rust: {e}",
                file.display()
            );
            return ExitCode::from(EMIT_ERROR);
        }
    };
    match format {
        Format::Json => out!(writeln, "{}", report.json()),
        Format::Text => {
            out!(
                writeln,
                "## API changes: `{}` -> `{}`\n",
                old.display(),
                new.display()
            );
            out!(write, "{}", report.markdown("###"));
        }
    }
    ExitCode::SUCCESS
}

/// What every subcommand reads: a model (`.yaml`, `.yml`, as `generate` writes it; no
/// warnings) or a reference document (parsed, its warnings printed).
fn load(path: &Path) -> Result<parse::Parsed, u8> {
    let yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !yaml {
        return read_and_parse(path);
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        diag!(writeln, "cannot read {}: {e}", path.display());
        IO_ERROR
    })?;
    let connector = serde_yaml::from_str(&text).map_err(|e| {
        match e.location() {
            Some(l) => diag!(
                writeln,
                "{}:{}:{}: error: not a model: {e}",
                path.display(),
                l.line(),
                l.column()
            ),
            None => diag!(writeln, "{}: error: not a model: {e}", path.display()),
        }
        DOC_ERRORS
    })?;
    Ok(parse::Parsed {
        connector,
        warnings: Vec::new(),
    })
}

fn read_and_parse(path: &Path) -> Result<parse::Parsed, u8> {
    let bytes = std::fs::read(path).map_err(|e| {
        diag!(writeln, "cannot read {}: {e}", path.display());
        IO_ERROR
    })?;
    let name = path.display().to_string();
    // Diagnostics are drawn over the valid UTF-8 prefix, which is all that can be shown.
    let shown = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    };
    match parse::parse_bytes(&name, &bytes) {
        Ok(parsed) => {
            diag!(write, "{}", render(&parsed.warnings, shown));
            Ok(parsed)
        }
        Err(diags) => {
            diag!(write, "{}", render(&diags, shown));
            Err(DOC_ERRORS)
        }
    }
}

/// The existing files among `outputs` under `out` that differ from what would be written and
/// do not start with the `@generated` marker: hand-written files `generate` must not replace.
fn foreign_files(out: &Path, outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::File { path, contents } => Some((path, contents)),
            Output::Dir { .. } => None,
        })
        .filter_map(|(path, contents)| {
            let existing = std::fs::read(out.join(path)).ok()?;
            let head = &existing[..existing.len().min(300)];
            let ours = String::from_utf8_lossy(head).contains("@generated");
            (existing != contents.as_bytes() && !ours).then(|| path.display().to_string())
        })
        .collect()
}
