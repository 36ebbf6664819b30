//! `cargo bench --bench data`: how long quire takes to load a CSV dataset of
//! 1,000,000 rows, as a ratio against the csv crate alone reading and
//! parsing the same file (the floor any loader pays). The target is at most
//! 2×. It also prints the YAML loader's time for 10,000 and 100,000 rows,
//! whose ratio should stay near 10 (linear).
//!
//! The data is generated into a temporary folder, so the bench needs nothing
//! but itself.

use std::path::Path;
use std::time::{Duration, Instant};

const REPORT: &str = "title: Bench\ndate: \"2026-01-01\"\nsources:\n  paper:\n    publisher: Press\n    title: Paper\n    date: \"1 January\"\n";

const SIDE: &str = "title: Big\nscope: Many rows\nunit: USD bn\nsource: {cites: [paper]}\nfields:\n  usd: Dollars\n  rmb: {label: Renminbi, unit: RMB bn}\n  share: {unit: \"%\"}\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// A project whose one dataset has `n` rows, as CSV or YAML.
fn project(root: &Path, n: usize, csv: bool) {
    write(root, "content/report.yaml", REPORT);
    write(root, "content/sections/01-a.md", "---\ntitle: A\n---\nText.\n");
    if csv {
        write(root, "content/data/big.yaml", SIDE);
        let mut t = String::with_capacity(n * 32);
        t.push_str("key,usd,rmb,share\n");
        for i in 0..n {
            t.push_str(&format!("r{i},{}.25,{},{}\n", i % 1000, i * 7, i % 100));
        }
        write(root, "content/data/big.csv", &t);
    } else {
        let mut t = format!("{SIDE}rows:\n");
        for i in 0..n {
            t.push_str(&format!(
                "  - key: r{i}\n    usd: {}.25\n    rmb: {}\n    share: {}\n",
                i % 1000,
                i * 7,
                i % 100
            ));
        }
        write(root, "content/data/big.yaml", &t);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The csv crate alone: read the file and parse every record, UTF-8 checked.
fn baseline(root: &Path) -> usize {
    let bytes = std::fs::read(root.join("content/data/big.csv")).expect("read");
    let mut rdr = csv::Reader::from_reader(&bytes[..]);
    let mut rec = csv::StringRecord::new();
    let mut n = 0;
    while rdr.read_record(&mut rec).expect("valid CSV") {
        n += rec.len();
    }
    n
}

/// Loads the project; returns the report so that freeing it is not timed
/// (the baseline keeps nothing to free either).
fn load(root: &Path) -> quire::model::Report {
    let mut files = quire::diag::SourceMap::default();
    quire::load::load(root, &mut files).expect("the bench project loads")
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 1_000_000;
    project(dir.path(), n, true);
    let runs = 7;
    let (mut base, mut quire) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(baseline(dir.path()));
        base.push(t.elapsed());
        let t = Instant::now();
        let report = std::hint::black_box(load(dir.path()));
        quire.push(t.elapsed());
        assert_eq!(report.datasets[0].rows.len(), n);
    }
    let (b, q) = (median(base), median(quire));
    println!("csv crate alone, {n} rows: {:>8.1} ms", b.as_secs_f64() * 1e3);
    println!(
        "quire load,      {n} rows: {:>8.1} ms  ({:.2}× the csv crate; target ≤ 2×)",
        q.as_secs_f64() * 1e3,
        q.as_secs_f64() / b.as_secs_f64()
    );

    let mut yaml = Vec::new();
    for n in [10_000, 100_000] {
        let dir = tempfile::tempdir().expect("temp dir");
        project(dir.path(), n, false);
        let t = median(
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    let report = load(dir.path());
                    let elapsed = t.elapsed();
                    assert_eq!(report.datasets[0].rows.len(), n);
                    elapsed
                })
                .collect(),
        );
        println!("quire load, YAML, {n:>7} rows: {:>8.1} ms", t.as_secs_f64() * 1e3);
        yaml.push(t);
    }
    println!(
        "YAML: 10× the rows took {:.1}× the time (linear is 10)",
        yaml[1].as_secs_f64() / yaml[0].as_secs_f64()
    );
}
