//! A catalogue of bad inputs: one test each.
//!
//! Every test starts from the good fixture, already built into `output/`,
//! breaks one thing, and asserts through [`Fixture::expect_error`] that
//! `quire check` and `quire build` both exit 1 without panicking, that the
//! first error points at exactly the expected file, line and column and says
//! what is wrong, and that the failed build left the previous output
//! byte-for-byte as it was. Usage errors (exit 2) are at the end.

mod common;

use common::{At, Fixture, quire};

const REPORT: &str = "content/report.yaml";
const CAPEX: &str = "content/data/capex.yaml";
const SPLIT: &str = "content/data/split.yaml";
const INTRO: &str = "content/sections/01-intro.md";
const DETAIL: &str = "content/sections/02-detail.md";

fn at(file: &str, line: usize, col: usize) -> At {
    At {
        file: file.to_string(),
        line,
        col,
    }
}

// ---------------------------------------------------------------- YAML syntax

#[test]
fn yaml_syntax_error_in_dataset() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "scope: \"Two countries, one year\"",
        "scope: Two countries: one year",
    );
    // libyaml stops at the second `:` of the plain scalar.
    let d = fx.expect_error(fx.pos(CAPEX, ": one year"), "invalid YAML");
    assert_eq!(d.line, 2);
}

#[test]
fn yaml_syntax_error_in_report_yaml() {
    let fx = Fixture::built();
    fx.replace(
        REPORT,
        "subtitle: \"A small report for tests\"",
        "subtitle: A small: report",
    );
    let d = fx.expect_error(fx.pos(REPORT, ": report"), "invalid YAML");
    assert_eq!(d.line, 2);
}

#[test]
fn yaml_syntax_error_in_front_matter() {
    let fx = Fixture::built();
    fx.replace(
        INTRO,
        "summary: \"Why the numbers matter\"",
        "summary: Why: the numbers",
    );
    // Line 3 of the .md file (the front matter starts on line 2).
    let d = fx.expect_error(fx.pos(INTRO, ": the numbers"), "invalid YAML");
    assert_eq!(d.line, 3);
}

#[test]
fn yaml_syntax_error_in_chart_block() {
    let fx = Fixture::built();
    fx.replace(
        INTRO,
        "caption: \"China converted at the implied rate.\"",
        "caption: China: converted",
    );
    // The line in the .md file, not line 7 of the block.
    let d = fx.expect_error(fx.pos(INTRO, ": converted"), "invalid YAML");
    assert_eq!(d.line, 19);
}

#[test]
fn yaml_duplicate_key_in_a_row() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "    usd: 150\n", "    usd: 150\n    usd: 155\n");
    fx.expect_error(fx.pos(CAPEX, "usd: 155"), "duplicate");
}

// ---------------------------------------------------------------- wrong types

#[test]
fn string_where_a_number_goes() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "usd: 150", "usd: \"lots\"");
    fx.expect_error(fx.pos(CAPEX, "\"lots\""), "should be a number");
}

#[test]
fn list_where_text_goes_in_a_dataset() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "label: \"China\"", "label: [China, PRC]");
    fx.expect_error(fx.pos(CAPEX, "label: [China"), "should be text");
}

#[test]
fn list_where_text_goes_in_a_chart_block() {
    let fx = Fixture::built();
    fx.replace(
        INTRO,
        "title: \"AI capital expenditure (USD bn)\"",
        "title: [AI, capex]",
    );
    let d = fx.expect_error(fx.pos(INTRO, "title: [AI"), "should be text");
    assert_eq!(d.line, 18);
}

#[test]
fn wrong_type_for_report_date_written_after_sources() {
    // The root `date:` comes after `sources:`, whose entries also have a
    // `date:`; the error must point at the root key, not a source's.
    let fx = Fixture::built();
    fx.replace(REPORT, "date: \"2026-01-01\"\n", "");
    let text = fx.read(REPORT) + "date: [2026]\n";
    fx.write(REPORT, &text);
    fx.expect_error(fx.pos(REPORT, "date: [2026]"), "should be a string");
}

#[test]
fn non_finite_number_in_a_row() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "usd: 150", "usd: .inf");
    // A wrong value points at the value itself, not its key.
    fx.expect_error(fx.pos(CAPEX, ".inf"), "not a finite number");
}

#[test]
fn bad_unit_string() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "unit: RMB bn}", "unit: RMB lots}");
    fx.expect_error(fx.pos(CAPEX, "unit: RMB lots"), "not a unit");
}

// ---------------------------------------------------------------- chart blocks

#[test]
fn unknown_dataset_in_a_chart() {
    let fx = Fixture::built();
    fx.replace(INTRO, "data: capex", "data: capx");
    let d = fx.expect_error(fx.pos(INTRO, "data: capx"), "unknown dataset `capx`");
    assert!(d.hint.contains("capex"), "the hint should suggest `capex`: {d}");
}

#[test]
fn unknown_field_in_chart_series() {
    let fx = Fixture::built();
    fx.replace(INTRO, "series: [usd]", "series: [eur]");
    fx.expect_error(fx.pos(INTRO, "eur]"), "unknown field `eur`");
}

#[test]
fn unknown_row_in_a_chart() {
    let fx = Fixture::built();
    fx.replace(INTRO, "rows: [us, cn]", "rows: [us, jp]");
    fx.expect_error(fx.pos(INTRO, "jp]"), "unknown row `jp`");
}

#[test]
fn unknown_chart_type() {
    let fx = Fixture::built();
    fx.replace(INTRO, "type: hbar", "type: pie");
    fx.expect_error(fx.pos(INTRO, "type: pie"), "unknown chart type `pie`");
}

#[test]
fn unknown_key_in_a_chart_block() {
    let fx = Fixture::built();
    fx.replace(INTRO, "series: [usd]", "serie: [usd]");
    let d = fx.expect_error(fx.pos(INTRO, "serie:"), "unknown key `serie`");
    assert!(d.hint.contains("`series`"), "the hint should suggest `series`: {d}");
}

#[test]
fn duplicate_chart_id() {
    let fx = Fixture::built();
    let dup = "```chart\nid: capex\ntype: hbar\ndata: capex\nseries: [rmb]\ntitle: \"Again\"\ndescription: \"Again.\"\n```\n\n";
    fx.replace(DETAIL, "```stats\n", &format!("{dup}```stats\n"));
    // The second block's `id:` line.
    let text = fx.read(DETAIL);
    let (line, col) = common::pos_in(&text, "id: capex");
    let d = fx.expect_error(at(DETAIL, line, col), "used twice");
    assert!(
        d.related
            .iter()
            .any(|r| r.file == INTRO && r.line == fx.pos(INTRO, "id: capex").line),
        "the error should also point at the first `capex` chart: {d}"
    );
}

#[test]
fn empty_series() {
    let fx = Fixture::built();
    // Japan states no dollar figure; a chart of Japan's dollars has nothing to draw.
    fx.replace(
        CAPEX,
        "derived:\n",
        "  - key: jp\n    label: \"Japan\"\n    rmb: 50\nderived:\n",
    );
    fx.replace(INTRO, "rows: [us, cn]", "rows: [jp]");
    fx.expect_error(fx.pos(INTRO, "usd]"), "no values");
}

#[test]
fn negative_value_in_a_donut() {
    let fx = Fixture::built();
    fx.replace(SPLIT, "chips: 45", "chips: -45");
    fx.replace(DETAIL, "type: stacked-bar", "type: donut");
    fx.replace(DETAIL, "series: [chips, centres]", "series: [chips]");
    fx.replace(DETAIL, "normalize: true\n", "");
    // A chart-level error points at the block's opening fence.
    fx.expect_error(fx.pos(DETAIL, "```chart"), "negative");
}

#[test]
fn broken_chart_does_not_cascade_into_unknown_references() {
    // The block declares `id: capex`; once its error is reported, the prose's
    // `@fig:capex` should not be reported as pointing at nothing.
    let fx = Fixture::built();
    fx.replace(INTRO, "type: hbar", "type: pie");
    fx.expect_error(fx.pos(INTRO, "type: pie"), "unknown chart type");
    let r = fx.check(&["--format", "json"]);
    let extra: Vec<String> = r
        .errors()
        .iter()
        .filter(|d| d.message.contains("@fig:capex"))
        .map(ToString::to_string)
        .collect();
    assert!(
        extra.is_empty(),
        "a follow-on error claims the chart does not exist:\n{}",
        extra.join("\n")
    );
}

#[test]
fn chart_block_without_title_points_at_the_block() {
    let fx = Fixture::built();
    fx.replace(INTRO, "title: \"AI capital expenditure (USD bn)\"\n", "");
    // The block's first line, not line 1 of the file.
    fx.expect_error(fx.pos(INTRO, "id: capex"), "missing `title`");
}

// ---------------------------------------------------------------- datasets

#[test]
fn unknown_field_in_a_dataset_row() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "    rmb: 1050\n", "    rmb: 1050\n    eur: 7\n");
    fx.expect_error(fx.pos(CAPEX, "eur: 7"), "unknown field `eur`");
}

#[test]
fn duplicate_row_key() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "- key: cn", "- key: us");
    // The second `key: us`, on line 14.
    fx.expect_error(at(CAPEX, 14, 5), "duplicate row key `us`");
}

#[test]
fn missing_rows() {
    let fx = Fixture::built();
    let text = fx.read(SPLIT);
    let (head, rest) = text.split_once("rows:\n").unwrap();
    let (_, tail) = rest.split_once("checks:\n").unwrap();
    fx.write(SPLIT, &format!("{head}checks:\n{tail}"));
    fx.expect_error(at(SPLIT, 1, 1), "missing `rows`");
}

#[test]
fn unknown_source_id_in_cites() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "cites: [paper]", "cites: [papr]");
    let d = fx.expect_error(fx.pos(CAPEX, "papr]"), "unknown source `papr`");
    assert!(d.hint.contains("paper"), "the hint should suggest `paper`: {d}");
}

#[test]
fn bad_expression_in_a_derived_value() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  broken: {expr: \"us.usd * \", unit: USD bn}\nchecks:\n",
    );
    fx.expect_error(fx.pos(CAPEX, "expr: \"us.usd * \""), "bad expression");
}

#[test]
fn cycle_between_derived_values() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  alpha: {expr: \"beta * 2\"}\n  beta: {expr: \"alpha / 2\"}\nchecks:\n",
    );
    let d = fx.expect_error(fx.pos(CAPEX, "alpha: {"), "depends on itself");
    assert!(d.message.contains("beta"), "the cycle should be named: {d}");
}

#[test]
fn division_by_zero_in_a_derived_value() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  broken: {expr: \"us.usd / (us.rmb - us.rmb)\", unit: USD/RMB}\nchecks:\n",
    );
    fx.expect_error(fx.pos(CAPEX, "broken:"), "division by zero");
}

#[test]
fn unit_mismatch_in_a_derive() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  mixed: {expr: \"us.usd + us.rmb\", unit: USD bn}\nchecks:\n",
    );
    let d = fx.expect_error(fx.pos(CAPEX, "mixed:"), "unit mismatch");
    assert!(
        d.message.contains("USD") && d.message.contains("RMB"),
        "the message should name both units: {d}"
    );
}

#[test]
fn unit_mismatch_in_a_derived_cell() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "usd: {derive: \"rmb / rate\"}",
        "usd: {derive: \"rmb + us.usd\"}",
    );
    let d = fx.expect_error(fx.pos(CAPEX, "usd: {derive"), "unit mismatch");
    assert!(
        d.message.contains("USD") && d.message.contains("RMB"),
        "the message should name both units: {d}"
    );
}

#[test]
fn failing_check() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "rmb: 280", "rmb: 100");
    let d = fx.expect_error(fx.pos(CAPEX, "\"between"), "does not hold");
    let claim = fx.pos(INTRO, "{{claim capex.cn_quarter");
    assert!(
        d.related
            .iter()
            .any(|r| r.file == INTRO && r.line == claim.line && r.column == claim.col),
        "a related entry must point at the claim in the prose ({INTRO}:{}:{}): {d}",
        claim.line,
        claim.col
    );
}

#[test]
fn failing_check_points_at_every_claim_on_a_line() {
    let fx = Fixture::built();
    fx.replace(
        INTRO,
        "a quarter to a third}} of the US figure",
        "a quarter to a third}} of the US figure, {{claim capex.cn_quarter: well under half}}",
    );
    fx.replace(CAPEX, "rmb: 280", "rmb: 100");
    let d = fx.expect_error(fx.pos(CAPEX, "\"between"), "does not hold");
    let second = fx.pos(INTRO, "{{claim capex.cn_quarter: well under half}}");
    let first = fx.pos(INTRO, "{{claim capex.cn_quarter: a quarter");
    let places: Vec<(usize, usize)> = d.related.iter().map(|r| (r.line, r.column)).collect();
    assert!(
        places.contains(&(first.line, first.col)),
        "related should include the first claim: {d}"
    );
    assert!(
        places.contains(&(second.line, second.col)),
        "related should include the second claim: {d}"
    );
}

#[test]
fn huge_number_in_a_row() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "usd: 150", "usd: 1e400");
    fx.expect_error(fx.pos(CAPEX, "1e400"), "not a finite number");
}

#[test]
fn nan_in_a_row() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "rmb: 280", "rmb: .nan");
    fx.expect_error(fx.pos(CAPEX, ".nan"), "not a finite number");
}

#[test]
fn digits_out_of_range() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "    digits: 2", "    digits: 300000000");
    let d = fx.expect_error(fx.pos(CAPEX, "300000000"), "more than 12");
    assert!(d.hint.contains("0 to 12"), "{d:?}");
}

#[test]
fn field_named_label() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "  rmb: {label: \"Renminbi\", unit: RMB bn}",
        "  label: {unit: RMB bn}",
    );
    fx.expect_error(fx.pos(CAPEX, "label: {unit"), "`label` cannot be a field name");
}

#[test]
fn flow_row_over_two_lines_is_located_at_its_line() {
    let fx = Fixture::built();
    fx.replace(
        CAPEX,
        "  - key: us\n    label: \"United States\"\n    usd: 150\n    rmb: 1050\n",
        "  - {key: us, label: \"United States\",\n     usd: abc, rmb: 1050}\n",
    );
    fx.expect_error(fx.pos(CAPEX, "abc"), "should be a number");
}

#[test]
fn deeply_nested_yaml_in_a_dataset() {
    let fx = Fixture::built();
    fx.replace(CAPEX, "cites: [paper]", &format!("cites: {}", "[".repeat(100_000)));
    fx.expect_error(fx.pos_plus(CAPEX, "cites: [", 69), "nests more than 64 levels");
}

#[test]
fn csv_dataset_without_side_file() {
    let fx = Fixture::built();
    fx.write("content/data/gdp.csv", "year,usd\n1971,1\n");
    fx.expect_error(at("content/data/gdp.csv", 1, 1), "has no side file");
}

// ---------------------------------------------------------------- prose

#[test]
fn unknown_value_in_prose() {
    let fx = Fixture::built();
    fx.replace(INTRO, "{{capex.rate}}", "{{capex.rat}}");
    let d = fx.expect_error(fx.pos(INTRO, "{{capex.rat}}"), "unknown value `capex.rat`");
    assert!(
        d.message.contains("capex.rate") || d.hint.contains("capex.rate"),
        "should suggest capex.rate: {d}"
    );
}

#[test]
fn unknown_value_in_prose_with_spaces_inside_the_braces() {
    let fx = Fixture::built();
    fx.replace(INTRO, "{{capex.rate}}", "{{ capex.rat }}");
    fx.expect_error(fx.pos(INTRO, "{{ capex.rat }}"), "unknown value `capex.rat`");
}

#[test]
fn unknown_value_in_a_stats_block() {
    let fx = Fixture::built();
    fx.replace(DETAIL, "value: capex.us.usd", "value: capex.us.eur");
    fx.expect_error(fx.pos(DETAIL, "value: capex.us.eur"), "unknown value `capex.us.eur`");
}

#[test]
fn unknown_figure_reference() {
    let fx = Fixture::built();
    fx.replace(INTRO, "@fig:capex;", "@fig:capx;");
    let d = fx.expect_error(fx.pos(INTRO, "@fig:capx"), "unknown reference `@fig:capx`");
    assert!(d.hint.contains("@fig:capex"), "the hint should suggest @fig:capex: {d}");
}

#[test]
fn unknown_section_reference() {
    let fx = Fixture::built();
    fx.replace(DETAIL, "@sec:intro", "@sec:intra");
    fx.expect_error(fx.pos(DETAIL, "@sec:intra"), "unknown reference `@sec:intra`");
}

#[test]
fn unknown_check_in_a_claim() {
    let fx = Fixture::built();
    fx.replace(INTRO, "{{claim capex.cn_quarter:", "{{claim capex.cn_quartr:");
    fx.expect_error(
        fx.pos(INTRO, "{{claim capex.cn_quartr"),
        "unknown check `capex.cn_quartr`",
    );
}

#[test]
fn unclosed_binding() {
    let fx = Fixture::built();
    fx.replace(INTRO, "{{capex.rate}}", "{{capex.rate");
    fx.expect_error(fx.pos(INTRO, "{{capex.rate"), "not closed");
}

#[test]
fn unclosed_binding_followed_by_another_binding() {
    // The `}}` of the next binding must not close the unclosed one.
    let fx = Fixture::built();
    fx.replace(INTRO, "{{capex.us.usd}} and China", "{{capex.us.usd and China");
    fx.expect_error(fx.pos(INTRO, "{{capex.us.usd and"), "not closed");
}

#[test]
fn footnote_reference_without_definition() {
    let fx = Fixture::built();
    fx.replace(INTRO, "[^1]: Both figures are for the calendar year.\n", "");
    fx.expect_error(fx.pos(INTRO, "[^1]"), "no definition");
}

// ---------------------------------------------------------------- sections

#[test]
fn invalid_utf8_in_a_section() {
    let fx = Fixture::built();
    let text = fx.read(INTRO);
    let (line, col) = common::pos_in(&text, "ates spent");
    let bytes = text
        .replacen("The United States spent", "The United St\u{0}ates spent", 1)
        .into_bytes();
    // Swap the NUL for a lone 0xFF byte, which is never valid UTF-8.
    let bytes: Vec<u8> = bytes.into_iter().map(|b| if b == 0 { 0xFF } else { b }).collect();
    fx.write_bytes(INTRO, &bytes);
    fx.expect_error(at(INTRO, line, col), "not valid UTF-8");
}

#[test]
fn section_without_front_matter() {
    let fx = Fixture::built();
    let text = fx.read(INTRO);
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    fx.write(INTRO, body);
    fx.expect_error(at(INTRO, 1, 1), "front matter");
}

#[test]
fn front_matter_without_title() {
    let fx = Fixture::built();
    fx.replace(INTRO, "title: \"Introduction\"\n", "");
    fx.expect_error(at(INTRO, 1, 1), "no `title`");
}

#[test]
fn unknown_key_in_front_matter() {
    let fx = Fixture::built();
    fx.replace(INTRO, "summary: \"Why", "sumary: \"Why");
    let d = fx.expect_error(at(INTRO, 3, 1), "unknown key `sumary`");
    assert!(d.hint.contains("`summary`"), "the hint should suggest `summary`: {d}");
}

#[test]
fn sections_order_names_a_missing_file() {
    let fx = Fixture::built();
    fx.replace(REPORT, "lang: en\n", "lang: en\nsections:\n  - 01-intro\n  - 03-gone\n");
    // Point at the item that names no file.
    fx.expect_error(fx.pos(REPORT, "03-gone"), "03-gone");
}

// ---------------------------------------------------------------- templates

#[test]
fn missing_template_falls_back_to_the_built_in_default() {
    let fx = Fixture::built();
    let before = fx.index_html();
    fx.remove("templates/partials/figure.html");
    let r = fx.build(&[]);
    r.assert_code(0, "a project may leave out any template quire has built in");
    assert_eq!(fx.index_html(), before, "the built-in template is the repository's");
}

#[test]
fn template_syntax_error() {
    let fx = Fixture::built();
    fx.insert_line("templates/partials/stats.html", 3, "  {{ stats.tiles | }}");
    let t = "templates/partials/stats.html";
    // Tera reports where it expected the filter name: just after `| `.
    let d = fx.expect_error(fx.pos_plus(t, "| }}", 2), "template");
    assert_eq!(d.line, 3);
}

#[test]
fn a_site_template_error_stops_a_report_build_too() {
    // A report never renders the site's templates; an edited one is still
    // compiled, so its mistake is found before the project turns into a site.
    let fx = Fixture::built();
    let t = "templates/site/404.html";
    fx.insert_line(t, 2, "  {{ page.title | }}");
    let d = fx.expect_error(fx.pos_plus(t, "| }}", 2), "template");
    assert_eq!(d.line, 2);
}

#[test]
fn template_uses_an_undefined_variable() {
    let fx = Fixture::built();
    let t = "templates/partials/figure.html";
    fx.insert_line(t, 3, "<p>{{ figure.nope }}</p>");
    // Tera points at the field that is not defined.
    fx.expect_error(fx.pos(t, "nope }}"), "nope");
}

// ---------------------------------------------------------------- usage errors

#[test]
fn usage_unknown_flag() {
    let fx = Fixture::built();
    let before = common::snapshot(fx.root());
    let r = fx.build(&["--bogus"]);
    r.assert_no_panic("unknown flag");
    r.assert_code(2, "unknown flag");
    assert!(
        r.stderr.contains("--bogus"),
        "stderr should name the flag:\n{}",
        r.stderr
    );
    common::assert_same_tree(&before, &common::snapshot(fx.root()), "a usage error changed files");
}

#[test]
fn usage_unknown_subcommand() {
    let r = quire(&["frobnicate"]);
    r.assert_no_panic("unknown subcommand");
    r.assert_code(2, "unknown subcommand");
    assert!(
        r.stderr.contains("frobnicate"),
        "stderr should name the subcommand:\n{}",
        r.stderr
    );
}

#[test]
fn usage_no_subcommand() {
    let r = quire(&[]);
    r.assert_no_panic("no subcommand");
    r.assert_code(2, "no subcommand");
}

#[test]
fn usage_unknown_format() {
    let fx = Fixture::new();
    let r = fx.check(&["--format", "xml"]);
    r.assert_no_panic("unknown format");
    r.assert_code(2, "unknown format");
    assert!(r.stderr.contains("xml"), "stderr should name the value:\n{}", r.stderr);
}

#[test]
fn usage_deny_warnings_is_not_a_build_flag() {
    let fx = Fixture::new();
    let r = fx.build(&["--deny-warnings"]);
    r.assert_no_panic("build --deny-warnings");
    r.assert_code(2, "build --deny-warnings");
}

#[test]
fn usage_unknown_language() {
    let fx = Fixture::new();
    let r = fx.check(&["--lang", "fr"]);
    r.assert_no_panic("unknown --lang");
    r.assert_code(2, "unknown --lang");
    assert!(r.stderr.contains("fr"), "stderr should name the value:\n{}", r.stderr);
}

#[test]
fn missing_root_is_a_content_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("nope");
    let r = quire(&["check", "--root", &root.to_string_lossy(), "--format", "json"]);
    let d = common::first_error(&r, "check of a missing root", &at(REPORT, 1, 1), "cannot read");
    assert!(d.hint.contains("--root"), "the hint should mention --root: {d}");
}

#[test]
fn a_broken_section_listed_in_sections_reports_its_own_error_only() {
    let fx = Fixture::built();
    fx.replace(
        "content/report.yaml",
        "lang: en",
        "lang: en\nsections: [01-intro, 02-detail]",
    );
    // The front matter is never closed.
    fx.replace(
        "content/sections/01-intro.md",
        "summary: \"Why the numbers matter\"\n---",
        "summary: \"Why the numbers matter\"",
    );
    let d = fx.expect_error(
        At {
            file: "content/sections/01-intro.md".into(),
            line: 1,
            col: 1,
        },
        "not closed",
    );
    let errors = fx.check(&["--format", "json"]).errors();
    assert_eq!(
        errors.len(),
        1,
        "the listing does not add a second, misleading error: {errors:?} ({d})"
    );
}

#[test]
fn every_mistake_in_report_yaml_is_reported_in_one_run() {
    let fx = Fixture::built();
    let r = "content/report.yaml";
    fx.replace(r, "title: \"Fixture report\"\n", "");
    fx.replace(r, "us: \"#0072B2\"", "us: \"blue\"");
    fx.replace(r, "lang: en", "lang: en\nhtml: maybe");
    let run = fx.check(&["--format", "json"]);
    run.assert_no_panic("three mistakes");
    run.assert_code(1, "three mistakes");
    let errors = run.errors();
    let said = |what: &str| errors.iter().any(|d| d.file == r && d.message.contains(what));
    assert!(said("title"), "the missing title: {errors:?}");
    assert!(said("not a colour"), "the bad colour: {errors:?}");
    assert!(said("html policy"), "the unknown policy: {errors:?}");
}
