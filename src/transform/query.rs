//! What a chart block shows of its dataset: the rows `filter:` keeps, the
//! groups `group:` makes of them and the `aggregate:` of each series per
//! group, plus the `x:` position of each row or group. One pass over the
//! rows and a hash lookup per row, so a million-row CSV of daily records
//! charts as monthly means without a script that pre-aggregates it.
//!
//! Cells are read through [`number`] and [`datum`] only: they are the one
//! place that knows how a dataset stores its cells.

use crate::chart::{Category, XAxis};
use crate::diag::Diagnostic;
use crate::epoch::days_from_civil;
use crate::model::{CellRef, Dataset, Date, Datum, FieldKind};
use crate::text::{Lang, closest, suggest};
use crate::values::Values;
use crate::yaml::Node;
use std::collections::HashMap;

/// A number cell as a block reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Num {
    /// The value in base units (1 USD, not 1 bn USD).
    pub value: f64,
    /// Whether quire computed it rather than the source stating it.
    pub derived: bool,
    /// The digits it shows in prose.
    pub digits: usize,
}

/// The number in field `f` of row `r`, if the row has one. A stated cell is
/// read straight from the row (a values lookup by name per cell would cost
/// a string and a map search each, too slow for a million rows); a computed
/// cell comes from `values`.
pub(super) fn number(values: &Values, ds: &Dataset, r: usize, f: usize) -> Option<Num> {
    tick();
    let cell = ds.cells(r).iter().find(|c| c.field() == f)?;
    let field = &ds.fields[f];
    match ds.table.value(cell) {
        CellRef::Given(n) => Some(Num {
            value: n * field.unit.factor(),
            derived: false,
            digits: field.digits.unwrap_or(field.unit.default_digits()),
        }),
        CellRef::Derive(..) => value(values, ds, r, f).map(|v| Num {
            value: v.q.value,
            derived: v.formula.is_some(),
            digits: v.digits,
        }),
    }
}

/// The value of field `f` of row `r` as prose binds it (with its
/// qualifier and formula), for tables that show them.
pub(super) fn value<'v>(values: &'v Values, ds: &Dataset, r: usize, f: usize) -> Option<&'v crate::values::Value> {
    tick();
    values.get(&format!("{}.{}.{}", ds.id, ds.key(r), ds.fields[f].key))
}

/// The text or date in field `f` of row `r`, if the row has one.
pub(super) fn datum(ds: &Dataset, r: usize, f: usize) -> Option<Datum<'_>> {
    tick();
    ds.datum(r, f)
}

#[cfg(test)]
thread_local! {
    /// Cells read, so a test can prove the work is linear in rows.
    static READS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn tick() {
    READS.with(|c| c.set(c.get() + 1));
}

#[cfg(not(test))]
fn tick() {}

/// How the values of a series combine within a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Agg {
    /// Their total.
    Sum,
    /// Their arithmetic mean.
    Mean,
    /// How many rows have a value (any kind of field).
    Count,
    /// The smallest.
    Min,
    /// The largest.
    Max,
}

const AGGS: [&str; 5] = ["sum", "mean", "count", "min", "max"];

impl Agg {
    fn parse(n: &Node) -> Result<Agg, Diagnostic> {
        let s = n.str()?;
        Ok(match s.as_str() {
            "sum" => Agg::Sum,
            "mean" => Agg::Mean,
            "count" => Agg::Count,
            "min" => Agg::Min,
            "max" => Agg::Max,
            other => {
                let hint = match other {
                    "avg" | "average" => "did you mean `mean`?".to_string(),
                    _ => suggest(other, AGGS, "use one of"),
                };
                return Err(Diagnostic::error(n.value_loc(), format!("unknown aggregate `{other}`")).hint(hint));
            }
        })
    }

    /// The word after a series label ("Rain, total"), in the edition's
    /// language; English where quire has no word for it.
    fn word(self, lang: Lang) -> &'static str {
        let zh = lang == Lang::ZH;
        match self {
            Agg::Sum if zh => "合计",
            Agg::Sum => "total",
            Agg::Mean if zh => "平均",
            Agg::Mean => "mean",
            Agg::Count if zh => "计数",
            Agg::Count => "count",
            Agg::Min if zh => "最小值",
            Agg::Min => "minimum",
            Agg::Max if zh => "最大值",
            Agg::Max => "maximum",
        }
    }
}

/// How dates are put together into one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Every {
    /// As written (a day, a month or a year).
    Written,
    Month,
    Year,
}

/// One `filter:` entry.
enum Test<'n> {
    /// The text is one of these (each with its node, for "matches no row").
    Text(Vec<(String, Node<'n>)>),
    /// The number (base units) or the date (days) lies in `lo..=hi`.
    Range(f64, f64),
}

struct Filter<'n> {
    col: Col,
    test: Test<'n>,
}

/// A column a query reads: a field, or the row key (when no field is
/// called `key`), read as dates or numbers when every key is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Field(usize),
    Key(FieldKind),
}

impl Col {
    fn kind(self, ds: &Dataset) -> FieldKind {
        match self {
            Col::Field(f) => ds.fields[f].kind,
            Col::Key(k) => k,
        }
    }

    fn name(self, ds: &Dataset) -> &str {
        match self {
            Col::Field(f) => &ds.fields[f].key,
            Col::Key(_) => "key",
        }
    }

    /// From base units to the unit the column is written in.
    fn factor(self, ds: &Dataset) -> f64 {
        match self {
            Col::Field(f) => ds.fields[f].unit.factor(),
            Col::Key(_) => 1.0,
        }
    }
}

/// One cell of a [`Col`].
enum Val<'a> {
    /// In base units.
    Num(f64),
    Date(Date),
    Text(&'a str),
}

/// Reads column `c` of row `r`.
fn read<'a>(values: &Values, ds: &'a Dataset, r: usize, c: Col) -> Option<Val<'a>> {
    match c {
        Col::Field(f) if ds.fields[f].kind == FieldKind::Number => number(values, ds, r, f).map(|n| Val::Num(n.value)),
        Col::Field(f) => match datum(ds, r, f)? {
            Datum::Text(t) => Some(Val::Text(t)),
            Datum::Date(d) => Some(Val::Date(d)),
        },
        Col::Key(kind) => {
            let key = ds.key(r);
            match kind {
                FieldKind::Date => parse_date(key).map(Val::Date),
                FieldKind::Number => key.parse().ok().map(Val::Num),
                FieldKind::Text => Some(Val::Text(key)),
            }
        }
    }
}

/// The column called `name`: a field, or `key` for the row key.
fn find_col(ds: &Dataset, name: &str, n: &Node) -> Result<Col, Diagnostic> {
    if name == "key" && !ds.fields.iter().any(|f| f.key == "key") {
        let mut keys = (0..ds.rows.len()).map(|r| ds.key(r));
        let kind = if keys.clone().all(|k| parse_date(k).is_some()) {
            FieldKind::Date
        } else if keys.all(|k| k.parse::<f64>().is_ok_and(f64::is_finite)) {
            FieldKind::Number
        } else {
            FieldKind::Text
        };
        return Ok(Col::Key(kind));
    }
    find_field(ds, name, n).map(Col::Field)
}

/// A parsed `filter:` / `group:` / `aggregate:` / `x:` of one block.
pub(super) struct Query<'n> {
    filters: Vec<Filter<'n>>,
    filter_node: Option<Node<'n>>,
    group: Option<(Col, Every, Node<'n>)>,
    /// Per series, when grouping.
    aggs: Vec<Agg>,
    x: Option<(Col, Node<'n>)>,
}

/// Rows or groups with a value per series, ready for a chart.
#[derive(Debug, Default)]
pub(super) struct Frame {
    /// One per row or group, in order.
    pub categories: Vec<Category>,
    /// Per series, one value per category.
    pub columns: Vec<Vec<Option<Num>>>,
    /// Positions along a continuous x axis, one per category.
    pub x: Option<XAxis>,
    /// The x axis title: the field's label and unit.
    pub x_label: String,
}

impl Frame {
    /// Keeps categories `order` (indices), in that order.
    pub(super) fn permute(&mut self, order: &[usize]) {
        let take = |v: &mut Vec<Option<Num>>| *v = order.iter().map(|&i| v[i]).collect();
        self.columns.iter_mut().for_each(take);
        self.categories = order.iter().map(|&i| self.categories[i].clone()).collect();
        self.x = match self.x.take() {
            Some(XAxis::Date(d)) => Some(XAxis::Date(order.iter().map(|&i| d[i]).collect())),
            Some(XAxis::Number(d)) => Some(XAxis::Number(order.iter().map(|&i| d[i]).collect())),
            None => None,
        };
    }

    /// The categories that have an x position, in increasing x (ties keep
    /// their order); `None` without an x axis.
    pub(super) fn x_order(&self) -> Option<Vec<usize>> {
        let x = self.x.as_ref()?;
        let mut order: Vec<usize> = match x {
            XAxis::Date(d) => (0..d.len()).filter(|&i| d[i] != i64::MIN).collect(),
            XAxis::Number(d) => (0..d.len()).filter(|&i| d[i].is_finite()).collect(),
        };
        match x {
            XAxis::Date(d) => order.sort_by_key(|&i| d[i]),
            XAxis::Number(d) => order.sort_by(|&a, &b| d[a].total_cmp(&d[b])),
        }
        Some(order)
    }

    /// The first two neighbouring categories sharing an x position, with
    /// that position as a reader writes it.
    pub(super) fn shared_x(&self) -> Option<(usize, usize, String)> {
        let i = match self.x.as_ref()? {
            XAxis::Date(d) => d.windows(2).position(|w| w[0] == w[1])?,
            XAxis::Number(d) => d.windows(2).position(|w| w[0] == w[1])?,
        };
        let shown = match self.x.as_ref()? {
            XAxis::Date(d) => {
                let (y, m, day) = crate::epoch::civil_from_days(d[i]);
                format!("{y:04}-{m:02}-{day:02}")
            }
            XAxis::Number(d) => format!("{}", d[i]),
        };
        Some((i, i + 1, shown))
    }
}

/// The keys a chart block may use for its query.
pub(super) const KEYS: [&str; 5] = ["filter", "group", "aggregate", "x", "facet"];

/// The order of a facet's panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PanelOrder {
    /// As the values first appear in the data.
    Data,
    /// Alphabetical.
    Asc,
    /// Reverse alphabetical.
    Desc,
}

/// A parsed `facet:`: small multiples, one panel per value of a text
/// column, written `facet: origin` or `facet: {by: origin, sort: asc}`.
pub(super) struct Facet<'n> {
    col: Col,
    order: PanelOrder,
    node: Node<'n>,
}

impl<'n> Facet<'n> {
    /// Reads `facet:` of `root`, checked against the dataset and the
    /// block's `group:`; `None` when the block has none.
    pub(super) fn parse(root: &Node<'n>, ds: &Dataset, query: &Query) -> Result<Option<Facet<'n>>, Diagnostic> {
        let Some(f) = root.get("facet") else {
            return Ok(None);
        };
        let (by, sort) = if f.is_map() {
            f.only_keys(&["by", "sort"])?;
            (
                f.req("by", "the text field whose values make the panels")?,
                f.get("sort"),
            )
        } else {
            (f.clone(), None)
        };
        let name = by.str()?;
        // Errors point at the field's name, also when written `facet: name`.
        let col = find_col(ds, &name, &by).map_err(|mut d| {
            d.loc = by.value_loc();
            d
        })?;
        let kind = col.kind(ds);
        if kind != FieldKind::Text {
            let texts: Vec<&str> = ds
                .fields
                .iter()
                .filter(|f| f.kind == FieldKind::Text)
                .map(|f| f.key.as_str())
                .collect();
            let hint = if texts.is_empty() {
                format!(
                    "`{}` has no text field to facet by; use `group: {name}` for a category per value",
                    ds.id
                )
            } else {
                format!(
                    "facet by a text field ({}), or use `group: {name}` for a category per value",
                    texts.join(", ")
                )
            };
            return Err(Diagnostic::error(
                by.value_loc(),
                format!(
                    "`facet: {name}` needs a text field, but `{name}` holds {}s",
                    kind.as_str()
                ),
            )
            .hint(hint));
        }
        if let Some((g, _, gn)) = &query.group
            && *g == col
        {
            return Err(Diagnostic::error(
                by.value_loc(),
                format!(
                    "`facet: {name}` and `group: {name}` split by the same field, so each panel would hold one bar"
                ),
            )
            .hint(format!(
                "group by another field (`group:` is at line {}), or drop `facet:` to compare the values in one chart",
                gn.loc().line
            )));
        }
        let order = match sort {
            None => PanelOrder::Data,
            Some(s) => match s.str()?.as_str() {
                "none" => PanelOrder::Data,
                "asc" => PanelOrder::Asc,
                "desc" => PanelOrder::Desc,
                other => {
                    let all = "none (data order), asc or desc";
                    let hint = closest(other, ["none", "asc", "desc"])
                        .map_or(format!("use {all}"), |c| format!("did you mean `{c}`? use {all}"));
                    return Err(Diagnostic::error(s.value_loc(), format!("unknown panel order `{other}`")).hint(hint));
                }
            },
        };
        Ok(Some(Facet { col, order, node: by }))
    }

    /// The node naming the field, for errors about the panels.
    pub(super) fn node(&self) -> &Node<'n> {
        &self.node
    }

    /// `rows` split by the facet value, as (value, rows) in panel order;
    /// a row without a value belongs to no panel. One pass and a hash
    /// lookup per row.
    pub(super) fn split(&self, values: &Values, ds: &Dataset, rows: &[usize]) -> Vec<(String, Vec<usize>)> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut out: Vec<(String, Vec<usize>)> = Vec::new();
        for &r in rows {
            let Some(Val::Text(t)) = read(values, ds, r, self.col) else {
                continue;
            };
            let id = *ids.entry(t).or_insert_with(|| {
                out.push((t.to_string(), Vec::new()));
                out.len() - 1
            });
            out[id].1.push(r);
        }
        match self.order {
            PanelOrder::Asc => out.sort_by(|a, b| a.0.cmp(&b.0)),
            PanelOrder::Desc => out.sort_by(|a, b| b.0.cmp(&a.0)),
            PanelOrder::Data => {}
        }
        out
    }
}

impl<'n> Query<'n> {
    /// Reads `filter`, `group`, `aggregate` and `x` of `root` for the
    /// `series` fields (each with the node naming it) of `ds`.
    pub(super) fn parse(root: &Node<'n>, ds: &Dataset, series: &[(usize, Node<'n>)]) -> Result<Query<'n>, Diagnostic> {
        let mut filters = Vec::new();
        if let Some(f) = root.get("filter") {
            if !f.is_map() {
                return Err(f
                    .error("`filter` should map fields to the values to keep")
                    .hint("e.g. `filter: {weather: sun}` or `filter: {date: {from: 2013, to: 2014}}`"));
            }
            for (key, n) in f.entries()? {
                let col = find_col(ds, &key, &n)?;
                filters.push(Filter {
                    col,
                    test: test(ds, col, &n)?,
                });
            }
        }
        let group = match root.get("group") {
            None => None,
            Some(g) => Some(parse_group(ds, g)?),
        };
        let agg_node = root.get("aggregate");
        let aggs = match (&group, &agg_node) {
            (None, Some(a)) => {
                return Err(a
                    .error("`aggregate` needs `group`")
                    .hint("add `group: <field>` to say which rows combine into one category"));
            }
            (None, None) => Vec::new(),
            (Some(_), None) => vec![Agg::Sum; series.len()],
            (Some(_), Some(a)) if a.is_map() => {
                let mut aggs = vec![Agg::Sum; series.len()];
                for (key, n) in a.entries()? {
                    let Some(i) = series.iter().position(|(f, _)| ds.fields[*f].key == key) else {
                        let names = series.iter().map(|(f, _)| ds.fields[*f].key.as_str());
                        return Err(n.error(format!("`{key}` is not a series of this chart")).hint(suggest(
                            &key,
                            names,
                            "the series are",
                        )));
                    };
                    aggs[i] = Agg::parse(&n)?;
                }
                aggs
            }
            (Some(_), Some(a)) => vec![Agg::parse(a)?; series.len()],
        };
        for (i, (f, n)) in series.iter().enumerate() {
            let field = &ds.fields[*f];
            if field.kind != FieldKind::Number && aggs.get(i) != Some(&Agg::Count) {
                let hint = if group.is_some() {
                    "count its rows with `aggregate: count`, or plot a number field".to_string()
                } else {
                    format!(
                        "plot a number field, or count rows per group: `group: <field>` and `aggregate: count` (`{}` holds {}s)",
                        field.key,
                        field.kind.as_str()
                    )
                };
                return Err(n
                    .error(format!(
                        "`{}` is a {} field; only number fields have values to plot or sum",
                        field.key,
                        field.kind.as_str()
                    ))
                    .hint(hint));
            }
        }
        let x = match root.get("x") {
            None => None,
            Some(n) => {
                let name = n.str()?;
                let src = find_col(ds, &name, &n)?;
                if src.kind(ds) == FieldKind::Text {
                    let what = match src {
                        Col::Key(_) => match (0..ds.rows.len())
                            .find(|&r| parse_date(ds.key(r)).is_none() && ds.key(r).parse::<f64>().is_err())
                        {
                            Some(r) => format!(
                                "the row key `{}` ({}) is not a year, a date or a number",
                                ds.key(r),
                                ds.loc(ds.rows.at(r))
                            ),
                            None => "the row keys are not all years, dates or numbers".to_string(),
                        },
                        Col::Field(_) => format!("`{name}` is a text field"),
                    };
                    return Err(Diagnostic::error(n.value_loc(), format!("{what}; an x axis needs numbers or dates"))
                        .hint(format!(
                            "name a number or date field, or drop `x:` and use `group: {name}` for a category per value"
                        )));
                }
                if let Some((g, _, gn)) = &group
                    && *g != src
                {
                    return Err(Diagnostic::error(
                        n.value_loc(),
                        format!("`x: {name}` must be the grouped column, `{}`", g.name(ds)),
                    )
                    .hint(format!(
                        "drop `x:`: groups of dates or numbers sit on an x axis by themselves (`group:` is at line {})",
                        gn.loc().line
                    )));
                }
                Some((src, n))
            }
        };
        Ok(Query {
            filters,
            filter_node: root.get("filter"),
            group,
            aggs,
            x,
        })
    }

    /// Whether the block groups rows.
    pub(super) fn groups(&self) -> bool {
        self.group.is_some()
    }

    /// The `group:` node, for errors about grouping.
    pub(super) fn group_node(&self) -> Option<&Node<'n>> {
        self.group.as_ref().map(|(_, _, n)| n)
    }

    /// The `x:` node, when the block names one.
    pub(super) fn x_node(&self) -> Option<&Node<'n>> {
        self.x.as_ref().map(|(_, n)| n)
    }

    /// Whether rows sit along a continuous x axis: `x:` is given, or rows
    /// are grouped by a date or number field.
    pub(super) fn continuous(&self, ds: &Dataset) -> bool {
        self.x.is_some()
            || self
                .group
                .as_ref()
                .is_some_and(|(g, _, _)| g.kind(ds) != FieldKind::Text)
    }

    /// The aggregate of series `i`, when grouping.
    pub(super) fn agg(&self, i: usize) -> Option<Agg> {
        self.aggs.get(i).copied()
    }

    /// The series label: the field's, with the aggregate when grouping.
    pub(super) fn series_label(&self, ds: &Dataset, i: usize, f: usize, lang: Lang) -> String {
        let label = ds.fields[f].label.get(lang);
        match self.agg(i) {
            None => label.to_string(),
            Some(a) if lang == Lang::ZH => format!("{label}（{}）", a.word(lang)),
            Some(a) => format!("{label}, {}", a.word(lang)),
        }
    }

    /// Applies the query to `rows` of `ds` for the `series` fields.
    /// `want_x` asks for x positions (line, area and scatter charts).
    pub(super) fn run(
        &self,
        values: &Values,
        ds: &Dataset,
        rows: &[usize],
        series: &[usize],
        want_x: bool,
        lang: Lang,
    ) -> Result<Frame, Diagnostic> {
        let kept = self.keep(values, ds, rows)?;
        Ok(self.frame(values, ds, &kept, series, want_x, lang))
    }

    /// The rows of `rows` that pass `filter:`; an error when a filter
    /// value matches no row, or no row passes.
    pub(super) fn keep(&self, values: &Values, ds: &Dataset, rows: &[usize]) -> Result<Vec<usize>, Diagnostic> {
        let mut hits: Vec<Vec<bool>> = self
            .filters
            .iter()
            .map(|f| match &f.test {
                Test::Text(v) => vec![false; v.len()],
                Test::Range(..) => Vec::new(),
            })
            .collect();
        let kept: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&r| {
                self.filters
                    .iter()
                    .zip(&mut hits)
                    .all(|(f, h)| keeps(values, ds, r, f, h))
            })
            .collect();
        for (f, h) in self.filters.iter().zip(&hits) {
            if let Test::Text(want) = &f.test {
                for ((text, n), hit) in want.iter().zip(h) {
                    if !hit {
                        return Err(no_match(values, ds, rows, f.col, text, n));
                    }
                }
            }
        }
        if kept.is_empty()
            && let Some(n) = &self.filter_node
        {
            return Err(n
                .error("no row passes this filter")
                .hint("widen the filter: each entry must hold for a row to be kept"));
        }
        Ok(kept)
    }

    /// Groups (or takes) the `kept` rows into categories with a value per
    /// series; `want_x` asks for x positions.
    pub(super) fn frame(
        &self,
        values: &Values,
        ds: &Dataset,
        kept: &[usize],
        series: &[usize],
        want_x: bool,
        lang: Lang,
    ) -> Frame {
        let mut frame = match &self.group {
            Some((g, every, _)) => self.grouped(values, ds, kept, series, *g, *every, lang),
            None => Frame {
                categories: kept
                    .iter()
                    .map(|&r| Category {
                        key: ds.key(r).to_string(),
                        label: ds.label(r, lang).to_string(),
                    })
                    .collect(),
                columns: series
                    .iter()
                    .map(|&f| kept.iter().map(|&r| number(values, ds, r, f)).collect())
                    .collect(),
                x: None,
                x_label: String::new(),
            },
        };
        if want_x
            && self.group.is_none()
            && let Some((src, _)) = &self.x
        {
            let (x, label) = row_positions(values, ds, kept, *src, lang);
            frame.x = Some(x);
            frame.x_label = label;
        }
        if !want_x {
            frame.x = None;
            frame.x_label.clear();
        }
        frame
    }

    #[allow(clippy::too_many_arguments)]
    fn grouped(
        &self,
        values: &Values,
        ds: &Dataset,
        kept: &[usize],
        series: &[usize],
        g: Col,
        every: Every,
        lang: Lang,
    ) -> Frame {
        let factor = g.factor(ds);
        // Group ids by first sight; sorted once at the end (groups, not rows).
        let mut ids: HashMap<GKey, usize> = HashMap::new();
        let mut keys: Vec<GKey> = Vec::new();
        let mut accs: Vec<Acc> = Vec::new();
        let ns = series.len();
        let mut last: Option<usize> = None;
        for &r in kept {
            let Some(key) = group_key(values, ds, r, g, every) else {
                continue; // a row without the grouped value belongs to no group
            };
            // Records usually come in runs of one group (days of a month):
            // the previous row's group is tried before the map.
            let id = match last {
                Some(id) if keys[id] == key => id,
                _ => *ids.entry(key.clone()).or_insert_with(|| {
                    keys.push(key);
                    accs.extend(std::iter::repeat_n(Acc::default(), ns));
                    keys.len() - 1
                }),
            };
            last = Some(id);
            for (i, &f) in series.iter().enumerate() {
                let acc = &mut accs[id * ns + i];
                if ds.fields[f].kind == FieldKind::Number {
                    if let Some(v) = number(values, ds, r, f) {
                        acc.add(v.value, v.digits);
                    }
                } else if datum(ds, r, f).is_some() {
                    acc.add(0.0, 0);
                }
            }
        }
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
        let categories = order
            .iter()
            .map(|&i| Category {
                key: keys[i].key(factor),
                label: keys[i].label(factor, lang),
            })
            .collect();
        let columns = (0..ns)
            .map(|s| {
                let agg = self.aggs[s];
                order.iter().map(|&i| accs[i * ns + s].result(agg)).collect()
            })
            .collect();
        let x = match g.kind(ds) {
            FieldKind::Text => None,
            // Years alone read best as numbers: 1971, 1980, … as with `x:`.
            FieldKind::Date if order.iter().all(|&i| keys[i].date().month.is_none()) => Some(XAxis::Number(
                order.iter().map(|&i| f64::from(keys[i].date().year)).collect(),
            )),
            FieldKind::Date => Some(XAxis::Date(order.iter().map(|&i| keys[i].days()).collect())),
            FieldKind::Number => Some(XAxis::Number(
                order.iter().map(|&i| keys[i].number() / factor).collect(),
            )),
        };
        Frame {
            categories,
            columns,
            x_label: match (&x, g) {
                (Some(_), Col::Field(f)) => axis_label(ds, f, lang),
                _ => String::new(),
            },
            x,
        }
    }
}

/// The field called `key` in `ds`, or an error at `n` with a did-you-mean.
fn find_field(ds: &Dataset, key: &str, n: &Node) -> Result<usize, Diagnostic> {
    ds.fields.iter().position(|f| f.key == key).ok_or_else(|| {
        let hint = suggest(
            key,
            ds.fields.iter().map(|f| f.key.as_str()),
            &format!("fields of `{}`", ds.id),
        );
        n.error(format!("unknown field `{key}` in dataset `{}`", ds.id))
            .hint(hint)
    })
}

fn parse_group<'n>(ds: &Dataset, g: Node<'n>) -> Result<(Col, Every, Node<'n>), Diagnostic> {
    let (by, every) = if g.is_map() {
        g.only_keys(&["by", "every"])?;
        (g.req("by", "the field whose values make the groups")?, g.get("every"))
    } else {
        (g.clone(), None)
    };
    let name = by.str()?;
    let field = find_col(ds, &name, &by)?;
    let every =
        match every {
            None => Every::Written,
            Some(e) => {
                if field.kind(ds) != FieldKind::Date {
                    return Err(e
                        .error(format!(
                            "`every` groups dates, but `{name}` holds {}s",
                            field.kind(ds).as_str()
                        ))
                        .hint(format!("write `group: {name}`")));
                }
                match e.str()?.as_str() {
                    "day" => Every::Written,
                    "month" => Every::Month,
                    "year" => Every::Year,
                    other => {
                        return Err(Diagnostic::error(e.value_loc(), format!("unknown period `{other}`"))
                            .hint(suggest(other, ["day", "month", "year"], "use one of")));
                    }
                }
            }
        };
    Ok((field, every, g))
}

/// Reads one `filter:` entry for `field`.
fn test<'n>(ds: &Dataset, field: Col, n: &Node<'n>) -> Result<Test<'n>, Diagnostic> {
    let (kind, key) = (field.kind(ds), field.name(ds));
    if n.is_map() {
        n.only_keys(&["from", "to"])?;
        if kind == FieldKind::Text {
            return Err(n
                .error(format!("`{key}` holds text; ranges work on numbers and dates"))
                .hint(format!("list the values to keep: `{key}: [a, b]`")));
        }
        let (from, to) = (n.get("from"), n.get("to"));
        if from.is_none() && to.is_none() {
            return Err(n
                .error("a range needs `from`, `to` or both")
                .hint("e.g. `{from: 2013, to: 2014}`"));
        }
        let lo = from.map(|x| bound(ds, field, &x, false)).transpose()?;
        let hi = to.map(|x| bound(ds, field, &x, true)).transpose()?;
        let (lo, hi) = (lo.unwrap_or(f64::NEG_INFINITY), hi.unwrap_or(f64::INFINITY));
        if lo > hi {
            return Err(n.error("this range is empty: `from` is after `to`").hint("swap them"));
        }
        return Ok(Test::Range(lo, hi));
    }
    match kind {
        FieldKind::Text => {
            let items = if n.is_map() {
                Vec::new()
            } else {
                n.items().unwrap_or_else(|_| vec![n.clone()])
            };
            let want = items
                .into_iter()
                .map(|i| Ok((i.str()?, i)))
                .collect::<Result<Vec<_>, Diagnostic>>()?;
            if want.is_empty() {
                return Err(n.error("no value to keep").hint("list at least one value"));
            }
            Ok(Test::Text(want))
        }
        // One number or date: the range of that value (a whole year for `2013`).
        _ => {
            if n.items().is_ok() {
                return Err(n
                    .error(format!("a list keeps text values; `{key}` holds {}s", kind.as_str()))
                    .hint("write one value, or a range `{from: …, to: …}`"));
            }
            Ok(Test::Range(bound(ds, field, n, false)?, bound(ds, field, n, true)?))
        }
    }
}

/// A range end for `field`: a number in base units, or a date as days (the
/// first day of `2013` for a lower end, the last for an upper one).
fn bound(ds: &Dataset, field: Col, n: &Node, upper: bool) -> Result<f64, Diagnostic> {
    if field.kind(ds) == FieldKind::Date {
        let s = n.str()?;
        let d = parse_date(&s).ok_or_else(|| {
            Diagnostic::error(n.value_loc(), format!("`{s}` is not a date"))
                .hint("write `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (quote it: \"2013-03\")")
        })?;
        return Ok(if upper { last_day(&d) } else { first_day(&d) } as f64);
    }
    let x = n.number().map_err(|_| {
        let unit = match field {
            Col::Field(f) => ds.fields[f].unit.to_string(),
            Col::Key(_) => "no unit".into(),
        };
        Diagnostic::error(
            n.value_loc(),
            format!("`{}` holds numbers; this is not one", field.name(ds)),
        )
        .hint(format!("write a number in {unit}"))
    })?;
    Ok(x * field.factor(ds))
}

/// Whether row `r` passes filter `f`, noting which text values matched.
fn keeps(values: &Values, ds: &Dataset, r: usize, f: &Filter, hits: &mut [bool]) -> bool {
    match &f.test {
        Test::Text(want) => match read(values, ds, r, f.col) {
            Some(Val::Text(t)) => match want.iter().position(|(w, _)| w == t) {
                Some(i) => {
                    hits[i] = true;
                    true
                }
                None => false,
            },
            _ => false,
        },
        Test::Range(lo, hi) => {
            let x = match read(values, ds, r, f.col) {
                Some(Val::Num(x)) => Some(x),
                Some(Val::Date(d)) => Some(first_day(&d) as f64),
                _ => None,
            };
            x.is_some_and(|x| *lo <= x && x <= *hi)
        }
    }
}

/// The error for a filter value no row has: the nearest value that is there.
fn no_match(values: &Values, ds: &Dataset, rows: &[usize], col: Col, text: &str, n: &Node) -> Diagnostic {
    let mut seen: Vec<&str> = rows
        .iter()
        .filter_map(|&r| match read(values, ds, r, col) {
            Some(Val::Text(t)) => Some(t),
            _ => None,
        })
        .collect();
    seen.sort_unstable();
    seen.dedup();
    let hint = match closest(text, seen.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if seen.len() <= 12 => format!("values of `{}`: {}", col.name(ds), seen.join(", ")),
        None => format!(
            "`{}` has {} different values, e.g. {}",
            col.name(ds),
            seen.len(),
            seen[..12].join(", ")
        ),
    };
    Diagnostic::error(n.value_loc(), format!("no row has `{}` = `{text}`", col.name(ds))).hint(hint)
}

/// A group's value: text, a date packed as `yyyymmdd` (zeros where not
/// written, so a year sorts before its months), or a number's bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum GKey<'a> {
    Date(i64),
    Num(OrdF64),
    Text(&'a str),
}

/// An `f64` ordered by value, hashed by bits (values are finite).
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF64(f64);

impl Eq for OrdF64 {}

impl std::hash::Hash for OrdF64 {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.0.to_bits().hash(h);
    }
}

impl PartialOrd for OrdF64 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for OrdF64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

impl GKey<'_> {
    fn date(&self) -> Date {
        let GKey::Date(p) = *self else {
            return Date {
                year: 0,
                month: None,
                day: None,
            };
        };
        let (m, d) = ((p / 100 % 100) as u8, (p % 100) as u8);
        Date {
            year: (p / 10_000) as u16,
            month: (m > 0).then_some(m),
            day: (d > 0).then_some(d),
        }
    }

    fn days(&self) -> i64 {
        first_day(&self.date())
    }

    fn number(&self) -> f64 {
        match self {
            GKey::Num(x) => x.0,
            _ => 0.0,
        }
    }

    /// The category key: `2012-03`, the text, or the number as written.
    fn key(&self, factor: f64) -> String {
        match self {
            GKey::Date(_) => self.date().to_string(),
            GKey::Num(x) => format!("{}", x.0 / factor),
            GKey::Text(t) => t.to_string(),
        }
    }

    /// What the reader sees: a month as "Mar 2012" (2012年3月).
    fn label(&self, factor: f64, lang: Lang) -> String {
        match self {
            GKey::Date(_) => date_label(&self.date(), lang),
            _ => self.key(factor),
        }
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date as a reader of `lang` writes it, at its precision.
fn date_label(d: &Date, lang: Lang) -> String {
    match (d.month, d.day) {
        (None, _) => d.year.to_string(),
        (Some(m), None) if lang == Lang::ZH => format!("{}年{m}月", d.year),
        (Some(m), Some(day)) if lang == Lang::ZH => format!("{}年{m}月{day}日", d.year),
        (Some(m), None) if lang == Lang::EN => format!("{} {}", MONTHS[m as usize - 1], d.year),
        (Some(m), Some(day)) if lang == Lang::EN => format!("{day} {} {}", MONTHS[m as usize - 1], d.year),
        _ => d.to_string(),
    }
}

fn group_key<'a>(values: &Values, ds: &'a Dataset, r: usize, g: Col, every: Every) -> Option<GKey<'a>> {
    match read(values, ds, r, g)? {
        Val::Num(x) => Some(GKey::Num(OrdF64(x))),
        Val::Text(t) => Some(GKey::Text(t)),
        Val::Date(d) => {
            let (m, day) = match every {
                Every::Written => (d.month, d.day),
                Every::Month => (d.month, None),
                Every::Year => (None, None),
            };
            Some(GKey::Date(
                i64::from(d.year) * 10_000 + i64::from(m.unwrap_or(0)) * 100 + i64::from(day.unwrap_or(0)),
            ))
        }
    }
}

/// Running count, sum, minimum and maximum of one series in one group.
#[derive(Debug, Clone, Copy)]
struct Acc {
    n: u64,
    sum: f64,
    min: f64,
    max: f64,
    digits: usize,
}

impl Default for Acc {
    fn default() -> Acc {
        Acc {
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            digits: 0,
        }
    }
}

impl Acc {
    fn add(&mut self, v: f64, digits: usize) {
        self.n += 1;
        self.sum += v;
        self.min = self.min.min(v);
        self.max = self.max.max(v);
        self.digits = self.digits.max(digits);
    }

    /// The group's value; a group with no value has none (but a count of 0).
    fn result(&self, agg: Agg) -> Option<Num> {
        let value = match agg {
            Agg::Count => self.n as f64,
            _ if self.n == 0 => return None,
            Agg::Sum => self.sum,
            Agg::Mean => self.sum / self.n as f64,
            Agg::Min => self.min,
            Agg::Max => self.max,
        };
        Some(Num {
            value,
            derived: true,
            digits: if agg == Agg::Count { 0 } else { self.digits },
        })
    }
}

/// The x positions of `rows` from column `src`, and the axis title; a
/// row without a position gets `NaN` (or `i64::MIN`) and is left out.
fn row_positions(values: &Values, ds: &Dataset, rows: &[usize], src: Col, lang: Lang) -> (XAxis, String) {
    let label = match src {
        Col::Field(f) => axis_label(ds, f, lang),
        Col::Key(_) => String::new(),
    };
    let cells: Vec<Option<Val>> = rows.iter().map(|&r| read(values, ds, r, src)).collect();
    // Years alone read best as numbers: 1971, 1980, … rather than dates.
    let years = src.kind(ds) == FieldKind::Date
        && cells
            .iter()
            .flatten()
            .all(|v| matches!(v, Val::Date(d) if d.month.is_none()));
    let x = if src.kind(ds) == FieldKind::Date && !years {
        XAxis::Date(
            cells
                .iter()
                .map(|v| match v {
                    Some(Val::Date(d)) => first_day(d),
                    _ => i64::MIN,
                })
                .collect(),
        )
    } else {
        let factor = src.factor(ds);
        XAxis::Number(
            cells
                .iter()
                .map(|v| match v {
                    Some(Val::Num(x)) => x / factor,
                    Some(Val::Date(d)) => f64::from(d.year),
                    _ => f64::NAN,
                })
                .collect(),
        )
    };
    (x, label)
}

/// The x axis title: the field's label, with its unit when it has one.
fn axis_label(ds: &Dataset, f: usize, lang: Lang) -> String {
    let field = &ds.fields[f];
    let label = field.label.get(lang);
    let label = if label.is_empty() { field.key.as_str() } else { label };
    if field.kind == FieldKind::Number && !field.unit.as_str().is_empty() {
        format!("{label}, {}", field.unit.as_str())
    } else {
        label.to_string()
    }
}

/// Days since 1970-01-01 of the first day a date covers.
pub(super) fn first_day(d: &Date) -> i64 {
    days_from_civil(
        i64::from(d.year),
        d.month.unwrap_or(1).into(),
        d.day.unwrap_or(1).into(),
    )
}

/// Days since 1970-01-01 of the last day a date covers (31 Dec for a year).
fn last_day(d: &Date) -> i64 {
    match (d.month, d.day) {
        (_, Some(_)) => first_day(d),
        (Some(12), None) | (None, _) => days_from_civil(i64::from(d.year) + 1, 1, 1) - 1,
        (Some(m), None) => days_from_civil(i64::from(d.year), u32::from(m) + 1, 1) - 1,
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or with `/`), as a CSV date column
/// reads it.
fn parse_date(s: &str) -> Option<Date> {
    crate::load::parse_date(s.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Loc;
    use crate::model::{Citation, Field, Pos, Rows, Table};
    use crate::text::Text;
    use crate::units::Unit;
    use crate::yaml::Doc;

    /// `n` days from 2000-01-01, each with a temperature and a sky.
    fn days(n: usize) -> Dataset {
        let field = |key: &str, kind, unit: &str| Field {
            kind,
            key: key.into(),
            label: Text::plain(key),
            unit: Unit::parse(unit).unwrap(),
            digits: None,
            loc: Loc::file("d.csv"),
        };
        let mut table = Table::with_capacity(n, n);
        let mut rows = Rows::default();
        for i in 0..n {
            table.push_given(1, (i % 30) as f64, Pos::default());
            table.end_row(&format!("r{i}"));
            let (y, m, d) = crate::epoch::civil_from_days(10_957 + i as i64);
            rows.push_date(
                0,
                Date {
                    year: y as u16,
                    month: Some(m as u8),
                    day: Some(d as u8),
                },
            );
            rows.push_text(2, ["sun", "rain", "fog"][i % 3]);
            rows.end_row(Pos::default(), None);
        }
        Dataset {
            id: "d".into(),
            file: "d.csv".into(),
            title: Text::default(),
            scope: Text::default(),
            source: Citation {
                cites: Vec::new(),
                note: Text::default(),
            },
            fields: vec![
                field("when", FieldKind::Date, ""),
                field("temp", FieldKind::Number, "degC"),
                field("sky", FieldKind::Text, ""),
            ],
            rows,
            table: std::sync::Arc::new(table),
            derived: Vec::new(),
            checks: Vec::new(),
        }
    }

    const BLOCK: &str = "filter: {sky: [sun, rain], when: {from: 2000, to: 3000}}\n\
                         group: {by: when, every: month}\naggregate: mean\nseries: [temp]\n";

    /// Runs [`BLOCK`] on `ds`: the frame and the cells read.
    fn run(ds: &Dataset) -> (Frame, u64) {
        let doc = Doc::parse("s.md", BLOCK, 0).unwrap();
        let root = doc.root();
        let series = vec![(1, root.get("series").unwrap())];
        let q = Query::parse(&root, ds, &series).unwrap();
        let rows: Vec<usize> = (0..ds.rows.len()).collect();
        READS.with(|c| c.set(0));
        let frame = q.run(&Values::default(), ds, &rows, &[1], true, Lang::EN).unwrap();
        (frame, READS.with(std::cell::Cell::get))
    }

    #[test]
    fn monthly_means_of_filtered_days() {
        let (f, _) = run(&days(60));
        assert_eq!(
            f.categories.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(),
            ["2000-01", "2000-02"]
        );
        assert_eq!(f.categories[0].label, "Jan 2000");
        // January: days 0..31 without every third (fog), temps i % 30.
        let jan: Vec<f64> = (0..31).filter(|i| i % 3 != 2).map(|i| (i % 30) as f64).collect();
        let mean = jan.iter().sum::<f64>() / jan.len() as f64;
        assert!((f.columns[0][0].unwrap().value - mean).abs() < 1e-9);
        assert!(f.columns[0][0].unwrap().derived);
        assert_eq!(f.x, Some(XAxis::Date(vec![10_957, 10_988])));
    }

    /// Ten times the rows cost ten times the cell reads: one pass and a
    /// hash lookup per row. (Counted, not timed: timings would compete
    /// with the chart module's own scale tests running beside this one.)
    #[test]
    fn work_is_linear_in_rows() {
        let (_, reads_small) = run(&days(5_000));
        let (_, reads_big) = run(&days(50_000));
        let ratio = reads_big as f64 / reads_small as f64;
        assert!((9.9..=10.1).contains(&ratio), "reads {reads_small} -> {reads_big}");
    }

    /// Run with `cargo test --release --lib -- --ignored million`: a
    /// million rows filtered, grouped by month and averaged.
    #[test]
    #[ignore = "a release-mode timing"]
    fn million_rows() {
        let ds = days(1_000_000);
        let t = std::time::Instant::now();
        let (frame, reads) = run(&ds);
        let took = t.elapsed();
        eprintln!(
            "1,000,000 rows -> {} groups, {reads} reads, in {took:?}",
            frame.categories.len()
        );
        assert!(took.as_secs_f64() < 1.0, "{took:?}");
    }

    #[test]
    fn dates_convert_both_ways() {
        for days in [-1, 0, 10_957, 20_420, 11_016] {
            let (y, m, d) = crate::epoch::civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let feb = parse_date("2000-02").unwrap();
        assert_eq!(last_day(&feb) - first_day(&feb), 28);
        assert!(parse_date("2001-02-29").is_none());
        assert!(parse_date("2013-13").is_none());
        assert_eq!(date_label(&feb, Lang::ZH), "2000年2月");
    }
}
