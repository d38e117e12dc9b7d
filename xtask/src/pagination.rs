//! `cargo xtask pagination [DIR]`: how the list actions (all but hosted-index searches) of every
//! reference document in DIR page, as
//! the generator decides it (`airbyte_codegen::paging`): per document the paginated actions,
//! those that stream and their styles; the share that streams; and each paginated action that
//! does not, with its location and reason.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use airbyte_codegen::ir::{ActionKind, Pagination};
use airbyte_codegen::{lower, parse};

/// The share of paginated actions that should stream (issue 18).
pub const TARGET: f64 = 0.9;

/// The share the shared corpus reaches today, held by the test: 184 of 185. The 24 lists of
/// Twilio, Zendesk Talk and Shopify whose next-page URL carries only parameters the document
/// does not list (`PageToken`, `page`, `page_info`) stream by sending those (`next_url_query`).
/// The one left, Typeform's responses, takes a token in `after` (or `before`) that no Meta
/// member gives: the records' `token` may be it, but the document says neither that nor the
/// order of the records, so which of the two continues is unknown.
pub const FLOOR: f64 = 0.99;

/// The pagination of one document's actions.
#[derive(Debug, Default)]
pub struct Document {
    pub name: String,
    /// Actions that page (any style, or unknown).
    pub paginated: usize,
    /// Paginated actions with a `stream()`, by style.
    pub styles: BTreeMap<&'static str, usize>,
    /// Paginated actions without one: `file:line`, `entity action`, reason.
    pub unknown: Vec<(String, String, String)>,
    /// Why the document could not be lowered.
    pub error: Option<String>,
}

impl Document {
    pub fn streamed(&self) -> usize {
        self.styles.values().sum()
    }
}

/// The documents `dir` names ([`crate::corpus::documents`]), each parsed and lowered.
pub fn tally(dir: &Path) -> std::io::Result<Vec<Document>> {
    let docs = crate::corpus::documents(dir)?;
    let mut out = Vec::new();
    for path in docs {
        let shown = path.display().to_string();
        let mut doc = Document {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            ..Document::default()
        };
        let text = fs::read_to_string(&path)?;
        let krate = parse::parse(&shown, &text)
            .map_err(|ds| {
                ds.iter()
                    .map(|d| d.to_string())
                    .next()
                    .unwrap_or_else(|| "does not parse".into())
            })
            .and_then(|p| lower::lower(&p.connector).map_err(|e| format!("{shown}: {e}")));
        match krate {
            Err(e) => doc.error = Some(e),
            Ok(krate) => {
                for entity in &krate.entities {
                    // Lists and the provider's searches (hosted-index searches always page by
                    // their envelope's cursor).
                    for action in entity
                        .actions
                        .iter()
                        .filter(|a| a.kind != ActionKind::Search)
                    {
                        let Some(p) = &action.pagination else {
                            continue;
                        };
                        doc.paginated += 1;
                        match p {
                            Pagination::Unknown { reason } => doc.unknown.push((
                                format!("{shown}:{}", action.line),
                                format!("{} {}", entity.wire, action.wire),
                                reason.clone(),
                            )),
                            p => *doc.styles.entry(p.style()).or_default() += 1,
                        }
                    }
                }
            }
        }
        out.push(doc);
    }
    Ok(out)
}

/// Paginated actions and those that stream, over all documents.
pub fn totals(docs: &[Document]) -> (usize, usize) {
    docs.iter()
        .fold((0, 0), |(p, s), d| (p + d.paginated, s + d.streamed()))
}

pub fn run(dir: &Path) -> ExitCode {
    let docs = match tally(dir) {
        Ok(d) => d,
        Err(e) => {
            note!("pagination: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    say!("| document | paginated | stream | styles |\n|---|---:|---:|---|");
    for d in &docs {
        let styles: Vec<String> = d.styles.iter().map(|(s, n)| format!("{s} {n}")).collect();
        let styles = match &d.error {
            Some(e) => format!("not lowered: {e}"),
            None => styles.join(", "),
        };
        say!(
            "| {} | {} | {} | {styles} |",
            d.name,
            d.paginated,
            d.streamed()
        );
    }
    let (paginated, streamed) = totals(&docs);
    let share = streamed as f64 / paginated.max(1) as f64;
    say!(
        "\n{streamed} of {paginated} paginated actions stream: {:.1}% (target {:.0}%, held at {:.0}%)",
        share * 100.0,
        TARGET * 100.0,
        FLOOR * 100.0
    );
    let unknown: Vec<_> = docs.iter().flat_map(|d| &d.unknown).collect();
    if !unknown.is_empty() {
        say!("\nPaginated, style unknown (no stream()):");
        for (at, action, reason) in unknown {
            say!("{at}: warning: {action}: {reason}");
        }
    }
    if docs.iter().any(|d| d.error.is_some()) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared corpus: at least [`FLOOR`] of its paginated actions stream, and every one
    /// that does not says why.
    #[test]
    fn most_paginated_actions_of_the_corpus_stream() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
        if !dir.is_dir() {
            note!("skipped: {} is absent", dir.display());
            return;
        }
        let docs = tally(&dir).unwrap();
        assert!(docs.len() >= 20, "{} documents", docs.len());
        let (paginated, streamed) = totals(&docs);
        assert!(paginated > 150, "{paginated} paginated actions");
        let share = streamed as f64 / paginated as f64;
        assert!(
            share >= FLOOR,
            "{streamed} of {paginated} paginated actions stream ({:.1}%)",
            share * 100.0
        );
        for (at, action, reason) in docs.iter().flat_map(|d| &d.unknown) {
            assert!(reason.len() > 20, "{at} {action}: {reason:?}");
        }
    }
}
