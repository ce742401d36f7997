//! The preview's HTTP/1.1 server, over `std::net`: connections in, answers from a
//! [`Handler`] out. One thread accepts; a fixed pool of [`WORKERS`] threads reads each
//! request's head within bounds ([`head`]), answers it and closes the connection (no
//! keep-alive: every request is answered on its own connection). At most [`CONNECTIONS`]
//! are held at once, being answered or waiting for a worker; beyond that a connection is
//! answered `503` and closed at once. A client has [`HEAD_TIME`] to send its head and
//! [`SEND_TIME`] to take its answer. Event streams leave the pool for [`Events`]. Nothing a
//! client does stops the listener: failures to accept (no file descriptors left) are
//! waited out, and a worker outlives a panic in answering.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::events::Events;
use super::head::{self, Hosts, Refusal, Request};
use crate::model::error::{Error, Result};

/// Threads answering requests.
pub const WORKERS: usize = 16;
/// Connections held at once, being answered or waiting for a worker.
pub const CONNECTIONS: usize = 256;
/// From accepting a connection to having its whole head.
pub const HEAD_TIME: Duration = Duration::from_secs(10);
/// To send one answer.
pub const SEND_TIME: Duration = Duration::from_secs(30);
/// What is read away, at most, from a client still sending after its answer.
const LINGER_TIME: Duration = Duration::from_secs(2);
const LINGER_BYTES: usize = 4 << 20;

/// An answer to send.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            // Every answer is taken as the type it says, never sniffed into a page.
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("X-Content-Type-Options", "nosniff".to_string()),
            ],
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    fn refusal(refusal: Refusal) -> Response {
        let mut response = Response::new(
            refusal.status,
            "text/plain; charset=utf-8",
            format!("{}\n", refusal.why),
        );
        match refusal.status {
            405 => response = response.header("Allow", "GET, HEAD"),
            503 => response = response.header("Retry-After", "1"),
            _ => {}
        }
        response
    }
}

/// What to do with a request.
pub enum Reply {
    Send(Response),
    /// Hand the connection to the event streams, for `page`.
    Events {
        page: Option<String>,
    },
}

/// What the server asks of the preview.
pub trait Handler: Send + Sync + 'static {
    fn answer(&self, request: &Request) -> Reply;
    fn events(&self) -> &Events;
}

/// A bound listener, not yet answering.
pub struct Server {
    listener: TcpListener,
    hosts: Hosts,
    address: SocketAddr,
}

/// A connection accepted, and when.
struct Connection {
    stream: TcpStream,
    accepted: Instant,
}

impl Server {
    pub fn bind(bind: &str, port: u16) -> Result<Server> {
        let cannot =
            |e: std::io::Error| Error::Other(format!("cannot listen on {bind}:{port}: {e}"));
        let listener = TcpListener::bind((bind, port)).map_err(cannot)?;
        let address = listener.local_addr().map_err(cannot)?;
        Ok(Server {
            hosts: Hosts::new(bind, address.ip(), address.port()),
            listener,
            address,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Starts the threads that accept and answer, and returns.
    pub fn start<H: Handler>(self, handler: Arc<H>) -> Result<()> {
        let (queue, waiting) = mpsc::channel::<Connection>();
        let waiting = Arc::new(Mutex::new(waiting));
        let held = Arc::new(AtomicUsize::new(0));
        let hosts = Arc::new(self.hosts);
        for n in 0..WORKERS {
            let (waiting, held, hosts, handler) = (
                waiting.clone(),
                held.clone(),
                hosts.clone(),
                handler.clone(),
            );
            std::thread::Builder::new()
                .name(format!("serve-{n}"))
                .spawn(move || work(&waiting, &held, &hosts, &*handler))
                .map_err(|e| Error::Other(format!("cannot start the server's threads: {e}")))?;
        }
        let listener = self.listener;
        std::thread::Builder::new()
            .name("serve-accept".into())
            .spawn(move || accept(&listener, &queue, &held))
            .map_err(|e| Error::Other(format!("cannot start the server's threads: {e}")))?;
        Ok(())
    }
}

/// Accepts connections for ever, queueing them for the workers or refusing them.
fn accept(listener: &TcpListener, queue: &Sender<Connection>, held: &AtomicUsize) {
    let mut complained: Option<Instant> = None;
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                // Only this thread adds to `held`, so it never passes the bound.
                if held.load(Ordering::SeqCst) >= CONNECTIONS {
                    refuse(stream);
                    continue;
                }
                held.fetch_add(1, Ordering::SeqCst);
                let accepted = Instant::now();
                if queue.send(Connection { stream, accepted }).is_err() {
                    return;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::Interrupted | ErrorKind::ConnectionAborted
                ) => {}
            Err(e) => {
                // Out of file descriptors, say: wait for connections to close.
                if complained.is_none_or(|t| t.elapsed() > Duration::from_secs(10)) {
                    eprintln!("note: cannot accept a connection ({e}); trying again");
                    complained = Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

/// Answers `503` on a connection the pool has no room for, without waiting for it.
fn refuse(stream: TcpStream) {
    let busy = Response::refusal(Refusal {
        status: 503,
        why: "the preview is busy: too many connections at once; try again".into(),
    });
    let _ = stream.set_nonblocking(true);
    // Read what has arrived, so that closing does not reset the connection under the answer.
    let mut chunk = [0; 4096];
    for _ in 0..4 {
        if !matches!((&stream).read(&mut chunk), Ok(n) if n > 0) {
            break;
        }
    }
    let _ = (&stream).write_all(&encode(&busy, false));
    let _ = stream.shutdown(Shutdown::Write);
}

/// A worker: takes connections from the queue and answers each.
fn work(
    waiting: &Mutex<Receiver<Connection>>,
    held: &AtomicUsize,
    hosts: &Hosts,
    handler: &dyn Handler,
) {
    loop {
        let next = waiting
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .recv();
        let Ok(connection) = next else { return };
        // A bug in answering loses one connection, never the worker or its place.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            serve(connection, hosts, handler);
        }));
        held.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Reads one request, answers it and closes the connection.
fn serve(connection: Connection, hosts: &Hosts, handler: &dyn Handler) {
    let Connection {
        mut stream,
        accepted,
    } = connection;
    let _ = stream.set_nodelay(true);
    let Some(head) = head::read(&mut stream, accepted + HEAD_TIME, hosts) else {
        return;
    };
    let (response, head_only) = match head.request {
        Err(refusal) => (Response::refusal(refusal), false),
        Ok(request) => match handler.answer(&request) {
            Reply::Send(response) => (response, request.head_only),
            Reply::Events { page } if !request.head_only => {
                match handler.events().add(stream, page) {
                    Ok(()) => return,
                    Err(back) => {
                        stream = back;
                        let busy = Refusal {
                            status: 503,
                            why: format!(
                                "the preview is busy: {} pages are open already",
                                super::events::STREAMS
                            ),
                        };
                        (Response::refusal(busy), false)
                    }
                }
            }
            Reply::Events { .. } => (Response::new(200, "text/event-stream", Vec::new()), true),
        },
    };
    let _ = send(&mut stream, &response, head_only);
    let _ = stream.shutdown(Shutdown::Write);
    if head.unread {
        linger(&mut stream);
    }
}

/// The status line and headers of `response`, and its body unless `head_only`.
fn encode(response: &Response, head_only: bool) -> Vec<u8> {
    let mut text = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        response.body.len()
    ));
    let mut bytes = text.into_bytes();
    if !head_only {
        bytes.extend_from_slice(&response.body);
    }
    bytes
}

/// Sends `response` within [`SEND_TIME`], however slowly the client reads.
fn send(stream: &mut TcpStream, response: &Response, head_only: bool) -> std::io::Result<()> {
    let deadline = Instant::now() + SEND_TIME;
    let bytes = encode(response, head_only);
    let mut rest = bytes.as_slice();
    while !rest.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left))?;
        match stream.write(&rest[..rest.len().min(64 * 1024)]) {
            Ok(0) => return Err(ErrorKind::WriteZero.into()),
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Reads away what a client is still sending (a body, an overlong head), for a little
/// while, so that closing does not reset the connection before it has read its answer.
fn linger(stream: &mut TcpStream) {
    let deadline = Instant::now() + LINGER_TIME;
    let mut chunk = [0; 16 * 1024];
    let mut read = 0;
    while read < LINGER_BYTES {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return,
            Ok(n) => read += n,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => return,
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}
