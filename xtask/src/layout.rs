//! The workspace layout, decided here and nowhere else: connector `<name>`'s document is
//! `spec/<name>/REFERENCE.md`, its model `spec/<name>/model.yaml`, its crate `generated/<name>`,
//! named `airbyte-<name>`, depending on the runtime at `../../runtime`.
//!
//! [`plan`] computes every output in memory first, so when any document fails nothing is
//! written; `airbyte_codegen::regen::ensure_file_contents` then writes or checks them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use airbyte_codegen::diagnostics::Diagnostic;
use airbyte_codegen::emit::{self, CrateOptions};
use airbyte_codegen::parse;
use airbyte_codegen::regen::{self, Output};

/// The command that rewrites what [`plan`] wants; stale-file messages name it.
pub const FIX: &str = "cargo xtask regen";

/// The reference document of connector `name`, relative to the root, as headers name it.
pub fn reference(name: &str) -> String {
    format!("spec/{name}/REFERENCE.md")
}

/// The committed model of connector `name`, relative to the root.
pub fn model(name: &str) -> PathBuf {
    PathBuf::from(format!("spec/{name}/model.yaml"))
}

/// The generated crate directory of connector `name`, relative to the root.
pub fn crate_dir(name: &str) -> PathBuf {
    PathBuf::from(format!("generated/{name}"))
}

/// How connector `name`'s crate is emitted.
pub fn crate_options(name: &str) -> CrateOptions {
    CrateOptions {
        crate_name: format!("airbyte-{name}"),
        runtime_path: "../../runtime".to_string(),
        source: reference(name),
    }
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

/// Everything regen wants on disk.
#[derive(Debug, Default)]
pub struct Plan {
    /// Each connector's model file and crate directory, in connector order.
    pub outputs: Vec<Output>,
    /// Warnings of the documents.
    pub warnings: Vec<Diagnostic>,
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

/// Computes every output of every connector under `root/spec`, in a stable order.
pub fn plan(root: &Path) -> Result<Plan, PlanError> {
    let spec = root.join("spec");
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for name in connectors(root).map_err(|e| PlanError::Io(spec, e))? {
        let source = reference(&name);
        let path = root.join(&source);
        let bytes = fs::read(&path).map_err(|e| PlanError::Io(path, e))?;
        let parsed = match parse::parse_bytes(&source, &bytes) {
            Ok(p) => p,
            Err(diags) => {
                errors.extend(diags);
                continue;
            }
        };
        plan.warnings.extend(parsed.warnings);
        let yaml = regen::model_yaml(&parsed.connector, &source)
            .map_err(|e| PlanError::Emit(format!("{source}: {e}")))?;
        let files = emit::emit_crate(&parsed.connector, &crate_options(&name))
            .map_err(|e| PlanError::Emit(format!("{source}: {e}")))?;
        plan.outputs.push(Output::File {
            path: model(&name),
            contents: yaml,
        });
        plan.outputs.push(Output::Dir {
            path: crate_dir(&name),
            files,
        });
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(PlanError::Document(errors))
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
        let plan = plan(&root).unwrap_or_else(|e| panic!("regen failed: {e}"));
        if let Err(e) = ensure_file_contents(&root, &plan.outputs, Mode::Check { fix: FIX }) {
            panic!("{e}");
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
            let plan = plan(&self.0).unwrap();
            ensure_file_contents(&self.0, &plan.outputs, Mode::Write).unwrap()
        }

        /// The stale files `regen --check` names.
        fn stale(&self) -> Vec<String> {
            let plan = plan(&self.0).unwrap();
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
            match plan(&root.0) {
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
}
