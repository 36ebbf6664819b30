//! `quire new`: a starting point that builds and passes
//! `check --deny-warnings` as written — a small report (one section with a
//! bound value and a checked claim, one dataset, one chart) or a small
//! documentation site. Templates are not written: quire's built-in ones
//! serve until the project adds its own under `templates/`.

use crate::diag::{Diagnostic, Loc};
use std::path::Path;

const REPORT_YAML: &str = r#"title: "My report"
subtitle: "What the numbers say"
authors: ["Your name"]
date: "2026-01-01"
lang: en
sources:
  survey:
    publisher: "Example Office"
    title: "An example survey"
    date: "1 January 2026"
"#;

const DATASET_YAML: &str = r#"title: "Visitors per year"
scope: "Two sites, one year"
unit: "k"
source:
  cites: [survey]
fields:
  visitors: {label: "Visitors (thousands)"}
rows:
  - key: north
    label: "North site"
    visitors: 120
  - key: south
    label: "South site"
    visitors: 80
derived:
  total:
    expr: "north.visitors + south.visitors"
checks:
  - id: north_leads
    assert: "north.visitors > south.visitors"
    label: "The north site has more visitors"
"#;

const SECTION_MD: &str = r#"---
title: "Introduction"
summary: "Where the visitors went"
---
## Visitors

The two sites had {{visitors.total}} visitors between them, and
{{claim visitors.north_leads: the north site had more}} (@fig:visitors).
Change a number in `content/data/visitors.yaml` and the text follows; break
the claim and the build stops.

```chart
id: visitors
type: hbar
data: visitors
series: [visitors]
rows: [north, south]
title: "Visitors per site"
description: "The north bar is longer."
```
"#;

const SITE_YAML: &str = r#"title: "My docs"
mode: site
"#;

const SITE_INDEX: &str = r#"# Welcome

This site is built by quire from plain Markdown. Start with
[installing](01-guide/01-install.md), or see [usage](01-guide/02-usage.md#running).
"#;

const SITE_INSTALL: &str = r#"# Install

## From crates.io

```sh
cargo install --locked quire
```

Then read [usage](02-usage.md).
"#;

const SITE_USAGE: &str = r#"# Usage

## Running

```sh
quire build            # writes output/
quire serve            # rebuilds on change and reloads the page
```

Back to the [start](../index.md).
"#;

const GITIGNORE: &str = "/output/\n";

/// The files `quire new` writes, by path in the new project.
pub fn files(site: bool) -> Vec<(&'static str, &'static str)> {
    if site {
        vec![
            (".gitignore", GITIGNORE),
            ("content/report.yaml", SITE_YAML),
            ("content/sections/index.md", SITE_INDEX),
            ("content/sections/01-guide/01-install.md", SITE_INSTALL),
            ("content/sections/01-guide/02-usage.md", SITE_USAGE),
        ]
    } else {
        vec![
            (".gitignore", GITIGNORE),
            ("content/report.yaml", REPORT_YAML),
            ("content/data/visitors.yaml", DATASET_YAML),
            ("content/sections/01-introduction.md", SECTION_MD),
        ]
    }
}

/// Writes a new project into `dir`, which must be absent or empty, and
/// returns the files written.
pub fn new(dir: &Path, site: bool) -> Result<Vec<String>, Diagnostic> {
    let refuse = |why: String| {
        Diagnostic::error(Loc::file(dir.display().to_string()), why)
            .hint("choose a new folder name, e.g. `quire new my-report`")
    };
    if dir.is_file() {
        return Err(refuse(format!("`{}` is a file", dir.display())));
    }
    if dir.is_dir()
        && std::fs::read_dir(dir)
            .map_err(|e| refuse(e.to_string()))?
            .next()
            .is_some()
    {
        return Err(refuse(format!("`{}` is not empty", dir.display())));
    }
    let mut written = Vec::new();
    for (rel, text) in files(site) {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| refuse(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        std::fs::write(&path, text).map_err(|e| refuse(format!("cannot write `{}`: {e}", path.display())))?;
        written.push(rel.to_string());
    }
    Ok(written)
}
