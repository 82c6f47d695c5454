//! File streams for [streams]: Node's `fs.createReadStream` and
//! `fs.createWriteStream`.
//!
//! [`create_read_stream`] gives a [`ReadStream`], a `Readable<Bytes>` of a
//! file's bytes (all of them, or an inclusive `start..=end` range), read
//! one high-water mark (64 KiB) at a time and only as fast as the consumer
//! takes them. [`create_write_stream`] gives a [`WriteStream`], a
//! `Writable<Bytes>` into a file opened with Node's flags (`w`, `a`, `wx`,
//! `r+`, ...). Both have Node's options (`fd`, `mode`, `auto_close`,
//! `emit_close`, `start`, `flush`, `encoding`), events (`'open'` with the
//! descriptor, `'ready'`, then the stream events, `'close'`) and
//! properties (`bytes_read`/`bytes_written`, `path`, `pending`).
//!
//! The file I/O runs on tokio's blocking pool, one high-water mark per
//! call, as Node runs it on libuv's thread pool; the streams themselves
//! live on the current thread's event loop ([`streams_core::run`]).
//!
//! A `ReadStream` piped straight into a `WriteStream`, with nothing else
//! listening to its `'data'`, is copied by the kernel (`copy_file_range`
//! on Linux, through `std::io::copy`), with the same events and counters.
//!
//! [streams]: https://docs.rs/streams
//!
//! # Examples
//!
//! Copy a file, as `fs.createReadStream(src).pipe(fs.createWriteStream(dst))`:
//!
//! ```
//! use streams_fs::{create_read_stream, create_write_stream};
//!
//! let dir = std::env::temp_dir();
//! let (src, dst) = (dir.join("streams-fs-lib-src"), dir.join("streams-fs-lib-dst"));
//! std::fs::write(&src, vec![7u8; 100_000]).unwrap();
//! let (s, d) = (src.clone(), dst.clone());
//! streams_core::run(async move {
//!     let input = create_read_stream(&s, Default::default()).unwrap();
//!     let output = create_write_stream(&d, Default::default()).unwrap();
//!     streams_core::promises::pipeline((input, output)).await.unwrap();
//! });
//! assert_eq!(std::fs::read(&dst).unwrap(), vec![7u8; 100_000]);
//! # std::fs::remove_file(src).unwrap();
//! # std::fs::remove_file(dst).unwrap();
//! ```
#![doc(test(no_crate_inject, attr(deny(warnings))))]
#![forbid(unsafe_code)]

mod fast_path;
mod file;
mod flags;
mod read_stream;
mod write_stream;

pub use self::read_stream::{create_read_stream, ReadStream, ReadStreamOptions};
pub use self::write_stream::{create_write_stream, WriteStream, WriteStreamOptions};

/// The guide's file streams page, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/fs.md")]
struct FsGuide;
