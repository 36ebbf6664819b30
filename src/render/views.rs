//! The template contract: one typed view per template, serialised into its
//! Tera context. A field named `*_html` or `svg` is trusted HTML (already
//! escaped by quire); every other string is plain text that Tera escapes.
//! The README lists these views; renaming a field breaks users' templates.

use crate::transform::{EditionLink, MetaOut, SourceLine, SourceOut};
use serde::Serialize;
use std::collections::BTreeMap;

/// `report.html`: the whole page of one edition.
#[derive(Serialize)]
pub struct PageView<'a> {
    /// Title, subtitle, authors, date (localised) and `date_iso`.
    pub report: &'a MetaOut,
    /// The edition's language code (`en`).
    pub lang: &'a str,
    /// Its BCP 47 tag for `<html lang>` (`zh-Hans`).
    pub lang_tag: &'a str,
    /// Interface words by key (`ui.contents`, `ui.sources`, …).
    pub ui: &'a BTreeMap<String, String>,
    /// Contents entries.
    pub toc: Vec<TocEntry<'a>>,
    /// Sections with their finished HTML.
    pub sections: Vec<SectionView<'a>>,
    /// The numbered Sources list.
    pub sources: &'a [SourceOut],
    /// The stylesheet, inlined.
    pub css: &'a str,
    /// `quire <version>`.
    pub generator: String,
    /// Links to the other editions.
    pub editions: &'a [EditionLink],
}

/// One entry of the contents.
#[derive(Serialize)]
pub struct TocEntry<'a> {
    /// The section's id.
    pub id: &'a str,
    /// Its number.
    pub number: usize,
    /// Its title.
    pub title: &'a str,
}

/// One section.
#[derive(Serialize)]
pub struct SectionView<'a> {
    /// HTML id.
    pub id: &'a str,
    /// Its number.
    pub number: usize,
    /// Its title.
    pub title: &'a str,
    /// Its one-line summary (may be empty).
    pub summary: &'a str,
    /// The body, trusted HTML with figures in place.
    pub html: String,
    /// The language of its text when it differs from the page's (`en` in a
    /// Chinese page, for a section not yet translated).
    pub text_lang: Option<&'a str>,
}

/// `partials/figure.html`: one chart.
#[derive(Serialize)]
pub struct FigureView<'a> {
    /// HTML id (`fig-capex`).
    pub id: &'a str,
    /// Its number.
    pub number: usize,
    /// "Figure 3".
    pub label: String,
    /// Its title.
    pub title: &'a str,
    /// The inline SVG, trusted.
    pub svg: String,
    /// Caption text (may be empty).
    pub caption: &'a str,
    /// What the reader should see (may be empty).
    pub description: &'a str,
    /// The source line.
    pub source: &'a SourceLine,
    /// The standalone SVG's path, relative to the page.
    pub chart_file: String,
    /// The chart's numbers as a table.
    pub data: DataTableView,
}

/// A chart's numbers as a table, for readers who cannot see the chart.
#[derive(Serialize)]
pub struct DataTableView {
    /// Header of the label column.
    pub corner: String,
    /// One header per series.
    pub columns: Vec<String>,
    /// One row per category.
    pub rows: Vec<DataRowView>,
}

/// One row of a chart's data table.
#[derive(Serialize)]
pub struct DataRowView {
    /// The category.
    pub label: String,
    /// One cell per series.
    pub cells: Vec<CellView>,
}

/// A formatted cell.
#[derive(Serialize)]
pub struct CellView {
    /// What the reader sees.
    pub text: String,
    /// Machine-readable value (base units), empty when missing.
    pub value: String,
    /// Whether quire computed it; the template adds the derived mark.
    pub derived: bool,
}

/// `partials/table.html`: one table.
#[derive(Serialize)]
pub struct TableView<'a> {
    /// HTML id (`tbl-alloc`).
    pub id: &'a str,
    /// Its number.
    pub number: usize,
    /// "Table 2".
    pub label: String,
    /// Its title.
    pub title: &'a str,
    /// Caption text (may be empty).
    pub caption: &'a str,
    /// What the reader should see (may be empty).
    pub description: &'a str,
    /// The source line.
    pub source: &'a SourceLine,
    /// Header of the row-label column.
    pub header_label: &'a str,
    /// Value columns.
    pub columns: &'a [crate::transform::figures::Column],
    /// Body rows.
    pub rows: &'a [crate::transform::figures::TableRow],
    /// Optional total row.
    pub total: Option<&'a crate::transform::figures::TableRow>,
    /// Whether any cell is derived (then the note is shown).
    pub has_derived: bool,
}

/// `partials/stats.html`: a group of headline numbers.
#[derive(Serialize)]
pub struct StatsView<'a> {
    /// HTML id (`stats-power`).
    pub id: &'a str,
    /// The tiles.
    pub tiles: Vec<TileView<'a>>,
}

/// One headline number.
#[derive(Serialize)]
pub struct TileView<'a> {
    /// The value as a trusted `<data>` element.
    pub value_html: &'a str,
    /// What the number is.
    pub label: &'a str,
    /// Its source line.
    pub source_text: &'a str,
}
