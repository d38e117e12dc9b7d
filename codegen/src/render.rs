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
use codespan_reporting::files::{Error as FilesError, Files, SimpleFile};
use codespan_reporting::term::{self, Config};

use crate::diagnostics::{Diagnostic, Severity};

/// Lines longer than this many bytes are shown as a window around the diagnostic's span.
const LONG_LINE: usize = 240;

/// How much of a long line is shown before a span, and at most of the span, in bytes.
const BEFORE: usize = 60;
const SPAN: usize = 160;

/// Renders every diagnostic against `source`, the text they were found in, one after the other.
///
/// Never panics: spans past the end of `source` or inside a character are clamped, and a
/// diagnostic that still cannot be drawn falls back to its one-line `Display` form. Control
/// characters in the shown lines are replaced with `\u{fffd}` so the output stays printable.
/// A line longer than 240 bytes is shown as a window around the span, marked `…`
/// where it is cut, so that the output (and the time to make it) grows with the number of
/// diagnostics, not with the length of the lines they are on.
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
        let span = shown.span(source, d.offset, d.len);
        let line = file
            .line_index((), span.start)
            .and_then(|i| file.line_range((), i))
            .unwrap_or(0..0);
        let drawn = if line.len() > LONG_LINE {
            let excerpt = Excerpt::new(name, &shown.text, line, span, d);
            let report = to_report(d, excerpt.span.clone());
            term::emit_into_string(&config, &excerpt, &report)
        } else {
            term::emit_into_string(&config, &*file, &to_report(d, span))
        };
        match drawn {
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

/// A window of one long line, the file a diagnostic on it is drawn against: codespan draws
/// the whole line of a span, so a diagnostic on a line of a megabyte would print a megabyte.
/// Its line and columns are the original's.
struct Excerpt<'n> {
    name: &'n str,
    /// `…` (where the line is cut before), the window, `…` (where it is cut after).
    text: String,
    /// The span in `text`.
    span: Range<usize>,
    line: usize,
    /// Bytes of the leading `…`, and the original column of the window's first character.
    lead: usize,
    first_col: usize,
}

impl<'n> Excerpt<'n> {
    /// The window of `shown`'s `line` (a byte range) around `span`, for diagnostic `d`.
    fn new(
        name: &'n str,
        shown: &str,
        line: Range<usize>,
        span: Range<usize>,
        d: &Diagnostic,
    ) -> Self {
        let start = floor_boundary(shown, span.start.saturating_sub(BEFORE).max(line.start));
        let span_end = span
            .end
            .min(line.end)
            .min(span.start + SPAN)
            .max(span.start);
        let end = floor_boundary(shown, (span_end + BEFORE).min(line.end)).max(start);
        let span_end = floor_boundary(shown, span_end).max(span.start);
        let lead = if start > line.start { "…" } else { "" };
        let tail = if end < line.end { "…" } else { "" };
        let text = format!("{lead}{}{tail}", &shown[start..end]);
        let before = shown[start..span.start].chars().count();
        Excerpt {
            name,
            span: lead.len() + span.start - start..lead.len() + span_end - start,
            text,
            line: d.line,
            lead: lead.len(),
            first_col: d.col.saturating_sub(before).max(1),
        }
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _: usize, byte: usize) -> Result<usize, FilesError> {
        let byte = floor_boundary(&self.text, byte).max(self.lead);
        Ok(self.first_col + self.text[self.lead..byte].chars().count())
    }

    fn line_range(&'a self, (): (), _: usize) -> Result<Range<usize>, FilesError> {
        Ok(0..self.text.len())
    }
}

/// The source as shown: control characters other than newline and tab replaced.
struct Printable<'a> {
    text: Cow<'a, str>,
    /// Byte offsets (in the original) of replaced characters, ascending, each with how much
    /// the shown text has grown up to and including it.
    replaced: Vec<(usize, isize)>,
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
        let mut shift = 0isize;
        for (i, c) in source.char_indices() {
            if is_hidden(c) {
                shift += REPLACEMENT.len_utf8() as isize - c.len_utf8() as isize;
                replaced.push((i, shift));
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
        self.map(start)..self.map(end)
    }

    /// Maps a boundary of the original to the shown text: every replaced character before it
    /// grew from its own width to the replacement's.
    fn map(&self, offset: usize) -> usize {
        let before = self.replaced.partition_point(|&(i, _)| i < offset);
        let shift = before
            .checked_sub(1)
            .map_or(0, |last| self.replaced[last].1);
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

    /// A diagnostic on a line of a megabyte shows a window of it, with its own line and column
    /// in the header and the caret under its span; thousands of them on that line print
    /// little (it printed the megabyte for each).
    #[test]
    fn long_lines_are_shown_as_a_window_around_the_span() {
        let mut src = String::from("# T\n\n");
        let line_start = src.len();
        src.push_str(&"é".repeat(100));
        src.push_str(&"x ".repeat(500_000));
        src.push_str("BAD tail\nnext\n");
        let at = src.find("BAD").unwrap();
        let source = Source::new("t.md", &src);
        let d = source.diag(Severity::Error, "test-code", at, 3, "message");
        let col = src[line_start..at].chars().count() + 1;
        assert_eq!((d.line, d.col), (3, col));
        let out = render(std::slice::from_ref(&d), &src);
        assert!(out.contains(&format!("t.md:3:{col}")), "{out}");
        assert!(out.contains("3 │ …x x"), "{out}");
        assert!(out.contains("BAD tail"), "{out}");
        assert!(out.len() < 1_000, "{} bytes", out.len());
        let caret = out.lines().find(|l| l.contains("^^^")).unwrap();
        let shown = out.lines().find(|l| l.contains("BAD")).unwrap();
        assert_eq!(
            caret[..caret.find('^').unwrap()].chars().count(),
            shown[..shown.find("BAD").unwrap()].chars().count(),
            "{out}"
        );
        // At the start of the line: no leading mark; a span longer than the window is cut.
        let d = source.diag(Severity::Error, "test-code", line_start, 400_000, "message");
        let out = render(&[d], &src);
        assert!(
            out.contains("3 │ éééé") && out.contains("t.md:3:1"),
            "{out}"
        );
        let many: Vec<Diagnostic> = (0..5_000)
            .map(|i| {
                source.diag(
                    Severity::Warning,
                    "test-code",
                    line_start + 200 + i * 2,
                    1,
                    "m",
                )
            })
            .collect();
        let out = render(&many, &src);
        assert_eq!(out.matches("test-code").count(), 5_000);
        assert!(out.len() < 5_000 * 1_000, "{} bytes", out.len());
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
