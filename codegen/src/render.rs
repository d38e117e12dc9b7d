//! Renders [`Diagnostic`]s for people: each one with its code, its source line underlined, its
//! location and its hint, as plain text (no colours), using `codespan-reporting`.
//!
//! ```text
//! error[unknown-type]: unknown type `strng`
//!    ┌─ acme.md:31:19
//!    │
//! 31 │ | `id` | `strng` | Yes | Widget ID |
//!    │        ^^^^^^^ unknown type `strng`
//!    │
//!    = hint: see docs/FORMAT.md#types for the type grammar
//! ```

use std::borrow::Cow;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

use crate::diagnostics::{Diagnostic, Severity};

/// Renders every diagnostic against `source`, the text they were found in, one after the other.
///
/// Never panics: spans past the end of `source` or inside a character are clamped, and a
/// diagnostic that still cannot be drawn falls back to its one-line `Display` form. Control
/// characters in the shown lines are replaced with `\u{fffd}` so the output stays printable.
pub fn render(diags: &[Diagnostic], source: &str) -> String {
    let shown = Printable::new(source);
    let mut out = String::new();
    let config = Config::default();
    // The line index of a file is built once, not once per diagnostic.
    let mut file: Option<SimpleFile<&str, &str>> = None;
    for d in diags {
        let name = if d.file.is_empty() {
            "<input>"
        } else {
            d.file.as_str()
        };
        let file = match &mut file {
            Some(f) if *f.name() == name => f,
            slot => slot.insert(SimpleFile::new(name, shown.text.as_ref())),
        };
        let report = to_report(d, shown.span(source, d.offset, d.len));
        match term::emit_into_string(&config, &*file, &report) {
            Ok(s) => out.push_str(&s),
            Err(_) => {
                out.push_str(&d.to_string());
                out.push('\n');
            }
        }
    }
    out
}

fn to_report(d: &Diagnostic, span: Range<usize>) -> Report<()> {
    let severity = match d.severity {
        Severity::Error => ReportSeverity::Error,
        Severity::Warning => ReportSeverity::Warning,
    };
    let mut report = Report::new(severity)
        .with_code(d.code)
        .with_message(&d.message)
        .with_label(Label::primary((), span));
    if let Some(hint) = &d.hint {
        report = report.with_note(format!("hint: {hint}"));
    }
    report
}

/// The source as shown: control characters other than newline and tab replaced.
struct Printable<'a> {
    text: Cow<'a, str>,
    /// Byte offsets (in the original) of replaced characters, ascending.
    replaced: Vec<usize>,
}

const REPLACEMENT: char = '\u{fffd}';

fn is_hidden(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

impl<'a> Printable<'a> {
    fn new(source: &'a str) -> Self {
        if !source.chars().any(is_hidden) {
            return Printable {
                text: Cow::Borrowed(source),
                replaced: Vec::new(),
            };
        }
        let mut text = String::with_capacity(source.len());
        let mut replaced = Vec::new();
        for (i, c) in source.char_indices() {
            if is_hidden(c) {
                replaced.push(i);
                text.push(REPLACEMENT);
            } else {
                text.push(c);
            }
        }
        Printable {
            text: Cow::Owned(text),
            replaced,
        }
    }

    /// The span `offset..offset + len` of the original source, clamped to character boundaries
    /// and without trailing whitespace, in the shown text.
    fn span(&self, source: &str, offset: usize, len: usize) -> Range<usize> {
        let start = floor_boundary(source, offset);
        let mut end = floor_boundary(source, offset.saturating_add(len)).max(start);
        // Headings and blocks end with their newline; underlining it would draw two lines.
        let trimmed = source[start..end].trim_end().len();
        if trimmed > 0 {
            end = start + trimmed;
        }
        self.map(source, start)..self.map(source, end)
    }

    /// Maps a boundary of the original to the shown text: every replaced character before it
    /// grew from its own width to the replacement's.
    fn map(&self, source: &str, offset: usize) -> usize {
        let mut shift = 0isize;
        for &i in self.replaced.iter().take_while(|&&i| i < offset) {
            let width = source[i..].chars().next().map_or(1, char::len_utf8);
            shift += REPLACEMENT.len_utf8() as isize - width as isize;
        }
        offset.saturating_add_signed(shift)
    }
}

/// The largest character boundary of `s` at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;

    fn diag(src: &str, offset: usize, len: usize) -> Diagnostic {
        Source::new("t.md", src)
            .diag(Severity::Error, "test-code", offset, len, "message")
            .with_hint("do this")
    }

    #[test]
    fn shows_code_location_underline_and_hint() {
        let src = "# T\n\n| a | bad |\n";
        let out = render(&[diag(src, 11, 3)], src);
        assert!(out.starts_with("error[test-code]: message\n"), "{out}");
        assert!(out.contains("t.md:3:7"), "{out}");
        assert!(out.contains("3 │ | a | bad |"), "{out}");
        assert!(out.contains("^^^"), "{out}");
        assert!(out.contains("= hint: do this"), "{out}");
    }

    #[test]
    fn out_of_range_and_mid_character_spans_do_not_panic() {
        let src = "é\u{0}x\n";
        for (offset, len) in [(1, 1), (0, 100), (100, 5), (usize::MAX, usize::MAX), (3, 1)] {
            let out = render(&[diag(src, offset, len)], src);
            assert!(out.contains("test-code"), "{out}");
            assert!(!out.contains('\u{0}'), "{out:?}");
        }
    }

    #[test]
    fn many_diagnostics_on_a_large_source_render_in_linear_time() {
        let src = "| x |\n".repeat(200_000);
        let source = Source::new("t.md", &src);
        let diags: Vec<Diagnostic> = (0..20_000)
            .map(|i| source.diag(Severity::Error, "test-code", i * 60, 5, "message"))
            .collect();
        let started = std::time::Instant::now();
        let out = render(&diags, &src);
        assert_eq!(out.matches("test-code").count(), 20_000);
        // Rebuilding the line index per diagnostic took minutes here.
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    }

    #[test]
    fn control_characters_keep_the_underline_aligned() {
        let src = "a\u{1}b\u{7}cd\n";
        // `cd` starts at byte 4 of the original.
        let out = render(&[diag(src, 4, 2)], src);
        let line = out.lines().find(|l| l.contains("^^")).unwrap();
        let caret = line.find('^').unwrap();
        let shown = out.lines().find(|l| l.contains("cd")).unwrap();
        let col = shown.find("cd").unwrap();
        // Both lines share the gutter, so the caret sits under `c` (counted in characters).
        assert_eq!(
            line[..caret].chars().count(),
            shown[..col].chars().count(),
            "{out}"
        );
    }
}
