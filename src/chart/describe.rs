//! The chart's data in words, for `<desc>` and screen readers.

use super::axis::{range_text, share_text};
use super::{ChartInput, ChartKind, Scale, Series, ValueFormat};

fn kind_name(input: &ChartInput) -> String {
    let w = &input.words;
    let base = match input.kind {
        ChartKind::Bar => &w.bar,
        ChartKind::HBar => &w.hbar,
        ChartKind::GroupedBar => &w.grouped_bar,
        ChartKind::StackedBar if input.normalize => &w.stacked_bar_100,
        ChartKind::StackedBar => &w.stacked_bar,
        ChartKind::StackedColumn if input.normalize => &w.stacked_column_100,
        ChartKind::StackedColumn => &w.stacked_column,
        ChartKind::Line => &w.line,
        ChartKind::Donut => &w.donut,
        ChartKind::Area => &w.area,
        ChartKind::Scatter => &w.scatter,
    };
    let mut s = base.clone();
    if input.range {
        s.push_str(&w.of_ranges);
    }
    if input.scale == Scale::Log {
        s.push_str(&w.log_scale);
    }
    s
}

fn is_line(input: &ChartInput) -> bool {
    matches!(input.kind, ChartKind::Line | ChartKind::Area | ChartKind::Scatter)
}

/// Line series longer than this are summed up rather than read out: a
/// listener cannot hold hundreds of numbers, and the data table has them.
const DESC_POINTS: usize = 24;

/// "120 values, from Jan 2015 USD 50 bn to Dec 2024 USD 68 bn; lowest …".
fn summary(input: &ChartInput, s: &Series, fmt: &dyn ValueFormat) -> String {
    let pts: Vec<(usize, f64)> = s
        .values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    let at = |(i, v): (usize, f64)| format!("{} {}", input.categories[i].label, fmt.format(v, input.decimals));
    let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
        return input.words.no_data.clone();
    };
    let min = pts.iter().copied().fold(*first, |a, b| if b.1 < a.1 { b } else { a });
    let max = pts.iter().copied().fold(*first, |a, b| if b.1 > a.1 { b } else { a });
    input
        .words
        .series_summary
        .replace("{n}", &pts.len().to_string())
        .replace("{first}", &at(*first))
        .replace("{last}", &at(*last))
        .replace("{min}", &at(min))
        .replace("{max}", &at(max))
}

/// Whether any value drawn is computed by quire.
pub fn any_derived(input: &ChartInput) -> bool {
    input
        .series
        .iter()
        .any(|s| (0..input.categories.len()).any(|i| s.is_derived(i) && s.values.get(i).is_some_and(|v| v.is_some())))
}

/// Whether every value the chart shows was computed by quire (counts,
/// means): then one sentence says so, and no mark needs its own hatch.
pub fn all_derived(input: &ChartInput) -> bool {
    let mut shown = input.series.iter().flat_map(|s| {
        s.values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_some())
            .map(move |(i, _)| s.is_derived(i))
    });
    shown.next().is_some_and(|first| first && shown.all(|d| d))
}

/// States the data in words, e.g. "Horizontal bar chart. United States:
/// USD 155 bn; China: USD 42 bn." in the caller's [`super::ChartWords`].
/// A computed value is followed by `words.computed`, and the key sentence
/// closes the text. Never fails, so even an invalid chart can be described
/// in an error report.
/// Small multiples read panel by panel: "Europe: …. Japan: …." after the
/// chart's name.
pub fn describe(input: &ChartInput, fmt: &dyn ValueFormat) -> String {
    let w = &input.words;
    // Written straight into one string: a chart's description is built
    // on every render, so no per-value `format!` and no joins.
    let mut out = kind_name(input);
    out.push_str(&w.stop);
    let all = all_derived(input);
    if input.panels.is_empty() {
        out.push_str(&w.sentence_sep);
        body(input, fmt, all, &mut out);
        out.push_str(&w.stop);
    }
    for p in &input.panels {
        out.push_str(&w.sentence_sep);
        out.push_str(&p.label);
        out.push_str(&w.colon);
        body(&input.panel(p), fmt, all, &mut out);
        out.push_str(&w.stop);
    }
    if any_derived(input) {
        out.push_str(&w.sentence_sep);
        out.push_str(if all { &w.all_derived_key } else { &w.derived_key });
        out.push_str(&w.stop);
    }
    out
}

/// The data of one chart (or panel) in words; computed values are marked
/// unless `all` are.
fn body(input: &ChartInput, fmt: &dyn ValueFormat, all: bool, out: &mut String) {
    let w = &input.words;
    let (colon, item_sep, group_sep) = (&w.colon, &w.item_sep, &w.group_sep);
    let missing = w.no_data.as_str();
    // A value in words, marked when quire computed it (unless every value
    // is, which the closing sentence says once).
    let val = |out: &mut String, s: &Series, i: usize| match s.values.get(i).copied().flatten() {
        None => out.push_str(missing),
        Some(v) => {
            out.push_str(&fmt.format(v, input.decimals));
            if s.is_derived(i) && !all {
                out.push_str(&w.computed);
            }
        }
    };
    let cats = &input.categories;
    let mut first_group = true;
    let mut group = |out: &mut String| {
        if !std::mem::take(&mut first_group) {
            out.push_str(group_sep);
        }
    };
    if input.range && input.series.len() == 2 {
        let (lo, hi) = (&input.series[0], &input.series[1]);
        for (i, c) in cats.iter().enumerate() {
            group(out);
            out.push_str(&c.label);
            out.push_str(colon);
            match (lo.values.get(i), hi.values.get(i)) {
                (Some(Some(a)), Some(Some(b))) => out.push_str(&range_text(fmt, *a, *b, input.decimals)),
                _ => out.push_str(missing),
            }
            if (lo.is_derived(i) || hi.is_derived(i)) && !all {
                out.push_str(&w.computed);
            }
        }
    } else if input.series.len() == 1 && !is_line(input) {
        let s = &input.series[0];
        for (i, c) in cats.iter().enumerate() {
            group(out);
            out.push_str(&c.label);
            out.push_str(colon);
            val(out, s, i);
        }
    } else if is_line(input) && cats.len() > DESC_POINTS {
        for s in &input.series {
            group(out);
            out.push_str(&s.label);
            out.push_str(colon);
            out.push_str(&summary(input, s, fmt));
        }
    } else if is_line(input) {
        for s in &input.series {
            group(out);
            out.push_str(&s.label);
            out.push_str(colon);
            for (i, c) in cats.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                out.push_str(&c.label);
                out.push(' ');
                val(out, s, i);
            }
        }
    } else {
        for (i, c) in cats.iter().enumerate() {
            group(out);
            let at = |s: &Series| s.values.get(i).copied().flatten();
            let total: f64 = input.series.iter().filter_map(at).sum();
            out.push_str(&c.label);
            out.push_str(colon);
            for (j, s) in input.series.iter().enumerate() {
                if j > 0 {
                    out.push_str(item_sep);
                }
                out.push_str(&s.label);
                out.push(' ');
                val(out, s, i);
                if let (true, Some(v), true) = (input.normalize, at(s), total > 0.0) {
                    let share = share_text(fmt, w, v / total * 100.0, input.decimals);
                    if share != fmt.format(v, input.decimals) {
                        out.push_str(" (");
                        out.push_str(&share);
                        out.push(')');
                    }
                }
            }
        }
    }
}
