//! The Markdown pass: a section's pulldown-cmark events, rewritten.
//!
//! Figure blocks become placeholders for the renderer, headings get readable
//! unique ids and anchor links, footnotes get ids namespaced by section (so
//! two sections' `[^1]` never collide), and text runs get their bindings and
//! cross-references. Link and image addresses pass the scheme allow-list of
//! [`crate::url`]; raw HTML is kept or cleaned as `report.yaml`'s `html:`
//! policy says. Everything else passes through to pulldown's HTML writer.

use super::inline::{self, Inline};
use super::{Piece, Refs, WrittenLink};
use crate::diag::{Diagnostic, Loc};
use crate::model::HtmlPolicy;
use crate::model::Section;
use crate::text::{IdSet, Lang, slug};
use crate::url::{UrlUse, safe_url};
use crate::values::Values;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use std::cell::Cell;
use std::collections::BTreeMap;
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
    if !may_hold_figure(&section.body) {
        return out;
    }
    let mut cur: Option<Block> = None;
    let at = Locator::new(section);
    for (ev, range) in Parser::new_ext(&section.body, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if FIGURE_BLOCKS.contains(&info.trim()) => {
                let first_line = section.body[range.start..]
                    .find('\n')
                    .map_or(range.end, |n| range.start + n + 1);
                let line_offset = at.loc(first_line).line - 1;
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

/// Whether some line of `body` could open a figure block: a fence (three
/// or more backticks or tildes) whose info string starts with a figure
/// kind. Most pages of a site have none, and are then not parsed again.
fn may_hold_figure(body: &str) -> bool {
    [('`', "```"), ('~', "~~~")].iter().any(|&(c, fence)| {
        // Each fence character is found with `memchr` (a page has few; a
        // search for the three-character fence would read every byte).
        body.match_indices(c).any(|(i, _)| {
            // Each run of fence characters is read once, from its start:
            // linear even in a line of nothing else.
            if body[..i].ends_with(c) || !body[i..].starts_with(fence) {
                return false;
            }
            // Any white space: a block's kind is its info string trimmed.
            let info = body[i..].trim_start_matches(c).trim_start();
            FIGURE_BLOCKS.iter().any(|k| info.starts_with(k))
        })
    })
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
    /// Every link and image as written, in order (the site checks them).
    pub written: Vec<WrittenLink>,
    /// Warnings, e.g. typed numbers that match a dataset value.
    pub warnings: Vec<Diagnostic>,
}

impl Findings {
    /// Adds what a later section found.
    pub fn append(&mut self, mut other: Findings) {
        self.claims.append(&mut other.claims);
        self.bound.append(&mut other.bound);
        self.bound_at.append(&mut other.bound_at);
        self.referenced.append(&mut other.referenced);
        self.links.append(&mut other.links);
        self.warnings.append(&mut other.warnings);
    }
}

/// Everything the pass reads.
pub struct Pass<'a> {
    /// Values for bindings.
    pub values: &'a Values,
    /// Figures, tables and sections by reference.
    pub refs: &'a Refs<'a>,
    /// The source line of each dataset, for bound values' titles.
    pub source_of: &'a (dyn Fn(&str) -> String + Sync),
    /// The edition's language.
    pub lang: Lang,
    /// Its interface words.
    pub ui: &'a crate::i18n::Catalogue,
}

/// A link's or image's address as written, located at the address itself
/// rather than at the link text.
fn written_link(
    section: &Section,
    range: &std::ops::Range<usize>,
    url: &str,
    image: bool,
    at: &Locator,
) -> WrittenLink {
    let src = &section.body[range.clone()];
    let start = src.rfind(url).map_or(range.start, |i| range.start + i);
    WrittenLink {
        url: url.to_string(),
        loc: at.loc(start),
        image,
    }
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
    let at = Locator::new(section);
    let loc_at = |offset: usize| at.loc(offset);
    let policy = pass.refs.report.meta.html;
    let mut events = Merged::new(
        Parser::new_ext(&section.body, options())
            .into_offset_iter()
            .map(|(ev, r)| escaped_brace(&section.body, ev, r)),
    );
    let mut pieces = Vec::new();
    // Code is shown as written: nothing inside it is a binding or reference.
    let mut in_code = false;
    // Inside raw `<code>`, `<pre>`, `<kbd>` or `<samp>` tags written in prose.
    let mut html_code = 0usize;
    let mut html_events: Vec<Event> = Vec::new();
    // Footnotes by label: definitions, and each referenced one's number and ids.
    let mut definitions: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    let mut numbered: BTreeMap<String, Footnote> = BTreeMap::new();
    let mut fn_order: Vec<String> = Vec::new();
    let mut in_footnote: Option<(String, Vec<Event>)> = None;
    let mut raw_block: Option<String> = None;
    let mut next_figure = first_figure;
    let mut skip_block = false;
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>, String)> = None;
    // What each event becomes, in one buffer for the whole section: most
    // events become one event, and a fresh `Vec` each would cost a page
    // hundreds of allocations.
    let mut produced: Vec<Event> = Vec::new();

    while let Some((ev, range)) = events.next() {
        if skip_block {
            if matches!(ev, Event::End(TagEnd::CodeBlock)) {
                skip_block = false;
            }
            continue;
        }
        if let Event::InlineHtml(h) = &ev {
            html_code = html_code_depth(html_code, h);
        }
        match ev {
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
                let id = html_escape::encode_double_quoted_attribute(&id);
                // Section titles are h2; a section's own headings sit below them.
                let n = (level as usize + 1).min(6);
                produced.push(Event::Html(format!("<h{n} id=\"{id}\">").into()));
                produced.extend(inner);
                produced.push(Event::Html(
                    format!(" <a class=\"anchor\" href=\"#{id}\" aria-hidden=\"true\">#</a></h{n}>\n").into(),
                ));
            }
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let f = match numbered.get_mut(&label) {
                    Some(f) => {
                        f.refs += 1;
                        f
                    }
                    None => {
                        // Ids come from the page's IdSet, so `[^a-b]` and `[^a_b]`
                        // (one slug) still get two ids, and none can clash with a heading.
                        // `--` never comes out of a heading's slug, so these stay apart from headings.
                        let id = ids.unique_from(&format!("{}--fn-{}", slug(&section.id), slug(&label)));
                        let back = ids.unique_from(&format!("{id}-ref"));
                        fn_order.push(label.clone());
                        numbered.entry(label.clone()).or_insert(Footnote {
                            number: fn_order.len(),
                            id,
                            back,
                            refs: 1,
                        })
                    }
                };
                // Only the first reference carries the id the back link points to.
                let ref_id = if f.refs == 1 {
                    f.back.clone()
                } else {
                    ids.unique_from(&format!("{}-{}", f.back, f.refs))
                };
                produced.push(Event::InlineHtml(
                    format!(
                        "<sup class=\"fn-ref\" id=\"{}\"><a href=\"#{}\">{}</a></sup>",
                        html_escape::encode_double_quoted_attribute(&ref_id),
                        html_escape::encode_double_quoted_attribute(&f.id),
                        f.number
                    )
                    .into(),
                ));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote = Some((label.to_string(), Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, evs)) = in_footnote.take() {
                    definitions.entry(label).or_insert(evs);
                }
                continue;
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                produced.push(ev);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                produced.push(ev);
            }
            Event::Text(t) if in_code || html_code > 0 => produced.push(Event::Text(unescape_brace_cow(t))),
            Event::Text(t) => {
                // Text that is the page's own (most is) is handed on as
                // slices of the page, not copied.
                let source = match &t {
                    CowStr::Borrowed(b) => Some(*b),
                    _ => None,
                };
                let run = Run {
                    text: &t,
                    segs: &events.segments,
                    at: &at,
                };
                text_events(pass, &run, source, found, &mut produced)?;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some(anchor) = dest_url.strip_prefix('#') {
                    found.links.push((anchor.to_string(), loc_at(range.start)));
                }
                // `<help@example.org>` is rendered as a `mailto:` link.
                if link_type != LinkType::Email {
                    found.written.push(written_link(section, &range, &dest_url, false, &at));
                }
                let dest_url = checked_url(&dest_url, UrlUse::Link, loc_at(range.start), found);
                produced.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                found.written.push(written_link(section, &range, &dest_url, true, &at));
                let dest_url = checked_url(&dest_url, UrlUse::Image, loc_at(range.start), found);
                produced.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            // Raw HTML: kept as written when trusted; otherwise a whole block
            // is cleaned at once, and inline tags one by one.
            Event::Start(Tag::HtmlBlock) if policy == HtmlPolicy::Sanitize => {
                raw_block = Some(String::new());
                continue;
            }
            Event::Html(h) if raw_block.is_some() => {
                if let Some(b) = raw_block.as_mut() {
                    b.push_str(&h);
                }
                continue;
            }
            Event::End(TagEnd::HtmlBlock) if raw_block.is_some() => {
                let block = raw_block.take().unwrap_or_default();
                produced.push(Event::Html(ammonia::clean(&block).into()));
            }
            Event::InlineHtml(h) if policy == HtmlPolicy::Sanitize => {
                produced.push(Event::InlineHtml(sanitize_inline(&h).into()));
            }
            other => produced.push(other),
        }
        if let Some((_, _, inner, plain)) = heading.as_mut() {
            for e in &produced {
                if let Event::Text(t) | Event::Code(t) = e {
                    plain.push_str(t);
                }
            }
            inner.append(&mut produced);
        } else if let Some((_, buf)) = in_footnote.as_mut() {
            buf.append(&mut produced);
        } else {
            html_events.append(&mut produced);
        }
    }
    flush(&mut html_events, &mut pieces);
    if !fn_order.is_empty() {
        let mut html = String::from("<section class=\"footnotes\"><ol>\n");
        for label in &fn_order {
            let Some(evs) = definitions.remove(label) else {
                let at = section
                    .body
                    .find(&format!("[^{label}]"))
                    .map_or(Loc::file(&section.file), loc_at);
                return Err(
                    Diagnostic::error(at, format!("footnote `[^{label}]` has no definition"))
                        .hint(format!("add a line `[^{label}]: …` to the section")),
                );
            };
            let Some(f) = numbered.get(label) else { continue };
            html.push_str(&format!(
                "<li id=\"{}\">",
                html_escape::encode_double_quoted_attribute(&f.id)
            ));
            pulldown_cmark::html::push_html(&mut html, evs.into_iter());
            html.push_str(&format!(
                " <a class=\"fn-back\" href=\"#{}\" aria-label=\"{}\">↩</a></li>\n",
                html_escape::encode_double_quoted_attribute(&f.back),
                html_escape::encode_double_quoted_attribute(pass.ui.word("back_to_text"))
            ));
        }
        html.push_str("</ol></section>\n");
        pieces.push(Piece::Html(html));
    }
    Ok(pieces)
}

/// A referenced footnote: its number, its id, the id of its first
/// reference (where the back link goes), and how often it is referenced.
struct Footnote {
    number: usize,
    id: String,
    back: String,
    refs: usize,
}

/// A Markdown link or image address, or `#` (a link) / nothing (an image)
/// with a warning when its scheme is not on the allow-list. Raw HTML aside,
/// this holds in every policy: a `javascript:` link never becomes live.
fn checked_url<'a>(dest: &str, usage: UrlUse, loc: Loc, found: &mut Findings) -> CowStr<'a> {
    match safe_url(dest, usage) {
        Some(u) => u.into(),
        None => {
            found.warnings.push(
                Diagnostic::warning(
                    loc,
                    "this link's address uses a scheme that is not allowed; it was removed",
                )
                .hint("link to an http, https or mailto address, or a relative one"),
            );
            if usage == UrlUse::Link { "#".into() } else { "".into() }
        }
    }
}

/// One inline raw HTML fragment, cleaned: a bare tag ammonia allows (`<b>`,
/// `</sup>`, `<br/>`) is kept so inline formatting still works; anything else
/// goes through `ammonia::clean`, which drops scripts, handlers and unsafe tags.
fn sanitize_inline(h: &str) -> String {
    let inner = h.trim().trim_start_matches('<').trim_end_matches('>');
    let name = inner.trim_start_matches('/').trim_end_matches('/').trim();
    let bare = h.trim().starts_with('<')
        && h.trim().ends_with('>')
        && !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric());
    if bare
        && ammonia::Builder::default()
            .clone_tags()
            .contains(name.to_ascii_lowercase().as_str())
    {
        format!("<{}>", inner.to_ascii_lowercase())
    } else {
        ammonia::clean(h)
    }
}

fn flush(events: &mut Vec<Event>, pieces: &mut Vec<Piece>) {
    if events.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.drain(..));
    pieces.push(Piece::Html(html));
}

/// Where a piece of a merged text run comes from: (offset in the run,
/// source range), one per original text event.
type Segment = (usize, Range<usize>);

/// Joins adjacent text events (pulldown splits runs at `[`, `*` and the like)
/// so a `{{binding}}` is always seen whole. Linear: each piece is copied once,
/// and a run of one piece (most are) not at all. Events stream through
/// (a page's are never all held at once); after a text event, `segments`
/// holds its pieces.
struct Merged<'a, I> {
    events: I,
    /// The event after the last text run, given out next.
    pending: Option<(Event<'a>, Range<usize>)>,
    /// The pieces of the text run given out last.
    segments: Vec<Segment>,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Merged<'a, I> {
    fn new(events: I) -> Self {
        Merged {
            events,
            pending: None,
            segments: Vec::new(),
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Merged<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        let (first, mut whole) = match self.pending.take().or_else(|| self.events.next())? {
            (Event::Text(t), r) => (t, r),
            other => return Some(other),
        };
        self.segments.clear();
        self.segments.push((0, whole.clone()));
        // Copied only when a second piece comes.
        let mut joined: Option<String> = None;
        for (ev, range) in self.events.by_ref() {
            let Event::Text(t) = ev else {
                self.pending = Some((ev, range));
                break;
            };
            let text = joined.get_or_insert_with(|| first.to_string());
            self.segments.push((text.len(), range.clone()));
            text.push_str(&t);
            whole.end = range.end;
        }
        Some((Event::Text(joined.map_or(first, CowStr::from)), whole))
    }
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
    if has_escaped_brace(s) {
        s.replace(ESCAPED_BRACE, "{")
    } else {
        s.to_string()
    }
}

/// [`unescape_brace`] for text that is already an event's: kept as it is
/// (not copied) when it holds no escaped brace, as nearly all text does.
fn unescape_brace_cow(t: CowStr<'_>) -> CowStr<'_> {
    if has_escaped_brace(&t) {
        unescape_brace(&t).into()
    } else {
        t
    }
}

/// Whether `s` holds an [`ESCAPED_BRACE`]: its UTF-8 form starts with the
/// byte 0xEE, looked for first, byte by byte (a `char` search decodes every
/// character, and this runs for every text of every page).
fn has_escaped_brace(s: &str) -> bool {
    let lead = ESCAPED_BRACE.encode_utf8(&mut [0; 4]).as_bytes()[0];
    s.as_bytes().contains(&lead) && s.contains(ESCAPED_BRACE)
}

/// Turns byte offsets of a section body into file locations. Lines are
/// found by binary search; columns are counted from the previous answer when
/// it is on the same line, so the in-order queries of a pass cost linear time
/// in total even on one very long line.
pub struct Locator<'a> {
    section: &'a Section,
    line_starts: Vec<usize>,
    /// For each splice, the newlines it added to the body, summed over it
    /// and every splice before it.
    added: Vec<usize>,
    /// The last answer: (byte offset, line index, column).
    last: Cell<(usize, usize, usize)>,
}

impl<'a> Locator<'a> {
    /// Indexes `section`'s body.
    pub fn new(section: &'a Section) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(section.body.match_indices('\n').map(|(i, _)| i + 1));
        let added = section
            .splices
            .iter()
            .scan(0, |sum, sp| {
                *sum += sp.lines.len().saturating_sub(1).saturating_sub(sp.directive_newlines);
                Some(*sum)
            })
            .collect();
        Locator {
            section,
            line_starts,
            added,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// The file location of byte `offset` of the body: in the included
    /// file when `{{#include}}` brought that text in.
    pub fn loc(&self, offset: usize) -> Loc {
        let body = &self.section.body;
        let mut offset = offset.min(body.len());
        while !body.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_of = |at: usize| self.line_starts.partition_point(|&s| s <= at) - 1;
        let line = line_of(offset);
        let (last_off, last_line, last_col) = self.last.get();
        let col = if last_line == line && last_off <= offset {
            last_col + body[last_off..offset].chars().count()
        } else {
            body[self.line_starts[line]..offset].chars().count() + 1
        };
        self.last.set((offset, line, col));
        // Splices before `offset`: the last one may hold it.
        let before = self.section.splices.partition_point(|sp| sp.range.start <= offset);
        if let Some(sp) = before.checked_sub(1).map(|i| &self.section.splices[i])
            && offset < sp.range.end
        {
            let k = line - line_of(sp.range.start);
            let col = if k == 0 {
                body[sp.range.start..offset].chars().count() + 1
            } else {
                col
            };
            let (file, l) = &sp.lines[k.min(sp.lines.len() - 1)];
            return Loc::new(&**file, *l as usize + 1, col);
        }
        let added = before.checked_sub(1).map_or(0, |i| self.added[i]);
        Loc::new(
            &self.section.file,
            self.section.body_line_offset + line - added + 1,
            col,
        )
    }
}

/// How deeply raw code tags nest after the inline HTML tag `h`: text in
/// `<code>…</code>` written as HTML is code too, shown as written.
fn html_code_depth(depth: usize, h: &str) -> usize {
    let h = h.trim();
    let (closing, rest) = match h.strip_prefix("</") {
        Some(r) => (true, r),
        None => match h.strip_prefix('<') {
            Some(r) => (false, r),
            None => return depth,
        },
    };
    // Compared in place: this runs for every inline tag of every page.
    let names_code = ["code", "pre", "kbd", "samp"].iter().any(|n| {
        rest.get(..n.len()).is_some_and(|p| p.eq_ignore_ascii_case(n))
            && rest[n.len()..].starts_with(|c: char| c == '>' || c.is_whitespace())
    });
    match (names_code, closing) {
        (false, _) => depth,
        (true, true) => depth.saturating_sub(1),
        (true, false) if h.ends_with("/>") => depth,
        (true, false) => depth + 1,
    }
}

/// A merged text run with the map back to its source.
struct Run<'r> {
    text: &'r str,
    /// Its pieces, in order.
    segs: &'r [Segment],
    at: &'r Locator<'r>,
}

impl Run<'_> {
    /// Where the text at `offset` of the run is in the author's file: in the
    /// piece that holds it, at the same distance from the piece's start when
    /// the piece is the source verbatim, else (an entity or an escape) at its
    /// start. Whether a piece is verbatim is asked only here: locations are
    /// needed for diagnostics and bindings, not for every run.
    fn loc(&self, offset: usize) -> Loc {
        let i = self.segs.partition_point(|(o, _)| *o <= offset).saturating_sub(1);
        let Some((start, src)) = self.segs.get(i) else {
            return self.at.loc(0);
        };
        let end = self.segs.get(i + 1).map_or(self.text.len(), |(o, _)| *o);
        if self.at.section.body.get(src.clone()) == self.text.get(*start..end) {
            self.at.loc(src.start + (offset - start))
        } else {
            self.at.loc(src.start)
        }
    }
}

/// Pushes the events of a merged text run onto `out`: its plain text,
/// bindings, claims and references. `source` is the run's text again when
/// it lives as long as the events (a slice of the page): plain text is then
/// a slice of it.
fn text_events<'a>(
    pass: &Pass,
    run: &Run,
    source: Option<&'a str>,
    found: &mut Findings,
    out: &mut Vec<Event<'a>>,
) -> Result<(), Diagnostic> {
    let t = run.text;
    for part in inline::split(t) {
        match part {
            Inline::Text(s) => {
                let base = s.as_ptr() as usize - t.as_ptr() as usize;
                // pulldown-cmark leaves a reference to an undefined footnote as text.
                if let Some(i) = find_footnote_open(s).filter(|&i| {
                    s[i..]
                        .find(']')
                        .is_some_and(|e| e > 2 && !s[i + 2..i + e].contains(' '))
                }) {
                    let e = s[i..].find(']').unwrap_or(2);
                    let label = &s[i + 2..i + e];
                    return Err(Diagnostic::error(
                        run.loc(base + i),
                        format!("footnote `[^{label}]` has no definition"),
                    )
                    .hint(format!(
                        "add a line `[^{label}]: …` to the section, or remove the reference"
                    )));
                }
                let typed = typed_numbers(pass, run, base, s);
                found.warnings.extend(typed);
                let text = match source {
                    Some(src) if !has_escaped_brace(s) => CowStr::Borrowed(&src[base..base + s.len()]),
                    _ => unescape_brace(s).into(),
                };
                out.push(Event::Text(text));
            }
            Inline::Unclosed(at) => {
                return Err(Diagnostic::error(run.loc(at), "`{{` is not closed")
                    .hint("end the binding with `}}`, e.g. `{{capex.us.usd}}`"));
            }
            Inline::Value(text, at) => {
                let base = text.as_ptr() as usize - t.as_ptr() as usize;
                let r = inline::render_binding(text, pass.values, pass.refs.report, pass.source_of, pass.lang, pass.ui)
                    .map_err(|e| {
                        let loc = if e.len == 0 { run.loc(at) } else { run.loc(base + e.at) };
                        Diagnostic::error(loc, e.message).hint(e.hint)
                    })?;
                let loc = run.loc(at);
                found.bound_at.extend(r.names.iter().map(|n| (n.clone(), loc.clone())));
                found.bound.extend(r.names);
                out.push(Event::InlineHtml(r.html.into()));
            }
            Inline::Claim(name, words, at) => {
                let loc = run.loc(at);
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
                let loc = run.loc(at);
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
                        "<a class=\"xref\" href=\"#{}\">{}</a>",
                        html_escape::encode_double_quoted_attribute(&href),
                        html_escape::encode_text(&label)
                    )
                    .into(),
                ));
            }
        }
    }
    Ok(())
}

/// Where `s` first holds `[^`: each `[` found with `memchr`, then the
/// byte after it checked. A `str` search would build its searcher first,
/// which costs more than the scan on the short runs of text it is asked
/// about thousands of times a page.
fn find_footnote_open(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(k) = s[from..].find('[') {
        let i = from + k;
        if s.as_bytes().get(i + 1) == Some(&b'^') {
            return Some(i);
        }
        from = i + 1;
    }
    None
}

/// Numbers typed in prose that equal a dataset value as it would be shown:
/// probably a value that should be bound, and would drift if the data changed.
fn typed_numbers(pass: &Pass, run: &Run, base: usize, s: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Most runs hold no number at all: they are not split into characters.
    // Read 16 bytes at a time without stopping early, which the compiler
    // turns into vector instructions (every text of every page is read).
    let digit = |c: &[u8]| c.iter().fold(false, |any, b| any | b.is_ascii_digit());
    if !s.as_bytes().chunks(16).any(digit) {
        return out;
    }
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
        if let Some(name) = pass.values.shown_as(n) {
            out.push(
                Diagnostic::warning(
                    run.loc(base + start),
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

#[cfg(test)]
mod tests {
    use super::{html_code_depth, may_hold_figure};

    #[test]
    fn raw_code_tags_open_and_close_code() {
        assert_eq!(html_code_depth(0, "<code>"), 1);
        assert_eq!(html_code_depth(0, "<CODE\n  class=\"language-html\">"), 1);
        assert_eq!(html_code_depth(1, "</code>"), 0);
        assert_eq!(html_code_depth(0, "</code>"), 0);
        assert_eq!(html_code_depth(0, "<pre/>"), 0);
        assert_eq!(html_code_depth(0, "<codex>"), 0);
        assert_eq!(html_code_depth(2, "<b>"), 2);
        assert_eq!(html_code_depth(0, "<é>"), 0);
    }

    #[test]
    fn figure_fences_are_found_wherever_they_are() {
        assert!(may_hold_figure("Text\n\n```chart\nid: x\n```\n"));
        assert!(may_hold_figure("- item\n\n  ~~~~ table\n  x\n  ~~~~\n"));
        assert!(may_hold_figure("> ```stats\n> x\n> ```\n"));
        assert!(!may_hold_figure("```rust\nfn main() {}\n```\n\nA table of values.\n"));
        // A run of fence characters is read once from its start (read from
        // each of its positions, this line alone would take minutes).
        let long = "`".repeat(300_000);
        assert!(!may_hold_figure(&long));
    }
}
