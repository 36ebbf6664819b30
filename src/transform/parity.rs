//! Editions must say the same things: every edition of a section binds the
//! same values, makes the same claims and places the same figures in the
//! same order. Reader-visible text without a translation is a warning.

use super::{Bindings, Document, SectionOut};
use crate::diag::{Diagnostic, Diagnostics, Loc};
use crate::model::Report;
use crate::text::{Lang, Text};
use std::collections::BTreeMap;

/// Errors where an edition's section binds what the default edition's does
/// not, or the other way round; each names both files.
pub fn check(docs: &[Document]) -> Diagnostics {
    let Some((default, others)) = docs.split_first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for doc in others {
        for (a, b) in default.sections.iter().zip(&doc.sections) {
            if a.file != b.file {
                compare(a, b, &mut out);
            }
        }
    }
    out
}

fn compare(a: &SectionOut, b: &SectionOut, out: &mut Diagnostics) {
    let (x, y) = (&a.bindings, &b.bindings);
    one_sided(&x.values, &y.values, a, b, "binds the value", out);
    one_sided(&y.values, &x.values, b, a, "binds the value", out);
    one_sided(&x.claims, &y.claims, a, b, "claims the check", out);
    one_sided(&y.claims, &x.claims, b, a, "claims the check", out);
    figures(x, y, a, b, out);
}

/// Each name in `has` but not in `lacks`, as an error at `has`'s place.
fn one_sided(
    has: &BTreeMap<String, Loc>,
    lacks: &BTreeMap<String, Loc>,
    here: &SectionOut,
    there: &SectionOut,
    what: &str,
    out: &mut Diagnostics,
) {
    for (name, loc) in has.iter().filter(|(n, _)| !lacks.contains_key(*n)) {
        out.push(
            Diagnostic::error(
                loc.clone(),
                format!("`{}` {what} `{name}`, but `{}` does not", here.file, there.file),
            )
            .hint("both editions of a section must bind the same values and claims: add it there, or remove it here")
            .related(Loc::file(&there.file), "the other edition of this section"),
        );
    }
}

fn figures(x: &Bindings, y: &Bindings, a: &SectionOut, b: &SectionOut, out: &mut Diagnostics) {
    let keys = |f: &[(String, Loc)]| f.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    if keys(&x.figures) == keys(&y.figures) {
        return;
    }
    let at = y.figures.first().map_or(Loc::file(&b.file), |(_, l)| l.clone());
    let list = |f: &[(String, Loc)]| {
        let k = keys(f);
        if k.is_empty() { "none".to_string() } else { k.join(", ") }
    };
    out.push(
        Diagnostic::error(
            at,
            format!(
                "`{}` places the figures [{}] but `{}` places [{}]",
                b.file,
                list(&y.figures),
                a.file,
                list(&x.figures)
            ),
        )
        .hint("place the same charts, tables and stat groups in the same order: a translation writes a block with only `id: …`")
        .related(Loc::file(&a.file), "the default edition of this section"),
    );
}

/// Warnings for reader-visible text of the report, its sources, sections and
/// datasets that has no form in `lang`.
pub fn untranslated(report: &Report, lang: Lang) -> Diagnostics {
    let mut out = Vec::new();
    let warn = |out: &mut Diagnostics, text: &Text, loc: &Loc, what: &str| {
        if let Some(shown) = text.missing(lang) {
            out.push(
                Diagnostic::warning(
                    loc.clone(),
                    format!("{what} has no `{lang}` text; the `{shown}` text is shown"),
                )
                .hint(format!("add `{lang}: \"…\"` beside `{shown}:`")),
            );
        }
    };
    let meta = Loc::file("content/report.yaml");
    warn(&mut out, &report.meta.title, &meta, "the report's title");
    warn(&mut out, &report.meta.subtitle, &meta, "the report's subtitle");
    for s in &report.meta.sources {
        for (t, what) in [
            (&s.publisher, "publisher"),
            (&s.short, "short"),
            (&s.title, "title"),
            (&s.date, "date"),
            (&s.note, "note"),
        ] {
            warn(&mut out, t, &s.loc, &format!("the source `{}`'s {what}", s.id));
        }
    }
    for s in &report.sections {
        if s.edition(lang).file == s.file {
            out.push(
                Diagnostic::warning(Loc::file(&s.file), format!("this section has no `{lang}` translation")).hint(
                    format!("add `{}` beside it", s.file.replace(".md", &format!(".{lang}.md"))),
                ),
            );
        }
    }
    for d in &report.datasets {
        let at = Loc::file(&d.file);
        warn(&mut out, &d.title, &at, &format!("the dataset `{}`'s title", d.id));
        warn(&mut out, &d.scope, &at, &format!("the dataset `{}`'s scope", d.id));
        warn(
            &mut out,
            &d.source.note,
            &at,
            &format!("the dataset `{}`'s source note", d.id),
        );
        for f in &d.fields {
            warn(&mut out, &f.label, &f.loc, &format!("the label of field `{}`", f.key));
        }
        for i in 0..d.rows.len() {
            // A row without a label shows its key, which needs no translation.
            if let Some(label) = d.rows.label(i) {
                warn(
                    &mut out,
                    label,
                    &d.loc(d.rows.at(i)),
                    &format!("the label of row `{}`", d.key(i)),
                );
            }
            for c in d.cells(i) {
                let k = &d.fields[c.field()].key;
                if let Some(note) = d.table.note(c) {
                    warn(&mut out, note, &d.loc(c.at), &format!("the note on `{}.{k}`", d.key(i)));
                }
            }
        }
        for x in &d.derived {
            warn(&mut out, &x.label, &x.loc, &format!("the label of `{}`", x.name));
        }
        for c in &d.checks {
            warn(&mut out, &c.label, &c.loc, &format!("the label of check `{}`", c.id));
        }
    }
    out
}
