// `record!` spells an accessor's type by the stored type's name: a type of the caller's own
// named `Value` or `Number` got the runtime's accessor type (`&serde_json::Value`, `f64`) and a
// "mismatched types" error inside the macro. It is now an error saying to write `as R`; with
// `as R` (last record) it compiles.
use airbyte_agent_runtime::{record, string_enum};

record! {
    /// A record of the caller's own, named like `serde_json::Value`.
    pub struct Value {
        /// A count.
        "n" => n: i64,
    }
}

string_enum! {
    /// An enum of the caller's own, named like `serde_json::Number`.
    pub enum Number {
        /// One.
        One = "one",
    }
}

record! {
    /// Holds them without `as`.
    pub struct Holder {
        /// A record.
        "value" => value: Value,
        /// An enum.
        "number" => number: Number,
    }
}

record! {
    /// Holds them with `as`.
    pub struct Fixed {
        /// A record.
        "value" => value: Value as &Value,
        /// An enum.
        "number" => number: Number as Number,
    }
}

fn main() {
    let fixed = Fixed::default();
    let _: Option<&Value> = fixed.value();
    let _: Option<Number> = fixed.number();
}
