//! API diffs: two models -> every change of the generated crate's public API, each classified
//! by Rust semver rules for the code this generator emits.
//!
//! The comparison reads the IR of both sides ([`crate::lower`]: every Rust name and type of
//! the crate) and, for what the IR does not carry, the models: descriptions as written,
//! `nullable`, defaults. What the emitted code makes of each change:
//!
//! - Records and params structs are `#[non_exhaustive]`, so a new record field or optional
//!   parameter (a new builder setter) is minor; removing, renaming (in Rust, whatever the wire
//!   name) or retyping a field is major. Required parameters are arguments of `new` and of the
//!   handle method: adding one, dropping one, reordering them or changing whether a parameter
//!   is required is major.
//! - Enums are `#[non_exhaustive]` with an `Unknown` variant: a new value is minor, a removed or
//!   renamed one major.
//! - Types, modules, methods and `fields::` functions: added is minor, removed or renamed major.
//!   An action's output type, pagination dropped, the `Action::ENTITY`/`ACTION` and endpoint
//!   constants (what every request is sent as) changed: major. Pagination gained (`stream()`)
//!   is minor.
//! - A member's wire name alone, a description, a label, `nullable` (records are lenient and
//!   params never send `null`), a default: patch.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{self, Crate, EnumValues, Output, Struct, Ty, TypeDef};
use crate::lower::{self, LowerError};
use crate::model::{self, Connector, Response};

/// How far the crate's version has to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    ConnectorRenamed,
    TitleChanged,
    EndpointChanged,
    EntityAdded,
    EntityRemoved,
    EntityWireChanged,
    EntityLabelChanged,
    ModuleRenamed,
    MethodRenamed,
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    ActionAdded,
    ActionRemoved,
    ActionWireChanged,
    ActionKindChanged,
    ActionLabelChanged,
    OutputChanged,
    PaginationAdded,
    PaginationRemoved,
    PaginationChanged,
    ParamAdded,
    ParamRemoved,
    ParamRenamed,
    ParamTypeChanged,
    ParamRequiredChanged,
    ParamOrderChanged,
    ParamWireChanged,
    FieldAdded,
    FieldRemoved,
    FieldRenamed,
    FieldTypeChanged,
    FieldWireChanged,
    EnumReprChanged,
    VariantAdded,
    VariantRemoved,
    VariantRenamed,
    VariantWireChanged,
    EnumOpened,
    EnumClosed,
    /// The numbers a parameter (or field) allows (`0.5 | 1 | 1.5`): more of them, or no
    /// longer limited.
    ValuesWidened,
    /// Fewer allowed numbers, or a number newly limited to listed values.
    ValuesNarrowed,
    /// An optional parameter now takes `null` (its tool schema accepts it).
    NullAccepted,
    /// An optional parameter no longer takes `null`.
    NullRefused,
    SearchAdded,
    SearchRemoved,
    SearchableFieldAdded,
    SearchableFieldRemoved,
    SearchableFieldRenamed,
    SearchableFieldKindChanged,
    SearchableFieldWireChanged,
    ReplicationAdded,
    ReplicationRemoved,
    DescriptionChanged,
    NullableChanged,
    DefaultChanged,
    RowAdded,
    RowRemoved,
}

impl Kind {
    /// The change in words, for the text report.
    pub fn phrase(self) -> &'static str {
        use Kind::*;
        match self {
            ConnectorRenamed => "connector type renamed",
            TitleChanged => "title changed",
            EndpointChanged => "endpoint changed",
            EntityAdded => "entity added",
            EntityRemoved => "entity removed",
            EntityWireChanged => "entity id changed",
            EntityLabelChanged => "entity name changed",
            ModuleRenamed => "module renamed",
            MethodRenamed => "method renamed",
            TypeAdded => "type added",
            TypeRemoved => "type removed",
            TypeRenamed => "type renamed",
            TypeKindChanged => "type kind changed",
            ActionAdded => "action added",
            ActionRemoved => "action removed",
            ActionWireChanged => "action name changed",
            ActionKindChanged => "action kind changed",
            ActionLabelChanged => "action label changed",
            OutputChanged => "output type changed",
            PaginationAdded => "pagination added",
            PaginationRemoved => "pagination removed",
            PaginationChanged => "pagination changed",
            ParamAdded => "parameter added",
            ParamRemoved => "parameter removed",
            ParamRenamed => "parameter renamed",
            ParamTypeChanged => "parameter type changed",
            ParamRequiredChanged => "parameter required changed",
            ParamOrderChanged => "required parameters reordered",
            ParamWireChanged => "parameter wire name changed",
            FieldAdded => "field added",
            FieldRemoved => "field removed",
            FieldRenamed => "field renamed",
            FieldTypeChanged => "field type changed",
            FieldWireChanged => "field wire name changed",
            EnumReprChanged => "enum representation changed",
            VariantAdded => "enum value added",
            VariantRemoved => "enum value removed",
            VariantRenamed => "enum variant renamed",
            VariantWireChanged => "enum value wire text changed",
            EnumOpened => "enum opened to other values",
            EnumClosed => "enum closed to its values",
            ValuesWidened => "allowed numbers widened",
            ValuesNarrowed => "allowed numbers narrowed",
            NullAccepted => "parameter takes null",
            NullRefused => "parameter no longer takes null",
            SearchAdded => "search fields added",
            SearchRemoved => "search fields removed",
            SearchableFieldAdded => "searchable field added",
            SearchableFieldRemoved => "searchable field removed",
            SearchableFieldRenamed => "searchable field renamed",
            SearchableFieldKindChanged => "searchable field kind changed",
            SearchableFieldWireChanged => "searchable field wire name changed",
            ReplicationAdded => "replication module added",
            ReplicationRemoved => "replication module removed",
            DescriptionChanged => "description changed",
            NullableChanged => "nullable changed",
            DefaultChanged => "default changed",
            RowAdded => "row added (the record already had the field from another table)",
            RowRemoved => "row removed (the record keeps the field from another table)",
        }
    }

    /// Whether `before`/`after` are prose (descriptions, labels) rather than code.
    fn prose(self) -> bool {
        matches!(
            self,
            Kind::TitleChanged
                | Kind::EntityLabelChanged
                | Kind::ActionLabelChanged
                | Kind::DescriptionChanged
                | Kind::DefaultChanged
        )
    }
}

/// One change of the public API or of the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: Kind,
    /// Rust path of the item (`contacts::Contact.email`, `contacts::ContactsApi::list()`), or,
    /// for changes the Rust API does not show, the document path (`contacts.list params.per_page`).
    pub path: String,
    /// The item before and after, as code (types, names) or prose (descriptions); `null` for
    /// an added or removed item's missing side.
    pub before: Option<String>,
    pub after: Option<String>,
    /// Whether code using the old crate may stop compiling or behave differently (`major`).
    pub breaking: bool,
    pub bump: Bump,
}

/// Every change between two models, in document order (old side first for removals).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub bump: Bump,
    pub changes: Vec<Change>,
}

/// Why a side could not be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    #[error("old side: {0}")]
    Old(LowerError),
    #[error("new side: {0}")]
    New(LowerError),
}

/// Lowers both models and compares them.
pub fn diff(old: &Connector, new: &Connector) -> Result<Report, DiffError> {
    let old_ir = lower::lower(old).map_err(DiffError::Old)?;
    let new_ir = lower::lower(new).map_err(DiffError::New)?;
    Ok(compare(old, &old_ir, new, &new_ir))
}

/// Compares two crates (and the models they were lowered from).
pub fn compare(old: &Connector, old_ir: &Crate, new: &Connector, new_ir: &Crate) -> Report {
    let mut d = Differ::new(old_ir, new_ir);
    d.pair_all();
    d.krate();
    d.documents(old, new);
    let bump = d.changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    Report {
        bump,
        changes: d.changes,
    }
}

/// Where a type lives and what it is.
struct TypeRef<'a> {
    module: &'a str,
    def: &'a TypeDef,
}

fn typedef_name(def: &TypeDef) -> &str {
    match def {
        TypeDef::Record(s) | TypeDef::Params(s) => &s.name,
        TypeDef::Enum(e) => &e.name,
    }
}

fn typedef_kind(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Record(_) => "record",
        TypeDef::Params(_) => "params",
        TypeDef::Enum(_) => "enum",
    }
}

fn types_of(krate: &Crate) -> (HashMap<&str, TypeRef<'_>>, Vec<&str>) {
    let mut map = HashMap::new();
    let mut order = Vec::new();
    for e in &krate.entities {
        for def in &e.types {
            order.push(typedef_name(def));
            map.insert(
                typedef_name(def),
                TypeRef {
                    module: &e.module,
                    def,
                },
            );
        }
    }
    for def in krate.replication.iter().flatten() {
        order.push(typedef_name(def));
        map.insert(
            typedef_name(def),
            TypeRef {
                module: "replication",
                def,
            },
        );
    }
    (map, order)
}

/// A matched entity (old index, new index) and its matched actions.
type EntityPair = (usize, usize, Vec<(usize, usize)>);

/// Pairs old and new items (names may differ), then reports what differs.
struct Differ<'a> {
    old: &'a Crate,
    new: &'a Crate,
    old_types: HashMap<&'a str, TypeRef<'a>>,
    new_types: HashMap<&'a str, TypeRef<'a>>,
    old_order: Vec<&'a str>,
    new_order: Vec<&'a str>,
    /// Old type name -> new type name, and back.
    fwd: HashMap<String, String>,
    back: HashMap<String, String>,
    /// Matched entities (old index, new index), and their matched actions.
    entities: Vec<EntityPair>,
    /// Entities only on one side: their types are not reported one by one.
    old_only_modules: Vec<&'a str>,
    new_only_modules: Vec<&'a str>,
    changes: Vec<Change>,
}

/// Matches items by a primary key, then the rest by a secondary one: (old, new) index pairs
/// plus the unmatched indices of each side.
type Matched = (Vec<(usize, usize)>, Vec<usize>, Vec<usize>);

/// Each old item, in order, takes the first new one left with its key; linear in the items.
fn match_by<T>(old: &[T], new: &[T], keys: &[&dyn Fn(&T) -> String]) -> Matched {
    let mut pairs = Vec::new();
    let mut old_left: Vec<usize> = (0..old.len()).collect();
    let mut new_left: Vec<usize> = (0..new.len()).collect();
    for key in keys {
        let mut by_key: HashMap<String, VecDeque<usize>> = HashMap::new();
        for &n in &new_left {
            by_key.entry(key(&new[n])).or_default().push_back(n);
        }
        let mut taken = HashSet::new();
        old_left.retain(
            |&o| match by_key.get_mut(&key(&old[o])).and_then(VecDeque::pop_front) {
                Some(n) => {
                    pairs.push((o, n));
                    taken.insert(n);
                    false
                }
                None => true,
            },
        );
        new_left.retain(|n| !taken.contains(n));
    }
    pairs.sort();
    (pairs, old_left, new_left)
}

fn match_fields(old: &[ir::Field], new: &[ir::Field]) -> Matched {
    match_by(
        old,
        new,
        &[&|f: &ir::Field| f.rust.clone(), &|f| f.wire.clone()],
    )
}

impl<'a> Differ<'a> {
    fn new(old: &'a Crate, new: &'a Crate) -> Self {
        let (old_types, old_order) = types_of(old);
        let (new_types, new_order) = types_of(new);
        Differ {
            old,
            new,
            old_types,
            new_types,
            old_order,
            new_order,
            fwd: HashMap::new(),
            back: HashMap::new(),
            entities: Vec::new(),
            old_only_modules: Vec::new(),
            new_only_modules: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn push(
        &mut self,
        kind: Kind,
        bump: Bump,
        path: impl Into<String>,
        before: Option<String>,
        after: Option<String>,
    ) {
        self.changes.push(Change {
            kind,
            path: path.into(),
            before,
            after,
            breaking: bump == Bump::Major,
            bump,
        });
    }

    fn change(
        &mut self,
        kind: Kind,
        bump: Bump,
        path: impl Into<String>,
        before: &str,
        after: &str,
    ) {
        self.push(
            kind,
            bump,
            path,
            Some(before.to_string()),
            Some(after.to_string()),
        );
    }

    // ---- pairing -------------------------------------------------------------------------

    /// Pairs entities, actions and every type reachable from them, then the remaining types
    /// by name.
    fn pair_all(&mut self) {
        let (old, new) = (self.old, self.new);
        let (pairs, old_left, new_left) = match_by(
            &old.entities,
            &new.entities,
            &[&|e: &ir::Entity| e.wire.clone(), &|e| e.module.clone()],
        );
        self.old_only_modules = old_left
            .iter()
            .map(|&i| old.entities[i].module.as_str())
            .collect();
        self.new_only_modules = new_left
            .iter()
            .map(|&i| new.entities[i].module.as_str())
            .collect();
        for (oi, ni) in pairs {
            let (oe, ne) = (&old.entities[oi], &new.entities[ni]);
            self.pair(&oe.handle, &ne.handle);
            if let (Some(a), Some(b)) = (&oe.record, &ne.record) {
                self.pair(a, b);
            }
            if let (Some(a), Some(b)) = (&oe.search, &ne.search) {
                self.pair(&a.marker, &b.marker);
                self.pair(&a.record, &b.record);
            }
            let actions = self.pair_actions(oe, ne);
            for &(a, b) in &actions {
                let (oa, na) = (&oe.actions[a], &ne.actions[b]);
                self.pair(&oa.builder, &na.builder);
                self.pair_struct(&oa.params, &na.params);
                self.pair_output(&oa.output, &na.output);
            }
            self.entities.push((oi, ni, actions));
        }
        if let (Some(a), Some(b)) = (&old.replication, &new.replication) {
            if let (Some(a), Some(b)) = (a.last(), b.last()) {
                self.pair(typedef_name(a), typedef_name(b));
            }
        }
        // What no structure reached: the same name on both sides.
        let names: Vec<&str> = self.old_order.clone();
        for name in names {
            if self.new_types.contains_key(name) {
                self.pair(name, name);
            }
        }
    }

    fn pair_actions(&self, oe: &ir::Entity, ne: &ir::Entity) -> Vec<(usize, usize)> {
        let (mut pairs, old_left, new_left) = match_by(
            &oe.actions,
            &ne.actions,
            &[&|a: &ir::Action| a.wire.clone(), &|a| a.builder.clone()],
        );
        // One action of a kind left on each side: the same action renamed.
        for &o in &old_left {
            let kind = oe.actions[o].kind;
            let olds = old_left
                .iter()
                .filter(|&&i| oe.actions[i].kind == kind)
                .count();
            let news: Vec<usize> = new_left
                .iter()
                .copied()
                .filter(|&i| ne.actions[i].kind == kind)
                .collect();
            if olds == 1 && news.len() == 1 {
                pairs.push((o, news[0]));
            }
        }
        pairs.sort();
        pairs
    }

    /// Records `old` <-> `new` unless either is paired already; recurses into structs.
    fn pair(&mut self, old: &str, new: &str) {
        if self.fwd.contains_key(old) || self.back.contains_key(new) {
            return;
        }
        self.fwd.insert(old.to_string(), new.to_string());
        self.back.insert(new.to_string(), old.to_string());
        let (Some(o), Some(n)) = (self.old_types.get(old), self.new_types.get(new)) else {
            return;
        };
        if let (TypeDef::Record(a) | TypeDef::Params(a), TypeDef::Record(b) | TypeDef::Params(b)) =
            (o.def, n.def)
        {
            self.pair_struct(a, b)
        }
    }

    fn pair_struct(&mut self, a: &Struct, b: &Struct) {
        self.pair(&a.name, &b.name);
        let (pairs, _, _) = match_fields(&a.fields, &b.fields);
        for (i, j) in pairs {
            self.pair_ty(&a.fields[i].ty, &b.fields[j].ty);
        }
    }

    fn pair_ty(&mut self, a: &Ty, b: &Ty) {
        match (a, b) {
            (Ty::Struct(x), Ty::Struct(y))
            | (Ty::Enum(x), Ty::Enum(y))
            | (Ty::Query(x), Ty::Query(y))
            | (Ty::FieldPath(x), Ty::FieldPath(y)) => self.pair(x, y),
            (Ty::List(x), Ty::List(y)) | (Ty::Nullable(x), Ty::Nullable(y)) => self.pair_ty(x, y),
            _ => {}
        }
    }

    fn pair_output(&mut self, a: &Output, b: &Output) {
        match (a, b) {
            (
                Output::ListPage {
                    record: r1,
                    meta: m1,
                },
                Output::ListPage {
                    record: r2,
                    meta: m2,
                },
            ) => {
                self.pair_ty(r1, r2);
                self.pair_ty(m1, m2);
            }
            (Output::Record(x), Output::Record(y)) => self.pair_ty(x, y),
            (
                Output::SearchHits { record: x } | Output::SearchPage { record: x },
                Output::SearchHits { record: y } | Output::SearchPage { record: y },
            ) => self.pair(x, y),
            _ => {}
        }
    }

    /// Whether `a` (old) and `b` (new) are the same type, paired names counting as equal.
    fn same_ty(&self, a: &Ty, b: &Ty) -> bool {
        match (a, b) {
            (Ty::Struct(x), Ty::Struct(y))
            | (Ty::Enum(x), Ty::Enum(y))
            | (Ty::Query(x), Ty::Query(y))
            | (Ty::FieldPath(x), Ty::FieldPath(y)) => self.same_name(x, y),
            (Ty::List(x), Ty::List(y)) | (Ty::Nullable(x), Ty::Nullable(y)) => self.same_ty(x, y),
            // The same Rust type whatever numbers are allowed (`allowed_numbers` compares them).
            (Ty::NumberIn { .. } | Ty::Float | Ty::Number, _) => ty_text(a) == ty_text(b),
            _ => a == b,
        }
    }

    fn same_name(&self, old: &str, new: &str) -> bool {
        match self.fwd.get(old) {
            Some(n) => n == new,
            None => old == new,
        }
    }

    fn same_output(&self, a: &Output, b: &Output) -> bool {
        match (a, b) {
            (
                Output::ListPage {
                    record: r1,
                    meta: m1,
                },
                Output::ListPage {
                    record: r2,
                    meta: m2,
                },
            ) => self.same_ty(r1, r2) && self.same_ty(m1, m2),
            (Output::SearchHits { record: x }, Output::SearchHits { record: y })
            | (Output::SearchPage { record: x }, Output::SearchPage { record: y }) => {
                self.same_name(x, y)
            }
            (Output::Record(x), Output::Record(y)) => self.same_ty(x, y),
            (Output::Bytes, Output::Bytes) => true,
            _ => false,
        }
    }

    // ---- comparing -----------------------------------------------------------------------

    fn krate(&mut self) {
        let (old, new) = (self.old, self.new);
        let client = new.connector.clone();
        if old.connector != new.connector {
            self.change(
                Kind::ConnectorRenamed,
                Bump::Major,
                "crate",
                &old.connector,
                &new.connector,
            );
        }
        if old.title != new.title {
            self.change(
                Kind::TitleChanged,
                Bump::Patch,
                "crate",
                &old.title,
                &new.title,
            );
        }
        for (name, a, b) in [
            ("BASE_URL", &old.endpoint.base_url, &new.endpoint.base_url),
            ("PATH_TEMPLATE", &old.endpoint.path, &new.endpoint.path),
            (
                "PATH_PARAM",
                &old.endpoint.path_param,
                &new.endpoint.path_param,
            ),
        ] {
            if a != b {
                self.change(
                    Kind::EndpointChanged,
                    Bump::Major,
                    format!("{client}::{name}"),
                    a,
                    b,
                );
            }
        }
        // Entities in the new document's order; removed ones where they were.
        let (_, old_left, new_left) = match_by(
            &old.entities,
            &new.entities,
            &[&|e: &ir::Entity| e.wire.clone(), &|e| e.module.clone()],
        );
        for i in old_left {
            let e = &old.entities[i];
            self.push(
                Kind::EntityRemoved,
                Bump::Major,
                e.module.clone(),
                Some(format!("{}::{}()", old.connector, e.accessor)),
                None,
            );
        }
        let entities = std::mem::take(&mut self.entities);
        for (oi, ni, actions) in &entities {
            self.entity(&old.entities[*oi], &new.entities[*ni], actions);
        }
        self.entities = entities;
        for j in new_left {
            let e = &new.entities[j];
            self.push(
                Kind::EntityAdded,
                Bump::Minor,
                e.module.clone(),
                None,
                Some(format!("{}::{}()", new.connector, e.accessor)),
            );
        }
        match (&old.replication, &new.replication) {
            (Some(_), None) => self.push(
                Kind::ReplicationRemoved,
                Bump::Major,
                "replication",
                None,
                None,
            ),
            (None, Some(_)) => self.push(
                Kind::ReplicationAdded,
                Bump::Minor,
                "replication",
                None,
                None,
            ),
            _ => {}
        }
        self.types();
    }

    fn entity(&mut self, oe: &ir::Entity, ne: &ir::Entity, actions: &[(usize, usize)]) {
        let m = ne.module.clone();
        if oe.module != ne.module {
            self.change(Kind::ModuleRenamed, Bump::Major, &m, &oe.module, &ne.module);
        }
        if oe.accessor != ne.accessor {
            self.change(
                Kind::MethodRenamed,
                Bump::Major,
                format!("{}::{}()", self.new.connector, ne.accessor),
                &format!("{}()", oe.accessor),
                &format!("{}()", ne.accessor),
            );
        }
        if oe.wire != ne.wire {
            self.change(Kind::EntityWireChanged, Bump::Major, &m, &oe.wire, &ne.wire);
        }
        if oe.name != ne.name {
            self.change(
                Kind::EntityLabelChanged,
                Bump::Patch,
                &m,
                &oe.name,
                &ne.name,
            );
        }
        self.renamed_type(&m, &oe.handle, &ne.handle);
        match (&oe.search, &ne.search) {
            (Some(a), Some(b)) => {
                self.renamed_type(&m, &a.marker, &b.marker);
                self.search_fields(&m, a, b);
            }
            (Some(_), None) => self.push(
                Kind::SearchRemoved,
                Bump::Major,
                format!("{m}::fields"),
                None,
                None,
            ),
            (None, Some(_)) => self.push(
                Kind::SearchAdded,
                Bump::Minor,
                format!("{m}::fields"),
                None,
                None,
            ),
            (None, None) => {}
        }
        let matched_old: Vec<usize> = actions.iter().map(|p| p.0).collect();
        let matched_new: Vec<usize> = actions.iter().map(|p| p.1).collect();
        for (i, a) in oe.actions.iter().enumerate() {
            if !matched_old.contains(&i) {
                self.push(
                    Kind::ActionRemoved,
                    Bump::Major,
                    format!("{m}::{}::{}()", oe.handle, a.method),
                    Some(format!("{} ({})", a.builder, a.wire)),
                    None,
                );
            }
        }
        for &(a, b) in actions {
            self.action(&m, ne, &oe.actions[a], &ne.actions[b]);
        }
        for (j, a) in ne.actions.iter().enumerate() {
            if !matched_new.contains(&j) {
                let bump = Bump::Minor;
                self.push(
                    Kind::ActionAdded,
                    bump,
                    format!("{m}::{}::{}()", ne.handle, a.method),
                    None,
                    Some(format!("{} ({})", a.builder, a.wire)),
                );
            }
        }
    }

    fn renamed_type(&mut self, module: &str, old: &str, new: &str) {
        if old != new {
            self.change(
                Kind::TypeRenamed,
                Bump::Major,
                format!("{module}::{new}"),
                old,
                new,
            );
        }
    }

    fn search_fields(&mut self, m: &str, a: &ir::SearchIndex, b: &ir::SearchIndex) {
        let (pairs, old_left, new_left) = match_by(
            &a.fields,
            &b.fields,
            &[&|f: &ir::FilterField| f.function.clone(), &|f| {
                f.wire.clone()
            }],
        );
        for i in old_left {
            let f = &a.fields[i];
            self.push(
                Kind::SearchableFieldRemoved,
                Bump::Major,
                format!("{m}::fields::{}()", f.function),
                Some(f.kind.type_name().to_string()),
                None,
            );
        }
        for (i, j) in pairs {
            let (x, y) = (&a.fields[i], &b.fields[j]);
            let path = format!("{m}::fields::{}()", y.function);
            if x.function != y.function {
                self.change(
                    Kind::SearchableFieldRenamed,
                    Bump::Major,
                    &path,
                    &format!("{}()", x.function),
                    &format!("{}()", y.function),
                );
            }
            if x.kind != y.kind {
                self.change(
                    Kind::SearchableFieldKindChanged,
                    Bump::Major,
                    &path,
                    x.kind.type_name(),
                    y.kind.type_name(),
                );
            }
            if x.wire != y.wire {
                self.change(
                    Kind::SearchableFieldWireChanged,
                    Bump::Patch,
                    &path,
                    &x.wire,
                    &y.wire,
                );
            }
        }
        for j in new_left {
            let f = &b.fields[j];
            self.push(
                Kind::SearchableFieldAdded,
                Bump::Minor,
                format!("{m}::fields::{}()", f.function),
                None,
                Some(f.kind.type_name().to_string()),
            );
        }
    }

    fn action(&mut self, m: &str, ne: &ir::Entity, a: &ir::Action, b: &ir::Action) {
        let path = format!("{m}::{}::{}()", ne.handle, b.method);
        if a.method != b.method {
            self.change(
                Kind::MethodRenamed,
                Bump::Major,
                &path,
                &format!("{}()", a.method),
                &format!("{}()", b.method),
            );
        }
        if a.wire != b.wire {
            self.change(
                Kind::ActionWireChanged,
                Bump::Major,
                format!("{m}::{}::ACTION", b.params.name),
                &a.wire,
                &b.wire,
            );
        }
        if a.kind != b.kind {
            self.change(
                Kind::ActionKindChanged,
                Bump::Major,
                &path,
                &format!("{:?}", a.kind).to_lowercase(),
                &format!("{:?}", b.kind).to_lowercase(),
            );
        }
        if a.label != b.label {
            self.change(
                Kind::ActionLabelChanged,
                Bump::Patch,
                &path,
                &a.label,
                &b.label,
            );
        }
        self.renamed_type(m, &a.builder, &b.builder);
        self.renamed_type(m, &a.params.name, &b.params.name);
        self.params(m, &a.params, &b.params, &path);
        if !self.same_output(&a.output, &b.output) {
            self.change(
                Kind::OutputChanged,
                Bump::Major,
                format!("{m}::{}::send()", b.builder),
                &output_text(&a.output),
                &output_text(&b.output),
            );
        }
        let stream = format!("{m}::{}::stream()", b.builder);
        let streams = |p: &Option<ir::Pagination>| p.clone().filter(ir::Pagination::streams);
        match (&streams(&a.pagination), &streams(&b.pagination)) {
            (None, Some(_)) => self.push(Kind::PaginationAdded, Bump::Minor, stream, None, None),
            (Some(_), None) => self.push(Kind::PaginationRemoved, Bump::Major, stream, None, None),
            (Some(x), Some(y)) if x != y => self.change(
                Kind::PaginationChanged,
                Bump::Patch,
                stream,
                &x.summary(),
                &y.summary(),
            ),
            _ => {}
        }
    }

    /// A params struct's fields; `method` is the handle method taking its required ones.
    fn params(&mut self, m: &str, a: &Struct, b: &Struct, method: &str) {
        let pairs = self.fields(m, a, b, &PARAM_KINDS);
        // The required arguments of `new` and the handle method, in order: a different
        // order of the same parameters is breaking too.
        let old_args: Vec<usize> = (0..a.fields.len())
            .filter(|&i| a.fields[i].required)
            .collect();
        let new_args: Vec<usize> = (0..b.fields.len())
            .filter(|&j| b.fields[j].required)
            .collect();
        let both: Vec<(usize, usize)> = pairs
            .iter()
            .copied()
            .filter(|&(i, j)| a.fields[i].required && b.fields[j].required)
            .collect();
        let mut by_new = both.clone();
        by_new.sort_by_key(|p| p.1);
        if both != by_new {
            let names = |fields: &[ir::Field], idx: &[usize]| {
                idx.iter()
                    .map(|&i| fields[i].rust.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            self.change(
                Kind::ParamOrderChanged,
                Bump::Major,
                method,
                &format!("({})", names(&a.fields, &old_args)),
                &format!("({})", names(&b.fields, &new_args)),
            );
        }
    }

    /// Every named type: paired ones compared, the others added or removed (unless their
    /// module came or went as a whole).
    fn types(&mut self) {
        let old_order = self.old_order.clone();
        let new_order = self.new_order.clone();
        for name in &old_order {
            let o = &self.old_types[name];
            let module = o.module;
            let paired = self
                .fwd
                .get(*name)
                .and_then(|n| self.new_types.get(n.as_str()).map(|t| (n.clone(), t)));
            match paired {
                Some((new_name, n)) => {
                    let (od, nd, nm) = (o.def, n.def, n.module);
                    self.renamed_type(nm, name, &new_name);
                    self.typedef(nm, od, nd);
                }
                None if self.old_only_modules.contains(&module)
                    || (module == "replication" && self.new.replication.is_none()) => {}
                None => self.push(
                    Kind::TypeRemoved,
                    Bump::Major,
                    format!("{module}::{name}"),
                    Some(typedef_kind(o.def).to_string()),
                    None,
                ),
            }
        }
        for name in &new_order {
            if self
                .back
                .get(*name)
                .is_some_and(|o| self.old_types.contains_key(o.as_str()))
            {
                continue;
            }
            let n = &self.new_types[name];
            if self.new_only_modules.contains(&n.module)
                || (n.module == "replication" && self.old.replication.is_none())
            {
                continue;
            }
            self.push(
                Kind::TypeAdded,
                Bump::Minor,
                format!("{}::{name}", n.module),
                None,
                Some(typedef_kind(n.def).to_string()),
            );
        }
    }

    fn typedef(&mut self, m: &str, a: &TypeDef, b: &TypeDef) {
        match (a, b) {
            (TypeDef::Record(x), TypeDef::Record(y)) => self.record(m, x, y),
            (TypeDef::Params(x), TypeDef::Params(y)) => {
                let new = format!("{m}::{}::new()", y.name);
                self.params(m, x, y, &new)
            }
            (TypeDef::Enum(x), TypeDef::Enum(y)) => self.enumeration(m, x, y),
            _ => self.change(
                Kind::TypeKindChanged,
                Bump::Major,
                format!("{m}::{}", typedef_name(b)),
                typedef_kind(a),
                typedef_kind(b),
            ),
        }
    }

    fn record(&mut self, m: &str, a: &Struct, b: &Struct) {
        self.fields(m, a, b, &FIELD_KINDS);
    }

    /// The fields of two paired structs (params or records): removed, changed, added, each as
    /// `kinds` names it. Returns the pairs `(old index, new index)`.
    fn fields(
        &mut self,
        m: &str,
        a: &Struct,
        b: &Struct,
        kinds: &FieldKinds,
    ) -> Vec<(usize, usize)> {
        let owner = format!("{m}::{}", b.name);
        let (pairs, old_left, new_left) = match_fields(&a.fields, &b.fields);
        for i in old_left {
            let f = &a.fields[i];
            let path = format!("{owner}.{}", f.rust);
            self.push(
                kinds.removed,
                Bump::Major,
                path,
                Some((kinds.text)(f)),
                None,
            );
        }
        for &(i, j) in &pairs {
            let (x, y) = (&a.fields[i], &b.fields[j]);
            let path = format!("{owner}.{}", y.rust);
            if x.rust != y.rust {
                self.change(kinds.renamed, Bump::Major, &path, &x.rust, &y.rust);
            }
            if !self.same_ty(&x.ty, &y.ty) {
                let (before, after) = (ty_text(&x.ty), ty_text(&y.ty));
                self.change(kinds.retyped, Bump::Major, &path, &before, &after);
            }
            if let Some(kind) = kinds.required.filter(|_| x.required != y.required) {
                let (before, after) = (required_text(x.required), required_text(y.required));
                self.change(kind, Bump::Major, &path, before, after);
            }
            if x.wire != y.wire {
                self.change(kinds.wire, Bump::Patch, &path, &x.wire, &y.wire);
            }
            if self.same_ty(&x.ty, &y.ty) {
                self.allowed_numbers(&path, &x.ty, &y.ty);
            }
            // What the tool schema accepts: refusing what it accepted breaks callers.
            match (x.nullable, y.nullable) {
                (false, true) => self.change(Kind::NullAccepted, Bump::Minor, &path, "no", "yes"),
                (true, false) => self.change(Kind::NullRefused, Bump::Major, &path, "yes", "no"),
                _ => {}
            }
        }
        for j in new_left {
            let f = &b.fields[j];
            // A required parameter is a new constructor argument; anything else is additive
            // (params and records are `#[non_exhaustive]`).
            let bump = if f.required { Bump::Major } else { Bump::Minor };
            let path = format!("{owner}.{}", f.rust);
            self.push(kinds.added, bump, path, None, Some((kinds.text)(f)));
        }
        pairs
    }

    /// The numbers two same-typed fields allow (`0.5 | 1 | 1.5`; any number when not listed):
    /// the Rust type is `f64` either way, the tool schema accepts more (minor) or refuses
    /// what it accepted (major).
    fn allowed_numbers(&mut self, path: &str, a: &Ty, b: &Ty) {
        fn allowed(ty: &Ty) -> Option<&[serde_json::Number]> {
            match ty {
                Ty::List(t) | Ty::Nullable(t) => allowed(t),
                Ty::NumberIn {
                    values,
                    open: false,
                    ..
                } => Some(values),
                _ => None,
            }
        }
        let show = |v: Option<&[serde_json::Number]>| match v {
            None => "any number".to_string(),
            Some(v) => v
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" | "),
        };
        let (x, y) = (allowed(a), allowed(b));
        // Compared as numbers: `1` and `1.0` are one value.
        let within = |small: &[serde_json::Number], big: &[serde_json::Number]| {
            small
                .iter()
                .all(|v| big.iter().any(|w| v.as_f64() == w.as_f64()))
        };
        let (narrowed, widened) = match (x, y) {
            (None, None) => return,
            (None, Some(_)) => (true, false),
            (Some(_), None) => (false, true),
            (Some(x), Some(y)) => (!within(x, y), !within(y, x)),
        };
        if narrowed {
            self.change(Kind::ValuesNarrowed, Bump::Major, path, &show(x), &show(y));
        } else if widened {
            self.change(Kind::ValuesWidened, Bump::Minor, path, &show(x), &show(y));
        }
    }

    fn enumeration(&mut self, m: &str, a: &ir::Enum, b: &ir::Enum) {
        let owner = format!("{m}::{}", b.name);
        // The Rust enum is the same either way (`Unknown` holds other values); the tool
        // schema accepts more (opened) or refuses what it accepted (closed).
        match (a.open, b.open) {
            (false, true) => self.change(Kind::EnumOpened, Bump::Minor, &owner, "closed", "open"),
            (true, false) => self.change(Kind::EnumClosed, Bump::Major, &owner, "open", "closed"),
            _ => {}
        }
        match (&a.values, &b.values) {
            (EnumValues::Str(x), EnumValues::Str(y)) => self.variants(&owner, x, y),
            (EnumValues::Int(x), EnumValues::Int(y)) => self.variants(&owner, x, y),
            (x, y) => self.change(Kind::EnumReprChanged, Bump::Major, owner, repr(x), repr(y)),
        }
    }

    fn variants<T: PartialEq + std::fmt::Debug>(
        &mut self,
        owner: &str,
        a: &[ir::Variant<T>],
        b: &[ir::Variant<T>],
    ) {
        let (pairs, old_left, new_left) = match_by(
            a,
            b,
            &[&|v: &ir::Variant<T>| v.rust.clone(), &|v| {
                format!("{:?}", v.wire)
            }],
        );
        for i in old_left {
            self.push(
                Kind::VariantRemoved,
                Bump::Major,
                format!("{owner}::{}", a[i].rust),
                Some(format!("{:?}", a[i].wire)),
                None,
            );
        }
        for (i, j) in pairs {
            let path = format!("{owner}::{}", b[j].rust);
            if a[i].rust != b[j].rust {
                self.change(
                    Kind::VariantRenamed,
                    Bump::Major,
                    &path,
                    &a[i].rust,
                    &b[j].rust,
                );
            }
            if a[i].wire != b[j].wire {
                self.change(
                    Kind::VariantWireChanged,
                    Bump::Patch,
                    &path,
                    &format!("{:?}", a[i].wire),
                    &format!("{:?}", b[j].wire),
                );
            }
        }
        for j in new_left {
            self.push(
                Kind::VariantAdded,
                Bump::Minor,
                format!("{owner}::{}", b[j].rust),
                None,
                Some(format!("{:?}", b[j].wire)),
            );
        }
    }

    // ---- the documents: what the IR does not carry ----------------------------------------

    /// Descriptions as written, `nullable` and defaults of every matched action and field.
    /// The IR's entities and actions are the models' in the same order.
    fn documents(&mut self, old: &Connector, new: &Connector) {
        let entities = self.entities.clone();
        for (oi, ni, actions) in entities {
            let (oe, ne) = (&old.entities[oi], &new.entities[ni]);
            for (a, b) in actions {
                let (oa, na) = (&oe.actions[a], &ne.actions[b]);
                let at = format!("{}.{}", ne.id, na.name);
                if oa.description != na.description {
                    self.change(
                        Kind::DescriptionChanged,
                        Bump::Patch,
                        &at,
                        &oa.description,
                        &na.description,
                    );
                }
                self.model_fields(&format!("{at} params"), &oa.params, &na.params, None);
                match (&oa.response, &na.response) {
                    (
                        Some(Response::Records {
                            records: r1,
                            meta: m1,
                        }),
                        Some(Response::Records {
                            records: r2,
                            meta: m2,
                        }),
                    ) => {
                        let rows = Rows {
                            old: oe,
                            new: ne,
                            path: Vec::new(),
                        };
                        self.model_fields(&format!("{at} records"), r1, r2, Some(rows));
                        self.model_fields(&format!("{at} meta"), m1, m2, None);
                    }
                    (Some(Response::Search(s1)), Some(Response::Search(s2))) => {
                        let (f1, f2) = (&s1.fields, &s2.fields);
                        self.model_fields(&format!("{at} searchable"), f1, f2, None);
                        let (r1, r2) = (&s1.response, &s2.response);
                        self.model_fields(&format!("{at} response"), r1, r2, None);
                    }
                    _ => {}
                }
            }
        }
        if let (Some(a), Some(b)) = (&old.replication, &new.replication) {
            if a.description != b.description {
                self.change(
                    Kind::DescriptionChanged,
                    Bump::Patch,
                    "replication",
                    &a.description,
                    &b.description,
                );
            }
            self.model_fields("replication", &a.fields, &b.fields, None);
        }
    }

    /// Fields matched by name (the n-th of a repeated name with the n-th). With `rows` (a
    /// Records table), rows added or removed while the entity record keeps the field (it merges
    /// the Records tables of all actions) are reported too: the IR shows no change for them.
    fn model_fields(
        &mut self,
        at: &str,
        a: &[model::Field],
        b: &[model::Field],
        rows: Option<Rows<'_>>,
    ) {
        // A field's key is its name and how many before it have that name.
        let keys = |fields: &[model::Field]| {
            let mut seen: HashMap<&str, usize> = HashMap::new();
            fields
                .iter()
                .map(|f| {
                    let nth = seen.entry(f.name.as_str()).or_default();
                    *nth += 1;
                    format!("{}#{}", f.name, *nth - 1)
                })
                .collect::<Vec<String>>()
        };
        let keys_b = keys(b);
        let keys_a = keys(a);
        let index_b: HashMap<&str, usize> = keys_b
            .iter()
            .enumerate()
            .map(|(j, k)| (k.as_str(), j))
            .collect();
        let set_a: HashSet<&str> = keys_a.iter().map(String::as_str).collect();
        // The names the other side's Records tables have at this path, read once when needed.
        let mut new_names: Option<HashSet<&str>> = None;
        for (i, x) in a.iter().enumerate() {
            let path = format!("{at}.{}", x.name);
            let Some(&j) = index_b.get(keys_a[i].as_str()) else {
                if let Some(rows) = &rows {
                    let names =
                        new_names.get_or_insert_with(|| records_names(rows.new, &rows.path));
                    if names.contains(x.name.as_str()) {
                        self.push(Kind::RowRemoved, Bump::Patch, path, None, None);
                    }
                }
                continue;
            };
            let y = &b[j];
            if x.description != y.description {
                self.change(
                    Kind::DescriptionChanged,
                    Bump::Patch,
                    &path,
                    &x.description,
                    &y.description,
                );
            }
            if x.nullable != y.nullable {
                self.change(
                    Kind::NullableChanged,
                    Bump::Patch,
                    &path,
                    &x.nullable.to_string(),
                    &y.nullable.to_string(),
                );
            }
            if x.default != y.default {
                let show = |d: &Option<String>| d.clone().unwrap_or_else(|| "(none)".into());
                let (before, after) = (show(&x.default), show(&y.default));
                self.change(Kind::DefaultChanged, Bump::Patch, &path, &before, &after);
            }
            let inner = rows.as_ref().map(|r| r.child(&x.name));
            self.model_fields(&path, &x.fields, &y.fields, inner);
        }
        if let Some(rows) = &rows {
            let mut old_names: Option<HashSet<&str>> = None;
            for (j, y) in b.iter().enumerate() {
                if set_a.contains(keys_b[j].as_str()) {
                    continue;
                }
                let names = old_names.get_or_insert_with(|| records_names(rows.old, &rows.path));
                if names.contains(y.name.as_str()) {
                    let path = format!("{at}.{}", y.name);
                    self.push(Kind::RowAdded, Bump::Patch, path, None, None);
                }
            }
        }
    }
}

/// A Records table being compared: the two entities and the field path inside the records.
#[derive(Clone)]
struct Rows<'m> {
    old: &'m model::Entity,
    new: &'m model::Entity,
    path: Vec<String>,
}

impl Rows<'_> {
    fn child(&self, name: &str) -> Self {
        let mut path = self.path.clone();
        path.push(name.to_string());
        Rows {
            old: self.old,
            new: self.new,
            path,
        }
    }
}

/// The names of the fields at `path` in any Records table of `entity`.
fn records_names<'m>(entity: &'m model::Entity, path: &[String]) -> HashSet<&'m str> {
    let mut names = HashSet::new();
    for a in &entity.actions {
        let Some(Response::Records { records, .. }) = &a.response else {
            continue;
        };
        let mut fields: &[model::Field] = records;
        let mut found = true;
        for p in path {
            match fields.iter().find(|f| &f.name == p) {
                Some(f) => fields = &f.fields,
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found {
            names.extend(fields.iter().map(|f| f.name.as_str()));
        }
    }
    names
}

/// The change kinds of one flavour of struct field.
struct FieldKinds {
    removed: Kind,
    renamed: Kind,
    retyped: Kind,
    /// `None` where fields are never required (records).
    required: Option<Kind>,
    wire: Kind,
    added: Kind,
    /// How a field is shown as the before or after of an addition or removal.
    text: fn(&ir::Field) -> String,
}

const PARAM_KINDS: FieldKinds = FieldKinds {
    removed: Kind::ParamRemoved,
    renamed: Kind::ParamRenamed,
    retyped: Kind::ParamTypeChanged,
    required: Some(Kind::ParamRequiredChanged),
    wire: Kind::ParamWireChanged,
    added: Kind::ParamAdded,
    text: param_text,
};

const FIELD_KINDS: FieldKinds = FieldKinds {
    removed: Kind::FieldRemoved,
    renamed: Kind::FieldRenamed,
    retyped: Kind::FieldTypeChanged,
    required: None,
    wire: Kind::FieldWireChanged,
    added: Kind::FieldAdded,
    text: field_text,
};

fn field_text(f: &ir::Field) -> String {
    ty_text(&f.ty)
}

fn repr(v: &EnumValues) -> &'static str {
    match v {
        EnumValues::Str(_) => "string values",
        EnumValues::Int(_) => "integer values",
    }
}

fn required_text(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn param_text(f: &ir::Field) -> String {
    format!("{} {}", required_text(f.required), ty_text(&f.ty))
}

/// A type as the generated code spells it.
pub fn ty_text(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Integer => "i64".into(),
        Ty::Float | Ty::NumberIn { record: false, .. } => "f64".into(),
        Ty::Number | Ty::NumberIn { record: true, .. } => "Number".into(),
        Ty::Boolean => "bool".into(),
        Ty::Json => "Value".into(),
        Ty::Struct(n) | Ty::Enum(n) => n.clone(),
        Ty::List(t) => format!("Vec<{}>", ty_text(t)),
        Ty::Nullable(t) => format!("Option<{}>", ty_text(t)),
        Ty::Query(m) => format!("Query<{m}>"),
        Ty::FieldPath(m) => format!("FieldPath<{m}>"),
    }
}

fn output_text(o: &Output) -> String {
    match o {
        Output::ListPage { record, meta } => {
            format!("ListPage<{}, {}>", ty_text(record), ty_text(meta))
        }
        Output::SearchHits { record } => format!("SearchHits<{record}>"),
        Output::SearchPage { record } => format!("SearchPage<{record}>"),
        Output::Record(t) => ty_text(t),
        Output::Bytes => "Bytes".into(),
    }
}

impl Report {
    /// Number of changes at each level: (major, minor, patch).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |b| self.changes.iter().filter(|c| c.bump == b).count();
        (n(Bump::Major), n(Bump::Minor), n(Bump::Patch))
    }

    /// The report as Markdown for a pull request or a changelog: a summary line, then the
    /// changes grouped by level under `heading`-level headings (e.g. `###`).
    pub fn markdown(&self, heading: &str) -> String {
        let mut out = String::new();
        if self.changes.is_empty() {
            out.push_str("Semver bump: **none**. No change of the generated crate's public API or its documentation.\n");
            return out;
        }
        let (major, minor, patch) = self.counts();
        let _ = writeln!(
            out,
            "Semver bump: **{}** ({major} breaking, {minor} additive, {patch} patch-level changes).",
            self.bump.as_str()
        );
        for (bump, title) in [
            (Bump::Major, "Breaking changes (major)"),
            (Bump::Minor, "Additions (minor)"),
            (Bump::Patch, "Documentation and wire-only changes (patch)"),
        ] {
            let changes: Vec<&Change> = self.changes.iter().filter(|c| c.bump == bump).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{heading} {title}\n");
            for c in changes {
                let _ = writeln!(out, "- {}", line(c));
            }
        }
        out
    }

    /// The report as the JSON of `airbyte-codegen diff --format json`.
    pub fn json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serialises")
    }
}

/// One change as a Markdown list item.
fn line(c: &Change) -> String {
    let show = |s: &str| {
        if c.kind.prose() {
            prose(s)
        } else {
            code(s)
        }
    };
    let mut out = format!("{} {}", code(&c.path), c.kind.phrase());
    match (&c.before, &c.after) {
        (Some(b), Some(a)) => {
            let _ = write!(out, ": {} -> {}", show(b), show(a));
        }
        (Some(b), None) => {
            let _ = write!(out, " (was {})", show(b));
        }
        (None, Some(a)) => {
            let _ = write!(out, ": {}", show(a));
        }
        (None, None) => {}
    }
    out
}

/// A Markdown code span for any text.
fn code(s: &str) -> String {
    let ticks = (1..)
        .map(|n| "`".repeat(n))
        .find(|t| !s.contains(t.as_str()))
        .unwrap_or_default();
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// Prose on one line, shortened, quoted.
fn prose(s: &str) -> String {
    const MAX: usize = 100;
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return "(none)".into();
    }
    let short: String = flat.chars().take(MAX).collect();
    let ellipsis = if flat.chars().count() > MAX {
        "..."
    } else {
        ""
    };
    format!("\"{}{ellipsis}\"", short.replace('|', "\\|"))
}
