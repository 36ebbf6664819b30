//! Where a path really points, before anything is written there.
//!
//! `--out` is trusted with deletion, so it is judged by the folder it names on
//! disk, not by its spelling: `ROOT/zz/../content` (with `zz` missing), a
//! symlink to `content/`, `content/.` and `./content//` must all be seen as
//! `ROOT/content`. [`physical`] follows every symlink in the part of the path
//! that exists and applies the rest lexically, which is exactly what the
//! writer will do when it creates the missing folders.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// How many symlinks one resolution may follow before it is called a loop
/// (the kernel's own limit, `MAXSYMLINKS`).
const MAX_LINKS: u32 = 40;

/// A path resolved against the file system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Physical {
    /// Absolute, with no `.`, `..` or symlink in it.
    pub path: PathBuf,
    /// How many trailing components do not exist yet (0: the path exists).
    pub missing: usize,
}

/// Resolves `p` (relative to the current folder) to the folder the writer
/// would really touch: the longest existing prefix with every symlink
/// followed, then the remaining components applied lexically. A `..` after a
/// missing component cancels it, because the writer creates missing parts as
/// plain folders, where `zz/..` is the folder itself.
///
/// Errors name what stops the resolution: a file used as a folder, a symlink
/// loop, or an unreadable folder.
pub fn physical(p: &Path) -> Result<Physical, String> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| format!("cannot read the current folder: {e}"))?
            .join(p)
    };
    resolve(&abs, &mut 0)
}

/// [`physical`] for the entry `name` of `parent`, itself already physical:
/// one look at the entry, and the whole walk again only when it is a link.
/// The output guard resolves several folders of the same root this way.
pub fn physical_child(parent: &Physical, name: &str) -> Result<Physical, String> {
    let path = parent.path.join(name);
    if parent.missing > 0 {
        return Ok(Physical {
            path,
            missing: parent.missing + 1,
        });
    }
    match fs::symlink_metadata(&path) {
        Ok(m) if !m.file_type().is_symlink() => Ok(Physical { path, missing: 0 }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Physical { path, missing: 1 }),
        _ => physical(&path),
    }
}

fn resolve(abs: &Path, links: &mut u32) -> Result<Physical, String> {
    let mut cur = PathBuf::new();
    let mut missing = 0usize;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                cur.push(c.as_os_str());
                missing = 0;
            }
            Component::CurDir => {}
            Component::ParentDir => {
                // `cur` has no symlink in it, so its lexical parent is its
                // physical parent; `pop` on the root is a no-op, as `/..` is `/`.
                cur.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                let next = cur.join(name);
                if missing > 0 {
                    cur = next;
                    missing += 1;
                    continue;
                }
                match fs::symlink_metadata(&next) {
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {
                        cur = next;
                        missing = 1;
                    }
                    Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
                        return Err(format!("`{}` is a file, not a folder", cur.display()));
                    }
                    Err(e) => return Err(format!("cannot read `{}`: {e}", next.display())),
                    Ok(m) if m.file_type().is_symlink() => {
                        *links += 1;
                        if *links > MAX_LINKS {
                            return Err(format!("`{}` is part of a symlink loop", next.display()));
                        }
                        let target = fs::read_link(&next)
                            .map_err(|e| format!("cannot read the symlink `{}`: {e}", next.display()))?;
                        let r = resolve(&cur.join(target), links)?;
                        cur = r.path;
                        missing = r.missing;
                    }
                    Ok(_) => cur = next,
                }
            }
        }
    }
    Ok(Physical { path: cur, missing })
}

/// Whether the entry `name` inside an output folder is one the writer makes
/// and cleans up itself: the staging or old-tree folder of an in-place swap.
pub fn is_own_leftover(name: &str) -> bool {
    name.starts_with(super::swap::INPLACE_NEW) || name.starts_with(super::swap::INPLACE_OLD)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn phys(p: &Path) -> PathBuf {
        physical(p).unwrap().path
    }

    #[test]
    fn dotdot_through_a_missing_folder_lands_on_the_existing_sibling() {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        fs::create_dir(root.join("content")).unwrap();
        let r = physical(&root.join("zz/../content")).unwrap();
        assert_eq!(r.path, root.join("content"));
        assert_eq!(r.missing, 0);
        let r = physical(&root.join("zz/yy/../../content/./")).unwrap();
        assert_eq!(
            r,
            Physical {
                path: root.join("content"),
                missing: 0
            }
        );
        let r = physical(&root.join("zz/yy/..")).unwrap();
        assert_eq!(
            r,
            Physical {
                path: root.join("zz"),
                missing: 1
            }
        );
    }

    #[test]
    fn symlinks_are_followed_where_they_stand() {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        fs::create_dir_all(root.join("a/b")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b"), root.join("link")).unwrap();
        // `link/..` is `a`, not the root: the symlink is followed first.
        assert_eq!(phys(&root.join("link/..")), root.join("a"));
        assert_eq!(phys(&root.join("link/new/../")), root.join("a/b"));
        std::os::unix::fs::symlink("missing/x", root.join("dangling")).unwrap();
        assert_eq!(
            physical(&root.join("dangling/y")).unwrap(),
            Physical {
                path: root.join("missing/x/y"),
                missing: 3
            }
        );
    }

    #[test]
    fn a_symlink_loop_and_a_file_used_as_a_folder_are_errors() {
        let t = tempfile::tempdir().unwrap();
        let root = fs::canonicalize(t.path()).unwrap();
        std::os::unix::fs::symlink(root.join("b"), root.join("a")).unwrap();
        std::os::unix::fs::symlink(root.join("a"), root.join("b")).unwrap();
        assert!(physical(&root.join("a")).unwrap_err().contains("loop"));
        fs::write(root.join("f"), "x").unwrap();
        assert!(physical(&root.join("f/out")).unwrap_err().contains("is a file"));
    }

    #[test]
    fn the_root_has_no_parent() {
        assert_eq!(phys(Path::new("/..")), PathBuf::from("/"));
        assert_eq!(phys(Path::new("//.")), PathBuf::from("/"));
    }
}
