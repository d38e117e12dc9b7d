//! Pipe tables, split from their source text by the format's rules (FORMAT.md §5): rows may span
//! lines until one ends in `|`, cells split on unescaped `|`, a cell with an odd number of
//! backticks is re-joined with the next (an unescaped pipe inside a code span), and the MDX escapes
//! `\| \{ \} \< \> \"` are undone.

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostics::{Diagnostic, Severity, Source};

/// A table: its header row, the separator checked, and its data rows. Cell texts borrow from
/// the document's text unless unescaping changed them.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// Every cell of the header and the data rows, row after row.
    cells: Vec<Cell<'a>>,
    /// Where the header's and each data row's cells are in `cells`.
    rows: Vec<Span>,
    /// Byte offset just past the table's last line.
    pub end: usize,
}

/// A row's cells in [`Table::cells`] and its source text.
#[derive(Debug, Clone)]
struct Span {
    cells: Range<usize>,
    offset: usize,
    len: usize,
    line: usize,
}

/// One logical row, possibly spanning several lines.
#[derive(Debug, Clone, Copy)]
pub struct Row<'t> {
    pub cells: &'t [Cell<'t>],
    /// Byte offset of the row's first `|`.
    pub offset: usize,
    /// Length in bytes of the row's source text.
    pub len: usize,
    /// 1-based line of the row's first line.
    pub line: usize,
}

/// One cell: its text, stripped and unescaped, and where it is.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub offset: usize,
    pub len: usize,
}

impl Table<'_> {
    /// The header row.
    pub fn header(&self) -> Row<'_> {
        self.row(&self.rows[0])
    }

    /// The data rows.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> {
        self.rows[1..].iter().map(|span| self.row(span))
    }

    fn row(&self, span: &Span) -> Row<'_> {
        Row {
            cells: &self.cells[span.cells.clone()],
            offset: span.offset,
            len: span.len,
            line: span.line,
        }
    }
}

/// Splits the table starting at `start` (the first `|` of its header line).
// A table error happens at most once per table and is moved straight into the diagnostics list;
// boxing it would only add an allocation.
#[allow(clippy::result_large_err)]
pub fn split<'a>(src: &Source<'a>, start: usize) -> Result<Table<'a>, Diagnostic> {
    let text = src.text;
    let mut pos = start;
    let mut cells = Vec::new();
    let mut rows = Vec::new();
    // Pieces of the row being split, reused from row to row.
    let mut pieces = Vec::new();
    // The line at `pos`, counted on from the table's first.
    let mut line_number = src.line(start);
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..line_end];
        if !line.trim_start().starts_with('|') {
            break;
        }
        // A row ends at the first line that ends with `|`.
        let row_start = pos;
        let row_line = line_number;
        let mut row_end = line_end;
        while !text[row_start..row_end].trim_end().ends_with('|') {
            if row_end >= text.len() {
                return Err(src
                    .diag(
                        Severity::Error,
                        "table-row",
                        row_start,
                        line.len(),
                        "table row never ends with `|`",
                    )
                    .with_hint("a row that spans several lines ends with a line ending in ` |`"));
            }
            let next_end = text[row_end + 1..]
                .find('\n')
                .map_or(text.len(), |i| row_end + 1 + i);
            row_end = next_end;
            line_number += 1;
        }
        rows.push(split_row(
            text,
            (row_start, row_end, row_line),
            &mut pieces,
            &mut cells,
        ));
        pos = (row_end + 1).min(text.len());
        line_number += 1;
    }
    let end = rows.last().map_or(start, |r: &Span| r.offset + r.len);
    let Some(header) = rows.first() else {
        return Err(src
            .diag(
                Severity::Error,
                "table-header",
                start,
                0,
                "expected a table header row",
            )
            .with_hint("a table starts with a header row like `| Name | Type |`"));
    };
    let Some(separator) = rows.get(1) else {
        return Err(src
            .diag(
                Severity::Error,
                "table-header",
                header.offset,
                header.len,
                "table has no separator row",
            )
            .with_hint("the header is followed by a row like `|------|------|`"));
    };
    let separator_cells = &cells[separator.cells.clone()];
    let is_separator = separator_cells
        .iter()
        .all(|c| !c.text.is_empty() && c.text.bytes().all(|b| matches!(b, b'-' | b':')));
    if !is_separator || separator_cells.len() != header.cells.len() {
        return Err(src
            .diag(
                Severity::Error,
                "table-header",
                separator.offset,
                separator.len,
                "expected the table's separator row",
            )
            .with_hint(format!(
                "a row of {} cells of dashes, like `|------|`",
                header.cells.len()
            )));
    }
    // The separator's cells stay in `cells`, unreferenced.
    rows.remove(1);
    Ok(Table { cells, rows, end })
}

/// A piece of a row between unescaped pipes: its byte range in the row, how many backticks it
/// holds, and whether it holds a backslash.
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    start: usize,
    end: usize,
    backticks: usize,
    backslash: bool,
}

/// Splits the row `text[start..end]`, at `line`, into cells appended to `cells`; `pieces` is
/// scratch space.
fn split_row<'a>(
    text: &'a str,
    (start, end, line): (usize, usize, usize),
    pieces: &mut Vec<Piece>,
    cells: &mut Vec<Cell<'a>>,
) -> Span {
    let raw = &text[start..end];
    // One pass over the bytes: `|`, `` ` `` and `\` are ASCII, so bytes of multi-byte
    // characters never match them.
    let bytes = raw.as_bytes();
    pieces.clear();
    let mut piece = Piece::default();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'|' => {
                pieces.push(Piece { end: i, ..piece });
                piece = Piece {
                    start: i + 1,
                    ..Piece::default()
                };
            }
            b'`' => piece.backticks += 1,
            b'\\' => {
                piece.backslash = true;
                // The next character is escaped: neither a cell boundary nor an escape itself.
                if bytes.get(i + 1) == Some(&b'`') {
                    piece.backticks += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(Piece {
        end: raw.len(),
        ..piece
    });
    // Drop what lies before the leading pipe and after the trailing one.
    let mut keep = &pieces[1..];
    if let Some((last, init)) = keep.split_last() {
        if raw[last.start..last.end].trim().is_empty() {
            keep = init;
        }
    }
    // Re-join cells whose code span contains an unescaped pipe: the joined cell is the source
    // text from its first piece to its last, pipes included.
    let first_cell = cells.len();
    let mut iter = keep.iter();
    while let Some(&first) = iter.next() {
        let mut cell = first;
        while cell.backticks % 2 == 1 {
            match iter.next() {
                Some(next) => {
                    cell.end = next.end;
                    cell.backticks += next.backticks;
                    cell.backslash |= next.backslash;
                }
                None => break,
            }
        }
        let text = raw[cell.start..cell.end].trim_start();
        let lead = cell.end - cell.start - text.len();
        let trimmed = text.trim_end();
        cells.push(Cell {
            text: if cell.backslash {
                unescape(trimmed)
            } else {
                Cow::Borrowed(trimmed)
            },
            offset: start + cell.start + lead,
            len: trimmed.len(),
        });
    }
    Span {
        cells: first_cell..cells.len(),
        offset: start,
        len: end - start,
        line,
    }
}

/// Undoes the MDX escapes the documents use; borrows when there is nothing to undo.
pub fn unescape(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find('\\') else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..first]);
    let mut rest = &s[first..];
    while let Some(i) = rest.find('\\') {
        match rest.as_bytes().get(i + 1) {
            Some(&b @ (b'|' | b'{' | b'}' | b'<' | b'>' | b'"')) => {
                out.push_str(&rest[..i]);
                out.push(char::from(b));
                rest = &rest[i + 2..];
            }
            // A lone backslash stays, and what follows it is read on its own.
            _ => {
                out.push_str(&rest[..=i]);
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> Table<'_> {
        split(&Source::new("t.md", s), 0).unwrap()
    }

    fn texts(table: &Table<'_>, row: usize) -> Vec<String> {
        let row = table.rows().nth(row).unwrap();
        row.cells.iter().map(|c| c.text.to_string()).collect()
    }

    #[test]
    fn escaped_pipe_stays_in_cell() {
        let t = table("| A | B |\n|---|---|\n| `x` | `string \\| null` |\n");
        assert_eq!(texts(&t, 0), ["`x`", "`string | null`"]);
    }

    #[test]
    fn unescaped_pipe_in_code_span_is_rejoined() {
        let t = table("| A | B | C |\n|---|---|---|\n| `x` | `boolean | number` | d |\n");
        assert_eq!(texts(&t, 0), ["`x`", "`boolean | number`", "d"]);
    }

    #[test]
    fn multi_line_cell_runs_to_the_closing_pipe() {
        let t = table("| A | B |\n|---|---|\n| `x` | first\n\nsecond\n |\n| `y` | z |\n");
        assert_eq!(t.rows().len(), 2);
        assert_eq!(texts(&t, 0), ["`x`", "first\n\nsecond"]);
        assert_eq!(texts(&t, 1), ["`y`", "z"]);
    }

    #[test]
    fn empty_cell_and_escapes() {
        let t = table("| A | B |\n|---|---|\n| `x` |  |\n| `y` | \\{a\\} \\<b\\> |\n");
        assert_eq!(texts(&t, 0), ["`x`", ""]);
        assert_eq!(texts(&t, 1), ["`y`", "{a} <b>"]);
    }

    #[test]
    fn unterminated_row_is_an_error() {
        let e = split(&Source::new("t.md", "| A | B |\n|---|---|\n| `x` | y\n"), 0).unwrap_err();
        assert_eq!((e.line, e.code), (3, "table-row"));
    }
}
