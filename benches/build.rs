//! `cargo bench`: how long a full build of the default report (every
//! edition) takes, as a ratio against a baseline that only reads and parses
//! the same files (the floor any report tool pays), and, on its own line,
//! how long printing each edition to PDF takes. Printing a ratio keeps the number
//! comparable across machines; a timed unit test would only be flaky.
//!
//! Old outputs are moved aside, never deleted and recreated in place: on
//! these machines a tree deleted and rewritten within a minute writes up to
//! ten times slower, which would measure the file system, not quire.

use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator the `quire` binary ships with (see `src/main.rs`), so the
/// bench times the build a user runs; the baseline shares it, which keeps
/// the ratio fair.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lets the previous step's background work end before the next is timed:
/// a build frees its model on a pool thread after it returns, and rayon's
/// idle threads spin a while before they sleep. Timed over either, the
/// single-threaded floor shares the cores and reads slow, which flatters
/// the ratio. Every pool thread is waited for, then this thread stays busy
/// (not asleep, which would let the core slow down) while they go idle.
fn settle() {
    rayon::broadcast(|_| ());
    let t = Instant::now();
    while t.elapsed() < Duration::from_millis(2) {
        std::hint::spin_loop();
    }
}

/// Wall-clock and processor time (all threads) of `step`.
fn timed<T>(step: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (t, c) = (Instant::now(), cpu());
    let out = step();
    (out, t.elapsed(), cpu() - c)
}

/// One step's times over the runs, and each over its run's floor.
#[derive(Default)]
struct Times {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
    ratio: Vec<f64>,
}

impl Times {
    fn push(&mut self, wall: Duration, cpu: Duration, floor: Duration) {
        self.wall.push(wall);
        self.cpu.push(cpu);
        self.ratio.push(wall.as_secs_f64() / floor.as_secs_f64());
    }

    /// `name: <median ms> (<ratio of medians>× baseline; run by run <median of ratios>×)`.
    fn line(&self, name: &str, base: Duration) -> String {
        let w = median(self.wall.clone());
        format!(
            "{name:<30}{:>8.2} ms  ({:.1}× baseline; run by run {:.2}×)",
            w.as_secs_f64() * 1e3,
            w.as_secs_f64() / base.as_secs_f64(),
            median(self.ratio.clone())
        )
    }
}

/// The middle value of `v` (times, or ratios, which are never NaN).
fn median<T: PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    v.swap_remove(v.len() / 2)
}

/// Processor time this process has used so far, on all its threads.
fn cpu() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid place for the clock to write to.
        if unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    Duration::ZERO
}

/// Reads every content file and parses it with the same parsers quire uses.
fn baseline(root: &Path) {
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.expect("walk content");
        let path = entry.path();
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match path.extension().and_then(|e| e.to_str()) {
            Some("yaml") => {
                let _: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml parses");
            }
            Some("md") => {
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&text));
                std::hint::black_box(html);
            }
            _ => {}
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().expect("temp dir");
    // `QUIRE_BENCH_RUNS=<n>`: more runs steady the medians on a busy machine.
    let runs = std::env::var("QUIRE_BENCH_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(15);
    let (mut base, mut base_cpu) = (Vec::new(), Vec::new());
    // Each run's steps against that run's floor, timed a few milliseconds
    // before them: this machine's speed changes in phases of a tenth of a
    // second to a few seconds, so a ratio of medians can set a floor timed
    // in a fast phase against a build timed in a slow one.
    let (mut check, mut full) = (Times::default(), Times::default());
    for i in 0..runs {
        settle();
        let ((), floor, c) = timed(|| baseline(root));
        base.push(floor);
        base_cpu.push(c);

        settle();
        let (outcome, w, c) = timed(|| quire::check(root));
        check.push(w, c, floor);
        assert!(
            !outcome.failed(),
            "default report must check clean: {:?}",
            outcome.diagnostics
        );

        // A fresh output folder each run: nothing is deleted and rewritten.
        let out = scratch.path().join(format!("out-{i}"));
        settle();
        let (outcome, w, c) = timed(|| quire::build(root, &out));
        full.push(w, c, floor);
        assert!(!outcome.failed(), "default report must build");
    }
    let b = median(base);
    let editions = quire::pdf::editions(&scratch.path().join(format!("out-{}", runs - 1))).len();
    println!("baseline (read + parse only): {:>8.2} ms", b.as_secs_f64() * 1e3);
    println!("{}", check.line("quire check:", b));
    println!("{}", full.line(&format!("quire build ({editions} editions):"), b));
    // Processor time on all threads: the work done, which a busy machine
    // disturbs far less than the wall-clock time above.
    let (bc, c, f) = (median(base_cpu), median(check.cpu), median(full.cpu.clone()));
    println!(
        "cpu time, all threads:        {:>8.2} ms baseline, check {:.1}×, build {:.1}×",
        bc.as_secs_f64() * 1e3,
        c.as_secs_f64() / bc.as_secs_f64(),
        f.as_secs_f64() / bc.as_secs_f64()
    );
    write_floor(scratch.path(), runs, b, median(full.wall));
    pdf_step(&scratch.path().join(format!("out-{}", runs - 1)));
    // `QUIRE_BENCH_KEEP=<dir>` keeps the last build's output there (moved,
    // not copied), to compare it with an earlier one byte for byte.
    if let Some(keep) = std::env::var_os("QUIRE_BENCH_KEEP") {
        std::fs::rename(scratch.path().join(format!("out-{}", runs - 1)), &keep)
            .expect("QUIRE_BENCH_KEEP names a free path on the same file system");
    }
}

/// Times printing every edition to PDF once, on its own line: the browser
/// dominates it, so it is reported apart from the build it follows.
fn pdf_step(out: &Path) {
    let Ok(browser) = quire::pdf::find_browser(None) else {
        println!("pdf step:                     skipped (no Chromium or Chrome found)");
        return;
    };
    for (html, pdf) in quire::pdf::editions(out) {
        let t = Instant::now();
        quire::pdf::print(&browser, &html, &pdf).expect("the default report prints");
        println!(
            "pdf step ({}): {:>8.0} ms",
            pdf.strip_prefix(out).unwrap_or(&pdf).display(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}

/// Times writing the files of the last build with nothing but
/// `fs::create_dir_all` and `fs::write`, into fresh folders: the part of a
/// build that is the file system's, which the read-and-parse baseline leaves
/// out. Printed with the build's ratio to the two floors together.
fn write_floor(scratch: &Path, runs: usize, base: Duration, build: Duration) {
    let built = scratch.join(format!("out-{}", runs - 1));
    let files: Vec<(std::path::PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&built)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&built).expect("inside the output").to_path_buf();
            (rel, std::fs::read(e.path()).expect("a built file reads"))
        })
        .collect();
    let mut times = Vec::new();
    for i in 0..runs {
        let dir = scratch.join(format!("floor-{i}"));
        let t = Instant::now();
        for (rel, bytes) in &files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("create folder");
            std::fs::write(&path, bytes).expect("write file");
        }
        times.push(t.elapsed());
    }
    let w = median(times);
    println!(
        "write floor ({} files):         {:>8.2} ms  (build is {:.1}× baseline + write floor)",
        files.len(),
        w.as_secs_f64() * 1e3,
        build.as_secs_f64() / (base + w).as_secs_f64()
    );
}
