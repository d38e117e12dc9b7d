//! Identifier sanitising: document names -> valid, unique Rust identifiers.
//!
//! Every name goes through [`snake`] or [`pascal`], and every scope (a struct's
//! fields, a module's types, an enum's variants) hands out names through a [`Scope`], which
//! detects collisions and disambiguates them deterministically (document order, numeric
//! suffixes). A connector's package and client type come from its title through [`package`]
//! and [`client`], which read the same words.
//!
//! Names are bounded: an identifier made here is at most [`MAX_IDENT`] bytes, plus a
//! scope's numeric suffix (rustdoc writes a file per item, `struct.<Name>.html`, and file
//! names are at most 255 bytes). The parser bounds the document's names
//! ([`crate::parse::MAX_NAME`]); only names made of several (a nested type's, which starts
//! with its owner's) or transliterated ones reach the bound, and are cut there.

use rustc_hash::{FxHashMap, FxHashSet};

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

/// The longest identifier [`snake`] and [`pascal`] make, in bytes (ASCII).
pub const MAX_IDENT: usize = 128;

/// The longest package name [`package`] makes (cargo's limit is 64).
pub const MAX_PACKAGE: usize = 64;

/// `s` cut to at most `max` bytes (it is ASCII), without a trailing `_` or `-`.
fn bounded(mut s: String, max: usize) -> String {
    if s.len() > max {
        s.truncate(max);
        let kept = s.trim_end_matches(['_', '-']).len();
        s.truncate(kept);
    }
    s
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
    let mut s = bounded(words(raw).to_snake_case(), MAX_IDENT - 1);
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
    let mut s = bounded(words(raw).to_upper_camel_case(), MAX_IDENT - 4);
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

/// The words of a connector's title (`Clickup-Api` -> `clickup_api`), in snake case; `None`
/// when it has no letter or digit (after transliteration) to name anything from.
fn title_words(title: &str) -> Option<String> {
    let words = words(title).to_snake_case();
    (!words.is_empty()).then_some(words)
}

/// The package of a connector's crate: `airbyte-` and the title's words in kebab case
/// (`Clickup-Api` -> `airbyte-clickup-api`, `Monday.com` -> `airbyte-monday-com`, `123` ->
/// `airbyte-123`), cut to [`MAX_PACKAGE`] bytes. `None` when the title has no words.
pub fn package(title: &str) -> Option<String> {
    let words = title_words(title)?;
    Some(bounded(
        format!("airbyte-{}", words.replace('_', "-")),
        MAX_PACKAGE,
    ))
}

/// The connector's client type, from the same words as its [`package`]: the title in
/// PascalCase (`Clickup-Api` -> `ClickupApi`), or, where that is no type name of its own (a
/// leading digit, a keyword, or a name `free` says is taken: `Error`, `Json`), the package
/// name in PascalCase (`123` -> `Airbyte123`, `Self` -> `AirbyteSelf`). `None` when the
/// title has no words.
pub fn client(title: &str, free: impl Fn(&str) -> bool) -> Option<String> {
    let words = title_words(title)?;
    let plain = bounded(words.to_upper_camel_case(), MAX_IDENT - 7);
    let own =
        !plain.starts_with(|c: char| c.is_ascii_digit()) && !is_keyword(&plain) && free(&plain);
    Some(if own {
        plain
    } else {
        format!("Airbyte{plain}")
    })
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
    taken: FxHashSet<String>,
    /// Base name -> the next numeric suffix to try for it, so that handing out `base_n`
    /// does not try `base_2` .. `base_(n-1)` again.
    next: FxHashMap<String, usize>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next: FxHashMap::default(),
        }
    }

    /// Marks `names` as taken.
    pub fn reserve(&mut self, names: &[&str]) {
        self.taken.extend(names.iter().map(|s| s.to_string()));
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
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
        let stem = base.trim_end_matches('_');
        let next = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let n = *next;
            *next += 1;
            let candidate = if snake {
                format!("{stem}_{n}")
            } else {
                format!("{stem}{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
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
