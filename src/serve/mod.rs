//! `lantern serve`: a live preview while writing.
//!
//! In: the library folder and where to listen. Out: the site, built in memory and served
//! from memory over HTTP on the loopback address unless told otherwise; `public/` is never
//! written. A watcher ([`watch`]) gathers each burst of changes to `content/` and the theme
//! into one rebuild; open pages reload through a server-sent event stream ([`events`]).
//! While the library has errors the last good build stays up, with the errors over every
//! page. The server ([`server`], [`head`]) answers only requests for this computer, with
//! bounded heads, from a bounded pool.

pub mod events;
pub mod head;
pub mod http;
pub mod server;
pub mod update;
pub mod watch;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use crate::Options;
use crate::model::error::{Error, Result};
use crate::model::site::Contents;

use events::Events;
use http::{Answer, Site};
use server::{Reply, Response};

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

/// What the request threads share with the rebuilding thread.
#[derive(Default)]
struct Shared {
    site: RwLock<Arc<Site>>,
    /// The open pages' event streams.
    events: Events,
    /// Held while a new site is made from the current one, so that two changes made at
    /// once (an edit and the search index catching up) never lose one another.
    changing: Mutex<()>,
    /// Counts whole builds: a search index made before one is not put up after it.
    builds: std::sync::atomic::AtomicU64,
    searching: std::sync::atomic::AtomicBool,
}

impl Shared {
    fn site(&self) -> Arc<Site> {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Puts a new build up and tells every open page to reload.
    fn publish(&self, site: Site) {
        self.replace(site);
        self.events.reload();
    }

    /// Puts a new build up without reloading pages (for the search index alone).
    fn replace(&self, site: Site) {
        if let Ok(mut current) = self.site.write() {
            *current = Arc::new(site);
        }
    }

    /// Puts a whole build up, counted, and tells every open page to reload.
    fn publish_build(&self, site: Site) {
        let _one_at_a_time = self.changing.lock();
        self.builds
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.publish(site);
    }

    /// Changes some files of the current site (and its overlay), then puts it up; with
    /// `since_build`, only when no whole build has been put up since that count.
    fn modify(
        &self,
        reload: bool,
        since_build: Option<u64>,
        change: impl FnOnce(&mut Site) -> Result<()>,
    ) -> Result<()> {
        let _one_at_a_time = self.changing.lock();
        let builds = self.builds.load(std::sync::atomic::Ordering::SeqCst);
        if since_build.is_some_and(|b| b != builds) {
            return Ok(());
        }
        let current = self.site();
        let mut site = Site {
            files: current.files.clone(),
            overlay: current.overlay.clone(),
        };
        change(&mut site)?;
        if reload {
            self.publish(site);
        } else {
            self.replace(site);
        }
        Ok(())
    }
}

/// Builds the library in memory: the new site and what it was made from, or the old files
/// with the errors over them.
fn build(options: &Options, previous: &Site) -> Result<(Site, Option<update::State>, usize)> {
    let (built, model) = crate::build_keeping(options)?;
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
        return Ok((site, None, 0));
    }
    let mut files = std::collections::HashMap::with_capacity(built.files.len());
    add_files(&mut files, built.files)?;
    Ok((
        Site {
            files,
            overlay: None,
        },
        model.and_then(update::State::new),
        built.documents,
    ))
}

/// Adds built files to a site's, reading those that are copies of library files.
fn add_files(
    site: &mut std::collections::HashMap<String, Arc<[u8]>>,
    files: Vec<crate::model::site::OutputFile>,
) -> Result<()> {
    for file in files {
        let bytes: Arc<[u8]> = match file.contents {
            Contents::Bytes(b) => Arc::from(b),
            Contents::Copy(path) | Contents::Keep(path) => crate::sys::files::read_regular(&path)
                .map(Arc::from)
                .map_err(|e| Error::io("read", &path, e))?,
        };
        site.insert(file.path, bytes);
    }
    Ok(())
}

/// Serves until the process is stopped.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    // Watchers report resolved paths: compare them with the resolved library folder.
    let root = opts
        .root
        .canonicalize()
        .unwrap_or_else(|_| opts.root.clone());
    let options = Options {
        root: root.clone(),
        drafts: opts.drafts,
        search: true,
        history: false,
        since: None,
        deny_warnings: false,
    };
    // Watching starts first, so that nothing saved from now on is missed.
    let changes = watch::start(&root)?;
    let started = Instant::now();
    let (site, mut state, documents) = build(&options, &Site::default()).unwrap_or_else(|err| {
        // A broken template, say: the error is shown until fixed, as it would be later.
        let site = Site {
            files: Default::default(),
            overlay: Some(http::overlay(&err.to_string())),
        };
        (site, None, 0)
    });
    let shared = Arc::new(Shared::default());
    let failed = site.overlay.is_some();
    shared.publish_build(site);
    let server = server::Server::bind(&opts.bind, opts.port)?;
    let url = format!("http://{}/", server.address());
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
    server.start(shared.clone())?;
    // A comment on every event stream every 15 seconds keeps it open in browsers and
    // proxies, and finds the streams of pages that have gone.
    let beating = shared.clone();
    std::thread::Builder::new()
        .name("serve-events".into())
        .spawn(move || {
            loop {
                std::thread::sleep(Duration::from_secs(15));
                beating.events.beat();
            }
        })
        .map_err(|e| Error::Other(format!("cannot start the server's threads: {e}")))?;
    // After a quick edit the search index is brought up to date once the writer pauses.
    let mut search_stale = false;
    loop {
        let wait = if search_stale {
            Duration::from_millis(300)
        } else {
            Duration::from_secs(3600)
        };
        let batch = match changes.recv_timeout(wait) {
            Ok(batch) => batch,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let Some(state) = state.as_ref().filter(|_| search_stale) {
                    search_stale = !refresh_search(&shared, state);
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        let began = Instant::now();
        // While errors show, only a whole build can tell that they are gone.
        let showing_errors = shared.site().overlay.is_some();
        let usable = state.as_mut().filter(|_| !showing_errors);
        let what = match usable.map(|s| quicker(s, &options, &batch.paths)) {
            Some(Quicker::Pages(pages)) if pages.is_empty() => "nothing to do",
            Some(Quicker::Pages(pages)) => {
                report(shared.modify(true, None, |site| add_files(&mut site.files, pages)));
                search_stale = true;
                "re-rendered its page"
            }
            Some(Quicker::Theme) => {
                match state.as_mut().map(|s| restyle(&shared, s, &options, began)) {
                    Some(Ok(())) => "re-rendered every page",
                    Some(Err(err)) => {
                        show_error(&shared, &err);
                        "errors shown"
                    }
                    None => "nothing to do",
                }
            }
            Some(Quicker::No) | None => {
                let current = shared.site();
                match build(&options, &current) {
                    Ok((site, new_state, _)) => {
                        let failed = site.overlay.is_some();
                        shared.publish_build(site);
                        if !failed {
                            state = new_state;
                            search_stale = false;
                        }
                        if failed { "errors shown" } else { "rebuilt" }
                    }
                    Err(err) => {
                        // A broken template, say: the last good build, with the error.
                        show_error(&shared, &err);
                        "errors shown"
                    }
                }
            }
        };
        eprintln!(
            "{} changed: {what} in {:.0} ms",
            batch.describe(),
            began.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// What a change needs short of a whole build.
enum Quicker {
    /// Pages to replace: documents' text changed.
    Pages(Vec<crate::model::site::OutputFile>),
    /// Every page again: only the theme changed.
    Theme,
    No,
}

fn quicker(state: &mut update::State, options: &Options, paths: &[PathBuf]) -> Quicker {
    if let Some(pages) = update::edit(state, options, paths) {
        return Quicker::Pages(pages);
    }
    if update::theme_only(options, paths) {
        return Quicker::Theme;
    }
    Quicker::No
}

/// After a theme change: the pages open in a browser first, put up at once, then every
/// page (as Hugo's fast render mode does), put up with a second reload so that a page
/// opened in between is brought up to date too.
fn restyle(
    shared: &Arc<Shared>,
    state: &mut update::State,
    options: &Options,
    began: Instant,
) -> Result<()> {
    crate::sys::usage::timed("theme", || update::load_theme(state, options))?;
    for d in &state.model.theme.diagnostics {
        if d.is_error() {
            return Err(Error::Other(d.to_string()));
        }
        eprintln!("{d}");
    }
    let open = shared.events.pages();
    if !open.is_empty() {
        let pages = crate::sys::usage::timed("open pages", || {
            update::render_pages(state, options, Some(&open))
        })?;
        shared.modify(true, None, |site| add_files(&mut site.files, pages))?;
        eprintln!(
            "theme changed: re-rendered the {} open page{} in {:.0} ms",
            open.len(),
            if open.len() == 1 { "" } else { "s" },
            began.elapsed().as_secs_f64() * 1000.0
        );
    }
    let pages = update::render_pages(state, options, None)?;
    shared.modify(true, None, |site| add_files(&mut site.files, pages))
}

/// Shows a tool error (a broken template, say) over the last good build.
fn show_error(shared: &Shared, err: &Error) {
    report(shared.modify(true, None, |site| {
        site.overlay = Some(http::overlay(&err.to_string()));
        Ok(())
    }));
}

/// Says what went wrong in putting a change up, and carries on serving.
fn report(result: Result<()>) {
    if let Err(err) = result {
        eprintln!("error: {err}");
    }
}

/// Clears the flag that a search index is being made, however its thread ends.
struct Searching(Arc<Shared>);

impl Drop for Searching {
    fn drop(&mut self) {
        self.0
            .searching
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// Starts bringing the search index up to date in the background, unless that is already
/// under way; says whether it started.
fn refresh_search(shared: &Arc<Shared>, state: &update::State) -> bool {
    use std::sync::atomic::Ordering;
    if shared.searching.swap(true, Ordering::SeqCst) {
        return false;
    }
    let (linked, config) = (state.model.linked.clone(), state.model.config.clone());
    let build = shared.builds.load(Ordering::SeqCst);
    let shared = shared.clone();
    std::thread::spawn(move || {
        let searching = Searching(shared);
        let files = crate::search::index(&linked, &config);
        let shared = &searching.0;
        report(shared.modify(false, Some(build), |site| add_files(&mut site.files, files)));
    });
    true
}

impl server::Handler for Shared {
    fn answer(&self, request: &head::Request) -> Reply {
        let target = request.target.as_str();
        if target
            .strip_prefix(http::EVENTS)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('?'))
        {
            // `?page=/a/b/`: the page listening, to render first after a theme change.
            let page = target
                .split_once("?page=")
                .map(|(_, p)| {
                    percent_encoding::percent_decode_str(p)
                        .decode_utf8_lossy()
                        .into_owned()
                })
                .and_then(|p| http::site_path(&p));
            return Reply::Events { page };
        }
        if target == http::LIVE_JS {
            return Reply::Send(Response::new(
                200,
                "text/javascript; charset=utf-8",
                http::LIVE_SCRIPT,
            ));
        }
        Reply::Send(match http::answer(&self.site(), target) {
            Answer::File { body, content_type } => {
                let response =
                    Response::new(200, content_type, body).header("Cache-Control", "no-store");
                match http::policy(content_type) {
                    Some(policy) => response.header("Content-Security-Policy", policy),
                    None => response,
                }
            }
            Answer::Redirect(to) => {
                Response::new(301, "text/plain; charset=utf-8", Vec::new()).header("Location", to)
            }
            Answer::NotFound => Response::new(
                404,
                "text/html; charset=utf-8",
                http::not_found(&self.site()),
            ),
        })
    }

    fn events(&self) -> &Events {
        &self.events
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
