//! Decoders for the execute API's response envelopes. Generated [`Action::decode`]
//! implementations call one of these.
//!
//! Errors carry the JSON path of the failing member (via `serde_path_to_error`) and the start
//! of the body. Envelopes are lenient: missing optional members default, extra members are
//! ignored, `null` where a list or object is expected counts as empty.
//!
//! [`Action::decode`]: crate::Action::decode

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::action::{ListPage, SearchHits, SearchPage};
use crate::error::DecodeError;

/// Deserialises `body` as `T`, reporting the failing path.
///
/// Tracking the path costs time on every member, so the body is first read without it; only
/// a body that fails is read again, with the path tracked, to build the error.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    serde_json::from_slice(body).or_else(|_| json_with_path(body))
}

/// [`json`]'s second pass: the same decoding, tracking the path of the member that fails.
fn json_with_path<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        DecodeError::new(path, e.into_inner().to_string(), body)
    })?;
    de.end()
        .map_err(|e| DecodeError::new(".", e.to_string(), body))?;
    Ok(value)
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned, M: DeserializeOwned + Default")]
struct ListEnvelope<T, M> {
    #[serde(deserialize_with = "crate::coerce::null_default")]
    result: Vec<T>,
    #[serde(default, deserialize_with = "crate::coerce::null_default")]
    connector_metadata: M,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct ResultEnvelope<T> {
    result: T,
}

/// `{"result": ..}` where `"result": null` is the empty value (a search without results).
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned + Default")]
struct NullableResultEnvelope<T> {
    #[serde(deserialize_with = "crate::coerce::null_default")]
    result: T,
}

/// `{"result": [..], "connector_metadata": {..}}` → [`ListPage`].
pub fn list_page<T, M>(body: Bytes) -> Result<ListPage<T, M>, DecodeError>
where
    T: DeserializeOwned,
    M: DeserializeOwned + Default,
{
    let env: ListEnvelope<T, M> = json(&body)?;
    Ok(ListPage {
        records: env.result,
        meta: env.connector_metadata,
    })
}

/// `{"result": {..}}` → `T`.
pub fn record<T: DeserializeOwned>(body: Bytes) -> Result<T, DecodeError> {
    json::<ResultEnvelope<T>>(&body).map(|e| e.result)
}

/// `{"result": {..}}` → a generated record; `"result": null` is the record with every member
/// absent (`T::default()`), not a decode error.
pub fn record_or_empty<T: DeserializeOwned + Default>(body: Bytes) -> Result<T, DecodeError> {
    json::<NullableResultEnvelope<T>>(&body).map(|e| e.result)
}

/// `{"result": {"hits": [{id, score, data}], "next_cursor", "took_ms"}}` → [`SearchHits`].
/// `null` where the result, the hits or a member is expected counts as empty / absent.
pub fn search_hits<T: DeserializeOwned>(body: Bytes) -> Result<SearchHits<T>, DecodeError> {
    json::<NullableResultEnvelope<SearchHits<T>>>(&body).map(|e| e.result)
}

/// `{"result": {"data": [..], "meta": {"has_more", "cursor", "took_ms"}}}` → [`SearchPage`].
/// `null` where the result, `data`, `meta` or a member of `meta` is expected counts as empty /
/// absent (`"has_more": null` is `false`).
pub fn search_page<T: DeserializeOwned>(body: Bytes) -> Result<SearchPage<T>, DecodeError> {
    json::<NullableResultEnvelope<SearchPage<T>>>(&body).map(|e| e.result)
}

/// A download: the raw bytes.
pub fn bytes(body: Bytes) -> Result<Bytes, DecodeError> {
    Ok(body)
}

#[cfg(test)]
mod tests;
