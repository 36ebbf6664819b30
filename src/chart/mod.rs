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
    /// Several series stacked in vertical columns per category (for a
    /// sequence such as years); `normalize` makes it 100 %.
    StackedColumn,
    /// One line per series over the categories.
    Line,
    /// Parts of a whole, one series; values must be non-negative.
    Donut,
    /// A line per series with the area down to the axis tinted, for
    /// amounts over a sequence.
    Area,
    /// One dot per category (a row) at (`x`, value) for each series; needs
    /// a numeric or date [`XAxis`].
    Scatter,
}

/// Where each category sits along a continuous x axis (line, area and
/// scatter charts). Without one, categories are evenly spaced and labelled
/// by name.
#[derive(Debug, Clone, PartialEq)]
pub enum XAxis {
    /// A number per category (a year, a quantity): ticks at round numbers.
    Number(Vec<f64>),
    /// A calendar day per category, as days since 1970-01-01: ticks at
    /// round months or years, and a run of missing days shows as a gap.
    Date(Vec<i64>),
}

impl XAxis {
    /// How many positions it holds (one per category).
    pub fn len(&self) -> usize {
        match self {
            XAxis::Number(v) => v.len(),
            XAxis::Date(v) => v.len(),
        }
    }

    /// Whether it holds no position.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The positions as numbers (days for dates), for scaling.
    pub fn numbers(&self) -> Vec<f64> {
        match self {
            XAxis::Number(v) => v.clone(),
            XAxis::Date(v) => v.iter().map(|&d| d as f64).collect(),
        }
    }
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

/// Every word a chart writes itself (descriptions, "Other", the key for
/// computed values), supplied by the caller in the edition's language, so a
/// new language is data, not code. [`ChartWords::english`] and
/// [`ChartWords::chinese`] are ready-made sets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChartWords {
    /// Name of a vertical bar chart, first words of the description.
    pub bar: String,
    /// Name of a horizontal bar chart.
    pub hbar: String,
    /// Name of a grouped bar chart.
    pub grouped_bar: String,
    /// Name of a stacked bar chart.
    pub stacked_bar: String,
    /// Name of a 100 % stacked bar chart.
    pub stacked_bar_100: String,
    /// Name of a stacked column chart (vertical stacks).
    pub stacked_column: String,
    /// Name of a 100 % stacked column chart.
    pub stacked_column_100: String,
    /// Name of a line chart.
    pub line: String,
    /// Name of a donut chart.
    pub donut: String,
    /// Name of an area chart.
    pub area: String,
    /// Name of a scatter plot.
    pub scatter: String,
    /// Appended to the name for floating bars (" of ranges").
    pub of_ranges: String,
    /// Appended to the name on a log axis (", logarithmic scale").
    pub log_scale: String,
    /// Between a label and its value (": ").
    pub colon: String,
    /// Between items of one group (", ").
    pub item_sep: String,
    /// Between groups (" ; ").
    pub group_sep: String,
    /// Ends a sentence (".").
    pub stop: String,
    /// Between sentences (" " in English, nothing in Chinese).
    pub sentence_sep: String,
    /// Stands in for a missing value ("no data").
    pub no_data: String,
    /// The donut slice gathering the smallest parts ("Other").
    pub other: String,
    /// Above the sum in a donut's hole ("Total").
    pub total: String,
    /// Written after a number in percent when the unit formatter does not
    /// write percentages itself (" %" in English, "%" in Chinese).
    pub percent_suffix: String,
    /// The in-chart key explaining the hatching of computed values.
    pub derived_key: String,
    /// The note under a chart whose every value quire computed (a count,
    /// a mean), which then draws no hatching: one sentence says it all.
    pub all_derived_key: String,
    /// Appended to a computed value in the description (" (computed)").
    pub computed: String,
    /// Heading of the category column in [`data_table`] ("Category").
    pub category: String,
    /// Short month names, January first, separated by spaces, for date
    /// axes ("Jan Feb …"; Chinese "1月 2月 …").
    pub months: String,
    /// A month tick where the year changes: `{month}` and `{year}`
    /// ("{month} {year}" → "Mar 2012"; Chinese "{year}年{month}" → "2012年3月").
    pub month_year: String,
    /// A day tick: `{day}` and `{month}` ("{day} {month}" → "5 Mar").
    pub day_month: String,
    /// A day tick where the year changes: `{day}`, `{month}`, `{year}`.
    pub day_month_year: String,
    /// How a long line series is summed up in the description instead of
    /// read point by point; `{n}`, `{first}`, `{last}`, `{min}` and `{max}`
    /// are filled in (each but `{n}` as "label value").
    pub series_summary: String,
}

impl ChartWords {
    /// English words; also the default.
    pub fn english() -> ChartWords {
        let s = |t: &str| t.to_string();
        ChartWords {
            bar: s("Bar chart"),
            hbar: s("Horizontal bar chart"),
            grouped_bar: s("Grouped bar chart"),
            stacked_bar: s("Stacked bar chart"),
            stacked_bar_100: s("100 % stacked bar chart"),
            stacked_column: s("Stacked column chart"),
            stacked_column_100: s("100 % stacked column chart"),
            line: s("Line chart"),
            donut: s("Donut chart"),
            area: s("Area chart"),
            scatter: s("Scatter plot"),
            of_ranges: s(" of ranges"),
            log_scale: s(", logarithmic scale"),
            colon: s(": "),
            item_sep: s(", "),
            group_sep: s("; "),
            stop: s("."),
            sentence_sep: s(" "),
            no_data: s("no data"),
            other: s("Other"),
            total: s("Total"),
            percent_suffix: s(" %"),
            derived_key: s("Hatched: computed by quire, not stated by the source"),
            all_derived_key: s("Every value here is computed by quire from the data, not stated by the source"),
            computed: s(" (computed by quire)"),
            category: s("Category"),
            months: s("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"),
            month_year: s("{month} {year}"),
            day_month: s("{day} {month}"),
            day_month_year: s("{day} {month} {year}"),
            series_summary: s("{n} values, from {first} to {last}; lowest {min}, highest {max}"),
        }
    }
}

impl Default for ChartWords {
    fn default() -> Self {
        ChartWords::english()
    }
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
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// Stable key (field key), used for colours and SVG ids.
    pub key: String,
    /// What the reader sees (legend or direct label).
    pub label: String,
    /// Values in the axis unit, one per category, in category order.
    pub values: Vec<Option<f64>>,
    /// Per value: `true` where quire computed the value rather than the
    /// source stating it (drawn hatched). Empty means none is derived.
    pub derived: Vec<bool>,
    /// A colour (`#RRGGBB`) the chart block sets for this series; it wins
    /// over the report palette in this chart only. `None`: palette, then
    /// the next free colour.
    pub color: Option<String>,
}

impl Series {
    /// Whether the value at category `i` was computed by quire.
    pub fn is_derived(&self, i: usize) -> bool {
        self.derived.get(i).copied().unwrap_or(false)
    }
}

/// One small multiple of a faceted chart: the categories `rows` of the
/// chart's (flat) category list, drawn as a panel titled `label`. Every
/// panel shares the chart's value scale, x range, colours and legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panel {
    /// Stable key (the facet value), written as the panel's `data-panel`.
    pub key: String,
    /// The panel's title, as the reader sees it.
    pub label: String,
    /// Which categories (and values, and x positions) the panel shows.
    pub rows: std::ops::Range<usize>,
}

/// Most panels one faceted chart may hold: beyond a dozen, panels get too
/// small to read and the figure no longer fits one printed page.
pub const MAX_PANELS: usize = 12;

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
    /// Line, area and scatter charts: where each category sits along a
    /// continuous x axis (increasing for line and area); `None` spaces
    /// categories evenly and labels them by name.
    pub x: Option<XAxis>,
    /// The x axis title with its unit ("Horsepower", "GDP per person, USD"),
    /// drawn under a continuous x axis; may be empty.
    pub x_label: String,
    /// Decimals for value labels (ticks choose their own).
    pub decimals: usize,
    /// Colour per category or series key (e.g. `us` -> `#0072B2`), so an entity
    /// keeps its colour in every chart; keys not listed take the palette in order.
    pub palette: Vec<(String, String)>,
    /// Words the chart writes itself, in the edition's language; shared,
    /// since one set serves every chart of an edition.
    pub words: std::sync::Arc<ChartWords>,
    /// The unit as the reader should see it ("USD bn"), shown by
    /// [`render_standalone`] under the title; may be empty.
    pub unit_label: String,
    /// The source line ("Source: …"), shown by [`render_standalone`] under
    /// the plot; may be empty.
    pub source: String,
    /// Small multiples: when not empty, the chart is drawn as a grid of
    /// panels, one per entry, in order; together they cover every
    /// category, each category in one panel. Empty: one chart.
    pub panels: Vec<Panel>,
}

impl ChartInput {
    /// The chart of one panel: its categories, values and x positions,
    /// with every other setting of the whole.
    pub fn panel(&self, p: &Panel) -> ChartInput {
        let r = p.rows.clone();
        ChartInput {
            categories: self.categories[r.clone()].to_vec(),
            series: self
                .series
                .iter()
                .map(|s| Series {
                    key: s.key.clone(),
                    label: s.label.clone(),
                    values: s.values[r.clone()].to_vec(),
                    derived: s.derived.get(r.clone()).map_or_else(Vec::new, <[bool]>::to_vec),
                    color: s.color.clone(),
                })
                .collect(),
            x: self.x.as_ref().map(|x| match x {
                XAxis::Number(v) => XAxis::Number(v[r.clone()].to_vec()),
                XAxis::Date(v) => XAxis::Date(v[r.clone()].to_vec()),
            }),
            panels: Vec::new(),
            ..self.clone_head()
        }
    }

    /// How a reader names category `i` outside the chart (a data table):
    /// its label, after its panel's title in a faceted chart ("North,
    /// 2021"), since the same label recurs in every panel.
    pub fn row_label(&self, i: usize) -> String {
        let label = self.categories.get(i).map_or("", |c| c.label.as_str());
        match self.panels.iter().find(|p| p.rows.contains(&i)) {
            Some(p) => format!("{}{}{label}", p.label, self.words.item_sep),
            None => label.to_string(),
        }
    }

    /// Everything but the data, cheaply (the data is sliced per panel).
    fn clone_head(&self) -> ChartInput {
        ChartInput {
            id: self.id.clone(),
            kind: self.kind,
            title: self.title.clone(),
            categories: Vec::new(),
            series: Vec::new(),
            normalize: self.normalize,
            range: self.range,
            scale: self.scale,
            x: None,
            x_label: self.x_label.clone(),
            decimals: self.decimals,
            palette: self.palette.clone(),
            words: self.words.clone(),
            unit_label: self.unit_label.clone(),
            source: self.source.clone(),
            panels: Vec::new(),
        }
    }
}

impl Default for ChartInput {
    /// An empty bar chart with English words, so callers fill only what they
    /// have and keep compiling when fields are added.
    fn default() -> Self {
        ChartInput {
            id: String::new(),
            kind: ChartKind::Bar,
            title: String::new(),
            categories: Vec::new(),
            series: Vec::new(),
            normalize: false,
            range: false,
            scale: Scale::Linear,
            x: None,
            x_label: String::new(),
            decimals: 0,
            palette: Vec::new(),
            words: std::sync::Arc::new(ChartWords::english()),
            unit_label: String::new(),
            source: String::new(),
            panels: Vec::new(),
        }
    }
}

mod axis;
mod band;
mod barmarks;
mod bars;
mod describe;
mod donut;
mod facet;
mod hbar;
mod line;
mod memo;
#[cfg(test)]
mod read;
mod scatter;
mod scene;
mod svg;
mod table;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_both;
#[cfg(test)]
mod tests_crowd;
#[cfg(test)]
mod tests_facet;
#[cfg(test)]
mod tests_geom;
#[cfg(test)]
mod tests_marks;
#[cfg(test)]
mod tests_time;
mod text;
mod theme;
mod ticks;
mod time;
mod validate;
mod vbar;
mod xaxis;

pub use describe::describe;
pub use svg::SvgWriter;
pub use table::{DataCell, DataRow, DataTable, data_table};

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
/// prefixed by `input.id`; ticks and value labels go through `fmt`. This is
/// the inline form: the page's figure shows title and source around it.
///
/// Errors say what in the data prevents the chart (empty series, negative
/// donut values, non-positive values on a log scale, ...). Same input, same
/// bytes.
pub fn render(input: &ChartInput, fmt: &dyn ValueFormat) -> Result<String, ChartError> {
    let scene = scene(input, fmt)?;
    finish(scene, input, &describe(input, fmt))
}

/// Like [`render`], for a chart file that travels alone: it also draws the
/// title, `input.unit_label` above the plot and `input.source` below it,
/// so none of them is lost when the SVG leaves the page.
pub fn render_standalone(input: &ChartInput, fmt: &dyn ValueFormat) -> Result<String, ChartError> {
    let mut scene = scene(input, fmt)?;
    axis::frame(&mut scene, input, &input.unit_label, &input.source);
    finish(scene, input, &describe(input, fmt))
}

/// [`render`] and [`render_standalone`] (with `unit_label` and `source`
/// for the file that travels alone) from one layout and one description:
/// a page needs both, and the two differ only in the frame.
pub fn render_both(
    input: &ChartInput,
    fmt: &dyn ValueFormat,
    unit_label: &str,
    source: &str,
) -> Result<(String, String), ChartError> {
    let scene = scene(input, fmt)?;
    let mut alone = scene.clone();
    axis::frame(&mut alone, input, unit_label, source);
    let desc = describe(input, fmt);
    Ok((finish(scene, input, &desc)?, finish(alone, input, &desc)?))
}

/// The checked chart laid out, with its derived marks keyed.
fn scene(input: &ChartInput, fmt: &dyn ValueFormat) -> Result<scene::Scene, ChartError> {
    validate::check(input)?;
    let memo = memo::Memo::new(fmt);
    let fmt = &memo;
    let ctx = axis::Ctx::new(input, fmt);
    let mut scene = if input.panels.is_empty() {
        layout(&ctx)
    } else {
        facet::layout(&ctx)
    };
    if describe::all_derived(input) {
        // Hatching every mark would only add noise: marks keep
        // `data-derived`, and one line under the chart says it.
        scene.retain(|i| i.class != Some("derived"));
        axis::note(&mut scene, &input.words.all_derived_key, theme::LEGEND_SIZE);
    } else if describe::any_derived(input) {
        axis::derived_key(&mut scene, &input.words);
    }
    Ok(scene)
}

/// The scene as an SVG document, fitted to its viewBox.
fn finish(mut scene: scene::Scene, input: &ChartInput, desc: &str) -> Result<String, ChartError> {
    let height = axis::fit_to_viewbox(&mut scene);
    svg::document(&scene, height, &input.id, &input.title, desc).map_err(ChartError)
}

/// The layout of one chart (or one panel) of `ctx.input.kind`.
fn layout(ctx: &axis::Ctx) -> scene::Scene {
    match ctx.input.kind {
        ChartKind::Bar | ChartKind::HBar | ChartKind::GroupedBar | ChartKind::StackedBar | ChartKind::StackedColumn => {
            match bars::Orientation::of(ctx.input.kind) {
                bars::Orientation::Horizontal => hbar::layout(ctx),
                bars::Orientation::Vertical => vbar::layout(ctx),
            }
        }
        ChartKind::Line | ChartKind::Area => line::layout(ctx),
        ChartKind::Scatter => scatter::layout(ctx),
        ChartKind::Donut => donut::layout(ctx),
    }
}
