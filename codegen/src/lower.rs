//! Lowering: [`model::Connector`] -> [`ir::Crate`](crate::ir::Crate). Every name, type, action shape and doc
//! text of the generated crate is decided here, once, and every construct Rust cannot express
//! is reported here as a [`LowerError`] with its document line; renderers cannot fail.

use crate::docs;
use crate::ir::{
    Action, Crate, Endpoint, Entity, Enum, EnumValues, Field, FilterField, FilterKind, Output,
    Pagination, SearchIndex, Struct, Ty, TypeDef, Variant,
};
use crate::model::{self, ActionKind, Response, Search, SearchEnvelope};
use crate::names::{self, Scope};
use crate::paging;
use crate::types::{Literal, Type};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// A construct of the model that cannot be expressed in Rust, with its document line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if *.line > 0 { format!("line {line}: ") } else { String::new() })]
pub struct LowerError {
    /// Line in the reference document.
    pub line: usize,
    /// What is unsupported.
    pub message: String,
}

impl LowerError {
    pub(crate) fn new(line: usize, message: impl Into<String>) -> Self {
        LowerError {
            line,
            message: message.into(),
        }
    }
}

/// Names the generated modules import (`use` lists), which generated types must not take.
pub const IMPORTED_TYPES: &[&str] = &[
    "Action",
    "Bytes",
    "Client",
    "ClientBuilder",
    "CompactString",
    "Error",
    "Extra",
    "Field",
    "FieldPath",
    "Hit",
    "LazyValue",
    "Lenient",
    "ListPage",
    "Map",
    "PageEnd",
    "Number",
    "Paginated",
    "Paging",
    "Query",
    "SearchHits",
    "SearchPage",
    "Serialize",
    "Deserialize",
    "Sort",
    "Value",
    "Text",
    "Timestamp",
    "Integer",
    "Boolean",
    "Json",
];

/// Module names the crate root uses itself.
/// `lib` and `main` are file names cargo gives a meaning to; `fields` and `paths` are the
/// names of an entity's own modules (an entity module of that name would hold a module of
/// its own name); the others are crates the generated code uses.
const ROOT_MODULES: &[&str] = &[
    "runtime",
    "replication",
    "client",
    "tools",
    "prelude",
    "std",
    "core",
    "alloc",
    "lib",
    "main",
    "fields",
    "paths",
    "airbyte_agent_runtime",
    "serde",
    "serde_json",
    "bytes",
    "futures",
];

/// Methods of the connector client other than entity accessors (`tools.rs` adds the tool
/// methods).
const CLIENT_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_env",
    "client",
    "from",
    "into",
    "clone",
    "tools",
    "describe",
    "call_tool",
    "tool_output_limit",
    "with_tool_output_limit",
];

/// Field and setter names that would clash with methods of the generated records and
/// builders, or make clippy think a std trait method is being imitated.
pub const RESERVED_METHODS: &[&str] = &[
    "new",
    "send",
    "stream",
    "save_to",
    "select_fields",
    "exclude_fields",
    "intent",
    "skip_truncation",
    "execute_options",
    "params",
    "into_params",
    "client",
    "extra",
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "neg",
    "not",
    "bitand",
    "bitor",
    "bitxor",
    "shl",
    "shr",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "hash",
    "clone",
    "default",
    "deref",
    "deref_mut",
    "drop",
    "index",
    "index_mut",
    "from_str",
    "from_iter",
    "into_iter",
    "next",
    "borrow",
    "borrow_mut",
    "as_ref",
    "as_mut",
    "to_owned",
    "to_string",
    "fmt",
    "serialize",
    "deserialize",
    "read_member",
];

/// Response data or request data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Record,
    Params,
}

/// Lowers a connector into the description of its crate.
pub fn lower(connector: &model::Connector) -> Result<Crate, LowerError> {
    lower_with(connector, &paging::Overrides::default())
}

/// Lowers a connector, its inferred pagination corrected by `overrides`
/// (`spec/<name>/pagination.yaml`).
pub fn lower_with(
    connector: &model::Connector,
    overrides: &paging::Overrides,
) -> Result<Crate, LowerError> {
    let mut krate = lower_inferred(connector)?;
    overrides.apply(&mut krate)?;
    Ok(krate)
}

fn lower_inferred(connector: &model::Connector) -> Result<Crate, LowerError> {
    let mut types = Scope::with(names::RESERVED_TYPES);
    types.reserve(IMPORTED_TYPES);
    let connector_name = names::client(&connector.title, |n| !types.contains(n))
        .map(|n| types.unique(&n))
        .ok_or_else(|| {
            LowerError::new(
                0,
                format!(
                    "the title `{}` has no letter or digit to name the client type from",
                    connector.title
                ),
            )
        })?;
    let mut modules = Scope::with(ROOT_MODULES);
    let mut accessors = Scope::with(CLIENT_METHODS);
    let mut lowering = Lowering { types };
    let mut entities = Vec::new();
    for entity in &connector.entities {
        let module = modules.snake(&entity.id, "entity");
        let accessor = accessors.snake(&entity.id, "entity");
        entities.push(lowering.entity(entity, module, accessor)?);
    }
    let replication = match &connector.replication {
        Some(r) => {
            let mut defs = Vec::new();
            let name = lowering.types.unique("ReplicationConfig");
            let fields = lowering.fields(&name, &r.fields, Flavor::Params, None, &mut defs)?;
            defs.push(TypeDef::Params(Struct {
                name,
                doc: docs::text(&r.description, "The replication configuration."),
                fields,
            }));
            Some(defs)
        }
        None => None,
    };
    Ok(Crate {
        title: docs::sanitize(&connector.title),
        connector: connector_name,
        endpoint: Endpoint {
            base_url: connector.endpoint.base_url.clone(),
            path: connector.endpoint.path.clone(),
            path_param: connector.endpoint.path_param.clone(),
        },
        entities,
        replication,
    })
}

/// The entity record's doc paragraph naming the handle methods whose output holds it (`""`
/// when none does); `merged` when it has the fields of several Records tables, one of which an
/// answer may lack.
fn returned_by(record: &str, handle: &str, actions: &[Action], merged: bool) -> String {
    let links: Vec<String> = actions
        .iter()
        .filter_map(|a| match &a.output {
            Output::ListPage {
                record: Ty::Struct(r),
                ..
            } if r == record => Some(format!("[`{handle}::{}`] (in pages)", a.method)),
            Output::Record(Ty::Struct(r)) if r == record => {
                Some(format!("[`{handle}::{}`]", a.method))
            }
            _ => None,
        })
        .collect();
    let Some((last, rest)) = links.split_last() else {
        return String::new();
    };
    let list = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    let fields = if merged {
        ": it has the documented fields of each, so a member one of them does not return is \
         absent"
    } else {
        ""
    };
    format!("\n\nReturned by {list}{fields}.")
}

struct Lowering {
    /// Type names, unique across the crate.
    types: Scope,
}

impl Lowering {
    fn entity(
        &mut self,
        entity: &model::Entity,
        module: String,
        accessor: String,
    ) -> Result<Entity, LowerError> {
        let singular = names::singular(&entity.name);
        let handle = self.types.pascal(&format!("{} api", entity.name), "Api");
        let mut defs = Vec::new();
        let search = entity.actions.iter().find_map(|a| match &a.response {
            Some(Response::Search(s)) if a.kind == ActionKind::Search => Some(s),
            _ => None,
        });
        let searchable: &[model::Field] = search.map_or(&[], |s| &s.fields);

        // The entity record: all Records tables of the entity merged.
        let mut tables: Vec<&[model::Field]> = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        let mut seen = HashSet::default();
        for a in entity
            .actions
            .iter()
            .filter(|a| a.kind != ActionKind::Other)
        {
            if let Some(Response::Records { records, .. }) = &a.response {
                if !records.is_empty() {
                    tables.push(records);
                    if seen.insert(a.label.as_str()) {
                        sources.push(&a.label);
                    }
                }
            }
        }
        let merged = merge(&tables);
        let mut paths = Vec::new();
        let record = if merged.is_empty() {
            None
        } else {
            let name = self.types.pascal(&singular, "Record");
            // Which actions return it is said once they are lowered (`returned_by`).
            let text = format!(
                "A record of {} (`{}`).",
                docs::sanitize(&entity.name),
                entity.id.replace('`', "'")
            );
            let fields =
                self.fields(&name, &merged, Flavor::Record, Some(searchable), &mut defs)?;
            paths = nested_paths(&merged, &fields);
            defs.push(TypeDef::Record(Struct {
                name: name.clone(),
                doc: text,
                fields,
            }));
            Some(name)
        };

        // The search hit record and the typed filter fields.
        let index = match search {
            Some(search) => Some(self.search_index(entity, &singular, search, &mut defs)?),
            None => None,
        };

        let mut methods = Scope::with(&["client", "new"]);
        let mut actions = Vec::new();
        for (action, words) in entity.actions.iter().zip(action_words(&entity.actions)) {
            let method = methods.snake(&words.method(), "action");
            actions.push(self.action(
                entity,
                &singular,
                action,
                &words,
                method,
                record.as_deref(),
                index.as_ref(),
                &mut defs,
            )?);
        }
        if let Some(name) = &record {
            let said = returned_by(name, &handle, &actions, sources.len() > 1);
            for def in &mut defs {
                if let TypeDef::Record(s) = def {
                    if &s.name == name {
                        s.doc.push_str(&said);
                    }
                }
            }
        }
        Ok(Entity {
            name: docs::sanitize(&entity.name),
            wire: entity.id.clone(),
            module,
            accessor,
            handle,
            record,
            paths,
            types: defs,
            search: index,
            actions,
        })
    }

    fn search_index(
        &mut self,
        entity: &model::Entity,
        singular: &str,
        search: &Search,
        defs: &mut Vec<TypeDef>,
    ) -> Result<SearchIndex, LowerError> {
        let marker = self
            .types
            .pascal(&format!("Searchable {singular}"), "Searchable");
        let record = self
            .types
            .pascal(&format!("{singular} Search Record"), "SearchRecord");
        // Searchable field names are literal keys, never paths.
        let flat: Vec<model::Field> = search
            .fields
            .iter()
            .map(|f| model::Field {
                fields: Vec::new(),
                ..f.clone()
            })
            .collect();
        let members = self.fields(&record, &flat, Flavor::Record, None, defs)?;
        // The filter handles are the search record's members (its declaration writes them).
        let fields = members
            .iter()
            .zip(&search.fields)
            .map(|(member, f)| FilterField {
                function: member.rust.clone(),
                wire: member.wire.clone(),
                kind: filter_kind(&f.ty),
                doc: member.doc.clone(),
            })
            .collect();
        defs.push(TypeDef::Record(Struct {
            name: record.clone(),
            doc: format!(
                "A record of {} as the search index returns it: the Searchable Fields.",
                docs::sanitize(&entity.name)
            ),
            fields: members,
        }));
        Ok(SearchIndex {
            marker,
            record,
            fields,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn action(
        &mut self,
        entity: &model::Entity,
        singular: &str,
        action: &model::Action,
        words: &ActionWords,
        method: String,
        record: Option<&str>,
        index: Option<&SearchIndex>,
        defs: &mut Vec<TypeDef>,
    ) -> Result<Action, LowerError> {
        let is_search = action.kind == ActionKind::Search;
        let search_response = match &action.response {
            Some(Response::Search(s)) => Some(s),
            _ => None,
        };
        if is_search && search_response.is_none() {
            return Err(LowerError::new(
                action.line,
                format!(
                    "search action `{}` of `{}` has no Searchable Fields and search response; cannot type its query",
                    action.name, entity.name
                ),
            ));
        }
        if !is_search && search_response.is_some() {
            return Err(LowerError::new(
                action.line,
                format!(
                    "`{}` of `{}` has a search response but is a {} action",
                    action.name,
                    entity.name,
                    kind_name(action.kind)
                ),
            ));
        }
        let builder = self
            .types
            .pascal(&builder_words(action, words, entity, singular), "Action");
        let params_name = self.types.unique(&format!("{builder}Params"));

        // Parameters: the search query and field list get the runtime's typed forms.
        let mut params = action.params.clone();
        if is_search {
            for p in params.iter_mut().filter(|p| p.name == "query") {
                p.fields.clear();
            }
        }
        let mut fields = self.fields(&builder, &params, Flavor::Params, None, defs)?;
        let marker = index.map(|i| i.marker.clone()).filter(|_| is_search);
        if let Some(marker) = &marker {
            for f in fields.iter_mut() {
                if f.wire == "query" {
                    f.ty = Ty::Query(marker.clone());
                } else if f.wire == "fields" {
                    f.ty = Ty::List(Box::new(Ty::FieldPath(marker.clone())));
                }
            }
            if fields.iter().any(|f| f.rust == "sort") {
                return Err(LowerError::new(
                    action.line,
                    format!(
                        "search action `{}` has a parameter named `sort`, which clashes with the query's sort setter",
                        action.name
                    ),
                ));
            }
        }

        let output = self.output(action, &builder, record, index, defs)?;
        let (records, meta): (&[model::Field], &[model::Field]) = match &action.response {
            Some(Response::Records { records, meta }) => (records, meta),
            _ => (&[], &[]),
        };
        let pagination = paging::infer(&params, meta, records, &output);
        let standard_search = marker
            .as_deref()
            .is_some_and(|m| is_standard_search(m, &fields, &output, pagination.as_ref()));
        Ok(Action {
            kind: action.kind,
            wire: action.name.clone(),
            label: docs::sanitize(&action.label),
            method,
            params: Struct {
                name: params_name,
                // As `request!` words it for the params it declares.
                doc: format!("Parameters of [`{builder}`], serialised as the request's `params`."),
                fields,
            },
            builder,
            doc: docs::text(
                &action.description,
                &format!("The {} action.", docs::code(&action.name)),
            ),
            output,
            idempotent: action.kind.is_read(),
            pagination,
            search: marker,
            standard_search,
            line: action.line,
        })
    }

    fn output(
        &mut self,
        action: &model::Action,
        builder: &str,
        record: Option<&str>,
        index: Option<&SearchIndex>,
        defs: &mut Vec<TypeDef>,
    ) -> Result<Output, LowerError> {
        let entity_record = |records: &[model::Field]| match record {
            Some(r) if !records.is_empty() => Ty::Struct(r.to_string()),
            _ => Ty::Json,
        };
        Ok(match (&action.response, action.kind) {
            (_, ActionKind::Download) => Output::Bytes,
            (Some(Response::Search(s)), _) => {
                // A search response implies a search action, which has an index.
                let record = index.map(|i| i.record.clone()).unwrap_or_default();
                match s.envelope {
                    SearchEnvelope::Hits => Output::SearchHits { record },
                    SearchEnvelope::DataMeta => Output::SearchPage { record },
                }
            }
            // The result as received: a generic action's shape is unknown, and a provider's
            // search without a response table may answer with anything (an object of items and
            // a total as often as a list).
            (_, ActionKind::Other) | (None, ActionKind::ApiSearch) => Output::Record(Ty::Json),
            (response, ActionKind::List | ActionKind::ApiSearch) => {
                let (records, meta): (&[model::Field], &[model::Field]) = match response {
                    Some(Response::Records { records, meta }) => (records, meta),
                    _ => (&[], &[]),
                };
                let meta = if meta.is_empty() {
                    Ty::Json
                } else {
                    let name = self.types.unique(&format!("{builder}Meta"));
                    let fields = self.fields(&name, meta, Flavor::Record, None, defs)?;
                    defs.push(TypeDef::Record(Struct {
                        name: name.clone(),
                        doc: format!(
                            "Metadata of a {} page (the envelope's `connector_metadata`).",
                            docs::code(&action.name)
                        ),
                        fields,
                    }));
                    Ty::Struct(name)
                };
                Output::ListPage {
                    record: entity_record(records),
                    meta,
                }
            }
            (Some(Response::Records { records, .. }), _) => Output::Record(entity_record(records)),
            (None, _) => Output::Record(Ty::Json),
        })
    }

    /// The fields of a struct named `owner` (declaring nested types into `defs`), in document
    /// order, with unique Rust names. A record field without a description takes the one of
    /// the same-named field in `described` (the Searchable Fields), else its own name.
    fn fields(
        &mut self,
        owner: &str,
        fields: &[model::Field],
        flavor: Flavor,
        described: Option<&[model::Field]>,
        defs: &mut Vec<TypeDef>,
    ) -> Result<Vec<Field>, LowerError> {
        let mut scope = Scope::with(RESERVED_METHODS);
        let mut out = Vec::with_capacity(fields.len());
        // Name -> description of the first described field of that name.
        let mut descriptions: HashMap<&str, &str> = HashMap::default();
        for d in described.unwrap_or_default() {
            descriptions
                .entry(d.name.as_str())
                .or_insert(d.description.as_str());
        }
        for field in fields {
            let rust = scope.snake(&field.name, "field");
            let path = format!("{owner} {}", names::pascal(&field.name, "Field"));
            let mut ty = self.ty(&field.ty, &field.fields, &path, field, flavor, defs)?;
            let required = flavor == Flavor::Params && field.required == Some(true);
            // A required parameter that may be `null` holds it in its type (sent as `null`);
            // an optional one reads `null` as unset. JSON holds `null` itself.
            if required && field.nullable && ty != Ty::Json {
                ty = Ty::Nullable(Box::new(ty));
            }
            let fallback = descriptions
                .get(field.name.as_str())
                .copied()
                .unwrap_or_default();
            let mut doc = docs::text(
                &field.description,
                &docs::text(fallback, &docs::undescribed(&field.name, &rust)),
            );
            if let Some(values) = number_values_doc(&ty).or_else(|| constant_doc(&field.ty)) {
                doc = format!("{doc}\n\n{values}");
            }
            out.push(Field {
                rust,
                wire: field.name.clone(),
                ty,
                doc,
                required,
                nullable: flavor == Flavor::Params && field.nullable && !required,
            });
        }
        Ok(out)
    }

    /// The type of a value, declaring nested structs and enums named from `path`. `children`
    /// are the members of an object or of an array's elements.
    fn ty(
        &mut self,
        ty: &Type,
        children: &[model::Field],
        path: &str,
        field: &model::Field,
        flavor: Flavor,
        defs: &mut Vec<TypeDef>,
    ) -> Result<Ty, LowerError> {
        Ok(match ty {
            Type::String { .. } => Ty::String,
            Type::Integer => Ty::Integer,
            Type::Number => match flavor {
                // Exact: an integer stays an integer when re-encoded.
                Flavor::Record => Ty::Number,
                Flavor::Params => Ty::Float,
            },
            Type::Boolean => Ty::Boolean,
            // A boolean constant (`True`): a boolean, the constant said in the doc.
            Type::Enum { values, .. } if matches!(values.as_slice(), [Literal::Bool(_)]) => {
                Ty::Boolean
            }
            Type::Enum { values, open } if values.iter().any(|v| matches!(v, Literal::Dec(_))) => {
                Ty::NumberIn {
                    values: numbers(values, field)?,
                    open: *open && flavor == Flavor::Params,
                    record: flavor == Flavor::Record,
                }
            }
            Type::Enum { values, open } => {
                // Only an argument is limited to the values; a record keeps any value.
                let open = *open && flavor == Flavor::Params;
                Ty::Enum(self.enumeration(path, values, open, field, defs)?)
            }
            Type::Object if !children.is_empty() => {
                let name = self.types.pascal(path, "Object");
                let fields = self.fields(&name, children, flavor, None, defs)?;
                let doc = docs::text(
                    &field.description,
                    &format!("The {} object.", docs::code(&field.name)),
                );
                let def = Struct {
                    name: name.clone(),
                    doc,
                    fields,
                };
                defs.push(match flavor {
                    Flavor::Record => TypeDef::Record(def),
                    Flavor::Params => TypeDef::Params(def),
                });
                Ty::Struct(name)
            }
            Type::Array(elem) => Ty::List(Box::new(match (&**elem, children.is_empty()) {
                (_, false) => self.ty(&Type::Object, children, path, field, flavor, defs)?,
                (Type::Nullable(inner), true) => {
                    Ty::Nullable(Box::new(self.ty(inner, &[], path, field, flavor, defs)?))
                }
                (elem, true) => self.ty(elem, &[], path, field, flavor, defs)?,
            })),
            Type::Object | Type::Any | Type::Union(_) | Type::Loose(_) | Type::Nullable(_) => {
                Ty::Json
            }
        })
    }

    /// Declares an enum for literal values (`open`: other values allowed too), returning its
    /// name.
    fn enumeration(
        &mut self,
        path: &str,
        values: &[Literal],
        open: bool,
        field: &model::Field,
        defs: &mut Vec<TypeDef>,
    ) -> Result<String, LowerError> {
        let strings: Vec<&String> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Str(s) => Some(s),
                Literal::Int(_) | Literal::Dec(_) | Literal::Bool(_) => None,
            })
            .collect();
        let ints: Vec<i64> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Int(i) => Some(*i),
                Literal::Str(_) | Literal::Dec(_) | Literal::Bool(_) => None,
            })
            .collect();
        if !strings.is_empty() && !ints.is_empty() {
            return Err(mixed(field));
        }
        let name = self.types.pascal(path, "Value");
        let mut variants = Scope::with(&["Unknown"]);
        let values = if ints.is_empty() {
            EnumValues::Str(
                strings
                    .iter()
                    .map(|s| {
                        let spelled = s.replace('+', " plus ").replacen(
                            '-',
                            " minus ",
                            usize::from(s.starts_with('-')),
                        );
                        Variant {
                            rust: variants.pascal(&spelled, "Empty"),
                            wire: (*s).clone(),
                            doc: if s.is_empty() {
                                "An empty string.".to_string()
                            } else {
                                docs::code(s)
                            },
                        }
                    })
                    .collect(),
            )
        } else {
            EnumValues::Int(
                ints.iter()
                    .map(|i| {
                        let raw = if *i < 0 {
                            format!("Minus{}", i.unsigned_abs())
                        } else {
                            format!("V{i}")
                        };
                        Variant {
                            rust: variants.unique(&raw),
                            wire: *i,
                            doc: format!("`{i}`"),
                        }
                    })
                    .collect(),
            )
        };
        defs.push(TypeDef::Enum(Enum {
            name: name.clone(),
            doc: docs::text(
                &field.description,
                &format!("Values of {}.", docs::code(&field.name)),
            ),
            values,
            open,
        }));
        Ok(name)
    }
}

/// The values of a numeric enum with a decimal among them, as JSON numbers.
fn numbers(
    values: &[Literal],
    field: &model::Field,
) -> Result<Vec<serde_json::Number>, LowerError> {
    values
        .iter()
        .map(|v| match v {
            Literal::Int(i) => Ok(serde_json::Number::from(*i)),
            Literal::Dec(d) => d.parse().map_err(|_| {
                LowerError::new(
                    field.line,
                    format!(
                        "the literal `{d}` of `{}` is outside the range of a 64-bit float",
                        field.name
                    ),
                )
            }),
            Literal::Str(_) | Literal::Bool(_) => Err(mixed(field)),
        })
        .collect()
}

/// A field whose literals are strings and numbers.
fn mixed(field: &model::Field) -> LowerError {
    LowerError::new(
        field.line,
        format!(
            "`{}` mixes string and number literals; no enum can hold both, expected only \
             strings (`\"a\" | \"b\"`) or only numbers (`1 | 2`, `0.5 | 1`)",
            field.name
        ),
    )
}

/// The sentence a field's doc gets for a numeric enum with a decimal (through arrays and
/// `null`), which no Rust type lists: `One of `0.5`, `1`.`
fn number_values_doc(ty: &Ty) -> Option<String> {
    match ty {
        Ty::List(t) | Ty::Nullable(t) => number_values_doc(t),
        Ty::NumberIn {
            values,
            open,
            record,
        } => {
            let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            Some(if *record {
                format!(
                    "Documented values: {}; another is kept as received.",
                    list.join(", ")
                )
            } else if *open {
                format!(
                    "For example {}; other values are allowed too.",
                    list.join(", ")
                )
            } else {
                format!("One of {}.", list.join(", "))
            })
        }
        _ => None,
    }
}

/// The sentence a field's doc gets for a boolean constant (`True`, through arrays), which its
/// Rust type `bool` does not say.
fn constant_doc(ty: &Type) -> Option<String> {
    match ty {
        Type::Array(t) | Type::Nullable(t) => constant_doc(t),
        Type::Enum { values, open } => match values.as_slice() {
            [Literal::Bool(b)] if *open => Some(format!("For example `{b}`.")),
            [Literal::Bool(b)] => Some(format!("Always `{b}` (the only value documented).")),
            _ => None,
        },
        _ => None,
    }
}

/// The words an action's names are made of: its verb, and what tells it apart from the other
/// actions of the entity with the same verb.
struct ActionWords {
    /// The wire name (`list`, `api_search`), or for a generic action the heading's label
    /// (`Sql Select`), since its kind says nothing.
    verb: String,
    /// `by <parameters>` when another action has the same verb: its required parameters the
    /// others lack (a document may list `Ticket Audits List` twice, once per ticket).
    qualifier: Option<String>,
}

impl ActionWords {
    /// The words of the entity handle's method, e.g. `list by ticket id`.
    fn method(&self) -> String {
        match &self.qualifier {
            Some(q) => format!("{} {q}", self.verb),
            None => self.verb.clone(),
        }
    }
}

/// The words of the names of each of an entity's `actions`. The most general of same-verb
/// actions (no required parameter of its own) keeps the bare verb; when none tells two apart,
/// the name scopes number the later one.
fn action_words(actions: &[model::Action]) -> Vec<ActionWords> {
    let verb = |a: &model::Action| match a.kind {
        ActionKind::Other => a.label.clone(),
        _ => a.name.clone(),
    };
    let verbs: Vec<String> = actions.iter().map(verb).collect();
    let keys: Vec<String> = verbs.iter().map(|v| names::snake(v, "action")).collect();
    // Per key: how many actions have it, and per parameter name how many of them have that
    // parameter; a required parameter is an action's own when only that action has it.
    let mut twins: HashMap<&str, usize> = HashMap::default();
    let mut params: HashMap<(&str, &str), usize> = HashMap::default();
    for (key, action) in keys.iter().zip(actions) {
        *twins.entry(key).or_default() += 1;
        let mut names: HashSet<&str> = HashSet::default();
        for p in &action.params {
            if names.insert(&p.name) {
                *params.entry((key, &p.name)).or_default() += 1;
            }
        }
    }
    verbs
        .into_iter()
        .zip(&keys)
        .zip(actions)
        .map(|((verb, key), action)| {
            let qualifier = if twins[key.as_str()] > 1 {
                let mut own: Vec<&str> = Vec::new();
                for p in action.params.iter().filter(|p| p.required == Some(true)) {
                    if params[&(key.as_str(), p.name.as_str())] == 1
                        && !own.contains(&p.name.as_str())
                    {
                        own.push(&p.name);
                    }
                }
                (!own.is_empty()).then(|| format!("by {}", own.join(" and ")))
            } else {
                None
            };
            ActionWords { verb, qualifier }
        })
        .collect()
}

/// The words of a request builder's name: the action's verb, the entity (plural for actions
/// over many records, `ListContacts`, `SearchContacts`; singular for one, `GetContact`,
/// `CreateTag`) and what tells it apart (`ListTicketAuditsByTicketId`).
fn builder_words(
    action: &model::Action,
    words: &ActionWords,
    entity: &model::Entity,
    singular: &str,
) -> String {
    let verb = match action.kind {
        ActionKind::Search => "search",
        _ => words.verb.as_str(),
    };
    let one = matches!(
        action.kind,
        ActionKind::Get
            | ActionKind::Create
            | ActionKind::Update
            | ActionKind::Delete
            | ActionKind::Download
    );
    let noun = if one { singular } else { &entity.name };
    match &words.qualifier {
        Some(q) => format!("{verb} {noun} {q}"),
        None => format!("{verb} {noun}"),
    }
}

/// The filter kind of a searchable field's type.
fn filter_kind(ty: &Type) -> FilterKind {
    match ty {
        Type::String { format: Some(f) } if f == "date-time" || f == "date" => {
            FilterKind::Timestamp
        }
        Type::String { .. } => FilterKind::Text,
        Type::Integer => FilterKind::Integer,
        Type::Number => FilterKind::Number,
        Type::Boolean => FilterKind::Boolean,
        _ => FilterKind::Json,
    }
}

/// Merges the Records tables of an entity's record-returning actions: fields of all, first
/// occurrence wins; a name documented with two types becomes `any`, and its description says
/// so (lines and types), so that the weakening shows in the docs and the IR snapshot. Members
/// of same-typed fields are merged the same way, level by level; the work is linear in the
/// rows of all tables.
fn merge(tables: &[&[model::Field]]) -> Vec<model::Field> {
    // Per name, in order of first appearance: the merged field and the member lists to merge
    // into it.
    let mut merged: Vec<(model::Field, Vec<&[model::Field]>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::default();
    for f in tables.iter().flat_map(|t| t.iter()) {
        let Some(&i) = index.get(f.name.as_str()) else {
            index.insert(&f.name, merged.len());
            let first = model::Field {
                fields: Vec::new(),
                ..f.clone()
            };
            merged.push((first, vec![&f.fields]));
            continue;
        };
        let (g, members) = &mut merged[i];
        if g.ty != f.ty && g.ty != Type::Any {
            let note = format!(
                "Documented as {} (line {}) and as {} (line {}): read as any JSON.",
                g.ty, g.line, f.ty, f.line
            );
            g.description = if g.description.is_empty() {
                note
            } else {
                format!("{}\n\n{note}", g.description)
            };
            g.ty = Type::Any;
            members.clear();
        } else if g.ty != f.ty {
            // Already weakened by an earlier conflict, which the description names.
        } else {
            members.push(&f.fields);
        }
        g.nullable |= f.nullable;
    }
    merged
        .into_iter()
        .map(|(mut g, members)| {
            g.fields = match members.as_slice() {
                [] => Vec::new(),
                [one] => one.to_vec(),
                _ => merge(&members),
            };
            g
        })
        .collect()
}

fn kind_name(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::List => "list",
        ActionKind::Get => "get",
        ActionKind::Create => "create",
        ActionKind::Update => "update",
        ActionKind::Delete => "delete",
        ActionKind::Download => "download",
        ActionKind::ApiSearch => "api_search",
        ActionKind::Search => "search",
        ActionKind::Other => "generic",
    }
}

/// The dot paths into the nested objects of a record's documented fields (members of nested
/// objects' members too, not of arrays' elements), in document order, each with a function
/// name unique beside the record's own members (`fields`), whose paths are their names.
fn nested_paths(record: &[model::Field], fields: &[Field]) -> Vec<crate::ir::RecordPath> {
    fn walk(
        fields: &[model::Field],
        prefix: &str,
        scope: &mut Scope,
        out: &mut Vec<crate::ir::RecordPath>,
    ) {
        for f in fields {
            let wire = format!("{prefix}.{}", f.name);
            out.push(crate::ir::RecordPath {
                function: scope.snake(&wire, "path"),
                wire: wire.clone(),
                doc: docs::text(
                    &f.description,
                    &format!(
                        "The dot path {}; not described in the reference document.",
                        docs::code(&wire)
                    ),
                ),
            });
            if matches!(f.ty, Type::Object) {
                walk(&f.fields, &wire, scope, out);
            }
        }
    }
    let taken: Vec<&str> = fields.iter().map(|f| f.rust.as_str()).collect();
    let mut scope = Scope::with(&taken);
    let mut out = Vec::new();
    for f in record.iter().filter(|f| matches!(f.ty, Type::Object)) {
        walk(&f.fields, &f.name, &mut scope, &mut out);
    }
    out
}

/// Whether a search action is the standard one the runtime's generic `Search` serves: exactly
/// the parameters `query` (required), `limit`, `cursor` and `fields` with their standard types,
/// the hits envelope, and cursor paging from `next_cursor` into `cursor`.
fn is_standard_search(
    marker: &str,
    fields: &[Field],
    output: &Output,
    pagination: Option<&Pagination>,
) -> bool {
    let query = Ty::Query(marker.to_owned());
    let paths = Ty::List(Box::new(Ty::FieldPath(marker.to_owned())));
    let expected: [(&str, &Ty, bool); 4] = [
        ("query", &query, true),
        ("limit", &Ty::Integer, false),
        ("cursor", &Ty::String, false),
        ("fields", &paths, false),
    ];
    fields.len() == expected.len()
        && fields
            .iter()
            .zip(expected)
            .all(|(f, (name, ty, required))| {
                f.wire == name && f.rust == name && &f.ty == ty && f.required == required
            })
        && matches!(output, Output::SearchHits { .. })
        && pagination
            == Some(&Pagination::Cursor {
                param: "cursor".to_owned(),
                next: "next_cursor".to_owned(),
                more: None,
            })
}
