//! Readable streams: Node's `stream.Readable`.
//!
//! A [`Readable`] buffers chunks that its source [`push`](Readable::push)es
//! and hands them to its consumer in one of two modes, exactly as Node
//! does:
//!
//! - **flowing**: a [`Data`](crate::events::Data) listener (or
//!   [`resume`](Readable::resume)) makes the stream emit every chunk as
//!   `'data'` as soon as it can;
//! - **paused**: the consumer calls [`read`](Readable::read), usually from
//!   a [`Readable`](crate::events::Readable) event listener.
//!
//! The buffer is bounded by the high-water mark: `push` returns `false`
//! once the buffered length reaches it, and the source's
//! [`read`](ReadableBuilder::read) hook is only called while the buffer is
//! below it, so an unconsumed stream holds about one high-water mark of
//! data. `'end'` is emitted once, after all data was consumed, and with
//! auto-destroy `'close'` follows.
//!
//! Node's method and option names map to snake case (`readableFlowing` is
//! [`readable_flowing`](Readable::readable_flowing), `setEncoding` is
//! [`set_encoding`](Readable::set_encoding)); `push(null)` is
//! `push(None)`, and `read()` is `read(None)`. See `docs/readable.md` for
//! the whole map.
//!
//! # Examples
//!
//! ```
//! use std::{cell::Cell, rc::Rc};
//! use bytes::Bytes;
//! use streams_core::{events, Readable};
//!
//! let total = Rc::new(Cell::new(0));
//! let t = total.clone();
//! streams_core::run(async move {
//!     let mut left = 3;
//!     let r = Readable::<Bytes>::builder()
//!         .read(move |this, _size| {
//!             // Push later, from a tick, as a real source would.
//!             let this = this.clone();
//!             left -= 1;
//!             let last = left == 0;
//!             streams_core::next_tick(move || {
//!                 this.push(Bytes::from_static(b"data"));
//!                 if last {
//!                     this.push(None);
//!                 }
//!             });
//!         })
//!         .build();
//!     r.on(events::Data, move |chunk: &Bytes| t.set(t.get() + chunk.len()));
//! });
//! assert_eq!(total.get(), 12);
//! ```

mod builder;
mod decode;
mod emit;
mod flow;
mod handle;
mod listen;
mod pipe;
mod push;
mod read;
mod side;

pub use self::builder::ReadableBuilder;
pub use self::handle::{PipeOptions, Readable};
pub(crate) use self::listen::Add;
pub(crate) use self::side::{ReadHook, ReadSide};

/// The guide's page on Readable (`docs/readable.md`), whose examples are
/// compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../../docs/readable.md")]
struct ReadableGuide;
