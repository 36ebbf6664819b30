//! ```table and ```stats blocks: dataset values as a numbered table, or as
//! headline stat tiles.

use super::figures::{
    Column, Ctx, Figure, FigureBody, Head, TableCell, TableData, TableRow, Tile, field_index, row_indices,
};
use super::query::{self, Agg, Query};
use crate::diag::{Diagnostic, Loc};
use crate::model::{Dataset, FieldKind};
use crate::units::Unit;
use crate::yaml::Node;

/// Parses a table block.
pub(super) fn table_block(ctx: &Ctx, root: &Node, number: usize, loc: Loc) -> Result<Figure, Diagnostic> {
    let head = Head::read(ctx, root, loc)?;
    root.only_keys(&[
        "id",
        "data",
        "columns",
        "rows",
        "title",
        "caption",
        "description",
        "total",
        "row_label",
        "filter",
        "group",
        "aggregate",
    ])?;
    let ds = ctx.dataset(&root.req("data", "the dataset id")?)?;
    let queried = ["filter", "group", "aggregate"].iter().any(|k| root.get(k).is_some());
    // A column is a field key, or `{field, label, digits}` to set its format
    // here; each keeps the node naming its field, for errors.
    let mut cols: Vec<Col> = Vec::new();
    match root.get("columns") {
        Some(c) => {
            for n in c.items()? {
                if n.is_map() {
                    n.only_keys(&["field", "label", "digits"])?;
                    let field_node = n.req("field", "the field to show")?;
                    let f = field_index(ds, &field_node)?;
                    let label = n.get("label").map(|l| ctx.text(Some(l))).transpose()?;
                    let digits = n.get("digits").map(|d| d.count()).transpose()?;
                    cols.push(Col {
                        field: f,
                        label,
                        digits,
                        node: field_node,
                    });
                } else {
                    let f = field_index(ds, &n)?;
                    cols.push(Col {
                        field: f,
                        label: None,
                        digits: None,
                        node: n,
                    });
                }
            }
        }
        // Every field; with a query, every number field (text has no sum).
        None => cols.extend(
            (0..ds.fields.len())
                .filter(|&f| !queried || ds.fields[f].kind == FieldKind::Number)
                .map(|f| Col {
                    field: f,
                    label: None,
                    digits: None,
                    node: root.clone(),
                }),
        ),
    }
    if queried
        && root.get("group").is_some()
        && let Some(r) = root.get("rows")
    {
        return Err(r
            .error("`rows` picks dataset rows, but this table groups them")
            .hint("choose rows with `filter:` instead"));
    }
    let rows = row_indices(ds, root.get("rows"))?;
    let (body, header_labels, raw) = if queried {
        grouped_rows(ctx, ds, root, &cols, &rows)?
    } else {
        plain_rows(ctx, ds, &cols, &rows)
    };
    let total = if root.get("total").map(|t| t.bool()).transpose()?.unwrap_or(false) {
        let cells = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let fd = &ds.fields[c.field];
                let sum: f64 = raw.iter().filter_map(|r| r[i]).sum();
                let unit = if fd.kind == FieldKind::Number {
                    &fd.unit
                } else {
                    &Unit::plain()
                };
                let digits = c.digits.or(fd.digits).unwrap_or(unit.default_digits());
                TableCell {
                    text: unit.format(sum, digits, ctx.lang),
                    value: crate::transform::inline::machine(sum),
                    derived: true,
                }
            })
            .collect();
        Some(TableRow {
            label: ctx.ui.word("total").to_string(),
            cells,
        })
    } else {
        None
    };
    let header_label = ctx.text(root.get("row_label"))?;
    let table = TableData {
        header_label,
        columns: header_labels
            .into_iter()
            .map(|label| Column { label, numeric: true })
            .collect(),
        rows: body,
        total,
    };
    Ok(head.figure("tbl", number, &ds.id, FigureBody::Table(table)))
}

/// A table column: its field, and the label and digits the block sets.
struct Col<'n> {
    field: usize,
    label: Option<String>,
    digits: Option<usize>,
    node: Node<'n>,
}

/// One table row per dataset row, each value with its qualifier.
/// Rows, column labels, and the values in base units (for the total).
type Body = (Vec<TableRow>, Vec<String>, Vec<Vec<Option<f64>>>);

fn plain_rows(ctx: &Ctx, ds: &Dataset, cols: &[Col], rows: &[usize]) -> Body {
    let cell = |r: usize, c: &Col| match query::value(ctx.values, ds, r, c.field) {
        Some(v) => TableCell {
            text: super::inline::shown(v, c.digits.unwrap_or(v.digits), ctx.lang),
            value: crate::transform::inline::machine(v.q.value),
            derived: v.formula.is_some(),
        },
        None => missing(),
    };
    let body = rows
        .iter()
        .map(|&r| TableRow {
            label: ds.label(r, ctx.lang).to_string(),
            cells: cols.iter().map(|c| cell(r, c)).collect(),
        })
        .collect();
    let labels = cols
        .iter()
        .map(|c| {
            c.label
                .clone()
                .unwrap_or_else(|| ds.fields[c.field].label.get(ctx.lang).to_string())
        })
        .collect();
    let raw = rows
        .iter()
        .map(|&r| {
            cols.iter()
                .map(|c| query::value(ctx.values, ds, r, c.field).map(|v| v.q.value))
                .collect()
        })
        .collect();
    (body, labels, raw)
}

/// One table row per group (or per filtered row), through the block's
/// `filter`, `group` and `aggregate`.
fn grouped_rows(ctx: &Ctx, ds: &Dataset, root: &Node, cols: &[Col], rows: &[usize]) -> Result<Body, Diagnostic> {
    let named: Vec<(usize, Node)> = cols.iter().map(|c| (c.field, c.node.clone())).collect();
    if named.is_empty() {
        return Err(root
            .error("this table has no number column")
            .hint("list the columns to show: `columns: [...]`"));
    }
    let q = Query::parse(root, ds, &named)?;
    let fields: Vec<usize> = cols.iter().map(|c| c.field).collect();
    let frame = q.run(ctx.values, ds, rows, &fields, false, ctx.lang)?;
    let units: Vec<Unit> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| match q.agg(i) {
            Some(Agg::Count) => Unit::plain(),
            _ => ds.fields[c.field].unit.clone(),
        })
        .collect();
    let body = frame
        .categories
        .iter()
        .enumerate()
        .map(|(k, cat)| TableRow {
            label: cat.label.clone(),
            cells: cols
                .iter()
                .enumerate()
                .map(|(i, c)| match frame.columns[i][k] {
                    Some(v) => TableCell {
                        text: units[i].format(v.value, c.digits.unwrap_or(v.digits), ctx.lang),
                        value: crate::transform::inline::machine(v.value),
                        derived: v.derived,
                    },
                    None => missing(),
                })
                .collect(),
        })
        .collect();
    let labels = cols
        .iter()
        .enumerate()
        .map(|(i, c)| {
            c.label
                .clone()
                .unwrap_or_else(|| q.series_label(ds, i, c.field, ctx.lang))
        })
        .collect();
    let raw = (0..frame.categories.len())
        .map(|k| frame.columns.iter().map(|c| c[k].map(|v| v.value)).collect())
        .collect();
    Ok((body, labels, raw))
}

fn missing() -> TableCell {
    TableCell {
        text: "–".into(),
        value: String::new(),
        derived: false,
    }
}

/// Parses a stats block.
pub(super) fn stats_block(ctx: &Ctx, root: &Node, number: usize, loc: Loc) -> Result<Figure, Diagnostic> {
    let mut tiles = Vec::new();
    let mut datasets = Vec::new();
    // `id:` and `tiles:` name a group a translation can place; a bare list is anonymous.
    let (id, list) = if root.is_map() {
        root.only_keys(&["id", "tiles"])?;
        let id = root.req("id", "a short name for the group")?;
        (Some((id.str()?, id.loc())), root.req("tiles", "the list of tiles")?)
    } else {
        (None, root.clone())
    };
    let items = list.items().map_err(|_| {
        Diagnostic::error(
            loc.clone(),
            "a stats block is a list of `- value: dataset.row.field` items with a `label`",
        )
    })?;
    for n in items {
        n.only_keys(&["value", "label"])?;
        let v = n.req("value", "the value's name, e.g. `power.texas.gap`")?;
        let name = v.str()?;
        let full = ctx
            .values
            .qualify(&name, ctx.report)
            .ok_or_else(|| v.error(ctx.values.unknown(&name, ctx.report)))?;
        let ds = ctx.values.get(&full).map(|x| x.dataset.clone()).unwrap_or_default();
        if !datasets.contains(&ds) {
            datasets.push(ds);
        }
        tiles.push(Tile {
            value: full,
            label: ctx.text(Some(n.req("label", "what the number is")?))?,
            html: String::new(),
            source_text: String::new(),
        });
    }
    if tiles.is_empty() {
        return Err(Diagnostic::error(loc, "the stats block is empty").hint("list at least one `- value: …`"));
    }
    let (key, id_loc) = id.unwrap_or_else(|| (format!("{number}"), loc.clone()));
    Ok(Figure {
        html_id: format!("stats-{key}"),
        key,
        number: 0,
        title: String::new(),
        caption: String::new(),
        description: "-".into(),
        datasets,
        body: FigureBody::Stats(tiles),
        id_loc,
        loc,
    })
}
