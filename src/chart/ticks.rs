//! Value scales and round ticks (1, 2, 5 × 10ⁿ; decades on a log scale).

use super::ValueFormat;
use super::text;

/// Maps a value to a fraction (0 at the axis start, 1 at its end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// `lo..hi` linearly; `lo <= 0 <= hi` so bars can start at zero.
    Linear { lo: f64, hi: f64 },
    /// `10^lo..10^hi`, whole decades.
    Log { lo: i32, hi: i32 },
}

impl Scale {
    /// Fraction of the axis at which `v` lies.
    pub fn frac(self, v: f64) -> f64 {
        match self {
            Scale::Linear { lo, hi } => (v - lo) / (hi - lo),
            Scale::Log { lo, hi } => (v.log10() - f64::from(lo)) / f64::from(hi - lo),
        }
    }

    /// Where bars grow from: zero, or the bottom decade on a log axis.
    pub fn base(self) -> f64 {
        match self {
            Scale::Linear { .. } => 0.0,
            Scale::Log { lo, .. } => pow10(lo),
        }
    }
}

/// `10^e`, exact for the integer powers we use.
fn pow10(e: i32) -> f64 {
    if e >= 0 { 10f64.powi(e) } else { 1.0 / 10f64.powi(-e) }
}

/// One tick: its value and its formatted label.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Position on the scale.
    pub value: f64,
    /// Label with unit, via the chart's formatter.
    pub label: String,
}

/// A step of 1, 2 or 5 × 10ⁿ at or above `raw`, as (mantissa, exponent) so
/// tick values can be computed without accumulating float error.
fn nice_step(raw: f64) -> (i64, i32) {
    let e = raw.log10().floor() as i32;
    let m = raw / pow10(e);
    match m {
        _ if m <= 1.0 + 1e-9 => (1, e),
        _ if m <= 2.0 + 1e-9 => (2, e),
        _ if m <= 5.0 + 1e-9 => (5, e),
        _ => (1, e + 1),
    }
}

fn step_value(k: i64, (m, e): (i64, i32)) -> f64 {
    let n = (k * m) as f64;
    if e >= 0 { n * pow10(e) } else { n / 10f64.powi(-e) }
}

/// Linear ticks covering `lo..hi` (which include zero) with about `target`
/// intervals; the axis ends on the ticks at or beyond the data.
#[cfg(test)]
pub fn linear(lo: f64, hi: f64, target: usize, fmt: &dyn ValueFormat) -> (Scale, Vec<Tick>) {
    linear_over(lo.min(0.0), hi.max(0.0), target, fmt)
}

/// Linear ticks covering exactly `lo..hi`'s round ends, zero or not.
fn linear_over(lo: f64, hi: f64, target: usize, fmt: &dyn ValueFormat) -> (Scale, Vec<Tick>) {
    let (scale, values, decimals) = linear_values(lo, hi, target);
    (scale, label(values, decimals, fmt))
}

/// The scale, tick values and decimals of [`linear_over`], before any
/// label is formatted (a vertical axis can be fitted without them).
fn linear_values(lo: f64, hi: f64, target: usize) -> (Scale, Vec<f64>, usize) {
    let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
    let step = nice_step(span / target.max(1) as f64);
    let unit = step_value(1, step);
    let k_lo = (lo / unit + 1e-9).floor() as i64;
    let k_hi = ((hi / unit - 1e-9).ceil() as i64).max(k_lo + 1);
    let decimals = if step.1 < 0 { (-step.1) as usize } else { 0 };
    let values = (k_lo..=k_hi).map(|k| step_value(k, step)).collect();
    let scale = Scale::Linear {
        lo: step_value(k_lo, step),
        hi: step_value(k_hi, step),
    };
    (scale, values, decimals)
}

fn label(values: Vec<f64>, decimals: usize, fmt: &dyn ValueFormat) -> Vec<Tick> {
    values
        .into_iter()
        .map(|value| Tick {
            value,
            label: fmt.format(value, decimals),
        })
        .collect()
}

/// Round ticks inside `lo..hi` (a numeric x axis, which need not start at
/// zero), about `target` of them, labelled as plain numbers ("2015").
pub fn span(lo: f64, hi: f64, target: usize) -> Vec<Tick> {
    if hi <= lo {
        return vec![Tick {
            value: lo,
            label: plain(lo, 0),
        }];
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let unit = step_value(1, step);
    let decimals = if step.1 < 0 { (-step.1) as usize } else { 0 };
    let k_lo = (lo / unit - 1e-9).ceil() as i64;
    let k_hi = (hi / unit + 1e-9).floor() as i64;
    (k_lo..=k_hi)
        .map(|k| {
            let value = step_value(k, step);
            Tick {
                value,
                label: plain(value, decimals),
            }
        })
        .collect()
}

fn plain(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}")
}

/// Decade ticks covering `lo..hi` (both positive); `every` thins them when
/// labels would collide.
pub fn log(lo: f64, hi: f64, every: i32, fmt: &dyn ValueFormat) -> (Scale, Vec<Tick>) {
    let e_lo = (lo.log10() + 1e-9).floor() as i32;
    let e_hi = ((hi.log10() - 1e-9).ceil() as i32).max(e_lo + 1);
    let ticks = (e_lo..=e_hi)
        .filter(|e| (e - e_lo) % every.max(1) == 0 || *e == e_hi)
        .map(|e| {
            let decimals = if e < 0 { (-e) as usize } else { 0 };
            Tick {
                value: pow10(e),
                label: fmt.format(pow10(e), decimals),
            }
        })
        .collect();
    (Scale::Log { lo: e_lo, hi: e_hi }, ticks)
}

/// How a value axis is fitted (see [`fit`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Fit {
    /// Decades on a log scale instead of a linear one.
    pub log: bool,
    /// Labels sit along the axis (horizontal: widths must not touch), not
    /// stacked across it (vertical: line heights must not touch).
    pub along: bool,
    /// A linear axis includes zero (bars, lines); scatter plots need not.
    pub zero: bool,
    /// Small multiples: of the round steps whose labels fit, take the one
    /// whose axis ends closest beyond the data (of equals, the one with the
    /// most labels).
    /// A short panel axis would otherwise get a step of twice the data
    /// (0–400 for a largest value of 211), leaving most of it empty.
    pub tight: bool,
}

/// The densest ticks whose labels fit along an axis `len` px long (see
/// [`Fit`] for the choices).
pub fn fit(how: Fit, (lo, hi): (f64, f64), len: f64, fmt: &dyn ValueFormat) -> (Scale, Vec<Tick>) {
    let Fit {
        log: log_scale,
        along,
        zero,
        tight,
    } = how;
    let (lo, hi) = if zero || log_scale { (lo, hi) } else { widen(lo, hi) };
    let (lo, hi) = if zero && !log_scale {
        (lo.min(0.0), hi.max(0.0))
    } else {
        (lo, hi)
    };
    // Unlabelled ticks (a thinned panel axis) only draw their gridline.
    let fits = |scale: Scale, ticks: &[Tick]| {
        let labelled: Vec<&Tick> = ticks.iter().filter(|t| !t.label.is_empty()).collect();
        labelled.windows(2).all(|w| {
            let gap = (scale.frac(w[1].value) - scale.frac(w[0].value)) * len;
            let need = if along {
                (text::width(&w[0].label, super::theme::TICK_SIZE, false)
                    + text::width(&w[1].label, super::theme::TICK_SIZE, false))
                    / 2.0
                    + super::theme::TICK_MIN_GAP
            } else {
                super::theme::TICK_SIZE * super::theme::TICK_STACK
            };
            gap >= need
        })
    };
    if log_scale {
        for every in 1..=8 {
            let (s, t) = log(lo, hi, every, fmt);
            if fits(s, &t) {
                return (s, t);
            }
        }
        return log(lo, hi, 9, fmt);
    }
    let per_tick = if along {
        super::theme::TICK_SPACING_ALONG
    } else {
        super::theme::TICK_SPACING_UP
    };
    let start = ((len / per_tick).round() as usize).clamp(2, 6);
    // Across the axis only line heights matter, so labels are formatted
    // once, for the ticks chosen.
    let apart = |scale: Scale, values: &[f64]| {
        values
            .windows(2)
            .all(|w| (scale.frac(w[1]) - scale.frac(w[0])) * len >= super::theme::TICK_SIZE * super::theme::TICK_STACK)
    };
    if tight {
        return tightest(lo, hi, along, fmt, fits, apart);
    }
    for target in (1..=start).rev() {
        let (scale, values, decimals) = linear_values(lo, hi, target);
        if !along {
            if apart(scale, &values) {
                return (scale, label(values, decimals, fmt));
            }
            continue;
        }
        let ticks = label(values, decimals, fmt);
        if fits(scale, &ticks) {
            return (scale, ticks);
        }
    }
    linear_over(lo, hi, 1, fmt)
}

/// The round ticks of [`Fit::tight`]: every step up to
/// [`super::theme::TIGHT_TICKS`] intervals is tried, and the shortest axis
/// whose labels fit wins (of equals, the one with the most labels). Along the axis, labels too wide for every tick
/// go on every k-th one, both ends included (0, 250 over gridlines every
/// 50), so wide unit labels do not force a coarse axis.
fn tightest(
    lo: f64,
    hi: f64,
    along: bool,
    fmt: &dyn ValueFormat,
    fits: impl Fn(Scale, &[Tick]) -> bool,
    apart: impl Fn(Scale, &[f64]) -> bool,
) -> (Scale, Vec<Tick>) {
    let length = |s: Scale| match s {
        Scale::Linear { lo, hi } => hi - lo,
        Scale::Log { .. } => f64::MAX,
    };
    let labelled = |t: &[Tick]| t.iter().filter(|t| !t.label.is_empty()).count();
    let mut best: Option<(Scale, Vec<Tick>)> = None;
    for target in 1..=super::theme::TIGHT_TICKS {
        let (scale, values, decimals) = linear_values(lo, hi, target);
        if best
            .as_ref()
            .is_some_and(|(b, _)| length(scale) > length(*b) * (1.0 + 1e-9))
        {
            continue;
        }
        let ticks = if along {
            let ticks = label(values, decimals, fmt);
            let intervals = ticks.len() - 1;
            (1..=intervals).filter(|k| intervals.is_multiple_of(*k)).find_map(|k| {
                let mut thinned = ticks.clone();
                for (i, t) in thinned.iter_mut().enumerate() {
                    if !i.is_multiple_of(k) {
                        t.label.clear();
                    }
                }
                fits(scale, &thinned).then_some(thinned)
            })
        } else {
            apart(scale, &values).then(|| label(values, decimals, fmt))
        };
        let Some(ticks) = ticks else { continue };
        // A shorter axis wins; of equal ones, the one with more labels.
        let better = best
            .as_ref()
            .is_none_or(|(b, bt)| length(scale) < length(*b) * (1.0 - 1e-9) || labelled(&ticks) > labelled(bt));
        if better {
            best = Some((scale, ticks));
        }
    }
    best.unwrap_or_else(|| linear_over(lo, hi, 1, fmt))
}

/// A span around one repeated value, so its axis still has a length.
fn widen(lo: f64, hi: f64) -> (f64, f64) {
    if hi > lo {
        (lo, hi)
    } else {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() / 10.0 };
        (lo - d, hi + d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Plain;
    impl ValueFormat for Plain {
        fn format(&self, v: f64, d: usize) -> String {
            format!("{v:.d$}")
        }
    }

    #[test]
    fn nice_linear_ticks() {
        let (s, t) = linear(0.0, 155.0, 4, &Plain);
        assert_eq!(s, Scale::Linear { lo: 0.0, hi: 200.0 });
        let labels: Vec<_> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["0", "50", "100", "150", "200"]);
        let (s, _) = linear(0.0, 0.3, 3, &Plain);
        assert_eq!(s, Scale::Linear { lo: 0.0, hi: 0.3 });
        let (s, _) = linear(-12.0, 40.0, 5, &Plain);
        assert_eq!(s, Scale::Linear { lo: -20.0, hi: 40.0 });
    }

    #[test]
    fn numeric_x_ticks_stay_inside_the_data() {
        let t = span(2013.0, 2025.0, 6);
        let labels: Vec<&str> = t.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["2014", "2016", "2018", "2020", "2022", "2024"]);
        assert_eq!(span(0.5, 0.5, 4)[0].value, 0.5);
    }

    #[test]
    fn tight_axes_end_close_beyond_the_data_with_the_most_labels() {
        let tight = |along, zero| Fit {
            log: false,
            along,
            zero,
            tight: true,
        };
        let values = |t: &[Tick]| t.iter().map(|t| t.value).collect::<Vec<_>>();
        // A 240 px panel axis: 0–250 by 50s, where the theme's spacing
        // alone would give 0–400 by 200s.
        let (s, t) = fit(tight(true, true), (0.0, 211.0), 240.0, &Plain);
        assert_eq!(s, Scale::Linear { lo: 0.0, hi: 250.0 });
        assert_eq!(values(&t), [0.0, 50.0, 100.0, 150.0, 200.0, 250.0]);
        let (s, _) = fit(
            Fit {
                tight: false,
                ..tight(true, true)
            },
            (0.0, 211.0),
            240.0,
            &Plain,
        );
        assert_eq!(s, Scale::Linear { lo: 0.0, hi: 400.0 });
        // Of axes equally long (0–50), the one with the most labels.
        let (s, t) = fit(tight(false, false), (9.0, 46.6), 140.0, &Plain);
        assert_eq!(s, Scale::Linear { lo: 0.0, hi: 50.0 });
        assert_eq!(t.len(), 6, "{t:?}");
    }

    #[test]
    fn decade_ticks() {
        let (s, t) = log(1.0, 100.0, 1, &Plain);
        assert_eq!(s, Scale::Log { lo: 0, hi: 2 });
        assert_eq!(t.iter().map(|t| t.value).collect::<Vec<_>>(), [1.0, 10.0, 100.0]);
        let (_, t) = log(0.05, 3.0, 1, &Plain);
        assert_eq!(t[0].label, "0.01");
    }
}
