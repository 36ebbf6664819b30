//! Refuses inputs a chart would misrepresent, with a message that tells the
//! author what to fix. Checked once up front so layouts can assume sane data.

use super::{ChartError, ChartInput, ChartKind, MAX_PANELS, Scale};

/// Checks everything the layouts rely on.
pub fn check(input: &ChartInput) -> Result<(), ChartError> {
    let id = &input.id;
    // The caller names the chart; the message says what is wrong and how to fix it.
    let fail = |msg: String| Err(ChartError(msg));
    if id.is_empty() {
        return fail("the chart has no id; give the chart block an `id:` so its SVG ids are unique".into());
    }
    if id
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '&' | '#'))
    {
        return fail("the id may hold letters, digits, `-` and `_` only; it becomes SVG element ids".into());
    }
    if input.categories.is_empty() {
        return fail(
            "there are no categories to plot; list the rows to show in `rows:` or add rows to the dataset".into(),
        );
    }
    if input.series.is_empty() {
        return fail("there is no series to plot; name a field in `series:`".into());
    }
    for s in &input.series {
        if s.values.len() != input.categories.len() {
            return fail(format!(
                "series `{}` has {} values for {} categories; every series needs one value per row",
                s.key,
                s.values.len(),
                input.categories.len()
            ));
        }
        if s.values.iter().all(Option::is_none) {
            return fail(format!(
                "series `{}` has no values in the rows shown; add values to the dataset or drop the field from `series:`",
                s.key
            ));
        }
        for (c, v) in input.categories.iter().zip(&s.values) {
            let Some(v) = *v else { continue };
            if !v.is_finite() {
                return fail(format!(
                    "`{}` of `{}` is not a finite number ({v}); check the value or its derivation",
                    s.key, c.key
                ));
            }
            if input.scale == Scale::Log && v <= 0.0 {
                return fail(format!(
                    "`{}` of `{}` is {v}, which a log scale cannot show; use `scale: linear` or drop the row",
                    s.key, c.key
                ));
            }
            if v < 0.0
                && matches!(
                    input.kind,
                    ChartKind::Donut | ChartKind::StackedBar | ChartKind::StackedColumn
                )
            {
                let what = if input.kind == ChartKind::Donut {
                    "donut"
                } else {
                    "stacked bar"
                };
                return fail(format!(
                    "`{}` of `{}` is negative ({v}); a {what} shows parts of a whole, so use a bar chart for values below zero",
                    s.key, c.key
                ));
            }
        }
    }
    if input.panels.is_empty() {
        check_x(input)?;
    } else {
        check_panels(input)?;
        // x restarts in each panel, so each must increase on its own.
        for p in &input.panels {
            check_x(&input.panel(p))?;
        }
    }
    check_kind(input).map_err(ChartError)
}

/// Small multiples: a kind that can be split, not too many panels, and
/// panels that cover the categories in order.
fn check_panels(input: &ChartInput) -> Result<(), ChartError> {
    let fail = |msg: String| Err(ChartError(msg));
    if input.kind == ChartKind::Donut {
        return fail("a donut cannot be split into panels; use `type: bar` or `stacked-bar` for parts by group".into());
    }
    if input.panels.len() > MAX_PANELS {
        return fail(format!(
            "{} panels are too many to read (at most {MAX_PANELS}); filter the rows to fewer values, or facet by a coarser field",
            input.panels.len()
        ));
    }
    let mut next = 0;
    for p in &input.panels {
        if p.rows.start != next || p.rows.end <= p.rows.start {
            return fail(format!(
                "panel `{}` does not continue the categories in order (rows {:?} after {next}); panels must cover the categories one after another",
                p.key, p.rows
            ));
        }
        next = p.rows.end;
    }
    if next != input.categories.len() {
        return fail(format!(
            "the panels cover {next} of {} categories; every category must be in one panel",
            input.categories.len()
        ));
    }
    Ok(())
}

fn check_x(input: &ChartInput) -> Result<(), ChartError> {
    let fail = |msg: String| Err(ChartError(msg));
    let Some(xa) = &input.x else {
        if input.kind == ChartKind::Scatter {
            return fail(
                "a scatter plot places each row at an x position, but none was given; name a numeric or date field for x in the chart block, or use `type: line`"
                    .into(),
            );
        }
        return Ok(());
    };
    let x = xa.numbers();
    if !matches!(input.kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter) {
        return fail("a numeric or date x axis works with `type: line`, `area` or `scatter` only; remove `x:`".into());
    }
    if x.len() != input.categories.len() {
        return fail(format!(
            "`x:` has {} numbers for {} categories; give one per row",
            x.len(),
            input.categories.len()
        ));
    }
    if let Some(i) = x.iter().position(|v| !v.is_finite()) {
        return fail(format!(
            "the x position of `{}` is not a finite number ({}); check the value",
            input.categories[i].key, x[i]
        ));
    }
    if input.kind == ChartKind::Scatter {
        // Dots may come in any order; only a line needs its x to increase.
        return Ok(());
    }
    for (i, w) in x.windows(2).enumerate() {
        if w[0] >= w[1] {
            return fail(format!(
                "`x:` must increase row by row, but `{}` ({}) is not below `{}` ({}); sort the rows by x",
                input.categories[i].key,
                w[0],
                input.categories[i + 1].key,
                w[1]
            ));
        }
    }
    Ok(())
}

fn check_kind(input: &ChartInput) -> Result<(), String> {
    let n = input.series.len();
    let single = matches!(input.kind, ChartKind::Bar | ChartKind::HBar | ChartKind::Donut);
    if input.range {
        if !matches!(input.kind, ChartKind::Bar | ChartKind::HBar) {
            return Err("`range:` works with `type: bar` or `type: hbar` only".into());
        }
        if n != 2 {
            return Err(format!(
                "a range chart needs exactly two series (low, high), got {n}; write `range: [low, high]`"
            ));
        }
        let (lo, hi) = (&input.series[0], &input.series[1]);
        for (i, c) in input.categories.iter().enumerate() {
            match (lo.values[i], hi.values[i]) {
                (Some(a), Some(b)) if a > b => {
                    return Err(format!(
                        "for `{}` the low end `{}` ({a}) is above the high end `{}` ({b}); swap the fields in `range:`",
                        c.key, lo.key, hi.key
                    ));
                }
                (Some(_), Some(_)) => {}
                _ => {
                    return Err(format!(
                        "`{}` lacks a low or a high value; a range needs both `{}` and `{}`",
                        c.key, lo.key, hi.key
                    ));
                }
            }
        }
    } else if single && n != 1 {
        return Err(format!(
            "this chart type shows one series but {n} were given; use `grouped-bar` or `stacked-bar` for several"
        ));
    }
    if input.normalize && !matches!(input.kind, ChartKind::StackedBar | ChartKind::StackedColumn) {
        return Err("`normalize: true` applies to `stacked-bar` and `stacked-column` only; remove it".into());
    }
    if input.scale == Scale::Log
        && matches!(
            input.kind,
            ChartKind::StackedBar | ChartKind::StackedColumn | ChartKind::Donut
        )
    {
        return Err("a log scale cannot show parts of a whole; use `scale: linear` for stacked bars and donuts".into());
    }
    match input.kind {
        ChartKind::Donut => {
            let vals = &input.series[0].values;
            if vals.iter().flatten().all(|v| *v == 0.0) {
                return Err("every value is zero, so there is no whole to divide; check the data".into());
            }
        }
        ChartKind::StackedBar | ChartKind::StackedColumn if input.normalize => {
            for (i, c) in input.categories.iter().enumerate() {
                if input.series.iter().filter_map(|s| s.values[i]).sum::<f64>() <= 0.0 {
                    return Err(format!(
                        "`{}` sums to zero, so it has no 100 %; drop the row or add its values",
                        c.key
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
