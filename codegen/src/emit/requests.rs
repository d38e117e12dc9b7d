//! One module per entity: its types, one params struct, `Action` impl and request builder per
//! action, the entity handle, and the typed filter fields of its search.

use proc_macro2::TokenStream;
use quote::quote;

use super::records::{self, input, many_args};
use super::{doc, doc_lines, ident, type_text, Chunk, Uses};
use crate::ir::{Action, Entity, Output, PageEnd, Pagination, SearchIndex};

/// The chunks of an entity's module file.
pub(super) fn entity_module(entity: &Entity, connector: &str) -> Vec<Chunk> {
    let mut uses = Uses::default();
    let mut body = Vec::new();
    for def in &entity.types {
        body.extend(records::type_def(def, &mut uses));
    }
    if let Some(search) = &entity.search {
        body.push(Chunk::Tokens(marker(search, entity, &mut uses)));
    }
    for a in &entity.actions {
        body.extend(action(a, &entity.wire, &mut uses));
    }
    body.push(Chunk::Tokens(handle(entity, connector, &mut uses)));
    if let Some(search) = &entity.search {
        body.push(Chunk::Tokens(fields_module(search, &entity.name)));
    }
    body.push(Chunk::Tokens(super::paths::paths_module(entity)));
    let mut chunks = vec![Chunk::Tokens(uses.items())];
    chunks.extend(body);
    chunks
}

/// The marker type of an entity's searchable fields, and its `Searchable` impl when the
/// entity has the standard search.
fn marker(search: &SearchIndex, entity: &Entity, uses: &mut Uses) -> TokenStream {
    let id = ident(&search.marker);
    let text = doc(&format!(
        "The searchable fields of {}: the type parameter of its filters, sorts and \
         field paths, which keeps one entity's fields out of another's queries.",
        entity.name
    ));
    let searchable = entity
        .actions
        .iter()
        .find_map(|a| match &a.output {
            Output::SearchHits { record } if a.standard_search => Some(ident(record)),
            _ => None,
        })
        .map(|record| {
            let trait_ = uses.rt("Searchable");
            let wire = &entity.wire;
            quote! {
                impl #trait_ for #id {
                    const ENTITY: &'static str = #wire;
                    type Record = #record;
                }
            }
        });
    quote! {
        #text
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct #id;
        #searchable
    }
}

/// The type aliases naming the runtime's generic standard search for one entity.
fn standard_search(a: &Action, uses: &mut Uses) -> TokenStream {
    let marker = ident(a.search.as_deref().unwrap_or_default());
    let params = ident(&a.params.name);
    let builder = ident(&a.builder);
    let params_doc = doc(&a.params.doc);
    let builder_doc = doc(&a.doc);
    let search = uses.rt("Search");
    let search_params = uses.rt("SearchParams");
    quote! {
        #params_doc
        pub type #params = #search_params<#marker>;
        #builder_doc
        pub type #builder = #search<#marker>;
    }
}

/// The params struct and the `request!` invocation (its `Action` and `Paginated` impls and
/// request builder) of one action, with the setters of its optional parameters.
fn action(a: &Action, entity_wire: &str, uses: &mut Uses) -> Vec<Chunk> {
    if a.standard_search {
        return vec![Chunk::Tokens(standard_search(a, uses))];
    }
    let params = records::params(&a.params, false, uses);
    let builder = ident(&a.builder);
    let output = type_text(output_type(&a.output, uses));
    let request = uses.rt("request");
    let tail = match paging(a, uses) {
        Some(paging) => {
            let item = type_text(item_type(&a.output, uses));
            format!("    stream {item}: {paging};\n")
        }
        None if a.output == Output::Bytes => "    download;\n".to_owned(),
        None => String::new(),
    };
    let invocation = format!(
        "{request}! {{\n{}    pub struct {}({}) -> {output};\n    \
         entity = {entity_wire:?}, action = {:?}, idempotent = {};\n{tail}}}\n",
        doc_lines(&a.doc, 4),
        a.builder,
        a.params.name,
        a.wire,
        a.idempotent,
    );
    let mut methods = records::optional_setters(&a.params.fields, quote!(self.params), uses);
    if let Some(marker) = &a.search {
        if let Some(q) = a.params.fields.iter().find(|f| f.wire == "query") {
            let sort = uses.name("airbyte_agent_runtime::filter", "Sort");
            let marker = ident(marker);
            let q = ident(&q.rust);
            let take = if a
                .params
                .fields
                .iter()
                .any(|f| f.wire == "query" && f.required)
            {
                quote!(self.params.#q = std::mem::take(&mut self.params.#q).sort(sort);)
            } else {
                quote!(self.params.#q = Some(self.params.#q.take().unwrap_or_default().sort(sort));)
            };
            methods.push(quote! {
                /// Adds a sort key to the query, e.g. `fields::created_at().desc()`.
                pub fn sort(mut self, sort: #sort<#marker>) -> Self {
                    #take
                    self
                }
            });
        }
    }
    let builder_impl = if methods.is_empty() {
        quote!()
    } else {
        quote! {
            impl #builder {
                #(#methods)*
            }
        }
    };
    vec![
        Chunk::Tokens(params),
        Chunk::Text(invocation),
        Chunk::Tokens(builder_impl),
    ]
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

/// The entity handle: one method per action, required parameters as arguments.
fn handle(entity: &Entity, connector: &str, uses: &mut Uses) -> TokenStream {
    let handle = ident(&entity.handle);
    let client = uses.rt("Client");
    let text = doc(&format!(
        "The actions of {} (`{}`), from [`{connector}::{}`](crate::{connector}::{}).",
        entity.name, entity.wire, entity.accessor, entity.accessor
    ));
    let methods = entity.actions.iter().map(|a| {
        let method = ident(&a.method);
        let builder = ident(&a.builder);
        let params = ident(&a.params.name);
        let mut args = Vec::new();
        let mut names = Vec::new();
        for f in a.required() {
            let id = ident(&f.rust);
            let (arg, _) = input(&f.ty, quote!(#id), uses);
            args.push(quote!(#id: #arg));
            names.push(id);
        }
        let allow = many_args(args.len());
        let method_doc = doc(&a.doc);
        let params = if names.is_empty() {
            quote!(#params::default())
        } else {
            quote!(#params::new(#(#names),*))
        };
        quote! {
            #method_doc
            #allow
            pub fn #method(&self, #(#args),*) -> #builder {
                #builder::new(self.client.clone(), #params)
            }
        }
    });
    quote! {
        #text
        #[derive(Debug, Clone)]
        pub struct #handle {
            client: #client,
        }
        impl #handle {
            /// A handle sending through `client`.
            pub fn new(client: #client) -> Self {
                Self { client }
            }
            #(#methods)*
        }
    }
}

/// The `fields` module of a searchable entity: one typed handle per searchable field.
fn fields_module(search: &SearchIndex, entity: &str) -> TokenStream {
    let marker = ident(&search.marker);
    let mut kinds: Vec<_> = search.fields.iter().map(|f| f.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    let kinds = kinds.into_iter().map(|k| ident(k.type_name()));
    let fns = search.fields.iter().map(|f| {
        let id = ident(&f.function);
        let kind = ident(f.kind.type_name());
        let wire = &f.wire;
        let field_doc = doc(&f.doc);
        quote! {
            #field_doc
            pub const fn #id() -> Field<#marker, #kind> {
                Field::new(#wire)
            }
        }
    });
    // Only snake_case functions live in this module, so these imports cannot clash.
    let imports = if search.fields.is_empty() {
        quote!()
    } else {
        quote! {
            use airbyte_agent_runtime::filter::{Field, #(#kinds),*};
            use super::#marker;
        }
    };
    let text = doc(&format!(
        "Typed handles of the searchable fields of {entity}: `fields::name().eq(\"x\")`."
    ));
    quote! {
        #text
        pub mod fields {
            #imports
            #(#fns)*
        }
    }
}
