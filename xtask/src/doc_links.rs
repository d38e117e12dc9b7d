//! `cargo xtask doc-links`: documents the workspace (`cargo doc --no-deps`, the runtime
//! first) and checks that every link in the HTML leads to a page that exists.
//!
//! The runtime goes first, alone, and the rest of the workspace after it without it, because
//! rustdoc writes a link into a crate whose docs are not there yet as its bare path: a
//! generated crate documented beside the runtime (as `cargo doc --workspace` may, when the
//! workspace's feature unification makes the runtime's docs stale) gets dead links to it.
//!
//! rustdoc warns about an intra-doc link it cannot resolve, but not when the doc text comes
//! from a macro of another crate (the runtime's `record!` and `request!` write most of a
//! generated crate's docs): such a link is written out as it stands, e.g.
//! `super::Contact`, a dead link. The sections of blanket implementations are left
//! out: they repeat the docs of the dependencies' traits (`tracing::Instrument`), whose links
//! lead into crates `--no-deps` does not document.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where rustdoc starts the blanket implementations of a page.
const BLANKET: &str = "id=\"blanket-implementations\"";

/// A link that leads nowhere: the page it is on and its `href`.
#[derive(Debug, PartialEq, Eq)]
pub struct DeadLink {
    pub page: PathBuf,
    pub href: String,
}

pub fn run(root: &Path) -> ExitCode {
    let doc = match target_dir(root) {
        Ok(target) => target.join("doc"),
        Err(e) => {
            note!("doc-links: {e}");
            return ExitCode::FAILURE;
        }
    };
    for args in [
        &["doc", "--no-deps", "-p", "airbyte-agent-runtime"][..],
        // Without the runtime: documented again here (the workspace unifies its dependencies'
        // features otherwise), it would be written while the crates linking to it are, which
        // then find no docs of it and write their links to it as bare paths (40 dead links).
        &[
            "doc",
            "--workspace",
            "--no-deps",
            "--exclude",
            "airbyte-agent-runtime",
        ][..],
    ] {
        let status = crate::cargo_in(root)
            .args(args)
            .env("RUSTDOCFLAGS", "-D warnings")
            .status();
        if !status.is_ok_and(|s| s.success()) {
            note!("doc-links: `cargo {}` failed", args.join(" "));
            return ExitCode::FAILURE;
        }
    }
    if !doc.join("crates.js").is_file() {
        note!(
            "doc-links: no rustdoc output in {}: run `cargo doc --workspace --no-deps` first",
            doc.display()
        );
        return ExitCode::FAILURE;
    }
    match dead_links(&doc) {
        Ok((pages, dead)) if dead.is_empty() => {
            say!("doc-links: {pages} pages, every link leads to a page");
            ExitCode::SUCCESS
        }
        Ok((pages, dead)) => {
            for d in &dead {
                note!("{}: dead link `{}`", d.page.display(), d.href);
            }
            note!("doc-links: {} dead links in {pages} pages", dead.len());
            ExitCode::FAILURE
        }
        Err(e) => {
            note!("doc-links: reading {}: {e}", doc.display());
            ExitCode::FAILURE
        }
    }
}

/// The workspace's target directory, as cargo resolves it.
fn target_dir(root: &Path) -> Result<PathBuf, String> {
    let out = crate::cargo_in(root)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|e| format!("running cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata: {e}"))?;
    meta["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .ok_or_else(|| "cargo metadata gives no target_directory".to_owned())
}

/// The number of crate pages under `doc` (rustdoc's output directory) and their dead links.
/// The rendered sources (`src/`) are not read.
pub fn dead_links(doc: &Path) -> std::io::Result<(usize, Vec<DeadLink>)> {
    let mut pages = Vec::new();
    for entry in fs::read_dir(doc)? {
        let path = entry?.path();
        if path.is_dir() && path.join("index.html").is_file() {
            html_files(&path, &mut pages)?;
        }
    }
    pages.sort();
    let mut dead = Vec::new();
    for page in &pages {
        let html = fs::read_to_string(page)?;
        let dir = page.parent().unwrap_or(doc);
        for href in dead_hrefs(&html, dir) {
            dead.push(DeadLink {
                page: page.strip_prefix(doc).unwrap_or(page).to_path_buf(),
                href,
            });
        }
    }
    Ok((pages.len(), dead))
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            html_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    Ok(())
}

/// The `href`s of `html` (a page in `dir`) that lead to no file, blanket implementations
/// left out. Links to other sites, anchors of the page itself and rustdoc's script templates
/// (`${..}`) are not checked.
fn dead_hrefs(html: &str, dir: &Path) -> Vec<String> {
    let html = html.find(BLANKET).map_or(html, |end| &html[..end]);
    let mut dead = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("href=\"") {
        rest = &rest[start + 6..];
        let Some(end) = rest.find('"') else { break };
        let href = &rest[..end];
        rest = &rest[end..];
        let external = href.contains("://") || href.starts_with("mailto:");
        if external || href.starts_with('#') || href.contains("${") {
            continue;
        }
        let file = href.split(['#', '?']).next().unwrap_or_default();
        if file.is_empty() || !dir.join(file).exists() {
            dead.push(href.to_owned());
        }
    }
    dead
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_to_missing_pages_are_dead_but_not_those_of_blanket_impls() {
        let dir = std::env::temp_dir().join(format!("doc-links-{}", std::process::id()));
        fs::create_dir_all(dir.join("contacts")).unwrap();
        fs::write(dir.join("contacts/struct.Contact.html"), "").unwrap();
        let html = r##"<a href="contacts/struct.Contact.html#method.id">ok</a>
            <a href="super::Contact">raw</a> <a href="#anchor">a</a>
            <a href="https://docs.rs/x">x</a> <a href="../static.files/${f}">t</a>
            <a href="contacts/struct.Missing.html">gone</a>
            <h2 id="blanket-implementations">Blanket</h2><a href="super::Subscriber">s</a>"##;
        assert_eq!(
            dead_hrefs(html, &dir),
            ["super::Contact", "contacts/struct.Missing.html"]
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
