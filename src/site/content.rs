//! A site's content: every Markdown file under `content/sections/`, in
//! nested folders, with or without front matter, as brought from another
//! tool. Kept apart from the report loader so the report's stricter contract
//! (flat folder, front matter required) is unchanged.

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::Section;
use crate::text::Text;
use crate::yaml::Node;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::path::Path;
use walkdir::WalkDir;

/// Where a site's pages live.
pub const DIR: &str = "content/sections";

/// Site settings from `report.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `mode: site`.
    pub site: bool,
    /// `base_url:` (empty when not given).
    pub base_url: String,
}

/// Reads `mode` and `base_url` from `report.yaml`'s root.
pub fn settings(root: &Node) -> Result<Settings, Diagnostic> {
    let site = match root.get("mode") {
        None => false,
        Some(n) => match n.str()?.as_str() {
            "site" => true,
            "report" => false,
            other => {
                return Err(Diagnostic::error(n.value_loc(), format!("unknown mode `{other}`"))
                    .hint("write `mode: report` (one page, the default) or `mode: site` (one page per section)"));
            }
        },
    };
    let base_url = match root.get("base_url") {
        None => String::new(),
        Some(n) => {
            let u = n.str()?;
            check_base_url(&u).map_err(|why| {
                Diagnostic::error(n.value_loc(), why).hint("write e.g. `base_url: https://example.org/docs/`")
            })?;
            u
        }
    };
    Ok(Settings { site, base_url })
}

/// A base URL is absolute (`https://…` or `/path/`) and ends with `/`, so
/// page paths can be appended to it.
pub fn check_base_url(u: &str) -> Result<(), String> {
    let ok_start = u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/');
    if !ok_start {
        return Err(format!("`{u}` is not an absolute URL"));
    }
    if !u.ends_with('/') {
        return Err(format!("`{u}` should end with `/`"));
    }
    if u.contains(['"', '<', '>', ' ', '\'']) {
        return Err(format!("`{u}` holds characters a URL cannot"));
    }
    Ok(())
}

/// File names that stand for their folder's own page.
pub(crate) const INDEX_NAMES: [&str; 3] = ["index.md", "README.md", "_index.md"];

/// Strips a `01-` ordering prefix, which orders files but is not part of URLs.
fn strip_order(name: &str) -> &str {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() < name.len()
        && let Some(r) = rest.strip_prefix(['-', '_'])
        && !r.is_empty()
    {
        return r;
    }
    name
}

/// The page path of a section file, relative to the site root: `""` for the
/// home page, `guide/install/` for `content/sections/02-guide/01-install.md`.
pub fn page_path(file: &str) -> String {
    let rel = file.strip_prefix(DIR).unwrap_or(file).trim_start_matches('/');
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or("");
    let mut out = String::new();
    for p in parts {
        out.push_str(&crate::text::slug(strip_order(p)));
        out.push('/');
    }
    if !INDEX_NAMES.contains(&name) {
        let stem = name.strip_suffix(".md").unwrap_or(name);
        // A translation (`install.zh.md`) lives at its section's path in its edition's folder.
        let stem = match stem.rsplit_once('.') {
            Some((base, code)) if crate::text::Lang::parse(code).is_some() => base,
            _ => stem,
        };
        out.push_str(&crate::text::slug(strip_order(stem)));
        out.push('/');
    }
    out
}

/// The files' order: by path, a folder's index page before its other pages.
fn sort_key(rel: &str) -> Vec<String> {
    rel.split('/')
        .map(|p| {
            if INDEX_NAMES.contains(&p) {
                String::new()
            } else {
                p.to_string()
            }
        })
        .collect()
}

/// Reads every page under `content/sections/`, recursively; `SUMMARY.md`
/// (an mdBook table of contents) is not a page. Errors go to `errors`.
pub fn sections(root: &Path, files: &mut SourceMap, errors: &mut Diagnostics) -> Vec<Section> {
    let base = root.join(DIR);
    let page_rel = |e: &walkdir::DirEntry| {
        let md = e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md");
        if !md || e.file_name() == "SUMMARY.md" {
            return None;
        }
        let r = e.path().strip_prefix(&base).ok()?.to_string_lossy().replace('\\', "/");
        Some(format!("{DIR}/{r}"))
    };
    // Each top-level folder is walked on its own core (the walk is a few
    // thousand directory reads); the sort below fixes the order.
    let top: Vec<walkdir::DirEntry> = WalkDir::new(&base)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let mut rels: Vec<String> = top.iter().filter_map(page_rel).collect();
    let nested: Vec<Vec<String>> = {
        use rayon::prelude::*;
        top.par_iter()
            .filter(|e| e.depth() == 1 && e.file_type().is_dir())
            .map(|d| {
                WalkDir::new(d.path())
                    .min_depth(1)
                    .into_iter()
                    .filter_map(Result::ok)
                    .filter_map(|e| page_rel(&e))
                    .collect()
            })
            .collect()
    };
    rels.extend(nested.into_iter().flatten());
    // The key is built once per file, not once per comparison.
    rels.sort_by_cached_key(|r| sort_key(r));
    // Pages are read and parsed on every core, in order; only recording
    // each text in the source map is serial.
    use crate::load::files::{MAX_TEXT_BYTES, read_text};
    use rayon::prelude::*;
    let read: Vec<(String, Result<String, Diagnostic>)> = rels
        .into_par_iter()
        .map(|rel| {
            let text = read_text(root, &rel, MAX_TEXT_BYTES).map_err(|e| e.diagnostic(&rel));
            (rel, text)
        })
        .collect();
    // Recording the texts (serial) runs beside parsing them (on the other
    // cores): neither waits for the other.
    let ((), parsed) = rayon::join(
        || {
            for (rel, text) in &read {
                if let Ok(t) = text {
                    files.add(rel, t);
                }
            }
        },
        || -> Vec<Result<Section, Diagnostic>> {
            read.par_iter()
                .map(|(rel, text)| match text {
                    Ok(t) => page(rel, t),
                    Err(d) => Err(d.clone()),
                })
                .collect()
        },
    );
    let mut out = Vec::new();
    for p in parsed {
        match p {
            Ok(s) => out.push(s),
            Err(d) => errors.push(d),
        }
    }
    super::include::expand_all(root, &mut out, files, errors);
    out
}

/// A report reads only `content/sections/*.md`; Markdown in its sub-folders
/// would be left out silently, so each such file gets a warning.
pub fn skipped_in_report(root: &Path) -> Diagnostics {
    let base = root.join(DIR);
    let mut files: Vec<String> = WalkDir::new(&base)
        .min_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| Some(e.path().strip_prefix(&base).ok()?.to_string_lossy().replace('\\', "/")))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|rel| {
            Diagnostic::warning(
                Loc::file(format!("{DIR}/{rel}")),
                "this page is in a sub-folder, which a report does not read",
            )
            .hint("add `mode: site` to content/report.yaml to build one page per file, or move it up a folder")
        })
        .collect()
}

/// The section id of a page path: `guide-install`, `index` for the home page.
pub fn id_of(path: &str) -> String {
    let id = path.trim_end_matches('/').replace('/', "-");
    if id.is_empty() { "index".into() } else { id }
}

/// Front matter keys other tools write (Hugo, Jekyll, Docusaurus, MkDocs):
/// accepted so their pages build unchanged, and ignored except
/// `description`, which serves as the summary. Any other key is a typo.
const FOREIGN_KEYS: [&str; 17] = [
    "description",
    "date",
    "weight",
    "draft",
    "tags",
    "categories",
    "slug",
    "layout",
    "author",
    "authors",
    "sidebar_position",
    "sidebar_label",
    "id",
    "keywords",
    "aliases",
    "toc",
    "hide",
];

/// One page: optional front matter (`title`, `summary`), then Markdown. The
/// title is the front matter's, else the first heading's (which is then
/// not shown again), else made from the file name.
pub fn page(rel: &str, text: &str) -> Result<Section, Diagnostic> {
    let (mut title, mut summary, mut offset) = (None, Text::default(), 0);
    // The body is the front matter's when there is one: the whole text is
    // copied only when there is not.
    let mut body = None;
    if let Some(fm) = crate::load::front_matter(rel, text)? {
        let root = fm.doc.root();
        if root.is_map() {
            root.only_keys(&[&["title", "summary"][..], &FOREIGN_KEYS[..]].concat())?;
            title = root.get("title").map(|t| t.text()).transpose()?;
            summary = crate::load::opt_text(&root, "summary")?;
            if summary.is_empty() && root.get("description").is_some_and(|d| d.str().is_ok()) {
                summary = crate::load::opt_text(&root, "description")?;
            }
        }
        body = Some(fm.body);
        offset = fm.body_line_offset;
    }
    let mut body = body.unwrap_or_else(|| text.to_string());
    if let Some((range, heading)) = first_heading(&body)
        && title
            .as_ref()
            .is_none_or(|t| t.get(crate::text::Lang::EN).trim() == heading.trim())
    {
        // Keep the line count so every later location stays right.
        let blank: String = body[range.clone()].chars().filter(|&c| c == '\n').collect();
        body.replace_range(range, &blank);
        title.get_or_insert_with(|| Text::plain(heading));
    }
    let path = page_path(rel);
    let title = title.unwrap_or_else(|| Text::plain(title_from_name(rel)));
    Ok(Section {
        id: id_of(&path),
        file: rel.to_string(),
        title,
        summary,
        body,
        body_line_offset: offset,
        translations: Vec::new(),
        splices: Vec::new(),
    })
}

/// The first block when it is a level-1 heading: its range and plain text.
fn first_heading(body: &str) -> Option<(std::ops::Range<usize>, String)> {
    // The parser reads every block of the page before the first event, so
    // a page that cannot start with one is not parsed: the first block is
    // an `# …` heading only after a line starting `#` (maybe behind link
    // definitions, `[…]: …`), or a `===` heading only above a `=` line.
    let opening = body.trim_start();
    let setext = setext_underline(body);
    if !(opening.starts_with(['#', '[']) || setext) {
        return None;
    }
    let mut it = Parser::new_ext(body, super::super::transform::markdown::options()).into_offset_iter();
    let (ev, range) = it.next()?;
    if !matches!(
        ev,
        Event::Start(Tag::Heading {
            level: HeadingLevel::H1,
            ..
        })
    ) {
        return None;
    }
    let mut text = String::new();
    for (ev, _) in it {
        match ev {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::End(TagEnd::Heading(_)) => break,
            _ => {}
        }
    }
    Some((range, text))
}

/// Whether a line of `body` starts with `=` (after white space): jumps
/// from one `=` to the next, reading only the lines holding one.
fn setext_underline(body: &str) -> bool {
    let mut from = 0;
    while let Some(k) = body[from..].find('=') {
        let i = from + k;
        let start = body[..i].rfind('\n').map_or(0, |n| n + 1);
        if body[start..i].chars().all(char::is_whitespace) {
            return true;
        }
        // The rest of this line cannot start it.
        match body[i..].find('\n') {
            Some(n) => from = i + n + 1,
            None => return false,
        }
    }
    false
}

/// `02-getting_started.md` → "Getting started".
fn title_from_name(rel: &str) -> String {
    let mut name = rel.rsplit('/').next().unwrap_or(rel);
    if INDEX_NAMES.contains(&name) {
        name = rel.rsplit('/').nth(1).unwrap_or("Home");
        if name == "sections" {
            return "Home".into();
        }
    }
    let stem = strip_order(name.strip_suffix(".md").unwrap_or(name)).replace(['-', '_'], " ");
    let mut c = stem.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// The `sections:` list, flattened: a plain item names a section; an item
/// `guide: [install, usage]` names the folder's own page (as `guide/`,
/// which may be absent) and then `guide/install`, `guide/usage`.
pub fn order_list(n: &Node, prefix: &str) -> Result<Vec<(String, Loc)>, Diagnostic> {
    let items = n
        .items()
        .map_err(|_| n.error("`sections` should be a list of section file names"))?;
    let mut out = Vec::new();
    for item in items {
        if item.is_map() {
            for (folder, list) in item.entries()? {
                out.push((format!("{prefix}{folder}/"), list.loc()));
                out.extend(order_list(&list, &format!("{prefix}{folder}/"))?);
            }
        } else {
            out.push((format!("{prefix}{}", item.str()?), item.value_loc()));
        }
    }
    Ok(out)
}

/// Orders pages as `sections:` lists them, by page path (`guide/install`),
/// id (`guide-install`) or file (`02-guide/01-install`); every page must be listed.
pub fn reorder(sections: Vec<Section>, order: &[(String, Loc)], loc: &Loc) -> Result<Vec<Section>, Diagnostic> {
    let key = |s: &Section| page_path(&s.file).trim_end_matches('/').to_string();
    let written = |s: &Section| {
        let rel = s.file.strip_prefix(DIR).unwrap_or(&s.file).trim_start_matches('/');
        rel.strip_suffix(".md").unwrap_or(rel).to_string()
    };
    // Every name a page answers to, each to the pages answering, in order:
    // one look-up per listed name instead of a scan of every page.
    let mut names: HashMap<String, Vec<usize>> = HashMap::new();
    let mut folders: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in sections.iter().enumerate() {
        let mut own = vec![key(s), s.id.clone(), written(s)];
        own.dedup();
        for n in own {
            names.entry(n).or_default().push(i);
        }
        // `guide/` stands for the folder's own page, when it has one.
        let rel = s.file.strip_prefix(DIR).unwrap_or(&s.file);
        if let Some((folder, file)) = rel.trim_start_matches('/').rsplit_once('/')
            && INDEX_NAMES.contains(&file)
        {
            folders.entry(folder.to_string()).or_default().push(i);
        }
    }
    let mut placed = vec![false; sections.len()];
    let mut out = Vec::with_capacity(sections.len());
    for (name, at) in order {
        let want = name.trim_matches('/');
        let folder = name.ends_with('/');
        let candidates = names
            .get(want)
            .into_iter()
            .chain(folders.get(want).filter(|_| folder))
            .flatten();
        // The first page, in file order, not placed yet.
        let found = candidates.filter(|&&i| !placed[i]).min().copied();
        if found.is_none() && folder {
            continue;
        }
        let Some(i) = found else {
            let all: Vec<String> = sections
                .iter()
                .enumerate()
                .filter(|(i, _)| !placed[*i])
                .map(|(_, s)| key(s))
                .collect();
            return Err(Diagnostic::error(
                at.clone(),
                format!("`sections` lists `{name}`, but there is no such page"),
            )
            .hint(crate::text::suggest(
                want,
                all.iter().map(String::as_str),
                "pages not yet listed",
            )));
        };
        placed[i] = true;
        out.push(i);
    }
    if let Some(s) = sections.iter().zip(&placed).find(|(_, p)| !**p).map(|(s, _)| s) {
        return Err(
            Diagnostic::error(loc.clone(), format!("`{}` is not listed in `sections`", key(s)))
                .hint("list every page by its path, or remove `sections:` to order them by file name"),
        );
    }
    let mut slots: Vec<Option<Section>> = sections.into_iter().map(Some).collect();
    Ok(out.into_iter().filter_map(|i| slots[i].take()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setext_underline_is_found_as_reading_every_line_would() {
        let cases = [
            "",
            "=",
            "a\n=",
            "a\n  ==\n",
            "a = b\nc == d",
            "a\r\n=\r\n",
            "a\r=",
            "x\n\u{3000}=",
            "a=\n=b",
            "a\nb = c = d\n",
            "\n\n",
            "==\n",
            "a\n\t=",
            "é=\né",
        ];
        for body in cases {
            let want = body.lines().any(|l| l.trim_start().starts_with('='));
            assert_eq!(setext_underline(body), want, "{body:?}");
        }
        // Lines full of `=` that start with text: each is read once.
        let line = format!("x {}\n", "a = b ".repeat(50));
        let (small, large) = (line.repeat(200), line.repeat(2000));
        let ratio = crate::scaling::time_ratio(
            || assert!(!setext_underline(&small)),
            || assert!(!setext_underline(&large)),
        );
        assert!(ratio < 25.0, "10× the lines took {ratio:.1}× the time");
    }

    #[test]
    fn nested_sections_order() {
        let text = "sections:\n  - index\n  - 01-guide:\n      - 02-usage\n      - 01-install\n";
        let doc = crate::yaml::Doc::parse("content/report.yaml", text, 0).unwrap();
        let list = order_list(&doc.root().get("sections").unwrap(), "").unwrap();
        let names: Vec<&str> = list.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["index", "01-guide/", "01-guide/02-usage", "01-guide/01-install"]
        );
        let page = |f: &str| page(&format!("{DIR}/{f}"), "x\n").unwrap();
        let sections = vec![
            page("index.md"),
            page("01-guide/01-install.md"),
            page("01-guide/02-usage.md"),
            page("01-guide/README.md"),
        ];
        let out = reorder(sections, &list, &Loc::file("content/report.yaml")).unwrap();
        let ids: Vec<&str> = out.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["index", "guide", "guide-usage", "guide-install"]);
    }

    #[test]
    fn ordering_by_sections_is_linear() {
        // Listed backwards, by path, so every look-up matters.
        let list = |n: usize| -> Vec<(String, Loc)> {
            (0..n)
                .rev()
                .map(|i| (format!("p{i}"), Loc::file("content/report.yaml")))
                .collect()
        };
        let run = |order: &[(String, Loc)]| {
            let sections: Vec<Section> = (0..order.len())
                .map(|i| page(&format!("{DIR}/p{i}.md"), "x\n").unwrap())
                .collect();
            let out = reorder(sections, order, &Loc::file("content/report.yaml")).unwrap();
            assert_eq!(out[0].id, format!("p{}", order.len() - 1));
        };
        let (small, large) = (list(300), list(3000));
        let ratio = crate::scaling::time_ratio(|| run(&small), || run(&large));
        // Linear is 10, quadratic 100 (a scan per listed name was 100).
        assert!(ratio < 30.0, "10× the pages took {ratio:.1}× the time");
    }

    #[test]
    fn paths() {
        assert_eq!(page_path("content/sections/index.md"), "");
        assert_eq!(page_path("content/sections/02-guide/01-install.md"), "guide/install/");
        assert_eq!(page_path("content/sections/02-guide/README.md"), "guide/");
        assert_eq!(id_of("guide/install/"), "guide-install");
        assert_eq!(page_path("content/sections/01-framing.zh.md"), "framing/");
    }

    #[test]
    fn title_from_heading_is_removed() {
        let s = page("content/sections/a.md", "# Hello `x`\n\nText\n").unwrap();
        assert_eq!(s.title.get(crate::text::Lang::EN), "Hello x");
        assert!(!s.body.contains("Hello"));
        assert_eq!(s.body.matches('\n').count(), 3);
        let s = page(
            "content/sections/b.md",
            "---\ntitle: B\nweight: 3\ndescription: About B\n---\n# B\n",
        )
        .unwrap();
        assert_eq!(s.summary.get(crate::text::Lang::EN), "About B");
        assert!(
            !s.body.contains("# B"),
            "a heading equal to the title is not shown twice"
        );
        assert!(page("content/sections/c.md", "---\ntittle: C\n---\n").is_err());
        let s = page("content/sections/02-getting_started.md", "Text\n").unwrap();
        assert_eq!(s.title.get(crate::text::Lang::EN), "Getting started");
    }
}
