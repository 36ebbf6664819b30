//! Editions: one source, every language. A report listing `languages: [en,
//! zh]` builds both pages with the same numbering and values, and refuses to
//! build when one edition binds what the other does not.

mod common;

use common::{At, Fixture};

const INTRO_ZH: &str = r#"---
title: "引言"
summary: "数字为何重要"
---
## 背景

美国的开支为{{capex.us.usd}}，中国为{{capex.cn.usd}}，隐含汇率为{{capex.rate}}。
中国的开支是美国的{{claim capex.cn_quarter: 四分之一到三分之一}}（@fig:capex；
构成见@fig:split和@tbl:shares）。[^1]

```chart
id: capex
```

[^1]: 两个数字均为全年数据。
"#;

const DETAIL_ZH: &str = r#"---
title: "细节"
---
## 背景

芯片占美国开支的{{split.us.chips}}（@fig:split、@tbl:shares；另见@sec:intro）。[^1]

```chart
id: split
```

```table
id: shares
```

```stats
id: headline
```

[^1]: 份额按总额计算。
"#;

/// The good fixture with a Chinese edition of every section and every text.
fn bilingual() -> Fixture {
    let fx = Fixture::new();
    fx.replace("content/report.yaml", "lang: en", "languages: [en, zh]");
    fx.replace(
        "content/report.yaml",
        "title: \"Fixture report\"\nsubtitle: \"A small report for tests\"",
        "title: {en: \"Fixture report\", zh: \"测试报告\"}\nsubtitle: {en: \"A small report\", zh: \"一份小报告\"}",
    );
    fx.replace(
        "content/sections/02-detail.md",
        "```stats\n- value: capex.us.usd\n  label: \"US capital expenditure\"\n```",
        "```stats\nid: headline\ntiles:\n  - value: capex.us.usd\n    label: {en: \"US capital expenditure\", zh: \"美国资本开支\"}\n```",
    );
    fx.write("content/sections/01-intro.zh.md", INTRO_ZH);
    fx.write("content/sections/02-detail.zh.md", DETAIL_ZH);
    fx
}

fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The `value` attributes of every `<data>` element, sorted.
fn data_values(html: &str) -> Vec<String> {
    let mut out: Vec<String> = html
        .split("<data value=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[test]
fn both_editions_are_built_with_the_same_numbers() {
    let fx = bilingual();
    let r = fx.build(&[]);
    r.assert_no_panic("bilingual build");
    r.assert_code(0, "bilingual build");
    let en = fx.index_html();
    let zh = std::fs::read_to_string(fx.out().join("zh/index.html")).expect("zh/index.html is written");
    assert!(en.contains("<html lang=\"en\""));
    assert!(zh.contains("<html lang=\"zh-Hans\""));
    assert!(
        en.contains("href=\"zh/index.html\""),
        "the English page links to the Chinese one"
    );
    assert!(zh.contains("href=\"../index.html\""), "the Chinese page links back");
    assert!(zh.contains("测试报告") && zh.contains("引言") && zh.contains("细节"));
    assert!(zh.contains("2026年1月1日"), "the date is written the Chinese way");
    assert!(en.contains("1 January 2026"));
    // Same numbering: two figures and one table in each edition.
    assert_eq!(count(&en, ">Figure 1<"), count(&zh, ">图1<"));
    assert_eq!(count(&en, ">Figure 2<"), count(&zh, ">图2<"));
    assert_eq!(count(&en, ">Table 1<"), count(&zh, ">表1<"));
    assert!(count(&zh, ">图1<") >= 1);
    assert_eq!(data_values(&en), data_values(&zh), "both editions bind the same values");
    for chart in ["capex", "split"] {
        assert!(fx.out().join(format!("charts/{chart}.svg")).is_file());
        assert!(fx.out().join(format!("zh/charts/{chart}.svg")).is_file());
    }
    // No English interface word leaks into the Chinese page.
    for word in [
        "Checked against the data",
        "Computed:",
        "Back to the text",
        "Contents",
        "Source: ",
    ] {
        assert!(!zh.contains(word), "`{word}` in the Chinese page");
    }
    let check = fx.check(&["--deny-warnings"]);
    check.assert_code(0, "a fully translated report has no warnings");
}

#[test]
fn a_binding_missing_from_one_edition_names_both_files() {
    let fx = bilingual();
    fx.replace("content/sections/01-intro.zh.md", "，隐含汇率为{{capex.rate}}", "");
    let at = fx.pos("content/sections/01-intro.md", "{{capex.rate}}");
    let d = fx.expect_error(at, "capex.rate");
    assert!(
        d.message.contains("01-intro.md") && d.message.contains("01-intro.zh.md"),
        "{d}"
    );
}

#[test]
fn a_figure_missing_from_one_edition_is_an_error() {
    let fx = bilingual();
    fx.replace("content/sections/02-detail.zh.md", "```table\nid: shares\n```\n", "");
    fx.replace("content/sections/02-detail.zh.md", "、@tbl:shares", "");
    fx.replace("content/sections/01-intro.zh.md", "和@tbl:shares", "");
    let at = fx.pos("content/sections/02-detail.zh.md", "id: split");
    let at = At {
        line: at.line - 1,
        col: 1,
        ..at
    };
    let d = fx.expect_error(at, "places the figures");
    assert!(d.message.contains("shares"), "{d}");
}

#[test]
fn a_translation_placing_an_unknown_block_is_located() {
    let fx = bilingual();
    fx.replace("content/sections/01-intro.zh.md", "id: capex", "id: capexx");
    let at = fx.pos("content/sections/01-intro.zh.md", "id: capexx");
    let d = fx.expect_error(At { col: 1, ..at }, "no `chart` block with the id `capexx`");
    assert!(d.hint.contains("capex"), "{d}");
}

#[test]
fn untranslated_text_is_a_warning_that_deny_warnings_turns_into_an_error() {
    let fx = bilingual();
    fx.replace(
        "content/data/capex.yaml",
        "label: \"United States\"",
        "label: {en: \"United States\"}",
    );
    let r = fx.check(&[]);
    r.assert_code(0, "an untranslated label only warns");
    assert!(r.stderr.contains("has no `zh` text"), "{}", r.stderr);
    fx.check(&["--deny-warnings"]).assert_code(1, "with --deny-warnings");
    // The fallback is marked for what it is on the page.
    fx.build(&[]).assert_code(0, "build with a fallback");
}

#[test]
fn a_missing_section_translation_warns_and_falls_back() {
    let fx = bilingual();
    fx.remove("content/sections/02-detail.zh.md");
    let r = fx.check(&[]);
    r.assert_code(0, "a missing translation only warns");
    assert!(r.stderr.contains("no `zh` translation"), "{}", r.stderr);
    // The English text shown in its place is marked as English.
    fx.build(&[]).assert_code(0, "build with a missing translation");
    let zh = std::fs::read_to_string(fx.out().join("zh/index.html")).unwrap();
    assert!(
        zh.contains("id=\"detail\" lang=\"en\""),
        "the untranslated section says it is English"
    );
    assert!(!zh.contains("id=\"intro\" lang="), "a translated section is not marked");
}

#[test]
fn a_translation_into_an_unlisted_language_is_not_ignored_silently() {
    let fx = Fixture::new();
    fx.write("content/sections/01-intro.zh.md", INTRO_ZH);
    let r = fx.check(&[]);
    r.assert_code(0, "an unbuilt translation warns");
    assert!(r.stderr.contains("not in `languages`"), "{}", r.stderr);
}

#[test]
fn lang_builds_one_edition_at_the_top() {
    let fx = bilingual();
    let r = fx.build(&["--lang", "zh"]);
    r.assert_code(0, "--lang zh");
    assert!(fx.index_html().contains("<html lang=\"zh-Hans\""));
    assert!(!fx.out().join("zh").exists());
}

#[test]
fn english_only_content_builds_one_edition() {
    let fx = Fixture::new();
    fx.build(&[]).assert_code(0, "English only");
    assert!(!fx.out().join("zh").exists());
    fx.check(&["--deny-warnings"])
        .assert_code(0, "no warnings for English-only content");
}
