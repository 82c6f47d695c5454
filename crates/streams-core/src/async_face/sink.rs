//! A writable side as a `futures::Sink`, and `write_async` / `end_async`.
//!
//! `poll_ready` is Node's backpressure contract, the loop of Node's
//! `pumpToNode` (`lib/internal/streams/pipeline.js`): write while `write()`
//! returns `true`; after a `false`, wait for `'drain'`. `start_send` is a
//! plain `write(chunk)`, with no callback and no allocation. `poll_flush`
//! waits until every chunk accepted so far was written (`writable_length`
//! is 0); `poll_close` is `end()` and waits for `'finish'`. The wake-ups
//! come from the write side itself ([`Waiters`](super::waiters::Waiters)).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::Sink;

use crate::stream::Core;
use crate::{Duplex, StreamError, Transform, Writable};

/// The write side of a `Core<R, W>` with `R` erased, for the futures of
/// `write_async` and `end_async`.
pub(crate) trait AsyncWriteEnd<W> {
    fn poll_room(&self, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>>;
    fn write_cb(
        self: Rc<Self>,
        chunk: W,
        cb: Box<dyn FnOnce(Result<(), StreamError>)>,
    ) -> Result<(), StreamError>;
    fn end_cb(self: Rc<Self>, chunk: Option<W>, cb: Box<dyn FnOnce(Result<(), StreamError>)>);
}

impl<R: 'static, W: 'static> AsyncWriteEnd<W> for Core<R, W> {
    fn poll_room(&self, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
        poll_room(self, cx)
    }

    fn write_cb(
        self: Rc<Self>,
        chunk: W,
        cb: Box<dyn FnOnce(Result<(), StreamError>)>,
    ) -> Result<(), StreamError> {
        self.write_chunk(chunk, None, Some(cb)).map(drop)
    }

    fn end_cb(self: Rc<Self>, chunk: Option<W>, cb: Box<dyn FnOnce(Result<(), StreamError>)>) {
        self.end_writable(chunk.map(|c| (c, None)), Some(cb));
    }
}

/// Why nothing more can be written, if so: `ERR_STREAM_WRITE_AFTER_END`
/// (checked first, as Node's `write` does), the error the stream failed
/// with, or `ERR_STREAM_DESTROYED`.
fn write_error<R, W>(core: &Core<R, W>) -> Option<StreamError> {
    if core.ws().state.borrow().ending {
        return Some(StreamError::write_after_end());
    }
    if let Some(err) = core.life.errored() {
        return Some(err);
    }
    if core.life.destroyed.get() {
        return Some(StreamError::destroyed("write"));
    }
    None
}

fn poll_room<R, W>(core: &Core<R, W>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
    if let Some(err) = write_error(core) {
        return Poll::Ready(Err(err));
    }
    let ws = core.ws();
    if ws.state.borrow().need_drain {
        ws.waiters.register(cx.waker());
        return Poll::Pending;
    }
    Poll::Ready(Ok(()))
}

fn poll_flushed<R, W>(core: &Core<R, W>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
    if let Some(err) = core.life.errored() {
        return Poll::Ready(Err(err));
    }
    let ws = core.ws();
    if ws.state.borrow().length == 0 {
        return Poll::Ready(Ok(()));
    }
    if core.life.destroyed.get() {
        return Poll::Ready(Err(StreamError::destroyed("write")));
    }
    ws.waiters.register(cx.waker());
    Poll::Pending
}

fn poll_closed<R: 'static, W: 'static>(
    core: &Rc<Core<R, W>>,
    cx: &mut Context<'_>,
) -> Poll<Result<(), StreamError>> {
    let ws = core.ws();
    if ws.state.borrow().finished {
        return Poll::Ready(Ok(()));
    }
    if let Some(err) = core.life.errored() {
        return Poll::Ready(Err(err));
    }
    if core.life.destroyed.get() {
        return Poll::Ready(Err(StreamError::destroyed("end")));
    }
    if !ws.state.borrow().ending {
        core.end_writable(None, None);
        return poll_closed(core, cx);
    }
    ws.waiters.register(cx.waker());
    Poll::Pending
}

macro_rules! impl_sink {
    ($ty:ident < $($p:ident),+ >, $item:ty, |$this:ident| $core:expr) => {
        /// The writable side as a `futures::Sink`: `poll_ready` is
        /// backpressure (pending after a `write()` that returned `false`,
        /// until `'drain'`), `start_send` is `write(chunk)`, `poll_flush`
        /// waits until everything accepted was written, `poll_close` is
        /// `end()` then `'finish'`.
        ///
        /// # Errors
        ///
        /// Every method fails once the stream failed (its error), was
        /// destroyed (`ERR_STREAM_DESTROYED`) or, but for `poll_flush` and
        /// `poll_close`, ended (`ERR_STREAM_WRITE_AFTER_END`).
        ///
        /// # Cancel safety
        ///
        /// `SinkExt::send` dropped while waiting for room writes nothing;
        /// once the chunk was handed over (`start_send`) it is written.
        /// `close` calls `end()` at its first poll; dropped after, the end
        /// goes on.
        impl<$($p: 'static),+> Sink<$item> for $ty<$($p),+> {
            type Error = StreamError;

            fn poll_ready(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
                let $this = &*self;
                poll_room(&$core, cx)
            }

            fn start_send(self: Pin<&mut Self>, item: $item) -> Result<(), StreamError> {
                let $this = &*self;
                $core.write_chunk(item, None, None).map(drop)
            }

            fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
                let $this = &*self;
                poll_flushed(&$core, cx)
            }

            fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
                let $this = &*self;
                poll_closed(&$core, cx)
            }
        }
    };
}

impl_sink!(Writable<T>, T, |this| this.core);
impl_sink!(Duplex<R, W>, W, |this| this.core);
impl_sink!(Transform<I, O>, I, |this| this.core);

/// Where a write or end callback leaves its result for the future that
/// waits for it.
#[derive(Default)]
struct Outcome {
    result: Option<Result<(), StreamError>>,
    waker: Option<Waker>,
}

fn settle(cell: &Rc<RefCell<Outcome>>) -> Box<dyn FnOnce(Result<(), StreamError>)> {
    let cell = cell.clone();
    Box::new(move |result| {
        let waker = {
            let mut outcome = cell.borrow_mut();
            outcome.result = Some(result);
            outcome.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    })
}

fn poll_outcome(
    cell: &Rc<RefCell<Outcome>>,
    cx: &mut Context<'_>,
) -> Poll<Result<(), StreamError>> {
    let mut outcome = cell.borrow_mut();
    match outcome.result.take() {
        Some(result) => Poll::Ready(result),
        None => {
            outcome.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

/// The future of `write_async`: waits for room, writes the chunk, then
/// waits for its callback.
///
/// # Cancel safety
///
/// Dropped while it waits for room, the chunk is dropped unwritten.
/// Dropped after, the write goes on; only its outcome is lost.
#[must_use = "futures do nothing unless polled"]
pub struct WriteAsync<T: 'static> {
    end: Rc<dyn AsyncWriteEnd<T>>,
    chunk: Option<T>,
    outcome: Option<Rc<RefCell<Outcome>>>,
}

impl<T: 'static> fmt::Debug for WriteAsync<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteAsync").field("written", &self.outcome.is_some()).finish()
    }
}

impl<T: 'static> Unpin for WriteAsync<T> {}

impl<T: 'static> Future for WriteAsync<T> {
    type Output = Result<(), StreamError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if this.outcome.is_none() {
            if let Err(err) = futures::ready!(this.end.poll_room(cx)) {
                this.chunk = None;
                return Poll::Ready(Err(err));
            }
            let Some(chunk) = this.chunk.take() else {
                return Poll::Ready(Err(StreamError::destroyed("write")));
            };
            let cell = Rc::new(RefCell::new(Outcome::default()));
            if let Err(err) = this.end.clone().write_cb(chunk, settle(&cell)) {
                return Poll::Ready(Err(err));
            }
            this.outcome = Some(cell);
        }
        let cell = this.outcome.as_ref().expect("written");
        poll_outcome(cell, cx)
    }
}

/// The future of `end_async`: resolves when the stream finishes.
///
/// # Cancel safety
///
/// `end()` is called when the future is made, not when it is polled:
/// dropping it does not undo or stop the end; only its outcome is lost.
#[must_use = "futures do nothing unless polled"]
pub struct EndAsync {
    outcome: Rc<RefCell<Outcome>>,
}

impl fmt::Debug for EndAsync {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndAsync").finish_non_exhaustive()
    }
}

impl Future for EndAsync {
    type Output = Result<(), StreamError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        poll_outcome(&self.outcome, cx)
    }
}

fn end_async<W: 'static>(end: Rc<dyn AsyncWriteEnd<W>>, chunk: Option<W>) -> EndAsync {
    let outcome = Rc::new(RefCell::new(Outcome::default()));
    end.end_cb(chunk, settle(&outcome));
    EndAsync { outcome }
}

impl<T: 'static> Writable<T> {
    /// Writes `chunk` once there is room, and resolves when it was written:
    /// Node's `if (!w.write(chunk, cb)) await once(w, 'drain')`, with the
    /// future resolving where `cb` is called.
    ///
    /// "Room" is the [`Sink`] face's: it waits only after a
    /// [`write`](Writable::write) returned `false`, until `'drain'`. Each
    /// call allocates its callback; to stream many chunks without that, use
    /// the `Sink` (`SinkExt::send_all`, `feed`).
    ///
    /// # Errors
    ///
    /// The error the chunk's callback gets: the implementation's, or
    /// `ERR_STREAM_WRITE_AFTER_END` after [`end`](Writable::end), or
    /// `ERR_STREAM_DESTROYED` (or the stream's error) after a failure.
    ///
    /// # Cancel safety
    ///
    /// Dropped before there was room, the chunk is not written. Dropped
    /// after, the write goes on and its outcome is lost.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .high_water_mark(2)
    ///         .write_async(|_, chunk, _| async move {
    ///             streams_core::immediate().await;
    ///             println!("wrote {} bytes", chunk.len());
    ///             Ok(())
    ///         })
    ///         .build();
    ///     for chunk in ["ab", "cd", "ef"] {
    ///         w.write_async(Bytes::from(chunk)).await.unwrap();
    ///     }
    ///     w.end_async(None).await.unwrap();
    ///     assert!(w.writable_finished());
    /// });
    /// ```
    pub fn write_async(&self, chunk: T) -> WriteAsync<T> {
        WriteAsync { end: self.core.clone(), chunk: Some(chunk), outcome: None }
    }

    /// Ends the stream (with a last chunk, if given) and resolves when it
    /// finished: [`end_with`](Writable::end_with) as a future.
    ///
    /// # Errors
    ///
    /// The error that kept the stream from finishing, or
    /// `ERR_STREAM_ALREADY_FINISHED` / `ERR_STREAM_DESTROYED` when it had
    /// finished or been destroyed already.
    ///
    /// # Cancel safety
    ///
    /// The stream is ended when `end_async` is called; dropping the future
    /// only loses the outcome.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     w.end_async(Bytes::from("last")).await.unwrap();
    ///     assert!(w.writable_finished());
    /// });
    /// ```
    pub fn end_async(&self, chunk: impl Into<Option<T>>) -> EndAsync {
        end_async(self.core.clone(), chunk.into())
    }
}

impl<R: 'static, W: 'static> Duplex<R, W> {
    /// [`Writable::write_async`] for the writable side.
    ///
    /// # Errors
    ///
    /// As [`Writable::write_async`].
    ///
    /// # Cancel safety
    ///
    /// As [`Writable::write_async`].
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::PassThrough;
    ///
    /// streams_core::run(async {
    ///     let p = PassThrough::object::<u8>();
    ///     p.write_async(1).await.unwrap();
    ///     assert_eq!(p.read(None), Some(1));
    /// });
    /// ```
    pub fn write_async(&self, chunk: W) -> WriteAsync<W> {
        WriteAsync { end: self.core.clone(), chunk: Some(chunk), outcome: None }
    }

    /// [`Writable::end_async`] for the writable side.
    ///
    /// # Errors
    ///
    /// As [`Writable::end_async`].
    ///
    /// # Cancel safety
    ///
    /// As [`Writable::end_async`].
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::PassThrough;
    ///
    /// streams_core::run(async {
    ///     let p = PassThrough::object::<u8>();
    ///     p.resume();
    ///     p.end_async(None).await.unwrap();
    ///     assert!(p.writable_finished());
    /// });
    /// ```
    pub fn end_async(&self, chunk: impl Into<Option<W>>) -> EndAsync {
        end_async(self.core.clone(), chunk.into())
    }
}
