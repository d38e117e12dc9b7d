//! Parsing: a reference document's blocks -> the [`Connector`] model.
//!
//! The walk follows FORMAT.md §14: read the summary table first, recognise entity headings by
//! their names and action headings as `<entity> <label>`, sub-sections as H4 headings or bold
//! labels. Every table row ends up in the model or in a diagnostic; anything not understood is a
//! located error. All errors of a document are reported together.

use std::fmt;

use rustc_hash::FxHashMap as HashMap;
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
    types: HashMap<String, (Type, bool)>,
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
    in_details: bool,
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
    entity: Option<String>,
    action: Option<String>,
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
        let mut title: Option<String> = None;
        let mut summary: Vec<SummaryEntity> = Vec::new();
        let mut in_summary = false;
        let mut entities: Vec<Entity> = Vec::new();
        let mut seen_entities: HashMap<&str, usize> = HashMap::default();
        let mut draft: Option<Draft> = None;
        let mut endpoint: Option<(Endpoint, usize)> = None;
        let mut trailing: Option<Trailing> = None;
        let mut entity_level = 2u8;
        let mut replication: Option<Replication> = None;
        let mut replication_prose: Vec<String> = Vec::new();

        for (index, block) in blocks.iter().enumerate() {
            let start = block.range.start;
            let len = block.range.len();
            match &block.kind {
                BlockKind::Heading {
                    level: 1, text, ..
                } => {
                    if title.is_some() {
                        self.error(
                            "heading",
                            start,
                            len,
                            "a second `#` title",
                            "a document has one H1 title",
                        );
                    } else {
                        title = Some(
                            text.strip_suffix(" full reference")
                                .unwrap_or(text)
                                .trim()
                                .to_string(),
                        );
                    }
                }
                BlockKind::Heading { text, .. }
                    if text.eq_ignore_ascii_case("Supported entities and actions") =>
                {
                    in_summary = true;
                }
                BlockKind::Heading { level, text, line } => {
                    let line = *line;
                    let level = *level;
                    let text: &str = text;
                    if let Some(sub) = sub_section(text).filter(|_| level > entity_level + 1) {
                        if let Some(d) = draft.as_mut() {
                            enter_sub(self, d, sub, start, len);
                            continue;
                        }
                    }
                    if trailing == Some(Trailing::Replication) && text == "Example" {
                        trailing = Some(Trailing::Example);
                        continue;
                    }
                    // An action heading: `<current entity> <label>`.
                    if let Some(entity) = entities.last() {
                        if let Some(label) = text
                            .strip_prefix(entity.name.as_str())
                            .and_then(|r| r.strip_prefix(' '))
                        {
                            if trailing.is_none() && level > entity_level {
                                if let Some(d) = draft.take() {
                                    self.finish_action(
                                        d,
                                        entities.last_mut().expect("entity"),
                                        &mut endpoint,
                                    );
                                }
                                if label_kind(label).is_none() {
                                    self.error(
                                        "unknown-action",
                                        start,
                                        len,
                                        format!("unknown action label `{label}` in `{text}`"),
                                        "known labels: List, Get, Create, Update, Delete, Download, API Search, Search, Context Store Search",
                                    );
                                }
                                draft = Some(Draft::new(label, start, line));
                                continue;
                            }
                        }
                    }
                    // An entity heading.
                    let listed = summary.iter().any(|e| e.name == text);
                    let unlisted = !listed
                        && trailing.is_none()
                        && level == entity_level
                        && starts_entity(&blocks[index + 1..], text, level);
                    if unlisted {
                        self.warn(
                            "not-in-summary",
                            start,
                            len,
                            format!("entity `{text}` has a section but is not in the summary table"),
                        );
                    }
                    if (listed || unlisted) && level >= 2 {
                        if let Some(d) = draft.take() {
                            if let Some(e) = entities.last_mut() {
                                self.finish_action(d, e, &mut endpoint);
                            }
                        }
                        in_summary = false;
                        trailing = None;
                        if let Some(prev) = seen_entities.get(text) {
                            let prev_line = *prev;
                            self.error(
                                "duplicate-entity",
                                start,
                                len,
                                format!(
                                    "entity `{text}` already has a section at line {prev_line}"
                                ),
                                "merge the two sections",
                            );
                        }
                        seen_entities.insert(text, line);
                        entity_level = level;
                        entities.push(Entity {
                            name: text.to_string(),
                            id: entity_id(text),
                            actions: Vec::new(),
                        });
                        continue;
                    }
                    if level == 2 {
                        if let Some(d) = draft.take() {
                            if let Some(e) = entities.last_mut() {
                                self.finish_action(d, e, &mut endpoint);
                            }
                        }
                        in_summary = false;
                        match text {
                            "Replication Configuration" => {
                                trailing = Some(Trailing::Replication);
                                replication = Some(Replication { description: String::new(), fields: Vec::new() });
                            }
                            "Configuration" | "Authentication" => trailing = Some(Trailing::Legacy(text.to_string())),
                            _ => self.error(
                                "unknown-section",
                                start,
                                len,
                                format!("`## {text}` is neither an entity of the summary table nor a known section"),
                                "entities must be listed in the `Supported entities and actions` table",
                            ),
                        }
                        continue;
                    }
                    if matches!(trailing, Some(Trailing::Legacy(_))) {
                        continue; // Authentication scheme headings.
                    }
                    self.error(
                        "unexpected-heading",
                        start,
                        len,
                        format!("unexpected heading `{text}`"),
                        "expected an entity name, `<Entity> <Action>`, or a sub-section (Python SDK, API, Parameters, Searchable Fields, Records, Meta)",
                    );
                }
                BlockKind::Label(text) => match (sub_section(text), draft.as_mut()) {
                    (Some(sub), Some(d)) => enter_sub(self, d, sub, start, len),
                    _ if trailing.is_some() => {}
                    _ => self.error(
                        "unexpected-label",
                        start,
                        len,
                        format!("unexpected label `**{text}**`"),
                        "sub-section labels are `**Python SDK**`, `**API**`, `**Parameters**`, `**Searchable Fields**`, `**Records**` and `**Meta**`",
                    ),
                },
                BlockKind::Table(table) => {
                    if in_summary && summary.is_empty() {
                        summary = self.summary(table);
                        continue;
                    }
                    if let Some(d) = draft.as_mut() {
                        self.action_table(d, table);
                        continue;
                    }
                    match &trailing {
                        Some(Trailing::Replication) => {
                            let fields = self.fields(table, Nesting::Params);
                            if let Some(r) = replication.as_mut() {
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
                                format!("`## {name}` table ({} rows) is valid but not part of the model", table.rows().len()),
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
                BlockKind::Fence { info, code, closed } => {
                    if let Some(d) = draft.as_mut() {
                        match d.sub {
                            Sub::Python => d.saw_python = true,
                            Sub::Api if *closed => d.curl = self.curl(code, start, info),
                            Sub::Api => {}
                            _ => self.error(
                                "stray-fence",
                                start,
                                len.min(80),
                                "code block outside the Python SDK and API sub-sections",
                                "code blocks go under `#### Python SDK` (python) or `#### API` (bash)",
                            ),
                        }
                    } else if trailing.is_none() {
                        self.error(
                            "stray-fence",
                            start,
                            len.min(80),
                            "code block outside any action",
                            "code blocks belong to an action, after its `### <Entity> <Action>` heading",
                        );
                    }
                }
                BlockKind::Html(html) => {
                    let Some(d) = draft.as_mut() else {
                        self.error(
                            "html",
                            start,
                            len,
                            format!("unexpected HTML `{html}` outside an action"),
                            "`<details>` and `<summary>` wrap an action's Response Schema",
                        );
                        continue;
                    };
                    match *html {
                        "<details>" => d.in_details = true,
                        s if s.starts_with("<summary>") => {
                            if !d.in_details {
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
                        "</details>" => d.in_details = false,
                        other => self.error(
                            "html",
                            start,
                            len,
                            format!("unexpected HTML `{other}`"),
                            "only `<details>`, `<summary>` and `</details>` lines are expected",
                        ),
                    }
                }
                BlockKind::Prose => {
                    let raw = tables::unescape(self.src.text[block.range.clone()].trim());
                    if let Some(d) = draft.as_mut() {
                        if d.sub == Sub::Description && !d.in_details && !d.saw_python {
                            d.description.push(raw.into_owned());
                        } else if raw.starts_with('>') {
                            // The Download note.
                        } else {
                            self.error(
                                "stray-text",
                                start,
                                len.min(80),
                                "text after an action's sub-sections",
                                "descriptions come directly after the action heading",
                            );
                        }
                    } else if trailing == Some(Trailing::Replication) {
                        replication_prose.push(raw.into_owned());
                    } else if trailing.is_some() || title.is_some() && entities.is_empty() {
                        // Intro sentences of the document, the summary and legacy sections.
                    } else if let Some(e) = entities.last() {
                        let msg =
                            format!("text between the `{}` heading and its first action", e.name);
                        self.error("stray-text", start, len.min(80), msg, "an entity heading is followed directly by its first `### <Entity> <Action>` heading");
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
            }
        }
        if let Some(d) = draft.take() {
            if let Some(e) = entities.last_mut() {
                self.finish_action(d, e, &mut endpoint);
            }
        }
        if let Some(r) = replication.as_mut() {
            r.description = replication_prose.join("\n\n");
        }
        self.cross_check(&summary, &entities);

        let Some(title) = title else {
            self.error(
                "title",
                0,
                0,
                "the document has no `# <Name> full reference` title",
                "a reference starts with `# <Name> full reference`",
            );
            return None;
        };
        if summary.is_empty() {
            self.error(
                "summary",
                0,
                0,
                "no `Supported entities and actions` table found",
                "the summary table has the header `| Entity | Actions |`",
            );
        }
        let Some((endpoint, _)) = endpoint else {
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
            entities,
            replication,
        })
    }

    fn summary(&mut self, table: &Table<'_>) -> Vec<SummaryEntity> {
        let cols: Vec<&str> = table.header().cells.iter().map(|c| &*c.text).collect();
        if cols != ["Entity", "Actions"] {
            self.error(
                "table-columns",
                table.header().offset,
                table.header().len,
                format!("summary table has columns {cols:?}"),
                "expected `| Entity | Actions |`",
            );
            return Vec::new();
        }
        let mut out: Vec<SummaryEntity> = Vec::new();
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
            if out.iter().any(|e| e.name == name) {
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
            let label = match item.strip_prefix('[').and_then(|r| r.split_once("](")) {
                Some((label, anchor)) if anchor.ends_with(')') => label.to_string(),
                Some(_) | None if item.contains('[') || item.contains(']') => {
                    self.error(
                        "summary",
                        pos,
                        item.len(),
                        format!("cannot read the action link `{item}`"),
                        "expected `[Label](#anchor)`",
                    );
                    String::new()
                }
                _ => item.to_string(),
            };
            if !label.is_empty() {
                out.push(SummaryAction { label, offset: pos });
            }
            let consumed = (item_end + 1).min(rest.len());
            pos += consumed;
            rest = &rest[consumed..];
        }
        out
    }

    fn action_table<'t>(&mut self, d: &mut Draft<'t>, table: &'t Table<'t>) {
        let slot = match (d.sub, d.in_details) {
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

    fn finish_action(
        &mut self,
        d: Draft<'_>,
        entity: &mut Entity,
        endpoint: &mut Option<(Endpoint, usize)>,
    ) {
        let Some(base_kind) = label_kind(&d.label) else {
            // Already reported; still check its tables so every problem shows at once.
            for t in [
                &d.params,
                &d.searchable,
                &d.records,
                &d.meta,
                &d.search_response,
            ]
            .into_iter()
            .flatten()
            {
                let _ = self.fields(t, Nesting::Flat);
            }
            return;
        };
        let heading_len = self.src.text[d.offset..].find('\n').unwrap_or(0);
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
        if !d.saw_python {
            self.warn(
                "missing-python",
                d.offset,
                heading_len,
                format!("`{} {}` has no Python SDK example", entity.name, d.label),
            );
        }
        let Some(curl) = d.curl else {
            self.error(
                "missing-api",
                d.offset,
                heading_len,
                format!("`{} {}` has no API (curl) example", entity.name, d.label),
                "each action has `#### API` with a bash curl block",
            );
            return;
        };
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
        let derived_name = d.label.to_ascii_lowercase().replace(' ', "_");
        let name = curl.action.clone().unwrap_or(derived_name);
        if let Some(id) = &curl.entity {
            if *id != entity.id {
                if entity.actions.is_empty() {
                    entity.id = id.clone();
                } else {
                    self.error(
                        "entity-id",
                        curl.offset,
                        0,
                        format!("curl names entity `{id}`, earlier actions `{}`", entity.id),
                        "every action of an entity names the same `\"entity\"` in its curl body",
                    );
                }
            }
        }
        let params = match &d.params {
            Some(t) => self.fields(t, Nesting::Params),
            None => Vec::new(),
        };
        let is_context_search = base_kind == ActionKind::Search
            && (d.searchable.is_some()
                || d.search_response.is_some()
                || params.iter().any(|p| p.name == "query"));
        let kind = match base_kind {
            ActionKind::Search if !is_context_search => ActionKind::ApiSearch,
            k => k,
        };
        let response = if kind == ActionKind::Search {
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
            match &d.search_response {
                Some(t) => {
                    let response = self.fields(t, Nesting::Response);
                    let has = |n: &str| response.iter().any(|f| f.name == n);
                    let envelope = if has("hits") {
                        Some(SearchEnvelope::Hits)
                    } else if has("data") && has("meta") {
                        Some(SearchEnvelope::DataMeta)
                    } else {
                        None
                    };
                    match envelope {
                        Some(envelope) => Some(Response::Search(Search {
                            operators,
                            fields,
                            envelope,
                            response,
                        })),
                        None => {
                            self.error(
                                "search-envelope",
                                t.header().offset,
                                t.header().len,
                                "search response is neither `hits[]` nor `data[]` + `meta`",
                                "a Context Store Search response has `data[]` and `meta` rows (or the older `hits[]`)",
                            );
                            None
                        }
                    }
                }
                None => {
                    self.error(
                        "search-envelope",
                        d.offset,
                        heading_len,
                        "search action without a response table",
                        "add the Response Schema `<details>` with its response table after Searchable Fields",
                    );
                    None
                }
            }
        } else {
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
        };
        if let Some(first) = entity.actions.iter().find(|a| a.name == name) {
            let d = self
                .src
                .diag(
                    Severity::Warning,
                    "duplicate-action",
                    d.offset,
                    heading_len,
                    format!(
                        "`{} {}` appears again (first at line {}); both are kept",
                        entity.name, d.label, first.line
                    ),
                )
                .with_hint("remove the copy, or give the two sections different actions");
            self.diags.push(d);
        }
        entity.actions.push(Action {
            kind,
            label: d.label,
            name,
            description: d.description.join("\n\n"),
            params,
            response,
            line: d.line,
        });
    }

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
        let mut curl = Curl {
            endpoint,
            entity: None,
            action: None,
            offset: code_offset,
        };
        let Some(data_start) = code.find("--data '") else {
            return Some(curl);
        };
        let body = &code[data_start + 8..];
        let body = &body[..body.rfind('\'').unwrap_or(body.len())];
        let json = pythonic_to_json(body);
        // As `serde_json::from_str` does: the value, then nothing but whitespace.
        let mut de = serde_json::Deserializer::from_str(&json);
        let read = AnyJson { top: true }
            .deserialize(&mut de)
            .and_then(|body| de.end().map(|()| body));
        match read {
            Ok(body) => {
                curl.entity = body.entity;
                curl.action = body.action;
            }
            Err(e) => {
                let before: usize = code[..data_start + 8].lines().count().saturating_sub(1);
                let line_offset =
                    nth_line_offset(&self.src.text[code_offset..], before + e.line() - 1);
                self.error(
                    "curl-json",
                    code_offset + line_offset,
                    0,
                    format!("the curl `--data` body is not JSON: {e}"),
                    "the `--data '…'` body is JSON; Python's `True`, `False` and `None` are accepted",
                );
            }
        }
        Some(curl)
    }

    /// A type cell's type, parsed once per distinct text.
    fn cell_type(&mut self, text: &str) -> Result<(Type, bool), TypeError> {
        if let Some(known) = self.types.get(text) {
            return Ok(known.clone());
        }
        let parsed = Type::parse_cell(text)?;
        self.types.insert(text.to_string(), parsed.clone());
        Ok(parsed)
    }

    /// Reads a fields or parameters table into (possibly nested) fields.
    fn fields(&mut self, table: &Table<'_>, nesting: Nesting) -> Vec<Field> {
        let cols = match Columns::of(&table.header()) {
            Ok(c) => c,
            Err(msg) => {
                self.error("table-columns", table.header().offset, table.header().len, msg, "expected `| Field Name | Type | Description |` or `| Parameter Name | Type | Required | Description |`");
                return Vec::new();
            }
        };
        let width = table.header().cells.len();
        let mut nodes = Nodes::with_capacity(table.rows().len());
        for row in table.rows() {
            if let Some((path, field)) = self.row(row, &cols, width) {
                self.nest(&mut nodes, path, field, (row.offset, row.len), nesting);
            }
        }
        nodes.tree()
    }

    /// One row's path as written and its field, named in [`Parser::nest`].
    fn row<'t>(&mut self, row: Row<'t>, cols: &Columns, width: usize) -> Option<(&'t str, Field)> {
        if row.cells.len() != width {
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
            return None;
        }
        let name_cell = &row.cells[cols.name];
        let Some(path) = code_span(&name_cell.text) else {
            self.error(
                "field-name",
                name_cell.offset,
                name_cell.len,
                format!("field name `{}` is not a code span", name_cell.text),
                "write names as `` `name` ``",
            );
            return None;
        };
        if path.trim().is_empty() {
            self.error(
                "field-name",
                name_cell.offset,
                name_cell.len,
                "empty field name",
                "write names as `` `name` ``",
            );
            return None;
        }
        let type_cell = &row.cells[cols.ty];
        let type_text = code_span(&type_cell.text).unwrap_or(&type_cell.text);
        let (ty, nullable) = match self.cell_type(type_text) {
            Ok(t) => t,
            Err(e) => {
                self.error(
                    "unknown-type",
                    type_cell.offset,
                    type_cell.len,
                    e.message,
                    "see FORMAT.md §6 for the type grammar",
                );
                return None;
            }
        };
        let required = match cols.required.map(|i| &row.cells[i]) {
            None => None,
            Some(c) => match &*c.text {
                "Yes" => Some(true),
                "No" => Some(false),
                "" => None,
                other => {
                    self.error(
                        "required",
                        c.offset,
                        c.len.max(1),
                        format!("Required is `{other}`"),
                        "expected `Yes` or `No`",
                    );
                    return None;
                }
            },
        };
        let default = cols
            .default
            .map(|i| &row.cells[i].text)
            .filter(|s| !s.is_empty())
            .map(|s| s.to_string());
        let description = cols
            .description
            .map(|i| row.cells[i].text.to_string())
            .unwrap_or_default();
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

    /// Adds a row's field (the row at `offset`, `len` bytes long) to the field tree, below its
    /// parent among the rows before it (FORMAT.md §7).
    fn nest<'p>(
        &mut self,
        nodes: &mut Nodes<'p>,
        path: &'p str,
        mut field: Field,
        (offset, len): (usize, usize),
        nesting: Nesting,
    ) {
        if let Some(&i) = nodes.index.get(path) {
            let existing = &nodes.fields[i];
            let same = existing.ty == field.ty
                && existing.nullable == field.nullable
                && existing.required == field.required
                && existing.description == field.description;
            if same {
                let line = existing.line;
                self.warn(
                    "duplicate-row",
                    offset,
                    len,
                    format!("`{path}` repeats the row at line {line}; kept once"),
                );
            } else {
                let line = existing.line;
                self.error(
                    "duplicate-row",
                    offset,
                    len,
                    format!("`{path}` is declared again, differently, after line {line}"),
                    "remove one of the rows",
                );
            }
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

    /// Summary and sections must list the same actions.
    fn cross_check(&mut self, summary: &[SummaryEntity], entities: &[Entity]) {
        for s in summary {
            let Some(entity) = entities.iter().find(|e| e.name == s.name) else {
                self.warn(
                    "missing-section",
                    s.offset,
                    s.name.len(),
                    format!("entity `{}` is in the summary but has no section", s.name),
                );
                continue;
            };
            let mut remaining: Vec<&str> =
                entity.actions.iter().map(|a| a.label.as_str()).collect();
            for a in &s.actions {
                match remaining.iter().position(|l| *l == a.label) {
                    Some(i) => {
                        remaining.remove(i);
                    }
                    None => self.warn(
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
            for label in remaining {
                let line = entity
                    .actions
                    .iter()
                    .find(|a| a.label == label)
                    .map_or(0, |a| a.line);
                let offset = nth_line_offset(self.src.text, line.saturating_sub(1));
                self.warn(
                    "not-in-summary",
                    offset,
                    0,
                    format!(
                        "`{} {label}` has a section but is not in the summary table",
                        s.name
                    ),
                );
            }
        }
    }
}

fn enter_sub(p: &mut Parser<'_, '_>, d: &mut Draft, sub: Sub, offset: usize, len: usize) {
    let inside = matches!(sub, Sub::Records | Sub::Meta);
    let misplaced = inside != d.in_details;
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
            in_details: false,
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
        let mut json = Json::default();
        while let Some((key, value)) = map.next_entry_seed(inner, inner)? {
            if self.top {
                match key.string.as_deref() {
                    Some("entity") => json.entity = value.string,
                    Some("action") => json.action = value.string,
                    _ => {}
                }
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
