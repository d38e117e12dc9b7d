// Ordering operators exist only on numbers and timestamps: `gt` on a text field must not compile.
use airbyte_intercom::contacts::fields::email;

fn main() {
    let _ = email().gt("a");
}
