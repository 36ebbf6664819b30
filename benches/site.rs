//! `cargo bench --bench site`: site mode at scale. Generates a seeded corpus
//! of 1,000 and 5,000 pages (about 4 KB each: front matter, headings, lists,
//! tables, code blocks, links between pages, nested folders), builds each
//! as a site, and prints the time, the total bytes written, the ratio of
//! bytes at 5,000 against 1,000 pages (linear is 5; a sidebar listing every
//! page would make it ~25) and the peak memory. Where `hugo` is installed
//! it builds the same pages with Hugo and prints the time ratio.
//!
//! Old outputs are moved aside by quire's atomic writer, and each size gets
//! fresh folders: nothing is deleted and recreated in place (on these
//! machines that measures the file system, not quire).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

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

/// Peak resident memory of this process so far, in MB (Linux only).
fn peak_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Builds the same pages with Hugo: (seconds, peak MB from /usr/bin/time).
fn hugo(root: &Path) -> Option<(f64, Option<f64>)> {
    Command::new("hugo").arg("version").output().ok()?;
    std::fs::write(
        root.join("hugo.toml"),
        "baseURL = 'https://example.org/'\ncontentDir = 'content/sections'\ndisableKinds = ['taxonomy', 'term']\n",
    )
    .ok()?;
    let layouts = root.join("layouts/_default");
    std::fs::create_dir_all(&layouts).ok()?;
    let page = "<html><head><title>{{ .Title }}</title></head><body><nav>{{ range .Site.Sections }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</nav>{{ .Content }}</body></html>";
    std::fs::write(layouts.join("single.html"), page).ok()?;
    std::fs::write(layouts.join("list.html"), page).ok()?;
    let t = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "hugo", "--quiet", "-d", "hugo-public"])
        .current_dir(root)
        .output()
        .ok()?;
    let secs = t.elapsed().as_secs_f64();
    let mem = String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    out.status.success().then_some((secs, mem))
}

fn main() {
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut sizes = Vec::new();
    for n in [1_000usize, 5_000] {
        let root: PathBuf = scratch.path().join(format!("corpus-{n}"));
        corpus(&root, n);
        let out = root.join("output");
        let t = Instant::now();
        let outcome = quire::build(&root, &out);
        let secs = t.elapsed().as_secs_f64();
        if outcome.failed() {
            let text = outcome
                .files
                .render(&outcome.diagnostics, quire::diag::Format::Human, false);
            panic!("the bench corpus must build:\n{text}");
        }
        let bytes = bytes_under(&out);
        sizes.push(bytes);
        println!(
            "{n:>5} pages: {secs:>7.2} s, {:>6.1} MB written ({:.1} KB a page), peak memory so far {}",
            bytes as f64 / 1e6,
            bytes as f64 / 1e3 / n as f64,
            peak_mb().map_or("unknown".into(), |m| format!("{m:.0} MB"))
        );
        match hugo(&root) {
            Some((h, mem)) => println!(
                "       hugo: {h:>7.2} s (quire/hugo time {:.2}), peak {}",
                secs / h,
                mem.map_or("unknown".into(), |m| format!("{m:.0} MB"))
            ),
            None => println!("       hugo: not installed, skipped"),
        }
    }
    println!(
        "bytes at 5,000 / 1,000 pages: {:.2} (linear is 5.0; quadratic would be 25)",
        sizes[1] as f64 / sizes[0] as f64
    );
}
