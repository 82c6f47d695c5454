//! `DuplexBuilder`: the options of `new stream.Duplex(options)`.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::Duplex;
use crate::encoding::Encoding;
use crate::high_water_mark::default_high_water_mark;
use crate::readable::{ReadHook, ReadSide};
use crate::stream::{Callback, ChunkOps, ConstructHook, Core, DestroyHook, Lifecycle};
use crate::writable::{
    BufferedChunk, FinalHook, WriteCallback, WriteHook, WriteOptions, WriteSide, WritevHook,
};
use crate::StreamError;

type UserWritev<R, W> = Rc<dyn Fn(&Duplex<R, W>, Vec<BufferedChunk<W>>, WriteCallback)>;
type UserFinal<R, W> = Box<dyn FnOnce(&Duplex<R, W>, Callback)>;
type UserDestroy<R, W> = Box<dyn FnMut(&Duplex<R, W>, Option<StreamError>, Callback)>;
type UserConstruct<R, W> = Box<dyn FnOnce(&Duplex<R, W>, Callback)>;

/// Builds a [`Duplex`]: Node's `new Duplex(options)`.
///
/// Start from [`Duplex::builder`] (both sides bytes) or
/// [`Duplex::object_builder`] (both sides objects), and switch one side
/// with [`readable_object_mode`](DuplexBuilder::readable_object_mode) /
/// [`writable_object_mode`](DuplexBuilder::writable_object_mode).
///
/// | Node option | method | default |
/// |---|---|---|
/// | `highWaterMark` | [`high_water_mark`](Self::high_water_mark) (both sides; wins over the per-side ones) | per side |
/// | `readableHighWaterMark` | [`readable_high_water_mark`](Self::readable_high_water_mark) | 64 KiB / 16 |
/// | `writableHighWaterMark` | [`writable_high_water_mark`](Self::writable_high_water_mark) | 64 KiB / 16 |
/// | `allowHalfOpen` | [`allow_half_open`](Self::allow_half_open) | true |
/// | `readable: false` / `writable: false` | [`readable`](Self::readable) / [`writable`](Self::writable) | true |
/// | `emitClose`, `autoDestroy` | [`emit_close`](Self::emit_close), [`auto_destroy`](Self::auto_destroy) | true |
/// | `encoding`, `decodeStrings`, `defaultEncoding` | byte sides only | |
/// | `read`, `write`, `writev`, `final`, `destroy`, `construct` | the hook methods | |
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Duplex;
///
/// let d = Duplex::<Bytes, Bytes>::builder()
///     .read(|_, _| {})
///     .write(|this, chunk, _, cb| {
///         this.push(chunk); // echo what is written
///         cb.call(Ok(()));
///     })
///     .build();
/// d.write(Bytes::from("ping"));
/// assert_eq!(d.read(None).as_deref(), Some(&b"ping"[..]));
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct DuplexBuilder<R: 'static, W: 'static> {
    read_ops: ChunkOps<R>,
    text_ops: Option<ChunkOps<R>>,
    write_ops: ChunkOps<W>,
    hwm: Option<usize>,
    readable_hwm: Option<usize>,
    writable_hwm: Option<usize>,
    encoding: Option<Encoding>,
    decode_strings: bool,
    default_encoding: Encoding,
    emit_close: bool,
    auto_destroy: bool,
    allow_half_open: bool,
    readable: bool,
    writable: bool,
    /// The `read` and `write` hooks, already wrapped for the core (the
    /// other hooks are wrapped in `build`): `Transform` sets them directly,
    /// without a `Duplex` handle per call.
    read: Option<ReadHook<R, W>>,
    write: Option<WriteHook<R, W>>,
    writev: Option<UserWritev<R, W>>,
    final_: Option<UserFinal<R, W>>,
    destroy: Option<UserDestroy<R, W>>,
    construct: Option<UserConstruct<R, W>>,
}

impl<R: 'static, W: 'static> fmt::Debug for DuplexBuilder<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DuplexBuilder")
            .field("readable_object_mode", &self.read_ops.object_mode)
            .field("writable_object_mode", &self.write_ops.object_mode)
            .field("allow_half_open", &self.allow_half_open)
            .finish_non_exhaustive()
    }
}

impl<R: 'static, W: 'static> DuplexBuilder<R, W> {
    pub(crate) fn with_ops(read_ops: ChunkOps<R>, write_ops: ChunkOps<W>) -> DuplexBuilder<R, W> {
        DuplexBuilder {
            read_ops,
            text_ops: None,
            write_ops,
            hwm: None,
            readable_hwm: None,
            writable_hwm: None,
            encoding: None,
            decode_strings: true,
            default_encoding: Encoding::Utf8,
            emit_close: true,
            auto_destroy: true,
            allow_half_open: true,
            readable: true,
            writable: true,
            read: None,
            write: None,
            writev: None,
            final_: None,
            destroy: None,
            construct: None,
        }
    }

    /// The high-water mark of both sides; it wins over the per-side ones,
    /// as in Node.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .high_water_mark(5)
    ///     .readable_high_water_mark(7)
    ///     .build();
    /// assert_eq!((d.readable_high_water_mark(), d.writable_high_water_mark()), (5, 5));
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.hwm = Some(hwm);
        self
    }

    /// Forgets [`high_water_mark`](Self::high_water_mark), leaving the
    /// per-side ones (for a Transform whose readable hwm is 0).
    pub(crate) fn without_high_water_mark(mut self) -> Self {
        self.hwm = None;
        self
    }

    /// The readable side's high-water mark.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().readable_high_water_mark(7).build();
    /// assert_eq!(d.readable_high_water_mark(), 7);
    /// ```
    pub fn readable_high_water_mark(mut self, hwm: usize) -> Self {
        self.readable_hwm = Some(hwm);
        self
    }

    /// The writable side's high-water mark.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().writable_high_water_mark(7).build();
    /// assert_eq!(d.writable_high_water_mark(), 7);
    /// ```
    pub fn writable_high_water_mark(mut self, hwm: usize) -> Self {
        self.writable_hwm = Some(hwm);
        self
    }

    /// Whether the writable side stays open after the readable side ended
    /// (default true). When false, `'end'` ends the writable side on the
    /// next tick.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().allow_half_open(false).build();
    /// assert!(!d.allow_half_open());
    /// ```
    pub fn allow_half_open(mut self, allow: bool) -> Self {
        self.allow_half_open = allow;
        self
    }

    /// `false` makes a duplex whose readable side starts ended.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().readable(false).build();
    /// assert!(!d.readable());
    /// ```
    pub fn readable(mut self, readable: bool) -> Self {
        self.readable = readable;
        self
    }

    /// `false` makes a duplex whose writable side starts finished.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().writable(false).build();
    /// assert!(!d.writable());
    /// ```
    pub fn writable(mut self, writable: bool) -> Self {
        self.writable = writable;
        self
    }

    /// Whether `'close'` is emitted after the stream is destroyed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().emit_close(false).build();
    /// # drop(d);
    /// ```
    pub fn emit_close(mut self, emit_close: bool) -> Self {
        self.emit_close = emit_close;
        self
    }

    /// Whether the stream destroys itself once both sides are done.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().auto_destroy(false).build();
    /// # drop(d);
    /// ```
    pub fn auto_destroy(mut self, auto_destroy: bool) -> Self {
        self.auto_destroy = auto_destroy;
        self
    }

    /// The readable side's source: Node's `read(size)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .read(|this, _| { this.push(None); })
    ///     .build();
    /// # drop(d);
    /// ```
    pub fn read(mut self, mut read: impl FnMut(&Duplex<R, W>, usize) + 'static) -> Self {
        self.read = Some(Box::new(move |core: &Rc<Core<R, W>>, n: usize| {
            read(&Duplex::from_core(core), n)
        }));
        self
    }

    /// The `read` hook as the core calls it.
    pub(crate) fn read_core(mut self, read: impl FnMut(&Rc<Core<R, W>>, usize) + 'static) -> Self {
        self.read = Some(Box::new(read));
        self
    }

    /// The writable side's sink: Node's `write(chunk, encoding, callback)`.
    /// The encoding is `None` for bytes (Node's `'buffer'`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .write(|_, _chunk, _, cb| cb.call(Ok(())))
    ///     .build();
    /// assert!(d.write(Bytes::from("x")));
    /// ```
    pub fn write(
        mut self,
        write: impl Fn(&Duplex<R, W>, W, Option<Encoding>, WriteCallback) + 'static,
    ) -> Self {
        self.write = Some(Rc::new(move |core: &Rc<Core<R, W>>, chunk, encoding, cb| {
            write(&Duplex::from_core(core), chunk, encoding, cb)
        }));
        self
    }

    /// The `write` hook as the core calls it.
    pub(crate) fn write_core(
        mut self,
        write: impl Fn(&Rc<Core<R, W>>, W, Option<Encoding>, WriteCallback) + 'static,
    ) -> Self {
        self.write = Some(Rc::new(write));
        self
    }

    /// Node's `writev(chunks, callback)`: takes everything buffered at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .writev(|_, chunks, cb| { let _ = chunks.len(); cb.call(Ok(())) })
    ///     .build();
    /// # drop(d);
    /// ```
    pub fn writev(
        mut self,
        writev: impl Fn(&Duplex<R, W>, Vec<BufferedChunk<W>>, WriteCallback) + 'static,
    ) -> Self {
        self.writev = Some(Rc::new(writev));
        self
    }

    /// Node's `final(callback)`: runs after the last write, before
    /// `'finish'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .final_(|this, cb| { this.push(None); cb.call(Ok(())) })
    ///     .build();
    /// # drop(d);
    /// ```
    pub fn final_(mut self, final_: impl FnOnce(&Duplex<R, W>, Callback) + 'static) -> Self {
        self.final_ = Some(Box::new(final_));
        self
    }

    /// Node's `destroy(err, callback)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .destroy(|_, err, cb| cb.call(err.map_or(Ok(()), Err)))
    ///     .build();
    /// # drop(d);
    /// ```
    pub fn destroy(
        mut self,
        destroy: impl FnMut(&Duplex<R, W>, Option<StreamError>, Callback) + 'static,
    ) -> Self {
        self.destroy = Some(Box::new(destroy));
        self
    }

    /// Node's `construct(callback)`: runs on the next tick; neither side
    /// works until it calls back.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder()
    ///     .construct(|_, cb| cb.call(Ok(())))
    ///     .build();
    /// # drop(d);
    /// ```
    pub fn construct(mut self, construct: impl FnOnce(&Duplex<R, W>, Callback) + 'static) -> Self {
        self.construct = Some(Box::new(construct));
        self
    }

    /// Makes the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().build();
    /// assert!(d.readable() && d.writable());
    /// ```
    pub fn build(self) -> Duplex<R, W> {
        let rhwm = self
            .hwm
            .or(self.readable_hwm)
            .unwrap_or_else(|| default_high_water_mark(self.read_ops.object_mode));
        let whwm = self
            .hwm
            .or(self.writable_hwm)
            .unwrap_or_else(|| default_high_water_mark(self.write_ops.object_mode));
        let read_ops = match self.text_ops {
            Some(text) if self.encoding.is_some() && !self.read_ops.object_mode => text,
            _ => self.read_ops,
        };
        let read = self.read;
        let write = self.write;
        let writev: Option<WritevHook<R, W>> = self.writev.map(|f| {
            Rc::new(move |core: &Rc<Core<R, W>>, chunks, cb| {
                f(&Duplex::from_core(core), chunks, cb)
            }) as WritevHook<R, W>
        });
        let final_: Option<FinalHook<R, W>> = self.final_.map(|f| {
            Box::new(move |core: &Rc<Core<R, W>>, cb| f(&Duplex::from_core(core), cb))
                as FinalHook<R, W>
        });
        let destroy: Option<DestroyHook<R, W>> = self.destroy.map(|mut f| {
            Box::new(move |core: &Rc<Core<R, W>>, err, cb| f(&Duplex::from_core(core), err, cb))
                as DestroyHook<R, W>
        });
        let construct: Option<ConstructHook<R, W>> = self.construct.map(|f| {
            Box::new(move |core: &Rc<Core<R, W>>, cb| f(&Duplex::from_core(core), cb))
                as ConstructHook<R, W>
        });
        let read_side = ReadSide::new(read_ops, rhwm, read, self.encoding);
        let write_side = WriteSide::new(WriteOptions {
            ops: self.write_ops,
            hwm: whwm,
            decode_strings: self.decode_strings,
            default_encoding: self.default_encoding,
            write,
            writev,
            final_,
            ended_by_pipe: true,
        });
        let core = Core::new(
            Some(read_side),
            Some(write_side),
            Lifecycle::new(self.emit_close, self.auto_destroy),
            self.allow_half_open,
            destroy,
            construct,
        );
        if !self.readable {
            let mut state = core.rs().state.borrow_mut();
            state.ended = true;
            state.end_emitted = true;
            state.disabled = true;
        }
        if !self.writable {
            let mut state = core.ws().state.borrow_mut();
            state.ending = true;
            state.ended = true;
            state.finished = true;
            state.disabled = true;
        }
        Duplex::from_rc(core)
    }
}

impl<W: 'static> DuplexBuilder<Bytes, W> {
    /// Object mode for the readable side (Node's `readableObjectMode`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().readable_object_mode(true).build();
    /// assert!(d.readable_object_mode() && !d.writable_object_mode());
    /// ```
    pub fn readable_object_mode(mut self, object_mode: bool) -> Self {
        self.read_ops = if object_mode { ChunkOps::bytes_object() } else { ChunkOps::bytes() };
        self
    }

    /// Decodes the readable side's bytes as text (Node's `encoding`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::encoding::Encoding;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().encoding(Encoding::Utf8).build();
    /// assert_eq!(d.readable_encoding(), Some(Encoding::Utf8));
    /// ```
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self.text_ops = Some(ChunkOps::text());
        self
    }
}

impl<R: 'static> DuplexBuilder<R, Bytes> {
    /// Object mode for the writable side (Node's `writableObjectMode`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().writable_object_mode(true).build();
    /// assert!(d.writable_object_mode() && !d.readable_object_mode());
    /// ```
    pub fn writable_object_mode(mut self, object_mode: bool) -> Self {
        self.write_ops = if object_mode { ChunkOps::bytes_object() } else { ChunkOps::bytes() };
        self
    }

    /// Whether strings written are encoded to bytes (Node's
    /// `decodeStrings`, default true).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().decode_strings(false).build();
    /// # drop(d);
    /// ```
    pub fn decode_strings(mut self, decode: bool) -> Self {
        self.decode_strings = decode;
        self
    }

    /// The encoding of strings written without one (Node's
    /// `defaultEncoding`, default utf8).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::encoding::Encoding;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().default_encoding(Encoding::Hex).build();
    /// # drop(d);
    /// ```
    pub fn default_encoding(mut self, encoding: Encoding) -> Self {
        self.default_encoding = encoding;
        self
    }
}

impl DuplexBuilder<Bytes, Bytes> {
    /// Object mode for both sides (Node's `objectMode`).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let d = streams_core::Duplex::<Bytes, Bytes>::builder().object_mode(true).build();
    /// assert!(d.readable_object_mode() && d.writable_object_mode());
    /// ```
    pub fn object_mode(self, object_mode: bool) -> Self {
        self.readable_object_mode(object_mode).writable_object_mode(object_mode)
    }
}
