//! Async hooks as adapters over the callback hooks: a future per call,
//! polled first inside the hook (as Node runs a hook's body up to its first
//! `await` synchronously), then by the hook's [`Driver`] task until it
//! completes, when the hook's callback is called with its output.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use super::driver::{Driver, Work};
use crate::event_loop::queue_microtask_shared;
use crate::stream::Callback;
use crate::transform::{FlushCallback, TransformCallback};
use crate::writable::WriteCallback;
use crate::StreamError;

/// A hook's completion: what a future's output is handed to.
pub(crate) trait Complete<T> {
    fn complete(self, out: T);
}

impl Complete<Result<(), StreamError>> for WriteCallback {
    fn complete(self, out: Result<(), StreamError>) {
        self.call(out);
    }
}

impl Complete<Result<(), StreamError>> for Callback {
    fn complete(self, out: Result<(), StreamError>) {
        self.call(out);
    }
}

impl<I: 'static, O: 'static> Complete<Result<Option<O>, StreamError>> for TransformCallback<I, O> {
    fn complete(self, out: Result<Option<O>, StreamError>) {
        self.call(out);
    }
}

impl<I: 'static, O: 'static> Complete<Result<Option<O>, StreamError>> for FlushCallback<I, O> {
    fn complete(self, out: Result<Option<O>, StreamError>) {
        self.call(out);
    }
}

/// Any `FnOnce` completes too (the consumer's own bookkeeping).
pub(crate) struct Then<F>(pub(crate) F);

impl<T, F: FnOnce(T)> Complete<T> for Then<F> {
    fn complete(self, out: T) {
        (self.0)(out)
    }
}

/// The future of one hook call at a time, and its completion.
///
/// The future lives in a box allocated once and reused for every call
/// (`Pin::set`), so an async `write` costs no allocation per chunk. While
/// it is polled the box is out of its cell: no borrow is held across user
/// code, and a re-entrant call finds the cell empty.
pub(crate) struct Runner<Fut: Future, D> {
    slot: RefCell<Option<Pin<Box<Option<Fut>>>>>,
    done: Cell<Option<D>>,
    /// Dropped on the next occasion instead of polled again.
    cancelled: Cell<bool>,
    /// Set while the future waits for input from upstream only (see
    /// `Source`): the loop need not wait for it then.
    input_waiting: Option<Rc<Cell<bool>>>,
    /// A microtask that polls the future (see [`notifier`](Self::notifier)).
    job: Rc<dyn Fn()>,
    scheduled: Cell<bool>,
    driver: Driver,
}

impl<Fut, D> Runner<Fut, D>
where
    Fut: Future + 'static,
    D: Complete<Fut::Output> + 'static,
{
    pub(crate) fn new(input_waiting: Option<Rc<Cell<bool>>>) -> Rc<Runner<Fut, D>> {
        Rc::new_cyclic(|me: &Weak<Runner<Fut, D>>| {
            let me = me.clone();
            Runner {
                slot: RefCell::new(None),
                done: Cell::new(None),
                cancelled: Cell::new(false),
                input_waiting,
                job: Rc::new(move || {
                    if let Some(runner) = me.upgrade() {
                        runner.scheduled.set(false);
                        let waker = runner.driver.waker();
                        let mut cx = Context::from_waker(waker.as_ref().unwrap_or(Waker::noop()));
                        let _ = runner.poll_work(&mut cx);
                    }
                }),
                scheduled: Cell::new(false),
                driver: Driver::new(),
            }
        })
    }

    /// What a consumer's input calls instead of waking `waker`: when that
    /// is this runner's task, the future is polled in a microtask instead
    /// (see `Pump::notifier`).
    pub(crate) fn notifier(self: &Rc<Self>) -> Rc<dyn Fn(Waker)> {
        let me = Rc::downgrade(self);
        Rc::new(move |waker: Waker| match me.upgrade() {
            Some(runner) if runner.driver.is_task_waker(&waker) => {
                if !runner.scheduled.replace(true) {
                    queue_microtask_shared(&runner.job);
                }
            }
            _ => waker.wake(),
        })
    }

    /// Starts `fut`, whose output goes to `done`: polls it once now.
    ///
    /// # Panics
    ///
    /// When `fut` is pending outside a `tokio::task::LocalSet`.
    pub(crate) fn start(self: &Rc<Self>, fut: Fut, done: D) {
        let mut slot = self.slot.borrow_mut().take().unwrap_or_else(|| Box::pin(None));
        slot.as_mut().set(Some(fut));
        self.done.set(Some(done));
        self.cancelled.set(false);
        let waker = self.driver.waker();
        let mut cx = Context::from_waker(waker.as_ref().unwrap_or(Waker::noop()));
        if self.poll_slot(slot, &mut cx).is_pending() {
            let keep_alive = !self.input_waiting.as_ref().is_some_and(|w| w.get());
            self.driver.pending(self.clone(), keep_alive, waker);
        }
    }

    /// Drops the running future, if any, without completing it: the
    /// stream was destroyed and nobody will read the result.
    pub(crate) fn cancel(&self) {
        self.cancelled.set(true);
        let slot = self.slot.borrow_mut().take();
        if let Some(mut slot) = slot {
            slot.as_mut().set(None);
            *self.slot.borrow_mut() = Some(slot);
            self.finish_cancel();
        }
        // Else it is being polled right now: `poll_slot` drops it after.
    }

    fn finish_cancel(&self) {
        let done = self.done.take();
        self.driver.idle();
        drop(done);
    }

    fn poll_slot(&self, mut slot: Pin<Box<Option<Fut>>>, cx: &mut Context<'_>) -> Poll<()> {
        let Some(fut) = slot.as_mut().as_pin_mut() else {
            *self.slot.borrow_mut() = Some(slot);
            return Poll::Ready(());
        };
        let out = fut.poll(cx);
        if self.cancelled.get() {
            slot.as_mut().set(None);
            *self.slot.borrow_mut() = Some(slot);
            self.finish_cancel();
            return Poll::Ready(());
        }
        match out {
            Poll::Pending => {
                *self.slot.borrow_mut() = Some(slot);
                if let Some(waiting) = &self.input_waiting {
                    self.driver.set_live(!waiting.get());
                }
                Poll::Pending
            }
            Poll::Ready(out) => {
                // The future is dropped before its completion runs, as a
                // function has returned before its promise settles.
                slot.as_mut().set(None);
                *self.slot.borrow_mut() = Some(slot);
                let done = self.done.take();
                self.driver.idle();
                if let Some(done) = done {
                    done.complete(out);
                }
                Poll::Ready(())
            }
        }
    }
}

impl<Fut, D> Work for Runner<Fut, D>
where
    Fut: Future + 'static,
    D: Complete<Fut::Output> + 'static,
{
    fn poll_work(&self, cx: &mut Context<'_>) -> Poll<()> {
        let slot = self.slot.borrow_mut().take();
        match slot {
            Some(slot) => self.poll_slot(slot, cx),
            None => Poll::Ready(()),
        }
    }
}
