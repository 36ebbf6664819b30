//! Vertical bars: `bar` (one series, or floating ranges) and `grouped-bar`
//! (series side by side in each category). Category labels wrap under
//! their band; value labels sit inside the bar top or just above it.

use super::axis::{self, Ctx};
use super::scene::{Anchor, BBox, Mark, Scene, item_bbox, overlaps, rect_shape};
use super::text;
use super::theme::{
    COLUMN_MAX, COLUMN_SHARE, GAP, GROUP_BAR_MAX, GROUP_GAP, GROUP_SHARE, PAD, PLOT_H, Paint, Rgb, TICK_GAP,
    VALUE_SIZE, WIDTH,
};
use super::ticks::{self, Scale};
use super::{ChartKind, Scale as AxisScale};

/// One bar in a category band.
struct Bar {
    cat: usize,
    slot: usize,
    from: Option<f64>,
    to: f64,
    color: Rgb,
    mark: Mark,
    label: String,
    /// Ranges centre their label inside the bar.
    centre: bool,
    /// Stack segments: label only inside, never above (the next segment
    /// sits there).
    inside_only: bool,
}

fn bars(ctx: &Ctx) -> (Vec<Bar>, usize) {
    let input = ctx.input;
    let mut out = Vec::new();
    if input.kind == ChartKind::Bar {
        let colors = ctx.single_colors();
        for (i, c) in input.categories.iter().enumerate() {
            let (from, to, low, label, series) = if input.range {
                let (lo, hi) = (input.series[0].values[i], input.series[1].values[i]);
                let (lo, hi) = (lo.unwrap_or(0.0), hi.unwrap_or(0.0));
                let label = axis::range_text(ctx.fmt, lo, hi, input.decimals);
                (Some(lo), hi, Some(lo), label, &input.series[1])
            } else {
                let Some(v) = input.series[0].values[i] else { continue };
                (None, v, None, ctx.value(v), &input.series[0])
            };
            let mark = Mark {
                key: c.key.clone(),
                series: series.key.clone(),
                value: to,
                low,
                share: None,
                x: None,
                derived: input.series.iter().any(|s| s.is_derived(i)),
            };
            out.push(Bar {
                cat: i,
                slot: 0,
                from,
                to,
                color: colors[i],
                mark,
                label,
                centre: input.range,
                inside_only: false,
            });
        }
        return (out, 1);
    }
    if input.kind == ChartKind::StackedColumn {
        return (stacks(ctx), 1);
    }
    let colors = ctx.series_colors();
    for (i, c) in input.categories.iter().enumerate() {
        for (j, s) in input.series.iter().enumerate() {
            let Some(v) = s.values[i] else { continue };
            let mark = Mark {
                key: c.key.clone(),
                series: s.key.clone(),
                value: v,
                derived: s.is_derived(i),
                ..Mark::default()
            };
            out.push(Bar {
                cat: i,
                slot: j,
                from: None,
                to: v,
                color: colors[j],
                mark,
                label: ctx.value(v),
                centre: false,
                inside_only: false,
            });
        }
    }
    (out, input.series.len())
}

/// Stacked columns: each series' piece sits on the one before, scaled to
/// 100 % per category when normalised.
fn stacks(ctx: &Ctx) -> Vec<Bar> {
    let input = ctx.input;
    let colors = ctx.series_colors();
    let mut out = Vec::new();
    for (i, c) in input.categories.iter().enumerate() {
        let total: f64 = input.series.iter().filter_map(|s| s.values[i]).sum();
        let k = if input.normalize { 100.0 / total } else { 1.0 };
        let mut at = 0.0;
        for (s, color) in input.series.iter().zip(&colors) {
            let Some(v) = s.values[i] else { continue };
            let share = v / total * 100.0;
            let label = if input.normalize {
                axis::share_text(ctx.fmt, &input.words, share, input.decimals)
            } else {
                ctx.value(v)
            };
            out.push(Bar {
                cat: i,
                slot: 0,
                from: Some(at),
                to: at + v * k,
                color: *color,
                mark: Mark {
                    key: c.key.clone(),
                    series: s.key.clone(),
                    value: v,
                    share: input.normalize.then_some(share),
                    derived: s.is_derived(i),
                    ..Mark::default()
                },
                label,
                centre: true,
                inside_only: true,
            });
            at += v * k;
        }
    }
    out
}

/// Lays out vertical bars.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let (bars, slots) = bars(ctx);
    let log = input.scale == AxisScale::Log;
    let ends = bars.iter().flat_map(|b| b.from.into_iter().chain([b.to]));
    let domain = ends.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
    let share_fmt = axis::ShareFmt(ctx.fmt, &input.words);
    let tick_fmt: &dyn super::ValueFormat = if input.normalize { &share_fmt } else { ctx.fmt };
    let (scale, ticks) = ticks::fit(log, domain, PLOT_H, false, true, tick_fmt);
    let right = WIDTH - PAD;
    let n = input.categories.len();
    let names: Vec<&str> = input.categories.iter().map(|c| c.label.as_str()).collect();
    let cat = axis::CatAxis::fit(&names, PAD + axis::tick_width(&ticks) + TICK_GAP, right, false);
    let (left, band) = (cat.left, cat.band);
    let y = |v: f64| PLOT_H - scale.frac(v) * PLOT_H;
    let mut sc = Scene::default();
    axis::y_axis(&mut sc, scale, &ticks, (left, right), (0.0, PLOT_H));

    let gap = GROUP_GAP;
    let bw = if slots == 1 {
        (band * COLUMN_SHARE).min(COLUMN_MAX)
    } else {
        ((band * GROUP_SHARE - gap * (slots - 1) as f64) / slots as f64).min(GROUP_BAR_MAX)
    };
    let group = bw * slots as f64 + gap * (slots - 1) as f64;
    let mut rects: Vec<BBox> = Vec::new();
    let mut labels = Scene::default();
    for b in &bars {
        let x0 = left + band * (b.cat as f64 + 0.5) - group / 2.0 + (bw + gap) * b.slot as f64;
        let (yb, ye) = (y(b.from.unwrap_or(scale.base())), y(b.to));
        let shape = rect_shape((x0, yb), (x0 + bw, ye));
        rects.push(item_bbox(&shape));
        sc.mark(shape, Paint::Color(b.color), b.mark.clone());
        let xc = x0 + bw / 2.0;
        let (w, h) = (text::width(&b.label, VALUE_SIZE, false), (yb - ye).abs());
        // A computed bar keeps its number outside, clear of the hatching;
        // stack pieces have no outside, so theirs gets a halo instead.
        let room = h >= VALUE_SIZE + 2.0 * GAP + 4.0 && w <= bw - 2.0 * GAP;
        let fits = room && (!b.mark.derived || b.inside_only);
        let up = if ye <= yb { 1.0 } else { -1.0 };
        let on = Paint::Color(b.color.text_on());
        let half = GAP + VALUE_SIZE / 2.0;
        if b.inside_only && !fits {
            continue;
        }
        let item = match (fits, b.centre) {
            (true, true) => labels.text(xc, (yb + ye) / 2.0, &b.label, VALUE_SIZE, Anchor::Middle, on),
            (true, false) => labels.text(xc, ye + up * half, &b.label, VALUE_SIZE, Anchor::Middle, on),
            (false, _) => labels.text(xc, ye - up * half, &b.label, VALUE_SIZE, Anchor::Middle, Paint::Ink),
        };
        if fits && b.mark.derived {
            item.halo = Some(b.color);
        }
    }
    if input.kind == ChartKind::StackedColumn && !input.normalize {
        // Each stack's total above it.
        for i in 0..n {
            let total: f64 = input.series.iter().filter_map(|s| s.values[i]).sum();
            if input.series.iter().any(|s| s.values[i].is_some()) {
                let yt = y(total) - GAP - VALUE_SIZE / 2.0;
                labels.text(cat.x(i), yt, &ctx.value(total), VALUE_SIZE, Anchor::Middle, Paint::Ink);
            }
        }
    }
    let base_y = y(scale.base());
    let xs: Vec<f64> = (0..n).map(|i| left + band * (i as f64 + 0.5)).collect();
    for (i, xc) in xs.iter().enumerate() {
        if input.series.iter().all(|s| s.values[i].is_none()) {
            labels.text(
                *xc,
                base_y - VALUE_SIZE,
                ctx.missing(),
                VALUE_SIZE,
                Anchor::Middle,
                Paint::Muted,
            );
        }
    }
    cat.draw(&mut sc, PLOT_H);
    if clash(&labels, &rects, &sc.text_boxes()) {
        // Labels wider than their bars would cover a neighbour; the axis and
        // the description still carry every value.
        labels.items.clear();
    }
    if matches!(scale, Scale::Linear { .. }) {
        axis::baseline(&mut sc, scale, (left, y(0.0)), (right, y(0.0)));
    }
    sc.items.extend(labels.items);
    if matches!(input.kind, ChartKind::GroupedBar | ChartKind::StackedColumn) && input.series.len() >= 2 {
        let entries: Vec<(String, Rgb)> = input
            .series
            .iter()
            .zip(ctx.series_colors())
            .map(|(s, c)| (s.label.clone(), c))
            .collect();
        let top = sc.bbox().1;
        axis::legend(&mut sc, &entries, PAD, top - 10.0);
    }
    sc
}

/// Whether any value label touches another label, a bar other than its own
/// (the one it is centred on), another text, or leaves the viewBox sides.
/// A sweep over boxes sorted by left edge, so crowded charts stay n·log n.
fn clash(labels: &Scene, rects: &[BBox], texts: &[BBox]) -> bool {
    #[derive(PartialEq)]
    enum Kind {
        Label,
        Bar,
        Text,
    }
    let boxes: Vec<BBox> = labels.items.iter().map(|i| item_bbox(&i.shape)).collect();
    if boxes.iter().any(|b| b.0 < PAD || b.2 > WIDTH - PAD) {
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
