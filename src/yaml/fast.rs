//! A quick scan that yields the same position events libyaml would, for the
//! plain YAML reports are written in, so the index need not parse every
//! text a second time with libyaml.
//!
//! The scan runs before serde_yaml judges the text, and only finds where
//! each node starts: its events are used once serde_yaml has accepted the
//! text, and dropped otherwise. It stops at [`super::MAX_DEPTH`] levels of
//! nesting, so a text it reads is known to nest no deeper, and hostile
//! nesting never takes it into deep recursion. It covers block
//! mappings and sequences (indentless ones too), flow collections over any
//! number of lines, quoted and single-line plain scalars, block scalars and
//! comments. Anything else (anchors, aliases, tags, `?` keys, document
//! markers, directives, tabs, `\r`, multi-line plain scalars, empty flow
//! values …) makes it give up with `None`, and the caller falls back to
//! libyaml, so an unusual text costs time, never a wrong position. The tests
//! compare both event streams on every shape the scan accepts.

use super::{Ev, Pos};

/// Why the scan stopped: the text uses something it leaves to libyaml.
struct Bail;

type R<T = ()> = Result<T, Bail>;

/// Where the scan is: byte offset, and the 1-based line and character column.
#[derive(Clone, Copy)]
struct At {
    i: usize,
    line: u32,
    col: u32,
}

struct Scan<'a> {
    b: &'a [u8],
    at: At,
    out: Vec<(Ev, Pos)>,
    /// Collections open around the scan.
    depth: usize,
}

/// The events of `text` (kind and start, in libyaml's order and with its
/// marks), or `None` when the text needs libyaml to say.
pub(super) fn events(text: &str) -> Option<Vec<(Ev, Pos)>> {
    if !plain_text(text) {
        return None;
    }
    let mut s = Scan {
        b: text.as_bytes(),
        at: At { i: 0, line: 1, col: 1 },
        out: Vec::with_capacity(text.len() / 8 + 8),
        depth: 0,
    };
    s.document().ok()?;
    Some(s.out)
}

/// Whether `text` avoids what the scan leaves to libyaml as a whole: tabs,
/// carriage returns and the other line breaks libyaml knows, a byte order
/// mark, and lines starting a document marker or a directive.
fn plain_text(text: &str) -> bool {
    let b = text.as_bytes();
    if memchr::memchr2(b'\t', b'\r', b).is_some() {
        return false;
    }
    // U+0085 (C2 85), U+2028/U+2029 (E2 80 A8/A9), U+FEFF (EF BB BF): their
    // lead bytes are found by one search; dashes and quotes share E2 80.
    let odd_break = memchr::memchr3_iter(0xC2, 0xE2, 0xEF, b).any(|i| {
        matches!(
            &b[i..b.len().min(i + 3)],
            [0xC2, 0x85, ..] | [0xE2, 0x80, 0xA8 | 0xA9] | [0xEF, 0xBB, 0xBF]
        )
    });
    if odd_break {
        return false;
    }
    let line_start =
        |i: usize| matches!(b.get(i), Some(b'%')) || b[i..].starts_with(b"---") || b[i..].starts_with(b"...");
    !(line_start(0) || memchr::memchr_iter(b'\n', b).any(|i| line_start(i + 1)))
}

fn space_or_end(c: Option<u8>) -> bool {
    matches!(c, None | Some(b' ' | b'\n'))
}

fn flow_indicator(c: u8) -> bool {
    matches!(c, b',' | b'[' | b']' | b'{' | b'}')
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<u8> {
        self.b.get(self.at.i + k).copied()
    }

    fn pos(&self) -> Pos {
        Pos {
            line: self.at.line,
            col: self.at.col,
        }
    }

    /// Steps over one character.
    fn bump(&mut self) {
        let Some(c) = self.peek() else { return };
        if c == b'\n' {
            self.at.i += 1;
            self.at.line += 1;
            self.at.col = 1;
            return;
        }
        let width = match c {
            0x00..=0x7F => 1,
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        self.at.i = (self.at.i + width).min(self.b.len());
        self.at.col += 1;
    }

    /// Steps to byte `j` of the same line (a character boundary), counting
    /// the characters passed: one pass a search found the end of, instead
    /// of a step per character.
    fn advance_to(&mut self, j: usize) {
        let passed = &self.b[self.at.i..j];
        self.at.col += passed.iter().filter(|&&c| c & 0xC0 != 0x80).count() as u32;
        self.at.i = j;
    }

    /// The next of the bytes `a`, `b`, `c` from here, or the end of the text.
    fn find3(&self, a: u8, b: u8, c: u8) -> usize {
        memchr::memchr3(a, b, c, &self.b[self.at.i..]).map_or(self.b.len(), |k| self.at.i + k)
    }

    fn emit(&mut self, ev: Ev, pos: Pos) {
        self.out.push((ev, pos));
    }

    /// A collection's start, one level deeper; past the limit the scan
    /// bails, and the caller's own depth check names the line.
    fn open(&mut self, ev: Ev) -> R {
        self.depth += 1;
        if self.depth > super::MAX_DEPTH {
            return Err(Bail);
        }
        self.emit(ev, self.pos());
        Ok(())
    }

    /// A collection's end, one level back out.
    fn close(&mut self, ev: Ev) {
        self.depth -= 1;
        self.emit(ev, self.pos());
    }

    fn skip_spaces(&mut self) {
        let n = self.b[self.at.i..].iter().take_while(|&&c| c == b' ').count();
        self.at.i += n;
        self.at.col += n as u32;
    }

    /// Steps to the end of the line (not over the break).
    fn skip_line(&mut self) {
        let end = memchr::memchr(b'\n', &self.b[self.at.i..]).map_or(self.b.len(), |k| self.at.i + k);
        self.advance_to(end);
    }

    /// Spaces and a comment up to the end of the line; anything else there bails.
    fn line_end(&mut self) -> R {
        self.skip_spaces();
        match self.peek() {
            None | Some(b'\n') => Ok(()),
            // A comment needs a space before it (or a line of its own).
            Some(b'#') if self.at.col == 1 || self.b[self.at.i - 1] == b' ' => {
                self.skip_line();
                Ok(())
            }
            _ => Err(Bail),
        }
    }

    /// Skips blank and comment lines, from the end of a line (or a line's
    /// start): the indentation (0-based column) of the next content, with
    /// the scan at its first character, or `None` at the end of the text.
    fn next_node(&mut self) -> Option<u32> {
        loop {
            self.skip_spaces();
            match self.peek() {
                None => return None,
                Some(b'\n') => self.bump(),
                Some(b'#') => self.skip_line(),
                Some(_) => return Some(self.at.col - 1),
            }
        }
    }

    /// Indentation of the next line that is not blank (comments count),
    /// without moving: a plain scalar followed by a deeper line may go on
    /// there, which is left to libyaml.
    fn next_line_indent(&self) -> Option<u32> {
        let mut i = self.at.i;
        while i < self.b.len() && self.b[i] != b'\n' {
            i += 1;
        }
        while i < self.b.len() {
            // At a line break: measure the next line.
            i += 1;
            let start = i;
            while i < self.b.len() && self.b[i] == b' ' {
                i += 1;
            }
            match self.b.get(i) {
                None => return None,
                Some(b'\n') => continue,
                Some(_) => return Some((i - start) as u32),
            }
        }
        None
    }

    fn document(&mut self) -> R {
        self.emit(Ev::Other, Pos { line: 1, col: 1 }); // stream start
        self.next_node().ok_or(Bail)?;
        if !matches!(self.peek(), Some(b'[' | b'{')) && !self.collection_here() {
            return Err(Bail);
        }
        let start = self.pos();
        self.emit(Ev::Other, start); // document start
        self.block_node(-1)?;
        if self.peek().is_some() {
            return Err(Bail);
        }
        // libyaml's stream end closes the walk without being handed on.
        self.emit(Ev::Other, self.pos()); // document end
        Ok(())
    }

    /// Whether a block mapping or sequence starts here.
    fn collection_here(&self) -> bool {
        (self.peek() == Some(b'-') && space_or_end(self.peek_at(1))) || self.key_here()
    }

    /// A block node starting here, in a collection indented `parent`
    /// (-1 at the root). Returns at the next content line (or the end).
    fn block_node(&mut self, parent: i64) -> R {
        let c = self.at.col - 1;
        match self.peek().ok_or(Bail)? {
            b'-' if space_or_end(self.peek_at(1)) => self.block_seq(c),
            b'[' | b'{' => {
                self.flow_node()?;
                self.line_end()?;
                self.next_node();
                Ok(())
            }
            b'|' | b'>' => self.block_scalar(parent),
            _ if self.key_here() => self.block_map(c),
            _ => {
                self.inline_scalar(parent)?;
                self.next_node();
                Ok(())
            }
        }
    }

    /// Whether a simple key and its `:` start here, on this line.
    fn key_here(&self) -> bool {
        let mut probe = Scan {
            b: self.b,
            at: self.at,
            out: Vec::new(),
            depth: self.depth,
        };
        probe.key().is_ok()
    }

    /// Steps over a simple key and its `:` (with any spaces between).
    fn key(&mut self) -> R {
        let line = self.at.line;
        match self.peek().ok_or(Bail)? {
            b'"' | b'\'' => {
                self.quoted()?;
                if self.at.line != line {
                    return Err(Bail);
                }
                self.skip_spaces();
            }
            c if self.plain_start(c, false) => {
                // A plain key runs to `: ` (or `:` at the end of the line).
                loop {
                    let j = self.find3(b'\n', b':', b'#');
                    match self.b.get(j) {
                        None | Some(b'\n') => return Err(Bail),
                        Some(b'#') if j > self.at.i && self.b[j - 1] == b' ' => return Err(Bail),
                        Some(b':') if space_or_end(self.b.get(j + 1).copied()) => {
                            self.advance_to(j);
                            break;
                        }
                        Some(_) => self.advance_to(j + 1),
                    }
                }
            }
            _ => return Err(Bail),
        }
        if self.peek() == Some(b':') && space_or_end(self.peek_at(1)) {
            self.bump();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Whether a plain scalar may start with `c` here.
    fn plain_start(&self, c: u8, flow: bool) -> bool {
        match c {
            b'-' | b'?' | b':' => {
                let next = self.peek_at(1);
                !(space_or_end(next) || flow && next.is_some_and(flow_indicator))
            }
            b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\'' | b'"' | b'%' | b'@'
            | b'`' | b' ' | b'\n' => false,
            _ => true,
        }
    }

    /// A block mapping whose keys are at column `c`.
    fn block_map(&mut self, c: u32) -> R {
        self.open(Ev::MapStart)?;
        loop {
            self.emit(Ev::Scalar, self.pos());
            self.key()?;
            // An empty value is marked just after the `:`.
            let after_colon = self.pos();
            self.skip_spaces();
            if matches!(self.peek(), None | Some(b'\n' | b'#')) {
                self.line_end()?;
                match self.next_node() {
                    Some(n) if n > c => self.block_node(c as i64)?,
                    Some(n) if n == c && self.peek() == Some(b'-') && space_or_end(self.peek_at(1)) => {
                        self.block_seq(c)?;
                    }
                    _ => self.emit(Ev::Scalar, after_colon),
                }
            } else {
                self.inline_value(c)?;
                self.next_node();
            }
            match (self.peek(), self.at.col - 1) {
                (None, _) => break,
                (Some(_), n) if n < c => break,
                (Some(b'-'), n) if n == c && space_or_end(self.peek_at(1)) => return Err(Bail),
                (Some(_), n) if n == c => {}
                _ => return Err(Bail),
            }
        }
        self.close(Ev::MapEnd);
        Ok(())
    }

    /// A block sequence whose `-` are at column `c`.
    fn block_seq(&mut self, c: u32) -> R {
        self.open(Ev::SeqStart)?;
        loop {
            self.bump(); // the `-`
            self.skip_spaces();
            if matches!(self.peek(), None | Some(b'\n' | b'#')) {
                self.line_end()?;
                match self.next_node() {
                    Some(n) if n > c => self.block_node(c as i64)?,
                    _ => return Err(Bail),
                }
            } else {
                self.block_node(c as i64)?;
            }
            match (self.peek(), self.at.col - 1) {
                (None, _) => break,
                (Some(b'-'), n) if n == c && space_or_end(self.peek_at(1)) => {}
                (Some(_), n) if n <= c => break,
                _ => return Err(Bail),
            }
        }
        self.close(Ev::SeqEnd);
        Ok(())
    }

    /// A mapping's value written on its key's line (not a nested mapping).
    fn inline_value(&mut self, c: u32) -> R {
        match self.peek().ok_or(Bail)? {
            b'[' | b'{' => {
                self.flow_node()?;
                self.line_end()
            }
            b'|' | b'>' => self.block_scalar_here(c as i64),
            _ => self.inline_scalar(c as i64),
        }
    }

    /// A quoted or plain scalar written on this line, in a collection
    /// indented `parent`.
    fn inline_scalar(&mut self, parent: i64) -> R {
        let c = self.peek().ok_or(Bail)?;
        self.emit(Ev::Scalar, self.pos());
        if c == b'"' || c == b'\'' {
            self.quoted()?;
            return self.line_end();
        }
        if !self.plain_start(c, false) {
            return Err(Bail);
        }
        loop {
            let j = self.find3(b'\n', b':', b'#');
            match self.b.get(j) {
                None | Some(b'\n') => {
                    self.advance_to(j);
                    break;
                }
                Some(b':') if space_or_end(self.b.get(j + 1).copied()) => return Err(Bail),
                Some(b'#') if j > self.at.i && self.b[j - 1] == b' ' => {
                    self.advance_to(j - 1);
                    break;
                }
                Some(_) => self.advance_to(j + 1),
            }
        }
        self.line_end()?;
        // A deeper line after a plain scalar may continue it.
        if self.next_line_indent().is_some_and(|n| n as i64 > parent) {
            return Err(Bail);
        }
        Ok(())
    }

    /// A block scalar (`|` or `>`) here, then on to the next content line.
    fn block_scalar(&mut self, parent: i64) -> R {
        self.block_scalar_here(parent)?;
        self.next_node();
        Ok(())
    }

    /// A block scalar's header and its lines: those blank or deeper than
    /// `parent`. Returns at the start of the first line after it.
    fn block_scalar_here(&mut self, parent: i64) -> R {
        self.emit(Ev::Scalar, self.pos());
        self.bump();
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.bump();
        }
        if !matches!(self.peek(), None | Some(b' ' | b'\n')) {
            return Err(Bail);
        }
        self.line_end()?;
        while self.peek() == Some(b'\n') {
            let save = self.at;
            self.bump();
            let start = self.at.i;
            self.skip_spaces();
            let indent = (self.at.i - start) as i64;
            match self.peek() {
                None => break,
                Some(b'\n') => continue,
                Some(_) if indent > parent => self.skip_line(),
                Some(_) => {
                    // Back to the break, so the caller reads this line.
                    self.at = save;
                    break;
                }
            }
        }
        Ok(())
    }

    /// A quoted scalar; it may run over several lines.
    fn quoted(&mut self) -> R {
        let q = self.peek().ok_or(Bail)?;
        self.bump();
        loop {
            // Straight to the next byte that may matter.
            let j = self.find3(q, b'\\', b'\n');
            self.advance_to(j);
            match self.peek().ok_or(Bail)? {
                b'\\' if q == b'"' => {
                    self.bump();
                    self.bump();
                }
                b'\'' if q == b'\'' && self.peek_at(1) == Some(b'\'') => {
                    self.bump();
                    self.bump();
                }
                c if c == q => {
                    self.bump();
                    return Ok(());
                }
                _ => self.bump(),
            }
        }
    }

    /// Spaces, line breaks and comments inside a flow collection.
    fn flow_space(&mut self) -> R {
        let mut spaced = true;
        loop {
            match self.peek() {
                Some(b' ' | b'\n') => {
                    spaced = true;
                    self.bump();
                }
                Some(b'#') if spaced => self.skip_line(),
                Some(b'#') => return Err(Bail),
                _ => return Ok(()),
            }
        }
    }

    /// A flow node: a `[…]` or `{…}` collection, or a scalar inside one.
    fn flow_node(&mut self) -> R {
        let c = self.peek().ok_or(Bail)?;
        match c {
            b'[' => {
                self.open(Ev::SeqStart)?;
                self.bump();
                loop {
                    self.flow_space()?;
                    if self.peek() == Some(b']') {
                        break;
                    }
                    self.flow_node()?;
                    self.flow_space()?;
                    match self.peek() {
                        Some(b',') => self.bump(),
                        Some(b']') => break,
                        _ => return Err(Bail),
                    }
                }
                self.bump();
                self.close(Ev::SeqEnd);
                Ok(())
            }
            b'{' => {
                self.open(Ev::MapStart)?;
                self.bump();
                loop {
                    self.flow_space()?;
                    if self.peek() == Some(b'}') {
                        break;
                    }
                    if matches!(self.peek(), Some(b'[' | b'{')) {
                        return Err(Bail);
                    }
                    self.flow_scalar()?;
                    self.flow_space()?;
                    if self.peek() != Some(b':') {
                        return Err(Bail);
                    }
                    self.bump();
                    self.flow_space()?;
                    if matches!(self.peek(), Some(b',' | b'}')) {
                        return Err(Bail);
                    }
                    self.flow_node()?;
                    self.flow_space()?;
                    match self.peek() {
                        Some(b',') => self.bump(),
                        Some(b'}') => break,
                        _ => return Err(Bail),
                    }
                }
                self.bump();
                self.close(Ev::MapEnd);
                Ok(())
            }
            _ => self.flow_scalar(),
        }
    }

    /// A quoted or plain scalar inside a flow collection.
    fn flow_scalar(&mut self) -> R {
        let c = self.peek().ok_or(Bail)?;
        self.emit(Ev::Scalar, self.pos());
        if c == b'"' || c == b'\'' {
            return self.quoted();
        }
        if !self.plain_start(c, true) {
            return Err(Bail);
        }
        loop {
            match self.peek() {
                None => return Err(Bail),
                Some(b'\n') => break,
                Some(b',' | b']' | b'}') => return Ok(()),
                Some(b'[' | b'{') => return Err(Bail),
                Some(b':') if space_or_end(self.peek_at(1)) || self.peek_at(1).is_some_and(flow_indicator) => {
                    return Ok(());
                }
                Some(b' ') if self.peek_at(1) == Some(b'#') => break,
                Some(_) => self.bump(),
            }
        }
        // At a line's end: a plain scalar that goes on past it is left to libyaml.
        let save = self.at;
        self.flow_space()?;
        if !matches!(self.peek(), Some(b',' | b']' | b'}' | b':')) {
            return Err(Bail);
        }
        self.at = save;
        Ok(())
    }
}

/// The events that decide the index: kinds, and starts of nodes (an end's
/// mark is never used).
#[cfg(any(test, debug_assertions))]
fn significant(events: &[(Ev, Pos)]) -> Vec<(Ev, Pos)> {
    events
        .iter()
        .filter(|(ev, _)| *ev != Ev::Other)
        .map(|&(ev, pos)| match ev {
            Ev::SeqEnd | Ev::MapEnd => (ev, Pos::default()),
            _ => (ev, pos),
        })
        .collect()
}

/// libyaml's events for `text`, up to the end of the stream.
#[cfg(any(test, debug_assertions))]
fn libyaml(text: &str) -> Vec<(Ev, Pos)> {
    let mut out = Vec::new();
    super::libyaml_events(text, &mut |ev, pos| {
        out.push((ev, pos));
        true
    });
    out
}

/// Panics unless `events`, from the scan, match libyaml's for `text`.
#[cfg(debug_assertions)]
pub(super) fn assert_same(text: &str, events: &[(Ev, Pos)]) {
    assert_eq!(
        significant(events),
        significant(&libyaml(text)),
        "the quick YAML scan differs from libyaml on {text:?}"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scan's events, checked against libyaml's; `None` when it bails.
    fn same(text: &str) -> Option<()> {
        let ours = events(text)?;
        assert_eq!(significant(&ours), significant(&libyaml(text)), "on {text:?}");
        Some(())
    }

    #[test]
    fn the_scan_reads_the_shapes_reports_use() {
        let cases = [
            "a: 1\nb: two words\n",
            "title: {en: \"AI capex\", zh: \"中国的\"}\nunit: USD bn\n",
            "# c\n\nrows:\n  - key: us\n    usd: 5 # five\n  - {key: cn,\n     usd: 7}\n",
            "rows:\n- key: us\n- key: cn\nnext: 1\n",
            "a:\n  b:\n    c: [1, 2, [3]]\n  d: 'it''s'\n",
            "note: |\n  line one\n\n  line two\nafter: x\n",
            "note: >-\n    folded\n    text\n# end\n",
            "- - a\n  - b\n- c\n",
            "a:\nb: 2\n",
            "a: \"multi\n  line\"\nb: 1\n",
            "[1, 2, {a: b}]\n",
            "x: -5\ny: http://example.org/a:b\nz: \"\\\"q\\\"\"\n",
            "list: [a, b,]\nmap: {a: 1, \"b\":2}\n",
            "a: # comment\n  b: 1\n",
            "k:\n  - |\n    text\n  - x\n",
            "empty: {}\nnone: []\n",
            "\"quoted key\": v\n'single': w\n",
        ];
        for c in cases {
            assert!(same(c).is_some(), "the scan gave up on {c:?}");
        }
    }

    #[test]
    fn the_scan_leaves_unusual_yaml_to_libyaml() {
        for c in [
            "a: &x 1\nb: *x\n",
            "a: !tag 1\n",
            "? complex\n: value\n",
            "---\na: 1\n",
            "a:\tb\n",
            "a: 1\r\nb: 2\r\n",
            "a: plain\n  continued\n",
            "{a, b: c}\n",
            "just a scalar\n",
            "",
            "a: [x,\n  y z\n  w]\n",
        ] {
            if let Some(ours) = events(c) {
                assert_eq!(significant(&ours), significant(&libyaml(c)), "on {c:?}");
            }
        }
        assert!(events("a: &x 1\n").is_none());
        assert!(events("a: plain\n  continued\n").is_none());
    }

    /// Every YAML text of the default report, templates and docs.
    #[test]
    fn the_scan_reads_every_shipped_yaml_text() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut read = 0;
        for dir in ["content", "templates", "docs"] {
            for e in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                let Ok(text) = std::fs::read_to_string(e.path()) else {
                    continue;
                };
                let ext = e.path().extension().and_then(|x| x.to_str());
                let mut texts = Vec::new();
                if ext == Some("yaml") {
                    texts.push(text);
                } else if ext == Some("md") {
                    // Front matter and fenced blocks.
                    let mut block: Option<String> = None;
                    for (n, line) in text.lines().enumerate() {
                        let fence = line.starts_with("```") || (line == "---" && (n == 0 || block.is_some()));
                        match (&mut block, fence) {
                            (Some(b), true) => {
                                texts.push(std::mem::take(b));
                                block = None;
                            }
                            (None, true) => block = Some(String::new()),
                            (Some(b), false) => {
                                b.push_str(line);
                                b.push('\n');
                            }
                            (None, false) => {}
                        }
                    }
                }
                for t in texts {
                    if serde_yaml::from_str::<serde_yaml::Value>(&t).is_ok() {
                        // The fast path must stay the usual one.
                        assert!(same(&t).is_some(), "the scan gave up on {}: {t:?}", e.path().display());
                        read += 1;
                    }
                }
            }
        }
        assert!(read > 20, "the scan read only {read} shipped texts");
    }
}
