//! Writable streams: Node's `stream.Writable`.
//!
//! A [`Writable`] accepts chunks from a producer and hands them, one at a
//! time, to its implementation's [`write`](WritableBuilder::write) hook,
//! exactly as Node does:
//!
//! - [`write`](Writable::write) accepts the chunk and returns whether the
//!   producer may go on: `false` once what is accepted but not yet written
//!   reaches the high-water mark. A producer that stops on `false` and
//!   resumes on [`Drain`](crate::events::Drain) keeps memory bounded by
//!   the high-water mark, whatever it writes.
//! - The hook calls its [`WriteCallback`] when the chunk is written, now or
//!   later; meanwhile further chunks wait in the buffer.
//!   [`cork`](Writable::cork) holds them back on purpose, and a
//!   [`writev`](WritableBuilder::writev) hook receives everything that
//!   waited in one batch.
//! - [`end`](Writable::end) says no more will come: once the buffer is
//!   empty the [`final_`](WritableBuilder::final_) hook runs, then
//!   `'prefinish'`, the `end` callbacks, `'finish'`, and, with
//!   auto-destroy, `'close'`.
//!
//! The timing is Node's: a callback from a hook that completed
//! synchronously is deferred to the next tick, `'drain'` comes on the
//! tick after the buffer empties and never after `end()`, a failed write
//! fails every buffered one and then emits `'error'` and `'close'`.
//!
//! Node's method and option names map to snake case (`writableLength` is
//! [`writable_length`](Writable::writable_length), `decodeStrings` is
//! [`decode_strings`](WritableBuilder::decode_strings)); a write with a
//! callback is [`write_with`](Writable::write_with), a string is written
//! with [`write_str`](Writable::write_str), and `final` is `final_`.
//! `docs/writable.md` has the whole map and the choices where Rust
//! differs.
//!
//! # Examples
//!
//! The classic one: a destination that takes a while per chunk, and a
//! producer that respects backpressure.
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//! use bytes::Bytes;
//! use streams_core::{events, Writable};
//!
//! let log = Rc::new(RefCell::new(Vec::new()));
//! let l = log.clone();
//! streams_core::run(async move {
//!     let l2 = l.clone();
//!     let w = Writable::<Bytes>::builder()
//!         .high_water_mark(8)
//!         .write(move |_, chunk, _, cb| {
//!             l2.borrow_mut().push(format!("write {}", String::from_utf8_lossy(&chunk)));
//!             streams_core::set_immediate(move || cb.call(Ok(())));
//!         })
//!         .build();
//!     let l3 = l.clone();
//!     w.on(events::Drain, move |_| l3.borrow_mut().push("drain".to_string()));
//!     for s in ["1111", "222", "3333"] {
//!         let more = w.write(Bytes::from(s));
//!         l.borrow_mut().push(format!("{s} -> {more}"));
//!     }
//! });
//! assert_eq!(
//!     *log.borrow(),
//!     ["write 1111", "1111 -> true", "222 -> true", "3333 -> false",
//!      "write 222", "write 3333", "drain"]
//! );
//! ```

mod buffer;
mod builder;
mod callback;
mod emit;
mod end;
mod handle;
mod side;
mod strings;
mod write;

pub use self::buffer::BufferedChunk;
pub use self::builder::WritableBuilder;
pub use self::callback::WriteCallback;
pub use self::handle::Writable;
pub(crate) use self::side::Completion;
pub(crate) use self::side::{FinalHook, WriteHook, WriteOptions, WriteSide, WritevHook};
pub use crate::stream::Void;

/// `docs/writable.md`, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../../docs/writable.md")]
struct WritableGuide;
