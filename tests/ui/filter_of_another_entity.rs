// Filters are typed by entity: a companies filter cannot search contacts.
use airbyte_intercom::{companies, Intercom};

fn main() {
    let intercom: Intercom = Intercom::builder().build().expect("connector");
    let _ = intercom
        .contacts()
        .search(companies::fields::name().eq("acme"));
}
