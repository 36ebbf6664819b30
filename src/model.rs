//! The document model: what the loader makes of `content/`, before any
//! Markdown is transformed or anything is rendered.

use crate::diag::Loc;
use crate::expr::Expr;
use crate::text::{Lang, Text};
use crate::units::Unit;

/// A whole report as written by its authors.
#[derive(Debug)]
pub struct Report {
    /// `content/report.yaml`.
    pub meta: Meta,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Datasets in file-name order.
    pub datasets: Vec<Dataset>,
    /// What the loader noticed without failing (e.g. an unbuilt translation).
    pub warnings: crate::diag::Diagnostics,
}

/// The report's front page and settings, from `content/report.yaml`.
#[derive(Debug)]
pub struct Meta {
    /// Report title.
    pub title: Text,
    /// Subtitle (may be empty).
    pub subtitle: Text,
    /// Authors as they should be credited.
    pub authors: Vec<String>,
    /// The report's date as written; never the clock, so builds reproduce.
    pub date: String,
    /// The editions to build, by language; the first is the default, whose
    /// section files carry no language suffix and whose page is the root.
    pub languages: Vec<Lang>,
    /// Colour per row or series key, the same in every chart.
    pub palette: Vec<(String, String)>,
    /// Every source a dataset may cite, in declaration order.
    pub sources: Vec<SourceEntry>,
    /// What to do with raw HTML written in the Markdown (`html:` in report.yaml).
    pub html: HtmlPolicy,
}

/// How raw HTML in sections is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HtmlPolicy {
    /// Passed through as written: the authors are trusted (the default, as in
    /// most static site generators). Markdown link and image addresses are
    /// still checked against the scheme allow-list.
    #[default]
    Trusted,
    /// Cleaned with `ammonia`: no scripts, event handlers, frames or unsafe
    /// addresses survive. For content from less trusted authors.
    Sanitize,
}

/// One publication the data comes from.
#[derive(Debug, Clone)]
pub struct SourceEntry {
    /// Id datasets cite it by.
    pub id: String,
    /// Who published it.
    pub publisher: Text,
    /// How a figure's source line names it ("Toutiao commentary (undated)").
    pub short: Text,
    /// Its title.
    pub title: Text,
    /// Its date as written.
    pub date: Text,
    /// Optional address.
    pub url: String,
    /// What a reader should know about it.
    pub note: Text,
    /// Where it is declared.
    pub loc: Loc,
}

/// One section file, `content/sections/NN-slug.md`.
#[derive(Debug)]
pub struct Section {
    /// The slug, used for the section's HTML id and `@sec:` references.
    pub id: String,
    /// Path relative to the root.
    pub file: String,
    /// From front matter.
    pub title: Text,
    /// Optional one-line summary from front matter.
    pub summary: Text,
    /// The Markdown after the front matter.
    pub body: String,
    /// Line of the file on which `body` starts, minus one.
    pub body_line_offset: usize,
    /// Translations of this section (`NN-slug.zh.md`), each a section of its
    /// own with the same id, by language.
    pub translations: Vec<(Lang, Section)>,
}

impl Section {
    /// The section as written for `lang`: its translation, or itself.
    pub fn edition(&self, lang: Lang) -> &Section {
        self.translations
            .iter()
            .find(|(l, _)| *l == lang)
            .map_or(self, |(_, s)| s)
    }
}

/// One dataset, `content/data/<id>.yaml`.
#[derive(Debug)]
pub struct Dataset {
    /// The file name without `.yaml`.
    pub id: String,
    /// Path relative to the root.
    pub file: String,
    /// What the data is.
    pub title: Text,
    /// What the numbers cover (and what they do not).
    pub scope: Text,
    /// Which sources, and a note on how the numbers were read from them.
    pub source: Citation,
    /// Numeric columns, in order.
    pub fields: Vec<Field>,
    /// Records.
    pub rows: Vec<Row>,
    /// Named values computed from the data.
    pub derived: Vec<Derived>,
    /// Relationships that must hold.
    pub checks: Vec<Check>,
}

/// A dataset's sources.
#[derive(Debug, Clone)]
pub struct Citation {
    /// Source ids with where each is cited.
    pub cites: Vec<(String, Loc)>,
    /// How the numbers relate to the sources.
    pub note: Text,
}

/// A numeric column.
#[derive(Debug)]
pub struct Field {
    /// Key used in rows and names.
    pub key: String,
    /// Column label.
    pub label: Text,
    /// Its unit.
    pub unit: Unit,
    /// Digits to show; the unit's default when absent.
    pub digits: Option<usize>,
    /// Where it is declared.
    pub loc: Loc,
}

/// A record.
#[derive(Debug)]
pub struct Row {
    /// Key used in names (`capex.us.usd`).
    pub key: String,
    /// What the reader sees; the key when absent.
    pub label: Text,
    /// Values by field key, in the order written.
    pub cells: Vec<(String, Cell)>,
    /// Where the row starts.
    pub loc: Loc,
}

/// One value in a row.
#[derive(Debug)]
pub struct Cell {
    /// Stated by the source, or derived from other values.
    pub value: CellValue,
    /// A qualifier or remark ("over", "about").
    pub note: Text,
    /// Where it is written.
    pub loc: Loc,
}

/// A stated or derived value.
#[derive(Debug)]
pub enum CellValue {
    /// As stated, in the field's unit.
    Given(f64),
    /// Computed; the expression and its text.
    Derive(Expr, String),
}

/// A named value computed from others.
#[derive(Debug)]
pub struct Derived {
    /// Its name within the dataset.
    pub name: String,
    /// The expression and its text.
    pub expr: Expr,
    /// The expression as written.
    pub expr_src: String,
    /// Its unit (required unless it is a pure number).
    pub unit: Option<Unit>,
    /// Digits to show.
    pub digits: Option<usize>,
    /// What it is.
    pub label: Text,
    /// Where it is declared.
    pub loc: Loc,
}

/// A relationship that must hold in the data.
#[derive(Debug)]
pub struct Check {
    /// Its id within the dataset.
    pub id: String,
    /// The assertion.
    pub expr: Expr,
    /// The assertion as written.
    pub expr_src: String,
    /// What it says in words.
    pub label: Text,
    /// Where it is declared.
    pub loc: Loc,
}
