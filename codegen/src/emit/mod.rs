//! The renderers: [`ir::Crate`] -> the files of a typed Rust SDK crate.
//!
//! Every name, type and doc text comes from the IR ([`crate::lower`] decided them); the
//! renderers only turn them into token streams with `quote!` and format them with
//! `prettyplease`. Each module imports what it uses from the runtime once (see `Uses`), so
//! generated code reads `Lenient<String>`, not a fully spelled path.
//!
//! Layout of a generated crate: `Cargo.toml`, `src/lib.rs` (crate docs with quickstarts and
//! module list), `src/client.rs` (the connector client), one `src/<entity>.rs` per entity
//! (records, enums, params, request builders, the entity handle, the search `fields` module,
//! the record's `paths` module) and `src/replication.rs` when the document has a replication
//! configuration; `src/tools.rs` and `src/tools.json` offer every action as a tool (name,
//! description, input JSON Schema).

mod krate;
mod records;
mod requests;
mod tools;

use std::collections::BTreeSet;
use std::fmt;
use std::path::PathBuf;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{self, Ty};
use crate::model::Connector;

pub use crate::lower::LowerError as EmitError;

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
    /// The crate's version in its Cargo.toml, e.g. `0.1.0` (kept with the spec; see
    /// `cargo xtask regen --bump`).
    pub version: String,
}

/// One file of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate directory, e.g. `src/lib.rs`.
    pub path: PathBuf,
    /// Full contents, starting with the `@generated` header.
    pub contents: String,
}

/// Lowers `connector` and renders every file of its crate.
pub fn emit_crate(
    connector: &Connector,
    options: &CrateOptions,
) -> Result<Vec<GeneratedFile>, EmitError> {
    emit_crate_with(connector, options, &crate::paging::Overrides::default())
}

/// [`emit_crate`] with the pagination corrections of `spec/<name>/pagination.yaml`.
pub fn emit_crate_with(
    connector: &Connector,
    options: &CrateOptions,
    paging: &crate::paging::Overrides,
) -> Result<Vec<GeneratedFile>, EmitError> {
    emit_lowered(connector, options, paging).map(|(_, files)| files)
}

/// [`emit_crate_with`], also giving the IR the files were rendered from, for what else reads
/// it (e.g. [`crate::regen::paging_yaml`]) without lowering the connector again.
pub fn emit_lowered(
    connector: &Connector,
    options: &CrateOptions,
    paging: &crate::paging::Overrides,
) -> Result<(ir::Crate, Vec<GeneratedFile>), EmitError> {
    check_crate_name(&options.crate_name)?;
    check_version(&options.version)?;
    check_runtime_path(&options.runtime_path)?;
    let krate = crate::lower::lower_with(connector, paging)?;
    let files = render(&krate, options);
    Ok((krate, files))
}

/// Crate names the generated crate cannot take: its own dependencies and the standard crates.
const RESERVED_CRATES: &[&str] = &[
    "airbyte_agent_runtime",
    "serde",
    "serde_json",
    "bytes",
    "futures",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "self",
    "crate",
    "super",
];

/// A runtime path the generated `Cargo.toml` can name: not blank.
pub fn check_runtime_path(path: &str) -> Result<(), EmitError> {
    if path.trim().is_empty() {
        return Err(EmitError::new(
            0,
            "runtime path is empty: name the `airbyte-agent-runtime` crate's directory, \
             relative to the generated crate's (e.g. `../../runtime`) or absolute",
        ));
    }
    Ok(())
}

/// A package name cargo accepts whose library name (`-` as `_`) is an identifier no dependency
/// or keyword takes.
pub fn check_crate_name(name: &str) -> Result<(), EmitError> {
    let lib = name.replace('-', "_");
    let valid = name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !valid {
        return Err(EmitError::new(
            0,
            format!(
                "crate name `{name}` is not a package name this generator writes: use at most 64 \
                 lowercase ASCII letters, digits, `-` and `_`, starting with a letter"
            ),
        ));
    }
    if RESERVED_CRATES.contains(&lib.as_str()) || crate::names::KEYWORDS.contains(&lib.as_str()) {
        return Err(EmitError::new(
            0,
            format!("crate name `{name}` is taken by a dependency, a standard crate or a keyword"),
        ));
    }
    Ok(())
}

/// A version Cargo accepts in `[package] version`: SemVer 2.0, `major.minor.patch` (numbers
/// without leading zeros, each fitting `u64`), then optionally `-pre.release` and `+build`
/// (dot-separated ASCII alphanumerics and `-`; numeric pre-release parts without leading
/// zeros).
pub fn check_version(version: &str) -> Result<(), EmitError> {
    fn number(s: &str) -> bool {
        !s.is_empty()
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'))
            && s.parse::<u64>().is_ok()
    }
    fn identifiers(s: &str, numeric_leading_zero_ok: bool) -> bool {
        s.split('.').all(|part| {
            !part.is_empty()
                && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && (numeric_leading_zero_ok
                    || !part.bytes().all(|b| b.is_ascii_digit())
                    || number(part))
        })
    }
    let (rest, build) = match version.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (version, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let valid = parts.len() == 3
        && parts.iter().all(|p| number(p))
        && pre.is_none_or(|p| identifiers(p, false))
        && build.is_none_or(|b| identifiers(b, true));
    if valid {
        Ok(())
    } else {
        Err(EmitError::new(
            0,
            format!(
                "crate version `{version}` is not a version Cargo accepts: expected \
                 `major.minor.patch` (e.g. `0.1.0`), optionally with `-pre.release` and `+build`"
            ),
        ))
    }
}

/// Renders every file of the crate described by `krate`, sorted by path.
pub fn render(krate: &ir::Crate, options: &CrateOptions) -> Vec<GeneratedFile> {
    krate::render(krate, options)
}

impl fmt::Display for GeneratedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "==> {}", self.path.display())?;
        f.write_str(&self.contents)
    }
}

/// A piece of a generated file: items as tokens (formatted by `prettyplease`), or a macro
/// invocation the renderer lays out itself (`prettyplease` keeps macro input on as few lines
/// as fit, which reads badly for `record!`, `request!` and the enum macros).
#[derive(Debug)]
pub(crate) enum Chunk {
    Tokens(TokenStream),
    Text(String),
}

/// Formats the chunks of a file in order.
pub(crate) fn format_chunks(chunks: Vec<Chunk>) -> String {
    let mut out = String::new();
    let mut pending = TokenStream::new();
    for chunk in chunks {
        match chunk {
            Chunk::Tokens(t) => pending.extend(t),
            Chunk::Text(text) => {
                out.push_str(&format_file(std::mem::take(&mut pending)));
                out.push_str(&text);
            }
        }
    }
    out.push_str(&format_file(pending));
    space_items(&out)
}

/// Puts a blank line between items, as a hand-written file has them (`prettyplease` writes
/// none): before an item or method that follows the end of another at the same depth (top
/// level and the first level of `impl` and `mod` blocks), keeping `use` lists together. The
/// text of a block comment (the crate docs' `/*! .. */`, whose code examples have items of
/// their own) is left as written.
fn space_items(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    let mut in_comment = false;
    for line in text.lines() {
        if in_comment || line.trim_start().starts_with("/*") {
            in_comment = !line.contains("*/");
        } else if let Some(prev) = previous {
            if starts_item(prev, line, "") || starts_item(prev, line, "    ") {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

/// Whether `line` starts an item at indentation `indent` right after one ended on `prev`.
fn starts_item(prev: &str, line: &str, indent: &str) -> bool {
    let (Some(prev), Some(rest)) = (prev.strip_prefix(indent), line.strip_prefix(indent)) else {
        return false;
    };
    if rest.starts_with([' ', '}', ')', ']']) || rest.is_empty() || prev.starts_with(' ') {
        return false;
    }
    // Inside blocks only a method's end separates (consts and fields stay together), and
    // only from another item: the clauses of a macro invocation laid out by hand
    // (`entity = ..`, `paths;`) stay with the braces they follow.
    let ended = if indent.is_empty() {
        prev == "}" || prev.ends_with("{}") || prev.ends_with(';')
    } else {
        const ITEM_STARTS: &[&str] = &["///", "#[", "pub ", "fn ", "const ", "async ", "type "];
        prev == "}" && ITEM_STARTS.iter().any(|s| rest.starts_with(s))
    };
    // A `use` list continues a previous one (which may end on `};` over several lines).
    let more_uses = rest.starts_with("use ") || rest.starts_with("pub use ");
    let after_use = prev.starts_with("use ") || prev.starts_with("pub use ") || prev == "};";
    ended && !(more_uses && after_use) && !prev.starts_with("//")
}

/// `///` lines of doc Markdown from the IR, indented by `indent` spaces, for macro input laid
/// out by hand.
pub(crate) fn doc_lines(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    if text.is_empty() {
        return format!("{pad}///\n");
    }
    text.lines()
        .map(|l| {
            if l.is_empty() {
                format!("{pad}///\n")
            } else {
                format!("{pad}/// {l}\n")
            }
        })
        .collect()
}

/// Formats tokens as a Rust file. The renderers build their tokens from identifiers the IR
/// validated, so tokens that do not parse are a renderer bug: the file then holds the error
/// and the raw tokens, which fails the generated crate's build loudly rather than silently.
pub(crate) fn format_file(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(e) => format!("compile_error!({:?});\n{tokens}\n", e.to_string()),
    }
}

/// A type as `prettyplease` writes it (`ListPage<Contact, Meta>`), for macro input laid out by
/// hand.
pub(crate) fn type_text(ty: TokenStream) -> String {
    let file = format_file(quote!(type T = #ty;));
    file.trim()
        .strip_prefix("type T = ")
        .and_then(|t| t.strip_suffix(';'))
        .unwrap_or(file.trim())
        .to_string()
}

/// An identifier token for a name the IR decided.
pub(crate) fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// `#[doc]` attributes for doc Markdown from the IR, one per line, so the formatted code reads
/// `/// line` as written by hand.
pub(crate) fn doc(text: &str) -> TokenStream {
    if text.is_empty() {
        return quote!(#[doc = " "]);
    }
    let attrs = text.lines().map(|l| {
        // A leading space keeps the rendered text identical to a `/// ` comment.
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// The names a generated module uses from its dependencies, collected while rendering and
/// written as its `use` lists.
#[derive(Debug, Default)]
pub(crate) struct Uses {
    names: BTreeSet<(String, String)>,
}

impl Uses {
    /// `name` from the crate or module `path`, as an identifier to use in the module.
    pub fn name(&mut self, path: &str, name: &str) -> Ident {
        self.names.insert((path.to_owned(), name.to_owned()));
        ident(name)
    }

    /// An item of the runtime's root.
    pub fn rt(&mut self, name: &str) -> Ident {
        self.name("airbyte_agent_runtime", name)
    }

    /// The `use` items, one per source path.
    pub fn items(&self) -> TokenStream {
        let mut paths: Vec<&str> = self.names.iter().map(|(p, _)| p.as_str()).collect();
        paths.dedup();
        let items = paths.into_iter().map(|path| {
            let names: Vec<Ident> = self
                .names
                .iter()
                .filter(|(p, _)| p == path)
                .map(|(_, n)| ident(n))
                .collect();
            let path: syn::Path = syn::parse_str(path).expect("use paths are fixed and valid");
            if names.len() == 1 {
                let name = &names[0];
                quote!(use #path::#name;)
            } else {
                quote!(use #path::{#(#names),*};)
            }
        });
        quote!(#(#items)*)
    }

    /// The type of a value.
    pub fn ty(&mut self, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String => quote!(String),
            Ty::Integer => quote!(i64),
            Ty::Float | Ty::NumberIn { record: false, .. } => quote!(f64),
            Ty::Number | Ty::NumberIn { record: true, .. } => {
                let n = self.name("serde_json", "Number");
                quote!(#n)
            }
            Ty::Boolean => quote!(bool),
            Ty::Json => {
                let v = self.name("serde_json", "Value");
                quote!(#v)
            }
            Ty::Struct(name) | Ty::Enum(name) => {
                let id = ident(name);
                quote!(#id)
            }
            Ty::List(elem) => {
                let elem = self.ty(elem);
                quote!(Vec<#elem>)
            }
            Ty::Nullable(inner) => {
                let inner = self.ty(inner);
                quote!(Option<#inner>)
            }
            Ty::Query(marker) => {
                let q = self.name("airbyte_agent_runtime::filter", "Query");
                let m = ident(marker);
                quote!(#q<#m>)
            }
            Ty::FieldPath(marker) => {
                let p = self.name("airbyte_agent_runtime::filter", "FieldPath");
                let m = ident(marker);
                quote!(#p<#m>)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::space_items;

    /// Items are spaced; the code example inside the crate docs' block comment is not.
    #[test]
    fn items_are_spaced_but_not_inside_block_comments() {
        let text =
            "/*! Docs.\n\n```rust\nfn a() {\n}\nfn b() {}\n```\n*/\nfn c() {\n}\nfn d() {}\n";
        assert_eq!(
            space_items(text),
            "/*! Docs.\n\n```rust\nfn a() {\n}\nfn b() {}\n```\n*/\nfn c() {\n}\n\nfn d() {}\n"
        );
    }
}
