//! Runs every input in `tests/fuzz_regressions/` through the checks of the fuzz targets
//! (`fuzz/fuzz_targets/`), so crashes found by fuzzing stay fixed in ordinary CI.

use std::path::Path;

use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::parse::parse_bytes;
use airbyte_codegen::render::render;

/// The `parse` target: no panic, located diagnostics, rendering works, the model serialises.
/// Returns whether the input parsed.
fn parse_target(name: &str, data: &[u8]) -> Option<airbyte_codegen::model::Connector> {
    let (parsed, diags) = match parse_bytes(name, data) {
        Ok(p) => (Some(p.connector), p.warnings),
        Err(d) => {
            assert!(!d.is_empty(), "{name}: an error without diagnostics");
            (None, d)
        }
    };
    for d in &diags {
        assert!(d.line >= 1 && d.col >= 1, "{name}: {d}");
        assert!(d.offset <= data.len(), "{name}: {d}");
    }
    let out = render(&diags, &String::from_utf8_lossy(data));
    assert_eq!(out.matches("┌─ ").count(), diags.len(), "{name}:\n{out}");
    if let Some(c) = &parsed {
        serde_yaml::to_string(c).unwrap();
    }
    parsed
}

/// The `emit` target: every emitted `.rs` file parses; refusals are not emitter bugs.
fn emit_target(name: &str, connector: &airbyte_codegen::model::Connector) {
    let options = CrateOptions {
        crate_name: "airbyte-fuzz".to_string(),
        runtime_path: "../../runtime".to_string(),
        source: format!("fuzz/{name}"),
        version: "0.1.0".to_string(),
    };
    match emit_crate(connector, &options) {
        Ok(files) => {
            for f in files
                .iter()
                .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
            {
                if let Err(e) = syn::parse_file(&f.contents) {
                    panic!("{name}: {} does not parse: {e}", f.path.display());
                }
            }
        }
        Err(e) => assert!(
            !e.message.contains("invalid Rust"),
            "{name}: emitter bug: {e}"
        ),
    }
}

#[test]
fn fuzz_regression_inputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let mut parsed = 0;
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let data = std::fs::read(path).unwrap();
        if let Some(c) = parse_target(&name, &data) {
            emit_target(&name, &c);
            parsed += 1;
        }
    }
    println!("{} inputs, {parsed} parsed and emitted", paths.len());
}
