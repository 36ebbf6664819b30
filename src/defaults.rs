//! quire's default templates, stylesheets and catalogues, built into the
//! binary so a project with only `content/` builds, and `quire new` has
//! something to write. A project's `templates/` overrides them file by file.

/// Every default file under `templates/`, by path relative to it.
pub const FILES: &[(&str, &str)] = &[
    ("report.html", include_str!("../templates/report.html")),
    (
        "partials/figure.html",
        include_str!("../templates/partials/figure.html"),
    ),
    ("partials/table.html", include_str!("../templates/partials/table.html")),
    ("partials/stats.html", include_str!("../templates/partials/stats.html")),
    ("style.css", include_str!("../templates/style.css")),
    ("lang/en.yaml", include_str!("../templates/lang/en.yaml")),
    ("lang/zh.yaml", include_str!("../templates/lang/zh.yaml")),
    ("site/page.html", include_str!("../templates/site/page.html")),
    ("site/404.html", include_str!("../templates/site/404.html")),
    ("site/site.css", include_str!("../templates/site/site.css")),
    ("site/search.js", include_str!("../templates/site/search.js")),
];

/// The default text of `templates/<rel>`, if quire has one.
pub fn get(rel: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == rel).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_default_is_found_by_name() {
        for (p, t) in super::FILES {
            assert_eq!(super::get(p), Some(*t));
        }
        assert_eq!(super::get("nope.html"), None);
    }
}
