//! How each language writes numbers and units, as data.
//!
//! Everything language-specific about writing a number lives in one
//! [`NumberRules`] value per language, so a new language needs a new `const`
//! and a line in [`LANGUAGES`], not new code. Templates use `{n}` for the
//! number, `{unit}` and `{per}` for unit words, `{scale}` for a scale word
//! and `{q}`/`{v}` for a qualifier and the value it qualifies.

/// The number-writing rules of one language.
#[derive(Debug)]
pub struct NumberRules {
    /// The language code the rules are looked up by (`"en"`).
    pub code: &'static str,
    /// Between the integer and the fraction.
    pub decimal: char,
    /// Between groups of three integer digits, if the language groups them.
    pub group: Option<char>,
    /// Before a negative number.
    pub minus: char,
    /// A share: `{n}` → "83 %".
    pub percent: &'static str,
    /// A multiple or ratio: `{n}` → "3.3×".
    pub multiple: &'static str,
    /// A rate: `{n}`, `{unit}`, `{per}` → "7.10 RMB per USD".
    pub rate: &'static str,
    /// A currency amount: `{n}` (with its scale), `{unit}` → "USD 155 bn".
    pub currency: &'static str,
    /// Any other unit: `{n}` (with its scale), `{unit}` → "59 GW".
    pub measure: &'static str,
    /// A number with a scale word: `{n}`, `{scale}` → "155 bn".
    pub scaled: &'static str,
    /// Which scale words a number is written with.
    pub scales: Scales,
    /// Unit bases as the reader names them (`USD` → `美元`); a base not
    /// listed is written as the author wrote it.
    pub words: &'static [(&'static str, &'static str)],
    /// A qualifier before a value: `{q}`, `{v}` → "over USD 155 bn".
    pub qualifier: &'static str,
}

/// How a language picks the scale word of a large number.
#[derive(Debug)]
pub enum Scales {
    /// The scale the author wrote in the unit (`USD bn` → "155 bn").
    AsWritten,
    /// The largest step the value reaches, from the list (Chinese 万, 亿,
    /// 万亿). Steps below `unscaled_from` (a power of ten) are only used for
    /// units the author wrote with a scale: 30000 years stays "30000年".
    Rescale {
        /// Steps, largest first.
        steps: &'static [Scale],
        /// The smallest step used for a unit written without a scale.
        unscaled_from: i64,
    },
}

/// One scale step: a power of ten and its word.
#[derive(Debug)]
pub struct Scale {
    /// The power of ten (8 for 亿).
    pub power: i64,
    /// The word written after the number.
    pub word: &'static str,
}

/// English: "USD 155 bn", "83 %", "3.3×", "7.10 RMB per USD",
/// "1.4 bn people". A no-break space keeps a number and its unit on one line.
pub const EN: NumberRules = NumberRules {
    code: "en",
    decimal: '.',
    group: Some(','),
    minus: '\u{2212}',
    percent: "{n}\u{a0}%",
    multiple: "{n}×",
    rate: "{n}\u{a0}{unit} per {per}",
    currency: "{unit}\u{a0}{n}",
    measure: "{n}\u{a0}{unit}",
    scaled: "{n}\u{a0}{scale}",
    scales: Scales::AsWritten,
    words: &[],
    qualifier: "{q} {v}",
};

/// Simplified Chinese: "1550亿美元", "约1.1万亿元", "83%", "3.3倍",
/// "7.10元/美元", "14亿人", "3年", "59GW" (as the source article writes it).
pub const ZH: NumberRules = NumberRules {
    code: "zh",
    decimal: '.',
    group: None,
    minus: '\u{2212}',
    percent: "{n}%",
    multiple: "{n}倍",
    rate: "{n}{unit}/{per}",
    currency: "{n}{unit}",
    measure: "{n}{unit}",
    scaled: "{n}{scale}",
    scales: Scales::Rescale {
        steps: &[
            Scale {
                power: 12,
                word: "万亿",
            },
            Scale { power: 8, word: "亿" },
            Scale { power: 4, word: "万" },
        ],
        unscaled_from: 8,
    },
    words: &[
        ("USD", "美元"),
        ("RMB", "元"),
        ("CNY", "元"),
        ("EUR", "欧元"),
        ("GBP", "英镑"),
        ("JPY", "日元"),
        ("HKD", "港元"),
        ("people", "人"),
        ("years", "年"),
        ("year", "年"),
        ("months", "个月"),
        ("days", "天"),
        ("models", "个模型"),
        ("firms", "家公司"),
        ("companies", "家公司"),
        ("GW", "GW"),
    ],
    qualifier: "{q}{v}",
};

/// Every language quire can write numbers in.
pub const LANGUAGES: &[&NumberRules] = &[&EN, &ZH];

/// The rules for a language code (`"en"`, `"zh"`).
pub fn number_rules(code: &str) -> Option<&'static NumberRules> {
    LANGUAGES.iter().copied().find(|r| r.code == code)
}

impl NumberRules {
    /// The reader's word for a unit base.
    pub fn word<'a>(&self, base: &'a str) -> &'a str {
        self.words.iter().find(|(b, _)| *b == base).map_or(base, |(_, w)| w)
    }

    /// `value` with its qualifier ("over USD 155 bn", "超过1550亿美元").
    pub fn qualify(&self, qualifier: &str, value: &str) -> String {
        if qualifier.is_empty() {
            value.to_string()
        } else {
            fill(self.qualifier, &[("q", qualifier), ("v", value)])
        }
    }
}

/// Fills `{key}` placeholders in one pass, so a value that itself contains
/// braces is never expanded again.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    // Byte searches: the braces are ASCII, and these templates are short
    // enough that a char searcher's setup would cost more than the search.
    while let Some(open) = memchr::memchr(b'{', rest.as_bytes()) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match memchr::memchr(b'}', after.as_bytes()).and_then(|close| {
            args.iter()
                .find(|(k, _)| *k == &after[..close])
                .map(|(_, v)| (close, v))
        }) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_found_by_code() {
        assert_eq!(number_rules("en").map(|r| r.code), Some("en"));
        assert_eq!(number_rules("zh").map(|r| r.code), Some("zh"));
        assert!(number_rules("fr").is_none());
        for r in LANGUAGES {
            assert!(
                r.currency.contains("{n}") && r.currency.contains("{unit}"),
                "{}",
                r.code
            );
            assert!(r.measure.contains("{n}") && r.scaled.contains("{scale}"), "{}", r.code);
            assert!(r.rate.contains("{per}") && r.percent.contains("{n}"), "{}", r.code);
            assert!(r.qualifier.contains("{q}") && r.qualifier.contains("{v}"), "{}", r.code);
        }
    }

    #[test]
    fn fill_is_one_pass() {
        assert_eq!(fill("{n} {unit}", &[("n", "{unit}"), ("unit", "GW")]), "{unit} GW");
        assert_eq!(fill("{x} {n", &[("n", "1")]), "{x} {n");
        assert_eq!(EN.qualify("over", "USD 155 bn"), "over USD 155 bn");
        assert_eq!(ZH.qualify("约", "1.1万亿元"), "约1.1万亿元");
        assert_eq!(ZH.qualify("", "3年"), "3年");
    }
}
