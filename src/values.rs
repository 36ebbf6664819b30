//! Every value the report can name, stated or derived, evaluated once.
//!
//! Names are `dataset.row.field`, `dataset.derived` and, for one-field
//! datasets, `dataset.row`. Derived cells and values are evaluated on demand
//! in dependency order; a cycle, an unknown name or a unit mismatch is an
//! error at the line that declares the formula.

use crate::diag::{Diagnostic, Loc};
use crate::expr::{Expr, Val};
use crate::model::{CellValue, Dataset, Report};
use crate::text::Text;
use crate::units::{Quantity, Unit};
use std::collections::BTreeMap;

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
#[derive(Debug, Default)]
pub struct Values {
    values: BTreeMap<String, Value>,
    /// Checks in declaration order.
    pub checks: Vec<CheckResult>,
}

/// A formula waiting to be evaluated.
struct Pending<'a> {
    expr: &'a Expr,
    src: &'a str,
    dataset: &'a str,
    row: Option<&'a str>,
    unit: Option<Unit>,
    digits: usize,
    loc: Loc,
    note: Text,
}

impl Values {
    /// Evaluates every value and check of `report`.
    pub fn compute(report: &Report) -> Result<Values, Vec<Diagnostic>> {
        let mut v = Values::default();
        let mut pending: BTreeMap<String, Pending> = BTreeMap::new();
        for ds in &report.datasets {
            for row in &ds.rows {
                for cell in &row.cells {
                    let field = &ds.fields[cell.field];
                    let name = format!("{}.{}.{}", ds.id, row.key, field.key);
                    let digits = field.digits.unwrap_or(field.unit.default_digits());
                    match &cell.value {
                        CellValue::Given(n) => {
                            v.values.insert(
                                name,
                                Value {
                                    q: field.unit.quantity(*n),
                                    unit: field.unit.clone(),
                                    digits,
                                    dataset: ds.id.clone(),
                                    formula: None,
                                    loc: ds.loc(cell.at),
                                    note: cell.note.clone(),
                                },
                            );
                        }
                        CellValue::Derive(expr, src) => {
                            pending.insert(
                                name,
                                Pending {
                                    expr,
                                    src,
                                    dataset: &ds.id,
                                    row: Some(&row.key),
                                    unit: Some(field.unit.clone()),
                                    digits,
                                    loc: ds.loc(cell.at),
                                    note: cell.note.clone(),
                                },
                            );
                        }
                    }
                }
            }
            for d in &ds.derived {
                let unit = d.unit.clone();
                let digits = d.digits.or(unit.as_ref().map(Unit::default_digits)).unwrap_or(1);
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
        let names: Vec<String> = pending.keys().cloned().collect();
        let mut errors = Vec::new();
        for name in names {
            let mut stack = Vec::new();
            if let Err(e) = v.resolve(&name, &mut pending, &mut stack, report)
                && !errors.contains(&e)
            {
                errors.push(e);
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
                                .format(val.q.value, val.digits + 2, crate::text::Lang::En)
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

    /// The value called `name` (fully qualified).
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Every name, sorted; for "did you mean" hints.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// Every named value, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
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
            if let Some(v) = self.values.get(&c) {
                return Ok((c, v));
            }
        }
        Err(self.unknown(name, report))
    }

    /// The fully qualified name a reference means, for values not yet computed too.
    pub fn qualify(&self, name: &str, report: &Report) -> Option<String> {
        Values::global(name, report)
            .into_iter()
            .find(|c| self.values.contains_key(c))
    }

    /// The message for a name nobody declared, with the closest known name.
    pub fn unknown(&self, name: &str, report: &Report) -> String {
        let mut known: Vec<String> = self.values.keys().cloned().collect();
        for ds in &report.datasets {
            for d in &ds.derived {
                known.push(format!("{}.{}", ds.id, d.name));
            }
        }
        match crate::text::closest(name, known.iter().map(String::as_str)) {
            Some(c) => format!("unknown value `{name}`; did you mean `{c}`?"),
            None => format!("unknown value `{name}`; names are `dataset.row.field` or `dataset.derived_name`"),
        }
    }

    fn resolve(
        &mut self,
        name: &str,
        pending: &mut BTreeMap<String, Pending>,
        stack: &mut Vec<String>,
        report: &Report,
    ) -> Result<(), Diagnostic> {
        if self.values.contains_key(name) {
            return Ok(());
        }
        let Some(p) = pending.get(name) else { return Ok(()) };
        if stack.iter().any(|s| s == name) {
            let mut chain = stack.clone();
            chain.push(name.to_string());
            let at = chain.iter().position(|s| s == name).unwrap_or(0);
            return Err(Diagnostic::error(
                p.loc.clone(),
                format!("`{name}` depends on itself: {}", chain[at..].join(" → ")),
            )
            .hint("break the cycle: one of these values must be stated, not derived"));
        }
        stack.push(name.to_string());
        let (expr, dataset, row, loc) = (p.expr, p.dataset, p.row, p.loc.clone());
        // Resolve dependencies first so the evaluation below finds them all.
        for dep in expr.names() {
            let found = Values::candidates(dep, dataset, row, report)
                .into_iter()
                .find(|c| self.values.contains_key(c) || pending.contains_key(c));
            match found {
                Some(c) => self.resolve(&c, pending, stack, report)?,
                None => {
                    return Err(Diagnostic::error(loc, format!("in `{}`: {}", p_src(pending, name), self.unknown(dep, report)))
                        .hint("check the spelling; names are `dataset.row.field`, `dataset.derived`, or a field of the same row"));
                }
            }
        }
        stack.pop();
        let p = pending.remove(name).expect("pending value present");
        let mut lookup = |n: &str| self.lookup_in(n, p.dataset, p.row, report).map(|(_, v)| v.q.clone());
        let q = match p.expr.eval(&mut lookup) {
            Ok(Val::Q(q)) => q,
            Ok(Val::Bool(_)) => {
                return Err(
                    Diagnostic::error(p.loc, "a derived value must be a number, not a comparison")
                        .hint("move comparisons to `checks:`"),
                );
            }
            Err(m) => return Err(Diagnostic::error(p.loc, format!("in `{}`: {m}", p.src))),
        };
        if !q.value.is_finite() {
            return Err(Diagnostic::error(p.loc, format!("`{}` is not a finite number", p.src)));
        }
        let unit = match p.unit {
            Some(u) if *u.dim() != q.dim => {
                return Err(Diagnostic::error(
                    p.loc,
                    format!(
                        "unit mismatch: `{}` gives {} but the unit `{}` measures {}",
                        p.src,
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
        let value = Value {
            q,
            unit,
            digits: p.digits,
            dataset: p.dataset.to_string(),
            formula: Some(p.src.to_string()),
            loc: p.loc,
            note: p.note,
        };
        self.values.insert(name.to_string(), value);
        Ok(())
    }
}

fn p_src(pending: &BTreeMap<String, Pending>, name: &str) -> String {
    pending.get(name).map(|p| p.src.to_string()).unwrap_or_default()
}
