//! `cargo bench --bench chart`: charts per second for each chart kind, as a
//! ratio against a bare plotters bar chart (SVGBackend, same 12 categories)
//! drawn in the same run, so the number compares across machines. Also the
//! time of one 1,000-point line, and a faceted bar chart (6 panels of 12).

use std::hint::black_box;
use std::time::{Duration, Instant};

use plotters::prelude::*;
use quire::chart::{Category, ChartInput, ChartKind, Panel, Series, ValueFormat, XAxis, render};

struct Usd;

impl ValueFormat for Usd {
    fn format(&self, v: f64, d: usize) -> String {
        format!("USD {v:.d$} bn")
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn input(kind: ChartKind, n: usize, series: usize) -> ChartInput {
    ChartInput {
        id: "fig-bench".into(),
        kind,
        title: "Bench".into(),
        categories: (0..n)
            .map(|i| Category {
                key: format!("k{i}"),
                label: format!("{} {}", MONTHS[i % 12], 2000 + i / 12),
            })
            .collect(),
        series: (0..series)
            .map(|s| Series {
                key: format!("s{s}"),
                label: format!("Series {s}"),
                values: (0..n).map(|i| Some(10.0 + ((i * 37 + s * 11) % 90) as f64)).collect(),
                derived: (0..n).map(|i| i % 5 == 0).collect(),
                ..Series::default()
            })
            .collect(),
        ..ChartInput::default()
    }
}

/// A plain plotters bar chart: axes with labels and 12 bars.
fn bare_plotters(values: &[f64]) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (640, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .x_label_area_size(30)
            .y_label_area_size(50)
            .margin(8)
            .build_cartesian_2d(0.0..values.len() as f64, 0.0..100.0)
            .expect("chart");
        chart.configure_mesh().draw().expect("mesh");
        chart
            .draw_series(values.iter().enumerate().map(|(i, v)| {
                let x = i as f64;
                Rectangle::new([(x + 0.2, 0.0), (x + 0.8, *v)], BLUE.filled())
            }))
            .expect("bars");
        root.present().expect("present");
    }
    out
}

/// CPU seconds this thread has used so far.
fn thread_cpu() -> f64 {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Charts per second of `f`, run for about `budget`. With
/// `QUIRE_BENCH_CPU=1` the seconds are this thread's CPU time, so on a
/// machine shared with other builds their load does not count.
fn rate(budget: Duration, mut f: impl FnMut() -> usize) -> f64 {
    let cpu = std::env::var("QUIRE_BENCH_CPU").is_ok_and(|v| v == "1");
    for _ in 0..20 {
        black_box(f());
    }
    let (start, cpu0) = (Instant::now(), thread_cpu());
    let mut n = 0u64;
    while start.elapsed() < budget {
        black_box(f());
        n += 1;
    }
    let secs = if cpu {
        thread_cpu() - cpu0
    } else {
        start.elapsed().as_secs_f64()
    };
    n as f64 / secs
}

fn main() {
    let budget = Duration::from_millis(
        std::env::var("QUIRE_BENCH_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1500),
    );
    let values: Vec<f64> = (0..12).map(|i| 10.0 + f64::from(i * 37 % 90)).collect();
    let base = rate(budget, || bare_plotters(&values).len());
    // One thread throughout: every rate is per core.
    println!("bare plotters bar chart (12 bars): {base:>9.0} charts/s per core");
    // Six small multiples of 12 bars each, sharing one scale.
    let mut facets = input(ChartKind::Bar, 72, 1);
    facets.panels = (0..6)
        .map(|p| Panel {
            key: format!("p{p}"),
            label: format!("Panel {p}"),
            rows: p * 12..(p + 1) * 12,
        })
        .collect();
    let cases = [
        ("bar, 12 categories", input(ChartKind::Bar, 12, 1)),
        ("bar, 6 panels x 12 (facet)", facets),
        ("hbar, 12 categories", input(ChartKind::HBar, 12, 1)),
        ("stacked bar, 12 x 3", input(ChartKind::StackedBar, 12, 3)),
        ("grouped bar, 12 x 3", input(ChartKind::GroupedBar, 12, 3)),
        ("line, 500 points x 4", input(ChartKind::Line, 500, 4)),
        ("donut, 5 parts", input(ChartKind::Donut, 5, 1)),
    ];
    // `QUIRE_BENCH_ONLY=line` runs only the cases whose name starts so.
    let only = std::env::var("QUIRE_BENCH_ONLY").unwrap_or_default();
    for (name, c) in cases.iter().filter(|(n, _)| n.starts_with(only.as_str())) {
        let r = rate(budget, || render(c, &Usd).expect("renders").len());
        println!("{name:<34} {r:>9.0} charts/s  {:>6.3}x plotters", r / base);
    }
    // A 10-year daily line on a date axis and a 10,000-point scatter.
    let mut daily = input(ChartKind::Line, 3653, 1);
    daily.x = Some(XAxis::Date((0..3653).map(|d| 14_610 + d).collect()));
    let mut dots = input(ChartKind::Scatter, 10_000, 1);
    dots.x = Some(XAxis::Number((0..10_000).map(|i| ((i * 7919) % 1000) as f64).collect()));
    for (name, c) in [("date line, 3,653 days", &daily), ("scatter, 10,000 points", &dots)]
        .into_iter()
        .filter(|(n, _)| n.starts_with(only.as_str()))
    {
        let r = rate(budget, || render(c, &Usd).expect("renders").len());
        println!("{name:<34} {:>9.3} ms per chart", 1000.0 / r);
    }
    if "line, 1,000 points".starts_with(only.as_str()) {
        let line = input(ChartKind::Line, 1000, 1);
        let r = rate(budget, || render(&line, &Usd).expect("renders").len());
        println!("line, 1,000 points: {:.3} ms per chart", 1000.0 / r);
    }
}
