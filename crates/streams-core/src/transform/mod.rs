//! Transform streams: Node's `stream.Transform` and `stream.PassThrough`.
//!
//! A [`Transform`] is a Duplex whose writable side feeds its readable side
//! through a [`transform`](TransformBuilder::transform) hook, one chunk at
//! a time: each written chunk is handed to the hook, which pushes zero or
//! more output chunks and calls back. A [`flush`](TransformBuilder::flush)
//! hook runs after the last chunk, before the readable side ends.
//! Backpressure runs through both buffers: when the output is not read,
//! the hook's callback is held back, the input buffer fills, and `write`
//! returns `false`. [`PassThrough`] passes chunks on unchanged.
//!
//! # Examples
//!
//! ```
//! use bytes::Bytes;
//! use streams_core::Transform;
//!
//! // Node's docs: a Transform that sums the bytes it sees and reports at the end.
//! let total = Transform::<Bytes, Bytes>::builder()
//!     .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
//!     .flush(|_, cb| cb.call(Ok(Some(Bytes::from("\n-- end --")))))
//!     .build();
//! total.end(Bytes::from("body"));
//! assert_eq!(total.read(None).as_deref(), Some(&b"body\n-- end --"[..]));
//! ```

mod builder;
mod callback;
mod handle;

pub use self::builder::TransformBuilder;
pub use self::callback::{FlushCallback, TransformCallback};
pub use self::handle::{PassThrough, Transform};
