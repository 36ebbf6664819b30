//! `cargo bench --bench data`: how long quire takes to load a CSV dataset of
//! 1,000,000 rows (three number columns and a date column), as a ratio
//! against the csv crate alone reading and parsing the same file (the floor
//! any loader pays); the target is at most 2×. Then the same for loading and
//! computing the values, the peak memory (VmHWM) of that, and a full build
//! of a report with that dataset and one small chart. Each ratio is given
//! in wall time and in the process's CPU time (all threads), the steadier of
//! the two on a machine shared with other jobs. It also prints the
//! YAML loader's time for 10,000 and 100,000 rows, whose ratio should stay
//! near 10 (linear).
//!
//! The data is generated into a temporary folder, so the bench needs nothing
//! but itself.

use std::path::Path;
use std::time::{Duration, Instant};

const REPORT: &str = "title: Bench\ndate: \"2026-01-01\"\nsources:\n  paper:\n    publisher: Press\n    title: Paper\n    date: \"1 January\"\n";

const SIDE: &str = "title: Big\nscope: Many rows\nunit: USD bn\nsource: {cites: [paper]}\nfields:\n  usd: Dollars\n  rmb: {label: Renminbi, unit: RMB bn}\n  share: {unit: \"%\"}\n";

/// The section of the CSV project: a bound value, a typed number (so the
/// check for numbers that should be bound reads every value) and a chart.
const SECTION: &str = "---\ntitle: A\n---\nRow one stated {{big.r1.usd}} in 2024.\n\n```chart\nid: big\ntype: bar\ndata: big\nseries: [usd]\nrows: [r1, r2, r3, r4]\ntitle: \"Dollars\"\ndescription: \"Four rows.\"\n```\n";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

/// A project whose one dataset has `n` rows, as CSV or YAML.
fn project(root: &Path, n: usize, csv: bool) {
    write(root, "content/report.yaml", REPORT);
    if csv {
        write(root, "content/sections/01-a.md", SECTION);
        write(
            root,
            "content/data/big.yaml",
            &format!("{SIDE}  when: {{kind: date}}\n"),
        );
        let mut t = String::with_capacity(n * 48);
        t.push_str("key,usd,rmb,share,when\n");
        for i in 0..n {
            let (y, m, d) = (1990 + i % 30, 1 + i % 12, 1 + i % 28);
            let rmb = i * 7 % 100_000;
            t.push_str(&format!("r{i},{}.25,{rmb},{},{y}-{m:02}-{d:02}\n", i % 1000, i % 100));
        }
        write(root, "content/data/big.csv", &t);
    } else {
        write(root, "content/sections/01-a.md", "---\ntitle: A\n---\nText.\n");
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

/// CPU time (user and system) of the whole process, every thread counted
/// (the loader may read a large file in two halves at once), from
/// `getrusage`: on a machine shared with other jobs it varies far less than
/// wall time. `None` where the system does not say.
fn cpu_time() -> Option<Duration> {
    #[cfg(unix)]
    {
        // SAFETY: `getrusage` only writes the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
            return None;
        }
        let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
        Some(Duration::from_micros(micros(usage.ru_utime) + micros(usage.ru_stime)))
    }
    #[cfg(not(unix))]
    None
}

/// Runs `f`, returning its wall time and CPU time (zero when unknown).
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (t, c) = (Instant::now(), cpu_time());
    let out = std::hint::black_box(f());
    let cpu = match (c, cpu_time()) {
        (Some(a), Some(b)) => b - a,
        _ => Duration::ZERO,
    };
    (out, t.elapsed(), cpu)
}

/// Resets the peak resident size the kernel reports (Linux; elsewhere a no-op).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident size since the last [`reset_peak`], in MiB, from `VmHWM`.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let n = 1_000_000;
    project(dir.path(), n, true);
    let runs = 7;
    // Wall and CPU times of: the csv crate, quire's load, load + values.
    let mut times: [[Vec<Duration>; 2]; 3] = Default::default();
    let mut record = |what: usize, wall: Duration, cpu: Duration| {
        times[what][0].push(wall);
        times[what][1].push(cpu);
    };
    let mut peak = None;
    for i in 0..runs {
        let (_, wall, cpu) = timed(|| baseline(dir.path()));
        record(0, wall, cpu);
        let (report, wall, cpu) = timed(|| load(dir.path()));
        record(1, wall, cpu);
        assert_eq!(report.datasets[0].rows.len(), n);
        drop(report);
        if i == 0 {
            reset_peak();
        }
        let ((report, values), wall, cpu) = timed(|| {
            let report = load(dir.path());
            let values = quire::values::Values::compute(&report).expect("the values compute");
            (report, values)
        });
        record(2, wall, cpu);
        assert_eq!(values.get("big.r1.usd").map(|v| v.q.value), Some(1.25e9));
        if i == 0 {
            peak = peak_mib();
        }
        drop((values, report));
    }
    let [b, q, v] = times.map(|[wall, cpu]| (median(wall), median(cpu)));
    let ratio = |d: (Duration, Duration)| {
        let cpu = if b.1.is_zero() {
            f64::NAN
        } else {
            d.1.as_secs_f64() / b.1.as_secs_f64()
        };
        format!(
            "{:>8.1} ms  ({:.2}× the csv crate; CPU time {:.2}×)",
            d.0.as_secs_f64() * 1e3,
            d.0.as_secs_f64() / b.0.as_secs_f64(),
            cpu
        )
    };
    println!("csv crate alone, {n} rows: {:>8.1} ms", b.0.as_secs_f64() * 1e3);
    println!("quire load,      {n} rows: {}; target ≤ 2×", ratio(q));
    println!("load + values,   {n} rows: {}", ratio(v));
    match peak {
        Some(mib) => println!("peak memory (VmHWM) of load + values: {mib:>6.0} MiB"),
        None => println!("peak memory: not reported on this system"),
    }
    let out = tempfile::tempdir().expect("temp dir");
    let builds: Vec<(Duration, Duration)> = (0..3)
        .map(|i| {
            let (outcome, wall, cpu) = timed(|| quire::build(dir.path(), &out.path().join(format!("out-{i}"))));
            assert!(!outcome.failed(), "the big report builds: {:?}", outcome.diagnostics);
            (wall, cpu)
        })
        .collect();
    let build = (
        median(builds.iter().map(|b| b.0).collect()),
        median(builds.iter().map(|b| b.1).collect()),
    );
    println!("full build (one chart), {n} rows: {}", ratio(build));

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
