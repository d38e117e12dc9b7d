//! One module per entity: its types (the entity record's declaration also writes the `paths`
//! module, the search record's the `fields` module), then one `actions!` block declaring the
//! entity handle and, per action, its params struct, `Action` impl and request builder.

use proc_macro2::TokenStream;
use quote::quote;

use super::records::{self, Clause};
use super::{doc_lines, ident, type_text, Chunk, Uses};
use crate::ir::{Action, Entity, Field, Output, PageEnd, Pagination, Ty, TypeDef};

/// The chunks of an entity's module file.
pub(super) fn entity_module(entity: &Entity, connector: &str) -> Vec<Chunk> {
    let mut uses = Uses::default();
    let mut body = Vec::new();
    for def in &entity.types {
        let clause = match def {
            TypeDef::Record(s) if entity.record.as_ref() == Some(&s.name) => {
                Clause::Paths(&entity.paths)
            }
            TypeDef::Record(s) => match &entity.search {
                Some(search) if search.record == s.name => Clause::Fields(search),
                _ => Clause::None,
            },
            _ => Clause::None,
        };
        body.extend(records::type_def(def, clause, &mut uses));
    }
    body.push(Chunk::Text(actions(entity, connector, &mut uses)));
    body.extend(entity.actions.iter().filter_map(|a| sort(a, &mut uses)));
    let mut chunks = vec![Chunk::Tokens(uses.items())];
    chunks.extend(body);
    chunks
}

/// The entity's `actions!` block: its handle (the struct and the connector's method returning
/// it), then each action (params struct with a member per parameter, `Action` and `Paginated`
/// impls, request builder with the setters of its optional parameters, and the handle's
/// method).
fn actions(entity: &Entity, connector: &str, uses: &mut Uses) -> String {
    let actions = uses.rt("actions");
    uses.name("crate", connector);
    let mut block = format!(
        "{actions}! {{\n{}    pub struct {} = {:?} for {connector}::{};\n",
        doc_lines(&format!("The actions of {}.", entity.name), 4),
        entity.handle,
        entity.wire,
        entity.accessor,
    );
    for a in &entity.actions {
        block.push('\n');
        block.push_str(&doc_lines(&a.doc, 4));
        block.push_str(&action(a, uses));
    }
    block.push_str("}\n");
    block
}

/// One action of an `actions!` block: `read get: GetContact(GetContactParams) -> Contact {
/// .. }` with its paging or download clause, or the standard search naming the runtime's
/// generic builder.
fn action(a: &Action, uses: &mut Uses) -> String {
    let verb = if a.idempotent { "read" } else { "write" };
    let method = match a.wire == a.method {
        true => a.method.clone(),
        false => format!("{} = {:?}", a.method, a.wire),
    };
    if let (true, Output::SearchHits { record }) = (a.standard_search, &a.output) {
        let marker = a.search.as_deref().unwrap_or_default();
        return format!(
            "    {verb} {method}: {}({}) = Search<{marker}> -> SearchHits<{record}>;\n",
            a.builder, a.params.name,
        );
    }
    let output = type_text(output_type(&a.output, uses));
    let tail = match paging(a, uses) {
        Some(paging) => {
            let item = type_text(item_type(&a.output, uses));
            format!("    stream {item}: {paging};\n")
        }
        None if a.output == Output::Bytes => "    download;\n".to_owned(),
        None => String::new(),
    };
    let members: String = a
        .params
        .fields
        .iter()
        .map(|f| {
            format!(
                "{}        {:?} => {}: {},\n",
                doc_lines(&f.doc, 8),
                f.wire,
                f.rust,
                member_type(f, uses)
            )
        })
        .collect();
    let members = if members.is_empty() {
        "{}".to_owned()
    } else {
        format!("{{\n{members}    }}")
    };
    format!(
        "    {verb} {method}: {}({}) -> {output} {members}\n{tail}",
        a.builder, a.params.name,
    )
}

/// A search's `sort` setter, for a search with its own params (the standard search has it).
fn sort(a: &Action, uses: &mut Uses) -> Option<Chunk> {
    if a.standard_search {
        return None;
    }
    let marker = a.search.as_ref()?;
    let q = a.params.fields.iter().find(|f| f.wire == "query")?;
    let builder = ident(&a.builder);
    let sort = uses.name("airbyte_agent_runtime::filter", "Sort");
    let marker = ident(marker);
    let field = ident(&q.rust);
    let take = if q.required {
        quote!(self.params.#field = std::mem::take(&mut self.params.#field).sort(sort);)
    } else {
        quote!(self.params.#field = Some(self.params.#field.take().unwrap_or_default().sort(sort));)
    };
    Some(Chunk::Tokens(quote! {
        impl #builder {
            /// Adds a sort key to the query, e.g. `fields::created_at().desc()`.
            pub fn sort(mut self, sort: #sort<#marker>) -> Self {
                #take
                self
            }
        }
    }))
}

/// A parameter as a member of `request!`: `T` or `[T]` (a list) when required (`Nullable<T>`
/// when it may be `null`), `Option<T>` or `Option<[T]>` when optional.
fn member_type(f: &Field, uses: &mut Uses) -> String {
    if let (true, Ty::Nullable(inner)) = (f.required, &f.ty) {
        return format!("Nullable<{}>", type_text(uses.ty(inner)));
    }
    let ty = match &f.ty {
        Ty::List(elem) => format!("[{}]", type_text(uses.ty(elem))),
        ty => type_text(uses.ty(ty)),
    };
    if f.required {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

/// The paging style of an action as `request!` takes it, the runtime's `Paging` variant
/// (`Cursor { param: "cursor", next: "next_cursor", more: None }`): its parameter and Meta
/// members, which the runtime interprets; `None` when the action does not stream.
fn paging(a: &Action, uses: &mut Uses) -> Option<String> {
    let opt = |m: &Option<String>| match m {
        Some(m) => format!("Some({m:?})"),
        None => "None".to_owned(),
    };
    Some(match a.pagination.as_ref()? {
        Pagination::Unknown { .. } => return None,
        Pagination::Cursor { param, next, more } => {
            format!(
                "Cursor {{ param: {param:?}, next: {next:?}, more: {} }}",
                opt(more)
            )
        }
        Pagination::Page {
            param, first, end, ..
        } => {
            let end = page_end(end, uses);
            format!("Page {{ param: {param:?}, first: {first}, end: {end} }}")
        }
        Pagination::Offset { param, .. } => format!("Offset {{ param: {param:?} }}"),
        Pagination::LastId {
            param,
            id,
            integer,
            end,
        } => {
            let end = page_end(end, uses);
            format!("LastId {{ param: {param:?}, id: {id:?}, integer: {integer}, end: {end} }}")
        }
        Pagination::NextUrl {
            param,
            next,
            integer,
        } => format!("NextUrl {{ param: {param:?}, next: {next:?}, integer: {integer} }}"),
        Pagination::NextUrlQuery { next } => {
            let documented: Vec<String> = a
                .params
                .fields
                .iter()
                .map(|f| format!("{:?}", f.wire))
                .collect();
            format!(
                "NextUrlQuery {{ next: {next:?}, documented: &[{}] }}",
                documented.join(", ")
            )
        }
    })
}

/// The end condition of a page-number or last-id style (`PageEnd::Absent("next")`).
fn page_end(end: &PageEnd, uses: &mut Uses) -> String {
    let ty = uses.rt("PageEnd");
    match end {
        PageEnd::Empty => format!("{ty}::Empty"),
        PageEnd::Absent(m) => format!("{ty}::Absent({m:?})"),
        PageEnd::False(m) => format!("{ty}::False({m:?})"),
        PageEnd::True(m) => format!("{ty}::True({m:?})"),
        PageEnd::Count(m) => format!("{ty}::Count({m:?})"),
    }
}

/// The output type of an action.
fn output_type(output: &Output, uses: &mut Uses) -> TokenStream {
    match output {
        Output::ListPage { record, meta } => {
            let page = uses.rt("ListPage");
            let record = uses.ty(record);
            let meta = uses.ty(meta);
            quote!(#page<#record, #meta>)
        }
        Output::SearchHits { record } => {
            let hits = uses.rt("SearchHits");
            let record = ident(record);
            quote!(#hits<#record>)
        }
        Output::SearchPage { record } => {
            let page = uses.rt("SearchPage");
            let record = ident(record);
            quote!(#page<#record>)
        }
        Output::Record(ty) => uses.ty(ty),
        Output::Bytes => {
            let bytes = uses.name("bytes", "Bytes");
            quote!(#bytes)
        }
    }
}

/// One item of a paginated action's stream.
fn item_type(output: &Output, uses: &mut Uses) -> TokenStream {
    match output {
        Output::ListPage { record, .. } => uses.ty(record),
        Output::SearchHits { record } => {
            let hit = uses.rt("Hit");
            let record = ident(record);
            quote!(#hit<#record>)
        }
        Output::SearchPage { record } => {
            let record = ident(record);
            quote!(#record)
        }
        Output::Record(ty) => uses.ty(ty),
        Output::Bytes => quote!(()),
    }
}
