//! Node's `DoubleStream`: a Duplex that pushes every chunk written to it
//! twice to its readable side, and ends its readable side when its
//! writable side ends (`final`).
//!
//! The program pipes standard input through a `DoubleStream` into standard
//! output, so everything read comes out twice, as Node's
//! `process.stdin.pipe(new DoubleStream()).pipe(process.stdout)`:
//!
//! ```text
//! stdin (Readable) --pipe--> DoubleStream (Duplex) --pipe--> stdout (Writable)
//! ```
//!
//! ```sh
//! echo hello | cargo run --example double_stream   # prints hello twice
//! ```

use bytes::Bytes;
use streams::io::{stdin, stdout};
use streams::{run, Duplex, Readable, Writable};

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

/// The program: `input` through a `DoubleStream` into `output`. `main`
/// gives it the process's stdin and stdout; the tests give it streams of
/// their own.
pub(crate) fn double(input: &Readable, output: &Writable) {
    input.pipe(&double_stream()).pipe(output);
}

fn main() {
    run(async {
        double(&stdin(), &stdout());
    });
}
