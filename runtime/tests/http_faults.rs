//! The client against servers that misbehave at the HTTP level: redirects, endless or odd
//! error bodies, token endpoints that answer nonsense, failures before anything was sent.
//! Each test drives the real client over loopback HTTP/1.1 (`support::serve`, or
//! `support::serve_wire` when the bytes on the wire are the point).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_agent_runtime::{Client, DecodeError, ErrorKind};
use serde_json::json;

mod support;

use support::*;

fn credentials_client(base: &str) -> Client {
    Client::builder()
        .base_url(base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries())
        .build()
        .unwrap()
}

/// A server whose every answer comes after `delay`: `token` at the token endpoint, a page of
/// one record at the execute endpoint.
async fn token_server(token: Resp, delay: Duration) -> Server {
    serve(move |req, _| {
        let mut r = if req.path.ends_with("/token") {
            token.clone()
        } else {
            ok(page(&["1"], None))
        };
        r.delay = delay;
        r
    })
    .await
}

/// The server and the error of a list call whose token exchange is answered with `token`.
async fn error_after_exchange(token: Resp) -> (Server, airbyte_agent_runtime::Error) {
    let server = token_server(token, Duration::ZERO).await;
    let err = credentials_client(&server.base)
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    (server, err)
}

/// A client-credentials client that makes one attempt per call, within `timeout`.
fn one_attempt_client(base: &str, timeout: Duration) -> Client {
    Client::builder()
        .base_url(base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .retry(fast_retries().max_attempts(1))
        .timeout(timeout)
        .build()
        .unwrap()
}

/// `expires_in` comes from the server: a lifetime the monotonic clock cannot add to `now`
/// (1e19 s) panicked in `Instant + Duration`. It is a token without an expiry we can wait for.
#[tokio::test]
async fn a_token_lifetime_past_the_clock_is_no_panic() {
    for expires_in in [
        json!(1e19),
        json!(18446744073709551615u64),
        json!("1e19"),
        json!(1e300),
    ] {
        let exchanges = Arc::new(AtomicUsize::new(0));
        let ex = exchanges.clone();
        let server = serve(move |req, _| {
            if req.path.ends_with("/token") {
                ex.fetch_add(1, Ordering::SeqCst);
                return ok(json!({"access_token": "tok", "expires_in": expires_in}));
            }
            ok(page(&["1"], None))
        })
        .await;
        let c = credentials_client(&server.base);
        for _ in 0..2 {
            let out = c.execute(&ListContacts::default()).await.unwrap();
            assert_eq!(out.records[0].id, "1");
        }
        assert_eq!(exchanges.load(Ordering::SeqCst), 1, "the token is cached");
    }
}

/// A token endpoint that answers 200 without a usable token is an authentication error that
/// names the problem, shows no body (it may hold a secret) and sends nothing to the execute
/// endpoint; an empty `access_token` was sent as `Authorization: Bearer `.
#[tokio::test]
async fn a_token_endpoint_answering_nonsense_is_an_authentication_error() {
    let answers = [
        (
            r#"{"access_token": "", "expires_in": 900}"#,
            "`access_token` is empty",
        ),
        (r#"{"access_token": "  "}"#, "`access_token` is empty"),
        (
            r#"{"token": "csecret-derived"}"#,
            "missing field `access_token`",
        ),
        ("<html>login</html>", "unreadable body"),
        ("", "unreadable body"),
    ];
    for (body, want) in answers {
        let mut token = ok(json!({}));
        token.body = body.to_owned();
        let (server, err) = error_after_exchange(token).await;
        assert!(
            matches!(err.kind(), ErrorKind::Authentication { message } if message.contains(want)),
            "{body}: {err:?}"
        );
        assert!(!err.to_string().contains("csecret"), "{err}");
        assert_eq!(server.count(EXECUTE), 0, "{body}");
    }
}

/// reqwest follows redirects by default, and turns a redirected POST (301, 302, 303) into a
/// GET without its body: a `create` answered by a 302 "succeeded" with whatever the GET
/// returned, and a 307 of the token endpoint re-posted the client secret wherever it pointed.
/// A redirect is now an error naming where the server points, after exactly one request.
#[tokio::test]
async fn redirects_are_never_followed() {
    for code in [301u16, 302, 303, 307, 308] {
        let server = serve(move |req, _| {
            if req.path == EXECUTE {
                let mut r = status(code, json!({}));
                r.headers.push(("location", "/moved?sig=abc".into()));
                return r;
            }
            ok(json!({"result": {"id": "from the redirect"}}))
        })
        .await;
        let err = client(&server)
            .execute_raw("contacts", "create", json!({"email": "a@b.c"}))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(code));
        assert!(
            matches!(err.kind(), ErrorKind::Http { .. }),
            "{code}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains(&format!("{}/moved", server.base)) && text.contains("base URL"),
            "{text}"
        );
        assert!(!text.contains("sig=abc"), "the query is not shown: {text}");
        assert_eq!(
            text,
            format!(
                "contacts.create: HTTP {code}: unexpected HTTP status: the server answered a \
                 redirect to {}/moved; redirects are not followed (a POST would be sent again \
                 as a GET without its body): correct the base URL (the execute path is \
                 appended to it)",
                server.base
            )
        );
        assert!(!err.is_retryable());
        let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
        assert_eq!(paths, [EXECUTE], "{code}");
    }

    // A redirect to the same execute path elsewhere (another host, scheme or prefix) names
    // the base URL to use, not the whole execute URL (which the path would be appended to).
    let other = serve(|_, _| ok(json!({}))).await;
    let moved = format!("{}/v2{EXECUTE}?sig=abc", other.base);
    let server = serve(move |req, _| {
        let mut r = status(308, json!({}));
        if req.path == EXECUTE {
            r.headers.push(("location", moved.clone()));
        }
        r
    })
    .await;
    let err = client(&server)
        .execute_raw("contacts", "list", json!({}))
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.ends_with(&format!("use {}/v2 as the base URL", other.base)),
        "{text}"
    );
    assert!(!text.contains("sig=abc"), "{text}");
    assert_eq!(other.requests().len(), 0);

    // The token endpoint: the client secret is not posted anywhere else.
    let elsewhere = serve(|_, _| ok(json!({"access_token": "stolen", "expires_in": 900}))).await;
    let target = format!("{}/collect", elsewhere.base);
    let mut token = status(307, json!({}));
    token.headers.push(("location", target));
    let (server, err) = error_after_exchange(token).await;
    assert!(
        matches!(err.kind(), ErrorKind::Authentication { message } if message.contains("/collect")),
        "{err:?}"
    );
    assert_eq!(elsewhere.requests().len(), 0);
    assert_eq!(server.count(EXECUTE), 0);

    // A caller's own HTTP client follows redirects: the answer from elsewhere is not taken
    // for the action's.
    let server = serve(move |req, _| {
        if req.path == EXECUTE {
            let mut r = status(302, json!({}));
            r.headers.push(("location", "/moved".into()));
            return r;
        }
        ok(json!({"result": {"id": "from the redirect"}}))
    })
    .await;
    let own = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token("t")
        .http_client(reqwest::Client::new())
        .build()
        .unwrap();
    let err = own
        .execute_raw("contacts", "create", json!({"email": "a@b.c"}))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Http { message } if message.contains("Policy::none()")),
        "{err:?}"
    );
}

/// Python services answer a validation failure as `{"detail": [{"loc": [..], "msg": ..}]}`
/// (FastAPI, pydantic), and others put a list under `message`: the error text showed the raw
/// JSON. Each item's text is read, after its location, in order.
#[tokio::test]
async fn validation_lists_read_as_text() {
    let server = serve(|_, n| match n {
        0 => status(
            422,
            json!({"detail": [
                {"type": "missing", "loc": ["body", "entity"], "msg": "Field required", "input": {}},
                {"type": "int_parsing", "loc": ["body", "params", "per_page"], "msg": "Input should be a valid integer"}
            ]}),
        ),
        _ => status(
            400,
            json!({"message": ["per_page must not be greater than 150", "email must be an email"], "error": "Bad Request", "statusCode": 400}),
        ),
    })
    .await;
    let c = client(&server);
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 422: request rejected: body.entity: Field required; \
         body.params.per_page: Input should be a valid integer"
    );
    let items = err.errors();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].field.as_deref(), Some("body.params.per_page"));
    assert_eq!(
        items[1].message.as_deref(),
        Some("Input should be a valid integer")
    );
    assert!(err.body().unwrap().contains("int_parsing"));

    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 400: request rejected: per_page must not be greater than 150; \
         email must be an email"
    );
}

/// An error answer whose body never ends (or is huge) was read whole: memory grew until the
/// attempt timed out, and the error was a transport timeout that hid the 502. The body is now
/// read up to a cap and the error keeps its status.
#[tokio::test]
async fn an_endless_error_body_is_cut_and_keeps_its_status() {
    let Server { base, log } = serve_wire(|_, _| {
        Wire::Endless(
            "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ntransfer-encoding: chunked\r\n\r\n"
                .into(),
        )
    })
    .await;
    let c = Client::builder()
        .base_url(&base)
        .connector_id("src-1")
        .bearer_token("test-token")
        .retry(fast_retries().max_attempts(2))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let err = tokio::time::timeout(Duration::from_secs(30), c.execute(&ListContacts::default()))
        .await
        .expect("the error body is not read to its (missing) end")
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Server { .. }), "{err:?}");
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.body().map(str::len), Some(64 * 1024));
    assert!(
        err.to_string().len() < 1024,
        "the text holds the body's start only"
    );
    assert_eq!(log.lock().unwrap().len(), 2, "still retried");
}

/// A write whose token exchange failed was never sent, so it is retried like a refused
/// connection; it was given up at once.
#[tokio::test]
async fn a_write_whose_token_exchange_failed_is_retried() {
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path.ends_with("/token") {
            return match ex.fetch_add(1, Ordering::SeqCst) {
                0 => status(503, json!({"message": "token service restarting"})),
                _ => ok(json!({"access_token": "tok", "expires_in": 900})),
            };
        }
        ok(json!({"result": {"id": "new"}}))
    })
    .await;
    let out = credentials_client(&server.base)
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap();
    assert_eq!(out.id, "new");
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
    assert_eq!(server.count(EXECUTE), 1);
}

/// The token exchange is part of an attempt: with a 2 s attempt timeout, a 1.5 s exchange
/// leaves 0.5 s for the request. The request got another full 2 s, so an attempt (and the
/// deadline) could last twice as long as configured.
#[tokio::test]
async fn the_token_exchange_counts_against_the_attempt_timeout() {
    let server = token_server(
        ok(json!({"access_token": "tok", "expires_in": 900})),
        Duration::from_millis(1500),
    )
    .await;
    let c = one_attempt_client(&server.base, Duration::from_secs(2));
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Transport { timeout: true, .. }),
        "{err:?}"
    );
}

fn raw(status: &str, headers: &str, body: &[u8]) -> Wire {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    Wire::Bytes(out)
}

/// A client on the scripted raw answers `wires` (one per request, in order).
async fn raw_client(wires: Vec<Wire>) -> (Client, Arc<Mutex<Vec<Req>>>) {
    let wires = Mutex::new(wires.into_iter());
    let Server { base, log } = serve_wire(move |_, _| {
        wires
            .lock()
            .unwrap()
            .next()
            .unwrap_or(Wire::Bytes(Vec::new()))
    })
    .await;
    let c = Client::builder()
        .base_url(&base)
        .connector_id("src-1")
        .bearer_token("test-token")
        .retry(fast_retries())
        .build()
        .unwrap();
    (c, log)
}

/// An error body that is not UTF-8 (a proxy's Latin-1 text) failed to parse as JSON, so the
/// error's text was the raw JSON body; its text members are read with U+FFFD for the bad
/// bytes.
#[tokio::test]
async fn a_non_utf8_error_body_is_still_read_for_its_text() {
    let body = b"{\"errors\": [{\"userPresentableMessage\": \"Caf\xe9 is closed.\", \"message\": \"E\xff\", \"field\": \"params.x\"}]}";
    let (c, log) = raw_client(vec![raw("400 Bad Request", "", body)]).await;
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 400: request rejected: Caf\u{fffd} is closed. (E\u{fffd})"
    );
    assert_eq!(err.errors().len(), 1);
    assert_eq!(err.errors()[0].field.as_deref(), Some("params.x"));
    assert!(err.body().unwrap().starts_with("{\"errors\""));
    assert_eq!(log.lock().unwrap().len(), 1);
}

/// Success answers that are no envelope (empty, HTML, 204, unsolicited gzip, a `result` of
/// another shape, a missing `result`, invalid UTF-8 in a record) are `Decode` errors with
/// the status, the path and the body's start, and are not retried.
#[tokio::test]
async fn success_answers_that_are_no_envelope_are_decode_errors() {
    let cases: Vec<(Wire, &str, &str)> = vec![
        (raw("200 OK", "", b""), ".", "EOF"),
        (
            raw(
                "200 OK",
                "content-type: text/html\r\n",
                b"<html>oops</html>",
            ),
            ".",
            "<html>oops",
        ),
        (raw("204 No Content", "", b""), ".", "EOF"),
        (
            raw(
                "200 OK",
                "content-encoding: gzip\r\n",
                b"\x1f\x8b\x08\x00zz",
            ),
            ".",
            "expected value",
        ),
        (
            raw("200 OK", "", b"{\"result\": \"nope\"}"),
            "result",
            "nope",
        ),
        (
            raw("200 OK", "", b"{\"data\": []}"),
            ".",
            "missing field `result`",
        ),
        (
            raw(
                "200 OK",
                "",
                b"{\"result\": [{\"id\": \"1\", \"email\": \"caf\xe9\"}]}",
            ),
            "result[0].email",
            "invalid unicode",
        ),
    ];
    for (wire, path, text) in cases {
        let (c, log) = raw_client(vec![wire]).await;
        let err = c.execute(&ListContacts::default()).await.unwrap_err();
        let decode = err.as_decode().unwrap_or_else(|| panic!("{err:?}"));
        assert_eq!(decode.path, path, "{err}");
        assert!(err.to_string().contains(text), "{err}");
        assert!(err.status().is_some_and(|s| (200..300).contains(&s)));
        assert_eq!(log.lock().unwrap().len(), 1, "not retried: {err}");
    }
}

/// Requests that wait for another request's token exchange wait within their own attempt
/// timeout: they queued on the token cache's lock without one, so with a token endpoint
/// that answers slowly and fails, the n-th of n concurrent calls took n exchanges.
#[tokio::test]
async fn waiting_for_a_token_exchange_is_bounded_by_the_attempt_timeout() {
    let server = token_server(
        status(503, json!({"message": "token service down"})),
        Duration::from_millis(800),
    )
    .await;
    let c = one_attempt_client(&server.base, Duration::from_millis(1200));
    let started = std::time::Instant::now();
    let calls = (0..5).map(|_| {
        let c = c.clone();
        async move { c.execute(&ListContacts::default()).await }
    });
    let results = futures::future::join_all(calls).await;
    let elapsed = started.elapsed();
    for r in results {
        let err = r.unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::Server { .. } | ErrorKind::Transport { timeout: true, .. }
            ),
            "{err:?}"
        );
    }
    // Five exchanges in a row take 4 s; each call gives up after its 1.2 s.
    assert!(elapsed < Duration::from_millis(3000), "{elapsed:?}");
    // The callers that waited take the one exchange's error.
    assert_eq!(server.count("/token"), 1);
}

/// A 429's text was "rate limited" whatever the server said: its user-presentable sentence
/// (which quota, until when) is what an agent must relay. It is read as for any other status.
#[tokio::test]
async fn a_rate_limit_keeps_the_servers_words() {
    let server = serve(|_, n| {
        let mut r = match n {
            0 => status(
                429,
                json!({"errors": [{"userPresentableMessage": "Daily quota of 1000 calls reached; it resets at 00:00 UTC.", "message": "QuotaExceeded: connector c-1"}]}),
            ),
            _ => status(429, json!({})),
        };
        r.headers.push(("retry-after", "3600".into()));
        r
    })
    .await;
    let c = client(&server);
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 429: rate limited (retry after 3600s): Daily quota of 1000 calls \
         reached; it resets at 00:00 UTC. (QuotaExceeded: connector c-1)"
    );
    assert!(matches!(
        err.kind(),
        ErrorKind::RateLimited { message, retry_after: Some(_) } if message.starts_with("Daily quota")
    ));
    // Without a text member there is nothing to add (never the raw `{}`).
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 429: rate limited (retry after 3600s)"
    );
}

/// "No error, `Debug` or trace contains a token or secret" held only for what the client
/// wrote itself: a server that echoes the bearer token in its error text ("token … is
/// revoked") or a token endpoint that echoes the client secret put it into the error's text,
/// `errors()`, `detail()` and `body()`. The secrets are replaced by `[redacted]`.
#[tokio::test]
async fn secrets_the_server_echoes_are_redacted_from_errors() {
    const TOKEN: &str = "tok-9f8e7d6c5b4a";
    let server = serve(|_, _| {
        status(
            401,
            json!({"errors": [{"userPresentableMessage": format!("The token {TOKEN} was revoked."), "message": format!("revoked: {TOKEN}"), "field": TOKEN}]}),
        )
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token(TOKEN)
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    let seen = format!(
        "{err} {err:?} {:?} {:?} {:?}",
        err.errors(),
        err.detail(),
        err.body()
    );
    assert!(!seen.contains(TOKEN), "{seen}");
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 401: authentication failed: The token [redacted] was revoked. \
         (revoked: [redacted])"
    );

    const SECRET: &str = "csecret-0123456789";
    let server = serve(|_, _| {
        status(
            400,
            json!({"error": "invalid_client", "error_description": format!("no client with secret {SECRET}")}),
        )
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", SECRET)
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    let seen = format!("{err} {err:?} {:?}", err.body());
    assert!(!seen.contains(SECRET), "{seen}");

    // The token endpoint answers 500 echoing the request.
    let server = serve(|req, _| {
        status(
            503,
            json!({"message": format!("cannot handle {}", req.body)}),
        )
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", SECRET)
        .retry(fast_retries().max_attempts(1))
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    let seen = format!("{err} {err:?} {:?}", err.body());
    assert!(!seen.contains(SECRET), "{seen}");
    assert!(seen.contains("[redacted]"), "{seen}");
}

/// A base URL is a scheme, a host and at most a path prefix. One with a query or fragment
/// (`http://host?x=1`) had the execute path appended to the query, so every call went to `/`;
/// one with a user and password sent them as basic auth beside the bearer token, and the
/// client's `Debug` printed the password.
#[tokio::test]
async fn base_urls_with_a_query_fragment_or_password_are_config_errors() {
    let config_error = |base: &str| {
        Client::builder()
            .base_url(base)
            .connector_id("src-1")
            .bearer_token("t")
            .build()
            .unwrap_err()
    };
    let server = serve(|_, _| ok(page(&["1"], None))).await;
    let host = server.base.trim_start_matches("http://").to_owned();
    for (base, names) in [
        (format!("{}?region=eu", server.base), "query"),
        (format!("{}#x", server.base), "fragment"),
        // A query or fragment may carry a key: the error names the problem, not its value.
        (format!("{}?api_key=hunter2-key", server.base), "query"),
        (
            format!("{}#access_token=hunter2-token", server.base),
            "fragment",
        ),
        (
            "http://bad host/?api_key=hunter2-key".to_owned(),
            "invalid base URL",
        ),
        (format!("http://admin:hunter2-password@{host}"), "user"),
        (format!("http://admin@{host}"), "user"),
    ] {
        let err = config_error(&base);
        assert!(
            matches!(err.kind(), ErrorKind::Config { message } if message.contains(names)),
            "{base}: {err:?}"
        );
        assert!(!format!("{err} {err:?}").contains("hunter2"), "{err}");
    }
    // Without `http://`: `host:port` parses with the host as the scheme, an IP address not
    // at all; both errors say what to write, neither shows a password.
    for (base, names) in [
        (host.clone(), "invalid base URL"),
        (
            format!("localhost:{}", host.rsplit_once(':').unwrap().1),
            "must be http or https",
        ),
        (
            format!("admin:hunter2-password@{host}"),
            "must be http or https",
        ),
        (format!("ftp://{host}"), "must be http or https"),
    ] {
        let err = config_error(&base);
        let text = err.to_string();
        assert!(text.contains(names), "{base}: {text}");
        let bare = base.rsplit_once('@').map_or(base.as_str(), |(_, h)| h);
        assert_eq!(
            text.contains(&format!("write \"http://{bare}\"")),
            !base.contains("://"),
            "{base}: {text}"
        );
        assert!(!format!("{err} {err:?}").contains("hunter2"), "{err}");
    }
    // The token endpoint override is held to the same rules.
    let err = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", "csecret")
        .token_url(format!("http://cid:hunter2-password@{host}/token"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Config { message } if message.starts_with("token URL")),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("hunter2"), "{err}");
    // A path prefix is kept; nothing was sent for the rejected ones.
    let c = Client::builder()
        .base_url(format!("{}/proxy/", server.base))
        .connector_id("src-1")
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(c.execute_url(), format!("{}/proxy{EXECUTE}", server.base));
    assert!(server.requests().is_empty());
}

/// A stream started at the caller's own cursor, whose server answers that same cursor as the
/// next one, sent the identical request a second time before the repeat was noticed (the
/// cycle check knew only cursors the server had given). The cursor just sent counts.
#[tokio::test]
async fn a_next_cursor_equal_to_the_one_sent_ends_the_stream_at_once() {
    let server = serve(|_, _| {
        ok(json!({"result": {"data": [{"id": "1"}], "meta": {"has_more": true, "cursor": "resume-here", "took_ms": 1}}}))
    })
    .await;
    let items = search_items(&server, Some("resume-here"), usize::MAX).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RepeatedCursor { cursor, member } if cursor == "resume-here" && member == "result.meta.cursor"),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 1);
}

/// A 2xx answer that does not decode kept the body's start and serde's text (which quotes
/// the offending value) in its `DecodeError`, unredacted: a server echoing the bearer token
/// in a success body put it into the error's text and `Debug`. The body is redacted before
/// its start is cut (no prefix of a secret at the cut either), and so are the message and
/// path; also for `execute_raw` and for an exchanged token and the client secret.
#[tokio::test]
async fn secrets_echoed_in_an_undecodable_success_body_are_redacted() {
    const TOKEN: &str = "tok-9f8e7d6c5b4a";
    // The token as the offending value, in the body's start, and straddling the 200-char cut.
    // `{"result": [{"id": 1, "pad": "` and `", "echo": "` take 42 characters: the token starts
    // at character 192, its first 8 inside the kept start.
    let pad = "x".repeat(DecodeError::BODY_START_CHARS - 50);
    let bodies = [
        format!(r#"{{"result": "{TOKEN}"}}"#),
        format!(r#"{{"result": [{{"id": 1, "echo": "Bearer {TOKEN}"}}]}}"#),
        format!(r#"{{"result": [{{"id": 1, "pad": "{pad}", "echo": "{TOKEN}"}}]}}"#),
        format!(r#"{{"result": [{{"id": "1", "{TOKEN}": 1, "email": 5}}]}}"#),
    ];
    for body in bodies {
        let server = serve(move |_, _| {
            let mut r = ok(json!({}));
            r.body = body.clone();
            r
        })
        .await;
        let c = Client::builder()
            .base_url(&server.base)
            .connector_id("src-1")
            .bearer_token(TOKEN)
            .build()
            .unwrap();
        let err = c.execute(&ListContacts::default()).await.unwrap_err();
        let decode = err.as_decode().unwrap_or_else(|| panic!("{err:?}"));
        let seen = format!("{err} {err:?}");
        assert!(!seen.contains(&TOKEN[..8]), "{seen}");
        // `[redacted]` itself may be what the cut falls in.
        assert!(
            decode.message.contains("[redacted]") || decode.body_start.contains("[redacte"),
            "{seen}"
        );
    }
    // `execute_raw`, whose missing `result` shows the envelope.
    let raw_missing = serve(|_, _| ok(json!({"data": TOKEN}))).await;
    let err = Client::builder()
        .base_url(&raw_missing.base)
        .connector_id("src-1")
        .bearer_token(TOKEN)
        .build()
        .unwrap()
        .execute_raw("contacts", "list", json!({}))
        .send()
        .await
        .unwrap_err();
    assert!(err.as_decode().is_some(), "{err:?}");
    let seen = format!("{err} {err:?}");
    assert!(
        !seen.contains(TOKEN) && seen.contains("[redacted]"),
        "{seen}"
    );

    // The exchanged access token and the client secret, echoed in a 200 that does not decode.
    const EXCHANGED: &str = "exchanged-access-7a6b5c";
    const SECRET: &str = "csecret-0123456789";
    let server = serve(|req, _| {
        if req.path.ends_with("/token") {
            return ok(json!({"access_token": EXCHANGED, "expires_in": 900}));
        }
        ok(json!({"result": format!("{EXCHANGED} {SECRET}")}))
    })
    .await;
    let err = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .client_credentials("cid", SECRET)
        .build()
        .unwrap()
        .execute(&ListContacts::default())
        .await
        .unwrap_err();
    let seen = format!("{err} {err:?}");
    assert!(err.as_decode().is_some(), "{err:?}");
    assert!(
        !seen.contains(EXCHANGED) && !seen.contains(SECRET),
        "{seen}"
    );
}

/// A failed token exchange was not shared: each call waiting on the exchange ran its own
/// after it failed, so n concurrent calls after an auth failure made n exchanges. The
/// callers that waited on an attempt now get its error; a later call tries again.
#[tokio::test]
async fn a_failed_token_exchange_is_shared_with_its_waiters() {
    let server = token_server(
        status(401, json!({"error": "invalid_client"})),
        Duration::from_millis(300),
    )
    .await;
    let c = credentials_client(&server.base);
    let calls = (0..6).map(|_| {
        let c = c.clone();
        async move { c.execute(&ListContacts::default()).await }
    });
    for r in futures::future::join_all(calls).await {
        let err = r.unwrap_err();
        assert!(
            matches!(err.kind(), ErrorKind::Authentication { message } if message.contains("invalid_client")),
            "{err:?}"
        );
        assert_eq!(err.status(), Some(401));
    }
    assert_eq!(
        server.count("/token"),
        1,
        "one exchange for six waiting calls"
    );
    assert_eq!(server.count(EXECUTE), 0);
    // A later call is not answered with the old failure: it exchanges again.
    c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(server.count("/token"), 2);

    // With retries (a 503 is retried, the exchange sent nothing): each retry round is one
    // exchange for all the calls waiting on it, not one per call.
    let exchanges = Arc::new(AtomicUsize::new(0));
    let ex = exchanges.clone();
    let server = serve(move |req, _| {
        if req.path.ends_with("/token") {
            let n = ex.fetch_add(1, Ordering::SeqCst);
            let mut r = match n {
                0 => status(503, json!({"message": "restarting"})),
                _ => ok(json!({"access_token": "tok-shared-1", "expires_in": 900})),
            };
            r.delay = Duration::from_millis(200);
            return r;
        }
        ok(page(&["1"], None))
    })
    .await;
    let c = credentials_client(&server.base);
    let calls = (0..6).map(|_| {
        let c = c.clone();
        async move { c.execute(&ListContacts::default()).await }
    });
    for r in futures::future::join_all(calls).await {
        assert_eq!(r.unwrap().records[0].id, "1");
    }
    assert_eq!(exchanges.load(Ordering::SeqCst), 2);
    assert_eq!(server.count(EXECUTE), 6);
}

/// Secrets shorter than 8 bytes were never looked for: a server echoing a 6-byte token put it
/// into the error. A short secret is now replaced where it stands as a word of its own (not
/// inside a longer word, where it would only be ordinary text).
#[tokio::test]
async fn a_short_secret_is_redacted_where_it_stands_alone() {
    const SHORT: &str = "ab12cd";
    let server = serve(|_, _| {
        status(
            401,
            json!({"message": format!("token {SHORT} revoked; see docs/xab12cdx and ab12cd-v2")}),
        )
    })
    .await;
    let c = Client::builder()
        .base_url(&server.base)
        .connector_id("src-1")
        .bearer_token(SHORT)
        .build()
        .unwrap();
    let err = c.execute(&ListContacts::default()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "contacts.list: HTTP 401: authentication failed: token [redacted] revoked; see \
         docs/xab12cdx and ab12cd-v2"
    );
    assert!(!err.body().unwrap().contains("token ab12cd "), "{err:?}");
}

/// A server answering every page with a new cursor, "more to come" and no records made the
/// stream request pages forever. After `MAX_EMPTY_PAGES` empty pages in a row it ends with
/// `EmptyPages`; fewer empty pages in a row are followed.
#[tokio::test]
async fn endless_empty_pages_end_the_stream() {
    use airbyte_agent_runtime::MAX_EMPTY_PAGES;
    let server = serve(|_, n| {
        ok(json!({"result": {"data": [], "meta": {"has_more": true, "cursor": format!("c{n}")}}}))
    })
    .await;
    let items = search_items(&server, None, usize::MAX).await;
    assert_eq!(items.len(), 1, "{items:?}");
    let err = items[0].as_ref().unwrap_err();
    let last = format!("c{}", MAX_EMPTY_PAGES - 1);
    assert!(
        matches!(err.kind(), ErrorKind::EmptyPages { pages, cursor, member }
            if *pages == MAX_EMPTY_PAGES && *cursor == last && member == "result.meta.cursor"),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), MAX_EMPTY_PAGES as usize);

    // Empty pages between records: each run shorter than the bound is followed.
    let run = MAX_EMPTY_PAGES as usize - 1;
    let server = serve(move |_, n| {
        let data = if n % (run + 1) == run {
            json!([{"id": n.to_string()}])
        } else {
            json!([])
        };
        let more = n < 3 * (run + 1) - 1;
        ok(json!({"result": {"data": data, "meta": {"has_more": more, "cursor": format!("c{n}")}}}))
    })
    .await;
    let items = search_items(&server, None, usize::MAX).await;
    let ids: Vec<String> = items.into_iter().map(|i| i.unwrap().id).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
}

/// A write answered 429 or 408 was not retried, though neither was processed: a 429 is the
/// server refusing before it acts, a 408 says it did not receive the whole request. Both are
/// retried after the server's `Retry-After`; a 503 (which may come after the write was done)
/// still is not.
#[tokio::test]
async fn a_write_refused_with_429_or_408_is_retried_after_retry_after() {
    for code in [429u16, 408] {
        let server = serve(move |_, n| match n {
            0 => {
                let mut r = status(code, json!({"message": "slow down"}));
                r.headers.push(("retry-after", "1".into()));
                r
            }
            _ => ok(json!({"result": {"id": "new"}})),
        })
        .await;
        let started = std::time::Instant::now();
        let out = client(&server)
            .execute(&CreateContact {
                email: "a@b.c".into(),
            })
            .await
            .unwrap();
        assert_eq!(out.id, "new");
        assert_eq!(server.count(EXECUTE), 2, "{code}");
        assert!(
            started.elapsed() >= Duration::from_secs(1),
            "{code}: Retry-After honoured"
        );
    }
    let server = serve(|_, _| status(503, json!({"message": "down"}))).await;
    let err = client(&server)
        .execute(&CreateContact {
            email: "a@b.c".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.count(EXECUTE), 1, "a 503 write is not retried");
}

/// A token endpoint answering an `access_token` that is not a string (a number, an object
/// holding the token) had serde's text quote the value in the error: the token itself. The
/// error names the member and its JSON type only.
#[tokio::test]
async fn a_token_of_another_type_is_not_shown() {
    for (token, kind) in [
        (json!(123456789012u64), "a number"),
        (json!({"value": "tok-in-an-object-1"}), "an object"),
        (json!(["tok-in-a-list-1"]), "an array"),
    ] {
        let shown = token.to_string();
        let (server, err) =
            error_after_exchange(ok(json!({"access_token": token, "expires_in": 900}))).await;
        let seen = format!("{err} {err:?}");
        assert!(
            seen.contains(&format!("`access_token` is {kind}, not a string")),
            "{seen}"
        );
        assert!(
            !seen.contains("123456789012") && !seen.contains("tok-in"),
            "{shown}: {seen}"
        );
        assert_eq!(server.count(EXECUTE), 0);
    }
}

/// A cursor server that ignores the cursor it is sent but mints a new one each time answered
/// the first page forever: the cursors never repeat, so the cycle check never fired, and the
/// same records were yielded again and again. The same records on the next page end the
/// stream with `RepeatedPage`, as for page numbers and offsets.
#[tokio::test]
async fn a_cursor_server_answering_the_same_records_ends_the_stream() {
    let server = serve(|_, n| {
        ok(json!({"result": {"data": [{"id": "1"}, {"id": "2"}], "meta": {"has_more": true, "cursor": format!("c{n}")}}}))
    })
    .await;
    let items = search_items(&server, None, 5).await;
    assert_eq!(items.len(), 3, "{items:?}");
    let err = items[2].as_ref().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RepeatedPage { param, position } if param == "cursor" && position == "\"c0\""),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 2);
}

/// The repeated-records check kept the fingerprint of the page just read, also of an empty
/// one, though its docs said "the last non-empty page": a cursor server alternating its first
/// page and an empty page, with a new cursor each time, was followed forever (the empty pages
/// also reset the fingerprint, the records reset the empty-page run).
#[tokio::test]
async fn records_repeated_after_an_empty_page_end_the_stream() {
    let server = serve(|_, n| {
        let data = if n % 2 == 0 {
            json!([{"id": "1"}])
        } else {
            json!([])
        };
        ok(json!({"result": {"data": data, "meta": {"has_more": true, "cursor": format!("c{n}")}}}))
    })
    .await;
    let items = search_items(&server, None, 10).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().id, "1");
    let err = items[1].as_ref().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RepeatedPage { param, position } if param == "cursor" && position == "\"c1\""),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 3);
}

/// The commonest server that ignores the cursor answers the first page again with the same
/// cursor. The repeated cursor was caught only after that page's items, so the first page's
/// records were yielded twice, although the stream's docs promise that the same records on
/// the next page end it before they are yielded again. It ends with `RepeatedCursor` (the
/// more precise sign), without the repeated records.
#[tokio::test]
async fn a_cursor_server_answering_the_same_page_and_cursor_yields_its_records_once() {
    let server = serve(|_, _| {
        ok(json!({"result": {"data": [{"id": "1"}, {"id": "2"}], "meta": {"has_more": true, "cursor": "c1"}}}))
    })
    .await;
    let items = search_items(&server, None, 5).await;
    let ids: Vec<_> = items
        .iter()
        .filter_map(|i| i.as_ref().ok())
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["1", "2"], "{items:?}");
    assert_eq!(items.len(), 3, "{items:?}");
    let err = items[2].as_ref().unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::RepeatedCursor { cursor, member } if cursor == "c1" && member == "result.meta.cursor"),
        "{err:?}"
    );
    assert_eq!(server.count(EXECUTE), 2);
}
