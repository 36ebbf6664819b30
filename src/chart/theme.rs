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

/// Font stack with CJK fonts, so Chinese labels never fall back to boxes.
pub const FONT_FAMILY: &str =
    "Noto Sans, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, Helvetica Neue, Arial, sans-serif";

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
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
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

/// Okabe–Ito, ordered so the first colours are the most distinct; black is
/// left out because it vanishes on a dark page, yellow is last because it is
/// faint on white.
pub const OKABE_ITO: [Rgb; 7] = [
    Rgb(0x00, 0x72, 0xB2),
    Rgb(0xD5, 0x5E, 0x00),
    Rgb(0x00, 0x9E, 0x73),
    Rgb(0xE6, 0x9F, 0x00),
    Rgb(0x56, 0xB4, 0xE9),
    Rgb(0xCC, 0x79, 0xA7),
    Rgb(0xF0, 0xE4, 0x42),
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
            Paint::Color(c) => c,
            Paint::Hatch => Rgb(0x22, 0x22, 0x22),
        }
    }

    /// `(colour, opacity)` as written into the SVG.
    pub fn svg(self) -> (String, Option<&'static str>) {
        match self {
            Paint::Ink => ("currentColor".into(), None),
            Paint::Muted => ("currentColor".into(), Some("0.72")),
            Paint::Grid => ("currentColor".into(), Some("0.16")),
            Paint::Color(c) => (c.hex(), None),
            Paint::Hatch => ("currentColor".into(), None),
        }
    }
}

/// Assigns colours to keys: the report palette wins, so an entity keeps its
/// colour in every chart; other keys take Okabe–Ito in order, skipping the
/// colours the report palette reserves, so "United States blue" never also
/// means "chips".
pub struct Colors {
    explicit: Vec<(String, Rgb)>,
    free: Vec<Rgb>,
}

impl Colors {
    /// Builds the assignment for one chart.
    pub fn new(input: &ChartInput) -> Colors {
        let explicit: Vec<(String, Rgb)> = input
            .palette
            .iter()
            .filter_map(|(k, v)| Rgb::parse(v).map(|c| (k.clone(), c)))
            .collect();
        let mut free: Vec<Rgb> = OKABE_ITO
            .iter()
            .copied()
            .filter(|c| explicit.iter().all(|(_, e)| e != c))
            .collect();
        if free.is_empty() {
            free = OKABE_ITO.to_vec();
        }
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

    /// Colours for a list of keys, in order: palette first, free colours
    /// cycled for the rest.
    pub fn for_keys<'a>(&self, keys: impl IntoIterator<Item = &'a str>) -> Vec<Rgb> {
        let mut next = 0;
        keys.into_iter()
            .map(|k| {
                self.explicit(k).unwrap_or_else(|| {
                    let c = self.free[next % self.free.len()];
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
}
