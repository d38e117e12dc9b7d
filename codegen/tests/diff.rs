//! `airbyte_codegen::diff`: one synthetic edit per change kind with its classification (the text
//! reports in one snapshot), the issue's done-when edits of `spec/intercom/REFERENCE.md`, and
//! the real pair `spec/intercom/REFERENCE.md` -> `../shared/corpus/intercom.md`.

mod common;

use std::collections::BTreeSet;

use airbyte_codegen::diff::{self, Bump, Report};
use airbyte_codegen::ir::{self, TypeDef};
use airbyte_codegen::lower::lower;
use airbyte_codegen::model::{Action, Connector, Entity, Field, Response, SearchEnvelope, Type};

fn spec_text() -> String {
    std::fs::read_to_string(common::root().join("spec/intercom/REFERENCE.md")).unwrap()
}

fn parse(text: &str) -> Connector {
    airbyte_codegen::parse::parse("spec/intercom/REFERENCE.md", text)
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .connector
}

fn intercom() -> Connector {
    parse(&spec_text())
}

fn ty(text: &str) -> Type {
    // A YAML single-quoted scalar, as model.yaml writes types.
    let quoted = format!("'{}'", text.replace('\'', "''"));
    serde_yaml::from_str(&quoted).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn field(name: &str, t: &str, required: Option<bool>) -> Field {
    Field {
        name: name.into(),
        ty: ty(t),
        nullable: false,
        required,
        default: None,
        description: format!("The {name}."),
        line: 1,
        fields: Vec::new(),
    }
}

fn entity<'a>(c: &'a mut Connector, id: &str) -> &'a mut Entity {
    c.entities.iter_mut().find(|e| e.id == id).unwrap()
}

fn action<'a>(c: &'a mut Connector, id: &str, name: &str) -> &'a mut Action {
    entity(c, id)
        .actions
        .iter_mut()
        .find(|a| a.name == name)
        .unwrap()
}

fn records(a: &mut Action) -> &mut Vec<Field> {
    match &mut a.response {
        Some(Response::Records { records, .. }) => records,
        _ => panic!("{} has no records", a.name),
    }
}

fn meta(a: &mut Action) -> &mut Vec<Field> {
    match &mut a.response {
        Some(Response::Records { meta, .. }) => meta,
        _ => panic!("{} has no records", a.name),
    }
}

fn searchable(a: &mut Action) -> &mut Vec<Field> {
    match &mut a.response {
        Some(Response::Search(s)) => &mut s.fields,
        _ => panic!("{} is no search", a.name),
    }
}

fn named<'a>(fields: &'a mut [Field], name: &str) -> &'a mut Field {
    fields.iter_mut().find(|f| f.name == name).unwrap()
}

/// An edit of the Contacts record in both Records tables (List and Get): the entity record
/// merges them, so a field is in the crate while any table has it.
fn contact_records(c: &mut Connector, edit: impl Fn(&mut Vec<Field>)) {
    for name in ["list", "get"] {
        edit(records(action(c, "contacts", name)));
    }
}

type Edit = Box<dyn Fn(&mut Connector)>;

/// (case, base model, edit of the new side, expected bump, expected change kinds).
/// `base` with an optional parameter `weight` of type `t` on `reports.list`.
fn with_weight(base: &Connector, t: &str) -> Connector {
    let mut c = base.clone();
    action(&mut c, "reports", "list")
        .params
        .push(field("weight", t, Some(false)));
    c
}

fn model_cases() -> Vec<(&'static str, Connector, Edit, Bump, &'static [&'static str])> {
    let intercom = intercom();
    let enums = common::model("enums");
    let mut two_required = intercom.clone();
    action(&mut two_required, "contacts", "get")
        .params
        .push(field("workspace", "string", Some(true)));
    let mut no_phone_in_list = intercom.clone();
    records(action(&mut no_phone_in_list, "contacts", "list")).retain(|f| f.name != "phone");
    let mut no_replication = intercom.clone();
    no_replication.replication = None;
    let mut no_team_search = intercom.clone();
    entity(&mut no_team_search, "teams")
        .actions
        .retain(|a| a.name != "search");
    vec![
        (
            "identical",
            intercom.clone(),
            Box::new(|_: &mut Connector| {}),
            Bump::None,
            &[],
        ),
        (
            "record field removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                contact_records(c, |r| r.retain(|f| f.name != "marked_email_as_spam"))
            }),
            Bump::Major,
            &["field_removed"],
        ),
        (
            "record field added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                records(action(c, "contacts", "get")).push(field("nickname", "string", None))
            }),
            Bump::Minor,
            &["field_added"],
        ),
        (
            "record field type changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                contact_records(c, |r| named(r, "owner_id").ty = ty("string"))
            }),
            Bump::Major,
            &["field_type_changed"],
        ),
        (
            "record row removed from one of the merged tables",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                records(action(c, "contacts", "list")).retain(|f| f.name != "phone")
            }),
            Bump::Patch,
            &["row_removed"],
        ),
        (
            "record row added to one of the merged tables",
            no_phone_in_list,
            Box::new(|c: &mut Connector| {
                records(action(c, "contacts", "list")).push(field("phone", "string", None))
            }),
            Bump::Patch,
            &["row_added"],
        ),
        (
            "record field gains members (a new nested type)",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                contact_records(c, |r| {
                    named(r, "location").fields = vec![field("city", "string", None)];
                    named(r, "location").ty = ty("object");
                })
            }),
            Bump::Major,
            &["field_type_changed", "type_added"],
        ),
        (
            "record field nullable changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "contacts", "get")), "email").nullable = false
            }),
            Bump::Patch,
            &["nullable_changed"],
        ),
        (
            "meta table emptied (its one field was stream()'s cursor)",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                meta(action(c, "contacts", "list")).retain(|f| f.name != "next_page")
            }),
            Bump::Major,
            &["output_changed", "pagination_removed", "type_removed"],
        ),
        (
            "optional parameter added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                action(c, "contacts", "list")
                    .params
                    .push(field("email", "string", Some(false)))
            }),
            Bump::Minor,
            &["param_added"],
        ),
        (
            "required parameter added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                action(c, "contacts", "get")
                    .params
                    .push(field("workspace", "string", Some(true)))
            }),
            Bump::Major,
            &["param_added"],
        ),
        (
            "required parameters reordered",
            two_required,
            Box::new(|c: &mut Connector| action(c, "contacts", "get").params.reverse()),
            Bump::Major,
            &["param_order_changed"],
        ),
        (
            "parameter removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                action(c, "contacts", "list")
                    .params
                    .retain(|p| p.name != "per_page")
            }),
            Bump::Major,
            &["param_removed"],
        ),
        (
            "parameter became required",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "contacts", "list").params, "per_page").required = Some(true)
            }),
            Bump::Major,
            &["param_required_changed"],
        ),
        (
            "parameter type changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "contacts", "list").params, "per_page").ty = ty("string")
            }),
            Bump::Major,
            &["param_type_changed"],
        ),
        (
            "parameter wire name changed, Rust name kept",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "contacts", "list").params, "per_page").name = "perPage".into()
            }),
            Bump::Patch,
            &["param_wire_changed"],
        ),
        (
            "parameter description changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "contacts", "list").params, "per_page").description =
                    "How many contacts a page holds".into()
            }),
            Bump::Patch,
            &["description_changed"],
        ),
        (
            "action description changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                action(c, "contacts", "get").description = "Gets one contact.".into()
            }),
            Bump::Patch,
            &["description_changed"],
        ),
        (
            "action added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                let mut delete = action(c, "tags", "get").clone();
                delete.kind = airbyte_codegen::model::ActionKind::Delete;
                delete.name = "delete".into();
                delete.label = "Delete".into();
                delete.response = None;
                entity(c, "tags").actions.push(delete);
            }),
            Bump::Minor,
            &["action_added"],
        ),
        (
            "action removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| entity(c, "segments").actions.retain(|a| a.name != "get")),
            Bump::Major,
            &["action_removed"],
        ),
        (
            "search renamed context_store_search",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                let a = action(c, "contacts", "search");
                a.name = "context_store_search".into();
                a.label = "Context Store Search".into();
            }),
            Bump::Major,
            &[
                "method_renamed",
                "action_wire_changed",
                "action_label_changed",
            ],
        ),
        (
            "search envelope changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                if let Some(Response::Search(s)) = &mut action(c, "teams", "search").response {
                    s.envelope = SearchEnvelope::DataMeta;
                }
            }),
            Bump::Major,
            &["output_changed", "pagination_changed"],
        ),
        (
            "search action removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| entity(c, "teams").actions.retain(|a| a.name != "search")),
            Bump::Major,
            &["action_removed", "search_removed", "type_removed"],
        ),
        (
            "search action added",
            no_team_search,
            {
                let with = intercom.clone();
                Box::new(move |c: &mut Connector| *c = with.clone())
            },
            Bump::Minor,
            &["action_added", "search_added", "type_added"],
        ),
        (
            "searchable field added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                searchable(action(c, "teams", "search")).push(field("size", "integer", None))
            }),
            Bump::Minor,
            &["searchable_field_added", "field_added"],
        ),
        (
            "searchable field removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                searchable(action(c, "teams", "search")).retain(|f| f.name != "name")
            }),
            Bump::Major,
            &["searchable_field_removed", "field_removed"],
        ),
        (
            "searchable field kind changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                named(searchable(action(c, "teams", "search")), "name").ty = ty("integer")
            }),
            Bump::Major,
            &["searchable_field_kind_changed", "field_type_changed"],
        ),
        (
            "entity added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                let mut labels = entity(c, "tags").clone();
                labels.id = "labels".into();
                labels.name = "Labels".into();
                c.entities.push(labels);
            }),
            Bump::Minor,
            &["entity_added"],
        ),
        (
            "entity id changed, module kept",
            intercom.clone(),
            Box::new(|c: &mut Connector| entity(c, "tags").id = "Tags".into()),
            Bump::Major,
            &["entity_wire_changed"],
        ),
        (
            "entity removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| c.entities.retain(|e| e.id != "segments")),
            Bump::Major,
            &["entity_removed"],
        ),
        (
            "entity renamed (display name; id kept)",
            intercom.clone(),
            Box::new(|c: &mut Connector| entity(c, "tags").name = "Labels".into()),
            Bump::Major,
            &["entity_label_changed", "type_renamed"],
        ),
        (
            "endpoint changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                c.endpoint.path = "/api/v1/integrations/connectors/{connector_id}/execute".into();
                c.endpoint.path_param = "connector_id".into();
            }),
            Bump::Major,
            &["endpoint_changed"],
        ),
        (
            "title changed, connector type kept",
            intercom.clone(),
            Box::new(|c: &mut Connector| c.title = "intercom".into()),
            Bump::Patch,
            &["title_changed"],
        ),
        (
            "title changed, connector type renamed",
            intercom.clone(),
            Box::new(|c: &mut Connector| c.title = "Intercom Inc".into()),
            Bump::Major,
            &["connector_renamed", "title_changed"],
        ),
        (
            "replication option added",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                if let Some(r) = &mut c.replication {
                    r.fields.push(field("region", "string", Some(false)));
                }
            }),
            Bump::Minor,
            &["param_added"],
        ),
        (
            "replication option default changed",
            intercom.clone(),
            Box::new(|c: &mut Connector| {
                if let Some(r) = &mut c.replication {
                    r.fields[0].default = Some("2020-01-01T00:00:00Z".into());
                }
            }),
            Bump::Patch,
            &["default_changed"],
        ),
        (
            "replication added",
            no_replication,
            {
                let with = intercom.clone();
                Box::new(move |c: &mut Connector| *c = with.clone())
            },
            Bump::Minor,
            &["replication_added"],
        ),
        (
            "replication removed",
            intercom.clone(),
            Box::new(|c: &mut Connector| c.replication = None),
            Bump::Major,
            &["replication_removed"],
        ),
        (
            "enum value added",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "status").ty =
                    ty(r#""open" | "closed" | "any" | "archived""#)
            }),
            Bump::Minor,
            &["variant_added"],
        ),
        (
            "a parameter's enum opened to other values",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "order").ty =
                    ty(r#""asc" | "desc" | any"#)
            }),
            Bump::Minor,
            &["enum_opened"],
        ),
        (
            "a parameter's open enum closed to its values",
            {
                let mut open = enums.clone();
                named(&mut action(&mut open, "reports", "list").params, "order").ty =
                    ty(r#""asc" | "desc" | any"#);
                open
            },
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "order").ty =
                    ty(r#""asc" | "desc""#)
            }),
            Bump::Major,
            &["enum_closed"],
        ),
        (
            "a parameter's numbers widened (decimal literals: `f64` either way)",
            with_weight(&enums, "0.5 | 1"),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "weight").ty = ty("0.5 | 1 | 1.5")
            }),
            Bump::Minor,
            &["values_widened"],
        ),
        (
            "a parameter's numbers narrowed",
            with_weight(&enums, "0.5 | 1 | 1.5"),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "weight").ty = ty("0.5 | 1.0")
            }),
            Bump::Major,
            &["values_narrowed"],
        ),
        (
            "any number limited to listed values",
            with_weight(&enums, "number"),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "weight").ty = ty("0.5 | 1")
            }),
            Bump::Major,
            &["values_narrowed"],
        ),
        (
            "an optional parameter takes null",
            with_weight(&enums, "number"),
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "weight").nullable = true
            }),
            Bump::Minor,
            &["null_accepted", "nullable_changed"],
        ),
        (
            "an optional parameter no longer takes null",
            {
                let mut c = with_weight(&enums, "number");
                named(&mut action(&mut c, "reports", "list").params, "weight").nullable = true;
                c
            },
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "weight").nullable = false
            }),
            Bump::Major,
            &["null_refused", "nullable_changed"],
        ),
        (
            "a required parameter takes null: its type becomes `Option<T>`",
            {
                let mut c = enums.clone();
                let p = &mut action(&mut c, "reports", "list").params;
                p.push(field("owner", "string", Some(true)));
                c
            },
            Box::new(|c: &mut Connector| {
                named(&mut action(c, "reports", "list").params, "owner").nullable = true;
            }),
            Bump::Major,
            &["nullable_changed", "param_type_changed"],
        ),
        (
            "a record's open enum closed: the record keeps any value either way",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "loose").ty = ty(r#""a" | "b""#)
            }),
            Bump::None,
            &[],
        ),
        (
            "enum value removed",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "status").ty =
                    ty(r#""open" | "closed""#)
            }),
            Bump::Major,
            &["variant_removed"],
        ),
        (
            "enum value wire text changed, variant kept",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "sort").ty =
                    ty(r#""processed_at ASC" | "processed_at_desc""#)
            }),
            Bump::Patch,
            &["variant_wire_changed"],
        ),
        (
            "enum of strings became integers",
            enums.clone(),
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "status").ty = ty("1 | 2")
            }),
            Bump::Major,
            &["enum_repr_changed"],
        ),
        (
            "enum became a string (type removed)",
            enums,
            Box::new(|c: &mut Connector| {
                named(records(action(c, "reports", "list")), "status").ty = ty("string")
            }),
            Bump::Major,
            &["field_type_changed", "type_removed"],
        ),
    ]
}

/// Edits only the IR can show: Rust names that change while the document's do not (another
/// version of the generator, a name collision elsewhere).
type IrEdit = Box<dyn Fn(&mut ir::Crate)>;

fn ir_cases() -> Vec<(&'static str, IrEdit, Bump, &'static [&'static str])> {
    fn contacts(k: &mut ir::Crate) -> &mut ir::Entity {
        &mut k.entities[0]
    }
    fn contact(k: &mut ir::Crate) -> &mut ir::Struct {
        contacts(k)
            .types
            .iter_mut()
            .find_map(|t| match t {
                TypeDef::Record(s) if s.name == "Contact" => Some(s),
                _ => None,
            })
            .unwrap()
    }
    vec![
        (
            "record field renamed in Rust, wire name kept",
            Box::new(|k: &mut ir::Crate| contact(k).fields[0].rust = "kind".into()),
            Bump::Major,
            &["field_renamed"],
        ),
        (
            "record field wire name changed, Rust name kept",
            Box::new(|k: &mut ir::Crate| contact(k).fields[0].wire = "@type".into()),
            Bump::Patch,
            &["field_wire_changed"],
        ),
        (
            "parameter renamed in Rust, wire name kept",
            Box::new(|k: &mut ir::Crate| {
                contacts(k).actions[0].params.fields[0].rust = "page_size".into()
            }),
            Bump::Major,
            &["param_renamed"],
        ),
        (
            "record became params (type kind changed)",
            Box::new(|k: &mut ir::Crate| {
                let s = contact(k).clone();
                let t = contacts(k)
                    .types
                    .iter_mut()
                    .find(|t| matches!(t, TypeDef::Record(s) if s.name == "Contact"))
                    .unwrap();
                *t = TypeDef::Params(s);
            }),
            Bump::Major,
            &["type_kind_changed"],
        ),
        (
            "module and accessor renamed",
            Box::new(|k: &mut ir::Crate| {
                contacts(k).module = "people".into();
                contacts(k).accessor = "people".into();
            }),
            Bump::Major,
            &["module_renamed", "method_renamed"],
        ),
        (
            "pagination added",
            Box::new(|k: &mut ir::Crate| {
                // The list action's, as if `get` had a cursor too.
                let list = contacts(k).actions[0].pagination.clone();
                contacts(k).actions[1].pagination = list;
            }),
            Bump::Minor,
            &["pagination_added"],
        ),
        (
            "action kind changed",
            Box::new(|k: &mut ir::Crate| contacts(k).actions[1].kind = ir::ActionKind::Delete),
            Bump::Major,
            &["action_kind_changed"],
        ),
        (
            "enum variant renamed in Rust, wire value kept",
            Box::new(|k: &mut ir::Crate| {
                for t in &mut k.entities[0].types {
                    if let TypeDef::Enum(e) = t {
                        if let ir::EnumValues::Str(v) = &mut e.values {
                            v[0].rust = "Opened".into();
                            return;
                        }
                    }
                }
            }),
            Bump::Major,
            &["variant_renamed"],
        ),
    ]
}

fn kinds(report: &Report) -> BTreeSet<String> {
    report
        .changes
        .iter()
        .map(|c| {
            serde_json::to_value(c.kind)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Checks one case; a mismatch is collected in `errors` so that one run shows them all.
fn check(
    name: &str,
    report: &Report,
    bump: Bump,
    want: &[&str],
    out: &mut String,
    errors: &mut Vec<String>,
) {
    let want: BTreeSet<String> = want.iter().map(|s| s.to_string()).collect();
    if report.bump != bump || kinds(report) != want {
        errors.push(format!(
            "{name}: want {bump:?} {want:?}, got {:?} {:?}\n{}",
            report.bump,
            kinds(report),
            report.markdown("###")
        ));
    }
    assert_eq!(
        report
            .changes
            .iter()
            .map(|c| c.bump)
            .max()
            .unwrap_or(Bump::None),
        report.bump
    );
    assert!(report
        .changes
        .iter()
        .all(|c| c.breaking == (c.bump == Bump::Major)));
    out.push_str(&format!("## {name}\n\n{}\n", report.markdown("###")));
}

#[test]
fn each_change_kind_is_classified() {
    let mut out = String::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for (name, base, edit, bump, want) in model_cases() {
        let mut new = base.clone();
        edit(&mut new);
        let report = diff::diff(&base, &new).unwrap_or_else(|e| panic!("{name}: {e}"));
        check(name, &report, bump, want, &mut out, &mut errors);
        seen.extend(kinds(&report));
    }
    let enums = common::model("enums");
    for (name, edit, bump, want) in ir_cases() {
        let base = if name.starts_with("enum") {
            enums.clone()
        } else {
            intercom()
        };
        let old = lower(&base).unwrap();
        let mut new = old.clone();
        edit(&mut new);
        let report = diff::compare(&base, &old, &base, &new);
        check(name, &report, bump, want, &mut out, &mut errors);
        seen.extend(kinds(&report));
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    println!("change kinds covered: {}", seen.len());
    insta::assert_snapshot!("change_kinds", out);
}

/// The identical inputs: no change, bump `none`, and the JSON shape of the CLI.
#[test]
fn identical_inputs_need_no_bump() {
    let c = intercom();
    let report = diff::diff(&c, &c).unwrap();
    assert_eq!(report.bump, Bump::None);
    assert!(report.changes.is_empty());
    let json: serde_json::Value = serde_json::from_str(&report.json()).unwrap();
    assert_eq!(json, serde_json::json!({"bump": "none", "changes": []}));
}

/// Done when: edits of `spec/intercom/REFERENCE.md` itself, as Markdown.
#[test]
fn done_when_edits_of_the_reference_document() {
    let text = spec_text();
    let base = parse(&text);
    let report = |edited: &str| diff::diff(&base, &parse(edited)).unwrap();

    // One record field row removed: Contacts' record merges the List and Get tables, so the
    // field stays in the crate while the other row is there (patch), and goes when both go.
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("| `marked_email_as_spam` | `boolean \\| null` |"))
        .collect();
    assert_eq!(rows.len(), 2, "the List and Get rows");
    let one = text.replacen(&format!("{}\n", rows[0]), "", 1);
    let r = report(&one);
    assert_eq!(r.bump, Bump::Patch);
    assert_eq!(
        r.changes[0].path,
        "contacts.list records.marked_email_as_spam"
    );
    let both = one.replacen(&format!("{}\n", rows[1]), "", 1);
    let r = report(&both);
    assert_eq!(r.bump, Bump::Major, "{}", r.markdown("###"));
    assert_eq!(r.changes.len(), 1);
    assert!(r.changes[0].breaking);
    assert_eq!(r.changes[0].path, "contacts::Contact.marked_email_as_spam");

    // An optional parameter row added.
    let row = "| `per_page` | `integer` | No | Number of contacts to return per page |\n";
    assert!(text.contains(row));
    let added = text.replacen(
        row,
        &format!("{row}| `email` | `string` | No | Only contacts with this email |\n"),
        1,
    );
    let r = report(&added);
    assert_eq!(r.bump, Bump::Minor, "{}", r.markdown("###"));
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].path, "contacts::ListContactsParams.email");

    // One description changed.
    let desc = text.replacen(
        "Number of contacts to return per page",
        "How many contacts one page holds",
        1,
    );
    let r = report(&desc);
    assert_eq!(r.bump, Bump::Patch, "{}", r.markdown("###"));
    assert_eq!(r.changes.len(), 1);
    assert_eq!(r.changes[0].path, "contacts.list params.per_page");
}

/// The real pair: the committed spec against the current Intercom document.
#[test]
fn spec_intercom_to_the_current_document() {
    let path = common::root().join("../shared/corpus/intercom.md");
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap();
    let new = airbyte_codegen::parse::parse("../shared/corpus/intercom.md", &current)
        .unwrap_or_else(|d| panic!("{d:#?}"))
        .connector;
    let report = diff::diff(&intercom(), &new).unwrap();
    assert_eq!(report.bump, Bump::Major);
    let (major, minor, patch) = report.counts();
    println!("spec/intercom -> current Intercom: {major} major, {minor} minor, {patch} patch");
    insta::assert_snapshot!("intercom_spec_to_current", report.markdown("###"));
}

/// The CLI: text and JSON, a model on one side, and a document with errors.
#[test]
fn cli_diff() {
    let bin = env!("CARGO_BIN_EXE_airbyte-codegen");
    let root = common::root();
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .current_dir(&root)
            .output()
            .unwrap()
    };
    let out = run(&[
        "diff",
        "spec/intercom/model.yaml",
        "spec/intercom/REFERENCE.md",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json, serde_json::json!({"bump": "none", "changes": []}));

    let dir = std::env::temp_dir().join(format!("codegen-diff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let edited = dir.join("REFERENCE.md");
    let text = spec_text().replace("| `per_page` | `integer` |", "| `per_page` | `string` |");
    std::fs::write(&edited, text).unwrap();
    let out = run(&[
        "diff",
        "spec/intercom/REFERENCE.md",
        edited.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Semver bump: **major**"), "{stdout}");
    assert!(
        stdout.contains(
            "`contacts::ListContactsParams.per_page` parameter type changed: `i64` -> `String`"
        ),
        "{stdout}"
    );
    let out = run(&[
        "diff",
        "spec/intercom/REFERENCE.md",
        edited.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["bump"], "major");
    assert_eq!(
        json["changes"][0],
        serde_json::json!({
            "kind": "param_type_changed",
            "path": "contacts::ListContactsParams.per_page",
            "before": "i64",
            "after": "String",
            "breaking": true,
            "bump": "major",
        })
    );

    // A document with errors: its located diagnostics, exit 1, nothing on stdout.
    let bad = root.join("codegen/tests/catalogue/unknown-type.md");
    let out = run(&["diff", "spec/intercom/REFERENCE.md", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}:", bad.display())) && stderr.contains("error"),
        "{stderr}"
    );
    // A model that is not one: located, exit 1.
    let not_model = dir.join("model.yaml");
    std::fs::write(&not_model, "name: x\ntitle: [\n").unwrap();
    let out = run(&[
        "diff",
        not_model.to_str().unwrap(),
        "spec/intercom/REFERENCE.md",
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("model.yaml:"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
