//! Airbyte agent-connector reference Markdown -> YAML model -> typed Rust SDK crate.
//!
//! Data flows one way: [`blocks`] lexes a document with pulldown-cmark, [`tables`] splits its
//! pipe tables, [`parse`] builds the [`model::Connector`], and the emitter turns the model into
//! Rust source files.

pub mod blocks;
pub mod diagnostics;
pub mod emit;
pub mod model;
pub mod parse;
pub mod regen;
pub mod render;
pub mod tables;
pub mod types;
