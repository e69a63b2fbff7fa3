//! The random source: ChaCha8 (portable, identical output on every platform) plus the few
//! distributions the generator needs. Transcendental functions come from `libm` (pure Rust)
//! rather than the platform's C library, so floating-point results do not vary by platform.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) struct R(ChaCha8Rng);

impl R {
    /// Stream `stream` of the generator keyed by `seed`. Streams are independent.
    pub fn new(seed: u64, stream: u64) -> R {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(stream);
        R(rng)
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn f(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    #[inline]
    pub fn chance(&mut self, p: f64) -> bool {
        self.f() < p
    }

    /// Uniform integer in 0..n (n > 0).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        self.0.random_range(0..n)
    }

    /// Uniform integer in lo..=hi.
    #[inline]
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        self.0.random_range(lo..=hi)
    }

    #[inline]
    pub fn pick<T: Copy>(&mut self, s: &[T]) -> T {
        s[self.below(s.len() as u32) as usize]
    }

    /// Weighted choice from (item, weight) pairs.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|x| x.1).sum();
        let mut u = self.below(total);
        for &(item, w) in items {
            if u < w {
                return item;
            }
            u -= w;
        }
        items[items.len() - 1].0
    }

    /// Weighted choice of an index, weights given by a function of the item.
    pub fn weighted_index<T>(&mut self, items: &[T], w: impl Fn(&T) -> u32) -> usize {
        let total: u32 = items.iter().map(&w).sum();
        let mut u = self.below(total);
        for (i, item) in items.iter().enumerate() {
            let wi = w(item);
            if u < wi {
                return i;
            }
            u -= wi;
        }
        items.len() - 1
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.f(); // (0, 1]
        let u2 = self.f();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(std::f64::consts::TAU * u2)
    }

    /// exp(N(mu, sigma)).
    pub fn lognormal(&mut self, mu: f64, sigma: f64) -> f64 {
        libm::exp(mu + sigma * self.normal())
    }
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-z))
}
