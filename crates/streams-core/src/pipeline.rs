//! `pipeline(streams, callback)`: Node's `stream.pipeline`, which pipes a
//! chain of streams and, on an error anywhere, destroys them all.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::rc::Rc;

use crate::finished::{eos, Cleanup, FinishedOptions};
use crate::next_tick;
use crate::stream::{
    AnyStream, AnyStreamRef, LifecycleEvent, ReadableStream, Stream, WritableStream,
};
use crate::StreamError;

type Done = Box<dyn FnOnce(Result<(), StreamError>)>;
/// Destroys one stream of the pipeline with the pipeline's error.
type Destroy = Box<dyn FnOnce(Option<StreamError>)>;

/// One `a -> b` joint of a pipeline, with the chunk type erased.
#[doc(hidden)]
pub struct Joint {
    src: Rc<dyn AnyStream>,
    dst: Rc<dyn AnyStream>,
    /// `src.pipe(dst, { end: false })`.
    connect: Box<dyn FnOnce()>,
    /// `dst.end()`.
    end_dst: Rc<dyn Fn()>,
}

impl fmt::Debug for Joint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Joint").field("src", &self.src.id()).field("dst", &self.dst.id()).finish()
    }
}

fn joint<A, B>(a: &A, b: &B) -> Joint
where
    A: ReadableStream,
    B: WritableStream<In = A::Out>,
{
    let src = a.read_end().0;
    let dst = b.write_end().0;
    let end = dst.clone();
    Joint {
        src: a.any_stream().0,
        dst: b.any_stream().0,
        connect: Box::new(move || src.pipe_to(dst, false)),
        end_dst: Rc::new(move || end.clone().end()),
    }
}

/// The streams of a pipeline: a tuple of 2 to 6 streams, each one's
/// output type the next one's input type.
///
/// Implemented for tuples whose first element is a [`ReadableStream`],
/// whose middle elements are both, and whose last is a
/// [`WritableStream`].
pub trait PipelineStreams {
    /// The last stream, which `pipeline` returns.
    type Last: Stream;

    #[doc(hidden)]
    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, Self::Last);
}

impl<A, B> PipelineStreams for (A, B)
where
    A: ReadableStream,
    B: WritableStream<In = A::Out>,
{
    type Last = B;

    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, B) {
        let (a, b) = self;
        (vec![a.any_stream(), b.any_stream()], vec![joint(&a, &b)], b)
    }
}

impl<A, B, C> PipelineStreams for (A, B, C)
where
    A: ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out>,
{
    type Last = C;

    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, C) {
        let (a, b, c) = self;
        let streams = vec![a.any_stream(), b.any_stream(), c.any_stream()];
        (streams, vec![joint(&a, &b), joint(&b, &c)], c)
    }
}

impl<A, B, C, D> PipelineStreams for (A, B, C, D)
where
    A: ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out> + ReadableStream,
    D: WritableStream<In = C::Out>,
{
    type Last = D;

    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, D) {
        let (a, b, c, d) = self;
        let streams = vec![a.any_stream(), b.any_stream(), c.any_stream(), d.any_stream()];
        (streams, vec![joint(&a, &b), joint(&b, &c), joint(&c, &d)], d)
    }
}

impl<A, B, C, D, E> PipelineStreams for (A, B, C, D, E)
where
    A: ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out> + ReadableStream,
    D: WritableStream<In = C::Out> + ReadableStream,
    E: WritableStream<In = D::Out>,
{
    type Last = E;

    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, E) {
        let (a, b, c, d, e) = self;
        let streams =
            vec![a.any_stream(), b.any_stream(), c.any_stream(), d.any_stream(), e.any_stream()];
        (streams, vec![joint(&a, &b), joint(&b, &c), joint(&c, &d), joint(&d, &e)], e)
    }
}

impl<A, B, C, D, E, F> PipelineStreams for (A, B, C, D, E, F)
where
    A: ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out> + ReadableStream,
    D: WritableStream<In = C::Out> + ReadableStream,
    E: WritableStream<In = D::Out> + ReadableStream,
    F: WritableStream<In = E::Out>,
{
    type Last = F;

    fn into_joints(self) -> (Vec<AnyStreamRef>, Vec<Joint>, F) {
        let (a, b, c, d, e, f) = self;
        let streams = vec![
            a.any_stream(),
            b.any_stream(),
            c.any_stream(),
            d.any_stream(),
            e.any_stream(),
            f.any_stream(),
        ];
        let joints =
            vec![joint(&a, &b), joint(&b, &c), joint(&c, &d), joint(&d, &e), joint(&e, &f)];
        (streams, joints, f)
    }
}

/// The pipeline's shared state (Node's closure over `error`, `destroys`,
/// `finishCount`).
struct Pipeline {
    error: RefCell<Option<StreamError>>,
    destroys: RefCell<VecDeque<Destroy>>,
    finish_count: Cell<usize>,
    callback: RefCell<Option<Done>>,
    last_cleanup: RefCell<Vec<Box<dyn FnOnce()>>>,
}

impl Pipeline {
    /// One part is done (`final` when it was the last one).
    fn finish(self: &Rc<Self>, err: Option<StreamError>) {
        let left = self.finish_count.get().saturating_sub(1);
        self.finish_count.set(left);
        self.finish_impl(err, left == 0);
    }

    fn finish_impl(self: &Rc<Self>, err: Option<StreamError>, last: bool) {
        if let Some(err) = err {
            let mut error = self.error.borrow_mut();
            let replace = error.as_ref().is_none_or(|e| e.is_premature_close() || e.is_abort());
            if replace {
                *error = Some(err);
            }
        }
        let error = self.error.borrow().clone();
        if error.is_none() && !last {
            return;
        }
        loop {
            let destroy = self.destroys.borrow_mut().pop_front();
            match destroy {
                Some(destroy) => destroy(error.clone()),
                None => break,
            }
        }
        if last {
            if error.is_none() {
                let cleanups = std::mem::take(&mut *self.last_cleanup.borrow_mut());
                for cleanup in cleanups {
                    cleanup();
                }
            }
            let callback = self.callback.borrow_mut().take();
            if let Some(callback) = callback {
                next_tick(move || callback(error.map_or(Ok(()), Err)));
            }
        }
    }
}

/// Node's `destroyer(stream, reading, writing)`: destroys the stream with
/// the pipeline's error unless it already finished cleanly.
fn destroyer(stream: &Rc<dyn AnyStream>, reading: bool, writing: bool) -> (Destroy, Cleanup) {
    let finished = Rc::new(Cell::new(false));
    let f = finished.clone();
    stream.listen(LifecycleEvent::Close, false, Rc::new(move |_| f.set(true)));
    let f = finished.clone();
    let options = FinishedOptions { readable: Some(reading), writable: Some(writing), error: true };
    let cleanup = eos(stream.clone(), options, Box::new(move |res| f.set(res.is_ok())));
    let stream = stream.clone();
    let destroy = Box::new(move |err: Option<StreamError>| {
        if finished.replace(true) {
            return;
        }
        if !stream.destroyed() {
            stream.destroy_any(Some(err.unwrap_or_else(|| StreamError::destroyed("pipe"))));
        }
    });
    (destroy, cleanup)
}

/// Node's internal `pipe(src, dst, finish, finishOnlyHandleError)`.
fn pipe(pl: &Rc<Pipeline>, joint: Joint) -> Cleanup {
    let Joint { src, dst, connect, end_dst } = joint;
    let ended = Rc::new(Cell::new(false));
    {
        let (pl, ended) = (pl.clone(), ended.clone());
        dst.listen(
            LifecycleEvent::Close,
            false,
            Rc::new(move |_| {
                if !ended.get() {
                    // The destination closed before the source completed.
                    pl.finish_impl(Some(StreamError::premature_close()), false);
                }
            }),
        );
    }
    connect();
    let end_fn = {
        let ended = ended.clone();
        move || {
            ended.set(true);
            end_dst();
        }
    };
    if src.readable_finished() {
        next_tick(end_fn);
    } else {
        src.listen(LifecycleEvent::End, true, Rc::new(move |_| end_fn()));
    }
    let on_src = {
        let (pl, src_weak) = (pl.clone(), Rc::downgrade(&src));
        Box::new(move |res: Result<(), StreamError>| {
            let src = src_weak.upgrade();
            match (res, src) {
                (Err(err), Some(src))
                    if err.is_premature_close() && src.readable_ended_cleanly() =>
                {
                    // Some streams close before 'end'; 'end' will still come.
                    let p = pl.clone();
                    src.listen(LifecycleEvent::End, true, Rc::new(move |_| p.finish(None)));
                    let p = pl.clone();
                    src.listen(
                        LifecycleEvent::Error,
                        true,
                        Rc::new(move |err| p.finish(err.cloned())),
                    );
                }
                (res, _) => pl.finish(res.err()),
            }
        })
    };
    let _ = eos(
        src,
        FinishedOptions { readable: Some(true), writable: Some(false), error: true },
        on_src,
    );
    let p = pl.clone();
    eos(
        dst,
        FinishedOptions { readable: Some(false), writable: Some(true), error: true },
        Box::new(move |res| p.finish(res.err())),
    )
}

/// Pipes `streams` into each other, first to last, and calls `callback`
/// once, when the last stream has finished (`Ok`) or when any stream
/// failed (`Err`, with the first error). On an error every stream of the
/// chain is destroyed, with that error — which plain
/// [`pipe`](crate::Readable::pipe) does not do. Returns the last stream.
/// Node's `stream.pipeline(...streams, callback)`.
///
/// `streams` is a tuple of 2 to 6 streams, e.g. `(source, transform,
/// destination)`. For the async form see
/// [`promises::pipeline`](crate::promises::pipeline).
///
/// # Errors
///
/// The callback receives the first error of any stream (or
/// `ERR_STREAM_PREMATURE_CLOSE` if one closed early), and
/// `ERR_STREAM_UNABLE_TO_PIPE` when a stream after the first is already
/// closed or destroyed (then nothing is piped).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::{pipeline, PassThrough, Readable, Writable};
///
/// let result = Rc::new(RefCell::new(None));
/// let r = result.clone();
/// streams_core::run(async move {
///     let src = Readable::from_iter([Bytes::from("a"), Bytes::from("b")]);
///     let sink = Writable::<Bytes>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
///     pipeline((src, PassThrough::object(), sink), move |res| *r.borrow_mut() = Some(res));
/// });
/// assert!(matches!(*result.borrow(), Some(Ok(()))));
/// ```
pub fn pipeline<P: PipelineStreams>(
    streams: P,
    callback: impl FnOnce(Result<(), StreamError>) + 'static,
) -> P::Last {
    let (streams, joints, last) = streams.into_joints();
    let streams = streams.into_iter().map(|s| s.0).collect();
    run_pipeline(streams, joints, Box::new(callback));
    last
}

fn run_pipeline(streams: Vec<Rc<dyn AnyStream>>, joints: Vec<Joint>, callback: Done) {
    if streams.iter().skip(1).any(|s| s.closed() || s.destroyed()) {
        next_tick(move || callback(Err(StreamError::unable_to_pipe())));
        return;
    }
    let pl = Rc::new(Pipeline {
        error: RefCell::new(None),
        destroys: RefCell::new(VecDeque::new()),
        finish_count: Cell::new(0),
        callback: RefCell::new(Some(callback)),
        last_cleanup: RefCell::new(Vec::new()),
    });
    let count = streams.len();
    let mut joints = joints.into_iter();
    for (i, stream) in streams.iter().enumerate() {
        let reading = i + 1 < count;
        let writing = i > 0;
        let is_last = i + 1 == count;
        let (destroy, cleanup) = destroyer(stream, reading, writing);
        pl.destroys.borrow_mut().push_back(destroy);
        let last_readable = is_last && stream.is_readable();
        if last_readable {
            pl.last_cleanup.borrow_mut().push(Box::new(move || cleanup.cleanup()));
        } else {
            drop(cleanup);
        }
        // Errors that come after the piping is complete.
        let p = pl.clone();
        let id = stream.listen(
            LifecycleEvent::Error,
            false,
            Rc::new(move |err| {
                if let Some(err) = err {
                    if !err.is_abort() && !err.is_premature_close() {
                        p.finish_impl(Some(err.clone()), false);
                    }
                }
            }),
        );
        if last_readable {
            let s = Rc::downgrade(stream);
            pl.last_cleanup.borrow_mut().push(Box::new(move || {
                if let Some(s) = s.upgrade() {
                    s.unlisten(id);
                }
            }));
        }
        if i > 0 {
            pl.finish_count.set(pl.finish_count.get() + 2);
            let Some(joint) = joints.next() else { break };
            let cleanup = pipe(&pl, joint);
            if last_readable {
                pl.last_cleanup.borrow_mut().push(Box::new(move || cleanup.cleanup()));
            } else {
                drop(cleanup);
            }
        }
    }
}
