//! Pieces every layout shares: the drawing context, value axes, the legend
//! row and the final fit of the scene into its viewBox.

use super::scene::{Anchor, Scene};
use super::text;
use super::theme::{
    BASELINE_W, Colors, GAP, HEAD_GAP, HEAD_LINE_GAP, KEY_SWATCH, LEGEND_ROW, LEGEND_SIZE, LEGEND_SPACING, LINE_HEIGHT,
    MAX_ROWS_H, NOTE_GAP, PAD, PLOT_H, Paint, Rgb, SWATCH, SWATCH_GAP, TICK_GAP, TICK_SIZE, TITLE_SIZE, TITLE_WRAP,
    UNIT_SIZE, WIDTH,
};
use super::ticks::{Scale, Tick};
use super::{ChartInput, ChartWords, ValueFormat};

/// The box a layout draws into and what it shares with other panels: a
/// whole chart gets the theme's width and plot height; a small multiple
/// gets its panel's size and the value (and x) range common to all panels,
/// so one value lies at one place in every panel.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// Width to draw in, from x = 0.
    pub width: f64,
    /// Height of a vertical value axis.
    pub plot_h: f64,
    /// Most height the rows of horizontal bars may take.
    pub max_rows_h: f64,
    /// The value range to scale to, instead of the data's own.
    pub domain: Option<(f64, f64)>,
    /// The x range (days for dates) to scale to, instead of the data's own.
    pub x_domain: Option<(f64, f64)>,
    /// Horizontal bars: where the value axis starts and ends, instead of
    /// fitting it around this panel's labels.
    pub span: Option<(f64, f64)>,
    /// A panel of a small multiple: the figure draws the one legend.
    pub panel: bool,
}

impl Default for Frame {
    fn default() -> Frame {
        Frame {
            width: WIDTH,
            plot_h: PLOT_H,
            max_rows_h: MAX_ROWS_H,
            domain: None,
            x_domain: None,
            span: None,
            panel: false,
        }
    }
}

/// What a layout needs: the input, its formatter, its colours and its box.
pub struct Ctx<'a> {
    /// The chart being drawn.
    pub input: &'a ChartInput,
    /// Formats ticks and value labels in the chart's unit.
    pub fmt: &'a dyn ValueFormat,
    /// Colour assignment for this chart.
    pub colors: Colors,
    /// Where it draws.
    pub frame: Frame,
}

impl<'a> Ctx<'a> {
    /// Context for one render.
    pub fn new(input: &'a ChartInput, fmt: &'a dyn ValueFormat) -> Ctx<'a> {
        Ctx {
            input,
            fmt,
            colors: Colors::new(input),
            frame: Frame::default(),
        }
    }

    /// Whether this layout draws its own legend (a panel leaves it to the
    /// figure).
    pub fn own_legend(&self) -> bool {
        !self.frame.panel && self.input.series.len() >= 2
    }

    /// The range of every value of every series.
    pub fn series_domain(&self) -> (f64, f64) {
        let all = self
            .input
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied());
        all.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)))
    }

    /// Round ticks up a vertical value axis for the series' values (or
    /// the range panels share); `zero` keeps zero on a linear axis.
    pub fn vertical_ticks(&self, zero: bool) -> (Scale, Vec<Tick>) {
        let domain = self.frame.domain.unwrap_or_else(|| self.series_domain());
        let log = self.input.scale == super::Scale::Log;
        let how = super::ticks::Fit {
            log,
            along: false,
            zero,
            tight: self.frame.panel,
        };
        super::ticks::fit(how, domain, self.frame.plot_h, self.fmt)
    }

    /// `y` of value fraction `f` up a vertical value axis.
    pub fn y_of(&self, f: f64) -> f64 {
        self.frame.plot_h - f * self.frame.plot_h
    }

    /// A value label with the chart's decimals.
    pub fn value(&self, v: f64) -> String {
        self.fmt.format(v, self.input.decimals)
    }

    /// One colour per series.
    pub fn series_colors(&self) -> Vec<Rgb> {
        self.colors.for_keys(self.input.series.iter().map(|s| s.key.as_str()))
    }

    /// Single-series bars: a category the report palette names keeps its
    /// colour (the US is blue everywhere); the rest share the series colour,
    /// or a neutral slate when the palette does not name the series either,
    /// so an anonymous bar never borrows a colour that means something.
    pub fn single_colors(&self) -> Vec<Rgb> {
        let key = self.input.series.first().map_or("", |s| s.key.as_str());
        let base = self.colors.explicit(key).unwrap_or(super::theme::NEUTRAL);
        self.input
            .categories
            .iter()
            .map(|c| self.colors.explicit(&c.key).unwrap_or(base))
            .collect()
    }

    /// Words for a missing value.
    pub fn missing(&self) -> &str {
        &self.input.words.no_data
    }
}

/// Whether the formatter already writes percentages, so shares can use it.
pub fn percent_like(fmt: &dyn ValueFormat) -> bool {
    fmt.format(50.0, 0).contains('%')
}

/// A share of a whole in percent, through `fmt` when it is a percent
/// formatter, else in the house style ("83 %", Chinese "83%").
pub fn share_text(fmt: &dyn ValueFormat, words: &ChartWords, pct: f64, decimals: usize) -> String {
    if percent_like(fmt) {
        fmt.format(pct, decimals)
    } else {
        format!("{pct:.decimals$}{}", words.percent_suffix)
    }
}

/// "USD 10–100 m" from a low and a high value.
pub fn range_text(fmt: &dyn ValueFormat, lo: f64, hi: f64, decimals: usize) -> String {
    text::range_label(&fmt.format(lo, decimals), &fmt.format(hi, decimals))
}

/// Formats axis ticks as shares, for 100 % stacked bars.
pub struct ShareFmt<'a>(pub &'a dyn ValueFormat, pub &'a ChartWords);

impl ValueFormat for ShareFmt<'_> {
    fn format(&self, value: f64, decimals: usize) -> String {
        share_text(self.0, self.1, value, decimals)
    }
}

/// Horizontal value axis (bars run left to right): light vertical gridlines
/// over `y0..y1` and tick labels below (none for a tick whose label is
/// empty). The zero line is left to [`baseline`] so it can be drawn over
/// the bars.
pub fn x_axis(scene: &mut Scene, scale: Scale, ticks: &[Tick], (left, right): (f64, f64), (y0, y1): (f64, f64)) {
    for t in ticks {
        let x = left + scale.frac(t.value) * (right - left);
        if !(matches!(scale, Scale::Linear { .. }) && t.value == 0.0) {
            scene.line((x, y0), (x, y1), 1.0, Paint::Grid);
        }
        if t.label.is_empty() {
            // A thinned panel axis: the gridline alone.
            continue;
        }
        scene.text(
            x,
            y1 + GAP + TICK_SIZE / 2.0,
            &t.label,
            TICK_SIZE,
            Anchor::Middle,
            Paint::Muted,
        );
    }
}

/// Vertical value axis (bars grow upwards): light horizontal gridlines over
/// `left..right` and tick labels right-aligned left of the plot.
pub fn y_axis(scene: &mut Scene, scale: Scale, ticks: &[Tick], (left, right): (f64, f64), (top, bottom): (f64, f64)) {
    for t in ticks {
        let y = bottom - scale.frac(t.value) * (bottom - top);
        if !(matches!(scale, Scale::Linear { .. }) && t.value == 0.0) {
            scene.line((left, y), (right, y), 1.0, Paint::Grid);
        }
        scene.text(left - TICK_GAP, y, &t.label, TICK_SIZE, Anchor::End, Paint::Muted);
    }
}

/// Width of the widest tick label.
pub fn tick_width(ticks: &[Tick]) -> f64 {
    ticks
        .iter()
        .map(|t| text::width(&t.label, TICK_SIZE, false))
        .fold(0.0, f64::max)
}

/// The emphasised zero line (linear scales only; a log axis has no zero).
pub fn baseline(scene: &mut Scene, scale: Scale, a: (f64, f64), b: (f64, f64)) {
    if let Scale::Linear { lo, hi } = scale
        && lo <= 0.0
        && hi >= 0.0
    {
        scene.line(a, b, BASELINE_W, Paint::Ink);
    }
}

/// A legend of every series in its colour, `gap` above the drawing so far.
pub fn series_legend(scene: &mut Scene, ctx: &Ctx, gap: f64) {
    let entries: Vec<(String, Rgb)> = ctx
        .input
        .series
        .iter()
        .zip(ctx.series_colors())
        .map(|(s, c)| (s.label.clone(), c))
        .collect();
    let top = scene.bbox().1;
    legend(scene, &entries, PAD, top - gap);
}

/// A row of legend keys (swatch + label) ending just above `bottom`,
/// starting at `x0` and wrapping before the right edge. Placed above the
/// data so it never covers it.
pub fn legend(scene: &mut Scene, entries: &[(String, Rgb)], x0: f64, bottom: f64) {
    const SW: f64 = SWATCH;
    const ROW: f64 = LEGEND_ROW;
    let mut rows: Vec<Vec<(f64, usize)>> = vec![Vec::new()];
    let mut x = x0;
    for (i, (label, _)) in entries.iter().enumerate() {
        let w = SW + SWATCH_GAP + text::width(label, LEGEND_SIZE, false);
        if x > x0 && x + w > WIDTH - PAD {
            rows.push(Vec::new());
            x = x0;
        }
        rows.last_mut().expect("a row").push((x, i));
        x += w + LEGEND_SPACING;
    }
    let top = bottom - ROW * rows.len() as f64;
    for (r, row) in rows.iter().enumerate() {
        let y = top + ROW * (r as f64 + 0.5);
        for &(x, i) in row {
            let (label, color) = &entries[i];
            scene.rect((x, y - SW / 2.0), (x + SW, y + SW / 2.0), Paint::Color(*color));
            scene.text(x + SW + SWATCH_GAP, y, label, LEGEND_SIZE, Anchor::Start, Paint::Ink);
        }
    }
}

/// Shifts the scene so its top sits `PAD` below the viewBox top and returns
/// the height that leaves `PAD` below its bottom.
pub fn fit_to_viewbox(scene: &mut Scene) -> f64 {
    let (_, y0, _, y1) = scene.bbox();
    scene.shift_y(PAD - y0);
    (y1 - y0 + 2.0 * PAD).ceil()
}

/// The key for computed values, under everything else: a hatched swatch and
/// `words.derived_key`, so a chart that travels alone still explains it.
pub fn derived_key(scene: &mut Scene, words: &super::ChartWords) {
    const SW: f64 = KEY_SWATCH;
    let bottom = scene.bbox().3;
    let lines = text::wrap(&words.derived_key, WIDTH - 2.0 * PAD - SW - GAP, LEGEND_SIZE);
    let h = LEGEND_SIZE * LINE_HEIGHT * lines.len() as f64;
    let y = bottom + NOTE_GAP + h / 2.0;
    let swatch = super::scene::rect_shape((PAD, y - SW / 2.0), (PAD + SW, y + SW / 2.0));
    scene.push(swatch.clone(), Paint::Color(super::theme::NEUTRAL));
    scene.push(swatch, Paint::Hatch).class = Some("derived");
    scene.lines(PAD + SW + GAP, y, &lines, LEGEND_SIZE, Anchor::Start, Paint::Muted);
}

/// Muted text of `size` under everything else, wrapped to the chart's width.
pub fn note(scene: &mut Scene, words: &str, size: f64) {
    let bottom = scene.bbox().3;
    let lines = text::wrap(words, WIDTH - 2.0 * PAD, size);
    let h = size * LINE_HEIGHT * lines.len() as f64;
    scene.lines(
        PAD,
        bottom + NOTE_GAP + h / 2.0,
        &lines,
        size,
        Anchor::Start,
        Paint::Muted,
    );
}

/// A chart that travels alone (its own `.svg` file) carries what the page
/// around it would say: a visible title and the unit above the plot, the
/// source below it.
pub fn frame(scene: &mut Scene, input: &ChartInput, unit_label: &str, source: &str) {
    let top = scene.bbox().1;
    let max = WIDTH - 2.0 * PAD;
    if !source.is_empty() {
        note(scene, source, TICK_SIZE);
    }
    // Title and unit go first in the document, as a reader meets them.
    let mut head = Scene::default();
    let mut at = top - HEAD_GAP;
    // A title that already names its unit ("… (USD bn)") needs no unit line.
    if !unit_label.is_empty() && !input.title.contains(unit_label) {
        let lines = text::wrap(unit_label, max, UNIT_SIZE);
        let h = UNIT_SIZE * LINE_HEIGHT * lines.len() as f64;
        head.lines(PAD, at - h / 2.0, &lines, UNIT_SIZE, Anchor::Start, Paint::Muted);
        at -= h + HEAD_LINE_GAP;
    }
    if !input.title.is_empty() {
        let size = TITLE_SIZE;
        let lines = text::wrap(&input.title, max / TITLE_WRAP, size);
        let h = size * LINE_HEIGHT * lines.len() as f64;
        let mut title = Scene::default();
        title.lines(PAD, at - h / 2.0, &lines, size, Anchor::Start, Paint::Ink);
        for item in &mut title.items {
            if let super::scene::Shape::Text { bold, .. } = &mut item.shape {
                *bold = true;
            }
        }
        title.items.append(&mut head.items);
        head = title;
    }
    scene.prepend(head);
}
