//! The async Rust face: the same streams driven with `async`/`.await`,
//! `futures::Stream` and `futures::Sink`.
//!
//! Every stream is one state machine with two doors, Node's callbacks and
//! events on one side and futures on the other; both agree, event for
//! event:
//!
//! - A [`Readable`](crate::Readable) (and a [`Duplex`](crate::Duplex) or
//!   [`Transform`](crate::Transform)) is a `futures::Stream` of
//!   `Result<T, StreamError>`: Node's `for await (const chunk of
//!   readable)`. Dropping it before the end destroys the stream with
//!   `ABORT_ERR`, as `break` does; [`IterOptions`] opts out.
//! - A [`Writable`](crate::Writable) (and a Duplex or Transform) is a
//!   `futures::Sink`, whose `poll_ready` is backpressure; and
//!   [`write_async`](crate::Writable::write_async) /
//!   [`end_async`](crate::Writable::end_async) await one write or the end.
//! - Sources and destinations are written as async code:
//!   [`Readable::from_stream`](crate::Readable::from_stream),
//!   [`Readable::from_fn`](crate::Readable::from_fn) (an async generator,
//!   with [`Yielder`]), [`WritableBuilder::write_async`](crate::WritableBuilder::write_async)
//!   and the other `*_async` hooks, a [`Transform`](crate::Transform) from
//!   an async function ([`transform_async`](crate::TransformBuilder::transform_async))
//!   or from an async generator over its input
//!   ([`Transform::from_fn`](crate::Transform::from_fn), with a
//!   [`Source`]), and a [`Consumer`] that computes a value from its input.
//! - [`generate`] makes a plain `futures::Stream` from an async generator.
//! - [`NodeStreamExt`] has the few Node stream operators that `futures`
//!   lacks; the others map onto `StreamExt` / `TryStreamExt` (see
//!   `docs/async.md`).
//!
//! The async hooks are adapters over the callback hooks: a hook's future
//! is polled at once, where Node runs the hook, and, when it is pending,
//! by one local task per hook ([`spawn`](crate::spawn)ed lazily, reused for
//! every call), whose pending work keeps [`run`](crate::run) alive as an
//! open handle keeps a Node process alive.
//!
//! # Examples
//!
//! ```
//! use futures::{SinkExt, TryStreamExt};
//! use streams_core::{Readable, Writable};
//!
//! streams_core::run(async {
//!     // An async source, an async destination, and the futures traits
//!     // between them.
//!     let numbers = Readable::from_fn(|out| async move {
//!         for n in 1..=4u32 {
//!             out.send(n).await;
//!         }
//!         Ok(())
//!     });
//!     let mut sink = Writable::<u32>::object_builder()
//!         .write_async(|_, n, _| async move {
//!             streams_core::immediate().await;
//!             println!("{n}");
//!             Ok(())
//!         })
//!         .build();
//!     let mut evens = numbers.try_filter(|n| futures::future::ready(n % 2 == 0));
//!     sink.send_all(&mut evens).await.unwrap();
//!     sink.close().await.unwrap();
//! });
//! ```

mod consumer;
mod driver;
mod from;
mod generate;
mod hooks;
mod iter;
mod ops;
mod pump;
mod runner;
mod sink;
mod source;
mod stage;
mod waiters;

pub use self::consumer::{pipeline_value, Consumer, PipelineValue};
pub use self::generate::{generate, Generate, Send, Yielder};
pub use self::iter::IterOptions;
pub(crate) use self::iter::IterSlot;
pub use self::ops::NodeStreamExt;
pub use self::sink::{EndAsync, WriteAsync};
pub use self::source::Source;
pub(crate) use self::waiters::Waiters;

/// The guide's page on the async face (`docs/async.md`), whose examples are
/// compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../../docs/async.md")]
struct AsyncGuide;
