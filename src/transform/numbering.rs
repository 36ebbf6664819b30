//! Pass 1 of the transform: every figure, table and stat group parsed and
//! numbered, and every `@fig:`, `@tbl:` and `@sec:` target known, before any
//! prose is read, so a reference may point forward.

use super::blocks::{FigureBlocks, ParsedBlock};
use super::figures::{self, Ctx, Figure, FigureBody};
use crate::diag::{Diagnostic, Loc};
use crate::i18n::Catalogue;
use crate::model::Report;
use crate::text::{IdSet, Lang};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What `@fig:`, `@tbl:` and `@sec:` can point to.
pub struct Refs<'a> {
    /// The report, for resolving value names.
    pub report: &'a Report,
    pub(super) targets: BTreeMap<String, (String, String)>,
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
#[derive(Clone, Copy)]
struct BlockAt<'a> {
    file: &'a str,
    block: &'a ParsedBlock,
}

/// The default edition's figure blocks by id, for translations that place a
/// figure by writing only its `id:`.
fn default_blocks<'a>(report: &'a Report, blocks: &'a FigureBlocks) -> BTreeMap<String, BlockAt<'a>> {
    let mut out = BTreeMap::new();
    for (i, s) in report.sections.iter().enumerate() {
        for block in blocks.own(i) {
            if let Some(id) = plain_id(&block.body).or_else(|| block.declared_id()) {
                out.entry(id).or_insert(BlockAt { file: &s.file, block });
            }
        }
    }
    out
}

/// A block's lines that say something: not blank, not a YAML comment.
fn written_lines(body: &str) -> impl Iterator<Item = &str> {
    body.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The id of a block whose first written line is `id: some-slug`, read
/// without parsing the YAML; anything else (quotes, flow mappings) is left
/// to the parser.
fn plain_id(body: &str) -> Option<String> {
    let id = written_lines(body).next()?.strip_prefix("id:")?.trim();
    let plain = !id.is_empty()
        && id
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    plain.then(|| id.to_string())
}

/// The block a translation's block stands for: itself, or the default
/// edition's block of the same kind and id when it gives only `id:`.
fn resolve_block<'a>(
    block: &'a ParsedBlock,
    file: &'a str,
    defaults: &BTreeMap<String, BlockAt<'a>>,
) -> Result<BlockAt<'a>, Diagnostic> {
    let id = match written_lines(&block.body).count() {
        1 => block.reference_id(),
        _ => None,
    };
    let Some(id) = id else {
        return Ok(BlockAt { file, block });
    };
    match defaults.get(&id) {
        Some(d) if d.block.kind == block.kind => Ok(*d),
        _ => Err(Diagnostic::error(
            Loc::new(file, block.line_offset + 1, 1),
            format!("no `{}` block with the id `{id}` in the default edition", block.kind),
        )
        .hint(crate::text::suggest(
            &id,
            defaults
                .iter()
                .filter(|(_, d)| d.block.kind == block.kind)
                .map(|(k, _)| k.as_str()),
            "blocks of this kind",
        ))),
    }
}

pub(super) fn placeholder(kind: &str) -> Figure {
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

/// What pass 1 found.
#[derive(Default)]
pub(super) struct Numbered {
    /// Figures in page order; a broken block keeps a placeholder so indices
    /// stay aligned with the blocks.
    pub figs: Vec<Figure>,
    /// Per section, the index of its first figure.
    pub first_figure: Vec<usize>,
    /// `kind:id` -> (HTML id, link text).
    pub targets: BTreeMap<String, (String, String)>,
    /// Per section, the figures its text places and where, for parity checks.
    pub placed: Vec<Vec<(String, Loc)>>,
    /// Every block error, so one run reports them all.
    pub errors: Vec<Diagnostic>,
}

/// A block's figure, or why it has none, and the texts it left untranslated.
type Parsed = (Result<Figure, Diagnostic>, Vec<Diagnostic>);

/// One block of the edition, resolved and numbered, ready to parse.
struct Job<'a> {
    /// Where its fence is in the file being transformed.
    fence: Loc,
    /// The block it stands for, or why there is none.
    block: Result<BlockAt<'a>, Diagnostic>,
    number: usize,
}

/// Parses and numbers every block of the `lang` edition, reserving section
/// and figure ids in `ids`.
///
/// The blocks are numbered in page order first, then parsed several at a
/// time (the longer edition's blocks go to a core the other has freed),
/// then their ids are reserved in page order again: the result, errors and
/// warnings included, is the same as one pass in order.
pub(super) fn number(ctx: &Ctx, blocks: &FigureBlocks, lang: Lang, ui: &Catalogue, ids: &mut IdSet) -> Numbered {
    let report = ctx.report;
    let defaults = if lang == report.meta.languages[0] {
        BTreeMap::new()
    } else {
        default_blocks(report, blocks)
    };
    let (mut n_fig, mut n_tbl, mut n_stats) = (0, 0, 0);
    let jobs: Vec<Vec<Job>> = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let written = s.edition(lang);
            blocks
                .of(i, lang)
                .iter()
                .map(|b| {
                    let fence = Loc::new(&written.file, b.line_offset, 1);
                    let block = resolve_block(b, &written.file, &defaults);
                    let counter = match block.as_ref().map(|at| at.block.kind.as_str()) {
                        Ok("chart") => &mut n_fig,
                        Ok("table") => &mut n_tbl,
                        Ok(_) => &mut n_stats,
                        Err(_) => {
                            return Job {
                                fence,
                                block,
                                number: 0,
                            };
                        }
                    };
                    *counter += 1;
                    Job {
                        fence,
                        block,
                        number: *counter,
                    }
                })
                .collect()
        })
        .collect();
    // Each parse records its untranslated texts in a context of its own, so
    // the warnings keep the page's order.
    let (values, edition_ui) = (ctx.values, ctx.ui);
    let parsed: Vec<Option<Parsed>> = jobs
        .iter()
        .flatten()
        .collect::<Vec<_>>()
        .par_iter()
        .map(|job| {
            let BlockAt { file, block: b } = *job.block.as_ref().ok()?;
            let own = Ctx {
                report,
                values,
                lang,
                ui: edition_ui,
                untranslated: Default::default(),
            };
            let figure = figures::parse(&own, &b.kind, file, &b.doc, b.line_offset, job.number);
            Some((figure, own.untranslated.take()))
        })
        .collect();
    let mut parsed = parsed.into_iter();
    let mut placer = Placer {
        out: Numbered::default(),
        ids,
        first_at: BTreeMap::new(),
        ui,
    };
    for (i, (s, jobs)) in report.sections.iter().zip(jobs).enumerate() {
        placer.section(i, s);
        for (job, result) in jobs.into_iter().zip(parsed.by_ref()) {
            let b = match job.block {
                Ok(at) => at.block,
                Err(d) => {
                    placer.out.errors.push(d);
                    placer.out.figs.push(placeholder("chart"));
                    continue;
                }
            };
            // Every resolved block was parsed.
            let Some((result, untranslated)) = result else { continue };
            ctx.untranslated.borrow_mut().extend(untranslated);
            placer.place(b, job.number, &job.fence, result);
        }
    }
    placer.out
}

/// Pass 1's results as they are gathered in page order.
struct Placer<'i, 'u> {
    out: Numbered,
    ids: &'i mut IdSet,
    /// Where each figure id was first used.
    first_at: BTreeMap<String, Loc>,
    ui: &'u Catalogue,
}

impl Placer<'_, '_> {
    /// Starts section `i`: reserves its id and makes it a target.
    fn section(&mut self, i: usize, s: &crate::model::Section) {
        let out = &mut self.out;
        out.first_figure.push(out.figs.len());
        if !self.ids.reserve(&s.id) {
            out.errors.push(
                Diagnostic::error(Loc::file(&s.file), format!("two sections have the id `{}`", s.id))
                    .hint("rename one of the files"),
            );
        }
        out.targets
            .insert(format!("sec:{}", s.id), (s.id.clone(), self.ui.label("sec", i + 1)));
        out.placed.push(Vec::new());
    }

    /// Records one parsed block: its figure, its id and its target.
    fn place(&mut self, b: &ParsedBlock, number: usize, fence: &Loc, result: Result<Figure, Diagnostic>) {
        let (out, ui) = (&mut self.out, self.ui);
        let kind = if b.kind == "chart" { "fig" } else { "tbl" };
        match result {
            Ok(f) => {
                if let Some(first) = self.first_at.get(&f.html_id) {
                    out.errors.push(
                        Diagnostic::error(f.id_loc.clone(), format!("the id `{}` is used twice", f.key))
                            .hint("give every chart and table its own `id`")
                            .related(first.clone(), "first used here"),
                    );
                } else if !self.ids.reserve(&f.html_id) {
                    out.errors.push(
                        Diagnostic::error(
                            f.id_loc.clone(),
                            format!("the id `{}` is already taken on the page", f.html_id),
                        )
                        .hint("choose another `id`"),
                    );
                }
                self.first_at
                    .entry(f.html_id.clone())
                    .or_insert_with(|| f.id_loc.clone());
                out.placed
                    .last_mut()
                    .into_iter()
                    .for_each(|p| p.push((f.key.clone(), fence.clone())));
                if b.kind != "stats" {
                    out.targets
                        .insert(format!("{kind}:{}", f.key), (f.html_id.clone(), ui.label(kind, number)));
                }
                out.figs.push(f);
            }
            Err(d) => {
                out.errors.push(d);
                // The block is broken, but references to it are not.
                if let Some(id) = b.declared_id() {
                    out.targets
                        .insert(format!("{kind}:{id}"), (format!("{kind}-{id}"), ui.label(kind, number)));
                }
                // Keep indices aligned with the blocks so later placeholders stay right.
                out.figs.push(placeholder(&b.kind));
            }
        }
    }
}
