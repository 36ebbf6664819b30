//! `facet:` end to end: small multiples built from a chart block, read
//! back from the SVG (one panel per value, one shared scale), and every
//! bad facet refused with a located error and a hint.

mod common;

use common::{At, El, Fixture, elements};

const INTRO: &str = "content/sections/01-intro.md";

/// Shops by region and year; East has no 2022 row, South two.
const SHOPS_CSV: &str = "id,region,year,sales,staff\n\
s01,North,2021,10,3\n\
s02,North,2022,20,4\n\
s03,South,2021,20,5\n\
s04,South,2022,10,2\n\
s05,East,2021,30,6\n\
s06,South,2022,5,1\n";

const SHOPS_SIDE: &str = r#"title: "Shops"
scope: "Three regions"
source:
  cites: [paper]
fields:
  region: {kind: text, label: "Region"}
  year: {label: "Year", unit: none, digits: 0}
  sales: {label: "Sales", unit: USD m}
  staff: {label: "Staff", unit: none}
"#;

/// The good fixture with the `shops` dataset and `block` as a chart.
fn with_chart(block: &str) -> Fixture {
    let head = "title: \"Sales\"\ndescription: \"Sales.\"\n";
    Fixture::with_csv_chart(
        "shops",
        SHOPS_CSV,
        SHOPS_SIDE,
        "See @fig:shops.",
        &format!("{head}{block}"),
    )
}

fn svg(fx: &Fixture) -> String {
    fx.built_chart("shops")
}

/// Each panel's key and its marks, in order.
fn panels(els: &[El]) -> Vec<(String, Vec<&El>)> {
    let mut out: Vec<(String, Vec<&El>)> = Vec::new();
    for e in els {
        if e.tag == "g" {
            out.push((e.get("data-panel").unwrap().to_string(), Vec::new()));
        } else if e.has_class("mark") {
            out.last_mut().expect("marks inside a panel").1.push(e);
        }
    }
    out
}

/// Where the value of `key: value` sits in the intro.
fn value_at(fx: &Fixture, key_and_value: &str) -> At {
    let key = key_and_value.split(':').next().unwrap();
    fx.pos_plus(INTRO, key_and_value, key.chars().count() + 2)
}

#[test]
fn a_panel_per_value_in_data_order_sharing_one_scale() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: year\nfacet: region\n");
    let s = svg(&fx);
    let els = elements(&s);
    let ps = panels(&els);
    let keys: Vec<&str> = ps.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["North", "South", "East"]);
    assert_eq!(els.iter().filter(|e| e.get("role") == Some("img")).count(), 1);
    // Every panel shows both years; East has no 2022 sales at all.
    let years = |m: &[&El]| {
        m.iter()
            .map(|e| e.get("data-key").unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(years(&ps[0].1), ["2021", "2022"]);
    assert_eq!(years(&ps[2].1), ["2021"]);
    // South 2022 sums two rows: 10 + 5.
    assert_eq!(ps[1].1[1].num("data-value"), 15.0);
    // North 2022 and South 2021 are both 20: the same height in both panels.
    let (a, b) = (ps[0].1[1], ps[1].1[0]);
    assert_eq!((a.num("data-value"), b.num("data-value")), (20.0, 20.0));
    assert!((a.num("height") - b.num("height")).abs() < 0.01);
    assert!((a.num("y") - b.num("y")).abs() < 0.01, "bars rise from one baseline");
    // One title and one source line for the figure; a title per panel.
    for region in ["North", "South", "East"] {
        assert_eq!(els.iter().filter(|e| e.tag == "text" && e.text == region).count(), 1);
    }
    // The data table under the figure names each row's panel.
    let html = fx.index_html();
    for row in ["North, 2021", "South, 2022", "East, 2021"] {
        assert!(html.contains(&format!(">{row}<")), "data table lacks `{row}`");
    }
    let desc = els.iter().find(|e| e.tag == "desc").unwrap();
    assert!(
        desc.text.contains("North: ") && desc.text.contains("East: "),
        "{}",
        desc.text
    );
}

#[test]
fn panels_may_be_sorted_by_name() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: year\nfacet: {by: region, sort: desc}\n");
    let s = svg(&fx);
    let els = elements(&s);
    let keys: Vec<String> = panels(&els).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["South", "North", "East"]);
}

#[test]
fn a_facet_on_a_number_field_is_a_located_error() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: region\nfacet: year\n");
    let d = fx.expect_error(value_at(&fx, "facet: year"), "needs a text field");
    assert!(d.hint.contains("region"), "{d}");
}

#[test]
fn facet_and_group_on_one_field_is_a_located_error() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: region\nfacet: region\n");
    let d = fx.expect_error(value_at(&fx, "facet: region"), "same field");
    assert!(d.hint.contains("group"), "{d}");
}

#[test]
fn an_unknown_facet_field_suggests_the_nearest() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: year\nfacet: regoin\n");
    let d = fx.expect_error(value_at(&fx, "facet: regoin"), "unknown field `regoin`");
    assert!(d.hint.contains("region"), "{d}");
}

#[test]
fn an_unknown_panel_order_suggests_the_nearest() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: year\nfacet: {by: region, sort: dsc}\n");
    let d = fx.expect_error(value_at(&fx, "sort: dsc"), "unknown panel order");
    assert!(d.hint.contains("desc"), "{d}");
}

#[test]
fn too_many_panels_is_a_located_error() {
    let fx = with_chart("type: bar\nseries: [sales]\ngroup: year\nfacet: region\n");
    let rows: String = (0..13).map(|i| format!("r{i},Region {i},2021,{i},1\n")).collect();
    fx.write("content/data/shops.csv", &format!("id,region,year,sales,staff\n{rows}"));
    let d = fx.expect_error(value_at(&fx, "facet: region"), "makes 13 panels");
    assert!(d.hint.contains("filter"), "{d}");
}

#[test]
fn a_donut_cannot_be_faceted() {
    let fx = with_chart("type: donut\nseries: [sales]\nfacet: region\n");
    fx.expect_error(value_at(&fx, "facet: region"), "donut");
}
