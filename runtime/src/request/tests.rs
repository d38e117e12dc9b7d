//! The declaring form of `request!`: the params struct, its `new`, the builder's setters and
//! the handle's methods it writes.

// The builders' `send`, `stream` and the rest are not called here.
#![allow(dead_code)]

use serde_json::{json, Value};

use crate::{Client, ListPage};

crate::handle! {
    /// The actions of tags.
    pub struct TagsApi = "tags";
}

crate::request! {
    /// Lists tags.
    pub struct ListTags(ListTagsParams) -> ListPage<Value, Value> {
        /// Tags per page.
        "pageSize" => page_size: Option<i64>,
        /// Only tags with these names.
        "names" => names: Option<[String]>,
    }
    action TagsApi::list = "list", idempotent = true;
    stream Value: Offset { param: "offset" };
}

crate::request! {
    /// Tags some records.
    pub struct ApplyTag(ApplyTagParams) -> Value {
        /// The tag's id.
        "tag_id" => tag_id: String,
        /// The records to tag.
        "record_ids" => record_ids: [i64],
        /// Why.
        "note" => note: Option<String>,
    }
    action TagsApi::apply = "apply", idempotent = false;
}

fn tags() -> TagsApi {
    let client = Client::builder()
        .connector_id("c")
        .bearer_token("t")
        .build()
        .unwrap();
    TagsApi::new(client)
}

#[test]
fn optional_members_are_setters_left_out_when_unset() {
    let request = tags().list();
    assert_eq!(request.params(), &ListTagsParams::default());
    assert_eq!(serde_json::to_value(request.params()).unwrap(), json!({}));
    let request = request.page_size(5u8).names(["bug", "urgent"]);
    assert_eq!(
        serde_json::to_value(request.params()).unwrap(),
        json!({"pageSize": 5, "names": ["bug", "urgent"]})
    );
    assert_eq!(request.params().page_size, Some(5));
}

#[test]
fn required_members_are_arguments_of_new_and_of_the_handle_method() {
    let params = ApplyTagParams::new("t1", [1i32, 2]);
    assert_eq!(params.tag_id, "t1");
    assert_eq!(params.record_ids, vec![1, 2]);
    assert_eq!(params.note, None);
    let request = tags().apply("t1", vec![1, 2]).note("why");
    assert_eq!(
        serde_json::to_value(request.params()).unwrap(),
        json!({"tag_id": "t1", "record_ids": [1, 2], "note": "why"})
    );
    assert_eq!(request.into_params().note.as_deref(), Some("why"));
}

#[test]
fn params_read_their_wire_names_and_reject_unknown_members() {
    let params: ListTagsParams = serde_json::from_value(json!({"pageSize": 3})).unwrap();
    assert_eq!(params.page_size, Some(3));
    let unknown = serde_json::from_value::<ListTagsParams>(json!({"page_size": 3})).unwrap_err();
    assert!(
        unknown.to_string().contains("unknown field `page_size`"),
        "{unknown}"
    );
    let missing = serde_json::from_value::<ApplyTagParams>(json!({"tag_id": "t"})).unwrap_err();
    assert!(
        missing.to_string().contains("missing field `record_ids`"),
        "{missing}"
    );
}

#[test]
fn the_action_and_paging_come_from_the_clauses() {
    use crate::{Action, Paginated, Paging};
    assert_eq!(
        (
            ListTagsParams::ENTITY,
            ListTagsParams::ACTION,
            ListTagsParams::IDEMPOTENT
        ),
        ("tags", "list", true)
    );
    assert!(matches!(
        ListTagsParams::PAGING,
        Paging::Offset { param: "offset" }
    ));
    assert_eq!(
        (ApplyTagParams::ACTION, ApplyTagParams::IDEMPOTENT),
        ("apply", false)
    );
}

mod search {
    crate::record! {
        /// A tag as the search index returns it.
        pub struct TagHit {
            /// The tag's name.
            "name" => name: String as &str => Text,
        }
        fields for SearchableTag;
    }
}

use search::{fields, SearchableTag, TagHit};

crate::request! {
    /// Searches tags.
    pub type SearchTags(SearchTagsParams) = Search<SearchableTag> -> SearchHits<TagHit>;
    action TagsApi::search;
}

#[test]
fn the_standard_search_names_the_generic_builder() {
    use crate::{Action, Searchable};
    assert_eq!(<SearchableTag as Searchable>::ENTITY, "tags");
    assert_eq!(SearchTagsParams::ACTION, "search");
    let request: SearchTags = tags().search(fields::name().eq("bug")).limit(2);
    assert_eq!(
        serde_json::to_value(request.params()).unwrap(),
        json!({"query": {"filter": {"eq": {"name": "bug"}}}, "limit": 2})
    );
    let hit: <SearchableTag as Searchable>::Record =
        serde_json::from_value(json!({"name": "bug"})).unwrap();
    assert_eq!(hit.name(), Some("bug"));
}
