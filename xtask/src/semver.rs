//! `cargo xtask semver [OLD NEW]`: holds `airbyte_codegen::diff`'s classification against
//! cargo-semver-checks. Both documents (or models) are generated as crates of the same name
//! and version under `<target dir>/semver/` (`$CARGO_TARGET_DIR`, else `target`),
//! cargo-semver-checks compares their compiled APIs, and the command fails when our bump is
//! milder than the one it requires. Without
//! cargo-semver-checks installed it says so and succeeds (`skipped`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use airbyte_codegen::diff::{self, Bump, Report};
use airbyte_codegen::emit::{self, CrateOptions, GeneratedFile};
use airbyte_codegen::model::Connector;
use airbyte_codegen::parse;
use airbyte_codegen::regen::{self, Mode, Output};

use crate::layout;

/// The default pair: the committed Intercom spec and the current Intercom document.
pub fn default_pair(root: &Path) -> (PathBuf, PathBuf) {
    (
        root.join("spec/intercom/REFERENCE.md"),
        root.join("../shared/corpus/intercom.md"),
    )
}

/// The installed cargo-semver-checks' version line, or `None`.
pub fn tool_version() -> Option<String> {
    let out = crate::cargo_in(Path::new("."))
        .args(["semver-checks", "--version"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// What one comparison found.
#[derive(Debug)]
pub struct Verdict {
    /// Our report.
    pub ours: Report,
    /// The bump cargo-semver-checks requires, and the names of its failed checks.
    pub theirs: Bump,
    pub lints: Vec<String>,
}

impl Verdict {
    /// Ours is never milder than cargo-semver-checks'.
    pub fn holds(&self) -> bool {
        self.ours.bump >= self.theirs
    }
}

pub fn run(root: &Path, old: Option<PathBuf>, new: Option<PathBuf>) -> ExitCode {
    let (default_old, default_new) = default_pair(root);
    let (old, new) = (old.unwrap_or(default_old), new.unwrap_or(default_new));
    let Some(tool) = tool_version() else {
        say!("semver: skipped: cargo-semver-checks is not installed (`cargo install cargo-semver-checks --locked`)");
        return ExitCode::SUCCESS;
    };
    say!("semver: {tool}: {} -> {}", old.display(), new.display());
    match compare(root, &old, &new) {
        Ok(v) => {
            say!(
                "ours: {} ({} changes); cargo-semver-checks: {} ({} failed checks{})",
                v.ours.bump.as_str(),
                v.ours.changes.len(),
                v.theirs.as_str(),
                v.lints.len(),
                if v.lints.is_empty() {
                    String::new()
                } else {
                    format!(": {}", v.lints.join(", "))
                }
            );
            if v.holds() {
                say!("semver: ours is never milder: holds");
                ExitCode::SUCCESS
            } else {
                note!("semver: ours is milder than cargo-semver-checks");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            note!("semver: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A side: a model (`.yaml`) or a reference document.
fn load(path: &Path) -> Result<Connector, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
        return serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()));
    }
    let name = path.display().to_string();
    parse::parse(&name, &text)
        .map(|p| p.connector)
        .map_err(|diags| {
            diags
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// Our report and cargo-semver-checks' verdict for one pair.
pub fn compare(root: &Path, old: &Path, new: &Path) -> Result<Verdict, String> {
    let (old_model, new_model) = (load(old)?, load(new)?);
    let ours = diff::diff(&old_model, &new_model).map_err(|e| e.to_string())?;
    let scratch = layout::target_dir(root).join("semver");
    let lock = fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    for (side, model, source) in [("old", &old_model, old), ("new", &new_model, new)] {
        // The same crate name and version on both sides: the required bump is what differs.
        let options = CrateOptions {
            crate_name: "airbyte-semver-pair".to_string(),
            runtime_path: root.join("runtime").display().to_string(),
            source: source.display().to_string(),
            version: "1.0.0".to_string(),
        };
        let mut files = emit::emit_crate(model, &options).map_err(|e| e.to_string())?;
        for f in &mut files {
            if f.path == Path::new("Cargo.toml") {
                // Its own workspace (it sits inside this one's directory), light debug info.
                f.contents
                    .push_str("\n[workspace]\n\n[profile.dev]\ndebug = false\n");
            }
        }
        files.push(GeneratedFile {
            path: "Cargo.lock".into(),
            contents: lock.clone(),
        });
        let outputs = [Output::Dir {
            path: side.into(),
            files,
        }];
        regen::ensure_file_contents(&scratch, &outputs, Mode::Write).map_err(|e| e.to_string())?;
    }
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(scratch.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(scratch.join("old"))
        .env(
            "CARGO_TARGET_DIR",
            layout::target_dir(root).join("semver/target"),
        )
        .output()
        .map_err(|e| format!("cargo semver-checks: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let (theirs, lints) = read_output(&text).ok_or_else(|| {
        format!(
            "cargo semver-checks gave no verdict (exit {:?}):\n{text}",
            out.status.code()
        )
    })?;
    Ok(Verdict {
        ours,
        theirs,
        lints,
    })
}

/// The required bump and the failed checks, from cargo-semver-checks' output.
fn read_output(text: &str) -> Option<(Bump, Vec<String>)> {
    let lints: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let rest = l.strip_prefix("--- failure ")?;
            Some(rest.split(':').next()?.trim().to_string())
        })
        .collect();
    let summary = text.lines().find(|l| l.contains("Summary"))?;
    let bump = if summary.contains("new major version") {
        Bump::Major
    } else if summary.contains("new minor version") {
        Bump::Minor
    } else if summary.contains("no semver update required") {
        Bump::None
    } else {
        return None;
    };
    Some((bump, lints))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_and_failures() {
        let text = "     Checking airbyte-semver-pair v1.0.0 -> v1.0.0 (no change)\n\
             --- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---\n\
             --- failure inherent_method_missing: pub method removed or renamed ---\n\
             \x20    Summary semver requires new major version: 2 major and 0 minor checks failed\n";
        let (bump, lints) = read_output(text).unwrap();
        assert_eq!(bump, Bump::Major);
        assert_eq!(
            lints,
            ["struct_pub_field_missing", "inherent_method_missing"]
        );
        let none = "     Summary no semver update required\n";
        assert_eq!(read_output(none).unwrap().0, Bump::None);
        assert_eq!(read_output("garbage"), None);
    }

    /// Real pairs: edits of the Intercom spec (a record field's rows removed, an optional and a
    /// required parameter added) and the committed spec against the current Intercom document. Skipped, saying so, without the tool or the
    /// corpus.
    #[test]
    fn ours_is_never_milder_than_cargo_semver_checks() {
        let Some(tool) = tool_version() else {
            say!("skipped: cargo-semver-checks is not installed");
            return;
        };
        let root = crate::project_root();
        let spec = root.join("spec/intercom/REFERENCE.md");
        let text = fs::read_to_string(&spec).unwrap();
        let edited: String = text
            .lines()
            .filter(|l| !l.starts_with("| `marked_email_as_spam` | `boolean \\| null` |"))
            .map(|l| format!("{l}\n"))
            .collect();
        let dir = layout::target_dir(&root).join("semver");
        fs::create_dir_all(&dir).unwrap();
        let row = "| `per_page` | `integer` | No | Number of contacts to return per page |\n";
        assert!(text.contains(row));
        let mut pairs = Vec::new();
        for (name, edited, ours) in [
            ("field-removed", edited, Bump::Major),
            (
                "optional-param",
                text.replacen(
                    row,
                    &format!("{row}| `email` | `string` | No | By email |\n"),
                    1,
                ),
                Bump::Minor,
            ),
            (
                "required-param",
                text.replacen(
                    row,
                    &format!("{row}| `team` | `string` | Yes | A team |\n"),
                    1,
                ),
                Bump::Major,
            ),
        ] {
            let path = dir.join(format!("{name}.md"));
            fs::write(&path, edited).unwrap();
            pairs.push((spec.clone(), path, ours));
        }
        let (_, current) = default_pair(&root);
        if current.exists() {
            pairs.push((spec, current, Bump::Major));
        } else {
            say!("skipped the real pair: {} is absent", current.display());
        }
        for (old, new, ours) in pairs {
            let v = compare(&root, &old, &new).unwrap_or_else(|e| panic!("{e}"));
            say!(
                "{tool}: {} -> {}: ours {}, cargo-semver-checks {} {:?}",
                old.display(),
                new.display(),
                v.ours.bump.as_str(),
                v.theirs.as_str(),
                v.lints
            );
            assert!(v.holds(), "{v:?}");
            assert_eq!(v.ours.bump, ours);
        }
    }
}
