//! ```table and ```stats blocks: dataset values as a numbered table, or as
//! headline stat tiles.

use super::figures::{
    Column, Ctx, Figure, FigureBody, Head, TableCell, TableData, TableRow, Tile, field_index, row_indices,
};
use crate::diag::{Diagnostic, Loc};
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
    ])?;
    let ds = ctx.dataset(&root.req("data", "the dataset id")?)?;
    // A column is a field key, or `{field, label, digits}` to set its format here.
    let mut cols: Vec<(usize, String, Option<usize>)> = Vec::new();
    match root.get("columns") {
        Some(c) => {
            for n in c.items()? {
                if n.is_map() {
                    n.only_keys(&["field", "label", "digits"])?;
                    let f = field_index(ds, &n.req("field", "the field to show")?)?;
                    let label = match n.get("label") {
                        Some(l) => ctx.text(Some(l))?,
                        None => ds.fields[f].label.get(ctx.lang).to_string(),
                    };
                    cols.push((f, label, n.get("digits").map(|d| d.count()).transpose()?));
                } else {
                    let f = field_index(ds, &n)?;
                    cols.push((f, ds.fields[f].label.get(ctx.lang).to_string(), None));
                }
            }
        }
        None => cols.extend((0..ds.fields.len()).map(|f| (f, ds.fields[f].label.get(ctx.lang).to_string(), None))),
    }
    let rows = row_indices(ds, root.get("rows"))?;
    let value_of = |r: usize, f: usize| {
        ctx.values
            .get(&format!("{}.{}.{}", ds.id, ds.rows[r].key, ds.fields[f].key))
    };
    let cell = |r: usize, &(f, _, digits): &(usize, String, Option<usize>)| match value_of(r, f) {
        Some(v) => TableCell {
            text: super::inline::shown(v, digits.unwrap_or(v.digits), ctx.lang),
            value: crate::transform::inline::machine(v.q.value),
            derived: v.formula.is_some(),
        },
        None => TableCell {
            text: "–".into(),
            value: String::new(),
            derived: false,
        },
    };
    let body: Vec<TableRow> = rows
        .iter()
        .map(|&r| TableRow {
            label: ds.rows[r].label.get(ctx.lang).to_string(),
            cells: cols.iter().map(|c| cell(r, c)).collect(),
        })
        .collect();
    let total = if root.get("total").map(|t| t.bool()).transpose()?.unwrap_or(false) {
        let cells = cols
            .iter()
            .map(|&(f, _, digits)| {
                let fd = &ds.fields[f];
                let sum: f64 = rows.iter().filter_map(|&r| value_of(r, f)).map(|v| v.q.value).sum();
                let digits = digits.or(fd.digits).unwrap_or(fd.unit.default_digits());
                TableCell {
                    text: fd.unit.format(sum, digits, ctx.lang),
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
        columns: cols
            .into_iter()
            .map(|(_, label, _)| Column { label, numeric: true })
            .collect(),
        rows: body,
        total,
    };
    Ok(head.figure("tbl", number, &ds.id, FigureBody::Table(table)))
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
