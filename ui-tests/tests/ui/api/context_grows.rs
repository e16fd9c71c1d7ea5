// `Context` will grow: it is built with `Context::new()` and `with_*`, not a literal.
use apierror::Context;

fn main() {
    let _ = Context {
        request_id: Some("r"),
        timestamp: None,
        problem_type: None,
        instance: None,
    };
}
