//! Diagnostics: what went wrong, where (file, line, column), and what to do.
//!
//! Every stage reports problems as [`Diagnostic`]s that point into the file the
//! author wrote, so a bad chart block inside a section points at the section's
//! line, not at a line of the block. Rendering uses `codespan-reporting`, the
//! crate behind several compilers' rustc-style output, rather than a
//! hand-rolled formatter: it handles carets, wide characters and colour.

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::{Files, SimpleFiles};
use codespan_reporting::term;
use std::collections::BTreeMap;
use std::fmt;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something to fix, but the report still builds.
    Warning,
    /// The build cannot go on.
    Error,
}

/// A position in an author's file: path relative to the project root, and a
/// 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Loc {
    /// Path relative to the project root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Loc {
    /// A location at `line`:`col` of `file`.
    pub fn new(file: impl Into<String>, line: usize, col: usize) -> Self {
        Loc {
            file: file.into(),
            line,
            col,
        }
    }

    /// The start of a file, for problems with the file as a whole.
    pub fn file(file: impl Into<String>) -> Self {
        Loc::new(file, 1, 1)
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub loc: Loc,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it (may be empty).
    pub hint: String,
    /// Other places that matter, e.g. where a failing check is declared.
    pub related: Vec<(Loc, String)>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            hint: String::new(),
            related: Vec::new(),
        }
    }

    /// A warning at `loc`.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }

    /// Adds what the author should do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    /// Adds a second location with a label.
    pub fn related(mut self, loc: Loc, label: impl Into<String>) -> Self {
        self.related.push((loc, label.into()));
        self
    }

    /// Whether this stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {kind}: {}", self.loc, self.message)?;
        if !self.hint.is_empty() {
            write!(f, " (hint: {})", self.hint)?;
        }
        Ok(())
    }
}

/// Several diagnostics, the currency of a failed stage.
pub type Diagnostics = Vec<Diagnostic>;

/// The output formats of `quire check` and `quire build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// rustc-style: location, source line, caret, hint.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions workflow commands, shown as annotations on pull requests.
    Github,
}

/// The text of the files diagnostics point into, so the human format can show
/// the offending line.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: BTreeMap<String, String>,
}

impl SourceMap {
    /// Remembers `text` as the content of `file`.
    pub fn add(&mut self, file: &str, text: &str) {
        self.files.insert(file.to_string(), text.to_string());
    }

    /// [`SourceMap::add`] for a text the caller no longer needs.
    pub fn add_owned(&mut self, file: &str, text: String) {
        self.files.insert(file.to_string(), text);
    }

    /// Takes in every file `other` remembers, for a stage that read its
    /// files on another thread into a map of its own.
    pub fn extend(&mut self, other: SourceMap) {
        self.files.extend(other.files);
    }

    /// Renders `diags` in `format`; `color` only applies to the human format.
    ///
    /// The file database is built once for all diagnostics, and each label is
    /// placed through its line index, so n diagnostics cost O(n + total size).
    pub fn render(&self, diags: &[Diagnostic], format: Format, color: bool) -> String {
        let mut out = String::new();
        // The database indexes every file read: not worth it for no diagnostic.
        let db = (format == Format::Human && !diags.is_empty()).then(|| self.database());
        for d in diags {
            match (format, &db) {
                (Format::Human, Some(db)) => out.push_str(&human(db, d, color)),
                (Format::Json, _) => {
                    out.push_str(&json_line(d));
                    out.push('\n');
                }
                _ => {
                    out.push_str(&github_line(d));
                    out.push('\n');
                }
            }
        }
        out
    }

    fn database(&self) -> Database<'_> {
        let mut files = SimpleFiles::new();
        let mut ids = BTreeMap::new();
        for (name, text) in &self.files {
            ids.insert(name.as_str(), files.add(name.as_str(), text.as_str()));
        }
        Database { files, ids }
    }

    /// Errors for the C0 control characters (other than tab, line feed and
    /// carriage return) in every file read: they are invisible in an editor,
    /// and a NUL or an escape copied into HTML breaks it. quire refuses them
    /// at their place rather than dropping them silently.
    pub fn control_chars(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        // A byte scan clears almost every file (UTF-8 never uses bytes below
        // 0x80 inside other characters); only a file that has such a
        // character is then read line by line for its place.
        // Branch-free over each block, so the compiler vectorises it.
        let suspect = |text: &str| {
            text.as_bytes().chunks(256).any(|block| {
                block.iter().fold(false, |any, &b| {
                    any | (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) | (b == 0x7f)
                })
            })
        };
        for (name, text) in self.files.iter().filter(|(_, t)| suspect(t)) {
            for (i, line) in text.split('\n').enumerate() {
                let Some((col, c)) = line.chars().enumerate().find(|(_, c)| is_forbidden_control(*c)) else {
                    continue;
                };
                out.push(
                    Diagnostic::error(
                        Loc::new(name.clone(), i + 1, col + 1),
                        format!("the control character U+{:04X} is not allowed", u32::from(c)),
                    )
                    .hint("delete it; only tab and line breaks may appear among a file's characters"),
                );
            }
        }
        out
    }
}

/// Whether `c` is a C0 control character other than tab, line feed and
/// carriage return (DEL included): never meaningful in report text.
pub fn is_forbidden_control(c: char) -> bool {
    (c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

/// Every file, added once to codespan's database, with its id by name.
struct Database<'a> {
    files: SimpleFiles<&'a str, &'a str>,
    ids: BTreeMap<&'a str, usize>,
}

impl Database<'_> {
    /// Byte span of the token at `loc` (to the end of the word), if the file is known.
    fn span(&self, id: usize, loc: &Loc) -> Option<std::ops::Range<usize>> {
        let file = self.files.get(id).ok()?;
        let text: &str = file.source();
        let range = self.files.line_range(id, loc.line.saturating_sub(1)).ok()?;
        let line = text[range.clone()].split('\n').next().unwrap_or("");
        let start = range.start
            + line
                .char_indices()
                .nth(loc.col.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i);
        let rest = &text[start..range.start + line.len()];
        // A binding is underlined whole; anything else to the end of its word.
        let len = if rest.starts_with("{{") {
            rest.find("}}").map_or(rest.len(), |e| e + 2)
        } else {
            rest.find(|c: char| c.is_whitespace() || c == ',' || c == '}' || c == ']')
                .unwrap_or(rest.len())
        };
        Some(start..start + len.max(usize::from(!rest.is_empty())))
    }
}

fn human(db: &Database, d: &Diagnostic, color: bool) -> String {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let mut cs = CsDiagnostic::new(severity).with_message(&d.message);
    let mut labels = Vec::new();
    let mut unplaced = Vec::new();
    let all = std::iter::once((&d.loc, String::new())).chain(d.related.iter().map(|(l, s)| (l, s.clone())));
    for (i, (loc, label)) in all.enumerate() {
        match db
            .ids
            .get(loc.file.as_str())
            .and_then(|&id| Some((id, db.span(id, loc)?)))
        {
            Some((id, span)) => {
                let l = if i == 0 {
                    Label::primary(id, span)
                } else {
                    Label::secondary(id, span)
                };
                labels.push(l.with_message(label));
            }
            None => unplaced.push(format!(
                "{loc}{}",
                if label.is_empty() {
                    String::new()
                } else {
                    format!(": {label}")
                }
            )),
        }
    }
    cs = cs.with_labels(labels);
    let mut notes: Vec<String> = unplaced.into_iter().map(|u| format!("at {u}")).collect();
    if !d.hint.is_empty() {
        notes.push(format!("help: {}", d.hint));
    }
    cs = cs.with_notes(notes);
    let config = term::Config::default();
    if color {
        let mut buf = termcolor::Buffer::ansi();
        let _ = term::emit_to_write_style(&mut buf, &config, &db.files, &cs);
        String::from_utf8_lossy(buf.as_slice()).into_owned()
    } else {
        term::emit_into_string(&config, &db.files, &cs).unwrap_or_else(|_| format!("{d}\n"))
    }
}

fn json_line(d: &Diagnostic) -> String {
    let related: Vec<serde_json::Value> = d
        .related
        .iter()
        .map(|(l, m)| serde_json::json!({"file": l.file, "line": l.line, "column": l.col, "message": m}))
        .collect();
    serde_json::json!({
        "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
        "file": d.loc.file,
        "line": d.loc.line,
        "column": d.loc.col,
        "message": d.message,
        "hint": d.hint,
        "related": related,
    })
    .to_string()
}

/// GitHub workflow command; property values and message need their own escaping.
fn github_line(d: &Diagnostic) -> String {
    fn esc_data(s: &str) -> String {
        s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
    }
    fn esc_prop(s: &str) -> String {
        esc_data(s).replace(':', "%3A").replace(',', "%2C")
    }
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut msg = d.message.clone();
    if !d.hint.is_empty() {
        msg.push_str(&format!("\nhelp: {}", d.hint));
    }
    for (l, m) in &d.related {
        msg.push_str(&format!("\n{l}: {m}"));
    }
    format!(
        "::{kind} file={},line={},col={}::{}",
        esc_prop(&d.loc.file),
        d.loc.line,
        d.loc.col,
        esc_data(&msg)
    )
}
