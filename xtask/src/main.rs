//! Project automation: `cargo xtask regen [--check]`, `cargo xtask corpus [DIR]`,
//! `cargo xtask bench [--quick]`.

mod bench;
mod corpus;
mod layout;

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
    /// Regenerate every model and crate from the documents under spec/.
    Regen {
        /// Change nothing; fail naming each stale file.
        #[arg(long)]
        check: bool,
    },
    /// Generate, build and lint a crate for every reference document in DIR.
    Corpus {
        /// Directory of reference documents [default: ../shared/corpus]
        dir: Option<PathBuf>,
    },
    /// Run every benchmark and print one summary table (see BENCHMARKS.md).
    Bench {
        /// Shorter criterion runs.
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let root = project_root();
    match Cli::parse().task {
        Task::Regen { check } => regen_cmd(&root, check),
        Task::Corpus { dir } => {
            let dir = dir.unwrap_or_else(|| root.join("../shared/corpus"));
            corpus::run(&root, &dir)
        }
        Task::Bench { quick } => bench::run(&root, quick),
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

fn regen_cmd(root: &Path, check: bool) -> ExitCode {
    let plan = match layout::plan(root) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("regen failed, nothing written: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &plan.warnings {
        eprintln!("{w}");
    }
    let mode = if check {
        Mode::Check { fix: layout::FIX }
    } else {
        Mode::Write
    };
    match regen::ensure_file_contents(root, &plan.outputs, mode) {
        Ok(_) if check => println!("regen --check: everything is fresh"),
        Ok(changed) if changed.is_empty() => println!("regen: nothing changed"),
        Ok(changed) => {
            for p in &changed {
                println!("wrote {}", p.display());
            }
        }
        Err(e @ EnsureError::Stale { .. }) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("regen failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
