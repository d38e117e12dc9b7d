//! The cases of `../shared/cases` (real-world faults from public bug reports), one test per
//! case named after it. Each runs on the repo's own copy of the case input
//! (`tests/fixtures/cases/<case>.json`), and again on `../shared/cases/<case>/input.json` when
//! that is present (saying so when it is absent).

use std::path::{Path, PathBuf};

use airbyte_agent_runtime::{Action, Lenient};
use bytes::Bytes;
use serde_json::Value;

/// The inputs of `case`: the repo's copy, then the shared one when present.
fn inputs(case: &str) -> Vec<(PathBuf, Value)> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/cases/{case}.json"));
    let shared =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../shared/cases/{case}/input.json"));
    let mut out = vec![(repo.clone(), read(&repo))];
    if shared.exists() {
        out.push((shared.clone(), read(&shared)));
    } else {
        println!("skipping {}: ../shared is absent", shared.display());
    }
    out
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn body(v: &Value) -> Bytes {
    Bytes::from(serde_json::to_vec(v).unwrap())
}

/// Case 05, part A: a company whose integer members are beyond i64, strings of digits, or
/// beyond 2^53 decodes; no field claims a number other than the one sent, and re-encoding
/// gives back the very numbers received. (Part B, the numeric `coerce` helpers, is
/// `case_05_integers_beyond_i64_helpers_never_clamp` in the runtime.)
#[test]
fn case_05_integers_beyond_i64() {
    use airbyte_intercom::companies::ListCompaniesParams;
    for (path, input) in inputs("05-integers-beyond-i64") {
        let page = ListCompaniesParams::decode(body(&input))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(page.records.len(), 1);
        let c = &page.records[0];
        // i64::MAX + 1: not clamped, kept as received.
        assert!(
            !matches!(c.user_count, Lenient::Known(_)),
            "{:?}",
            c.user_count
        );
        assert_eq!(c.user_count(), None);
        assert_eq!(c.user_count.to_value().to_string(), "9223372036854775808");
        // A string of 20 digits: kept as the string.
        assert_eq!(
            c.session_count.to_value(),
            Value::String("99999999999999999999".into())
        );
        assert_eq!(c.session_count(), None);
        // 2^53 + 1 fits i64: exact, no trip through f64.
        assert_eq!(c.remote_created_at, Lenient::Known(9_007_199_254_740_993));
        // Beyond 2^53 in a `number` field: the exact integer kept, the f64 accessor does not
        // round it (12345678901234567890 as f64 is ...7168).
        assert_eq!(
            c.monthly_spend.to_value().to_string(),
            "12345678901234567890"
        );
        assert_eq!(c.monthly_spend(), None);
        assert_eq!(c.created_at, Lenient::Known(1_719_492_777));
        // Below i64::MIN: never i64::MIN.
        assert_ne!(c.size, Lenient::Known(i64::MIN));
        assert_eq!(c.size(), None);
        // Re-encoding writes the numbers received.
        let text = serde_json::to_string(c).unwrap();
        for exact in [
            r#""user_count":9223372036854775808"#,
            r#""session_count":"99999999999999999999""#,
            r#""remote_created_at":9007199254740993"#,
            r#""monthly_spend":12345678901234567890"#,
            r#""created_at":1719492777"#,
        ] {
            assert!(text.contains(exact), "{exact} in {text}");
        }
    }
}

/// Case 02: search envelopes with `null` members decode (nothing is a protocol error), and a
/// `null` never means more pages. The stream half is `case_02_search_envelope_nulls_stream`.
#[test]
fn case_02_search_envelope_nulls() {
    use airbyte_agent_runtime::decode::{search_hits, search_page};
    use airbyte_intercom::contacts::Contact;
    for (path, input) in inputs("02-search-envelope-nulls") {
        let what = path.display();
        let a = search_page::<Contact>(body(&input["a_data_and_meta_null"]))
            .unwrap_or_else(|e| panic!("{what} a: {e}"));
        assert!(a.data.is_empty());
        assert!(!a.meta.has_more);
        assert_eq!(a.meta.cursor, None);
        assert_eq!(a.meta.took_ms, None);
        assert_eq!(a.next_cursor(), None);

        let b = search_page::<Contact>(body(&input["b_meta_members_null"]))
            .unwrap_or_else(|e| panic!("{what} b: {e}"));
        assert_eq!(b.data.len(), 1);
        assert_eq!(b.data[0].id(), Some("65a1b2c3d4e5f60718293a4b"));
        assert!(!b.meta.has_more);
        assert_eq!(b.meta.cursor, None);
        assert_eq!(b.meta.took_ms, None);

        let c = search_page::<Contact>(body(&input["c_result_null"]))
            .unwrap_or_else(|e| panic!("{what} c: {e}"));
        assert!(c.data.is_empty());
        assert!(!c.meta.has_more);
    }
    // The same rule for every other envelope: hits, get, list.
    let hits = search_hits::<Contact>(body(&serde_json::json!({"result": null}))).unwrap();
    assert!(hits.hits.is_empty());
    let hits = search_hits::<Contact>(body(&serde_json::json!({
        "result": {"hits": null, "next_cursor": null, "took_ms": null}
    })))
    .unwrap();
    assert!(hits.hits.is_empty() && hits.next_cursor.is_none() && hits.took_ms.is_none());
    let hits = search_hits::<Contact>(body(&serde_json::json!({
        "result": {"hits": [{"id": null, "score": null, "data": {"id": "1"}}]}
    })))
    .unwrap();
    assert_eq!(hits.hits[0].id, None);
    assert_eq!(hits.hits[0].score, None);
    use airbyte_intercom::contacts::{GetContactParams, ListContactsParams};
    let got = GetContactParams::decode(body(&serde_json::json!({"result": null}))).unwrap();
    assert_eq!(got, Contact::default());
    let list = ListContactsParams::decode(body(
        &serde_json::json!({"result": null, "connector_metadata": {"next_page": null}}),
    ))
    .unwrap();
    assert!(list.records.is_empty());
}
