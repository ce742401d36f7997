//! A build killed at any moment leaves `public/` as the old build or the new one, whole,
//! never a mixture: the output stage fills a sibling folder and swaps it in.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[path = "common/files.rs"]
mod files;
use files::{copy_tree, scratch};

fn lantern(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_lantern"));
    command
        .args(["build", "--no-history", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Every file of the built site (what lantern keeps for itself left out), by path.
fn site(public: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(public)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(public).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (!rel.starts_with(".lantern") && rel != ".gitignore")
                .then(|| (rel, fs::read(e.path()).unwrap_or_default()))
        })
        .collect()
}

/// A small deterministic generator, so that a failure can be run again.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn a_build_killed_at_twenty_moments_leaves_public_whole() {
    let root = scratch("kill");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-basic/content"),
        &root.join("content"),
    );
    let public = root.join("public");
    // The old site, and the new one the killed builds are making.
    assert!(lantern(&root).status().expect("build").success());
    let old = site(&public);
    let doc = root.join("content/interventions/qbl-bundle.md");
    let text = fs::read_to_string(&doc).expect("read");
    fs::write(&doc, text.replacen("title: ", "title: Renamed ", 1)).expect("write");
    let reference = scratch("kill-reference");
    copy_tree(&root.join("content"), &reference.join("content"));
    let began = Instant::now();
    assert!(lantern(&reference).status().expect("build").success());
    let build_time = began.elapsed();
    let new = site(&reference.join("public"));
    assert_ne!(old, new, "the edit changes the site");

    // Each killed build aims at the other site than the one in public/, so that a mixture
    // of the two would show.
    let versions = [text.clone(), text.replacen("title: ", "title: Renamed ", 1)];
    let sites = [old, new];
    let mut random = Lcg(2026);
    let window = build_time.as_micros() as u64 * 2;
    let mut kinds = (0, 0);
    for moment in 0..20 {
        let before = site(&public);
        let aim = usize::from(before == sites[0]);
        fs::write(&doc, &versions[aim]).expect("write");
        let mut child = lantern(&root).spawn().expect("start a build");
        std::thread::sleep(Duration::from_micros(random.below(window)));
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        let now = site(&public);
        if now == before {
            kinds.0 += 1;
        } else if now == sites[aim] {
            kinds.1 += 1;
        } else {
            let differ: Vec<&String> = now
                .keys()
                .chain(sites[aim].keys())
                .filter(|k| now.get(*k) != sites[aim].get(*k) && now.get(*k) != before.get(*k))
                .take(5)
                .collect();
            panic!("killed at moment {moment}, public/ is neither build: {differ:?}");
        }
    }
    // A build after all that still completes.
    fs::write(&doc, &versions[1]).expect("write");
    assert!(lantern(&root).status().expect("build").success());
    assert_eq!(site(&public), sites[1]);
    eprintln!(
        "killed 20 builds: {} left the site as it was, {} had finished",
        kinds.0, kinds.1
    );
    assert!(kinds.0 > 0, "no kill landed while a build was running");
}
