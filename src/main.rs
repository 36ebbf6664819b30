//! The `quire` command line: `build` and `check`.

use clap::{Parser, Subcommand, ValueEnum};
use quire::Options;
use quire::diag::{Format, Severity};
use quire::text::Lang;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// mimalloc instead of the system allocator: a build allocates and frees
/// many small strings on every core, and glibc's per-thread arenas spent
/// a fifth of a 5,000-page site build in malloc, free, page faults and
/// `mprotect` growing and trimming their heaps. Without transparent huge
/// pages (`no_thp`): with them each arena touched is backed by 2 MB pages,
/// which doubled the peak memory of a 1,000-page site.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// Also print each edition to `report.pdf` beside its `index.html`,
        /// through an installed Chromium or Chrome.
        #[arg(long)]
        pdf: bool,
        /// The browser for `--pdf` [default: $QUIRE_BROWSER, else chromium,
        /// chromium-browser, google-chrome or google-chrome-stable on PATH].
        #[arg(long, value_name = "PATH", requires = "pdf")]
        browser: Option<PathBuf>,
        /// Build a site (one page per section) whatever report.yaml's `mode`.
        #[arg(long)]
        site: bool,
        /// The URL the site is served under, e.g. https://example.org/docs/.
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
    },
    /// Write a starter project (a report, or with --site a docs site) into DIR.
    New {
        /// The new project's folder (absent or empty).
        dir: PathBuf,
        /// A documentation site instead of a report.
        #[arg(long)]
        site: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild on change and reload the page.
    Serve {
        /// Project folder holding `content/` and `templates/`.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/output].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Port to listen on.
        #[arg(long, default_value_t = 4000)]
        port: u16,
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
        /// Check as a site (one page per section, links between pages).
        #[arg(long)]
        site: bool,
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

fn parse_base_url(s: &str) -> Result<String, String> {
    quire::site::content::check_base_url(s).map(|()| s.to_string())
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language `{s}`; use en or zh"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let start = Instant::now();
    let (outcome, format, deny, verb) = match &cli.command {
        Command::New { dir, site } => {
            return match quire::scaffold::new(dir, *site) {
                Ok(files) => {
                    println!(
                        "wrote {} files into {}; next: quire build --root {}",
                        files.len(),
                        dir.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("error: {}\n  = help: {}", d.message, d.hint);
                    ExitCode::from(1)
                }
            };
        }
        Command::Serve { root, out, port } => {
            let out = out.clone().unwrap_or_else(|| root.join("output"));
            return quire::serve::serve(root, &out, *port);
        }
        Command::Build {
            root,
            out,
            lang,
            format,
            site,
            base_url,
            ..
        } => {
            let out = out.clone().unwrap_or_else(|| root.join("output"));
            let opts = Options {
                lang: *lang,
                site: *site,
                base_url: base_url.clone(),
            };
            (quire::build_with(root, &out, &opts), *format, false, "built")
        }
        Command::Check {
            root,
            lang,
            deny_warnings,
            format,
            site,
        } => (
            quire::check_with(
                root,
                &Options {
                    lang: *lang,
                    site: *site,
                    ..Options::default()
                },
            ),
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
    if let Command::Build {
        root,
        out,
        pdf: true,
        browser,
        ..
    } = &cli.command
    {
        let out = out.clone().unwrap_or_else(|| root.join("output"));
        // JSON diagnostics own stderr line by line: no progress text there.
        if let Err(d) = print_pdfs(&out, browser.as_deref(), format != Format::Json) {
            eprint!("{}", outcome.files.render(&[d], format, color));
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// Prints every edition under `out` to PDF, showing progress on stderr
/// when `progress` is set.
fn print_pdfs(
    out: &std::path::Path,
    browser: Option<&std::path::Path>,
    progress: bool,
) -> Result<(), quire::diag::Diagnostic> {
    let browser = quire::pdf::find_browser(browser)?;
    for (html, pdf) in quire::pdf::editions(out) {
        let start = Instant::now();
        if progress {
            eprint!("printing {} … ", pdf.display());
        }
        let printed = quire::pdf::print(&browser, &html, &pdf);
        if progress {
            match &printed {
                Ok(()) => eprintln!("done in {} ms", start.elapsed().as_millis()),
                Err(_) => eprintln!("failed"),
            }
        }
        printed?;
    }
    Ok(())
}

/// `1 section`, `2 sections`: every noun quire counts takes a plain `s`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
