//! An mdBook `SUMMARY.md`, read as the site's reading order, so a book
//! copied in as it is keeps its chapter order without a `sections:` list.
//!
//! Only the order is taken: navigation still nests by folder (see
//! [`super::nav`]), and a chapter's title still comes from its own first
//! heading. Every chapter link is checked; a page the summary leaves out is
//! still built, after the listed ones, with a warning, since quire ignores
//! nothing in `content/` without a word, unless another page includes it
//! (`{{#include}}`), which makes it a fragment, as in mdBook.

use super::content::DIR;
use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::Section;
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Where the summary lives.
pub const FILE: &str = "content/sections/SUMMARY.md";

/// One chapter link: the file it names (from the project root) and where
/// it is written.
struct Chapter {
    file: String,
    loc: Loc,
}

/// `sections` in the order `SUMMARY.md` gives, when there is one; problems
/// go to `diags` (a missing chapter is an error, an unlisted page a warning).
pub fn apply(root: &Path, files: &mut SourceMap, sections: Vec<Section>, diags: &mut Diagnostics) -> Vec<Section> {
    if !root.join(FILE).is_file() {
        return sections;
    }
    match crate::load::files::read(root, FILE, files) {
        Ok(text) => order(sections, &chapters(&text), diags),
        Err(d) => {
            diags.push(d);
            sections
        }
    }
}

/// Every chapter link of the summary, in order. Draft chapters (`[Later]()`)
/// have no file and are skipped, as mdBook does.
fn chapters(text: &str) -> Vec<Chapter> {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let loc = |at: usize| {
        let line = line_starts.partition_point(|&s| s <= at) - 1;
        let col = text[line_starts[line]..at].chars().count() + 1;
        Loc::new(FILE, line + 1, col)
    };
    let mut out = Vec::new();
    for (ev, range) in Parser::new(text).into_offset_iter() {
        let Event::Start(Tag::Link { dest_url, .. }) = ev else {
            continue;
        };
        let dest = dest_url.split('#').next().unwrap_or_default().trim_start_matches("./");
        if dest.is_empty() {
            continue;
        }
        let written = &text[range.clone()];
        let at = written.rfind(&*dest_url).map_or(range.start, |i| range.start + i);
        out.push(Chapter {
            file: format!("{DIR}/{dest}"),
            loc: loc(at),
        });
    }
    out
}

/// The listed pages in the summary's order, then the unlisted ones in file
/// order.
fn order(sections: Vec<Section>, chapters: &[Chapter], diags: &mut Diagnostics) -> Vec<Section> {
    let files: Vec<&str> = sections.iter().map(|s| s.file.as_str()).collect();
    // A page the summary leaves out but another page includes is a
    // fragment, as in mdBook: used, so not a page of its own.
    let included: HashSet<&str> = sections
        .iter()
        .flat_map(|s| s.splices.iter().flat_map(|sp| sp.lines.iter().map(|(f, _)| &**f)))
        .collect();
    let order = placement(&files, &included, chapters, diags);
    let mut slots: Vec<Option<Section>> = sections.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

/// Where each page goes: indexes into `files`, listed ones first. Linear:
/// one map from file to page.
fn placement(files: &[&str], included: &HashSet<&str>, chapters: &[Chapter], diags: &mut Diagnostics) -> Vec<usize> {
    let by_file: HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let mut placed = vec![false; files.len()];
    let mut order = Vec::with_capacity(files.len());
    for c in chapters {
        match by_file.get(c.file.as_str()) {
            Some(&i) if placed[i] => diags.push(
                Diagnostic::warning(c.loc.clone(), format!("`{}` is listed twice", short(&c.file)))
                    .hint("a page has one place in the order; remove the second entry"),
            ),
            Some(&i) => {
                placed[i] = true;
                order.push(i);
            }
            None => {
                let hint = crate::text::suggest(&c.file, files.iter().copied(), "pages");
                diags.push(
                    Diagnostic::error(
                        c.loc.clone(),
                        format!("`SUMMARY.md` lists `{}`, but there is no such page", short(&c.file)),
                    )
                    .hint(hint),
                );
            }
        }
    }
    for (i, f) in files.iter().enumerate() {
        if placed[i] || included.contains(f) {
            continue;
        }
        diags.push(
            Diagnostic::warning(Loc::file(*f), format!("`{}` is not listed in `SUMMARY.md`", short(f)))
                .hint("it is built after the listed pages; add it to SUMMARY.md to give it a place"),
        );
        order.push(i);
    }
    order
}

/// A page's file as written in the summary.
fn short(file: &str) -> &str {
    file.strip_prefix(DIR).map_or(file, |f| f.trim_start_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(f: &str) -> Section {
        super::super::content::page(&format!("{DIR}/{f}"), "x\n").unwrap()
    }

    #[test]
    fn summary_gives_order_and_checks_every_chapter() {
        let text = "# Summary\n\n[Intro](index.md)\n\n- [B](b.md)\n  - [A](./guide/a.md#top)\n- [Draft]()\n- [Gone](gone.md)\n- [B again](b.md)\n";
        let sections = vec![page("guide/a.md"), page("b.md"), page("index.md"), page("extra.md")];
        let mut diags = Vec::new();
        let out = order(sections, &chapters(text), &mut diags);
        let files: Vec<&str> = out.iter().map(|s| short(&s.file)).collect();
        assert_eq!(files, ["index.md", "b.md", "guide/a.md", "extra.md"]);
        let said: Vec<(bool, String, usize, usize)> = diags
            .iter()
            .map(|d| (d.is_error(), d.loc.file.clone(), d.loc.line, d.loc.col))
            .collect();
        assert_eq!(
            said,
            [
                (true, FILE.to_string(), 8, 10),
                (false, FILE.to_string(), 9, 13),
                (false, format!("{DIR}/extra.md"), 1, 1),
            ]
        );
        assert!(diags[0].message.contains("gone.md"));
    }

    #[test]
    fn ordering_is_linear() {
        // The summary lists the pages backwards, so every look-up matters.
        let input = |n: usize| {
            let text: String = (0..n).rev().map(|i| format!("- [P](p{i}.md)\n")).collect();
            let files: Vec<String> = (0..n).map(|i| format!("{DIR}/p{i}.md")).collect();
            (chapters(&text), files)
        };
        let (small, large) = (input(500), input(5000));
        let run = |(cs, files): &(Vec<Chapter>, Vec<String>)| {
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            let mut diags = Vec::new();
            let out = placement(&files, &HashSet::new(), cs, &mut diags);
            assert!(diags.is_empty());
            assert_eq!(out[0], files.len() - 1);
        };
        let ratio = crate::scaling::time_ratio(|| run(&small), || run(&large));
        // Linear is 10, quadratic 100; a loaded machine and a map that
        // outgrows the cache push linear work towards 25.
        assert!(ratio < 35.0, "10× the chapters took {ratio:.1}× the time");
    }
}
