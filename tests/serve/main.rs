//! `lantern serve` as a writer uses it: the real binary on port 0 over a copy of a fixture
//! library, spoken to with plain HTTP. Edits show up, broken front matter puts the errors
//! over the last good build until fixed, template edits re-render, escapes from the site
//! get 404, and many requests during rebuilds all get whole answers. `holds.rs`: what the
//! server refuses (other hosts, overlong or broken heads, slow clients, a full pool).

mod holds;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/files.rs"]
mod files;
use files::{copy_tree, scratch};

/// A running `lantern serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    root: PathBuf,
    /// What the server has said since it started listening.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(name: &str) -> Server {
    start_with(name, None)
}

/// Starts `lantern serve`, allowed at most `open_files` open files when given.
fn start_with(name: &str, open_files: Option<u32>) -> Server {
    let root = scratch(name);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid-basic/content"),
        &root.join("content"),
    );
    let lantern = env!("CARGO_BIN_EXE_lantern");
    let mut command = match open_files {
        Some(n) => {
            let mut sh = Command::new("sh");
            sh.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(lantern);
            sh
        }
        None => Command::new(lantern),
    };
    let mut child = command
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("run lantern serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("serve says where it listens")
            .expect("line");
        if let Some(rest) = line.strip_prefix("serving at http://") {
            break rest.split('/').next().unwrap_or_default().to_string();
        }
    };
    // Keep reading the log, so that the server never blocks on a full pipe.
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = log.clone();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Ok(mut log) = kept.lock() {
                log.push(line);
            }
        }
    });
    assert!(
        address.starts_with("127.0.0.1:"),
        "binds to loopback: {address}"
    );
    Server {
        child,
        address,
        root,
        log,
    }
}

/// `GET target` with the target sent exactly as given: status, headers and body.
fn get(address: &str, target: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let body = response[split + 4..].to_vec();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

fn page(server: &Server, target: &str) -> String {
    let (status, _, body) = get(&server.address, target);
    assert_eq!(status, 200, "{target}");
    String::from_utf8_lossy(&body).into_owned()
}

/// Waits until the page at `target` satisfies `test`, or fails after 20 seconds.
fn until(server: &Server, target: &str, what: &str, test: impl Fn(&str) -> bool) {
    let start = Instant::now();
    loop {
        if test(&page(server, target)) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "never: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

const DOC: &str = "content/interventions/qbl-bundle.md";
const PAGE: &str = "/interventions/qbl-bundle/index.html";

fn edit(server: &Server, path: &str, from: &str, to: &str) {
    let file = server.root.join(path);
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(text.contains(from), "{path} has no {from:?}");
    std::fs::write(&file, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn an_edit_shows_and_errors_cover_the_last_good_build_until_fixed() {
    let server = start("serve-edit");
    let before = page(&server, PAGE);
    assert!(
        before.contains("/__lantern/live.js"),
        "the reload script is in"
    );
    assert!(!before.contains("Weighed at the bedside"));
    // The event stream says when to reload.
    let mut events = TcpStream::connect(&server.address).expect("connect");
    write!(
        events,
        "GET /__lantern/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.address
    )
    .expect("send");
    events
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut events = BufReader::new(events);
    let mut line = String::new();
    events.read_line(&mut line).expect("status line");
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    edit(
        &server,
        DOC,
        "## Results",
        "Weighed at the bedside.\n\n## Results",
    );
    let mut seen = String::new();
    while !seen.contains("event: reload") {
        line.clear();
        if events.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        seen.push_str(&line);
    }
    assert!(seen.contains("event: reload"), "{seen}");
    until(&server, PAGE, "the edit shows", |p| {
        p.contains("Weighed at the bedside")
    });
    // A change to the text alone re-renders that page alone (the log says so just after).
    let start = Instant::now();
    loop {
        let said = server.log.lock().map(|l| l.join("\n")).unwrap_or_default();
        if said.contains("re-rendered its page") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{said}");
        std::thread::sleep(Duration::from_millis(20));
    }
    // And the search index catches up once the writer pauses.
    let start = Instant::now();
    let meta = |s: &Server| page(s, "/search/meta.js");
    let before = meta(&server);
    edit(
        &server,
        DOC,
        "Weighed at the bedside.",
        "Weighed at the bedside, every time, by two midwives.",
    );
    while meta(&server) == before {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the search index never caught up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // Broken front matter: the last good build stays, with the errors over it.
    edit(&server, DOC, "title:", "titel:");
    until(&server, PAGE, "the overlay shows", |p| {
        p.contains("lantern-errors") && p.contains("unknown field")
    });
    assert!(
        page(&server, "/").contains("lantern-errors"),
        "on every page"
    );
    assert!(page(&server, PAGE).contains("Weighed at the bedside"));
    edit(&server, DOC, "titel:", "title:");
    until(&server, PAGE, "the overlay goes", |p| {
        !p.contains("lantern-errors")
    });
}

#[test]
fn a_template_edit_re_renders_every_page() {
    let server = start("serve-template");
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html");
    let text = std::fs::read_to_string(base).expect("base template");
    let marked = text.replacen("<body", "<body data-edited=\"yes\"", 1);
    assert_ne!(marked, text);
    let target = server.root.join("themes/default/templates/base.html");
    std::fs::create_dir_all(target.parent().expect("folder")).expect("mkdir");
    std::fs::write(target, marked).expect("write");
    until(&server, PAGE, "the template edit shows", |p| {
        p.contains("data-edited=\"yes\"")
    });
    assert!(page(&server, "/").contains("data-edited=\"yes\""));
}

#[test]
fn nothing_outside_the_site_is_served() {
    let server = start("serve-escape");
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/..%5cCargo.toml",
        "/interventions/../../Cargo.toml",
        "/content/library.yaml",
        "/assets/",
    ] {
        let (status, _, body) = get(&server.address, target);
        assert_eq!(status, 404, "{target}");
        let body = String::from_utf8_lossy(&body);
        assert!(
            !body.contains("[package]") && !body.contains("vocabularies:"),
            "{target}"
        );
    }
    // A page not there yet still listens for the rebuild that brings it.
    let (status, _, body) = get(&server.address, "/interventions/not-yet/index.html");
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("/__lantern/live.js"));
    let (status, head, _) = get(&server.address, "/assets/style.css");
    assert_eq!(status, 200);
    assert!(
        head.to_ascii_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    let (status, head, _) = get(&server.address, "/search");
    assert_eq!(status, 301);
    assert!(head.contains("Location: /search/"), "{head}");
}

/// Every answer says its type and may not be sniffed into another, and an SVG, opened
/// on its own, may load and run nothing.
#[test]
fn what_is_served_is_taken_as_the_type_it_says() {
    let server = start("serve-inert");
    let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><title>Triage flow</title><rect width=\"10\" height=\"10\"/></svg>\n";
    std::fs::write(server.root.join("content/media/triage-flow.svg"), drawing).expect("write");
    let began = Instant::now();
    let svg = loop {
        let answer = get(&server.address, "/media/triage-flow.svg");
        if answer.0 == 200 {
            break answer;
        }
        assert!(began.elapsed() < Duration::from_secs(20), "never served");
        std::thread::sleep(Duration::from_millis(50));
    };
    let head = svg.1.to_ascii_lowercase();
    assert!(head.contains("content-type: image/svg+xml"), "{head}");
    assert!(
        head.contains(
            "content-security-policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:"
        ),
        "{head}"
    );
    for (target, status, kind) in [
        ("/", 200, "text/html"),
        ("/media/chart%20100%25.png", 200, "image/png"),
        ("/data/nothing.csv", 404, "text/html"),
        ("/__lantern/live.js", 200, "text/javascript"),
        ("/search", 301, ""),
    ] {
        let (found, head, _) = get(&server.address, target);
        let head = head.to_ascii_lowercase();
        assert_eq!(found, status, "{target}");
        assert!(
            head.contains(&format!("content-type: {kind}")),
            "{target}: {head}"
        );
        assert!(
            head.contains("x-content-type-options: nosniff"),
            "{target}: {head}"
        );
    }
}

#[test]
fn two_hundred_requests_during_rebuilds_all_get_whole_answers() {
    let server = start("serve-load");
    let whole = page(&server, "/");
    let address = server.address.clone();
    let root = server.root.clone();
    // Rebuild again and again while the requests run.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let editor = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let file = root.join(DOC);
            let text = std::fs::read_to_string(&file).expect("read");
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                std::fs::write(&file, format!("{text}\nEdit {n}.\n")).expect("write");
                std::thread::sleep(Duration::from_millis(40));
            }
        })
    };
    let clients: Vec<_> = (0..200)
        .map(|i| {
            let address = address.clone();
            std::thread::spawn(move || {
                let target = if i % 2 == 0 { "/" } else { "/assets/style.css" };
                (target, get(&address, target))
            })
        })
        .collect();
    for client in clients {
        let (target, (status, head, body)) = client.join().expect("client");
        assert_eq!(status, 200, "{target}");
        let length: usize = head
            .lines()
            .find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .expect("a length");
        assert_eq!(body.len(), length, "{target} came whole");
        if target == "/" {
            let text = String::from_utf8_lossy(&body);
            assert!(text.trim_end().ends_with("</html>"), "{target}");
            assert_eq!(
                text.len(),
                whole.len(),
                "the home page does not change with the edit"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    editor.join().expect("editor");
}
