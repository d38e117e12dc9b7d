//! Pagination inference: how the pages of an action follow each other, read from its
//! parameters and its page metadata (Meta), whatever the action's kind. [`infer`] says the
//! style, the parameter it drives, the Meta members it reads and the end condition; or that
//! the action does not page (`None`); or that it pages but how could not be inferred
//! ([`Pagination::Unknown`], with the reason for review). [`crate::lower`] calls it for every
//! action; the [`Overrides`] of `spec/<name>/pagination.yaml` then correct it.
//!
//! Names are compared normalised (lower case, letters and digits only), so `page[cursor]`,
//! `pageCursor` and `page_cursor` are one name.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::ir::{Crate, Output, PageEnd, Pagination};
use crate::lower::LowerError;
use crate::model::{Field, Type};

/// Corrections of the inferred pagination for documents that are wrong or silent: the file
/// `spec/<name>/pagination.yaml`, entity id -> action name -> pagination in the IR's shape,
/// e.g. `contacts: {list: {style: cursor, param: starting_after, next: next_page}}`, or
/// `{style: unknown, reason: ..}` to take a `stream()` away. Parameters and members are JSON
/// names; a parameter the document does not list is sent all the same (the request is the
/// params as JSON).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct Overrides(pub BTreeMap<String, BTreeMap<String, Pagination>>);

impl Overrides {
    /// Reads the YAML of a `pagination.yaml`.
    pub fn parse(text: &str) -> Result<Overrides, String> {
        if text.trim().is_empty() {
            return Ok(Overrides::default());
        }
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }

    /// Replaces the inferred pagination of each named action; an entity or action the crate
    /// does not have, or one whose output does not come in pages, is an error.
    pub fn apply(&self, krate: &mut Crate) -> Result<(), LowerError> {
        for (entity, actions) in &self.0 {
            let Some(e) = krate.entities.iter_mut().find(|e| &e.wire == entity) else {
                return Err(LowerError::new(
                    0,
                    format!("pagination.yaml: no entity `{entity}`"),
                ));
            };
            for (action, pagination) in actions {
                let Some(a) = e.actions.iter_mut().find(|a| &a.wire == action) else {
                    return Err(LowerError::new(
                        0,
                        format!("pagination.yaml: entity `{entity}` has no action `{action}`"),
                    ));
                };
                if !matches!(
                    a.output,
                    Output::ListPage { .. } | Output::SearchHits { .. } | Output::SearchPage { .. }
                ) {
                    return Err(LowerError::new(
                        a.line,
                        format!(
                            "pagination.yaml: `{entity}` `{action}` returns no list of records; it cannot page"
                        ),
                    ));
                }
                a.pagination = Some(pagination.clone());
            }
        }
        Ok(())
    }
}

/// Parameters that take a cursor or token (strings), in order of preference.
const CURSOR_PARAMS: &[&str] = &[
    "startingafter",
    "startcursor",
    "cursor",
    "pagecursor",
    "pagetoken",
    "nextpagetoken",
    "nexttoken",
    "continuationtoken",
    "after",
    "pageafter",
    "nextcursor",
    "offset",
    "marker",
    "pageinfo",
];

/// Parameters that take a page number (integers).
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pageno", "pagenum", "pageindex"];

/// Parameters that take a row offset (integers).
const OFFSET_PARAMS: &[&str] = &["offset", "start", "startrow", "startindex", "skip"];

/// Parameters that take the id of the last record received (`starting_after` only when Meta
/// says whether more results follow).
const LAST_ID_PARAMS: &[&str] = &["sinceid", "startingafter", "afterid"];

/// Parameters a next-page URL may carry besides cursors and page numbers (incremental
/// exports: `?start_time=..`).
const URL_CARRIED_PARAMS: &[&str] = &["starttime"];

/// Page-size parameters (shown in review; the runtime keeps whatever the caller set).
pub(crate) const SIZE_PARAMS: &[&str] = &[
    "limit",
    "perpage",
    "pagesize",
    "maxresults",
    "maxresultsperpage",
    "first",
    "count",
    "rowlimit",
    "size",
    "top",
];

/// The integer parameter giving the page size, if any: the one both the IR's pagination and
/// [`crate::resolved`] (the sandbox's page size and its default) read.
pub(crate) fn size_param(params: &[Field]) -> Option<&Field> {
    find(params, SIZE_PARAMS, is_integer)
}

/// Meta members holding the next cursor (strings, or objects holding the parameter).
const NEXT_CURSOR_MEMBERS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "endcursor",
    "nextpagecursor",
    "nextpage",
    "cursor",
    "offset",
    "nextoffset",
    "after",
    "continuationtoken",
    "next",
];

/// Meta members holding the next page's URL.
const NEXT_URL_MEMBERS: &[&str] = &[
    "nextpageurl",
    "nextpageuri",
    "nextlink",
    "nextrecordsurl",
    "nexturl",
    "nexthref",
];

/// Members that may hold either a cursor or a URL: a URL when the parameter is not a cursor.
const NEXT_EITHER_MEMBERS: &[&str] = &["next", "nextpage"];

/// Boolean Meta members saying more pages follow.
const MORE_MEMBERS: &[&str] = &["hasmore", "hasnextpage", "morerecords", "hasnext", "more"];

/// Boolean Meta members saying this is the last page.
const LAST_MEMBERS: &[&str] = &["lastpage", "islastpage", "islast"];

/// Integer Meta members giving the number of pages.
const COUNT_MEMBERS: &[&str] = &["pagecount", "totalpages", "totalpage", "pages"];

/// Object Meta members describing the paging (contents undocumented).
const PAGING_OBJECTS: &[&str] = &["pageinfo", "pagination", "paging"];

/// How the pages of an action follow each other; `None` when it does not page.
/// `params` are the request parameters, `meta` the documented Meta members, `records` the
/// record fields (a last-id style needs an `id`), `output` what the action returns.
pub fn infer(
    params: &[Field],
    meta: &[Field],
    records: &[Field],
    output: &Output,
) -> Option<Pagination> {
    match output {
        Output::SearchHits { .. } | Output::SearchPage { .. } => {
            let hits = matches!(output, Output::SearchHits { .. });
            Some(match find(params, CURSOR_PARAMS, is_string) {
                Some(p) => Pagination::Cursor {
                    param: p.name.clone(),
                    next: if hits { "next_cursor" } else { "cursor" }.into(),
                    more: (!hits).then(|| "has_more".into()),
                },
                None => Pagination::Unknown {
                    reason: "search results carry a cursor, but no parameter takes it".into(),
                },
            })
        }
        Output::ListPage { .. } => list(params, meta, records),
        Output::Record(_) | Output::Bytes => None,
    }
}

fn list(params: &[Field], meta: &[Field], records: &[Field]) -> Option<Pagination> {
    let more = find(meta, MORE_MEMBERS, |t| matches!(t, Type::Boolean));
    let cursor = find(params, CURSOR_PARAMS, is_string);
    let page = find(params, PAGE_PARAMS, is_integer);
    let offset = find(params, OFFSET_PARAMS, is_integer);
    // `starting_after` is also a cursor: the last id only with a more-results member.
    let last_id = find(params, LAST_ID_PARAMS, |_| true)
        .filter(|p| norm(&p.name) != "startingafter" || more.is_some());
    let size = size_param(params).map(|f| f.name.clone());
    let next = find(meta, NEXT_CURSOR_MEMBERS, |t| {
        is_string(t) || matches!(t, Type::Object)
    });
    let url = find(meta, NEXT_URL_MEMBERS, is_string);
    let either = find(meta, NEXT_EITHER_MEMBERS, is_string);
    let last = find(meta, LAST_MEMBERS, |t| matches!(t, Type::Boolean));
    let count = find(meta, COUNT_MEMBERS, is_integer);
    let object = find(meta, PAGING_OBJECTS, |t| matches!(t, Type::Object));

    // A cursor parameter fed by a Meta member (a URL member: read from its query string).
    if let Some(p) = cursor {
        if let Some(u) = url {
            return Some(next_url(p, u));
        }
        if let Some(n) = next {
            if norm(&n.name) == "next" {
                return Some(next_url(p, n));
            }
            return Some(Pagination::Cursor {
                param: p.name.clone(),
                next: n.name.clone(),
                more: more.map(|m| m.name.clone()),
            });
        }
    }
    // A page number, ended by the first end condition Meta documents.
    if let Some(p) = page {
        let end = if let Some(m) = more {
            PageEnd::False(m.name.clone())
        } else if let Some(l) = last {
            PageEnd::True(l.name.clone())
        } else if let Some(c) = count {
            PageEnd::Count(c.name.clone())
        } else if let Some(n) = url.or(either).or(next.filter(|n| is_string(&n.ty))) {
            PageEnd::Absent(n.name.clone())
        } else {
            PageEnd::Empty
        };
        return Some(Pagination::Page {
            param: p.name.clone(),
            size,
            first: first_page(p),
            end,
        });
    }
    // The last record's id.
    if let Some(p) = last_id {
        if !records.iter().any(|r| r.name == "id") {
            return Some(Pagination::Unknown {
                reason: format!(
                    "`{}` takes the id of the last record, but the records document no `id`",
                    p.name
                ),
            });
        }
        return Some(Pagination::LastId {
            param: p.name.clone(),
            id: "id".into(),
            integer: is_integer(&p.ty),
            end: match more {
                Some(m) => PageEnd::False(m.name.clone()),
                None => PageEnd::Empty,
            },
        });
    }
    // A next-page URL carrying a documented parameter, or else undocumented ones.
    if let Some(u) = url.or(either) {
        if let Some(p) = find(params, URL_CARRIED_PARAMS, |_| true).or(cursor) {
            return Some(next_url(p, u));
        }
        // Its query carries parameters the document does not list (`PageToken`,
        // `page_info`): they are sent as they are.
        return Some(Pagination::NextUrlQuery {
            next: u.name.clone(),
        });
    }
    // A row offset.
    if let Some(p) = offset {
        return Some(Pagination::Offset {
            param: p.name.clone(),
            size,
        });
    }
    // Signs of paging that lead nowhere.
    let reason = if let Some(p) = cursor {
        format!(
            "`{}` takes a cursor, but no Meta member gives the next one (Meta: {})",
            p.name,
            names(meta)
        )
    } else if let Some(n) = next {
        format!(
            "Meta `{}` gives the next cursor, but no parameter takes it (parameters: {})",
            n.name,
            names(params)
        )
    } else if let Some(m) = more.or(last).or(count).or(object) {
        format!(
            "Meta `{}` says whether more pages follow, but no parameter selects a page (parameters: {})",
            m.name,
            names(params)
        )
    } else {
        return None;
    };
    Some(Pagination::Unknown { reason })
}

fn next_url(param: &Field, url: &Field) -> Pagination {
    Pagination::NextUrl {
        param: param.name.clone(),
        next: url.name.clone(),
        integer: is_integer(&param.ty),
    }
}

/// The number of the first page: 0 when the parameter says it counts from zero, else 1.
fn first_page(param: &Field) -> i64 {
    let d = param.description.to_ascii_lowercase();
    let zero = [
        "0-indexed",
        "zero-indexed",
        "0-based",
        "zero-based",
        "starts at 0",
        "starting at 0",
        "starting from 0",
    ];
    i64::from(!zero.iter().any(|z| d.contains(z)))
}

/// The first field whose normalised name is in `names` (in the order of `names`) and whose
/// type passes `ty`.
pub(crate) fn find<'a>(
    fields: &'a [Field],
    names: &[&str],
    ty: impl Fn(&Type) -> bool,
) -> Option<&'a Field> {
    names
        .iter()
        .find_map(|n| fields.iter().find(|f| norm(&f.name) == *n && ty(&f.ty)))
}

pub(crate) fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_string(t: &Type) -> bool {
    matches!(t, Type::String { .. })
}

pub(crate) fn is_integer(t: &Type) -> bool {
    matches!(t, Type::Integer)
}

fn names(fields: &[Field]) -> String {
    if fields.is_empty() {
        return "none".into();
    }
    fields
        .iter()
        .map(|f| format!("`{}`", f.name))
        .collect::<Vec<_>>()
        .join(", ")
}
