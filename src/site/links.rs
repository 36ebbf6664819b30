//! Links between pages and to files: where a URL points from a given page,
//! and every link an author wrote checked and rewritten. A relative link to
//! a `.md` file becomes its page's URL; a link to a page or anchor that does
//! not exist, or to a missing file, is an error at its line and column.
//! Files linked or shown (images) are copied beside the pages.

use super::Page;
use super::content::INDEX_NAMES;
use super::html;
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::render::OutFile;
use crate::transform::{Document, SectionOut, WrittenLink};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How URLs are written.
pub struct Urls {
    /// `https://example.org/docs/`, or empty for relative links.
    pub base_url: String,
    /// The edition's folder (`""` or `zh/`).
    pub dir: String,
}

impl Urls {
    /// The path of an edition page from the site root.
    pub fn full(&self, path: &str) -> String {
        format!("{}{path}", self.dir)
    }

    /// The URL from the page at `from` (a folder path from the site root)
    /// to `to` (a folder, ending in `/` or empty, or a file). Relative links
    /// name `index.html` so the site works from `file://`.
    pub fn href(&self, from: &str, to: &str) -> String {
        // Built in one buffer of the right size: a page asks for a dozen
        // and every link on it asks again.
        let (prefix, up) = if self.base_url.is_empty() {
            ("", depth(from))
        } else {
            (self.base_url.as_str(), 0)
        };
        let index = self.base_url.is_empty() && (to.is_empty() || to.ends_with('/'));
        let mut url = String::with_capacity(prefix.len() + 3 * up + to.len() + if index { 10 } else { 0 });
        url.push_str(prefix);
        (0..up).for_each(|_| url.push_str("../"));
        url.push_str(to);
        if index {
            url.push_str("index.html");
        }
        url
    }

    /// The prefix that leads from the page at `from` to the site root.
    pub fn root(&self, from: &str) -> String {
        if self.base_url.is_empty() {
            "../".repeat(depth(from))
        } else {
            self.base_url.clone()
        }
    }

    /// The page's absolute URL, when there is a base URL.
    pub fn canonical(&self, full: &str) -> String {
        if self.base_url.is_empty() {
            String::new()
        } else {
            format!("{}{full}", self.base_url)
        }
    }

    /// A page's URL in the sitemap.
    pub fn sitemap_loc(&self, full: &str) -> String {
        format!("{}{full}", self.base_url)
    }

    /// A page's URL in the search index, relative to the site root (the
    /// script prefixes the root).
    pub fn search_path(&self, full: &str) -> String {
        if self.base_url.is_empty() {
            format!("{full}index.html")
        } else {
            full.to_string()
        }
    }
}

/// How many folders deep the page at `from` (a folder path) is.
fn depth(from: &str) -> usize {
    from.bytes().filter(|&b| b == b'/').count()
}

/// Whether a URL leaves the site: it has a scheme, or is protocol-relative
/// or absolute (an author's `/path` means the server's root, not ours).
fn is_external(u: &str) -> bool {
    if u.starts_with("//") || u.starts_with('/') {
        return true;
    }
    match u.find(':') {
        Some(c) => {
            let scheme = &u[..c];
            !scheme.is_empty()
                && !u[..c].contains(['/', '?', '#'])
                && scheme.chars().all(|x| x.is_ascii_alphanumeric() || "+-.".contains(x))
        }
        None => false,
    }
}

/// `%20` and the like, decoded, for finding files on disk.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `dir` joined with the relative `rel`, `..` resolved; `None` when it
/// climbs out of the project.
pub(super) fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Where every id of the edition is: the first page holding it.
pub(crate) type IdPages = HashMap<String, usize, foldhash::fast::FixedState>;

/// Every page's links checked: the files to copy, where each id is (for
/// [`Rewriter`]) and each page's rewrites, in page order (for
/// [`Page::links`]).
pub(crate) type Checked = (Vec<OutFile>, IdPages, Vec<BTreeMap<String, String>>);

/// Checks every link on every page; see [`Checked`].
pub(crate) fn rewrite(doc: &Document, pages: &[Page], urls: &Urls, root: &Path) -> Result<Checked, Diagnostics> {
    let mut errors = Vec::new();
    let mut assets: BTreeMap<String, String> = BTreeMap::new();
    let by_file: BTreeMap<&str, usize> = pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((doc.sections[p.sec?].file.as_str(), i)))
        .collect();
    let mut id_page = IdPages::default();
    for (i, p) in pages.iter().enumerate() {
        for id in &p.ids {
            if !id_page.contains_key(id) {
                id_page.insert(id.clone(), i);
            }
        }
    }
    // Pages are checked independently, on every core; errors and assets are
    // gathered afterwards in page order, so messages and output keep theirs.
    use rayon::prelude::*;
    let checked: Vec<PageLinks> = pages
        .par_iter()
        .map(|p| {
            let mut out = PageLinks::default();
            // The links the transform found in the page's text, with where.
            let Some(section) = p.sec.map(|s| &doc.sections[s]) else {
                return out;
            };
            check_page(p, section, pages, &by_file, &id_page, urls, root, &mut out);
            out
        })
        .collect();
    let mut maps = Vec::with_capacity(pages.len());
    for c in checked {
        errors.extend(c.errors);
        assets.extend(c.assets);
        maps.push(c.map);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((copy_assets(root, assets)?, id_page, maps))
}

/// One page's checked links: its URL rewrites, errors and files to copy.
#[derive(Default)]
struct PageLinks {
    map: BTreeMap<String, String>,
    errors: Diagnostics,
    assets: Vec<(String, String)>,
}

/// Checks every link written in `section`, shown on page `p`.
#[allow(clippy::too_many_arguments)]
fn check_page(
    p: &Page,
    section: &SectionOut,
    pages: &[Page],
    by_file: &BTreeMap<&str, usize>,
    id_page: &IdPages,
    urls: &Urls,
    root: &Path,
    out: &mut PageLinks,
) {
    let PageLinks { map, errors, assets } = out;
    let from = urls.full(&p.path);
    let dir = section.file.rsplit_once('/').map_or("", |(d, _)| d);
    for w in &section.links {
        if is_external(&w.url) || map.contains_key(&w.url) {
            continue;
        }
        let (path, anchor) = w
            .url
            .split_once('#')
            .map_or((w.url.as_str(), None), |(p, a)| (p, Some(a)));
        let path = path.split_once('?').map_or(path, |(p, _)| p);
        if path.is_empty() {
            let Some(a) = anchor else { continue };
            if !p.ids.contains(a) && !id_page.contains_key(a) {
                errors.push(no_anchor(w, a, &p.ids, "this page"));
            }
            continue;
        }
        // The URL of page `j` from this page, with the anchor when that
        // page has it; the missing anchor otherwise.
        let page_href = |j: usize| match anchor {
            Some(a) if !pages[j].ids.contains(a) => Err(a),
            Some(a) => Ok(format!("{}#{a}", urls.href(&from, &urls.full(&pages[j].path)))),
            None => Ok(urls.href(&from, &urls.full(&pages[j].path))),
        };
        let Some(target) = join(dir, &percent_decode(path)) else {
            errors.push(
                Diagnostic::error(w.loc.clone(), format!("`{}` points outside the project", w.url))
                    .hint("link to a file inside the project folder"),
            );
            continue;
        };
        // The page the link means: `x.md`; or, unless a file of that
        // name exists, mdBook's `x.html` or a folder's own page.
        let md = path.ends_with(".md") && !w.image;
        let exists = !md && root.join(&target).is_file();
        let page = if md {
            let Some(&j) = by_file.get(target.as_str()) else {
                let hint = crate::text::suggest(&target, by_file.keys().copied(), "pages");
                errors.push(
                    Diagnostic::error(
                        w.loc.clone(),
                        format!("`{}` links to a page that does not exist", w.url),
                    )
                    .hint(hint),
                );
                continue;
            };
            Some(j)
        } else if exists {
            None
        } else {
            html_page_file(&target, by_file)
                .filter(|_| !w.image)
                .or_else(|| folder_page(&target, by_file))
        };
        if let Some(j) = page {
            match page_href(j) {
                Ok(href) => {
                    map.insert(w.url.clone(), href);
                }
                Err(a) => errors.push(no_anchor(w, a, &pages[j].ids, &format!("`{path}`"))),
            }
            continue;
        }
        if !exists {
            errors.push(
                Diagnostic::error(
                    w.loc.clone(),
                    format!(
                        "`{}` {} a file that does not exist (`{target}`)",
                        w.url,
                        if w.image { "shows" } else { "links to" }
                    ),
                )
                .hint("add the file, or correct the path (it is relative to this Markdown file)"),
            );
            continue;
        }
        let out_path = target
            .strip_prefix(&format!("{}/", super::content::DIR))
            .or_else(|| target.strip_prefix("content/"))
            .unwrap_or(&target)
            .to_string();
        let mut href = urls.href(&from, &out_path);
        if let Some(a) = anchor {
            href = format!("{href}#{a}");
        }
        map.insert(w.url.clone(), href);
        assets.push((target, out_path));
    }
}

/// The page an mdBook-style `x.html` link means: the page written as
/// `x.md`, or for `dir/index.html` the folder's own page.
fn html_page_file(target: &str, by_file: &BTreeMap<&str, usize>) -> Option<usize> {
    let stem = target.strip_suffix(".html")?;
    if let Some(&j) = by_file.get(format!("{stem}.md").as_str()) {
        return Some(j);
    }
    folder_page(stem.strip_suffix("index")?, by_file)
}

/// The folder's own page (`index.md`, `README.md` …) a link to `target` means.
fn folder_page(target: &str, by_file: &BTreeMap<&str, usize>) -> Option<usize> {
    let dir = target.trim_end_matches('/');
    INDEX_NAMES
        .iter()
        .find_map(|n| by_file.get(format!("{dir}/{n}").as_str()).copied())
}

/// Rewrites a page's links when it is rendered: by its [`Page::links`],
/// and in-site anchors to the page holding them.
pub(crate) struct Rewriter<'a> {
    /// How URLs are written.
    pub urls: &'a Urls,
    /// Every page's path from the site root, in page order.
    pub paths: &'a [String],
    /// Where every id is.
    pub id_page: &'a IdPages,
}

impl Rewriter<'_> {
    /// `html`, page `i`'s (`p`'s) body, with every `href` and `src` rewritten.
    pub(crate) fn rewrite(&self, i: usize, p: &Page, html: &str) -> String {
        let from = &self.paths[i];
        let (map, ids, urls) = (&p.links, &p.ids, self.urls);
        html::rewrite_attrs(html, |v| {
            if let Some(new) = map.get(v) {
                return Some(new.clone());
            }
            if let Some(a) = v.strip_prefix('#') {
                if ids.contains(a) {
                    return None;
                }
                let j = *self.id_page.get(a)?;
                return Some(format!("{}#{a}", urls.href(from, &self.paths[j])));
            }
            if is_external(v) {
                return None;
            }
            // Links quire generated (`charts/x.svg`) are relative to the edition's root.
            Some(urls.href(from, &urls.full(v)))
        })
    }
}

/// The files the pages link to or show, read to be copied.
fn copy_assets(root: &Path, assets: BTreeMap<String, String>) -> Result<Vec<OutFile>, Diagnostics> {
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (src, dest) in assets {
        match std::fs::read(root.join(&src)) {
            Ok(bytes) => out.push(OutFile { path: dest, bytes }),
            Err(e) => errors.push(
                Diagnostic::error(Loc::file(&src), format!("cannot read `{src}`: {e}"))
                    .hint("check that the file is readable"),
            ),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn no_anchor(w: &WrittenLink, a: &str, ids: &std::collections::BTreeSet<String>, on: &str) -> Diagnostic {
    Diagnostic::error(w.loc.clone(), format!("`{}`: there is no `#{a}` on {on}", w.url)).hint(crate::text::suggest(
        a,
        ids.iter().map(String::as_str),
        "ids there",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_relative_and_based() {
        let u = Urls {
            base_url: String::new(),
            dir: String::new(),
        };
        assert_eq!(u.href("guide/install/", "guide/"), "../../guide/index.html");
        assert_eq!(u.href("", ""), "index.html");
        assert_eq!(u.href("a/", "img/x.png"), "../img/x.png");
        let b = Urls {
            base_url: "https://e.org/docs/".into(),
            dir: String::new(),
        };
        assert_eq!(b.href("a/", "guide/"), "https://e.org/docs/guide/");
        assert_eq!(b.href("a/", ""), "https://e.org/docs/");
        assert_eq!(u.href("a/b/", "x/y.css"), "../../x/y.css");
        assert_eq!(
            (u.root("a/b/"), b.root("a/b/")),
            ("../../".into(), "https://e.org/docs/".into())
        );
    }

    #[test]
    fn external_and_join() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external("img/a.png"));
        assert_eq!(
            join("content/sections/guide", "../img/a.png").as_deref(),
            Some("content/sections/img/a.png")
        );
        assert_eq!(join("a", "../../x"), None);
        assert_eq!(percent_decode("a%20b.png"), "a b.png");
    }
}
