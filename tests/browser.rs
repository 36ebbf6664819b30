//! End-to-end: the default report in a real headless Chromium, and its PDFs.
//!
//! Builds the default report with `quire build --pdf` into a temporary folder
//! (both editions), then
//! - runs `tests/browser/check.js` (playwright-core driving the installed
//!   Chromium, axe-core inside the page) over both pages, light and dark,
//!   desktop and phone width: no console error, no request beyond the page,
//!   every chart drawn, no accessibility violation, the same bound values;
//! - reads both PDFs with poppler (`pdfinfo`, `pdftotext`, `pdftohtml -xml`):
//!   page count, title, outline, figure labels, every bound value's text,
//!   Chinese text, no figure or table split across pages, no section heading
//!   left alone at a page foot;
//! - prints again and compares bytes.
//!
//! These need Chromium, node with `npm ci` run in `tests/browser/`, and
//! poppler-utils. Without them the tests print why and pass, except under
//! `CI=true`, where a missing tool is a failure.

mod common;

use common::{El, elements, repo};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// What the tests need from the machine.
struct Tools {
    browser: PathBuf,
}

/// The tools, or `None` (after saying why) when a test should skip.
fn tools() -> Option<Tools> {
    static TOOLS: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = TOOLS.get_or_init(|| {
        let browser = quire::pdf::find_browser(None)
            .map_err(|d| format!("{} (Debian: apt-get install chromium, or set QUIRE_BROWSER)", d.message))?;
        let runs = |cmd: &str, arg: &str| {
            Command::new(cmd)
                .arg(arg)
                .output()
                .map(|o| o.status.success() || !o.stdout.is_empty() || !o.stderr.is_empty())
                .unwrap_or(false)
        };
        if !runs("node", "--version") {
            return Err("node is not installed (Debian: apt-get install nodejs npm)".into());
        }
        for module in ["playwright-core", "axe-core"] {
            if !browser_dir().join("node_modules").join(module).is_dir() {
                return Err(format!(
                    "tests/browser/node_modules/{module} is missing: run `npm ci` in tests/browser"
                ));
            }
        }
        for tool in ["pdfinfo", "pdftotext", "pdftohtml"] {
            if !runs(tool, "-v") {
                return Err(format!(
                    "{tool} is not installed (Debian: apt-get install poppler-utils)"
                ));
            }
        }
        Ok(browser)
    });
    match found {
        Ok(browser) => Some(Tools {
            browser: browser.clone(),
        }),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("browser tests cannot run under CI: {why}")
        }
        Err(why) => {
            // Once, and past the test harness's capture, so a developer sees it.
            static SAID: std::sync::Once = std::sync::Once::new();
            SAID.call_once(|| {
                use std::io::Write;
                let _ = writeln!(std::io::stderr(), "skipping the browser tests: {why}");
            });
            None
        }
    }
}

fn browser_dir() -> PathBuf {
    repo().join("tests/browser")
}

/// One edition of the built report.
struct Edition {
    html: PathBuf,
    pdf: PathBuf,
    page: String,
}

/// The default report built once, with PDFs: English first, then Chinese.
struct Built {
    _dir: tempfile::TempDir,
    editions: Vec<Edition>,
}

/// Runs `quire build --pdf` for the default report into `out`, plus a
/// `--lang zh` build when the default build does not write `zh/` itself.
fn build_both(tools: &Tools, dir: &Path) -> Vec<Edition> {
    let quire = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_quire"))
            .arg("build")
            .arg("--root")
            .arg(repo())
            .args(args)
            .arg("--pdf")
            .arg("--browser")
            .arg(&tools.browser)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "quire build {args:?} --pdf failed:\n{stderr}");
        assert!(
            stderr.contains("printing ") && stderr.contains(" done in "),
            "--pdf shows progress on stderr:\n{stderr}"
        );
    };
    let en = dir.join("out");
    quire(&["--out", en.to_str().unwrap()]);
    let zh = if en.join("zh/index.html").is_file() {
        en.join("zh")
    } else {
        let zh = dir.join("out-zh");
        quire(&["--lang", "zh", "--out", zh.to_str().unwrap()]);
        zh
    };
    [en, zh]
        .into_iter()
        .map(|d| Edition {
            page: std::fs::read_to_string(d.join("index.html")).unwrap(),
            html: d.join("index.html"),
            pdf: d.join("report.pdf"),
        })
        .collect()
}

fn built() -> Option<&'static Built> {
    static BUILT: OnceLock<Built> = OnceLock::new();
    let tools = tools()?;
    Some(BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let editions = build_both(&tools, dir.path());
        Built { _dir: dir, editions }
    }))
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `pdfinfo`'s `Key: value` lines.
fn pdfinfo(pdf: &Path) -> Vec<(String, String)> {
    run("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn info(pdf: &Path, key: &str) -> String {
    pdfinfo(pdf)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("pdfinfo shows no {key} for {}", pdf.display()))
}

/// The text of each page, in reading order.
fn pages(pdf: &Path) -> Vec<String> {
    let n: usize = info(pdf, "Pages").parse().unwrap();
    (1..=n)
        .map(|i| {
            let i = i.to_string();
            run("pdftotext", &["-f", &i, "-l", &i, pdf.to_str().unwrap(), "-"])
        })
        .collect()
}

/// Text as compared between page and PDF: entities decoded, ligatures
/// expanded, whitespace (including line breaks pdftotext adds) removed.
fn squash(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace('ﬁ', "fi")
        .replace('ﬂ', "fl")
        .replace('ﬀ', "ff")
        .replace('ﬃ', "ffi")
        .replace('ﬄ', "ffl")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn with_class<'a>(els: &'a [El], class: &str) -> impl Iterator<Item = &'a El> {
    els.iter().filter(move |e| e.has_class(class))
}

#[test]
fn pages_pass_console_network_chart_and_axe_checks_in_headless_chromium() {
    let Some(built) = built() else { return };
    let tools = tools().unwrap();
    let mut cmd = Command::new("node");
    cmd.current_dir(browser_dir())
        .arg("check.js")
        .arg("--browser")
        .arg(&tools.browser);
    for e in &built.editions {
        cmd.arg(&e.html);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "check.js found problems:\n{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check.js printed no JSON summary ({e}):\n{stderr}"));
    let charts = with_class(&elements(&built.editions[0].page), "figure-chart").count();
    let values = elements(&built.editions[0].page)
        .iter()
        .filter(|e| e.tag == "data" && e.get("value").is_some())
        .count();
    assert!(charts > 0 && values > 0);
    // 2 editions × light/dark × desktop/phone.
    assert_eq!(summary["runs"], 8, "{summary}");
    assert_eq!(summary["charts"], charts, "every chart seen in the browser: {summary}");
    assert_eq!(
        summary["values"], values,
        "every bound value seen in the browser: {summary}"
    );
    assert_eq!(summary["problems"], 0, "{summary}");
}

#[test]
fn pdfs_are_a4_titled_outlined_and_carry_every_figure_and_value() {
    let Some(built) = built() else { return };
    for e in &built.editions {
        let pdf = e.pdf.to_str().unwrap();
        let els = elements(&e.page);
        let sections = with_class(&els, "section-name").count();
        assert!(info(&e.pdf, "Page size").contains("(A4)"), "{pdf} is not A4");
        let n: usize = info(&e.pdf, "Pages").parse().unwrap();
        assert!(
            (sections..=4 * sections).contains(&n),
            "{pdf}: {n} pages for {sections} sections"
        );
        let title = els.iter().find(|e| e.tag == "title").unwrap();
        assert_eq!(
            squash(&info(&e.pdf, "Title")),
            squash(&title.text),
            "{pdf}: title metadata"
        );

        // The outline lists every section heading, each on a real page.
        let xml = run("pdftohtml", &["-xml", "-i", "-stdout", "-q", pdf]);
        let outline = &xml[xml.find("<outline>").unwrap_or_else(|| panic!("{pdf} has no outline"))..];
        let items = elements(outline);
        let items: Vec<&El> = items.iter().filter(|e| e.tag == "item").collect();
        for name in with_class(&els, "section-name") {
            assert!(
                items.iter().any(|i| squash(&i.text).contains(&squash(&name.text))),
                "{pdf}: outline lacks section {:?}",
                name.text
            );
        }
        assert!(items.iter().all(|i| (1.0..=n as f64).contains(&i.num("page"))));

        // Every figure label ("Figure 1", "图1") and every bound value's text.
        let text = squash(&pages(&e.pdf).concat());
        let labels: Vec<&El> = with_class(&els, "figure-label").collect();
        assert!(!labels.is_empty());
        for label in labels {
            assert!(text.contains(&squash(&label.text)), "{pdf} lacks {:?}", label.text);
        }
        for value in els.iter().filter(|e| e.tag == "data") {
            assert!(
                text.contains(&squash(&value.text)),
                "{pdf} lacks the value {:?}",
                value.text
            );
        }
    }
    let [en, zh] = &built.editions[..] else {
        panic!("two editions")
    };
    assert!(squash(&pages(&en.pdf).concat()).contains("Figure1"));
    let zh_text = pages(&zh.pdf).concat();
    assert!(squash(&zh_text).contains("图1"), "the Chinese PDF labels figures 图1…");
    let cjk = zh_text
        .chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count();
    assert!(
        cjk > 1000,
        "Chinese text is extractable from the Chinese PDF: {cjk} CJK characters"
    );
}

#[test]
fn no_figure_or_table_is_split_and_no_heading_ends_a_page() {
    let Some(built) = built() else { return };
    for e in &built.editions {
        let pdf = e.pdf.display();
        let els = elements(&e.page);
        let pages: Vec<String> = pages(&e.pdf).iter().map(|p| squash(p)).collect();
        // A figure's title opens it and its source line closes it: both must
        // be on one page, with no other figure's title in between.
        let mut figures = 0;
        let mut title = None;
        for el in &els {
            if el.has_class("figure-title") {
                title = Some(squash(&el.text));
            } else if el.has_class("figure-source") {
                let t = title.take().expect("a source line follows a figure title");
                let source = squash(&el.text);
                let page = pages
                    .iter()
                    .position(|p| p.contains(&t))
                    .unwrap_or_else(|| panic!("{pdf}: no page has the figure title {t:?}"));
                let after = &pages[page][pages[page].find(&t).unwrap() + t.len()..];
                assert!(
                    after.contains(&source),
                    "{pdf}: the figure {t:?} starts on page {} but its source line is not on that page",
                    page + 1
                );
                figures += 1;
            }
        }
        assert!(figures > 0);
        // A section heading is followed on its page by its summary and text.
        let names: Vec<usize> = (0..els.len()).filter(|&i| els[i].has_class("section-name")).collect();
        for (k, &i) in names.iter().enumerate() {
            let next = names.get(k + 1).copied().unwrap_or(els.len());
            let summary = els[i..next]
                .iter()
                .find(|e| e.has_class("section-summary"))
                .map_or(0, |e| squash(&e.text).chars().count());
            let t = squash(&els[i].text);
            // The last page naming it: the contents list names it first.
            let page = pages
                .iter()
                .rposition(|p| p.contains(&t))
                .unwrap_or_else(|| panic!("{pdf}: no page has the heading {t:?}"));
            let after = &pages[page][pages[page].rfind(&t).unwrap() + t.len()..];
            // Beyond the summary: more than the page number ("11/14").
            assert!(
                after.chars().count() > summary + 12,
                "{pdf}: the heading {t:?} ends page {} with {after:?} after it",
                page + 1
            );
        }
    }
}

#[test]
fn printing_twice_gives_the_same_bytes() {
    let Some(built) = built() else { return };
    let tools = tools().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let again = build_both(&tools, dir.path());
    for (a, b) in built.editions.iter().zip(&again) {
        let (x, y) = (std::fs::read(&a.pdf).unwrap(), std::fs::read(&b.pdf).unwrap());
        // The two prints are seconds apart: unfixed dates would differ.
        assert!(x == y, "{} and {} differ", a.pdf.display(), b.pdf.display());
    }
}

/// Needs no browser: it hides every one.
#[test]
fn without_a_browser_pdf_fails_naming_the_package_and_keeps_the_html() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let empty = dir.path().join("bin");
    std::fs::create_dir(&empty).unwrap();
    let run = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build", "--pdf", "--root"])
        .arg(repo())
        .arg("--out")
        .arg(&out)
        .env("PATH", &empty)
        .env_remove("QUIRE_BROWSER")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no Chromium or Chrome found"), "{stderr}");
    assert!(stderr.contains("apt-get install chromium"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.join("index.html").is_file(),
        "the HTML is written before the PDF step"
    );
    assert!(!out.join("report.pdf").exists());

    // A named browser that is not there is the same kind of error, naming it.
    let missing = dir.path().join("no-such-chromium");
    let run = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["build", "--pdf", "--root"])
        .arg(repo())
        .arg("--out")
        .arg(&out)
        .arg("--browser")
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no-such-chromium") && stderr.contains("--browser"),
        "{stderr}"
    );
}

/// Hostile text in every field a reader sees, as an attacker would write it.
const PAYLOAD: &str = r#""><script>window.__pwned=1</script><img src=x onerror=window.__pwned=1>"#;

#[test]
fn a_page_built_from_hostile_text_in_every_field_runs_no_script() {
    let Some(tools) = tools() else { return };
    let fx = common::Fixture::new();
    let q = |s: &str| format!("'{s}'");
    let p = q(PAYLOAD);
    let r = "content/report.yaml";
    fx.replace(r, "\"Fixture report\"", &p);
    fx.replace(r, "\"A small report for tests\"", &p);
    fx.replace(r, "[\"Test Author\"]", &format!("[{p}]"));
    fx.replace(r, "\"Example Press\"", &p);
    fx.replace(r, "\"An example paper\"", &p);
    fx.replace(r, "lang: en", "lang: en\nhtml: sanitize");
    let c = "content/data/capex.yaml";
    fx.replace(c, "\"AI capital expenditure\"", &p);
    fx.replace(c, "\"Two countries, one year\"", &p);
    fx.replace(c, "\"US dollars\"", &p);
    fx.replace(c, "label: \"United States\"", &format!("label: {p}"));
    fx.replace(c, "\"China spends a quarter to a third of the US figure\"", &p);
    let i = "content/sections/01-intro.md";
    fx.replace(i, "title: \"Introduction\"", &format!("title: {p}"));
    fx.replace(i, "summary: \"Why the numbers matter\"", &format!("summary: {p}"));
    fx.replace(i, "## Background", &format!("## {PAYLOAD}"));
    fx.replace(i, "title: \"AI capital expenditure (USD bn)\"", &format!("title: {p}"));
    fx.replace(
        i,
        "caption: \"China converted at the implied rate.\"",
        &format!("caption: {p}"),
    );
    fx.replace(
        i,
        "description: \"The US bar is several times longer than the Chinese bar.\"",
        &format!("description: {p}"),
    );
    fx.replace(
        i,
        "a quarter to a third}}",
        "a quarter \" onmouseover=window.__pwned=1 x=\"}}",
    );
    fx.replace(
        i,
        "[^1]: Both figures",
        &format!("{PAYLOAD} [click](javascript:window.__pwned=1) <iframe src=\"javascript:window.__pwned=1\"></iframe>\n\n[^1]: {PAYLOAD} Both figures"),
    );
    let d = "content/sections/02-detail.md";
    fx.replace(d, "label: \"US capital expenditure\"", &format!("label: {p}"));
    fx.replace(d, "title: \"Shares of spending\"", &format!("title: {p}"));
    let built = fx.build(&[]);
    built.assert_no_panic("a hostile build");
    built.assert_code(0, "hostile text builds (with warnings)");
    let html = fx.index_html();
    assert!(
        html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"),
        "the payload shows as text"
    );
    let mut cmd = Command::new("node");
    cmd.current_dir(browser_dir())
        .arg("payload.js")
        .arg("--browser")
        .arg(&tools.browser);
    cmd.arg(fx.out().join("index.html"));
    for chart in ["capex", "split"] {
        cmd.arg(fx.out().join(format!("charts/{chart}.svg")));
    }
    let out = cmd.output().expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "payload.js failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let results: serde_json::Value = serde_json::from_str(stdout.trim()).expect("payload.js prints JSON");
    for r in results.as_array().expect("a list") {
        assert_eq!(r["pwned"], false, "a script ran: {r}");
        assert_eq!(r["dialogs"], 0, "a dialog opened: {r}");
        assert_eq!(r["scripts"], 0, "the page holds a script element: {r}");
    }
}
