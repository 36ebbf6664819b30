//! PDF: print a built page through an installed Chromium or Chrome.
//!
//! quire does not lay out pages itself: the browser that readers use already
//! implements CSS paged media (A4, `@page` margin boxes for the running title
//! and page numbers, `break-inside: avoid` for figures) and writes a tagged PDF
//! with an outline from the headings. quire only finds that browser, runs it
//! headless with a fresh profile and no network chatter, kills it if it hangs,
//! makes the result reproducible and moves it into place atomically. It never
//! downloads a browser.

use crate::diag::{Diagnostic, Loc};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Executable names looked up on `PATH`, in this order.
pub const CANDIDATES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/// Environment variable naming the browser when `--browser` is not given.
pub const ENV_BROWSER: &str = "QUIRE_BROWSER";

/// How long a browser may take to print one page before it is killed: far
/// above the few seconds a report takes, far below a stuck CI job's limit.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// Finds the browser to print with: `explicit` (from `--browser`), else the
/// `QUIRE_BROWSER` environment variable, else the first of [`CANDIDATES`] on
/// `PATH`. A bare name (no `/`) is looked up on `PATH` too.
pub fn find_browser(explicit: Option<&Path>) -> Result<PathBuf, Diagnostic> {
    find_browser_in(
        explicit,
        std::env::var_os(ENV_BROWSER),
        std::env::var_os("PATH").as_deref(),
    )
}

/// [`find_browser`] with the environment passed in, so tests need not change
/// the process's own.
pub fn find_browser_in(
    explicit: Option<&Path>,
    env: Option<OsString>,
    path: Option<&OsStr>,
) -> Result<PathBuf, Diagnostic> {
    let given = explicit
        .map(|p| (p.to_path_buf(), "--browser".to_string()))
        .or_else(|| {
            env.filter(|v| !v.is_empty())
                .map(|v| (PathBuf::from(v), ENV_BROWSER.to_string()))
        });
    if let Some((p, origin)) = given {
        return resolve(&p, path).ok_or_else(|| {
            Diagnostic::error(
                Loc::file(p.display().to_string()),
                format!("cannot print the PDF: `{}` (from {origin}) is not an executable file", p.display()),
            )
            .hint("give the path of an installed Chromium or Chrome, e.g. `--browser /usr/bin/chromium`; the HTML output was written")
        });
    }
    CANDIDATES
        .iter()
        .find_map(|name| resolve(Path::new(name), path))
        .ok_or_else(|| {
            Diagnostic::error(
                Loc::file("report.pdf"),
                format!(
                    "cannot print the PDF: no Chromium or Chrome found (looked for {} on PATH)",
                    CANDIDATES.join(", ")
                ),
            )
            .hint(format!(
                "install one (Debian or Ubuntu: `apt-get install chromium`), or name it with `--browser PATH` \
                 or {ENV_BROWSER}=PATH; quire never downloads a browser. The HTML output was written"
            ))
        })
}

/// `p` itself when it contains a `/`, else the first executable of that name on `path`.
fn resolve(p: &Path, path: Option<&OsStr>) -> Option<PathBuf> {
    if p.components().count() > 1 || p.is_absolute() {
        return is_executable(p).then(|| p.to_path_buf());
    }
    std::env::split_paths(path?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(p))
        .find(|c| is_executable(c))
}

fn is_executable(p: &Path) -> bool {
    let Ok(meta) = fs::metadata(p) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// The editions under a build's output folder, as (page, PDF) pairs: the
/// folder's own `index.html` and that of each sub-folder holding one (such
/// as `zh/`), in name order.
pub fn editions(out: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut dirs = vec![out.to_path_buf()];
    let mut subs: Vec<PathBuf> = fs::read_dir(out)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    subs.sort();
    dirs.extend(subs);
    dirs.into_iter()
        .filter(|d| d.join("index.html").is_file())
        .map(|d| (d.join("index.html"), d.join("report.pdf")))
        .collect()
}

/// Prints `html` to `pdf` with `browser` (see [`print_with`]), killing the
/// browser after [`TIMEOUT`].
pub fn print(browser: &Path, html: &Path, pdf: &Path) -> Result<(), Diagnostic> {
    print_with(browser, html, pdf, TIMEOUT)
}

/// Prints `html` to `pdf` with `browser`, giving up after `timeout`.
///
/// The browser writes into a temporary file beside `pdf`, which is renamed
/// into place only when it is a complete PDF: a failed or killed print never
/// leaves a partial file. The document dates are rewritten (see
/// [`reproducible_dates`]) so that the same page gives the same bytes.
pub fn print_with(browser: &Path, html: &Path, pdf: &Path, timeout: Duration) -> Result<(), Diagnostic> {
    let fail = |what: String| {
        Diagnostic::error(
            Loc::file(pdf.display().to_string()),
            format!("cannot print the PDF: {what}"),
        )
        .hint("the HTML output was written; open it in a browser and print it, or fix the browser and run again")
    };
    let html = fs::canonicalize(html).map_err(|e| fail(format!("cannot read `{}`: {e}", html.display())))?;
    let dir = match pdf.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = pdf
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // A report is for reading: not the owner-only mode of a temporary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o644));
    }
    let tmp = builder
        .tempfile_in(&dir)
        .map_err(|e| fail(format!("cannot create a file in `{}`: {e}", dir.display())))?
        .into_temp_path();
    // A fresh profile: no first-run state, no cached pages, nothing shared with
    // a browser the user has open.
    let profile = tempfile::tempdir().map_err(|e| fail(format!("cannot create a browser profile: {e}")))?;
    let log_path = profile.path().join("quire-browser.log");
    let log = fs::File::create(&log_path).map_err(|e| fail(format!("cannot create a log file: {e}")))?;
    let spawn = || {
        Command::new(browser)
            .args(browser_args(profile.path(), &tmp))
            // A path, not a file:// URL: the browser escapes it itself.
            .arg(&html)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log.try_clone()?)
            .spawn()
    };
    // A just-written executable can be briefly "busy" while another thread
    // forks; try again rather than fail.
    let mut tries = 0;
    let mut child = loop {
        match spawn() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 5 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            r => break r.map_err(|e| fail(format!("cannot run `{}`: {e}", browser.display())))?,
        }
    };
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!(
                    "`{}` did not finish within {} s and was stopped",
                    browser.display(),
                    timeout.as_secs_f64()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(25)),
            Err(e) => return Err(fail(format!("cannot wait for `{}`: {e}", browser.display()))),
        }
    };
    let mut bytes = fs::read(&tmp).unwrap_or_default();
    if !status.success() || !bytes.starts_with(b"%PDF-") {
        let log = fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
        let tail = tail[tail.len().saturating_sub(3)..].join(" | ");
        return Err(fail(format!(
            "`{}` {} and wrote {}{}",
            browser.display(),
            if status.success() {
                "exited".to_string()
            } else {
                format!("failed ({status})")
            },
            if bytes.is_empty() { "nothing" } else { "no PDF" },
            if tail.is_empty() {
                String::new()
            } else {
                format!("; it said: {tail}")
            }
        )));
    }
    reproducible_dates(&mut bytes, crate::epoch::source_date_epoch());
    renumber_node_ids(&mut bytes);
    fs::write(&tmp, &bytes).map_err(|e| fail(format!("cannot write `{}`: {e}", tmp.display())))?;
    tmp.persist(pdf)
        .map_err(|e| fail(format!("cannot move the PDF into place: {}", e.error)))?;
    Ok(())
}

/// The command line for a headless print into `out` with the profile in `profile`.
fn browser_args(profile: &Path, out: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        // Even with the flags above Chromium asks for updates and accounts;
        // failing every host name locally keeps a print off the network.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
    ]
    .into_iter()
    .map(OsString::from)
    .collect();
    let mut with = |flag: &str, p: &Path| {
        let mut a = OsString::from(flag);
        a.push(p.as_os_str());
        args.push(a);
    };
    with("--user-data-dir=", profile);
    with("--print-to-pdf=", out);
    args
}

/// Makes the document dates of a Chromium PDF reproducible, in place.
///
/// Chromium stamps `/CreationDate` and `/ModDate` with the clock; nothing
/// else in its output varies between runs. With `epoch` (from
/// `SOURCE_DATE_EPOCH`) both become that moment; without it both entries are
/// dropped. Either way the file keeps its length and every byte offset, so
/// the cross-reference table stays valid: a value is padded with spaces after
/// its closing parenthesis, and a dropped entry becomes spaces.
pub fn reproducible_dates(pdf: &mut [u8], epoch: Option<i64>) {
    // Only the document information dictionary: the bytes of a compressed
    // content stream could spell a key by chance.
    let Some(info) = info_dict(pdf) else { return };
    reproducible_dates_in(&mut pdf[info], epoch);
}

/// The byte range of the object the trailer names as `/Info`.
fn info_dict(pdf: &[u8]) -> Option<std::ops::Range<usize>> {
    let key = b"/Info";
    let at = pdf.windows(key.len()).rposition(|w| w == key)? + key.len();
    let rest = std::str::from_utf8(&pdf[at..pdf.len().min(at + 32)]).ok()?;
    let num: String = rest.trim_start().chars().take_while(char::is_ascii_digit).collect();
    let header = format!("\n{num} 0 obj");
    let start = find(pdf, header.as_bytes())? + 1;
    let end = find(&pdf[start..], b"endobj")? + start;
    Some(start..end)
}

fn reproducible_dates_in(pdf: &mut [u8], epoch: Option<i64>) {
    let stamp = epoch.map(pdf_date);
    for key in [&b"/CreationDate"[..], &b"/ModDate"[..]] {
        let mut from = 0;
        while let Some(at) = find(&pdf[from..], key).map(|i| i + from) {
            from = at + key.len();
            // The value: optional whitespace, then a literal string without
            // nested parentheses (a date never has any).
            let mut open = from;
            while pdf.get(open).is_some_and(u8::is_ascii_whitespace) {
                open += 1;
            }
            if pdf.get(open) != Some(&b'(') {
                continue;
            }
            let Some(close) = pdf[open..].iter().position(|&b| b == b')').map(|i| i + open) else {
                continue;
            };
            match &stamp {
                Some(s) if s.len() < close - open => {
                    pdf[open + 1..open + 1 + s.len()].copy_from_slice(s.as_bytes());
                    pdf[open + 1 + s.len()] = b')';
                    pdf[open + 2 + s.len()..=close].fill(b' ');
                }
                _ => pdf[at..=close].fill(b' '),
            }
            from = close + 1;
        }
    }
}

/// Makes the structure-element ids of a tagged Chromium PDF reproducible, in
/// place.
///
/// Chromium names each element of the PDF's structure tree (the tags screen
/// readers use) after its DOM node, `(node00000287)`, and DOM node numbers
/// shift from run to run with task timing while their order does not. Each
/// id becomes its rank among all ids, written in the same width: every byte
/// offset stays valid, and the `/IDTree`, a name tree sorted by id, stays
/// sorted because ranking keeps the order.
pub fn renumber_node_ids(pdf: &mut [u8]) {
    let spans = node_id_spans(pdf);
    let mut ids: Vec<u64> = spans.iter().map(|&(_, _, n)| n).collect();
    ids.sort_unstable();
    ids.dedup();
    for (start, end, n) in spans {
        // The k-th smallest of distinct non-negative numbers is at least k,
        // so the 0-based rank always fits in the original digits.
        let rank = ids.binary_search(&n).unwrap_or_default();
        let text = format!("{rank:0width$}", width = end - start);
        pdf[start..end].copy_from_slice(text.as_bytes());
    }
}

/// The digit spans (start, end, value) of every `(node<digits>)` in `pdf`.
fn node_id_spans(pdf: &[u8]) -> Vec<(usize, usize, u64)> {
    let key = b"(node";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&pdf[from..], key).map(|i| i + from) {
        let start = at + key.len();
        let end = start + pdf[start..].iter().take_while(|b| b.is_ascii_digit()).count();
        from = end.max(start);
        if end == start || end - start > 18 || pdf.get(end) != Some(&b')') {
            continue;
        }
        let n = std::str::from_utf8(&pdf[start..end]).ok().and_then(|s| s.parse().ok());
        if let Some(n) = n {
            out.push((start, end, n));
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A PDF date string (`D:YYYYMMDDHHmmSS+00'00'`) for seconds since 1970 UTC.
pub fn pdf_date(epoch: i64) -> String {
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = crate::epoch::civil_from_days(days);
    format!(
        "D:{y:04}{m:02}{d:02}{:02}{:02}{:02}+00'00'",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests;
