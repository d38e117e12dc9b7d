//! The two grammars inside a table row, on arbitrary text: the Type cell grammar and the row
//! splitter. Neither panics; a Type cell that parses re-parses from its own model form the same
//! way; a table whose body row is arbitrary text is split or refused with a located diagnostic.
#![no_main]

use airbyte_codegen::diagnostics::Source;
use airbyte_codegen::tables::split;
use airbyte_codegen::types::Type;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = Type::parse_cell(text);
    let doc = format!("| Name | Type | Description |\n|------|------|-------------|\n{text}\n");
    let src = Source::new("fuzz.md", &doc);
    match split(&src, 0) {
        Ok(table) => {
            assert!(table.end <= doc.len(), "table ends past the document");
            for row in std::iter::once(table.header()).chain(table.rows()) {
                assert!(row.offset + row.len <= doc.len() && row.line >= 1, "row past the end");
                for cell in row.cells {
                    assert!(cell.offset + cell.len <= doc.len(), "cell past the end");
                }
            }
        }
        Err(d) => assert!(d.offset <= doc.len() && d.line >= 1, "unlocated: {d}"),
    }
});
