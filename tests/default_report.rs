//! The report quire ships with, in `content/`: it checks clean, its numbers
//! flow from the data to every place they are shown, and its declared
//! relationships are enforced.

mod common;

use common::{At, El, Fixture, elements, quire};
use std::fs;

const CAPEX: &str = "content/data/capex.yaml";

#[test]
fn default_report_checks_clean_with_deny_warnings() {
    let root = common::repo();
    let r = quire(&["check", "--root", &root.to_string_lossy(), "--deny-warnings"]);
    r.assert_no_panic("check of the default report");
    r.assert_code(0, "quire check --deny-warnings on the default report");
}

/// Every `<data>` element of the page.
fn data(html: &str) -> Vec<El> {
    elements(html).into_iter().filter(|e| e.tag == "data").collect()
}

/// The machine value the page shows for the bound value `name`.
fn value_of(html: &str, name: &str) -> String {
    data(html)
        .into_iter()
        .find(|e| e.get("title").is_some_and(|t| t.starts_with(&format!("{name}."))))
        .and_then(|e| e.get("value").map(str::to_string))
        .unwrap_or_else(|| panic!("`{name}` is not bound anywhere in the page"))
}

fn count_value(html: &str, value: &str) -> usize {
    data(html).iter().filter(|e| e.get("value") == Some(value)).count()
}

/// Builds a copy of the default report with the US dollar figure changed
/// from 155 to 160; returns the fixture and the page before and after.
fn changed_us_capex() -> (Fixture, String, String) {
    let fx = Fixture::default_report();
    let r = fx.build(&[]);
    r.assert_no_panic("build of the default report");
    r.assert_code(0, "build of the default report");
    let before = fx.index_html();
    fx.replace(CAPEX, "value: 155,", "value: 160,");
    fx.build(&[]).assert_code(0, "build after changing capex.us.usd");
    let after = fx.index_html();
    (fx, before, after)
}

#[test]
fn changing_one_number_changes_prose_and_tables_alike() {
    let (_fx, before, after) = changed_us_capex();
    // The stated value, and the values derived from it (rate, China in dollars).
    for name in ["capex.us.usd", "capex.rate", "capex.cn.usd"] {
        let old = value_of(&before, name);
        let new = value_of(&after, name);
        assert_ne!(old, new, "`{name}` should change with capex.us.usd");
        let n = count_value(&before, &old);
        assert_eq!(
            count_value(&after, &old),
            0,
            "`{name}` still shows its old value {old} somewhere"
        );
        assert_eq!(
            count_value(&after, &new),
            n,
            "`{name}` should show {new} everywhere it showed {old}"
        );
    }
    assert_eq!(value_of(&after, "capex.us.usd"), "160000000000");
    // The table of the capex dataset shows the new figure.
    let table = common::element_by_id(&after, "figure", "tbl-spending");
    assert!(
        table.contains("<data value=\"160000000000\""),
        "the spending table should show USD 160 bn:\n{table}"
    );
    // And the prose shows it formatted.
    assert!(
        data(&after)
            .iter()
            .any(|e| e.get("value") == Some("160000000000") && e.text.replace('\u{a0}', " ").contains("USD 160 bn")),
        "the prose should read `USD 160 bn`"
    );
}

#[test]
fn changing_one_number_changes_the_chart_svg() {
    let (fx, _, after) = changed_us_capex();
    let svg = fs::read_to_string(fx.out().join("charts/capex.svg")).unwrap();
    let marks: Vec<El> = elements(&svg).into_iter().filter(|e| e.has_class("mark")).collect();
    let us = marks
        .iter()
        .find(|e| e.get("data-key") == Some("us"))
        .expect("a mark for the US");
    let cn = marks
        .iter()
        .find(|e| e.get("data-key") == Some("cn"))
        .expect("a mark for China");
    assert!((us.num("data-value") - 160.0).abs() < 1e-9, "{us:?}");
    let cn_usd: f64 = value_of(&after, "capex.cn.usd").parse().unwrap();
    assert!((cn.num("data-value") - cn_usd / 1e9).abs() < 1e-6, "{cn:?}");
    let ratio = us.num("width") / cn.num("width");
    assert!(
        (ratio - 160.0 / (cn_usd / 1e9)).abs() < 0.05,
        "bar widths should follow the new values: {ratio}"
    );
    // The page draws the same marks inline (the file adds its own title,
    // unit and source, so positions differ).
    for m in &marks {
        let data = format!(
            "data-key=\"{}\" data-series=\"{}\" data-value=\"{}\"",
            m.get("data-key").unwrap(),
            m.get("data-series").unwrap(),
            m.get("data-value").unwrap()
        );
        assert!(after.contains(&data), "{data} not in the page");
    }
}

#[test]
fn breaking_a_declared_relationship_fails_with_both_locations() {
    let fx = Fixture::default_report();
    fx.build(&[]).assert_code(0, "build of the default report");
    // China at RMB 200 bn is less than a quarter of the US figure.
    fx.replace(CAPEX, "value: 300,", "value: 200,");
    let check_at = fx.pos(CAPEX, "\"between(cn.usd / us.usd");
    let before = common::snapshot(&fx.out());
    let mut found = None;
    for (what, r) in [
        ("check", fx.check(&["--format", "json"])),
        ("build", fx.build(&["--format", "json"])),
    ] {
        r.assert_no_panic(what);
        r.assert_code(1, what);
        // Other datasets derive from capex, so their checks may fail too; find this one.
        let d = r
            .errors()
            .into_iter()
            .find(|d| d.message.contains("capex.cn_quarter_to_third"))
            .unwrap_or_else(|| panic!("{what}: no error names capex.cn_quarter_to_third:\n{}", r.stdout));
        assert_eq!(
            (d.file.as_str(), d.line, d.column),
            (CAPEX, check_at.line, check_at.col),
            "{what}: {d}"
        );
        assert!(d.message.contains("does not hold"), "{d}");
        found = Some(d);
    }
    common::assert_same_tree(
        &before,
        &common::snapshot(&fx.out()),
        "a failed build changed the previous output",
    );
    let d = found.unwrap();
    // Every claim bound to the check is listed.
    let mut claims = Vec::new();
    for e in fs::read_dir(fx.path("content/sections")).unwrap() {
        let p = e.unwrap().path();
        let text = fs::read_to_string(&p).unwrap();
        let rel = format!("content/sections/{}", p.file_name().unwrap().to_string_lossy());
        for (i, _) in text.match_indices("{{claim capex.cn_quarter_to_third") {
            let (line, col) = common::line_col(&text, i);
            claims.push(At {
                file: rel.clone(),
                line,
                col,
            });
        }
    }
    assert!(
        !claims.is_empty(),
        "the default report should claim capex.cn_quarter_to_third somewhere"
    );
    for c in &claims {
        assert!(
            d.related
                .iter()
                .any(|r| r.file == c.file && r.line == c.line && r.column == c.col),
            "no related entry for the claim at {}:{}:{}: {d}",
            c.file,
            c.line,
            c.col
        );
    }
}

/// The chart the README shows is the one quire draws today, byte for byte;
/// regenerate it with `cp output/charts/capex.svg docs/figure-capex.svg`.
#[test]
fn readme_chart_is_current() {
    let root = common::repo();
    let out = tempfile::tempdir().expect("temp dir");
    let target = out.path().join("site");
    let r = quire(&[
        "build",
        "--root",
        &root.to_string_lossy(),
        "--out",
        &target.to_string_lossy(),
    ]);
    r.assert_code(0, "build of the default report");
    let built = fs::read(target.join("charts/capex.svg")).expect("capex chart built");
    let shown = fs::read(root.join("docs/figure-capex.svg")).expect("docs/figure-capex.svg exists");
    assert!(
        built == shown,
        "docs/figure-capex.svg is stale: copy output/charts/capex.svg over it"
    );
}
