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

/// An I/O error of `syscall`, with the errno name as its code (`ECONNRESET`,
/// `EADDRINUSE`, ...) and the address it concerned, if any.
pub(crate) fn syscall(error: io::Error, syscall: &str, addr: Option<SocketAddr>) -> StreamError {
    let addr = addr.map(|a| a.to_string());
    StreamError::from_syscall(error, syscall, addr.as_deref())
}
