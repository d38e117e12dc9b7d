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
/// Look-ups mostly move forward through the document, so lines are counted from the previous
/// look-up; the first look-up behind it builds an index of every line start instead.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    /// The last offset looked up and its line.
    cursor: Cell<(usize, usize)>,
    /// Byte offset of every line's start, once a look-up went backwards.
    line_starts: OnceCell<Vec<usize>>,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Self {
        Source {
            name,
            text,
            cursor: Cell::new((0, 1)),
            line_starts: OnceCell::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line(offset);
        let start = self.text.as_bytes()[..offset]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if let Some(starts) = self.line_starts.get() {
            return starts.partition_point(|&s| s <= offset);
        }
        let (from, line) = self.cursor.get();
        if offset < from {
            let starts = self.line_starts.get_or_init(|| line_starts(self.text));
            return starts.partition_point(|&s| s <= offset);
        }
        let line = line + newlines(&self.text.as_bytes()[from..offset]);
        self.cursor.set((offset, line));
        line
    }

    /// Builds a diagnostic at a byte span.
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
            message: message.into(),
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
