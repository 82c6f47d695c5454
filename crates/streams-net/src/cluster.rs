//! `Cluster`: one server on every core, as Node's `cluster` module runs one
//! process per core, but with threads.

use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::mpsc::{unbounded_channel, UnboundedSender};
use tokio::sync::oneshot;

use crate::server::{bind_one, DEFAULT_BACKLOG};
use crate::{ListenOptions, Server, ServerOptions};

/// The options of [`Cluster::start`].
///
/// # Examples
///
/// ```
/// use streams_net::{ClusterOptions, ListenOptions, ServerOptions};
/// let opts = ClusterOptions::new(ListenOptions::new(0).host("127.0.0.1"))
///     .workers(2)
///     .server(ServerOptions::new().no_delay(true));
/// # drop(opts);
/// ```
#[derive(Debug, Clone)]
#[must_use = "options do nothing until passed to Cluster::start"]
pub struct ClusterOptions {
    listen: ListenOptions,
    workers: usize,
    server: ServerOptions,
}

impl ClusterOptions {
    /// Listen as `listen` says, with one worker per core
    /// (`std::thread::available_parallelism`).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ClusterOptions::new(streams_net::ListenOptions::new(7000));
    /// # drop(opts);
    /// ```
    pub fn new(listen: ListenOptions) -> ClusterOptions {
        let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
        ClusterOptions { listen, workers, server: ServerOptions::default() }
    }

    /// The number of event loops (threads) serving connections; at least 1.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ClusterOptions::new(Default::default()).workers(4);
    /// # drop(opts);
    /// ```
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers.max(1);
        self
    }

    /// The options of each worker's [`Server`].
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{ClusterOptions, ServerOptions};
    /// let opts = ClusterOptions::new(Default::default()).server(ServerOptions::new().allow_half_open(true));
    /// # drop(opts);
    /// ```
    pub fn server(mut self, server: ServerOptions) -> Self {
        self.server = server;
        self
    }
}

/// A TCP server that uses every core: one acceptor thread owns the
/// listening socket and hands each connection, round-robin, to one of N
/// worker threads; each worker runs its own event loop
/// ([`streams_core::run`]) with its own [`Server`], whose
/// [`Connection`](crate::events::Connection) events your `setup` function
/// listens to. A connection lives on one thread from accept to close; its
/// streams never cross threads (a `std::net::TcpStream` does, before it
/// becomes a [`Socket`](crate::Socket)).
///
/// This is Node's `cluster` module (primary + workers, round-robin), with
/// threads instead of processes. A plain [`Server`] stays on one loop, as
/// in Node.
///
/// # Examples
///
/// ```
/// use std::io::{Read, Write};
/// use streams_net::{events::Connection, Cluster, ClusterOptions, ListenOptions, Socket};
///
/// let cluster = Cluster::start(
///     ClusterOptions::new(ListenOptions::new(0).host("127.0.0.1")).workers(2),
///     |server| {
///         server.on(Connection, |socket: &Socket| {
///             socket.pipe(socket); // echo, on this worker's loop
///         });
///     },
/// )
/// .unwrap();
/// let mut client = std::net::TcpStream::connect(cluster.address()).unwrap();
/// client.write_all(b"ping").unwrap();
/// client.shutdown(std::net::Shutdown::Write).unwrap();
/// let mut echoed = String::new();
/// client.read_to_string(&mut echoed).unwrap();
/// assert_eq!(echoed, "ping");
/// cluster.close();
/// cluster.join().unwrap();
/// ```
pub struct Cluster {
    address: SocketAddr,
    workers: usize,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    acceptor: Option<JoinHandle<()>>,
    threads: Vec<JoinHandle<()>>,
    connections: Arc<AtomicUsize>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("address", &self.address)
            .field("workers", &self.workers)
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
}

impl Cluster {
    /// Binds the listening socket, starts the acceptor and the workers, and
    /// calls `setup` once on each worker's thread, inside its event loop,
    /// with that worker's [`Server`] (already receiving connections; its
    /// [`Listening`](crate::events::Listening) event comes on the next
    /// tick). Do not call `listen` on it.
    ///
    /// # Errors
    ///
    /// The bind's error (`EADDRINUSE`, `EACCES`, a host that does not
    /// resolve, ...), or a failure to start a thread.
    ///
    /// # Examples
    ///
    /// See [`Cluster`].
    pub fn start<F>(options: ClusterOptions, setup: F) -> io::Result<Cluster>
    where
        F: Fn(&Server) + Send + Sync + 'static,
    {
        let ClusterOptions { listen, workers, server } = options;
        let mut senders = Vec::with_capacity(workers);
        let mut receivers = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (tx, rx) = unbounded_channel::<std::net::TcpStream>();
            senders.push(tx);
            receivers.push(rx);
        }
        let (stop_tx, stop_rx) = oneshot::channel();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let acceptor = std::thread::Builder::new()
            .name("streams-net-acceptor".into())
            .spawn(move || accept(listen, senders, stop_rx, ready_tx))?;
        let address = match ready_rx.recv() {
            Ok(Ok(address)) => address,
            Ok(Err(e)) => {
                let _ = acceptor.join();
                return Err(e);
            }
            Err(_) => return Err(io::Error::other("the acceptor thread stopped")),
        };
        let connections = Arc::new(AtomicUsize::new(0));
        let setup = Arc::new(setup);
        let mut cluster = Cluster {
            address,
            workers,
            stop: Mutex::new(Some(stop_tx)),
            acceptor: Some(acceptor),
            threads: Vec::with_capacity(workers),
            connections: connections.clone(),
        };
        for (i, rx) in receivers.into_iter().enumerate() {
            let setup = setup.clone();
            let options = server.clone();
            let count = connections.clone();
            let thread = std::thread::Builder::new().name(format!("streams-net-worker-{i}")).spawn(
                move || {
                    streams_core::run(async move {
                        let server = Server::with_count(options, Some(count));
                        server.start_channel(rx, address);
                        setup(&server);
                    });
                },
            );
            match thread {
                Ok(thread) => cluster.threads.push(thread),
                Err(e) => {
                    cluster.close();
                    return Err(e);
                }
            }
        }
        Ok(cluster)
    }

    /// The address the cluster listens on.
    ///
    /// # Examples
    ///
    /// See [`Cluster`].
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The number of worker loops.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{Cluster, ClusterOptions, ListenOptions};
    /// let c = Cluster::start(ClusterOptions::new(ListenOptions::new(0).host("127.0.0.1")).workers(3), |_| {}).unwrap();
    /// assert_eq!(c.workers(), 3);
    /// c.close();
    /// c.join().unwrap();
    /// ```
    pub fn workers(&self) -> usize {
        self.workers
    }

    /// Open connections over every worker.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{Cluster, ClusterOptions, ListenOptions};
    /// let c = Cluster::start(ClusterOptions::new(ListenOptions::new(0).host("127.0.0.1")).workers(1), |_| {}).unwrap();
    /// assert_eq!(c.connections(), 0);
    /// c.close();
    /// c.join().unwrap();
    /// ```
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// Stops accepting: the listening socket is closed, and each worker's
    /// server closes (its [`Close`](crate::events::Close) event comes once
    /// its connections have ended; then its loop, and its thread, end).
    ///
    /// # Examples
    ///
    /// See [`Cluster`].
    pub fn close(&self) {
        let stop = self.stop.lock().map(|mut s| s.take()).unwrap_or(None);
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
    }

    /// Waits for the acceptor and every worker to end (after
    /// [`close`](Cluster::close), once every connection has ended).
    ///
    /// # Errors
    ///
    /// The panic of a worker (its `setup`, or a listener it added), if one
    /// panicked.
    ///
    /// # Examples
    ///
    /// See [`Cluster`].
    pub fn join(mut self) -> std::thread::Result<()> {
        let mut result = Ok(());
        if let Some(acceptor) = self.acceptor.take() {
            result = result.and(acceptor.join());
        }
        for thread in std::mem::take(&mut self.threads) {
            let joined = thread.join();
            if result.is_ok() {
                result = joined;
            }
        }
        result
    }
}

impl Drop for Cluster {
    /// Closes the cluster (see [`close`](Cluster::close)); the threads end
    /// on their own once their connections have.
    fn drop(&mut self) {
        self.close();
    }
}

/// The acceptor thread: binds, reports the address, then hands out
/// connections until told to stop.
fn accept(
    listen: ListenOptions,
    senders: Vec<UnboundedSender<std::net::TcpStream>>,
    mut stop: oneshot::Receiver<()>,
    ready: std::sync::mpsc::Sender<io::Result<SocketAddr>>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    runtime.block_on(async move {
        let listener = match bind(&listen).await {
            Ok(listener) => listener,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        if ready.send(listener.local_addr()).is_err() {
            return;
        }
        let mut next = 0;
        loop {
            let accepted = poll_fn(|cx| {
                if Pin::new(&mut stop).poll(cx).is_ready() {
                    return Poll::Ready(None);
                }
                listener.poll_accept(cx).map(Some)
            })
            .await;
            match accepted {
                None => return,
                Some(Ok((stream, _))) => {
                    let Ok(mut stream) = stream.into_std() else { continue };
                    // Round-robin, skipping a worker whose loop has ended.
                    for _ in 0..senders.len() {
                        let i = next % senders.len();
                        next = next.wrapping_add(1);
                        match senders[i].send(stream) {
                            Ok(()) => break,
                            Err(returned) => stream = returned.0,
                        }
                    }
                }
                Some(Err(e)) => {
                    tracing::warn!("cluster accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
        }
    });
}

async fn bind(listen: &ListenOptions) -> io::Result<TcpListener> {
    let port = listen.port;
    let backlog = listen.backlog.unwrap_or(DEFAULT_BACKLOG);
    let addrs: Vec<SocketAddr> = match listen.host.as_deref() {
        None => vec![
            SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port),
            SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), port),
        ],
        Some(host) => match host.parse::<IpAddr>() {
            Ok(ip) => vec![SocketAddr::new(ip, port)],
            Err(_) => tokio::net::lookup_host((host, port)).await?.take(1).collect(),
        },
    };
    let mut failure = io::Error::new(io::ErrorKind::NotFound, "no address to listen on");
    for addr in addrs {
        match bind_one(addr, backlog) {
            Ok(listener) => return Ok(listener),
            Err(e) => failure = e,
        }
    }
    Err(failure)
}
