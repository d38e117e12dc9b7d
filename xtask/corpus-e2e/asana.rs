//! The download snippet of the README, compiled against the crate generated from the corpus's
//! `asana.md` and run against the sandbox (`cargo xtask corpus` adds this file to its scratch
//! workspace as the test of the `corpus-e2e` crate).

use airbyte_agent_sandbox::{download_byte, Fault, Sandbox, SandboxConfig};
use airbyte_corpus_asana::attachments::paths;
use airbyte_corpus_asana::Asana;
use futures::StreamExt;
use serde_json::json;

const SIZE: u64 = 5 * 1024 * 1024 + 3;

#[tokio::test]
async fn asana_attachments_download_streams_and_saves() -> Result<(), airbyte_agent_runtime::Error>
{
    let sandbox = Sandbox::start(SandboxConfig::default().download_size(SIZE)).await;
    let asana = sandbox.connect(Asana::builder()).build()?;

    // Streamed: chunk by chunk, byte for byte.
    let mut chunks = asana.attachments().download("gid-1").stream();
    let (mut total, mut n) = (0u64, 0);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        for (i, b) in chunk.iter().enumerate() {
            assert_eq!(*b, download_byte(total + i as u64));
        }
        total += chunk.len() as u64;
        n += 1;
    }
    assert_eq!(total, SIZE);
    assert!(n > 1, "one chunk only");
    let seen = sandbox.requests().pop().expect("a request");
    assert_eq!(
        seen.body,
        json!({"entity": "attachments", "action": "download",
               "params": {"attachment_gid": "gid-1"}, "skip_truncation": true})
    );

    // Saved: the whole file, nothing beside it.
    let dir = std::env::temp_dir().join(format!("corpus-e2e-asana-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join("attachment.bin");
    asana.attachments().download("gid-1").save_to(&path).await?;
    let bytes = std::fs::read(&path).expect("saved file");
    assert_eq!(bytes.len() as u64, SIZE);
    assert!(bytes
        .iter()
        .enumerate()
        .all(|(i, b)| *b == download_byte(i as u64)));

    // Broken off half-way: an error and no file.
    sandbox.push_fault(Fault::Truncated);
    let failed = dir.join("failed.bin");
    assert!(asana
        .attachments()
        .download("gid-2")
        .save_to(&failed)
        .await
        .is_err());
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["attachment.bin"]);
    std::fs::remove_dir_all(&dir).expect("clean up");

    // The Range parameter stays a builder setter; options and typed paths apply.
    let part: Vec<u8> = asana
        .attachments()
        .download("gid-1")
        .range_header("bytes=10-19")
        .stream()
        .map(|c| c.expect("chunk").to_vec())
        .concat()
        .await;
    assert_eq!(part, (10..20).map(download_byte).collect::<Vec<_>>());
    asana
        .attachments()
        .list("task-1")
        .select_fields([paths::gid(), paths::name()])
        .send()
        .await
        .ok();
    let seen = sandbox.requests().pop().expect("a request");
    assert_eq!(seen.body["select_fields"], json!(["gid", "name"]));
    Ok(())
}

/// The sandbox started from the `model.yaml` and `paging.resolved.yaml` written beside the
/// crate: a list pages the way the generated `stream()` reads it (Asana's `offset` parameter
/// fed by the `next_page` member, not Intercom's `starting_after`/`next_page`), every record
/// once; create answers a record.
#[tokio::test]
async fn asana_lists_stream_every_record_from_the_model() -> Result<(), airbyte_agent_runtime::Error>
{
    let model = airbyte_agent_sandbox::Model::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../asana/model.yaml"
    ))
    .expect("the model beside the crate");
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .fixtures(false)
            .model(model)
            .records_per_entity(11),
    )
    .await;
    let asana = sandbox.connect(Asana::builder()).build()?;
    let want: Vec<serde_json::Value> = sandbox
        .records("project_tasks")
        .iter()
        .map(|r| r["gid"].clone())
        .collect();
    let got: Vec<serde_json::Value> = asana
        .project_tasks()
        .list("p-1")
        .limit(4)
        .stream()
        .map(|t| serde_json::to_value(t.expect("a task")).expect("JSON")["gid"].clone())
        .collect()
        .await;
    assert_eq!(got.len(), 11);
    assert_eq!(got, want);
    let offsets: Vec<_> = sandbox
        .requests()
        .iter()
        .map(|r| r.body["params"]["offset"].clone())
        .collect();
    assert_eq!(offsets, [json!(null), json!("c4"), json!("c8")]);
    Ok(())
}
