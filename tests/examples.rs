//! The examples, run as tests: each example's program is compiled into
//! this test through `#[path]` and run on streams of the test's own
//! instead of stdin and stdout, then its output is compared with what the
//! same program prints under Node v24.21.0.

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use streams::{Readable, Writable};

#[allow(dead_code)] // the example's `main`
#[path = "../examples/double_stream.rs"]
mod double_stream;

#[allow(dead_code)]
#[path = "../examples/double_transform.rs"]
mod double_transform;

#[allow(dead_code)]
#[path = "../examples/serial_chars.rs"]
mod serial_chars;

/// The lines the tests feed the programs, as stdin would.
const LINES: [&str; 3] = ["one\n", "two\n", "three\n"];

/// Runs `program` on a fresh loop with a Writable standing in for stdout;
/// returns what it wrote, and whether the Writable was ended.
fn output(program: impl FnOnce(&Writable) + 'static) -> (String, bool) {
    let out = Rc::new(RefCell::new(String::new()));
    let ended = Rc::new(RefCell::new(false));
    let (o, e) = (out.clone(), ended.clone());
    streams::run(async move {
        let stdout: Writable = Writable::builder()
            .write(move |_, chunk: Bytes, _, cb| {
                o.borrow_mut().push_str(&String::from_utf8_lossy(&chunk));
                cb.call(Ok(()));
            })
            .build();
        stdout.on(streams::events::Finish, move |_| *e.borrow_mut() = true);
        program(&stdout);
    });
    let text = out.borrow().clone();
    let ended = *ended.borrow();
    (text, ended)
}

/// A Readable of [`LINES`], standing in for stdin.
fn stdin() -> Readable {
    Readable::from_iter(LINES.map(Bytes::from))
}

#[test]
fn double_stream_writes_each_line_twice() {
    let printed = output(|stdout| double_stream::double(&stdin(), stdout));
    assert_eq!(printed, ("one\none\ntwo\ntwo\nthree\nthree\n".to_string(), true));
}

#[test]
fn double_transform_writes_each_line_twice_then_flushes() {
    let printed = output(|stdout| double_transform::double(&stdin(), stdout));
    assert_eq!(printed, ("one\none\ntwo\ntwo\nthree\nthree\n-- the end --\n".to_string(), true));
}

#[test]
fn serial_chars_reads_five_at_a_time() {
    // What Node v24.21.0 prints for the same program (a Readable with
    // highWaterMark 4 pushing one of 100 letters per _read, read(5) in a
    // 'readable' listener until null).
    let node = [
        "read abcde readableLength 4",
        "read fghij readableLength 0",
        "read klmno readableLength 4",
        "read pqrst readableLength 0",
        "read uvwxy readableLength 0",
        "read zabcd readableLength 4",
        "read efghi readableLength 0",
        "read jklmn readableLength 0",
        "read opqrs readableLength 4",
        "read tuvwx readableLength 0",
        "read yzabc readableLength 0",
        "read defgh readableLength 0",
        "read ijklm readableLength 4",
        "read nopqr readableLength 0",
        "read stuvw readableLength 0",
        "read xyzab readableLength 0",
        "read cdefg readableLength 0",
        "read hijkl readableLength 4",
        "read mnopq readableLength 0",
        "read rstuv readableLength 0",
        "end",
    ];
    let (printed, ended) = output(serial_chars::serial);
    assert_eq!(printed.lines().collect::<Vec<_>>(), node);
    assert!(printed.ends_with("end\n") && ended);
}
