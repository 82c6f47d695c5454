//! The floor of a Node-shaped pipe: how fast N2 (Node's
//! `benchmark/streams/pipe-object-mode.js`) and W2 (objects through a
//! Transform) could go if a stream did nothing but the steps every
//! Node-faithful pipe must take for each object, and none of the rest.
//!
//! Per object, as in Node: the flowing loop calls `read()`, which calls the
//! source's `read` hook (a dynamic call) under no borrow; the hook pushes
//! into the buffer; `read()` takes the object out again and hands it to
//! the `'data'` listener (a dynamic call), the pipe, which writes it to the
//! destination; the destination calls its `write` hook (a dynamic call)
//! with a callback that holds the destination, and the hook calls back. A
//! Transform is a destination whose `write` hook pushes into its own
//! readable side, which, flowing with an empty buffer, hands the object
//! straight to its `'data'` listener (Node's `addChunk`), the second pipe.
//! Each stream keeps its state behind a `RefCell` that is never borrowed
//! across user code, as the real core does.
//!
//! What it leaves out, and the real core does not: errors and destroy,
//! `'end'`/`'finish'`, ticks (`'readable'`, read-more, after-write),
//! several listeners and destinations, byte mode, encodings, corking and
//! `writev`, the async face's wakers, `'drain'` and the Transform's parked
//! callback. So this is a bound no faithful implementation beats, not a
//! design to copy.
//!
//! ```sh
//! cargo bench --bench pipe_floor              # 5,000,000 objects, 5 rounds
//! cargo bench --bench pipe_floor -- 200000    # another count
//! ```

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::hint::black_box;
use std::rc::Rc;
use std::time::Instant;

/// The object of N2: Node pushes one shared `{}`.
#[derive(Clone, Copy, Debug)]
struct Empty;

/// The object of W2: `{ id, value }`.
#[derive(Clone, Copy, Debug)]
struct Item {
    id: u64,
    value: u64,
}

/// A source's `read` hook.
type ReadHook<T> = Box<dyn FnMut(&Source<T>)>;
/// A destination's `write` hook.
type WriteHook<T> = Box<dyn Fn(T, Done<T>)>;
/// The `'data'` listener (the pipe); `false` pauses the source.
type DataListener<T> = Rc<dyn Fn(T) -> bool>;

/// The readable state the loop needs.
#[derive(Debug)]
struct ReadState<T> {
    buffer: VecDeque<T>,
    hwm: usize,
    flowing: bool,
    reading: bool,
    sync: bool,
    ended: bool,
}

/// A readable side with one `'data'` listener.
struct Source<T> {
    state: RefCell<ReadState<T>>,
    hook: Cell<Option<ReadHook<T>>>,
    data: RefCell<Option<DataListener<T>>>,
}

impl<T> Source<T> {
    fn new(hwm: usize, hook: Option<ReadHook<T>>) -> Source<T> {
        Source {
            state: RefCell::new(ReadState {
                buffer: VecDeque::with_capacity(hwm),
                hwm,
                flowing: true,
                reading: false,
                sync: false,
                ended: false,
            }),
            hook: Cell::new(hook),
            data: RefCell::new(None),
        }
    }

    /// `push(chunk)`: into the buffer from inside `read()`; straight to the
    /// `'data'` listener when flowing with nothing buffered (`addChunk`).
    fn push(&self, chunk: Option<T>) -> bool {
        let mut state = self.state.borrow_mut();
        state.reading = false;
        let Some(chunk) = chunk else {
            state.ended = true;
            return false;
        };
        if state.flowing && state.buffer.is_empty() && !state.sync {
            drop(state);
            let listener = self.data.borrow().clone();
            if let Some(listener) = listener {
                if !listener(chunk) {
                    self.state.borrow_mut().flowing = false;
                }
            }
            let state = self.state.borrow();
            return state.buffer.len() < state.hwm;
        }
        state.buffer.push_back(chunk);
        state.buffer.len() < state.hwm
    }

    /// `read()`: ask the hook for more, then take the first object.
    fn read(&self) -> Option<T> {
        let call = {
            let mut state = self.state.borrow_mut();
            let call = !state.reading && !state.ended && state.buffer.len() < state.hwm;
            if call {
                state.reading = true;
                state.sync = true;
            }
            call
        };
        if call {
            if let Some(mut hook) = self.hook.take() {
                hook(self);
                self.hook.set(Some(hook));
            }
        }
        let mut state = self.state.borrow_mut();
        state.sync = false;
        state.buffer.pop_front()
    }

    /// The flowing loop: read and emit `'data'` while flowing.
    fn flow(&self) {
        let Some(listener) = self.data.borrow().clone() else { return };
        while self.state.borrow().flowing {
            let Some(chunk) = self.read() else { break };
            if !listener(chunk) {
                self.state.borrow_mut().flowing = false;
            }
        }
    }

    /// `pipe(dest)`: the `'data'` listener writes into `dest`.
    fn pipe(&self, dest: &Rc<Sink<T>>)
    where
        T: 'static,
    {
        let dest = dest.clone();
        *self.data.borrow_mut() = Some(Rc::new(move |chunk| dest.write(chunk)));
    }
}

/// The writable state the write needs.
#[derive(Debug)]
struct WriteState {
    length: usize,
    hwm: usize,
    writing: bool,
    sync: bool,
    pending: usize,
    seq: u64,
}

/// A writable side.
struct Sink<T> {
    state: RefCell<WriteState>,
    hook: Cell<Option<WriteHook<T>>>,
}

/// The callback of one write: it holds the destination, as Node's `cb`
/// closes over its stream.
struct Done<T> {
    sink: Rc<Sink<T>>,
    seq: u64,
}

impl<T> Done<T> {
    fn call(self) {
        self.sink.on_write(self.seq);
    }
}

impl<T> Sink<T> {
    fn new(hwm: usize, hook: WriteHook<T>) -> Rc<Sink<T>> {
        Rc::new(Sink {
            state: RefCell::new(WriteState {
                length: 0,
                hwm,
                writing: false,
                sync: false,
                pending: 0,
                seq: 0,
            }),
            hook: Cell::new(Some(hook)),
        })
    }

    /// `write(chunk)`: account for it, call the hook, answer below the
    /// high-water mark.
    fn write(self: &Rc<Self>, chunk: T) -> bool {
        let seq = {
            let mut state = self.state.borrow_mut();
            state.pending += 1;
            state.length += 1;
            state.writing = true;
            state.sync = true;
            state.seq += 1;
            state.seq
        };
        if let Some(hook) = self.hook.take() {
            hook(chunk, Done { sink: self.clone(), seq });
            self.hook.set(Some(hook));
        }
        let mut state = self.state.borrow_mut();
        state.sync = false;
        state.length < state.hwm
    }

    /// `onwrite`: the write is done.
    fn on_write(&self, seq: u64) {
        let mut state = self.state.borrow_mut();
        if state.seq == seq && state.writing {
            state.writing = false;
            state.length -= 1;
            state.pending -= 1;
        }
    }
}

/// N2: one object, `n` times, from a source that pushes one per `read`
/// into a sink that calls back at once. Returns the seconds taken.
fn n2(n: u64) -> f64 {
    let mut i = 0u64;
    let source = Source::new(
        16,
        Some(Box::new(move |this: &Source<Empty>| {
            let last = i == n;
            i += 1;
            this.push(if last { None } else { Some(Empty) });
        })),
    );
    let sink = Sink::new(
        16,
        Box::new(|chunk, done| {
            black_box(chunk);
            done.call();
        }),
    );
    source.pipe(&sink);
    let start = Instant::now();
    source.flow();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sink.state.borrow().seq, n, "every object reached the sink");
    secs
}

/// W2: `n` items from a source that pushes until `push` says stop,
/// through a Transform (`value += 1`) into a sink that sums the values.
fn w2(n: u64) -> f64 {
    let mut next = 0u64;
    let source = Source::new(
        16,
        Some(Box::new(move |this: &Source<Item>| loop {
            if next == n {
                this.push(None);
                return;
            }
            let id = next;
            next += 1;
            if !this.push(Some(Item { id, value: id })) {
                return;
            }
        })),
    );
    let sum = Rc::new(Cell::new(0u64));
    let total = sum.clone();
    let sink = Sink::new(
        16,
        Box::new(move |item: Item, done| {
            black_box(item.id);
            total.set(total.get() + item.value);
            done.call();
        }),
    );
    let out = Rc::new(Source::new(16, None));
    out.pipe(&sink);
    let readable = out.clone();
    let bump = Sink::new(
        16,
        Box::new(move |mut item: Item, done| {
            item.value += 1;
            readable.push(Some(item));
            done.call();
        }),
    );
    source.pipe(&bump);
    let start = Instant::now();
    source.flow();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sum.get(), n * (n + 1) / 2, "every item reached the sink, bumped");
    black_box(sink.state.borrow().pending);
    secs
}

/// The median, min and max rate of five rounds, in millions per second.
fn rounds(n: u64, run: fn(u64) -> f64) -> [f64; 3] {
    let mut rates: Vec<f64> = (0..5).map(|_| n as f64 / run(n) / 1e6).collect();
    rates.sort_by(f64::total_cmp);
    [rates[2], rates[0], rates[4]]
}

fn main() {
    // `cargo bench` passes `--bench`; a number is the object count.
    let n = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(5_000_000u64);
    for (name, run) in [("N2", n2 as fn(u64) -> f64), ("W2", w2)] {
        let [median, min, max] = rounds(n, run);
        println!(
            "pipe_floor {name}: {n} objects, median {median:.1}M objects/s (min {min:.1}M, max {max:.1}M)"
        );
    }
}
