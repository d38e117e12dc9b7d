//! Data types: record structs (lenient, lossless), parameter structs (strict), enums.
//!
//! A [`Module`] collects the items of one generated module and hands out their type names.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::names::{self, ident, Scope};
use super::EmitError;
use crate::model::Field;
use crate::types::{Literal, Type};

/// Items of one generated module, in emission order.
#[derive(Debug, Default)]
pub struct Module {
    /// Type names in this module.
    pub types: Scope,
    /// Generated items.
    pub items: Vec<TokenStream>,
}

/// Which flavour of struct to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// Response data: every field optional and lenient, unknown members kept in `extra`.
    Record,
    /// Request data: strict types, required fields in `new`, setters for the rest.
    Params,
}

/// Setter and field names that would clash with methods of the generated builders or make
/// clippy think a std trait method is being imitated.
pub const RESERVED_METHODS: &[&str] = &[
    "new",
    "send",
    "stream",
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
];

/// One field of a generated struct.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// Rust field (and setter) name.
    pub ident: String,
    /// Name in JSON.
    pub json: String,
    /// The type without `Option`.
    pub ty: TokenStream,
    /// Whether the field is a constructor argument (params only).
    pub required: bool,
    /// How setters and constructors accept the value.
    pub input: Input,
    /// The doc attribute.
    pub doc: TokenStream,
    /// Whether `ty` is `serde_json::Value` (a record reads it with `Member::value`).
    pub raw: bool,
}

/// How a parameter value is accepted by constructors and setters.
#[derive(Debug, Clone)]
pub enum Input {
    /// `impl Into<T>`.
    Into,
    /// `impl IntoIterator<Item = impl Into<Elem>>` collected into a `Vec`.
    Iter(TokenStream),
}

fn lenient(inner: TokenStream) -> TokenStream {
    quote!(::airbyte_agent_runtime::lenient::Lenient<#inner>)
}

fn value() -> TokenStream {
    quote!(::serde_json::Value)
}

impl Module {
    /// Emits an enum for literal values, returning its type.
    pub fn enumeration(
        &mut self,
        base_name: &str,
        values: &[Literal],
        field: &Field,
    ) -> Result<TokenStream, EmitError> {
        let name = self.types.pascal(base_name, "Value");
        let name_id = ident(&name);
        let strings: Vec<&String> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Str(s) => Some(s),
                Literal::Int(_) => None,
            })
            .collect();
        let ints: Vec<i64> = values
            .iter()
            .filter_map(|v| match v {
                Literal::Int(i) => Some(*i),
                Literal::Str(_) => None,
            })
            .collect();
        if !strings.is_empty() && !ints.is_empty() {
            return Err(EmitError::new(
                field.line,
                format!(
                    "`{}` mixes string and integer literals; no enum can hold both",
                    field.name
                ),
            ));
        }
        let mut variants = Scope::with(&["Unknown"]);
        let doc = docs::doc(
            &field.description,
            &format!("Values of {}.", docs::code(&field.name)),
        );
        let unknown_doc = docs::raw("A value this SDK does not know yet, kept as sent.");
        if !ints.is_empty() {
            let idents: Vec<_> = ints
                .iter()
                .map(|i| {
                    let raw = if *i < 0 {
                        format!("Minus{}", i.unsigned_abs())
                    } else {
                        format!("V{i}")
                    };
                    ident(&variants.unique(&raw))
                })
                .collect();
            let vdocs: Vec<_> = ints.iter().map(|i| docs::raw(&format!("`{i}`"))).collect();
            self.items.push(quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                #[non_exhaustive]
                pub enum #name_id {
                    #( #vdocs #idents, )*
                    #unknown_doc
                    Unknown(i64),
                }
                impl #name_id {
                    /// The value as sent on the wire.
                    pub fn as_i64(&self) -> i64 {
                        match self {
                            #( Self::#idents => #ints, )*
                            Self::Unknown(v) => *v,
                        }
                    }
                }
                impl From<i64> for #name_id {
                    fn from(v: i64) -> Self {
                        match v {
                            #( #ints => Self::#idents, )*
                            other => Self::Unknown(other),
                        }
                    }
                }
                impl ::std::fmt::Display for #name_id {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::write!(f, "{}", self.as_i64())
                    }
                }
                impl ::serde::Serialize for #name_id {
                    fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                        s.serialize_i64(self.as_i64())
                    }
                }
                impl<'de> ::serde::Deserialize<'de> for #name_id {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        <i64 as ::serde::Deserialize<'de>>::deserialize(d).map(Self::from)
                    }
                }
            });
            return Ok(quote!(#name_id));
        }
        let idents: Vec<_> = strings
            .iter()
            .map(|s| {
                let spelled = s.replace('+', " plus ").replacen(
                    '-',
                    " minus ",
                    usize::from(s.starts_with('-')),
                );
                ident(&variants.pascal(&spelled, "Empty"))
            })
            .collect();
        let vdocs: Vec<_> = strings
            .iter()
            .map(|s| docs::doc(&format!("\"{s}\""), "An empty string."))
            .collect();
        self.items.push(quote! {
            #doc
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name_id {
                #( #vdocs #idents, )*
                #unknown_doc
                Unknown(String),
            }
            impl #name_id {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #( Self::#idents => #strings, )*
                        Self::Unknown(v) => v.as_str(),
                    }
                }
            }
            impl From<&str> for #name_id {
                fn from(v: &str) -> Self {
                    match v {
                        #( #strings => Self::#idents, )*
                        other => Self::Unknown(ToOwned::to_owned(other)),
                    }
                }
            }
            impl From<String> for #name_id {
                fn from(v: String) -> Self {
                    Self::from(v.as_str())
                }
            }
            impl ::std::fmt::Display for #name_id {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl ::serde::Serialize for #name_id {
                fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
            impl<'de> ::serde::Deserialize<'de> for #name_id {
                fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    <String as ::serde::Deserialize<'de>>::deserialize(d).map(Self::from)
                }
            }
        });
        Ok(quote!(#name_id))
    }

    /// The plain (not `Option`, not `Lenient`) type of a value, generating nested types named
    /// from `path`. `children` are the members of an object or of an array's elements.
    fn plain(
        &mut self,
        ty: &Type,
        children: &[Field],
        path: &str,
        field: &Field,
        flavor: Flavor,
    ) -> Result<TokenStream, EmitError> {
        Ok(match ty {
            Type::String { .. } => quote!(String),
            Type::Integer => quote!(i64),
            Type::Number => match flavor {
                // Exact: an integer stays an integer when re-encoded.
                Flavor::Record => quote!(::serde_json::Number),
                Flavor::Params => quote!(f64),
            },
            Type::Boolean => quote!(bool),
            Type::Enum { values, .. } => self.enumeration(path, values, field)?,
            Type::Object if !children.is_empty() => {
                let name = self.types.pascal(path, "Object");
                let doc = docs::doc(
                    &field.description,
                    &format!("The {} object.", docs::code(&field.name)),
                );
                self.structure(&name, doc, children, flavor)?;
                let id = ident(&name);
                quote!(#id)
            }
            Type::Array(elem) => {
                let elem_ty = match (&**elem, children.is_empty()) {
                    (_, false) => self.plain(&Type::Object, children, path, field, flavor)?,
                    (Type::Nullable(inner), true) => {
                        let inner = self.plain(inner, &[], path, field, flavor)?;
                        quote!(Option<#inner>)
                    }
                    (elem, true) => self.plain(elem, &[], path, field, flavor)?,
                };
                quote!(Vec<#elem_ty>)
            }
            Type::Object | Type::Any | Type::Union(_) | Type::Loose(_) | Type::Nullable(_) => {
                value()
            }
        })
    }

    /// The field type without its `Option`.
    fn field_type(
        &mut self,
        field: &Field,
        owner: &str,
        flavor: Flavor,
    ) -> Result<(TokenStream, Input), EmitError> {
        let path = format!("{owner} {}", names::pascal(&field.name, "Field"));
        let plain = self.plain(&field.ty, &field.fields, &path, field, flavor)?;
        let is_value = is_value(field);
        Ok(match flavor {
            Flavor::Record if is_value => (plain, Input::Into),
            Flavor::Record => (lenient(plain), Input::Into),
            Flavor::Params => match &field.ty {
                Type::Array(_) => {
                    let elem = match syn::parse2::<syn::Type>(plain.clone()) {
                        Ok(syn::Type::Path(p)) => {
                            p.path.segments.last().and_then(|s| match &s.arguments {
                                syn::PathArguments::AngleBracketed(a) => {
                                    a.args.first().map(|a| quote!(#a))
                                }
                                _ => None,
                            })
                        }
                        _ => None,
                    };
                    match elem {
                        Some(elem) => (plain, Input::Iter(elem)),
                        None => (plain, Input::Into),
                    }
                }
                _ => (plain, Input::Into),
            },
        })
    }

    /// Describes the fields of a struct (generating nested types), in document order, with
    /// unique Rust names.
    pub fn fields(
        &mut self,
        owner: &str,
        fields: &[Field],
        flavor: Flavor,
    ) -> Result<Vec<FieldDef>, EmitError> {
        let mut scope = Scope::with(RESERVED_METHODS);
        let mut out = Vec::new();
        for field in fields {
            let rust = scope.snake(&field.name, "field");
            let (ty, input) = self.field_type(field, owner, flavor)?;
            let required = flavor == Flavor::Params && field.required == Some(true);
            out.push(FieldDef {
                ident: rust,
                json: field.name.clone(),
                ty,
                required,
                input,
                doc: docs::doc(&field.description, &docs::code(&field.name)),
                raw: is_value(field),
            });
        }
        Ok(out)
    }

    /// Emits a struct named `name` (already unique in this module).
    pub fn structure(
        &mut self,
        name: &str,
        doc: TokenStream,
        fields: &[Field],
        flavor: Flavor,
    ) -> Result<Vec<FieldDef>, EmitError> {
        let defs = self.fields(name, fields, flavor)?;
        let item = match flavor {
            Flavor::Record => record_struct(name, &doc, &defs),
            Flavor::Params => params_struct(name, &doc, &defs),
        };
        self.items.push(item);
        Ok(defs)
    }
}

/// Whether a field's type is `serde_json::Value` in either flavor: anything, unions, loose or
/// nullable types, and objects without documented members.
fn is_value(field: &Field) -> bool {
    matches!(
        field.ty,
        Type::Any | Type::Union(_) | Type::Loose(_) | Type::Nullable(_)
    ) || (matches!(field.ty, Type::Object) && field.fields.is_empty())
}

fn record_struct(name: &str, doc: &TokenStream, defs: &[FieldDef]) -> TokenStream {
    let name_lit = name;
    let name = ident(name);
    let fields = defs.iter().map(|d| {
        let id = ident(&d.ident);
        let serde = serde_attr(d, true);
        let ty = &d.ty;
        let doc = &d.doc;
        quote! {
            #doc
            #serde
            pub #id: Option<#ty>,
        }
    });
    // Documented members by name, each to its field (the index rejects duplicates); the rest
    // to `extra`. A record without documented members only has the catch-all.
    let read = if defs.is_empty() {
        quote!(member.extra())
    } else {
        let arms = defs.iter().enumerate().map(|(index, d)| {
            let index = proc_macro2::Literal::usize_unsuffixed(index);
            let json = &d.json;
            let id = ident(&d.ident);
            if d.raw {
                quote!(#json => member.value(#index, &mut self.#id),)
            } else {
                quote!(#json => member.field(#index, &mut self.#id),)
            }
        });
        quote! {
            match key {
                #( #arms )*
                _ => member.extra(),
            }
        }
    };
    let key = if defs.is_empty() {
        quote!(_key)
    } else {
        quote!(key)
    };
    quote! {
        #doc
        ///
        /// Every field is optional (payloads omit documented fields), typed fields keep values
        /// of an unexpected shape in [`Lenient::Other`](airbyte_agent_runtime::lenient::Lenient::Other),
        /// and undocumented members are kept in `extra`: decoding and re-encoding loses nothing
        /// but the difference between `null` and an absent member.
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize)]
        pub struct #name {
            #( #fields )*
            /// Members the document does not list, as received.
            #[serde(flatten)]
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                ::airbyte_agent_runtime::record::deserialize(deserializer)
            }
        }
        impl ::airbyte_agent_runtime::record::Record for #name {
            const NAME: &'static str = #name_lit;
            fn extra(&mut self) -> &mut ::serde_json::Map<String, ::serde_json::Value> {
                &mut self.extra
            }
            fn read_member<'de, A: ::serde::de::MapAccess<'de>>(
                &mut self,
                #key: &str,
                member: ::airbyte_agent_runtime::record::Member<'_, 'de, A>,
            ) -> Result<(), A::Error> {
                #read
            }
        }
    }
}

/// Constructor arguments and setters shared by params structs and request builders:
/// `(argument list, field initialisers for new)`.
pub fn constructor_parts(defs: &[FieldDef]) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for d in defs {
        let id = ident(&d.ident);
        if d.required {
            let ty = &d.ty;
            match &d.input {
                Input::Into => {
                    args.push(quote!(#id: impl Into<#ty>));
                    inits.push(quote!(#id: #id.into()));
                }
                Input::Iter(elem) => {
                    args.push(quote!(#id: impl IntoIterator<Item = impl Into<#elem>>));
                    inits.push(quote!(#id: IntoIterator::into_iter(#id).map(Into::into).collect()));
                }
            }
        } else {
            inits.push(quote!(#id: None));
        }
    }
    (args, inits)
}

/// A setter for an optional field: `(argument type, expression converting `value`)`.
pub fn setter_parts(d: &FieldDef) -> (TokenStream, TokenStream) {
    let ty = &d.ty;
    match &d.input {
        Input::Into => (quote!(impl Into<#ty>), quote!(value.into())),
        Input::Iter(elem) => (
            quote!(impl IntoIterator<Item = impl Into<#elem>>),
            quote!(IntoIterator::into_iter(value).map(Into::into).collect()),
        ),
    }
}

/// `#[allow]` for constructors with many required arguments.
pub fn many_args(args: usize) -> TokenStream {
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

/// A field of a params struct: required ones plain, optional ones skipped when unset.
pub(crate) fn param_field(d: &FieldDef) -> TokenStream {
    let id = ident(&d.ident);
    let ty = &d.ty;
    let doc = &d.doc;
    let serde = serde_attr(d, !d.required);
    if d.required {
        quote! {
            #doc
            #serde
            pub #id: #ty,
        }
    } else {
        quote! {
            #doc
            #serde
            pub #id: Option<#ty>,
        }
    }
}

/// `#[serde(...)]` for a field: `rename` only where the Rust name differs from the JSON name,
/// `skip_serializing_if` for optional fields; nothing when neither applies.
fn serde_attr(d: &FieldDef, optional: bool) -> TokenStream {
    let json = &d.json;
    let mut parts = Vec::new();
    if d.ident != d.json {
        parts.push(quote!(rename = #json));
    }
    if optional {
        parts.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    if parts.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

fn params_struct(name: &str, doc: &TokenStream, defs: &[FieldDef]) -> TokenStream {
    let name_id = ident(name);
    let fields = defs.iter().map(param_field);
    let (args, inits) = constructor_parts(defs);
    let allow = many_args(args.len());
    let setters = defs.iter().filter(|d| !d.required).map(|d| {
        let id = ident(&d.ident);
        let (arg, conv) = setter_parts(d);
        let doc = &d.doc;
        quote! {
            #doc
            pub fn #id(mut self, value: #arg) -> Self {
                self.#id = Some(#conv);
                self
            }
        }
    });
    let default = if args.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #doc
        #[derive(Debug, Clone, #default PartialEq, ::serde::Serialize)]
        #[non_exhaustive]
        pub struct #name_id {
            #( #fields )*
        }
        impl #name_id {
            /// Creates the value from its required members; set the others with the setters.
            #allow
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits ),* }
            }
            #( #setters )*
        }
    }
}
