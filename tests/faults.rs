//! Faults of the machine rather than of the content: an output disk that fills up and an
//! output folder that cannot be written are a clear error (exit 2, naming the output
//! folder) that leaves `public/` exactly as it was and removes what the build wrote, so
//! that the next build that fits succeeds; a document that cannot be read is a diagnostic at
//! its path. The tests run as root, which permissions do not bind, so they run lantern as
//! the unprivileged user `nobody` (setpriv), and fill a small disk of their own (a tmpfs
//! mounted in a private mount namespace, with unshare). Where those tools cannot work they
//! say so and stop, except under `CI=true`, where that is a failure.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[path = "common/run.rs"]
mod run;
use run::{copy_tree, expect_exit, listing};

/// A folder of the system's temporary folder, removed with everything in it when dropped.
struct Temporary(PathBuf);

impl Drop for Temporary {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// A folder that the user `nobody` can reach, with a copy of the fixture library and of
/// lantern itself (the build folder may sit where only root can go).
fn reachable(name: &str) -> (PathBuf, PathBuf, Temporary) {
    let dir = std::env::temp_dir().join(format!("lantern-fault-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("mkdir");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-basic");
    let root = dir.join("library");
    copy_tree(&fixture.join("content"), &root.join("content"));
    let binary = dir.join("lantern");
    // Copied by `cp`, not by this process: a file this process holds open for writing is
    // inherited by any child another test thread forks meanwhile, and running the copy
    // while such a child still has it open fails with "Text file busy".
    let copied = Command::new("cp")
        .arg(env!("CARGO_BIN_EXE_lantern"))
        .arg(&binary)
        .status()
        .expect("run cp");
    assert!(copied.success(), "copy lantern");
    (root, binary, Temporary(dir))
}

/// Whether `command` works here; otherwise says why the test stops, and fails under CI.
fn available(what: &str, command: &mut Command) -> bool {
    let works = command.output().is_ok_and(|o| o.status.success());
    if !works {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{what} is needed under CI"
        );
        eprintln!("skipped: {what} does not work on this machine");
    }
    works
}

/// `lantern ARGS` as the user `nobody`.
fn as_nobody(binary: &Path, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(binary)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .output()
        .expect("run setpriv")
}

fn can_drop_privileges() -> bool {
    let mut probe = Command::new("setpriv");
    probe.args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"]);
    available("setpriv (util-linux), as root", &mut probe)
}

fn build(binary: &Path, root: &Path, out: &Path) -> Output {
    Command::new(binary)
        .args(["build", "--no-history", "--format", "json", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .output()
        .expect("run lantern")
}

/// Changes the fixture so that a new build would change every page.
fn rename_library(root: &Path) {
    let config = root.join("content/library.yaml");
    let text = fs::read_to_string(&config).expect("config");
    fs::write(&config, text.replacen("title: ", "title: Renamed ", 1)).expect("write");
}

#[test]
fn an_output_folder_that_cannot_be_written_leaves_public_as_it_was() {
    if !can_drop_privileges() {
        return;
    }
    let (root, binary, _dir) = reachable("not-writable");
    let out = root.join("site/public");
    expect_exit(&build(&binary, &root, &out), 0);
    let before = listing(&out);
    rename_library(&root);
    let out_arg = out.to_string_lossy().into_owned();
    let root_arg = root.to_string_lossy().into_owned();
    let args = [
        "build",
        "--no-history",
        "--root",
        &root_arg,
        "--out",
        &out_arg,
    ];
    let result = as_nobody(&binary, &args);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    let staging = root.join("site/.public.lantern-new");
    let expected = format!(
        "error: could not write the site to {}\n  caused by: Permission denied (os error 13)\n",
        out.display()
    );
    assert_eq!(stderr, expected);
    assert_eq!(listing(&out), before, "public/ changed");
    assert!(!staging.exists());
}

#[test]
fn an_output_disk_that_fills_up_leaves_public_as_it_was_and_the_next_build_fits() {
    let (root, binary, _dir) = reachable("disk-full");
    let disk = root.parent().expect("parent").join("disk");
    fs::create_dir_all(&disk).expect("mkdir");
    let mut probe = Command::new("unshare");
    probe.args(["-m", "mount", "-t", "tmpfs", "-o", "size=64k", "probe"]);
    if !available(
        "a tmpfs in a private mount namespace (unshare -m, as root)",
        probe.arg(&disk),
    ) {
        return;
    }
    // The site before: what a small disk holds, with 256 KB to spare for the new one.
    let public = root.join("public");
    expect_exit(&build(&binary, &root, &public), 0);
    let before = listing(&public);
    let used: u64 = walkdir::WalkDir::new(&public)
        .into_iter()
        .flatten()
        .map(|e| {
            e.metadata()
                .map_or(0, |m| m.len().div_ceil(4096) * 4096 + 4096)
        })
        .sum();
    // A new document of 1.5 MB does not fit; once it is gone again, the next build does.
    let words = "Weighing every swab, every birth. ".repeat(45_000);
    let page = format!("---\ntitle: Large\n---\n\n{words}\n");
    let large = root.join("content/pages/large.md");
    fs::write(&large, page).expect("write");
    let after = root.parent().expect("parent").join("after");
    let script = r#"mount -t tmpfs -o size="$1" lantern-test "$2" && cp -a "$3" "$2/public" || exit 99
"$4" build --no-history --root "$5" --out "$2/public"; code=$?
cp -a "$2/public" "$6" || exit 98
echo "left: $(ls -A "$2" | tr '\n' ' ')"
rm "$7" && "$4" build --no-history --root "$5" --out "$2/public" 2>/dev/null; echo "next: $?"
exit $code"#;
    let result = Command::new("unshare")
        .args(["-m", "sh", "-c", script, "sh"])
        .arg((used + 256 * 1024).to_string())
        .args([&disk, &public, &binary, &root, &after, &large])
        .env("SOURCE_DATE_EPOCH", "1748736000")
        .output()
        .expect("run unshare");
    let stderr = String::from_utf8_lossy(&result.stderr);
    let stdout = String::from_utf8_lossy(&result.stdout);
    assert_eq!(result.status.code(), Some(2), "{stderr}");
    // The error names the folder asked for, not the one beside it that is gone.
    assert_eq!(
        stderr,
        format!(
            "error: could not write the site to {}/public\n  caused by: No space left on device (os error 28)\n",
            disk.display()
        )
    );
    assert_eq!(listing(&after), before, "public/ changed");
    assert!(
        stdout.contains("left: public \n"),
        "the failed build left what it wrote: {stdout}"
    );
    assert!(
        stdout.contains("next: 0\n"),
        "the next build failed: {stdout}"
    );
}

#[test]
fn a_document_data_file_or_folder_that_cannot_be_read_is_a_diagnostic() {
    if !can_drop_privileges() {
        return;
    }
    let (root, binary, _dir) = reachable("unreadable");
    let content = root.join("content");
    for locked in ["pages/about.md", "data/pph.csv", "case-studies"] {
        fs::set_permissions(content.join(locked), fs::Permissions::from_mode(0o000))
            .expect("chmod");
    }
    let root_arg = root.to_string_lossy().into_owned();
    let out = as_nobody(&binary, &["check", "--root", &root_arg, "--format", "json"]);
    let found = expect_exit(&out, 1);
    let hint = "(hint: make it readable by the user that runs lantern, or remove it)";
    for expected in [
        format!(
            "content/case-studies:1:1: error[unreadable]: the folder cannot be read: permission denied {hint}"
        ),
        format!(
            "content/data/pph.csv:1:1: error[unreadable]: the file cannot be read: permission denied {hint}"
        ),
        format!(
            "content/pages/about.md:1:1: error[unreadable]: the file cannot be read: permission denied {hint}"
        ),
    ] {
        assert!(found.contains(&expected), "{expected} not in {found:#?}");
    }
}
