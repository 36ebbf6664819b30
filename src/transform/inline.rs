//! Inline syntax inside prose: `{{value}}`, `{{claim check: words}}` and
//! `@fig:id` cross-references, turned into HTML.
//!
//! `{{ }}` was chosen because CommonMark gives double braces no meaning, so
//! bindings survive Markdown untouched, and authors know it from templates.

use crate::text::Lang;
use crate::values::Values;

/// One piece of a text run.
#[derive(Debug, PartialEq)]
pub enum Inline<'a> {
    /// Plain text.
    Text(&'a str),
    /// `{{name}}`, with its byte offset in the run.
    Value(&'a str, usize),
    /// `{{claim name: words}}`.
    Claim(&'a str, &'a str, usize),
    /// `@fig:id`, `@tbl:id`, `@sec:id`: (kind, id, offset).
    Ref(&'a str, &'a str, usize),
    /// `{{` with no `}}`.
    Unclosed(usize),
}

/// Splits a text run into plain text, bindings and references.
pub fn split(s: &str) -> Vec<Inline<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < s.len() {
        if s[i..].starts_with("{{") {
            // A `{{` with no `}}`, or another `{{` first, is unclosed.
            let end = s[i + 2..].find("}}").filter(|&e| !s[i + 2..i + 2 + e].contains("{{"));
            let Some(end) = end else {
                flush(&mut out, s, plain_start, i);
                out.push(Inline::Unclosed(i));
                return out;
            };
            flush(&mut out, s, plain_start, i);
            let inner = s[i + 2..i + 2 + end].trim();
            if let Some(rest) = inner.strip_prefix("claim ") {
                let (name, words) = rest.split_once(':').unwrap_or((rest, ""));
                out.push(Inline::Claim(name.trim(), words.trim(), i));
            } else {
                out.push(Inline::Value(inner, i));
            }
            i += end + 4;
            plain_start = i;
            continue;
        }
        if bytes[i] == b'@'
            && (i == 0 || !s[..i].chars().next_back().is_some_and(char::is_alphanumeric))
            && let Some((kind, id)) = reference(&s[i + 1..])
        {
            flush(&mut out, s, plain_start, i);
            out.push(Inline::Ref(kind, id, i));
            i += 1 + kind.len() + 1 + id.len();
            plain_start = i;
            continue;
        }
        i += s[i..].chars().next().map_or(1, char::len_utf8);
    }
    flush(&mut out, s, plain_start, s.len());
    out
}

/// `fig:capex` at the start of `rest`, as (kind, id).
fn reference(rest: &str) -> Option<(&'static str, &str)> {
    ["fig", "tbl", "sec"].into_iter().find_map(|kind| {
        let after = rest.strip_prefix(kind)?.strip_prefix(':')?;
        let len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        let id = after[..len].trim_end_matches(['-', '_']);
        (!id.is_empty()).then_some((kind, id))
    })
}

fn flush<'a>(out: &mut Vec<Inline<'a>>, s: &'a str, from: usize, to: usize) {
    if from < to {
        out.push(Inline::Text(&s[from..to]));
    }
}

/// A number for a machine: enough digits, no float noise (`0.83`, not
/// `0.8300000000000001`).
pub fn machine(v: f64) -> String {
    let s = format!("{:.12e}", v);
    let parsed: f64 = s.parse().unwrap_or(v);
    let mut out = format!("{parsed}");
    if out == "-0" {
        out = "0".into();
    }
    out
}

/// A value as the reader sees it, with its qualifier ("over USD 155 bn").
pub fn shown(v: &crate::values::Value, digits: usize, lang: Lang) -> String {
    let text = v.unit.format(v.q.value, digits, lang);
    crate::units::number_rules(lang.code())
        .unwrap_or(&crate::units::EN)
        .qualify(v.note.get(lang), &text)
}

/// The HTML for a bound value: the formatted number in a `<data>` element
/// whose `value` is machine-readable and whose title names the source.
pub fn value_html(values: &Values, name: &str, source: &str, lang: Lang) -> Option<String> {
    let v = values.get(name)?;
    let shown = shown(v, v.digits, lang);
    let mut title = format!("{name}. {source}");
    if let Some(f) = &v.formula {
        title.push_str(&format!(" Computed: {f}."));
    }
    Some(format!(
        "<data value=\"{}\" title=\"{}\">{}</data>",
        machine(v.q.value),
        html_escape::encode_double_quoted_attribute(&title),
        html_escape::encode_text(&shown)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_bindings_claims_and_refs() {
        let parts = split("Spent {{capex.us.usd}}, {{claim capex.q: a quarter}} (see @fig:capex.) a@fig:x");
        assert_eq!(
            parts,
            vec![
                Inline::Text("Spent "),
                Inline::Value("capex.us.usd", 6),
                Inline::Text(", "),
                Inline::Claim("capex.q", "a quarter", 24),
                Inline::Text(" (see "),
                Inline::Ref("fig", "capex", 58),
                Inline::Text(".) a@fig:x"),
            ]
        );
        assert_eq!(split("oops {{x"), vec![Inline::Text("oops "), Inline::Unclosed(5)]);
    }

    #[test]
    fn machine_numbers_have_no_float_noise() {
        assert_eq!(machine(0.1 + 0.2), "0.3");
        assert_eq!(machine(155e9), "155000000000");
    }
}
