//! The `paths` module of an entity: one `airbyte_agent_runtime::FieldPath` constant per
//! documented dot path of its record, for the request builders' `select_fields` and
//! `exclude_fields`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, ident};
use crate::ir::Entity;

/// `pub mod paths { .. }`, or nothing when the entity has no documented record fields.
pub(super) fn paths_module(entity: &Entity) -> TokenStream {
    if entity.paths.is_empty() {
        return quote!();
    }
    let consts = entity.paths.iter().map(|p| {
        let id = ident(&p.constant);
        let wire = &p.wire;
        let text = doc(&p.doc);
        quote! {
            #text
            pub const #id: FieldPath = FieldPath::new(#wire);
        }
    });
    let text = doc(&format!(
        "The dot paths of a {} record's documented fields, for `select_fields` and \
         `exclude_fields` (`[paths::ID, paths::EMAIL]`; plain strings work too).",
        entity.name
    ));
    quote! {
        #text
        pub mod paths {
            use airbyte_agent_runtime::FieldPath;
            #(#consts)*
        }
    }
}
