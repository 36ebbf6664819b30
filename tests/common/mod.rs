//! Shared fixture for quire's integration tests.
//!
//! [`Fixture::new`] makes a temporary project holding a small, valid,
//! warning-free report (two sections, two datasets, two charts, a table and a
//! stats block) plus a copy of the repository's `templates/`. Tests then
//! break one thing at a time and run the real `quire` binary on it.
//!
//! Layout of the good fixture (line numbers matter to some tests, but tests
//! compute positions with [`Fixture::pos`] rather than hard-coding them):
//!
//! * `content/report.yaml`: title, date, palette, two sources (`paper`, `survey`).
//! * `content/data/capex.yaml`: `usd`/`rmb` for rows `us`, `cn`; `cn.usd` is
//!   derived from the derived value `rate`; one check `cn_quarter`.
//! * `content/data/split.yaml`: `%` shares `chips`/`centres` for `us`, `cn`;
//!   one check `us_sums`.
//! * `content/sections/01-intro.md`: prose binding capex values, a claim on
//!   `capex.cn_quarter`, the hbar chart `capex` (Figure 1), a footnote `[^1]`.
//! * `content/sections/02-detail.md`: the stacked-bar chart `split`
//!   (Figure 2), the table `shares` (Table 1), a stats block, a footnote `[^1]`.

#![allow(dead_code)]

/// The markup reader, shared with the chart unit tests (one parser, one
/// source file).
#[path = "../../src/chart/read.rs"]
mod read;
// Not every test crate reads markup.
#[allow(unused_imports)]
pub use read::{El, elements};

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const REPORT_YAML: &str = r##"title: "Fixture report"
subtitle: "A small report for tests"
authors: ["Test Author"]
date: "2026-01-01"
lang: en
palette:
  us: "#0072B2"
  cn: "#D55E00"
sources:
  paper:
    publisher: "Example Press"
    title: "An example paper"
    date: "1 January"
  survey:
    publisher: "Survey Office"
    title: "A survey"
    date: "2 February"
"##;

pub const CAPEX_YAML: &str = r#"title: "AI capital expenditure"
scope: "Two countries, one year"
unit: USD bn
source:
  cites: [paper]
fields:
  usd: {label: "US dollars", unit: USD bn}
  rmb: {label: "Renminbi", unit: RMB bn}
rows:
  - key: us
    label: "United States"
    usd: 150
    rmb: 1050
  - key: cn
    label: "China"
    rmb: 280
    usd: {derive: "rmb / rate"}
derived:
  rate:
    expr: "us.rmb / us.usd"
    unit: RMB/USD
    digits: 2
checks:
  - id: cn_quarter
    assert: "between(cn.usd / us.usd, 1/4, 1/3)"
    label: "China spends a quarter to a third of the US figure"
"#;

pub const SPLIT_YAML: &str = r#"title: "How spending is split"
scope: "Shares of AI capital expenditure"
unit: "%"
source:
  cites: [paper, survey]
fields:
  chips: {label: "Chips"}
  centres: {label: "Data centres"}
rows:
  - key: us
    label: "United States"
    chips: 60
    centres: 40
  - key: cn
    label: "China"
    chips: 45
    centres: 55
checks:
  - id: us_sums
    assert: "approx(us.chips + us.centres, 100%, 0.01)"
"#;

pub const INTRO_MD: &str = r#"---
title: "Introduction"
summary: "Why the numbers matter"
---
## Background

The United States spent {{capex.us.usd}} and China {{capex.cn.usd}}, at an
implied rate of {{capex.rate}}. China spends
{{claim capex.cn_quarter: a quarter to a third}} of the US figure
(@fig:capex; the split is in @fig:split and @tbl:shares).[^1]

```chart
id: capex
type: hbar
data: capex
series: [usd]
rows: [us, cn]
title: "AI capital expenditure (USD bn)"
caption: "China converted at the implied rate."
description: "The US bar is several times longer than the Chinese bar."
```

[^1]: Both figures are for the calendar year.
"#;

pub const DETAIL_MD: &str = r#"---
title: "Detail"
summary: "How the money is split"
---
## Background

Chips take {{split.us.chips}} of US spending (@fig:split, @tbl:shares; see
also @sec:intro).[^1]

```chart
id: split
type: stacked-bar
data: split
series: [chips, centres]
rows: [us, cn]
normalize: true
title: "How spending is split (%)"
description: "Chips take the larger share in the US."
```

```table
id: shares
data: split
columns: [chips, centres]
rows: [us, cn]
title: "Shares of spending"
description: "Shares by country."
```

```stats
- value: capex.us.usd
  label: "US capital expenditure"
```

[^1]: Shares are of the total.
"#;

/// The good fixture's files, by path relative to the root.
pub fn good_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("content/report.yaml", REPORT_YAML),
        ("content/data/capex.yaml", CAPEX_YAML),
        ("content/data/split.yaml", SPLIT_YAML),
        ("content/sections/01-intro.md", INTRO_MD),
        ("content/sections/02-detail.md", DETAIL_MD),
    ]
}

/// The repository root (where Cargo.toml, content/ and templates/ are).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` into `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` (recursively, hidden files included) with its bytes,
/// keyed by relative path; empty when `dir` does not exist. Directories are
/// recorded too (with a trailing `/` and no bytes) so an added empty folder
/// counts as a change.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = fs::read_dir(dir) else { return };
        for e in rd {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            if e.file_type().unwrap().is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &p, out);
            } else {
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts two snapshots are equal, naming the first difference.
pub fn assert_same_tree(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>, what: &str) {
    for (k, v) in before {
        match after.get(k) {
            None => panic!("{what}: `{k}` was removed"),
            Some(w) if w != v => panic!("{what}: `{k}` changed"),
            _ => {}
        }
    }
    for k in after.keys() {
        if !before.contains_key(k) {
            panic!("{what}: `{k}` was added");
        }
    }
}

/// (line, column), both 1-based, column in characters, of byte offset `at` in `text`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// (line, column) of the first occurrence of `needle` in `text`.
pub fn pos_in(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not found in:\n{text}"));
    line_col(text, at)
}

/// One diagnostic as printed by `--format json`.
#[derive(Debug, Clone)]
pub struct Diag {
    pub severity: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
    pub related: Vec<Related>,
}

/// A diagnostic's `related` entry.
#[derive(Debug, Clone)]
pub struct Related {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for Diag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.column, self.severity, self.message
        )?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        for r in &self.related {
            write!(f, " [related {}:{}:{}: {}]", r.file, r.line, r.column, r.message)?;
        }
        Ok(())
    }
}

/// Parses `--format json` output: every non-empty line must be one JSON object.
pub fn parse_diags(stderr: &str) -> Vec<Diag> {
    let s = |v: &serde_json::Value, k: &str| -> String {
        v.get(k)
            .and_then(|x| x.as_str())
            .unwrap_or_else(|| panic!("`{k}` missing or not a string in {v}"))
            .to_string()
    };
    let n = |v: &serde_json::Value, k: &str| -> usize {
        v.get(k)
            .and_then(|x| x.as_u64())
            .unwrap_or_else(|| panic!("`{k}` missing or not a number in {v}")) as usize
    };
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("output line is not JSON ({e}): {l}\nwhole output:\n{stderr}"));
            let related = v
                .get("related")
                .and_then(|r| r.as_array())
                .unwrap_or_else(|| panic!("`related` missing or not a list in {v}"))
                .iter()
                .map(|r| Related {
                    file: s(r, "file"),
                    line: n(r, "line"),
                    column: n(r, "column"),
                    message: s(r, "message"),
                })
                .collect();
            Diag {
                severity: s(&v, "severity"),
                file: s(&v, "file"),
                line: n(&v, "line"),
                column: n(&v, "column"),
                message: s(&v, "message"),
                hint: s(&v, "hint"),
                related,
            }
        })
        .collect()
}

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }

    /// Diagnostics, when the run used `--format json` (they go to standard output).
    pub fn diags(&self) -> Vec<Diag> {
        parse_diags(&self.stdout)
    }

    /// Errors only, in order.
    pub fn errors(&self) -> Vec<Diag> {
        self.diags().into_iter().filter(|d| d.severity == "error").collect()
    }

    /// Asserts quire did not panic.
    pub fn assert_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && !self.stdout.contains("panicked") && self.code != Some(101),
            "{what}: quire panicked (exit {:?}):\n{}",
            self.code,
            self.stderr
        );
    }

    /// Asserts the exit status, showing the output when it differs.
    pub fn assert_code(&self, code: i32, what: &str) {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
    }
}

/// Runs the quire binary with `args` in `cwd`.
pub fn quire_in(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run quire");
    Run::from(out)
}

/// Runs the quire binary with `args` in a neutral folder.
pub fn quire(args: &[&str]) -> Run {
    quire_in(&std::env::temp_dir(), args)
}

/// A temporary quire project.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

/// Where an error must point: file, 1-based line and column, and a fragment
/// of its message.
#[derive(Debug, Clone)]
pub struct At {
    pub file: String,
    pub line: usize,
    pub col: usize,
}

impl Fixture {
    /// The good report, not built.
    pub fn new() -> Fixture {
        let dir = tempfile::Builder::new().prefix("quire-test-").tempdir().unwrap();
        let fx = Fixture { dir };
        for (p, t) in good_files() {
            fx.write(p, t);
        }
        copy_dir(&repo().join("templates"), &fx.root().join("templates"));
        fx
    }

    /// The good report plus a CSV dataset `id` (`csv` with its side file
    /// `side`) and, appended to the intro section, `prose` and a chart block
    /// on it: `id`, `data` and `title` set, then the lines of `block`.
    pub fn with_csv_chart(id: &str, csv: &str, side: &str, prose: &str, block: &str) -> Fixture {
        const INTRO: &str = "content/sections/01-intro.md";
        let fx = Fixture::new();
        fx.write(&format!("content/data/{id}.csv"), csv);
        fx.write(&format!("content/data/{id}.yaml"), side);
        let text = fx.read(INTRO);
        fx.write(
            INTRO,
            &format!("{text}\n{prose}\n\n```chart\nid: {id}\ndata: {id}\n{block}```\n"),
        );
        fx
    }

    /// Builds (asserted to succeed) and returns the chart file `charts/<id>.svg`.
    pub fn built_chart(&self, id: &str) -> String {
        let r = self.build(&["--format", "json"]);
        r.assert_no_panic("build");
        r.assert_code(0, "build");
        fs::read_to_string(self.out().join(format!("charts/{id}.svg"))).unwrap()
    }

    /// A project holding a copy of the repository's own `content/` and `templates/`.
    pub fn default_report() -> Fixture {
        let dir = tempfile::Builder::new().prefix("quire-default-").tempdir().unwrap();
        let fx = Fixture { dir };
        copy_dir(&repo().join("content"), &fx.root().join("content"));
        copy_dir(&repo().join("templates"), &fx.root().join("templates"));
        fx
    }

    /// The good report, built once into `output/` (asserted to succeed).
    pub fn built() -> Fixture {
        let fx = Fixture::new();
        let r = fx.build(&[]);
        r.assert_no_panic("building the good fixture");
        r.assert_code(0, "building the good fixture");
        assert!(
            fx.out().join("index.html").is_file(),
            "the good build wrote no index.html"
        );
        fx
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn root_str(&self) -> String {
        self.root().to_string_lossy().into_owned()
    }

    /// The default output folder, `<root>/output`.
    pub fn out(&self) -> PathBuf {
        self.root().join("output")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes `text` to `rel` (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }

    /// Replaces the one occurrence of `from` in `rel` with `to`.
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let text = self.read(rel);
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` should occur exactly once in {rel}:\n{text}"
        );
        self.write(rel, &text.replacen(from, to, 1));
    }

    /// Inserts `text` at the start of line `line` (1-based) of `rel`.
    pub fn insert_line(&self, rel: &str, line: usize, text: &str) {
        let old = self.read(rel);
        let mut lines: Vec<&str> = old.split_inclusive('\n').collect();
        let t = format!("{text}\n");
        lines.insert(line - 1, &t);
        self.write(rel, &lines.concat());
    }

    /// Where `needle` first occurs in `rel` (as the file is now).
    pub fn pos(&self, rel: &str, needle: &str) -> At {
        let (line, col) = pos_in(&self.read(rel), needle);
        At {
            file: rel.to_string(),
            line,
            col,
        }
    }

    /// Where `needle` occurs in `rel`, moved `dcol` characters right.
    pub fn pos_plus(&self, rel: &str, needle: &str, dcol: usize) -> At {
        let mut a = self.pos(rel, needle);
        a.col += dcol;
        a
    }

    /// `quire <cmd> --root <root> <args…>`, run from the root.
    pub fn run(&self, cmd: &str, args: &[&str]) -> Run {
        let root = self.root_str();
        let mut all = vec![cmd, "--root", root.as_str()];
        all.extend_from_slice(args);
        quire_in(self.root(), &all)
    }

    pub fn build(&self, args: &[&str]) -> Run {
        self.run("build", args)
    }

    pub fn check(&self, args: &[&str]) -> Run {
        self.run("check", args)
    }

    /// The built page.
    pub fn index_html(&self) -> String {
        fs::read_to_string(self.out().join("index.html")).expect("output/index.html")
    }

    /// Staging or old-output folders left beside the output by a build.
    pub fn leftovers(&self) -> Vec<String> {
        fs::read_dir(self.root())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".output.new-") || n.starts_with(".output.old-"))
            .collect()
    }

    /// The catalogue's assertion: `check` and `build` both fail with exit 1
    /// and no panic, the first error points at `at` and its message contains
    /// `fragment`, and the failed build leaves the previous output (if any)
    /// byte-for-byte as it was. Returns the first error for further checks.
    pub fn expect_error(&self, at: At, fragment: &str) -> Diag {
        let before = snapshot(&self.out());
        let check = self.check(&["--format", "json"]);
        let first = first_error(&check, "check", &at, fragment);
        let build = self.build(&["--format", "json"]);
        let first_b = first_error(&build, "build", &at, fragment);
        assert_eq!(
            first.message, first_b.message,
            "check and build disagree on the first error"
        );
        assert_same_tree(
            &before,
            &snapshot(&self.out()),
            "a failed build changed the previous output",
        );
        assert!(
            self.leftovers().is_empty(),
            "a failed build left folders behind: {:?}",
            self.leftovers()
        );
        first
    }
}

/// Asserts `run` failed with exit 1, without a panic, and that its first
/// error is at `at` and mentions `fragment` (case-insensitive).
pub fn first_error(run: &Run, what: &str, at: &At, fragment: &str) -> Diag {
    run.assert_no_panic(what);
    run.assert_code(1, what);
    let errors = run.errors();
    let all: Vec<String> = run.diags().iter().map(ToString::to_string).collect();
    let first = errors.first().cloned().unwrap_or_else(|| {
        panic!(
            "{what}: exit 1 but no error diagnostic; stdout:\n{}\nstderr:\n{}",
            run.stdout, run.stderr
        )
    });
    let want = format!("{}:{}:{}", at.file, at.line, at.col);
    let got = format!("{}:{}:{}", first.file, first.line, first.column);
    assert_eq!(
        got,
        want,
        "{what}: first error points at the wrong place\n  first error: {first}\n  all diagnostics:\n    {}",
        all.join("\n    ")
    );
    assert!(
        first.message.to_lowercase().contains(&fragment.to_lowercase()),
        "{what}: first error's message lacks `{fragment}`\n  first error: {first}"
    );
    first
}

/// The markup of the `<tag …>` element whose `id` is `id`, up to its first
/// `</tag>` (enough for figures, which do not nest).
pub fn element_by_id<'a>(markup: &'a str, tag: &str, id: &str) -> &'a str {
    let at = markup
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element with id=\"{id}\""));
    let start = markup[..at]
        .rfind(&format!("<{tag}"))
        .unwrap_or_else(|| panic!("id=\"{id}\" is not on a <{tag}>"));
    let close = format!("</{tag}>");
    let end = markup[start..]
        .find(&close)
        .map_or(markup.len(), |e| start + e + close.len());
    &markup[start..end]
}

/// Every `id="…"` value in `markup`, in order.
pub fn ids(markup: &str) -> Vec<String> {
    elements(markup)
        .into_iter()
        .filter_map(|e| e.get("id").map(str::to_string))
        .collect()
}
