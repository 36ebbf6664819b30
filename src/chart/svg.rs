//! Draws a [`Scene`] with plotters' SVG backend, then rewrites its output
//! into the accessible, themeable document the report embeds.
//!
//! Plotters places every shape and escapes every text; what it cannot do is
//! sub-pixel coordinates (its backend works in whole pixels), `currentColor`
//! ink, `role`/`<title>`/`<desc>`, or `data-*` attributes. So we draw at 100
//! backend units per viewBox pixel and rescale while rewriting, which keeps
//! bar lengths exact to 0.01 px, and pair each plotters element with the
//! scene item it came from (both are in drawing order).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::scene::{Anchor, Item, Scene, Shape};
use super::text::escape;
use super::theme::{FONT_FAMILY, Paint, WIDTH};

/// Backend units per viewBox pixel.
const UNITS: f64 = 100.0;

fn px(v: f64) -> i32 {
    (v * UNITS).round() as i32
}

/// A backend integer as viewBox pixels: at most two decimals, no trailing
/// zeros, computed in integers so output is byte-stable.
fn coord(u: i64) -> String {
    let (sign, a) = if u < 0 { ("-", -u) } else { ("", u) };
    let (whole, frac) = (a / 100, a % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// A float as viewBox pixels, rounded to two decimals.
pub fn fixed(v: f64) -> String {
    coord((v * UNITS).round() as i64)
}

fn style(paint: Paint, filled: bool, width: f64) -> ShapeStyle {
    let c = paint.plotters_rgb();
    ShapeStyle {
        color: RGBColor(c.0, c.1, c.2).to_rgba(),
        filled,
        stroke_width: px(width).max(0) as u32,
    }
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

fn draw(area: &Area, item: &Item) -> Result<(), String> {
    let pts = |p: &[(f64, f64)]| p.iter().map(|&(x, y)| (px(x), px(y))).collect::<Vec<_>>();
    let r = match &item.shape {
        Shape::Rect { x0, y0, x1, y1 } => area.draw(&Rectangle::new(
            [(px(*x0), px(*y0)), (px(*x1), px(*y1))],
            style(item.paint, true, 0.0),
        )),
        Shape::Line { points, width } => area.draw(&PathElement::new(pts(points), style(item.paint, false, *width))),
        Shape::Polygon { points } => area.draw(&Polygon::new(pts(points), style(item.paint, true, 0.0))),
        Shape::Circle { cx, cy, r } => area.draw(&Circle::new(
            (px(*cx), px(*cy)),
            px(*r).max(1) as u32,
            style(item.paint, true, 0.0),
        )),
        Shape::Text {
            x,
            y,
            s,
            size,
            bold,
            anchor,
        } => {
            let h = match anchor {
                Anchor::Start => HPos::Left,
                Anchor::Middle => HPos::Center,
                Anchor::End => HPos::Right,
            };
            let c = item.paint.plotters_rgb();
            let font =
                ("sans-serif", size * UNITS)
                    .into_font()
                    .style(if *bold { FontStyle::Bold } else { FontStyle::Normal });
            let ts = font.color(&RGBColor(c.0, c.1, c.2)).pos(Pos::new(h, VPos::Center));
            area.draw(&Text::new(s.as_str(), (px(*x), px(*y)), ts))
        }
    };
    r.map_err(|e| format!("plotters could not draw the chart: {e}"))
}

/// One parsed plotters element: tag, attributes, and escaped text content.
struct Raw {
    tag: String,
    attrs: Vec<(String, String)>,
    content: Option<String>,
}

impl Raw {
    fn get(&self, k: &str) -> &str {
        self.attrs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

fn parse_tag(line: &str) -> Raw {
    let body = line
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let (tag, mut rest) = body.split_once(' ').unwrap_or((body, ""));
    let mut attrs = Vec::new();
    while let Some((k, r)) = rest.split_once("=\"") {
        let (v, r) = r.split_once('"').unwrap_or((r, ""));
        attrs.push((k.trim().to_string(), v.to_string()));
        rest = r;
    }
    Raw {
        tag: tag.to_string(),
        attrs,
        content: None,
    }
}

/// Splits plotters' output (one element per line; text spans three lines)
/// into elements, skipping the root.
fn parse(raw: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut lines = raw.lines();
    while let Some(line) = lines.next() {
        if line.starts_with("<svg") || line.starts_with("</") || !line.starts_with('<') {
            continue;
        }
        let mut el = parse_tag(line);
        if el.tag == "text" {
            el.content = lines.next().map(str::to_string);
        }
        out.push(el);
    }
    out
}

fn scaled(v: &str) -> String {
    coord(v.trim().parse::<i64>().unwrap_or(0))
}

fn scaled_points(v: &str) -> String {
    let pts: Vec<String> = v
        .split_whitespace()
        .map(|p| {
            let (x, y) = p.split_once(',').unwrap_or((p, "0"));
            format!("{},{}", scaled(x), scaled(y))
        })
        .collect();
    pts.join(" ")
}

/// Rewrites one element: geometry from plotters, paint and meaning from the
/// scene item.
fn rewrite(el: &Raw, item: &Item, out: &mut String) {
    let (color, opacity) = item.paint.svg();
    let mut a = String::new();
    let mut geo = |names: &[&str]| {
        for n in names {
            a.push_str(&format!(" {n}=\"{}\"", scaled(el.get(n))));
        }
    };
    match &item.shape {
        Shape::Rect { .. } => geo(&["x", "y", "width", "height"]),
        Shape::Circle { .. } => geo(&["cx", "cy", "r"]),
        Shape::Text { .. } => geo(&["x", "y"]),
        Shape::Line { .. } | Shape::Polygon { .. } => {
            a.push_str(&format!(" points=\"{}\"", scaled_points(el.get("points"))));
        }
    }
    match &item.shape {
        Shape::Line { .. } => {
            let w = scaled(el.get("stroke-width"));
            a.push_str(&format!(" fill=\"none\" stroke=\"{color}\" stroke-width=\"{w}\""));
            a.push_str(" stroke-linejoin=\"round\" stroke-linecap=\"round\"");
            if let Some(o) = opacity {
                a.push_str(&format!(" stroke-opacity=\"{o}\""));
            }
        }
        Shape::Text { size, bold, .. } => {
            a.push_str(&format!(" dy=\"0.35em\" text-anchor=\"{}\"", el.get("text-anchor")));
            a.push_str(&format!(" font-size=\"{}\"", fixed(*size)));
            if *bold {
                a.push_str(" font-weight=\"bold\"");
            }
            a.push_str(&format!(" fill=\"{color}\""));
            if let Some(o) = opacity {
                a.push_str(&format!(" fill-opacity=\"{o}\""));
            }
        }
        _ => {
            a.push_str(&format!(" fill=\"{color}\""));
            if let Some(o) = opacity {
                a.push_str(&format!(" fill-opacity=\"{o}\""));
            }
        }
    }
    match (&item.mark, item.class) {
        (Some(m), _) => {
            a.push_str(&format!(
                " class=\"mark\" data-key=\"{}\" data-series=\"{}\" data-value=\"{}\"",
                escape(&m.key),
                escape(&m.series),
                m.value
            ));
            if let Some(low) = m.low {
                a.push_str(&format!(" data-low=\"{low}\""));
            }
            if let Some(s) = m.share {
                a.push_str(&format!(" data-share=\"{}\"", fixed(s)));
            }
        }
        (None, Some(c)) => a.push_str(&format!(" class=\"{c}\"")),
        (None, None) => {}
    }
    match &el.content {
        Some(text) => out.push_str(&format!("<text{a}>{text}</text>\n")),
        None => out.push_str(&format!("<{}{a}/>\n", el.tag)),
    }
}

/// Draws `scene` into a `WIDTH × height` SVG document with `<title>` and
/// `<desc>` (ids prefixed with `id`).
pub fn document(scene: &Scene, height: f64, id: &str, title: &str, desc: &str) -> Result<String, String> {
    let height = height.ceil().max(1.0);
    let mut raw = String::new();
    {
        let size = ((WIDTH * UNITS) as u32, (height * UNITS) as u32);
        let area = SVGBackend::with_string(&mut raw, size).into_drawing_area();
        for item in &scene.items {
            draw(&area, item)?;
        }
        area.present()
            .map_err(|e| format!("plotters could not finish the chart: {e}"))?;
    }
    let els = parse(&raw);
    if els.len() != scene.items.len() {
        return Err(format!(
            "internal: plotters drew {} elements for {} shapes",
            els.len(),
            scene.items.len()
        ));
    }
    let id = escape(id);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" class=\"quire-chart\" \
         style=\"max-width:100%;height:auto\" font-family=\"{FONT_FAMILY}\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        fixed(WIDTH),
        fixed(height),
        escape(title),
        escape(desc)
    );
    for (el, item) in els.iter().zip(&scene.items) {
        rewrite(el, item, &mut out);
    }
    out.push_str("</svg>\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_at_most_two_decimals() {
        assert_eq!(coord(12345), "123.45");
        assert_eq!(coord(12340), "123.4");
        assert_eq!(coord(-5), "-0.05");
        assert_eq!(fixed(640.0), "640");
    }
}
