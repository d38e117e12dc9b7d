//! Airbyte agent-connector reference Markdown -> YAML model -> typed Rust SDK crate.
//!
//! Data flows one way: [`parse`] reads a document into a [`model::Connector`], and the emitter
//! turns the model into Rust source files.

pub mod model;
pub mod types;
