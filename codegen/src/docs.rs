//! Doc text from document descriptions.
//!
//! Descriptions are arbitrary text. The text is escaped so rustdoc renders it literally
//! without warnings: no HTML tags, no intra-doc links, no code blocks (which rustdoc would
//! compile as doctests), no bare URLs. The emitter writes it as `#[doc = "..."]` attributes
//! (quote escapes the string literal, so `*/`, quotes and `#[` are harmless).

/// Escapes one description for rustdoc Markdown.
pub fn sanitize(text: &str) -> String {
    let mut lines = Vec::new();
    for line in text.lines() {
        // Indentation would make a code block; fences are neutralised by escaping backticks.
        // Control characters become spaces below, so they are trimmed with the whitespace.
        let line = line.trim_matches(|c: char| c.is_whitespace() || c.is_control());
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
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
    joined.join("\n")
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
    fn empty_descriptions_fall_back() {
        assert_eq!(text("", "`x`"), "`x`");
        assert_eq!(text("  \n ", "`x`"), "`x`");
        assert_eq!(text("a <b>", "`x`"), "a \\<b\\>");
    }
}
