//! The normalised type grammar of Type cells, e.g. `string \| null`, `array<object>`,
//! `"asc" \| "desc"`, `object \| any` (`docs/FORMAT.md#types`).
//!
//! A type cell parses into `(Type, nullable)`: `null` is kept apart from the type because absent
//! and null differ. The [`Display`](std::fmt::Display) form is the cell's own notation without
//! the top-level `null`, and parses back to the same value; `model.yaml` stores that form.

use std::fmt;

use rustc_hash::FxHashSet as HashSet;
use serde::{Deserialize, Serialize};

/// A normalised type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Type {
    /// `string`, or a legacy `str (date-time)` with its format.
    String {
        format: Option<String>,
    },
    Integer,
    Number,
    Boolean,
    /// `object`: a JSON object whose members are either described by child rows or unknown.
    Object,
    /// `any` on its own: any JSON value.
    Any,
    /// `array<T>`; a bare `array` is `array<any>`.
    Array(Box<Type>),
    /// Literals only (`"asc" | "desc"`, `1 | 7 | 30`, `0.5 | 1 | 1.5`); `open` when a bare
    /// `any` is also allowed.
    Enum {
        values: Vec<Literal>,
        open: bool,
    },
    /// Two or more distinct non-literal members, e.g. `integer | string`.
    Union(Vec<Type>),
    /// A type plus `any`, e.g. `object | any`: documented as `T` but may be anything.
    Loose(Box<Type>),
    /// `T | null` where nullability cannot live in a field flag: inside `array<…>` or a union.
    Nullable(Box<Type>),
}

/// One literal of an enum type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Literal {
    Str(String),
    Int(i64),
    /// A number with a fraction or an exponent, as written (`0.5`, `-1.25`, `1e-05`): the
    /// text is kept, so the value is exact.
    Dec(String),
    /// A boolean constant: `True` or `False` alone (both together are the type `boolean`).
    Bool(bool),
}

/// Why a type cell did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TypeError {
    pub message: String,
}

fn err(message: impl Into<String>) -> TypeError {
    TypeError {
        message: message.into(),
    }
}

/// How deep `array<…>` may nest in one type cell: real documents use 2; deeper types would
/// give recursion deep enough to exhaust the stack in the code generated from them.
const MAX_ARRAY_DEPTH: usize = 8;

impl Type {
    /// Parses a type cell's text (backticks removed, `\|` unescaped) into the type and whether
    /// it admitted `null`.
    pub fn parse_cell(text: &str) -> Result<(Type, bool), TypeError> {
        Type::parse_cell_noting(text, &mut Vec::new())
    }

    /// [`Type::parse_cell`], pushing onto `repeated` each member that says again what an
    /// earlier one said (`"a" | "a"`, `string | str`, `null | None`), at any depth: a union is a
    /// set, so the type keeps it once, and the caller reports it.
    pub fn parse_cell_noting(
        text: &str,
        repeated: &mut Vec<String>,
    ) -> Result<(Type, bool), TypeError> {
        let mut depth = 0usize;
        for b in text.bytes() {
            match b {
                b'<' => depth += 1,
                b'>' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_ARRAY_DEPTH {
                return Err(err(format!(
                    "`array<…>` nested more than {MAX_ARRAY_DEPTH} levels deep"
                )));
            }
        }
        let members = split_union(text)?;
        let mut nullable = false;
        let mut any = false;
        // The distinct literals in written order; sets make a cell of thousands of members
        // linear to read.
        let mut literals = Vec::new();
        let mut seen: HashSet<Literal> = HashSet::default();
        // The distinct non-literal members: the first apart, as most cells have only one.
        let mut first: Option<Type> = None;
        let mut more: Vec<Type> = Vec::new();
        let mut types: HashSet<Type> = HashSet::default();
        // Whether the type was new; `True | False` both say boolean without repeating.
        let mut add = |t: Type, first: &mut Option<Type>, more: &mut Vec<Type>| {
            if first.is_none() {
                types.insert(t.clone());
                *first = Some(t);
                true
            } else if types.insert(t.clone()) {
                more.push(t);
                true
            } else {
                false
            }
        };
        let mut boolean_literal = false;
        // The boolean literals written (`True`, `false`): one alone is a constant.
        let mut booleans: Vec<bool> = Vec::new();
        for member in members {
            let new = match member {
                // `None` is Python's `null`, as the documents' generator writes an enum's
                // `null` member with `str()`.
                "null" | "None" => !std::mem::replace(&mut nullable, true),
                "any" => !std::mem::replace(&mut any, true),
                // Python's (and JSON's) boolean literals: a boolean, the const noted nowhere
                // else (a one-literal boolean enum is still a boolean on the wire).
                "True" | "False" | "true" | "false" => {
                    boolean_literal = true;
                    let b = member.eq_ignore_ascii_case("true");
                    let new = !booleans.contains(&b);
                    if new {
                        booleans.push(b);
                    }
                    add(Type::Boolean, &mut first, &mut more);
                    new
                }
                m => match parse_literal(m)? {
                    Some(lit) => {
                        let new = seen.insert(lit.clone());
                        if new {
                            literals.push(lit);
                        }
                        new
                    }
                    None => add(parse_member(m, repeated)?, &mut first, &mut more),
                },
            };
            if !new {
                repeated.push(member.to_string());
            }
        }
        // One boolean literal alone (`True`, `False | None`): a constant, kept as a literal.
        if let ([b], true, Some(Type::Boolean), true) = (
            booleans.as_slice(),
            literals.is_empty(),
            &first,
            more.is_empty(),
        ) {
            literals.push(Literal::Bool(*b));
            first = None;
        }
        if !literals.is_empty() && first.is_some() {
            let booleans = if boolean_literal {
                " (`true` and `false` are the type boolean)"
            } else {
                ""
            };
            return Err(err(format!(
                "`{text}` mixes literals with types{booleans}; expected either literals (`\"a\" | \"b\"`, `1 | 2`) or types (`string | integer`)"
            )));
        }
        let ty = if !literals.is_empty() {
            Type::Enum {
                values: literals,
                open: any,
            }
        } else {
            let base = match first {
                None if any => return Ok((Type::Any, nullable)),
                None => {
                    return Err(err(format!(
                        "`{text}` has no type besides `null`; expected e.g. `string | null`"
                    )))
                }
                Some(t) if more.is_empty() => t,
                Some(t) => {
                    more.insert(0, t);
                    Type::Union(more)
                }
            };
            if any {
                Type::Loose(Box::new(base))
            } else {
                base
            }
        };
        Ok((ty, nullable))
    }

    /// Whether values of this type are single JSON scalars (strings, numbers, booleans).
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            Type::String { .. } | Type::Integer | Type::Number | Type::Boolean | Type::Enum { .. }
        )
    }
}

/// The members of a union: checks `text`, then splits it on `|` at `<>`-depth 0 outside double
/// quotes, members trimmed.
fn split_union(text: &str) -> Result<impl Iterator<Item = &str>, TypeError> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut start = 0;
    let mut members = 1;
    let mut empty = false;
    // The delimiters are ASCII, so bytes of multi-byte characters never match them.
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'<' if !quoted => depth += 1,
            b'>' if !quoted => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| err(format!("`{text}` has an unmatched `>`")))?
            }
            b'|' if !quoted && depth == 0 => {
                empty |= text[start..i].trim().is_empty();
                members += 1;
                start = i + 1;
            }
            _ => {}
        }
    }
    if quoted {
        return Err(err(format!("`{text}` has an unterminated string literal")));
    }
    if depth != 0 {
        return Err(err(format!("`{text}` has an unclosed `<`")));
    }
    empty |= text[start..].trim().is_empty();
    if empty {
        let what = if members == 1 {
            "is empty"
        } else {
            "has an empty union member"
        };
        return Err(err(format!(
            "type `{text}` {what}; expected e.g. `string` or `string | null`"
        )));
    }
    Ok(members_of(text))
}

/// The trimmed members of a checked union.
fn members_of(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let s = rest?;
        let mut depth = 0usize;
        let mut quoted = false;
        for (i, b) in s.bytes().enumerate() {
            match b {
                b'"' => quoted = !quoted,
                b'<' if !quoted => depth += 1,
                b'>' if !quoted => depth = depth.saturating_sub(1),
                b'|' if !quoted && depth == 0 => {
                    rest = Some(&s[i + 1..]);
                    return Some(s[..i].trim());
                }
                _ => {}
            }
        }
        rest = None;
        Some(s.trim())
    })
}

/// A decimal literal as Python's `str()` writes a float: `0.5`, `-1.25`, `1e-05`, `1.5e+20`.
fn is_decimal(m: &str) -> bool {
    let digits = m.strip_prefix('-').unwrap_or(m);
    let (mantissa, exponent) = match digits.split_once(['e', 'E']) {
        Some((mant, exp)) => (mant, Some(exp.strip_prefix(['+', '-']).unwrap_or(exp))),
        None => (digits, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, frac)) => all_digits(whole) && all_digits(frac),
        None => all_digits(mantissa) && exponent.is_some(),
    };
    mantissa_ok && exponent.is_none_or(all_digits)
}

/// A string, integer or decimal literal; `None` for anything else (a type name). An integer
/// literal outside the 64-bit range is an error: the generated enum holds `i64` values.
fn parse_literal(m: &str) -> Result<Option<Literal>, TypeError> {
    if m.len() >= 2 && m.starts_with('"') && m.ends_with('"') {
        return Ok(Some(Literal::Str(m[1..m.len() - 1].to_string())));
    }
    if is_decimal(m) {
        return Ok(Some(Literal::Dec(m.to_string())));
    }
    let digits = m.strip_prefix('-').unwrap_or(m);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match m.parse() {
            Ok(i) => Ok(Some(Literal::Int(i))),
            Err(_) => Err(err(format!(
                "the integer literal `{m}` is outside the 64-bit range ({} to {}) of the \
                 generated integer enum",
                i64::MIN,
                i64::MAX
            ))),
        };
    }
    Ok(None)
}

fn parse_member(m: &str, repeated: &mut Vec<String>) -> Result<Type, TypeError> {
    Ok(match m {
        "string" | "str" => Type::String { format: None },
        "integer" | "int" => Type::Integer,
        "number" | "float" => Type::Number,
        "boolean" | "bool" => Type::Boolean,
        "object" => Type::Object,
        "array" => Type::Array(Box::new(Type::Any)),
        _ => {
            if let Some(inner) = m.strip_prefix("array<").and_then(|r| r.strip_suffix('>')) {
                let (t, nullable) = Type::parse_cell_noting(inner, repeated)?;
                let t = if nullable {
                    Type::Nullable(Box::new(t))
                } else {
                    t
                };
                Type::Array(Box::new(t))
            } else if let Some(format) = string_format(m) {
                Type::String {
                    format: Some(format.to_string()),
                }
            } else {
                return Err(err(format!(
                    "unknown type `{m}`; expected string, integer, number, boolean, object, array, array<T>, any, null or a \"literal\""
                )));
            }
        }
    })
}

/// `str (date-time)`, `string (date-time)`, `string(date-time)` -> `date-time`.
fn string_format(m: &str) -> Option<&str> {
    let rest = m.strip_prefix("string").or_else(|| m.strip_prefix("str"))?;
    let format = rest
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let valid = !format.is_empty()
        && format
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    valid.then_some(format)
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(s) => write!(f, "\"{s}\""),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Dec(d) => f.write_str(d),
            Literal::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String { format: None } => f.write_str("string"),
            Type::String {
                format: Some(format),
            } => write!(f, "string({format})"),
            Type::Integer => f.write_str("integer"),
            Type::Number => f.write_str("number"),
            Type::Boolean => f.write_str("boolean"),
            Type::Object => f.write_str("object"),
            Type::Any => f.write_str("any"),
            Type::Array(t) => write!(f, "array<{t}>"),
            Type::Enum { values, open } => {
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{v}")?;
                }
                if *open {
                    f.write_str(" | any")?;
                }
                Ok(())
            }
            Type::Union(ts) => {
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{t}")?;
                }
                Ok(())
            }
            Type::Loose(t) => write!(f, "{t} | any"),
            Type::Nullable(t) => write!(f, "{t} | null"),
        }
    }
}

impl From<Type> for String {
    fn from(t: Type) -> String {
        t.to_string()
    }
}

impl TryFrom<String> for Type {
    type Error = TypeError;

    fn try_from(s: String) -> Result<Type, TypeError> {
        match Type::parse_cell(&s)? {
            (t, false) => Ok(t),
            (t, true) => Ok(Type::Nullable(Box::new(t))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repeated(s: &str) -> Vec<String> {
        let mut repeated = Vec::new();
        Type::parse_cell_noting(s, &mut repeated).unwrap_or_else(|e| panic!("{s}: {e}"));
        repeated
    }

    /// A member that says again what an earlier one said is reported, at any depth; members
    /// that only together say one thing (`True | False`) are not.
    #[test]
    fn repeated_members_are_reported() {
        assert_eq!(repeated(r#""a" | "b" | "A" | "a""#), [r#""a""#]);
        assert_eq!(
            repeated("string | str | null | None | any | any"),
            ["str", "None", "any"]
        );
        assert_eq!(repeated("array<int | integer> | null"), ["integer"]);
        assert_eq!(repeated("0.5 | 1 | 0.5"), ["0.5"]);
        assert_eq!(repeated("1 | 2 | 1"), ["1"]);
        assert!(repeated("True | False").is_empty());
        assert!(repeated(r#""a" | "A" | None"#).is_empty());
        assert_eq!(p(r#""a" | "b" | "a""#), p(r#""a" | "b""#));
        let e = Type::parse_cell(r#""x" | 1 | true"#).unwrap_err();
        assert!(
            e.message.contains("mixes literals with types (`true`"),
            "{e}"
        );
        let e = Type::parse_cell(r#""x" | string"#).unwrap_err();
        assert!(e.message.contains("mixes literals with types;"), "{e}");
    }

    /// An integer literal past `i64` is named as such, not as an unknown type; the extremes of
    /// `i64` are literals like any other.
    #[test]
    fn integer_literals_beyond_64_bits_are_named() {
        for cell in ["1 | 9223372036854775808", "-9223372036854775809 | 0"] {
            let e = Type::parse_cell(cell).unwrap_err();
            assert!(
                e.message.starts_with("the integer literal `")
                    && e.message.contains("outside the 64-bit range"),
                "{cell}: {e}"
            );
        }
        assert_eq!(
            p("-9223372036854775808 | 9223372036854775807").0,
            Type::Enum {
                values: vec![Literal::Int(i64::MIN), Literal::Int(i64::MAX)],
                open: false,
            }
        );
    }

    fn p(s: &str) -> (Type, bool) {
        Type::parse_cell(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn s() -> Type {
        Type::String { format: None }
    }

    #[test]
    fn display_round_trips() {
        for cell in [
            "string",
            "string(date-time)",
            "array<object | null>",
            "\"a\" | \"b\" | any",
            "integer | string",
            "object | any",
            "any | array<string | object> | object",
            "1 | 7 | 30",
            "0.5 | 1 | 1.5 | any",
            "-1 | 1e-05",
            "array<0.5 | 1.5 | null>",
        ] {
            let (t, _) = p(cell);
            let shown = t.to_string();
            assert_eq!(p(&shown).0, t, "{cell} -> {shown}");
        }
    }

    /// Case 10: cells written by Python's `str()`: `None` is the `null` member in any
    /// position, `True`/`False` are booleans, decimal literals make a number.
    #[test]
    fn case_10_python_rendered_enum_members() {
        let strs = |v: &[&str]| Type::Enum {
            values: v.iter().map(|s| Literal::Str((*s).into())).collect(),
            open: false,
        };
        assert_eq!(
            p(r#"None | "ai_answer" | "custom_answer""#),
            (strs(&["ai_answer", "custom_answer"]), true)
        );
        assert_eq!(
            p(
                r#""assumed_resolution" | "confirmed_resolution" | "routed_to_team" | "abandoned" | None"#
            ),
            (
                strs(&[
                    "assumed_resolution",
                    "confirmed_resolution",
                    "routed_to_team",
                    "abandoned"
                ]),
                true
            )
        );
        assert_eq!(
            p(r#""Customer" | "Back-office" | None | "Tracker""#),
            (strs(&["Customer", "Back-office", "Tracker"]), true)
        );
        // One boolean literal alone is a constant, kept; both are the type boolean.
        let constant = |b| Type::Enum {
            values: vec![Literal::Bool(b)],
            open: false,
        };
        assert_eq!(p("True"), (constant(true), false));
        assert_eq!(p("False | None"), (constant(false), true));
        assert_eq!(p("true").0.to_string(), "true");
        assert_eq!(p("True | False | None"), (Type::Boolean, true));
        assert_eq!(p("True | integer").0.to_string(), "boolean | integer");
        // Decimal literals keep their values (as written, exact): a numeric enum.
        let nums = |v: &[&str]| Type::Enum {
            values: v
                .iter()
                .map(|s| match s.parse() {
                    Ok(i) => Literal::Int(i),
                    Err(_) => Literal::Dec((*s).into()),
                })
                .collect(),
            open: false,
        };
        assert_eq!(p("0.5 | 1 | 1.5"), (nums(&["0.5", "1", "1.5"]), false));
        assert_eq!(p("1 | 0.25"), (nums(&["1", "0.25"]), false));
        assert_eq!(p("1e-05 | None"), (nums(&["1e-05"]), true));
        assert_eq!(p("-1.5 | 2.5E+3"), (nums(&["-1.5", "2.5E+3"]), false));
        // Integer literals alone stay an integer enum.
        assert_eq!(
            p("1 | 7 | 30"),
            (
                Type::Enum {
                    values: vec![Literal::Int(1), Literal::Int(7), Literal::Int(30)],
                    open: false
                },
                false
            )
        );
        // What is still an error: only `None`, string literals beside a boolean.
        assert!(Type::parse_cell("None").is_err());
        assert!(Type::parse_cell(r#""a" | True"#).is_err());
        assert!(Type::parse_cell("1.").is_err());
        assert!(Type::parse_cell(".5").is_err());
    }

    #[test]
    fn plain_scalars() {
        assert_eq!(p("string"), (s(), false));
        assert_eq!(p("integer"), (Type::Integer, false));
        assert_eq!(p("number"), (Type::Number, false));
        assert_eq!(p("boolean"), (Type::Boolean, false));
        assert_eq!(p("object"), (Type::Object, false));
        assert_eq!(p("array"), (Type::Array(Box::new(Type::Any)), false));
        assert_eq!(p("any"), (Type::Any, false));
    }

    /// Every distinct Type cell of the 25 sample documents and the legacy forms:
    /// (cell, normalised form, nullable).
    const CELLS: &[(&str, &str, bool)] = &[
        ("string", "string", false),
        ("string | null", "string", true),
        ("integer", "integer", false),
        ("null | string", "string", true),
        ("object", "object", false),
        ("array", "array<any>", false),
        ("boolean", "boolean", false),
        ("number", "number", false),
        ("integer | null", "integer", true),
        ("null | integer", "integer", true),
        ("boolean | null", "boolean", true),
        ("object | null", "object", true),
        ("null | boolean", "boolean", true),
        ("array | null", "array<any>", true),
        ("object | any", "object | any", false),
        ("number | null", "number", true),
        ("array<object>", "array<object>", false),
        ("null | object", "object", true),
        ("null | array", "array<any>", true),
        ("null | number", "number", true),
        ("array<string>", "array<string>", false),
        ("string | any", "string | any", false),
        ("\"asc\" | \"desc\"", "\"asc\" | \"desc\"", false),
        (
            "string | integer | boolean | null",
            "string | integer | boolean",
            true,
        ),
        ("number | any", "number | any", false),
        ("array<integer>", "array<integer>", false),
        (
            "\"DAILY\" | \"MONTHLY\" | \"ALL\"",
            "\"DAILY\" | \"MONTHLY\" | \"ALL\"",
            false,
        ),
        ("boolean | integer | null", "boolean | integer", true),
        ("boolean | number", "boolean | number", false),
        ("null | array | object", "array<any> | object", true),
        ("null | integer | object", "integer | object", true),
        ("null | integer | string", "integer | string", true),
        ("string | integer | null", "string | integer", true),
        (
            "\"processed_at ASC\" | \"processed_at DESC\"",
            "\"processed_at ASC\" | \"processed_at DESC\"",
            false,
        ),
        (
            "\"open\" | \"closed\" | \"any\"",
            "\"open\" | \"closed\" | \"any\"",
            false,
        ),
        ("\"transcript\"", "\"transcript\"", false),
        ("1 | 7 | 30", "1 | 7 | 30", false),
        (
            "any | array<string | object> | object",
            "array<string | object> | object | any",
            false,
        ),
        ("integer | string", "integer | string", false),
        // Allowed by the format, not in the samples.
        ("any", "any", false),
        ("array<object | null>", "array<object | null>", false),
        ("array<\"A\" | \"B\">", "array<\"A\" | \"B\">", false),
        ("\"a\" | \"b\" | any", "\"a\" | \"b\" | any", false),
        // Legacy tables.
        ("str", "string", false),
        ("int", "integer", false),
        ("bool", "boolean", false),
        ("str (date-time)", "string(date-time)", false),
    ];

    #[test]
    fn every_corpus_type_cell() {
        for (cell, want, nullable) in CELLS {
            let (t, n) = p(cell);
            assert_eq!((t.to_string().as_str(), n), (*want, *nullable), "{cell}");
        }
    }

    #[test]
    fn bad_cells_are_errors() {
        for cell in [
            "",
            "strng",
            "array<",
            "\"open",
            "null",
            "string |",
            "\"a\" | integer",
            "array<object>>",
        ] {
            assert!(Type::parse_cell(cell).is_err(), "{cell:?} should not parse");
        }
    }
}
