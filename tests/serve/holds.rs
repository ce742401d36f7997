//! What `lantern serve` refuses, spoken to over raw TCP: requests for another host (a web
//! page reading the preview through DNS rebinding), heads that are too long or broken, a
//! client that never finishes its request, more connections or event streams than the
//! pool holds, and running out of open files. Each refusal is answered and closed, and the
//! server goes on answering afterwards.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{get, page, start, start_with};

/// Connections the server holds at once (README, `lantern serve`).
const CONNECTIONS: usize = 256;
/// Event streams it keeps open at once.
const STREAMS: usize = 64;

/// Sends `request` exactly as given on a new connection, then reads until the server closes
/// it: the status and the whole answer. Fails when the server neither answers nor closes
/// within 30 seconds.
fn exchange(address: &str, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    // The server may answer and close before it has read everything: that is allowed.
    let _ = stream.write_all(request);
    let answer = read_to_close(&mut stream);
    (status(&answer), answer)
}

/// Everything the server sends until it closes the connection.
fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let mut chunk = [0; 8192];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!(
                    "the server neither answered nor closed: {:?}",
                    String::from_utf8_lossy(&answer)
                )
            }
            // Closed with a reset after its answer (it had not read all of ours).
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&answer).into_owned()
}

fn status(answer: &str) -> u16 {
    answer
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// `GET /` with the given header lines (each ending in CRLF), closing after the answer.
fn with_headers(address: &str, headers: &str) -> (u16, String) {
    exchange(
        address,
        format!("GET / HTTP/1.1\r\n{headers}Connection: close\r\n\r\n").as_bytes(),
    )
}

#[test]
fn only_requests_for_this_computer_are_answered() {
    let server = start("serve-hosts");
    let address = server.address.as_str();
    let port = address.rsplit(':').next().unwrap_or_default();
    for host in [
        address.to_string(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        format!("127.8.9.10:{port}"),
        format!("[::1]:{port}"),
        format!("[::ffff:7f00:1]:{port}"),
        // The port is not held against a request: tunnels and containers change it.
        "localhost:8080".to_string(),
    ] {
        let (code, answer) = with_headers(address, &format!("Host: {host}\r\n"));
        assert_eq!(code, 200, "Host: {host}\n{answer}");
        assert!(answer.contains("Fixture library"), "Host: {host}");
    }
    // Names a web page's address could have, once its DNS points at this computer.
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("preview.localhost:{port}"),
        format!("127.1:{port}"),
        format!("10.0.0.7:{port}"),
        format!("0.0.0.0:{port}"),
        format!("[fe80::1]:{port}"),
    ] {
        let (code, answer) = with_headers(address, &format!("Host: {host}\r\n"));
        assert_eq!(code, 421, "Host: {host}\n{answer}");
        assert!(
            !answer.contains("Fixture library") && answer.contains("localhost"),
            "Host: {host} is told where to go, and shown nothing of the site\n{answer}"
        );
    }
    // Nor does the event stream answer another host.
    let (code, answer) = exchange(
        address,
        format!("GET /__lantern/events HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes(),
    );
    assert_eq!(code, 421, "{answer}");
    assert!(!answer.contains("text/event-stream"), "{answer}");
    // No Host, two of them, or one that cannot be read.
    for headers in [
        String::new(),
        format!("Host: {address}\r\nHost: evil.example\r\n"),
        format!("Host: [::1:{port}\r\n"),
        format!("Host: localhost:{port}:{port}\r\n"),
        "Host: localhost:port\r\n".to_string(),
    ] {
        let (code, answer) = with_headers(address, &headers);
        assert_eq!(code, 400, "{headers:?}\n{answer}");
    }
    let (code, answer) = exchange(address, b"GET / HTTP/1.1\r\nHost: \xff\xfe\r\n\r\n");
    assert_eq!(code, 400, "{answer}");
    // HTTP/1.0 does not require a Host (no browser speaks it).
    let (code, answer) = exchange(address, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(code, 200, "{answer}");
}

#[test]
fn long_and_broken_heads_are_refused_and_the_server_goes_on() {
    let server = start("serve-heads");
    let address = server.address.as_str();
    let host = format!("Host: {address}\r\n");
    // A header line of 1 MB.
    let line = format!("{host}X-Padding: {}\r\n", "a".repeat(1 << 20));
    let (code, answer) = with_headers(address, &line);
    assert_eq!(code, 431, "{answer}");
    // A head of 10,000 header lines, each short.
    let many: String = (0..10_000)
        .map(|i| format!("X-Site-{i}: Leicester\r\n"))
        .collect();
    let (code, answer) = with_headers(address, &format!("{host}{many}"));
    assert_eq!(code, 431, "{answer}");
    // A request line of 100 KB.
    let target = format!("/search/?q={}", "haemorrhage+".repeat(8_000));
    let (code, answer) = exchange(
        address,
        format!("GET {target} HTTP/1.1\r\n{host}\r\n").as_bytes(),
    );
    assert_eq!(code, 414, "{answer}");
    // Broken heads.
    for (request, expected) in [
        (b"GARBAGE\r\n\r\n".to_vec(), 400),
        (b"GET /\xff HTTP/1.1\r\n\r\n".to_vec(), 400),
        (format!("GET / HTTP/2.0\r\n{host}\r\n").into_bytes(), 505),
        (
            format!("POST / HTTP/1.1\r\n{host}Content-Length: 5\r\n\r\nhello").into_bytes(),
            405,
        ),
        // A body the server will never read: answered and closed, not waited for.
        (
            format!("GET / HTTP/1.1\r\n{host}Content-Length: 99999999999\r\n\r\n").into_bytes(),
            413,
        ),
        (
            format!("GET / HTTP/1.1\r\n{host}Transfer-Encoding: chunked\r\n\r\n").into_bytes(),
            413,
        ),
    ] {
        let (code, answer) = exchange(address, &request);
        assert_eq!(
            code,
            expected,
            "{:?}\n{answer}",
            String::from_utf8_lossy(&request[..request.len().min(60)])
        );
    }
    // A header that is not UTF-8 but not needed is no reason to refuse.
    let mut latin1 = format!("GET / HTTP/1.1\r\n{host}X-Site: Leicester ").into_bytes();
    latin1.extend_from_slice(b"\xe9\r\nConnection: close\r\n\r\n");
    let (code, answer) = exchange(address, &latin1);
    assert_eq!(code, 200, "{answer}");
    assert!(page(&server, "/").contains("Fixture library"));
}

#[test]
fn a_client_that_never_finishes_its_request_is_cut_off() {
    let server = start("serve-slow");
    let started = Instant::now();
    let (code, answer) = exchange(
        &server.address,
        format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.address).as_bytes(),
    );
    assert_eq!(code, 408, "{answer}");
    assert!(started.elapsed() < Duration::from_secs(25));
}

/// Opens a connection that has sent the start of a request and never finishes it.
fn stalled(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .write_all(format!("GET / HTTP/1.1\r\nHost: {address}\r\n").as_bytes())
        .expect("send");
    stream
}

#[test]
fn a_full_pool_refuses_new_connections_and_recovers() {
    let server = start("serve-pool");
    let address = server.address.as_str();
    let held: Vec<TcpStream> = (0..CONNECTIONS).map(|_| stalled(address)).collect();
    // Every further connection is refused at once, and the listener keeps refusing.
    for _ in 0..20 {
        let (code, answer) = with_headers(address, &format!("Host: {address}\r\n"));
        assert_eq!(code, 503, "{answer}");
        assert!(answer.contains("Retry-After"), "{answer}");
    }
    drop(held);
    let started = Instant::now();
    loop {
        let (code, answer) = with_headers(address, &format!("Host: {address}\r\n"));
        if code == 200 {
            assert!(answer.contains("Fixture library"));
            break;
        }
        assert_eq!(code, 503, "{answer}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the pool never emptied"
        );
    }
}

/// Opens the event stream: the status of its answer, and the connection kept open.
fn open_events(address: &str) -> (u16, TcpStream) {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    write!(
        stream,
        "GET /__lantern/events?page=%2F HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .expect("send");
    let mut head = [0; 12];
    let code = match stream.read_exact(&mut head) {
        Ok(()) => status(&String::from_utf8_lossy(&head)),
        Err(_) => 0,
    };
    (code, stream)
}

#[test]
fn event_streams_are_bounded_and_pages_are_still_served() {
    let server = start("serve-streams");
    let address = server.address.as_str();
    let mut streams: Vec<TcpStream> = (0..STREAMS)
        .map(|i| {
            let (code, stream) = open_events(address);
            assert_eq!(code, 200, "stream {i}");
            stream
        })
        .collect();
    let (code, mut refused) = open_events(address);
    assert_eq!(code, 503, "one stream too many");
    assert!(read_to_close(&mut refused).contains("Retry-After"));
    // Open streams take no worker from the pages.
    assert!(page(&server, "/").contains("Fixture library"));
    // A page that closes its stream makes room for another.
    drop(streams.pop());
    let started = Instant::now();
    loop {
        let (code, stream) = open_events(address);
        if code == 200 {
            streams.push(stream);
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "a closed stream never made room"
        );
    }
}

#[test]
fn running_out_of_open_files_never_stops_the_listener() {
    // 64 open files: the connections below use them up, so that accepting fails.
    let server = start_with("serve-files", Some(64));
    let address = server.address.clone();
    let held: Vec<TcpStream> = (0..100).map(|_| stalled(&address)).collect();
    let started = Instant::now();
    loop {
        let said = server.log.lock().map(|l| l.join("\n")).unwrap_or_default();
        if said.contains("cannot accept a connection") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the files never ran out: {said}"
        );
        std::thread::yield_now();
    }
    drop(held);
    let started = Instant::now();
    loop {
        let request = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        let mut answer = Vec::new();
        let answered = TcpStream::connect(&address).is_ok_and(|mut probe| {
            probe.set_read_timeout(Some(Duration::from_secs(5))).is_ok()
                && probe.write_all(request.as_bytes()).is_ok()
                && probe.read_to_end(&mut answer).is_ok()
                && answer.starts_with(b"HTTP/1.1 200")
        });
        if answered {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the listener stopped: {:?}",
            String::from_utf8_lossy(&answer)
        );
    }
    let (status, _, _) = get(&address, "/assets/style.css");
    assert_eq!(status, 200);
}
