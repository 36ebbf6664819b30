//! Vertical bars: `bar` (one series, or floating ranges) and `grouped-bar`
//! (series side by side in each category). Category labels wrap under
//! their band; value labels sit inside the bar top or just above it.

use super::ChartKind;
use super::axis::{self, Ctx};
use super::band::BandAxis;
use super::bars::{self, Orientation};
use super::scene::{Anchor, BBox, Scene, item_bbox, overlaps};
use super::text;
use super::theme::{
    COLUMN_MAX, COLUMN_SHARE, GAP, GROUP_BAR_MAX, GROUP_GAP, GROUP_SHARE, INSIDE_SPARE, LEGEND_GAP, PAD, Paint,
    TICK_GAP, VALUE_SIZE,
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

    let gap = GROUP_GAP;
    let bw = if slots == 1 {
        (band * COLUMN_SHARE).min(COLUMN_MAX)
    } else {
        ((band * GROUP_SHARE - gap * (slots - 1) as f64) / slots as f64).min(GROUP_BAR_MAX)
    };
    let mut rects: Vec<BBox> = Vec::new();
    let mut labels = Scene::default();
    for (i, row) in rows.iter().enumerate() {
        for b in &row.segs {
            let (x0, x1) = bars::slot_span(cat.centre(i), bw, gap, slots, b.slot);
            let (yb, ye) = (y(b.from.unwrap_or(scale.base())), y(b.to));
            let shape = Orientation::Vertical.rect((yb, ye), (x0, x1));
            rects.push(item_bbox(&shape));
            sc.mark(shape, Paint::Color(b.color), b.mark.clone());
            let inside_only = b.label.is_none();
            let h = (yb - ye).abs();
            // Stack pieces take the first of their labels that fits.
            let room = |t: &str| {
                h >= VALUE_SIZE + 2.0 * GAP + INSIDE_SPARE && text::width(t, VALUE_SIZE, false) <= bw - 2.0 * GAP
            };
            let (label, room) = match &b.label {
                Some(l) => (l.as_str(), room(l)),
                None => match b.inside.iter().find(|t| room(t)) {
                    Some(t) => (t.as_str(), true),
                    None => continue,
                },
            };
            // A computed bar keeps its number outside, clear of the hatching;
            // stack pieces have no outside, so theirs gets a halo instead.
            let fits = room && (!b.mark.derived || inside_only);
            let centre = row.centre || inside_only;
            let xc = (x0 + x1) / 2.0;
            let up = if ye <= yb { 1.0 } else { -1.0 };
            let on = Paint::Color(b.color.text_on());
            let half = GAP + VALUE_SIZE / 2.0;
            let item = match (fits, centre) {
                (true, true) => labels.text(xc, (yb + ye) / 2.0, label, VALUE_SIZE, Anchor::Middle, on),
                (true, false) => labels.text(xc, ye + up * half, label, VALUE_SIZE, Anchor::Middle, on),
                (false, _) => labels.text(xc, ye - up * half, label, VALUE_SIZE, Anchor::Middle, Paint::Ink),
            };
            if fits && b.mark.derived {
                item.halo = Some(b.color);
            }
        }
        if let (Some(total), Some(top)) = (&row.total, row.segs.last()) {
            // Each stack's total above it.
            let yt = y(top.to) - GAP - VALUE_SIZE / 2.0;
            labels.text(cat.centre(i), yt, total, VALUE_SIZE, Anchor::Middle, Paint::Ink);
        }
    }
    let base_y = y(scale.base());
    for (i, row) in rows.iter().enumerate() {
        if row.missing {
            labels.text(
                cat.centre(i),
                base_y - VALUE_SIZE,
                ctx.missing(),
                VALUE_SIZE,
                Anchor::Middle,
                Paint::Muted,
            );
        }
    }
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
