//! `lantern serve`: a live preview while writing.
//!
//! In: the library folder and where to listen. Out: the site, built in memory and served
//! from memory over HTTP on the loopback address unless told otherwise; `public/` is never
//! written. A watcher ([`watch`]) gathers each burst of changes to `content/` and the theme
//! into one rebuild; open pages reload through a server-sent event stream. While the
//! library has errors the last good build stays up, with the errors over every page.

pub mod http;
pub mod watch;

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use crate::Options;
use crate::error::{Error, Result};
use crate::render::Contents;

use http::{Answer, Site};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    /// 0 for any free port.
    pub port: u16,
    pub drafts: bool,
    /// Open the site in the default browser once it is up.
    pub open: bool,
}

/// Worker threads answering ordinary requests; event streams get threads of their own.
const WORKERS: usize = 8;

/// What the request threads share with the rebuilding thread.
#[derive(Default)]
struct Shared {
    site: RwLock<Arc<Site>>,
    /// One sender per open event stream.
    clients: Mutex<Vec<Sender<()>>>,
}

impl Shared {
    fn site(&self) -> Arc<Site> {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Puts a new build up and tells every open page to reload.
    fn publish(&self, site: Site) {
        if let Ok(mut current) = self.site.write() {
            *current = Arc::new(site);
        }
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(()).is_ok());
        }
    }
}

/// Builds the library in memory: the new site, or the old files with the errors over them.
fn build(options: &Options, previous: &Site) -> Result<(Site, usize)> {
    let built = crate::build(options)?;
    if built.has_errors() {
        let text: Vec<String> = built
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(ToString::to_string)
            .collect();
        let text = text.join("\n");
        let site = Site {
            files: previous.files.clone(),
            overlay: Some(http::overlay(&text)),
        };
        return Ok((site, 0));
    }
    let mut files = std::collections::HashMap::with_capacity(built.files.len());
    for file in built.files {
        let bytes: Arc<[u8]> = match file.contents {
            Contents::Bytes(b) => Arc::from(b),
            Contents::Copy(path) | Contents::Keep(path) | Contents::Kept(path) => {
                match std::fs::read(&path) {
                    Ok(b) => Arc::from(b),
                    Err(e) => return Err(Error::io("read", &path, e)),
                }
            }
        };
        files.insert(file.path, bytes);
    }
    Ok((
        Site {
            files,
            overlay: None,
        },
        built.documents,
    ))
}

/// Serves until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let options = Options {
        root: opts.root.clone(),
        drafts: opts.drafts,
        search: true,
        history: false,
        since: None,
        deny_warnings: false,
    };
    // Watching starts first, so that nothing saved from now on is missed.
    let changes = watch::start(&opts.root)?;
    let started = Instant::now();
    let (site, documents) = build(&options, &Site::default())?;
    let shared = Arc::new(Shared::default());
    let failed = site.overlay.is_some();
    shared.publish(site);
    let server = tiny_http::Server::http((opts.bind.as_str(), opts.port))
        .map_err(|e| Error::Other(format!("cannot listen on {}:{}: {e}", opts.bind, opts.port)))?;
    let address = server
        .server_addr()
        .to_ip()
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], opts.port)));
    let url = format!("http://{address}/");
    if failed {
        eprintln!("the library has errors: they are shown over every page until fixed");
    } else {
        eprintln!(
            "built {documents} documents in memory in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    eprintln!("serving at {url} (Ctrl+C to stop)");
    if opts.open {
        open_browser(&url);
    }
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let (server, shared) = (server.clone(), shared.clone());
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                respond(request, &shared);
            }
        });
    }
    let mut current = shared.site();
    while let Ok(batch) = changes.recv() {
        let began = Instant::now();
        let (site, _) = match build(&options, &current) {
            Ok(result) => result,
            Err(err) => {
                eprintln!("error: {err}");
                continue;
            }
        };
        let failed = site.overlay.is_some();
        shared.publish(site);
        current = shared.site();
        eprintln!(
            "{} changed: {} in {:.0} ms",
            batch.describe(),
            if failed { "errors shown" } else { "rebuilt" },
            began.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

fn respond(request: tiny_http::Request, shared: &Arc<Shared>) {
    let target = request.url().to_string();
    if target == http::EVENTS {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut clients) = shared.clients.lock() {
            clients.push(tx);
        }
        std::thread::spawn(move || stream_events(request, rx));
        return;
    }
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
    };
    let is_read = matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    );
    let response = if !is_read {
        tiny_http::Response::from_string("only GET and HEAD").with_status_code(405)
    } else if target == http::LIVE_JS {
        let mut r = tiny_http::Response::from_string(http::LIVE_SCRIPT);
        if let Some(h) = header("Content-Type", "text/javascript; charset=utf-8") {
            r.add_header(h);
        }
        r
    } else {
        match http::answer(&shared.site(), &target) {
            Answer::File { body, content_type } => {
                let mut r = tiny_http::Response::from_data(body);
                for h in [
                    header("Content-Type", content_type),
                    header("Cache-Control", "no-store"),
                    header("X-Content-Type-Options", "nosniff"),
                ]
                .into_iter()
                .flatten()
                {
                    r.add_header(h);
                }
                r
            }
            Answer::Redirect(to) => {
                let mut r = tiny_http::Response::from_string("").with_status_code(301);
                if let Some(h) = header("Location", &to) {
                    r.add_header(h);
                }
                r
            }
            Answer::NotFound => {
                let site = shared.site();
                let page = site
                    .files
                    .get("404.html")
                    .map_or_else(|| b"not found".to_vec(), |b| b.to_vec());
                let mut r = tiny_http::Response::from_data(page).with_status_code(404);
                if let Some(h) = header("Content-Type", "text/html; charset=utf-8") {
                    r.add_header(h);
                }
                r
            }
        }
    };
    let _ = request.respond(response);
}

/// Keeps an event stream open, sending `reload` after every rebuild and a comment every
/// 15 seconds so that proxies and browsers keep it.
fn stream_events(request: tiny_http::Request, rebuilt: mpsc::Receiver<()>) {
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|()| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rebuilt.recv_timeout(Duration::from_secs(15)) {
            Ok(()) => "event: reload\ndata: rebuilt\n\n",
            Err(mpsc::RecvTimeoutError::Timeout) => ": still here\n\n",
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}
