//! `cargo bench --bench site`: site mode at scale. Generates a seeded corpus
//! of 1,000 and 5,000 pages (about 4 KB each: front matter, headings, lists,
//! tables, code blocks, links between pages, nested folders), builds each
//! as a site with the `quire` binary, and prints the time, the total bytes
//! written, the ratio of bytes at 5,000 against 1,000 pages (linear is 5; a
//! sidebar listing every page would make it ~25) and the peak memory of the
//! child process. Where `hugo` is installed it builds the same pages with
//! Hugo in the same way and prints both ratios.
//!
//! Fairness: both tools run as child processes under `/usr/bin/time`, one
//! after the other, on the same corpus, each into a folder that does not
//! exist yet; nothing is deleted during the run (on these machines a tree
//! deleted and recreated within a minute writes up to 10× slower). The
//! order alternates between rounds so neither tool always gets the warmer
//! page cache. A floor is measured too: the least time to create the same
//! folders and files quire wrote, from a plain loop over the bytes already
//! in memory, serially and on every core.
//!
//! `QUIRE_BENCH_ROUNDS=N` (default 3) sets the rounds at 5,000 pages;
//! `QUIRE_BENCH_SIZES=1000,5000` the sizes; `QUIRE_BENCH_KEEP=DIR` keeps
//! the corpora in `DIR` for profiling; `QUIRE_BENCH_BASELINE=PATH` also
//! times another `quire` binary (an earlier build) in every round, so a
//! change is measured against its baseline in the same run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A small, seeded generator: the same corpus on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: [&str; 24] = [
    "build", "page", "site", "render", "link", "table", "value", "output", "folder", "theme", "index", "search",
    "markdown", "heading", "config", "deploy", "cache", "layout", "asset", "image", "reader", "guide", "option",
    "section",
];

/// Where page `i` lives: ten top-level folders, sub-folders of 20 pages.
fn rel_path(i: usize) -> String {
    format!("t{:02}/s{:03}/p{i:05}.md", i % 10, i / 200)
}

fn sentence(r: &mut Lcg, n: usize) -> String {
    let mut s = String::new();
    for k in 0..n {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[r.below(WORDS.len())]);
    }
    s.push('.');
    s
}

fn page(i: usize, n: usize, r: &mut Lcg) -> String {
    let mut s = format!(
        "---\ntitle: \"Page {i}\"\nsummary: \"About {}\"\n---\n",
        WORDS[i % WORDS.len()]
    );
    let _ = writeln!(s, "{}\n", sentence(r, 40));
    for part in 0..3 {
        let _ = writeln!(s, "## Part {part} of page {i}\n");
        for _ in 0..2 {
            let _ = writeln!(s, "{}\n", sentence(r, 30));
        }
        let _ = writeln!(s, "- {}\n- {}\n- {}\n", sentence(r, 6), sentence(r, 6), sentence(r, 6));
        let _ = writeln!(
            s,
            "| Key | Value |\n| --- | --- |\n| a{i} | {} |\n| b{i} | {} |\n",
            r.below(1000),
            r.below(1000)
        );
        if part == 1 {
            let _ = writeln!(s, "```rust\nfn page_{i}() -> u32 {{ {} }}\n```\n", r.below(100));
        }
    }
    let j = r.below(n);
    let _ = writeln!(
        s,
        "See [page {j}](../../{}), its [second part](../../{}#part-1-of-page-{j}), and [the next page](../../{}).",
        rel_path(j),
        rel_path(j),
        rel_path((i + 1) % n)
    );
    s
}

/// Writes the corpus of `n` pages under `root`.
fn corpus(root: &Path, n: usize) {
    let mut r = Lcg(42);
    let sections = root.join("content/sections");
    std::fs::create_dir_all(&sections).expect("corpus folder");
    std::fs::write(root.join("content/report.yaml"), "title: \"Bench\"\nmode: site\n").expect("report.yaml");
    for i in 0..n {
        let p = sections.join(rel_path(i));
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
        std::fs::write(p, page(i, n, &mut r)).expect("page");
    }
}

fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map_or(0, |m| m.len()))
        .sum()
}

/// One timed child process.
#[derive(Clone, Copy)]
struct Run {
    /// Wall-clock seconds.
    secs: f64,
    /// Peak resident memory, MB.
    mb: f64,
    /// User plus system CPU seconds: the work done, whatever else the
    /// machine was running.
    cpu: f64,
}

/// Runs `program` under `/usr/bin/time`: wall time, peak memory, CPU time.
fn timed(program: &str, args: &[&str], dir: &Path) -> Run {
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M %U %S")
        .arg(program)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run /usr/bin/time");
    let secs = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} failed:\n{stderr}");
    let nums: Vec<f64> = stderr
        .lines()
        .last()
        .map(|l| l.split_whitespace().filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_default();
    assert_eq!(nums.len(), 3, "/usr/bin/time output:\n{stderr}");
    Run {
        secs,
        mb: nums[0] / 1024.0,
        cpu: nums[1] + nums[2],
    }
}

/// Sets `root` up for Hugo: the same pages, a sidebar of sections on each.
fn hugo_setup(root: &Path) -> bool {
    if Command::new("hugo").arg("version").output().is_err() {
        return false;
    }
    std::fs::write(
        root.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ncontentDir = 'content/sections'\ndisableKinds = ['taxonomy', 'term']\n",
    )
    .expect("hugo.toml");
    let layouts = root.join("layouts/_default");
    std::fs::create_dir_all(&layouts).expect("layouts");
    let page = "<html><head><title>{{ .Title }}</title></head><body><nav>{{ range .Site.Sections }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav>{{ .Content }}</body></html>";
    std::fs::write(layouts.join("single.html"), page).expect("single.html");
    std::fs::write(layouts.join("list.html"), page).expect("list.html");
    true
}

/// Every file under `dir`, as (path relative to `dir`, bytes).
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            (rel, std::fs::read(e.path()).expect("read output"))
        })
        .collect()
}

/// The floor: creating `files` (and their folders) under the fresh folder
/// `to`, with nothing else to do; on `threads` threads.
fn floor(files: &[(PathBuf, Vec<u8>)], to: &Path, threads: usize) -> f64 {
    let t = Instant::now();
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        for part in files.chunks(chunk) {
            s.spawn(move || {
                for (rel, bytes) in part {
                    let p = to.join(rel);
                    std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
                    std::fs::write(&p, bytes).expect("file");
                }
            });
        }
    });
    t.elapsed().as_secs_f64()
}

fn env_list(name: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(name)
        .ok()
        .map(|v| v.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

fn main() {
    let quire = env!("CARGO_BIN_EXE_quire");
    let scratch = tempfile::tempdir().expect("temp dir");
    let base = std::env::var_os("QUIRE_BENCH_KEEP").map_or_else(|| scratch.path().to_path_buf(), PathBuf::from);
    let rounds = env_list("QUIRE_BENCH_ROUNDS", &[3])[0].max(1);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let baseline = std::env::var("QUIRE_BENCH_BASELINE").ok().filter(|b| !b.is_empty());
    let mut sizes = Vec::new();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    for n in env_list("QUIRE_BENCH_SIZES", &[1_000, 5_000]) {
        let root: PathBuf = base.join(format!("corpus-{n}"));
        if !root.join("content/report.yaml").is_file() {
            corpus(&root, n);
        }
        let has_hugo = hugo_setup(&root);
        // Every output of this run goes into a folder of its own, so a kept
        // corpus (`QUIRE_BENCH_KEEP`) never has an old tree replaced (and
        // deleted) during a timed build.
        let run = root.join(format!("run-{stamp}"));
        let out = |name: &str| run.join(name).to_string_lossy().into_owned();
        // A first, untimed build of each warms the page cache for the corpus.
        let _ = timed(quire, &["build", "--out", &out("warm-quire")], &root);
        if has_hugo {
            let _ = timed("hugo", &["--quiet", "-d", &out("warm-hugo")], &root);
        }
        let bytes = bytes_under(&run.join("warm-quire"));
        sizes.push(bytes);
        println!(
            "{n:>5} pages: {:.1} MB written by quire ({:.1} KB a page)",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / n as f64
        );
        let mut best: Option<Run> = None;
        for r in 0..(if n >= 5_000 { rounds } else { 1 }) {
            let mut q = None;
            let mut h = None;
            let mut b = None;
            // Alternate who goes first, so neither always meets a warmer cache.
            for turn in 0..3 {
                match (turn + r) % 3 {
                    0 => {
                        q = Some(timed(
                            quire,
                            &["build", "--out", &out(&format!("out-quire-{r}"))],
                            &root,
                        ))
                    }
                    1 if has_hugo => h = Some(timed("hugo", &["--quiet", "-d", &out(&format!("out-hugo-{r}"))], &root)),
                    2 => {
                        if let Some(base) = &baseline {
                            b = Some(timed(base, &["build", "--out", &out(&format!("out-base-{r}"))], &root));
                        }
                    }
                    _ => {}
                }
            }
            let (q, h) = (q.expect("quire ran"), h);
            if let Some(b) = b {
                println!(
                    "  round {r}: baseline quire {:.2} s ({:.2} s CPU), {:.0} MB; this build is {:.2}× as fast{}",
                    b.secs,
                    b.cpu,
                    b.mb,
                    b.secs / q.secs,
                    h.map_or(String::new(), |h| format!(
                        ", baseline hugo/quire {:.2}×",
                        h.secs / b.secs
                    ))
                );
            }
            match h {
                Some(h) => println!(
                    "  round {r}: quire {:.2} s ({:.2} s CPU), {:.0} MB | hugo {:.2} s ({:.2} s CPU), {:.0} MB | hugo/quire time {:.2}×, CPU {:.2}×; quire/hugo memory {:.2}",
                    q.secs,
                    q.cpu,
                    q.mb,
                    h.secs,
                    h.cpu,
                    h.mb,
                    h.secs / q.secs,
                    h.cpu / q.cpu,
                    q.mb / h.mb
                ),
                None => println!(
                    "  round {r}: quire {:.2} s ({:.2} s CPU), {:.0} MB | hugo not installed",
                    q.secs, q.cpu, q.mb
                ),
            }
            if best.is_none_or(|b| q.secs < b.secs) {
                best = Some(q);
            }
        }
        // The floor: the same files from memory, into fresh folders.
        let files = files_under(&run.join("warm-quire"));
        std::thread::sleep(Duration::from_millis(200));
        let serial = floor(&files, &run.join("floor-1"), 1);
        let parallel = floor(&files, &run.join(format!("floor-{threads}")), threads);
        if let Some(q) = best {
            println!(
                "  floor: creating quire's {} files takes {serial:.2} s on one thread, {parallel:.2} s on {threads}; quire's best {:.2} s is {:.2} s over it",
                files.len(),
                q.secs,
                q.secs - parallel.min(serial)
            );
        }
    }
    if sizes.len() == 2 {
        println!(
            "bytes at {} pages / at the first size: {:.2} (linear is the ratio of page counts; quadratic its square)",
            env_list("QUIRE_BENCH_SIZES", &[1_000, 5_000])[1],
            sizes[1] as f64 / sizes[0] as f64
        );
    }
}
