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
    // A get has no record to give for `"result": null`: not an empty record (which would
    // re-encode as `{}`), but the error `Client::execute` reports as `NotFound`.
    let e = GetContactParams::decode(body(&serde_json::json!({"result": null}))).unwrap_err();
    assert!(airbyte_agent_runtime::decode::is_null_result(&e), "{e}");
    assert_eq!(e.path, "result");
    let list = ListContactsParams::decode(body(
        &serde_json::json!({"result": null, "connector_metadata": {"next_page": null}}),
    ))
    .unwrap();
    assert!(list.records.is_empty());
}

/// A hit whose `data` is `null` (the class of case 02 one level down): the page decodes, the
/// hit keeps the `null` (`data: None`, not a made-up record) and re-encodes it; the other hits
/// of the page are read as usual.
#[test]
fn a_hit_whose_data_is_null_keeps_the_null() {
    use airbyte_agent_runtime::decode::search_hits;
    use airbyte_intercom::contacts::ContactSearchRecord;
    let input = serde_json::json!({"result": {"hits": [
        {"id": "a", "score": 1.5, "data": null},
        {"id": "b", "data": {"id": "b", "name": "Ada"}}
    ], "next_cursor": null}});
    let page = search_hits::<ContactSearchRecord>(body(&input)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.hits.len(), 2);
    assert_eq!(page.hits[0].id.as_deref(), Some("a"));
    assert_eq!(page.hits[0].data, None);
    assert_eq!(
        page.hits[1].data.as_ref().and_then(|r| r.name()),
        Some("Ada")
    );
    assert_eq!(
        serde_json::to_value(&page.hits[0]).unwrap(),
        serde_json::json!({"id": "a", "score": 1.5, "data": null})
    );
    assert_eq!(
        serde_json::to_value(&page).unwrap()["hits"],
        input["result"]["hits"]
    );
    // A hit without `data` is still an error naming it: absent is not `null`.
    let e = search_hits::<ContactSearchRecord>(body(
        &serde_json::json!({"result": {"hits": [{"id": "a"}]}}),
    ))
    .unwrap_err();
    assert_eq!(e.path, "result.hits[0]");
    assert!(e.message.contains("data"), "{e}");
    // A `null` item of a list of records has no record to be: an error naming the item.
    let e = search_hits::<ContactSearchRecord>(body(
        &serde_json::json!({"result": {"hits": [{"id": "a", "data": {}}, null]}}),
    ))
    .unwrap_err();
    assert_eq!(e.path, "result.hits[1]");
}

// ---------------------------------------------------------------------------------------------
// Scripted exchanges with the sandbox.

use airbyte_agent_runtime::{Client, ErrorKind, Paginated, Paging, RetryPolicy, SearchPage};
use airbyte_agent_sandbox::{Fault, Sandbox, SandboxConfig};
use airbyte_intercom::contacts::Contact;
use futures::StreamExt;

/// A scripted answer: `{"status", "headers"?, "body"}` of a case file.
fn respond(answer: &Value) -> Fault {
    let headers = answer["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    Fault::Respond {
        status: answer["status"].as_u64().unwrap_or(200) as u16,
        headers,
        body: answer["body"].to_string(),
    }
}

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig::default().log_requests(true)).await
}

fn client(sandbox: &Sandbox) -> Client {
    sandbox
        .connect(Client::builder())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// `contacts` `context_store_search`, written as the generator writes a `data` + `meta`
/// search (the committed Intercom crate is generated from the older `hits` reference).
#[derive(Debug, Clone, serde::Serialize)]
struct ContextStoreSearch {
    query: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    cursor: Option<String>,
}

impl Action for ContextStoreSearch {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "context_store_search";
    const IDEMPOTENT: bool = true;
    type Output = SearchPage<Contact>;
}

impl Paginated for ContextStoreSearch {
    const PAGING: Paging = Paging::Cursor {
        param: "cursor",
        next: "cursor",
        more: Some("has_more"),
    };
}

fn search() -> ContextStoreSearch {
    ContextStoreSearch {
        query: serde_json::json!({"filter": {"eq": {"role": "user"}}}),
        cursor: None,
    }
}

/// Streams `search()` against one scripted answer (a second request would get a 500);
/// returns the items, the errors, and the number of requests.
async fn stream_one(answer: Fault) -> (Vec<Contact>, Vec<airbyte_agent_runtime::Error>, u64) {
    let sandbox = sandbox().await;
    sandbox.push_fault(answer);
    sandbox.push_fault(Fault::Status(500));
    let results: Vec<_> = client(&sandbox).paginate(search()).collect().await;
    let (ok, err): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    (
        ok.into_iter().map(Result::unwrap).collect(),
        err.into_iter().map(Result::unwrap_err).collect(),
        sandbox.execute_requests(),
    )
}

/// Case 02, the stream half: each null-laden search body ends the stream after one request,
/// with its records and no error.
#[tokio::test]
async fn case_02_search_envelope_nulls_stream() {
    for (path, input) in inputs("02-search-envelope-nulls") {
        for (name, want) in [
            ("a_data_and_meta_null", 0),
            ("b_meta_members_null", 1),
            ("c_result_null", 0),
        ] {
            let answer = serde_json::json!({"status": 200, "body": input[name]});
            let (items, errors, requests) = stream_one(respond(&answer)).await;
            let what = format!("{} {name}", path.display());
            assert_eq!(items.len(), want, "{what}");
            assert!(errors.is_empty(), "{what}: {errors:?}");
            assert_eq!(requests, 1, "{what}");
        }
    }
}

/// Case 07: `has_more: true` without a usable cursor (null, "") yields the page, then one
/// `UnusableCursor` error naming entity, action and member, after exactly one request;
/// `has_more: false` ends cleanly whatever the cursor; the legacy hits envelope without a
/// cursor ends cleanly.
#[tokio::test]
async fn case_07_has_more_without_cursor() {
    for (path, input) in inputs("07-has-more-without-cursor") {
        for name in ["variant_a_cursor_null", "variant_b_cursor_empty"] {
            let (items, errors, requests) = stream_one(respond(&input[name])).await;
            let what = format!("{} {name}", path.display());
            assert_eq!(items.len(), 2, "{what}");
            assert_eq!(errors.len(), 1, "{what}");
            assert_eq!(
                requests, 1,
                "{what}: no second request, no `\"cursor\": \"\"`"
            );
            let e = &errors[0];
            assert_eq!(
                (e.entity(), e.action()),
                ("contacts", "context_store_search")
            );
            match e.kind() {
                ErrorKind::UnusableCursor { member, .. } => {
                    assert_eq!(member, "result.meta.cursor", "{what}")
                }
                other => panic!("{what}: {other:?}"),
            }
            let text = e.to_string();
            assert!(text.contains("contacts.context_store_search"), "{text}");
            assert!(text.contains("incomplete"), "{text}");
        }
        let (items, errors, requests) =
            stream_one(respond(&input["variant_c_no_more_but_cursor"])).await;
        assert_eq!(
            (items.len(), errors.len(), requests),
            (1, 0, 1),
            "variant C"
        );

        // D: the hits envelope of the committed crate.
        let sandbox = sandbox().await;
        sandbox.push_fault(respond(&input["variant_d_legacy_hits_end"]));
        sandbox.push_fault(Fault::Status(500));
        let ic = sandbox
            .connect(airbyte_intercom::Intercom::builder())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let results: Vec<_> = ic
            .contacts()
            .search(airbyte_intercom::contacts::fields::role().eq("user"))
            .stream()
            .collect()
            .await;
        assert_eq!(results.len(), 1, "variant D: {results:?}");
        assert!(results[0].is_ok(), "variant D: {results:?}");
        assert_eq!(sandbox.execute_requests(), 1, "variant D");
    }
    // The page type tells "finished" from "cannot continue".
    let page: SearchPage<Contact> = airbyte_agent_runtime::decode::search_page(body(
        &serde_json::json!({"result": {"data": [], "meta": {"has_more": true, "cursor": null}}}),
    ))
    .unwrap();
    assert_eq!(page.next_cursor(), None);
    assert!(page.has_more());
}

/// Case 06: a `next_page` that is an object `{page, starting_after}` is followed by its
/// `starting_after` (request 2 carries it byte for byte; 3 records, 2 requests); a bare page
/// number yields the 2 records then one `UnusableCursor` naming `connector_metadata.next_page`
/// and showing the value, after 1 request. `send()` keeps the object as received.
#[tokio::test]
async fn case_06_next_page_not_a_string() {
    for (path, input) in inputs("06-next-page-not-a-string") {
        let what = path.display();
        let first = &input["responses"][0];
        let second = &input["responses"][1];
        let cursor = first["body"]["connector_metadata"]["next_page"]["starting_after"].clone();

        // send(): one page, the member kept as received.
        let sandbox = sandbox().await;
        sandbox.push_fault(respond(first));
        let ic = sandbox
            .connect(airbyte_intercom::Intercom::builder())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let page = ic.contacts().list().send().await.unwrap();
        assert_eq!(page.records.len(), 2, "{what}");
        assert_eq!(
            page.meta.next_page.other(),
            Some(&first["body"]["connector_metadata"]["next_page"])
        );

        // Variant A: the cursor in the object is followed.
        let sandbox = sandbox_with(&[respond(first), respond(second), Fault::Status(500)]).await;
        let ic = sandbox
            .connect(airbyte_intercom::Intercom::builder())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let got: Vec<_> = ic.contacts().list().stream().collect().await;
        let ids: Vec<_> = got
            .iter()
            .map(|r| r.as_ref().unwrap().id().unwrap().to_owned())
            .collect();
        assert_eq!(
            ids,
            [
                "65a1b2c3d4e5f60718293a41",
                "65a1b2c3d4e5f60718293a42",
                "65a1b2c3d4e5f60718293a43"
            ],
            "{what}"
        );
        assert_eq!(sandbox.execute_requests(), 2, "{what}");
        let seen = sandbox.requests();
        assert_eq!(seen[1].body["params"]["starting_after"], cursor, "{what}");
        assert!(serde_json::to_string(&seen[1].body).unwrap().contains(
            r#""starting_after":"WzE3MTk0OTI3NzcwMDAsIjY1YTFiMmMzZDRlNWY2MDcxODI5M2E0YiIsMl0=""#
        ));

        // Variant B: a page number is not a cursor.
        let mut b = first.clone();
        b["body"]["connector_metadata"]["next_page"] = input["variant_b_next_page"].clone();
        let sandbox = sandbox_with(&[respond(&b), Fault::Status(500)]).await;
        let ic = sandbox
            .connect(airbyte_intercom::Intercom::builder())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let got: Vec<_> = ic.contacts().list().stream().collect().await;
        assert_eq!(got.len(), 3, "{what}: 2 records and an error");
        assert!(got[0].is_ok() && got[1].is_ok());
        let e = got[2].as_ref().unwrap_err();
        assert_eq!((e.entity(), e.action()), ("contacts", "list"));
        match e.kind() {
            ErrorKind::UnusableCursor { member, value, .. } => {
                assert_eq!(member, "connector_metadata.next_page");
                assert_eq!(value, "2");
            }
            other => panic!("{what}: {other:?}"),
        }
        assert_eq!(sandbox.execute_requests(), 1, "{what}");
    }
}

async fn sandbox_with(faults: &[Fault]) -> Sandbox {
    let sandbox = sandbox().await;
    for f in faults {
        sandbox.push_fault(f.clone());
    }
    sandbox
}

/// Case 09: with the default retry policy, an over-range `Retry-After` returns `RateLimited`
/// at once (one request, a saturated `retry_after` beyond `max_retry_after`, no sleep);
/// `X-RateLimit-Reset` (an epoch, or empty) is never read as a delay: the normal backoff
/// applies and the second request succeeds.
#[tokio::test]
async fn case_09_retry_after_overrange() {
    use std::time::{Duration, Instant};
    let policy = RetryPolicy::default();
    for (path, input) in inputs("09-retry-after-overrange") {
        for name in [
            "scenario_a_overrange_delta_seconds",
            "scenario_b_just_above_u64",
        ] {
            let what = format!("{} {name}", path.display());
            let sandbox = sandbox_with(&[respond(&input[name][0]), respond(&input[name][1])]).await;
            let ic = sandbox
                .connect(airbyte_intercom::Intercom::builder())
                .build()
                .unwrap();
            let started = Instant::now();
            let e = ic.tags().list().send().await.unwrap_err();
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{what}: no sleep"
            );
            assert_eq!(sandbox.execute_requests(), 1, "{what}");
            assert!(
                matches!(e.kind(), ErrorKind::RateLimited { .. }),
                "{what}: {e:?}"
            );
            assert_eq!(e.status(), Some(429));
            let d = e.retry_after().expect("a saturated retry_after");
            assert!(d >= policy.max_retry_after, "{what}: {d:?}");
        }
        for name in [
            "scenario_c_reset_epoch_only",
            "scenario_d_reset_header_empty",
        ] {
            let what = format!("{} {name}", path.display());
            let sandbox = sandbox_with(&[respond(&input[name][0]), respond(&input[name][1])]).await;
            let ic = sandbox
                .connect(airbyte_intercom::Intercom::builder())
                .build()
                .unwrap();
            let started = Instant::now();
            let page = ic
                .tags()
                .list()
                .send()
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(started.elapsed() < Duration::from_secs(5), "{what}");
            assert_eq!(page.records.len(), 1, "{what}");
            assert_eq!(sandbox.execute_requests(), 2, "{what}");
        }
    }
}

/// Case 14: the message the caller sees is the user-facing text (`userPresentableMessage`
/// first, every item in order, the top-level `error`), never the raw body; the technical
/// `message` is kept as `detail()` and follows it in the error's text; `errors()` has the
/// body's entries and `body()` the body; one request each (4xx is not retried).
#[tokio::test]
async fn case_14_error_user_presentable_message() {
    for (path, input) in inputs("14-error-user-presentable-message") {
        let cases = [
            (
                "scenario_a_both_keys",
                422,
                "per_page must be between 1 and 150.",
            ),
            (
                "scenario_b_user_presentable_only",
                400,
                "The connector is not configured for this workspace.; Reconnect the Intercom account and try again.",
            ),
            ("scenario_c_error_key", 403, "Token lacks the required scope"),
        ];
        for (name, status, want) in cases {
            let what = format!("{} {name}", path.display());
            let sandbox = sandbox_with(&[respond(&input[name])]).await;
            let ic = sandbox
                .connect(airbyte_intercom::Intercom::builder())
                .build()
                .unwrap();
            let e = ic.contacts().list().per_page(500).send().await.unwrap_err();
            assert_eq!(sandbox.execute_requests(), 1, "{what}");
            assert_eq!(e.status(), Some(status), "{what}");
            let message = match e.kind() {
                ErrorKind::Validation { message } if status != 403 => message,
                ErrorKind::Authentication { message } if status == 403 => message,
                other => panic!("{what}: {other:?}"),
            };
            assert_eq!(message, want, "{what}");
            assert!(!e.to_string().contains('{'), "{what}: {e}");
            // The structured entries, as the body has them; the raw body kept for debugging.
            let items = e.errors();
            let raw: Value = serde_json::from_str(e.body().unwrap()).unwrap();
            assert_eq!(raw, input[name]["body"], "{what}");
            let technical =
                "ValidationError: params.per_page: ensure this value is less than or equal to 150";
            match name {
                "scenario_a_both_keys" => {
                    assert_eq!(e.detail(), Some(technical));
                    assert_eq!(items.len(), 1, "{what}");
                    assert_eq!(items[0].user_presentable_message.as_deref(), Some(want));
                    assert_eq!(items[0].message.as_deref(), Some(technical));
                    // The user-facing text first, then the technical one.
                    assert!(
                        e.to_string().ends_with(&format!("{want} ({technical})")),
                        "{e}"
                    );
                }
                "scenario_b_user_presentable_only" => {
                    let texts: Vec<_> = items
                        .iter()
                        .map(|i| i.user_presentable_message.as_deref().unwrap())
                        .collect();
                    assert_eq!(texts.join("; "), want, "{what}");
                    assert!(items.iter().all(|i| i.message.is_none()), "{what}");
                    assert_eq!(e.detail(), None);
                }
                _ => assert!(items.is_empty(), "{what}"),
            }
        }
    }
}

/// The connector of the module generated from case 10's document, which names it
/// `crate::Intercom` as in the crate it was generated for (its `handle!` adds the
/// `conversations` method); only decoding is tested, so nothing builds one.
#[allow(dead_code)]
struct Intercom {
    client: Client,
}

#[allow(dead_code)]
impl Intercom {
    fn client(&self) -> &Client {
        &self.client
    }
}

/// The module generated from case 10's document (kept fresh by the codegen test
/// `case_10_generated_module_is_fresh`).
#[allow(dead_code, clippy::all)]
#[rustfmt::skip]
#[path = "case_10_generated/conversations.rs"]
mod case_10_conversations;

/// Case 10, decoding with the `Conversation` generated from the case's document: `None` in an
/// enum is the `null` member, an unlisted value is the catch-all `Unknown` and re-encodes as
/// sent, `True`/`False` cells are booleans, `0.5 | 1 | 1.5` is a number that keeps `1` as
/// integer text and keeps an unlisted `0.25`. (Parsing is checked in the codegen test of the
/// same name.)
#[test]
fn case_10_python_rendered_enum_members() {
    use case_10_conversations::{
        ConversationAiAgentLastAnswerType as Last, ConversationAiAgentResolutionState as State,
        ConversationLinkedCategory as Category, GetConversationParams,
    };
    for (path, input) in inputs("10-python-rendered-enum-members") {
        let what = path.display();
        let decode = |name: &str| {
            GetConversationParams::decode(body(&input[name]))
                .unwrap_or_else(|e| panic!("{what} {name}: {e}"))
        };
        let a = decode("a");
        let agent = a.ai_agent().unwrap();
        assert_eq!(agent.last_answer_type(), None);
        assert!(agent.last_answer_type.is_null());
        assert_eq!(
            agent.resolution_state(),
            Some(State::Unknown("escalated".into()))
        );
        assert_eq!(a.linked_category(), Some(Category::BackOffice));
        assert_eq!(a.linked_category().unwrap().as_str(), "Back-office");
        assert_eq!(a.merge_preview().unwrap().allowed(), Some(true));
        assert_eq!(a.merge_preview().unwrap().blocked(), Some(false));
        assert_eq!(a.score_weights(), Some(1.5));
        assert_eq!(serde_json::to_value(&a).unwrap(), input["a"]["result"]);

        let b = decode("b");
        let agent = b.ai_agent().unwrap();
        assert_eq!(agent.last_answer_type(), Some(Last::AiAnswer));
        assert_eq!(agent.resolution_state(), None);
        assert_eq!(agent.rating(), None);
        assert!(agent.resolution_state.is_null() && agent.rating.is_null());
        assert_eq!(b.linked_category(), None);
        assert_eq!(b.score_weights(), Some(1.0));
        let text = serde_json::to_string(&b).unwrap();
        assert!(
            text.contains(r#""score_weights":1}"#) || text.contains(r#""score_weights":1,"#),
            "{text}"
        );

        let c = decode("c");
        assert!(c.ai_agent.is_null() && c.merge_preview.is_null());
        assert_eq!(c.ai_agent(), None);
        assert_eq!(c.linked_category(), Some(Category::Tracker));
        assert_eq!(c.score_weights(), Some(0.25));
        assert_eq!(serde_json::to_value(&c).unwrap(), input["c"]["result"]);
        assert!(serde_json::to_string(&c).unwrap().contains("0.25"));
    }
}
