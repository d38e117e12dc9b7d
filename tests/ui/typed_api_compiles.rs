// The happy path compiles: the `pass` counterpart of the compile-fail cases.
use airbyte_intercom::contacts::fields::{created_at, email};
use airbyte_intercom::Intercom;

fn main() {
    let client = Intercom::builder()
        .connector_id("conn-1")
        .bearer_token("token")
        .build()
        .expect("client");
    let connector = Intercom::new(client);
    let _list = connector
        .contacts()
        .list()
        .per_page(50)
        .starting_after("abc");
    let _get = connector.contacts().get("id-1");
    let _search = connector
        .contacts()
        .search(email().like("%@acme.com") & created_at().gt(1_700_000_000))
        .sort(created_at().desc())
        .limit(10);
}
