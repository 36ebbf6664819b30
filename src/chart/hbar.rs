//! Horizontal bars: `hbar` (one series, or floating ranges) and
//! `stacked-bar` (series stacked along each row, optionally to 100 %).
//! Category labels sit left of the bars in the band axis' label column
//! ([`BandAxis::down`]), so long and Chinese labels are never cut; the bars
//! and their value labels are drawn by [`super::barmarks`], as for columns,
//! and the margins widen until no label leaves the chart.

use super::ChartKind;
use super::axis::{self, Ctx};
use super::band::BandAxis;
use super::barmarks::Bars;
use super::bars::{self, Orientation, Row};
use super::scene::{Scene, Shape, item_bbox};
use super::theme::{BAR_H, BAR_SHARE, LABEL_COLUMN_GAP, LABEL_COLUMN_SHARE, LEGEND_GAP, PAD, STACK_H, VALUE_SIZE};
use super::ticks::{self, Scale};

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
    let mut sc = Scene::default();
    let plot_h = cats.band * rows.len() as f64;
    axis::x_axis(&mut sc, scale, ticks, (left, right), (0.0, plot_h));
    let bars = Bars {
        orientation: Orientation::Horizontal,
        scale,
        along: (left, right),
        cats,
        thickness: geo.bar_h,
        gap: 0.0,
        slots: 1,
        value_size: geo.value_size,
        thin_numbers: true,
    };
    // Each row reads label, bar, value.
    let drawn = bars.draw(ctx, rows, &mut |labels, i| cats.draw_one(labels, i, left));
    sc.items.extend(drawn.marks.items);
    let x0 = left + scale.frac(0.0) * (right - left);
    axis::baseline(&mut sc, scale, (x0, 0.0), (x0, plot_h));
    sc.items.extend(drawn.labels.items);
    // One pass measures both: how far anything reaches right, and how far
    // any text reaches left.
    let (max_x, tick_min) = sc.items.iter().fold((f64::MIN, f64::MAX), |(r, l), i| {
        let b = item_bbox(&i.shape);
        let text = matches!(i.shape, Shape::Text { .. });
        (r.max(b.2), if text { l.min(b.0) } else { l })
    });
    let over_l = drawn.ends.iter().map(|b| left - b.0).fold(PAD - tick_min, f64::max);
    (sc, over_l, max_x - (ctx.frame.width - PAD))
}
