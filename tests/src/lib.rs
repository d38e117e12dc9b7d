//! Loopback sandbox of the Airbyte execute API.
