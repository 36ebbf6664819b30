//! Render: one edition's [`Document`] through the [`Theme`]'s Tera
//! templates, with every chart drawn as inline SVG and also written alone.
//! A renderer reads the document and the theme and nothing else, so every
//! output (page, site, PDF) sees the same numbering, values and words.

pub mod templates;
pub mod views;

use crate::chart;
use crate::diag::{Diagnostic, Diagnostics};
use crate::transform::figures::{Figure, FigureBody, TableData, Tile, UnitFormat};
use crate::transform::{Document, Piece, SourceLine};
use rayon::prelude::*;
pub use templates::{REQUIRED, Theme, tera_error};
use tera::{Context, Tera};
use views::*;

/// One file to write, by path relative to the output folder.
#[derive(Debug)]
pub struct OutFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Renders one edition: its page and its charts, under `doc.dir`.
pub fn render(doc: &Document, theme: &Theme) -> Result<Vec<OutFile>, Diagnostics> {
    let (figure_html, mut out) = figures(doc, theme)?;
    let sections: Vec<SectionView> = doc
        .sections
        .iter()
        .map(|s| SectionView {
            id: &s.id,
            number: s.number,
            title: &s.title,
            summary: &s.summary,
            text_lang: s.text_lang.as_deref(),
            html: s.pieces.iter().fold(String::new(), |mut html, p| {
                match p {
                    Piece::Html(h) => crate::site::highlight::push_highlighted(&mut html, h),
                    Piece::Figure(i) => html.push_str(&figure_html[*i]),
                }
                html
            }),
        })
        .collect();
    // The code colours are inlined only into a page that has highlighted code.
    let css = if sections.iter().any(|s| s.html.contains("<pre class=\"hl\">")) {
        format!("{}\n{}", theme.css, crate::site::highlight::css())
    } else {
        theme.css.clone()
    };
    let page = PageView {
        report: &doc.meta,
        lang: doc.lang.code(),
        lang_tag: doc.ui.word("lang_tag"),
        ui: &doc.ui.words,
        toc: doc
            .sections
            .iter()
            .map(|s| TocEntry {
                id: &s.id,
                number: s.number,
                title: &s.title,
            })
            .collect(),
        sections,
        sources: &doc.sources,
        css: &css,
        generator: format!("quire {}", env!("CARGO_PKG_VERSION")),
        editions: &doc.editions,
    };
    let ui = tera::Value::from_serializable(&doc.ui.words);
    // The page goes to its file as bytes: rendered straight into a buffer
    // of about its size, it is neither regrown nor checked again as text.
    let size = page.sections.iter().map(|s| s.html.len()).sum::<usize>() + css.len() + (16 << 10);
    let mut html = Vec::with_capacity(size);
    theme
        .tera
        .render_to("report.html", &view_context("page", &page, ui), &mut html)
        .map_err(|e| vec![tera_error(&e, "report.html")])?;
    out.insert(
        0,
        OutFile {
            path: format!("{}index.html", doc.dir),
            bytes: html,
        },
    );
    Ok(out)
}

/// Every figure's HTML, in [`Document::figures`] order, and each chart's
/// standalone SVG file; shared by the report and the site renderer.
pub fn figures(doc: &Document, theme: &Theme) -> Result<(Vec<String>, Vec<OutFile>), Diagnostics> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut figure_html = Vec::new();
    let empty = SourceLine {
        text: String::new(),
        refs: Vec::new(),
    };
    // The edition's words once, not once per figure.
    let ui = tera::Value::from_serializable(&doc.ui.words);
    // Figures are drawn several at a time (a core free after one edition
    // helps with the other's); results keep the document's order.
    let rendered: Vec<_> = doc
        .figures
        .par_iter()
        .map(|f| {
            let source = f
                .datasets
                .first()
                .and_then(|d| doc.source_lines.get(d))
                .unwrap_or(&empty);
            figure(doc, &theme.tera, f, source, &ui)
        })
        .collect();
    for (f, r) in doc.figures.iter().zip(rendered) {
        match r {
            Ok((html, svg)) => {
                if let Some(svg) = svg {
                    out.push(OutFile {
                        path: format!("{}charts/{}.svg", doc.dir, f.key),
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
    Ok((figure_html, out))
}

/// Renders `template` with `view` under `name`, and the edition's words `ui`.
fn render_one<T: serde::Serialize>(
    tera: &Tera,
    template: &str,
    name: &'static str,
    view: &T,
    ui: &tera::Value,
) -> Result<String, Diagnostic> {
    tera.render(template, &view_context(name, view, ui.clone()))
        .map_err(|e| tera_error(&e, template))
}

/// What a template sees: `view` under `name`, and the edition's words `ui`.
fn view_context<T: serde::Serialize>(name: &'static str, view: &T, ui: tera::Value) -> Context {
    let mut ctx = Context::new();
    ctx.insert(name, view);
    ctx.insert_value("ui", ui);
    ctx
}

/// One figure's HTML, and its SVG when it is a chart.
fn figure(
    doc: &Document,
    tera: &Tera,
    f: &Figure,
    source: &SourceLine,
    ui: &tera::Value,
) -> Result<(String, Option<String>), Diagnostic> {
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
            // The file in charts/ may travel alone: it draws its own title,
            // unit (a count has none to name) and source line.
            let (svg, file) = chart::render_both(input, &fmt, unit.as_str(), &source.text).map_err(failed)?;
            let (svg, file) = (with_point(svg), with_point(file));
            let view = FigureView {
                id: &f.html_id,
                number: f.number,
                label: doc.ui.label("fig", f.number),
                title: &f.title,
                svg,
                caption: &f.caption,
                description: &f.description,
                source,
                chart_file: format!("charts/{}.svg", f.key),
                data: data_table(doc, f, input, &fmt),
            };
            let html = render_one(tera, "partials/figure.html", "figure", &view, ui)?;
            Ok((html, Some(file)))
        }
        FigureBody::Table(t) => Ok((table(doc, tera, f, t, source, ui)?, None)),
        FigureBody::Stats(tiles) => Ok((stats(tera, f, tiles, ui)?, None)),
    }
}

/// A chart's numbers, formatted as on its axis, for the table under it.
fn data_table(doc: &Document, f: &Figure, input: &chart::ChartInput, fmt: &UnitFormat) -> DataTableView {
    use chart::ValueFormat as _;
    DataTableView {
        corner: doc.ui.label("fig", f.number),
        columns: input.series.iter().map(|s| s.label.clone()).collect(),
        rows: input
            .categories
            .iter()
            .enumerate()
            .map(|(i, _)| DataRowView {
                label: input.row_label(i),
                cells: input
                    .series
                    .iter()
                    .map(|s| match s.values.get(i).copied().flatten() {
                        Some(v) => CellView {
                            text: fmt.format(v, input.decimals),
                            value: crate::transform::inline::machine(v * fmt.unit.factor()),
                            derived: s.derived.get(i).copied().unwrap_or(false),
                        },
                        None => CellView {
                            text: "–".into(),
                            value: String::new(),
                            derived: false,
                        },
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn table(
    doc: &Document,
    tera: &Tera,
    f: &Figure,
    t: &TableData,
    source: &SourceLine,
    ui: &tera::Value,
) -> Result<String, Diagnostic> {
    let view = TableView {
        id: &f.html_id,
        number: f.number,
        label: doc.ui.label("tbl", f.number),
        title: &f.title,
        caption: &f.caption,
        description: &f.description,
        source,
        header_label: &t.header_label,
        columns: &t.columns,
        rows: &t.rows,
        total: t.total.as_ref(),
        has_derived: t.rows.iter().chain(&t.total).any(|r| r.cells.iter().any(|c| c.derived)),
    };
    render_one(tera, "partials/table.html", "table", &view, ui)
}

fn stats(tera: &Tera, f: &Figure, tiles: &[Tile], ui: &tera::Value) -> Result<String, Diagnostic> {
    let view = StatsView {
        id: &f.html_id,
        tiles: tiles
            .iter()
            .map(|t| TileView {
                value_html: &t.html,
                label: &t.label,
                source_text: &t.source_text,
            })
            .collect(),
    };
    render_one(tera, "partials/stats.html", "stats", &view, ui)
}
