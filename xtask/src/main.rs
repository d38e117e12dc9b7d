//! Project automation: `cargo xtask regen [--check | --bump]`, `cargo xtask semver [OLD NEW]`,
//! `cargo xtask corpus [DIR]`, `cargo xtask bench [--quick] [--python]`,
//! `cargo xtask doc-links`.

/// `say!` that does not panic when stdout is closed (`cargo xtask … | head -1`): the
/// reader has what it wanted, so the process ends at once with the status a process killed by
/// `SIGPIPE` has (141); another write error ends it with status 1, saying so on stderr.
macro_rules! say {
    ($($arg:tt)*) => { $crate::output::stdout(::std::format_args!($($arg)*), true) };
}

/// `say_raw!` with the same handling of a closed stdout as [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => { $crate::output::stdout(::std::format_args!($($arg)*), false) };
}

/// `note!` that does not panic when stderr is closed: what cannot be written is lost.
macro_rules! note {
    ($($arg:tt)*) => { $crate::output::stderr(::std::format_args!($($arg)*), true) };
}

/// `note_raw!` with the same handling of a closed stderr as [`note!`].
macro_rules! note_raw {
    ($($arg:tt)*) => { $crate::output::stderr(::std::format_args!($($arg)*), false) };
}

mod bench;
mod bench_python;
mod corpus;
mod doc_links;
mod keys;
mod layout;
mod output;
mod pagination;
mod semver;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use airbyte_codegen::regen::{self, EnsureError, Mode};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "xtask", bin_name = "cargo xtask", about = "Project automation")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate every model and crate from the documents under spec/, and report each
    /// crate's API changes since its version's baseline (`spec/<name>/baseline.yaml`).
    Regen {
        /// Change nothing; fail naming each stale file, and when a crate's version lags a
        /// breaking change.
        #[arg(long, conflicts_with = "bump")]
        check: bool,
        /// Move each changed crate's version by the bump its changes need, make the current
        /// model its baseline and prepend the report to `generated/<name>/CHANGELOG.md`.
        #[arg(long)]
        bump: bool,
    },
    /// Generate, build and lint a crate for every reference document in DIR (or for the one
    /// document DIR names).
    Corpus {
        /// Directory of reference documents, or one document [default: ../shared/corpus]
        dir: Option<PathBuf>,
    },
    /// How the actions of every reference document in DIR page: per document the paginated
    /// actions and those that stream, the share that streams, and each that does not, with
    /// its reason.
    Pagination {
        /// Directory of reference documents, or one document [default: ../shared/corpus]
        dir: Option<PathBuf>,
    },
    /// How the actions on one record (get, update, delete, download) of every reference
    /// document in DIR name it: per document by parameter, only record and unsettled; each key
    /// settled by a weaker rule, and each unsettled one with its reason.
    Keys {
        /// Directory of reference documents, or one document [default: ../shared/corpus]
        dir: Option<PathBuf>,
    },
    /// Hold `airbyte-codegen diff`'s bump against cargo-semver-checks on a pair of documents
    /// (skipped, saying so, when the tool is not installed).
    Semver {
        /// Old document or model [default: spec/intercom/REFERENCE.md]
        old: Option<PathBuf>,
        /// New document or model [default: ../shared/corpus/intercom.md]
        new: Option<PathBuf>,
    },
    /// Document the workspace (`cargo doc --no-deps`, the runtime first) and check that
    /// every link in the HTML leads to a page, naming each dead one.
    DocLinks,
    /// Run every benchmark and print one summary table (see BENCHMARKS.md).
    Bench {
        /// Shorter criterion runs.
        #[arg(long)]
        quick: bool,
        /// Also time Airbyte's Python SDK (airbyte-agent-sdk) on the same body and sandbox, in
        /// a virtual environment cached under the target directory (skipped, saying so,
        /// without Python or the package index).
        #[arg(long)]
        python: bool,
    },
}

fn main() -> ExitCode {
    let root = project_root();
    match Cli::parse().task {
        Task::Regen { check, bump } => regen_cmd(&root, check, bump),
        Task::Corpus { dir } => {
            let dir = dir.unwrap_or_else(|| root.join("../shared/corpus"));
            corpus::run(&root, &dir)
        }
        Task::Pagination { dir } => {
            pagination::run(&dir.unwrap_or_else(|| root.join("../shared/corpus")))
        }
        Task::Keys { dir } => keys::run(&dir.unwrap_or_else(|| root.join("../shared/corpus"))),
        Task::Semver { old, new } => semver::run(&root, old, new),
        Task::Bench { quick, python } => bench::run(&root, quick, python),
        Task::DocLinks => doc_links::run(&root),
    }
}

/// `cargo` (the one running the xtask, when known) run in `dir`.
fn cargo_in(dir: &Path) -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir);
    cmd
}

fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace root")
        .to_path_buf()
}

fn regen_cmd(root: &Path, check: bool, bump: bool) -> ExitCode {
    let plan = match layout::plan(root, bump) {
        Ok(plan) => plan,
        Err(e) => {
            note!("regen failed, nothing written: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &plan.warnings {
        note!("{w}");
    }
    let mode = if check {
        Mode::Check { fix: layout::FIX }
    } else {
        Mode::Write
    };
    let written = regen::ensure_file_contents(root, &plan.outputs, mode);
    report_releases(&plan.releases);
    let problems: Vec<String> = if check {
        plan.releases.iter().filter_map(|r| r.problem()).collect()
    } else {
        Vec::new()
    };
    match written {
        Ok(_) if check && problems.is_empty() => say!("regen --check: everything is fresh"),
        Ok(_) if check => {}
        Ok(changed) if changed.is_empty() => say!("regen: nothing changed"),
        Ok(changed) => {
            for p in &changed {
                say!("wrote {}", p.display());
            }
        }
        Err(e @ EnsureError::Stale { .. }) => {
            note!("{e}");
            problems.iter().for_each(|p| note!("{p}"));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            note!("regen failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    if !problems.is_empty() {
        problems.iter().for_each(|p| note!("{p}"));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// Each crate's changes since its baseline, as Markdown for the pull request.
fn report_releases(releases: &[layout::Release]) {
    for r in releases {
        let Some(report) = r.report.as_ref().filter(|r| !r.changes.is_empty()) else {
            continue;
        };
        let name = layout::crate_name(&r.name);
        let base = layout::baseline(&r.name);
        match r.bumped {
            Some(v) => say!(
                "## {name} {} -> {v}\n\nChanges since `{}` (now the baseline of {v}; \
                 the entry of `{}`):\n",
                r.version,
                base.display(),
                layout::changelog(&r.name).display()
            ),
            None => say!(
                "## {name} {}: changes since `{}`\n\n`{}` would make it {}.\n",
                r.version,
                base.display(),
                layout::BUMP,
                r.wanted()
            ),
        }
        say!("{}", report.markdown("###"));
    }
}
