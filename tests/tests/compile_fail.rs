//! trybuild: misuse of the generated typed API does not compile (ordering on text, patterns on
//! integers, a missing required parameter, a filter of another entity, the runtime macros'
//! clauses of before, an `actions!` verb other than `read`/`write`), the intended use does.

#[test]
fn typed_api_rejects_misuse() {
    let t = trybuild::TestCases::new();
    t.pass("ui/typed_api_compiles.rs");
    t.compile_fail("ui/gt_on_text_field.rs");
    t.compile_fail("ui/like_on_integer_field.rs");
    t.compile_fail("ui/get_without_id.rs");
    t.compile_fail("ui/filter_of_another_entity.rs");
    t.compile_fail("ui/macro_clauses_of_before.rs");
    t.compile_fail("ui/record_member_named_like_a_runtime_type.rs");
    t.compile_fail("ui/actions_unknown_verb.rs");
}
