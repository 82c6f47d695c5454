//! Node.js streams, faithful to Node and fast, in Rust on tokio.
//!
//! `streams` gives Rust programs Node's stream model: Readable streams with
//! paused and flowing modes, Writables whose `write()` returns `false` at
//! the high-water mark and emit `'drain'`, Duplex and Transform streams,
//! `pipe`, `pipeline` and `finished`, with the same events in the same
//! order as Node v24. Streams live on one thread's event loop, as in Node,
//! driven by tokio.
//!
//! This facade re-exports [`streams_core`] at its root; the adapter crates
//! for tokio I/O, files and TCP join it behind the `io`, `fs` and `net`
//! features as they land.
//!
//! # Examples
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//!
//! let order = Rc::new(RefCell::new(Vec::new()));
//! let o = order.clone();
//! streams::run(async move {
//!     let (a, b, c) = (o.clone(), o.clone(), o.clone());
//!     streams::set_immediate(move || a.borrow_mut().push("immediate"));
//!     streams::next_tick(move || b.borrow_mut().push("nextTick"));
//!     c.borrow_mut().push("sync");
//! });
//! assert_eq!(*order.borrow(), ["sync", "nextTick", "immediate"]);
//! ```
#![doc(test(no_crate_inject, attr(deny(warnings))))]
#![forbid(unsafe_code)]

#[doc(inline)]
pub use streams_core::*;

/// tokio `AsyncRead`/`AsyncWrite` and futures bridges, stdio, `Send`
/// bridges; see [`streams_io`]. Feature `io` (on by default).
#[cfg(feature = "io")]
pub mod io {
    #[doc(inline)]
    pub use streams_io::*;
}

/// File streams (Node's `fs.createReadStream` / `fs.createWriteStream`);
/// see [`streams_fs`]. Feature `fs` (on by default).
#[cfg(feature = "fs")]
pub mod fs {
    #[doc(inline)]
    pub use streams_fs::*;
}

/// TCP (Node's `net`: `create_server`, `connect`, `Socket`, `Server`, and
/// `Cluster` for every core); see [`streams_net`]. Feature `net` (on by
/// default).
#[cfg(feature = "net")]
pub mod net {
    #[doc(inline)]
    pub use streams_net::*;
}

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
