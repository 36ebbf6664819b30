//! Render: the [`Document`] through the Tera templates in `templates/`, with
//! every chart drawn as inline SVG. The look lives in the templates, so users
//! restyle a report without touching Rust.

use crate::chart;
use crate::diag::{Diagnostic, Diagnostics, Loc, SourceMap};
use crate::model::Report;
use crate::text::Lang;
use crate::transform::figures::{Figure, FigureBody, UnitFormat};
use crate::transform::{Document, Piece, SourceLine, label};
use crate::values::Values;
use serde_json::json;
use std::path::Path;
use tera::{Context, Tera};
use walkdir::WalkDir;

/// The templates every project must have.
pub const REQUIRED: [&str; 4] = [
    "report.html",
    "partials/figure.html",
    "partials/table.html",
    "partials/stats.html",
];

/// One file to write, by path relative to the output folder.
#[derive(Debug)]
pub struct OutFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Loads `templates/` (every `.html` file and `style.css`).
pub fn templates(root: &Path, files: &mut SourceMap) -> Result<(Tera, String), Diagnostics> {
    let dir = root.join("templates");
    let mut errors = Vec::new();
    let mut sources: Vec<(String, String)> = WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    sources.sort();
    for name in REQUIRED {
        if !sources.iter().any(|(n, _)| n == name) {
            errors.push(
                Diagnostic::error(
                    Loc::file(format!("templates/{name}")),
                    format!("missing template `templates/{name}`"),
                )
                .hint("restore it from quire's default templates, or create it"),
            );
        }
    }
    let css = match std::fs::read_to_string(dir.join("style.css")) {
        Ok(c) => c,
        Err(_) => {
            errors.push(
                Diagnostic::error(
                    Loc::file("templates/style.css"),
                    "missing stylesheet `templates/style.css`",
                )
                .hint("restore it from quire's default templates, or create an empty file"),
            );
            String::new()
        }
    };
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".svg"]);
    for (name, text) in &sources {
        files.add(&format!("templates/{name}"), text);
        if let Err(e) = tera.add_raw_template(name, text) {
            errors.push(tera_error(&e, name));
        }
    }
    if errors.is_empty() {
        Ok((tera, css))
    } else {
        Err(errors)
    }
}

/// A Tera error as a diagnostic at the template line it names.
fn tera_error(e: &tera::Error, name: &str) -> Diagnostic {
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

fn strings(lang: Lang) -> serde_json::Value {
    match lang {
        Lang::En => {
            json!({"contents": "Contents", "sources": "Sources", "figure": "Figure", "table": "Table", "source": "Source", "generated_by": "Built with"})
        }
        Lang::Zh => {
            json!({"contents": "目录", "sources": "资料来源", "figure": "图", "table": "表", "source": "来源", "generated_by": "生成工具"})
        }
    }
}

fn derived_note(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "Computed by quire from the stated figures; not stated by the source.",
        Lang::Zh => "由quire根据所列数据推算,并非来源直接给出。",
    }
}

fn source_json(line: Option<&SourceLine>) -> serde_json::Value {
    line.map_or(json!({"text": "", "refs": []}), |l| json!(l))
}

/// Draws every chart and renders the page: `index.html` and `charts/<id>.svg`.
pub fn render(
    doc: &Document,
    report: &Report,
    values: &Values,
    tera: &Tera,
    css: &str,
) -> Result<Vec<OutFile>, Diagnostics> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut figure_html = Vec::new();
    for f in &doc.figures {
        match figure(doc, values, tera, f) {
            Ok((html, svg)) => {
                if let Some(svg) = svg {
                    out.push(OutFile {
                        path: format!("charts/{}.svg", f.key),
                        bytes: svg.into_bytes(),
                    });
                }
                figure_html.push(html);
            }
            Err(d) => {
                errors.push(d);
                figure_html.push(String::new());
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let sections: Vec<serde_json::Value> = doc
        .sections
        .iter()
        .map(|s| {
            let html: String = s
                .pieces
                .iter()
                .map(|p| match p {
                    Piece::Html(h) => h.as_str(),
                    Piece::Figure(i) => figure_html[*i].as_str(),
                })
                .collect();
            json!({"id": s.id, "number": s.number.to_string(), "title": s.title, "summary": s.summary, "html": html})
        })
        .collect();
    let toc: Vec<serde_json::Value> = doc
        .sections
        .iter()
        .map(|s| json!({"id": s.id, "number": s.number.to_string(), "title": s.title}))
        .collect();
    let m = &report.meta;
    let mut ctx = Context::new();
    ctx.insert("report", &json!({"title": m.title.get(doc.lang), "subtitle": m.subtitle.get(doc.lang), "authors": m.authors, "date": m.date, "lang": doc.lang.tag()}));
    ctx.insert("toc", &toc);
    ctx.insert("sections", &sections);
    ctx.insert("sources", &doc.sources);
    ctx.insert("css", css);
    ctx.insert("strings", &strings(doc.lang));
    ctx.insert("generator", &format!("quire {}", env!("CARGO_PKG_VERSION")));
    let page = tera
        .render("report.html", &ctx)
        .map_err(|e| vec![tera_error(&e, "report.html")])?;
    out.insert(
        0,
        OutFile {
            path: "index.html".into(),
            bytes: page.into_bytes(),
        },
    );
    Ok(out)
}

/// One figure's HTML, and its SVG when it is a chart.
fn figure(doc: &Document, values: &Values, tera: &Tera, f: &Figure) -> Result<(String, Option<String>), Diagnostic> {
    let source = source_json(f.datasets.first().and_then(|d| doc.source_lines.get(d)));
    let caption = html_escape::encode_text(&f.caption).to_string();
    let mut ctx = Context::new();
    match &f.body {
        FigureBody::Chart { input, unit } => {
            let fmt = UnitFormat { unit, lang: doc.lang };
            let failed = |e: chart::ChartError| {
                Diagnostic::error(f.loc.clone(), format!("chart `{}`: {e}", f.key))
                    .hint("fix the data or the chart block")
            };
            // The author's description says what to see; the generated one
            // states the data. Screen readers get both, the point first.
            let desc_open = format!("<desc id=\"{}-desc\">", input.id);
            let with_point = |mut svg: String| {
                if let (Some(at), false) = (svg.find(&desc_open), f.description.is_empty()) {
                    let point = format!("{} ", html_escape::encode_text(&f.description));
                    svg.insert_str(at + desc_open.len(), &point);
                }
                svg
            };
            let svg = with_point(chart::render(input, &fmt).map_err(failed)?);
            // The file in charts/ may travel alone: it draws its own title,
            // unit and source line.
            let mut alone = (**input).clone();
            alone.unit_label = unit.to_string();
            alone.source = f
                .datasets
                .first()
                .and_then(|d| doc.source_lines.get(d))
                .map_or_else(String::new, |l| l.text.clone());
            let file = with_point(chart::render_standalone(&alone, &fmt).map_err(failed)?);
            ctx.insert(
                "figure",
                &json!({"id": f.html_id, "number": f.number.to_string(), "label": label(doc.lang, "fig", f.number), "title": f.title, "svg": svg, "caption": caption, "source": source, "chart_file": format!("charts/{}.svg", f.key), "description": f.description}),
            );
            let html = tera
                .render("partials/figure.html", &ctx)
                .map_err(|e| tera_error(&e, "partials/figure.html"))?;
            Ok((html, Some(file)))
        }
        FigureBody::Table(t) => {
            let mut table = json!(t);
            let has_derived = t.rows.iter().any(|r| r.cells.iter().any(|c| c.derived));
            let extra = json!({"id": f.html_id, "number": f.number.to_string(), "label": label(doc.lang, "tbl", f.number), "title": f.title, "caption": caption, "source": source, "description": f.description,
                "has_derived": has_derived, "derived_note": derived_note(doc.lang)});
            if let (Some(obj), Some(more)) = (table.as_object_mut(), extra.as_object()) {
                obj.extend(more.clone());
            }
            ctx.insert("table", &table);
            Ok((
                tera.render("partials/table.html", &ctx)
                    .map_err(|e| tera_error(&e, "partials/table.html"))?,
                None,
            ))
        }
        FigureBody::Stats(tiles) => {
            let tiles: Vec<serde_json::Value> = tiles
                .iter()
                .map(|t| {
                    let ds = values.get(&t.value).map(|v| v.dataset.clone()).unwrap_or_default();
                    let source = doc.source_lines.get(&ds).map_or("", |l| l.text.as_str());
                    let html =
                        crate::transform::inline::value_html(values, &t.value, source, doc.lang).unwrap_or_default();
                    json!({"value_html": html, "label": t.label, "source_text": source})
                })
                .collect();
            ctx.insert("stats", &json!({"tiles": tiles}));
            Ok((
                tera.render("partials/stats.html", &ctx)
                    .map_err(|e| tera_error(&e, "partials/stats.html"))?,
                None,
            ))
        }
    }
}
