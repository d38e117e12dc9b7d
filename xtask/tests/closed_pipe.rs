//! The `xtask` binary writing to a pipe its reader closed (`cargo xtask … | head -1`).

#![cfg(unix)]

use std::path::Path;
use std::process::{Command, Stdio};

/// The write end of a pipe whose reader has exited: writing to it fails with `EPIPE`.
fn closed_pipe() -> Stdio {
    let mut reader = Command::new("true")
        .stdin(Stdio::piped())
        .spawn()
        .expect("spawn true");
    let write_end = reader.stdin.take().expect("its stdin");
    reader.wait().expect("true exits");
    write_end.into()
}

/// Every line went through `println!`, which panics (status 101, a panic message and a
/// backtrace note on stderr) when stdout is a closed pipe. The command now ends as a process
/// killed by `SIGPIPE` does, quietly, with status 141.
#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/intercom");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("pagination")
        .arg(&spec)
        .stdout(closed_pipe())
        .stderr(Stdio::piped())
        .output()
        .expect("run xtask");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
    assert_eq!(stderr, "", "nothing to say about a reader that left");
}

/// The same command with a reader prints its table: the test above is not passing because
/// the command prints nothing.
#[test]
fn with_a_reader_the_command_prints() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/intercom");
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("pagination")
        .arg(&spec)
        .output()
        .expect("run xtask");
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("REFERENCE"), "{stdout}");
}
