//! `Duplex<R, W>`: the handle users hold.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::DuplexBuilder;
use crate::async_face::IterSlot;
use crate::encoding::Encoding;
use crate::events::{Event, ListenerId};
use crate::readable::PipeOptions;
use crate::stream::{impl_stream_traits, ChunkOps, Core, WritableStream};
use crate::StreamError;

/// Node's `stream.Duplex`: a readable side yielding `R` and a writable
/// side taking `W`, with independent buffers, in one stream with one
/// lifecycle (one `'close'`, one `'error'`).
///
/// It has every method of [`Readable`](crate::Readable) and of
/// [`Writable`](crate::Writable). Build one with [`Duplex::builder`] or
/// [`Duplex::object_builder`]; a Transform and a PassThrough are Duplex
/// streams too (see [`Transform`](crate::Transform)).
///
/// # Examples
///
/// Node's DoubleStream, which pushes each written chunk twice:
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::{events, Duplex};
///
/// let out = Rc::new(RefCell::new(Vec::new()));
/// let o = out.clone();
/// streams_core::run(async move {
///     let d = Duplex::<Bytes, Bytes>::builder()
///         .read(|_, _| {})
///         .write(|this, chunk, _, cb| {
///             this.push(chunk.clone());
///             this.push(chunk);
///             cb.call(Ok(()));
///         })
///         .final_(|this, cb| { this.push(None); cb.call(Ok(())) })
///         .build();
///     d.on(events::Data, move |c: &Bytes| o.borrow_mut().push(c.clone()));
///     d.write(Bytes::from("hi"));
///     d.end(None);
/// });
/// assert_eq!(*out.borrow(), ["hi", "hi"]);
/// ```
pub struct Duplex<R: 'static = Bytes, W: 'static = Bytes> {
    pub(crate) core: Rc<Core<R, W>>,
    /// This handle's iteration as a `futures::Stream` (see `async_face`).
    pub(crate) iter: IterSlot,
}

impl_stream_traits!(stream Duplex<R, W>, [R: 'static, W: 'static]);
impl_stream_traits!(readable Duplex<R, W>, R, [R: Clone + 'static, W: 'static]);
impl_stream_traits!(writable Duplex<R, W>, W, [R: 'static, W: 'static]);

impl<R: 'static, W: 'static> Clone for Duplex<R, W> {
    fn clone(&self) -> Self {
        Duplex { core: self.core.clone(), iter: self.iter.clone() }
    }
}

impl<R: 'static, W: 'static> fmt::Debug for Duplex<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Duplex").field(&self.core).finish()
    }
}

impl<R: 'static, W: 'static> PartialEq for Duplex<R, W> {
    /// Two handles are equal when they are the same stream.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.core, &other.core)
    }
}

impl<R: 'static, W: 'static> Eq for Duplex<R, W> {}

fn boxed(
    cb: impl FnOnce(Result<(), StreamError>) + 'static,
) -> Box<dyn FnOnce(Result<(), StreamError>)> {
    Box::new(cb)
}

impl Duplex<Bytes, Bytes> {
    /// A builder for a duplex with byte streams on both sides.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// assert_eq!(d.readable_high_water_mark(), 65536);
    /// ```
    pub fn builder() -> DuplexBuilder<Bytes, Bytes> {
        DuplexBuilder::with_ops(ChunkOps::bytes(), ChunkOps::bytes())
    }
}

impl<R: 'static> Duplex<R, Bytes> {
    /// Writes a string in `encoding` (or the default encoding).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .write(|_, chunk, _, cb| { assert_eq!(&chunk[..], b"hi"); cb.call(Ok(())) })
    ///     .build();
    /// d.write_str("6869", streams_core::encoding::Encoding::Hex);
    /// ```
    pub fn write_str(&self, text: &str, encoding: impl Into<Option<Encoding>>) -> bool {
        let (chunk, encoding) = self.core.string_chunk(text, encoding.into());
        self.core.write_chunk(chunk, encoding, None).unwrap_or(false)
    }

    /// Ends the writable side with a last string.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .write(|_, _, _, cb| cb.call(Ok(())))
    ///     .build();
    /// d.end_str("bye", None);
    /// assert!(d.writable_ended());
    /// ```
    pub fn end_str(&self, text: &str, encoding: impl Into<Option<Encoding>>) -> &Self {
        let chunk = self.core.string_chunk(text, encoding.into());
        self.core.end_writable(Some(chunk), None);
        self
    }
}

impl<W: 'static> Duplex<Bytes, W> {
    /// Decodes the readable side as text from now on (see
    /// [`Readable::set_encoding`](crate::Readable::set_encoding)).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::encoding::Encoding;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.set_encoding(Encoding::Utf8);
    /// assert_eq!(d.readable_encoding(), Some(Encoding::Utf8));
    /// ```
    pub fn set_encoding(&self, encoding: Encoding) -> &Self {
        self.core.set_encoding(encoding);
        self
    }
}

impl<R: Clone + 'static, W: 'static> Duplex<R, W> {
    /// Pipes the readable side into `dest` (see
    /// [`Readable::pipe`](crate::Readable::pipe)). Returns `dest`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Duplex, Writable};
    /// streams_core::run(async {
    ///     let d = Duplex::<Bytes, Bytes>::builder().read(|this, _| { this.push(None); }).build();
    ///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
    ///     d.pipe(&w);
    /// });
    /// ```
    pub fn pipe<D: WritableStream<In = R>>(&self, dest: &D) -> D {
        self.pipe_with(dest, PipeOptions::default())
    }

    /// [`pipe`](Duplex::pipe) with options.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{readable::PipeOptions, Duplex, Writable};
    /// let d = Duplex::<Bytes, Bytes>::builder().build();
    /// let w = Writable::<Bytes>::builder().build();
    /// d.pipe_with(&w, PipeOptions { end: false });
    /// ```
    pub fn pipe_with<D: WritableStream<In = R>>(&self, dest: &D, options: PipeOptions) -> D {
        self.core.pipe(dest.write_end().0, options.end);
        dest.clone()
    }
}

impl<R: 'static, W: 'static> Duplex<R, W> {
    /// A builder for a duplex with object streams on both sides.
    ///
    /// # Examples
    ///
    /// ```
    /// let d = streams_core::Duplex::<u32, String>::object_builder().build();
    /// assert_eq!(d.readable_high_water_mark(), 16);
    /// ```
    pub fn object_builder() -> DuplexBuilder<R, W> {
        DuplexBuilder::with_ops(ChunkOps::object(), ChunkOps::object())
    }

    pub(crate) fn from_core(core: &Rc<Core<R, W>>) -> Duplex<R, W> {
        Duplex::from_rc(core.clone())
    }

    pub(crate) fn from_rc(core: Rc<Core<R, W>>) -> Duplex<R, W> {
        Duplex { core, iter: IterSlot::default() }
    }

    // ----- readable side -----

    /// Adds a chunk to the readable side, or ends it with `None` (see
    /// [`Readable::push`](crate::Readable::push)).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().read(|_, _| {}).build();
    /// assert!(d.push(Bytes::from("x")));
    /// ```
    pub fn push(&self, chunk: impl Into<Option<R>>) -> bool {
        match chunk.into() {
            None => self.core.push_eof(),
            Some(chunk) => self.core.push_value(chunk),
        }
    }

    /// Puts a chunk back at the front of the readable buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().read(|_, _| {}).build();
    /// d.unshift(Bytes::from("x"));
    /// assert_eq!(d.readable_length(), 1);
    /// ```
    pub fn unshift(&self, chunk: R) -> bool {
        self.core.unshift_value(chunk)
    }

    /// Takes data from the readable side (see
    /// [`Readable::read`](crate::Readable::read)).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().read(|_, _| {}).build();
    /// d.push(Bytes::from("abc"));
    /// assert_eq!(d.read(2).as_deref(), Some(&b"ab"[..]));
    /// ```
    pub fn read(&self, size: impl Into<Option<usize>>) -> Option<R> {
        self.core.read_chunk(size.into())
    }

    /// Starts the flow of the readable side.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.resume();
    /// assert_eq!(d.readable_flowing(), Some(true));
    /// ```
    pub fn resume(&self) -> &Self {
        self.core.resume();
        self
    }

    /// Stops the flow of the readable side.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.pause();
    /// assert!(d.is_paused());
    /// ```
    pub fn pause(&self) -> &Self {
        self.core.pause();
        self
    }

    /// Node's `isPaused()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().is_paused());
    /// ```
    pub fn is_paused(&self) -> bool {
        self.core.is_paused()
    }

    /// Stops piping into `dest` (or every destination with `None`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.unpipe(None::<&Writable>);
    /// ```
    pub fn unpipe<D: crate::Stream>(&self, dest: Option<&D>) -> &Self {
        self.core.unpipe(dest.map(|d| d.stream_id()));
        self
    }

    /// Node's `readable`: the readable side has not ended, errored or been
    /// destroyed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(streams_core::Duplex::<Bytes, Bytes>::builder().build().readable());
    /// ```
    pub fn readable(&self) -> bool {
        !self.core.life.destroyed.get()
            && !self.core.life.error_emitted.get()
            && !self.core.rs().state.borrow().end_emitted
    }

    /// Whether `'end'` was emitted.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_ended());
    /// ```
    pub fn readable_ended(&self) -> bool {
        self.core.rs().state.borrow().end_emitted
    }

    /// The readable side's buffered length.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert_eq!(streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_length(), 0);
    /// ```
    pub fn readable_length(&self) -> usize {
        self.core.rs().state.borrow().length
    }

    /// The readable side's high-water mark.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// assert_eq!(d.readable_high_water_mark(), 65536);
    /// ```
    pub fn readable_high_water_mark(&self) -> usize {
        self.core.rs().state.borrow().hwm
    }

    /// Whether the readable side is in object mode.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::Duplex::<u8, u8>::object_builder().build().readable_object_mode());
    /// ```
    pub fn readable_object_mode(&self) -> bool {
        self.core.rs().object_mode
    }

    /// The readable side's encoding, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert_eq!(streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_encoding(), None);
    /// ```
    pub fn readable_encoding(&self) -> Option<Encoding> {
        self.core.rs().state.borrow().encoding
    }

    /// Node's `readableFlowing`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert_eq!(streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_flowing(), None);
    /// ```
    pub fn readable_flowing(&self) -> Option<bool> {
        self.core.rs().state.borrow().flowing
    }

    /// Whether `'data'` was ever emitted.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_did_read());
    /// ```
    pub fn readable_did_read(&self) -> bool {
        self.core.rs().state.borrow().data_emitted
    }

    /// Whether the stream was destroyed or errored before `'end'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().readable_aborted());
    /// ```
    pub fn readable_aborted(&self) -> bool {
        (self.core.life.destroyed.get() || self.core.life.is_errored())
            && !self.core.rs().state.borrow().end_emitted
    }

    // ----- writable side -----

    /// Writes a chunk (see [`Writable::write`](crate::Writable::write)).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .write(|_, _, _, cb| cb.call(Ok(())))
    ///     .build();
    /// assert!(d.write(Bytes::from("x")));
    /// ```
    pub fn write(&self, chunk: W) -> bool {
        self.core.write_chunk(chunk, None, None).unwrap_or(false)
    }

    /// Writes a chunk with a completion callback.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .write(|_, _, _, cb| cb.call(Ok(())))
    ///     .build();
    /// d.write_with(Bytes::from("x"), |res| assert!(res.is_ok()));
    /// ```
    pub fn write_with(&self, chunk: W, cb: impl FnOnce(Result<(), StreamError>) + 'static) -> bool {
        self.core.write_chunk(chunk, None, Some(boxed(cb))).unwrap_or(false)
    }

    /// Ends the writable side, after an optional last chunk.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.end(None);
    /// assert!(d.writable_ended());
    /// ```
    pub fn end(&self, chunk: impl Into<Option<W>>) -> &Self {
        self.core.end_writable(chunk.into().map(|c| (c, None)), None);
        self
    }

    /// [`end`](Duplex::end) with a callback called on `'finish'` (or with
    /// the error).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.end_with(None, |_| {});
    /// ```
    pub fn end_with(
        &self,
        chunk: impl Into<Option<W>>,
        cb: impl FnOnce(Result<(), StreamError>) + 'static,
    ) -> &Self {
        self.core.end_writable(chunk.into().map(|c| (c, None)), Some(boxed(cb)));
        self
    }

    /// Buffers writes until [`uncork`](Duplex::uncork).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.cork();
    /// assert_eq!(d.writable_corked(), 1);
    /// ```
    pub fn cork(&self) {
        self.core.cork();
    }

    /// Undoes one [`cork`](Duplex::cork).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.cork();
    /// d.uncork();
    /// assert_eq!(d.writable_corked(), 0);
    /// ```
    pub fn uncork(&self) {
        self.core.uncork();
    }

    /// Node's `writable`: the writable side accepts writes.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(streams_core::Duplex::<Bytes, Bytes>::builder().build().writable());
    /// ```
    pub fn writable(&self) -> bool {
        self.core.is_writable()
    }

    /// Whether `end()` was called.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_ended());
    /// ```
    pub fn writable_ended(&self) -> bool {
        self.core.ws().state.borrow().ending
    }

    /// Whether `'finish'` was emitted.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_finished());
    /// ```
    pub fn writable_finished(&self) -> bool {
        self.core.ws().state.borrow().finished
    }

    /// The `cork()` depth.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert_eq!(streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_corked(), 0);
    /// ```
    pub fn writable_corked(&self) -> usize {
        self.core.ws().state.borrow().corked
    }

    /// The writable side's buffered length.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert_eq!(streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_length(), 0);
    /// ```
    pub fn writable_length(&self) -> usize {
        self.core.ws().state.borrow().length
    }

    /// The writable side's high-water mark.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// assert_eq!(d.writable_high_water_mark(), 65536);
    /// ```
    pub fn writable_high_water_mark(&self) -> usize {
        self.core.ws().state.borrow().hwm
    }

    /// Whether the writable side is in object mode.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::Duplex::<u8, u8>::object_builder().build().writable_object_mode());
    /// ```
    pub fn writable_object_mode(&self) -> bool {
        self.core.ws().ops.object_mode
    }

    /// Whether a `write()` returned `false` and `'drain'` is owed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_need_drain());
    /// ```
    pub fn writable_need_drain(&self) -> bool {
        self.core.ws().state.borrow().need_drain
    }

    /// Whether the stream was destroyed or errored before `'finish'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().writable_aborted());
    /// ```
    pub fn writable_aborted(&self) -> bool {
        (self.core.life.destroyed.get() || self.core.life.is_errored())
            && !self.core.ws().state.borrow().finished
    }

    /// Node's `allowHalfOpen`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(streams_core::Duplex::<Bytes, Bytes>::builder().build().allow_half_open());
    /// ```
    pub fn allow_half_open(&self) -> bool {
        self.core.allow_half_open
    }

    // ----- both -----

    /// Destroys both sides: `'error'` (with `err`) and `'close'` follow on
    /// the next tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.destroy(None);
    /// assert!(d.destroyed());
    /// ```
    pub fn destroy(&self, err: Option<StreamError>) -> &Self {
        self.core.destroy(err);
        self
    }

    /// Whether `destroy` was called.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().destroyed());
    /// ```
    pub fn destroyed(&self) -> bool {
        self.core.life.destroyed.get()
    }

    /// The error the stream failed with, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(streams_core::Duplex::<Bytes, Bytes>::builder().build().errored().is_none());
    /// ```
    pub fn errored(&self) -> Option<StreamError> {
        self.core.life.errored()
    }

    /// Whether the stream finished destroying.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// assert!(!streams_core::Duplex::<Bytes, Bytes>::builder().build().closed());
    /// ```
    pub fn closed(&self) -> bool {
        self.core.life.closed.get()
    }

    /// Adds a listener; `'data'` and `'readable'` listeners have their
    /// Readable side effects.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.on(events::Finish, |_| println!("finished"));
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<R>) + 'static) -> ListenerId {
        self.core.add_listener(event, listener, crate::readable::Add::On)
    }

    /// Adds a listener removed before its first call.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.once(events::End, |_| {});
    /// ```
    pub fn once<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<R>) + 'static) -> ListenerId {
        self.core.add_listener(event, listener, crate::readable::Add::Once)
    }

    /// Adds a listener before the others.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.prepend_listener(events::Close, |_| {});
    /// ```
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<R>) + 'static,
    ) -> ListenerId {
        self.core.add_listener(event, listener, crate::readable::Add::Prepend)
    }

    /// Removes a listener.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// let id = d.on(events::Close, |_| {});
    /// assert!(d.off(id));
    /// ```
    pub fn off(&self, id: ListenerId) -> bool {
        self.core.remove_listener(id)
    }

    /// Removes every listener of `event`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// d.remove_all_listeners(events::Close);
    /// ```
    pub fn remove_all_listeners<E: Event>(&self, event: E) -> &Self {
        self.core.remove_all_listeners(event);
        self
    }

    /// How many listeners `event` has.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::events;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// assert_eq!(d.listener_count(events::Close), 0);
    /// ```
    pub fn listener_count<E: Event>(&self, event: E) -> usize {
        self.core.events.listener_count(event)
    }
}
