//! The machinery of [streams]: Node.js streams on tokio.
//!
//! This crate holds what every stream stands on:
//!
//! - the **event loop** ([`run`], [`spawn`], [`next_tick`],
//!   [`set_immediate`], [`queue_microtask`]): Node's ordering of
//!   `process.nextTick`, promise continuations and `setImmediate`,
//!   reproduced per thread on a tokio `LocalSet`;
//! - **typed events** ([`events`]): Node's `EventEmitter` with events as
//!   types;
//! - **errors** ([`StreamError`]): one cheap-to-clone error carrying Node's
//!   code (`ERR_STREAM_WRITE_AFTER_END`, `ENOENT`, ...);
//! - the streams ([`Readable`], [`Writable`], [`Duplex`], [`Transform`],
//!   [`pipeline`], [`finished`]) and their **async face**
//!   ([`async_face`]): `futures::Stream` and `Sink`, async sources, sinks
//!   and pipeline stages over the same state machines.
//!
//! Streams are `!Send` handles to state on the thread that made them, as a
//! Node stream lives on its event loop. Run them inside [`run`] (or a
//! `LocalSet` on which [`spawn`] was called).
//!
//! [streams]: https://docs.rs/streams
//!
//! # Examples
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//! use streams_core::events::{End, EventEmitter};
//!
//! let log = Rc::new(RefCell::new(Vec::new()));
//! let l = log.clone();
//! streams_core::run(async move {
//!     let emitter = Rc::new(EventEmitter::<()>::new());
//!     let l2 = l.clone();
//!     emitter.on(End, move |_| l2.borrow_mut().push("end"));
//!     let e = emitter.clone();
//!     // Emitted on the next tick, after the synchronous code.
//!     streams_core::next_tick(move || {
//!         e.emit(End, &());
//!     });
//!     l.borrow_mut().push("sync");
//! });
//! assert_eq!(*log.borrow(), ["sync", "end"]);
//! ```
#![doc(test(no_crate_inject, attr(deny(warnings))))]
#![forbid(unsafe_code)]

pub mod async_face;
mod compose;
pub mod duplex;
pub mod encoding;
mod error;
mod event_loop;
pub mod events;
mod finished;
mod high_water_mark;
mod pipeline;
pub mod promises;
pub mod readable;
mod stream;
pub mod transform;
pub mod writable;

pub use self::async_face::{generate, Consumer, IterOptions, NodeStreamExt, Source, Yielder};
pub use self::compose::{compose, ComposeStreams};
pub use self::duplex::{Duplex, DuplexBuilder};
pub use self::error::{ErrorKind, StreamError};
pub use self::event_loop::{
    clear_immediate, drain_ticks, immediate, live_tasks, next_tick, queue_microtask, run,
    set_immediate, spawn, Immediate, ImmediateId, Macrotask,
};
pub use self::finished::{finished, Cleanup, FinishedOptions};
pub use self::high_water_mark::{
    get_default_high_water_mark, set_default_high_water_mark, DEFAULT_BYTES_HIGH_WATER_MARK,
    DEFAULT_OBJECT_HIGH_WATER_MARK,
};
pub use self::pipeline::{pipeline, PipelineStreams};
pub use self::readable::{Readable, ReadableBuilder};
pub use self::stream::{live_streams, Callback, ReadableStream, Stream, StreamId, WritableStream};
#[doc(hidden)]
pub use self::stream::{AnyStreamRef, ReadEndRef, WriteEndRef};
pub use self::transform::{PassThrough, Transform, TransformBuilder};
pub use self::writable::{BufferedChunk, Writable, WritableBuilder, WriteCallback};

/// The guide's page on composition (`docs/composition.md`), whose examples
/// are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/composition.md")]
struct CompositionGuide;
