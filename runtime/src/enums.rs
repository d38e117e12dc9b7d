//! Enums of a document's literal values that never fail to parse: [`string_enum!`](crate::string_enum!)
//! (`Unknown(String)`) and [`int_enum!`](crate::int_enum!) (`Unknown(i64)`), the one implementation generated
//! crates use.

/// Implemented by enums made with [`string_enum!`](crate::string_enum): parsing a string never
/// fails (unknown values are kept).
pub trait StringEnum: Sized {
    /// The known wire values, in declaration order.
    const KNOWN: &'static [&'static str];
    /// The wire value.
    fn as_str(&self) -> &str;
    /// Parses a wire value; an unknown value becomes the `Unknown` variant.
    fn from_wire(s: &str) -> Self;
    /// Whether this is the `Unknown` variant.
    fn is_unknown(&self) -> bool;
}

/// Defines a string enum that never fails to parse: each variant names its wire value, and an
/// `Unknown(String)` variant keeps anything else. The enum is `#[non_exhaustive]` and gets
/// `as_str()`, `Display`, `FromStr` (infallible), `From<&str>`, `From<String>`,
/// [`StringEnum`](crate::enums::StringEnum), `Serialize` and a lenient `Deserialize` (numbers
/// and booleans are read as their text).
///
/// ```
/// airbyte_agent_runtime::string_enum! {
///     /// A contact's role.
///     pub enum Role {
///         /// A user.
///         User = "user",
///         /// A lead.
///         Lead = "lead",
///     }
/// }
/// let r: Role = serde_json::from_str("\"lead\"").unwrap();
/// assert_eq!(r, Role::Lead);
/// let u: Role = serde_json::from_str("\"visitor\"").unwrap();
/// assert_eq!(u, Role::Unknown("visitor".into()));
/// assert_eq!(serde_json::to_string(&u).unwrap(), "\"visitor\"");
/// ```
#[macro_export]
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, kept verbatim.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(s) => s.as_str(),
                }
            }
        }

        impl $crate::enums::StringEnum for $name {
            const KNOWN: &'static [&'static str] = &[$($value),*];
            fn as_str(&self) -> &str {
                $name::as_str(self)
            }
            fn from_wire(s: &str) -> Self {
                match s {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(::std::string::String::from(other)),
                }
            }
            fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown(_))
            }
        }

        impl $crate::lenient::Plain for $name {
            type Ref<'a> = $name;
            fn plain(&self) -> ::std::option::Option<$name> {
                ::std::option::Option::Some(::std::clone::Clone::clone(self))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                <Self as $crate::enums::StringEnum>::from_wire(s)
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match <Self as $crate::enums::StringEnum>::from_wire(&s) {
                    Self::Unknown(_) => Self::Unknown(s),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(<Self as $crate::enums::StringEnum>::from_wire(s))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                $crate::coerce::string(deserializer).map(Self::from)
            }
        }
    };
}

/// Defines an integer enum that never fails to parse: each variant names its wire value, and
/// an `Unknown(i64)` variant keeps any other integer. The enum is `#[non_exhaustive]`, `Copy`,
/// and gets `as_i64()`, `Display`, `From<i64>`, `Serialize` and `Deserialize`.
///
/// ```
/// airbyte_agent_runtime::int_enum! {
///     /// A page size.
///     pub enum PageSize {
///         /// Ten.
///         V10 = 10,
///         /// Fifty.
///         V50 = 50,
///     }
/// }
/// let p: PageSize = serde_json::from_str("50").unwrap();
/// assert_eq!(p, PageSize::V50);
/// assert_eq!(serde_json::to_string(&PageSize::from(7)).unwrap(), "7");
/// ```
#[macro_export]
macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this SDK does not know, kept verbatim.
            Unknown(i64),
        }

        impl $name {
            /// The wire value.
            pub fn as_i64(&self) -> i64 {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Unknown(v) => *v,
                }
            }
        }

        impl $crate::lenient::Plain for $name {
            type Ref<'a> = $name;
            fn plain(&self) -> ::std::option::Option<$name> {
                ::std::option::Option::Some(*self)
            }
        }

        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                match v {
                    $( $value => Self::$variant, )*
                    other => Self::Unknown(other),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::write!(f, "{}", self.as_i64())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <i64 as $crate::__private::serde::Deserialize<'de>>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
