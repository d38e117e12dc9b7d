//! Odd but legal JSON (RFC 8259): a survey of what the JSON grammar allows and serde_json
//! rejects or treats strictly, one test per decision (`docs/GUARANTEES.md#odd-json`). In each,
//! one record of a three-record page carries the oddity; the other two must decode exactly as
//! they do alone: one odd record never costs the page.

use airbyte_agent_runtime::{Action, Lenient};
use airbyte_intercom::contacts::{Contact, ListContactsParams};
use bytes::Bytes;
use serde_json::{json, Value};

const FIRST: &str =
    r#"{"type": "contact", "id": "c1", "email": "a@example.test", "created_at": 1719492777}"#;
const LAST: &str = r#"{"type": "contact", "id": "c3", "name": "Zoë", "created_at": 1}"#;

/// Decodes a page whose middle record is `odd` (JSON text) and checks the neighbours.
fn page(odd: &str) -> Vec<Contact> {
    page_bytes(
        format!(
            r#"{{"result": [{FIRST}, {odd}, {LAST}], "connector_metadata": {{"next_page": null}}}}"#
        )
        .into_bytes(),
    )
}

fn page_bytes(body: Vec<u8>) -> Vec<Contact> {
    let page = ListContactsParams::decode(Bytes::from(body)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.records.len(), 3);
    for (record, text) in [(&page.records[0], FIRST), (&page.records[2], LAST)] {
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_value(record).unwrap(), want);
    }
    page.records
}

/// A byte order mark before the body: RFC 8259 section 8.1 lets a parser ignore it; it is
/// skipped.
#[test]
fn a_byte_order_mark_is_skipped() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(
        format!(r#"{{"result": [{FIRST}, {{"id": "c2"}}, {LAST}]}}"#).as_bytes(),
    );
    let records = page_bytes(body);
    assert_eq!(records[1].id(), Some("c2"));
}

/// A number beyond `f64` (`1e400`, `-1e400`; legal, section 6 lets implementations limit
/// range): serde_json fails the whole body on it. The page decodes; the member is kept as the
/// exact text, as a string (never infinity, never `null`, never a clamped value).
#[test]
fn a_number_beyond_f64_is_kept_as_its_text() {
    let records = page(r#"{"id": "c2", "created_at": 1e400, "custom": {"n": -1e400}}"#);
    assert_eq!(records[1].id(), Some("c2"));
    assert_eq!(records[1].created_at(), None);
    assert_eq!(records[1].created_at, Lenient::other_value(json!("1e400")));
    assert_eq!(
        serde_json::to_value(&records[1]).unwrap()["custom"]["n"],
        json!("-1e400")
    );
}

/// A lone UTF-16 surrogate escape (`"\ud800"`; the grammar allows any `\uXXXX`, section 8.2
/// says the result is unpredictable): no Rust string can hold it, and serde_json fails the
/// body. The page decodes; that one string has U+FFFD in the surrogate's place; a proper pair
/// stays the character.
#[test]
fn a_lone_surrogate_becomes_the_replacement_character() {
    let records =
        page(r#"{"id": "c2", "name": "a\ud800b", "email": "\udc00", "phone": "\ud83d\ude00"}"#);
    assert_eq!(records[1].name(), Some("a\u{fffd}b"));
    assert_eq!(records[1].email(), Some("\u{fffd}"));
    assert_eq!(records[1].phone(), Some("😀"));
}

/// An integer beyond 64 bits (legal; section 6): serde_json reads it as the nearest `f64`
/// before any code of ours sees it. An integer field never claims it (`Known` is only an
/// exact `i64`); the re-encoded value is that `f64` (the one place a number is not kept
/// byte-exact: see GUARANTEES.md).
#[test]
fn an_integer_beyond_64_bits_is_never_claimed() {
    let records = page(
        r#"{"id": "c2", "created_at": 18446744073709551616, "updated_at": -9223372036854775809}"#,
    );
    assert_eq!(records[1].created_at(), None);
    assert!(!records[1].created_at.is_known());
    assert_eq!(records[1].updated_at(), None);
    assert_ne!(records[1].updated_at, Lenient::Known(i64::MIN));
}

/// Escapes of ordinary characters (`\/`, `\u00e9`), exponent and negative-zero integers, all
/// four whitespace characters: read as the values they denote.
#[test]
fn escapes_exponents_and_whitespace_read_as_their_values() {
    let records = page("{\"id\":\t\"c\\/2\",\r\n \"name\": \"Ren\\u00e9e\", \"created_at\": 1E2, \"updated_at\": -0}");
    assert_eq!(records[1].id(), Some("c/2"));
    assert_eq!(records[1].name(), Some("Renée"));
    // `1E2` is a float in JSON's grammar: kept as received, not claimed as an integer.
    assert_eq!(records[1].created_at(), None);
    assert_eq!(records[1].created_at.to_value(), json!(100.0));
    // `-0` is read by serde_json as the float -0.0: kept as received, not claimed as 0.
    assert_eq!(records[1].updated_at(), None);
    assert_eq!(records[1].updated_at.to_value(), json!(-0.0));
}

/// Duplicate member names (section 4: names SHOULD be unique, behaviour is unpredictable):
/// the last one wins, as in JavaScript and serde_json's `Value`; the page decodes.
#[test]
fn duplicate_members_keep_the_last() {
    let records = page(
        r#"{"id": "c2", "email": "first@example.test", "email": "last@example.test", "x": 1, "x": 2}"#,
    );
    assert_eq!(records[1].email(), Some("last@example.test"));
    assert_eq!(serde_json::to_value(&records[1]).unwrap()["x"], json!(2));
}

/// Empty and unusual member names, and values of every kind in undocumented members: kept.
#[test]
fn unusual_member_names_are_kept() {
    let records = page(r#"{"id": "c2", "": 1, "a.b": [null, {}], "é": true}"#);
    let v = serde_json::to_value(&records[1]).unwrap();
    assert_eq!(v[""], json!(1));
    assert_eq!(v["a.b"], json!([null, {}]));
    assert_eq!(v["é"], json!(true));
}

/// Nesting deeper than serde_json's limit of 128 (section 9 lets a parser limit depth): the
/// one decision that costs the page. The limit keeps a hostile body from overflowing the
/// stack; the error names the failing path and says why.
#[test]
fn nesting_beyond_128_levels_is_a_located_error() {
    let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
    let body = format!(r#"{{"result": [{FIRST}, {{"id": "c2", "custom": {deep}}}, {LAST}]}}"#);
    let e = ListContactsParams::decode(Bytes::from(body)).unwrap_err();
    assert!(e.message.contains("recursion limit"), "{e}");
    // 100 levels are fine.
    let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    let records = page(&format!(r#"{{"id": "c2", "custom": {ok}}}"#));
    assert_eq!(records[1].id(), Some("c2"));
}
