//! An mdBook whose `SUMMARY.md` nests chapters differently from their
//! folders (`tests/corpus/nested-summary`): the sidebar and breadcrumbs
//! follow the summary, URLs follow the folders. Each test parses the pages'
//! sidebars and breadcrumbs out of the built HTML.

mod common;

use common::{Fixture, copy_dir, repo};

/// A fresh copy of the nested book.
fn book() -> Fixture {
    let dir = tempfile::Builder::new().prefix("quire-summary-").tempdir().unwrap();
    copy_dir(&repo().join("tests/corpus/nested-summary"), dir.path());
    Fixture { dir }
}

/// One entry of a parsed sidebar.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    /// A page link, with what is opened under it.
    Link {
        title: String,
        href: String,
        current: bool,
        /// Pages under it that the sidebar shows.
        children: Vec<Entry>,
        /// Pages under it that the sidebar folds away.
        folded: bool,
    },
    /// A part title: a heading, not a link.
    Part(String),
}

/// The text between `start`'s end and the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let s = html.find(start)? + start.len();
    Some(&html[s..s + html[s..].find(end)?])
}

/// The value of `attr` in one tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    between(tag, &format!(" {name}=\""), "\"").map(str::to_string)
}

/// The sidebar of a page as a tree of entries, read tag by tag.
fn sidebar(html: &str) -> Vec<Entry> {
    let nav = between(html, "<nav class=\"site-nav\"", "</nav>").expect("a sidebar");
    let mut lists: Vec<Vec<Entry>> = Vec::new();
    let mut done = Vec::new();
    let mut rest = &nav[nav.find('>').unwrap() + 1..];
    while let Some(i) = rest.find('<') {
        let end = i + rest[i..].find('>').unwrap() + 1;
        let tag = &rest[i..end];
        let text_end = rest[end..].find('<').map_or(rest.len(), |t| end + t);
        let text = rest[end..text_end].to_string();
        if tag == "<ul>" {
            lists.push(Vec::new());
        } else if tag == "</ul>" {
            let list = lists.pop().expect("balanced lists");
            match lists.last_mut().and_then(|l| l.last_mut()) {
                Some(Entry::Link { children, .. }) => *children = list,
                _ => done = list,
            }
        } else if tag.starts_with("<a ") {
            lists.last_mut().expect("a link inside a list").push(Entry::Link {
                title: text,
                href: attr(tag, "href").expect("an href"),
                current: attr(tag, "aria-current").as_deref() == Some("page"),
                children: Vec::new(),
                folded: false,
            });
        } else if tag == "<li class=\"part-title\">" {
            lists.last_mut().expect("a part inside a list").push(Entry::Part(text));
        } else if tag == "<span class=\"more\">"
            && let Some(Entry::Link { folded, .. }) = lists.last_mut().and_then(|l| l.last_mut())
        {
            *folded = true;
        }
        rest = &rest[text_end..];
    }
    assert!(lists.is_empty(), "unbalanced sidebar: {nav}");
    done
}

/// The titles of the entries, part titles in brackets.
fn titles(entries: &[Entry]) -> Vec<String> {
    entries
        .iter()
        .map(|e| match e {
            Entry::Link { title, .. } => title.clone(),
            Entry::Part(t) => format!("[{t}]"),
        })
        .collect()
}

/// The entries opened from the top down to the current page, and the
/// current page's link; fails unless exactly one link is current.
fn branch_to_current(entries: &[Entry]) -> (Vec<String>, String) {
    fn walk(entries: &[Entry], path: &mut Vec<String>, found: &mut Vec<(Vec<String>, String)>) {
        for e in entries {
            if let Entry::Link {
                title,
                href,
                current,
                children,
                ..
            } = e
            {
                path.push(title.clone());
                if *current {
                    found.push((path.clone(), href.clone()));
                }
                walk(children, path, found);
                path.pop();
            }
        }
    }
    let mut found = Vec::new();
    walk(entries, &mut Vec::new(), &mut found);
    assert_eq!(found.len(), 1, "one current page: {entries:?}");
    found.remove(0)
}

/// The breadcrumbs of a page: (title, href) each.
fn breadcrumbs(html: &str) -> Vec<(String, String)> {
    let Some(ol) = between(html, "<nav class=\"breadcrumbs\"", "</nav>") else {
        return Vec::new();
    };
    ol.split("<li>")
        .skip(1)
        .map(|li| {
            let title = match between(li, "<a ", "</a>") {
                Some(a) => &a[a.find('>').map_or(0, |g| g + 1)..],
                None => &li[..li.find('<').unwrap_or(li.len())],
            };
            (title.to_string(), attr(li, "href").unwrap_or_default())
        })
        .collect()
}

/// The output file a link from page `page` leads to.
fn target(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn built(fx: &Fixture) -> common::Run {
    let r = fx.build(&["--format", "json"]);
    r.assert_no_panic("building the nested book");
    r.assert_code(0, "building the nested book");
    r
}

fn page(fx: &Fixture, rel: &str) -> String {
    std::fs::read_to_string(fx.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_sidebar_and_breadcrumbs_follow_the_summary_not_the_folders() {
    let fx = book();
    let r = built(&fx);
    // Only the unlisted page is worth a word.
    let said: Vec<String> = r.diags().iter().map(|d| d.file.clone()).collect();
    assert_eq!(said, ["content/sections/extra/unlisted.md"], "{:?}", r.diags());

    // `setup/linux.md` is nested under `setup/install.md`, itself under
    // the guide from another folder: that branch opens, nothing else.
    let rel = "setup/linux/index.html";
    let html = page(&fx, rel);
    let side = sidebar(&html);
    assert_eq!(
        titles(&side),
        [
            "Introduction",
            "Guide",
            "Reference",
            "[Appendices]",
            "Glossary",
            "Credits",
            "Unlisted"
        ],
        "prefix and suffix chapters and the unlisted page at the top, the part title as a heading, no draft"
    );
    let (branch, href) = branch_to_current(&side);
    assert_eq!(branch, ["Guide", "Installing", "On Linux"]);
    assert_eq!(target(rel, &href), rel, "the current link is the page itself");
    let Entry::Link { children, .. } = &side[1] else {
        panic!("the guide is a link")
    };
    assert_eq!(
        titles(children),
        ["Installing", "Flat one"],
        "a flat file nested by the summary"
    );
    let Entry::Link { folded, children, .. } = &side[4] else {
        panic!("the glossary is a link")
    };
    assert!(*folded && children.is_empty(), "another branch stays folded: {side:?}");
    // The trail names the summary's parents, not the `setup/` folder, and
    // every link in it leads to a built page.
    let crumbs = breadcrumbs(&html);
    let names: Vec<&str> = crumbs.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["Introduction", "Guide", "Installing"]);
    for (_, href) in &crumbs {
        assert!(fx.out().join(target(rel, href)).is_file(), "{href} from {rel}");
    }

    // `reference/terms.md` sits under the glossary, not under `reference/`.
    let rel = "reference/terms/index.html";
    let html = page(&fx, rel);
    assert_eq!(branch_to_current(&sidebar(&html)).0, ["Glossary", "Terms"]);
    let crumbs = breadcrumbs(&html);
    assert_eq!(crumbs.len(), 2);
    assert_eq!(crumbs[1].0, "Glossary");
    assert_eq!(target(rel, &crumbs[1].1), "glossary/index.html");

    // A page with chapters under it opens them; the unlisted page, in a
    // folder of its own, is a top-level page without a trail.
    let side = sidebar(&page(&fx, "glossary/index.html"));
    let Entry::Link { children, current, .. } = &side[4] else {
        panic!("the glossary is a link")
    };
    assert!(*current);
    assert_eq!(titles(children), ["Terms"]);
    let html = page(&fx, "extra/unlisted/index.html");
    assert_eq!(branch_to_current(&sidebar(&html)).0, ["Unlisted"]);
    assert!(breadcrumbs(&html).is_empty());
    // URLs still follow the folders.
    assert!(fx.out().join("flat-one/index.html").is_file());
}

#[test]
fn without_a_summary_the_same_book_nests_by_folder() {
    let fx = book();
    fx.remove("content/sections/SUMMARY.md");
    built(&fx);
    let rel = "setup/linux/index.html";
    let html = page(&fx, rel);
    let side = sidebar(&html);
    assert!(!titles(&side).iter().any(|t| t.starts_with('[')), "no part titles");
    assert_eq!(branch_to_current(&side).0, ["Setup", "On Linux"]);
    let names: Vec<String> = breadcrumbs(&html).into_iter().map(|c| c.0).collect();
    assert_eq!(names, ["Introduction", "Setup"]);
}
