//! The document model: what the loader makes of `content/`, before any
//! Markdown is transformed or anything is rendered.

use crate::diag::Loc;
use crate::expr::Expr;
use crate::text::{Lang, Text};
use crate::units::Unit;
use std::hash::BuildHasher;
use std::sync::Arc;

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
    /// The navigation an mdBook `SUMMARY.md` gives; `None` without one,
    /// when a site nests its pages by folder.
    pub outline: Option<Outline>,
}

/// A site's navigation as `SUMMARY.md` nests it, which may differ from the
/// folders (a chapter nested under one in another folder): carried in the
/// model so the renderer reads it, and never the summary, from disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// For each section, in [`Report::sections`]' order, the index of the
    /// section it is nested under (always an earlier one), or `None` at the
    /// top level.
    pub parents: Vec<Option<usize>>,
    /// mdBook part titles (`# Part` between chapter lists), each with the
    /// index of the top-level section it comes before, in order.
    pub parts: Vec<(usize, String)>,
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
    /// Whether to build a site (`mode: site`, or `--site`).
    pub site: bool,
    /// The site's `base_url:` as written (empty when not given).
    pub base_url: String,
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
    /// The stretches of `body` that `{{#include}}` brought in, in body
    /// order, so a location inside one names the included file's line and
    /// a location after one still names the author's line.
    pub splices: Vec<Splice>,
}

/// One stretch of a section's body that came from another file.
#[derive(Debug, Clone)]
pub struct Splice {
    /// Where it sits in the body.
    pub range: std::ops::Range<usize>,
    /// Newlines in the directive it replaced (usually none).
    pub directive_newlines: usize,
    /// For each of its lines, the file and 0-based line it came from: an
    /// anchored or nested include is not one run of lines of one file.
    pub lines: Vec<(std::sync::Arc<str>, u32)>,
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
    /// Records: where each starts, its label and its text and date cells
    /// (its key and number cells are in [`Dataset::table`]).
    pub rows: Rows,
    /// The rows' number cells and the index from row key to row, shared
    /// with the values stage so a million cells are never copied.
    pub table: Arc<Table>,
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

    /// The number cells of row `row` (an index into [`Dataset::rows`]), in
    /// the order written; a missing value has no cell.
    pub fn cells(&self, row: usize) -> &[Cell] {
        self.table.cells(row)
    }

    /// The index of the row called `key`: a binary search of the key hashes.
    pub fn row_index(&self, key: &str) -> Option<usize> {
        self.table.row(key)
    }

    /// The key of row `row` (an index into [`Dataset::rows`]).
    pub fn key(&self, row: usize) -> &str {
        self.table.key(row)
    }

    /// What the reader sees for row `row` in `lang`: its label, or its key.
    pub fn label(&self, row: usize, lang: Lang) -> &str {
        self.rows.label(row).map_or_else(|| self.key(row), |l| l.get(lang))
    }

    /// The text or date in field `field` of row `row`, if it has one.
    pub fn datum(&self, row: usize, field: usize) -> Option<Datum<'_>> {
        self.rows.datum(row, field)
    }
}

/// The rows of a dataset apart from their keys and number cells (which
/// are in its [`Table`]): where each starts, the labels when the data has
/// any, and the text and date cells, all in a few flat vectors so a
/// million-row dataset costs no allocation per row. Text cells are
/// interned: a column of a few distinct words stores each word once.
#[derive(Debug, Default)]
pub struct Rows {
    /// Where each row starts.
    at: Vec<Pos>,
    /// Each row's label, or nothing at all when no row has one (the key is
    /// the label then); an empty label means the key too.
    labels: Vec<Text>,
    /// Every text and date cell, row after row: field index and what it holds.
    cells: Vec<(u32, Slot)>,
    /// Where each row's cells end in `cells`.
    ends: Vec<u32>,
    /// The distinct texts end to end, and where each ends.
    texts: String,
    text_ends: Vec<u32>,
    /// Text hash to its index in the texts, for interning while reading.
    interned: std::collections::HashMap<u64, u32, foldhash::fast::FixedState>,
}

/// A stored text or date cell: 8 bytes.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Text(u32),
    Date(Date),
}

impl Rows {
    /// Room for `rows` rows and `cells` text and date cells.
    pub fn with_capacity(rows: usize, cells: usize) -> Rows {
        Rows {
            at: big(rows),
            ends: big(rows),
            cells: big(cells),
            ..Rows::default()
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether there is no row.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Adds a text cell to the row being read; a text already stored is
    /// not stored again.
    pub fn push_text(&mut self, field: usize, text: &str) {
        let id = self.intern(text);
        self.cells.push((field as u32, Slot::Text(id)));
    }

    /// The id of `text`, stored now if it was not already.
    fn intern(&mut self, text: &str) -> u32 {
        let hash = key_hash(text);
        match self.interned.get(&hash) {
            Some(&id) if self.text(id) == text => id,
            found => {
                self.texts.push_str(text);
                self.text_ends.push(self.texts.len() as u32);
                let id = self.text_ends.len() as u32 - 1;
                // On the (vanishingly rare) hash collision the first text
                // keeps the slot; the second is stored uninterned.
                if found.is_none() {
                    self.interned.insert(hash, id);
                }
                id
            }
        }
    }

    /// Adds a date cell to the row being read.
    pub fn push_date(&mut self, field: usize, date: Date) {
        self.cells.push((field as u32, Slot::Date(date)));
    }

    /// Ends the row whose text and date cells were pushed since the last
    /// call: it starts at `at`, and `label` is what the reader sees (`None`,
    /// or an empty text, for its key).
    pub fn end_row(&mut self, at: Pos, label: Option<Text>) {
        if let Some(label) = label.filter(|l| !l.is_empty()) {
            // The first label: the rows before it show their keys.
            self.labels.resize_with(self.at.len(), Text::default);
            self.labels.push(label);
        } else if !self.labels.is_empty() {
            self.labels.push(Text::default());
        }
        self.at.push(at);
        self.ends.push(self.cells.len() as u32);
    }

    /// Adds the rows of `other`, read from the rest of the same file, after
    /// these; their texts are interned here again. Call before
    /// [`Rows::finish`].
    pub fn append(&mut self, other: Rows) {
        if !self.labels.is_empty() || !other.labels.is_empty() {
            // Rows past a list's end show their keys: fill those in.
            self.labels.resize_with(self.len(), Text::default);
            self.labels.extend(other.labels.iter().cloned());
            self.labels.resize_with(self.len() + other.at.len(), Text::default);
        }
        self.at.extend_from_slice(&other.at);
        let base = self.cells.len() as u32;
        self.ends.extend(other.ends.iter().map(|&e| base + e));
        let texts: Vec<u32> = (0..other.text_ends.len() as u32)
            .map(|id| self.intern(other.text(id)))
            .collect();
        self.cells.extend(other.cells.iter().map(|&(f, slot)| match slot {
            Slot::Text(id) => (f, Slot::Text(texts[id as usize])),
            date => (f, date),
        }));
    }

    /// Ends reading: the interning index is no longer needed.
    pub fn finish(&mut self) {
        self.interned = Default::default();
    }

    /// Where row `row` starts.
    pub fn at(&self, row: usize) -> Pos {
        self.at[row]
    }

    /// Row `row`'s own label, if it has one.
    pub fn label(&self, row: usize) -> Option<&Text> {
        self.labels.get(row).filter(|l| !l.is_empty())
    }

    /// The text or date in field `field` of row `row`, if it has one.
    pub fn datum(&self, row: usize, field: usize) -> Option<Datum<'_>> {
        let start = if row == 0 { 0 } else { self.ends[row - 1] as usize };
        self.cells[start..self.ends[row] as usize]
            .iter()
            .find(|&&(f, _)| f as usize == field)
            .map(|&(_, slot)| match slot {
                Slot::Text(id) => Datum::Text(self.text(id)),
                Slot::Date(d) => Datum::Date(d),
            })
    }

    fn text(&self, id: u32) -> &str {
        let id = id as usize;
        let start = if id == 0 { 0 } else { self.text_ends[id - 1] as usize };
        &self.texts[start..self.text_ends[id] as usize]
    }
}

/// A text or date cell, borrowed from its dataset's [`Rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datum<'a> {
    /// Free text.
    Text(&'a str),
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

/// One number cell in a row: 24 bytes, so the cells of a million-row
/// dataset are one flat allocation. The rare note or formula lives in the
/// [`Table`]'s side list; read it with [`Table::value`] and [`Table::note`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// The number as stated, in the field's unit (unused for a formula).
    given: f64,
    /// Where it is written, in the dataset's file.
    pub at: Pos,
    /// Index of its field in [`Dataset::fields`].
    field: u32,
    /// 0 when the cell is a plain number, else 1 + its index in
    /// [`Table`]'s extras: padding space put to use.
    extra: u32,
}

impl Cell {
    /// Index of its field in [`Dataset::fields`].
    pub fn field(&self) -> usize {
        self.field as usize
    }
}

/// What a cell holds, as written (the input to [`Table::push`]).
#[derive(Debug)]
pub enum CellValue {
    /// As stated, in the field's unit.
    Given(f64),
    /// Computed; the expression and its text.
    Derive(Expr, String),
}

/// What a cell holds, borrowed from its [`Table`].
#[derive(Debug, Clone, Copy)]
pub enum CellRef<'a> {
    /// As stated, in the field's unit.
    Given(f64),
    /// Computed; the expression and its text.
    Derive(&'a Expr, &'a str),
}

/// The note and formula of a cell that has one or the other.
#[derive(Debug)]
struct Extra {
    note: Text,
    derive: Option<(Expr, String)>,
}

/// Every number cell of a dataset, row after row in one vector, with an
/// index from row key to row built once, after the rows are read. Row `i`'s
/// cells are `cells[starts[i]..starts[i + 1]]`.
pub struct Table {
    cells: Vec<Cell>,
    starts: Vec<u32>,
    extras: Vec<Extra>,
    /// The row keys, end to end, and where each ends: the index's own copy
    /// in two allocations, so it needs no `Row` to compare against.
    keys: String,
    key_ends: Vec<u32>,
    /// Each row's entry: its key's 32-bit hash above its index (see
    /// [`entry`]), pushed as rows end, sorted by [`Table::index_rows`].
    index: Vec<u64>,
}

impl Default for Table {
    fn default() -> Table {
        Table::with_capacity(0, 0)
    }
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("rows", &self.rows())
            .field("cells", &self.cells.len())
            .finish()
    }
}

/// The key hash: fixed-seeded, so nothing depends on the run; fast on the
/// short keys rows have.
fn key_hash(key: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x5157_4952_4551).hash_one(key)
}

impl Table {
    /// An empty table with room for `rows` rows and `cells` cells.
    pub fn with_capacity(rows: usize, cells: usize) -> Table {
        let mut starts = big(rows + 1);
        starts.push(0);
        Table {
            cells: big(cells),
            starts,
            extras: Vec::new(),
            keys: String::new(),
            key_ends: big(rows),
            index: big(rows),
        }
    }

    /// Adds a plain stated number to the row being read: the hot path of a
    /// CSV file.
    pub fn push_given(&mut self, field: usize, given: f64, at: Pos) {
        self.cells.push(Cell {
            given,
            at,
            field: field as u32,
            extra: 0,
        });
    }

    /// Adds a cell with its note to the row being read.
    pub fn push(&mut self, field: usize, value: CellValue, note: Text, at: Pos) {
        let (given, derive) = match value {
            CellValue::Given(n) => (n, None),
            CellValue::Derive(e, src) => (0.0, Some((e, src))),
        };
        if derive.is_none() && note.is_empty() {
            return self.push_given(field, given, at);
        }
        self.extras.push(Extra { note, derive });
        self.cells.push(Cell {
            given,
            at,
            field: field as u32,
            extra: self.extras.len() as u32,
        });
    }

    /// Room for `bytes` bytes of row keys, so a million keys are not copied
    /// as their storage grows.
    pub fn reserve_keys(&mut self, bytes: usize) {
        let mut keys = big::<u8>(bytes);
        keys.extend_from_slice(self.keys.as_bytes());
        // Valid UTF-8: a copy of a `String`'s bytes.
        self.keys = String::from_utf8(keys).unwrap_or_default();
    }

    /// Ends the row called `key`, whose cells were pushed since the last
    /// call. Call [`Table::index_rows`] once every row is in.
    pub fn end_row(&mut self, key: &str) {
        // Hashed now, while the key is in the cache.
        self.index.push(entry(key_hash(key), self.rows()));
        self.starts.push(self.cells.len() as u32);
        self.keys.push_str(key);
        self.key_ends.push(self.keys.len() as u32);
    }

    /// Adds the rows of `other`, read from the rest of the same file, after
    /// these. Call before [`Table::index_rows`].
    pub fn append(&mut self, other: Table) {
        let (cells, rows, keys, extras) = (
            self.cells.len() as u32,
            self.rows() as u64,
            self.keys.len() as u32,
            self.extras.len() as u32,
        );
        self.cells.extend(other.cells.iter().map(|&c| Cell {
            extra: if c.extra == 0 { 0 } else { c.extra + extras },
            ..c
        }));
        self.starts.extend(other.starts[1..].iter().map(|&s| cells + s));
        self.extras.extend(other.extras);
        self.keys.push_str(&other.keys);
        self.key_ends.extend(other.key_ends.iter().map(|&e| keys + e));
        // An entry's row is in its low bits, so adding moves it down.
        self.index.extend(other.index.iter().map(|&e| e + rows));
    }

    /// Builds the row-key index, once, after the rows are read: each key's
    /// hash with its row, sorted (in sequential passes that suit the cache
    /// far better than a million random hash-table inserts). Returns the
    /// rows whose key an earlier row has, in order.
    pub fn index_rows(&mut self) -> Vec<usize> {
        let index = sorted_by_hash(std::mem::take(&mut self.index));
        // Equal keys have equal hashes, so they sit together, first row first;
        // equal hashes of different keys (rare: a few in a million) are compared.
        let mut repeated = Vec::new();
        let mut run = 0;
        for i in 1..index.len() {
            if index[i] >> 32 != index[run] >> 32 {
                run = i;
                continue;
            }
            let key = self.key(index[i] as u32 as usize);
            // The run's first row first: a key written n times costs n checks.
            let same = |&e: &u64| self.key(e as u32 as usize) == key;
            if same(&index[run]) || index[run + 1..i].iter().any(same) {
                repeated.push(index[i] as u32 as usize);
            }
        }
        repeated.sort_unstable();
        self.index = index;
        repeated
    }

    /// How many rows.
    pub fn rows(&self) -> usize {
        self.key_ends.len()
    }

    /// The key of row `row`.
    pub fn key(&self, row: usize) -> &str {
        let start = if row == 0 { 0 } else { self.key_ends[row - 1] as usize };
        &self.keys[start..self.key_ends[row] as usize]
    }

    /// The index of the row called `key`: a binary search of the hashes,
    /// then the few rows of that hash compared. The first row of a key
    /// written twice.
    pub fn row(&self, key: &str) -> Option<usize> {
        let hash = entry(key_hash(key), 0) >> 32;
        let start = self.index.partition_point(|&e| e >> 32 < hash);
        self.index[start..]
            .iter()
            .take_while(|&&e| e >> 32 == hash)
            .map(|&e| e as u32 as usize)
            .find(|&r| self.key(r) == key)
    }

    /// Row `row`'s cells, in the order written.
    pub fn cells(&self, row: usize) -> &[Cell] {
        match (self.starts.get(row), self.starts.get(row + 1)) {
            (Some(&a), Some(&b)) => &self.cells[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Every cell of every row, in order.
    pub fn all_cells(&self) -> &[Cell] {
        &self.cells
    }

    /// The position in [`Table::all_cells`] of row `row`'s first cell.
    pub fn first_cell(&self, row: usize) -> usize {
        self.starts.get(row).map_or(0, |&s| s as usize)
    }

    /// The row holding cell number `cell` of [`Table::all_cells`].
    pub fn row_of(&self, cell: usize) -> usize {
        self.starts.partition_point(|&s| s as usize <= cell).saturating_sub(1)
    }

    /// What `cell` holds.
    pub fn value(&self, cell: &Cell) -> CellRef<'_> {
        match self.extra(cell).and_then(|x| x.derive.as_ref()) {
            Some((e, src)) => CellRef::Derive(e, src),
            None => CellRef::Given(cell.given),
        }
    }

    /// The qualifier written with `cell` ("over", "about"), if any.
    pub fn note(&self, cell: &Cell) -> Option<&Text> {
        self.extra(cell).map(|x| &x.note).filter(|t| !t.is_empty())
    }

    fn extra(&self, cell: &Cell) -> Option<&Extra> {
        cell.extra.checked_sub(1).map(|i| &self.extras[i as usize])
    }

    /// Every formula of a cell, in the order written.
    pub fn formulas(&self) -> impl Iterator<Item = &Expr> {
        self.extras.iter().filter_map(|x| x.derive.as_ref().map(|(e, _)| e))
    }
}

/// An index entry: the top 32 bits of a key's hash above its row, so that
/// entries sort by hash, then row, as plain integers.
fn entry(hash: u64, row: usize) -> u64 {
    (hash & !0xFFFF_FFFF) | row as u64
}

/// A vector with room for `n` items. A large one is backed by huge pages
/// where the system offers them: a million-row table is written once, front
/// to back, and faulting it in 4 KiB pages costs more than writing it.
fn big<T>(n: usize) -> Vec<T> {
    let v = Vec::with_capacity(n);
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let bytes = v.capacity() * std::mem::size_of::<T>();
        if bytes >= 2 * HUGE {
            // Only the whole huge pages inside the allocation.
            let start = (v.as_ptr() as usize).next_multiple_of(HUGE);
            let end = (v.as_ptr() as usize + bytes) / HUGE * HUGE;
            if end > start {
                // SAFETY: the range lies inside memory this vector owns, and
                // the advice changes only how the kernel backs it, never
                // what it holds; a refusal changes nothing.
                unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
            }
        }
    }
    v
}

/// `index` sorted, as `sort_unstable` would: the hashes are uniform, so
/// one counting pass on their top bits puts each entry in a bucket of about
/// 256, and sorting those small buckets costs n·log 256 instead of n·log n.
/// Linear in practice; never worse than n log n.
fn sorted_by_hash(mut index: Vec<u64>) -> Vec<u64> {
    let n = index.len();
    // About 256 entries a bucket, at most 2^16 buckets.
    let bits = (usize::BITS - (n >> 8).leading_zeros()).min(16);
    if bits < 2 {
        index.sort_unstable();
        return index;
    }
    let shift = 64 - bits;
    let mut starts = vec![0u32; (1 << bits) + 1];
    for &e in &index {
        starts[(e >> shift) as usize + 1] += 1;
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut next = starts.clone();
    let mut out = big(n);
    out.resize(n, 0);
    for e in index {
        let slot = &mut next[(e >> shift) as usize];
        out[*slot as usize] = e;
        *slot += 1;
    }
    for w in starts.windows(2) {
        out[w[0] as usize..w[1] as usize].sort_unstable();
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The bucketed sort gives exactly what a plain sort gives, at sizes
    /// on both sides of the cut-over, with repeated hashes.
    #[test]
    fn bucketed_sort_is_a_sort() {
        for n in [0, 1, 5, 600, 1100, 70_000] {
            let mut x = 0x9e37_79b9_7f4a_7c15u64;
            let index: Vec<u64> = (0..n)
                .map(|r| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    entry(if r % 7 == 0 { 42 << 32 } else { x }, r)
                })
                .collect();
            let mut expected = index.clone();
            expected.sort_unstable();
            assert_eq!(sorted_by_hash(index), expected, "{n}");
        }
    }

    /// Repeated texts are stored once; each row reads back what was pushed;
    /// a row without a label (or with an empty one) shows its key.
    #[test]
    fn rows_intern_texts_and_fall_back_to_keys() {
        let mut rows = Rows::default();
        let words = ["sun", "rain", "sun", "fog", "rain", "sun"];
        for (i, w) in words.iter().enumerate() {
            rows.push_text(1, w);
            rows.push_date(
                2,
                Date {
                    year: 2000 + i as u16,
                    month: None,
                    day: None,
                },
            );
            let label = (i == 3).then(|| Text::plain("Foggy"));
            rows.end_row(
                Pos {
                    line: i as u32 + 2,
                    col: 1,
                },
                label,
            );
        }
        rows.finish();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows.texts, "sunrainfog", "each distinct text once");
        for (i, w) in words.iter().enumerate() {
            assert_eq!(rows.datum(i, 1), Some(Datum::Text(w)));
            assert_eq!(rows.datum(i, 0), None);
            assert_eq!(rows.at(i).line, i as u32 + 2);
        }
        assert!(matches!(rows.datum(5, 2), Some(Datum::Date(d)) if d.year == 2005));
        assert_eq!(rows.label(3).map(|l| l.get(Lang::EN)), Some("Foggy"));
        assert!(rows.label(0).is_none() && rows.label(5).is_none());
    }
}
