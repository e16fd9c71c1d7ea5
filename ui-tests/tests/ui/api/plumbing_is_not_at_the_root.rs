// The derive's plumbing lives in the hidden `__private`, not at the root.
use apierror::DecodeInput;
use apierror::decode_details;

fn main() {}
