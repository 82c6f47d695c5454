//! The idle timer behind `Socket::set_timeout` (Node's unref'd socket
//! timeout, refreshed by every read and write).

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::task::{Poll, Waker};
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::Instant;

/// The timer's state; the task that sleeps on it is spawned by the socket.
#[derive(Default)]
pub(crate) struct Timer {
    timeout: Cell<Option<Duration>>,
    last_activity: Cell<Option<Instant>>,
    /// It fired and waits for activity to arm again (Node's `refresh()`
    /// of a fired timer).
    fired: Cell<bool>,
    waker: RefCell<Option<Waker>>,
    task: RefCell<Option<JoinHandle<()>>>,
}

impl Timer {
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timeout.get()
    }

    /// Arms the timer with `timeout`; `task` is the task that waits on it
    /// (the previous one is cancelled).
    pub(crate) fn start(&self, timeout: Duration, task: impl FnOnce() -> JoinHandle<()>) {
        self.cancel();
        self.timeout.set(Some(timeout));
        self.last_activity.set(Some(Instant::now()));
        self.fired.set(false);
        *self.task.borrow_mut() = Some(task());
    }

    /// Disarms the timer (`set_timeout(0)`, destroy).
    pub(crate) fn cancel(&self) {
        self.timeout.set(None);
        let task = self.task.borrow_mut().take();
        if let Some(task) = task {
            task.abort();
        }
        self.waker.borrow_mut().take();
    }

    /// Activity: the idle time starts again.
    pub(crate) fn touch(&self) {
        if self.timeout.get().is_none() {
            return;
        }
        self.last_activity.set(Some(Instant::now()));
        if self.fired.replace(false) {
            let waker = self.waker.borrow_mut().take();
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }

    /// Resolves when the socket has been idle for the timeout; `false` if
    /// the timer was disarmed meanwhile.
    pub(crate) async fn expired(&self) -> bool {
        loop {
            let Some(timeout) = self.timeout.get() else { return false };
            if self.fired.get() {
                // Wait for activity to arm it again.
                poll_fn(|cx| {
                    if self.fired.get() && self.timeout.get().is_some() {
                        *self.waker.borrow_mut() = Some(cx.waker().clone());
                        Poll::Pending
                    } else {
                        Poll::Ready(())
                    }
                })
                .await;
                continue;
            }
            let last = self.last_activity.get().unwrap_or_else(Instant::now);
            let deadline = last + timeout;
            if Instant::now() >= deadline {
                self.fired.set(true);
                return true;
            }
            tokio::time::sleep_until(deadline).await;
        }
    }
}
