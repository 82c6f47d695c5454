//! Pulling chunks out of a Readable from async code: the mechanism of
//! Node's async iterator (`'readable'` + `read()`), as a poll function.

use std::cell::RefCell;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use streams_core::events::{self, ListenerId};
use streams_core::{Readable, StreamError};

#[derive(Default)]
struct Signals {
    waker: Option<Waker>,
    ended: bool,
    closed: bool,
    error: Option<StreamError>,
    /// An error was handed out: nothing more comes.
    done: bool,
}

/// Listens to a Readable (which puts it in paused mode) and hands out its
/// chunks one `poll` at a time.
pub(crate) struct Puller<T: 'static> {
    readable: Readable<T>,
    signals: Rc<RefCell<Signals>>,
    ids: Vec<ListenerId>,
}

fn wake(signals: &RefCell<Signals>) {
    let waker = signals.borrow_mut().waker.take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl<T: 'static> Puller<T> {
    pub(crate) fn new(readable: Readable<T>) -> Puller<T> {
        let signals = Rc::new(RefCell::new(Signals::default()));
        let mut ids = Vec::with_capacity(4);
        let s = signals.clone();
        ids.push(readable.on(events::Readable, move |_| wake(&s)));
        let s = signals.clone();
        ids.push(readable.on(events::End, move |_| {
            s.borrow_mut().ended = true;
            wake(&s);
        }));
        let s = signals.clone();
        ids.push(readable.on(events::Error, move |err: &StreamError| {
            s.borrow_mut().error = Some(err.clone());
            wake(&s);
        }));
        let s = signals.clone();
        ids.push(readable.on(events::Close, move |_| {
            s.borrow_mut().closed = true;
            wake(&s);
        }));
        Puller { readable, signals, ids }
    }

    pub(crate) fn readable(&self) -> &Readable<T> {
        &self.readable
    }

    /// The next chunk; `None` at the end (or after the error was handed
    /// out). A stream destroyed before its end without an error gives
    /// `ERR_STREAM_PREMATURE_CLOSE`, as Node's async iterator throws.
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<T, StreamError>>> {
        let (done, error) = {
            let mut s = self.signals.borrow_mut();
            (s.done, s.error.take())
        };
        if done {
            return Poll::Ready(None);
        }
        if let Some(err) = error {
            self.signals.borrow_mut().done = true;
            return Poll::Ready(Some(Err(err)));
        }
        if let Some(chunk) = self.readable.read(None) {
            return Poll::Ready(Some(Ok(chunk)));
        }
        let (ended, closed) = {
            let s = self.signals.borrow();
            (s.ended, s.closed)
        };
        if ended || self.readable.readable_ended() {
            return Poll::Ready(None);
        }
        if closed || self.readable.destroyed() {
            // Destroyed before the end: its error, or a premature close.
            self.signals.borrow_mut().done = true;
            let err = self.readable.errored().unwrap_or_else(StreamError::premature_close);
            return Poll::Ready(Some(Err(err)));
        }
        self.signals.borrow_mut().waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl<T: 'static> Drop for Puller<T> {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            self.readable.off(id);
        }
    }
}
