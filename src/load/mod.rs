//! Load: walk `content/`, read front matter and datasets into the [`Report`]
//! model. Nothing here knows about HTML or charts.

mod csv;
mod dataset;
pub mod files;

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::*;
use crate::text::{Lang, Text};
use crate::yaml::{Doc, Node};
use std::path::Path;

/// Reads the report under `root`, recording every file's text in `files`
/// so diagnostics can quote it.
pub fn load(root: &Path, files: &mut SourceMap) -> Result<Report, Diagnostics> {
    let meta_file = "content/report.yaml";
    let text = files::read(root, meta_file, files).map_err(|d| vec![d])?;
    let doc = Doc::parse(meta_file, &text, 0).map_err(|d| vec![d])?;
    let (meta, order) = meta(&doc.root()).map_err(|d| vec![d])?;
    // Errors and warnings together, in the order found.
    let mut errors = files::stray_content(root);
    let (datasets, diags) = dataset::load_all(root, files);
    errors.extend(diags);
    let mut sections = Vec::new();
    let listing = files::list(root, "content/sections", &["md"], "sections");
    errors.extend(listing.diagnostics);
    for rel in listing.files {
        match files::read(root, &rel, files).and_then(|t| section(&rel, &t)) {
            Ok(s) => sections.push(s),
            Err(d) => errors.push(d),
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
    if let Some((order, loc)) = order {
        sections = reorder(sections, &order, &loc).map_err(|d| vec![d])?;
    }
    if sections.is_empty() && !errors.iter().any(Diagnostic::is_error) {
        errors.push(
            Diagnostic::error(Loc::file(meta_file), "the report has no sections")
                .hint("add Markdown files such as content/sections/01-introduction.md"),
        );
    }
    if !errors.iter().any(Diagnostic::is_error) {
        Ok(Report {
            meta,
            sections,
            datasets,
            warnings: errors,
        })
    } else {
        Err(errors)
    }
}

/// The `sections:` list: each name with where it is written, and the list's own place.
type Order = Option<(Vec<(String, Loc)>, Loc)>;

fn meta(root: &Node) -> Result<(Meta, Order), Diagnostic> {
    root.only_keys(&[
        "title", "subtitle", "authors", "date", "lang", "sections", "palette", "sources",
    ])?;
    let lang_node = root.get("lang");
    let lang = match &lang_node {
        Some(n) => Lang::parse(&n.str()?).ok_or_else(|| n.error("unknown language").hint("use `en` or `zh`"))?,
        None => Lang::En,
    };
    let order = match root.get("sections") {
        Some(n) => {
            let items = n
                .items()
                .map_err(|_| n.error("`sections` should be a list of section file names"))?;
            let names = items
                .iter()
                .map(|i| Ok((i.str()?, i.value_loc())))
                .collect::<Result<Vec<_>, Diagnostic>>()?;
            Some((names, n.loc()))
        }
        None => None,
    };
    let mut palette = Vec::new();
    if let Some(p) = root.get("palette") {
        for (k, v) in p.entries()? {
            let c = v.str()?;
            let hex = c.strip_prefix('#').unwrap_or("");
            if !(hex.len() == 6 || hex.len() == 3) || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(v
                    .error(format!("`{c}` is not a colour"))
                    .hint("write a hex colour such as \"#0072B2\" (quoted)"));
            }
            palette.push((k, c));
        }
    }
    let mut sources = Vec::new();
    if let Some(s) = root.get("sources") {
        for (id, n) in s.entries()? {
            n.only_keys(&["publisher", "short", "title", "date", "url", "note"])?;
            let publisher = n.req("publisher", "who published it")?.text()?;
            sources.push(SourceEntry {
                short: n
                    .get("short")
                    .map(|x| x.text())
                    .transpose()?
                    .unwrap_or_else(|| publisher.clone()),
                publisher,
                title: n.req("title", "the publication's title")?.text()?,
                date: n.req("date", "its date as printed")?.text()?,
                url: n.get("url").map(|u| u.str()).transpose()?.unwrap_or_default(),
                note: opt_text(&n, "note")?,
                loc: n.loc(),
                id,
            });
        }
    }
    let meta = Meta {
        title: root.req("title", "the report's title")?.text()?,
        subtitle: opt_text(root, "subtitle")?,
        authors: root
            .get("authors")
            .map(|a| a.strings())
            .transpose()?
            .unwrap_or_default(),
        date: root.req("date", "the report's date, e.g. \"2026-11-28\"")?.str()?,
        lang,
        palette,
        sources,
    };
    Ok((meta, order))
}

pub(crate) fn opt_text(n: &Node, key: &str) -> Result<Text, Diagnostic> {
    Ok(n.get(key).map(|t| t.text()).transpose()?.unwrap_or_default())
}

fn reorder(mut sections: Vec<Section>, order: &[(String, Loc)], loc: &Loc) -> Result<Vec<Section>, Diagnostic> {
    let mut out = Vec::new();
    let all: Vec<String> = sections.iter().map(|s| file_stem(&s.file).to_string()).collect();
    for (name, item_loc) in order {
        let pos = sections
            .iter()
            .position(|s| &s.id == name || file_stem(&s.file) == name);
        let Some(pos) = pos else {
            let hint = match crate::text::closest(name, all.iter().map(String::as_str)) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("section files: {}", all.join(", ")),
            };
            return Err(Diagnostic::error(
                item_loc.clone(),
                format!("`sections` lists `{name}`, but there is no such section file"),
            )
            .hint(hint));
        };
        out.push(sections.remove(pos));
    }
    if let Some(s) = sections.first() {
        return Err(
            Diagnostic::error(loc.clone(), format!("`{}` is not listed in `sections`", s.file))
                .hint("list every section file, or remove `sections:` to order them by file name"),
        );
    }
    Ok(out)
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
    let stem = file_stem(rel);
    let id = stem
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .trim_start_matches(['-', '_'])
        .to_string();
    let id = if id.is_empty() { stem.to_string() } else { id };
    let no_fm = || {
        Diagnostic::error(Loc::file(rel), "a section starts with YAML front matter")
            .hint("begin the file with `---`, a line `title: …`, and `---`")
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(no_fm());
    }
    let close = (1..lines.len())
        .find(|&i| lines[i].trim_end() == "---")
        .ok_or_else(|| {
            Diagnostic::error(Loc::file(rel), "the front matter is not closed").hint("end it with a line `---`")
        })?;
    let fm: String = lines[1..close].concat();
    let doc = Doc::parse(rel, &fm, 1)?;
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
    let body: String = lines[close + 1..].concat();
    let body_line_offset = close + 1;
    Ok(Section {
        id,
        file: rel.to_string(),
        title,
        summary,
        body,
        body_line_offset,
    })
}
