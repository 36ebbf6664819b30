//! The one bar model behind every bar chart (`bar`, `hbar`, `grouped-bar`,
//! `stacked-bar`, `stacked-column`, ranges), in either orientation.
//!
//! A bar lies along the value axis and across the category axis. The data
//! (which pieces, from where to where, which labels) is built once here
//! from the chart kind; [`Orientation`] maps (along, across) to (x, y), so
//! the same pieces draw as columns or as horizontal bars, along one band
//! axis ([`super::band::BandAxis`]) that sets category labels for either
//! orientation, and one routine draws them with their value labels
//! ([`super::barmarks`]). What stays apart, in `hbar` and `vbar`, is the
//! axes: a label column and margins that grow to fit, or a plot of fixed
//! height with labels under it.

use super::axis::{self, Ctx};
use super::scene::{Mark, Shape, rect_shape};
use super::theme::Rgb;
use super::ticks::{self, Scale, Tick};
use super::{ChartKind, Scale as AxisScale, ValueFormat};

/// Which way bars run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Values along x, categories down the page (`hbar`, `stacked-bar`).
    Horizontal,
    /// Values up the page, categories along x (`bar`, `grouped-bar`,
    /// `stacked-column`).
    Vertical,
}

impl Orientation {
    /// The orientation a chart kind draws in.
    pub fn of(kind: ChartKind) -> Orientation {
        match kind {
            ChartKind::HBar | ChartKind::StackedBar => Orientation::Horizontal,
            _ => Orientation::Vertical,
        }
    }

    /// A point given its position along the value axis and across it.
    pub fn xy(self, along: f64, across: f64) -> (f64, f64) {
        match self {
            Orientation::Horizontal => (along, across),
            Orientation::Vertical => (across, along),
        }
    }

    /// The rectangle spanning `along` on the value axis and `across` on the
    /// category axis.
    pub fn rect(self, along: (f64, f64), across: (f64, f64)) -> Shape {
        rect_shape(self.xy(along.0, across.0), self.xy(along.1, across.1))
    }
}

/// Where slot `slot` of `slots` bars, each `thickness` thick and `gap`
/// apart, lies across a band centred on `centre`.
pub fn slot_span(centre: f64, thickness: f64, gap: f64, slots: usize, slot: usize) -> (f64, f64) {
    let group = thickness * slots as f64 + gap * slots.saturating_sub(1) as f64;
    let c0 = centre - group / 2.0 + (thickness + gap) * slot as f64;
    (c0, c0 + thickness)
}

/// One bar or stack piece.
pub struct Seg {
    /// Position within its category's group (grouped bars); 0 otherwise.
    pub slot: usize,
    /// Start value; `None` is the axis base (zero, or a log axis' floor).
    pub from: Option<f64>,
    /// End value.
    pub to: f64,
    /// Fill.
    pub color: Rgb,
    /// What the piece stands for.
    pub mark: Mark,
    /// Its own value label (single, range and grouped bars): inside the
    /// bar's end when it fits, else just beyond it.
    pub label: Option<String>,
    /// Stack pieces: labels to try inside, longest first; shown inside or
    /// not at all (the next piece sits beyond the end).
    pub inside: Vec<String>,
}

/// One category: its pieces and what is written beyond them.
pub struct Row {
    /// Pieces in drawing order.
    pub segs: Vec<Seg>,
    /// Stacks: the total beyond the stack's end (none when normalised).
    pub total: Option<String>,
    /// Ranges centre their label in the bar.
    pub centre: bool,
    /// No series has a value here: the chart says "no data" instead.
    pub missing: bool,
}

/// The rows of a bar chart and how many slots a category holds.
pub fn rows(ctx: &Ctx) -> (Vec<Row>, usize) {
    let input = ctx.input;
    match input.kind {
        ChartKind::Bar | ChartKind::HBar => (single_rows(ctx), 1),
        ChartKind::StackedBar | ChartKind::StackedColumn => (stack_rows(ctx), 1),
        _ => (grouped_rows(ctx), input.series.len()),
    }
}

fn single_rows(ctx: &Ctx) -> Vec<Row> {
    let input = ctx.input;
    let colors = ctx.single_colors();
    let mut out = Vec::with_capacity(input.categories.len());
    for (i, c) in input.categories.iter().enumerate() {
        let (from, to, low, label, series) = if input.range {
            let (lo, hi) = (input.series[0].values[i], input.series[1].values[i]);
            let (lo, hi) = (lo.unwrap_or(0.0), hi.unwrap_or(0.0));
            let label = axis::range_text(ctx.fmt, lo, hi, input.decimals);
            (Some(lo), hi, Some(lo), label, &input.series[1])
        } else {
            let Some(v) = input.series[0].values[i] else {
                out.push(Row {
                    segs: Vec::new(),
                    total: None,
                    centre: false,
                    missing: true,
                });
                continue;
            };
            (None, v, None, ctx.value(v), &input.series[0])
        };
        let mark = Mark {
            key: c.key.clone(),
            series: series.key.clone(),
            value: to,
            low,
            derived: input.series.iter().any(|s| s.is_derived(i)),
            ..Mark::default()
        };
        let seg = Seg {
            slot: 0,
            from,
            to,
            color: colors[i],
            mark,
            label: Some(label),
            inside: Vec::new(),
        };
        out.push(Row {
            segs: vec![seg],
            total: None,
            centre: input.range,
            missing: false,
        });
    }
    out
}

/// Each series' piece sits on the one before, scaled to 100 % per category
/// when normalised.
fn stack_rows(ctx: &Ctx) -> Vec<Row> {
    let input = ctx.input;
    let colors = ctx.series_colors();
    let d = input.decimals;
    let mut out = Vec::with_capacity(input.categories.len());
    for (i, c) in input.categories.iter().enumerate() {
        let total: f64 = input.series.iter().filter_map(|s| s.values[i]).sum();
        let k = if input.normalize { 100.0 / total } else { 1.0 };
        let mut at = 0.0;
        let mut segs = Vec::with_capacity(input.series.len());
        for (s, color) in input.series.iter().zip(&colors) {
            let Some(v) = s.values[i] else { continue };
            let share = v / total * 100.0;
            // A narrow share may still take its bare number ("5"): the
            // axis and the wider pieces say these are percentages.
            let inside = if input.normalize {
                vec![
                    axis::share_text(ctx.fmt, &input.words, share, d),
                    format!("{share:.d$}"),
                ]
            } else {
                vec![ctx.value(v)]
            };
            let mark = Mark {
                key: c.key.clone(),
                series: s.key.clone(),
                value: v,
                share: input.normalize.then_some(share),
                derived: s.is_derived(i),
                ..Mark::default()
            };
            segs.push(Seg {
                slot: 0,
                from: Some(at),
                to: at + v * k,
                color: *color,
                mark,
                label: None,
                inside,
            });
            at += v * k;
        }
        let missing = segs.is_empty();
        out.push(Row {
            segs,
            total: (!input.normalize && !missing).then(|| ctx.value(total)),
            centre: false,
            missing,
        });
    }
    out
}

fn grouped_rows(ctx: &Ctx) -> Vec<Row> {
    let input = ctx.input;
    let colors = ctx.series_colors();
    let mut out = Vec::with_capacity(input.categories.len());
    for (i, c) in input.categories.iter().enumerate() {
        let mut segs = Vec::with_capacity(input.series.len());
        for (j, s) in input.series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let mark = Mark {
                key: c.key.clone(),
                series: s.key.clone(),
                value: v,
                derived: s.is_derived(i),
                ..Mark::default()
            };
            segs.push(Seg {
                slot: j,
                from: None,
                to: v,
                color: colors[j],
                mark,
                label: Some(ctx.value(v)),
                inside: Vec::new(),
            });
        }
        let missing = segs.is_empty();
        out.push(Row {
            segs,
            total: None,
            centre: false,
            missing,
        });
    }
    out
}

/// Round ticks for the value axis, `len` px long: shares in percent for
/// normalised stacks (always 0–100 %), the chart's unit otherwise. Tick
/// labels sit along a horizontal value axis and across a vertical one; a
/// panel's shared axis ends as close beyond the data as labels allow.
pub fn value_ticks(ctx: &Ctx, rows: &[Row], len: f64, orientation: Orientation) -> (Scale, Vec<Tick>) {
    let input = ctx.input;
    let share_fmt = axis::ShareFmt(ctx.fmt, &input.words);
    let (domain, fmt): ((f64, f64), &dyn ValueFormat) = if input.normalize {
        ((0.0, 100.0), &share_fmt)
    } else {
        (ctx.frame.domain.unwrap_or_else(|| domain(rows)), ctx.fmt)
    };
    let log = input.scale == AxisScale::Log;
    let how = ticks::Fit {
        log,
        along: orientation == Orientation::Horizontal,
        zero: true,
        tight: ctx.frame.panel,
    };
    ticks::fit(how, domain, len, fmt)
}

/// The value range every piece covers (`None` ends at the axis base are
/// left to the scale, which always includes its base).
pub fn domain(rows: &[Row]) -> (f64, f64) {
    rows.iter()
        .flat_map(|r| r.segs.iter().flat_map(|s| s.from.into_iter().chain([s.to])))
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)))
}
