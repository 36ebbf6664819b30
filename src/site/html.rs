//! Small readers and writers of the HTML quire itself produced: ids,
//! headings and link attributes of a page, the Sources page, the sitemap
//! and search entries. The input is always quire's own well-formed output,
//! so a scan for `id="` is exact, not a guess at arbitrary HTML.

use super::Page;
use super::TocView;
use super::links::Urls;
use crate::transform::SourceOut;
use std::collections::BTreeSet;

/// What one scan of a page finds: every `id="…"`, and its `<h3>`–`<h6>`
/// headings in page order.
pub struct Scan {
    /// Every id on the page.
    pub ids: BTreeSet<String>,
    /// Its headings: level (3 to 6) and contents entry.
    pub heads: Vec<(u8, TocView)>,
}

/// Reads a page's ids and headings in one pass over `html` (a page was
/// once read five times over for these).
pub fn scan(html: &str) -> Scan {
    let mut ids = BTreeSet::new();
    let mut heads = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find(" id=\"").map(|i| from + i) {
        let start = i + 5;
        let Some(e) = html[start..].find('"') else { break };
        let id = unescape(&html[start..start + e]);
        from = start + e;
        // A heading quire wrote opens `<hN id="`.
        let b = html.as_bytes();
        let level = match i.checked_sub(3).map(|k| &b[k..i]) {
            Some(&[b'<', b'h', d]) if (b'3'..=b'6').contains(&d) => Some(d - b'0'),
            _ => None,
        };
        if let Some(level) = level {
            let close = ["</h3>", "</h4>", "</h5>", "</h6>"][usize::from(level - 3)];
            if let Some(end) = html[from..].find(close).map(|k| from + k) {
                let inner = html[from..end].split_once('>').map_or("", |(_, x)| x);
                // The anchor link at the end of every heading is not its title.
                let inner = inner.rsplit_once("<a class=\"anchor\"").map_or(inner, |(t, _)| t);
                heads.push((
                    level,
                    TocView {
                        id: id.clone(),
                        title: strip_tags(inner).trim().to_string(),
                        level,
                    },
                ));
            }
        }
        ids.insert(id);
    }
    Scan { ids, heads }
}

/// The HTML entities quire's writers produce, decoded.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Text without tags, entities decoded.
fn strip_tags(html: &str) -> String {
    untagged(html, false)
}

/// The text of `html` outside its tags (a `>` outside a tag is dropped
/// too), read a run at a time, entities decoded; with `anchors`, a
/// heading's anchor (`aria-hidden="true">#</a>`) gives no `#`.
fn untagged(html: &str, anchors: bool) -> String {
    const ANCHOR: &str = "aria-hidden=\"true\">";
    let b = html.as_bytes();
    let mut text = String::with_capacity(html.len());
    let mut at = 0;
    while at < b.len() {
        // Outside a tag: text up to the next `<` or `>`.
        let Some(k) = b[at..].iter().position(|&c| c == b'<' || c == b'>') else {
            text.push_str(&html[at..]);
            break;
        };
        text.push_str(&html[at..at + k]);
        let mut gt = at + k;
        if b[gt] == b'<' {
            // Inside a tag: up to its `>`.
            match b[gt..].iter().position(|&c| c == b'>') {
                Some(e) => gt += e,
                None => break,
            }
        }
        at = gt + 1;
        if anchors && html[..at].ends_with(ANCHOR) && html[at..].starts_with("#</a>") {
            at += 1;
        }
    }
    if text.contains('&') { unescape(&text) } else { text }
}

/// The page's contents list: its `<h3>` and `<h4>` headings (a section's
/// own `##` and `###`).
pub fn toc(scan: &Scan) -> Vec<TocView> {
    scan.heads
        .iter()
        .filter(|(level, _)| *level <= 4)
        .map(|(_, t)| TocView {
            id: t.id.clone(),
            title: t.title.clone(),
            level: t.level,
        })
        .collect()
}

/// Gives each heading back its natural id (the GitHub-style slug of its text) when the
/// one-document numbering had to suffix it (`examples-7`) only because
/// another *page* has the same heading: on its own page it is unique, and
/// authors link to `page.md#examples`. Links on the page follow. `scan` is
/// the page's; `None` when every heading keeps its id.
pub fn localize_heading_ids(html: &str, scan: &Scan) -> Option<String> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    // By level, as the ids were first given out.
    for level in 3..=6u8 {
        for (_, h) in scan.heads.iter().filter(|(l, _)| *l == level) {
            let natural = crate::text::heading_slug(&h.title);
            if natural.is_empty() || natural == h.id || scan.ids.contains(&natural) || taken.contains(&natural) {
                continue;
            }
            let suffixed =
                h.id.strip_prefix(&natural)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
            if suffixed {
                taken.insert(natural.clone());
                renames.push((h.id.clone(), natural));
            }
        }
    }
    if renames.is_empty() {
        return None;
    }
    let map: std::collections::BTreeMap<String, String> = renames.into_iter().collect();
    Some(rewrite_attr_values(html, &["id", "href"], |attr, value| {
        let key = if attr == "id" {
            Some(value)
        } else {
            value.strip_prefix('#')
        };
        let new = map.get(key?)?;
        Some(if attr == "id" { new.clone() } else { format!("#{new}") })
    }))
}

/// Rewrites the value of every `href="…"` and `src="…"`; `f` gets the
/// decoded value and returns its replacement, or `None` to keep it.
pub fn rewrite_attrs(html: &str, mut f: impl FnMut(&str) -> Option<String>) -> String {
    rewrite_attr_values(html, &["href", "src"], |_, value| f(value))
}

/// Rewrites the values of the attributes named in `names`: `f` gets the
/// attribute's name and decoded value and returns its replacement, or
/// `None` to keep the value as written.
fn rewrite_attr_values(html: &str, names: &[&str], mut f: impl FnMut(&str, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    // One pass over every `="`: linear in the page, however many links it
    // has. Each `=` is found with `memchr` (far fewer than the page's bytes).
    for (i, _) in html.match_indices('=') {
        if i < copied || html.as_bytes().get(i + 1) != Some(&b'"') {
            continue;
        }
        let before = &html[..i];
        let Some(name) = names
            .iter()
            .find(|n| before.strip_suffix(**n).is_some_and(|b| b.ends_with(' ')))
        else {
            continue;
        };
        let start = i + 2;
        let Some(e) = html[start..].find('"') else { break };
        out.push_str(&html[copied..start]);
        let value = &html[start..start + e];
        // Most values hold no entity: read in place, not copied.
        let decoded;
        let plain = if value.contains('&') {
            decoded = unescape(value);
            decoded.as_str()
        } else {
            value
        };
        match f(name, plain) {
            Some(new) => out.push_str(&html_escape::encode_double_quoted_attribute(&new)),
            None => out.push_str(value),
        }
        copied = start + e;
    }
    out.push_str(&html[copied..]);
    out
}

/// The Sources list as its own page.
pub fn sources(list: &[SourceOut]) -> String {
    let e = |s: &str| html_escape::encode_text(s).into_owned();
    let mut h = String::from("<ol class=\"source-list\">\n");
    for s in list {
        h.push_str(&format!(
            "<li id=\"{}\"><span class=\"source-num\">[{}]</span> ",
            e(&s.id),
            s.number
        ));
        let title = if s.url.is_empty() {
            format!("<cite class=\"source-title\">{}</cite>", e(&s.title))
        } else {
            format!(
                "<a class=\"source-title\" href=\"{}\">{}</a>",
                html_escape::encode_double_quoted_attribute(&s.url),
                e(&s.title)
            )
        };
        let parts: Vec<String> = [e(&s.publisher), title, e(&s.date), e(&s.note)]
            .into_iter()
            .filter(|p| !p.is_empty() && p != "<cite class=\"source-title\"></cite>")
            .collect();
        h.push_str(&parts.join(", "));
        h.push_str("</li>\n");
    }
    h.push_str("</ol>\n");
    h
}

/// `sitemap.xml`: absolute URLs under the base URL, or paths relative to
/// the site root when there is none (crawlers need a base URL).
pub fn sitemap(pages: &[Page], urls: &Urls) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        s.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            html_escape::encode_text(&urls.sitemap_loc(&urls.full(&p.path)))
        ));
    }
    s.push_str("</urlset>\n");
    s
}

/// One search entry: title, path from the site root, headings and the
/// page's opening words, cut so the index keeps to its budget.
pub fn search_entry(title: &str, path: &str, toc: &[TocView], html: &str) -> [String; 4] {
    const TEXT_MAX: usize = 140;
    let mut heads = String::new();
    for (k, t) in toc.iter().enumerate() {
        if k > 0 {
            heads.push_str(" · ");
        }
        heads.push_str(&t.title);
    }
    // Only the opening words are kept, so a growing prefix of the page is
    // read until it yields more than enough: the words of a prefix cut just
    // before a tag are a prefix of the page's words.
    let mut want = 512;
    let words = loop {
        let end = cut_before_tag(html, want);
        let words = words(&html[..end]);
        if end == html.len() || words.len() > TEXT_MAX {
            break words;
        }
        want *= 2;
    };
    [
        title.to_string(),
        path.to_string(),
        cut(&heads, 120),
        cut(&words, TEXT_MAX),
    ]
}

/// The text of `html` without tags, entities decoded, its words joined by
/// one space. A heading's anchor (`aria-hidden="true">#</a>`) is not a word.
fn words(html: &str) -> String {
    let text = untagged(html, true);
    let mut words = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(w);
    }
    words
}

/// The first offset at or after `want` just before a tag other than
/// `</a>` (so no tag, entity or heading anchor straddles it), or the end.
fn cut_before_tag(html: &str, mut want: usize) -> usize {
    if want >= html.len() {
        return html.len();
    }
    while !html.is_char_boundary(want) {
        want += 1;
    }
    html[want..]
        .match_indices('<')
        .map(|(i, _)| want + i)
        .find(|&i| !html[i..].starts_with("</a>"))
        .unwrap_or(html.len())
}

fn cut(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tags stripped a character at a time, the plain reading the
    /// run-at-a-time [`untagged`] must agree with.
    fn strip_tags_slowly(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        unescape(&out)
    }

    #[test]
    fn reads_headings_and_ids() {
        let h = "<h3 id=\"a-b\">A <code>b</code> <a class=\"anchor\" href=\"#a-b\">#</a></h3><p id=\"x\">t</p>";
        let t = toc(&scan(h));
        assert_eq!(t.len(), 1);
        assert_eq!((t[0].id.as_str(), t[0].title.as_str()), ("a-b", "A b"));
        assert_eq!(scan(h).ids.into_iter().collect::<Vec<_>>(), ["a-b", "x"]);
    }

    #[test]
    fn headings_get_their_natural_ids_back_when_free_on_the_page() {
        let h = "<h3 id=\"examples-3\">Examples <a class=\"anchor\" href=\"#examples-3\">#</a></h3>\
                 <h3 id=\"more-2\">More</h3><p id=\"more\">x</p><a href=\"#examples-3\">e</a>";
        let out = localize_heading_ids(h, &scan(h)).unwrap();
        assert!(out.contains("<h3 id=\"examples\">"), "{out}");
        assert_eq!(out.matches("href=\"#examples\"").count(), 2, "{out}");
        assert!(out.contains("<h3 id=\"more-2\">"), "`more` is taken on the page: {out}");
    }

    #[test]
    fn search_text_from_a_prefix_is_the_text_of_the_whole_page() {
        let para = "<p>word &amp; <em>more</em> words</p>\n<h3 id=\"x\">X <a class=\"anchor\" href=\"#x\" aria-hidden=\"true\">#</a></h3>\n";
        for n in [1, 3, 40, 400] {
            let html = para.repeat(n);
            let got = search_entry("t", "p/", &[], &html)[3].clone();
            let text = strip_tags_slowly(&html.replace("aria-hidden=\"true\">#</a>", "aria-hidden=\"true\"></a>"));
            let want = cut(&text.split_whitespace().collect::<Vec<_>>().join(" "), 140);
            assert_eq!(got, want, "{n} paragraphs");
        }
        // The words are those of the tags stripped after the anchors' `#`,
        // entities decoded, white space collapsed.
        let odd = "<p>a&am<b>p;</b>b &lt;c&gt; #</a> <a aria-hidden=\"true\">#</a><a x=\"aria-hidden=\"true\">#</a>\u{3000}ü #\n</p>";
        let old = |h: &str| {
            let text = strip_tags_slowly(&h.replace("aria-hidden=\"true\">#</a>", "aria-hidden=\"true\"></a>"));
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for h in [
            odd,
            "",
            "#",
            "<a aria-hidden=\"true\">#</a>",
            "aria-hidden=\"true\">#</a>",
            " x  y\t",
        ] {
            assert_eq!(words(h), old(h), "{h:?}");
            // Without anchors, the heading titles' reading: every `#` kept.
            assert_eq!(strip_tags(h), strip_tags_slowly(h), "{h:?}");
        }
        assert_eq!(words(odd), "a&b <c> # ü #");
    }

    #[test]
    fn rewrites_only_attributes() {
        let h = "<a href=\"x.md\">x.md</a><img src=\"i.png\" data-src=\"k\">";
        let r = rewrite_attrs(h, |v| Some(format!("[{v}]")));
        assert_eq!(r, "<a href=\"[x.md]\">x.md</a><img src=\"[i.png]\" data-src=\"k\">");
    }
}
