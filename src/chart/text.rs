//! Text measurement and wrapping without a font file.
//!
//! The SVG is drawn by the reader's browser with whatever font it has, so the
//! widths here are deliberately generous estimates (per character class, CJK
//! aware) used to size margins and to prove that no two texts overlap.

/// Estimated advance of one character, in ems. Slightly wide on purpose:
/// an overestimate costs a few pixels of margin, an underestimate an overlap.
const fn char_em(c: char) -> f64 {
    match c {
        _ if is_wide(c) => 1.0,
        '0'..='9' => 0.58,
        ' ' | '\u{a0}' => 0.28,
        '\u{2009}' | '\u{202f}' => 0.2,
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | 'I' => 0.3,
        'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' | '/' => 0.4,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.9,
        '–' | '—' | '×' => 0.6,
        'A'..='Z' => 0.7,
        'a'..='z' => 0.56,
        _ => 0.65,
    }
}

/// Characters that take a full em: CJK ideographs, kana, Hangul, CJK
/// punctuation and full-width forms.
pub const fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3040..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// [`char_em`] for ASCII, looked up rather than matched: labels and
/// numbers are measured many times per chart.
const ASCII_EM: [f64; 128] = {
    let mut t = [0.0; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = char_em(i as u8 as char);
        i += 1;
    }
    t
};

/// Estimated width in px of `s` set at `size` px; bold is ~6 % wider.
pub fn width(s: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = if s.is_ascii() {
        s.bytes().map(|b| ASCII_EM[usize::from(b)]).sum()
    } else {
        s.chars().map(char_em).sum()
    };
    em * size * if bold { 1.06 } else { 1.0 }
}

/// Splits into breakable pieces, as slices of `s`: words, and single wide
/// characters, which CJK text may break between; each with whether a space
/// came before it.
fn tokens(s: &str) -> Vec<(&str, bool)> {
    let mut out: Vec<(&str, bool)> = Vec::new();
    let mut space = false;
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let wide = is_wide(c);
        if (c.is_whitespace() || wide)
            && let Some(st) = start.take()
        {
            out.push((&s[st..i], space));
            space = false;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
        } else if wide {
            out.push((&s[i..i + c.len_utf8()], space));
            space = false;
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((&s[st..], space));
    }
    out
}

/// Greedy wrap to `max` px, breaking only at spaces and between wide (CJK)
/// characters. Nothing is ever dropped or split inside a word: a word wider
/// than `max` gets a line of its own and overflows, so callers size their
/// room from [`longest_word`].
pub fn wrap(s: &str, max: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_w = 0.0;
    let space_w = width(" ", size, false);
    for (tok, space) in tokens(s) {
        let tok_w = width(tok, size, false);
        if line.is_empty() {
            line.push_str(tok);
            line_w = tok_w;
            continue;
        }
        let extra = if space { space_w } else { 0.0 };
        if line_w + extra + tok_w <= max + 1e-9 {
            if space {
                line.push(' ');
            }
            line.push_str(tok);
            line_w += extra + tok_w;
        } else {
            lines.push(std::mem::replace(&mut line, tok.to_string()));
            line_w = tok_w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Shortens `s` to fit `max` px, ending in "…"; unchanged when it fits.
pub fn abbreviate(s: &str, max: f64, size: f64) -> String {
    if width(s, size, false) <= max {
        return s.to_string();
    }
    let budget = max - width("…", size, false);
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]), size, false);
        if w + cw > budget {
            break;
        }
        out.push(c);
        w += cw;
    }
    format!("{}…", out.trim_end())
}

/// Like [`wrap`], but evens out the lines ("中国大陆地区的七家科技公" + "司"
/// becomes two halves): the narrowest width giving the same line count.
pub fn wrap_balanced(s: &str, max: f64, size: f64) -> Vec<String> {
    if width(s, size, false) <= max {
        return vec![s.split_whitespace().collect::<Vec<_>>().join(" ")];
    }
    let first = wrap(s, max, size);
    let n = first.len();
    if n <= 1 {
        return first;
    }
    if n == 2
        && let Some(w) = narrowest_two(s, size)
    {
        return wrap(s, w, size);
    }
    let (mut lo, mut hi) = (size, max);
    for _ in 0..14 {
        let mid = (lo + hi) / 2.0;
        if wrap(s, mid, size).len() <= n {
            hi = mid
        } else {
            lo = mid
        }
    }
    wrap(s, hi, size)
}

/// The narrowest width at which `s` wraps into two lines, computed over
/// every break (line widths summed as [`wrap`] sums them) rather than
/// searched: most wrapped labels take two lines, and a search wraps the
/// label a dozen times. `None` for labels with too many pieces to try
/// every break cheaply.
fn narrowest_two(s: &str, size: f64) -> Option<f64> {
    let toks = tokens(s);
    if toks.len() < 2 || toks.len() > 32 {
        return None;
    }
    let space_w = width(" ", size, false);
    let w: Vec<f64> = toks.iter().map(|(t, _)| width(t, size, false)).collect();
    // The width of a line holding tokens `a..b`, accumulated in order.
    let line = |a: usize, b: usize| (a + 1..b).fold(w[a], |acc, k| acc + if toks[k].1 { space_w } else { 0.0 } + w[k]);
    (1..toks.len())
        .map(|k| line(0, k).max(line(k, toks.len())))
        .min_by(f64::total_cmp)
}

/// Width of the widest unbreakable piece (a word, or one CJK character).
pub fn longest_word(s: &str, size: f64) -> f64 {
    // One pass, no token list: the widest run between spaces, a wide
    // character counting as a run of its own.
    let (mut best, mut run) = (0.0f64, 0.0);
    if s.is_ascii() {
        for b in s.bytes() {
            // The ASCII characters `char::is_whitespace` accepts.
            if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                best = best.max(run);
                run = 0.0;
            } else {
                run += ASCII_EM[usize::from(b)];
            }
        }
        return best.max(run) * size;
    }
    for c in s.chars() {
        if c.is_whitespace() || is_wide(c) {
            best = best.max(run);
            run = 0.0;
            if is_wide(c) {
                best = best.max(char_em(c));
            }
        } else {
            run += char_em(c);
        }
    }
    best.max(run) * size
}

/// The narrowest width at which `s` wraps into at most `max_lines` lines,
/// searched in 4 px steps; used to size a label column without truncating.
pub fn min_width_for_lines(s: &str, size: f64, max_lines: usize) -> f64 {
    let full = width(s, size, false);
    let mut w = (full / max_lines as f64).floor().max(size);
    while w < full && wrap(s, w, size).len() > max_lines {
        w += 4.0;
    }
    wrap(s, w.min(full), size)
        .iter()
        .map(|l| width(l, size, false))
        .fold(0.0, f64::max)
}

/// Escapes text for SVG content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` escaped for SVG content and attribute values, copying runs
/// that need no escaping in one go.
pub fn push_escaped(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Joins a low and a high formatted value into one range label, sharing the
/// unit: "USD 10 m" + "USD 100 m" -> "USD 10–100 m".
pub fn range_label(lo: &str, hi: &str) -> String {
    let pre = common_prefix(lo, hi);
    let pre: String = pre
        .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '-')
        .into();
    let (lo_rest, hi_rest) = (&lo[pre.len()..], &hi[pre.len()..]);
    let rev = |s: &str| s.chars().rev().collect::<String>();
    let suf = rev(&common_prefix(&rev(lo_rest), &rev(hi_rest)));
    let suf = suf.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let lo_core = &lo_rest[..lo_rest.len() - suf.len()];
    let hi_core = &hi_rest[..hi_rest.len() - suf.len()];
    if lo_core.is_empty() || hi_core.is_empty() {
        return format!("{lo}–{hi}");
    }
    format!("{pre}{lo_core}–{hi_core}{suf}")
}

fn common_prefix(a: &str, b: &str) -> String {
    a.chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_is_wider_than_latin() {
        assert!(width("中国", 14.0, false) > width("CN", 14.0, false) * 1.3);
        assert_eq!(width("美国", 10.0, false), 20.0);
        assert_eq!(width("USD\u{a0}1", 10.0, false), width("USD 1", 10.0, false));
    }

    #[test]
    fn wraps_without_losing_text() {
        let lines = wrap("Alibaba Cloud and Tencent Cloud", 100.0, 14.0);
        assert!(lines.len() >= 2);
        assert_eq!(lines.join(" "), "Alibaba Cloud and Tencent Cloud");
        let zh = wrap("阿里云和腾讯云", 45.0, 14.0);
        assert_eq!(zh.concat(), "阿里云和腾讯云");
        assert!(zh.iter().all(|l| width(l, 14.0, false) <= 45.0));
        let farm = wrap("University Farm", 40.0, 14.0);
        assert_eq!(farm, ["University", "Farm"], "never split inside a word");
        assert_eq!(abbreviate("Alibaba Cloud", 60.0, 12.0), "Alibaba…");
        assert!(width(&abbreviate("Alibaba Cloud", 60.0, 12.0), 12.0, false) <= 60.0);
        let even = wrap_balanced("中国大陆地区的七家科技公司", 180.0, 14.0);
        assert_eq!(even.len(), 2);
        assert!(even[1].chars().count() >= 6, "{even:?}");
    }

    #[test]
    fn ascii_fast_paths_measure_as_the_general_rule() {
        for s in ["Jan 2000", "University Farm", "a\tb\u{b}c", "x\u{1f}yy", ""] {
            let slow: f64 = s.chars().map(char_em).sum::<f64>() * 12.0;
            assert!((width(s, 12.0, false) - slow).abs() < 1e-9, "{s:?}");
            let words = s
                .split(char::is_whitespace)
                .map(|w| w.chars().map(char_em).sum::<f64>());
            assert_eq!(longest_word(s, 12.0), words.fold(0.0, f64::max) * 12.0, "{s:?}");
        }
    }

    #[test]
    fn two_line_balance_matches_a_search() {
        for (label, max) in [
            ("Jan 2000", 40.0),
            ("University Farm 3", 90.0),
            ("North Ridge Observatory", 120.0),
            ("中国大陆地区的七家科技公司", 180.0),
            ("Alibaba Cloud and Tencent", 150.0),
        ] {
            let size = 14.0;
            let (mut lo, mut hi) = (size, max);
            let n = wrap(label, max, size).len();
            for _ in 0..14 {
                let mid = (lo + hi) / 2.0;
                if wrap(label, mid, size).len() <= n {
                    hi = mid
                } else {
                    lo = mid
                }
            }
            assert_eq!(wrap_balanced(label, max, size), wrap(label, hi, size), "{label}");
        }
    }

    #[test]
    fn range_labels_share_the_unit() {
        assert_eq!(range_label("USD 10 m", "USD 100 m"), "USD 10–100 m");
        assert_eq!(range_label("USD 1 m", "USD 10 m"), "USD 1–10 m");
        assert_eq!(range_label("5 %", "15 %"), "5–15 %");
        assert_eq!(range_label("10亿美元", "100亿美元"), "10–100亿美元");
        assert_eq!(escape("a<b & \"c\" 'd'"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;");
    }
}
