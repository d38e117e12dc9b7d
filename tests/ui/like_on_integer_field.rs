// Pattern operators exist only on text: `like` on an integer field must not compile.
use airbyte_intercom::contacts::fields::created_at;

fn main() {
    let _ = created_at().like("%1%");
}
