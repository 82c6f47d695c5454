//! The local task that polls a stream's pending async work.
//!
//! An async hook's future (or a source's `futures::Stream`) is first polled
//! where Node would run the hook: inside the `write` call, in the
//! microtask after a `read`. Most of the time it completes there. When it
//! is pending, something must poll it again when its waker fires: that is
//! this task, one per hook, spawned the first time it is needed and kept
//! for the life of the hook, so a stream doing async writes spawns one task,
//! not one per chunk.
//!
//! | state   | `held`        | `live`        | the task                      |
//! |---------|---------------|---------------|-------------------------------|
//! | idle    | `None`        | `None`        | parked, or not spawned yet    |
//! | pending | `Some(work)`  | `Some` (most) | polls `work` whenever woken   |
//! | closed  | `None`        | `None`        | returns at its next poll      |
//!
//! While work is pending the task holds it strongly (a pending write runs
//! to completion even if the stream is dropped, as a pending promise does
//! in Node) and, unless the work only waits for more input from upstream,
//! a [`Live`] token, so [`run`](crate::run) waits for it as Node waits for
//! an open handle.

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll, Waker};

use crate::event_loop::{spawn_detached, Live};

/// Pending async work a [`Driver`] polls.
pub(crate) trait Work {
    /// Polls what is pending. `Ready(())` once nothing is left to wait for;
    /// the work calls [`Driver::idle`] itself when it completes.
    fn poll_work(&self, cx: &mut Context<'_>) -> Poll<()>;
}

struct DriverState {
    /// The task's waker, once it has been polled.
    waker: RefCell<Option<Waker>>,
    spawned: Cell<bool>,
    /// The work, held strongly while it is pending.
    held: RefCell<Option<Rc<dyn Work>>>,
    live: RefCell<Option<Live>>,
    closed: Cell<bool>,
}

impl DriverState {
    fn release(&self) {
        let held = self.held.borrow_mut().take();
        let live = self.live.borrow_mut().take();
        drop((held, live));
    }

    fn wake(&self) {
        let waker = self.waker.borrow().clone();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The handle on a hook's task, owned by the hook (see the module docs).
/// Dropping it ends the task.
pub(crate) struct Driver {
    state: Rc<DriverState>,
}

impl Driver {
    pub(crate) fn new() -> Driver {
        Driver {
            state: Rc::new(DriverState {
                waker: RefCell::new(None),
                spawned: Cell::new(false),
                held: RefCell::new(None),
                live: RefCell::new(None),
                closed: Cell::new(false),
            }),
        }
    }

    /// The waker to poll the work with outside the task: the task's, when
    /// it has one, so that a pending poll needs no second poll by the task.
    pub(crate) fn waker(&self) -> Option<Waker> {
        self.state.waker.borrow().clone()
    }

    /// `work`, polled outside the task with `waker` (from
    /// [`waker`](Self::waker)), is pending: the task polls it from now on.
    /// With `keep_alive` the loop waits for it.
    ///
    /// # Panics
    ///
    /// When the task must be spawned outside a `tokio::task::LocalSet`.
    pub(crate) fn pending(&self, work: Rc<dyn Work>, keep_alive: bool, waker: Option<Waker>) {
        let state = &self.state;
        let weak = Rc::downgrade(&work);
        let old = state.held.borrow_mut().replace(work);
        drop(old);
        self.set_live(keep_alive);
        if !state.spawned.replace(true) {
            spawn_detached(task(state.clone(), weak));
        } else if waker.is_none() {
            // Polled with a no-op waker: have the task poll again with its
            // own.
            state.wake();
        }
    }

    /// Whether `waker` wakes this driver's task.
    pub(crate) fn is_task_waker(&self, waker: &Waker) -> bool {
        self.state.waker.borrow().as_ref().is_some_and(|w| w.will_wake(waker))
    }

    /// Whether the loop waits for the pending work (see [`pending`](Self::pending)).
    pub(crate) fn set_live(&self, keep_alive: bool) {
        let state = &self.state;
        if keep_alive {
            if state.live.borrow().is_none() && state.held.borrow().is_some() {
                let live = Live::new();
                *state.live.borrow_mut() = Some(live);
            }
        } else {
            let live = state.live.borrow_mut().take();
            drop(live);
        }
    }

    /// The work completed: nothing is pending any more.
    pub(crate) fn idle(&self) {
        self.state.release();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.state.closed.set(true);
        self.state.release();
        self.state.wake();
    }
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Driver")
            .field("spawned", &self.state.spawned.get())
            .field("pending", &self.state.held.borrow().is_some())
            .finish()
    }
}

/// The task: polls the work whenever woken, until the driver is dropped.
async fn task(state: Rc<DriverState>, work: Weak<dyn Work>) {
    poll_fn(|cx| {
        if state.closed.get() {
            return Poll::Ready(());
        }
        {
            let mut waker = state.waker.borrow_mut();
            if !waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                *waker = Some(cx.waker().clone());
            }
        }
        let Some(work) = work.upgrade() else {
            state.release();
            return Poll::Ready(());
        };
        // Nothing is polled unless something is pending.
        if state.held.borrow().is_some() {
            let _ = work.poll_work(cx);
        }
        drop(work);
        if state.closed.get() {
            state.release();
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}
