//! Runtime for generated Airbyte agent-connector SDKs.
