//! Site mode: one edition's [`Document`] as one page per section, with a
//! sidebar, previous/next links, a contents list per page, breadcrumbs,
//! `sitemap.xml`, `404.html`, a static search index, and every link between
//! pages and to files checked and rewritten.
//!
//! The same `Document` feeds the single-page report, so numbering, values
//! and cross-references are identical in both modes; only where an id lives
//! (which page) differs, and links are rewritten for that here.

pub mod content;
pub mod highlight;
mod html;
mod include;
mod links;
mod nav;
pub mod summary;

use crate::diag::{Diagnostic, Diagnostics};
use crate::render::{OutFile, Theme};
use crate::transform::{Document, Piece};
use crate::write::Sink;
use links::Urls;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Site words with their English defaults; a catalogue may override each.
const WORDS: [(&str, &str); 7] = [
    ("search", "Search"),
    ("pages", "Pages"),
    ("breadcrumbs", "Breadcrumbs"),
    ("on_this_page", "On this page"),
    ("pager", "Previous and next page"),
    ("not_found", "Page not found"),
    ("go_home", "Go to the first page"),
];

/// The search index may hold at most this many bytes per page on average
/// (title, path, headings and opening words), so a 5,000-page site's index
/// stays under 2 MB and loads only when the reader starts typing.
pub const SEARCH_BUDGET_PER_PAGE: usize = 400;

/// One page of the site, before rendering. Its HTML is not kept: each
/// page's is put together again from the document when the page is
/// rendered, so a build holds a few pages' HTML at a time, not every one.
pub(crate) struct Page {
    /// Index into `doc.sections`, or `None` for the Sources page.
    pub sec: Option<usize>,
    /// Path relative to the edition's root: `""` or `guide/install/`.
    pub path: String,
    /// Its title.
    pub title: String,
    /// Every id on the page.
    pub ids: BTreeSet<String>,
    /// Its contents list: link rewriting leaves ids and heading text alone,
    /// so it is read once, before.
    pub toc: Vec<TocView>,
    /// Whether headings get their natural ids back on this page (see
    /// [`html::localize_heading_ids`]); rare, so redone when rendering.
    pub localized: bool,
    /// Its links as written → as rewritten, from [`links::rewrite`].
    pub links: BTreeMap<String, String>,
}

/// A link in a page's template.
#[derive(Serialize)]
pub struct LinkView {
    /// Link text.
    pub title: String,
    /// URL (empty for a folder without a page of its own).
    pub href: String,
}

/// One entry of a page's own contents.
#[derive(Serialize)]
pub struct TocView {
    /// The heading's id.
    pub id: String,
    /// Its text.
    pub title: String,
    /// 3 or 4 (sections' own headings start at `<h3>`).
    pub level: u8,
}

/// `site/page.html` and `site/404.html`: one page of the site.
#[derive(Serialize)]
pub struct SitePageView<'a> {
    /// The site's title.
    pub site_title: &'a str,
    /// The page's id (its section id).
    pub id: &'a str,
    /// The page's title.
    pub title: &'a str,
    /// Its summary (may be empty).
    pub summary: &'a str,
    /// BCP 47 tag for `<html lang>`.
    pub lang_tag: &'a str,
    /// URL prefix from this page to the site root (`../../`, or the base URL).
    pub root: String,
    /// The home page.
    pub home_href: String,
    /// The shared stylesheet.
    pub css_href: String,
    /// The shared search script.
    pub search_href: String,
    /// The edition's search index.
    pub index_href: String,
    /// Absolute URL of the page, when a base URL is set.
    pub canonical: String,
    /// The page's content, trusted HTML.
    pub body_html: &'a str,
    /// The sidebar, trusted HTML.
    pub nav_html: String,
    /// The page's headings.
    pub toc: &'a [TocView],
    /// Ancestors, for nested pages.
    pub breadcrumbs: Vec<LinkView>,
    /// Previous page in reading order.
    pub prev: Option<LinkView>,
    /// Next page in reading order.
    pub next: Option<LinkView>,
    /// Other editions.
    pub editions: Vec<LinkView>,
    /// Site interface words (shared by every page).
    pub words: &'a BTreeMap<&'static str, String>,
    /// `quire <version>`.
    pub generator: &'a str,
}

/// Renders `doc` as a site under `doc.dir`, putting each file into `sink`
/// as soon as it is rendered; `root` is the project folder, for assets.
/// Like the report renderer, it reads the document and nothing else: links
/// come with where they are written.
pub fn render(doc: &Document, theme: &Theme, root: &Path, base_url: &str, sink: &Sink) -> Result<(), Diagnostics> {
    let (figure_html, mut out) = crate::render::figures(doc, theme)?;
    let lap = crate::timing::Lap::new("site: read pages");
    let mut pages = pages(doc, &figure_html);
    drop(lap);
    let urls = Urls {
        base_url: base_url.to_string(),
        dir: doc.dir.clone(),
    };
    // Checking links and laying out the navigation read the pages
    // independently: one runs beside the other.
    let lap = crate::timing::Lap::new("site: check links and navigation");
    let (checked, (tree, sidebars)) = rayon::join(
        || links::rewrite(doc, &pages, &urls, root),
        || {
            let tree = nav::Tree::new(&pages, doc.outline.as_ref());
            let sidebars = tree.sidebars(&pages, &urls);
            (tree, sidebars)
        },
    );
    let (assets, id_page, maps) = checked?;
    for (p, m) in pages.iter_mut().zip(maps) {
        p.links = m;
    }
    drop(lap);
    let lap = crate::timing::Lap::new("site: highlight, render and write pages");
    let words: BTreeMap<&'static str, String> = WORDS
        .iter()
        .map(|(k, v)| {
            (
                *k,
                doc.ui
                    .words
                    .get(&format!("site_{k}"))
                    .cloned()
                    .unwrap_or_else(|| v.to_string()),
            )
        })
        .collect();
    let site_title = doc.meta.title.as_str();
    let generator = format!("quire {}", env!("CARGO_PKG_VERSION"));
    let base = base_context(doc);
    let paths: Vec<String> = pages.iter().map(|p| urls.full(&p.path)).collect();
    let rewriter = links::Rewriter {
        urls: &urls,
        paths: &paths,
        id_page: &id_page,
    };
    // Pages render independently; rayon spreads them over the cores. Each
    // page goes through every step at once (its HTML put together, links
    // rewritten, code highlighted, the template filled, the file written:
    // its path is its own, so the order of writes does not matter) and is
    // then dropped; `collect` keeps the search index in reading order, so
    // the output is the same bytes.
    use rayon::prelude::*;
    let rendered: Vec<([String; 4], Result<(), Diagnostic>)> = (0..pages.len())
        .into_par_iter()
        .map(|i| {
            let p = &pages[i];
            let from = &paths[i];
            let html = rewriter.rewrite(i, p, &body(doc, &figure_html, p));
            let html = highlight::highlight_owned(html);
            let link = |j: usize| LinkView {
                title: pages[j].title.clone(),
                href: urls.href(from, &paths[j]),
            };
            let section = p.sec.map(|s| &doc.sections[s]);
            let view = SitePageView {
                site_title,
                id: section.map_or("sources", |s| s.id.as_str()),
                title: &p.title,
                summary: section.map_or("", |s| s.summary.as_str()),
                lang_tag: doc.ui.word("lang_tag"),
                root: urls.root(from),
                home_href: urls.href(from, &urls.full("")),
                css_href: urls.href(from, "style.css"),
                search_href: urls.href(from, "search.js"),
                index_href: urls.href(from, &format!("{}search-index.js", doc.dir)),
                canonical: urls.canonical(from),
                body_html: &html,
                nav_html: sidebars.get(i),
                breadcrumbs: tree.breadcrumbs(&pages, i, &urls),
                prev: i.checked_sub(1).map(link),
                next: (i + 1 < pages.len()).then(|| link(i + 1)),
                editions: doc
                    .editions
                    .iter()
                    .map(|e| LinkView {
                        title: e.name.clone(),
                        // `e.href` leads from one edition's root to the other's.
                        href: urls.href(from, e.href.trim_start_matches("../").trim_end_matches("index.html")),
                    })
                    .collect(),
                words: &words,
                generator: &generator,
                toc: &p.toc,
            };
            let entry = html::search_entry(&p.title, &urls.search_path(from), view.toc, &html);
            // The page is the template's markup around its body and sidebar.
            let size = html.len() + view.nav_html.len() + 4096;
            let file = render_page(theme, "site/page.html", &view, &base, size)
                .and_then(|h| sink.put(&format!("{from}index.html"), &h));
            (entry, file)
        })
        .collect();
    drop(lap);
    let mut search = Vec::new();
    let mut errors = Vec::new();
    for (entry, file) in rendered {
        search.push(entry);
        if let Err(d) = file {
            errors.push(d);
        }
    }
    // The 404 page is served at any depth, so its links need the base URL;
    // without one they are relative to the site root.
    let not_found = SitePageView {
        site_title,
        id: "not-found",
        title: &words["not_found"],
        summary: "",
        lang_tag: doc.ui.word("lang_tag"),
        root: urls.root(&doc.dir),
        home_href: urls.href(&doc.dir, &doc.dir),
        css_href: urls.href(&doc.dir, "style.css"),
        search_href: urls.href(&doc.dir, "search.js"),
        index_href: urls.href(&doc.dir, &format!("{}search-index.js", doc.dir)),
        canonical: String::new(),
        body_html: "",
        nav_html: String::new(),
        toc: &[],
        breadcrumbs: Vec::new(),
        prev: None,
        next: None,
        editions: Vec::new(),
        words: &words,
        generator: &generator,
    };
    match render_page(theme, "site/404.html", &not_found, &base, 8192) {
        Ok(bytes) => out.push(OutFile {
            path: format!("{}404.html", doc.dir),
            bytes,
        }),
        Err(d) => errors.push(d),
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    out.push(OutFile {
        path: format!("{}search-index.js", doc.dir),
        bytes: search_index(&search),
    });
    out.push(OutFile {
        path: format!("{}sitemap.xml", doc.dir),
        bytes: html::sitemap(&pages, &urls).into_bytes(),
    });
    out.extend(assets);
    // Freeing every page's HTML, ids and sidebar is serial work nobody
    // waits for: another thread does it while the files go out.
    rayon::spawn(move || drop((pages, sidebars, tree, search)));
    sink.put_all(&out).map_err(|d| vec![d])
}

/// `search-index.js`: the entries as one JSON array, written straight into
/// the file's bytes.
fn search_index(search: &[[String; 4]]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(search.len() * SEARCH_BUDGET_PER_PAGE / 2 + 32);
    bytes.extend_from_slice(b"window.QUIRE_SEARCH=");
    if serde_json::to_writer(&mut bytes, search).is_err() {
        bytes.truncate("window.QUIRE_SEARCH=".len());
        bytes.extend_from_slice(b"[]");
    }
    bytes.extend_from_slice(b";\n");
    bytes
}

/// Files every edition shares, written once at the site root: the
/// stylesheet, the search script and everything under `static/`.
pub fn shared_files(theme: &Theme, root: &Path) -> Result<Vec<OutFile>, Diagnostics> {
    let mut out = vec![
        OutFile {
            path: "style.css".into(),
            bytes: format!("{}\n{}\n{}", theme.css, theme.site_assets.0, highlight::css()).into_bytes(),
        },
        OutFile {
            path: "search.js".into(),
            bytes: theme.site_assets.1.clone().into_bytes(),
        },
    ];
    let dir = root.join("static");
    let mut errors = Vec::new();
    let mut files: Vec<_> = walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .collect();
    files.sort_by(|a, b| a.path().cmp(b.path()));
    for e in files {
        let rel = e
            .path()
            .strip_prefix(&dir)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        match std::fs::read(e.path()) {
            Ok(bytes) => out.push(OutFile { path: rel, bytes }),
            Err(err) => errors.push(
                Diagnostic::error(
                    crate::diag::Loc::file(format!("static/{rel}")),
                    format!("cannot read `static/{rel}`: {err}"),
                )
                .hint("check that the file is readable"),
            ),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// The context every page shares: the interface words, converted once
/// (tera's values are shared, so each page's copy is cheap).
fn base_context(doc: &Document) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("ui", &doc.ui.words);
    ctx
}

/// Fills `template` for `view` into a buffer of `size` bytes, about the
/// page's size, so the page is not copied each time the buffer grows (tera
/// guesses from the template alone, without the body).
fn render_page(
    theme: &Theme,
    template: &str,
    view: &SitePageView,
    base: &tera::Context,
    size: usize,
) -> Result<Vec<u8>, Diagnostic> {
    let mut ctx = base.clone();
    ctx.insert("page", view);
    let mut out = Vec::with_capacity(size);
    theme
        .tera
        .render_to(template, &ctx, &mut out)
        .map_err(|e| crate::render::tera_error(&e, template))?;
    Ok(out)
}

/// A page's body as the document has it (figures in place, heading ids
/// localized), before its links are rewritten and its code highlighted.
fn body(doc: &Document, figure_html: &[String], p: &Page) -> String {
    let html = match p.sec {
        Some(i) => {
            let parts = || {
                doc.sections[i].pieces.iter().map(|p| match p {
                    Piece::Html(h) => h.as_str(),
                    Piece::Figure(f) => figure_html.get(*f).map_or("", String::as_str),
                })
            };
            // Sized once: the pieces are copied, never moved as it grows.
            let mut html = String::with_capacity(parts().map(str::len).sum());
            parts().for_each(|p| html.push_str(p));
            html
        }
        None => html::sources(&doc.sources),
    };
    if p.localized {
        html::localize_heading_ids(&html, &html::scan(&html)).unwrap_or(html)
    } else {
        html
    }
}

/// The pages in reading order: one per section (the first at the edition's
/// root unless a page is already there), then Sources when there are any.
/// Highlighting adds no ids or headings (its spans carry classes only), so
/// a page is read for them before its code is highlighted.
fn pages(doc: &Document, figure_html: &[String]) -> Vec<Page> {
    use rayon::prelude::*;
    // Sections are independent, order is kept.
    let mut pages: Vec<Page> = doc
        .sections
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut page = Page {
                sec: Some(i),
                // A report's flat sections become `framing/`; a site's keep their folders.
                path: if s.file.starts_with(content::DIR) {
                    content::page_path(&s.file)
                } else {
                    format!("{}/", s.id)
                },
                title: s.title.clone(),
                ids: BTreeSet::new(),
                toc: Vec::new(),
                localized: false,
                links: BTreeMap::new(),
            };
            let html = body(doc, figure_html, &page);
            let mut scan = html::scan(&html);
            if let Some(renamed) = html::localize_heading_ids(&html, &scan) {
                scan = html::scan(&renamed);
                page.localized = true;
            }
            page.toc = html::toc(&scan);
            page.ids = scan.ids;
            page.ids.insert(s.id.clone());
            page
        })
        .collect();
    if !pages.iter().any(|p| p.path.is_empty())
        && let Some(first) = pages.first_mut()
    {
        first.path = String::new();
    }
    if !doc.sources.is_empty() {
        let html = html::sources(&doc.sources);
        let scan = html::scan(&html);
        let toc = html::toc(&scan);
        let mut ids = scan.ids;
        ids.insert("sources".into());
        pages.push(Page {
            sec: None,
            path: "sources/".into(),
            title: doc.ui.word("sources").to_string(),
            ids,
            toc,
            localized: false,
            links: BTreeMap::new(),
        });
    }
    pages
}

/// Whether to build a site, and its base URL: `Some(base_url)` (maybe
/// empty) in site mode, `None` for the single-page report. The loader read
/// and checked `report.yaml`'s `mode` (or `--site`) and `base_url` into
/// `meta`; `opts.base_url` overrides the latter.
pub fn settings_for(meta: &crate::model::Meta, opts: &crate::Options) -> Result<Option<String>, Diagnostic> {
    if !meta.site {
        return Ok(None);
    }
    let base = match &opts.base_url {
        Some(b) => {
            content::check_base_url(b).map_err(|why| {
                Diagnostic::error(crate::diag::Loc::file("--base-url"), why)
                    .hint("pass e.g. `--base-url https://example.org/docs/`")
            })?;
            b.clone()
        }
        None => meta.base_url.clone(),
    };
    Ok(Some(base))
}
