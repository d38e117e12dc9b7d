use super::*;
use serde_json::{json, Value};

fn body(v: Value) -> Bytes {
    Bytes::from(v.to_string())
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
struct Contact {
    id: String,
    #[serde(default)]
    email: Option<String>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
struct Meta {
    #[serde(default)]
    next_page: Option<String>,
}

#[test]
fn list_page_reads_records_and_meta() {
    let p: ListPage<Contact, Meta> = list_page(body(json!({
        "result": [{"id": "1", "email": "a@b.c", "extra": 1}, {"id": "2"}],
        "connector_metadata": {"next_page": "abc", "unknown": true},
        "other": null
    })))
    .unwrap();
    assert_eq!(p.records.len(), 2);
    assert_eq!(p.records[0].email.as_deref(), Some("a@b.c"));
    assert_eq!(p.meta.next_page.as_deref(), Some("abc"));

    // Missing or null metadata defaults; a null result is an empty page.
    let p: ListPage<Contact, Meta> = list_page(body(json!({"result": []}))).unwrap();
    assert_eq!(p.meta, Meta::default());
    let p: ListPage<Contact, Meta> =
        list_page(body(json!({"result": null, "connector_metadata": null}))).unwrap();
    assert!(p.records.is_empty());
}

#[test]
fn errors_name_the_failing_path() {
    let e =
        list_page::<Contact, Meta>(body(json!({"result": [{"id": "1"}, {"id": 2}]}))).unwrap_err();
    assert_eq!(e.path, "result[1].id");
    assert!(e.body_start.starts_with("{\"result\""));

    let e = record::<Contact>(body(json!({"result": {"email": "x"}}))).unwrap_err();
    assert_eq!(e.path, "result");
    assert!(e.message.contains("id"), "{}", e.message);

    let e = record::<Contact>(body(json!({"data": {}}))).unwrap_err();
    assert!(e.message.contains("result"), "{}", e.message);

    let e = record::<Contact>(Bytes::from_static(b"<html>502 Bad Gateway</html>")).unwrap_err();
    assert_eq!(e.body_start, "<html>502 Bad Gateway</html>");

    let e = record::<Contact>(Bytes::from_static(
        b"{\"result\": {\"id\": \"1\"} } trailing",
    ))
    .unwrap_err();
    assert!(e.message.contains("trailing"), "{}", e.message);

    let e = search_page::<Contact>(body(
        json!({"result": {"data": [{"id": "1"}], "meta": {"has_more": "perhaps"}}}),
    ))
    .unwrap_err();
    assert_eq!(e.path, "result.meta.has_more");
}

#[test]
fn search_envelopes_are_lenient() {
    let h: SearchHits<Contact> = search_hits(body(json!({"result": {
        "hits": [{"id": 17, "score": "0.5", "data": {"id": "17"}}, {"id": "18", "data": {"id": "18"}}],
        "next_cursor": 2,
        "took_ms": 3
    }})))
    .unwrap();
    assert_eq!(h.hits[0].id.as_deref(), Some("17"));
    assert_eq!(h.hits[0].score, Some(0.5));
    assert_eq!(h.hits[1].score, None);
    assert_eq!(h.next_cursor.as_deref(), Some("2"));
    assert_eq!(h.took_ms, Some(3.0));
    assert_eq!(h.clone().into_records().len(), 2);

    let empty: SearchHits<Contact> = search_hits(body(json!({"result": {}}))).unwrap();
    assert!(empty.hits.is_empty() && empty.next_cursor.is_none());

    let p: SearchPage<Contact> = search_page(body(json!({"result": {
        "data": [{"id": "1"}],
        "meta": {"has_more": true, "cursor": "2", "took_ms": 3.5}
    }})))
    .unwrap();
    assert_eq!(p.next_cursor(), Some("2"));
    assert_eq!(p.meta.took_ms, Some(3.5));
    let last: SearchPage<Contact> = search_page(body(json!({"result": {
        "data": [], "meta": {"has_more": false, "cursor": "2"}
    }})))
    .unwrap();
    assert_eq!(last.next_cursor(), None);
    let no_meta: SearchPage<Contact> = search_page(body(json!({"result": {"data": []}}))).unwrap();
    assert!(!no_meta.meta.has_more);
}

#[test]
fn bytes_are_passed_through() {
    let raw = Bytes::from_static(b"\x00\x01binary");
    assert_eq!(bytes(raw.clone()).unwrap(), raw);
}

/// Decodes the shared envelope fixtures when they are present (a fresh clone has none).
#[test]
fn shared_fixture_envelopes_decode() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/airbyte");
    if !dir.is_dir() {
        println!("skipping: {} is absent", dir.display());
        return;
    }
    let read = |name: &str| Bytes::from(std::fs::read(dir.join(name)).unwrap());

    #[derive(Debug, Default, Deserialize)]
    struct ListMeta {
        next_page: Option<String>,
    }
    let list: ListPage<Value, ListMeta> =
        list_page(read("execute_response_list_contacts.json")).unwrap();
    assert!(!list.records.is_empty());
    assert!(list.meta.next_page.is_some());
    assert!(list.records.iter().all(|r| r.get("id").is_some()));

    let get: Value = record(read("execute_response_get_contact.json")).unwrap();
    assert_eq!(get["type"], "contact");

    let hits: SearchHits<Contact> =
        search_hits(read("execute_response_search_legacy_hits.json")).unwrap();
    assert_eq!(hits.hits.len(), 1);
    assert_eq!(
        hits.hits[0].record().map(|c| &c.id),
        hits.hits[0].id.as_ref()
    );
    assert!(hits.next_cursor.is_some());

    let page: SearchPage<Contact> =
        search_page(read("execute_response_context_store_search.json")).unwrap();
    assert_eq!(page.data.len(), 2);
    assert!(page.meta.has_more);
    assert!(page.next_cursor().is_some());

    let msg = crate::error::server_message(&read("error_422.json"));
    assert!(msg.contains("must be a string"), "{msg}");
}

/// A generated-style record (read by [`crate::record`], which tells where records start).
#[derive(Clone, Default, PartialEq)]
struct Tag {
    id: crate::Lenient<String>,
    extra: crate::Extra,
}

crate::record!(Tag { "id" => id });

#[test]
fn list_pages_of_records_are_sized_from_the_first_records() {
    let tag = |i: usize, pad: usize| json!({"id": format!("{i:03}"), "pad": "x".repeat(pad)});
    let cases: [(&str, Vec<Value>); 4] = [
        ("alike", (0..300).map(|i| tag(i, 40)).collect()),
        // A short first record: the estimate is bounded by the body's size.
        (
            "short first",
            std::iter::once(json!({"id": "0"}))
                .chain((1..300).map(|i| tag(i, 400)))
                .collect(),
        ),
        // A long first record: the `Vec` grows past the estimate as usual.
        (
            "long first",
            std::iter::once(tag(0, 5000))
                .chain((1..300).map(|i| tag(i, 10)))
                .collect(),
        ),
        ("one", vec![tag(0, 3)]),
    ];
    for (name, records) in cases {
        let page = body(json!({"result": records, "connector_metadata": {"next_page": "n"}}));
        let size = page.len();
        let p: ListPage<Tag, Meta> = list_page(page).unwrap();
        assert_eq!(p.records.len(), records.len(), "{name}");
        for (got, want) in p.records.iter().zip(&records) {
            assert_eq!(serde_json::to_value(got).unwrap(), *want, "{name}");
        }
        let most = (2 * size / std::mem::size_of::<Tag>()).max(p.records.len());
        assert!(
            p.records.capacity() <= 2 * most,
            "{name}: {}",
            p.records.capacity()
        );
        assert_eq!(p.meta.next_page.as_deref(), Some("n"));
    }
    // Alike records are counted within an eighth: no regrowth, little to spare.
    let page = body(json!({"result": (0..300).map(|i| tag(i, 40)).collect::<Vec<_>>()}));
    let p: ListPage<Tag, Meta> = list_page(page).unwrap();
    assert!(
        (300..=340).contains(&p.records.capacity()),
        "{}",
        p.records.capacity()
    );
}

#[test]
fn undocumented_members_read_from_a_page_keep_their_text() {
    // Runs of members next to each other are copied from the body in one piece; spaces,
    // escaped names and documented members between them end a run.
    let records = [
        r#"{"a":1,"b":[1,{"c":"d"}],"id":"1","e":null,"f":"\u0041","g":2.50}"#,
        r#"{"a" : 1,"b":2, "c":3 ,"d":4,"id":"2"}"#,
        r#"{"id":"3"}"#,
        r#"{"x\"y":1,"z":{"id":7},"id":"4","w":"last"}"#,
    ];
    let page = format!(r#"{{"result":[{}]}}"#, records.join(","));
    let p: ListPage<Tag, Meta> = list_page(Bytes::from(page)).unwrap();
    assert_eq!(p.records.len(), records.len());
    for (got, text) in p.records.iter().zip(records) {
        let alone: Tag = serde_json::from_str(text).unwrap();
        assert_eq!(got.extra.json(), alone.extra.json(), "{text}");
        assert_eq!(
            serde_json::to_value(got).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }
    assert_eq!(
        p.records[0].extra.json(),
        r#"{"a":1,"b":[1,{"c":"d"}],"e":null,"f":"\u0041","g":2.50}"#
    );
    assert_eq!(p.records[1].extra.json(), r#"{"a":1,"b":2,"c":3,"d":4}"#);
    assert_eq!(p.records[2].extra.json(), "{}");
    assert_eq!(
        p.records[3].extra.json(),
        r#"{"x\"y":1,"z":{"id":7},"w":"last"}"#
    );
}

#[test]
fn a_null_result_is_no_record_not_an_empty_one() {
    // `"result": null` has no record to give: an empty record would re-encode as `{}`.
    let e = present_record::<Contact>(body(json!({"result": null}))).unwrap_err();
    assert_eq!(e.path, "result");
    assert!(is_null_result(&e), "{e}");
    assert!(e.message.contains("null"), "{}", e.message);
    // Absent is another fault (a missing member), not the null answer.
    let e = present_record::<Contact>(body(json!({"data": {}}))).unwrap_err();
    assert!(!is_null_result(&e), "{e}");
    let c = present_record::<Contact>(body(json!({"result": {"id": "1"}}))).unwrap();
    assert_eq!(c.id, "1");
}

#[test]
fn a_null_item_of_a_page_is_an_error_naming_its_index() {
    let e = list_page::<Contact, Meta>(body(json!({"result": [{"id": "1"}, null]}))).unwrap_err();
    assert_eq!(e.path, "result[1]");
    assert!(e.message.contains("`null` item"), "{}", e.message);

    let e = search_page::<Contact>(body(
        json!({"result": {"data": [null, {"id": "1"}], "meta": {}}}),
    ))
    .unwrap_err();
    assert_eq!(e.path, "result.data[0]");
    assert!(e.message.contains("`null` item"), "{}", e.message);
}
