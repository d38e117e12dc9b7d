//! `cargo xtask bench [--quick]`: runs every benchmark of the project and prints one summary
//! table (Markdown, ready for BENCHMARKS.md), then the per-document parse and emit figures.
//!
//! The criterion benches (`codegen`, `decode`, `client`) write their estimates under
//! `<target dir>/xtask-bench/criterion` (through `CRITERION_HOME`), which is emptied first so
//! that no figure of an earlier run is read. Every ratio compares two figures of this one run.
//! The streaming and download benches, the regen process and the build are run and timed here.
//! Nothing fails on a timing: a missed target is printed as `no`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::bench_python::{self, PythonRun};
use crate::cargo_in;
use crate::layout;

/// One criterion benchmark's result.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    /// Median time of one iteration, in nanoseconds.
    ns: f64,
    /// Bytes or elements handled by one iteration, when the bench declares it.
    throughput: Option<f64>,
}

impl Estimate {
    /// Units (bytes or elements) per second.
    fn per_second(&self) -> Option<f64> {
        self.throughput.map(|t| t / (self.ns / 1e9))
    }
}

/// One line of `stream records=.. peak_rss_kib=..` from the streaming bench.
#[derive(Debug, Default)]
struct StreamRun {
    records: u64,
    records_per_s: f64,
    rss_before_kib: Option<u64>,
    peak_rss_kib: Option<u64>,
}

/// The `prefetch ...` line of the streaming bench: 10 pages with injected latency, paged
/// sequentially and one page ahead.
#[derive(Debug, Default, Clone, PartialEq)]
struct PrefetchRun {
    pages: u64,
    per_page: u64,
    latency_ms: f64,
    /// One request when paging sequentially (median), what the consumer is asked to spend.
    request_ms: f64,
    /// What the consumer really spent per page (median).
    work_ms: f64,
    sequential_ms: f64,
    prefetch_ms: f64,
}

/// One line of `download bytes=.. peak_rss_kib=..` from the download bench.
#[derive(Debug, Default)]
struct DownloadRun {
    bytes: u64,
    mib_per_s: f64,
    peak_rss_kib: Option<u64>,
}

/// A row of the summary table.
struct Row {
    measure: String,
    ours: String,
    baseline: String,
    ratio: String,
    target: &'static str,
    met: &'static str,
}

pub fn run(root: &Path, quick: bool, python: bool) -> ExitCode {
    let home = layout::target_dir(root).join("xtask-bench/criterion");
    let _ = fs::remove_dir_all(&home);
    // The decode bench writes the page it decodes here, for the Python SDK.
    let body = layout::target_dir(root).join("xtask-bench/contacts-1000.json");
    let _ = fs::remove_file(&body);
    let (warm_up, measure) = if quick { ("0.5", "1") } else { ("1", "3") };
    let criterion_args = ["--warm-up-time", warm_up, "--measurement-time", measure];
    let started = Instant::now();
    // A failing part is reported and the others still run: the table shows what was measured.
    let mut failures = Vec::new();
    for (package, bench) in [
        ("airbyte-codegen", "codegen"),
        ("airbyte-e2e", "decode"),
        ("airbyte-e2e", "client"),
    ] {
        note!("bench: cargo bench -p {package} --bench {bench}");
        let status = cargo_in(root)
            .args(["bench", "-p", package, "--bench", bench, "--"])
            .args(criterion_args)
            .env("CRITERION_HOME", &home)
            .env("AIRBYTE_BENCH_BODY", &body)
            .stdout(Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            failures.push(format!(
                "`cargo bench -p {package} --bench {bench}` failed ({status:?})"
            ));
        }
    }
    let estimates = read_estimates(&home).unwrap_or_else(|e| {
        failures.push(format!("cannot read criterion's results: {e}"));
        BTreeMap::new()
    });
    note!("bench: cargo bench -p airbyte-e2e --bench stream");
    let (streams, prefetch) = run_stream(root).unwrap_or_else(|e| {
        failures.push(format!("streaming bench: {e}"));
        (Vec::new(), None)
    });
    let python = python.then(|| {
        note!(
            "bench: Airbyte's Python SDK (airbyte-agent-sdk=={})",
            bench_python::SDK_VERSION
        );
        bench_python::run(root, &body, quick)
            .inspect_err(|e| note!("bench: Python SDK skipped: {e}"))
    });
    note!("bench: cargo bench -p airbyte-e2e --bench download");
    let downloads = run_download(root).unwrap_or_else(|e| {
        failures.push(format!("download bench: {e}"));
        Vec::new()
    });
    note!("bench: regen as a process");
    let regen = time_regen(root)
        .map_err(|e| failures.push(format!("regen timing: {e}")))
        .ok();
    note!("bench: build cost");
    let build = build_cost(root)
        .map_err(|e| failures.push(format!("build timing: {e}")))
        .ok();

    let mut rows = Vec::new();
    parse_rows(&estimates, &mut rows);
    scale_rows(&estimates, &mut rows);
    regen_rows(&estimates, regen.as_ref(), &mut rows);
    decode_rows(&estimates, &mut rows);
    client_rows(&estimates, &mut rows);
    if let Some(python) = &python {
        python_rows(&estimates, python.as_ref(), &mut rows);
    }
    if let Some(prefetch) = &prefetch {
        prefetch_rows(prefetch, &mut rows);
    }
    stream_rows(&streams, &mut rows);
    download_rows(&downloads, &mut rows);
    if let Some(build) = &build {
        build_rows(build, &mut rows);
    }

    say!(
        "## Summary ({} run, {:.0} s)\n",
        if quick { "quick" } else { "full" },
        started.elapsed().as_secs_f64()
    );
    say_raw!("{}", summary_table(&rows));
    say!("\n## Per document\n");
    say_raw!("{}", document_table(&estimates));
    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    for f in &failures {
        note!("bench: {f}");
    }
    ExitCode::FAILURE
}

/// Every `<id>/new/{benchmark,estimates}.json` under `home`, by criterion's full id.
fn read_estimates(home: &Path) -> Result<BTreeMap<String, Estimate>, String> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![home.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let (id, estimate) = read_one(&path)?;
                out.insert(id, estimate);
            } else {
                dirs.push(path);
            }
        }
    }
    if out.is_empty() {
        return Err(format!("no results under {}", home.display()));
    }
    Ok(out)
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_one(dir: &Path) -> Result<(String, Estimate), String> {
    let bench = read_json(&dir.join("benchmark.json"))?;
    let estimates = read_json(&dir.join("estimates.json"))?;
    let id = bench["full_id"]
        .as_str()
        .ok_or_else(|| format!("{}: no full_id", dir.display()))?
        .to_owned();
    let ns = estimates["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median estimate", dir.display()))?;
    let throughput = bench["throughput"]
        .as_object()
        .and_then(|t| t.values().next())
        .and_then(Value::as_f64);
    Ok((id, Estimate { ns, throughput }))
}

fn run_stream(root: &Path) -> Result<(Vec<StreamRun>, Option<PrefetchRun>), String> {
    let output = cargo_in(root)
        .args(["bench", "-p", "airbyte-e2e", "--bench", "stream"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("exit status {}", output.status));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let runs: Vec<StreamRun> = text
        .lines()
        .filter_map(|l| l.strip_prefix("stream "))
        .map(|l| {
            let mut run = StreamRun::default();
            for (key, value) in l.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                match key {
                    "records" => run.records = value.parse().unwrap_or(0),
                    "records_per_s" => run.records_per_s = value.parse().unwrap_or(0.0),
                    "rss_before_kib" => run.rss_before_kib = value.parse().ok(),
                    "peak_rss_kib" => run.peak_rss_kib = value.parse().ok(),
                    _ => {}
                }
            }
            run
        })
        .collect();
    if runs.is_empty() {
        return Err("the streaming bench printed no `stream ...` line".into());
    }
    Ok((runs, parse_prefetch(&text)))
}

/// The `prefetch pages=.. per_page=.. latency_ms=.. request_ms=.. work_ms=.. sequential_ms=..
/// prefetch_ms=..` line.
fn parse_prefetch(text: &str) -> Option<PrefetchRun> {
    let line = text.lines().find_map(|l| l.strip_prefix("prefetch "))?;
    let mut run = PrefetchRun::default();
    for (key, value) in line.split_whitespace().filter_map(|kv| kv.split_once('=')) {
        let v: f64 = value.parse().ok()?;
        match key {
            "pages" => run.pages = v as u64,
            "per_page" => run.per_page = v as u64,
            "latency_ms" => run.latency_ms = v,
            "request_ms" => run.request_ms = v,
            "work_ms" => run.work_ms = v,
            "sequential_ms" => run.sequential_ms = v,
            "prefetch_ms" => run.prefetch_ms = v,
            _ => {}
        }
    }
    (run.prefetch_ms > 0.0).then_some(run)
}

fn run_download(root: &Path) -> Result<Vec<DownloadRun>, String> {
    let output = cargo_in(root)
        .args(["bench", "-p", "airbyte-e2e", "--bench", "download"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(format!("exit status {}", output.status));
    }
    let runs = parse_download(&String::from_utf8_lossy(&output.stdout));
    if runs.is_empty() {
        return Err("the download bench printed no `download ...` line".into());
    }
    Ok(runs)
}

fn parse_download(text: &str) -> Vec<DownloadRun> {
    text.lines()
        .filter_map(|l| l.strip_prefix("download "))
        .map(|l| {
            let mut run = DownloadRun::default();
            for (key, value) in l.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                match key {
                    "bytes" => run.bytes = value.parse().unwrap_or(0),
                    "mib_per_s" => run.mib_per_s = value.parse().unwrap_or(0.0),
                    "peak_rss_kib" => run.peak_rss_kib = value.parse().ok(),
                    _ => {}
                }
            }
            run
        })
        .collect()
}

/// Timings of regeneration as a process.
struct RegenTimes {
    /// Median wall time of the release `xtask regen --check` binary.
    process: Duration,
    runs: usize,
    /// One `cargo xtask regen --check` as a user types it (cargo's freshness check included).
    via_cargo: Duration,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn time_regen(root: &Path) -> Result<RegenTimes, String> {
    let status = cargo_in(root)
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("release build of xtask failed ({status})"));
    }
    let target = layout::target_dir(root);
    let exe = target
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX));
    let once = |cmd: &mut Command| -> Result<Duration, String> {
        let start = Instant::now();
        let status = cmd
            .stdout(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        let elapsed = start.elapsed();
        if status.success() {
            Ok(elapsed)
        } else {
            Err(format!(
                "regen --check failed ({status}): is the tree stale?"
            ))
        }
    };
    let runs = 11;
    let mut times = Vec::new();
    for _ in 0..runs {
        times.push(once(Command::new(&exe).arg("regen").arg("--check"))?);
    }
    let via_cargo = once(cargo_in(root).args(["xtask", "regen", "--check"]))?;
    Ok(RegenTimes {
        process: median(times),
        runs,
        via_cargo,
    })
}

/// What building a crate costs once its dependencies are built.
struct BuildCost {
    generated_lines: usize,
    generated: Duration,
    runtime_lines: usize,
    runtime: Duration,
}

fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| e.path())
        .map(|p| {
            if p.is_dir() {
                rust_lines(&p)
            } else if p.extension().is_some_and(|x| x == "rs") {
                fs::read_to_string(&p).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// Touches `lib` and times `cargo build -p package`; the first build brings dependencies up to
/// date and is not counted. Median of three.
fn time_build(root: &Path, package: &str, lib: &Path) -> Result<Duration, String> {
    let build = || -> Result<Duration, String> {
        let start = Instant::now();
        let status = cargo_in(root)
            .args(["build", "--quiet", "-p", package])
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("cargo build -p {package} failed ({status})"));
        }
        Ok(start.elapsed())
    };
    build()?;
    let mut times = Vec::new();
    for _ in 0..3 {
        let file = fs::File::options()
            .append(true)
            .open(lib)
            .map_err(|e| format!("{}: {e}", lib.display()))?;
        file.set_modified(std::time::SystemTime::now())
            .map_err(|e| format!("{}: {e}", lib.display()))?;
        times.push(build()?);
    }
    Ok(median(times))
}

fn build_cost(root: &Path) -> Result<BuildCost, String> {
    Ok(BuildCost {
        generated_lines: rust_lines(&root.join("generated/intercom/src")),
        generated: time_build(
            root,
            "airbyte-intercom",
            &root.join("generated/intercom/src/lib.rs"),
        )?,
        runtime_lines: rust_lines(&root.join("runtime/src")),
        runtime: time_build(
            root,
            "airbyte-agent-runtime",
            &root.join("runtime/src/lib.rs"),
        )?,
    })
}

const MIB: f64 = 1024.0 * 1024.0;

fn mib_s(e: &Estimate) -> String {
    e.per_second()
        .map_or_else(|| "?".into(), |b| format!("{:.1} MiB/s", b / MIB))
}

fn per_s(e: &Estimate, unit: &str) -> String {
    e.per_second().map_or_else(
        || "?".into(),
        |n| {
            if n >= 10_000.0 {
                format!("{:.1} k{unit}/s", n / 1000.0)
            } else {
                format!("{n:.0} {unit}/s")
            }
        },
    )
}

fn ms(ns: f64) -> String {
    format!("{:.2} ms", ns / 1e6)
}

fn met(yes: bool) -> &'static str {
    if yes {
        "yes"
    } else {
        "no"
    }
}

/// The documents benched under `parse/ours/<doc>`, with their ours/pulldown ratio.
fn parse_ratios(est: &BTreeMap<String, Estimate>) -> Vec<(String, Estimate, Estimate, f64)> {
    est.iter()
        .filter_map(|(id, ours)| {
            let doc = id.strip_prefix("parse/ours/")?;
            let floor = est.get(&format!("parse/pulldown/{doc}"))?;
            Some((doc.to_owned(), *ours, *floor, floor.ns / ours.ns))
        })
        .collect()
}

fn parse_rows(est: &BTreeMap<String, Estimate>, rows: &mut Vec<Row>) {
    let ratios = parse_ratios(est);
    for (doc, ours, floor, ratio) in ratios.iter().filter(|r| r.0 == "spec.intercom") {
        rows.push(Row {
            measure: format!("parse `{doc}`"),
            ours: mib_s(ours),
            baseline: format!("bare pulldown-cmark {}", mib_s(floor)),
            ratio: format!("{ratio:.2}x"),
            target: ">= 0.5x",
            met: met(*ratio >= 0.5),
        });
    }
    let mut corpus: Vec<f64> = ratios
        .iter()
        .filter(|r| r.0 != "spec.intercom")
        .map(|r| r.3)
        .collect();
    corpus.sort_by(f64::total_cmp);
    if let (Some(min), Some(max)) = (corpus.first(), corpus.last()) {
        let median = corpus[corpus.len() / 2];
        let ours: f64 = ratios.iter().filter_map(|r| r.1.throughput).sum::<f64>()
            / ratios.iter().map(|r| r.1.ns / 1e9).sum::<f64>();
        let floor: f64 = ratios.iter().filter_map(|r| r.2.throughput).sum::<f64>()
            / ratios.iter().map(|r| r.2.ns / 1e9).sum::<f64>();
        rows.push(Row {
            measure: format!(
                "parse, {} corpus documents (ratio min / median / max)",
                corpus.len()
            ),
            ours: format!("{:.1} MiB/s overall", ours / MIB),
            baseline: format!("bare pulldown-cmark {:.1} MiB/s", floor / MIB),
            ratio: format!("{min:.2}x / {median:.2}x / {max:.2}x"),
            target: ">= 0.5x",
            met: met(*min >= 0.5),
        });
    }
    let emits: Vec<f64> = est
        .iter()
        .filter(|(id, _)| id.starts_with("emit/"))
        .map(|(_, e)| e.ns)
        .collect();
    if let Some(intercom) = est.get("emit/spec.intercom") {
        rows.push(Row {
            measure: "emit + format `spec.intercom`".into(),
            ours: ms(intercom.ns),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "",
            met: "",
        });
    }
    if emits.len() > 1 {
        let max = emits.iter().copied().fold(0.0, f64::max);
        let total: f64 = emits.iter().sum();
        rows.push(Row {
            measure: format!("emit + format, {} documents (total / slowest)", emits.len()),
            ours: format!("{} / {}", ms(total), ms(max)),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "",
            met: "",
        });
    }
}

/// `scale/<shape>/<n>` at two sizes ten times apart: the larger's time over the smaller's,
/// which is 10x for linear work (parse + lower of a synthetic document).
fn scale_rows(est: &BTreeMap<String, Estimate>, rows: &mut Vec<Row>) {
    let mut sizes: BTreeMap<&str, Vec<(u64, Estimate)>> = BTreeMap::new();
    for (id, e) in est {
        let Some((shape, n)) = id.strip_prefix("scale/").and_then(|r| r.split_once('/')) else {
            continue;
        };
        if let Ok(n) = n.parse::<u64>() {
            sizes.entry(shape).or_default().push((n, *e));
        }
    }
    for (shape, mut runs) in sizes {
        runs.sort_by_key(|r| r.0);
        let (Some(&(small, s)), Some(&(large, l))) = (runs.first(), runs.last()) else {
            continue;
        };
        if large != small * 10 {
            continue;
        }
        let ratio = l.ns / s.ns;
        rows.push(Row {
            measure: format!("parse + lower, {large} {shape} against {small} (linear: 10x)"),
            ours: ms(l.ns),
            baseline: ms(s.ns),
            ratio: format!("{ratio:.1}x"),
            // Linear is 10x; allocation and cache effects add some, quadratic work is 100x.
            target: "<= 20x",
            met: met(ratio <= 20.0),
        });
    }
}

fn regen_rows(est: &BTreeMap<String, Estimate>, regen: Option<&RegenTimes>, rows: &mut Vec<Row>) {
    if let Some(plan) = est.get("regen/plan") {
        rows.push(Row {
            measure: "regen work in process (`regen/plan`: read, parse, YAML, emit, format)".into(),
            ours: ms(plan.ns),
            baseline: "-".into(),
            ratio: "-".into(),
            target: "< 50 ms",
            met: met(plan.ns < 50e6),
        });
    }
    let Some(regen) = regen else { return };
    rows.push(Row {
        measure: format!(
            "regen as a process (release `xtask regen --check`, median of {})",
            regen.runs
        ),
        ours: ms(regen.process.as_nanos() as f64),
        baseline: "-".into(),
        ratio: "-".into(),
        target: "",
        met: "",
    });
    rows.push(Row {
        measure: "`cargo xtask regen --check` as typed (cargo's freshness check included)".into(),
        ours: ms(regen.via_cargo.as_nanos() as f64),
        baseline: "-".into(),
        ratio: "-".into(),
        target: "",
        met: "",
    });
}

fn decode_rows(est: &BTreeMap<String, Estimate>, rows: &mut Vec<Row>) {
    if let (Some(ours), Some(floor)) = (est.get("decode/generated"), est.get("decode/floor")) {
        let ratio = ours.ns / floor.ns;
        rows.push(Row {
            measure: "decode 1000 contacts (generated, `ListParams::decode`) against validating \
                      the same bytes (`IgnoredAny`)"
                .into(),
            ours: ms(ours.ns),
            baseline: format!("serde_json `IgnoredAny` {}", ms(floor.ns)),
            ratio: format!("{ratio:.2}x time"),
            target: "<= 2.0x",
            met: met(ratio <= 2.0),
        });
    }
    let Some(hand) = est.get("decode/handwritten") else {
        return;
    };
    let variants = [
        (
            "decode/generated",
            "decode 1000 contacts, generated (`ListParams::decode`, what the client runs)",
            ">= 0.8x",
        ),
        (
            "decode/generated_plain",
            "decode, generated types through `serde_json::from_slice`",
            "",
        ),
        ("decode/value", "decode into `serde_json::Value`", ""),
        (
            "decode/handwritten_keep",
            "decode, hand-written struct + flattened map of unknown members",
            "",
        ),
    ];
    for (id, measure, target) in variants {
        let Some(e) = est.get(id) else { continue };
        let ratio = hand.ns / e.ns;
        rows.push(Row {
            measure: measure.into(),
            ours: per_s(e, "rec"),
            baseline: format!("hand-written struct {}", per_s(hand, "rec")),
            ratio: format!("{ratio:.2}x"),
            target,
            met: if target.is_empty() {
                ""
            } else {
                met(ratio >= 0.8)
            },
        });
    }
}

fn client_rows(est: &BTreeMap<String, Estimate>, rows: &mut Vec<Row>) {
    for (mode, label) in [
        ("sequential", "sequential"),
        ("concurrent64", "64 in flight"),
    ] {
        let Some(ours) = est.get(&format!("client/{mode}/generated")) else {
            continue;
        };
        for (base, what, target) in [
            ("bare", "bare reqwest POST, bytes only", "<= 10%"),
            (
                "bare_typed",
                "bare reqwest POST + hand-written struct decode",
                "<= 10%",
            ),
            ("bare_value", "bare reqwest POST + `Value` decode", ""),
        ] {
            let Some(floor) = est.get(&format!("client/{mode}/{base}")) else {
                continue;
            };
            let overhead = ours.ns / floor.ns - 1.0;
            rows.push(Row {
                measure: format!("client `contacts().get(id)`, {label}"),
                ours: per_s(ours, "req"),
                baseline: format!("{what} {}", per_s(floor, "req")),
                ratio: format!(
                    "{:.2}x ({:+.0}% time)",
                    floor.ns / ours.ns,
                    overhead * 100.0
                ),
                target,
                met: if target.is_empty() {
                    ""
                } else {
                    met(overhead <= 0.10)
                },
            });
        }
    }
}

fn python_rows(
    est: &BTreeMap<String, Estimate>,
    python: Result<&PythonRun, &String>,
    rows: &mut Vec<Row>,
) {
    let python = match python {
        Ok(p) => p,
        Err(why) => {
            rows.push(Row {
                measure: "Airbyte's Python SDK".into(),
                ours: "-".into(),
                baseline: format!("skipped: {why}"),
                ratio: "-".into(),
                target: "",
                met: "",
            });
            return;
        }
    };
    if let (Some(ours), Some(py)) = (est.get("decode/generated"), python.decode_ms) {
        let ratio = py * 1e6 / ours.ns;
        rows.push(Row {
            measure: format!(
                "decode 1000 contacts against the Python SDK (JSON -> execute result -> \
                 `ContactsListResult`, pydantic {} records)",
                python.records.unwrap_or(0)
            ),
            ours: ms(ours.ns),
            baseline: format!(
                "airbyte-agent-sdk {} {}",
                bench_python::SDK_VERSION,
                ms(py * 1e6)
            ),
            ratio: format!("{ratio:.1}x faster"),
            target: ">= 8x",
            met: met(ratio >= 8.0),
        });
    }
    if let (Some(ours), Some(py)) = (est.get("client/sequential/generated"), python.get_per_s) {
        let ratio = ours.per_second().unwrap_or(0.0) / py;
        rows.push(Row {
            measure: "`contacts().get(id)`, sequential, against the Python SDK's \
                      `contacts.get` (same sandbox, as a child process)"
                .into(),
            ours: per_s(ours, "req"),
            baseline: format!("airbyte-agent-sdk {py:.0} req/s"),
            ratio: format!("{ratio:.1}x faster"),
            target: "",
            met: "",
        });
    }
}

fn prefetch_rows(p: &PrefetchRun, rows: &mut Vec<Row>) {
    let ratio = p.sequential_ms / p.prefetch_ms;
    rows.push(Row {
        measure: format!(
            "stream {} pages of {} contacts, {:.0} ms latency per request ({:.1} ms with \
             transfer and decode), consumer {:.1} ms per page: one page prefetched (default)",
            p.pages, p.per_page, p.latency_ms, p.request_ms, p.work_ms
        ),
        ours: format!("{:.0} ms", p.prefetch_ms),
        baseline: format!("sequential paging {:.0} ms", p.sequential_ms),
        ratio: format!("{ratio:.2}x faster"),
        target: ">= 1.8x",
        met: met(ratio >= 1.8),
    });
}

fn stream_rows(streams: &[StreamRun], rows: &mut Vec<Row>) {
    let first = streams.first().and_then(|s| s.peak_rss_kib);
    for (i, s) in streams.iter().enumerate() {
        let ratio = match (s.peak_rss_kib, first) {
            (Some(p), Some(f)) if f > 0 => Some(p as f64 / f as f64),
            _ => None,
        };
        let is_first = i == 0;
        rows.push(Row {
            measure: format!("stream {} contacts, peak RSS", s.records),
            ours: format!(
                "{} ({:.1} k rec/s)",
                s.peak_rss_kib
                    .map_or_else(|| "?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
                s.records_per_s / 1000.0
            ),
            baseline: if is_first {
                format!(
                    "RSS before streaming {}",
                    s.rss_before_kib
                        .map_or_else(|| "?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
                )
            } else {
                format!("peak at {} records", streams[0].records)
            },
            ratio: ratio.map_or_else(|| "-".into(), |r| format!("{r:.2}x")),
            target: if is_first { "" } else { "flat (<= 1.10x)" },
            met: match ratio {
                Some(r) if !is_first => met(r <= 1.10),
                _ => "",
            },
        });
    }
}

/// A byte count as people read it: `10 MiB`, `1 GiB`.
fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= 1024 * MIB && bytes % (1024 * MIB) == 0 {
        format!("{} GiB", bytes / (1024 * MIB))
    } else {
        format!("{:.0} MiB", bytes as f64 / MIB as f64)
    }
}

fn download_rows(downloads: &[DownloadRun], rows: &mut Vec<Row>) {
    let Some(first) = downloads.first() else {
        return;
    };
    for d in &downloads[1..] {
        let ratio = match (d.peak_rss_kib, first.peak_rss_kib) {
            (Some(p), Some(f)) if f > 0 => Some(p as f64 / f as f64),
            _ => None,
        };
        let peak = |k: Option<u64>| {
            k.map_or_else(|| "?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0))
        };
        rows.push(Row {
            measure: format!("download {} (`stream()`), peak RSS", size_text(d.bytes)),
            ours: format!("{} ({:.0} MiB/s)", peak(d.peak_rss_kib), d.mib_per_s),
            baseline: format!(
                "download {}: {} ({:.0} MiB/s)",
                size_text(first.bytes),
                peak(first.peak_rss_kib),
                first.mib_per_s
            ),
            ratio: ratio.map_or_else(|| "-".into(), |r| format!("{r:.2}x")),
            target: "flat (<= 1.10x)",
            met: ratio.map_or("", |r| met(r <= 1.10)),
        });
    }
}

fn build_rows(b: &BuildCost, rows: &mut Vec<Row>) {
    rows.push(Row {
        measure: format!(
            "`cargo build -p airbyte-intercom` (dev, deps built; {} lines)",
            b.generated_lines
        ),
        ours: format!("{:.2} s", b.generated.as_secs_f64()),
        baseline: format!(
            "hand-written runtime crate, {} lines: {:.2} s",
            b.runtime_lines,
            b.runtime.as_secs_f64()
        ),
        ratio: format!(
            "{:.2}x time",
            b.generated.as_secs_f64() / b.runtime.as_secs_f64().max(1e-9)
        ),
        target: "",
        met: "",
    });
}

fn summary_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| measure | ours | baseline (same run) | ratio | target | met |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            r.measure, r.ours, r.baseline, r.ratio, r.target, r.met
        );
    }
    out
}

fn document_table(est: &BTreeMap<String, Estimate>) -> String {
    let mut out = String::from(
        "| document | size | parse | bare pulldown-cmark | ratio | emit + format |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for (doc, ours, floor, ratio) in parse_ratios(est) {
        let emit = est
            .get(&format!("emit/{doc}"))
            .map_or_else(|| "-".into(), |e| ms(e.ns));
        let size = ours
            .throughput
            .map_or_else(|| "?".into(), |b| format!("{:.1} KiB", b / 1024.0));
        let _ = writeln!(
            out,
            "| {doc} | {size} | {} | {} | {ratio:.2}x | {emit} |",
            mib_s(&ours),
            mib_s(&floor)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(ns: f64, throughput: Option<f64>) -> Estimate {
        Estimate { ns, throughput }
    }

    #[test]
    fn parse_ratio_is_floor_time_over_ours() {
        let mut m = BTreeMap::new();
        m.insert("parse/ours/a".into(), est(4e6, Some(1e6)));
        m.insert("parse/pulldown/a".into(), est(1e6, Some(1e6)));
        m.insert("parse/ours/lonely".into(), est(1e6, Some(1e6)));
        let ratios = parse_ratios(&m);
        assert_eq!(
            ratios.len(),
            1,
            "a document without its floor is not paired"
        );
        assert_eq!(ratios[0].0, "a");
        assert!((ratios[0].3 - 0.25).abs() < 1e-12);
    }

    #[test]
    fn scale_rows_compare_sizes_ten_times_apart() {
        let mut m = BTreeMap::new();
        m.insert("scale/rows/5000".into(), est(40e6, Some(5000.0)));
        m.insert("scale/rows/50000".into(), est(480e6, Some(50000.0)));
        m.insert("scale/odd/10".into(), est(1e6, None));
        m.insert("scale/odd/30".into(), est(9e6, None));
        let mut rows = Vec::new();
        scale_rows(&m, &mut rows);
        assert_eq!(rows.len(), 1, "sizes not ten times apart are not compared");
        assert_eq!(rows[0].ratio, "12.0x");
        assert_eq!(rows[0].met, "yes");
    }

    #[test]
    fn decode_and_client_targets_are_judged() {
        let mut m = BTreeMap::new();
        m.insert("decode/handwritten".into(), est(10e6, Some(1000.0)));
        m.insert("decode/generated".into(), est(20e6, Some(1000.0)));
        m.insert("client/sequential/generated".into(), est(105e3, Some(1.0)));
        m.insert("client/sequential/bare".into(), est(100e3, Some(1.0)));
        let mut rows = Vec::new();
        decode_rows(&m, &mut rows);
        client_rows(&m, &mut rows);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].ratio.as_str(), rows[0].met), ("0.50x", "no"));
        assert_eq!(rows[1].met, "yes", "5% overhead is within 10%");
        assert!(rows[1].ratio.contains("+5%"), "{}", rows[1].ratio);
    }

    #[test]
    fn floor_python_and_prefetch_targets_are_judged() {
        let mut m = BTreeMap::new();
        m.insert("decode/generated".into(), est(3e6, Some(1000.0)));
        m.insert("decode/floor".into(), est(1.6e6, Some(1000.0)));
        let mut rows = Vec::new();
        decode_rows(&m, &mut rows);
        assert_eq!((rows[0].ratio.as_str(), rows[0].met), ("1.88x time", "yes"));
        let py = PythonRun {
            decode_ms: Some(23.0),
            records: Some(1000),
            get_per_s: None,
        };
        python_rows(&m, Ok(&py), &mut rows);
        assert_eq!((rows[1].ratio.as_str(), rows[1].met), ("7.7x faster", "no"));
        python_rows(&m, Err(&"no python3".to_owned()), &mut rows);
        assert!(rows[2].baseline.contains("skipped: no python3"));
        let p = parse_prefetch(
            "stream records=1\nprefetch pages=10 per_page=50 latency_ms=20 request_ms=22.4 \
             work_ms=22.5 sequential_ms=450.0 prefetch_ms=250.0\n",
        )
        .unwrap();
        prefetch_rows(&p, &mut rows);
        assert_eq!(
            (rows[3].ratio.as_str(), rows[3].met),
            ("1.80x faster", "yes")
        );
        assert!(
            rows[3].measure.contains("10 pages of 50 contacts")
                && rows[3]
                    .measure
                    .contains("(22.4 ms with transfer and decode), consumer 22.5 ms"),
            "{}",
            rows[3].measure
        );
        assert_eq!(parse_prefetch("prefetch pages=x"), None);
    }

    #[test]
    fn flat_memory_is_judged_against_the_smallest_run() {
        let runs =
            [(10_000, 10_000), (1_000_000, 10_500), (2_000_000, 20_000)].map(|(records, peak)| {
                StreamRun {
                    records,
                    peak_rss_kib: Some(peak),
                    ..StreamRun::default()
                }
            });
        let mut rows = Vec::new();
        stream_rows(&runs, &mut rows);
        let met: Vec<&str> = rows.iter().map(|r| r.met).collect();
        assert_eq!(met, ["", "yes", "no"]);
    }

    #[test]
    fn download_memory_is_judged_against_the_small_download() {
        let text = "noise\ndownload bytes=10485760 chunks=160 elapsed_ms=20 mib_per_s=500.0 \
                    rss_before_kib=6000 peak_rss_kib=8000\n\
                    download bytes=1073741824 chunks=16384 elapsed_ms=2000 mib_per_s=512.0 \
                    rss_before_kib=6000 peak_rss_kib=9000\n";
        let runs = parse_download(text);
        assert_eq!(runs.len(), 2);
        let mut rows = Vec::new();
        download_rows(&runs, &mut rows);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].measure, "download 1 GiB (`stream()`), peak RSS");
        assert_eq!((rows[0].ratio.as_str(), rows[0].met), ("1.12x", "no"));
        assert_eq!(rows[0].baseline, "download 10 MiB: 7.8 MiB (500 MiB/s)");
    }

    #[test]
    fn criterion_results_are_read_by_full_id() {
        let dir = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        let new = dir.join("g/f/new");
        fs::create_dir_all(&new).unwrap();
        fs::write(
            new.join("benchmark.json"),
            r#"{"full_id":"g/f","throughput":{"Bytes":2048}}"#,
        )
        .unwrap();
        fs::write(
            new.join("estimates.json"),
            r#"{"median":{"point_estimate":1000000.0}}"#,
        )
        .unwrap();
        let read = read_estimates(&dir);
        let _ = fs::remove_dir_all(&dir);
        let read = read.unwrap();
        let e = read["g/f"];
        assert_eq!(e.ns, 1e6);
        assert_eq!(e.per_second(), Some(2048.0 * 1000.0));
    }
}
