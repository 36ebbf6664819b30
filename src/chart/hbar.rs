//! Horizontal bars: `hbar` (one series, or floating ranges) and
//! `stacked-bar` (series stacked along each row, optionally to 100 %).
//! Category labels sit left of the bars in a column sized to the longest
//! label, so long and Chinese labels are never cut.

use super::ChartKind;
use super::axis::{self, Ctx};
use super::bars::{self, Orientation, Row};
use super::scene::{Anchor, Scene};
use super::text;
use super::theme::{
    BAR_H, BAR_SHARE, GAP, LABEL_COLUMN_GAP, LABEL_COLUMN_SHARE, LABEL_SIZE, LEGEND_GAP, LINE_HEIGHT, MAX_ROWS_H,
    MIN_TEXT, PAD, Paint, ROW_H, ROW_PAD, STACK_H, VALUE_SIZE, WIDTH,
};
use super::ticks::{self, Scale};

/// What is written beyond a row's bars: a stack's total, a single bar's
/// value (inside its end when it fits), or "no data".
fn end_text<'a>(ctx: &'a Ctx, row: &'a Row) -> Option<&'a str> {
    if row.missing {
        return Some(ctx.missing());
    }
    match (&row.total, row.segs.as_slice()) {
        (Some(t), _) => Some(t),
        (None, [seg]) => seg.label.as_deref(),
        _ => None,
    }
}

/// Row geometry: roomy (labels may wrap onto two lines) or squeezed so the
/// chart fits one printed page (one-line labels, thinner bars, and labels
/// on every `every`-th row when even the smallest text would touch).
struct Geometry {
    row_h: f64,
    bar_h: f64,
    label_size: f64,
    value_size: f64,
    every: usize,
    /// Label column width and each row's label lines (empty when skipped).
    col: f64,
    lines: Vec<Vec<String>>,
}

fn geometry(labels: &[&str], stacked: bool) -> Geometry {
    let cap = WIDTH * LABEL_COLUMN_SHARE;
    let n = labels.len().max(1);
    // A label longer than the cap wraps onto two lines, never inside a word
    // and never shortened.
    let col = labels
        .iter()
        .map(|l| {
            let w = text::width(l, LABEL_SIZE, false);
            if w <= cap {
                w
            } else {
                text::min_width_for_lines(l, LABEL_SIZE, 2).max(text::longest_word(l, LABEL_SIZE))
            }
        })
        .fold(0.0, f64::max);
    let lines: Vec<Vec<String>> = labels.iter().map(|l| text::wrap(l, col + 0.5, LABEL_SIZE)).collect();
    let max_lines = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let row_h = (max_lines * LABEL_SIZE * LINE_HEIGHT + ROW_PAD).max(ROW_H);
    if row_h * n as f64 <= MAX_ROWS_H {
        let bar_h = if stacked { STACK_H } else { BAR_H };
        return Geometry {
            row_h,
            bar_h,
            label_size: LABEL_SIZE,
            value_size: VALUE_SIZE,
            every: 1,
            col,
            lines,
        };
    }
    // Squeezed: one line per label, cut with "…" beyond the cap (the
    // description and the data table keep every name whole).
    let row_h = MAX_ROWS_H / n as f64;
    let size = (row_h / LINE_HEIGHT).floor().clamp(MIN_TEXT, LABEL_SIZE);
    let every = ((size * LINE_HEIGHT) / row_h).ceil().max(1.0) as usize;
    let lines: Vec<Vec<String>> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i % every == 0 {
                vec![text::abbreviate(l, cap, size)]
            } else {
                Vec::new()
            }
        })
        .collect();
    let col = lines
        .iter()
        .flatten()
        .map(|l| text::width(l, size, false))
        .fold(0.0, f64::max);
    Geometry {
        row_h,
        bar_h: row_h * BAR_SHARE,
        label_size: size,
        value_size: size.min(VALUE_SIZE),
        every,
        col,
        lines,
    }
}

/// Lays out horizontal bars.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let (rows, _) = bars::rows(ctx);
    let labels: Vec<&str> = input.categories.iter().map(|c| c.label.as_str()).collect();
    let geo = geometry(&labels, input.kind == ChartKind::StackedBar);
    let col = geo.col;
    let (mut left, mut right) = (PAD + col + LABEL_COLUMN_GAP, WIDTH - PAD);
    let mut scene = Scene::default();
    // Margins depend on where labels land, which depends on the margins:
    // widen until nothing overflows (converges in a step or two).
    for _ in 0..8 {
        let (scale, ticks) = bars::value_ticks(ctx, &rows, right - left, Orientation::Horizontal);
        let (s, over_l, over_r) = draw(ctx, &rows, &geo, scale, &ticks, (left, right));
        scene = s;
        if over_l <= 0.01 && over_r <= 0.01 {
            break;
        }
        left += over_l.max(0.0).ceil();
        right -= over_r.max(0.0).ceil();
    }
    if input.kind == ChartKind::StackedBar && input.series.len() >= 2 {
        axis::series_legend(&mut scene, ctx, LEGEND_GAP);
    }
    scene
}

/// Draws with fixed margins; returns the scene and how far value or tick
/// labels overflow on the left and right.
fn draw(
    ctx: &Ctx,
    rows: &[Row],
    geo: &Geometry,
    scale: Scale,
    ticks: &[ticks::Tick],
    (left, right): (f64, f64),
) -> (Scene, f64, f64) {
    let (row_h, bar_h, vs) = (geo.row_h, geo.bar_h, geo.value_size);
    let mut sc = Scene::default();
    let plot_h = row_h * rows.len() as f64;
    let x = |v: f64| left + scale.frac(v) * (right - left);
    axis::x_axis(&mut sc, scale, ticks, (left, right), (0.0, plot_h));
    let mut value_boxes: Vec<f64> = Vec::new();
    let mut labels = Scene::default();
    for (i, row) in rows.iter().enumerate() {
        let yc = row_h * (i as f64 + 0.5);
        labels.lines(
            left - LABEL_COLUMN_GAP,
            yc,
            &geo.lines[i],
            geo.label_size,
            Anchor::End,
            Paint::Ink,
        );
        let labelled = i % geo.every == 0;
        let mut far = x(scale.base());
        let mut dir = 1.0;
        for seg in &row.segs {
            let (b, e) = (x(seg.from.unwrap_or(scale.base())), x(seg.to));
            let shape = Orientation::Horizontal.rect((b, e), bars::slot_span(yc, bar_h, 0.0, 1, 0));
            sc.mark(shape, Paint::Color(seg.color), seg.mark.clone());
            let room = (e - b).abs() - 2.0 * GAP;
            let tall = bar_h >= vs + 2.0;
            if let Some(t) = seg.inside.iter().find(|t| tall && text::width(t, vs, false) <= room) {
                let on = Paint::Color(seg.color.text_on());
                labels.text((b + e) / 2.0, yc, t, vs, Anchor::Middle, on).halo = seg.mark.derived.then_some(seg.color);
            }
            dir = if e < b { -1.0 } else { 1.0 };
            far = if dir > 0.0 { far.max(e) } else { far.min(e) };
        }
        let Some(t) = end_text(ctx, row).filter(|_| labelled) else {
            continue;
        };
        let w = text::width(t, vs, false);
        let item = match row.segs.as_slice() {
            // A computed bar keeps its number outside, clear of the hatching.
            [seg]
                if bar_h >= vs
                    && !seg.mark.derived
                    && (x(seg.to) - x(seg.from.unwrap_or(scale.base()))).abs() >= w + 2.0 * GAP =>
            {
                let (b, e) = (x(seg.from.unwrap_or(scale.base())), x(seg.to));
                let on = Paint::Color(seg.color.text_on());
                if row.centre {
                    labels.text((b + e) / 2.0, yc, t, vs, Anchor::Middle, on)
                } else if dir > 0.0 {
                    labels.text(e - GAP, yc, t, vs, Anchor::End, on)
                } else {
                    labels.text(e + GAP, yc, t, vs, Anchor::Start, on)
                }
            }
            _ if dir > 0.0 => labels.text(far + GAP, yc, t, vs, Anchor::Start, Paint::Ink),
            _ => labels.text(far - GAP, yc, t, vs, Anchor::End, Paint::Ink),
        };
        let b = super::scene::item_bbox(&item.shape);
        value_boxes.push(b.0);
    }
    axis::baseline(&mut sc, scale, (x(0.0), 0.0), (x(0.0), plot_h));
    sc.items.extend(labels.items);
    let (_, _, max_x, _) = sc.bbox();
    let tick_min = sc.text_boxes().iter().map(|b| b.0).fold(f64::MAX, f64::min);
    let over_l = value_boxes.iter().map(|x0| left - x0).fold(PAD - tick_min, f64::max);
    (sc, over_l, max_x - (WIDTH - PAD))
}
