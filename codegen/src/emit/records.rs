//! Data types: record structs (every field a `Lenient<T>` with a plain accessor, undocumented
//! members kept; strings stored as `CompactString`, handed out as `&str`), parameter structs
//! (strict) and enums.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, doc_lines, ident, type_text, Chunk, Uses};
use crate::ir::{Enum, EnumValues, Field, RecordPath, SearchIndex, Struct, Ty, TypeDef};

/// What a record's declaration writes besides the struct (a clause of the runtime's
/// `record!`).
#[derive(Debug, Clone, Copy)]
pub(super) enum Clause<'a> {
    /// Nothing more.
    None,
    /// The entity record: the `paths` module, a path per member and these paths into
    /// nested objects.
    Paths(&'a [RecordPath]),
    /// The search record: the `fields` module, a typed filter handle per member.
    Fields(&'a SearchIndex),
}

/// Renders one declared type; `clause` applies to a record.
pub(super) fn type_def(def: &TypeDef, clause: Clause, uses: &mut Uses) -> Vec<Chunk> {
    match def {
        TypeDef::Record(s) => record(s, clause, uses),
        TypeDef::Params(s) => vec![Chunk::Tokens(params(s, true, uses))],
        TypeDef::Enum(e) => vec![Chunk::Text(enumeration(e, uses))],
    }
}

/// A record: one `record!` invocation declaring the struct, an accessor per field and its
/// decoding and encoding, each member as `"wire" => field: T` (`Lenient<T>` stored, read as
/// `Option` of what `T`'s `Plain` impl hands out, which `record!` knows but for a nested
/// record: `T as &T`; a search record's members end in `=> Kind`, their filter kind), then
/// the clause.
fn record(s: &Struct, clause: Clause, uses: &mut Uses) -> Vec<Chunk> {
    let record_macro = uses.rt("record");
    let mut out = format!(
        "{record_macro}! {{\n{}    pub struct {} {{\n",
        doc_lines(&s.doc, 4),
        s.name
    );
    for f in &s.fields {
        // A member documented as any JSON is kept as its text until it is read.
        let ty = match &f.ty {
            Ty::Json => {
                let lazy = uses.rt("LazyValue");
                quote!(#lazy)
            }
            // A string of up to 24 bytes (most ids, names, emails) is kept without allocating.
            Ty::String => {
                let compact = uses.rt("CompactString");
                quote!(#compact)
            }
            ty => uses.ty(ty),
        };
        // The runtime's `record!` knows what the accessor of every stored type returns, but a
        // nested record's (`&Record`).
        let read_as = match &f.ty {
            Ty::Struct(name) => format!(" as &{name}"),
            _ => String::new(),
        };
        let kind = match clause {
            Clause::Fields(index) => index
                .fields
                .iter()
                .find(|h| h.function == f.rust)
                .map(|h| format!(" => {}", h.kind.type_name()))
                .unwrap_or_default(),
            _ => String::new(),
        };
        out.push_str(&doc_lines(&f.doc, 8));
        out.push_str(&format!(
            "        {:?} => {}: {}{read_as}{kind},\n",
            f.wire,
            f.rust,
            type_text(ty),
        ));
    }
    out.push_str("    }\n");
    match clause {
        Clause::None => {}
        Clause::Paths([]) => out.push_str("    paths;\n"),
        Clause::Paths(nested) => {
            out.push_str("    paths {\n");
            for p in nested {
                out.push_str(&doc_lines(&p.doc, 8));
                out.push_str(&format!("        {:?} => {},\n", p.wire, p.function));
            }
            out.push_str("    };\n");
        }
        Clause::Fields(index) => out.push_str(&format!("    fields for {};\n", index.marker)),
    }
    out.push_str("}\n");
    vec![Chunk::Text(out)]
}

/// `rename = "..",` where the Rust name differs from the wire name.
fn rename(f: &Field) -> TokenStream {
    if f.rust == f.wire {
        quote!()
    } else {
        let wire = &f.wire;
        quote!(rename = #wire,)
    }
}

/// A params struct: required fields plain, optional ones skipped when unset; `new` takes the
/// required ones. Nested params types (`setters`) also get a setter per optional field; an
/// action's params are set through its request builder instead.
pub(super) fn params(s: &Struct, setters: bool, uses: &mut Uses) -> TokenStream {
    let name = ident(&s.name);
    let struct_doc = doc(&s.doc);
    let serialize = uses.name("serde", "Serialize");
    let deserialize = uses.name("serde", "Deserialize");
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|f| {
            let id = ident(&f.rust);
            let ty = uses.ty(&f.ty);
            let field_doc = doc(&f.doc);
            let rename = rename(f);
            if f.required {
                let attr = if rename.is_empty() {
                    quote!()
                } else {
                    quote!(#[serde(#rename)])
                };
                quote!(#field_doc #attr pub #id: #ty,)
            } else {
                quote! {
                    #field_doc
                    #[serde(#rename skip_serializing_if = "Option::is_none")]
                    pub #id: Option<#ty>,
                }
            }
        })
        .collect();
    let (args, inits) = constructor(&s.fields, uses);
    let allow = many_args(args.len());
    let setters: Vec<TokenStream> = if setters {
        optional_setters(&s.fields, quote!(self), uses)
    } else {
        Vec::new()
    };
    let (default, constructor) = if args.is_empty() {
        (quote!(Default,), quote!())
    } else {
        (
            quote!(),
            quote! {
                /// Creates the value from its required members; the others start unset.
                #allow
                pub fn new(#(#args),*) -> Self {
                    Self { #(#inits),* }
                }
            },
        )
    };
    let methods = if setters.is_empty() && args.is_empty() {
        quote!()
    } else {
        quote! {
            impl #name {
                #constructor
                #(#setters)*
            }
        }
    };
    quote! {
        #struct_doc
        #[derive(Debug, Clone, #default PartialEq, #serialize, #deserialize)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
        #methods
    }
}

/// A setter per optional field, setting `target.<field>` (`self` for a params struct,
/// `self.params` for a request builder).
pub(super) fn optional_setters(
    fields: &[Field],
    target: TokenStream,
    uses: &mut Uses,
) -> Vec<TokenStream> {
    fields
        .iter()
        .filter(|f| !f.required)
        .map(|f| {
            let id = ident(&f.rust);
            let (arg, conv) = input(&f.ty, quote!(value), uses);
            let field_doc = doc(&f.doc);
            quote! {
                #field_doc
                pub fn #id(mut self, value: #arg) -> Self {
                    #target.#id = Some(#conv);
                    self
                }
            }
        })
        .collect()
}

/// The constructor of a params struct: `(arguments, field initialisers)`.
fn constructor(fields: &[Field], uses: &mut Uses) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for f in fields {
        let id = ident(&f.rust);
        if f.required {
            let (arg, conv) = input(&f.ty, quote!(#id), uses);
            args.push(quote!(#id: #arg));
            inits.push(quote!(#id: #conv));
        } else {
            inits.push(quote!(#id: None));
        }
    }
    (args, inits)
}

/// How a parameter value is accepted, `(argument type, conversion of the argument `var`)`:
/// `impl Into<T>`, or for lists any iterable of `impl Into<Elem>`.
pub(super) fn input(ty: &Ty, var: TokenStream, uses: &mut Uses) -> (TokenStream, TokenStream) {
    match ty {
        Ty::List(elem) => {
            let elem = uses.ty(elem);
            (
                quote!(impl IntoIterator<Item = impl Into<#elem>>),
                quote!(#var.into_iter().map(Into::into).collect()),
            )
        }
        _ => {
            let t = uses.ty(ty);
            (quote!(impl Into<#t>), quote!(#var.into()))
        }
    }
}

/// `#[allow]` for constructors with many required arguments.
pub(super) fn many_args(args: usize) -> TokenStream {
    if args > 6 {
        quote! {
            // The document lists this many required parameters; each is a constructor argument
            // so that a missing one does not compile.
            #[allow(clippy::too_many_arguments)]
        }
    } else {
        quote!()
    }
}

/// An enum of literal values, with an `Unknown` variant keeping values this SDK does not know.
fn enumeration(e: &Enum, uses: &mut Uses) -> String {
    let (macro_name, variants): (_, Vec<(&str, String, &str)>) = match &e.values {
        EnumValues::Str(vs) => (
            uses.rt("string_enum"),
            vs.iter()
                .map(|v| (v.rust.as_str(), format!("{:?}", v.wire), v.doc.as_str()))
                .collect(),
        ),
        EnumValues::Int(vs) => (
            uses.rt("int_enum"),
            vs.iter()
                .map(|v| (v.rust.as_str(), v.wire.to_string(), v.doc.as_str()))
                .collect(),
        ),
    };
    let mut out = format!(
        "{macro_name}! {{\n{}    pub enum {} {{\n",
        doc_lines(&e.doc, 4),
        e.name
    );
    for (rust, wire, text) in variants {
        out.push_str(&doc_lines(text, 8));
        out.push_str(&format!("        {rust} = {wire},\n"));
    }
    out.push_str("    }\n}\n");
    out
}
