//! `SocketOptions`: the options of `new net.Socket(options)` that apply to
//! a connected socket, whichever side opened it.

use std::time::Duration;

/// How a [`Socket`](crate::Socket) behaves once connected: Node's
/// `allowHalfOpen`, `readableHighWaterMark`/`writableHighWaterMark`,
/// `noDelay`, `keepAlive`, `keepAliveInitialDelay`.
///
/// Used by [`Socket::from_tcp_stream`](crate::Socket::from_tcp_stream);
/// [`ConnectOptions`](crate::ConnectOptions) and
/// [`ServerOptions`](crate::ServerOptions) carry the same settings.
///
/// | Node option | method | default |
/// |---|---|---|
/// | `allowHalfOpen` | [`allow_half_open`](Self::allow_half_open) | false |
/// | `highWaterMark` | [`high_water_mark`](Self::high_water_mark) | 64 KiB |
/// | `readableHighWaterMark` / `writableHighWaterMark` | the per-side methods | 64 KiB |
/// | `noDelay` | [`no_delay`](Self::no_delay) | false |
/// | `keepAlive` | [`keep_alive`](Self::keep_alive) | false |
/// | `keepAliveInitialDelay` | [`keep_alive_initial_delay`](Self::keep_alive_initial_delay) | the OS's (see the method) |
/// | `pauseOnCreate` | [`pause_on_create`](Self::pause_on_create) | false |
///
/// # Examples
///
/// ```
/// let opts = streams_net::SocketOptions::new().allow_half_open(true).no_delay(true);
/// # drop(opts);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "options do nothing until used"]
pub struct SocketOptions {
    pub(crate) allow_half_open: bool,
    pub(crate) readable_high_water_mark: Option<usize>,
    pub(crate) writable_high_water_mark: Option<usize>,
    pub(crate) no_delay: bool,
    pub(crate) keep_alive: bool,
    pub(crate) keep_alive_initial_delay: Duration,
    pub(crate) pause_on_create: bool,
}

impl SocketOptions {
    /// Node's defaults: no half-open, 64 KiB high-water marks, Nagle on, no
    /// keep-alive.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new();
    /// # drop(opts);
    /// ```
    pub fn new() -> SocketOptions {
        SocketOptions::default()
    }

    /// Keep the writable side open after the peer's FIN (`'end'`). With
    /// false (the default) the socket ends its side on the next tick after
    /// `'end'`, as Node does.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().allow_half_open(true);
    /// # drop(opts);
    /// ```
    pub fn allow_half_open(mut self, allow: bool) -> Self {
        self.allow_half_open = allow;
        self
    }

    /// Both sides' high-water marks.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().high_water_mark(16 * 1024);
    /// # drop(opts);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.readable_high_water_mark = Some(hwm);
        self.writable_high_water_mark = Some(hwm);
        self
    }

    /// The readable side's high-water mark: how much is read ahead of the
    /// consumer before reading stops (and TCP pushes back on the peer).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().readable_high_water_mark(1 << 20);
    /// # drop(opts);
    /// ```
    pub fn readable_high_water_mark(mut self, hwm: usize) -> Self {
        self.readable_high_water_mark = Some(hwm);
        self
    }

    /// The writable side's high-water mark: where `write()` starts
    /// returning `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().writable_high_water_mark(1 << 20);
    /// # drop(opts);
    /// ```
    pub fn writable_high_water_mark(mut self, hwm: usize) -> Self {
        self.writable_high_water_mark = Some(hwm);
        self
    }

    /// Disable Nagle's algorithm (`TCP_NODELAY`) once connected.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().no_delay(true);
    /// # drop(opts);
    /// ```
    pub fn no_delay(mut self, no_delay: bool) -> Self {
        self.no_delay = no_delay;
        self
    }

    /// Enable TCP keep-alive (`SO_KEEPALIVE`) once connected.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().keep_alive(true);
    /// # drop(opts);
    /// ```
    pub fn keep_alive(mut self, keep_alive: bool) -> Self {
        self.keep_alive = keep_alive;
        self
    }

    /// Node's `keepAliveInitialDelay`. Recorded only: tokio offers no way to
    /// set `TCP_KEEPIDLE`, so the operating system's idle time applies (see
    /// `docs/net.md`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// let opts = streams_net::SocketOptions::new().keep_alive_initial_delay(Duration::from_secs(60));
    /// # drop(opts);
    /// ```
    pub fn keep_alive_initial_delay(mut self, delay: Duration) -> Self {
        self.keep_alive_initial_delay = delay;
        self
    }

    /// Start paused: nothing is read until the socket is resumed (or piped,
    /// or given a `'data'` listener after `resume()`), as Node's
    /// `pauseOnCreate` and a server's `pauseOnConnect`.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::SocketOptions::new().pause_on_create(true);
    /// # drop(opts);
    /// ```
    pub fn pause_on_create(mut self, pause: bool) -> Self {
        self.pause_on_create = pause;
        self
    }
}
