//! Chart rendering: a resolved [`ChartInput`] in, one accessible SVG string out.
//!
//! This module knows nothing of files, YAML or datasets: the transform stage
//! resolves a chart block into plain categories and series (values already in
//! the axis unit), and hands a formatter for the unit. Keeping it pure makes
//! every chart testable from a literal value.

/// The kinds of chart a `chart` block may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars, one series.
    Bar,
    /// Horizontal bars, one series (best for long category labels).
    HBar,
    /// Several series side by side per category.
    GroupedBar,
    /// Several series stacked per category; `normalize` makes it 100 %.
    StackedBar,
    /// One line per series over the categories.
    Line,
    /// Parts of a whole, one series; values must be non-negative.
    Donut,
}

/// The axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Zero-based linear scale (bars always start at zero).
    #[default]
    Linear,
    /// Base-10 logarithmic scale; values must be positive.
    Log,
}

/// The language the chart's generated words (description, "other") are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

/// One category along the category axis (a dataset row).
#[derive(Debug, Clone)]
pub struct Category {
    /// Stable key (row key), used for colours and SVG ids.
    pub key: String,
    /// What the reader sees.
    pub label: String,
}

/// One series (a dataset field): a value per category, `None` where the data
/// has no value.
#[derive(Debug, Clone)]
pub struct Series {
    /// Stable key (field key), used for colours and SVG ids.
    pub key: String,
    /// What the reader sees (legend or direct label).
    pub label: String,
    /// Values in the axis unit, one per category, in category order.
    pub values: Vec<Option<f64>>,
}

/// Formats an axis tick or a value label in the chart's unit and language,
/// e.g. `40.0` with 0 decimals -> "USD 40 bn", `83.0` -> "83 %".
pub trait ValueFormat {
    /// `value` is in the axis unit; `decimals` is how many digits to show.
    fn format(&self, value: f64, decimals: usize) -> String;
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone)]
pub struct ChartInput {
    /// Figure id, unique within the page; prefixes every id inside the SVG.
    pub id: String,
    /// Which chart.
    pub kind: ChartKind,
    /// The chart title, for `<title>` (the visible title is in the caption).
    pub title: String,
    /// Categories in drawing order.
    pub categories: Vec<Category>,
    /// Series in drawing order.
    pub series: Vec<Series>,
    /// Stacked bars: scale each category to 100 %.
    pub normalize: bool,
    /// Floating bars: `series[0]` is the low end and `series[1]` the high end.
    pub range: bool,
    /// Linear or log axis.
    pub scale: Scale,
    /// Decimals for value labels (ticks choose their own).
    pub decimals: usize,
    /// Colour per category or series key (e.g. `us` -> `#0072B2`), so an entity
    /// keeps its colour in every chart; keys not listed take the palette in order.
    pub palette: Vec<(String, String)>,
    /// Language of generated words.
    pub lang: Lang,
}

mod axis;
mod describe;
mod donut;
mod hbar;
mod line;
mod scene;
mod svg;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_geom;
mod text;
mod theme;
mod ticks;
mod validate;
mod vbar;

pub use describe::describe;

/// Why a chart cannot be drawn, worded for the report's author: what is wrong
/// and what to change in the chart block or dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartError(pub String);

impl std::fmt::Display for ChartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ChartError {}

/// Renders `input` as one self-contained SVG document (640 px wide viewBox,
/// height from content) with `role="img"`, `<title>`, `<desc>` and ids
/// prefixed by `input.id`; ticks and value labels go through `fmt`.
///
/// Errors say what in the data prevents the chart (empty series, negative
/// donut values, non-positive values on a log scale, ...). Same input, same
/// bytes.
pub fn render(input: &ChartInput, fmt: &dyn ValueFormat) -> Result<String, ChartError> {
    validate::check(input)?;
    let ctx = axis::Ctx::new(input, fmt);
    let mut scene = match input.kind {
        ChartKind::HBar | ChartKind::StackedBar => hbar::layout(&ctx),
        ChartKind::Bar | ChartKind::GroupedBar => vbar::layout(&ctx),
        ChartKind::Line => line::layout(&ctx),
        ChartKind::Donut => donut::layout(&ctx),
    };
    let height = axis::fit_to_viewbox(&mut scene);
    svg::document(&scene, height, &input.id, &input.title, &describe(input, fmt)).map_err(ChartError)
}
