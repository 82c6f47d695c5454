//! The event loop: `run`, `spawn`, `next_tick`, `queue_microtask`,
//! `set_immediate`/`clear_immediate`, `immediate()`, the backstop driver
//! for plain `spawn_local`, and the loop's state between runs.
//!
//! The orderings Node itself prints are checked against recorded traces in
//! `tests/conformance/event_loop.rs`; this file covers the rest of the
//! contract.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::task::{Context, Wake, Waker};
use std::time::{Duration, Instant};

use streams::{
    clear_immediate, drain_ticks, immediate, live_tasks, next_tick, queue_microtask, run,
    set_immediate, spawn,
};
use tokio::task::{spawn_local, yield_now, LocalSet};

/// The lines a test records, in order. Cheap to clone into callbacks.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    /// A callback that records `line` when called.
    fn later(&self, line: impl Into<String>) -> impl FnOnce() + 'static {
        let log = self.clone();
        let line = line.into();
        move || log.push(line)
    }

    fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// A fresh current-thread runtime, as a user would build one.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// Runs `f` on its own thread and fails the test if it has not finished
/// within `secs` seconds (instead of hanging the test suite).
fn within<R: Send + 'static>(secs: u64, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(panic::catch_unwind(AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(Ok(out)) => out,
        Ok(Err(panic)) => panic::resume_unwind(panic),
        Err(_) => panic!("did not finish within {secs} s: the loop hangs"),
    }
}

// ---------------------------------------------------------------------------
// run
// ---------------------------------------------------------------------------

#[test]
fn run_returns_the_futures_output() {
    assert_eq!(run(async { 42 }), 42);
    let text = run(async {
        yield_now().await;
        String::from("after an await")
    });
    assert_eq!(text, "after an await");
}

#[test]
fn run_waits_for_spawned_tasks() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        for name in ["a", "b"] {
            let l = l.clone();
            spawn(async move {
                for step in 0..3 {
                    yield_now().await;
                    l.push(format!("{name} {step}"));
                }
            });
        }
        l.push("main returned");
    });
    let lines = log.lines();
    assert_eq!(lines.len(), 7, "{lines:?}");
    assert_eq!(lines[0], "main returned");
    assert!(lines.contains(&"a 2".to_string()) && lines.contains(&"b 2".to_string()));
    assert_eq!(live_tasks(), 0);
}

#[test]
fn run_waits_for_timers_inside_spawned_tasks() {
    let log = Log::default();
    let l = log.clone();
    let start = Instant::now();
    run(async move {
        let l2 = l.clone();
        spawn(async move {
            tokio::time::sleep(Duration::from_millis(30)).await;
            l2.push("timer fired");
            // A task spawned by a task, after a timer, is waited for too.
            let l3 = l2.clone();
            spawn(async move {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let l4 = l3.clone();
                next_tick(move || l4.push("tick after the second timer"));
                l3.push("second timer fired");
            });
        });
        l.push("main returned");
    });
    assert!(start.elapsed() >= Duration::from_millis(40));
    assert_eq!(
        log.lines(),
        ["main returned", "timer fired", "second timer fired", "tick after the second timer"]
    );
}

#[test]
fn run_waits_for_pending_ticks_and_immediates() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        yield_now().await;
        // Queued as the future returns: run must not return before they
        // run, nor before what they queue in turn has run.
        let l2 = l.clone();
        set_immediate(move || {
            l2.push("immediate 1");
            let l3 = l2.clone();
            next_tick(move || {
                l3.push("tick from immediate 1");
                let l4 = l3.clone();
                set_immediate(move || {
                    l4.push("immediate 2");
                    let l5 = l4.clone();
                    spawn(async move {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        l5.push("task from immediate 2");
                        queue_microtask(l5.later("microtask from the task"));
                    });
                });
            });
        });
        next_tick(l.later("tick"));
        queue_microtask(l.later("microtask"));
    });
    assert_eq!(
        log.lines(),
        [
            "tick",
            "microtask",
            "immediate 1",
            "tick from immediate 1",
            "immediate 2",
            "task from immediate 2",
            "microtask from the task"
        ]
    );
}

#[test]
fn a_long_chain_of_immediates_runs_to_the_end() {
    fn chain(count: Rc<Cell<u32>>) {
        if count.get() < 1000 {
            count.set(count.get() + 1);
            set_immediate(move || chain(count));
        }
    }
    let count = Rc::new(Cell::new(0));
    let c = count.clone();
    run(async move { chain(c) });
    assert_eq!(count.get(), 1000);
}

#[test]
fn run_can_be_called_many_times_on_one_thread() {
    for round in 0..50 {
        let log = Log::default();
        let l = log.clone();
        let out = run(async move {
            assert_eq!(live_tasks(), 0, "round {round}: a task leaked from the last run");
            set_immediate(l.later("immediate"));
            queue_microtask(l.later("microtask"));
            next_tick(l.later("tick"));
            let l2 = l.clone();
            spawn(async move {
                immediate().await;
                l2.push("task");
            });
            l.push("sync");
            round
        });
        assert_eq!(out, round);
        assert_eq!(log.lines(), ["sync", "tick", "microtask", "immediate", "task"], "{round}");
        assert_eq!(live_tasks(), 0);
    }
}

#[test]
fn a_tick_queued_during_one_run_does_not_leak_into_the_next() {
    let log = Log::default();

    // A tick queued as the future returns runs inside that run.
    let l = log.clone();
    run(async move { next_tick(l.later("last-moment tick")) });
    assert_eq!(log.take(), ["last-moment tick"]);

    // A plain `spawn_local` task is not waited for: it is dropped with the
    // run's `LocalSet`. What its destructor queues must not run in the
    // next run.
    struct QueueOnDrop(Log);
    impl Drop for QueueOnDrop {
        fn drop(&mut self) {
            next_tick(self.0.later("tick queued by a destructor"));
            queue_microtask(self.0.later("microtask queued by a destructor"));
            set_immediate(self.0.later("immediate queued by a destructor"));
        }
    }
    let l = log.clone();
    run(async move {
        let guard = QueueOnDrop(l);
        spawn_local(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        });
    });
    let _ = log.take();

    let l = log.clone();
    run(async move {
        l.push("next run");
        immediate().await;
        l.push("next run after an immediate");
    });
    assert_eq!(log.take(), ["next run", "next run after an immediate"]);
    drain_ticks();
    assert!(log.lines().is_empty(), "{:?}", log.lines());
}

#[test]
fn a_panicking_run_leaves_the_next_one_clean() {
    let log = Log::default();
    let l = log.clone();
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        run(async move {
            next_tick(l.later("tick of the failed run"));
            set_immediate(l.later("immediate of the failed run"));
            let l2 = l.clone();
            spawn(async move {
                std::future::pending::<()>().await;
                l2.push("never");
            });
            panic!("the future fails");
        })
    }));
    assert!(result.is_err());
    assert_eq!(live_tasks(), 0);

    let l = log.clone();
    run(async move {
        assert_eq!(live_tasks(), 0);
        let l2 = l.clone();
        next_tick(move || l2.push("tick"));
        immediate().await;
        l.push("after immediate");
    });
    assert_eq!(log.take(), ["tick", "after immediate"]);
}

// ---------------------------------------------------------------------------
// spawn and live_tasks
// ---------------------------------------------------------------------------

#[test]
fn spawn_starts_a_new_macrotask() {
    // Not like calling an async function (which in Node runs synchronously
    // to its first await): the task first runs after the current macrotask
    // and its ticks.
    let log = Log::default();
    let l = log.clone();
    let out = run(async move {
        let l2 = l.clone();
        let task = spawn(async move {
            l2.push("task starts");
            next_tick(l2.later("task's tick"));
            yield_now().await;
            l2.push("task resumes");
            7
        });
        next_tick(l.later("main's tick"));
        l.push("sync");
        task.await.unwrap()
    });
    assert_eq!(out, 7);
    assert_eq!(log.lines(), ["sync", "main's tick", "task starts", "task's tick", "task resumes"]);
}

#[test]
fn each_poll_of_a_task_is_a_macrotask() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        for name in ["main", "task"] {
            let l = l.clone();
            let body = async move {
                for step in 0..2 {
                    let ran = Rc::new(Cell::new(false));
                    let r = ran.clone();
                    next_tick(move || r.set(true));
                    yield_now().await;
                    assert!(ran.get(), "{name}: the tick of step {step} ran before the await");
                    l.push(format!("{name} {step}"));
                }
            };
            if name == "main" {
                body.await;
            } else {
                spawn(body);
            }
        }
    });
    assert_eq!(log.lines(), ["main 0", "main 1", "task 0", "task 1"]);
}

#[test]
fn live_tasks_counts_tasks_started_with_spawn() {
    assert_eq!(live_tasks(), 0);
    run(async {
        assert_eq!(live_tasks(), 0);
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let waiting = spawn(async move {
            let _ = rx.await;
        });
        let quick = spawn(async {});
        let forever = spawn(std::future::pending::<()>());
        // Detached: dropping the handle does not end the task.
        let (detached_tx, detached_rx) = futures::channel::oneshot::channel::<()>();
        drop(spawn(async move {
            let _ = detached_rx.await;
        }));
        // Plain spawn_local tasks are not counted.
        let plain = spawn_local(async {});
        assert_eq!(live_tasks(), 4);

        quick.await.unwrap();
        plain.await.unwrap();
        assert_eq!(live_tasks(), 3);
        detached_tx.send(()).unwrap();
        while live_tasks() == 3 {
            yield_now().await;
        }
        assert_eq!(live_tasks(), 2, "the detached task finished");

        forever.abort();
        assert!(forever.await.unwrap_err().is_cancelled());
        assert_eq!(live_tasks(), 1, "an aborted task is no longer live");

        tx.send(()).unwrap();
        waiting.await.unwrap();
        assert_eq!(live_tasks(), 0);
    });
    assert_eq!(live_tasks(), 0);
}

#[test]
fn a_spawned_task_keeps_run_alive_but_a_plain_spawn_local_does_not() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        spawn_local(async move {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            l2.push("plain task woke");
        });
        let l3 = l.clone();
        spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            l3.push("spawned task woke");
        });
    });
    assert_eq!(log.lines(), ["spawned task woke"]);
}

// ---------------------------------------------------------------------------
// next_tick and queue_microtask
// ---------------------------------------------------------------------------

#[test]
fn next_tick_is_fifo_and_drains_nested_ticks() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        for i in 0..3 {
            let l2 = l.clone();
            next_tick(move || {
                l2.push(format!("tick {i}"));
                let l3 = l2.clone();
                next_tick(move || {
                    l3.push(format!("tick {i}.0"));
                    next_tick(l3.later(format!("tick {i}.0.0")));
                });
            });
        }
        set_immediate(l.later("immediate"));
    });
    assert_eq!(
        log.lines(),
        [
            "tick 0",
            "tick 1",
            "tick 2",
            "tick 0.0",
            "tick 1.0",
            "tick 2.0",
            "tick 0.0.0",
            "tick 1.0.0",
            "tick 2.0.0",
            "immediate"
        ]
    );
}

#[test]
fn a_deep_chain_of_ticks_runs_without_recursion() {
    fn chain(count: Rc<Cell<u32>>) {
        if count.get() < 100_000 {
            count.set(count.get() + 1);
            next_tick(move || chain(count));
        }
    }
    let count = Rc::new(Cell::new(0));
    let c = count.clone();
    run(async move { chain(c) });
    assert_eq!(count.get(), 100_000);
}

#[test]
fn microtasks_run_after_the_ticks() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        queue_microtask(move || {
            l2.push("microtask 1");
            next_tick(l2.later("tick queued by microtask 1"));
            queue_microtask(l2.later("microtask queued by microtask 1"));
        });
        let l2 = l.clone();
        next_tick(move || {
            l2.push("tick 1");
            queue_microtask(l2.later("microtask queued by tick 1"));
            next_tick(l2.later("tick queued by tick 1"));
        });
        queue_microtask(l.later("microtask 2"));
        l.push("sync");
    });
    assert_eq!(
        log.lines(),
        [
            "sync",
            "tick 1",
            "tick queued by tick 1",
            "microtask 1",
            "microtask 2",
            "microtask queued by tick 1",
            "microtask queued by microtask 1",
            "tick queued by microtask 1"
        ]
    );
}

#[test]
fn a_microtask_alone_runs_after_the_macrotask() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        queue_microtask(l.later("microtask"));
        l.push("sync");
        yield_now().await;
        l.push("after await");
    });
    assert_eq!(log.lines(), ["sync", "microtask", "after await"]);
}

#[test]
fn drain_ticks_from_inside_a_tick_returns_at_once() {
    let log = Log::default();
    let l = log.clone();
    next_tick(move || {
        l.push("outer tick starts");
        next_tick(l.later("tick queued by the outer tick"));
        queue_microtask(l.later("microtask queued by the outer tick"));
        drain_ticks(); // nested: returns without running anything
        l.push("outer tick ends");
    });
    drain_ticks();
    assert_eq!(
        log.lines(),
        [
            "outer tick starts",
            "outer tick ends",
            "tick queued by the outer tick",
            "microtask queued by the outer tick"
        ]
    );
}

#[test]
fn drain_ticks_from_inside_a_microtask_returns_at_once() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        queue_microtask(move || {
            next_tick(l2.later("tick"));
            drain_ticks();
            l2.push("microtask ends");
        });
    });
    assert_eq!(log.lines(), ["microtask ends", "tick"]);
}

#[test]
fn a_panicking_tick_leaves_the_loop_usable() {
    let log = Log::default();
    next_tick(log.later("before"));
    next_tick(|| panic!("a tick fails"));
    next_tick(log.later("after"));
    queue_microtask(log.later("microtask"));
    let result = panic::catch_unwind(drain_ticks);
    assert!(result.is_err());
    assert_eq!(log.take(), ["before"]);

    // What was queued behind the panic runs at the next drain.
    drain_ticks();
    assert_eq!(log.take(), ["after", "microtask"]);
    // And the loop works as before, nested ticks included.
    let l = log.clone();
    next_tick(move || {
        l.push("tick");
        next_tick(l.later("nested tick"));
    });
    drain_ticks();
    assert_eq!(log.take(), ["tick", "nested tick"]);

    // The same inside a run.
    let l = log.clone();
    run(async move {
        next_tick(|| panic!("a tick fails inside run"));
        next_tick(l.later("tick behind the panic"));
        assert!(panic::catch_unwind(drain_ticks).is_err());
        set_immediate(l.later("immediate"));
        immediate().await;
        l.push("after immediate");
        let l2 = l.clone();
        spawn(async move { l2.push("task") }).await.unwrap();
    });
    assert_eq!(log.take(), ["tick behind the panic", "immediate", "after immediate", "task"]);
}

#[test]
fn a_panicking_immediate_ends_that_callback_only() {
    let log = within(10, || {
        let log = Log::default();
        let l = log.clone();
        run(async move {
            set_immediate(|| panic!("an immediate fails"));
            set_immediate(l.later("next immediate of the phase"));
            immediate().await;
            l.push("immediate() resolved");
            set_immediate(l.later("immediate of a later round"));
        });
        log.lines()
    });
    assert_eq!(
        log,
        ["next immediate of the phase", "immediate() resolved", "immediate of a later round"]
    );
}

#[test]
fn a_panicking_tick_drained_by_the_backstop_does_not_stop_it() {
    let log = within(10, || {
        let log = Log::default();
        let l = log.clone();
        run(async move {
            let l2 = l.clone();
            spawn_local(async move {
                next_tick(|| panic!("a tick fails"));
                next_tick(l2.later("tick behind the panic"));
                yield_now().await;
                let l3 = l2.clone();
                next_tick(move || l3.push("later tick"));
                yield_now().await;
                set_immediate(l2.later("immediate"));
            })
            .await
            .unwrap();
        });
        log.lines()
    });
    assert_eq!(log, ["tick behind the panic", "later tick", "immediate"]);
}

/// A tick that panics in the drain after a task's poll kills that task; the
/// ticks queued behind it must still run soon, not whenever something else
/// happens to drain the queue. Here the tick behind the panic is what the
/// other task waits for.
#[test]
fn ticks_behind_a_panic_in_a_task_still_run() {
    let log = within(10, || {
        let log = Log::default();
        let l = log.clone();
        run(async move {
            let (tx, rx) = futures::channel::oneshot::channel::<()>();
            let l2 = l.clone();
            spawn(async move {
                rx.await.unwrap();
                l2.push("waiter woke");
            });
            let l2 = l.clone();
            spawn(async move {
                next_tick(|| panic!("a tick fails"));
                next_tick(move || {
                    l2.push("tick behind the panic");
                    tx.send(()).unwrap();
                });
            });
            // Return at once: nothing of ours polls again until the waiter
            // is woken.
        });
        log.lines()
    });
    assert_eq!(log, ["tick behind the panic", "waiter woke"]);
}

#[test]
fn a_tick_queued_outside_any_loop_waits_for_the_next_drain() {
    let log = Log::default();
    next_tick(log.later("queued outside"));
    assert!(log.lines().is_empty());
    let l = log.clone();
    run(async move { l.push("run's first macrotask") });
    assert_eq!(log.take(), ["run's first macrotask", "queued outside"]);
}

// ---------------------------------------------------------------------------
// set_immediate, clear_immediate, immediate()
// ---------------------------------------------------------------------------

#[test]
fn immediates_run_fifo_after_the_ticks() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        for i in 0..3 {
            set_immediate(l.later(format!("immediate {i}")));
            next_tick(l.later(format!("tick {i}")));
        }
    });
    assert_eq!(
        log.lines(),
        ["tick 0", "tick 1", "tick 2", "immediate 0", "immediate 1", "immediate 2"]
    );
}

#[test]
fn clear_immediate_cancels_a_queued_immediate() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let a = set_immediate(l.later("a"));
        let b = set_immediate(|| panic!("cleared"));
        let c = set_immediate(l.later("c"));
        assert_ne!(a, b);
        assert!(clear_immediate(b));
        assert!(!clear_immediate(b), "already cleared");
        immediate().await;
        assert!(!clear_immediate(a), "already ran");
        assert!(!clear_immediate(c), "already ran");
    });
    assert_eq!(log.lines(), ["a", "c"]);
}

#[test]
fn an_immediate_can_clear_a_later_one_of_the_same_phase() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let victim: Rc<Cell<Option<streams::ImmediateId>>> = Rc::default();
        let (l2, v) = (l.clone(), victim.clone());
        set_immediate(move || {
            l2.push("first");
            assert!(clear_immediate(v.get().unwrap()));
        });
        victim.set(Some(set_immediate(|| panic!("cleared by the first immediate"))));
        set_immediate(l.later("third"));
    });
    assert_eq!(log.lines(), ["first", "third"]);
}

/// Node detaches the immediate queue when its check phase begins: an
/// immediate queued during the phase runs in the next round, after I/O and
/// other tasks have had their turn — even when an immediate of the phase
/// was cleared, which must not let a newcomer take its place.
#[test]
fn an_immediate_queued_during_the_check_phase_waits_for_the_next_round() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let (tx, rx) = futures::channel::oneshot::channel::<()>();
        let l2 = l.clone();
        spawn(async move {
            rx.await.unwrap();
            l2.push("task woken by immediate 1");
        });
        let victim: Rc<Cell<Option<streams::ImmediateId>>> = Rc::default();
        let (l2, v) = (l.clone(), victim.clone());
        set_immediate(move || {
            l2.push("immediate 1");
            tx.send(()).unwrap();
            assert!(clear_immediate(v.get().unwrap()));
            set_immediate(l2.later("immediate 3 (queued by immediate 1)"));
        });
        victim.set(Some(set_immediate(|| panic!("cleared by immediate 1"))));
        set_immediate(l.later("immediate 2"));
    });
    assert_eq!(
        log.lines(),
        [
            "immediate 1",
            "immediate 2",
            "task woken by immediate 1",
            "immediate 3 (queued by immediate 1)"
        ]
    );
}

#[test]
fn the_immediate_future_resolves_after_ticks_and_earlier_immediates() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        set_immediate(l.later("earlier immediate"));
        next_tick(l.later("tick"));
        immediate().await;
        l.push("immediate() resolved");
        set_immediate(l.later("later immediate"));
    });
    assert_eq!(
        log.lines(),
        ["tick", "earlier immediate", "immediate() resolved", "later immediate"]
    );
}

#[test]
fn dropping_the_immediate_future_cancels_it() {
    /// Counts its wake-ups.
    struct CountingWaker(AtomicUsize);
    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    let c = counter.clone();
    run(async move {
        // Polled once (it registers our waker), then dropped: had the
        // immediate stayed queued, it would wake that waker when it ran.
        let waker = Waker::from(c.clone());
        let mut cx = Context::from_waker(&waker);
        let mut pending = immediate();
        assert!(Pin::new(&mut pending).poll(&mut cx).is_pending());
        drop(pending);
        // Dropped without being polled at all: also fine.
        drop(immediate());
        // Let two check phases go by.
        immediate().await;
        immediate().await;
        assert_eq!(c.0.load(Ordering::SeqCst), 0);
    });
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);

    // Under `select!`, the losing immediate is cancelled.
    let log = Log::default();
    let l = log.clone();
    run(async move {
        tokio::select! {
            biased;
            () = std::future::ready(()) => l.push("ready won"),
            () = immediate() => l.push("immediate won"),
        }
        immediate().await;
        l.push("next immediate");
    });
    assert_eq!(log.lines(), ["ready won", "next immediate"]);
}

// ---------------------------------------------------------------------------
// The backstop driver
// ---------------------------------------------------------------------------

#[test]
fn ticks_from_plain_spawn_local_run_before_its_next_await_resolves() {
    let log = Log::default();
    let l = log.clone();
    run(async move {
        let l2 = l.clone();
        let task = spawn_local(async move {
            for step in 0..3 {
                let ran = Rc::new(Cell::new(false));
                let r = ran.clone();
                next_tick(move || r.set(true));
                let ran_microtask = Rc::new(Cell::new(false));
                let r = ran_microtask.clone();
                queue_microtask(move || r.set(true));
                yield_now().await;
                assert!(ran.get(), "step {step}: nobody drained the tick");
                assert!(ran_microtask.get(), "step {step}: nobody drained the microtask");
                l2.push(format!("step {step}"));
            }
            // Immediates queued from it run too.
            set_immediate(l2.later("immediate from a plain task"));
        });
        task.await.unwrap();
    });
    assert_eq!(log.lines(), ["step 0", "step 1", "step 2", "immediate from a plain task"]);
}

#[test]
fn a_users_own_local_set_drains_ticks_once_spawn_was_called() {
    let log = Log::default();
    let l = log.clone();
    let local = LocalSet::new();
    local.block_on(&runtime(), async move {
        // Installs the drivers on this LocalSet.
        spawn(async {}).await.unwrap();

        let l2 = l.clone();
        spawn_local(async move {
            let ran = Rc::new(Cell::new(false));
            let r = ran.clone();
            next_tick(move || r.set(true));
            yield_now().await;
            assert!(ran.get(), "the backstop driver did not drain the tick");
            l2.push("tick ran before the await resolved");
            immediate().await;
            l2.push("immediate() resolved");
        })
        .await
        .unwrap();

        // Ticks queued from the LocalSet's own block_on future too.
        let ran = Rc::new(Cell::new(false));
        let r = ran.clone();
        next_tick(move || r.set(true));
        yield_now().await;
        assert!(ran.get());
        l.push("done");
    });
    drop(local);
    assert_eq!(log.lines(), ["tick ran before the await resolved", "immediate() resolved", "done"]);

    // And `run` still works afterwards on this thread.
    assert_eq!(
        run(async {
            immediate().await;
            1
        }),
        1
    );
}

#[test]
fn run_works_while_a_users_local_set_is_alive() {
    within(10, || {
        let rt = runtime();
        let local = LocalSet::new();
        local.block_on(&rt, async { spawn(async {}).await.unwrap() });
        // `local` still holds its drivers; `run` needs its own.
        let log = Log::default();
        let l = log.clone();
        run(async move {
            let l2 = l.clone();
            spawn_local(async move {
                let ran = Rc::new(Cell::new(false));
                let r = ran.clone();
                next_tick(move || r.set(true));
                yield_now().await;
                assert!(ran.get(), "the backstop driver did not drain the tick");
                l2.push("plain task");
            })
            .await
            .unwrap();
            set_immediate(l.later("immediate"));
        });
        assert_eq!(log.lines(), ["plain task", "immediate"]);

        // The user's LocalSet still works after the run.
        let l = log.clone();
        local.block_on(&rt, async move {
            spawn_local(async move {
                let ran = Rc::new(Cell::new(false));
                let r = ran.clone();
                next_tick(move || r.set(true));
                yield_now().await;
                assert!(ran.get(), "the user's LocalSet lost its driver");
                immediate().await;
                l.push("user's LocalSet again");
            })
            .await
            .unwrap();
        });
        assert_eq!(log.lines(), ["plain task", "immediate", "user's LocalSet again"]);
    });
}
