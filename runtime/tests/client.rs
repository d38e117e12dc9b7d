//! Minimal HTTP-level tests of the client against a scripted loopback server (a few lines of
//! HTTP/1.1 over a tokio `TcpListener`, in `support/`). The full sandbox lives in the `tests/`
//! crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use airbyte_agent_runtime::{Client, ErrorKind};
use futures::StreamExt;
use serde_json::json;

mod support;

use support::*;

// ------------------------------------------------------------------------------------------
// Tests
// ------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_sends_the_envelope_and_decodes_the_page() {
    let server = serve(|_, _| ok(page(&["1", "2"], Some("c2")))).await;
    let c = client(&server);
    let out = c
        .execute(&ListContacts {
            per_page: Some(10),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out.records.len(), 2);
    assert_eq!(out.records[1].id, "2");
    assert_eq!(out.meta.next_page.as_deref(), Some("c2"));

    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].path, EXECUTE);
    assert_eq!(reqs[0].header("authorization"), Some("Bearer test-token"));
    assert_eq!(
        reqs[0].body,
        json!({"entity": "contacts", "action": "list", "params": {"per_page": 10}, "skip_truncation": true})
    );
    assert_eq!(
        reqs[0].header("user-agent"),
        Some(concat!("airbyte-agent-runtime/", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(reqs[0].header("x-organization-id"), None);

    // Empty params are omitted; skip_truncation can be turned off for the client.
    let c2 = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .skip_truncation(false)
        .build()
        .unwrap();
    c2.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(
        server.requests()[1].body,
        json!({"entity": "contacts", "action": "list", "skip_truncation": false})
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = serve(|_, n| {
        if n < 2 {
            status(503, json!({"message": "busy"}))
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let out = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert_eq!(out.records[0].id, "1");
    assert_eq!(server.count(EXECUTE), 3);
}

#[tokio::test]
async fn retries_stop_after_max_attempts() {
    let server = serve(|_, _| status(500, json!({"message": "boom"}))).await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 4);
    assert_eq!(err.status(), Some(500));
    assert!(matches!(err.kind(), ErrorKind::Server { message } if message == "boom"));
    assert_eq!((err.entity(), err.action()), ("contacts", "list"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn writes_are_not_retried_unless_asked() {
    let server = serve(|_, _| status(502, json!({}))).await;
    let err = client(&server)
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(server.count(EXECUTE), 1);

    let retrying = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .retry(fast_retries().max_attempts(3).retry_writes(true))
        .build()
        .unwrap();
    retrying
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 4);
}

#[tokio::test]
async fn rate_limits_honour_retry_after_within_the_cap() {
    let server = serve(|_, n| {
        if n == 0 {
            let mut r = status(429, json!({}));
            r.headers.push(("retry-after", "1".into()));
            r
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let started = Instant::now();
    client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.count(EXECUTE), 2);

    // A 503 with Retry-After is honoured too.
    let unavailable = serve(|_, n| {
        if n == 0 {
            let mut r = status(503, json!({}));
            r.headers.push(("retry-after", "1".into()));
            r
        } else {
            ok(page(&["1"], None))
        }
    })
    .await;
    let started = Instant::now();
    client(&unavailable)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(950));

    // A Retry-After beyond the cap ends the retries at once, and the error keeps it.
    let far = serve(|_, _| {
        let mut r = status(429, json!({}));
        r.headers.push(("retry-after", "3600".into()));
        r
    })
    .await;
    let err = client(&far)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(far.count(EXECUTE), 1);
    assert!(matches!(
        err.kind(),
        ErrorKind::RateLimited { retry_after: Some(d), .. } if *d == Duration::from_secs(3600)
    ));
}

#[tokio::test]
async fn validation_errors_carry_the_server_message_and_are_not_retried() {
    let server = serve(|_, _| {
        status(
            422,
            json!({"errors": [{"message": "params.id: must be a string"}]}),
        )
    })
    .await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 1);
    assert_eq!(err.status(), Some(422));
    assert!(
        matches!(err.kind(), ErrorKind::Validation { message } if message == "params.id: must be a string")
    );

    let nf = serve(|_, _| status(404, json!({"message": "no such contact"}))).await;
    let err = client(&nf)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::NotFound { .. }));
}

#[tokio::test]
async fn slow_responses_time_out_per_attempt() {
    let server = serve(|_, n| {
        let mut r = ok(page(&["1"], None));
        if n == 0 {
            r.delay = Duration::from_millis(800);
        }
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .timeout(Duration::from_millis(200))
        .retry(fast_retries())
        .build()
        .unwrap();
    let out = c.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(out.records.len(), 1);
    assert_eq!(server.count(EXECUTE), 2);

    let always_slow = serve(|_, _| {
        let mut r = ok(page(&[], None));
        r.delay = Duration::from_millis(800);
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&always_slow.base)
        .connector_id("src-1")
        .bearer_token("t")
        .timeout(Duration::from_millis(100))
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{err:?}"
    );
    assert_eq!(always_slow.count(EXECUTE), 2);
}

#[tokio::test]
async fn dropped_connections_and_refused_connects_are_transport_errors() {
    let server = serve(|_, n| {
        let mut r = ok(page(&["1"], None));
        r.drop = n == 0;
        r
    })
    .await;
    client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap();
    assert_eq!(server.count(EXECUTE), 2);

    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .connector_id("src-1")
        .bearer_token("t")
        .retry(fast_retries().max_attempts(2))
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { connect: true, .. }),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
}

#[tokio::test]
async fn a_null_result_is_not_found_naming_entity_action_and_member() {
    let server = serve(|_, _| ok(json!({"result": null}))).await;
    let err = client(&server)
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(200));
    assert!(
        matches!(err.kind(), ErrorKind::NotFound { message } if message.contains("`\"result\": null`")),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.starts_with("contacts.create: HTTP 200: not found"),
        "{text}"
    );
}

#[tokio::test]
async fn decode_errors_keep_the_path_and_the_body_start() {
    let server = serve(|_, _| {
        ok(json!({"result": [{"id": "1"}, {"id": "2", "email": {"not": "a string"}}]}))
    })
    .await;
    let err = client(&server)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(server.count(EXECUTE), 1, "decode errors are not retried");
    assert_eq!(err.status(), Some(200));
    let d = err.as_decode().expect("a decode error");
    assert_eq!(d.path, "result[1].email");
    assert!(d.body_start.starts_with("{\"result\""), "{}", d.body_start);

    let truncated = serve(|_, _| {
        let mut r = ok(json!({}));
        r.body = "{\"result\": [{\"id\": \"1\"".into();
        r
    })
    .await;
    let err = client(&truncated)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn client_credentials_share_one_exchange_and_refresh_once_on_401() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path == "/api/v1/account/applications/token" {
            assert_eq!(
                req.body,
                json!({"client_id": "cid", "client_secret": "csecret"})
            );
            let n = ex.fetch_add(1, Ordering::SeqCst) + 1;
            let mut r = ok(json!({"access_token": format!("tok-{n}"), "token_type": "Bearer", "expires_in": 900}));
            r.delay = Duration::from_millis(50);
            return r;
        }
        // The first token is revoked on the server side.
        match req.header("authorization") {
            Some("Bearer tok-1") => status(401, json!({"message": "token expired"})),
            Some(h) if h.starts_with("Bearer tok-") => ok(page(&["1"], None)),
            _ => status(401, json!({"message": "no token"})),
        }
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries())
        .build()
        .unwrap();
    let debug = format!("{c:?}");
    assert!(!debug.contains("csecret"), "{debug}");

    let calls = (0..8).map(|_| {
        let c = c.clone();
        async move { c.execute(&ListContacts::default()).await }
    });
    let results = futures::future::join_all(calls).await;
    for r in results {
        r.unwrap();
    }
    // One exchange for all eight, one more after the 401s.
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);

    // A later call uses the cached second token without exchanging.
    c.execute(&ListContacts::default()).await.unwrap();
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_401_is_an_authentication_error() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path.ends_with("/token") {
            ex.fetch_add(1, Ordering::SeqCst);
            return ok(json!({"access_token": "t", "expires_in": 900}));
        }
        status(401, json!({"message": "nope"}))
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries())
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Authentication { .. }));
    assert_eq!(err.status(), Some(401));
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
    assert_eq!(server.count(EXECUTE), 2);
    assert!(!err.to_string().contains("csecret"));

    // A static token gets no refresh: one attempt.
    let s2 = serve(|_, _| status(401, json!({"message": "bad token"}))).await;
    let err = client(&s2)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    assert_eq!(s2.count(EXECUTE), 1);
    assert!(matches!(err.kind(), ErrorKind::Authentication { message } if message == "bad token"));
}

#[tokio::test]
async fn failed_token_exchange_is_an_authentication_error() {
    let server = serve(|_, _| status(401, json!({"detail": "invalid client"}))).await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { message } if message.contains("invalid client")),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 0);
}

#[tokio::test]
async fn paginate_follows_cursors_across_pages() {
    let server = serve(|req, _| {
        let after = req.body["params"]["starting_after"]
            .as_str()
            .map(str::to_owned);
        match after.as_deref() {
            None => ok(page(&["1", "2"], Some("c2"))),
            Some("c2") => ok(page(&["3", "4"], Some("c3"))),
            Some("c3") => ok(page(&["5"], None)),
            Some(other) => status(400, json!({"message": format!("bad cursor {other}")})),
        }
    })
    .await;
    let ids: Vec<String> = client(&server)
        .paginate(ListContacts {
            per_page: Some(2),
            ..Default::default()
        })
        .map(|r| r.unwrap().id)
        .collect()
        .await;
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 3);
    assert_eq!(
        reqs[2].body["params"],
        json!({"per_page": 2, "starting_after": "c3"})
    );
}

#[tokio::test]
async fn paginate_stops_on_a_repeated_cursor() {
    let server = serve(|req, _| {
        let after = req.body["params"]["cursor"].as_str().map(str::to_owned);
        let (ids, more) = match after.as_deref() {
            None => (vec!["1"], true),
            _ => (vec!["2"], true),
        };
        ok(
            json!({"result": {"data": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>(),
                             "meta": {"has_more": more, "cursor": "same", "took_ms": 1}}}),
        )
    })
    .await;
    let items: Vec<_> = client(&server)
        .paginate(SearchContacts { cursor: None })
        .collect()
        .await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    assert_eq!(items[1].as_ref().unwrap().id, "2");
    let err = items[2].as_ref().unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::RepeatedCursor { cursor, .. } if cursor == "same"));
    assert_eq!(server.count(EXECUTE), 2);
}

#[tokio::test]
async fn paginate_ends_with_the_error_of_a_failed_page() {
    let server = serve(|req, _| {
        if req.body["params"]["starting_after"].is_null() {
            ok(page(&["1"], Some("c2")))
        } else {
            status(404, json!({"message": "gone"}))
        }
    })
    .await;
    let items: Vec<_> = client(&server)
        .paginate(ListContacts::default())
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(
        items[1].as_ref().unwrap_err().kind(),
        ErrorKind::NotFound { .. }
    ));
}

#[test]
fn build_reports_configuration_errors() {
    let missing_id = Client::builder().bearer_token("t").build().unwrap_err();
    assert!(matches!(missing_id.kind(), ErrorKind::Config { .. }));
    let no_auth = Client::builder().connector_id("x").build().unwrap_err();
    assert!(
        matches!(no_auth.kind(), ErrorKind::Config { message } if message.contains("credentials"))
    );
    let bad_url = Client::builder()
        .base_url("not a url")
        .connector_id("x")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(bad_url.kind(), ErrorKind::Config { .. }));
    let bad_id = Client::builder()
        .connector_id("a/b")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(bad_id.kind(), ErrorKind::Config { .. }));

    let c = Client::builder()
        .base_url("http://localhost:1/")
        .path_template("/api/v1/integrations/connectors/{id}/execute", "id")
        .connector_id("abc")
        .bearer_token("super-secret-token")
        .build()
        .unwrap();
    assert_eq!(
        c.execute_url(),
        "http://localhost:1/api/v1/integrations/connectors/abc/execute"
    );
    assert!(!format!("{c:?}").contains("super-secret-token"));
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts() {
    let server = serve(|_, _| {
        let mut r = status(500, json!({}));
        r.delay = Duration::from_millis(300);
        r
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .retry(
            fast_retries()
                .max_attempts(10)
                .deadline(Duration::from_millis(500)),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_retryable());
    assert!(server.count(EXECUTE) <= 2, "{}", server.count(EXECUTE));
}

#[tokio::test]
async fn futures_and_streams_are_send_and_static() {
    let server = serve(|_, _| ok(page(&["1", "2"], None))).await;
    let c = client(&server);
    let c2 = c.clone();
    let one = tokio::spawn(async move { c2.execute(&ListContacts::default()).await });
    let stream = c.paginate(ListContacts::default());
    let all = tokio::spawn(async move { stream.collect::<Vec<_>>().await });
    assert_eq!(one.await.unwrap().unwrap().records.len(), 2);
    assert_eq!(all.await.unwrap().len(), 2);
}

/// `ListContacts` as an action that writes (not idempotent): never prefetched.
#[derive(Debug, Clone, Default, serde::Serialize)]
struct ListContactsWriting(ListContacts);

impl airbyte_agent_runtime::Action for ListContactsWriting {
    const ENTITY: &'static str = "contacts";
    const ACTION: &'static str = "list";
    const IDEMPOTENT: bool = false;
    type Output = <ListContacts as airbyte_agent_runtime::Action>::Output;
}

impl airbyte_agent_runtime::Paginated for ListContactsWriting {
    const PAGING: airbyte_agent_runtime::Paging =
        <ListContacts as airbyte_agent_runtime::Paginated>::PAGING;
}

#[tokio::test]
async fn streams_request_the_next_page_while_the_consumer_reads_one() {
    let server = serve(
        |req, _| match req.body["params"]["starting_after"].as_str() {
            None => ok(page(&["1", "2"], Some("c2"))),
            Some("c2") => ok(page(&["3"], Some("c3"))),
            _ => ok(page(&["4"], None)),
        },
    )
    .await;
    let builder = || {
        Client::builder()
            .base_url(&server.base)
            .connector_id("src-1")
            .bearer_token("t")
    };
    // Default: one page ahead. The consumer holds the first item; page 2 is requested, page
    // 3 is not (at most two pages in memory).
    let c = builder().build().unwrap();
    assert_eq!(c.prefetch_pages(), 1);
    let mut s = Box::pin(c.paginate(ListContacts::default()));
    assert_eq!(s.next().await.unwrap().unwrap().id, "1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(EXECUTE), 2);
    let rest: Vec<String> = s.map(|r| r.unwrap().id).collect().await;
    assert_eq!(rest, ["2", "3", "4"]);
    assert_eq!(server.count(EXECUTE), 3);

    // Turned off: a page is requested only when the previous one is used up.
    let c = builder().prefetch_pages(0).build().unwrap();
    let mut s = Box::pin(c.paginate(ListContacts::default()));
    assert_eq!(s.next().await.unwrap().unwrap().id, "1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(EXECUTE), 4);
    drop(s);

    // An action that writes is never prefetched, whatever the setting.
    let c = builder().prefetch_pages(3).build().unwrap();
    let mut s = Box::pin(c.paginate(ListContactsWriting::default()));
    assert_eq!(s.next().await.unwrap().unwrap().id, "1");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(server.count(EXECUTE), 5);
    let rest: Vec<String> = s.map(|r| r.unwrap().id).collect().await;
    assert_eq!(rest, ["2", "3", "4"]);
}
