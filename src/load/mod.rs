//! Load: walk `content/`, read front matter and datasets into the [`Report`]
//! model. Nothing here knows about HTML or charts.

mod csv;
mod dataset;
pub use dataset::parse_date;
pub mod files;

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::*;
use crate::text::{Lang, Text};
use crate::yaml::{Doc, Node};
use rayon::prelude::*;
use std::path::Path;

/// Reads the report under `root`, recording every file's text in `files`
/// so diagnostics can quote it.
pub fn load(root: &Path, files: &mut SourceMap) -> Result<Report, Diagnostics> {
    load_with(root, files, false)
}

/// [`load`], reading the sections as a site's pages (nested folders, front
/// matter optional; see [`crate::site::content`]) when `site` is set or
/// `report.yaml` says `mode: site`.
pub fn load_with(root: &Path, files: &mut SourceMap, site: bool) -> Result<Report, Diagnostics> {
    let head = head(root, files, site)?;
    let datasets = datasets(root, files);
    let sections = section_files(root, head.meta.site);
    rest(root, head, datasets, sections, files)
}

/// The datasets of `content/data`, and what loading them found wrong.
pub type Datasets = (Vec<Dataset>, Vec<Diagnostic>);

/// Loads every dataset under `content/data`, several at a time. It needs
/// nothing from `report.yaml`, so a build starts it at once, beside
/// [`head`]; [`rest`] then checks the sources they cite.
pub fn datasets(root: &Path, files: &mut SourceMap) -> Datasets {
    dataset::load_all(root, files)
}

/// The report's settings file.
const META_FILE: &str = "content/report.yaml";

/// `content/report.yaml`, read and checked: what the rest of the load and
/// the template loader both need first, so that the two can then run side
/// by side ([`rest`]).
pub struct Head {
    /// The report's settings.
    pub meta: Meta,
    order: Order,
}

/// Reads and checks `content/report.yaml`; `site` builds a site whatever
/// its `mode:` says.
pub fn head(root: &Path, files: &mut SourceMap, site: bool) -> Result<Head, Diagnostics> {
    let text = files::read(root, META_FILE, files).map_err(|d| vec![d])?;
    let doc = Doc::parse(META_FILE, &text, 0).map_err(|d| vec![d])?;
    let (mut meta, order) = meta(&doc.root())?;
    let settings = crate::site::content::settings(&doc.root()).map_err(|d| vec![d])?;
    meta.site = site || settings.site;
    meta.base_url = settings.base_url;
    Ok(Head { meta, order })
}

/// A report's section files, read and parsed (a site's pages are read by
/// [`rest`], which needs the rest of the load to place them).
pub struct SectionFiles {
    listing: Option<files::Listing>,
    rels: Vec<String>,
    texts: Vec<Option<String>>,
    parsed: Vec<Result<Section, Diagnostic>>,
}

/// Reads and parses the section files of `content/sections`, several at a
/// time, unless the project is a `site`. It needs nothing but the mode from
/// `report.yaml`, so a build runs it beside the datasets.
pub fn section_files(root: &Path, site: bool) -> SectionFiles {
    let listing = (!site).then(|| files::list(root, "content/sections", &["md"], "sections"));
    let rels: Vec<String> = listing.iter().flat_map(|l| l.files.iter().cloned()).collect();
    let (texts, parsed) = read_sections(root, &rels);
    SectionFiles {
        listing,
        rels,
        texts,
        parsed,
    }
}

/// The rest of the load after [`head`], [`datasets`] and [`section_files`]:
/// a site's pages, and the checks that need everything.
pub fn rest(
    root: &Path,
    head: Head,
    datasets: Datasets,
    section_files: SectionFiles,
    files: &mut SourceMap,
) -> Result<Report, Diagnostics> {
    let Head { meta, order } = head;
    let site = meta.site;
    // Errors and warnings together, in the order found.
    let mut errors = files::stray_content(root);
    let SectionFiles {
        listing,
        rels,
        texts,
        parsed,
    } = section_files;
    let (datasets, diags) = datasets;
    for (rel, text) in rels.iter().zip(texts) {
        if let Some(text) = text {
            files.add_owned(rel, text);
        }
    }
    errors.extend(diags);
    let mut sections = Vec::new();
    if site {
        sections = crate::site::content::sections(root, files, &mut errors);
    }
    errors.extend(listing.iter().flat_map(|l| l.diagnostics.iter().cloned()));
    // Sections that failed to load: `sections:` may still name them.
    let mut broken = Vec::new();
    for (rel, result) in rels.iter().zip(parsed) {
        match result {
            Ok(s) => sections.push(s),
            Err(d) => {
                errors.push(d);
                broken.push(split_lang(file_stem(rel)).0.to_string());
            }
        }
    }
    // A dataset may only cite sources report.yaml declares.
    for (id, at) in datasets.iter().flat_map(|d| &d.source.cites) {
        if !meta.sources.iter().any(|s| &s.id == id) {
            let hint = crate::text::suggest(
                id,
                meta.sources.iter().map(|s| s.id.as_str()),
                "sources declared in content/report.yaml",
            );
            errors.push(Diagnostic::error(at.clone(), format!("unknown source `{id}`")).hint(hint));
        }
    }
    let mut warnings = Vec::new();
    let mut sections = pair_translations(sections, &meta.languages, &mut errors, &mut warnings);
    let mut outline = None;
    if let Some((order, loc)) = order {
        let ordered = if site {
            crate::site::content::reorder(sections, &order, &loc).map_err(|d| vec![d])
        } else {
            reorder(sections, &order, &loc, &broken)
        };
        match ordered {
            Ok(s) => sections = s,
            Err(d) => {
                errors.extend(d);
                return Err(errors);
            }
        }
    } else if site {
        (sections, outline) = crate::site::summary::apply(root, files, sections, &mut errors);
    }
    if sections.is_empty() && !errors.iter().any(Diagnostic::is_error) {
        errors.push(
            Diagnostic::error(Loc::file(META_FILE), "the report has no sections")
                .hint("add Markdown files such as content/sections/01-introduction.md"),
        );
    }
    if !errors.iter().any(Diagnostic::is_error) {
        // What did not stop the load is reported with the rest.
        warnings.splice(0..0, errors);
        Ok(Report {
            meta,
            sections,
            datasets,
            warnings,
            outline,
        })
    } else {
        Err(errors)
    }
}

/// What reading the sections gave: each file's text (to quote in
/// messages), and each parsed, in the order given.
type ReadSections = (Vec<Option<String>>, Vec<Result<Section, Diagnostic>>);

/// Each section read and parsed, several at a time, in the order given.
fn read_sections(root: &Path, rels: &[String]) -> ReadSections {
    rels.par_iter()
        .map(|rel| match files::read_text(root, rel, files::MAX_TEXT_BYTES) {
            Ok(text) => {
                let parsed = section(rel, &text);
                (Some(text), parsed)
            }
            Err(e) => (None, Err(e.diagnostic(rel))),
        })
        .unzip()
}

/// The `sections:` list: each name with where it is written, and the list's own place.
type Order = Option<(Vec<(String, Loc)>, Loc)>;

/// Keeps what `r` read, or records its error and goes on with a default, so
/// one run reports every mistake in `report.yaml`.
fn keep<T: Default>(r: Result<T, Diagnostic>, errors: &mut Diagnostics) -> T {
    r.unwrap_or_else(|d| {
        errors.push(d);
        T::default()
    })
}

fn meta(root: &Node) -> Result<(Meta, Order), Diagnostics> {
    let mut errors = Vec::new();
    keep(
        root.only_keys(&[
            "title",
            "subtitle",
            "authors",
            "date",
            "lang",
            "languages",
            "sections",
            "palette",
            "sources",
            "mode",
            "base_url",
            "html",
        ]),
        &mut errors,
    );
    let languages = keep(languages(root), &mut errors);
    let html = keep(html_policy(root), &mut errors);
    let order = keep(
        root.get("sections")
            .map(|n| Ok((crate::site::content::order_list(&n, "")?, n.loc())))
            .transpose(),
        &mut errors,
    );
    let palette = keep(palette(root), &mut errors);
    let mut sources = Vec::new();
    if let Some(s) = root.get("sources") {
        for (id, n) in keep(s.entries(), &mut errors) {
            if let Some(entry) = keep(source(id, &n).map(Some), &mut errors) {
                sources.push(entry);
            }
        }
    }
    let meta = Meta {
        title: keep(
            root.req("title", "the report's title").and_then(|t| t.text()),
            &mut errors,
        ),
        subtitle: keep(opt_text(root, "subtitle"), &mut errors),
        authors: keep(root.get("authors").map(|a| a.strings()).transpose(), &mut errors).unwrap_or_default(),
        date: match root.get("date") {
            Some(d) => keep(d.str(), &mut errors),
            None => source_date_epoch().unwrap_or_default(),
        },
        languages: if languages.is_empty() {
            vec![Lang::EN]
        } else {
            languages
        },
        palette,
        sources,
        html,
        site: false,
        base_url: String::new(),
    };
    if errors.is_empty() {
        Ok((meta, order))
    } else {
        Err(errors)
    }
}

/// `html: trusted | sanitize`.
fn html_policy(root: &Node) -> Result<HtmlPolicy, Diagnostic> {
    let Some(n) = root.get("html") else {
        return Ok(HtmlPolicy::Trusted);
    };
    match n.str()?.as_str() {
        "trusted" => Ok(HtmlPolicy::Trusted),
        "sanitize" => Ok(HtmlPolicy::Sanitize),
        other => Err(n
            .error(format!("unknown html policy `{other}`"))
            .hint("use `trusted` (raw HTML kept as written) or `sanitize` (cleaned)")),
    }
}

/// `palette:`, a colour per row or series key.
fn palette(root: &Node) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut out = Vec::new();
    if let Some(p) = root.get("palette") {
        for (k, v) in p.entries()? {
            let c = v.str()?;
            let hex = c.strip_prefix('#').unwrap_or("");
            if !(hex.len() == 6 || hex.len() == 3) || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(v
                    .error(format!("`{c}` is not a colour"))
                    .hint("write a hex colour such as \"#0072B2\" (quoted)"));
            }
            out.push((k, c));
        }
    }
    Ok(out)
}

/// One entry of `sources:`.
fn source(id: String, n: &Node) -> Result<SourceEntry, Diagnostic> {
    n.only_keys(&["publisher", "short", "title", "date", "url", "note"])?;
    let publisher = n.req("publisher", "who published it")?.text()?;
    Ok(SourceEntry {
        short: n
            .get("short")
            .map(|x| x.text())
            .transpose()?
            .unwrap_or_else(|| publisher.clone()),
        publisher,
        title: n.req("title", "the publication's title")?.text()?,
        date: n.req("date", "its date as printed")?.text()?,
        url: match n.get("url") {
            Some(u) => crate::url::safe_url(&u.str()?, crate::url::UrlUse::Link).ok_or_else(|| {
                u.error("this address's scheme is not allowed")
                    .hint("use an http, https or mailto address, or a relative one")
            })?,
            None => String::new(),
        },
        note: opt_text(n, "note")?,
        loc: n.loc(),
        id,
    })
}

/// `languages: [en, zh]` (the first is the default edition), or the older
/// single `lang: en`; English when neither is given.
fn languages(root: &Node) -> Result<Vec<Lang>, Diagnostic> {
    let unknown = |n: &Node, code: &str| {
        n.error(format!("unknown language `{code}`")).hint(format!(
            "quire writes numbers in: {}",
            crate::text::known().collect::<Vec<_>>().join(", ")
        ))
    };
    let mut out: Vec<Lang> = Vec::new();
    match (root.get("languages"), root.get("lang")) {
        (Some(_), Some(l)) => {
            return Err(l
                .error("`lang` and `languages` both given")
                .hint("keep only `languages: [...]`"));
        }
        (Some(list), None) => {
            for item in list.items()? {
                let code = item.str()?;
                let lang = Lang::parse(&code).ok_or_else(|| unknown(&item, &code))?;
                if out.contains(&lang) {
                    return Err(item.error(format!("`{code}` is listed twice")));
                }
                out.push(lang);
            }
            if out.is_empty() {
                return Err(list
                    .error("`languages` is empty")
                    .hint("list at least one, e.g. `[en]`"));
            }
        }
        (None, Some(n)) => {
            let code = n.str()?;
            out.push(Lang::parse(&code).ok_or_else(|| unknown(&n, &code))?);
        }
        (None, None) => out.push(Lang::EN),
    }
    Ok(out)
}

/// Splits `01-framing.zh` into (`01-framing`, the language), when the
/// suffix is a language code.
fn split_lang(stem: &str) -> (&str, Option<(&str, Option<Lang>)>) {
    match stem.rsplit_once('.') {
        Some((base, code))
            if !base.is_empty() && code.len() <= 8 && code.chars().all(|c| c.is_ascii_alphabetic() || c == '-') =>
        {
            (base, Some((code, Lang::parse(code))))
        }
        _ => (stem, None),
    }
}

/// Pairs each translation (`NN-slug.zh.md`) with its section. A translation
/// into a language the report does not list, or without a section in the
/// default language, is reported, never dropped silently.
fn pair_translations(
    sections: Vec<Section>,
    languages: &[Lang],
    errors: &mut Diagnostics,
    warnings: &mut Diagnostics,
) -> Vec<Section> {
    let (mut base, translations): (Vec<Section>, Vec<Section>) = sections
        .into_iter()
        .partition(|s| split_lang(file_stem(&s.file)).1.is_none());
    for t in translations {
        let (stem, Some((code, lang))) = split_lang(file_stem(&t.file)) else {
            continue;
        };
        let Some(lang) = lang else {
            errors.push(
                Diagnostic::error(Loc::file(&t.file), format!("`{code}` is not a language quire knows")).hint(format!(
                    "translations are named `NN-slug.<language>.md` with one of: {}",
                    crate::text::known().collect::<Vec<_>>().join(", ")
                )),
            );
            continue;
        };
        if lang == languages[0] {
            errors.push(
                Diagnostic::error(Loc::file(&t.file), format!("`{code}` is the default language"))
                    .hint(format!("name the file `{stem}.md`")),
            );
            continue;
        }
        if !languages.contains(&lang) {
            warnings.push(
                Diagnostic::warning(
                    Loc::file(&t.file),
                    format!("this translation is not built: `{code}` is not in `languages`"),
                )
                .hint(format!(
                    "add `{code}` to `languages:` in content/report.yaml, or delete the file"
                )),
            );
            continue;
        }
        match base.iter_mut().find(|s| file_stem(&s.file) == stem) {
            Some(s) => {
                let mut t = t;
                t.id = s.id.clone();
                s.translations.push((lang, t));
            }
            None => errors.push(
                Diagnostic::error(
                    Loc::file(&t.file),
                    format!("a translation without its section: there is no `{stem}.md`"),
                )
                .hint("write the section in the default language first, or rename the file"),
            ),
        }
    }
    base
}

/// The date `SOURCE_DATE_EPOCH` names, as `YYYY-MM-DD` in UTC.
fn source_date_epoch() -> Option<String> {
    let (y, m, d) = crate::epoch::civil_from_days(crate::epoch::source_date_epoch()?.div_euclid(86_400));
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

pub(crate) fn opt_text(n: &Node, key: &str) -> Result<Text, Diagnostic> {
    Ok(n.get(key).map(|t| t.text()).transpose()?.unwrap_or_default())
}

/// Puts sections in the order `sections:` lists them. Every name without a
/// file and every file without a name is reported; a file that failed to
/// load (`broken`) is neither, since its own error says what is wrong.
fn reorder(
    mut sections: Vec<Section>,
    order: &[(String, Loc)],
    loc: &Loc,
    broken: &[String],
) -> Result<Vec<Section>, Diagnostics> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let all: Vec<String> = sections.iter().map(|s| file_stem(&s.file).to_string()).collect();
    for (name, item_loc) in order {
        let pos = sections
            .iter()
            .position(|s| &s.id == name || file_stem(&s.file) == name);
        match pos {
            Some(pos) => out.push(sections.remove(pos)),
            None if broken.iter().any(|b| {
                b == name || b.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_') == name
            }) => {}
            None => {
                let hint = match crate::text::closest(name, all.iter().map(String::as_str)) {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => format!("section files: {}", all.join(", ")),
                };
                errors.push(
                    Diagnostic::error(
                        item_loc.clone(),
                        format!("`sections` lists `{name}`, but there is no such section file"),
                    )
                    .hint(hint),
                );
            }
        }
    }
    for s in &sections {
        errors.push(
            Diagnostic::error(loc.clone(), format!("`{}` is not listed in `sections`", s.file))
                .hint("list every section file, or remove `sections:` to order them by file name"),
        );
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

pub(crate) fn file_stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md")
        .or_else(|| name.strip_suffix(".yaml"))
        .unwrap_or(name)
}

/// A valid name for use in expressions and ids: `snake_case`.
pub(crate) fn is_ident(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn section(rel: &str, text: &str) -> Result<Section, Diagnostic> {
    let stem = split_lang(file_stem(rel)).0;
    let id = stem
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_'])
        .to_string();
    let id = if id.is_empty() { stem.to_string() } else { id };
    let no_fm = || {
        Diagnostic::error(Loc::file(rel), "a section starts with YAML front matter")
            .hint("begin the file with `---`, a line `title: …`, and `---`")
    };
    let Some(FrontMatter {
        doc,
        body,
        body_line_offset,
    }) = front_matter(rel, text)?
    else {
        return Err(no_fm());
    };
    let root = doc.root();
    if !root.is_map() {
        return Err(
            Diagnostic::error(Loc::new(rel, 2, 1), "the front matter must be `key: value` lines")
                .hint("add at least `title: …`"),
        );
    }
    root.only_keys(&["title", "summary"])?;
    let title = root
        .get("title")
        .ok_or_else(|| {
            Diagnostic::error(Loc::new(rel, 1, 1), "the front matter has no `title`")
                .hint("add a line `title: …` between the `---` lines")
        })?
        .text()?;
    let summary = opt_text(&root, "summary")?;
    Ok(Section {
        id,
        file: rel.to_string(),
        title,
        summary,
        body,
        body_line_offset,
        translations: Vec::new(),
        splices: Vec::new(),
    })
}

/// A Markdown file's YAML front matter, parsed, and the body after it.
pub(crate) struct FrontMatter {
    /// The front matter, with positions in the file.
    pub doc: Doc,
    /// The Markdown after the closing `---`.
    pub body: String,
    /// Lines of the file before the body.
    pub body_line_offset: usize,
}

/// Splits `text` at its front matter (between `---` lines at the top):
/// `None` when it has none, an error when it is not closed or not YAML.
pub(crate) fn front_matter(rel: &str, text: &str) -> Result<Option<FrontMatter>, Diagnostic> {
    // Each line with the byte it starts at: the YAML and the body are then
    // slices of the text, not lines collected and joined again.
    let mut lines = text.split_inclusive('\n').scan(0, |at, line| {
        let start = *at;
        *at += line.len();
        Some((start, line))
    });
    let Some((_, first)) = lines.next().filter(|(_, l)| l.trim_end() == "---") else {
        return Ok(None);
    };
    let (close, (at, line)) = lines
        .enumerate()
        .find(|(_, (_, l))| l.trim_end() == "---")
        .map(|(i, found)| (i + 1, found))
        .ok_or_else(|| {
            Diagnostic::error(Loc::file(rel), "the front matter is not closed").hint("end it with a line `---`")
        })?;
    Ok(Some(FrontMatter {
        doc: Doc::parse(rel, &text[first.len()..at], 1)?,
        body: text[at + line.len()..].to_string(),
        body_line_offset: close + 1,
    }))
}
