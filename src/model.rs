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

/// One dataset: `content/data/<id>.yaml`, or `content/data/<id>.csv` with
/// the side file `<id>.yaml` declaring everything but the rows.
#[derive(Debug)]
pub struct Dataset {
    /// The file name without `.yaml` or `.csv`.
    pub id: String,
    /// Path relative to the root of the file holding the rows (the `.csv`
    /// for a CSV dataset); row and cell positions point into it.
    pub file: String,
    /// What the data is.
    pub title: Text,
    /// What the numbers cover (and what they do not).
    pub scope: Text,
    /// Which sources, and a note on how the numbers were read from them.
    pub source: Citation,
    /// Columns, in order (the row key column of a CSV file is not one).
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

/// A column.
#[derive(Debug)]
pub struct Field {
    /// What its cells hold; only numbers are values.
    pub kind: FieldKind,
    /// Key used in rows and names.
    pub key: String,
    /// Column label.
    pub label: Text,
    /// Its unit (the plain unit for text and date fields).
    pub unit: Unit,
    /// Digits to show; the unit's default when absent.
    pub digits: Option<usize>,
    /// Where it is declared.
    pub loc: Loc,
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Numbers in the field's unit: the only kind that becomes values.
    Number,
    /// Free text.
    Text,
    /// Calendar dates: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    Date,
}

impl FieldKind {
    /// The word authors write in `kind:`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Number => "number",
            FieldKind::Text => "text",
            FieldKind::Date => "date",
        }
    }
}

/// A line and a column (1-based, in characters) in a dataset's own file,
/// kept instead of a [`Loc`] so a row of a large dataset costs no copy of the
/// file name; [`Dataset::loc`] turns it into a [`Loc`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

impl Dataset {
    /// Where `pos` is, in this dataset's file.
    pub fn loc(&self, pos: Pos) -> Loc {
        Loc::new(&self.file, pos.line as usize, pos.col as usize)
    }
}

/// A record.
#[derive(Debug)]
pub struct Row {
    /// Key used in names (`capex.us.usd`, `gdp.1971.usd`): any text.
    pub key: String,
    /// What the reader sees; the key when absent.
    pub label: Text,
    /// Number cells, in the order written; a missing value has no cell.
    pub cells: Vec<Cell>,
    /// Text and date cells, by field index, in column order.
    pub data: Vec<(usize, Datum)>,
    /// Where the row starts.
    pub at: Pos,
}

/// A text or date cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Datum {
    /// Free text.
    Text(String),
    /// A calendar date.
    Date(Date),
}

/// A calendar date at the precision written: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The year.
    pub year: u16,
    /// 1 to 12, when given.
    pub month: Option<u8>,
    /// 1 to 31, when given (only with a month).
    pub day: Option<u8>,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// One number cell in a row.
#[derive(Debug)]
pub struct Cell {
    /// Index of its field in [`Dataset::fields`].
    pub field: usize,
    /// Stated by the source, or derived from other values.
    pub value: CellValue,
    /// A qualifier or remark ("over", "about").
    pub note: Text,
    /// Where it is written, in the dataset's file.
    pub at: Pos,
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
