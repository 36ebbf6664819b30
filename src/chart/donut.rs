//! Donut charts: parts of a whole, each segment labelled directly (label
//! and value) beside the ring, with the total in the hole when a total means
//! something (not for shares that already sum to 100 %).

use std::f64::consts::TAU;

use super::axis::{Ctx, percent_like};
use super::scene::{Anchor, Mark, Scene, Shape};
use super::text;
use super::theme::{
    DONUT_HOLE as HOLE, DONUT_LABEL_R, DONUT_LABEL_X, DONUT_LEADER_FROM, DONUT_LEADER_GAP, DONUT_R as R, DONUT_SEAM,
    DONUT_TOTAL_DY, DONUT_TOTAL_SIZE, GAP, LABEL_SIZE, LINE_HEIGHT, OTHER, PAD, Paint, TICK_SIZE, VALUE_SIZE, WIDTH,
};

/// Labels start this far right (or left) of the centre: clear of the ring.
const LABEL_X: f64 = R + DONUT_LABEL_X;

fn at(cx: f64, cy: f64, angle: f64, radius: f64) -> (f64, f64) {
    (cx + radius * angle.sin(), cy - radius * angle.cos())
}

/// Points along an arc, about one per degree, so the polygon reads as round.
fn arc(cx: f64, cy: f64, radius: f64, a0: f64, a1: f64) -> Vec<(f64, f64)> {
    let steps = (((a1 - a0).abs() / TAU * 360.0).ceil() as usize).max(2);
    (0..=steps)
        .map(|k| at(cx, cy, a0 + (a1 - a0) * k as f64 / steps as f64, radius))
        .collect()
}

/// More slices than this make a donut unreadable; beyond it (or beyond the
/// distinct colours left) the smallest are shown together as a grey "Other"
/// (the description still lists each one).
const MAX_SEGMENTS: usize = 6;

/// (key, label, value, computed) of each slice to draw, in category order.
type Part = (String, String, f64, bool);

fn parts(ctx: &Ctx) -> Vec<Part> {
    let input = ctx.input;
    let s = &input.series[0];
    let mut parts: Vec<Part> = input
        .categories
        .iter()
        .zip(&s.values)
        .enumerate()
        .filter_map(|(i, (c, v))| {
            v.filter(|v| *v > 0.0)
                .map(|v| (c.key.clone(), c.label.clone(), v, s.is_derived(i)))
        })
        .collect();
    let limit = MAX_SEGMENTS.min(ctx.colors.free_len() + 1);
    if parts.len() > limit {
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by(|a, b| parts[*b].2.total_cmp(&parts[*a].2).then(a.cmp(b)));
        let mut small = vec![false; parts.len()];
        order[limit - 1..].iter().for_each(|&i| small[i] = true);
        let other: f64 = (0..parts.len()).filter(|&i| small[i]).map(|i| parts[i].2).sum();
        let derived = (0..parts.len()).any(|i| small[i] && parts[i].3);
        parts = parts
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !small[*i])
            .map(|(_, p)| p)
            .collect();
        parts.push(("other".into(), input.words.other.clone(), other, derived));
    }
    parts
}

struct Label {
    y: f64,
    mid: f64,
    lines: Vec<String>,
}

/// Lays out a donut.
pub fn layout(ctx: &Ctx) -> Scene {
    let s = &ctx.input.series[0];
    let parts = parts(ctx);
    let mut colors = ctx.colors.for_keys(parts.iter().map(|p| p.0.as_str()));
    if parts.len() > 1 && parts.last().is_some_and(|p| p.0 == "other") {
        *colors.last_mut().expect("non-empty") = OTHER;
    }
    let total: f64 = parts.iter().map(|p| p.2).sum();
    let (cx, cy) = (WIDTH / 2.0, 0.0);
    let mut sc = Scene::default();
    let mut sides: [Vec<Label>; 2] = [Vec::new(), Vec::new()];
    let avail = WIDTH - PAD - (cx + LABEL_X);
    let mut a0 = 0.0;
    for (i, (key, label, v, derived)) in parts.iter().enumerate() {
        let v = *v;
        let a1 = a0 + v / total * TAU;
        // A hair of background between segments: 1.5 px at both radii.
        let (go, gi) = if a1 - a0 > 4.0 * DONUT_SEAM / HOLE {
            (DONUT_SEAM / R, DONUT_SEAM / HOLE)
        } else {
            (0.0, 0.0)
        };
        let mut pts = arc(cx, cy, R, a0 + go, a1 - go);
        pts.extend(arc(cx, cy, HOLE, a1 - gi, a0 + gi));
        let mark = Mark {
            key: key.clone(),
            series: s.key.clone(),
            value: v,
            derived: *derived,
            ..Mark::default()
        };
        sc.mark(Shape::Polygon { points: pts }, Paint::Color(colors[i]), mark);
        let mid = (a0 + a1) / 2.0;
        let mut lines = text::wrap_balanced(label, avail, LABEL_SIZE);
        lines.push(ctx.value(v));
        let side = usize::from(mid > TAU / 2.0 + 1e-9);
        sides[side].push(Label {
            y: at(cx, cy, mid, R + DONUT_LABEL_R).1,
            mid,
            lines,
        });
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
        let from = at(cx, cy, l.mid, R + DONUT_LEADER_FROM);
        sc.push(
            Shape::Line {
                points: vec![from, (x - dir * DONUT_LEADER_GAP, mid_y)],
                width: 1.0,
            },
            Paint::Muted,
        );
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
    let size = DONUT_TOTAL_SIZE;
    if text::width(&value, size, true) > 2.0 * HOLE - size {
        return;
    }
    sc.text(
        cx,
        cy - DONUT_TOTAL_DY.0,
        &ctx.input.words.total,
        TICK_SIZE,
        Anchor::Middle,
        Paint::Muted,
    );
    let v = sc.text(cx, cy + DONUT_TOTAL_DY.1, &value, size, Anchor::Middle, Paint::Ink);
    if let Shape::Text { bold, .. } = &mut v.shape {
        *bold = true;
    }
}
