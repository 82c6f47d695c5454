//! `Readable<T>`: the handle users hold.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::listen::Add;
use super::ReadableBuilder;
use crate::async_face::IterSlot;
use crate::encoding::Encoding;
use crate::events::{Event, ListenerId};
use crate::stream::{impl_stream_traits, ChunkOps, Core, Void, WritableStream};
use crate::StreamError;

/// Node's `stream.Readable`: a source of chunks, consumed in flowing mode
/// (`'data'` events) or paused mode (`'readable'` + [`read`](Readable::read)).
///
/// A `Readable<T>` is a cheap handle (`Clone` is a reference count) to
/// state that lives on this thread. `T` is the chunk type: `Bytes` for a
/// byte stream (the default), anything for an object stream.
///
/// - Implement a source with [`Readable::builder`] (bytes) or
///   [`Readable::object_builder`] (objects) and its
///   [`read`](ReadableBuilder::read) hook, which calls
///   [`push`](Readable::push) now or later; or use
///   [`Readable::from_iter`].
/// - Consume it with a [`Data`](crate::events::Data) listener (flowing
///   mode), or with a [`Readable`](crate::events::Readable) listener that
///   calls [`read`](Readable::read) (paused mode), or as a
///   `futures::Stream` (Node's `for await`; see [`iter`](Readable::iter)
///   and [`async_face`](crate::async_face)).
///
/// # Examples
///
/// Flowing mode:
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use streams_core::{events, Readable};
///
/// let got = Rc::new(RefCell::new(Vec::new()));
/// let g = got.clone();
/// streams_core::run(async move {
///     let r = Readable::from_iter(["a", "b", "c"]);
///     r.on(events::Data, move |chunk: &&str| g.borrow_mut().push(*chunk));
/// });
/// assert_eq!(*got.borrow(), ["a", "b", "c"]);
/// ```
///
/// Paused mode:
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{events, Readable};
///
/// streams_core::run(async {
///     let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
///     r.push(Bytes::from("hello "));
///     r.push(Bytes::from("world"));
///     r.push(None);
///     let r2 = r.clone();
///     r.on(events::Readable, move |_| {
///         while let Some(chunk) = r2.read(None) {
///             assert_eq!(&chunk[..], b"hello world");
///         }
///     });
/// });
/// ```
pub struct Readable<T: 'static = Bytes> {
    pub(crate) core: Rc<Core<T, Void>>,
    /// This handle's iteration as a `futures::Stream` (see `async_face`).
    pub(crate) iter: IterSlot,
}

impl<T: 'static> Clone for Readable<T> {
    fn clone(&self) -> Self {
        Readable { core: self.core.clone(), iter: self.iter.clone() }
    }
}

impl<T: 'static> fmt::Debug for Readable<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Readable").field(&self.core).finish()
    }
}

impl<T: 'static> PartialEq for Readable<T> {
    /// Two handles are equal when they are the same stream.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.core, &other.core)
    }
}

impl<T: 'static> Eq for Readable<T> {}

impl_stream_traits!(stream Readable<T>, [T: 'static]);
impl_stream_traits!(readable Readable<T>, T, [T: Clone + 'static]);

/// The options of [`Readable::pipe_with`] (Node's `pipe(dest, options)`).
///
/// # Examples
///
/// ```
/// let opts = streams_core::readable::PipeOptions { end: false };
/// assert!(!opts.end);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipeOptions {
    /// End the destination when the source ends (default true).
    pub end: bool,
}

impl Default for PipeOptions {
    fn default() -> Self {
        PipeOptions { end: true }
    }
}

impl<T: Clone + 'static> Readable<T> {
    /// Pipes this stream into `dest` (Node's `readable.pipe(dest)`): every
    /// chunk is written to `dest`; a `false` write pauses this stream until
    /// `dest` emits `'drain'`; when this stream ends, `dest.end()` is
    /// called. Returns `dest`, for chaining. Several destinations may be
    /// piped to; the slowest governs the pace.
    ///
    /// As in Node, an error on this stream does not end or destroy `dest`:
    /// use [`pipeline`](crate::pipeline) when errors must tear the chain
    /// down. Chunks are cloned into `dest` (a reference count for `Bytes`;
    /// wrap costly objects in an `Rc`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use bytes::Bytes;
    /// use streams_core::{Readable, Writable};
    ///
    /// let out = Rc::new(RefCell::new(Vec::new()));
    /// let o = out.clone();
    /// streams_core::run(async move {
    ///     let src = Readable::from_iter([Bytes::from("a"), Bytes::from("b")]);
    ///     let dest = Writable::<Bytes>::object_builder()
    ///         .write(move |_, chunk, _, cb| {
    ///             o.borrow_mut().push(chunk);
    ///             cb.call(Ok(()));
    ///         })
    ///         .build();
    ///     src.pipe(&dest);
    /// });
    /// assert_eq!(*out.borrow(), ["a", "b"]);
    /// ```
    pub fn pipe<D: WritableStream<In = T>>(&self, dest: &D) -> D {
        self.pipe_with(dest, PipeOptions::default())
    }

    /// [`pipe`](Readable::pipe) with options: `end: false` leaves `dest`
    /// open when this stream ends.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{readable::PipeOptions, Readable, Writable};
    ///
    /// streams_core::run(async {
    ///     let src = Readable::<Bytes>::builder().read(|this, _| { this.push(None); }).build();
    ///     let dest = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     src.pipe_with(&dest, PipeOptions { end: false });
    ///     streams_core::immediate().await;
    ///     assert!(!dest.writable_ended());
    /// });
    /// ```
    pub fn pipe_with<D: WritableStream<In = T>>(&self, dest: &D, options: PipeOptions) -> D {
        self.core.pipe(dest.write_end().0, options.end);
        dest.clone()
    }
}

impl Readable<Bytes> {
    /// A builder for a byte stream (chunks of `Bytes`, measured in bytes).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().high_water_mark(1024).build();
    /// assert_eq!(r.readable_high_water_mark(), 1024);
    /// ```
    pub fn builder() -> ReadableBuilder<Bytes> {
        ReadableBuilder::with_ops(ChunkOps::bytes())
    }

    /// Decodes the data as text from now on (Node's `setEncoding`): chunks
    /// become UTF-8 text (still as `Bytes`, valid `str` guaranteed), a
    /// multi-byte character split across chunks is never corrupted, and
    /// [`readable_length`](Readable::readable_length) counts UTF-16 code
    /// units as Node counts string length. Data already buffered is
    /// decoded too.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Readable};
    ///
    /// let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.set_encoding(Encoding::Utf8);
    /// let text = "前端".as_bytes();
    /// r.push(Bytes::copy_from_slice(&text[..4]));
    /// r.push(Bytes::copy_from_slice(&text[4..]));
    /// assert_eq!(r.readable_length(), 2);
    /// assert_eq!(r.read(None).as_deref(), Some("前端".as_bytes()));
    /// ```
    pub fn set_encoding(&self, encoding: Encoding) -> &Self {
        self.core.set_encoding(encoding);
        self
    }

    /// Pushes a string given in `encoding` (Node's `push(string,
    /// encoding)`): it is encoded to bytes, unless the stream decodes to
    /// that same encoding, in which case it is buffered as text directly.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Readable};
    ///
    /// let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.push_str("6869", Encoding::Hex);
    /// assert_eq!(r.read(None).as_deref(), Some(&b"hi"[..]));
    /// ```
    pub fn push_str(&self, text: &str, encoding: Encoding) -> bool {
        let same = self.core.rs().state.borrow().encoding == Some(encoding);
        if same {
            self.core.push_chunk(Bytes::copy_from_slice(text.as_bytes()), true)
        } else {
            self.push(encoding.encode(text))
        }
    }
}

impl<T: 'static> Readable<T> {
    /// A builder for an object stream: each chunk is one item of any type,
    /// never merged or split; the high-water mark counts items (16 by
    /// default).
    ///
    /// # Examples
    ///
    /// ```
    /// #[derive(Debug, PartialEq)]
    /// struct Row { id: u32 }
    ///
    /// let r = streams_core::Readable::<Row>::object_builder().read(|_, _| {}).build();
    /// r.push(Row { id: 1 });
    /// assert_eq!(r.read(None), Some(Row { id: 1 }));
    /// ```
    pub fn object_builder() -> ReadableBuilder<T> {
        ReadableBuilder::with_ops(ChunkOps::object())
    }

    /// An object stream that yields the items of `iter`, then ends
    /// (Node's `Readable.from(iterable)`, with its high-water mark of 1).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_core::Readable::from_iter(vec![1, 2, 3]);
    /// assert_eq!(r.readable_high_water_mark(), 1);
    /// assert_eq!(r.read(None), Some(1));
    /// ```
    // Node's name (`Readable.from`); `FromIterator` cannot be implemented,
    // as it does not let the iterator outlive the call.
    #[allow(clippy::should_implement_trait)]
    pub fn from_iter<I>(iter: I) -> Readable<T>
    where
        I: IntoIterator<Item = T>,
        I::IntoIter: 'static,
    {
        let mut iter = iter.into_iter();
        Readable::object_builder()
            .high_water_mark(1)
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

    pub(crate) fn from_core(core: &Rc<Core<T, Void>>) -> Readable<T> {
        Readable::from_rc(core.clone())
    }

    pub(crate) fn from_rc(core: Rc<Core<T, Void>>) -> Readable<T> {
        Readable { core, iter: IterSlot::default() }
    }

    /// Adds a chunk to the buffer, or ends the stream with `None` (Node's
    /// `push(chunk)` / `push(null)`). Returns whether more may be pushed:
    /// `false` once the buffered length reaches the high-water mark, and
    /// always after the end.
    ///
    /// When the stream is flowing with an empty buffer the chunk is emitted
    /// as `'data'` at once. Pushing after the end fails the stream with
    /// `ERR_STREAM_PUSH_AFTER_EOF`; pushing into a destroyed stream is
    /// ignored and returns `false`. An empty byte chunk adds nothing but
    /// completes the pending read.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().high_water_mark(4).read(|_, _| {}).build();
    /// assert!(r.push(Bytes::from("ab")));
    /// assert!(!r.push(Bytes::from("cd")));
    /// assert!(!r.push(None));
    /// ```
    pub fn push(&self, chunk: impl Into<Option<T>>) -> bool {
        match chunk.into() {
            None => self.core.push_eof(),
            Some(chunk) => self.core.push_value(chunk),
        }
    }

    /// Puts a chunk back at the front of the buffer (Node's `unshift`), for
    /// a consumer that read too much. After `'end'` it fails the stream
    /// with `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.push(Bytes::from("world"));
    /// r.unshift(Bytes::from("hello "));
    /// assert_eq!(r.read(None).as_deref(), Some(&b"hello world"[..]));
    /// ```
    pub fn unshift(&self, chunk: T) -> bool {
        self.core.unshift_value(chunk)
    }

    /// Takes data out of the buffer (Node's `read(size)`): `None` as the
    /// size takes everything buffered (one chunk at a time while flowing),
    /// `Some(n)` takes exactly `n` bytes or nothing until the end, when it
    /// takes what is left; `Some(0)` only triggers a refill. Object streams
    /// return one item whatever the size. Returns `None` when not enough
    /// is buffered. A size over the high-water mark raises it to the next
    /// power of two. What is returned is also emitted as `'data'`.
    ///
    /// A read inside one chunk returns a slice of it without copying.
    ///
    /// # Errors
    ///
    /// A size over 1 GiB fails the stream with `ERR_OUT_OF_RANGE` (Node
    /// throws it) and returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.push(Bytes::from("abcdef"));
    /// assert_eq!(r.read(2).as_deref(), Some(&b"ab"[..]));
    /// assert_eq!(r.read(10), None); // not enough until the end
    /// r.push(None);
    /// assert_eq!(r.read(10).as_deref(), Some(&b"cdef"[..]));
    /// ```
    pub fn read(&self, size: impl Into<Option<usize>>) -> Option<T> {
        self.core.read_chunk(size.into())
    }

    /// Stops piping into `dest`, or into every destination with `None`
    /// (Node's `unpipe`): `'unpipe'` is emitted on each, and the stream is
    /// paused when no destination is left. Data stays buffered.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Readable, Writable};
    ///
    /// streams_core::run(async {
    ///     let src = Readable::<Bytes>::builder().read(|_, _| {}).build();
    ///     let dest = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     src.pipe(&dest);
    ///     src.unpipe(None::<&Writable>);
    ///     assert_eq!(src.readable_flowing(), Some(false));
    /// });
    /// ```
    pub fn unpipe<D: crate::Stream>(&self, dest: Option<&D>) -> &Self {
        self.core.unpipe(dest.map(|d| d.stream_id()));
        self
    }

    /// Starts or restarts the flow (Node's `resume()`): `readable_flowing`
    /// becomes `Some(true)` at once (unless a `'readable'` listener holds
    /// the stream), `'resume'` and the data follow on the next tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.resume();
    /// assert_eq!(r.readable_flowing(), Some(true));
    /// ```
    pub fn resume(&self) -> &Self {
        self.core.resume();
        self
    }

    /// Stops the flow (Node's `pause()`); `'pause'` is emitted at once if
    /// the stream was not already paused. Data stays buffered.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.pause();
    /// assert_eq!(r.readable_flowing(), Some(false));
    /// assert!(r.is_paused());
    /// ```
    pub fn pause(&self) -> &Self {
        self.core.pause();
        self
    }

    /// Whether the stream was paused explicitly (Node's `isPaused()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(!r.is_paused());
    /// ```
    pub fn is_paused(&self) -> bool {
        self.core.is_paused()
    }

    /// Destroys the stream (Node's `destroy(err)`): no more data or events
    /// but `'error'` (with `err`, if given) and then `'close'`, on the next
    /// tick. Calling it again does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::StreamError;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// r.destroy(Some(StreamError::new("stop")));
    /// assert!(r.destroyed());
    /// assert_eq!(r.errored().map(|e| e.to_string()), Some("stop".into()));
    /// ```
    pub fn destroy(&self, err: Option<StreamError>) -> &Self {
        self.core.destroy(err);
        self
    }

    /// Adds a listener (Node's `on`). A [`Data`](crate::events::Data)
    /// listener starts the flow unless the stream was paused explicitly; a
    /// [`Readable`](crate::events::Readable) listener switches to paused
    /// mode and wins over `'data'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.on(events::Data, |chunk: &Bytes| println!("{} bytes", chunk.len()));
    /// assert_eq!(r.readable_flowing(), Some(true));
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<T>) + 'static) -> ListenerId {
        self.core.add_listener(event, listener, Add::On)
    }

    /// Adds a listener removed before its first call (Node's `once`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// r.once(events::End, |_| println!("ended"));
    /// assert_eq!(r.listener_count(events::End), 1);
    /// ```
    pub fn once<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<T>) + 'static) -> ListenerId {
        self.core.add_listener(event, listener, Add::Once)
    }

    /// Adds a listener before the others (Node's `prependListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// r.prepend_listener(events::Close, |_| {});
    /// assert_eq!(r.listener_count(events::Close), 1);
    /// ```
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<T>) + 'static,
    ) -> ListenerId {
        self.core.add_listener(event, listener, Add::Prepend)
    }

    /// Adds a `once` listener before the others (Node's
    /// `prependOnceListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// r.prepend_once_listener(events::Close, |_| {});
    /// assert_eq!(r.listener_count(events::Close), 1);
    /// ```
    pub fn prepend_once_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<T>) + 'static,
    ) -> ListenerId {
        self.core.add_listener(event, listener, Add::PrependOnce)
    }

    /// Removes a listener (Node's `off`). Removing the last `'readable'`
    /// listener lets `'data'` listeners flow again on the next tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// let id = r.on(events::End, |_| {});
    /// assert!(r.off(id));
    /// ```
    pub fn off(&self, id: ListenerId) -> bool {
        self.core.remove_listener(id)
    }

    /// Removes every listener of `event` (Node's `removeAllListeners(event)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// r.on(events::End, |_| {});
    /// r.remove_all_listeners(events::End);
    /// assert_eq!(r.listener_count(events::End), 0);
    /// ```
    pub fn remove_all_listeners<E: Event>(&self, event: E) -> &Self {
        self.core.remove_all_listeners(event);
        self
    }

    /// How many listeners `event` has (Node's `listenerCount`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    /// let r = Readable::<Bytes>::builder().build();
    /// assert_eq!(r.listener_count(events::Data), 0);
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
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// r.set_max_listeners(20);
    /// ```
    pub fn set_max_listeners(&self, max: usize) -> &Self {
        self.core.events.set_max_listeners(max);
        self
    }

    /// Node's `readable.readable`: true until the stream ended, errored or
    /// was destroyed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(r.readable());
    /// r.destroy(None);
    /// assert!(!r.readable());
    /// ```
    pub fn readable(&self) -> bool {
        !self.core.life.destroyed.get()
            && !self.core.life.error_emitted.get()
            && !self.core.rs().state.borrow().end_emitted
    }

    /// Whether `'end'` was emitted (Node's `readableEnded`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(!r.readable_ended());
    /// ```
    pub fn readable_ended(&self) -> bool {
        self.core.rs().state.borrow().end_emitted
    }

    /// The buffered length: bytes, items in object mode, UTF-16 code units
    /// with an encoding (Node's `readableLength`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.push(Bytes::from("abc"));
    /// assert_eq!(r.readable_length(), 3);
    /// ```
    pub fn readable_length(&self) -> usize {
        self.core.rs().state.borrow().length
    }

    /// The high-water mark (Node's `readableHighWaterMark`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert_eq!(r.readable_high_water_mark(), 65536);
    /// ```
    pub fn readable_high_water_mark(&self) -> usize {
        self.core.rs().state.borrow().hwm
    }

    /// Whether this is an object stream (Node's `readableObjectMode`).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_core::Readable::<u8>::object_builder().build();
    /// assert!(r.readable_object_mode());
    /// ```
    pub fn readable_object_mode(&self) -> bool {
        self.core.rs().object_mode
    }

    /// The encoding set with `set_encoding`, if any (Node's
    /// `readableEncoding`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert_eq!(r.readable_encoding(), None);
    /// ```
    pub fn readable_encoding(&self) -> Option<Encoding> {
        self.core.rs().state.borrow().encoding
    }

    /// Whether `'data'` was ever emitted (Node's `readableDidRead`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().read(|_, _| {}).build();
    /// r.push(Bytes::from("x"));
    /// r.read(None);
    /// assert!(r.readable_did_read());
    /// ```
    pub fn readable_did_read(&self) -> bool {
        self.core.rs().state.borrow().data_emitted
    }

    /// Node's `readableFlowing`: `None` (no consumer yet), `Some(true)`
    /// (flowing) or `Some(false)` (paused).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert_eq!(r.readable_flowing(), None);
    /// ```
    pub fn readable_flowing(&self) -> Option<bool> {
        self.core.rs().state.borrow().flowing
    }

    /// Whether the stream was destroyed or errored before `'end'` (Node's
    /// `readableAborted`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// r.destroy(None);
    /// assert!(r.readable_aborted());
    /// ```
    pub fn readable_aborted(&self) -> bool {
        (self.core.life.destroyed.get() || self.core.life.is_errored())
            && !self.core.rs().state.borrow().end_emitted
    }

    /// Whether `destroy` was called (Node's `destroyed`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(!r.destroyed());
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
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(r.errored().is_none());
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
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// r.destroy(None);
    /// assert!(r.closed());
    /// ```
    pub fn closed(&self) -> bool {
        self.core.life.closed.get()
    }
}
