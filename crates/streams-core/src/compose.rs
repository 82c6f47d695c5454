//! `compose(streams)`: Node's `stream.compose`, a chain of streams seen
//! from outside as one Duplex.

use std::cell::RefCell;
use std::rc::Rc;

use crate::duplex::{Duplex, DuplexBuilder};
use crate::finished::{eos, FinishedOptions};
use crate::pipeline::{pipeline, PipelineStreams};
use crate::stream::{
    AnyStreamRef, Callback, ChunkOps, LifecycleEvent, ReadEnd, ReadableStream, WritableStream,
    WriteEnd,
};
use crate::writable::WriteCallback;
use crate::StreamError;

/// The streams [`compose`] takes: a tuple of 2 to 4 streams whose first
/// takes writes and whose last can be read, each one's output the next
/// one's input.
pub trait ComposeStreams: PipelineStreams {
    /// What the composed stream takes: the first stream's input.
    type In: 'static;
    /// What the composed stream yields: the last stream's output.
    type Out: Clone + 'static;

    #[doc(hidden)]
    fn head(&self) -> crate::stream::WriteEndRef<Self::In>;
    #[doc(hidden)]
    fn tail(&self) -> crate::stream::ReadEndRef<Self::Out>;
    #[doc(hidden)]
    fn tail_stream(&self) -> AnyStreamRef;
}

impl<A, B> ComposeStreams for (A, B)
where
    A: WritableStream + ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    B::Out: Clone,
{
    type In = A::In;
    type Out = B::Out;

    fn head(&self) -> crate::stream::WriteEndRef<A::In> {
        self.0.write_end()
    }

    fn tail(&self) -> crate::stream::ReadEndRef<B::Out> {
        self.1.read_end()
    }

    fn tail_stream(&self) -> AnyStreamRef {
        self.1.any_stream()
    }
}

impl<A, B, C> ComposeStreams for (A, B, C)
where
    A: WritableStream + ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out> + ReadableStream,
    C::Out: Clone,
{
    type In = A::In;
    type Out = C::Out;

    fn head(&self) -> crate::stream::WriteEndRef<A::In> {
        self.0.write_end()
    }

    fn tail(&self) -> crate::stream::ReadEndRef<C::Out> {
        self.2.read_end()
    }

    fn tail_stream(&self) -> AnyStreamRef {
        self.2.any_stream()
    }
}

impl<A, B, C, D> ComposeStreams for (A, B, C, D)
where
    A: WritableStream + ReadableStream,
    B: WritableStream<In = A::Out> + ReadableStream,
    C: WritableStream<In = B::Out> + ReadableStream,
    D: WritableStream<In = C::Out> + ReadableStream,
    D::Out: Clone,
{
    type In = A::In;
    type Out = D::Out;

    fn head(&self) -> crate::stream::WriteEndRef<A::In> {
        self.0.write_end()
    }

    fn tail(&self) -> crate::stream::ReadEndRef<D::Out> {
        self.3.read_end()
    }

    fn tail_stream(&self) -> AnyStreamRef {
        self.3.any_stream()
    }
}

/// Node's `onclose`: `undefined` until the inner pipeline is done, `null`
/// after, or the destroy callback waiting for it.
enum OnClose {
    Pending,
    Done,
    Waiting(Callback),
}

/// What the composed stream's hooks and its listeners on the inner
/// streams share (Node's closure over `ondrain`, `onfinish`, `onclose`).
struct Composed<I: 'static, O: 'static> {
    head: Rc<dyn WriteEnd<I>>,
    tail: Rc<dyn ReadEnd<O>>,
    on_drain: RefCell<Option<WriteCallback>>,
    on_finish: RefCell<Option<Callback>>,
    on_close: RefCell<OnClose>,
}

/// Makes one [`Duplex`] of a chain of streams (Node's `stream.compose`):
/// what is written to it goes to the first stream, what it yields comes
/// from the last, and the chain is joined with [`pipeline`], so an error
/// anywhere destroys every stream and the composed one.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{compose, Transform};
///
/// let upper = Transform::<Bytes, Bytes>::builder()
///     .transform(|_, c, _, cb| cb.call(Ok(Some(Bytes::from(c.to_ascii_uppercase())))))
///     .build();
/// let exclaim = Transform::<Bytes, Bytes>::builder()
///     .transform(|_, c, _, cb| cb.call(Ok(Some(Bytes::from([&c[..], b"!"].concat())))))
///     .build();
/// let both = compose((upper, exclaim));
/// streams_core::run(async move {
///     both.write(Bytes::from("hi"));
///     streams_core::immediate().await;
///     assert_eq!(both.read(None).as_deref(), Some(&b"HI!"[..]));
///     both.destroy(None);
/// });
/// ```
pub fn compose<P: ComposeStreams>(streams: P) -> Duplex<P::Out, P::In> {
    let head = streams.head().0;
    let tail = streams.tail().0;
    let tail_stream = streams.tail_stream().0;
    join(head, tail, FinishWhen::TailDone(tail_stream), move |done| {
        pipeline(streams, done);
    })
}

/// When the joined Duplex's `final` is done.
enum FinishWhen {
    /// `compose`: the tail is ended, finished and closed (Node's
    /// `eos(tail, ...)`).
    TailDone(Rc<dyn crate::stream::AnyStream>),
    /// `Duplex.from({ readable, writable })`: the writable emitted
    /// `'finish'` (Node's `duplexify`).
    Finish(Rc<dyn crate::stream::AnyStream>),
}

/// One Duplex in front of a writable `head` and a readable `tail` (Node's
/// `duplexify` / `compose`): writes go to `head`, honouring its
/// backpressure; `end()` ends it; what `tail` yields is pushed; destroying
/// the Duplex destroys `tail`. `connect` is handed the callback to call
/// once the inner streams are done (with their error, if any); it must
/// arrange that an error destroys every inner stream.
fn join<I: 'static, O: Clone + 'static>(
    head: Rc<dyn WriteEnd<I>>,
    tail: Rc<dyn ReadEnd<O>>,
    finish_when: FinishWhen,
    connect: impl FnOnce(Box<dyn FnOnce(Result<(), StreamError>)>),
) -> Duplex<O, I> {
    let state = Rc::new(Composed {
        head: head.clone(),
        tail: tail.clone(),
        on_drain: RefCell::new(None),
        on_finish: RefCell::new(None),
        on_close: RefCell::new(OnClose::Pending),
    });
    let builder: DuplexBuilder<O, I> = DuplexBuilder::with_ops(
        ChunkOps::matching(tail.object_mode()),
        ChunkOps::matching(head.object_mode()),
    );
    let (s_write, s_final, s_read, s_destroy) =
        (state.clone(), state.clone(), state.clone(), state.clone());
    let d = builder
        .write(move |_, chunk, _, cb| {
            if s_write.head.clone().write(chunk) {
                cb.call(Ok(()));
            } else {
                *s_write.on_drain.borrow_mut() = Some(cb);
            }
        })
        .final_(move |_, cb| {
            s_final.head.clone().end();
            *s_final.on_finish.borrow_mut() = Some(cb);
        })
        .read(move |_, _| s_read.tail.clone().resume_flow())
        .destroy(move |_, err, cb| {
            let done = matches!(*s_destroy.on_close.borrow(), OnClose::Done);
            let err = match err {
                None if !done => Some(StreamError::abort()),
                err => err,
            };
            drop(s_destroy.on_drain.borrow_mut().take());
            drop(s_destroy.on_finish.borrow_mut().take());
            // Node's `destroyer(tail, err)`.
            let tail = &s_destroy.tail;
            if !tail.destroyed() {
                let finished = !tail.is_readable() && !tail.is_writable();
                let err = err.clone().or_else(|| (!finished).then(StreamError::abort));
                tail.clone().destroy_any(err);
            }
            if done {
                cb.call(err.map_or(Ok(()), Err));
            } else {
                *s_destroy.on_close.borrow_mut() = OnClose::Waiting(cb);
            }
        })
        .build();

    // In Node's order: the inner streams' own listeners first.
    let (s, dd) = (state.clone(), d.clone());
    connect(Box::new(move |res| {
        let waiting = std::mem::replace(&mut *s.on_close.borrow_mut(), OnClose::Done);
        match (waiting, res) {
            (OnClose::Waiting(cb), res) => cb.call(res),
            (_, Err(err)) => {
                dd.destroy(Some(err));
            }
            (_, Ok(())) => {}
        }
    }));
    let s = state.clone();
    head.on_drain(Rc::new(move || {
        let cb = s.on_drain.borrow_mut().take();
        if let Some(cb) = cb {
            cb.call(Ok(()));
        }
    }));
    // The composed stream finishes once the tail is done: ended, finished
    // and closed (Node's `eos(tail, () => onfinish())`, whatever the
    // result: an error destroys the composed stream through the pipeline).
    let s = state.clone();
    let on_tail_done = move |_| {
        let cb = s.on_finish.borrow_mut().take();
        if let Some(cb) = cb {
            cb.call(Ok(()));
        }
    };
    match finish_when {
        FinishWhen::TailDone(tail) => {
            drop(eos(tail, FinishedOptions::default(), Box::new(on_tail_done)));
        }
        FinishWhen::Finish(writable) => {
            writable.listen(LifecycleEvent::Finish, false, Rc::new(move |_| on_tail_done(Ok(()))));
        }
    }
    // The tail flows into the composed stream's buffer until it is full
    // (Node's `tail.on('data')`, paused when `push` says so, resumed by the
    // composed stream's `read`). Each chunk is cloned, as into a pipe's
    // destination.
    let (s, dd) = (state, d.clone());
    tail.clone().on_data(Rc::new(move |chunk: &O| {
        if !dd.push(chunk.clone()) {
            s.tail.clone().pause_flow();
        }
    }));
    let dd = d.clone();
    tail.listen(
        LifecycleEvent::End,
        false,
        Rc::new(move |_| {
            dd.push(None);
        }),
    );
    d
}

/// Watches both ends of a pair until both are done; an error on either
/// destroys the other, and `done` gets the first error.
fn watch_pair(
    readable: Rc<dyn crate::stream::AnyStream>,
    writable: Rc<dyn crate::stream::AnyStream>,
    done: Box<dyn FnOnce(Result<(), StreamError>)>,
) {
    let done = Rc::new(RefCell::new(Some(done)));
    let left = Rc::new(std::cell::Cell::new(2u8));
    for (this, other) in [(readable.clone(), writable.clone()), (writable, readable)] {
        let (done, left, other) = (done.clone(), left.clone(), Rc::downgrade(&other));
        let on_done = move |res: Result<(), StreamError>| match res {
            Err(err) => {
                if let Some(other) = other.upgrade() {
                    if !other.destroyed() {
                        other.destroy_any(Some(err.clone()));
                    }
                }
                let done = done.borrow_mut().take();
                if let Some(done) = done {
                    done(Err(err));
                }
            }
            Ok(()) => {
                left.set(left.get() - 1);
                if left.get() == 0 {
                    let done = done.borrow_mut().take();
                    if let Some(done) = done {
                        done(Ok(()));
                    }
                }
            }
        };
        drop(eos(this, FinishedOptions::default(), Box::new(on_done)));
    }
}

impl<R: Clone + 'static, W: 'static> Duplex<R, W> {
    /// One Duplex of a readable and a writable stream (Node's
    /// `Duplex.from({ readable, writable })`): what is written to it goes to
    /// `writable`, what it yields comes from `readable`. An error on either
    /// destroys both and the Duplex; destroying the Duplex destroys both.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Duplex, Readable, Writable};
    ///
    /// streams_core::run(async {
    ///     let incoming = Readable::from_iter([Bytes::from("pong")]);
    ///     let outgoing = Writable::<Bytes>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     let d = Duplex::from_pair(&incoming, &outgoing);
    ///     d.write(Bytes::from("ping"));
    ///     streams_core::immediate().await;
    ///     assert_eq!(d.read(None).as_deref(), Some(&b"pong"[..]));
    ///     d.end(None);
    /// });
    /// ```
    pub fn from_pair<A, B>(readable: &A, writable: &B) -> Duplex<R, W>
    where
        A: ReadableStream<Out = R>,
        B: WritableStream<In = W>,
    {
        let (r_any, w_any) = (readable.any_stream().0, writable.any_stream().0);
        let finish = FinishWhen::Finish(w_any.clone());
        join(writable.write_end().0, readable.read_end().0, finish, move |done| {
            watch_pair(r_any, w_any, done)
        })
    }
}
