//! quire's guarantees, each held by a test: nothing panics or aborts on
//! hostile sizes, every stage stays linear or n·log n (shown by comparing n
//! with 10·n, never by absolute seconds), nothing unsafe reaches the page,
//! no value prints as nonsense, and the command line keeps its conventions.

mod common;

use common::{Fixture, elements, ids};
use quire::diag::{Diagnostic, Format, Loc, SourceMap};

const CAPEX: &str = "content/data/capex.yaml";
const INTRO: &str = "content/sections/01-intro.md";

/// Tests in this file run one at a time, so timings compare like with like.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Asserts that `run(10·n)` takes less than 20 times `run(n)`: linear or
/// n·log n work passes with room to spare, quadratic work (100×) fails.
fn assert_scales(what: &str, n: usize, run: impl Fn(usize)) {
    let ratio = quire::scaling::time_ratio(|| run(n), || run(10 * n));
    assert!(
        ratio < 20.0,
        "{what}: 10× the input took {ratio:.1}× the time; expected about 10×"
    );
}

/// A fixture whose intro section has `body` appended after the front matter's prose.
fn with_intro_extra(extra: &str) -> Fixture {
    let fx = Fixture::new();
    let intro = fx.read(INTRO);
    fx.write(INTRO, &format!("{intro}\n{extra}\n"));
    fx
}

/// Checks in-process and returns the diagnostics; panics if quire reports
/// an error without a place.
fn check(fx: &Fixture) -> Vec<Diagnostic> {
    let outcome = quire::check(fx.root());
    for d in &outcome.diagnostics {
        assert!(!d.loc.file.is_empty() && d.loc.line > 0, "unlocated diagnostic: {d}");
    }
    outcome.diagnostics
}

fn errors(ds: &[Diagnostic]) -> Vec<&Diagnostic> {
    ds.iter().filter(|d| d.is_error()).collect()
}

// ---------------------------------------------------------------- panics

#[test]
fn deep_nesting_is_a_located_error_not_a_stack_overflow() {
    let _serial = serial();
    let fx = Fixture::new();
    for (what, expr) in [
        (
            "parentheses",
            format!("{}us.usd{}", "(".repeat(10_000), ")".repeat(10_000)),
        ),
        ("unary minus", format!("{}us.usd", "-".repeat(10_000))),
        (
            "calls",
            format!("{}us.usd{}", "abs(".repeat(10_000), ")".repeat(10_000)),
        ),
    ] {
        fx.write(
            CAPEX,
            &common::CAPEX_YAML.replace(
                "checks:\n",
                &format!("  deep: {{expr: \"{expr}\", unit: USD bn}}\nchecks:\n"),
            ),
        );
        let r = fx.check(&["--format", "json"]);
        r.assert_no_panic(what);
        r.assert_code(1, what);
        let e = &r.errors()[0];
        let line = common::pos_in(&fx.read(CAPEX), "deep:").0;
        assert_eq!((e.file.as_str(), e.line), (CAPEX, line), "{what}: {e}");
        assert!(e.message.contains("nests more than"), "{what}: {e}");
    }
}

#[test]
fn a_sum_of_100000_terms_is_evaluated() {
    let _serial = serial();
    let fx = Fixture::new();
    let sum = vec!["1"; 100_000].join(" + ");
    fx.write(
        CAPEX,
        &common::CAPEX_YAML.replace(
            "checks:\n",
            &format!("  many: {{expr: \"{sum}\"}}\nchecks:\n  - id: many_pos\n    assert: \"many == 100000\"\n"),
        ),
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_no_panic("a long sum");
    r.assert_code(0, "a long sum");
}

#[test]
/// Through the loader; src/values.rs tests chains of 30,000 without it
/// (the YAML position finder is the slow part here, not the values).
fn a_chain_of_derived_values_is_evaluated_without_recursion() {
    let _serial = serial();
    let fx = Fixture::new();
    let mut derived = String::from("  d0: {expr: \"us.usd\", unit: USD bn}\n");
    for i in 1..400 {
        derived.push_str(&format!("  d{i}: {{expr: \"d{} + 0\", unit: USD bn}}\n", i - 1));
    }
    fx.write(
        CAPEX,
        &common::CAPEX_YAML.replace(
            "checks:\n",
            &format!("{derived}checks:\n  - id: chain_ok\n    assert: \"approx(d399, us.usd, 0.001)\"\n"),
        ),
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_no_panic("a chain of derived values");
    r.assert_code(0, "a chain of derived values");
}

#[test]
fn a_long_cycle_is_one_located_error() {
    let _serial = serial();
    let fx = Fixture::new();
    let mut derived = String::new();
    for i in 0..300 {
        derived.push_str(&format!("  c{i}: {{expr: \"c{} * 2\"}}\n", (i + 1) % 300));
    }
    fx.write(
        CAPEX,
        &common::CAPEX_YAML.replace("checks:\n", &format!("{derived}checks:\n")),
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_no_panic("a long cycle");
    r.assert_code(1, "a long cycle");
    let errors = r.errors();
    assert_eq!(errors.len(), 1, "one error for one cycle: {errors:?}");
    assert!(errors[0].message.contains("depends on itself"), "{}", errors[0]);
    assert_eq!(errors[0].file, CAPEX);
}

// ---------------------------------------------------------------- scaling

#[test]
fn identical_headings_scale_linearly() {
    let _serial = serial();
    // Counted, not timed: each new id costs a bounded number of probes.
    let probes = |n: usize| {
        let mut ids = quire::text::IdSet::default();
        ids.reserve("risks-3");
        for _ in 0..n {
            ids.unique("Risks", "h");
        }
        ids.probes()
    };
    let (small, large) = (probes(2_000), probes(20_000));
    assert!(small <= 2 * 2_000 + 2, "{small} probes for 2,000 ids");
    assert!(large <= 11 * small, "{small} probes for n, {large} for 10·n");
    // And end to end, through the Markdown pass.
    let fx = Fixture::new();
    assert_scales("a section of identical headings", 1_000, |n| {
        let intro = common::INTRO_MD.to_string();
        fx.write(INTRO, &format!("{intro}\n{}", "## Same\n\ntext\n\n".repeat(n)));
        assert!(errors(&check(&fx)).is_empty());
    });
}

#[test]
fn rendering_many_diagnostics_scales_linearly() {
    let _serial = serial();
    let file: String = (0..20_000).map(|i| format!("line {i} with some words\n")).collect();
    let mut files = SourceMap::default();
    files.add("content/sections/01-a.md", &file);
    for i in 0..20 {
        files.add(&format!("content/data/d{i}.yaml"), &file);
    }
    let diags = |n: usize| -> Vec<Diagnostic> {
        (0..n)
            .map(|i| Diagnostic::warning(Loc::new("content/sections/01-a.md", i % 20_000 + 1, 6), "a warning"))
            .collect()
    };
    let small = diags(200);
    let large = diags(2_000);
    assert_scales("rendering diagnostics", 200, |n| {
        let d = if n == 200 { &small } else { &large };
        let text = files.render(d, Format::Human, false);
        assert!(text.contains("a warning"));
    });
}

#[test]
fn many_warnings_scale_linearly() {
    let _serial = serial();
    // Every typed 150 equals capex.us.usd: one warning each.
    let fx = Fixture::new();
    assert_scales("typed-number warnings", 500, |n| {
        fx.write(
            INTRO,
            &format!("{}\n{}\n", common::INTRO_MD, "It was 150 then. ".repeat(n)),
        );
        let ds = check(&fx);
        assert_eq!(ds.iter().filter(|d| d.message.contains("is typed")).count(), n);
    });
}

#[test]
fn many_footnotes_scale_linearly() {
    let _serial = serial();
    let fx = Fixture::new();
    assert_scales("footnotes", 2_000, |n| {
        let refs: String = (0..n).map(|i| format!("Claim {i}.[^n{i}]\n")).collect();
        let defs: String = (0..n).map(|i| format!("[^n{i}]: Note {i}.\n\n")).collect();
        fx.write(INTRO, &format!("{}\n{refs}\n{defs}", common::INTRO_MD));
        assert!(errors(&check(&fx)).is_empty());
    });
}

#[test]
fn many_datasets_rows_and_bindings_scale() {
    let _serial = serial();
    let fx = Fixture::new();
    assert_scales("bound values", 300, |n| {
        fx.write(
            INTRO,
            &format!(
                "{}\n{}\n",
                common::INTRO_MD,
                "We bind {{capex.us.usd}} again. ".repeat(n)
            ),
        );
        assert!(errors(&check(&fx)).is_empty());
    });
}

// ---------------------------------------------------------------- unsafe output

#[test]
fn a_javascript_source_url_is_a_located_error() {
    let _serial = serial();
    for url in [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
    ] {
        let fx = Fixture::new();
        fx.replace(
            "content/report.yaml",
            "    title: \"A survey\"\n",
            &format!("    title: \"A survey\"\n    url: \"{url}\"\n"),
        );
        let r = fx.check(&["--format", "json"]);
        r.assert_no_panic(url);
        r.assert_code(1, url);
        let e = &r.errors()[0];
        assert_eq!(e.file, "content/report.yaml", "{e}");
        assert_eq!(e.line, common::pos_in(&fx.read("content/report.yaml"), "url:").0, "{e}");
        assert!(e.message.contains("scheme"), "{e}");
    }
    // An https address becomes a link.
    let fx = Fixture::new();
    fx.replace(
        "content/report.yaml",
        "    title: \"A survey\"\n",
        "    title: \"A survey\"\n    url: \"https://example.org/survey\"\n",
    );
    fx.build(&[]).assert_code(0, "an https source");
    assert!(fx.index_html().contains("href=\"https://example.org/survey\""));
}

/// Every `href`/`src` on the page, and whether any element has an event handler.
fn links_and_handlers(html: &str) -> (Vec<String>, bool) {
    let mut urls = Vec::new();
    let mut handler = false;
    for e in elements(html) {
        for (k, v) in &e.attrs {
            if k == "href" || k == "src" {
                urls.push(v.clone());
            }
            if k.starts_with("on") {
                handler = true;
            }
        }
    }
    (urls, handler)
}

const HOSTILE_MD: &str = r#"
[click](javascript:alert(1)) and [also](JaVaScRiPt&#58;alert(2)) and <vbscript:msgbox(1)>
and ![img](data:text/html;base64,PHNjcmlwdD4=) and ![ok](data:image/png;base64,AAAA)
and [fine](https://example.org) and [mail](mailto:a@example.org).

<script>alert(3)</script>

<iframe src="https://evil.example"></iframe>

<div onclick="alert(4)"><a href="javascript:alert(5)">raw</a> <img src=x onerror="alert(6)"></div>

Inline <b>bold</b> and <span onmouseover="alert(7)">hover</span>.
"#;

#[test]
fn markdown_link_addresses_are_checked_even_when_html_is_trusted() {
    let _serial = serial();
    let fx = with_intro_extra(HOSTILE_MD);
    let r = fx.build(&["--format", "json"]);
    r.assert_code(0, "trusted build");
    let html = fx.index_html();
    let md_part = &html[html.find("click").expect("the link text")..html.find("<script>").expect("raw script kept")];
    let (urls, _) = links_and_handlers(md_part);
    for u in &urls {
        let l = u.to_ascii_lowercase();
        assert!(
            !l.contains("javascript") && !l.contains("vbscript") && !l.starts_with("data:text"),
            "{u}"
        );
    }
    assert!(urls.iter().any(|u| u == "https://example.org"), "{urls:?}");
    assert!(urls.iter().any(|u| u.starts_with("data:image/png")), "{urls:?}");
    assert!(urls.iter().any(|u| u == "mailto:a@example.org"), "{urls:?}");
    // Each removed address is a located warning.
    let warned: Vec<_> = r.diags().into_iter().filter(|d| d.message.contains("scheme")).collect();
    assert_eq!(warned.len(), 4, "{warned:?}");
    assert!(warned.iter().all(|d| d.file == INTRO && d.line > 0));
}

#[test]
fn sanitize_removes_scripts_frames_handlers_and_unsafe_links() {
    let _serial = serial();
    let fx = with_intro_extra(HOSTILE_MD);
    fx.replace("content/report.yaml", "lang: en\n", "lang: en\nhtml: sanitize\n");
    fx.build(&[]).assert_code(0, "sanitized build");
    let html = fx.index_html();
    let body = &html[html.find("<main").unwrap_or(0)..];
    let (urls, handler) = links_and_handlers(body);
    assert!(!handler, "an on* handler survived");
    for u in &urls {
        let l = u.to_ascii_lowercase();
        assert!(
            !l.contains("javascript") && !l.contains("vbscript") && !l.starts_with("data:text"),
            "{u}"
        );
    }
    let tags: Vec<String> = elements(body).into_iter().map(|e| e.tag).collect();
    assert!(!tags.iter().any(|t| t == "script" || t == "iframe"), "{tags:?}");
    assert!(body.contains("<b>bold</b>"), "harmless inline markup stays");
    // An unknown policy is a located error.
    fx.replace("content/report.yaml", "html: sanitize", "html: maybe");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "unknown policy");
    assert_eq!(r.errors()[0].file, "content/report.yaml");
}

#[test]
fn a_section_file_name_with_markup_cannot_inject() {
    let _serial = serial();
    let fx = Fixture::new();
    let name = "content/sections/03-x\"><script>alert(1)<\\script>.md";
    fx.write(
        name,
        "---\ntitle: \"Third\"\n---\nA note.[^1] See @sec:intro.\n\n[^1]: Text.\n",
    );
    let r = fx.build(&["--format", "json"]);
    r.assert_no_panic("markup in a file name");
    if r.code == Some(0) {
        let html = fx.index_html();
        let tags: Vec<String> = elements(&html).into_iter().map(|e| e.tag).collect();
        assert!(!tags.iter().any(|t| t == "script"), "a script element was injected");
        for id in ids(&html) {
            assert!(
                !id.contains('"') && !id.contains('<') && !id.contains('>'),
                "unsafe id `{id}`"
            );
        }
    } else {
        let e = &r.errors()[0];
        assert!(e.line > 0 && !e.file.is_empty(), "{e}");
    }
}

// ---------------------------------------------------------------- wrong output

#[test]
fn out_of_range_values_are_errors_where_they_are_declared() {
    let _serial = serial();
    let fx = Fixture::new();
    fx.replace(CAPEX, "usd: 150", "usd: 1e300");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "1e300");
    let e = &r.errors()[0];
    let (line, _) = common::pos_in(&fx.read(CAPEX), "usd: 1e300");
    assert_eq!((e.file.as_str(), e.line), (CAPEX, line), "{e}");
    assert!(
        e.message.contains("not a finite number") || e.message.contains("1e15"),
        "{e}"
    );
    assert_eq!(r.errors().len(), 1, "one cause, one error: {:?}", r.errors());

    // A derived value that overflows is an error at its declaration.
    let fx = Fixture::new();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  huge: {expr: \"us.usd * us.usd * us.usd\", unit: USD bn}\nchecks:\n",
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "overflowing derived value");
    let e = &r.errors()[0];
    assert_eq!(e.line, common::pos_in(&fx.read(CAPEX), "huge:").0, "{e}");
}

#[test]
fn footnote_labels_with_one_slug_get_distinct_ids() {
    let _serial = serial();
    let fx = with_intro_extra("One.[^a-b] Two.[^a_b] Again.[^a-b]\n\n[^a-b]: First.\n\n[^a_b]: Second.\n");
    fx.build(&[]).assert_code(0, "two footnotes");
    let html = fx.index_html();
    let all = ids(&html);
    let mut seen = std::collections::BTreeSet::new();
    for id in &all {
        assert!(seen.insert(id), "the id `{id}` appears twice");
    }
    let notes: Vec<_> = elements(&html)
        .into_iter()
        .filter(|e| e.tag == "li" && e.get("id").is_some_and(|i| i.starts_with("intro--fn-a")))
        .collect();
    assert_eq!(notes.len(), 2, "two footnotes: {all:?}");
    // Every footnote link points at an id that exists.
    for e in elements(&html).into_iter().filter(|e| e.tag == "a") {
        if let Some(h) = e.get("href").and_then(|h| h.strip_prefix('#')) {
            assert!(all.iter().any(|i| i == h), "a link to the missing id `{h}`");
        }
    }
}

#[test]
fn control_characters_are_located_errors() {
    let _serial = serial();
    let fx = Fixture::new();
    fx.replace(INTRO, "spent {{capex.us.usd}}", "spent\u{0} {{capex.us.usd}}");
    let r = fx.build(&["--format", "json"]);
    r.assert_code(1, "a NUL byte");
    let e = &r.errors()[0];
    let (line, col) = common::pos_in(&fx.read(INTRO), "\u{0}");
    assert_eq!((e.file.as_str(), e.line, e.column), (INTRO, line, col), "{e}");
    assert!(e.message.contains("U+0000"), "{e}");
    let fx = Fixture::new();
    fx.replace(CAPEX, "\"Two countries", "\"Two\u{1b} countries");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "an escape character");
    assert_eq!(r.errors()[0].file, CAPEX);
}

// ---------------------------------------------------------------- command line

#[test]
fn json_and_github_diagnostics_go_to_stdout_and_the_summary_to_stderr() {
    let _serial = serial();
    let fx = Fixture::new();
    fx.replace(CAPEX, "usd: 150", "usd: \"lots\"");
    for format in ["json", "github"] {
        let r = fx.check(&["--format", format]);
        r.assert_code(1, format);
        assert!(!r.stdout.trim().is_empty(), "{format}: nothing on stdout");
        assert!(
            !r.stderr.contains(CAPEX),
            "{format}: diagnostics leaked to stderr:\n{}",
            r.stderr
        );
    }
    assert_eq!(fx.check(&["--format", "json"]).errors()[0].file, CAPEX);
    let r = fx.check(&[]);
    assert!(r.stdout.is_empty(), "human diagnostics belong on stderr:\n{}", r.stdout);
    assert!(r.stderr.contains(CAPEX) && r.stderr.contains("1 error"), "{}", r.stderr);
}

#[test]
fn summary_counts_are_singular_and_plural() {
    let _serial = serial();
    let fx = Fixture::new();
    fx.remove("content/sections/02-detail.md");
    fx.replace(
        INTRO,
        "(@fig:capex; the split is in @fig:split and @tbl:shares)",
        "(@fig:capex)",
    );
    let r = fx.check(&[]);
    r.assert_code(0, "one section");
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("1 section, 1 figure, 0 tables;"), "{}", r.stderr);
    let r = Fixture::new().check(&[]);
    assert!(r.stderr.contains("2 sections, 2 figures, 1 table;"), "{}", r.stderr);
}

#[test]
fn comparing_with_zero_needs_no_unit() {
    let _serial = serial();
    let fx = Fixture::new();
    fx.replace(
        CAPEX,
        "checks:\n",
        "  tot: {expr: \"us.usd + cn.usd\", unit: USD bn}\nchecks:\n  - id: positive\n    assert: \"tot > 0 and between(cn.usd, 0, tot) and sum(0, tot) >= tot\"\n",
    );
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "comparing with zero");
    // Any other bare number still needs its unit.
    fx.replace(CAPEX, "tot > 0 and", "tot > 1 and");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(1, "comparing with one");
    assert!(r.errors()[0].message.contains("unit mismatch"), "{}", r.errors()[0]);
}
