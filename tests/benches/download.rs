//! Download memory: a download streamed from the loopback sandbox through a download request
//! builder's `stream()` (what `request! { .., download }` gives every generated download
//! action), and the process's peak resident set size (`VmHWM`) afterwards.
//!
//! Each size runs in a child process of its own, so one size's peak cannot hide another's.
//! The sandbox generates the body chunk by chunk as it is read, so what could grow with the
//! size is the client's. Flat means the peak at 1 GiB is about the peak at 10 MiB. The child
//! runs a current-thread tokio runtime: with worker threads, the peak moves by about 1 MiB
//! from run to run at any size (per-thread malloc arenas holding ~400 KiB body chunks),
//! which would hide a growth of the same order.
//!
//! ```text
//! cargo bench -p airbyte-e2e --bench download                  # 10 MiB and 1 GiB
//! cargo bench -p airbyte-e2e --bench download -- --bytes 5000  # one size, in this process
//! ```
//!
//! Each run prints one line `download bytes=.. chunks=.. elapsed_ms=.. mib_per_s=..
//! rss_before_kib=.. peak_rss_kib=..`; `cargo xtask bench` reads those lines.

use std::process::{Command, ExitCode};
use std::time::Instant;

use airbyte_agent_runtime::Client;
use airbyte_agent_sandbox::{Sandbox, SandboxConfig};
use bytes::Bytes;
use futures::StreamExt;
use serde::Serialize;

const SIZES: [u64; 2] = [10 * 1024 * 1024, 1024 * 1024 * 1024];

/// A download action as a generated crate declares it.
#[derive(Debug, Clone, Serialize)]
struct DownloadAttachmentParams {
    attachment_gid: String,
}

airbyte_agent_runtime::request! {
    /// Downloads an attachment.
    pub struct DownloadAttachment(DownloadAttachmentParams) -> Bytes;
    entity = "attachments", action = "download", idempotent = true;
    download;
}

/// A field of `/proc/self/status` in KiB (Linux); `None` elsewhere.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn kib(v: Option<u64>) -> String {
    v.map_or_else(|| "unknown".to_owned(), |v| v.to_string())
}

async fn download(bytes: u64) -> Result<(), String> {
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .download_size(bytes)
            .log_requests(false),
    )
    .await;
    let client = sandbox
        .connect(Client::builder())
        .build()
        .map_err(|e| e.to_string())?;
    let before = status_kib("VmRSS");
    let start = Instant::now();
    let params = DownloadAttachmentParams {
        attachment_gid: "gid-1".into(),
    };
    let mut stream = DownloadAttachment::new(client, params).stream();
    let (mut seen, mut chunks) = (0u64, 0u64);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("after {seen} bytes: {e}"))?;
        seen += chunk.len() as u64;
        chunks += 1;
        std::hint::black_box(chunk);
    }
    let elapsed = start.elapsed();
    if seen != bytes {
        return Err(format!("downloaded {seen} bytes, expected {bytes}"));
    }
    println!(
        "download bytes={bytes} chunks={chunks} elapsed_ms={} mib_per_s={:.1} \
         rss_before_kib={} peak_rss_kib={}",
        elapsed.as_millis(),
        bytes as f64 / (1024.0 * 1024.0) / elapsed.as_secs_f64(),
        kib(before),
        kib(status_kib("VmHWM")),
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--bytes") {
        let Some(bytes) = args.get(i + 1).and_then(|n| n.parse::<u64>().ok()) else {
            eprintln!("usage: download [--bytes N]");
            return ExitCode::from(2);
        };
        let rt = match tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("download: no tokio runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match rt.block_on(download(bytes)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("download: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // `cargo bench` passes `--bench` and maybe a filter: run every size in a child process.
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("download: cannot find this executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    for bytes in SIZES {
        match Command::new(&exe)
            .args(["--bytes", &bytes.to_string()])
            .status()
        {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("download: the {bytes}-byte run failed ({s})");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("download: cannot run {}: {e}", exe.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
