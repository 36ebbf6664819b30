//! Which output folders quire refuses to replace, judged by where they are on
//! disk (see [`super::resolve`]) rather than by how `--out` spells them.

use super::resolve::{Physical, is_own_leftover, physical, physical_child};
use super::{GITKEEP, MARKER};
use crate::diag::{Diagnostic, Loc};
use std::fs;
use std::path::{Path, PathBuf};

/// Project folders that hold the author's work: never an output, nor
/// anything inside them, whether they exist yet or not.
pub const PROTECTED: [&str; 5] = ["content", "templates", "src", ".git", "static"];

/// An output folder quire may replace.
#[derive(Debug, Clone)]
pub struct Target {
    /// `--out` as the user gave it, for messages.
    pub given: PathBuf,
    /// Where it really is: absolute, no `..`, no symlink.
    pub path: PathBuf,
}

const HINT_OWN: &str = "give the report a folder of its own, e.g. `--out output`";

/// Resolves `out` and refuses it when replacing it could destroy anything
/// but an earlier report: the project root or a folder holding it, a project
/// source folder or anything inside one, `$HOME` or a folder holding it, `/`,
/// a file, or a non-empty folder without quire's marker (`.gitkeep` alone
/// counts as empty). `root` is resolved the same way.
pub fn judge(root: &Path, out: &Path) -> Result<Target, Diagnostic> {
    let refuse = |why: String, hint: &str, phys: Option<&Path>| {
        let shown = out.display().to_string();
        let resolved = match phys {
            Some(p) if p.as_os_str() != out.as_os_str() => format!(" (`{shown}` is `{}` on disk)", p.display()),
            _ => String::new(),
        };
        Diagnostic::error(
            Loc::file(shown.clone()),
            format!("refusing to write the report into `{shown}`: {why}{resolved}"),
        )
        .hint(hint)
    };
    let o = physical(out).map_err(|e| refuse(e, HINT_OWN, None))?;
    let r = physical(root).map_err(|e| refuse(format!("cannot resolve the project root: {e}"), HINT_OWN, None))?;
    if let Some((why, hint)) = refusal(&r, &o) {
        return Err(refuse(why, hint, Some(&o.path)));
    }
    Ok(Target {
        given: out.to_path_buf(),
        path: o.path,
    })
}

/// Why `o` must not be replaced in the project at `r`, and what to do.
fn refusal(r: &Physical, o: &Physical) -> Option<(String, &'static str)> {
    let out = &o.path;
    if out.parent().is_none() {
        return Some(("it is the file-system root `/`".into(), HINT_OWN));
    }
    if r.path.starts_with(out) {
        let why = if &r.path == out {
            "it is the project root"
        } else {
            "it holds the project"
        };
        return Some((why.into(), HINT_OWN));
    }
    if let Some(home) = home()
        && home.starts_with(out)
    {
        let why = if &home == out {
            "it is your home folder ($HOME)"
        } else {
            "it holds your home folder ($HOME)"
        };
        return Some((why.into(), HINT_OWN));
    }
    for name in PROTECTED {
        let lexical = r.path.join(name);
        let real = physical_child(r, name)
            .map(|p| p.path)
            .unwrap_or_else(|_| lexical.clone());
        if out == &lexical || out == &real {
            return Some((format!("it is the project's `{name}/` folder"), HINT_OWN));
        }
        if out.starts_with(&lexical) || out.starts_with(&real) {
            return Some((format!("it is inside the project's `{name}/` folder"), HINT_OWN));
        }
    }
    if o.missing > 0 {
        return None;
    }
    match fs::metadata(out) {
        Ok(m) if !m.is_dir() => Some((
            "it is a file, not a folder".into(),
            "remove the file or choose a folder, e.g. `--out output`",
        )),
        Ok(_) => foreign_entry(out).map(|e| {
            (
                format!("it is not empty (it holds `{e}`) and has no `{MARKER}` marker, so quire did not create it"),
                "empty the folder or choose another; quire only replaces folders it created",
            )
        }),
        Err(e) => Some((format!("cannot read it: {e}"), HINT_OWN)),
    }
}

/// `$HOME` on disk, when set.
fn home() -> Option<PathBuf> {
    let h = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    physical(Path::new(&h)).ok().map(|p| p.path)
}

/// The first entry (by name) that makes `dir` someone else's: `None` when it
/// holds quire's marker or nothing but `.gitkeep` and the writer's own
/// leftovers.
pub fn foreign_entry(dir: &Path) -> Option<String> {
    if dir.join(MARKER).is_file() {
        return None;
    }
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => return Some(format!("<unreadable: {e}>")),
    };
    let mut names: Vec<String> = rd
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != GITKEEP && !is_own_leftover(n))
        .collect();
    names.sort();
    names.into_iter().next()
}
