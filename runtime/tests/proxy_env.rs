//! The environment's HTTP proxy (`HTTP_PROXY`, as corporate networks and CI runners set it)
//! and a loopback base URL. In a test binary of its own: it changes the process environment.

use std::time::Duration;

use serde_json::json;

mod support;

use support::*;

/// reqwest sends every `http://` request through `HTTP_PROXY` unless `NO_PROXY` names the
/// host, loopback included: with a proxy set, a client of the loopback sandbox (the
/// quickstart, every offline test) asked the proxy for `127.0.0.1`, which is the proxy's own
/// machine, and failed. A base URL on a loopback address never goes through a proxy.
#[tokio::test]
async fn loopback_base_urls_bypass_the_environments_proxy() {
    // A proxy nobody listens on: a request sent through it fails to connect.
    let proxy_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    for var in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::set_var(var, &proxy);
    }
    for var in ["NO_PROXY", "no_proxy"] {
        std::env::remove_var(var);
    }
    let server = serve(|req, _| {
        if req.path.ends_with("/token") {
            return ok(json!({"access_token": "tok", "expires_in": 900}));
        }
        ok(page(&["1"], None))
    })
    .await;
    let port = server.base.rsplit(':').next().unwrap().to_owned();
    for base in [server.base.clone(), format!("http://localhost:{port}")] {
        let c = airbyte_agent_runtime::Client::builder()
            .base_url(&base)
            .connector_id("src-1")
            .client_credentials("cid", "csecret")
            .retry(airbyte_agent_runtime::RetryPolicy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        let out = c.execute(&ListContacts::default()).await;
        assert_eq!(out.unwrap().records[0].id, "1", "{base}");
    }
    assert_eq!(server.count(EXECUTE), 2);
}
