//! Airbyte agent-connector reference Markdown -> YAML model -> typed Rust SDK crate.
//!
//! Data flows one way: [`blocks`] lexes a document with pulldown-cmark, [`tables`] splits its
//! pipe tables, [`parse`] builds the [`model::Connector`], [`lower`] turns the model into the
//! [`ir::Crate`] (every name, type and action shape decided), and [`emit`] renders the IR as
//! Rust source files; [`tools`] derives tool definitions (JSON Schema) from the same IR.

pub mod blocks;
pub mod diagnostics;
pub mod diff;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod lower;
pub mod model;
pub mod names;
pub mod paging;
pub mod parse;
pub mod regen;
pub mod render;
pub mod resolved;
pub mod tables;
pub mod tools;
pub mod types;
