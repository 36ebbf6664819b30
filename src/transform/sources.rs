//! Which datasets the reader sees, and so which sources the report cites:
//! the "Source: …" line under each figure and the numbered Sources list.

use super::figures::Figure;
use super::{SourceLine, SourceOut, SourceRef};
use crate::i18n::Catalogue;
use crate::model::Report;
use crate::text::Lang;
use crate::values::Values;
use std::collections::{BTreeMap, BTreeSet};

/// The source line of every dataset, in the edition's words; the numbered
/// links are filled in by [`number_sources`].
pub(super) fn source_lines(report: &Report, lang: Lang, ui: &Catalogue) -> BTreeMap<String, SourceLine> {
    let mut out = BTreeMap::new();
    for ds in &report.datasets {
        let mut parts = Vec::new();
        for (id, _) in &ds.source.cites {
            if let Some(s) = report.meta.sources.iter().find(|s| &s.id == id) {
                parts.push(s.short.get(lang).to_string());
            }
        }
        let text = format!(
            "{}{}",
            ui.word("source_prefix"),
            parts.join(ui.word("source_separator"))
        );
        out.insert(ds.id.clone(), SourceLine { text, refs: Vec::new() });
    }
    out
}

/// Datasets the reader sees, directly or through a formula that reads them.
pub(super) fn used_datasets(report: &Report, values: &Values, figs: &[Figure], bound: &[String]) -> BTreeSet<String> {
    let mut used: BTreeSet<String> = figs.iter().flat_map(|f| f.datasets.iter().cloned()).collect();
    for b in bound {
        if let Some(v) = values.get(b) {
            used.insert(v.dataset.clone());
        }
    }
    // A dataset read by a formula of a used dataset is used too.
    let mut todo: Vec<String> = used.iter().cloned().collect();
    while let Some(id) = todo.pop() {
        let Some(ds) = report.datasets.iter().find(|d| d.id == id) else {
            continue;
        };
        let cells = ds.table.formulas();
        for expr in ds.derived.iter().map(|d| &d.expr).chain(cells) {
            for name in expr.names() {
                let first = name.split('.').next().unwrap_or(name);
                if report.datasets.iter().any(|d| d.id == first) && used.insert(first.to_string()) {
                    todo.push(first.to_string());
                }
            }
        }
    }
    used
}

/// The Sources list: the sources a used dataset cites, numbered in
/// `report.yaml` order, and each source line's links to its entries.
pub(super) fn number_sources(
    report: &Report,
    lang: Lang,
    used: &BTreeSet<String>,
    mut lines: BTreeMap<String, SourceLine>,
) -> (Vec<SourceOut>, BTreeMap<String, SourceLine>) {
    let cited: BTreeSet<&str> = report
        .datasets
        .iter()
        .filter(|d| used.contains(&d.id))
        .flat_map(|d| d.source.cites.iter().map(|(c, _)| c.as_str()))
        .collect();
    let sources: Vec<SourceOut> = report
        .meta
        .sources
        .iter()
        .filter(|s| cited.contains(s.id.as_str()))
        .enumerate()
        .map(|(i, s)| SourceOut {
            id: format!("src-{}", s.id),
            number: i + 1,
            publisher: s.publisher.get(lang).to_string(),
            title: s.title.get(lang).to_string(),
            date: s.date.get(lang).to_string(),
            note: s.note.get(lang).to_string(),
            // The loader refuses unsafe addresses; this keeps any other path safe too.
            url: crate::url::safe_url(&s.url, crate::url::UrlUse::Link).unwrap_or_default(),
        })
        .collect();
    for ds in &report.datasets {
        if let Some(line) = lines.get_mut(&ds.id) {
            line.refs = ds
                .source
                .cites
                .iter()
                .filter_map(|(c, _)| sources.iter().find(|s| s.id == format!("src-{c}")))
                .map(|s| SourceRef {
                    number: s.number,
                    id: s.id.clone(),
                })
                .collect();
        }
    }
    (sources, lines)
}
