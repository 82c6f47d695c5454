//! `Socket`: Node's `net.Socket`, a Duplex over a TCP connection.

use std::collections::VecDeque;
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;
use std::ops::Deref;
use std::rc::{Rc, Weak};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use streams_core::encoding::Encoding;
use streams_core::{
    next_tick, AnyStreamRef, Callback, Duplex, Macrotask, ReadEndRef, ReadableStream, Stream,
    StreamError, StreamId, WritableStream, WriteCallback, WriteEndRef,
};
use tokio::net::TcpStream;

use crate::conn::{Conn, Inner, PendingWrite, ReadOutcome};
use crate::error;
use crate::events::{self, Connect, Ready, Timeout};
use crate::server::ServerInner;
use crate::{ConnectOptions, SocketOptions};

/// Reads done in one turn of a socket's task before it lets others run.
const READS_PER_TURN: usize = 16;

/// Node's `net.Socket`: a [`Duplex`] of bytes over a TCP connection.
///
/// It dereferences to its `Duplex<Bytes, Bytes>`, so it has every Readable
/// and Writable method and event (`write` returning `false` at the
/// high-water mark, `'drain'`, `pipe`, `'data'`, `'end'`, ...), and adds
/// Node's socket events ([`Connect`], [`Ready`], [`Lookup`](events::Lookup),
/// [`Timeout`]) and methods ([`set_timeout`](Socket::set_timeout),
/// [`set_no_delay`](Socket::set_no_delay), [`bytes_read`](Socket::bytes_read),
/// [`remote_address`](Socket::remote_address), [`reset_and_destroy`](Socket::reset_and_destroy), ...).
///
/// - **Reading** happens only while the readable side asks for data: as in
///   Node, the socket reads until its buffer reaches the high-water mark,
///   then stops until the consumer takes data. A slow consumer thus pushes
///   back on the peer through TCP's window.
/// - **Writing**: each chunk is written at once if the kernel takes it;
///   several chunks buffered behind a slow write go out in one vectored
///   write. `end()` shuts the write side down (the peer reads EOF).
/// - **Half-open**: after the peer's FIN (`'end'`) a socket ends its own
///   side on the next tick, unless it allows half-open connections.
/// - **Closing**: `'close'` follows the end of both sides, `destroy()`, or
///   an error (after `'error'`). Node passes `hadError` to `'close'`; here
///   [`had_error`](Socket::had_error) tells.
///
/// Get one from [`connect`](crate::connect), [`Socket::connect`], a
/// [`Server`](crate::Server)'s [`Connection`](events::Connection) event, or
/// [`Socket::from_tcp_stream`].
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_net::events::{Close, Data, Listening};
///
/// let got = Rc::new(RefCell::new(Vec::new()));
/// let g = got.clone();
/// streams_core::run(async move {
///     // An echo server, and a client that sends one line and ends.
///     let server = streams_net::create_server(Default::default(), |socket| {
///         socket.pipe(socket);
///     });
///     server.listen(0, "127.0.0.1");
///     let s = server.clone();
///     server.on(Listening, move |_| {
///         let port = s.address().unwrap().port();
///         let client = streams_net::connect(port, "127.0.0.1");
///         let g = g.clone();
///         client.on(Data, move |chunk: &Bytes| g.borrow_mut().extend_from_slice(chunk));
///         let s = s.clone();
///         client.on(Close, move |_| { s.close(); });
///         client.end(Bytes::from("hello"));
///     });
/// });
/// assert_eq!(&got.borrow()[..], b"hello");
/// ```
#[derive(Clone)]
pub struct Socket {
    duplex: Duplex<Bytes, Bytes>,
    pub(crate) inner: Rc<Inner>,
}

impl fmt::Debug for Socket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Socket")
            .field("remote", &self.inner.remote.get())
            .field("connecting", &self.inner.connecting.get())
            .field("destroyed", &self.duplex.destroyed())
            .field("bytes_read", &self.inner.bytes_read.get())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Socket {
    /// Two handles are equal when they are the same socket.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Socket {}

impl Deref for Socket {
    type Target = Duplex<Bytes, Bytes>;

    fn deref(&self) -> &Duplex<Bytes, Bytes> {
        &self.duplex
    }
}

impl Stream for Socket {
    fn stream_id(&self) -> StreamId {
        self.duplex.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.duplex.any_stream()
    }
}

impl ReadableStream for Socket {
    type Out = Bytes;

    fn read_end(&self) -> ReadEndRef<Bytes> {
        self.duplex.read_end()
    }
}

impl WritableStream for Socket {
    type In = Bytes;

    fn write_end(&self) -> WriteEndRef<Bytes> {
        self.duplex.write_end()
    }
}

impl Socket {
    /// Opens a connection: Node's `net.connect(options)` /
    /// `new net.Socket().connect(options)`.
    ///
    /// Returns at once with a socket that is connecting
    /// ([`pending`](Socket::pending) is true). A host name is resolved first
    /// ([`Lookup`](events::Lookup)); then [`Connect`] and [`Ready`] are
    /// emitted, or `'error'` (`ECONNREFUSED`, `ENOTFOUND`, ...) and
    /// `'close'`. Writes and `end()` made meanwhile wait for the
    /// connection, as in Node.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::StreamError;
    /// use streams_net::{events, ConnectOptions, Socket};
    ///
    /// streams_core::run(async {
    ///     // Port 1 on the loopback: nobody listens there.
    ///     let socket = Socket::connect(ConnectOptions::new(1).host("127.0.0.1"));
    ///     assert!(socket.pending());
    ///     socket.on(events::Error, |e: &StreamError| assert_eq!(e.code(), Some("ECONNREFUSED")));
    /// });
    /// ```
    pub fn connect(options: ConnectOptions) -> Socket {
        let socket = Socket::build(&options.socket);
        socket.inner.connecting.set(true);
        if let Some(timeout) = options.timeout {
            socket.set_timeout(timeout);
        }
        let s = socket.clone();
        let task = streams_core::spawn(crate::connect::connect(s, options));
        *socket.inner.connect_task.borrow_mut() = Some(task);
        socket
    }

    /// Wraps a connected tokio `TcpStream` (Node's `new net.Socket({ handle
    /// })`). The socket starts reading at once (up to its high-water mark)
    /// unless `options` says [`pause_on_create`](SocketOptions::pause_on_create).
    ///
    /// Call it inside the event loop ([`streams_core::run`]); the stream must
    /// belong to this thread's runtime (from another thread, pass a
    /// `std::net::TcpStream` through `TcpStream::from_std`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{Socket, SocketOptions};
    ///
    /// streams_core::run(async {
    ///     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    ///     let addr = listener.local_addr().unwrap();
    ///     let (client, _) = tokio::join!(tokio::net::TcpStream::connect(addr), listener.accept());
    ///     let socket = Socket::from_tcp_stream(client.unwrap(), SocketOptions::new());
    ///     assert_eq!(socket.remote_port(), Some(addr.port()));
    ///     socket.destroy(None);
    /// });
    /// ```
    pub fn from_tcp_stream(stream: TcpStream, options: SocketOptions) -> Socket {
        Socket::open(stream, &options, None, None)
    }

    /// A socket for a connection a server accepted.
    pub(crate) fn accepted(
        stream: TcpStream,
        options: &SocketOptions,
        remote: Option<SocketAddr>,
        server: Weak<ServerInner>,
    ) -> Socket {
        Socket::open(stream, options, remote, Some(server))
    }

    fn open(
        stream: TcpStream,
        options: &SocketOptions,
        remote: Option<SocketAddr>,
        server: Option<Weak<ServerInner>>,
    ) -> Socket {
        let socket = Socket::build(options);
        *socket.inner.server.borrow_mut() = server;
        socket.inner.remote.set(remote);
        socket.attach(stream);
        if options.pause_on_create {
            socket.duplex.pause();
        } else {
            socket.duplex.read(0);
        }
        socket
    }

    /// The stream with its hooks: reads and writes go to `inner.conn`.
    fn build(options: &SocketOptions) -> Socket {
        let inner = Rc::new(Inner::default());
        inner.no_delay.set(options.no_delay);
        inner.keep_alive.set(options.keep_alive);
        let mut builder =
            Duplex::<Bytes, Bytes>::builder().allow_half_open(options.allow_half_open);
        if let Some(hwm) = options.readable_high_water_mark {
            builder = builder.readable_high_water_mark(hwm);
        }
        if let Some(hwm) = options.writable_high_water_mark {
            builder = builder.writable_high_water_mark(hwm);
        }
        let (r, w, wv, f, d) =
            (inner.clone(), inner.clone(), inner.clone(), inner.clone(), inner.clone());
        let duplex = builder
            .read(move |_, _| r.start_reading())
            .write(move |_, chunk, _, cb| write_one(&w, chunk, cb))
            .writev(move |_, chunks, cb| {
                write_many(&wv, chunks.into_iter().map(|c| c.chunk).collect(), cb)
            })
            .final_(move |_, cb| final_hook(&f, cb))
            .destroy(move |_, err, cb| destroy_hook(&d, err, cb))
            .build();
        Socket { duplex, inner }
    }

    /// Installs a connected stream and starts the read task.
    fn attach(&self, stream: TcpStream) {
        let inner = &self.inner;
        if inner.no_delay.get() {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::debug!("no_delay failed: {e}");
            }
        }
        if inner.keep_alive.get() {
            if let Err(e) = crate::sockopt::set_keepalive(&stream, true) {
                tracing::debug!("keep_alive failed: {e}");
            }
        }
        *inner.conn.borrow_mut() = Some(Conn::new(stream));
        inner.connecting.set(false);
        inner.touch();
        streams_core::spawn(read_loop(self.clone()));
    }

    /// The end of a successful connect (Node's `afterConnect`).
    pub(crate) fn on_connected(&self, stream: TcpStream, remote: SocketAddr) {
        let inner = &self.inner;
        inner.remote.set(Some(remote));
        drop(inner.connect_task.borrow_mut().take());
        self.attach(stream);
        self.duplex.emit(Connect, &());
        self.duplex.emit(Ready, &());
        if inner.closed.get() {
            return;
        }
        let pending = inner.pending_write.borrow_mut().take();
        match pending {
            Some(PendingWrite::One(chunk, cb)) => write_one(inner, chunk, cb),
            Some(PendingWrite::Many(chunks, cb)) => write_many(inner, chunks, cb),
            None => {}
        }
        let pending = inner.pending_final.borrow_mut().take();
        if let Some(cb) = pending {
            final_hook(inner, cb);
        }
        if inner.read_on_connect.replace(false) {
            inner.start_reading();
        }
        if !self.duplex.is_paused() {
            self.duplex.read(0);
        }
    }

    // ----- writing (Node's writeAfterFIN) -----

    /// A write after the peer's FIN on a socket that ended its side
    /// because it does not allow half-open connections: Node's
    /// `writeAfterFIN`.
    fn ended_by_peer(&self) -> bool {
        !self.duplex.allow_half_open()
            && self.duplex.readable_ended()
            && self.duplex.writable_ended()
    }

    /// Writes a chunk (see [`Duplex::write`]): `false` means the buffer is
    /// over the high-water mark, wait for `'drain'`.
    ///
    /// After the peer ended the connection and this socket ended its side
    /// in turn (no half-open), the write fails as in Node: the socket is
    /// destroyed with an `EPIPE` error, "This socket has been ended by the
    /// other party".
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// if !socket.write(bytes::Bytes::from("hello")) {
    ///     socket.once(streams_net::events::Drain, |_| println!("write more"));
    /// }
    /// # });
    /// ```
    pub fn write(&self, chunk: Bytes) -> bool {
        if self.ended_by_peer() {
            self.duplex.destroy(Some(error::ended_by_other_party()));
            return false;
        }
        self.duplex.write(chunk)
    }

    /// [`write`](Socket::write) with a callback called once the chunk is
    /// written (or with the error).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.write_with(bytes::Bytes::from("hello"), |res| println!("written: {res:?}"));
    /// # });
    /// ```
    pub fn write_with(
        &self,
        chunk: Bytes,
        cb: impl FnOnce(Result<(), StreamError>) + 'static,
    ) -> bool {
        if self.ended_by_peer() {
            let err = error::ended_by_other_party();
            let e = err.clone();
            next_tick(move || cb(Err(e)));
            self.duplex.destroy(Some(err));
            return false;
        }
        self.duplex.write_with(chunk, cb)
    }

    /// Writes a string in `encoding` (utf8 by default).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.write_str("GET / HTTP/1.0\r\n\r\n", None);
    /// # });
    /// ```
    pub fn write_str(&self, text: &str, encoding: impl Into<Option<Encoding>>) -> bool {
        if self.ended_by_peer() {
            self.duplex.destroy(Some(error::ended_by_other_party()));
            return false;
        }
        self.duplex.write_str(text, encoding)
    }

    // ----- lifecycle -----

    /// Ends the writable side, then destroys the socket once it finished
    /// (Node's `destroySoon`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.write(bytes::Bytes::from("bye"));
    /// socket.destroy_soon();
    /// # });
    /// ```
    pub fn destroy_soon(&self) {
        if self.duplex.destroyed() {
            return;
        }
        if self.duplex.writable() {
            self.duplex.end(None);
        }
        if self.duplex.writable_finished() {
            self.duplex.destroy(None);
        } else {
            let d = self.duplex.clone();
            self.duplex.once(events::Finish, move |_| {
                d.destroy(None);
            });
        }
    }

    /// Closes the connection with a TCP RST instead of a FIN (`SO_LINGER`
    /// 0), then destroys the socket: Node's `resetAndDestroy`. The peer
    /// sees `ECONNRESET`. While connecting, this happens once connected;
    /// on a closed socket it destroys it with `ERR_SOCKET_CLOSED`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.reset_and_destroy();
    /// # });
    /// ```
    pub fn reset_and_destroy(&self) -> &Self {
        let inner = &self.inner;
        if inner.connecting.get() {
            inner.reset.set(true);
            let d = self.duplex.clone();
            self.duplex.once(Connect, move |_| {
                d.destroy(None);
            });
        } else if inner.conn.borrow().is_some() {
            inner.reset.set(true);
            self.duplex.destroy(None);
        } else {
            self.duplex.destroy(Some(error::socket_closed()));
        }
        self
    }

    /// Whether `'close'` comes (or came) because of an error: Node's
    /// `hadError` argument of `'close'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::StreamError;
    /// use streams_net::{ConnectOptions, Socket};
    ///
    /// streams_core::run(async {
    ///     let socket = Socket::connect(ConnectOptions::new(1).host("127.0.0.1"));
    ///     socket.on(streams_net::events::Error, |_: &StreamError| {});
    ///     let s = socket.clone();
    ///     socket.on(streams_net::events::Close, move |_| assert!(s.had_error()));
    /// });
    /// ```
    pub fn had_error(&self) -> bool {
        self.inner.had_error.get()
    }

    // ----- options -----

    /// Emits [`Timeout`] after `timeout` of inactivity (no data read or
    /// written); `Duration::ZERO` disables it. The socket is not closed:
    /// end or destroy it in the listener, as in Node.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use std::time::Duration;
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.set_timeout(Duration::from_secs(30));
    /// let s = socket.clone();
    /// socket.on(streams_net::events::Timeout, move |_| { s.end(None); });
    /// # });
    /// ```
    pub fn set_timeout(&self, timeout: Duration) -> &Self {
        if self.duplex.destroyed() {
            return self;
        }
        if timeout.is_zero() {
            self.inner.timer.cancel();
            return self;
        }
        let socket = self.clone();
        self.inner.timer.start(timeout, move || {
            // Unref'd, as Node's socket timers: it does not keep the loop
            // alive by itself.
            tokio::task::spawn_local(Macrotask::new(async move {
                while socket.inner.timer.expired().await {
                    socket.duplex.emit(Timeout, &());
                    streams_core::drain_ticks();
                }
            }))
        });
        self
    }

    /// The idle timeout set with [`set_timeout`](Socket::set_timeout)
    /// (Node's `timeout`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// assert_eq!(socket.timeout(), None);
    /// # });
    /// ```
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.timeout()
    }

    /// Disables (`true`) or enables Nagle's algorithm (`TCP_NODELAY`),
    /// now or once connected.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.set_no_delay(true);
    /// # });
    /// ```
    pub fn set_no_delay(&self, no_delay: bool) -> &Self {
        self.inner.set_no_delay_now(no_delay);
        self
    }

    /// Enables or disables TCP keep-alive (`SO_KEEPALIVE`), now or once
    /// connected. Node's `initialDelay` has no equivalent in tokio: the
    /// operating system's idle time applies.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.set_keep_alive(true);
    /// # });
    /// ```
    pub fn set_keep_alive(&self, keep_alive: bool) -> &Self {
        self.inner.set_keep_alive_now(keep_alive);
        self
    }

    // ----- properties -----

    /// Bytes received so far (Node's `bytesRead`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// assert_eq!(socket.bytes_read(), 0);
    /// # });
    /// ```
    pub fn bytes_read(&self) -> u64 {
        self.inner.bytes_read.get()
    }

    /// Bytes written so far, counting those still buffered (Node's
    /// `bytesWritten`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.write(bytes::Bytes::from("abc"));
    /// assert_eq!(socket.bytes_written(), 3);
    /// # });
    /// ```
    pub fn bytes_written(&self) -> u64 {
        let buffered = self.duplex.writable_length().saturating_sub(self.inner.in_flight.get());
        self.inner.bytes_dispatched.get() + buffered as u64
    }

    /// The peer's address and port, once connected.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// socket.on(streams_net::events::Connect, {
    ///     let s = socket.clone();
    ///     move |_| println!("connected to {:?}", s.remote_addr())
    /// });
    /// # });
    /// ```
    pub fn remote_addr(&self) -> Option<SocketAddr> {
        if self.inner.remote.get().is_none() {
            let peer = self.inner.conn.borrow().as_ref().and_then(|c| c.stream().peer_addr().ok());
            self.inner.remote.set(peer);
        }
        self.inner.remote.get()
    }

    /// This end's address and port (Node's `socket.address()`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// println!("{:?}", socket.local_addr());
    /// # });
    /// ```
    pub fn local_addr(&self) -> Option<SocketAddr> {
        if self.inner.local.get().is_none() {
            let local =
                self.inner.conn.borrow().as_ref().and_then(|c| c.stream().local_addr().ok());
            self.inner.local.set(local);
        }
        self.inner.local.get()
    }

    /// Node's `remoteAddress`: the peer's IP address as text.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.remote_address(); // Some("127.0.0.1") once connected
    /// # });
    /// ```
    pub fn remote_address(&self) -> Option<String> {
        self.remote_addr().map(|a| a.ip().to_string())
    }

    /// Node's `remotePort`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.remote_port(); // Some(7000) once connected
    /// # });
    /// ```
    pub fn remote_port(&self) -> Option<u16> {
        self.remote_addr().map(|a| a.port())
    }

    /// Node's `remoteFamily`: `"IPv4"` or `"IPv6"`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.remote_family(); // Some("IPv4") once connected
    /// # });
    /// ```
    pub fn remote_family(&self) -> Option<&'static str> {
        self.remote_addr().map(family)
    }

    /// Node's `localAddress`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.local_address();
    /// # });
    /// ```
    pub fn local_address(&self) -> Option<String> {
        self.local_addr().map(|a| a.ip().to_string())
    }

    /// Node's `localPort`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.local_port();
    /// # });
    /// ```
    pub fn local_port(&self) -> Option<u16> {
        self.local_addr().map(|a| a.port())
    }

    /// Node's `localFamily`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// # let _ =
    /// socket.local_family();
    /// # });
    /// ```
    pub fn local_family(&self) -> Option<&'static str> {
        self.local_addr().map(family)
    }

    /// Node's `connecting`: `connect()` was called and `'connect'` has not
    /// come yet.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// assert!(socket.connecting());
    /// # });
    /// ```
    pub fn connecting(&self) -> bool {
        self.inner.connecting.get()
    }

    /// Node's `pending`: not connected yet (connecting, or closed).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// assert!(socket.pending());
    /// # });
    /// ```
    pub fn pending(&self) -> bool {
        self.inner.connecting.get() || self.inner.conn.borrow().is_none()
    }

    /// Node's `readyState`: `"opening"`, `"open"`, `"readOnly"`,
    /// `"writeOnly"` or `"closed"`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// assert_eq!(socket.ready_state(), "opening");
    /// # });
    /// ```
    pub fn ready_state(&self) -> &'static str {
        if self.connecting() {
            return "opening";
        }
        match (self.duplex.readable(), self.duplex.writable()) {
            (true, true) => "open",
            (true, false) => "readOnly",
            (false, true) => "writeOnly",
            (false, false) => "closed",
        }
    }

    /// The socket as its `Duplex` (which it dereferences to).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let socket = streams_net::connect(7000, "127.0.0.1");
    /// let duplex: streams_core::Duplex = socket.as_duplex().clone();
    /// # drop(duplex);
    /// # });
    /// ```
    pub fn as_duplex(&self) -> &Duplex<Bytes, Bytes> {
        &self.duplex
    }

    /// The socket as its `Duplex`, by value.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # streams_core::run(async {
    /// let duplex = streams_net::connect(7000, "127.0.0.1").into_duplex();
    /// # drop(duplex);
    /// # });
    /// ```
    pub fn into_duplex(self) -> Duplex<Bytes, Bytes> {
        self.duplex
    }
}

fn family(addr: SocketAddr) -> &'static str {
    if addr.is_ipv4() {
        "IPv4"
    } else {
        "IPv6"
    }
}

/// Reads while the readable side wants data, pushing each chunk (Node's
/// `onStreamRead`); ends at EOF, on an error, or when the socket closes.
async fn read_loop(socket: Socket) {
    let inner = socket.inner.clone();
    let mut buf = BytesMut::new();
    let mut turn = 0;
    loop {
        let outcome = poll_fn(|cx| inner.poll_read(cx, &mut buf)).await;
        match outcome {
            ReadOutcome::Data(chunk) => {
                inner.bytes_read.set(inner.bytes_read.get() + chunk.len() as u64);
                inner.touch();
                if !socket.duplex.push(chunk) {
                    // Node's readStop: the buffer is full, or the stream
                    // is gone. The read hook starts reading again.
                    inner.reading.set(false);
                }
                // Each read is one I/O callback: its ticks run now.
                streams_core::drain_ticks();
            }
            ReadOutcome::Eof => {
                inner.reading.set(false);
                socket.duplex.push(None);
                socket.duplex.read(0);
                return;
            }
            ReadOutcome::Error(e) => {
                socket.duplex.destroy(Some(error::errno(e, "read")));
                return;
            }
            ReadOutcome::Closed => return,
        }
        turn += 1;
        if turn == READS_PER_TURN {
            turn = 0;
            tokio::task::yield_now().await;
        }
    }
}

/// The write hook: one chunk, written now if the kernel takes it all (a
/// synchronous completion, as libuv's `uv_try_write`), otherwise by a task
/// that waits for the socket to be writable.
fn write_one(inner: &Rc<Inner>, mut chunk: Bytes, cb: WriteCallback) {
    if inner.connecting.get() {
        *inner.pending_write.borrow_mut() = Some(PendingWrite::One(chunk, cb));
        return;
    }
    inner.touch();
    let len = chunk.len();
    inner.bytes_dispatched.set(inner.bytes_dispatched.get() + len as u64);
    inner.in_flight.set(len);
    let res = {
        let conn = inner.conn.borrow();
        match conn.as_ref().and_then(|c| c.write.as_ref()) {
            None => Err(io::ErrorKind::NotConnected.into()),
            Some(half) => try_write_one(half, &mut chunk),
        }
    };
    match res {
        Ok(true) => {
            inner.in_flight.set(0);
            cb.call(Ok(()));
        }
        Ok(false) => write_later(inner, VecDeque::from([chunk]), cb),
        Err(e) => {
            inner.in_flight.set(0);
            cb.call(Err(write_error(inner, e)));
        }
    }
}

fn try_write_one(half: &tokio::net::tcp::OwnedWriteHalf, chunk: &mut Bytes) -> io::Result<bool> {
    use bytes::Buf;
    while !chunk.is_empty() {
        match half.try_write(chunk) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => chunk.advance(n),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(true)
}

/// The writev hook: everything buffered, in one vectored write.
fn write_many(inner: &Rc<Inner>, chunks: Vec<Bytes>, cb: WriteCallback) {
    if inner.connecting.get() {
        *inner.pending_write.borrow_mut() = Some(PendingWrite::Many(chunks, cb));
        return;
    }
    inner.touch();
    let len: usize = chunks.iter().map(Bytes::len).sum();
    inner.bytes_dispatched.set(inner.bytes_dispatched.get() + len as u64);
    inner.in_flight.set(len);
    let mut bufs = VecDeque::from(chunks);
    match inner.try_write(&mut bufs) {
        Ok(true) => {
            inner.in_flight.set(0);
            cb.call(Ok(()));
        }
        Ok(false) => write_later(inner, bufs, cb),
        Err(e) => {
            inner.in_flight.set(0);
            cb.call(Err(write_error(inner, e)));
        }
    }
}

/// Finishes a write the kernel could not take at once.
fn write_later(inner: &Rc<Inner>, mut bufs: VecDeque<Bytes>, cb: WriteCallback) {
    let inner = inner.clone();
    streams_core::spawn(async move {
        let res = poll_fn(|cx| inner.poll_write(cx, &mut bufs)).await;
        inner.in_flight.set(0);
        match res {
            Ok(()) => {
                inner.touch();
                cb.call(Ok(()));
            }
            Err(e) => cb.call(Err(write_error(&inner, e))),
        }
    });
}

fn write_error(inner: &Inner, e: io::Error) -> StreamError {
    if inner.closed.get() {
        // The socket was closed under the write: libuv cancels it.
        StreamError::with_code("ECANCELED", "write ECANCELED")
    } else if e.kind() == io::ErrorKind::NotConnected && inner.conn.borrow().is_none() {
        error::socket_closed()
    } else {
        error::errno(e, "write")
    }
}

/// The final hook: `end()` shuts the write side down (FIN); the callback
/// comes on a later turn of the loop, as libuv's shutdown request does.
fn final_hook(inner: &Rc<Inner>, cb: Callback) {
    if inner.connecting.get() {
        *inner.pending_final.borrow_mut() = Some(cb);
        return;
    }
    let res = inner.shutdown().map_err(|e| error::errno(e, "shutdown"));
    streams_core::spawn(async move { cb.call(res) });
}

/// The destroy hook: closes the connection now (Node's `_destroy`), fails
/// a write that waited for the connection, and tells the server.
fn destroy_hook(inner: &Rc<Inner>, err: Option<StreamError>, cb: Callback) {
    inner.had_error.set(err.is_some());
    inner.close();
    let pending = inner.pending_write.borrow_mut().take();
    if let Some(pending) = pending {
        let write_cb = match pending {
            PendingWrite::One(_, cb) | PendingWrite::Many(_, cb) => cb,
        };
        next_tick(move || write_cb.call(Err(error::closed_before_connection())));
    }
    drop(inner.pending_final.borrow_mut().take());
    let server = inner.server.borrow_mut().take().and_then(|s| s.upgrade());
    cb.call(err.map_or(Ok(()), Err));
    if let Some(server) = server {
        ServerInner::connection_closed(&server);
    }
}
