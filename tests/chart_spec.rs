//! The chart block's data vocabulary end to end: `x:` (dates, numbers, row
//! keys), `scatter` and `area`, `filter:`, `group:` and `aggregate:`, and
//! unit-less number fields. Each test builds a small report and reads the
//! marks back from the SVG, or checks where an error points.

mod common;

use common::{At, El, Fixture, elements};
use std::fs;

const INTRO: &str = "content/sections/01-intro.md";

/// Six days, out of date order, one without rain.
const DAYS_CSV: &str = "day,when,rain,temp,sky\n\
d01,2013-01-05,1.0,4,rain\n\
d02,2013-01-20,3.0,6,sun\n\
d03,2013-02-02,,8,rain\n\
d04,2013-02-15,2.0,10,fog\n\
d05,2014-03-01,5.0,12,rain\n\
d06,2012-12-31,0.5,2,sun\n";

const DAYS_SIDE: &str = r#"title: "Six days"
scope: "One town"
source:
  cites: [paper]
fields:
  when: {kind: date, label: "Day"}
  rain: {label: "Rain", unit: mm, digits: 1}
  temp: {label: "Temperature", unit: degC}
  sky: {kind: text, label: "Sky"}
"#;

/// The good fixture plus the CSV dataset `days` and `block` as a chart
/// appended to the intro section.
fn with_chart(block: &str) -> Fixture {
    let head = "title: \"Days\"\ndescription: \"Days.\"\n";
    Fixture::with_csv_chart("days", DAYS_CSV, DAYS_SIDE, "See @fig:days.", &format!("{head}{block}"))
}

/// Builds and returns the marks of `charts/days.svg`.
fn marks(fx: &Fixture) -> Vec<El> {
    let svg = fx.built_chart("days");
    elements(&svg).into_iter().filter(|e| e.has_class("mark")).collect()
}

fn keys(m: &[El]) -> Vec<&str> {
    m.iter().map(|e| e.get("data-key").unwrap()).collect()
}

fn values(m: &[El]) -> Vec<f64> {
    m.iter().map(|e| e.num("data-value")).collect()
}

fn at(fx: &Fixture, needle: &str) -> At {
    fx.pos(INTRO, needle)
}

// ------------------------------------------------------------------- x axis

#[test]
fn x_date_field_places_rows_in_date_order() {
    let fx = with_chart("type: line\nx: when\nseries: [temp]\n");
    marks(&fx);
    // The data table lists the days in date order.
    let html = fx.index_html();
    let fig = &html[html.find("id=\"fig-days\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    let rows: Vec<String> = elements(fig)
        .into_iter()
        .filter(|e| e.tag == "th" && e.get("scope") == Some("row"))
        .map(|e| e.text)
        .collect();
    assert_eq!(rows, ["d06", "d01", "d02", "d03", "d04", "d05"]);
    // The line's six points run left to right, spaced by time: the year
    // before the last day is wider than the fortnight between d01 and d02.
    let svg = fs::read_to_string(fx.out().join("charts/days.svg")).unwrap();
    // The year-long gap before d05 breaks the line instead of bridging it:
    // the line holds the first five days, and d05 stands alone as a dot.
    let line: Vec<(f64, f64)> = elements(&svg)
        .into_iter()
        .filter(|e| e.tag == "polyline" && e.has_class("line"))
        .flat_map(|e| e.points())
        .collect();
    let alone = marks(&fx);
    assert_eq!(keys(&alone), ["d05"]);
    let mut cx: Vec<f64> = line.iter().map(|p| p.0).collect();
    cx.push(alone[0].num("cx"));
    assert_eq!(cx.len(), 6, "{cx:?}");
    assert!(cx.windows(2).all(|w| w[0] < w[1]), "points run left to right: {cx:?}");
    assert!(cx[5] - cx[4] > 10.0 * (cx[2] - cx[1]), "{cx:?}");
}

#[test]
fn x_row_key_years_make_a_numeric_axis() {
    let fx = with_chart("type: area\nx: key\nseries: [usd]\n");
    fx.replace(INTRO, "data: days", "data: gdp");
    fx.write("content/data/gdp.csv", "year,usd\n1990,1\n1971,2\n1980,3\n");
    fx.write(
        "content/data/gdp.yaml",
        "title: \"Output\"\nscope: \"One economy\"\nunit: USD bn\nsource: {cites: [paper]}\nfields: {usd: {label: \"Output\"}}\n",
    );
    let m = marks(&fx);
    assert_eq!(keys(&m), ["1971", "1980", "1990"]);
    let cx: Vec<f64> = m.iter().map(|e| e.num("cx")).collect();
    // 9 years, then 10: spacing follows the years, not the row count.
    let ratio = (cx[2] - cx[1]) / (cx[1] - cx[0]);
    assert!((ratio - 10.0 / 9.0).abs() < 0.02, "{cx:?}");
}

#[test]
fn scatter_plots_a_dot_per_row_with_a_value() {
    let fx = with_chart("type: scatter\nx: temp\nseries: [rain]\n");
    let m = marks(&fx);
    // d03 has no rain: no dot.
    assert_eq!(keys(&m), ["d06", "d01", "d02", "d04", "d05"]);
    assert_eq!(values(&m), [0.5, 1.0, 3.0, 2.0, 5.0]);
    assert!(m.iter().all(|e| e.get("data-derived") != Some("true")));
}

#[test]
fn x_on_a_bar_chart_is_a_located_error() {
    let fx = with_chart("type: bar\nx: when\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "when\nseries"), "works with line, area and scatter");
    assert!(d.hint.contains("group"), "{d}");
}

#[test]
fn x_text_field_is_a_located_error() {
    let fx = with_chart("type: line\nx: sky\nseries: [temp]\n");
    fx.expect_error(at(&fx, "sky\nseries"), "`sky` is a text field");
}

#[test]
fn scatter_without_x_is_a_located_error() {
    let fx = with_chart("type: scatter\nseries: [rain]\n");
    fx.expect_error(at(&fx, "type: scatter"), "needs `x:`");
}

#[test]
fn a_line_with_two_rows_at_one_x_is_a_located_error() {
    let fx = with_chart("type: line\nx: when\nseries: [temp]\n");
    fx.replace("content/data/days.csv", "2014-03-01", "2013-02-15");
    let d = fx.expect_error(at(&fx, "when\nseries"), "share the x value 2013-02-15");
    assert!(d.hint.contains("aggregate"), "{d}");
}

#[test]
fn chart_types_offer_area_and_scatter() {
    let fx = with_chart("type: scater\nx: temp\nseries: [rain]\n");
    let d = fx.expect_error(at(&fx, "type: scater"), "unknown chart type");
    assert!(d.hint.contains("scatter"), "{d}");
}

// ------------------------------------------------- filter, group, aggregate

#[test]
fn group_by_month_with_mean_gives_one_point_per_month() {
    let fx = with_chart("type: line\ngroup: {by: when, every: month}\naggregate: mean\nseries: [temp]\n");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["2012-12", "2013-01", "2013-02", "2014-03"]);
    assert_eq!(values(&m), [2.0, 5.0, 9.0, 12.0]);
    assert!(
        m.iter().all(|e| e.get("data-derived") == Some("true")),
        "means are computed by quire"
    );
    // The data table under the chart labels months as a reader writes them
    // and marks the means as computed.
    let html = fx.index_html();
    let table = &html[html.find("id=\"fig-days\"").unwrap()..];
    let table = &table[..table.find("</figure>").unwrap()];
    for label in ["Dec 2012", "Jan 2013", "Feb 2013", "Mar 2014"] {
        assert!(
            table.contains(&format!(">{label}</th>")),
            "no row `{label}` in:\n{table}"
        );
    }
    assert!(table.contains("Temperature, mean"), "{table}");
    let derived = elements(table)
        .into_iter()
        .filter(|e| e.tag == "td" && e.has_class("derived"))
        .count();
    assert_eq!(derived, 4, "{table}");
}

#[test]
fn group_by_text_counts_rows() {
    let fx = with_chart("type: bar\ngroup: sky\naggregate: count\nseries: [sky]\n");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["fog", "rain", "sun"]);
    assert_eq!(values(&m), [1.0, 3.0, 2.0]);
}

#[test]
fn sort_then_limit_keeps_the_top_categories() {
    let fx = with_chart("type: bar\ngroup: sky\naggregate: count\nseries: [sky]\nsort: desc\nlimit: 2\n");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["rain", "sun"]);
    assert_eq!(values(&m), [3.0, 2.0]);
}

#[test]
fn limit_zero_is_located() {
    let fx = with_chart("type: bar\nseries: [temp]\nlimit: 0\n");
    fx.expect_error(at(&fx, "limit: 0"), "leaves nothing");
}

#[test]
fn aggregate_per_series_and_default_sum() {
    let fx = with_chart("type: grouped-bar\ngroup: sky\naggregate: {temp: max}\nseries: [temp, temp]\nunit: degC\n");
    let m = marks(&fx);
    // The first `temp` takes max, the second the default sum.
    let got: Vec<(&str, f64)> = m
        .iter()
        .map(|e| (e.get("data-key").unwrap(), e.num("data-value")))
        .collect();
    for want in [
        ("fog", 10.0),
        ("rain", 12.0),
        ("sun", 6.0),
        ("rain", 24.0),
        ("sun", 8.0),
    ] {
        assert!(got.contains(&want), "{want:?} missing from {got:?}");
    }
}

#[test]
fn filter_by_text_then_sum_by_year() {
    let fx = with_chart("type: bar\nfilter: {sky: rain}\ngroup: {by: when, every: year}\nseries: [rain]\n");
    let m = marks(&fx);
    // 2013: d01 (1.0) and d03 (no value); 2014: d05.
    assert_eq!(keys(&m), ["2013", "2014"]);
    assert_eq!(values(&m), [1.0, 5.0]);
}

#[test]
fn filter_by_date_range_and_number_range() {
    let fx = with_chart(
        "type: bar\nfilter: {when: {from: \"2013-01\", to: \"2013-02\"}, temp: {to: 8}}\ngroup: sky\naggregate: count\nseries: [when]\n",
    );
    let m = marks(&fx);
    // January and February 2013, at most 8 degrees: d01, d02, d03.
    assert_eq!(keys(&m), ["rain", "sun"]);
    assert_eq!(values(&m), [2.0, 1.0]);
}

#[test]
fn filter_on_row_keys_without_grouping_keeps_rows() {
    let fx = with_chart("type: bar\nfilter: {sky: [sun, fog]}\nseries: [temp]\n");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["d02", "d04", "d06"]);
    assert!(m.iter().all(|e| e.get("data-derived") != Some("true")));
}

#[test]
fn a_filter_value_no_row_has_is_located_with_did_you_mean() {
    let fx = with_chart("type: bar\nfilter: {sky: [sun, rian]}\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "rian"), "no row has `sky` = `rian`");
    assert!(d.hint.contains("did you mean `rain`"), "{d}");
}

#[test]
fn unknown_filter_field_is_located_with_did_you_mean() {
    let fx = with_chart("type: bar\nfilter: {skys: sun}\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "skys"), "unknown field `skys`");
    assert!(d.hint.contains("did you mean `sky`"), "{d}");
}

#[test]
fn unknown_aggregate_is_located_with_did_you_mean() {
    let fx = with_chart("type: bar\ngroup: sky\naggregate: avg\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "avg"), "unknown aggregate `avg`");
    assert!(d.hint.contains("`mean`"), "{d}");
}

#[test]
fn aggregate_without_group_is_located() {
    let fx = with_chart("type: bar\naggregate: sum\nseries: [temp]\n");
    fx.expect_error(at(&fx, "aggregate: sum"), "needs `group`");
}

#[test]
fn every_on_a_text_field_is_located() {
    let fx = with_chart("type: bar\ngroup: {by: sky, every: month}\nseries: [temp]\n");
    fx.expect_error(at(&fx, "every: month"), "`every` groups dates");
}

#[test]
fn unknown_period_is_located_with_did_you_mean() {
    let fx = with_chart("type: bar\ngroup: {by: when, every: mnth}\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "mnth"), "unknown period");
    assert!(d.hint.contains("month"), "{d}");
}

#[test]
fn a_text_series_without_count_is_located() {
    let fx = with_chart("type: bar\ngroup: sky\nseries: [sky]\n");
    let d = fx.expect_error(at(&fx, "sky]"), "`sky` is a text field");
    assert!(d.hint.contains("aggregate: count"), "{d}");
}

#[test]
fn rows_with_group_is_located() {
    let fx = with_chart("type: bar\ngroup: sky\nrows: [d01]\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "rows: [d01]"), "groups them");
    assert!(d.hint.contains("filter"), "{d}");
}

#[test]
fn a_filter_that_keeps_nothing_is_located() {
    let fx = with_chart("type: bar\nfilter: {temp: {from: 100}}\nseries: [temp]\n");
    fx.expect_error(at(&fx, "filter:"), "no row passes");
}

#[test]
fn a_bad_date_in_a_filter_is_located() {
    let fx = with_chart("type: bar\nfilter: {when: {from: \"2013-13\"}}\nseries: [temp]\n");
    fx.expect_error(at(&fx, "\"2013-13\""), "is not a date");
}

// ---------------------------------------------------------------- units

#[test]
fn unit_none_writes_a_bare_number() {
    let fx = with_chart("type: bar\nseries: [temp]\n");
    fx.replace("content/data/days.yaml", "unit: degC", "unit: none");
    fx.replace(INTRO, "See @fig:days.", "See @fig:days; {{days.d05.temp}} at most.");
    marks(&fx);
    let html = fx.index_html();
    let data = elements(&html)
        .into_iter()
        .find(|e| e.tag == "data" && e.get("title").is_some_and(|t| t.starts_with("days.d05.temp")))
        .expect("the bound value");
    assert_eq!(data.text, "12");
}

#[test]
fn unit_plain_is_refused_where_it_is_written() {
    let fx = with_chart("type: bar\nseries: [temp]\n");
    fx.replace("content/data/days.yaml", "unit: degC", "unit: plain");
    let d = fx.expect_error(fx.pos("content/data/days.yaml", "unit: plain"), "`plain` is not a unit");
    assert!(d.message.contains("unit: none"), "{d}");
}

// ---------------------------------------------------------------- tables

#[test]
fn a_table_groups_and_aggregates_like_a_chart() {
    let fx = with_chart("type: bar\nseries: [temp]\n");
    let text = fx.read(INTRO);
    fx.write(
        INTRO,
        &format!(
            "{text}\nSee @tbl:skies.\n\n```table\nid: skies\ndata: days\ntitle: \"Skies\"\ndescription: \"Skies.\"\ngroup: sky\naggregate: {{rain: sum, temp: mean}}\ncolumns: [rain, temp]\nfilter: {{when: {{from: 2013}}}}\ntotal: true\n```\n"
        ),
    );
    marks(&fx);
    let html = fx.index_html();
    let t = &html[html.find("id=\"tbl-skies\"").unwrap()..];
    let t = &t[..t.find("</table>").unwrap()];
    let els = elements(t);
    let heads: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "th" && e.get("scope") == Some("col"))
        .map(|e| e.text.as_str())
        .collect();
    assert!(heads.ends_with(&["Rain, total", "Temperature, mean"]), "{heads:?}");
    let rows: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "th" && e.get("scope") == Some("row"))
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(rows, ["fog", "rain", "sun", "Total"]);
    // From 2013 on: fog d04 (2.0 mm, 10); rain d01, d03, d05 (6.0 mm, mean 8); sun d02 (3.0 mm, 6).
    let data: Vec<f64> = els.iter().filter(|e| e.tag == "data").map(|e| e.num("value")).collect();
    assert_eq!(data, [2.0, 10.0, 6.0, 8.0, 3.0, 6.0, 11.0, 24.0]);
}

#[test]
fn a_table_with_group_and_rows_is_located() {
    let fx = with_chart("type: bar\nseries: [temp]\n");
    let text = fx.read(INTRO);
    fx.write(
        INTRO,
        &format!("{text}\nSee @tbl:skies.\n\n```table\nid: skies\ndata: days\ntitle: \"Skies\"\ngroup: sky\nrows: [d01]\n```\n"),
    );
    fx.expect_error(at(&fx, "rows: [d01]"), "groups them");
}

#[test]
fn x_key_with_a_word_key_names_the_row() {
    let fx = with_chart("type: line\nx: key\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "key\nseries"), "the row key `d01`");
    assert!(d.message.contains("content/data/days.csv:2"), "{d}");
}

#[test]
fn yearly_groups_sit_on_a_numeric_axis_of_years() {
    let fx = with_chart("type: line\ngroup: {by: when, every: year}\naggregate: max\nseries: [temp]\n");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["2012", "2013", "2014"]);
    assert_eq!(values(&m), [2.0, 10.0, 12.0]);
    let cx: Vec<f64> = m.iter().map(|e| e.num("cx")).collect();
    assert!(
        (cx[1] - cx[0] - (cx[2] - cx[1])).abs() < 0.01,
        "one year apart each: {cx:?}"
    );
}

#[test]
fn sort_on_a_chart_along_x_is_located() {
    let fx = with_chart("type: line\nx: when\nsort: desc\nseries: [temp]\n");
    let d = fx.expect_error(at(&fx, "sort: desc"), "ordered by x");
    assert!(d.hint.contains("drop `sort:`"), "{d}");
}

#[test]
fn group_by_a_number_field_sorts_numerically_and_sorts_by_value_on_request() {
    let fx = with_chart("type: bar\ngroup: temp\naggregate: count\nseries: [rain]\n");
    fx.write(
        "content/data/days.csv",
        "day,when,rain,temp,sky\na,2013-01-01,1,10,sun\nb,2013-01-02,1,9,sun\nc,2013-01-03,1,10,fog\nd,2013-01-04,1,100,fog\n",
    );
    let m = marks(&fx);
    assert_eq!(keys(&m), ["9", "10", "100"]);
    assert_eq!(values(&m), [1.0, 2.0, 1.0]);
    fx.replace(INTRO, "aggregate: count", "aggregate: count\nsort: desc");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["10", "9", "100"]);
}

#[test]
fn filter_and_group_by_row_keys_that_are_dates() {
    let fx = with_chart(
        "type: bar\nfilter: {key: {from: \"2013-01\", to: \"2013-02\"}}\ngroup: {by: key, every: month}\nseries: [rain]\n",
    );
    fx.write(
        "content/data/days.csv",
        "when,rain,temp,sky\n2013-01-05,1,4,sun\n2013-01-20,2,6,sun\n2013-02-02,4,8,fog\n2013-03-01,8,9,fog\n",
    );
    fx.replace("content/data/days.yaml", "  when: {kind: date, label: \"Day\"}\n", "");
    let m = marks(&fx);
    assert_eq!(keys(&m), ["2013-01", "2013-02"]);
    assert_eq!(values(&m), [3.0, 4.0]);
}

#[test]
fn a_chinese_edition_writes_months_and_aggregates_in_chinese() {
    let fx = with_chart("type: bar\ngroup: {by: when, every: month}\naggregate: mean\nseries: [temp]\n");
    fx.replace("content/report.yaml", "lang: en", "lang: zh");
    marks(&fx);
    let html = fx.index_html();
    let fig = &html[html.find("id=\"fig-days\"").unwrap()..];
    let fig = &fig[..fig.find("</figure>").unwrap()];
    for label in ["2012年12月", "2013年1月", "2013年2月", "2014年3月"] {
        assert!(fig.contains(&format!(">{label}</th>")), "no row `{label}` in:\n{fig}");
    }
    assert!(fig.contains("Temperature（平均）"), "{fig}");
}
