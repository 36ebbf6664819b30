//! Rounding binary floats the way a reader rounds decimals.
//!
//! An `f64` cannot hold 7.75 computed as 5 % of 155 exactly; it may hold
//! 7.749999999999989, and rounding that in binary gives 7.7 where any reader
//! expects 7.8. So a value is first cut to its [`SIGNIFICANT`] leading decimal
//! digits, which removes the noise of binary arithmetic, and then rounded half
//! away from zero in exact decimal string arithmetic. Strings rather than a
//! decimal crate because every finite `f64` (up to 1e308) must be written, far
//! beyond the 28 digits of `rust_decimal`, and the arithmetic needed is one
//! carry.

use std::iter;

/// The most digits after the decimal point quire writes. Larger requests are
/// clamped, so no `digits` can make a number allocate hugely; the loader
/// refuses such requests earlier, with a located message.
pub const MAX_DIGITS: usize = 20;

/// Decimal digits of an `f64` taken as meaningful. An `f64` holds 15 to 17,
/// but a subtraction that cancels leading digits moves binary noise up: the
/// default report's remainder share `100 % − 83 % − 12 %` times USD 155 bn is
/// 7.749999999999989, still 7.74999999999999 at 15 digits. 12 digits keep
/// every figure a report states (a population to the person has 10) and drop
/// noise of up to a thousand ulps.
pub const SIGNIFICANT: usize = 12;

/// A finite number rounded to a fixed count of decimals:
/// the magnitude is `digits × 10^-scale`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rounded {
    /// Whether the number is below zero (never set for a rounded zero).
    pub negative: bool,
    /// ASCII decimal digits of the magnitude, without leading zeros; `"0"` for zero.
    pub digits: String,
    /// How many of the last digits stand after the decimal point.
    pub scale: usize,
}

/// `v` rounded half away from zero at `decimals` places after the point,
/// from its first [`SIGNIFICANT`] decimal digits; `None` for NaN and infinities.
///
/// ```
/// use quire::units::decimal::round;
/// assert_eq!(round(7.749999999999999, 1).unwrap().to_string(), "7.8");
/// assert_eq!(round(-2.5, 0).unwrap().to_string(), "-3");
/// ```
pub fn round(v: f64, decimals: usize) -> Option<Rounded> {
    if !v.is_finite() {
        return None;
    }
    let decimals = decimals.min(MAX_DIGITS);
    if v == 0.0 {
        return Some(Rounded::zero(decimals));
    }
    short(v, decimals).or_else(|| cut(v, decimals))
}

/// Powers of ten that an `f64` holds exactly.
const POW10: [f64; 9] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

/// [`round`] without formatting, for the numbers reports mostly hold: an
/// integer, or a decimal with at most `decimals` (and eight) places, of at
/// most [`SIGNIFICANT`] digits. When `v × 10^k` is an integer `n` below
/// 10^12, `v` lies within an ulp or two of `n / 10^k`, a point of the
/// 12-digit grid far nearer than half a grid step, so cutting `v` to 12
/// digits gives `n / 10^k` exactly and nothing is left to round.
fn short(v: f64, decimals: usize) -> Option<Rounded> {
    let a = v.abs();
    for (k, p) in POW10.iter().enumerate().take(decimals + 1) {
        let x = a * p;
        if x >= 1e12 {
            return None;
        }
        if x.fract() == 0.0 {
            let mut digits = (x as u64).to_string();
            digits.extend(iter::repeat_n('0', decimals - k));
            return Some(Rounded {
                negative: v < 0.0,
                digits,
                scale: decimals,
            });
        }
    }
    None
}

/// [`round`] for any finite, non-zero `v`, through its decimal expansion.
fn cut(v: f64, decimals: usize) -> Option<Rounded> {
    // `{:e}` with a precision rounds the exact binary value correctly.
    let sci = format!("{:.*e}", SIGNIFICANT - 1, v.abs());
    let (mantissa, exp) = sci.split_once('e')?;
    let exp: i64 = exp.parse().ok()?;
    let m: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    // |v| = m × 10^(exp − 14); the result is round(m × 10^(exp − 14 + decimals)).
    let shift = exp - (m.len() as i64 - 1) + decimals as i64;
    let mut n: Vec<u8> = if shift >= 0 {
        m.iter().copied().chain(iter::repeat_n(b'0', shift as usize)).collect()
    } else {
        let cut = m.len() as i64 + shift;
        if cut < 0 {
            Vec::new()
        } else {
            let cut = cut as usize;
            let mut kept = m[..cut].to_vec();
            if m[cut] >= b'5' {
                increment(&mut kept);
            }
            kept
        }
    };
    strip_leading_zeros(&mut n);
    let digits = String::from_utf8(n).ok()?;
    let negative = v < 0.0 && digits != "0";
    Some(Rounded {
        negative,
        digits,
        scale: decimals,
    })
}

fn increment(n: &mut Vec<u8>) {
    for d in n.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    n.insert(0, b'1');
}

fn strip_leading_zeros(n: &mut Vec<u8>) {
    let lead = n.iter().take_while(|&&d| d == b'0').count();
    n.drain(..lead);
    if n.is_empty() {
        n.push(b'0');
    }
}

impl Rounded {
    /// Zero with `scale` decimals.
    pub fn zero(scale: usize) -> Rounded {
        Rounded {
            negative: false,
            digits: "0".into(),
            scale,
        }
    }

    /// Whether the number is zero.
    pub fn is_zero(&self) -> bool {
        self.digits == "0"
    }

    /// The power of ten of the leading digit (2 for 155, −1 for 0.25);
    /// `None` for zero.
    pub fn magnitude(&self) -> Option<i64> {
        (!self.is_zero()).then(|| self.digits.len() as i64 - 1 - self.scale as i64)
    }

    /// The same number divided by `10^places` (multiplied, for negative
    /// `places`), exactly: only the decimal point moves.
    pub fn shifted(mut self, places: i64) -> Rounded {
        let scale = self.scale as i64 + places;
        if scale < 0 {
            if !self.is_zero() {
                self.digits.extend(iter::repeat_n('0', (-scale) as usize));
            }
            self.scale = 0;
        } else {
            self.scale = scale as usize;
        }
        self
    }

    /// Drops up to `max` trailing zeros after the decimal point
    /// (1.100 → 1.1 with `max` 2 or more).
    pub fn trim_zeros(&mut self, max: usize) {
        for _ in 0..max {
            if self.scale == 0 || !self.digits.ends_with('0') {
                return;
            }
            if self.digits.len() > 1 {
                self.digits.pop();
            }
            self.scale -= 1;
        }
    }

    /// Writes the number with `decimal` between integer and fraction,
    /// `group` between groups of three integer digits and `minus` before a
    /// negative number.
    pub fn write(&self, decimal: char, group: Option<char>, minus: char) -> String {
        let digits = self.digits.as_bytes();
        // Zeros written before the digits of a number below one (0.05 is
        // the digits "5" at scale 2): the integer part is at least "0".
        let pad = (self.scale + 1).saturating_sub(digits.len());
        let int_len = pad + digits.len() - self.scale;
        let digit = |i: usize| if i < pad { '0' } else { char::from(digits[i - pad]) };
        let mut out = String::with_capacity(int_len * 2 + self.scale + 4);
        if self.negative {
            out.push(minus);
        }
        for i in 0..int_len {
            if let Some(g) = group
                && i > 0
                && (int_len - i).is_multiple_of(3)
            {
                out.push(g);
            }
            out.push(digit(i));
        }
        if self.scale > 0 {
            out.push(decimal);
            out.extend((int_len..int_len + self.scale).map(digit));
        }
        out
    }
}

impl std::fmt::Display for Rounded {
    /// The plain machine form: `-1234.5`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.write('.', None, '-'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: f64, d: usize) -> String {
        round(v, d).unwrap().to_string()
    }

    #[test]
    fn the_short_path_agrees_with_the_decimal_expansion() {
        // A fixed sequence, so a failure reproduces: integers, short
        // decimals, values with binary noise, tiny and huge magnitudes.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut shortcuts = 0;
        for i in 0..20_000 {
            let r = next();
            let v = match i % 5 {
                0 => (r % 2_000_000_000_000) as f64 - 1e12,
                1 => ((r % 100_000_000) as f64 - 5e7) / POW10[(r >> 40) as usize % 9],
                2 => ((r % 1_000_000) as f64) * 0.05 * 155.0 / 7.0,
                3 => f64::from_bits(r >> 2),
                _ => (r % 1000) as f64 * 0.01 + 0.1 + 0.2,
            };
            if !v.is_finite() || v == 0.0 {
                continue;
            }
            for d in [0, 1, 2, 3, 6, 12, MAX_DIGITS] {
                if let Some(fast) = short(v, d) {
                    shortcuts += 1;
                    assert_eq!(Some(fast), cut(v, d), "{v:e} to {d} places");
                }
            }
        }
        assert!(
            shortcuts > 25_000,
            "the short path is taken for ordinary numbers ({shortcuts})"
        );
    }

    #[test]
    fn halfway_cases_round_away_from_zero() {
        assert_eq!(r(0.5, 0), "1");
        assert_eq!(r(1.5, 0), "2");
        assert_eq!(r(2.5, 0), "3");
        assert_eq!(r(-0.5, 0), "-1");
        assert_eq!(r(-2.5, 0), "-3");
        assert_eq!(r(7.75, 1), "7.8");
        assert_eq!(r(-7.75, 1), "-7.8");
        assert_eq!(r(0.125, 2), "0.13");
        assert_eq!(r(1.005, 2), "1.01");
        assert_eq!(r(-12.475, 2), "-12.48");
    }

    #[test]
    fn float_noise_is_removed_before_rounding() {
        assert_eq!(r(4.999999999999993, 0), "5");
        assert_eq!(r(4.999999999999993, 2), "5.00");
        assert_eq!(r(0.05 * 155.0, 1), "7.8");
        assert_eq!(r(7.749999999999999, 1), "7.8");
        assert_eq!(r((1.0 - 0.83 - 0.12) * 155.0, 1), "7.8");
        assert_eq!(r(7.749999999999989, 1), "7.8");
        assert_eq!(r(1_411_750_000.0, 0), "1411750000");
        assert_eq!(r(0.1 + 0.2, 17), "0.30000000000000000");
        assert_eq!(r(123_456_789.123_456, 6), "123456789.123000");
        // Below the noise floor a value is what it says.
        assert_eq!(r(7.7499, 1), "7.7");
        assert_eq!(r(7.74999999999, 1), "7.7");
    }

    #[test]
    fn small_large_and_zero() {
        assert_eq!(r(0.0, 2), "0.00");
        assert_eq!(r(-0.0, 0), "0");
        assert_eq!(r(-0.4, 0), "0", "a rounded zero has no sign");
        assert_eq!(r(0.004, 2), "0.00");
        assert_eq!(r(0.005, 2), "0.01");
        assert_eq!(r(0.0049, 2), "0.00");
        assert_eq!(r(9.96, 1), "10.0");
        assert_eq!(r(999.5, 0), "1000");
        assert_eq!(r(1.55e11, 0), "155000000000");
        assert_eq!(r(5e-324, 20), "0.00000000000000000000");
        assert_eq!(r(f64::MAX, 0).len(), 309);
        assert!(round(f64::NAN, 0).is_none());
        assert!(round(f64::INFINITY, 0).is_none());
        assert!(round(f64::NEG_INFINITY, 3).is_none());
    }

    #[test]
    fn digits_are_clamped() {
        assert_eq!(round(1.0, usize::MAX).unwrap().scale, MAX_DIGITS);
        assert_eq!(r(f64::MAX, usize::MAX).len(), 309 + 1 + MAX_DIGITS);
    }

    #[test]
    fn shifting_and_trimming_are_exact() {
        let mut x = round(1100.0, 0).unwrap().shifted(3);
        assert_eq!(x.to_string(), "1.100");
        x.trim_zeros(3);
        assert_eq!(x.to_string(), "1.1");
        assert_eq!(round(155.0, 0).unwrap().shifted(-1).to_string(), "1550");
        assert_eq!(round(0.0, 0).unwrap().shifted(-9).to_string(), "0");
        let mut z = round(0.0, 2).unwrap();
        z.trim_zeros(5);
        assert_eq!(z.to_string(), "0");
        assert_eq!(round(155.0, 0).unwrap().magnitude(), Some(2));
        assert_eq!(round(0.25, 2).unwrap().magnitude(), Some(-1));
    }

    #[test]
    fn writing_groups_and_signs() {
        let x = round(-1234567.891, 2).unwrap();
        assert_eq!(x.write('.', Some(','), '\u{2212}'), "\u{2212}1,234,567.89");
        assert_eq!(x.write(',', Some('.'), '-'), "-1.234.567,89");
        assert_eq!(round(100.0, 0).unwrap().write('.', Some(','), '-'), "100");
    }

    #[test]
    fn writing_pads_groups_and_places_the_point_for_any_scale() {
        // Every digit string up to seven long at every scale up to nine,
        // shifted both ways, against the padded-string reading of a Rounded.
        for len in 1..=7 {
            for scale in 0..=9 {
                for negative in [false, true] {
                    let digits: String = "9876543".chars().rev().take(len).collect();
                    let x = Rounded {
                        negative,
                        digits: digits.clone(),
                        scale,
                    };
                    let padded = format!("{digits:0>width$}", width = scale + 1);
                    let (int, frac) = padded.split_at(padded.len() - scale);
                    let grouped: String = int
                        .chars()
                        .enumerate()
                        .flat_map(|(i, c)| {
                            let sep = (i > 0 && (int.len() - i).is_multiple_of(3)).then_some(' ');
                            sep.into_iter().chain([c])
                        })
                        .collect();
                    let sign = if negative { "-" } else { "" };
                    let point = if scale > 0 { "," } else { "" };
                    assert_eq!(
                        x.write(',', Some(' '), '-'),
                        format!("{sign}{grouped}{point}{frac}"),
                        "{digits} at scale {scale}"
                    );
                }
            }
        }
    }
}
