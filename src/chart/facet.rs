//! Small multiples: one chart split into a grid of panels, one per value
//! of a field, so a reader compares like with like at a glance.
//!
//! Every panel is the ordinary layout of its kind, drawn in a smaller
//! [`Frame`] that carries what the panels share: one value range (so a
//! value lies at one height, or one bar length, in every panel), one x
//! range, and for horizontal bars one value-axis span. The shared value
//! axis ends as close beyond the data as its labels allow (a narrow panel
//! would otherwise get a step of twice the data). The figure keeps one
//! title, one unit line, one legend (only for several series), one x axis
//! title under the grid and one source line; each panel is a labelled
//! `<g>` titled with its value. Columns follow from the width a panel
//! needs, and panel height from the page: the whole grid stays within
//! [`PANELS_MAX_H`], so a faceted figure never splits in print.

use super::axis::{self, Ctx, Frame};
use super::bars::{self, Orientation};
use super::scene::{Anchor, Scene, Shape};
use super::text;
use super::theme::{
    Colors, GAP, LEGEND_GAP, PAD, PANEL_CHROME, PANEL_GAP, PANEL_MIN_W, PANEL_MIN_W_HBAR, PANEL_PLOT_H, PANEL_PLOT_MIN,
    PANEL_ROW_GAP, PANEL_TITLE_GAP, PANEL_TITLE_SIZE, PANELS_MAX_H, Paint, TITLE_WRAP, WIDTH,
};
use super::{ChartInput, ChartKind, describe, hbar, xaxis};

fn is_bar(kind: ChartKind) -> bool {
    matches!(
        kind,
        ChartKind::Bar | ChartKind::HBar | ChartKind::GroupedBar | ChartKind::StackedBar | ChartKind::StackedColumn
    )
}

/// How many panel columns fit the figure's width for a chart of `kind`.
pub fn columns(kind: ChartKind, panels: usize) -> usize {
    let horizontal = is_bar(kind) && Orientation::of(kind) == Orientation::Horizontal;
    let min_w = if horizontal { PANEL_MIN_W_HBAR } else { PANEL_MIN_W };
    (((WIDTH + PANEL_GAP) / (min_w + PANEL_GAP)).floor() as usize).clamp(1, panels.max(1))
}

/// The range of values a panel's marks cover; `None` when it shows none
/// (or the scale is fixed, as for 100 % stacks).
fn value_domain(ctx: &Ctx) -> Option<(f64, f64)> {
    let input = ctx.input;
    let d = if is_bar(input.kind) {
        if input.normalize {
            return None;
        }
        bars::domain(&bars::rows(ctx).0)
    } else {
        ctx.series_domain()
    };
    (d.0 <= d.1).then_some(d)
}

fn union(ranges: impl Iterator<Item = (f64, f64)>) -> Option<(f64, f64)> {
    ranges.reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
}

/// The context of one panel: its own data, the figure's formatter.
fn at<'a>(ctx: &Ctx<'a>, sub: &'a ChartInput, frame: Frame) -> Ctx<'a> {
    Ctx {
        input: sub,
        fmt: ctx.fmt,
        colors: Colors::new(sub),
        frame,
    }
}

/// Lays out `ctx.input.panels` as a grid of small charts.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let subs: Vec<ChartInput> = input.panels.iter().map(|p| input.panel(p)).collect();
    let cols = columns(input.kind, subs.len());
    let grid_rows = subs.len().div_ceil(cols).max(1);
    let pw = (WIDTH - PANEL_GAP * (cols - 1) as f64) / cols as f64;
    let budget = PANELS_MAX_H / grid_rows as f64 - PANEL_CHROME;
    let mut frame = Frame {
        width: pw,
        plot_h: budget.clamp(PANEL_PLOT_MIN, PANEL_PLOT_H),
        max_rows_h: budget.max(PANEL_PLOT_MIN),
        domain: None,
        x_domain: None,
        span: None,
        panel: true,
    };
    frame.domain = union(subs.iter().filter_map(|s| value_domain(&at(ctx, s, frame))));
    frame.x_domain = union(subs.iter().filter_map(|s| {
        let x = s.x.as_ref()?.numbers();
        let d = x.iter().fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
        (d.0 <= d.1).then_some(d)
    }));
    if is_bar(input.kind) && Orientation::of(input.kind) == Orientation::Horizontal {
        // One value-axis span for all: the narrowest any panel's labels allow.
        let spans = subs.iter().map(|s| hbar::layout_span(&at(ctx, s, frame)).1);
        frame.span = spans.reduce(|a, b| (a.0.max(b.0), a.1.min(b.1)));
    }
    let all_derived = describe::all_derived(input);
    let mut out = Scene::default();
    let (mut top, mut grid_bottom) = (0.0, 0.0);
    for (r, chunk) in input.panels.chunks(cols).enumerate() {
        let scenes: Vec<Scene> = subs[r * cols..r * cols + chunk.len()]
            .iter()
            .map(|s| {
                let mut sc = super::layout(&at(ctx, s, frame));
                if all_derived {
                    sc.retain(|i| i.class != Some("derived"));
                }
                sc
            })
            .collect();
        // Plots of one row line up: each starts below the tallest head.
        let above = scenes.iter().map(|s| -s.bbox().1).fold(0.0, f64::max);
        let title_h = PANEL_TITLE_SIZE + PANEL_TITLE_GAP;
        let mut bottom = top;
        for (c, (p, mut sc)) in chunk.iter().zip(scenes).enumerate() {
            let mut head = Scene::default();
            let name = text::abbreviate(&p.label, (pw - 2.0 * PAD) / TITLE_WRAP, PANEL_TITLE_SIZE);
            let title = head.text(
                PAD,
                -above - PANEL_TITLE_GAP - PANEL_TITLE_SIZE / 2.0,
                &name,
                PANEL_TITLE_SIZE,
                Anchor::Start,
                Paint::Ink,
            );
            if let Shape::Text { bold, .. } = &mut title.shape {
                *bold = true;
            }
            sc.prepend(head);
            sc.shift_x(c as f64 * (pw + PANEL_GAP));
            sc.shift_y(top + above + title_h);
            bottom = f64::max(bottom, sc.bbox().3);
            out.append_group(sc, &p.key, &p.label);
        }
        top = bottom + PANEL_ROW_GAP;
        grid_bottom = bottom;
    }
    if input.x.is_some() {
        // One x axis title for the grid, under its bottom row.
        xaxis::title(&mut out, &input.x_label, (PAD, WIDTH - PAD), grid_bottom + GAP);
    }
    if input.series.len() >= 2 {
        axis::series_legend(&mut out, ctx, LEGEND_GAP);
    }
    out
}
