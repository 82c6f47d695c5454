//! `finished`, its `Cleanup`, and the async forms of `finished` and
//! `pipeline`.
//!
//! What the callback of `finished` gets in every state of every kind of
//! stream, and when, is checked line for line against Node v24 by the
//! `finished-states` conformance scenario (`tests/conformance/`). Here:
//!
//! - `Cleanup::cleanup()` removes every listener `finished` added (the
//!   `'end'`, `'finish'`, `'error'` and `'close'` listener counts are back
//!   to what they were), in every state, and the callback is never called
//!   afterwards, whatever the stream does next;
//! - `promises::finished` and `promises::pipeline` settle with what the
//!   callback forms get, in the same states;
//! - `pipeline` into a stream already destroyed reports
//!   `ERR_STREAM_UNABLE_TO_PIPE` and touches none of the streams.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use streams::{
    events, finished, immediate, pipeline, promises, run, Duplex, FinishedOptions, PassThrough,
    Readable, StreamError, Transform, Writable,
};

fn b(s: &'static str) -> Bytes {
    Bytes::from_static(s.as_bytes())
}

async fn settle() {
    for _ in 0..5 {
        immediate().await;
    }
}

/// The four listener counts `finished` may change.
macro_rules! counts {
    ($s:expr) => {
        (
            $s.listener_count(events::End),
            $s.listener_count(events::Finish),
            $s.listener_count(events::Error),
            $s.listener_count(events::Close),
        )
    };
}

/// The states a stream can be in when `finished` is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Fresh,
    /// Readable side ended / writable side finished, no auto-destroy.
    Done,
    /// Destroyed with an error (closed).
    Errored,
    /// Destroyed without one (closed).
    Destroyed,
    /// Destroyed, `'close'` not yet emitted.
    Destroying,
}

const STATES: [State; 5] =
    [State::Fresh, State::Done, State::Errored, State::Destroyed, State::Destroying];

const OPTIONS: [FinishedOptions; 4] = [
    FinishedOptions { readable: None, writable: None, error: true },
    FinishedOptions { readable: Some(false), writable: None, error: true },
    FinishedOptions { readable: None, writable: Some(false), error: true },
    FinishedOptions { readable: None, writable: None, error: false },
];

/// A stream in `state`, as a readable, a writable, a duplex or a
/// transform (`kind` 0 to 3). Streams that are not fresh have
/// auto-destroy off, so `Done` stays open.
async fn make(kind: usize, state: State) -> Box<dyn Any> {
    let auto = state != State::Done;
    let s: Box<dyn Any> = match kind {
        0 => Box::new(Readable::<Bytes>::builder().auto_destroy(auto).read(|_, _| {}).build()),
        1 => Box::new(
            Writable::<Bytes>::builder()
                .auto_destroy(auto)
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build(),
        ),
        2 => Box::new(
            Duplex::<Bytes, Bytes>::builder()
                .auto_destroy(auto)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build(),
        ),
        _ => Box::new(PassThrough::builder().auto_destroy(auto).build()),
    };
    match state {
        State::Fresh => {}
        State::Done => {
            s.finish_all();
            settle().await;
        }
        State::Errored => {
            s.error_handled();
            s.destroy(Some(StreamError::new("boom")));
            settle().await;
        }
        State::Destroyed => {
            s.destroy(None);
            settle().await;
        }
        State::Destroying => {
            s.destroy(None);
        }
    }
    s
}

/// What the tests do to any kind of stream.
trait Any {
    fn counts(&self) -> (usize, usize, usize, usize);
    fn finished(
        &self,
        options: FinishedOptions,
        cb: Box<dyn FnOnce(Result<(), StreamError>)>,
    ) -> streams::Cleanup;
    fn promise(&self, options: FinishedOptions) -> promises::Done;
    /// Ends the readable side (and reads it), ends the writable side.
    fn finish_all(&self);
    fn destroy(&self, err: Option<StreamError>);
    /// A no-op `'error'` listener, so the error is handled.
    fn error_handled(&self);
}

macro_rules! impl_any {
    ($ty:ty, readable: $r:tt, writable: $w:tt) => {
        impl Any for $ty {
            fn counts(&self) -> (usize, usize, usize, usize) {
                counts!(self)
            }
            fn finished(
                &self,
                options: FinishedOptions,
                cb: Box<dyn FnOnce(Result<(), StreamError>)>,
            ) -> streams::Cleanup {
                finished(self, options, cb)
            }
            fn promise(&self, options: FinishedOptions) -> promises::Done {
                promises::finished_with(self, options)
            }
            fn finish_all(&self) {
                impl_any!(@read $r self);
                impl_any!(@write $w self);
            }
            fn destroy(&self, err: Option<StreamError>) {
                <$ty>::destroy(self, err);
            }
            fn error_handled(&self) {
                self.on(events::Error, |_: &StreamError| {});
            }
        }
    };
    (@read true $s:ident) => {
        $s.push(None);
        $s.resume();
    };
    (@read false $s:ident) => {};
    (@write true $s:ident) => {
        $s.end(None);
    };
    (@write false $s:ident) => {};
}

impl_any!(Readable<Bytes>, readable: true, writable: false);
impl_any!(Writable<Bytes>, readable: false, writable: true);
impl_any!(Duplex<Bytes, Bytes>, readable: true, writable: true);

impl Any for Transform<Bytes, Bytes> {
    fn counts(&self) -> (usize, usize, usize, usize) {
        counts!(self)
    }
    fn finished(
        &self,
        options: FinishedOptions,
        cb: Box<dyn FnOnce(Result<(), StreamError>)>,
    ) -> streams::Cleanup {
        finished(self, options, cb)
    }
    fn promise(&self, options: FinishedOptions) -> promises::Done {
        promises::finished_with(self, options)
    }
    fn finish_all(&self) {
        self.end(None);
        self.resume();
    }
    fn destroy(&self, err: Option<StreamError>) {
        Duplex::destroy(self, err);
    }
    fn error_handled(&self) {
        self.on(events::Error, |_: &StreamError| {});
    }
}

#[test]
fn cleanup_removes_every_listener_in_every_state() {
    run(async {
        for kind in 0..4 {
            for state in STATES {
                for options in OPTIONS {
                    let s = make(kind, state).await;
                    let before = s.counts();
                    let called = Rc::new(Cell::new(false));
                    let c = called.clone();
                    // (A stream already done gets only a no-op 'error'
                    // listener, and with `error: false` not even that.)
                    let cleanup = s.finished(options, Box::new(move |_| c.set(true)));
                    cleanup.cleanup();
                    assert_eq!(s.counts(), before, "{kind} {state:?} {options:?}");
                    // Whatever happens next, the callback stays quiet: even
                    // one already queued (a stream already done answers on
                    // the next tick).
                    s.finish_all();
                    s.destroy(Some(StreamError::new("later")));
                    settle().await;
                    assert!(!called.get(), "{kind} {state:?} {options:?}: called after cleanup");
                }
            }
        }
    });
}

#[test]
fn cleanup_after_the_callback_ran_removes_the_listeners_too() {
    run(async {
        let w = Writable::<Bytes>::builder()
            .auto_destroy(false)
            .write(|_, _, _, cb| cb.call(Ok(())))
            .build();
        let before = counts!(w);
        let result = Rc::new(RefCell::new(None));
        let r = result.clone();
        let cleanup =
            finished(&w, FinishedOptions::default(), move |res| *r.borrow_mut() = Some(res));
        w.end(b("x"));
        settle().await;
        assert!(matches!(*result.borrow(), Some(Ok(()))));
        assert_ne!(counts!(w), before);
        cleanup.cleanup();
        assert_eq!(counts!(w), before);
    });
}

#[test]
fn dropping_the_cleanup_keeps_the_callback_armed() {
    let result = Rc::new(RefCell::new(None));
    let r = result.clone();
    run(async move {
        let r2: Readable = Readable::builder().read(|_, _| {}).build();
        drop(finished(&r2, FinishedOptions::default(), move |res| *r.borrow_mut() = Some(res)));
        r2.push(None);
        r2.resume();
    });
    assert!(matches!(*result.borrow(), Some(Ok(()))));
}

/// The callback form's result and the promise form's, for the same
/// stream in the same state, reduced to a comparable string.
fn outcome(res: &Result<(), StreamError>) -> String {
    match res {
        Ok(()) => "ok".into(),
        Err(e) => format!("{:?} {}", e.code(), e.message()),
    }
}

#[test]
fn promises_finished_settles_as_the_callback() {
    run(async {
        for kind in 0..4 {
            for state in STATES {
                for options in OPTIONS {
                    let s = make(kind, state).await;
                    let by_callback = Rc::new(RefCell::new(None));
                    let c = by_callback.clone();
                    drop(s.finished(options, Box::new(move |res| *c.borrow_mut() = Some(res))));
                    let promise = s.promise(options);
                    // Whatever is needed to settle: the ends, or an error.
                    s.finish_all();
                    settle().await;
                    if by_callback.borrow().is_none() {
                        s.destroy(None);
                        settle().await;
                    }
                    let by_callback = by_callback.borrow_mut().take();
                    let Some(by_callback) = by_callback else {
                        // Never settles (no 'close' with error: false and
                        // no auto-destroy): the promise stays pending too.
                        continue;
                    };
                    let by_promise = promise.await;
                    assert_eq!(
                        outcome(&by_promise),
                        outcome(&by_callback),
                        "{kind} {state:?} {options:?}"
                    );
                }
            }
        }
    });
}

#[test]
fn promises_pipeline_settles_as_the_callback() {
    /// A chain of three streams; `fault` 0 none, 1 the source fails, 2 the
    /// transform fails, 3 the sink fails, 4 the sink is destroyed.
    fn chain(fault: u8) -> (Readable<u32>, Transform<u32, u32>, Writable<u32>) {
        let mut n = 0;
        let src = Readable::object_builder()
            .read(move |this: &Readable<u32>, _| {
                n += 1;
                match n {
                    4 => {
                        this.push(None);
                    }
                    2 if fault == 1 => {
                        this.destroy(Some(StreamError::new("source failed")));
                    }
                    _ => {
                        this.push(n);
                    }
                }
            })
            .build();
        let t = Transform::object_builder()
            .transform(move |_, x: u32, _, cb| {
                if fault == 2 && x == 2 {
                    cb.call(Err(StreamError::new("transform failed")));
                } else {
                    cb.call(Ok(Some(x * 10)));
                }
            })
            .build();
        let w = Writable::object_builder()
            .write(move |this: &Writable<u32>, x, _, cb| match (fault, x) {
                (3, 20) => cb.call(Err(StreamError::new("sink failed"))),
                (4, 20) => {
                    this.destroy(None);
                }
                _ => cb.call(Ok(())),
            })
            .build();
        (src, t, w)
    }
    run(async {
        for fault in 0..5 {
            let (tx, rx) = futures::channel::oneshot::channel();
            pipeline(chain(fault), move |res| {
                let _ = tx.send(res);
            });
            let by_callback = rx.await.unwrap();
            let by_promise = promises::pipeline(chain(fault)).await;
            assert_eq!(outcome(&by_promise), outcome(&by_callback), "fault {fault}");
            let expected = ["ok", "source failed", "transform failed", "sink failed", "Premature"];
            assert!(outcome(&by_promise).contains(expected[fault as usize]), "fault {fault}");
        }
    });
}

#[test]
fn pipeline_into_a_destroyed_stream_is_unable_to_pipe() {
    // Node throws ERR_STREAM_UNABLE_TO_PIPE from pipeline(); the callback
    // form here reports it on the next tick, and nothing is piped: the
    // other streams are not destroyed and get no listener.
    for destroyed_at in [1, 2] {
        let result = Rc::new(RefCell::new(None));
        let r = result.clone();
        run(async move {
            let src: Readable = Readable::builder().read(|_, _| {}).build();
            let mid = PassThrough::new();
            let dst: Writable = Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
            if destroyed_at == 1 {
                mid.destroy(None);
            } else {
                dst.destroy(None);
            }
            let before = (counts!(src), counts!(mid), counts!(dst));
            let r2 = r.clone();
            pipeline((src.clone(), mid.clone(), dst.clone()), move |res| {
                *r2.borrow_mut() = Some(res)
            });
            assert!(r.borrow().is_none(), "called back on the next tick, not during the call");
            assert_eq!((counts!(src), counts!(mid), counts!(dst)), before);
            settle().await;
            assert_eq!(src.readable_flowing(), None, "nothing was piped");
            assert!(!src.destroyed());
            assert_eq!(mid.destroyed(), destroyed_at == 1);
            let err =
                promises::pipeline((src.clone(), mid.clone(), dst.clone())).await.unwrap_err();
            assert_eq!(err.code(), Some("ERR_STREAM_UNABLE_TO_PIPE"));
        });
        let err = result.borrow_mut().take().unwrap().unwrap_err();
        assert_eq!(err.code(), Some("ERR_STREAM_UNABLE_TO_PIPE"), "{err}");
    }
}

#[test]
fn pipeline_from_a_destroyed_source_is_a_premature_close() {
    // Only the streams after the first are checked, as in Node: a
    // destroyed source makes the pipeline fail with a premature close.
    let result = Rc::new(RefCell::new(None));
    let r = result.clone();
    run(async move {
        let src: Readable = Readable::builder().read(|_, _| {}).build();
        src.destroy(None);
        let dst: Writable = Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let d = dst.clone();
        pipeline((src, dst), move |res| {
            assert!(d.destroyed());
            *r.borrow_mut() = Some(res)
        });
    });
    let err = result.borrow_mut().take().unwrap().unwrap_err();
    assert!(err.is_premature_close(), "{err}");
}
