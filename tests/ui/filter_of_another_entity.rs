// Filters are typed by entity: a companies filter cannot search contacts.
use airbyte_intercom::{companies, Intercom};

fn main() {
    let client = Intercom::builder().build().expect("client");
    let _ = Intercom::new(client)
        .contacts()
        .search(companies::fields::name().eq("acme"));
}
