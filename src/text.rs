//! Reader-facing text in more than one language, and small text utilities.

use std::collections::{HashMap, HashSet};

/// A report language, by its code (`en`, `zh`).
///
/// Languages are data: the codes quire knows are the ones it has
/// number-writing rules for ([`KNOWN`]); everything else a language needs,
/// its interface words and its content, comes from the project's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(&'static str);

/// The language codes quire can write numbers in: one per entry of
/// [`crate::units::LANGUAGES`]. Adding a language means adding its number
/// rules there, an interface catalogue in `templates/lang/`, and content.
pub fn known() -> impl Iterator<Item = &'static str> {
    crate::units::LANGUAGES.iter().map(|r| r.code)
}

impl Default for Lang {
    fn default() -> Lang {
        Lang::EN
    }
}

impl Lang {
    /// English, the default when a project names no language.
    pub const EN: Lang = Lang("en");
    /// Simplified Chinese.
    pub const ZH: Lang = Lang("zh");

    /// Parses a language code; `zh-CN` and `zh-Hans` are read as `zh`.
    pub fn parse(s: &str) -> Option<Lang> {
        let code = match s {
            "zh-CN" | "zh-Hans" => "zh",
            other => other,
        };
        crate::units::number_rules(code).map(|r| Lang(r.code))
    }

    /// The code, as written in `report.yaml`, text maps and file names.
    pub fn code(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Text a reader sees: either neutral (the same in every language, such as
/// a name) or one form per language, in the order written. A language
/// without its own form falls back to the first form, and
/// [`Text::missing`] says so, so editions can warn about it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    forms: Vec<(Lang, String)>,
    neutral: String,
}

impl Text {
    /// Text with an English form and an optional Chinese one.
    pub fn new(en: String, zh: Option<String>) -> Text {
        let mut forms = vec![(Lang::EN, en)];
        forms.extend(zh.map(|z| (Lang::ZH, z)));
        Text::forms(forms)
    }

    /// Text with one form per language, in the order written.
    pub fn forms(forms: Vec<(Lang, String)>) -> Text {
        Text {
            forms,
            neutral: String::new(),
        }
    }

    /// Text that reads the same in every language.
    pub fn plain(s: impl Into<String>) -> Text {
        Text {
            forms: Vec::new(),
            neutral: s.into(),
        }
    }

    /// The form for `lang`, else the first form written.
    pub fn get(&self, lang: Lang) -> &str {
        self.forms
            .iter()
            .find(|(l, _)| *l == lang)
            .or(self.forms.first())
            .map_or(self.neutral.as_str(), |(_, t)| t.as_str())
    }

    /// When `lang` has no form of its own: the language shown instead.
    pub fn missing(&self, lang: Lang) -> Option<Lang> {
        if self.forms.is_empty() || self.forms.iter().any(|(l, _)| *l == lang) {
            return None;
        }
        self.forms.first().map(|(l, _)| *l)
    }

    /// Whether there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.get(Lang::EN).is_empty()
    }
}

/// The candidate closest to `word` by edit distance, if any is close enough to
/// be a likely typo; used for "did you mean" hints.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// The hint for an unknown name: "did you mean `x`?", or the full list of
/// `what` there is when nothing is close.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone, what: &str) -> String {
    match closest(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("{what}: {}", candidates.into_iter().collect::<Vec<_>>().join(", ")),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Makes readable, stable HTML ids from headings, the way GitHub and mdBook
/// do (see [`heading_slug`]), so links written against those renderings
/// keep working. Ids already taken get `-1`, `-2` … (GitHub's and mdBook's
/// suffixes) so every id on the page is unique.
///
/// Each base remembers the next suffix to try, so making the same heading
/// unique n times costs O(n log n), not O(n²) probes.
#[derive(Debug, Default)]
pub struct IdSet {
    // Hashed, not ordered: the set is only asked and added to, never listed
    // in order, and a 5,000-page site adds its ids one section at a time
    // on one core (ordered sets spent that in comparing long keys).
    taken: HashSet<String, foldhash::fast::FixedState>,
    next: HashMap<String, usize, foldhash::fast::FixedState>,
    probes: usize,
    /// Every key read or written while journaling (see [`IdSet::journaled`]).
    journal: Option<Vec<String>>,
}

impl IdSet {
    /// An empty set that records every id and base it looks at, so a
    /// section can be given its ids on its own, on any core, and the result
    /// kept only when it looked at nothing another section holds: then the
    /// ids are the ones one set shared by every section, in order, gives.
    /// [`IdSet::contains`] is not recorded: a journaled set is only given
    /// out from.
    pub fn journaled() -> IdSet {
        IdSet {
            journal: Some(Vec::new()),
            ..IdSet::default()
        }
    }

    /// Starts recording (again) every key looked at.
    pub fn start_journal(&mut self) {
        self.journal = Some(Vec::new());
    }

    /// The keys looked at since journaling started; stops recording.
    pub fn take_journal(&mut self) -> Vec<String> {
        self.journal.take().unwrap_or_default()
    }

    /// Every key the set holds, in no particular order: its ids and the
    /// bases it numbers.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.taken.iter().chain(self.next.keys()).map(String::as_str)
    }

    /// Adds `other`, whose keys are none of this set's (the caller checked
    /// its journal), as if its ids had been given out here.
    pub fn absorb(&mut self, other: IdSet) {
        self.taken.extend(other.taken);
        self.next.extend(other.next);
        self.probes += other.probes;
    }

    fn note(&mut self, key: &str) {
        if let Some(j) = &mut self.journal {
            j.push(key.to_string());
        }
    }

    /// Reserves `id` exactly (e.g. `fig-capex`); false if it was taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.note(id);
        self.taken.insert(id.to_string())
    }

    /// Whether `id` is taken.
    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// A fresh id from `text`, with `fallback` when nothing is left of it.
    pub fn unique(&mut self, text: &str, fallback: &str) -> String {
        let mut base = heading_slug(text);
        if base.is_empty() {
            base = slug(fallback);
        }
        if base.is_empty() {
            base = "id".to_string();
        }
        self.unique_slug(base)
    }

    /// A fresh id built from `base`, which is kept as written (so `intro--fn-1`
    /// keeps its double hyphen) except that any character other than a
    /// letter, a digit, `-` or `_` becomes `-`: the result is always a safe id.
    pub fn unique_from(&mut self, base: &str) -> String {
        let mut base: String = base
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        if base.is_empty() {
            base = "id".to_string();
        }
        self.unique_slug(base)
    }

    /// How many candidate ids [`IdSet::unique`] and [`IdSet::unique_from`]
    /// have tried so far: the count that tests hold linear.
    pub fn probes(&self) -> usize {
        self.probes
    }

    /// `base` itself if free, else `base-N` with the smallest N not yet tried.
    fn unique_slug(&mut self, base: String) -> String {
        self.probes += 1;
        self.note(&base);
        if !self.next.contains_key(&base) && self.taken.insert(base.clone()) {
            self.next.insert(base.clone(), 1);
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            self.probes += 1;
            let id = format!("{base}-{n}");
            *n += 1;
            if let Some(j) = &mut self.journal {
                j.push(id.clone());
            }
            if self.taken.insert(id.clone()) {
                return id;
            }
        }
    }
}

/// The slug of `text`: `"Power, not money"` → `power-not-money`, `"中国：马拉松"` → `中国-马拉松`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    out
}

/// The id GitHub and mdBook give a heading: lower case; letters, digits,
/// `-` and `_` kept; each space a `-`; everything else dropped.
/// `"build.target"` → `buildtarget`, `"rustc --print"` → `rustc---print`.
/// Docs brought from elsewhere link to headings by these ids, so quire
/// makes the same ones rather than a tidier slug of its own.
pub fn heading_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_cjk_and_fold_punctuation() {
        assert_eq!(slug("Power, not money!"), "power-not-money");
        assert_eq!(slug("中国：边跑边赚钱"), "中国-边跑边赚钱");
        assert_eq!(slug("  --  "), "");
    }

    #[test]
    fn heading_slugs_match_github_and_mdbook() {
        assert_eq!(heading_slug("`build.target`"), "buildtarget");
        assert_eq!(heading_slug("rustc --print"), "rustc---print");
        assert_eq!(heading_slug("non_kebab_case_features"), "non_kebab_case_features");
        assert_eq!(heading_slug("Power, not money!"), "power-not-money");
        assert_eq!(heading_slug("中国：边跑边赚钱"), "中国边跑边赚钱");
        assert_eq!(heading_slug(" <b>\"x\"</b> "), "bxb");
    }

    #[test]
    fn ids_are_unique() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("Risks", "h"), "risks");
        assert_eq!(ids.unique("Risks", "h"), "risks-1");
        assert_eq!(ids.unique("!!", "h"), "h");
        // A taken `risks-2` is skipped, and the counter never goes back.
        ids.reserve("risks-2");
        assert_eq!(ids.unique("Risks", "h"), "risks-3");
        assert_eq!(ids.unique("Risks-1", "h"), "risks-1-1");
        // Markup in a fallback never survives into an id.
        assert_eq!(ids.unique("", "a\"><b>"), "a-b");
        assert_eq!(ids.unique_from("x--fn-1"), "x--fn-1");
        assert_eq!(ids.unique_from("x--fn-1"), "x--fn-1-1");
        assert_eq!(ids.unique_from("<x\">"), "-x--");
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("serie", ["series", "title"]), Some("series"));
        assert_eq!(closest("zzzzzz", ["series", "title"]), None);
    }
}
