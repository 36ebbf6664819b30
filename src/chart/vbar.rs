//! Vertical bars: `bar` (one series, or floating ranges), `grouped-bar`
//! (series side by side in each category) and `stacked-column`. Category
//! labels wrap under their band; the bars and their value labels are drawn
//! by [`super::barmarks`], as for horizontal bars; when value labels would
//! cover a neighbour, the chart drops them all (the axis and the
//! description still carry every value).

use super::ChartKind;
use super::axis::{self, Ctx};
use super::band::BandAxis;
use super::barmarks::{Bars, Drawn};
use super::bars::{self, Orientation};
use super::scene::{BBox, Scene, item_bbox, overlaps};
use super::theme::{
    COLUMN_MAX, COLUMN_SHARE, GROUP_BAR_MAX, GROUP_GAP, GROUP_SHARE, LEGEND_GAP, PAD, TICK_GAP, VALUE_SIZE,
};
use super::ticks::Scale;

/// Lays out vertical bars.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let (rows, slots) = bars::rows(ctx);
    let (plot_h, width) = (ctx.frame.plot_h, ctx.frame.width);
    let (scale, ticks) = bars::value_ticks(ctx, &rows, plot_h, Orientation::Vertical);
    let right = width - PAD;
    let names: Vec<&str> = input.categories.iter().map(|c| c.label.as_str()).collect();
    let cat = BandAxis::across(&names, PAD + axis::tick_width(&ticks) + TICK_GAP, right, false);
    let (left, band) = (cat.start, cat.band);
    let y = |v: f64| ctx.y_of(scale.frac(v));
    let mut sc = Scene::default();
    axis::y_axis(&mut sc, scale, &ticks, (left, right), (0.0, plot_h));

    let bw = if slots == 1 {
        (band * COLUMN_SHARE).min(COLUMN_MAX)
    } else {
        ((band * GROUP_SHARE - GROUP_GAP * (slots - 1) as f64) / slots as f64).min(GROUP_BAR_MAX)
    };
    let bars = Bars {
        orientation: Orientation::Vertical,
        scale,
        along: (plot_h, 0.0),
        cats: &cat,
        thickness: bw,
        gap: GROUP_GAP,
        slots,
        value_size: VALUE_SIZE,
        thin_numbers: false,
    };
    let Drawn {
        marks,
        mut labels,
        rects,
        ..
    } = bars.draw(ctx, &rows, &mut |_, _| {});
    sc.items.extend(marks.items);
    cat.draw(&mut sc, plot_h);
    if clash(&labels, &rects, &sc.text_boxes(), width) {
        // Labels wider than their bars would cover a neighbour; the axis and
        // the description still carry every value.
        labels.items.clear();
    }
    if matches!(scale, Scale::Linear { .. }) {
        axis::baseline(&mut sc, scale, (left, y(0.0)), (right, y(0.0)));
    }
    sc.items.extend(labels.items);
    if matches!(input.kind, ChartKind::GroupedBar | ChartKind::StackedColumn) && ctx.own_legend() {
        axis::series_legend(&mut sc, ctx, LEGEND_GAP);
    }
    sc
}

/// Whether any value label touches another label, a bar other than its own
/// (the one it is centred on), another text, or leaves the viewBox sides.
/// A sweep over boxes sorted by left edge, so crowded charts stay n·log n.
fn clash(labels: &Scene, rects: &[BBox], texts: &[BBox], width: f64) -> bool {
    #[derive(PartialEq)]
    enum Kind {
        Label,
        Bar,
        Text,
    }
    let boxes: Vec<BBox> = labels.items.iter().map(|i| item_bbox(&i.shape)).collect();
    if boxes.iter().any(|b| b.0 < PAD || b.2 > width - PAD) {
        return true;
    }
    let mut all: Vec<(BBox, Kind)> = boxes.into_iter().map(|b| (b, Kind::Label)).collect();
    all.extend(rects.iter().map(|r| (*r, Kind::Bar)));
    all.extend(texts.iter().map(|t| (*t, Kind::Text)));
    all.sort_by(|a, b| a.0.0.total_cmp(&b.0.0));
    let own = |label: &BBox, bar: &BBox| label.0 >= bar.0 - 0.01 && label.2 <= bar.2 + 0.01;
    for (i, (a, ka)) in all.iter().enumerate() {
        for (b, kb) in &all[i + 1..] {
            if b.0 >= a.2 - 0.01 {
                break;
            }
            let hit = match (ka, kb) {
                (Kind::Label, Kind::Bar) => !own(a, b) && overlaps(*a, *b),
                (Kind::Bar, Kind::Label) => !own(b, a) && overlaps(*a, *b),
                (Kind::Label, _) | (_, Kind::Label) => overlaps(*a, *b),
                _ => false,
            };
            if hit {
                return true;
            }
        }
    }
    false
}
