//! Socket options tokio's `TcpStream` does not set itself.

use std::io;

use tokio::net::TcpStream;

/// Sets `SO_KEEPALIVE` on a connected stream.
///
/// tokio sets keep-alive only on a `TcpSocket` (before it connects). A
/// duplicate of the descriptor is the same socket to the kernel, so the
/// option is set through a `TcpSocket` made from a duplicate, which is then
/// closed: no `unsafe`, no extra dependency, one `dup` per call.
#[cfg(unix)]
pub(crate) fn set_keepalive(stream: &TcpStream, enable: bool) -> io::Result<()> {
    use std::os::fd::AsFd;
    let dup = stream.as_fd().try_clone_to_owned()?;
    let socket = tokio::net::TcpSocket::from_std_stream(std::net::TcpStream::from(dup));
    socket.set_keepalive(enable)
}

#[cfg(not(unix))]
pub(crate) fn set_keepalive(_stream: &TcpStream, _enable: bool) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "set_keep_alive on this platform"))
}
