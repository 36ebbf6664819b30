//! Transform: the model and its values in, a [`Document`] out — sections as
//! HTML pieces with figure placeholders, figures resolved to numbers, sources
//! numbered, and every cross-reference checked.
//!
//! Numbering happens here, once, so every output shows the same "Figure 3".

mod blocks;
mod document;
pub mod figures;
pub mod inline;
pub mod markdown;
mod numbering;
pub mod parity;
mod query;
mod sources;
mod tables;

pub use blocks::FigureBlocks;
pub use document::{
    Bindings, Document, EditionLink, MetaOut, Piece, SectionOut, SourceLine, SourceOut, SourceRef, WrittenLink,
};
pub use numbering::Refs;

use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::i18n::Catalogue;
use crate::model::Report;
use crate::text::{IdSet, Lang};
use crate::values::Values;
use figures::{Figure, FigureBody};
use std::collections::BTreeSet;

/// Transforms the report into its edition in `lang`, with `ui` for every
/// interface word; `blocks` are the report's figure blocks, parsed once
/// for every edition.
pub fn transform(
    report: &Report,
    values: &Values,
    blocks: &FigureBlocks,
    lang: Lang,
    ui: &Catalogue,
) -> Result<Document, Diagnostics> {
    let ctx = figures::Ctx {
        report,
        values,
        lang,
        ui,
        untranslated: Default::default(),
    };
    let mut ids = IdSet::default();
    for reserved in ["contents", "sources", "top", "main"] {
        ids.reserve(reserved);
    }
    // Source entries get their ids before any heading can take them.
    for s in &report.meta.sources {
        ids.reserve(&format!("src-{}", s.id));
    }
    // Pass 1: number figures and tables, and know every target, before prose.
    let numbering::Numbered {
        mut figs,
        first_figure,
        targets,
        mut placed,
        mut errors,
    } = numbering::number(&ctx, blocks, lang, ui, &mut ids);
    let refs = Refs { report, targets };

    let source_lines = sources::source_lines(report, lang, ui);
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
    let sections = prose(&pass, &first_figure, &mut placed, &mut ids, &mut found, &mut errors);
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

    let used = sources::used_datasets(report, values, &figs, &found.bound);
    let (sources, source_lines) = sources::number_sources(report, lang, &used, source_lines);
    for s in &sources {
        ids.reserve(&s.id);
    }
    let mut warnings = warnings(report, &figs, &found, &used, &ids);
    // Every id of a large site, freed one by one: nobody waits for that.
    rayon::spawn(move || drop(ids));
    if lang != report.meta.languages[0] {
        warnings.extend(parity::untranslated(report, lang));
    }
    warnings.extend(ctx.untranslated.take());
    let m = &report.meta;
    Ok(Document {
        lang,
        // Where the edition lies among the others is the caller's to say
        // (it knows which editions this build makes): see `dir`.
        dir: String::new(),
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
        outline: report.outline.clone(),
    })
}

/// Pass 2: each section's prose as HTML pieces, with what it binds; errors
/// go to `errors` so every section is read in one run.
///
/// Sections render on every core, each with its own id set; in order, a
/// section keeps its result when it looked at no id or base an earlier
/// section (or the numbering) holds, and is rendered again against the
/// shared set otherwise. Either way its ids are the ones rendering every
/// section in order gives, so the output does not depend on the cores.
/// Sections go in chunks: after a chunk where most sections would have
/// had to be rendered again (pages that all have an "Examples" heading),
/// the chunk after next is rendered in order straight away (the next one
/// was already rendered alone, beside it), so such a document costs at
/// most two chunks more than rendering in order.
fn prose(
    pass: &markdown::Pass,
    first_figure: &[usize],
    placed: &mut [Vec<(String, Loc)>],
    ids: &mut IdSet,
    found: &mut markdown::Findings,
    errors: &mut Vec<Diagnostic>,
) -> Vec<SectionOut> {
    use rayon::prelude::*;
    use std::collections::HashSet;
    const CHUNK: usize = 256;
    let (report, lang) = (pass.refs.report, pass.lang);
    // Only looked up, never listed: a fast hash, no order needed.
    let mut seen: HashSet<String, foldhash::fast::FixedState> = ids.keys().map(str::to_string).collect();
    let mut sections = Vec::new();
    let mut speculate = true;
    let all: Vec<(usize, &crate::model::Section)> = report.sections.iter().enumerate().collect();
    let chunks: Vec<_> = all.chunks(CHUNK).collect();
    let alone_all = |chunk: &[(usize, &crate::model::Section)]| -> Vec<_> {
        chunk
            .par_iter()
            .map(|&(i, s)| {
                let mut own = IdSet::journaled();
                let mut f = markdown::Findings::default();
                let r = markdown::render(pass, s.edition(lang), first_figure[i], &mut own, &mut f);
                Some((r, f, own))
            })
            .collect()
    };
    let mut ahead = chunks.first().map(|c| alone_all(c));
    for (k, &chunk) in chunks.iter().enumerate() {
        let alone = ahead.take().unwrap_or_else(|| chunk.iter().map(|_| None).collect());
        // The next chunk renders alone (on the other cores) while this one
        // is taken in order (on one): the in-order step would otherwise
        // leave every other core idle.
        let next = chunks.get(k + 1).filter(|_| speculate);
        let (clashes, next) = rayon::join(
            || {
                let mut clashes = 0;
                for (&(i, s), alone) in chunk.iter().zip(alone) {
                    let written = s.edition(lang);
                    let kept = alone.and_then(|(r, f, mut own)| {
                        let journal = own.take_journal();
                        (r.is_ok() && !journal.iter().any(|k| seen.contains(k))).then(|| {
                            ids.absorb(own);
                            (r, f, journal)
                        })
                    });
                    let (r, mut f, journal) = match kept {
                        Some(k) => k,
                        None => {
                            ids.start_journal();
                            let mut f = markdown::Findings::default();
                            let r = markdown::render(pass, written, first_figure[i], ids, &mut f);
                            let journal = ids.take_journal();
                            if journal.iter().any(|k| seen.contains(k)) {
                                clashes += 1;
                            }
                            (r, f, journal)
                        }
                    };
                    seen.extend(journal);
                    match r {
                        Ok(pieces) => {
                            let mut bindings = Bindings {
                                figures: std::mem::take(&mut placed[i]),
                                ..Bindings::default()
                            };
                            for (name, loc) in &f.bound_at {
                                bindings.values.entry(name.clone()).or_insert_with(|| loc.clone());
                            }
                            for (name, loc) in &f.claims {
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
                                links: std::mem::take(&mut f.written),
                            })
                        }
                        Err(d) => errors.push(d),
                    }
                    found.append(f);
                }
                clashes
            },
            || next.map(|c| alone_all(c)),
        );
        ahead = next;
        // Rendering alone pays only when most sections keep their result.
        speculate = clashes * 2 <= chunk.len();
    }
    sections
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
