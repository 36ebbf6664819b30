//! Tests on the rendered SVG: structure, accessibility, errors, determinism.
//! Geometry (proportional bars, texts apart and inside) is in `tests_geom`.

use super::*;

/// Formats like the report: "USD 40 bn", "83 %", "17×".
pub struct Unit(pub &'static str);

impl ValueFormat for Unit {
    fn format(&self, v: f64, d: usize) -> String {
        let n = format!("{v:.d$}");
        match self.0 {
            "USD bn" => format!("USD {n} bn"),
            "USD m" => format!("USD {n} m"),
            "%" => format!("{n} %"),
            "×" => format!("{n}×"),
            _ => n,
        }
    }
}

/// A chart of `kind` over (key, label) categories and (key, values) series.
pub fn chart(kind: ChartKind, cats: &[(&str, &str)], series: &[(&str, &[f64])]) -> ChartInput {
    ChartInput {
        id: "fig-x".into(),
        kind,
        title: "Title".into(),
        categories: cats
            .iter()
            .map(|(k, l)| Category {
                key: (*k).into(),
                label: (*l).into(),
            })
            .collect(),
        series: series
            .iter()
            .map(|(k, v)| Series {
                key: (*k).into(),
                label: format!("Series {k}"),
                values: v.iter().map(|x| Some(*x)).collect(),
                ..Series::default()
            })
            .collect(),
        normalize: false,
        range: false,
        scale: Scale::Linear,
        decimals: 0,
        palette: vec![("us".into(), "#0072B2".into()), ("cn".into(), "#D55E00".into())],
        ..ChartInput::default()
    }
}

/// The report's charts, one per kind and feature.
pub fn gallery() -> Vec<(ChartInput, Unit)> {
    let uscn = [("us", "United States"), ("cn", "China")];
    let alloc = [("dc", "Data centres"), ("chips", "Chips"), ("model", "Model")];
    let mut out = vec![(
        chart(ChartKind::HBar, &uscn, &[("usd", &[155.0, 42.0])]),
        Unit("USD bn"),
    )];
    let mut c = chart(
        ChartKind::StackedBar,
        &uscn,
        &[("dc", &[83.0, 70.0]), ("chips", &[5.0, 8.0]), ("model", &[12.0, 22.0])],
    );
    c.normalize = true;
    out.push((c, Unit("%")));
    let mut c = chart(
        ChartKind::GroupedBar,
        &alloc,
        &[("us", &[128.7, 7.8, 18.6]), ("cn", &[29.6, 3.4, 9.3])],
    );
    c.decimals = 1;
    out.push((c, Unit("USD bn")));
    out.push((
        chart(
            ChartKind::Bar,
            &[("rev", "Revenue"), ("burn", "Cash burned")],
            &[("usd", &[12.0, 40.0])],
        ),
        Unit("USD bn"),
    ));
    let cats = [("msft", "Microsoft"), ("ali", "Alibaba Cloud"), ("tc", "Tencent Cloud")];
    out.push((chart(ChartKind::Bar, &cats, &[("pct", &[27.0, 10.0, 10.0])]), Unit("%")));
    out.push((
        chart(
            ChartKind::Bar,
            &[("hs", "Hang Seng Tech"), ("ndx", "Nasdaq-100")],
            &[("pe", &[17.0, 51.0])],
        ),
        Unit("×"),
    ));
    let mut c = chart(
        ChartKind::HBar,
        &[("b", "Before open models"), ("a", "After open models")],
        &[("lo", &[10.0, 1.0]), ("hi", &[100.0, 10.0])],
    );
    c.range = true;
    c.scale = Scale::Log;
    out.push((c, Unit("USD m")));
    out.push((
        chart(ChartKind::Donut, &alloc, &[("cn", &[70.0, 8.0, 22.0])]),
        Unit("%"),
    ));
    out.push((
        chart(ChartKind::Donut, &alloc, &[("cn", &[29.6, 3.4, 9.3])]),
        Unit("USD bn"),
    ));
    let years = [
        ("y1", "2021"),
        ("y2", "2022"),
        ("y3", "2023"),
        ("y4", "2024"),
        ("y5", "2025"),
    ];
    let s: [(&str, &[f64]); 2] = [
        ("us", &[40.0, 55.0, 70.0, 110.0, 155.0]),
        ("cn", &[12.0, 15.0, 20.0, 30.0, 42.0]),
    ];
    out.push((chart(ChartKind::Line, &years, &s), Unit("USD bn")));
    let mut c = chart(
        ChartKind::HBar,
        &[("us", "美国"), ("cn", "中国"), ("x", "阿里云和腾讯云")],
        &[("usd", &[155.0, 42.0, 20.0])],
    );
    c.words = crate::i18n::chinese().chart.clone();
    out.push((c, Unit("USD bn")));
    out
}

pub use super::read::{El, elements, view_box};

fn ok(input: &ChartInput, fmt: &dyn ValueFormat) -> String {
    render(input, fmt).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn root_is_accessible_and_responsive() {
    for (mut input, fmt) in gallery() {
        input.title = "Capex <US & China> \"2025\" 'AI'".into();
        let svg = ok(&input, &fmt);
        let els = elements(&svg);
        let root = &els[0];
        assert_eq!(root.tag, "svg");
        assert!(root.get("viewBox").unwrap().starts_with("0 0 640 "));
        assert_eq!(root.get("width"), None);
        assert_eq!(root.get("height"), None);
        assert_eq!(root.get("role"), Some("img"));
        assert_eq!(root.get("aria-labelledby"), Some("fig-x-title fig-x-desc"));
        assert_eq!((els[1].tag.as_str(), els[1].get("id")), ("title", Some("fig-x-title")));
        assert_eq!(
            els[1].text,
            "Capex &lt;US &amp; China&gt; &quot;2025&quot; &apos;AI&apos;"
        );
        assert_eq!((els[2].tag.as_str(), els[2].get("id")), ("desc", Some("fig-x-desc")));
        for el in &els {
            if let Some(id) = el.get("id") {
                assert!(id.starts_with("fig-x-"), "id {id} not prefixed");
            }
        }
    }
}

#[test]
fn ink_follows_the_page_and_marks_carry_data() {
    for (input, fmt) in gallery() {
        let svg = ok(&input, &fmt);
        assert!(
            !svg.contains("#222222") && !svg.contains("#DDDDDD"),
            "ink left as a fixed colour"
        );
        let marks: Vec<El> = elements(&svg)
            .into_iter()
            .filter(|e| e.get("class") == Some("mark"))
            .collect();
        let values = if input.range {
            input.categories.len()
        } else {
            input.series.iter().map(|s| s.values.len()).sum()
        };
        assert_eq!(marks.len(), values, "{:?}", input.kind);
        for m in &marks {
            assert!(m.get("data-key").is_some() && m.get("data-series").is_some());
            m.num("data-value");
        }
    }
}

#[test]
fn palette_keys_keep_their_colours() {
    let svg = ok(&gallery()[0].0, &Unit("USD bn"));
    let marks: Vec<El> = elements(&svg)
        .into_iter()
        .filter(|e| e.get("class") == Some("mark"))
        .collect();
    assert_eq!(marks[0].get("fill"), Some("#0072B2"));
    assert_eq!(marks[1].get("fill"), Some("#D55E00"));
}

#[test]
fn same_input_same_bytes() {
    for (input, fmt) in gallery() {
        assert_eq!(ok(&input, &fmt), ok(&input, &fmt));
    }
}

#[test]
fn describes_in_words() {
    let (input, fmt) = &gallery()[0];
    assert_eq!(
        describe(input, fmt),
        "Horizontal bar chart. United States: USD 155 bn; China: USD 42 bn."
    );
    let (zh, fmt) = &gallery()[10];
    assert_eq!(
        describe(zh, fmt),
        "横向条形图。美国：USD 155 bn；中国：USD 42 bn；阿里云和腾讯云：USD 20 bn。"
    );
    let (range, fmt) = &gallery()[6];
    assert!(describe(range, fmt).contains("Before open models: USD 10–100 m"));
}

fn err(input: &ChartInput) -> String {
    render(input, &Unit("USD bn")).expect_err("should be refused").0
}

#[test]
fn refuses_what_it_cannot_draw() {
    let uscn = [("us", "United States"), ("cn", "China")];
    let mut c = chart(ChartKind::HBar, &[], &[("usd", &[])]);
    assert!(err(&c).contains("no categories"));
    c = chart(ChartKind::HBar, &uscn, &[("usd", &[1.0, 2.0])]);
    c.series[0].values = vec![None, None];
    assert!(err(&c).contains("no values"));
    c = chart(ChartKind::Donut, &uscn, &[("usd", &[5.0, -1.0])]);
    assert!(err(&c).contains("negative"));
    c = chart(ChartKind::Donut, &uscn, &[("usd", &[0.0, 0.0])]);
    assert!(err(&c).contains("zero"));
    c = chart(ChartKind::HBar, &uscn, &[("usd", &[5.0, 0.0])]);
    c.scale = Scale::Log;
    assert!(err(&c).contains("log scale"));
    c = chart(ChartKind::Bar, &uscn, &[("usd", &[5.0, f64::NAN])]);
    assert!(err(&c).contains("not a finite number"));
    c = chart(ChartKind::HBar, &uscn, &[("lo", &[5.0, 1.0])]);
    c.range = true;
    assert!(err(&c).contains("exactly two series"));
    c = chart(ChartKind::HBar, &uscn, &[("lo", &[5.0, 1.0]), ("hi", &[4.0, 2.0])]);
    c.range = true;
    assert!(err(&c).contains("above the high end"));
    c = chart(ChartKind::Bar, &uscn, &[("a", &[5.0, 1.0]), ("b", &[4.0, 2.0])]);
    assert!(err(&c).contains("grouped-bar"));
    c.id = String::new();
    assert!(err(&c).contains("no id"));
    c.id = "fig capex".into();
    assert!(err(&c).contains("letters, digits"));
}
