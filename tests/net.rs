//! TCP on 127.0.0.1 (never any other address): echo under load, resets,
//! half-open connections both ways, timeouts, `max_connections`,
//! `EADDRINUSE`, backpressure through TCP, and byte-for-byte interop with
//! Node.js when `node` is at hand.
//!
//! Every test holds `FdGuard`: the tests of this binary run one at a time,
//! and each checks that the process has no more descriptors open after it
//! than before (counted in `/proc/self/fd`).
#![warn(rust_2018_idioms)]
#![cfg(feature = "net")]

use std::cell::{Cell, RefCell};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use bytes::Bytes;
use streams::net::events::{
    Close, Connect, Connection, Data, Drain, Dropped, End, Error, Finish, Listening, Timeout,
};
use streams::net::{
    connect, create_server, Cluster, ClusterOptions, ConnectOptions, ListenOptions, Server,
    ServerOptions, Socket,
};
use streams::{run, StreamError};

// ----- support -----

static SERIAL: Mutex<()> = Mutex::new(());

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// Runs the tests one at a time and checks, when dropped at the end of a
/// test that passed, that no descriptor was left open.
struct FdGuard {
    before: usize,
    _serial: MutexGuard<'static, ()>,
}

impl FdGuard {
    fn new() -> FdGuard {
        let serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        FdGuard { before: open_fds(), _serial: serial }
    }
}

impl Drop for FdGuard {
    fn drop(&mut self) {
        if std::thread::panicking() || !cfg!(target_os = "linux") {
            return;
        }
        // Closing is synchronous, but give a straggling thread of a test
        // (a child process's pipes, a runtime's blocking pool) a moment.
        let deadline = Instant::now() + Duration::from_secs(2);
        while open_fds() > self.before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        let after = open_fds();
        assert!(after <= self.before, "descriptors leaked: {} before, {after} after", self.before);
    }
}

/// A small xorshift generator: the tests need repeatable randomness only.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

fn random_bytes(len: usize, seed: u64) -> Bytes {
    let mut rng = Rng(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(len);
    Bytes::from(out)
}

fn local_server(
    options: ServerOptions,
    on_connection: impl Fn(&Socket) + 'static,
) -> (Server, u16) {
    let server = create_server(options, on_connection);
    server.listen(0, "127.0.0.1");
    let port = server.address().expect("listening on 127.0.0.1").port();
    (server, port)
}

fn text(chunks: &RefCell<Vec<u8>>) -> String {
    String::from_utf8_lossy(&chunks.borrow()).into_owned()
}

/// Collects what a socket reads.
fn collect(socket: &Socket) -> Rc<RefCell<Vec<u8>>> {
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    socket.on(Data, move |d: &Bytes| g.borrow_mut().extend_from_slice(d));
    got
}

// ----- echo under load -----

/// Concurrent clients in the load test.
const CLIENTS: usize = 500;
/// Bytes each client sends and must get back. 1 MiB each, 500 MiB each
/// way in all; the scale knob if a slower machine needs it.
const BYTES_PER_CLIENT: usize = 1 << 20;
/// Writes are random in size, from 1 byte to this.
const MAX_CHUNK: u64 = 64 * 1024;

/// Writes `data` in random-size chunks, honouring backpressure, then ends.
fn pump(socket: &Socket, data: Bytes, rng: Rc<RefCell<Rng>>, sent: Rc<Cell<usize>>) {
    loop {
        let at = sent.get();
        if at == data.len() {
            socket.end(None);
            return;
        }
        let n = (1 + (rng.borrow_mut().next() % MAX_CHUNK) as usize).min(data.len() - at);
        sent.set(at + n);
        if !socket.write(data.slice(at..at + n)) {
            let s = socket.clone();
            socket.once(Drain, move |_| pump(&s, data.clone(), rng.clone(), sent.clone()));
            return;
        }
    }
}

#[test]
fn echo_500_clients_every_byte_back_in_order() {
    let _guard = FdGuard::new();
    let started = Instant::now();
    // The server uses every core (two loops), the clients one more loop.
    let cluster = Cluster::start(
        ClusterOptions::new(ListenOptions::new(0).host("127.0.0.1")).workers(2),
        |server| {
            server.on(Connection, |socket: &Socket| {
                socket.pipe(socket);
            });
        },
    )
    .expect("cluster on 127.0.0.1");
    let port = cluster.address().port();
    // One pool of random bytes; client i sends the 1 MiB starting at its
    // own offset, so every stream differs.
    let pool = random_bytes(2 * BYTES_PER_CLIENT, 0x5eed);
    let finished = Rc::new(Cell::new(0usize));
    let f = finished.clone();
    run(async move {
        for i in 0..CLIENTS {
            let offset = (i * 7919) % BYTES_PER_CLIENT;
            let data = pool.slice(offset..offset + BYTES_PER_CLIENT);
            let client = connect(port, "127.0.0.1");
            let received = Rc::new(Cell::new(0usize));
            let (r, expect) = (received.clone(), data.clone());
            client.on(Data, move |chunk: &Bytes| {
                let at = r.get();
                assert!(at + chunk.len() <= expect.len(), "client {i}: more bytes than sent");
                assert!(
                    chunk[..] == expect[at..at + chunk.len()],
                    "client {i}: bytes differ at {at}"
                );
                r.set(at + chunk.len());
            });
            let (r, f) = (received.clone(), f.clone());
            client.on(End, move |_| {
                assert_eq!(r.get(), BYTES_PER_CLIENT, "client {i}: end before every byte");
                f.set(f.get() + 1);
            });
            client.on(Error, move |e: &StreamError| panic!("client {i}: {e}"));
            let rng = Rc::new(RefCell::new(Rng(i as u64 + 1)));
            pump(&client, data, rng, Rc::new(Cell::new(0)));
        }
    });
    assert_eq!(finished.get(), CLIENTS);
    assert_eq!(cluster.connections(), 0);
    cluster.close();
    cluster.join().expect("no worker panicked");
    eprintln!(
        "{CLIENTS} clients echoed {} MiB each in {:?}",
        BYTES_PER_CLIENT >> 20,
        started.elapsed()
    );
}

// ----- resets -----

#[test]
fn reset_mid_transfer_gives_econnreset_then_close_and_the_server_goes_on() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        let first = Rc::new(Cell::new(true));
        // Set by the server when the first connection has sent some data.
        let got_data = Rc::new(Cell::new(false));
        let (l1, g1) = (l.clone(), got_data.clone());
        let (server, port) = local_server(ServerOptions::new(), move |sock| {
            if first.replace(false) {
                let g = g1.clone();
                sock.on(Data, move |_: &Bytes| g.set(true));
                let l = l1.clone();
                sock.on(Error, move |e: &StreamError| {
                    l.borrow_mut().push(format!("server error {} {}", e.code().unwrap_or("?"), e))
                });
                let (l, s) = (l1.clone(), sock.clone());
                sock.on(Close, move |_| {
                    l.borrow_mut().push(format!("server close had_error {}", s.had_error()))
                });
            } else {
                sock.pipe(sock);
            }
        });
        // The first client streams until the server has some, then resets.
        let big = random_bytes(8 << 20, 7);
        let client = connect(port, "127.0.0.1");
        client.on(Error, |e: &StreamError| panic!("the resetting client failed: {e}"));
        client.write(big);
        while !got_data.get() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        client.reset_and_destroy();
        assert!(client.destroyed());
        while l.borrow().len() < 2 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        // The server still serves.
        let second = connect(port, "127.0.0.1");
        let got = collect(&second);
        second.end(Bytes::from("still serving"));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = Cell::new(Some(tx));
        second.on(Close, move |_| {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        rx.await.unwrap();
        assert_eq!(text(&got), "still serving");
        server.close();
    });
    // Node's message: "read ECONNRESET".
    assert_eq!(
        *log.borrow(),
        ["server error ECONNRESET read ECONNRESET", "server close had_error true"]
    );
}

// ----- half-open -----

#[test]
fn half_open_client_ends_first_server_still_replies() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        let ls = l.clone();
        let (server, port) =
            local_server(ServerOptions::new().allow_half_open(true), move |sock| {
                let got = collect(sock);
                let (s, l) = (sock.clone(), ls.clone());
                sock.on(End, move |_| {
                    l.borrow_mut().push(format!(
                        "server end {} writable {}",
                        text(&got),
                        s.writable()
                    ));
                    // Later, still writable: reply, then end.
                    let s = s.clone();
                    streams::set_immediate(move || {
                        s.write(Bytes::from("reply "));
                        s.end(Bytes::from("after your FIN"));
                    });
                });
                let l = ls.clone();
                sock.on(Close, move |_| l.borrow_mut().push("server close".into()));
            });
        let client = connect(port, "127.0.0.1");
        let got = collect(&client);
        client.end(Bytes::from("question"));
        let (l1, c) = (l.clone(), client.clone());
        client.on(End, move |_| l1.borrow_mut().push(format!("client end {}", text(&got))));
        let (l2, c2) = (l.clone(), c.clone());
        client.on(Close, move |_| {
            l2.borrow_mut().push(format!("client close had_error {}", c2.had_error()));
            server.close();
        });
    });
    let log = log.borrow();
    assert_eq!(log[0], "server end question writable true");
    assert!(log.contains(&"client end reply after your FIN".to_string()), "{log:?}");
    assert!(log.contains(&"client close had_error false".to_string()), "{log:?}");
    assert!(log.contains(&"server close".to_string()), "{log:?}");
}

#[test]
fn half_open_server_ends_first_client_still_writes() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        let ls = l.clone();
        let (server, port) =
            local_server(ServerOptions::new().allow_half_open(true), move |sock| {
                sock.end(Bytes::from("hello, then my FIN"));
                let got = collect(sock);
                let (l, s) = (ls.clone(), sock.clone());
                sock.on(End, move |_| {
                    l.borrow_mut().push(format!(
                        "server end {} ended {}",
                        text(&got),
                        s.writable_finished()
                    ))
                });
            });
        let client =
            Socket::connect(ConnectOptions::new(port).host("127.0.0.1").allow_half_open(true));
        let got = collect(&client);
        let (l1, c) = (l.clone(), client.clone());
        client.on(End, move |_| {
            l1.borrow_mut().push(format!("client end {} writable {}", text(&got), c.writable()));
            c.write(Bytes::from("one more "));
            c.end(Bytes::from("from the client"));
        });
        let l2 = l.clone();
        client.on(Close, move |_| {
            l2.borrow_mut().push("client close".into());
            server.close();
        });
    });
    let log = log.borrow();
    assert_eq!(log[0], "client end hello, then my FIN writable true");
    assert!(log.contains(&"server end one more from the client ended true".to_string()), "{log:?}");
    assert!(log.contains(&"client close".to_string()), "{log:?}");
}

#[test]
fn without_half_open_the_socket_ends_after_the_peer_fin() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        let ls = l.clone();
        let (server, port) =
            local_server(ServerOptions::new().allow_half_open(true), move |sock| {
                sock.end(Bytes::from("bye"));
                let l = ls.clone();
                sock.on(End, move |_| {
                    l.borrow_mut().push("server end: the client ended too".into())
                });
            });
        let client = connect(port, "127.0.0.1");
        let got = collect(&client);
        let (l1, c) = (l.clone(), client.clone());
        client.on(End, move |_| {
            l1.borrow_mut().push(format!(
                "client end {} writable_ended {}",
                text(&got),
                c.writable_ended()
            ));
        });
        // The socket ended its side on the tick after 'end'; once that is
        // flushed, a write is Node's writeAfterFIN: EPIPE, and destroy.
        let (l2, c) = (l.clone(), client.clone());
        client.on(Finish, move |_| {
            l2.borrow_mut().push(format!("client finish writable_ended {}", c.writable_ended()));
            assert!(!c.write(Bytes::from("too late")));
        });
        let l3 = l.clone();
        client.on(Error, move |e: &StreamError| {
            l3.borrow_mut().push(format!("write after FIN {}", e.code().unwrap_or("?")))
        });
        client.on(Close, move |_| {
            server.close();
        });
    });
    let log = log.borrow();
    assert_eq!(log[0], "client end bye writable_ended false");
    assert!(log.contains(&"client finish writable_ended true".to_string()), "{log:?}");
    assert!(log.contains(&"write after FIN EPIPE".to_string()), "{log:?}");
    assert!(log.contains(&"server end: the client ended too".to_string()), "{log:?}");
}

// ----- timeouts, limits, errors -----

#[test]
fn set_timeout_fires_on_an_idle_socket_and_leaves_it_open() {
    let _guard = FdGuard::new();
    let fired = Rc::new(Cell::new(0));
    let f = fired.clone();
    run(async move {
        let (server, port) = local_server(ServerOptions::new(), |_| {});
        let client = connect(port, "127.0.0.1");
        let started = Instant::now();
        client.set_timeout(Duration::from_millis(100));
        assert_eq!(client.timeout(), Some(Duration::from_millis(100)));
        let c = client.clone();
        client.on(Timeout, move |_| {
            assert!(started.elapsed() >= Duration::from_millis(100));
            assert!(!c.destroyed(), "a timeout does not close the socket");
            f.set(f.get() + 1);
            if f.get() == 1 {
                // Activity arms it again.
                c.write(Bytes::from("x"));
            } else {
                c.destroy(None);
            }
        });
        client.on(Close, move |_| {
            server.close();
        });
    });
    assert_eq!(fired.get(), 2);
}

#[test]
fn max_connections_refuses_the_connection_over_it() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        let (server, port) = local_server(ServerOptions::new(), |_| {});
        server.set_max_connections(1);
        let l1 = l.clone();
        server.on(Dropped, move |info: &streams::net::events::DropInfo| {
            l1.borrow_mut().push(format!("drop from {:?}", info.remote.map(|a| a.ip().to_string())))
        });
        let first = connect(port, "127.0.0.1");
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = Cell::new(Some(tx));
        first.on(Connect, move |_| {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        rx.await.unwrap();
        while server.get_connections() < 1 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let second = connect(port, "127.0.0.1");
        second.on(Error, |_: &StreamError| {});
        let got = collect(&second);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = Cell::new(Some(tx));
        second.on(Close, move |_| {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        rx.await.unwrap();
        assert!(got.borrow().is_empty());
        l.borrow_mut().push(format!("connections {}", server.get_connections()));
        first.destroy(None);
        let (s, l2) = (server.clone(), l.clone());
        server.close_with(move |res| {
            l2.borrow_mut().push(format!(
                "closed {:?} connections {}",
                res.is_ok(),
                s.get_connections()
            ))
        });
    });
    assert_eq!(
        *log.borrow(),
        ["drop from Some(\"127.0.0.1\")", "connections 1", "closed true connections 0"]
    );
}

#[test]
fn eaddrinuse_is_an_error_event() {
    let _guard = FdGuard::new();
    let codes = Rc::new(RefCell::new(Vec::new()));
    let c = codes.clone();
    run(async move {
        let (a, port) = local_server(ServerOptions::new(), |_| {});
        let b = create_server(ServerOptions::new(), |_| {});
        let (c1, b1) = (c.clone(), b.clone());
        b.on(Error, move |e: &StreamError| {
            c1.borrow_mut().push(e.code().unwrap_or("?").to_string());
            assert_eq!(
                e.to_string(),
                format!("listen EADDRINUSE: address already in use 127.0.0.1:{port}")
            );
            assert!(!b1.listening());
            a.close();
        });
        b.on(Listening, |_| panic!("two servers on one port"));
        b.listen(port, "127.0.0.1");
    });
    assert_eq!(*codes.borrow(), ["EADDRINUSE"]);
}

#[test]
fn connection_refused_is_an_error_then_close() {
    let _guard = FdGuard::new();
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    run(async move {
        // A port that was free a moment ago.
        let (server, port) = local_server(ServerOptions::new(), |_| {});
        server.close();
        let client = connect(port, "127.0.0.1");
        let l1 = l.clone();
        client.on(Error, move |e: &StreamError| {
            assert_eq!(e.to_string(), format!("connect ECONNREFUSED 127.0.0.1:{port}"));
            l1.borrow_mut().push(e.code().unwrap_or("?").into())
        });
        let (l2, c) = (l.clone(), client.clone());
        client
            .on(Close, move |_| l2.borrow_mut().push(format!("close had_error {}", c.had_error())));
    });
    assert_eq!(*log.borrow(), ["ECONNREFUSED", "close had_error true"]);
}

// ----- backpressure through TCP -----

#[test]
fn a_slow_consumer_pushes_back_on_the_peer() {
    let _guard = FdGuard::new();
    run(async move {
        let accepted = Rc::new(RefCell::new(None::<Socket>));
        let a = accepted.clone();
        let (server, port) =
            local_server(ServerOptions::new().pause_on_connect(true), move |sock| {
                *a.borrow_mut() = Some(sock.clone());
            });
        let client = connect(port, "127.0.0.1");
        let total = 32 << 20;
        let data = random_bytes(total, 3);
        // Write it all at once: the socket buffers what TCP cannot take.
        for chunk in data.chunks(64 * 1024) {
            client.write(data.slice_ref(chunk));
        }
        client.end(None);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let sock = accepted.borrow().clone().expect("accepted");
        // Nothing consumes: the server read at most its high-water mark,
        // the kernels' buffers hold some, and the rest waits in the client.
        assert!(sock.bytes_read() <= 64 * 1024, "read {} while paused", sock.bytes_read());
        assert!(client.writable_length() > total / 2, "client buffer {}", client.writable_length());
        assert_eq!(client.bytes_written(), total as u64);
        // Consume: everything arrives, in order.
        let got = collect(&sock);
        sock.resume();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let tx = Cell::new(Some(tx));
        sock.on(End, move |_| {
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        rx.await.unwrap();
        assert!(got.borrow()[..] == data[..]);
        assert_eq!(sock.bytes_read(), total as u64);
        assert_eq!(sock.remote_port(), client.local_port());
        assert_eq!(sock.remote_address().as_deref(), Some("127.0.0.1"));
        assert_eq!(client.remote_family(), Some("IPv4"));
        server.close();
    });
}

// ----- Node.js interop -----

fn node() -> Option<PathBuf> {
    if let Some(node) = std::env::var_os("NODE") {
        return Some(PathBuf::from(node));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("node")).find(|p| p.is_file())
}

/// The bytes both sides agree on, without sending a seed.
fn interop_data(len: usize) -> Vec<u8> {
    (0..len).map(|i| ((i * 7 + (i >> 10)) & 255) as u8).collect()
}

const INTEROP_LEN: usize = 3 << 20;

const NODE_CLIENT: &str = r#"
const net = require('net');
const [port, size] = process.argv.slice(1).map(Number);
const data = Buffer.alloc(size);
for (let i = 0; i < size; i++) data[i] = (i * 7 + (i >> 10)) & 255;
const c = net.connect(port, '127.0.0.1');
const got = [];
c.on('data', (d) => got.push(d));
c.on('end', () => process.stdout.write(Buffer.concat(got)));
let off = 0, k = 1;
(function pump() {
  while (off < size) {
    const n = Math.min(size - off, 1 + ((k++ * 7919) % 65536));
    const ok = c.write(data.subarray(off, off + n));
    off += n;
    if (!ok) { c.once('drain', pump); return; }
  }
  c.end();
})();
"#;

const NODE_ECHO_SERVER: &str = r#"
const net = require('net');
const server = net.createServer((c) => { c.pipe(c); c.on('close', () => server.close()); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
"#;

#[test]
fn node_client_against_our_echo_server() {
    let _guard = FdGuard::new();
    let Some(node) = node() else {
        eprintln!("skipped: no `node` on the PATH (or NODE)");
        return;
    };
    let output = run(async move {
        let (server, port) = local_server(ServerOptions::new(), |sock| {
            sock.pipe(sock);
        });
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let out = Command::new(node)
                .args(["-e", NODE_CLIENT, &port.to_string(), &INTEROP_LEN.to_string()])
                .stderr(Stdio::inherit())
                .output();
            let _ = tx.send(out);
        });
        let out = rx.await.unwrap().expect("node runs");
        server.close();
        out
    });
    assert!(output.status.success(), "node failed: {:?}", output.status);
    assert_eq!(output.stdout.len(), INTEROP_LEN);
    assert!(output.stdout == interop_data(INTEROP_LEN), "node got other bytes back");
}

#[test]
fn our_client_against_a_node_echo_server() {
    let _guard = FdGuard::new();
    let Some(node) = node() else {
        eprintln!("skipped: no `node` on the PATH (or NODE)");
        return;
    };
    let mut child = Command::new(node)
        .args(["-e", NODE_ECHO_SERVER])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("node runs");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("node prints its port");
    let port: u16 = line.trim().parse().expect("a port");
    let got = run(async move {
        let client = connect(port, "127.0.0.1");
        let got = collect(&client);
        let data = Bytes::from(interop_data(INTEROP_LEN));
        let rng = Rc::new(RefCell::new(Rng(99)));
        pump(&client, data, rng, Rc::new(Cell::new(0)));
        client.on(Error, |e: &StreamError| panic!("{e}"));
        got
    });
    let mut rest = Vec::new();
    let _ = stdout.read_to_end(&mut rest);
    let status = child.wait().expect("node exits");
    assert!(status.success());
    assert_eq!(got.borrow().len(), INTEROP_LEN);
    assert!(
        got.borrow()[..] == interop_data(INTEROP_LEN)[..],
        "the Node server echoed other bytes"
    );
}

// ----- re-entrancy -----

/// Calls the socket's own methods, as a listener might.
fn poke(s: &Socket) {
    let _ = (s.bytes_read(), s.bytes_written(), s.remote_address(), s.local_port());
    let _ = (s.ready_state(), s.pending(), s.connecting(), s.had_error(), s.timeout());
    s.set_no_delay(true).set_keep_alive(true);
}

#[test]
fn socket_methods_from_inside_every_listener() {
    let _guard = FdGuard::new();
    let closes = Rc::new(Cell::new(0));
    let c = closes.clone();
    run(async move {
        let (server, port) = local_server(ServerOptions::new(), |sock| {
            poke(sock);
            let s = sock.clone();
            sock.on(Data, move |chunk: &Bytes| {
                poke(&s);
                s.write(chunk.clone());
                s.pause();
                let s = s.clone();
                streams::set_immediate(move || {
                    s.resume();
                });
            });
            let s = sock.clone();
            sock.on(End, move |_| {
                poke(&s);
                s.end(Bytes::from("bye"));
            });
            let s = sock.clone();
            sock.on(Finish, move |_| poke(&s));
            let s = sock.clone();
            sock.on(Close, move |_| {
                poke(&s);
                s.set_timeout(Duration::from_millis(1));
                s.destroy_soon();
                s.reset_and_destroy();
                s.destroy(None);
            });
        });
        // A client that talks, pauses and resumes, then ends.
        let talker = connect(port, "127.0.0.1");
        let t = talker.clone();
        talker.on(Connect, move |_| {
            poke(&t);
            t.set_timeout(Duration::from_secs(5));
            t.write(Bytes::from("one"));
        });
        let (t, n) = (talker.clone(), Rc::new(Cell::new(0)));
        talker.on(Data, move |_: &Bytes| {
            poke(&t);
            n.set(n.get() + 1);
            if n.get() == 1 {
                t.pause();
                t.resume();
                t.write(Bytes::from("two"));
                t.end(None);
            }
        });
        talker.on(Timeout, |_| panic!("no timeout: the talker is busy"));
        // A client destroyed as it connects, one reset on its first data,
        // one destroyed in its 'lookup' (so it never connects).
        let quitter = connect(port, "127.0.0.1");
        let q = quitter.clone();
        quitter.on(Connect, move |_| {
            q.destroy(None);
            poke(&q);
        });
        let resetter = connect(port, "127.0.0.1");
        resetter.write(Bytes::from("x"));
        let r = resetter.clone();
        resetter.on(Data, move |_: &Bytes| {
            r.reset_and_destroy();
            poke(&r);
            r.write(Bytes::from("after reset"));
        });
        resetter.on(Error, |_: &StreamError| {});
        let looker = Socket::connect(ConnectOptions::new(port).host("localhost"));
        let l = looker.clone();
        looker.on(streams::net::events::Lookup, move |_: &streams::net::events::LookupInfo| {
            l.destroy(None);
        });
        let remaining = Rc::new(Cell::new(4));
        for s in [&talker, &quitter, &resetter, &looker] {
            let (s2, c, remaining, server) =
                (s.clone(), c.clone(), remaining.clone(), server.clone());
            s.on(Close, move |_| {
                poke(&s2);
                s2.destroy(None);
                c.set(c.get() + 1);
                remaining.set(remaining.get() - 1);
                if remaining.get() == 0 {
                    server.close();
                }
            });
        }
    });
    assert_eq!(closes.get(), 4);
}
