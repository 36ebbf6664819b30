//! Which addresses from the author's data may become a link or an image.
//!
//! A URL in a source entry or a Markdown link lands in an `href` or `src`, so
//! a `javascript:` address would run code when a reader clicks it. Only an
//! allow-list of schemes passes: `http`, `https`, `mailto`, and relative
//! addresses (`#id`, `page.html`, `/x`, `//host/x`); images may also be
//! `data:image/…`. Browsers ignore leading spaces and control characters and
//! any tab or line break inside a URL, so the scheme is read the same way.

/// Where an address will be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// An `href`: only the allow-listed schemes.
    Link,
    /// An image `src`: the link schemes plus `data:image/…`.
    Image,
}

/// Schemes a link may use.
pub const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// `url` as it may be written into the page, or `None` when its scheme is not
/// allowed for `usage`.
///
/// ```
/// use quire::url::{safe_url, UrlUse};
/// assert_eq!(safe_url("https://example.org/a", UrlUse::Link).as_deref(), Some("https://example.org/a"));
/// assert_eq!(safe_url("#fig-capex", UrlUse::Link).as_deref(), Some("#fig-capex"));
/// assert_eq!(safe_url(" JavaScript:alert(1)", UrlUse::Link), None);
/// assert_eq!(safe_url("java\tscript:alert(1)", UrlUse::Link), None);
/// assert_eq!(safe_url("data:image/png;base64,AAAA", UrlUse::Image).is_some(), true);
/// assert_eq!(safe_url("data:text/html,<script>", UrlUse::Image), None);
/// ```
pub fn safe_url(url: &str, usage: UrlUse) -> Option<String> {
    // What a browser's URL parser sees: no leading or trailing C0 controls or
    // spaces, and no tab or line break anywhere.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.chars().any(|c| c.is_ascii_control()) {
        return None;
    }
    let Some(scheme) = scheme(&cleaned) else {
        return Some(cleaned);
    };
    let scheme = scheme.to_ascii_lowercase();
    let allowed = LINK_SCHEMES.contains(&scheme.as_str())
        || (usage == UrlUse::Image && scheme == "data" && cleaned[5..].to_ascii_lowercase().starts_with("image/"));
    allowed.then_some(cleaned)
}

/// The scheme of `url`, if it has one: letters, digits, `+ - .` starting
/// with a letter, before a `:` that comes before any `/ ? #`.
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    if !url[end..].starts_with(':') {
        return None;
    }
    let s = &url[..end];
    let valid = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    // Anything else before the colon makes a relative path, as in a browser.
    valid.then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_outside_the_list_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "\u{1}javascript:alert(1)",
            "jav\nascript:x",
            "vbscript:msgbox",
            "data:text/html;base64,PHNjcmlwdD4=",
            "file:///etc/passwd",
            "java\u{0}script:x",
        ] {
            assert_eq!(safe_url(bad, UrlUse::Link), None, "{bad:?}");
            assert_eq!(safe_url(bad, UrlUse::Image), None, "{bad:?}");
        }
        assert_eq!(safe_url("data:image/png;base64,AA", UrlUse::Link), None);
    }

    #[test]
    fn allowed_and_relative_addresses_pass() {
        for good in [
            "http://x.org",
            "HTTPS://x.org/a?b=c#d",
            "mailto:a@b.org",
            "#sec-1",
            "../a.html",
            "/a:b",
            "a/b:c",
            "?q=1:2",
            "//cdn.example.org/x",
        ] {
            assert!(safe_url(good, UrlUse::Link).is_some(), "{good:?}");
        }
    }
}
