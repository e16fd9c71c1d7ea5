//! Carving structured input out of raw bytes, by hand (no `arbitrary`, so the stable
//! test can include these files with the tests crate's dependencies only).
//!
//! Every reader is total: reading past the end gives zeros and empty slices, so every
//! byte string is a valid input and a truncated input is simply a smaller one.

use std::time::Duration;

use apierror::http::{HeaderMap, HeaderName, HeaderValue};

/// A cursor over the fuzzer's bytes.
#[derive(Debug, Clone)]
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Up to `n` bytes (fewer at the end).
    pub fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, tail) = self.data.split_at(n.min(self.data.len()));
        self.data = tail;
        head
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        self.take(self.data.len())
    }

    /// One byte, `0` at the end.
    pub fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }

    /// `N` bytes, big-endian, zero-padded at the end.
    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        let head = self.take(N);
        out[..head.len()].copy_from_slice(head);
        out
    }

    /// A big-endian `u16`.
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes(self.array())
    }

    /// A big-endian `u32`.
    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes(self.array())
    }

    /// A big-endian `u64`.
    pub fn u64(&mut self) -> u64 {
        u64::from_be_bytes(self.array())
    }

    /// A flag: the low bit of one byte.
    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// A length byte, then that many bytes.
    pub fn chunk(&mut self) -> &'a [u8] {
        let len = usize::from(self.u8());
        self.take(len)
    }

    /// A [`chunk`](Self::chunk) as text, invalid UTF-8 replaced.
    pub fn string(&mut self) -> String {
        String::from_utf8_lossy(self.chunk()).into_owned()
    }

    /// One of `items` (which must not be empty).
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[usize::from(self.u8()) % items.len()]
    }

    /// A count, usually small: one byte below 250 is itself, else a full `u32`.
    pub fn count(&mut self) -> u32 {
        match self.u8() {
            small @ 0..250 => u32::from(small),
            250 => u32::MAX,
            251 => u32::MAX - 1,
            _ => self.u32(),
        }
    }

    /// A duration from one kind byte, weighted towards the edges: zero, `MAX`, whole
    /// seconds and milliseconds, the one-day `Retry-After` cap and either side of it,
    /// and raw seconds and nanoseconds.
    pub fn duration(&mut self) -> Duration {
        match self.u8() % 10 {
            0 => Duration::ZERO,
            1 => Duration::MAX,
            2 => Duration::from_millis(u64::from(self.u16())),
            3 => Duration::from_secs(u64::from(self.u16())),
            4 => Duration::from_secs(u64::from(self.u32())),
            5 => Duration::from_nanos(self.u64()),
            6 => {
                let secs = self.u64();
                Duration::new(secs, self.u32() % 1_000_000_000)
            }
            7 => {
                // The one-day cap, give or take up to 127 s, and a fraction.
                let offset = i64::from(i8::from_be_bytes([self.u8()]));
                let secs = 86_400_u64.saturating_add_signed(offset);
                Duration::new(secs, self.u32() % 1_000_000_000)
            }
            8 => Duration::new(u64::MAX, self.u32() % 1_000_000_000),
            _ => Duration::from_micros(u64::from(self.u32())),
        }
    }
}

/// The header names the runtime reads (and two it does not).
pub const HEADER_NAMES: [&str; 14] = [
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "ratelimit",
    "x-request-id",
    "request-id",
    "x-amzn-requestid",
    "date",
    "content-type",
    "x-unrelated",
];

/// `count` headers, each a name byte (an index into [`HEADER_NAMES`]) and a
/// [`chunk`](Bytes::chunk) value; values `HeaderValue` rejects are left out. Repeated
/// names are appended, so a header may occur several times.
pub fn headers(bytes: &mut Bytes<'_>, count: usize) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for _ in 0..count {
        let name = HeaderName::from_static(bytes.pick(&HEADER_NAMES));
        if let Ok(value) = HeaderValue::from_bytes(bytes.chunk()) {
            headers.append(name, value);
        }
    }
    headers
}

/// The bytes [`headers`] reads back as `headers` (names from [`HEADER_NAMES`], values
/// of at most 255 bytes): for writing seeds.
pub fn encode_headers(headers: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in headers {
        let index = HEADER_NAMES
            .iter()
            .position(|known| known == name)
            .expect("a name from HEADER_NAMES");
        out.push(u8::try_from(index).expect("few names"));
        let value = &value[..value.len().min(255)];
        out.push(u8::try_from(value.len()).expect("at most 255"));
        out.extend_from_slice(value);
    }
    out
}
