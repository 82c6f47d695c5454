//! Property: a random chain of 1 to 5 Transforms and PassThroughs, joined
//! with `pipe` between a random source and a random slow sink, delivers
//! exactly the input after the transforms, chunk for chunk and in order,
//! and every stream ends (readable sides), finishes (writable sides) and
//! closes exactly once, with no error.
//!
//! - Source: `Readable::from_iter` (object mode, hwm 1), or a byte Readable
//!   with a random hwm whose `read` hook pushes the next one or two chunks,
//!   at once or from an immediate.
//! - Stages: a PassThrough, a Transform that pushes each chunk twice (one
//!   `push`, then the callback's `Some(chunk)`), or one that upper-cases;
//!   each with a random hwm, and calling back at once, on the next tick or
//!   from an immediate.
//! - Sink: a Writable with a random hwm that calls back at once or from an
//!   immediate, chosen per chunk.
//!
//! Chunks keep their boundaries through a pipe (Node's flowing `read()`
//! hands out one buffered chunk at a time), so the expected output is the
//! list of chunks each stage produces from each chunk it receives.
#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use bytes::Bytes;
use proptest::prelude::*;
use streams::{
    events, next_tick, run, set_immediate, PassThrough, Readable, StreamError, Transform, Writable,
};

/// When a hook completes.
#[derive(Debug, Clone, Copy)]
enum When {
    Sync,
    Tick,
    Immediate,
}

impl When {
    fn run(self, f: impl FnOnce() + 'static) {
        match self {
            When::Sync => f(),
            When::Tick => next_tick(f),
            When::Immediate => {
                set_immediate(f);
            }
        }
    }
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![Just(When::Sync), Just(When::Tick), Just(When::Immediate)]
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    /// `PassThrough::builder()`.
    Pass,
    /// `push(chunk)`, then `cb(Some(chunk))`.
    Twice,
    /// `cb(Some(chunk.to_ascii_uppercase()))`.
    Upper,
}

impl Kind {
    /// What the stage makes of one chunk.
    fn apply(self, chunk: &Bytes) -> Vec<Bytes> {
        match self {
            Kind::Pass => vec![chunk.clone()],
            Kind::Twice => vec![chunk.clone(), chunk.clone()],
            Kind::Upper => vec![Bytes::from(chunk.to_ascii_uppercase())],
        }
    }
}

#[derive(Debug, Clone)]
struct Stage {
    kind: Kind,
    hwm: usize,
    when: When,
}

fn stage() -> impl Strategy<Value = Stage> {
    let kind = prop_oneof![Just(Kind::Pass), Just(Kind::Twice), Just(Kind::Upper)];
    (kind, 0usize..24, when()).prop_map(|(kind, hwm, when)| Stage { kind, hwm, when })
}

#[derive(Debug, Clone)]
enum Source {
    /// `Readable::from_iter(chunks)`.
    Iter,
    /// A byte Readable with this hwm whose `read` pushes `per_read` chunks
    /// (1 or 2), at once or from an immediate.
    Manual { hwm: usize, per_read: usize, immediate: bool },
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        Just(Source::Iter),
        (0usize..24, 1usize..=2, any::<bool>())
            .prop_map(|(hwm, per_read, immediate)| Source::Manual { hwm, per_read, immediate }),
    ]
}

#[derive(Debug, Clone)]
struct Sink {
    hwm: usize,
    /// Per chunk (cycled): call back from an immediate rather than at once.
    immediate: Vec<bool>,
}

fn sink() -> impl Strategy<Value = Sink> {
    (0usize..24, prop::collection::vec(any::<bool>(), 1..8))
        .prop_map(|(hwm, immediate)| Sink { hwm, immediate })
}

/// Non-empty lower-case chunks (an empty byte chunk is no chunk at all in
/// a byte Readable, as in Node).
fn chunks() -> impl Strategy<Value = Vec<Bytes>> {
    prop::collection::vec("[a-z]{1,8}".prop_map(Bytes::from), 0..24)
}

/// How many times each stream saw each lifecycle event.
#[derive(Default)]
struct Counts {
    end: Cell<u32>,
    finish: Cell<u32>,
    close: Cell<u32>,
    errors: RefCell<Vec<StreamError>>,
}

/// Counts the lifecycle events of a stream (anything with `on`).
macro_rules! watch {
    ($stream:expr) => {{
        let c = Rc::new(Counts::default());
        let c1 = c.clone();
        $stream.on(events::End, move |_| c1.end.set(c1.end.get() + 1));
        let c2 = c.clone();
        $stream.on(events::Finish, move |_| c2.finish.set(c2.finish.get() + 1));
        let c3 = c.clone();
        $stream.on(events::Close, move |_| c3.close.set(c3.close.get() + 1));
        let c4 = c.clone();
        $stream.on(events::Error, move |e: &StreamError| c4.errors.borrow_mut().push(e.clone()));
        c
    }};
}

fn build_stage(stage: &Stage) -> Transform {
    let when = stage.when;
    let builder = match stage.kind {
        Kind::Pass => PassThrough::builder(),
        Kind::Twice => Transform::<Bytes, Bytes>::builder().transform(move |this, chunk, _, cb| {
            this.push(chunk.clone());
            when.run(move || cb.call(Ok(Some(chunk))));
        }),
        Kind::Upper => Transform::<Bytes, Bytes>::builder().transform(move |_, chunk, _, cb| {
            let upper = Bytes::from(chunk.to_ascii_uppercase());
            when.run(move || cb.call(Ok(Some(upper))));
        }),
    };
    // A PassThrough calls back at once; the timing applies to the others.
    builder.high_water_mark(stage.hwm).build()
}

fn build_source(source: &Source, input: &[Bytes]) -> Readable {
    match *source {
        Source::Iter => Readable::from_iter(input.to_vec()),
        Source::Manual { hwm, per_read, immediate } => {
            let queue = Rc::new(RefCell::new(input.iter().cloned().collect::<VecDeque<_>>()));
            Readable::builder()
                .high_water_mark(hwm)
                .read(move |this, _| {
                    let (this, queue) = (this.clone(), queue.clone());
                    let push = move || {
                        for _ in 0..per_read {
                            let next = queue.borrow_mut().pop_front();
                            let more = this.push(next.clone());
                            if next.is_none() || !more {
                                break;
                            }
                        }
                    };
                    if immediate {
                        set_immediate(push);
                    } else {
                        push();
                    }
                })
                .build()
        }
    }
}

fn build_sink(sink: &Sink, out: Rc<RefCell<Vec<Bytes>>>) -> Writable {
    let plan = sink.immediate.clone();
    let n = Cell::new(0usize);
    Writable::builder()
        .high_water_mark(sink.hwm)
        .write(move |_, chunk: Bytes, _, cb| {
            out.borrow_mut().push(chunk);
            let i = n.get();
            n.set(i + 1);
            if plan[i % plan.len()] {
                set_immediate(move || cb.call(Ok(())));
            } else {
                cb.call(Ok(()));
            }
        })
        .build()
}

/// Runs the chain; returns what the sink received and the counts of the
/// source, each stage and the sink.
fn run_chain(
    input: Vec<Bytes>,
    source: Source,
    stages: Vec<Stage>,
    sink: Sink,
) -> (Vec<Bytes>, Vec<Rc<Counts>>) {
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    let counts = run(async move {
        let src = build_source(&source, &input);
        let transforms: Vec<Transform> = stages.iter().map(build_stage).collect();
        let w = build_sink(&sink, o);
        let mut counts = vec![watch!(src)];
        counts.extend(transforms.iter().map(|t| watch!(t)));
        counts.push(watch!(w));

        // source.pipe(t1).pipe(t2)...pipe(sink)
        let first = src.pipe(&transforms[0]);
        let last = transforms[1..].iter().fold(first, |prev, t| prev.pipe(t));
        last.pipe(&w);
        counts
    });
    let got = out.borrow().clone();
    (got, counts)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn a_chain_of_transforms_delivers_exactly_the_transformed_input(
        input in chunks(),
        source in source(),
        stages in prop::collection::vec(stage(), 1..=5),
        sink in sink(),
    ) {
        let mut expected = input.clone();
        for s in &stages {
            expected = expected.iter().flat_map(|c| s.kind.apply(c)).collect();
        }
        let n = stages.len();
        let (got, counts) = run_chain(input, source, stages, sink);
        prop_assert_eq!(got, expected);
        for (i, c) in counts.iter().enumerate() {
            let name = match i {
                0 => "source".to_string(),
                i if i == n + 1 => "sink".to_string(),
                i => format!("stage {i}"),
            };
            prop_assert!(c.errors.borrow().is_empty(), "{}: errors {:?}", name, c.errors.borrow());
            if i <= n {
                prop_assert_eq!(c.end.get(), 1, "{}: 'end' count", name);
            }
            if i >= 1 {
                prop_assert_eq!(c.finish.get(), 1, "{}: 'finish' count", name);
            }
            prop_assert_eq!(c.close.get(), 1, "{}: 'close' count", name);
        }
    }
}
