//! Property tests for `pipeline`: a random chain of 2 to 6 streams (a
//! source, 0 to 4 Transforms or PassThroughs, a sink), each with a random
//! high-water mark and callbacks completed synchronously, on the next
//! tick, on the next turn of the loop or from a task.
//!
//! - Without a fault, the sink receives exactly the input as the
//!   transforms change it, in order; the callback gets `Ok` once, after
//!   the sink emitted `'finish'` and `'close'`; every stream closes once.
//! - With one fault injected at a random stage and chunk (the source
//!   destroyed with an error, a transform calling back `Err`, the sink's
//!   write calling back `Err`, or any stream destroyed from outside, with
//!   or without an error), every stream is destroyed and closes exactly
//!   once, and the callback gets that very error once, or
//!   `ERR_STREAM_PREMATURE_CLOSE` for a destroy without one, as Node v24
//!   reports it (see the `pipeline-destroy-outside` scenario).
//!
//! A destroyed stage completes the chunk it was handling later, or never,
//! but not synchronously: a synchronous completion with more writes
//! buffered makes the destroyed stream try the next one, which fails with
//! `ERR_STREAM_DESTROYED`, and that becomes the pipeline's error, in Node
//! as here. The scenario's last case pins that down.
//!
//! Either way, once the loop is idle no stream is left alive.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use proptest::collection::vec;
use proptest::prelude::*;
use streams::{
    events, live_streams, next_tick, pipeline, run, set_immediate, spawn, PassThrough, Readable,
    StreamError, Transform, Writable,
};

/// When a hook completes: inside the hook, or later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum When {
    Sync,
    Tick,
    Immediate,
    /// From a task of ours, after it yielded once.
    Task,
}

fn later(when: When, f: impl FnOnce() + 'static) {
    match when {
        When::Sync => f(),
        When::Tick => next_tick(f),
        When::Immediate => {
            set_immediate(f);
        }
        When::Task => {
            spawn(async move {
                tokio::task::yield_now().await;
                f();
            });
        }
    }
}

/// What a middle stage does with each chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A `PassThrough`.
    Pass,
    /// `x -> x + k`, with the `cb(Some(data))` shorthand.
    Add(u32),
    /// `x -> x, x`: one `push`, then the shorthand.
    Double,
    /// Drops the multiples of `m` (`cb(None)`).
    Filter(u32),
    /// Passes chunks on, and pushes `v` from `flush`.
    Flush(u32),
}

impl Kind {
    fn apply(self, input: &[u32]) -> Vec<u32> {
        let mut out = Vec::new();
        for &x in input {
            match self {
                Kind::Pass | Kind::Flush(_) => out.push(x),
                Kind::Add(k) => out.push(x + k),
                Kind::Double => out.extend([x, x]),
                Kind::Filter(m) => {
                    if x % m != 0 {
                        out.push(x);
                    }
                }
            }
        }
        if let Kind::Flush(v) = self {
            out.push(v);
        }
        out
    }
}

#[derive(Debug, Clone)]
struct Stage {
    kind: Kind,
    readable_hwm: usize,
    writable_hwm: usize,
    when: When,
}

#[derive(Debug, Clone)]
struct Chain {
    input: Vec<u32>,
    source_hwm: usize,
    source_when: When,
    /// `Readable::from_iter` instead of a hand-written source.
    from_iter: bool,
    stages: Vec<Stage>,
    sink_hwm: usize,
    sink_when: When,
}

impl Chain {
    /// What each stage receives: `[0]` is what the source yields, `[i]`
    /// what stage `i` (1-based, the sink last) receives.
    fn inputs(&self) -> Vec<Vec<u32>> {
        let mut all = vec![self.input.clone()];
        for stage in &self.stages {
            let next = stage.kind.apply(all.last().expect("the source's output"));
            all.push(next);
        }
        all
    }
}

/// One fault, with indices taken modulo what exists (see `normalize`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// The source, asked for chunk `at`, destroys itself with an error
    /// (when its `when` says).
    SourceError { at: usize },
    /// Middle stage `stage` calls back `Err` for its `at`-th chunk.
    TransformError { stage: usize, at: usize },
    /// The sink's write of its `at`-th chunk calls back `Err`.
    SinkError { at: usize },
    /// Stream `target` (0 the source, then the middle stages, the sink
    /// last) is destroyed while it handles its `at`-th chunk, by a handle
    /// its hook holds, with an error or without.
    Destroy { target: usize, at: usize, with_error: bool },
}

impl Fault {
    /// Maps the raw indices onto the chain: a stage that exists, a chunk
    /// it receives. A fault aimed at a stage that receives nothing (behind
    /// a filter that drops everything) goes to the source.
    fn normalize(self, chain: &Chain) -> Fault {
        let inputs = chain.inputs();
        let n = chain.input.len();
        let stages = chain.stages.len();
        let aim = |stage: usize, at: usize, f: &dyn Fn(usize) -> Fault| -> Fault {
            match inputs[stage].len() {
                0 => Fault::SourceError { at: at % n },
                len => f(at % len),
            }
        };
        match self {
            Fault::SourceError { at } => Fault::SourceError { at: at % n },
            Fault::TransformError { at, .. } if stages == 0 => {
                Fault::SinkError { at }.normalize(chain)
            }
            Fault::TransformError { stage, at } => {
                let stage = stage % stages;
                aim(stage, at, &|at| Fault::TransformError { stage, at })
            }
            Fault::SinkError { at } => aim(stages, at, &|at| Fault::SinkError { at }),
            Fault::Destroy { target, at, with_error } => {
                let target = target % (stages + 2);
                let received = if target == 0 { 0 } else { target - 1 };
                if target == 0 {
                    Fault::Destroy { target, at: at % n, with_error }
                } else {
                    aim(received, at, &|at| Fault::Destroy { target, at, with_error })
                }
            }
        }
    }
}

/// What a run observed.
#[derive(Debug, Default)]
struct Seen {
    /// What the sink received.
    got: RefCell<Vec<u32>>,
    /// The callback's results (it must be called once).
    results: RefCell<Vec<Result<(), StreamError>>>,
    /// `'close'` per stream, source first.
    closes: RefCell<Vec<Rc<Cell<usize>>>>,
    /// Whether each stream reported `destroyed()` once the loop was idle.
    destroyed: RefCell<Vec<bool>>,
    sink_finished: Cell<bool>,
    sink_closed: Cell<bool>,
    /// At the callback: had the sink emitted `'finish'` and `'close'`?
    sink_done_at_callback: Cell<Option<(bool, bool)>>,
}

/// Runs `chain` with `fault` (already normalized) and the `injected` error
/// it uses; returns what was seen.
fn run_chain(chain: &Chain, fault: Option<Fault>, injected: &StreamError) -> Rc<Seen> {
    let seen = Rc::new(Seen::default());
    let (chain, s, injected) = (chain.clone(), seen.clone(), injected.clone());
    run(async move {
        let n = chain.input.len();
        let source = if chain.from_iter && fault.is_none() {
            Readable::from_iter(chain.input.clone())
        } else {
            let (input, next, err) = (chain.input.clone(), Rc::new(Cell::new(0)), injected.clone());
            let when = chain.source_when;
            Readable::object_builder()
                .high_water_mark(chain.source_hwm)
                .read(move |this, _| {
                    let i = next.get();
                    next.set(i + 1);
                    let this = this.clone();
                    match fault {
                        Some(Fault::SourceError { at }) if at == i => {
                            let err = err.clone();
                            later(when, move || {
                                this.destroy(Some(err));
                            });
                            return;
                        }
                        Some(Fault::Destroy { target: 0, at, with_error }) if at == i => {
                            this.destroy(with_error.then(|| err.clone()));
                            return;
                        }
                        _ => {}
                    }
                    let chunk = input.get(i).copied();
                    later(when, move || {
                        this.push(chunk);
                    });
                })
                .build()
        };
        let stages: Vec<Transform<u32, u32>> = chain
            .stages
            .iter()
            .enumerate()
            .map(|(index, stage)| middle(stage, index, fault, &injected))
            .collect();
        let sink = {
            let (seen, count, err) = (s.clone(), Rc::new(Cell::new(0)), injected.clone());
            let (when, last) = (chain.sink_when, chain.stages.len() + 1);
            Writable::object_builder()
                .high_water_mark(chain.sink_hwm)
                .write(move |this, x: u32, _, cb| {
                    let k = count.get();
                    count.set(k + 1);
                    seen.got.borrow_mut().push(x);
                    let result = match fault {
                        Some(Fault::SinkError { at }) if at == k => Err(err.clone()),
                        Some(Fault::Destroy { target, at, with_error })
                            if target == last && at == k =>
                        {
                            this.destroy(with_error.then(|| err.clone()));
                            if when == When::Sync {
                                // Never completed (see the module's header).
                                drop(cb);
                                return;
                            }
                            Ok(())
                        }
                        _ => Ok(()),
                    };
                    later(when, move || cb.call(result));
                })
                .build()
        };

        // Count 'close' on every stream; watch the sink's 'finish'.
        let mut closes = Vec::new();
        macro_rules! count_close {
            ($s:expr) => {{
                let c = Rc::new(Cell::new(0));
                let c2 = c.clone();
                $s.on(events::Close, move |_| c2.set(c2.get() + 1));
                closes.push(c);
            }};
        }
        count_close!(source);
        for t in &stages {
            count_close!(t);
        }
        count_close!(sink);
        *s.closes.borrow_mut() = closes;
        let s2 = s.clone();
        sink.on(events::Finish, move |_| s2.sink_finished.set(true));
        let s2 = s.clone();
        sink.on(events::Close, move |_| s2.sink_closed.set(true));

        let s2 = s.clone();
        let callback = move |res: Result<(), StreamError>| {
            s2.sink_done_at_callback.set(Some((s2.sink_finished.get(), s2.sink_closed.get())));
            s2.results.borrow_mut().push(res);
        };
        let (src, dst) = (source.clone(), sink.clone());
        match stages.as_slice() {
            [] => drop(pipeline((src, dst), callback)),
            [a] => drop(pipeline((src, a.clone(), dst), callback)),
            [a, b] => drop(pipeline((src, a.clone(), b.clone(), dst), callback)),
            [a, b, c] => drop(pipeline((src, a.clone(), b.clone(), c.clone(), dst), callback)),
            [a, b, c, d] => {
                drop(pipeline((src, a.clone(), b.clone(), c.clone(), d.clone(), dst), callback))
            }
            _ => unreachable!("0 to 4 middle stages"),
        }
        let _ = n;

        // Once the loop is idle: were they all destroyed?
        let s2 = s.clone();
        spawn(async move {
            // Wait until the callback ran (or nothing more can happen).
            for _ in 0..10_000 {
                if !s2.results.borrow().is_empty() && s2.sink_closed.get() {
                    break;
                }
                streams::immediate().await;
            }
            for _ in 0..20 {
                streams::immediate().await;
            }
            let mut destroyed = vec![source.destroyed()];
            destroyed.extend(stages.iter().map(|t| t.destroyed()));
            destroyed.push(sink.destroyed());
            *s2.destroyed.borrow_mut() = destroyed;
        });
    });
    seen
}

/// Middle stage `index`: a PassThrough or a Transform that does `kind`,
/// failing or destroying itself as `fault` says.
fn middle(
    stage: &Stage,
    index: usize,
    fault: Option<Fault>,
    err: &StreamError,
) -> Transform<u32, u32> {
    let target = index + 1;
    let faulty = matches!(
        fault,
        Some(Fault::TransformError { stage, .. }) if stage == index
    ) || matches!(fault, Some(Fault::Destroy { target: t, .. }) if t == target);
    if stage.kind == Kind::Pass && stage.when == When::Sync && !faulty {
        return PassThrough::object_builder()
            .readable_high_water_mark(stage.readable_hwm)
            .writable_high_water_mark(stage.writable_hwm)
            .build();
    }
    let (kind, when, count, err) = (stage.kind, stage.when, Rc::new(Cell::new(0)), err.clone());
    let builder = Transform::<u32, u32>::object_builder()
        .readable_high_water_mark(stage.readable_hwm)
        .writable_high_water_mark(stage.writable_hwm)
        .transform(move |this, x, _, cb| {
            let k = count.get();
            count.set(k + 1);
            match fault {
                Some(Fault::TransformError { stage, at }) if stage == index && at == k => {
                    let err = err.clone();
                    later(when, move || cb.call(Err(err)));
                    return;
                }
                Some(Fault::Destroy { target: t, at, with_error }) if t == target && at == k => {
                    this.destroy(with_error.then(|| err.clone()));
                    if when == When::Sync {
                        // Never completed (see the module's header).
                        drop(cb);
                        return;
                    }
                }
                _ => {}
            }
            let this = this.clone();
            match kind {
                Kind::Pass | Kind::Flush(_) => later(when, move || cb.call(Ok(Some(x)))),
                Kind::Add(a) => later(when, move || cb.call(Ok(Some(x + a)))),
                Kind::Double => later(when, move || {
                    this.push(x);
                    cb.call(Ok(Some(x)));
                }),
                Kind::Filter(m) => {
                    later(when, move || cb.call(Ok((x % m != 0).then_some(x))));
                }
            }
        });
    match kind {
        Kind::Flush(v) => {
            builder.flush(move |_, cb| later(when, move || cb.call(Ok(Some(v))))).build()
        }
        _ => builder.build(),
    }
}

fn when() -> impl Strategy<Value = When> {
    prop_oneof![Just(When::Sync), Just(When::Tick), Just(When::Immediate), Just(When::Task)]
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Pass),
        (1u32..5).prop_map(Kind::Add),
        Just(Kind::Double),
        (2u32..4).prop_map(Kind::Filter),
        (1000u32..1010).prop_map(Kind::Flush),
    ]
}

fn stage() -> impl Strategy<Value = Stage> {
    (kind(), 0usize..5, 0usize..5, when()).prop_map(|(kind, readable_hwm, writable_hwm, when)| {
        Stage { kind, readable_hwm, writable_hwm, when }
    })
}

fn chain(min_len: usize) -> impl Strategy<Value = Chain> {
    (
        vec(0u32..1000, min_len..30),
        0usize..5,
        when(),
        any::<bool>(),
        vec(stage(), 0..=4),
        0usize..5,
        when(),
    )
        .prop_map(
            |(input, source_hwm, source_when, from_iter, stages, sink_hwm, sink_when)| Chain {
                input,
                source_hwm,
                source_when,
                from_iter,
                stages,
                sink_hwm,
                sink_when,
            },
        )
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        any::<usize>().prop_map(|at| Fault::SourceError { at }),
        (any::<usize>(), any::<usize>())
            .prop_map(|(stage, at)| Fault::TransformError { stage, at }),
        any::<usize>().prop_map(|at| Fault::SinkError { at }),
        (any::<usize>(), any::<usize>(), any::<bool>())
            .prop_map(|(target, at, with_error)| Fault::Destroy { target, at, with_error }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn a_chain_delivers_the_transformed_input_in_order(chain in chain(0)) {
        let seen = run_chain(&chain, None, &StreamError::new("unused"));
        let expected = chain.inputs().pop().expect("the sink's input");
        prop_assert_eq!(&*seen.got.borrow(), &expected);
        let results = seen.results.borrow();
        prop_assert_eq!(results.len(), 1, "the callback is called once");
        prop_assert!(results[0].is_ok(), "{:?}", results[0]);
        prop_assert_eq!(seen.sink_done_at_callback.get(), Some((true, true)));
        let closes: Vec<usize> = seen.closes.borrow().iter().map(|c| c.get()).collect();
        prop_assert!(closes.iter().all(|&c| c == 1), "'close' per stream: {:?}", closes);
        prop_assert_eq!(live_streams(), 0);
    }

    #[test]
    fn a_fault_anywhere_destroys_every_stream_once_and_is_reported_once(
        chain in chain(1),
        fault in fault(),
    ) {
        let fault = fault.normalize(&chain);
        let injected = StreamError::new("injected");
        let seen = run_chain(&chain, Some(fault), &injected);
        let results = seen.results.borrow();
        prop_assert_eq!(results.len(), 1, "the callback is called once");
        let err = results[0].clone().expect_err("the pipeline fails");
        match fault {
            Fault::Destroy { with_error: false, .. } => {
                prop_assert!(err.is_premature_close(), "{}", err);
            }
            _ => prop_assert!(err.same(&injected), "got {:?}", err),
        }
        let closes: Vec<usize> = seen.closes.borrow().iter().map(|c| c.get()).collect();
        prop_assert!(closes.iter().all(|&c| c == 1), "'close' per stream: {:?}", closes);
        let destroyed = seen.destroyed.borrow();
        prop_assert!(destroyed.iter().all(|&d| d), "destroyed: {:?}", destroyed);
        prop_assert_eq!(live_streams(), 0);
    }
}
