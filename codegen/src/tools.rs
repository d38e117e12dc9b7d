//! Tool definitions from the IR: for every action a tool name, a description and an input
//! JSON Schema (draft 2020-12) of its params struct, and the connector description
//! (`describe()`) as JSON.
//!
//! The schema is emitted from the same [`ir::Field`]s the params structs are rendered from, so
//! the two cannot disagree: each property is a field's wire name, `required` lists the required
//! fields, `additionalProperties` is `false` (the structs deny unknown fields), and each type
//! maps to one schema. Search queries are described by the filter language
//! restricted to the entity's searchable fields, each operator offered on the fields whose kind
//! allows it (as the runtime's typed `Field` does).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde_json::{json, Map, Value};

use crate::ir::{
    self, Action, ActionKind, Crate, Entity, EnumValues, FilterKind, Output, PageEnd, Pagination,
    SearchIndex, Ty, TypeDef,
};

/// The JSON Schema dialect of every input schema.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Longest tool name the common LLM APIs accept.
pub const MAX_NAME_LEN: usize = 64;

/// One action offered as a tool.
#[derive(Debug, Clone)]
pub struct Tool<'a> {
    /// `^[a-zA-Z0-9_-]{1,64}$`, unique in the crate, e.g. `contacts_list`.
    pub name: String,
    pub entity: &'a Entity,
    pub action: &'a Action,
}

/// The tools of a crate, one per action in document order. A name is the entity's and the
/// action's wire names in snake case, joined by `_` (`contacts_list`,
/// `contacts_context_store_search`), cut to 64 characters; a name already taken gets `_2`,
/// `_3`, ... so every name stays unique and the same for the same document.
pub fn tools(krate: &Crate) -> Vec<Tool<'_>> {
    let mut out: Vec<Tool<'_>> = Vec::new();
    // Names handed out, and per base the next suffix to try: linear in the number of tools
    // however many share a base.
    let mut taken: HashSet<String> = HashSet::default();
    let mut next: HashMap<String, usize> = HashMap::default();
    for entity in &krate.entities {
        for action in &entity.actions {
            let base = format!("{}_{}", snake(&entity.wire), snake(&action.wire));
            let base = cut(&base, MAX_NAME_LEN);
            let mut name = base.clone();
            while !taken.insert(name.clone()) {
                let n = next.entry(base.clone()).or_insert(2);
                let suffix = format!("_{n}");
                *n += 1;
                name = format!("{}{suffix}", cut(&base, MAX_NAME_LEN - suffix.len()));
            }
            out.push(Tool {
                name,
                entity,
                action,
            });
        }
    }
    out
}

/// Lowercase ASCII letters and digits, everything else one `_`; `x` when nothing is left.
fn snake(wire: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in wire.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

fn cut(s: &str, max: usize) -> String {
    s.chars()
        .take(max)
        .collect::<String>()
        .trim_end_matches('_')
        .to_string()
}

/// The tool definitions of a crate: `[{"name", "description", "input_schema"}]`.
pub fn definitions(krate: &Crate) -> Vec<Value> {
    tools(krate)
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "description": description(krate, t),
                "input_schema": input_schema(krate, t.entity, t.action),
                "narrow": narrowing(t.action),
            })
        })
        .collect()
}

/// The description of a tool: the action's text, its entity, required parameters, how to
/// page, and for a search the filter language of the entity.
pub fn description(krate: &Crate, tool: &Tool<'_>) -> String {
    let (entity, action) = (tool.entity, tool.action);
    let mut parts = vec![plain(&action.doc)];
    parts.push(format!(
        "Entity `{}`, action `{}` of the {} connector.",
        entity.wire,
        action.wire,
        plain(&krate.title)
    ));
    let required: Vec<String> = action.required().map(|f| format!("`{}`", f.wire)).collect();
    parts.push(if required.is_empty() {
        "No argument is required.".to_string()
    } else {
        format!("Required arguments: {}.", required.join(", "))
    });
    if let Some(text) = action
        .pagination
        .as_ref()
        .and_then(|p| paging_help(p, &action.output))
    {
        parts.push(text);
    }
    if let (Some(search), true) = (&entity.search, action.search.is_some()) {
        parts.push(search_help(search));
    }
    if action.kind == ActionKind::Download {
        parts.push(
            "The result is `{\"size\": bytes, \"text\": ..}` for text content, \
             `{\"size\": bytes, \"hex\": ..}` otherwise."
                .to_string(),
        );
    }
    parts.retain(|p| !p.is_empty());
    parts.join("\n\n")
}

/// How to write a search query over `search`'s fields.
fn search_help(search: &SearchIndex) -> String {
    let names = |pred: &dyn Fn(FilterKind) -> bool| -> String {
        let v: Vec<String> = search
            .fields
            .iter()
            .filter(|f| pred(f.kind))
            .map(|f| format!("`{}`", f.wire))
            .collect();
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "Search: `query.filter` is one condition `{{operator: {{field: value}}}}`, e.g. \
         `{{\"eq\": {{\"{example}\": ...}}}}`; combine conditions with `{{\"and\": [..]}}`, \
         `{{\"or\": [..]}}` and `{{\"not\": {{..}}}}`. Operators: `eq`, `neq`, `in` (a list of \
         values) on every searchable field; `gt`, `gte`, `lt`, `lte` on ordered fields ({ordered}); \
         `like` (`%` wildcards), `fuzzy` and `keyword` on text fields ({text}). `query.sort` is \
         a list of `{{field: \"asc\" | \"desc\"}}`; `fields` lists the field paths to return.",
        example = search.fields.first().map_or("field", |f| f.wire.as_str()),
        ordered = names(&|k| ordered(k)),
        text = names(&|k| k == FilterKind::Text),
    )
}

/// Whether a field kind allows the ordering operators.
fn ordered(kind: FilterKind) -> bool {
    matches!(
        kind,
        FilterKind::Integer | FilterKind::Number | FilterKind::Timestamp
    )
}

/// The input schema of an action: an object with one property per parameter.
pub fn input_schema(krate: &Crate, entity: &Entity, action: &Action) -> Value {
    let mut schemas = Schemas {
        krate,
        entity,
        defs: Map::new(),
        stack: Vec::new(),
    };
    let mut schema = schemas.object(&action.params.fields, false);
    let obj = schema.as_object_mut().expect("object schemas are objects");
    let mut out = Map::new();
    out.insert("$schema".into(), json!(DIALECT));
    out.append(obj);
    if !schemas.defs.is_empty() {
        out.insert("$defs".into(), Value::Object(schemas.defs));
    }
    Value::Object(out)
}

/// Builds the schemas of one tool, collecting the `$defs` it refers to.
struct Schemas<'a> {
    krate: &'a Crate,
    entity: &'a Entity,
    defs: Map<String, Value>,
    /// Structs being expanded, to refer to a recursive one instead of expanding it again.
    stack: Vec<String>,
}

impl Schemas<'_> {
    /// An object of `fields`; `open` objects (records) allow members the document does not
    /// list, as record types keep them.
    fn object(&mut self, fields: &[ir::Field], open: bool) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for f in fields {
            let mut schema = self.ty(&f.ty);
            if f.nullable {
                schema = or_null(schema);
            }
            let text = field_text(f);
            if !text.is_empty() {
                if let Some(obj) = schema.as_object_mut() {
                    obj.insert("description".into(), json!(text));
                }
            }
            properties.insert(f.wire.clone(), schema);
            if f.required {
                required.push(json!(f.wire));
            }
        }
        let mut out = Map::new();
        out.insert("type".into(), json!("object"));
        out.insert("properties".into(), Value::Object(properties));
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        out.insert("additionalProperties".into(), json!(open));
        Value::Object(out)
    }

    /// The schema of a value of type `ty`.
    fn ty(&mut self, ty: &Ty) -> Value {
        match ty {
            Ty::String => json!({"type": "string"}),
            Ty::Integer => integer_schema(),
            Ty::Float | Ty::Number => json!({"type": "number"}),
            Ty::NumberIn { values, open, .. } => {
                // Open: the values are examples, the document allows others.
                let key = if *open { "examples" } else { "enum" };
                json!({"type": "number", key: values})
            }
            Ty::Boolean => json!({"type": "boolean"}),
            Ty::Json => json!({}),
            Ty::List(elem) => json!({"type": "array", "items": self.ty(elem)}),
            Ty::Nullable(inner) => {
                let inner = self.ty(inner);
                or_null(inner)
            }
            Ty::Enum(name) => match find_type(self.krate, name) {
                Some(TypeDef::Enum(e)) => {
                    let (ty, values) = match &e.values {
                        EnumValues::Str(vs) => {
                            ("string", vs.iter().map(|v| json!(v.wire)).collect())
                        }
                        EnumValues::Int(vs) => {
                            ("integer", vs.iter().map(|v| json!(v.wire)).collect())
                        }
                    };
                    // An open enum's values are examples: the document allows others (an
                    // integer one: any `i64`).
                    if !e.open {
                        json!({"type": ty, "enum": Value::Array(values)})
                    } else if ty == "integer" {
                        let mut schema = integer_schema();
                        schema["examples"] = Value::Array(values);
                        schema
                    } else {
                        json!({"type": ty, "examples": Value::Array(values)})
                    }
                }
                _ => json!({}),
            },
            Ty::Struct(name) => {
                if self.stack.contains(name) {
                    return json!({"$ref": format!("#/$defs/{name}")});
                }
                let Some(def) = find_type(self.krate, name) else {
                    return json!({"type": "object"});
                };
                let (fields, open) = match def {
                    TypeDef::Params(s) => (&s.fields, false),
                    TypeDef::Record(s) => (&s.fields, true),
                    TypeDef::Enum(_) => return json!({}),
                };
                self.stack.push(name.clone());
                let schema = self.object(fields, open);
                self.stack.pop();
                // A struct that refers to itself is defined once and referred to.
                if schema.to_string().contains(&format!("\"#/$defs/{name}\"")) {
                    self.defs.insert(name.clone(), schema);
                    json!({"$ref": format!("#/$defs/{name}")})
                } else {
                    schema
                }
            }
            Ty::Query(_) => self.query(),
            Ty::FieldPath(_) => match &self.entity.search {
                Some(search) if !search.fields.is_empty() => {
                    json!({"type": "string", "enum": search.fields.iter().map(|f| &f.wire).collect::<Vec<_>>()})
                }
                _ => json!({"type": "string"}),
            },
        }
    }

    /// A search query: `filter` (the `condition` definition) and `sort` keys over the
    /// entity's searchable fields.
    fn query(&mut self) -> Value {
        let fields = self
            .entity
            .search
            .as_ref()
            .map(|s| s.fields.as_slice())
            .unwrap_or_default();
        self.defs.insert("condition".into(), condition(fields));
        let paths: Vec<&String> = fields.iter().map(|f| &f.wire).collect();
        let key = if paths.is_empty() {
            json!({"type": "string"})
        } else {
            json!({"enum": paths})
        };
        json!({
            "type": "object",
            "properties": {
                "filter": {
                    "$ref": "#/$defs/condition",
                    "description": "Which records match: one condition (see the definition)."
                },
                "sort": {
                    "type": "array",
                    "description": "Sort keys, first key first: each `{field: \"asc\" | \"desc\"}`.",
                    "items": {
                        "type": "object",
                        "propertyNames": key,
                        "additionalProperties": {"enum": ["asc", "desc"]},
                        "minProperties": 1,
                        "maxProperties": 1
                    }
                }
            },
            "additionalProperties": false
        })
    }
}

/// `schema` or `null`: a `null` type beside the schema's own (and in its `enum`), else (a
/// reference, an object with members) both schemas as `anyOf`; any JSON stays as it is.
fn or_null(schema: Value) -> Value {
    let Value::Object(mut obj) = schema else {
        return schema;
    };
    if obj.is_empty() {
        return Value::Object(obj);
    }
    match obj.get("type") {
        Some(Value::String(t)) if t != "object" => {
            let t = t.clone();
            obj.insert("type".into(), json!([t, "null"]));
            if let Some(Value::Array(values)) = obj.get_mut("enum") {
                values.push(Value::Null);
            }
            Value::Object(obj)
        }
        _ => json!({"anyOf": [Value::Object(obj), {"type": "null"}]}),
    }
}

/// One field operator of the filter language: `{name: {field: value}}`.
struct FieldOperator {
    name: &'static str,
    doc: &'static str,
    /// The field kinds it applies to (as the runtime's typed `Field` offers it).
    applies: fn(FilterKind) -> bool,
    /// The schema of its value for a field of a kind.
    value: fn(FilterKind) -> Value,
}

/// The field operators, in the order descriptions list them.
const FIELD_OPERATORS: &[FieldOperator] = &[
    FieldOperator {
        name: "eq",
        doc: "Equal to: `{field: value}`.",
        applies: any_kind,
        value: value_schema,
    },
    FieldOperator {
        name: "neq",
        doc: "Not equal to: `{field: value}`.",
        applies: any_kind,
        value: value_schema,
    },
    FieldOperator {
        name: "gt",
        doc: "Greater than: `{field: value}` (ordered fields).",
        applies: ordered,
        value: value_schema,
    },
    FieldOperator {
        name: "gte",
        doc: "Greater than or equal to (ordered fields).",
        applies: ordered,
        value: value_schema,
    },
    FieldOperator {
        name: "lt",
        doc: "Less than (ordered fields).",
        applies: ordered,
        value: value_schema,
    },
    FieldOperator {
        name: "lte",
        doc: "Less than or equal to (ordered fields).",
        applies: ordered,
        value: value_schema,
    },
    FieldOperator {
        name: "in",
        doc: "One of the listed values: `{field: [values]}`.",
        applies: any_kind,
        value: values_schema,
    },
    FieldOperator {
        name: "like",
        doc: "SQL-style pattern, `%` any characters: `{field: \"%text%\"}` (text fields).",
        applies: text,
        value: value_schema,
    },
    FieldOperator {
        name: "fuzzy",
        doc: "Approximate text match (text fields).",
        applies: text,
        value: value_schema,
    },
    FieldOperator {
        name: "keyword",
        doc: "Keyword match (text fields).",
        applies: text,
        value: value_schema,
    },
];

fn any_kind(_: FilterKind) -> bool {
    true
}

fn text(kind: FilterKind) -> bool {
    kind == FilterKind::Text
}

/// The operators a field of `kind` allows, by name.
fn operators(kind: FilterKind) -> Vec<&'static str> {
    FIELD_OPERATORS
        .iter()
        .filter(|op| (op.applies)(kind))
        .map(|op| op.name)
        .collect()
}

/// The filter language over `fields`: an object with exactly one operator; each field
/// operator takes an object with exactly one field the operator applies to, and is left out
/// when it applies to none.
fn condition(fields: &[ir::FilterField]) -> Value {
    let mut ops = Map::new();
    for op in FIELD_OPERATORS {
        let props: Map<String, Value> = fields
            .iter()
            .filter(|f| (op.applies)(f.kind))
            .map(|f| (f.wire.clone(), (op.value)(f.kind)))
            .collect();
        if !props.is_empty() {
            ops.insert(
                op.name.into(),
                json!({
                    "description": op.doc,
                    "type": "object",
                    "properties": props,
                    "additionalProperties": false,
                    "minProperties": 1,
                    "maxProperties": 1
                }),
            );
        }
    }
    let nested = json!({"type": "array", "items": {"$ref": "#/$defs/condition"}});
    ops.insert(
        "and".into(),
        with_doc(nested.clone(), "All of the conditions."),
    );
    ops.insert("or".into(), with_doc(nested, "Any of the conditions."));
    ops.insert(
        "not".into(),
        json!({"$ref": "#/$defs/condition", "description": "The condition does not hold."}),
    );
    json!({
        "description": "One search condition: an object with exactly one operator, e.g. `{\"eq\": {\"field\": value}}` or `{\"and\": [..]}`.",
        "type": "object",
        "properties": ops,
        "additionalProperties": false,
        "minProperties": 1,
        "maxProperties": 1
    })
}

fn with_doc(mut schema: Value, doc: &str) -> Value {
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("description".into(), json!(doc));
    }
    schema
}

/// An `i64`: JSON Schema's `integer` has no range of its own, so an agent could send `1e30`.
fn integer_schema() -> Value {
    json!({"type": "integer", "minimum": i64::MIN, "maximum": i64::MAX})
}

/// The value a field of `kind` is compared with (as the runtime's typed `Field` sends it).
fn value_schema(kind: FilterKind) -> Value {
    match kind {
        FilterKind::Text => json!({"type": "string"}),
        FilterKind::Timestamp => json!({"type": "string", "description": "date-time text"}),
        FilterKind::Integer => integer_schema(),
        FilterKind::Number => json!({"type": "number"}),
        FilterKind::Boolean => json!({"type": "boolean"}),
        FilterKind::Json => json!({}),
    }
}

/// A list of values of a field of `kind` (`in`).
fn values_schema(kind: FilterKind) -> Value {
    json!({"type": "array", "items": value_schema(kind)})
}

/// A type declared anywhere in the crate (type names are unique across it).
fn find_type<'a>(krate: &'a Crate, name: &str) -> Option<&'a TypeDef> {
    let name_of = |d: &TypeDef| match d {
        TypeDef::Record(s) | TypeDef::Params(s) => s.name.clone(),
        TypeDef::Enum(e) => e.name.clone(),
    };
    krate
        .entities
        .iter()
        .flat_map(|e| e.types.iter())
        .chain(krate.replication.iter().flatten())
        .find(|d| name_of(d) == name)
}

/// How to narrow a call whose result was cut, from the parameters the action has.
pub fn narrowing(action: &Action) -> String {
    const SIZE: &[&str] = &[
        "limit",
        "per_page",
        "page_size",
        "pageSize",
        "max_results",
        "count",
        "size",
    ];
    let mut hints = Vec::new();
    for f in &action.params.fields {
        if SIZE.contains(&f.wire.as_str()) {
            hints.push(format!("pass a smaller `{}`", f.wire));
        } else if f.wire == "fields" {
            hints.push("list only the fields you need in `fields`".to_string());
        } else if f.wire == "query" && action.search.is_some() {
            hints.push("filter with a narrower `query`".to_string());
        }
    }
    if let Some(param) = action.pagination.as_ref().and_then(Pagination::param) {
        hints.push(format!("page on with `{param}`"));
    }
    if hints.is_empty() {
        "no argument of this tool narrows its result".to_string()
    } else {
        hints.join(", ")
    }
}

/// The connector description: entities, their actions (tool name, required and optional
/// parameters with their types) and searchable fields (with the operators each allows).
pub fn describe(krate: &Crate) -> Value {
    let tools = tools(krate);
    let entities: Vec<Value> = krate
        .entities
        .iter()
        .map(|e| {
            let actions: Vec<Value> = e
                .actions
                .iter()
                .map(|a| {
                    let tool = tools
                        .iter()
                        .find(|t| std::ptr::eq(t.action, a))
                        .map(|t| t.name.clone());
                    let param = |f: &ir::Field| {
                        json!({"name": f.wire, "type": type_name(krate, &f.ty), "description": field_text(f)})
                    };
                    let mut out = json!({
                        "action": a.wire,
                        "tool": tool,
                        "description": plain(&a.doc),
                        "required": a.params.fields.iter().filter(|f| f.required).map(param).collect::<Vec<_>>(),
                        "optional": a.params.fields.iter().filter(|f| !f.required).map(param).collect::<Vec<_>>(),
                    });
                    if let Some(param) = a.pagination.as_ref().and_then(Pagination::param) {
                        out["cursor_param"] = json!(param);
                    }
                    out
                })
                .collect();
            let mut out = json!({
                "name": plain(&e.name),
                "entity": e.wire,
                "actions": actions,
            });
            if let Some(search) = &e.search {
                out["searchable_fields"] = search
                    .fields
                    .iter()
                    .map(|f| {
                        let ops = operators(f.kind);
                        json!({
                            "path": f.wire,
                            "kind": f.kind.type_name().to_lowercase(),
                            "operators": ops,
                            "description": member_text(&f.doc, &f.wire, &f.function),
                        })
                    })
                    .collect();
            }
            out
        })
        .collect();
    json!({"connector": plain(&krate.title), "entities": entities})
}

/// A parameter type in words for [`describe`]: `string`, `array<integer>`, `enum(a|b)`.
fn type_name(krate: &Crate, ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Integer => "integer".into(),
        Ty::Float | Ty::Number => "number".into(),
        Ty::NumberIn { values, open, .. } => {
            let mut values: Vec<String> = values.iter().map(ToString::to_string).collect();
            if *open {
                values.push("...".into());
            }
            format!("enum({})", values.join("|"))
        }
        Ty::Boolean => "boolean".into(),
        Ty::Json => "any".into(),
        Ty::Struct(_) => "object".into(),
        Ty::Enum(name) => match find_type(krate, name) {
            Some(TypeDef::Enum(e)) => {
                let mut values: Vec<String> = match &e.values {
                    EnumValues::Str(vs) => vs.iter().map(|v| v.wire.clone()).collect(),
                    EnumValues::Int(vs) => vs.iter().map(|v| v.wire.to_string()).collect(),
                };
                // An open enum: the values are examples, another is accepted too.
                if e.open {
                    values.push("...".into());
                }
                format!("enum({})", values.join("|"))
            }
            _ => "string".into(),
        },
        Ty::List(elem) => format!("array<{}>", type_name(krate, elem)),
        Ty::Nullable(inner) => format!("{}|null", type_name(krate, inner)),
        Ty::Query(_) => "search query".into(),
        Ty::FieldPath(_) => "field path".into(),
    }
}

/// A field's description as plain text; empty when the document gives none (the generator's
/// fallback doc, [`crate::docs::undescribed`], says nothing a model needs).
fn field_text(f: &ir::Field) -> String {
    member_text(&f.doc, &f.wire, &f.rust)
}

/// [`field_text`] of a member's `doc`, JSON name `wire` and Rust name `rust`.
fn member_text(doc: &str, wire: &str, rust: &str) -> String {
    if doc == crate::docs::undescribed(wire, rust) {
        String::new()
    } else {
        plain(doc)
    }
}

/// Doc Markdown of the IR as plain text: the escapes of [`crate::docs::sanitize`] removed and
/// its URL brackets dropped (it escapes every literal `<` and `>`, so an unescaped one is a
/// bracket it added).
pub fn plain(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut chars = doc.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '<' | '>' => {}
            c => out.push(c),
        }
    }
    out
}

/// How a caller pages through an action's results, for its tool description.
fn paging_help(p: &Pagination, output: &Output) -> Option<String> {
    // A hits search carries its cursor beside the hits; every other page in `meta`.
    let member = |m: &str| match output {
        Output::SearchHits { .. } => format!("`{m}`"),
        _ => format!("`meta.{m}`"),
    };
    let end = |e: &PageEnd| match e {
        PageEnd::Empty => "an empty page is the end".to_string(),
        PageEnd::Absent(m) => format!("when `meta.{m}` is absent there are no more pages"),
        PageEnd::False(m) => format!("when `meta.{m}` is false there are no more pages"),
        PageEnd::True(m) => format!("when `meta.{m}` is true there are no more pages"),
        PageEnd::Count(m) => format!("`meta.{m}` is the number of pages"),
    };
    let text = match p {
        Pagination::Unknown { .. } => return None,
        Pagination::Cursor { param, next, more } => match more {
            Some(m) => format!(
                "call again with `{param}` set to the result's {} while {} is true",
                member(next),
                member(m)
            ),
            None => format!(
                "call again with `{param}` set to the result's {}; when it is absent there are no more pages",
                member(next)
            ),
        },
        Pagination::Page { param, end: e, .. } => {
            format!("call again with `{param}` one higher; {}", end(e))
        }
        Pagination::Offset { param, .. } => format!(
            "call again with `{param}` advanced by the number of records received; an empty page is the end"
        ),
        Pagination::LastId { param, id, end: e, .. } => format!(
            "call again with `{param}` set to the last record's `{id}`; {}",
            end(e)
        ),
        Pagination::NextUrl { param, next, .. } => format!(
            "call again with `{param}` set to its value in the query string of the result's `meta.{next}`; when it is absent there are no more pages"
        ),
        // The URL's query parameters are not arguments of the tool.
        Pagination::NextUrlQuery { next } => {
            return Some(format!(
                "Results come in pages: the result's `meta.{next}` is the URL of the next page, whose query parameters this tool does not take, so it returns the first page only."
            ))
        }
    };
    Some(format!(
        "Results come in pages: to get the next page, {text}."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_valid() {
        assert_eq!(snake("contacts"), "contacts");
        assert_eq!(snake("Context Store Search"), "context_store_search");
        assert_eq!(snake("adAccounts"), "ad_accounts");
        assert_eq!(snake("__"), "x");
        assert_eq!(cut(&"a".repeat(70), 64).len(), 64);
    }

    #[test]
    fn plain_text_drops_rustdoc_escapes() {
        assert_eq!(plain("next\\_cursor \\<id\\>"), "next_cursor <id>");
        assert_eq!(
            plain("see <https://x.io/a_b>. ok"),
            "see https://x.io/a_b. ok"
        );
        assert_eq!(plain("a \\> b"), "a > b");
    }
}
