//! Memory is bounded by the high-water mark: a Readable that nobody
//! consumes holds about one high-water mark of data (`push` returns
//! `false` and the source stops being asked), and a slow consumer keeps
//! the buffer within one high-water mark and one chunk however much data
//! goes through.
//!
//! The hook-call counts and buffered lengths are the ones Node v24.21.0
//! reports for the same sources.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use streams::{events, immediate, run, set_immediate, Readable};

/// What a source saw: how often it was asked, what `push` last returned.
#[derive(Default)]
struct Source {
    calls: Cell<usize>,
    last_push: Cell<Option<bool>>,
}

/// A byte stream whose `read` hook pushes one `chunk`-byte chunk,
/// synchronously, each time it is called; `kick` is all the consuming it
/// gets. Returns the hook calls and the buffered length once the loop is
/// idle.
fn unconsumed_bytes(
    hwm: usize,
    chunk: usize,
    kick: impl FnOnce(&Readable),
) -> (usize, usize, Rc<Source>) {
    let source = Rc::new(Source::default());
    let (s, s2) = (source.clone(), source.clone());
    let data = Bytes::from(vec![7u8; chunk]);
    let length = run(async move {
        let r: Readable = Readable::builder()
            .high_water_mark(hwm)
            .read(move |this, _| {
                s.calls.set(s.calls.get() + 1);
                s.last_push.set(Some(this.push(data.clone())));
            })
            .build();
        kick(&r);
        for _ in 0..3 {
            immediate().await;
        }
        // Settled: more turns of the loop change nothing.
        let settled = (s2.calls.get(), r.readable_length());
        for _ in 0..10 {
            immediate().await;
        }
        assert_eq!((s2.calls.get(), r.readable_length()), settled, "the source kept being asked");
        r.readable_length()
    });
    (source.calls.get(), length, source)
}

#[test]
fn an_unconsumed_stream_is_never_asked_to_read() {
    let (calls, length, _) = unconsumed_bytes(16, 5, |_| {});
    assert_eq!((calls, length), (0, 0));
}

#[test]
fn a_byte_stream_read_once_fills_to_the_high_water_mark_and_stops() {
    // (hwm, chunk, hook calls and buffered length in Node v24)
    for (hwm, chunk, node_calls, node_length) in
        [(16, 5, 4, 20), (16_384, 1_000, 17, 17_000), (65_536, 16_384, 4, 65_536), (0, 5, 1, 5)]
    {
        let (calls, length, source) = unconsumed_bytes(hwm, chunk, |r| {
            assert_eq!(r.read(0), None);
        });
        assert_eq!((calls, length), (node_calls, node_length), "hwm {hwm} chunk {chunk}");
        assert!(hwm <= length && length <= hwm + chunk, "hwm {hwm} chunk {chunk}: {length}");
        assert_eq!(source.last_push.get(), Some(false), "push said stop");
    }
}

#[test]
fn a_readable_listener_that_never_reads_holds_one_high_water_mark() {
    let events = Rc::new(RefCell::new(Vec::new()));
    let e = events.clone();
    let (calls, length, source) = unconsumed_bytes(16, 5, move |r| {
        let r1 = r.clone();
        r.on(events::Readable, move |_| e.borrow_mut().push(r1.readable_length()));
    });
    assert_eq!((calls, length), (4, 20));
    assert_eq!(source.last_push.get(), Some(false));
    // As in Node: one 'readable' for the first chunk, one when the
    // high-water mark was reached.
    assert_eq!(*events.borrow(), [5, 20]);
}

#[test]
fn a_paused_data_consumer_holds_one_high_water_mark() {
    let (calls, length, source) = unconsumed_bytes(16, 5, |r| {
        r.on(events::Data, |_: &Bytes| unreachable!("paused before any data"));
        r.pause();
    });
    assert_eq!((calls, length), (4, 20));
    assert_eq!(source.last_push.get(), Some(false));
}

#[test]
fn an_object_stream_read_once_fills_to_the_high_water_mark_and_stops() {
    let source = Rc::new(Source::default());
    let s = source.clone();
    let length = run(async move {
        let r = Readable::<u64>::object_builder()
            .read(move |this, _| {
                s.calls.set(s.calls.get() + 1);
                s.last_push.set(Some(this.push(s.calls.get() as u64)));
            })
            .build();
        assert_eq!(r.readable_high_water_mark(), 16);
        assert_eq!(r.read(0), None);
        for _ in 0..10 {
            immediate().await;
        }
        r.readable_length()
    });
    // Node v24: 16 calls, 16 objects buffered.
    assert_eq!((source.calls.get(), length), (16, 16));
    assert_eq!(source.last_push.get(), Some(false));
}

#[test]
fn a_greedy_source_stops_when_push_returns_false() {
    let source = Rc::new(Source::default());
    let s = source.clone();
    let length = run(async move {
        let chunk = Bytes::from_static(b"12345");
        let r: Readable = Readable::builder()
            .high_water_mark(16)
            .read(move |this, _| {
                s.calls.set(s.calls.get() + 1);
                while this.push(chunk.clone()) {}
                s.last_push.set(Some(false));
            })
            .build();
        r.read(0);
        for _ in 0..10 {
            immediate().await;
        }
        r.readable_length()
    });
    assert_eq!((source.calls.get(), length), (1, 20));
}

/// 64 MiB in 16 KiB chunks through a consumer that pauses on every chunk
/// and resumes on the next immediate: the buffer never holds more than
/// one high-water mark and one chunk. The chunks are clones of one
/// `Bytes`, so the test itself allocates 16 KiB.
#[test]
fn a_slow_flowing_consumer_keeps_the_buffer_bounded() {
    const CHUNK: usize = 16 * 1024;
    const TOTAL: usize = 64 * 1024 * 1024;
    let hwm = streams::DEFAULT_BYTES_HIGH_WATER_MARK;
    let bound = hwm + CHUNK;

    #[derive(Default)]
    struct Stats {
        pushed: Cell<usize>,
        received: Cell<usize>,
        max_length: Cell<usize>,
        ends: Cell<usize>,
    }
    impl Stats {
        fn observe(&self, r: &Readable) {
            self.max_length.set(self.max_length.get().max(r.readable_length()));
        }
    }

    let stats = Rc::new(Stats::default());
    let st = stats.clone();
    run(async move {
        let chunk = Bytes::from(vec![0x5a; CHUNK]);
        let s = st.clone();
        let r: Readable = Readable::builder()
            .read(move |this, _| {
                s.observe(this);
                if s.pushed.get() < TOTAL {
                    s.pushed.set(s.pushed.get() + CHUNK);
                    this.push(chunk.clone());
                    s.observe(this);
                } else {
                    this.push(None);
                }
            })
            .build();
        assert_eq!(r.readable_high_water_mark(), hwm);
        let (s, r1) = (st.clone(), r.clone());
        r.on(events::Data, move |c: &Bytes| {
            s.received.set(s.received.get() + c.len());
            s.observe(&r1);
            r1.pause();
            let r2 = r1.clone();
            set_immediate(move || {
                r2.resume();
            });
        });
        let s = st.clone();
        r.on(events::End, move |_| s.ends.set(s.ends.get() + 1));
    });
    assert_eq!(stats.received.get(), TOTAL);
    assert_eq!(stats.ends.get(), 1);
    let max = stats.max_length.get();
    assert!(max <= bound, "buffered up to {max} bytes, bound {bound}");
    // Node v24 peaks at the same 81920 bytes (64 KiB + one 16 KiB chunk).
    assert_eq!(max, bound);
}
