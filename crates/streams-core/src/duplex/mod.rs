//! Duplex streams: Node's `stream.Duplex`, a readable and a writable side
//! in one stream.
//!
//! A [`Duplex`] has two independent buffers, each with its own high-water
//! mark and object mode, and one lifecycle: `destroy()` destroys both
//! sides, `'close'` is emitted once. With `allow_half_open(false)` the end
//! of the readable side ends the writable side on the next tick, as Node
//! does for sockets. A Transform and a PassThrough are Duplex streams
//! whose writable side feeds the readable side (see
//! [`Transform`](crate::Transform)).
//!
//! # Examples
//!
//! ```
//! use bytes::Bytes;
//! use streams_core::Duplex;
//!
//! let d = Duplex::<Bytes, u32>::object_builder()
//!     .readable_object_mode(false)
//!     .write(|this, n: u32, _, cb| {
//!         this.push(Bytes::from(n.to_string()));
//!         cb.call(Ok(()));
//!     })
//!     .read(|_, _| {})
//!     .build();
//! d.write(42);
//! assert_eq!(d.read(None).as_deref(), Some(&b"42"[..]));
//! ```

mod builder;
mod emit;
mod handle;

pub use self::builder::DuplexBuilder;
pub use self::handle::Duplex;
