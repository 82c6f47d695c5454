//! Async implementation hooks: the same hooks as the callback ones, with a
//! future in place of the callback. Each is an adapter: its callback hook
//! starts the future (see [`Runner`]) and calls the callback with the
//! future's output.

use std::future::Future;

use super::runner::Runner;
use crate::encoding::Encoding;
use crate::stream::Callback;
use crate::writable::{BufferedChunk, Writable, WritableBuilder, WriteCallback};
use crate::StreamError;

impl<T: 'static> WritableBuilder<T> {
    /// The destination as an async function: Node's `write(chunk,
    /// encoding, callback)` with the callback called when the future
    /// resolves (`Ok(())`, or `Err(e)`, which fails the stream).
    ///
    /// The future is polled at once, inside the `write` that hands it the
    /// chunk, as Node runs `_write`: a future that completes without
    /// waiting is a synchronous write (its producer's callback comes on
    /// the next tick), one that waits completes later, from a local task
    /// (one per stream, not per chunk; the future's box is reused). As with
    /// the callback hook, the next chunk comes only after this one's future
    /// resolved. To use the stream inside the future, clone the handle
    /// before the `async` block.
    ///
    /// # Panics
    ///
    /// When a future is pending outside a `tokio::task::LocalSet` (the task
    /// that polls it again cannot be spawned).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let out = Rc::new(RefCell::new(Vec::new()));
    /// let o = out.clone();
    /// streams_core::run(async move {
    ///     let w = Writable::<Bytes>::builder()
    ///         .write_async(move |_, chunk, _| {
    ///             let o = o.clone();
    ///             async move {
    ///                 streams_core::immediate().await; // some I/O
    ///                 o.borrow_mut().push(chunk);
    ///                 Ok(())
    ///             }
    ///         })
    ///         .build();
    ///     w.write(Bytes::from("a"));
    ///     w.end(Bytes::from("b"));
    /// });
    /// assert_eq!(*out.borrow(), ["a", "b"]);
    /// ```
    pub fn write_async<F, Fut>(self, write: F) -> Self
    where
        F: Fn(&Writable<T>, T, Option<Encoding>) -> Fut + 'static,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        let runner = Runner::<Fut, WriteCallback>::new(None);
        self.write(move |w, chunk, encoding, cb| runner.start(write(w, chunk, encoding), cb))
    }

    /// Several buffered chunks at once, as an async function: Node's
    /// `writev(chunks, callback)`; see [`write_async`](Self::write_async)
    /// and [`writev`](Self::writev).
    ///
    /// # Panics
    ///
    /// As [`write_async`](Self::write_async).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .writev_async(|_, chunks| async move {
    ///             println!("{} chunks at once", chunks.len());
    ///             Ok(())
    ///         })
    ///         .build();
    ///     w.cork();
    ///     w.write(Bytes::from("a"));
    ///     w.write(Bytes::from("b"));
    ///     w.uncork();
    /// });
    /// ```
    pub fn writev_async<F, Fut>(self, writev: F) -> Self
    where
        F: Fn(&Writable<T>, Vec<BufferedChunk<T>>) -> Fut + 'static,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        let runner = Runner::<Fut, WriteCallback>::new(None);
        self.writev(move |w, chunks, cb| runner.start(writev(w, chunks), cb))
    }

    /// Node's `final(callback)` as an async function: runs once, after
    /// every chunk was written, before `'finish'`; an `Err` fails the
    /// stream instead.
    ///
    /// # Panics
    ///
    /// As [`write_async`](Self::write_async).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .write(|_, _, _, cb| cb.call(Ok(())))
    ///         .final_async(|_| async {
    ///             streams_core::immediate().await; // flush
    ///             Ok(())
    ///         })
    ///         .build();
    ///     w.end_async(None).await.unwrap();
    /// });
    /// ```
    pub fn final_async<F, Fut>(self, final_: F) -> Self
    where
        F: FnOnce(&Writable<T>) -> Fut + 'static,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        self.final_(move |w, cb| Runner::<Fut, Callback>::new(None).start(final_(w), cb))
    }

    /// Node's `destroy(err, callback)` as an async function: release
    /// resources, then return the error to report (usually `err` itself:
    /// `err.map_or(Ok(()), Err)`). `'close'` waits for it.
    ///
    /// # Panics
    ///
    /// As [`write_async`](Self::write_async).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .destroy_async(|_, err| async move {
    ///             streams_core::immediate().await; // close a handle
    ///             err.map_or(Ok(()), Err)
    ///         })
    ///         .build();
    ///     w.destroy(None);
    /// });
    /// ```
    pub fn destroy_async<F, Fut>(self, mut destroy: F) -> Self
    where
        F: FnMut(&Writable<T>, Option<StreamError>) -> Fut + 'static,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        self.destroy(move |w, err, cb| {
            Runner::<Fut, Callback>::new(None).start(destroy(w, err), cb)
        })
    }

    /// Node's `construct(callback)` as an async function: runs on the next
    /// tick; writes are buffered until it resolves, an `Err` destroys the
    /// stream.
    ///
    /// # Panics
    ///
    /// As [`write_async`](Self::write_async).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .construct_async(|_| async {
    ///             streams_core::immediate().await; // open a handle
    ///             Ok(())
    ///         })
    ///         .write(|_, _, _, cb| cb.call(Ok(())))
    ///         .build();
    ///     w.write(Bytes::from("waits for construct"));
    /// });
    /// ```
    pub fn construct_async<F, Fut>(self, construct: F) -> Self
    where
        F: FnOnce(&Writable<T>) -> Fut + 'static,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        self.construct(move |w, cb| Runner::<Fut, Callback>::new(None).start(construct(w), cb))
    }
}
