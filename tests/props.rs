//! Property tests: random sections (with chart, table and stats blocks,
//! footnotes, headings, links and raw HTML), random datasets and random edits
//! of the default report's files. Whatever the input, a build either
//! succeeds or returns errors that each name a file and a line, never
//! panics, and a failed build leaves the previous output byte for byte.

mod common;

use common::{assert_same_tree, copy_dir, repo, snapshot};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The default report, built once; each case starts from a copy of it.
fn base() -> &'static Path {
    static BASE: OnceLock<tempfile::TempDir> = OnceLock::new();
    BASE.get_or_init(|| {
        let dir = tempfile::Builder::new()
            .prefix("quire-props-")
            .tempdir()
            .expect("temp dir");
        copy_dir(&repo().join("content"), &dir.path().join("content"));
        copy_dir(&repo().join("templates"), &dir.path().join("templates"));
        let out = quire::build(dir.path(), &dir.path().join("output"));
        assert!(!out.failed(), "the default report builds: {:?}", out.diagnostics);
        dir
    })
    .path()
}

/// Names the generators bind: real ones from the default report, the
/// generated dataset's, and some that do not exist.
const NAMES: [&str; 8] = [
    "capex.us.usd",
    "capex.rate",
    "power.texas.gap",
    "gen.a.x",
    "gen.b.y",
    "gen.total",
    "nope.x",
    "capex.us",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,8}",
        Just("150".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("@fig:capex".to_string()),
        Just("@tbl:nope".to_string()),
        Just("@sec:power".to_string()),
        Just("[^1]".to_string()),
        Just("<b>".to_string()),
        Just("&amp;".to_string()),
        Just("\\*".to_string()),
        Just("中文".to_string()),
        prop::sample::select(NAMES.to_vec()).prop_map(|n| format!("{{{{{n}}}}}")),
        prop::sample::select(NAMES.to_vec()).prop_map(|n| format!("{{{{claim {n}: words}}}}")),
        any::<String>().prop_map(|s| s.chars().take(6).collect()),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..12).prop_map(|w| w.join(" "))
}

fn yaml_list() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["x", "y", "usd", "rmb", "us", "cn", "a", "b", "zz"]),
        0..3,
    )
    .prop_map(|v| format!("[{}]", v.join(", ")))
}

fn chart() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["bar", "hbar", "grouped-bar", "stacked-bar", "line", "donut", "pie"]),
        prop::sample::select(vec!["gen", "capex", "power", "nope"]),
        yaml_list(),
        yaml_list(),
        prop::sample::select(vec!["", "scale: log\n", "normalize: true\n", "sort: desc\n", "range: [x, y]\n", "unit: GW\n"]),
        "[a-z]{1,6}",
    )
        .prop_map(|(ty, data, series, rows, extra, id)| {
            format!(
                "```chart\nid: {id}\ntype: {ty}\ndata: {data}\nseries: {series}\nrows: {rows}\ntitle: \"T\"\ndescription: \"D\"\n{extra}```\n"
            )
        })
}

fn table() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["gen", "capex", "nope"]),
        yaml_list(),
        yaml_list(),
        "[a-z]{1,6}",
        any::<bool>(),
    )
        .prop_map(|(data, cols, rows, id, total)| {
            format!(
                "```table\nid: {id}\ndata: {data}\ncolumns: {cols}\nrows: {rows}\ntitle: \"T\"\ntotal: {total}\n```\n"
            )
        })
}

fn stats() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(NAMES.to_vec()), 0..3).prop_map(|names| {
        let items: String = names
            .iter()
            .map(|n| format!("- value: {n}\n  label: \"L\"\n"))
            .collect();
        format!("```stats\n{items}```\n")
    })
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => paragraph().prop_map(|p| format!("{p}\n")),
        1 => paragraph().prop_map(|p| format!("## {p}\n")),
        1 => chart(),
        1 => table(),
        1 => stats(),
        1 => "[a-z_-]{0,4}".prop_map(|l| format!("A note.[^{l}]\n\n[^{l}]: Text of {l}.\n")),
        1 => prop::sample::select(vec![
            "[x](javascript:alert(1))",
            "![i](data:text/html,x)",
            "<script>alert(1)</script>",
            "<div onclick=\"x()\">d</div>",
            "[ok](https://example.org)",
            "[a](#nowhere)",
        ])
        .prop_map(|s| format!("{s}\n")),
        1 => Just("```\nunclosed code\n".to_string()),
    ]
}

fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => paragraph().prop_map(|t| format!("---\ntitle: {:?}\n---\n", t)),
        1 => Just("---\ntitle: [unclosed\n---\n".to_string()),
        1 => Just("---\nsummary: \"no title\"\n---\n".to_string()),
        1 => Just("---\ntitle: \"never closed\"\n".to_string()),
        1 => Just("no front matter\n".to_string()),
        1 => Just("---\ntitle: {en: \"E\", zh: \"中\"}\nextra: 1\n---\n".to_string()),
    ]
}

fn section() -> impl Strategy<Value = String> {
    (front_matter(), prop::collection::vec(block(), 0..6)).prop_map(|(fm, blocks)| format!("{fm}{}", blocks.join("\n")))
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (-1000i32..1000).prop_map(|n| n.to_string()),
        1 => Just("1e300".to_string()),
        1 => Just("-0".to_string()),
        1 => Just(".nan".to_string()),
        1 => Just("\"lots\"".to_string()),
        1 => Just("{derive: \"y * 2\"}".to_string()),
        1 => Just("{derive: \"x / (x - x)\"}".to_string()),
        1 => Just("{value: 3, note: over}".to_string()),
    ]
}

fn formula() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "a.x",
            "b.y",
            "total",
            "capex.us.usd",
            "1",
            "0",
            "100%",
            "+",
            "-",
            "*",
            "/",
            "(",
            ")",
            ">",
            "and",
            "sum(",
            "between(",
            ",",
        ]),
        1..8,
    )
    .prop_map(|t| t.join(" "))
}

fn dataset() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["USD bn", "RMB bn", "%", "GW", "×", "people bn", "furlongs"]),
        prop::sample::select(vec!["USD bn", "%", "RMB/USD", "years"]),
        prop::collection::vec((number(), number()), 0..3),
        formula(),
        formula(),
        prop::sample::select(vec!["[article]", "[nope]", "[]"]),
    )
        .prop_map(|(ux, uy, rows, derived, check, cites)| {
            let keys = ["a", "b", "c"];
            let rows: String = rows
                .iter()
                .enumerate()
                .map(|(i, (x, y))| format!("  - key: {}\n    x: {x}\n    y: {y}\n", keys[i]))
                .collect();
            format!(
                "title: \"Generated\"\nunit: {ux}\nsource:\n  cites: {cites}\nfields:\n  x: {{label: \"X\", unit: {ux}}}\n  y: {{label: \"Y\", unit: {uy}}}\nrows:\n{rows}derived:\n  total: {{expr: {derived:?}, unit: {ux}}}\nchecks:\n  - id: c\n    assert: {check:?}\n"
            )
        })
}

/// An edit of one of the default report's own files.
#[derive(Debug, Clone)]
enum Edit {
    None,
    /// Cut the file at this fraction of its length.
    Truncate(usize, f64),
    /// Insert text at this fraction of its length.
    Insert(usize, f64, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => Just(Edit::None),
        1 => (0..64usize, 0.0..1.0f64).prop_map(|(f, at)| Edit::Truncate(f, at)),
        2 => (0..64usize, 0.0..1.0f64, prop_oneof![word(), block(), Just(": [".to_string()), Just("\n  - ".to_string())])
            .prop_map(|(f, at, s)| Edit::Insert(f, at, s)),
    ]
}

fn content_files(root: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    out.sort();
    out
}

fn apply(root: &Path, e: &Edit) {
    let (f, at, insert) = match e {
        Edit::None => return,
        Edit::Truncate(f, at) => (*f, *at, None),
        Edit::Insert(f, at, s) => (*f, *at, Some(s)),
    };
    let files = content_files(root);
    let path = &files[f % files.len()];
    let text = std::fs::read_to_string(path).expect("content is UTF-8");
    let mut cut = ((text.len() as f64) * at) as usize;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let new = match insert {
        None => text[..cut].to_string(),
        Some(s) => format!("{}{s}{}", &text[..cut], &text[cut..]),
    };
    std::fs::write(path, new).expect("write the edit");
}

proptest! {
    #![proptest_config(Config { cases: 64, failure_persistence: None, ..Config::default() })]

    #[test]
    fn any_input_builds_or_fails_with_located_errors(
        section in prop::option::of(section()),
        data in prop::option::of(dataset()),
        edit in edit(),
    ) {
        let dir = tempfile::Builder::new().prefix("quire-prop-").tempdir().expect("temp dir");
        let root = dir.path();
        copy_dir(&base().join("content"), &root.join("content"));
        copy_dir(&base().join("templates"), &root.join("templates"));
        copy_dir(&base().join("output"), &root.join("output"));
        if let Some(s) = &section {
            std::fs::write(root.join("content/sections/99-generated.md"), s).expect("write section");
        }
        if let Some(d) = &data {
            std::fs::write(root.join("content/data/gen.yaml"), d).expect("write dataset");
        }
        apply(root, &edit);
        let before = snapshot(&root.join("output"));
        let outcome = quire::build(root, &root.join("output"));
        for d in outcome.diagnostics.iter().filter(|d| d.is_error()) {
            prop_assert!(!d.loc.file.is_empty() && d.loc.line > 0, "unlocated error: {}", d);
        }
        if outcome.failed() {
            prop_assert!(
                outcome.diagnostics.iter().any(|d| d.is_error()),
                "a failed build must say why"
            );
            assert_same_tree(&before, &snapshot(&root.join("output")), "a failed build");
        } else {
            prop_assert!(root.join("output/index.html").is_file());
        }
    }
}
