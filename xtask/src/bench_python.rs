//! `cargo xtask bench --python`: times Airbyte's Python SDK on the work the Rust benches time.
//!
//! A virtual environment with `airbyte-agent-sdk==`[`SDK_VERSION`] is made once, from the
//! package index, under `<target dir>/xtask-bench/python-sdk-<version>` and reused by later runs.
//! The timing script (`bench_python.py`, kept beside this file) decodes the body the Rust
//! decode bench wrote and sends sequential `contacts.get` calls to the loopback sandbox run as
//! a child process (the `airbyte-agent-sandbox` binary). Anything missing (no `python3`, no
//! index, a failed install) makes the part skipped, with the reason, never the whole bench.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::cargo_in;
use crate::layout::target_dir;

/// The release of the Python SDK compared with.
pub const SDK_VERSION: &str = "0.1.380";

const SCRIPT: &str = include_str!("bench_python.py");

/// What the Python SDK measured.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PythonRun {
    /// Median time of one decode of the body, in milliseconds.
    pub decode_ms: Option<f64>,
    /// Records in the body, as the SDK counted them.
    pub records: Option<u64>,
    /// Sequential `contacts.get` calls per second.
    pub get_per_s: Option<f64>,
}

/// Runs the Python side; `Err` says why it was skipped.
pub fn run(root: &Path, body: &Path, quick: bool) -> Result<PythonRun, String> {
    if !body.is_file() {
        return Err(format!(
            "the decode bench wrote no body at {}",
            body.display()
        ));
    }
    let python = venv(root)?;
    let script = target_dir(root).join("xtask-bench/bench_python.py");
    std::fs::write(&script, SCRIPT).map_err(|e| format!("{}: {e}", script.display()))?;
    let sandbox = Sandbox::start(root)?;
    let (runs, batch) = if quick { ("10", "100") } else { ("30", "300") };
    let output = Command::new(&python)
        .arg(&script)
        .arg("--body")
        .arg(body)
        .args(["--decode-runs", runs, "--get-batch", batch])
        .args(["--sandbox", &sandbox.url])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    drop(sandbox);
    if !output.status.success() {
        return Err(format!("the timing script failed ({})", output.status));
    }
    Ok(parse(&String::from_utf8_lossy(&output.stdout)))
}

/// Reads the `python <measure> key=value ...` lines of the timing script.
pub fn parse(text: &str) -> PythonRun {
    let mut run = PythonRun::default();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("python ") else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let measure = words.next().unwrap_or_default();
        for (key, value) in words.filter_map(|kv| kv.split_once('=')) {
            match (measure, key) {
                ("decode", "median_ms") => run.decode_ms = value.parse().ok(),
                ("decode", "records") => run.records = value.parse().ok(),
                ("get", "requests_per_s") => run.get_per_s = value.parse().ok(),
                _ => {}
            }
        }
    }
    run
}

/// The virtual environment's interpreter, made (and the SDK installed) when missing.
fn venv(root: &Path) -> Result<PathBuf, String> {
    let dir = target_dir(root).join(format!("xtask-bench/python-sdk-{SDK_VERSION}"));
    let python = dir.join("bin/python");
    let ready = dir.join("installed");
    if ready.is_file() && python.is_file() {
        return Ok(python);
    }
    let system = Command::new("python3")
        .arg("--version")
        .output()
        .map_err(|e| format!("no python3 ({e})"))?;
    if !system.status.success() {
        return Err("python3 --version failed".into());
    }
    note!(
        "bench: making {} with airbyte-agent-sdk=={SDK_VERSION}",
        dir.display()
    );
    let _ = std::fs::remove_dir_all(&dir);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status()
        .map_err(|e| format!("python3 -m venv: {e}"))?;
    if !made.success() {
        return Err(format!("python3 -m venv failed ({made})"));
    }
    let installed = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("airbyte-agent-sdk=={SDK_VERSION}"))
        .status()
        .map_err(|e| format!("pip: {e}"))?;
    if !installed.success() {
        return Err(format!(
            "pip install airbyte-agent-sdk=={SDK_VERSION} failed ({installed}): no package index?"
        ));
    }
    std::fs::write(&ready, SDK_VERSION).map_err(|e| format!("{}: {e}", ready.display()))?;
    Ok(python)
}

/// The loopback sandbox as a child process, stopped when dropped.
struct Sandbox {
    child: Child,
    url: String,
}

impl Sandbox {
    fn start(root: &Path) -> Result<Sandbox, String> {
        let built = cargo_in(root)
            .args([
                "build",
                "--quiet",
                "--release",
                "-p",
                "airbyte-agent-sandbox",
            ])
            .status()
            .map_err(|e| e.to_string())?;
        if !built.success() {
            return Err(format!("cannot build the sandbox ({built})"));
        }
        let exe = target_dir(root).join("release").join(format!(
            "airbyte-agent-sandbox{}",
            std::env::consts::EXE_SUFFIX
        ));
        let mut child = Command::new(&exe)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
        let mut line = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let url = line.trim().to_owned();
        let sandbox = Sandbox { child, url };
        if !sandbox.url.starts_with("http://") {
            return Err(format!(
                "the sandbox printed {:?}, not its URL",
                sandbox.url
            ));
        }
        Ok(sandbox)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scripts_lines_are_read() {
        let run = parse(
            "noise\npython decode records=1000 bytes=2400000 median_ms=24.700 runs=30\n\
             python get requests_per_s=812.5 batch=300 batches=5\n",
        );
        assert_eq!(
            run,
            PythonRun {
                decode_ms: Some(24.7),
                records: Some(1000),
                get_per_s: Some(812.5),
            }
        );
        assert_eq!(parse("python decode median_ms=oops"), PythonRun::default());
    }
}
