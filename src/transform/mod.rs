//! Transform: the model and its values in, a [`Document`] out — sections as
//! HTML pieces with figure placeholders, figures resolved to numbers, sources
//! numbered, and every cross-reference checked.
//!
//! Numbering happens here, once, so every output shows the same "Figure 3".

pub mod figures;
pub mod inline;
pub mod markdown;
pub mod parity;
mod tables;

use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::i18n::Catalogue;
use crate::model::Report;
use crate::text::{IdSet, Lang};
use crate::values::Values;
use figures::{Figure, FigureBody};
use std::collections::{BTreeMap, BTreeSet};

/// A section's content in order: HTML, and places where a figure goes.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Finished HTML.
    Html(String),
    /// The figure at this index of [`Document::figures`].
    Figure(usize),
}

/// A section ready to render.
#[derive(Debug)]
pub struct SectionOut {
    /// HTML id and `@sec:` key.
    pub id: String,
    /// 1-based position.
    pub number: usize,
    /// The file this edition's text comes from.
    pub file: String,
    /// What the text binds, for checking that editions agree.
    pub bindings: Bindings,
    /// The language the text is written in when it is not the edition's
    /// (an untranslated section), so the page can say so with `lang`.
    pub text_lang: Option<String>,
    /// Title in the edition's language.
    pub title: String,
    /// Summary (may be empty).
    pub summary: String,
    /// Content.
    pub pieces: Vec<Piece>,
}

/// What a section's text binds: values, claims and figures, each with where
/// it is first written. Editions of one section must bind the same things.
#[derive(Debug, Default, Clone)]
pub struct Bindings {
    /// Values bound in prose.
    pub values: BTreeMap<String, Loc>,
    /// Checks claimed in prose.
    pub claims: BTreeMap<String, Loc>,
    /// Figure, table and stat-group keys placed, in order.
    pub figures: Vec<(String, Loc)>,
}

/// A numbered entry of the Sources list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceOut {
    /// HTML id (`src-article`).
    pub id: String,
    /// Its number in the list.
    pub number: usize,
    /// Who published it.
    pub publisher: String,
    /// Its title.
    pub title: String,
    /// Its date.
    pub date: String,
    /// A note (may be empty).
    pub note: String,
    /// An address (may be empty).
    pub url: String,
}

/// The "Source: …" line under a figure.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceLine {
    /// The line's words.
    pub text: String,
    /// Numbered links to the Sources list.
    pub refs: Vec<SourceRef>,
}

/// A link from a source line to an entry of the Sources list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceRef {
    /// The entry's number.
    pub number: usize,
    /// The entry's HTML id.
    pub id: String,
}

/// The report's front matter as one edition shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MetaOut {
    /// Title.
    pub title: String,
    /// Subtitle (may be empty).
    pub subtitle: String,
    /// Authors as credited.
    pub authors: Vec<String>,
    /// The date as the edition's language writes it.
    pub date: String,
    /// The date as written in `report.yaml`, for `<time datetime>`.
    pub date_iso: String,
}

/// A link to another edition of the same report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EditionLink {
    /// Its language code.
    pub code: String,
    /// Its BCP 47 tag, for `hreflang` and `lang`.
    pub tag: String,
    /// Its name in its own language ("中文").
    pub name: String,
    /// Relative URL from this edition's page to its page.
    pub href: String,
}

/// One edition of the report, complete: everything a renderer needs, and
/// nothing it has to look up elsewhere.
#[derive(Debug)]
pub struct Document {
    /// The edition's language.
    pub lang: Lang,
    /// Where the edition lives in the output: `""` for the default, `zh/`.
    pub dir: String,
    /// Interface words.
    pub ui: Catalogue,
    /// Title, authors, date.
    pub meta: MetaOut,
    /// The other editions, set once every edition is known.
    pub editions: Vec<EditionLink>,
    /// Sections in order.
    pub sections: Vec<SectionOut>,
    /// Figures, tables and stat groups in order.
    pub figures: Vec<Figure>,
    /// Source line per dataset id.
    pub source_lines: BTreeMap<String, SourceLine>,
    /// The Sources list.
    pub sources: Vec<SourceOut>,
    /// Claims in prose: (check name, where).
    pub claims: Vec<(String, Loc)>,
    /// Things `quire check` reports without failing.
    pub warnings: Diagnostics,
}

/// What `@fig:`, `@tbl:` and `@sec:` can point to.
pub struct Refs<'a> {
    /// The report, for resolving value names.
    pub report: &'a Report,
    targets: BTreeMap<String, (String, String)>,
}

impl Refs<'_> {
    /// The (HTML id, link text) for `kind:id`.
    pub fn resolve(&self, kind: &str, id: &str) -> Option<(String, String)> {
        self.targets.get(&format!("{kind}:{id}")).cloned()
    }

    /// The nearest existing id of the same kind, for hints.
    pub fn closest(&self, kind: &str, id: &str) -> Option<&str> {
        let prefix = format!("{kind}:");
        crate::text::closest(id, self.targets.keys().filter_map(|k| k.strip_prefix(&prefix)))
    }
}

/// A figure block as written, possibly in another file than the section
/// being transformed (a translation places the default edition's blocks).
struct BlockAt<'a> {
    kind: String,
    file: &'a str,
    body: String,
    line_offset: usize,
}

/// The default edition's figure blocks by id, for translations that place a
/// figure by writing only its `id:`.
fn default_blocks(report: &Report) -> BTreeMap<String, BlockAt<'_>> {
    let mut out = BTreeMap::new();
    for s in &report.sections {
        for b in markdown::blocks(s) {
            if let Some(id) = figures::declared_id(&s.file, &b.body, b.line_offset) {
                out.entry(id).or_insert(BlockAt {
                    kind: b.kind,
                    file: &s.file,
                    body: b.body,
                    line_offset: b.line_offset,
                });
            }
        }
    }
    out
}

/// The block a translation's block stands for: itself, or the default
/// edition's block of the same kind and id when it gives only `id:`.
fn resolve_block<'a>(
    b: markdown::Block,
    file: &'a str,
    defaults: &BTreeMap<String, BlockAt<'a>>,
) -> Result<BlockAt<'a>, Diagnostic> {
    let Some(id) = figures::reference_id(file, &b.body, b.line_offset) else {
        return Ok(BlockAt {
            kind: b.kind,
            file,
            body: b.body,
            line_offset: b.line_offset,
        });
    };
    match defaults.get(&id) {
        Some(d) if d.kind == b.kind => Ok(BlockAt {
            kind: d.kind.clone(),
            file: d.file,
            body: d.body.clone(),
            line_offset: d.line_offset,
        }),
        _ => Err(Diagnostic::error(
            Loc::new(file, b.line_offset + 1, 1),
            format!("no `{}` block with the id `{id}` in the default edition", b.kind),
        )
        .hint(crate::text::suggest(
            &id,
            defaults
                .iter()
                .filter(|(_, d)| d.kind == b.kind)
                .map(|(k, _)| k.as_str()),
            "blocks of this kind",
        ))),
    }
}

/// Transforms the report into its edition in `lang`, with `ui` for every
/// interface word.
pub fn transform(report: &Report, values: &Values, lang: Lang, ui: &Catalogue) -> Result<Document, Diagnostics> {
    let ctx = figures::Ctx {
        report,
        values,
        lang,
        ui,
        untranslated: Default::default(),
    };
    let defaults = if lang == report.meta.languages[0] {
        BTreeMap::new()
    } else {
        default_blocks(report)
    };
    let mut errors = Vec::new();
    let mut ids = IdSet::default();
    for reserved in ["contents", "sources", "top", "main"] {
        ids.reserve(reserved);
    }
    // Source entries get their ids before any heading can take them.
    for s in &report.meta.sources {
        ids.reserve(&format!("src-{}", s.id));
    }
    // Pass 1: number figures and tables, and know every target, before prose.
    let mut figs: Vec<Figure> = Vec::new();
    let mut first_figure = Vec::new();
    let mut targets = BTreeMap::new();
    let (mut n_fig, mut n_tbl, mut n_stats) = (0, 0, 0);
    let mut first_at: BTreeMap<String, Loc> = BTreeMap::new();
    // Per section, the figures its text places and where, for parity checks.
    let mut placed: Vec<Vec<(String, Loc)>> = Vec::new();
    for (i, s) in report.sections.iter().enumerate() {
        first_figure.push(figs.len());
        if !ids.reserve(&s.id) {
            errors.push(
                Diagnostic::error(Loc::file(&s.file), format!("two sections have the id `{}`", s.id))
                    .hint("rename one of the files"),
            );
        }
        targets.insert(format!("sec:{}", s.id), (s.id.clone(), ui.label("sec", i + 1)));
        let written = s.edition(lang);
        placed.push(Vec::new());
        for b in markdown::blocks(written) {
            let fence = Loc::new(&written.file, b.line_offset, 1);
            let b = match resolve_block(b, &written.file, &defaults) {
                Ok(b) => b,
                Err(d) => {
                    errors.push(d);
                    figs.push(placeholder("chart"));
                    continue;
                }
            };
            let number = match b.kind.as_str() {
                "chart" => n_fig + 1,
                "table" => n_tbl + 1,
                _ => n_stats + 1,
            };
            match b.kind.as_str() {
                "chart" => n_fig += 1,
                "table" => n_tbl += 1,
                _ => n_stats += 1,
            }
            let kind = if b.kind == "chart" { "fig" } else { "tbl" };
            match figures::parse(&ctx, &b.kind, b.file, &b.body, b.line_offset, number) {
                Ok(f) => {
                    if let Some(first) = first_at.get(&f.html_id) {
                        errors.push(
                            Diagnostic::error(f.id_loc.clone(), format!("the id `{}` is used twice", f.key))
                                .hint("give every chart and table its own `id`")
                                .related(first.clone(), "first used here"),
                        );
                    } else if !ids.reserve(&f.html_id) {
                        errors.push(
                            Diagnostic::error(
                                f.id_loc.clone(),
                                format!("the id `{}` is already taken on the page", f.html_id),
                            )
                            .hint("choose another `id`"),
                        );
                    }
                    first_at.entry(f.html_id.clone()).or_insert_with(|| f.id_loc.clone());
                    placed
                        .last_mut()
                        .into_iter()
                        .for_each(|p| p.push((f.key.clone(), fence.clone())));
                    if b.kind != "stats" {
                        targets.insert(format!("{kind}:{}", f.key), (f.html_id.clone(), ui.label(kind, number)));
                    }
                    figs.push(f);
                }
                Err(d) => {
                    errors.push(d);
                    // The block is broken, but references to it are not.
                    if let Some(id) = figures::declared_id(b.file, &b.body, b.line_offset) {
                        targets.insert(format!("{kind}:{id}"), (format!("{kind}-{id}"), ui.label(kind, number)));
                    }
                    // Keep indices aligned with the blocks so later placeholders stay right.
                    figs.push(placeholder(&b.kind));
                }
            }
        }
    }
    let refs = Refs { report, targets };

    let source_lines = source_lines(report, lang, ui);
    let source_text = |ds: &str| source_lines.get(ds).map(|l| l.text.clone()).unwrap_or_default();
    let pass = markdown::Pass {
        values,
        refs: &refs,
        source_of: &source_text,
        lang,
        ui,
    };

    // Pass 2: prose.
    let mut found = markdown::Findings::default();
    let mut sections = Vec::new();
    for (i, s) in report.sections.iter().enumerate() {
        let written = s.edition(lang);
        let (bound_from, claims_from) = (found.bound_at.len(), found.claims.len());
        match markdown::render(&pass, written, first_figure[i], &mut ids, &mut found) {
            Ok(pieces) => {
                let mut bindings = Bindings {
                    figures: std::mem::take(&mut placed[i]),
                    ..Bindings::default()
                };
                for (name, loc) in &found.bound_at[bound_from..] {
                    bindings.values.entry(name.clone()).or_insert_with(|| loc.clone());
                }
                for (name, loc) in &found.claims[claims_from..] {
                    bindings.claims.entry(name.clone()).or_insert_with(|| loc.clone());
                }
                let summary = if written.summary.is_empty() {
                    &s.summary
                } else {
                    &written.summary
                };
                sections.push(SectionOut {
                    id: s.id.clone(),
                    number: i + 1,
                    file: written.file.clone(),
                    bindings,
                    text_lang: (lang != report.meta.languages[0] && written.file == s.file)
                        .then(|| report.meta.languages[0].code().to_string()),
                    title: written.title.get(lang).to_string(),
                    summary: summary.get(lang).to_string(),
                    pieces,
                })
            }
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for f in &mut figs {
        if let FigureBody::Stats(tiles) = &mut f.body {
            for t in tiles {
                let ds = values.get(&t.value).map(|v| v.dataset.clone()).unwrap_or_default();
                t.source_text = source_text(&ds);
                t.html = inline::value_html(values, &t.value, &t.source_text, lang, ui).unwrap_or_default();
            }
        }
    }

    let used = used_datasets(report, values, &figs, &found.bound);
    let (sources, source_lines) = number_sources(report, lang, &used, source_lines);
    for s in &sources {
        ids.reserve(&s.id);
    }
    let mut warnings = warnings(report, &figs, &found, &used, &ids);
    if lang != report.meta.languages[0] {
        warnings.extend(parity::untranslated(report, lang));
    }
    warnings.extend(ctx.untranslated.take());
    let m = &report.meta;
    Ok(Document {
        lang,
        dir: if lang == m.languages[0] {
            String::new()
        } else {
            format!("{}/", lang.code())
        },
        ui: ui.clone(),
        meta: MetaOut {
            title: m.title.get(lang).to_string(),
            subtitle: m.subtitle.get(lang).to_string(),
            authors: m.authors.clone(),
            date: ui.date(&m.date),
            date_iso: m.date.clone(),
        },
        editions: Vec::new(),
        sections,
        figures: figs,
        source_lines,
        sources,
        claims: found.claims,
        warnings,
    })
}

fn placeholder(kind: &str) -> Figure {
    Figure {
        key: String::new(),
        html_id: String::new(),
        number: 0,
        title: String::new(),
        caption: String::new(),
        description: String::new(),
        datasets: Vec::new(),
        body: FigureBody::Stats(Vec::new()),
        loc: Loc::file(kind),
        id_loc: Loc::file(kind),
    }
}

fn source_lines(report: &Report, lang: Lang, ui: &Catalogue) -> BTreeMap<String, SourceLine> {
    let mut out = BTreeMap::new();
    for ds in &report.datasets {
        let mut parts = Vec::new();
        for (id, _) in &ds.source.cites {
            if let Some(s) = report.meta.sources.iter().find(|s| &s.id == id) {
                parts.push(s.short.get(lang).to_string());
            }
        }
        let text = format!(
            "{}{}",
            ui.word("source_prefix"),
            parts.join(ui.word("source_separator"))
        );
        out.insert(ds.id.clone(), SourceLine { text, refs: Vec::new() });
    }
    out
}

/// Datasets the reader sees, directly or through a formula that reads them.
fn used_datasets(report: &Report, values: &Values, figs: &[Figure], bound: &[String]) -> BTreeSet<String> {
    let mut used: BTreeSet<String> = figs.iter().flat_map(|f| f.datasets.iter().cloned()).collect();
    for b in bound {
        if let Some(v) = values.get(b) {
            used.insert(v.dataset.clone());
        }
    }
    // A dataset read by a formula of a used dataset is used too.
    let mut todo: Vec<String> = used.iter().cloned().collect();
    while let Some(id) = todo.pop() {
        let Some(ds) = report.datasets.iter().find(|d| d.id == id) else {
            continue;
        };
        let cells = ds.table.formulas();
        for expr in ds.derived.iter().map(|d| &d.expr).chain(cells) {
            for name in expr.names() {
                let first = name.split('.').next().unwrap_or(name);
                if report.datasets.iter().any(|d| d.id == first) && used.insert(first.to_string()) {
                    todo.push(first.to_string());
                }
            }
        }
    }
    used
}

fn number_sources(
    report: &Report,
    lang: Lang,
    used: &BTreeSet<String>,
    mut lines: BTreeMap<String, SourceLine>,
) -> (Vec<SourceOut>, BTreeMap<String, SourceLine>) {
    let cited: BTreeSet<&str> = report
        .datasets
        .iter()
        .filter(|d| used.contains(&d.id))
        .flat_map(|d| d.source.cites.iter().map(|(c, _)| c.as_str()))
        .collect();
    let sources: Vec<SourceOut> = report
        .meta
        .sources
        .iter()
        .filter(|s| cited.contains(s.id.as_str()))
        .enumerate()
        .map(|(i, s)| SourceOut {
            id: format!("src-{}", s.id),
            number: i + 1,
            publisher: s.publisher.get(lang).to_string(),
            title: s.title.get(lang).to_string(),
            date: s.date.get(lang).to_string(),
            note: s.note.get(lang).to_string(),
            // The loader refuses unsafe addresses; this keeps any other path safe too.
            url: crate::url::safe_url(&s.url, crate::url::UrlUse::Link).unwrap_or_default(),
        })
        .collect();
    for ds in &report.datasets {
        if let Some(line) = lines.get_mut(&ds.id) {
            line.refs = ds
                .source
                .cites
                .iter()
                .filter_map(|(c, _)| sources.iter().find(|s| s.id == format!("src-{c}")))
                .map(|s| SourceRef {
                    number: s.number,
                    id: s.id.clone(),
                })
                .collect();
        }
    }
    (sources, lines)
}

fn warnings(
    report: &Report,
    figs: &[Figure],
    found: &markdown::Findings,
    used: &BTreeSet<String>,
    ids: &IdSet,
) -> Diagnostics {
    let mut out = found.warnings.clone();
    for ds in &report.datasets {
        if !used.contains(&ds.id) {
            out.push(
                Diagnostic::warning(Loc::file(&ds.file), format!("the dataset `{}` is not used", ds.id))
                    .hint("show it in a chart or table, bind one of its values, or delete the file"),
            );
        }
    }
    for f in figs {
        let kind = match f.body {
            FigureBody::Chart { .. } => "fig",
            FigureBody::Table(_) => "tbl",
            FigureBody::Stats(_) => continue,
        };
        if !found.referenced.contains(&format!("{kind}:{}", f.key)) {
            out.push(
                Diagnostic::warning(f.loc.clone(), format!("`{}` is never referenced", f.key))
                    .hint(format!("refer to it in the text with `@{kind}:{}`", f.key)),
            );
        }
        if f.description.trim().is_empty() {
            out.push(
                Diagnostic::warning(f.loc.clone(), format!("`{}` has no description", f.key))
                    .hint("add `description:` saying what the reader should see, for screen readers and search"),
            );
        }
    }
    for (anchor, loc) in &found.links {
        if !ids.contains(anchor) {
            out.push(
                Diagnostic::warning(loc.clone(), format!("the link `#{anchor}` points to no id on the page"))
                    .hint("use `@sec:`, `@fig:` or `@tbl:` references, or fix the anchor"),
            );
        }
    }
    out
}
