//! `regen::ensure_file_contents`, the one writer of generated files: it writes only what differs,
//! replaces a crate directory whole (a failed write leaves the old one), and in check mode changes
//! nothing and names each stale file with the command that fixes it. Each test works in its own
//! temporary root. What regen plans (the workspace layout) is tested in `xtask/src/layout.rs`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use airbyte_codegen::emit::GeneratedFile;
use airbyte_codegen::regen::{ensure_file_contents, EnsureError, Mode, Output};

const FIX: &str = "make it so";

/// A temporary root, removed when dropped.
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
        fs::create_dir_all(&dir).unwrap();
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

    fn write(&self, outputs: &[Output]) -> Vec<PathBuf> {
        ensure_file_contents(&self.0, outputs, Mode::Write).unwrap()
    }

    /// The files check mode names as stale (it must change nothing).
    fn stale(&self, outputs: &[Output]) -> Vec<PathBuf> {
        let before = self.files();
        let result = ensure_file_contents(&self.0, outputs, Mode::Check { fix: FIX });
        assert_eq!(self.files(), before, "check mode changed files");
        match result {
            Ok(none) => {
                assert!(none.is_empty());
                Vec::new()
            }
            Err(e @ EnsureError::Stale { .. }) => {
                let message = e.to_string();
                let EnsureError::Stale { files, fix } = e else {
                    unreachable!()
                };
                assert_eq!(fix, FIX);
                for f in &files {
                    let line = format!("stale: {} (run `{FIX}`)", f.display());
                    assert!(message.lines().any(|l| l == line), "{message}");
                }
                files
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

fn file(path: &str, contents: &str) -> Output {
    Output::File {
        path: PathBuf::from(path),
        contents: contents.to_string(),
    }
}

fn dir(path: &str, files: &[(&str, &str)]) -> Output {
    Output::Dir {
        path: PathBuf::from(path),
        files: files
            .iter()
            .map(|(p, c)| GeneratedFile {
                path: PathBuf::from(p),
                contents: c.to_string(),
            })
            .collect(),
    }
}

#[test]
fn only_what_differs_is_written_and_check_names_each_stale_file() {
    let root = Root::new("differs");
    root.put("spec/acme/model.yaml", "model\r\n");
    root.put("spec/other/model.yaml", "old other");
    root.put("generated/acme/Cargo.toml", "manifest");
    root.put(
        "generated/acme/target/debug/junk",
        "build output is ignored",
    );
    let outputs = [
        file("spec/acme/model.yaml", "model\n"),
        file("spec/other/model.yaml", "new other"),
        file("spec/new/model.yaml", "new"),
        dir("generated/acme", &[("Cargo.toml", "manifest")]),
    ];
    let stale = [
        PathBuf::from("spec/other/model.yaml"),
        PathBuf::from("spec/new/model.yaml"),
    ];
    assert_eq!(root.stale(&outputs), stale);
    assert_eq!(root.write(&outputs), stale);
    assert_eq!(
        fs::read(root.0.join("spec/acme/model.yaml")).unwrap(),
        b"model\r\n",
        "a file equal but for its newlines is left alone"
    );
    assert!(root.stale(&outputs).is_empty());
    assert!(
        root.write(&outputs).is_empty(),
        "a second write changes nothing"
    );
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

    let outputs = [dir(
        "generated/acme",
        &[("Cargo.toml", "new manifest"), ("src/lib.rs", "new lib")],
    )];
    let stale = [
        "generated/acme/Cargo.toml",
        "generated/acme/src/lib.rs",
        "generated/acme/src/removed_entity.rs",
    ]
    .map(PathBuf::from);
    assert_eq!(root.stale(&outputs), stale);
    assert_eq!(root.write(&outputs), stale);

    let want: BTreeMap<PathBuf, Vec<u8>> = [
        ("generated/acme/Cargo.toml", "new manifest"),
        ("generated/acme/src/lib.rs", "new lib"),
    ]
    .into_iter()
    .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
    .collect();
    assert_eq!(root.files(), want);
    assert!(root.stale(&outputs).is_empty());
}

#[test]
fn a_write_that_fails_midway_leaves_the_old_crate() {
    let root = Root::new("midway");
    root.put("generated/acme/Cargo.toml", "old manifest");
    root.put("generated/acme/src/lib.rs", "old lib");
    let before = root.files();

    // `Cargo.toml` is a file, so `Cargo.toml/oops` cannot be written: the write fails after the
    // first file of the new crate is already on disk (in the temporary directory).
    let outputs = [dir(
        "generated/acme",
        &[
            ("Cargo.toml", "new manifest"),
            ("Cargo.toml/oops", "cannot be written"),
            ("src/lib.rs", "new lib"),
        ],
    )];
    match ensure_file_contents(&root.0, &outputs, Mode::Write) {
        Err(EnsureError::Io { path, .. }) => assert_eq!(path, root.0.join("generated/acme")),
        other => panic!("{other:?}"),
    }
    let after: BTreeMap<PathBuf, Vec<u8>> = root
        .files()
        .into_iter()
        .filter(|(p, _)| !p.starts_with("generated/.acme.regen-new"))
        .collect();
    assert_eq!(after, before);
}
