//! The per-thread queues: nextTick, microtasks and immediates.
//!
//! Node keeps one event loop per process; we keep one per thread, in a
//! thread-local, because a stream lives on the thread that made it. The
//! queues hold boxed callbacks (or, for a write's completion, the
//! [`WriteCallback`] itself, unboxed); draining takes one out, drops the
//! borrow and only then calls it, so a callback may queue more work (or
//! anything else).

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Waker;

use crate::writable::Completion;
use crate::{StreamError, WriteCallback};

type Callback = Box<dyn FnOnce() + 'static>;

/// A step a stream queues about itself on the next tick, once per chunk
/// or write on some paths: queued as the stream itself (an `Rc` clone,
/// coerced to `dyn OnTick`) and this, so that no closure is boxed.
pub(crate) enum CoreTick {
    /// Node's `emitReadable_`.
    EmitReadable,
    /// Node's `maybeReadMore_`.
    ReadMore,
    /// Node's `resume_`.
    Resume,
    /// Node's `afterWrite`, for a synchronous write completion.
    AfterWrite(Completion),
}

/// What runs a [`CoreTick`]: a stream's core.
pub(crate) trait OnTick {
    fn on_tick(self: Rc<Self>, tick: CoreTick);
}

/// A queued tick or microtask: a boxed closure (the public API), a
/// shared one that the async face queues again and again without
/// allocating (an `Rc` clone), a write's completion queued by
/// [`WriteCallback::call_next_tick`] (a small value, not boxed), or a
/// stream's own step (the stream and which step, not boxed).
enum Job {
    Once(Callback),
    Shared(Rc<dyn Fn()>),
    WriteDone(WriteCallback, Result<(), StreamError>),
    Core(Rc<dyn OnTick>, CoreTick),
}

impl Job {
    fn run(self) {
        match self {
            Job::Once(f) => f(),
            Job::Shared(f) => f(),
            Job::WriteDone(cb, result) => cb.call_queued(result),
            Job::Core(core, tick) => core.on_tick(tick),
        }
    }
}

/// The identity of a callback queued with [`set_immediate`], for
/// [`clear_immediate`].
///
/// # Examples
///
/// ```
/// streams_core::run(async {
///     let id = streams_core::set_immediate(|| unreachable!("cleared"));
///     assert!(streams_core::clear_immediate(id));
/// });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ImmediateId(u64);

pub(crate) struct Loop {
    ticks: RefCell<VecDeque<Job>>,
    microtasks: RefCell<VecDeque<Job>>,
    immediates: RefCell<VecDeque<(ImmediateId, Callback)>>,
    next_immediate: Cell<u64>,
    /// True while [`drain_ticks`] runs: a nested drain returns at once and
    /// the outer one picks up what was queued.
    draining: Cell<bool>,
    /// How many macrotask polls are on the stack; each drains ticks when it
    /// returns, so queueing a tick need not wake the backstop driver.
    macrotask_depth: Cell<u32>,
    pub(crate) tick_driver: RefCell<Option<Waker>>,
    pub(crate) immediate_driver: RefCell<Option<Waker>>,
    /// The generation of the drivers installed on the current `LocalSet`,
    /// if any; see `driver.rs`.
    pub(crate) drivers_installed: Cell<Option<u64>>,
    pub(crate) next_driver_generation: Cell<u64>,
    live_tasks: Cell<usize>,
    idle_waker: RefCell<Option<Waker>>,
}

thread_local! {
    static LOOP: Loop = const {
        Loop {
            ticks: RefCell::new(VecDeque::new()),
            microtasks: RefCell::new(VecDeque::new()),
            immediates: RefCell::new(VecDeque::new()),
            next_immediate: Cell::new(0),
            draining: Cell::new(false),
            macrotask_depth: Cell::new(0),
            tick_driver: RefCell::new(None),
            immediate_driver: RefCell::new(None),
            drivers_installed: Cell::new(None),
            next_driver_generation: Cell::new(0),
            live_tasks: Cell::new(0),
            idle_waker: RefCell::new(None),
        }
    };
}

pub(crate) fn with_loop<R>(f: impl FnOnce(&Loop) -> R) -> R {
    LOOP.with(f)
}

fn wake(slot: &RefCell<Option<Waker>>) {
    // Clone out of the cell first: waking must not run with the borrow held.
    let waker = slot.borrow().clone();
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// Queues `f` to run when the current macrotask is over, before any
/// immediate, timer or I/O completion: Node's `process.nextTick`.
///
/// Ticks run in FIFO order, and a tick queued by a tick runs in the same
/// drain. The queue is drained after every poll of a future run by
/// [`run`](crate::run) or [`spawn`](crate::spawn), after every callback the
/// streams dispatch themselves, and, as a backstop, by a driver task for
/// code spawned with plain `tokio::task::spawn_local`.
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
///     l.borrow_mut().push("sync");
/// });
/// assert_eq!(*log.borrow(), ["sync", "tick"]);
/// ```
pub fn next_tick(f: impl FnOnce() + 'static) {
    push_tick(Job::Once(Box::new(f)));
}

/// [`next_tick`] for a closure the caller keeps and queues again: no
/// allocation per call.
pub(crate) fn next_tick_shared(f: &Rc<dyn Fn()>) {
    push_tick(Job::Shared(f.clone()));
}

/// Queues `cb.call(result)` as a tick, without boxing a closure: the
/// same FIFO place [`next_tick`] would give it.
pub(crate) fn next_tick_write_done(cb: WriteCallback, result: Result<(), StreamError>) {
    push_tick(Job::WriteDone(cb, result));
}

/// Queues a stream's own step as a tick, without boxing a closure: the
/// same FIFO place [`next_tick`] would give it.
pub(crate) fn next_tick_core(core: Rc<dyn OnTick>, tick: CoreTick) {
    push_tick(Job::Core(core, tick));
}

#[inline]
fn push_tick(job: Job) {
    LOOP.with(|l| {
        let was_empty = {
            let mut ticks = l.ticks.borrow_mut();
            let was_empty = ticks.is_empty();
            ticks.push_back(job);
            was_empty
        };
        if was_empty && !l.draining.get() && l.macrotask_depth.get() == 0 {
            wake(&l.tick_driver);
        }
    })
}

/// Queues `f` as a microtask: it runs after the nextTick queue is empty,
/// in the same drain, like a promise continuation in Node.
///
/// Node's order holds: all pending ticks, then all microtasks (including
/// microtasks queued by microtasks), then the ticks those queued, and so on
/// until both queues are empty.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
///
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// streams_core::run(async move {
///     let (a, b) = (l.clone(), l.clone());
///     streams_core::queue_microtask(move || a.borrow_mut().push("microtask"));
///     streams_core::next_tick(move || b.borrow_mut().push("tick"));
/// });
/// assert_eq!(*log.borrow(), ["tick", "microtask"]);
/// ```
pub fn queue_microtask(f: impl FnOnce() + 'static) {
    push_microtask(Job::Once(Box::new(f)));
}

/// [`queue_microtask`] for a closure the caller keeps and queues again:
/// no allocation per call.
pub(crate) fn queue_microtask_shared(f: &Rc<dyn Fn()>) {
    push_microtask(Job::Shared(f.clone()));
}

fn push_microtask(job: Job) {
    LOOP.with(|l| {
        let was_empty = {
            let mut queue = l.microtasks.borrow_mut();
            let was_empty = queue.is_empty();
            queue.push_back(job);
            was_empty
        };
        if was_empty && !l.draining.get() && l.macrotask_depth.get() == 0 {
            wake(&l.tick_driver);
        }
    })
}

/// Queues `f` to run in the next check phase: after the current ticks and
/// microtasks, and after I/O that is ready has been polled. Node's
/// `setImmediate`.
///
/// Immediates run in FIFO order, each followed by a full drain of the
/// nextTick queue. An immediate queued by an immediate runs in the next
/// round, after I/O has been polled again.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
///
/// let log = Rc::new(RefCell::new(Vec::new()));
/// let l = log.clone();
/// streams_core::run(async move {
///     let (a, b) = (l.clone(), l.clone());
///     streams_core::set_immediate(move || a.borrow_mut().push("immediate"));
///     streams_core::next_tick(move || b.borrow_mut().push("tick"));
/// });
/// assert_eq!(*log.borrow(), ["tick", "immediate"]);
/// ```
pub fn set_immediate(f: impl FnOnce() + 'static) -> ImmediateId {
    LOOP.with(|l| {
        let id = ImmediateId(l.next_immediate.get());
        l.next_immediate.set(id.0 + 1);
        let was_empty = {
            let mut queue = l.immediates.borrow_mut();
            let was_empty = queue.is_empty();
            queue.push_back((id, Box::new(f)));
            was_empty
        };
        if was_empty {
            wake(&l.immediate_driver);
        }
        id
    })
}

/// Cancels an immediate that has not run yet (Node's `clearImmediate`).
/// Returns whether it was still queued.
///
/// # Examples
///
/// ```
/// streams_core::run(async {
///     let id = streams_core::set_immediate(|| panic!("never runs"));
///     assert!(streams_core::clear_immediate(id));
///     assert!(!streams_core::clear_immediate(id));
/// });
/// ```
pub fn clear_immediate(id: ImmediateId) -> bool {
    LOOP.with(|l| {
        let mut queue = l.immediates.borrow_mut();
        match queue.iter().position(|(queued, _)| *queued == id) {
            Some(index) => {
                // Dropped after the borrow ends: a callback's captures may
                // have destructors that touch the loop.
                let removed = queue.remove(index);
                drop(queue);
                drop(removed);
                true
            }
            None => false,
        }
    })
}

/// Resets `draining` even if a callback panics, so the loop stays usable.
struct DrainGuard<'a>(&'a Loop);

impl Drop for DrainGuard<'_> {
    fn drop(&mut self) {
        self.0.draining.set(false);
        // A callback panicked and the drain stops here. What it left queued
        // would wait for an unrelated drain: queueing more does not wake
        // the backstop driver, since the queue is not empty. Wake it now.
        if std::thread::panicking() && self.0.has_ticks() {
            wake(&self.0.tick_driver);
        }
    }
}

/// Runs every queued tick and microtask, in Node's order, until both queues
/// are empty. A nested call (from inside a tick) returns at once: the outer
/// drain runs what it queued.
///
/// The streams call this after each callback they dispatch from a task; you
/// need it only when you drive streams from code that is neither
/// [`run`](crate::run), [`spawn`](crate::spawn) nor under the backstop
/// driver, such as a hand-written `Future::poll`.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc};
///
/// let ran = Rc::new(Cell::new(false));
/// let r = ran.clone();
/// streams_core::next_tick(move || r.set(true));
/// assert!(!ran.get());
/// streams_core::drain_ticks();
/// assert!(ran.get());
/// ```
pub fn drain_ticks() {
    LOOP.with(|l| {
        if l.draining.replace(true) {
            return;
        }
        let _guard = DrainGuard(l);
        loop {
            loop {
                let tick = l.ticks.borrow_mut().pop_front();
                match tick {
                    Some(tick) => tick.run(),
                    None => break,
                }
            }
            loop {
                let task = l.microtasks.borrow_mut().pop_front();
                match task {
                    Some(task) => task.run(),
                    None => break,
                }
            }
            if l.ticks.borrow().is_empty() {
                break;
            }
        }
    })
}

impl Loop {
    pub(crate) fn enter_macrotask(&self) {
        self.macrotask_depth.set(self.macrotask_depth.get() + 1);
    }

    pub(crate) fn leave_macrotask(&self) {
        self.macrotask_depth.set(self.macrotask_depth.get() - 1);
    }

    pub(crate) fn has_ticks(&self) -> bool {
        !self.ticks.borrow().is_empty() || !self.microtasks.borrow().is_empty()
    }

    pub(crate) fn has_immediates(&self) -> bool {
        !self.immediates.borrow().is_empty()
    }

    /// The id the next immediate will get. A check phase runs only the
    /// immediates with smaller ids: those queued before it began.
    pub(crate) fn immediate_bound(&self) -> u64 {
        self.next_immediate.get()
    }

    /// Takes the first immediate if it was queued before `bound`. Ids grow
    /// in queue order, so this stops at the first immediate queued during
    /// the phase, whatever was cleared meanwhile (counting them instead
    /// would let a newcomer take the place of a cleared one, as Node, which
    /// detaches the queue when the phase begins, never does).
    pub(crate) fn pop_immediate_before(&self, bound: u64) -> Option<Callback> {
        let mut queue = self.immediates.borrow_mut();
        match queue.front() {
            Some((id, _)) if id.0 < bound => queue.pop_front().map(|(_, f)| f),
            _ => None,
        }
    }

    /// Drops whatever is still queued: what the tasks of a finished `run`
    /// queued from their destructors as its `LocalSet` dropped them, or
    /// what a `run` that panicked left behind. It must not run in the next
    /// `run` on this thread. The callbacks are dropped with no borrow held;
    /// their destructors may queue more, hence the loop.
    pub(crate) fn discard_pending(&self) {
        loop {
            let ticks = std::mem::take(&mut *self.ticks.borrow_mut());
            let microtasks = std::mem::take(&mut *self.microtasks.borrow_mut());
            let immediates = std::mem::take(&mut *self.immediates.borrow_mut());
            if ticks.is_empty() && microtasks.is_empty() && immediates.is_empty() {
                break;
            }
            drop((ticks, microtasks, immediates));
        }
        self.set_idle_waker(None);
    }

    pub(crate) fn task_started(&self) {
        self.live_tasks.set(self.live_tasks.get() + 1);
    }

    pub(crate) fn task_ended(&self) {
        self.live_tasks.set(self.live_tasks.get() - 1);
        if self.live_tasks.get() == 0 {
            self.wake_idle();
        }
    }

    pub(crate) fn live_tasks(&self) -> usize {
        self.live_tasks.get()
    }

    pub(crate) fn wake_idle(&self) {
        wake(&self.idle_waker);
    }

    pub(crate) fn set_idle_waker(&self, waker: Option<&Waker>) {
        *self.idle_waker.borrow_mut() = waker.cloned();
    }

    /// Whether nothing of ours is pending: the condition for `run` to return.
    pub(crate) fn is_idle(&self) -> bool {
        !self.has_ticks() && !self.has_immediates() && self.live_tasks.get() == 0
    }
}
