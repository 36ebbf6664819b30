//! An mdBook `SUMMARY.md`, read as the site's reading order and its
//! navigation, so a book copied in as it is keeps its chapter order and
//! its sidebar without a `sections:` list.
//!
//! The order and the nesting are taken: a chapter nested under another (a
//! list item inside a list item) shows under it in the sidebar and the
//! breadcrumbs whatever folder its file is in, and a part title (`# Part`
//! after the first chapter list) is a heading in the sidebar (see
//! [`super::nav`]). URLs still follow the folders, and a chapter's title
//! still comes from its own first heading. Every chapter link is checked;
//! a page the summary leaves out is still built, after the listed ones, at
//! the top level, with a warning, since quire ignores nothing in
//! `content/` without a word, unless another page includes it
//! (`{{#include}}`), which makes it a fragment, as in mdBook.

use super::content::DIR;
use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::{Outline, Section};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// Where the summary lives.
pub const FILE: &str = "content/sections/SUMMARY.md";

/// One chapter link: the file it names (from the project root), where it
/// is written, and the chapter it is nested under.
struct Chapter {
    file: String,
    loc: Loc,
    /// Index of the nearest enclosing chapter (a link of an enclosing list
    /// item), `None` at the top level or outside any list.
    parent: Option<usize>,
}

/// What the summary says: its chapters in order, and its part titles, each
/// with the index of the first chapter after it.
struct Summary {
    chapters: Vec<Chapter>,
    parts: Vec<(usize, String)>,
}

/// `sections` in the order `SUMMARY.md` gives, with the navigation it
/// nests, when there is one; problems go to `diags` (a missing chapter is
/// an error, an unlisted page a warning).
pub fn apply(
    root: &Path,
    files: &mut SourceMap,
    sections: Vec<Section>,
    diags: &mut Diagnostics,
) -> (Vec<Section>, Option<Outline>) {
    if !root.join(FILE).is_file() {
        return (sections, None);
    }
    match crate::load::files::read(root, FILE, files) {
        Ok(text) => {
            let (sections, outline) = order(sections, &parse(&text), diags);
            (sections, Some(outline))
        }
        Err(d) => {
            diags.push(d);
            (sections, None)
        }
    }
}

/// An open list item: the chapter it holds, once its link is read, and the
/// nearest chapter of the items around it, so nesting is found in one pass.
struct Item {
    own: Option<usize>,
    outer: Option<usize>,
}

/// Every chapter link of the summary, in order, with its nesting, and the
/// part titles. Draft chapters (`[Later]()`) have no file and are skipped,
/// as mdBook does; what is nested under one goes under the draft's own
/// parent. As in mdBook, a level-1 heading is a part title, unless it opens
/// the file (the summary's own title); other headings are ignored.
fn parse(text: &str) -> Summary {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let loc = |at: usize| {
        let line = line_starts.partition_point(|&s| s <= at) - 1;
        let col = text[line_starts[line]..at].chars().count() + 1;
        Loc::new(FILE, line + 1, col)
    };
    let mut out = Summary {
        chapters: Vec::new(),
        parts: Vec::new(),
    };
    let mut items: Vec<Item> = Vec::new();
    // Whether anything came before: the opening heading is the title.
    let mut opened = false;
    let mut heading: Option<String> = None;
    for (ev, range) in Parser::new(text).into_offset_iter() {
        match ev {
            Event::Start(Tag::Item) => {
                let outer = items.last().and_then(|i| i.own.or(i.outer));
                items.push(Item { own: None, outer });
            }
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if opened => heading = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = &mut heading {
                    h.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(h) = &mut heading {
                    h.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take().filter(|h| !h.trim().is_empty()) {
                    out.parts.push((out.chapters.len(), h.trim().to_string()));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let dest = dest_url.split('#').next().unwrap_or_default().trim_start_matches("./");
                if dest.is_empty() {
                    continue;
                }
                let written = &text[range.clone()];
                let at = written.rfind(&*dest_url).map_or(range.start, |i| range.start + i);
                let parent = items.last().and_then(|i| i.outer);
                if let Some(item) = items.last_mut() {
                    item.own.get_or_insert(out.chapters.len());
                }
                out.chapters.push(Chapter {
                    file: format!("{DIR}/{dest}"),
                    loc: loc(at),
                    parent,
                });
            }
            _ => {}
        }
        opened = true;
    }
    out
}

/// The listed pages in the summary's order, then the unlisted ones in file
/// order, with the summary's nesting of them.
fn order(sections: Vec<Section>, summary: &Summary, diags: &mut Diagnostics) -> (Vec<Section>, Outline) {
    let files: Vec<&str> = sections.iter().map(|s| s.file.as_str()).collect();
    // A page the summary leaves out but another page includes is a
    // fragment, as in mdBook: used, so not a page of its own.
    let included: HashSet<&str> = sections
        .iter()
        .flat_map(|s| s.splices.iter().flat_map(|sp| sp.lines.iter().map(|(f, _)| &**f)))
        .collect();
    let (order, at) = placement(&files, &included, &summary.chapters, diags);
    let outline = outline(summary, &at, order.len());
    let mut slots: Vec<Option<Section>> = sections.into_iter().map(Some).collect();
    (order.into_iter().filter_map(|i| slots[i].take()).collect(), outline)
}

/// The nesting of the `n` placed pages, from `at`: where each chapter was
/// placed (`None` for a duplicate or missing page, whose nested chapters
/// go under its own parent). Linear: each chapter's parent is placed, or
/// passed on, before it.
fn outline(summary: &Summary, at: &[Option<usize>], n: usize) -> Outline {
    let mut parents = vec![None; n];
    // For each chapter, the placed page its nested chapters go under.
    let mut under: Vec<Option<usize>> = Vec::with_capacity(at.len());
    let mut top = Vec::with_capacity(at.len());
    for (c, ch) in summary.chapters.iter().enumerate() {
        let up = ch.parent.and_then(|p| under[p]);
        if let Some(pos) = at[c] {
            parents[pos] = up;
        }
        under.push(at[c].or(up));
        top.push(at[c].is_some() && up.is_none());
    }
    // A part title goes before the first top-level page after it; one with
    // no page after it (only drafts) has nothing to head and is left out.
    let mut parts = Vec::with_capacity(summary.parts.len());
    let mut c = 0;
    for (k, title) in &summary.parts {
        c = c.max(*k);
        while c < top.len() && !top[c] {
            c += 1;
        }
        if let Some(pos) = at.get(c).copied().flatten() {
            parts.push((pos, title.clone()));
        }
    }
    Outline { parents, parts }
}

/// Where each page goes: indexes into `files`, listed ones first; and for
/// each chapter, the place its page took (`None` for a repeat or a missing
/// page). Linear: one map from file to page.
fn placement(
    files: &[&str],
    included: &HashSet<&str>,
    chapters: &[Chapter],
    diags: &mut Diagnostics,
) -> (Vec<usize>, Vec<Option<usize>>) {
    let by_file: HashMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();
    let mut placed = vec![false; files.len()];
    let mut order = Vec::with_capacity(files.len());
    let mut at = Vec::with_capacity(chapters.len());
    for c in chapters {
        at.push(match by_file.get(c.file.as_str()) {
            Some(&i) if placed[i] => {
                diags.push(
                    Diagnostic::warning(c.loc.clone(), format!("`{}` is listed twice", short(&c.file)))
                        .hint("a page has one place in the order; remove the second entry"),
                );
                None
            }
            Some(&i) => {
                placed[i] = true;
                order.push(i);
                Some(order.len() - 1)
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
                None
            }
        });
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
    (order, at)
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
        let (out, outline) = order(sections, &parse(text), &mut diags);
        assert_eq!(outline.parents, [None, None, Some(1), None]);
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
    fn summary_gives_nesting_across_folders_and_part_titles() {
        let text = "# Summary\n\n[Intro](README.md)\n\n\
                    - [Guide](guide/index.md)\n  - [Setup](setup.md)\n    - [Deep](ref/deep.md)\n\
                    \x20 - [Draft]()\n    - [Under a draft](ref/under.md)\n\n\
                    # Reference\n\n- [Ref](ref/index.md)\n  - [Guide again](guide/index.md)\n    - [Lost](ref/lost.md)\n\n\
                    ---\n\n[Credits](credits.md)\n";
        let files = [
            "README.md",
            "credits.md",
            "extra.md",
            "guide/index.md",
            "ref/deep.md",
            "ref/index.md",
            "ref/lost.md",
            "ref/under.md",
            "setup.md",
        ];
        let mut diags = Vec::new();
        let (out, outline) = order(files.iter().map(|f| page(f)).collect(), &parse(text), &mut diags);
        let files: Vec<&str> = out.iter().map(|s| short(&s.file)).collect();
        assert_eq!(
            files,
            [
                "README.md",
                "guide/index.md",
                "setup.md",
                "ref/deep.md",
                "ref/under.md",
                "ref/index.md",
                "ref/lost.md",
                "credits.md",
                "extra.md"
            ]
        );
        // The prefix and suffix chapters and the unlisted page are at the
        // top; `setup.md` sits under the guide from another folder; what a
        // draft or a repeated entry holds goes under that entry's parent.
        assert_eq!(
            outline.parents,
            [None, None, Some(1), Some(2), Some(1), None, Some(5), None, None]
        );
        // The summary's own title is no part; `# Reference` heads `ref/index.md`.
        assert_eq!(outline.parts, [(5, "Reference".to_string())]);
        let said: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            said,
            [
                "`guide/index.md` is listed twice",
                "`extra.md` is not listed in `SUMMARY.md`"
            ]
        );
    }

    #[test]
    fn part_titles_are_level_one_headings_after_the_title() {
        let text = "# Summary\n\n[Intro](index.md)\n\n# First *part*\n\n- [A](a.md)\n\n## Not a part\n\n\
                    # Empty\n\n- [Later]()\n\n# Next\n\n- [B](b.md)\n\n# Trailing\n\n- [Soon]()\n";
        let mut diags = Vec::new();
        let (_, outline) = order(
            vec![page("index.md"), page("a.md"), page("b.md")],
            &parse(text),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            outline.parts,
            [
                (1, "First part".to_string()),
                (2, "Empty".to_string()),
                (2, "Next".to_string())
            ],
            "a part may follow the prefix chapters; an empty part's title still shows, before the next; \
             a trailing one has nothing to head"
        );
        // Without a title, the opening heading is still the title, not a part.
        let (_, outline) = order(vec![page("a.md")], &parse("# Guide\n\n- [A](a.md)\n"), &mut diags);
        assert!(outline.parts.is_empty());
    }

    #[test]
    fn ordering_is_linear() {
        // The summary lists the pages backwards, so every look-up matters,
        // and nests every other one under the one before it, under parts.
        let input = |n: usize| {
            let text: String = (0..n)
                .rev()
                .map(|i| match i % 10 {
                    0 => format!("\n# Part {i}\n\n- [P](p{i}.md)\n"),
                    k if k % 2 == 1 => format!("  - [P](p{i}.md)\n"),
                    _ => format!("- [P](p{i}.md)\n"),
                })
                .collect();
            let files: Vec<String> = (0..n).map(|i| format!("{DIR}/p{i}.md")).collect();
            (parse(&text), files)
        };
        let (small, large) = (input(500), input(5000));
        let run = |(summary, files): &(Summary, Vec<String>)| {
            let files: Vec<&str> = files.iter().map(String::as_str).collect();
            let mut diags = Vec::new();
            let (out, at) = placement(&files, &HashSet::new(), &summary.chapters, &mut diags);
            let outline = outline(summary, &at, out.len());
            assert!(diags.is_empty());
            assert_eq!(out[0], files.len() - 1);
            assert_eq!(outline.parents[2], Some(1));
            assert_eq!(outline.parts.len(), files.len() / 10);
        };
        let ratio = crate::scaling::time_ratio(|| run(&small), || run(&large));
        // Linear is 10, quadratic 100; a loaded machine and a map that
        // outgrows the cache push linear work towards 25.
        assert!(ratio < 35.0, "10× the chapters took {ratio:.1}× the time");
    }
}
