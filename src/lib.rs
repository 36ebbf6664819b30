//! quire: a build-time report generator.
//!
//! The data flows one way, one module a stage:
//! [`load`] (files → [`model::Report`]) → [`values`] (every named number) →
//! [`transform`] (Markdown events, figures, cross-references) → [`render`]
//! (Tera templates, SVG) → [`write`] (atomic swap into `output/`).

#[path = "chart_stub.rs"]
pub mod chart;
pub mod diag;
pub mod expr;
pub mod load;
pub mod model;
pub mod text;
pub mod units;
pub mod values;
pub mod yaml;
