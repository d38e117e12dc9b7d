"""Times Airbyte's Python SDK (airbyte-agent-sdk) on the work `cargo xtask bench` times in Rust.

Run by `cargo xtask bench --python` inside the virtual environment it made (see
xtask/src/bench.rs); prints one line per measure, `python <name> key=value ...`:

* `python decode`: the SDK's decode path for a `contacts list` response body: JSON text ->
  `json.loads` (what httpx's `response.json()` does) -> the hosted executor's
  `ExecutionResult` -> the connector's `IntercomExecuteResultWithMeta` (what
  `IntercomConnector.execute` returns) -> `ContactsListResult`, pydantic's validation of
  `list[Contact]` (what `connector.contacts.list()` returns). The body is the file the Rust
  decode bench wrote, the same bytes. Median of `--decode-runs` runs.
* `python get`: `await connector.contacts.get(id=...)`, one at a time, against the loopback
  sandbox given by `--sandbox` (hosted mode: the SDK exchanges the sandbox's client
  credentials for a token once, then POSTs to its execute endpoint). Median of
  `--get-batches` batches of `--get-batch` requests, as requests per second.
"""

import argparse
import asyncio
import json
import os
import statistics
import time
from typing import Any

# Before the SDK is imported: no telemetry from a benchmark.
os.environ.setdefault("AIRBYTE_TELEMETRY_MODE", "disabled")

from airbyte_agent_sdk.connectors.intercom import IntercomConnector  # noqa: E402
from airbyte_agent_sdk.connectors.intercom.models import (  # noqa: E402
    ContactsListResult,
    IntercomExecuteResultWithMeta,
)
from airbyte_agent_sdk.executor.models import ExecutionResult  # noqa: E402
from airbyte_agent_sdk.types import AirbyteAuthConfig  # noqa: E402


def decode(text: bytes) -> ContactsListResult:
    """The SDK's path from a `contacts list` body to `ContactsListResult`."""
    response = json.loads(text)
    # HostedExecutor._parse_execution_result
    result = ExecutionResult(
        success=True,
        data=response["result"],
        meta=response.get("connector_metadata"),
        error=None,
    )
    # IntercomConnector.execute, for an action with extractors and metadata
    envelope = IntercomExecuteResultWithMeta[Any, Any](data=result.data, meta=result.meta)
    # ContactsQuery.list
    return ContactsListResult(data=envelope.data, meta=getattr(envelope, "meta", None))


def time_decode(path: str, runs: int) -> None:
    with open(path, "rb") as f:
        text = f.read()
    page = decode(text)
    records = len(page.data)
    if records == 0 or page.data[0].id is None:
        raise SystemExit(f"python decode: {path} did not decode into contacts")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        decode(text)
        times.append(time.perf_counter() - start)
    ms = statistics.median(times) * 1e3
    print(f"python decode records={records} bytes={len(text)} median_ms={ms:.3f} runs={runs}")


async def time_get(base_url: str, args: argparse.Namespace) -> None:
    os.environ["SDK_DEV_ADP_API_HOST"] = base_url
    connector = IntercomConnector(
        auth_config=AirbyteAuthConfig(
            airbyte_client_id=args.client_id,
            airbyte_client_secret=args.client_secret,
            connector_id=args.connector_id,
        )
    )
    try:
        first = await connector.contacts.get(id=args.contact_id)
        if not isinstance(first, dict) or first.get("id") != args.contact_id:
            raise SystemExit(f"python get: unexpected answer {first!r:.200}")
        for _ in range(args.get_batch):
            await connector.contacts.get(id=args.contact_id)
        rates = []
        for _ in range(args.get_batches):
            start = time.perf_counter()
            for _ in range(args.get_batch):
                await connector.contacts.get(id=args.contact_id)
            rates.append(args.get_batch / (time.perf_counter() - start))
        rate = statistics.median(rates)
        print(f"python get requests_per_s={rate:.1f} batch={args.get_batch} batches={args.get_batches}")
    finally:
        await connector.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--body", required=True, help="the contacts list body the Rust bench decoded")
    p.add_argument("--decode-runs", type=int, default=30)
    p.add_argument("--sandbox", help="base URL of the loopback sandbox; no get timing without it")
    p.add_argument("--client-id", default="sandbox-client")
    p.add_argument("--client-secret", default="sandbox-client-secret-do-not-log")
    p.add_argument("--connector-id", default="00000000-0000-4000-8000-00000000e2e0")
    p.add_argument("--contact-id", default="66a1000000000000c0ffee00")
    p.add_argument("--get-batch", type=int, default=200)
    p.add_argument("--get-batches", type=int, default=5)
    args = p.parse_args()
    time_decode(args.body, args.decode_runs)
    if args.sandbox:
        asyncio.run(time_get(args.sandbox, args))


if __name__ == "__main__":
    main()
