//! Every value the report can name, stated or derived, evaluated once.
//!
//! Names are `dataset.row.field`, `dataset.derived` and, for one-field
//! datasets, `dataset.row`. Derived cells and values are evaluated on demand
//! in dependency order; a cycle, an unknown name or a unit mismatch is an
//! error at the line that declares the formula.

use crate::diag::{Diagnostic, Loc};
use crate::expr::{Expr, Val};
use crate::model::{CellRef, Dataset, Report, Table};
use crate::text::Text;
use crate::units::{Quantity, Unit};
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// One named value, ready to be written in prose, tables and charts.
#[derive(Debug, Clone)]
pub struct Value {
    /// The value in base units.
    pub q: Quantity,
    /// How it is written.
    pub unit: Unit,
    /// Digits shown.
    pub digits: usize,
    /// The dataset it belongs to.
    pub dataset: String,
    /// The formula, for derived values (shown to curious readers).
    pub formula: Option<String>,
    /// Where it is declared.
    pub loc: Loc,
    /// A qualifier such as "over" or "about".
    pub note: Text,
}

/// The outcome of a declared check.
#[derive(Debug, Clone)]
pub struct CheckResult {
    /// `dataset.check_id`.
    pub name: String,
    /// Whether it holds.
    pub ok: bool,
    /// The assertion as written.
    pub expr: String,
    /// What it says in words.
    pub label: Text,
    /// Where it is declared.
    pub loc: Loc,
    /// The values it read, e.g. "cn.usd = USD 42 bn, us.usd = USD 155 bn".
    pub detail: String,
}

/// All values and check results of a report.
///
/// Derived values are computed and kept by name. Stated cells stay in
/// their dataset's [`Table`] (shared, not copied) and become a [`Value`]
/// only when named: a million-row dataset costs no string per cell.
#[derive(Debug, Default)]
pub struct Values {
    /// Derived values and derived cells, by name.
    values: BTreeMap<String, Value>,
    /// Each dataset's stated cells, read in place.
    stated: Vec<Stated>,
    /// Every value by the number it shows, built on first use.
    by_number: OnceLock<ByNumber>,
    /// Stated values refused (out of range), so formulas reading them fail
    /// quietly instead of reporting them unknown.
    refused: std::collections::BTreeSet<String>,
    /// Checks in declaration order.
    pub checks: Vec<CheckResult>,
}

/// A dataset's stated cells, and the [`Value`]s made of those named so far.
#[derive(Debug)]
struct Stated {
    id: String,
    file: String,
    /// Each field's key, unit and digits shown.
    fields: Vec<(String, Unit, usize)>,
    table: Arc<Table>,
    /// Values made on demand, in pages of [`PAGE`] cells, so that
    /// [`Values::get`] can lend a reference to one made after `compute`.
    pages: Vec<OnceLock<Box<[OnceLock<Value>]>>>,
}

/// Every value by the number its unit shows (before rounding), sorted:
/// computed ones with their digits and names, stated ones by dataset and cell.
#[derive(Debug, Default)]
struct ByNumber {
    computed: Vec<(f64, usize, String)>,
    stated: Vec<(f64, u32, u32)>,
}

/// Cells a page of [`Stated::pages`] holds: the few cells a chart or a
/// sentence names cost a few pages, never one slot per cell of the table.
const PAGE: usize = 64;

impl Stated {
    fn new(ds: &Dataset) -> Stated {
        Stated {
            id: ds.id.clone(),
            file: ds.file.clone(),
            fields: ds
                .fields
                .iter()
                .map(|f| {
                    (
                        f.key.clone(),
                        f.unit.clone(),
                        f.digits.unwrap_or(f.unit.default_digits()),
                    )
                })
                .collect(),
            pages: (0..ds.table.all_cells().len().div_ceil(PAGE))
                .map(|_| OnceLock::new())
                .collect(),
            table: Arc::clone(&ds.table),
        }
    }

    /// The index (in the table's cells) of the stated cell `row.field`.
    fn find(&self, row: &str, field: &str) -> Option<usize> {
        let f = self.fields.iter().position(|(k, _, _)| k == field)?;
        let r = self.table.row(row)?;
        let first = self.table.first_cell(r);
        let at = self.table.cells(r).iter().position(|c| c.field() == f)?;
        let cell = &self.table.all_cells()[first + at];
        matches!(self.table.value(cell), CellRef::Given(_)).then_some(first + at)
    }

    /// The value of stated cell `i`, made now.
    fn make(&self, i: usize) -> Value {
        let cell = &self.table.all_cells()[i];
        let (_, unit, digits) = &self.fields[cell.field()];
        let given = match self.table.value(cell) {
            CellRef::Given(n) => n,
            CellRef::Derive(..) => f64::NAN,
        };
        Value {
            q: unit.quantity(given),
            unit: unit.clone(),
            digits: *digits,
            dataset: self.id.clone(),
            formula: None,
            loc: Loc::new(&self.file, cell.at.line as usize, cell.at.col as usize),
            note: self.table.note(cell).cloned().unwrap_or_default(),
        }
    }

    /// The value of stated cell `i`, made once and kept.
    fn get(&self, i: usize) -> &Value {
        let page = self.pages[i / PAGE].get_or_init(|| (0..PAGE).map(|_| OnceLock::new()).collect());
        page[i % PAGE].get_or_init(|| self.make(i))
    }

    /// The name of stated cell `i`.
    fn name(&self, i: usize) -> String {
        let row = self.table.row_of(i);
        let field = &self.fields[self.table.all_cells()[i].field()].0;
        format!("{}.{}.{field}", self.id, self.table.key(row))
    }

    /// The indices of the stated (not derived) cells.
    fn given(&self) -> impl Iterator<Item = usize> + '_ {
        let cells = self.table.all_cells();
        (0..cells.len()).filter(move |&i| matches!(self.table.value(&cells[i]), CellRef::Given(_)))
    }
}

/// A formula waiting to be evaluated.
struct Pending<'a> {
    expr: &'a Expr,
    src: &'a str,
    dataset: &'a str,
    row: Option<&'a str>,
    unit: Option<Unit>,
    /// Digits the author set on the field or derived value, if any.
    digits: Option<usize>,
    loc: Loc,
    note: Text,
}

impl Values {
    /// Evaluates every value and check of `report`.
    pub fn compute(report: &Report) -> Result<Values, Vec<Diagnostic>> {
        let mut v = Values::default();
        let mut errors = Vec::new();
        let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
        for ds in &report.datasets {
            let stated = Stated::new(ds);
            // Every stated number is checked here, in one pass over the
            // table; only a refused one gets a name.
            let cells = ds.table.all_cells();
            let mut refused = 0;
            for (i, cell) in cells.iter().enumerate() {
                let field = &ds.fields[cell.field()];
                match ds.table.value(cell) {
                    CellRef::Given(n) => {
                        if let Err(m) = in_range(n * field.unit.factor()) {
                            refused += 1;
                            let name = stated.name(i);
                            if refused <= MAX_REFUSED {
                                errors
                                    .push(Diagnostic::error(ds.loc(cell.at), format!("`{name}` {m}")).hint(RANGE_HINT));
                            }
                            v.refused.insert(name);
                        }
                    }
                    CellRef::Derive(expr, src) => {
                        pending.insert(
                            stated.name(i),
                            Pending {
                                expr,
                                src,
                                dataset: &ds.id,
                                row: Some(ds.table.key(ds.table.row_of(i))),
                                unit: Some(field.unit.clone()),
                                digits: field.digits,
                                loc: ds.loc(cell.at),
                                note: ds.table.note(cell).cloned().unwrap_or_default(),
                            },
                        );
                    }
                }
            }
            if refused > MAX_REFUSED {
                errors.push(
                    Diagnostic::error(
                        Loc::file(&ds.file),
                        format!(
                            "{refused} values of `{}` are out of range; the first {MAX_REFUSED} are shown",
                            ds.id
                        ),
                    )
                    .hint("a column in the wrong unit is the usual cause: check the field's `unit:`"),
                );
            }
            v.stated.push(stated);
            for d in &ds.derived {
                let unit = d.unit.clone();
                let digits = d.digits;
                pending.insert(
                    format!("{}.{}", ds.id, d.name),
                    Pending {
                        expr: &d.expr,
                        src: &d.expr_src,
                        dataset: &ds.id,
                        row: None,
                        unit,
                        digits,
                        loc: d.loc.clone(),
                        note: Text::default(),
                    },
                );
            }
        }
        for name in v.order(&pending, report, &mut errors) {
            // A formula reading one that failed is skipped: one error per cause.
            if v.deps(&name, &pending, report).is_err() {
                v.refused.insert(name);
                continue;
            }
            if let Some(p) = pending.remove(&name)
                && let Err(e) = v.evaluate(&name, p, report)
            {
                errors.push(e);
                v.refused.insert(name);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        for ds in &report.datasets {
            for c in &ds.checks {
                let mut detail = String::new();
                let mut lookup = |n: &str| {
                    v.lookup_in(n, &ds.id, None, report).map(|(_, val)| {
                        detail.push_str(&format!(
                            "{}{n} = {}",
                            if detail.is_empty() { "" } else { ", " },
                            val.unit
                                .format(val.q.value, val.digits + 2, crate::text::Lang::EN)
                                .replace('\u{a0}', " ")
                        ));
                        val.q.clone()
                    })
                };
                let result = c.expr.eval(&mut lookup).and_then(Val::boolean);
                match result {
                    Ok(ok) => v.checks.push(CheckResult {
                        name: format!("{}.{}", ds.id, c.id),
                        ok,
                        expr: c.expr_src.clone(),
                        label: c.label.clone(),
                        loc: c.loc.clone(),
                        detail,
                    }),
                    Err(m) => errors.push(Diagnostic::error(c.loc.clone(), format!("check `{}`: {m}", c.id))),
                }
            }
        }
        if errors.is_empty() { Ok(v) } else { Err(errors) }
    }

    /// The value called `name` (fully qualified). A stated cell is made
    /// into a [`Value`] the first time it is named, and kept.
    pub fn get(&self, name: &str) -> Option<&Value> {
        if let Some(v) = self.values.get(name) {
            return Some(v);
        }
        if self.refused.contains(name) {
            return None;
        }
        let (s, i) = self.stated_cell(name)?;
        Some(self.stated[s].get(i))
    }

    /// Whether `name` is a value (computed or stated).
    fn has(&self, name: &str) -> bool {
        self.values.contains_key(name) || (!self.refused.contains(name) && self.stated_cell(name).is_some())
    }

    /// The dataset (index into `stated`) and cell of the stated value
    /// `dataset.row.field`: a hash lookup for the row, a scan of its few cells.
    fn stated_cell(&self, name: &str) -> Option<(usize, usize)> {
        let (ds, rest) = name.split_once('.')?;
        let (row, field) = rest.split_once('.')?;
        let s = self.stated.iter().position(|s| s.id == ds)?;
        Some((s, self.stated[s].find(row, field)?))
    }

    /// Every name: computed values sorted, then stated cells dataset by
    /// dataset in the order written; for "did you mean" hints.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.values
            .keys()
            .cloned()
            .chain(self.stated.iter().flat_map(|s| s.given().map(|i| s.name(i))))
    }

    /// Every named value: computed values sorted by name, then stated cells
    /// dataset by dataset in the order written. Stated values are made as
    /// they are visited and not kept, so a pass over a large table costs no
    /// memory that lasts.
    pub fn iter(&self) -> impl Iterator<Item = (String, Value)> + '_ {
        self.values.iter().map(|(k, v)| (k.clone(), v.clone())).chain(
            self.stated
                .iter()
                .flat_map(|s| s.given().map(move |i| (s.name(i), s.make(i)))),
        )
    }

    /// The first name, in sort order, of a value that shows as `n` when
    /// written with its digits (zero is no one's): for the warning on a
    /// number typed in prose. The first call sorts every value by number
    /// (n log n); each call then checks only the values within rounding
    /// distance of `n`, so a million stated cells cost one sort, not a
    /// formatted string each.
    pub fn shown_as(&self, n: f64) -> Option<String> {
        if n == 0.0 || !n.is_finite() {
            return None;
        }
        let by = self.by_number.get_or_init(|| self.by_number());
        let shows = |shown: f64, digits: usize| crate::units::number(shown, digits, false).parse::<f64>() == Ok(n);
        // Rounding to any digits moves a number by at most one half, plus
        // the rounding to 15 significant digits first: a generous window.
        let window = 0.5 * (1.0 + 1e-9) + (n.abs() + 1.0) * 1e-12;
        let mut best: Option<String> = None;
        let mut offer = |name: String| {
            if best.as_ref().is_none_or(|b| name < *b) {
                best = Some(name);
            }
        };
        let lo = by.computed.partition_point(|e| e.0 < n - window);
        for (shown, digits, name) in by.computed[lo..].iter().take_while(|e| e.0 <= n + window) {
            if shows(*shown, *digits) {
                offer(name.clone());
            }
        }
        let lo = by.stated.partition_point(|e| e.0 < n - window);
        for &(shown, s, i) in by.stated[lo..].iter().take_while(|e| e.0 <= n + window) {
            let st = &self.stated[s as usize];
            let digits = st.fields[st.table.all_cells()[i as usize].field()].2;
            if shows(shown, digits) {
                offer(st.name(i as usize));
            }
        }
        best
    }

    /// Every value by the number its unit shows (before rounding), sorted.
    fn by_number(&self) -> ByNumber {
        let mut computed: Vec<(f64, usize, String)> = self
            .values
            .iter()
            .map(|(k, v)| (v.q.value / v.unit.factor(), v.digits, k.clone()))
            .collect();
        computed.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut stated = Vec::new();
        for (si, s) in self.stated.iter().enumerate() {
            let cells = s.table.all_cells();
            stated.extend(s.given().map(|i| {
                let unit = &s.fields[cells[i].field()].1;
                let given = match s.table.value(&cells[i]) {
                    CellRef::Given(n) => n,
                    CellRef::Derive(..) => f64::NAN,
                };
                // As a made Value gives it: to base units and back.
                (given * unit.factor() / unit.factor(), si as u32, i as u32)
            }));
        }
        stated.sort_by(|a, b| a.0.total_cmp(&b.0));
        ByNumber { computed, stated }
    }

    /// The check called `dataset.id`.
    pub fn check(&self, name: &str) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Resolves `name` as written inside `dataset` (and `row`, for derived
    /// cells): the same row's field, then the dataset's names, then global.
    fn candidates(name: &str, dataset: &str, row: Option<&str>, report: &Report) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = row
            && !name.contains('.')
        {
            out.push(format!("{dataset}.{r}.{name}"));
        }
        out.push(format!("{dataset}.{name}"));
        out.extend(Values::global(name, report));
        out
    }

    /// What a fully written name may mean: itself, or, for a one-field
    /// dataset, `dataset.row` short for that field.
    fn global(name: &str, report: &Report) -> Vec<String> {
        let short = name.split_once('.').and_then(|(ds, row)| {
            let d: &Dataset = report.datasets.iter().find(|d| d.id == ds)?;
            (d.fields.len() == 1 && !row.contains('.')).then(|| format!("{name}.{}", d.fields[0].key))
        });
        std::iter::once(name.to_string()).chain(short).collect()
    }

    fn lookup_in(
        &self,
        name: &str,
        dataset: &str,
        row: Option<&str>,
        report: &Report,
    ) -> Result<(String, &Value), String> {
        for c in Values::candidates(name, dataset, row, report) {
            if let Some(v) = self.get(&c) {
                return Ok((c, v));
            }
        }
        Err(self.unknown(name, report))
    }

    /// The fully qualified name a reference means, for values not yet computed too.
    pub fn qualify(&self, name: &str, report: &Report) -> Option<String> {
        Values::global(name, report).into_iter().find(|c| self.has(c))
    }

    /// The message for a name nobody declared, with the closest known name.
    pub fn unknown(&self, name: &str, report: &Report) -> String {
        let mut known: Vec<String> = self.values.keys().cloned().collect();
        for ds in &report.datasets {
            for d in &ds.derived {
                known.push(format!("{}.{}", ds.id, d.name));
            }
        }
        for s in &self.stated {
            if s.table.all_cells().len() <= MAX_HINT_CELLS {
                known.extend(s.given().map(|i| s.name(i)));
            } else if let Some(row) = name
                .strip_prefix(s.id.as_str())
                .and_then(|r| r.strip_prefix('.'))
                .map(|r| r.split('.').next().unwrap_or(r))
                .and_then(|r| s.table.row(r))
            {
                // A large table: the fields of the row named, not every cell.
                let first = s.table.first_cell(row);
                known.extend((first..first + s.table.cells(row).len()).map(|i| s.name(i)));
            }
        }
        match crate::text::closest(name, known.iter().map(String::as_str)) {
            Some(c) => format!("unknown value `{name}`; did you mean `{c}`?"),
            None => format!("unknown value `{name}`; names are `dataset.row.field` or `dataset.derived_name`"),
        }
    }

    /// The pending formulas in an order where each comes after everything it
    /// reads, found with an explicit stack (no recursion per dependency, so a
    /// chain of any length is fine). Unknown names and cycles become errors;
    /// formulas that read a failed one are left out silently (one error per cause).
    fn order(&self, pending: &BTreeMap<String, Pending>, report: &Report, errors: &mut Vec<Diagnostic>) -> Vec<String> {
        let mut mark: BTreeMap<&str, Mark> = BTreeMap::new();
        let mut out = Vec::new();
        for start in pending.keys() {
            if mark.contains_key(start.as_str()) {
                continue;
            }
            // Each frame: a name and the pending names it reads, with a cursor.
            let mut stack: Path = Vec::new();
            match self.deps(start, pending, report) {
                Ok(deps) => stack.push((start, deps, 0)),
                Err(e) => {
                    errors.extend(e);
                    mark.insert(start, Mark::Failed);
                    continue;
                }
            }
            mark.insert(start, Mark::Open);
            while let Some((name, deps, i)) = stack.last_mut() {
                let name: &str = name;
                if *i == deps.len() {
                    stack.pop();
                    mark.insert(name, Mark::Done);
                    out.push(name.to_string());
                    continue;
                }
                let dep = deps[*i];
                *i += 1;
                match mark.get(dep) {
                    Some(Mark::Done) => {}
                    Some(Mark::Failed) => fail(&mut stack, &mut mark),
                    Some(Mark::Open) => {
                        let at = stack.iter().position(|(n, _, _)| *n == dep).unwrap_or(0);
                        let mut chain: Vec<&str> = stack[at..].iter().map(|(n, _, _)| *n).collect();
                        chain.push(dep);
                        // A long cycle is named by its ends, so the message stays short.
                        if chain.len() > 12 {
                            let tail = chain.split_off(chain.len() - 3);
                            chain.truncate(6);
                            chain.push("…");
                            chain.extend(tail);
                        }
                        if let Some(p) = pending.get(dep) {
                            errors.push(
                                Diagnostic::error(
                                    p.loc.clone(),
                                    format!("`{dep}` depends on itself: {}", chain.join(" → ")),
                                )
                                .hint("break the cycle: one of these values must be stated, not derived"),
                            );
                        }
                        fail(&mut stack, &mut mark);
                    }
                    None => match self.deps(dep, pending, report) {
                        Ok(next) => {
                            mark.insert(dep, Mark::Open);
                            stack.push((dep, next, 0));
                        }
                        Err(e) => {
                            errors.extend(e);
                            mark.insert(dep, Mark::Failed);
                            fail(&mut stack, &mut mark);
                        }
                    },
                }
            }
        }
        out
    }

    /// The pending names `name`'s formula reads; `Err(Some(_))` for a name
    /// nobody declared, `Err(None)` when it reads a refused value.
    fn deps<'p>(
        &self,
        name: &str,
        pending: &'p BTreeMap<String, Pending>,
        report: &Report,
    ) -> Result<Vec<&'p str>, Option<Diagnostic>> {
        let Some(p) = pending.get(name) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for dep in p.expr.names() {
            let found = Values::candidates(dep, p.dataset, p.row, report)
                .into_iter()
                .find(|c| self.has(c) || pending.contains_key(c) || self.refused.contains(c));
            match found {
                Some(c) if self.refused.contains(&c) => return Err(None),
                Some(c) => {
                    if let Some((k, _)) = pending.get_key_value(&c) {
                        out.push(k.as_str());
                    }
                }
                None => {
                    return Err(Some(Diagnostic::error(p.loc.clone(), format!("in `{}`: {}", quoted(p.src), self.unknown(dep, report)))
                        .hint("check the spelling; names are `dataset.row.field`, `dataset.derived`, or a field of the same row")));
                }
            }
        }
        Ok(out)
    }

    /// Evaluates one formula whose dependencies are all computed.
    fn evaluate(&mut self, name: &str, p: Pending, report: &Report) -> Result<(), Diagnostic> {
        let mut lookup = |n: &str| self.lookup_in(n, p.dataset, p.row, report).map(|(_, v)| v.q.clone());
        let q = match p.expr.eval(&mut lookup) {
            Ok(Val::Q(q)) => q,
            Ok(Val::Bool(_)) => {
                return Err(
                    Diagnostic::error(p.loc, "a derived value must be a number, not a comparison")
                        .hint("move comparisons to `checks:`"),
                );
            }
            Err(m) => return Err(Diagnostic::error(p.loc, format!("in `{}`: {m}", quoted(p.src)))),
        };
        if let Err(m) = in_range(q.value) {
            return Err(Diagnostic::error(p.loc, format!("`{}` {m}", quoted(p.src))).hint(RANGE_HINT));
        }
        let unit = match p.unit {
            Some(u) if *u.dim() != q.dim => {
                return Err(Diagnostic::error(
                    p.loc,
                    format!(
                        "unit mismatch: `{}` gives {} but the unit `{}` measures {}",
                        quoted(p.src),
                        q.dim,
                        u,
                        u.dim()
                    ),
                )
                .hint("fix the formula or declare the unit it yields"));
            }
            Some(u) => u,
            None if q.dim.is_none() => Unit::parse("×").expect("× parses"),
            None => {
                return Err(
                    Diagnostic::error(p.loc, format!("`{name}` measures {}; declare its `unit:`", q.dim))
                        .hint("e.g. `unit: USD bn`"),
                );
            }
        };
        let digits = p
            .digits
            .unwrap_or_else(|| self.carried_digits(p.expr, p.dataset, p.row, &unit, report));
        let value = Value {
            q,
            unit,
            digits,
            dataset: p.dataset.to_string(),
            formula: Some(p.src.to_string()),
            loc: p.loc,
            note: p.note,
        };
        self.values.insert(name.to_string(), value);
        Ok(())
    }
}

impl Values {
    /// The digits of a derived value that sets none: the most digits among
    /// the values its formula reads in the same unit (a remainder of shares
    /// shown to one decimal is shown to one decimal too), else the unit's
    /// default. Values in other units say nothing about this one's precision.
    fn carried_digits(&self, expr: &Expr, dataset: &str, row: Option<&str>, unit: &Unit, report: &Report) -> usize {
        expr.names()
            .into_iter()
            .filter_map(|n| self.lookup_in(n, dataset, row, report).ok())
            .filter(|(_, v)| v.unit.dim() == unit.dim() && v.unit.factor() == unit.factor())
            .map(|(_, v)| v.digits)
            .max()
            .unwrap_or_else(|| unit.default_digits())
    }
}

/// At most this many out-of-range stated values are reported one by one
/// for a dataset; a column in the wrong unit could otherwise give a
/// million messages.
const MAX_REFUSED: usize = 50;

/// Above this many cells a table's names are not all offered as "did you
/// mean" candidates: only the cells of the row the unknown name gives.
const MAX_HINT_CELLS: usize = 100_000;

/// Where a pending formula stands in [`Values::order`].
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    /// On the current path.
    Open,
    /// Placed in the order.
    Done,
    /// Has an error, or reads one that has.
    Failed,
}

/// A path of the depth-first walk: each name with the pending names it reads
/// and how many of them were visited.
type Path<'a> = Vec<(&'a str, Vec<&'a str>, usize)>;

/// Marks every name on the path as failed and ends the path: each reads the
/// next, so all of them read a formula whose error is already reported.
fn fail<'a>(stack: &mut Path<'a>, mark: &mut BTreeMap<&'a str, Mark>) {
    for (n, _, _) in stack.drain(..) {
        mark.insert(n, Mark::Failed);
    }
}

/// A formula as quoted in a message: whole when short, else its start, so a
/// message stays one readable line whatever the formula's length.
fn quoted(src: &str) -> String {
    const MAX: usize = 80;
    match src.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &src[..i]),
        None => src.to_string(),
    }
}

/// The largest magnitude a value may have, in base units (a quadrillion:
/// more than any economy, population or power figure a report states). Past
/// it, numbers print as nonsense such as "USD inf trillion", so they are refused.
pub const MAX_MAGNITUDE: f64 = 1e15;

const RANGE_HINT: &str = "check the number and its unit: values must be finite and below 10^15 in base units";

/// Whether `v` can be shown: finite and below [`MAX_MAGNITUDE`].
fn in_range(v: f64) -> Result<(), String> {
    if !v.is_finite() {
        Err("is not a finite number (values must stay below 1e15 in base units)".into())
    } else if v.abs() >= MAX_MAGNITUDE {
        Err(format!("is {v:e} in base units, beyond the limit of 1e15"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellValue, Citation, Derived, Field, Meta, Rows};

    /// A table of the one row `us` with `usd` stated as `usd`.
    fn table(usd: f64) -> Arc<Table> {
        let mut t = Table::with_capacity(1, 1);
        t.push(
            0,
            CellValue::Given(usd),
            Text::default(),
            crate::model::Pos { line: 6, col: 5 },
        );
        t.end_row("us");
        assert!(t.index_rows().is_empty(), "one key");
        Arc::new(t)
    }

    /// A report with one dataset: row `us` with `usd: 150` (USD bn), and `derived`.
    fn report(derived: Vec<(String, String)>) -> Report {
        let unit = Unit::parse("USD bn").expect("unit");
        let derived = derived
            .into_iter()
            .enumerate()
            .map(|(i, (name, src))| Derived {
                name,
                expr: crate::expr::parse(&src).expect("formula parses"),
                expr_src: src,
                unit: Some(unit.clone()),
                digits: None,
                label: Text::default(),
                loc: Loc::new("content/data/d.yaml", i + 10, 3),
            })
            .collect();
        Report {
            meta: Meta {
                title: Text::plain("T"),
                subtitle: Text::default(),
                authors: Vec::new(),
                date: String::new(),
                languages: vec![crate::text::Lang::EN],
                palette: Vec::new(),
                sources: Vec::new(),
                html: Default::default(),
                site: false,
                base_url: String::new(),
            },
            warnings: Vec::new(),
            outline: None,
            sections: Vec::new(),
            datasets: vec![Dataset {
                id: "d".into(),
                file: "content/data/d.yaml".into(),
                title: Text::plain("D"),
                scope: Text::default(),
                source: Citation {
                    cites: Vec::new(),
                    note: Text::default(),
                },
                fields: vec![Field {
                    kind: crate::model::FieldKind::Number,
                    key: "usd".into(),
                    label: Text::plain("USD"),
                    unit: unit.clone(),
                    digits: None,
                    loc: Loc::new("content/data/d.yaml", 3, 3),
                }],
                rows: {
                    let mut rows = Rows::default();
                    rows.end_row(crate::model::Pos { line: 5, col: 3 }, Some(Text::plain("US")));
                    rows
                },
                table: table(150.0),
                derived,
                checks: Vec::new(),
            }],
        }
    }

    /// `c0 = us.usd`, `c{i} = c{i-1} + 0`: each link reads the previous one.
    fn chain(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| {
                let src = if i == 0 {
                    "us.usd".to_string()
                } else {
                    format!("c{} + 0", i - 1)
                };
                (format!("c{i}"), src)
            })
            .collect()
    }

    /// Values made on demand sit behind `OnceLock`s, so the whole may still
    /// be shared by threads (editions and pages render in parallel).
    #[test]
    fn values_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Values>();
    }

    #[test]
    fn a_stated_cell_is_made_once_and_found_by_name() {
        let v = Values::compute(&report(Vec::new())).expect("computes");
        let first = v.get("d.us.usd").expect("the stated cell") as *const Value;
        assert_eq!(
            v.get("d.us.usd").map(|x| x as *const Value),
            Some(first),
            "made once, then lent"
        );
        assert_eq!(
            v.get("d.us.usd").map(|x| (x.q.value, x.loc.line, x.loc.col)),
            Some((150e9, 6, 5))
        );
        assert!(v.get("d.uk.usd").is_none() && v.get("d.us.rmb").is_none() && v.get("e.us.usd").is_none());
        assert_eq!(v.shown_as(150.0).as_deref(), Some("d.us.usd"));
        assert_eq!(v.shown_as(151.0), None);
    }

    #[test]
    fn a_long_chain_is_ordered_without_recursion() {
        // Deep enough to overflow any recursive resolver's stack.
        let r = report(chain(30_000));
        let v = Values::compute(&r).expect("the chain computes");
        assert_eq!(v.get("d.c29999").map(|x| x.q.value), Some(150e9));
    }

    #[test]
    fn ordering_scales_n_log_n() {
        let (small, large) = (report(chain(1_000)), report(chain(10_000)));
        let ratio = crate::scaling::time_ratio(
            || {
                Values::compute(&small).expect("computes");
            },
            || {
                Values::compute(&large).expect("computes");
            },
        );
        assert!(ratio < 20.0, "10× the values took {ratio:.1}× the time");
    }

    #[test]
    fn a_long_cycle_is_one_error_at_its_start() {
        let n = 10_000;
        let cycle = (0..n)
            .map(|i| (format!("c{i}"), format!("c{} * 2", (i + 1) % n)))
            .collect();
        let errors = Values::compute(&report(cycle)).expect_err("a cycle");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0]
                .message
                .starts_with("`d.c0` depends on itself: d.c0 → d.c1 → ")
        );
        assert_eq!(errors[0].loc.line, 10);
        assert!(errors[0].message.chars().count() < 2_000 * 20, "bounded message");
    }

    #[test]
    fn out_of_range_and_dependent_values_give_one_error() {
        let mut r = report(vec![
            ("big".into(), "us.usd * 1000000".into()),
            ("uses".into(), "big + 0".into()),
        ]);
        let errors = Values::compute(&r).expect_err("too large");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].loc.line, 10);
        assert!(errors[0].message.contains("1e15"), "{}", errors[0].message);
        r.datasets[0].table = table(1e300);
        let errors = Values::compute(&r).expect_err("infinite");
        assert_eq!(errors.len(), 1, "the stated value, not its dependents: {errors:?}");
        assert_eq!(errors[0].loc.line, 6);
    }
}
