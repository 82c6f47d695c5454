//! Readable sources from iterators, `futures::Stream`s, async generators
//! and single values: Node's `Readable.from(iterable, options)`.

use std::future::Future;

use futures::Stream;

use super::generate::{generate, Yielder};
use super::pump::Pump;
use crate::readable::{Readable, ReadableBuilder};
use crate::StreamError;

impl<T: 'static> ReadableBuilder<T> {
    /// A stream of the items of `iter` with this builder's options: Node's
    /// `Readable.from(iterable, options)`. The high-water mark defaults to
    /// 1, as in Node; the `read` hook is the iterator's (a `read` hook set
    /// on the builder is replaced).
    ///
    /// The items are pushed synchronously from the `read` hook, as Node
    /// does for an iterator of plain values.
    ///
    /// # Examples
    ///
    /// Node's `Readable.from(['m', 'n'], { objectMode: false })`, a byte
    /// stream:
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Readable;
    ///
    /// let r = Readable::builder().from_iter(["m", "n"].map(Bytes::from));
    /// assert!(!r.readable_object_mode());
    /// assert_eq!(r.readable_high_water_mark(), 1);
    /// ```
    pub fn from_iter<I>(self, iter: I) -> Readable<T>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: 'static,
    {
        let mut iter = iter.into_iter();
        self.default_high_water_mark(1)
            .read(move |this, _| loop {
                match iter.next() {
                    Some(item) => {
                        if !this.push(item) {
                            break;
                        }
                    }
                    None => {
                        this.push(None);
                        break;
                    }
                }
            })
            .build()
    }

    /// A stream of the items of a `futures::Stream`, with this builder's
    /// options: Node's `Readable.from(asyncIterable, options)`. The
    /// high-water mark defaults to 1; the `read` hook is the stream's.
    ///
    /// The stream is polled in a microtask after each `read` (where Node
    /// awaits the iterator's `next()`), for as long as the buffer is below
    /// the high-water mark; a pending stream is polled again by a local
    /// task when it wakes. An `Err` item destroys the Readable with that
    /// error; the end of the stream ends it. Destroying the Readable drops
    /// the stream (Node calls the iterator's `return()`).
    ///
    /// # Panics
    ///
    /// If the stream is pending outside a `tokio::task::LocalSet` (the task
    /// that polls it again cannot be spawned).
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{stream, StreamExt, TryStreamExt};
    /// use streams_core::Readable;
    ///
    /// streams_core::run(async {
    ///     let r = Readable::object_builder()
    ///         .high_water_mark(4)
    ///         .from_stream(stream::iter([1, 2, 3]).map(Ok));
    ///     let got: Vec<i32> = r.try_collect().await.unwrap();
    ///     assert_eq!(got, [1, 2, 3]);
    /// });
    /// ```
    pub fn from_stream<S>(self, stream: S) -> Readable<T>
    where
        S: Stream<Item = Result<T, StreamError>> + 'static,
    {
        let pump = Pump::new(stream, None);
        let (on_read, on_destroy) = (pump.clone(), pump.clone());
        let readable = self
            .default_high_water_mark(1)
            .read(move |_, _| on_read.on_read())
            .before_destroy(move || on_destroy.close())
            .build();
        pump.set_core(&readable.core);
        readable
    }

    /// A stream written as an async generator, with this builder's options:
    /// Node's `Readable.from(async function* () { ... }())`. See
    /// [`Readable::from_fn`].
    ///
    /// # Panics
    ///
    /// As [`from_stream`](Self::from_stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use futures::TryStreamExt;
    /// use streams_core::Readable;
    ///
    /// streams_core::run(async {
    ///     let r = Readable::builder().high_water_mark(1024).from_fn(|out| async move {
    ///         out.send(Bytes::from("hello ")).await;
    ///         out.send(Bytes::from("world")).await;
    ///         Ok(())
    ///     });
    ///     let all: Vec<Bytes> = r.try_collect().await.unwrap();
    ///     assert_eq!(all.concat(), b"hello world");
    /// });
    /// ```
    pub fn from_fn<F, Fut>(self, body: F) -> Readable<T>
    where
        F: FnOnce(Yielder<T>) -> Fut,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        self.from_stream(generate(body))
    }

    /// A stream of one chunk, with this builder's options: Node's
    /// `Readable.from(string)` and `Readable.from(buffer)`, which do not
    /// iterate the string or buffer but push it whole. The high-water mark
    /// keeps the builder's default.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Readable;
    ///
    /// let r = Readable::builder().from_chunk(Bytes::from("xyz"));
    /// assert_eq!(r.read(None).as_deref(), Some(&b"xyz"[..]));
    /// ```
    pub fn from_chunk(self, chunk: T) -> Readable<T> {
        let mut chunk = Some(chunk);
        self.read(move |this, _| {
            if let Some(chunk) = chunk.take() {
                this.push(chunk);
            }
            this.push(None);
        })
        .build()
    }
}

impl<T: 'static> Readable<T> {
    /// An object stream of the items of a `futures::Stream` of results:
    /// Node's `Readable.from(asyncIterable)` (object mode, high-water mark
    /// 1). An `Err` item destroys the stream with that error. See
    /// [`ReadableBuilder::from_stream`] for the details and for options.
    ///
    /// This is also how a chain of `StreamExt` / `TryStreamExt` adapters
    /// becomes a Node stream again, as Node's stream operators return one.
    ///
    /// # Panics
    ///
    /// If the stream is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// Node's `readable.map(fn, { concurrency: 2 })`, which keeps the
    /// order:
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use streams_core::Readable;
    ///
    /// streams_core::run(async {
    ///     let doubled = Readable::from_stream(
    ///         Readable::from_iter([1, 2, 3])
    ///             .map_ok(|n| async move { Ok(n * 2) })
    ///             .try_buffered(2),
    ///     );
    ///     assert!(doubled.readable_object_mode());
    ///     let got: Vec<i32> = doubled.try_collect().await.unwrap();
    ///     assert_eq!(got, [2, 4, 6]);
    /// });
    /// ```
    pub fn from_stream<S>(stream: S) -> Readable<T>
    where
        S: Stream<Item = Result<T, StreamError>> + 'static,
    {
        Readable::object_builder().from_stream(stream)
    }

    /// An object stream written as an async generator: Node's
    /// `Readable.from(async function* () { ... }())`. The body yields with
    /// [`Yielder::send`], which resolves when the stream wants the next
    /// item: the body runs no further ahead than the high-water mark (1).
    /// Returning `Err(e)` destroys the stream with `e`; destroying the
    /// stream drops the body.
    ///
    /// # Panics
    ///
    /// If the body is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use streams_core::Readable;
    ///
    /// streams_core::run(async {
    ///     let r = Readable::from_fn(|out| async move {
    ///         for n in 0..3 {
    ///             streams_core::immediate().await; // some async work
    ///             out.send(n).await;
    ///         }
    ///         Ok(())
    ///     });
    ///     assert_eq!(r.try_collect::<Vec<i32>>().await.unwrap(), [0, 1, 2]);
    /// });
    /// ```
    pub fn from_fn<F, Fut>(body: F) -> Readable<T>
    where
        F: FnOnce(Yielder<T>) -> Fut,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        Readable::object_builder().from_fn(body)
    }

    /// An object stream of one chunk: Node's `Readable.from(string)` or
    /// `Readable.from(buffer)` (object mode, high-water mark 16), which
    /// push the string or buffer whole.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_core::Readable::from_chunk(String::from("abc"));
    /// assert!(r.readable_object_mode());
    /// assert_eq!(r.readable_high_water_mark(), 16);
    /// assert_eq!(r.read(None).as_deref(), Some("abc"));
    /// ```
    pub fn from_chunk(chunk: T) -> Readable<T> {
        Readable::object_builder().from_chunk(chunk)
    }
}
