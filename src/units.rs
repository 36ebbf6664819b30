//! Units: what a number measures, how to combine it, and how to write it.
//!
//! A value is stored as a [`Quantity`]: a number in base units (1 USD, not
//! 1 bn USD) with a [`Dim`]ension, so arithmetic can refuse to add USD to RMB
//! and can derive RMB per USD from RMB / USD. A [`Unit`] is how an author
//! writes and a reader reads it: "USD bn", "%", "×".

use crate::text::Lang;
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

fn scale_of(word: &str) -> Option<f64> {
    Some(match word {
        "k" | "thousand" => 1e3,
        "m" | "mn" | "million" => 1e6,
        "bn" | "billion" => 1e9,
        "tn" | "trillion" => 1e12,
        _ => return None,
    })
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
            "" => return Ok(u),
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
    /// English, "1550亿美元" in Chinese. Number and unit are joined by a
    /// no-break space so a line never breaks between them.
    pub fn format(&self, base_value: f64, digits: usize, lang: Lang) -> String {
        let shown = base_value / self.factor;
        match lang {
            Lang::ZH => self.format_zh(base_value, shown, digits),
            _ => self.format_en(shown, digits),
        }
    }

    fn format_en(&self, v: f64, digits: usize) -> String {
        let n = number(v, digits, true);
        let nb = '\u{a0}';
        match self.style {
            Style::Plain => n,
            Style::Percent => format!("{n}{nb}%"),
            Style::Multiple => format!("{n}×"),
            Style::Rate => format!("{n}{nb}{} per {}", self.base, self.per),
            Style::Currency if self.scale_word.is_empty() => format!("{}{nb}{n}", self.base),
            Style::Currency => format!("{}{nb}{n}{nb}{}", self.base, self.scale_word),
            Style::Suffix => [n.as_str(), self.scale_word.as_str(), self.base.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\u{a0}"),
        }
    }

    fn format_zh(&self, base: f64, shown: f64, digits: usize) -> String {
        let cjk_name = match self.base.as_str() {
            "USD" => "美元",
            "RMB" | "CNY" => "元",
            "EUR" => "欧元",
            "GBP" => "英镑",
            "JPY" => "日元",
            "HKD" => "港元",
            "people" => "人",
            other => other,
        };
        match self.style {
            Style::Plain => number(shown, digits, false),
            Style::Percent => format!("{}%", number(shown, digits, false)),
            Style::Multiple => format!("{}倍", number(shown, digits, false)),
            Style::Rate => {
                let per = if self.per == "USD" {
                    "美元".to_string()
                } else {
                    self.per.clone()
                };
                let b = if self.base == "RMB" {
                    "元".to_string()
                } else {
                    self.base.clone()
                };
                format!("{}{b}/{per}", number(shown, digits, false))
            }
            Style::Currency | Style::Suffix => {
                // Round as the English form would ("USD 42 bn" → 420亿, not 423亿).
                let step = self.factor * 10f64.powi(-(digits as i32));
                let base = (base / step).round() * step;
                // Chinese groups by 万 (1e4) and 亿 (1e8); re-scale and keep the
                // same absolute precision the English form shows.
                let (div, word) = if base.abs() >= 1e12 {
                    (1e12, "万亿")
                } else if base.abs() >= 1e8 {
                    (1e8, "亿")
                } else if base.abs() >= 1e4 && self.factor > 1.0 {
                    (1e4, "万")
                } else {
                    (1.0, "")
                };
                let shift = (div / self.factor).log10().round() as i64;
                let d = (digits as i64 + shift).max(0) as usize;
                let n = number(base / div, d, false);
                if self.style == Style::Currency || self.base == "people" {
                    format!("{n}{word}{cjk_name}")
                } else {
                    format!("{n}{word}{}{cjk_name}", if word.is_empty() { "" } else { " " })
                }
            }
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.written.is_empty() {
            "no unit"
        } else {
            &self.written
        })
    }
}

/// A fixed-point number with thousands separators (English) and a true minus sign.
pub fn number(v: f64, digits: usize, group: bool) -> String {
    let s = format!("{:.*}", digits, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(i, f)| (i, f));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if group && i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let zero = s.chars().all(|c| c == '0' || c == '.');
    let sign = if v < 0.0 && !zero { "\u{2212}" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
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
    fn dimensions_combine() {
        let rmb = Unit::parse("RMB trillion").unwrap().quantity(1.1);
        let usd = Unit::parse("USD bn").unwrap().quantity(155.0);
        let rate = rmb.dim.combine(&usd.dim, true);
        assert_eq!(rate, *Unit::parse("RMB/USD").unwrap().dim());
        assert!(rate.combine(&usd.dim, false) == rmb.dim);
    }

    #[test]
    fn bad_units_are_refused() {
        assert!(Unit::parse("USD lots of").is_err());
        assert!(Unit::parse("/USD").is_err());
    }
}
