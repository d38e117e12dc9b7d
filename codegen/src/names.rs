//! Identifier sanitising: document names -> valid, unique Rust identifiers.
//!
//! Every name goes through [`snake`] or [`pascal`], and every scope (a struct's fields, a
//! module's types, an enum's variants) hands out names through a [`Scope`], which detects
//! collisions and disambiguates them deterministically (document order, numeric suffixes).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Every Rust keyword: strict and 2018/2021/2024 reserved (`gen`, `try`, ...). Weak keywords
/// (`union`, `raw`, `safe`, `macro_rules`) are valid identifiers and stay as they are.
pub const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Type names that generated code must not define: prelude items and names the generated
/// crate uses for its own items.
pub const RESERVED_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "Iterator",
    "IntoIterator",
    "Extend",
    "ToString",
    "ToOwned",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Display",
    "Hash",
    "AsRef",
    "AsMut",
    "Unpin",
    "Self",
    "Value",
    "Map",
    "Bytes",
    "Error",
    "Client",
];

fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// Transliterates `raw` to ASCII (`Größe` -> `Grosse`, `café` -> `cafe`, `名前` -> `Ming Qian`),
/// so no letter of a name is lost, then replaces characters that cannot be in an identifier
/// by word breaks.
fn words(raw: &str) -> String {
    deunicode::deunicode(raw)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect::<String>()
}

/// A snake_case identifier for `raw` (not yet unique): keywords get a `_` suffix, a leading
/// digit a `n` prefix, an empty result becomes `fallback`.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if is_keyword(&s) {
        s.push('_');
    }
    s
}

/// A PascalCase identifier for `raw` (not yet unique).
pub fn pascal(raw: &str, fallback: &str) -> String {
    let mut s = words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    if is_keyword(&s) || RESERVED_TYPES.contains(&s.as_str()) {
        s.push_str("Type");
    }
    s
}

/// Singular of an English plural display name, for record type names (`Companies` ->
/// `Company`). Conservative: words it does not recognise stay as they are.
pub fn singular(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    if lower.ends_with("ies") && word.len() > 4 {
        format!("{}y", &word[..word.len() - 3])
    } else if lower.ends_with("sses") || lower.ends_with("xes") || lower.ends_with("ches") {
        word[..word.len() - 2].to_string()
    } else if lower.ends_with('s')
        && !lower.ends_with("ss")
        && !lower.ends_with("us")
        && !lower.ends_with("is")
        && word.len() > 3
    {
        word[..word.len() - 1].to_string()
    } else {
        word.to_string()
    }
}

/// Hands out unique names in one namespace.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Marks `names` as taken.
    pub fn reserve(&mut self, names: &[&str]) {
        self.taken.extend(names.iter().map(|s| s.to_string()));
    }

    /// `base`, or `base2`, `base3`, ... (`base_2` for snake_case) when taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let snake = base
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            || base.ends_with('_');
        let base = base.trim_end_matches('_');
        for n in 2.. {
            let candidate = if snake {
                format!("{base}_{n}")
            } else {
                format!("{base}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
        unreachable!("an unbounded counter always finds a free name")
    }

    /// A unique snake_case name for `raw`.
    pub fn snake(&mut self, raw: &str, fallback: &str) -> String {
        let base = snake(raw, fallback);
        self.unique(&base)
    }

    /// A unique PascalCase name for `raw`.
    pub fn pascal(&mut self, raw: &str, fallback: &str) -> String {
        let base = pascal(raw, fallback);
        self.unique(&base)
    }
}

/// An identifier token for a name made by this module.
pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_snake_names() {
        for (raw, want) in [
            ("type", "type_"),
            ("self", "self_"),
            ("gen", "gen_"),
            ("try", "try_"),
            ("firstName", "first_name"),
            ("IsSoldByAB", "is_sold_by_ab"),
            ("b2b?", "b2b"),
            ("page[size]", "page_size"),
            ("statuses[]", "statuses"),
            ("event.type", "event_type"),
            ("x-rate", "x_rate"),
            ("1st", "n1st"),
            ("?", "field"),
            ("_links", "links"),
            ("Größe", "grosse"),
            ("café_au_lait", "cafe_au_lait"),
            ("Nombre de página", "nombre_de_pagina"),
            ("名前", "ming_qian"),
            ("🙂", "slight_smile"),
        ] {
            assert_eq!(snake(raw, "field"), want, "{raw}");
            syn::parse_str::<syn::Ident>(want).unwrap_or_else(|e| panic!("{want}: {e}"));
        }
    }

    #[test]
    fn hostile_type_names() {
        for (raw, want) in [
            ("Option", "OptionType"),
            ("self", "SelfType"),
            ("processed_at ASC", "ProcessedAtAsc"),
            ("7", "V7"),
            ("", "Unnamed"),
            ("Área", "Area"),
            ("Straße", "Strasse"),
        ] {
            assert_eq!(pascal(raw, "Unnamed"), want, "{raw}");
        }
    }

    #[test]
    fn collisions_get_suffixes() {
        let mut scope = Scope::with(&["extra"]);
        assert_eq!(scope.snake("extra", "f"), "extra_2");
        assert_eq!(scope.snake("firstName", "f"), "first_name");
        assert_eq!(scope.snake("first_name", "f"), "first_name_2");
        assert_eq!(scope.snake("type", "f"), "type_");
        assert_eq!(scope.snake("type_", "f"), "type_2");
        let mut types = Scope::default();
        assert_eq!(types.pascal("+name", "V"), "Name");
        assert_eq!(types.pascal("-name", "V"), "Name2");
    }

    #[test]
    fn singulars() {
        for (p, s) in [
            ("Companies", "Company"),
            ("Contacts", "Contact"),
            ("Status", "Status"),
            ("Addresses", "Address"),
            ("Analysis", "Analysis"),
            ("Data", "Data"),
        ] {
            assert_eq!(singular(p), s);
        }
    }
}
