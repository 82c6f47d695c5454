//! The events of sockets and servers: the stream events of
//! [`streams_core::events`] (re-exported here) plus the ones Node's `net`
//! module adds.
//!
//! | Node | here | emitted by | listener gets |
//! |---|---|---|---|
//! | `'lookup'` | [`Lookup`] | a [`Socket`] connecting to a host name | [`LookupInfo`] |
//! | `'connect'` | [`Connect`] | a [`Socket`], once connected | `()` |
//! | `'ready'` | [`Ready`] | a [`Socket`], right after `'connect'` | `()` |
//! | `'timeout'` | [`Timeout`] | a [`Socket`] idle for its `set_timeout` | `()` |
//! | `'close'` (`hadError`) | [`Close`] | a [`Socket`]; `had_error()` tells | `()` |
//! | `'listening'` | [`Listening`] | a [`Server`] | `()` |
//! | `'connection'` | [`Connection`] | a [`Server`] | the new [`Socket`] |
//! | `'drop'` | [`Dropped`] | a [`Server`] over `max_connections` | [`DropInfo`] |
//! | `'close'` | [`Close`] | a [`Server`], closed and drained | `()` |
//! | `'error'` | [`Error`] | both | the [`StreamError`] |
//!
//! [`Socket`]: crate::Socket
//! [`Server`]: crate::Server
//!
//! # Examples
//!
//! ```
//! use streams_net::events::{Close, Connect, Data};
//!
//! streams_core::run(async {
//!     let socket = streams_net::connect(1, "127.0.0.1"); // refused: 'error', 'close'
//!     socket.on(Connect, |_| println!("connected"));
//!     socket.on(Data, |chunk: &bytes::Bytes| println!("{} bytes", chunk.len()));
//!     socket.on(streams_net::events::Error, |e: &streams_core::StreamError| println!("{e}"));
//!     let s = socket.clone();
//!     socket.once(Close, move |_| println!("closed, had_error {}", s.had_error()));
//! });
//! ```

use std::net::{IpAddr, SocketAddr};

#[doc(no_inline)]
pub use streams_core::events::*;
use streams_core::StreamError;

use crate::Socket;

macro_rules! unit_events {
    ($($(#[$doc:meta])* $name:ident = $node:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl Event for $name {
            type Arg<T: 'static> = ();
            const NAME: &'static str = $node;
        }
    )*};
}

unit_events! {
    /// `'connect'`: a socket's connection is established (emitted before
    /// [`Ready`]).
    Connect = "connect";
    /// `'timeout'`: the socket was idle (no read, no write) for the time
    /// given to `set_timeout`. Nothing else happens: end or destroy the
    /// socket yourself, as in Node.
    Timeout = "timeout";
    /// `'listening'`: a server is bound and accepts connections.
    Listening = "listening";
}

/// `'connection'`: a server accepted a connection. Its argument is the new
/// [`Socket`], already flowing into its buffer (unless the server's
/// `pause_on_connect` is set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Connection;

impl Event for Connection {
    type Arg<T: 'static> = Socket;
    const NAME: &'static str = "connection";
}

/// `'lookup'`: a socket resolved the host name it connects to (not emitted
/// for an IP address). Node passes `(err, address, family, host)`; here
/// they are the fields of [`LookupInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lookup;

impl Event for Lookup {
    type Arg<T: 'static> = LookupInfo;
    const NAME: &'static str = "lookup";
}

/// The argument of [`Lookup`].
#[derive(Debug, Clone)]
pub struct LookupInfo {
    /// The address the host resolved to (the first one), or the error.
    pub address: Result<IpAddr, StreamError>,
    /// The host name that was looked up.
    pub host: String,
}

impl LookupInfo {
    /// `4` or `6` for a resolved address (Node's `family`), `None` after
    /// an error.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_net::events::LookupInfo;
    /// let info = LookupInfo { address: Ok([127, 0, 0, 1].into()), host: "localhost".into() };
    /// assert_eq!(info.family(), Some(4));
    /// ```
    pub fn family(&self) -> Option<u8> {
        match self.address {
            Ok(IpAddr::V4(_)) => Some(4),
            Ok(IpAddr::V6(_)) => Some(6),
            Err(_) => None,
        }
    }
}

/// `'drop'`: a server refused a connection because it had
/// `max_connections` already; the connection was closed at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dropped;

impl Event for Dropped {
    type Arg<T: 'static> = DropInfo;
    const NAME: &'static str = "drop";
}

/// The argument of [`Dropped`]: the two ends of the refused connection
/// (Node's `localAddress`, `localPort`, `remoteAddress`, `remotePort`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DropInfo {
    /// The server's end.
    pub local: Option<SocketAddr>,
    /// The client's end.
    pub remote: Option<SocketAddr>,
}
