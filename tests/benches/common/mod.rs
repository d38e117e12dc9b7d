//! Shared by the benches: a page of realistic Intercom contacts, and the hand-written contact
//! struct the generated one is compared with.
//!
//! The page is built deterministically from this repository's own Intercom contact fixture
//! (`sandbox/fixtures/intercom/contacts.json`, seven contacts as the documented `contact`
//! object): contact `i` starts from fixture contact `i % 7` and gets its own name, email,
//! phone, location, browser, timestamps, tags, companies, custom attributes and a few
//! members the reference document does not list (as real pages carry), each chosen by a
//! small seeded generator, so that strings differ in length and nulls, lists and nested
//! objects come and go as in real pages. The same bytes are decoded by every variant of the
//! decode bench and, with `cargo xtask bench --python`, by the Python SDK.

#![allow(dead_code)]

use serde::Deserialize;
use serde_json::{json, Map, Value};

/// The fixture the contacts are built from (the sandbox serves the same objects).
const FIXTURE: &str = include_str!("../../../sandbox/fixtures/intercom/contacts.json");

const FIRST: &[&str] = &[
    "Aoife", "Bram", "Chiara", "Dmitri", "Elif", "Farid", "Grainne", "Hiro", "Ines", "Jonas",
    "Kwame", "Lucia", "Mateus", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tomoko",
];
const LAST: &[&str] = &[
    "Byrne",
    "de Vries",
    "Rossi",
    "Ivanov",
    "Yilmaz",
    "Haddad",
    "O'Sullivan",
    "Tanaka",
    "Ferreira",
    "Lindqvist",
    "Mensah",
    "Garcia",
    "Kowalski",
    "Nguyen",
    "Schmidt",
    "Okafor",
];
const DOMAINS: &[&str] = &[
    "example.com",
    "mail.example.org",
    "acme.example",
    "globex.example.net",
    "initech.example",
];
/// Country, region, city, country code, continent code, timezone.
const PLACES: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("Ireland", "Leinster", "Dublin", "IE", "EU", "Europe/Dublin"),
    (
        "Netherlands",
        "North Holland",
        "Amsterdam",
        "NL",
        "EU",
        "Europe/Amsterdam",
    ),
    ("Japan", "Tokyo", "Shibuya", "JP", "AS", "Asia/Tokyo"),
    (
        "Brazil",
        "Sao Paulo",
        "Campinas",
        "BR",
        "SA",
        "America/Sao_Paulo",
    ),
    (
        "United States",
        "California",
        "Oakland",
        "US",
        "NA",
        "America/Los_Angeles",
    ),
    ("Germany", "Bavaria", "Munich", "DE", "EU", "Europe/Berlin"),
    (
        "India",
        "Karnataka",
        "Bengaluru",
        "IN",
        "AS",
        "Asia/Kolkata",
    ),
    ("Nigeria", "Lagos", "Ikeja", "NG", "AF", "Africa/Lagos"),
];
const BROWSERS: &[(&str, &str)] = &[
    ("chrome", "124.0.6367.91"),
    ("firefox", "125.0.3"),
    ("safari", "17.4.1"),
    ("edge", "124.0.2478.80"),
];
const OSES: &[&str] = &[
    "OS X 10.15.7",
    "Windows 10",
    "Linux",
    "iOS 17.5",
    "Android 14",
];
const TAGS: &[&str] = &[
    "vip",
    "beta",
    "churn-risk",
    "enterprise-trial",
    "newsletter",
    "partner",
];
const PLANS: &[&str] = &["free", "pro", "team", "enterprise"];

/// A small deterministic generator (SplitMix64), seeded per contact.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True one time in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

/// `value` when `present`, else `null`.
fn or_null(present: bool, value: impl Into<Value>) -> Value {
    if present {
        value.into()
    } else {
        Value::Null
    }
}

/// An Intercom list object (`{"type": "list", "data": [..], "url", "total_count", "has_more"}`).
fn list(url: String, data: Vec<Value>) -> Value {
    let total = data.len();
    json!({"type": "list", "data": data, "url": url, "total_count": total, "has_more": false})
}

/// Contact number `i`, shaped like an Intercom `contact` object.
pub fn contact(i: usize) -> Value {
    let fixture: Vec<Value> = serde_json::from_str(FIXTURE).unwrap_or_default();
    contact_from(&fixture, i)
}

fn contact_from(fixture: &[Value], i: usize) -> Value {
    let mut rng = Rng(i as u64 ^ 0x5EED_0000);
    let mut c: Map<String, Value> = match fixture.get(i % fixture.len().max(1)) {
        Some(Value::Object(base)) => base.clone(),
        _ => Map::new(),
    };
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    let id = format!("66a1{i:020x}");
    let created = 1_700_000_000 + (i as i64) * 3_613 + rng.below(3_600) as i64;
    let (country, region, city, cc, continent, tz) = *rng.pick(PLACES);
    let (browser, browser_version) = *rng.pick(BROWSERS);
    let mobile = rng.one_in(4);
    let email = format!(
        "{}.{}{}@{}",
        first.to_lowercase(),
        last.to_lowercase().replace([' ', '\''], ""),
        i,
        rng.pick(DOMAINS)
    );
    let tags: Vec<Value> = (0..rng.below(4))
        .map(|t| {
            let n = (i + t * 3) % TAGS.len();
            json!({"type": "tag", "id": format!("{}", 7_100 + n), "name": TAGS[n], "url": format!("/tags/{}", 7_100 + n), "applied_at": created + 60 * t as i64, "applied_by": {"type": "admin", "id": "991267"}})
        })
        .collect();
    let companies: Vec<Value> = (0..usize::from(rng.one_in(2)))
        .map(|_| {
            let company = format!("5f00{:020x}", i / 10);
            json!({"type": "company", "id": company, "url": format!("/companies/{company}")})
        })
        .collect();
    let notes: Vec<Value> = (0..usize::from(rng.one_in(5)))
        .map(|n| json!({"type": "note", "id": format!("{}", 40_000 + i * 2 + n), "url": format!("/notes/{}", 40_000 + i * 2 + n)}))
        .collect();
    let mut custom = Map::new();
    custom.insert("plan".into(), json!(rng.pick(PLANS)));
    custom.insert("seats".into(), json!(1 + rng.below(250)));
    custom.insert("beta_user".into(), json!(rng.one_in(3)));
    if rng.one_in(2) {
        custom.insert("mrr".into(), json!(rng.below(100_000) as f64 / 100.0));
    }
    if rng.one_in(3) {
        custom.insert(
            "signup_source".into(),
            json!(["webinar", "ads", "referral", "organic"][rng.below(4)]),
        );
    }
    if rng.one_in(6) {
        custom.insert(
            "onboarding".into(),
            json!({"step": rng.below(5), "completed": rng.one_in(2)}),
        );
    }
    let members = [
        ("id", json!(id)),
        ("workspace_id", json!("wsp4e7k2")),
        (
            "external_id",
            or_null(!rng.one_in(3), format!("crm-{}", 10_000 + i)),
        ),
        ("role", json!(if rng.one_in(4) { "lead" } else { "user" })),
        ("email", json!(email)),
        (
            "phone",
            or_null(
                rng.one_in(2),
                format!(
                    "+{} {} {:07}",
                    1 + rng.below(90),
                    20 + rng.below(80),
                    rng.below(10_000_000)
                ),
            ),
        ),
        ("name", json!(format!("{first} {last}"))),
        (
            "avatar",
            or_null(
                rng.one_in(3),
                format!("https://static.intercomassets.com/avatars/{i}/square_128/avatar.png"),
            ),
        ),
        ("owner_id", or_null(rng.one_in(3), 7_100 + rng.below(40))),
        (
            "social_profiles",
            json!({"type": "list", "data": if rng.one_in(8) { vec![json!({"type": "social_profile", "name": "Twitter", "url": format!("https://twitter.com/user{i}")})] } else { vec![] }}),
        ),
        ("has_hard_bounced", json!(rng.one_in(50))),
        ("marked_email_as_spam", json!(rng.one_in(200))),
        ("unsubscribed_from_emails", json!(rng.one_in(9))),
        ("created_at", json!(created)),
        ("updated_at", json!(created + rng.below(900_000) as i64)),
        ("signed_up_at", or_null(!rng.one_in(4), created)),
        (
            "last_seen_at",
            or_null(!rng.one_in(3), created + rng.below(2_000_000) as i64),
        ),
        (
            "last_replied_at",
            or_null(rng.one_in(4), created + rng.below(500_000) as i64),
        ),
        (
            "last_contacted_at",
            or_null(rng.one_in(3), created + rng.below(500_000) as i64),
        ),
        (
            "last_email_opened_at",
            or_null(rng.one_in(3), created + rng.below(800_000) as i64),
        ),
        (
            "last_email_clicked_at",
            or_null(rng.one_in(6), created + rng.below(800_000) as i64),
        ),
        (
            "language_override",
            or_null(rng.one_in(10), *rng.pick(&["de", "fr", "ja", "pt-BR"])),
        ),
        ("browser", json!(browser)),
        ("browser_version", json!(browser_version)),
        (
            "browser_language",
            json!(rng.pick(&["en-US", "en-GB", "ja-JP", "pt-BR", "de-DE"])),
        ),
        ("os", json!(rng.pick(OSES))),
        (
            "location",
            json!({"type": "location", "country": country, "region": region, "city": city, "country_code": cc, "continent_code": continent}),
        ),
        ("android_app_name", or_null(mobile, "Acme")),
        ("android_app_version", or_null(mobile, "5.1.0")),
        ("android_device", or_null(mobile, "Pixel 8")),
        ("android_os_version", or_null(mobile, "14")),
        ("android_sdk_version", or_null(mobile, "34")),
        ("android_last_seen_at", or_null(mobile, created + 600)),
        ("ios_app_name", or_null(!mobile && rng.one_in(5), "Acme")),
        ("ios_app_version", Value::Null),
        ("ios_device", Value::Null),
        ("ios_os_version", Value::Null),
        ("ios_sdk_version", Value::Null),
        ("ios_last_seen_at", Value::Null),
        ("custom_attributes", Value::Object(custom)),
        ("tags", list(format!("/contacts/{id}/tags"), tags)),
        ("notes", list(format!("/contacts/{id}/notes"), notes)),
        (
            "companies",
            list(format!("/contacts/{id}/companies"), companies),
        ),
        // Members of real contacts that the reference document does not list.
        (
            "opted_out_subscription_types",
            list(format!("/contacts/{id}/subscriptions"), vec![]),
        ),
        (
            "opted_in_subscription_types",
            list(format!("/contacts/{id}/subscriptions"), vec![]),
        ),
        ("utm_campaign", or_null(rng.one_in(5), "spring-launch")),
        ("utm_content", Value::Null),
        ("utm_medium", or_null(rng.one_in(5), "email")),
        ("utm_source", or_null(rng.one_in(5), "newsletter")),
        ("utm_term", Value::Null),
        (
            "referrer",
            or_null(
                rng.one_in(4),
                format!("https://www.example.com/pricing?ref={}", rng.below(1000)),
            ),
        ),
        ("enabled_push_messaging", or_null(mobile, true)),
        ("sms_consent", json!(rng.one_in(7))),
        (
            "email_domain",
            json!(email.rsplit('@').next().unwrap_or_default()),
        ),
        ("timezone", json!(tz)),
    ];
    for (key, value) in members {
        c.insert(key.to_owned(), value);
    }
    Value::Object(c)
}

/// A list page envelope of `n` contacts, as the execute API answers `contacts list`.
pub fn contacts_page(n: usize) -> Vec<u8> {
    let fixture: Vec<Value> = serde_json::from_str(FIXTURE).unwrap_or_default();
    let records: Vec<Value> = (0..n).map(|i| contact_from(&fixture, i)).collect();
    let page = json!({
        "result": records,
        "connector_metadata": {"next_page": format!("66a1{n:020x}")},
    });
    serde_json::to_vec(&page).unwrap_or_default()
}

/// A contact as one would write it by hand: the 44 fields of the generated `Contact`, plain
/// types, no leniency; members it does not list are skipped.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
pub struct HandContact {
    #[serde(rename = "type")]
    type_: Option<String>,
    id: Option<String>,
    workspace_id: Option<String>,
    external_id: Option<String>,
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    name: Option<String>,
    avatar: Option<String>,
    owner_id: Option<i64>,
    social_profiles: Option<Value>,
    has_hard_bounced: Option<bool>,
    marked_email_as_spam: Option<bool>,
    unsubscribed_from_emails: Option<bool>,
    created_at: Option<i64>,
    updated_at: Option<i64>,
    signed_up_at: Option<i64>,
    last_seen_at: Option<i64>,
    last_replied_at: Option<i64>,
    last_contacted_at: Option<i64>,
    last_email_opened_at: Option<i64>,
    last_email_clicked_at: Option<i64>,
    language_override: Option<String>,
    browser: Option<String>,
    browser_version: Option<String>,
    browser_language: Option<String>,
    os: Option<String>,
    location: Option<Value>,
    android_app_name: Option<String>,
    android_app_version: Option<String>,
    android_device: Option<String>,
    android_os_version: Option<String>,
    android_sdk_version: Option<String>,
    android_last_seen_at: Option<i64>,
    ios_app_name: Option<String>,
    ios_app_version: Option<String>,
    ios_device: Option<String>,
    ios_os_version: Option<String>,
    ios_sdk_version: Option<String>,
    ios_last_seen_at: Option<i64>,
    custom_attributes: Option<Value>,
    tags: Option<Value>,
    notes: Option<Value>,
    companies: Option<Value>,
}
