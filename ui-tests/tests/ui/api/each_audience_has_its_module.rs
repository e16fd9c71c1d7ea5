// Format authors find their toolkit under `format::`, retry users theirs under
// `retry::`; the root has no second copy.
use apierror::Format;
use apierror::RawEnvelope;
use apierror::RetryAfter;
use apierror::RateLimit;

fn main() {}
