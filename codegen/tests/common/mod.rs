//! Shared by the emit tests: loading models and emitting crates.

#![allow(dead_code)] // each test binary uses a different subset of these helpers

use std::path::{Path, PathBuf};

use airbyte_codegen::emit::{emit_crate, CrateOptions, GeneratedFile};
use airbyte_codegen::model::Connector;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen lives in the workspace")
        .to_path_buf()
}

/// The directory cargo builds into (`$CARGO_TARGET_DIR`, else `<root>/target`); the tests'
/// scratch workspaces live under it.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Loads a model YAML (the regen header comment is ignored by YAML).
pub fn load(path: &Path) -> Connector {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A test model from codegen/tests/models/.
pub fn model(name: &str) -> Connector {
    load(
        &root()
            .join("codegen/tests/models")
            .join(format!("{name}.yaml")),
    )
}

/// The names of all test models, sorted.
pub fn model_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("codegen/tests/models"))
        .expect("models dir")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .collect();
    names.sort();
    names
}

/// The documents of codegen/tests/shapes/ (shapes the corpus lacks), each parsed: `(name,
/// model)`, sorted by name.
pub fn shapes() -> Vec<(String, Connector)> {
    let dir = root().join("codegen/tests/shapes");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("shapes dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    docs.sort();
    docs.iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(path).expect("read a shapes document");
            let parsed = airbyte_codegen::parse::parse_bytes(&path.display().to_string(), &bytes)
                .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
            (format!("shape-{name}"), parsed.connector)
        })
        .collect()
}

/// Emits a crate with a runtime path that works from `dir`.
pub fn emit(connector: &Connector, crate_name: &str, runtime_path: &str) -> Vec<GeneratedFile> {
    emit_crate(
        connector,
        &CrateOptions {
            crate_name: crate_name.to_string(),
            runtime_path: runtime_path.to_string(),
            source: format!("spec/{}/REFERENCE.md", connector.name),
            version: "0.1.0".to_string(),
        },
    )
    .unwrap_or_else(|e| panic!("{crate_name}: {e}"))
}

/// Runs `cargo <args>` in `dir` with `target` as its target dir and the caller's RUSTFLAGS
/// removed (with `RUSTDOCFLAGS=-Dwarnings` when `rustdocflags`): `(success, stdout + stderr)`.
pub fn cargo(dir: &Path, target: &Path, args: &[&str], rustdocflags: bool) -> (bool, String) {
    let mut cmd =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    if rustdocflags {
        cmd.env("RUSTDOCFLAGS", "-Dwarnings");
    }
    let out = cmd.output().expect("cargo runs");
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
