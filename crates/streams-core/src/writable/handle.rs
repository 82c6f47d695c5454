//! `Writable<T>`: the handle users hold.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::side::UserCallback;
use super::{BufferedChunk, WritableBuilder};
use crate::encoding::Encoding;
use crate::events::{Event, ListenerId};
use crate::stream::{impl_stream_traits, ChunkOps, Core, Void};
use crate::StreamError;

/// Node's `stream.Writable`: a destination for chunks, with backpressure.
///
/// A `Writable<T>` is a cheap handle (`Clone` is a reference count) to
/// state that lives on this thread. `T` is the chunk type: `Bytes` for a
/// byte stream (the default), anything for an object stream.
///
/// - Implement a destination with [`Writable::builder`] (bytes) or
///   [`Writable::object_builder`] (objects) and its
///   [`write`](WritableBuilder::write) hook, which calls its
///   [`WriteCallback`](crate::WriteCallback) now or later; add
///   [`writev`](WritableBuilder::writev), [`final_`](WritableBuilder::final_),
///   [`destroy`](WritableBuilder::destroy) and
///   [`construct`](WritableBuilder::construct) as needed.
/// - Produce into it with [`write`](Writable::write) until it returns
///   `false`, then wait for [`Drain`](crate::events::Drain); finish with
///   [`end`](Writable::end), which leads to
///   [`Finish`](crate::events::Finish) and
///   [`Close`](crate::events::Close). Or use it as a `futures::Sink`, or
///   [`write_async`](Writable::write_async) (see
///   [`async_face`](crate::async_face)).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::{events, Writable};
///
/// let written = Rc::new(RefCell::new(Vec::new()));
/// let sink = written.clone();
/// streams_core::run(async move {
///     let w = Writable::<Bytes>::builder()
///         .write(move |_, chunk, _, cb| {
///             sink.borrow_mut().push(chunk);
///             cb.call(Ok(()));
///         })
///         .build();
///     w.on(events::Finish, |_| println!("all written"));
///     w.write(Bytes::from("hello "));
///     w.end(Bytes::from("world"));
/// });
/// assert_eq!(*written.borrow(), [Bytes::from("hello "), Bytes::from("world")]);
/// ```
pub struct Writable<T: 'static = Bytes> {
    pub(crate) core: Rc<Core<Void, T>>,
}

impl_stream_traits!(stream Writable<T>, [T: 'static]);
impl_stream_traits!(writable Writable<T>, T, [T: 'static]);

impl<T: 'static> Clone for Writable<T> {
    fn clone(&self) -> Self {
        Writable { core: self.core.clone() }
    }
}

impl<T: 'static> fmt::Debug for Writable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Writable").field(&self.core).finish()
    }
}

impl<T: 'static> PartialEq for Writable<T> {
    /// Two handles are equal when they are the same stream.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.core, &other.core)
    }
}

impl<T: 'static> Eq for Writable<T> {}

fn boxed(cb: impl FnOnce(Result<(), StreamError>) + 'static) -> UserCallback {
    Box::new(cb)
}

impl Writable<Bytes> {
    /// A builder for a byte stream (chunks of `Bytes`, measured in bytes;
    /// high-water mark 64 KiB).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().high_water_mark(1024).build();
    /// assert_eq!(w.writable_high_water_mark(), 1024);
    /// ```
    pub fn builder() -> WritableBuilder<Bytes> {
        WritableBuilder::with_ops(ChunkOps::bytes())
    }

    /// Writes a string (Node's `write(string, encoding)`): `None` takes the
    /// stream's default encoding (UTF-8 unless changed).
    ///
    /// By default (`decode_strings`) the string is encoded to bytes first
    /// and reaches the `write` hook as a `Bytes` chunk with encoding `None`
    /// (`'buffer'`), counted in bytes. With `decode_strings(false)`, or in
    /// object mode, it is kept as text: the hook receives the string's
    /// UTF-8 bytes with `Some(encoding)`, and a byte stream counts it in
    /// UTF-16 code units, as JavaScript counts a string's length.
    ///
    /// Returns what [`write`](Writable::write) returns.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Writable};
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .write(|_, chunk, encoding, _cb| {
    ///         assert_eq!(&chunk[..], b"hi");
    ///         assert_eq!(encoding, None); // 'buffer'
    ///     })
    ///     .build();
    /// w.write_str("6869", Encoding::Hex);
    /// assert_eq!(w.writable_length(), 2);
    /// ```
    pub fn write_str(&self, text: &str, encoding: impl Into<Option<Encoding>>) -> bool {
        let (chunk, encoding) = self.core.string_chunk(text, encoding.into());
        self.core.write_chunk(chunk, encoding, None).unwrap_or(false)
    }

    /// [`write_str`](Writable::write_str) with a callback, called once with
    /// the outcome of this write.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     w.write_str_with("héllo", None, |result| assert!(result.is_ok()));
    /// });
    /// ```
    pub fn write_str_with(
        &self,
        text: &str,
        encoding: impl Into<Option<Encoding>>,
        cb: impl FnOnce(Result<(), StreamError>) + 'static,
    ) -> bool {
        let (chunk, encoding) = self.core.string_chunk(text, encoding.into());
        self.core.write_chunk(chunk, encoding, Some(boxed(cb))).unwrap_or(false)
    }

    /// Ends the stream with a last string (Node's `end(string, encoding)`):
    /// [`write_str`](Writable::write_str) then [`end`](Writable::end).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    /// w.end_str("bye", None);
    /// assert!(w.writable_ended());
    /// ```
    pub fn end_str(&self, text: &str, encoding: impl Into<Option<Encoding>>) -> &Self {
        let chunk = self.core.string_chunk(text, encoding.into());
        self.core.end_writable(Some(chunk), None);
        self
    }

    /// Sets the encoding of strings written without one (Node's
    /// `setDefaultEncoding`). A name is parsed with
    /// [`Encoding::parse`], whose error is Node's `ERR_UNKNOWN_ENCODING`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Writable};
    ///
    /// let w = Writable::<Bytes>::builder().write(|_, _, _, _cb| {}).build();
    /// w.set_default_encoding(Encoding::parse("HEX")?);
    /// w.write_str("ffff", None);
    /// assert_eq!(w.writable_length(), 2);
    /// # Ok::<(), streams_core::StreamError>(())
    /// ```
    pub fn set_default_encoding(&self, encoding: Encoding) -> &Self {
        self.core.ws().state.borrow_mut().default_encoding = encoding;
        self
    }
}

impl<T: 'static> Writable<T> {
    /// A builder for an object stream: each chunk is one item of any type;
    /// the high-water mark counts items (16 by default).
    ///
    /// # Examples
    ///
    /// ```
    /// #[derive(Debug)]
    /// struct Row { id: u32 }
    ///
    /// let w = streams_core::Writable::<Row>::object_builder()
    ///     .write(|_, row, _, cb| { println!("row {}", row.id); cb.call(Ok(())) })
    ///     .build();
    /// assert!(w.writable_object_mode());
    /// assert!(w.write(Row { id: 1 }));
    /// ```
    pub fn object_builder() -> WritableBuilder<T> {
        WritableBuilder::with_ops(ChunkOps::object())
    }

    pub(crate) fn from_core(core: &Rc<Core<Void, T>>) -> Writable<T> {
        Writable { core: core.clone() }
    }

    /// Writes a chunk (Node's `write(chunk)`). Returns whether the producer
    /// may go on: `false` once the buffered length (computed after the
    /// `write` hook ran, so a synchronous completion already freed its
    /// chunk) reaches the high-water mark, and whenever the stream has
    /// failed. After a `false`, wait for [`Drain`](crate::events::Drain).
    /// The chunk is accepted either way, unless the stream was ended or
    /// destroyed.
    ///
    /// # Errors
    ///
    /// Nothing is returned: as in Node, a write after [`end`](Writable::end)
    /// fails the stream with `ERR_STREAM_WRITE_AFTER_END`, and one after
    /// [`destroy`](Writable::destroy) with `ERR_STREAM_DESTROYED`; use
    /// [`write_with`](Writable::write_with) to receive the error.
    ///
    /// A byte stream cannot be handed anything but `Bytes`: Node's
    /// `ERR_INVALID_ARG_TYPE` is a compile error,
    ///
    /// ```compile_fail,E0308
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.write(42); // error[E0308]: mismatched types
    /// ```
    ///
    /// and there is no null value to write, so neither is Node's
    /// `ERR_STREAM_NULL_VALUES`:
    ///
    /// ```compile_fail,E0308
    /// let w = streams_core::Writable::<u32>::object_builder().build();
    /// w.write(None); // error[E0308]: mismatched types
    /// ```
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// // A write hook that never completes: everything stays buffered.
    /// let w = Writable::<Bytes>::builder().high_water_mark(8).write(|_, _, _, _cb| {}).build();
    /// assert!(w.write(Bytes::from("1111")));
    /// assert!(w.write(Bytes::from("222")));
    /// assert!(!w.write(Bytes::from("3333"))); // 11 >= 8
    /// assert_eq!(w.writable_length(), 11);
    /// ```
    pub fn write(&self, chunk: T) -> bool {
        self.core.write_chunk(chunk, None, None).unwrap_or(false)
    }

    /// [`write`](Writable::write) with a callback (Node's `write(chunk,
    /// cb)`), called exactly once: with `Ok(())` once the chunk was
    /// written, or with the error that failed it (`ERR_STREAM_WRITE_AFTER_END`,
    /// `ERR_STREAM_DESTROYED`, or the implementation's error).
    ///
    /// When the `write` hook completes synchronously the callback runs on
    /// the next tick; when it completes later, at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let log = Rc::new(RefCell::new(Vec::new()));
    /// let l = log.clone();
    /// streams_core::run(async move {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     let l2 = l.clone();
    ///     w.write_with(Bytes::from("a"), move |r| l2.borrow_mut().push(format!("cb {r:?}")));
    ///     l.borrow_mut().push("after write".to_string());
    /// });
    /// assert_eq!(*log.borrow(), ["after write", "cb Ok(())"]);
    /// ```
    pub fn write_with(&self, chunk: T, cb: impl FnOnce(Result<(), StreamError>) + 'static) -> bool {
        self.core.write_chunk(chunk, None, Some(boxed(cb))).unwrap_or(false)
    }

    /// Ends the stream (Node's `end([chunk])`): writes `chunk` if given
    /// (`None` for none), flushes what cork held back, and once everything
    /// is written calls the [`final_`](WritableBuilder::final_) hook and
    /// emits `'prefinish'`, `'finish'` and, with auto-destroy, `'close'`.
    ///
    /// # Errors
    ///
    /// As in Node, nothing is returned; see
    /// [`end_with`](Writable::end_with) for the outcome.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     let w2 = w.clone();
    ///     w.on(events::Finish, move |_| assert!(w2.writable_finished()));
    ///     w.end(Bytes::from("last"));
    ///     assert!(w.writable_ended());
    ///     assert!(!w.writable());
    /// });
    /// ```
    pub fn end(&self, chunk: impl Into<Option<T>>) -> &Self {
        self.core.end_writable(chunk.into().map(|c| (c, None)), None);
        self
    }

    /// [`end`](Writable::end) with a callback (Node's `end(chunk, cb)`),
    /// called exactly once: with `Ok(())` when the stream finishes (just
    /// before the `'finish'` listeners, as in Node), or with the error that
    /// keeps it from finishing. Called after `'finish'` it gets
    /// `ERR_STREAM_ALREADY_FINISHED`, after [`destroy`](Writable::destroy)
    /// `ERR_STREAM_DESTROYED` (or the stream's error).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     let w2 = w.clone();
    ///     w.end_with(None, move |r| {
    ///         assert!(r.is_ok());
    ///         w2.end_with(None, |r| {
    ///             assert_eq!(r.unwrap_err().code(), Some("ERR_STREAM_ALREADY_FINISHED"));
    ///         });
    ///     });
    /// });
    /// ```
    pub fn end_with(
        &self,
        chunk: impl Into<Option<T>>,
        cb: impl FnOnce(Result<(), StreamError>) + 'static,
    ) -> &Self {
        self.core.end_writable(chunk.into().map(|c| (c, None)), Some(boxed(cb)));
        self
    }

    /// Buffers every write until [`uncork`](Writable::uncork) (Node's
    /// `cork()`). Corks nest: two corks need two uncorks. With a
    /// [`writev`](WritableBuilder::writev) hook the buffered chunks are
    /// then written in one batch.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .writev(|_, chunks, cb| {
    ///         assert_eq!(chunks.len(), 2);
    ///         cb.call(Ok(()));
    ///     })
    ///     .build();
    /// w.cork();
    /// w.write(Bytes::from("a"));
    /// w.write(Bytes::from("b"));
    /// assert_eq!(w.writable_corked(), 1);
    /// w.uncork(); // one writev call with both chunks
    /// assert_eq!(w.writable_length(), 0);
    /// ```
    pub fn cork(&self) {
        self.core.cork();
    }

    /// Removes one level of [`cork`](Writable::cork) (Node's `uncork()`);
    /// at zero, what was buffered is written.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    /// w.cork();
    /// w.cork();
    /// w.write(Bytes::from("x"));
    /// w.uncork();
    /// assert_eq!(w.writable_length(), 1); // still corked once
    /// w.uncork();
    /// assert_eq!(w.writable_length(), 0);
    /// ```
    pub fn uncork(&self) {
        self.core.uncork();
    }

    /// Destroys the stream (Node's `destroy(err)`): writes still buffered
    /// and pending `end` callbacks fail with the error (or
    /// `ERR_STREAM_DESTROYED`) on the next tick, the
    /// [`destroy`](WritableBuilder::destroy) hook runs, then `'error'` (if
    /// `err` is given) and `'close'` are emitted on the next tick. Calling
    /// it again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, _cb| {}).build();
    ///     w.write(Bytes::from("in flight"));
    ///     w.write_with(Bytes::from("buffered"), |r| {
    ///         assert_eq!(r.unwrap_err().code(), Some("ERR_STREAM_DESTROYED"));
    ///     });
    ///     w.destroy(None);
    ///     assert!(w.destroyed());
    /// });
    /// ```
    pub fn destroy(&self, err: Option<StreamError>) -> &Self {
        self.core.destroy(err);
        self
    }

    /// Adds a listener (Node's `on`). The Writable emits
    /// [`Drain`](crate::events::Drain), [`Finish`](crate::events::Finish),
    /// [`Prefinish`](crate::events::Prefinish),
    /// [`Error`](crate::events::Error) and [`Close`](crate::events::Close)
    /// (and [`Pipe`](crate::events::Pipe)/[`Unpipe`](crate::events::Unpipe)
    /// when a Readable pipes into it).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// w.on(events::Drain, |_| println!("room again"));
    /// assert_eq!(w.listener_count(events::Drain), 1);
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<Void>) + 'static) -> ListenerId {
        self.core.events.on(event, listener)
    }

    /// Adds a listener removed before its first call (Node's `once`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// w.once(events::Finish, |_| println!("finished"));
    /// assert_eq!(w.listener_count(events::Finish), 1);
    /// ```
    pub fn once<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<Void>) + 'static,
    ) -> ListenerId {
        self.core.events.once(event, listener)
    }

    /// Adds a listener before the others (Node's `prependListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// w.prepend_listener(events::Close, |_| {});
    /// assert_eq!(w.listener_count(events::Close), 1);
    /// ```
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<Void>) + 'static,
    ) -> ListenerId {
        self.core.events.prepend_listener(event, listener)
    }

    /// Adds a `once` listener before the others (Node's
    /// `prependOnceListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// w.prepend_once_listener(events::Close, |_| {});
    /// assert_eq!(w.listener_count(events::Close), 1);
    /// ```
    pub fn prepend_once_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<Void>) + 'static,
    ) -> ListenerId {
        self.core.events.prepend_once_listener(event, listener)
    }

    /// Removes a listener (Node's `off`). Returns whether it was there.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// let id = w.on(events::Finish, |_| {});
    /// assert!(w.off(id));
    /// ```
    pub fn off(&self, id: ListenerId) -> bool {
        self.core.events.off(id)
    }

    /// Removes every listener of `event` (Node's `removeAllListeners(event)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// w.on(events::Drain, |_| {});
    /// w.remove_all_listeners(events::Drain);
    /// assert_eq!(w.listener_count(events::Drain), 0);
    /// ```
    pub fn remove_all_listeners<E: Event>(&self, event: E) -> &Self {
        self.core.events.remove_all_listeners(event);
        self
    }

    /// How many listeners `event` has (Node's `listenerCount`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    /// let w = Writable::<Bytes>::builder().build();
    /// assert_eq!(w.listener_count(events::Error), 0);
    /// ```
    pub fn listener_count<E: Event>(&self, event: E) -> usize {
        self.core.events.listener_count(event)
    }

    /// Sets the listener limit past which a warning is logged (Node's
    /// `setMaxListeners`; 0 is no limit).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.set_max_listeners(20);
    /// ```
    pub fn set_max_listeners(&self, max: usize) -> &Self {
        self.core.events.set_max_listeners(max);
        self
    }

    /// Node's `writable.writable`: true until `end()` is called or the
    /// stream is destroyed or errored.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert!(w.writable());
    /// w.end(None);
    /// assert!(!w.writable());
    /// ```
    pub fn writable(&self) -> bool {
        self.core.is_writable()
    }

    /// Whether `end()` was called (Node's `writableEnded`), whether or not
    /// the data is flushed yet.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.end(None);
    /// assert!(w.writable_ended());
    /// ```
    pub fn writable_ended(&self) -> bool {
        self.core.ws().state.borrow().ending
    }

    /// Whether `'finish'` was emitted (Node's `writableFinished`): every
    /// chunk was written and `final` completed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert!(!w.writable_finished());
    /// ```
    pub fn writable_finished(&self) -> bool {
        self.core.ws().state.borrow().finished
    }

    /// How many levels of [`cork`](Writable::cork) are in force (Node's
    /// `writableCorked`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.cork();
    /// assert_eq!(w.writable_corked(), 1);
    /// ```
    pub fn writable_corked(&self) -> usize {
        self.core.ws().state.borrow().corked
    }

    /// What was accepted and not yet written (Node's `writableLength`):
    /// bytes, or items in object mode; the write in flight included.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().write(|_, _, _, _cb| {}).build();
    /// w.write(Bytes::from("abc"));
    /// assert_eq!(w.writable_length(), 3);
    /// ```
    pub fn writable_length(&self) -> usize {
        self.core.ws().state.borrow().length
    }

    /// The high-water mark (Node's `writableHighWaterMark`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert_eq!(w.writable_high_water_mark(), 65536);
    /// ```
    pub fn writable_high_water_mark(&self) -> usize {
        self.core.ws().state.borrow().hwm
    }

    /// Whether this is an object stream (Node's `writableObjectMode`).
    ///
    /// # Examples
    ///
    /// ```
    /// let w = streams_core::Writable::<String>::object_builder().build();
    /// assert!(w.writable_object_mode());
    /// ```
    pub fn writable_object_mode(&self) -> bool {
        self.core.ws().ops.object_mode
    }

    /// Whether a [`Drain`](crate::events::Drain) is owed: `write()`
    /// returned `false` and the stream is neither ended nor destroyed
    /// (Node's `writableNeedDrain`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder()
    ///     .high_water_mark(2)
    ///     .write(|_, _, _, _cb| {})
    ///     .build();
    /// w.write(Bytes::from("abc"));
    /// assert!(w.writable_need_drain());
    /// ```
    pub fn writable_need_drain(&self) -> bool {
        let state = self.core.ws().state.borrow();
        state.need_drain && !state.ending && !self.core.life.destroyed.get()
    }

    /// Whether the stream was destroyed or errored before `'finish'`
    /// (Node's `writableAborted`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.destroy(None);
    /// assert!(w.writable_aborted());
    /// ```
    pub fn writable_aborted(&self) -> bool {
        (self.core.life.destroyed.get() || self.core.life.is_errored())
            && !self.core.ws().state.borrow().finished
    }

    /// Whether `destroy` was called (Node's `destroyed`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert!(!w.destroyed());
    /// ```
    pub fn destroyed(&self) -> bool {
        self.core.life.destroyed.get()
    }

    /// The error the stream failed with, if any (Node's `errored`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::StreamError;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.destroy(Some(StreamError::new("boom")));
    /// assert_eq!(w.errored().map(|e| e.to_string()), Some("boom".into()));
    /// ```
    pub fn errored(&self) -> Option<StreamError> {
        self.core.life.errored()
    }

    /// Whether the stream finished destroying (Node's `closed`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// w.destroy(None);
    /// assert!(w.closed());
    /// ```
    pub fn closed(&self) -> bool {
        self.core.life.closed.get()
    }

    /// A snapshot of the buffered writes, the one in flight excluded
    /// (Node's `writableBuffer`): clones of the chunks with their
    /// encodings.
    ///
    /// # Examples
    ///
    /// ```
    /// let w = streams_core::Writable::<u8>::object_builder().write(|_, _, _, _cb| {}).build();
    /// w.write(1); // in flight
    /// w.write(2);
    /// w.write(3);
    /// let chunks: Vec<u8> = w.writable_buffer().into_iter().map(|c| c.chunk).collect();
    /// assert_eq!(chunks, [2, 3]);
    /// ```
    pub fn writable_buffer(&self) -> Vec<BufferedChunk<T>>
    where
        T: Clone,
    {
        let state = self.core.ws().state.borrow();
        state.buffered.iter().cloned().collect()
    }
}
