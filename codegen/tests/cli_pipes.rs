//! The CLI never panics on a closed output: a reader that stops early (`| head`, a pager
//! quit before the end) ends the output, not the process with a panic message.
#![cfg(unix)]

use std::io::Read;
use std::process::{Command, Stdio};

mod common;

/// The write end of a pipe whose reader has exited: writing to it fails with `EPIPE`.
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true").stdin(Stdio::piped()).spawn().unwrap();
    let write_end = reader.stdin.take().unwrap();
    reader.wait().unwrap();
    write_end.into()
}

/// Runs the CLI with `args` and its stdout (or its stderr) a closed pipe; the exit code and
/// what it wrote on the other stream.
fn run_closed(args: &[&str], close_stdout: bool) -> (Option<i32>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"));
    cmd.args(args)
        .current_dir(common::root())
        .stdin(Stdio::null());
    if close_stdout {
        cmd.stdout(closed_pipe()).stderr(Stdio::piped());
    } else {
        cmd.stdout(Stdio::piped()).stderr(closed_pipe());
    }
    let mut child = cmd.spawn().unwrap();
    let mut text = String::new();
    let other: Option<Box<dyn Read>> = match (child.stdout.take(), child.stderr.take()) {
        (Some(r), _) => Some(Box::new(r)),
        (_, Some(r)) => Some(Box::new(r)),
        _ => None,
    };
    if let Some(mut r) = other {
        r.read_to_string(&mut text).unwrap();
    }
    (child.wait().unwrap().code(), text)
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    for args in [
        &[
            "diff",
            "spec/intercom/model.yaml",
            "spec/intercom/REFERENCE.md",
        ][..],
        &[
            "diff",
            "spec/intercom/model.yaml",
            "spec/intercom/REFERENCE.md",
            "--format",
            "json",
        ],
        &["check", "spec/intercom/REFERENCE.md"],
    ] {
        let (code, stderr) = run_closed(args, true);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(code, Some(3), "{args:?}: an output failure: {stderr}");
    }
}

#[test]
fn a_closed_stderr_is_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("codegen-cli-pipes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let doc = dir.join("bad.md");
    std::fs::write(
        &doc,
        "# Bad full reference\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    )
    .unwrap();
    let (code, stdout) = run_closed(&["check", doc.to_str().unwrap()], false);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        code,
        Some(1),
        "a document with errors still exits 1: {stdout}"
    );
}
