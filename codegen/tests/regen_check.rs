//! `regen --check` names each stale file after a hand edit of a model or of a spec, and regen is
//! idempotent. Runs in a scratch project root under the target directory.

use std::fs;
use std::path::{Path, PathBuf};

use airbyte_codegen::regen;

fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("spec/intercom")).unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/intercom/REFERENCE.md");
    fs::copy(spec, root.join("spec/intercom/REFERENCE.md")).unwrap();
    root
}

fn stale(root: &Path) -> Vec<String> {
    let plan = regen::plan(root).unwrap();
    regen::stale(root, &plan)
        .unwrap()
        .iter()
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn regen_is_idempotent_and_check_catches_hand_edits() {
    let root = scratch("regen_check");
    let plan = regen::plan(&root).unwrap();
    assert!(
        !regen::write(&root, &plan).unwrap().is_empty(),
        "first regen writes files"
    );
    assert!(
        regen::write(&root, &regen::plan(&root).unwrap())
            .unwrap()
            .is_empty(),
        "second regen changes nothing"
    );
    assert!(stale(&root).is_empty());

    // A hand edit of the model.
    let model = root.join("spec/intercom/model.yaml");
    let text = fs::read_to_string(&model).unwrap();
    fs::write(&model, text.replace("title: Intercom", "title: Intercomm")).unwrap();
    assert_eq!(stale(&root), ["spec/intercom/model.yaml"]);
    regen::write(&root, &regen::plan(&root).unwrap()).unwrap();
    assert!(stale(&root).is_empty());

    // A change of the spec makes the committed model stale.
    let spec = root.join("spec/intercom/REFERENCE.md");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(
        &spec,
        text.replace("Get a single contact by ID", "Get one contact by its ID"),
    )
    .unwrap();
    assert!(stale(&root).contains(&"spec/intercom/model.yaml".to_string()));
}
