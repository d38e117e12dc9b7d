//! What lowering settled for each action, as a server must answer it for the generated client
//! to read it: the paging (style, page-size parameter and its documented default) and, for
//! actions on one record, the record key (the parameter naming the record and the record
//! field it matches). `cargo xtask regen` writes it beside `model.yaml` as
//! `paging.resolved.yaml`, which the sandbox serves by; the sandbox guesses none of it.

use std::collections::BTreeMap;

pub use airbyte_resolved::{Key, KeyRule, Resolved, FILE_NAME};

use crate::ir::{ActionKind, Crate};
use crate::model::{self, Connector, Field, Response};
use crate::names::singular;
use crate::paging::{norm, size_param};

/// Every action of `krate` that pages or names a record (entity id -> action name ->
/// [`Resolved`]); `connector` is the model `krate` was lowered from (its parameters give the
/// page size, its Records tables the record fields).
pub fn resolved(
    connector: &Connector,
    krate: &Crate,
) -> BTreeMap<String, BTreeMap<String, Resolved>> {
    let mut out: BTreeMap<String, BTreeMap<String, Resolved>> = BTreeMap::new();
    for lowered in &krate.entities {
        let entity = connector.entities.iter().find(|e| e.id == lowered.wire);
        let fields = entity.map(record_fields).unwrap_or_default();
        let record = entity.map_or_else(|| norm(&singular(&lowered.wire)), record_word);
        for ir in &lowered.actions {
            let params = entity
                .and_then(|e| e.actions.iter().find(|a| a.name == ir.wire))
                .map_or(&[][..], |a| a.params.as_slice());
            let key = match ir.kind {
                ActionKind::Get
                | ActionKind::Update
                | ActionKind::Delete
                | ActionKind::Download => Some(record_key(params, &fields, &record)),
                _ => None,
            };
            let size = ir.pagination.as_ref().and_then(|_| size_param(params));
            if ir.pagination.is_none() && key.is_none() {
                continue;
            }
            out.entry(lowered.wire.clone()).or_default().insert(
                ir.wire.clone(),
                Resolved {
                    pagination: ir.pagination.clone(),
                    size: size.map(|f| f.name.clone()),
                    default_size: size.and_then(default_size),
                    key,
                },
            );
        }
    }
    out
}

/// One action on one record and how it names it, located for a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyOf<'a> {
    /// Line of the action in the reference document.
    pub line: usize,
    /// The entity id, e.g. `orders`.
    pub entity: &'a str,
    /// The action name, e.g. `get`.
    pub action: &'a str,
    /// What was settled.
    pub key: &'a Key,
}

/// Every key of `resolved` (as [`resolved`] made it from `krate`), in document order.
pub fn keys<'a>(
    krate: &'a Crate,
    resolved: &'a BTreeMap<String, BTreeMap<String, Resolved>>,
) -> Vec<KeyOf<'a>> {
    let mut out = Vec::new();
    for entity in &krate.entities {
        for action in &entity.actions {
            let key = resolved
                .get(&entity.wire)
                .and_then(|a| a.get(&action.wire))
                .and_then(|r| r.key.as_ref());
            if let Some(key) = key {
                out.push(KeyOf {
                    line: action.line,
                    entity: &entity.wire,
                    action: &action.wire,
                    key,
                });
            }
        }
    }
    out
}

/// The entity's record fields: every Records table of its actions, each name once.
fn record_fields(entity: &model::Entity) -> Vec<&Field> {
    let mut fields: Vec<&Field> = Vec::new();
    for action in &entity.actions {
        if let Some(Response::Records { records, .. }) = &action.response {
            for f in records {
                if fields.iter().all(|g| g.name != f.name) {
                    fields.push(f);
                }
            }
        }
    }
    fields
}

/// The entity's record, normalised: the singular of its name (`Branches` -> `branch`,
/// `Draft Orders` -> `draftorder`).
fn record_word(entity: &model::Entity) -> String {
    norm(&singular(&entity.name))
}

/// How an action on one record names it, from what the document says. Without a required
/// parameter the entity has one record ([`Key::Only`]: ClickUp's user, Shopify's shop).
/// Otherwise each required parameter is matched to a record field by the rules of
/// [`KeyRule`] in the tiers of [`TIERS`], strongest first; a weaker tier is tried only when no
/// parameter matches in a stronger one. Among the parameters matched by the same rule the last naming an identifier
/// field (`id`, `gid`, `task_id`, `ts`, ...) wins, else the last: scope parameters come
/// first in the documents (`project_id`, `issue_iid`), values after the key (Slack's
/// `channel`, `ts`, `text`). When nothing matches, or a rule finds several fields for one
/// parameter that its description does not tell apart, the key is [`Key::Unsettled`] with
/// the reason.
fn record_key(params: &[Field], fields: &[&Field], record: &str) -> Key {
    let required: Vec<&Field> = params.iter().filter(|p| p.required == Some(true)).collect();
    if required.is_empty() {
        return Key::Only;
    }
    if fields.is_empty() {
        return Key::Unsettled {
            reason: "no record field is documented".into(),
        };
    }
    let mut ambiguous = Vec::new();
    for tier in TIERS {
        let mut matches: Vec<(&Field, &Field, KeyRule)> = Vec::new();
        for p in &required {
            for rule in *tier {
                match matching(*rule, p, fields, record) {
                    Match::One(f) => matches.push((p, f, *rule)),
                    Match::Several(names) => {
                        ambiguous.push(format!("`{}` matches {} alike", p.name, names.join(", ")))
                    }
                    Match::None => continue,
                }
                break;
            }
        }
        let names_identifier = |(_, f, _): &&(&Field, &Field, KeyRule)| identifier(&f.name);
        if let Some((p, f, rule)) = matches.iter().rfind(names_identifier).or(matches.last()) {
            return Key::Param {
                param: p.name.clone(),
                field: f.name.clone(),
                rule: *rule,
            };
        }
    }
    let names: Vec<String> = required.iter().map(|p| format!("`{}`", p.name)).collect();
    let mut reason = format!(
        "no required parameter ({}) names a record field",
        names.join(", ")
    );
    if !ambiguous.is_empty() {
        reason = format!("{reason}: {}", ambiguous.join("; "));
    }
    Key::Unsettled { reason }
}

/// The rules in tiers, strongest first: a parameter is matched by the first rule of a tier
/// that matches it, and a tier is tried only when no parameter matched in the ones before.
/// The names (the field itself, or behind a scope word) are one tier, so that GitLab's
/// `project_id`, `issue_iid` settle on the later `issue_iid`.
const TIERS: &[&[KeyRule]] = &[
    &[KeyRule::Same, KeyRule::ParamEndsWithField],
    &[KeyRule::FieldEndsWithParam],
    &[KeyRule::Description],
    &[KeyRule::Compound],
];

/// Names that identify a record besides those ending in `id` (normalised).
const IDENTIFIERS: &[&str] = &["key", "ts", "uuid", "number", "sid", "name"];

/// The fields one rule matches to a parameter.
enum Match<'a> {
    None,
    One(&'a Field),
    /// Several, which the parameter's description does not tell apart (their names).
    Several(Vec<String>),
}

/// The record fields `rule` matches to `param`; of several, the one the parameter's
/// description names (Amazon's `orderId`: "This is the AmazonOrderId returned by ..." picks
/// `AmazonOrderId` over `SellerOrderId`), else the longest for a suffix rule when it is the
/// only longest (`task_gid` -> `gid` rather than `id`), else they are [`Match::Several`].
fn matching<'a>(rule: KeyRule, param: &Field, fields: &[&'a Field], record: &str) -> Match<'a> {
    let words = words(&param.description);
    let found: Vec<&Field> = fields
        .iter()
        .copied()
        .filter(|f| match rule {
            KeyRule::Same => f.name == param.name,
            KeyRule::ParamEndsWithField => behind_prefix(&param.name, &f.name),
            // Only for a parameter naming an identifier: Amazon's `orderId` is the
            // `AmazonOrderId`, Slack's `user` is not the `is_app_user`.
            KeyRule::FieldEndsWithParam => {
                identifier_word(&param.name) && behind_prefix(&f.name, &param.name)
            }
            // The parameter is the record's name (Slack's `user`, GitLab's `branch`) and its
            // description names the field as a word ("User ID", "The name of the branch").
            KeyRule::Description => norm(&param.name) == record && words.contains(&norm(&f.name)),
            KeyRule::Compound => {
                let (p, n) = (norm(&param.name), norm(&f.name));
                param.name.chars().all(|c| c.is_ascii_lowercase())
                    && n.len() >= 4
                    && p.len() > n.len()
                    && p.ends_with(&n)
            }
        })
        .collect();
    match found.as_slice() {
        [] => Match::None,
        [one] => Match::One(one),
        several => {
            // The field behind the record's own name (Shopify's `draft_order_id`: the draft
            // order's `id`, not its `order_id`), else the one the description names, else the
            // only longest for a suffix rule.
            let behind_record: Vec<&Field> = several
                .iter()
                .copied()
                .filter(|f| {
                    let p = norm(&param.name);
                    p.strip_suffix(&norm(&f.name)) == Some(record)
                })
                .collect();
            let named: Vec<&Field> = several
                .iter()
                .copied()
                .filter(|f| words.contains(&norm(&f.name)))
                .collect();
            let longest = several.iter().map(|f| f.name.len()).max().unwrap_or(0);
            let long: Vec<&Field> = several
                .iter()
                .copied()
                .filter(|f| f.name.len() == longest)
                .collect();
            match (behind_record.as_slice(), named.as_slice(), long.as_slice()) {
                ([one], _, _) | (_, [one], _) => Match::One(one),
                (_, _, [one])
                    if matches!(rule, KeyRule::ParamEndsWithField | KeyRule::Compound) =>
                {
                    Match::One(one)
                }
                _ => Match::Several(several.iter().map(|f| format!("`{}`", f.name)).collect()),
            }
        }
    }
}

/// Whether a name is an identifier's: ends in `id` or is one of [`IDENTIFIERS`] (normalised).
fn identifier(name: &str) -> bool {
    let n = norm(name);
    n.ends_with("id") || IDENTIFIERS.contains(&n.as_str())
}

/// Whether a name's last word names an identifier: `orderId`, `order_id`, `gid`, `key`; not
/// `paid` or `user`.
fn identifier_word(name: &str) -> bool {
    let start = name
        .char_indices()
        .rfind(|&(i, c)| {
            !c.is_ascii_alphanumeric()
                || (i > 0
                    && c.is_ascii_uppercase()
                    && !name[..i].ends_with(|p: char| p.is_ascii_uppercase()))
        })
        .map_or(0, |(i, c)| {
            if c.is_ascii_alphanumeric() {
                i
            } else {
                i + c.len_utf8()
            }
        });
    let word = norm(&name[start..]);
    ["id", "gid", "iid", "uuid"].contains(&word.as_str()) || IDENTIFIERS.contains(&word.as_str())
}

/// The words of a description, normalised (`The name of the branch` -> `the`, `name`, ...;
/// `AmazonOrderId` -> `amazonorderid`).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(norm)
        .collect()
}

/// Whether `param` is `field` after a word prefix: `<prefix>_<field>` or `<prefix><Field>`.
fn behind_prefix(param: &str, field: &str) -> bool {
    let (p, f) = (norm(param), norm(field));
    if f.is_empty() || p.len() <= f.len() || !p.ends_with(&f) {
        return false;
    }
    let at = param.len() - field.len();
    param.is_char_boundary(at)
        && param[at..].eq_ignore_ascii_case(field)
        && (param[..at].ends_with(['_', '-', '.'])
            || param[at..].starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The documented default of a page-size parameter: its Default column, else `default N` in
/// its description (`Maximum results (1-100, default 100).`).
fn default_size(size: &Field) -> Option<u64> {
    if let Some(d) = size.default.as_deref() {
        return d.trim().parse().ok();
    }
    let text = size.description.to_ascii_lowercase();
    let rest = &text[text.find("default")? + "default".len()..];
    let rest = rest
        .trim_start_matches([' ', ':', '='])
        .trim_start_matches("is ");
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, required: bool) -> Field {
        Field {
            name: name.into(),
            ty: model::Type::String { format: None },
            nullable: false,
            required: Some(required),
            default: None,
            description: String::new(),
            line: 1,
            fields: Vec::new(),
        }
    }

    fn described(name: &str, required: bool, description: &str) -> Field {
        Field {
            description: description.into(),
            ..param(name, required)
        }
    }

    /// The key of `params` over record fields `fields` of a record called `record`, as
    /// `(param, field, rule)`, or the reason it is unsettled, or `only`.
    fn key(
        params: &[Field],
        fields: &[&str],
        record: &str,
    ) -> Result<(String, String, KeyRule), String> {
        let fields: Vec<Field> = fields.iter().map(|f| param(f, false)).collect();
        let fields: Vec<&Field> = fields.iter().collect();
        match record_key(params, &fields, record) {
            Key::Param { param, field, rule } => Ok((param, field, rule)),
            Key::Only => Err("only".into()),
            Key::Unsettled { reason } => Err(reason),
        }
    }

    fn settled(
        param: &str,
        field: &str,
        rule: KeyRule,
    ) -> Result<(String, String, KeyRule), String> {
        Ok((param.into(), field.into(), rule))
    }

    #[test]
    fn the_key_is_the_last_required_parameter_naming_a_record_field() {
        use KeyRule::*;
        let asana = key(&[param("task_gid", true)], &["gid", "name"], "task");
        assert_eq!(asana, settled("task_gid", "gid", ParamEndsWithField));
        let acme = key(&[param("task_id", true)], &["task_id", "title"], "task");
        assert_eq!(acme, settled("task_id", "task_id", Same));
        let intercom = key(&[param("id", true)], &["id", "email"], "contact");
        assert_eq!(intercom, settled("id", "id", Same));
        let gitlab = key(
            &[param("project_id", true), param("issue_iid", true)],
            &["id", "iid", "project_id"],
            "issue",
        );
        assert_eq!(gitlab, settled("issue_iid", "iid", ParamEndsWithField));
        let slack = key(
            &[
                param("channel", true),
                param("ts", true),
                param("text", true),
            ],
            &["ts", "channel", "text"],
            "message",
        );
        assert_eq!(slack, settled("ts", "ts", Same));
        let camel = key(&[param("taskId", true)], &["id"], "task");
        assert_eq!(camel, settled("taskId", "id", ParamEndsWithField));
        // `valid` is not `<prefix>_id`; an optional parameter is no key.
        assert!(key(&[param("valid", true)], &["id"], "task").is_err());
        assert!(key(&[param("id", false), param("q", true)], &["id"], "task").is_err());
    }

    #[test]
    fn weaker_rules_settle_what_the_names_alone_do_not() {
        use KeyRule::*;
        // The field is the parameter behind a word; of two such fields the description names one.
        let amazon = described(
            "orderId",
            true,
            "An Amazon order identifier. This is the AmazonOrderId returned by the list orders endpoint.",
        );
        let fields = ["AmazonOrderId", "SellerOrderId", "PurchaseDate"];
        assert_eq!(
            key(std::slice::from_ref(&amazon), &fields, "order"),
            settled("orderId", "AmazonOrderId", FieldEndsWithParam)
        );
        let silent = param("orderId", true);
        let e = key(&[silent], &fields, "order").unwrap_err();
        assert!(
            e.contains("`orderId` matches `AmazonOrderId`, `SellerOrderId` alike"),
            "{e}"
        );
        // The description names the field and the record.
        let gitlab = [
            described(
                "project_id",
                true,
                "The ID or URL-encoded path of the project",
            ),
            described(
                "branch",
                true,
                "The name of the branch (URL-encoded if it contains special characters)",
            ),
        ];
        assert_eq!(
            key(&gitlab, &["name", "merged", "commit"], "branch"),
            settled("branch", "name", Description)
        );
        // Not `is_app_user`: `user` names no identifier, so no field ends with it.
        let slack = [described("user", true, "User ID")];
        assert_eq!(
            key(&slack, &["id", "team_id", "name", "is_app_user"], "user"),
            settled("user", "id", Description)
        );
        // Of `order_id` and `id`, the field behind the record's own name.
        let shopify = [described("draft_order_id", true, "The draft order's ID")];
        assert_eq!(
            key(&shopify, &["id", "order_id", "name"], "draftorder"),
            settled("draft_order_id", "id", ParamEndsWithField)
        );
        // The description names a field, but the parameter is not the record's name.
        let ads = [described(
            "operations",
            true,
            "List of campaign operations to perform",
        )];
        assert!(key(&ads, &["campaign", "results"], "campaign").is_err());
        // A closed compound ending in a field of four letters or more.
        let gsc = [
            described("siteUrl", true, "The URL of the property."),
            described("feedpath", true, "The URL of the sitemap."),
        ];
        assert_eq!(
            key(&gsc, &["path", "type", "errors"], "sitemap"),
            settled("feedpath", "path", Compound)
        );
        assert!(key(&[param("paid", true)], &["id"], "invoice").is_err());
        // `paid` is no identifier, so no field ending in it is its record's key.
        assert!(key(&[param("paid", true)], &["is_paid", "total"], "invoice").is_err());
        assert!(
            identifier_word("orderId") && identifier_word("order_id") && identifier_word("gid")
        );
        assert!(identifier_word("ID") && identifier_word("externalKey"));
        assert!(
            !identifier_word("user") && !identifier_word("valid") && !identifier_word("userIds")
        );
    }

    #[test]
    fn no_parameter_is_the_only_record_and_no_match_is_unsettled_with_the_reason() {
        assert_eq!(key(&[], &["id", "email"], "user"), Err("only".into()));
        assert_eq!(
            key(&[param("page", false)], &["id"], "shop"),
            Err("only".into())
        );
        let asana = [param("data", true), param("task_gid", true)];
        assert_eq!(
            key(&asana, &[], "tag"),
            Err("no record field is documented".into())
        );
        let ads = [param("operations", true), param("customer_id", true)];
        assert_eq!(
            key(&ads, &["campaign", "results"], "campaign"),
            Err("no required parameter (`operations`, `customer_id`) names a record field".into())
        );
    }

    #[test]
    fn default_size_comes_from_the_default_column_or_the_description() {
        let mut p = param("limit", false);
        p.description = "Maximum number of results (1-100, default 100).".into();
        assert_eq!(default_size(&p), Some(100));
        p.description = "Maximum results to return (default: 1000)".into();
        assert_eq!(default_size(&p), Some(1000));
        p.description = "Number of items per page (max 100)".into();
        assert_eq!(default_size(&p), None);
        p.default = Some("25".into());
        assert_eq!(default_size(&p), Some(25));
    }
}
