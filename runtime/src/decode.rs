//! Decoders for the execute API's response envelopes. Generated [`Action::decode`]
//! implementations call one of these.
//!
//! Errors carry the JSON path of the failing member (via `serde_path_to_error`) and the start
//! of the body. Envelopes are lenient: missing optional members default, extra members are
//! ignored, `null` where a list or object is expected counts as empty.
//!
//! [`Action::decode`]: crate::Action::decode

use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;

use bytes::Bytes;
use serde::de::{DeserializeOwned, DeserializeSeed, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::action::{ListPage, SearchHits, SearchPage};
use crate::error::DecodeError;

/// Deserialises `body` as `T`, reporting the failing path.
///
/// Tracking the path costs time on every member, so the body is first read without it; only
/// a body that fails is read again, with the path tracked, to build the error.
///
/// JSON that RFC 8259 allows but serde_json rejects does not cost the page
/// (`docs/GUARANTEES.md#odd-json`): a leading byte order mark is skipped; a body that fails is
/// read once more after a rescue pass, which writes a number beyond `f64` (`1e400`) as a string
/// of its exact text and a lone UTF-16 surrogate escape (`"\ud800"`, which no Rust string can
/// hold) as U+FFFD, so the other records of the page decode as they are.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    read(body, None)
}

/// [`json`], from the body as received: while it is read, records can copy runs of their
/// members straight from it ([`with_text`]).
fn json_shared<T: DeserializeOwned>(body: &Bytes) -> Result<T, DecodeError> {
    read(body, Some(body))
}

fn read<T: DeserializeOwned>(body: &[u8], shared: Option<&Bytes>) -> Result<T, DecodeError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let _reading = Reading::start(body, shared);
    // The whole body is checked as UTF-8 at once (with SIMD instructions where the CPU has
    // them), which is much cheaper than checking each string as it is read (`from_slice`);
    // `from_str` then reads strings without checking.
    let first = match simdutf8::basic::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    first.or_else(|_| match rescue(body) {
        Some(fixed) => serde_json::from_slice(&fixed).or_else(|_| json_with_path(body)),
        None => json_with_path(body),
    })
}

thread_local! {
    /// The addresses of the first and past the last byte of the body [`json`] is reading on
    /// this thread (`(0, 0)` for none), and whether it is also in [`SHARED`]: for [`records`]
    /// to size its `Vec`, and [`with_text`].
    static BODY: Cell<(usize, usize, bool)> = const { Cell::new((0, 0, false)) };
    /// The body being read, when the caller had it as [`Bytes`].
    static SHARED: RefCell<Option<Bytes>> = const { RefCell::new(None) };
}

/// The body [`read`] reads, in [`BODY`] and [`SHARED`] until dropped (then the one before, if
/// any).
struct Reading((usize, usize, bool), Option<Bytes>);

impl Reading {
    fn start(body: &[u8], shared: Option<&Bytes>) -> Reading {
        let range = body.as_ptr_range();
        let body = (range.start as usize, range.end as usize, shared.is_some());
        Reading(BODY.replace(body), SHARED.replace(shared.cloned()))
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        BODY.set(self.0);
        SHARED.set(self.1.take());
    }
}

/// The addresses of the body being read on this thread that can be read again with
/// [`with_text`] while it is (`0..0` for none).
pub(crate) fn readable() -> std::ops::Range<usize> {
    match BODY.get() {
        (first, past, true) => first..past,
        _ => 0..0,
    }
}

/// Calls `f` with the text of the body being read on this thread at the addresses
/// `start..end`; `None` when they are not all [`readable`] (or not text on their own).
pub(crate) fn with_text<R>(start: usize, end: usize, f: impl FnOnce(&str) -> R) -> Option<R> {
    let body = readable();
    if !(body.start <= start && start <= end && end <= body.end) {
        return None;
    }
    SHARED.with_borrow(|body| {
        let body = body.as_ref()?;
        let base = body.as_ptr() as usize;
        let bytes = body.get(start.checked_sub(base)?..end.checked_sub(base)?)?;
        simdutf8::basic::from_utf8(bytes).ok().map(f)
    })
}

/// Reads a list of records (`null` is empty), sizing the `Vec` once two records are read:
/// serde_json does not know how many elements an array has, and growing a `Vec` of records
/// (a generated contact is about a kilobyte) copies every record read so far at each doubling.
/// The number of records left is estimated from the bytes left in the body and the bytes the
/// first record took (both from where [`crate::record`] found the records' first member
/// names), with an eighth to spare; records that are not read from the body [`json`] reads
/// (a `Value`, or types that are not records) grow the `Vec` as usual.
fn records<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    deserializer.deserialize_option(NullOrList(Records(PhantomData)))
}

/// How the items of a list are read, for [`NullOrList`].
trait ReadList<'de> {
    type Item;
    fn read<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<Self::Item>, A::Error>;
}

/// A list member that may be `null` (no items), its items read by `R`.
struct NullOrList<R>(R);

impl<'de, R: ReadList<'de>> Visitor<'de> for NullOrList<R> {
    type Value = Vec<R::Item>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of records or null")
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.read(seq)
    }
}

/// Records read in place, the `Vec` sized once two are read (see [`records`]).
struct Records<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de> + Default> ReadList<'de> for Records<T> {
    type Item = T;

    fn read<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut records = Vec::new();
        let mut starts = [0; 2];
        for start in &mut starts {
            crate::record::take_start();
            if !next_in_place(&mut seq, &mut records)? {
                return Ok(records);
            }
            *start = crate::record::take_start();
        }
        if let Some(more) = more_records(starts, std::mem::size_of::<T>()) {
            // A failed reservation (no memory for the estimate) leaves the `Vec` to grow.
            let _ = records.try_reserve_exact(more);
        }
        while next_in_place(&mut seq, &mut records)? {}
        Ok(records)
    }
}

/// Reads the next record, if any, where it stays: at the end of `records`
/// (`Deserialize::deserialize_in_place`, which generated records implement without moving the
/// record).
fn next_in_place<'de, A: SeqAccess<'de>, T: Deserialize<'de> + Default>(
    seq: &mut A,
    records: &mut Vec<T>,
) -> Result<bool, A::Error> {
    records.push(T::default());
    let read = match records.last_mut() {
        Some(place) => {
            crate::record::fresh(place, |place| seq.next_element_seed(InPlace(place)))?.is_some()
        }
        None => false,
    };
    if !read {
        records.pop();
    }
    Ok(read)
}

/// Deserialises into the value it holds; a `null` item is an error (see [`NULL_ITEM`]).
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for InPlace<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for InPlace<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(NULL_ITEM))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Err(E::custom(NULL_ITEM))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        T::deserialize_in_place(deserializer, self.0)
    }
}

/// What a `null` item of a list of records is: an error at its index (`result[3]`), as a
/// page holds records only and the item has none to give; dropping it would hide that the
/// server sent it, and an empty record would re-encode as `{}`.
const NULL_ITEM: &str = "a `null` item where a record is expected (the server sent no record \
                         at this index; the page is not read)";

/// Reads a list of items (`null` or absent: none), each of which must not be `null`
/// ([`NULL_ITEM`]): a search page's `data`.
pub(crate) fn items<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Items<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de>> ReadList<'de> for Items<T> {
        type Item = T;

        fn read<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(item) = seq.next_element_seed(Item(PhantomData))? {
                out.push(item);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_option(NullOrList(Items(PhantomData)))
}

/// One item of [`items`]: `null` is [`NULL_ITEM`].
struct Item<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Item<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Item<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<T, E> {
        Err(E::custom(NULL_ITEM))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<T, E> {
        Err(E::custom(NULL_ITEM))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// How many records probably follow the second one, given the addresses where the first two
/// started, or `None` when they are not in the body [`json`] is reading. At most as many as
/// would take twice the body's bytes in memory, so a short first record followed by long
/// ones cannot reserve much more than the body holds.
fn more_records([first, second]: [usize; 2], record_size: usize) -> Option<usize> {
    let (start, end, _) = BODY.get();
    if !(start <= first && first < second && second < end) {
        return None;
    }
    let left = (end - second) / (second - first);
    let estimate = left + left / 8;
    let most = 2 * (end - start) / record_size.max(1);
    Some(estimate.min(most).saturating_sub(1))
}

/// Rewrites the legal JSON serde_json rejects into JSON it reads (see [`json`]): numbers that
/// overflow `f64` become strings of their text, unpaired surrogate escapes become `\ufffd`.
/// `None` when there is nothing of the kind (the body fails for another reason).
pub(crate) fn rescue(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() + 16);
    let mut changed = false;
    let mut i = 0;
    let hex4 = |at: usize| -> Option<u16> {
        let h = body.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    while i < body.len() {
        let b = body[i];
        if b == b'"' {
            // A string: copy it, mending unpaired surrogate escapes.
            out.push(b);
            i += 1;
            while i < body.len() {
                let c = body[i];
                if c == b'"' {
                    break;
                }
                if c == b'\\' && body.get(i + 1) == Some(&b'u') {
                    if let Some(unit) = hex4(i + 2) {
                        let high = (0xD800..0xDC00).contains(&unit);
                        let low = (0xDC00..0xE000).contains(&unit);
                        let paired = high
                            && body.get(i + 6) == Some(&b'\\')
                            && body.get(i + 7) == Some(&b'u')
                            && hex4(i + 8).is_some_and(|u| (0xDC00..0xE000).contains(&u));
                        if paired {
                            out.extend_from_slice(&body[i..i + 12]);
                            i += 12;
                            continue;
                        }
                        if high || low {
                            out.extend_from_slice(b"\\ufffd");
                            changed = true;
                            i += 6;
                            continue;
                        }
                    }
                }
                if c == b'\\' {
                    out.extend_from_slice(&body[i..(i + 2).min(body.len())]);
                    i += 2;
                    continue;
                }
                out.push(c);
                i += 1;
            }
            if i < body.len() {
                out.push(b'"');
                i += 1;
            }
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < body.len()
                && matches!(body[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                i += 1;
            }
            let token = &body[start..i];
            let overflows = std::str::from_utf8(token)
                .ok()
                .and_then(|t| t.parse::<f64>().ok())
                .is_some_and(|f| f.is_infinite());
            if overflows {
                out.push(b'"');
                out.extend_from_slice(token);
                out.push(b'"');
                changed = true;
            } else {
                out.extend_from_slice(token);
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    changed.then_some(out)
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
#[serde(bound = "T: DeserializeOwned + Default, M: DeserializeOwned + Default")]
struct ListEnvelope<T, M> {
    #[serde(deserialize_with = "records")]
    result: Vec<T>,
    #[serde(default, deserialize_with = "crate::coerce::null_default")]
    connector_metadata: M,
}

#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct ResultEnvelope<T> {
    result: T,
}

/// `{"result": ..}` where `"result": null` is `None` (a missing `result` stays an error).
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct PresentEnvelope<T> {
    #[serde(deserialize_with = "crate::coerce::null_or")]
    result: Option<T>,
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
    T: DeserializeOwned + Default,
    M: DeserializeOwned + Default,
{
    let env: ListEnvelope<T, M> = json_shared(&body)?;
    Ok(ListPage {
        records: env.result,
        meta: env.connector_metadata,
    })
}

/// `{"result": {..}}` → `T`.
pub fn record<T: DeserializeOwned>(body: Bytes) -> Result<T, DecodeError> {
    json_shared::<ResultEnvelope<T>>(&body).map(|e| e.result)
}

/// What [`present_record`] says of `"result": null` ([`DecodeError::message`]).
const NULL_RESULT: &str = "`null`: the execute API answered without a record";

/// `{"result": {..}}` → a generated record. `"result": null` has no record to give (an empty
/// one would re-encode as `{}`, which the server did not send): it is a [`DecodeError`] at
/// `result` that [`is_null_result`] recognises, and which
/// [`Client::execute`](crate::Client::execute) reports as
/// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) naming the entity and action.
pub fn present_record<T: DeserializeOwned>(body: Bytes) -> Result<T, DecodeError> {
    match json_shared::<PresentEnvelope<T>>(&body)?.result {
        Some(record) => Ok(record),
        None => Err(DecodeError::new("result", NULL_RESULT, &body)),
    }
}

/// Whether `e` is [`present_record`]'s error for `"result": null`.
pub fn is_null_result(e: &DecodeError) -> bool {
    e.path == "result" && e.message == NULL_RESULT
}

/// `{"result": {"hits": [{id, score, data}], "next_cursor", "took_ms"}}` → [`SearchHits`].
/// `null` where the result, the hits or a member is expected counts as empty / absent.
pub fn search_hits<T: DeserializeOwned>(body: Bytes) -> Result<SearchHits<T>, DecodeError> {
    json_shared::<NullableResultEnvelope<SearchHits<T>>>(&body).map(|e| e.result)
}

/// `{"result": {"data": [..], "meta": {"has_more", "cursor", "took_ms"}}}` → [`SearchPage`].
/// `null` where the result, `data`, `meta` or a member of `meta` is expected counts as empty /
/// absent (`"has_more": null` is `false`).
pub fn search_page<T: DeserializeOwned>(body: Bytes) -> Result<SearchPage<T>, DecodeError> {
    json_shared::<NullableResultEnvelope<SearchPage<T>>>(&body).map(|e| e.result)
}

/// A download: the raw bytes.
pub fn bytes(body: Bytes) -> Result<Bytes, DecodeError> {
    Ok(body)
}

#[cfg(test)]
mod tests;
