//! The bodies of quire's fuzz targets, as plain functions so that the
//! libFuzzer targets (`fuzz_targets/`) and the stable-toolchain smoke runner
//! (`src/bin/smoke.rs`) run exactly the same code.
//!
//! Each body asserts nothing but quire's contract: no panic, no abort, and
//! every error it reports names a file and a line.

use quire::expr;
use quire::units::Quantity;
use std::path::Path;

/// The expression parser and evaluator on arbitrary text: parse, list the
/// names, evaluate with every name bound to a number.
pub fn expr(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(e) = expr::parse(text) {
        let _ = e.names();
        let _ = e.eval(&mut |n: &str| Ok(Quantity::number(n.len() as f64)));
    }
}

/// A small valid project: report.yaml, one section binding `fz.a.x`.
const REPORT: &str = "title: \"Fuzz\"\ndate: \"2026\"\nsources:\n  s:\n    publisher: \"P\"\n    title: \"T\"\n    date: \"D\"\n";
const SECTION: &str = "---\ntitle: \"S\"\n---\nValue {{fz.a.x}}.\n";
const DATASET: &str = "title: \"D\"\nunit: USD bn\nsource:\n  cites: [s]\nfields:\n  x: {label: \"X\"}\nrows:\n  - key: a\n    x: 1\n";

fn project(dir: &Path, section: &str, dataset: &str) {
    let w = |rel: &str, text: &str| {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    w("content/report.yaml", REPORT);
    w("content/sections/01-s.md", section);
    w("content/data/fz.yaml", dataset);
    for t in ["report.html", "style.css", "partials/figure.html", "partials/table.html", "partials/stats.html"] {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates").join(t);
        if let Ok(text) = std::fs::read_to_string(from) {
            w(&format!("templates/{t}"), &text);
        }
    }
}

fn check_project(section: &str, dataset: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    project(dir.path(), section, dataset);
    let outcome = quire::check(dir.path());
    for d in outcome.diagnostics.iter().filter(|d| d.is_error()) {
        assert!(!d.loc.file.is_empty() && d.loc.line > 0, "unlocated error: {d}");
    }
}

/// The YAML loader: the input is a dataset file of an otherwise valid project.
pub fn dataset(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check_project(SECTION, text);
}

/// The Markdown transform: the input is a section file's body (after a valid
/// front matter) in an otherwise valid project.
pub fn markdown(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    check_project(&format!("---\ntitle: \"S\"\n---\n{text}"), DATASET);
}

/// Seeds for each target: valid inputs for the mutator to start from.
pub fn seeds(target: &str) -> Vec<String> {
    match target {
        "expr" => [
            "between(cn.usd / us.usd, 1/4, 1/3)",
            "approx(a + b, 100%, 0.01) and x > 0",
            "-(1 + 2) * sum(a, b, c) / max(1, 2)",
        ]
        .map(String::from)
        .to_vec(),
        "dataset" => vec![
            DATASET.to_string(),
            format!("{DATASET}  - key: b\n    x: {{derive: \"a.x * 2\"}}\nderived:\n  r: {{expr: \"a.x / 2\", unit: USD bn}}\nchecks:\n  - id: c\n    assert: \"r > 0\"\n"),
        ],
        _ => vec![
            "# H\n\nText {{fz.a.x}} and [^1] @sec:s.\n\n[^1]: Note.\n".to_string(),
            "```chart\nid: c\ntype: bar\ndata: fz\nseries: [x]\ntitle: \"T\"\n```\n\nSee @fig:c. <b>x</b> [l](https://e.org)\n".to_string(),
            "```table\nid: t\ndata: fz\ncolumns: [x]\ntitle: \"T\"\n```\n\n```stats\n- value: fz.a.x\n  label: \"L\"\n```\n".to_string(),
        ],
    }
}
