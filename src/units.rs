//! Units: what a number measures, how to combine it, and how to write it.
//!
//! A value is stored as a [`Quantity`]: a number in base units (1 USD, not
//! 1 bn USD) with a [`Dim`]ension, so arithmetic can refuse to add USD to RMB
//! and can derive RMB per USD from RMB / USD. A [`Unit`] is how an author
//! writes and a reader reads it: "USD bn", "%", "×".

pub mod decimal;
pub mod rules;

use crate::text::Lang;
pub use decimal::MAX_DIGITS;
use decimal::Rounded;
use rules::fill;
pub use rules::{EN, LANGUAGES, NumberRules, Scales, ZH, number_rules};
use std::collections::BTreeMap;
use std::fmt;

/// A dimension: base unit names with exponents (`{RMB: 1, USD: -1}`); empty
/// for pure numbers, shares and multiples.
#[derive(Debug, Clone, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Dim(BTreeMap<String, i32>);

impl Dim {
    /// A single base unit.
    pub fn base(name: &str) -> Dim {
        Dim(BTreeMap::from([(name.to_string(), 1)]))
    }

    /// Whether this is a pure number.
    pub fn is_none(&self) -> bool {
        self.0.is_empty()
    }

    /// The dimension of a product (`invert` for a quotient).
    pub fn combine(&self, other: &Dim, invert: bool) -> Dim {
        let mut out = self.0.clone();
        for (k, e) in &other.0 {
            let v = out.entry(k.clone()).or_insert(0);
            *v += if invert { -e } else { *e };
            if *v == 0 {
                out.remove(k);
            }
        }
        Dim(out)
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("a pure number");
        }
        let num: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| **e > 0)
            .map(|(k, _)| k.as_str())
            .collect();
        let den: Vec<&str> = self
            .0
            .iter()
            .filter(|(_, e)| **e < 0)
            .map(|(k, _)| k.as_str())
            .collect();
        let num = if num.is_empty() {
            "1".to_string()
        } else {
            num.join("·")
        };
        if den.is_empty() {
            write!(f, "{num}")
        } else {
            write!(f, "{num}/{}", den.join("·"))
        }
    }
}

/// A number with its dimension, in base units.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The value in base units (155 bn USD is 1.55e11).
    pub value: f64,
    /// What it measures.
    pub dim: Dim,
}

impl Quantity {
    /// A pure number.
    pub fn number(value: f64) -> Quantity {
        Quantity {
            value,
            dim: Dim::default(),
        }
    }
}

/// How a unit is written for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// A plain number.
    Plain,
    /// A currency: the code goes first ("USD 155 bn").
    Currency,
    /// Any other base: the unit goes after ("59 GW", "1.4 bn people").
    Suffix,
    /// Shares: "83 %".
    Percent,
    /// Multiples and P/E: "3.3×".
    Multiple,
    /// A rate between two bases: "7.10 RMB per USD".
    Rate,
}

/// A unit as authors write it: `USD bn`, `RMB trillion`, `%`, `×`, `GW`,
/// `people bn`, `RMB/USD`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    written: String,
    style: Style,
    base: String,
    per: String,
    scale_word: String,
    factor: f64,
    dim: Dim,
}

const CURRENCIES: [&str; 7] = ["USD", "RMB", "CNY", "EUR", "GBP", "JPY", "HKD"];

/// Scale words an author may write after a base, and their factors.
const SCALES: [(&str, f64); 9] = [
    ("k", 1e3),
    ("thousand", 1e3),
    ("m", 1e6),
    ("mn", 1e6),
    ("million", 1e6),
    ("bn", 1e9),
    ("billion", 1e9),
    ("tn", 1e12),
    ("trillion", 1e12),
];

fn scale_of(word: &str) -> Option<f64> {
    SCALES.iter().find(|(w, _)| *w == word).map(|(_, f)| *f)
}

impl Unit {
    /// A pure number with no unit.
    pub fn plain() -> Unit {
        Unit::parse("").expect("the empty unit parses")
    }

    /// Parses a unit; `Err` says what forms are accepted.
    pub fn parse(s: &str) -> Result<Unit, String> {
        let written = s.trim().to_string();
        let mut u = Unit {
            written: written.clone(),
            style: Style::Plain,
            base: String::new(),
            per: String::new(),
            scale_word: String::new(),
            factor: 1.0,
            dim: Dim::default(),
        };
        match written.as_str() {
            // `none` spells a count or index that has no unit to print.
            "" | "none" => {
                u.written.clear();
                return Ok(u);
            }
            // `plain` is the binding filter that hides a unit; as a unit it
            // would print "135,450 plain".
            "plain" => {
                return Err("`plain` is not a unit: it is the binding filter `{{value | plain}}`; \
                     write `unit: none` for a number without a unit"
                    .into());
            }
            "%" => {
                u.style = Style::Percent;
                u.factor = 0.01;
                return Ok(u);
            }
            "×" | "x" => {
                u.style = Style::Multiple;
                return Ok(u);
            }
            _ => {}
        }
        if let Some((a, b)) = written.split_once('/') {
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() || b.is_empty() || a.contains(' ') || b.contains(' ') {
                return Err(format!("`{written}` is not a unit: a rate is written `RMB/USD`"));
            }
            u.style = Style::Rate;
            u.base = a.to_string();
            u.per = b.to_string();
            u.dim = Dim::base(a).combine(&Dim::base(b), true);
            return Ok(u);
        }
        let words: Vec<&str> = written.split_whitespace().collect();
        let (base, scale) = match words.as_slice() {
            [w] if scale_of(w).is_some() => ("", *w),
            [w] => (*w, ""),
            [b, s] if scale_of(s).is_some() => (*b, *s),
            _ => {
                return Err(format!(
                    "`{written}` is not a unit; write a base and an optional scale (`USD bn`, `RMB trillion`, `GW`, `people bn`), `%`, `×` or a rate `RMB/USD`"
                ));
            }
        };
        u.factor = if scale.is_empty() {
            1.0
        } else {
            scale_of(scale).unwrap_or(1.0)
        };
        u.scale_word = scale.to_string();
        if !base.is_empty() {
            u.base = base.to_string();
            u.dim = Dim::base(base);
            u.style = if CURRENCIES.contains(&base) {
                Style::Currency
            } else {
                Style::Suffix
            };
        } else {
            u.style = Style::Suffix;
        }
        Ok(u)
    }

    /// The unit as written.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// What the unit measures.
    pub fn dim(&self) -> &Dim {
        &self.dim
    }

    /// Multiplier from a written number to base units (bn → 1e9, % → 0.01).
    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// The digits shown when nobody says otherwise.
    pub fn default_digits(&self) -> usize {
        match self.style {
            Style::Multiple => 1,
            Style::Rate => 2,
            _ => 0,
        }
    }

    /// Whether values in this unit are shares of a whole.
    pub fn is_percent(&self) -> bool {
        self.style == Style::Percent
    }

    /// A written number (`155` of `USD bn`) as a quantity.
    pub fn quantity(&self, written: f64) -> Quantity {
        Quantity {
            value: written * self.factor,
            dim: self.dim.clone(),
        }
    }

    /// ```
    /// use quire::{text::Lang, units::Unit};
    /// let u = Unit::parse("USD bn").unwrap();
    /// let q = u.quantity(155.0);
    /// assert_eq!(u.format(q.value, 0, Lang::EN), "USD\u{a0}155\u{a0}bn");
    /// assert_eq!(u.format(q.value, 0, Lang::ZH), "1550亿美元");
    /// ```
    ///
    /// Writes a base-unit value for a reader: `1.55e11` → "USD 155 bn" in
    /// English, "1550亿美元" in Chinese. A value that is not a finite number
    /// is written "NaN" or "∞"; callers that must not show that use
    /// [`Unit::try_format`].
    pub fn format(&self, base_value: f64, digits: usize, lang: Lang) -> String {
        let rules = number_rules(lang.code()).unwrap_or(&EN);
        self.try_format(base_value, digits, rules)
            .unwrap_or_else(|e| e.written(rules))
    }

    /// Writes a base-unit value with `digits` decimals in the unit's scale
    /// (clamped to [`MAX_DIGITS`]), by `rules`; an error for NaN and infinities.
    pub fn try_format(&self, base_value: f64, digits: usize, rules: &NumberRules) -> Result<String, NumberError> {
        self.write(base_value, digits, rules, true)
    }

    /// The number alone, with its scale but without the unit's name
    /// ("155\u{a0}bn", "1550亿", "83", "3.3"): for prose that names the unit itself.
    pub fn try_format_number(
        &self,
        base_value: f64,
        digits: usize,
        rules: &NumberRules,
    ) -> Result<String, NumberError> {
        self.write(base_value, digits, rules, false)
    }

    fn write(
        &self,
        base_value: f64,
        digits: usize,
        rules: &NumberRules,
        with_unit: bool,
    ) -> Result<String, NumberError> {
        let shown = base_value / self.factor;
        let rounded = decimal::round(shown, digits).ok_or(NumberError::NotFinite(shown))?;
        let plain = |r: &Rounded| r.write(rules.decimal, rules.group, rules.minus);
        let unit = rules.word(&self.base);
        Ok(match self.style {
            _ if !with_unit && matches!(self.style, Style::Percent | Style::Multiple | Style::Rate) => plain(&rounded),
            Style::Percent => fill(rules.percent, &[("n", &plain(&rounded))]),
            Style::Multiple => fill(rules.multiple, &[("n", &plain(&rounded))]),
            Style::Rate => fill(
                rules.rate,
                &[("n", &plain(&rounded)), ("unit", unit), ("per", rules.word(&self.per))],
            ),
            Style::Plain | Style::Currency | Style::Suffix => {
                let (n, scale) = self.scaled(rounded, &rules.scales);
                let n = plain(&n);
                let n = if scale.is_empty() {
                    n
                } else {
                    fill(rules.scaled, &[("n", &n), ("scale", scale)])
                };
                let template = if self.style == Style::Currency {
                    rules.currency
                } else {
                    rules.measure
                };
                if !with_unit || unit.is_empty() {
                    n
                } else {
                    fill(template, &[("n", &n), ("unit", unit)])
                }
            }
        })
    }

    /// The number in the scale the language writes it in, and that scale's
    /// word. Rescaling only moves the decimal point of the number as rounded
    /// in the author's unit, so both languages show the same value; zeros
    /// the move adds after the point are dropped (1.100万亿 → 1.1万亿).
    fn scaled<'a>(&'a self, rounded: Rounded, scales: &'a Scales) -> (Rounded, &'a str) {
        let Scales::Rescale { steps, unscaled_from } = scales else {
            return (rounded, &self.scale_word);
        };
        // Scales are powers of ten, so this is exact.
        let unit_pow = self.factor.log10().round() as i64;
        let step = rounded.magnitude().and_then(|m| {
            steps
                .iter()
                .find(|s| m + unit_pow >= s.power && (unit_pow > 0 || s.power >= *unscaled_from))
        });
        let target = step.map_or(0, |s| s.power);
        let places = target - unit_pow;
        let mut r = rounded.shifted(places);
        if places > 0 {
            r.trim_zeros(places as usize);
        }
        (r, step.map_or("", |s| s.word))
    }
}

/// Why a number could not be written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberError {
    /// NaN or an infinity (the value is given).
    NotFinite(f64),
}

impl NumberError {
    /// The stand-in text for the value: "NaN", "∞" or "−∞".
    pub fn written(&self, rules: &NumberRules) -> String {
        let NumberError::NotFinite(v) = *self;
        if v.is_nan() {
            "NaN".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            format!("{}∞", rules.minus)
        }
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let NumberError::NotFinite(v) = self;
        write!(f, "{v} is not a finite number")
    }
}

impl std::error::Error for NumberError {}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.written.is_empty() {
            "no unit"
        } else {
            &self.written
        })
    }
}

/// A fixed-point number as English writes it (optionally with thousands
/// separators, and a true minus sign), rounded as in [`decimal::round`];
/// "NaN" or "∞" for values that are not finite.
pub fn number(v: f64, digits: usize, group: bool) -> String {
    match decimal::round(v, digits) {
        Some(r) => r.write(EN.decimal, if group { EN.group } else { None }, EN.minus),
        None => NumberError::NotFinite(v).written(&EN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(unit: &str, written: f64, digits: usize, lang: Lang) -> String {
        let u = Unit::parse(unit).unwrap();
        u.format(u.quantity(written).value, digits, lang).replace('\u{a0}', " ")
    }

    #[test]
    fn english_forms() {
        assert_eq!(fmt("USD bn", 155.0, 0, Lang::EN), "USD 155 bn");
        assert_eq!(fmt("RMB trillion", 1.1, 1, Lang::EN), "RMB 1.1 trillion");
        assert_eq!(fmt("%", 83.0, 0, Lang::EN), "83 %");
        assert_eq!(fmt("×", 3.333, 1, Lang::EN), "3.3×");
        assert_eq!(fmt("GW", 59.0, 0, Lang::EN), "59 GW");
        assert_eq!(fmt("people bn", 1.4, 1, Lang::EN), "1.4 bn people");
        assert_eq!(fmt("RMB bn", 1100.0, 0, Lang::EN), "RMB 1,100 bn");
        assert_eq!(fmt("RMB/USD", 7.0968, 2, Lang::EN), "7.10 RMB per USD");
    }

    #[test]
    fn chinese_forms() {
        assert_eq!(fmt("USD bn", 155.0, 0, Lang::ZH), "1550亿美元");
        assert_eq!(fmt("RMB trillion", 1.1, 1, Lang::ZH), "1.1万亿元");
        assert_eq!(fmt("RMB bn", 300.0, 0, Lang::ZH), "3000亿元");
        assert_eq!(fmt("people bn", 1.4, 1, Lang::ZH), "14亿人");
        assert_eq!(fmt("%", 22.0, 0, Lang::ZH), "22%");
        assert_eq!(fmt("USD bn", 42.3, 0, Lang::ZH), "420亿美元");
    }

    #[test]
    fn chinese_rescaling_writes_what_a_reader_writes() {
        assert_eq!(fmt("RMB bn", 1100.0, 0, Lang::ZH), "1.1万亿元");
        assert_eq!(fmt("RMB bn", 1000.0, 0, Lang::ZH), "1万亿元");
        assert_eq!(fmt("RMB bn", 1234.0, 0, Lang::ZH), "1.234万亿元");
        assert_eq!(fmt("USD m", 100.0, 0, Lang::ZH), "1亿美元");
        assert_eq!(fmt("USD m", 10.0, 0, Lang::ZH), "1000万美元");
        assert_eq!(fmt("USD m", 1.0, 0, Lang::ZH), "100万美元");
        assert_eq!(fmt("USD bn", 12.0, 0, Lang::ZH), "120亿美元");
        // Digits the author asked for are kept; only rescaling zeros go.
        assert_eq!(fmt("RMB trillion", 1.0, 1, Lang::ZH), "1.0万亿元");
        assert_eq!(fmt("years", 3.0, 0, Lang::ZH), "3年");
        assert_eq!(fmt("years", 30000.0, 0, Lang::ZH), "30000年");
        assert_eq!(fmt("GW", 59.0, 0, Lang::ZH), "59GW");
        assert_eq!(fmt("%", 83.0, 0, Lang::ZH), "83%");
        assert_eq!(fmt("×", 3.333, 1, Lang::ZH), "3.3倍");
        assert_eq!(fmt("×", 17.0, 0, Lang::ZH), "17倍");
        assert_eq!(fmt("RMB/USD", 7.0968, 2, Lang::ZH), "7.10元/美元");
        assert_eq!(fmt("USD bn", -12.0, 0, Lang::ZH), "\u{2212}120亿美元");
        assert_eq!(fmt("USD bn", 0.0, 0, Lang::ZH), "0美元");
        assert_eq!(fmt("", 150_000_000.0, 0, Lang::ZH), "1.5亿");
        assert_eq!(fmt("", 15_000.0, 0, Lang::ZH), "15000");
        assert_eq!(fmt("", 150_000_000.0, 0, Lang::EN), "150,000,000");
    }

    #[test]
    fn english_keeps_the_written_scale() {
        assert_eq!(fmt("USD m", 10.0, 0, Lang::EN), "USD 10 m");
        assert_eq!(fmt("years", 3.0, 0, Lang::EN), "3 years");
        assert_eq!(fmt("USD bn", -12.475, 2, Lang::EN), "USD \u{2212}12.48 bn");
        assert_eq!(fmt("USD", 1234.5, 1, Lang::EN), "USD 1,234.5");
        assert_eq!(fmt("bn", 1.4, 1, Lang::EN), "1.4 bn");
    }

    #[test]
    fn rounding_is_decimal() {
        // 5 % of USD 155 bn.
        let u = Unit::parse("USD bn").unwrap();
        let v = 0.05 * u.quantity(155.0).value;
        assert_eq!(u.format(v, 1, Lang::EN), "USD\u{a0}7.8\u{a0}bn");
        assert_eq!(u.format(v, 1, Lang::ZH), "78亿美元");
        let pct = Unit::parse("%").unwrap();
        assert_eq!(pct.format(1.0 - 0.95, 0, Lang::EN), "5\u{a0}%");
        assert_eq!(fmt("%", 12.5, 0, Lang::EN), "13 %");
        assert_eq!(fmt("%", -12.5, 0, Lang::EN), "\u{2212}13 %");
    }

    #[test]
    fn numbers_alone() {
        let u = Unit::parse("USD bn").unwrap();
        let q = u.quantity(155.0).value;
        assert_eq!(u.try_format_number(q, 0, &EN).unwrap(), "155\u{a0}bn");
        assert_eq!(u.try_format_number(q, 0, &ZH).unwrap(), "1550亿");
        let pct = Unit::parse("%").unwrap();
        assert_eq!(pct.try_format_number(0.83, 0, &ZH).unwrap(), "83");
        let rate = Unit::parse("RMB/USD").unwrap();
        assert_eq!(rate.try_format_number(7.1, 2, &EN).unwrap(), "7.10");
        let models = Unit::parse("models").unwrap();
        assert_eq!(models.try_format_number(254.0, 0, &EN).unwrap(), "254");
    }

    #[test]
    fn bad_numbers_never_panic() {
        let u = Unit::parse("USD bn").unwrap();
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = u.try_format(v, 0, &EN);
            assert!(
                matches!(err, Err(NumberError::NotFinite(x)) if x.to_bits() == v.to_bits()),
                "{err:?}"
            );
            assert!(u.try_format(v, 0, &ZH).is_err());
        }
        assert_eq!(u.format(f64::INFINITY, 0, Lang::EN), "∞");
        assert_eq!(u.format(f64::NEG_INFINITY, 0, Lang::ZH), "\u{2212}∞");
        assert_eq!(u.format(f64::NAN, 0, Lang::EN), "NaN");
        // Any digits: clamped, never a huge allocation.
        let s = u.format(f64::MAX, usize::MAX, Lang::EN);
        assert!(s.len() < 600, "{}", s.len());
        assert!(u.format(f64::MAX, usize::MAX, Lang::ZH).ends_with("万亿美元"));
        assert_eq!(number(f64::NAN, 3, true), "NaN");
        assert_eq!(number(-0.004, 2, false), "0.00");
        assert_eq!(number(1234.5, 0, true), "1,235");
    }

    /// Many arbitrary doubles, digits and units: writing never panics, and the
    /// English number reads back within half a unit of its last digit (plus
    /// the noise cut at 12 significant digits).
    #[test]
    fn arbitrary_numbers_are_written_faithfully() {
        let units: Vec<Unit> = [
            "",
            "USD bn",
            "RMB trillion",
            "%",
            "×",
            "RMB/USD",
            "people bn",
            "years",
            "USD m",
            "GW",
        ]
        .iter()
        .map(|u| Unit::parse(u).unwrap())
        .collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..3_000 {
            let bits = next();
            // Half arbitrary bit patterns (NaN, subnormal, huge), half everyday sizes.
            let v = if i % 2 == 0 {
                f64::from_bits(bits)
            } else {
                (bits % 2_000_000_000) as f64 / 1000.0 - 1e6
            };
            let digits = (next() % 16) as usize;
            for u in &units {
                let _ = u.format(v, digits, Lang::EN);
                let _ = u.format(v, digits, Lang::ZH);
            }
            if !v.is_finite() || v.abs() >= 1e15 {
                continue;
            }
            let shown: f64 = number(v, digits, false).replace('\u{2212}', "-").parse().unwrap();
            let half = 0.5 * 10f64.powi(-(digits as i32));
            assert!(
                (shown - v).abs() <= half * (1.0 + 1e-9) + v.abs() * 1e-11,
                "{v} at {digits} digits was written {shown}"
            );
        }
    }

    #[test]
    fn dimensions_combine() {
        let rmb = Unit::parse("RMB trillion").unwrap().quantity(1.1);
        let usd = Unit::parse("USD bn").unwrap().quantity(155.0);
        let rate = rmb.dim.combine(&usd.dim, true);
        assert_eq!(rate, *Unit::parse("RMB/USD").unwrap().dim());
        assert!(rate.combine(&usd.dim, false) == rmb.dim);
    }

    #[test]
    fn none_is_no_unit_and_plain_is_refused() {
        let none = Unit::parse("none").unwrap();
        assert_eq!(none, Unit::plain());
        assert_eq!(none.to_string(), "no unit");
        assert_eq!(fmt("none", 135_450.0, 0, Lang::EN), "135,450");
        let err = Unit::parse("plain").unwrap_err();
        assert!(err.contains("unit: none"), "{err}");
    }

    #[test]
    fn bad_units_are_refused() {
        assert!(Unit::parse("USD lots of").is_err());
        assert!(Unit::parse("/USD").is_err());
    }
}
