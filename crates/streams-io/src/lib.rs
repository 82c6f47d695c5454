//! I/O bridges for [streams]: tokio's `AsyncRead`/`AsyncWrite` and
//! Node-style streams in both directions, the process's standard streams,
//! and `Send` bridges to multi-threaded code.
//!
//! | from | to | type |
//! |---|---|---|
//! | `AsyncRead` | `Readable<Bytes>` | [`ReaderReadable`] |
//! | `AsyncWrite` | `Writable<Bytes>` | [`WriterWritable`] |
//! | `Readable<Bytes>` | `AsyncRead` | [`ReadableReader`] |
//! | `Writable<Bytes>` | `AsyncWrite` | [`WritableWriter`] |
//! | `Readable<T>` | `futures::Stream + Send` | [`send_stream`] → [`SendStream`] |
//! | `Writable<T>` | `futures::Sink + Send` | [`send_sink`] → [`SendSink`] |
//!
//! [`stdin`], [`stdout`] and [`stderr`] are Node's `process.stdin`,
//! `process.stdout` and `process.stderr`.
//!
//! Names follow tokio-util's mirrored pairs (`ReaderStream` /
//! `StreamReader`): the first word is what is wrapped, the second what it
//! becomes. Each bridge gives its inner value back (`into_inner`).
//!
//! [streams]: https://docs.rs/streams
//!
//! # Examples
//!
//! A Readable consumed with tokio's I/O utilities:
//!
//! ```
//! use bytes::Bytes;
//! use streams_core::Readable;
//! use streams_io::{ReadableReader, WriterWritable};
//!
//! let copied = streams_core::run(async {
//!     let src = Readable::from_iter([Bytes::from("tokio "), Bytes::from("and streams")]);
//!     let mut reader = ReadableReader::new(src);
//!     let mut out = Vec::new();
//!     tokio::io::copy(&mut reader, &mut out).await.unwrap();
//!     out
//! });
//! assert_eq!(copied, b"tokio and streams");
//! # let _ = WriterWritable::new(tokio::io::sink());
//! ```
#![doc(test(no_crate_inject, attr(deny(warnings))))]
#![forbid(unsafe_code)]

mod pull;
mod readable_reader;
mod reader_readable;
mod send;
mod stdio;
mod writable_writer;
mod writer_writable;

pub use self::readable_reader::ReadableReader;
pub use self::reader_readable::ReaderReadable;
pub use self::send::{send_sink, send_stream, SendSink, SendStream};
pub use self::stdio::{stderr, stdin, stdout};
pub use self::writable_writer::WritableWriter;
pub use self::writer_writable::WriterWritable;

/// The guide's I/O page, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/io.md")]
struct IoGuide;
