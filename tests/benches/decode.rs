//! Decode: a page of 1000 realistic contacts into the generated types, against
//! `serde_json::Value` and against a minimal hand-written struct with the same fields.
//!
//! * `decode/generated`: `contacts::ListContactsParams::decode`, what the client runs on a list page
//!   (runtime envelope decoder with error paths, lenient fields, `extra` members kept).
//! * `decode/generated_plain`: the same generated types through plain `serde_json::from_slice`
//!   (no error-path tracking), to separate the types' cost from the decoder's.
//! * `decode/floor`: `serde_json` validating the page without building anything
//!   (`IgnoredAny`), the floor every decoder is measured against.
//! * `decode/value`: the page as `serde_json::Value`.
//! * `decode/handwritten`: a plain `#[derive(Deserialize)]` struct with the same 44 fields.
//! * `decode/handwritten_keep`: that struct plus a `#[serde(flatten)]` map of undocumented
//!   members, which the generated records keep: the cost of losing nothing.
//! * `decode/handwritten_keep_record`: the same plain fields plus the map of undocumented
//!   members, read with the runtime's record reader (`airbyte_agent_runtime::record`) as the
//!   generated records are, but each field read by plain serde (no check that the value
//!   re-encodes the same, which `Lenient` makes): the cost of losing nothing done well.
//!
//! Throughput is in records (elements).
//!
//! Profiling: `AIRBYTE_DECODE_PROFILE=<variant>:<runs>` decodes the page `runs` times with one
//! variant (`generated`, `floor`, `value`, `handwritten`) and exits without criterion, e.g.
//! `AIRBYTE_DECODE_PROFILE=generated:20 valgrind --tool=callgrind <bench executable>`;
//! instruction counts compare variants where wall-clock time on a shared machine cannot.

#![recursion_limit = "256"]

mod common;

use std::hint::black_box;

use airbyte_agent_runtime::{record, Action, Lenient, Plain};
use airbyte_intercom::contacts::{Contact, ListContactsMeta, ListContactsParams};
use bytes::Bytes;
use common::HandContact;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::de::{DeserializeOwned, MapAccess};
use serde::{Deserialize, Serialize};
use serde_json::Value;

const RECORDS: usize = 1000;

/// The hand-written struct keeping undocumented members, as the generated one does.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandContactKeep {
    #[serde(flatten)]
    known: HandContact,
    #[serde(flatten)]
    extra: serde_json::Map<String, Value>,
}

/// A field type read by plain serde: `null` is `Null`, anything else must deserialise as `T`
/// (an error otherwise, as in a plain struct), with no check that it re-encodes the same.
///
/// `Member::field` takes only `Lenient` slots; this reads through `Plain::read_member`, the
/// hook the runtime's own types override.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Strict<T>(T);

impl<T: DeserializeOwned + Serialize> Plain for Strict<T> {
    type Ref<'a>
        = &'a T
    where
        T: 'a;

    fn plain(&self) -> Option<&T> {
        Some(&self.0)
    }

    fn read_member<'de, A: MapAccess<'de>>(
        map: &mut A,
        slot: &mut Lenient<Self>,
        _buffers: &mut record::Buffers,
    ) -> Result<(), A::Error> {
        *slot = match map.next_value::<Option<T>>()? {
            None => Lenient::Null,
            Some(t) => Lenient::Known(Strict(t)),
        };
        Ok(())
    }
}

/// A hand-written struct with the given plain fields and a map of undocumented members, read
/// with the runtime's record reader.
macro_rules! keep_record {
    ($name:ident { $($field:ident: $ty:ty = $json:literal,)* }) => {
        #[derive(Debug, Default)]
        #[allow(dead_code)]
        struct $name {
            $($field: Lenient<Strict<$ty>>,)*
            extra: airbyte_agent_runtime::Extra,
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                record::deserialize(d)
            }
        }

        impl record::Record for $name {
            const NAME: &'static str = stringify!($name);
            fn extra(&mut self) -> &mut airbyte_agent_runtime::Extra {
                &mut self.extra
            }
            fn read_member<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                member: record::Member<'_, 'de, A>,
            ) -> Result<(), A::Error> {
                match key {
                    $($json => member.field(&mut self.$field),)*
                    _ => member.extra(),
                }
            }
            fn share_texts(&mut self, _texts: &std::sync::Arc<str>) {}
        }
    };
}

keep_record!(HandContactRecord {
    type_: String = "type",
    id: String = "id",
    workspace_id: String = "workspace_id",
    external_id: String = "external_id",
    role: String = "role",
    email: String = "email",
    phone: String = "phone",
    name: String = "name",
    avatar: String = "avatar",
    owner_id: i64 = "owner_id",
    social_profiles: Value = "social_profiles",
    has_hard_bounced: bool = "has_hard_bounced",
    marked_email_as_spam: bool = "marked_email_as_spam",
    unsubscribed_from_emails: bool = "unsubscribed_from_emails",
    created_at: i64 = "created_at",
    updated_at: i64 = "updated_at",
    signed_up_at: i64 = "signed_up_at",
    last_seen_at: i64 = "last_seen_at",
    last_replied_at: i64 = "last_replied_at",
    last_contacted_at: i64 = "last_contacted_at",
    last_email_opened_at: i64 = "last_email_opened_at",
    last_email_clicked_at: i64 = "last_email_clicked_at",
    language_override: String = "language_override",
    browser: String = "browser",
    browser_version: String = "browser_version",
    browser_language: String = "browser_language",
    os: String = "os",
    location: Value = "location",
    android_app_name: String = "android_app_name",
    android_app_version: String = "android_app_version",
    android_device: String = "android_device",
    android_os_version: String = "android_os_version",
    android_sdk_version: String = "android_sdk_version",
    android_last_seen_at: i64 = "android_last_seen_at",
    ios_app_name: String = "ios_app_name",
    ios_app_version: String = "ios_app_version",
    ios_device: String = "ios_device",
    ios_os_version: String = "ios_os_version",
    ios_sdk_version: String = "ios_sdk_version",
    ios_last_seen_at: i64 = "ios_last_seen_at",
    custom_attributes: Value = "custom_attributes",
    tags: Value = "tags",
    notes: Value = "notes",
    companies: Value = "companies",
});

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandMeta {
    next_page: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandPage {
    result: Vec<HandContact>,
    connector_metadata: HandMeta,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandKeepPage {
    result: Vec<HandContactKeep>,
    connector_metadata: HandMeta,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct HandRecordPage {
    result: Vec<HandContactRecord>,
    connector_metadata: HandMeta,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct GeneratedPage {
    result: Vec<Contact>,
    connector_metadata: ListContactsMeta,
}

fn decode(c: &mut Criterion) {
    let body = Bytes::from(common::contacts_page(RECORDS));
    // `cargo xtask bench` hands the same bytes to the Python SDK.
    if let Some(path) = std::env::var_os("AIRBYTE_BENCH_BODY") {
        if let Err(e) = std::fs::write(&path, &body) {
            panic!(
                "cannot write the body to {}: {e}",
                std::path::Path::new(&path).display()
            );
        }
    }
    // Every variant must decode the whole page, or the comparison means nothing.
    let checked = ListContactsParams::decode(body.clone()).map(|p| p.records.len());
    assert_eq!(checked.ok(), Some(RECORDS), "generated decode failed");
    let hand: Result<HandPage, _> = serde_json::from_slice(&body);
    assert_eq!(hand.map(|p| p.result.len()).ok(), Some(RECORDS));
    let kept: Result<HandRecordPage, _> = serde_json::from_slice(&body);
    let kept = kept.map(|p| (p.result.len(), p.result[1].extra.len())).ok();
    assert_eq!(kept, Some((RECORDS, 12)), "undocumented members are kept");

    if let Ok(spec) = std::env::var("AIRBYTE_DECODE_PROFILE") {
        let (variant, runs) = spec.split_once(':').unwrap_or((&spec, "10"));
        let runs: usize = runs.parse().unwrap_or(10);
        eprintln!(
            "decode: {runs} x {variant}; a Contact is {} bytes (its heap parts aside)",
            std::mem::size_of::<Contact>()
        );
        for _ in 0..runs {
            let ok = match variant {
                "generated" => ListContactsParams::decode(black_box(body.clone())).is_ok(),
                "floor" => serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok(),
                "value" => serde_json::from_slice::<Value>(&body).is_ok(),
                "handwritten" => serde_json::from_slice::<HandPage>(&body).is_ok(),
                other => panic!("AIRBYTE_DECODE_PROFILE: no variant {other}"),
            };
            assert!(ok, "{variant} failed");
        }
        std::process::exit(0);
    }
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.bench_function("generated", |b| {
        b.iter(|| ListContactsParams::decode(black_box(body.clone())).is_ok())
    });
    group.bench_function("generated_plain", |b| {
        b.iter(|| serde_json::from_slice::<GeneratedPage>(black_box(&body)).is_ok())
    });
    group.bench_function("floor", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&body)).is_ok())
    });
    group.bench_function("value", |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&body)).is_ok())
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| serde_json::from_slice::<HandPage>(black_box(&body)).is_ok())
    });
    group.bench_function("handwritten_keep", |b| {
        b.iter(|| serde_json::from_slice::<HandKeepPage>(black_box(&body)).is_ok())
    });
    group.bench_function("handwritten_keep_record", |b| {
        b.iter(|| serde_json::from_slice::<HandRecordPage>(black_box(&body)).is_ok())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = decode
}
criterion_main!(benches);
