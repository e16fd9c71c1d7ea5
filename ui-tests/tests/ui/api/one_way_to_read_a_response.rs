// One way to do each thing: a response is read with `ResponseExt` (or `send`, `call`),
// and the decoders' details readers are not public.
use apierror::format::{DetailsReader, Undecoded};
use apierror::reqwest::{check, json};

fn main() {}
