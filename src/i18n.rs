//! Interface words: one catalogue per language, `templates/lang/<code>.yaml`.
//!
//! Every word quire itself puts on a page ("Figure 3", "Sources", "Back to
//! the text", the date) comes from here, so a language is added by writing a
//! catalogue, not by editing Rust. Templates see the catalogue as `ui`.

use crate::diag::{Diagnostic, Loc};
use crate::text::Lang;
use crate::yaml::Doc;
use serde::Serialize;
use std::collections::BTreeMap;

/// The keys every catalogue must define.
pub const REQUIRED: &[&str] = &[
    "lang_tag",
    "edition_name",
    "contents",
    "sources",
    "source_prefix",
    "source_separator",
    "figure_label",
    "table_label",
    "section_label",
    "built_with",
    "checked_against_data",
    "checked_claim",
    "computed",
    "back_to_text",
    "derived_mark",
    "derived_note",
    "total",
    "chart_data",
    "chart_file",
    "skip_to_content",
    "other_editions",
    "list_separator",
    "comma",
    "sentence_end",
    "label_separator",
    "date_format",
];

/// One language's interface words.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// The language code (`en`).
    pub code: String,
    /// Every word by key, as written in the catalogue.
    pub words: BTreeMap<String, String>,
    /// Month names, January first.
    pub months: Vec<String>,
    /// Words of charts' generated descriptions and keys (the `chart:` map).
    #[serde(skip)]
    pub chart: std::sync::Arc<crate::chart::ChartWords>,
}

impl Catalogue {
    /// Parses `templates/lang/<code>.yaml`; every missing or malformed key is
    /// reported, not just the first.
    pub fn parse(lang: Lang, file: &str, text: &str) -> Result<Catalogue, Vec<Diagnostic>> {
        let doc = Doc::parse(file, text, 0).map_err(|d| vec![d])?;
        let root = doc.root();
        let mut errors = Vec::new();
        let mut words = BTreeMap::new();
        let mut months = Vec::new();
        let mut chart = None;
        for (key, node) in root.entries().map_err(|d| vec![d])? {
            if key == "chart" {
                match chart_words(&node) {
                    Ok(w) => chart = Some(w),
                    Err(d) => errors.push(d),
                }
                continue;
            }
            if key == "months" {
                match node.strings() {
                    Ok(m) if m.len() == 12 => months = m,
                    Ok(_) => errors.push(node.error("`months` needs twelve names, January first")),
                    Err(d) => errors.push(d),
                }
                continue;
            }
            match node.str() {
                Ok(w) => {
                    words.insert(key, w);
                }
                Err(d) => errors.push(d),
            }
        }
        for key in REQUIRED.iter().filter(|k| !words.contains_key(**k)) {
            errors.push(
                Diagnostic::error(Loc::new(file, 1, 1), format!("the catalogue has no `{key}`"))
                    .hint(format!("add `{key}: \"…\"`, as in quire's templates/lang/en.yaml")),
            );
        }
        if months.is_empty() {
            errors.push(
                Diagnostic::error(Loc::new(file, 1, 1), "the catalogue has no `months`")
                    .hint("add `months: [January, …]`, twelve names"),
            );
        }
        if chart.is_none() && errors.is_empty() {
            errors.push(
                Diagnostic::error(Loc::new(file, 1, 1), "the catalogue has no `chart` words")
                    .hint("add the `chart:` map, as in quire's templates/lang/en.yaml"),
            );
        }
        match (errors.is_empty(), chart) {
            (true, Some(chart)) => Ok(Catalogue {
                code: lang.code().to_string(),
                words,
                months,
                chart: std::sync::Arc::new(chart),
            }),
            _ => Err(errors),
        }
    }

    /// The word for `key`; the key itself if a template asks for one the
    /// catalogue lacks (required keys are checked when it is loaded).
    pub fn word<'a>(&'a self, key: &'a str) -> &'a str {
        self.words.get(key).map_or(key, String::as_str)
    }

    /// The word for `key` with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut out = self.word(key).to_string();
        for (name, value) in args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
    }

    /// "Figure 3", "表2", "Section 4": `kind` is `fig`, `tbl` or `sec`.
    pub fn label(&self, kind: &str, n: usize) -> String {
        let key = match kind {
            "fig" => "figure_label",
            "tbl" => "table_label",
            _ => "section_label",
        };
        self.fill(key, &[("n", &n.to_string())])
    }

    /// A `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) date as this language writes
    /// it; anything else is shown as written.
    pub fn date(&self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let num = |s: &str| s.parse::<u32>().ok();
        let (year, month, day) = match parts.as_slice() {
            [y, m, d] => (num(y), num(m), num(d)),
            _ => return iso.to_string(),
        };
        let (Some(year), Some(month), Some(day)) = (year, month, day) else {
            return iso.to_string();
        };
        let Some(name) = self.months.get(month.wrapping_sub(1) as usize) else {
            return iso.to_string();
        };
        if day == 0 || day > 31 {
            return iso.to_string();
        }
        self.fill(
            "date_format",
            &[
                ("year", &year.to_string()),
                ("month", &month.to_string()),
                ("month_name", name),
                ("day", &day.to_string()),
            ],
        )
    }
}

/// The `chart:` map: every word the chart module writes, each required.
fn chart_words(node: &crate::yaml::Node) -> Result<crate::chart::ChartWords, Diagnostic> {
    let mut map = serde_json::Map::new();
    for (key, value) in node.entries()? {
        map.insert(key, serde_json::Value::String(value.str()?));
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| {
        node.error(format!("the `chart` words are incomplete: {e}"))
            .hint("compare with quire's templates/lang/en.yaml")
    })
}

/// The English catalogue quire ships, for unit tests.
#[cfg(test)]
pub fn english() -> Catalogue {
    let text = include_str!("../templates/lang/en.yaml");
    Catalogue::parse(Lang::EN, "templates/lang/en.yaml", text).expect("the shipped catalogue parses")
}

/// The Chinese catalogue quire ships, for unit tests.
#[cfg(test)]
pub fn chinese() -> Catalogue {
    let text = include_str!("../templates/lang/zh.yaml");
    Catalogue::parse(Lang::ZH, "templates/lang/zh.yaml", text).expect("the shipped catalogue parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue(code: &str) -> Catalogue {
        let file = format!("templates/lang/{code}.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        Catalogue::parse(Lang::parse(code).unwrap(), &file, &text).unwrap()
    }

    #[test]
    fn dates_and_labels_follow_the_language() {
        let en = catalogue("en");
        let zh = catalogue("zh");
        assert_eq!(en.date("2026-11-28"), "28 November 2026");
        assert_eq!(zh.date("2026-11-28"), "2026年11月28日");
        assert_eq!(zh.date("undated"), "undated");
        assert_eq!(en.label("fig", 3), "Figure 3");
        assert_eq!(zh.label("tbl", 2), "表2");
    }

    #[test]
    fn every_language_with_number_rules_ships_a_complete_catalogue() {
        for code in crate::text::known() {
            let c = catalogue(code);
            assert_eq!(c.code, code);
            assert_eq!(c.months.len(), 12);
        }
    }

    #[test]
    fn every_missing_key_is_reported() {
        let err = Catalogue::parse(Lang::EN, "x.yaml", "contents: C\n").unwrap_err();
        assert!(err.len() >= REQUIRED.len(), "{err:?}");
        assert!(err.iter().any(|d| d.message.contains("`figure_label`")));
    }
}
