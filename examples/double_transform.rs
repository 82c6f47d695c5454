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
//! stdin (Readable) --pipe--> double (Transform) --pipe--> stdout (Writable)
//! ```
//!
//! ```sh
//! echo hello | cargo run --example double_transform   # hello, hello, -- the end --
//! ```

use bytes::Bytes;
use streams::io::{stdin, stdout};
use streams::{run, Readable, Transform, Writable};

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

/// The program: `input` through the Transform into `output`. `main` gives
/// it the process's stdin and stdout; the tests give it streams of their
/// own.
pub(crate) fn double(input: &Readable, output: &Writable) {
    input.pipe(&double_transform()).pipe(output);
}

fn main() {
    run(async {
        double(&stdin(), &stdout());
    });
}
