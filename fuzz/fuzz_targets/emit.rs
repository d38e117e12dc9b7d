//! Parser -> emitter -> `syn::parse_file` on every emitted `.rs` file: whatever document parses
//! either emits valid Rust or is refused with an `EmitError` that is not an emitter bug.
#![no_main]

use airbyte_codegen::emit::{emit_crate, CrateOptions};
use airbyte_codegen::parse::parse_bytes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_bytes("fuzz.md", data) else {
        return;
    };
    let options = CrateOptions {
        crate_name: "airbyte-fuzz".to_string(),
        runtime_path: "../../runtime".to_string(),
        source: "fuzz.md".to_string(),
        version: "0.1.0".to_string(),
    };
    match emit_crate(&parsed.connector, &options) {
        Ok(files) => {
            for f in files {
                if f.path.extension().is_some_and(|e| e == "rs") {
                    if let Err(e) = syn::parse_file(&f.contents) {
                        panic!("{} does not parse: {e}\n{}", f.path.display(), f.contents);
                    }
                }
            }
        }
        Err(e) => assert!(
            !e.message.contains("invalid Rust"),
            "emitter bug: {e}"
        ),
    }
});
