//! Randomness for jitter: a one-method trait and a small seedable generator.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

/// A source of random 64-bit words, injected wherever jitter is drawn so tests can use a
/// fixed seed and get exact delays.
///
/// Implement it over any generator you already have; [`SplitMix64`] is built in.
pub trait Rng {
    /// The next uniformly distributed 64-bit word.
    fn next_u64(&mut self) -> u64;
}

impl<R: Rng + ?Sized> Rng for &mut R {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

impl<R: Rng + ?Sized> Rng for Box<R> {
    fn next_u64(&mut self) -> u64 {
        (**self).next_u64()
    }
}

/// `SplitMix64` (Steele, Lea and Flood, 2014): one 64-bit word of state, fast, and good
/// enough for spreading retries out. Not for cryptography.
///
/// ```
/// use apierror::retry::{Rng, SplitMix64};
///
/// let mut a = SplitMix64::new(7);
/// let mut b = SplitMix64::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose sequence is fixed by `seed`.
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// A generator seeded from the process's hash randomness (`RandomState`), different
    /// for every call.
    pub fn from_entropy() -> Self {
        // Two generators made in the same instant must still differ.
        static CALLS: AtomicU64 = AtomicU64::new(0);
        let mut hasher = RandomState::new().build_hasher();
        hasher.write_u64(CALLS.fetch_add(1, Ordering::Relaxed));
        SplitMix64::new(hasher.finish())
    }
}

impl Default for SplitMix64 {
    /// Same as [`SplitMix64::from_entropy`].
    fn default() -> Self {
        SplitMix64::from_entropy()
    }
}

impl Rng for SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// A uniform draw from `[low, high)`; `low` when the range is empty.
///
/// Lemire's multiply-shift: one draw, no loop, a bias below 2⁻⁶⁴·span that jitter does
/// not care about.
pub(crate) fn uniform(rng: &mut (impl Rng + ?Sized), low: u64, high: u64) -> u64 {
    if high <= low {
        return low;
    }
    let span = u128::from(high - low);
    let offset = (u128::from(rng.next_u64()) * span) >> 64;
    // `offset < span <= u64::MAX`, so this neither truncates nor overflows.
    low + u64::try_from(offset).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // Reference values for seed 1234567 from the public-domain C implementation.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(rng.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn uniform_stays_in_range() {
        let mut rng = SplitMix64::new(1);
        for _ in 0..10_000 {
            let x = uniform(&mut rng, 10, 20);
            assert!((10..20).contains(&x));
        }
        assert_eq!(uniform(&mut rng, 5, 5), 5);
        assert_eq!(uniform(&mut rng, 9, 3), 9);
        let top = uniform(&mut rng, 0, u64::MAX);
        assert!(top < u64::MAX);
    }

    #[test]
    fn entropy_generators_differ() {
        let mut a = SplitMix64::from_entropy();
        let mut b = SplitMix64::from_entropy();
        assert_ne!(a.next_u64(), b.next_u64());
    }
}
