//! Parsing: a reference document's blocks -> the [`Connector`] model.
//!
//! The walk follows the grammar in `docs/FORMAT.md`: read the summary table first, recognise
//! entity headings by their names and action headings as `<entity> <label>`, sub-sections as H4
//! headings or bold labels. Every table row ends up in the model or in a diagnostic; anything not understood is a
//! located error. All errors of a document are reported together.

use std::borrow::Cow;
use std::fmt;

/// How deep a dotted field path may nest (`a.b.c` is 3). Real documents stay under 6; deeper
/// paths would give recursion deep enough to exhaust the stack (or the compiler's trait
/// solver) in the code generated from them.
const MAX_DEPTH: usize = 16;

/// How long a name of the document may be, in characters: the title, an entity, an action
/// label, a field path, a curl body's entity or action. Real documents stay under 60; the
/// names generated from longer ones would make file names (rustdoc writes one file per item)
/// longer than file systems allow.
pub const MAX_NAME: usize = 128;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::blocks::{self, Block, BlockKind};
use crate::diagnostics::{Diagnostic, Severity, Source};
use crate::model::{
    Action, ActionKind, Connector, Endpoint, Entity, Field, Replication, Response, Search,
    SearchEnvelope,
};
use crate::tables::{self, Cell, Row, Table};
use crate::types::{Type, TypeError};

/// A parsed document: its model and the warnings it gave.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub connector: Connector,
    pub warnings: Vec<Diagnostic>,
}

/// Parses one reference document. `file` names it in diagnostics. On failure, every diagnostic
/// (errors and warnings) is returned, sorted by position.
pub fn parse(file: &str, text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let src = Source::new(file, text);
    let mut p = Parser {
        src: &src,
        diags: Vec::new(),
        types: HashMap::default(),
    };
    let connector = p.document();
    let mut diags = p.diags;
    diags.sort_by_key(|d| (d.offset, d.severity));
    match connector {
        Some(connector) if !diags.iter().any(|d| d.severity == Severity::Error) => Ok(Parsed {
            connector,
            warnings: diags,
        }),
        _ => {
            if !diags.iter().any(|d| d.severity == Severity::Error) {
                diags.push(
                    src.diag(
                        Severity::Error,
                        "empty",
                        0,
                        0,
                        "no connector found in the document",
                    )
                    .with_hint("a reference starts with `# <Name> full reference`"),
                );
            }
            Err(diags)
        }
    }
}

/// Parses one reference document read as raw bytes: invalid UTF-8 and binary content (NUL bytes)
/// become located diagnostics at the first offending byte instead of an I/O error.
pub fn parse_bytes(file: &str, bytes: &[u8]) -> Result<Parsed, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let at = e.valid_up_to();
            // The valid prefix is all a renderer (or a person) can show; locate within it.
            let prefix = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let bad = e.error_len().unwrap_or(bytes.len() - at);
            let d = Source::new(file, prefix).diag(
                Severity::Error,
                "encoding",
                at,
                0,
                format!(
                    "invalid UTF-8: byte 0x{:02x} at offset {at} ({bad} bad byte(s))",
                    bytes[at]
                ),
            );
            let hint = if bytes.contains(&0) {
                "this looks like a binary file, not a Markdown reference"
            } else {
                "save the document as UTF-8"
            };
            return Err(vec![d.with_hint(hint)]);
        }
    };
    if let Some(at) = text.find('\0') {
        let d = Source::new(file, text)
            .diag(Severity::Error, "binary", at, 1, "NUL byte in the document")
            .with_hint("this looks like a binary file, not a Markdown reference");
        return Err(vec![d]);
    }
    parse(file, text)
}

struct Parser<'s, 'a> {
    src: &'s Source<'a>,
    diags: Vec<Diagnostic>,
    /// Type cells read so far: a document repeats a few dozen of them hundreds of times.
    types: HashMap<String, (Type, bool, Vec<String>)>,
}

/// An action label from the summary.
#[derive(Debug, Clone)]
struct SummaryAction {
    label: String,
    offset: usize,
}

#[derive(Debug)]
struct SummaryEntity {
    name: String,
    actions: Vec<SummaryAction>,
    offset: usize,
}

/// Where the walk is inside an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sub {
    Description,
    Python,
    Api,
    Parameters,
    Searchable,
    Records,
    Meta,
}

/// An action being read; its tables borrow from the document's blocks.
#[derive(Debug)]
struct Draft<'t> {
    label: String,
    offset: usize,
    /// Line of the heading.
    line: usize,
    description: Vec<String>,
    sub: Sub,
    /// The open `<details>` line (offset, length), until its `</details>`.
    details: Option<(usize, usize)>,
    saw_python: bool,
    /// Sub-section headings met, to check that the table ones have a table.
    headings: Vec<(Sub, usize, usize)>,
    curl: Option<Curl>,
    params: Option<&'t Table<'t>>,
    searchable: Option<&'t Table<'t>>,
    records: Option<&'t Table<'t>>,
    meta: Option<&'t Table<'t>>,
    search_response: Option<&'t Table<'t>>,
}

#[derive(Debug)]
struct Curl {
    endpoint: Endpoint,
    /// The body's `"entity"` and `"action"` values, each with the offset of its string.
    entity: Option<(String, usize)>,
    action: Option<(String, usize)>,
    offset: usize,
}

/// Which trailing section the walk is in.
#[derive(Debug, PartialEq, Eq)]
enum Trailing {
    Replication,
    Example,
    /// An older `## Configuration` / `## Authentication` section: read, reported, not modelled.
    Legacy(String),
}

/// What the walk over a document's blocks has read so far; heading texts and tables borrow
/// from the blocks.
struct Walk<'t> {
    title: Option<String>,
    summary: Vec<SummaryEntity>,
    /// Whether a table was read as the summary (it may have given no entity).
    summary_table: bool,
    /// Summary entity name -> index in `summary`.
    summary_names: HashMap<String, usize>,
    /// After the summary heading, before the first entity or trailing section.
    in_summary: bool,
    entities: Vec<Entity>,
    /// Entity heading -> line of its section.
    seen_entities: HashMap<&'t str, usize>,
    /// Entity id -> index of the first entity with it in `entities`.
    entity_ids: HashMap<String, usize>,
    /// Per entity of `entities`, the label and line of each action section, modelled or not
    /// (one without its curl example is not), for comparing with the summary.
    sections: Vec<Vec<(String, usize)>>,
    /// The current entity's action names -> the heading (label and line) that sent it first.
    action_names: HashMap<String, (String, usize)>,
    /// The action being read.
    draft: Option<Draft<'t>>,
    /// The execute endpoint of the first curl example, and where that is.
    endpoint: Option<(Endpoint, usize)>,
    trailing: Option<Trailing>,
    /// Level of entity headings: 2, or 3 in older documents.
    entity_level: u8,
    replication: Option<Replication>,
    replication_prose: Vec<String>,
}

impl Walk<'_> {
    fn new() -> Self {
        Walk {
            title: None,
            summary: Vec::new(),
            summary_table: false,
            summary_names: HashMap::default(),
            in_summary: false,
            entities: Vec::new(),
            seen_entities: HashMap::default(),
            entity_ids: HashMap::default(),
            sections: Vec::new(),
            action_names: HashMap::default(),
            draft: None,
            endpoint: None,
            trailing: None,
            entity_level: 2,
            replication: None,
            replication_prose: Vec::new(),
        }
    }

    /// Whether `h` is the `Example` heading of Replication Configuration; the example's code,
    /// labels and text are skipped.
    fn replication_example(&mut self, h: Heading<'_>) -> bool {
        if self.trailing == Some(Trailing::Replication) && h.text == "Example" {
            self.trailing = Some(Trailing::Example);
            return true;
        }
        false
    }
}

/// A heading below the title: its level, text and line, and its byte range.
#[derive(Debug, Clone, Copy)]
struct Heading<'t> {
    level: u8,
    text: &'t str,
    line: usize,
    start: usize,
    len: usize,
}

const LABELS: &[(&str, ActionKind)] = &[
    ("List", ActionKind::List),
    ("Get", ActionKind::Get),
    ("Create", ActionKind::Create),
    ("Update", ActionKind::Update),
    ("Delete", ActionKind::Delete),
    ("Download", ActionKind::Download),
    ("API Search", ActionKind::ApiSearch),
    ("Api_search", ActionKind::ApiSearch),
    ("Context Store Search", ActionKind::Search),
    ("Search", ActionKind::Search),
];

impl<'s, 'a> Parser<'s, 'a> {
    fn error(
        &mut self,
        code: &'static str,
        offset: usize,
        len: usize,
        msg: impl Into<String>,
        hint: &str,
    ) {
        let mut d = self.src.diag(Severity::Error, code, offset, len, msg);
        if !hint.is_empty() {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    fn warn(&mut self, code: &'static str, offset: usize, len: usize, msg: impl Into<String>) {
        self.diags
            .push(self.src.diag(Severity::Warning, code, offset, len, msg));
    }

    fn document(&mut self) -> Option<Connector> {
        if self.src.text.trim().is_empty() {
            self.error(
                "empty",
                0,
                0,
                "the document is empty",
                "a reference starts with `# <Name> full reference`",
            );
            return None;
        }
        let blocks = blocks::lex(self.src, &mut self.diags);
        let mut walk = Walk::new();
        for (index, block) in blocks.iter().enumerate() {
            self.block(&mut walk, block, &blocks[index + 1..]);
        }
        self.finish_document(walk)
    }

    /// One block, read according to where the walk is; `rest` are the blocks after it.
    fn block<'t>(&mut self, walk: &mut Walk<'t>, block: &'t Block<'t>, rest: &[Block<'_>]) {
        let start = block.range.start;
        let len = block.range.len();
        match &block.kind {
            BlockKind::Heading { level: 1, text, .. } => self.title(walk, text, start, len),
            BlockKind::Heading { text, .. }
                if text.eq_ignore_ascii_case("Supported entities and actions") =>
            {
                walk.in_summary = true;
            }
            BlockKind::Heading { level, text, line } => {
                let heading = Heading {
                    level: *level,
                    text,
                    line: *line,
                    start,
                    len,
                };
                self.heading(walk, heading, rest);
            }
            BlockKind::Label(text) => self.label(walk, text, start, len),
            BlockKind::Table(table) => self.table(walk, table, start),
            BlockKind::Fence { info, code, closed } => {
                self.fence(walk, info, code, *closed, start, len);
            }
            BlockKind::Html(html) => self.html(walk, html, start, len),
            BlockKind::Prose => self.prose(walk, start, len),
        }
    }

    /// The `# <Name> full reference` title; a document has one.
    fn title(&mut self, walk: &mut Walk<'_>, text: &str, start: usize, len: usize) {
        if walk.title.is_some() {
            self.error(
                "heading",
                start,
                len,
                "a second `#` title",
                "a document has one H1 title",
            );
        } else {
            let title = connector_title(text);
            let hint = "write `# <Name> full reference`, e.g. `# Intercom full reference`";
            if title.is_empty() {
                self.error(
                    "title",
                    start,
                    len,
                    if text.trim().is_empty() {
                        "the title is empty".to_string()
                    } else {
                        format!("the title `# {text}` names no connector")
                    },
                    hint,
                );
            } else if crate::names::package(title).is_none() {
                self.error(
                    "title",
                    start,
                    len,
                    format!("the title `{title}` has no letter or digit to name the crate and its client from"),
                    hint,
                );
            } else {
                self.name_length(title, start, len, "a title");
                self.name_chars(title, start, len, "title");
            }
            walk.title = Some(title.to_string());
        }
    }

    /// A heading below the title (other than the summary's), tried in this order: a sub-section
    /// of the current action, the replication section's `Example`, an action, an entity, a
    /// trailing H2 section. Inside a legacy section other headings are its own (authentication
    /// schemes); anywhere else they are errors.
    fn heading<'t>(&mut self, walk: &mut Walk<'t>, h: Heading<'t>, rest: &[Block<'_>]) {
        if self.sub_section_heading(walk, h)
            || walk.replication_example(h)
            || self.action_heading(walk, h)
            || self.entity_heading(walk, h, rest)
        {
            return;
        }
        if h.level == 2 {
            self.trailing_section(walk, h);
            return;
        }
        if matches!(walk.trailing, Some(Trailing::Legacy(_))) {
            return; // Authentication scheme headings.
        }
        self.error(
            "unexpected-heading",
            h.start,
            h.len,
            format!("unexpected heading `{}`", h.text),
            "expected an entity name, `<Entity> <Action>`, or a sub-section (Python SDK, API, Parameters, Searchable Fields, Records, Meta)",
        );
    }

    /// Whether `h` is a sub-section heading (Python SDK, API, Parameters, …) of the current
    /// action: a known name, deeper than the action headings.
    fn sub_section_heading(&mut self, walk: &mut Walk<'_>, h: Heading<'_>) -> bool {
        let Some(sub) = sub_section(h.text).filter(|_| h.level > walk.entity_level + 1) else {
            return false;
        };
        let Some(d) = walk.draft.as_mut() else {
            return false;
        };
        enter_sub(self, d, sub, h.start, h.len);
        true
    }

    /// Whether `h` is an action heading, `<current entity> <label>` deeper than the entity's
    /// heading and outside trailing sections. It finishes the previous action and starts a new
    /// one; a label of no known kind makes a generic action, with a warning naming the kind.
    fn action_heading<'t>(&mut self, walk: &mut Walk<'t>, h: Heading<'t>) -> bool {
        let Some(entity) = walk.entities.last() else {
            return false;
        };
        let Some(label) = h
            .text
            .strip_prefix(entity.name.as_str())
            .and_then(|r| r.strip_prefix(' '))
        else {
            return false;
        };
        if walk.trailing.is_some() || h.level <= walk.entity_level {
            return false;
        }
        self.finish_draft(walk, Some(h.start));
        self.name_length(label, h.start, h.len, "an action label");
        self.name_chars(label, h.start, h.len, "action label");
        if label_kind(label).is_none() {
            self.warn(
                "unknown-action",
                h.start,
                h.len,
                format!(
                    "`{}`: `{label}` is no known action kind (List, Get, Create, Update, Delete, Download, API Search, Search, Context Store Search); it becomes a generic action (typed params, the result as JSON)",
                    h.text
                ),
            );
        }
        if let Some(sections) = walk.sections.last_mut() {
            sections.push((label.to_string(), h.line));
        }
        walk.draft = Some(Draft::new(label, h.start, h.line));
        true
    }

    /// Whether `h` opens an entity section: its text is a summary entity, or (with a warning) an
    /// unlisted name at the entity level whose next heading is one of its actions. The level of
    /// entity headings follows the last one (H2 now, H3 in older documents).
    fn entity_heading<'t>(
        &mut self,
        walk: &mut Walk<'t>,
        h: Heading<'t>,
        rest: &[Block<'_>],
    ) -> bool {
        let listed = walk.summary_names.contains_key(h.text);
        let unlisted = !listed
            && walk.trailing.is_none()
            && h.level == walk.entity_level
            && starts_entity(rest, h.text, h.level);
        if unlisted {
            self.warn(
                "not-in-summary",
                h.start,
                h.len,
                format!(
                    "entity `{}` has a section but is not in the summary table",
                    h.text
                ),
            );
        }
        if !((listed || unlisted) && h.level >= 2) {
            return false;
        }
        self.finish_draft(walk, Some(h.start));
        walk.in_summary = false;
        walk.trailing = None;
        if unlisted {
            self.name_length(h.text, h.start, h.len, "an entity name");
            self.name_chars(h.text, h.start, h.len, "entity name");
        }
        if let Some(&prev_line) = walk.seen_entities.get(h.text) {
            self.error(
                "duplicate-entity",
                h.start,
                h.len,
                format!(
                    "entity `{}` already has a section at line {prev_line}",
                    h.text
                ),
                "merge the two sections",
            );
        }
        let id = entity_id(h.text);
        if let Some(other) = walk.entity_ids.get(&id).map(|&i| &walk.entities[i]) {
            if other.name != h.text {
                let other_line = walk.seen_entities.get(other.name.as_str()).copied();
                self.error(
                    "duplicate-entity",
                    h.start,
                    h.len,
                    format!(
                        "entity `{}` has the id `{id}` of entity `{}`{}: both would send `\"entity\": \"{id}\"`",
                        h.text,
                        other.name,
                        other_line.map(|l| format!(" (line {l})")).unwrap_or_default()
                    ),
                    "merge the two sections",
                );
            }
        }
        walk.seen_entities.insert(h.text, h.line);
        walk.entity_level = h.level;
        walk.entity_ids
            .entry(id.clone())
            .or_insert(walk.entities.len());
        walk.action_names.clear();
        walk.sections.push(Vec::new());
        walk.entities.push(Entity {
            name: h.text.to_string(),
            id,
            actions: Vec::new(),
        });
        true
    }

    /// An H2 that is neither the summary nor an entity: `Replication Configuration` (modelled),
    /// the older `Configuration` / `Authentication` (read, not modelled), or an error.
    fn trailing_section(&mut self, walk: &mut Walk<'_>, h: Heading<'_>) {
        self.finish_draft(walk, Some(h.start));
        walk.in_summary = false;
        match h.text {
            "Replication Configuration" => {
                walk.trailing = Some(Trailing::Replication);
                walk.replication = Some(Replication {
                    description: String::new(),
                    fields: Vec::new(),
                });
            }
            "Configuration" | "Authentication" => {
                walk.trailing = Some(Trailing::Legacy(h.text.to_string()));
            }
            _ => self.error(
                "unknown-section",
                h.start,
                h.len,
                format!(
                    "`## {}` is neither an entity of the summary table nor a known section",
                    h.text
                ),
                "entities must be listed in the `Supported entities and actions` table",
            ),
        }
    }

    /// A whole-line bold label: an older document's sub-section heading. Trailing sections have
    /// labels of their own (`**API**` in an example).
    fn label(&mut self, walk: &mut Walk<'_>, text: &str, start: usize, len: usize) {
        match (sub_section(text), walk.draft.as_mut()) {
            (Some(sub), Some(d)) => enter_sub(self, d, sub, start, len),
            _ if walk.trailing.is_some() => {}
            _ => self.error(
                "unexpected-label",
                start,
                len,
                format!("unexpected label `**{text}**`"),
                "sub-section labels are `**Python SDK**`, `**API**`, `**Parameters**`, `**Searchable Fields**`, `**Records**` and `**Meta**`",
            ),
        }
    }

    /// A table: the summary (the first one after its heading), a table of the current action, or
    /// one outside any action.
    fn table<'t>(&mut self, walk: &mut Walk<'t>, table: &'t Table<'t>, start: usize) {
        if walk.in_summary && !walk.summary_table {
            walk.summary_table = true;
            walk.summary = self.summary(table);
            walk.summary_names = walk
                .summary
                .iter()
                .enumerate()
                .map(|(i, e)| (e.name.clone(), i))
                .collect();
        } else if let Some(d) = walk.draft.as_mut() {
            self.action_table(d, table);
        } else {
            self.section_table(walk, table, start);
        }
    }

    /// A table outside any action: the Replication Configuration fields, a legacy section's
    /// table (its rows checked, then reported as not modelled), or a stray table.
    fn section_table(&mut self, walk: &mut Walk<'_>, table: &Table<'_>, start: usize) {
        match &walk.trailing {
            Some(Trailing::Replication) => {
                let fields = self.fields(table, Nesting::Params);
                if let Some(r) = walk.replication.as_mut() {
                    r.fields.extend(fields);
                }
            }
            Some(Trailing::Legacy(name)) => {
                let name = name.clone();
                // Validate the rows, then report that the section is not modelled.
                let _ = self.fields(table, Nesting::Flat);
                self.warn(
                    "legacy-section",
                    start,
                    table.header().len,
                    format!(
                        "`## {name}` table ({} rows) is valid but not part of the model",
                        table.rows().len()
                    ),
                );
            }
            _ => self.error(
                "stray-table",
                start,
                table.header().len,
                "table outside any action",
                "tables belong under an action's Parameters, Searchable Fields, Records or Meta",
            ),
        }
    }

    /// A code block: the current action's Python SDK example (noted) or API example (read as a
    /// curl command). Trailing sections have examples of their own; elsewhere code is an error.
    fn fence(
        &mut self,
        walk: &mut Walk<'_>,
        info: &str,
        code: &str,
        closed: bool,
        start: usize,
        len: usize,
    ) {
        if let Some(d) = walk.draft.as_mut() {
            match d.sub {
                Sub::Python => d.saw_python = true,
                Sub::Api if closed => d.curl = self.curl(code, start, info),
                Sub::Api => {}
                _ => self.error(
                    "stray-fence",
                    start,
                    len.min(80),
                    "code block outside the Python SDK and API sub-sections",
                    "code blocks go under `#### Python SDK` (python) or `#### API` (bash)",
                ),
            }
        } else if walk.trailing.is_none() {
            self.error(
                "stray-fence",
                start,
                len.min(80),
                "code block outside any action",
                "code blocks belong to an action, after its `### <Entity> <Action>` heading",
            );
        }
    }

    /// An HTML line: the `<details>`, `<summary>` and `</details>` that wrap an action's
    /// Response Schema. After `<summary>` a table without a heading is the search response.
    fn html(&mut self, walk: &mut Walk<'_>, html: &str, start: usize, len: usize) {
        let Some(d) = walk.draft.as_mut() else {
            self.error(
                "html",
                start,
                len,
                format!("unexpected HTML `{html}` outside an action"),
                "`<details>` and `<summary>` wrap an action's Response Schema",
            );
            return;
        };
        match html {
            "<details>" => match d.details {
                Some((open, _)) => {
                    let line = self.src.line(open);
                    self.error(
                        "html",
                        start,
                        len,
                        format!("`<details>` inside the `<details>` of line {line}"),
                        "close the Response Schema with `</details>` before opening another",
                    );
                }
                None => d.details = Some((start, len)),
            },
            s if s.starts_with("<summary>") => {
                if d.details.is_none() {
                    self.error(
                        "html",
                        start,
                        len,
                        "`<summary>` outside `<details>`",
                        "open the Response Schema with `<details>` first",
                    );
                }
                d.sub = Sub::Description; // a table here is the unlabelled search response
            }
            "</details>" => {
                if d.details.take().is_none() {
                    self.error(
                        "html",
                        start,
                        len,
                        "`</details>` without an open `<details>`",
                        "the Response Schema starts with a `<details>` line",
                    );
                }
            }
            other => self.error(
                "html",
                start,
                len,
                format!("unexpected HTML `{other}`"),
                "only `<details>`, `<summary>` and `</details>` lines are expected",
            ),
        }
    }

    /// A paragraph (the block at `start`, `len` bytes long), unescaped: inside an action, see
    /// [`Parser::action_prose`]; outside, see [`Parser::section_prose`].
    fn prose(&mut self, walk: &mut Walk<'_>, start: usize, len: usize) {
        let raw = tables::unescape(self.src.text[start..start + len].trim());
        if let Some(d) = walk.draft.as_mut() {
            self.action_prose(d, raw, start, len);
        } else {
            self.section_prose(walk, raw, start, len);
        }
    }

    /// Text of an action: its description (paragraphs before the Python SDK example) or the
    /// Download note (a `>` quote); any other text is stray.
    fn action_prose(&mut self, d: &mut Draft<'_>, raw: Cow<'_, str>, start: usize, len: usize) {
        if d.sub == Sub::Description && d.details.is_none() && !d.saw_python {
            d.description.push(raw.into_owned());
        } else if raw.starts_with('>') {
            // A note such as the Download one is prose; a quoted table row or a quote inside
            // a Records or Meta block would be a field nobody reads, so it is reported.
            let quoted_row = raw
                .lines()
                .any(|l| l.trim_start_matches(['>', ' ']).starts_with('|'));
            if quoted_row {
                self.error(
                    "quoted-row",
                    start,
                    len.min(80),
                    "a quoted table row: it would be no field or parameter",
                    "remove the `>` so that the row belongs to the table above it",
                );
            } else if d.details.is_some() {
                self.warn(
                    "quoted-text",
                    start,
                    len.min(80),
                    "quoted text inside a response schema is not read",
                );
            }
        } else {
            self.error(
                "stray-text",
                start,
                len.min(80),
                "text after an action's sub-sections",
                "descriptions come directly after the action heading",
            );
        }
    }

    /// Text outside actions: the Replication Configuration description (kept), the intro
    /// sentences of the document, its summary and legacy sections (skipped); text between an
    /// entity heading and its first action, or before the title, is stray.
    fn section_prose(&mut self, walk: &mut Walk<'_>, raw: Cow<'_, str>, start: usize, len: usize) {
        if walk.trailing == Some(Trailing::Replication) {
            walk.replication_prose.push(raw.into_owned());
        } else if walk.trailing.is_some() || walk.title.is_some() && walk.entities.is_empty() {
            // Intro sentences of the document, the summary and legacy sections.
        } else if let Some(e) = walk.entities.last() {
            let msg = format!("text between the `{}` heading and its first action", e.name);
            self.error(
                "stray-text",
                start,
                len.min(80),
                msg,
                "an entity heading is followed directly by its first `### <Entity> <Action>` heading",
            );
        } else {
            self.error(
                "stray-text",
                start,
                len.min(80),
                "text before the title",
                "a reference starts with `# <Name> full reference`",
            );
        }
    }

    /// Finishes the action being read, if any, into the current entity; `next` is the offset
    /// of the heading that ends it (`None`: the end of the document).
    fn finish_draft(&mut self, walk: &mut Walk<'_>, next: Option<usize>) {
        let Some(d) = walk.draft.take() else {
            return;
        };
        if let Some((offset, len)) = d.details {
            let until = match next {
                Some(at) => {
                    let heading = self.src.text[at..].lines().next().unwrap_or_default();
                    let heading: String = heading.chars().take(80).collect();
                    format!("before `{heading}` at line {}", self.src.line(at))
                }
                None => "before the end of the document".to_string(),
            };
            self.error(
                "unterminated-details",
                offset,
                len,
                format!("`<details>` is never closed: `</details>` expected {until}"),
                "close the Response Schema with a `</details>` line (is the document cut off?)",
            );
        }
        let Some(index) = walk.entities.len().checked_sub(1) else {
            return;
        };
        let e = &mut walk.entities[index];
        let old_id = e.id.clone();
        let curl_at = self.finish_action(d, e, &mut walk.endpoint, &mut walk.action_names);
        // The first action's curl body may have given the entity another id.
        if e.id != old_id {
            let new_id = e.id.clone();
            if walk.entity_ids.get(&old_id) == Some(&index) {
                walk.entity_ids.remove(&old_id);
            }
            match walk.entity_ids.get(&new_id) {
                Some(&other) if other != index => {
                    let (name, other_name) = (e.name.clone(), walk.entities[other].name.clone());
                    let line = walk.seen_entities.get(other_name.as_str()).copied();
                    self.error(
                        "duplicate-entity",
                        curl_at.unwrap_or(0),
                        0,
                        format!(
                            "the curl body gives entity `{name}` the id `{new_id}` of entity `{other_name}`{}: both would send `\"entity\": \"{new_id}\"`",
                            line.map(|l| format!(" (line {l})")).unwrap_or_default()
                        ),
                        "merge the two sections, or correct the curl body's `\"entity\"`",
                    );
                }
                _ => {
                    walk.entity_ids.insert(new_id, index);
                }
            }
        }
    }

    /// After the last block: the last action and the replication description are finished, and
    /// the summary compared with the sections.
    fn finish_document(&mut self, mut walk: Walk<'_>) -> Option<Connector> {
        self.finish_draft(&mut walk, None);
        if let Some(r) = walk.replication.as_mut() {
            r.description = walk.replication_prose.join("\n\n");
        }
        self.cross_check(&walk.summary, &walk.entities, &walk.sections);
        self.connector(walk)
    }

    /// The model, if the document has a title and an execute endpoint (reported only when
    /// nothing else is); a missing summary table is reported too.
    fn connector(&mut self, walk: Walk<'_>) -> Option<Connector> {
        let Some(title) = walk.title else {
            self.error(
                "title",
                0,
                0,
                "the document has no `# <Name> full reference` title",
                "a reference starts with `# <Name> full reference`",
            );
            return None;
        };
        if !walk.summary_table {
            self.error(
                "summary",
                0,
                0,
                "no `Supported entities and actions` table found",
                "the summary table has the header `| Entity | Actions |`",
            );
        }
        let Some((endpoint, _)) = walk.endpoint else {
            if !self.diags.iter().any(|d| d.severity == Severity::Error) {
                self.error(
                    "endpoint",
                    0,
                    0,
                    "no action has a curl example naming the execute endpoint",
                    "each action has `#### API` with `curl --location 'https://…/{your_…_id}/execute'`",
                );
            }
            return None;
        };
        Some(Connector {
            name: title.to_ascii_lowercase().replace(' ', "-"),
            title,
            endpoint,
            entities: walk.entities,
            replication: walk.replication,
        })
    }

    fn summary(&mut self, table: &Table<'_>) -> Vec<SummaryEntity> {
        let cols: Vec<&str> = table.header().cells.iter().map(|c| &*c.text).collect();
        let hint = "expected `| Entity | Actions |`";
        if cols != ["Entity", "Actions"] {
            self.error(
                "table-columns",
                table.header().offset,
                table.header().len,
                format!(
                    "summary table has columns {cols:?}{}",
                    separator_note(table)
                ),
                hint,
            );
            return Vec::new();
        }
        if !self.separator_matches(table, hint) {
            return Vec::new();
        }
        let mut out: Vec<SummaryEntity> = Vec::new();
        let mut names = HashSet::default();
        for row in table.rows() {
            if row.cells.len() != 2 {
                self.error(
                    "table-columns",
                    row.offset,
                    row.len,
                    format!("summary row has {} cells, expected 2", row.cells.len()),
                    "a summary row is `| <Entity> | [Label](#anchor), … |`",
                );
                continue;
            }
            let name = row.cells[0].text.to_string();
            if name.is_empty() {
                self.error(
                    "summary",
                    row.offset,
                    row.len,
                    "summary row without an entity name",
                    "a summary row is `| <Entity> | [Label](#anchor), … |`",
                );
                continue;
            }
            self.name_length(
                &name,
                row.cells[0].offset,
                row.cells[0].len,
                "an entity name",
            );
            self.name_chars(&name, row.cells[0].offset, row.cells[0].len, "entity name");
            if !names.insert(name.clone()) {
                self.error(
                    "duplicate-entity",
                    row.cells[0].offset,
                    row.cells[0].len,
                    format!("entity `{name}` is listed twice in the summary"),
                    "list each entity once, with all its actions in one row",
                );
                continue;
            }
            let actions = self.summary_links(&row.cells[1]);
            out.push(SummaryEntity {
                name,
                actions,
                offset: row.offset,
            });
        }
        out
    }

    /// `[List](#contacts-list), [Get](#contacts-get)` or plain `List, Get`.
    fn summary_links(&mut self, cell: &Cell<'_>) -> Vec<SummaryAction> {
        let mut out = Vec::new();
        let mut rest: &str = &cell.text;
        let mut pos = cell.offset;
        while !rest.trim().is_empty() {
            let item_end = find_link_end(rest).unwrap_or(rest.len());
            let item = rest[..item_end].trim();
            let at = pos + (item_end - rest[..item_end].trim_start().len());
            // A link is the whole item: text after its `)` (`<br>[Get](#get)`, `; [Get](#get)`)
            // would be another action read as nothing.
            let label = match item.strip_prefix('[').and_then(|r| r.split_once("](")) {
                Some((label, anchor))
                    if anchor
                        .strip_suffix(')')
                        .is_some_and(|a| !a.contains([')', '[', ']'])) =>
                {
                    label.to_string()
                }
                Some(_) | None if item.contains('[') || item.contains(']') => {
                    self.error(
                        "summary",
                        at,
                        item.len(),
                        format!("cannot read the action link `{item}`"),
                        "expected `[Label](#anchor)` links separated by commas",
                    );
                    String::new()
                }
                _ => item.to_string(),
            };
            if !label.is_empty() {
                out.push(SummaryAction { label, offset: at });
            }
            let consumed = (item_end + 1).min(rest.len());
            pos += consumed;
            rest = &rest[consumed..];
        }
        out
    }

    fn action_table<'t>(&mut self, d: &mut Draft<'t>, table: &'t Table<'t>) {
        let slot = match (d.sub, d.details.is_some()) {
            (Sub::Parameters, false) => &mut d.params,
            (Sub::Searchable, false) => &mut d.searchable,
            (Sub::Records, true) => &mut d.records,
            (Sub::Meta, true) => &mut d.meta,
            (Sub::Description, true) => &mut d.search_response,
            _ => {
                self.error("stray-table", table.header().offset, table.header().len, "table in an unexpected place", "tables go under Parameters, Searchable Fields, or inside `<details>` under Records or Meta");
                return;
            }
        };
        if slot.is_some() {
            self.error(
                "duplicate-table",
                table.header().offset,
                table.header().len,
                "a second table in the same sub-section",
                "a sub-section holds one table: merge the rows, or add the missing sub-section heading",
            );
            return;
        }
        *slot = Some(table);
    }

    /// Turns a finished action section into an [`Action`] of `entity`: the first action's curl
    /// fixes the document's execute endpoint, later ones must agree with it.
    /// Returns the offset of the curl body's `"entity"`, when it names one.
    fn finish_action(
        &mut self,
        d: Draft<'_>,
        entity: &mut Entity,
        endpoint: &mut Option<(Endpoint, usize)>,
        action_names: &mut HashMap<String, (String, usize)>,
    ) -> Option<usize> {
        let base_kind = label_kind(&d.label).unwrap_or(ActionKind::Other);
        let heading_len = self.src.text[d.offset..].find('\n').unwrap_or(0);
        self.require_tables(&d);
        if !d.saw_python {
            self.warn(
                "missing-python",
                d.offset,
                heading_len,
                format!("`{} {}` has no Python SDK example", entity.name, d.label),
            );
        }
        let Some(curl) = &d.curl else {
            self.error(
                "missing-api",
                d.offset,
                heading_len,
                format!("`{} {}` has no API (curl) example", entity.name, d.label),
                "each action has `#### API` with a bash curl block",
            );
            return None;
        };
        self.agree_on_endpoint(curl, endpoint);
        let name = self.action_name(&d, curl, &entity.name);
        self.agree_on_entity_id(curl, entity);
        let params = match &d.params {
            Some(t) => self.fields(t, Nesting::Params),
            None => Vec::new(),
        };
        let kind = action_kind(base_kind, &d);
        let response = if kind == ActionKind::Search {
            self.search_response(&d, &params, heading_len)
        } else {
            self.records_response(&d)
        };
        self.warn_duplicate_action(action_names, &entity.name, &d, &name, heading_len);
        entity.actions.push(Action {
            kind,
            label: d.label,
            name,
            description: d.description.join("\n\n"),
            params,
            response,
            line: d.line,
        });
        curl.entity.as_ref().map(|(_, at)| *at)
    }

    /// The action's name on the wire. A known label fixes it (`Get` sends `get`, `Context
    /// Store Search` sends `context_store_search`) along with the action's shape, so the curl
    /// body, an example, must say the same: where it says another, the label wins and the
    /// warning `action-name` names both. A generic action's label only guesses its name, so
    /// its curl body decides (a name, not empty, without spaces around it); without a body,
    /// the label lower-cased with spaces turned into `_`.
    fn action_name(&mut self, d: &Draft<'_>, curl: &Curl, entity: &str) -> String {
        let derived = d.label.to_ascii_lowercase().replace(' ', "_");
        let Some((said, at)) = &curl.action else {
            return derived;
        };
        if label_kind(&d.label).is_none() {
            if self.wire_name(said, *at, "action") {
                return said.clone();
            }
            return derived;
        }
        if *said != derived {
            let d = self
                .src
                .diag(
                    Severity::Warning,
                    "action-name",
                    *at,
                    said.len() + 2,
                    format!(
                        "`{entity} {}` is a `{derived}` action, but its curl body says `\"action\": \"{said}\"`; `{derived}` is sent",
                        d.label
                    ),
                )
                .with_hint(format!(
                    "correct the curl body, or the heading if this section documents `{said}`"
                ));
            self.diags.push(d);
        }
        derived
    }

    /// Whether a curl body's `"entity"` or `"action"` value (`what`, its string at `at`) can
    /// be a name on the wire: not empty, no spaces around it, at most [`MAX_NAME`] characters.
    fn wire_name(&mut self, value: &str, at: usize, what: &str) -> bool {
        let problem = if value.trim().is_empty() {
            "is empty"
        } else if value.trim() != value {
            "has spaces around it"
        } else {
            let what = format!("curl `\"{what}\"`");
            return self.name_length(value, at, value.len() + 2, &format!("a {what}"))
                && self.name_chars(value, at, value.len() + 2, &what);
        };
        self.error(
            "curl",
            at,
            value.len() + 2,
            format!("the curl body's `\"{what}\"` {problem}"),
            &format!(
                "write the {what} name exactly as the API expects it, e.g. `\"{what}\": \"{}\"`",
                if what == "entity" { "contacts" } else { "list" }
            ),
        );
        false
    }

    /// Whether `name` (what it is: `entity name`, ...) has no hidden character: a control
    /// character (a line break, a tab) or an invisible formatting one (a zero-width space, a
    /// byte order mark, a direction mark), which would name things, and be sent, unseen. If
    /// it has, a `name-chars` error at `offset`.
    fn name_chars(&mut self, name: &str, offset: usize, len: usize, what: &str) -> bool {
        // Nearly every name is ASCII, where only control characters hide.
        let hidden = if name.is_ascii() {
            name.bytes().find(u8::is_ascii_control).map(char::from)
        } else {
            name.chars().find(|&c| is_hidden(c))
        };
        let Some(c) = hidden else {
            return true;
        };
        let shown: String = name.chars().take(60).collect();
        self.error(
            "name-chars",
            offset,
            len.min(80),
            format!(
                "{what} `{}` holds the hidden character U+{:04X}",
                shown.escape_debug(),
                u32::from(c)
            ),
            "retype the name: a character nobody sees would be part of it on the wire",
        );
        false
    }

    /// Whether `name` (what it is: `an entity name`, ...) is at most [`MAX_NAME`] characters
    /// long; if not, an error at `offset`.
    fn name_length(&mut self, name: &str, offset: usize, len: usize, what: &str) -> bool {
        // No longer in characters than in bytes: most names need no count.
        if name.len() <= MAX_NAME {
            return true;
        }
        let chars = name.chars().count();
        if chars <= MAX_NAME {
            return true;
        }
        let shown: String = name.chars().take(40).collect();
        self.error(
            "name-length",
            offset,
            len.min(80),
            format!("{what} of {chars} characters (`{shown}…`); at most {MAX_NAME} are supported"),
            "shorten the name: the Rust names and file names generated from it must stay within file system limits",
        );
        false
    }

    /// Each Parameters, Searchable Fields, Records or Meta heading of the action is followed by
    /// its table.
    fn require_tables(&mut self, d: &Draft<'_>) {
        for &(sub, offset, len) in &d.headings {
            let table = match sub {
                Sub::Parameters => &d.params,
                Sub::Searchable => &d.searchable,
                Sub::Records => &d.records,
                Sub::Meta => &d.meta,
                _ => continue,
            };
            if table.is_none() {
                self.error(
                    "missing-table",
                    offset,
                    len,
                    format!(
                        "`{}` is not followed by a table",
                        self.src.text[offset..offset + len].trim()
                    ),
                    "a Parameters, Searchable Fields, Records or Meta heading is followed by its table; remove the heading if there is none",
                );
            }
        }
    }

    /// The first curl example fixes the document's execute endpoint; every later one must name
    /// the same.
    fn agree_on_endpoint(&mut self, curl: &Curl, endpoint: &mut Option<(Endpoint, usize)>) {
        match endpoint {
            None => *endpoint = Some((curl.endpoint.clone(), curl.offset)),
            Some((e, first)) if *e != curl.endpoint => {
                let line = self.src.line(*first);
                self.error(
                    "endpoint",
                    curl.offset,
                    0,
                    format!("execute URL differs from the one at line {line}"),
                    "a document uses one execute endpoint",
                );
            }
            Some(_) => {}
        }
    }

    /// The `"entity"` of the curl body is the entity's id: the entity's first action may
    /// replace the id derived from the display name; later actions must name the same.
    fn agree_on_entity_id(&mut self, curl: &Curl, entity: &mut Entity) {
        let Some((id, at)) = &curl.entity else {
            return;
        };
        if *id == entity.id || !self.wire_name(id, *at, "entity") {
            return;
        }
        if entity.actions.is_empty() {
            entity.id = id.clone();
        } else {
            self.error(
                "entity-id",
                *at,
                id.len() + 2,
                format!("curl names entity `{id}`, earlier actions `{}`", entity.id),
                "every action of an entity names the same `\"entity\"` in its curl body",
            );
        }
    }

    /// A context-store search's response: the operators named by the `query` parameter, the
    /// Searchable Fields, and the response table, which must be a search envelope.
    fn search_response(
        &mut self,
        d: &Draft<'_>,
        params: &[Field],
        heading_len: usize,
    ) -> Option<Response> {
        let operators = params
            .iter()
            .find(|p| p.name == "query")
            .map(|q| operators(&q.description))
            .unwrap_or_default();
        let fields = d
            .searchable
            .as_ref()
            .map(|t| self.fields(t, Nesting::Flat))
            .unwrap_or_default();
        let Some(t) = d.search_response else {
            self.error(
                "search-envelope",
                d.offset,
                heading_len,
                "search action without a response table",
                "add the Response Schema `<details>` with its response table after Searchable Fields",
            );
            return None;
        };
        let response = self.fields(t, Nesting::Response);
        let Some(envelope) = search_envelope(&response) else {
            self.error(
                "search-envelope",
                t.header().offset,
                t.header().len,
                "search response is neither `hits[]` nor `data[]` + `meta`",
                "a Context Store Search response has `data[]` and `meta` rows (or the older `hits[]`)",
            );
            return None;
        };
        Some(Response::Search(Search {
            operators,
            fields,
            envelope,
            response,
        }))
    }

    /// The response of any action but a context-store search: its Records and Meta tables, if
    /// it has either. Searchable Fields or an unlabelled response table are stray here.
    fn records_response(&mut self, d: &Draft<'_>) -> Option<Response> {
        if let Some(t) = &d.search_response {
            self.error(
                "stray-table",
                t.header().offset,
                t.header().len,
                "unlabelled response table outside a search",
                "label it `#### Records`",
            );
        }
        if let Some(t) = &d.searchable {
            self.error(
                "stray-table",
                t.header().offset,
                t.header().len,
                "Searchable Fields outside a search action",
                "only a Context Store Search has Searchable Fields",
            );
        }
        let records = d
            .records
            .as_ref()
            .map(|t| self.fields(t, Nesting::Response))
            .unwrap_or_default();
        let meta = d
            .meta
            .as_ref()
            .map(|t| self.fields(t, Nesting::Response))
            .unwrap_or_default();
        (d.records.is_some() || d.meta.is_some()).then_some(Response::Records { records, meta })
    }

    /// The same action name twice in one entity: both are kept, with a warning at the second
    /// naming the first (`names`: the entity's action names so far, each with the label and
    /// line of the heading that sent it first).
    fn warn_duplicate_action(
        &mut self,
        names: &mut HashMap<String, (String, usize)>,
        entity: &str,
        d: &Draft<'_>,
        name: &str,
        heading_len: usize,
    ) {
        let Some((label, line)) = names.get(name) else {
            names.insert(name.to_string(), (d.label.clone(), d.line));
            return;
        };
        let diag = self
            .src
            .diag(
                Severity::Warning,
                "duplicate-action",
                d.offset,
                heading_len,
                format!(
                    "`{entity} {}` sends action `{name}`, as `{entity} {label}` at line {line} does; both are kept",
                    d.label
                ),
            )
            .with_hint("remove the copy, or give the two sections different actions");
        self.diags.push(diag);
    }

    /// An API example: its fence should be `bash`; the code is a curl command naming the
    /// execute URL and, in its `--data` body, the entity and action.
    fn curl(&mut self, code: &str, fence_offset: usize, info: &str) -> Option<Curl> {
        if info != "bash" {
            self.warn(
                "fence-info",
                fence_offset,
                3 + info.len(),
                format!("API example fence is `{info}`, expected `bash`"),
            );
        }
        // The code starts on the line after the fence's opening line.
        let code_offset = fence_offset
            + self.src.text[fence_offset..]
                .find('\n')
                .map_or(0, |i| i + 1);
        let endpoint = self.execute_url(code, code_offset)?;
        let body = self.curl_body(code, code_offset);
        let locate = |key: &str| {
            let at =
                member_value(code, key).map_or(0, |i| self.code_position(code, code_offset, i));
            at.max(code_offset)
        };
        Some(Curl {
            endpoint,
            entity: body.entity.map(|v| (v, locate("entity"))),
            action: body.action.map(|v| (v, locate("action"))),
            offset: code_offset,
        })
    }

    /// The source offset of byte `i` of a fence's `code`, which starts at `code_offset`: the
    /// same line of the fence and the same column, within that line.
    fn code_position(&self, code: &str, code_offset: usize, i: usize) -> usize {
        let i = i.min(code.len());
        let line = code[..i].matches('\n').count();
        let col = i - code[..i].rfind('\n').map_or(0, |n| n + 1);
        let text = self.src.text;
        let start = code_offset + nth_line_offset(&text[code_offset..], line);
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        let mut at = (start + col).min(line_end);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    /// The first quoted `'http…'` URL of a curl command (code at `code_offset`), read as the
    /// execute endpoint.
    fn execute_url(&mut self, code: &str, code_offset: usize) -> Option<Endpoint> {
        let Some(url) = code
            .find("'http")
            .and_then(|i| code[i + 1..].find('\'').map(|j| &code[i + 1..i + 1 + j]))
        else {
            self.error(
                "curl",
                code_offset,
                0,
                "no quoted execute URL in the curl example",
                "expected `curl --location 'https://…/execute'`",
            );
            return None;
        };
        let Some(endpoint) = split_url(url) else {
            self.error(
                "curl",
                code_offset,
                url.len(),
                format!("cannot read the execute URL `{url}`"),
                "expected `https://host/…/{your_…_id}/execute`",
            );
            return None;
        };
        Some(endpoint)
    }

    /// The `"entity"` and `"action"` of a curl command's `--data '…'` body (or `-d`,
    /// `--data-raw`, `--data-binary`; Python's `True`, `False` and `None` accepted); nothing
    /// when there is no body or it is not JSON (an error). A body that is no JSON object, or
    /// whose `"entity"` or `"action"` is no string, is an error too: the example says nothing
    /// then.
    fn curl_body(&mut self, code: &str, code_offset: usize) -> Json {
        let Some((data_start, flag)) = data_flag(code) else {
            return Json::default();
        };
        let body = &code[data_start + flag.len()..];
        let Some(close) = body.rfind('\'') else {
            let at = self.code_position(code, code_offset, data_start);
            self.error(
                "curl",
                at,
                flag.len(),
                format!("the curl `{flag}` body has no closing `'`"),
                "end the body with `'`, as in `--data '{\"entity\": \"contacts\", \"action\": \"list\"}'`",
            );
            return Json::default();
        };
        let body = &body[..close];
        let json = pythonic_to_json(body);
        // As `serde_json::from_str` does: the value, then nothing but whitespace.
        let mut de = serde_json::Deserializer::from_str(&json);
        let read = AnyJson { top: true }
            .deserialize(&mut de)
            .and_then(|body| de.end().map(|()| body));
        let body_at = self.code_position(code, code_offset, data_start);
        match read {
            Ok(body) if !body.object => {
                self.error(
                    "curl-json",
                    body_at,
                    flag.len(),
                    "the curl `--data` body is not a JSON object",
                    "the body is `{\"entity\": …, \"action\": …, \"params\": {…}}`",
                );
                Json::default()
            }
            Ok(mut body) => {
                for key in std::mem::take(&mut body.not_strings) {
                    // At the member's key: its value is no string to point at.
                    let at = code
                        .match_indices(&format!("\"{key}\""))
                        .filter(|(i, k)| code[i + k.len()..].trim_start().starts_with(':'))
                        .last()
                        .map_or(body_at, |(i, _)| self.code_position(code, code_offset, i));
                    self.error(
                        "curl",
                        at,
                        0,
                        format!("the curl body's `\"{key}\"` is not a string"),
                        "the entity and the action are sent as strings, e.g. `\"entity\": \"contacts\"`",
                    );
                }
                body
            }
            Err(e) => {
                let before: usize = code[..data_start + flag.len()]
                    .lines()
                    .count()
                    .saturating_sub(1);
                let line_offset =
                    nth_line_offset(&self.src.text[code_offset..], before + e.line() - 1);
                self.error(
                    "curl-json",
                    code_offset + line_offset,
                    0,
                    format!("the curl `--data` body is not JSON: {e}"),
                    "the `--data '…'` body is JSON; Python's `True`, `False` and `None` are accepted",
                );
                Json::default()
            }
        }
    }

    /// A type cell's type, whether it admits `null`, and the members it repeats; parsed once
    /// per distinct text.
    fn cell_type(&mut self, text: &str) -> Result<(Type, bool, Vec<String>), TypeError> {
        if let Some(known) = self.types.get(text) {
            return Ok(known.clone());
        }
        let mut repeated = Vec::new();
        let (ty, nullable) = Type::parse_cell_noting(text, &mut repeated)?;
        let parsed = (ty, nullable, repeated);
        self.types.insert(text.to_string(), parsed.clone());
        Ok(parsed)
    }

    /// Reads a fields or parameters table into (possibly nested) fields.
    fn fields(&mut self, table: &Table<'_>, nesting: Nesting) -> Vec<Field> {
        let hint = "expected `| Field Name | Type | Description |` or `| Parameter Name | Type | Required | Description |`";
        let cols = match Columns::of(&table.header()) {
            Ok(c) => c,
            Err(msg) => {
                let msg = format!("{msg}{}", separator_note(table));
                self.error(
                    "table-columns",
                    table.header().offset,
                    table.header().len,
                    msg,
                    hint,
                );
                return Vec::new();
            }
        };
        if !self.separator_matches(table, hint) {
            return Vec::new();
        }
        let width = table.header().cells.len();
        let mut nodes = Nodes::with_capacity(table.rows().len());
        for row in table.rows() {
            if let Some((path, field)) = self.row(row, &cols, width) {
                self.nest(&mut nodes, path, field, (row.offset, row.len), nesting);
            }
        }
        nodes.tree()
    }

    /// Whether a table's separator row has a cell per header column; if not, a `table-columns`
    /// error at the header. It names what the rows agree with: columns of the header that the
    /// separator and the rows lack (unexpected columns), or the cells the separator lacks or
    /// has too many (rows as wide as the header), or the header's missing column names. The
    /// rows of such a table are not read.
    fn separator_matches(&mut self, table: &Table<'_>, hint: &str) -> bool {
        let header = table.header();
        let (width, separator) = (header.cells.len(), table.separator_width());
        if width == separator {
            return true;
        }
        let rows_as = |n: usize| table.rows().len() > 0 && table.rows().all(|r| r.cells.len() == n);
        let columns = |cells: &[Cell<'_>]| {
            cells
                .iter()
                .map(|c| format!("`{}`", c.text))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (at, at_len) = table.separator_span();
        let dashes = format!(
            "a separator row of {width} cells like `|{}`",
            "---|".repeat(width.min(8))
        );
        let (offset, len, msg, hint) = match (width > separator, rows_as(width), rows_as(separator)) {
            (true, false, _) => (
                header.offset,
                header.len,
                format!(
                    "unexpected column {}: the header has {width} columns, the separator row {separator} cells",
                    columns(&header.cells[separator..])
                ),
                hint.to_string(),
            ),
            (true, true, _) => (
                at,
                at_len,
                format!(
                    "the separator row has {separator} cells, the header and the rows {width}: column {} has no separator cell",
                    columns(&header.cells[separator..])
                ),
                dashes,
            ),
            (false, _, true) => (
                header.offset,
                header.len,
                format!(
                    "the header has {width} columns, the separator row and the rows {separator} cells: {} column name(s) missing",
                    separator - width
                ),
                hint.to_string(),
            ),
            (false, _, false) => (
                at,
                at_len,
                format!(
                    "the separator row has {separator} cells, the header {width} columns: {} cell(s) too many",
                    separator - width
                ),
                dashes,
            ),
        };
        self.error("table-columns", offset, len, msg, &hint);
        false
    }

    /// One row's path as written and its field, named in [`Parser::nest`].
    fn row<'t>(&mut self, row: Row<'t>, cols: &Columns, width: usize) -> Option<(&'t str, Field)> {
        let rejoined = self.description_pipes(&row, cols, width);
        if rejoined.is_none() && !self.row_width(&row, width) {
            return None;
        }
        let path = self.field_path(&row.cells[cols.name])?;
        let (ty, nullable) = self.field_type(&row.cells[cols.ty])?;
        let required = match cols.required {
            None => None,
            Some(i) => self.required(&row.cells[i])?,
        };
        let default = cols
            .default
            .map(|i| &row.cells[i].text)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string());
        let description = rejoined.unwrap_or_else(|| {
            cols.description
                .map(|i| row.cells[i].text.to_string())
                .unwrap_or_default()
        });
        let field = Field {
            name: String::new(),
            ty,
            nullable,
            required,
            default,
            description,
            fields: Vec::new(),
            line: row.line,
        };
        Some((path, field))
    }

    /// A one-line row with more cells than the header whose last column is the Description:
    /// the surplus can only be unescaped `|` in the description (every other column is one
    /// code span or `Yes`/`No`), so the description is re-joined with `|` and a located
    /// `description-pipe` warning points at the first surplus `|`. `None` otherwise (the row
    /// is then checked by [`Self::row_width`]).
    fn description_pipes(&mut self, row: &Row<'_>, cols: &Columns, width: usize) -> Option<String> {
        let last = width.checked_sub(1)?;
        if row.cells.len() <= width || cols.description != Some(last) {
            return None;
        }
        let raw = &self.src.text[row.offset..row.offset + row.len];
        if raw.contains('\n') || cols.default.is_some() {
            return None;
        }
        // Unambiguous only when every cell before the Description is whole: the name and the
        // type one code span each, Required `Yes`/`No`/empty.
        let one_span = |c: &Cell<'_>| {
            let t = c.text.trim();
            t.len() >= 2 && t.starts_with('`') && t.ends_with('`')
        };
        let required_ok = cols
            .required
            .is_none_or(|i| matches!(row.cells[i].text.trim(), "Yes" | "No" | ""));
        if !one_span(&row.cells[cols.name]) || !one_span(&row.cells[cols.ty]) || !required_ok {
            return None;
        }
        let first = &row.cells[last];
        let pipe =
            first.offset + first.len + self.src.text[first.offset + first.len..].find('|')?;
        let parts: Vec<&str> = row.cells[last..].iter().map(|c| c.text.as_ref()).collect();
        let text = parts.join(" | ").trim().to_string();
        let d = self
            .src
            .diag(
                Severity::Warning,
                "description-pipe",
                pipe,
                1,
                format!(
                    "row has {} cells, the header has {width}: the surplus `|` are read as part of the description",
                    row.cells.len()
                ),
            )
            .with_hint("a `|` in a description should be escaped as `\\|`");
        self.diags.push(d);
        Some(text)
    }

    /// Whether a row has as many cells as the header; if not, the hint names the likelier cause:
    /// a multi-line row whose first line lacks its closing `|`, or an unescaped `|`.
    fn row_width(&mut self, row: &Row<'_>, width: usize) -> bool {
        if row.cells.len() == width {
            return true;
        }
        let raw = &self.src.text[row.offset..row.offset + row.len];
        let hint = match raw.find('\n') {
            // A row runs on until a line ends with `|`: most likely its first line lacks one.
            Some(_) if row.cells.len() > width => format!(
                "line {} does not end with `|`, so the row runs on to line {}; end every row with ` |`",
                self.src.line(row.offset),
                self.src.line(row.offset + raw.trim_end().len()),
            ),
            _ => "escape a `|` inside a cell as `\\|`".to_string(),
        };
        self.error(
            "table-columns",
            row.offset,
            row.len,
            format!("row has {} cells, the header has {width}", row.cells.len()),
            &hint,
        );
        false
    }

    /// A name cell's path: one non-empty code span. Spaces around it are not part of it
    /// (Markdown shows `` ` count ` `` as `count`): they are dropped with a `field-name`
    /// warning. A hidden character (see [`Parser::name_chars`]) or more than [`MAX_NAME`]
    /// characters are errors.
    fn field_path<'t>(&mut self, cell: &'t Cell<'t>) -> Option<&'t str> {
        let Some(path) = code_span(&cell.text) else {
            self.error(
                "field-name",
                cell.offset,
                cell.len,
                format!("field name `{}` is not a code span", cell.text),
                "write names as `` `name` ``",
            );
            return None;
        };
        if path.trim().is_empty() {
            self.error(
                "field-name",
                cell.offset,
                cell.len,
                "empty field name",
                "write names as `` `name` ``",
            );
            return None;
        }
        let trimmed = path.trim();
        if trimmed != path {
            let d = self
                .src
                .diag(
                    Severity::Warning,
                    "field-name",
                    cell.offset,
                    cell.len,
                    format!("field name `` `{path}` `` has spaces around it; read as `{trimmed}`"),
                )
                .with_hint(format!("write it as `` `{trimmed}` ``"));
            self.diags.push(d);
        }
        let path = trimmed;
        if !self.name_length(path, cell.offset, cell.len, "a field name")
            || !self.name_chars(path, cell.offset, cell.len, "field name")
        {
            return None;
        }
        let depth = path.matches('.').count() + 1;
        if depth > MAX_DEPTH {
            self.error(
                "nesting",
                cell.offset,
                cell.len,
                format!("field `{path}` is nested {depth} levels deep; at most {MAX_DEPTH} are supported"),
                "see docs/FORMAT.md#nesting",
            );
            return None;
        }
        Some(path)
    }

    /// A Type cell's type and nullability (the cell is a code span, or bare text).
    fn field_type(&mut self, cell: &Cell<'_>) -> Option<(Type, bool)> {
        let text = code_span(&cell.text).unwrap_or(&cell.text);
        match self.cell_type(text) {
            Ok((ty, nullable, repeated)) => {
                if !repeated.is_empty() {
                    let listed: Vec<String> = repeated.iter().map(|m| format!("`{m}`")).collect();
                    self.warn(
                        "type-repeated",
                        cell.offset,
                        cell.len,
                        format!(
                            "`{text}` lists {} again; the type has each member once",
                            listed.join(", ")
                        ),
                    );
                }
                Some((ty, nullable))
            }
            Err(e) => {
                self.error(
                    "unknown-type",
                    cell.offset,
                    cell.len,
                    e.message,
                    "see docs/FORMAT.md#types for the type grammar",
                );
                None
            }
        }
    }

    /// A Required cell: `Yes`, `No`, or empty (unknown); anything else is an error (`None`).
    fn required(&mut self, cell: &Cell<'_>) -> Option<Option<bool>> {
        match &*cell.text {
            "Yes" => Some(Some(true)),
            "No" => Some(Some(false)),
            "" => Some(None),
            other => {
                self.error(
                    "required",
                    cell.offset,
                    cell.len.max(1),
                    format!("Required is `{other}`"),
                    "expected `Yes` or `No`",
                );
                None
            }
        }
    }

    /// Adds a row's field (the row at `offset`, `len` bytes long) to the field tree, below its
    /// parent among the rows before it (`docs/FORMAT.md#nesting`).
    fn nest<'p>(
        &mut self,
        nodes: &mut Nodes<'p>,
        path: &'p str,
        mut field: Field,
        (offset, len): (usize, usize),
        nesting: Nesting,
    ) {
        if self.repeated_row(nodes, path, &field, (offset, len)) {
            return;
        }
        // Where dots nest, a space beside one would end up in a member's name or leave the
        // row without its parent.
        if nesting != Nesting::Flat && path.split('.').any(|s| s.trim() != s) {
            self.error(
                "field-name",
                offset,
                len,
                format!("field path `{path}` has spaces beside a `.`"),
                "write a dotted path without spaces around its dots, e.g. `` `location.city` ``",
            );
            return;
        }
        let parent = match nesting {
            Nesting::Flat => None,
            _ => find_parent(path, &nodes.index, nesting),
        };
        match parent {
            Some((p, segment)) => {
                let parent = &mut nodes.fields[p];
                if !matches!(parent.ty, Type::Object | Type::Array(_) | Type::Loose(_)) {
                    self.error(
                        "nesting",
                        offset,
                        len,
                        format!("`{path}` is a member of a `{}`", parent.ty),
                        "only objects and arrays have members",
                    );
                    return;
                }
                // A `[]` child implies object elements, even under a bare `array`.
                if path[..path.len() - segment.len()].ends_with("[].") {
                    if let Type::Array(elem) = &mut parent.ty {
                        if **elem == Type::Any {
                            **elem = Type::Object;
                        }
                    }
                }
                field.name = segment.to_string();
                nodes.push(field, Some(p));
            }
            None => {
                // (`contains('.')` first: finding a string costs more than finding a character.)
                if nesting == Nesting::Response && path.contains('.') && path.contains("[].") {
                    self.warn(
                        "orphan-path",
                        offset,
                        len,
                        format!("`{path}` has no parent row; kept as a literal key"),
                    );
                }
                field.name = path.to_string();
                nodes.push(field, None);
            }
        }
        nodes.index.insert(path, nodes.fields.len() - 1);
    }

    /// Whether `path` already has a row: an identical repeat is kept once (a warning), a
    /// different one is an error.
    fn repeated_row(
        &mut self,
        nodes: &Nodes<'_>,
        path: &str,
        field: &Field,
        (offset, len): (usize, usize),
    ) -> bool {
        let Some(&i) = nodes.index.get(path) else {
            return false;
        };
        let existing = &nodes.fields[i];
        let same = existing.ty == field.ty
            && existing.nullable == field.nullable
            && existing.required == field.required
            && existing.description == field.description;
        let line = existing.line;
        if same {
            self.warn(
                "duplicate-row",
                offset,
                len,
                format!("`{path}` repeats the row at line {line}; kept once"),
            );
        } else {
            self.error(
                "duplicate-row",
                offset,
                len,
                format!("`{path}` is declared again, differently, after line {line}"),
                "remove one of the rows",
            );
        }
        true
    }

    /// Summary and sections must list the same actions: an entity or action of the summary
    /// without a section, and an action section the summary does not list, are warnings, each
    /// at its own row, link or heading. The `n`-th summary link of a label goes with the `n`-th
    /// section of that label.
    fn cross_check(
        &mut self,
        summary: &[SummaryEntity],
        entities: &[Entity],
        sections: &[Vec<(String, usize)>],
    ) {
        let mut by_name: HashMap<&str, &[(String, usize)]> = HashMap::default();
        for (e, actions) in entities.iter().zip(sections) {
            by_name.entry(e.name.as_str()).or_insert(actions);
        }
        for s in summary {
            let Some(actions) = by_name.get(s.name.as_str()).copied() else {
                self.warn(
                    "missing-section",
                    s.offset,
                    s.name.len(),
                    format!("entity `{}` is in the summary but has no section", s.name),
                );
                continue;
            };
            // Label -> how many sections have it, then how many of those are still unlisted.
            let mut unlisted: HashMap<&str, usize> = HashMap::default();
            for (label, _) in actions {
                *unlisted.entry(label.as_str()).or_default() += 1;
            }
            let mut listed: HashMap<&str, usize> = HashMap::default();
            for a in &s.actions {
                match unlisted.get_mut(a.label.as_str()) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        *listed.entry(a.label.as_str()).or_default() += 1;
                    }
                    _ => self.warn(
                        "missing-section",
                        a.offset,
                        a.label.len(),
                        format!(
                            "`{} {}` is in the summary but has no section",
                            s.name, a.label
                        ),
                    ),
                }
            }
            // The first sections of a label are the listed ones; the rest are not.
            for (label, line) in actions {
                match listed.get_mut(label.as_str()) {
                    Some(n) if *n > 0 => *n -= 1,
                    _ => {
                        let offset = self.src.line_offset(*line);
                        let len = self.src.text[offset..].find('\n').unwrap_or(0);
                        self.warn(
                            "not-in-summary",
                            offset,
                            len,
                            format!(
                                "`{} {label}` has a section but is not in the summary table",
                                s.name
                            ),
                        );
                    }
                }
            }
        }
    }
}

fn enter_sub(p: &mut Parser<'_, '_>, d: &mut Draft, sub: Sub, offset: usize, len: usize) {
    let inside = matches!(sub, Sub::Records | Sub::Meta);
    let misplaced = inside != d.details.is_some();
    if misplaced {
        let what = if inside { "outside" } else { "inside" };
        p.error(
            "sub-section",
            offset,
            len,
            format!("{sub:?} {what} the Response Schema `<details>`"),
            "Records and Meta go inside `<details>`; Python SDK, API, Parameters and Searchable Fields before it",
        );
    }
    if (sub as u8) < (d.sub as u8) && !(d.sub == Sub::Description) {
        p.error("sub-section-order", offset, len, format!("{sub:?} after {:?}", d.sub), "sub-sections come in the order Python SDK, API, Parameters, Searchable Fields, Records, Meta");
    }
    d.sub = sub;
    // A misplaced heading's table is reported as stray; do not also call it missing.
    if !misplaced {
        d.headings.push((sub, offset, len));
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nesting {
    /// Parameters: `a.b` nests under an earlier `a`; brackets are literal.
    Params,
    /// Records, Meta, search response: `a.b` and `a[].b` nest under an earlier `a`.
    Response,
    /// Searchable Fields: names are literal keys.
    Flat,
}

/// `; the separator row has N cells` when a table's separator row and header differ in
/// width, else nothing.
fn separator_note(table: &Table<'_>) -> String {
    let separator = table.separator_width();
    if separator == table.header().cells.len() {
        return String::new();
    }
    format!("; the separator row has {separator} cells")
}

/// The parent of `path` among the rows seen so far, and the child's segment name.
fn find_parent<'p>(
    path: &'p str,
    index: &HashMap<&str, usize>,
    nesting: Nesting,
) -> Option<(usize, &'p str)> {
    // From the last `.` back; paths are short, so a byte loop beats a searcher.
    let mut end = path.len();
    while let Some(i) = path.as_bytes()[..end].iter().rposition(|&b| b == b'.') {
        end = i;
        let prefix = &path[..i];
        let segment = &path[i + 1..];
        if segment.is_empty() {
            continue;
        }
        let key = match (nesting, prefix.strip_suffix("[]")) {
            (Nesting::Response, Some(array)) => array,
            _ => prefix,
        };
        if let Some(&parent) = index.get(key) {
            return Some((parent, segment));
        }
    }
    None
}

/// The fields of a table in table order, each with its parent's index; a parent comes before
/// its members.
struct Nodes<'p> {
    fields: Vec<Field>,
    parents: Vec<Option<usize>>,
    /// Full path as written -> index into `fields`.
    index: HashMap<&'p str, usize>,
}

impl<'p> Nodes<'p> {
    fn with_capacity(n: usize) -> Self {
        Nodes {
            fields: Vec::with_capacity(n),
            parents: Vec::with_capacity(n),
            index: HashMap::with_capacity_and_hasher(n, Default::default()),
        }
    }

    fn push(&mut self, field: Field, parent: Option<usize>) {
        self.fields.push(field);
        self.parents.push(parent);
    }

    /// The tree: top-level fields, members in table order.
    fn tree(self) -> Vec<Field> {
        let Nodes {
            mut fields,
            mut parents,
            ..
        } = self;
        if parents.iter().all(Option::is_none) {
            return fields;
        }
        let mut roots = Vec::with_capacity(fields.len());
        // From the last field back, each moves into its parent, so a field's members are all in
        // place (in reverse) when its turn comes.
        while let (Some(mut field), Some(parent)) = (fields.pop(), parents.pop()) {
            field.fields.reverse();
            match parent {
                Some(p) => fields[p].fields.push(field),
                None => roots.push(field),
            }
        }
        roots.reverse();
        roots
    }
}

struct Columns {
    name: usize,
    ty: usize,
    required: Option<usize>,
    default: Option<usize>,
    description: Option<usize>,
}

impl Columns {
    fn of(header: &Row<'_>) -> Result<Columns, String> {
        let (mut name, mut ty, mut required, mut default, mut description) =
            (None, None, None, None, None);
        for (i, c) in header.cells.iter().enumerate() {
            let slot = match &*c.text {
                "Field Name" | "Parameter Name" | "Variable" | "Name" => &mut name,
                "Type" => &mut ty,
                "Required" => &mut required,
                "Default" => &mut default,
                "Description" => &mut description,
                other => return Err(format!("unknown column `{other}`")),
            };
            if slot.replace(i).is_some() {
                return Err(format!("column `{}` appears twice", c.text));
            }
        }
        match (name, ty) {
            (Some(name), Some(ty)) => Ok(Columns {
                name,
                ty,
                required,
                default,
                description,
            }),
            _ => Err("table lacks a name or a Type column".to_string()),
        }
    }
}

impl Draft<'_> {
    fn new(label: &str, offset: usize, line: usize) -> Self {
        Draft {
            label: label.to_string(),
            offset,
            line,
            description: Vec::new(),
            sub: Sub::Description,
            details: None,
            saw_python: false,
            headings: Vec::new(),
            curl: None,
            params: None,
            searchable: None,
            records: None,
            meta: None,
            search_response: None,
        }
    }
}

/// Whether the next heading after an unlisted `text` heading is one of its actions.
fn starts_entity(rest: &[Block<'_>], text: &str, level: u8) -> bool {
    rest.iter()
        .find_map(|b| match &b.kind {
            BlockKind::Heading {
                level: l,
                text: next,
                ..
            } => Some((*l, next)),
            _ => None,
        })
        .is_some_and(|(l, next)| {
            l > level
                && next
                    .strip_prefix(text)
                    .and_then(|r| r.strip_prefix(' '))
                    .is_some_and(|label| label_kind(label).is_some())
        })
}

fn sub_section(text: &str) -> Option<Sub> {
    Some(match text {
        "Python SDK" => Sub::Python,
        "API" => Sub::Api,
        "Parameters" | "Params" => Sub::Parameters,
        "Searchable Fields" => Sub::Searchable,
        "Records" => Sub::Records,
        "Meta" => Sub::Meta,
        _ => return None,
    })
}

fn label_kind(label: &str) -> Option<ActionKind> {
    LABELS.iter().find(|(l, _)| *l == label).map(|(_, k)| *k)
}

/// A character that cannot be seen in a name: a control character, or an invisible
/// formatting one (soft hyphen, zero-width and direction marks, word joiners, byte order
/// mark, interlinear annotation).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{061C}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
        )
}

/// The offset in `code` of the string value of the last `"key": "…"` member: where a curl
/// body's `"entity"` or `"action"` is written (a nested member of that name could be found
/// instead; the offset only locates a diagnostic).
fn member_value(code: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    code.match_indices(&quoted)
        .filter_map(|(i, _)| {
            let after = i + quoted.len();
            let rest = code[after..].trim_start();
            let rest = rest.strip_prefix(':')?.trim_start();
            rest.starts_with('"').then(|| code.len() - rest.len())
        })
        .last()
}

/// `Context Store Search` is the search over Airbyte's index. A plain `Search` is too when the
/// action has Searchable Fields or an unlabelled (envelope) response table; otherwise it is the
/// provider's own search (API Search), whatever its parameters (January 2026 documents have
/// `query`, `limit`, `after` and `fields` and neither table). Other labels are their kind.
fn action_kind(label_kind: ActionKind, d: &Draft<'_>) -> ActionKind {
    let is_context_search = label_kind == ActionKind::Search
        && (d.label == "Context Store Search"
            || d.searchable.is_some()
            || d.search_response.is_some());
    match label_kind {
        ActionKind::Search if !is_context_search => ActionKind::ApiSearch,
        k => k,
    }
}

/// The envelope of a search response, from its top-level rows: `hits`, or `data` and `meta`.
fn search_envelope(response: &[Field]) -> Option<SearchEnvelope> {
    let has = |n: &str| response.iter().any(|f| f.name == n);
    if has("hits") {
        Some(SearchEnvelope::Hits)
    } else if has("data") && has("meta") {
        Some(SearchEnvelope::DataMeta)
    } else {
        None
    }
}

/// The connector's title in an H1's text: without ` full reference` (any case), trimmed.
fn connector_title(text: &str) -> &str {
    const SUFFIX: &str = "full reference";
    let text = text.trim();
    let cut = text.len().saturating_sub(SUFFIX.len());
    match (text.get(..cut), text.get(cut..)) {
        (Some(head), Some(tail))
            if tail.eq_ignore_ascii_case(SUFFIX)
                && (head.is_empty() || head.ends_with(char::is_whitespace)) =>
        {
            head.trim_end()
        }
        _ => text,
    }
}

/// `Internal Articles` -> `internal_articles`.
pub fn entity_id(display: &str) -> String {
    display.to_lowercase().replace(' ', "_")
}

/// The text inside a cell that is exactly one code span.
fn code_span(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('`')?.strip_suffix('`')?;
    (!inner.contains('`')).then_some(inner)
}

/// The end of the first summary item: the `,` after a `)` or the first `,` for plain labels.
fn find_link_end(s: &str) -> Option<usize> {
    if s.trim_start().starts_with('[') {
        let close = s.find("](")?;
        let paren = s[close..].find(')')? + close;
        Some(s[paren..].find(',').map_or(s.len(), |i| paren + i))
    } else {
        s.find(',')
    }
}

/// Where a curl command's body flag starts, and the flag with its opening quote: the first of
/// `--data '`, `--data-raw '`, `--data-binary '` and `-d '` that starts a word.
fn data_flag(code: &str) -> Option<(usize, &'static str)> {
    ["--data '", "--data-raw '", "--data-binary '", "-d '"]
        .into_iter()
        .filter_map(|flag| {
            code.match_indices(flag)
                .find(|(i, _)| *i == 0 || code[..*i].ends_with(char::is_whitespace))
                .map(|(i, _)| (i, flag))
        })
        .min_by_key(|(i, _)| *i)
}

/// `https://api.airbyte.ai/api/v1/connectors/sources/{your_source_id}/execute` -> endpoint.
fn split_url(url: &str) -> Option<Endpoint> {
    let scheme_end = url.find("://")? + 3;
    let path_start = url[scheme_end..].find('/')? + scheme_end;
    let base_url = url[..path_start].to_string();
    let path = &url[path_start..];
    let open = path.find('{')?;
    let close = path[open..].find('}')? + open;
    let raw = &path[open + 1..close];
    let param = raw.strip_prefix("your_").unwrap_or(raw).to_string();
    if param.is_empty() || path[close + 1..].contains('{') {
        return None;
    }
    Some(Endpoint {
        base_url,
        path: format!("{}{{{param}}}{}", &path[..open], &path[close + 1..]),
        path_param: param,
    })
}

/// Python literals in curl bodies (`True`, `False`, `None`) outside strings -> JSON.
fn pythonic_to_json(body: &str) -> String {
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    // `body[copied..]` is still to be copied to `out`.
    let mut copied = 0;
    let mut i = 0;
    // Strings, words and escapes are delimited by ASCII bytes, never inside a multi-byte
    // character, so every slice below falls on character boundaries.
    while let Some(&b) = bytes.get(i) {
        if b == b'"' {
            i += 1;
            while let Some(&b) = bytes.get(i) {
                i += if b == b'\\' { 2 } else { 1 };
                if b == b'"' {
                    break;
                }
            }
        } else if is_word_byte(b) {
            let start = i;
            while bytes.get(i).is_some_and(|&b| is_word_byte(b)) {
                i += 1;
            }
            let json = match &body[start..i] {
                "True" => "true",
                "False" => "false",
                "None" => "null",
                _ => continue,
            };
            out.push_str(&body[copied..start]);
            out.push_str(json);
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&body[copied..]);
    out
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Reads any JSON value as `serde_json::Value` would, without building it: what the curl body
/// says about its `entity` and `action` (at the top level, the last of repeated members wins),
/// and a string's text.
#[derive(Clone, Copy)]
struct AnyJson {
    top: bool,
}

/// What [`AnyJson`] kept of a value.
#[derive(Default)]
struct Json {
    string: Option<String>,
    entity: Option<String>,
    action: Option<String>,
    /// The value is an object.
    object: bool,
    /// The top-level members among `entity` and `action` whose value is no string.
    not_strings: Vec<&'static str>,
}

impl<'de> DeserializeSeed<'de> for AnyJson {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AnyJson {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Json, E> {
        Ok(Json::default())
    }

    fn visit_i64<E>(self, _: i64) -> Result<Json, E> {
        Ok(Json::default())
    }

    fn visit_u64<E>(self, _: u64) -> Result<Json, E> {
        Ok(Json::default())
    }

    fn visit_f64<E>(self, _: f64) -> Result<Json, E> {
        Ok(Json::default())
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::default())
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json {
            string: Some(s.to_string()),
            ..Json::default()
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let inner = AnyJson { top: false };
        while seq.next_element_seed(inner)?.is_some() {}
        Ok(Json::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let inner = AnyJson { top: false };
        let mut json = Json {
            object: true,
            ..Json::default()
        };
        while let Some((key, value)) = map.next_entry_seed(inner, inner)? {
            if self.top {
                let (slot, key) = match key.string.as_deref() {
                    Some("entity") => (&mut json.entity, "entity"),
                    Some("action") => (&mut json.action, "action"),
                    _ => continue,
                };
                if value.string.is_none() && !json.not_strings.contains(&key) {
                    json.not_strings.push(key);
                }
                *slot = value.string;
            }
        }
        Ok(json)
    }
}

/// `Supports operators: eq, neq, gt` -> `[eq, neq, gt]`.
fn operators(description: &str) -> Vec<String> {
    let lower = description.to_ascii_lowercase();
    let Some(i) = lower.find("operators:") else {
        return Vec::new();
    };
    description[i + "operators:".len()..]
        .split(',')
        .map(|s| s.trim().trim_end_matches('.').to_string())
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .collect()
}

fn nth_line_offset(text: &str, n: usize) -> usize {
    if n == 0 {
        return 0;
    }
    text.match_indices('\n')
        .nth(n - 1)
        .map_or(text.len(), |(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_becomes_endpoint() {
        let e =
            split_url("https://api.airbyte.ai/api/v1/connectors/sources/{your_source_id}/execute")
                .unwrap();
        assert_eq!(e.base_url, "https://api.airbyte.ai");
        assert_eq!(e.path, "/api/v1/connectors/sources/{source_id}/execute");
        assert_eq!(e.path_param, "source_id");
    }

    #[test]
    fn python_booleans_become_json_outside_strings() {
        assert_eq!(
            pythonic_to_json(r#"{"a": True, "b": "True None", "c": None}"#),
            r#"{"a": true, "b": "True None", "c": null}"#
        );
    }

    #[test]
    fn operators_are_read_from_the_query_description() {
        assert_eq!(
            operators("Filter and sort conditions. Supports operators: eq, neq, gt, like, fuzzy, not, and, or"),
            ["eq", "neq", "gt", "like", "fuzzy", "not", "and", "or"]
        );
    }
}
