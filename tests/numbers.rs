//! Numbers as readers read them: decimal rounding, every unit of the default
//! report in both languages, digits carried to derived values, binding
//! filters, and bad numbers as located errors.

mod common;

use common::Fixture;
use quire::diag::SourceMap;
use quire::model::Report;
use quire::text::Lang;
use quire::transform::inline::{BindingError, apply, parse_binding};
use quire::units::number_rules;
use quire::values::{Value, Values};
use std::collections::BTreeSet;
use std::path::Path;

fn values_of(root: &Path) -> Values {
    let mut files = SourceMap::default();
    let report = quire::load::load(root, &mut files).expect("the content loads");
    Values::compute(&report).expect("the values compute")
}

fn written(v: &Value, lang: Lang) -> String {
    let rules = number_rules(lang.code()).expect("rules for every language");
    let text = v.unit.format(v.q.value, v.digits, lang);
    rules.qualify(v.note.get(lang), &text).replace('\u{a0}', " ")
}

#[test]
fn every_language_has_number_rules() {
    for lang in [Lang::EN, Lang::ZH] {
        assert_eq!(number_rules(lang.code()).map(|r| r.code), Some(lang.code()));
    }
}

#[test]
fn the_default_report_reads_well_in_both_languages() {
    let values = values_of(&common::repo());
    let expected = [
        ("capex.us.usd", "over USD 155 bn", "超过1550亿美元"),
        ("capex.us.rmb", "RMB 1,100 bn", "1.1万亿元"),
        ("capex.cn.rmb", "about RMB 300 bn", "约3000亿元"),
        ("capex.rate", "7.1 RMB per USD", "7.1元/美元"),
        ("capex.cn_share", "27 %", "27%"),
        ("population.cn.people", "1.4 bn people", "14亿人"),
        ("scenarios.fast.horizon", "3 years", "3年"),
        ("power.texas.gap", "59 GW", "59GW"),
        ("training_cost.before.high", "USD 100 m", "1亿美元"),
        ("training_cost.before.low", "USD 10 m", "1000万美元"),
        ("allocation.us.data_centres", "83 %", "83%"),
        ("openai.burn_ratio", "3.3×", "3.3倍"),
        ("valuation.cn.pe", "17×", "17倍"),
        // 5 % of USD 155 bn is 7.75: decimal rounding shows 7.8.
        ("alloc_money.us.chips", "USD 7.8 bn", "78亿美元"),
    ];
    for (name, en, zh) in expected {
        let v = values.get(name).unwrap_or_else(|| panic!("no value `{name}`"));
        assert_eq!(written(v, Lang::EN), en, "{name} in English");
        assert_eq!(written(v, Lang::ZH), zh, "{name} in Chinese");
    }
    let mut units = BTreeSet::new();
    for (name, v) in values.iter() {
        units.insert(v.unit.as_str().to_string());
        let (en, zh) = (written(&v, Lang::EN), written(&v, Lang::ZH));
        assert!(
            !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{name}: `{en}`"
        );
        let latin: String = zh.chars().filter(char::is_ascii_alphabetic).collect();
        assert!(latin.is_empty() || latin == "GW", "{name}: `{zh}` keeps English words");
        assert!(!zh.contains(' '), "{name}: `{zh}` has a space");
        for scale in ["万", "亿"] {
            let before = zh.split(scale).next().unwrap_or_default();
            assert!(
                !(before.contains('.') && before.ends_with('0')),
                "{name}: `{zh}` keeps zeros made by rescaling"
            );
        }
    }
    // A unit new to the content needs a look at its Chinese form (and a row here).
    let seen: Vec<&str> = units.iter().map(String::as_str).collect();
    assert_eq!(
        seen,
        [
            "%",
            "GW",
            "RMB bn",
            "RMB/USD",
            "USD bn",
            "USD m",
            "people bn",
            "years",
            "×"
        ],
        "the units of content/data/*.yaml changed"
    );
}

const SPLIT: &str = "content/data/split.yaml";
const DETAIL: &str = "content/sections/02-detail.md";

/// The fixture with a field shown to one decimal and values derived from it.
fn carrying_fixture(gap_digits: &str) -> Fixture {
    let fx = Fixture::new();
    fx.replace(
        SPLIT,
        "chips: {label: \"Chips\"}",
        "chips: {label: \"Chips\", digits: 1}",
    );
    fx.replace(SPLIT, "    chips: 45\n", "    chips: 47.52\n");
    fx.replace(SPLIT, "    centres: 55\n", "    centres: 52.48\n");
    fx.replace(
        SPLIT,
        "checks:",
        &format!(
            "derived:\n  gap: {{expr: \"cn.chips - us.chips\", unit: \"%\"{gap_digits}}}\n  \
             ratio: {{expr: \"cn.chips / us.chips\"}}\n  both: {{expr: \"cn.chips - us.chips + us.centres - cn.centres\", unit: \"%\"}}\nchecks:"
        ),
    );
    fx.replace(DETAIL, "of US spending", "of US spending, {{split.gap}} less in China");
    fx
}

#[test]
fn digits_carry_to_derived_values_in_the_same_unit() {
    let fx = carrying_fixture("");
    let values = values_of(fx.root());
    let get = |n: &str| values.get(n).unwrap_or_else(|| panic!("no `{n}`"));
    assert_eq!(get("split.gap").digits, 1, "from split.*.chips (digits: 1)");
    assert_eq!(written(get("split.gap"), Lang::EN), "\u{2212}12.5 %");
    // The most digits of the operands: chips has 1, centres the default 0.
    assert_eq!(get("split.both").digits, 1);
    // A ratio of shares is not a share: the × default applies.
    assert_eq!(get("split.ratio").digits, 1);
    assert_eq!(written(get("split.ratio"), Lang::EN), "0.8×");
    // The default report's derived cells keep their fields' digits.
    let r = fx.build(&[]);
    r.assert_no_panic("build");
    r.assert_code(0, "build");
    assert!(
        fx.index_html().contains(">\u{2212}12.5\u{a0}%</data>"),
        "prose shows the carried digits"
    );
}

#[test]
fn digits_set_on_a_derived_value_win() {
    let fx = carrying_fixture(", digits: 2");
    let values = values_of(fx.root());
    let gap = values.get("split.gap").expect("split.gap");
    assert_eq!(written(gap, Lang::EN), "\u{2212}12.48 %");
    assert_eq!(written(gap, Lang::ZH), "\u{2212}12.48%");
}

#[test]
fn a_stated_value_too_large_to_compute_with_is_located() {
    let fx = Fixture::new();
    fx.replace("content/data/capex.yaml", "usd: 150", "usd: 1.0e+300");
    let at = fx.pos("content/data/capex.yaml", "usd: 1.0e+300");
    let e = fx.expect_error(at, "not a finite number");
    assert!(e.message.contains("capex.us.usd"), "{e}");
    let r = fx.check(&["--format", "json"]);
    assert_eq!(r.errors().len(), 1, "one cause, one diagnostic: {:?}", r.errors());
}

/// A binding with filters, resolved the way prose resolves names.
fn filtered(report: &Report, values: &Values, text: &str, lang: Lang) -> Result<String, BindingError> {
    let b = parse_binding(text)?;
    let name = values.qualify(b.name, report).expect("bound value exists");
    let v = values.get(&name).expect("bound value exists");
    let resolve = |n: &str| {
        let full = values.qualify(n, report).ok_or_else(|| values.unknown(n, report))?;
        let v = values.get(&full).ok_or_else(|| values.unknown(n, report))?;
        Ok((full, v))
    };
    apply(&b, v, &resolve, lang).map(|f| f.text.replace('\u{a0}', " "))
}

#[test]
fn filters_on_the_default_report() {
    let mut files = SourceMap::default();
    let report = quire::load::load(&common::repo(), &mut files).expect("the content loads");
    let values = Values::compute(&report).expect("the values compute");
    let f = |t: &str, lang| filtered(&report, &values, t, lang).unwrap();
    assert_eq!(f("capex.cn.usd | pct capex.us.usd", Lang::EN), "27 %");
    assert_eq!(f("capex.cn.usd | pct capex.us.usd | digits 1", Lang::ZH), "27.3%");
    assert_eq!(f("capex.us.usd | plain", Lang::EN), "over 155 bn");
    assert_eq!(f("capex.us.usd | plain", Lang::ZH), "超过1550亿");
    assert_eq!(f("scenarios.fast.horizon | plain", Lang::EN), "3");
    assert_eq!(f("capex.rate | digits 1", Lang::EN), "7.1 RMB per USD");
    assert_eq!(f("alloc_money.us.chips | digits 0 | abs", Lang::EN), "USD 8 bn");
    let e = filtered(&report, &values, "capex.us.usd | pct population.cn", Lang::EN).unwrap_err();
    assert!(e.message.contains("measures"), "{e:?}");
    let text = "capex.us.usd | digits 1 | plian";
    let e = filtered(&report, &values, text, Lang::EN).unwrap_err();
    assert_eq!(&text[e.at..e.at + e.len], "plian");
    assert_eq!(e.hint, "did you mean `plain`?");
    let text = "capex.us.usd | pct capex.us.uds";
    let e = filtered(&report, &values, text, Lang::EN).unwrap_err();
    assert_eq!(&text[e.at..e.at + e.len], "capex.us.uds");
    assert!(e.message.contains("did you mean `capex.us.usd`"), "{e:?}");
}

#[test]
fn binding_parsing_is_linear() {
    let binding = |n: usize| format!("x{}", " | abs | digits 2 | pct capex.us.usd".repeat(n));
    let (small, large) = (binding(10_000), binding(100_000));
    assert_eq!(parse_binding(&small).unwrap().filters.len(), 30_000);
    assert_eq!(parse_binding(&large).unwrap().filters.len(), 300_000);
    let ratio = quire::scaling::time_ratio(
        || assert!(parse_binding(&small).is_ok()),
        || assert!(parse_binding(&large).is_ok()),
    );
    eprintln!("binding parsing: 10× the filters, {ratio:.1}× the time");
    // Linear is about 10; quadratic would be about 100. Both sizes are past
    // the cache knee (about 3,000 filters), where cost per filter levels off.
    assert!(ratio < 30.0, "10× the filters took {ratio:.1}× the time");
}

#[test]
fn formatting_cost_does_not_grow_with_digits() {
    let values = values_of(&common::repo());
    let v = values.get("capex.us.usd").expect("capex.us.usd");
    for lang in [Lang::EN, Lang::ZH] {
        let small = v.unit.format(f64::MAX, 12, lang).len();
        let huge = v.unit.format(f64::MAX, usize::MAX, lang).len();
        assert!(huge <= small + quire::units::MAX_DIGITS, "{small} → {huge}");
    }
}

const INTRO: &str = "content/sections/01-intro.md";

#[test]
fn prose_shows_the_form_a_binding_chose() {
    let fx = Fixture::new();
    fx.replace(
        INTRO,
        "and China {{capex.cn.usd}}",
        "and China {{capex.cn.usd | pct capex.us.usd}} of that",
    );
    fx.replace(
        INTRO,
        "rate of {{capex.rate}}",
        "rate of {{ capex.rate | digits 1 | plain }} renminbi per dollar",
    );
    let r = fx.check(&["--deny-warnings"]);
    r.assert_no_panic("check");
    r.assert_code(0, "check --deny-warnings with filters");
    let r = fx.build(&[]);
    r.assert_no_panic("build");
    r.assert_code(0, "build with filters");
    let html = fx.index_html();
    assert!(html.contains(">27\u{a0}%</data>"), "40 of 150 as a percent");
    assert!(
        html.contains("title=\"capex.cn.usd / capex.us.usd. Source:"),
        "the title names both"
    );
    assert!(html.contains(">7.0</data> renminbi per dollar"), "digits and plain");
}

#[test]
fn an_unknown_filter_is_located_with_a_suggestion() {
    let fx = Fixture::new();
    fx.replace(INTRO, "{{capex.rate}}", "{{capex.rate | digts 1}}");
    let e = fx.expect_error(fx.pos(INTRO, "digts"), "unknown filter `digts`");
    assert!(e.to_string().contains("did you mean `digits`?"), "{e}");
}

#[test]
fn a_bad_filter_argument_is_located() {
    let fx = Fixture::new();
    fx.replace(INTRO, "{{capex.rate}}", "{{capex.rate | digits 40}}");
    fx.expect_error(fx.pos(INTRO, "40"), "from 0 to 12");
    let fx = Fixture::new();
    fx.replace(INTRO, "{{capex.rate}}", "{{capex.rate | pct capex.us.rmb}}");
    fx.expect_error(fx.pos(INTRO, "capex.us.rmb"), "measures");
    let fx = Fixture::new();
    fx.replace(INTRO, "{{capex.cn.usd}}", "{{capex.cn.usd | pct capex.us.uds}}");
    let e = fx.expect_error(fx.pos(INTRO, "capex.us.uds"), "unknown value `capex.us.uds`");
    assert!(e.to_string().contains("capex.us.usd"), "{e}");
}
