//! Horizontal bars: `hbar` (one series, or floating ranges) and
//! `stacked-bar` (series stacked along each row, optionally to 100 %).
//! Category labels sit left of the bars in the band axis' label column
//! ([`BandAxis::down`]), so long and Chinese labels are never cut.

use super::ChartKind;
use super::axis::{self, Ctx};
use super::band::BandAxis;
use super::bars::{self, Orientation, Row};
use super::scene::{Anchor, Scene};
use super::text;
use super::theme::{
    BAR_H, BAR_SHARE, GAP, LABEL_COLUMN_GAP, LABEL_COLUMN_SHARE, LEGEND_GAP, PAD, Paint, STACK_H, VALUE_SIZE,
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

/// Bar thickness and value-label size for rows of `cats`: roomy rows
/// take the theme's bars, squeezed rows thinner ones and smaller text.
struct Geometry {
    bar_h: f64,
    value_size: f64,
}

impl Geometry {
    fn of(cats: &BandAxis, stacked: bool) -> Geometry {
        let bar_h = match (cats.squeezed, stacked) {
            (true, _) => cats.band * BAR_SHARE,
            (false, true) => STACK_H,
            (false, false) => BAR_H,
        };
        Geometry {
            bar_h,
            value_size: cats.size.min(VALUE_SIZE),
        }
    }
}

/// Lays out horizontal bars.
pub fn layout(ctx: &Ctx) -> Scene {
    layout_span(ctx).0
}

/// Lays out horizontal bars; also returns where the value axis starts and
/// ends, so small multiples can share one.
pub fn layout_span(ctx: &Ctx) -> (Scene, (f64, f64)) {
    let input = ctx.input;
    let width = ctx.frame.width;
    let (rows, _) = bars::rows(ctx);
    let labels: Vec<&str> = input.categories.iter().map(|c| c.label.as_str()).collect();
    let cats = BandAxis::down(&labels, width * LABEL_COLUMN_SHARE, ctx.frame.max_rows_h);
    let geo = Geometry::of(&cats, input.kind == ChartKind::StackedBar);
    let (mut left, mut right) = (PAD + cats.col + LABEL_COLUMN_GAP, width - PAD);
    let mut scene = Scene::default();
    if let Some((l, r)) = ctx.frame.span {
        let (scale, ticks) = bars::value_ticks(ctx, &rows, r - l, Orientation::Horizontal);
        scene = draw(ctx, &rows, &cats, &geo, scale, &ticks, (l, r)).0;
        (left, right) = (l, r);
    } else {
        // Margins depend on where labels land, which depends on the
        // margins: widen until nothing overflows (a step or two).
        for _ in 0..8 {
            let (scale, ticks) = bars::value_ticks(ctx, &rows, right - left, Orientation::Horizontal);
            let (s, over_l, over_r) = draw(ctx, &rows, &cats, &geo, scale, &ticks, (left, right));
            scene = s;
            if over_l <= 0.01 && over_r <= 0.01 {
                break;
            }
            left += over_l.max(0.0).ceil();
            right -= over_r.max(0.0).ceil();
        }
    }
    if input.kind == ChartKind::StackedBar && ctx.own_legend() {
        axis::series_legend(&mut scene, ctx, LEGEND_GAP);
    }
    (scene, (left, right))
}

/// Draws with fixed margins; returns the scene and how far value or tick
/// labels overflow on the left and right.
fn draw(
    ctx: &Ctx,
    rows: &[Row],
    cats: &BandAxis,
    geo: &Geometry,
    scale: Scale,
    ticks: &[ticks::Tick],
    (left, right): (f64, f64),
) -> (Scene, f64, f64) {
    let (row_h, bar_h, vs) = (cats.band, geo.bar_h, geo.value_size);
    let mut sc = Scene::default();
    let plot_h = row_h * rows.len() as f64;
    let x = |v: f64| left + scale.frac(v) * (right - left);
    axis::x_axis(&mut sc, scale, ticks, (left, right), (0.0, plot_h));
    let mut value_boxes: Vec<f64> = Vec::new();
    let mut labels = Scene::default();
    for (i, row) in rows.iter().enumerate() {
        let yc = cats.centre(i);
        cats.draw_one(&mut labels, i, left);
        let labelled = cats.labelled(i);
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
    (sc, over_l, max_x - (ctx.frame.width - PAD))
}
