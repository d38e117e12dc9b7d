//! Doc text from document descriptions.
//!
//! Descriptions are arbitrary text. The text is escaped so rustdoc renders it literally
//! without warnings: no HTML tags, no intra-doc links, no code blocks (which rustdoc would
//! compile as doctests), no bare URLs. Lists (`- `, `+ `, `1. `) stay lists, ended by a blank
//! line where the next line is not an item, so clippy's `doc_lazy_continuation` has nothing to
//! say. The emitter writes it as `#[doc = "..."]` attributes (quote escapes the string
//! literal, so `*/`, quotes and `#[` are harmless).

use pulldown_cmark::{Event, Options, Parser, Tag};

/// Escapes one description for rustdoc Markdown.
pub fn sanitize(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        // Indentation would make a code block (also after a list marker: `-     x`), so runs
        // of whitespace become one space, which Markdown renders the same; fences are
        // neutralised by escaping backticks. Control characters become spaces too.
        let line = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let mut out = String::with_capacity(line.len());
        let mut rest = line.as_str();
        while !rest.is_empty() {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            let c = rest.chars().next().expect("non-empty");
            match c {
                '\\' | '<' | '>' | '[' | ']' | '`' | '*' | '_' | '#' | '|' | '~' | '&' => {
                    out.push('\\');
                    out.push(c);
                }
                c if c.is_control() => out.push(' '),
                // Text-direction controls would reorder the source as displayed (rustc denies
                // them in comments and literals): they are written as their code point.
                '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{061C}' => {
                    out.push_str(&format!("U+{:04X}", u32::from(c)));
                }
                c => out.push(c),
            }
            rest = &rest[c.len_utf8()..];
        }
        lines.push(out);
    }
    // Collapse runs of blank lines and trim blank edges.
    let mut joined: Vec<String> = Vec::new();
    for line in lines {
        if line.is_empty() && joined.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        joined.push(line);
    }
    while joined.last().is_some_and(|l| l.is_empty()) {
        joined.pop();
    }
    end_lists(joined)
}

/// The Markdown options rustdoc and clippy read doc comments with.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Joins unindented lines, putting a blank line before every line that would continue a list
/// item lazily (`- Docs -> text/plain` then `Note: ...`): it starts a paragraph instead. With
/// no indentation, every non-blank line of an item but its first is such a line; the blank
/// line can make it an item of its own (`2. b` after `- a`), so this repeats until no item has
/// one (each round separates at least one more line, so it ends).
fn end_lists(mut lines: Vec<String>) -> String {
    loop {
        let text = lines.join("\n");
        let lazy = lazy_lines(&text);
        if lazy.is_empty() {
            return text;
        }
        for &i in lazy.iter().rev() {
            lines.insert(i, String::new());
        }
    }
}

/// Indexes of the non-blank lines of `text` that are inside a list item but not its first
/// line, sorted and unique.
pub fn lazy_lines(text: &str) -> Vec<usize> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset) - 1;
    let mut lazy = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        if let Event::Start(Tag::Item) = event {
            let first = line_of(range.start);
            let last = line_of(range.end.saturating_sub(1).max(range.start));
            for line in first + 1..=last {
                let end = starts.get(line + 1).map_or(text.len(), |&e| e - 1);
                if !text[starts[line]..end].trim().is_empty() {
                    lazy.push(line);
                }
            }
        }
    }
    lazy.sort_unstable();
    lazy.dedup();
    lazy
}

/// Length of a URL starting at the beginning of `s`, if one does.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '<' | '>' | '"' | '`' | '(' | ')' | '[' | ']' | '\\' | '{' | '}' | '|'
                )
        })
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '\'', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// A document name as a Markdown code span.
pub fn code(name: &str) -> String {
    format!("`{}`", name.replace('`', "'"))
}

/// The doc text of a description: the description sanitised, or `fallback` (Markdown written
/// by the generator, with document names quoted by [`code`]) when it is empty.
pub fn text(description: &str, fallback: &str) -> String {
    let text = sanitize(description);
    if text.is_empty() {
        fallback.to_string()
    } else {
        text
    }
}

/// The doc of a member the document lists without a description: says so, naming the JSON
/// member where the Rust name `rust` differs from `wire` (the field's name already says it
/// otherwise).
pub fn undescribed(wire: &str, rust: &str) -> String {
    if wire == rust {
        "Not described in the reference document.".to_string()
    } else {
        format!(
            "The JSON member {}; not described in the reference document.",
            code(wire)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_descriptions_are_escaped() {
        assert_eq!(
            sanitize("The \\<UUID\\> of it"),
            "The \\\\\\<UUID\\\\\\> of it"
        );
        assert_eq!(sanitize("a <b> [c](d) `e`"), "a \\<b\\> \\[c\\](d) \\`e\\`");
        assert_eq!(
            sanitize("    indented\n```rust\nfn x() {}\n```"),
            "indented\n\\`\\`\\`rust\nfn x() {}\n\\`\\`\\`"
        );
        assert_eq!(
            sanitize("see https://x.io/a_b. ok"),
            "see <https://x.io/a_b>. ok"
        );
        assert_eq!(
            sanitize("*/ #[cfg] a\n\n\n\nb\n\n"),
            "\\*/ \\#\\[cfg\\] a\n\nb"
        );
    }

    #[test]
    fn lists_end_before_lazy_lines() {
        assert_eq!(
            sanitize("Formats:\n- Google Docs -> text/plain\n- Sheets -> text/csv\nNote: Export has a 10MB limit."),
            "Formats:\n- Google Docs -\\> text/plain\n- Sheets -\\> text/csv\n\nNote: Export has a 10MB limit."
        );
        assert_eq!(
            sanitize("1. one\n  wrapped\n2. two"),
            "1. one\n\nwrapped\n2. two"
        );
        assert_eq!(sanitize("- a\n2. b\nc"), "- a\n2. b\n\nc");
        assert_eq!(sanitize("-     code?\n+\tx"), "- code?\n+ x");
        assert!(lazy_lines(&sanitize("- a\nb\n  - c\n    d\n> e\nf")).is_empty());
    }

    #[test]
    fn empty_descriptions_fall_back() {
        assert_eq!(text("", "`x`"), "`x`");
        assert_eq!(text("  \n ", "`x`"), "`x`");
        assert_eq!(text("a <b>", "`x`"), "a \\<b\\>");
    }
}
