//! The emitter: [`Connector`] model -> the files of a typed Rust SDK crate.
//!
//! All Rust code is built as token streams with `quote!` and formatted with `prettyplease`;
//! names go through [`names`], descriptions through [`docs`]. The generated crate depends on
//! the hand-written runtime (`airbyte-agent-runtime`) and refers to it by fully qualified
//! paths; the prelude names it uses (`Option`, `String`, `Vec`, ...) are never given to
//! generated types ([`names::RESERVED_TYPES`]), so no generated name can shadow them.
//!
//! Layout of a generated crate: `Cargo.toml`, `src/lib.rs` (crate docs with quickstarts, the
//! connector client, re-exports), one `src/<entity>.rs` per entity (records, params, request
//! builders, the entity handle, the search `fields` module) and `src/replication.rs` when the
//! document has a replication configuration.

pub mod docs;
mod krate;
pub mod names;
mod records;
mod requests;

use std::fmt;
use std::path::PathBuf;

use proc_macro2::TokenStream;

use crate::model::Connector;

/// How to name and wire the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateOptions {
    /// Package name, e.g. `airbyte-intercom`.
    pub crate_name: String,
    /// Path of the runtime crate relative to the generated crate's directory, e.g.
    /// `../../runtime`.
    pub runtime_path: String,
    /// The reference document, as the generated files' headers name it, e.g.
    /// `spec/intercom/REFERENCE.md`.
    pub source: String,
}

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate directory, e.g. `src/lib.rs`.
    pub path: PathBuf,
    /// Full contents, starting with the `@generated` header.
    pub contents: String,
}

/// A construct of the model that cannot be expressed in Rust, with its document line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct EmitError {
    /// Line in the reference document.
    pub line: usize,
    /// What is unsupported.
    pub message: String,
}

impl EmitError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        EmitError {
            line,
            message: message.into(),
        }
    }
}

/// Formats tokens as a Rust file. Tokens that do not parse are an emitter bug, reported as an
/// error rather than written.
pub(crate) fn format_file(tokens: TokenStream, what: &str) -> Result<String, EmitError> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| EmitError::new(0, format!("emitter produced invalid Rust for {what}: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

/// Generates every file of the crate for `connector`.
pub fn emit_crate(
    connector: &Connector,
    options: &CrateOptions,
) -> Result<Vec<GeneratedFile>, EmitError> {
    krate::emit(connector, options, &options.source)
}

impl fmt::Display for GeneratedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "==> {}", self.path.display())?;
        f.write_str(&self.contents)
    }
}
