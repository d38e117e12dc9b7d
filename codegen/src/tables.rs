//! Pipe tables, split from their source text by the format's rules (`docs/FORMAT.md#tables`):
//! rows may span lines until one ends in `|`, cells split on unescaped `|`, a cell with an odd
//! number of backticks is re-joined with the next (an unescaped pipe inside a code span), and the
//! MDX escapes `\| \{ \} \< \> \"` are undone.

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
    /// How many cells the separator row has: the header's, unless one of them has a column
    /// too many (see [`Table::separator_width`]).
    separator: usize,
    /// Byte offset and length of the separator row.
    separator_span: (usize, usize),
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

    /// How many cells the separator row has. A table whose separator row has another number
    /// of cells than its header is still split (GFM would make it a paragraph), so that the
    /// parser can name the column that has no separator, or the separator that has no column.
    pub fn separator_width(&self) -> usize {
        self.separator
    }

    /// Byte offset and length of the separator row.
    pub fn separator_span(&self) -> (usize, usize) {
        self.separator_span
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
    // Room for a typical table: growing from empty costs a copy per doubling.
    let mut cells = Vec::with_capacity(64);
    let mut rows = Vec::with_capacity(16);
    // Pieces of the row being split, reused from row to row.
    let mut pieces = Vec::new();
    // The line at `pos`, counted on from the table's first.
    let mut line = src.line(start);
    while pos < text.len() {
        // A row starts with `|`, after whitespace within its line.
        let indent = text[pos..].trim_start_matches(|c: char| c != '\n' && c.is_whitespace());
        if !indent.starts_with('|') {
            break;
        }
        let Some((row, lines)) = split_row(text, pos, line, &mut pieces, &mut cells) else {
            let first_line = text[pos..].find('\n').unwrap_or(text.len() - pos);
            return Err(src
                .diag(
                    Severity::Error,
                    "table-row",
                    pos,
                    first_line,
                    "table row never ends with `|`",
                )
                .with_hint("a row that spans several lines ends with a line ending in ` |`"));
        };
        pos = (row.offset + row.len + 1).min(text.len());
        line += lines;
        rows.push(row);
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
    if !is_separator {
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
    let separator_width = separator_cells.len();
    let separator_span = (separator.offset, separator.len);
    // The separator's cells stay in `cells`, unreferenced.
    rows.remove(1);
    Ok(Table {
        cells,
        rows,
        separator: separator_width,
        separator_span,
        end,
    })
}

/// A piece of a row between unescaped pipes: its byte range, how many backticks it
/// holds, and whether it holds a backslash.
#[derive(Debug, Clone, Copy, Default)]
struct Piece {
    start: usize,
    end: usize,
    backticks: usize,
    backslash: bool,
}

/// Splits the row starting at `start`, on `line`, into cells appended to `cells`; `pieces` is
/// scratch space. A row runs on to the first line that ends with `|`; with the row comes the
/// number of lines it spans. `None` when no line does.
fn split_row<'a>(
    text: &'a str,
    start: usize,
    line: usize,
    pieces: &mut Vec<Piece>,
    cells: &mut Vec<Cell<'a>>,
) -> Option<(Span, usize)> {
    // One pass over the bytes: `|`, `` ` ``, `\` and newlines are ASCII, so bytes of multi-byte
    // characters never match them.
    let bytes = text.as_bytes();
    let ends_row = |line: &str| line.trim_end().ends_with('|');
    pieces.clear();
    let mut piece = Piece {
        start,
        ..Piece::default()
    };
    let mut line_start = start;
    let mut lines = 1;
    let mut i = start;
    let end = loop {
        i = next_special(bytes, i);
        match bytes.get(i) {
            None if ends_row(&text[line_start..]) => break text.len(),
            None => return None,
            Some(b'\n') => {
                if ends_row(&text[line_start..i]) {
                    break i;
                }
                line_start = i + 1;
                lines += 1;
            }
            Some(b'|') => {
                pieces.push(Piece { end: i, ..piece });
                piece = Piece {
                    start: i + 1,
                    ..Piece::default()
                };
            }
            Some(b'`') => piece.backticks += 1,
            Some(b'\\') => {
                piece.backslash = true;
                // The next character is escaped: neither a cell boundary nor an escape itself.
                match bytes.get(i + 1) {
                    Some(b'`') => {
                        piece.backticks += 1;
                        i += 1;
                    }
                    Some(b'|' | b'\\') => i += 1,
                    _ => {}
                }
            }
            Some(_) => {}
        }
        i += 1;
    };
    pieces.push(Piece { end, ..piece });
    // Drop what lies before the leading pipe and after the trailing one.
    let mut keep = &pieces[1..];
    if let Some((last, init)) = keep.split_last() {
        if text[last.start..last.end].trim().is_empty() {
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
        let untrimmed = text[cell.start..cell.end].trim_start();
        let lead = cell.end - cell.start - untrimmed.len();
        let trimmed = untrimmed.trim_end();
        cells.push(Cell {
            text: if cell.backslash {
                unescape(trimmed)
            } else {
                Cow::Borrowed(trimmed)
            },
            offset: cell.start + lead,
            len: trimmed.len(),
        });
    }
    let span = Span {
        cells: first_cell..cells.len(),
        offset: start,
        len: end - start,
        line,
    };
    Some((span, lines))
}

/// The index of the first byte from `i` on that is a newline, `|`, `` ` `` or `\\`, or
/// `bytes.len()`: eight bytes at a time, as rows are mostly plain text.
fn next_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // The high bit of each byte of `word` equal to `b`; a spurious bit can only come after a true
    // one, so the lowest bit set marks the first match.
    let matches = |word: u64, b: u8| {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    };
    while let Some(Ok(chunk)) = bytes.get(i..i + 8).map(<[u8; 8]>::try_from) {
        let word = u64::from_le_bytes(chunk);
        let found =
            matches(word, b'\n') | matches(word, b'|') | matches(word, b'`') | matches(word, b'\\');
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if matches!(b, b'\n' | b'|' | b'`' | b'\\') {
            return i;
        }
        i += 1;
    }
    bytes.len()
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
    fn special_bytes_are_found_word_by_word_as_byte_by_byte() {
        let text = "plain text, é and ✓ | `code` \\| then\nnext line ~ \u{80}\u{7c}x|";
        let bytes = text.as_bytes();
        for i in 0..=bytes.len() {
            let naive = (i..bytes.len())
                .find(|&j| matches!(bytes[j], b'\n' | b'|' | b'`' | b'\\'))
                .unwrap_or(bytes.len());
            assert_eq!(next_special(bytes, i), naive, "from {i}");
        }
        let all: Vec<u8> = (0..=255).collect();
        for i in 0..all.len() {
            let naive = (i..all.len())
                .find(|&j| matches!(all[j], b'\n' | b'|' | b'`' | b'\\'))
                .unwrap_or(all.len());
            assert_eq!(next_special(&all, i), naive, "from {i}");
        }
    }

    #[test]
    fn a_separator_of_another_width_is_kept_for_the_parser_to_name() {
        let t = table("| A | B | C |\n|---|---|\n| `x` | y |\n");
        assert_eq!((t.header().cells.len(), t.separator_width()), (3, 2));
        assert_eq!(texts(&t, 0), ["`x`", "y"]);
    }

    #[test]
    fn unterminated_row_is_an_error() {
        let e = split(&Source::new("t.md", "| A | B |\n|---|---|\n| `x` | y\n"), 0).unwrap_err();
        assert_eq!((e.line, e.code), (3, "table-row"));
    }
}
