//! The workspace layout, decided here and nowhere else: connector `<name>`'s document is
//! `spec/<name>/REFERENCE.md`, its model `spec/<name>/model.yaml`, its crate `generated/<name>`,
//! named `airbyte-<name>`, depending on the runtime at `../../runtime`.
//!
//! The crate's version lives with the spec, in `spec/<name>/version`, beside
//! `spec/<name>/baseline.yaml`: the model that version was made from. Regen reports the API
//! changes from the baseline to the current model (`airbyte_codegen::diff`); `--bump` moves the
//! version by the bump they need, makes the current model the baseline and prepends the report
//! to `generated/<name>/CHANGELOG.md` (kept by regen as it is otherwise, so notes may be added
//! by hand); `--check` fails while a breaking change is not in a version. The baseline is a
//! committed file rather than git history, so the check works the same in a fresh clone, a
//! tarball or a test's temporary directory.
//!
//! [`plan`] computes every output in memory first, so when any document fails nothing is
//! written; `airbyte_codegen::regen::ensure_file_contents` then writes or checks them.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use airbyte_codegen::diagnostics::Diagnostic;
use airbyte_codegen::diff::{self, Bump, Report};
use airbyte_codegen::emit::{self, CrateOptions, GeneratedFile};
use airbyte_codegen::model::Connector;
use airbyte_codegen::paging::Overrides;
use airbyte_codegen::parse;
use airbyte_codegen::regen::{self, Output};

/// The directory cargo builds into: `$CARGO_TARGET_DIR` when set, else `<root>/target`. The
/// scratch workspaces of `corpus`, `semver` and `bench` live under it too, so they share the
/// dependencies already built there.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// The command that rewrites what [`plan`] wants; stale-file messages name it.
pub const FIX: &str = "cargo xtask regen";

/// The command that records a new version.
pub const BUMP: &str = "cargo xtask regen --bump";

/// The reference document of connector `name`, relative to the root, as headers name it.
pub fn reference(name: &str) -> String {
    format!("spec/{name}/REFERENCE.md")
}

/// The committed model of connector `name`, relative to the root.
pub fn model(name: &str) -> PathBuf {
    PathBuf::from(format!("spec/{name}/model.yaml"))
}

/// The version of connector `name`'s crate (`x.y.z` and a newline), relative to the root.
pub fn version_file(name: &str) -> PathBuf {
    PathBuf::from(format!("spec/{name}/version"))
}

/// The model the current version was made from, relative to the root.
pub fn baseline(name: &str) -> PathBuf {
    PathBuf::from(format!("spec/{name}/baseline.yaml"))
}

/// The generated crate directory of connector `name`, relative to the root.
pub fn crate_dir(name: &str) -> PathBuf {
    PathBuf::from(format!("generated/{name}"))
}

/// The crate name of connector `name`.
pub fn crate_name(name: &str) -> String {
    format!("airbyte-{name}")
}

/// How connector `name`'s crate is emitted.
pub fn crate_options(name: &str, version: Version) -> CrateOptions {
    CrateOptions {
        crate_name: crate_name(name),
        runtime_path: "../../runtime".to_string(),
        source: reference(name),
        version: version.to_string(),
    }
}

/// The pagination corrections of a connector, read by regen when present (see
/// `airbyte_codegen::paging::Overrides`).
pub fn pagination(name: &str) -> PathBuf {
    PathBuf::from(format!("spec/{name}/pagination.yaml"))
}

/// The paging codegen settled for connector `name`, written beside its model for the sandbox.
pub fn resolved_paging(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "spec/{name}/{}",
        airbyte_codegen::resolved::FILE_NAME
    ))
}

/// The connectors under `root/spec` (directories with a `REFERENCE.md`), sorted.
pub fn connectors(root: &Path) -> io::Result<Vec<String>> {
    let mut names: Vec<String> = fs::read_dir(root.join("spec"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("REFERENCE.md").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    names.sort();
    Ok(names)
}

/// A crate version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// The first version of a crate.
    pub const FIRST: Version = Version(0, 1, 0);

    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Some(a)), Some(Some(b)), Some(Some(c)), None) => Some(Version(a, b, c)),
            _ => None,
        }
    }

    /// The version after a change of level `bump`, by Cargo's rules: below 1.0 a breaking
    /// change moves the minor number and anything else the patch number.
    pub fn bumped(self, bump: Bump) -> Version {
        let Version(major, minor, patch) = self;
        match (bump, major) {
            (Bump::None, _) => self,
            (Bump::Major, 0) => Version(0, minor + 1, 0),
            (_, 0) => Version(0, minor, patch + 1),
            (Bump::Major, _) => Version(major + 1, 0, 0),
            (Bump::Minor, _) => Version(major, minor + 1, 0),
            (Bump::Patch, _) => Version(major, minor, patch + 1),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// One connector's version and its API changes since the baseline.
#[derive(Debug)]
pub struct Release {
    pub name: String,
    /// The version on disk (the first version when there is none yet).
    pub version: Version,
    /// The baseline -> current model report; `None` before the first baseline is written.
    pub report: Option<Report>,
    /// The version written, when `--bump` moved it.
    pub bumped: Option<Version>,
    /// The latest `## x.y.z` entry of the CHANGELOG on disk, when there is one.
    pub changelog_top: Option<String>,
}

impl Release {
    /// What the crate's version has to become for the changes since the baseline.
    pub fn wanted(&self) -> Version {
        let bump = self.report.as_ref().map_or(Bump::None, |r| r.bump);
        self.version.bumped(bump)
    }

    /// Why the committed version is wrong, if it is: a breaking change not in a version, or a
    /// CHANGELOG whose latest entry is another version.
    pub fn problem(&self) -> Option<String> {
        let crate_name = crate_name(&self.name);
        if let Some(report) = self.report.as_ref().filter(|r| r.bump == Bump::Major) {
            let (major, _, _) = report.counts();
            return Some(format!(
                "{crate_name} {} lags {major} breaking change(s) since {}: run `{BUMP}` (-> {})",
                self.version,
                baseline(&self.name).display(),
                self.wanted()
            ));
        }
        match &self.changelog_top {
            Some(top) if *top != self.version.to_string() => Some(format!(
                "{}: the latest entry is {top} but {crate_name} is {}",
                changelog(&self.name).display(),
                self.version
            )),
            _ => None,
        }
    }
}

/// The CHANGELOG of connector `name`'s crate, relative to the root.
pub fn changelog(name: &str) -> PathBuf {
    crate_dir(name).join("CHANGELOG.md")
}

/// Everything regen wants on disk.
#[derive(Debug, Default)]
pub struct Plan {
    /// Each connector's model, version, baseline and crate directory, in connector order.
    pub outputs: Vec<Output>,
    /// Warnings of the documents.
    pub warnings: Vec<Diagnostic>,
    /// Each connector's version and changes, in connector order.
    pub releases: Vec<Release>,
}

/// Why regen could not compute its plan.
#[derive(Debug)]
pub enum PlanError {
    Io(PathBuf, io::Error),
    /// Errors of every failing document.
    Document(Vec<Diagnostic>),
    Emit(String),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Io(path, e) => write!(f, "{}: {e}", path.display()),
            PlanError::Document(diags) => {
                write!(f, "{} error(s):", diags.len())?;
                diags.iter().try_for_each(|d| write!(f, "\n{d}"))
            }
            PlanError::Emit(e) => f.write_str(e),
        }
    }
}

/// A file's text, or `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<String>, PlanError> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text.replace("\r\n", "\n"))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(PlanError::Io(path.to_path_buf(), e)),
    }
}

/// The baseline file: the model of `version`, under a header saying what it is.
fn baseline_yaml(name: &str, connector: &Connector, version: Version) -> Result<String, PlanError> {
    let yaml = serde_yaml::to_string(connector)
        .map_err(|e| PlanError::Emit(format!("{}: {e}", reference(name))))?;
    Ok(format!(
        "# @generated by `{BUMP}`: the model of {} {version} (from {}),\n\
         # the baseline of regen's API report: `airbyte-codegen diff {} {}`.\n\
         # Do not edit.\n{yaml}",
        crate_name(name),
        reference(name),
        baseline(name).display(),
        reference(name),
    ))
}

/// A new CHANGELOG.
fn changelog_start(name: &str, version: Version) -> String {
    format!(
        "# Changelog of {}\n\n\
         Each entry is written by `{BUMP}`: the changes of the crate's API since the\n\
         previous version, as `airbyte-codegen diff` reports them between\n\
         `{}` and `{}`. Notes may be added by hand under an entry.\n\n\
         ## {version}\n\nThe first version.\n",
        crate_name(name),
        baseline(name).display(),
        reference(name),
    )
}

/// `text` with an entry for `version` before its latest one.
fn changelog_prepend(text: &str, version: Version, report: &Report) -> String {
    let entry = format!("## {version}\n\n{}\n", report.markdown("###"));
    let at = text
        .match_indices("\n## ")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(text.len());
    let (head, rest) = text.split_at(at);
    let sep = if head.ends_with("\n\n") || head.is_empty() {
        ""
    } else {
        "\n"
    };
    format!("{head}{sep}{entry}{rest}")
}

/// The version of the latest `## x.y.z` entry.
fn changelog_top(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("## "))
        .map(|v| v.trim().to_string())
}

/// Computes every output of every connector under `root/spec`, in a stable order; with
/// `bump`, moves each version by its report's bump. The errors of every failing document are
/// collected before failing; any other error ends the plan.
pub fn plan(root: &Path, bump: bool) -> Result<Plan, PlanError> {
    let spec = root.join("spec");
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for name in connectors(root).map_err(|e| PlanError::Io(spec, e))? {
        match plan_connector(root, &name, bump, &mut plan) {
            Err(PlanError::Document(diags)) => errors.extend(diags),
            other => other?,
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(PlanError::Document(errors))
    }
}

/// Adds one connector's outputs (model, version, baseline, crate with its changelog), its
/// release and its document's warnings to `plan`.
fn plan_connector(root: &Path, name: &str, bump: bool, plan: &mut Plan) -> Result<(), PlanError> {
    let source = reference(name);
    let path = root.join(&source);
    let bytes = fs::read(&path).map_err(|e| PlanError::Io(path, e))?;
    let parsed = parse::parse_bytes(&source, &bytes).map_err(PlanError::Document)?;
    plan.warnings.extend(parsed.warnings);
    let connector = parsed.connector;
    let yaml = regen::model_yaml(&connector, &source)
        .map_err(|e| PlanError::Emit(format!("{source}: {e}")))?;

    // The version, the baseline and the changes since.
    let version = read_version(root, name)?;
    let baseline_path = baseline(name);
    let baseline_text = read_optional(&root.join(&baseline_path))?;
    let report = match &baseline_text {
        Some(text) => Some(changes_since(&baseline_path, text, &source, &connector)?),
        None => None,
    };
    let changelog_text = read_optional(&root.join(changelog(name)))?;
    let mut release = Release {
        name: name.to_string(),
        version,
        report,
        bumped: None,
        changelog_top: changelog_text.as_deref().and_then(changelog_top),
    };
    let mut changelog_text = changelog_text.unwrap_or_else(|| changelog_start(name, version));
    let mut baseline_text = match baseline_text {
        Some(text) => text,
        None => baseline_yaml(name, &connector, version)?,
    };
    let mut written = version;
    if let Some(report) = release
        .report
        .as_ref()
        .filter(|r| bump && r.bump != Bump::None)
    {
        written = release.wanted();
        baseline_text = baseline_yaml(name, &connector, written)?;
        changelog_text = changelog_prepend(&changelog_text, written, report);
        release.bumped = Some(written);
    }

    let paging = read_overrides(root, name)?;
    let (krate, mut files) = emit::emit_lowered(&connector, &crate_options(name, written), &paging)
        .map_err(|e| PlanError::Emit(format!("{source}: {e}")))?;
    let paging_text = regen::paging_yaml(&connector, &krate, &source)
        .map_err(|e| PlanError::Emit(format!("{source}: {e}")))?;
    files.push(GeneratedFile {
        path: PathBuf::from("CHANGELOG.md"),
        contents: changelog_text,
    });
    plan.outputs.extend([
        Output::File {
            path: model(name),
            contents: yaml,
        },
        Output::File {
            path: resolved_paging(name),
            contents: paging_text,
        },
        Output::File {
            path: version_file(name),
            contents: format!("{written}\n"),
        },
        Output::File {
            path: baseline_path,
            contents: baseline_text,
        },
        Output::Dir {
            path: crate_dir(name),
            files,
        },
    ]);
    plan.releases.push(release);
    Ok(())
}

/// The version in `spec/<name>/version`, or [`Version::FIRST`] when there is none.
fn read_version(root: &Path, name: &str) -> Result<Version, PlanError> {
    let path = version_file(name);
    match read_optional(&root.join(&path))? {
        Some(text) => Version::parse(&text).ok_or_else(|| {
            PlanError::Emit(format!(
                "{}: not a version (`major.minor.patch`): {:?}",
                path.display(),
                text.trim()
            ))
        }),
        None => Ok(Version::FIRST),
    }
}

/// The API changes from the baseline model (`text`, read from `path`) to `connector`.
fn changes_since(
    path: &Path,
    text: &str,
    source: &str,
    connector: &Connector,
) -> Result<Report, PlanError> {
    let old: Connector = serde_yaml::from_str(text)
        .map_err(|e| PlanError::Emit(format!("{}: not a model: {e}", path.display())))?;
    diff::diff(&old, connector)
        .map_err(|e| PlanError::Emit(format!("{} -> {source}: {e}", path.display())))
}

/// The pagination corrections in `spec/<name>/pagination.yaml`, or none.
fn read_overrides(root: &Path, name: &str) -> Result<Overrides, PlanError> {
    let path = pagination(name);
    match read_optional(&root.join(&path))? {
        Some(text) => {
            Overrides::parse(&text).map_err(|e| PlanError::Emit(format!("{}: {e}", path.display())))
        }
        None => Ok(Overrides::default()),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use airbyte_codegen::regen::{ensure_file_contents, EnsureError, Mode};

    use super::*;

    /// `cargo xtask regen --check` as an ordinary test, so plain `cargo test` catches stale
    /// output: every committed generated file is what regen would write now.
    #[test]
    fn generated_files_are_fresh() {
        let root = crate::project_root();
        let plan = plan(&root, false).unwrap_or_else(|e| panic!("regen failed: {e}"));
        if let Err(e) = ensure_file_contents(&root, &plan.outputs, Mode::Check { fix: FIX }) {
            panic!("{e}");
        }
        for release in &plan.releases {
            assert_eq!(release.problem(), None);
        }
    }

    /// A temporary project root, removed when dropped.
    struct Root(PathBuf);

    impl Root {
        fn new(test: &str) -> Root {
            let dir =
                std::env::temp_dir().join(format!("xtask-layout-{}-{test}", std::process::id()));
            if dir.exists() {
                fs::remove_dir_all(&dir).unwrap();
            }
            fs::create_dir_all(dir.join("spec")).unwrap();
            Root(dir)
        }

        fn put(&self, rel: &str, contents: impl AsRef<[u8]>) {
            let path = self.0.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }

        /// Every file under the root but the documents, relative path -> bytes.
        fn outputs(&self) -> BTreeMap<PathBuf, Vec<u8>> {
            fn walk(dir: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
                for entry in fs::read_dir(dir).unwrap() {
                    let entry = entry.unwrap();
                    let rel = rel.join(entry.file_name());
                    if entry.file_type().unwrap().is_dir() {
                        walk(&entry.path(), &rel, out);
                    } else if !rel.ends_with("REFERENCE.md") {
                        out.insert(rel, fs::read(entry.path()).unwrap());
                    }
                }
            }
            let mut out = BTreeMap::new();
            walk(&self.0, Path::new(""), &mut out);
            out
        }

        fn write(&self) -> Vec<PathBuf> {
            let plan = plan(&self.0, false).unwrap();
            ensure_file_contents(&self.0, &plan.outputs, Mode::Write).unwrap()
        }

        /// `regen --bump`: the releases and the files written.
        fn bump(&self) -> (Vec<Release>, Vec<PathBuf>) {
            let plan = plan(&self.0, true).unwrap();
            let wrote = ensure_file_contents(&self.0, &plan.outputs, Mode::Write).unwrap();
            (plan.releases, wrote)
        }

        /// What `regen --check` says of the versions.
        fn problems(&self) -> Vec<String> {
            let plan = plan(&self.0, false).unwrap();
            plan.releases.iter().filter_map(|r| r.problem()).collect()
        }

        fn read(&self, rel: &str) -> String {
            fs::read_to_string(self.0.join(rel)).unwrap()
        }

        /// The stale files `regen --check` names.
        fn stale(&self) -> Vec<String> {
            let plan = plan(&self.0, false).unwrap();
            match ensure_file_contents(&self.0, &plan.outputs, Mode::Check { fix: FIX }) {
                Ok(none) => {
                    assert!(none.is_empty());
                    Vec::new()
                }
                Err(EnsureError::Stale { files, fix }) => {
                    assert_eq!(fix, FIX);
                    files.iter().map(|p| p.display().to_string()).collect()
                }
                Err(e) => panic!("{e}"),
            }
        }
    }

    impl Drop for Root {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn catalogue(name: &str) -> Vec<u8> {
        fs::read(crate::project_root().join(format!("codegen/tests/catalogue/{name}.md"))).unwrap()
    }

    #[test]
    fn a_connector_is_laid_out_by_its_name() {
        let root = Root::new("names");
        root.put("spec/acme/REFERENCE.md", catalogue("valid"));
        root.put("spec/notes/README.md", "not a connector");
        assert_eq!(connectors(&root.0).unwrap(), ["acme"]);
        root.write();
        let written: Vec<PathBuf> = root.outputs().into_keys().collect();
        assert!(written.contains(&PathBuf::from("spec/acme/model.yaml")));
        assert!(written.contains(&PathBuf::from("generated/acme/Cargo.toml")));
        assert!(written.contains(&PathBuf::from("spec/notes/README.md")));
        let manifest = fs::read_to_string(root.0.join("generated/acme/Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"airbyte-acme\""), "{manifest}");
        assert!(manifest.contains("\"../../runtime\""), "{manifest}");
        assert!(
            manifest.starts_with("# @generated by airbyte-codegen from spec/acme/REFERENCE.md."),
            "{manifest}"
        );
    }

    /// `spec/<name>/pagination.yaml` corrects the inferred pagination; regen writes its
    /// effect, `--check` finds the crate stale when it changes, and a bad file is an error
    /// naming it.
    #[test]
    fn pagination_overrides_are_read_and_checked() {
        let root = Root::new("paging");
        root.put("spec/acme/REFERENCE.md", catalogue("valid"));
        root.write();
        let widgets = "generated/acme/src/widgets.rs";
        assert!(
            !root.read(widgets).contains("stream Widget"),
            "the document is silent"
        );
        root.put(
            "spec/acme/pagination.yaml",
            "widgets:\n  list: {style: offset, param: offset, size: limit}\n",
        );
        assert!(
            root.stale().contains(&widgets.to_string()),
            "{:?}",
            root.stale()
        );
        root.write();
        let code = root.read(widgets);
        assert!(
            code.contains("stream Widget: Offset { param: \"offset\" };"),
            "{code}"
        );
        assert!(root.stale().is_empty());
        root.put(
            "spec/acme/pagination.yaml",
            "widgets:\n  list: {style: sideways}\n",
        );
        let e = plan(&root.0, false).unwrap_err().to_string();
        assert!(
            e.contains("spec/acme/pagination.yaml") && e.contains("sideways"),
            "{e}"
        );
        root.put(
            "spec/acme/pagination.yaml",
            "gadgets:\n  list: {style: offset, param: o}\n",
        );
        let e = plan(&root.0, false).unwrap_err().to_string();
        assert!(e.contains("pagination.yaml: no entity `gadgets`"), "{e}");
    }

    #[test]
    fn a_failing_spec_leaves_every_file_as_it_was_and_a_good_one_replaces_them() {
        let root = Root::new("spec");
        let valid = catalogue("valid");
        root.put("spec/acme/REFERENCE.md", &valid);
        root.write();
        let committed = root.outputs();
        let model = PathBuf::from("spec/acme/model.yaml");
        assert!(committed.contains_key(&model), "{:?}", committed.keys());
        assert!(root.stale().is_empty());

        // A change to the good spec, plus a second connector that fails: nothing may be
        // written, not even the good connector's new model.
        let changed = String::from_utf8(valid.clone())
            .unwrap()
            .replace("Returns a list of widgets", "Lists every widget");
        root.put("spec/acme/REFERENCE.md", &changed);
        for (i, broken) in [
            catalogue("unknown-type"),
            catalogue("empty"),
            b"# Acme full reference\n\xff\xfe binary".to_vec(),
        ]
        .into_iter()
        .enumerate()
        {
            root.put("spec/broken/REFERENCE.md", &broken);
            match plan(&root.0, false) {
                Ok(plan) => panic!(
                    "case {i}: a failing spec planned {} outputs",
                    plan.outputs.len()
                ),
                Err(PlanError::Document(diags)) => {
                    assert!(!diags.is_empty());
                    assert!(
                        diags.iter().all(|d| d.file == "spec/broken/REFERENCE.md"),
                        "case {i}: {diags:?}"
                    );
                }
                Err(e) => panic!("case {i}: {e}"),
            }
            assert_eq!(root.outputs(), committed, "case {i}");
        }

        // The failing spec is fixed (removed): the good change goes through.
        fs::remove_dir_all(root.0.join("spec/broken")).unwrap();
        let wrote = root.write();
        assert!(wrote.contains(&model), "{wrote:?}");
        let after = root.outputs();
        assert_ne!(after[&model], committed[&model]);
        assert!(String::from_utf8_lossy(&after[&model]).contains("Lists every widget"));
        assert!(root.stale().is_empty());
        // A second run changes nothing.
        assert!(root.write().is_empty());
    }

    #[test]
    fn regen_is_idempotent_and_check_catches_hand_edits() {
        let root = Root::new("check");
        let intercom = crate::project_root().join("spec/intercom/REFERENCE.md");
        root.put("spec/intercom/REFERENCE.md", fs::read(intercom).unwrap());
        assert!(!root.write().is_empty(), "first regen writes files");
        assert!(root.write().is_empty(), "second regen changes nothing");
        assert!(root.stale().is_empty());

        // A hand edit of the model, and one of a generated crate.
        let model = root.0.join("spec/intercom/model.yaml");
        let text = fs::read_to_string(&model).unwrap();
        fs::write(&model, text.replace("title: Intercom", "title: Intercomm")).unwrap();
        root.put("generated/intercom/src/extra.rs", "// hand-written");
        assert_eq!(
            root.stale(),
            [
                "spec/intercom/model.yaml",
                "generated/intercom/src/extra.rs"
            ]
        );
        root.write();
        assert!(root.stale().is_empty());

        // A change of the spec makes the committed model stale.
        let spec = root.0.join("spec/intercom/REFERENCE.md");
        let text = fs::read_to_string(&spec).unwrap();
        fs::write(
            &spec,
            text.replace("Get a single contact by ID", "Get one contact by its ID"),
        )
        .unwrap();
        assert!(root
            .stale()
            .contains(&"spec/intercom/model.yaml".to_string()));
    }

    #[test]
    fn versions_bump_by_cargo_rules() {
        let v = |s| Version::parse(s).unwrap();
        assert_eq!(v("0.1.0").bumped(Bump::Major), v("0.2.0"));
        assert_eq!(v("0.1.3").bumped(Bump::Minor), v("0.1.4"));
        assert_eq!(v("0.1.3").bumped(Bump::Patch), v("0.1.4"));
        assert_eq!(v("1.2.3").bumped(Bump::Major), v("2.0.0"));
        assert_eq!(v("1.2.3").bumped(Bump::Minor), v("1.3.0"));
        assert_eq!(v("1.2.3").bumped(Bump::Patch), v("1.2.4"));
        assert_eq!(v("1.2.3").bumped(Bump::None), v("1.2.3"));
        for bad in ["", "1.2", "1.2.3.4", "1.x.3", "v1.2.3", "1.2.3-rc.1"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    /// The done-when flow on a copy of the Intercom spec: a breaking edit is reported, `--check`
    /// fails until `--bump` moves 0.1.0 to 0.2.0 with a CHANGELOG entry naming the field, and a
    /// second `--bump` changes nothing.
    #[test]
    fn bump_moves_the_version_and_writes_the_changelog() {
        let root = Root::new("bump");
        let spec =
            fs::read_to_string(crate::project_root().join("spec/intercom/REFERENCE.md")).unwrap();
        root.put("spec/intercom/REFERENCE.md", &spec);
        root.write();
        assert_eq!(root.read("spec/intercom/version"), "0.1.0\n");
        assert!(root
            .read("generated/intercom/Cargo.toml")
            .contains("version = \"0.1.0\""));
        let changelog = root.read("generated/intercom/CHANGELOG.md");
        assert!(
            changelog.contains("## 0.1.0\n\nThe first version.\n"),
            "{changelog}"
        );
        assert!(root.stale().is_empty());
        assert!(root.problems().is_empty());
        // Nothing changed: --bump leaves everything.
        let (releases, wrote) = root.bump();
        assert!(wrote.is_empty(), "{wrote:?}");
        assert_eq!(releases[0].report.as_ref().unwrap().bump, Bump::None);

        // A description: patch, not a lag; regen writes the model, the version stays.
        let described = spec.replacen(
            "Number of contacts to return per page",
            "How many contacts one page holds",
            1,
        );
        root.put("spec/intercom/REFERENCE.md", &described);
        root.write();
        assert!(root.problems().is_empty());
        // Both Records rows of a field: major, and the committed version lags.
        let removed: String = described
            .lines()
            .filter(|l| !l.starts_with("| `marked_email_as_spam` | `boolean \\| null` |"))
            .map(|l| format!("{l}\n"))
            .collect();
        root.put("spec/intercom/REFERENCE.md", &removed);
        root.write();
        assert!(root.stale().is_empty(), "regen wrote the model and crate");
        let problems = root.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("airbyte-intercom 0.1.0 lags 1 breaking change(s)")
                && problems[0].contains("(-> 0.2.0)"),
            "{problems:?}"
        );

        let (releases, wrote) = root.bump();
        assert_eq!(releases[0].bumped, Some(Version(0, 2, 0)));
        let wrote: Vec<String> = wrote.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            wrote,
            [
                "spec/intercom/version",
                "spec/intercom/baseline.yaml",
                "generated/intercom/CHANGELOG.md",
                "generated/intercom/Cargo.toml",
            ]
        );
        assert_eq!(root.read("spec/intercom/version"), "0.2.0\n");
        assert!(root
            .read("generated/intercom/Cargo.toml")
            .contains("version = \"0.2.0\""));
        let changelog = root.read("generated/intercom/CHANGELOG.md");
        let entry = changelog.find("## 0.2.0\n").expect("an entry for 0.2.0");
        let first = changelog.find("## 0.1.0\n").unwrap();
        assert!(entry < first, "{changelog}");
        let body = &changelog[entry..first];
        assert!(body.contains("Semver bump: **major**"), "{body}");
        assert!(
            body.contains("`contacts::Contact.marked_email_as_spam` field removed"),
            "{body}"
        );
        assert!(
            body.contains("`contacts.list params.per_page` description changed"),
            "{body}"
        );
        assert!(root.stale().is_empty());
        assert!(root.problems().is_empty());
        // Idempotent: the baseline is the current model now.
        let (releases, wrote) = root.bump();
        assert!(wrote.is_empty(), "{wrote:?}");
        assert!(releases[0].report.as_ref().unwrap().changes.is_empty());

        // A hand note in the CHANGELOG is kept; an entry for another version is a problem.
        let noted = changelog.replace("## 0.1.0\n", "Note: see the migration guide.\n\n## 0.1.0\n");
        root.put("generated/intercom/CHANGELOG.md", &noted);
        assert!(root.stale().is_empty());
        assert!(root.write().is_empty());
        root.put("spec/intercom/version", "0.3.0\n");
        let problems = root.problems();
        assert!(
            problems[0].contains("the latest entry is 0.2.0 but airbyte-intercom is 0.3.0"),
            "{problems:?}"
        );
        root.put("spec/intercom/version", "zero\n");
        assert!(plan(&root.0, false).is_err());
    }
}
