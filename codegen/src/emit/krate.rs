//! The crate around the modules: `Cargo.toml`, `src/lib.rs` (crate docs, quickstarts, module
//! list), `src/client.rs` (the connector client) and the file list.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::{
    doc, format_chunks, format_file, ident, records, requests, tools, Chunk, CrateOptions,
    GeneratedFile, Uses,
};
use crate::ir::{ActionKind, Crate, EnumValues, Ty, TypeDef};
use crate::regen::header;

pub(super) fn render(krate: &Crate, options: &CrateOptions) -> Vec<GeneratedFile> {
    let rs_header = header("//", &options.source);
    let rust = |path: String, chunks: Vec<Chunk>| GeneratedFile {
        path: PathBuf::from(path),
        contents: format!("{rs_header}{}", format_chunks(chunks)),
    };
    let mut files = Vec::new();
    for entity in &krate.entities {
        files.push(rust(
            format!("src/{}.rs", entity.module),
            requests::entity_module(entity, &krate.connector),
        ));
    }
    if let Some(defs) = &krate.replication {
        let mut uses = Uses::default();
        let mut chunks = Vec::new();
        for def in defs {
            chunks.extend(records::type_def(def, records::Clause::None, &mut uses));
        }
        chunks.insert(0, Chunk::Tokens(uses.items()));
        files.push(rust("src/replication.rs".to_string(), chunks));
    }
    files.push(rust("src/tools.rs".to_string(), tools::module(krate)));
    files.push(GeneratedFile {
        path: PathBuf::from("src/tools.json"),
        contents: tools::json(krate, &options.source),
    });
    files.push(rust(
        "src/client.rs".to_string(),
        vec![Chunk::Tokens(client(krate))],
    ));
    files.push(rust(
        "src/lib.rs".to_string(),
        vec![Chunk::Tokens(lib(krate, options))],
    ));
    files.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: cargo_toml(krate, options),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `src/lib.rs`: what holds for every record and builder, said once; quickstarts; modules.
fn lib(krate: &Crate, options: &CrateOptions) -> TokenStream {
    let crate_ident = options.crate_name.replace('-', "_");
    let title = &krate.title;
    let connector = &krate.connector;
    let quickstart = quickstart(krate, &crate_ident);
    let crate_doc = format!(
        " Typed SDK for the Airbyte {title} agent connector, generated from its reference \
         document.\n\n\
         Build the client once with [`{connector}::builder`] (or [`{connector}::from_env`]); \
         each entity is a method of it, and each action of an entity a method returning a \
         request builder.\n\n\
         # Requests\n\n\
         Required parameters are the arguments of the action's method, optional ones setters \
         of its builder; `send()` posts `{{entity, action, params}}` to the execute endpoint \
         and decodes the answer. Paginated lists and searches also have `stream()`, which \
         yields the items of every page, one page in memory at a time. Searches take a typed \
         query built from their entity's `fields` module. In the source, each entity is one \
         [`actions!`](airbyte_agent_runtime::actions!) block: its handle (with the entity's \
         name on the wire), then per action whether it only `read`s (and so is retried) or may \
         `write`, the handle's method (followed by the action's name on the wire when that \
         differs), its builder, its params struct with a member per parameter (`T` or `[T]` \
         required, `Option<..>` optional), its output and its paging style; an entity's \
         standard search is the runtime's generic [`Search`](airbyte_agent_runtime::Search). The connector's tools are one \
         [`toolbox!`](airbyte_agent_runtime::toolbox!) line per action.\n\n\
         # Records\n\n\
         Every documented field has an accessor returning a plain value: `Option<&str>`, \
         `Option<i64>`, `Option<f64>`, `Option<bool>`, `Option<&[T]>`, an enum, or \
         `Option<&Value>` for loose JSON. It is `None` when the member was absent, `null`, or \
         of another shape than documented. The public field of the same name keeps the member \
         as received (a [`Lenient`](airbyte_agent_runtime::Lenient): absent, `null`, the \
         value, or a value of another shape verbatim), and `extra` keeps the members the \
         document does not list, so decoding and re-encoding a record gives back the same \
         JSON. In the source, each record is one [`record!`](airbyte_agent_runtime::record!) \
         declaration with a line `\"wire name\" => field: T` per member: the field is a \
         `Lenient<T>`, its accessor returns `Option` of `T`'s plain form (`&str` for a \
         `CompactString`, `&Value` for a `LazyValue`, `f64` for a `Number`, `&[E]` for a \
         `Vec<E>`; a nested record says `T as &T`). The entity record's declaration also \
         writes the entity's `paths` module (a dot path per member, for `select_fields` and \
         `exclude_fields`), the search record's the `fields` module (a typed filter handle per \
         member, whose filter kind ends the member's line: `=> Text`).\n\n\
         # Quickstart\n\n{quickstart}"
    );
    let mods = krate.entities.iter().map(|e| {
        let id = ident(&e.module);
        let text = doc(&format!("{}: records, requests and search fields.", e.name));
        quote!(#text #[rustfmt::skip] pub mod #id;)
    });
    let replication = if krate.replication.is_some() {
        quote! {
            /// The replication configuration of the connector.
            #[rustfmt::skip]
            pub mod replication;
        }
    } else {
        quote!()
    };
    let connector = ident(connector);
    let recursion_limit = recursion_limit(krate).map(|limit| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    quote! {
        #![doc = #crate_doc]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        #recursion_limit

        pub use airbyte_agent_runtime as runtime;
        pub use airbyte_agent_runtime::{Client, ClientBuilder, Error};

        #replication
        #(#mods)*
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        mod tools;
        pub use client::#connector;
    }
}

/// The compiler's default macro recursion limit.
const DEFAULT_RECURSION_LIMIT: usize = 128;

/// The recursion limit the crate needs, when the default is not enough: `actions!` reads an
/// entity's actions one at a time, two expansions each, and `request!` an action's parameters
/// one at a time, at most two expansions each, with a few more around them; an action with
/// some 60 parameters, or an entity with some 50 actions, would exceed the default.
fn recursion_limit(krate: &Crate) -> Option<usize> {
    let needed = krate
        .entities
        .iter()
        .map(|e| {
            let params = e
                .actions
                .iter()
                .filter(|a| !a.standard_search)
                .map(|a| a.params.fields.len())
                .max()
                .unwrap_or(0);
            2 * e.actions.len() + 2 * params + 32
        })
        .max()?;
    (needed > DEFAULT_RECURSION_LIMIT).then(|| needed.next_power_of_two())
}

/// `src/client.rs`: the connector client, built in one step.
fn client(krate: &Crate) -> TokenStream {
    let mut uses = Uses::default();
    let client = uses.rt("Client");
    let builder = uses.rt("ClientBuilder");
    let error = uses.rt("Error");
    let connector = ident(&krate.connector);
    let base_url = &krate.endpoint.base_url;
    let path = &krate.endpoint.path;
    let path_param = &krate.endpoint.path_param;
    let text = doc(&format!(
        "The {} connector: one method per entity, each returning the entity's actions \
         (declared in the entity's module).",
        krate.title
    ));
    let imports = uses.items();
    quote! {
        #imports

        #text
        #[derive(Debug, Clone)]
        pub struct #connector {
            client: #client,
            /// The cap on a tool result in characters (`tools.rs`).
            pub(crate) tool_output_limit: usize,
        }

        impl #connector {
            /// Scheme and host of the execute API.
            pub const BASE_URL: &'static str = #base_url;
            /// Path of the execute endpoint, with the connector id placeholder.
            pub const PATH_TEMPLATE: &'static str = #path;
            /// Name of the placeholder in [`Self::PATH_TEMPLATE`].
            pub const PATH_PARAM: &'static str = #path_param;

            /// A builder preset with this connector's endpoint: add the connector id and
            /// credentials, then `build()` gives the connector.
            pub fn builder() -> #builder<Self> {
                #builder::new()
                    .base_url(Self::BASE_URL)
                    .path_template(Self::PATH_TEMPLATE, Self::PATH_PARAM)
            }

            /// The connector configured from the environment (`AIRBYTE_TOKEN`,
            /// `AIRBYTE_CONNECTOR_ID`, ...: see [`ClientBuilder::from_env`]).
            ///
            /// # Errors
            ///
            /// A configuration [`Error`] when a variable is missing or invalid.
            pub fn from_env() -> Result<Self, #error> {
                Self::builder().from_env().build()
            }

            /// The runtime client underneath, for advanced use (custom actions, raw
            /// execution).
            pub fn client(&self) -> &#client {
                &self.client
            }
        }

        impl From<#client> for #connector {
            fn from(client: #client) -> Self {
                Self {
                    client,
                    tool_output_limit: airbyte_agent_runtime::tools::DEFAULT_OUTPUT_LIMIT,
                }
            }
        }
    }
}

/// `Cargo.toml` of the crate.
fn cargo_toml(krate: &Crate, options: &CrateOptions) -> String {
    let toml_header = header("#", &options.source);
    let name = toml_string(&options.crate_name);
    let runtime_path = toml_string(&options.runtime_path);
    let version = toml_string(&options.version);
    let description = toml_string(&format!(
        "Typed SDK for the Airbyte {} agent connector (generated)",
        krate.title
    ));
    format!(
        "{toml_header}[package]\nname = {name}\nversion = {version}\ndescription = {description}\n\
         edition = \"2021\"\nrust-version = \"1.85\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n\
         [dependencies]\nairbyte-agent-runtime = {{ path = {runtime_path} }}\n\
         bytes = \"1\"\nfutures = \"0.3\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
         serde_json = \"1\"\n"
    )
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An example argument for a required parameter, or `None` when no literal fits.
fn example_arg(ty: &Ty, defs: &[TypeDef], module: &str, crate_ident: &str) -> Option<TokenStream> {
    let krate = ident(crate_ident);
    let module = ident(module);
    Some(match ty {
        Ty::String => quote!("example"),
        Ty::Integer => quote!(1),
        Ty::Float | Ty::Number => quote!(1.0),
        Ty::NumberIn { values, .. } => {
            let v = proc_macro2::Literal::f64_unsuffixed(values.first()?.as_f64()?);
            quote!(#v)
        }
        Ty::Boolean => quote!(true),
        Ty::Enum(name) => {
            let e = defs.iter().find_map(|d| match d {
                TypeDef::Enum(e) if &e.name == name => Some(e),
                _ => None,
            })?;
            let variant = match &e.values {
                EnumValues::Str(v) => &v.first()?.rust,
                EnumValues::Int(v) => &v.first()?.rust,
            };
            let (name, variant) = (ident(name), ident(variant));
            quote!(#krate::#module::#name::#variant)
        }
        _ => return None,
    })
}

/// One `no_run` example: the connector built once, then one call per action kind the
/// connector has (the first action of that kind whose required arguments have an example).
fn quickstart(krate: &Crate, crate_ident: &str) -> String {
    let kinds = [
        (ActionKind::List, "page"),
        (ActionKind::Get, "record"),
        (ActionKind::Search, "hits"),
        (ActionKind::ApiSearch, "results"),
        (ActionKind::Create, "created"),
        (ActionKind::Update, "updated"),
        (ActionKind::Delete, "deleted"),
        (ActionKind::Download, "bytes"),
    ];
    let crate_id = ident(crate_ident);
    let connector = ident(&krate.connector);
    let mut calls = Vec::new();
    let mut shown = Vec::new();
    for (kind, var) in kinds {
        let found = krate.entities.iter().find_map(|e| {
            e.actions.iter().filter(|a| a.kind == kind).find_map(|a| {
                let args = a
                    .required()
                    .map(|p| match (&p.ty, &e.search) {
                        (Ty::Query(_), Some(search)) => {
                            Some(search_example(search, crate_ident, &e.module))
                        }
                        (ty, _) => example_arg(ty, &e.types, &e.module, crate_ident),
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((e, a, args))
            })
        });
        let Some((entity, action, args)) = found else {
            continue;
        };
        let accessor = ident(&entity.accessor);
        let method = ident(&action.method);
        let show = if kind == ActionKind::Download {
            let var = ident(var);
            quote!(println!("{} bytes", #var.len());)
        } else {
            let format = format!("{{{var}:?}}");
            quote!(println!(#format);)
        };
        let var = ident(var);
        calls.push(quote! {
            let #var = connector.#accessor().#method(#(#args),*).send().await?;
            #show
        });
        shown.push(format!("{} ({})", action.label, entity.name));
    }
    if calls.is_empty() {
        return String::new();
    }
    let tokens = quote! {
        async fn example() -> Result<(), #crate_id::Error> {
            let connector = #crate_id::#connector::builder()
                .connector_id("your-connector-id")
                .bearer_token("your-token")
                .build()?;
            #(#calls)*
            Ok(())
        }
    };
    format!(
        "{}:\n\n```rust,no_run\n{}```\n\n",
        shown.join(", "),
        format_file(tokens)
    )
}

/// A query with an operator its field's kind allows, on the field a reader most expects to
/// search by: a text field named like an identifying one (`email`, `name`, `title`, `subject`),
/// else the first text field, else the first field.
fn search_example(search: &crate::ir::SearchIndex, crate_ident: &str, module: &str) -> TokenStream {
    use crate::ir::FilterKind;
    const LIKELY: [&str; 4] = ["email", "name", "title", "subject"];
    let krate = ident(crate_ident);
    let module = ident(module);
    let text = || search.fields.iter().filter(|f| f.kind == FilterKind::Text);
    let field = LIKELY
        .iter()
        .find_map(|name| text().find(|f| f.wire == *name))
        .or_else(|| text().next())
        .or_else(|| search.fields.first());
    let Some(field) = field else {
        return quote!(#krate::runtime::filter::Query::new());
    };
    let f = ident(&field.function);
    let path = quote!(#krate::#module::fields::#f());
    match field.kind {
        FilterKind::Text => quote!(#path.like("%example%")),
        FilterKind::Integer | FilterKind::Timestamp => quote!(#path.gt(1_700_000_000)),
        FilterKind::Number => quote!(#path.gt(1.0)),
        FilterKind::Boolean => quote!(#path.eq(true)),
        FilterKind::Json => quote!(#path.eq(serde_json::Value::Null)),
    }
}

#[cfg(test)]
mod tests {
    use super::search_example;
    use crate::ir::{FilterField, FilterKind, SearchIndex};

    fn index(fields: &[(&str, FilterKind)]) -> SearchIndex {
        SearchIndex {
            marker: "SearchableContact".into(),
            record: "ContactSearchRecord".into(),
            fields: fields
                .iter()
                .map(|(name, kind)| FilterField {
                    function: (*name).into(),
                    wire: (*name).into(),
                    kind: *kind,
                    doc: String::new(),
                })
                .collect(),
        }
    }

    fn example(fields: &[(&str, FilterKind)]) -> String {
        search_example(&index(fields), "airbyte_x", "contacts").to_string()
    }

    /// The quickstart searches by the field a reader expects (`email` before `name`, either
    /// before the first text field), with an operator of the field's kind.
    #[test]
    fn quickstart_search_prefers_an_identifying_text_field() {
        use FilterKind::*;
        let fields = [("age", Integer), ("android_app_name", Text), ("name", Text)];
        assert!(example(&fields).contains("fields :: name () . like"));
        let fields = [("name", Text), ("email", Text)];
        assert!(example(&fields).contains("fields :: email () . like"));
        let fields = [("email", Integer), ("android_app_name", Text)];
        assert!(example(&fields).contains("fields :: android_app_name () . like"));
        let fields = [("created_at", Timestamp)];
        assert!(example(&fields).contains("fields :: created_at () . gt (1_700_000_000)"));
        assert!(example(&[]).contains("Query :: new ()"));
    }
}
