//! The documents of `tests/shapes/` (shapes none of the corpus has) become the crates their
//! text describes: each fact below is read off the IR the renderers and tool schemas read.
//! `emit_compile` builds, lints and documents the same crates.

mod common;

use airbyte_codegen::ir::{Action, Crate, EnumValues, Output, Struct, Ty, TypeDef};
use airbyte_codegen::model::ActionKind;

fn lowered(name: &str) -> Crate {
    let (_, model) = common::shapes()
        .into_iter()
        .find(|(n, _)| n == &format!("shape-{name}"))
        .unwrap_or_else(|| panic!("tests/shapes/{name}.md"));
    airbyte_codegen::lower::lower(&model).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn action<'a>(krate: &'a Crate, entity: &str, wire: &str) -> &'a Action {
    krate
        .entities
        .iter()
        .find(|e| e.wire == entity)
        .and_then(|e| e.actions.iter().find(|a| a.wire == wire))
        .unwrap_or_else(|| panic!("{entity}.{wire}"))
}

fn type_def<'a>(krate: &'a Crate, name: &str) -> &'a TypeDef {
    krate
        .entities
        .iter()
        .flat_map(|e| &e.types)
        .find(|t| match t {
            TypeDef::Record(s) | TypeDef::Params(s) => s.name == name,
            TypeDef::Enum(e) => e.name == name,
        })
        .unwrap_or_else(|| panic!("type {name}"))
}

fn field<'a>(s: &'a Struct, wire: &str) -> &'a airbyte_codegen::ir::Field {
    s.fields
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("{}.{wire}", s.name))
}

fn params_of<'a>(krate: &'a Crate, name: &str) -> &'a Struct {
    match type_def(krate, name) {
        TypeDef::Params(s) | TypeDef::Record(s) => s,
        TypeDef::Enum(_) => panic!("{name} is an enum"),
    }
}

#[test]
fn vault_download_only_delete_only_and_a_get_without_parameters() {
    let krate = lowered("vault");
    let files = krate.entities.iter().find(|e| e.wire == "files").unwrap();
    assert_eq!(files.actions.len(), 1);
    assert_eq!(files.record, None, "a download-only entity has no record");
    let download = &files.actions[0];
    assert_eq!(download.kind, ActionKind::Download);
    assert_eq!(download.output, Output::Bytes);
    let id = field(&download.params, "id");
    assert!(id.required && id.ty == Ty::String);
    assert!(!field(&download.params, "range_header").required);

    let delete = action(&krate, "locks", "delete");
    assert_eq!(delete.kind, ActionKind::Delete);
    assert!(field(&delete.params, "id").required);

    let get = action(&krate, "status", "get");
    assert!(get.params.fields.is_empty(), "{:?}", get.params.fields);
    assert!(
        matches!(&get.output, Output::Record(Ty::Struct(r)) if r == "Status"),
        "{:?}",
        get.output
    );
}

#[test]
fn atlas_nested_records_and_params_become_nested_types() {
    let krate = lowered("atlas");
    let place = params_of(&krate, "Place");
    let Ty::Struct(location) = &field(place, "location").ty else {
        panic!("location is a struct");
    };
    let location = params_of(&krate, location);
    assert_eq!(field(location, "lat").ty, Ty::Number);
    let Ty::Struct(address) = &field(location, "address").ty else {
        panic!("location.address is a struct");
    };
    let address = params_of(&krate, address);
    assert_eq!(field(address, "lines").ty, Ty::List(Box::new(Ty::String)));
    let Ty::List(tag) = &field(place, "tags").ty else {
        panic!("tags is a list");
    };
    let Ty::Struct(tag) = tag.as_ref() else {
        panic!("tags[] is a struct");
    };
    let tag = params_of(&krate, tag);
    let Ty::Struct(meta) = &field(tag, "meta").ty else {
        panic!("tags[].meta is a struct");
    };
    assert_eq!(field(params_of(&krate, meta), "score").ty, Ty::Integer);
    // `type` is a keyword: the Rust name differs, the wire name does not.
    assert_ne!(field(place, "type").rust, "type");

    let list = action(&krate, "places", "list");
    let Ty::Struct(filter) = &field(&list.params, "filter").ty else {
        panic!("filter is a struct");
    };
    let filter = params_of(&krate, filter);
    assert!(!field(&list.params, "filter").required);
    let Ty::Struct(bbox) = &field(filter, "bbox").ty else {
        panic!("filter.bbox is a struct");
    };
    let bbox = params_of(&krate, bbox);
    assert!(field(bbox, "min_lat").required && field(bbox, "max_lat").required);
    assert!(list.pagination.is_some(), "a cursor list streams");

    let create = action(&krate, "places", "create");
    assert!(field(&create.params, "location").required);
    let Ty::List(label) = &field(&create.params, "labels").ty else {
        panic!("labels is a list");
    };
    assert!(matches!(label.as_ref(), Ty::Struct(_)), "{label:?}");
}

#[test]
fn signal_enum_parameters_and_fields_keep_every_value() {
    let krate = lowered("signal");
    let list = action(&krate, "alerts", "list");
    let enum_of = |wire: &str| -> &airbyte_codegen::ir::Enum {
        let mut ty = &field(&list.params, wire).ty;
        while let Ty::List(inner) | Ty::Nullable(inner) = ty {
            ty = inner;
        }
        let Ty::Enum(name) = ty else {
            panic!("{wire}: {ty:?}");
        };
        match type_def(&krate, name) {
            TypeDef::Enum(e) => e,
            _ => panic!("{name}"),
        }
    };
    let wires = |e: &airbyte_codegen::ir::Enum| -> Vec<String> {
        match &e.values {
            EnumValues::Str(v) => v.iter().map(|v| v.wire.clone()).collect(),
            EnumValues::Int(v) => v.iter().map(|v| v.wire.to_string()).collect(),
        }
    };
    assert_eq!(wires(enum_of("severity")), ["low", "high", "critical"]);
    assert_eq!(wires(enum_of("priority")), ["1", "2", "3"]);
    assert_eq!(wires(enum_of("order")), ["asc", "desc"]);
    let source = enum_of("source");
    assert!(source.open, "`| any` leaves the set open");
    assert!(!enum_of("severity").open);
    assert_eq!(wires(enum_of("states")), ["open", "closed"]);
    let keywords = enum_of("type");
    assert_eq!(wires(keywords), ["self", "Self", "type"]);
    let EnumValues::Str(variants) = &keywords.values else {
        panic!("string enum");
    };
    let rust: std::collections::BTreeSet<_> = variants.iter().map(|v| &v.rust).collect();
    assert_eq!(rust.len(), 3, "distinct variant names: {rust:?}");
    // A decimal among the literals: `f64` (never an integer enum rejecting 0.5), the values
    // kept (exact, as written) for the doc and the tool schema; negatives and exponents too.
    let numbers = |wire: &str| -> (Vec<String>, Ty) {
        let f = field(&list.params, wire);
        let mut ty = &f.ty;
        while let Ty::List(inner) | Ty::Nullable(inner) = ty {
            ty = inner;
        }
        let Ty::NumberIn {
            values,
            open,
            record,
        } = ty
        else {
            panic!("{wire}: {ty:?}");
        };
        assert!(!open && !record, "{wire}");
        (
            values.iter().map(ToString::to_string).collect(),
            f.ty.clone(),
        )
    };
    assert_eq!(numbers("weight").0, ["0.5", "1", "1.5"]);
    assert!(field(&list.params, "weight")
        .doc
        .ends_with("One of `0.5`, `1`, `1.5`."));
    assert_eq!(numbers("scale").0, ["-1.5", "0.00001"]);
    assert!(field(&list.params, "scale").nullable);
    let (thresholds, ty) = numbers("thresholds");
    assert_eq!(thresholds, ["0.5", "1.5"]);
    assert!(matches!(ty, Ty::List(_)), "{ty:?}");
    assert_eq!(wires(enum_of("offset")), ["-1", "10", "100"]);

    // Optional parameters that may be `null` say so (their tool schema accepts it); a
    // required one holds it in its type.
    for wire in ["order", "note", "labels", "window", "scale"] {
        assert!(field(&list.params, wire).nullable, "{wire}");
    }
    for wire in ["severity", "weight", "states"] {
        assert!(!field(&list.params, wire).nullable, "{wire}");
    }
    let update = action(&krate, "alerts", "update");
    let assignee = field(&update.params, "assignee");
    assert!(assignee.required && !assignee.nullable);
    assert_eq!(assignee.ty, Ty::Nullable(Box::new(Ty::String)));

    let alert = params_of(&krate, "Alert");
    let Ty::Enum(state) = &field(alert, "state").ty else {
        panic!("state is an enum");
    };
    let TypeDef::Enum(state) = type_def(&krate, state) else {
        panic!("{state}");
    };
    assert_eq!(wires(state), ["open", "closed", "1st", ""]);

    let ack = action(&krate, "alerts", "acknowledge_all");
    assert_eq!(ack.kind, ActionKind::Other);
    assert!(ack.params.fields.is_empty());
}
