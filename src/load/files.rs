//! Finding and reading content files safely.
//!
//! Every input is a regular file inside the project root, read with a size
//! limit. A named pipe or a device is refused unread: files are opened
//! non-blocking and their kind checked on the open file, so a pipe cannot
//! hang a build; a
//! symbolic link is followed only when it leads to a place inside the root.
//! Listing a folder accounts for every entry: a file quire reads, or a
//! diagnostic saying why it does not.

use crate::diag::{Diagnostic, Loc, SourceMap};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest Markdown, YAML or template file quire reads: 16 MiB, far above any
/// hand-written file, low enough that a stray binary cannot exhaust memory.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Largest CSV dataset quire reads: 512 MiB, several million rows.
pub const MAX_CSV_BYTES: u64 = 512 << 20;

/// Why a file could not be read. Each case has its own message, so "not
/// UTF-8" is never reported as "missing".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Nothing at that path (or a link to nothing).
    Missing {
        /// Whether the path is a symbolic link whose target is missing.
        broken_link: bool,
    },
    /// Something other than a regular file: a folder, a named pipe, a device, a socket.
    NotRegular(&'static str),
    /// A symbolic link that leads outside the project root.
    OutsideRoot(PathBuf),
    /// Larger than the limit for its kind.
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// Not valid UTF-8 from `offset` on (byte offset, 1-based line and column).
    NotUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
        /// Its line.
        line: usize,
        /// Its column, in characters.
        col: usize,
    },
    /// Any other failure of the operating system, as it words it.
    Io(String),
}

impl ReadError {
    /// The diagnostic for this failure on `rel` (relative to the root).
    pub fn diagnostic(&self, rel: &str) -> Diagnostic {
        let at = Loc::file(rel);
        match self {
            ReadError::Missing { broken_link: false } => Diagnostic::error(at, format!("cannot read `{rel}`: it does not exist"))
                .hint("create it, or run quire from the project root or pass --root"),
            ReadError::Missing { broken_link: true } => {
                Diagnostic::error(at, format!("`{rel}` is a symbolic link to a file that does not exist"))
                    .hint("point the link at an existing file inside the project, or replace it with the file")
            }
            ReadError::NotRegular(kind) => Diagnostic::error(at, format!("`{rel}` is {kind}, not a regular file"))
                .hint("quire reads only regular files; replace it with a file"),
            ReadError::OutsideRoot(target) => Diagnostic::error(
                at,
                format!(
                    "`{rel}` is a symbolic link to `{}`, outside the project root",
                    target.display()
                ),
            )
            .hint("copy the file into the project; links are followed only inside the root, so a build reads nothing else"),
            ReadError::TooLarge { limit } => Diagnostic::error(
                at,
                format!("`{rel}` is larger than {} MiB, the limit for this kind of file", limit >> 20),
            )
            .hint("split the file, or check that it is the file you meant"),
            ReadError::NotUtf8 { offset, line, col } => Diagnostic::error(
                Loc::new(rel, *line, *col),
                format!("the file is not valid UTF-8 (byte {offset})"),
            )
            .hint("save the file as UTF-8"),
            ReadError::Io(e) => Diagnostic::error(at, format!("cannot read `{rel}`: {e}"))
                .hint("check that the file is readable"),
        }
    }
}

/// What kind of thing a non-regular entry is, for messages.
fn kind_of(ft: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() { "a folder" } else { "not a file" }
}

/// The real path of `rel` under `root`, refused when a link leads outside.
fn resolve(root: &Path, rel: &str) -> Result<PathBuf, ReadError> {
    let path = root.join(rel);
    let real = std::fs::canonicalize(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::Missing {
            broken_link: std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()),
        },
        _ => ReadError::Io(e.to_string()),
    })?;
    // Every leading part of a real path is real too: a root that, made
    // absolute, leads `real` is its own real path, and resolving it again
    // (a link lookup per folder, for every file read) would say the same.
    if std::path::absolute(root).is_ok_and(|r| real.starts_with(r)) {
        return Ok(real);
    }
    let real_root = std::fs::canonicalize(root).map_err(|e| ReadError::Io(e.to_string()))?;
    if !real.starts_with(&real_root) {
        return Err(ReadError::OutsideRoot(real));
    }
    Ok(real)
}

/// `rel` opened (non-blocking) by the kernel's own walk from `root`,
/// which refuses every step out of it (`RESOLVE_BENEATH`): a file found
/// this way is inside the root without resolving each folder of its path
/// by hand, which made up half the cost of reading a small file. `None`
/// when the kernel cannot tell (an absolute link, even to a place inside
/// the root; a missing file; an older kernel): [`resolve`] then decides and
/// says what is wrong.
#[cfg(target_os = "linux")]
fn open_beneath(root: &Path, rel: &str) -> Option<File> {
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    let dir = rustix::fs::open(root, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()?;
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC | OFlags::NOCTTY;
    let fd = rustix::fs::openat2(&dir, rel, flags, Mode::empty(), ResolveFlags::BENEATH).ok()?;
    Some(File::from(fd))
}

#[cfg(not(target_os = "linux"))]
fn open_beneath(_root: &Path, _rel: &str) -> Option<File> {
    None
}

/// Opens a regular file without blocking, whatever it turns out to be.
fn open(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK);
    }
    opts.open(path)
}

/// The bytes of `rel` under `root`: a regular file inside the root, at most
/// `limit` bytes.
pub fn read_bytes(root: &Path, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
    let file = match open_beneath(root, rel) {
        Some(file) => file,
        None => open_real(&resolve(root, rel)?)?,
    };
    read_open(file, limit)
}

/// The file at its real path `real`, opened once it is known to be a
/// regular file: opening a FIFO may block.
fn open_real(real: &Path) -> Result<File, ReadError> {
    let meta = std::fs::metadata(real).map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    open(real).map_err(|e| ReadError::Io(e.to_string()))
}

/// The bytes of an open file, at most `limit`; its kind is checked on the
/// open file, in case the path changed since it was looked at.
fn read_open(file: File, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// `bytes` as text, without a leading byte order mark.
pub fn utf8(bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(mut t) => {
            // Some editors start UTF-8 files with a byte order mark; it is not content.
            if t.starts_with('\u{feff}') {
                t.drain(..3);
            }
            Ok(t)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]);
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(ReadError::NotUtf8 { offset, line, col })
        }
    }
}

/// The text of `rel` under `root` (at most `limit` bytes, UTF-8, BOM removed).
/// The shared reader for content files and templates.
pub fn read_text(root: &Path, rel: &str, limit: u64) -> Result<String, ReadError> {
    utf8(read_bytes(root, rel, limit)?)
}

/// [`read_text`] with the [`MAX_TEXT_BYTES`] limit, recording the text in
/// `files` so diagnostics can quote it.
pub fn read(root: &Path, rel: &str, files: &mut SourceMap) -> Result<String, Diagnostic> {
    let text = read_text(root, rel, MAX_TEXT_BYTES).map_err(|e| e.diagnostic(rel))?;
    files.add(rel, &text);
    Ok(text)
}

/// The files of one content folder.
#[derive(Debug, Default)]
pub struct Listing {
    /// Files to read, relative to the root, sorted by name.
    pub files: Vec<String>,
    /// Errors (links outside the root) and warnings (entries not used).
    pub diagnostics: Vec<Diagnostic>,
}

/// The files with one of `exts` directly in `root/dir`, sorted by name so the
/// order never depends on the file system. Every other entry gets a warning
/// saying why it is not read, and a link leading outside the root an error.
/// A missing folder lists nothing.
pub fn list(root: &Path, dir: &str, exts: &[&str], what: &str) -> Listing {
    let mut out = Listing::default();
    let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
        return out;
    };
    // An entry's type comes with the listing; only a link needs looking up.
    let mut names: Vec<(std::ffi::OsString, Option<std::fs::FileType>)> = entries
        .filter_map(Result::ok)
        .map(|e| (e.file_name(), e.file_type().ok().filter(|t| !t.is_symlink())))
        .collect();
    names.sort_by(|a, b| a.0.cmp(&b.0));
    // The folder's real path, when it is inside the root: an entry that is
    // not a link is then found there without resolving every folder above
    // it again (links still are, one by one).
    let real_dir = resolve(root, dir).ok();
    for (os, plain) in names {
        let name = os.to_string_lossy().into_owned();
        let rel = format!("{dir}/{name}");
        if name == ".gitkeep" {
            continue;
        }
        let wanted = exts
            .iter()
            .any(|x| name.ends_with(&format!(".{x}")) && name.len() > x.len() + 1);
        let known = real_dir.as_ref().filter(|_| plain.is_some()).map(|d| d.join(&os));
        let real = match known.map_or_else(|| resolve(root, &rel), Ok) {
            Ok(p) => p,
            Err(e @ ReadError::OutsideRoot(_)) => {
                out.diagnostics.push(e.diagnostic(&rel));
                continue;
            }
            Err(e) if wanted => {
                out.diagnostics.push(e.diagnostic(&rel));
                continue;
            }
            Err(_) => {
                out.diagnostics
                    .push(not_used(&rel, "it cannot be followed", exts, what));
                continue;
            }
        };
        let is_dir = match plain {
            Some(t) => t.is_dir(),
            None => std::fs::metadata(&real).is_ok_and(|m| m.is_dir()),
        };
        if is_dir {
            out.diagnostics.push(not_used(
                &rel,
                "it is a folder; a report does not read sub-folders (a site does: `mode: site`)",
                exts,
                what,
            ));
        } else if os.to_str().is_none() {
            out.diagnostics
                .push(not_used(&rel, "its name is not valid UTF-8", exts, what));
        } else if wanted {
            // Pipes and devices are listed so the reader refuses them by name.
            out.files.push(rel);
        } else {
            out.diagnostics.push(not_used(&rel, "of its extension", exts, what));
        }
    }
    out
}

fn not_used(rel: &str, why: &str, exts: &[&str], what: &str) -> Diagnostic {
    let exts: Vec<String> = exts.iter().map(|x| format!("`.{x}`")).collect();
    Diagnostic::warning(Loc::file(rel), format!("`{rel}` is not used because {why}")).hint(format!(
        "{what} are {} files directly in this folder; move or remove this entry",
        exts.join(" and ")
    ))
}

/// Warnings for entries of `content/` that quire does not read: anything but
/// `report.yaml`, `sections/` and `data/`.
pub fn stray_content(root: &Path) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(root.join("content")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !matches!(n.as_str(), "report.yaml" | "sections" | "data" | ".gitkeep"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let rel = format!("content/{n}");
            Diagnostic::warning(Loc::file(&rel), format!("`{rel}` is not used")).hint(
                "content/ holds report.yaml, sections/ (Markdown) and data/ (datasets); move or remove this entry",
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_errors_name_line_column_and_offset() {
        let e = utf8(b"ab\ncd\xffe".to_vec()).unwrap_err();
        assert_eq!(
            e,
            ReadError::NotUtf8 {
                offset: 5,
                line: 2,
                col: 3
            }
        );
        assert_eq!(utf8(b"\xef\xbb\xbfhi".to_vec()).unwrap(), "hi");
    }

    #[test]
    fn limits_missing_and_folders_are_distinct() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.md"), vec![b'a'; 2048]).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert_eq!(
            read_bytes(dir.path(), "big.md", 1024).unwrap_err(),
            ReadError::TooLarge { limit: 1024 }
        );
        assert_eq!(read_bytes(dir.path(), "big.md", 4096).unwrap().len(), 2048);
        assert_eq!(
            read_bytes(dir.path(), "none.md", 10).unwrap_err(),
            ReadError::Missing { broken_link: false }
        );
        assert_eq!(
            read_bytes(dir.path(), "sub", 10).unwrap_err(),
            ReadError::NotRegular("a folder")
        );
    }

    /// A root reached through a link, or written with `..`, is resolved
    /// before files are compared with it; a real root is taken as it is.
    #[cfg(unix)]
    #[test]
    fn roots_behind_links_are_resolved_before_comparing() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir_all(real.join("sub")).unwrap();
        std::fs::write(real.join("a.md"), "a").unwrap();
        std::fs::write(dir.path().join("secret.md"), "s").unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.md"), real.join("out.md")).unwrap();
        for root in [real.clone(), dir.path().join("link"), real.join("sub/..")] {
            assert_eq!(read_bytes(&root, "a.md", 10).unwrap(), b"a", "{}", root.display());
            assert!(
                matches!(read_bytes(&root, "out.md", 10), Err(ReadError::OutsideRoot(_))),
                "{}",
                root.display()
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.md")).unwrap();
        // /dev is outside the root, so the link is refused before anything else.
        assert!(matches!(
            read_bytes(dir.path(), "zero.md", 10),
            Err(ReadError::OutsideRoot(_))
        ));
        assert_eq!(
            read_bytes(Path::new("/"), "dev/zero", 10).unwrap_err(),
            ReadError::NotRegular("a device")
        );
    }
}
