//! CSV datasets: `content/data/<id>.csv`, described by the side file
//! `<id>.yaml` (everything a YAML dataset declares except `rows`).
//!
//! The first column is the row key unless the side file says `key: <column>`;
//! a column named `label` (or the one `label: <column>` names) gives the
//! rows' labels. Every other column is a field, typed by the side file's
//! `kind:` or, when not declared, inferred from its cells: all numbers make a
//! number column, all dates a date column, anything else a text column.
//!
//! The rows of a large file are the hot path: records are read into one
//! reused `ByteRecord`, numbers are parsed straight from its bytes, and a
//! diagnostic (with the exact line and column of the bad cell) is built only
//! when something is wrong.

use super::dataset::{
    self, Errs, FieldDecl, duplicate_key, field_name, field_unit, parse_date_bytes, row_key_problem,
};
use super::files::{self, MAX_CSV_BYTES};
use crate::diag::{Diagnostic, Loc, SourceMap};
use crate::model::*;
use crate::text::Text;
use crate::yaml::Doc;
use std::path::Path;

/// At most this many errors are reported for one CSV file: a wrong column
/// type could otherwise produce a million identical messages.
const MAX_ERRORS: usize = 50;

/// One column of the file and what it becomes.
#[derive(Clone)]
struct Column {
    name: String,
    role: Role,
    /// Where its header cell is.
    at: Pos,
}

#[derive(Clone, Copy, PartialEq)]
enum Role {
    Key,
    Label,
    /// A field (index into the dataset's fields) of this kind; `inferred`
    /// when the side file did not declare the kind.
    Field {
        index: usize,
        kind: FieldKind,
        inferred: bool,
    },
}

/// Why the rows must be read again: an undeclared column turned out not to
/// be a number (or not a date).
struct Retype {
    column: usize,
    kind: FieldKind,
}

/// Reads the CSV dataset `rel` with its side file `side`.
pub fn load_csv(root: &Path, rel: &str, side: &str, files: &mut SourceMap) -> Result<Dataset, Vec<Diagnostic>> {
    let id = rel
        .rsplit('/')
        .next()
        .and_then(|n| n.strip_suffix(".csv"))
        .unwrap_or(rel)
        .to_string();
    let side_text = files::read(root, side, files).map_err(|d| vec![d])?;
    let doc = Doc::parse(side, &side_text, 0).map_err(|d| vec![d])?;
    let root_node = doc.root();
    let mut errs = Errs::default();
    if !super::is_ident(&id) {
        errs.0.push(
            Diagnostic::error(Loc::file(rel), format!("`{id}` is not a valid dataset id"))
                .hint("name the file in snake_case (letters, digits, `_`), e.g. `gdp.csv`"),
        );
    }
    let Some(head) = dataset::header(&root_node, &SIDE_KEYS, "", &mut errs) else {
        return Err(errs.0);
    };
    let key_name = root_node
        .get("key")
        .and_then(|n| errs.ok(n.str()).map(|s| (s, n.value_loc())));
    let label_name = root_node
        .get("label")
        .and_then(|n| errs.ok(n.str()).map(|s| (s, n.value_loc())));

    let bytes = match files::read_bytes(root, rel, MAX_CSV_BYTES) {
        Ok(b) => b,
        Err(e) => {
            errs.0.push(e.diagnostic(rel));
            return Err(errs.0);
        }
    };
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let csv_errors_before = errs.0.len();
    let result = read_csv(rel, body, &head, key_name, label_name, &mut errs);
    if errs.0.len() > csv_errors_before {
        // The messages point into the CSV file: let them quote it.
        files.add(rel, &String::from_utf8_lossy(body));
    }
    let Some((fields, (rows, table))) = result else {
        return Err(errs.0);
    };
    dataset::finish(id, rel, head, fields, rows, table, errs)
}

/// Keys of a side file (shared with the dataset module for its message).
const SIDE_KEYS: [&str; 10] = [
    "title",
    "scope",
    "unit",
    "source",
    "fields",
    "derived",
    "checks",
    "description",
    "key",
    "label",
];

/// The header row, the columns' roles, then the rows.
fn read_csv(
    rel: &str,
    body: &[u8],
    head: &dataset::Header,
    key_name: Option<(String, Loc)>,
    label_name: Option<(String, Loc)>,
    errs: &mut Errs,
) -> Option<(Vec<Field>, ReadRows)> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(body);
    let mut header = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut header) {
        Ok(true) => {}
        Ok(false) => {
            errs.0.push(
                Diagnostic::error(Loc::file(rel), "the CSV file is empty")
                    .hint("write a header row naming the columns, then one row per record"),
            );
            return None;
        }
        Err(e) => {
            errs.0.push(csv_error(rel, &e));
            return None;
        }
    }
    let mut columns = Vec::new();
    for j in 0..header.len() {
        let at = cell_pos(body, &header, j);
        let loc = Loc::new(rel, at.line as usize, at.col as usize);
        match std::str::from_utf8(&header[j]) {
            Ok(name) => columns.push(Column {
                name: name.trim().to_string(),
                role: Role::Key,
                at,
            }),
            Err(_) => {
                errs.0
                    .push(Diagnostic::error(loc, "this column name is not valid UTF-8").hint("save the file as UTF-8"));
                return None;
            }
        }
    }
    // The key column: the first, or the one the side file names.
    let key_col = match &key_name {
        None => 0,
        Some((name, at)) => match columns.iter().position(|c| &c.name == name) {
            Some(i) => i,
            None => {
                let hint = crate::text::suggest(name, columns.iter().map(|c| c.name.as_str()), "columns");
                errs.0
                    .push(Diagnostic::error(at.clone(), format!("the CSV file has no column `{name}`")).hint(hint));
                return None;
            }
        },
    };
    let label_col = match &label_name {
        None => columns.iter().position(|c| c.name == "label").filter(|&i| i != key_col),
        Some((name, at)) => match columns.iter().position(|c| &c.name == name) {
            Some(i) if i != key_col => Some(i),
            _ => {
                let hint = crate::text::suggest(name, columns.iter().map(|c| c.name.as_str()), "columns");
                errs.0.push(
                    Diagnostic::error(at.clone(), format!("the CSV file has no column `{name}` for labels")).hint(hint),
                );
                return None;
            }
        },
    };
    let mut decls: Vec<FieldDecl> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (j, c) in columns.iter_mut().enumerate() {
        let loc = Loc::new(rel, c.at.line as usize, c.at.col as usize);
        if !seen.insert(c.name.clone()) {
            errs.0.push(
                Diagnostic::error(loc, format!("the column `{}` appears twice", c.name))
                    .hint("give every column its own name"),
            );
            continue;
        }
        if j == key_col {
            continue;
        }
        if Some(j) == label_col {
            c.role = Role::Label;
            continue;
        }
        if errs.ok(field_name(&c.name, loc.clone())).is_none() {
            continue;
        }
        let declared = head.fields.iter().find(|d| d.key == c.name);
        // A unit or digits declare a number as plainly as `kind: number`.
        let kind = declared.and_then(|d| {
            d.kind
                .or((d.unit.is_some() || d.digits.is_some()).then_some(FieldKind::Number))
        });
        c.role = Role::Field {
            index: decls.len(),
            kind: kind.unwrap_or(FieldKind::Number),
            inferred: kind.is_none(),
        };
        decls.push(match declared {
            Some(d) => FieldDecl {
                key: d.key.clone(),
                label: d.label.clone(),
                unit: d.unit.clone(),
                digits: d.digits,
                kind: d.kind,
                loc: d.loc.clone(),
            },
            None => FieldDecl {
                key: c.name.clone(),
                label: Text::default(),
                unit: None,
                digits: None,
                kind: None,
                loc,
            },
        });
    }
    for d in &head.fields {
        if !columns.iter().any(|c| c.name == d.key) {
            let hint = crate::text::suggest(&d.key, columns.iter().map(|c| c.name.as_str()), "columns");
            errs.0.push(
                Diagnostic::error(d.loc.clone(), format!("the field `{}` is not a column of {rel}", d.key)).hint(hint),
            );
        } else if columns
            .iter()
            .any(|c| c.name == d.key && !matches!(c.role, Role::Field { .. }))
        {
            errs.0.push(Diagnostic::error(
                d.loc.clone(),
                format!("`{}` is the key or label column, not a field", d.key),
            ));
        }
    }
    if !errs.0.is_empty() {
        return None;
    }
    // Read the rows; an undeclared column that is not all numbers is read
    // again as dates or text. Each column changes kind at most twice.
    let errors_before = errs.0.len();
    let rows = loop {
        match read_rows(rel, body, &columns, key_col, errs) {
            Ok(rows) => break rows,
            Err(Retype { column, kind }) => {
                // What the abandoned pass found is found again, or not at all.
                errs.0.truncate(errors_before);
                if let Role::Field { kind: k, .. } = &mut columns[column].role {
                    *k = kind;
                }
            }
        }
    };
    let fields = columns
        .iter()
        .filter_map(|c| match c.role {
            Role::Field { index, kind, .. } => {
                let decl = &decls[index];
                let unit = field_unit(decl, kind, &head.default_unit, errs);
                Some(decl.field(kind, unit))
            }
            _ => None,
        })
        .collect();
    let rows = rows?;
    Some((fields, rows))
}

/// The rows and their number cells.
type ReadRows = (Rows, Table);

/// One pass over the records. `Err` asks for another pass with a column
/// retyped; `Ok(None)` means errors were recorded.
fn read_rows(
    rel: &str,
    body: &[u8],
    columns: &[Column],
    key_col: usize,
    errs: &mut Errs,
) -> Result<Option<ReadRows>, Retype> {
    let errors_before = errs.0.len();
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
    let numbers = columns
        .iter()
        .filter(|c| {
            matches!(
                c.role,
                Role::Field {
                    kind: FieldKind::Number,
                    ..
                }
            )
        })
        .count();
    let texts = columns
        .iter()
        .filter(|c| matches!(c.role, Role::Field { kind, .. } if kind != FieldKind::Number))
        .count();
    // One row a line, near enough; saves regrowing vectors of a million rows.
    let lines = body.iter().filter(|&&b| b == b'\n').count();
    let mut rows = Rows::with_capacity(lines, lines * texts);
    let mut table = Table::with_capacity(lines, lines * numbers);
    // The keys are part of the file, so its length bounds them: room that
    // is never written costs no memory.
    table.reserve_keys(body.len());
    let whole = Whole::of(body);
    let mut rec = csv::ByteRecord::new();
    let located = |rec: &csv::ByteRecord, j: usize| {
        let p = cell_pos(body, rec, j);
        Loc::new(rel, p.line as usize, p.col as usize)
    };
    loop {
        if errs.0.len() - errors_before >= MAX_ERRORS {
            errs.0.push(
                Diagnostic::error(
                    Loc::file(rel),
                    format!("more than {MAX_ERRORS} errors in this file; stopped reading"),
                )
                .hint("fix the errors above (often one column of the wrong kind) and run again"),
            );
            break;
        }
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let unequal = matches!(e.kind(), csv::ErrorKind::UnequalLengths { .. });
                errs.0.push(csv_error(rel, &e));
                if unequal {
                    continue;
                }
                break;
            }
        }
        let simple = whole.simple || is_simple(body, &rec);
        let Some(key) = whole.utf8(&rec[key_col]) else {
            errs.0.push(
                Diagnostic::error(located(&rec, key_col), "this key is not valid UTF-8").hint("save the file as UTF-8"),
            );
            continue;
        };
        if let Some((msg, hint)) = row_key_problem(key) {
            errs.0.push(Diagnostic::error(located(&rec, key_col), msg).hint(hint));
            continue;
        }
        let mut label = None;
        for (j, c) in columns.iter().enumerate() {
            let raw = &rec[j];
            match c.role {
                Role::Key => {}
                Role::Label => {
                    if !raw.is_empty() {
                        match whole.utf8(raw) {
                            Some(s) => label = Some(Text::plain(s)),
                            None => errs.0.push(
                                Diagnostic::error(located(&rec, j), "this label is not valid UTF-8")
                                    .hint("save the file as UTF-8"),
                            ),
                        }
                    }
                }
                Role::Field { index, kind, inferred } => {
                    let text = trim(raw);
                    if text.is_empty() {
                        continue; // a missing value
                    }
                    match kind {
                        // Parsed from the bytes, with std's grammar and rounding.
                        FieldKind::Number => match fast_float2::parse::<f64, _>(text).ok() {
                            Some(n) if n.is_finite() => table.push_given(index, n, cell_pos_in(body, &rec, j, simple)),
                            Some(_) => errs.0.push(
                                Diagnostic::error(
                                    located(&rec, j),
                                    format!("`{}` is not a finite number", String::from_utf8_lossy(text)),
                                )
                                .hint("write a plain number such as 12 or 0.5; infinities and NaN are not data"),
                            ),
                            None if inferred => {
                                let is_date = parse_date_bytes(text).is_some();
                                let column = j;
                                return Err(Retype {
                                    column,
                                    kind: if is_date { FieldKind::Date } else { FieldKind::Text },
                                });
                            }
                            None => errs.0.push(
                                Diagnostic::error(
                                    located(&rec, j),
                                    format!(
                                        "`{}` is not a number, but the column `{}` holds numbers",
                                        String::from_utf8_lossy(text),
                                        c.name
                                    ),
                                )
                                .hint("write a plain number (no thousands separators or units), or leave the cell empty for a missing value"),
                            ),
                        },
                        FieldKind::Date => match parse_date_bytes(text) {
                            Some(d) => rows.push_date(index, d),
                            None if inferred => return Err(Retype { column: j, kind: FieldKind::Text }),
                            None => errs.0.push(
                                Diagnostic::error(
                                    located(&rec, j),
                                    format!("`{}` is not a date", String::from_utf8_lossy(text)),
                                )
                                .hint("write `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (or with `/`)"),
                            ),
                        },
                        FieldKind::Text => match whole.utf8(raw) {
                            Some(s) => rows.push_text(index, s),
                            None => errs.0.push(
                                Diagnostic::error(located(&rec, j), "this cell is not valid UTF-8")
                                    .hint("save the file as UTF-8"),
                            ),
                        },
                    }
                }
            }
        }
        let at = cell_pos_in(body, &rec, 0, simple);
        table.end_row(key);
        rows.end_row(at, label);
    }
    rows.finish();
    // Repeated keys, reported after the cells' errors.
    for r in table.index_rows() {
        errs.0.push(duplicate_key(rel, table.key(r), rows.at(r)));
    }
    Ok((errs.0.len() == errors_before).then_some((rows, table)))
}

/// What one pass over the whole file tells about every record in it.
struct Whole {
    /// The file is valid UTF-8, so every cell is: a cell is the file's
    /// bytes between ASCII commas, quotes and line breaks, less ASCII quotes.
    utf8: bool,
    /// The file is ASCII without a quote, so every record is simple
    /// (see [`is_simple`]).
    simple: bool,
}

impl Whole {
    fn of(body: &[u8]) -> Whole {
        let ascii = body.is_ascii();
        Whole {
            utf8: ascii || std::str::from_utf8(body).is_ok(),
            simple: ascii && !body.contains(&b'"'),
        }
    }

    /// `cell` as text, or `None` when it is not valid UTF-8.
    fn utf8<'a>(&self, cell: &'a [u8]) -> Option<&'a str> {
        if self.utf8 {
            // SAFETY: `cell` comes from a file that is valid UTF-8 as a
            // whole, cut only next to ASCII bytes (see `Whole::utf8`).
            Some(unsafe { std::str::from_utf8_unchecked(cell) })
        } else {
            std::str::from_utf8(cell).ok()
        }
    }
}

/// ASCII whitespace trimmed from both ends.
fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// The line and character column where field `j` of `rec` starts. Most
/// records are ASCII without quotes, where the column is arithmetic; any
/// other record is scanned from its start.
fn cell_pos(body: &[u8], rec: &csv::ByteRecord, j: usize) -> Pos {
    cell_pos_in(body, rec, j, is_simple(body, rec))
}

/// Whether `rec` is written as plain ASCII cells joined by commas, so that
/// a cell's column follows from the lengths of the cells before it.
fn is_simple(body: &[u8], rec: &csv::ByteRecord) -> bool {
    let Some(p) = rec.position() else { return false };
    let start = p.byte() as usize;
    let content = rec.as_slice();
    let span_len = content.len() + rec.len().saturating_sub(1);
    let span = body.get(start..start + span_len).unwrap_or(&[]);
    span.len() == span_len && content.is_ascii() && !span.contains(&b'"')
}

/// [`cell_pos`] with the record's [`is_simple`] already known.
fn cell_pos_in(body: &[u8], rec: &csv::ByteRecord, j: usize, simple: bool) -> Pos {
    let Some(p) = rec.position() else {
        return Pos { line: 1, col: 1 };
    };
    let start = p.byte() as usize;
    if simple {
        let col = rec.range(j).map_or(0, |r| r.start) + j + 1;
        return Pos {
            line: p.line() as u32,
            col: col as u32,
        };
    }
    // The slow way: walk this record's raw bytes, minding quotes and line
    // breaks, counting characters (UTF-8 continuation bytes do not count).
    let (mut line, mut col) = (p.line() as u32, 1u32);
    let (mut field, mut quoted) = (0usize, false);
    for &b in body.get(start..).unwrap_or(&[]) {
        if field == j {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => field += 1,
            b'\n' if !quoted => break,
            b'\n' => {
                line += 1;
                col = 0;
            }
            _ => {}
        }
        if b & 0xC0 != 0x80 {
            col += 1;
        }
    }
    Pos { line, col }
}

/// A csv crate error (bad quoting, a short row) at its line.
fn csv_error(rel: &str, e: &csv::Error) -> Diagnostic {
    let line = e.position().map_or(1, |p| p.line() as usize);
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => Diagnostic::error(
            Loc::new(rel, line, 1),
            format!("this row has {len} cells, but the header has {expected_len}"),
        )
        .hint("give every row one cell per column; leave a cell empty for a missing value"),
        _ => Diagnostic::error(Loc::new(rel, line, 1), format!("invalid CSV: {e}"))
            .hint("check the quoting on this line: a quoted cell starts and ends with `\"`"),
    }
}
