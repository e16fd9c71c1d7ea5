#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| apierror_fuzz::declared(data));
