//! Local tasks that keep the loop alive and run as macrotasks.

use std::future::Future;

use tokio::task::JoinHandle;

use super::driver::ensure_drivers;
use super::macrotask::Macrotask;
use super::queue::with_loop;

/// Counts a task as live for as long as it exists (finished or dropped).
///
/// The async face also holds one while a future of a stream's is pending
/// (see `async_face::driver`): pending work keeps `run` going, as an open
/// handle keeps a Node process alive.
pub(crate) struct Live;

impl Live {
    pub(crate) fn new() -> Live {
        with_loop(|l| l.task_started());
        Live
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        with_loop(|l| l.task_ended());
    }
}

/// Spawns a local task on the current `LocalSet` whose every poll is a
/// macrotask: the nextTick queue is drained after each poll.
///
/// The task keeps [`run`](crate::run) from returning until it ends, as an
/// open handle keeps a Node process alive. The streams spawn their own I/O
/// work with it. Calling it also installs the tick and immediate drivers on
/// the current `LocalSet` if they are not there yet, so streams work under a
/// `LocalSet` of your own.
///
/// # Panics
///
/// Panics when called outside a `tokio::task::LocalSet`, as
/// `tokio::task::spawn_local` does.
///
/// # Examples
///
/// ```
/// let out = streams_core::run(async {
///     let task = streams_core::spawn(async { 40 + 2 });
///     task.await.unwrap()
/// });
/// assert_eq!(out, 42);
/// ```
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    ensure_drivers();
    let live = Live::new();
    tokio::task::spawn_local(Macrotask::new(async move {
        let _live = live;
        future.await
    }))
}

/// Spawns a local task whose every poll is a macrotask, without counting it
/// as live: it keeps `run` going only through the [`Live`] tokens it holds.
///
/// # Panics
///
/// Outside a `tokio::task::LocalSet`, as `tokio::task::spawn_local`.
pub(crate) fn spawn_detached<F>(future: F)
where
    F: Future<Output = ()> + 'static,
{
    ensure_drivers();
    drop(tokio::task::spawn_local(Macrotask::new(future)));
}
