//! Writes a [`Scene`] as the accessible SVG document the report embeds,
//! through [`SvgWriter`], a plotters [`DrawingBackend`] that emits quire's
//! markup directly: `currentColor` ink, `class`/`data-*` attributes, a hatch
//! pattern for computed values, and coordinates to 0.01 px.
//!
//! Plotters backends work in whole pixels, so the scene is drawn at
//! [`UNITS`] backend units per viewBox pixel and every coordinate is written
//! back divided, in integer arithmetic, which keeps output byte-stable.

use std::fmt::Write as _;

use plotters_backend::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontFamily, FontStyle,
};

use super::scene::{Anchor, Item, Scene, Shape};
use super::text::{self, escape};
use super::theme::{FONT_FAMILY, HATCH_OUTLINE, Paint, WIDTH};

/// Backend units per viewBox pixel.
pub const UNITS: f64 = 100.0;

fn px(v: f64) -> i32 {
    (v * UNITS).round() as i32
}

/// A backend integer as viewBox pixels: at most two decimals, no trailing
/// zeros, computed in integers so output is byte-stable.
fn coord(u: i64) -> String {
    let mut s = String::new();
    push_coord(&mut s, u);
    s
}

fn push_coord(out: &mut String, u: i64) {
    // Hand-rolled: charts write thousands of coordinates, and `write!`
    // costs several times more than the digits themselves.
    if u < 0 {
        out.push('-');
    }
    let a = u.unsigned_abs();
    push_uint(out, a / 100);
    let frac = a % 100;
    if frac != 0 {
        out.push('.');
        out.push(char::from(b'0' + (frac / 10) as u8));
        if !frac.is_multiple_of(10) {
            out.push(char::from(b'0' + (frac % 10) as u8));
        }
    }
}

fn push_uint(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &buf[i..] {
        out.push(char::from(d));
    }
}

/// A data value exactly as `{}` writes it, with whole numbers (most data)
/// written by hand.
fn push_num(out: &mut String, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        if v.is_sign_negative() {
            out.push('-');
        }
        push_uint(out, v.abs() as u64);
    } else {
        let _ = write!(out, "{v}");
    }
}

/// A float as viewBox pixels, rounded to two decimals.
pub fn fixed(v: f64) -> String {
    coord((v * UNITS).round() as i64)
}

/// A plotters backend writing quire's SVG elements, one per line, into a
/// `String`. Paint and meaning are not plotters concepts, so the caller sets
/// them with [`SvgWriter::set_attrs`] before each shape; without them the
/// writer falls back to the style's colour, so any plotters element can be
/// drawn into it.
pub struct SvgWriter<'a> {
    out: &'a mut String,
    size: (u32, u32),
    attrs: String,
}

impl<'a> SvgWriter<'a> {
    /// A writer appending to `out`, for a canvas of `size` backend units.
    pub fn new(out: &'a mut String, size: (u32, u32)) -> SvgWriter<'a> {
        SvgWriter {
            out,
            size,
            attrs: String::new(),
        }
    }

    /// Attributes written on the next shapes (leading space included).
    pub fn set_attrs(&mut self, attrs: &str) {
        self.attrs.clear();
        self.attrs.push_str(attrs);
    }

    fn points(&mut self, pts: impl IntoIterator<Item = BackendCoord>) {
        self.out.push_str(" points=\"");
        for (i, (x, y)) in pts.into_iter().enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            push_coord(self.out, i64::from(x));
            self.out.push(',');
            push_coord(self.out, i64::from(y));
        }
        self.out.push('"');
    }

    /// Dots of the current stroke width as one path of zero-length round
    /// strokes: about 16 bytes a dot, against about 100 for a `<circle>`.
    pub fn draw_dots(&mut self, pts: impl IntoIterator<Item = BackendCoord>, color: BackendColor) {
        self.out.push_str("<path d=\"");
        for (x, y) in pts {
            self.out.push('M');
            push_coord(self.out, i64::from(x));
            self.out.push(' ');
            push_coord(self.out, i64::from(y));
            self.out.push_str("h0");
        }
        self.out.push('"');
        self.close("stroke", color);
    }

    fn num(&mut self, name: &str, v: i64) {
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        push_coord(self.out, v);
        self.out.push('"');
    }

    fn close(&mut self, fallback: &str, color: BackendColor) {
        if self.attrs.is_empty() {
            let (r, g, b) = color.rgb;
            let _ = write!(self.out, " {fallback}=\"#{r:02X}{g:02X}{b:02X}\"");
        } else {
            self.out.push_str(&self.attrs);
        }
        self.out.push_str("/>\n");
    }
}

type Drawn = Result<(), DrawingErrorKind<std::fmt::Error>>;

impl DrawingBackend for SvgWriter<'_> {
    type ErrorType = std::fmt::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        Ok(())
    }

    fn present(&mut self) -> Drawn {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, color: BackendColor) -> Drawn {
        self.out.push_str("<rect");
        self.num("x", i64::from(x));
        self.num("y", i64::from(y));
        self.num("width", 100);
        self.num("height", 100);
        self.close("fill", color);
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Drawn {
        self.draw_path([from, to], style)
    }

    fn draw_rect<S: BackendStyle>(&mut self, ul: BackendCoord, br: BackendCoord, style: &S, _fill: bool) -> Drawn {
        self.out.push_str("<rect");
        self.num("x", i64::from(ul.0));
        self.num("y", i64::from(ul.1));
        self.num("width", i64::from(br.0 - ul.0));
        self.num("height", i64::from(br.1 - ul.1));
        self.close("fill", style.color());
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Drawn {
        self.out.push_str("<polyline");
        self.points(path);
        self.close("stroke", style.color());
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, _fill: bool) -> Drawn {
        self.out.push_str("<circle");
        self.num("cx", i64::from(c.0));
        self.num("cy", i64::from(c.1));
        self.num("r", i64::from(r));
        self.close("fill", style.color());
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Drawn {
        self.out.push_str("<polygon");
        self.points(vert);
        self.close("fill", style.color());
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, s: &str, style: &T, pos: BackendCoord) -> Drawn {
        self.out.push_str("<text");
        self.num("x", i64::from(pos.0));
        self.num("y", i64::from(pos.1));
        let anchor = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Center => "middle",
            HPos::Right => "end",
        };
        self.out.push_str(" dy=\"0.35em\" text-anchor=\"");
        self.out.push_str(anchor);
        self.out.push_str("\" font-size=\"");
        push_coord(self.out, style.size().round() as i64);
        self.out.push('"');
        if matches!(style.style(), FontStyle::Bold) {
            self.out.push_str(" font-weight=\"bold\"");
        }
        if self.attrs.is_empty() {
            let (r, g, b) = style.color().rgb;
            let _ = write!(self.out, " fill=\"#{r:02X}{g:02X}{b:02X}\"");
        } else {
            self.out.push_str(&self.attrs);
        }
        self.out.push('>');
        text::push_escaped(self.out, s);
        self.out.push_str("</text>\n");
        Ok(())
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        s: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let bold = matches!(style.style(), FontStyle::Bold);
        Ok((
            text::width(s, style.size(), bold).ceil() as u32,
            style.size().ceil() as u32,
        ))
    }
}

/// The only style the writer needs from plotters: colour and stroke width.
struct Pen {
    color: BackendColor,
    width: u32,
}

impl BackendStyle for Pen {
    fn color(&self) -> BackendColor {
        self.color
    }
    fn stroke_width(&self) -> u32 {
        self.width
    }
}

/// A text style measured with quire's width estimate (no font files).
struct Type {
    size: f64,
    bold: bool,
    anchor: Pos,
}

impl BackendTextStyle for Type {
    type FontError = std::fmt::Error;

    fn size(&self) -> f64 {
        self.size
    }

    fn style(&self) -> FontStyle {
        if self.bold { FontStyle::Bold } else { FontStyle::Normal }
    }

    fn anchor(&self) -> Pos {
        self.anchor
    }

    fn family(&self) -> FontFamily<'_> {
        FontFamily::SansSerif
    }

    fn layout_box(&self, s: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        let w = text::width(s, self.size, self.bold).ceil() as i32;
        Ok(((0, 0), (w, self.size.ceil() as i32)))
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        _s: &str,
        _pos: BackendCoord,
        _draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        // Glyphs are the browser's job; the writer overrides `draw_text`.
        Ok(Ok(()))
    }
}

/// Appends `name` (which ends in `="`), `value` and the closing quote,
/// when there is a value.
fn push_attr(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(name);
        out.push_str(v);
        out.push('"');
    }
}

/// Paint and meaning of one item as attributes (leading space included).
fn attrs(item: &Item, id: &str, out: &mut String) {
    out.clear();
    let hatch = matches!(item.paint, Paint::Hatch);
    match &item.shape {
        Shape::Line { width, .. } => {
            out.push_str(" fill=\"none\" stroke=\"");
            // A computed stretch of a dense line is stroked with the hatch.
            let opacity = if hatch {
                let _ = write!(out, "url(#{}-hatch)", escape(id));
                None
            } else {
                item.paint.push_svg(out)
            };
            out.push_str("\" stroke-width=\"");
            push_coord(out, (width * UNITS).round() as i64);
            out.push('"');
            out.push_str(" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
            push_attr(out, " stroke-opacity=\"", opacity);
        }
        Shape::Dots { r, .. } => {
            out.push_str(" fill=\"none\" stroke=\"");
            let opacity = item.paint.push_svg(out);
            out.push_str("\" stroke-width=\"");
            push_coord(out, (2.0 * r * UNITS).round() as i64);
            out.push_str("\" stroke-linecap=\"round\"");
            push_attr(out, " stroke-opacity=\"", opacity);
        }
        _ if hatch => {
            let _ = write!(
                out,
                " fill=\"url(#{}-hatch)\" stroke=\"currentColor\" stroke-width=\"{HATCH_OUTLINE}\"",
                escape(id)
            );
        }
        _ => {
            out.push_str(" fill=\"");
            let opacity = item.paint.push_svg(out);
            out.push('"');
            push_attr(out, " fill-opacity=\"", opacity);
        }
    }
    if let Some(h) = item.halo {
        out.push_str(" stroke=\"");
        h.push_hex(out);
        out.push_str("\" stroke-width=\"4\" stroke-linejoin=\"round\" paint-order=\"stroke\"");
    }
    if let Shape::Text { x, y, angle, .. } = &item.shape
        && *angle != 0.0
    {
        let _ = write!(
            out,
            " transform=\"rotate({} {} {})\"",
            fixed(*angle),
            fixed(*x),
            fixed(*y)
        );
    }
    match (&item.mark, item.class) {
        (Some(m), Some("dots")) => {
            out.push_str(" class=\"dots\" data-series=\"");
            text::push_escaped(out, &m.series);
            out.push('"');
        }
        (Some(m), _) => {
            out.push_str(" class=\"mark\" data-key=\"");
            text::push_escaped(out, &m.key);
            out.push_str("\" data-series=\"");
            text::push_escaped(out, &m.series);
            out.push_str("\" data-value=\"");
            push_num(out, m.value);
            out.push('"');
            if let Some(x) = m.x {
                out.push_str(" data-x=\"");
                push_num(out, x);
                out.push('"');
            }
            if let Some(low) = m.low {
                out.push_str(" data-low=\"");
                push_num(out, low);
                out.push('"');
            }
            if let Some(s) = m.share {
                let _ = write!(out, " data-share=\"{}\"", fixed(s));
            }
            if m.derived {
                out.push_str(" data-derived=\"true\"");
            }
        }
        (None, Some(c)) => {
            out.push_str(" class=\"");
            out.push_str(c);
            out.push('"');
        }
        (None, None) => {}
    }
}

fn pen(item: &Item, width: f64) -> Pen {
    let c = item.paint.plotters_rgb();
    Pen {
        color: BackendColor {
            alpha: 1.0,
            rgb: (c.0, c.1, c.2),
        },
        width: px(width).max(0) as u32,
    }
}

fn draw(w: &mut SvgWriter, item: &Item) -> Drawn {
    fn pts(p: &[(f64, f64)]) -> impl Iterator<Item = BackendCoord> + '_ {
        p.iter().map(|&(x, y)| (px(x), px(y)))
    }
    match &item.shape {
        Shape::Rect { x0, y0, x1, y1 } => w.draw_rect((px(*x0), px(*y0)), (px(*x1), px(*y1)), &pen(item, 0.0), true),
        Shape::Line { points, width } => w.draw_path(pts(points), &pen(item, *width)),
        Shape::Polygon { points } => w.fill_polygon(pts(points), &pen(item, 0.0)),
        Shape::Circle { cx, cy, r } => w.draw_circle((px(*cx), px(*cy)), px(*r).max(1) as u32, &pen(item, 0.0), true),
        Shape::Dots { points, r } => {
            w.draw_dots(points.iter().map(|&(x, y)| (px(x), px(y))), pen(item, 2.0 * r).color);
            Ok(())
        }
        Shape::Text {
            x,
            y,
            s,
            size,
            bold,
            anchor,
            ..
        } => {
            let h = match anchor {
                Anchor::Start => HPos::Left,
                Anchor::Middle => HPos::Center,
                Anchor::End => HPos::Right,
            };
            let style = Type {
                size: size * UNITS,
                bold: *bold,
                anchor: Pos::new(h, VPos::Center),
            };
            w.draw_text(s, &style, (px(*x), px(*y)))
        }
    }
}

/// Diagonal hatching: a light and a dark stripe, so it shows on any bar
/// colour, in print and on dark pages alike.
fn hatch_defs(id: &str, out: &mut String) {
    let _ = write!(
        out,
        "<defs>\n<pattern id=\"{id}-hatch\" patternUnits=\"userSpaceOnUse\" width=\"6\" height=\"6\" \
         patternTransform=\"rotate(45)\">\n\
         <path d=\"M1.5 0V6\" stroke=\"#FFFFFF\" stroke-opacity=\"0.9\" stroke-width=\"2\"/>\n\
         <path d=\"M4.5 0V6\" stroke=\"#000000\" stroke-opacity=\"0.65\" stroke-width=\"1.5\"/>\n\
         </pattern>\n</defs>\n"
    );
}

/// Opens a panel's group: labelled for assistive technology, keyed for
/// scripts and tests.
fn group_open(out: &mut String, g: &super::scene::Group) {
    out.push_str("<g role=\"group\" aria-label=\"");
    text::push_escaped(out, &g.label);
    out.push_str("\" data-panel=\"");
    text::push_escaped(out, &g.key);
    out.push_str("\">\n");
}

/// Writes `scene` as a `WIDTH × height` SVG document with `<title>` and
/// `<desc>` (ids prefixed with `id`).
pub fn document(scene: &Scene, height: f64, id: &str, title: &str, desc: &str) -> Result<String, String> {
    let height = height.ceil().max(1.0);
    let eid = escape(id);
    let mut out = String::with_capacity(256 + scene.items.len() * 120);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
         aria-labelledby=\"{eid}-title {eid}-desc\" class=\"quire-chart\" \
         style=\"max-width:100%;height:auto\" font-family=\"{FONT_FAMILY}\">\n\
         <title id=\"{eid}-title\">",
        fixed(WIDTH),
        fixed(height),
    );
    text::push_escaped(&mut out, title);
    let _ = write!(out, "</title>\n<desc id=\"{eid}-desc\">");
    text::push_escaped(&mut out, desc);
    out.push_str("</desc>\n");
    if scene.items.iter().any(|i| i.paint == Paint::Hatch) {
        hatch_defs(&eid, &mut out);
    }
    let size = ((WIDTH * UNITS) as u32, (height * UNITS) as u32);
    let mut a = String::new();
    {
        let mut w = SvgWriter::new(&mut out, size);
        let mut groups = scene.groups.iter().peekable();
        let mut open: Option<usize> = None;
        for (i, item) in scene.items.iter().enumerate() {
            if open == Some(i) {
                w.out.push_str("</g>\n");
                open = None;
            }
            if let Some(g) = groups.next_if(|g| g.start == i) {
                group_open(w.out, g);
                open = Some(g.end);
            }
            attrs(item, id, &mut a);
            w.set_attrs(&a);
            draw(&mut w, item).map_err(|e| format!("could not write the chart: {e:?}"))?;
        }
        if open.is_some() {
            w.out.push_str("</g>\n");
        }
    }
    out.push_str("</svg>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_values_read_as_rust_writes_them() {
        for v in [0.0, -0.0, 150.0, -12.0, 12.5, 1e20, 0.1 + 0.2, -3.25e-7] {
            let mut s = String::new();
            push_num(&mut s, v);
            assert_eq!(s, format!("{v}"));
        }
    }

    #[test]
    fn coordinates_have_at_most_two_decimals() {
        assert_eq!(coord(12345), "123.45");
        assert_eq!(coord(12340), "123.4");
        assert_eq!(coord(-5), "-0.05");
        assert_eq!(coord(-150), "-1.5");
        assert_eq!(coord(0), "0");
        assert_eq!(coord(7), "0.07");
        assert_eq!(fixed(640.0), "640");
    }

    #[test]
    fn plotters_elements_draw_into_the_writer() {
        use plotters::prelude::*;
        let mut out = String::new();
        {
            let area = SvgWriter::new(&mut out, (1000, 1000)).into_drawing_area();
            area.draw(&Rectangle::new(
                [(100, 200), (300, 500)],
                RGBColor(0, 0x72, 0xB2).filled(),
            ))
            .unwrap();
        }
        assert_eq!(
            out,
            "<rect x=\"1\" y=\"2\" width=\"2\" height=\"3\" fill=\"#0072B2\"/>\n"
        );
    }
}
