//! Project automation: `cargo xtask regen [--check]`, `cargo xtask corpus [DIR]`,
//! `cargo xtask bench [--quick]`.

mod bench;
mod corpus;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use airbyte_codegen::regen;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    match args.first().map(String::as_str) {
        Some("regen") => regen_cmd(&root, args.iter().any(|a| a == "--check")),
        Some("corpus") => {
            let dir = args
                .get(1)
                .map_or_else(|| root.join("../shared/corpus"), PathBuf::from);
            corpus::run(&root, &dir)
        }
        Some("bench") => bench::run(&root, args.iter().any(|a| a == "--quick")),
        _ => {
            eprintln!(
                "usage: cargo xtask regen [--check] | cargo xtask corpus [DIR] | \
                 cargo xtask bench [--quick]"
            );
            ExitCode::from(2)
        }
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
    let plan = match regen::plan(root) {
        Ok(plan) => plan,
        Err(e) => {
            eprintln!("regen failed, nothing written: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &plan.warnings {
        eprintln!("{w}");
    }
    if check {
        match regen::stale(root, &plan) {
            Ok(stale) if stale.is_empty() => {
                println!("regen --check: everything is fresh");
                ExitCode::SUCCESS
            }
            Ok(stale) => {
                for p in &stale {
                    eprintln!("stale: {} (run `cargo xtask regen`)", p.display());
                }
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("regen --check: {e}");
                ExitCode::FAILURE
            }
        }
    } else {
        match regen::write(root, &plan) {
            Ok(changed) => {
                for p in &changed {
                    println!("wrote {}", p.display());
                }
                if changed.is_empty() {
                    println!("regen: nothing changed");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("regen failed: {e}");
                ExitCode::FAILURE
            }
        }
    }
}
