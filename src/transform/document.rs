//! The transform's output: one self-contained edition of the report, the
//! only thing a renderer reads.

use super::figures::Figure;
use crate::diag::{Diagnostics, Loc};
use crate::i18n::Catalogue;
use crate::text::Lang;
use std::collections::BTreeMap;

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
    /// Every link and image written in the text, in order.
    pub links: Vec<WrittenLink>,
}

/// A link or image address as the author wrote it, and where: a site
/// checks and rewrites each without parsing the page again.
#[derive(Debug, Clone)]
pub struct WrittenLink {
    /// The address as written.
    pub url: String,
    /// Where the address itself is written.
    pub loc: Loc,
    /// An image rather than a link.
    pub image: bool,
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
    /// Where the edition lives in the output: `""` for the first edition
    /// built, `zh/` for the others. Set with [`Document::editions`] once
    /// every edition's place is known (`quire::compile`), not by the
    /// transform, which sees one edition.
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
    /// The site's navigation from `SUMMARY.md`, when there is one (the
    /// same for every edition: editions share their sections' order).
    pub outline: Option<crate::model::Outline>,
}
