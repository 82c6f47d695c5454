//! A future wrapper whose every poll is a Node macrotask.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use pin_project_lite::pin_project;

use super::queue::{drain_ticks, with_loop};

pin_project! {
    /// Polls the inner future, then drains the nextTick and microtask
    /// queues: each poll is one macrotask, as a callback from Node's event
    /// loop is.
    ///
    /// [`run`](crate::run) and [`spawn`](crate::spawn) wrap their futures in
    /// it; wrap your own when you poll streams from a task you spawn another
    /// way.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::Cell, rc::Rc};
    /// use streams_core::Macrotask;
    ///
    /// let ran = Rc::new(Cell::new(false));
    /// let r = ran.clone();
    /// let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(Macrotask::new(async move {
    ///     streams_core::next_tick(move || r.set(true));
    /// }));
    /// assert!(ran.get());
    /// ```
    #[derive(Debug)]
    #[must_use = "futures do nothing unless polled"]
    pub struct Macrotask<F> {
        #[pin]
        inner: F,
    }
}

impl<F> Macrotask<F> {
    /// Wraps `inner`.
    ///
    /// # Examples
    ///
    /// ```
    /// let task = streams_core::Macrotask::new(async { 1 });
    /// # drop(task);
    /// ```
    pub fn new(inner: F) -> Macrotask<F> {
        Macrotask { inner }
    }
}

/// Leaves the macrotask even when the inner poll panics.
struct Depth;

impl Depth {
    fn enter() -> Depth {
        with_loop(|l| l.enter_macrotask());
        Depth
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        with_loop(|l| l.leave_macrotask());
    }
}

impl<F: Future> Future for Macrotask<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let depth = Depth::enter();
        let out = self.project().inner.poll(cx);
        drop(depth);
        drain_ticks();
        out
    }
}
