//! A continuous x axis (numbers or dates) under line, area and scatter
//! plots: round ticks, and the axis title below them.

use super::scene::{Anchor, Scene};
use super::text;
use super::theme::{AXIS_TITLE_SIZE, GAP, LINE_HEIGHT, PAD, Paint, TICK_SIZE, X_TICK_DROP, X_TICK_LEN, X_TICK_SPACING};
use super::ticks::{self, Tick};
use super::{ChartInput, XAxis, time};

/// Maps x values (days for dates) to px between `left` and `right`.
#[derive(Debug, Clone, Copy)]
pub struct XScale {
    lo: f64,
    hi: f64,
    /// Plot left edge.
    pub left: f64,
    /// Plot right edge.
    pub right: f64,
}

impl XScale {
    /// The px position of `v`; a single value sits in the middle.
    pub fn at(&self, v: f64) -> f64 {
        if self.hi > self.lo {
            self.left + (v - self.lo) / (self.hi - self.lo) * (self.right - self.left)
        } else {
            (self.left + self.right) / 2.0
        }
    }
}

/// Ticks for `lo..=hi` along `len` px: calendar units for dates, round
/// numbers otherwise.
fn axis_ticks(xa: &XAxis, lo: f64, hi: f64, len: f64, input: &ChartInput) -> Vec<Tick> {
    match xa {
        XAxis::Date(_) => time::ticks(lo as i64, hi as i64, len, &input.words),
        // A narrow panel still gets two ticks to read the scale by.
        XAxis::Number(_) => ticks::span(lo, hi, ((len / X_TICK_SPACING) as usize).max(2)),
    }
}

/// Draws the x axis of `input` for data `lo..=hi` under a plot whose
/// bottom is at `bottom`, between `plot_left` and `right` (narrowed so the
/// end labels stay inside `0..width`), with `input.x_label` under it when
/// `titled` (a panel of small multiples leaves it to the figure, which
/// writes it once under the grid).
pub fn draw(
    sc: &mut Scene,
    input: &ChartInput,
    xa: &XAxis,
    (lo, hi): (f64, f64),
    (plot_left, right, width): (f64, f64, f64),
    bottom: f64,
    titled: bool,
) -> XScale {
    let x_ticks = axis_ticks(xa, lo, hi, right - plot_left, input);
    // Room for the end labels to centre on the plot's edges.
    let half = |t: Option<&Tick>| t.map_or(0.0, |t| text::width(&t.label, TICK_SIZE, false) / 2.0);
    let left = plot_left.max(PAD + half(x_ticks.first()));
    let right = right.min(width - PAD - half(x_ticks.last()));
    let xs = XScale { lo, hi, left, right };
    let label_y = bottom + X_TICK_DROP + TICK_SIZE / 2.0;
    for t in &x_ticks {
        let tx = xs.at(t.value);
        sc.line((tx, bottom), (tx, bottom + X_TICK_LEN), 1.0, Paint::Muted);
        sc.text(tx, label_y, &t.label, TICK_SIZE, Anchor::Middle, Paint::Muted);
    }
    if titled {
        title(sc, &input.x_label, (left, right), label_y + TICK_SIZE / 2.0 + GAP);
    }
    xs
}

/// The x axis title `words`, centred over `left..right` with its top at
/// `top`; nothing when it is blank.
pub fn title(sc: &mut Scene, words: &str, (left, right): (f64, f64), top: f64) {
    if words.trim().is_empty() {
        return;
    }
    // Wrapped to the plot's width, so a long title never leaves the chart.
    let lines = text::wrap(words, right - left, AXIS_TITLE_SIZE);
    let h = AXIS_TITLE_SIZE * LINE_HEIGHT * lines.len() as f64;
    sc.lines(
        (left + right) / 2.0,
        top + h / 2.0,
        &lines,
        AXIS_TITLE_SIZE,
        Anchor::Middle,
        Paint::Muted,
    );
}
