//! Emits the Intercom crate, one crate per test model (codegen/tests/models/) and one per
//! shapes document (codegen/tests/shapes/) into a scratch
//! workspace under target/, then runs `cargo clippy -D warnings`, `cargo doc` with rustdoc
//! warnings denied and `cargo fmt --check` on it: the generated code compiles, lints clean and
//! documents clean. Expensive (one build of the runtime and all crates); offline.

mod common;

use std::process::Command;

use airbyte_codegen::regen::{ensure_file_contents, Mode, Output};

#[test]
fn emitted_crates_build_lint_and_document_cleanly() {
    let root = common::root();
    let scratch = common::target_dir().join("emit-check");
    let runtime = root.join("runtime");
    let runtime = runtime.to_str().expect("utf-8 path");
    let mut crates = vec![(
        "intercom".to_string(),
        common::load(&root.join("spec/intercom/model.yaml")),
    )];
    for name in common::model_names() {
        crates.push((name.clone(), common::model(&name)));
    }
    crates.extend(common::shapes());
    let mut members = Vec::new();
    let mut outputs = Vec::new();
    for (name, model) in &crates {
        outputs.push(Output::Dir {
            path: name.into(),
            files: common::emit(model, &format!("airbyte-{name}"), runtime),
        });
        members.push(format!("\"{name}\""));
    }
    outputs.push(Output::File {
        path: "Cargo.toml".into(),
        contents: format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    });
    // The root lockfile pins the same dependency versions; offline resolution needs it.
    outputs.push(Output::File {
        path: "Cargo.lock".into(),
        contents: std::fs::read_to_string(root.join("Cargo.lock")).expect("read lockfile"),
    });
    ensure_file_contents(&scratch, &outputs, Mode::Write).unwrap_or_else(|e| panic!("{e}"));
    let target = scratch.join("target");
    let (ok, out) = common::cargo(
        &scratch,
        &target,
        &[
            "clippy",
            "--offline",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        false,
    );
    assert!(ok, "clippy failed:\n{out}");
    let (ok, out) = common::cargo(
        &scratch,
        &target,
        &["doc", "--offline", "--workspace", "--no-deps"],
        true,
    );
    assert!(ok, "cargo doc failed:\n{out}");
    // rustfmt on the crate roots only (`cargo fmt --all` would also format the runtime, a
    // path dependency); module files are `#[rustfmt::skip]`: prettyplease formats them.
    for (name, _) in &crates {
        let lib = scratch.join(name).join("src/lib.rs");
        let out = Command::new("rustfmt")
            .args(["--check", "--edition", "2021"])
            .arg(&lib)
            .output()
            .expect("rustfmt runs");
        assert!(
            out.status.success(),
            "rustfmt --check {}:\n{}",
            lib.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
