//! Re-entrancy: every public method of a Readable called from inside every
//! kind of listener (`'data'`, `'readable'`, `'end'`, `'pause'`, `'resume'`,
//! `'close'`, `'error'`) and from inside the `read` and `destroy` hooks.
//!
//! Each test records what happens and asserts the whole trace: no panic
//! (no `BorrowMutError`), and exactly the bytes that arrive, in order,
//! once. Every trace was checked against Node v24.21.0 running the same
//! scenario in JavaScript; where we differ on purpose, the test says so.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use streams::events::{self, ListenerId};
use streams::{next_tick, run, set_immediate, Readable, StreamError};

/// The lines a test records, in order. Cheap to clone into listeners.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// `log!(log, "a {}", x)` records one formatted line.
macro_rules! log {
    ($log:expr, $($arg:tt)*) => { $log.push(format!($($arg)*)) };
}

/// Asserts the recorded trace, showing both in full when they differ.
fn assert_trace(log: &Log, want: &[&str]) {
    let got = log.lines();
    assert_eq!(got, want, "\n got: {got:#?}\nwant: {want:#?}");
}

fn b(s: &str) -> Bytes {
    Bytes::copy_from_slice(s.as_bytes())
}

fn text(chunk: &Bytes) -> String {
    String::from_utf8_lossy(chunk).into_owned()
}

/// A `read()` result as JavaScript prints it.
fn show(chunk: Option<Bytes>) -> String {
    chunk.map_or_else(|| "null".to_string(), |c| text(&c))
}

fn js_flowing(flowing: Option<bool>) -> &'static str {
    match flowing {
        None => "null",
        Some(true) => "true",
        Some(false) => "false",
    }
}

/// `new Readable({ read() {} })`: a source that is pushed from outside.
fn manual() -> Readable {
    Readable::builder().read(|_, _| {}).build()
}

fn error_text(err: &StreamError) -> String {
    err.code().unwrap_or(err.message()).to_string()
}

/// Logs the lifecycle events, as the Node scripts' `watch(r)` does.
fn watch(r: &Readable, log: &Log) {
    let l = log.clone();
    r.on(events::Pause, move |_| l.push("pause"));
    let l = log.clone();
    r.on(events::Resume, move |_| l.push("resume"));
    let l = log.clone();
    r.on(events::End, move |_| l.push("end"));
    let l = log.clone();
    r.on(events::Error, move |e: &StreamError| log!(l, "error {}", error_text(e)));
    let l = log.clone();
    r.on(events::Close, move |_| l.push("close"));
}

/// A listener id the listener itself can read, to remove itself.
#[derive(Clone, Default)]
struct SelfId(Rc<Cell<Option<ListenerId>>>);

impl SelfId {
    fn set(&self, id: ListenerId) {
        self.0.set(Some(id));
    }

    fn get(&self) -> ListenerId {
        self.0.get().expect("the listener was registered")
    }
}

// ---------------------------------------------------------------- 'data'

#[test]
fn data_listener_pauses_and_resumes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            if &c[..] == b"a" {
                r1.pause();
                r1.resume();
                log!(l, "flowing {}", js_flowing(r1.readable_flowing()));
            }
            if &c[..] == b"b" {
                r1.pause();
                let (l, r) = (l.clone(), r1.clone());
                set_immediate(move || {
                    l.push("immediate");
                    r.resume();
                });
            }
        });
    });
    assert_trace(
        &log,
        &[
            "data a",
            "pause",
            "flowing true",
            "data b",
            "pause",
            "resume",
            "immediate",
            "resume",
            "data c",
            "end",
            "close",
        ],
    );
}

#[test]
fn data_listener_reads() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c", "de"] {
            r.push(b(c));
        }
        r.push(None);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            // A read while flowing takes the next chunk and emits it as
            // 'data' from inside this listener.
            if &c[..] == b"a" {
                log!(l, "read() -> {}", show(r1.read(None)));
            }
            if &c[..] == b"c" {
                log!(l, "read(1) -> {}", show(r1.read(1)));
            }
        });
    });
    assert_trace(
        &log,
        &[
            "data a",
            "data b",
            "read() -> b",
            "data c",
            "data d",
            "read(1) -> d",
            "data e",
            "resume",
            "end",
            "close",
        ],
    );
}

#[test]
fn data_listener_pushes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        let n = Cell::new(0);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            n.set(n.get() + 1);
            // Flowing with an empty buffer: each push is emitted at once,
            // from inside this listener.
            if n.get() < 4 {
                let s = n.get().to_string();
                log!(l, "push {s} -> {}", r1.push(b(&s)));
            } else if n.get() == 4 {
                log!(l, "push null -> {}", r1.push(None));
            }
        });
        r.push(b("x"));
    });
    assert_trace(
        &log,
        &[
            "resume",
            "data x",
            "data 1",
            "data 2",
            "data 3",
            "push null -> false",
            "push 3 -> false",
            "push 2 -> false",
            "push 1 -> false",
            "end",
            "close",
        ],
    );
}

#[test]
fn data_listener_unshifts_the_rest() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("ab"));
        r.push(b("cd"));
        r.push(None);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            // A parser that used one byte puts the rest back: buffered in
            // front of "cd" the first time, emitted at once the second
            // (flowing, empty buffer).
            if &c[..] == b"ab" || &c[..] == b"cd" {
                let rest = c.slice(1..);
                log!(l, "unshift {} -> {}", text(&rest), r1.unshift(rest));
            }
        });
    });
    assert_trace(
        &log,
        &[
            "data ab",
            "unshift b -> false",
            "data b",
            "data cd",
            "unshift d -> false",
            "data d",
            "resume",
            "end",
            "close",
        ],
    );
}

#[test]
fn data_listener_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            if &c[..] == b"b" {
                r1.destroy(Some(StreamError::new("boom")));
                log!(l, "destroyed {}", r1.destroyed());
            }
        });
    });
    // As in Node, the flow that is running still hands out what is
    // buffered ('error' is only emitted on the next tick); no 'end'.
    assert_trace(
        &log,
        &["data a", "data b", "destroyed true", "data c", "resume", "error boom", "close"],
    );
}

#[test]
fn data_listener_removes_itself() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let id = SelfId::default();
        let (l1, r1, id1) = (l.clone(), r.clone(), id.clone());
        id.set(r.on(events::Data, move |c: &Bytes| {
            log!(l1, "first {}", text(c));
            assert!(r1.off(id1.get()));
        }));
        r.on(events::Data, move |c: &Bytes| log!(l, "second {}", text(c)));
    });
    // Removed during its own emit: that emit still counts it, no later one.
    assert_trace(&log, &["first a", "second a", "second b", "second c", "resume", "end", "close"]);
}

#[test]
fn data_listener_removes_itself_pauses_and_another_takes_over() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let id = SelfId::default();
        let (r1, id1) = (r.clone(), id.clone());
        id.set(r.on(events::Data, move |c: &Bytes| {
            log!(l, "first {}", text(c));
            r1.off(id1.get());
            r1.pause();
            let (l, r) = (l.clone(), r1.clone());
            set_immediate(move || {
                let l2 = l.clone();
                r.on(events::Data, move |c: &Bytes| log!(l2, "second {}", text(c)));
                log!(l, "flowing {}", js_flowing(r.readable_flowing()));
                r.resume();
            });
        }));
    });
    assert_trace(
        &log,
        &[
            "first a",
            "pause",
            "resume",
            "flowing false",
            "resume",
            "second b",
            "second c",
            "end",
            "close",
        ],
    );
}

#[test]
fn data_listener_adds_and_removes_data_listeners() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let added = Cell::new(false);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            if !added.replace(true) {
                // Not called by the emit that is running; called once by
                // the next, during which it removes itself.
                let id = SelfId::default();
                let (l, r, id1) = (l.clone(), r1.clone(), id.clone());
                id.set(r1.on(events::Data, move |c: &Bytes| {
                    log!(l, "other {}", text(c));
                    r.off(id1.get());
                }));
            }
        });
    });
    assert_trace(&log, &["data a", "data b", "other b", "data c", "resume", "end", "close"]);
}

#[test]
fn data_listener_adds_a_readable_listener() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        r.push(None);
        let added = Cell::new(false);
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            if !added.replace(true) {
                // 'readable' takes over: the flow stops at once, and the
                // rest comes out of read(), which still emits 'data'.
                let (l2, r2) = (l.clone(), r1.clone());
                r1.on(events::Readable, move |_| {
                    l2.push("readable");
                    while let Some(x) = r2.read(None) {
                        log!(l2, "read -> {}", text(&x));
                    }
                });
                log!(l, "flowing {}", js_flowing(r1.readable_flowing()));
            }
        });
    });
    assert_trace(
        &log,
        &["data a", "flowing false", "resume", "readable", "data bc", "read -> bc", "end", "close"],
    );
}

// ------------------------------------------------------------ 'readable'

#[test]
fn readable_listener_adds_a_data_listener_and_removes_itself() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(b("b"));
        let id = SelfId::default();
        let (l1, r1, id1) = (l.clone(), r.clone(), id.clone());
        id.set(r.on(events::Readable, move |_| {
            l1.push("readable");
            log!(l1, "read(1) -> {}", show(r1.read(1)));
            let l2 = l1.clone();
            r1.on(events::Data, move |c: &Bytes| log!(l2, "data {}", text(c)));
            // Removing the last 'readable' listener lets 'data' flow, from
            // the next tick.
            r1.off(id1.get());
            log!(l1, "flowing {}", js_flowing(r1.readable_flowing()));
        }));
        set_immediate(move || {
            l.push("immediate");
            r.push(b("c"));
            r.push(None);
        });
    });
    assert_trace(
        &log,
        &[
            "readable",
            "read(1) -> a",
            "flowing false",
            "resume",
            "data b",
            "immediate",
            "data c",
            "end",
            "close",
        ],
    );
}

#[test]
fn readable_listener_reads_unshifts_and_pushes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r: Readable = Readable::builder().high_water_mark(4).read(|_, _| {}).build();
        watch(&r, &l);
        let round = Cell::new(0);
        let r1 = r.clone();
        r.on(events::Readable, move |_| {
            round.set(round.get() + 1);
            log!(l, "readable {} length {}", round.get(), r1.readable_length());
            if round.get() == 1 {
                let c = r1.read(3).expect("4 bytes are buffered");
                log!(l, "read(3) -> {}", text(&c));
                let rest = c.slice(1..);
                log!(l, "unshift {} -> {}", text(&rest), r1.unshift(rest));
                log!(l, "push e -> {}", r1.push(b("e")));
                let (l, r) = (l.clone(), r1.clone());
                set_immediate(move || {
                    l.push("immediate");
                    r.push(b("f"));
                    r.push(None);
                });
            }
            while let Some(x) = r1.read(None) {
                log!(l, "read -> {}", text(&x));
            }
        });
        r.push(b("abcd"));
    });
    assert_trace(
        &log,
        &[
            "readable 1 length 4",
            "read(3) -> abc",
            "unshift bc -> true",
            "push e -> false",
            "read -> bcde",
            "immediate",
            "readable 2 length 1",
            "read -> f",
            "readable 3 length 0",
            "end",
            "close",
        ],
    );
}

#[test]
fn readable_listener_pauses_resumes_and_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(b("b"));
        let round = Cell::new(0);
        let r1 = r.clone();
        r.on(events::Readable, move |_| {
            round.set(round.get() + 1);
            log!(l, "readable {}", round.get());
            // A 'readable' listener holds the stream paused: resume() only
            // schedules a 'resume'.
            r1.pause();
            r1.resume();
            log!(l, "flowing {} isPaused {}", js_flowing(r1.readable_flowing()), r1.is_paused());
            log!(l, "read -> {}", show(r1.read(None)));
            if round.get() == 1 {
                let (l, r) = (l.clone(), r1.clone());
                set_immediate(move || {
                    l.push("immediate");
                    r.push(b("c"));
                });
            } else {
                r1.destroy(None);
                log!(l, "read after destroy -> {}", show(r1.read(None)));
            }
        });
    });
    assert_trace(
        &log,
        &[
            "readable 1",
            "flowing false isPaused true",
            "read -> ab",
            "resume",
            "immediate",
            "readable 2",
            "flowing false isPaused true",
            "read -> c",
            "read after destroy -> null",
            "resume",
            "close",
        ],
    );
}

// ----------------------------------------------------------------- 'end'

#[test]
fn end_listener_reads_pauses_resumes_rewires_and_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(None);
        let l1 = l.clone();
        r.on(events::Data, move |c: &Bytes| log!(l1, "data {}", text(c)));
        let id = SelfId::default();
        let (r1, id1) = (r.clone(), id.clone());
        id.set(r.on(events::End, move |_| {
            log!(l, "in end: read -> {}", show(r1.read(None)));
            r1.pause();
            r1.resume();
            log!(l, "flowing {}", js_flowing(r1.readable_flowing()));
            r1.off(id1.get());
            let l2 = l.clone();
            r1.on(events::End, move |_| l2.push("late end"));
            let l2 = l.clone();
            r1.on(events::Data, move |c: &Bytes| log!(l2, "late data {}", text(c)));
            let l2 = l.clone();
            r1.on(events::Readable, move |_| l2.push("late readable"));
            r1.destroy(None);
            log!(l, "destroyed {}", r1.destroyed());
        }));
    });
    assert_trace(
        &log,
        &[
            "data a",
            "resume",
            "end",
            "in end: read -> null",
            "pause",
            "flowing true",
            "destroyed true",
            "resume",
            "close",
        ],
    );
}

#[test]
fn end_listener_pushes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(None);
        let l1 = l.clone();
        r.on(events::Data, move |c: &Bytes| log!(l1, "data {}", text(c)));
        let r1 = r.clone();
        r.on(events::End, move |_| log!(l, "push b -> {}", r1.push(b("b"))));
    });
    assert_trace(
        &log,
        &["data a", "resume", "end", "push b -> false", "error ERR_STREAM_PUSH_AFTER_EOF", "close"],
    );
}

#[test]
fn end_listener_unshifts() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(None);
        let l1 = l.clone();
        r.on(events::Data, move |c: &Bytes| log!(l1, "data {}", text(c)));
        let r1 = r.clone();
        r.on(events::End, move |_| log!(l, "unshift b -> {}", r1.unshift(b("b"))));
    });
    assert_trace(
        &log,
        &[
            "data a",
            "resume",
            "end",
            "unshift b -> false",
            "error ERR_STREAM_UNSHIFT_AFTER_END_EVENT",
            "close",
        ],
    );
}

// --------------------------------------------------------------- 'pause'

#[test]
fn pause_listener_reads_unshifts_pushes_resumes_and_rewires() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        for c in ["a", "b", "c"] {
            r.push(b(c));
        }
        let pauses = Cell::new(0);
        let id = SelfId::default();
        let (l1, r1, id1) = (l.clone(), r.clone(), id.clone());
        id.set(r.on(events::Pause, move |_| {
            pauses.set(pauses.get() + 1);
            log!(l1, "in pause {} length {}", pauses.get(), r1.readable_length());
            if pauses.get() == 1 {
                log!(l1, "read(1) -> {}", show(r1.read(1)));
                log!(l1, "unshift z -> {}", r1.unshift(b("z")));
                log!(l1, "push d -> {}", r1.push(b("d")));
                r1.resume();
                log!(l1, "flowing {}", js_flowing(r1.readable_flowing()));
            } else {
                r1.off(id1.get());
                let l2 = l1.clone();
                r1.on(events::Pause, move |_| l2.push("new pause listener"));
                let (l, r) = (l1.clone(), r1.clone());
                set_immediate(move || {
                    l.push("immediate");
                    r.push(b("e"));
                    r.push(None);
                    r.resume();
                });
            }
        }));
        let r1 = r.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(l, "data {}", text(c));
            if &c[..] == b"c" {
                r1.pause();
            }
        });
        r.pause();
    });
    assert_trace(
        &log,
        &[
            "pause",
            "in pause 1 length 3",
            "data a",
            "read(1) -> a",
            "unshift z -> true",
            "push d -> true",
            "flowing true",
            "resume",
            "data z",
            "data b",
            "data c",
            "pause",
            "in pause 2 length 1",
            "immediate",
            "data d",
            "data e",
            "resume",
            "end",
            "close",
        ],
    );
}

// -------------------------------------------------------------- 'resume'

#[test]
fn resume_listener_reads_pauses_pushes_unshifts_and_adds_readable() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(b("b"));
        let resumes = Cell::new(0);
        let (l1, r1) = (l.clone(), r.clone());
        r.on(events::Resume, move |_| {
            resumes.set(resumes.get() + 1);
            log!(l1, "in resume {} length {}", resumes.get(), r1.readable_length());
            if resumes.get() == 1 {
                log!(l1, "read(1) -> {}", show(r1.read(1)));
                r1.pause();
                log!(l1, "push c -> {}", r1.push(b("c")));
                log!(l1, "unshift y -> {}", r1.unshift(b("y")));
                let (l, r) = (l1.clone(), r1.clone());
                set_immediate(move || {
                    l.push("immediate");
                    r.resume();
                });
            } else if resumes.get() == 2 {
                let (l2, r2) = (l1.clone(), r1.clone());
                r1.on(events::Readable, move |_| {
                    l2.push("readable");
                    while let Some(x) = r2.read(None) {
                        log!(l2, "read -> {}", text(&x));
                    }
                });
                r1.push(None);
            }
        });
        r.on(events::Data, move |c: &Bytes| log!(l, "data {}", text(c)));
    });
    assert_trace(
        &log,
        &[
            "resume",
            "in resume 1 length 2",
            "data a",
            "read(1) -> a",
            "pause",
            "push c -> true",
            "unshift y -> true",
            "immediate",
            "resume",
            "in resume 2 length 3",
            "readable",
            "data ybc",
            "read -> ybc",
            "readable",
            "end",
            "close",
        ],
    );
}

#[test]
fn pause_listener_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(b("b"));
        let (l1, r1) = (l.clone(), r.clone());
        r.on(events::Data, move |c: &Bytes| {
            log!(l1, "data {}", text(c));
            r1.pause();
        });
        let r1 = r.clone();
        r.on(events::Pause, move |_| {
            r1.destroy(Some(StreamError::new("in pause")));
            log!(l, "read -> {}", show(r1.read(None)));
            r1.resume();
            log!(l, "flowing {}", js_flowing(r1.readable_flowing()));
        });
    });
    // Node prints a last "resume" after "close" (see the 'close' test).
    assert_trace(
        &log,
        &[
            "resume",
            "data a",
            "pause",
            "data b",
            "read -> b",
            "flowing true",
            "error in pause",
            "close",
        ],
    );
}

#[test]
fn resume_listener_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        r.push(b("b"));
        let (l1, r1) = (l.clone(), r.clone());
        r.on(events::Resume, move |_| {
            r1.destroy(None);
            log!(l1, "destroyed {}", r1.destroyed());
            log!(l1, "push c -> {}", r1.push(b("c")));
        });
        r.on(events::Data, move |c: &Bytes| log!(l, "data {}", text(c)));
    });
    // The flow that follows 'resume' hands out what was buffered, as in
    // Node; 'close' comes a tick later.
    assert_trace(
        &log,
        &["resume", "destroyed true", "push c -> false", "data a", "data b", "close"],
    );
}

// --------------------------------------------------------------- 'close'

#[test]
fn close_listener_calls_everything() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        let l1 = l.clone();
        r.on(events::Data, move |c: &Bytes| log!(l1, "data {}", text(c)));
        let (l1, r1) = (l.clone(), r.clone());
        r.on(events::Close, move |_| {
            l1.push("in close");
            log!(l1, "push b -> {}", r1.push(b("b")));
            log!(l1, "unshift c -> {}", r1.unshift(b("c")));
            log!(l1, "read -> {}", show(r1.read(None)));
            r1.pause();
            r1.resume();
            let l2 = l1.clone();
            r1.on(events::Data, move |c: &Bytes| log!(l2, "late data {}", text(c)));
            let l2 = l1.clone();
            r1.on(events::Readable, move |_| l2.push("late readable"));
            let l2 = l1.clone();
            r1.on(events::Close, move |_| l2.push("late close"));
            r1.destroy(Some(StreamError::new("again")));
            log!(l1, "destroyed {} closed {}", r1.destroyed(), r1.closed());
            let l2 = l1.clone();
            set_immediate(move || l2.push("immediate after close"));
        });
        set_immediate(move || {
            l.push("immediate");
            r.destroy(None);
        });
    });
    // Node prints a last "resume" on the tick after 'close' (the resume()
    // called above). We drop a closed stream's listeners right after
    // 'close' (to break the Rc cycles of listeners that hold their
    // stream), so nothing is heard from it after 'close'. See
    // docs/readable.md.
    assert_trace(
        &log,
        &[
            "resume",
            "data a",
            "immediate",
            "close",
            "in close",
            "push b -> false",
            "unshift c -> false",
            "read -> null",
            "pause",
            "destroyed true closed true",
            "immediate after close",
        ],
    );
}

// --------------------------------------------------------------- 'error'

#[test]
fn error_listener_calls_everything() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let r = manual();
        watch(&r, &l);
        r.push(b("a"));
        let r1 = r.clone();
        r.on(events::Error, move |e: &StreamError| {
            log!(l, "in error {}", e.message());
            log!(l, "push b -> {}", r1.push(b("b")));
            log!(l, "unshift c -> {}", r1.unshift(b("c")));
            // Still buffered; not emitted as 'data' once 'error' was.
            log!(l, "read -> {}", show(r1.read(None)));
            r1.pause();
            r1.resume();
            log!(l, "flowing {}", js_flowing(r1.readable_flowing()));
            let l2 = l.clone();
            r1.on(events::Data, move |c: &Bytes| log!(l2, "late data {}", text(c)));
            r1.destroy(Some(StreamError::new("second")));
            log!(l, "errored {}", r1.errored().map_or(String::new(), |e| e.to_string()));
        });
        r.destroy(Some(StreamError::new("boom")));
    });
    // Node prints a last "resume" after "close", as in the 'close' test.
    assert_trace(
        &log,
        &[
            "error boom",
            "in error boom",
            "push b -> false",
            "unshift c -> false",
            "read -> a",
            "pause",
            "flowing true",
            "errored boom",
            "close",
        ],
    );
}

// -------------------------------------------------------------- the hooks

#[test]
fn read_hook_pushes_reads_unshifts_pauses_and_resumes() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let calls = Cell::new(0);
        let l0 = l.clone();
        let r: Readable = Readable::builder()
            .high_water_mark(4)
            .read(move |this, _| {
                calls.set(calls.get() + 1);
                log!(l0, "_read {}", calls.get());
                if calls.get() == 1 {
                    log!(l0, "push a -> {}", this.push(b("a")));
                    log!(l0, "nested read -> {}", show(this.read(None)));
                    log!(l0, "push b -> {}", this.push(b("b")));
                    log!(l0, "unshift z -> {}", this.unshift(b("z")));
                    this.pause();
                    this.resume();
                } else if calls.get() == 2 {
                    log!(l0, "push c -> {}", this.push(b("c")));
                    let l1 = l0.clone();
                    this.on(events::End, move |_| l1.push("end listener from _read"));
                    log!(l0, "push null -> {}", this.push(None));
                }
            })
            .build();
        watch(&r, &l);
        r.on(events::Data, move |c: &Bytes| log!(l, "data {}", text(c)));
    });
    // Node calls `_read` again from inside the nested read() (its `_read 2`
    // comes right after "push a", pushes null, and so "push b" fails with
    // ERR_STREAM_PUSH_AFTER_EOF). A `FnMut` hook cannot be re-entered: a
    // read() from inside the hook returns what is buffered and leaves the
    // asking to the hook that is running, and the stream asks again once
    // it has returned. Every byte pushed or unshifted arrives, once, and
    // what the hook pushes stays buffered until it returns.
    assert_trace(
        &log,
        &[
            "_read 1",
            "push a -> true",
            "data a",
            "nested read -> a",
            "push b -> true",
            "unshift z -> true",
            "pause",
            "resume",
            "_read 2",
            "push c -> true",
            "push null -> false",
            "data z",
            "data b",
            "data c",
            "end",
            "end listener from _read",
            "close",
        ],
    );
}

/// Regression: a read hook that pushes synchronously and then calls
/// `read(0)` used to stall the stream after its first chunk. The nested
/// read claimed a new read request (`reading`) that no hook call would
/// ever answer, as the hook cannot be re-entered. Node delivers "a", "b",
/// "c" and 'end' in both modes (calling `_read` 4 times); so do we.
#[test]
fn read_hook_that_reads_after_a_synchronous_push_does_not_stall() {
    for flowing in [true, false] {
        let log = Log::default();
        let calls = Rc::new(Cell::new(0));
        let (l, c) = (log.clone(), calls.clone());
        run(async move {
            let src = [Some("a"), Some("b"), Some("c"), None];
            let r: Readable = Readable::builder()
                .high_water_mark(2)
                .read(move |this, _| {
                    let chunk = src[c.get()];
                    c.set(c.get() + 1);
                    this.push(chunk.map(b));
                    if chunk.is_some() {
                        assert_eq!(this.read(0), None);
                    }
                })
                .build();
            let l1 = l.clone();
            r.on(events::End, move |_| l1.push("end"));
            if flowing {
                r.on(events::Data, move |c: &Bytes| log!(l, "data {}", text(c)));
            } else {
                let r1 = r.clone();
                r.on(events::Readable, move |_| {
                    while let Some(x) = r1.read(None) {
                        for byte in x.iter() {
                            log!(l, "data {}", char::from(*byte));
                        }
                    }
                });
            }
        });
        assert_trace(&log, &["data a", "data b", "data c", "end"]);
        assert_eq!(calls.get(), 4, "flowing {flowing}");
    }
}

#[test]
fn read_hook_destroys() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l0 = l.clone();
        let r: Readable = Readable::builder()
            .read(move |this, _| {
                l0.push("_read");
                this.push(b("a"));
                this.destroy(Some(StreamError::new("in read")));
                log!(l0, "push after destroy -> {}", this.push(b("b")));
            })
            .build();
        watch(&r, &l);
        r.on(events::Data, move |c: &Bytes| log!(l, "data {}", text(c)));
    });
    assert_trace(
        &log,
        &["_read", "push after destroy -> false", "resume", "data a", "error in read", "close"],
    );
}

#[test]
fn destroy_hook_calls_everything() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l0 = l.clone();
        let r: Readable = Readable::builder()
            .read(|_, _| {})
            .destroy(move |this, err, cb| {
                log!(l0, "_destroy {}", err.as_ref().map_or("null", |e| e.message()));
                log!(l0, "push x -> {}", this.push(b("x")));
                log!(l0, "read -> {}", show(this.read(None)));
                this.destroy(Some(StreamError::new("nested")));
                this.pause();
                this.resume();
                let l1 = l0.clone();
                this.on(events::Close, move |_| l1.push("close listener from _destroy"));
                let l1 = l0.clone();
                next_tick(move || {
                    l1.push("cb");
                    cb.call(err.map_or(Ok(()), Err));
                });
            })
            .build();
        watch(&r, &l);
        r.push(b("a"));
        r.destroy(Some(StreamError::new("boom")));
        log!(l, "destroyed {} closed {}", r.destroyed(), r.closed());
    });
    // Node prints "resume" between "destroyed true closed false" and "cb":
    // the resume() inside the hook emits 'resume' on the next tick, after
    // which the callback's tick runs. Here too.
    assert_trace(
        &log,
        &[
            "_destroy boom",
            "push x -> false",
            "read -> a",
            "pause",
            "destroyed true closed false",
            "resume",
            "cb",
            "error boom",
            "close",
            "close listener from _destroy",
        ],
    );
}
