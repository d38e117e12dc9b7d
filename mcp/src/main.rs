//! `airbyte-mcp`: the Intercom connector's actions as MCP tools, over stdio.
//!
//! ```text
//! cargo run -p airbyte-mcp -- --sandbox      # the embedded loopback sandbox, offline
//! AIRBYTE_TOKEN=... AIRBYTE_CONNECTOR_ID=... cargo run -p airbyte-mcp
//! ```
//!
//! With `--sandbox`, or when none of `AIRBYTE_TOKEN`, `AIRBYTE_CLIENT_ID`,
//! `AIRBYTE_CLIENT_SECRET` is set, it serves against a sandbox started in this process (and
//! says so on stderr). Otherwise it serves the real execute API, configured as
//! [`ClientBuilder::from_env`](airbyte_agent_runtime::ClientBuilder::from_env) reads the
//! environment (`AIRBYTE_CONNECTOR_ID` is then required). stdout carries MCP messages only;
//! logs go to stderr (`RUST_LOG` filters them).

use std::process::ExitCode;
use std::time::Duration;

use airbyte_agent_sandbox::{Sandbox, SandboxConfig};
use airbyte_intercom::Intercom;
use airbyte_mcp::ToolServer;
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// The environment variables that carry credentials for the real service.
const CREDENTIALS: [&str; 3] = [
    "AIRBYTE_TOKEN",
    "AIRBYTE_CLIENT_ID",
    "AIRBYTE_CLIENT_SECRET",
];

/// Serve the Intercom connector's actions as MCP tools over stdio.
#[derive(Debug, Parser)]
#[command(name = "airbyte-mcp", version)]
struct Args {
    /// Serve against the embedded loopback sandbox (Intercom fixture records, no network),
    /// even when credentials are set.
    #[arg(long)]
    sandbox: bool,
    /// Seconds one tool call may take before it is answered with an error (at least 1).
    #[arg(long, default_value_t = 120, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Cap on one tool result, in characters (at least 1,000: below, the truncation notice
    /// leaves no room for a record).
    #[arg(long, default_value_t = airbyte_agent_runtime::tools::DEFAULT_OUTPUT_LIMIT as u64,
          value_name = "CHARS", value_parser = clap::value_parser!(u64).range(1_000..))]
    max_output: u64,
}

/// `eprintln!` that never panics: stdout carries the protocol, and a host that closed stderr
/// must not bring the server down; what cannot be written is lost.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        // A log line that cannot be written is lost; saying so would `eprintln!`, which panics
        // on a closed stderr, inside the task answering a tool call.
        .log_internal_errors(false)
        .with_ansi(false)
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("airbyte_mcp=info,rmcp=warn")),
        )
        .init();

    let has_credentials = CREDENTIALS
        .iter()
        .any(|k| std::env::var(k).is_ok_and(|v| !v.trim().is_empty()));
    // Kept alive while serving: dropping it stops the sandbox.
    let mut _sandbox = None;
    let built = if args.sandbox || !has_credentials {
        let sandbox = Sandbox::start(SandboxConfig::default()).await;
        let why = if args.sandbox {
            "--sandbox"
        } else {
            "no AIRBYTE_TOKEN or AIRBYTE_CLIENT_ID/AIRBYTE_CLIENT_SECRET set"
        };
        say!(
            "airbyte-mcp: {why}: serving Intercom against the embedded loopback sandbox at {} \
             (fixture records; nothing leaves this machine)",
            sandbox.base_url()
        );
        let built = sandbox.connect(Intercom::builder()).build();
        _sandbox = Some(sandbox);
        built
    } else {
        say!("airbyte-mcp: serving Intercom against the execute API (credentials from AIRBYTE_*)");
        Intercom::builder().from_env().build()
    };
    let intercom = match built {
        Ok(intercom) => {
            intercom.with_tool_output_limit(usize::try_from(args.max_output).unwrap_or(usize::MAX))
        }
        Err(e) => {
            say!("airbyte-mcp: cannot configure the Intercom connector: {e}");
            return ExitCode::from(2);
        }
    };
    let server = ToolServer::new(intercom)
        .named("airbyte-intercom", env!("CARGO_PKG_VERSION"))
        .instructions(
            "Tools for the Intercom connector, one per action (`<entity>_<action>`, e.g. \
             `contacts_list`). List tools page with a cursor from the previous result; search \
             tools take a `query` with a `filter` over the entity's searchable fields. Ask for \
             what you need (`limit`, `fields`): long results are cut.",
        )
        .timeout(Duration::from_secs(args.timeout));
    say!(
        "airbyte-mcp: {} tools, serving MCP on stdin/stdout",
        server.tools().len()
    );
    match server.serve_stdio().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("airbyte-mcp: {e}");
            ExitCode::FAILURE
        }
    }
}
