//! Node's `DoubleStream` as a Transform: every chunk comes out twice, and
//! a `flush` adds a last line once the input has ended.
//!
//! A Transform is the simpler way to write a Duplex whose output is
//! computed from its input: the `transform` hook gets one chunk at a time
//! and may push any number of chunks (here: one with `push`, one through
//! the callback, Node's `callback(null, data)`); `flush` runs after the
//! last chunk, before the readable side ends.
//!
//! ```text
//! source (Readable) --pipe--> double (Transform) --pipe--> stdout (Writable)
//! ```
//!
//! Until `streams::io::stdin()`/`stdout()` land, the source is a Readable
//! of lines built here and the sink prints with `print!`.
//!
//! Run with `cargo run --example double_transform`.

use bytes::Bytes;
use streams::{run, Readable, Transform, Writable};

/// The lines the program feeds the stream.
const LINES: [&str; 3] = ["one\n", "two\n", "three\n"];

/// The line `flush` adds at the end.
const LAST_LINE: &str = "-- the end --\n";

/// Each chunk twice, then [`LAST_LINE`].
fn double_transform() -> Transform {
    Transform::<Bytes, Bytes>::builder()
        .transform(|this, chunk, _encoding, cb| {
            this.push(chunk.clone());
            cb.call(Ok(Some(chunk)));
        })
        .flush(|_, cb| cb.call(Ok(Some(Bytes::from_static(LAST_LINE.as_bytes())))))
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
        source.pipe(&double_transform()).pipe(&stdout);
    });
}

fn main() {
    main_with(|text| print!("{text}"));
}
