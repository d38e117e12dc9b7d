//! Serving a list in each paging style the runtime reads ([`Paging`]): given the style, the
//! request's params and all records of the entity, the page and its metadata.
//!
//! Positions are what a real server would send: cursors `c<index>`, page numbers from the
//! style's first page, row offsets, the last record's `id` (records are served in ascending
//! `id` order, so `id > since` continues), and next-page URLs whose query string carries the
//! page size and the next position (for [`Paging::NextUrlQuery`], Twilio's way: `Page=<n>` and
//! `PageToken=c<index>`, neither a documented parameter, both required on every next page). The metadata states the end as the style's end condition
//! says (`next` absent, `has_more` false, `last_page` true, a page count, or nothing: an empty
//! page ends the list).

use serde_json::{json, Map, Value};

use crate::model::{PageEnd, Pagination as Paging};

/// How one action pages: the style, the page-size parameter and the documented default size.
/// Read from the model's `paging.resolved.yaml`, as the generator wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Paged {
    /// The paging style served.
    pub pagination: Paging,
    /// The request parameter giving the page size, e.g. `per_page` (`None`: the size is
    /// always the default).
    pub size: Option<String>,
    /// Records per page when the request does not say, as the document states it (`None`:
    /// [`DEFAULT_SIZE`]).
    pub default_size: Option<u64>,
}

/// Records per page when neither the request nor the document says (Intercom's default).
pub const DEFAULT_SIZE: u64 = 50;

/// The undocumented query parameters of a [`Paging::NextUrlQuery`] URL: the number of the
/// next page (from 0) and its token.
pub const PAGE_NUMBER: &str = "Page";
/// See [`PAGE_NUMBER`].
pub const PAGE_TOKEN: &str = "PageToken";

/// The `{"result": [..], "connector_metadata": {..}}` envelope of the page `params` asks for,
/// or the message of a 422 answer (a position this server never gave out).
pub fn serve(paged: &Paged, params: &Value, records: &[Value]) -> Result<Value, String> {
    let size_param = paged.size.as_deref().unwrap_or("");
    let size = match params.get(size_param) {
        None | Some(Value::Null) => paged.default_size.unwrap_or(DEFAULT_SIZE),
        Some(v) => v
            .as_u64()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{size_param} must be a positive integer"))?,
    } as usize;
    // Only a `NextUrlQuery` has no parameter of its own: its URL carries the token.
    let position_param = paged.pagination.param().unwrap_or(PAGE_TOKEN);
    let position = params.get(position_param).filter(|v| !v.is_null());
    let mut meta = Map::new();
    let (start, rows): (usize, Vec<Value>) = match &paged.pagination {
        Paging::Unknown { .. } => (0, records.to_vec()),
        Paging::Cursor { .. } => {
            let start = position.map_or(Ok(0), cursor_index)?;
            (start, window(records, start, size))
        }
        Paging::Page { first, .. } => {
            let first = *first;
            let page = position.map_or(Ok(first), |v| {
                v.as_i64()
                    .ok_or_else(|| format!("page must be an integer, got {v}"))
            })?;
            let start = usize::try_from(page - first)
                .map_err(|_| "page before the first".to_string())?
                * size;
            meta.insert("page".into(), json!(page));
            (start, window(records, start, size))
        }
        Paging::Offset { .. } => {
            let start = position.map_or(Ok(0), |v| {
                v.as_u64()
                    .map(|n| n as usize)
                    .ok_or_else(|| format!("offset must be an integer, got {v}"))
            })?;
            (start, window(records, start, size))
        }
        Paging::LastId { id, .. } => {
            let since = position
                .map(|v| {
                    // An integer, or its text (string ids).
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                        .ok_or_else(|| format!("since must be an id, got {v}"))
                })
                .transpose()?;
            let mut sorted: Vec<&Value> = records.iter().collect();
            let id = id.as_str();
            sorted.sort_by_key(|r| r.get(id).and_then(Value::as_i64));
            let start = sorted
                .iter()
                .position(|r| {
                    since.is_none_or(|s| r.get(id).and_then(Value::as_i64).is_some_and(|i| i > s))
                })
                .unwrap_or(sorted.len());
            let rows = sorted
                .iter()
                .skip(start)
                .take(size)
                .map(|r| (*r).clone())
                .collect();
            (start, rows)
        }
        Paging::NextUrl { integer, .. } => {
            let start = match position {
                None => 0,
                Some(v) if *integer => v
                    .as_u64()
                    .ok_or_else(|| format!("position must be an integer, got {v}"))?
                    as usize,
                Some(v) => cursor_index(v)?,
            };
            (start, window(records, start, size))
        }
        Paging::NextUrlQuery { .. } => {
            let start = position.map_or(Ok(0), cursor_index)?;
            // Like Twilio, the page number must come with its token.
            let page = params.get(PAGE_NUMBER);
            if position.is_some() && page != Some(&json!((start / size).to_string())) {
                return Err(format!(
                    "{PAGE_NUMBER} must be the string \"{}\" with this {PAGE_TOKEN}, got {}",
                    start / size,
                    page.unwrap_or(&Value::Null)
                ));
            }
            (start, window(records, start, size))
        }
    };
    let end = start + rows.len();
    let more = end < records.len();
    match &paged.pagination {
        Paging::Unknown { .. } => {}
        Paging::Cursor {
            next, more: flag, ..
        } => {
            meta.insert(
                next.clone(),
                if more {
                    json!(format!("c{end}"))
                } else {
                    Value::Null
                },
            );
            if let Some(flag) = flag {
                meta.insert(flag.clone(), json!(more));
            }
        }
        Paging::Page { end: e, .. } | Paging::LastId { end: e, .. } => {
            let pages = records.len().div_ceil(size);
            match e {
                PageEnd::Empty => {}
                PageEnd::Absent(m) => {
                    let link = format!("https://sandbox.invalid/items?page={}", end / size + 1);
                    meta.insert(m.clone(), if more { json!(link) } else { Value::Null });
                }
                PageEnd::False(m) => {
                    meta.insert(m.clone(), json!(more));
                }
                PageEnd::True(m) => {
                    meta.insert(m.clone(), json!(!more));
                }
                PageEnd::Count(m) => {
                    meta.insert(m.clone(), json!(pages));
                }
            }
        }
        Paging::Offset { .. } => {
            meta.insert("total".into(), json!(records.len()));
        }
        Paging::NextUrl {
            param,
            next,
            integer,
        } => {
            let url = more.then(|| {
                let value = if *integer {
                    end.to_string()
                } else {
                    format!("c{end}")
                };
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair(size_param, &size.to_string())
                    .append_pair(param, &value)
                    .finish();
                format!("https://sandbox.invalid/items?{query}")
            });
            meta.insert(next.clone(), url.map_or(Value::Null, Value::String));
        }
        Paging::NextUrlQuery { next, .. } => {
            let url = more.then(|| {
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair(size_param, &size.to_string())
                    .append_pair(PAGE_NUMBER, &(end / size).to_string())
                    .append_pair(PAGE_TOKEN, &format!("c{end}"))
                    .finish();
                format!("/2010-04-01/Items.json?{query}")
            });
            meta.insert(next.clone(), url.map_or(Value::Null, Value::String));
        }
    }
    Ok(json!({ "result": rows, "connector_metadata": meta }))
}

fn window(records: &[Value], start: usize, size: usize) -> Vec<Value> {
    records.iter().skip(start).take(size).cloned().collect()
}

/// The index a cursor `c<index>` stands for.
fn cursor_index(v: &Value) -> Result<usize, String> {
    v.as_str()
        .and_then(|s| s.strip_prefix('c'))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("unknown cursor {v}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use airbyte_agent_runtime::{PageEnd, Paging};

    fn records(n: i64) -> Vec<Value> {
        (1..=n).map(|i| json!({"id": i * 10})).collect()
    }

    #[test]
    fn each_style_serves_a_window_and_its_end() {
        let cursor = Paged {
            pagination: crate::model::pagination(Paging::Cursor {
                param: "start_cursor",
                next: "next_cursor",
                more: Some("has_more"),
            }),
            size: Some("page_size".into()),
            default_size: Some(3),
        };
        let page = serve(&cursor, &json!({"start_cursor": "c3"}), &records(5)).unwrap();
        assert_eq!(page["result"], json!([{"id": 40}, {"id": 50}]));
        assert_eq!(
            page["connector_metadata"],
            json!({"next_cursor": null, "has_more": false})
        );
        let last = Paged {
            pagination: crate::model::pagination(Paging::LastId {
                param: "since_id",
                id: "id",
                integer: true,
                end: PageEnd::Empty,
            }),
            size: Some("limit".into()),
            default_size: None,
        };
        let page = serve(&last, &json!({"since_id": 20, "limit": 2}), &records(5)).unwrap();
        assert_eq!(page["result"], json!([{"id": 30}, {"id": 40}]));
        let url = Paged {
            pagination: crate::model::pagination(Paging::NextUrl {
                param: "page[cursor]",
                next: "next",
                integer: false,
            }),
            size: Some("page[size]".into()),
            default_size: Some(3),
        };
        let page = serve(&url, &json!({}), &records(5)).unwrap();
        assert_eq!(
            page["connector_metadata"]["next"],
            json!("https://sandbox.invalid/items?page%5Bsize%5D=3&page%5Bcursor%5D=c3")
        );
        assert!(serve(&cursor, &json!({"start_cursor": "zz"}), &records(5)).is_err());
        let query = Paged {
            pagination: crate::model::pagination(Paging::NextUrlQuery {
                next: "next_page_uri",
                documented: &["PageSize"],
            }),
            size: Some("PageSize".into()),
            default_size: None,
        };
        let page = serve(&query, &json!({"PageSize": 2}), &records(5)).unwrap();
        assert_eq!(
            page["connector_metadata"]["next_page_uri"],
            json!("/2010-04-01/Items.json?PageSize=2&Page=1&PageToken=c2")
        );
        let page = serve(
            &query,
            &json!({"PageSize": 2, "Page": "2", "PageToken": "c4"}),
            &records(5),
        )
        .unwrap();
        assert_eq!(page["result"], json!([{"id": 50}]));
        assert_eq!(page["connector_metadata"]["next_page_uri"], Value::Null);
        // A token without its page number is refused.
        assert!(serve(
            &query,
            &json!({"PageSize": 2, "PageToken": "c4"}),
            &records(5)
        )
        .is_err());
    }

    #[test]
    fn the_default_size_is_the_documented_one_else_the_provider_like_one() {
        let mut paged = Paged {
            pagination: crate::model::pagination(Paging::Offset { param: "offset" }),
            size: Some("limit".into()),
            default_size: Some(7),
        };
        let page = serve(&paged, &json!({}), &records(60)).unwrap();
        assert_eq!(page["result"].as_array().unwrap().len(), 7);
        paged.default_size = None;
        let page = serve(&paged, &json!({}), &records(60)).unwrap();
        assert_eq!(page["result"].as_array().unwrap().len(), 50);
        let page = serve(&paged, &json!({"limit": 4}), &records(60)).unwrap();
        assert_eq!(page["result"].as_array().unwrap().len(), 4);
    }
}
