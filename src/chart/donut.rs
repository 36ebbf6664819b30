//! Donut charts: parts of a whole, each segment labelled directly (label
//! and value) beside the ring, with the total in the hole when a total means
//! something (not for shares that already sum to 100 %).

use std::f64::consts::TAU;

use super::axis::{Ctx, percent_like};
use super::scene::{Anchor, Mark, Scene, Shape};
use super::text;
use super::theme::{GAP, LABEL_SIZE, LINE_HEIGHT, PAD, Paint, VALUE_SIZE, WIDTH};
use super::Lang;

const R: f64 = 100.0;
const HOLE: f64 = 62.0;
/// Labels start this far right (or left) of the centre: clear of the ring.
const LABEL_X: f64 = R + 28.0;

fn at(cx: f64, cy: f64, angle: f64, radius: f64) -> (f64, f64) {
    (cx + radius * angle.sin(), cy - radius * angle.cos())
}

/// Points along an arc, about one per degree, so the polygon reads as round.
fn arc(cx: f64, cy: f64, radius: f64, a0: f64, a1: f64) -> Vec<(f64, f64)> {
    let steps = (((a1 - a0).abs() / TAU * 360.0).ceil() as usize).max(2);
    (0..=steps).map(|k| at(cx, cy, a0 + (a1 - a0) * k as f64 / steps as f64, radius)).collect()
}

struct Label {
    y: f64,
    mid: f64,
    lines: Vec<String>,
}

/// Lays out a donut.
pub fn layout(ctx: &Ctx) -> Scene {
    let input = ctx.input;
    let s = &input.series[0];
    let colors = ctx.category_colors();
    let total: f64 = s.values.iter().flatten().sum();
    let (cx, cy) = (WIDTH / 2.0, 0.0);
    let mut sc = Scene::default();
    let mut sides: [Vec<Label>; 2] = [Vec::new(), Vec::new()];
    let avail = WIDTH - PAD - (cx + LABEL_X);
    let mut a0 = 0.0;
    for (i, c) in input.categories.iter().enumerate() {
        let Some(v) = s.values[i].filter(|v| *v > 0.0) else { continue };
        let a1 = a0 + v / total * TAU;
        // A hair of background between segments: 1.5 px at both radii.
        let (go, gi) = if a1 - a0 > 3.0 / HOLE { (0.75 / R, 0.75 / HOLE) } else { (0.0, 0.0) };
        let mut pts = arc(cx, cy, R, a0 + go, a1 - go);
        pts.extend(arc(cx, cy, HOLE, a1 - gi, a0 + gi));
        let item = sc.push(Shape::Polygon { points: pts }, Paint::Color(colors[i]));
        item.mark = Some(Mark { key: c.key.clone(), series: s.key.clone(), value: v, ..Mark::default() });
        let mid = (a0 + a1) / 2.0;
        let mut lines = text::wrap(&c.label, avail, LABEL_SIZE);
        lines.push(ctx.value(v));
        let side = usize::from(mid > TAU / 2.0 + 1e-9);
        sides[side].push(Label { y: at(cx, cy, mid, R + 12.0).1, mid, lines });
        a0 = a1;
    }
    for (side, labels) in sides.iter_mut().enumerate() {
        place(&mut sc, labels, cx, cy, side == 1);
    }
    hole(ctx, &mut sc, total, cx, cy);
    sc
}

/// Stacks one side's labels top to bottom without overlap, each joined to
/// its segment by a leader line.
fn place(sc: &mut Scene, labels: &mut [Label], cx: f64, cy: f64, left: bool) {
    labels.sort_by(|a, b| a.y.total_cmp(&b.y));
    let step = LABEL_SIZE * LINE_HEIGHT;
    let mut floor = f64::MIN;
    let dir = if left { -1.0 } else { 1.0 };
    for l in labels.iter() {
        let h = step * l.lines.len() as f64;
        let top = (l.y - h / 2.0).max(floor);
        floor = top + h + GAP;
        let mid_y = top + h / 2.0;
        let x = cx + dir * LABEL_X;
        let from = at(cx, cy, l.mid, R + 3.0);
        sc.push(Shape::Line { points: vec![from, (x - dir * 8.0, mid_y)], width: 1.0 }, Paint::Muted);
        let anchor = if left { Anchor::End } else { Anchor::Start };
        let n = l.lines.len();
        sc.lines(x, mid_y - step / 2.0, &l.lines[..n - 1], LABEL_SIZE, anchor, Paint::Ink);
        let v = sc.text(x, top + h - step / 2.0, &l.lines[n - 1], VALUE_SIZE, anchor, Paint::Ink);
        if let Shape::Text { bold, .. } = &mut v.shape {
            *bold = true;
        }
    }
}

/// The total in the hole, when it is a sum worth stating and fits.
fn hole(ctx: &Ctx, sc: &mut Scene, total: f64, cx: f64, cy: f64) {
    if percent_like(ctx.fmt) {
        return;
    }
    let value = ctx.value(total);
    let size = 16.0;
    if text::width(&value, size, true) > 2.0 * HOLE - 16.0 {
        return;
    }
    let word = if ctx.input.lang == Lang::Zh { "合计" } else { "Total" };
    sc.text(cx, cy - 10.0, word, 12.0, Anchor::Middle, Paint::Muted);
    let v = sc.text(cx, cy + 9.0, &value, size, Anchor::Middle, Paint::Ink);
    if let Shape::Text { bold, .. } = &mut v.shape {
        *bold = true;
    }
}

