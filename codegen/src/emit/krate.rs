//! The crate around the modules: `Cargo.toml`, `src/lib.rs` with the connector client and
//! crate docs, and the file list.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::names::{self, ident, Scope};
use super::records::{Flavor, Module};
use super::requests::{self, EntityModule};
use super::{docs, format_file, EmitError, GeneratedFile};
use crate::model::{ActionKind, Connector, Entity, Response};
use crate::regen::header;
use crate::types::{Literal, Type};

/// Module names the crate root uses itself.
const ROOT_MODULES: &[&str] = &[
    "runtime",
    "replication",
    "client",
    "prelude",
    "std",
    "core",
    "alloc",
];

pub(super) fn emit(
    connector: &Connector,
    options: &super::CrateOptions,
    source: &str,
) -> Result<Vec<GeneratedFile>, EmitError> {
    let mut files = Vec::new();
    let rs_header = header("//", source);
    let mut module_names = Scope::with(ROOT_MODULES);
    let mut root_types = Scope::with(names::RESERVED_TYPES);
    let client_name = root_types.pascal(&connector.title, "Connector");
    let client_id = ident(&client_name);

    let mut entities: Vec<(EntityModule, &Entity)> = Vec::new();
    for entity in &connector.entities {
        let module = module_names.snake(&entity.id, "entity");
        let m = requests::entity_module(entity, &module)?;
        files.push(GeneratedFile {
            path: PathBuf::from(format!("src/{module}.rs")),
            contents: format!(
                "{rs_header}{}",
                format_file(m.tokens.clone(), &format!("entity {}", entity.name))?
            ),
        });
        entities.push((m, entity));
    }

    let replication = match &connector.replication {
        Some(r) => {
            let mut m = Module {
                types: Scope::with(names::RESERVED_TYPES),
                items: Vec::new(),
            };
            let doc = docs::doc(&r.description, "The replication configuration.");
            m.structure("ReplicationConfig", doc, &r.fields, Flavor::Params)?;
            let items = &m.items;
            files.push(GeneratedFile {
                path: PathBuf::from("src/replication.rs"),
                contents: format!(
                    "{rs_header}{}",
                    format_file(quote!(#( #items )*), "the replication configuration")?
                ),
            });
            quote! {
                /// The replication configuration of the connector.
                #[rustfmt::skip]
                pub mod replication;
            }
        }
        None => quote!(),
    };

    let crate_ident = ident(&options.crate_name.replace('-', "_"));
    let base_url = &connector.endpoint.base_url;
    let path = &connector.endpoint.path;
    let path_param = &connector.endpoint.path_param;
    let title = docs::sanitize(&connector.title);
    let mods = entities.iter().map(|(m, e)| {
        let id = ident(&m.module);
        let doc = docs::raw(&format!(
            "{}: records, requests and search fields.",
            docs::sanitize(&e.name)
        ));
        quote!(#doc #[rustfmt::skip] pub mod #id;)
    });
    let mut accessors = Scope::with(&["new", "builder", "client", "from", "into", "clone"]);
    let accessor_fns: Vec<TokenStream> = entities
        .iter()
        .map(|(m, e)| {
            let name = ident(&accessors.snake(&e.id, "entity"));
            let module = ident(&m.module);
            let handle = ident(&m.handle);
            let doc = docs::raw(&format!("The actions of {}.", docs::sanitize(&e.name)));
            quote! {
                #doc
                pub fn #name(&self) -> crate::#module::#handle {
                    crate::#module::#handle::new(self.client.clone())
                }
            }
        })
        .collect();
    let client_doc = docs::raw(&format!(
        "The {title} connector: one accessor per entity, each returning request builders."
    ));
    let quickstart = quickstart(
        connector,
        &crate_ident,
        &client_id,
        &entities,
        &accessors_for(connector),
    )?;
    let crate_doc = format!(
        " Typed SDK for the Airbyte {title} agent connector, generated from its reference \
         document.\n\n Every action is a request builder: required parameters are arguments, \
         optional ones setters, `send()` runs it; paginated lists and searches also have \
         `stream()`. Records decode leniently and keep members the document does not list.\n\n\
         # Quickstart\n\n{quickstart}"
    );
    let client = quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct #client_id {
            client: ::airbyte_agent_runtime::Client,
        }

        impl #client_id {
            /// Scheme and host of the execute API.
            pub const BASE_URL: &'static str = #base_url;
            /// Path of the execute endpoint, with the connector id placeholder.
            pub const PATH_TEMPLATE: &'static str = #path;
            /// Name of the placeholder in [`Self::PATH_TEMPLATE`].
            pub const PATH_PARAM: &'static str = #path_param;

            /// A client builder preset with this connector's endpoint; add credentials and
            /// the connector id, then `build()` and pass the client to [`Self::new`].
            pub fn builder() -> ::airbyte_agent_runtime::ClientBuilder {
                ::airbyte_agent_runtime::Client::builder()
                    .base_url(Self::BASE_URL)
                    .path_template(Self::PATH_TEMPLATE, Self::PATH_PARAM)
            }

            /// Wraps a client built with [`Self::builder`].
            pub fn new(client: ::airbyte_agent_runtime::Client) -> Self {
                Self { client }
            }

            /// The underlying runtime client.
            pub fn client(&self) -> &::airbyte_agent_runtime::Client {
                &self.client
            }

            #( #accessor_fns )*
        }

        impl From<::airbyte_agent_runtime::Client> for #client_id {
            fn from(client: ::airbyte_agent_runtime::Client) -> Self {
                Self::new(client)
            }
        }
    };
    files.push(GeneratedFile {
        path: PathBuf::from("src/client.rs"),
        contents: format!("{rs_header}{}", format_file(client, "client.rs")?),
    });
    let lib = quote! {
        #![doc = #crate_doc]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        pub use ::airbyte_agent_runtime as runtime;
        pub use ::airbyte_agent_runtime::{Client, ClientBuilder, Error};

        #replication
        #( #mods )*
        #[rustfmt::skip]
        mod client;
        pub use client::#client_id;
    };
    files.push(GeneratedFile {
        path: PathBuf::from("src/lib.rs"),
        contents: format!("{rs_header}{}", format_file(lib, "lib.rs")?),
    });

    let toml_header = header("#", source);
    let name = toml_string(&options.crate_name);
    let runtime_path = toml_string(&options.runtime_path);
    let description = toml_string(&format!(
        "Typed SDK for the Airbyte {} agent connector (generated)",
        connector.title
    ));
    files.push(GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: format!(
            "{toml_header}[package]\nname = {name}\nversion = \"0.1.0\"\ndescription = {description}\n\
             edition = \"2021\"\nrust-version = \"1.85\"\nlicense = \"MIT OR Apache-2.0\"\npublish = false\n\n\
             [dependencies]\nairbyte-agent-runtime = {{ path = {runtime_path} }}\n\
             bytes = \"1\"\nfutures = \"0.3\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\n\
             serde_json = \"1\"\n"
        ),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
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

/// Accessor names as `emit` hands them out, in entity order.
fn accessors_for(connector: &Connector) -> Vec<String> {
    let mut accessors = Scope::with(&["new", "builder", "client", "from", "into", "clone"]);
    connector
        .entities
        .iter()
        .map(|e| accessors.snake(&e.id, "entity"))
        .collect()
}

/// An example argument for a required parameter, or `None` when no literal fits.
fn example_arg(ty: &Type) -> Option<TokenStream> {
    Some(match ty {
        Type::String { .. } => quote!("example"),
        Type::Integer => quote!(1),
        Type::Number => quote!(1.0),
        Type::Boolean => quote!(true),
        Type::Enum { values, .. } => match values.first()? {
            Literal::Str(s) => quote!(#s),
            Literal::Int(i) => quote!(#i),
        },
        _ => return None,
    })
}

/// `no_run` examples, one per action kind the connector has, built as tokens.
fn quickstart(
    connector: &Connector,
    crate_ident: &proc_macro2::Ident,
    client_id: &proc_macro2::Ident,
    entities: &[(EntityModule, &Entity)],
    accessors: &[String],
) -> Result<String, EmitError> {
    let kinds = [
        ActionKind::List,
        ActionKind::Get,
        ActionKind::Search,
        ActionKind::ApiSearch,
        ActionKind::Create,
        ActionKind::Update,
        ActionKind::Delete,
        ActionKind::Download,
    ];
    let mut out = String::new();
    for kind in kinds {
        let mut found = None;
        'search: for (i, (m, e)) in entities.iter().enumerate() {
            let mut methods = Scope::with(&["client", "new"]);
            for a in &e.actions {
                let method = methods.snake(&a.name, "action");
                if a.kind != kind {
                    continue;
                }
                let mut args = Vec::new();
                let mut ok = true;
                for p in a.params.iter().filter(|p| p.required == Some(true)) {
                    if kind == ActionKind::Search && p.name == "query" {
                        let Some(Response::Search(s)) = &a.response else {
                            ok = false;
                            break;
                        };
                        let module = ident(&m.module);
                        let arg = match s.fields.first() {
                            Some(f) => {
                                let field =
                                    ident(&Scope::with(&["fields", "all"]).snake(&f.name, "field"));
                                match &f.ty {
                                    Type::String { .. } => {
                                        quote!(#crate_ident::#module::fields::#field().like("%example%"))
                                    }
                                    Type::Integer => {
                                        quote!(#crate_ident::#module::fields::#field().gt(1_700_000_000))
                                    }
                                    Type::Number => {
                                        quote!(#crate_ident::#module::fields::#field().gt(1.0))
                                    }
                                    Type::Boolean => {
                                        quote!(#crate_ident::#module::fields::#field().eq(true))
                                    }
                                    _ => {
                                        quote!(#crate_ident::#module::fields::#field().eq(::serde_json::Value::Null))
                                    }
                                }
                            }
                            None => quote!(#crate_ident::runtime::filter::Query::new()),
                        };
                        args.push(arg);
                        continue;
                    }
                    match example_arg(&p.ty) {
                        Some(arg) => args.push(arg),
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                if ok {
                    found = Some((i, ident(&method), args, a.label.clone()));
                    break 'search;
                }
            }
        }
        let Some((i, method, args, label)) = found else {
            continue;
        };
        let accessor = ident(&accessors[i]);
        let call = if kind == ActionKind::Download {
            quote! {
                let bytes = connector.#accessor().#method(#( #args ),*).send().await?;
                println!("{} bytes", bytes.len());
            }
        } else {
            quote! {
                let result = connector.#accessor().#method(#( #args ),*).send().await?;
                println!("{result:?}");
            }
        };
        let tokens = quote! {
            async fn example() -> Result<(), #crate_ident::Error> {
                let client = #crate_ident::#client_id::builder()
                    .connector_id("your-connector-id")
                    .bearer_token("your-token")
                    .build()?;
                let connector = #crate_ident::#client_id::new(client);
                #call
                Ok(())
            }
        };
        let code = format_file(tokens, "a quickstart example")?;
        out.push_str(&format!(
            "{} ({}):\n\n```rust,no_run\n{}```\n\n",
            docs::sanitize(&label),
            docs::sanitize(&connector.entities[i].name),
            code
        ));
    }
    Ok(out)
}
