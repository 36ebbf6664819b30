//! `quire serve`: build, serve the output on 127.0.0.1, rebuild when
//! `content/`, `templates/` or `static/` change, and reload the open page.
//!
//! Builds are atomic (see [`crate::write`]), so a failed rebuild leaves the
//! last good output in place: it keeps being served, and the error is shown
//! in the terminal and over the page. Every HTML page gets a small script
//! that polls `/__quire/build-id` and reloads when it changes.

use crate::Options;
use crate::diag::Format;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the page asks for the current build's id.
pub const BUILD_ID_PATH: &str = "/__quire/build-id";

/// What the server knows of the latest build.
#[derive(Default)]
struct State {
    /// Changes on every rebuild, good or bad.
    id: u64,
    /// The latest build's errors, when it failed.
    error: Option<String>,
}

/// The script every served page gets: poll the build id, reload on change.
const RELOAD: &str = "<script>(function(){var id=null;setInterval(function(){fetch('/__quire/build-id').then(function(r){return r.text()}).then(function(t){if(id===null)id=t;else if(t!==id)location.reload()}).catch(function(){})},700)})();</script>";

/// Builds once, then serves `out` on `127.0.0.1:port` until interrupted.
pub fn serve(root: &Path, out: &Path, port: u16) -> ExitCode {
    let state = Arc::new(Mutex::new(State::default()));
    rebuild(root, out, &state);
    let server = match tiny_http::Server::http(("127.0.0.1", port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{port}: {e}\n  = help: choose another port with --port");
            return ExitCode::from(2);
        }
    };
    println!("serving {} on http://127.0.0.1:{port}/ (Ctrl-C to stop)", out.display());
    let watcher = watch(root.to_path_buf(), out.to_path_buf(), Arc::clone(&state));
    if let Err(e) = &watcher {
        eprintln!("warning: not watching for changes: {e}");
    }
    for req in server.incoming_requests() {
        let response = respond(req.url(), out, &state);
        let _ = req.respond(response);
    }
    drop(watcher);
    ExitCode::SUCCESS
}

/// Rebuilds and records the outcome; prints it as `quire build` would.
fn rebuild(root: &Path, out: &Path, state: &Mutex<State>) {
    let opts = Options {
        // A site served from the root gets pretty URLs; a report ignores this.
        base_url: Some("/".into()),
        ..Options::default()
    };
    let outcome = crate::build_with(root, out, &opts);
    let text = outcome.files.render(&outcome.diagnostics, Format::Human, false);
    eprint!("{text}");
    let mut s = state.lock().unwrap_or_else(|p| p.into_inner());
    s.id += 1;
    if outcome.failed() {
        eprintln!("error: build failed; still serving the last good build");
        s.error = Some(text);
    } else {
        println!("built (build {})", s.id);
        s.error = None;
    }
}

/// Watches the project's inputs and rebuilds after each burst of changes.
fn watch(root: PathBuf, out: PathBuf, state: Arc<Mutex<State>>) -> notify::Result<notify::RecommendedWatcher> {
    use notify::Watcher as _;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut w = notify::recommended_watcher(tx)?;
    for dir in ["content", "templates", "static"] {
        let p = root.join(dir);
        if p.is_dir() {
            w.watch(&p, notify::RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || {
        // Reading the files to build them is an event too; only changes count.
        let changes = |r: &notify::Result<notify::Event>| {
            use notify::EventKind::*;
            r.as_ref()
                .is_ok_and(|e| matches!(e.kind, Create(_) | Remove(_) | Modify(_) | Any))
                && !r
                    .as_ref()
                    .is_ok_and(|e| matches!(e.kind, Modify(notify::event::ModifyKind::Metadata(_))))
        };
        while let Ok(ev) = rx.recv() {
            if !changes(&ev) {
                continue;
            }
            // An editor's save is several events; build once for the burst.
            while rx.recv_timeout(Duration::from_millis(150)).is_ok() {}
            rebuild(&root, &out, &state);
        }
    });
    Ok(w)
}

/// The response to a request for `url`.
fn respond(url: &str, out: &Path, state: &Mutex<State>) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (id, error) = {
        let s = state.lock().unwrap_or_else(|p| p.into_inner());
        (s.id, s.error.clone())
    };
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == BUILD_ID_PATH {
        return with_type(
            tiny_http::Response::from_data(id.to_string().into_bytes()),
            "text/plain",
        );
    }
    let Some(file) = resolve(out, path) else {
        let body = std::fs::read(out.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
        return with_type(
            tiny_http::Response::from_data(inject(body, error.as_deref())).with_status_code(404),
            "text/html; charset=utf-8",
        );
    };
    let bytes = std::fs::read(&file).unwrap_or_default();
    let kind = content_type(&file);
    let bytes = if kind.starts_with("text/html") {
        inject(bytes, error.as_deref())
    } else {
        bytes
    };
    with_type(tiny_http::Response::from_data(bytes), kind)
}

fn with_type(
    r: tiny_http::Response<std::io::Cursor<Vec<u8>>>,
    kind: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    match tiny_http::Header::from_bytes(&b"Content-Type"[..], kind.as_bytes()) {
        Ok(h) => r.with_header(h),
        Err(()) => r,
    }
}

/// The file a URL path names inside `out`; `None` when there is none or the
/// path tries to leave `out`.
fn resolve(out: &Path, path: &str) -> Option<PathBuf> {
    let decoded = path.replace("%20", " ");
    let mut file = out.to_path_buf();
    for part in decoded.split('/').filter(|p| !p.is_empty()) {
        if part == ".." || part.contains('\\') {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// The page with the reload script, and the build error over it if any.
fn inject(mut html: Vec<u8>, error: Option<&str>) -> Vec<u8> {
    let mut extra = String::from(RELOAD);
    if let Some(e) = error {
        extra.push_str(&format!(
            "<pre id=\"quire-error\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#300;color:#fdd;z-index:99\">{}</pre>",
            html_escape::encode_text(e)
        ));
    }
    let at = find(&html, b"</body>").unwrap_or(html.len());
    html.splice(at..at, extra.into_bytes());
    html
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end_and_resolves_safely() {
        let page = inject(b"<html><body>x</body></html>".to_vec(), Some("bad <thing>"));
        let page = String::from_utf8(page).unwrap();
        assert!(page.contains("__quire/build-id"));
        assert!(page.contains("bad &lt;thing&gt;</pre></body>"));
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/index.html"), "x").unwrap();
        assert_eq!(resolve(dir.path(), "/a/"), Some(dir.path().join("a/index.html")));
        assert_eq!(resolve(dir.path(), "/../etc/passwd"), None);
        assert_eq!(resolve(dir.path(), "/nope"), None);
    }
}
