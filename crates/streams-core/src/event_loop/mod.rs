//! Node's event loop on one thread: `process.nextTick`, `queueMicrotask`,
//! `setImmediate`, and the entry points that drive them.
//!
//! In Node every stream lives on the process's single event loop, and much
//! of its observable behaviour is *when* things happen: `'data'` starts on
//! the next tick after `resume()`, a synchronous write callback is deferred
//! to the next tick, `'close'` follows `'error'` a tick later. To reproduce
//! that, each thread gets the same queues Node has:
//!
//! - [`next_tick`]: FIFO, drained completely after every macrotask (ticks
//!   queued by ticks run in the same drain), before microtasks;
//! - [`queue_microtask`]: drained after the ticks, like promise
//!   continuations;
//! - [`set_immediate`]: the check phase, after the ticks and after tokio's
//!   I/O driver has run once.
//!
//! A *macrotask* is one poll of a future started by [`run`] or [`spawn`]
//! (see [`Macrotask`]), one immediate, or one callback the streams dispatch
//! from their own tasks; the tick queue is drained after each. Code spawned
//! with plain `tokio::task::spawn_local` is covered by a backstop driver
//! task that wakes whenever the tick queue goes from empty to non-empty.
//!
//! # Examples
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//!
//! let log = Rc::new(RefCell::new(Vec::new()));
//! let l = log.clone();
//! streams_core::run(async move {
//!     let push = |s: &'static str| { let l = l.clone(); move || l.borrow_mut().push(s) };
//!     streams_core::set_immediate(push("immediate"));
//!     streams_core::queue_microtask(push("microtask"));
//!     streams_core::next_tick(push("tick"));
//!     l.borrow_mut().push("sync");
//! });
//! assert_eq!(*log.borrow(), ["sync", "tick", "microtask", "immediate"]);
//! ```

mod driver;
mod immediate;
mod macrotask;
mod queue;
mod run;
mod spawn;

pub use self::immediate::{immediate, Immediate};
pub use self::macrotask::Macrotask;
pub use self::queue::{
    clear_immediate, drain_ticks, next_tick, queue_microtask, set_immediate, ImmediateId,
};
pub(crate) use self::queue::{
    next_tick_core, next_tick_shared, next_tick_write_done, queue_microtask_shared, CoreTick,
    OnTick,
};
pub use self::run::{live_tasks, run};
pub use self::spawn::spawn;
pub(crate) use self::spawn::{spawn_detached, Live};
