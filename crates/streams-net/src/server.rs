//! `Server`: Node's `net.Server`.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use streams_core::events::{Event, EventEmitter, ListenerId};
use streams_core::{next_tick, StreamError};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;

use crate::error;
use crate::events::{Close, Connection, DropInfo, Dropped, Error, Listening};
use crate::{ListenOptions, ServerOptions, Socket};

/// Node's default backlog.
pub(crate) const DEFAULT_BACKLOG: u32 = 511;
/// Connections accepted in one turn of the accept task before it lets
/// others run.
const ACCEPTS_PER_TURN: usize = 32;

/// Where connections come from.
enum Source {
    /// A listening socket of this loop.
    Listener(TcpListener),
    /// A [`Cluster`](crate::Cluster)'s acceptor, which hands this loop its
    /// share of the connections.
    Channel(UnboundedReceiver<std::net::TcpStream>),
}

/// What one poll of the accept task produced.
enum Accepted {
    Stream(TcpStream, Option<SocketAddr>),
    Failed(io::Error),
    /// `close()`, or a newer `listen()`.
    Stopped,
    /// The cluster stopped handing out connections.
    ChannelEnded,
}

pub(crate) struct ServerInner {
    events: EventEmitter<()>,
    options: ServerOptions,
    source: RefCell<Option<Source>>,
    address: Cell<Option<SocketAddr>>,
    connections: Cell<usize>,
    max_connections: Cell<Option<usize>>,
    /// `close()` was called and `'close'` is owed once drained.
    closing: Cell<bool>,
    /// Bumped by every `listen` and `close`: an accept task or a
    /// `'listening'` tick of an older one stops.
    generation: Cell<u64>,
    waker: RefCell<Option<Waker>>,
    /// A cluster's count of connections over all its loops.
    shared_count: Option<Arc<AtomicUsize>>,
}

impl ServerInner {
    /// A socket of this server closed (Node's `_connections--` and
    /// `_emitCloseIfDrained` in the socket's `_destroy`).
    pub(crate) fn connection_closed(this: &Rc<ServerInner>) {
        this.connections.set(this.connections.get().saturating_sub(1));
        if let Some(count) = &this.shared_count {
            count.fetch_sub(1, Ordering::Relaxed);
        }
        Server { inner: this.clone() }.emit_close_if_drained();
    }

    fn poll_accept(&self, cx: &mut Context<'_>, generation: u64) -> Poll<Accepted> {
        if self.generation.get() != generation {
            return Poll::Ready(Accepted::Stopped);
        }
        let mut source = self.source.borrow_mut();
        let polled = match source.as_mut() {
            None => return Poll::Ready(Accepted::Stopped),
            Some(Source::Listener(listener)) => match listener.poll_accept(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(Ok((stream, peer))) => {
                    Poll::Ready(Accepted::Stream(stream, Some(peer)))
                }
                Poll::Ready(Err(e)) => Poll::Ready(Accepted::Failed(e)),
            },
            Some(Source::Channel(rx)) => match rx.poll_recv(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(None) => {
                    *source = None;
                    Poll::Ready(Accepted::ChannelEnded)
                }
                Poll::Ready(Some(stream)) => {
                    let stream =
                        stream.set_nonblocking(true).and_then(|()| TcpStream::from_std(stream));
                    Poll::Ready(match stream {
                        Ok(stream) => Accepted::Stream(stream, None),
                        Err(e) => Accepted::Failed(e),
                    })
                }
            },
        };
        if polled.is_pending() {
            let mut waker = self.waker.borrow_mut();
            if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *waker = Some(cx.waker().clone());
            }
        }
        polled
    }
}

/// Node's `net.Server`: accepts TCP connections and emits each as a
/// [`Socket`] in a [`Connection`] event.
///
/// Make one with [`create_server`](crate::create_server) (or
/// [`Server::new`]), then [`listen`](Server::listen). Events:
/// [`Listening`], [`Connection`], [`Dropped`] (over
/// [`max_connections`](Server::set_max_connections)), [`Error`] (such as
/// `EADDRINUSE`: an event, never a panic) and [`Close`] (after
/// [`close`](Server::close), once the last connection has ended).
///
/// A server lives on the event loop of the thread that made it, as in Node;
/// to use every core, see [`Cluster`](crate::Cluster).
///
/// # Examples
///
/// ```
/// use streams_core::StreamError;
/// use streams_net::events::Error;
///
/// streams_core::run(async {
///     let a = streams_net::create_server(Default::default(), |_| {});
///     a.listen(0, "127.0.0.1");
///     let port = a.address().unwrap().port();
///     // A second server on the same port fails with an 'error' event.
///     let b = streams_net::create_server(Default::default(), |_| {});
///     b.on(Error, move |e: &StreamError| {
///         assert_eq!(e.code(), Some("EADDRINUSE"));
///         a.close();
///     });
///     b.listen(port, "127.0.0.1");
/// });
/// ```
#[derive(Clone)]
pub struct Server {
    pub(crate) inner: Rc<ServerInner>,
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server")
            .field("address", &self.inner.address.get())
            .field("listening", &self.listening())
            .field("connections", &self.inner.connections.get())
            .field("listeners", &self.inner.events)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Server {
    /// Two handles are equal when they are the same server.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Server {}

impl Server {
    /// A server that is not listening yet (Node's `new net.Server(options)`).
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(streams_net::ServerOptions::new());
    /// assert!(!server.listening());
    /// ```
    pub fn new(options: ServerOptions) -> Server {
        Server::with_count(options, None)
    }

    pub(crate) fn with_count(options: ServerOptions, shared: Option<Arc<AtomicUsize>>) -> Server {
        Server {
            inner: Rc::new(ServerInner {
                events: EventEmitter::new(),
                options,
                source: RefCell::new(None),
                address: Cell::new(None),
                connections: Cell::new(0),
                max_connections: Cell::new(None),
                closing: Cell::new(false),
                generation: Cell::new(0),
                waker: RefCell::new(None),
                shared_count: shared,
            }),
        }
    }

    /// Listens on `host:port` (port 0 picks a free one): Node's
    /// `server.listen(port, host)`. Binding happens now, so
    /// [`address`](Server::address) is known when this returns;
    /// [`Listening`] follows on the next tick, or [`Error`] (`EADDRINUSE`,
    /// `EACCES`, ...). A host name is resolved first.
    ///
    /// # Examples
    ///
    /// ```
    /// streams_core::run(async {
    ///     let server = streams_net::create_server(Default::default(), |_| {});
    ///     server.listen(0, "127.0.0.1");
    ///     assert!(server.listening());
    ///     assert_ne!(server.address().unwrap().port(), 0);
    ///     server.close();
    /// });
    /// ```
    pub fn listen(&self, port: u16, host: &str) -> &Self {
        self.listen_with(ListenOptions::new(port).host(host))
    }

    /// [`listen`](Server::listen) with every option (Node's
    /// `server.listen(options)`): no host listens on every address.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::ListenOptions;
    /// streams_core::run(async {
    ///     let server = streams_net::create_server(Default::default(), |_| {});
    ///     server.listen_with(ListenOptions::new(0).host("127.0.0.1").backlog(1024));
    ///     server.close();
    /// });
    /// ```
    pub fn listen_with(&self, options: ListenOptions) -> &Self {
        if self.inner.source.borrow().is_some() {
            self.emit_error_next_tick(error::server_already_listen());
            return self;
        }
        self.inner.closing.set(false);
        let generation = self.bump_generation();
        let backlog = options.backlog.unwrap_or(DEFAULT_BACKLOG);
        let port = options.port;
        match options.host.as_deref() {
            None => self.bind(
                &[
                    SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port),
                    SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port),
                ],
                backlog,
            ),
            Some(host) => match host.parse::<IpAddr>() {
                Ok(ip) => self.bind(&[SocketAddr::new(ip, port)], backlog),
                Err(_) => {
                    // Node's lookupAndListen.
                    let server = self.clone();
                    let host = host.to_string();
                    streams_core::spawn(async move {
                        let resolved = tokio::net::lookup_host((host.as_str(), port)).await;
                        if server.inner.generation.get() != generation {
                            return;
                        }
                        match resolved.map(|a| a.collect::<Vec<_>>()) {
                            Ok(addrs) if !addrs.is_empty() => {
                                server.bind(&addrs[..1], backlog);
                            }
                            _ => {
                                server.inner.events.emit(
                                    Error,
                                    &StreamError::with_code(
                                        "ENOTFOUND",
                                        format!("getaddrinfo ENOTFOUND {host}"),
                                    ),
                                );
                            }
                        }
                    });
                }
            },
        }
        self
    }

    fn bump_generation(&self) -> u64 {
        let generation = self.inner.generation.get() + 1;
        self.inner.generation.set(generation);
        generation
    }

    /// Binds to the first of `addrs` that works and starts accepting;
    /// otherwise `'error'` on the next tick, for the last one tried (an
    /// address in use ends the search).
    fn bind(&self, addrs: &[SocketAddr], backlog: u32) {
        let mut failure = None;
        for &addr in addrs {
            match bind_one(addr, backlog) {
                Ok(listener) => {
                    let address = listener.local_addr().ok();
                    self.start(Source::Listener(listener), address);
                    return;
                }
                Err(e) => {
                    // libuv reports EADDRINUSE at listen(2), not at bind:
                    // Node then names `::` and does not try `0.0.0.0`.
                    let in_use = e.kind() == io::ErrorKind::AddrInUse;
                    failure = Some(error::listen(e, addr));
                    if in_use {
                        break;
                    }
                }
            }
        }
        if let Some(err) = failure {
            self.emit_error_next_tick(err);
        }
    }

    /// Installs `source`, starts the accept task, and emits `'listening'`
    /// on the next tick.
    pub(crate) fn start_channel(
        &self,
        rx: UnboundedReceiver<std::net::TcpStream>,
        address: SocketAddr,
    ) {
        self.bump_generation();
        self.start(Source::Channel(rx), Some(address));
    }

    fn start(&self, source: Source, address: Option<SocketAddr>) {
        let generation = self.inner.generation.get();
        *self.inner.source.borrow_mut() = Some(source);
        self.inner.address.set(address);
        streams_core::spawn(accept_loop(self.clone(), generation));
        let server = self.clone();
        next_tick(move || {
            if server.inner.generation.get() == generation && server.listening() {
                server.inner.events.emit(Listening, &());
            }
        });
    }

    fn emit_error_next_tick(&self, err: StreamError) {
        let server = self.clone();
        next_tick(move || {
            if !server.inner.events.emit(Error, &err) {
                tracing::error!(code = err.code(), "unhandled server error: {err}");
            }
        });
    }

    /// A connection came in (Node's `onconnection`).
    fn on_stream(&self, stream: TcpStream, remote: Option<SocketAddr>) {
        let inner = &self.inner;
        if let Some(max) = inner.max_connections.get() {
            if inner.connections.get() >= max {
                let info = DropInfo {
                    local: stream.local_addr().ok(),
                    remote: remote.or_else(|| stream.peer_addr().ok()),
                };
                drop(stream);
                inner.events.emit(Dropped, &info);
                return;
            }
        }
        inner.connections.set(inner.connections.get() + 1);
        if let Some(count) = &inner.shared_count {
            count.fetch_add(1, Ordering::Relaxed);
        }
        let socket =
            Socket::accepted(stream, &inner.options.socket, remote, Rc::downgrade(&self.inner));
        inner.events.emit(Connection, &socket);
    }

    /// Stops accepting connections (the listening socket is closed now);
    /// [`Close`] is emitted once every connection has ended (Node's
    /// `server.close()`). Open connections are not touched.
    ///
    /// # Examples
    ///
    /// ```
    /// streams_core::run(async {
    ///     let server = streams_net::create_server(Default::default(), |_| {});
    ///     server.listen(0, "127.0.0.1");
    ///     server.on(streams_net::events::Close, |_| println!("closed"));
    ///     server.close();
    ///     assert!(!server.listening());
    /// });
    /// ```
    pub fn close(&self) -> &Self {
        self.bump_generation();
        let source = self.inner.source.borrow_mut().take();
        drop(source);
        let waker = self.inner.waker.borrow_mut().take();
        if let Some(waker) = waker {
            waker.wake();
        }
        self.inner.closing.set(true);
        self.emit_close_if_drained();
        self
    }

    /// [`close`](Server::close) with a callback called on [`Close`]; with
    /// `ERR_SERVER_NOT_RUNNING` if the server was not listening.
    ///
    /// # Examples
    ///
    /// ```
    /// streams_core::run(async {
    ///     let server = streams_net::create_server(Default::default(), |_| {});
    ///     server.close_with(|res| assert_eq!(res.unwrap_err().code(), Some("ERR_SERVER_NOT_RUNNING")));
    /// });
    /// ```
    pub fn close_with(&self, cb: impl FnOnce(Result<(), StreamError>) + 'static) -> &Self {
        let running = self.listening();
        let cb = Cell::new(Some(cb));
        self.inner.events.once(Close, move |_| {
            if let Some(cb) = cb.take() {
                cb(if running { Ok(()) } else { Err(error::server_not_running()) });
            }
        });
        self.close()
    }

    fn emit_close_if_drained(&self) {
        let inner = &self.inner;
        if !inner.closing.get() || inner.source.borrow().is_some() || inner.connections.get() > 0 {
            return;
        }
        inner.closing.set(false);
        let server = self.clone();
        next_tick(move || {
            server.inner.events.emit(Close, &());
        });
    }

    /// Whether the server accepts connections (Node's `listening`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_net::Server::new(Default::default()).listening());
    /// ```
    pub fn listening(&self) -> bool {
        self.inner.source.borrow().is_some()
    }

    /// The address and port the server listens on (Node's `address()`);
    /// `None` when it is not listening.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(streams_net::Server::new(Default::default()).address(), None);
    /// ```
    pub fn address(&self) -> Option<SocketAddr> {
        if self.listening() {
            self.inner.address.get()
        } else {
            None
        }
    }

    /// How many accepted connections are open (Node's `getConnections`,
    /// which answers through a callback; here the count is at hand). For a
    /// server of a [`Cluster`](crate::Cluster), the count of its own loop.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(streams_net::Server::new(Default::default()).get_connections(), 0);
    /// ```
    pub fn get_connections(&self) -> usize {
        self.inner.connections.get()
    }

    /// Refuse connections once `max` are open (Node's `maxConnections`):
    /// those over it are closed at once and reported by a [`Dropped`]
    /// event. `None` removes the limit.
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(Default::default());
    /// server.set_max_connections(100);
    /// assert_eq!(server.max_connections(), Some(100));
    /// ```
    pub fn set_max_connections(&self, max: impl Into<Option<usize>>) -> &Self {
        self.inner.max_connections.set(max.into());
        self
    }

    /// The limit set with [`set_max_connections`](Server::set_max_connections).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(streams_net::Server::new(Default::default()).max_connections(), None);
    /// ```
    pub fn max_connections(&self) -> Option<usize> {
        self.inner.max_connections.get()
    }

    // ----- events -----

    /// Adds a listener (Node's `on`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{events::Connection, Server, Socket};
    /// let server = Server::new(Default::default());
    /// server.on(Connection, |socket: &Socket| { socket.end(None); });
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<()>) + 'static) -> ListenerId {
        self.inner.events.on(event, listener)
    }

    /// Adds a listener removed before its first call (Node's `once`).
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(Default::default());
    /// server.once(streams_net::events::Listening, |_| println!("listening"));
    /// ```
    pub fn once<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<()>) + 'static) -> ListenerId {
        self.inner.events.once(event, listener)
    }

    /// Adds a listener before the others (Node's `prependListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(Default::default());
    /// server.prepend_listener(streams_net::events::Close, |_| {});
    /// ```
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<()>) + 'static,
    ) -> ListenerId {
        self.inner.events.prepend_listener(event, listener)
    }

    /// Removes a listener (Node's `off`).
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(Default::default());
    /// let id = server.on(streams_net::events::Close, |_| {});
    /// assert!(server.off(id));
    /// ```
    pub fn off(&self, id: ListenerId) -> bool {
        self.inner.events.off(id)
    }

    /// Emits `event` (Node's `emit`), for events of your own.
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::Server::new(Default::default());
    /// assert!(!server.emit(streams_net::events::Listening, &()));
    /// ```
    pub fn emit<E: Event>(&self, event: E, arg: &E::Arg<()>) -> bool {
        self.inner.events.emit(event, arg)
    }

    /// How many listeners `event` has.
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::create_server(Default::default(), |_| {});
    /// assert_eq!(server.listener_count(streams_net::events::Connection), 1);
    /// ```
    pub fn listener_count<E: Event>(&self, event: E) -> usize {
        self.inner.events.listener_count(event)
    }

    /// Removes every listener of `event`.
    ///
    /// # Examples
    ///
    /// ```
    /// let server = streams_net::create_server(Default::default(), |_| {});
    /// server.remove_all_listeners(streams_net::events::Connection);
    /// ```
    pub fn remove_all_listeners<E: Event>(&self, event: E) -> &Self {
        self.inner.events.remove_all_listeners(event);
        self
    }
}

/// Binds and listens, with `SO_REUSEADDR` as libuv sets it.
pub(crate) fn bind_one(addr: SocketAddr, backlog: u32) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(backlog)
}

/// Accepts until the server closes, emitting each connection.
async fn accept_loop(server: Server, generation: u64) {
    let mut turn = 0;
    loop {
        let accepted = poll_fn(|cx| server.inner.poll_accept(cx, generation)).await;
        match accepted {
            Accepted::Stream(stream, remote) => server.on_stream(stream, remote),
            Accepted::Failed(e) => {
                let transient = matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted
                        | io::ErrorKind::ConnectionReset
                        | io::ErrorKind::Interrupted
                );
                if !transient {
                    let err = error::errno(e, "accept");
                    if !server.inner.events.emit(Error, &err) {
                        tracing::error!(code = err.code(), "unhandled server error: {err}");
                    }
                    streams_core::drain_ticks();
                    // Out of descriptors, say: do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            Accepted::Stopped => return,
            Accepted::ChannelEnded => {
                // The cluster closed: this loop's server closes with it.
                server.inner.closing.set(true);
                server.emit_close_if_drained();
                return;
            }
        }
        streams_core::drain_ticks();
        turn += 1;
        if turn == ACCEPTS_PER_TURN {
            turn = 0;
            tokio::task::yield_now().await;
        }
    }
}
