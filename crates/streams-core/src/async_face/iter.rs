//! A readable side as a `futures::Stream`: Node's async iterator
//! (`readable[Symbol.asyncIterator]()`, `createAsyncIterator` in Node's
//! `lib/internal/streams/readable.js`).
//!
//! Node's iterator listens to `'readable'`, watches the stream with
//! `finished(stream, { writable: false })`, and loops: `read()`; a chunk is
//! yielded; no chunk and an error throws it; no chunk and the stream done
//! returns; otherwise it waits for the next `'readable'` or for the end.
//! Returning early (`break`) destroys the stream, with an `AbortError` if
//! it was not finished, unless `destroyOnReturn: false`. This is that loop
//! as `poll_next`, and the `finally` block as [`finish`], run when the
//! stream ends or fails, or when the handle is dropped mid-way.

use std::cell::{Cell, RefCell};
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use futures::stream::FusedStream;

use crate::events::{self, ListenerId};
use crate::finished::{eos, Cleanup, FinishedOptions};
use crate::readable::Add;
use crate::stream::{AnyStream, Core};
use crate::{Duplex, Readable, StreamError, Transform};

/// The options of [`Readable::iter`] (Node's `readable.iterator(options)`).
///
/// # Examples
///
/// ```
/// use streams_core::IterOptions;
///
/// assert!(IterOptions::default().destroy_on_return);
/// let keep = IterOptions { destroy_on_return: false };
/// assert_ne!(keep, IterOptions::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IterOptions {
    /// Destroy the stream when the consumer stops before the end (drops the
    /// handle it iterates with): Node's `destroyOnReturn`, default true.
    /// The stream is destroyed with `ABORT_ERR` unless it had finished.
    pub destroy_on_return: bool,
}

impl Default for IterOptions {
    fn default() -> Self {
        IterOptions { destroy_on_return: true }
    }
}

/// Node's `error` variable in `createAsyncIterator`: `undefined` while the
/// stream goes on, `null` once it ended, or the error it failed with.
#[derive(Clone)]
enum Outcome {
    Going,
    Ended,
    Failed(StreamError),
}

/// What the `'readable'` listener and the `finished` callback share with
/// the iterating handle.
struct Shared {
    waker: RefCell<Option<Waker>>,
    /// Something happened since the handle last looked.
    notified: Cell<bool>,
    outcome: RefCell<Outcome>,
}

impl Shared {
    fn notify(&self) {
        self.notified.set(true);
        let waker = self.waker.borrow_mut().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

struct Active {
    shared: Rc<Shared>,
    listener: ListenerId,
    cleanup: Cleanup,
}

/// An iteration that has started.
enum Phase {
    Active(Active),
    /// Ended, failed or finished early: polls return `None`.
    Done,
}

/// A stream handle's iteration state (a field of `Readable` and `Duplex`).
/// Cloning a handle gives a handle that has not started iterating.
///
/// Most handles never iterate (the builders' hooks make one per call), so
/// the idle state is a null pointer with no drop glue: the handle's `Drop`
/// tests it inline and releases a started iteration out of line
/// ([`IterSlot::release`]).
#[derive(Default)]
pub(crate) struct IterSlot {
    options: IterOptions,
    /// `None` until first polled: nothing is listening. Released by the
    /// handle's `Drop`, never by the slot's own drop glue.
    phase: ManuallyDrop<Option<Box<Phase>>>,
}

impl Clone for IterSlot {
    fn clone(&self) -> Self {
        IterSlot::with_options(self.options)
    }
}

impl IterSlot {
    fn with_options(options: IterOptions) -> IterSlot {
        IterSlot { options, phase: ManuallyDrop::new(None) }
    }

    /// Whether the handle's iteration ever started (its `Drop` has work).
    #[inline]
    fn started(&self) -> bool {
        self.phase.is_some()
    }

    fn is_terminated(&self) -> bool {
        matches!(self.phase.as_deref(), Some(Phase::Done))
    }
}

/// The handle's `Drop` once its iteration started: Node's `finally` block
/// if it is still going, then the state itself is freed.
#[cold]
#[inline(never)]
fn release<R: 'static, W: 'static>(core: &Rc<Core<R, W>>, slot: &mut IterSlot) {
    if matches!(slot.phase.as_deref(), Some(Phase::Active(_))) {
        finish(core, slot, Outcome::Going);
    }
    drop(slot.phase.take());
}

/// Node's iterator loop, for any stream with a read side.
fn poll_next_chunk<R: 'static, W: 'static>(
    core: &Rc<Core<R, W>>,
    slot: &mut IterSlot,
    cx: &mut Context<'_>,
) -> Poll<Option<Result<R, StreamError>>> {
    let phase = slot.phase.get_or_insert_with(|| Box::new(Phase::Active(start(core))));
    let Phase::Active(active) = &**phase else { return Poll::Ready(None) };
    let shared = active.shared.clone();
    loop {
        shared.notified.set(false);
        let chunk = if core.life.destroyed.get() { None } else { core.read_next() };
        if let Some(chunk) = chunk {
            return Poll::Ready(Some(Ok(chunk)));
        }
        let outcome = shared.outcome.borrow().clone();
        match outcome {
            Outcome::Failed(err) => {
                finish(core, slot, Outcome::Failed(err.clone()));
                return Poll::Ready(Some(Err(err)));
            }
            Outcome::Ended => {
                finish(core, slot, Outcome::Ended);
                return Poll::Ready(None);
            }
            Outcome::Going => {
                // An event during read() (or since the last poll) may have
                // been the one to wait for: look again rather than sleep.
                if shared.notified.get() {
                    continue;
                }
                *shared.waker.borrow_mut() = Some(cx.waker().clone());
                return Poll::Pending;
            }
        }
    }
}

/// The iterator's first step: the `'readable'` listener (which also
/// switches the stream to paused mode) and `finished(stream, { writable:
/// false })`.
fn start<R: 'static, W: 'static>(core: &Rc<Core<R, W>>) -> Active {
    let shared = Rc::new(Shared {
        waker: RefCell::new(None),
        notified: Cell::new(false),
        outcome: RefCell::new(Outcome::Going),
    });
    let s = shared.clone();
    let listener = core.add_listener(events::Readable, move |_| s.notify(), Add::On);
    let s = shared.clone();
    let options = FinishedOptions { readable: None, writable: Some(false), error: true };
    let cleanup = eos(
        core.clone(),
        options,
        Box::new(move |result| {
            *s.outcome.borrow_mut() = match result {
                Ok(()) => Outcome::Ended,
                Err(err) => Outcome::Failed(err),
            };
            s.notify();
        }),
    );
    Active { shared, listener, cleanup }
}

/// Node's `finally` block: destroy the stream (with `ABORT_ERR` if it had
/// not finished), or, with `destroy_on_return: false`, only stop listening.
#[inline(never)]
fn finish<R: 'static, W: 'static>(core: &Rc<Core<R, W>>, slot: &mut IterSlot, outcome: Outcome) {
    let Some(phase) = slot.phase.as_deref_mut() else { return };
    let Phase::Active(active) = std::mem::replace(phase, Phase::Done) else { return };
    let (going, failed, ended) = match &outcome {
        Outcome::Going => (true, false, false),
        Outcome::Failed(_) => (false, true, false),
        Outcome::Ended => (false, false, true),
    };
    // A duplex whose writable side is still open stays open after its
    // readable side ended.
    let preserve_half_open = ended && core.allow_half_open && core.is_writable();
    let destroy = (failed || slot.options.destroy_on_return)
        && (going || core.life.auto_destroy)
        && !preserve_half_open;
    let Active { shared, listener, cleanup } = active;
    drop(shared);
    if destroy {
        destroyer(core);
    } else {
        core.remove_listener(listener);
        cleanup.cleanup();
    }
}

/// Node's `destroyImpl.destroyer(stream, null)`.
fn destroyer<R: 'static, W: 'static>(core: &Rc<Core<R, W>>) {
    if core.life.destroyed.get() {
        return;
    }
    // Node's `isFinished`: neither side readable or writable any more.
    let finished = !AnyStream::is_readable(&**core) && !AnyStream::is_writable(&**core);
    core.destroy((!finished).then(StreamError::abort));
}

/// Implements `futures::Stream`, `FusedStream`, `Drop` and `iter()` for a
/// handle with `core` and `iter` fields.
macro_rules! impl_iteration {
    ($ty:ident < $($p:ident),+ >, $item:ty) => {
        impl<$($p: 'static),+> futures::Stream for $ty<$($p),+> {
            type Item = Result<$item, StreamError>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                let this = self.get_mut();
                poll_next_chunk(&this.core, &mut this.iter, cx)
            }
        }

        impl<$($p: 'static),+> FusedStream for $ty<$($p),+> {
            fn is_terminated(&self) -> bool {
                self.iter.is_terminated()
            }
        }

        impl<$($p: 'static),+> Drop for $ty<$($p),+> {
            #[inline]
            fn drop(&mut self) {
                if self.iter.started() {
                    release(&self.core, &mut self.iter);
                }
            }
        }
    };
}

impl_iteration!(Readable<T>, T);
impl_iteration!(Duplex<R, W>, R);

impl<T: 'static> Readable<T> {
    /// A handle to this stream that iterates it with `options` (Node's
    /// `readable.iterator(options)`): with `destroy_on_return: false`,
    /// dropping it before the end leaves the stream open, to be read on.
    ///
    /// Every `Readable` is a `futures::Stream` of `Result<T, StreamError>`
    /// (Node's `for await (const chunk of readable)`): it reads in paused
    /// mode, one [`read`](Readable::read) per item, so a byte stream yields
    /// what is buffered at once as one chunk. After `'end'` (and `'close'`)
    /// it yields `None`; after `'error'`, that error once, then `None`.
    /// Dropping the handle before the end destroys the stream with
    /// `ABORT_ERR`, as breaking out of a `for await` loop does; a handle
    /// from `iter` with `destroy_on_return: false` does not.
    ///
    /// # Cancel safety
    ///
    /// `next().await` is cancel safe: dropping it before it resolves loses
    /// no chunk (a chunk is only read when it is returned).
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::StreamExt;
    /// use streams_core::{IterOptions, Readable};
    ///
    /// streams_core::run(async {
    ///     let r = Readable::from_iter([1, 2, 3]);
    ///     let mut first = r.iter(IterOptions { destroy_on_return: false });
    ///     assert_eq!(first.next().await.unwrap().unwrap(), 1);
    ///     drop(first); // not destroyed: read on with another handle
    ///     assert!(!r.destroyed());
    ///     let rest: Vec<i32> = r.clone().map(Result::unwrap).collect().await;
    ///     assert_eq!(rest, [2, 3]);
    /// });
    /// ```
    pub fn iter(&self, options: IterOptions) -> Readable<T> {
        Readable { core: self.core.clone(), iter: IterSlot::with_options(options) }
    }
}

impl<R: 'static, W: 'static> Duplex<R, W> {
    /// A handle to this stream that iterates its readable side with
    /// `options`; see [`Readable::iter`]. A Duplex, like a Readable, is a
    /// `futures::Stream` of its readable side (and a `futures::Sink` of its
    /// writable side).
    ///
    /// # Cancel safety
    ///
    /// As [`Readable::iter`].
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{SinkExt, StreamExt};
    /// use streams_core::PassThrough;
    ///
    /// streams_core::run(async {
    ///     let p = PassThrough::object::<u32>();
    ///     let mut sink = p.clone();
    ///     sink.send(7).await.unwrap();
    ///     sink.close().await.unwrap();
    ///     let got: Vec<u32> = p.iter(Default::default()).map(Result::unwrap).collect().await;
    ///     assert_eq!(got, [7]);
    /// });
    /// ```
    pub fn iter(&self, options: IterOptions) -> Duplex<R, W> {
        Duplex { core: self.core.clone(), iter: IterSlot::with_options(options) }
    }
}

impl<I: 'static, O: 'static> futures::Stream for Transform<I, O> {
    type Item = Result<O, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(self.get_mut().duplex_mut()).poll_next(cx)
    }
}

impl<I: 'static, O: 'static> FusedStream for Transform<I, O> {
    fn is_terminated(&self) -> bool {
        let duplex: &Duplex<O, I> = self;
        duplex.is_terminated()
    }
}
