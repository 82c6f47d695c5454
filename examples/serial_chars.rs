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
//! Each line printed is one `read(5)` and the bytes left in the buffer.
//! Node v24 prints the same lines for the same program.
//!
//! Run with `cargo run --example serial_chars`.

use std::cell::Cell;

use bytes::Bytes;
use streams::{events, run, Readable};

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

/// Runs the program, handing each line it prints to `print`.
pub(crate) fn main_with(print: impl Fn(&str) + 'static) {
    run(async move {
        let print = std::rc::Rc::new(print);
        let chars = serial_chars();
        let (reader, p) = (chars.clone(), print.clone());
        chars.on(events::Readable, move |_| {
            while let Some(chunk) = reader.read(5) {
                let text = String::from_utf8_lossy(&chunk);
                p(&format!("read {text} readableLength {}", reader.readable_length()));
            }
        });
        chars.on(events::End, move |_| print("end"));
    });
}

fn main() {
    main_with(|line| println!("{line}"));
}
