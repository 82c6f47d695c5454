//! Node's `DoubleStream`: a Duplex that pushes every chunk written to it
//! twice to its readable side, and ends its readable side when its
//! writable side ends (`final`).
//!
//! The program pipes a Readable of three lines through a `DoubleStream`
//! into a Writable that prints to stdout, so each line comes out twice:
//!
//! ```text
//! source (Readable) --pipe--> DoubleStream (Duplex) --pipe--> stdout (Writable)
//! ```
//!
//! Until `streams::io::stdin()`/`stdout()` land, the source is a Readable
//! of lines built here and the sink prints with `print!`; then this
//! becomes `stdin().pipe(&double).pipe(&stdout())`, as in Node.
//!
//! Run with `cargo run --example double_stream`.

use bytes::Bytes;
use streams::{run, Duplex, Readable, Writable};

/// The lines the program feeds the stream.
const LINES: [&str; 3] = ["one\n", "two\n", "three\n"];

/// Node's `class DoubleStream extends Duplex`: `_write` pushes the chunk
/// twice, `_final` pushes `null`, `_read` has nothing to do (the data
/// comes from the writes).
fn double_stream() -> Duplex {
    Duplex::<Bytes, Bytes>::builder()
        .write(|this, chunk, _encoding, cb| {
            this.push(chunk.clone());
            this.push(chunk);
            cb.call(Ok(()));
        })
        .read(|_, _size| {})
        .final_(|this, cb| {
            this.push(None);
            cb.call(Ok(()));
        })
        .build()
}

/// Runs the program, handing everything it prints to `print`.
pub(crate) fn main_with(print: impl Fn(&str) + 'static) {
    run(async move {
        let source = Readable::from_iter(LINES.map(Bytes::from));
        // A stand-in for `process.stdout`.
        let stdout: Writable = Writable::builder()
            .write(move |_, chunk: Bytes, _, cb| {
                print(&String::from_utf8_lossy(&chunk));
                cb.call(Ok(()));
            })
            .build();
        source.pipe(&double_stream()).pipe(&stdout);
    });
}

fn main() {
    main_with(|text| print!("{text}"));
}
