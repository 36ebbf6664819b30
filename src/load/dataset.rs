//! Datasets: `content/data/<id>.yaml` into [`Dataset`], with every field,
//! row, formula and check checked for shape before any value is computed.

use super::{file_stem, is_ident, opt_text};
use crate::diag::{Diagnostic, Loc};
use crate::expr;
use crate::model::*;
use crate::text::Text;
use crate::units::Unit;
use crate::yaml::{Doc, Node};

/// Parses one dataset file.
pub fn dataset(rel: &str, text: &str) -> Result<Dataset, Diagnostic> {
    let id = file_stem(rel).to_string();
    if !is_ident(&id) {
        return Err(
            Diagnostic::error(Loc::file(rel), format!("`{id}` is not a valid dataset id"))
                .hint("name the file in snake_case (letters, digits, `_`), e.g. `ai_capex.yaml`"),
        );
    }
    let doc = Doc::parse(rel, text, 0)?;
    let root = doc.root();
    if !root.is_map() {
        return Err(Diagnostic::error(
            Loc::file(rel),
            "a dataset must be a mapping with `title`, `fields` and `rows`",
        ));
    }
    root.only_keys(&[
        "title",
        "scope",
        "unit",
        "source",
        "fields",
        "rows",
        "derived",
        "checks",
        "description",
    ])?;
    let default_unit = match root.get("unit") {
        Some(u) => Some(unit(&u)?),
        None => None,
    };
    let src = root.req(
        "source",
        "which sources the numbers come from: `source: {cites: [id], note: …}`",
    )?;
    src.only_keys(&["cites", "note"])?;
    let cites_node = src.req("cites", "source ids from report.yaml `sources`")?;
    let cites = if cites_node.is_map() {
        return Err(cites_node.error("`cites` should be a list of source ids"));
    } else if let Ok(items) = cites_node.items() {
        items
            .iter()
            .map(|n| Ok((n.str()?, n.loc())))
            .collect::<Result<Vec<_>, Diagnostic>>()?
    } else {
        vec![(cites_node.str()?, cites_node.loc())]
    };
    let source = Citation {
        cites,
        note: opt_text(&src, "note")?,
    };

    let mut fields = Vec::new();
    for (key, n) in root.req("fields", "the numeric columns")?.entries()? {
        if !is_ident(&key) {
            return Err(n
                .error(format!("`{key}` is not a valid field name"))
                .hint("use snake_case: letters, digits and `_`"));
        }
        let (label, unit_node, digits) = if n.is_map() {
            n.only_keys(&["label", "unit", "digits"])?;
            (
                opt_text(&n, "label")?,
                n.get("unit"),
                n.get("digits").map(|d| d.count()).transpose()?,
            )
        } else if n.is_null() {
            (Text::default(), None, None)
        } else {
            (n.text()?, None, None)
        };
        let unit = match (unit_node, &default_unit) {
            (Some(u), _) => unit(&u)?,
            (None, Some(u)) => u.clone(),
            (None, None) => {
                return Err(n
                    .error(format!("field `{key}` has no unit"))
                    .hint("add `unit:` to the field or to the dataset (e.g. `unit: USD bn`, `unit: \"%\"`)"));
            }
        };
        let label = label_or(label, &key);
        fields.push(Field {
            key,
            label,
            unit,
            digits,
            loc: n.loc(),
        });
    }
    if fields.is_empty() {
        return Err(root.req("fields", "")?.error("a dataset needs at least one field"));
    }

    let mut rows = Vec::new();
    for n in root.req("rows", "the records")?.items()? {
        let key_node = n.req("key", "the row's name, e.g. `us`")?;
        let key = key_node.str()?;
        if !is_ident(&key) {
            return Err(key_node
                .error(format!("`{key}` is not a valid row key"))
                .hint("use snake_case: letters, digits and `_`"));
        }
        if rows.iter().any(|r: &Row| r.key == key) {
            return Err(key_node
                .error(format!("duplicate row key `{key}`"))
                .hint("every row needs its own key"));
        }
        let mut cells = Vec::new();
        for (k, v) in n.entries()? {
            if k == "key" || k == "label" {
                continue;
            }
            if !fields.iter().any(|f| f.key == k) {
                let hint = match crate::text::closest(&k, fields.iter().map(|f| f.key.as_str())) {
                    Some(c) => format!("did you mean `{c}`? declare new fields under `fields:`"),
                    None => "declare it under `fields:` first".to_string(),
                };
                return Err(v.error(format!("unknown field `{k}` in row `{key}`")).hint(hint));
            }
            cells.push((k, cell(&v)?));
        }
        let label = label_or(opt_text(&n, "label")?, &key);
        rows.push(Row {
            key,
            label,
            cells,
            loc: n.loc(),
        });
    }

    let mut derived = Vec::new();
    if let Some(d) = root.get("derived") {
        for (name, n) in d.entries()? {
            if !is_ident(&name) {
                return Err(n.error(format!("`{name}` is not a valid name")).hint("use snake_case"));
            }
            if rows.iter().any(|r| r.key == name) {
                return Err(n
                    .error(format!("`{name}` is both a row and a derived value"))
                    .hint("rename one of them"));
            }
            n.only_keys(&["expr", "unit", "digits", "label", "note"])?;
            let src_node = n.req("expr", "the formula, e.g. `us.rmb / us.usd`")?;
            let expr_src = src_node.str()?;
            let expr = expr::parse(&expr_src).map_err(|m| src_node.error(format!("bad expression: {m}")))?;
            let unit = n.get("unit").map(|u| unit(&u)).transpose()?;
            derived.push(Derived {
                expr,
                expr_src,
                unit,
                digits: n.get("digits").map(|x| x.count()).transpose()?,
                label: opt_text(&n, "label")?,
                loc: n.loc(),
                name,
            });
        }
    }

    let mut checks = Vec::new();
    if let Some(c) = root.get("checks") {
        for n in c.items()? {
            n.only_keys(&["id", "assert", "label"])?;
            let id = n.req("id", "the check's name")?.str()?;
            if checks.iter().any(|c: &Check| c.id == id) {
                return Err(n.error(format!("duplicate check id `{id}`")));
            }
            let a = n.req("assert", "the relationship, e.g. `between(cn.usd / us.usd, 1/4, 1/3)`")?;
            let expr_src = a.str()?;
            let expr = expr::parse(&expr_src).map_err(|m| a.error(format!("bad expression: {m}")))?;
            checks.push(Check {
                id,
                expr,
                expr_src,
                label: opt_text(&n, "label")?,
                loc: a.value_loc(),
            });
        }
    }

    Ok(Dataset {
        id,
        file: rel.to_string(),
        title: root.req("title", "what the data is")?.text()?,
        scope: root.req("scope", "what the numbers cover")?.text()?,
        source,
        fields,
        rows,
        derived,
        checks,
    })
}

/// A label, or the key itself when the author gave none.
fn label_or(label: Text, key: &str) -> Text {
    if label.is_empty() { Text::plain(key) } else { label }
}

fn unit(n: &Node) -> Result<Unit, Diagnostic> {
    Unit::parse(&n.str()?).map_err(|m| n.error(m))
}

fn cell(n: &Node) -> Result<Cell, Diagnostic> {
    if !n.is_map() {
        return Ok(Cell {
            value: CellValue::Given(n.number()?),
            note: Text::default(),
            loc: n.loc(),
        });
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
    Ok(Cell {
        value,
        note,
        loc: n.loc(),
    })
}
