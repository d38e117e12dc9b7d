//! The front door of the generated crate, as a user meets it: a one-step client, request
//! builders, records with plain accessors that keep what they received.
//!
//! `done_when` is the "done when" program verbatim. The `from_env` tests change the
//! process environment, so they hold [`ENV`] (and restore what they changed).

use std::sync::{Mutex, MutexGuard};

use airbyte_agent_runtime::ErrorKind;
use airbyte_agent_sandbox::{Sandbox, SandboxConfig, TEST_CONNECTOR_ID, TEST_TOKEN};
use airbyte_intercom::Intercom;

#[test]
fn done_when() -> Result<(), Box<dyn std::error::Error>> {
    let intercom: Intercom = Intercom::builder()
        .connector_id("c")
        .bearer_token("t")
        .build()?;
    let _request = intercom.contacts().list().per_page(5);
    let input = serde_json::json!({"id": "1", "email": "a@b.c", "created_at": 5, "name": null, "owner_id": "x"});
    let c: airbyte_intercom::contacts::Contact = serde_json::from_value(input.clone())?;
    assert_eq!(c.email(), Some("a@b.c"));
    assert_eq!(c.created_at(), Some(5));
    assert_eq!(c.name(), None);
    assert_eq!(c.owner_id(), None); // a string where an integer is documented
    assert_eq!(serde_json::to_value(&c)?, input); // exact, null kept
    Ok(())
}

/// Records are built from `Default` and assigned (they are `#[non_exhaustive]`); only what was
/// set is encoded.
#[test]
fn records_are_built_from_default() -> Result<(), Box<dyn std::error::Error>> {
    let mut c = airbyte_intercom::contacts::Contact::default();
    c.email = "a@b.c".to_string().into();
    c.name = airbyte_agent_runtime::Lenient::Null;
    assert_eq!(c.email(), Some("a@b.c"));
    assert_eq!(
        serde_json::to_value(&c)?,
        serde_json::json!({"email": "a@b.c", "name": null})
    );
    Ok(())
}

/// Holds the process environment for a test that changes it.
static ENV: Mutex<()> = Mutex::new(());

const VARS: [&str; 5] = [
    "AIRBYTE_BASE_URL",
    "AIRBYTE_TOKEN",
    "AIRBYTE_CLIENT_ID",
    "AIRBYTE_CLIENT_SECRET",
    "AIRBYTE_CONNECTOR_ID",
];

/// The `AIRBYTE_*` variables set to `vars` (the others unset) while it lives; restored on
/// drop.
struct Env {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: MutexGuard<'static, ()>,
}

impl Env {
    fn set(vars: &[(&str, &str)]) -> Env {
        let lock = ENV.lock().unwrap_or_else(|e| e.into_inner());
        let saved = VARS.iter().map(|k| (*k, std::env::var_os(k))).collect();
        for k in VARS {
            std::env::remove_var(k);
        }
        for (k, v) in vars {
            assert!(VARS.contains(k), "{k}");
            std::env::set_var(k, v);
        }
        Env { saved, _lock: lock }
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        for (k, v) in &self.saved {
            match v {
                Some(v) => std::env::set_var(k, v),
                None => std::env::remove_var(k),
            }
        }
    }
}

#[tokio::test]
async fn from_env_with_the_variables_set_talks_to_the_service() {
    let sandbox = Sandbox::start(SandboxConfig::default()).await;
    let intercom = {
        let _env = Env::set(&[
            ("AIRBYTE_BASE_URL", &sandbox.base_url()),
            ("AIRBYTE_TOKEN", TEST_TOKEN),
            ("AIRBYTE_CONNECTOR_ID", TEST_CONNECTOR_ID),
        ]);
        Intercom::from_env().expect("configured from the environment")
    };
    assert_eq!(intercom.client().execute_url(), sandbox.execute_url());
    let page = intercom.contacts().list().per_page(5).send().await.unwrap();
    assert_eq!(page.records.len(), 5);
    assert_eq!(page.records[0].name(), Some("Ada Lovelace"));
    assert!(sandbox.requests().iter().all(|r| r.authorized));
}

#[test]
fn from_env_with_the_variables_unset_is_a_configuration_error() {
    let err = {
        let _env = Env::set(&[]);
        Intercom::from_env().unwrap_err()
    };
    assert!(
        matches!(err.kind(), ErrorKind::Config { message } if message.contains("AIRBYTE_CONNECTOR_ID")),
        "{err}"
    );

    // A connector id but no credentials: the error names the variables to set.
    let err = {
        let _env = Env::set(&[("AIRBYTE_CONNECTOR_ID", "c")]);
        Intercom::from_env().unwrap_err()
    };
    assert!(
        matches!(err.kind(), ErrorKind::Config { message } if message.contains("AIRBYTE_TOKEN")),
        "{err}"
    );
}

#[test]
fn from_env_takes_client_credentials_too() {
    let _env = Env::set(&[
        ("AIRBYTE_CLIENT_ID", "id"),
        ("AIRBYTE_CLIENT_SECRET", "secret"),
        ("AIRBYTE_CONNECTOR_ID", "c"),
    ]);
    let intercom = Intercom::from_env().expect("client credentials are enough");
    assert!(intercom
        .client()
        .execute_url()
        .starts_with(Intercom::BASE_URL));
}
