//! A TCP proxy: each client is piped to a new connection to the upstream,
//! and the upstream back to the client.
//!
//! ```sh
//! cargo run --release --example echo_server &                        # an upstream on 127.0.0.1:7000
//! cargo run --release --example tcp_proxy                            # 127.0.0.1:7001 -> 127.0.0.1:7000
//! cargo run --release --example tcp_proxy -- 127.0.0.1:0 127.0.0.1:7000
//! ```
//!
//! The first line printed is the address it listens on. In Node:
//!
//! ```js
//! net.createServer({ allowHalfOpen: true }, (client) => {
//!   const upstream = net.connect({ port, host, allowHalfOpen: true });
//!   client.pipe(upstream).pipe(client);
//! });
//! ```
//!
//! - **Backpressure** both ways: `pipe` stops reading a side while the
//!   other side's buffer is over its high-water mark, and a side that does
//!   not read lets TCP's window close on its peer.
//! - **Half-close** forwarded: both sockets allow half-open connections,
//!   so a FIN from one peer ends only the other connection's writing side
//!   (through `pipe`); replies still flow the other way until that side
//!   ends too.
//! - **Errors**: a failure on either side destroys the other.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use streams::net::events::{Close, Error, Listening};
use streams::net::{create_server, ConnectOptions, ServerOptions, Socket};
use streams::StreamError;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parse = |i: usize, default: &str| -> Result<SocketAddr, String> {
        let text = args.get(i).map_or(default, String::as_str);
        text.parse().map_err(|e| format!("bad address {text:?}: {e}"))
    };
    let (listen, upstream) = match (parse(0, "127.0.0.1:7001"), parse(1, "127.0.0.1:7000")) {
        (Ok(l), Ok(u)) => (l, u),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("tcp_proxy: {e}");
            return ExitCode::FAILURE;
        }
    };
    streams::run(async move {
        let server = create_server(ServerOptions::new().allow_half_open(true), move |client| {
            let up = Socket::connect(
                ConnectOptions::new(upstream.port())
                    .host(upstream.ip().to_string())
                    .allow_half_open(true),
            );
            client.pipe(&up).pipe(client);
            // Whichever side fails (or closes) takes the other with it.
            for (a, b) in [(client.clone(), up.clone()), (up.clone(), client.clone())] {
                let other = b.clone();
                a.on(Error, move |e: &StreamError| {
                    eprintln!("tcp_proxy: {e}");
                    other.destroy(None);
                });
                a.on(Close, move |_| {
                    b.destroy_soon();
                });
            }
        });
        server.on(Error, |e: &StreamError| {
            eprintln!("tcp_proxy: {e}");
            std::process::exit(1);
        });
        let s = server.clone();
        server.on(Listening, move |_| {
            println!("{}", s.address().expect("listening"));
            let _ = std::io::stdout().flush();
        });
        server.listen(listen.port(), &listen.ip().to_string());
    });
    ExitCode::SUCCESS
}
