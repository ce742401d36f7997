//! The output stage on a scratch folder: replacing its own output only, writing over files
//! exactly, and a reused folder that never changes the live site.

use std::fs;

use super::*;

fn file(path: &str, text: &str) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.as_bytes().to_vec()),
    }
}

#[test]
fn replaces_its_own_output_and_refuses_other_folders() {
    let dir = std::env::temp_dir().join(format!("lantern-output-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let out = dir.join("public");
    write(&out, &[file("a/index.html", "one")]).expect("first build");
    write(&out, &[file("b/index.html", "two")]).expect("second build");
    assert!(!out.join("a/index.html").exists());
    assert_eq!(
        fs::read_to_string(out.join("b/index.html")).ok().as_deref(),
        Some("two")
    );
    let other = dir.join("notes");
    fs::create_dir_all(&other).expect("mkdir");
    fs::write(other.join("keep.txt"), "mine").expect("write");
    assert!(write(&other, &[file("x.html", "x")]).is_err());
    assert!(other.join("keep.txt").exists());
    assert!(write(&out, &[file("../escape.html", "x")]).is_err());
    assert!(out.join("b/index.html").exists());
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_file_written_over_holds_exactly_the_new_bytes() {
    let dir = std::env::temp_dir().join(format!("lantern-over-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("page.html");
    for text in [
        "a longer first text",
        "short",
        "",
        "longer again than short",
    ] {
        write_over(&path, text.as_bytes()).expect("write");
        assert_eq!(fs::read_to_string(&path).expect("read"), text);
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_reused_folder_never_changes_the_live_site_and_ends_exact() {
    let dir = std::env::temp_dir().join(format!("lantern-reuse-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    let out = dir.join("public");
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap_or_default();
    write(
        &out,
        &[
            file("p/index.html", "one"),
            file("gone.html", "x"),
            file("f", "a file"),
        ],
    )
    .expect("first build");
    // The second build keeps `p` from the first: both folders share its file.
    let mut second = Staging::begin(&out).expect("second");
    let keep = OutputFile {
        path: "p/index.html".to_string(),
        contents: Contents::Keep(out.join("p/index.html")),
    };
    second
        .put(vec![keep, file("f", "still a file")])
        .expect("put");
    second.finish().expect("finish");
    let aside = dir.join(".public.lantern-old");
    assert!(
        fs::read_to_string(aside.join(".gitignore"))
            .expect("ignore")
            .contains("\n*\n")
    );
    // The third build reuses the first's folder, which shares `p` with the live site.
    let mut third = Staging::begin(&out).expect("third");
    third
        .put(vec![
            file("p/index.html", "two"),
            file("f/index.html", "now a folder"),
        ])
        .expect("put");
    assert_eq!(
        read("p/index.html"),
        "one",
        "the live site is untouched until the swap"
    );
    third.finish().expect("finish");
    assert_eq!(read("p/index.html"), "two");
    assert_eq!(read("f/index.html"), "now a folder");
    assert!(
        !out.join("gone.html").exists(),
        "files not written this time are gone"
    );
    let mut names: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&out)
                .expect("inside")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".gitignore",
            ".lantern-build",
            "f/index.html",
            "p/index.html"
        ]
    );
    let _ = fs::remove_dir_all(&dir);
}
