//! `airbyte-agent-sandbox`: serves the loopback execute API until stopped.
//!
//! ```text
//! cargo run -p airbyte-agent-sandbox -- --port 8080
//! ```
//!
//! prints the base URL, the connector id and the bearer token to use, then serves until Ctrl-C.
//! `--model spec/<name>/model.yaml` serves another connector, its records synthesised from the
//! documented field types.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use airbyte_agent_sandbox::{Model, Sandbox, SandboxConfig, TEST_CONNECTOR_ID, TEST_TOKEN};
use clap::Parser;

/// Serve the loopback execute API (Intercom's records built in) until stopped.
#[derive(Debug, Parser)]
#[command(name = "airbyte-agent-sandbox", version)]
struct Args {
    /// TCP port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Serve this many synthetic contacts instead of the fixture contacts.
    #[arg(long)]
    synthetic_contacts: Option<u64>,
    /// Serve the connector of this `model.yaml` (written by `airbyte-codegen`): its entities
    /// and actions only, records synthesised from its documented fields, lists paged as the
    /// `paging.resolved.yaml` beside it says.
    #[arg(long, value_name = "PATH")]
    model: Option<PathBuf>,
    /// Records synthesised per entity of `--model`.
    #[arg(long, default_value_t = 25, value_name = "N")]
    records: u64,
    /// Delay every execute request by this many milliseconds (a remote API's round trip).
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

/// Writes one line to stderr; a closed or full stderr loses the line, never the server (where
/// `eprintln!` would panic).
macro_rules! note {
    ($($arg:tt)*) => {
        let _ = writeln!(std::io::stderr(), $($arg)*);
    };
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let mut config = SandboxConfig::default();
    if let Some(n) = args.synthetic_contacts {
        config = config.synthetic_contacts(n);
    }
    if let Some(path) = &args.model {
        match Model::load(path) {
            Ok(model) => {
                let entities: Vec<&str> = model.entities.iter().map(|e| e.id.as_str()).collect();
                note!("connector:        {} ({})", model.name, entities.join(", "));
                if model.resolved.is_empty() {
                    note!(
                        "paging:           none (no {} beside the model): every list answers all its records, records are named by `id`",
                        airbyte_agent_sandbox::model::PAGING_FILE
                    );
                }
                config = config.model(model).records_per_entity(args.records);
            }
            Err(e) => {
                note!("airbyte-agent-sandbox: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    config = config.latency(std::time::Duration::from_millis(args.latency_ms));
    let addr = SocketAddr::new(args.host, args.port);
    let sandbox = match Sandbox::bind(addr, config).await {
        Ok(sandbox) => sandbox,
        Err(e) => {
            note!("airbyte-agent-sandbox: cannot listen on {addr}: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The base URL is the one line on stdout, read by whoever started the sandbox; when nobody
    // reads it, the sandbox serves all the same.
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{}", sandbox.base_url()).and_then(|()| stdout.flush());
    drop(stdout);
    note!("execute endpoint: {}", sandbox.execute_url());
    note!("connector id:     {TEST_CONNECTOR_ID}");
    note!("bearer token:     {TEST_TOKEN}");
    note!("serving until Ctrl-C");
    if let Err(e) = tokio::signal::ctrl_c().await {
        note!("airbyte-agent-sandbox: cannot wait for Ctrl-C: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
