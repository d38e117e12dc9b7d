//! The Intercom connector as tools: definitions (names, 2020-12 input schemas), `call_tool`
//! against the loopback sandbox (schema-valid arguments read into the params and sent as
//! given, errors naming the argument, the output cap) and `describe()`.

use airbyte_agent_runtime::tools::{example_arguments, ToolErrorKind, Toolbox};
use airbyte_agent_runtime::RetryPolicy;
use airbyte_agent_sandbox::{Sandbox, SandboxConfig};
use airbyte_intercom::Intercom;
use serde_json::{json, Value};

fn intercom(sandbox: &Sandbox) -> Intercom {
    sandbox
        .connect(Intercom::builder())
        .retry(RetryPolicy::none())
        .build()
        .expect("connector")
}

/// A connector whose calls never get an answer it could mistake for success: only argument
/// checking is exercised before the send fails.
fn offline() -> Intercom {
    Intercom::builder()
        .base_url("http://127.0.0.1:9")
        .connector_id("offline")
        .bearer_token("t")
        .retry(RetryPolicy::none())
        .build()
        .expect("connector")
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[test]
fn eighteen_tools_with_valid_unique_names_and_2020_12_object_schemas() {
    let ic = offline();
    let tools = ic.tools();
    assert_eq!(tools.len(), 18);
    let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        &names[..3],
        ["contacts_list", "contacts_get", "contacts_search"]
    );
    assert!(names.iter().all(|n| valid_name(n)), "{names:?}");
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), 18, "names are unique");
    let meta = jsonschema::draft202012::meta::validator();
    for t in &tools {
        assert_eq!(t.input_schema["type"], "object", "{}", t.name);
        assert_eq!(
            t.input_schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        if let Err(e) = meta.validate(&t.input_schema) {
            panic!("{}: not a valid 2020-12 schema: {e}", t.name);
        }
        assert!(!t.description.is_empty());
    }
    let get = tools.iter().find(|t| t.name == "contacts_get").unwrap();
    assert_eq!(get.input_schema["required"], json!(["id"]));
    assert!(get.description.contains("Required arguments: `id`."));
    let list = tools.iter().find(|t| t.name == "contacts_list").unwrap();
    assert!(list.description.contains("`starting_after`"), "how to page");
    let search = tools.iter().find(|t| t.name == "contacts_search").unwrap();
    assert!(search.description.contains("`like`"), "the operators");
    // Operators by field kind: `gt` only on ordered fields, `like` only on text.
    let cond = &search.input_schema["$defs"]["condition"]["properties"];
    assert!(cond["gt"]["properties"]["created_at"].is_object());
    assert!(cond["gt"]["properties"]["email"].is_null());
    assert!(cond["like"]["properties"]["email"].is_object());
    assert!(cond["like"]["properties"]["created_at"].is_null());
    let fields = &search.input_schema["properties"]["fields"]["items"]["enum"];
    assert!(fields.as_array().unwrap().contains(&json!("email")));
}

#[test]
fn the_trait_object_offers_the_same_tools() {
    let ic = offline();
    let toolbox: &dyn Toolbox = &ic;
    let names: Vec<String> = toolbox.tools().into_iter().map(|t| t.name).collect();
    let direct: Vec<String> = ic.tools().into_iter().map(|t| t.name).collect();
    assert_eq!(names, direct);
    assert_eq!(toolbox.describe(), ic.describe());
}

/// The wire form of tool arguments: projection field names become one-segment paths, and a
/// query leaves out an empty sort list.
fn wire_params(args: &Value) -> Value {
    let mut out = args.clone();
    if let Some(query) = out.get_mut("query").and_then(Value::as_object_mut) {
        if query
            .get("sort")
            .and_then(Value::as_array)
            .is_some_and(Vec::is_empty)
        {
            query.remove("sort");
        }
    }
    if let Some(fields) = out.get_mut("fields").and_then(Value::as_array_mut) {
        for f in fields {
            *f = json!([f.take()]);
        }
    }
    out
}

#[tokio::test]
async fn schema_valid_arguments_deserialise_into_the_params_and_are_sent_as_given() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    let mut calls = 0;
    for tool in ic.tools() {
        let validator = jsonschema::draft202012::new(&tool.input_schema).unwrap();
        // More examples than the longest enum (the searchable fields), so every value and
        // operator appears.
        for args in example_arguments(&tool.input_schema, 60) {
            assert!(
                validator.is_valid(&args),
                "{}: generated arguments not valid: {args}",
                tool.name
            );
            let before = sandbox.requests().len();
            match ic.call_tool(&tool.name, args.clone()).await {
                Ok(_) => {}
                Err(e) => assert_eq!(
                    e.kind,
                    ToolErrorKind::Api,
                    "{}: {args} was rejected: {}",
                    tool.name,
                    e.message
                ),
            }
            let seen = sandbox.requests();
            assert_eq!(seen.len(), before + 1, "{}: one request", tool.name);
            let body = &seen[before].body;
            let params = body.get("params").cloned().unwrap_or_else(|| json!({}));
            assert_eq!(params, wire_params(&args), "{}: sent as given", tool.name);
            calls += 1;
        }
    }
    assert_eq!(calls, 18 * 60);
}

#[tokio::test]
async fn list_search_and_get_return_json_results() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);

    let out = ic
        .call_tool("contacts_list", json!({"per_page": 2}))
        .await
        .unwrap();
    assert!(!out.truncated);
    let page: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
    assert_eq!(page["records"][0]["name"], "Ada Lovelace");
    assert_eq!(page["meta"]["next_page"], "c2");
    let id = page["records"][1]["id"].as_str().unwrap().to_string();

    let out = ic
        .call_tool(
            "contacts_search",
            json!({"query": {"filter": {"eq": {"role": "user"}}}, "limit": 2}),
        )
        .await
        .unwrap();
    let hits: Value = serde_json::from_str(&out.text).unwrap();
    let hits = hits["hits"].as_array().unwrap();
    assert!(!hits.is_empty() && hits.len() <= 2, "{hits:?}");
    assert!(hits.iter().all(|h| h["data"]["role"] == "user"), "{hits:?}");

    let out = ic
        .call_tool("contacts_get", json!({"id": id}))
        .await
        .unwrap();
    let record: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(record["id"], json!(id));

    // No arguments: `null` and `{}` alike.
    let out = ic.call_tool("teams_list", Value::Null).await.unwrap();
    let page: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(page["records"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn integral_numbers_the_schema_counts_as_integers_are_sent_as_integers() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    // JSON Schema counts `1.0` as an integer; so does the tool, and sends `1`.
    let args: Value = serde_json::from_str(r#"{"per_page": 1.0}"#).unwrap();
    let out = ic.call_tool("contacts_list", args).await.unwrap();
    let page: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(page["records"].as_array().unwrap().len(), 1);
    let args: Value = serde_json::from_str(
        r#"{"query": {"filter": {"in": {"created_at": [1.0, 2e0]}}}, "limit": 5.0}"#,
    )
    .unwrap();
    ic.call_tool("contacts_search", args).await.unwrap();
    let seen = sandbox.requests();
    assert_eq!(seen[0].body["params"].to_string(), r#"{"per_page":1}"#);
    assert_eq!(
        seen[1].body["params"].to_string(),
        r#"{"query":{"filter":{"in":{"created_at":[1,2]}}},"limit":5}"#
    );
}

#[tokio::test]
async fn integers_beyond_64_bits_are_argument_errors_in_the_usual_format() {
    for per_page in ["1e300", "9223372036854775808", "-9.3e18"] {
        let args: Value = serde_json::from_str(&format!(r#"{{"per_page": {per_page}}}"#)).unwrap();
        let m = invalid("contacts_list", args).await;
        assert!(
            m.starts_with("invalid arguments for `contacts_list`:\n- argument `per_page`: expected an integer from -9223372036854775808 to 9223372036854775807, got the number "),
            "{m}"
        );
        assert!(
            m.ends_with(
                "Correct them and call again (the tool's input schema lists every argument)."
            ),
            "{m}"
        );
    }
    // Read as exactly `i64::MIN` by serde_json: not taken for it.
    let args: Value = serde_json::from_str(
        r#"{"query": {"filter": {"eq": {"created_at": -9223372036854775809}}}}"#,
    )
    .unwrap();
    let m = invalid("contacts_search", args).await;
    assert!(
        m.contains("\n- argument `query.filter.eq.created_at`: expected an integer from -9223372036854775808 to 9223372036854775807 written as its digits alone, got the number -9.223372036854776e+18"),
        "{m}"
    );
    let args: Value =
        serde_json::from_str(r#"{"query": {"filter": {"eq": {"created_at": 1e19}}}}"#).unwrap();
    let m = invalid("contacts_search", args).await;
    assert!(
        m.contains("\n- argument `query.filter.eq.created_at`: expected an integer from"),
        "{m}"
    );
}

/// Calls `name` offline and returns the invalid-arguments message.
async fn invalid(name: &str, args: Value) -> String {
    let err = offline().call_tool(name, args).await.unwrap_err();
    assert_eq!(err.kind, ToolErrorKind::InvalidArguments, "{}", err.message);
    err.message
}

#[tokio::test]
async fn bad_arguments_are_errors_naming_the_argument_and_what_was_expected() {
    let m = invalid("contacts_list", json!({"per_page": "many"})).await;
    assert!(
        m.contains("argument `per_page`: expected an integer, got the string \"many\""),
        "{m}"
    );

    let m = invalid("contacts_get", json!({})).await;
    assert!(
        m.contains("missing required argument `id` (a string: Contact ID)"),
        "{m}"
    );

    let m = invalid("contacts_list", json!({"per_page": 2, "page_size": 3})).await;
    assert!(
        m.contains("unknown argument `page_size`; expected one of `per_page`, `starting_after`"),
        "{m}"
    );

    let m = invalid("contacts_search", json!({"query": {}, "fields": ["emial"]})).await;
    assert!(m.contains("argument `fields[0]`: expected one of"), "{m}");
    assert!(m.contains("got \"emial\""), "{m}");

    // Ordering operators only on ordered fields, text operators only on text.
    let m = invalid(
        "contacts_search",
        json!({"query": {"filter": {"gt": {"email": "a"}}}}),
    )
    .await;
    assert!(
        m.contains("unknown member `email` in `query.filter.gt`; expected one of `created_at`"),
        "{m}"
    );
    let m = invalid(
        "contacts_search",
        json!({"query": {"filter": {"and": [{"like": {"created_at": "2024%"}}]}}}),
    )
    .await;
    assert!(
        m.contains("unknown member `created_at` in `query.filter.and[0].like`"),
        "{m}"
    );
    let m = invalid(
        "contacts_search",
        json!({"query": {"filter": {"eq": {"role": "user"}, "neq": {"role": "lead"}}}}),
    )
    .await;
    assert!(
        m.contains("argument `query.filter`: expected an object with exactly one member"),
        "{m}"
    );
    let m = invalid(
        "contacts_search",
        json!({"query": {"sort": [{"created_at": "down"}]}}),
    )
    .await;
    assert!(
        m.contains("argument `query.sort[0].created_at`: expected one of \"asc\", \"desc\""),
        "{m}"
    );

    let m = invalid("contacts_get", json!(["c1"])).await;
    assert!(m.contains("must be a JSON object"), "{m}");

    let err = offline()
        .call_tool("contacts_delete", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ToolErrorKind::UnknownTool);
    assert!(err.message.contains("contacts_list"), "{}", err.message);
}

#[tokio::test]
async fn api_failures_are_tool_errors() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let ic = intercom(&sandbox);
    let err = ic
        .call_tool("contacts_get", json!({"id": "nope"}))
        .await
        .unwrap_err();
    assert_eq!(err.kind, ToolErrorKind::Api);
    assert!(
        err.message.contains("contacts.get: HTTP 404: not found"),
        "{}",
        err.message
    );
}

#[tokio::test]
async fn output_over_the_cap_keeps_whole_records_and_says_how_to_narrow() {
    let sandbox = Sandbox::start(SandboxConfig::default().synthetic_contacts(500)).await;
    let ic = intercom(&sandbox).with_tool_output_limit(5_000);
    assert_eq!(ic.tool_output_limit(), 5_000);
    let out = ic
        .call_tool("contacts_list", json!({"per_page": 100}))
        .await
        .unwrap();
    assert!(out.truncated);
    assert!(out.text.chars().count() <= 5_000);
    let (json_part, notice) = out.text.split_once("\n\n").unwrap();
    let page: Value = serde_json::from_str(json_part).expect("the kept part is valid JSON");
    let kept = page["records"].as_array().unwrap().len();
    assert!(kept > 0 && kept < 100);
    assert!(
        notice.contains(&format!("showing {kept} of 100 items of `records`")),
        "{notice}"
    );
    assert!(notice.contains("pass a smaller `per_page`"), "{notice}");

    // The default cap is 100,000 characters.
    let ic = intercom(&sandbox);
    assert_eq!(ic.tool_output_limit(), 100_000);
    let out = ic
        .call_tool("contacts_list", json!({"per_page": 100}))
        .await
        .unwrap();
    assert!(!out.truncated, "{} characters", out.text.len());
}

#[test]
fn describe_lists_entities_actions_parameters_and_searchable_fields() {
    let d = offline().describe();
    let text = serde_json::to_string(&d).unwrap();
    assert!(text.len() > 1000);
    assert_eq!(d["connector"], "Intercom");
    let entities = d["entities"].as_array().unwrap();
    assert_eq!(entities.len(), 7);
    let contacts = &entities[0];
    assert_eq!(contacts["entity"], "contacts");
    let get = &contacts["actions"][1];
    assert_eq!(get["tool"], "contacts_get");
    assert_eq!(get["required"][0]["name"], "id");
    assert_eq!(get["required"][0]["type"], "string");
    let search = &contacts["actions"][2];
    assert_eq!(search["optional"][0]["name"], "limit");
    let fields = contacts["searchable_fields"].as_array().unwrap();
    let created = fields.iter().find(|f| f["path"] == "created_at").unwrap();
    assert!(created["operators"]
        .as_array()
        .unwrap()
        .contains(&json!("gte")));
    let email = fields.iter().find(|f| f["path"] == "email").unwrap();
    assert!(!email["operators"]
        .as_array()
        .unwrap()
        .contains(&json!("gte")));
    assert!(email["operators"]
        .as_array()
        .unwrap()
        .contains(&json!("like")));
}
