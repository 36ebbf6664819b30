//! The one reader of the markup quire writes, for tests: every start tag
//! with its attributes and the text after it. The chart unit tests use it
//! as `super::read`, and the integration tests' `tests/common` compile this
//! same file (`#[path]`), so one parser checks SVG and HTML everywhere
//! without shipping in the library.

// Each of the two test crates that compile this file uses part of it.
#![allow(dead_code)]

/// One start tag of an HTML or SVG document: its name, attributes and the
/// text right after it (up to the next tag).
#[derive(Debug, Clone)]
pub struct El {
    /// The tag name (`rect`, `text`, `g`).
    pub tag: String,
    /// Attributes in document order, values as written (still escaped).
    pub attrs: Vec<(String, String)>,
    /// The text up to the next tag (a `<text>`'s words, still escaped).
    pub text: String,
}

impl El {
    /// The `points` of a polyline or polygon, as (x, y) pairs.
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.get("points")
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|p| p.split_once(','))
            .map(|(x, y)| (x.parse().unwrap(), y.parse().unwrap()))
            .collect()
    }

    /// The value of attribute `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A numeric attribute; panics with the element when absent or not a number.
    pub fn num(&self, name: &str) -> f64 {
        self.get(name)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("attribute `{name}` missing or not a number on {self:?}"))
    }

    /// Whether the `class` attribute lists `class`.
    pub fn has_class(&self, class: &str) -> bool {
        self.get("class")
            .is_some_and(|c| c.split_whitespace().any(|x| x == class))
    }
}

/// Every start tag in `markup`, in order (comments, closing tags and
/// declarations skipped). Good enough for the markup quire writes.
pub fn elements(markup: &str) -> Vec<El> {
    let mut out = Vec::new();
    let mut rest = markup;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |j| &rest[j + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let tag = rest[..end].to_string();
        let mut s = &rest[end..];
        let mut attrs = Vec::new();
        loop {
            s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if s.is_empty() || s.starts_with('>') {
                break;
            }
            let name_end = s
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(s.len());
            let name = s[..name_end].to_string();
            s = &s[name_end..];
            let mut value = String::new();
            if let Some(after) = s.strip_prefix('=') {
                let q = after.chars().next().unwrap_or('"');
                if q == '"' || q == '\'' {
                    let close = after[1..].find(q).map_or(after.len(), |j| j + 1);
                    value = after[1..close].to_string();
                    s = after.get(close + 1..).unwrap_or("");
                } else {
                    let e = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    value = after[..e].to_string();
                    s = &after[e..];
                }
            }
            if name.is_empty() {
                break;
            }
            attrs.push((name, value));
        }
        let s = s.strip_prefix('>').unwrap_or(s);
        let text = s[..s.find('<').unwrap_or(s.len())].to_string();
        rest = s;
        out.push(El { tag, attrs, text });
    }
    out
}

/// The root's viewBox as numbers: `[0, 0, width, height]`.
pub fn view_box(els: &[El]) -> Vec<f64> {
    els[0]
        .get("viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|v| v.parse().expect("a number"))
        .collect()
}
