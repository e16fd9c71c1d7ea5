//! The `custom_format` example: a seventh format built from public items prints exactly
//! what `examples/examples/custom_format.stdout` holds (CI also diffs the example's own
//! output against it).

#[test]
fn the_custom_format_example_prints_its_recorded_output() {
    let mut out = String::new();
    apierror_examples::oauth2::demo(&mut out).unwrap();
    assert_eq!(
        out,
        include_str!("../../examples/examples/custom_format.stdout")
    );
}
