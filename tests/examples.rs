//! The examples, run as tests: each example's program is compiled into
//! this test through `#[path]` and run with its output collected, then
//! compared with what the same program prints under Node v24.21.0.

use std::cell::RefCell;
use std::rc::Rc;

#[allow(dead_code)] // the example's `main`
#[path = "../examples/double_stream.rs"]
mod double_stream;

#[allow(dead_code)]
#[path = "../examples/double_transform.rs"]
mod double_transform;

#[allow(dead_code)]
#[path = "../examples/serial_chars.rs"]
mod serial_chars;

/// An example's `main_with`: runs the program, handing what it prints to
/// the closure.
type MainWith = fn(Box<dyn Fn(&str)>);

/// Runs an example's `main_with`, returning what it printed.
fn output(main_with: MainWith) -> String {
    let out = Rc::new(RefCell::new(String::new()));
    let o = out.clone();
    main_with(Box::new(move |text| o.borrow_mut().push_str(text)));
    let text = out.borrow().clone();
    text
}

/// Runs an example whose `print` gets whole lines, returning them.
fn lines(main_with: MainWith) -> Vec<String> {
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    main_with(Box::new(move |line| o.borrow_mut().push(line.to_string())));
    let lines = out.borrow().clone();
    lines
}

#[test]
fn double_stream_writes_each_line_twice() {
    let printed = output(|print| double_stream::main_with(print));
    assert_eq!(printed, "one\none\ntwo\ntwo\nthree\nthree\n");
}

#[test]
fn double_transform_writes_each_line_twice_then_flushes() {
    let printed = output(|print| double_transform::main_with(print));
    assert_eq!(printed, "one\none\ntwo\ntwo\nthree\nthree\n-- the end --\n");
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
    assert_eq!(lines(|print| serial_chars::main_with(print)), node);
}
