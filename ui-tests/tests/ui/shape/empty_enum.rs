use apierror::ApiError;

#[derive(Debug, thiserror::Error, ApiError)]
enum Error {}

fn main() {}
