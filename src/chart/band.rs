//! The category (band) axis, in either orientation: one band per category,
//! and the labels that name them.
//!
//! Across the page (columns, category lines) labels sit under their band,
//! level and wrapped at spaces, thinned to every k-th band for a sequence,
//! or turned −45° and cut with "…". Down the page (horizontal bars) they
//! sit in a column left of the bars, wrapped onto two lines, or squeezed
//! onto one line and thinned so the chart fits one printed page. In both,
//! a word is never split, labels never touch, and thinning takes the same
//! steps (1, 2, 3, 4, 6, 12 …), so months land on whole years.

use super::bars::Orientation;
use super::scene::{Anchor, Scene, Shape};
use super::text;
use super::theme::{
    BAND_LABEL_GAP, BAR_LABEL_LINES, CAT_LABEL_DROP, LABEL_COLUMN_GAP, LABEL_SIZE, LEVEL_LABEL_LINES, LINE_HEIGHT,
    MIN_TEXT, PAD, Paint, ROW_H, ROW_PAD, THINNED_LABEL_LINES, TICK_SIZE, TURNED, TURNED_MAX, TURNED_NUDGE, WRAP_SLACK,
};

/// Steps for thinning labels: divisors and multiples of 12, so a monthly
/// axis lands on quarters, half-years or whole years.
const EVERY: [usize; 10] = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120];

fn every_options(n: usize) -> impl Iterator<Item = usize> {
    EVERY
        .into_iter()
        .chain((1..).map(|k| 120 * k))
        .take_while(move |k| *k < n.max(2) * 2)
}

/// The smallest thinning step at which labels `need` px apart clear each
/// other in bands `band` px wide (every band when they already do).
fn thin(n: usize, band: f64, need: f64) -> usize {
    every_options(n).find(|k| band * *k as f64 >= need).unwrap_or(n.max(1))
}

/// Labels with their widths at 1 px (widths scale with the size): the
/// whole label and its longest word, measured once per axis however many
/// layouts are tried.
struct Measured<'a> {
    labels: &'a [&'a str],
    full: Vec<f64>,
    word: Vec<f64>,
}

impl<'a> Measured<'a> {
    fn new(labels: &'a [&'a str]) -> Measured<'a> {
        Measured {
            labels,
            full: labels.iter().map(|l| text::width(l, 1.0, false)).collect(),
            word: labels.iter().map(|l| text::longest_word(l, 1.0)).collect(),
        }
    }
}

/// A fitted band axis: where each band lies and how its label is set.
pub struct BandAxis {
    /// Which way the bars (or the plot) run; categories lie across them.
    pub orientation: Orientation,
    /// Where the first band starts: the plot's left edge under a vertical
    /// plot, its top (0) beside horizontal bars.
    pub start: f64,
    /// Width (across the page) or height (down it) of one band.
    pub band: f64,
    /// Label font size.
    pub size: f64,
    /// 0 (level) or [`TURNED`] (turned, one line each).
    pub angle: f64,
    /// Labels stand on every `every`-th band.
    pub every: usize,
    /// Lines of each category's label (empty for the ones skipped).
    pub lines: Vec<Vec<String>>,
    /// Across the page: how far each label reaches left of its band's centre.
    reach: Vec<f64>,
    /// Down the page: the width of the label column.
    pub col: f64,
    /// Down the page: rows were squeezed to fit a page (thinner bars).
    pub squeezed: bool,
}

impl BandAxis {
    /// Bands across `left..right` (columns and category lines): the plot's
    /// left edge moves right when turned labels would leave the viewBox.
    /// A `sequential` axis (years, months) thins level labels before
    /// turning them.
    pub fn across(labels: &[&str], mut left: f64, right: f64, sequential: bool) -> BandAxis {
        let n = labels.len().max(1) as f64;
        let measured = Measured::new(labels);
        for _ in 0..6 {
            let band = (right - left) / n;
            let axis = across_labels(&measured, left, band, sequential);
            let over = axis
                .reach
                .iter()
                .enumerate()
                .map(|(i, r)| r - (axis.centre(i) - PAD))
                .fold(0.0, f64::max);
            if over <= 0.01 || left + over > right - n {
                return axis;
            }
            left += over.ceil();
        }
        across_labels(&measured, left, (right - left) / n, sequential)
    }

    /// Rows down the page, each at least [`ROW_H`] tall, in a label column
    /// at most `cap` px wide; all rows together never taller than `max_h`.
    /// Roomy labels wrap onto two lines at spaces; squeezed rows take one
    /// line each, cut with "…" past `cap` (the description and the data
    /// table keep every name whole), at a smaller size and, when even the
    /// smallest text would touch, on every k-th row only.
    pub fn down(labels: &[&str], cap: f64, max_h: f64) -> BandAxis {
        let n = labels.len().max(1);
        let col = labels
            .iter()
            .map(|l| {
                let w = text::width(l, LABEL_SIZE, false);
                if w <= cap {
                    w
                } else {
                    text::min_width_for_lines(l, LABEL_SIZE, BAR_LABEL_LINES).max(text::longest_word(l, LABEL_SIZE))
                }
            })
            .fold(0.0, f64::max);
        let lines: Vec<Vec<String>> = labels
            .iter()
            .map(|l| text::wrap(l, col + WRAP_SLACK, LABEL_SIZE))
            .collect();
        let max_lines = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
        let row_h = (max_lines * LABEL_SIZE * LINE_HEIGHT + ROW_PAD).max(ROW_H);
        let roomy = BandAxis {
            orientation: Orientation::Horizontal,
            start: 0.0,
            band: row_h,
            size: LABEL_SIZE,
            angle: 0.0,
            every: 1,
            lines,
            reach: Vec::new(),
            col,
            squeezed: false,
        };
        if row_h * n as f64 <= max_h {
            return roomy;
        }
        let row_h = max_h / n as f64;
        let size = (row_h / LINE_HEIGHT).floor().clamp(MIN_TEXT, LABEL_SIZE);
        let every = thin(n, row_h, size * LINE_HEIGHT);
        let lines: Vec<Vec<String>> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i.is_multiple_of(every) {
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
        BandAxis {
            band: row_h,
            size,
            every,
            lines,
            col,
            squeezed: true,
            ..roomy
        }
    }

    /// Centre of band `i` along the category axis.
    pub fn centre(&self, i: usize) -> f64 {
        self.start + self.band * (i as f64 + 0.5)
    }

    /// Whether band `i` carries its label (and, for bars, its value).
    pub fn labelled(&self, i: usize) -> bool {
        i.is_multiple_of(self.every)
    }

    /// The label of band `i`: under the plot whose bottom is at `edge`, or
    /// ending [`LABEL_COLUMN_GAP`] left of bars that start at `edge`.
    pub fn draw_one(&self, scene: &mut Scene, i: usize, edge: f64) {
        let lines = &self.lines[i];
        if lines.is_empty() {
            return;
        }
        let c = self.centre(i);
        match self.orientation {
            Orientation::Horizontal => {
                scene.lines(edge - LABEL_COLUMN_GAP, c, lines, self.size, Anchor::End, Paint::Ink);
            }
            Orientation::Vertical if self.angle == 0.0 => {
                let drop = self.size * LINE_HEIGHT * (lines.len() as f64 - 1.0) / 2.0 + self.size / 2.0;
                scene.lines(
                    c,
                    edge + CAT_LABEL_DROP + drop,
                    lines,
                    self.size,
                    Anchor::Middle,
                    Paint::Ink,
                );
            }
            Orientation::Vertical => {
                let x = c + self.size * TURNED_NUDGE;
                let item = scene.text(x, edge + self.size, &lines[0], self.size, Anchor::End, Paint::Ink);
                if let Shape::Text { angle, .. } = &mut item.shape {
                    *angle = self.angle;
                }
            }
        }
    }

    /// Every label (see [`BandAxis::draw_one`]).
    pub fn draw(&self, scene: &mut Scene, edge: f64) {
        for i in 0..self.lines.len() {
            self.draw_one(scene, i, edge);
        }
    }
}

/// Chooses how to set labels under bands `band` px wide from `left`, never
/// breaking a word: level and wrapped (14 down to 12 px) when every word
/// fits its band; else for a sequence (years, months) level labels on every
/// k-th band, and for categories labels turned −45° (thinned only when even
/// those would touch).
fn across_labels(m: &Measured, left: f64, band: f64, sequential: bool) -> BandAxis {
    let (labels, full, word) = (m.labels, &m.full, &m.word);
    let n = labels.len();
    let axis = |size: f64, angle: f64, every: usize, lines: Vec<Vec<String>>, reach: Vec<f64>| BandAxis {
        orientation: Orientation::Vertical,
        start: left,
        band,
        size,
        angle,
        every,
        lines,
        reach,
        col: 0.0,
        squeezed: false,
    };
    let level = |size: f64, every: usize, max_lines: usize| -> Option<BandAxis> {
        let room = band * every as f64 - BAND_LABEL_GAP;
        if (0..n).step_by(every).any(|i| word[i] * size > room) {
            return None;
        }
        let mut lines = vec![Vec::new(); n];
        let mut reach = vec![0.0; n];
        for i in (0..n).step_by(every) {
            let l = if full[i] * size <= room {
                vec![labels[i].split_whitespace().collect::<Vec<_>>().join(" ")]
            } else {
                text::wrap_balanced(labels[i], room, size)
            };
            if l.len() > max_lines {
                return None;
            }
            reach[i] = l.iter().map(|l| text::width(l, size, false)).fold(0.0, f64::max) / 2.0;
            lines[i] = l;
        }
        Some(axis(size, 0.0, every, lines, reach))
    };
    for size in [LABEL_SIZE, LABEL_SIZE - 1.0, TICK_SIZE] {
        if let Some(b) = level(size, 1, LEVEL_LABEL_LINES) {
            return b;
        }
    }
    if sequential
        && let Some(b) = every_options(n)
            .skip(1)
            .find_map(|k| level(TICK_SIZE, k, THINNED_LABEL_LINES))
    {
        return b;
    }
    let size = TICK_SIZE;
    let (sin, cos) = (TURNED.abs().to_radians().sin(), TURNED.abs().to_radians().cos());
    // Turned labels are parallel: they clear each other when the distance
    // between them, measured across the text, is over a line height.
    let every = thin(n, band * sin, size * LINE_HEIGHT);
    let mut lines = vec![Vec::new(); n];
    let mut reach = vec![0.0; n];
    for i in (0..n).step_by(every) {
        let t = text::abbreviate(labels[i], TURNED_MAX, size);
        reach[i] = text::width(&t, size, false) * cos + size * 0.5 * sin;
        lines[i] = vec![t];
    }
    axis(size, TURNED, every, lines, reach)
}
