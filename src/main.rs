//! The `quire` command line: `build` and `check`.

use clap::{Parser, Subcommand, ValueEnum};
use quire::Options;
use quire::diag::{Format, Severity};
use quire::text::Lang;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// quire: Markdown and YAML data in, a checked, printable HTML report out.
#[derive(Parser)]
#[command(name = "quire", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the report into the output folder (atomically).
    Build {
        /// Project folder holding `content/` and `templates/`.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/output].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build this edition (en or zh) instead of report.yaml's `lang`.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
    /// Validate everything `build` does and write nothing.
    Check {
        /// Project folder holding `content/` and `templates/`.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check this edition (en or zh) instead of report.yaml's `lang`.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Treat warnings as errors (exit status 1).
        #[arg(long)]
        deny_warnings: bool,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// rustc-style, with the source line and a caret.
    Human,
    /// One JSON object per line.
    Json,
    /// GitHub Actions annotations.
    Github,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}`; use en or zh"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let start = Instant::now();
    let (outcome, format, deny, verb) = match &cli.command {
        Command::Build {
            root,
            out,
            lang,
            format,
        } => {
            let out = out.clone().unwrap_or_else(|| root.join("output"));
            (
                quire::build_with(root, &out, &Options { lang: *lang }),
                *format,
                false,
                "built",
            )
        }
        Command::Check {
            root,
            lang,
            deny_warnings,
            format,
        } => (
            quire::check_with(root, &Options { lang: *lang }),
            *format,
            *deny_warnings,
            "checked",
        ),
    };
    let format = match format {
        FormatArg::Human => Format::Human,
        FormatArg::Json => Format::Json,
        FormatArg::Github => Format::Github,
    };
    let color = format == Format::Human
        && std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut diags = outcome.diagnostics.clone();
    if deny {
        for d in &mut diags {
            d.severity = Severity::Error;
        }
    }
    let text = outcome.files.render(&diags, format, color);
    // Machine-readable diagnostics are the command's output, so
    // `quire check --format json > report.json` captures them; everything
    // meant for a person goes to standard error.
    if format == Format::Human {
        eprint!("{text}");
    } else {
        print!("{text}");
    }
    let failed = outcome.failed() || diags.iter().any(|d| d.is_error());
    if failed {
        let errors = diags.iter().filter(|d| d.is_error()).count();
        eprintln!("error: {verb} nothing: {}", count(errors, "error"));
        return ExitCode::from(1);
    }
    if let Some(s) = outcome.summary {
        let warnings = diags.len();
        eprintln!(
            "{verb} {}, {}, {}; {}{} in {} ms{}",
            count(s.sections, "section"),
            count(s.figures, "figure"),
            count(s.tables, "table"),
            count(s.files, "file"),
            if verb == "checked" {
                " would be written"
            } else {
                " written"
            },
            start.elapsed().as_millis(),
            if warnings > 0 {
                format!("; {}", count(warnings, "warning"))
            } else {
                String::new()
            }
        );
    }
    ExitCode::SUCCESS
}

/// `1 section`, `2 sections`: every noun quire counts takes a plain `s`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
