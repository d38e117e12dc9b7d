//! Decoding of generated record structs.
//!
//! A record has one [`Lenient`] field per documented member (absent, `null`, a value, or a
//! value of another shape) and an `extra` map for the members its document does not list.
//! `#[serde(flatten)]` would keep those too, but serde then buffers every member of every
//! record before dispatching it; [`deserialize`] instead reads the JSON object once, member by
//! member: a documented member goes straight to its field, any other into `extra`. The
//! [`record!`](crate::record!) macro writes the `Deserialize`, `Serialize` (the members as
//! received: absent ones left out, `null` kept, then the undocumented ones) and [`Record`]
//! impls from the member names:
//!
//! ```
//! use airbyte_agent_runtime::{Extra, Lenient};
//! use serde_json::json;
//!
//! #[derive(Default)]
//! struct Tag {
//!     id: Lenient<String>,
//!     type_: Lenient<String>,
//!     extra: Extra,
//! }
//!
//! airbyte_agent_runtime::record!(Tag {
//!     "id" => id,
//!     "type" => type_,
//! });
//!
//! let input = json!({"id": 7, "type": null, "url": "/tags/7"});
//! let tag: Tag = serde_json::from_value(input.clone()).unwrap();
//! assert_eq!(tag.id, Lenient::other_value(7.into()));
//! assert_eq!(tag.type_, Lenient::Null);
//! assert_eq!(tag.extra["url"], "/tags/7");
//! assert_eq!(serde_json::to_value(&tag).unwrap(), input);
//! assert_eq!(format!("{tag:?}"), r#"Tag { id: 7 (not the documented type), type: null, url: String("/tags/7") }"#);
//! ```
//!
//! The rules are those of a `#[derive(Deserialize)]` struct with `#[serde(default)]` fields
//! and a flattened map, with `null` kept apart from absent: the input must be an object, an
//! absent member leaves its field [`Lenient::Absent`], `null` makes it [`Lenient::Null`], and
//! a member given twice, documented or not, keeps its last value.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use crate::lenient::{Lenient, Plain};
use crate::raw::{Extra, LazyValue};

/// A record struct decoded by [`deserialize`]: its documented members go to their fields,
/// the others to its `extra` map. See the [module documentation](self) for an example.
pub trait Record: Default {
    /// The type's name, for errors such as "invalid type: string, expected struct Contact".
    const NAME: &'static str;

    /// The undocumented members.
    fn extra(&mut self) -> &mut Extra;

    /// Reads the value of the member named `key`: [`Member::field`] for a documented member,
    /// [`Member::extra`] for any other.
    fn read_member<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        member: Member<'_, 'de, A>,
    ) -> Result<(), A::Error>;

    /// Once the record is read: hands the texts of its members, kept together, to the fields
    /// that hold some ([`Lenient::share_texts`] on each field).
    #[doc(hidden)]
    fn share_texts(&mut self, texts: &Arc<str>);
}

/// Deserialises a [`Record`] from a JSON object (the body of the record's `Deserialize` impl).
pub fn deserialize<'de, D: Deserializer<'de>, T: Record>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(RecordVisitor(PhantomData))
}

/// Deserialises a [`Record`] from a JSON object into `place`, which it first resets, with
/// the same outcome as [`deserialize`] (the body of the record's
/// `Deserialize::deserialize_in_place`). A list of records read this way is filled where its
/// records stay, instead of each (about a kilobyte for a generated contact) being moved
/// several times on its way there ([`decode`](crate::decode)).
pub fn deserialize_in_place<'de, D: Deserializer<'de>, T: Record>(
    deserializer: D,
    place: &mut T,
) -> Result<(), D::Error> {
    // A record that was just made with `T::default()` to be read into needs no reset (see
    // `fresh`); resetting one costs a pass over all its members.
    if FRESH.replace(0) != std::ptr::from_mut(place) as usize {
        *place = T::default();
    }
    deserializer.deserialize_map(InPlace(place))
}

/// Calls `read` (which reads a record into `place` with [`deserialize_in_place`]) telling
/// it that `place` was just made with `T::default()`: it then skips resetting it.
pub(crate) fn fresh<T, R>(place: &mut T, read: impl FnOnce(&mut T) -> R) -> R {
    FRESH.set(std::ptr::from_mut(place) as usize);
    let result = read(place);
    FRESH.set(0);
    result
}

/// The value of one member of a record being read: store it with [`field`](Self::field) or
/// [`extra`](Self::extra).
pub struct Member<'a, 'de, A: MapAccess<'de>> {
    key: &'a Cow<'de, str>,
    map: &'a mut A,
    buffers: &'a mut Buffers,
    de: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Member<'_, 'de, A> {
    /// Reads the value into a documented member's field: `null` becomes [`Lenient::Null`], a
    /// value of the field's type [`Lenient::Known`], anything else [`Lenient::Other`]. A member
    /// given twice keeps its last value (RFC 8259 leaves duplicate names to the reader; the
    /// last wins, as in JavaScript and `serde_json::Value`), never failing the page.
    pub fn field<T: Plain>(self, slot: &mut Lenient<T>) -> Result<(), A::Error> {
        T::read_member(self.map, slot, self.buffers)
    }

    /// Keeps the member, as received (its JSON text), in the record's undocumented members
    /// ([`Record::extra`]).
    pub fn extra(self) -> Result<(), A::Error> {
        let text = crate::raw::next_text(self.map)?;
        crate::raw::check_depth(&text)?;
        if let (Cow::Borrowed(name), Cow::Borrowed(json)) = (self.key, &text) {
            if self.buffers.extend_run(name, json) {
                return Ok(());
            }
        }
        self.buffers.flush_run()?;
        // A name lent by the input had no escapes: it is written back as it is.
        let plain_name = matches!(self.key, Cow::Borrowed(_));
        crate::raw::push_member(&mut self.buffers.extra, self.key, plain_name, &text);
        Ok(())
    }
}

/// What reading one record uses besides the record itself: the texts of its members
/// documented as any JSON, the text of its undocumented members, and the stack [`Value`]s
/// are built with. One set per thread is reused; a record read inside another (a nested one)
/// while it is out gets a fresh set.
#[doc(hidden)]
#[derive(Default)]
pub struct Buffers {
    /// Members of the objects being read into [`Value`]s, innermost last: each object's
    /// members are collected here and moved into a map of the right size when the object
    /// ends, which saves growing the map (and re-hashing it) member by member.
    values: Vec<(String, Value)>,
    /// The JSON texts of the record's [`LazyValue`] members, one after the other: they become
    /// one allocation, shared by those members and the record's [`Extra`], when the record is
    /// complete.
    texts: String,
    /// The record's undocumented members as an object's text, left open ([`Extra::pending`]).
    extra: String,
    /// Undocumented members not yet copied into `extra`: the addresses of the input from the
    /// first one's name to the last one's value (`(0, 0)` for none). Members next to each
    /// other in compact JSON (`"a":1,"b":[2]`, as [`push_member`](crate::raw::push_member)
    /// would write them) are copied in one piece, from the body being decoded
    /// ([`decode::with_text`](crate::decode::with_text)).
    run: (usize, usize),
    /// [`decode::readable`](crate::decode::readable) when the record started.
    body: std::ops::Range<usize>,
}

thread_local! {
    /// The address of a record [`deserialize_in_place`] may read into without resetting it
    /// (0 for none; see [`fresh`]).
    static FRESH: Cell<usize> = const { Cell::new(0) };
    /// Where in the input the name of the first member of the first record started since
    /// [`take_start`] was last called on this thread, when serde_json lent it (0 otherwise).
    static START: Cell<usize> = const { Cell::new(0) };
    /// The thread's [`Buffers`] (see [`Buffers::with`]).
    static BUFFERS: RefCell<Buffers> = const {
        RefCell::new(Buffers {
            values: Vec::new(),
            texts: String::new(),
            extra: String::new(),
            run: (0, 0),
            body: 0..0,
        })
    };
}

impl Buffers {
    /// Buffers larger than these (members, bytes) are not kept for reuse.
    const KEEP_VALUES: usize = 4096;
    const KEEP_TEXT: usize = 1 << 16;

    /// Calls `f` with the thread's buffers, emptied afterwards; with new ones while those are
    /// in use (a record read inside another).
    fn with<R>(f: impl FnOnce(&mut Buffers) -> R) -> R {
        BUFFERS.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buffers) => {
                // Emptied before too: a panic may have left a record's texts behind.
                buffers.clear();
                buffers.body = crate::decode::readable();
                let result = f(&mut buffers);
                buffers.clear();
                result
            }
            Err(_) => f(&mut Buffers {
                body: crate::decode::readable(),
                ..Buffers::default()
            }),
        })
    }

    /// Empties the buffers for the next record (what a record that failed left is dropped);
    /// large ones are let go.
    fn clear(&mut self) {
        self.values.clear();
        self.texts.clear();
        self.extra.clear();
        self.run = (0, 0);
        if self.values.capacity() > Self::KEEP_VALUES
            || self.texts.capacity() > Self::KEEP_TEXT
            || self.extra.capacity() > Self::KEEP_TEXT
        {
            *self = Buffers::default();
        }
    }

    /// The texts of a record's [`LazyValue`] member (see [`Plain::read_member`]).
    pub(crate) fn lazy_value(&mut self, text: &str) -> LazyValue {
        LazyValue::pending(&mut self.texts, text)
    }

    /// Adds the undocumented member `"name":json` to the run of members not yet copied, when
    /// it is written exactly so in the body being decoded (no space around the colon) and
    /// either follows the run's last member after a lone comma or starts a new run. `false`
    /// when it cannot be copied from the body.
    #[inline]
    fn extend_run(&mut self, name: &str, json: &str) -> bool {
        let name_at = name.as_ptr() as usize;
        let json_at = json.as_ptr() as usize;
        // The opening quote before the name; the closing quote and the colon after it.
        let (Some(start), Some(value)) = (name_at.checked_sub(1), name_at.checked_add(name.len()))
        else {
            return false;
        };
        let end = json_at.saturating_add(json.len());
        let body = &self.body;
        if value.checked_add(2) != Some(json_at) || start < body.start || end > body.end {
            return false;
        }
        if self.run != (0, 0) && self.run.1.checked_add(1) == Some(start) {
            self.run.1 = end;
            return true;
        }
        if self.copy_run().is_err() {
            return false;
        }
        self.run = (start, end);
        true
    }

    /// Copies the run of members not yet copied into the undocumented members' text.
    fn flush_run<E: de::Error>(&mut self) -> Result<(), E> {
        self.copy_run()
            .map_err(|()| E::custom("the members read could not be found again in the body"))
    }

    /// [`flush_run`](Self::flush_run); on failure the run is left as it is.
    fn copy_run(&mut self) -> Result<(), ()> {
        let (start, end) = self.run;
        if start == end {
            return Ok(());
        }
        let extra = &mut self.extra;
        crate::decode::with_text(start, end, |members| {
            extra.push(if extra.is_empty() { '{' } else { ',' });
            extra.push_str(members);
        })
        .ok_or(())?;
        self.run = (0, 0);
        Ok(())
    }

    /// Gives the record read with these buffers its texts: the [`LazyValue`] members' and
    /// the undocumented members', in one allocation.
    fn finish<T: Record, E: de::Error>(&mut self, record: &mut T) -> Result<(), E> {
        self.flush_run()?;
        let extra = Extra::pending(&mut self.texts, &mut self.extra);
        if self.texts.is_empty() {
            // No member kept text here (one too long for a shared text owns its own).
            if let Some(extra) = extra {
                *record.extra() = extra;
            }
            return Ok(());
        }
        let texts: Arc<str> = Arc::from(self.texts.as_str());
        record.share_texts(&texts);
        if let Some(mut extra) = extra {
            extra.share(&texts);
            *record.extra() = extra;
        }
        Ok(())
    }
}

/// The address in the input of the first member name of the first record read on this thread
/// since the last call (0 if none was read, or its name was not lent by the input), and
/// starts anew: how far apart records are, for sizing a list of them
/// ([`decode`](crate::decode)).
pub(crate) fn take_start() -> usize {
    START.replace(0)
}

/// Reads the next member value as a [`Value`] with the buffers' stack (for
/// [`Plain::read_member`] of `Value`).
pub(crate) fn value_with<'de, A: MapAccess<'de>>(
    map: &mut A,
    buffers: &mut Buffers,
) -> Result<Value, A::Error> {
    map.next_value_seed(ValueSeed(&mut buffers.values))
}

struct RecordVisitor<T>(PhantomData<T>);

impl<'de, T: Record> Visitor<'de> for RecordVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut record = T::default();
        read_members(&mut record, map)?;
        Ok(record)
    }
}

/// Reads a record into the one it holds (see [`deserialize_in_place`]).
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: Record> Visitor<'de> for InPlace<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        read_members(self.0, map)
    }
}

/// Reads the members of a JSON object into `record`.
fn read_members<'de, T: Record, A: MapAccess<'de>>(record: &mut T, map: A) -> Result<(), A::Error> {
    Buffers::with(|buffers| read_members_with(record, map, buffers))
}

fn read_members_with<'de, T: Record, A: MapAccess<'de>>(
    record: &mut T,
    mut map: A,
    buffers: &mut Buffers,
) -> Result<(), A::Error> {
    let mut next = map.next_key_seed(BorrowedStr("a member name"))?;
    if let Some(Cow::Borrowed(first)) = &next {
        // The outermost record's, not those of records nested in it (read later).
        if START.get() == 0 {
            START.set(first.as_ptr() as usize);
        }
    }
    while let Some(key) = next {
        let member = Member {
            key: &key,
            map: &mut map,
            buffers: &mut *buffers,
            de: PhantomData,
        };
        record.read_member(&key, member)?;
        next = map.next_key_seed(BorrowedStr("a member name"))?;
    }
    buffers.finish(record)
}

/// Reads any JSON value as a [`Value`] (as `Value::deserialize` does), collecting object
/// members on the scratch stack.
struct ValueSeed<'s>(&'s mut Vec<(String, Value)>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(ValueSeed(&mut *self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let start = self.0.len();
        let read = (|| {
            while let Some(key) = map.next_key::<String>()? {
                let value = map.next_value_seed(ValueSeed(&mut *self.0))?;
                self.0.push((key, value));
            }
            Ok(())
        })();
        if let Err(e) = read {
            self.0.truncate(start);
            return Err(e);
        }
        Ok(Value::Object(self.0.drain(start..).collect()))
    }
}

/// Reads the rest of an array as a [`Value`] (for [`Lenient`](crate::lenient::Lenient)).
pub(crate) fn array_value<'de, A: de::SeqAccess<'de>>(seq: A) -> Result<Value, A::Error> {
    Buffers::with(|buffers| ValueSeed(&mut buffers.values).visit_seq(seq))
}

/// Reads the rest of an object as a [`Value`] (for [`Lenient`](crate::lenient::Lenient)).
pub(crate) fn object_value<'de, A: MapAccess<'de>>(map: A) -> Result<Value, A::Error> {
    Buffers::with(|buffers| ValueSeed(&mut buffers.values).visit_map(map))
}

/// A JSON string (a member name, or a member's JSON text), borrowed from the input where it
/// can be; the `&str` is what an error says was expected.
pub(crate) struct BorrowedStr(pub(crate) &'static str);

impl<'de> DeserializeSeed<'de> for BorrowedStr {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for BorrowedStr {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A record member as its `Debug` shows it: the value itself, `null`, or a value of another
/// shape as its JSON text (used by [`record!`](crate::record!)).
pub struct Shown<'a, T>(pub &'a Lenient<T>);

impl<T: fmt::Debug> fmt::Debug for Shown<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Lenient::Known(t) => t.fmt(f),
            Lenient::Absent => f.write_str("(absent)"),
            Lenient::Null => f.write_str("null"),
            Lenient::Other(v) => write!(f, "{v} (not the documented type)"),
        }
    }
}

/// Implements `Deserialize`, `Serialize` (absent members left out, then the undocumented
/// ones), `Debug` (members received only) and [`Record`] for a record struct whose `extra`
/// field keeps the undocumented members: each `"wire name" => field` pair reads and writes
/// that member as that [`Lenient`] field. See the [module documentation](mod@crate::record)
/// for an example.
///
/// The declaring form also writes the struct and an accessor per member: each member is
/// `"wire name" => field: T as R`, a `pub field: Lenient<T>` and a `pub fn field(&self) ->
/// Option<R>` returning [`Lenient::get`] (the plain value, `None` when absent, `null` or of
/// another shape), both documented by the member's doc comment; `extra` holds the others.
/// `R` is what `T`'s [`Plain`] impl hands out, which the macro knows for the types a
/// generated record stores, so `as R` is left out for them: `CompactString` and `String` are
/// read as `&str`, `LazyValue` and `Value` as `&Value`, `Number` as `f64`, `Vec<T>` as `&[T]`,
/// anything else (`i64`, `f64`, `bool`, an enum) as itself. A nested record needs its
/// `as &Record`, and a type named by a path (`serde_json::Value`) its `as R`. The macro goes
/// by the type's name: a type of your own named `Value`, `Number`, `String`, `CompactString`,
/// `LazyValue` or `Vec` needs its `as R` too; without it the build fails with an error saying
/// so (never an accessor of the wrong type).
///
/// ```
/// airbyte_agent_runtime::record! {
///     /// A tag.
///     pub struct Tag {
///         /// The tag's id.
///         "id" => id: String,
///         /// What the object is, `tag`.
///         "type" => type_: String,
///         /// Times applied.
///         "count" => count: i64,
///     }
/// }
///
/// let tag: Tag = serde_json::from_str(r#"{"id": "7", "type": null, "url": "/t/7"}"#).unwrap();
/// assert_eq!(tag.id(), Some("7"));
/// assert_eq!(tag.type_(), None);
/// assert_eq!(tag.extra["url"], "/t/7");
/// ```
///
/// After the struct, one clause may follow:
///
/// - `paths;` writes a module `paths` with a `pub const fn field() -> FieldPath` per member
///   (its wire name, for the request builders' `select_fields` and `exclude_fields`),
///   documented by the member's doc; `paths { "a.b" => a_b, .. };` adds paths into nested
///   objects, which the record's own members do not name.
/// - `fields for Marker;` declares `Marker`, the type parameter of the record's filters,
///   sorts and field paths, and a module `fields` with a typed filter handle
///   `pub const fn field() -> Field<Marker, Kind>` per member (its wire name), for a search
///   record whose every member ends in `=> Kind`, the [filter kind](crate::filter) (`Text`,
///   `Integer`, `Number`, `Boolean`, `Timestamp` or `Json`: which operators the field has).
///
/// ```
/// mod tags {
///     airbyte_agent_runtime::record! {
///         /// A tag as the search index returns it.
///         pub struct TagHit {
///             /// The tag's name.
///             "name" => name: String => Text,
///             /// Times applied.
///             "count" => count: i64 => Integer,
///         }
///         fields for SearchableTag;
///     }
///
///     airbyte_agent_runtime::record! {
///         /// A tag.
///         pub struct Tag {
///             /// The tag's name.
///             "name" => name: String,
///             /// Who applied it.
///             "owner" => owner: serde_json::Value as &serde_json::Value,
///         }
///         paths {
///             /// The owner's email.
///             "owner.email" => owner_email,
///         };
///     }
/// }
/// use airbyte_agent_runtime::filter::Query;
/// use tags::{fields, paths};
///
/// let query: Query<tags::SearchableTag> = (fields::name().like("bug%") & fields::count().gt(2)).into();
/// assert_eq!(
///     serde_json::to_value(&query).unwrap(),
///     serde_json::json!({"filter": {"and": [{"like": {"name": "bug%"}}, {"gt": {"count": 2}}]}})
/// );
/// assert_eq!(paths::name().as_str(), "name");
/// assert_eq!(paths::owner_email().as_str(), "owner.email");
/// ```
#[macro_export]
macro_rules! record {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $wire:literal => $field:ident: $($ty:ident)::+ $(<$targ:ty>)? $(as $ret:ty)?
                $(=> $kind:ident)?
            ),* $(,)?
        }
        $($clause:tt)*
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq)]
        #[non_exhaustive]
        $vis struct $name {
            $(
                $(#[$field_meta])*
                pub $field: $crate::Lenient<$($ty)::+ $(<$targ>)?>,
            )*
            /// Members the document does not list, as received (JSON text, parsed when first
            /// read).
            pub extra: $crate::Extra,
        }

        impl $name {
            $(
                $(#[$field_meta])*
                pub fn $field(
                    &self,
                ) -> ::std::option::Option<$crate::__accessor_type!([$($ret)?] $($ty)::+ $([$targ])?)> {
                    $crate::__private::same_accessor::<
                        _,
                        $crate::__accessor_type!([$($ret)?] $($ty)::+ $([$targ])?),
                    >(self.$field.get())
                }
            )*
        }

        $crate::record!($name { $($wire => $field),* });

        $crate::record!(
            @clause $vis $name [$( [$(#[$field_meta])*] $wire $field [$($kind)?] )*] $($clause)*
        );
    };
    (@clause $vis:vis $name:ident $members:tt) => {};
    (
        @clause $vis:vis $name:ident [$( [$(#[$field_meta:meta])*] $wire:literal $field:ident [$($kind:ident)?] )*]
        paths $({ $( $(#[$path_meta:meta])* $path:literal => $path_fn:ident ),* $(,)? })?;
    ) => {
        #[doc = ::std::concat!(
            "The dot paths of [`", ::std::stringify!($name), "`]'s documented members, for `select_fields` and `exclude_fields` ",
            "(`[paths::id(), paths::email()]`; plain strings work too)."
        )]
        pub mod paths {
            $(
                $(#[$field_meta])*
                pub const fn $field() -> $crate::FieldPath {
                    $crate::FieldPath::new($wire)
                }
            )*
            $($(
                $(#[$path_meta])*
                pub const fn $path_fn() -> $crate::FieldPath {
                    $crate::FieldPath::new($path)
                }
            )*)?
        }
    };
    (
        @clause $vis:vis $name:ident [$( [$(#[$field_meta:meta])*] $wire:literal $field:ident [$kind:ident] )*]
        fields for $marker:ident;
    ) => {
        #[doc = ::std::concat!(
            "The searchable fields of [`", ::std::stringify!($name), "`]: the type parameter of ",
            "their filters, sorts and field paths, which keeps one entity's fields out of ",
            "another's queries."
        )]
        #[derive(
            ::std::fmt::Debug, ::std::clone::Clone, ::std::marker::Copy, ::std::cmp::PartialEq,
            ::std::cmp::Eq, ::std::hash::Hash, ::std::default::Default,
        )]
        $vis struct $marker;

        #[doc = ::std::concat!(
            "Typed handles of the searchable fields, one per member of [`", ::std::stringify!($name),
            "`]: `fields::name().eq(\"x\")`."
        )]
        pub mod fields {
            $(
                $(#[$field_meta])*
                pub const fn $field() -> $crate::filter::Field<super::$marker, $crate::filter::$kind> {
                    $crate::filter::Field::new($wire)
                }
            )*
        }
    };
    ($name:ident { $($wire:literal => $field:ident),* $(,)? }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::record::deserialize(deserializer)
            }

            fn deserialize_in_place<D>(
                deserializer: D,
                place: &mut Self,
            ) -> ::std::result::Result<(), D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::record::deserialize_in_place(deserializer, place)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                use $crate::__private::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(
                    if !self.$field.is_absent() {
                        map.serialize_entry($wire, &self.$field)?;
                    }
                )*
                for (key, value) in self.extra.map() {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }

        impl ::std::fmt::Debug for $name {
            /// The members received, by wire name (absent ones left out), then the
            /// undocumented ones.
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                let mut s = f.debug_struct(::std::stringify!($name));
                $(
                    if !self.$field.is_absent() {
                        s.field($wire, &$crate::record::Shown(&self.$field));
                    }
                )*
                for (key, value) in self.extra.iter() {
                    s.field(key, value);
                }
                s.finish()
            }
        }

        impl $crate::record::Record for $name {
            const NAME: &'static str = ::std::stringify!($name);

            fn extra(&mut self) -> &mut $crate::raw::Extra {
                &mut self.extra
            }

            fn read_member<'de, A>(
                &mut self,
                key: &str,
                member: $crate::record::Member<'_, 'de, A>,
            ) -> ::std::result::Result<(), A::Error>
            where
                A: $crate::__private::serde::de::MapAccess<'de>,
            {
                match key {
                    $( $wire => member.field(&mut self.$field), )*
                    _ => member.extra(),
                }
            }

            fn share_texts(&mut self, texts: &::std::sync::Arc<str>) {
                $( self.$field.share_texts(texts); )*
            }
        }
    };
}

/// The type a [`record!`](crate::record!) accessor returns: the member's `as R`, or else the
/// [`Plain::Ref`] of its stored type (`Vec [T]` for `Vec<T>`), spelled out so that the docs
/// show `Option<&str>` rather than a projection. The spelling goes by the stored type's
/// name; [`SameAccessor`] makes a type of the caller's own with a runtime type's name (an
/// enum `Number`, a record `Value`) a compile error saying to write `as R`.
#[doc(hidden)]
#[macro_export]
macro_rules! __accessor_type {
    ([$ret:ty] $($stored:tt)*) => { $ret };
    ([] CompactString) => { &str };
    ([] String) => { &str };
    ([] LazyValue) => { &$crate::__private::serde_json::Value };
    ([] Value) => { &$crate::__private::serde_json::Value };
    ([] Number) => { f64 };
    ([] Vec [$elem:ty]) => { &[$elem] };
    ([] $($stored:tt)*) => { $($stored)* };
}

/// `Self` is the accessor type `A` that [`__accessor_type!`] spelled out: the check that the
/// spelling by name is the stored type's [`Plain::Ref`](crate::lenient::Plain::Ref).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`record!`: this member's accessor would return `{A}`, but its stored type hands out `{Self}`",
    label = "the accessor type spelled from the stored type's name is not the type it hands out",
    note = "`record!` spells the accessor type by the stored type's name: `&str` for `String` and `CompactString`, `&serde_json::Value` for `Value` and `LazyValue`, `f64` for `Number`, `&[T]` for `Vec<T>`",
    note = "for a type of your own with one of those names, give the accessor type after `as` (`\"n\" => n: Number as Number`, `\"v\" => v: Value as &Value`), or rename the type"
)]
pub trait SameAccessor<A> {
    /// The value itself.
    fn same(self) -> A;
}

impl<T> SameAccessor<T> for T {
    fn same(self) -> T {
        self
    }
}

/// `value` as the accessor type `A`, which must be `P` (see [`SameAccessor`]).
#[doc(hidden)]
pub fn same_accessor<P: SameAccessor<A>, A>(value: Option<P>) -> Option<A> {
    value.map(P::same)
}

#[cfg(test)]
mod tests;
