//! What is not a regular file: named pipes, sockets and devices in place of `library.yaml`,
//! a document, a data or media file or a theme file (an error each, in bounded time, and
//! the previous site kept), and symbolic links in the theme (never followed).

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::run::{self, command, expect_exit, files_holding, library, listing};
use crate::{BOUND, timed};

/// `lantern build` of `root`, killed and failed if it is still running after [`BOUND`]:
/// a build that opens a named pipe for reading waits for a writer that never comes.
fn within_bound(root: &Path) -> Output {
    let mut child = command()
        .args(["build", "--no-history", "--format", "json", "--root"])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lantern");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let began = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if began.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lantern was still running after {BOUND:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    }
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

fn not_a_file(path: &str, what: &str) -> String {
    format!(
        "{path}:1:1: error[not-a-file]: this is {what}, not a regular file, and is not read (hint: replace it with a regular file, or remove it)"
    )
}

/// A named pipe or a socket in place of `library.yaml`, a document, a data file, a media
/// file or a theme file is an error at its path, the build ends in bounded time, and the
/// site built before stays as it was.
#[test]
fn pipes_and_sockets_are_refused_without_waiting() {
    let root = library("hostile-special-files");
    let content = root.join("content");
    expect_exit(&timed(&root), 0);
    let before = listing(&root.join("public"));

    let static_dir = root.join("themes/default/static");
    fs::create_dir_all(&static_dir).expect("mkdir");
    let pipes = [
        "content/library.yaml",
        "content/interventions/escalation-huddle.md",
        "content/data/pph.csv",
        "themes/default/static/style.css",
    ];
    for at in pipes {
        let _ = fs::remove_file(root.join(at));
        mkfifo(&root.join(at));
    }
    let _socket = std::os::unix::net::UnixListener::bind(content.join("media/ward-plan.png"))
        .expect("bind a socket");
    let out = within_bound(&root);
    let found = expect_exit(&out, 1);
    let fifo = "a named pipe (FIFO)";
    for expected in [
        not_a_file("content/library.yaml", fifo),
        not_a_file("content/interventions/escalation-huddle.md", fifo),
        not_a_file("content/data/pph.csv", fifo),
        not_a_file("content/media/ward-plan.png", "a socket"),
        not_a_file("themes/default/static/style.css", fifo),
    ] {
        assert!(found.contains(&expected), "{expected} in {found:#?}");
    }
    assert_eq!(
        listing(&root.join("public")),
        before,
        "the last site changed"
    );
}

/// A linked `themes/`, `themes/default/`, `templates/` or `static/`, and a link inside
/// them, are not followed: a warning each, the built-in file is used instead, and nothing
/// they point at is published.
#[test]
fn theme_symlinks_are_never_followed() {
    use std::os::unix::fs::symlink;
    let container = run::scratch("hostile-theme-links");
    let root = container.join("library");
    run::copy_tree(
        &library("hostile-theme-links-fixture").join("content"),
        &root.join("content"),
    );
    let outside = container.join("outside");
    let secret = "SECRET-FROM-OUTSIDE-THE-LIBRARY";
    for dir in ["static", "templates", "default/static", "default/templates"] {
        fs::create_dir_all(outside.join(dir)).expect("mkdir");
    }
    for file in ["static/style.css", "default/static/style.css", "key.txt"] {
        fs::write(outside.join(file), format!("/* {secret} */\n")).expect("write");
    }
    let page = format!("<!doctype html><title>{secret}</title><p>{secret}</p>\n");
    for file in ["templates/base.html", "default/templates/base.html"] {
        fs::write(outside.join(file), &page).expect("write");
    }
    let warning = |at: &str| {
        format!(
            "{at}:1:1: warning[symlink]: symbolic links in the theme are not followed (hint: copy the files into the theme instead of linking to them)"
        )
    };
    let check = |links: &[(&str, &str)]| {
        let _ = fs::remove_dir_all(root.join("themes"));
        for (at, to) in links {
            let at = root.join(at);
            fs::create_dir_all(at.parent().expect("parent")).expect("mkdir");
            symlink(outside.join(to), at).expect("symlink");
        }
        let found = expect_exit(&timed(&root), 0);
        let expected: Vec<String> = links.iter().map(|(at, _)| warning(at)).collect();
        assert_eq!(found, expected);
        assert_eq!(
            files_holding(&root.join("public"), secret),
            Vec::<std::path::PathBuf>::new(),
            "{links:?}"
        );
        let css = fs::read_to_string(root.join("public/assets/style.css")).expect("css");
        assert!(css.len() > 1000, "the built-in stylesheet is used");
    };
    check(&[("themes", ".")]);
    check(&[("themes/default", "default")]);
    check(&[
        ("themes/default/static", "static"),
        ("themes/default/templates", "templates"),
    ]);
    check(&[
        ("themes/default/static/fonts/key.txt", "key.txt"),
        ("themes/default/static/style.css", "static/style.css"),
        ("themes/default/templates/base.html", "templates/base.html"),
    ]);
}
