//! The drivers: the backstop that drains ticks queued from code we do not
//! poll ourselves, and the check phase that runs immediates.

use std::future::poll_fn;
use std::task::Poll;

use super::queue::{drain_ticks, with_loop};

/// Clears the installed flag when the `LocalSet` drops its drivers.
struct Installed;

impl Drop for Installed {
    fn drop(&mut self) {
        with_loop(|l| {
            l.drivers_installed.set(false);
            l.tick_driver.borrow_mut().take();
            l.immediate_driver.borrow_mut().take();
        });
    }
}

/// Installs the two driver tasks on the current `LocalSet` unless they are
/// there already. They are not live tasks: they never keep `run` going.
pub(crate) fn ensure_drivers() {
    if with_loop(|l| l.drivers_installed.replace(true)) {
        return;
    }
    let installed = Installed;
    tokio::task::spawn_local(async move {
        let _installed = installed;
        let ticks = poll_fn(|cx| {
            drain_ticks();
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
                tokio::task::yield_now().await;
                check_phase();
            }
        };
        futures::future::join(ticks, Box::pin(immediates)).await;
    });
}

/// Runs the immediates queued before this phase began, each followed by a
/// drain of the nextTick queue; later ones wait for the next round.
fn check_phase() {
    drain_ticks();
    let count = with_loop(|l| l.immediate_count());
    for _ in 0..count {
        let Some(immediate) = with_loop(|l| l.pop_immediate()) else { break };
        immediate();
        drain_ticks();
    }
    with_loop(|l| l.wake_idle());
}
