//! The errors the net module makes, with Node's codes.

use std::io;
use std::net::SocketAddr;

use streams_core::StreamError;

/// `ERR_SOCKET_CLOSED`: an operation on a socket that is closed.
pub(crate) fn socket_closed() -> StreamError {
    StreamError::with_code("ERR_SOCKET_CLOSED", "Socket is closed")
}

/// `ERR_SOCKET_CLOSED_BEFORE_CONNECTION`: a write queued while connecting,
/// failed because the socket was destroyed first.
pub(crate) fn closed_before_connection() -> StreamError {
    StreamError::with_code(
        "ERR_SOCKET_CLOSED_BEFORE_CONNECTION",
        "Socket closed before the connection was established",
    )
}

/// `EPIPE` for a write after the peer's FIN on a socket that does not
/// allow half-open connections (Node's `writeAfterFIN`).
pub(crate) fn ended_by_other_party() -> StreamError {
    StreamError::with_code("EPIPE", "This socket has been ended by the other party")
}

/// `ERR_SERVER_NOT_RUNNING`: `close()` on a server that is not listening.
pub(crate) fn server_not_running() -> StreamError {
    StreamError::with_code("ERR_SERVER_NOT_RUNNING", "Server is not running.")
}

/// `ERR_SERVER_ALREADY_LISTEN`: `listen()` on a server that listens.
pub(crate) fn server_already_listen() -> StreamError {
    StreamError::with_code(
        "ERR_SERVER_ALREADY_LISTEN",
        "Listen method has been called more than once without closing.",
    )
}

// Node builds an operating-system error of a socket or server in one of
// three forms (lib/internal/errors.js), each with the errno name as its code:
//
// - `ErrnoException`: `"read ECONNRESET"` (read, write, shutdown, accept);
// - `ExceptionWithHostPort`: `"connect ECONNREFUSED 127.0.0.1:1"`, with
//   `" - Local (address:port)"` after it when the connect bound a local port;
//   the same without that for `bind`;
// - `UVExceptionWithHostPort`: libuv's description too, for `listen`:
//   `"listen EADDRINUSE: address already in use 127.0.0.1:7000"`.
//
// The address is the bare IP (`::1`, no brackets) and the port is left out
// when it is 0, as Node does.

/// `"{syscall} {code}"` (Node's `ErrnoException`): a failed read, write,
/// shutdown or accept.
pub(crate) fn errno(error: io::Error, syscall: &str) -> StreamError {
    let (code, _) = describe(&error);
    StreamError::with_io(error, format!("{syscall} {code}"))
}

/// A failed connect to `addr` (Node's `ExceptionWithHostPort`), naming the
/// local address it was bound to when a local port was asked for.
pub(crate) fn connect(
    error: io::Error,
    addr: SocketAddr,
    local: Option<SocketAddr>,
) -> StreamError {
    let (code, _) = describe(&error);
    let mut message = format!("connect {code}{}", host_port(addr));
    if let Some(local) = local.filter(|l| l.port() != 0) {
        message.push_str(&format!(" - Local ({}:{})", local.ip(), local.port()));
    }
    StreamError::with_io(error, message)
}

/// A failed bind of a connecting socket to `local` (Node's
/// `ExceptionWithHostPort`).
pub(crate) fn bind(error: io::Error, local: SocketAddr) -> StreamError {
    let (code, _) = describe(&error);
    StreamError::with_io(error, format!("bind {code}{}", host_port(local)))
}

/// A failed listen on `addr` (Node's `UVExceptionWithHostPort`): the
/// socket, its bind or its listen.
pub(crate) fn listen(error: io::Error, addr: SocketAddr) -> StreamError {
    let (code, description) = describe(&error);
    StreamError::with_io(error, format!("listen {code}: {description}{}", host_port(addr)))
}

/// `" address:port"`, or `" address"` for port 0.
fn host_port(addr: SocketAddr) -> String {
    match addr.port() {
        0 => format!(" {}", addr.ip()),
        port => format!(" {}:{port}", addr.ip()),
    }
}

/// The errno name of `error` and libuv's description of it, as
/// `StreamError::describe_io` words them (`"EADDRINUSE"`, `"address already
/// in use"`); an error without an errno name is named by its own text.
fn describe(error: &io::Error) -> (String, String) {
    let (code, description) = StreamError::describe_io(error);
    (code.map_or_else(|| description.clone(), str::to_string), description)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(errno: i32, kind: io::ErrorKind) -> io::Error {
        if cfg!(target_os = "linux") {
            io::Error::from_raw_os_error(errno)
        } else {
            io::Error::from(kind)
        }
    }

    // What Node v24.21.0 writes for each (the conformance scenarios
    // net-connect-refused, net-listen-eaddrinuse and net-read-econnreset
    // record the first three of them from Node itself).
    #[test]
    fn messages_are_nodes() {
        let v4: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let v6: SocketAddr = "[::1]:1".parse().unwrap();
        let cases = [
            (
                errno(os(104, io::ErrorKind::ConnectionReset), "read"),
                "ECONNRESET",
                "read ECONNRESET",
            ),
            (
                connect(os(111, io::ErrorKind::ConnectionRefused), v4, None),
                "ECONNREFUSED",
                "connect ECONNREFUSED 127.0.0.1:1",
            ),
            (
                listen(os(98, io::ErrorKind::AddrInUse), "127.0.0.1:7000".parse().unwrap()),
                "EADDRINUSE",
                "listen EADDRINUSE: address already in use 127.0.0.1:7000",
            ),
            (
                listen(os(98, io::ErrorKind::AddrInUse), "[::]:7000".parse().unwrap()),
                "EADDRINUSE",
                "listen EADDRINUSE: address already in use :::7000",
            ),
            (
                listen(os(99, io::ErrorKind::AddrNotAvailable), "[::2]:0".parse().unwrap()),
                "EADDRNOTAVAIL",
                "listen EADDRNOTAVAIL: address not available ::2",
            ),
            (
                connect(os(111, io::ErrorKind::ConnectionRefused), v6, None),
                "ECONNREFUSED",
                "connect ECONNREFUSED ::1:1",
            ),
            (
                connect(
                    os(111, io::ErrorKind::ConnectionRefused),
                    v4,
                    Some("0.0.0.0:46350".parse().unwrap()),
                ),
                "ECONNREFUSED",
                "connect ECONNREFUSED 127.0.0.1:1 - Local (0.0.0.0:46350)",
            ),
            (
                connect(
                    os(111, io::ErrorKind::ConnectionRefused),
                    v4,
                    Some("127.0.0.1:0".parse().unwrap()),
                ),
                "ECONNREFUSED",
                "connect ECONNREFUSED 127.0.0.1:1",
            ),
            (
                bind(os(98, io::ErrorKind::AddrInUse), "127.0.0.1:46349".parse().unwrap()),
                "EADDRINUSE",
                "bind EADDRINUSE 127.0.0.1:46349",
            ),
            (
                bind(os(99, io::ErrorKind::AddrNotAvailable), "10.9.9.9:0".parse().unwrap()),
                "EADDRNOTAVAIL",
                "bind EADDRNOTAVAIL 10.9.9.9",
            ),
            (errno(os(32, io::ErrorKind::BrokenPipe), "write"), "EPIPE", "write EPIPE"),
        ];
        for (err, code, message) in cases {
            assert_eq!(err.code(), Some(code));
            assert_eq!(err.to_string(), message);
            assert!(err.io_error().is_some());
        }
    }

    #[test]
    fn keeps_the_os_error() {
        let err = errno(os(104, io::ErrorKind::ConnectionReset), "read");
        assert_eq!(err.io_error().map(io::Error::kind), Some(io::ErrorKind::ConnectionReset));
        if cfg!(target_os = "linux") {
            assert_eq!(err.io_error().and_then(io::Error::raw_os_error), Some(104));
        }
    }

    #[test]
    fn an_error_without_a_name_is_named_by_its_text() {
        let err = errno(io::Error::other("Odd failure"), "read");
        assert_eq!(err.code(), None);
        assert_eq!(err.to_string(), "read odd failure");
    }
}
