//! The chart's numbers as a table, so a page can show them under the chart
//! (in a `<details>`), for readers who want the figures rather than shapes.

use super::{ChartInput, ValueFormat};

/// One formatted cell.
#[derive(Debug, Clone, PartialEq)]
pub struct DataCell {
    /// What the reader sees ("USD 42 bn"; `words.no_data` when missing).
    pub text: String,
    /// The value in the axis unit; `None` when missing.
    pub value: Option<f64>,
    /// Whether quire computed it (the chart hatches it).
    pub derived: bool,
}

/// One category's row.
#[derive(Debug, Clone, PartialEq)]
pub struct DataRow {
    /// Category key (row key).
    pub key: String,
    /// Category label.
    pub label: String,
    /// One cell per column after the label column.
    pub cells: Vec<DataCell>,
}

/// Header and rows of formatted strings, in the chart's category and series
/// order.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Column headings: `words.category`, then one per series.
    pub header: Vec<String>,
    /// One row per category.
    pub rows: Vec<DataRow>,
}

impl DataTable {
    /// Whether any cell is computed, so the page can add the note.
    pub fn any_derived(&self) -> bool {
        self.rows.iter().any(|r| r.cells.iter().any(|c| c.derived))
    }
}

/// The numbers behind `input`, formatted like the chart's value labels.
/// Series are columns; a line chart with more points than series is still
/// one row per category, so long series read down the page.
pub fn data_table(input: &ChartInput, fmt: &dyn ValueFormat) -> DataTable {
    let mut header = vec![input.words.category.clone()];
    header.extend(input.series.iter().map(|s| s.label.clone()));
    let rows = input
        .categories
        .iter()
        .enumerate()
        .map(|(i, c)| DataRow {
            key: c.key.clone(),
            label: input.row_label(i),
            cells: input
                .series
                .iter()
                .map(|s| {
                    let value = s.values.get(i).copied().flatten();
                    DataCell {
                        text: value.map_or_else(|| input.words.no_data.clone(), |v| fmt.format(v, input.decimals)),
                        value,
                        derived: value.is_some() && s.is_derived(i),
                    }
                })
                .collect(),
        })
        .collect();
    DataTable { header, rows }
}
