//! `ConnectOptions`: the options of `net.connect(options)`.

use std::net::IpAddr;
use std::time::Duration;

use crate::SocketOptions;

/// Where and how [`Socket::connect`](crate::Socket::connect) connects:
/// Node's `net.connect(options)`.
///
/// | Node option | method | default |
/// |---|---|---|
/// | `port` | [`new`](Self::new) / [`port`](Self::port) | required |
/// | `host` | [`host`](Self::host) | `localhost` |
/// | `localAddress`, `localPort` | [`local_address`](Self::local_address), [`local_port`](Self::local_port) | any |
/// | `timeout` | [`timeout`](Self::timeout) (`set_timeout` at once) | none |
/// | `allowHalfOpen`, `noDelay`, `keepAlive`, `keepAliveInitialDelay`, high-water marks | [`socket`](Self::socket) or the shortcuts | see [`SocketOptions`] |
///
/// # Examples
///
/// ```
/// let opts = streams_net::ConnectOptions::new(7000).host("127.0.0.1").no_delay(true);
/// # drop(opts);
/// ```
#[derive(Debug, Clone)]
#[must_use = "options do nothing until passed to Socket::connect"]
pub struct ConnectOptions {
    pub(crate) port: u16,
    pub(crate) host: Option<String>,
    pub(crate) local_address: Option<IpAddr>,
    pub(crate) local_port: Option<u16>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) socket: SocketOptions,
}

impl ConnectOptions {
    /// Connect to `port` on `localhost`.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(80);
    /// # drop(opts);
    /// ```
    pub fn new(port: u16) -> ConnectOptions {
        ConnectOptions {
            port,
            host: None,
            local_address: None,
            local_port: None,
            timeout: None,
            socket: SocketOptions::default(),
        }
    }

    /// The port to connect to.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(0).port(8080);
    /// # drop(opts);
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The host: an IP address (connected to on the next turn of the loop)
    /// or a name (resolved first, with a [`Lookup`](crate::events::Lookup)
    /// event). Default `localhost`.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).host("127.0.0.1");
    /// # drop(opts);
    /// ```
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The local address to bind to before connecting.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).local_address([127, 0, 0, 1].into());
    /// # drop(opts);
    /// ```
    pub fn local_address(mut self, addr: IpAddr) -> Self {
        self.local_address = Some(addr);
        self
    }

    /// The local port to bind to before connecting.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).local_port(40000);
    /// # drop(opts);
    /// ```
    pub fn local_port(mut self, port: u16) -> Self {
        self.local_port = Some(port);
        self
    }

    /// Calls `set_timeout(timeout)` on the new socket (Node's `timeout`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let opts = streams_net::ConnectOptions::new(7000).timeout(Duration::from_secs(5));
    /// # drop(opts);
    /// ```
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The socket's own options, all at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::{ConnectOptions, SocketOptions};
    /// let opts = ConnectOptions::new(7000).socket(SocketOptions::new().allow_half_open(true));
    /// # drop(opts);
    /// ```
    pub fn socket(mut self, socket: SocketOptions) -> Self {
        self.socket = socket;
        self
    }

    /// See [`SocketOptions::allow_half_open`].
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).allow_half_open(true);
    /// # drop(opts);
    /// ```
    pub fn allow_half_open(mut self, allow: bool) -> Self {
        self.socket = self.socket.allow_half_open(allow);
        self
    }

    /// See [`SocketOptions::high_water_mark`].
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).high_water_mark(1 << 16);
    /// # drop(opts);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.socket = self.socket.high_water_mark(hwm);
        self
    }

    /// See [`SocketOptions::no_delay`].
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).no_delay(true);
    /// # drop(opts);
    /// ```
    pub fn no_delay(mut self, no_delay: bool) -> Self {
        self.socket = self.socket.no_delay(no_delay);
        self
    }

    /// See [`SocketOptions::keep_alive`].
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ConnectOptions::new(7000).keep_alive(true);
    /// # drop(opts);
    /// ```
    pub fn keep_alive(mut self, keep_alive: bool) -> Self {
        self.socket = self.socket.keep_alive(keep_alive);
        self
    }
}
