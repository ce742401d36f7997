//! The event streams that tell open pages to reload: connections in, handed over by the
//! server when a page asks for `/__lantern/events`; `reload` events and keep-alive comments
//! out. No thread waits on a stream: whoever puts a build up writes to every stream at
//! once, without blocking. At most [`STREAMS`] are kept; one whose page has gone (it
//! closed its end) or that stops reading is dropped, and its place is free again.

use std::collections::HashSet;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The most event streams open at once (one for each page open in a browser).
pub const STREAMS: usize = 64;

const HEAD: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 1000\n\n";
const RELOAD: &[u8] = b"event: reload\ndata: rebuilt\n\n";
const BEAT: &[u8] = b": still here\n\n";

/// The open event streams.
#[derive(Default)]
pub struct Events {
    streams: Mutex<Vec<Stream>>,
}

struct Stream {
    connection: TcpStream,
    /// The site path of the page listening, to render first after a theme change.
    page: Option<String>,
}

impl Events {
    fn streams(&self) -> MutexGuard<'_, Vec<Stream>> {
        self.streams.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts an event stream on `connection` for `page`; gives the connection back when
    /// every place is taken.
    pub fn add(&self, connection: TcpStream, page: Option<String>) -> Result<(), TcpStream> {
        let mut streams = self.streams();
        streams.retain_mut(Stream::open);
        if streams.len() >= STREAMS {
            return Err(connection);
        }
        if connection.set_nonblocking(true).is_err() {
            return Ok(());
        }
        let mut stream = Stream { connection, page };
        if stream.send(HEAD) {
            streams.push(stream);
        }
        Ok(())
    }

    /// Tells every open page to reload.
    pub fn reload(&self) {
        self.send(RELOAD);
    }

    /// A comment on every stream, so that browsers and proxies keep it open, and so that
    /// streams whose page has gone are noticed.
    pub fn beat(&self) {
        self.send(BEAT);
    }

    fn send(&self, message: &[u8]) {
        self.streams()
            .retain_mut(|stream| stream.open() && stream.send(message));
    }

    /// The pages open in a browser now (by site file path).
    pub fn pages(&self) -> HashSet<String> {
        self.streams()
            .iter()
            .filter_map(|s| s.page.clone())
            .collect()
    }
}

impl Stream {
    /// Whether the page still listens: it has neither closed its end nor sent anything
    /// (a page sends nothing after asking for the stream).
    fn open(&mut self) -> bool {
        let mut byte = [0; 1];
        loop {
            return match self.connection.read(&mut byte) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => e.kind() == ErrorKind::WouldBlock,
                Ok(_) => false,
            };
        }
    }

    /// Sends `message` whole, or says the stream is lost: a page that does not read what
    /// it is sent has gone, and is never waited for.
    fn send(&mut self, message: &[u8]) -> bool {
        loop {
            return match self.connection.write(message) {
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Ok(n) => n == message.len(),
                Err(_) => false,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;
    use std::net::TcpListener;

    /// A connected pair: the server's end and the page's.
    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let page = TcpStream::connect(listener.local_addr().expect("address")).expect("connect");
        let (server, _) = listener.accept().expect("accept");
        (server, page)
    }

    #[test]
    fn streams_are_bounded_and_a_closed_one_frees_its_place() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let events = Events::default();
        let mut pages = Vec::new();
        for i in 0..STREAMS {
            let (server, page) = pair(&listener);
            assert!(events.add(server, Some(format!("p{i}/index.html"))).is_ok());
            pages.push(page);
        }
        let (server, _page) = pair(&listener);
        let server = events.add(server, None).expect_err("full");
        assert_eq!(events.pages().len(), STREAMS);
        drop(pages.pop());
        // The page's close may take a moment to arrive.
        let mut server = Some(server);
        for _ in 0..1000 {
            match events.add(server.take().expect("stream"), None) {
                Ok(()) => break,
                Err(back) => server = Some(back),
            }
            std::thread::yield_now();
        }
        assert!(server.is_none(), "a closed stream never freed its place");
        events.reload();
        let mut page = std::io::BufReader::new(pages.remove(0));
        let mut text = String::new();
        while !text.contains("event: reload") {
            assert!(page.read_line(&mut text).expect("read") > 0, "{text}");
        }
        assert!(text.starts_with("HTTP/1.1 200 OK"), "{text}");
    }
}
