//! Chart geometry read back from the built SVG files: data marks carry their
//! data, bar lengths are proportional to the values, computed values are
//! hatched, and chart files carry their title and source.

mod common;

use common::{El, Fixture, elements};
use std::fs;

const INTRO: &str = "content/sections/01-intro.md";

fn marks(fx: &Fixture, chart: &str) -> Vec<El> {
    let svg = fs::read_to_string(fx.out().join(format!("charts/{chart}.svg"))).unwrap();
    let m: Vec<El> = elements(&svg).into_iter().filter(|e| e.has_class("mark")).collect();
    assert!(
        !m.is_empty(),
        "charts/{chart}.svg has no class=\"mark\" elements:\n{svg}"
    );
    m
}

fn key(e: &El) -> (&str, &str, f64) {
    (
        e.get("data-key").expect("data-key"),
        e.get("data-series").expect("data-series"),
        e.num("data-value"),
    )
}

/// Asserts every mark's `along` size is its value times one common factor,
/// and its `across` size is the same for all.
fn proportional(marks: &[El], along: &str, across: &str) {
    let k = marks[0].num(along) / marks[0].num("data-value").abs();
    assert!(k.is_finite() && k > 0.0, "bars should have a length: {:?}", marks[0]);
    for m in marks {
        let want = m.num("data-value").abs() * k;
        assert!(
            (m.num(along) - want).abs() <= 0.5,
            "{along} {} for value {} (want {want:.2})",
            m.num(along),
            m.num("data-value")
        );
        assert!(
            (m.num(across) - marks[0].num(across)).abs() <= 0.01,
            "bars should share their {across}: {m:?}"
        );
    }
}

#[test]
fn hbar_marks_carry_key_series_and_value() {
    let fx = Fixture::built();
    let m = marks(&fx, "capex");
    let got: Vec<_> = m.iter().map(key).collect();
    assert_eq!(got, vec![("us", "usd", 150.0), ("cn", "usd", 40.0)]);
}

#[test]
fn hbar_bar_widths_are_proportional_to_values() {
    let fx = Fixture::built();
    proportional(&marks(&fx, "capex"), "width", "height");
}

#[test]
fn bar_heights_are_proportional_to_values() {
    let fx = Fixture::new();
    fx.replace(INTRO, "type: hbar", "type: bar");
    fx.build(&[]).assert_code(0, "build");
    let m = marks(&fx, "capex");
    assert_eq!(
        m.iter().map(key).collect::<Vec<_>>(),
        vec![("us", "usd", 150.0), ("cn", "usd", 40.0)]
    );
    proportional(&m, "height", "width");
}

#[test]
fn marks_take_the_palette_colour_of_their_key() {
    let fx = Fixture::built();
    let m = marks(&fx, "capex");
    let fill = |k: &str| {
        m.iter()
            .find(|e| e.get("data-key") == Some(k))
            .and_then(|e| e.get("fill"))
            .map(str::to_string)
    };
    assert_eq!(fill("us").as_deref(), Some("#0072B2"));
    assert_eq!(fill("cn").as_deref(), Some("#D55E00"));
}

#[test]
fn sort_orders_the_categories() {
    let fx = Fixture::new();
    fx.replace(INTRO, "rows: [us, cn]", "rows: [us, cn]\nsort: asc");
    fx.build(&[]).assert_code(0, "build");
    let m = marks(&fx, "capex");
    let y = |k: &str| m.iter().find(|e| e.get("data-key") == Some(k)).unwrap().num("y");
    assert!(
        y("cn") < y("us"),
        "sorted ascending, China (40) comes first, above the US (150)"
    );
}

#[test]
fn stacked_normalized_marks_fill_the_same_length() {
    let fx = Fixture::built();
    let m = marks(&fx, "split");
    let mut got: Vec<_> = m
        .iter()
        .map(|e| (e.get("data-key").unwrap(), e.get("data-series").unwrap()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![("cn", "centres"), ("cn", "chips"), ("us", "centres"), ("us", "chips")]
    );
    // Horizontal or vertical: the varying side is the length.
    let along = if m.iter().all(|e| (e.num("height") - m[0].num("height")).abs() < 0.01) {
        "width"
    } else {
        "height"
    };
    let total = |k: &str| {
        m.iter()
            .filter(|e| e.get("data-key") == Some(k))
            .map(|e| e.num(along))
            .sum::<f64>()
    };
    assert!(
        (total("us") - total("cn")).abs() <= 1.0,
        "normalised stacks should be equally long: {} vs {}",
        total("us"),
        total("cn")
    );
    for e in &m {
        let share = e.num("data-value") / 100.0;
        assert!(
            (e.num(along) - share * total(e.get("data-key").unwrap())).abs() <= 1.0,
            "segment {e:?} is not its share"
        );
    }
}

#[test]
fn computed_values_are_hatched_in_the_built_chart() {
    let fx = Fixture::built();
    let svg = fs::read_to_string(fx.out().join("charts/capex.svg")).unwrap();
    let els = elements(&svg);
    let m = marks(&fx, "capex");
    let flag = |k: &str| {
        m.iter()
            .find(|e| e.get("data-key") == Some(k))
            .unwrap()
            .get("data-derived")
    };
    // The fixture derives China's dollar figure from renminbi and a rate.
    assert_eq!(flag("cn"), Some("true"));
    assert_eq!(flag("us"), None);
    let cn = m.iter().find(|e| e.get("data-key") == Some("cn")).unwrap();
    let hatch: Vec<&El> = els.iter().filter(|e| e.has_class("derived")).collect();
    let geo = |e: &El| ["x", "y", "width", "height"].map(|k| e.num(k));
    assert!(
        hatch.iter().any(|h| geo(h) == geo(cn)),
        "a hatch lies exactly over China's bar:\n{svg}"
    );
    assert!(
        hatch
            .iter()
            .all(|h| h.get("fill").is_some_and(|f| f.starts_with("url(#")))
    );
    assert!(
        svg.contains("Hatched: computed by quire"),
        "the chart explains the hatching"
    );
}

/// Texts of an SVG, in order.
fn texts(svg: &str) -> Vec<String> {
    elements(svg)
        .into_iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.clone())
        .collect()
}

#[test]
fn chart_files_carry_title_unit_and_source_but_the_page_does_not_repeat_them() {
    let fx = Fixture::built();
    let file = fs::read_to_string(fx.out().join("charts/capex.svg")).unwrap();
    let t = texts(&file);
    assert_eq!(t[0], "AI capital expenditure (USD bn)", "title first: {t:?}");
    assert!(
        !t.iter().any(|s| s == "USD bn"),
        "the title names the unit, so no unit line repeats it: {t:?}"
    );
    let last = t.last().unwrap();
    assert!(
        last.starts_with("Source:") && last.contains("Example Press"),
        "source line last: {t:?}"
    );
    let page = fx.index_html();
    let at = page.find("<svg").expect("inline chart");
    let inline = &page[at..at + page[at..].find("</svg>").unwrap()];
    let t = texts(inline);
    assert!(!t.iter().any(|s| s.starts_with("Source:")), "{t:?}");
    assert!(!t.iter().any(|s| s == "AI capital expenditure (USD bn)"), "{t:?}");
}
