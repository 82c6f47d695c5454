//! `compose(streams)`: Node's `stream.compose`, a chain of streams seen
//! from outside as one Duplex.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::duplex::{Duplex, DuplexBuilder};
use crate::pipeline::{pipeline, PipelineStreams};
use crate::stream::{
    Callback, ChunkOps, LifecycleEvent, ReadEnd, ReadableStream, WritableStream, WriteEnd,
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
}

/// Node's `onclose`: `undefined` until the inner pipeline is done, `null`
/// after, or the destroy callback waiting for it.
enum OnClose {
    Pending,
    Done,
    Waiting(Callback),
}

struct Composed<I: 'static, O: 'static> {
    head: Rc<dyn WriteEnd<I>>,
    tail: Rc<dyn ReadEnd<O>>,
    on_drain: RefCell<Option<WriteCallback>>,
    on_finish: RefCell<Option<Callback>>,
    on_readable: Cell<bool>,
    on_close: RefCell<OnClose>,
}

impl<I: 'static, O: Clone + 'static> Composed<I, O> {
    /// Moves what the tail has into the composed stream's buffer.
    fn pump(&self, d: &Duplex<O, I>) {
        loop {
            match self.tail.clone().read_any() {
                None => {
                    self.on_readable.set(true);
                    return;
                }
                Some(chunk) => {
                    if !d.push(chunk) {
                        return;
                    }
                }
            }
        }
    }
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
    let state = Rc::new(Composed {
        head: head.clone(),
        tail: tail.clone(),
        on_drain: RefCell::new(None),
        on_finish: RefCell::new(None),
        on_readable: Cell::new(false),
        on_close: RefCell::new(OnClose::Pending),
    });
    let builder: DuplexBuilder<P::Out, P::In> = DuplexBuilder::with_ops(
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
        .read(move |d, _| s_read.pump(d))
        .destroy(move |_, err, cb| {
            let pending = matches!(*s_destroy.on_close.borrow(), OnClose::Pending);
            let err = match err {
                None if pending => Some(StreamError::abort()),
                err => err,
            };
            s_destroy.on_readable.set(false);
            drop(s_destroy.on_drain.borrow_mut().take());
            drop(s_destroy.on_finish.borrow_mut().take());
            if pending {
                *s_destroy.on_close.borrow_mut() = OnClose::Waiting(cb);
                if !s_destroy.tail.destroyed() {
                    s_destroy
                        .tail
                        .clone()
                        .destroy_any(Some(err.unwrap_or_else(|| StreamError::destroyed("pipe"))));
                }
            } else {
                cb.call(err.map_or(Ok(()), Err));
            }
        })
        .build();

    let s = state.clone();
    head.on_drain(Rc::new(move || {
        let cb = s.on_drain.borrow_mut().take();
        if let Some(cb) = cb {
            cb.call(Ok(()));
        }
    }));
    let s = state.clone();
    tail.listen(
        LifecycleEvent::Finish,
        false,
        Rc::new(move |_| {
            let cb = s.on_finish.borrow_mut().take();
            if let Some(cb) = cb {
                cb.call(Ok(()));
            }
        }),
    );
    let (s, dd) = (state.clone(), d.clone());
    tail.clone().on_readable(Rc::new(move || {
        if s.on_readable.replace(false) {
            s.pump(&dd);
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
    let (s, dd) = (state, d.clone());
    pipeline(streams, move |res| {
        let waiting = std::mem::replace(&mut *s.on_close.borrow_mut(), OnClose::Done);
        match (waiting, res) {
            (OnClose::Waiting(cb), res) => cb.call(res),
            (_, Err(err)) => {
                dd.destroy(Some(err));
            }
            (_, Ok(())) => {}
        }
    });
    d
}
