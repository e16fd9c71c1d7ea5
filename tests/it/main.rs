//! Behaviour tests for `apierror`: one binary, one module per topic.

mod catalogue;
mod client_declared;
mod client_e2e;
mod client_vendors;
mod custom_format;
mod decode_in_place;
mod decode_meta;
mod derive_lints;
mod derive_mapping;
mod derive_serde;
mod formats_declared;
mod formats_hostile;
mod formats_lenient;
mod formats_roundtrip;
mod formats_seeds;
mod fuzz_corpus;
mod openapi;
mod openapi_server;
mod public_api;
mod retry_breaker;
mod retry_budget;
mod retry_call;
mod retry_classify;
mod retry_policy;
mod retry_vendors;
mod server_e2e;
