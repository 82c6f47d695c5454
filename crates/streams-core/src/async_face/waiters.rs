//! The wakers of async code waiting on a write side: a `Sink` waiting for
//! room, for its writes to be written, or for `'finish'`.

use std::cell::{Cell, RefCell};
use std::task::Waker;

/// Wakers to wake when a write side's state moves: a write completed,
/// `'drain'` was emitted, the stream finished, failed or was destroyed.
///
/// A woken waiter checks again what it waits for; waking too often is
/// harmless, too rarely is a hang, so the write side wakes on every such
/// move. With nobody waiting, a wake is one borrow and an emptiness check.
#[derive(Default)]
pub(crate) struct Waiters {
    list: RefCell<Vec<Waker>>,
    /// Whether `list` may be non-empty: the check every write makes, as a
    /// flag instead of a borrow.
    any: Cell<bool>,
}

impl Waiters {
    /// Registers `waker` (once: a waker that would wake the same task
    /// replaces it).
    pub(crate) fn register(&self, waker: &Waker) {
        let mut list = self.list.borrow_mut();
        self.any.set(true);
        match list.iter_mut().find(|w| w.will_wake(waker)) {
            Some(w) => w.clone_from(waker),
            None => list.push(waker.clone()),
        }
    }

    /// Wakes (and forgets) every waiter.
    #[inline]
    pub(crate) fn wake_all(&self) {
        if self.any.get() {
            self.wake_all_now();
        }
    }

    fn wake_all_now(&self) {
        self.any.set(false);
        let list = std::mem::take(&mut *self.list.borrow_mut());
        for waker in list {
            waker.wake();
        }
    }
}

impl std::fmt::Debug for Waiters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Waiters").field("waiting", &self.list.borrow().len()).finish()
    }
}
