//! What `pipe`, `pipeline` and `finished` need of a stream, whatever its
//! chunk types: the stream's identity, its lifecycle, and its readable or
//! writable end, behind trait objects.
//!
//! Node's helpers take any stream; ours take any [`Stream`],
//! [`ReadableStream`] or [`WritableStream`] (implemented by `Readable`,
//! `Writable`, `Duplex`, `Transform` and `PassThrough`) and erase the
//! types they do not need once, when the pipe or pipeline is set up. The
//! per-chunk path is one virtual call.

use std::fmt;
use std::rc::Rc;

use super::Core;
use crate::events::{self, ListenerId, PreparedListener};
use crate::StreamError;

/// The identity of a stream: equal for handles of the same stream. The
/// argument of the [`Pipe`](crate::events::Pipe) and
/// [`Unpipe`](crate::events::Unpipe) events (where Node passes the source
/// itself).
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{Readable, Stream};
///
/// let r = Readable::<Bytes>::builder().build();
/// assert_eq!(r.stream_id(), r.clone().stream_id());
/// assert_ne!(r.stream_id(), Readable::<Bytes>::builder().build().stream_id());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StreamId(usize);

/// Which lifecycle event a type-erased listener is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lifecycle {
    End,
    Finish,
    Close,
    Error,
}

/// A listener on a lifecycle event; the error is given for `Error` only.
pub(crate) type LifecycleListener = Rc<dyn Fn(Option<&StreamError>)>;

/// The lifecycle of any stream (Node's `isReadable`, `isWritableFinished`,
/// ... in `internal/streams/utils`).
pub(crate) trait AnyStream {
    fn id(&self) -> StreamId;
    /// Node's `isReadableNodeStream`: has a read side (not disabled by a
    /// Duplex's `readable(false)`).
    fn has_read_side(&self) -> bool;
    /// Node's `isWritableNodeStream`: has a write side (not disabled by a
    /// Duplex's `writable(false)`).
    fn has_write_side(&self) -> bool;
    /// Node's `isReadableFinished(stream, false)`: `'end'` emitted, or
    /// ended with nothing left.
    fn readable_finished(&self) -> bool;
    /// Node's `isWritableFinished(stream, false)`.
    fn writable_finished(&self) -> bool;
    /// Node's `isReadable`: readable and not finished.
    fn is_readable(&self) -> bool;
    /// Node's `isWritable`: writable and not ended.
    fn is_writable(&self) -> bool;
    /// Node's `isReadable(stream) === false`: the stream has a `readable`
    /// property (a read side, even disabled) and is not readable. A
    /// Writable has none, so for it this is false, as `null === false` is.
    fn readable_is_false(&self) -> bool;
    /// Node's `isWritable(stream) === false` (false for a Readable, which
    /// has no `writable` property).
    fn writable_is_false(&self) -> bool;
    /// Node's `stream.readable` property (false for a Writable).
    fn readable_prop(&self) -> bool;
    /// Node's `stream.writable` property (false for a Readable).
    fn writable_prop(&self) -> bool;
    /// Node's `readableState.ended && !errored && !errorEmitted`.
    fn readable_ended_cleanly(&self) -> bool;
    fn pending_cb(&self) -> usize;
    /// Node's `willEmitClose`.
    fn will_emit_close(&self) -> bool;
    fn errored(&self) -> Option<StreamError>;
    fn error_emitted(&self) -> bool;
    fn closed(&self) -> bool;
    fn destroyed(&self) -> bool;
    fn destroy_any(self: Rc<Self>, err: Option<StreamError>);
    fn listen(&self, event: Lifecycle, once: bool, listener: LifecycleListener) -> ListenerId;
    fn unlisten(&self, id: ListenerId) -> bool;
}

impl<R: 'static, W: 'static> AnyStream for Core<R, W> {
    fn id(&self) -> StreamId {
        StreamId(self as *const Self as *const () as usize)
    }

    fn has_read_side(&self) -> bool {
        self.read.as_ref().is_some_and(|rs| !rs.state.borrow().disabled)
    }

    fn has_write_side(&self) -> bool {
        self.write.as_ref().is_some_and(|ws| !ws.state.borrow().disabled)
    }

    fn readable_finished(&self) -> bool {
        let Some(rs) = &self.read else { return false };
        if self.life.is_errored() || !self.has_read_side() {
            return false;
        }
        let state = rs.state.borrow();
        state.end_emitted || (state.ended && state.length == 0)
    }

    fn writable_finished(&self) -> bool {
        let Some(ws) = &self.write else { return false };
        if !self.has_write_side() {
            return false;
        }
        let state = ws.state.borrow();
        if state.finished {
            return true;
        }
        if self.life.is_errored() {
            return false;
        }
        state.ended && state.length == 0
    }

    fn is_readable(&self) -> bool {
        let Some(rs) = &self.read else { return false };
        if self.life.destroyed.get() || self.life.error_emitted.get() {
            return false;
        }
        !rs.state.borrow().end_emitted && !self.readable_finished()
    }

    fn is_writable(&self) -> bool {
        self.is_writable() && !self.life.destroyed.get()
    }

    fn readable_is_false(&self) -> bool {
        self.read.is_some() && !AnyStream::is_readable(self)
    }

    fn writable_is_false(&self) -> bool {
        self.write.is_some() && !AnyStream::is_writable(self)
    }

    fn readable_prop(&self) -> bool {
        self.read.as_ref().is_some_and(|rs| {
            !self.life.destroyed.get()
                && !self.life.error_emitted.get()
                && !rs.state.borrow().end_emitted
        })
    }

    fn writable_prop(&self) -> bool {
        self.is_writable()
    }

    fn readable_ended_cleanly(&self) -> bool {
        self.read.as_ref().is_some_and(|rs| {
            rs.state.borrow().ended && !self.life.is_errored() && !self.life.error_emitted.get()
        })
    }

    fn pending_cb(&self) -> usize {
        self.write.as_ref().map_or(0, |ws| ws.state.borrow().pending_cb)
    }

    fn will_emit_close(&self) -> bool {
        self.life.auto_destroy && self.life.emit_close && !self.life.closed.get()
    }

    fn errored(&self) -> Option<StreamError> {
        self.life.errored()
    }

    fn error_emitted(&self) -> bool {
        self.life.error_emitted.get()
    }

    fn closed(&self) -> bool {
        self.life.closed.get()
    }

    fn destroyed(&self) -> bool {
        self.life.destroyed.get()
    }

    fn destroy_any(self: Rc<Self>, err: Option<StreamError>) {
        self.destroy(err);
    }

    fn listen(&self, event: Lifecycle, once: bool, listener: LifecycleListener) -> ListenerId {
        let e = &self.events;
        match (event, once) {
            (Lifecycle::End, false) => e.on(events::End, move |_| listener(None)),
            (Lifecycle::End, true) => e.once(events::End, move |_| listener(None)),
            (Lifecycle::Finish, false) => e.on(events::Finish, move |_| listener(None)),
            (Lifecycle::Finish, true) => e.once(events::Finish, move |_| listener(None)),
            (Lifecycle::Close, false) => e.on(events::Close, move |_| listener(None)),
            (Lifecycle::Close, true) => e.once(events::Close, move |_| listener(None)),
            (Lifecycle::Error, false) => e.on(events::Error, move |err| listener(Some(err))),
            (Lifecycle::Error, true) => e.once(events::Error, move |err| listener(Some(err))),
        }
    }

    fn unlisten(&self, id: ListenerId) -> bool {
        self.events.off(id)
    }
}

/// The writable end of a stream taking chunks of type `T`.
pub(crate) trait WriteEnd<T>: AnyStream {
    fn write(self: Rc<Self>, chunk: T) -> bool;
    /// The `'data'` listener of a pipe into this stream: it writes a copy
    /// of each chunk and calls `on_full` when the write returns `false`.
    /// Made here, where the stream's type is known, so the per-chunk call
    /// is one dynamic call into a monomorphised write.
    fn pipe_data_listener(self: Rc<Self>, on_full: Rc<dyn Fn()>) -> PreparedListener<T>
    where
        T: Clone;
    fn end(self: Rc<Self>);
    fn need_drain(&self) -> bool;
    /// Whether `pipe()` ends this stream when its source ends (false for
    /// stdout and stderr, as in Node).
    fn ended_by_pipe(&self) -> bool;
    /// Adds a listener for `'drain'`, `'unpipe'` (with the source's id) or,
    /// at the front, `'error'`.
    fn on_drain(&self, listener: Rc<dyn Fn()>) -> ListenerId;
    fn on_unpipe(&self, listener: Rc<dyn Fn(StreamId)>) -> ListenerId;
    fn prepend_error(&self, listener: Rc<dyn Fn(&StreamError)>) -> ListenerId;
    fn error_listener_count(&self) -> usize;
    fn emit_pipe(&self, source: StreamId);
    fn object_mode(&self) -> bool;
    fn emit_unpipe(&self, source: StreamId);
    fn emit_error(self: Rc<Self>, err: StreamError);
    fn error_or_destroy_any(self: Rc<Self>, err: StreamError);
}

impl<R: 'static, W: 'static> WriteEnd<W> for Core<R, W> {
    fn write(self: Rc<Self>, chunk: W) -> bool {
        self.write_piped(chunk)
    }

    fn pipe_data_listener(self: Rc<Self>, on_full: Rc<dyn Fn()>) -> PreparedListener<W>
    where
        W: Clone,
    {
        PreparedListener::new(move |chunk: &W| {
            if !self.write_piped(chunk.clone()) {
                on_full();
            }
        })
    }

    fn end(self: Rc<Self>) {
        self.end_writable(None, None);
    }

    fn need_drain(&self) -> bool {
        self.write.as_ref().is_some_and(|ws| ws.state.borrow().need_drain)
    }

    fn ended_by_pipe(&self) -> bool {
        self.write.as_ref().is_none_or(|ws| ws.ended_by_pipe)
    }

    fn on_drain(&self, listener: Rc<dyn Fn()>) -> ListenerId {
        self.events.on(events::Drain, move |_| listener())
    }

    fn on_unpipe(&self, listener: Rc<dyn Fn(StreamId)>) -> ListenerId {
        self.events.on(events::Unpipe, move |src: &StreamId| listener(*src))
    }

    fn prepend_error(&self, listener: Rc<dyn Fn(&StreamError)>) -> ListenerId {
        self.events.prepend_listener(events::Error, move |err: &StreamError| listener(err))
    }

    fn error_listener_count(&self) -> usize {
        self.events.listener_count(events::Error)
    }

    fn emit_pipe(&self, source: StreamId) {
        self.events.emit(events::Pipe, &source);
    }

    fn object_mode(&self) -> bool {
        self.ws().ops.object_mode
    }

    fn emit_unpipe(&self, source: StreamId) {
        self.events.emit(events::Unpipe, &source);
    }

    fn emit_error(self: Rc<Self>, err: StreamError) {
        self.events.emit(events::Error, &err);
    }

    fn error_or_destroy_any(self: Rc<Self>, err: StreamError) {
        self.error_or_destroy(err, false);
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// `write(chunk)` for [`WriteEnd`]: the one place its callers (a
    /// pipe's `'data'` listener, `write` through the trait) reach the
    /// write path. (Measured: letting the compiler choose whether to
    /// inline it beats forcing it either way.)
    fn write_piped(self: &Rc<Self>, chunk: W) -> bool {
        self.write_chunk(chunk, None, None).unwrap_or(false)
    }
}

/// The readable end of a stream yielding chunks of type `T`.
pub(crate) trait ReadEnd<T>: AnyStream {
    /// `source.pipe(dest, { end })`.
    fn pipe_to(self: Rc<Self>, dest: Rc<dyn WriteEnd<T>>, end: bool);
    /// Adds a `'data'` listener (which starts the flow, as in Node).
    fn on_data(self: Rc<Self>, listener: Rc<dyn Fn(&T)>) -> ListenerId;
    /// `source.pause()`.
    fn pause_flow(self: Rc<Self>);
    /// `source.resume()`.
    fn resume_flow(self: Rc<Self>);
    fn object_mode(&self) -> bool;
}

impl<R: Clone + 'static, W: 'static> ReadEnd<R> for Core<R, W> {
    fn pipe_to(self: Rc<Self>, dest: Rc<dyn WriteEnd<R>>, end: bool) {
        self.pipe(dest, end);
    }

    fn on_data(self: Rc<Self>, listener: Rc<dyn Fn(&R)>) -> ListenerId {
        self.add_listener(events::Data, move |chunk: &R| listener(chunk), crate::readable::Add::On)
    }

    fn pause_flow(self: Rc<Self>) {
        self.pause();
    }

    fn resume_flow(self: Rc<Self>) {
        self.resume();
    }

    fn object_mode(&self) -> bool {
        self.rs().object_mode
    }
}

/// A handle to any stream, with its chunk types erased (for `finished`).
#[doc(hidden)]
#[derive(Clone)]
pub struct AnyStreamRef(pub(crate) Rc<dyn AnyStream>);

/// A handle to the writable end of a stream taking `T`.
#[doc(hidden)]
pub struct WriteEndRef<T: 'static>(pub(crate) Rc<dyn WriteEnd<T>>);

/// A handle to the readable end of a stream yielding `T`.
#[doc(hidden)]
pub struct ReadEndRef<T: 'static>(pub(crate) Rc<dyn ReadEnd<T>>);

impl fmt::Debug for AnyStreamRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AnyStreamRef").field(&self.0.id()).finish()
    }
}

impl<T: 'static> fmt::Debug for WriteEndRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WriteEndRef").field(&self.0.id()).finish()
    }
}

impl<T: 'static> fmt::Debug for ReadEndRef<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ReadEndRef").field(&self.0.id()).finish()
    }
}

/// Any stream: what [`finished`](crate::finished) and
/// [`pipeline`](crate::pipeline) need.
///
/// Implemented by every stream handle of this crate; not meant to be
/// implemented elsewhere.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{Readable, Stream};
///
/// fn describe(s: &impl Stream) -> String {
///     format!("{:?}", s.stream_id())
/// }
/// let r = Readable::<Bytes>::builder().build();
/// assert!(!describe(&r).is_empty());
/// ```
pub trait Stream: Clone + 'static {
    /// The stream's identity.
    fn stream_id(&self) -> StreamId;

    #[doc(hidden)]
    fn any_stream(&self) -> AnyStreamRef;
}

/// A stream with a readable side yielding `Self::Out`: a source for
/// [`Readable::pipe`](crate::Readable::pipe) and
/// [`pipeline`](crate::pipeline).
pub trait ReadableStream: Stream {
    /// The chunk type read from the stream.
    type Out: 'static;

    #[doc(hidden)]
    fn read_end(&self) -> ReadEndRef<Self::Out>;
}

/// A stream with a writable side taking `Self::In`: a destination for
/// [`Readable::pipe`](crate::Readable::pipe) and
/// [`pipeline`](crate::pipeline).
pub trait WritableStream: Stream {
    /// The chunk type written to the stream.
    type In: 'static;

    #[doc(hidden)]
    fn write_end(&self) -> WriteEndRef<Self::In>;
}

/// Implements the three traits for a handle type over `Rc<Core<R, W>>`.
macro_rules! impl_stream_traits {
    (readable $ty:ty, $r:ty, [$($gen:tt)*]) => {
        impl<$($gen)*> $crate::stream::ReadableStream for $ty {
            type Out = $r;
            fn read_end(&self) -> $crate::stream::ReadEndRef<$r> {
                $crate::stream::ReadEndRef(self.core.clone())
            }
        }
    };
    (writable $ty:ty, $w:ty, [$($gen:tt)*]) => {
        impl<$($gen)*> $crate::stream::WritableStream for $ty {
            type In = $w;
            fn write_end(&self) -> $crate::stream::WriteEndRef<$w> {
                $crate::stream::WriteEndRef(self.core.clone())
            }
        }
    };
    (stream $ty:ty, [$($gen:tt)*]) => {
        impl<$($gen)*> $crate::stream::Stream for $ty {
            fn stream_id(&self) -> $crate::stream::StreamId {
                $crate::stream::AnyStream::id(&*self.core)
            }
            fn any_stream(&self) -> $crate::stream::AnyStreamRef {
                $crate::stream::AnyStreamRef(self.core.clone())
            }
        }
    };
}
pub(crate) use impl_stream_traits;
