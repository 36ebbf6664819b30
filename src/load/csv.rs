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

use super::dataset::{self, Errs, FieldDecl, duplicate_key, field_name, field_unit, parse_date_bytes, row_key_problem};
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
    // The build's own thread count (`RAYON_NUM_THREADS=1` makes it one).
    let parallel = rayon::current_num_threads() >= 2;
    load_csv_from(
        root,
        rel,
        side,
        files,
        if parallel { PARALLEL_BYTES } else { usize::MAX },
    )
}

/// [`load_csv`], reading the rows of a file of `parallel_from` bytes or
/// more in two halves at once where it can.
fn load_csv_from(
    root: &Path,
    rel: &str,
    side: &str,
    files: &mut SourceMap,
    parallel_from: usize,
) -> Result<Dataset, Vec<Diagnostic>> {
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
    let result = read_csv(rel, body, &head, key_name, label_name, &mut errs, parallel_from);
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
    parallel_from: usize,
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
        match read_rows(rel, body, &columns, key_col, errs, parallel_from) {
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

/// Files at least this large are read in two halves at once, when the
/// build runs on two threads or more and the file has no quotes (so every line break
/// ends a record and the halves can be cut at one).
const PARALLEL_BYTES: usize = 1 << 20;

/// One pass over the records, in two halves at once for a file of
/// `parallel_from` bytes or more where it can. `Err` asks for another pass
/// with a column retyped; `Ok(None)` means errors were recorded.
fn read_rows(
    rel: &str,
    body: &[u8],
    columns: &[Column],
    key_col: usize,
    errs: &mut Errs,
    parallel_from: usize,
) -> Result<Option<ReadRows>, Retype> {
    let errors_before = errs.0.len();
    let whole = Whole::of(body);
    let ctx = Ctx {
        rel,
        body,
        columns,
        key_col,
        whole: &whole,
    };
    // The second half starts after the line break nearest the middle.
    let split = (whole.simple && body.len() >= parallel_from)
        .then(|| body[body.len() / 2..].iter().position(|&b| b == b'\n'))
        .flatten()
        .map(|i| body.len() / 2 + i + 1)
        .filter(|&at| at < body.len());
    let (mut rows, mut table) = match split.and_then(|at| read_halves(&ctx, at)) {
        Some(read) => read,
        None => {
            let (mut rows, mut table) = ctx.storage(line_breaks(body), body.len());
            let rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
            read_part(&ctx, rdr, &mut rows, &mut table, &mut errs.0)?;
            (rows, table)
        }
    };
    rows.finish();
    // Repeated keys, reported after the cells' errors.
    for r in table.index_rows() {
        errs.0.push(duplicate_key(rel, table.key(r), rows.at(r)));
    }
    Ok((errs.0.len() == errors_before).then_some((rows, table)))
}

/// What every part of one pass over the rows reads with.
struct Ctx<'a> {
    rel: &'a str,
    body: &'a [u8],
    columns: &'a [Column],
    key_col: usize,
    whole: &'a Whole,
}

impl Ctx<'_> {
    /// Empty rows and table with room for `lines` rows of `bytes` bytes.
    fn storage(&self, lines: usize, bytes: usize) -> ReadRows {
        let count = |number: bool| {
            self.columns
                .iter()
                .filter(|c| matches!(c.role, Role::Field { kind, .. } if (kind == FieldKind::Number) == number))
                .count()
        };
        // One row a line, near enough; saves regrowing vectors of a million rows.
        let rows = Rows::with_capacity(lines, lines * count(false));
        let mut table = Table::with_capacity(lines, lines * count(true));
        // The keys are part of the file, so its length bounds them: room that
        // is never written costs no memory.
        table.reserve_keys(bytes);
        (rows, table)
    }
}

/// How many line breaks `bytes` holds: counted in blocks whose small
/// counts the compiler turns into vector instructions.
fn line_breaks(bytes: &[u8]) -> usize {
    bytes
        .chunks(128)
        .map(|c| c.iter().map(|&b| u8::from(b == b'\n')).sum::<u8>() as usize)
        .sum()
}

/// Reads the rows before `split` and from `split` on at once, each half on
/// its own thread, and joins them. `None` when either half found anything
/// wrong: the caller then reads the file in one pass, which reports every
/// error in the order written, as it always does.
fn read_halves(ctx: &Ctx, split: usize) -> Option<ReadRows> {
    let lines_before = line_breaks(&ctx.body[..split]);
    let lines_after = line_breaks(&ctx.body[split..]);
    // The first half has room for both, so joining copies without regrowing.
    let (mut rows, mut table) = ctx.storage(lines_before + lines_after, ctx.body.len());
    let (second, first) = std::thread::scope(|s| {
        // A system that will not start a thread gets the one-pass read.
        let second = std::thread::Builder::new().spawn_scoped(s, || {
            let (mut rows, mut table) = ctx.storage(lines_after, ctx.body.len() - split);
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_reader(std::io::Cursor::new(ctx.body));
            // Read the header (so rows must have as many cells), then go on
            // from `split`, which is on line `lines_before + 1`.
            let mut at = csv::Position::new();
            at.set_byte(split as u64).set_line(lines_before as u64 + 1);
            rdr.seek_raw(std::io::SeekFrom::Start(split as u64), at).ok()?;
            let mut errs = Vec::new();
            read_part(ctx, rdr, &mut rows, &mut table, &mut errs).ok()?;
            errs.is_empty().then_some((rows, table))
        });
        let Ok(second) = second else {
            return (None, false);
        };
        let rdr = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(&ctx.body[..split]);
        let mut errs = Vec::new();
        let first = read_part(ctx, rdr, &mut rows, &mut table, &mut errs).is_ok() && errs.is_empty();
        (second.join().ok().flatten(), first)
    });
    let (rows2, table2) = second.filter(|_| first)?;
    #[cfg(test)]
    tests::HALVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    rows.append(rows2);
    table.append(table2);
    Some((rows, table))
}

/// Reads the records `rdr` yields into `rows` and `table`, recording
/// errors (at most [`MAX_ERRORS`], then a note that reading stopped).
/// `Err` asks for another pass with a column retyped.
fn read_part<R: std::io::Read>(
    ctx: &Ctx,
    mut rdr: csv::Reader<R>,
    rows: &mut Rows,
    table: &mut Table,
    errs: &mut Vec<Diagnostic>,
) -> Result<(), Retype> {
    let Ctx {
        rel,
        body,
        columns,
        key_col,
        whole,
    } = *ctx;
    let errors_before = errs.len();
    let mut rec = csv::ByteRecord::new();
    let located = |rec: &csv::ByteRecord, j: usize| {
        let p = cell_pos(body, rec, j);
        Loc::new(rel, p.line as usize, p.col as usize)
    };
    loop {
        if errs.len() - errors_before >= MAX_ERRORS {
            errs.push(
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
                errs.push(csv_error(rel, &e));
                if unequal {
                    continue;
                }
                break;
            }
        }
        let simple = whole.simple || is_simple(body, &rec);
        let Some(key) = whole.utf8(&rec[key_col]) else {
            errs.push(
                Diagnostic::error(located(&rec, key_col), "this key is not valid UTF-8").hint("save the file as UTF-8"),
            );
            continue;
        };
        if let Some((msg, hint)) = row_key_problem(key) {
            errs.push(Diagnostic::error(located(&rec, key_col), msg).hint(hint));
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
                            None => errs.push(
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
                        FieldKind::Number => match number(text) {
                            Some(n) if n.is_finite() => table.push_given(index, n, cell_pos_in(body, &rec, j, simple)),
                            Some(_) => errs.push(
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
                            None => errs.push(
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
                            None => errs.push(
                                Diagnostic::error(
                                    located(&rec, j),
                                    format!("`{}` is not a date", String::from_utf8_lossy(text)),
                                )
                                .hint("write `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (or with `/`)"),
                            ),
                        },
                        FieldKind::Text => match whole.utf8(raw) {
                            Some(s) => rows.push_text(index, s),
                            None => errs.push(
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
    Ok(())
}

/// A number cell's value, with std's grammar and rounding: a plain
/// decimal directly, anything else (exponents, long mantissas, `inf`,
/// text) by `fast_float2`.
fn number(text: &[u8]) -> Option<f64> {
    plain_decimal(text).or_else(|| fast_float2::parse::<f64, _>(text).ok())
}

/// Powers of ten an `f64` holds exactly.
const EXACT_TENS: [f64; 17] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
];

/// `[+-]digits[.digits]` of at most 17 bytes after the sign, as most data
/// cells are written, or `None` for anything else. Exact: the digits make a
/// whole number of at most 2^53 and the divisor is a power of ten an `f64`
/// holds, so the one rounding of the division is the correct rounding of
/// the decimal (Clinger's fast path), the value `str::parse` gives.
fn plain_decimal(text: &[u8]) -> Option<f64> {
    let (negative, digits) = match text.first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.len() > 17 {
        return None;
    }
    let (mut whole, mut point, mut seen) = (0u64, None, false);
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                whole = whole * 10 + u64::from(b - b'0');
                seen = true;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    if !seen || whole > 1 << 53 {
        return None;
    }
    let scale = point.map_or(0, |i| digits.len() - 1 - i);
    let value = whole as f64 / EXACT_TENS[scale];
    Some(if negative { -value } else { value })
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

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::text::Lang;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// How many files were read in two halves (the tests' proof that the
    /// split path ran, not its one-pass fallback).
    pub(in crate::load) static HALVES: AtomicUsize = AtomicUsize::new(0);

    const SIDE: &str = "title: T\nscope: S\nunit: USD bn\nsource: {cites: [paper]}\n\
        fields:\n  usd: {label: Dollars, unit: USD bn}\n  kind: {kind: text}\n  when: {kind: date}\n";

    /// A file with everything a half could get wrong when joined: labels
    /// only in the second half, missing cells, blank lines, CRLF line ends,
    /// texts first seen in either half, an undeclared number column.
    fn csv_text(rows: usize, line: impl Fn(usize) -> Option<String>) -> String {
        let mut t = String::from("key,label,usd,kind,when,extra\n");
        for i in 0..rows {
            let row = line(i).unwrap_or_else(|| {
                let label = if i > rows * 3 / 4 && i % 3 == 0 {
                    format!("Row {i}")
                } else {
                    String::new()
                };
                let usd = if i % 5 == 0 { String::new() } else { format!("{i}.5") };
                let kind = ["sun", "rain", "fog", "hail"][(i * i) % if i < rows / 2 { 3 } else { 4 }];
                let when = if i % 7 == 0 {
                    String::new()
                } else {
                    format!("{}-{:02}", 1990 + i % 30, 1 + i % 12)
                };
                format!("r{i},{label},{usd},{kind},{when},{}", i % 13)
            });
            t.push_str(&row);
            t.push_str(if i % 11 == 0 { "\r\n" } else { "\n" });
            if i % 500 == 0 {
                t.push('\n');
            }
        }
        t
    }

    /// Loads `text` as `content/data/t.csv` reading in halves from
    /// `parallel_from` bytes on.
    fn load(text: &str, parallel_from: usize) -> Result<Dataset, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("content/data")).expect("mkdir");
        std::fs::write(dir.path().join("content/data/t.yaml"), SIDE).expect("write");
        std::fs::write(dir.path().join("content/data/t.csv"), text).expect("write");
        let mut files = SourceMap::default();
        load_csv_from(
            dir.path(),
            "content/data/t.csv",
            "content/data/t.yaml",
            &mut files,
            parallel_from,
        )
    }

    /// Reading in two halves gives exactly what one pass gives: every key,
    /// cell (with its position), label, text, date and key lookup.
    #[test]
    fn halves_read_what_one_pass_reads() {
        let text = csv_text(4000, |_| None);
        let before = HALVES.load(Ordering::Relaxed);
        let halves = load(&text, 0).expect("loads");
        assert!(HALVES.load(Ordering::Relaxed) > before, "the file was read in halves");
        let whole = load(&text, usize::MAX).expect("loads");
        assert_eq!(halves.rows.len(), 4000);
        assert_eq!(whole.rows.len(), 4000);
        assert_eq!(halves.fields.len(), whole.fields.len());
        for r in 0..4000 {
            assert_eq!(halves.key(r), whole.key(r));
            assert_eq!(halves.cells(r), whole.cells(r), "row {r}");
            assert_eq!(halves.rows.at(r), whole.rows.at(r), "row {r}");
            assert_eq!(halves.label(r, Lang::EN), whole.label(r, Lang::EN), "row {r}");
            for f in 0..whole.fields.len() {
                assert_eq!(halves.datum(r, f), whole.datum(r, f), "row {r} field {f}");
            }
            assert_eq!(halves.row_index(halves.key(r)), Some(r));
        }
        // Spot checks against the file itself, past the middle.
        let r = 3003;
        let line = |i: usize| 2 + i + i.div_ceil(500);
        assert_eq!(halves.label(r, Lang::EN), "Row 3003");
        assert_eq!(halves.rows.at(r).line as usize, line(r));
        assert_eq!(halves.cells(r)[0].at.col, "r3003,Row 3003,".len() as u32 + 1);
    }

    /// The fast path for plain decimals gives std's value, bit for bit,
    /// and leaves everything else to the full parser.
    #[test]
    fn plain_decimals_parse_as_std_does() {
        use proptest::prelude::*;
        let cases = "[-+]?[0-9]{0,20}(\\.[0-9]{0,20})?|[-+]?[0-9.eE+x]{1,8}";
        proptest!(ProptestConfig::with_cases(4000), |(s in cases)| {
            let fast = plain_decimal(s.as_bytes());
            let std = s.parse::<f64>().ok();
            if let Some(v) = fast {
                prop_assert_eq!(Some(v.to_bits()), std.map(f64::to_bits), "{}", s);
            }
            prop_assert_eq!(number(s.as_bytes()).map(f64::to_bits), std.map(f64::to_bits), "{}", s);
        });
        for (s, v) in [("1.25", 1.25), ("-0", -0.0), (".5", 0.5), ("7.", 7.0), ("+3", 3.0)] {
            assert_eq!(
                plain_decimal(s.as_bytes()).map(f64::to_bits),
                Some(f64::to_bits(v)),
                "{s}"
            );
        }
        for s in [
            "",
            ".",
            "-",
            "1.2.3",
            "1e5",
            "12345678901234567.5",
            "9007199254740993",
            "1,5",
        ] {
            assert_eq!(plain_decimal(s.as_bytes()), None, "{s}");
        }
    }

    /// A bad cell or a repeated key in the second half is reported exactly
    /// as one pass reports it, at its line and column.
    #[test]
    fn errors_in_the_second_half_are_reported_as_in_one_pass() {
        let text = csv_text(4000, |i| match i {
            3500 => Some("r3500,,12x,sun,2001,1".into()),
            3900 => Some("r10,,1,sun,2001,1".into()),
            _ => None,
        });
        let halves = load(&text, 0).expect_err("fails");
        let whole = load(&text, usize::MAX).expect_err("fails");
        assert_eq!(halves, whole);
        let line = |i: usize| 2 + i + i.div_ceil(500);
        assert_eq!(halves.len(), 2, "{halves:?}");
        assert!(halves[0].message.contains("`12x` is not a number"), "{halves:?}");
        assert_eq!((halves[0].loc.line, halves[0].loc.col), (line(3500), 8));
        assert!(halves[1].message.contains("duplicate row key `r10`"), "{halves:?}");
        assert_eq!(halves[1].loc.line, line(3900));
    }
}
