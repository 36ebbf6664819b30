//! quire: a build-time report generator.
//!
//! The data flows one way, one module a stage:
//! [`load`] (files → [`model::Report`]) → [`values`] (every named number,
//! derived values and checks) → [`transform`] (Markdown events, figures,
//! cross-references) → [`render`] (Tera templates, SVG) → [`write`] (atomic
//! swap into `output/`). Each stage is a plain function of the previous one.

pub mod chart;
pub mod defaults;
pub mod diag;
pub mod epoch;
pub mod expr;
pub mod i18n;
pub mod load;
pub mod model;
pub mod pdf;
pub mod pending;
pub mod render;
pub mod scaffold;
pub mod scaling;
pub mod serve;
pub mod site;
pub mod text;
pub mod timing;
pub mod transform;
pub mod units;
pub mod url;
pub mod values;
pub mod write;
pub mod yaml;

use diag::{Diagnostic, Diagnostics, SourceMap};
use rayon::prelude::*;
use std::path::Path;

/// What a successful build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Editions built (one per language).
    pub editions: usize,
    /// Sections rendered.
    pub sections: usize,
    /// Charts drawn.
    pub figures: usize,
    /// Tables rendered.
    pub tables: usize,
    /// Files written (or that would be written, for `check`).
    pub files: usize,
}

/// The result of running the pipeline: diagnostics (errors and warnings),
/// the text of every file read (to quote in messages), and what was made.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Errors and warnings, in the order found.
    pub diagnostics: Diagnostics,
    /// Every file read, for rendering diagnostics.
    pub files: SourceMap,
    /// Set when the pipeline succeeded.
    pub summary: Option<Summary>,
}

impl Outcome {
    /// Whether any diagnostic is an error.
    pub fn failed(&self) -> bool {
        self.summary.is_none() || self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Settings that are not part of the content.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Build only this language's edition, at the top of the output,
    /// instead of every edition `report.yaml` lists.
    pub lang: Option<text::Lang>,
    /// Build a site (one page per section) whatever `report.yaml`'s `mode`.
    pub site: bool,
    /// The site's base URL, overriding `report.yaml`'s `base_url`.
    pub base_url: Option<String>,
}

/// The loads that need nothing but the project's root: the templates and
/// the datasets. A build starts them before it prepares the output (its
/// lock and staging folder), so that serial work, and the pool's waking up,
/// overlap the reading instead of coming before it. If the output cannot
/// be written, they are dropped unread; they write nothing.
struct Early {
    look: pending::Pending<(Result<render::templates::Look, Diagnostics>, SourceMap)>,
    datasets: pending::Pending<(load::Datasets, SourceMap)>,
}

impl Early {
    /// Starts both loads on rayon's pool.
    fn start(root: &Path) -> Early {
        Early {
            look: start_load(root, render::templates::load_look),
            datasets: start_load(root, load::datasets),
        }
    }
}

/// Starts `load` on rayon's pool (see [`pending::start`]), with a source
/// map of its own for the files it reads.
fn start_load<T: Send + 'static>(
    root: &Path,
    load: fn(&Path, &mut SourceMap) -> T,
) -> pending::Pending<(T, SourceMap)> {
    let root = root.to_path_buf();
    pending::start(move || {
        let mut files = SourceMap::default();
        (load(&root, &mut files), files)
    })
}

/// Runs every stage, putting each file into `sink` as it is rendered;
/// `None` when anything failed.
fn compile(root: &Path, opts: &Options, early: Early, outcome: &mut Outcome, sink: &write::Sink) -> Option<()> {
    timing::start();
    let Early { look, datasets } = early;
    // This thread reads report.yaml; the sections start on the pool once it
    // says whether they are a site's, the catalogues once it names the
    // editions' languages.
    let head = load::head(root, &mut outcome.files, opts.site).map(|h| {
        let (root, site) = (root.to_path_buf(), h.meta.site);
        (h, pending::start(move || load::section_files(&root, site)))
    });
    let languages = match (&head, opts.lang) {
        (_, Some(l)) => vec![l],
        (Ok((h, _)), None) => h.meta.languages.clone(),
        (Err(_), None) => Vec::new(),
    };
    let catalogues = head.is_ok().then(|| {
        let (root, languages) = (root.to_path_buf(), languages.clone());
        pending::start(move || {
            let mut files = SourceMap::default();
            (render::templates::load_catalogues(&root, &languages, &mut files), files)
        })
    });
    // Waited for even when report.yaml failed: its messages are only
    // dropped then, as a load that stops at report.yaml never reads them.
    let (datasets, dataset_files) = datasets.wait()?;
    let head = match head {
        Ok((h, sections)) => Ok((h, sections.wait()?)),
        Err(d) => Err(d),
    };
    let loaded = head.and_then(|(h, sections)| {
        outcome.files.extend(dataset_files);
        load::rest(root, h, datasets, sections, &mut outcome.files)
    });
    timing::mark("load");
    // Invisible control characters are refused where they are (see diag::is_forbidden_control).
    let control = outcome.files.control_chars();
    if !control.is_empty() {
        outcome.diagnostics.extend(control);
        return None;
    }
    let report = match loaded {
        Ok(r) => r,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    outcome.diagnostics.extend(report.warnings.iter().cloned());
    let (look, look_files) = look.wait()?;
    let (catalogues, catalogue_files) = catalogues.and_then(pending::Pending::wait)?;
    outcome.files.extend(look_files);
    outcome.files.extend(catalogue_files);
    let theme = render::templates::Theme::new(look, catalogues, report.meta.site);
    timing::mark("templates");
    // The figure blocks' YAML is parsed once for every edition, while the
    // values are computed.
    let (values, blocks) = rayon::join(
        || values::Values::compute(&report),
        || transform::FigureBlocks::parse(&report),
    );
    let values = match values {
        Ok(v) => v,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    let theme = match theme {
        Ok(t) => t,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    timing::mark("values");
    let site = match site::settings_for(&report.meta, opts) {
        Ok(s) => s,
        Err(d) => {
            outcome.diagnostics.push(d);
            return None;
        }
    };
    // Each edition goes from transform to written files on its own core: a
    // report page needs nothing from the other edition but where it lies,
    // known from the languages alone, so neither waits for the other at a
    // stage's end. What does need every edition (the checks they agree on)
    // comes after; nothing written reaches the output unless all is well.
    let placed = edition_places(&languages, &theme);
    let pipelines: Vec<_> = languages
        .par_iter()
        .enumerate()
        .map(|(i, &lang)| -> Result<_, Diagnostics> {
            let mut doc = transform::transform(&report, &values, &blocks, lang, theme.catalogue(lang))?;
            place_edition(&mut doc, i, &placed);
            let written = match site {
                Some(_) => Ok(()),
                None => render::render(&doc, &theme).and_then(|f| sink.put_all(&f).map_err(|d| vec![d])),
            };
            Ok((doc, written))
        })
        .collect();
    let mut docs = Vec::new();
    let mut rendered = Vec::new();
    for p in pipelines {
        match p {
            Ok((d, w)) => {
                docs.push(d);
                rendered.push(w);
            }
            Err(d) => outcome.diagnostics.extend(d),
        }
    }
    failed_checks(&values, &docs, &mut outcome.diagnostics);
    if docs.len() < languages.len() {
        return None;
    }
    for d in &docs {
        outcome.diagnostics.extend(d.warnings.iter().cloned());
    }
    outcome.diagnostics.extend(transform::parity::check(&docs));
    if outcome.diagnostics.iter().any(Diagnostic::is_error) {
        return None;
    }
    // A report's editions are rendered and written by now; a site's next.
    timing::mark("transform (a report: render and write too)");
    match site {
        Some(base_url) => {
            match site::shared_files(&theme, root) {
                Ok(f) => outcome.diagnostics.extend(sink.put_all(&f).err()),
                Err(d) => outcome.diagnostics.extend(d),
            }
            for doc in &docs {
                if let Err(d) = site::render(doc, &theme, root, &base_url, sink) {
                    outcome.diagnostics.extend(d);
                }
            }
        }
        None => {
            for w in rendered {
                outcome.diagnostics.extend(w.err().into_iter().flatten());
            }
        }
    }
    timing::mark("site pages");
    if outcome.diagnostics.iter().any(Diagnostic::is_error) {
        return None;
    }
    let doc = &docs[0];
    let count = |p: fn(&transform::figures::FigureBody) -> bool| doc.figures.iter().filter(|f| p(&f.body)).count();
    outcome.summary = Some(Summary {
        editions: docs.len(),
        sections: doc.sections.len(),
        figures: count(|b| matches!(b, transform::figures::FigureBody::Chart { .. })),
        tables: count(|b| matches!(b, transform::figures::FigureBody::Table(_))),
        files: sink.count(),
    });
    // Freeing what the build made is a few percent of its time and nobody
    // waits for it: it runs on another thread.
    rayon::spawn(move || drop((report, values, blocks, theme, docs)));
    Some(())
}

/// A failing check is an error at its expression, with every claim in the
/// text that relies on it.
fn failed_checks(values: &values::Values, docs: &[transform::Document], out: &mut Diagnostics) {
    for c in values.checks.iter().filter(|c| !c.ok) {
        let mut d =
            Diagnostic::error(c.loc.clone(), format!("check `{}` does not hold: {}", c.name, c.expr)).hint(format!(
                "with {}, it is false: fix the data, or the claim and its check",
                c.detail
            ));
        for (_, loc) in docs.iter().flat_map(|d| &d.claims).filter(|(n, _)| *n == c.name) {
            d = d.related(loc.clone(), "the text relies on this check here");
        }
        out.push(d);
    }
}

/// Where each edition lies, by language code: the first at the top of the
/// output, the others in a folder named by their language.
struct EditionPlace {
    code: String,
    tag: String,
    name: String,
    dir: String,
}

/// Every edition's place, in the order of `languages`, with its words for
/// the links to it.
fn edition_places(languages: &[text::Lang], theme: &render::templates::Theme) -> Vec<EditionPlace> {
    languages
        .iter()
        .enumerate()
        .map(|(i, &lang)| {
            let ui = theme.catalogue(lang);
            EditionPlace {
                code: lang.code().to_string(),
                tag: ui.word("lang_tag").to_string(),
                name: ui.word("edition_name").to_string(),
                dir: if i == 0 {
                    String::new()
                } else {
                    format!("{}/", lang.code())
                },
            }
        })
        .collect()
}

/// Puts edition `i` in its place, linking it to all the others.
fn place_edition(doc: &mut transform::Document, i: usize, places: &[EditionPlace]) {
    doc.dir = places[i].dir.clone();
    let up = if doc.dir.is_empty() { "" } else { "../" };
    doc.editions = places
        .iter()
        .filter(|p| p.code != doc.lang.code())
        .map(|p| transform::EditionLink {
            code: p.code.clone(),
            tag: p.tag.clone(),
            name: p.name.clone(),
            href: format!("{up}{}index.html", p.dir),
        })
        .collect();
}

/// Checks the project under `root` as a build would, writing nothing.
pub fn check(root: &Path) -> Outcome {
    check_with(root, &Options::default())
}

/// [`check`] with options.
pub fn check_with(root: &Path, opts: &Options) -> Outcome {
    on_pool(|| {
        let mut outcome = Outcome::default();
        compile(root, opts, Early::start(root), &mut outcome, &write::Sink::discard());
        outcome
    })
}

/// Runs a whole build on one of rayon's threads, the caller waiting once.
/// Waits inside the build then help with the pool's work (see [`pending`])
/// instead of putting the caller to sleep at every stage and waking it
/// after: each wake-up left a core idle for a tenth of a millisecond or
/// more, 4-5 % of a build.
fn on_pool<T: Send>(build: impl FnOnce() -> T + Send) -> T {
    rayon::scope(|_| build())
}

/// Builds the project under `root` into `out`. On any error nothing is
/// written and the previous output stays as it was.
pub fn build(root: &Path, out: &Path) -> Outcome {
    build_with(root, out, &Options::default())
}

/// [`build`] with options.
pub fn build_with(root: &Path, out: &Path, opts: &Options) -> Outcome {
    on_pool(|| build_on_pool(root, out, opts))
}

/// [`build_with`], on a pool thread.
fn build_on_pool(root: &Path, out: &Path, opts: &Options) -> Outcome {
    let mut outcome = Outcome::default();
    let early = Early::start(root);
    // `write_with` refuses a bad `--out` before `compile` starts, so only
    // the early loads are spent on an output that cannot be written.
    // Files are written into a staging folder as they are rendered, and
    // swapped in only when the whole build succeeded.
    match write::write_with(root, out, |sink| compile(root, opts, early, &mut outcome, sink)) {
        Ok(Some(((), n))) => {
            if let Some(s) = outcome.summary.as_mut() {
                s.files = n;
            }
        }
        Ok(None) => outcome.summary = None,
        Err(d) => {
            outcome.diagnostics.push(d);
            outcome.summary = None;
        }
    }
    outcome
}
