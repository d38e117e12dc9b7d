//! Regen writes atomically (issue 6): a failed regen leaves every committed file byte-identical;
//! a good one replaces them, crate directories as a whole. Each test works in its own temporary
//! project root.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use airbyte_codegen::regen::{self, Plan, RegenError};

/// A temporary project root, removed when dropped.
struct Root(PathBuf);

impl Root {
    fn new(test: &str) -> Root {
        let dir = std::env::temp_dir().join(format!(
            "airbyte-regen-atomic-{}-{test}",
            std::process::id()
        ));
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

    /// Every file under the root, relative path -> bytes.
    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        fn walk(dir: &Path, rel: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let rel = rel.join(entry.file_name());
                if entry.file_type().unwrap().is_dir() {
                    walk(&entry.path(), &rel, out);
                } else {
                    out.insert(rel, fs::read(entry.path()).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.0, Path::new(""), &mut out);
        out
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn catalogue(name: &str) -> Vec<u8> {
    fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/catalogue/{name}.md")))
        .unwrap()
}

/// The files of `before` that are not inputs (`REFERENCE.md`).
fn outputs(files: &BTreeMap<PathBuf, Vec<u8>>) -> BTreeMap<PathBuf, Vec<u8>> {
    files
        .iter()
        .filter(|(p, _)| !p.ends_with("REFERENCE.md"))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

#[test]
fn a_failing_spec_leaves_every_file_as_it_was_and_a_good_one_replaces_them() {
    let root = Root::new("spec");
    let valid = catalogue("valid");
    root.put("spec/acme/REFERENCE.md", &valid);
    let plan = regen::plan(&root.0).expect("valid spec");
    regen::write(&root.0, &plan).unwrap();
    let committed = outputs(&root.files());
    let model = PathBuf::from("spec/acme/model.yaml");
    assert!(committed.contains_key(&model), "{:?}", committed.keys());
    assert!(regen::stale(&root.0, &plan).unwrap().is_empty());

    // A change to the good spec, plus a second connector that fails: nothing may be written,
    // not even the good connector's new model.
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
        match regen::plan(&root.0) {
            Ok(plan) => panic!(
                "case {i}: a failing spec planned {} files",
                plan.files.len()
            ),
            Err(RegenError::Document(diags)) => {
                assert!(!diags.is_empty());
                assert!(
                    diags.iter().all(|d| d.file == "spec/broken/REFERENCE.md"),
                    "case {i}: {diags:?}"
                );
            }
            // Invalid UTF-8 is read before parsing.
            Err(e) => assert_eq!(i, 2, "case {i}: {e}"),
        }
        assert_eq!(outputs(&root.files()), committed, "case {i}");
    }

    // The failing spec is fixed (removed): the good change goes through.
    fs::remove_dir_all(root.0.join("spec/broken")).unwrap();
    let plan = regen::plan(&root.0).unwrap();
    let wrote = regen::write(&root.0, &plan).unwrap();
    assert!(wrote.contains(&model), "{wrote:?}");
    let after = outputs(&root.files());
    assert_ne!(after[&model], committed[&model]);
    assert!(String::from_utf8_lossy(&after[&model]).contains("Lists every widget"));
    assert!(regen::stale(&root.0, &plan).unwrap().is_empty());
    // A second run changes nothing.
    assert!(regen::write(&root.0, &plan).unwrap().is_empty());
}

fn crate_plan(files: &[(&str, &str)]) -> Plan {
    Plan {
        crates: vec![(
            PathBuf::from("generated/acme"),
            files
                .iter()
                .map(|(p, c)| (PathBuf::from(p), c.to_string()))
                .collect(),
        )],
        ..Plan::default()
    }
}

#[test]
fn a_crate_directory_is_replaced_whole() {
    let root = Root::new("crate");
    root.put("generated/acme/Cargo.toml", "old manifest");
    root.put("generated/acme/src/lib.rs", "old lib");
    root.put(
        "generated/acme/src/removed_entity.rs",
        "gone in the new plan",
    );
    // Leftovers of an interrupted earlier run.
    root.put("generated/.acme.regen-new/src/lib.rs", "half written");
    root.put("generated/.acme.regen-old/Cargo.toml", "half swapped");

    let plan = crate_plan(&[("Cargo.toml", "new manifest"), ("src/lib.rs", "new lib")]);
    let stale = regen::stale(&root.0, &plan).unwrap();
    assert_eq!(stale.len(), 3, "{stale:?}");
    regen::write(&root.0, &plan).unwrap();

    let want: BTreeMap<PathBuf, Vec<u8>> = [
        ("generated/acme/Cargo.toml", "new manifest"),
        ("generated/acme/src/lib.rs", "new lib"),
    ]
    .into_iter()
    .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
    .collect();
    assert_eq!(root.files(), want);
    assert!(regen::stale(&root.0, &plan).unwrap().is_empty());
}

#[test]
fn a_write_that_fails_midway_leaves_the_old_crate() {
    let root = Root::new("midway");
    root.put("generated/acme/Cargo.toml", "old manifest");
    root.put("generated/acme/src/lib.rs", "old lib");
    let before = root.files();

    // `Cargo.toml` is a file, so `Cargo.toml/oops` cannot be written: the write fails after the
    // first file of the new crate is already on disk (in the temporary directory).
    let plan = crate_plan(&[
        ("Cargo.toml", "new manifest"),
        ("Cargo.toml/oops", "cannot be written"),
        ("src/lib.rs", "new lib"),
    ]);
    assert!(regen::write(&root.0, &plan).is_err());
    let after: BTreeMap<PathBuf, Vec<u8>> = root
        .files()
        .into_iter()
        .filter(|(p, _)| !p.starts_with("generated/.acme.regen-new"))
        .collect();
    assert_eq!(after, before);
}
