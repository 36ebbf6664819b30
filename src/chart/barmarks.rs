//! Bars and their value labels, drawn by one routine for both
//! orientations: the pieces [`super::bars`] builds, placed along the value
//! axis and across the band axis, with one rule for where a number goes.
//!
//! A value label sits inside its bar's end when it fits there with the
//! theme's room to spare ([`INSIDE_ROOM_HBAR`], [`INSIDE_ROOM_COLUMN`]),
//! else just beyond the end; a range centres it; a stack piece shows its
//! number inside or not at all, and the stack's total goes beyond its end.
//! A computed bar keeps its number outside, clear of the hatching; a row
//! without any value says "no data". What stays in `hbar` and `vbar` is the
//! axes: where the plot lies, how thick bars are, and whether squeezed
//! rows thin their numbers with their labels ([`Bars::thin_numbers`]).

use super::axis::Ctx;
use super::band::BandAxis;
use super::bars::{Orientation, Row, slot_span};
use super::scene::{Anchor, BBox, Item, Scene, item_bbox};
use super::text;
use super::theme::{GAP, INSIDE_ROOM_COLUMN, INSIDE_ROOM_HBAR, Paint};
use super::ticks::Scale;

/// Where and how thick bars are drawn.
pub struct Bars<'a> {
    /// Which way bars run.
    pub orientation: Orientation,
    /// The value scale.
    pub scale: Scale,
    /// Pixel positions of the scale's start and end along the value axis:
    /// `(left, right)` for horizontal bars, `(bottom, top)` for columns.
    pub along: (f64, f64),
    /// The category axis the bars stand on.
    pub cats: &'a BandAxis,
    /// Thickness of one bar across its band.
    pub thickness: f64,
    /// Space between the bars of one group.
    pub gap: f64,
    /// Bars per band (series side by side); 1 for single bars and stacks.
    pub slots: usize,
    /// Font size of value labels.
    pub value_size: f64,
    /// Numbers beyond a bar's end only on bands that carry a category
    /// label: squeezed rows of horizontal bars thin labels because rows are
    /// too thin for a line of text, and a number shares that line. Under
    /// columns, labels are thinned for their width, which says nothing of
    /// the numbers above the columns.
    pub thin_numbers: bool,
}

/// What [`Bars::draw`] produced, kept apart so each layout orders and
/// checks them.
pub struct Drawn {
    /// The bars, in row and piece order.
    pub marks: Scene,
    /// Value labels (and whatever the per-row hook drew), to go over the
    /// bars and the baseline.
    pub labels: Scene,
    /// The box of every bar.
    pub rects: Vec<BBox>,
    /// The box of every label at a row's end (a bar's value, a stack's
    /// total, "no data"), for margins that keep them inside the chart.
    pub ends: Vec<BBox>,
}

impl Bars<'_> {
    /// Pixel position of value `v` along the value axis.
    fn at(&self, v: f64) -> f64 {
        self.along.0 + self.scale.frac(v) * (self.along.1 - self.along.0)
    }

    /// Whether text `t` fits inside a bar `len` px long, with the theme's
    /// room to spare along the bar and across it.
    fn fits_inside(&self, t: &str, len: f64) -> bool {
        let (w, h) = (text::width(t, self.value_size, false), self.value_size);
        let ((along, across), (room_along, room_across)) = match self.orientation {
            Orientation::Horizontal => ((w, h), INSIDE_ROOM_HBAR),
            Orientation::Vertical => ((h, w), INSIDE_ROOM_COLUMN),
        };
        len >= along + room_along && self.thickness >= across + room_across
    }

    /// Text `t` at the end `end` of a bar growing in direction `dir` (±1
    /// in px) and centred on `across`: [`GAP`] beyond the end, or (with
    /// `inside`) GAP within it.
    #[allow(clippy::too_many_arguments)]
    fn at_end<'s>(
        &self,
        labels: &'s mut Scene,
        t: &str,
        end: f64,
        dir: f64,
        across: f64,
        inside: bool,
        paint: Paint,
    ) -> &'s mut Item {
        let out = if inside { -dir } else { dir };
        let vs = self.value_size;
        match self.orientation {
            Orientation::Horizontal => {
                let anchor = if out > 0.0 { Anchor::Start } else { Anchor::End };
                labels.text(end + out * GAP, across, t, vs, anchor, paint)
            }
            Orientation::Vertical => labels.text(across, end + out * (GAP + vs / 2.0), t, vs, Anchor::Middle, paint),
        }
    }

    /// Text `t` centred at `along` on the value axis and `across` it.
    fn centred<'s>(&self, labels: &'s mut Scene, t: &str, along: f64, across: f64, paint: Paint) -> &'s mut Item {
        let (x, y) = self.orientation.xy(along, across);
        labels.text(x, y, t, self.value_size, Anchor::Middle, paint)
    }

    /// Draws every row's bars and value labels. `row_start` runs before
    /// each row's labels (horizontal bars set the category label there, so
    /// a row reads label, bar, value).
    pub fn draw(&self, ctx: &Ctx, rows: &[Row], row_start: &mut dyn FnMut(&mut Scene, usize)) -> Drawn {
        let mut d = Drawn {
            marks: Scene::default(),
            labels: Scene::default(),
            rects: Vec::new(),
            ends: Vec::new(),
        };
        let base = self.at(self.scale.base());
        // Which way a bar of no length points: up the page, or to the right.
        let forward = if self.along.1 < self.along.0 { -1.0 } else { 1.0 };
        for (i, row) in rows.iter().enumerate() {
            row_start(&mut d.labels, i);
            let centre = self.cats.centre(i);
            let numbered = !self.thin_numbers || self.cats.labelled(i);
            let (mut far, mut dir) = (base, forward);
            for seg in &row.segs {
                let (b, e) = (self.at(seg.from.unwrap_or(self.scale.base())), self.at(seg.to));
                let (c0, c1) = slot_span(centre, self.thickness, self.gap, self.slots, seg.slot);
                let shape = self.orientation.rect((b, e), (c0, c1));
                d.rects.push(item_bbox(&shape));
                d.marks.mark(shape, Paint::Color(seg.color), seg.mark.clone());
                dir = if e == b { forward } else { (e - b).signum() };
                far = e;
                let (len, across) = ((e - b).abs(), (c0 + c1) / 2.0);
                let on = Paint::Color(seg.color.text_on());
                if let Some(t) = &seg.label {
                    if !numbered {
                        continue;
                    }
                    let inside = !seg.mark.derived && self.fits_inside(t, len);
                    let item = if inside && row.centre {
                        self.centred(&mut d.labels, t, (b + e) / 2.0, across, on)
                    } else if inside {
                        self.at_end(&mut d.labels, t, e, dir, across, true, on)
                    } else {
                        self.at_end(&mut d.labels, t, e, dir, across, false, Paint::Ink)
                    };
                    d.ends.push(item_bbox(&item.shape));
                } else if let Some(t) = seg.inside.iter().find(|t| self.fits_inside(t, len)) {
                    // Stack pieces take the first of their labels that fits;
                    // a computed piece's number gets a halo over the hatching.
                    let item = self.centred(&mut d.labels, t, (b + e) / 2.0, across, on);
                    item.halo = seg.mark.derived.then_some(seg.color);
                }
            }
            if !numbered {
                continue;
            }
            let end = match (&row.total, row.missing) {
                (Some(total), _) => Some((total.as_str(), Paint::Ink)),
                (None, true) => Some((ctx.missing(), Paint::Muted)),
                (None, false) => None,
            };
            if let Some((t, paint)) = end {
                let item = self.at_end(&mut d.labels, t, far, dir, centre, false, paint);
                d.ends.push(item_bbox(&item.shape));
            }
        }
        d
    }
}
