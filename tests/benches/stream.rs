//! Streaming memory: synthetic contacts through `contacts().list().per_page(150).stream()` from
//! the loopback sandbox, and the process's peak resident set size (`VmHWM`) afterwards.
//!
//! Each size runs in a child process of its own, so one size's peak cannot hide another's. The
//! sandbox makes every page on the fly from the record index and keeps no request log, so what
//! grows with the record count is the client's. Flat means the peak at 1,000,000 records is
//! about the peak at 10,000.
//!
//! ```text
//! cargo bench -p airbyte-e2e --bench stream                   # 10k, 100k and 1M records
//! cargo bench -p airbyte-e2e --bench stream -- --records 5000 # one size, in this process
//! ```
//!
//! Each run prints one line `stream records=.. pages=.. elapsed_ms=.. records_per_s=..
//! rss_before_kib=.. peak_rss_kib=..`; `cargo xtask bench` reads those lines.

use std::process::{Command, ExitCode};
use std::time::Instant;

use airbyte_agent_sandbox::{Sandbox, SandboxConfig};
use airbyte_intercom::Intercom;
use futures::StreamExt;

const SIZES: [u64; 3] = [10_000, 100_000, 1_000_000];
const PER_PAGE: i64 = 150;

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

async fn stream_records(records: u64) -> Result<(), String> {
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .synthetic_contacts(records)
            .log_requests(false),
    )
    .await;
    let intercom: Intercom = sandbox
        .connect(Intercom::builder())
        .build()
        .map_err(|e| e.to_string())?;
    let before = status_kib("VmRSS");
    let start = Instant::now();
    let mut stream = Box::pin(intercom.contacts().list().per_page(PER_PAGE).stream());
    let mut seen = 0u64;
    while let Some(item) = stream.next().await {
        let contact = item.map_err(|e| format!("record {seen}: {e}"))?;
        std::hint::black_box(contact);
        seen += 1;
    }
    let elapsed = start.elapsed();
    if seen != records {
        return Err(format!("streamed {seen} records, expected {records}"));
    }
    let pages = records.div_ceil(PER_PAGE as u64);
    println!(
        "stream records={records} pages={pages} elapsed_ms={} records_per_s={:.0} \
         rss_before_kib={} peak_rss_kib={}",
        elapsed.as_millis(),
        records as f64 / elapsed.as_secs_f64(),
        kib(before),
        kib(status_kib("VmHWM")),
    );
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--records") {
        let Some(records) = args.get(i + 1).and_then(|n| n.parse::<u64>().ok()) else {
            eprintln!("usage: stream [--records N]");
            return ExitCode::from(2);
        };
        let rt = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("stream: no tokio runtime: {e}");
                return ExitCode::FAILURE;
            }
        };
        return match rt.block_on(stream_records(records)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("stream: {e}");
                ExitCode::FAILURE
            }
        };
    }
    // `cargo bench` passes `--bench` and maybe a filter: run every size in a child process.
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("stream: cannot find this executable: {e}");
            return ExitCode::FAILURE;
        }
    };
    for records in SIZES {
        match Command::new(&exe)
            .args(["--records", &records.to_string()])
            .status()
        {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("stream: the {records}-record run failed ({s})");
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("stream: cannot run {}: {e}", exe.display());
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
