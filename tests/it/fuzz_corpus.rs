//! The fuzz targets' bodies on stable: each target of `fuzz/` runs over its seed corpus
//! (the vendor fixtures in `tests/fixtures/` behind each target's prefix, the seeds in
//! `fuzz/seeds/<target>/`, and every reproducer in `fuzz/regressions/<target>/`) and a
//! fixed number of deterministic mutations of it. Any panic fails the test.
//!
//! The targets skip the checks a known bug trips while it is listed in `KNOWN_BUGS`
//! (`fuzz/src/known_bugs.rs`); `listed_known_bugs_still_reproduce` fails once a listed
//! bug is fixed, to ask for its entry to be removed. `fuzz/README.md` has the rest.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The target bodies, the very file the cargo-fuzz binaries call.
#[allow(unreachable_pub, dead_code)]
#[path = "../../fuzz/src/lib.rs"]
mod targets;

use targets::known_bugs::{self, KNOWN_BUGS, KnownBug};

type Target = fn(&[u8]);

/// Mutations per target; together the tests take a few seconds in a debug build. The
/// `decode` target gets fewer: its padded (1 MiB) and many-member bodies are slow there.
const MUTATIONS: usize = 3_000;
const DECODE_MUTATIONS: usize = 2_000;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the repository")
        .to_path_buf()
}

/// The files of `dir`, sorted by name, or none if it does not exist.
fn files(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory").path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read(path).expect("a readable seed"))
        .collect()
}

/// The vendor reference bodies.
fn fixtures() -> Vec<Vec<u8>> {
    let fixtures = files(&repo().join("tests/fixtures"));
    assert!(
        fixtures.len() >= 10,
        "tests/fixtures holds the vendor bodies"
    );
    fixtures
}

/// A target's seed corpus: fixtures behind `prefixes` (one prefix per fixture, in turn),
/// then `fuzz/seeds/<name>/`, then `fuzz/regressions/<name>/`.
fn corpus(name: &str, prefixes: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut corpus = Vec::new();
    if !prefixes.is_empty() {
        for (i, fixture) in fixtures().into_iter().enumerate() {
            let mut input = prefixes[i % prefixes.len()].clone();
            input.extend_from_slice(&fixture);
            corpus.push(input);
        }
    }
    corpus.extend(files(&repo().join("fuzz/seeds").join(name)));
    corpus.extend(files(&repo().join("fuzz/regressions").join(name)));
    assert!(!corpus.is_empty(), "no seeds for {name}");
    corpus
}

/// Marsaglia's xorshift64: deterministic mutations, no dependency.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform enough in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).expect("small")).expect("small")
    }

    fn byte(&mut self) -> u8 {
        self.next().to_be_bytes()[0]
    }
}

/// Bytes JSON decoders and these layouts are touchy about.
const INTERESTING: [&[u8]; 20] = [
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"0",
    b"9",
    b"-",
    b"1e400",
    b"\\ud800",
    b"\"\\ud800\"",
    b"null",
    b"\x00",
    b"\xff",
    b"\xf0\x9f\x98\x80",
    b"\"status\":",
    b"{\"error\":{\"code\":",
];

/// One to four mutations of a random seed: bit flips, byte inserts and deletes,
/// truncation, splicing with another seed, interesting bytes inserted or overwritten.
fn mutate(rng: &mut XorShift, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut out = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(8) {
            0 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at, rng.byte()),
            2 if at < out.len() => {
                let end = (at + 1 + rng.below(8)).min(out.len());
                out.drain(at..end);
            }
            3 => out.truncate(at),
            4 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                out.truncate(at);
                out.extend_from_slice(&other[from..]);
            }
            5 => {
                let token = INTERESTING[rng.below(INTERESTING.len())];
                out.splice(at..at, token.iter().copied());
            }
            6 if at < out.len() => {
                out[at] = INTERESTING[rng.below(INTERESTING.len())][0];
            }
            _ => {
                // Small integers where the layouts keep counts, selectors and lengths.
                if at < out.len() {
                    out[at] = u8::try_from(rng.below(16)).expect("small");
                }
            }
        }
    }
    out
}

/// Runs `target` over `seeds` and `MUTATIONS` mutations of them; on a panic, fails
/// with the input.
fn run(name: &str, target: Target, seeds: &[Vec<u8>], rng_seed: u64) {
    let mut rng = XorShift(rng_seed);
    let count = if name == "decode" {
        DECODE_MUTATIONS
    } else {
        MUTATIONS
    };
    let mutations = (0..count).map(|_| mutate(&mut rng, seeds));
    for (i, input) in seeds.iter().cloned().chain(mutations).enumerate() {
        assert!(
            catch_unwind(|| target(&input)).is_ok(),
            "the {name} target panicked on input {i} ({} bytes): {:?}\n\
                 as bytes: {input:?}\n\
                 save it as a file under fuzz/regressions/{name}/ to keep it in this test, and \
                 run it alone with `cargo +nightly fuzz run {name} <file>` (see fuzz/README.md)",
            input.len(),
            String::from_utf8_lossy(&input),
        );
    }
}

#[test]
fn decode_target_survives_its_corpus() {
    // 400, 404 and 422 with no headers, raw body (see fuzz/src/target_decode.rs).
    let mut with_headers = vec![0x01, 0xAD, 0x03];
    with_headers.extend(targets::input::encode_headers(&[
        ("retry-after", b"30"),
        ("x-ratelimit-remaining", b"0"),
        ("x-request-id", b"req_1"),
    ]));
    let prefixes = [
        targets::target_decode::SEED_PREFIX.to_vec(),
        vec![0x01, 0x94, 0x00],
        vec![0x01, 0xA6, 0x00],
        with_headers,
    ];
    run(
        "decode",
        targets::decode,
        &corpus("decode", &prefixes),
        0x5EED_0001,
    );
}

#[test]
fn declared_target_survives_its_corpus() {
    // 402 and 200 (see fuzz/src/target_declared.rs), the vendor fixtures as bodies.
    let prefixes = [vec![0x01, 0x2E], vec![0x00, 0x64]];
    run(
        "declared",
        targets::declared,
        &corpus("declared", &prefixes),
        0x5EED_0005,
    );
}

#[test]
fn headers_target_survives_its_corpus() {
    run(
        "headers",
        targets::headers,
        &corpus("headers", &[]),
        0x5EED_0002,
    );
}

#[test]
fn retry_delay_target_survives_its_corpus() {
    run(
        "retry_delay",
        targets::retry_delay,
        &corpus("retry_delay", &[]),
        0x5EED_0003,
    );
}

#[test]
fn roundtrip_target_survives_its_corpus() {
    // Each format, no context, and a variant with strings: the fixture's bytes become
    // its messages and field names.
    let prefixes: Vec<Vec<u8>> = (0..7).map(|format| vec![format, 0, 1 + format]).collect();
    run(
        "roundtrip",
        targets::roundtrip,
        &corpus("roundtrip", &prefixes),
        0x5EED_0004,
    );
}

/// An input that trips `bug` in one target, when the bug is enforced.
fn reproducers(bug: KnownBug) -> Vec<(Target, Vec<u8>)> {
    let decode = |status: u16, control: u8, body: &[u8]| {
        let mut input = status.to_be_bytes().to_vec();
        input.push(control);
        input.extend_from_slice(body);
        (targets::decode as Target, input)
    };
    match bug {
        // problem, no context, Validation with one field "status" (message "x"), empty
        // message, attempt 0.
        KnownBug::ProblemDropsReservedFieldNames => {
            vec![(targets::roundtrip, vec![5, 0, 7, 1, 0, 0, 1, b'x', 0])]
        }
        // problem, no context, NotFound with Some({"email": ["x"]}).
        KnownBug::ProblemOptionDetailsNone => {
            vec![(targets::roundtrip, vec![5, 0, 5, 1, 1, 14, 0, 1, b'x'])]
        }
        // A 404 whose reason the enum declares only under 400 and 401.
        KnownBug::SharedCodeUndeclaredStatus => vec![decode(
            404,
            0,
            br#"{"error":{"code":404,"reason":"required","message":"m"}}"#,
        )],
        // Spliced: a well-formed envelope of each shape whose message is `1e400`.
        KnownBug::ParserRejectedMemberSinksEnvelope => (0..6)
            .flat_map(|shape| {
                [&b"1e400"[..], br#""\ud800""#].map(|value| {
                    let mut body = vec![shape, 0, 0];
                    body.extend_from_slice(value);
                    decode(400, 0x10, &body)
                })
            })
            .collect(),
        // plain, no context, RateLimited waiting u64::MAX s + 1 ns, empty message.
        KnownBug::RetryAfterOverflow => {
            vec![(targets::roundtrip, vec![0, 0, 8, 8, 0, 0, 0, 1, 0])]
        }
        // One header `x-ratelimit-reset: 999999` (11.6 days), at the Unix epoch.
        KnownBug::RateLimitResetUnclamped => {
            let mut input = vec![0x01];
            input.extend_from_slice(&[0; 12]);
            input.extend(targets::input::encode_headers(&[(
                "x-ratelimit-reset",
                b"999999",
            )]));
            vec![(targets::headers, input)]
        }
        // Timing, not a panic: the decode target's many-member bodies (mode 4) keep it
        // exercised, and benches/ measure it.
        KnownBug::QuadraticDecode => Vec::new(),
        // `{"message":"\xb2"}`: detected as `fields`, which rejects it.
        KnownBug::AutoDetectAcceptsInvalidUtf8 => vec![decode(400, 0, b"{\"message\":\"\xb2\"}")],
    }
}

/// Each known bug's reproducers: while the bug is listed, enforcing its checks makes one
/// of them panic (when none does, the bug is fixed and its `KNOWN_BUGS` entry must go);
/// once it is not listed, none may panic (they are its regression tests).
#[test]
fn known_bug_reproducers_match_the_list() {
    for bug in known_bugs::ALL_KNOWN_BUGS {
        let reproducers = reproducers(bug);
        let enforced: &'static [KnownBug] = Vec::leak(vec![bug]);
        known_bugs::enforce_on_this_thread(Some(enforced));
        let panics: Vec<bool> = reproducers
            .iter()
            .map(|(target, input)| catch_unwind(AssertUnwindSafe(|| target(input))).is_err())
            .collect();
        known_bugs::enforce_on_this_thread(None);
        if KNOWN_BUGS.contains(&bug) {
            assert!(
                reproducers.is_empty() || panics.contains(&true),
                "KnownBug::{bug:?} no longer reproduces: remove it from KNOWN_BUGS in \
                 fuzz/src/known_bugs.rs so the fuzz targets enforce its checks"
            );
        } else {
            assert!(
                !panics.contains(&true),
                "KnownBug::{bug:?} is back (reproducers {panics:?} panicked)"
            );
        }
    }
}
