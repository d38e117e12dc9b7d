//! Parse, emit and regen benchmarks.
//!
//! * `parse/ours/<doc>` against `parse/pulldown/<doc>`: the parser against bare pulldown-cmark
//!   event iteration over the same bytes (the floor), with byte throughput.
//! * `emit/<doc>`: model -> formatted crate files, per document that parses.
//! * `regen/plan`: the work of `cargo xtask regen` inside the process (read, parse, model YAML,
//!   emit, format every `spec/<name>/REFERENCE.md`), composed here from the library's building
//!   blocks as `xtask/src/layout.rs` composes them (a bench of this crate cannot call xtask).
//! * `scale/<shape>/<n>`: parse + lower (what `airbyte-codegen check` does) of a synthetic
//!   document with `n` Records rows, `n` entities or `n` actions of one entity, at two sizes
//!   ten times apart: linear work takes ten times as long (a 50,000-row table once took 24 s,
//!   quadratic in the record merge).
//!
//! Documents: `spec/intercom/REFERENCE.md`, plus every `../shared/corpus/*.md` when that
//! directory exists (skipped with a message otherwise). Run with
//! `cargo bench -p airbyte-codegen --bench codegen -- --warm-up-time 1 --measurement-time 3`.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};

use airbyte_codegen::emit::{self, CrateOptions};
use airbyte_codegen::{parse, regen};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pulldown_cmark::{Options, Parser};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// `(name, file, text)` of every benchmarked document.
fn documents() -> Vec<(String, String, String)> {
    let root = root();
    let mut docs = Vec::new();
    let spec = "spec/intercom/REFERENCE.md";
    match fs::read_to_string(root.join(spec)) {
        Ok(text) => docs.push(("spec.intercom".to_string(), spec.to_string(), text)),
        Err(e) => eprintln!("bench: {spec} unreadable ({e}), skipped"),
    }
    let corpus = root.join("../shared/corpus");
    let Ok(entries) = fs::read_dir(&corpus) else {
        eprintln!("bench: ../shared/corpus is absent, corpus documents skipped");
        return docs;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| p.file_stem().is_some_and(|s| s != "README"))
        .collect();
    paths.sort();
    for path in paths {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        match fs::read_to_string(&path) {
            Ok(text) => docs.push((stem.clone(), format!("corpus/{stem}.md"), text)),
            Err(e) => eprintln!("bench: {} unreadable ({e}), skipped", path.display()),
        }
    }
    docs
}

/// The floor: every pulldown-cmark event with its offsets, as the parser's block lexer asks.
fn pulldown_events(text: &str) -> usize {
    let mut events = 0;
    for ev in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
        black_box(ev);
        events += 1;
    }
    events
}

fn parse_benches(c: &mut Criterion) {
    let docs = documents();
    let mut group = c.benchmark_group("parse");
    for (name, file, text) in &docs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", name), text, |b, text| {
            b.iter(|| parse::parse(file, black_box(text)).is_ok())
        });
        group.bench_with_input(BenchmarkId::new("pulldown", name), text, |b, text| {
            b.iter(|| pulldown_events(black_box(text)))
        });
    }
    group.finish();
}

fn emit_benches(c: &mut Criterion) {
    let docs = documents();
    let mut group = c.benchmark_group("emit");
    for (name, file, text) in &docs {
        let Ok(parsed) = parse::parse(file, text) else {
            eprintln!("bench: {file} does not parse, emit skipped");
            continue;
        };
        let options = CrateOptions {
            crate_name: format!("airbyte-{}", parsed.connector.name),
            runtime_path: "../../runtime".to_string(),
            source: file.clone(),
            version: "0.1.0".to_string(),
        };
        if let Err(e) = emit::emit_crate(&parsed.connector, &options) {
            eprintln!("bench: {file} does not emit ({e}), skipped");
            continue;
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), &parsed, |b, parsed| {
            b.iter(|| emit::emit_crate(black_box(&parsed.connector), &options).is_ok())
        });
    }
    group.finish();
}

/// Every `spec/<name>/REFERENCE.md` read and parsed, its model YAML and crate built in memory, as
/// `plan` in `xtask/src/layout.rs` does (names as that layout gives them; they do not change the
/// cost). Returns the number of files.
fn regen_work(root: &Path) -> Result<usize, String> {
    let mut files = 0;
    for entry in fs::read_dir(root.join("spec")).map_err(|e| e.to_string())? {
        let dir = entry.map_err(|e| e.to_string())?.path();
        let Some(name) = dir.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let source = format!("spec/{name}/REFERENCE.md");
        let Ok(bytes) = fs::read(root.join(&source)) else {
            continue;
        };
        let parsed = parse::parse_bytes(&source, &bytes)
            .map_err(|ds| format!("{source}: {} error(s)", ds.len()))?;
        regen::model_yaml(&parsed.connector, &source).map_err(|e| e.to_string())?;
        let options = CrateOptions {
            crate_name: format!("airbyte-{name}"),
            runtime_path: "../../runtime".to_string(),
            source,
            version: "0.1.0".to_string(),
        };
        files += 1 + emit::emit_crate(&parsed.connector, &options)
            .map_err(|e| e.to_string())?
            .len();
    }
    Ok(files)
}

fn regen_benches(c: &mut Criterion) {
    let root = root();
    if let Err(e) = regen_work(&root) {
        eprintln!("bench: regen work fails ({e}), skipped");
        return;
    }
    c.bench_function("regen/plan", |b| {
        b.iter(|| regen_work(black_box(&root)).is_ok())
    });
}

/// The valid one-entity document of the diagnostics catalogue.
const VALID: &str = include_str!("../tests/catalogue/valid.md");

/// A document of `n` rows, entities or actions (`shape`), built from [`VALID`].
fn synthetic(shape: &str, n: usize) -> String {
    let list = &VALID
        [VALID.find("### Widgets List").unwrap_or(0)..VALID.find("### Widgets Get").unwrap_or(0)];
    let summary_row = "| Widgets | [List](#widgets-list), [Get](#widgets-get) |\n";
    match shape {
        "rows" => {
            let anchor = "| `name` | `string \\| null` |  |\n";
            let at = VALID.find(anchor).map_or(0, |i| i + anchor.len());
            let rows: String = (0..n)
                .map(|i| format!("| `field_{i}` | `string` | Field number {i} |\n"))
                .collect();
            format!("{}{rows}{}", &VALID[..at], &VALID[at..])
        }
        "entities" => {
            let mut text = VALID.replace(
                summary_row,
                &(0..n).fold(summary_row.to_string(), |mut s, i| {
                    s.push_str(&format!("| Thing{i} | [List](#thing{i}-list) |\n"));
                    s
                }),
            );
            for i in 0..n {
                text.push_str(&format!("\n## Thing{i}\n\n"));
                text.push_str(
                    &list
                        .replace("Widgets", &format!("Thing{i}"))
                        .replace("\"widgets\"", &format!("\"thing{i}\"")),
                );
            }
            text
        }
        _ => {
            let mut text = VALID[..VALID.find("### Widgets Get").unwrap_or(0)].to_string();
            for i in 0..n {
                // Each a list of its own parameter, so that the names tell them apart.
                text.push_str(&list.replace(
                    "| `limit` | `integer` | No |",
                    &format!("| `scope_{i}` | `integer` | Yes |"),
                ));
            }
            text
        }
    }
}

fn scale_benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    for (shape, small) in [("rows", 5_000), ("entities", 1_000), ("actions", 1_000)] {
        for n in [small, small * 10] {
            let text = synthetic(shape, n);
            match parse::parse("scale.md", &text) {
                Ok(p) if airbyte_codegen::lower::lower(&p.connector).is_ok() => {}
                _ => {
                    eprintln!("bench: synthetic {shape} document does not check, skipped");
                    continue;
                }
            }
            group.throughput(Throughput::Elements(n as u64));
            group.bench_with_input(BenchmarkId::new(shape, n), &text, |b, text| {
                b.iter(|| {
                    let parsed = parse::parse("scale.md", black_box(text)).ok();
                    parsed.map(|p| airbyte_codegen::lower::lower(&p.connector).is_ok())
                })
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = parse_benches, emit_benches, regen_benches, scale_benches
}
criterion_main!(benches);
