//! The entry point: run a future on a fresh event loop until it is idle.

use std::future::{poll_fn, Future};
use std::task::Poll;

use tokio::task::LocalSet;

use super::driver::{ensure_drivers, set_drivers_aside, SetAside};
use super::macrotask::Macrotask;
use super::queue::{drain_ticks, with_loop};

/// Runs `future` on a new current-thread tokio runtime inside a `LocalSet`,
/// then keeps the loop running until no tick, immediate or task started
/// with [`spawn`](crate::spawn) is pending, like a Node process that exits
/// when its loop is empty. Returns the future's output.
///
/// Every poll of `future` is a macrotask (see [`Macrotask`]). Tasks
/// spawned with plain `tokio::task::spawn_local` are not waited for: they
/// are dropped with the loop, and whatever their destructors queue is
/// discarded, never run by a later `run` on this thread.
///
/// # Panics
///
/// Panics if the runtime cannot be built (the operating system refused its
/// I/O driver), or when called from inside another tokio runtime, as
/// `Runtime::block_on` does. A panic in `future`, or in a tick drained
/// right after one of its polls, propagates out of `run`; one in a spawned
/// task ends that task, and one in an immediate ends that immediate.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
///
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// let answer = streams_core::run(async move {
///     let l2 = l.clone();
///     streams_core::spawn(async move {
///         tokio::task::yield_now().await;
///         l2.borrow_mut().push("task finished");
///     });
///     l.borrow_mut().push("main returned");
///     42
/// });
/// assert_eq!(answer, 42);
/// assert_eq!(*log.borrow(), ["main returned", "task finished"]);
/// ```
pub fn run<F: Future>(future: F) -> F::Output {
    // Declared first, so dropped last: after the `LocalSet` and the runtime
    // have dropped their tasks, even when `future` panics.
    let _cleanup = Cleanup { _drivers: set_drivers_aside() };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("streams::run: cannot build the tokio runtime");
    let local = LocalSet::new();
    local.block_on(&runtime, async move {
        ensure_drivers();
        let out = Macrotask::new(future).await;
        until_idle().await;
        out
    })
}

/// Leaves the thread's loop as `run` found it.
struct Cleanup {
    /// The drivers of another `LocalSet` of this thread, put back on drop.
    _drivers: SetAside,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        // What the dropped tasks queued from their destructors (or what a
        // panicking run left) would otherwise run in the next `run`.
        with_loop(|l| l.discard_pending());
    }
}

/// Resolves once no tick, immediate or live task of ours is pending.
async fn until_idle() {
    poll_fn(|cx| {
        drain_ticks();
        with_loop(|l| {
            if l.is_idle() {
                l.set_idle_waker(None);
                Poll::Ready(())
            } else {
                l.set_idle_waker(Some(cx.waker()));
                Poll::Pending
            }
        })
    })
    .await
}

/// How many tasks started with [`spawn`](crate::spawn) are still alive on
/// this thread. Useful in tests that check nothing was left behind.
///
/// # Examples
///
/// ```
/// streams_core::run(async {
///     assert_eq!(streams_core::live_tasks(), 0);
///     let t = streams_core::spawn(async {});
///     assert_eq!(streams_core::live_tasks(), 1);
///     t.await.unwrap();
///     assert_eq!(streams_core::live_tasks(), 0);
/// });
/// ```
pub fn live_tasks() -> usize {
    with_loop(|l| l.live_tasks())
}
