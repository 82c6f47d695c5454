//! `setImmediate` as a future, like Node's `timers/promises.setImmediate`.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::queue::{clear_immediate, set_immediate, ImmediateId};

#[derive(Debug, Default)]
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

/// Resolves in the next check phase, after the current ticks and ready
/// I/O: `await setImmediate()` in Node's `timers/promises`.
///
/// # Cancel safety
///
/// Dropping it before it resolves cancels the immediate.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
///
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// streams_core::run(async move {
///     let l2 = l.clone();
///     streams_core::next_tick(move || l2.borrow_mut().push("tick"));
///     streams_core::immediate().await;
///     l.borrow_mut().push("after immediate");
/// });
/// assert_eq!(*log.borrow(), ["tick", "after immediate"]);
/// ```
pub fn immediate() -> Immediate {
    let shared = Rc::new(RefCell::new(Shared::default()));
    let s = shared.clone();
    let id = set_immediate(move || {
        let waker = {
            let mut s = s.borrow_mut();
            s.done = true;
            s.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    });
    Immediate { shared, id }
}

/// The future returned by [`immediate`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Immediate {
    shared: Rc<RefCell<Shared>>,
    id: ImmediateId,
}

impl Future for Immediate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.shared.borrow_mut();
        if shared.done {
            Poll::Ready(())
        } else {
            shared.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Drop for Immediate {
    fn drop(&mut self) {
        if !self.shared.borrow().done {
            clear_immediate(self.id);
        }
    }
}
