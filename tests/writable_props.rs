//! Properties of Writable, over random programs:
//!
//! - random sequences of `write` / `cork` / `uncork` / turns of the loop,
//!   then `end`, against an implementation that completes each write
//!   synchronously, on the next tick, on a later turn or from a spawned
//!   task (chosen per chunk), with and without `writev`, in byte and object
//!   mode: every accepted chunk reaches the implementation exactly once
//!   and in order, every write callback and the end callback are called
//!   exactly once, and the stream finishes;
//! - a producer that stops on `false` and resumes on `'drain'` keeps the
//!   buffered length within one chunk of the high-water mark, whatever
//!   sizes it writes and however slowly the implementation completes.
#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use bytes::{BufMut, Bytes, BytesMut};
use proptest::prelude::*;
use streams::{events, next_tick, set_immediate, Writable, WriteCallback};

/// When the implementation calls back.
#[derive(Debug, Clone, Copy)]
enum Completion {
    Sync,
    Tick,
    /// `cb.call_next_tick(..)`: the callback itself queued as a tick.
    TickUnboxed,
    Immediate,
    Task,
}

impl Completion {
    fn from_byte(b: u8) -> Completion {
        match b % 5 {
            0 => Completion::Sync,
            1 => Completion::Tick,
            2 => Completion::Immediate,
            3 => Completion::TickUnboxed,
            _ => Completion::Task,
        }
    }

    fn complete(self, cb: WriteCallback) {
        match self {
            Completion::Sync => cb.call(Ok(())),
            Completion::Tick => next_tick(move || cb.call(Ok(()))),
            Completion::TickUnboxed => cb.call_next_tick(Ok(())),
            Completion::Immediate => {
                set_immediate(move || cb.call(Ok(())));
            }
            Completion::Task => {
                streams::spawn(async move {
                    tokio::task::yield_now().await;
                    cb.call(Ok(()));
                });
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// A chunk of `len` bytes (at least the 5-byte header), completed as
    /// `completion` says, with or without a producer callback.
    Write {
        len: usize,
        completion: u8,
        callback: bool,
    },
    Cork,
    Uncork,
    /// Let the loop turn once (`await` an immediate).
    Turn,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (5usize..40, any::<u8>(), any::<bool>())
            .prop_map(|(len, completion, callback)| Op::Write { len, completion, callback }),
        1 => Just(Op::Cork),
        1 => Just(Op::Uncork),
        1 => Just(Op::Turn),
    ]
}

/// Chunk layout: completion byte, 4-byte id, filler.
fn chunk(id: u32, completion: u8, len: usize) -> Bytes {
    let mut b = BytesMut::with_capacity(len);
    b.put_u8(completion);
    b.put_u32(id);
    b.resize(len, b'.');
    b.freeze()
}

fn id_of(chunk: &Bytes) -> u32 {
    u32::from_be_bytes(chunk[1..5].try_into().expect("5-byte header"))
}

#[derive(Default)]
struct Seen {
    delivered: RefCell<Vec<u32>>,
    callbacks: RefCell<Vec<u32>>,
    with_callback: RefCell<Vec<u32>>,
    ends: Cell<u32>,
    finished: Cell<bool>,
}

fn run_program(ops: Vec<Op>, writev: bool, object_mode: bool, hwm: usize) {
    let seen = Rc::new(Seen::default());
    let s = seen.clone();
    let written = streams::run(async move {
        let sw = s.clone();
        let mut builder = Writable::builder().object_mode(object_mode).high_water_mark(hwm).write(
            move |_, data, _, cb| {
                sw.delivered.borrow_mut().push(id_of(&data));
                Completion::from_byte(data[0]).complete(cb);
            },
        );
        if writev {
            let sv = s.clone();
            builder = builder.writev(move |_, chunks, cb| {
                sv.delivered.borrow_mut().extend(chunks.iter().map(|c| id_of(&c.chunk)));
                Completion::from_byte(chunks[0].chunk[0]).complete(cb);
            });
        }
        let w = builder.build();
        let sf = s.clone();
        w.on(events::Finish, move |_| sf.finished.set(true));
        let mut written = 0u32;
        for op in ops {
            match op {
                Op::Write { len, completion, callback } => {
                    written += 1;
                    let id = written;
                    let data = chunk(id, completion, len);
                    if callback {
                        s.with_callback.borrow_mut().push(id);
                        let sc = s.clone();
                        w.write_with(data, move |r| {
                            assert!(r.is_ok(), "write {id} failed: {r:?}");
                            sc.callbacks.borrow_mut().push(id);
                        });
                    } else {
                        w.write(data);
                    }
                }
                Op::Cork => w.cork(),
                Op::Uncork => w.uncork(),
                Op::Turn => streams::immediate().await,
            }
        }
        let se = s.clone();
        w.end_with(None, move |r| {
            assert!(r.is_ok(), "end failed: {r:?}");
            se.ends.set(se.ends.get() + 1);
        });
        written
    });
    let expected: Vec<u32> = (1..=written).collect();
    assert_eq!(*seen.delivered.borrow(), expected, "each chunk exactly once, in order");
    let mut callbacks = seen.callbacks.borrow().clone();
    callbacks.sort_unstable();
    assert_eq!(callbacks, *seen.with_callback.borrow(), "each write callback exactly once");
    assert_eq!(seen.ends.get(), 1, "the end callback exactly once");
    assert!(seen.finished.get(), "'finish' emitted");
}

/// A producer that honours backpressure: writes until `false`, resumes on
/// `'drain'`, ends when it runs out. Returns the largest length seen.
fn run_producer(sizes: Vec<usize>, completions: Vec<u8>, hwm: usize) -> (usize, usize) {
    let max_chunk = sizes.iter().copied().max().unwrap_or(0);
    let total: usize = sizes.iter().sum();
    let received = Rc::new(Cell::new(0usize));
    let peak = Rc::new(Cell::new(0usize));
    let (r, p, p2) = (received.clone(), peak.clone(), peak.clone());
    streams::run(async move {
        let turn = Cell::new(0usize);
        let w: Writable = Writable::builder()
            .high_water_mark(hwm)
            .write(move |this, data, _, cb| {
                r.set(r.get() + data.len());
                p.set(p.get().max(this.writable_length()));
                let i = turn.get();
                turn.set(i + 1);
                Completion::from_byte(completions[i % completions.len()]).complete(cb);
            })
            .build();
        let queue: Rc<RefCell<VecDeque<usize>>> = Rc::new(RefCell::new(sizes.into()));
        let pump: Rc<dyn Fn(&Writable)> = {
            let (queue, p) = (queue.clone(), p2);
            Rc::new(move |w: &Writable| loop {
                let next = queue.borrow_mut().pop_front();
                let Some(len) = next else {
                    w.end(None);
                    return;
                };
                let more = w.write(Bytes::from(vec![b'x'; len]));
                let length = w.writable_length();
                p.set(p.get().max(length));
                // Within one chunk of the hwm: the buffer was below it (or
                // empty) before this chunk.
                assert!(
                    length < hwm + len || length == len,
                    "length {length} with hwm {hwm} after a chunk of {len}"
                );
                if !more {
                    return;
                }
            })
        };
        let (pd, wd) = (pump.clone(), w.clone());
        w.on(events::Drain, move |_| pd(&wd));
        pump(&w);
    });
    assert_eq!(received.get(), total, "every byte delivered");
    (peak.get(), max_chunk)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn every_accepted_chunk_once_in_order_and_every_callback_once(
        ops in prop::collection::vec(op(), 0..40),
        writev in any::<bool>(),
        object_mode in any::<bool>(),
        hwm in 0usize..64,
    ) {
        run_program(ops, writev, object_mode, hwm);
    }

    #[test]
    fn a_producer_that_honours_drain_stays_within_one_chunk_of_the_hwm(
        sizes in prop::collection::vec(1usize..5000, 1..200),
        completions in prop::collection::vec(any::<u8>(), 1..16),
        hwm in 1usize..16_384,
    ) {
        let (peak, max_chunk) = run_producer(sizes, completions, hwm);
        prop_assert!(peak < hwm + max_chunk, "peak {} hwm {} max chunk {}", peak, hwm, max_chunk);
    }
}
