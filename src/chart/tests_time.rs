//! Date axes and scatter plots, read back from the SVG: ticks on round
//! calendar dates at positions proportional to time, gaps left open, dots
//! where their data says.

use super::tests::{El, Unit, elements};
use super::time::days_from_civil;
use super::*;
use crate::epoch::civil_from_days;

/// A chart of `kind` with one point per day in `days`, one series per
/// value function.
fn dated(kind: ChartKind, days: &[i64], series: &[fn(usize) -> f64]) -> ChartInput {
    ChartInput {
        id: "fig-t".into(),
        kind,
        title: "Dated".into(),
        categories: days
            .iter()
            .map(|d| {
                let (y, m, dd) = civil_from_days(*d);
                let iso = format!("{y}-{m:02}-{dd:02}");
                Category {
                    key: iso.clone(),
                    label: iso,
                }
            })
            .collect(),
        series: series
            .iter()
            .enumerate()
            .map(|(j, f)| Series {
                key: format!("s{j}"),
                label: format!("Series {j}"),
                values: (0..days.len()).map(|i| Some(f(i))).collect(),
                ..Series::default()
            })
            .collect(),
        x: Some(XAxis::Date(days.to_vec())),
        ..ChartInput::default()
    }
}

fn render_els(c: &ChartInput) -> (String, Vec<El>) {
    let s = render(c, &Unit("USD bn")).unwrap_or_else(|e| panic!("{e}"));
    let els = elements(&s);
    (s, els)
}

fn polylines(els: &[El]) -> Vec<Vec<(f64, f64)>> {
    els.iter()
        .filter(|e| e.tag == "polyline" && e.get("class") == Some("line"))
        .map(El::points)
        .collect()
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Reads an English tick label back as a day: "Mar 2012", "Apr" (year from
/// the label before), "2014".
fn tick_day(label: &str, year: &mut i64) -> Option<i64> {
    let mut parts = label.split(' ');
    let first = parts.next()?;
    if let Ok(y) = first.parse::<i64>() {
        *year = y;
        return Some(days_from_civil(y, 1, 1));
    }
    let m = MONTHS.iter().position(|m| *m == first)? as u32 + 1;
    if let Some(y) = parts.next() {
        *year = y.parse().ok()?;
    }
    Some(days_from_civil(*year, m, 1))
}

/// Asserts the x tick labels name first-of-month or first-of-year dates
/// and sit where those dates fall along the line; returns the labels.
fn ticks_proportional(c: &ChartInput) -> Vec<String> {
    let (_, els) = render_els(c);
    let Some(XAxis::Date(days)) = &c.x else { panic!("dated") };
    let lines = polylines(&els);
    let (x0, x1) = (lines[0][0].0, lines.last().unwrap().last().unwrap().0);
    let (d0, d1) = (days[0] as f64, *days.last().unwrap() as f64);
    let mut year = 0;
    let mut labels = Vec::new();
    for t in els.iter().filter(|e| e.tag == "text") {
        let Some(day) = tick_day(&t.text, &mut year) else {
            continue;
        };
        let want = x0 + (day as f64 - d0) / (d1 - d0) * (x1 - x0);
        assert!(
            (t.num("x") - want).abs() < 0.05,
            "tick `{}` at x {} but its date falls at {want:.2}",
            t.text,
            t.num("x")
        );
        labels.push(t.text.clone());
    }
    assert!(labels.len() >= 3, "too few date ticks: {labels:?}");
    labels
}

#[test]
fn date_ticks_fall_on_round_months_and_years() {
    let start = days_from_civil(2012, 1, 17);
    let daily: Vec<i64> = (0..500).map(|i| start + i).collect();
    let c = dated(ChartKind::Line, &daily, &[|i| 50.0 + (i % 17) as f64]);
    let labels = ticks_proportional(&c);
    assert!(["Feb 2012", "Mar 2012"].contains(&labels[0].as_str()), "{labels:?}");
    assert!(labels.contains(&"Jan 2013".to_string()), "{labels:?}");
    let ten_years: Vec<i64> = (0..3653).map(|i| days_from_civil(2010, 1, 1) + i).collect();
    let c = dated(ChartKind::Area, &ten_years, &[|i| (i % 100) as f64]);
    let labels = ticks_proportional(&c);
    assert!(labels.iter().all(|l| l.len() == 4), "years only: {labels:?}");
    let (svg, _) = render_els(&c);
    assert!(svg.len() < 200_000, "a 10-year daily line is {} bytes", svg.len());
}

#[test]
fn date_ticks_speak_the_chart_language() {
    let monthly: Vec<i64> = (0..8).map(|m| days_from_civil(2012, 2 + m, 10)).collect();
    let mut c = dated(ChartKind::Line, &monthly, &[|i| i as f64]);
    c.words = crate::i18n::chinese().chart.clone();
    let (_, els) = render_els(&c);
    let texts: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect();
    assert!(texts.contains(&"2012年3月"), "{texts:?}");
    assert!(texts.contains(&"4月"), "{texts:?}");
}

#[test]
fn a_gap_in_the_dates_breaks_the_line() {
    let mut days: Vec<i64> = (0..12).map(|m| days_from_civil(2015, 1 + m, 1)).collect();
    days.extend((6..12).map(|m| days_from_civil(2016, 1 + m, 1)));
    let c = dated(ChartKind::Line, &days, &[|i| 10.0 + i as f64]);
    let (_, els) = render_els(&c);
    let lines = polylines(&els);
    assert_eq!(lines.len(), 2, "one segment per run of months");
    assert_eq!((lines[0].len(), lines[1].len()), (12, 6));
    let mut missing = dated(ChartKind::Line, &days[..12], &[|i| i as f64]);
    missing.series[0].values[5] = None;
    assert_eq!(
        polylines(&render_els(&missing).1).len(),
        2,
        "a missing value breaks too"
    );
}

#[test]
fn continuous_x_axis_has_its_title_under_the_ticks() {
    let years: Vec<f64> = (0..10).map(|i| 2000.0 + f64::from(i)).collect();
    let mut c = dated(ChartKind::Line, &[0; 10], &[|i| i as f64]);
    c.x = Some(XAxis::Number(years));
    c.x_label = "Year of release".into();
    let (_, els) = render_els(&c);
    let title = els.iter().find(|e| e.text == "Year of release").expect("x title drawn");
    let lowest_tick = els
        .iter()
        .filter(|e| e.tag == "text" && e.text.starts_with("200"))
        .map(|e| e.num("y"))
        .fold(f64::MIN, f64::max);
    assert!(title.num("y") > lowest_tick + 10.0, "the title sits under the ticks");
}

fn scatter(n: usize, series: usize) -> ChartInput {
    let mut c = dated(ChartKind::Scatter, &vec![0; n], &[]);
    c.series = (0..series)
        .map(|j| Series {
            key: format!("s{j}"),
            label: format!("Group {j}"),
            values: (0..n)
                .map(|i| Some(((i * 7919 + j * 31) % 1000) as f64 / 10.0 + 20.0))
                .collect(),
            ..Series::default()
        })
        .collect();
    c.x = Some(XAxis::Number(
        (0..n).map(|i| ((i * 104_729) % 997) as f64 + 50.0).collect(),
    ));
    c.x_label = "Horsepower".into();
    c
}

#[test]
fn scatter_dots_sit_at_x_and_value() {
    let c = scatter(40, 2);
    let (_, els) = render_els(&c);
    let dots: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("mark")).collect();
    assert_eq!(dots.len(), 80, "a dot per row and series");
    assert!(dots.iter().all(|d| d.tag == "circle"));
    assert!(polylines(&els).is_empty(), "a scatter plot draws no lines");
    // Both axes linear: cx and cy are affine in x and value.
    let fit = |coord: &str, data: &str| {
        let by = |a: &&&El, b: &&&El| a.num(data).total_cmp(&b.num(data));
        let (a, b) = (dots.iter().min_by(by).unwrap(), dots.iter().max_by(by).unwrap());
        let k = (b.num(coord) - a.num(coord)) / (b.num(data) - a.num(data));
        for d in &dots {
            let want = a.num(coord) + (d.num(data) - a.num(data)) * k;
            assert!((d.num(coord) - want).abs() < 0.05, "{coord} of {:?}", d.attrs);
        }
        k
    };
    assert!(fit("cx", "data-x") > 0.0);
    assert!(fit("cy", "data-value") < 0.0, "larger values sit higher");
    let texts: Vec<&str> = els
        .iter()
        .filter(|e| e.tag == "text")
        .map(|e| e.text.as_str())
        .collect();
    assert!(
        texts.contains(&"Group 0") && texts.contains(&"Group 1"),
        "a legend names the series"
    );
    assert!(texts.contains(&"Horsepower"));
}

#[test]
fn ten_thousand_dots_stay_small_and_summed_up() {
    let c = scatter(10_000, 1);
    let (svg, els) = render_els(&c);
    assert!(svg.len() < 1_000_000, "{} bytes", svg.len());
    let paths: Vec<&El> = els.iter().filter(|e| e.get("class") == Some("dots")).collect();
    assert_eq!(paths.len(), 1);
    assert_eq!(paths[0].get("d").unwrap().matches('M').count(), 10_000);
    assert_eq!(paths[0].get("data-series"), Some("s0"));
    let desc = &els[2].text;
    assert!(desc.len() < 600 && desc.contains("10000 values"), "{desc}");
}

#[test]
fn scatter_needs_an_x_but_not_an_order() {
    let mut c = scatter(5, 1);
    c.x = None;
    let e = render(&c, &Unit("USD bn")).unwrap_err().0;
    assert!(e.contains("scatter plot") && e.contains("x"), "{e}");
    let mut c = scatter(5, 1);
    c.x = Some(XAxis::Number(vec![5.0, 1.0, 3.0, 2.0, 4.0]));
    assert!(render(&c, &Unit("USD bn")).is_ok(), "dots in any order");
    c.x = Some(XAxis::Number(vec![5.0, f64::NAN, 3.0, 2.0, 4.0]));
    assert!(render(&c, &Unit("USD bn")).unwrap_err().0.contains("finite"));
}
