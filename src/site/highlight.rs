//! Code blocks highlighted at build time with syntect:
//! `<pre><code class="language-x">` gets spans with `hl-` classes, and the
//! stylesheet colours them for light and dark schemes. A block in a
//! language syntect does not know is left as it was. syntect runs on
//! Oniguruma (built from source by the `onig` crate with the C compiler
//! Rust needs anyway): on a 5,000-page site it highlights in a third of the
//! time of the pure-Rust `fancy-regex` backend, with the same output.

use std::sync::OnceLock;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// How a fenced block with a language starts, as pulldown-cmark writes it.
const OPEN: &str = "<pre><code class=\"language-";

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// syntect's own syntaxes.
fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// bat's syntaxes (the `two-face` crate), for the languages docs are
/// written in that syntect lacks: TOML, Dockerfile, TypeScript … Asked only
/// after syntect's own: bat's JavaScript runs for minutes on some code that
/// syntect's reads at once. Loaded on first use.
fn extra_syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// A language's syntax and the set it belongs to, or `None` when unknown.
type Found = Option<(&'static SyntaxReference, &'static SyntaxSet)>;

/// The syntax for a code block's language, and the set it belongs to.
/// syntect finds a language by comparing it with every syntax's file
/// extensions and then its name; a site names a few languages thousands
/// of times, so each thread keeps the answers it found.
fn syntax_for(token: &str) -> Found {
    use std::cell::RefCell;
    thread_local! {
        static FOUND: RefCell<Vec<(String, Found)>> = const { RefCell::new(Vec::new()) };
    }
    if token.is_empty() {
        return None;
    }
    FOUND.with_borrow_mut(|found| {
        if let Some((_, f)) = found.iter().find(|(t, _)| t == token) {
            return *f;
        }
        // bat's set loads only when syntect's lacks the language.
        let find = |set: &'static SyntaxSet| set.find_syntax_by_token(token).map(|s| (s, set));
        let f = find(syntaxes()).or_else(|| find(extra_syntaxes()));
        // A page may name any number of made-up languages: the list stays short.
        if found.len() < 64 {
            found.push((token.to_string(), f));
        }
        f
    })
}

/// The CSS for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark`.
pub fn css() -> String {
    let themes = ThemeSet::load_defaults();
    let light = css_for_theme_with_class_style(&themes.themes["InspiredGitHub"], STYLE).unwrap_or_default();
    let dark = css_for_theme_with_class_style(&themes.themes["base16-ocean.dark"], STYLE).unwrap_or_default();
    format!("{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

/// Appends `html` to `out` with its code blocks highlighted: a page put
/// together from borrowed pieces searches each piece once, and a piece
/// without code is copied only into `out`.
pub fn push_highlighted(out: &mut String, html: &str) {
    match html.find(OPEN) {
        Some(first) => out.push_str(&highlight_from(html, first)),
        None => out.push_str(html),
    }
}

/// [`push_highlighted`] for HTML the caller owns: given back as it is (not
/// copied) when it holds no code block, found by one search.
pub fn highlight_owned(html: String) -> String {
    match html.find(OPEN) {
        Some(first) => highlight_from(&html, first),
        None => html,
    }
}

/// `html` with every fenced block of a known language highlighted, the
/// first block starting at byte `first`.
fn highlight_from(html: &str, first: usize) -> String {
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    let mut next = Some(first);
    while let Some(i) = next {
        out.push_str(&rest[..i]);
        let after = &rest[i + OPEN.len()..];
        let (Some(q), Some(end)) = (after.find('"'), after.find("</code></pre>")) else {
            out.push_str(&rest[i..]);
            return out;
        };
        let lang = &after[..q];
        // mdBook writes attributes after the language: `rust,ignore`.
        let token = lang.split([',', ' ']).next().unwrap_or_default();
        let body_start = after[q..].find('>').map_or(q, |g| q + g + 1);
        let code = super::html::unescape(&after[body_start..end]);
        match syntax_for(token) {
            Some((syntax, set)) => {
                let mut g = ClassedHTMLGenerator::new_with_class_style(syntax, set, STYLE);
                let ok = LinesWithEndings::from(&code).all(|l| g.parse_html_for_line_which_includes_newline(l).is_ok());
                if ok {
                    out.push_str("<pre class=\"hl\"><code class=\"language-");
                    out.push_str(token);
                    out.push_str("\">");
                    out.push_str(&g.finalize());
                    out.push_str("</code></pre>");
                } else {
                    out.push_str(&rest[i..i + OPEN.len() + end + "</code></pre>".len()]);
                }
            }
            None => out.push_str(&rest[i..i + OPEN.len() + end + "</code></pre>".len()]),
        }
        rest = &after[end + "</code></pre>".len()..];
        next = rest.find(OPEN);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    /// Every fenced block with a known language in `html`, highlighted.
    fn highlight(html: &str) -> String {
        let mut out = String::new();
        super::push_highlighted(&mut out, html);
        out
    }

    #[test]
    fn highlights_known_languages_only() {
        let h = highlight("<pre><code class=\"language-rust\">fn main() {}\n</code></pre>");
        assert!(h.contains("hl-"), "{h}");
        assert!(h.contains("main"));
        let plain = "<pre><code class=\"language-nosuch\">a &lt; b\n</code></pre>";
        assert_eq!(highlight(plain), plain);
        // The owned form gives the same bytes, with code and without.
        let two = format!("<p>a</p>{plain}<pre><code class=\"language-rust\">fn f() {{}}\n</code></pre><p>b</p>");
        assert_eq!(super::highlight_owned(two.clone()), highlight(&two));
        assert!(super::highlight_owned(two.clone()).contains("hl-"));
        assert_eq!(super::highlight_owned("<p>no code</p>".into()), "<p>no code</p>");
        assert!(super::css().contains("prefers-color-scheme: dark"));
        // TOML (from bat's syntaxes) and mdBook's `rust,ignore`.
        let toml = highlight("<pre><code class=\"language-toml\">[a]\nb = 1\n</code></pre>");
        assert!(toml.contains("hl-"), "{toml}");
        let ignore = highlight("<pre><code class=\"language-rust,ignore\">fn f() {}\n</code></pre>");
        assert!(
            ignore.starts_with("<pre class=\"hl\"><code class=\"language-rust\">"),
            "{ignore}"
        );
    }
}
