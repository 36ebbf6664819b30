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
