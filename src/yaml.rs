//! The one door to YAML: parsing, typed access and source positions.
//!
//! Everything else in quire sees [`Node`]s, never `serde_yaml` types, so the
//! YAML crate can be swapped by rewriting this file alone. serde_yaml 0.9 has
//! no spans for values, so [`Doc::parse`] also runs one event pass of
//! libyaml (`unsafe-libyaml`, the parser inside serde_yaml, so both see the
//! same structure) over the same text and records, in document order, where
//! every mapping key, value and sequence item is written. A node's position
//! is then found by stepping over its earlier siblings, never by searching
//! the text, so loading stays linear in the size of the file.
//!
//! Before serde_yaml sees the text, its depth is limited ([`MAX_DEPTH`]):
//! 100,000 nested `[` would otherwise cost libyaml most of a second. The
//! quick scan of [`fast`] proves it for the texts it reads; the others get
//! a pre-scan of their own.

use crate::diag::{Diagnostic, Loc};
use crate::text::Text;
use std::sync::Arc;

mod fast;
mod value;
use value::Value;

/// How deeply collections may nest in one YAML text. Real reports nest five
/// or six levels; the limit keeps hostile input from exhausting the stack.
pub const MAX_DEPTH: usize = 64;

/// A parsed YAML document and the file it came from.
#[derive(Debug)]
pub struct Doc {
    file: String,
    /// Line of the author's file on which this YAML text starts, minus one:
    /// front matter and fenced blocks are parsed out of a larger file.
    line_offset: usize,
    root: Value,
    index: Index,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A line and a character column, both 1-based, within the YAML text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Pos {
    line: u32,
    col: u32,
}

/// Where one node is written: `at` is its key (for a mapping value) or its
/// start (for a sequence item or the root), `value` is where the value starts.
#[derive(Debug, Clone, Copy, Default)]
struct Place {
    at: Pos,
    value: Pos,
}

/// Positions of every node, recorded in one pass over the parser's events,
/// in document order (node 0 is the root). serde_yaml keeps mappings and
/// sequences in the order written too, so the k-th entry of a collection is
/// found by skipping the subtrees of the k entries before it: no hashing, no
/// copy of any key.
#[derive(Debug, Default)]
struct Index {
    places: Vec<Place>,
    /// Number of nodes in each node's subtree, itself included.
    sizes: Vec<u32>,
}

/// Steps taken to index and to locate nodes in this process; see
/// [`position_work`]. One count for all threads: a load spreads its files
/// over rayon's.
static WORK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn work(n: u64) {
    WORK.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
}

/// How many steps this process has spent indexing YAML events and walking
/// the index to locate nodes. Tests compare it across input sizes to prove
/// that locating stays linear, a count that, unlike a timing, does not
/// depend on how busy the machine is (they must not parse YAML in parallel
/// with each other while counting).
pub fn position_work() -> u64 {
    WORK.load(std::sync::atomic::Ordering::Relaxed)
}

/// A collection being walked while indexing.
enum Frame {
    Map {
        id: u32,
        key: Option<Pos>,
    },
    Seq {
        id: u32,
    },
    /// A complex (non-scalar) mapping key: skipped, with its depth.
    Skip(usize),
}

impl Index {
    /// Walks `text`'s events once: from the quick scan of [`fast`] when it
    /// reads the text, else from libyaml. Unless the walk reaches the end of
    /// the stream, the index is left empty: positions are a courtesy,
    /// serde_yaml decides what is valid.
    fn build(text: &str, scanned: Option<Vec<(Ev, Pos)>>) -> Index {
        match scanned {
            Some(events) => {
                // Every test that parses YAML doubles as a check of the scan.
                #[cfg(debug_assertions)]
                fast::assert_same(text, &events);
                Index::from_events(|f| events.iter().all(|&(ev, pos)| f(ev, pos)))
            }
            None => Index::from_events(|f| libyaml_events(text, f)),
        }
    }

    /// The index of the events `walk` hands to its callback; `walk` returns
    /// whether it reached the end of the stream.
    fn from_events(walk: impl FnOnce(&mut dyn FnMut(Ev, Pos) -> bool) -> bool) -> Index {
        let mut ix = Index::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut root_seen = false;
        let mut steps = 0;
        let complete = walk(&mut |ev, pos| {
            steps += 1;
            let starts = matches!(ev, Ev::Scalar | Ev::SeqStart | Ev::MapStart | Ev::Alias);
            if let Some(Frame::Skip(depth)) = stack.last_mut() {
                match ev {
                    Ev::SeqStart | Ev::MapStart => *depth += 1,
                    Ev::SeqEnd | Ev::MapEnd => *depth -= 1,
                    _ => {}
                }
                if *depth == 0 {
                    stack.pop();
                }
                return true;
            }
            if starts {
                // A key of a mapping: remember where it is until its value comes.
                if let Some(Frame::Map { id, key }) = stack.last_mut()
                    && key.is_none()
                {
                    // A block mapping's start may be marked after its first
                    // key; the mapping really starts at its first key.
                    if let Some(place) = ix.places.get_mut(*id as usize)
                        && (pos.line, pos.col) < (place.value.line, place.value.col)
                    {
                        if place.at == place.value {
                            place.at = pos;
                        }
                        place.value = pos;
                    }
                    *key = Some(pos);
                    if matches!(ev, Ev::SeqStart | Ev::MapStart) {
                        stack.push(Frame::Skip(1));
                    }
                    return true;
                }
                let id = ix.places.len() as u32;
                let place = match stack.last_mut() {
                    Some(Frame::Map { key, .. }) => Place {
                        at: key.take().unwrap_or_default(),
                        value: pos,
                    },
                    Some(Frame::Seq { .. }) => Place { at: pos, value: pos },
                    _ if !root_seen => {
                        root_seen = true;
                        Place { at: pos, value: pos }
                    }
                    // A second document: serde_yaml refuses it.
                    _ => return false,
                };
                ix.places.push(place);
                ix.sizes.push(1);
                match ev {
                    Ev::SeqStart => stack.push(Frame::Seq { id }),
                    Ev::MapStart => stack.push(Frame::Map { id, key: None }),
                    _ => {}
                }
            } else if matches!(ev, Ev::SeqEnd | Ev::MapEnd)
                && let Some(Frame::Map { id, .. } | Frame::Seq { id }) = stack.pop()
            {
                ix.sizes[id as usize] = (ix.places.len() - id as usize) as u32;
            }
            true
        });
        work(steps);
        if !complete {
            // A partial index could pair a value with the wrong place.
            return Index::default();
        }
        ix
    }

    /// The first child of `parent`, if it is a collection with children.
    fn first_child(&self, parent: u32) -> Option<u32> {
        (*self.sizes.get(parent as usize)? > 1).then_some(parent + 1)
    }

    /// The sibling after `id` within `parent`.
    /// Uncounted: callers add their steps to [`work`] once per walk, since a
    /// shared counter touched per step would pass between the cores.
    fn next_sibling(&self, parent: u32, id: u32) -> Option<u32> {
        let next = id + *self.sizes.get(id as usize)?;
        (next < parent + self.sizes[parent as usize]).then_some(next)
    }

    /// The `k`-th child of `parent`.
    fn nth_child(&self, parent: u32, k: usize) -> Option<u32> {
        let mut id = self.first_child(parent)?;
        work(k as u64);
        for _ in 0..k {
            id = self.next_sibling(parent, id)?;
        }
        Some(id)
    }
}

/// The parser events the index needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ev {
    Scalar,
    Alias,
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
    Other,
}

/// Runs libyaml (the parser inside serde_yaml, so both see the same
/// structure) over `text` and calls `f` with each event's kind and start
/// position, until `f` returns false. Returns whether the stream ended
/// normally.
fn libyaml_events(text: &str, f: &mut dyn FnMut(Ev, Pos) -> bool) -> bool {
    use std::mem::MaybeUninit;
    use unsafe_libyaml as unsafe_y;
    // SAFETY: the parser is initialised before use and deleted once; each
    // event is read only after a successful parse and deleted right after;
    // `text` outlives the parser, which only reads it.
    unsafe {
        let mut parser = MaybeUninit::<unsafe_y::yaml_parser_t>::uninit();
        if unsafe_y::yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return false;
        }
        let parser = parser.as_mut_ptr();
        unsafe_y::yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let mut complete = false;
        loop {
            let mut event = MaybeUninit::<unsafe_y::yaml_event_t>::uninit();
            if unsafe_y::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                break;
            }
            let event = event.as_mut_ptr();
            let mark = (*event).start_mark;
            let kind = match (*event).type_ {
                unsafe_y::YAML_SCALAR_EVENT => Ev::Scalar,
                unsafe_y::YAML_ALIAS_EVENT => Ev::Alias,
                unsafe_y::YAML_SEQUENCE_START_EVENT => Ev::SeqStart,
                unsafe_y::YAML_SEQUENCE_END_EVENT => Ev::SeqEnd,
                unsafe_y::YAML_MAPPING_START_EVENT => Ev::MapStart,
                unsafe_y::YAML_MAPPING_END_EVENT => Ev::MapEnd,
                unsafe_y::YAML_STREAM_END_EVENT => {
                    complete = true;
                    Ev::Other
                }
                _ => Ev::Other,
            };
            unsafe_y::yaml_event_delete(event);
            let pos = Pos {
                line: mark.line as u32 + 1,
                col: mark.column as u32 + 1,
            };
            if complete || !f(kind, pos) {
                break;
            }
        }
        unsafe_y::yaml_parser_delete(parser);
        complete
    }
}

/// Refuses YAML that nests deeper than [`MAX_DEPTH`], by a linear scan that
/// needs no parser: flow brackets outside quotes and comments, plus block
/// indentation levels and `- ` markers. It may overestimate a little, never
/// underestimate by much; the limit is far above what reports need.
fn check_depth(file: &str, text: &str, line_offset: usize) -> Result<(), Diagnostic> {
    let mut flow = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    let mut quote: Option<u8> = None;
    // Inside a block scalar (`|` or `>`): lines indented deeper than this are text.
    let mut block_scalar: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let ind = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim();
        if let Some(parent) = block_scalar {
            if body.is_empty() || ind > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut depth_block = 0;
        if flow == 0 && quote.is_none() && !body.is_empty() && !body.starts_with('#') {
            while indents.last().is_some_and(|&i| i >= ind) {
                indents.pop();
            }
            indents.push(ind);
            depth_block = indents.len();
        }
        // Whether the next character may start a node (and so a flow
        // collection or a quoted scalar).
        let mut node_start = true;
        let mut prev = b' ';
        let mut col = 0;
        // Bytes, not chars: every byte that matters here is ASCII, and no
        // byte of a longer UTF-8 sequence is.
        let bytes = line.as_bytes();
        for (i, &c) in bytes.iter().enumerate() {
            if c & 0xC0 != 0x80 {
                col += 1;
            }
            if let Some(q) = quote {
                if c == q {
                    quote = None;
                    node_start = false;
                }
                prev = c;
                continue;
            }
            let spaced_next = || bytes.get(i + 1).is_none_or(|&n| n == b' ' || n == b'\t');
            match c {
                b'#' if prev == b' ' || prev == b'\t' || i == 0 => break,
                b'"' | b'\'' if node_start => quote = Some(c),
                b'[' | b'{' if node_start || flow > 0 => {
                    flow += 1;
                    node_start = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    node_start = false;
                }
                b',' if flow > 0 => node_start = true,
                b'-' | b'?' | b':' if node_start || prev == b' ' || prev == b'\t' || i + 1 == line.len() => {
                    if spaced_next() {
                        if c == b'-' && flow == 0 {
                            depth_block += 1;
                        }
                        node_start = true;
                    } else {
                        node_start = false;
                    }
                }
                b':' => node_start = spaced_next() || (flow > 0),
                b' ' | b'\t' => {}
                b'|' | b'>' if node_start && flow == 0 => {
                    block_scalar = Some(ind);
                    break;
                }
                _ => node_start = false,
            }
            prev = c;
            if flow + depth_block > MAX_DEPTH {
                return Err(Diagnostic::error(
                    Loc::new(file, n + 1 + line_offset, col),
                    format!("the YAML nests more than {MAX_DEPTH} levels deep here"),
                )
                .hint("a report needs a few levels of nesting; look for unclosed `[` or `{`"));
            }
        }
        if flow + depth_block > MAX_DEPTH {
            return Err(Diagnostic::error(
                Loc::new(file, n + 1 + line_offset, ind + 1),
                format!("the YAML nests more than {MAX_DEPTH} levels deep here"),
            )
            .hint("a report needs a few levels of nesting; indent less deeply"));
        }
    }
    Ok(())
}

impl Doc {
    /// Parses `text` from `file`, whose first line is line `line_offset + 1`
    /// of that file. A syntax error names the line and column.
    pub fn parse(file: &str, text: &str, line_offset: usize) -> Result<Doc, Diagnostic> {
        // A text the quick scan reads nests no deeper than the limit (the
        // scan stops there), so only the others need the depth pre-scan.
        let scanned = fast::events(text);
        if scanned.is_none() {
            check_depth(file, text, line_offset)?;
        }
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
        let index = Index::build(text, scanned);
        Ok(Doc {
            file: file.to_string(),
            line_offset,
            root,
            index,
        })
    }

    /// The document's root node.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            value: &self.root,
            path: None,
            id: Some(0),
            near: 0,
        }
    }

    /// The file this document came from.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where `path` is written: the key of the last step (or the sequence item).
    /// Falls back to the nearest parent found, then to the first line.
    pub fn locate(&self, path: &[Seg]) -> Loc {
        let mut node = self.root();
        for seg in path {
            let next = match seg {
                Seg::Key(k) => node.get(k),
                Seg::Index(i) => node
                    .items()
                    .ok()
                    .and_then(|mut v| (*i < v.len()).then(|| v.swap_remove(*i))),
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.loc()
    }

    /// The location of indexed node `id`: its key, or its value's start.
    fn loc_of(&self, id: u32, value: bool) -> Loc {
        let Some(place) = self.index.places.get(id as usize) else {
            return Loc::new(&self.file, 1 + self.line_offset, 1);
        };
        let p = if value { place.value } else { place.at };
        Loc::new(
            &self.file,
            p.line.max(1) as usize + self.line_offset,
            p.col.max(1) as usize,
        )
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

/// A value inside a [`Doc`], with the path that leads to it so errors can
/// point at it.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    doc: &'a Doc,
    value: &'a Value,
    /// The last step of the path from the root; `None` at the root.
    path: Option<Arc<Step<'a>>>,
    /// Its entry in the position index, when the indexer saw it.
    id: Option<u32>,
    /// The nearest indexed node on its path (itself when `id` is set).
    near: u32,
}

/// One step of a [`Node`]'s path, linked to the steps before it: a child
/// costs one small allocation, not a copy of its parent's whole path, and
/// keys are borrowed from the document. The path is only read to name a
/// node in a message.
#[derive(Debug)]
struct Step<'a> {
    parent: Option<Arc<Step<'a>>>,
    seg: StepSeg<'a>,
}

#[derive(Debug)]
enum StepSeg<'a> {
    Key(std::borrow::Cow<'a, str>),
    Index(usize),
}

impl<'a> Node<'a> {
    /// Where this node is written.
    pub fn loc(&self) -> Loc {
        self.doc.loc_of(self.near, false)
    }

    /// Where this node's value is written: the value itself for a scalar,
    /// else the key.
    pub fn value_loc(&self) -> Loc {
        let scalar = !(self.value.is_mapping() || self.value.is_sequence());
        self.doc.loc_of(self.near, scalar && self.id.is_some())
    }

    /// Where this mapping or list begins (its first key or item), for a
    /// problem with its contents as a whole, such as a missing key.
    pub fn start_loc(&self) -> Loc {
        self.doc.loc_of(self.near, self.id.is_some())
    }

    /// An error at this node.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.loc(), message)
    }

    /// The dotted path, for messages (`rows[1].usd`).
    pub fn path_str(&self) -> String {
        let mut steps = Vec::new();
        let mut at = self.path.as_deref();
        while let Some(step) = at {
            steps.push(&step.seg);
            at = step.parent.as_deref();
        }
        let mut s = String::new();
        for seg in steps.into_iter().rev() {
            match seg {
                StepSeg::Key(k) if s.is_empty() => s.push_str(k),
                StepSeg::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                StepSeg::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// The child reached by `seg`, indexed as node `id`.
    fn child(&self, seg: StepSeg<'a>, value: &'a Value, id: Option<u32>) -> Node<'a> {
        Node {
            doc: self.doc,
            value,
            path: Some(Arc::new(Step {
                parent: self.path.clone(),
                seg,
            })),
            id,
            near: id.unwrap_or(self.near),
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
        let map = self.value.as_mapping()?;
        // The key's place among the entries finds its position too.
        let (k, (written, v)) = map.iter().enumerate().find(|(_, (k, _))| k.as_str() == Some(key))?;
        let id = self.id.and_then(|p| self.doc.index.nth_child(p, k));
        let written = written.as_str().map_or_else(|| key.to_string().into(), Into::into);
        Some(self.child(StepSeg::Key(written), v, id))
    }

    /// The value under `key`, or an error saying it is missing.
    pub fn req(&self, key: &str, what: &str) -> Result<Node<'a>, Diagnostic> {
        self.get(key).ok_or_else(|| {
            // At the mapping that lacks it: its first key for the whole
            // document or block, else the key that holds the mapping.
            let at = if self.path.is_none() {
                self.start_loc()
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
        let mut out = Vec::with_capacity(map.len());
        let mut id = self.id.and_then(|p| self.doc.index.first_child(p));
        for (k, v) in map {
            let key: std::borrow::Cow<'a, str> = match k {
                Value::String(s) => s.as_str().into(),
                Value::Number(n) => n.to_string().into(),
                Value::Bool(b) => b.to_string().into(),
                _ => return Err(self.error("a mapping key must be a plain word")),
            };
            out.push((key.to_string(), self.child(StepSeg::Key(key), v, id)));
            id = self.id.zip(id).and_then(|(p, c)| self.doc.index.next_sibling(p, c));
        }
        work(out.len() as u64);
        Ok(out)
    }

    /// The items of a sequence.
    pub fn items(&self) -> Result<Vec<Node<'a>>, Diagnostic> {
        let seq = self
            .value
            .as_sequence()
            .ok_or_else(|| self.type_error("a list (`- item` lines or `[a, b]`)"))?;
        let mut out = Vec::with_capacity(seq.len());
        let mut id = self.id.and_then(|p| self.doc.index.first_child(p));
        for (i, v) in seq.iter().enumerate() {
            out.push(self.child(StepSeg::Index(i), v, id));
            id = self.id.zip(id).and_then(|(p, c)| self.doc.index.next_sibling(p, c));
        }
        work(out.len() as u64);
        Ok(out)
    }

    /// Refuses keys other than `allowed`, so a typo (`serie:`) is caught
    /// instead of silently ignored.
    pub fn only_keys(&self, allowed: &[&str]) -> Result<(), Diagnostic> {
        match self.unknown_keys(allowed)?.into_iter().next() {
            Some(d) => Err(d),
            None => Ok(()),
        }
    }

    /// One error for every key other than `allowed`, so all typos of a
    /// mapping are reported in one run.
    pub fn unknown_keys(&self, allowed: &[&str]) -> Result<Vec<Diagnostic>, Diagnostic> {
        let mut out = Vec::new();
        for (k, node) in self.entries()? {
            if !allowed.contains(&k.as_str()) {
                let hint = match crate::text::closest(&k, allowed.iter().copied()) {
                    Some(c) => format!("did you mean `{c}`? allowed here: {}", allowed.join(", ")),
                    None => format!("allowed here: {}", allowed.join(", ")),
                };
                out.push(node.error(format!("unknown key `{k}`")).hint(hint));
            }
        }
        Ok(out)
    }

    /// Where this node is, as a line and column of its file.
    pub fn pos(&self) -> crate::model::Pos {
        let l = self.loc();
        crate::model::Pos {
            line: l.line as u32,
            col: l.col as u32,
        }
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
        // serde_yaml reads a number too large for f64 (`1e400`) as a string.
        let overflow = self
            .value
            .as_str()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|n| n.is_infinite());
        let n = overflow
            .or_else(|| self.value.as_f64())
            .ok_or_else(|| self.type_error("a number"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(t: &str) -> Doc {
        Doc::parse("f.yaml", t, 10).unwrap()
    }

    #[test]
    fn positions_come_from_the_index() {
        let d = doc("title: x\nrows:\n  - key: us\n    usd: 5\n  - {key: cn,\n     usd: 7}\n");
        let rows = d.root().get("rows").unwrap().items().unwrap();
        assert_eq!(rows[0].get("usd").unwrap().loc(), Loc::new("f.yaml", 14, 5));
        assert_eq!(rows[0].get("usd").unwrap().value_loc(), Loc::new("f.yaml", 14, 10));
        // A flow mapping over two lines: each key on its own line.
        assert_eq!(rows[1].loc(), Loc::new("f.yaml", 15, 5));
        assert_eq!(rows[1].get("usd").unwrap().loc(), Loc::new("f.yaml", 16, 6));
    }

    #[test]
    fn a_missing_key_is_located_at_its_mapping() {
        let d = doc("\n# a comment\nid: capex\ntype: bar\n");
        let e = d.root().req("title", "the title").unwrap_err();
        assert_eq!(e.loc, Loc::new("f.yaml", 13, 1));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let t = format!("a: {}", "[".repeat(100_000));
        let e = Doc::parse("f.yaml", &t, 0).unwrap_err();
        assert!(e.message.contains("nests more than"), "{e}");
        assert_eq!((e.loc.line, e.loc.col), (1, 3 + MAX_DEPTH));
        let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
        let e = Doc::parse("f.yaml", &block, 0).unwrap_err();
        assert!(e.message.contains("nests more than"), "{e}");
        assert_eq!(e.loc.line, MAX_DEPTH + 1);
        let dashes = format!("x: {}1\n", "- ".repeat(200));
        assert!(Doc::parse("f.yaml", &dashes, 0).is_err());
    }

    #[test]
    fn ordinary_text_is_not_mistaken_for_nesting() {
        let many: String = (0..500)
            .map(|i| format!("k{i}: \"[{{\" # [[[\nn{i}: see [1] and {{2}} or [3\nq{i}: it's [x]\n"))
            .collect();
        assert!(Doc::parse("f.yaml", &many, 0).is_ok());
        let scalar = format!(
            "note: |\n{}\n",
            "  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n".repeat(3)
        );
        assert!(Doc::parse("f.yaml", &scalar, 0).is_ok());
    }
}
