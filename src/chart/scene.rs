//! The chart as a list of primitives in viewBox pixels, before drawing.
//!
//! Layouts build a [`Scene`]; it can be measured (to size the viewBox and to
//! prove texts stay apart) and is then drawn through plotters by
//! [`super::svg`]. Keeping metadata (data keys, values) next to each shape
//! lets the SVG carry `data-*` attributes plotters knows nothing about.

use super::text;
use super::theme::{LINE_HEIGHT, Paint};

/// Horizontal text alignment relative to its x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// Text starts at x.
    Start,
    /// Text is centred on x.
    Middle,
    /// Text ends at x.
    End,
}

/// A drawable shape.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Axis-aligned rectangle from (x0, y0) to (x1, y1).
    Rect { x0: f64, y0: f64, x1: f64, y1: f64 },
    /// Open polyline (gridlines, axes, data lines, leaders).
    Line { points: Vec<(f64, f64)>, width: f64 },
    /// Filled polygon (donut segments).
    Polygon { points: Vec<(f64, f64)> },
    /// Filled circle (line-chart points).
    Circle { cx: f64, cy: f64, r: f64 },
    /// Many dots of radius `r` drawn as one element (dense scatter plots).
    Dots { points: Vec<(f64, f64)>, r: f64 },
    /// One line of text, vertically centred on y.
    Text {
        x: f64,
        y: f64,
        s: String,
        size: f64,
        bold: bool,
        anchor: Anchor,
        /// Rotation in degrees about (x, y); negative turns anticlockwise.
        angle: f64,
    },
}

/// What a data mark stands for, written as `class="mark"` + `data-*`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Mark {
    /// Category (row) key.
    pub key: String,
    /// Series (field) key.
    pub series: String,
    /// The value drawn (the high end for a range).
    pub value: f64,
    /// Range bars: the low end.
    pub low: Option<f64>,
    /// Scatter dots: the x position (days for dates).
    pub x: Option<f64>,
    /// Normalised stacks: the share in percent.
    pub share: Option<f64>,
    /// Computed by quire rather than stated by the source.
    pub derived: bool,
}

/// A shape, its paint and, for data marks, what it represents.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Geometry.
    pub shape: Shape,
    /// Fill (or stroke for lines).
    pub paint: Paint,
    /// Present on data marks only.
    pub mark: Option<Mark>,
    /// Extra class, e.g. `line` for a series' line.
    pub class: Option<&'static str>,
    /// Texts on a hatched mark: a band of the mark's colour behind the
    /// glyphs, so the stripes never cut through the number.
    pub halo: Option<super::theme::Rgb>,
}

/// Axis-aligned box `(x0, y0, x1, y1)`.
pub type BBox = (f64, f64, f64, f64);

/// A run of items drawn as one labelled `<g>` (a panel of a small
/// multiple), so assistive technology and scripts can tell panels apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Items `start..end` belong to the group.
    pub start: usize,
    /// One past the group's last item.
    pub end: usize,
    /// Written as `data-panel`.
    pub key: String,
    /// Written as `aria-label`.
    pub label: String,
}

/// An ordered list of items; later items draw on top.
#[derive(Debug, Clone, Default)]
pub struct Scene {
    /// Items in drawing order.
    pub items: Vec<Item>,
    /// Labelled runs of items, in order and apart.
    pub groups: Vec<Group>,
}

impl Scene {
    /// Adds an item.
    pub fn push(&mut self, shape: Shape, paint: Paint) -> &mut Item {
        self.items.push(Item {
            shape,
            paint,
            mark: None,
            class: None,
            halo: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// Adds a data mark; a computed value also gets the hatch laid over it
    /// (class `derived`), so it reads as computed in any colour scheme.
    pub fn mark(&mut self, shape: Shape, paint: Paint, mark: Mark) {
        let derived = mark.derived;
        self.items.push(Item {
            shape: shape.clone(),
            paint,
            mark: Some(mark),
            class: None,
            halo: None,
        });
        if derived {
            self.push(shape, Paint::Hatch).class = Some("derived");
        }
    }

    /// Adds a rectangle given any two opposite corners.
    pub fn rect(&mut self, (xa, ya): (f64, f64), (xb, yb): (f64, f64), paint: Paint) -> &mut Item {
        self.push(rect_shape((xa, ya), (xb, yb)), paint)
    }

    /// Adds a straight line.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), width: f64, paint: Paint) {
        self.push(
            Shape::Line {
                points: vec![a, b],
                width,
            },
            paint,
        );
    }

    /// Adds one line of text centred vertically on `y`.
    pub fn text(&mut self, x: f64, y: f64, s: &str, size: f64, anchor: Anchor, paint: Paint) -> &mut Item {
        // Most texts have no line break: a plain copy is cheaper.
        let s = if s.contains(['\n', '\r']) {
            s.replace(['\n', '\r'], " ")
        } else {
            s.to_owned()
        };
        self.push(
            Shape::Text {
                x,
                y,
                s,
                size,
                bold: false,
                anchor,
                angle: 0.0,
            },
            paint,
        )
    }

    /// Adds several lines, the block centred vertically on `y`.
    pub fn lines(&mut self, x: f64, y: f64, lines: &[String], size: f64, anchor: Anchor, paint: Paint) {
        let step = size * LINE_HEIGHT;
        let top = y - step * (lines.len() as f64 - 1.0) / 2.0;
        for (i, l) in lines.iter().enumerate() {
            self.text(x, top + step * i as f64, l, size, anchor, paint);
        }
    }

    /// Bounding box of everything, texts by their estimated extent.
    pub fn bbox(&self) -> BBox {
        self.items
            .iter()
            .map(|i| item_bbox(&i.shape))
            .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, b| {
                (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
            })
    }

    /// Moves everything down by `dy` (layouts build from y = 0 at the plot
    /// top and shift once the content above is known).
    pub fn shift_y(&mut self, dy: f64) {
        self.shift(0.0, dy);
    }

    /// Moves everything right by `dx` (panels are laid out from x = 0).
    pub fn shift_x(&mut self, dx: f64) {
        self.shift(dx, 0.0);
    }

    fn shift(&mut self, dx: f64, dy: f64) {
        for item in &mut self.items {
            match &mut item.shape {
                Shape::Rect { x0, y0, x1, y1 } => {
                    (*x0, *x1) = (*x0 + dx, *x1 + dx);
                    (*y0, *y1) = (*y0 + dy, *y1 + dy);
                }
                Shape::Line { points, .. } | Shape::Polygon { points } | Shape::Dots { points, .. } => {
                    points.iter_mut().for_each(|p| *p = (p.0 + dx, p.1 + dy));
                }
                Shape::Circle { cx, cy, .. } => (*cx, *cy) = (*cx + dx, *cy + dy),
                Shape::Text { x, y, .. } => (*x, *y) = (*x + dx, *y + dy),
            }
        }
    }

    /// Keeps the items `keep` accepts; groups keep theirs.
    pub fn retain(&mut self, keep: impl Fn(&Item) -> bool) {
        let mut kept = Vec::with_capacity(self.items.len());
        let mut at = Vec::with_capacity(self.items.len() + 1);
        for item in self.items.drain(..) {
            at.push(kept.len());
            if keep(&item) {
                kept.push(item);
            }
        }
        at.push(kept.len());
        self.items = kept;
        for g in &mut self.groups {
            (g.start, g.end) = (at[g.start], at[g.end]);
        }
    }

    /// Puts `head`'s items before this scene's.
    pub fn prepend(&mut self, mut head: Scene) {
        let n = head.items.len();
        for g in &mut self.groups {
            g.start += n;
            g.end += n;
        }
        head.items.append(&mut self.items);
        self.items = head.items;
    }

    /// Appends `other` as one group labelled `label` (key `key`).
    pub fn append_group(&mut self, mut other: Scene, key: &str, label: &str) {
        let start = self.items.len();
        self.items.append(&mut other.items);
        self.groups.push(Group {
            start,
            end: self.items.len(),
            key: key.to_string(),
            label: label.to_string(),
        });
    }

    /// Boxes of all texts, for overlap checks.
    pub fn text_boxes(&self) -> Vec<BBox> {
        self.items
            .iter()
            .filter(|i| matches!(i.shape, Shape::Text { .. }))
            .map(|i| item_bbox(&i.shape))
            .collect()
    }
}

/// A rectangle from any two opposite corners.
pub fn rect_shape((xa, ya): (f64, f64), (xb, yb): (f64, f64)) -> Shape {
    Shape::Rect {
        x0: xa.min(xb),
        y0: ya.min(yb),
        x1: xa.max(xb),
        y1: ya.max(yb),
    }
}

/// Estimated extent of a text: the anchor decides the horizontal span; the
/// height is one em, which covers CJK glyphs.
pub fn text_box(x: f64, y: f64, s: &str, size: f64, bold: bool, anchor: Anchor) -> BBox {
    let w = text::width(s, size, bold);
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    (x0, y - size * 0.5, x0 + w, y + size * 0.5)
}

/// The axis-aligned box around `b` turned by `angle` degrees about `o`.
pub fn rotated_box(b: BBox, o: (f64, f64), angle: f64) -> BBox {
    if angle == 0.0 {
        return b;
    }
    let (sin, cos) = angle.to_radians().sin_cos();
    let corners = [(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)].map(|(x, y)| {
        let (dx, dy) = (x - o.0, y - o.1);
        (o.0 + dx * cos - dy * sin, o.1 + dx * sin + dy * cos)
    });
    points_bbox(&corners)
}

/// Extent of any shape.
pub fn item_bbox(shape: &Shape) -> BBox {
    match shape {
        Shape::Rect { x0, y0, x1, y1 } => (*x0, *y0, *x1, *y1),
        Shape::Line { points, width } => {
            let b = points_bbox(points);
            (
                b.0 - width / 2.0,
                b.1 - width / 2.0,
                b.2 + width / 2.0,
                b.3 + width / 2.0,
            )
        }
        Shape::Polygon { points } => points_bbox(points),
        Shape::Dots { points, r } => {
            let b = points_bbox(points);
            (b.0 - r, b.1 - r, b.2 + r, b.3 + r)
        }
        Shape::Circle { cx, cy, r } => (cx - r, cy - r, cx + r, cy + r),
        Shape::Text {
            x,
            y,
            s,
            size,
            bold,
            anchor,
            angle,
        } => rotated_box(text_box(*x, *y, s, *size, *bold, *anchor), (*x, *y), *angle),
    }
}

fn points_bbox(points: &[(f64, f64)]) -> BBox {
    points.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |a, p| {
        (a.0.min(p.0), a.1.min(p.1), a.2.max(p.0), a.3.max(p.1))
    })
}

/// Whether two boxes share any area (touching edges do not count).
pub fn overlaps(a: BBox, b: BBox) -> bool {
    a.0 < b.2 - 0.01 && b.0 < a.2 - 0.01 && a.1 < b.3 - 0.01 && b.1 < a.3 - 0.01
}
