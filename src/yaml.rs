//! The one door to YAML: parsing, typed access and source positions.
//!
//! Everything else in quire sees [`Node`]s, never `serde_yaml` types, so the
//! YAML crate can be swapped by rewriting this file alone. serde_yaml 0.9 has
//! no spans for values, so [`Doc::locate`] finds a path's line and column by
//! reading the block-style text the way a person would: by key and indent.

use crate::diag::{Diagnostic, Loc};
use crate::text::Text;
use serde_yaml::Value;

/// A parsed YAML document and the file it came from.
#[derive(Debug)]
pub struct Doc {
    file: String,
    text: String,
    /// Line of the author's file on which this YAML text starts, minus one:
    /// front matter and fenced blocks are parsed out of a larger file.
    line_offset: usize,
    root: Value,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

impl Doc {
    /// Parses `text` from `file`, whose first line is line `line_offset + 1`
    /// of that file. A syntax error names the line and column.
    pub fn parse(file: &str, text: &str, line_offset: usize) -> Result<Doc, Diagnostic> {
        let root: Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let (mut line, mut col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
                let msg = e.to_string();
                // serde_yaml places a duplicate key at its mapping; find the second one.
                let dup = msg.find("duplicate entry with key \"").map(|i| &msg[i + 26..]);
                if let Some(key) = dup.and_then(|r| r.split('"').next()) {
                    let pat = format!("{key}:");
                    let hits: Vec<(usize, usize)> = text
                        .lines()
                        .enumerate()
                        .skip(line.saturating_sub(1))
                        .filter_map(|(i, l)| {
                            let (start, rest) = key_start(l);
                            rest.starts_with(&pat)
                                .then_some((i + 1, l[..start].chars().count() + 1))
                        })
                        .collect();
                    if let Some(&(l, c)) = hits.get(1) {
                        (line, col) = (l, c);
                    }
                    return Err(Diagnostic::error(
                        Loc::new(file, line + line_offset, col),
                        format!("duplicate key `{key}`: it is given twice in the same mapping"),
                    )
                    .hint(format!("keep one `{key}:`; YAML mappings cannot repeat a key")));
                }
                // serde_yaml appends " at line N column M"; the location says it already.
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                return Err(Diagnostic::error(Loc::new(file, line + line_offset, col), format!("invalid YAML: {msg}"))
                    .hint("check the indentation and quoting on this line; quote strings that contain `:` or start with `{`, `[`, `%` or `@`"));
            }
        };
        Ok(Doc {
            file: file.to_string(),
            text: text.to_string(),
            line_offset,
            root,
        })
    }

    /// The document's root node.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            value: &self.root,
            path: Vec::new(),
        }
    }

    /// The file this document came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where `path` is written: the key of the last step (or the sequence item).
    /// Falls back to the nearest parent found, then to the first line.
    pub fn locate(&self, path: &[Seg]) -> Loc {
        self.locate_at(path, false)
    }

    /// Like [`Doc::locate`], but points at a scalar value written on the
    /// key's own line (`usd: abc` → `abc`), where a type error really is.
    fn locate_at(&self, path: &[Seg], value: bool) -> Loc {
        let lines: Vec<&str> = self.text.lines().collect();
        let (mut lo, mut hi, mut parent_indent) = (0usize, lines.len(), -1i64);
        let mut found = (0usize, 0usize);
        let mut parent_is_key = false;
        for seg in path {
            let hit = match seg {
                Seg::Key(k) => find_key(&lines[lo..hi], k, parent_indent, parent_is_key),
                Seg::Index(i) => find_item(&lines[lo..hi], *i, parent_indent),
            };
            let Some((row, col)) = hit else { break };
            let row = lo + row;
            found = (row, col);
            // The node's block runs until a line indented no deeper than it.
            let end = (row + 1..hi)
                .find(|&r| {
                    let l = lines[r];
                    !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent(l) <= col
                })
                .unwrap_or(hi);
            lo = row;
            hi = end;
            parent_indent = col as i64;
            parent_is_key = matches!(seg, Seg::Key(_));
        }
        let line = lines.get(found.0).copied().unwrap_or("");
        let mut byte = found.1;
        if let (true, Some(Seg::Index(_))) = (value, path.last()) {
            let rest = line.get(byte..).unwrap_or("");
            if let Some(r) = rest.strip_prefix("- ") {
                byte += 2 + (r.len() - r.trim_start().len());
            }
        }
        if let (true, Some(Seg::Key(k))) = (value, path.last()) {
            let rest = line.get(byte..).unwrap_or("");
            let after = rest
                .find(':')
                .map(|i| i + 1)
                .filter(|_| rest.starts_with(k.as_str()) || rest.starts_with(['"', '\'']));
            if let Some(after) = after {
                let tail = &rest[after..];
                let skip = tail.len() - tail.trim_start().len();
                if !tail.trim().is_empty() && !tail.trim_start().starts_with('#') {
                    byte += after + skip;
                }
            }
        }
        let col = line.get(..byte).map_or(byte, |p| p.chars().count());
        Loc::new(&self.file, found.0 + 1 + self.line_offset, col + 1)
    }
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Where a line's first key starts, after indentation and any `- ` markers.
fn key_start(line: &str) -> (usize, &str) {
    let mut start = indent(line);
    let mut rest = &line[start..];
    while let Some(r2) = rest.strip_prefix("- ") {
        start += 2 + (r2.len() - r2.trim_start().len());
        rest = r2.trim_start();
    }
    (start, rest)
}

/// Finds `key:` among a node's children: block keys at the children's own
/// column (so a nested `date:` never stands in for a top-level one), else a
/// flow mapping `{a: 1, key: 2}`. `on_parent_line` says the first line is the
/// parent key's own line. Returns (row, byte column).
fn find_key(lines: &[&str], key: &str, parent_indent: i64, on_parent_line: bool) -> Option<(usize, usize)> {
    let pats = [format!("{key}:"), format!("\"{key}\":"), format!("'{key}':")];
    let content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
    let mut child = None;
    for (r, line) in lines.iter().enumerate().filter(|(_, l)| content(l)) {
        if r == 0 && on_parent_line {
            continue;
        }
        let (start, rest) = key_start(line);
        let col = *child.get_or_insert(start);
        if start == col && pats.iter().any(|p| rest.starts_with(p.as_str())) {
            return Some((r, start));
        }
    }
    for (r, line) in lines.iter().enumerate().filter(|(_, l)| content(l)) {
        for p in &pats {
            let mut from = 0;
            while let Some(i) = line[from..].find(p.as_str()) {
                let at = from + i;
                let before = line[..at].trim_end().chars().last();
                if matches!(before, Some('{') | Some(',')) && (at as i64) > parent_indent {
                    return Some((r, at));
                }
                from = at + p.len();
            }
        }
    }
    None
}

/// Finds the `index`-th `- ` item below `parent_indent`, or the item in a flow
/// sequence `[a, b]` on the parent's line.
fn find_item(lines: &[&str], index: usize, parent_indent: i64) -> Option<(usize, usize)> {
    let mut item_indent = None;
    let mut n = 0;
    for (r, line) in lines.iter().enumerate() {
        let ind = indent(line);
        let rest = &line[ind..];
        if r == 0 && parent_indent >= 0 {
            // The parent's own line: a flow sequence or a `- - ` nested item.
            if let Some(open) = line.find('[') {
                let mut depth = 0;
                let mut count = 0;
                let mut start = open + 1;
                for (i, c) in line.char_indices().skip_while(|(i, _)| *i <= open) {
                    match c {
                        '[' | '{' => depth += 1,
                        ']' | '}' if depth == 0 => break,
                        ']' | '}' => depth -= 1,
                        ',' if depth == 0 => {
                            if count == index {
                                break;
                            }
                            count += 1;
                            start = i + 1;
                        }
                        _ => {}
                    }
                }
                if count == index {
                    let skip = line[start..].len() - line[start..].trim_start().len();
                    return Some((0, start + skip));
                }
            }
            continue;
        }
        if rest.starts_with("- ") || rest == "-" {
            let expected = *item_indent.get_or_insert(ind);
            if ind == expected {
                if n == index {
                    return Some((r, ind));
                }
                n += 1;
            } else if ind < expected {
                break;
            }
        }
    }
    None
}

/// A value inside a [`Doc`], with the path that leads to it so errors can
/// point at it.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    doc: &'a Doc,
    value: &'a Value,
    path: Vec<Seg>,
}

impl<'a> Node<'a> {
    /// Where this node is written.
    pub fn loc(&self) -> Loc {
        self.doc.locate(&self.path)
    }

    /// Where this node's value is written: the value itself for a scalar on
    /// its key's line, else the key.
    pub fn value_loc(&self) -> Loc {
        let scalar = !(self.value.is_mapping() || self.value.is_sequence());
        self.doc.locate_at(&self.path, scalar)
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.loc(), message)
    }

    /// The dotted path, for messages (`rows[1].usd`).
    pub fn path_str(&self) -> String {
        let mut s = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) if s.is_empty() => s.push_str(k),
                Seg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Seg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    fn child(&self, seg: Seg, value: &'a Value) -> Node<'a> {
        let mut path = self.path.clone();
        path.push(seg);
        Node {
            doc: self.doc,
            value,
            path,
        }
    }

    /// Whether the value is YAML null (or absent in a flow).
    pub fn is_null(&self) -> bool {
        self.value.is_null()
    }

    /// Whether this is a mapping.
    pub fn is_map(&self) -> bool {
        self.value.is_mapping()
    }

    /// The value under `key`, if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        let v = self.value.as_mapping()?.get(key)?;
        Some(self.child(Seg::Key(key.to_string()), v))
    }

    /// The value under `key`, or an error saying it is missing.
    pub fn req(&self, key: &str, what: &str) -> Result<Node<'a>, Diagnostic> {
        self.get(key).ok_or_else(|| {
            let at = if self.path.is_empty() {
                Loc::file(&self.doc.file)
            } else {
                self.loc()
            };
            Diagnostic::error(at, format!("missing `{key}`")).hint(format!("add `{key}:` ({what})"))
        })
    }

    /// The entries of a mapping, in the order written. Keys must be strings.
    pub fn entries(&self) -> Result<Vec<(String, Node<'a>)>, Diagnostic> {
        let map = self
            .value
            .as_mapping()
            .ok_or_else(|| self.type_error("a mapping (`key: value` lines)"))?;
        let mut out = Vec::new();
        for (k, v) in map {
            let key = match k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(self.error("a mapping key must be a plain word")),
            };
            out.push((key.clone(), self.child(Seg::Key(key), v)));
        }
        Ok(out)
    }

    /// The items of a sequence.
    pub fn items(&self) -> Result<Vec<Node<'a>>, Diagnostic> {
        let seq = self
            .value
            .as_sequence()
            .ok_or_else(|| self.type_error("a list (`- item` lines or `[a, b]`)"))?;
        Ok(seq
            .iter()
            .enumerate()
            .map(|(i, v)| self.child(Seg::Index(i), v))
            .collect())
    }

    /// Refuses keys other than `allowed`, so a typo (`serie:`) is caught
    /// instead of silently ignored.
    pub fn only_keys(&self, allowed: &[&str]) -> Result<(), Diagnostic> {
        for (k, node) in self.entries()? {
            if !allowed.contains(&k.as_str()) {
                let hint = match crate::text::closest(&k, allowed.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? allowed here: {}", allowed.join(", ")),
                    None => format!("allowed here: {}", allowed.join(", ")),
                };
                return Err(node.error(format!("unknown key `{k}`")).hint(hint));
            }
        }
        Ok(())
    }

    /// A string (numbers and booleans are taken as written).
    pub fn str(&self) -> Result<String, Diagnostic> {
        match self.value {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(self.type_error("a string")),
        }
    }

    /// A finite number.
    pub fn number(&self) -> Result<f64, Diagnostic> {
        let n = self.value.as_f64().ok_or_else(|| self.type_error("a number"))?;
        if !n.is_finite() {
            return Err(Diagnostic::error(
                self.value_loc(),
                format!("`{}` is not a finite number", self.path_str()),
            )
            .hint("write a plain number such as 12 or 0.5; .inf and .nan are not data"));
        }
        Ok(n)
    }

    /// A whole number, zero or more.
    pub fn count(&self) -> Result<usize, Diagnostic> {
        self.value
            .as_u64()
            .map(|n| n as usize)
            .ok_or_else(|| self.type_error("a whole number (0, 1, 2 …)"))
    }

    /// `true` or `false`.
    pub fn bool(&self) -> Result<bool, Diagnostic> {
        self.value.as_bool().ok_or_else(|| self.type_error("true or false"))
    }

    /// A list of strings, also accepting a single string.
    pub fn strings(&self) -> Result<Vec<String>, Diagnostic> {
        if self.value.is_string() {
            return Ok(vec![self.str()?]);
        }
        self.items()?.iter().map(Node::str).collect()
    }

    /// Text a reader sees: a string, or `{en: …, zh: …}`.
    pub fn text(&self) -> Result<Text, Diagnostic> {
        match self.value {
            Value::String(_) | Value::Number(_) => Ok(Text::plain(self.str()?)),
            Value::Mapping(_) => {
                self.only_keys(&crate::text::known().collect::<Vec<_>>())?;
                let mut forms = Vec::new();
                for (code, node) in self.entries()? {
                    if let Some(lang) = crate::text::Lang::parse(&code) {
                        forms.push((lang, node.str()?));
                    }
                }
                if forms.is_empty() {
                    return Err(self.error("no text in any language").hint("write `{en: \"…\"}`"));
                }
                Ok(Text::forms(forms))
            }
            _ => Err(self.type_error("text: a string or `{en: \"…\", zh: \"…\"}`")),
        }
    }

    fn type_error(&self, expected: &str) -> Diagnostic {
        let found = match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "true/false",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Sequence(_) => "a list",
            Value::Mapping(_) => "a mapping",
            Value::Tagged(_) => "a tagged value",
        };
        let name = self.path_str();
        let what = if name.is_empty() {
            "the document".to_string()
        } else {
            format!("`{name}`")
        };
        Diagnostic::error(self.value_loc(), format!("{what} should be {expected}, found {found}"))
            .hint(format!("write {expected} here"))
    }
}
