//! `TransformBuilder`: the options of `new stream.Transform(options)`.

use std::fmt;

use bytes::Bytes;

use super::callback::{FlushCallback, TransformCallback};
use super::Transform;
use crate::duplex::{Duplex, DuplexBuilder};
use crate::encoding::Encoding;
use crate::stream::Callback;
use crate::StreamError;

type UserFlush<I, O> = Box<dyn FnOnce(&Transform<I, O>, FlushCallback<I, O>)>;

/// Builds a [`Transform`]: Node's `new Transform(options)`, a Duplex
/// whose writable side (chunks of `I`) feeds its readable side (chunks of
/// `O`) through the [`transform`](TransformBuilder::transform) hook, one
/// chunk at a time.
///
/// It takes the options of a [`DuplexBuilder`] (high-water marks, object
/// modes, encodings, `emit_close`, `auto_destroy`, `destroy`,
/// `construct`) plus `transform` and `flush`.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Transform;
///
/// let lengths = Transform::<Bytes, usize>::object_builder()
///     .writable_object_mode(false)
///     .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk.len()))))
///     .build();
/// lengths.write(Bytes::from("four"));
/// assert_eq!(lengths.read(None), Some(4));
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct TransformBuilder<I: 'static, O: 'static> {
    inner: DuplexBuilder<O, I>,
    hwm: Option<usize>,
    readable_hwm: Option<usize>,
    writable_hwm: Option<usize>,
    /// Whether [`transform`](Self::transform) gave the write hook.
    has_transform: bool,
    flush: Option<UserFlush<I, O>>,
}

impl<I: 'static, O: 'static> fmt::Debug for TransformBuilder<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransformBuilder").field("duplex", &self.inner).finish_non_exhaustive()
    }
}

impl<I: 'static, O: 'static> TransformBuilder<I, O> {
    pub(crate) fn from_duplex(inner: DuplexBuilder<O, I>) -> TransformBuilder<I, O> {
        TransformBuilder {
            inner,
            hwm: None,
            readable_hwm: None,
            writable_hwm: None,
            has_transform: false,
            flush: None,
        }
    }

    fn map(mut self, f: impl FnOnce(DuplexBuilder<O, I>) -> DuplexBuilder<O, I>) -> Self {
        self.inner = f(self.inner);
        self
    }

    /// The high-water mark of both sides; it wins over the per-side ones.
    /// With 0, as with a readable high-water mark of 0, the writable side
    /// takes [`writable_high_water_mark`](Self::writable_high_water_mark)
    /// if set, else 0 (as Node does).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Transform;
    /// let t = Transform::<Bytes, Bytes>::builder().high_water_mark(5).build();
    /// assert_eq!(t.writable_high_water_mark(), 5);
    /// let t = Transform::<Bytes, Bytes>::builder()
    ///     .high_water_mark(0)
    ///     .writable_high_water_mark(5)
    ///     .build();
    /// assert_eq!((t.readable_high_water_mark(), t.writable_high_water_mark()), (0, 5));
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.hwm = Some(hwm);
        self.map(|b| b.high_water_mark(hwm))
    }

    /// The readable side's high-water mark. With 0, the writable side
    /// defaults to 0 too, so the transform buffers nothing (as Node does).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().readable_high_water_mark(0).build();
    /// assert_eq!(t.writable_high_water_mark(), 0);
    /// ```
    pub fn readable_high_water_mark(mut self, hwm: usize) -> Self {
        self.readable_hwm = Some(hwm);
        self.map(|b| b.readable_high_water_mark(hwm))
    }

    /// The writable side's high-water mark.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().writable_high_water_mark(3).build();
    /// assert_eq!(t.writable_high_water_mark(), 3);
    /// ```
    pub fn writable_high_water_mark(mut self, hwm: usize) -> Self {
        self.writable_hwm = Some(hwm);
        self.map(|b| b.writable_high_water_mark(hwm))
    }

    /// Whether `'close'` is emitted after the stream is destroyed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().emit_close(false).build();
    /// # drop(t);
    /// ```
    pub fn emit_close(self, emit_close: bool) -> Self {
        self.map(|b| b.emit_close(emit_close))
    }

    /// Whether the stream destroys itself once both sides are done.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().auto_destroy(false).build();
    /// # drop(t);
    /// ```
    pub fn auto_destroy(self, auto_destroy: bool) -> Self {
        self.map(|b| b.auto_destroy(auto_destroy))
    }

    /// Node's `allowHalfOpen` (default true).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().allow_half_open(false).build();
    /// assert!(!t.allow_half_open());
    /// ```
    pub fn allow_half_open(self, allow: bool) -> Self {
        self.map(|b| b.allow_half_open(allow))
    }

    /// The transformation: Node's `transform(chunk, encoding, callback)`.
    /// Push output with [`push`](crate::Duplex::push) (any number of
    /// chunks), or hand one chunk to the callback.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let twice = streams_core::Transform::<Bytes, Bytes>::builder()
    ///     .transform(|this, chunk, _, cb| {
    ///         this.push(chunk.clone());
    ///         this.push(chunk);
    ///         cb.call(Ok(None));
    ///     })
    ///     .build();
    /// twice.write(Bytes::from("a"));
    /// assert_eq!(twice.read(None).as_deref(), Some(&b"aa"[..]));
    /// ```
    pub fn transform(
        mut self,
        transform: impl Fn(&Transform<I, O>, I, Option<Encoding>, TransformCallback<I, O>) + 'static,
    ) -> Self {
        // The write hook is made here, around the user's closure itself, so
        // a chunk costs one dynamic call (into this hook), not two.
        self.has_transform = true;
        self.map(|b| {
            b.write_core(move |core, chunk, encoding, write| {
                let length = core.rs().state.borrow().length;
                let cb = TransformCallback { core: core.clone(), write, length };
                transform(&Transform::from_duplex(Duplex::from_core(core)), chunk, encoding, cb);
            })
        })
    }

    /// Runs after the last chunk was transformed, before the readable side
    /// ends: Node's `flush(callback)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder()
    ///     .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
    ///     .flush(|this, cb| { this.push(Bytes::from("end")); cb.call(Ok(None)) })
    ///     .build();
    /// # drop(t);
    /// ```
    pub fn flush(
        mut self,
        flush: impl FnOnce(&Transform<I, O>, FlushCallback<I, O>) + 'static,
    ) -> Self {
        self.flush = Some(Box::new(flush));
        self
    }

    /// Node's `destroy(err, callback)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder()
    ///     .destroy(|_, err, cb| cb.call(err.map_or(Ok(()), Err)))
    ///     .build();
    /// # drop(t);
    /// ```
    pub fn destroy(
        self,
        mut destroy: impl FnMut(&Transform<I, O>, Option<StreamError>, Callback) + 'static,
    ) -> Self {
        self.map(|b| {
            b.destroy(move |d, err, cb| destroy(&Transform::from_duplex(d.clone()), err, cb))
        })
    }

    /// Node's `construct(callback)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder()
    ///     .construct(|_, cb| cb.call(Ok(())))
    ///     .build();
    /// # drop(t);
    /// ```
    pub fn construct(self, construct: impl FnOnce(&Transform<I, O>, Callback) + 'static) -> Self {
        self.map(|b| b.construct(move |d, cb| construct(&Transform::from_duplex(d.clone()), cb)))
    }

    /// Makes the stream. Without a `transform` hook, writes fail with
    /// `ERR_METHOD_NOT_IMPLEMENTED`, as in Node.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().build();
    /// assert!(t.readable() && t.writable());
    /// ```
    pub fn build(self) -> Transform<I, O> {
        let mut inner = self.inner;
        // Node's readable hwm (`highWaterMark` winning over
        // `readableHighWaterMark`) being 0 drops `highWaterMark` and gives
        // the writable side `writableHighWaterMark || 0`: buffer hwm
        // elements once, not on both sides.
        if self.hwm.or(self.readable_hwm) == Some(0) {
            inner = inner
                .without_high_water_mark()
                .readable_high_water_mark(0)
                .writable_high_water_mark(self.writable_hwm.unwrap_or(0));
        }
        if !self.has_transform {
            inner = inner.write_core(|_, _, _, write| {
                write.call(Err(StreamError::method_not_implemented("_transform()")));
            });
        }
        inner = inner.read_core(|core, _| {
            // Node's `_read`: release the write callback parked by the
            // transform's callback (`kCallback`), if any.
            if let Some(write) = core.rs().parked_write.take() {
                write.call(Ok(()));
            }
        });
        let flush = self.flush;
        inner = inner.final_(move |d, done| match flush {
            Some(flush) if !d.destroyed() => {
                let cb = FlushCallback { core: d.core.clone(), done };
                flush(&Transform::from_duplex(d.clone()), cb);
            }
            _ => {
                d.push(None);
                done.call(Ok(()));
            }
        });
        let duplex = inner.build();
        // Everything a read needs is in place: no first-read sync guard.
        duplex.core.rs().state.borrow_mut().sync = false;
        Transform::from_duplex(duplex)
    }
}

impl<O: 'static> TransformBuilder<Bytes, O> {
    /// Object mode for the writable side.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().writable_object_mode(true).build();
    /// assert!(t.writable_object_mode());
    /// ```
    pub fn writable_object_mode(self, object_mode: bool) -> Self {
        self.map(|b| b.writable_object_mode(object_mode))
    }

    /// Whether strings written are encoded to bytes (default true).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().decode_strings(false).build();
    /// # drop(t);
    /// ```
    pub fn decode_strings(self, decode: bool) -> Self {
        self.map(|b| b.decode_strings(decode))
    }

    /// The encoding of strings written without one.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::encoding::Encoding;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().default_encoding(Encoding::Latin1).build();
    /// # drop(t);
    /// ```
    pub fn default_encoding(self, encoding: Encoding) -> Self {
        self.map(|b| b.default_encoding(encoding))
    }
}

impl<I: 'static> TransformBuilder<I, Bytes> {
    /// Object mode for the readable side.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().readable_object_mode(true).build();
    /// assert!(t.readable_object_mode());
    /// ```
    pub fn readable_object_mode(self, object_mode: bool) -> Self {
        self.map(|b| b.readable_object_mode(object_mode))
    }

    /// Decodes the readable side as text.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::encoding::Encoding;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().encoding(Encoding::Utf8).build();
    /// assert_eq!(t.readable_encoding(), Some(Encoding::Utf8));
    /// ```
    pub fn encoding(self, encoding: Encoding) -> Self {
        self.map(|b| b.encoding(encoding))
    }
}

impl TransformBuilder<Bytes, Bytes> {
    /// Object mode for both sides.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().object_mode(true).build();
    /// assert!(t.readable_object_mode() && t.writable_object_mode());
    /// ```
    pub fn object_mode(self, object_mode: bool) -> Self {
        self.map(|b| b.object_mode(object_mode))
    }
}
