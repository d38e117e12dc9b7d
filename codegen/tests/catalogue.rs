//! The catalogue of malformed documents (issue 6): each one gives located diagnostics with a
//! stable code and a hint, rendered with the source line underlined and snapshotted.
//!
//! The documents are in `tests/catalogue/`, each a small edit of `valid.md` (which must parse, so
//! every diagnostic below comes from its edit). Binary, invalid UTF-8 and 50 MB inputs are made
//! here rather than committed.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use airbyte_codegen::diagnostics::{Diagnostic, Severity, Source};
use airbyte_codegen::parse::parse_bytes;
use airbyte_codegen::render::render;

/// Case name -> the error codes it must give (exactly) and warning codes it must include.
const CASES: &[(&str, &[&str], &[&str])] = &[
    ("missing-column", &["table-columns"], &[]),
    ("extra-column", &["table-columns"], &[]),
    ("missing-header-column", &["table-columns"], &[]),
    ("unknown-type", &["unknown-type"], &[]),
    (
        "unterminated-fence",
        &["missing-api", "unterminated-fence"],
        &[],
    ),
    // The runaway row swallows the `<details>` line, so `</details>` closes nothing.
    ("unterminated-row", &["html", "table-columns"], &[]),
    (
        "duplicate-entity",
        &["duplicate-entity"],
        &["not-in-summary"],
    ),
    ("duplicate-entity-section", &["duplicate-entity"], &[]),
    ("duplicate-field", &["duplicate-row"], &[]),
    ("headings-out-of-order", &["sub-section-order"], &[]),
    (
        "records-outside-details",
        &["stray-table", "sub-section"],
        &[],
    ),
    (
        "action-without-tables",
        &["missing-table", "search-envelope"],
        &[],
    ),
    ("heading-without-table", &["missing-table"], &[]),
    ("bad-curl-json", &["curl-json"], &[]),
    ("bad-required", &["required"], &[]),
    ("field-name-not-code", &["field-name"], &[]),
    ("two-endpoints", &["endpoint"], &[]),
    ("unknown-section", &["stray-text", "unknown-section"], &[]),
    ("no-title", &["stray-text", "title"], &[]),
    ("no-summary", &["summary"], &[]),
    ("quoted-row", &["quoted-row"], &[]),
    ("empty", &["empty"], &[]),
    ("blank", &["empty"], &[]),
    // A document cut off inside a Response Schema, and one that never closes it.
    (
        "cut-in-details",
        &["unterminated-details"],
        &["missing-section"],
    ),
    ("details-not-closed", &["unterminated-details"], &[]),
    ("empty-title", &["title"], &[]),
    ("title-without-words", &["title"], &[]),
    // Separator rows of another width than the header: named, not a missing table.
    ("extra-header-column", &["table-columns"], &[]),
    ("extra-separator-cell", &["table-columns"], &[]),
    ("missing-separator-cell", &["table-columns"], &[]),
    ("curl-entity-empty", &["curl"], &[]),
    ("curl-data-unclosed", &["curl"], &[]),
    // A comment that never closes takes the rest of the document: one error, not one a line.
    (
        "unterminated-comment",
        &["unterminated-html"],
        &["missing-section"],
    ),
    // A zero-width space in a field name would be sent unseen.
    ("hidden-character", &["name-chars"], &[]),
    ("field-path-spaces", &["field-name"], &[]),
    // Text after a link (`<br>`, `;` instead of `, `) would drop the next action unseen.
    ("summary-link-trailing-text", &["summary"], &[]),
    // A curl example whose entity or action is no string, or that is no object, says nothing.
    ("curl-action-not-string", &["curl"], &[]),
    ("curl-body-not-object", &["curl-json"], &[]),
];

/// Documents that parse, each with exactly these warning codes.
const WARNING_CASES: &[(&str, &[&str])] = &[
    (
        "duplicate-action",
        &["duplicate-action", "missing-section", "not-in-summary"],
    ),
    ("action-name-mismatch", &["action-name"]),
    // `--data-raw` (and `-d`, `--data-binary`) is a body as `--data` is: its action is read.
    ("curl-data-raw", &["action-name"]),
    ("field-name-spaces", &["field-name"]),
    // `str` and `None` say again `string` and `null`: the type has each once.
    ("type-repeated", &["type-repeated"]),
];

fn dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/catalogue"))
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(dir().join(format!("{name}.md"))).expect("catalogue document")
}

/// Every diagnostic names the file, a line and column that match its offset, a code, and (for
/// errors) a hint; its span lies inside the text.
fn check_located(name: &str, text: &str, diags: &[Diagnostic]) {
    let src = Source::new(name, text);
    for d in diags {
        assert_eq!(d.file, name, "{d}");
        assert!(!d.code.is_empty(), "{d}");
        assert!(
            d.code
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "code is not kebab-case: {d}"
        );
        assert!(
            d.offset + d.len <= text.len().max(1),
            "span past the end: {d}"
        );
        assert!(text.is_char_boundary(d.offset.min(text.len())), "{d}");
        assert_eq!((d.line, d.col), src.locate(d.offset), "{d}");
        if d.severity == Severity::Error {
            assert!(
                d.hint.as_deref().is_some_and(|h| !h.is_empty()),
                "no hint: {d}"
            );
        }
    }
}

fn codes(diags: &[Diagnostic], severity: Severity) -> BTreeSet<&'static str> {
    diags
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.code)
        .collect()
}

#[test]
fn valid_document_parses() {
    let parsed = parse_bytes("catalogue/valid.md", &read("valid"))
        .unwrap_or_else(|d| panic!("{}", render(&d, &String::from_utf8_lossy(&read("valid")))));
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.connector.entities[0].actions.len(), 2);
}

/// What does not change how a document renders does not change its model: a byte order mark
/// (as editors on Windows write), CRLF line endings, or runs of spaces and tabs in a heading
/// (`###  Widgets  List` is the heading `Widgets List`).
#[test]
fn text_that_renders_the_same_gives_the_same_model() {
    let plain = String::from_utf8(read("valid")).unwrap();
    let want = parse_bytes("valid.md", plain.as_bytes()).unwrap().connector;
    let crlf = plain.replace('\n', "\r\n");
    for (how, text) in [
        ("BOM", format!("\u{feff}{plain}")),
        ("CRLF", crlf.clone()),
        ("BOM and CRLF", format!("\u{feff}{crlf}")),
        (
            "spaced headings",
            plain
                .replace("## Widgets\n", "##   Widgets\t\n")
                .replace("### Widgets List", "###  Widgets \t List"),
        ),
    ] {
        let parsed = parse_bytes("valid.md", text.as_bytes())
            .unwrap_or_else(|d| panic!("{how}:\n{}", render(&d, &text)));
        assert!(parsed.warnings.is_empty(), "{how}: {:?}", parsed.warnings);
        assert_eq!(parsed.connector, want, "{how}");
    }
    // A BOM that is not the file's first character is still a hidden character in a name.
    let inner = plain.replacen("# ", "# \u{feff}", 1);
    let diags = parse_bytes("valid.md", inner.as_bytes()).unwrap_err();
    assert_eq!(
        codes(&diags, Severity::Error),
        BTreeSet::from(["name-chars"])
    );
}

#[test]
fn every_document_in_the_catalogue_has_a_case() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .filter(|n| n != "valid")
        .collect();
    let listed: BTreeSet<String> = CASES
        .iter()
        .map(|(n, _, _)| n.to_string())
        .chain(WARNING_CASES.iter().map(|(n, _)| n.to_string()))
        .collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn malformed_documents_give_located_diagnostics() {
    for (case, errors, warnings) in CASES {
        let name = format!("catalogue/{case}.md");
        let bytes = read(case);
        let text = std::str::from_utf8(&bytes).expect("catalogue documents are UTF-8");
        let diags = match parse_bytes(&name, &bytes) {
            Ok(p) => panic!("{case}: parsed, with warnings {:?}", p.warnings),
            Err(d) => d,
        };
        check_located(&name, text, &diags);
        let want: BTreeSet<&str> = errors.iter().copied().collect();
        assert_eq!(codes(&diags, Severity::Error), want, "{case}");
        let have = codes(&diags, Severity::Warning);
        for w in *warnings {
            assert!(have.contains(w), "{case}: no warning {w}: {have:?}");
        }
        let rendered = render(&diags, text);
        // One header per diagnostic, each with its location and the source underlined.
        assert_eq!(
            rendered.matches("┌─ ").count(),
            diags.len(),
            "{case}:\n{rendered}"
        );
        for d in &diags {
            let at = format!("{}:{}:{}", d.file, d.line, d.col);
            assert!(rendered.contains(&at), "{case}: {at} missing:\n{rendered}");
        }
        insta::assert_snapshot!(*case, rendered);
    }
}

/// Documents with warnings only: each parses, with exactly its warning codes, located and
/// rendered.
#[test]
fn documents_with_warnings_parse_with_located_warnings() {
    for (case, warnings) in WARNING_CASES {
        let name = format!("catalogue/{case}.md");
        let bytes = read(case);
        let text = std::str::from_utf8(&bytes).unwrap();
        let parsed = parse_bytes(&name, &bytes).unwrap_or_else(|d| panic!("{case}: {d:?}"));
        check_located(&name, text, &parsed.warnings);
        let want: BTreeSet<&str> = warnings.iter().copied().collect();
        assert_eq!(codes(&parsed.warnings, Severity::Warning), want, "{case}");
        if *case != "duplicate-action" {
            insta::assert_snapshot!(*case, render(&parsed.warnings, text));
        }
    }
}

/// Issue: a Get section whose curl body says `"action": "list"` made `list_by_id()` sending
/// `list`. The heading decides (a Get sends `get`); the curl body's other word is a located
/// warning at its `"action"` value, naming both.
#[test]
fn the_heading_decides_a_known_action_and_the_curl_body_is_checked() {
    let bytes = read("action-name-mismatch");
    let parsed = parse_bytes("catalogue/action-name-mismatch.md", &bytes).unwrap();
    let actions = &parsed.connector.entities[0].actions;
    let names: Vec<(&str, &str)> = actions
        .iter()
        .map(|a| (a.label.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(names, [("List", "list"), ("Get", "get")]);
    let [d] = parsed.warnings.as_slice() else {
        panic!("{:?}", parsed.warnings)
    };
    let text = std::str::from_utf8(&bytes).unwrap();
    assert_eq!(
        d.line,
        1 + text[..text.rfind(r#""list""#).unwrap()]
            .matches('\n')
            .count()
    );
    assert_eq!(&text[d.offset..d.offset + d.len], r#""list""#);
    assert!(d.message.contains("`Widgets Get` is a `get` action"), "{d}");
    let krate = airbyte_codegen::lower::lower(&parsed.connector).unwrap();
    let methods: Vec<(&str, &str)> = krate.entities[0]
        .actions
        .iter()
        .map(|a| (a.method.as_str(), a.wire.as_str()))
        .collect();
    assert_eq!(methods, [("list", "list"), ("get", "get")]);
}

/// Spaces around a field name are dropped, with a warning naming the name as written; the
/// wire name has none.
#[test]
fn spaces_around_a_field_name_are_dropped_with_a_warning() {
    let parsed = parse_bytes("catalogue/field-name-spaces.md", &read("field-name-spaces")).unwrap();
    let params = &parsed.connector.entities[0].actions[0].params;
    assert_eq!(params[0].name, "limit");
    let [d] = parsed.warnings.as_slice() else {
        panic!("{:?}", parsed.warnings)
    };
    assert!(
        d.message.contains("` limit `") && d.message.contains("read as `limit`"),
        "{d}"
    );
}

/// A generic action whose curl body names the action another section already sends: the
/// warning names both headings (not only the later one's label twice).
#[test]
fn duplicate_generic_actions_name_both_headings() {
    let text = String::from_utf8(read("valid")).unwrap();
    let get = text.find("### Widgets Get").unwrap();
    let section = &text[get..];
    let text = format!(
        "{}{}\n{}",
        &text[..get],
        section.replace("Widgets Get", "Widgets Fetch One"),
        section
            .replace("Widgets Get", "Widgets Fetch Again")
            .replace("\"get\"", "\"fetch_one\"")
    )
    .replace("\"get\"", "\"fetch_one\"");
    let parsed = parse_bytes("dup.md", text.as_bytes()).unwrap();
    let dup: Vec<&Diagnostic> = parsed
        .warnings
        .iter()
        .filter(|d| d.code == "duplicate-action")
        .collect();
    let [d] = dup.as_slice() else {
        panic!("{:?}", parsed.warnings)
    };
    assert_eq!(
        d.message,
        "`Widgets Fetch Again` sends action `fetch_one`, as `Widgets Fetch One` at line 55 does; both are kept"
    );
}

/// A field name of 200,000 characters (which once broke `cargo doc`: file name too long) is a
/// located `name-length` error; so are an entity name and an action label.
#[test]
fn names_longer_than_the_limit_are_located_errors() {
    use airbyte_codegen::parse::MAX_NAME;
    let base = String::from_utf8(read("valid")).unwrap();
    let long = "l".repeat(200_000);
    let at_limit = "k".repeat(MAX_NAME);
    for (text, line) in [
        (
            base.replacen("| `limit` |", &format!("| `{long}` |"), 1),
            41,
        ),
        (base.replace("Widgets", &format!("W{long}")), 11),
        (base.replace("Widgets Get", &format!("Widgets {long}")), 55),
    ] {
        let diags = parse_bytes("long.md", text.as_bytes()).unwrap_err();
        check_located("long.md", &text, &diags);
        let errors: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(!errors.is_empty());
        assert!(errors.iter().all(|d| d.code == "name-length"), "{errors:?}");
        assert_eq!(errors[0].line, line, "{}", errors[0]);
        assert!(
            errors[0].message.contains("200001 characters")
                || errors[0].message.contains("200000 characters"),
            "{}",
            errors[0]
        );
        assert!(errors[0].len <= 80);
    }
    // At the limit, a name is accepted.
    let text = base.replacen("| `limit` |", &format!("| `{at_limit}` |"), 1);
    assert!(parse_bytes("long.md", text.as_bytes()).is_ok());
}

/// The valid document cut off at every character: never a panic, every diagnostic located,
/// and a cut inside a Response Schema or a code fence is an error at the line that opened it
/// (a cut inside `<details>` was accepted with only `missing-section` warnings).
#[test]
fn a_document_cut_anywhere_is_refused_where_it_opened_a_block() {
    let text = String::from_utf8(read("valid")).unwrap();
    let mut checked = (0, 0);
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let prefix = &text[..cut];
        let result = parse_bytes("cut.md", prefix.as_bytes());
        let diags = match &result {
            Ok(p) => &p.warnings,
            Err(d) => d,
        };
        check_located("cut.md", prefix, diags);
        // A line being cut counts too: a cut "```" still closes a fence, and a cut
        // "</details" closes nothing.
        let whole: Vec<&str> = prefix.lines().collect();
        let fences: Vec<usize> = (0..whole.len())
            .filter(|&i| whole[i].starts_with("```"))
            .collect();
        let line_of = |i: usize| i + 1;
        if fences.len() % 2 == 1 {
            let open = line_of(*fences.last().unwrap());
            let errors = result
                .as_ref()
                .expect_err("a cut inside a fence is an error");
            assert!(
                errors
                    .iter()
                    .any(|d| d.code == "unterminated-fence" && d.line == open),
                "cut at {cut} (fence at line {open}): {errors:?}"
            );
            checked.0 += 1;
            continue;
        }
        let opened = whole.iter().rposition(|l| *l == "<details>");
        let closed = whole.iter().rposition(|l| *l == "</details>");
        if let Some(open) = opened.filter(|&o| closed.is_none_or(|c| c < o)) {
            let errors = result
                .as_ref()
                .expect_err("a cut inside <details> is an error");
            assert!(
                errors
                    .iter()
                    .any(|d| d.code == "unterminated-details" && d.line == line_of(open)),
                "cut at {cut} (<details> at line {}): {errors:?}",
                line_of(open)
            );
            checked.1 += 1;
        }
    }
    assert!(checked.0 > 100 && checked.1 > 100, "{checked:?}");
}

/// Duplicate actions are allowed by the format (FORMAT.md §3.1): kept, with a warning.
#[test]
fn duplicate_action_is_kept_with_a_warning() {
    let name = "catalogue/duplicate-action.md";
    let bytes = read("duplicate-action");
    let text = std::str::from_utf8(&bytes).unwrap();
    let parsed = parse_bytes(name, &bytes).expect("duplicates are allowed");
    check_located(name, text, &parsed.warnings);
    let lists = parsed.connector.entities[0]
        .actions
        .iter()
        .filter(|a| a.name == "list")
        .count();
    assert_eq!(lists, 2);
    assert!(codes(&parsed.warnings, Severity::Warning).contains("duplicate-action"));
    insta::assert_snapshot!("duplicate-action", render(&parsed.warnings, text));
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let mut bytes = read("valid");
    let at = find(&bytes, b"Page size") + 5;
    bytes[at] = 0xe9; // Latin-1 `é`: `Page \xe9ize`
    let name = "catalogue/latin1.md";
    let diags = parse_bytes(name, &bytes).unwrap_err();
    assert_eq!(diags.len(), 1, "{diags:?}");
    let d = &diags[0];
    assert_eq!(d.code, "encoding");
    assert_eq!(d.offset, at);
    let prefix = std::str::from_utf8(&bytes[..at]).unwrap();
    assert_eq!(d.line, prefix.matches('\n').count() + 1);
    assert_eq!(d.col, prefix.len() - prefix.rfind('\n').unwrap());
    assert_eq!(d.hint.as_deref(), Some("save the document as UTF-8"));
    let rendered = render(&diags, &String::from_utf8_lossy(&bytes));
    insta::assert_snapshot!("invalid-utf8", rendered);
}

#[test]
fn binary_files_are_rejected_with_a_location() {
    // A PNG header: not UTF-8 at its first byte.
    let png: &[u8] =
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    let diags = parse_bytes("catalogue/logo.png", png).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code, diags[0].line, diags[0].col),
        ("encoding", 1, 1)
    );
    assert!(diags[0].hint.as_deref().unwrap().contains("binary"));
    let png_rendered = render(&diags, &String::from_utf8_lossy(png));

    // Valid UTF-8 with NUL bytes: a binary blob after a plausible first line.
    let mut blob = b"# Acme full reference\n".to_vec();
    blob.extend((0u8..=127).cycle().take(4096));
    let diags = parse_bytes("catalogue/blob.md", &blob).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert_eq!(
        (diags[0].code, diags[0].line, diags[0].col),
        ("binary", 2, 1)
    );
    let blob_rendered = render(&diags, std::str::from_utf8(&blob).unwrap());
    assert!(!blob_rendered.contains('\0'));
    insta::assert_snapshot!("binary", format!("{png_rendered}\n{blob_rendered}"));
}

/// A 50 MB document: a Records table of a million rows with one bad type near its end. It is
/// parsed in bounded time and the one error is found at the right line.
#[test]
fn fifty_megabyte_document() {
    let base = String::from_utf8(read("valid")).unwrap();
    let anchor = "| `name` | `string \\| null` |  |\n";
    let split = base.find(anchor).unwrap() + anchor.len();
    let mut text = String::with_capacity(51 << 20);
    text.push_str(&base[..split]);
    let mut i = 0usize;
    let bad_row = 1_000_000;
    let mut bad_line = 0;
    while text.len() < 50 << 20 {
        if i == bad_row {
            bad_line = text.matches('\n').count() + 1;
            text.push_str(&format!("| `field_{i}` | `strin` | Field number {i} |\n"));
        } else {
            text.push_str(&format!("| `field_{i}` | `string` | Field number {i} |\n"));
        }
        i += 1;
    }
    text.push_str(&base[split..]);
    assert!(text.len() >= 50 << 20 && bad_line > 0, "{i} rows");

    let started = Instant::now();
    let diags = parse_bytes("catalogue/huge.md", text.as_bytes()).unwrap_err();
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(120),
        "parsing 50 MB took {took:?}"
    );
    check_located("catalogue/huge.md", &text, &diags);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!((diags[0].code, diags[0].line), ("unknown-type", bad_line));
    insta::assert_snapshot!("fifty-megabytes", render(&diags, &text));
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle")
}

/// `airbyte-codegen check` exits non-zero on every malformed document, naming each error code,
/// and zero on the valid one.
#[test]
fn check_command_exits_non_zero() {
    let check = |path: &Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
            .arg("check")
            .arg(path)
            .output()
            .expect("run airbyte-codegen")
    };
    assert!(check(&dir().join("valid.md")).status.success());
    for (case, errors, _) in CASES {
        let out = check(&dir().join(format!("{case}.md")));
        assert_eq!(out.status.code(), Some(1), "{case}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for code in *errors {
            assert!(stderr.contains(&format!("[{code}]")), "{case}: {stderr}");
        }
    }
    // Binary and invalid UTF-8 input, from a temporary file.
    let tmp = std::env::temp_dir().join(format!("airbyte-catalogue-{}.md", std::process::id()));
    for bytes in [
        &b"\x89PNG\r\n\x1a\n\0\0"[..],
        &b"# Acme full reference\n\xe9\n"[..],
    ] {
        std::fs::write(&tmp, bytes).unwrap();
        assert_eq!(check(&tmp).status.code(), Some(1));
    }
    let _ = std::fs::remove_file(&tmp);
}

/// `airbyte-codegen generate` writes a crate and its model whose headers name the document it
/// was given, wherever that lies.
#[test]
fn generate_command_names_its_input_in_every_header() {
    let out = std::env::temp_dir().join(format!("airbyte-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let input = dir().join("valid.md");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
        .arg("generate")
        .arg("--input")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run airbyte-codegen");
    assert!(status.status.success(), "{status:?}");
    let expected = format!("from {}. Do not edit.", input.display());
    let mut checked = 0;
    for file in ["Cargo.toml", "src/lib.rs", "model.yaml"] {
        let text = std::fs::read_to_string(out.join(file)).expect(file);
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated by airbyte-codegen"),
            "{file}: {first}"
        );
        assert!(first.ends_with(&expected), "{file}: {first}");
        checked += 1;
    }
    assert_eq!(checked, 3);

    // A second run over its own files is fine; a hand-written file in the way is not touched.
    let generate = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
            .args(["generate", "--input"])
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run airbyte-codegen")
    };
    assert!(generate().status.success());
    let mine = "// my own crate root\npub fn hello() {}\n";
    std::fs::write(out.join("src/lib.rs"), mine).unwrap();
    let refused = generate();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(
        stderr.contains("refusing to overwrite 1 file(s)") && stderr.contains("src/lib.rs"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(out.join("src/lib.rs")).unwrap(),
        mine
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// `generate --out` outside `generated/<name>` without `--runtime-path` wrote a Cargo.toml
/// whose runtime path resolves nowhere, silently: the first cargo build then failed on
/// `/tmp/runtime/Cargo.toml`. It warns, naming the resolved path and the option to pass.
#[test]
fn generate_warns_when_the_runtime_path_resolves_nowhere() {
    let out =
        std::env::temp_dir().join(format!("airbyte-runtime-path-{}/crate", std::process::id()));
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
    let generate = |runtime: Option<&Path>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"));
        cmd.args(["generate", "--input"])
            .arg(dir().join("valid.md"))
            .arg("--out")
            .arg(&out);
        if let Some(r) = runtime {
            cmd.arg("--runtime-path").arg(r);
        }
        cmd.output().expect("run airbyte-codegen")
    };
    let default = generate(None);
    let stderr = String::from_utf8_lossy(&default.stderr);
    assert!(default.status.success(), "{stderr}");
    let resolved = out.join("../../runtime");
    assert!(
        stderr.contains(
            "warning: the generated Cargo.toml takes `airbyte-agent-runtime` from `../../runtime`"
        ) && stderr.contains(&resolved.display().to_string())
            && stderr.contains("--runtime-path"),
        "{stderr}"
    );
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    assert!(
        stderr.contains(&runtime.canonicalize().unwrap().display().to_string()),
        "{stderr}"
    );
    // Given the runtime's directory, nothing to warn about.
    let given = generate(Some(&runtime));
    let stderr = String::from_utf8_lossy(&given.stderr);
    assert!(
        given.status.success() && !stderr.contains("warning"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(out.parent().unwrap());
}

/// `generate --version 1.x` (or a bad `--name`, an empty `--runtime-path`) was reported as an
/// error of the document (`valid.md: error: crate version ...`), after parsing it. It is a
/// usage error naming the option, before anything is read or written.
#[test]
fn generate_names_the_option_a_bad_value_came_from() {
    let out = std::env::temp_dir().join(format!("airbyte-bad-option-{}", std::process::id()));
    for (option, value, says) in [
        ("--version", "1.x", "major.minor.patch"),
        ("--name", "Bad Name", "lowercase ASCII letters"),
        ("--runtime-path", " ", "runtime path is empty"),
    ] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
            .args(["generate", "--input"])
            .arg(dir().join("valid.md"))
            .arg("--out")
            .arg(&out)
            .args([option, value])
            .output()
            .expect("run airbyte-codegen");
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{option}: {stderr}");
        assert!(
            stderr.contains(&format!("for '{option} <")) && stderr.contains(says),
            "{option}: {stderr}"
        );
        assert!(!stderr.contains("valid.md"), "{option}: {stderr}");
        assert!(!out.exists(), "{option}: nothing is written");
    }
}

/// `generate --out FILE` said `cannot write: FILE/Cargo.toml: Not a directory`, naming a
/// path nobody passed. It names the option and what it expected.
#[test]
fn generate_out_naming_a_file_is_refused_naming_the_option() {
    let file = std::env::temp_dir().join(format!("airbyte-out-file-{}", std::process::id()));
    std::fs::write(&file, "mine\n").unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
        .args(["generate", "--input"])
        .arg(dir().join("valid.md"))
        .arg("--out")
        .arg(&file)
        .output()
        .expect("run airbyte-codegen");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "--out {}: is a file, expected a directory",
            file.display()
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
    let _ = std::fs::remove_file(&file);
}

/// `check` and `generate --input` read a model (`.yaml`, as `generate` writes it) as `diff`
/// does; before, its `# @generated` comment was read as the document's title, and the error
/// was a missing summary table.
#[test]
fn check_and_generate_read_a_model_as_diff_does() {
    let scratch = std::env::temp_dir().join(format!("airbyte-model-input-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-codegen"))
            .args(args)
            .output()
            .expect("run airbyte-codegen")
    };
    let from_md = scratch.join("from-md");
    let from_yaml = scratch.join("from-yaml");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let generate = |input: &Path, out: &Path| {
        run(&[
            "generate".as_ref(),
            "--input".as_ref(),
            input.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
            "--runtime-path".as_ref(),
            runtime.as_os_str(),
        ])
    };
    assert!(generate(&dir().join("valid.md"), &from_md).status.success());
    let model = from_md.join("model.yaml");
    let checked = run(&["check".as_ref(), model.as_os_str()]);
    let stdout = String::from_utf8_lossy(&checked.stdout);
    assert!(
        checked.status.success() && stdout.contains("1 entities, 2 actions"),
        "{stdout}{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let made = generate(&model, &from_yaml);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    for file in ["src/lib.rs", "src/widgets.rs", "Cargo.toml"] {
        let a = std::fs::read_to_string(from_md.join(file)).unwrap();
        let b = std::fs::read_to_string(from_yaml.join(file)).unwrap();
        // The source named in the header differs; the code does not.
        let code = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
        assert_eq!(code(&a), code(&b), "{file}");
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
