//! The writable side of a stage or a consumer, seen by its async body as a
//! `futures::Stream`: Node's `fromAsyncGen` in
//! `lib/internal/streams/duplexify.js`, where `write` hands the chunk to
//! the generator's source and its callback runs (on the next tick) once
//! the generator has taken it.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures::stream::FusedStream;
use futures::Stream;

use crate::event_loop::next_tick_shared;
use crate::next_tick;
use crate::stream::Callback;
use crate::writable::WriteCallback;
use crate::StreamError;

/// What the source's consumer is told with, in place of a wake-up.
pub(crate) type Notify = Rc<dyn Fn(Waker)>;

/// One chunk at a time from the write side to the body.
pub(crate) struct Inbox<I> {
    chunk: Cell<Option<I>>,
    /// The callback of the write of `chunk`.
    write_cb: Cell<Option<WriteCallback>>,
    /// A taken chunk's callback, called on the next tick by `ack_job`.
    ack: Cell<Option<WriteCallback>>,
    ack_job: Rc<dyn Fn()>,
    /// The `final` hook's callback: the input is over once `chunk` is
    /// empty.
    end_cb: Cell<Option<Callback>>,
    ended: Cell<bool>,
    /// Whether the body completes the end itself (a consumer's `final`
    /// waits for its function to return) rather than the source.
    hold_end: bool,
    /// The stream was destroyed: the source yields this, then ends.
    failed: RefCell<Option<StreamError>>,
    /// The source is gone: input is acknowledged and dropped.
    dropped: Cell<bool>,
    waker: RefCell<Option<Waker>>,
    /// Called with the waker instead of waking it (see `Pump::notifier`).
    notify: RefCell<Option<Notify>>,
    /// The source is waiting for input (see `Driver`: upstream keeps the
    /// loop alive then, not this stage).
    pub(crate) waiting: Rc<Cell<bool>>,
}

impl<I: 'static> Inbox<I> {
    pub(crate) fn new(hold_end: bool) -> Rc<Inbox<I>> {
        Rc::new_cyclic(|me: &Weak<Inbox<I>>| {
            let me = me.clone();
            Inbox {
                chunk: Cell::new(None),
                write_cb: Cell::new(None),
                ack: Cell::new(None),
                ack_job: Rc::new(move || {
                    let ack = me.upgrade().and_then(|inbox| inbox.ack.take());
                    if let Some(cb) = ack {
                        cb.call(Ok(()));
                    }
                }),
                end_cb: Cell::new(None),
                ended: Cell::new(false),
                hold_end,
                failed: RefCell::new(None),
                dropped: Cell::new(false),
                waker: RefCell::new(None),
                notify: RefCell::new(None),
                waiting: Rc::new(Cell::new(false)),
            }
        })
    }

    /// Routes wake-ups through `notify` (set by the stage or consumer that
    /// polls the source).
    pub(crate) fn set_notify(&self, notify: Notify) {
        *self.notify.borrow_mut() = Some(notify);
    }

    fn wake(&self) {
        let waker = self.waker.borrow_mut().take();
        let Some(waker) = waker else { return };
        let notify = self.notify.borrow().clone();
        match notify {
            Some(notify) => notify(waker),
            None => waker.wake(),
        }
    }

    /// The `write` hook.
    pub(crate) fn deliver(&self, chunk: I, cb: WriteCallback) {
        if self.dropped.get() {
            drop(chunk);
            cb.call(Ok(()));
            return;
        }
        self.chunk.set(Some(chunk));
        self.write_cb.set(Some(cb));
        self.wake();
    }

    /// The `final` hook.
    pub(crate) fn end(&self, cb: Callback) {
        if self.dropped.get() && !self.hold_end {
            cb.call(Ok(()));
            return;
        }
        self.ended.set(true);
        self.end_cb.set(Some(cb));
        self.wake();
    }

    /// Takes the `final` callback, for a body that completes the end.
    pub(crate) fn take_end(&self) -> Option<Callback> {
        self.end_cb.take()
    }

    /// The `destroy` hook: the source fails with `err` (or `ABORT_ERR`).
    /// The write in flight, if any, completes (with `err`, if given: a
    /// plain destroy records no error), so the writes buffered behind it
    /// get `ERR_STREAM_DESTROYED`.
    pub(crate) fn fail(&self, err: Option<StreamError>) {
        *self.failed.borrow_mut() = Some(err.clone().unwrap_or_else(StreamError::abort));
        let chunk = self.chunk.take();
        let cb = self.write_cb.take();
        drop(chunk);
        if let Some(cb) = cb {
            cb.call(err.map_or(Ok(()), Err));
        }
        self.wake();
    }

    fn on_source_dropped(&self) {
        self.dropped.set(true);
        self.waiting.set(false);
        let chunk = self.chunk.take();
        let cb = self.write_cb.take();
        drop(chunk);
        if let Some(cb) = cb {
            self.ack.set(Some(cb));
            next_tick_shared(&self.ack_job);
        }
        if !self.hold_end {
            if let Some(cb) = self.end_cb.take() {
                next_tick(move || cb.call(Ok(())));
            }
        }
    }
}

/// The input of an async stage or consumer: the chunks written to it, as
/// a `futures::Stream` (the `source` an `async function*` pipeline stage
/// receives in Node).
///
/// It yields each chunk written, `None` once the writable side ended and
/// every chunk was taken, and `Err` (then `None`) if the stream was
/// destroyed meanwhile. Each write completes (its callback runs, on the
/// next tick) once its chunk was taken: taking is the stage's
/// backpressure. Dropping the source lets further input through unread.
pub struct Source<I: 'static> {
    inbox: Rc<Inbox<I>>,
    finished: bool,
}

impl<I: 'static> fmt::Debug for Source<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source").field("finished", &self.finished).finish()
    }
}

impl<I: 'static> Source<I> {
    pub(crate) fn new(inbox: Rc<Inbox<I>>) -> Source<I> {
        Source { inbox, finished: false }
    }
}

impl<I: 'static> Stream for Source<I> {
    type Item = Result<I, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        let inbox = &this.inbox;
        let failed = inbox.failed.borrow_mut().take();
        if let Some(err) = failed {
            this.finished = true;
            inbox.waiting.set(false);
            return Poll::Ready(Some(Err(err)));
        }
        if let Some(chunk) = inbox.chunk.take() {
            inbox.waiting.set(false);
            if let Some(cb) = inbox.write_cb.take() {
                inbox.ack.set(Some(cb));
                next_tick_shared(&inbox.ack_job);
            }
            return Poll::Ready(Some(Ok(chunk)));
        }
        if inbox.ended.get() {
            this.finished = true;
            inbox.waiting.set(false);
            if !inbox.hold_end {
                if let Some(cb) = inbox.end_cb.take() {
                    next_tick(move || cb.call(Ok(())));
                }
            }
            return Poll::Ready(None);
        }
        *inbox.waker.borrow_mut() = Some(cx.waker().clone());
        inbox.waiting.set(true);
        Poll::Pending
    }
}

impl<I: 'static> FusedStream for Source<I> {
    fn is_terminated(&self) -> bool {
        self.finished
    }
}

impl<I: 'static> Drop for Source<I> {
    fn drop(&mut self) {
        self.inbox.on_source_dropped();
    }
}
