//! Site mode on a documentation corpus brought from another tool
//! (`tests/corpus/docs`: nested folders, no front matter on most pages,
//! links between pages and to anchors, images, `{{`, `${{ }}` and `[^x]`
//! inside code). Every test parses the output; a link checker proves every
//! internal `href` and `src` resolves, with and without a base URL.

mod common;

use common::{At, Fixture, copy_dir, repo, snapshot};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const BASE: &str = "https://example.org/docs/";

/// A fresh copy of the docs corpus (it has no `templates/`: quire's
/// built-in defaults must serve).
fn corpus() -> Fixture {
    let dir = tempfile::Builder::new().prefix("quire-site-").tempdir().unwrap();
    copy_dir(&repo().join("tests/corpus/docs"), dir.path());
    Fixture { dir }
}

fn built(fx: &Fixture, args: &[&str]) {
    let r = fx.build(args);
    r.assert_no_panic("building the site");
    r.assert_code(0, "building the site");
}

/// Every value of `attr="…"` in `html`.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let pat = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        rest = &rest[i + pat.len()..];
        let e = rest.find('"').unwrap();
        out.push(rest[..e].replace("&amp;", "&"));
        rest = &rest[e..];
    }
    out
}

/// Checks every internal link of every page under `out`: the file exists
/// and the anchor is an id on it. With `base`, internal links are the ones
/// under the base URL, and no link may be relative. Returns how many links
/// were checked, so a test can tell the checker saw the site.
fn check_links(out: &Path, base: Option<&str>) -> usize {
    let mut checked = 0;
    let mut broken = Vec::new();
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let mut links = attrs(&html, "href");
        links.extend(attrs(&html, "src"));
        links.extend(attrs(&html, "data-index"));
        for link in links {
            let target = match base {
                Some(b) => match link.strip_prefix(b) {
                    Some(p) => p.to_string(),
                    None if link.starts_with('#') => format!("{rel}{link}"),
                    None if link.contains("://") || link.starts_with("mailto:") => continue,
                    None if rel == "404.html" || rel.ends_with("/404.html") => continue,
                    None => {
                        broken.push(format!("{rel}: `{link}` is not under the base URL"));
                        continue;
                    }
                },
                None => {
                    if link.contains("://") || link.starts_with("mailto:") {
                        continue;
                    }
                    if let Some(a) = link.strip_prefix('#') {
                        format!("{rel}#{a}")
                    } else {
                        join(dir, &link)
                    }
                }
            };
            checked += 1;
            let (path, anchor) = target
                .split_once('#')
                .map_or((target.as_str(), None), |(p, a)| (p, Some(a)));
            let file = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_string()
            };
            let Ok(text) = fs::read(out.join(&file)) else {
                broken.push(format!("{rel}: `{link}` -> missing `{file}`"));
                continue;
            };
            if let Some(a) = anchor {
                let text = String::from_utf8_lossy(&text);
                if !attrs(&text, "id").iter().any(|i| i == a) {
                    broken.push(format!("{rel}: `{link}` -> no id `{a}` in `{file}`"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let (path, anchor) = rel.split_once('#').map_or((rel, None), |(p, a)| (p, Some(a)));
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    let mut s = parts.join("/");
    if path.ends_with('/') {
        s.push('/');
    }
    match anchor {
        Some(a) => format!("{s}#{a}"),
        None => s,
    }
}

fn page(fx: &Fixture, rel: &str) -> String {
    fs::read_to_string(fx.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn plain_markdown_becomes_one_page_per_file_with_assets() {
    let fx = corpus();
    built(&fx, &[]);
    for f in [
        "index.html",
        "guide/index.html",
        "guide/install/index.html",
        "guide/usage/index.html",
        "reference/config/index.html",
        "404.html",
        "sitemap.xml",
        "search-index.js",
        "style.css",
        "img/logo.svg",
        "img/diagram.svg",
        "img/tool.tar.gz",
        "robots.txt",
    ] {
        assert!(fx.out().join(f).is_file(), "missing {f}");
    }
    assert_eq!(
        fs::read(fx.out().join("img/logo.svg")).unwrap(),
        fs::read(fx.path("content/sections/img/logo.svg")).unwrap()
    );
    // The title comes from the first heading and is shown once.
    let install = page(&fx, "guide/install/index.html");
    assert_eq!(install.matches("<h1").count(), 1);
    assert_eq!(install.matches(">Install</h1>").count(), 1);
    assert!(install.contains("<title>Install · Corpus Docs</title>"));
    // Front matter's title wins; a file without any heading is named by its file.
    assert!(page(&fx, "guide/usage/index.html").contains(">Usage</h1>"));
    // Sub-headings make the page's own contents.
    assert!(install.contains("<li class=\"toc-l3\"><a href=\"#requirements\">Requirements</a></li>"));
    // The sidebar shows the top level and the current branch only.
    let nav = install
        .split("<nav class=\"site-nav\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    assert!(nav.contains("aria-current=\"page\">Install</a>"));
    assert!(nav.contains(">Usage</a>"));
    assert!(nav.contains(">Reference</a>"), "{nav}");
    assert!(!nav.contains(">Configuration</a>"), "other branches stay folded: {nav}");
    // Breadcrumbs and the pager.
    assert!(install.contains("<nav class=\"breadcrumbs\""));
    assert!(install.contains("rel=\"prev\" href=\"../../guide/index.html\""));
    assert!(install.contains("rel=\"next\" href=\"../../guide/usage/index.html\""));
}

#[test]
fn nothing_inside_code_is_a_binding_footnote_or_reference() {
    let fx = corpus();
    built(&fx, &[]);
    let install = page(&fx, "guide/install/index.html");
    assert!(install.contains("<code>{{ mdbook-version }}</code>"));
    assert!(install.contains("<code>${{ secrets.TOKEN }}</code>"));
    assert!(install.contains("[^x] and @fig:nothing"));
    assert!(install.contains("indented: {{ also.not.a.binding }} [^y]"));
    // `\{{` in prose is a literal `{{`.
    assert!(page(&fx, "index.html").contains("A literal brace pair in prose: {{ not a binding }}."));
    // Highlighted at build time, with classes.
    let config = page(&fx, "reference/config/index.html");
    assert!(config.contains("<pre class=\"hl\"><code class=\"language-rust\">"));
    assert!(config.contains("class=\"hl-"));
    assert!(page(&fx, "style.css").contains("prefers-color-scheme: dark"));
}

#[test]
fn md_links_become_page_urls_and_every_link_resolves() {
    let fx = corpus();
    built(&fx, &[]);
    let install = page(&fx, "guide/install/index.html");
    assert!(install.contains("href=\"../../guide/usage/index.html#running\""));
    assert!(install.contains("href=\"../../reference/config/index.html#options\""));
    assert!(install.contains("href=\"https://example.org/\""), "external links stay");
    let home = page(&fx, "index.html");
    assert!(home.contains("href=\"guide/install/index.html#requirements\""));
    assert!(home.contains("src=\"img/logo.svg\""));
    assert!(!snapshot(&fx.out()).keys().any(|k| k.ends_with(".md")));
    // A heading repeated on another page keeps its natural id on each page.
    let config = page(&fx, "reference/config/index.html");
    assert!(install.contains("<h3 id=\"examples\">"));
    assert!(config.contains("<h3 id=\"examples\">"), "{config}");
    assert!(config.contains("href=\"../../guide/install/index.html#examples\""));
    // A link to a folder is a link to its own page.
    assert!(config.contains("href=\"../../guide/index.html\""));
    let n = check_links(&fx.out(), None);
    assert!(n > 50, "the checker saw only {n} links");
}

#[test]
fn base_url_makes_links_absolute_and_they_resolve() {
    let fx = corpus();
    built(&fx, &["--base-url", BASE]);
    let install = page(&fx, "guide/install/index.html");
    assert!(install.contains(&format!("href=\"{BASE}guide/usage/#running\"")));
    assert!(install.contains(&format!("<link rel=\"canonical\" href=\"{BASE}guide/install/\">")));
    let sitemap = page(&fx, "sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE}guide/install/</loc>")));
    assert_eq!(sitemap.matches("<loc>").count(), 5);
    assert!(page(&fx, "404.html").contains(&format!("href=\"{BASE}style.css\"")));
    let n = check_links(&fx.out(), Some(BASE));
    assert!(n > 50, "the checker saw only {n} links");
    // The same from report.yaml.
    fx.replace(
        "content/report.yaml",
        "mode: site\n",
        &format!("mode: site\nbase_url: {BASE}\n"),
    );
    built(&fx, &[]);
    assert!(page(&fx, "guide/install/index.html").contains(&format!("href=\"{BASE}guide/usage/#running\"")));
}

fn at(fx: &Fixture, rel: &str, needle: &str) -> At {
    fx.pos(rel, needle)
}

#[test]
fn a_link_to_a_missing_page_is_an_error_at_its_place() {
    let fx = corpus();
    built(&fx, &[]);
    let f = "content/sections/01-guide/02-usage.md";
    fx.write(f, &(fx.read(f) + "\nSee [gone](missing.md).\n"));
    fx.expect_error(at(&fx, f, "missing.md"), "does not exist");
}

#[test]
fn a_link_to_a_missing_anchor_is_an_error_at_its_place() {
    let fx = corpus();
    let f = "content/sections/01-guide/02-usage.md";
    fx.write(f, &(fx.read(f) + "\nSee [x](01-install.md#nowhere).\n"));
    let d = fx.expect_error(at(&fx, f, "01-install.md#nowhere"), "#nowhere");
    assert!(d.hint.contains("requirements") || !d.hint.is_empty());
}

#[test]
fn a_missing_image_is_an_error_at_its_place() {
    let fx = corpus();
    let f = "content/sections/index.md";
    fx.write(f, &(fx.read(f) + "\n![Gone](img/gone.png)\n"));
    fx.expect_error(at(&fx, f, "img/gone.png"), "does not exist");
}

#[test]
fn site_builds_are_byte_identical() {
    let fx = corpus();
    built(&fx, &[]);
    let a = snapshot(&fx.out());
    built(&fx, &[]);
    assert_eq!(a, snapshot(&fx.out()));
}

/// `(target, label)` of every cross-reference in the HTML files under `out`.
fn xrefs(out: &Path) -> BTreeSet<(String, String)> {
    let mut set = BTreeSet::new();
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for part in html.split("<a class=\"xref\" href=\"").skip(1) {
            let (href, rest) = part.split_once("\">").unwrap();
            let label = rest.split("</a>").next().unwrap();
            let id = href.rsplit('#').next().unwrap();
            set.insert((id.to_string(), label.to_string()));
        }
    }
    set
}

#[test]
fn the_default_report_builds_as_a_site_with_the_same_numbering() {
    let fx = Fixture::default_report();
    built(&fx, &[]);
    let report = xrefs(&fx.out());
    built(&fx, &["--site"]);
    let site = xrefs(&fx.out());
    assert!(!report.is_empty());
    assert_eq!(report, site, "cross-references differ between the report and the site");
    assert!(fx.out().join("zh/index.html").is_file());
    check_links(&fx.out(), None);
    built(&fx, &["--site", "--base-url", BASE]);
    check_links(&fx.out(), Some(BASE));
}

/// Writes a site of `n` pages in folders of 20 under 10 top-level folders.
fn generated(n: usize) -> Fixture {
    let dir = tempfile::Builder::new().prefix("quire-gen-").tempdir().unwrap();
    let fx = Fixture { dir };
    fx.write("content/report.yaml", "title: Generated\nmode: site\n");
    for i in 0..n {
        let (top, sub) = (i % 10, i / 200);
        let next = (i + 1) % n;
        let body =
            format!("# Page {i}\n\n## Part\n\nSome words about page {i}, and a [link](/p{next}).\n\n- one\n- two\n");
        fx.write(&format!("content/sections/t{top:02}/s{sub:03}/p{i:05}.md"), &body);
    }
    fx
}

fn output_bytes(fx: &Fixture) -> usize {
    snapshot(&fx.out()).values().map(Vec::len).sum()
}

#[test]
fn output_grows_linearly_with_the_page_count() {
    let small = generated(60);
    built(&small, &[]);
    let large = generated(600);
    built(&large, &[]);
    let ratio = output_bytes(&large) as f64 / output_bytes(&small) as f64;
    // Linear is 10; a sidebar listing every page on every page would be ~100.
    assert!(ratio < 14.0, "10x pages gave {ratio:.1}x bytes");
    let index = fs::read_to_string(large.out().join("search-index.js")).unwrap();
    assert!(
        index.len() <= 600 * quire::site::SEARCH_BUDGET_PER_PAGE,
        "search index over budget"
    );
}

#[test]
fn new_projects_build_and_pass_deny_warnings() {
    for site in [false, true] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("proj");
        let d = dir.to_string_lossy().to_string();
        let mut args = vec!["new", d.as_str()];
        if site {
            args.push("--site");
        }
        common::quire(&args).assert_code(0, "quire new");
        let check = common::quire(&["check", "--root", &d, "--deny-warnings"]);
        check.assert_code(0, "check --deny-warnings on a new project");
        assert!(!check.stderr.contains("warning"), "warnings: {}", check.stderr);
        common::quire(&["build", "--root", &d]).assert_code(0, "build a new project");
        let index = fs::read_to_string(dir.join("output/index.html")).unwrap();
        if site {
            assert!(dir.join("output/guide/install/index.html").is_file());
            check_links(&dir.join("output"), None);
        } else {
            assert!(
                index.contains("class=\"claim\""),
                "the starter report makes a checked claim"
            );
            assert!(index.contains("<svg"), "the starter report draws a chart");
        }
        // A second `new` into the same folder refuses and changes nothing.
        let before = snapshot(&dir);
        common::quire(&args).assert_code(1, "quire new into a non-empty folder");
        assert_eq!(before, snapshot(&dir));
    }
}

/// `GET path` from the server on `port`: (status, body).
fn get(port: u16, path: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(std::time::Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
    let mut buf = String::new();
    s.read_to_string(&mut buf).ok()?;
    let status = buf.split_whitespace().nth(1)?.parse().ok()?;
    Some((status, buf.split_once("\r\n\r\n")?.1.to_string()))
}

/// Waits up to 60 s for `f` to hold.
fn wait_for(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..300 {
        if f() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    false
}

#[test]
fn serve_rebuilds_on_change_shows_errors_and_keeps_the_last_good_build() {
    let fx = corpus();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", "--root", &fx.root_str(), "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let id = || get(port, "/__quire/build-id").map(|(_, b)| b);
    let ok = wait_for(|| id().is_some());
    let first = id();
    let page = get(port, "/guide/install/");
    let missing = get(port, "/no/such/page/");
    // Break a page: the error shows, the last good page is still served.
    let f = "content/sections/index.md";
    fx.write(f, &(fx.read(f) + "\nbroken {{x\n"));
    let changed = wait_for(|| id() != first);
    let after = get(port, "/guide/install/");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(ok, "the server never answered");
    let (status, body) = page.unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("<h1 class=\"page-title\">Install</h1>"));
    assert!(body.contains("/__quire/build-id"), "the page polls for rebuilds");
    assert!(
        body.contains("href=\"/guide/usage/#running\""),
        "served sites use pretty URLs"
    );
    assert_eq!(missing.unwrap().0, 404);
    assert!(changed, "no rebuild after a change");
    let (status, body) = after.unwrap();
    assert_eq!(status, 200);
    assert!(
        body.contains("<h1 class=\"page-title\">Install</h1>"),
        "the last good build is served"
    );
    assert!(
        body.contains("id=\"quire-error\"") && body.contains("is not closed"),
        "the error is shown"
    );
}

#[test]
fn code_in_a_report_is_shown_as_written() {
    let fx = Fixture::new();
    let f = "content/sections/01-intro.md";
    let code = "\nInline `{{ not.bound }}` and `[^nope]`.\n\n```sh\necho {{ capex.none }} ${{ secrets.X }} [^zz] @fig:none\n```\n\n    indented {{ x }}\n\nLiteral \\{{ in prose }}.\n";
    fx.write(f, &(fx.read(f) + code));
    let r = fx.build(&[]);
    r.assert_code(0, "code holding `{{`, `[^x]` and `@fig:` builds");
    let html = fx.index_html();
    assert!(html.contains("<code>{{ not.bound }}</code>"));
    assert!(html.contains("<code>[^nope]</code>"));
    // The shell block is highlighted: its words stand between spans.
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert!(
        text.contains("echo {{ capex.none }} ${{ secrets.X }} [^zz] @fig:none"),
        "{text}"
    );
    assert!(html.contains("indented {{ x }}"));
    assert!(html.contains("Literal {{ in prose }}."));
    // Without the escape, the same prose is a binding and fails at its place.
    fx.write(f, &fx.read(f).replace("\\{{ in prose }}", "{{ in prose }}"));
    fx.expect_error(fx.pos(f, "prose }}"), "prose");
}

#[test]
fn a_bad_base_url_is_a_usage_error() {
    let fx = corpus();
    for bad in ["example.org/docs/", "https://example.org/docs"] {
        let r = fx.build(&["--base-url", bad]);
        r.assert_code(2, "a base URL that is not absolute or lacks its `/`");
        assert!(r.stderr.contains(bad), "{}", r.stderr);
    }
    fx.replace("content/report.yaml", "mode: site\n", "mode: site\nbase_url: docs/\n");
    fx.expect_error(fx.pos("content/report.yaml", "docs/"), "not an absolute URL");
}

#[test]
fn an_unknown_mode_is_an_error_at_its_value() {
    let fx = corpus();
    fx.replace("content/report.yaml", "mode: site\n", "mode: book\n");
    let d = fx.expect_error(fx.pos("content/report.yaml", "book"), "unknown mode `book`");
    assert!(d.hint.contains("mode: site"));
}

#[test]
fn the_link_checker_finds_broken_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    fs::create_dir_all(out.join("a")).unwrap();
    fs::write(out.join("index.html"), "<a href=\"a/index.html#here\">a</a>").unwrap();
    fs::write(
        out.join("a/index.html"),
        "<h3 id=\"here\">x</h3><a href=\"../index.html\">up</a>",
    )
    .unwrap();
    assert_eq!(check_links(out, None), 2);
    for broken in [
        "<a href=\"a/index.html#gone\">a</a>",
        "<img src=\"missing.png\">",
        "<a href=\"b/index.html\">b</a>",
    ] {
        fs::write(out.join("index.html"), broken).unwrap();
        let caught = std::panic::catch_unwind(|| check_links(out, None));
        assert!(caught.is_err(), "the checker missed {broken}");
    }
    fs::write(out.join("index.html"), "<a href=\"index.html\">relative</a>").unwrap();
    assert!(
        std::panic::catch_unwind(|| check_links(out, Some(BASE))).is_err(),
        "with a base URL, a relative page link is reported"
    );
}

#[test]
fn a_report_warns_about_pages_in_sub_folders() {
    let fx = Fixture::new();
    fx.write("content/sections/extra/notes.md", "# Notes\n");
    let r = fx.check(&["--format", "json"]);
    r.assert_code(0, "a warning does not fail the check");
    let w = r.diags();
    assert!(
        w.iter().any(|d| d.severity == "warning"
            && d.file == "content/sections/extra"
            && d.message.contains("sub-folders")),
        "{w:?}"
    );
    fx.check(&["--deny-warnings"])
        .assert_code(1, "the warning fails --deny-warnings");
    fx.check(&["--site", "--deny-warnings"])
        .assert_code(0, "a site reads sub-folders");
}

#[test]
fn a_report_highlights_its_code_and_inlines_the_colours_only_when_needed() {
    let fx = Fixture::new();
    fx.build(&[]).assert_code(0, "a report without code");
    assert!(
        !fx.index_html().contains(".hl-"),
        "no code colours in a page without code"
    );
    let f = "content/sections/01-intro.md";
    fx.write(
        f,
        &format!("{}\n```rust\nfn main() {{ let x = 1; }}\n```\n", fx.read(f)),
    );
    fx.build(&[]).assert_code(0, "a report with code");
    let html = fx.index_html();
    assert!(
        html.contains("<pre class=\"hl\"><code class=\"language-rust\">"),
        "the block is highlighted"
    );
    assert!(html.contains("hl-"), "tokens carry classes");
    assert!(html.contains(".hl-"), "the page carries the colours");
}

/// Sections render on every core, each with its own id set, and keep that
/// result only when it cannot differ from giving ids section by section:
/// the ids of headings repeated across many sections (and of a heading
/// whose own slug is a suffixed one) must be exactly those of one pass in
/// order, so a section late in the report never takes `examples` first.
#[test]
fn heading_ids_are_those_of_one_pass_in_section_order() {
    let fx = Fixture::new();
    let mut texts = Vec::new();
    // The first 300 sections share headings (rendered in order after the
    // first chunk clashes), the rest have their own but one (rendered
    // alone again once a chunk in order shows they would not clash).
    for k in 0..600 {
        let mut body = format!("---\ntitle: \"Page {k}\"\n---\n");
        // Every seventh section opens with a heading whose slug is one the
        // numbering of `Examples` also makes.
        let mut heads = Vec::new();
        if k < 300 && k % 7 == 3 {
            heads.push("Examples 2".to_string());
        }
        if k < 300 || k == 450 {
            heads.push("Examples".to_string());
        }
        heads.push(format!("Only in {k}"));
        if k < 300 && k % 5 == 0 {
            heads.push("Examples".to_string());
        }
        for h in &heads {
            body.push_str(&format!("## {h}\n\nText.\n\n"));
        }
        texts.extend(heads);
        fx.write(&format!("content/sections/{:04}-page-{k}.md", 10 + k), &body);
    }
    built(&fx, &[]);
    let html = fs::read_to_string(fx.out().join("index.html")).unwrap();
    let got: Vec<String> = common::elements(&html)
        .into_iter()
        .filter(|e| e.tag == "h3" && (e.text.contains("Examples") || e.text.contains("Only in")))
        .map(|e| e.get("id").unwrap_or_default().to_string())
        .collect();
    // One set, in order: the slug if free, else `slug-N` counting on from
    // the last N tried for that slug.
    let mut taken = BTreeSet::new();
    let mut next = std::collections::BTreeMap::new();
    let want: Vec<String> = texts
        .iter()
        .map(|t| {
            let base = t.to_lowercase().replace(' ', "-");
            if !next.contains_key(&base) && taken.insert(base.clone()) {
                next.insert(base.clone(), 1);
                return base;
            }
            let n = next.entry(base.clone()).or_insert(1);
            loop {
                let id = format!("{base}-{n}");
                *n += 1;
                if taken.insert(id.clone()) {
                    return id;
                }
            }
        })
        .collect();
    assert_eq!(got, want);
    assert!(
        got.contains(&"examples-2-1".to_string()),
        "the clash is exercised: {got:?}"
    );
}
