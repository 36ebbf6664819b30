//! Every figure block of the report, its YAML parsed once for all editions.
//!
//! A translation places the default edition's charts by writing only their
//! `id:`, so every edition reads the default edition's blocks: parsed per
//! edition, each chart's YAML would be parsed once per language.

use super::markdown;
use crate::diag::Diagnostic;
use crate::model::{Report, Section};
use crate::text::Lang;
use crate::yaml::Doc;
use rayon::prelude::*;

/// A figure block as written, with its YAML parsed.
pub struct ParsedBlock {
    /// `chart`, `table` or `stats`.
    pub kind: String,
    /// The YAML body as written.
    pub body: String,
    /// Line of the file the body starts on, minus one.
    pub line_offset: usize,
    /// The body parsed, or why it does not parse (reported by each edition
    /// that uses the block).
    pub doc: Result<Doc, Diagnostic>,
}

impl ParsedBlock {
    /// The `id:` the block declares, if it parses that far: read even when
    /// the rest is broken, so a bad block does not also break every
    /// reference to it.
    pub fn declared_id(&self) -> Option<String> {
        self.doc.as_ref().ok()?.root().get("id")?.str().ok()
    }

    /// The id of a block that only places a figure declared elsewhere: its
    /// body is nothing but `id: …`.
    pub fn reference_id(&self) -> Option<String> {
        let root = self.doc.as_ref().ok()?.root();
        match root.entries().ok()?.as_slice() {
            [(key, node)] if key == "id" => node.str().ok(),
            _ => None,
        }
    }
}

/// The figure blocks of each section, as written in its own file and in
/// each translation's.
pub struct FigureBlocks {
    /// Per section, in report order.
    sections: Vec<SectionBlocks>,
}

/// One section's blocks: its own file's, and each translation's.
struct SectionBlocks {
    own: Vec<ParsedBlock>,
    translated: Vec<(Lang, Vec<ParsedBlock>)>,
}

impl FigureBlocks {
    /// Finds and parses every block of every section file, several files
    /// at a time.
    pub fn parse(report: &Report) -> FigureBlocks {
        let files: Vec<&Section> = report
            .sections
            .iter()
            .flat_map(|s| std::iter::once(s).chain(s.translations.iter().map(|(_, t)| t)))
            .collect();
        let mut parsed = files.par_iter().map(|s| parse_file(s)).collect::<Vec<_>>().into_iter();
        let sections = report
            .sections
            .iter()
            .map(|s| {
                let own = parsed.next().unwrap_or_default();
                let translated = s
                    .translations
                    .iter()
                    .map(|(lang, _)| (*lang, parsed.next().unwrap_or_default()))
                    .collect();
                SectionBlocks { own, translated }
            })
            .collect();
        FigureBlocks { sections }
    }

    /// Section `i`'s blocks in its default-edition file.
    pub fn own(&self, i: usize) -> &[ParsedBlock] {
        self.sections.get(i).map_or(&[], |s| &s.own)
    }

    /// Section `i`'s blocks as written for `lang`: in its translation, or
    /// its own, as [`Section::edition`] picks.
    pub fn of(&self, i: usize, lang: Lang) -> &[ParsedBlock] {
        let translated = self
            .sections
            .get(i)
            .and_then(|s| s.translated.iter().find(|(l, _)| *l == lang));
        translated.map_or_else(|| self.own(i), |(_, blocks)| blocks)
    }
}

/// One section file's blocks, parsed.
fn parse_file(s: &Section) -> Vec<ParsedBlock> {
    markdown::blocks(s)
        .into_iter()
        .map(|b| ParsedBlock {
            doc: Doc::parse(&s.file, &b.body, b.line_offset),
            kind: b.kind,
            body: b.body,
            line_offset: b.line_offset,
        })
        .collect()
}
