//! Building the good fixture: what lands in `output/`, and what does not.

mod common;

use common::{Fixture, assert_same_tree, element_by_id, elements, ids, snapshot};
use std::collections::BTreeSet;
use std::fs;

const CAPEX: &str = "content/data/capex.yaml";
const SPLIT: &str = "content/data/split.yaml";
const INTRO: &str = "content/sections/01-intro.md";
const DETAIL: &str = "content/sections/02-detail.md";

#[test]
fn good_fixture_checks_clean() {
    let fx = Fixture::new();
    let r = fx.check(&["--deny-warnings", "--format", "json"]);
    r.assert_no_panic("check");
    r.assert_code(0, "check --deny-warnings of the good fixture");
    assert!(
        r.diags().is_empty(),
        "the good fixture should have no diagnostics:\n{}",
        r.stdout
    );
    assert!(
        r.stderr.contains("2 sections, 2 figures, 1 table;"),
        "the summary line (on stderr) should count what was checked:\n{}",
        r.stderr
    );
}

#[test]
fn build_writes_the_page_and_one_svg_per_chart() {
    let fx = Fixture::built();
    let out = fx.out();
    assert!(out.join("index.html").is_file());
    assert!(out.join("charts/capex.svg").is_file());
    assert!(out.join("charts/split.svg").is_file());
    let charts: BTreeSet<String> = fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        charts,
        BTreeSet::from(["capex.svg".to_string(), "split.svg".to_string()]),
        "one SVG per chart, none for tables"
    );
    for svg in ["capex", "split"] {
        let text = fs::read_to_string(out.join(format!("charts/{svg}.svg"))).unwrap();
        assert!(
            text.trim_start().starts_with("<svg") || text.trim_start().starts_with("<?xml"),
            "{svg}.svg is not SVG:\n{text}"
        );
    }
}

#[test]
fn figure_has_id_number_and_source_line() {
    let fx = Fixture::built();
    let html = fx.index_html();
    let fig = element_by_id(&html, "figure", "fig-capex");
    assert!(
        fig.contains("Figure 1"),
        "the first chart should be labelled Figure 1:\n{fig}"
    );
    assert!(
        fig.contains("<svg"),
        "the chart's SVG should be inline in the figure:\n{fig}"
    );
    let source = elements(fig)
        .into_iter()
        .find(|e| e.text.trim_start().starts_with("Source:"))
        .unwrap_or_else(|| panic!("the figure has no `Source:` line:\n{fig}"));
    assert!(
        source.text.contains("Example Press"),
        "the source line should name the cited source: {:?}",
        source.text
    );
}

#[test]
fn rebuild_is_byte_identical() {
    let fx = Fixture::built();
    let first = snapshot(&fx.out());
    let r = fx.build(&[]);
    r.assert_code(0, "second build");
    assert_same_tree(&first, &snapshot(&fx.out()), "a second build of the same input");
}

#[test]
fn builds_in_two_places_are_byte_identical() {
    // Nothing about where the project lives (its path, the clock) leaks into the output.
    let a = Fixture::built();
    let b = Fixture::built();
    assert_same_tree(
        &snapshot(&a.out()),
        &snapshot(&b.out()),
        "the same input built in two folders",
    );
}

#[test]
fn bound_values_are_data_elements() {
    let fx = Fixture::built();
    let html = fx.index_html();
    let data: Vec<_> = elements(&html).into_iter().filter(|e| e.tag == "data").collect();
    let find = |value: &str| {
        data.iter()
            .find(|e| e.get("value") == Some(value))
            .unwrap_or_else(|| panic!("no <data value=\"{value}\"> in the page"))
    };
    // Stated, derived (rmb / rate), a derived value, and a percentage.
    assert_eq!(find("150000000000").text.replace('\u{a0}', " "), "USD 150 bn");
    assert_eq!(find("40000000000").text.replace('\u{a0}', " "), "USD 40 bn");
    assert_eq!(find("7").text.replace('\u{a0}', " "), "7.00 RMB per USD");
    assert_eq!(find("0.6").text.replace('\u{a0}', " "), "60 %");
    // Table cells carry machine values too.
    let table = element_by_id(&html, "figure", "tbl-shares");
    for v in ["0.6", "0.4", "0.45", "0.55"] {
        assert!(
            table.contains(&format!("<data value=\"{v}\"")),
            "table cell {v} is not a <data> element:\n{table}"
        );
    }
}

/// Text from data and front matter that looks like markup.
const EVIL: &str = "<script>alert(1)</script> & Co";

fn evil_fixture() -> Fixture {
    let fx = Fixture::new();
    fx.replace(SPLIT, "label: \"China\"", &format!("label: \"{EVIL}\""));
    fx.replace(
        INTRO,
        "title: \"Introduction\"",
        "title: \"Risks & <script>alert(2)</script>\"",
    );
    fx.replace(
        INTRO,
        "summary: \"Why the numbers matter\"",
        "summary: \"Sums & <b>bold</b>\"",
    );
    fx.replace(
        INTRO,
        "title: \"AI capital expenditure (USD bn)\"",
        "title: \"Capex & <script>alert(3)</script>\"",
    );
    fx.replace(
        "content/report.yaml",
        "publisher: \"Example Press\"",
        "publisher: \"Smith & <i>Sons</i>\"",
    );
    fx
}

#[test]
fn markup_in_data_and_front_matter_is_escaped_in_html() {
    let fx = evil_fixture();
    let r = fx.build(&[]);
    r.assert_code(0, "build with markup in text");
    let html = fx.index_html();
    for raw in ["<script>alert(", "<b>bold</b>", "<i>Sons</i>"] {
        assert!(
            !html.contains(raw),
            "`{raw}` from the content reached the page unescaped"
        );
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; &amp; Co")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"),
        "the row label should be escaped in the table"
    );
    assert!(
        html.contains("Risks &amp; &lt;script&gt;alert(2)"),
        "the section title should be escaped"
    );
    assert!(
        html.contains("Sums &amp; &lt;b&gt;bold"),
        "the section summary should be escaped"
    );
    assert!(
        html.contains("Capex &amp; &lt;script&gt;alert(3)"),
        "the chart title should be escaped"
    );
    assert!(
        html.contains("Smith &amp; &lt;i&gt;Sons"),
        "the source's publisher should be escaped"
    );
}

#[test]
fn markup_in_data_never_reaches_svg_raw() {
    let fx = evil_fixture();
    fx.build(&[]).assert_code(0, "build with markup in text");
    for svg in ["capex", "split"] {
        let text = fs::read_to_string(fx.out().join(format!("charts/{svg}.svg"))).unwrap();
        assert!(!text.contains("<script"), "{svg}.svg contains a raw <script>:\n{text}");
        assert!(
            !text.contains("& Co") && !text.contains("Capex & "),
            "{svg}.svg has an unescaped `&`:\n{text}"
        );
    }
}

#[test]
fn markup_in_data_is_escaped_in_svg_text() {
    let fx = evil_fixture();
    fx.build(&[]).assert_code(0, "build with markup in text");
    let split = fs::read_to_string(fx.out().join("charts/split.svg")).unwrap();
    assert!(
        split.contains("&lt;script&gt;alert(1)"),
        "the category label should be drawn, escaped:\n{split}"
    );
    let capex = fs::read_to_string(fx.out().join("charts/capex.svg")).unwrap();
    assert!(
        capex.contains("Capex &amp; &lt;script&gt;alert(3)"),
        "the SVG <title> should carry the escaped title:\n{capex}"
    );
}

#[test]
fn check_writes_nothing() {
    let fx = Fixture::new();
    let before = snapshot(fx.root());
    let r = fx.check(&[]);
    r.assert_code(0, "check");
    assert_same_tree(&before, &snapshot(fx.root()), "quire check");
    assert!(!fx.out().exists());
    assert!(!fx.root().join(".output.new").exists());
}

#[test]
fn check_of_a_built_project_leaves_the_output_alone() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "usd: 150", "usd: 151");
    let before = snapshot(fx.root());
    fx.check(&[]).assert_code(0, "check");
    assert_same_tree(&before, &snapshot(fx.root()), "quire check after a change");
}

/// `build --out <out>` must fail with exit 1 and change nothing under the root.
fn refuses(fx: &Fixture, out: &str, cwd_relative: bool) {
    let before = snapshot(fx.root());
    let r = if cwd_relative {
        common::quire_in(fx.root(), &["build", "--root", ".", "--out", out, "--format", "json"])
    } else {
        fx.build(&["--out", out, "--format", "json"])
    };
    r.assert_no_panic(out);
    r.assert_code(1, &format!("build --out {out}"));
    let errors = r.errors();
    assert!(
        errors.first().is_some_and(|d| d.message.contains("refusing")),
        "the error should say quire refuses the folder:\n{}",
        r.stdout
    );
    assert_same_tree(&before, &snapshot(fx.root()), &format!("a refused build --out {out}"));
}

#[test]
fn refuses_out_equal_to_root() {
    let fx = Fixture::new();
    refuses(&fx, &fx.root_str(), false);
}

#[test]
fn refuses_out_equal_to_root_given_as_dot() {
    let fx = Fixture::new();
    refuses(&fx, ".", true);
}

#[test]
fn refuses_out_equal_to_content() {
    let fx = Fixture::new();
    refuses(&fx, &fx.path("content").to_string_lossy(), false);
}

#[test]
fn refuses_out_equal_to_content_given_relative_with_dots() {
    let fx = Fixture::new();
    refuses(&fx, "content/../content/", true);
}

#[test]
fn refuses_out_equal_to_templates() {
    let fx = Fixture::new();
    refuses(&fx, &fx.path("templates").to_string_lossy(), false);
}

#[test]
fn refuses_out_containing_the_root() {
    let fx = Fixture::new();
    refuses(&fx, &fx.root().parent().unwrap().to_string_lossy(), false);
}

#[test]
fn refuses_a_non_empty_foreign_folder() {
    let fx = Fixture::new();
    let foreign = tempfile::tempdir().unwrap();
    fs::write(foreign.path().join("notes.txt"), "mine").unwrap();
    fs::create_dir(foreign.path().join("sub")).unwrap();
    fs::write(foreign.path().join("sub/more.txt"), "also mine").unwrap();
    let before = snapshot(foreign.path());
    refuses(&fx, &foreign.path().to_string_lossy(), false);
    assert_same_tree(&before, &snapshot(foreign.path()), "the foreign folder");
}

#[test]
fn accepts_a_folder_holding_only_gitkeep_and_keeps_it() {
    let fx = Fixture::new();
    let out = fx.path("site");
    fs::create_dir(&out).unwrap();
    fs::write(out.join(".gitkeep"), "").unwrap();
    let out_s = out.to_string_lossy().into_owned();
    fx.build(&["--out", &out_s])
        .assert_code(0, "build into a .gitkeep folder");
    assert!(out.join("index.html").is_file());
    assert!(out.join(".gitkeep").is_file(), "the .gitkeep was lost");
    assert_eq!(fs::read(out.join(".gitkeep")).unwrap(), b"");
    // And again, now that quire owns the folder.
    fx.build(&["--out", &out_s])
        .assert_code(0, "second build into the folder");
    assert!(out.join(".gitkeep").is_file(), "the .gitkeep was lost on rebuild");
}

#[test]
fn accepts_an_empty_folder_and_a_missing_one() {
    let fx = Fixture::new();
    let empty = fx.path("empty");
    fs::create_dir(&empty).unwrap();
    fx.build(&["--out", &empty.to_string_lossy()])
        .assert_code(0, "build into an empty folder");
    assert!(empty.join("index.html").is_file());
    let missing = fx.path("a/b/c");
    fx.build(&["--out", &missing.to_string_lossy()])
        .assert_code(0, "build into a folder that does not exist");
    assert!(missing.join("index.html").is_file());
}

#[test]
fn figures_and_tables_are_numbered_across_sections() {
    let fx = Fixture::built();
    let html = fx.index_html();
    assert!(element_by_id(&html, "figure", "fig-capex").contains("Figure 1"));
    assert!(element_by_id(&html, "figure", "fig-split").contains("Figure 2"));
    assert!(element_by_id(&html, "figure", "tbl-shares").contains("Table 1"));
    // Section 1 refers forward to section 2's figure and table.
    let links: Vec<_> = elements(&html)
        .into_iter()
        .filter(|e| e.tag == "a" && e.has_class("xref"))
        .collect();
    let link = |href: &str| {
        links
            .iter()
            .find(|e| e.get("href") == Some(href))
            .unwrap_or_else(|| panic!("no cross-reference to {href}"))
            .text
            .clone()
    };
    assert_eq!(link("#fig-split"), "Figure 2");
    assert_eq!(link("#fig-capex"), "Figure 1");
    assert_eq!(link("#tbl-shares"), "Table 1");
    assert_eq!(link("#intro"), "Section 1");
}

#[test]
fn ids_are_unique_and_footnotes_are_namespaced_by_section() {
    let fx = Fixture::built();
    let html = fx.index_html();
    let all = ids(&html);
    let mut seen = BTreeSet::new();
    for id in &all {
        assert!(seen.insert(id), "the id `{id}` appears twice on the page");
    }
    // Both sections have a `## Background` heading.
    let headings: Vec<_> = elements(&html)
        .into_iter()
        .filter(|e| e.tag == "h3" && e.text.trim() == "Background")
        .map(|e| e.get("id").unwrap_or_default().to_string())
        .collect();
    assert_eq!(headings.len(), 2, "both Background headings should be h3 with ids");
    assert_ne!(headings[0], headings[1]);
    // Both sections use `[^1]`.
    assert!(
        all.contains(&"intro--fn-1".to_string()) && all.contains(&"detail--fn-1".to_string()),
        "footnote ids: {all:?}"
    );
    assert!(html.contains("href=\"#intro--fn-1\"") && html.contains("href=\"#detail--fn-1\""));
}

fn assert_unique_ids(html: &str) {
    let mut seen = BTreeSet::new();
    for id in ids(html) {
        assert!(seen.insert(id.clone()), "the id `{id}` appears twice on the page");
    }
}

#[test]
fn heading_ids_do_not_collide_with_footnote_ids() {
    let fx = Fixture::new();
    // Slugs to `detail-fn-1`, the id of section `detail`'s first footnote.
    fx.replace(INTRO, "## Background", "## Detail fn 1");
    fx.build(&[]).assert_code(0, "build");
    assert_unique_ids(&fx.index_html());
}

#[test]
fn heading_ids_do_not_collide_with_source_ids() {
    let fx = Fixture::new();
    // Slugs to `src-paper`, the id of the Sources list's entry for `paper`.
    fx.replace(INTRO, "## Background", "## Src paper");
    fx.build(&[]).assert_code(0, "build");
    assert_unique_ids(&fx.index_html());
}

#[test]
fn inline_svg_draws_the_chart_file_marks() {
    let fx = Fixture::built();
    let html = fx.index_html();
    for id in ["capex", "split"] {
        let svg = fs::read_to_string(fx.out().join(format!("charts/{id}.svg"))).unwrap();
        let fig = element_by_id(&html, "figure", &format!("fig-{id}"));
        // The file adds its own title and source line, so positions differ;
        // the data drawn is the same.
        let data: Vec<&str> = svg
            .lines()
            .filter(|l| l.contains("class=\"mark\""))
            .map(|l| &l[l.find("data-key").expect("data-key")..])
            .collect();
        assert!(!data.is_empty(), "charts/{id}.svg has marks");
        for d in data {
            assert!(
                fig.contains(d),
                "the figure should draw the mark `{d}` of charts/{id}.svg"
            );
        }
        assert!(svg.contains("<desc id=\"fig-") && fig.contains("<desc id=\"fig-"));
    }
}

/// Prefixes `rel` with a UTF-8 byte order mark, as some Windows editors save.
fn add_bom(fx: &Fixture, rel: &str) {
    let text = fx.read(rel);
    fx.write(rel, &format!("\u{feff}{text}"));
}

#[test]
fn utf8_bom_is_accepted_in_a_section() {
    let fx = Fixture::new();
    add_bom(&fx, INTRO);
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "check of a section saved with a byte order mark");
}

#[test]
fn utf8_bom_is_accepted_in_a_dataset() {
    let fx = Fixture::new();
    add_bom(&fx, CAPEX);
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "check of a dataset saved with a byte order mark");
}

#[test]
fn utf8_bom_is_accepted_in_report_yaml() {
    let fx = Fixture::new();
    add_bom(&fx, "content/report.yaml");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "check of report.yaml saved with a byte order mark");
}

#[test]
fn typed_number_warning_points_at_the_number() {
    let fx = Fixture::new();
    // 40 is capex.cn.usd as shown; 1400 is not a value.
    fx.replace(INTRO, "## Background", "Back in 1400, China spent 40 units.");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "check with a typed number");
    let d = r.diags();
    let w = d
        .iter()
        .find(|d| d.message.contains("40 is typed"))
        .unwrap_or_else(|| panic!("no typed-number warning:\n{}", r.stdout));
    let at = fx.pos(INTRO, "40 units");
    assert_eq!((w.file.as_str(), w.line, w.column), (INTRO, at.line, at.col), "{w}");
}

#[test]
fn lang_zh_builds_the_chinese_edition() {
    let fx = Fixture::new();
    fx.build(&["--lang", "zh"]).assert_code(0, "build --lang zh");
    let html = fx.index_html();
    assert!(
        html.contains("<html lang=\"zh-Hans\""),
        "the page should declare its language"
    );
    assert!(element_by_id(&html, "figure", "fig-capex").contains("图1"));
    assert!(element_by_id(&html, "figure", "tbl-shares").contains("表1"));
    assert!(
        html.contains(">1500亿美元</data>"),
        "values should be written the Chinese way"
    );
}

#[test]
fn deny_warnings_turns_a_warning_into_exit_1() {
    let fx = Fixture::new();
    fx.write(
        "content/data/spare.yaml",
        &common::SPLIT_YAML.replace("How spending is split", "Spare"),
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "check with a warning");
    let d = r.diags();
    assert_eq!(d.len(), 1, "one warning expected:\n{}", r.stdout);
    assert_eq!(d[0].severity, "warning");
    assert_eq!(d[0].file, "content/data/spare.yaml");
    assert!(d[0].message.contains("not used"), "{}", d[0]);
    let r = fx.check(&["--deny-warnings", "--format", "json"]);
    r.assert_no_panic("check --deny-warnings");
    r.assert_code(1, "check --deny-warnings with a warning");
    assert!(r.diags().iter().any(|d| d.file == "content/data/spare.yaml"));
    // A build still succeeds: warnings do not stop it.
    fx.build(&[]).assert_code(0, "build with a warning");
}

#[test]
fn github_format_prints_workflow_commands() {
    let fx = Fixture::new();
    fx.replace(CAPEX, "usd: 150", "usd: \"lots\"");
    let r = fx.check(&["--format", "github"]);
    r.assert_code(1, "check --format github");
    let first = r.stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("::error file=content/data/capex.yaml,line=12,col=10::"),
        "expected a GitHub error command on stdout, got:\n{}",
        r.stdout
    );
    assert!(first.contains("should be a number"), "{first}");
}

#[test]
fn github_format_marks_warnings() {
    let fx = Fixture::new();
    fx.write(
        "content/data/spare.yaml",
        &common::SPLIT_YAML.replace("How spending is split", "Spare"),
    );
    let r = fx.check(&["--format", "github"]);
    r.assert_code(0, "check --format github with a warning");
    assert!(
        r.stdout
            .starts_with("::warning file=content/data/spare.yaml,line=1,col=1::"),
        "{}",
        r.stdout
    );
}

#[test]
fn human_format_shows_the_location_and_the_line() {
    let fx = Fixture::new();
    fx.replace(CAPEX, "usd: 150", "usd: \"lots\"");
    let r = fx.build(&[]);
    r.assert_code(1, "build");
    assert!(r.stderr.contains("content/data/capex.yaml:12:10"), "{}", r.stderr);
    assert!(
        r.stderr.contains("usd: \"lots\""),
        "the offending line should be quoted:\n{}",
        r.stderr
    );
    assert!(r.stderr.contains("built nothing"), "{}", r.stderr);
    assert!(!fx.out().exists(), "a failed first build must not create the output");
}

#[test]
fn json_format_is_one_object_per_line_with_relative_paths() {
    let fx = Fixture::new();
    fx.replace(CAPEX, "rmb: 280", "rmb: 100");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "check");
    for d in r.diags() {
        assert!(!d.file.starts_with('/'), "paths must be relative to the root: {d}");
        assert!(d.line >= 1 && d.column >= 1, "lines and columns are 1-based: {d}");
        for rel in &d.related {
            assert!(!rel.file.starts_with('/') && rel.line >= 1 && rel.column >= 1, "{d}");
        }
    }
}

#[test]
fn library_api_matches_the_cli() {
    let fx = Fixture::new();
    let out = fx.out();
    let o = quire::build(fx.root(), &out);
    assert!(!o.failed(), "{:?}", o.diagnostics);
    let s = o.summary.expect("a summary");
    assert_eq!((s.sections, s.figures, s.tables), (2, 2, 1));
    assert!(out.join("index.html").is_file());
    let o = quire::check(fx.root());
    assert!(!o.failed() && o.diagnostics.is_empty(), "{:?}", o.diagnostics);

    fx.replace(CAPEX, "usd: 150", "usd: \"lots\"");
    let before = snapshot(&out);
    let o = quire::build(fx.root(), &out);
    assert!(o.failed());
    assert!(o.summary.is_none());
    let d = o.diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!((d.loc.file.as_str(), d.loc.line, d.loc.col), (CAPEX, 12, 10));
    assert_same_tree(&before, &snapshot(&out), "a failed library build");
}

#[test]
fn a_good_change_replaces_the_output_whole() {
    let fx = Fixture::built();
    fs::write(fx.out().join("stale.txt"), "left from before").unwrap();
    fx.replace(
        DETAIL,
        "```stats\n- value: capex.us.usd\n  label: \"US capital expenditure\"\n```\n",
        "",
    );
    fx.replace(INTRO, "type: hbar", "type: bar");
    fx.build(&[]).assert_code(0, "rebuild");
    assert!(
        !fx.out().join("stale.txt").exists(),
        "files from a previous build should not survive a rebuild"
    );
    assert!(fx.leftovers().is_empty(), "staging folders left: {:?}", fx.leftovers());
}
