//! The one look every chart shares: sizes, fonts, palette and ink.
//!
//! Keeping every visual constant here means a graphics desk can restyle all
//! charts in one place, and no chart drifts from the others.

use super::ChartInput;

/// Width of every chart's viewBox; heights follow from content.
pub const WIDTH: f64 = 640.0;
/// Clear space kept between any element and the viewBox edge.
pub const PAD: f64 = 8.0;
/// The visible title of a standalone chart file.
pub const TITLE_SIZE: f64 = 17.0;
/// The unit line under a standalone chart's title.
pub const UNIT_SIZE: f64 = 13.0;
/// A bold title is wider than the estimate for regular text: wrap it to
/// the width divided by this.
pub const TITLE_WRAP: f64 = 1.06;
/// Space between a standalone chart's head (title, unit) and the plot.
pub const HEAD_GAP: f64 = 12.0;
/// Space between the title and the unit line.
pub const HEAD_LINE_GAP: f64 = 4.0;
/// Space above a note or key under the chart.
pub const NOTE_GAP: f64 = 14.0;
/// Side of the hatched swatch in the key for computed values.
pub const KEY_SWATCH: f64 = 14.0;
/// Category labels (bars, donut segments).
pub const LABEL_SIZE: f64 = 14.0;
/// Value labels on marks.
pub const VALUE_SIZE: f64 = 13.0;
/// Axis tick labels: the smallest text, still readable at 640 px.
pub const TICK_SIZE: f64 = 12.0;
/// Legend entries and direct labels at line ends.
pub const LEGEND_SIZE: f64 = 13.0;
/// Multi-line text advances by this many ems.
pub const LINE_HEIGHT: f64 = 1.25;
/// Gap between a text and the thing it labels.
pub const GAP: f64 = 6.0;

/// Outline width of a computed (hatched) mark.
pub const HATCH_OUTLINE: &str = "1.5";

/// Line points closer than this (px) are drawn as a bare line, no dots.
pub const DOT_SPACING: f64 = 8.0;

/// Horizontal bars: the rows of a chart never take more than this height,
/// so with caption and source the figure fits one A4 page (640 px wide
/// prints about 170 mm wide, so 1 px is about 0.27 mm).
pub const MAX_ROWS_H: f64 = 760.0;
/// Row height of a horizontal bar chart with room to spare.
pub const ROW_H: f64 = 44.0;
/// Bar thickness as a share of its row when rows are squeezed.
pub const BAR_SHARE: f64 = 0.62;
/// Bar thickness in a roomy row (single bars, stacked bars).
pub const BAR_H: f64 = 26.0;
/// Stacked bars are a little thicker, to fit labels inside segments.
pub const STACK_H: f64 = 30.0;
/// Smallest text a squeezed chart may use (about 8 pt in print).
pub const MIN_TEXT: f64 = 11.0;

/// Vertical bars: a single bar takes this share of its band, up to
/// [`COLUMN_MAX`] px wide.
pub const COLUMN_SHARE: f64 = 0.6;
/// Widest single vertical bar.
pub const COLUMN_MAX: f64 = 96.0;
/// Grouped bars: the group takes this share of its band.
pub const GROUP_SHARE: f64 = 0.8;
/// Widest bar within a group.
pub const GROUP_BAR_MAX: f64 = 72.0;
/// Gap between bars of one group.
pub const GROUP_GAP: f64 = 3.0;
/// Height of the value axis of vertical charts (bars, lines).
pub const PLOT_H: f64 = 220.0;
/// Gap between tick labels and the plot.
pub const TICK_GAP: f64 = 8.0;
/// Width of the emphasised zero line.
pub const BASELINE_W: f64 = 1.5;
/// Stroke of a data line.
pub const LINE_W: f64 = 2.5;
/// Radius of a line chart's dot; computed values get [`DOT_R_DERIVED`], so
/// the hatching shows.
pub const DOT_R: f64 = 4.0;
/// Radius of a computed value's (hatched) dot.
pub const DOT_R_DERIVED: f64 = 5.0;
/// Side of a legend swatch.
pub const SWATCH: f64 = 12.0;
/// Space between legend entries.
pub const LEGEND_SPACING: f64 = 18.0;
/// Longest label column of horizontal bars, as a share of the width.
pub const LABEL_COLUMN_SHARE: f64 = 0.38;
/// Turn of crowded category labels, in degrees.
pub const TURNED: f64 = -45.0;

/// Turned labels are cut (with "…") beyond this length: the description
/// and the data table carry the full names.
pub const TURNED_MAX: f64 = 150.0;
/// A turned label's end sits this many ems right of its band's centre, so
/// its baseline, not its top, points at the band.
pub const TURNED_NUDGE: f64 = 0.35;
/// Most lines a level category label under a column may take.
pub const LEVEL_LABEL_LINES: usize = 3;
/// Most lines a level label may take once labels are thinned.
pub const THINNED_LABEL_LINES: usize = 2;
/// Most lines a label in the column left of horizontal bars may take.
pub const BAR_LABEL_LINES: usize = 2;
/// Rounding slack when wrapping to a width measured from the text itself.
pub const WRAP_SLACK: f64 = 0.5;

/// Space between the label column and horizontal bars.
pub const LABEL_COLUMN_GAP: f64 = 12.0;
/// Vertical padding a horizontal bar row keeps around its label lines.
pub const ROW_PAD: f64 = 12.0;
/// Space between the legend row and the plot below it.
pub const LEGEND_GAP: f64 = 10.0;
/// Height of one legend row.
pub const LEGEND_ROW: f64 = 22.0;
/// Space between a legend swatch and its label.
pub const SWATCH_GAP: f64 = 6.0;
/// Space kept between a category label and the next band's label.
pub const BAND_LABEL_GAP: f64 = 8.0;
/// Distance from a vertical plot's bottom to the top of category labels.
pub const CAT_LABEL_DROP: f64 = 10.0;
/// A value label goes inside a column only with this much to spare
/// beyond its text height and gaps.
pub const INSIDE_SPARE: f64 = 4.0;
/// Room a value label needs inside a horizontal bar beyond its own size:
/// (along the bar, a gap at either end; across it, a pixel above and below).
pub const INSIDE_ROOM_HBAR: (f64, f64) = (2.0 * GAP, 2.0);
/// Room a value label needs inside a column beyond its own size: (along
/// it, a gap at either end and [`INSIDE_SPARE`]; across it, a gap each side).
pub const INSIDE_ROOM_COLUMN: (f64, f64) = (2.0 * GAP + INSIDE_SPARE, 2.0 * GAP);

/// Direct labels at line ends: space between the plot and the key stroke.
pub const END_LABEL_GAP: f64 = 8.0;
/// Direct labels: stroke width of the short key line.
pub const END_KEY_W: f64 = 3.0;
/// Direct labels advance by at least this many ems, so they never touch.
pub const END_LABEL_STEP: f64 = 1.4;

/// Least clear space between two tick labels along an axis.
pub const TICK_MIN_GAP: f64 = 10.0;
/// Stacked tick labels (a vertical value axis) stay this many ems apart.
pub const TICK_STACK: f64 = 1.6;
/// A horizontal value axis starts its search at one tick per this many px.
pub const TICK_SPACING_ALONG: f64 = 110.0;
/// A vertical value axis starts its search at one tick per this many px.
pub const TICK_SPACING_UP: f64 = 55.0;
/// Most intervals on a panel's value axis, which takes the shortest round
/// axis that fits rather than the theme's tick spacing.
pub const TIGHT_TICKS: usize = 6;
/// A continuous x axis keeps about this many px per numeric tick.
pub const X_TICK_SPACING: f64 = 90.0;
/// Distance from the plot's bottom edge to the top of x tick labels.
pub const X_TICK_DROP: f64 = 10.0;
/// Length of a tick mark on a continuous x axis.
pub const X_TICK_LEN: f64 = 4.0;
/// The x axis title under a continuous axis ("Horsepower").
pub const AXIS_TITLE_SIZE: f64 = 13.0;

/// Scatter plots with at most this many points draw each dot as its own
/// mark carrying its data (`data-key`, `data-x`, `data-value`); above it,
/// a series' dots share one compact path so 10,000 points stay small, and
/// the description and data table carry the values.
pub const SCATTER_MARKS: usize = 300;
/// Dot radius of a sparse scatter plot.
pub const SCATTER_R: f64 = 4.0;
/// Dot radius once dots share a path (more than [`SCATTER_MARKS`]).
pub const SCATTER_R_DENSE: f64 = 2.5;
/// Dot radius beyond [`SCATTER_CROWD`] points, so clusters keep a shape.
pub const SCATTER_R_CROWD: f64 = 1.6;
/// Point count beyond which dots shrink to [`SCATTER_R_CROWD`].
pub const SCATTER_CROWD: usize = 3000;
/// Opacity of dense dots: overlaps darken, so density shows.
pub const DOTS_OPACITY: &str = "0.5";

/// Opacity of the wash under an area chart's lines: light enough that
/// overlapping areas and gridlines stay visible.
pub const AREA_OPACITY: &str = "0.22";

/// Font stack with CJK fonts, so Chinese labels never fall back to boxes.
pub const FONT_FAMILY: &str =
    "Noto Sans, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, Helvetica Neue, Arial, sans-serif";

/// Outer radius of a donut's ring.
pub const DONUT_R: f64 = 100.0;
/// Radius of a donut's hole.
pub const DONUT_HOLE: f64 = 62.0;
/// Donut labels start this far beyond the ring, left or right of centre.
pub const DONUT_LABEL_X: f64 = 28.0;
/// Where a donut label's leader starts, beyond the ring.
pub const DONUT_LEADER_FROM: f64 = 3.0;
/// Where a donut label sits before labels are pushed apart, beyond the ring.
pub const DONUT_LABEL_R: f64 = 12.0;
/// A donut leader line ends this far before its label.
pub const DONUT_LEADER_GAP: f64 = 8.0;
/// Half the hair of background between donut segments.
pub const DONUT_SEAM: f64 = 0.75;
/// The total in a donut's hole.
pub const DONUT_TOTAL_SIZE: f64 = 16.0;
/// Offsets of the word "Total" above and the total below the hole's centre.
pub const DONUT_TOTAL_DY: (f64, f64) = (10.0, 9.0);

/// Small multiples: a panel is at least this wide, so the figure's width
/// gives the column count (three at 640 px).
pub const PANEL_MIN_W: f64 = 180.0;
/// Panels of horizontal bars need room for their label column (two
/// columns at 640 px).
pub const PANEL_MIN_W_HBAR: f64 = 300.0;
/// Space between panels, across and down.
pub const PANEL_GAP: f64 = 16.0;
/// Extra space between rows of panels, below the lower one's axis labels.
pub const PANEL_ROW_GAP: f64 = 18.0;
/// Height of a panel's value axis when the page has room.
pub const PANEL_PLOT_H: f64 = 140.0;
/// Least height of a panel's value axis.
pub const PANEL_PLOT_MIN: f64 = 60.0;
/// What a panel needs besides its plot (title, axis labels), for the
/// height budget.
pub const PANEL_CHROME: f64 = 64.0;
/// All rows of panels together stay within this height, so the figure
/// fits one printed page (as [`MAX_ROWS_H`] does for bars).
pub const PANELS_MAX_H: f64 = MAX_ROWS_H;
/// A panel's title (its facet value), in bold.
pub const PANEL_TITLE_SIZE: f64 = 13.0;
/// Space between a panel's title and its plot.
pub const PANEL_TITLE_GAP: f64 = 8.0;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parses `#RRGGBB` or `#RGB`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().strip_prefix('#')?;
        let digit = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
        match hex.len() {
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            _ => None,
        }
    }

    /// `#RRGGBB`, the form written into the SVG.
    pub fn hex(self) -> String {
        let mut s = String::with_capacity(7);
        self.push_hex(&mut s);
        s
    }

    /// Appends `#RRGGBB`.
    pub fn push_hex(self, out: &mut String) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        out.push('#');
        for c in [self.0, self.1, self.2] {
            out.push(char::from(DIGITS[usize::from(c >> 4)]));
            out.push(char::from(DIGITS[usize::from(c & 15)]));
        }
    }

    /// WCAG relative luminance, to pick readable text on a coloured bar.
    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// White or near-black, whichever contrasts more with this fill.
    pub fn text_on(self) -> Rgb {
        let l = self.luminance();
        let dark = DARK_TEXT.luminance();
        if (1.05) / (l + 0.05) >= (l + 0.05) / (dark + 0.05) {
            WHITE
        } else {
            DARK_TEXT
        }
    }
}

/// Text on light fills (inside bars); fixed because the fill does not change
/// with the page's colour scheme.
pub const DARK_TEXT: Rgb = Rgb(0x11, 0x11, 0x11);
/// Text on dark fills.
pub const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);

/// Series colours: Okabe–Ito without black (it vanishes on a dark page)
/// and yellow (faint on white), then Paul Tol's olive, purple and teal and
/// a darker Okabe–Ito blue, so eight series never share a colour. Every one
/// is mid-light: at least 3:1 against a near-black page and 1.9:1 against
/// white (they fill areas; text never sits on the page in them), and the
/// first six stay distinct under the common colour-vision deficiencies.
pub const PALETTE: [Rgb; 10] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0x99, 0x99, 0x33),
    Rgb(0xAA, 0x44, 0x99),
    Rgb(0x44, 0xAA, 0x99),
    Rgb(0x88, 0x66, 0xCC),
];

/// Slate for bars that stand for no entity in particular; it reads on light
/// and dark pages alike.
pub const NEUTRAL: Rgb = Rgb(0x5B, 0x6C, 0x7D);

/// Neutral grey for a donut's "Other": it must not look like a named part.
pub const OTHER: Rgb = Rgb(0x99, 0x99, 0x99);

/// How a shape or text is painted. Ink follows the page (`currentColor`), so
/// a chart reads on light and dark pages; data colours stay fixed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Paint {
    /// Main text and the zero baseline.
    Ink,
    /// Secondary text: ticks, legend, leader lines.
    Muted,
    /// Light gridlines.
    Grid,
    /// A fixed colour (data marks and text on them).
    Color(Rgb),
    /// A light wash of a data colour (the area under a line).
    Tint(Rgb),
    /// A data colour, half transparent (dense scatter dots).
    Faded(Rgb),
    /// Diagonal hatching with an ink outline, laid over a mark whose value
    /// quire computed.
    Hatch,
}

impl Paint {
    /// The colour plotters draws with; [`super::svg`] maps the ink sentinels
    /// back to `currentColor`, so these exact values only matter if a page
    /// strips that step.
    pub fn plotters_rgb(self) -> Rgb {
        match self {
            Paint::Ink => Rgb(0x22, 0x22, 0x22),
            Paint::Muted => Rgb(0x55, 0x55, 0x55),
            Paint::Grid => Rgb(0xDD, 0xDD, 0xDD),
            Paint::Color(c) | Paint::Tint(c) | Paint::Faded(c) => c,
            Paint::Hatch => Rgb(0x22, 0x22, 0x22),
        }
    }

    /// Appends the colour as written into the SVG and returns its opacity,
    /// without an intermediate string.
    pub fn push_svg(self, out: &mut String) -> Option<&'static str> {
        match self {
            Paint::Ink | Paint::Hatch => out.push_str("currentColor"),
            Paint::Muted => out.push_str("currentColor"),
            Paint::Grid => out.push_str("currentColor"),
            Paint::Color(c) | Paint::Tint(c) | Paint::Faded(c) => c.push_hex(out),
        }
        self.svg().1
    }

    /// `(colour, opacity)` as written into the SVG.
    pub fn svg(self) -> (std::borrow::Cow<'static, str>, Option<&'static str>) {
        const INK: std::borrow::Cow<'static, str> = std::borrow::Cow::Borrowed("currentColor");
        match self {
            Paint::Ink | Paint::Hatch => (INK, None),
            Paint::Muted => (INK, Some("0.72")),
            Paint::Grid => (INK, Some("0.16")),
            Paint::Color(c) => (c.hex().into(), None),
            Paint::Tint(c) => (c.hex().into(), Some(AREA_OPACITY)),
            Paint::Faded(c) => (c.hex().into(), Some(DOTS_OPACITY)),
        }
    }
}

/// Assigns colours to keys: the report palette wins, so an entity keeps its
/// colour in every chart; other keys take [`PALETTE`] in order, first the
/// colours the report palette does not reserve (so "United States blue"
/// never also means "chips"), then reserved ones this chart does not use,
/// and only then repeat.
pub struct Colors {
    explicit: Vec<(String, Rgb)>,
    free: Vec<Rgb>,
}

impl Colors {
    /// Builds the assignment for one chart.
    pub fn new(input: &ChartInput) -> Colors {
        // A colour set on the series in this chart comes first, so it wins.
        let own = input
            .series
            .iter()
            .filter_map(|s| s.color.as_deref().and_then(Rgb::parse).map(|c| (s.key.clone(), c)));
        let explicit: Vec<(String, Rgb)> = own
            .chain(
                input
                    .palette
                    .iter()
                    .filter_map(|(k, v)| Rgb::parse(v).map(|c| (k.clone(), c))),
            )
            .collect();
        let free: Vec<Rgb> = PALETTE
            .iter()
            .copied()
            .filter(|c| explicit.iter().all(|(_, e)| e != c))
            .collect();
        Colors { explicit, free }
    }

    /// How many keys can get distinct colours from the free palette.
    pub fn free_len(&self) -> usize {
        self.free.len()
    }

    /// The report palette's colour for `key`, if it names one.
    pub fn explicit(&self, key: &str) -> Option<Rgb> {
        self.explicit.iter().find(|(k, _)| k == key).map(|(_, c)| *c)
    }

    /// Colours for a list of keys, in order: palette first, then colours no
    /// other key of this chart uses, cycling only when all are taken.
    pub fn for_keys<'a>(&self, keys: impl IntoIterator<Item = &'a str> + Clone) -> Vec<Rgb> {
        let taken: Vec<Rgb> = keys.clone().into_iter().filter_map(|k| self.explicit(k)).collect();
        let spare: Vec<Rgb> = self
            .free
            .iter()
            .chain(PALETTE.iter().filter(|c| !self.free.contains(c)))
            .copied()
            .filter(|c| !taken.contains(c))
            .collect();
        let spare = if spare.is_empty() { PALETTE.to_vec() } else { spare };
        let mut next = 0;
        keys.into_iter()
            .map(|k| {
                self.explicit(k).unwrap_or_else(|| {
                    let c = spare[next % spare.len()];
                    next += 1;
                    c
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_picks_contrasting_text() {
        assert_eq!(Rgb::parse("#0072b2"), Some(Rgb(0, 0x72, 0xB2)));
        assert_eq!(Rgb::parse("#fff"), Some(WHITE));
        assert_eq!(Rgb::parse("blue"), None);
        assert_eq!(Rgb(0, 0x72, 0xB2).text_on(), WHITE);
        assert_eq!(Rgb(0xF0, 0xE4, 0x42).text_on(), DARK_TEXT);
    }

    fn contrast(a: Rgb, b: Rgb) -> f64 {
        let (x, y) = (a.luminance(), b.luminance());
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn palette_reads_on_light_and_dark_pages_and_never_repeats() {
        for c in PALETTE {
            assert!(contrast(c, WHITE) >= 1.9, "{} too faint on white", c.hex());
            assert!(
                contrast(c, Rgb(0x12, 0x12, 0x12)) >= 3.0,
                "{} too dark on a dark page",
                c.hex()
            );
        }
        let input = ChartInput {
            palette: vec![("us".into(), "#0072B2".into()), ("cn".into(), "#D55E00".into())],
            ..ChartInput::default()
        };
        let colors = Colors::new(&input);
        let keys = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let got = colors.for_keys(keys);
        for (i, c) in got.iter().enumerate() {
            assert!(!got[i + 1..].contains(c), "colour {} repeats: {got:?}", c.hex());
        }
        assert_eq!(got[0], PALETTE[2], "reserved colours come last");
        let mixed = colors.for_keys(["us", "a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(mixed[0], PALETTE[0]);
        assert!(!mixed[1..].contains(&PALETTE[0]));
        let mut own = input.clone();
        own.series = vec![
            super::super::Series {
                key: "us".into(),
                color: Some("#123456".into()),
                ..Default::default()
            },
            super::super::Series {
                key: "x".into(),
                color: Some("#ABCDEF".into()),
                ..Default::default()
            },
        ];
        let colors = Colors::new(&own);
        assert_eq!(
            colors.for_keys(["us", "x", "cn"]),
            [Rgb(0x12, 0x34, 0x56), Rgb(0xAB, 0xCD, 0xEF), PALETTE[1]]
        );
    }
}
