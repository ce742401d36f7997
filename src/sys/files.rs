//! Opening the library's files: regular files only, and never in a way that can wait.
//!
//! In: a path. Out: the open file with its size, or what the path is when it is not a
//! regular file (a named pipe, a socket, a device, a folder, a symbolic link). Opening a
//! named pipe for reading waits for a writer, so the type is checked before opening; the
//! open itself neither follows a symbolic link nor waits (`O_NOFOLLOW | O_NONBLOCK`), and
//! the opened file's own type is checked again, so that a file swapped for a pipe between
//! the check and the open cannot hang a build either. Reads only what it is asked to
//! ([`read_regular`]).

use std::fs::{self, File, FileType, OpenOptions};
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// What opening a path found.
#[derive(Debug)]
pub enum Opened {
    /// A regular file, open for reading, and its size in bytes.
    File(File, u64),
    /// Something else, said as "a named pipe (FIFO)", "a socket"...
    Not(&'static str),
}

/// Opens `path` for reading if it is a regular file, without following a symbolic link
/// and without waiting for anything.
pub fn open(path: &Path) -> io::Result<Opened> {
    if let Some(what) = special(&fs::symlink_metadata(path)?.file_type()) {
        return Ok(Opened::Not(what));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)?;
    let meta = file.metadata()?;
    Ok(match special(&meta.file_type()) {
        Some(what) => Opened::Not(what),
        None => Opened::File(file, meta.len()),
    })
}

/// Opens `path` as [`open`] does, taking anything but a regular file as an error
/// (`InvalidInput`, saying what it is).
pub fn open_regular(path: &Path) -> io::Result<(File, u64)> {
    match open(path)? {
        Opened::File(file, len) => Ok((file, len)),
        Opened::Not(what) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{what}, not a regular file"),
        )),
    }
}

/// The bytes of `path` if it is a regular file, opened as [`open`] does.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let (file, size) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(size).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What a file type is when it is not a regular file.
pub fn special(file_type: &FileType) -> Option<&'static str> {
    Some(if file_type.is_file() {
        return None;
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_regular_files_and_names_the_rest() {
        let dir = std::env::temp_dir().join(format!("lantern-files-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("mkdir");
        fs::write(dir.join("a.md"), "text").expect("write");
        std::os::unix::fs::symlink(dir.join("a.md"), dir.join("link.md")).expect("symlink");
        let _socket = std::os::unix::net::UnixListener::bind(dir.join("s")).expect("bind");
        assert!(matches!(open(&dir.join("a.md")), Ok(Opened::File(_, 4))));
        for (name, what) in [
            ("link.md", "a symbolic link"),
            ("s", "a socket"),
            (".", "a folder"),
        ] {
            match open(&dir.join(name)) {
                Ok(Opened::Not(found)) => assert_eq!(found, what),
                other => panic!("{name}: {other:?}"),
            }
        }
        let err = open_regular(&dir.join("s")).expect_err("a socket");
        assert_eq!(err.to_string(), "a socket, not a regular file");
        let _ = fs::remove_dir_all(&dir);
    }
}
