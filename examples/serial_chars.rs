//! A custom Readable in paused mode: a source of 100 letters (`a` to `z`,
//! round and round) that yields one letter per `read` call, as a serial
//! line would, with a high-water mark of 4 bytes; the consumer takes 5
//! bytes at a time with `read(5)` from a `'readable'` listener.
//!
//! It shows three things from Node's docs:
//! - `read(5)` on a stream whose high-water mark is 4 raises the mark to
//!   the next power of two (8), so the source fills enough for the read;
//! - `read(n)` returns `None` until `n` bytes are buffered, and `'readable'`
//!   fires again when more arrive, so the consumer loops until `None`;
//! - at the end, `read(n)` returns whatever is left, then `'end'` fires.
//!
//! Each line written to stdout is one `read(5)` and the bytes left in the
//! buffer. Node v24 prints the same lines for the same program.
//!
//! Run with `cargo run --example serial_chars`.

use std::cell::Cell;

use bytes::Bytes;
use streams::io::stdout;
use streams::{events, run, Readable, Writable};

/// How many letters the source yields.
const LETTERS: u8 = 100;

/// The source: one letter per `read` call, then the end.
fn serial_chars() -> Readable {
    let sent = Cell::new(0u8);
    Readable::builder()
        .high_water_mark(4)
        .read(move |this, _size| {
            let i = sent.get();
            if i < LETTERS {
                sent.set(i + 1);
                this.push(Bytes::from(vec![b'a' + i % 26]));
            } else {
                this.push(None);
            }
        })
        .build()
}

/// The program: reads the source five bytes at a time and writes a line
/// for each read, then `end`, to `output` (stdout in `main`, a stream of
/// the tests' own in the tests).
pub(crate) fn serial(output: &Writable) {
    let chars = serial_chars();
    let (reader, out) = (chars.clone(), output.clone());
    chars.on(events::Readable, move |_| {
        while let Some(chunk) = reader.read(5) {
            let text = String::from_utf8_lossy(&chunk);
            let line = format!("read {text} readableLength {}\n", reader.readable_length());
            out.write(Bytes::from(line));
        }
    });
    let out = output.clone();
    chars.on(events::End, move |_| {
        out.end(Bytes::from("end\n"));
    });
}

fn main() {
    run(async {
        serial(&stdout());
    });
}
