//! Located diagnostics: every problem in a document names its file, line and column, a stable
//! code, what was expected, and optionally a hint.

use std::cell::{Cell, OnceCell};
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The document is understood, but something in it deserves a look.
    Warning,
    /// The document cannot be turned into a model.
    Error,
}

/// One located message about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable code, e.g. `table-columns`; documented in `docs/DIAGNOSTICS.md`.
    pub code: &'static str,
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Byte offset into the source and length of the span, for renderers that underline it.
    pub offset: usize,
    pub len: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            "{}:{}:{}: {sev}[{}]: {}",
            self.file, self.line, self.col, self.code, self.message
        )?;
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

/// A document's text, to turn byte offsets into lines and columns.
///
/// Look-ups mostly move forward through the document, so the line and column are counted on
/// from the previous look-up (the work is the distance moved); a look-up behind it finds its
/// line in an index of every line start, built the first time, and counts the column from
/// there. Either way the cursor moves to it, so look-ups in document order after a jump back
/// cost no more than the distance they move: locating every diagnostic is linear in the
/// document, however many there are on one line.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// The last offset looked up.
    cursor: Cell<Cursor>,
    /// Byte offset of every line's start, once a look-up went backwards.
    line_starts: OnceCell<Vec<usize>>,
}

/// A located offset: its line, the offset of that line's start, and its column.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    offset: usize,
    line: usize,
    line_start: usize,
    /// 1-based, in characters.
    col: usize,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        Source {
            name,
            text,
            cursor: Cell::new(Cursor {
                offset: 0,
                line: 1,
                line_start: 0,
                col: 1,
            }),
            line_starts: OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset (clamped to the text, and
    /// moved back to a character boundary).
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let c = self.seek(offset);
        (c.line, c.col)
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.seek(offset).line
    }

    /// Byte offset of the start of a 1-based line (the text's end past its last line).
    pub fn line_offset(&self, line: usize) -> usize {
        let starts = self.line_starts.get_or_init(|| line_starts(self.text));
        match line.checked_sub(1) {
            Some(i) => starts.get(i).copied().unwrap_or(self.text.len()),
            None => 0,
        }
    }

    fn seek(&self, offset: usize) -> Cursor {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let from = self.cursor.get();
        let bytes = self.text.as_bytes();
        let to = if offset >= from.offset {
            let moved = &bytes[from.offset..offset];
            match moved.iter().rposition(|&b| b == b'\n') {
                Some(last) => {
                    let line_start = from.offset + last + 1;
                    Cursor {
                        offset,
                        line: from.line + newlines(moved),
                        line_start,
                        col: 1 + chars(&self.text[line_start..offset]),
                    }
                }
                None => Cursor {
                    offset,
                    line: from.line,
                    line_start: from.line_start,
                    col: from.col + chars(&self.text[from.offset..offset]),
                },
            }
        } else {
            let starts = self.line_starts.get_or_init(|| line_starts(self.text));
            let line = starts.partition_point(|&s| s <= offset);
            let line_start = starts[line - 1];
            Cursor {
                offset,
                line,
                line_start,
                col: 1 + chars(&self.text[line_start..offset]),
            }
        };
        self.cursor.set(to);
        to
    }

    /// Builds a diagnostic at a byte span. A message longer than [`MAX_MESSAGE`] characters
    /// (one quoting a heading or cell of the document at length) is cut in its middle.
    pub fn diag(
        &self,
        severity: Severity,
        code: &'static str,
        offset: usize,
        len: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, col) = self.locate(offset);
        Diagnostic {
            severity,
            code,
            file: self.name.to_string(),
            line,
            col,
            offset,
            len,
            message: bounded(message.into()),
            hint: None,
        }
    }
}

impl Diagnostic {
    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The longest message a diagnostic carries, in characters.
pub const MAX_MESSAGE: usize = 400;

/// `message`, or its first and last characters around ` … ` when it is longer than
/// [`MAX_MESSAGE`].
fn bounded(message: String) -> String {
    let n = message.chars().count();
    if n <= MAX_MESSAGE {
        return message;
    }
    let head: String = message.chars().take(MAX_MESSAGE - 100).collect();
    let tail: String = message.chars().skip(n - 97).collect();
    format!("{head} … {tail}")
}

fn chars(s: &str) -> usize {
    // Every byte but a UTF-8 continuation byte starts a character.
    s.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

fn newlines(bytes: &[u8]) -> usize {
    // Counted per chunk in a `u8`, which vectorises far better than counting in a `usize`.
    bytes
        .chunks(255)
        .map(|chunk| usize::from(chunk.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>()))
        .sum()
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(newlines(text.as_bytes()) + 1);
    starts.push(0);
    starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line and column counted from the start, the slow way.
    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (
            before.matches('\n').count() + 1,
            before[line_start..].chars().count() + 1,
        )
    }

    #[test]
    fn look_ups_in_any_order_agree_with_counting_from_the_start() {
        let text = "# Tïtle\n\n| a | é✓ |\n|---|---|\nlong line with ünïcode ✓✓ and more\n\nend";
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        // Forward, backward, and jumping back and forth.
        let mut orders = vec![offsets.clone(), offsets.iter().rev().copied().collect()];
        orders.push(
            offsets
                .iter()
                .map(|&o| (o * 7919) % (text.len() + 3))
                .collect(),
        );
        for order in orders {
            let src = Source::new("t.md", text);
            for &o in &order {
                assert_eq!(src.locate(o), naive(text, o), "offset {o}");
                assert_eq!(src.line(o), naive(text, o).0, "offset {o}");
            }
        }
        let src = Source::new("t.md", text);
        let long = src.diag(
            Severity::Error,
            "x",
            0,
            0,
            format!("unknown `{}`", "é".repeat(10_000)),
        );
        assert_eq!(long.message.chars().count(), MAX_MESSAGE);
        assert!(long.message.starts_with("unknown `éé") && long.message.ends_with("éé`"));
        assert!(long.message.contains(" … "));
        assert_eq!(src.line_offset(1), 0);
        assert_eq!(src.line_offset(3), text.find('|').unwrap());
        assert_eq!(src.line_offset(99), text.len());
    }
}
