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
    /// out, or when the stream was destroyed).
    pub(crate) fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<T, StreamError>>> {
        let error = self.signals.borrow_mut().error.take();
        if let Some(err) = error {
            self.signals.borrow_mut().closed = true;
            return Poll::Ready(Some(Err(err)));
        }
        if let Some(chunk) = self.readable.read(None) {
            return Poll::Ready(Some(Ok(chunk)));
        }
        let done = {
            let s = self.signals.borrow();
            s.ended || s.closed
        };
        if done || self.readable.readable_ended() || self.readable.destroyed() {
            if let Some(err) = self.readable.errored().filter(|_| !done) {
                self.signals.borrow_mut().closed = true;
                return Poll::Ready(Some(Err(err)));
            }
            return Poll::Ready(None);
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
