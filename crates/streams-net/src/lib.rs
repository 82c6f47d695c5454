//! TCP for [streams]: Node's `net` module on tokio.
//!
//! A [`Socket`] is a Duplex of bytes over a TCP connection, with Node's
//! events (`'connect'`, `'ready'`, `'data'`, `'end'`, `'drain'`,
//! `'timeout'`, `'error'`, `'close'`) and methods (`set_timeout`,
//! `set_no_delay`, `set_keep_alive`, `set_encoding`, `bytes_read`,
//! `bytes_written`, `remote_address`, `destroy_soon`,
//! `reset_and_destroy`, ...). A [`Server`] accepts connections and emits
//! each as a `Socket` (`'listening'`, `'connection'`, `'close'`,
//! `'error'`; `address()`, `get_connections()`, `max_connections`). The
//! functions are Node's: [`create_server`], [`connect`] /
//! [`create_connection`].
//!
//! Sockets and servers live on the event loop of the thread that made them
//! ([`streams_core::run`]), as in Node; the I/O runs as tasks of that loop,
//! and a socket reads only while its readable side wants data, so a slow
//! consumer slows the peer down through TCP itself. [`Cluster`] runs one
//! server per core, handing each connection to one of N event loops.
//!
//! The Node-to-Rust map, with the few places where we differ, is in
//! `docs/net.md`.
//!
//! [streams]: https://docs.rs/streams
//!
//! # Examples
//!
//! An echo server (`socket.pipe(socket)`) and a client:
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//! use bytes::Bytes;
//! use streams_net::events::{Close, Connect, Data, End};
//!
//! let log = Rc::new(RefCell::new(Vec::new()));
//! let l = log.clone();
//! streams_core::run(async move {
//!     let server = streams_net::create_server(Default::default(), |socket| {
//!         socket.pipe(socket);
//!     });
//!     server.listen(0, "127.0.0.1");
//!     let port = server.address().unwrap().port();
//!
//!     let client = streams_net::connect(port, "127.0.0.1");
//!     let (l1, l2, l3) = (l.clone(), l.clone(), l.clone());
//!     client.on(Connect, move |_| l1.borrow_mut().push("connect".to_string()));
//!     client.on(Data, move |chunk: &Bytes| {
//!         l2.borrow_mut().push(String::from_utf8_lossy(chunk).into_owned())
//!     });
//!     client.on(End, move |_| l3.borrow_mut().push("end".to_string()));
//!     client.on(Close, move |_| { server.close(); });
//!     client.end(Bytes::from("hello"));
//! });
//! assert_eq!(*log.borrow(), ["connect", "hello", "end"]);
//! ```
#![doc(test(no_crate_inject, attr(deny(warnings))))]
#![forbid(unsafe_code)]

mod cluster;
mod conn;
mod connect;
mod connect_options;
mod error;
pub mod events;
mod listen_options;
mod server;
mod server_options;
mod socket;
mod socket_options;
mod sockopt;
mod timer;

pub use self::cluster::{Cluster, ClusterOptions};
pub use self::connect_options::ConnectOptions;
pub use self::listen_options::ListenOptions;
pub use self::server::Server;
pub use self::server_options::ServerOptions;
pub use self::socket::Socket;
pub use self::socket_options::SocketOptions;

/// Makes a server whose [`Connection`](events::Connection) events go to
/// `on_connection`: Node's `net.createServer(options, connectionListener)`.
/// Call [`listen`](Server::listen) to start it.
///
/// # Examples
///
/// ```
/// streams_core::run(async {
///     let server = streams_net::create_server(Default::default(), |socket| {
///         socket.end(bytes::Bytes::from("hello\n"));
///     });
///     server.listen(0, "127.0.0.1");
///     server.close();
/// });
/// ```
pub fn create_server(options: ServerOptions, on_connection: impl Fn(&Socket) + 'static) -> Server {
    let server = Server::new(options);
    server.on(events::Connection, on_connection);
    server
}

/// Connects to `host:port`: Node's `net.connect(port, host)`. See
/// [`Socket::connect`].
///
/// # Examples
///
/// ```no_run
/// streams_core::run(async {
///     let socket = streams_net::connect(7000, "127.0.0.1");
///     socket.end(bytes::Bytes::from("hi"));
/// });
/// ```
pub fn connect(port: u16, host: &str) -> Socket {
    Socket::connect(ConnectOptions::new(port).host(host))
}

/// Connects with every option: Node's `net.createConnection(options)`.
/// See [`Socket::connect`].
///
/// # Examples
///
/// ```no_run
/// use streams_net::ConnectOptions;
/// streams_core::run(async {
///     let socket = streams_net::create_connection(ConnectOptions::new(7000).host("127.0.0.1").no_delay(true));
///     # drop(socket);
/// });
/// ```
pub fn create_connection(options: ConnectOptions) -> Socket {
    Socket::connect(options)
}

/// The guide's examples (`docs/net.md`), compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/net.md")]
struct NetGuideDoctests;
