//! Compile-fail cases with their exact messages, and compile-pass cases for every
//! supported shape.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    for topic in [
        "status",
        "code",
        "retry",
        "format",
        "attrs",
        "message",
        "fields",
        "shape",
        "fallback",
        "api",
        "types",
        "catalogue",
        "declared",
    ] {
        cases.compile_fail(format!("tests/ui/{topic}/*.rs"));
    }
    cases.pass("tests/ui/pass/*.rs");
}
