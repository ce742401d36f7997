//! Watching the library for changes: file-system events in, one batch per burst of saves
//! out. Editors write a file in several steps (a temporary file, a rename, a change of
//! attributes); events are gathered until the library has been quiet for a moment, and
//! editors' temporary and backup files are left out.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::model::error::{Error, Result};

/// How long the library must be quiet before a batch is handed on.
const QUIET: Duration = Duration::from_millis(30);

/// The files changed in one burst.
#[derive(Debug, Default)]
pub struct Batch {
    pub paths: Vec<PathBuf>,
}

impl Batch {
    /// A short description for the log: one file's name, or how many.
    pub fn describe(&self) -> String {
        match self.paths.as_slice() {
            [one] => one.display().to_string(),
            many => format!("{} files", many.len()),
        }
    }
}

/// Whether a path is an editor's temporary, swap or backup file, or hidden.
pub fn ignored(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return true;
    };
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913" // vim's test of whether it may write in the folder
        || [".swp", ".swx", ".tmp", ".part", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Starts watching `root/content` and `root/themes`; each burst of relevant changes arrives
/// as one [`Batch`].
pub fn start(root: &Path) -> Result<Receiver<Batch>> {
    let (events_tx, events) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let _ = events_tx.send(event);
        }
    })
    .map_err(|e| Error::Other(format!("cannot watch the library for changes: {e}")))?;
    let themes = root.join("themes");
    for path in [root.join("content"), themes.clone()] {
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::Other(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    // The library folder itself, not its other folders, to see `themes/` appear.
    let mut themes_watched = themes.is_dir();
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Other(format!("cannot watch {}: {e}", root.display())))?;
    let (batches_tx, batches) = mpsc::channel();
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        // The watcher lives as long as this thread.
        let mut watcher = watcher;
        loop {
            let Ok(first) = events.recv() else { return };
            let mut batch = Batch::default();
            let mut add = |event: notify::Event| {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                for path in event.paths {
                    if !ignored(&path) && !batch.paths.contains(&path) {
                        batch.paths.push(path);
                    }
                }
            };
            add(first);
            loop {
                match events.recv_timeout(QUIET) {
                    Ok(event) => add(event),
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            if !themes_watched && themes.is_dir() {
                themes_watched = watcher.watch(&themes, RecursiveMode::Recursive).is_ok();
            }
            // Of the library folder itself only `themes/` and `content/` matter.
            batch.paths.retain(|p| {
                p.parent() != Some(root.as_path()) || p == &themes || p.ends_with("content")
            });
            if !batch.paths.is_empty() && batches_tx.send(batch).is_err() {
                return;
            }
        }
    });
    Ok(batches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            "a.md~",
            ".a.md.swp",
            "#a.md#",
            "4913",
            ".hidden",
            "a.md.tmp",
        ] {
            assert!(ignored(Path::new(name)), "{name}");
        }
        assert!(!ignored(Path::new("content/case-studies/a.md")));
    }
}
