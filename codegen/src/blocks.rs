//! Lexing: a document's pulldown-cmark events, with source offsets, folded into the flat list of
//! top-level blocks the format is made of (headings, fences, tables, the `<details>` lines,
//! paragraphs, whole-line bold labels).
//!
//! Tables are re-split from their source text by [`crate::tables`], because the format's tables
//! have multi-line cells and unescaped pipes in code spans that GFM does not know.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::tables::{self, Table};

/// One top-level block of a document; its texts borrow from the document where they can.
#[derive(Debug, Clone)]
pub struct Block<'a> {
    pub kind: BlockKind<'a>,
    /// Byte range in the source.
    pub range: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum BlockKind<'a> {
    /// ATX heading: level 1-6, its text, and its 1-based line.
    Heading {
        level: u8,
        text: Cow<'a, str>,
        line: usize,
    },
    /// A whole-line bold paragraph, `**Python SDK**`, used as a sub-section label by older documents.
    Label(&'a str),
    /// A fenced code block: info string and content.
    Fence {
        info: Cow<'a, str>,
        code: Cow<'a, str>,
        closed: bool,
    },
    /// A pipe table.
    Table(Table<'a>),
    /// One HTML line, trimmed, e.g. `<details>`.
    Html(&'a str),
    /// A paragraph, list, quote or rule: prose kept as raw source text.
    Prose,
}

/// Splits a document into blocks; problems with tables and HTML are reported, the rest of the
/// document still lexed.
pub fn lex<'a>(src: &Source<'a>, diags: &mut Vec<Diagnostic>) -> Vec<Block<'a>> {
    let text = src.text;
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(usize, Pending)> = None;
    // Blocks that start before this offset were consumed by a table's multi-line rows.
    let mut consumed_until = 0usize;
    // A byte order mark opening the file is the encoding's signature (editors on Windows write
    // one), not text: the document starts after it. Offsets stay the file's.
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };

    for (event, range) in Parser::new_ext(&text[start..], Options::ENABLE_TABLES).into_offset_iter()
    {
        let range = range.start + start..range.end + start;
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let pending = match &tag {
                        Tag::Heading { level, .. } => {
                            Pending::Heading(heading_level(*level), Cow::Borrowed(""))
                        }
                        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                            Pending::Fence(trimmed(info), Cow::Borrowed(""))
                        }
                        Tag::CodeBlock(CodeBlockKind::Indented) => Pending::Prose,
                        Tag::Table(_) => Pending::Table,
                        Tag::HtmlBlock => Pending::Html,
                        _ => Pending::Prose,
                    };
                    current = Some((range.start, pending));
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some((start, pending)) = current.take() {
                        if start < consumed_until {
                            continue;
                        }
                        let range = start..range.end;
                        finish(
                            src,
                            pending,
                            range,
                            end,
                            &mut blocks,
                            &mut consumed_until,
                            diags,
                        );
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, Pending::Heading(_, s) | Pending::Fence(_, s))) = &mut current {
                    append(s, t);
                }
            }
            // An HTML block that pulldown-cmark reports without Start/End.
            Event::Html(_) if depth == 0 && range.start >= consumed_until => {
                html_lines(src, range, &mut blocks, diags);
            }
            _ => {}
        }
    }
    blocks
}

enum Pending<'a> {
    Heading(u8, Cow<'a, str>),
    Fence(Cow<'a, str>, Cow<'a, str>),
    Table,
    Html,
    Prose,
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `text`, trimmed, still borrowed from the document when it was.
fn trimmed<'a>(text: &CowStr<'a>) -> Cow<'a, str> {
    match text {
        CowStr::Borrowed(s) => Cow::Borrowed(s.trim()),
        other => Cow::Owned(other.trim().to_string()),
    }
}

/// Appends an event's text; the first piece is kept borrowed.
fn append<'a>(text: &mut Cow<'a, str>, piece: CowStr<'a>) {
    if text.is_empty() {
        *text = match piece {
            CowStr::Borrowed(s) => Cow::Borrowed(s),
            other => Cow::Owned(other.to_string()),
        };
    } else {
        text.to_mut().push_str(&piece);
    }
}

/// A heading's text trimmed, each run of whitespace inside one space (as it renders:
/// `###  Notes  List` is the heading `Notes List`); still borrowed when it was and had none.
fn spaced(text: Cow<'_, str>) -> Cow<'_, str> {
    let trimmed = text.trim();
    if trimmed.split(' ').eq(trimmed.split_whitespace()) {
        return match text {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
        };
    }
    Cow::Owned(trimmed.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn finish<'a>(
    src: &Source<'a>,
    pending: Pending<'a>,
    range: Range<usize>,
    end: TagEnd,
    blocks: &mut Vec<Block<'a>>,
    consumed_until: &mut usize,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = &src.text[range.clone()];
    // GFM makes a table whose separator row has another number of cells than its header (or
    // that has none, or a bad one) a paragraph; here it is a table, so that what is wrong with
    // it is said, instead of its rows being prose and its sub-section missing a table.
    let pending = match pending {
        Pending::Prose if matches!(end, TagEnd::Paragraph) && is_pipe_row(raw) => Pending::Table,
        other => other,
    };
    let kind = match pending {
        Pending::Heading(level, text) => BlockKind::Heading {
            level,
            text: spaced(text),
            // Located here, while look-ups still move forward through the document.
            line: src.line(range.start),
        },
        Pending::Fence(info, code) => {
            let closed = fence_closed(raw);
            if !closed {
                diags.push(
                    src.diag(
                        Severity::Error,
                        "unterminated-fence",
                        range.start,
                        first_line_len(raw),
                        "code fence is never closed",
                    )
                    .with_hint("close it with a line of three backticks"),
                );
            }
            BlockKind::Fence { info, code, closed }
        }
        Pending::Table => match tables::split(src, range.start) {
            Ok(table) => {
                *consumed_until = table.end;
                let extra = src.text.get(table.end..range.end).unwrap_or("");
                if !extra.trim().is_empty() {
                    diags.push(
                        src.diag(
                            Severity::Error,
                            "table-row",
                            table.end,
                            0,
                            "line inside a table does not start with `|`",
                        )
                        .with_hint(
                            "every table row starts with `|`; end the table with a blank line",
                        ),
                    );
                }
                let r = range.start..table.end;
                blocks.push(Block {
                    kind: BlockKind::Table(table),
                    range: r,
                });
                return;
            }
            Err(d) => {
                diags.push(d);
                *consumed_until = range.end;
                return;
            }
        },
        Pending::Html => {
            html_lines(src, range, blocks, diags);
            return;
        }
        Pending::Prose => {
            let trimmed = raw.trim();
            let is_label = matches!(end, TagEnd::Paragraph)
                && trimmed.len() > 4
                && trimmed.starts_with("**")
                && trimmed.ends_with("**")
                && !trimmed[2..trimmed.len() - 2].contains("**")
                && !trimmed.contains('\n');
            if is_label {
                BlockKind::Label(trimmed[2..trimmed.len() - 2].trim())
            } else {
                BlockKind::Prose
            }
        }
    };
    blocks.push(Block { kind, range });
}

/// Splits an HTML block into its lines: the format has only single-line HTML blocks. A
/// comment, `<pre>`, `<script>` or other block that CommonMark reads up to its closing mark
/// stays whole (one block, named by its first line), and one that never closes, which takes
/// the rest of the document with it, is `unterminated-html` at its start.
fn html_lines<'a>(
    src: &Source<'a>,
    range: Range<usize>,
    blocks: &mut Vec<Block<'a>>,
    diags: &mut Vec<Diagnostic>,
) {
    let raw = &src.text[range.clone()];
    let lead = raw.len() - raw.trim_start().len();
    if let Some(close) = closing_mark(raw.trim_start()) {
        let first = raw
            .trim_start()
            .lines()
            .next()
            .unwrap_or_default()
            .trim_end();
        let start = range.start + lead;
        if !raw[lead + 1..].to_ascii_lowercase().contains(close) {
            diags.push(
                src.diag(
                    Severity::Error,
                    "unterminated-html",
                    start,
                    first.len(),
                    format!("`{}` is never closed with `{close}`: the rest of the document is inside it", first.chars().take(40).collect::<String>()),
                )
                .with_hint(format!("close it with `{close}`, or remove it")),
            );
            return;
        }
        blocks.push(Block {
            kind: BlockKind::Html(first),
            range: start..range.end,
        });
        return;
    }
    let mut offset = range.start;
    for line in src.text[range.clone()].split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if !trimmed.starts_with('<') {
            diags.push(
                src.diag(
                    Severity::Error,
                    "html-block",
                    start,
                    line.trim_end().len(),
                    "text inside an HTML block",
                )
                .with_hint(
                    "put a blank line between `<summary>` (or `<details>`) and what follows",
                ),
            );
            continue;
        }
        blocks.push(Block {
            kind: BlockKind::Html(trimmed),
            range: start..start + line.trim_end().len(),
        });
    }
}

/// The mark that closes an HTML block which CommonMark reads up to it, lower-cased (HTML
/// blocks of kinds 1 to 5): a comment, a processing instruction, a declaration, CDATA, or a
/// `<pre>`, `<script>`, `<style>` or `<textarea>` element. `None` for other HTML.
fn closing_mark(html: &str) -> Option<&'static str> {
    let lower: String = html
        .chars()
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    let element = |name: &str| {
        lower
            .strip_prefix('<')
            .and_then(|r| r.strip_prefix(name))
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '\t', '\n', '\r', '>']))
    };
    Some(if lower.starts_with("<!--") {
        "-->"
    } else if lower.starts_with("<![cdata[") {
        "]]>"
    } else if lower.starts_with("<?") {
        "?>"
    } else if lower.starts_with("<!") && lower[2..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        ">"
    } else if element("pre") {
        "</pre>"
    } else if element("script") {
        "</script>"
    } else if element("style") {
        "</style>"
    } else if element("textarea") {
        "</textarea>"
    } else {
        return None;
    })
}

/// Whether the first line of `raw` is a table row: it starts and ends with `|`.
fn is_pipe_row(raw: &str) -> bool {
    let first = raw.lines().next().unwrap_or_default().trim();
    first.len() >= 2 && first.starts_with('|') && first.ends_with('|')
}

fn fence_closed(raw: &str) -> bool {
    let mut lines = raw.trim_end().lines();
    let Some(open) = lines.next() else {
        return false;
    };
    let open = open.trim_start();
    let marker: String = open.chars().take_while(|&c| c == '`' || c == '~').collect();
    match lines.last() {
        Some(last) => {
            let last = last.trim();
            last.len() >= marker.len() && last.chars().all(|c| marker.starts_with(c))
        }
        None => false,
    }
}

fn first_line_len(s: &str) -> usize {
    s.lines().next().map_or(0, str::len)
}
