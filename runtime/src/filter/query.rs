//! The entity-typed parts of a search request: [`Filter`] (a [`Condition`] on one entity, with
//! `and`/`or`/`not`), [`Sort`] and [`SortOrder`], [`Query`] (filter + sort) and [`FieldPath`]
//! (a projection), each with the JSON form the documents show.

use std::fmt;
use std::marker::PhantomData;

use serde::de::Error as _;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::Condition;

/// A search filter on entity `E` (a marker type, one per searchable entity).
///
/// Combine with `&`, `|`, `!` or [`Filter::and`], [`Filter::or`], [`Filter::not`].
pub struct Filter<E> {
    condition: Condition,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Filter<E> {
    /// Wraps an untyped condition.
    pub fn from_condition(condition: Condition) -> Self {
        Filter {
            condition,
            _entity: PhantomData,
        }
    }

    /// Escape hatch: any JSON, sent unchanged (parsed into a [`Condition`] when it has a known
    /// shape, so local evaluation still works).
    pub fn raw(value: Value) -> Self {
        Self::from_condition(Condition::from_value(&value))
    }

    /// The untyped condition.
    pub fn condition(&self) -> &Condition {
        &self.condition
    }

    /// Consumes the filter, returning the untyped condition.
    pub fn into_condition(self) -> Condition {
        self.condition
    }

    /// Both filters; nested `and`s are flattened.
    pub fn and(self, other: Filter<E>) -> Self {
        let mut items = Vec::new();
        for c in [self.condition, other.condition] {
            match c {
                Condition::And(cs) => items.extend(cs),
                c => items.push(c),
            }
        }
        Self::from_condition(Condition::And(items))
    }

    /// Either filter; nested `or`s are flattened.
    pub fn or(self, other: Filter<E>) -> Self {
        let mut items = Vec::new();
        for c in [self.condition, other.condition] {
            match c {
                Condition::Or(cs) => items.extend(cs),
                c => items.push(c),
            }
        }
        Self::from_condition(Condition::Or(items))
    }

    /// The negation of this filter.
    #[allow(clippy::should_implement_trait)] // `!` is implemented too; this is the named form.
    pub fn not(self) -> Self {
        Self::from_condition(Condition::Not(Box::new(self.condition)))
    }
}

impl<E> Clone for Filter<E> {
    fn clone(&self) -> Self {
        Self::from_condition(self.condition.clone())
    }
}

impl<E> fmt::Debug for Filter<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Filter").field(&self.condition).finish()
    }
}

impl<E> PartialEq for Filter<E> {
    fn eq(&self, other: &Self) -> bool {
        self.condition == other.condition
    }
}

impl<E> Serialize for Filter<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.condition.serialize(serializer)
    }
}

impl<'de, E> Deserialize<'de> for Filter<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Condition::deserialize(deserializer).map(Self::from_condition)
    }
}

impl<E> From<Filter<E>> for Condition {
    fn from(f: Filter<E>) -> Self {
        f.condition
    }
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    /// Ascending (`"asc"`).
    Asc,
    /// Descending (`"desc"`).
    Desc,
}

impl SortOrder {
    /// `"asc"` or `"desc"`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SortOrder::Asc => "asc",
            SortOrder::Desc => "desc",
        }
    }
}

/// One sort key on entity `E`, serialised as `{"created_at": "desc"}`.
pub struct Sort<E> {
    field: String,
    order: SortOrder,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Sort<E> {
    /// A sort key on any field name (the typed way is [`Field::asc`](crate::filter::Field::asc) / [`Field::desc`](crate::filter::Field::desc)).
    pub fn new(field: impl Into<String>, order: SortOrder) -> Self {
        Sort {
            field: field.into(),
            order,
            _entity: PhantomData,
        }
    }
    /// The field name.
    pub fn field(&self) -> &str {
        &self.field
    }
    /// The direction.
    pub fn order(&self) -> SortOrder {
        self.order
    }
}

impl<E> Clone for Sort<E> {
    fn clone(&self) -> Self {
        Sort::new(self.field.clone(), self.order)
    }
}

impl<E> fmt::Debug for Sort<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sort")
            .field("field", &self.field)
            .field("order", &self.order)
            .finish()
    }
}

impl<E> PartialEq for Sort<E> {
    fn eq(&self, other: &Self) -> bool {
        self.field == other.field && self.order == other.order
    }
}

impl<E> Serialize for Sort<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(1))?;
        m.serialize_entry(&self.field, self.order.as_str())?;
        m.end()
    }
}

impl<'de, E> Deserialize<'de> for Sort<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let m = Map::<String, Value>::deserialize(deserializer)?;
        let mut it = m.into_iter();
        match (it.next(), it.next()) {
            (Some((field, order)), None) => {
                let order = SortOrder::deserialize(order).map_err(D::Error::custom)?;
                Ok(Sort::new(field, order))
            }
            _ => Err(D::Error::custom(
                "a sort key must be an object with one member",
            )),
        }
    }
}

/// A search query on entity `E`: `{"filter": {...}, "sort": [...]}`, empty parts omitted.
pub struct Query<E> {
    filter: Option<Filter<E>>,
    sort: Vec<Sort<E>>,
}

impl<E> Query<E> {
    /// An empty query (matches everything, server order).
    pub fn new() -> Self {
        Query {
            filter: None,
            sort: Vec::new(),
        }
    }

    /// Adds a filter; a second call combines with the first by `and`.
    pub fn filter(mut self, filter: Filter<E>) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(existing) => existing.and(filter),
            None => filter,
        });
        self
    }

    /// Appends a sort key (repeatable; earlier keys take precedence).
    pub fn sort(mut self, sort: Sort<E>) -> Self {
        self.sort.push(sort);
        self
    }

    /// The filter, if any.
    pub fn filter_ref(&self) -> Option<&Filter<E>> {
        self.filter.as_ref()
    }

    /// The sort keys.
    pub fn sorts(&self) -> &[Sort<E>] {
        &self.sort
    }

    /// Whether the query has neither filter nor sort.
    pub fn is_empty(&self) -> bool {
        self.filter.is_none() && self.sort.is_empty()
    }
}

impl<E> Default for Query<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for Query<E> {
    fn clone(&self) -> Self {
        Query {
            filter: self.filter.clone(),
            sort: self.sort.clone(),
        }
    }
}

impl<E> fmt::Debug for Query<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("filter", &self.filter)
            .field("sort", &self.sort)
            .finish()
    }
}

impl<E> PartialEq for Query<E> {
    fn eq(&self, other: &Self) -> bool {
        self.filter == other.filter && self.sort == other.sort
    }
}

impl<E> Serialize for Query<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::from(self.filter.is_some()) + usize::from(!self.sort.is_empty());
        let mut m = serializer.serialize_map(Some(len))?;
        if let Some(f) = &self.filter {
            m.serialize_entry("filter", f)?;
        }
        if !self.sort.is_empty() {
            m.serialize_entry("sort", &self.sort)?;
        }
        m.end()
    }
}

impl<'de, E> Deserialize<'de> for Query<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            #[serde(default)]
            filter: Option<Condition>,
            #[serde(default)]
            sort: Vec<Map<String, Value>>,
        }
        let raw = Raw::deserialize(deserializer)?;
        let mut q = Query::new();
        if let Some(c) = raw.filter {
            q.filter = Some(Filter::from_condition(c));
        }
        for m in raw.sort {
            let s: Sort<E> = Sort::deserialize(Value::Object(m)).map_err(D::Error::custom)?;
            q.sort.push(s);
        }
        Ok(q)
    }
}

/// A projection path on entity `E`: a list of segments, serialised as `["email"]`. A literal
/// dotted key (`event.type`) stays one segment.
pub struct FieldPath<E> {
    segments: Vec<String>,
    _entity: PhantomData<fn() -> E>,
}

impl<E> FieldPath<E> {
    /// A path from its segments (for nested members: `["location", "city"]`).
    pub fn from_segments<I, S>(segments: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        FieldPath {
            segments: segments.into_iter().map(Into::into).collect(),
            _entity: PhantomData,
        }
    }

    /// The segments.
    pub fn segments(&self) -> &[String] {
        &self.segments
    }
}

impl<E> Clone for FieldPath<E> {
    fn clone(&self) -> Self {
        FieldPath::from_segments(self.segments.iter().cloned())
    }
}

impl<E> fmt::Debug for FieldPath<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FieldPath").field(&self.segments).finish()
    }
}

impl<E> PartialEq for FieldPath<E> {
    fn eq(&self, other: &Self) -> bool {
        self.segments == other.segments
    }
}

impl<E> Serialize for FieldPath<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_seq(Some(self.segments.len()))?;
        for seg in &self.segments {
            s.serialize_element(seg)?;
        }
        s.end()
    }
}

/// Reads the wire form (an array of segments) or one field name as a string (`"email"`, one
/// segment, as tool arguments give it).
impl<'de, E> Deserialize<'de> for FieldPath<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged, expecting = "a field name or an array of path segments")]
        enum Raw {
            Name(String),
            Segments(Vec<String>),
        }
        Ok(match Raw::deserialize(deserializer)? {
            Raw::Name(name) => FieldPath::from_segments([name]),
            Raw::Segments(segments) => FieldPath::from_segments(segments),
        })
    }
}
