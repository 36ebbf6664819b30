//! Figure blocks: ```chart, ```table and ```stats bodies parsed, checked
//! against the datasets, and resolved into plain numbers ready to draw.

use super::query::{self, Agg, Facet, Frame, Query};
use crate::chart::{self, ChartInput, ChartKind, MAX_PANELS, Panel, Scale, Series, XAxis};
use crate::diag::{Diagnostic, Loc};
use crate::model::{Dataset, Report};
use crate::text::{Lang, closest, suggest};
use crate::units::Unit;
use crate::values::Values;
use crate::yaml::{Doc, Node};
use std::collections::HashMap;

/// What a figure shows.
#[derive(Debug, Clone)]
pub enum FigureBody {
    /// A chart; `unit` formats its axis.
    Chart { input: Box<ChartInput>, unit: Unit },
    /// A table of formatted values.
    Table(TableData),
    /// Headline numbers.
    Stats(Vec<Tile>),
}

/// A resolved figure, table or stat-tile group.
#[derive(Debug, Clone)]
pub struct Figure {
    /// The id written in the block (`capex`).
    pub key: String,
    /// The HTML id (`fig-capex`, `tbl-alloc`, `stats-3`).
    pub html_id: String,
    /// Figure or table number; stats have none.
    pub number: usize,
    /// Title as the reader sees it.
    pub title: String,
    /// Caption text (plain; may be empty).
    pub caption: String,
    /// Author's description for readers of assistive technology (may be empty).
    pub description: String,
    /// The datasets shown, for the source line.
    pub datasets: Vec<String>,
    /// The content.
    pub body: FigureBody,
    /// Where the block starts.
    pub loc: Loc,
    /// Where its `id:` is written.
    pub id_loc: Loc,
}

/// A table ready for the template.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableData {
    /// Label of the row-label column.
    pub header_label: String,
    /// Value columns.
    pub columns: Vec<Column>,
    /// Body rows.
    pub rows: Vec<TableRow>,
    /// Optional total row.
    pub total: Option<TableRow>,
}

/// A table column.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Column {
    /// Header text.
    pub label: String,
    /// Right-aligned numbers.
    pub numeric: bool,
}

/// A table row.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableRow {
    /// Row label.
    pub label: String,
    /// One cell per column.
    pub cells: Vec<TableCell>,
}

/// A formatted table cell.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCell {
    /// What the reader sees.
    pub text: String,
    /// The machine-readable value (base units), empty when missing.
    pub value: String,
    /// Whether quire computed it.
    pub derived: bool,
}

/// One stat tile.
#[derive(Debug, Clone)]
pub struct Tile {
    /// Fully qualified value name.
    pub value: String,
    /// What the number is.
    pub label: String,
    /// The value as HTML (a `<data>` element), filled in with the sources.
    pub html: String,
    /// The value's source line.
    pub source_text: String,
}

/// Formats axis ticks and labels through a [`Unit`], in the report language.
pub struct UnitFormat<'a> {
    /// The axis unit.
    pub unit: &'a Unit,
    /// The report language.
    pub lang: Lang,
}

impl chart::ValueFormat for UnitFormat<'_> {
    fn format(&self, value: f64, decimals: usize) -> String {
        // A bare zero reads cleaner on an axis than "USD 0 bn".
        if value == 0.0 {
            return "0".into();
        }
        self.unit.format(value * self.unit.factor(), decimals, self.lang)
    }
}

/// Everything a block needs to resolve against.
pub struct Ctx<'a> {
    /// The report.
    pub report: &'a Report,
    /// Its values.
    pub values: &'a Values,
    /// The edition's language.
    pub lang: Lang,
    /// Its interface words.
    pub ui: &'a crate::i18n::Catalogue,
    /// Block texts without a form in this language, found while parsing.
    pub untranslated: std::cell::RefCell<Vec<Diagnostic>>,
}

impl Ctx<'_> {
    pub(super) fn dataset(&self, n: &Node) -> Result<&Dataset, Diagnostic> {
        let id = n.str()?;
        self.report.datasets.iter().find(|d| d.id == id).ok_or_else(|| {
            let hint = match closest(&id, self.report.datasets.iter().map(|d| d.id.as_str())) {
                Some(c) => format!("did you mean `{c}`?"),
                None => "datasets are the files in content/data/, named without `.yaml`".to_string(),
            };
            n.error(format!("unknown dataset `{id}`")).hint(hint)
        })
    }

    pub(super) fn text(&self, n: Option<Node>) -> Result<String, Diagnostic> {
        let Some(n) = n else {
            return Ok(String::new());
        };
        let text = n.text()?;
        if let Some(shown) = text.missing(self.lang) {
            let lang = self.lang;
            self.untranslated.borrow_mut().push(
                Diagnostic::warning(
                    n.value_loc(),
                    format!("this text has no `{lang}` form; the `{shown}` text is shown"),
                )
                .hint(format!("add `{lang}: \"…\"` beside `{shown}:`")),
            );
        }
        Ok(text.get(self.lang).to_string())
    }
}

pub(super) fn field_index(ds: &Dataset, n: &Node) -> Result<usize, Diagnostic> {
    let key = n.str()?;
    ds.fields.iter().position(|f| f.key == key).ok_or_else(|| {
        let hint = suggest(
            &key,
            ds.fields.iter().map(|f| f.key.as_str()),
            &format!("fields of `{}`", ds.id),
        );
        n.error(format!("unknown field `{key}` in dataset `{}`", ds.id))
            .hint(hint)
    })
}

pub(super) fn row_indices(ds: &Dataset, n: Option<Node>) -> Result<Vec<usize>, Diagnostic> {
    let Some(n) = n else {
        return Ok((0..ds.rows.len()).collect());
    };
    let items = if n.is_map() {
        return Err(n.error("`rows` should be a list of row keys"));
    } else {
        n.items().unwrap_or_else(|_| vec![n.clone()])
    };
    items
        .iter()
        .map(|r| {
            let key = r.str()?;
            // The dataset's key index: listing every row of a big dataset
            // stays n log n.
            let found = ds.row_index(&key);
            found.ok_or_else(|| {
                let hint = suggest(
                    &key,
                    (0..ds.rows.len()).map(|x| ds.key(x)),
                    &format!("rows of `{}`", ds.id),
                );
                r.error(format!("unknown row `{key}` in dataset `{}`", ds.id))
                    .hint(hint)
            })
        })
        .collect()
}

/// Reads a parsed block (`kind` is `chart`, `table` or `stats`) whose first
/// line is line `line_offset + 1` of `file`.
pub fn parse(
    ctx: &Ctx,
    kind: &str,
    file: &str,
    doc: &Result<Doc, Diagnostic>,
    line_offset: usize,
    number: usize,
) -> Result<Figure, Diagnostic> {
    let root = doc.as_ref().map_err(Clone::clone)?.root();
    let loc = Loc::new(file, line_offset, 1);
    match kind {
        "chart" => chart_block(ctx, &root, number, loc),
        "table" => super::tables::table_block(ctx, &root, number, loc),
        _ => super::tables::stats_block(ctx, &root, number, loc),
    }
}

/// What every chart and table block starts with.
pub(super) struct Head {
    id: String,
    title: String,
    caption: String,
    description: String,
    id_loc: Loc,
    loc: Loc,
}

impl Head {
    /// Reads `id`, `title`, `caption` and `description` of a block at `loc`.
    pub(super) fn read(ctx: &Ctx, root: &Node, loc: Loc) -> Result<Head, Diagnostic> {
        if !root.is_map() {
            return Err(Diagnostic::error(loc, "the block must be `key: value` lines")
                .hint("start with `id:`, `data:` and `title:`"));
        }
        let id_node = root.req("id", "a short name used in `@fig:` references")?;
        let id = id_node.str()?;
        if crate::text::slug(&id) != id {
            return Err(id_node
                .error(format!("`{id}` is not a valid id"))
                .hint("use lower-case letters, digits and `-`"));
        }
        Ok(Head {
            title: ctx.text(Some(root.req("title", "the figure's title, naming what and the unit")?))?,
            caption: ctx.text(root.get("caption"))?,
            description: ctx.text(root.get("description"))?,
            id_loc: id_node.loc(),
            id,
            loc,
        })
    }

    /// The figure this block makes: `prefix` is `fig` or `tbl`.
    pub(super) fn figure(self, prefix: &str, number: usize, dataset: &str, body: FigureBody) -> Figure {
        Figure {
            html_id: format!("{prefix}-{}", self.id),
            key: self.id,
            number,
            title: self.title,
            caption: self.caption,
            description: self.description,
            datasets: vec![dataset.to_string()],
            body,
            loc: self.loc,
            id_loc: self.id_loc,
        }
    }
}

/// Chart types as written in `type:`, for the error that lists them.
const KINDS: [&str; 9] = [
    "bar",
    "hbar",
    "grouped-bar",
    "stacked-bar",
    "stacked-column",
    "line",
    "area",
    "scatter",
    "donut",
];

fn chart_kind(type_node: &Node) -> Result<ChartKind, Diagnostic> {
    Ok(match type_node.str()?.as_str() {
        "bar" => ChartKind::Bar,
        "hbar" => ChartKind::HBar,
        "grouped-bar" => ChartKind::GroupedBar,
        "stacked-bar" => ChartKind::StackedBar,
        "stacked-column" => ChartKind::StackedColumn,
        "line" => ChartKind::Line,
        "area" => ChartKind::Area,
        "scatter" => ChartKind::Scatter,
        "donut" => ChartKind::Donut,
        other => {
            let hint = closest(other, KINDS).map_or(format!("use one of: {}", KINDS.join(", ")), |c| {
                format!("did you mean `{c}`?")
            });
            return Err(type_node.error(format!("unknown chart type `{other}`")).hint(hint));
        }
    })
}

fn chart_block(ctx: &Ctx, root: &Node, number: usize, loc: Loc) -> Result<Figure, Diagnostic> {
    let head = Head::read(ctx, root, loc)?;
    let mut keys = vec![
        "id",
        "type",
        "data",
        "series",
        "rows",
        "title",
        "caption",
        "description",
        "unit",
        "normalize",
        "sort",
        "limit",
        "range",
        "scale",
        "digits",
    ];
    keys.extend(query::KEYS);
    root.only_keys(&keys)?;
    let type_node = root.req("type", &KINDS.join(", "))?;
    let kind = chart_kind(&type_node)?;
    let ds = ctx.dataset(&root.req("data", "the dataset id")?)?;
    let (series_node, range) = match (root.get("series"), root.get("range")) {
        (_, Some(r)) => (r, true),
        (Some(s), None) => (s, false),
        (None, None) => return Err(root.req("series", "the fields to plot, e.g. `[usd]`")?.error("")),
    };
    let series_nodes = series_node.items().unwrap_or_else(|_| vec![series_node.clone()]);
    let fields: Vec<usize> = series_nodes
        .iter()
        .map(|n| field_index(ds, n))
        .collect::<Result<_, _>>()?;
    if fields.is_empty() {
        return Err(series_node.error("no series to plot").hint("list at least one field"));
    }
    if range && fields.len() != 2 {
        return Err(series_node.error("`range` takes two fields: [low, high]"));
    }
    let single = matches!(kind, ChartKind::Bar | ChartKind::HBar | ChartKind::Donut);
    if single && !range && fields.len() != 1 {
        return Err(series_node
            .error(format!("a `{}` chart plots one series", type_node.str()?))
            .hint("use `grouped-bar` or `stacked-bar` for several"));
    }
    let named: Vec<(usize, Node)> = fields.iter().copied().zip(series_nodes.iter().cloned()).collect();
    let query = Query::parse(root, ds, &named)?;
    let along_x = matches!(kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter);
    if let Some(x) = query.x_node()
        && !along_x
    {
        return Err(
            Diagnostic::error(x.value_loc(), "`x:` works with line, area and scatter charts")
                .hint("for bars, make a category per value with `group:`, or use `type: line`"),
        );
    }
    if kind == ChartKind::Scatter {
        if let Some(g) = query.group_node() {
            return Err(g
                .error("a scatter plot draws one dot per row; it cannot group rows")
                .hint("drop `group:` (and `aggregate:`), or use `type: line`"));
        }
        if query.x_node().is_none() {
            return Err(type_node
                .error("a scatter plot needs `x:`")
                .hint("name the number or date field for the x axis, e.g. `x: temp_max`"));
        }
    }
    if query.groups()
        && let Some(r) = root.get("rows")
    {
        return Err(r
            .error("`rows` picks dataset rows, but this chart groups them")
            .hint("choose rows with `filter:` instead, e.g. `filter: {weather: [sun, rain]}`"));
    }
    let rows = row_indices(ds, root.get("rows"))?;
    let facet = Facet::parse(root, ds, &query)?;
    if let Some(f) = &facet
        && kind == ChartKind::Donut
    {
        return Err(
            Diagnostic::error(f.node().value_loc(), "a donut cannot be split into panels")
                .hint("drop `facet:`, or show the parts per group with `type: stacked-bar` and `group:`"),
        );
    }
    let want_x = along_x && query.continuous(ds);
    let kept = query.keep(ctx.values, ds, &rows)?;
    let mut frame = query.frame(ctx.values, ds, &kept, &fields, want_x, ctx.lang);
    // Panels are checked one by one: two panels may share an x.
    x_ordered(&mut frame, kind, &query, &type_node, facet.is_none())?;
    if frame.categories.is_empty() {
        let n = query
            .x_node()
            .cloned()
            .or(root.get("rows"))
            .unwrap_or(series_node.clone());
        return Err(n
            .error("there are no rows to plot")
            .hint(format!("give the rows of {} a value here", ds.file)));
    }
    // The unit each series is in: a count is a plain number.
    let units: Vec<Unit> = fields
        .iter()
        .enumerate()
        .map(|(i, &f)| match query.agg(i) {
            Some(Agg::Count) => Unit::plain(),
            _ => ds.fields[f].unit.clone(),
        })
        .collect();
    let unit = match root.get("unit") {
        Some(u) => Unit::parse(&u.str()?).map_err(|m| Diagnostic::error(u.value_loc(), m))?,
        None => units[0].clone(),
    };
    for ((fu, n), &f) in units.iter().zip(&series_nodes).zip(&fields) {
        if fu.dim() != unit.dim() {
            return Err(n
                .error(format!(
                    "unit mismatch: `{}` is in {} but the chart's axis is in {}",
                    ds.fields[f].key, fu, unit
                ))
                .hint("plot fields of one unit in a chart, or derive a converted field"));
        }
    }
    for ((column, n), &f) in frame.columns.iter().zip(&series_nodes).zip(&fields) {
        if column.iter().all(Option::is_none) {
            return Err(n
                .error(format!(
                    "the series `{}` has no values in the chosen rows",
                    ds.fields[f].key
                ))
                .hint(format!(
                    "give `{}` a value in some rows of {}",
                    ds.fields[f].key, ds.file
                )));
        }
    }
    let factor = unit.factor();
    if let Some(s) = root.get("sort") {
        let dir = s.str()?;
        let n = frame.categories.len();
        let first = &frame.columns[0];
        let key = |c: &usize| first[*c].map_or(f64::NEG_INFINITY, |v| v.value / factor);
        let mut order: Vec<usize> = (0..n).collect();
        match dir.as_str() {
            "asc" => order.sort_by(|a, b| key(a).total_cmp(&key(b))),
            "desc" => order.sort_by(|a, b| key(b).total_cmp(&key(a))),
            "none" => {}
            _ => return Err(s.error(format!("unknown sort `{dir}`")).hint("use asc, desc or none")),
        }
        if dir != "none" && frame.x.is_some() {
            return Err(s
                .error("a chart along an x axis is ordered by x")
                .hint("drop `sort:`, or plot categories (`type: bar`)"));
        }
        frame.permute(&order);
    }
    if let Some(l) = root.get("limit") {
        // After `sort:`, so `sort: desc` with `limit: 10` is a top ten.
        let n = l.count()?;
        if n == 0 {
            return Err(l
                .error("`limit: 0` leaves nothing to plot")
                .hint("give the number of categories to keep"));
        }
        let kept: Vec<usize> = (0..frame.categories.len().min(n)).collect();
        frame.permute(&kept);
    }
    let panels = match &facet {
        None => Vec::new(),
        Some(f) => {
            let parts = Parts {
                query: &query,
                ds,
                fields: &fields,
                want_x,
                kind,
                type_node: &type_node,
            };
            facet_panels(ctx, &parts, f, &kept, &mut frame)?
        }
    };
    let scale = match root.get("scale") {
        None => Scale::Linear,
        Some(s) => match s.str()?.as_str() {
            "linear" => Scale::Linear,
            "log" => Scale::Log,
            other => return Err(s.error(format!("unknown scale `{other}`")).hint("use linear or log")),
        },
    };
    let shift = (units[0].factor() / unit.factor()).log10().round() as i64;
    // The digits the values show in prose, so a chart and its sentence agree.
    let value_digits = frame.columns.iter().flatten().flatten().map(|v| v.digits).max();
    let field0 = &ds.fields[fields[0]];
    let digits = value_digits.unwrap_or(field0.digits.unwrap_or(units[0].default_digits()));
    let default_digits = (digits as i64 - shift).max(0) as usize;
    let series = fields
        .iter()
        .enumerate()
        .map(|(i, &f)| Series {
            key: ds.fields[f].key.clone(),
            label: query.series_label(ds, i, f, ctx.lang),
            values: frame.columns[i].iter().map(|v| v.map(|v| v.value / factor)).collect(),
            derived: frame.columns[i].iter().map(|v| v.is_some_and(|v| v.derived)).collect(),
            ..Series::default()
        })
        .collect();
    let input = ChartInput {
        id: format!("fig-{}", head.id),
        kind,
        title: head.title.clone(),
        categories: std::mem::take(&mut frame.categories),
        series,
        normalize: root.get("normalize").map(|n| n.bool()).transpose()?.unwrap_or(false),
        range,
        scale,
        x: frame.x.take(),
        x_label: std::mem::take(&mut frame.x_label),
        decimals: root
            .get("digits")
            .map(|d| d.count())
            .transpose()?
            .unwrap_or(default_digits),
        palette: ctx.report.meta.palette.clone(),
        words: ctx.ui.chart.clone(),
        panels,
        ..ChartInput::default()
    };
    Ok(head.figure(
        "fig",
        number,
        &ds.id,
        FigureBody::Chart {
            input: Box::new(input),
            unit,
        },
    ))
}

/// Puts a frame along an x axis in x order and, unless `check` is off
/// (panels are checked one by one), refuses two rows of a line at one x.
fn x_ordered(
    frame: &mut Frame,
    kind: ChartKind,
    query: &Query,
    type_node: &Node,
    check: bool,
) -> Result<(), Diagnostic> {
    let Some(order) = frame.x_order() else {
        return Ok(());
    };
    frame.permute(&order);
    if check
        && kind != ChartKind::Scatter
        && let Some((a, b, at)) = frame.shared_x()
    {
        let n = query.x_node().or(query.group_node()).unwrap_or(type_node);
        return Err(Diagnostic::error(
            n.value_loc(),
            format!(
                "rows `{}` and `{}` share the x value {at}; a line needs one row per x",
                frame.categories[a].key, frame.categories[b].key
            ),
        )
        .hint("combine them with `group:` and `aggregate: mean`, or use `type: scatter`"));
    }
    Ok(())
}

/// What splitting a chart into panels needs from its block.
struct Parts<'a, 'n> {
    query: &'a Query<'n>,
    ds: &'a Dataset,
    fields: &'a [usize],
    want_x: bool,
    kind: ChartKind,
    type_node: &'a Node<'n>,
}

/// Splits the `kept` rows by the facet value and replaces `frame` (the
/// whole chart, sorted and limited) by the panels' categories one after
/// another. Along an x axis each panel keeps its own rows in x order;
/// otherwise every panel shows the chart's categories, in its order, with
/// no value where the panel has none, so bars line up across panels.
fn facet_panels(ctx: &Ctx, p: &Parts, f: &Facet, kept: &[usize], frame: &mut Frame) -> Result<Vec<Panel>, Diagnostic> {
    let split = f.split(ctx.values, p.ds, kept);
    if split.len() > MAX_PANELS {
        let some: Vec<&str> = split.iter().take(3).map(|(v, _)| v.as_str()).collect();
        let field = f.node().str()?;
        return Err(Diagnostic::error(
            f.node().value_loc(),
            format!(
                "`facet: {field}` makes {} panels; at most {MAX_PANELS} stay readable on one page",
                split.len()
            ),
        )
        .hint(format!(
            "keep fewer values, e.g. `filter: {{{field}: [{}]}}`, or facet by a coarser field",
            some.join(", ")
        )));
    }
    let index: HashMap<&str, usize> = frame
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.key.as_str(), i))
        .collect();
    let along = frame.x.is_some();
    let mut flat = Frame {
        columns: vec![Vec::new(); p.fields.len()],
        x_label: frame.x_label.clone(),
        ..Frame::default()
    };
    let mut panels = Vec::with_capacity(split.len());
    for (value, rows) in &split {
        let mut pf = p.query.frame(ctx.values, p.ds, rows, p.fields, p.want_x, ctx.lang);
        let start = flat.categories.len();
        if along {
            x_ordered(&mut pf, p.kind, p.query, p.type_node, true).map_err(|mut d| {
                d.message = format!("in the panel `{value}`: {}", d.message);
                d
            })?;
            // `limit:` (or a row without x) may have left a category out.
            let shown: Vec<usize> = (0..pf.categories.len())
                .filter(|&i| index.contains_key(pf.categories[i].key.as_str()))
                .collect();
            pf.permute(&shown);
            flat.categories.append(&mut pf.categories);
            for (dst, src) in flat.columns.iter_mut().zip(&mut pf.columns) {
                dst.append(src);
            }
            flat.x = match (flat.x.take(), pf.x.take()) {
                (Some(XAxis::Date(mut a)), Some(XAxis::Date(b))) => {
                    a.extend(b);
                    Some(XAxis::Date(a))
                }
                (Some(XAxis::Number(mut a)), Some(XAxis::Number(b))) => {
                    a.extend(b);
                    Some(XAxis::Number(a))
                }
                (None, x) => x,
                (x, _) => x,
            };
        } else {
            let n = frame.categories.len();
            // A panel without a category's rows counted none of them: zero,
            // not "no data"; other aggregates have nothing to say.
            let none = |s: usize| {
                (p.query.agg(s) == Some(Agg::Count)).then_some(query::Num {
                    value: 0.0,
                    derived: true,
                    digits: 0,
                })
            };
            let mut cols: Vec<Vec<_>> = (0..p.fields.len()).map(|s| vec![none(s); n]).collect();
            for (i, c) in pf.categories.iter().enumerate() {
                if let Some(&g) = index.get(c.key.as_str()) {
                    for (dst, src) in cols.iter_mut().zip(&pf.columns) {
                        dst[g] = src[i];
                    }
                }
            }
            flat.categories.extend(frame.categories.iter().cloned());
            for (dst, src) in flat.columns.iter_mut().zip(cols) {
                dst.extend(src);
            }
        }
        if flat.categories.len() > start {
            panels.push(Panel {
                key: value.clone(),
                label: value.clone(),
                rows: start..flat.categories.len(),
            });
        }
    }
    *frame = flat;
    Ok(panels)
}
