//! Shared by the benches: a realistic Intercom contact made from the index, pages of them, and
//! the hand-written contact struct the generated one is compared with.
//!
//! The template is this repository's own (no shared fixture is copied): every field of the
//! Contacts record table, with values varied by index so that strings differ in length and
//! nulls, nested lists and custom attributes come and go as in real pages.

#![allow(dead_code)]

use serde::Deserialize;
use serde_json::{json, Value};

const FIRST: &[&str] = &[
    "Aoife", "Bram", "Chiara", "Dmitri", "Elif", "Farid", "Grainne", "Hiro", "Ines", "Jonas",
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
];
const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("Ireland", "Leinster", "Dublin", "IRL", "EU"),
    ("Netherlands", "North Holland", "Amsterdam", "NLD", "EU"),
    ("Japan", "Tokyo", "Shibuya", "JPN", "AS"),
    ("Brazil", "Sao Paulo", "Campinas", "BRA", "SA"),
    ("United States", "California", "Oakland", "USA", "NA"),
];

/// Contact number `i`, shaped like an Intercom `contact` object.
pub fn contact(i: usize) -> Value {
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i / FIRST.len()) % LAST.len()];
    let id = format!("6650{i:020x}");
    let created = 1_700_000_000 + (i as i64) * 37;
    let (country, region, city, cc, continent) = PLACES[i % PLACES.len()];
    let tags: Vec<Value> = (0..i % 4)
        .map(|t| json!({"type": "tag", "id": format!("{}", 100 + t * 7 + i % 5), "url": format!("/tags/{}", 100 + t * 7 + i % 5)}))
        .collect();
    let companies: Vec<Value> = (0..i % 2)
        .map(|_| json!({"type": "company", "id": format!("5f00{:020x}", i / 10), "url": format!("/companies/5f00{:020x}", i / 10)}))
        .collect();
    let seen = if i % 3 == 0 {
        Value::Null
    } else {
        json!(created + 86_400)
    };
    let list = |what: &str, data: Vec<Value>| {
        let total = data.len();
        json!({"type": "list", "data": data, "url": format!("/contacts/{id}/{what}"), "total_count": total, "has_more": false})
    };
    json!({
        "type": "contact",
        "id": id,
        "workspace_id": "ws8f3k2q",
        "external_id": if i % 2 == 0 { json!(format!("crm-{i}")) } else { Value::Null },
        "role": if i % 5 == 0 { "lead" } else { "user" },
        "email": format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase().replace([' ', '\''], ""), i),
        "phone": if i % 4 == 0 { json!(format!("+3538{:08}", i)) } else { Value::Null },
        "name": format!("{first} {last}"),
        "avatar": if i % 6 == 0 { json!(format!("https://static.example.com/avatars/{i}.png")) } else { Value::Null },
        "owner_id": if i % 7 == 0 { json!(4_200_000 + i) } else { Value::Null },
        "social_profiles": {"type": "list", "data": if i % 8 == 0 { vec![json!({"type": "social_profile", "name": "Twitter", "url": format!("https://twitter.com/user{i}")})] } else { vec![] }},
        "has_hard_bounced": i % 97 == 0,
        "marked_email_as_spam": false,
        "unsubscribed_from_emails": i % 11 == 0,
        "created_at": created,
        "updated_at": created + 3_600,
        "signed_up_at": created,
        "last_seen_at": seen,
        "last_replied_at": if i % 4 == 1 { json!(created + 7_200) } else { Value::Null },
        "last_contacted_at": Value::Null,
        "last_email_opened_at": if i % 3 == 2 { json!(created + 9_000) } else { Value::Null },
        "last_email_clicked_at": Value::Null,
        "language_override": if i % 10 == 0 { json!("de") } else { Value::Null },
        "browser": (["chrome", "firefox", "safari"][i % 3]),
        "browser_version": format!("12{}.0.{}.{}", i % 10, i % 7000, i % 200),
        "browser_language": (["en-US", "en-GB", "ja-JP", "pt-BR"][i % 4]),
        "os": (["OS X 10.15.7", "Windows 10", "Linux", "iOS 17.5"][i % 4]),
        "location": {"type": "location", "country": country, "region": region, "city": city, "country_code": cc, "continent_code": continent},
        "android_app_name": Value::Null,
        "android_app_version": Value::Null,
        "android_device": Value::Null,
        "android_os_version": Value::Null,
        "android_sdk_version": Value::Null,
        "android_last_seen_at": Value::Null,
        "ios_app_name": if i % 9 == 0 { json!("Acme") } else { Value::Null },
        "ios_app_version": if i % 9 == 0 { json!("4.2.1") } else { Value::Null },
        "ios_device": if i % 9 == 0 { json!("iPhone15,2") } else { Value::Null },
        "ios_os_version": if i % 9 == 0 { json!("17.5") } else { Value::Null },
        "ios_sdk_version": if i % 9 == 0 { json!("15.0.3") } else { Value::Null },
        "ios_last_seen_at": if i % 9 == 0 { json!(created + 600) } else { Value::Null },
        "custom_attributes": {"plan": (["free", "team", "enterprise"][i % 3]), "seats": i % 50, "beta_user": i % 2 == 0},
        "tags": list("tags", tags),
        "notes": list("notes", vec![]),
        "companies": list("companies", companies),
        "opted_out_subscription_types": list("subscriptions", vec![]),
        "opted_in_subscription_types": list("subscriptions", vec![]),
        "utm_campaign": if i % 5 == 1 { json!("spring-launch") } else { Value::Null },
        "utm_content": Value::Null,
        "utm_medium": if i % 5 == 1 { json!("email") } else { Value::Null },
        "utm_source": if i % 5 == 1 { json!("newsletter") } else { Value::Null },
        "utm_term": Value::Null,
        "referrer": if i % 5 == 1 { json!("https://example.com/pricing") } else { Value::Null },
    })
}

/// A list page envelope of `n` contacts, as the execute API answers `contacts list`.
pub fn contacts_page(n: usize) -> Vec<u8> {
    let records: Vec<Value> = (0..n).map(contact).collect();
    let page = json!({
        "result": records,
        "connector_metadata": {"next_page": format!("6650{n:020x}")},
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
