//! One module per entity: its record types, one params struct and request builder per action,
//! the entity handle, and the typed filter fields of its search.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::names::{self, ident, Scope};
use super::records::{self, FieldDef, Flavor, Module};
use super::EmitError;
use crate::model::{Action, ActionKind, Entity, Field, Response, Search, SearchEnvelope};
use crate::types::Type;

/// Names of cursor parameters, in order of preference.
const CURSOR_PARAMS: &[&str] = &[
    "starting_after",
    "cursor",
    "page_token",
    "pageToken",
    "after",
    "next_page_token",
    "nextPageToken",
    "page[cursor]",
    "page_cursor",
    "next_cursor",
];
/// Names of next-cursor meta fields, in order of preference.
const NEXT_CURSOR_META: &[&str] = &[
    "next_page",
    "next_cursor",
    "next",
    "nextPageToken",
    "next_page_token",
    "endCursor",
    "cursor",
    "after",
    "next_page_cursor",
];

/// The names an entity module exports that the crate root refers to.
pub struct EntityModule {
    /// Module name.
    pub module: String,
    /// Handle type name.
    pub handle: String,
    /// File contents (tokens).
    pub tokens: TokenStream,
}

/// Merges the Records tables of an entity's record-returning actions: fields of all, first
/// occurrence wins; a name documented with two types becomes `any`.
fn merge(into: &mut Vec<Field>, from: &[Field]) {
    for f in from {
        match into.iter_mut().find(|g| g.name == f.name) {
            Some(g) => {
                if g.ty != f.ty {
                    g.ty = Type::Any;
                    g.fields.clear();
                } else {
                    merge(&mut g.fields, &f.fields);
                }
                g.nullable |= f.nullable;
            }
            None => into.push(f.clone()),
        }
    }
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
    }
}

/// Generates the module of one entity.
pub fn entity_module(entity: &Entity, module_name: &str) -> Result<EntityModule, EmitError> {
    let mut m = Module {
        types: Scope::with(names::RESERVED_TYPES),
        items: Vec::new(),
    };
    let handle = m.types.pascal(&format!("{} api", entity.name), "Api");
    // Marker of the searchable entity, named before anything else takes the name.
    let search = entity.actions.iter().find_map(|a| match &a.response {
        Some(Response::Search(s)) if a.kind == ActionKind::Search => Some(s),
        _ => None,
    });
    let marker = search.map(|_| m.types.pascal("Searchable", "Searchable"));

    // The entity record: all Records tables of the entity merged.
    let mut merged: Vec<Field> = Vec::new();
    let mut sources = Vec::new();
    for a in &entity.actions {
        if let Some(Response::Records { records, .. }) = &a.response {
            if !records.is_empty() {
                merge(&mut merged, records);
                sources.push(a.label.clone());
            }
        }
    }
    let record = if merged.is_empty() {
        None
    } else {
        let name = m.types.pascal(&names::singular(&entity.name), "Record");
        let mut text = format!("One {} record.", entity.name);
        if sources.len() > 1 {
            text.push_str(&format!(
                "\n\nMerged from the Records tables of {}: it has the fields of all of them.",
                sources.join(", ")
            ));
        }
        let doc = docs::doc(&text, "");
        m.structure(&name, doc, &merged, Flavor::Record)?;
        Some(ident(&name))
    };

    // The search hit payload and the typed filter fields.
    let mut search_record = None;
    let mut fields_module = quote!();
    if let (Some(search), Some(marker)) = (search, &marker) {
        let name = m.types.pascal("Search Record", "SearchRecord");
        let doc = docs::raw(&format!(
            "A record as the search index returns it (the Searchable Fields of {}).",
            docs::sanitize(&entity.name)
        ));
        // Searchable field names are literal keys, never paths.
        let flat: Vec<Field> = search
            .fields
            .iter()
            .map(|f| Field {
                fields: Vec::new(),
                ..f.clone()
            })
            .collect();
        m.structure(&name, doc, &flat, Flavor::Record)?;
        search_record = Some(ident(&name));
        fields_module = filter_fields(search, marker, &entity.name);
        let marker_id = ident(marker);
        let marker_doc = docs::raw(&format!(
            "Marker type of {} search filters, sorts and field paths.",
            docs::sanitize(&entity.name)
        ));
        m.items.push(quote! {
            #marker_doc
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #marker_id;
        });
    }

    let mut methods = Scope::with(&["client", "new"]);
    let mut handle_methods = Vec::new();
    for action in &entity.actions {
        let method = methods.snake(&action.name, "action");
        let (builder, args, call_args) = action_items(
            &mut m,
            entity,
            action,
            record.as_ref(),
            search_record.as_ref(),
            marker.as_deref(),
        )?;
        let method_id = ident(&method);
        let builder_id = ident(&builder);
        let doc = docs::doc(
            &action.description,
            &format!("The {} action.", docs::code(&action.name)),
        );
        let allow = records::many_args(args.len());
        handle_methods.push(quote! {
            #doc
            #allow
            pub fn #method_id(&self, #( #args ),*) -> #builder_id {
                #builder_id::new(self.client.clone(), #( #call_args ),*)
            }
        });
    }
    let handle_id = ident(&handle);
    let handle_doc = docs::raw(&format!(
        "The actions of {} ({}); get one from the connector client.",
        docs::sanitize(&entity.name),
        docs::code(&entity.id)
    ));
    m.items.push(quote! {
        #handle_doc
        #[derive(Debug, Clone)]
        pub struct #handle_id {
            client: ::airbyte_agent_runtime::Client,
        }
        impl #handle_id {
            /// A handle sending through `client`.
            pub fn new(client: ::airbyte_agent_runtime::Client) -> Self {
                Self { client }
            }
            #( #handle_methods )*
        }
    });
    let items = &m.items;
    let tokens = quote! {
        #( #items )*
        #fields_module
    };
    Ok(EntityModule {
        module: module_name.to_string(),
        handle,
        tokens,
    })
}

/// Params struct, Action (and Paginated) impls and the request builder of one action.
/// Returns the builder name, the handle method's arguments and the names passed on.
fn action_items(
    m: &mut Module,
    entity: &Entity,
    action: &Action,
    record: Option<&proc_macro2::Ident>,
    search_record: Option<&proc_macro2::Ident>,
    marker: Option<&str>,
) -> Result<(String, Vec<TokenStream>, Vec<TokenStream>), EmitError> {
    let base = names::pascal(&action.name, "Action");
    let params_name = m.types.unique(&format!("{base}Params"));
    let builder_name = m.types.unique(&format!("{base}Request"));
    let params_id = ident(&params_name);
    let builder_id = ident(&builder_name);

    // Parameters: search queries and field lists get the typed runtime types.
    let is_search = action.kind == ActionKind::Search;
    if is_search && !matches!(action.response, Some(Response::Search(_))) {
        return Err(EmitError::new(
            action.line,
            format!(
                "search action `{}` of `{}` has no Searchable Fields and search response; cannot type its query",
                action.name, entity.name
            ),
        ));
    }
    if !is_search && matches!(action.response, Some(Response::Search(_))) {
        return Err(EmitError::new(
            action.line,
            format!(
                "`{}` of `{}` has a search response but is a {} action",
                action.name,
                entity.name,
                kind_name(action.kind)
            ),
        ));
    }
    let mut params = action.params.clone();
    if is_search {
        // `query.filter` and `query.sort` are typed by the runtime's `Query`.
        for p in params.iter_mut().filter(|p| p.name == "query") {
            p.fields.clear();
        }
    }
    let mut defs = m.fields(&base, &params, Flavor::Params)?;
    let marker_ty = marker.map(|mk| {
        let id = ident(mk);
        quote!(#id)
    });
    if let (true, Some(mk)) = (is_search, &marker_ty) {
        for d in defs.iter_mut() {
            if d.json == "query" {
                d.ty = quote!(::airbyte_agent_runtime::filter::Query<#mk>);
                d.input = records::Input::Into;
            } else if d.json == "fields" {
                d.ty = quote!(Vec<::airbyte_agent_runtime::filter::FieldPath<#mk>>);
                d.input =
                    records::Input::Iter(quote!(::airbyte_agent_runtime::filter::FieldPath<#mk>));
            }
        }
    }
    let params_doc = docs::raw(&format!(
        "Parameters of {} {}, serialised as the request's `params`.",
        docs::code(&entity.id),
        docs::code(&action.name)
    ));
    m.items
        .push(params_struct_tokens(&params_name, &params_doc, &defs));

    // Output and decoding.
    let (output, decode) = match (&action.response, action.kind) {
        (_, ActionKind::Download) => (quote!(::bytes::Bytes), quote!(bytes)),
        (Some(Response::Search(s)), _) => {
            let rec = search_record.expect("a search action has a search record");
            match s.envelope {
                SearchEnvelope::Hits => (
                    quote!(::airbyte_agent_runtime::SearchHits<#rec>),
                    quote!(search_hits),
                ),
                SearchEnvelope::DataMeta => (
                    quote!(::airbyte_agent_runtime::SearchPage<#rec>),
                    quote!(search_page),
                ),
            }
        }
        (response, ActionKind::List | ActionKind::ApiSearch) => {
            let rec = match (response, record) {
                (Some(Response::Records { records, .. }), Some(r)) if !records.is_empty() => {
                    quote!(#r)
                }
                _ => quote!(::serde_json::Value),
            };
            let meta = match response {
                Some(Response::Records { meta, .. }) if !meta.is_empty() => {
                    let name = m.types.unique(&format!("{base}Meta"));
                    let doc =
                        docs::raw(&format!("Metadata of a {} page.", docs::code(&action.name)));
                    m.structure(&name, doc, meta, Flavor::Record)?;
                    let id = ident(&name);
                    quote!(#id)
                }
                _ => quote!(::serde_json::Value),
            };
            (
                quote!(::airbyte_agent_runtime::ListPage<#rec, #meta>),
                quote!(list_page),
            )
        }
        (response, _) => match (response, record) {
            (Some(Response::Records { records, .. }), Some(r)) if !records.is_empty() => {
                (quote!(#r), quote!(record))
            }
            _ => (quote!(::serde_json::Value), quote!(record)),
        },
    };
    let entity_lit = &entity.id;
    let action_lit = &action.name;
    let idempotent = action.kind.is_read();
    let mut impls = quote! {
        impl ::airbyte_agent_runtime::Action for #params_id {
            const ENTITY: &'static str = #entity_lit;
            const ACTION: &'static str = #action_lit;
            const IDEMPOTENT: bool = #idempotent;
            type Output = #output;
            fn decode(body: ::bytes::Bytes) -> Result<Self::Output, ::airbyte_agent_runtime::DecodeError> {
                ::airbyte_agent_runtime::decode::#decode(body)
            }
        }
    };

    // Pagination.
    let cursor_param = CURSOR_PARAMS.iter().find_map(|name| {
        let p = action.params.iter().position(|p| p.name == *name)?;
        matches!(action.params[p].ty, Type::String { .. }).then_some(p)
    });
    let mut paginated = None;
    if let Some(p) = cursor_param {
        let cursor_id = ident(&defs[p].ident);
        let set = if defs[p].required {
            quote!(self.#cursor_id = cursor;)
        } else {
            quote!(self.#cursor_id = Some(cursor);)
        };
        let split = match (&action.response, action.kind) {
            (
                Some(Response::Search(Search {
                    envelope: SearchEnvelope::Hits,
                    ..
                })),
                _,
            ) => Some((
                quote!(::airbyte_agent_runtime::Hit<#search_record>),
                quote! {
                    let next = output.next_cursor.clone().filter(|c| !c.is_empty());
                    (output.hits, next)
                },
            )),
            (Some(Response::Search(_)), _) => Some((
                quote!(#search_record),
                quote! {
                    let next = output.next_cursor().filter(|c| !c.is_empty()).map(ToOwned::to_owned);
                    (output.data, next)
                },
            )),
            (
                Some(Response::Records { records, meta }),
                ActionKind::List | ActionKind::ApiSearch,
            ) => {
                let next = NEXT_CURSOR_META.iter().find_map(|name| {
                    let i = meta.iter().position(|f| f.name == *name)?;
                    matches!(meta[i].ty, Type::String { .. }).then_some(i)
                });
                next.map(|i| {
                    let meta_defs = records::FieldDef::ident_of(meta, i);
                    let meta_field = ident(&meta_defs);
                    let item = match record {
                        Some(r) if !records.is_empty() => quote!(#r),
                        _ => quote!(::serde_json::Value),
                    };
                    (
                        item,
                        quote! {
                            let next = match output.meta.#meta_field {
                                Some(::airbyte_agent_runtime::lenient::Lenient::Known(c)) if !c.is_empty() => Some(c),
                                _ => None,
                            };
                            (output.records, next)
                        },
                    )
                })
            }
            _ => None,
        };
        if let Some((item, body)) = split {
            impls.extend(quote! {
                impl ::airbyte_agent_runtime::Paginated for #params_id {
                    type Item = #item;
                    fn into_items(output: Self::Output) -> (Vec<Self::Item>, Option<String>) {
                        #body
                    }
                    fn set_cursor(&mut self, cursor: String) {
                        #set
                    }
                }
            });
            paginated = Some(item);
        }
    }
    m.items.push(impls);

    // The request builder.
    let (args, inits) = records::constructor_parts(&defs);
    let call_args: Vec<TokenStream> = defs
        .iter()
        .filter(|d| d.required)
        .map(|d| {
            let id = ident(&d.ident);
            quote!(#id)
        })
        .collect();
    let allow = records::many_args(args.len() + 1);
    let setters = defs.iter().filter(|d| !d.required).map(|d| {
        let id = ident(&d.ident);
        let (arg, conv) = records::setter_parts(d);
        let doc = &d.doc;
        quote! {
            #doc
            pub fn #id(mut self, value: #arg) -> Self {
                self.params.#id = Some(#conv);
                self
            }
        }
    });
    let mut extra_methods = quote!();
    if let (true, Some(mk)) = (is_search, &marker_ty) {
        if let Some(q) = defs.iter().find(|d| d.json == "query") {
            let q_id = ident(&q.ident);
            let take = if q.required {
                quote!(self.params.#q_id = ::std::mem::take(&mut self.params.#q_id).sort(sort);)
            } else {
                quote!(self.params.#q_id = Some(self.params.#q_id.take().unwrap_or_default().sort(sort));)
            };
            extra_methods.extend(quote! {
                /// Adds a sort key to the query, e.g. `fields::created_at().desc()`.
                pub fn sort(mut self, sort: ::airbyte_agent_runtime::filter::Sort<#mk>) -> Self {
                    #take
                    self
                }
            });
        }
    }
    if let Some(item) = &paginated {
        extra_methods.extend(quote! {
            /// Streams the items of this page and all following pages, one page in memory at
            /// a time.
            pub fn stream(self) -> impl ::futures::Stream<Item = Result<#item, ::airbyte_agent_runtime::Error>> + Send + 'static {
                self.client.paginate(self.params)
            }
        });
    }
    let builder_doc = docs::doc(
        &action.description,
        &format!("The {} action.", docs::code(&action.name)),
    );
    let sort_reserved = is_search && defs.iter().any(|d| d.ident == "sort");
    if sort_reserved {
        return Err(EmitError::new(
            action.line,
            format!(
                "search action `{}` has a parameter named `sort`, which clashes with the query's sort setter",
                action.name
            ),
        ));
    }
    m.items.push(quote! {
        #builder_doc
        ///
        /// Required parameters are constructor arguments, optional ones setters; `send()` runs it.
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder_id {
            client: ::airbyte_agent_runtime::Client,
            params: #params_id,
        }
        impl #builder_id {
            /// A request sent through `client`.
            #allow
            pub fn new(client: ::airbyte_agent_runtime::Client, #( #args ),*) -> Self {
                Self { client, params: #params_id { #( #inits ),* } }
            }
            #( #setters )*
            #extra_methods
            /// The parameters as they will be sent.
            pub fn params(&self) -> &#params_id {
                &self.params
            }
            /// The parameters, e.g. to send them with another client.
            pub fn into_params(self) -> #params_id {
                self.params
            }
            /// Sends the request.
            pub async fn send(self) -> Result<#output, ::airbyte_agent_runtime::Error> {
                self.client.execute(&self.params).await
            }
        }
    });
    Ok((builder_name, args, call_args))
}

impl FieldDef {
    /// The Rust name `Module::fields` gives the `i`-th of `fields`.
    pub fn ident_of(fields: &[Field], i: usize) -> String {
        let mut scope = Scope::with(records::RESERVED_METHODS);
        let mut out = String::new();
        for f in &fields[..=i] {
            out = scope.snake(&f.name, "field");
        }
        out
    }
}

fn params_struct_tokens(name: &str, doc: &TokenStream, defs: &[FieldDef]) -> TokenStream {
    let name_id = ident(name);
    let fields = defs.iter().map(records::param_field);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name_id {
            #( #fields )*
        }
    }
}

/// The `fields` module of a searchable entity: one typed handle per searchable field.
fn filter_fields(search: &Search, marker: &str, entity_name: &str) -> TokenStream {
    let mut scope = Scope::with(&["fields", "all"]);
    let marker_id = ident(marker);
    let mut kinds: Vec<&str> = Vec::new();
    let fns: Vec<TokenStream> = search
        .fields
        .iter()
        .map(|f| {
            let id = ident(&scope.snake(&f.name, "field"));
            let kind = match &f.ty {
                Type::String { format: Some(f) } if f == "date-time" || f == "date" => "Timestamp",
                Type::String { .. } => "Text",
                Type::Integer => "Integer",
                Type::Number => "Number",
                Type::Boolean => "Boolean",
                _ => "Json",
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
            let kind = ident(kind);
            let name = &f.name;
            let doc = docs::doc(&f.description, &docs::code(&f.name));
            quote! {
                #doc
                pub const fn #id() -> Field<#marker_id, #kind> {
                    Field::new(#name)
                }
            }
        })
        .collect();
    kinds.sort_unstable();
    let kinds = kinds.into_iter().map(ident);
    // Only snake_case functions live in this module, so these imports cannot clash.
    let imports = if fns.is_empty() {
        quote!()
    } else {
        quote! {
            use ::airbyte_agent_runtime::filter::{Field, #(#kinds),*};
            use super::#marker_id;
        }
    };
    let doc = docs::raw(&format!(
        "Typed handles of the searchable fields of {}: `fields::name().eq(\"x\")`.",
        docs::sanitize(entity_name)
    ));
    quote! {
        #doc
        pub mod fields {
            #imports
            #( #fns )*
        }
    }
}
