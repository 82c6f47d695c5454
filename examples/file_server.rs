//! Serves a file to every client that connects: Node's
//! `net.createServer((socket) => fs.createReadStream(file).pipe(socket))`.
//!
//! ```sh
//! cargo run --release --example file_server                          # a generated 16 MiB file on 127.0.0.1:7002
//! cargo run --release --example file_server -- FILE 127.0.0.1:0      # your file, any free port
//! nc 127.0.0.1 7002 > copy.bin                                       # fetch it
//! ```
//!
//! The first line printed is the address it listens on. Each connection
//! reads the file one high-water mark (64 KiB) at a time, only as fast as
//! the client takes it: memory stays bounded whatever the number of
//! clients and the size of the file. (The kernel's `sendfile` would skip
//! the copy through user space; it needs `unsafe` or a crate we do not
//! depend on, so the bytes go through the streams, as in Node.)

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use streams::fs::{create_read_stream, ReadStreamOptions};
use streams::net::events::{Error, Listening};
use streams::net::{create_server, ServerOptions};
use streams::StreamError;

/// The size of the file generated when none is given.
const GENERATED_SIZE: usize = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = match args.first() {
        Some(file) => PathBuf::from(file),
        None => {
            let file = std::env::temp_dir().join("streams-file-server.bin");
            let data: Vec<u8> = (0..GENERATED_SIZE).map(|i| (i % 251) as u8).collect();
            if let Err(e) = std::fs::write(&file, data) {
                eprintln!("file_server: cannot generate {}: {e}", file.display());
                return ExitCode::FAILURE;
            }
            eprintln!("file_server: serving {} ({} MiB)", file.display(), GENERATED_SIZE >> 20);
            file
        }
    };
    let addr: SocketAddr = match args.get(1).map_or("127.0.0.1:7002", String::as_str).parse() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("file_server: bad address: {e}");
            return ExitCode::FAILURE;
        }
    };
    streams::run(async move {
        let server = create_server(ServerOptions::new(), move |socket| {
            // What the client sends is not read by anyone: let it flow away.
            socket.resume();
            match create_read_stream(&file, ReadStreamOptions::new()) {
                Ok(source) => {
                    let s = socket.clone();
                    source.on(Error, move |e: &StreamError| {
                        eprintln!("file_server: {e}");
                        s.destroy(None);
                    });
                    source.pipe(socket);
                }
                Err(e) => {
                    eprintln!("file_server: {e}");
                    socket.destroy(None);
                }
            }
        });
        server.on(Error, |e: &StreamError| {
            eprintln!("file_server: {e}");
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
