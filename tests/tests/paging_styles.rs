//! Every paging style end to end: the sandbox serves a list of ten records in the style, the
//! runtime's pager streams it to the end with a page size of 3. Each test checks the records
//! (all, in order, once), the requests (how many, the paging parameter each carried, the
//! caller's page size on every one) and the end condition; then the loop guard and the
//! errors on unusable metadata.

use std::marker::PhantomData;

use airbyte_agent_runtime::{
    Action, Client, Error, ErrorKind, ListPage, PageEnd, Paginated, Paging, RetryPolicy,
};
use airbyte_agent_sandbox::{Fault, Sandbox, SandboxConfig};
use futures::StreamExt;
use serde_json::{json, Value};

/// A paging style under test: the entity it is served as, its paging and page-size parameter.
trait Style: 'static {
    const ENTITY: &'static str;
    const PAGING: Paging;
    const SIZE: &'static str;
}

/// A `list` of the style's entity; the params are any JSON object.
struct List<S>(Value, PhantomData<fn() -> S>);

impl<S> Clone for List<S> {
    fn clone(&self) -> Self {
        List(self.0.clone(), PhantomData)
    }
}

impl<S> serde::Serialize for List<S> {
    fn serialize<Z: serde::Serializer>(&self, s: Z) -> Result<Z::Ok, Z::Error> {
        self.0.serialize(s)
    }
}

impl<S: Style> Action for List<S> {
    const ENTITY: &'static str = S::ENTITY;
    const ACTION: &'static str = "list";
    const IDEMPOTENT: bool = true;
    type Output = ListPage<Value, Value>;
}

impl<S: Style> Paginated for List<S> {
    const PAGING: Paging = S::PAGING;
}

macro_rules! style {
    ($name:ident, $entity:literal, $size:literal, $paging:expr) => {
        struct $name;
        impl Style for $name {
            const ENTITY: &'static str = $entity;
            const PAGING: Paging = $paging;
            const SIZE: &'static str = $size;
        }
    };
}

style!(
    Cursor,
    "pages",
    "page_size",
    Paging::Cursor {
        param: "start_cursor",
        next: "next_cursor",
        more: Some("has_more")
    }
);
style!(
    Token,
    "messages",
    "maxResults",
    Paging::Cursor {
        param: "pageToken",
        next: "nextPageToken",
        more: None
    }
);
style!(
    PageNext,
    "tickets",
    "per_page",
    Paging::Page {
        param: "page",
        first: 1,
        end: PageEnd::Absent("next")
    }
);
style!(
    PageMore,
    "leads",
    "per_page",
    Paging::Page {
        param: "page",
        first: 1,
        end: PageEnd::False("more_records")
    }
);
style!(
    PageLast,
    "tasks",
    "page_size",
    Paging::Page {
        param: "page",
        first: 0,
        end: PageEnd::True("last_page")
    }
);
style!(
    PageCount,
    "forms",
    "page_size",
    Paging::Page {
        param: "page",
        first: 1,
        end: PageEnd::Count("page_count")
    }
);
style!(
    PageEmpty,
    "ads",
    "page_size",
    Paging::Page {
        param: "page",
        first: 1,
        end: PageEnd::Empty
    }
);
style!(
    Offset,
    "rows",
    "rowLimit",
    Paging::Offset { param: "startRow" }
);
style!(
    LastId,
    "customers",
    "limit",
    Paging::LastId {
        param: "since_id",
        id: "id",
        integer: true,
        end: PageEnd::Empty
    }
);
style!(
    LastIdMore,
    "charges",
    "limit",
    Paging::LastId {
        param: "starting_after",
        id: "id",
        integer: false,
        end: PageEnd::False("has_more")
    }
);
style!(
    NextUrl,
    "profiles",
    "page[size]",
    Paging::NextUrl {
        param: "page[cursor]",
        next: "next",
        integer: false
    }
);
style!(
    NextUrlInt,
    "calls",
    "per_page",
    Paging::NextUrl {
        param: "start_time",
        next: "next_page",
        integer: true
    }
);

style!(
    NextUrlQuery,
    "accounts",
    "PageSize",
    Paging::NextUrlQuery {
        next: "next_page_uri",
        documented: &["PageSize", "filter"]
    }
);

/// Ten records with integer ids 10, 20, .., 100.
fn records() -> Vec<Value> {
    (1..=10)
        .map(|i| json!({"id": i * 10, "name": format!("r{i}")}))
        .collect()
}

async fn sandbox<S: Style>() -> Sandbox {
    let config = SandboxConfig::default().paged(S::ENTITY, S::PAGING, S::SIZE, records());
    Sandbox::start(config).await
}

fn client(sandbox: &Sandbox) -> Client {
    sandbox
        .connect(Client::builder())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Streams the style's list with page size 3 from `sandbox`: the records, the errors, and the
/// params of each request.
async fn stream<S: Style>(sandbox: &Sandbox) -> (Vec<Value>, Vec<Error>, Vec<Value>) {
    let first = List::<S>(json!({ S::SIZE: 3, "filter": "kept" }), PhantomData);
    let results: Vec<_> = client(sandbox).paginate(first).collect().await;
    let (ok, err): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    let params = sandbox
        .requests()
        .into_iter()
        .map(|s| s.body["params"].clone())
        .collect();
    (
        ok.into_iter().map(Result::unwrap).collect(),
        err.into_iter().map(Result::unwrap_err).collect(),
        params,
    )
}

/// Streams the style to the end and checks the records and the requests: `positions` is the
/// paging parameter each request carried (`Null`: none).
async fn streams_to_the_end<S: Style>(positions: &[Value]) {
    let sandbox = sandbox::<S>().await;
    let (items, errors, params) = stream::<S>(&sandbox).await;
    assert!(errors.is_empty(), "{}: {errors:?}", S::ENTITY);
    assert_eq!(
        items,
        records(),
        "{}: every record once, in order",
        S::ENTITY
    );
    let sent: Vec<Value> = params.iter().map(position::<S>).collect();
    assert_eq!(
        sent,
        positions,
        "{}: paging parameter of each request",
        S::ENTITY
    );
    for p in &params {
        assert_eq!(
            p[S::SIZE],
            json!(3),
            "{}: the page size on every page: {p}",
            S::ENTITY
        );
        assert_eq!(
            p["filter"],
            json!("kept"),
            "{}: other params on every page",
            S::ENTITY
        );
    }
}

/// The paging position a request carried (`Null`: none): the paging parameter, or for a
/// next URL with undocumented parameters all the request's parameters but the documented ones.
fn position<S: Style>(params: &Value) -> Value {
    match S::PAGING {
        Paging::NextUrlQuery { documented, .. } => {
            let mut rest = params.as_object().cloned().unwrap_or_default();
            rest.retain(|k, _| !documented.contains(&k.as_str()));
            if rest.is_empty() {
                Value::Null
            } else {
                Value::Object(rest)
            }
        }
        paging => {
            let param = paging.param().expect("a style with a parameter");
            params.get(param).cloned().unwrap_or(Value::Null)
        }
    }
}

#[tokio::test]
async fn cursor_with_a_more_flag() {
    streams_to_the_end::<Cursor>(&[Value::Null, json!("c3"), json!("c6"), json!("c9")]).await;
}

#[tokio::test]
async fn token_fed_into_a_parameter_of_another_name() {
    streams_to_the_end::<Token>(&[Value::Null, json!("c3"), json!("c6"), json!("c9")]).await;
}

#[tokio::test]
async fn page_number_until_next_is_absent() {
    streams_to_the_end::<PageNext>(&[Value::Null, json!(2), json!(3), json!(4)]).await;
}

#[tokio::test]
async fn page_number_until_more_records_is_false() {
    streams_to_the_end::<PageMore>(&[Value::Null, json!(2), json!(3), json!(4)]).await;
}

#[tokio::test]
async fn zero_based_page_number_until_last_page() {
    streams_to_the_end::<PageLast>(&[Value::Null, json!(1), json!(2), json!(3)]).await;
}

#[tokio::test]
async fn page_number_until_the_page_count() {
    streams_to_the_end::<PageCount>(&[Value::Null, json!(2), json!(3), json!(4)]).await;
}

#[tokio::test]
async fn page_number_until_an_empty_page() {
    streams_to_the_end::<PageEmpty>(&[Value::Null, json!(2), json!(3), json!(4), json!(5)]).await;
}

#[tokio::test]
async fn row_offset_advanced_by_the_records_received() {
    streams_to_the_end::<Offset>(&[Value::Null, json!(3), json!(6), json!(9), json!(10)]).await;
}

#[tokio::test]
async fn last_id_until_an_empty_page() {
    streams_to_the_end::<LastId>(&[Value::Null, json!(30), json!(60), json!(90), json!(100)]).await;
}

#[tokio::test]
async fn last_id_until_has_more_is_false() {
    streams_to_the_end::<LastIdMore>(&[Value::Null, json!("30"), json!("60"), json!("90")]).await;
}

#[tokio::test]
async fn next_url_carrying_a_cursor_parameter() {
    streams_to_the_end::<NextUrl>(&[Value::Null, json!("c3"), json!("c6"), json!("c9")]).await;
}

#[tokio::test]
async fn next_url_carrying_an_integer_parameter() {
    streams_to_the_end::<NextUrlInt>(&[Value::Null, json!(3), json!(6), json!(9)]).await;
}

/// Twilio's `next_page_uri`: its `Page` and `PageToken` are no documented parameter, and the
/// sandbox refuses a token without its page number; each next request carries exactly the
/// URL's two, beside the caller's page size and filter.
#[tokio::test]
async fn next_url_carrying_only_undocumented_parameters() {
    let at = |page: &str, token: &str| json!({"Page": page, "PageToken": token});
    streams_to_the_end::<NextUrlQuery>(&[Value::Null, at("1", "c3"), at("2", "c6"), at("3", "c9")])
        .await;
}

/// The caller's own start (a page number, an offset) is where the stream starts.
#[tokio::test]
async fn a_start_set_by_the_caller_is_kept() {
    let sandbox = sandbox::<PageMore>().await;
    let first = List::<PageMore>(json!({"per_page": 4, "page": 2}), PhantomData);
    let items: Vec<Value> = client(&sandbox)
        .paginate(first)
        .map(Result::unwrap)
        .collect()
        .await;
    assert_eq!(items, records()[4..].to_vec());
    assert_eq!(sandbox.execute_requests(), 2);
}

/// A scripted page of `ids` with this metadata.
fn page(ids: &[i64], meta: Value) -> Fault {
    let rows: Vec<Value> = ids.iter().map(|i| json!({"id": i})).collect();
    Fault::Respond {
        status: 200,
        headers: vec![],
        body: json!({"result": rows, "connector_metadata": meta}).to_string(),
    }
}

async fn scripted<S: Style>(answers: Vec<Fault>) -> (Vec<Value>, Vec<Error>, u64) {
    let sandbox = sandbox::<S>().await;
    for a in answers {
        sandbox.push_fault(a);
    }
    sandbox.push_fault(Fault::Status(500));
    let (items, errors, _) = stream::<S>(&sandbox).await;
    (items, errors, sandbox.execute_requests())
}

/// Loop guard: a server that ignores the position and answers the same page again ends the
/// stream with an error after that page, not an endless stream.
#[tokio::test]
async fn a_position_that_does_not_advance_is_an_error() {
    // A cursor handed out twice.
    let (items, errors, requests) = scripted::<Token>(vec![
        page(&[1], json!({"nextPageToken": "t1"})),
        page(&[2], json!({"nextPageToken": "t1"})),
    ])
    .await;
    assert_eq!((items.len(), requests), (2, 2));
    assert!(
        matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::RepeatedCursor { cursor, member } if cursor == "t1" && member == "connector_metadata.nextPageToken")),
        "{errors:?}"
    );
    // A server that ignores since_id: the same last id again, its records not yielded twice.
    let (items, errors, requests) =
        scripted::<LastId>(vec![page(&[1, 2], json!({})), page(&[1, 2], json!({}))]).await;
    assert_eq!((items.len(), requests), (2, 2));
    assert!(
        matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::RepeatedCursor { cursor, .. } if cursor == "2")),
        "{errors:?}"
    );
    // A server that ignores the page number (and states no end): the first page again is
    // not yielded twice, nor requested forever.
    let (items, errors, requests) = scripted::<PageEmpty>(vec![
        page(&[1, 2, 3], json!({})),
        page(&[1, 2, 3], json!({})),
        page(&[4], json!({})),
    ])
    .await;
    assert_eq!((items.len(), requests), (3, 2));
    assert!(
        matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::RepeatedPage { param, position } if param == "page" && position == "2")),
        "{errors:?}"
    );
    assert!(
        errors[0].to_string().contains("the server ignores `page`"),
        "{}",
        errors[0]
    );
    // Likewise a row offset.
    let (items, errors, requests) = scripted::<Offset>(vec![
        page(&[1, 2, 3], json!({})),
        page(&[1, 2, 3], json!({})),
    ])
    .await;
    assert_eq!((items.len(), requests), (3, 2));
    assert!(
        matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::RepeatedPage { param, .. } if param == "startRow")),
        "{errors:?}"
    );
    // A connector that does not pass the URL's undocumented parameters on: the vendor answers
    // the first page again, with the same URL; its records are not yielded twice.
    let uri = json!({"next_page_uri": "/Items.json?PageSize=3&Page=1&PageToken=PA1"});
    let (items, errors, requests) =
        scripted::<NextUrlQuery>(vec![page(&[1, 2, 3], uri.clone()), page(&[1, 2, 3], uri)]).await;
    assert_eq!((items.len(), requests), (3, 2));
    assert!(
        matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::RepeatedCursor { cursor, member } if cursor.contains("PA1") && member == "connector_metadata.next_page_uri")),
        "{errors:?}"
    );
}

/// Metadata of another shape ends the stream with an error naming the member, after the
/// page's records; never a silent end.
#[tokio::test]
async fn unusable_metadata_is_an_error_in_every_style() {
    let cases: Vec<(Vec<Value>, Vec<Error>, u64, &str)> = vec![
        {
            let (i, e, r) = scripted::<Cursor>(vec![page(
                &[1, 2],
                json!({"next_cursor": null, "has_more": true}),
            )])
            .await;
            (i, e, r, "connector_metadata.next_cursor")
        },
        {
            let (i, e, r) =
                scripted::<PageMore>(vec![page(&[1, 2], json!({"more_records": "yes"}))]).await;
            (i, e, r, "connector_metadata.more_records")
        },
        {
            let (i, e, r) =
                scripted::<PageCount>(vec![page(&[1, 2], json!({"page_count": "many"}))]).await;
            (i, e, r, "connector_metadata.page_count")
        },
        {
            let (i, e, r) = scripted::<LastId>(vec![Fault::Respond {
                status: 200,
                headers: vec![],
                body: json!({"result": [{"id": 1}, {"name": "no id"}], "connector_metadata": {}})
                    .to_string(),
            }])
            .await;
            (i, e, r, "result[-1].id")
        },
        {
            let (i, e, r) = scripted::<NextUrl>(vec![page(
                &[1, 2],
                json!({"next": "https://x.invalid/p?page%5Bsize%5D=3"}),
            )])
            .await;
            (i, e, r, "connector_metadata.next")
        },
        {
            // A URL carrying only documented parameters: nothing to move on with.
            let (i, e, r) = scripted::<NextUrlQuery>(vec![page(
                &[1, 2],
                json!({"next_page_uri": "/Items.json?PageSize=3&filter=kept"}),
            )])
            .await;
            (i, e, r, "connector_metadata.next_page_uri")
        },
    ];
    for (items, errors, requests, member) in cases {
        assert_eq!(
            (items.len(), requests),
            (2, 1),
            "{member}: the page's records, no second request"
        );
        assert!(
            matches!(errors[..], [ref e] if matches!(e.kind(), ErrorKind::UnusableCursor { member: m, .. } if m == member)),
            "{member}: {errors:?}"
        );
    }
}

/// Streams `S` with the fault [`Fault::RepeatedCursor`] on the second page: the sandbox gives
/// the second request's own position back in the style's own member, and the stream ends with
/// the runtime's error naming it, after the records of the two pages.
async fn a_repeated_position_ends_the_stream<S: Style>(member: &str) {
    let sandbox = sandbox::<S>().await;
    let first = List::<S>(json!({ S::SIZE: 3 }), PhantomData);
    let mut stream = Box::pin(client(&sandbox).paginate(first));
    let mut got = vec![stream.next().await.expect("a record").expect("no error")];
    sandbox.push_fault(Fault::RepeatedCursor);
    let mut errors = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(r) => got.push(r),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(got, records()[..6], "{}: the two pages", S::ENTITY);
    assert_eq!(errors.len(), 1, "{}: {errors:?}", S::ENTITY);
    match errors[0].kind() {
        ErrorKind::RepeatedCursor { member: m, .. } => assert_eq!(m, member, "{}", S::ENTITY),
        other => panic!("{}: {other:?}", S::ENTITY),
    }
    assert_eq!(sandbox.execute_requests(), 2, "{}", S::ENTITY);
}

#[tokio::test]
async fn a_repeated_position_is_given_in_each_styles_own_member() {
    a_repeated_position_ends_the_stream::<Cursor>("connector_metadata.next_cursor").await;
    a_repeated_position_ends_the_stream::<Token>("connector_metadata.nextPageToken").await;
    a_repeated_position_ends_the_stream::<NextUrl>("connector_metadata.next").await;
    a_repeated_position_ends_the_stream::<NextUrlQuery>("connector_metadata.next_page_uri").await;
}
