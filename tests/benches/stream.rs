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
//! rss_before_kib=.. peak_rss_kib=..`; `cargo xtask bench` reads those lines. The streams use
//! the client's default, one page prefetched.
//!
//! Prefetching: 10 pages of 50 contacts from a sandbox that delays every request by 20 ms,
//! consumed by a loop that spends, per page, as long as one request took when paging
//! sequentially (measured first: `request_ms`) in a blocking call on tokio's blocking pool
//! (`work_ms`, the time it really took). Sequential paging (`prefetch_pages(0)`) against the
//! default (one page ahead), alternated, 7 runs each; prints `prefetch pages=.. per_page=..
//! latency_ms=.. request_ms=.. work_ms=.. sequential_ms=.. prefetch_ms=..` (medians).
//!
//! ```text
//! cargo bench -p airbyte-e2e --bench stream -- --prefetch     # only the prefetch comparison
//! ```

use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

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

const PREFETCH_PAGES: u64 = 10;
/// Records per page in the prefetch comparison (the issue fixes only the page count).
const PREFETCH_PER_PAGE: i64 = 50;
const LATENCY: Duration = Duration::from_millis(20);
const PREFETCH_RUNS: usize = 7;

/// The consumer's work on one page: a blocking call of `work` (a write to a store, say) on
/// tokio's blocking pool, as an async program runs one. It is timed by the OS
/// (`std::thread::sleep`, about 0.1 ms late here) rather than by tokio's timer, which rounds
/// every wait up to the next millisecond: a consumer meant to take as long as a request would
/// take longer, and the comparison would be of unequal halves. Returns the time it took (the
/// caller asks for a little less, see `prefetch_vs_sequential`).
async fn consume_page(work: Duration) -> Result<Duration, String> {
    let start = Instant::now();
    tokio::task::spawn_blocking(move || std::thread::sleep(work))
        .await
        .map_err(|e| format!("the consumer's work failed: {e}"))?;
    Ok(start.elapsed())
}

/// One run of the comparison: the wall time and the consumer's time per page.
struct Paged {
    wall: Duration,
    consumer: Duration,
}

/// Streams `PREFETCH_PAGES` pages with `prefetch` pages ahead, spending `work` per page (at
/// its first item).
async fn paged(sandbox: &Sandbox, prefetch: usize, work: Duration) -> Result<Paged, String> {
    let intercom: Intercom = sandbox
        .connect(Intercom::builder())
        .prefetch_pages(prefetch)
        .build()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let mut stream = Box::pin(
        intercom
            .contacts()
            .list()
            .per_page(PREFETCH_PER_PAGE)
            .stream(),
    );
    let (mut seen, mut consumer) = (0u64, Duration::ZERO);
    while let Some(item) = stream.next().await {
        let contact = item.map_err(|e| format!("record {seen}: {e}"))?;
        if seen % PREFETCH_PER_PAGE as u64 == 0 && !work.is_zero() {
            consumer += consume_page(work).await?;
        }
        std::hint::black_box(contact);
        seen += 1;
    }
    if seen != PREFETCH_PAGES * PREFETCH_PER_PAGE as u64 {
        return Err(format!("streamed {seen} records"));
    }
    Ok(Paged {
        wall: start.elapsed(),
        consumer: consumer / PREFETCH_PAGES as u32,
    })
}

async fn prefetch_vs_sequential() -> Result<(), String> {
    let sandbox = Sandbox::start(
        SandboxConfig::default()
            .synthetic_contacts(PREFETCH_PAGES * PREFETCH_PER_PAGE as u64)
            .log_requests(false)
            .latency(LATENCY),
    )
    .await;
    // The consumer's work per page: as long as one request takes (latency, transfer, decode),
    // the median of 5 sequential runs without work.
    let mut fetch = Vec::new();
    for _ in 0..5 {
        fetch.push(paged(&sandbox, 0, Duration::ZERO).await?.wall / PREFETCH_PAGES as u32);
    }
    fetch.sort();
    let request = fetch[fetch.len() / 2];
    // A blocking call ends a little late (waking a thread, the kernel's timer slack): asked
    // for the median lateness less, the consumer takes as long as a request (`work_ms`, the
    // time it really took, says how close).
    let mut late = Vec::new();
    for _ in 0..9 {
        late.push(consume_page(request).await?.saturating_sub(request));
    }
    late.sort();
    let work = request.saturating_sub(late[late.len() / 2]);
    let (mut sequential, mut prefetched, mut consumer) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..PREFETCH_RUNS {
        let run = paged(&sandbox, 0, work).await?;
        sequential.push(run.wall);
        consumer.push(run.consumer);
        let run = paged(&sandbox, 1, work).await?;
        prefetched.push(run.wall);
        consumer.push(run.consumer);
    }
    for runs in [&mut sequential, &mut prefetched, &mut consumer] {
        runs.sort();
    }
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "prefetch pages={PREFETCH_PAGES} per_page={PREFETCH_PER_PAGE} latency_ms={} \
         request_ms={:.2} work_ms={:.2} sequential_ms={:.2} prefetch_ms={:.2}",
        LATENCY.as_millis(),
        ms(request),
        ms(consumer[consumer.len() / 2]),
        ms(sequential[PREFETCH_RUNS / 2]),
        ms(prefetched[PREFETCH_RUNS / 2]),
    );
    Ok(())
}

/// A tokio runtime like an application's (two worker threads).
fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let prefetch = || match runtime().and_then(|rt| rt.block_on(prefetch_vs_sequential())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stream: prefetch: {e}");
            ExitCode::FAILURE
        }
    };
    if args.iter().any(|a| a == "--prefetch") {
        return prefetch();
    }
    if let Some(i) = args.iter().position(|a| a == "--records") {
        let Some(records) = args.get(i + 1).and_then(|n| n.parse::<u64>().ok()) else {
            eprintln!("usage: stream [--records N]");
            return ExitCode::from(2);
        };
        let rt = match runtime() {
            Ok(rt) => rt,
            Err(e) => {
                eprintln!("stream: {e}");
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
    prefetch()
}
