//! Datasets: `content/data/<id>.yaml`, or `content/data/<id>.csv` with a
//! side file `<id>.yaml`, into [`Dataset`]. Every field, row, formula and
//! check is checked for shape before any value is computed, and every
//! problem found is reported in the same run, each at the construct it is
//! about.

use super::files;
use super::{file_stem, is_ident, opt_text};
use crate::diag::{Diagnostic, Loc, SourceMap};
use crate::expr;
use crate::model::*;
use crate::text::Text;
use crate::units::Unit;
use crate::yaml::{Doc, Node};
use std::path::Path;
use std::sync::Arc;

/// Largest `digits:` a field or derived value may ask for. Twelve digits
/// after the point is beyond any source's precision, and a bound keeps the
/// formatter from building absurd strings.
pub const MAX_DIGITS: usize = 12;

/// Names a field may not have: rows use them for their own key and label.
const RESERVED: [&str; 2] = ["key", "label"];

/// Keys of a YAML dataset.
const DATASET_KEYS: [&str; 9] = [
    "title",
    "scope",
    "unit",
    "source",
    "fields",
    "rows",
    "derived",
    "checks",
    "description",
];

/// Collects errors so one run reports them all.
#[derive(Default)]
pub(super) struct Errs(pub Vec<Diagnostic>);

impl Errs {
    /// The value, or `None` after recording its error.
    pub(super) fn ok<T>(&mut self, r: Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.0.push(d)).ok()
    }
}

/// Reads every dataset in `content/data`: `.yaml` files, and `.csv` files
/// with their side files. Returns the datasets and every diagnostic (errors
/// and warnings about entries not read).
pub fn load_all(root: &Path, files: &mut SourceMap) -> (Vec<Dataset>, Vec<Diagnostic>) {
    let listing = files::list(root, "content/data", &["yaml", "csv"], "datasets");
    let mut diags = listing.diagnostics;
    let names: std::collections::HashSet<&str> = listing.files.iter().map(String::as_str).collect();
    /// A dataset loaded, or a YAML file still to read and parse.
    enum Item<'a> {
        Done(Box<Result<Dataset, Vec<Diagnostic>>>),
        Yaml(&'a str),
    }
    // YAML datasets are read and parsed on every core; their texts join the
    // source map, and their results the list, in the listing's order.
    let mut items = Vec::new();
    for rel in &listing.files {
        if let Some(stem) = rel.strip_suffix(".csv") {
            let side = format!("{stem}.yaml");
            items.push(Item::Done(Box::new(if names.contains(side.as_str()) {
                super::csv::load_csv(root, rel, &side, files)
            } else {
                Err(vec![
                    Diagnostic::error(Loc::file(rel), format!("the CSV dataset `{rel}` has no side file")).hint(
                        format!(
                            "add `{side}` with `title`, `scope`, `source` and the fields' units; \
                             the numbers need a source like any other dataset"
                        ),
                    ),
                ])
            })));
        } else if names.contains(format!("{}.csv", rel.trim_end_matches(".yaml")).as_str()) {
            // The side file of a CSV dataset, read with it.
            continue;
        } else {
            items.push(Item::Yaml(rel));
        }
    }
    use rayon::prelude::*;
    /// A dataset file's text (to quote in messages), when it was read, and
    /// what loading it gave.
    type Loaded<'a> = (Option<(&'a str, String)>, Result<Dataset, Vec<Diagnostic>>);
    let results: Vec<Loaded> = items
        .into_par_iter()
        .map(|item| match item {
            Item::Done(r) => (None, *r),
            Item::Yaml(rel) => match files::read_text(root, rel, files::MAX_TEXT_BYTES) {
                Ok(text) => {
                    let parsed = dataset(rel, &text);
                    (Some((rel, text)), parsed)
                }
                Err(e) => (None, Err(vec![e.diagnostic(rel)])),
            },
        })
        .collect();
    let mut out = Vec::new();
    for (text, result) in results {
        if let Some((rel, text)) = text {
            files.add_owned(rel, text);
        }
        match result {
            Ok(d) => out.push(d),
            Err(d) => diags.extend(d),
        }
    }
    (out, diags)
}

/// The id a dataset file gives, or why it is not one.
fn dataset_id(rel: &str) -> Result<String, Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let id = name.strip_suffix(".csv").unwrap_or_else(|| file_stem(rel)).to_string();
    if is_ident(&id) {
        Ok(id)
    } else {
        Err(
            Diagnostic::error(Loc::file(rel), format!("`{id}` is not a valid dataset id"))
                .hint("name the file in snake_case (letters, digits, `_`), e.g. `ai_capex.yaml`"),
        )
    }
}

/// Parses one YAML dataset file.
pub fn dataset(rel: &str, text: &str) -> Result<Dataset, Vec<Diagnostic>> {
    let id = dataset_id(rel).map_err(|d| vec![d])?;
    let doc = Doc::parse(rel, text, 0).map_err(|d| vec![d])?;
    let root = doc.root();
    let mut errs = Errs::default();
    let Some(head) = header(&root, &DATASET_KEYS, "rows", &mut errs) else {
        return Err(errs.0);
    };
    let mut fields = Vec::new();
    for decl in &head.fields {
        let kind = decl.kind.unwrap_or(FieldKind::Number);
        let unit = field_unit(decl, kind, &head.default_unit, &mut errs);
        fields.push(decl.field(kind, unit));
    }
    let mut rows = Rows::default();
    let mut table = Table::default();
    if let Some(rows_node) = root.get("rows")
        && let Some(items) = errs.ok(rows_node.items())
    {
        table = Table::with_capacity(items.len(), items.len() * fields.len());
        rows = Rows::with_capacity(items.len(), 0);
        for n in items {
            yaml_row(&n, &fields, &mut table, &mut rows, &mut errs);
        }
        rows.finish();
        for r in table.index_rows() {
            errs.0.push(duplicate_key(rel, table.key(r), rows.at(r)));
        }
    }
    finish(id, rel, head, fields, rows, table, errs)
}

/// What a dataset and a CSV side file declare besides rows.
pub(super) struct Header {
    title: Text,
    scope: Text,
    pub default_unit: Option<Unit>,
    source: Citation,
    pub fields: Vec<FieldDecl>,
    derived: Vec<(Derived, Loc)>,
    checks: Vec<Check>,
}

/// A field as declared, before its kind is settled (a CSV column's kind may
/// be inferred from its cells).
pub(super) struct FieldDecl {
    pub key: String,
    pub label: Text,
    pub unit: Option<Unit>,
    pub digits: Option<usize>,
    pub kind: Option<FieldKind>,
    pub loc: Loc,
}

impl FieldDecl {
    pub(super) fn field(&self, kind: FieldKind, unit: Unit) -> Field {
        Field {
            kind,
            key: self.key.clone(),
            label: label_or(self.label.clone(), &self.key),
            unit,
            digits: self.digits,
            loc: self.loc.clone(),
        }
    }
}

/// A field's unit: its own, the dataset's, or (for numbers) an error.
pub(super) fn field_unit(decl: &FieldDecl, kind: FieldKind, default: &Option<Unit>, errs: &mut Errs) -> Unit {
    if kind != FieldKind::Number {
        return decl.unit.clone().unwrap_or_else(Unit::plain);
    }
    match (&decl.unit, default) {
        (Some(u), _) | (None, Some(u)) => u.clone(),
        (None, None) => {
            errs.0.push(
                Diagnostic::error(decl.loc.clone(), format!("field `{}` has no unit", decl.key)).hint(
                    "add `unit:` to the field or to the dataset (e.g. `unit: USD bn`, `unit: \"%\"`); \
                     a column that is not a number takes `kind: text` or `kind: date`",
                ),
            );
            Unit::plain()
        }
    }
}

/// Reads everything but rows. `None` only when the document is not a
/// mapping at all; otherwise each problem is recorded and reading goes on.
pub(super) fn header(root: &Node, allowed: &[&str], rows_key: &str, errs: &mut Errs) -> Option<Header> {
    if !root.is_map() {
        errs.0.push(Diagnostic::error(
            root.start_loc(),
            "a dataset must be a mapping with `title`, `scope`, `source` and `fields`",
        ));
        return None;
    }
    if let Some(unknown) = errs.ok(root.unknown_keys(allowed)) {
        errs.0.extend(unknown);
    }
    // Every missing required key, in one run.
    let mut required = vec![
        ("title", "what the data is"),
        ("scope", "what the numbers cover"),
        (
            "source",
            "which sources the numbers come from: `source: {cites: [id], note: …}`",
        ),
        ("fields", "the columns"),
    ];
    if rows_key == "rows" {
        required.push(("rows", "the records"));
    }
    for (key, what) in required {
        if root.get(key).is_none() {
            errs.0.push(root.req(key, what).err()?);
        }
    }
    let text = |key: &str, errs: &mut Errs| root.get(key).and_then(|n| errs.ok(n.text())).unwrap_or_default();
    let title = text("title", errs);
    let scope = text("scope", errs);
    let default_unit = root.get("unit").and_then(|u| errs.ok(unit(&u)));
    let source = root.get("source").map(|s| citation(&s, errs)).unwrap_or(Citation {
        cites: Vec::new(),
        note: Text::default(),
    });
    let mut fields: Vec<FieldDecl> = Vec::new();
    if let Some(f) = root.get("fields") {
        match f.entries() {
            Ok(entries) if entries.is_empty() => errs.0.push(f.error("a dataset needs at least one field")),
            Ok(entries) => {
                for (key, n) in entries {
                    if let Some(d) = field_decl(&key, &n, errs) {
                        fields.push(d);
                    }
                }
            }
            Err(_) if f.is_null() => errs.0.push(f.error("a dataset needs at least one field")),
            Err(e) => errs.0.push(e),
        }
    }
    let derived = root.get("derived").map(|d| derived(&d, errs)).unwrap_or_default();
    let checks = root.get("checks").map(|c| checks(&c, errs)).unwrap_or_default();
    Some(Header {
        title,
        scope,
        default_unit,
        source,
        fields,
        derived,
        checks,
    })
}

fn citation(src: &Node, errs: &mut Errs) -> Citation {
    let mut out = Citation {
        cites: Vec::new(),
        note: Text::default(),
    };
    if let Some(unknown) = errs.ok(src.unknown_keys(&["cites", "note"])) {
        errs.0.extend(unknown);
    }
    out.note = errs.ok(opt_text(src, "note")).unwrap_or_default();
    let Some(cites) = errs.ok(src.req("cites", "source ids from report.yaml `sources`")) else {
        return out;
    };
    if cites.is_map() {
        errs.0.push(cites.error("`cites` should be a list of source ids"));
    } else if let Ok(items) = cites.items() {
        out.cites = items
            .iter()
            .filter_map(|n| errs.ok(n.str()).map(|s| (s, n.loc())))
            .collect();
    } else if let Some(s) = errs.ok(cites.str()) {
        out.cites = vec![(s, cites.loc())];
    }
    out
}

/// Checks a field or column name: snake_case, and not `key` or `label`.
pub(super) fn field_name(key: &str, at: Loc) -> Result<(), Diagnostic> {
    if RESERVED.contains(&key) {
        return Err(Diagnostic::error(at, format!("`{key}` cannot be a field name"))
            .hint("`key` and `label` name each row and what the reader sees; rename the field, e.g. `key_value`"));
    }
    if !is_ident(key) {
        return Err(Diagnostic::error(at, format!("`{key}` is not a valid field name"))
            .hint("use snake_case: letters, digits and `_`, starting with a letter"));
    }
    Ok(())
}

fn field_decl(key: &str, n: &Node, errs: &mut Errs) -> Option<FieldDecl> {
    errs.ok(field_name(key, n.loc()))?;
    let mut decl = FieldDecl {
        key: key.to_string(),
        label: Text::default(),
        unit: None,
        digits: None,
        kind: None,
        loc: n.loc(),
    };
    if n.is_map() {
        if let Some(unknown) = errs.ok(n.unknown_keys(&["label", "unit", "digits", "kind"])) {
            errs.0.extend(unknown);
        }
        decl.label = errs.ok(opt_text(n, "label")).unwrap_or_default();
        decl.unit = n.get("unit").and_then(|u| errs.ok(unit(&u)));
        decl.digits = n.get("digits").and_then(|d| errs.ok(digits(&d)));
        decl.kind = n.get("kind").and_then(|k| errs.ok(kind(&k)));
    } else if !n.is_null() {
        decl.label = errs.ok(n.text())?;
    }
    Some(decl)
}

fn kind(n: &Node) -> Result<FieldKind, Diagnostic> {
    match n.str()?.as_str() {
        "number" => Ok(FieldKind::Number),
        "text" => Ok(FieldKind::Text),
        "date" => Ok(FieldKind::Date),
        other => Err(
            Diagnostic::error(n.value_loc(), format!("unknown field kind `{other}`"))
                .hint("use `number`, `text` or `date` (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`)"),
        ),
    }
}

/// `digits:`, a whole number from 0 to [`MAX_DIGITS`].
fn digits(n: &Node) -> Result<usize, Diagnostic> {
    let d = n.count()?;
    if d > MAX_DIGITS {
        return Err(
            Diagnostic::error(n.value_loc(), format!("`digits: {d}` is more than {MAX_DIGITS}"))
                .hint(format!("give 0 to {MAX_DIGITS} digits after the decimal point")),
        );
    }
    Ok(d)
}

fn derived(d: &Node, errs: &mut Errs) -> Vec<(Derived, Loc)> {
    let mut out = Vec::new();
    let Some(entries) = errs.ok(d.entries()) else {
        return out;
    };
    for (name, n) in entries {
        if !is_ident(&name) {
            errs.0
                .push(n.error(format!("`{name}` is not a valid name")).hint("use snake_case"));
            continue;
        }
        if let Some(unknown) = errs.ok(n.unknown_keys(&["expr", "unit", "digits", "label", "note"])) {
            errs.0.extend(unknown);
        }
        let Some(src_node) = errs.ok(n.req("expr", "the formula, e.g. `us.rmb / us.usd`")) else {
            continue;
        };
        let Some(expr_src) = errs.ok(src_node.str()) else {
            continue;
        };
        let Some(expr) = errs.ok(expr::parse(&expr_src).map_err(|m| src_node.error(format!("bad expression: {m}"))))
        else {
            continue;
        };
        let unit = n.get("unit").and_then(|u| errs.ok(unit(&u)));
        let digits = n.get("digits").and_then(|x| errs.ok(digits(&x)));
        let label = errs.ok(opt_text(&n, "label")).unwrap_or_default();
        out.push((
            Derived {
                expr,
                expr_src,
                unit,
                digits,
                label,
                loc: n.loc(),
                name,
            },
            n.loc(),
        ));
    }
    out
}

fn checks(c: &Node, errs: &mut Errs) -> Vec<Check> {
    let mut out: Vec<Check> = Vec::new();
    let Some(items) = errs.ok(c.items()) else {
        return out;
    };
    for n in items {
        if let Some(unknown) = errs.ok(n.unknown_keys(&["id", "assert", "label"])) {
            errs.0.extend(unknown);
        }
        let id = n.req("id", "the check's name").and_then(|i| i.str());
        let a = n.req("assert", "the relationship, e.g. `between(cn.usd / us.usd, 1/4, 1/3)`");
        let (Some(id), Some(a)) = (errs.ok(id), errs.ok(a)) else {
            continue;
        };
        if out.iter().any(|c| c.id == id) {
            errs.0.push(n.error(format!("duplicate check id `{id}`")));
            continue;
        }
        let Some(expr_src) = errs.ok(a.str()) else { continue };
        let Some(expr) = errs.ok(expr::parse(&expr_src).map_err(|m| a.error(format!("bad expression: {m}")))) else {
            continue;
        };
        out.push(Check {
            id,
            expr,
            expr_src,
            label: errs.ok(opt_text(&n, "label")).unwrap_or_default(),
            loc: a.value_loc(),
        });
    }
    out
}

/// Checks a row key: any text without `.` (which separates the parts of a
/// name), not blank. Repeated keys are found afterwards by
/// [`duplicate_keys`], in n log n.
pub(super) fn row_key_problem(key: &str) -> Option<(String, &'static str)> {
    // The common key, checked in one pass over its few bytes: it starts
    // with a visible ASCII character and has no `.` (a library search per
    // key costs more than the key is long).
    if key.as_bytes().first().is_some_and(u8::is_ascii_graphic) && !key.bytes().any(|b| b == b'.') {
        return None;
    }
    if key.trim().is_empty() {
        return Some(("a row has an empty key".to_string(), "give every row a key"));
    }
    if key.contains('.') {
        return Some((
            format!("the row key `{key}` contains `.`"),
            "`.` separates the parts of a name such as `gdp.1971.usd`; use `_` or `-` instead",
        ));
    }
    None
}

/// The error for a row whose key an earlier row has. Repeated keys are
/// found by the [`Table`]'s index as rows are read, one hash lookup a row.
pub(super) fn duplicate_key(rel: &str, key: &str, at: Pos) -> Diagnostic {
    Diagnostic::error(
        Loc::new(rel, at.line as usize, at.col as usize),
        format!("duplicate row key `{key}`"),
    )
    .hint("every row needs its own key")
}

/// One row of a YAML dataset: its key and number cells go to `table`, the
/// rest to `rows`; a row without a usable key is left out.
fn yaml_row(n: &Node, fields: &[Field], table: &mut Table, rows: &mut Rows, errs: &mut Errs) -> Option<()> {
    if !n.is_map() {
        errs.0.push(
            n.error("a row should be a mapping")
                .hint("write `- key: us` and then one `field: value` line per field"),
        );
        return None;
    }
    let key_node = errs.ok(n.req("key", "the row's name, e.g. `us` or \"1971\""))?;
    let key = errs.ok(key_node.str())?;
    if let Some((msg, hint)) = row_key_problem(&key) {
        errs.0.push(key_node.error(msg).hint(hint));
        return None;
    }
    for (k, v) in errs.ok(n.entries())? {
        if RESERVED.contains(&k.as_str()) {
            continue;
        }
        let Some(f) = fields.iter().position(|f| f.key == k) else {
            let hint = match crate::text::closest(&k, fields.iter().map(|f| f.key.as_str())) {
                Some(c) => format!("did you mean `{c}`? declare new fields under `fields:`"),
                None => "declare it under `fields:` first".to_string(),
            };
            errs.0
                .push(v.error(format!("unknown field `{k}` in row `{key}`")).hint(hint));
            continue;
        };
        match fields[f].kind {
            FieldKind::Number => {
                if let Some((value, note)) = errs.ok(cell(&v)) {
                    table.push(f, value, note, v.pos());
                }
            }
            FieldKind::Text => {
                if let Some(t) = errs.ok(v.str()) {
                    rows.push_text(f, &t);
                }
            }
            FieldKind::Date => {
                let d = v.str().and_then(|s| {
                    parse_date(&s).ok_or_else(|| {
                        Diagnostic::error(v.value_loc(), format!("`{s}` is not a date"))
                            .hint("write `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, quoted")
                    })
                });
                if let Some(d) = errs.ok(d) {
                    rows.push_date(f, d);
                }
            }
        }
    }
    let label = errs.ok(opt_text(n, "label"));
    table.end_row(&key);
    rows.end_row(n.pos(), label);
    Some(())
}

/// The dataset, when no error was found; otherwise every error.
pub(super) fn finish(
    id: String,
    rel: &str,
    head: Header,
    fields: Vec<Field>,
    rows: Rows,
    table: Table,
    mut errs: Errs,
) -> Result<Dataset, Vec<Diagnostic>> {
    for (d, at) in &head.derived {
        if table.row(&d.name).is_some() {
            errs.0.push(
                Diagnostic::error(at.clone(), format!("`{}` is both a row and a derived value", d.name))
                    .hint("rename one of them"),
            );
        }
    }
    if !errs.0.is_empty() {
        return Err(errs.0);
    }
    Ok(Dataset {
        id,
        file: rel.to_string(),
        title: head.title,
        scope: head.scope,
        source: head.source,
        fields,
        rows,
        table: Arc::new(table),
        derived: head.derived.into_iter().map(|(d, _)| d).collect(),
        checks: head.checks,
    })
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (or `YYYY/MM/DD`, as many
/// exported files write it) into a valid calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    parse_date_bytes(s.as_bytes())
}

/// [`parse_date`] of raw bytes: a CSV cell needs no UTF-8 check first,
/// since every valid date is ASCII.
pub(super) fn parse_date_bytes(b: &[u8]) -> Option<Date> {
    let num = |r: std::ops::Range<usize>| -> Option<u16> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0u16, |n, d| n * 10 + u16::from(d - b'0')))
    };
    let year = num(0..4)?;
    // ISO's `-`, or the `/` many exported files use; one kind per date.
    let sep = |i: usize| b[i] == b'-' || b[i] == b'/';
    let (month, day) = match b.len() {
        4 => (None, None),
        7 if sep(4) => (Some(num(5..7)? as u8), None),
        10 if sep(4) && b[7] == b[4] => (Some(num(5..7)? as u8), Some(num(8..10)? as u8)),
        _ => return None,
    };
    if let Some(m) = month
        && !(1..=12).contains(&m)
    {
        return None;
    }
    if let (Some(m), Some(d)) = (month, day) {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match m {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if d == 0 || d > days {
            return None;
        }
    }
    Some(Date { year, month, day })
}

/// A label, or the key itself when the author gave none.
pub(super) fn label_or(label: Text, key: &str) -> Text {
    if label.is_empty() { Text::plain(key) } else { label }
}

fn unit(n: &Node) -> Result<Unit, Diagnostic> {
    Unit::parse(&n.str()?).map_err(|m| n.error(m))
}

/// A number cell: a plain number, or `{value|derive, note}`.
fn cell(n: &Node) -> Result<(CellValue, Text), Diagnostic> {
    if !n.is_map() {
        return Ok((CellValue::Given(n.number()?), Text::default()));
    }
    n.only_keys(&["value", "derive", "note"])?;
    let note = opt_text(n, "note")?;
    let value = match (n.get("value"), n.get("derive")) {
        (Some(v), None) => CellValue::Given(v.number()?),
        (None, Some(d)) => {
            let src = d.str()?;
            let e = expr::parse(&src).map_err(|m| d.error(format!("bad expression: {m}")))?;
            CellValue::Derive(e, src)
        }
        _ => {
            return Err(n
                .error("a cell has either `value:` or `derive:`")
                .hint("e.g. `{value: 155, note: over}` or `{derive: \"rmb / rate\"}`"));
        }
    };
    Ok((value, note))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_at_three_precisions() {
        assert_eq!(parse_date("1971").unwrap().to_string(), "1971");
        assert_eq!(parse_date("2024-02").unwrap().to_string(), "2024-02");
        assert_eq!(parse_date("2024-02-29").unwrap().to_string(), "2024-02-29");
        // Slashes, as exported files write them, read as the same dates.
        assert_eq!(parse_date("2012/01/31").unwrap().to_string(), "2012-01-31");
        assert_eq!(parse_date("2012/03").unwrap().to_string(), "2012-03");
        for bad in [
            "2023-02-29",
            "2024-13",
            "2024-00-10",
            "24",
            "2024/01-01",
            "2024/02/30",
            "2024-1-1",
            "abcd",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
