//! Inline syntax inside prose: `{{value}}`, `{{claim check: words}}` and
//! `@fig:id` cross-references, turned into HTML.
//!
//! `{{ }}` was chosen because CommonMark gives double braces no meaning, so
//! bindings survive Markdown untouched, and authors know it from templates.
//!
//! A value binding may choose the form of its number with filters after a
//! `|`, applied left to right (see [`parse_binding`]):
//!
//! | filter | effect |
//! |---|---|
//! | `plain` | the number with its scale, without the unit name ("254", "155 bn", "1550亿") |
//! | `abs` | the absolute value |
//! | `digits N` | N digits after the point (0 to 12), whatever filter comes after |
//! | `pct other.name` | the value as a percent of another value in the same dimension |

use crate::text::Lang;
use crate::units::{NumberRules, Unit, number_rules};
use crate::values::{Value, Values};

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
    // Only `{` and `@` can start anything: skip straight to the next one.
    // Each is found with `memchr` and its place kept until `i` passes it, so
    // the text is read about once (a search for either of two chars would
    // decode every character of every text).
    let find = |c: char, from: usize| s[from..].find(c).map(|k| from + k);
    let (mut brace, mut at) = (find('{', 0), find('@', 0));
    while i < s.len() {
        if brace.is_some_and(|b| b < i) {
            brace = find('{', i);
        }
        if at.is_some_and(|a| a < i) {
            at = find('@', i);
        }
        let Some(k) = brace.into_iter().chain(at).min() else {
            break;
        };
        i = k;
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
            // `a@fig:x` is an address, but Chinese prose runs straight into a reference.
            && (i == 0 || !s[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphanumeric()))
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
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
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
/// `0.8300000000000001`), cut at the same significant digits as the
/// reader's form ([`crate::units::decimal::SIGNIFICANT`]).
pub fn machine(v: f64) -> String {
    // Most values are short already: when the shortest form that reads
    // back as `v` has no more than SIGNIFICANT digits, cutting `v` to
    // SIGNIFICANT digits gives that same decimal (an ulp is far below half
    // a step of the 12-digit grid), so the cut and the second parse and
    // format are skipped.
    let shortest = format!("{v}");
    if significant_digits(&shortest) <= crate::units::decimal::SIGNIFICANT {
        return if shortest == "-0" { "0".into() } else { shortest };
    }
    machine_cut(v)
}

/// How many significant digits a decimal written out in full holds:
/// leading and trailing zeros do not count.
fn significant_digits(s: &str) -> usize {
    let digits = s.bytes().filter(u8::is_ascii_digit);
    let mut first = None;
    let mut last = 0;
    for (i, d) in digits.enumerate() {
        if d != b'0' {
            first.get_or_insert(i);
            last = i;
        }
    }
    first.map_or(0, |f| last - f + 1)
}

/// [`machine`] the long way: cut to SIGNIFICANT digits, read back, write
/// the shortest form of what was read.
fn machine_cut(v: f64) -> String {
    let s = format!("{:.*e}", crate::units::decimal::SIGNIFICANT - 1, v);
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
pub fn value_html(
    values: &Values,
    name: &str,
    source: &str,
    lang: Lang,
    ui: &crate::i18n::Catalogue,
) -> Option<String> {
    let v = values.get(name)?;
    let shown = shown(v, v.digits, lang);
    Some(data_html(name, v, v.q.value, &shown, (source, None), ui))
}

/// The HTML for a binding with filters: like [`value_html`], with the form
/// the filters chose. `resolve` turns a name written in the binding (the
/// argument of `pct`) into its full name and value, or the message to show.
pub fn binding_html<'v>(
    binding: &Binding<'_>,
    name: &str,
    value: &Value,
    source: &str,
    resolve: &Resolve<'v>,
    lang: Lang,
    ui: &crate::i18n::Catalogue,
) -> Result<String, BindingError> {
    let f = apply(binding, value, resolve, lang)?;
    Ok(data_html(name, value, f.value, &f.text, (source, f.of.as_deref()), ui))
}

/// A binding rendered for prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// Every value the binding reads, fully qualified (the bound value
    /// first, then `pct`'s), for "dataset nobody uses" warnings.
    pub names: Vec<String>,
    /// The `<data>` element.
    pub html: String,
}

/// Reads, resolves and renders the text inside `{{ }}` of a value binding,
/// filters included. Errors point into `text` (see [`BindingError`]).
pub fn render_binding(
    text: &str,
    values: &Values,
    report: &crate::model::Report,
    source_of: &dyn Fn(&str) -> String,
    lang: Lang,
    ui: &crate::i18n::Catalogue,
) -> Result<Rendered, BindingError> {
    let b = parse_binding(text)?;
    let find = |n: &str| {
        let full = values.qualify(n, report).ok_or_else(|| values.unknown(n, report))?;
        let v = values.get(&full).ok_or_else(|| values.unknown(n, report))?;
        Ok((full, v))
    };
    let (full, v) = find(b.name).map_err(|m| {
        BindingError::new(
            0,
            0,
            m,
            "bind a declared value: `{{dataset.row.field}}` or `{{dataset.derived}}`",
        )
    })?;
    let html = binding_html(&b, &full, v, &source_of(&v.dataset), &find, lang, ui)?;
    let mut names = vec![full];
    names.extend(b.filters.iter().filter_map(|f| match f {
        Filter::Pct { of, .. } => values.qualify(of, report),
        _ => None,
    }));
    Ok(Rendered { names, html })
}

fn data_html(
    name: &str,
    v: &Value,
    machine_value: f64,
    shown: &str,
    (source, of): (&str, Option<&str>),
    ui: &crate::i18n::Catalogue,
) -> String {
    let mut title = match of {
        // A formula, not words, so the title reads in every language.
        Some(of) => format!("{name} / {of}. {source}"),
        None => format!("{name}. {source}"),
    };
    if let Some(f) = &v.formula {
        title.push(' ');
        title.push_str(&ui.fill("computed", &[("formula", f)]));
    }
    format!(
        "<data value=\"{}\" title=\"{}\">{}</data>",
        machine(machine_value),
        html_escape::encode_double_quoted_attribute(&title),
        html_escape::encode_text(shown)
    )
}

/// Turns a name written in a binding into its full name and value, or the
/// message for an unknown name (with its "did you mean").
pub type Resolve<'v> = dyn Fn(&str) -> Result<(String, &'v Value), String> + 'v;

/// The filters a binding may use, for "did you mean" hints.
pub const FILTERS: [&str; 4] = ["plain", "abs", "digits", "pct"];

/// The most digits a binding may ask for, as a dataset's `digits:`.
pub const MAX_FILTER_DIGITS: usize = 12;

/// A value binding: `capex.cn.usd | abs | digits 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding<'a> {
    /// The value's name as written.
    pub name: &'a str,
    /// The filters, in the order written.
    pub filters: Vec<Filter<'a>>,
}

/// One filter of a [`Binding`].
#[derive(Debug, Clone, PartialEq)]
pub enum Filter<'a> {
    /// The number without its unit name.
    Plain,
    /// The absolute value.
    Abs,
    /// Digits after the point.
    Digits(usize),
    /// As a percent of the named value; `at` is the name's byte offset in
    /// the binding text, for errors about it.
    Pct {
        /// The other value's name as written.
        of: &'a str,
        /// Its byte offset in the binding text.
        at: usize,
    },
}

/// A binding that cannot be read or applied: byte offset and length of the
/// offending text inside the binding text, what is wrong, and what to do.
/// A length of 0 means the binding as a whole (no value name, an unknown
/// value): point at its `{{`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingError {
    /// Byte offset in the text given to [`parse_binding`].
    pub at: usize,
    /// Byte length of the offending text (at least 1 where there is text).
    pub len: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl BindingError {
    fn new(at: usize, len: usize, message: impl Into<String>, hint: impl Into<String>) -> BindingError {
        BindingError {
            at,
            len,
            message: message.into(),
            hint: hint.into(),
        }
    }
}

/// Words of `s` with their byte offsets, `base` added.
fn words(s: &str, base: usize) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((base + st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    out
}

/// Reads the text inside `{{ }}` of a value binding: a name, then filters
/// separated by `|`.
///
/// ```
/// use quire::transform::inline::{parse_binding, Filter};
/// let b = parse_binding("capex.cn.usd | abs | digits 1").unwrap();
/// assert_eq!(b.name, "capex.cn.usd");
/// assert_eq!(b.filters, [Filter::Abs, Filter::Digits(1)]);
/// let e = parse_binding("capex.cn.usd | plian").unwrap_err();
/// assert_eq!((e.at, e.len), (15, 5));
/// assert!(e.hint.contains("`plain`"));
/// ```
pub fn parse_binding(text: &str) -> Result<Binding<'_>, BindingError> {
    let mut parts = Vec::new();
    let mut from = 0;
    for (i, _) in text.match_indices('|') {
        parts.push((from, &text[from..i]));
        from = i + 1;
    }
    parts.push((from, &text[from..]));
    let (name_at, name_part) = parts[0];
    if let Some(directive) = name_part.trim_start().strip_prefix('#') {
        let kind = directive.split_whitespace().next().unwrap_or_default();
        return Err(BindingError::new(
            name_part.len() - name_part.trim_start().len(),
            kind.len() + 1,
            format!("`{{{{#{kind} …}}}}` is an mdBook directive, which quire expands only in a site"),
            "build with `--site` (or `mode: site`), or write `\\{{` to show it as written",
        ));
    }
    let name = match words(name_part, name_at).as_slice() {
        [(_, n)] => *n,
        [] => {
            return Err(BindingError::new(
                0,
                0,
                "this binding names no value",
                "write the value's name first: `{{dataset.row.field | plain}}`",
            ));
        }
        [_, (at, w), ..] => {
            return Err(BindingError::new(
                *at,
                w.len(),
                format!("unexpected `{w}` after the value's name"),
                "separate filters with `|`: `{{capex.us.usd | digits 1}}`",
            ));
        }
    };
    let mut filters = Vec::new();
    for &(at, part) in &parts[1..] {
        filters.push(parse_filter(at, part)?);
    }
    Ok(Binding { name, filters })
}

fn parse_filter(at: usize, part: &str) -> Result<Filter<'_>, BindingError> {
    let ws = words(part, at);
    let Some(&(fat, f)) = ws.first() else {
        // Point at the `|` that has nothing after it.
        return Err(BindingError::new(
            at.saturating_sub(1),
            1,
            "a `|` with no filter after it",
            format!("write a filter after `|` ({}) or remove the `|`", FILTERS.join(", ")),
        ));
    };
    let args = &ws[1..];
    let no_args = |filter| match args.first() {
        None => Ok(filter),
        Some(&(a, w)) => Err(BindingError::new(
            a,
            w.len(),
            format!("`{f}` takes no argument, but `{w}` follows it"),
            format!("write `| {f}` alone"),
        )),
    };
    match f {
        "plain" => no_args(Filter::Plain),
        "abs" => no_args(Filter::Abs),
        "digits" => match args {
            [(a, w)] => w
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= MAX_FILTER_DIGITS)
                .map(Filter::Digits)
                .ok_or_else(|| {
                    BindingError::new(
                        *a,
                        w.len(),
                        format!("`digits` needs a whole number from 0 to {MAX_FILTER_DIGITS}, not `{w}`"),
                        "e.g. `| digits 1`",
                    )
                }),
            _ => Err(arity(fat, f, args, "a number of digits", "| digits 1")),
        },
        "pct" => match args {
            [(a, w)] => Ok(Filter::Pct { of: w, at: *a }),
            _ => Err(arity(
                fat,
                f,
                args,
                "the name of the value to compare with",
                "| pct capex.us.usd",
            )),
        },
        _ => Err(BindingError::new(
            fat,
            f.len(),
            format!("unknown filter `{f}`"),
            crate::text::suggest(f, FILTERS, "the filters are"),
        )),
    }
}

fn arity(at: usize, f: &str, args: &[(usize, &str)], what: &str, example: &str) -> BindingError {
    match args.get(1) {
        Some(&(a, w)) => BindingError::new(
            a,
            w.len(),
            format!("`{f}` takes one argument; `{w}` is one too many"),
            format!("write `{example}`"),
        ),
        None => BindingError::new(at, f.len(), format!("`{f}` needs {what}"), format!("write `{example}`")),
    }
}

/// A value in the form its filters chose.
#[derive(Debug, Clone, PartialEq)]
pub struct Formatted {
    /// What the reader sees, qualifier included ("over USD 155 bn").
    pub text: String,
    /// The number shown, for machines (base units; a fraction for `pct`).
    pub value: f64,
    /// The full name of the value `pct` compared with, if any.
    pub of: Option<String>,
}

/// Applies a binding's filters to `value`, left to right. `digits` sets the
/// digits of the final form wherever it stands; `pct` makes the form a
/// percent (0 digits unless `digits` says otherwise). The value's
/// qualifier ("over", "约") is kept in every form. Errors point into the
/// binding text.
pub fn apply<'v>(
    binding: &Binding<'_>,
    value: &Value,
    resolve: &Resolve<'v>,
    lang: Lang,
) -> Result<Formatted, BindingError> {
    let rules: &NumberRules = number_rules(lang.code()).unwrap_or(&crate::units::EN);
    let mut v = value.q.value;
    let mut unit = value.unit.clone();
    let mut digits = value.digits;
    let mut explicit_digits = None;
    let mut with_unit = true;
    let mut of = None;
    for f in &binding.filters {
        match f {
            Filter::Plain => with_unit = false,
            Filter::Abs => v = v.abs(),
            Filter::Digits(n) => explicit_digits = Some(*n),
            Filter::Pct { of: other, at } => {
                let (full, o) = resolve(other).map_err(|m| {
                    BindingError::new(
                        *at,
                        other.len(),
                        m,
                        "compare with a declared value: `| pct capex.us.usd`",
                    )
                })?;
                if o.q.dim != value.q.dim {
                    return Err(BindingError::new(
                        *at,
                        other.len(),
                        format!(
                            "`{full}` measures {}, but `{}` measures {}",
                            o.q.dim, binding.name, value.q.dim
                        ),
                        "a percent compares values of the same kind (USD with USD, people with people)",
                    ));
                }
                if o.q.value == 0.0 {
                    return Err(BindingError::new(
                        *at,
                        other.len(),
                        format!("`{full}` is zero, so nothing is a percent of it"),
                        "compare with a value that is not zero",
                    ));
                }
                v /= o.q.value;
                unit = Unit::parse("%").expect("% parses");
                digits = unit.default_digits();
                of = Some(full);
            }
        }
    }
    let digits = explicit_digits.unwrap_or(digits);
    let written = if with_unit {
        unit.try_format(v, digits, rules)
    } else {
        unit.try_format_number(v, digits, rules)
    };
    let text = written.map_err(|e| {
        BindingError::new(
            0,
            binding.name.len(),
            format!("`{}`: {e}", binding.name),
            "check the values this binding divides by",
        )
    })?;
    Ok(Formatted {
        text: rules.qualify(value.note.get(lang), &text),
        value: v,
        of,
    })
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
        assert_eq!(
            split("见@fig:split和"),
            vec![Inline::Text("见"), Inline::Ref("fig", "split", 3), Inline::Text("和")]
        );
    }

    fn value(unit: &str, written: f64, digits: usize, note: &str) -> Value {
        let unit = Unit::parse(unit).unwrap();
        Value {
            q: unit.quantity(written),
            unit,
            digits,
            dataset: "d".into(),
            formula: None,
            loc: crate::diag::Loc::new("content/data/d.yaml", 1, 1),
            note: crate::text::Text::new(note.into(), (!note.is_empty()).then(|| "约".into())),
        }
    }

    fn form(text: &str, v: &Value, lang: Lang) -> Result<String, BindingError> {
        let us = value("USD bn", 155.0, 0, "");
        let people = value("people bn", 1.4, 1, "");
        let zero = value("USD bn", 0.0, 0, "");
        let resolve = |n: &str| -> Result<(String, &Value), String> {
            match n {
                "capex.us.usd" => Ok((n.to_string(), &us)),
                "population.cn" => Ok(("population.cn.people".to_string(), &people)),
                "zero" => Ok((n.to_string(), &zero)),
                _ => Err(format!("unknown value `{n}`")),
            }
        };
        let b = parse_binding(text)?;
        apply(&b, v, &resolve, lang).map(|f| f.text.replace('\u{a0}', " "))
    }

    #[test]
    fn filters_choose_the_form() {
        let cn = value("USD bn", 42.27, 0, "");
        let neg = value("%", -12.475, 2, "about");
        let models = value("models", 254.0, 0, "");
        assert_eq!(form("capex.cn.usd", &cn, Lang::EN).unwrap(), "USD 42 bn");
        assert_eq!(form("capex.cn.usd | plain", &cn, Lang::EN).unwrap(), "42 bn");
        assert_eq!(form("capex.cn.usd | plain", &cn, Lang::ZH).unwrap(), "420亿");
        assert_eq!(form("m|plain", &models, Lang::EN).unwrap(), "254");
        assert_eq!(form("x | digits 1", &cn, Lang::EN).unwrap(), "USD 42.3 bn");
        assert_eq!(form("x | pct capex.us.usd", &cn, Lang::EN).unwrap(), "27 %");
        assert_eq!(form("x | pct capex.us.usd | digits 1", &cn, Lang::ZH).unwrap(), "27.3%");
        assert_eq!(
            form("x | digits 1 | pct capex.us.usd", &cn, Lang::EN).unwrap(),
            "27.3 %"
        );
        assert_eq!(form("x | pct capex.us.usd | plain", &cn, Lang::EN).unwrap(), "27");
        assert_eq!(form("x", &neg, Lang::EN).unwrap(), "about \u{2212}12.48 %");
        assert_eq!(form("x | abs", &neg, Lang::EN).unwrap(), "about 12.48 %");
        assert_eq!(form("x | abs | digits 1", &neg, Lang::ZH).unwrap(), "约12.5%");
        assert_eq!(form("x|abs|digits 0|plain", &neg, Lang::EN).unwrap(), "about 12");
    }

    fn err(text: &str) -> (String, BindingError) {
        let v = value("USD bn", 42.0, 0, "");
        let e = form(text, &v, Lang::EN).unwrap_err();
        (text[e.at..e.at + e.len].to_string(), e)
    }

    #[test]
    fn bad_filters_are_located() {
        let (at, e) = err("capex.cn.usd | plian");
        assert_eq!(at, "plian");
        assert!(
            e.message.contains("unknown filter `plian`") && e.hint.contains("`plain`"),
            "{e:?}"
        );
        let (at, e) = err("x | zzzzzz");
        assert_eq!(at, "zzzzzz");
        assert!(e.hint.contains("plain, abs, digits, pct"), "{e:?}");
        let (at, e) = err("x | digits two");
        assert_eq!(at, "two");
        assert!(e.message.contains("0 to 12"), "{e:?}");
        assert_eq!(err("x | digits 13").0, "13");
        assert_eq!(err("x | digits 99999999999999999999999").0, "99999999999999999999999");
        assert_eq!(err("x | digits").0, "digits");
        assert_eq!(err("x | digits 1 2").0, "2");
        assert_eq!(err("x | plain loud").0, "loud");
        assert_eq!(err("x | abs |").0, "|");
        assert_eq!(err("x || abs").0, "|");
        assert_eq!(err("x y | abs").0, "y");
        assert_eq!(err("x | pct").0, "pct");
        let (at, e) = err("x | pct capex.us.ud");
        assert_eq!(at, "capex.us.ud");
        assert!(e.message.contains("unknown value"), "{e:?}");
        let (at, e) = err("x | pct population.cn");
        assert_eq!(at, "population.cn");
        assert!(e.message.contains("measures"), "{e:?}");
        assert!(err("x | pct zero").1.message.contains("zero"));
        let (at, e) = err(" | abs");
        assert_eq!(at, "");
        assert!(e.message.contains("names no value"), "{e:?}");
    }

    #[test]
    fn an_mdbook_directive_is_named_as_one() {
        let e = parse_binding("#include file.rs:2").unwrap_err();
        assert_eq!((e.at, e.len), (0, 8));
        assert!(
            e.message.contains("`{{#include …}}` is an mdBook directive"),
            "{}",
            e.message
        );
    }

    #[test]
    fn binding_html_names_the_comparison() {
        let cn = value("USD bn", 42.27, 0, "");
        let us = value("USD bn", 155.0, 0, "");
        let resolve = |_: &str| -> Result<(String, &Value), String> { Ok(("capex.us.usd".into(), &us)) };
        let b = parse_binding("capex.cn.usd | pct capex.us.usd").unwrap();
        let html = binding_html(
            &b,
            "capex.cn.usd",
            &cn,
            "Source: x.",
            &resolve,
            Lang::EN,
            &crate::i18n::english(),
        )
        .unwrap();
        assert!(html.starts_with("<data value=\"0.272709677419\""), "{html}");
        assert!(
            html.contains("title=\"capex.cn.usd / capex.us.usd. Source: x.\""),
            "{html}"
        );
        assert!(html.ends_with(">27\u{a0}%</data>"), "{html}");
    }

    #[test]
    fn machine_numbers_take_the_short_way_only_when_it_agrees() {
        let mut rng = fastrand::Rng::with_seed(8);
        let check = |v: f64| assert_eq!(machine(v), machine_cut(v), "{v:e}");
        for _ in 0..30_000 {
            check(f64::from_bits(rng.u64(..)));
            // Decimals as data holds them, and results of arithmetic on them.
            let d = rng.i64(-10_i64.pow(13)..10_i64.pow(13)) as f64 / 10f64.powi(rng.i32(0..16));
            check(d);
            check(d * 0.05);
            check(d / 3.0);
        }
        for v in [
            0.0,
            -0.0,
            1e-300,
            5e-324,
            123456789012.0,
            1234567890123.0,
            0.1 + 0.2,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
        ] {
            check(v);
        }
    }

    #[test]
    fn machine_numbers_have_no_float_noise() {
        assert_eq!(machine(0.1 + 0.2), "0.3");
        assert_eq!(machine(155e9), "155000000000");
        assert_eq!(machine(7.749999999999989e9), "7750000000");
        assert_eq!(machine(-0.0), "0");
    }
}
