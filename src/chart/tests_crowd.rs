//! Charts at real-world size: many categories, long series, many series.
//! Read back from the SVG: no label touches another label or a bar, no
//! word is split, and tall charts fit a printed page.

use super::tests::{El, Unit, chart, elements, view_box};
use super::tests_geom::text_box;
use super::theme::MAX_ROWS_H;
use super::*;

type Box4 = (f64, f64, f64, f64);

/// The rotation of a text (degrees) from its `transform`.
fn angle(e: &El) -> f64 {
    e.get("transform")
        .and_then(|t| t.strip_prefix("rotate("))
        .and_then(|t| t.split(' ').next())
        .map_or(0.0, |a| a.parse().unwrap())
}

fn rotate((x, y): (f64, f64), deg: f64) -> (f64, f64) {
    let (s, c) = deg.to_radians().sin_cos();
    (x * c - y * s, x * s + y * c)
}

/// The box in a frame turned by `-deg`: texts turned alike compare exactly.
fn frame_box(e: &El, deg: f64) -> Box4 {
    let b = text_box(e);
    let (x, y) = (e.num("x"), e.num("y"));
    let (fx, fy) = rotate((x, y), -deg);
    (b.0 + fx - x, b.1 + fy - y, b.2 + fx - x, b.3 + fy - y)
}

/// Axis-aligned box around the turned text.
fn page_box(e: &El) -> Box4 {
    let (a, b, (x, y)) = (angle(e), text_box(e), (e.num("x"), e.num("y")));
    let pts = [(b.0, b.1), (b.2, b.1), (b.0, b.3), (b.2, b.3)].map(|(px, py)| {
        let (dx, dy) = rotate((px - x, py - y), a);
        (x + dx, y + dy)
    });
    pts.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |m, p| {
        (m.0.min(p.0), m.1.min(p.1), m.2.max(p.0), m.3.max(p.1))
    })
}

fn overlap(a: Box4, b: Box4) -> bool {
    a.0 < b.2 - 0.01 && b.0 < a.2 - 0.01 && a.1 < b.3 - 0.01 && b.1 < a.3 - 0.01
}

fn inside(a: Box4, r: Box4) -> bool {
    a.0 >= r.0 - 0.01 && a.2 <= r.2 + 0.01 && a.1 >= r.1 - 0.01 && a.3 <= r.3 + 0.01
}

fn rect(e: &El) -> Box4 {
    (
        e.num("x"),
        e.num("y"),
        e.num("x") + e.num("width"),
        e.num("y") + e.num("height"),
    )
}

/// Asserts no two labels touch, no label touches a bar (except sitting
/// wholly inside it), and everything stays in the viewBox.
pub(super) fn assert_clear(name: &str, svg: &str) {
    let els = elements(svg);
    let vb: Vec<f64> = view_box(&els);
    let texts: Vec<&El> = els.iter().filter(|e| e.tag == "text").collect();
    let bars: Vec<Box4> = els
        .iter()
        .filter(|e| e.get("class") == Some("mark") && e.tag == "rect")
        .map(rect)
        .collect();
    for (i, a) in texts.iter().enumerate() {
        let pa = page_box(a);
        assert!(
            pa.0 >= -0.01 && pa.1 >= -0.01 && pa.2 <= vb[2] + 0.01 && pa.3 <= vb[3] + 0.01,
            "{name}: `{}` {pa:?} leaves the viewBox {vb:?}",
            a.text
        );
        for b in &texts[i + 1..] {
            let clash = if angle(a) == angle(b) {
                overlap(frame_box(a, angle(a)), frame_box(b, angle(a)))
            } else {
                overlap(pa, page_box(b))
            };
            assert!(!clash, "{name}: `{}` and `{}` overlap", a.text, b.text);
        }
        for r in &bars {
            assert!(
                !overlap(pa, *r) || inside(pa, *r),
                "{name}: `{}` {pa:?} covers part of a bar {r:?}",
                a.text
            );
        }
    }
}

fn owned(n: usize, label: impl Fn(usize) -> String) -> Vec<(String, String)> {
    (0..n).map(|i| (format!("k{i}"), label(i))).collect()
}

fn cats(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const PLACES: [&str; 8] = [
    "University Farm",
    "Research Station",
    "Harbour",
    "North Ridge Observatory",
    "Airport",
    "City Centre",
    "Lakeside",
    "西山气象站",
];

/// The crowded charts, by name.
pub fn crowded() -> Vec<(&'static str, ChartInput)> {
    let mut out = Vec::new();
    let places = owned(40, |i| format!("{} {}", PLACES[i % 8], i / 8 + 1));
    let vals: Vec<f64> = (0..40).map(|i| 10.0 + f64::from(i * 37 % 90)).collect();
    out.push(("bar-40", chart(ChartKind::Bar, &cats(&places), &[("x", &vals)])));
    let c30 = owned(30, |i| PLACES[i % 8].to_string());
    out.push(("bar-30", chart(ChartKind::Bar, &cats(&c30), &[("x", &vals[..30])])));
    let months = owned(120, |i| format!("{} {}", MONTHS[i % 12], 2015 + i / 12));
    let a: Vec<f64> = (0..120).map(|i| 50.0 + 30.0 * (f64::from(i) / 9.0).sin()).collect();
    let b: Vec<f64> = (0..120).map(|i| 40.0 + f64::from(i) * 0.4).collect();
    out.push((
        "line-120",
        chart(ChartKind::Line, &cats(&months), &[("a", &a), ("b", &b)]),
    ));
    let series: Vec<(String, Vec<f64>)> = (0..8)
        .map(|s| (format!("s{s}"), (0..48).map(|i| f64::from(s * 10 + i % 7)).collect()))
        .collect();
    let refs: Vec<(&str, &[f64])> = series.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
    out.push(("line-48x8", chart(ChartKind::Line, &cats(&months[..48]), &refs)));
    let four: Vec<(&str, &[f64])> = series.iter().map(|(k, v)| (k.as_str(), &v[..4])).collect();
    out.push(("grouped-4x8", chart(ChartKind::GroupedBar, &cats(&c30[..4]), &four)));
    out.push(("hbar-40", chart(ChartKind::HBar, &cats(&places), &[("x", &vals)])));
    let st: Vec<(&str, &[f64])> = series.iter().take(3).map(|(k, v)| (k.as_str(), &v[..30])).collect();
    let c30b = owned(30, |i| PLACES[i % 8].to_string());
    let mut stacked = chart(ChartKind::StackedBar, &cats(&c30b), &st);
    stacked
        .series
        .iter_mut()
        .for_each(|s| s.values.iter_mut().for_each(|v| *v = v.map(|v| v + 1.0)));
    let mut columns = stacked.clone();
    columns.kind = ChartKind::StackedColumn;
    out.push(("stacked-30", stacked));
    out.push(("columns-30", columns));
    let long: Vec<(String, Vec<f64>)> = (0..8)
        .map(|s| {
            (
                format!("s{s}"),
                (0..120).map(|i| f64::from(s * 10 + i % 7 + 1)).collect(),
            )
        })
        .collect();
    let st40: Vec<(&str, &[f64])> = long.iter().take(3).map(|(k, v)| (k.as_str(), &v[..40])).collect();
    out.push(("columns-40", chart(ChartKind::StackedColumn, &cats(&places), &st40)));
    // Eight series over ten years of months on a date axis, names long
    // enough that the direct labels must be pushed apart.
    let refs: Vec<(&str, &[f64])> = long.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
    let mut dates = chart(ChartKind::Line, &cats(&months), &refs);
    dates.x = Some(XAxis::Date(
        (0..120)
            .map(|i| super::time::days_from_civil(2015 + i / 12, (i % 12) as u32 + 1, 1))
            .collect(),
    ));
    for (s, name) in dates.series.iter_mut().zip(PLACES) {
        s.label = name.to_string();
    }
    out.push(("dates-120x8", dates));
    let mut dots = chart(ChartKind::Scatter, &cats(&months), &refs);
    dots.x = Some(XAxis::Number((0..120).map(|i| f64::from(i * 37 % 120)).collect()));
    dots.x_label = "Engine power, horsepower".into();
    out.push(("scatter-120x8", dots));
    out
}

#[test]
fn crowded_charts_keep_labels_apart_and_off_the_bars() {
    for (name, input) in crowded() {
        let svg = render(&input, &Unit("USD bn")).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Ok(dir) = std::env::var("QUIRE_CHART_DUMP") {
            std::fs::write(format!("{dir}/{name}.svg"), &svg).unwrap();
        }
        assert_clear(name, &svg);
    }
}

#[test]
fn words_are_never_split() {
    let words: Vec<&str> = PLACES.iter().flat_map(|p| p.split(' ')).collect();
    for (name, input) in crowded() {
        let els = elements(&render(&input, &Unit("USD bn")).unwrap());
        for t in els.iter().filter(|e| e.tag == "text") {
            for w in t.text.split(' ') {
                let partial = words
                    .iter()
                    .any(|whole| whole != &w && whole.starts_with(w) && !w.is_empty())
                    && !words.contains(&w)
                    && !w.chars().all(|c| c.is_ascii_digit());
                assert!(!partial, "{name}: `{w}` is part of a word (in `{}`)", t.text);
            }
        }
    }
}

#[test]
fn tall_charts_fit_a_printed_page() {
    for (name, input) in crowded() {
        let els = elements(&render(&input, &Unit("USD bn")).unwrap());
        let vb: Vec<f64> = view_box(&els);
        assert!(vb[3] <= MAX_ROWS_H + 120.0, "{name} is {} px tall", vb[3]);
        let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
        // Bars stay visible: horizontal ones thick enough, columns wide enough.
        let (side, least) = if input.kind == ChartKind::HBar || input.kind == ChartKind::StackedBar {
            ("height", 8.0)
        } else {
            ("width", 3.0)
        };
        assert!(
            marks.iter().filter(|m| m.tag == "rect").all(|m| m.num(side) >= least),
            "{name}: bars stay visible"
        );
    }
}

#[test]
fn dense_lines_drop_their_dots() {
    let all = crowded();
    let line = &all.iter().find(|(n, _)| *n == "line-120").unwrap().1;
    let els = elements(&render(line, &Unit("USD bn")).unwrap());
    assert_eq!(els.iter().filter(|e| e.tag == "circle").count(), 0);
    assert_eq!(els.iter().filter(|e| e.get("class") == Some("line")).count(), 2);
    let mut sparse = line.clone();
    sparse.categories.truncate(12);
    sparse.series.iter_mut().for_each(|s| s.values.truncate(12));
    let els = elements(&render(&sparse, &Unit("USD bn")).unwrap());
    assert_eq!(els.iter().filter(|e| e.tag == "circle").count(), 24);
}

#[test]
fn eight_series_get_eight_colours() {
    let all = crowded();
    let grouped = &all.iter().find(|(n, _)| *n == "grouped-4x8").unwrap().1;
    let els = elements(&render(grouped, &Unit("USD bn")).unwrap());
    let mut fills: Vec<&str> = els
        .iter()
        .filter(|e| e.get("class") == Some("mark"))
        .filter_map(|e| e.get("fill"))
        .collect();
    fills.sort_unstable();
    fills.dedup();
    assert_eq!(fills.len(), 8, "{fills:?}");
}

#[test]
fn monthly_axes_label_whole_years() {
    let all = crowded();
    let line = &all.iter().find(|(n, _)| *n == "line-120").unwrap().1;
    let els = elements(&render(line, &Unit("USD bn")).unwrap());
    let months: Vec<&str> = els
        .iter()
        .filter(|e| MONTHS.contains(&e.text.as_str()))
        .map(|e| e.text.as_str())
        .collect();
    assert!(months.len() >= 5, "{months:?}");
    assert!(months.iter().all(|m| *m == "Jan"), "{months:?}");
}

#[test]
fn long_lines_are_summed_up_in_words() {
    let all = crowded();
    let line = &all.iter().find(|(n, _)| *n == "line-120").unwrap().1;
    let d = describe(line, &Unit("USD bn"));
    assert!(
        d.contains("Series b: 120 values, from Jan 2015 USD 40 bn to Dec 2024 USD 88 bn; lowest Jan 2015 USD 40 bn, highest Dec 2024 USD 88 bn"),
        "{d}"
    );
    assert!(d.len() < 600, "{} characters", d.len());
}

fn sized(kind: ChartKind, n: usize) -> ChartInput {
    let c = owned(n, |i| format!("{} {}", MONTHS[i % 12], 2000 + i / 12));
    let v: Vec<f64> = (0..n).map(|i| 1.0 + (i * 37 % 90) as f64).collect();
    let mut input = chart(kind, &cats(&c), &[("x", &v)]);
    input.series[0].derived = (0..n).map(|i| i % 3 == 0).collect();
    input
}

#[test]
fn rendering_grows_linearly_with_the_data() {
    for kind in [
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::GroupedBar,
        ChartKind::StackedBar,
        ChartKind::StackedColumn,
        ChartKind::Line,
        ChartKind::Area,
        ChartKind::Donut,
    ] {
        let (small, large) = (sized(kind, 300), sized(kind, 3000));
        let draw = |input: &ChartInput| {
            std::hint::black_box(render(input, &Unit("USD bn")).unwrap());
        };
        // Linear work gives about 10; quadratic would give about 100.
        let ratio = crate::scaling::time_ratio(|| draw(&small), || draw(&large));
        assert!(ratio < 30.0, "{kind:?}: 10x the data took {ratio:.1}x the time");
    }
}
