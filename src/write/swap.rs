//! Putting a complete new tree where the old one was, so that at every
//! instant the output folder is either the old or the new complete tree.
//!
//! The new tree is written into a staging folder beside the output
//! (`.NAME.new-*`), then swapped in:
//!
//! * first build: one `rename`;
//! * Linux: one `renameat2(RENAME_EXCHANGE)`, which swaps the two names in a
//!   single step, then the old tree (now under the staging name) is deleted;
//! * where EXCHANGE is unsupported: the old tree is renamed aside
//!   (`.NAME.old-*`), then the new one in. A kill between the two leaves no
//!   output for that instant; the next build renames the old tree back first;
//! * a mount point (or anything the kernel will not rename: EBUSY, EXDEV):
//!   staging goes inside the output and each top-level entry is swapped in
//!   on its own, the marker first. Atomic per entry, not as a whole.
//!
//! Callers hold [`lock`] across cleaning and swapping, so a leftover seen
//! then belongs to a build that died, never to a live one.

use super::hooks::{self, Method, Step};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// Prefix of the staging folder of an in-place swap, inside the output.
pub const INPLACE_NEW: &str = ".quire.new-";
/// Prefix of the folder holding replaced entries of an in-place swap.
pub const INPLACE_OLD: &str = ".quire.old-";

/// An I/O error and what the writer was doing.
#[derive(Debug)]
pub struct Fail {
    /// What failed, e.g. "move the new output into place".
    pub what: String,
    /// Why.
    pub err: io::Error,
}

fn at(what: impl Into<String>) -> impl FnOnce(io::Error) -> Fail {
    let what = what.into();
    move |err| Fail { what, err }
}

/// An exclusive advisory lock on the folder holding the output, released
/// when dropped or when the process dies (however it dies).
#[derive(Debug)]
pub struct Lock {
    _dir: Option<File>,
}

/// Waits for, then takes, the lock on `parent`. Locking the folder itself
/// (not a lock file) leaves nothing behind. Without `flock` (not Unix),
/// concurrent builds are not serialised.
pub fn lock(parent: &Path) -> Result<Lock, Fail> {
    #[cfg(unix)]
    {
        let dir = File::open(parent).map_err(at("open the output's parent folder to lock it"))?;
        rustix::fs::flock(&dir, rustix::fs::FlockOperation::LockExclusive).map_err(|e| Fail {
            what: "lock the output's parent folder".into(),
            err: e.into(),
        })?;
        Ok(Lock { _dir: Some(dir) })
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        Ok(Lock { _dir: None })
    }
}

/// Removes what killed builds left: staging and old-tree folders beside
/// `out` and inside it. When `out` is missing and an old tree was set aside
/// (a kill between the two renames), that tree is put back first.
pub fn clean_leftovers(out: &Path) -> Result<(), Fail> {
    let (parent, name) = split(out);
    let (new_p, old_p) = (format!(".{name}.new-"), format!(".{name}.old-"));
    let mut found: Vec<(OsString, PathBuf)> = fs::read_dir(parent)
        .map_err(at("list the output's parent folder"))?
        .filter_map(Result::ok)
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&new_p) || n.starts_with(&old_p)
        })
        .map(|e| (e.file_name(), e.path()))
        .collect();
    found.sort();
    if fs::symlink_metadata(out).is_err()
        && let Some(i) = found
            .iter()
            .position(|(n, p)| n.to_string_lossy().starts_with(&old_p) && p.join(super::MARKER).is_file())
    {
        let (_, old) = found.remove(i);
        fs::rename(&old, out).map_err(at("restore the output a killed build set aside"))?;
    }
    for (_, p) in &found {
        remove_tree(p).map_err(at(format!("remove the leftover `{}`", p.display())))?;
    }
    if let Ok(rd) = fs::read_dir(out) {
        for e in rd.filter_map(Result::ok) {
            if super::resolve::is_own_leftover(&e.file_name().to_string_lossy()) {
                remove_tree(&e.path()).map_err(at(format!("remove the leftover `{}`", e.path().display())))?;
            }
        }
    }
    Ok(())
}

/// A new tree being written, before it is swapped in: a fresh folder
/// beside the output, or inside it when the output cannot be renamed.
#[derive(Debug)]
pub struct Staging {
    /// Where the new tree is written.
    pub dir: PathBuf,
    /// Inside the output (swapped entry by entry), not beside it.
    in_place: bool,
}

/// Creates the staging folder for a new `out`, by `method` or, where the
/// file system cannot do that, the next safest one.
pub fn begin(out: &Path, method: Method) -> Result<Staging, Fail> {
    if out.is_dir() && (method == Method::InPlace || is_mount_point(out)) {
        return begin_in_place(out);
    }
    let (parent, name) = split(out);
    match new_dir(parent, &format!(".{name}.new-")) {
        Ok(dir) => Ok(Staging { dir, in_place: false }),
        // A writable mount point under a folder we may not write in.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && out.is_dir() => begin_in_place(out),
        Err(e) => Err(Fail {
            what: "create a staging folder".into(),
            err: e,
        }),
    }
}

fn begin_in_place(out: &Path) -> Result<Staging, Fail> {
    let dir = new_dir(out, INPLACE_NEW).map_err(at("create a staging folder"))?;
    Ok(Staging { dir, in_place: true })
}

/// Writes one file of the new tree (`path` relative, `/`-separated),
/// creating its folders. Safe to call from many threads at once.
pub fn put(staging: &Path, path: &str, bytes: &[u8]) -> Result<(), Fail> {
    let target = staging.join(path);
    target
        .parent()
        .map_or(Ok(()), fs::create_dir_all)
        .and_then(|()| fs::write(&target, bytes))
        .map_err(at(format!("write {path}")))
}

/// The staging folder, held open: each file is created relative to it, so
/// the kernel walks only the file's own path, not the output's every time,
/// and a page costs one `mkdir`, one `open`, one `write` and one `close`.
#[derive(Debug)]
pub struct Dir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    /// Folders already made, so files sharing one (a report's charts)
    /// cost one `mkdir` between them, not one each.
    #[cfg(unix)]
    made: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Dir {
    /// Opens the staging folder `path`.
    pub fn open(path: &Path) -> Result<Dir, Fail> {
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags, open};
            let fd = open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )
            .map_err(|e| Fail {
                what: "open the staging folder".into(),
                err: e.into(),
            })?;
            Ok(Dir {
                path: path.to_path_buf(),
                fd,
                made: Default::default(),
            })
        }
        #[cfg(not(unix))]
        Ok(Dir {
            path: path.to_path_buf(),
        })
    }

    /// Writes one file (`path` relative, `/`-separated, as [`put`]),
    /// creating its folders. Safe to call from many threads at once.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Fail> {
        // Paths come from quire itself; anything that could leave the
        // folder takes the plain route, which joins it as before.
        #[cfg(unix)]
        if !path.starts_with('/') && !path.split('/').any(|p| p == ".." || p.is_empty()) {
            return self.put_at(path, bytes).map_err(at(format!("write {path}")));
        }
        put(&self.path, path, bytes)
    }

    /// Creates `path` in the folder: its parent folder first, unless this
    /// build made it already (one `mkdir`, which for a page's own folder
    /// is the only one it needs), then the file, written with one `write`.
    #[cfg(unix)]
    fn put_at(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        use rustix::fs::{Mode, OFlags, openat};
        use std::io::Write;
        if let Some((parent, _)) = path.rsplit_once('/') {
            let made = || self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made().contains(parent) {
                mkdirs_at(&self.fd, parent)?;
                made().insert(parent.to_string());
            }
        }
        let fd = openat(
            &self.fd,
            path,
            OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC,
            Mode::from_raw_mode(0o666),
        )?;
        File::from(fd).write_all(bytes)
    }
}

/// `mkdir -p` of the relative `rel` under `dir`: the deepest folder first,
/// its parents only when it cannot be made, so a tree of pages costs one
/// `mkdir` a folder. An existing folder is fine; an existing file in the
/// way makes the file's `open` fail, with the kernel's reason.
#[cfg(unix)]
fn mkdirs_at(dir: &std::os::fd::OwnedFd, rel: &str) -> io::Result<()> {
    use rustix::fs::{Mode, mkdirat};
    use rustix::io::Errno;
    let mode = Mode::from_raw_mode(0o777);
    match mkdirat(dir, rel, mode) {
        Ok(()) | Err(Errno::EXIST) => Ok(()),
        Err(Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                mkdirs_at(dir, parent)?;
            }
            match mkdirat(dir, rel, mode) {
                Ok(()) | Err(Errno::EXIST) => Ok(()),
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// Drops a staging folder whose build failed; the output is untouched.
pub fn abandon(staging: Staging) {
    let _ = remove_tree(&staging.dir);
}

/// Makes `out` hold exactly `files`, by `method` or, where the file system
/// cannot do that, the next safest one.
pub fn replace(out: &Path, files: &[(&str, &[u8])], method: Method) -> Result<(), Fail> {
    let staging = begin(out, method)?;
    for (path, bytes) in files {
        if let Err(f) = put(&staging.dir, path, bytes) {
            abandon(staging);
            return Err(f);
        }
    }
    finish(staging, out, method)
}

/// Swaps the complete tree in `staging` in as `out`.
pub fn finish(staging: Staging, out: &Path, method: Method) -> Result<(), Fail> {
    hooks::pause(Step::Staged);
    if staging.in_place {
        return in_place(out, &staging.dir);
    }
    let staging = staging.dir;
    if fs::symlink_metadata(out).is_err() {
        return fs::rename(&staging, out).map_err(|e| {
            let _ = remove_tree(&staging);
            Fail {
                what: "move the new output into place".into(),
                err: e,
            }
        });
    }
    if method == Method::Exchange {
        match exchange(&staging, out) {
            Ok(()) => {
                hooks::pause(Step::Swapped);
                // `staging` now names the old tree; a failure here only
                // leaves a leftover for the next build to remove.
                let _ = remove_old(&staging);
                return Ok(());
            }
            Err(e) if unmovable(&e) => return relocate_in_place(&staging, out),
            Err(e) if !unsupported(&e) => {
                let _ = remove_tree(&staging);
                return Err(Fail {
                    what: "swap the new output into place".into(),
                    err: e,
                });
            }
            Err(_) => {}
        }
    }
    two_renames(&staging, out)
}

/// The output turned out not to be renamable: moves the new tree from
/// beside it to inside it (a copy, as it may be another file system) and
/// swaps it in entry by entry.
fn relocate_in_place(staging: &Path, out: &Path) -> Result<(), Fail> {
    let inner = begin_in_place(out).inspect_err(|_| {
        let _ = remove_tree(staging);
    })?;
    let copied = walkdir::WalkDir::new(staging)
        .min_depth(1)
        .into_iter()
        .try_for_each(|e| -> io::Result<()> {
            let e = e.map_err(io::Error::from)?;
            let to = inner.dir.join(e.path().strip_prefix(staging).unwrap_or(e.path()));
            if e.file_type().is_dir() {
                fs::create_dir_all(to)
            } else {
                fs::copy(e.path(), to).map(|_| ())
            }
        });
    let _ = remove_tree(staging);
    if let Err(e) = copied {
        abandon(inner);
        return Err(Fail {
            what: "copy the new output into the output folder".into(),
            err: e,
        });
    }
    in_place(out, &inner.dir)
}

/// The fallback: old tree aside, new tree in, old tree deleted.
fn two_renames(staging: &Path, out: &Path) -> Result<(), Fail> {
    let (parent, name) = split(out);
    let old = new_dir(parent, &format!(".{name}.old-")).map_err(|e| {
        let _ = remove_tree(staging);
        Fail {
            what: "create a folder for the old output".into(),
            err: e,
        }
    })?;
    // Renaming a folder onto an empty folder replaces it, in one step.
    if let Err(e) = fs::rename(out, &old) {
        let _ = fs::remove_dir(&old);
        if unmovable(&e) {
            return relocate_in_place(staging, out);
        }
        let _ = remove_tree(staging);
        return Err(Fail {
            what: "move the old output aside".into(),
            err: e,
        });
    }
    hooks::pause(Step::Aside);
    if let Err(e) = fs::rename(staging, out) {
        let _ = fs::rename(&old, out);
        let _ = remove_tree(staging);
        return Err(Fail {
            what: "move the new output into place".into(),
            err: e,
        });
    }
    hooks::pause(Step::Swapped);
    let _ = remove_old(&old);
    Ok(())
}

/// The per-entry swap for an output folder that cannot itself be renamed,
/// from the complete tree in `staging` (inside `out`). The marker goes
/// first, so a kill part-way leaves a folder the next build still
/// recognises as quire's and finishes replacing.
fn in_place(out: &Path, staging: &Path) -> Result<(), Fail> {
    let trash = new_dir(out, INPLACE_OLD).map_err(at("create a folder for the old entries"))?;
    let mut names: Vec<OsString> = fs::read_dir(staging)
        .map_err(at("list the staging folder"))?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .collect();
    names.sort_by_key(|n| (n != super::MARKER, n.clone()));
    for n in &names {
        let (from, to) = (staging.join(n), out.join(n));
        let what = format!("swap `{}` into place", to.display());
        match fs::symlink_metadata(&to) {
            Err(_) => fs::rename(&from, &to).map_err(at(what))?,
            Ok(_) => match exchange(&from, &to) {
                Ok(()) => {}
                Err(e) if unsupported(&e) => {
                    fs::rename(&to, trash.join(n)).map_err(at(what.clone()))?;
                    fs::rename(&from, &to).map_err(at(what))?;
                }
                Err(e) => return Err(Fail { what, err: e }),
            },
        }
        hooks::pause(Step::Entry);
    }
    let fresh: BTreeSet<&OsString> = names.iter().collect();
    let stale: Vec<OsString> = fs::read_dir(out)
        .map_err(at("list the output folder"))?
        .filter_map(|e| e.ok().map(|e| e.file_name()))
        .filter(|n| !fresh.contains(n) && n != super::GITKEEP && !super::resolve::is_own_leftover(&n.to_string_lossy()))
        .collect();
    for n in stale {
        fs::rename(out.join(&n), trash.join(&n)).map_err(at(format!("remove the old `{}`", n.to_string_lossy())))?;
    }
    hooks::pause(Step::Swapped);
    let _ = remove_old(staging);
    let _ = remove_old(&trash);
    Ok(())
}

/// Deletes a replaced tree, its top-level entries on every core: unlinking
/// thousands of pages is file-system work the build waits for.
fn remove_old(p: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let _t = crate::timing::Lap::new("old-output removal");
    let entries: Vec<PathBuf> = match fs::read_dir(p) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    entries.par_iter().try_for_each(|e| match fs::symlink_metadata(e) {
        Ok(m) if m.is_dir() => remove_tree(e),
        Ok(_) => fs::remove_file(e),
        Err(_) => Ok(()),
    })?;
    remove_tree(p)
}

/// A new, uniquely named folder `prefix*` in `dir`, with the usual
/// permissions (the umask applies), kept after the process ends.
fn new_dir(dir: &Path, prefix: &str) -> io::Result<PathBuf> {
    Ok(tempfile::Builder::new().prefix(prefix).tempdir_in(dir)?.keep())
}

fn remove_tree(p: &Path) -> io::Result<()> {
    match fs::remove_dir_all(p) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        r => r,
    }
}

/// The folder holding `out`, and `out`'s own name.
fn split(out: &Path) -> (&Path, String) {
    let parent = out.parent().unwrap_or(Path::new("/"));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent, name)
}

/// Whether `out` is the root of a mounted file system (its device differs
/// from its parent's): such a folder cannot be renamed, only filled.
fn is_mount_point(out: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (parent, _) = split(out);
        if let (Ok(o), Ok(p)) = (fs::metadata(out), fs::metadata(parent)) {
            return o.dev() != p.dev();
        }
    }
    let _ = out;
    false
}

/// Swaps the names `a` and `b` in one step.
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        let _ = (a, b);
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

/// The file system or kernel cannot exchange: fall back to two renames.
fn unsupported(e: &io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::io::Errno;
        let raw = e.raw_os_error();
        if [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP]
            .iter()
            .any(|x| Some(x.raw_os_error()) == raw)
        {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// The folder cannot be renamed at all (a mount point, another device):
/// swap its entries instead.
fn unmovable(e: &io::Error) -> bool {
    matches!(e.kind(), io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    /// `n` small files, ten to a folder, as a rendered report would have.
    fn report(n: usize) -> Vec<(String, Vec<u8>)> {
        (0..n)
            .map(|i| (format!("d{}/f{i}.svg", i / 10), format!("<svg>{i}</svg>").into_bytes()))
            .collect()
    }

    /// The fastest of five swaps of an `n`-file tree over another: the
    /// minimum shrugs off other work on the machine.
    fn swap_time(method: Method, n: usize) -> Duration {
        let owned = report(n);
        let files: Vec<(&str, &[u8])> = owned.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
        // Memory-backed where possible: the test is about the algorithm, not
        // about a busy disk.
        let shm = Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .unwrap();
        let out = dir.path().join("out");
        replace(&out, &files, method).unwrap();
        (0..5)
            .map(|_| {
                let t = Instant::now();
                replace(&out, &files, method).unwrap();
                t.elapsed()
            })
            .min()
            .unwrap()
    }

    #[test]
    fn every_method_is_linear_in_the_number_of_files() {
        for method in [Method::Exchange, Method::TwoRenames, Method::InPlace] {
            let (small, large) = (swap_time(method, 250), swap_time(method, 2500));
            let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
            // 10× the files: about 10× the time; a quadratic step gives ~100×.
            assert!(ratio < 30.0, "{method:?}: 10× the files took {ratio:.1}× as long");
        }
    }

    #[test]
    fn the_open_folder_writes_nested_files_and_reports_what_is_in_the_way() {
        let dir = tempfile::tempdir().unwrap();
        let d = Dir::open(dir.path()).unwrap();
        d.put("a/b/c/index.html", b"page").unwrap();
        d.put("a/b/d/index.html", b"next").unwrap();
        d.put("top.css", b"css").unwrap();
        // A later put of the same path replaces the file, shorter or not.
        d.put("a/b/c/index.html", b"p").unwrap();
        assert_eq!(fs::read(dir.path().join("a/b/c/index.html")).unwrap(), b"p");
        assert_eq!(fs::read(dir.path().join("a/b/d/index.html")).unwrap(), b"next");
        assert_eq!(fs::read(dir.path().join("top.css")).unwrap(), b"css");
        // A file where a folder should be: an error naming the path, no panic.
        let f = d.put("top.css/x.html", b"x").unwrap_err();
        assert!(f.what.contains("top.css/x.html"), "{}", f.what);
        // A path the fast route does not take (an empty part) is joined
        // and written as before.
        d.put("e//f.txt", b"f").unwrap();
        assert_eq!(fs::read(dir.path().join("e/f.txt")).unwrap(), b"f");
    }

    #[test]
    fn every_method_leaves_exactly_the_new_files_and_nothing_else() {
        for method in [Method::Exchange, Method::TwoRenames, Method::InPlace] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("out");
            replace(&out, &[("a.html", b"old"), ("old/x.svg", b"x")], method).unwrap();
            replace(&out, &[("a.html", b"new"), ("new/y.svg", b"y")], method).unwrap();
            let mut seen: Vec<String> = walkdir::WalkDir::new(dir.path())
                .min_depth(1)
                .into_iter()
                .map(|e| {
                    let e = e.unwrap();
                    e.path()
                        .strip_prefix(dir.path())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            seen.sort();
            assert_eq!(seen, ["out", "out/a.html", "out/new", "out/new/y.svg"], "{method:?}");
            assert_eq!(fs::read(out.join("a.html")).unwrap(), b"new", "{method:?}");
        }
    }
}
