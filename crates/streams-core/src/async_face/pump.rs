//! A `futures::Stream` pumped into a read side: the `read` hook of
//! `Readable::from_stream` and of the async-generator stages (Node's
//! `Readable.from(asyncIterable)`, `lib/internal/streams/from.js`).
//!
//! Node's `_read` starts `nextAsync()`, a loop of `await iterator.next()`
//! and `push(value)` until `push` returns `false` or the iterator is done:
//! the stream is asked for its next item in a microtask after the `read`,
//! never synchronously inside it. So here: the `read` hook queues a
//! microtask (a shared one: no allocation per read) that polls the stream
//! and pushes while the read side wants more. A stream that is pending is
//! polled again by the hook's [`Driver`] task when its waker fires.

use std::cell::{Cell, RefCell};
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use futures::Stream;

use super::driver::{Driver, Work};
use crate::event_loop::queue_microtask_shared;
use crate::stream::Core;
use crate::StreamError;

/// How a pumping loop stopped.
enum Stop {
    /// The read side wants no more for now.
    Idle,
    Pending,
    Ended,
    Failed(StreamError),
    /// The stream was destroyed meanwhile.
    Closed,
}

pub(crate) struct Pump<S, R: 'static, W: 'static> {
    /// The stream: out of its cell while polled, gone after the end.
    stream: RefCell<Option<Pin<Box<S>>>>,
    core: RefCell<Weak<Core<R, W>>>,
    /// The stream, held while a poll is pending: a source that is
    /// working keeps its stream alive, as a pending `next()` does in Node.
    keep: RefCell<Option<Rc<Core<R, W>>>>,
    /// The read side asked for data and was not given any since (Node's
    /// `reading`).
    wanted: Cell<bool>,
    /// The read hook was called during the current push.
    asked: Cell<bool>,
    scheduled: Cell<bool>,
    polling: Cell<bool>,
    done: Cell<bool>,
    /// The microtask that polls this pump.
    job: Rc<dyn Fn()>,
    input_waiting: Option<Rc<Cell<bool>>>,
    driver: Driver,
}

impl<S, R, W> Pump<S, R, W>
where
    S: Stream<Item = Result<R, StreamError>> + 'static,
    R: 'static,
    W: 'static,
{
    /// A pump for `stream`; `input_waiting` is set while the stream waits
    /// for input from upstream only (the loop need not wait for it then).
    pub(crate) fn new(stream: S, input_waiting: Option<Rc<Cell<bool>>>) -> Rc<Pump<S, R, W>> {
        Rc::new_cyclic(|me: &Weak<Pump<S, R, W>>| {
            let me = me.clone();
            Pump {
                stream: RefCell::new(Some(Box::pin(stream))),
                core: RefCell::new(Weak::new()),
                keep: RefCell::new(None),
                wanted: Cell::new(false),
                asked: Cell::new(false),
                scheduled: Cell::new(false),
                polling: Cell::new(false),
                done: Cell::new(false),
                job: Rc::new(move || {
                    if let Some(pump) = me.upgrade() {
                        pump.poll_now();
                    }
                }),
                input_waiting,
                driver: Driver::new(),
            }
        })
    }

    pub(crate) fn set_core(&self, core: &Rc<Core<R, W>>) {
        *self.core.borrow_mut() = Rc::downgrade(core);
    }

    /// The `read` hook: the read side wants data.
    pub(crate) fn on_read(&self) {
        self.wanted.set(true);
        self.asked.set(true);
        self.poll_soon();
    }

    /// What the input of a stage calls instead of waking `waker` (which its
    /// source registered): when that is this pump's task, the pump is
    /// polled in a microtask instead, as a generator resumes in Node when
    /// the promise it awaits settles, without a hop through the scheduler.
    pub(crate) fn notifier(self: &Rc<Self>) -> Rc<dyn Fn(Waker)> {
        let me = Rc::downgrade(self);
        Rc::new(move |waker: Waker| match me.upgrade() {
            Some(pump) if pump.driver.is_task_waker(&waker) => pump.poll_soon(),
            _ => waker.wake(),
        })
    }

    fn poll_soon(&self) {
        if !self.scheduled.get() && !self.polling.get() && !self.done.get() {
            self.scheduled.set(true);
            queue_microtask_shared(&self.job);
        }
    }

    /// The `destroy` hook: drops the stream (Node calls the iterator's
    /// `return()`), now or, if it is being polled, right after.
    pub(crate) fn close(&self) {
        self.done.set(true);
        self.wanted.set(false);
        let stream = self.stream.borrow_mut().take();
        let keep = self.keep.borrow_mut().take();
        self.driver.idle();
        drop((stream, keep));
    }

    /// The microtask: polls outside the task, with the task's waker if it
    /// has one.
    fn poll_now(self: Rc<Self>) {
        self.scheduled.set(false);
        let waker = self.driver.waker();
        let mut cx = Context::from_waker(waker.as_ref().unwrap_or(Waker::noop()));
        if self.pump(&mut cx).is_pending() {
            let keep = self.core.borrow().upgrade();
            *self.keep.borrow_mut() = keep;
            let keep_alive = !self.input_waiting.as_ref().is_some_and(|w| w.get());
            self.driver.pending(self.clone(), keep_alive, waker);
        }
    }

    /// Polls and pushes while the read side wants data.
    fn pump(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.done.get() {
            return Poll::Ready(());
        }
        let Some(core) = self.core.borrow().upgrade() else { return Poll::Ready(()) };
        let Some(mut stream) = self.stream.borrow_mut().take() else {
            // Being polled further up the stack.
            return Poll::Ready(());
        };
        self.polling.set(true);
        let stop = loop {
            if self.done.get() {
                break Stop::Closed;
            }
            if !self.wanted.get() {
                break Stop::Idle;
            }
            match stream.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    // No borrow is held: push runs listeners.
                    self.asked.set(false);
                    if !core.push_value(chunk) && !self.asked.get() {
                        self.wanted.set(false);
                    }
                }
                Poll::Ready(Some(Err(err))) => break Stop::Failed(err),
                Poll::Ready(None) => break Stop::Ended,
                Poll::Pending => break Stop::Pending,
            }
        };
        self.polling.set(false);
        match stop {
            Stop::Idle | Stop::Pending => {
                if self.done.get() {
                    drop(stream);
                    self.idle();
                    return Poll::Ready(());
                }
                *self.stream.borrow_mut() = Some(stream);
                if matches!(stop, Stop::Pending) {
                    return Poll::Pending;
                }
                self.idle();
                Poll::Ready(())
            }
            Stop::Closed => {
                drop(stream);
                self.idle();
                Poll::Ready(())
            }
            Stop::Ended => {
                self.done.set(true);
                drop(stream);
                self.idle();
                core.push_eof();
                Poll::Ready(())
            }
            Stop::Failed(err) => {
                self.done.set(true);
                drop(stream);
                self.idle();
                core.destroy(Some(err));
                Poll::Ready(())
            }
        }
    }

    fn idle(&self) {
        let keep = self.keep.borrow_mut().take();
        self.driver.idle();
        drop(keep);
    }
}

impl<S, R, W> Work for Pump<S, R, W>
where
    S: Stream<Item = Result<R, StreamError>> + 'static,
    R: 'static,
    W: 'static,
{
    fn poll_work(&self, cx: &mut Context<'_>) -> Poll<()> {
        let poll = self.pump(cx);
        if poll.is_pending() {
            if let Some(waiting) = &self.input_waiting {
                self.driver.set_live(!waiting.get());
            }
        }
        poll
    }
}
