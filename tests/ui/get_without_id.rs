// A required parameter is a constructor argument: `get()` without the id must not compile.
use airbyte_intercom::Intercom;

fn main() {
    let intercom: Intercom = Intercom::builder().build().expect("connector");
    let _ = intercom.contacts().get();
}
