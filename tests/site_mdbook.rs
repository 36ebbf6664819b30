//! An mdBook copied in as it is: `SUMMARY.md` gives the order, links to
//! `page.html` mean the page, e-mail autolinks stay e-mail links, and
//! headings get the ids GitHub and mdBook give them, so `#buildtarget`
//! written for mdBook finds the heading `` `build.target` ``.

mod common;

use common::Fixture;

/// A small mdBook: its `src/` as `content/sections/`, with only the two
/// lines of `report.yaml` a site needs.
fn book() -> Fixture {
    let dir = tempfile::Builder::new().prefix("quire-mdbook-").tempdir().unwrap();
    let fx = Fixture { dir };
    fx.write("content/report.yaml", "title: A Book\nmode: site\n");
    fx.write(
        "content/sections/SUMMARY.md",
        "# Summary\n\n[Introduction](index.md)\n\n- [Zeta](zeta.md)\n- [Guide](guide/index.md)\n  - [Alpha](guide/alpha.md)\n- [Later]()\n",
    );
    fx.write(
        "content/sections/index.md",
        "# Introduction\n\nRead [alpha](guide/alpha.html#buildtarget), [the guide](guide/index.html) \
         and [zeta](./zeta.html). Write to <help@example.org>.\n",
    );
    fx.write(
        "content/sections/zeta.md",
        "# Zeta\n\nLast by name, second by the summary.\n",
    );
    fx.write(
        "content/sections/guide/index.md",
        "# Guide\n\nSee [twice](alpha.md#usage-1).\n",
    );
    fx.write(
        "content/sections/guide/alpha.md",
        "# Alpha\n\n## `build.target`\n\nText.\n\n## Usage\n\nOne.\n\n## Usage\n\nTwo.\n\n## rustc --print\n\nThree.\n",
    );
    fx
}

/// `html` without its tags: highlighted code is text split by spans.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn page(fx: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(fx.out().join(rel)).unwrap()
}

/// The pages in reading order, from the previous/next links.
fn next_href(html: &str) -> Option<String> {
    let at = html.find("rel=\"next\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..html[at..].find('>')? + at];
    let h = tag.find("href=\"")? + 6;
    Some(tag[h..h + tag[h..].find('"')?].to_string())
}

#[test]
fn an_mdbook_builds_as_written() {
    let fx = book();
    let r = fx.build(&["--format", "json"]);
    r.assert_no_panic("building the book");
    r.assert_code(0, "building the book");
    let home = page(&fx, "index.html");
    // `.html` links became page URLs, with their anchors.
    assert!(home.contains("href=\"guide/alpha/index.html#buildtarget\""), "{home}");
    assert!(home.contains("href=\"guide/index.html\""));
    assert!(home.contains("href=\"zeta/index.html\""));
    // An e-mail autolink is an e-mail link, not a missing file.
    assert!(home.contains("href=\"mailto:help@example.org\""));
    // Heading ids as GitHub and mdBook make them.
    let alpha = page(&fx, "guide/alpha/index.html");
    for id in ["buildtarget", "usage", "usage-1", "rustc---print"] {
        assert!(alpha.contains(&format!("id=\"{id}\"")), "no id {id}");
    }
    // The summary's order, not the file names': index, zeta, guide, alpha.
    assert_eq!(next_href(&home).as_deref(), Some("zeta/index.html"));
    assert_eq!(
        next_href(&page(&fx, "zeta/index.html")).as_deref(),
        Some("../guide/index.html")
    );
    // The summary page itself is not a page, and nothing else is said.
    assert!(!fx.out().join("summary").exists());
    assert!(r.diags().is_empty(), "{:?}", r.diags());
}

#[test]
fn a_summary_entry_without_a_page_is_an_error_and_an_unlisted_page_a_warning() {
    let fx = book();
    fx.replace("content/sections/SUMMARY.md", "- [Later]()\n", "- [Gone](gone.md)\n");
    fx.write("content/sections/extra.md", "# Extra\n");
    let at = fx.pos("content/sections/SUMMARY.md", "gone.md");
    let d = fx.expect_error(at, "no such page");
    assert!(d.message.contains("gone.md"));
    fx.remove("content/sections/SUMMARY.md");
    fx.write(
        "content/sections/SUMMARY.md",
        "- [Intro](index.md)\n- [Zeta](zeta.md)\n- [Guide](guide/index.md)\n- [Alpha](guide/alpha.md)\n",
    );
    let r = fx.build(&["--format", "json"]);
    r.assert_code(0, "building with an unlisted page");
    let warned: Vec<_> = r
        .diags()
        .into_iter()
        .filter(|d| d.message.contains("extra.md"))
        .collect();
    assert_eq!(warned.len(), 1, "{:?}", r.diags());
    assert_eq!(warned[0].file, "content/sections/extra.md");
    assert!(
        fx.out().join("extra/index.html").is_file(),
        "an unlisted page is still built"
    );
}

/// A page that includes code by lines and by anchor, a Markdown fragment
/// with a broken link, and shows an escaped directive.
fn with_includes(fx: &Fixture) {
    fx.write(
        "content/sections/guide/code.rs",
        "fn a() {}\n// ANCHOR: b\nfn b() {}\n// ANCHOR_END: b\nfn c() {}\n",
    );
    fx.write(
        "content/sections/guide/part.md",
        "Shared text.\n\n{{#include code.rs:5}}\n",
    );
    fx.write(
        "content/sections/guide/alpha.md",
        "# Alpha\n\n## `build.target`\n\n## Usage\n\n## Usage\n\n```rust\n{{#include code.rs:b}}\n```\n\n```rust\n{{#include code.rs::1}}\n```\n\n\
         {{#include part.md}}\n\n```text\n\\{{#include nothing.md}}\n```\n\nSee [zeta](../zeta.md).\n",
    );
}

#[test]
fn includes_bring_in_lines_anchors_and_fragments() {
    let fx = book();
    with_includes(&fx);
    let r = fx.build(&["--format", "json"]);
    r.assert_code(0, "building with includes");
    let alpha = text_of(&page(&fx, "guide/alpha/index.html"));
    // The anchored lines only, without the marks; then line 1 only.
    assert_eq!(alpha.matches("fn b() {}").count(), 1, "{alpha}");
    assert_eq!(alpha.matches("fn a() {}").count(), 1);
    assert!(!alpha.contains("ANCHOR"), "anchor marks are left out");
    assert!(alpha.contains("Shared text."));
    // The fragment's own include (line 5 of code.rs) came through it.
    assert_eq!(alpha.matches("fn c() {}").count(), 1, "nested include");
    // An escaped directive in code is shown without its backslash.
    assert!(alpha.contains("{{#include nothing.md}}"));
    assert!(!alpha.contains("\\{{#include"));
    // The fragment is included, so it is not a page and gets no warning.
    assert!(!fx.out().join("guide/part/index.html").exists());
    assert!(r.diags().is_empty(), "{:?}", r.diags());
}

#[test]
fn errors_inside_and_after_an_include_name_their_own_file_and_line() {
    let fx = book();
    with_includes(&fx);
    // A broken link inside the fragment points into the fragment…
    fx.replace(
        "content/sections/guide/part.md",
        "Shared text.",
        "Shared [text](gone.md).",
    );
    let at = fx.pos("content/sections/guide/part.md", "gone.md");
    fx.expect_error(at, "does not exist");
    fx.replace(
        "content/sections/guide/part.md",
        "Shared [text](gone.md).",
        "Shared text.",
    );
    // …and one after the include still points at the author's line.
    fx.replace("content/sections/guide/alpha.md", "../zeta.md", "../zeta2.md");
    let at = fx.pos("content/sections/guide/alpha.md", "../zeta2.md");
    fx.expect_error(at, "does not exist");
    // A missing file or anchor is an error at the directive.
    fx.replace("content/sections/guide/alpha.md", "../zeta2.md", "../zeta.md");
    fx.replace("content/sections/guide/alpha.md", "code.rs:b}}", "code.rs:nosuch}}");
    let at = fx.pos("content/sections/guide/alpha.md", "{{#include code.rs:nosuch");
    fx.expect_error(at, "no anchor `nosuch`");
}

#[test]
fn an_include_cycle_is_an_error_at_the_directive_that_closes_it() {
    let fx = book();
    // a.txt includes b.txt, which includes a.txt again: the chain never
    // ends. (Not `.md`, so they are not pages of their own.)
    fx.write("content/sections/guide/a.txt", "Text of a.\n{{#include b.txt}}\n");
    fx.write("content/sections/guide/b.txt", "Text of b.\n{{#include a.txt}}\n");
    fx.write(
        "content/sections/zeta.md",
        "# Zeta\n\nBefore.\n\n{{#include guide/a.txt}}\n",
    );
    fx.write(
        "content/sections/SUMMARY.md",
        "# Summary\n\n[Introduction](index.md)\n\n- [Zeta](zeta.md)\n",
    );
    for f in ["content/sections/guide/index.md", "content/sections/guide/alpha.md"] {
        std::fs::remove_file(fx.root().join(f)).unwrap();
    }
    fx.write("content/sections/index.md", "# Introduction\n\nRead [zeta](zeta.md).\n");
    // The page's include is the first level; the tenth is in b.txt, whose
    // directive would open the eleventh.
    let d = fx.expect_error(
        fx.pos("content/sections/guide/b.txt", "{{#include a.txt}}"),
        "include nesting deeper than 10",
    );
    assert!(d.message.contains("includes itself"), "{d}");
    let r = fx.build(&["--format", "json"]);
    assert_eq!(
        r.errors().len(),
        1,
        "one error, not a later one about a leftover directive: {:?}",
        r.diags()
    );
    assert!(
        r.diags().iter().all(|d| !d.message.contains("only in a site")),
        "{:?}",
        r.diags()
    );
}
