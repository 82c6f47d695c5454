//! `ReadableBuilder`: the options of `new stream.Readable(options)`.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::side::{ReadHook, ReadSide};
use super::Readable;
use crate::encoding::Encoding;
use crate::high_water_mark::default_high_water_mark;
use crate::stream::{Callback, ChunkOps, ConstructHook, Core, DestroyHook, Lifecycle, Void};
use crate::StreamError;

type UserDestroy<T> = Box<dyn FnMut(&Readable<T>, Option<StreamError>, Callback)>;
type UserConstruct<T> = Box<dyn FnOnce(&Readable<T>, Callback)>;

/// Builds a [`Readable`]: Node's `new Readable(options)`.
///
/// Start from [`Readable::builder`] (a byte stream of `Bytes`) or
/// [`Readable::object_builder`] (object mode, any `T`).
///
/// | Node option     | method                                    | default |
/// |-----------------|-------------------------------------------|---------|
/// | `highWaterMark` | [`high_water_mark`](Self::high_water_mark) | 64 KiB, or 16 objects |
/// | `objectMode`    | [`object_mode`](ReadableBuilder::object_mode) (bytes), or [`Readable::object_builder`] | false |
/// | `encoding`      | [`encoding`](ReadableBuilder::encoding)   | none |
/// | `emitClose`     | [`emit_close`](Self::emit_close)           | true |
/// | `autoDestroy`   | [`auto_destroy`](Self::auto_destroy)       | true |
/// | `read`          | [`read`](Self::read)                       | fails with `ERR_METHOD_NOT_IMPLEMENTED` |
/// | `destroy`       | [`destroy`](Self::destroy)                 | calls back at once |
/// | `construct`     | [`construct`](Self::construct)             | none |
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Readable;
///
/// let r = Readable::<Bytes>::builder()
///     .high_water_mark(3)
///     .read(|this, size| {
///         assert_eq!(size, 3);
///         this.push(None);
///     })
///     .build();
/// assert_eq!(r.readable_high_water_mark(), 3);
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct ReadableBuilder<T: 'static> {
    ops: ChunkOps<T>,
    /// Text-mode operations, set by `encoding()` (byte streams only).
    text_ops: Option<ChunkOps<T>>,
    hwm: Option<usize>,
    encoding: Option<Encoding>,
    emit_close: bool,
    auto_destroy: bool,
    /// The user's `read`, already wrapped as the core calls it (one
    /// dynamic call per read, straight into the user's closure).
    read: Option<ReadHook<T, Void>>,
    destroy: Option<UserDestroy<T>>,
    construct: Option<UserConstruct<T>>,
}

impl<T: 'static> fmt::Debug for ReadableBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadableBuilder")
            .field("object_mode", &self.ops.object_mode)
            .field("high_water_mark", &self.hwm)
            .field("encoding", &self.encoding)
            .field("emit_close", &self.emit_close)
            .field("auto_destroy", &self.auto_destroy)
            .finish_non_exhaustive()
    }
}

impl<T: 'static> ReadableBuilder<T> {
    pub(crate) fn with_ops(ops: ChunkOps<T>) -> ReadableBuilder<T> {
        ReadableBuilder {
            ops,
            text_ops: None,
            hwm: None,
            encoding: None,
            emit_close: true,
            auto_destroy: true,
            read: None,
            destroy: None,
            construct: None,
        }
    }

    /// The buffered length at which `push` starts returning `false` and
    /// the source stops being asked to read: bytes, or items in object
    /// mode. 0 means "never read ahead".
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().high_water_mark(0).build();
    /// assert_eq!(r.readable_high_water_mark(), 0);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.hwm = Some(hwm);
        self
    }

    /// Whether `'close'` is emitted after the stream is destroyed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().emit_close(false).build();
    /// # drop(r);
    /// ```
    pub fn emit_close(mut self, emit_close: bool) -> Self {
        self.emit_close = emit_close;
        self
    }

    /// Whether the stream destroys itself after `'end'`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().auto_destroy(false).build();
    /// # drop(r);
    /// ```
    pub fn auto_destroy(mut self, auto_destroy: bool) -> Self {
        self.auto_destroy = auto_destroy;
        self
    }

    /// The source: Node's `read(size)`. Called when the stream wants data;
    /// push now or later (from a task or a tick) with
    /// [`Readable::push`]; it is not called again until you have pushed.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Readable;
    ///
    /// let mut n = 0;
    /// let r = Readable::<Bytes>::builder()
    ///     .read(move |this, _size| {
    ///         n += 1;
    ///         if n > 3 { this.push(None); } else { this.push(Bytes::from(n.to_string())); }
    ///     })
    ///     .build();
    /// // A synchronous push answers the read() that asked for it.
    /// assert_eq!(r.read(None).as_deref(), Some(&b"1"[..]));
    /// assert_eq!(r.read(None).as_deref(), Some(&b"2"[..]));
    /// ```
    pub fn read(mut self, read: impl FnMut(&Readable<T>, usize) + 'static) -> Self {
        let mut read = read;
        self.read = Some(Box::new(move |core: &Rc<Core<T, Void>>, n: usize| {
            read(&Readable::from_core(core), n)
        }));
        self
    }

    /// Node's `destroy(err, callback)`: release resources, then call back
    /// (with the error to report, if any).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder()
    ///     .destroy(|_, err, cb| cb.call(err.map_or(Ok(()), Err)))
    ///     .build();
    /// # drop(r);
    /// ```
    pub fn destroy(
        mut self,
        destroy: impl FnMut(&Readable<T>, Option<StreamError>, Callback) + 'static,
    ) -> Self {
        self.destroy = Some(Box::new(destroy));
        self
    }

    /// Node's `construct(callback)`: runs on the next tick; no `read`
    /// happens until it calls back. An error destroys the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder()
    ///     .construct(|_, cb| cb.call(Ok(())))
    ///     .read(|this, _| { this.push(None); })
    ///     .build();
    /// # drop(r);
    /// ```
    pub fn construct(mut self, construct: impl FnOnce(&Readable<T>, Callback) + 'static) -> Self {
        self.construct = Some(Box::new(construct));
        self
    }

    /// The high-water mark, unless one was set (for `from_*`, whose
    /// default is Node's `Readable.from` default of 1).
    pub(crate) fn default_high_water_mark(mut self, hwm: usize) -> Self {
        self.hwm.get_or_insert(hwm);
        self
    }

    /// Runs `first` at the start of the `destroy` hook, before the user's
    /// (for `from_*`, which close their source there).
    pub(crate) fn before_destroy(mut self, mut first: impl FnMut() + 'static) -> Self {
        let mut user = self.destroy.take();
        self.destroy = Some(Box::new(move |this, err, cb| {
            first();
            match &mut user {
                Some(user) => user(this, err, cb),
                None => cb.call(err.map_or(Ok(()), Err)),
            }
        }));
        self
    }

    /// Makes the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// assert!(r.readable());
    /// ```
    pub fn build(self) -> Readable<T> {
        let hwm = self.hwm.unwrap_or_else(|| default_high_water_mark(self.ops.object_mode));
        let ops = match self.text_ops {
            Some(text) if self.encoding.is_some() && !self.ops.object_mode => text,
            _ => self.ops,
        };
        let destroy: Option<DestroyHook<T, Void>> = self.destroy.map(|mut f| {
            Box::new(move |core: &Rc<Core<T, Void>>, err, cb| {
                f(&Readable::from_core(core), err, cb)
            }) as DestroyHook<T, Void>
        });
        let construct: Option<ConstructHook<T, Void>> = self.construct.map(|f| {
            Box::new(move |core: &Rc<Core<T, Void>>, cb| f(&Readable::from_core(core), cb))
                as ConstructHook<T, Void>
        });
        let side = ReadSide::new(ops, hwm, self.read, self.encoding);
        let core = Core::new(
            Some(side),
            None,
            Lifecycle::new(self.emit_close, self.auto_destroy),
            true,
            destroy,
            construct,
        );
        Readable::from_rc(core)
    }
}

impl ReadableBuilder<Bytes> {
    /// Object mode for a stream of `Bytes`: each chunk is one item, never
    /// merged or split, and the high-water mark counts chunks.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().object_mode(true).build();
    /// assert!(r.readable_object_mode());
    /// assert_eq!(r.readable_high_water_mark(), 16);
    /// ```
    pub fn object_mode(mut self, object_mode: bool) -> Self {
        self.ops = if object_mode { ChunkOps::bytes_object() } else { ChunkOps::bytes() };
        self
    }

    /// Decodes the bytes as text in `encoding` (Node's `encoding` option,
    /// the same as calling [`Readable::set_encoding`] at once).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Readable};
    /// let r = Readable::<Bytes>::builder().encoding(Encoding::Hex).build();
    /// assert_eq!(r.readable_encoding(), Some(Encoding::Hex));
    /// ```
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self.text_ops = Some(ChunkOps::text());
        self
    }
}
