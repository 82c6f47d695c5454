//! `ServerOptions`: the options of `net.createServer(options)`.

use std::time::Duration;

use crate::SocketOptions;

/// How a [`Server`](crate::Server) treats the connections it accepts:
/// Node's `net.createServer(options)`.
///
/// | Node option | method | default |
/// |---|---|---|
/// | `allowHalfOpen` | [`allow_half_open`](Self::allow_half_open) | false |
/// | `pauseOnConnect` | [`pause_on_connect`](Self::pause_on_connect) | false |
/// | `noDelay` | [`no_delay`](Self::no_delay) | false |
/// | `keepAlive` | [`keep_alive`](Self::keep_alive) | false |
/// | `keepAliveInitialDelay` | [`keep_alive_initial_delay`](Self::keep_alive_initial_delay) | the OS's |
/// | `highWaterMark` | [`high_water_mark`](Self::high_water_mark) | 64 KiB |
///
/// It is `Send` and `Clone`: a [`Cluster`](crate::Cluster) hands a copy to
/// each of its event loops.
///
/// # Examples
///
/// ```
/// let opts = streams_net::ServerOptions::new().allow_half_open(true).no_delay(true);
/// # drop(opts);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "options do nothing until passed to create_server"]
pub struct ServerOptions {
    pub(crate) socket: SocketOptions,
}

impl ServerOptions {
    /// Node's defaults.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new();
    /// # drop(opts);
    /// ```
    pub fn new() -> ServerOptions {
        ServerOptions::default()
    }

    /// Accepted sockets stay writable after the client's FIN (see
    /// [`SocketOptions::allow_half_open`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new().allow_half_open(true);
    /// # drop(opts);
    /// ```
    pub fn allow_half_open(mut self, allow: bool) -> Self {
        self.socket = self.socket.allow_half_open(allow);
        self
    }

    /// Accepted sockets start paused: nothing is read until the
    /// `'connection'` listener (or anyone later) resumes them.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new().pause_on_connect(true);
    /// # drop(opts);
    /// ```
    pub fn pause_on_connect(mut self, pause: bool) -> Self {
        self.socket = self.socket.pause_on_create(pause);
        self
    }

    /// `TCP_NODELAY` on every accepted socket.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new().no_delay(true);
    /// # drop(opts);
    /// ```
    pub fn no_delay(mut self, no_delay: bool) -> Self {
        self.socket = self.socket.no_delay(no_delay);
        self
    }

    /// `SO_KEEPALIVE` on every accepted socket.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new().keep_alive(true);
    /// # drop(opts);
    /// ```
    pub fn keep_alive(mut self, keep_alive: bool) -> Self {
        self.socket = self.socket.keep_alive(keep_alive);
        self
    }

    /// Recorded only (see [`SocketOptions::keep_alive_initial_delay`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let opts = streams_net::ServerOptions::new().keep_alive_initial_delay(Duration::from_secs(10));
    /// # drop(opts);
    /// ```
    pub fn keep_alive_initial_delay(mut self, delay: Duration) -> Self {
        self.socket = self.socket.keep_alive_initial_delay(delay);
        self
    }

    /// Both high-water marks of every accepted socket.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ServerOptions::new().high_water_mark(16 * 1024);
    /// # drop(opts);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.socket = self.socket.high_water_mark(hwm);
        self
    }
}
