//! The look of a report, loaded with the rest of the input: Tera templates,
//! the stylesheet and one interface catalogue per edition's language.
//! Renderers receive a [`Theme`] and never read the disk themselves.

use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::i18n::Catalogue;
use crate::text::Lang;
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;
use walkdir::WalkDir;

/// The templates every project must have.
pub const REQUIRED: [&str; 4] = [
    "report.html",
    "partials/figure.html",
    "partials/table.html",
    "partials/stats.html",
];

/// Templates, stylesheet and catalogues, ready to render with.
pub struct Theme {
    /// Every `.html` template under `templates/`, by relative path.
    pub tera: Tera,
    /// `templates/style.css`, inlined into each page.
    pub css: String,
    /// `templates/site/site.css` and `site/search.js` (a project's own, else
    /// quire's): the site's extra styles and search script.
    pub site_assets: (String, String),
    /// Interface words by language code.
    pub catalogues: BTreeMap<String, Catalogue>,
}

impl Theme {
    /// The theme made of a look and its catalogues, or every error either
    /// of them found (the look's first).
    /// A `site` also gets the site templates a report leaves out.
    pub fn new(
        look: Result<Look, Diagnostics>,
        catalogues: Result<BTreeMap<String, Catalogue>, Diagnostics>,
        site: bool,
    ) -> Result<Theme, Diagnostics> {
        match (look, catalogues) {
            (Ok(mut look), Ok(catalogues)) => {
                if site && !look.site_only.is_empty() {
                    look.tera
                        .add_raw_templates(look.site_only.iter().map(|(n, t)| (n.as_str(), t.as_str())))
                        .map_err(|e| vec![tera_error(&e, "site/")])?;
                }
                Ok(Theme {
                    tera: look.tera,
                    css: look.css,
                    site_assets: look.site_assets,
                    catalogues,
                })
            }
            (look, catalogues) => Err(look.err().into_iter().chain(catalogues.err()).flatten().collect()),
        }
    }

    /// The catalogue for `lang` (loading checked that every edition has one).
    pub fn catalogue(&self, lang: Lang) -> &Catalogue {
        &self.catalogues[lang.code()]
    }
}

/// Reads `path` (relative to `root`) as UTF-8 text, recording it for
/// diagnostics; a file that is there but unreadable or not UTF-8 is an error
/// that says so, not a "missing" file.
fn read(root: &Path, rel: &str, files: &mut SourceMap) -> Result<Option<String>, Diagnostic> {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Diagnostic::error(Loc::file(rel), format!("cannot read `{rel}`: {e}"))
                .hint("check that it is a readable file"));
        }
    };
    match String::from_utf8(bytes) {
        Ok(t) => {
            files.add(rel, &t);
            Ok(Some(t))
        }
        Err(e) => {
            let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]).into_owned();
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(
                Diagnostic::error(Loc::new(rel, line, col), format!("`{rel}` is not valid UTF-8"))
                    .hint("save the file as UTF-8"),
            )
        }
    }
}

/// Everything of a [`Theme`] but its catalogues: what does not depend on
/// the editions' languages, so it can load before `report.yaml` names them.
pub struct Look {
    tera: Tera,
    css: String,
    site_assets: (String, String),
    /// Site templates exactly as quire ships them, by name: known to
    /// compile, so a report, which never renders them, does not compile
    /// them ([`Theme::new`] adds them for a site).
    site_only: Vec<(String, String)>,
}

/// Whether `name` is rendered only in site mode.
fn site_only(name: &str) -> bool {
    name.starts_with("site/")
}

/// Loads the templates, the stylesheet and the site's assets: a project's
/// own, else quire's.
pub fn load_look(root: &Path, files: &mut SourceMap) -> Result<Look, Diagnostics> {
    let dir = root.join("templates");
    let mut names: Vec<String> = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| Some(e.path().strip_prefix(&dir).ok()?.to_string_lossy().replace('\\', "/")))
        .collect();
    names.sort();
    let (tera, site_only, mut errors) = compile(root, &names, files);
    for name in REQUIRED
        .iter()
        .filter(|n| crate::defaults::get(n).is_none() && !names.iter().any(|x| x == *n))
    {
        errors.push(
            Diagnostic::error(
                Loc::file(format!("templates/{name}")),
                format!("missing template `templates/{name}`"),
            )
            .hint("restore it from quire's default templates, or create it"),
        );
    }
    let css = match read(root, "templates/style.css", files) {
        Ok(Some(c)) => c,
        Ok(None) if crate::defaults::get("style.css").is_some() => {
            crate::defaults::get("style.css").unwrap_or_default().to_string()
        }
        Ok(None) => {
            errors.push(
                Diagnostic::error(
                    Loc::file("templates/style.css"),
                    "missing stylesheet `templates/style.css`",
                )
                .hint("restore it from quire's default templates, or create an empty file"),
            );
            String::new()
        }
        Err(d) => {
            errors.push(d);
            String::new()
        }
    };
    let mut asset = |rel: &str| match read(root, &format!("templates/{rel}"), files) {
        Ok(Some(t)) => t,
        Ok(None) => crate::defaults::get(rel).unwrap_or_default().to_string(),
        Err(d) => {
            errors.push(d);
            String::new()
        }
    };
    let site_assets = (asset("site/site.css"), asset("site/search.js"));
    if errors.is_empty() {
        Ok(Look {
            tera,
            css,
            site_assets,
            site_only,
        })
    } else {
        Err(errors)
    }
}

/// Loads `templates/lang/<code>.yaml` for each of `languages` (quire's own
/// catalogue where a project has none), by language code.
pub fn load_catalogues(
    root: &Path,
    languages: &[Lang],
    files: &mut SourceMap,
) -> Result<BTreeMap<String, Catalogue>, Diagnostics> {
    let (catalogues, errors) = parse_catalogues(read_catalogues(root, languages, files));
    if errors.is_empty() { Ok(catalogues) } else { Err(errors) }
}

/// Tera with the project's templates `names` (under `templates/`) and the
/// default ones it does not override, and an error for each that fails;
/// site templates a project left as quire ships them are set apart
/// uncompiled, by name.
fn compile(root: &Path, names: &[String], files: &mut SourceMap) -> (Tera, Vec<(String, String)>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut set_apart = Vec::new();
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".svg"]);
    for name in names {
        let rel = format!("templates/{name}");
        match read(root, &rel, files) {
            Ok(Some(text)) if site_only(name) && crate::defaults::get(name) == Some(text.as_str()) => {
                set_apart.push((name.clone(), text));
            }
            Ok(Some(text)) => {
                if let Err(e) = tera.add_raw_template(name, &text) {
                    errors.push(tera_error(&e, name));
                }
            }
            Ok(None) => {}
            Err(d) => errors.push(d),
        }
    }
    for (name, text) in crate::defaults::FILES.iter().filter(|(n, _)| n.ends_with(".html")) {
        if names.iter().any(|x| x == name) {
            continue;
        }
        if site_only(name) {
            set_apart.push((name.to_string(), text.to_string()));
        } else if let Err(e) = tera.add_raw_template(name, text) {
            errors.push(tera_error(&e, name));
        }
    }
    (tera, set_apart, errors)
}

/// One edition's catalogue as read: its language, file, and its text (the
/// project's, else quire's default), or why there is none.
type CatalogueText = (Lang, String, Result<String, Diagnostic>);

/// Reads `templates/lang/<code>.yaml` for each of `languages`, falling back
/// to quire's default catalogue.
fn read_catalogues(root: &Path, languages: &[Lang], files: &mut SourceMap) -> Vec<CatalogueText> {
    languages
        .iter()
        .map(|&lang| {
            let rel = format!("templates/lang/{}.yaml", lang.code());
            let text = match read(root, &rel, files) {
                Ok(Some(text)) => Ok(text),
                Ok(None) => match crate::defaults::get(&rel["templates/".len()..]) {
                    Some(text) => Ok(text.to_string()),
                    None => Err(Diagnostic::error(
                        Loc::file(&rel),
                        format!("no interface catalogue for the `{lang}` edition"),
                    )
                    .hint(format!(
                        "add `{rel}` with the interface words, as in quire's templates/lang/en.yaml"
                    ))),
                },
                Err(d) => Err(d),
            };
            (lang, rel, text)
        })
        .collect()
}

/// The catalogues of [`read_catalogues`], by language code, and every error.
fn parse_catalogues(texts: Vec<CatalogueText>) -> (BTreeMap<String, Catalogue>, Vec<Diagnostic>) {
    let mut catalogues = BTreeMap::new();
    let mut errors = Vec::new();
    for (lang, rel, text) in texts {
        match text.map(|t| Catalogue::parse(lang, &rel, &t)) {
            Ok(Ok(c)) => {
                catalogues.insert(lang.code().to_string(), c);
            }
            Ok(Err(d)) => errors.extend(d),
            Err(d) => errors.push(d),
        }
    }
    (catalogues, errors)
}

/// A Tera error as a diagnostic at the template line it names.
pub fn tera_error(e: &tera::Error, name: &str) -> Diagnostic {
    use std::error::Error as _;
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let file = if r.filename().is_empty() { name } else { r.filename() };
            let s = r.span();
            Diagnostic::error(
                Loc::new(format!("templates/{file}"), s.start_line, s.start_col + 1),
                format!("template error: {}", r.message()),
            )
            .hint("fix the template; see Tera 2's syntax")
        }
        _ => {
            let mut msg = e.to_string();
            let mut src = e.source();
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            Diagnostic::error(Loc::file(format!("templates/{name}")), format!("template error: {msg}"))
                .hint("check the template names and variables it uses")
        }
    }
}
