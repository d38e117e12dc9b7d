// The happy path compiles: the `pass` counterpart of the compile-fail cases.
use airbyte_intercom::contacts::fields::{created_at, email};
use airbyte_intercom::contacts::{Contact, ListContacts, SearchContacts};
use airbyte_intercom::Intercom;

fn main() {
    let connector: Intercom = Intercom::builder()
        .connector_id("conn-1")
        .bearer_token("token")
        .build()
        .expect("connector");
    let list: ListContacts = connector
        .contacts()
        .list()
        .per_page(50)
        .starting_after("abc");
    assert_eq!(list.params().per_page, Some(50));
    let _get = connector.contacts().get("id-1");
    let _search: SearchContacts = connector
        .contacts()
        .search(email().like("%@acme.com") & created_at().gt(1_700_000_000))
        .sort(created_at().desc())
        .limit(10);
    let contact = Contact::default();
    let _name: &str = contact.name().unwrap_or_default();
    let _created: Option<i64> = contact.created_at();
}
