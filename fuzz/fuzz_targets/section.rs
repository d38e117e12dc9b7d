//! The parser and emitter on one entity section (at most 4 KiB), placed in a fixed valid
//! document: title, summary and endpoint stay valid, so every execution reaches the section
//! grammar (headings, tables, type cells, curl) instead of failing at the title. Checks: no
//! panic, diagnostics located inside the document, a parsed model emits Rust that parses.
#![no_main]

use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::parse::parse_bytes;
use libfuzzer_sys::fuzz_target;

const HEAD: &str = "# Widgets full reference\n\n## Supported entities and actions\n\n| Entity | Actions |\n|--------|---------|\n| Widgets | [List](#widgets-list) |\n\n## Widgets\n\n";

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let mut doc = HEAD.as_bytes().to_vec();
    doc.extend_from_slice(data);
    match parse_bytes("fuzz.md", &doc) {
        Ok(parsed) => {
            for d in &parsed.warnings {
                assert!(d.offset <= doc.len(), "offset past the end: {d}");
            }
            let options = CrateOptions {
                crate_name: "airbyte-fuzz".into(),
                runtime_path: "../../runtime".into(),
                source: "fuzz.md".into(),
                version: "0.1.0".into(),
            };
            if let Ok(files) = emit_crate(&parsed.connector, &options) {
                for f in files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "rs")) {
                    syn::parse_file(&f.contents)
                        .unwrap_or_else(|e| panic!("{}: {e}", f.path.display()));
                }
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error without diagnostics");
            for d in &diags {
                assert!(d.line >= 1 && d.col >= 1, "unlocated: {d}");
                assert!(d.offset <= doc.len(), "offset past the end: {d}");
            }
        }
    }
});
