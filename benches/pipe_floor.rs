//! The floor of a Node-shaped pipe: how fast N2 (Node's
//! `benchmark/streams/pipe-object-mode.js`) could go if a stream did
//! nothing but the steps every Node-faithful pipe must take for each
//! object, and none of the rest.
//!
//! Per object, as in Node: the flowing loop calls `read()`, which calls the
//! source's `read` hook (a dynamic call) under no borrow; the hook pushes
//! the object into the buffer; `read()` takes it out again and hands it to
//! the `'data'` listener (a dynamic call), the pipe, which writes it to the
//! destination; the destination calls its `write` hook (a dynamic call)
//! with a callback that holds the destination, and the hook calls back.
//! Each stream keeps its state behind a `RefCell` that is never borrowed
//! across user code, as the real core does.
//!
//! What it leaves out, and the real core does not: errors and destroy,
//! `'end'`/`'finish'`, ticks (`'readable'`, read-more, after-write),
//! several listeners and destinations, byte mode, encodings, corking and
//! `writev`, the async face's wakers, backpressure's `'drain'`. So this is
//! a bound no faithful implementation beats, not a design to copy.
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

/// A source's `read` hook.
type ReadHook = Box<dyn FnMut(&Source)>;
/// A destination's `write` hook.
type WriteHook = Box<dyn Fn(Empty, Done)>;
/// The `'data'` listener (the pipe); `false` pauses the source.
type DataListener = Rc<dyn Fn(Empty) -> bool>;

/// The readable state the loop needs.
#[derive(Debug)]
struct ReadState {
    buffer: VecDeque<Empty>,
    hwm: usize,
    flowing: bool,
    reading: bool,
    sync: bool,
    ended: bool,
}

/// A readable source with one `'data'` listener.
struct Source {
    state: RefCell<ReadState>,
    hook: Cell<Option<ReadHook>>,
    data: RefCell<Option<DataListener>>,
}

impl Source {
    /// `push(chunk)`: into the buffer (the hook runs inside `read()`).
    fn push(&self, chunk: Option<Empty>) -> bool {
        let mut state = self.state.borrow_mut();
        state.reading = false;
        match chunk {
            Some(chunk) => {
                state.buffer.push_back(chunk);
                state.buffer.len() < state.hwm
            }
            None => {
                state.ended = true;
                false
            }
        }
    }

    /// `read()`: ask the hook for more, then take the first object.
    fn read(&self) -> Option<Empty> {
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

/// A writable destination.
struct Sink {
    state: RefCell<WriteState>,
    hook: Cell<Option<WriteHook>>,
}

/// The callback of one write: it holds the destination, as Node's `cb`
/// closes over its stream.
struct Done {
    sink: Rc<Sink>,
    seq: u64,
}

impl Done {
    fn call(self) {
        self.sink.on_write(self.seq);
    }
}

impl Sink {
    /// `write(chunk)`: account for it, call the hook, answer below the
    /// high-water mark.
    fn write(self: &Rc<Self>, chunk: Empty) -> bool {
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

/// Pipes `n` objects; returns the seconds taken.
fn run(n: u64) -> f64 {
    let source = Source {
        state: RefCell::new(ReadState {
            buffer: VecDeque::with_capacity(16),
            hwm: 16,
            flowing: true,
            reading: false,
            sync: false,
            ended: false,
        }),
        hook: Cell::new(None),
        data: RefCell::new(None),
    };
    let mut i = 0u64;
    source.hook.set(Some(Box::new(move |this: &Source| {
        let last = i == n;
        i += 1;
        this.push(if last { None } else { Some(Empty) });
    })));
    let sink = Rc::new(Sink {
        state: RefCell::new(WriteState {
            length: 0,
            hwm: 16,
            writing: false,
            sync: false,
            pending: 0,
            seq: 0,
        }),
        hook: Cell::new(None),
    });
    sink.hook.set(Some(Box::new(|chunk, done| {
        black_box(chunk);
        done.call();
    })));
    let dest = sink.clone();
    *source.data.borrow_mut() = Some(Rc::new(move |chunk| dest.write(chunk)));
    let start = Instant::now();
    source.flow();
    let secs = start.elapsed().as_secs_f64();
    assert_eq!(sink.state.borrow().seq, n, "every object reached the sink");
    secs
}

fn main() {
    // `cargo bench` passes `--bench`; a number is the object count.
    let n = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(5_000_000u64);
    let mut rates: Vec<f64> = (0..5).map(|_| n as f64 / run(n) / 1e6).collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "pipe_floor: {n} objects, median {:.1}M objects/s (min {:.1}M, max {:.1}M)",
        rates[2], rates[0], rates[4]
    );
}
