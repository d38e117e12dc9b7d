//! `cargo xtask regen --check` as an ordinary test: every committed generated file is what regen
//! would write now.

use std::path::Path;

#[test]
fn generated_files_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let plan = airbyte_codegen::regen::plan(root).unwrap_or_else(|e| panic!("regen failed: {e}"));
    let stale = airbyte_codegen::regen::stale(root, &plan).unwrap();
    assert!(
        stale.is_empty(),
        "stale generated files (run `cargo xtask regen`):\n{}",
        stale
            .iter()
            .map(|p| format!("  {}", p.display()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}
