//! Calendar ticks for a date x axis: round days, weeks, months, quarters,
//! half-years, years or runs of years, chosen by the span so labels never
//! touch, and written in the chart's language ("Mar 2012", "2012年3月").

use super::ChartWords;
use super::text;
use super::theme::{TICK_MIN_GAP, TICK_SIZE};
use super::ticks::Tick;
use crate::epoch::civil_from_days;
pub use crate::epoch::days_from_civil;

/// A calendar step between ticks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    /// Every `n` days (7 and 14 fall on Mondays).
    Days(i64),
    /// Every `n` months, on the first, from January.
    Months(i64),
    /// Every `n` years, on 1 January of a multiple of `n`.
    Years(i64),
}

impl Step {
    /// Rough length in days, to skip steps far too fine before labelling.
    fn approx_days(self) -> f64 {
        match self {
            Step::Days(n) => n as f64,
            Step::Months(n) => n as f64 * 30.44,
            Step::Years(n) => n as f64 * 365.25,
        }
    }
}

/// Steps from finest to coarsest; years go on as 1, 2, 5 × 10ⁿ.
fn steps() -> impl Iterator<Item = Step> {
    let fine = [
        Step::Days(1),
        Step::Days(2),
        Step::Days(7),
        Step::Days(14),
        Step::Months(1),
        Step::Months(2),
        Step::Months(3),
        Step::Months(6),
    ];
    let years = (0..16).flat_map(|e| [1, 2, 5].map(|m| Step::Years(m * 10i64.pow(e))));
    fine.into_iter().chain(years)
}

/// Tick days of `step` inside `lo..=hi`.
fn positions(step: Step, lo: i64, hi: i64) -> Vec<i64> {
    let mut out = Vec::new();
    match step {
        Step::Days(n) => {
            // 1970-01-05 was a Monday: weeks start there.
            let anchor = if n >= 7 { 4 } else { 0 };
            let mut d = lo + (anchor - lo).rem_euclid(n);
            while d <= hi {
                out.push(d);
                d += n;
            }
        }
        Step::Months(n) => {
            let (y, m, _) = civil_from_days(lo);
            let mut k = y * 12 + i64::from(m) - 1;
            k += (-k).rem_euclid(n);
            if days_from_civil(k.div_euclid(12), (k.rem_euclid(12) + 1) as u32, 1) < lo {
                k += n;
            }
            loop {
                let d = days_from_civil(k.div_euclid(12), (k.rem_euclid(12) + 1) as u32, 1);
                if d > hi {
                    break;
                }
                out.push(d);
                k += n;
            }
        }
        Step::Years(n) => {
            let (y, _, _) = civil_from_days(lo);
            let mut y = y + (-y).rem_euclid(n);
            if days_from_civil(y, 1, 1) < lo {
                y += n;
            }
            while days_from_civil(y, 1, 1) <= hi {
                out.push(days_from_civil(y, 1, 1));
                y += n;
            }
        }
    }
    out
}

/// Fills a pattern's `{day}`, `{month}` and `{year}`.
fn fill(pattern: &str, y: i64, m: u32, d: u32, words: &ChartWords) -> String {
    let month = words.months.split_whitespace().nth(m as usize - 1).unwrap_or("");
    pattern
        .replace("{day}", &d.to_string())
        .replace("{month}", month)
        .replace("{year}", &y.to_string())
}

/// Labels: years alone for yearly steps; month or day names otherwise, with
/// the year on the first tick and wherever the year changes.
fn labels(step: Step, days: &[i64], words: &ChartWords) -> Vec<String> {
    let mut prev_year = None;
    days.iter()
        .map(|&day| {
            let (y, m, d) = civil_from_days(day);
            let new_year = prev_year != Some(y);
            prev_year = Some(y);
            match step {
                Step::Years(_) => y.to_string(),
                Step::Months(_) if new_year => fill(&words.month_year, y, m, d, words),
                Step::Months(_) => fill("{month}", y, m, d, words),
                Step::Days(_) if new_year => fill(&words.day_month_year, y, m, d, words),
                Step::Days(_) => fill(&words.day_month, y, m, d, words),
            }
        })
        .collect()
}

/// Round calendar ticks for days `lo..=hi` on an axis `len` px long: the
/// finest step whose labels stand apart. A span with no round date inside
/// gets one tick, its first day, written in full.
pub fn ticks(lo: i64, hi: i64, len: f64, words: &ChartWords) -> Vec<Tick> {
    let span = (hi - lo).max(0) as f64;
    // Labels are at least about 30 px wide: skip steps that cannot fit.
    let max_ticks = (len / 30.0).max(1.0);
    let px = |d: i64| if hi > lo { (d - lo) as f64 / span * len } else { 0.0 };
    for step in steps() {
        if span / step.approx_days() > max_ticks {
            continue;
        }
        let days = positions(step, lo, hi);
        if days.is_empty() {
            break;
        }
        let labels = labels(step, &days, words);
        let widths: Vec<f64> = labels.iter().map(|l| text::width(l, TICK_SIZE, false)).collect();
        let fits = days
            .windows(2)
            .zip(widths.windows(2))
            .all(|(d, w)| px(d[1]) - px(d[0]) >= (w[0] + w[1]) / 2.0 + TICK_MIN_GAP);
        if fits {
            return days
                .into_iter()
                .zip(labels)
                .map(|(d, label)| Tick { value: d as f64, label })
                .collect();
        }
    }
    let (y, m, d) = civil_from_days(lo);
    vec![Tick {
        value: lo as f64,
        label: fill(&words.day_month_year, y, m, d, words),
    }]
}

/// Where a date line breaks: before point `i` when the days since the
/// previous point exceed [`GAP_FACTOR`] times the median step, so a missing
/// month or a weekend-free series reads as it is instead of being bridged.
pub fn breaks(days: &[i64]) -> Vec<bool> {
    let mut diffs: Vec<i64> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if diffs.is_empty() {
        return vec![false; days.len()];
    }
    diffs.sort_unstable();
    let median = diffs[diffs.len() / 2] as f64;
    let mut out = vec![false; days.len()];
    for i in 1..days.len() {
        out[i] = (days[i] - days[i - 1]) as f64 > median * GAP_FACTOR;
    }
    out
}

/// A step this many times the median one is a gap in the data.
pub const GAP_FACTOR: f64 = 1.5;

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn civil_round_trip() {
        for d in [-800_000, -1, 0, 59, 11_016, 20_420, 100_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(day(1970, 1, 5).rem_euclid(7), 4, "a Monday");
    }

    #[test]
    fn steps_follow_the_span() {
        let w = ChartWords::english();
        let labels = |lo, hi| -> Vec<String> { ticks(lo, hi, 560.0, &w).into_iter().map(|t| t.label).collect() };
        let t = ticks(day(2012, 1, 15), day(2012, 12, 20), 560.0, &w);
        for tk in &t {
            let (_, _, d) = civil_from_days(tk.value as i64);
            assert_eq!(d, 1, "month ticks fall on the first: {t:?}");
        }
        assert_eq!(labels(day(2012, 1, 15), day(2012, 12, 20))[0], "Feb 2012");
        let ten = labels(day(2010, 1, 1), day(2019, 12, 31));
        assert_eq!(ten[0], "2010");
        assert!(ten.len() >= 5, "{ten:?}");
        let week = labels(day(2012, 3, 1), day(2012, 3, 7));
        assert_eq!(week[0], "1 Mar 2012");
        assert_eq!(week[1], "2 Mar");
        let zh = ChartWords {
            months: "1月 2月 3月 4月 5月 6月 7月 8月 9月 10月 11月 12月".into(),
            month_year: "{year}年{month}".into(),
            ..ChartWords::english()
        };
        assert_eq!(
            ticks(day(2012, 2, 10), day(2012, 9, 1), 560.0, &zh)[0].label,
            "2012年3月"
        );
        let century = labels(day(1900, 6, 1), day(2020, 1, 1));
        assert!(
            century.iter().all(|l| l.parse::<i64>().unwrap() % 10 == 0),
            "{century:?}"
        );
    }

    #[test]
    fn gaps_break_where_steps_jump() {
        let days = [0, 1, 2, 3, 10, 11, 12];
        assert_eq!(breaks(&days), [false, false, false, false, true, false, false]);
        assert_eq!(breaks(&[0, 31, 59, 90]), [false; 4]);
    }
}
