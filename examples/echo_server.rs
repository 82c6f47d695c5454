//! A TCP echo server: Node's `net.createServer((socket) => socket.pipe(socket))`.
//!
//! ```sh
//! cargo run --release --example echo_server                    # 127.0.0.1:7000
//! cargo run --release --example echo_server -- 127.0.0.1:0     # any free port
//! cargo run --release --example echo_server -- 127.0.0.1:7000 --workers 2   # every core
//! ```
//!
//! The first line printed is the address it listens on. Try it with
//! `nc 127.0.0.1 7000`, or `node -e "require('net').connect(7000).pipe(process.stdout).end('hi')"`.
//! With `--workers N` it runs N event loops ([`streams::net::Cluster`]), one
//! per thread, and spreads the connections over them.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use streams::net::events::{Error, Listening};
use streams::net::{create_server, Cluster, ClusterOptions, ListenOptions, ServerOptions};
use streams::StreamError;

fn main() -> ExitCode {
    let mut addr = "127.0.0.1:7000".to_string();
    let mut workers = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--workers" => workers = args.next().and_then(|n| n.parse::<usize>().ok()),
            _ => addr = arg,
        }
    }
    let addr: SocketAddr = match addr.parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("echo_server: bad address {addr:?}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match workers {
        Some(n) => every_core(addr, n),
        None => one_loop(addr),
    }
}

/// One event loop, as a Node process.
fn one_loop(addr: SocketAddr) -> ExitCode {
    streams::run(async move {
        let server = create_server(ServerOptions::new(), |socket| {
            socket.pipe(socket);
        });
        server.on(Error, |e: &StreamError| {
            eprintln!("echo_server: {e}");
            std::process::exit(1);
        });
        let s = server.clone();
        server.on(Listening, move |_| {
            println!("{}", s.address().expect("listening"));
            let _ = std::io::stdout().flush();
        });
        server.listen(addr.port(), &addr.ip().to_string());
    });
    ExitCode::SUCCESS
}

/// `n` event loops behind one listening socket.
fn every_core(addr: SocketAddr, n: usize) -> ExitCode {
    let listen = ListenOptions::new(addr.port()).host(addr.ip().to_string());
    let cluster = Cluster::start(ClusterOptions::new(listen).workers(n), |server| {
        server.on(streams::net::events::Connection, |socket: &streams::net::Socket| {
            socket.pipe(socket);
        });
    });
    match cluster {
        Ok(cluster) => {
            println!("{}", cluster.address());
            let _ = std::io::stdout().flush();
            let _ = cluster.join();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("echo_server: {e}");
            ExitCode::FAILURE
        }
    }
}
