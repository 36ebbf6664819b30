//! Line charts: one line per series over the categories, labelled directly
//! at the line ends instead of with a legend, so the reader's eye never has
//! to travel between key and data.

use super::axis::{self, Ctx};
use super::band::BandAxis;
use super::scene::{Anchor, Mark, Scene, Shape};
use super::text;
use super::theme::{
    DOT_R, DOT_R_DERIVED, DOT_SPACING, END_KEY_W, END_LABEL_GAP, END_LABEL_STEP, LEGEND_SIZE, LINE_W, PAD, Paint,
    SWATCH, SWATCH_GAP, TICK_GAP,
};
use super::ticks::Scale;
use super::{Series, XAxis, time, xaxis};

fn last_value(s: &Series) -> Option<f64> {
    s.values.iter().rev().find_map(|v| *v)
}

/// Lays out a line chart.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let (scale, ticks) = ctx.vertical_ticks(true);
    let (plot_h, width) = (ctx.frame.plot_h, ctx.frame.width);
    let direct = ctx.own_legend();
    let label_w = input
        .series
        .iter()
        .map(|s| text::width(&s.label, LEGEND_SIZE, false))
        .fold(0.0, f64::max);
    let right = if direct {
        width - PAD - END_LABEL_GAP - SWATCH - SWATCH_GAP - label_w
    } else {
        width - PAD
    };
    let names: Vec<&str> = input.categories.iter().map(|c| c.label.as_str()).collect();
    let y = |v: f64| ctx.y_of(scale.frac(v));
    let mut sc = Scene::default();
    let plot_left = PAD + axis::tick_width(&ticks) + TICK_GAP;
    // Positions: evenly spaced bands, or proportional to a numeric x.
    let (left, right, xs, spacing) = match &input.x {
        Some(xa) => {
            let xv = xa.numbers();
            let domain = ctx.frame.x_domain.unwrap_or((xv[0], xv[xv.len() - 1]));
            let scale = xaxis::draw(
                &mut sc,
                input,
                xa,
                domain,
                (plot_left, right, width),
                plot_h,
                !ctx.frame.panel,
            );
            let xs: Vec<f64> = xv.iter().map(|v| scale.at(*v)).collect();
            let spacing = xs.windows(2).map(|w| w[1] - w[0]).fold(f64::MAX, f64::min);
            (scale.left, scale.right, xs, spacing)
        }
        None => {
            let cat = BandAxis::across(&names, plot_left, right, true);
            cat.draw(&mut sc, plot_h);
            let xs = (0..names.len()).map(|i| cat.centre(i)).collect();
            (cat.start, right, xs, cat.band)
        }
    };
    // Dates further apart than the usual step are a gap in the data.
    let gaps = match &input.x {
        Some(XAxis::Date(days)) => time::breaks(days),
        _ => vec![false; xs.len()],
    };
    let x = |i: usize| xs[i];
    axis::y_axis(&mut sc, scale, &ticks, (left, right), (0.0, plot_h));
    if matches!(scale, Scale::Linear { .. }) {
        axis::baseline(&mut sc, scale, (left, y(0.0)), (right, y(0.0)));
    }
    // Dots only where they stand apart; a dense line is its own mark, and
    // the description and data table carry each value. On a dense line a
    // computed stretch is stroked with the hatch instead of dotted, so ten
    // years of daily means stay a line and the SVG stays small.
    let dots = spacing >= DOT_SPACING;
    // One walk over each series' points builds its line runs, its hatched
    // stretches and its dots; hatches and dots are drawn over every line.
    let (mut hatches, mut marks) = (Scene::default(), Scene::default());
    let colors = ctx.series_colors();
    for (s, color) in input.series.iter().zip(&colors) {
        // A missing value breaks the line rather than bridging the gap.
        let mut run: Vec<(f64, f64)> = Vec::new();
        let mut runs = Vec::new();
        let mut hatch: Vec<(f64, f64)> = Vec::new();
        for (i, v) in s.values.iter().enumerate() {
            if gaps[i] || v.is_none() {
                runs.push(std::mem::take(&mut run));
            }
            if gaps[i] {
                flush_hatch(&mut hatches, &mut hatch);
            }
            let Some(v) = *v else {
                flush_hatch(&mut hatches, &mut hatch);
                continue;
            };
            let (px, py) = (x(i), y(v));
            run.push((px, py));
            let derived = s.is_derived(i);
            // A sparse line's computed values are hatched dots instead.
            match (dots, derived) {
                (true, _) => {}
                (false, true) => hatch.push((px, py)),
                (false, false) => flush_hatch(&mut hatches, &mut hatch),
            }
            // A point with no neighbour on its line would vanish without its dot.
            let joined = |j: usize| j < s.values.len() && !gaps[j.max(i)] && s.values[j].is_some();
            let alone = !(joined(i + 1) || i > 0 && joined(i - 1));
            if !dots && !alone {
                continue;
            }
            let shape = Shape::Circle {
                cx: px,
                cy: py,
                r: if derived { DOT_R_DERIVED } else { DOT_R },
            };
            let mark = Mark {
                key: input.categories[i].key.clone(),
                series: s.key.clone(),
                value: v,
                derived,
                ..Mark::default()
            };
            marks.mark(shape, Paint::Color(*color), mark);
        }
        runs.push(run);
        flush_hatch(&mut hatches, &mut hatch);
        if input.kind == super::ChartKind::Area {
            let base = y(scale.base());
            for r in runs.iter().filter(|r| r.len() >= 2) {
                let mut pts = r.clone();
                pts.push((r[r.len() - 1].0, base));
                pts.push((r[0].0, base));
                sc.push(Shape::Polygon { points: pts }, Paint::Tint(*color)).class = Some("area");
            }
        }
        for r in runs.into_iter().filter(|r| r.len() >= 2) {
            sc.push(
                Shape::Line {
                    points: r,
                    width: LINE_W,
                },
                Paint::Color(*color),
            )
            .class = Some("line");
        }
    }
    sc.items.append(&mut hatches.items);
    sc.items.append(&mut marks.items);
    if direct {
        end_labels(ctx, &mut sc, right, &y);
    }
    sc
}

/// Lays the hatch over a stretch of consecutive computed values of a
/// dense line (two points at least), and starts the next.
fn flush_hatch(sc: &mut Scene, run: &mut Vec<(f64, f64)>) {
    let points = std::mem::take(run);
    if points.len() >= 2 {
        sc.push(Shape::Line { points, width: LINE_W }, Paint::Hatch).class = Some("derived");
    }
}

/// Series names right of the plot at their last value, pushed apart so
/// they never overlap, each with a short stroke of its colour as the key.
fn end_labels(ctx: &Ctx, sc: &mut Scene, right: f64, y: &dyn Fn(f64) -> f64) {
    let colors = ctx.series_colors();
    let mut ends: Vec<(f64, usize)> = ctx
        .input
        .series
        .iter()
        .enumerate()
        .filter_map(|(j, s)| last_value(s).map(|v| (y(v), j)))
        .collect();
    ends.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let step = LEGEND_SIZE * END_LABEL_STEP;
    for i in 1..ends.len() {
        ends[i].0 = ends[i].0.max(ends[i - 1].0 + step);
    }
    // Pull the stack back up if it was pushed below the plot.
    let over = ends.last().map_or(0.0, |e| e.0 - ctx.frame.plot_h).max(0.0);
    let top = ends.first().map_or(0.0, |e| e.0);
    let lift = over.min(top.max(0.0));
    for (yy, j) in ends {
        let yy = yy - lift;
        let x0 = right + END_LABEL_GAP;
        sc.line((x0, yy), (x0 + SWATCH, yy), END_KEY_W, Paint::Color(colors[j]));
        sc.text(
            x0 + SWATCH + SWATCH_GAP,
            yy,
            &ctx.input.series[j].label,
            LEGEND_SIZE,
            Anchor::Start,
            Paint::Ink,
        );
    }
}
