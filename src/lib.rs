//! quire: a build-time report generator.
//!
//! The data flows one way, one module a stage:
//! [`load`] (files → [`model::Report`]) → [`values`] (every named number,
//! derived values and checks) → [`transform`] (Markdown events, figures,
//! cross-references) → [`render`] (Tera templates, SVG) → [`write`] (atomic
//! swap into `output/`). Each stage is a plain function of the previous one.

pub mod chart;
pub mod diag;
pub mod expr;
pub mod load;
pub mod model;
pub mod render;
pub mod text;
pub mod transform;
pub mod units;
pub mod values;
pub mod write;
pub mod yaml;

use diag::{Diagnostic, Diagnostics, SourceMap};
use std::path::Path;

/// What a successful build made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
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
    /// Build this language's edition instead of `report.yaml`'s `lang`.
    pub lang: Option<text::Lang>,
}

/// Runs every stage but writing; returns the files to write.
fn compile(root: &Path, opts: &Options, outcome: &mut Outcome) -> Option<Vec<render::OutFile>> {
    let report = match load::load(root, &mut outcome.files) {
        Ok(mut r) => {
            outcome.diagnostics.append(&mut r.warnings);
            if let Some(lang) = opts.lang {
                r.meta.lang = lang;
            }
            r
        }
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    let templates = render::templates(root, &mut outcome.files);
    let values = match values::Values::compute(&report) {
        Ok(v) => v,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    let doc = transform::transform(&report, &values);
    let claims = doc.as_ref().map(|d| d.claims.clone()).unwrap_or_default();
    for c in values.checks.iter().filter(|c| !c.ok) {
        let mut d =
            Diagnostic::error(c.loc.clone(), format!("check `{}` does not hold: {}", c.name, c.expr)).hint(format!(
                "with {}, it is false: fix the data, or the claim and its check",
                c.detail
            ));
        for (_, loc) in claims.iter().filter(|(n, _)| *n == c.name) {
            d = d.related(loc.clone(), "the text relies on this check here");
        }
        outcome.diagnostics.push(d);
    }
    let doc = match doc {
        Ok(d) => d,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    outcome.diagnostics.extend(doc.warnings.iter().cloned());
    let (tera, css) = match templates {
        Ok(t) => t,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    if outcome.diagnostics.iter().any(Diagnostic::is_error) {
        return None;
    }
    let files = match render::render(&doc, &report, &values, &tera, &css) {
        Ok(f) => f,
        Err(d) => {
            outcome.diagnostics.extend(d);
            return None;
        }
    };
    let count = |p: fn(&transform::figures::FigureBody) -> bool| doc.figures.iter().filter(|f| p(&f.body)).count();
    outcome.summary = Some(Summary {
        sections: doc.sections.len(),
        figures: count(|b| matches!(b, transform::figures::FigureBody::Chart { .. })),
        tables: count(|b| matches!(b, transform::figures::FigureBody::Table(_))),
        files: files.len(),
    });
    Some(files)
}

/// Checks the project under `root` as a build would, writing nothing.
pub fn check(root: &Path) -> Outcome {
    check_with(root, &Options::default())
}

/// [`check`] with options.
pub fn check_with(root: &Path, opts: &Options) -> Outcome {
    let mut outcome = Outcome::default();
    compile(root, opts, &mut outcome);
    outcome
}

/// Builds the project under `root` into `out`. On any error nothing is
/// written and the previous output stays as it was.
pub fn build(root: &Path, out: &Path) -> Outcome {
    build_with(root, out, &Options::default())
}

/// [`build`] with options.
pub fn build_with(root: &Path, out: &Path, opts: &Options) -> Outcome {
    let mut outcome = Outcome::default();
    if let Err(d) = write::check_out_dir(root, out) {
        outcome.diagnostics.push(d);
        return outcome;
    }
    let Some(files) = compile(root, opts, &mut outcome) else {
        outcome.summary = None;
        return outcome;
    };
    match write::write(out, &files) {
        Ok(n) => {
            if let Some(s) = outcome.summary.as_mut() {
                s.files = n;
            }
        }
        Err(d) => {
            outcome.diagnostics.push(d);
            outcome.summary = None;
        }
    }
    outcome
}
