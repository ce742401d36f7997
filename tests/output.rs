//! The output stage trusts nothing it finds on disk. What a poisoned cache or a pull
//! request could leave in and beside the output folder — symbolic links at the names
//! lantern keeps beside it, links and stray files planted in the folder a build reuses,
//! lists that name files outside, pages changed since they were written, a damaged or
//! hostile history cache, a pipe where a file should be — never makes a build follow a
//! link, write or delete outside, publish what it did not build or hang: each build here
//! gives exactly the site a fresh build gives, and someone else's files stay as they were.
//! An output folder where the build reads is refused.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "common/repo.rs"]
mod repo;
#[path = "common/run.rs"]
mod run;
use run::{command, copy_tree, expect_exit, library, listing};

/// Far more than any build here takes, and far less than what a hang would.
const BOUND: Duration = Duration::from_secs(120);

/// A folder of someone else's files, outside the library, that no build may touch; with
/// `marked`, it also holds lantern's marker, so that it looks like a site lantern built.
fn victim(name: &str, marked: bool) -> PathBuf {
    let dir = run::scratch(name);
    fs::write(
        dir.join("safety-champions-minutes.txt"),
        "Maternity safety champions — minutes of the March meeting. Not for publication.\n",
    )
    .expect("write");
    fs::create_dir_all(dir.join("b")).expect("mkdir");
    fs::write(
        dir.join("b/ward-b-handover.txt"),
        "Ward B handover: two women on the induction pathway, one awaiting a bed on delivery suite.\n",
    )
    .expect("write");
    if marked {
        fs::write(dir.join(".lantern-build"), "not really\n").expect("write");
    }
    dir
}

/// `lantern build` of `root` without history into `out`, stopped and failed if it runs
/// past [`BOUND`].
fn build_into(root: &Path, out: &Path, history: bool) -> Output {
    let mut lantern = command();
    lantern
        .args(["build", "--format", "json", "--root"])
        .arg(root);
    lantern.arg("--out").arg(out);
    if !history {
        lantern.arg("--no-history");
    }
    bounded(lantern)
}

/// Runs `command` to its end, polling it so that a hang fails the test after [`BOUND`].
fn bounded(mut command: Command) -> Output {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lantern");
    let began = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if began.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!("lantern was still running after {BOUND:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file, folder and link of a built site (links as such), with its contents' hash;
/// the history cache, whose order of entries may vary, left out.
fn site(dir: &Path) -> BTreeMap<String, u64> {
    let mut site = listing(dir);
    site.remove(".lantern-history");
    site
}

/// The site a fresh build of `root` gives, in a folder of its own.
fn fresh(root: &Path, history: bool) -> BTreeMap<String, u64> {
    let out = root.join(format!("fresh-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    expect_exit(&build_into(root, &out, history), 0);
    let site = site(&out);
    fs::remove_dir_all(&out).expect("remove the fresh build");
    site
}

/// A copy of the `valid-basic` library in a git repository of its own, one commit, so
/// that its documents have pages of the past for a later build to keep.
fn repository(name: &str) -> PathBuf {
    let root = repo::scratch(name);
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-basic");
    copy_tree(&fixture.join("content"), &root.join("content"));
    repo::git(&root, &["init", "-q", "-b", "main"]);
    repo::commit(&root, "Amara Okafor", 3, "Add the library");
    root
}

#[test]
fn a_link_at_the_names_kept_beside_the_output_is_removed_never_followed() {
    let root = library("output-linked-beside");
    let public = root.join("public");
    expect_exit(&build_into(&root, &public, false), 0);
    let built = site(&public);

    // The folder set aside for reuse, linked to a folder that looks like lantern's.
    let marked = victim("output-linked-beside-old", true);
    let before = listing(&marked);
    let old = root.join(".public.lantern-old");
    symlink(&marked, &old).expect("link");
    let out = build_into(&root, &public, false);
    expect_exit(&out, 0);
    assert_eq!(listing(&marked), before, "a build wrote through {old:?}");
    let note = format!(
        "note: {} was a symbolic link: removed the link, not what it points to\n",
        old.display()
    );
    assert!(stderr(&out).starts_with(&note), "{}", stderr(&out));
    assert_eq!(site(&public), built);

    // The folder the next build is written in, linked to a folder of someone's files.
    let plain = victim("output-linked-beside-new", false);
    let before = listing(&plain);
    let new = root.join(".public.lantern-new");
    symlink(&plain, &new).expect("link");
    expect_exit(&build_into(&root, &public, false), 0);
    assert_eq!(listing(&plain), before, "a build wrote through {new:?}");
    assert_eq!(site(&public), built);
    for dir in [&old, &new] {
        assert!(!dir.is_symlink(), "{dir:?} is still a link");
    }
}

#[test]
fn an_output_folder_that_is_a_link_is_refused() {
    let root = library("output-linked-out");
    let marked = victim("output-linked-out-target", true);
    let before = listing(&marked);
    let public = root.join("public");
    symlink(&marked, &public).expect("link");
    for _ in 0..2 {
        let out = build_into(&root, &public, false);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: refusing to write the site to {}: it is a symbolic link, and lantern replaces the output folder whole; give --out the folder it points to\n",
                public.display()
            )
        );
    }
    assert_eq!(listing(&marked), before);
    assert!(public.is_symlink(), "the link itself is left to its owner");
}

#[test]
fn a_reused_folder_is_never_written_through_and_holds_nothing_stray() {
    let root = library("output-planted");
    let public = root.join("public");
    expect_exit(&build_into(&root, &public, false), 0);
    expect_exit(&build_into(&root, &public, false), 0);
    let old = root.join(".public.lantern-old");
    assert!(
        old.join(".lantern-build").is_file(),
        "the first build is set aside"
    );
    let target = victim("output-planted-target", false);
    let before = listing(&target);
    // In the folder the next build reuses: a folder of the site (the search index's)
    // linked to someone's files, a page linked to a file of theirs, a link out, a page
    // with a script and a pipe, none of which that build writes.
    fs::remove_dir_all(old.join("search")).expect("remove");
    symlink(&target, old.join("search")).expect("link");
    fs::remove_file(old.join("index.html")).expect("remove");
    let minutes = target.join("safety-champions-minutes.txt");
    symlink(&minutes, old.join("index.html")).expect("link");
    symlink(&minutes, old.join("minutes.txt")).expect("link");
    fs::write(
        old.join("about/offer.html"),
        "<p>Claim your voucher</p><script>location='https://example.com/'</script>",
    )
    .expect("write");
    Planted::Pipe.at(&old.join("assets/pipe"));

    expect_exit(&build_into(&root, &public, false), 0);
    assert_eq!(
        listing(&target),
        before,
        "a build wrote through a planted link"
    );
    assert_eq!(
        site(&public),
        fresh(&root, false),
        "the site is not a fresh build's"
    );
}

#[test]
fn a_list_left_in_a_reused_folder_never_names_a_file_to_delete() {
    let root = library("output-list");
    let public = root.join("public");
    let target = victim("output-list-target", false);
    let before = listing(&target);
    let name = target.file_name().expect("name").to_string_lossy();
    let hash = "0".repeat(64);
    // Lists in the form each version of lantern wrote, naming someone's files by a path
    // that leaves the folder and by an absolute one.
    let lists = [
        format!(
            "lantern pages 1\n- - ../../{name}/safety-champions-minutes.txt\n- - {}\n",
            target.join("b/ward-b-handover.txt").display()
        ),
        format!(
            "lantern pages 2\n0000000000000001 {hash} ../../{name}/safety-champions-minutes.txt\n0000000000000001 {hash} {}\n",
            target.join("b/ward-b-handover.txt").display()
        ),
    ];
    expect_exit(&build_into(&root, &public, false), 0);
    for list in lists {
        expect_exit(&build_into(&root, &public, false), 0);
        let old = root.join(".public.lantern-old");
        fs::write(old.join(".lantern-pages"), &list).expect("write");
        fs::write(public.join(".lantern-pages"), &list).expect("write");
        expect_exit(&build_into(&root, &public, false), 0);
        assert_eq!(
            listing(&target),
            before,
            "a build deleted what {list:?} named"
        );
    }
    assert_eq!(site(&public), fresh(&root, false));
}

#[test]
fn a_kept_page_that_changed_on_disk_is_made_again() {
    let root = repository("output-tampered");
    let public = root.join("public");
    expect_exit(&build_into(&root, &public, true), 0);
    let pages = [
        "case-studies/weighing-every-birth/v1/index.html",
        "interventions/qbl-bundle/v1/index.html",
        "evaluations/qbl-evaluation/v2/index.html",
    ];
    let inode = |path: &str| fs::symlink_metadata(public.join(path)).map(|m| m.ino());
    let untouched = inode(pages[2]).expect("a version page");
    // One page gains a script; another becomes a link to someone's file.
    let first = public.join(pages[0]);
    let html = fs::read_to_string(&first).expect("page");
    let injected = html.replacen(
        "<main",
        "<script>fetch('https://example.com/')</script><main",
        1,
    );
    fs::write(&first, injected).expect("write");
    let target = victim("output-tampered-target", false);
    fs::remove_file(public.join(pages[1])).expect("remove");
    symlink(
        target.join("safety-champions-minutes.txt"),
        public.join(pages[1]),
    )
    .expect("link");

    expect_exit(&build_into(&root, &public, true), 0);
    assert_eq!(
        site(&public),
        fresh(&root, true),
        "the site is not a fresh build's"
    );
    assert!(
        !fs::read_to_string(public.join(pages[0]))
            .expect("page")
            .contains("<script>fetch"),
        "the changed page was kept"
    );
    assert!(fs::symlink_metadata(public.join(pages[1])).is_ok_and(|m| m.is_file()));
    assert_eq!(
        inode(pages[2]).ok(),
        Some(untouched),
        "a page as it was written is still kept, not made again"
    );
}

/// What a test leaves where lantern expects a file of its own.
enum Planted {
    Text(String),
    Link(PathBuf),
    Pipe,
}

impl Planted {
    fn at(&self, path: &Path) {
        match self {
            Planted::Text(text) => fs::write(path, text).expect("write"),
            Planted::Link(to) => symlink(to, path).expect("link"),
            Planted::Pipe => {
                let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
                assert!(made.success(), "mkfifo");
            }
        }
    }
}

#[test]
fn a_damaged_or_hostile_history_cache_is_read_again_from_git() {
    let root = repository("output-history-cache");
    let public = root.join("public");
    expect_exit(&build_into(&root, &public, true), 0);
    let expected = fresh(&root, true);
    let cache = public.join(".lantern-history");
    let text = fs::read_to_string(&cache).expect("the history cache");
    let head = repo::git(&root, &["rev-parse", "HEAD"]).trim().to_string();
    assert!(text.contains(&format!("\"commit\":\"{head}\"")), "{text}");
    // Forged history somewhere else, for a link to point at.
    let forged = run::scratch("output-history-cache-forged").join("history.json");
    fs::write(
        &forged,
        text.replace("Amara Okafor", "Mallory")
            .replace("Add the library", "Forged"),
    )
    .expect("write");
    let revision = |commit: &str| {
        text.replace(
            &format!("\"commit\":\"{head}\""),
            &format!("\"commit\":\"{commit}\""),
        )
    };
    let hostile = [
        (
            "a commit id that is not hex",
            Planted::Text(revision("ééééééééé")),
        ),
        ("a commit id cut short", Planted::Text(revision("abc"))),
        ("a link to a forged history", Planted::Link(forged)),
        ("a pipe", Planted::Pipe),
    ];
    for (what, planted) in hostile {
        fs::remove_file(&cache).expect("remove");
        planted.at(&cache);
        let out = build_into(&root, &public, true);
        expect_exit(&out, 0);
        assert_eq!(site(&public), expected, "after {what}");
        assert!(
            fs::symlink_metadata(&cache).is_ok_and(|m| m.is_file()),
            "after {what}"
        );
    }
}

#[test]
fn a_pipe_where_the_list_of_pages_should_be_is_passed_over() {
    let root = library("output-pipe");
    let public = root.join("public");
    expect_exit(&build_into(&root, &public, false), 0);
    let list = public.join(".lantern-pages");
    fs::remove_file(&list).expect("remove");
    Planted::Pipe.at(&list);
    expect_exit(&build_into(&root, &public, false), 0);
    assert_eq!(site(&public), fresh(&root, false));
}

#[test]
fn an_output_folder_where_the_build_reads_is_refused() {
    let root = library("output-place");
    fs::create_dir_all(root.join("themes/default/static")).expect("mkdir");
    fs::create_dir_all(root.join(".git")).expect("mkdir");
    symlink(root.join("content"), root.join("documents")).expect("link");
    let before = listing(&root);
    let inside = |what: &str, folder: &str| {
        format!("it is inside the library's {what} folder ({folder}/), which the build reads")
    };
    let cases = [
        ("content/site", inside("documents", "content")),
        ("content", inside("documents", "content")),
        ("documents/site", inside("documents", "content")),
        ("drafts/../content/site", inside("documents", "content")),
        ("themes/default/static", inside("theme", "themes")),
        (".", "it is the library folder or holds it".to_string()),
        ("..", "it is the library folder or holds it".to_string()),
        (
            ".git/site",
            "it is inside a .git folder, which holds the library's history".to_string(),
        ),
    ];
    for (out, why) in &cases {
        for action in ["build", "check"] {
            let result = bounded({
                let mut lantern = command();
                lantern.current_dir(&root);
                lantern.args([action, "--no-history", "--out", out]);
                lantern
            });
            assert_eq!(result.status.code(), Some(2), "{out}: {}", stderr(&result));
            assert_eq!(
                stderr(&result),
                format!(
                    "error: refusing to write the site to {out}: {why}; choose an --out outside the library's content/, themes/ and .git, such as public/ beside content/ (the default)\n"
                ),
            );
        }
    }
    assert_eq!(listing(&root), before, "a refused build wrote something");
    // Beside content/, under any name, is where a site goes.
    expect_exit(&build_into(&root, &root.join("site"), false), 0);
}
