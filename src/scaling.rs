//! Measuring how a stage's cost grows, for the tests that prove every stage
//! linear or n·log n by timing n and 10·n.
//!
//! A ratio of two timings is only evidence when both see the same machine:
//! tests run side by side on two shared cores, so one slow sample can make
//! linear work look quadratic. The two inputs therefore run in turns, each
//! sample repeats its work until it lasts long enough to swamp timer and
//! scheduler noise, and only the best sample of each counts.

use std::time::{Duration, Instant};

/// How long one sample runs at least.
const SAMPLE: Duration = Duration::from_millis(4);
/// Samples per input; the best counts.
const ROUNDS: usize = 11;

/// How many times longer one call of `large` takes than one call of `small`.
/// Linear work over 10× the input gives about 10, quadratic about 100, so
/// tests assert a bound between the two (20 or 30).
pub fn time_ratio(mut small: impl FnMut(), mut large: impl FnMut()) -> f64 {
    let reps_small = repetitions(&mut small);
    let reps_large = repetitions(&mut large);
    let (mut best_small, mut best_large) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        best_small = best_small.min(per_call(&mut small, reps_small));
        best_large = best_large.min(per_call(&mut large, reps_large));
    }
    best_large / best_small.max(1e-12)
}

/// How many calls make one sample last at least [`SAMPLE`].
fn repetitions(f: &mut impl FnMut()) -> u32 {
    let mut reps = 1u32;
    loop {
        let t = Instant::now();
        (0..reps).for_each(|_| f());
        if t.elapsed() >= SAMPLE || reps >= 1 << 20 {
            return reps;
        }
        reps *= 2;
    }
}

/// Seconds per call over `reps` calls.
fn per_call(f: &mut impl FnMut(), reps: u32) -> f64 {
    let t = Instant::now();
    (0..reps).for_each(|_| f());
    t.elapsed().as_secs_f64() / f64::from(reps)
}

#[cfg(test)]
mod tests {
    use super::time_ratio;

    /// The measure tells linear from quadratic work, or the tests built on
    /// it prove nothing.
    #[test]
    fn tells_linear_from_quadratic() {
        let linear = |n: u64| {
            move || {
                std::hint::black_box((0..n).map(std::hint::black_box).sum::<u64>());
            }
        };
        let quadratic = |n: u64| {
            move || {
                let mut s = 0u64;
                for i in 0..n {
                    for j in 0..n {
                        s = s.wrapping_add(std::hint::black_box(i ^ j));
                    }
                }
                std::hint::black_box(s);
            }
        };
        let lin = time_ratio(linear(20_000), linear(200_000));
        let quad = time_ratio(quadratic(300), quadratic(3_000));
        // Linear is about 10 and quadratic about 100: the bounds leave room
        // for a neighbouring test stealing the core during a sample.
        assert!(lin < 25.0, "linear work measured {lin:.1}×");
        assert!(quad > 40.0, "quadratic work measured {quad:.1}×");
    }
}
