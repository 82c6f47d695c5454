//! The drivers: the backstop that drains ticks queued from code we do not
//! poll ourselves, and the check phase that runs immediates.

use std::any::Any;
use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::queue::{drain_ticks, with_loop};

/// Clears the installed state when the `LocalSet` drops its drivers, unless
/// newer drivers have replaced them meanwhile (see [`set_drivers_aside`]).
struct Installed(u64);

impl Drop for Installed {
    fn drop(&mut self) {
        with_loop(|l| {
            if l.drivers_installed.get() == Some(self.0) {
                l.drivers_installed.set(None);
                l.tick_driver.borrow_mut().take();
                l.immediate_driver.borrow_mut().take();
            }
        });
    }
}

/// Installs the two driver tasks on the current `LocalSet` unless they are
/// there already. They are not live tasks: they never keep `run` going.
pub(crate) fn ensure_drivers() {
    let generation = with_loop(|l| {
        if l.drivers_installed.get().is_some() {
            return None;
        }
        let generation = l.next_driver_generation.get();
        l.next_driver_generation.set(generation + 1);
        l.drivers_installed.set(Some(generation));
        Some(generation)
    });
    let Some(generation) = generation else { return };
    let installed = Installed(generation);
    tokio::task::spawn_local(async move {
        let _installed = installed;
        let ticks = poll_fn(|cx| {
            // A panicking tick ends this drain only; the drain wakes us
            // again for what it left queued (see `DrainGuard`).
            guarded("a tick", drain_ticks);
            with_loop(|l| *l.tick_driver.borrow_mut() = Some(cx.waker().clone()));
            Poll::<()>::Pending
        });
        let immediates = async {
            loop {
                // Sleep until an immediate is queued.
                poll_fn(|cx| {
                    with_loop(|l| {
                        if l.has_immediates() {
                            Poll::Ready(())
                        } else {
                            *l.immediate_driver.borrow_mut() = Some(cx.waker().clone());
                            Poll::Pending
                        }
                    })
                })
                .await;
                // The check phase comes after the poll phase: let the I/O
                // driver run once before the immediates do.
                yield_to_runtime().await;
                check_phase();
            }
        };
        futures::future::join(ticks, Box::pin(immediates)).await;
    });
}

/// `tokio::task::yield_now`, but done only once the runtime has woken it,
/// that is after the scheduler parked (polling the I/O driver and, under
/// `run`, its own future). `yield_now` alone completes whenever its task is
/// polled again, and this task is also woken by every tick queued from an
/// immediate (the backstop shares it): the next round of immediates would
/// then run before the tasks and the `run` future woken by this one, where
/// Node runs those (promise continuations) first.
async fn yield_to_runtime() {
    struct Yielded {
        woken: AtomicBool,
        task: Waker,
    }
    impl Wake for Yielded {
        fn wake(self: Arc<Self>) {
            self.woken.store(true, Ordering::Release);
            self.task.wake_by_ref();
        }
    }
    let mut yielding = std::pin::pin!(tokio::task::yield_now());
    let mut flag: Option<Arc<Yielded>> = None;
    poll_fn(|cx| {
        match &flag {
            Some(flag) if flag.woken.load(Ordering::Acquire) => return Poll::Ready(()),
            Some(_) => {}
            None => {
                let yielded =
                    Arc::new(Yielded { woken: AtomicBool::new(false), task: cx.waker().clone() });
                let waker = Waker::from(yielded.clone());
                // Hands our waker to the scheduler, which wakes it after it
                // parks.
                let _ = yielding.as_mut().poll(&mut Context::from_waker(&waker));
                flag = Some(yielded);
            }
        }
        Poll::Pending
    })
    .await
}

/// The drivers of a `LocalSet` that [`run`](crate::run) set aside while its
/// own `LocalSet` runs; dropping this puts them back.
pub(crate) struct SetAside {
    installed: Option<u64>,
    tick: Option<Waker>,
    immediate: Option<Waker>,
}

/// Forgets (for now) the drivers installed on another `LocalSet` of this
/// thread, such as a user's `LocalSet` that is still alive, idle, while
/// `run` builds its own. Without this, `ensure_drivers` would find them
/// installed and give `run`'s `LocalSet` none: its ticks would go to a
/// driver nobody polls and its immediates would never run, so `run` would
/// hang.
pub(crate) fn set_drivers_aside() -> SetAside {
    with_loop(|l| SetAside {
        installed: l.drivers_installed.take(),
        tick: l.tick_driver.borrow_mut().take(),
        immediate: l.immediate_driver.borrow_mut().take(),
    })
}

impl Drop for SetAside {
    fn drop(&mut self) {
        with_loop(|l| {
            l.drivers_installed.set(self.installed);
            *l.tick_driver.borrow_mut() = self.tick.take();
            *l.immediate_driver.borrow_mut() = self.immediate.take();
        });
    }
}

/// Runs the immediates queued before this phase began, each followed by a
/// drain of the nextTick queue; later ones wait for the next round.
fn check_phase() {
    guarded("a tick", drain_ticks);
    let bound = with_loop(|l| l.immediate_bound());
    while let Some(immediate) = with_loop(|l| l.pop_immediate_before(bound)) {
        guarded("an immediate", immediate);
        guarded("a tick", drain_ticks);
    }
    with_loop(|l| l.wake_idle());
}

/// Runs user code from a driver task, catching a panic.
///
/// A panic in an immediate, or in a tick that the backstop drains, ends
/// that callback only, as a panic in a spawned task ends that task only:
/// the panic hook has reported it, we log it, and the loop carries on. Were
/// the panic to unwind through the driver, tokio would drop the driver and
/// nothing would run the immediates and ticks still queued: `run` would
/// wait for them forever.
fn guarded(what: &str, f: impl FnOnce()) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(f)) {
        tracing::error!("a panic in {what} callback was caught: {}", message(&*panic));
    }
}

fn message(panic: &(dyn Any + Send)) -> &str {
    if let Some(s) = panic.downcast_ref::<&'static str>() {
        s
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s
    } else {
        "(a non-string payload)"
    }
}
