//! Reading a request's head, within bounds: bytes from a connection in, a request worth
//! answering out (GET or HEAD of a path, for a `Host` that names this computer), or the
//! refusal to send. A line may be at most [`LINE`] bytes, a head at most [`HEAD`] bytes in
//! [`HEADERS`] lines, and the whole head must arrive by a deadline. Requests with a body are
//! refused, since the preview only reads. The `Host` check keeps a web page from reading
//! the preview through DNS rebinding: its address would be a name that is not `localhost`.
//! The only I/O is reading the connection.

use std::io::{ErrorKind, Read};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpStream};
use std::time::Instant;

/// The longest line of a head (the request line or a header line), in bytes.
pub const LINE: usize = 8 * 1024;
/// The largest head, in bytes.
pub const HEAD: usize = 32 * 1024;
/// The most header lines a head may have.
pub const HEADERS: usize = 64;

/// A request worth answering.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    /// The request target as sent: a path from `/`, perhaps with a query.
    pub target: String,
    /// A HEAD request: the answer without its body.
    pub head_only: bool,
}

/// A request not answered as asked: the status to send and a line saying why.
#[derive(Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub why: String,
}

impl Refusal {
    fn new(status: u16, why: impl Into<String>) -> Refusal {
        Refusal {
            status,
            why: why.into(),
        }
    }
}

/// A head read from a connection.
#[derive(Debug, PartialEq, Eq)]
pub struct Head {
    pub request: Result<Request, Refusal>,
    /// The client sent, or may still be sending, more than was read: read it away before
    /// closing, so that the connection is not reset under the answer.
    pub unread: bool,
}

impl Head {
    fn refused(status: u16, why: impl Into<String>) -> Head {
        Head {
            request: Err(Refusal::new(status, why)),
            unread: true,
        }
    }
}

/// The hosts a request may name: `localhost`, loopback addresses, the address listened on
/// (and the name it was given as), and any address when listening on every interface.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: IpAddr,
    port: u16,
    /// `--bind` when it was a name rather than an address.
    name: Option<String>,
}

impl Hosts {
    pub fn new(bind: &str, bound: IpAddr, port: u16) -> Hosts {
        let name = bind
            .parse::<IpAddr>()
            .is_err()
            .then(|| bind.to_ascii_lowercase());
        Hosts { bound, port, name }
    }

    /// Whether a request naming `host` (a `Host` header's value) is answered; `None` when
    /// the value is not a host with an optional port.
    pub fn allow(&self, host: &str) -> Option<bool> {
        if let Some(rest) = host.strip_prefix('[') {
            let (ip, after) = rest.split_once(']')?;
            port(after)?;
            let ip: Ipv6Addr = ip.parse().ok()?;
            return Some(self.allow_ip(IpAddr::V6(ip)));
        }
        let (name, after) = match host.rfind(':') {
            Some(at) => host.split_at(at),
            None => (host, ""),
        };
        port(after)?;
        if name.is_empty() || name.contains(':') {
            return None;
        }
        // Only the dotted form is an address: `127.1` is a name to a resolver.
        if let Ok(ip) = name.parse::<Ipv4Addr>() {
            return Some(self.allow_ip(IpAddr::V4(ip)));
        }
        Some(
            name.eq_ignore_ascii_case("localhost")
                || self
                    .name
                    .as_deref()
                    .is_some_and(|n| name.eq_ignore_ascii_case(n)),
        )
    }

    /// An address cannot be rebound, so when listening on every interface any address
    /// that reached the preview is one of this computer's (perhaps through a forwarded
    /// port); otherwise only loopback and the address listened on.
    fn allow_ip(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        ip.is_loopback() || ip == self.bound.to_canonical() || self.bound.is_unspecified()
    }

    fn refusal(&self, host: &str) -> Refusal {
        let port = self.port;
        let elsewhere = if self.bound.is_unspecified() {
            format!(", or from another computer at this one's IP address, http://ADDRESS:{port}/")
        } else {
            String::new()
        };
        Refusal::new(
            421,
            format!(
                "this preview answers only for localhost and this computer's own addresses, \
                 not for {host:?} (another name could be a web page reading the preview \
                 through DNS rebinding): open http://localhost:{port}/{elsewhere}"
            ),
        )
    }
}

/// Checks the `:port` after a host, if there is one.
fn port(after: &str) -> Option<()> {
    match after.strip_prefix(':') {
        None if after.is_empty() => Some(()),
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => {
            digits.parse::<u16>().ok().map(|_| ())
        }
        _ => None,
    }
}

/// Reads a head from `stream` by `deadline`; `None` when the client sent nothing at all
/// (it closed, or was a browser's spare connection that was never used). A connection
/// that waited for a worker past its deadline still has what it sent read once.
pub fn read(stream: &mut TcpStream, deadline: Instant, hosts: &Hosts) -> Option<Head> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0; 4096];
    let mut overdue = false;
    loop {
        if let Some(head) = check(&buf, hosts) {
            return Some(head);
        }
        if buf.len() >= HEAD {
            return Some(too_large());
        }
        if overdue {
            return late(&buf);
        }
        let left = deadline.saturating_duration_since(Instant::now());
        overdue = left.is_zero();
        let wait = left.max(std::time::Duration::from_millis(1));
        if stream.set_read_timeout(Some(wait)).is_err() {
            return late(&buf);
        }
        let want = chunk.len().min(HEAD - buf.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return late(&buf);
            }
            Err(_) => return None,
        }
    }
}

/// The deadline passed: a 408 if the client had begun, else a quiet close.
fn late(buf: &[u8]) -> Option<Head> {
    (!buf.is_empty()).then(|| Head {
        request: Err(Refusal::new(408, "the request did not arrive in time")),
        unread: false,
    })
}

fn too_large() -> Head {
    Head::refused(
        431,
        format!(
            "the request's head is too large: at most {HEADERS} header lines of up to {LINE} \
             bytes each, {HEAD} bytes in all"
        ),
    )
}

/// The head in `buf` when it is whole or can already be refused; `None` while more may come.
pub fn check(buf: &[u8], hosts: &Hosts) -> Option<Head> {
    // Every line, the last one perhaps still arriving, within the bound.
    let mut lines = buf.split(|&b| b == b'\n').skip_while(|l| l.len() <= 1);
    if lines.next().is_some_and(|first| first.len() > LINE + 1) {
        return Some(Head::refused(
            414,
            format!("the request line is longer than {LINE} bytes"),
        ));
    }
    if lines.any(|line| line.len() > LINE + 1) {
        return Some(too_large());
    }
    let mut headers = [httparse::EMPTY_HEADER; HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let length = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(length)) => length,
        Ok(httparse::Status::Partial) => return None,
        Err(httparse::Error::TooManyHeaders) => return Some(too_large()),
        Err(httparse::Error::Version) => {
            return Some(Head::refused(505, "only HTTP/1.0 and HTTP/1.1 are spoken"));
        }
        Err(e) => return Some(Head::refused(400, format!("the request is malformed: {e}"))),
    };
    let mut head = Head {
        request: request(&parsed, hosts),
        unread: length < buf.len(),
    };
    if head.request.as_ref().is_err_and(|r| r.status == 413) {
        head.unread = true;
    }
    Some(head)
}

/// Checks a whole, well-formed head.
fn request(parsed: &httparse::Request<'_, '_>, hosts: &Hosts) -> Result<Request, Refusal> {
    let field = |name: &'static str| {
        parsed
            .headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    };
    // HTTP/1.1 requires a Host; no browser speaks HTTP/1.0.
    let mut host = field("host");
    match (host.next(), host.next(), parsed.version) {
        (None, _, Some(0)) => {}
        (None, _, _) => return Err(Refusal::new(400, "the request has no Host header")),
        (Some(_), Some(_), _) => {
            return Err(Refusal::new(400, "the request has two Host headers"));
        }
        (Some(value), None, _) => {
            let value = std::str::from_utf8(value)
                .map(str::trim)
                .map_err(|_| Refusal::new(400, "the Host header is not UTF-8"))?;
            match hosts.allow(value) {
                Some(true) => {}
                Some(false) => return Err(hosts.refusal(value)),
                None => {
                    return Err(Refusal::new(
                        400,
                        format!("the Host header is not a host and port: {value:?}"),
                    ));
                }
            }
        }
    }
    let head_only = match parsed.method {
        Some("GET") => false,
        Some("HEAD") => true,
        _ => return Err(Refusal::new(405, "only GET and HEAD are answered")),
    };
    let has_body = field("transfer-encoding").next().is_some()
        || field("content-length").any(|v| v.iter().any(|&b| b != b'0' && b != b' '));
    if has_body {
        return Err(Refusal::new(
            413,
            "a request with a body is not answered: the preview only reads",
        ));
    }
    let target = parsed.path.unwrap_or_default();
    if !target.starts_with('/') {
        return Err(Refusal::new(400, "the request target is not a path"));
    }
    Ok(Request {
        target: target.to_string(),
        head_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loopback() -> Hosts {
        Hosts::new("127.0.0.1", IpAddr::V4(Ipv4Addr::LOCALHOST), 1111)
    }

    #[test]
    fn this_computers_names_are_allowed_and_others_not() {
        let hosts = loopback();
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST:2222",
            "127.0.0.1:1111",
            "127.255.0.9",
            "[::1]:1111",
            "[::ffff:127.0.0.1]",
        ] {
            assert_eq!(hosts.allow(host), Some(true), "{host}");
        }
        for host in [
            "evil.example",
            "127.0.0.1.evil.example:1111",
            "localhost.evil.example",
            "app.localhost",
            "127.1",
            "2130706433",
            "192.168.1.20:1111",
            "0.0.0.0",
            "[::]:1111",
            "[fe80::1]",
        ] {
            assert_eq!(hosts.allow(host), Some(false), "{host}");
        }
        for host in [
            "",
            ":1111",
            "[::1",
            "[::1]x",
            "::1",
            "a:b:c",
            "localhost:",
            "a:99999",
        ] {
            assert_eq!(hosts.allow(host), None, "{host}");
        }
    }

    #[test]
    fn on_every_interface_any_address_is_allowed_but_no_other_name() {
        let hosts = Hosts::new("0.0.0.0", IpAddr::V4(Ipv4Addr::UNSPECIFIED), 1111);
        assert_eq!(hosts.allow("192.168.1.20:1111"), Some(true));
        assert_eq!(hosts.allow("[2001:db8::7]:1111"), Some(true));
        assert_eq!(hosts.allow("preview.example:1111"), Some(false));
        let named = Hosts::new("Preview.Lan", IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)), 80);
        assert_eq!(named.allow("preview.lan"), Some(true));
        assert_eq!(named.allow("10.0.0.2"), Some(true));
        assert_eq!(named.allow("10.0.0.3"), Some(false));
    }

    fn status(buf: &[u8]) -> Option<Result<(String, bool), u16>> {
        check(buf, &loopback()).map(|h| {
            h.request
                .map(|r| (r.target, r.head_only))
                .map_err(|r| r.status)
        })
    }

    #[test]
    fn a_request_that_waited_past_its_deadline_is_still_read() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let mut client =
            TcpStream::connect(listener.local_addr().expect("address")).expect("connect");
        let (mut server, _) = listener.accept().expect("accept");
        client
            .write_all(b"GET /evaluations/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .expect("send");
        let past = Instant::now();
        let head = read(&mut server, past, &loopback()).expect("a head");
        assert_eq!(head.request.map(|r| r.target), Ok("/evaluations/".into()));
        // A client that stopped half-way gets its 408 at once.
        let mut slow =
            TcpStream::connect(listener.local_addr().expect("address")).expect("connect");
        slow.write_all(b"GET / HTTP/1.1\r\n").expect("send");
        let (mut server, _) = listener.accept().expect("accept");
        let head = read(&mut server, Instant::now(), &loopback()).expect("a head");
        assert_eq!(head.request.map_err(|r| r.status), Err(408));
    }

    #[test]
    fn heads_are_checked_as_they_arrive() {
        assert_eq!(status(b"GET /a/ HTTP/1.1\r\nHost: localhost"), None);
        assert_eq!(
            status(b"GET /a/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\n\r\n"),
            Some(Ok(("/a/?q=1".into(), false)))
        );
        assert_eq!(
            status(b"HEAD / HTTP/1.0\r\n\r\n"),
            Some(Ok(("/".into(), true)))
        );
        assert_eq!(status(b"GET / HTTP/1.1\r\n\r\n"), Some(Err(400)));
        assert_eq!(status(b"GET / HTTP/3.0\r\n\r\n"), Some(Err(505)));
        assert_eq!(
            status(b"DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            Some(Err(405))
        );
        assert_eq!(
            status(b"GET http://localhost/ HTTP/1.1\r\nHost: localhost\r\n\r\n"),
            Some(Err(400))
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"),
            Some(Ok(("/".into(), false)))
        );
        assert_eq!(
            status(b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n"),
            Some(Err(413))
        );
        // A line over the bound is refused before it ends.
        let mut long = b"GET / HTTP/1.1\r\nX-A: ".to_vec();
        long.resize(LINE + 100, b'a');
        assert_eq!(status(&long), Some(Err(431)));
        let mut target = b"GET /".to_vec();
        target.resize(LINE + 100, b'a');
        assert_eq!(status(&target), Some(Err(414)));
        let many: Vec<u8> = std::iter::once(&b"GET / HTTP/1.1\r\n"[..])
            .chain(std::iter::repeat_n(&b"X-A: b\r\n"[..], HEADERS + 1))
            .flatten()
            .copied()
            .collect();
        assert_eq!(status(&many), Some(Err(431)));
    }
}
