//! Where a site may be written: never where the build reads.
//!
//! In: the library folder and the output folder asked for. Out: nothing, or an error that
//! says why that output folder is refused: inside `content/` or `themes/`, the library
//! folder itself, a folder holding it, `content/` or `themes/`, or a folder inside `.git`.
//! Paths are compared as they are on disk, with every symbolic link resolved; a folder
//! that does not exist yet is placed from its nearest existing ancestor.

use std::path::{Component, Path, PathBuf};

use crate::model::error::{Error, Result};

/// Refuses an output folder `out` that is, holds or lies inside what a build of the
/// library at `root` reads.
pub fn check(root: &Path, out: &Path) -> Result<()> {
    let at = resolve(out)?;
    let root = resolve(root)?;
    let refuse = |why: &str| {
        Err(Error::Other(format!(
            "refusing to write the site to {}: {why}; choose an --out outside the library's content/, themes/ and .git, such as public/ beside content/ (the default)",
            out.display()
        )))
    };
    if root.starts_with(&at) {
        return refuse("it is the library folder or holds it");
    }
    for (folder, what) in [("content", "documents"), ("themes", "theme")] {
        let read = resolve(&root.join(folder))?;
        if at.starts_with(&read) {
            return refuse(&format!(
                "it is inside the library's {what} folder ({folder}/), which the build reads"
            ));
        }
        if read.starts_with(&at) {
            return refuse(&format!(
                "it holds the library's {what} folder ({folder}/), which the build reads"
            ));
        }
    }
    if at.components().any(|c| c.as_os_str() == ".git") {
        return refuse("it is inside a .git folder, which holds the library's history");
    }
    Ok(())
}

/// `path` as it is on disk: absolute, every link resolved. Names past the last existing
/// folder are taken as written (none of them can be a link), `..` among them included.
fn resolve(path: &Path) -> Result<PathBuf> {
    let mut at = std::env::current_dir().map_err(|e| Error::io("read", Path::new("."), e))?;
    for part in path.components() {
        match part {
            Component::Prefix(_) | Component::RootDir => at = PathBuf::from("/"),
            Component::CurDir => {}
            // `at` is resolved, so its parent is where `..` leads.
            Component::ParentDir => {
                at.pop();
            }
            Component::Normal(name) => {
                at.push(name);
                if let Ok(real) = at.canonicalize() {
                    at = real;
                }
            }
        }
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_and_names_that_do_not_exist_yet() {
        let dir = std::env::temp_dir().join(format!("lantern-place-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("lib/content")).expect("dir");
        std::os::unix::fs::symlink(dir.join("lib/content"), dir.join("lib/docs")).expect("link");
        let dir = dir.canonicalize().expect("real");
        let content = dir.join("lib/content");
        assert_eq!(
            resolve(&dir.join("lib/docs/site")).ok(),
            Some(content.join("site"))
        );
        assert_eq!(
            resolve(&dir.join("lib/new/../docs/x/../y")).ok(),
            Some(content.join("y"))
        );
        let root = dir.join("lib");
        assert!(check(&root, &dir.join("lib/public")).is_ok());
        assert!(check(&root, &dir.join("elsewhere/site")).is_ok());
        for refused in [
            "lib/docs/site",
            "lib",
            "",
            "lib/themes/default",
            "lib/.git/x",
        ] {
            assert!(check(&root, &dir.join(refused)).is_err(), "{refused}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
