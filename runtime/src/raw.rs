//! Values kept as the JSON text received and parsed on first use: [`LazyValue`] for a record
//! member documented as any JSON (`object`, `any`), [`Extra`] for a record's undocumented
//! members.
//!
//! Building a `serde_json::Value` tree (a map, a `String` key and a node per member, all
//! allocated) costs several times what reading the same bytes costs, and most programs never
//! look at most of these values. Decoding copies the member's JSON text as it is; the tree is
//! built, once, the first time it is read. The texts of one record share one allocation (an
//! `Arc<str>` holding all of them, so a value moved out of its record keeps that record's
//! texts alive, and cloning one is a reference count); a value read on its own owns its text.
//! Both types dereference to the parsed value, so `contact.tags()` still gives a `&Value` and
//! `contact.extra.get("x")` an `Option<&Value>`.
//!
//! ```
//! use airbyte_agent_runtime::raw::{Extra, LazyValue};
//! use serde_json::json;
//!
//! let tags: LazyValue = serde_json::from_str(r#"{"type": "list", "data": []}"#).unwrap();
//! assert_eq!(tags.json(), r#"{"type": "list", "data": []}"#);
//! assert_eq!(tags["type"], "list");
//! assert_eq!(serde_json::to_value(&tags).unwrap(), json!({"type": "list", "data": []}));
//!
//! let extra = Extra::from(json!({"utm_source": "newsletter"}).as_object().unwrap().clone());
//! assert_eq!(extra["utm_source"], "newsletter");
//! ```

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// JSON text, owned alone or a part of the texts of the record it was read with.
#[derive(Clone, Default)]
struct Text {
    /// The text, or the texts of its record; `None` for no text (an empty [`Extra`]), and for
    /// a member's text while its record is still being read ([`Text::pending`]).
    all: Option<Arc<str>>,
    /// `all[start..start + len]`, or all of `all` when `len` is [`WHOLE`].
    start: u32,
    len: u32,
}

/// [`Text::len`] of a text that is all of [`Text::all`].
const WHOLE: u32 = u32::MAX;

impl Text {
    /// A text of its own.
    fn own(text: &str) -> Text {
        Text {
            all: Some(Arc::from(text)),
            start: 0,
            len: WHOLE,
        }
    }

    /// `text` appended to the texts of the record being read, to be shared by
    /// [`Text::share`] once the record is complete; a text of its own where a position past
    /// 4 GiB would not fit.
    fn pending(texts: &mut String, text: &str) -> Text {
        match (u32::try_from(texts.len()), u32::try_from(text.len())) {
            (Ok(start), Ok(len)) if len != WHOLE && start.checked_add(len).is_some() => {
                texts.push_str(text);
                Text {
                    all: None,
                    start,
                    len,
                }
            }
            _ => Text::own(text),
        }
    }

    /// Points a pending text at its record's texts.
    fn share(&mut self, texts: &Arc<str>) {
        if self.all.is_none() {
            self.all = Some(Arc::clone(texts));
        }
    }

    /// The text; `None` when there is none.
    fn get(&self) -> Option<&str> {
        let all = self.all.as_deref()?;
        if self.len == WHOLE {
            return Some(all);
        }
        let start = self.start as usize;
        all.get(start..start + self.len as usize)
    }
}

/// A JSON value kept as the text received, parsed into a [`Value`] the first time it is read
/// (through `Deref`, [`LazyValue::value`] or serialisation). Equality compares the parsed
/// values, as `Value` does.
pub struct LazyValue {
    text: Text,
    /// Boxed: a record holds several of these, and a `Value` (an `IndexMap` inside) is 80
    /// bytes, most of a record's size, for a value that is often never read.
    value: OnceLock<Box<Value>>,
}

impl LazyValue {
    /// The JSON text, exactly as received.
    pub fn json(&self) -> &str {
        // Every value has a text once its record is read; `null` stands in for none.
        self.text.get().unwrap_or("null")
    }

    /// The value, parsed on the first call.
    pub fn value(&self) -> &Value {
        self.value.get_or_init(|| Box::new(parse(self.json())))
    }

    /// The value, parsed.
    pub fn into_value(self) -> Value {
        match self.value.into_inner() {
            Some(v) => *v,
            None => parse(self.text.get().unwrap_or("null")),
        }
    }

    /// A member's JSON text read into a record: kept with the record's other texts
    /// (`texts`), shared when the record is complete ([`LazyValue::share`]).
    pub(crate) fn pending(texts: &mut String, text: &str) -> Self {
        LazyValue {
            text: Text::pending(texts, text),
            value: OnceLock::new(),
        }
    }

    /// Whether the text is `null`.
    #[cfg(test)]
    pub(crate) fn is_null(&self) -> bool {
        self.json() == "null"
    }

    /// Points a value read by [`LazyValue::pending`] at its record's texts.
    pub(crate) fn share(&mut self, texts: &Arc<str>) {
        self.text.share(texts);
    }
}

/// Parses JSON text read by serde_json. Reading checks only the syntax; the few values it
/// accepts that a `Value` cannot hold (a number beyond `f64` such as `1e400`, a lone UTF-16
/// surrogate escape) are mended as the decoder mends them in a body
/// ([`decode::json`](crate::decode::json)): the number becomes the string of its text, the
/// surrogate U+FFFD.
fn parse(text: &str) -> Value {
    serde_json::from_str(text)
        .ok()
        .or_else(|| {
            let fixed = crate::decode::rescue(text.as_bytes())?;
            serde_json::from_slice(&fixed).ok()
        })
        .unwrap_or(Value::Null)
}

impl From<Value> for LazyValue {
    fn from(value: Value) -> Self {
        // Writing a `Value` cannot fail (its map keys are strings).
        let text = serde_json::to_string(&value).unwrap_or_else(|_| "null".into());
        LazyValue {
            text: Text::own(&text),
            value: OnceLock::from(Box::new(value)),
        }
    }
}

impl Deref for LazyValue {
    type Target = Value;
    fn deref(&self) -> &Value {
        self.value()
    }
}

impl Clone for LazyValue {
    fn clone(&self) -> Self {
        LazyValue {
            text: self.text.clone(),
            value: self.value.clone(),
        }
    }
}

impl PartialEq for LazyValue {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json() || self.value() == other.value()
    }
}

impl fmt::Debug for LazyValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value().fmt(f)
    }
}

impl fmt::Display for LazyValue {
    /// The JSON text as received.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.json())
    }
}

impl Serialize for LazyValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LazyValue {
    /// Reads any JSON value as its text. Works with serde_json's deserializers (from bytes, a
    /// string, a reader or a `Value`), which are the ones that carry JSON text.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = RawText.deserialize(deserializer)?;
        check_depth(&text)?;
        Ok(LazyValue {
            text: Text::own(&text),
            value: OnceLock::new(),
        })
    }
}

/// Nesting a `Value` can be parsed with (serde_json stops at its 128th level).
const MAX_DEPTH: usize = 127;

/// Fails on text nested deeper than [`MAX_DEPTH`]: serde_json skips over such a value without
/// a limit but cannot parse it into a `Value` later, so it costs the page now, as it did when
/// values were parsed at once (docs/GUARANTEES.md, odd JSON).
pub(crate) fn check_depth<E: de::Error>(text: &str) -> Result<(), E> {
    // Deeper nesting needs an opening and a closing bracket per level.
    if text.len() <= 2 * MAX_DEPTH {
        return Ok(());
    }
    // Nor without as many opening brackets; counting them (in strings too) is a loop the
    // compiler vectorises, several times cheaper than the walk below that tracks strings.
    // Counted in byte-sized lanes (`[` and `{` differ only in bit 0x20), 255 bytes at most
    // per lane sum, so that the loop compares 16 or 32 bytes at a time.
    let opening: usize = text
        .as_bytes()
        .chunks(255)
        .map(|chunk| {
            usize::from(
                chunk
                    .iter()
                    .fold(0u8, |n, &b| n + u8::from(b | 0x20 == b'{')),
            )
        })
        .sum::<usize>();
    if opening <= MAX_DEPTH {
        return Ok(());
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in text.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(E::custom("recursion limit exceeded"));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// The members of a record its document does not list, kept as the JSON text of an object
/// (`{"name": value, ...}`, values as received) and parsed into a [`Map`] the first time they
/// are read (through `Deref`: `extra.get("name")`, `extra.len()`, `extra.keys()`, ...). A
/// member given twice keeps its last value, at the place of its first.
#[derive(Default)]
pub struct Extra {
    /// A JSON object, or none.
    text: Text,
    /// Boxed, as in [`LazyValue`].
    map: OnceLock<Box<Map<String, Value>>>,
}

impl Extra {
    /// The members as the text of a JSON object (`{}` when there are none).
    pub fn json(&self) -> &str {
        self.text.get().unwrap_or("{}")
    }

    /// The members, parsed on the first call.
    pub fn map(&self) -> &Map<String, Value> {
        self.map.get_or_init(|| {
            let Some(text) = self.text.get() else {
                return Box::default();
            };
            Box::new(match parse(text) {
                Value::Object(m) => m,
                _ => Map::new(),
            })
        })
    }

    /// The members, parsed.
    pub fn into_map(self) -> Map<String, Value> {
        self.map();
        self.map.into_inner().map(|m| *m).unwrap_or_default()
    }

    /// Whether no member was kept (without parsing them).
    pub fn is_empty(&self) -> bool {
        self.text.get().is_none() || self.map().is_empty()
    }

    /// The members of a record being read, from the object text [`push_member`] wrote into
    /// `members` (closed here), kept with the record's other texts (`texts`) and shared by
    /// [`Extra::share`]. `None` when there are no members.
    pub(crate) fn pending(texts: &mut String, members: &mut String) -> Option<Self> {
        if members.is_empty() {
            return None;
        }
        members.push('}');
        Some(Extra {
            text: Text::pending(texts, members),
            map: OnceLock::new(),
        })
    }

    /// Points members read by [`Extra::pending`] at their record's texts.
    pub(crate) fn share(&mut self, texts: &Arc<str>) {
        self.text.share(texts);
    }

    /// Adds a member (see [`push_member`]).
    #[cfg(test)]
    fn push(&mut self, name: &str, plain_name: bool, json: &str) {
        let mut members = match self.text.get() {
            Some(text) => text.strip_suffix('}').unwrap_or(text).to_owned(),
            None => String::new(),
        };
        push_member(&mut members, name, plain_name, json);
        members.push('}');
        self.text = Text::own(&members);
        self.map = OnceLock::new();
    }
}

/// Adds a member to the text of a JSON object left open (`{"a":1,"b":2`, empty for none): its
/// name (unescaped) and its JSON text as received. `plain_name` says the name needs no
/// escaping (serde_json lent it from the input: it had no escape, and JSON strings hold no raw
/// control character).
pub(crate) fn push_member(members: &mut String, name: &str, plain_name: bool, json: &str) {
    members.push(if members.is_empty() { '{' } else { ',' });
    if plain_name {
        members.push('"');
        members.push_str(name);
        members.push('"');
    } else {
        write_name(members, name);
    }
    members.push(':');
    members.push_str(json);
}

/// Reads the next member value's JSON text: borrowed from the input when serde_json reads
/// from a string or bytes, copied otherwise. One allocation less per member than
/// `Box<RawValue>`.
pub(crate) fn next_text<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Cow<'de, str>, A::Error> {
    map.next_value_seed(RawText)
}

/// The name under which serde_json hands out a value's raw text (as `RawValue` asks for it).
/// Should serde_json ever change it, [`RawText`] falls back to `Box<RawValue>`.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

struct RawText;

impl<'de> DeserializeSeed<'de> for RawText {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawText)
    }
}

impl<'de> Visitor<'de> for RawText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    /// serde_json's raw-value protocol: one member named by the token, the text its value.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if map.next_key::<IgnoredAny>()?.is_none() {
            return Err(de::Error::invalid_length(0, &self));
        }
        map.next_value_seed(crate::record::BorrowedStr("JSON text"))
    }

    /// A deserializer that does not know the token: read a `RawValue` the public way.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        Ok(Cow::Owned(raw.get().to_owned()))
    }
}

/// Writes `name` as a JSON string.
fn write_name(out: &mut String, name: &str) {
    let plain = name
        .bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b != 0x7f);
    if plain {
        out.push('"');
        out.push_str(name);
        out.push('"');
    } else {
        // A `&str` always serialises.
        out.push_str(&serde_json::to_string(name).unwrap_or_else(|_| "\"\"".into()));
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        let text = if map.is_empty() {
            Text::default()
        } else {
            // Writing a map of `Value`s cannot fail.
            Text::own(&serde_json::to_string(&map).unwrap_or_else(|_| "{}".into()))
        };
        Extra {
            text,
            map: OnceLock::from(Box::new(map)),
        }
    }
}

impl Deref for Extra {
    type Target = Map<String, Value>;
    fn deref(&self) -> &Map<String, Value> {
        self.map()
    }
}

impl Clone for Extra {
    fn clone(&self) -> Self {
        Extra {
            text: self.text.clone(),
            map: self.map.clone(),
        }
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        self.json() == other.json() || self.map() == other.map()
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.map().fmt(f)
    }
}

impl Serialize for Extra {
    /// The members as a map (a record flattens it into its own object).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.map().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lazy_values_keep_their_text_and_parse_once_read() {
        let text = r#"{"b": [1, 2.50, "x"], "a": null}"#;
        let v: LazyValue = serde_json::from_str(text).unwrap();
        assert_eq!(v.json(), text);
        assert_eq!(v.to_string(), text);
        assert_eq!(*v, json!({"b": [1, 2.5, "x"], "a": null}));
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a"], "member order is kept");
        assert_eq!(v, LazyValue::from(json!({"b": [1, 2.5, "x"], "a": null})));
        assert_ne!(v, LazyValue::from(json!({"b": [1, 2.5, "x"]})));
        // Through a `Value` deserializer too.
        let w: LazyValue = serde_json::from_value(json!([1, {"x": true}])).unwrap();
        assert_eq!(w.clone().into_value(), json!([1, {"x": true}]));
        assert!(LazyValue::from(Value::Null).is_null());
    }

    #[test]
    fn nesting_a_value_cannot_hold_is_an_error() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let ok: LazyValue = serde_json::from_str(&deep(127)).unwrap();
        assert!(ok.is_array());
        let text = format!(r#"{{"a": "[[[[", "b": {}}}"#, deep(127));
        let e = serde_json::from_str::<LazyValue>(&text).unwrap_err();
        assert!(e.to_string().contains("recursion limit"), "{e}");
        let strings = format!(r#"["{}"]"#, "[".repeat(500));
        assert!(
            serde_json::from_str::<LazyValue>(&strings).is_ok(),
            "brackets in strings"
        );
    }

    #[test]
    fn values_a_value_cannot_hold_are_mended_as_in_a_body() {
        let v: LazyValue = serde_json::from_str(r#"{"big": 1e400}"#).unwrap();
        assert_eq!(v.json(), r#"{"big": 1e400}"#, "the text is kept exactly");
        assert_eq!(*v, json!({"big": "1e400"}));
    }

    /// A record of undocumented members only, read through [`next_text`].
    #[derive(Default)]
    struct Texts(Vec<String>);

    impl<'de> Deserialize<'de> for Texts {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Texts;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Texts, A::Error> {
                    let mut out = Texts::default();
                    while map.next_key::<IgnoredAny>()?.is_some() {
                        out.0.push(next_text(&mut map)?.into_owned());
                    }
                    Ok(out)
                }
            }
            d.deserialize_map(V)
        }
    }

    #[test]
    fn member_texts_are_read_as_received_from_every_serde_json_source() {
        let text = r#"{"a": [1, 2.50], "b": "x\"y", "c": null, "d": {"e": 1e400}}"#;
        let want = ["[1, 2.50]", r#""x\"y""#, "null", r#"{"e": 1e400}"#];
        let from_str: Texts = serde_json::from_str(text).unwrap();
        assert_eq!(from_str.0, want);
        let from_slice: Texts = serde_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(from_slice.0, want);
        let from_reader: Texts = serde_json::from_reader(text.as_bytes()).unwrap();
        assert_eq!(from_reader.0, want);
        // A `Value` has no text: it is written out.
        let from_value: Texts = serde_json::from_value(json!({"a": [1, 2.5]})).unwrap();
        assert_eq!(from_value.0, ["[1,2.5]"]);
    }

    #[test]
    fn extra_members_are_an_object_of_their_texts() {
        let mut e = Extra::default();
        assert_eq!(e.json(), "{}");
        assert!(e.is_empty());
        e.push("url", true, r#""/tags/7""#);
        e.push("odd \"name\"\n", false, "[1, 2]");
        e.push("url", false, "null");
        assert_eq!(
            e.json(),
            r#"{"url":"/tags/7","odd \"name\"\n":[1, 2],"url":null}"#
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e["url"], Value::Null, "the last value wins");
        let keys: Vec<&String> = e.keys().collect();
        assert_eq!(keys, ["url", "odd \"name\"\n"], "at the place of the first");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"url": null, "odd \"name\"\n": [1, 2]})
        );
        let m = json!({"x": 1}).as_object().unwrap().clone();
        assert_eq!(Extra::from(m.clone()).into_map(), m);
        assert_eq!(Extra::from(m.clone()), Extra::from(m));
    }
}
