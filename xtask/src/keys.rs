//! `cargo xtask keys [DIR]`: how the actions on one record (get, update, delete, download) of
//! every reference document in DIR name it, as the generator settles it
//! (`airbyte_codegen::resolved`): per document the count by parameter, the entity's only
//! record, and unsettled; every key settled by a rule weaker than the names (for review), and
//! every unsettled one with its location and reason.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

use airbyte_codegen::resolved::{self, Key, KeyRule};
use airbyte_codegen::{lower, parse};

/// The keys of one document.
#[derive(Debug, Default)]
pub struct Document {
    pub name: String,
    /// Keys by parameter, per rule.
    pub by_rule: BTreeMap<KeyRule, usize>,
    /// `file:line`, `entity action`, what: keys by a weaker rule (`param -> field (rule)`),
    /// only records (`only`), unsettled (the reason).
    pub weak: Vec<(String, String, String)>,
    pub only: Vec<(String, String)>,
    pub unsettled: Vec<(String, String, String)>,
    /// Why the document could not be lowered.
    pub error: Option<String>,
}

/// The documents `dir` names ([`crate::corpus::documents`]), each parsed, lowered and resolved.
pub fn tally(dir: &Path) -> std::io::Result<Vec<Document>> {
    let mut out = Vec::new();
    for path in crate::corpus::documents(dir)? {
        let shown = path.display().to_string();
        let mut doc = Document {
            name: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            ..Document::default()
        };
        let text = fs::read_to_string(&path)?;
        let lowered = parse::parse(&shown, &text)
            .map_err(|ds| {
                ds.iter()
                    .map(|d| d.to_string())
                    .next()
                    .unwrap_or_else(|| "does not parse".into())
            })
            .and_then(|p| {
                let krate = lower::lower(&p.connector).map_err(|e| format!("{shown}: {e}"))?;
                Ok((p, krate))
            });
        match lowered {
            Err(e) => doc.error = Some(e),
            Ok((parsed, krate)) => {
                let settled = resolved::resolved(&parsed.connector, &krate);
                for k in resolved::keys(&krate, &settled) {
                    let at = format!("{shown}:{}", k.line);
                    let action = format!("{} {}", k.entity, k.action);
                    match k.key {
                        Key::Param { param, field, rule } => {
                            *doc.by_rule.entry(*rule).or_default() += 1;
                            if !matches!(rule, KeyRule::Same | KeyRule::ParamEndsWithField) {
                                doc.weak.push((
                                    at,
                                    action,
                                    format!("{param} -> {field} ({})", rule.name()),
                                ));
                            }
                        }
                        Key::Only => doc.only.push((at, action)),
                        Key::Unsettled { reason } => {
                            doc.unsettled.push((at, action, reason.clone()))
                        }
                    }
                }
            }
        }
        out.push(doc);
    }
    Ok(out)
}

pub fn run(dir: &Path) -> ExitCode {
    let docs = match tally(dir) {
        Ok(d) => d,
        Err(e) => {
            note!("keys: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    say!("| document | by parameter | only record | unsettled |\n|---|---:|---:|---:|");
    let mut by_rule: BTreeMap<KeyRule, usize> = BTreeMap::new();
    for d in &docs {
        if let Some(e) = &d.error {
            say!("| {} | not lowered: {e} | | |", d.name);
            continue;
        }
        for (rule, n) in &d.by_rule {
            *by_rule.entry(*rule).or_default() += n;
        }
        say!(
            "| {} | {} | {} | {} |",
            d.name,
            d.by_rule.values().sum::<usize>(),
            d.only.len(),
            d.unsettled.len()
        );
    }
    let only: Vec<_> = docs.iter().flat_map(|d| &d.only).collect();
    let unsettled: Vec<_> = docs.iter().flat_map(|d| &d.unsettled).collect();
    say!(
        "\n{} actions on one record: {} named by a parameter ({}), {} the entity's only record, {} unsettled",
        by_rule.values().sum::<usize>() + only.len() + unsettled.len(),
        by_rule.values().sum::<usize>(),
        by_rule
            .iter()
            .map(|(r, n)| format!("{} {n}", r.name()))
            .collect::<Vec<_>>()
            .join(", "),
        only.len(),
        unsettled.len()
    );
    let weak: Vec<_> = docs.iter().flat_map(|d| &d.weak).collect();
    if !weak.is_empty() {
        say!("\nSettled by a rule weaker than the names (review):");
        for (at, action, what) in weak {
            say!("{at}: {action}: {what}");
        }
    }
    if !only.is_empty() {
        say!("\nNo parameter: the entity's only record:");
        for (at, action) in only {
            say!("{at}: {action}");
        }
    }
    if !unsettled.is_empty() {
        say!("\nUnsettled (the sandbox answers 422 with the reason):");
        for (at, action, reason) in unsettled {
            say!("{at}: warning: {action}: {reason}");
        }
    }
    if docs.iter().any(|d| d.error.is_some()) {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Acme fixture names its tasks by `task_id` in get and delete; the shared corpus (when
    /// present) lists its weaker keys, only records and unsettled keys each with a location.
    #[test]
    fn keys_are_listed_with_their_locations() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let docs = tally(&root.join("tests/fixtures/tasks/REFERENCE.md")).unwrap();
        assert_eq!(docs[0].by_rule, BTreeMap::from([(KeyRule::Same, 2)]));
        assert!(docs[0].only.is_empty() && docs[0].unsettled.is_empty());
        let dir = root.join("../shared/corpus");
        if !dir.is_dir() {
            note!("skipped the corpus: {} is absent", dir.display());
            return;
        }
        let docs = tally(&dir).unwrap();
        let unsettled: Vec<&(String, String, String)> =
            docs.iter().flat_map(|d| &d.unsettled).collect();
        assert_eq!(unsettled.len(), 4, "{unsettled:?}");
        let (at, action, reason) = unsettled[0];
        assert!(at.ends_with("asana.md:3330"), "{at}");
        assert_eq!(action, "task_tags delete");
        assert_eq!(reason, "no record field is documented");
        let weak: Vec<&str> = docs
            .iter()
            .flat_map(|d| &d.weak)
            .map(|(_, _, what)| what.as_str())
            .collect();
        assert!(
            weak.contains(&"orderId -> AmazonOrderId (field_ends_with_param)"),
            "{weak:?}"
        );
    }
}
