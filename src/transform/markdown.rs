//! The Markdown pass: a section's pulldown-cmark events, rewritten.
//!
//! Figure blocks become placeholders for the renderer, headings get readable
//! unique ids and anchor links, footnotes get ids namespaced by section (so
//! two sections' `[^1]` never collide), and text runs get their bindings and
//! cross-references. Everything else passes through to pulldown's HTML writer.

use super::inline::{self, Inline};
use super::{Piece, Refs};
use crate::diag::{Diagnostic, Loc};
use crate::model::Section;
use crate::text::{IdSet, Lang};
use crate::values::Values;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// The Markdown extensions quire enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The info strings that make a fenced block a figure.
pub const FIGURE_BLOCKS: [&str; 3] = ["chart", "table", "stats"];

/// A fenced figure block found in a section.
pub struct Block {
    /// `chart`, `table` or `stats`.
    pub kind: String,
    /// The YAML body.
    pub body: String,
    /// Line of the file the body starts on, minus one.
    pub line_offset: usize,
}

/// Lists a section's figure blocks in order, for numbering before any prose
/// is rendered (so `@fig:` can point forward).
pub fn blocks(section: &Section) -> Vec<Block> {
    let mut out = Vec::new();
    let mut cur: Option<Block> = None;
    for (ev, range) in Parser::new_ext(&section.body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if FIGURE_BLOCKS.contains(&info.trim()) => {
                let first_line = section.body[range.start..]
                    .find('\n')
                    .map_or(range.end, |n| range.start + n + 1);
                let line_offset = section.body_line_offset + section.body[..first_line].matches('\n').count();
                cur = Some(Block {
                    kind: info.trim().to_string(),
                    body: String::new(),
                    line_offset,
                });
            }
            Event::Text(t) if cur.is_some() => cur.as_mut().map_or((), |b| b.body.push_str(&t)),
            Event::End(TagEnd::CodeBlock) => out.extend(cur.take()),
            _ => {}
        }
    }
    out
}

/// What rendering a section's prose found out, beyond its HTML.
#[derive(Default)]
pub struct Findings {
    /// Claims made, with where: (check name, location).
    pub claims: Vec<(String, Loc)>,
    /// Values bound in prose (fully qualified names).
    pub bound: Vec<String>,
    /// The same, with where each is bound.
    pub bound_at: Vec<(String, Loc)>,
    /// Figure keys referenced.
    pub referenced: Vec<String>,
    /// Internal links `#id` with where they are.
    pub links: Vec<(String, Loc)>,
    /// Warnings, e.g. typed numbers that match a dataset value.
    pub warnings: Vec<Diagnostic>,
}

/// Everything the pass reads.
pub struct Pass<'a> {
    /// Values for bindings.
    pub values: &'a Values,
    /// Figures, tables and sections by reference.
    pub refs: &'a Refs<'a>,
    /// The source line of each dataset, for bound values' titles.
    pub source_of: &'a dyn Fn(&str) -> String,
    /// The edition's language.
    pub lang: Lang,
    /// Its interface words.
    pub ui: &'a crate::i18n::Catalogue,
}

/// Renders `section` into pieces; `first_figure` is the index of its first
/// figure block in the document's figure list.
pub fn render(
    pass: &Pass,
    section: &Section,
    first_figure: usize,
    ids: &mut IdSet,
    found: &mut Findings,
) -> Result<Vec<Piece>, Diagnostic> {
    let loc_at = |offset: usize| offset_loc(section, offset);
    let events = merged(
        Parser::new_ext(&section.body, options())
            .into_offset_iter()
            .map(|(ev, r)| escaped_brace(&section.body, ev, r)),
    );
    let mut pieces = Vec::new();
    // Code is shown as written: nothing inside it is a binding or reference.
    let mut in_code = false;
    let mut html_events: Vec<Event> = Vec::new();
    let mut footnotes: Vec<(String, Vec<Event>)> = Vec::new();
    let mut fn_order: Vec<String> = Vec::new();
    let mut in_footnote: Option<(String, Vec<Event>)> = None;
    let mut next_figure = first_figure;
    let mut skip_block = false;
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    // `--` never comes out of a heading's slug, so these cannot collide with headings.
    let fn_id = |label: &str| format!("{}--fn-{}", section.id, crate::text::slug(label));

    for (ev, range) in events {
        if skip_block {
            if matches!(ev, Event::End(TagEnd::CodeBlock)) {
                skip_block = false;
            }
            continue;
        }
        let produced: Vec<Event> = match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) if FIGURE_BLOCKS.contains(&info.trim()) => {
                flush(&mut html_events, &mut pieces);
                pieces.push(Piece::Figure(next_figure));
                next_figure += 1;
                skip_block = true;
                continue;
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), Vec::new(), String::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, given, inner, plain)) = heading.take() else {
                    continue;
                };
                let id = match given {
                    Some(g) if !ids.reserve(&g) => {
                        return Err(Diagnostic::error(
                            loc_at(range.start),
                            format!("the heading id `{g}` is used twice on this page"),
                        )
                        .hint("give one of the headings another `{#id}`"));
                    }
                    Some(g) => g,
                    None => ids.unique(&plain, &format!("{}-heading", section.id)),
                };
                // Section titles are h2; a section's own headings sit below them.
                let n = (level as usize + 1).min(6);
                let mut evs = vec![Event::Html(
                    format!("<h{n} id=\"{}\">", html_escape::encode_double_quoted_attribute(&id)).into(),
                )];
                evs.extend(inner);
                evs.push(Event::Html(
                    format!(
                        " <a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\">#</a></h{n}>\n",
                        html_escape::encode_double_quoted_attribute(&id)
                    )
                    .into(),
                ));
                evs
            }
            Event::FootnoteReference(label) => {
                let id = fn_id(&label);
                if !fn_order.contains(&label.to_string()) {
                    fn_order.push(label.to_string());
                }
                let n = fn_order.iter().position(|l| *l == *label).unwrap_or(0) + 1;
                vec![Event::InlineHtml(
                    format!("<sup class=\"fn-ref\" id=\"{id}-ref\"><a href=\"#{id}\">{n}</a></sup>").into(),
                )]
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote = Some((label.to_string(), Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(f) = in_footnote.take() {
                    footnotes.push(f);
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                vec![ev]
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                vec![ev]
            }
            Event::Text(t) if in_code => vec![Event::Text(unescape_brace(&t).into())],
            Event::Text(t) => text_events(pass, section, &t, &range, found)?,
            Event::Start(Tag::Link { ref dest_url, .. }) => {
                if let Some(anchor) = dest_url.strip_prefix('#') {
                    found.links.push((anchor.to_string(), loc_at(range.start)));
                }
                vec![ev]
            }
            other => vec![other],
        };
        if let Some((_, _, inner, plain)) = heading.as_mut() {
            for e in &produced {
                if let Event::Text(t) | Event::Code(t) = e {
                    plain.push_str(t);
                }
            }
            inner.extend(produced);
        } else if let Some((_, buf)) = in_footnote.as_mut() {
            buf.extend(produced);
        } else {
            html_events.extend(produced);
        }
    }
    flush(&mut html_events, &mut pieces);
    if !fn_order.is_empty() || !footnotes.is_empty() {
        let mut html = String::from("<section class=\"footnotes\"><ol>\n");
        for label in &fn_order {
            let Some((_, evs)) = footnotes.iter().find(|(l, _)| l == label) else {
                let at = section
                    .body
                    .find(&format!("[^{label}]"))
                    .map_or(Loc::file(&section.file), loc_at);
                return Err(
                    Diagnostic::error(at, format!("footnote `[^{label}]` has no definition"))
                        .hint(format!("add a line `[^{label}]: …` to the section")),
                );
            };
            let id = fn_id(label);
            html.push_str(&format!("<li id=\"{id}\">"));
            pulldown_cmark::html::push_html(&mut html, evs.clone().into_iter());
            html.push_str(&format!(
                " <a class=\"fn-back\" href=\"#{id}-ref\" aria-label=\"{}\">↩</a></li>\n",
                html_escape::encode_double_quoted_attribute(pass.ui.word("back_to_text"))
            ));
        }
        html.push_str("</ol></section>\n");
        pieces.push(Piece::Html(html));
    }
    Ok(pieces)
}

fn flush(events: &mut Vec<Event>, pieces: &mut Vec<Piece>) {
    if events.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.drain(..));
    pieces.push(Piece::Html(html));
}

/// Joins adjacent text events (pulldown splits runs at `[`, `*` and the like)
/// so a `{{binding}}` is always seen whole.
fn merged<'a>(it: impl Iterator<Item = (Event<'a>, Range<usize>)>) -> Vec<(Event<'a>, Range<usize>)> {
    let mut out: Vec<(Event<'a>, Range<usize>)> = Vec::new();
    for (ev, range) in it {
        if let (Event::Text(t), Some((Event::Text(prev), prange))) = (&ev, out.last_mut()) {
            let mut s = prev.to_string();
            s.push_str(t);
            *prev = CowStr::from(s);
            prange.end = range.end;
            continue;
        }
        out.push((ev, range));
    }
    out
}

/// Stands in for a `{` the author escaped as `\{`, so `\{{` is never read
/// as the start of a binding; [`unescape_brace`] turns it back into `{`.
const ESCAPED_BRACE: char = '\u{E000}';

/// Marks a backslash-escaped `{`: pulldown drops the backslash and starts
/// the next text run at the brace.
fn escaped_brace<'a>(body: &str, ev: Event<'a>, r: Range<usize>) -> (Event<'a>, Range<usize>) {
    match ev {
        Event::Text(ref t) if t.starts_with('{') && r.start > 0 && body.as_bytes()[r.start - 1] == b'\\' => {
            (Event::Text(format!("{ESCAPED_BRACE}{}", &t[1..]).into()), r)
        }
        other => (other, r),
    }
}

/// The text with escaped braces written as `{` again.
fn unescape_brace(s: &str) -> String {
    s.replace(ESCAPED_BRACE, "{")
}

/// The file location of a byte offset into the section body.
pub fn offset_loc(section: &Section, offset: usize) -> Loc {
    let before = &section.body[..offset.min(section.body.len())];
    let line = section.body_line_offset + before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Loc::new(&section.file, line, col)
}

/// Where the text at `offset` of a run is in the author's file. The run may
/// differ from the source (entities, escapes), so count which occurrence of
/// `needle` the text has reached and find the same occurrence in the source.
fn loc_in_run(section: &Section, range: &Range<usize>, run: &str, offset: usize, needle: &str) -> Loc {
    let k = run[..offset.min(run.len())].matches(needle).count();
    let src = &section.body[range.clone()];
    let at = src
        .match_indices(needle)
        .nth(k)
        .map_or(range.start, |(i, _)| range.start + i);
    offset_loc(section, at)
}

fn text_events<'a>(
    pass: &Pass,
    section: &Section,
    t: &str,
    range: &Range<usize>,
    found: &mut Findings,
) -> Result<Vec<Event<'a>>, Diagnostic> {
    let mut out = Vec::new();
    for part in inline::split(t) {
        match part {
            Inline::Text(s) => {
                let base = s.as_ptr() as usize - t.as_ptr() as usize;
                // pulldown-cmark leaves a reference to an undefined footnote as text.
                if let Some(i) = s.find("[^").filter(|&i| {
                    s[i..]
                        .find(']')
                        .is_some_and(|e| e > 2 && !s[i + 2..i + e].contains(' '))
                }) {
                    let e = s[i..].find(']').unwrap_or(2);
                    let label = &s[i + 2..i + e];
                    return Err(Diagnostic::error(
                        loc_in_run(section, range, t, base + i, "[^"),
                        format!("footnote `[^{label}]` has no definition"),
                    )
                    .hint(format!(
                        "add a line `[^{label}]: …` to the section, or remove the reference"
                    )));
                }
                found.warnings.extend(typed_numbers(pass, section, range, t, base, s));
                out.push(Event::Text(unescape_brace(s).into()));
            }
            Inline::Unclosed(at) => {
                return Err(
                    Diagnostic::error(loc_in_run(section, range, t, at, "{{"), "`{{` is not closed")
                        .hint("end the binding with `}}`, e.g. `{{capex.us.usd}}`"),
                );
            }
            Inline::Value(text, at) => {
                let base = text.as_ptr() as usize - t.as_ptr() as usize;
                let r = inline::render_binding(text, pass.values, pass.refs.report, pass.source_of, pass.lang, pass.ui)
                    .map_err(|e| {
                        let loc = match text.get(e.at..e.at + e.len).filter(|n| !n.is_empty()) {
                            Some(needle) => loc_in_run(section, range, t, base + e.at, needle),
                            None => loc_in_run(section, range, t, at, "{{"),
                        };
                        Diagnostic::error(loc, e.message).hint(e.hint)
                    })?;
                let loc = loc_in_run(section, range, t, at, "{{");
                found.bound_at.extend(r.names.iter().map(|n| (n.clone(), loc.clone())));
                found.bound.extend(r.names);
                out.push(Event::InlineHtml(r.html.into()));
            }
            Inline::Claim(name, words, at) => {
                let loc = loc_in_run(section, range, t, at, "{{");
                let check = pass.values.check(name).ok_or_else(|| {
                    let names = pass.values.checks.iter().map(|c| c.name.as_str());
                    let hint = crate::text::closest(name, names)
                        .map_or("declare it under `checks:` in the dataset".to_string(), |c| {
                            format!("did you mean `{c}`?")
                        });
                    Diagnostic::error(loc.clone(), format!("unknown check `{name}`")).hint(hint)
                })?;
                if words.is_empty() {
                    return Err(Diagnostic::error(loc, "a claim needs its words")
                        .hint(format!("write `{{{{claim {name}: the words the text asserts}}}}`")));
                }
                found.claims.push((name.to_string(), loc));
                let label = check.label.get(pass.lang);
                let title = if label.is_empty() {
                    pass.ui.fill("checked_against_data", &[("expr", &check.expr)])
                } else {
                    pass.ui
                        .fill("checked_claim", &[("label", label), ("expr", &check.expr)])
                };
                out.push(Event::InlineHtml(
                    format!(
                        "<span class=\"claim\" data-check=\"{}\" title=\"{}\">{}</span>",
                        html_escape::encode_double_quoted_attribute(name),
                        html_escape::encode_double_quoted_attribute(&title),
                        html_escape::encode_text(words)
                    )
                    .into(),
                ));
            }
            Inline::Ref(kind, id, at) => {
                let loc = loc_in_run(section, range, t, at, &format!("@{kind}:"));
                let (href, label) = pass.refs.resolve(kind, id).ok_or_else(|| {
                    let hint = pass
                        .refs
                        .closest(kind, id)
                        .map_or(format!("no {kind} has the id `{id}`"), |c| {
                            format!("did you mean `@{kind}:{c}`?")
                        });
                    Diagnostic::error(loc, format!("unknown reference `@{kind}:{id}`")).hint(hint)
                })?;
                found.referenced.push(format!("{kind}:{id}"));
                out.push(Event::InlineHtml(
                    format!(
                        "<a class=\"xref\" href=\"#{href}\">{}</a>",
                        html_escape::encode_text(&label)
                    )
                    .into(),
                ));
            }
        }
    }
    Ok(out)
}

/// Numbers typed in prose that equal a dataset value as it would be shown:
/// probably a value that should be bound, and would drift if the data changed.
fn typed_numbers(
    pass: &Pass,
    section: &Section,
    range: &Range<usize>,
    run: &str,
    base: usize,
    s: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let prev_ok = i == 0 || !(chars[i - 1].1.is_alphanumeric() || chars[i - 1].1 == '.' || chars[i - 1].1 == '-');
        if !c.is_ascii_digit() || !prev_ok {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len()
            && (chars[j].1.is_ascii_digit()
                || chars[j].1 == ','
                || (chars[j].1 == '.' && chars.get(j + 1).is_some_and(|n| n.1.is_ascii_digit())))
        {
            j += 1;
        }
        let end = chars.get(j).map_or(s.len(), |c| c.0);
        let word = s[start..end].trim_end_matches(',');
        i = j;
        // `100-metre`, years and list numbers are not data.
        if chars.get(j).is_some_and(|c| c.1 == '-') {
            continue;
        }
        let Ok(n) = word.replace(',', "").parse::<f64>() else {
            continue;
        };
        if word.len() == 4 && (1900.0..=2100.0).contains(&n) {
            continue;
        }
        let hit = pass.values.iter().find(|(_, v)| {
            let shown = v.q.value / v.unit.factor();
            (crate::units::number(shown, v.digits, false).parse::<f64>().ok() == Some(n)) && n != 0.0
        });
        if let Some((name, _)) = hit {
            out.push(
                Diagnostic::warning(
                    loc_in_run(section, range, run, base + start, word),
                    format!("the number {word} is typed, and equals the value `{name}`"),
                )
                .hint(format!(
                    "bind this to {name}? write `{{{{{name}}}}}` so it cannot drift from the data"
                )),
            );
        }
    }
    out
}
