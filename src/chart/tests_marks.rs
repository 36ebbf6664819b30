//! Computed values drawn hatched, standalone files carrying title, unit and
//! source, and words supplied by the caller.

use super::tests::{El, Unit, chart, elements, gallery};
use super::*;

fn svg(input: &ChartInput) -> (String, Vec<El>) {
    let s = render(input, &Unit("USD bn")).unwrap_or_else(|e| panic!("{e}"));
    let els = elements(&s);
    (s, els)
}

fn capex() -> ChartInput {
    let mut c = chart(
        ChartKind::HBar,
        &[("us", "United States"), ("cn", "China")],
        &[("usd", &[155.0, 42.0])],
    );
    c.series[0].derived = vec![false, true];
    c
}

fn geometry(e: &El) -> [f64; 4] {
    ["x", "y", "width", "height"].map(|k| e.num(k))
}

#[test]
fn computed_values_are_hatched_outlined_and_explained() {
    let (text, els) = svg(&capex());
    let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
    assert_eq!(marks.len(), 2, "the hatch is not a second data mark");
    assert_eq!(marks[0].get("data-derived"), None);
    assert_eq!(marks[1].get("data-derived"), Some("true"));
    let hatched: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("derived")).collect();
    // One over China's bar, one in the key.
    assert_eq!(hatched.len(), 2);
    assert_eq!(
        geometry(hatched[0]),
        geometry(marks[1]),
        "the hatch covers exactly the computed bar"
    );
    assert_eq!(hatched[0].get("fill"), Some("url(#fig-x-hatch)"));
    assert_eq!(
        hatched[0].get("stroke"),
        Some("currentColor"),
        "outline follows the page ink"
    );
    let pattern = els.iter().find(|e| e.tag == "pattern").expect("a hatch pattern");
    assert_eq!(pattern.get("id"), Some("fig-x-hatch"));
    // A light and a dark stripe: visible on any bar colour, light or dark page.
    let strokes: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "path")
        .filter_map(|e| e.get("stroke"))
        .collect();
    assert_eq!(strokes, ["#FFFFFF", "#000000"]);
    let key = els.iter().find(|e| e.text.starts_with("Hatched:")).expect("key text");
    assert!(
        key.num("y") > marks[1].num("y") + marks[1].num("height"),
        "key under the bars"
    );
    let desc = &els[2].text;
    assert!(desc.contains("China: USD 42 bn (computed by quire)"), "{desc}");
    assert!(
        desc.ends_with("Hatched: computed by quire, not stated by the source."),
        "{desc}"
    );
    assert!(!desc.contains("United States: USD 155 bn (computed"));
    let (plain, _) = svg(&chart(ChartKind::HBar, &[("us", "US")], &[("usd", &[1.0])]));
    assert!(!plain.contains("pattern") && !plain.contains("Hatched"));
    assert!(text.contains("<defs>"));
}

#[test]
fn every_kind_hatches_its_computed_values() {
    for (mut input, fmt) in gallery() {
        // Every value computed but the first series' first, so the chart
        // still mixes stated and computed values: every computed mark is
        // hatched (a range bar counts as computed if either end is).
        for (j, s) in input.series.iter_mut().enumerate() {
            s.derived = (0..s.values.len()).map(|i| i + j > 0).collect();
        }
        let els = elements(&render(&input, &fmt).unwrap());
        let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
        let computed = marks.iter().filter(|e| e.get("data-derived") == Some("true")).count();
        let hatched = els.iter().filter(|e| e.get("class") == Some("derived")).count();
        assert!(computed >= marks.len() - 1 && computed > 0, "{:?}", input.kind);
        assert_eq!(
            hatched,
            computed + 1,
            "{:?}: every computed mark hatched, plus the key",
            input.kind
        );
    }
}

#[test]
fn a_chart_of_computed_values_only_says_so_once() {
    for (mut input, fmt) in gallery() {
        for s in &mut input.series {
            s.derived = vec![true; s.values.len()];
        }
        let text = render(&input, &fmt).unwrap();
        let els = elements(&text);
        let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
        assert!(
            marks.iter().all(|e| e.get("data-derived") == Some("true")),
            "{:?}",
            input.kind
        );
        assert!(
            !els.iter().any(|e| e.get("class") == Some("derived")),
            "{:?}: no hatching when every value is computed",
            input.kind
        );
        let note = &input.words.all_derived_key;
        assert!(
            els.iter().any(|e| e.tag == "text" && note.starts_with(e.text.as_str())),
            "{:?}",
            input.kind
        );
        let desc = &text[text.find("<desc").unwrap()..text.find("</desc>").unwrap()];
        assert!(
            desc.contains(note.as_str()) && !desc.contains(&input.words.computed),
            "{desc}"
        );
    }
}

#[test]
fn standalone_files_carry_title_unit_and_source() {
    let mut c = capex();
    c.title = "AI capital expenditure, 2025".into();
    c.unit_label = "USD bn".into();
    c.source = "Source: Toutiao commentary; UK report".into();
    let alone = elements(&render_standalone(&c, &Unit("USD bn")).unwrap());
    let text = |s: &str| alone.iter().find(|e| e.tag == "text" && e.text == s);
    let title = text("AI capital expenditure, 2025").expect("visible title");
    assert_eq!(title.get("font-weight"), Some("bold"));
    let unit = text("USD bn").expect("unit line");
    let source = text("Source: Toutiao commentary; UK report").expect("source line");
    let marks: Vec<&El> = alone.iter().filter(|e| e.get("class") == Some("mark")).collect();
    let top = marks.iter().map(|m| m.num("y")).fold(f64::MAX, f64::min);
    let bottom = alone
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.num("y"))
        .fold(f64::MIN, f64::max);
    assert!(title.num("y") < unit.num("y") && unit.num("y") < top);
    assert_eq!(source.num("y"), bottom, "the source is the last line");
    // A title naming its unit does not get it twice.
    let mut named = c.clone();
    named.title = "AI capital expenditure (USD bn)".into();
    let named = elements(&render_standalone(&named, &Unit("USD bn")).unwrap());
    assert!(!named.iter().any(|e| e.tag == "text" && e.text == "USD bn"));
    // Same accessible structure as the inline chart.
    assert_eq!(alone[0].get("role"), Some("img"));
    assert_eq!(alone[1].get("id"), Some("fig-x-title"));
    // The inline chart leaves title and source to the page.
    let (_, inline) = svg(&c);
    assert!(inline.iter().all(|e| e.tag != "text" || !e.text.starts_with("Source:")));
    assert!(
        inline
            .iter()
            .all(|e| e.tag != "text" || e.text != "AI capital expenditure, 2025")
    );
}

#[test]
fn words_come_from_the_caller() {
    let mut c = capex();
    c.words = ChartWords {
        hbar: "Diagramme à barres".into(),
        computed: " (calculé)".into(),
        derived_key: "Hachuré : calculé par quire".into(),
        ..ChartWords::english()
    }
    .into();
    let (_, els) = svg(&c);
    assert!(els[2].text.starts_with("Diagramme à barres."), "{}", els[2].text);
    assert!(els[2].text.contains("USD 42 bn (calculé)"));
    assert!(els.iter().any(|e| e.text == "Hachuré : calculé par quire"));
}

#[test]
fn data_table_lists_every_value_with_its_flag() {
    let mut c = chart(
        ChartKind::GroupedBar,
        &[("dc", "Data centres"), ("chips", "Chips")],
        &[("us", &[128.7, 7.8]), ("cn", &[29.6, 3.4])],
    );
    c.decimals = 1;
    c.series[1].derived = vec![false, true];
    c.series[0].values[1] = None;
    let t = data_table(&c, &Unit("USD bn"));
    assert_eq!(t.header, ["Category", "Series us", "Series cn"]);
    let texts: Vec<Vec<&str>> = t
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(texts, [["USD 128.7 bn", "USD 29.6 bn"], ["no data", "USD 3.4 bn"]]);
    assert_eq!(t.rows[1].label, "Chips");
    let flags: Vec<bool> = t.rows.iter().flat_map(|r| r.cells.iter().map(|c| c.derived)).collect();
    assert_eq!(flags, [false, false, false, true]);
    assert!(t.any_derived());
    assert_eq!(t.rows[1].cells[0].value, None);
}

#[test]
fn dump_for_review() {
    let Ok(dir) = std::env::var("QUIRE_CHART_DUMP") else {
        return;
    };
    let mut c = capex();
    c.title = "AI capital expenditure, 2025".into();
    c.unit_label = "USD bn".into();
    c.source = "Source: Toutiao commentary; UK report".into();
    std::fs::write(
        format!("{dir}/standalone.svg"),
        render_standalone(&c, &Unit("USD bn")).unwrap(),
    )
    .unwrap();
    for (i, (mut input, fmt)) in gallery().into_iter().enumerate() {
        for s in &mut input.series {
            s.derived = (0..s.values.len()).map(|j| j % 2 == 1).collect();
        }
        std::fs::write(format!("{dir}/g{i}.svg"), render(&input, &fmt).unwrap()).unwrap();
    }
}

#[test]
fn stacked_columns_stack_proportional_pieces() {
    let years = [("y1", "2023"), ("y2", "2024"), ("y3", "2025")];
    let mut c = chart(
        ChartKind::StackedColumn,
        &years,
        &[("dc", &[40.0, 60.0, 90.0]), ("chips", &[10.0, 15.0, 30.0])],
    );
    c.series[1].derived = vec![false, false, true];
    let (_, els) = svg(&c);
    let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
    assert_eq!(marks.len(), 6);
    let k = marks[0].num("height") / marks[0].num("data-value");
    for m in &marks {
        assert!(
            (m.num("height") - m.num("data-value") * k).abs() <= 0.5,
            "{:?}",
            m.attrs
        );
    }
    for key in ["y1", "y2", "y3"] {
        let piece: Vec<&&El> = marks.iter().filter(|m| m.get("data-key") == Some(key)).collect();
        // The second series sits right on top of the first, in one column.
        assert!((piece[1].num("y") + piece[1].num("height") - piece[0].num("y")).abs() < 0.02);
        assert_eq!(piece[0].num("x"), piece[1].num("x"));
    }
    assert!(
        els.iter().any(|e| e.text == "USD 120 bn"),
        "the total of 2025 above its column"
    );
    assert!(
        els[2]
            .text
            .starts_with("Stacked column chart. 2023: Series dc USD 40 bn")
    );
    assert!(els[2].text.contains("Series chips USD 30 bn (computed by quire)"));
    c.normalize = true;
    let (_, els) = svg(&c);
    let total = |key: &str| -> f64 {
        els.iter()
            .filter(|e| e.get("class") == Some("mark") && e.get("data-key") == Some(key))
            .map(|e| e.num("height"))
            .sum()
    };
    assert!((total("y1") - total("y3")).abs() < 0.05);
    assert!(els[2].text.starts_with("100 % stacked column chart."));
}

#[test]
fn area_charts_tint_down_to_the_axis() {
    let years = [("y1", "2023"), ("y2", "2024"), ("y3", "2025")];
    let c = chart(
        ChartKind::Area,
        &years,
        &[("us", &[40.0, 60.0, 90.0]), ("cn", &[10.0, 15.0, 30.0])],
    );
    let (_, els) = svg(&c);
    let areas: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("area")).collect();
    let lines: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("line")).collect();
    assert_eq!((areas.len(), lines.len()), (2, 2));
    let pts = |e: &El| e.points();
    let zero = els
        .iter()
        .filter(|e| e.tag == "polyline" && e.get("stroke-width") == Some("1.5"))
        .map(|e| pts(e)[0].1)
        .next()
        .expect("zero line");
    for (a, l) in areas.iter().zip(&lines) {
        let (a, l) = (pts(a), pts(l));
        assert_eq!(a[..3], l[..], "the wash follows its line");
        assert_eq!((a[3].1, a[4].1), (zero, zero), "and closes on the zero line");
        assert_eq!((a[3].0, a[4].0), (l[2].0, l[0].0));
    }
    assert_eq!(areas[0].get("fill-opacity"), Some("0.22"));
    assert!(els[2].text.starts_with("Area chart. Series us: 2023 USD 40 bn"));
}

#[test]
fn numbers_stay_readable_on_computed_marks() {
    let (_, els) = svg(&capex());
    let marks: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
    let value = els.iter().find(|e| e.text == "USD 42 bn").expect("China's value");
    let bar_end = marks[1].num("x") + marks[1].num("width");
    assert!(value.num("x") > bar_end, "the number sits outside the hatched bar");
    assert_eq!(value.get("fill"), Some("currentColor"));
    let us = els.iter().find(|e| e.text == "USD 155 bn").expect("US value");
    assert!(
        us.num("x") < marks[0].num("x") + marks[0].num("width"),
        "a stated bar keeps its number inside"
    );
    // A stack piece has no outside: its number gets a halo of the piece's colour.
    let mut st = chart(
        ChartKind::StackedBar,
        &[("us", "United States"), ("cn", "China")],
        &[("a", &[80.0, 60.0]), ("b", &[50.0, 70.0])],
    );
    st.series[1].derived = vec![true, false];
    let (_, els) = svg(&st);
    let piece = els
        .iter()
        .find(|e| e.tag == "text" && e.text == "USD 50 bn" && e.get("font-size") == Some("13"))
        .expect("piece value");
    assert_eq!(piece.get("paint-order"), Some("stroke"), "{:?}", piece.attrs);
    let plain = els
        .iter()
        .find(|e| e.tag == "text" && e.text == "USD 70 bn" && e.get("font-size") == Some("13"))
        .expect("piece value");
    assert_eq!(plain.get("paint-order"), None);
}

#[test]
fn numeric_x_places_points_by_value() {
    let rows = [
        ("a", "2013"),
        ("b", "2014"),
        ("c", "2017"),
        ("d", "2020"),
        ("e", "2025"),
    ];
    let mut c = chart(ChartKind::Line, &rows, &[("us", &[1.0, 2.0, 4.0, 8.0, 16.0])]);
    c.x = Some(super::XAxis::Number(vec![2013.0, 2014.0, 2017.0, 2020.0, 2025.0]));
    let (_, els) = svg(&c);
    let dots: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
    let xv = c.x.as_ref().unwrap().numbers();
    let k = (dots[4].num("cx") - dots[0].num("cx")) / (xv[4] - xv[0]);
    for (d, v) in dots.iter().zip(&xv) {
        assert!(
            (d.num("cx") - dots[0].num("cx") - (v - xv[0]) * k).abs() < 0.02,
            "{:?}",
            d.attrs
        );
    }
    let years: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "text" && e.text.len() == 4 && e.text.starts_with("20"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(years, ["2014", "2016", "2018", "2020", "2022", "2024"]);
    let vb = super::tests::view_box(&els)[2];
    for t in els.iter().filter(|e| e.tag == "text") {
        let w = text::width(&t.text, t.num("font-size"), false);
        assert!(t.num("x") + w / 2.0 <= vb, "`{}` leaves the chart", t.text);
    }
    c.x = Some(super::XAxis::Number(vec![2013.0, 2014.0, 2012.0, 2020.0, 2025.0]));
    let e = render(&c, &Unit("USD bn")).unwrap_err().0;
    assert!(e.contains("must increase") && e.contains("`b` (2014)"), "{e}");
    c.kind = ChartKind::Bar;
    assert!(render(&c, &Unit("USD bn")).unwrap_err().0.contains("line"));
}

#[test]
fn a_dense_computed_line_is_hatched_not_dotted() {
    // Ten years of daily means, the last half computed: a dot per value would
    // smear the line and weigh a megabyte.
    let n = 3_650;
    let cats: Vec<(String, String)> = (0..n).map(|i| (format!("d{i}"), format!("d{i}"))).collect();
    let cats: Vec<(&str, &str)> = cats.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
    let values: Vec<f64> = (0..n).map(|i| 10.0 + (i as f64 / 58.0).sin() * 8.0).collect();
    let mut c = chart(ChartKind::Line, &cats, &[("temp", &values)]);
    c.series[0].derived = (0..n).map(|i| i >= n / 2).collect();
    let (text, els) = svg(&c);
    assert!(!els.iter().any(|e| e.tag == "circle"), "no dots on a dense line");
    let hatched: Vec<&El> = els
        .iter()
        .filter(|e| e.tag == "polyline" && e.get("class") == Some("derived"))
        .collect();
    assert_eq!(hatched.len(), 1, "one hatched stretch over the computed half");
    assert!(hatched[0].get("stroke").is_some_and(|s| s.contains("-hatch)")));
    let pts = hatched[0].get("points").map_or(0, |p| p.split_whitespace().count());
    assert_eq!(pts, n / 2);
    assert!(text.len() < 200_000, "{} bytes", text.len());
}
