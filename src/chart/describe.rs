//! The chart's data in words, for `<desc>` and screen readers.

use super::axis::{range_text, share_text};
use super::{ChartInput, ChartKind, Lang, Scale, ValueFormat};

fn kind_name(input: &ChartInput) -> String {
    let zh = input.lang == Lang::Zh;
    let base = match (input.kind, zh) {
        (ChartKind::Bar, false) => "Bar chart",
        (ChartKind::HBar, false) => "Horizontal bar chart",
        (ChartKind::GroupedBar, false) => "Grouped bar chart",
        (ChartKind::StackedBar, false) if input.normalize => "100 % stacked bar chart",
        (ChartKind::StackedBar, false) => "Stacked bar chart",
        (ChartKind::Line, false) => "Line chart",
        (ChartKind::Donut, false) => "Donut chart",
        (ChartKind::Bar, true) => "柱状图",
        (ChartKind::HBar, true) => "横向条形图",
        (ChartKind::GroupedBar, true) => "分组柱状图",
        (ChartKind::StackedBar, true) if input.normalize => "百分比堆叠条形图",
        (ChartKind::StackedBar, true) => "堆叠条形图",
        (ChartKind::Line, true) => "折线图",
        (ChartKind::Donut, true) => "环形图",
    };
    let mut s = base.to_string();
    if input.range {
        s.push_str(if zh { "（区间）" } else { " of ranges" });
    }
    if input.scale == Scale::Log {
        s.push_str(if zh {
            "（对数刻度）"
        } else {
            ", logarithmic scale"
        });
    }
    s
}

/// States the data in words, e.g. "Horizontal bar chart. United States:
/// USD 155 bn; China: USD 42 bn." (in Chinese when `lang` is Zh). Never
/// fails, so even an invalid chart can be described in an error report.
pub fn describe(input: &ChartInput, fmt: &dyn ValueFormat) -> String {
    let zh = input.lang == Lang::Zh;
    let (colon, item_sep, group_sep, stop) = if zh {
        ("：", "，", "；", "。")
    } else {
        (": ", ", ", "; ", ".")
    };
    let missing = if zh { "无数据" } else { "no data" };
    let val = |v: Option<f64>| v.map_or(missing.to_string(), |v| fmt.format(v, input.decimals));
    let cats = &input.categories;
    let groups: Vec<String> = if input.range && input.series.len() == 2 {
        cats.iter()
            .enumerate()
            .map(|(i, c)| {
                let text = match (input.series[0].values.get(i), input.series[1].values.get(i)) {
                    (Some(Some(a)), Some(Some(b))) => range_text(fmt, *a, *b, input.decimals),
                    _ => missing.to_string(),
                };
                format!("{}{colon}{text}", c.label)
            })
            .collect()
    } else if input.series.len() == 1 && input.kind != ChartKind::Line {
        let s = &input.series[0];
        cats.iter()
            .enumerate()
            .map(|(i, c)| format!("{}{colon}{}", c.label, val(s.values.get(i).copied().flatten())))
            .collect()
    } else if input.kind == ChartKind::Line {
        input
            .series
            .iter()
            .map(|s| {
                let pts: Vec<String> = cats
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("{} {}", c.label, val(s.values.get(i).copied().flatten())))
                    .collect();
                format!("{}{colon}{}", s.label, pts.join(item_sep))
            })
            .collect()
    } else {
        cats.iter()
            .enumerate()
            .map(|(i, c)| {
                let at = |s: &super::Series| s.values.get(i).copied().flatten();
                let total: f64 = input.series.iter().filter_map(at).sum();
                let parts: Vec<String> = input
                    .series
                    .iter()
                    .map(|s| {
                        let v = at(s);
                        let mut t = format!("{} {}", s.label, val(v));
                        if let (true, Some(v), true) = (input.normalize, v, total > 0.0) {
                            let share = share_text(fmt, input.lang, v / total * 100.0, input.decimals);
                            if share != val(Some(v)) {
                                t.push_str(&format!(" ({share})"));
                            }
                        }
                        t
                    })
                    .collect();
                format!("{}{colon}{}", c.label, parts.join(item_sep))
            })
            .collect()
    };
    let sep = if zh { "" } else { " " };
    format!("{}{stop}{sep}{}{stop}", kind_name(input), groups.join(group_sep))
}
