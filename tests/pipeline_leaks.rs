//! Nothing outlives a finished or failed pipeline: once its callback has
//! run and the loop is idle (`streams::run` returned), and the test has
//! dropped its own handles, every stream is gone ([`live_streams`] is 0),
//! every chunk that went in was dropped (wherever it was buffered when the
//! pipeline failed), and so was every hook and listener (each holds a drop
//! counter). The same for `compose`, for the async forms, and for a plain
//! `pipe` whose source ended and whose destination finished.
//!
//! A stream is reference-counted and its listeners often hold handles to
//! other streams (a pipe's listeners hold both ends), so a forgotten
//! listener is a reference cycle that Rust never collects, where Node's
//! garbage collector would. These tests are the guard against that.
//!
//! The last test goes further: it counts the bytes this thread allocates
//! and frees, and checks that running the same pipeline again leaves no
//! net allocation behind: not even a block kept by a `Weak`.

#![warn(rust_2018_idioms)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

use streams::{
    compose, events, finished, immediate, live_streams, next_tick, pipeline, promises, run,
    set_immediate, FinishedOptions, PassThrough, Readable, StreamError, Transform, Writable,
};

/// Counts live values of one kind (chunks, or hooks and listeners).
#[derive(Clone, Default)]
struct Live(Rc<Cell<usize>>);

impl Live {
    fn token(&self) -> Token {
        self.0.set(self.0.get() + 1);
        Token(self.clone())
    }

    fn get(&self) -> usize {
        self.0.get()
    }
}

/// One live value: counted from its creation to its drop.
struct Token(Live);

impl Clone for Token {
    fn clone(&self) -> Token {
        self.0.token()
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.0 .0.set(self.0 .0.get() - 1);
    }
}

/// An object-mode chunk that counts itself (clones included: `pipe`
/// clones each chunk into its destination).
#[derive(Clone)]
struct Chunk {
    n: u32,
    _live: Token,
}

/// The counters of one test.
#[derive(Clone, Default)]
struct Counters {
    chunks: Live,
    hooks: Live,
}

impl Counters {
    fn chunk(&self, n: u32) -> Chunk {
        Chunk { n, _live: self.chunks.token() }
    }

    /// Asserts that nothing is left: no stream, chunk, hook or listener.
    #[track_caller]
    fn assert_all_dropped(&self) {
        assert_eq!(live_streams(), 0, "streams left alive");
        assert_eq!(self.chunks.get(), 0, "chunks left alive");
        assert_eq!(self.hooks.get(), 0, "hooks or listeners left alive");
    }
}

thread_local! {
    /// Whether the streams made by `source`, `adder` and `sink` destroy
    /// themselves when done (the default) or stay open.
    static AUTO_DESTROY: Cell<bool> = const { Cell::new(true) };
}

fn auto_destroy() -> bool {
    AUTO_DESTROY.with(Cell::get)
}

/// A source of `n` chunks, pushed one per `read` call, on the next tick.
fn source(c: &Counters, n: u32) -> Readable<Chunk> {
    let (tok, c2) = (c.hooks.token(), c.clone());
    let next = Rc::new(Cell::new(0));
    Readable::object_builder()
        .high_water_mark(2)
        .auto_destroy(auto_destroy())
        .read(move |this, _| {
            let _ = &tok;
            let (this, next, c) = (this.clone(), next.clone(), c2.clone());
            next_tick(move || {
                let i = next.get();
                next.set(i + 1);
                if i < n {
                    this.push(c.chunk(i));
                } else {
                    this.push(None);
                }
            });
        })
        .destroy({
            let tok = c.hooks.token();
            move |_, err, cb| {
                let _ = &tok;
                cb.call(err.map_or(Ok(()), Err));
            }
        })
        .build()
}

/// A transform that adds `add` to each chunk; it fails on chunk `fail_at`
/// if given, and completes each chunk on the next turn of the loop.
fn adder(c: &Counters, add: u32, fail_at: Option<u32>) -> Transform<Chunk, Chunk> {
    let tok = c.hooks.token();
    Transform::object_builder()
        .high_water_mark(2)
        .auto_destroy(auto_destroy())
        .transform(move |_, chunk: Chunk, _, cb| {
            let _ = &tok;
            if Some(chunk.n) == fail_at {
                cb.call(Err(StreamError::new("bad chunk")));
                return;
            }
            set_immediate(move || {
                let n = chunk.n + add;
                cb.call(Ok(Some(Chunk { n, ..chunk })));
            });
        })
        .flush({
            let tok = c.hooks.token();
            move |_, cb| {
                let _ = &tok;
                cb.call(Ok(None));
            }
        })
        .build()
}

/// A slow sink (hwm 2, each write completes on the next turn of the
/// loop) that records what it got.
fn sink(c: &Counters, got: &Rc<RefCell<Vec<u32>>>) -> Writable<Chunk> {
    let (tok, got) = (c.hooks.token(), got.clone());
    Writable::object_builder()
        .high_water_mark(2)
        .auto_destroy(auto_destroy())
        .write(move |_, chunk: Chunk, _, cb| {
            let _ = &tok;
            got.borrow_mut().push(chunk.n);
            set_immediate(move || {
                drop(chunk);
                cb.call(Ok(()));
            });
        })
        .final_({
            let tok = c.hooks.token();
            move |_, cb| {
                let _ = &tok;
                cb.call(Ok(()));
            }
        })
        .build()
}

/// Adds a `'close'` and an `'error'` listener to `s`, each holding a hook
/// counter and, when the stream destroys itself when done, a handle to the
/// stream itself: a cycle until the stream drops its listeners at
/// `'close'`. (A stream that never closes keeps its listeners, so one of
/// them holding the stream would be a cycle of the test's own making.)
macro_rules! listen_all {
    ($c:expr, $s:expr) => {{
        let s = $s.clone();
        let own = || auto_destroy().then(|| s.clone());
        let (t1, s1) = ($c.hooks.token(), own());
        s.on(events::Close, move |_| {
            let _ = (&t1, &s1);
        });
        let (t2, s2) = ($c.hooks.token(), own());
        s.on(events::Error, move |_: &StreamError| {
            let _ = (&t2, &s2);
        });
    }};
}

#[test]
fn a_successful_pipeline_leaves_nothing_behind() {
    for auto in [true, false] {
        AUTO_DESTROY.with(|a| a.set(auto));
        a_successful_pipeline(auto);
    }
    AUTO_DESTROY.with(|a| a.set(true));
}

fn a_successful_pipeline(auto_destroy: bool) {
    let c = Counters::default();
    let got = Rc::new(RefCell::new(Vec::new()));
    let result = Rc::new(RefCell::new(None));
    let (c2, g, r) = (c.clone(), got.clone(), result.clone());
    run(async move {
        let (src, a, b, dst) =
            (source(&c2, 20), adder(&c2, 1, None), adder(&c2, 10, None), sink(&c2, &g));
        listen_all!(c2, src);
        listen_all!(c2, a);
        listen_all!(c2, dst);
        let (tok, d) = (c2.hooks.token(), dst.clone());
        pipeline((src, a, b, dst), move |res| {
            let _ = &tok;
            // A callback holding a handle to a stream is common.
            assert!(d.writable_finished());
            assert_eq!(d.closed(), auto_destroy);
            *r.borrow_mut() = Some(res);
        });
    });
    assert!(matches!(*result.borrow(), Some(Ok(()))));
    assert_eq!(*got.borrow(), (11..31).collect::<Vec<_>>());
    c.assert_all_dropped();
}

#[test]
fn a_pipeline_failing_in_the_middle_leaves_nothing_behind() {
    for auto in [true, false] {
        AUTO_DESTROY.with(|a| a.set(auto));
        a_pipeline_failing_in_the_middle();
    }
    AUTO_DESTROY.with(|a| a.set(true));
}

fn a_pipeline_failing_in_the_middle() {
    // The sink is slow and the source fast, so when the second transform
    // fails, chunks sit in every buffer of the chain.
    let c = Counters::default();
    let got = Rc::new(RefCell::new(Vec::new()));
    let result = Rc::new(RefCell::new(None));
    let (c2, g, r) = (c.clone(), got.clone(), result.clone());
    run(async move {
        let src = source(&c2, 40);
        let (a, b, dst) = (adder(&c2, 0, None), adder(&c2, 0, Some(7)), sink(&c2, &g));
        listen_all!(c2, src);
        listen_all!(c2, b);
        listen_all!(c2, dst);
        let tok = c2.hooks.token();
        pipeline((src, a, b, dst), move |res| {
            let _ = &tok;
            *r.borrow_mut() = Some(res);
        });
    });
    let err = result.borrow_mut().take().expect("callback called").unwrap_err();
    assert_eq!(err.message(), "bad chunk");
    assert!(got.borrow().len() < 40);
    c.assert_all_dropped();
}

#[test]
fn a_pipeline_whose_source_fails_or_whose_sink_is_destroyed_leaves_nothing_behind() {
    for outside in [false, true] {
        let c = Counters::default();
        let got = Rc::new(RefCell::new(Vec::new()));
        let result = Rc::new(RefCell::new(None));
        let (c2, g, r) = (c.clone(), got.clone(), result.clone());
        run(async move {
            let (src, a, dst) = (source(&c2, 1000), adder(&c2, 0, None), sink(&c2, &g));
            let (s, d) = (src.clone(), dst.clone());
            let tok = c2.hooks.token();
            pipeline((src, a, dst), move |res| {
                let _ = &tok;
                *r.borrow_mut() = Some(res);
            });
            for _ in 0..5 {
                immediate().await;
            }
            if outside {
                d.destroy(None);
            } else {
                s.destroy(Some(StreamError::new("source failed")));
            }
        });
        let err = result.borrow_mut().take().expect("callback called").unwrap_err();
        if outside {
            assert!(err.is_premature_close(), "{err}");
        } else {
            assert_eq!(err.message(), "source failed");
        }
        c.assert_all_dropped();
    }
}

#[test]
fn a_pipeline_ending_in_a_transform_leaves_nothing_behind() {
    // The last stream is readable: the pipeline removes its listeners from
    // it on success (Node's `lastStreamCleanup`), and the consumer reads
    // the rest.
    for auto in [true, false] {
        AUTO_DESTROY.with(|a| a.set(auto));
        let c = Counters::default();
        let got = Rc::new(RefCell::new(Vec::new()));
        let result = Rc::new(RefCell::new(None));
        let (c2, g, r) = (c.clone(), got.clone(), result.clone());
        run(async move {
            let (src, a, last) = (source(&c2, 9), adder(&c2, 0, None), adder(&c2, 5, None));
            let (tok, g) = (c2.hooks.token(), g.clone());
            last.on(events::Data, move |chunk: &Chunk| {
                let _ = &tok;
                g.borrow_mut().push(chunk.n);
            });
            let tok = c2.hooks.token();
            let last = pipeline((src, a, last), move |res| {
                let _ = &tok;
                *r.borrow_mut() = Some(res);
            });
            let l = auto.then(|| last.clone());
            last.on(events::End, move |_| {
                let _ = &l;
            });
        });
        assert!(matches!(*result.borrow(), Some(Ok(()))));
        assert_eq!(*got.borrow(), (5..14).collect::<Vec<_>>());
        c.assert_all_dropped();
    }
    AUTO_DESTROY.with(|a| a.set(true));
}

#[test]
fn the_async_forms_leave_nothing_behind() {
    let c = Counters::default();
    let got = Rc::new(RefCell::new(Vec::new()));
    let (c2, g) = (c.clone(), got.clone());
    run(async move {
        let (src, a, dst) = (source(&c2, 10), adder(&c2, 0, None), sink(&c2, &g));
        let watched = dst.clone();
        let done = promises::finished(&watched);
        promises::pipeline((src, a, dst)).await.unwrap();
        done.await.unwrap();
        let (src, a, dst) = (source(&c2, 10), adder(&c2, 0, Some(3)), sink(&c2, &g));
        let done = promises::finished(&a);
        assert_eq!(promises::pipeline((src, a, dst)).await.unwrap_err().message(), "bad chunk");
        assert_eq!(done.await.unwrap_err().message(), "bad chunk");
    });
    c.assert_all_dropped();
}

#[test]
fn compose_leaves_nothing_behind() {
    for fail_at in [None, Some(5)] {
        let c = Counters::default();
        let got = Rc::new(RefCell::new(Vec::new()));
        let result = Rc::new(RefCell::new(None));
        let (c2, g, r) = (c.clone(), got.clone(), result.clone());
        run(async move {
            let inner = (adder(&c2, 1, None), adder(&c2, 10, fail_at), adder(&c2, 100, None));
            let composed = compose(inner);
            listen_all!(c2, composed);
            let tok = c2.hooks.token();
            pipeline((source(&c2, 12), composed, sink(&c2, &g)), move |res| {
                let _ = &tok;
                *r.borrow_mut() = Some(res);
            });
        });
        match fail_at {
            None => {
                assert!(matches!(*result.borrow(), Some(Ok(()))));
                assert_eq!(*got.borrow(), (111..123).collect::<Vec<_>>());
            }
            Some(_) => {
                let err = result.borrow_mut().take().expect("callback called").unwrap_err();
                assert_eq!(err.message(), "bad chunk");
            }
        }
        c.assert_all_dropped();
    }
}

#[test]
fn a_finished_pipe_leaves_nothing_behind() {
    for auto in [true, false] {
        AUTO_DESTROY.with(|a| a.set(auto));
        a_finished_pipe();
    }
    AUTO_DESTROY.with(|a| a.set(true));
}

fn a_finished_pipe() {
    let c = Counters::default();
    let got = Rc::new(RefCell::new(Vec::new()));
    let (c2, g) = (c.clone(), got.clone());
    run(async move {
        let (src, dst) = (source(&c2, 30), sink(&c2, &g));
        listen_all!(c2, src);
        listen_all!(c2, dst);
        // Two destinations, one of them a PassThrough nobody reads from
        // but a second pipe.
        let p = PassThrough::object::<Chunk>();
        src.pipe(&dst);
        src.pipe(&p).pipe(&sink(&c2, &Rc::new(RefCell::new(Vec::new()))));
        let tok = c2.hooks.token();
        let _ = finished(&dst, FinishedOptions::default(), move |res| {
            let _ = &tok;
            res.unwrap();
        });
    });
    assert_eq!(*got.borrow(), (0..30).collect::<Vec<_>>());
    c.assert_all_dropped();
}

/// Counts the bytes each thread allocates and frees.
struct Counting;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread (a `const`
    /// thread-local without a destructor, so usable inside the allocator).
    static NET_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    let _ = NET_BYTES.try_with(|n| n.set(n.get() + delta));
}

// SAFETY: every method forwards to the system allocator unchanged; the
// bookkeeping touches only a thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        // SAFETY: the caller upholds `alloc`'s contract, passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize);
        // SAFETY: as for `dealloc`; `new_size` comes from the caller.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_repeated_pipeline_leaves_no_allocation_behind() {
    /// One successful and one failed pipeline, with `finished` watchers in
    /// both forms; returns the net bytes this thread allocated.
    fn once() -> isize {
        let before = NET_BYTES.with(Cell::get);
        {
            let c = Counters::default();
            let got = Rc::new(RefCell::new(Vec::new()));
            let (c2, g) = (c.clone(), got.clone());
            run(async move {
                let (src, a, dst) = (source(&c2, 8), adder(&c2, 0, None), sink(&c2, &g));
                let _ = finished(&a, FinishedOptions::default(), |_| {});
                let done = promises::finished(&dst);
                promises::pipeline((src, a, dst)).await.unwrap();
                done.await.unwrap();
                let (src, a, dst) = (source(&c2, 8), adder(&c2, 0, Some(2)), sink(&c2, &g));
                let done = promises::finished(&src);
                let composed = compose((adder(&c2, 0, None), PassThrough::object()));
                let (tx, rx) = futures::channel::oneshot::channel();
                pipeline((src, a, composed, dst), move |res| {
                    let _ = tx.send(res);
                });
                assert!(rx.await.unwrap().is_err());
                assert!(done.await.is_err());
            });
            c.assert_all_dropped();
        }
        NET_BYTES.with(Cell::get) - before
    }
    // The first run may set up what the thread keeps for good (tokio's and
    // the loop's thread-locals); the later ones must not add to it.
    once();
    let second = once();
    let third = once();
    assert_eq!((second, third), (0, 0), "bytes left allocated by one more run");
}

/// A Transform whose callback comes after `'close'` with its output over
/// the high-water mark (where Node parks the callback for the next
/// `_read`, which never comes) leaves nothing behind: neither the stream
/// nor the chunk it pushed.
#[test]
fn a_transform_called_back_after_close_leaves_nothing_behind() {
    let c = Counters::default();
    let c2 = c.clone();
    run(async move {
        let parked = Rc::new(RefCell::new(None));
        let slot = parked.clone();
        let t = Transform::<Chunk, Chunk>::object_builder()
            .high_water_mark(1)
            .transform(move |t, chunk, _, cb| {
                t.push(chunk);
                *slot.borrow_mut() = Some(cb);
            })
            .build();
        t.write(c2.chunk(1));
        t.destroy(None);
        immediate().await;
        assert!(t.closed());
        let cb = parked.borrow_mut().take().expect("the transform kept its callback");
        cb.call(Ok(Some(c2.chunk(2))));
    });
    c.assert_all_dropped();
}
