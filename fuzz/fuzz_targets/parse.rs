//! The parser on arbitrary bytes: it never panics, every diagnostic is located inside the input,
//! rendering never panics, and a parsed model serialises to YAML.
#![no_main]

use airbyte_codegen::parse::parse_bytes;
use airbyte_codegen::render::render;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_bytes("fuzz.md", data) {
        Ok(parsed) => {
            check(data, &parsed.warnings);
            serde_norway::to_string(&parsed.connector).expect("the model serialises");
        }
        Err(diags) => {
            assert!(!diags.is_empty(), "an error without diagnostics");
            check(data, &diags);
        }
    }
});

fn check(data: &[u8], diags: &[airbyte_codegen::diagnostics::Diagnostic]) {
    for d in diags {
        assert!(d.line >= 1 && d.col >= 1, "unlocated: {d}");
        assert!(d.offset <= data.len(), "offset past the end: {d}");
        assert!(!d.code.is_empty(), "no code: {d}");
    }
    let shown = String::from_utf8_lossy(data);
    let _ = render(diags, &shown);
}
