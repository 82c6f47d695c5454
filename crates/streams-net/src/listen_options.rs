//! `ListenOptions`: the options of `server.listen(options)`.

/// Where a [`Server`](crate::Server) listens: Node's `server.listen({ port,
/// host, backlog })`.
///
/// | Node option | method | default |
/// |---|---|---|
/// | `port` | [`new`](Self::new) / [`port`](Self::port) | 0: the system picks one |
/// | `host` | [`host`](Self::host) | every address: `::` (dual-stack), else `0.0.0.0` |
/// | `backlog` | [`backlog`](Self::backlog) | 511 |
///
/// # Examples
///
/// ```
/// let opts = streams_net::ListenOptions::new(0).host("127.0.0.1").backlog(1024);
/// # drop(opts);
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "options do nothing until passed to listen_with"]
pub struct ListenOptions {
    pub(crate) port: u16,
    pub(crate) host: Option<String>,
    pub(crate) backlog: Option<u32>,
}

impl ListenOptions {
    /// Listen on `port` (0 for any free one) on every address.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ListenOptions::new(7000);
    /// # drop(opts);
    /// ```
    pub fn new(port: u16) -> ListenOptions {
        ListenOptions { port, host: None, backlog: None }
    }

    /// The port (0 for any free one).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ListenOptions::default().port(7000);
    /// # drop(opts);
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The address to listen on: an IP address, or a name resolved first.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ListenOptions::new(0).host("127.0.0.1");
    /// # drop(opts);
    /// ```
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The length of the queue of connections not accepted yet (default
    /// 511, as Node).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_net::ListenOptions::new(0).backlog(4096);
    /// # drop(opts);
    /// ```
    pub fn backlog(mut self, backlog: u32) -> Self {
        self.backlog = Some(backlog);
        self
    }
}
