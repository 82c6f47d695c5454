//! The connect task: resolve the host (Node's `lookupAndConnect`), connect
//! to each address in turn, and hand the stream to the socket (Node's
//! `afterConnect`) or destroy it with the error.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use streams_core::{next_tick, StreamError};
use tokio::net::{TcpSocket, TcpStream};

use crate::error;
use crate::events::{Lookup, LookupInfo};
use crate::{ConnectOptions, Socket};

pub(crate) async fn connect(socket: Socket, options: ConnectOptions) {
    let inner = socket.inner.clone();
    let host = options.host.clone().unwrap_or_else(|| "localhost".to_string());
    let addrs = match host.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, options.port)],
        Err(_) => {
            let resolved = tokio::net::lookup_host((host.as_str(), options.port)).await;
            let addrs: Vec<SocketAddr> = match resolved {
                Ok(addrs) => addrs.collect(),
                Err(e) => {
                    tracing::debug!("lookup of {host} failed: {e}");
                    Vec::new()
                }
            };
            let address = match addrs.first() {
                Some(addr) => Ok(addr.ip()),
                None => Err(StreamError::with_code(
                    "ENOTFOUND",
                    format!("getaddrinfo ENOTFOUND {host}"),
                )),
            };
            socket.emit(Lookup, &LookupInfo { address: address.clone(), host: host.clone() });
            // Destroyed meanwhile (or by a 'lookup' listener).
            if !inner.connecting.get() {
                return;
            }
            if let Err(err) = address {
                // Node defers it: listeners may not be there yet.
                let s = socket.clone();
                next_tick(move || {
                    s.destroy(Some(err));
                });
                return;
            }
            addrs
        }
    };
    let mut failure = None;
    for addr in addrs {
        let res = connect_one(addr, &options).await;
        if !inner.connecting.get() {
            return;
        }
        match res {
            Ok(stream) => {
                socket.on_connected(stream, addr);
                return;
            }
            Err(err) => failure = Some(err),
        }
    }
    if let Some(err) = failure {
        socket.destroy(Some(err));
    }
}

/// One attempt: bind first if a local address or port is given.
async fn connect_one(addr: SocketAddr, options: &ConnectOptions) -> Result<TcpStream, StreamError> {
    let socket = if addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }
        .map_err(|e| error::connect(e, addr, None))?;
    let mut local = None;
    if options.local_address.is_some() || options.local_port.is_some() {
        let ip = options.local_address.unwrap_or(if addr.is_ipv4() {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        });
        let at = SocketAddr::new(ip, options.local_port.unwrap_or(0));
        socket.bind(at).map_err(|e| error::bind(e, at))?;
        local = Some(at);
    }
    socket.connect(addr).await.map_err(|e| error::connect(e, addr, local))
}
