//! mdBook's text directives, expanded before Markdown is read, as mdBook
//! does: `{{#include file}}` (whole, `:2`, `:2:10`, `:2:`, `::10`, or
//! `:anchor` between `ANCHOR: name` and `ANCHOR_END: name` lines),
//! `{{#rustdoc_include …}}` (the same; quire has no hidden lines, so only
//! the chosen lines are shown), `{{#playground file}}` (the file as a Rust
//! code block) and `{{#title …}}` (the page's title). `\{{#…}}` is shown as
//! written.
//!
//! Every stretch brought in is recorded as a [`Splice`] with the file and
//! line of each of its lines, so a diagnostic inside included text names
//! the included file, and one after it still names the author's line.

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::{Section, Splice};
use crate::transform::markdown::Locator;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// How deeply included files may include others (mdBook's limit).
const MAX_DEPTH: usize = 10;

/// One directive found in a text.
struct Directive<'t> {
    /// Its bytes in the text, braces included.
    range: std::ops::Range<usize>,
    /// `include`, `title`, …; empty for an escaped one.
    kind: &'t str,
    /// What follows the kind.
    arg: &'t str,
}

/// Every `{{#kind arg}}` and escaped `\{{#…}}` in `text`, in order.
fn directives(text: &str) -> Vec<Directive<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{").map(|i| i + from) {
        from = i + 2;
        let rest = text[from..].trim_start();
        let Some(inner) = rest.strip_prefix('#') else { continue };
        let Some(close) = inner.find("}}") else { break };
        let escaped = i > 0 && text.as_bytes()[i - 1] == b'\\';
        let body = &inner[..close];
        let kind_len = body
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(body.len());
        let end = text.len() - inner.len() + close + 2;
        // As in mdBook, a directive names a kind and then an argument:
        // `{{ #include }}` alone is text about directives, not one.
        if !escaped && body[kind_len..].trim().is_empty() {
            continue;
        }
        out.push(Directive {
            range: if escaped { i - 1..end } else { i..end },
            kind: if escaped { "" } else { &body[..kind_len] },
            arg: body[kind_len..].trim(),
        });
        from = end;
    }
    out
}

/// Expands the directives in each section's body; problems go to `errors`.
pub fn expand_all(root: &Path, sections: &mut [Section], files: &mut SourceMap, errors: &mut Diagnostics) {
    let mut sources = Sources {
        root,
        files,
        texts: HashMap::new(),
    };
    for s in sections.iter_mut() {
        if s.body.contains("{{") {
            expand(&mut sources, s, errors);
        }
    }
}

/// Included files, each read from disk once however many pages include it.
struct Sources<'a> {
    root: &'a Path,
    files: &'a mut SourceMap,
    /// By path from the project root.
    texts: HashMap<String, Arc<str>>,
}

/// The text a directive stands for, and where each of its lines came from.
type Expansion = (String, Vec<(Arc<str>, u32)>);

fn expand(sources: &mut Sources, section: &mut Section, errors: &mut Diagnostics) {
    let found = directives(&section.body);
    if found.is_empty() {
        return;
    }
    let locator = Locator::new(section);
    // Only an escaped directive needs to know whether it sits in code.
    let code = if found.iter().any(|d| d.kind.is_empty()) {
        code_ranges(&section.body)
    } else {
        Vec::new()
    };
    let dir = section.file.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let (mut body, mut splices, mut title) = (String::new(), Vec::new(), None);
    let mut last = 0;
    for d in &found {
        let src = &section.body[d.range.clone()];
        body.push_str(&section.body[last..d.range.start]);
        last = d.range.end;
        if d.kind.is_empty() {
            // `\{{#…}}`: in code the backslash goes, as in mdBook; in prose
            // it stays, since `\{{` is how prose shows `{{`.
            let in_code = code[..code.partition_point(|r| r.start <= d.range.start)]
                .last()
                .is_some_and(|r| r.contains(&d.range.start));
            body.push_str(if in_code { &src[1..] } else { src });
            continue;
        }
        let at = || locator.loc(d.range.start);
        let expanded = match d.kind {
            "title" => {
                title = Some(d.arg.to_string());
                Ok((String::new(), Vec::new()))
            }
            "include" | "rustdoc_include" => include(sources, &dir, d.arg, 0, &at),
            "playground" | "playpen" => playground(sources, &dir, d.arg, &at),
            other => Err(Diagnostic::error(at(), format!("unknown mdBook directive `{{{{#{other}}}}}`"))
                .hint("quire expands `include`, `rustdoc_include`, `playground` and `title`; write `\\{{` to show it as written")),
        };
        match expanded {
            Ok((text, lines)) => {
                // Later lines keep the indentation of the directive's line,
                // so an include inside a list item stays inside it.
                let line_start = body.rfind('\n').map_or(0, |i| i + 1);
                let indent: String = body[line_start..].chars().take_while(|c| c.is_whitespace()).collect();
                let start = body.len();
                body.push_str(&text.replace('\n', &format!("\n{indent}")));
                splices.push(Splice {
                    range: start..body.len(),
                    directive_newlines: src.matches('\n').count(),
                    lines,
                });
            }
            Err(d) => errors.push(d),
        }
    }
    body.push_str(&section.body[last..]);
    section.body = body;
    section.splices = splices;
    if let Some(t) = title {
        section.title = crate::text::Text::plain(t);
    }
}

/// The byte ranges of code (fenced, indented and inline) in `text`, in
/// order (code does not nest), so a position is looked up by halving.
fn code_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    use pulldown_cmark::{Event, Parser, Tag};
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(text, crate::transform::markdown::options()).into_offset_iter() {
        if matches!(ev, Event::Code(_) | Event::Start(Tag::CodeBlock(_))) {
            out.push(range);
        }
    }
    out
}

/// `file.rs:2:10` split into the file and the lines wanted.
fn parse_target(arg: &str) -> (&str, Option<&str>) {
    let path = arg.split_whitespace().next().unwrap_or_default();
    match path.split_once(':') {
        Some((p, sel)) => (p, Some(sel)),
        None => (path, None),
    }
}

impl Sources<'_> {
    /// Reads `rel` (relative to the including file's folder `dir`) through
    /// the project's safe reader, so it cannot leave the project; returns
    /// its path from the project root and its text.
    fn read(&mut self, dir: &str, rel: &str, at: &dyn Fn() -> Loc) -> Result<(Arc<str>, Arc<str>), Diagnostic> {
        let path = super::links::join(dir, rel).ok_or_else(|| {
            Diagnostic::error(at(), format!("`{rel}` points outside the project"))
                .hint("include a file inside the project folder")
        })?;
        if let Some((p, text)) = self.texts.get_key_value(&path) {
            return Ok((p.as_str().into(), text.clone()));
        }
        if !self.root.join(&path).is_file() {
            return Err(
                Diagnostic::error(at(), format!("cannot include `{rel}`: there is no `{path}`"))
                    .hint("correct the path; it is relative to this Markdown file"),
            );
        }
        let text: Arc<str> = crate::load::files::read(self.root, &path, self.files)
            .map_err(|mut d| {
                d.loc = at();
                d
            })?
            .into();
        self.texts.insert(path.clone(), text.clone());
        Ok((path.into(), text))
    }
}

fn include(
    sources: &mut Sources,
    dir: &str,
    arg: &str,
    depth: usize,
    at: &dyn Fn() -> Loc,
) -> Result<Expansion, Diagnostic> {
    let (rel, sel) = parse_target(arg);
    let (file, text) = sources.read(dir, rel, at)?;
    let all: Vec<(u32, &str)> = text.lines().enumerate().map(|(i, l)| (i as u32, l)).collect();
    let chosen = select(&all, sel).ok_or_else(|| {
        Diagnostic::error(at(), format!("`{rel}` has no anchor `{}`", sel.unwrap_or_default()))
            .hint("mark the lines with `ANCHOR: name` and `ANCHOR_END: name`, or give line numbers: `file:2:10`")
    })?;
    let mut out = String::new();
    let mut lines = Vec::new();
    let inner_dir = file.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    for (k, (n, l)) in chosen.iter().enumerate() {
        if k > 0 {
            out.push('\n');
        }
        // An included file's own includes are expanded too, to mdBook's depth.
        let nested = directives(l);
        match nested.first() {
            Some(d) if d.kind == "include" && d.range == (0..l.trim_end().len()) => {
                let here = Loc::new(&*file, *n as usize + 1, 1);
                // Deeper than mdBook goes is almost always a cycle; left as
                // text it would only surface later, far from its cause.
                if depth + 1 >= MAX_DEPTH {
                    return Err(Diagnostic::error(
                        here,
                        format!("include nesting deeper than {MAX_DEPTH}: a file includes itself?"),
                    )
                    .hint(format!(
                        "`{}` is reached again through its own includes, or the chain is too long: \
                         break the cycle, or include the innermost file directly",
                        d.arg.split_whitespace().next().unwrap_or_default()
                    )));
                }
                let (t, ls) = include(sources, &inner_dir, d.arg, depth + 1, &|| here.clone())?;
                out.push_str(&t);
                lines.extend(ls);
            }
            _ => {
                out.push_str(l);
                lines.push((file.clone(), *n));
            }
        }
    }
    Ok((out, lines))
}

/// The lines `sel` names: a range of line numbers (1-based, as mdBook), or
/// the lines between an anchor's marks, with every anchor mark left out.
fn select<'t>(all: &[(u32, &'t str)], sel: Option<&str>) -> Option<Vec<(u32, &'t str)>> {
    let is_mark = |l: &str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    let Some(sel) = sel.filter(|s| !s.is_empty()) else {
        return Some(all.to_vec());
    };
    let mut parts = sel.splitn(2, ':');
    let first = parts.next().unwrap_or_default();
    let second = parts.next();
    let number = |s: &str| s.parse::<usize>().ok();
    let (from, to) = match (first, number(first), second) {
        ("", _, Some(e)) => (0, number(e).unwrap_or(all.len())),
        (_, Some(s), None) => (s.saturating_sub(1), s),
        (_, Some(s), Some(e)) => (s.saturating_sub(1), number(e).unwrap_or(all.len())),
        (anchor, None, _) => {
            let named = |l: &str, mark: &str| {
                l.find(mark).is_some_and(|i| {
                    l[i + mark.len()..].trim_start().starts_with(anchor) && {
                        let after = &l[i + mark.len()..].trim_start()[anchor.len()..];
                        !after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
                    }
                })
            };
            let start = all.iter().position(|(_, l)| named(l, "ANCHOR:"))?;
            let end = all[start..]
                .iter()
                .position(|(_, l)| named(l, "ANCHOR_END:"))
                .map_or(all.len(), |e| start + e);
            return Some(
                all[start + 1..end]
                    .iter()
                    .filter(|(_, l)| !is_mark(l))
                    .copied()
                    .collect(),
            );
        }
    };
    let to = to.min(all.len());
    Some(all[from.min(to)..to].to_vec())
}

fn playground(sources: &mut Sources, dir: &str, arg: &str, at: &dyn Fn() -> Loc) -> Result<Expansion, Diagnostic> {
    let mut words = arg.split_whitespace();
    let rel = words.next().unwrap_or_default();
    let attrs: Vec<&str> = words.collect();
    let (file, text) = sources.read(dir, rel, at)?;
    let info = if attrs.is_empty() {
        "rust".to_string()
    } else {
        format!("rust,{}", attrs.join(","))
    };
    let mut out = format!("```{info}\n");
    let mut lines = vec![(file.clone(), 0)];
    for (n, l) in text.lines().enumerate() {
        out.push_str(l);
        out.push('\n');
        lines.push((file.clone(), n as u32));
    }
    out.push_str("```");
    lines.push((file, text.lines().count().saturating_sub(1) as u32));
    Ok((out, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(sel: Option<&str>) -> Vec<u32> {
        let text = "a\n// ANCHOR: part\nb\n// ANCHOR: inner\nc\n// ANCHOR_END: inner\n// ANCHOR_END: part\nd";
        let all: Vec<(u32, &str)> = text.lines().enumerate().map(|(i, l)| (i as u32, l)).collect();
        select(&all, sel)
            .map(|v| v.iter().map(|(n, _)| n + 1).collect())
            .unwrap_or_default()
    }

    #[test]
    fn line_ranges_and_anchors_as_mdbook_reads_them() {
        assert_eq!(lines(None), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(lines(Some("2")), [2]);
        assert_eq!(lines(Some(":3")), [1, 2, 3]);
        assert_eq!(lines(Some("7:")), [7, 8]);
        assert_eq!(lines(Some("3:5")), [3, 4, 5]);
        assert_eq!(lines(Some("part")), [3, 5]);
        assert_eq!(lines(Some("inner")), [5]);
        assert!(lines(Some("nosuch")).is_empty());
    }

    #[test]
    fn directives_are_found_and_escapes_kept() {
        let found =
            directives("a {{#include x.rs:2}} b \\{{#title T}} c {{ value }} d {{ #title  Hi }} {{ #include }}");
        let kinds: Vec<(&str, &str)> = found.iter().map(|d| (d.kind, d.arg)).collect();
        assert_eq!(kinds, [("include", "x.rs:2"), ("", "T"), ("title", "Hi")]);
        assert_eq!(found[1].range.start, 24);
    }

    #[test]
    fn expansion_is_linear_and_keeps_every_line() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content/sections")).unwrap();
        std::fs::write(root.path().join("content/sections/part.rs"), "a\nb\nc\n").unwrap();
        let text = |n: usize| -> String {
            (0..n)
                .map(|i| format!("Text {i}.\n\n```rust\n{{{{#include part.rs::2}}}}\n```\n\n"))
                .collect()
        };
        let run = |text: &str| {
            let mut sections = vec![super::super::content::page("content/sections/a.md", text).unwrap()];
            let mut errors = Vec::new();
            expand_all(root.path(), &mut sections, &mut SourceMap::default(), &mut errors);
            assert!(errors.is_empty(), "{errors:?}");
            let s = &sections[0];
            assert_eq!(s.splices.len(), text.matches("{{#").count());
            // Each include adds a line; the last byte is still on the
            // author's last line.
            let at = Locator::new(s).loc(s.body.len() - 1);
            assert_eq!(
                (at.file.as_str(), at.line),
                ("content/sections/a.md", text.lines().count())
            );
        };
        let (small, large) = (text(200), text(2000));
        let ratio = crate::scaling::time_ratio(|| run(&small), || run(&large));
        assert!(ratio < 20.0, "10× the includes took {ratio:.1}× the time");
    }
}
