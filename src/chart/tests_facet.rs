//! Small multiples read back from the SVG: one panel per value, one value
//! scale shared by every panel, labels apart, one accessible figure that
//! fits a printed page, and refusals for panels that cannot be drawn.

use super::tests::{El, Unit, chart, elements, view_box};
use super::tests_crowd::assert_clear;
use super::theme::MAX_ROWS_H;
use super::*;

/// `kind` over the years 2012–2015 in `panels.len()` panels, panel `p`
/// holding `values(p, year)`.
fn faceted(kind: ChartKind, panels: &[&str], values: impl Fn(usize, usize) -> f64) -> ChartInput {
    let years = [("y12", "2012"), ("y13", "2013"), ("y14", "2014"), ("y15", "2015")];
    let cats: Vec<(&str, &str)> = panels.iter().flat_map(|_| years).collect();
    let vals: Vec<f64> = (0..panels.len())
        .flat_map(|p| (0..years.len()).map(move |y| (p, y)))
        .map(|(p, y)| values(p, y))
        .collect();
    let mut input = chart(kind, &cats, &[("days", &vals)]);
    input.panels = panels
        .iter()
        .enumerate()
        .map(|(i, p)| Panel {
            key: p.to_lowercase(),
            label: (*p).to_string(),
            rows: i * years.len()..(i + 1) * years.len(),
        })
        .collect();
    input
}

const KINDS: [&str; 5] = ["Drizzle", "Rain", "Sun", "Snow", "Fog"];

/// Panel `p`, year `y`: every panel holds a 40 somewhere, so the shared
/// scale can be read off equal values.
fn days(p: usize, y: usize) -> f64 {
    if y == p % 4 {
        40.0
    } else {
        (10 + p * 37 + y * 11) as f64 % 90.0 + 1.0
    }
}

fn svg(input: &ChartInput) -> String {
    render(input, &Unit("")).unwrap_or_else(|e| panic!("{e}"))
}

/// The marks of each panel, in panel order, by `data-panel`.
fn panels(els: &[El]) -> Vec<(String, Vec<&El>)> {
    let mut out: Vec<(String, Vec<&El>)> = Vec::new();
    for e in els {
        if e.tag == "g" {
            out.push((e.get("data-panel").unwrap().to_string(), Vec::new()));
        } else if e.get("class") == Some("mark") {
            out.last_mut().expect("marks inside a panel").1.push(e);
        }
    }
    out
}

#[test]
fn one_panel_per_value_each_a_labelled_group() {
    for kind in [
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::Line,
        ChartKind::StackedColumn,
    ] {
        let input = faceted(kind, &KINDS, days);
        let s = svg(&input);
        let els = elements(&s);
        assert_eq!(els.iter().filter(|e| e.get("role") == Some("img")).count(), 1);
        let groups: Vec<&El> = els.iter().filter(|e| e.tag == "g").collect();
        let labels: Vec<&str> = groups.iter().map(|g| g.get("aria-label").unwrap()).collect();
        assert_eq!(labels, KINDS, "{kind:?}");
        assert!(groups.iter().all(|g| g.get("role") == Some("group")));
        // Each panel is titled by its value, and its marks carry their data.
        for (key, marks) in panels(&els) {
            assert_eq!(marks.len(), 4, "{kind:?} {key}");
            assert!(
                marks
                    .iter()
                    .all(|m| m.get("data-key").is_some() && m.get("data-value").is_some())
            );
        }
        for k in KINDS {
            assert_eq!(
                els.iter().filter(|e| e.tag == "text" && e.text == k).count(),
                1,
                "{kind:?} {k}"
            );
        }
        assert_eq!(s.matches("<g ").count(), s.matches("</g>").count());
    }
}

#[test]
fn every_panel_shares_one_value_scale() {
    let length = |kind: ChartKind, m: &El| match kind {
        ChartKind::HBar => m.num("width"),
        _ => m.num("height"),
    };
    for kind in [ChartKind::Bar, ChartKind::HBar] {
        let els = elements(&svg(&faceted(kind, &KINDS, days)));
        let fours: Vec<f64> = panels(&els)
            .iter()
            .map(|(_, m)| {
                let m = m
                    .iter()
                    .find(|m| m.num("data-value") == 40.0)
                    .expect("a 40 in every panel");
                length(kind, m)
            })
            .collect();
        assert!(fours.iter().all(|l| (l - fours[0]).abs() < 0.01), "{kind:?}: {fours:?}");
        // And lengths stay proportional to values across panels.
        let k = fours[0] / 40.0;
        for (_, marks) in panels(&els) {
            for m in marks {
                assert!((length(kind, m) - m.num("data-value") * k).abs() <= 0.5, "{kind:?}");
            }
        }
    }
    // Lines: one value lies at one height above each panel's baseline.
    let els = elements(&svg(&faceted(ChartKind::Line, &KINDS, days)));
    let rise: Vec<f64> = panels(&els)
        .iter()
        .map(|(_, m)| {
            let at = |v: f64| m.iter().find(|e| e.num("data-value") == v).map(|e| e.num("cy"));
            let forty = at(40.0).unwrap();
            let other = m.iter().find(|e| e.num("data-value") != 40.0).unwrap();
            (other.num("cy") - forty) / (40.0 - other.num("data-value"))
        })
        .collect();
    assert!(rise.iter().all(|r| (r - rise[0]).abs() < 0.01), "{rise:?}");
}

#[test]
fn panels_keep_labels_apart_and_fit_a_page() {
    let many: Vec<String> = (0..MAX_PANELS).map(|i| format!("Weather station {i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for kind in [
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::GroupedBar,
        ChartKind::StackedBar,
        ChartKind::Line,
        ChartKind::Area,
    ] {
        for names in [&KINDS[..], &many[..]] {
            let mut input = faceted(kind, names, days);
            if kind == ChartKind::GroupedBar || kind == ChartKind::StackedBar {
                let mut other = input.series[0].clone();
                other.key = "other".into();
                other.label = "Other days".into();
                input.series.push(other);
            }
            let s = svg(&input);
            assert_clear(&format!("{kind:?} x{}", names.len()), &s);
            let vb = view_box(&elements(&s));
            assert!(
                vb[3] <= MAX_ROWS_H + 120.0,
                "{kind:?} x{}: {} px tall",
                names.len(),
                vb[3]
            );
        }
    }
}

#[test]
fn one_legend_only_for_several_series() {
    let single = elements(&svg(&faceted(ChartKind::Line, &KINDS, days)));
    assert!(
        !single.iter().any(|e| e.text == "Series days"),
        "no legend for one series"
    );
    let mut two = faceted(ChartKind::Line, &KINDS, days);
    let mut other = two.series[0].clone();
    other.key = "b".into();
    other.label = "Series b".into();
    two.series.push(other);
    let els = elements(&svg(&two));
    for label in ["Series days", "Series b"] {
        assert_eq!(els.iter().filter(|e| e.text == label).count(), 1, "{label} once");
    }
}

#[test]
fn the_description_reads_every_panel() {
    let input = faceted(ChartKind::Bar, &KINDS, days);
    let d = describe(&input, &Unit(""));
    let mut at = 0;
    for k in KINDS {
        let i = d[at..]
            .find(&format!("{k}: "))
            .unwrap_or_else(|| panic!("{k} missing in {d}"))
            + at;
        at = i + 1;
    }
    assert!(d.contains(". Fog: 2012: 40; 2013: 80; 2014: 1; 2015: 12."), "{d}");
    let s = svg(&input);
    assert!(s.contains(&format!("<desc id=\"fig-x-desc\">{d}</desc>")));
    assert_eq!(s, svg(&input), "same input, same bytes");
}

#[test]
fn panels_that_cannot_be_drawn_are_refused() {
    let mut too_many = faceted(ChartKind::Bar, &["a"; MAX_PANELS + 1], days);
    too_many
        .panels
        .iter_mut()
        .enumerate()
        .for_each(|(i, p)| p.key = format!("p{i}"));
    assert!(render(&too_many, &Unit("")).unwrap_err().0.contains("too many"));
    let mut gap = faceted(ChartKind::Bar, &KINDS, days);
    gap.panels[1].rows.start += 1;
    assert!(render(&gap, &Unit("")).unwrap_err().0.contains("in order"));
    let mut donut = faceted(ChartKind::Donut, &KINDS, days);
    donut.series[0].values.iter_mut().for_each(|v| *v = v.map(f64::abs));
    assert!(render(&donut, &Unit("")).unwrap_err().0.contains("donut"));
    // x restarts in each panel: each must increase on its own.
    let mut line = faceted(ChartKind::Line, &KINDS, days);
    line.x = Some(XAxis::Number((0..20).map(|i| f64::from(2012 + i % 4)).collect()));
    assert!(render(&line, &Unit("")).is_ok());
    if let Some(XAxis::Number(x)) = &mut line.x {
        x[6] = 2012.0;
    }
    assert!(render(&line, &Unit("")).unwrap_err().0.contains("increase"));
}

#[test]
fn facets_grow_linearly_with_the_data() {
    let sized = |n: usize| {
        let mut input = faceted(ChartKind::Line, &KINDS[..4], days);
        let cats: Vec<(String, String)> = (0..4 * n).map(|i| (format!("k{i}"), format!("{i}"))).collect();
        let cats: Vec<(&str, &str)> = cats.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
        let vals: Vec<f64> = (0..4 * n).map(|i| (i * 37 % 90) as f64).collect();
        let panels = input.panels.clone();
        input = chart(ChartKind::Line, &cats, &[("days", &vals)]);
        input.x = Some(XAxis::Number((0..4 * n).map(|i| (i % n) as f64).collect()));
        input.panels = panels
            .into_iter()
            .enumerate()
            .map(|(i, p)| Panel {
                rows: i * n..(i + 1) * n,
                ..p
            })
            .collect();
        input
    };
    let (small, large) = (sized(300), sized(3000));
    let draw = |input: &ChartInput| {
        std::hint::black_box(render(input, &Unit("")).unwrap());
    };
    let ratio = crate::scaling::time_ratio(|| draw(&small), || draw(&large));
    assert!(ratio < 30.0, "10x the data took {ratio:.1}x the time");
}

/// The first panel's value axis: the numbers of its tick labels (the only
/// muted text at the tick size) and how many gridlines it draws (one per
/// tick but zero's, labelled or not).
fn first_panel_axis(s: &str) -> (Vec<f64>, usize) {
    let els = elements(s);
    let first = els.iter().position(|e| e.tag == "g").expect("a panel");
    let panel: Vec<&El> = els[first + 1..].iter().take_while(|e| e.tag != "g").collect();
    let labels = panel
        .iter()
        .filter(|e| e.tag == "text" && e.get("font-size") == Some("12") && e.get("fill-opacity") == Some("0.72"))
        .map(|e| {
            let n: String = e.text.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            n.parse().unwrap_or_else(|_| panic!("tick `{}`", e.text))
        })
        .collect();
    let grid = panel.iter().filter(|e| e.get("stroke-opacity") == Some("0.16")).count();
    (labels, grid)
}

#[test]
fn a_shared_value_axis_ends_close_beyond_the_largest_value() {
    let top = 211.0;
    let values = |p: usize, y: usize| if (p, y) == (1, 2) { top } else { days(p, y) };
    for kind in [ChartKind::HBar, ChartKind::Bar] {
        for unit in ["", "USD m"] {
            let s = render(&faceted(kind, &KINDS, values), &Unit(unit)).unwrap();
            let (labels, grid) = first_panel_axis(&s);
            let what = format!("{kind:?} {unit:?}: labels {labels:?}, {grid} gridlines");
            assert!(labels.len() >= 2 && labels[0] == 0.0 && grid >= 2, "{what}");
            let end = labels[labels.len() - 1];
            let step = end / grid as f64;
            // The axis ends, labelled, on the first round tick at or beyond
            // the data, and that tick is not a coarse step of twice the data.
            assert!(end >= top && end - top < step, "{what}");
            assert!(end <= 1.5 * top, "{what}: coarse axis");
        }
    }
    // Unitless, the panels tick like a single chart of the same data.
    let s = svg(&faceted(ChartKind::HBar, &KINDS, values));
    assert_eq!(first_panel_axis(&s), (vec![0.0, 50.0, 100.0, 150.0, 200.0, 250.0], 5));
}

#[test]
fn axis_titles_are_written_once_for_the_grid() {
    for kind in [ChartKind::Line, ChartKind::Scatter] {
        let mut input = faceted(kind, &KINDS, days);
        input.x = Some(XAxis::Number((0..20).map(|i| f64::from(2012 + i % 4)).collect()));
        input.x_label = "Year of the reading".into();
        input.unit_label = "Rainy days".into();
        let s = render_standalone(&input, &Unit("")).unwrap();
        let els = elements(&s);
        let texts = |t: &str| els.iter().filter(|e| e.tag == "text" && e.text == t).count();
        assert_eq!(texts("Year of the reading"), 1, "{kind:?}: one x axis title");
        assert_eq!(texts("Rainy days"), 1, "{kind:?}: one unit (y axis) title");
        // Under the bottom row (below every tick label) and centred on the grid.
        let title = els.iter().find(|e| e.text == "Year of the reading").unwrap();
        let lowest_tick = els
            .iter()
            .filter(|e| e.tag == "text" && e.get("font-size") == Some("12") && e.text.starts_with("201"))
            .map(|e| e.num("y"))
            .fold(f64::MIN, f64::max);
        assert!(title.num("y") > lowest_tick, "{kind:?}: title above a tick label");
        assert!(
            (title.num("x") - theme::WIDTH / 2.0).abs() < 1.0,
            "{kind:?}: not centred"
        );
    }
}
