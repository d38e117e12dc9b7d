//! What a connector receives, on arbitrary bytes: a JSON value decodes into the generated
//! Intercom records and the list and search envelopes without panicking; every JSON object decodes into a record
//! (records are lenient) and re-encodes to exactly the same JSON (`docs/GUARANTEES.md`); the
//! same value read as a search filter never panics, and evaluating it on the value never panics.
#![no_main]

use airbyte_agent_runtime::filter::Condition;
use airbyte_agent_runtime::{Decode, ListPage, SearchHits};
use airbyte_intercom::contacts::{Contact, ContactSearchRecord, ListContactsMeta};
use airbyte_intercom::conversations::Conversation;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if value.is_object() {
        exact::<Contact>(data, &value);
        exact::<Conversation>(data, &value);
    }
    let body = bytes::Bytes::copy_from_slice(data);
    let _ = ListPage::<Contact, ListContactsMeta>::decode(body.clone());
    let _ = SearchHits::<ContactSearchRecord>::decode(body);
    let condition = Condition::from_value(&value);
    let _ = condition.first_unknown();
    let _ = condition.matches(&value);
    let _ = serde_json::from_value::<Condition>(value);
});

/// `data` holds a JSON object: it decodes into `T` and encodes back to the same value.
fn exact<T: DeserializeOwned + Serialize>(data: &[u8], value: &Value) {
    let record: T = serde_json::from_slice(data).unwrap_or_else(|e| {
        panic!(
            "a JSON object does not decode into {}: {e}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&record).expect("a record encodes");
    assert_eq!(&back, value, "{} changed the value", std::any::type_name::<T>());
}
