//! Geometry read back from the SVG: bar lengths proportional to values,
//! round ticks with units, texts inside the viewBox and apart.

use super::tests::{El, Unit, chart, elements, gallery, view_box};
use super::*;

fn svg(input: &ChartInput, fmt: &dyn ValueFormat) -> Vec<El> {
    elements(&render(input, fmt).unwrap_or_else(|e| panic!("{e}")))
}

fn marks(els: &[El]) -> Vec<&El> {
    els.iter().filter(|e| e.get("class") == Some("mark")).collect()
}

pub(super) fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text's estimated box, as the layout estimated it (before any rotation).
pub(super) fn text_box(e: &El) -> (f64, f64, f64, f64) {
    let size = e.num("font-size");
    let w = text::width(&unescape(&e.text), size, e.get("font-weight") == Some("bold"));
    let x = e.num("x");
    let x0 = match e.get("text-anchor") {
        Some("middle") => x - w / 2.0,
        Some("end") => x - w,
        _ => x,
    };
    (x0, e.num("y") - size / 2.0, x0 + w, e.num("y") + size / 2.0)
}

/// Asserts every bar's length is its value times one common factor.
fn proportional(els: &[El], along: &str) {
    let m = marks(els);
    let k = m[0].num(along) / m[0].num("data-value").abs();
    for e in &m {
        let expected = e.num("data-value").abs() * k;
        assert!(
            (e.num(along) - expected).abs() <= 0.5,
            "{along} {} for value {}",
            e.num(along),
            e.num("data-value")
        );
    }
}

#[test]
fn bar_lengths_are_proportional_to_values() {
    let g = gallery();
    proportional(&svg(&g[0].0, &g[0].1), "width");
    proportional(&svg(&g[2].0, &g[2].1), "height");
    proportional(&svg(&g[3].0, &g[3].1), "height");
    let mut stacked = chart(
        ChartKind::StackedBar,
        &[("a", "A"), ("b", "B")],
        &[("x", &[3.0, 7.5]), ("y", &[1.2, 0.4])],
    );
    stacked.decimals = 1;
    proportional(&svg(&stacked, &Unit("USD bn")), "width");
    let neg = chart(
        ChartKind::Bar,
        &[("a", "A"), ("b", "B"), ("c", "C")],
        &[("x", &[-12.0, 30.0, 4.5])],
    );
    proportional(&svg(&neg, &Unit("%")), "height");
}

#[test]
fn normalized_stacks_fill_the_same_length() {
    let (input, fmt) = &gallery()[1];
    let els = svg(input, fmt);
    let rows: Vec<f64> = ["us", "cn"]
        .iter()
        .map(|k| {
            marks(&els)
                .iter()
                .filter(|e| e.get("data-key") == Some(k))
                .map(|e| e.num("width"))
                .sum()
        })
        .collect();
    assert!((rows[0] - rows[1]).abs() < 0.05, "{rows:?}");
    for e in marks(&els) {
        assert!((e.num("width") - rows[0] * e.num("data-share") / 100.0).abs() <= 0.5);
    }
}

/// Labels of the value-axis ticks (the only 12 px texts in bar charts).
fn ticks(els: &[El]) -> Vec<String> {
    els.iter()
        .filter(|e| e.tag == "text" && e.get("font-size") == Some("12"))
        .map(|e| e.text.clone())
        .collect()
}

#[test]
fn ticks_are_round_and_carry_the_unit() {
    let (input, fmt) = &gallery()[0];
    let labels = ticks(&svg(input, fmt));
    let values: Vec<f64> = labels
        .iter()
        .map(|l| {
            l.strip_prefix("USD ")
                .and_then(|l| l.strip_suffix(" bn"))
                .expect("unit on tick")
                .parse()
                .unwrap()
        })
        .collect();
    let step = values[1] - values[0];
    let mantissa = step / 10f64.powf(step.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
        "step {step}"
    );
    assert!(values.windows(2).all(|w| (w[1] - w[0] - step).abs() < 1e-9));
    assert_eq!(values[0], 0.0);
    let last = values[values.len() - 1];
    assert!(last >= 155.0 && last - step < 155.0, "axis ends at {last}");
    let (log, fmt) = &gallery()[6];
    assert_eq!(ticks(&svg(log, fmt)), ["USD 1 m", "USD 10 m", "USD 100 m"]);
    let (share, fmt) = &gallery()[1];
    assert!(ticks(&svg(share, fmt)).iter().all(|t| t.ends_with(" %")));
}

/// Charts that push the layout: long and CJK labels, many bars, negatives,
/// gaps, many small donut slices.
fn stress() -> Vec<(ChartInput, Unit)> {
    let long = [
        ("a", "Alibaba Cloud and Tencent Cloud combined spending"),
        ("b", "B"),
        ("c", "Cloud"),
    ];
    let mut out = vec![(
        chart(ChartKind::HBar, &long, &[("x", &[3.0, 170.0, 0.5])]),
        Unit("USD bn"),
    )];
    let many: Vec<(String, String)> = (0..9)
        .map(|i| (format!("k{i}"), format!("Category number {i}")))
        .collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
    let vals: Vec<f64> = (0..9).map(|i| 1000.0 + 137.0 * f64::from(i)).collect();
    out.push((chart(ChartKind::Bar, &many, &[("x", &vals)]), Unit("USD bn")));
    out.push((
        chart(
            ChartKind::GroupedBar,
            &many[..4],
            &[("x", &[5.0; 4]), ("y", &[5.5; 4]), ("z", &[6.0; 4])],
        ),
        Unit("USD m"),
    ));
    out.push((
        chart(ChartKind::HBar, &many[..3], &[("x", &[-40.0, 12.0, -3.0])]),
        Unit("%"),
    ));
    let zh = [
        ("a", "美国"),
        ("b", "中国大陆地区的七家科技公司"),
        ("c", "阿里云和腾讯云"),
    ];
    out.push((
        chart(ChartKind::Bar, &zh, &[("x", &[155.0, 42.0, 20.0])]),
        Unit("USD bn"),
    ));
    let mut line = chart(
        ChartKind::Line,
        &many[..4],
        &[("x", &[1.0, 2.0, 3.0, 4.0]), ("y", &[1.0, 2.0, 3.0, 4.1])],
    );
    line.series[0].values[1] = None;
    out.push((line, Unit("×")));
    let slices: Vec<f64> = vec![60.0, 1.0, 1.0, 1.0, 1.0, 20.0, 1.0, 1.0, 14.0];
    out.push((chart(ChartKind::Donut, &many, &[("x", &slices)]), Unit("%")));
    let mut st = chart(
        ChartKind::StackedBar,
        &long,
        &[("x", &[3.0, 9.0, 1.0]), ("y", &[1.0, 1.0, 0.2])],
    );
    st.decimals = 1;
    out.push((st, Unit("USD bn")));
    out
}

#[test]
fn everything_inside_the_viewbox_and_texts_apart() {
    for (input, fmt) in gallery().into_iter().chain(stress()) {
        let els = svg(&input, &fmt);
        let vb: Vec<f64> = view_box(&els);
        let boxes: Vec<_> = els.iter().filter(|e| e.tag == "text").map(text_box).collect();
        for (i, b) in boxes.iter().enumerate() {
            assert!(
                b.0 >= 0.0 && b.1 >= 0.0 && b.2 <= vb[2] && b.3 <= vb[3],
                "{:?}: text {b:?} outside",
                input.kind
            );
            for o in &boxes[i + 1..] {
                let apart = b.2 <= o.0 + 0.01 || o.2 <= b.0 + 0.01 || b.3 <= o.1 + 0.01 || o.3 <= b.1 + 0.01;
                assert!(apart, "{:?}: texts {b:?} and {o:?} overlap", input.kind);
            }
        }
        for e in els.iter().filter(|e| e.tag == "rect") {
            let (x, y) = (e.num("x"), e.num("y"));
            assert!(x >= 0.0 && y >= 0.0 && x + e.num("width") <= vb[2] && y + e.num("height") <= vb[3]);
        }
        for e in els.iter().filter(|e| e.tag == "polyline" || e.tag == "polygon") {
            for p in e.get("points").unwrap().split(' ') {
                let (x, y) = p.split_once(',').unwrap();
                let (x, y): (f64, f64) = (x.parse().unwrap(), y.parse().unwrap());
                assert!(
                    (0.0..=vb[2]).contains(&x) && (0.0..=vb[3]).contains(&y),
                    "{:?}: point {x},{y}",
                    input.kind
                );
            }
        }
    }
}

/// Where each number went: inside its bar (text in the bar's contrast
/// colour) or beyond it (page ink), and "no data" muted; the same rule in
/// both orientations, one bar layout serving both.
#[test]
fn both_orientations_place_numbers_by_one_rule() {
    let cats = [("big", "Big"), ("tiny", "Tiny"), ("calc", "Computed"), ("none", "None")];
    for kind in [ChartKind::Bar, ChartKind::HBar] {
        let mut input = chart(kind, &cats, &[("v", &[100.0, 2.0, 90.0, 0.0])]);
        input.series[0].values[3] = None;
        input.series[0].derived = vec![false, false, true, false];
        let els = svg(&input, &Unit(""));
        let number = |t: &str| {
            els.iter()
                .find(|e| e.tag == "text" && e.text == t && e.get("font-size") == Some("13"))
                .unwrap_or_else(|| panic!("{kind:?}: no value label `{t}`"))
        };
        let ink = |e: &El| e.get("fill") == Some("currentColor");
        assert!(!ink(number("100")), "{kind:?}: a long bar holds its number");
        assert!(ink(number("2")), "{kind:?}: a short bar's number goes beyond it");
        assert!(
            ink(number("90")),
            "{kind:?}: a computed bar's number stays clear of the hatching"
        );
        let none = number("no data");
        assert!(
            ink(none) && none.get("fill-opacity").is_some(),
            "{kind:?}: `no data` is muted"
        );
        // Beyond means beyond: past the bar's end along the value axis.
        let bar = marks(&els)
            .into_iter()
            .find(|m| m.get("data-key") == Some("tiny"))
            .unwrap();
        let (b, t) = (text_box(number("2")), (bar.num("x"), bar.num("y")));
        match kind {
            ChartKind::HBar => assert!(b.0 >= t.0 + bar.num("width"), "{kind:?}: {b:?} over the bar"),
            _ => assert!(b.3 <= t.1, "{kind:?}: {b:?} over the bar"),
        }
    }
    // A stack of one piece still writes its total beyond the stack.
    for kind in [ChartKind::StackedBar, ChartKind::StackedColumn] {
        let mut input = chart(kind, &cats[..2], &[("a", &[60.0, 20.0]), ("b", &[30.0, 10.0])]);
        input.series[1].values[0] = None;
        let els = svg(&input, &Unit(""));
        let totals: Vec<&El> = els
            .iter()
            .filter(|e| e.tag == "text" && e.text == "60" && e.get("font-size") == Some("13"))
            .collect();
        assert_eq!(totals.len(), 2, "{kind:?}: the piece and its total");
        assert_eq!(
            totals.iter().filter(|e| e.get("fill") == Some("currentColor")).count(),
            1
        );
    }
}
