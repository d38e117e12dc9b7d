// A required parameter is a constructor argument: `get()` without the id must not compile.
use airbyte_intercom::Intercom;

fn main() {
    let client = Intercom::builder().build().expect("client");
    let _ = Intercom::new(client).contacts().get();
}
