//! `WritableBuilder`: the options of `new stream.Writable(options)`.

use std::fmt;
use std::rc::Rc;

use bytes::Bytes;

use super::side::{FinalHook, WriteHook, WriteOptions, WriteSide, WritevHook};
use super::{BufferedChunk, Writable, WriteCallback};
use crate::encoding::Encoding;
use crate::high_water_mark::default_high_water_mark;
use crate::stream::{Callback, ChunkOps, ConstructHook, Core, DestroyHook, Lifecycle, Void};
use crate::StreamError;

type UserFinal<T> = Box<dyn FnOnce(&Writable<T>, Callback)>;
type UserDestroy<T> = Box<dyn FnMut(&Writable<T>, Option<StreamError>, Callback)>;
type UserConstruct<T> = Box<dyn FnOnce(&Writable<T>, Callback)>;

/// Builds a [`Writable`]: Node's `new Writable(options)`.
///
/// Start from [`Writable::builder`] (a byte stream of `Bytes`) or
/// [`Writable::object_builder`] (object mode, any `T`).
///
/// | Node option        | method                                          | default |
/// |--------------------|-------------------------------------------------|---------|
/// | `highWaterMark`    | [`high_water_mark`](Self::high_water_mark)      | 64 KiB, or 16 objects |
/// | `objectMode`       | [`object_mode`](WritableBuilder::object_mode) (bytes), or [`Writable::object_builder`] | false |
/// | `decodeStrings`    | [`decode_strings`](WritableBuilder::decode_strings) | true |
/// | `defaultEncoding`  | [`default_encoding`](WritableBuilder::default_encoding) | UTF-8 |
/// | `emitClose`        | [`emit_close`](Self::emit_close)                | true |
/// | `autoDestroy`      | [`auto_destroy`](Self::auto_destroy)            | true |
/// | `write`            | [`write`](Self::write)                          | `writev` with one chunk, else fails with `ERR_METHOD_NOT_IMPLEMENTED` |
/// | `writev`           | [`writev`](Self::writev)                        | none: buffered chunks go to `write` one by one |
/// | `final`            | [`final_`](Self::final_)                        | none |
/// | `destroy`          | [`destroy`](Self::destroy)                      | calls back at once |
/// | `construct`        | [`construct`](Self::construct)                  | none |
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Writable;
///
/// let w = Writable::<Bytes>::builder()
///     .high_water_mark(8)
///     .write(|_, chunk, _, cb| {
///         println!("{} bytes", chunk.len());
///         cb.call(Ok(()));
///     })
///     .build();
/// assert_eq!(w.writable_high_water_mark(), 8);
/// ```
#[must_use = "a builder does nothing until build() is called"]
pub struct WritableBuilder<T: 'static> {
    ops: ChunkOps<T>,
    hwm: Option<usize>,
    decode_strings: bool,
    default_encoding: Encoding,
    emit_close: bool,
    auto_destroy: bool,
    ended_by_pipe: bool,
    /// The hooks as stored, each wrapping the user's closure directly (one
    /// dynamic call per write, not two).
    write: Option<WriteHook<Void, T>>,
    writev: Option<WritevHook<Void, T>>,
    final_: Option<UserFinal<T>>,
    destroy: Option<UserDestroy<T>>,
    construct: Option<UserConstruct<T>>,
}

impl<T: 'static> fmt::Debug for WritableBuilder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WritableBuilder")
            .field("object_mode", &self.ops.object_mode)
            .field("high_water_mark", &self.hwm)
            .field("decode_strings", &self.decode_strings)
            .field("default_encoding", &self.default_encoding)
            .field("emit_close", &self.emit_close)
            .field("auto_destroy", &self.auto_destroy)
            .field("ended_by_pipe", &self.ended_by_pipe)
            .finish_non_exhaustive()
    }
}

impl<T: 'static> WritableBuilder<T> {
    pub(crate) fn with_ops(ops: ChunkOps<T>) -> WritableBuilder<T> {
        WritableBuilder {
            ops,
            hwm: None,
            decode_strings: true,
            default_encoding: Encoding::Utf8,
            emit_close: true,
            auto_destroy: true,
            ended_by_pipe: true,
            write: None,
            writev: None,
            final_: None,
            destroy: None,
            construct: None,
        }
    }

    /// The buffered length at which `write()` starts returning `false`:
    /// bytes, or items in object mode. 0 makes every write that does not
    /// complete synchronously return `false`.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().high_water_mark(0).build();
    /// assert_eq!(w.writable_high_water_mark(), 0);
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
    /// let w = streams_core::Writable::<Bytes>::builder().emit_close(false).build();
    /// # drop(w);
    /// ```
    pub fn emit_close(mut self, emit_close: bool) -> Self {
        self.emit_close = emit_close;
        self
    }

    /// Whether the stream destroys itself after `'finish'` (and after an
    /// error).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().auto_destroy(false).build();
    /// # drop(w);
    /// ```
    pub fn auto_destroy(mut self, auto_destroy: bool) -> Self {
        self.auto_destroy = auto_destroy;
        self
    }

    /// Whether [`Readable::pipe`](crate::Readable::pipe) ends this stream
    /// when the source ends (default `true`). Node's `pipe` ends every
    /// destination except `process.stdout` and `process.stderr`, which it
    /// only unpipes; `streams_io::stdout()` and `stderr()` are built with
    /// `false`. `end()` called directly, and `pipeline`, still end it.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Readable, Writable};
    ///
    /// let ended = streams_core::run(async {
    ///     let out = Writable::<Bytes>::builder().ended_by_pipe(false).build();
    ///     let src = Readable::<Bytes>::from_iter(Vec::<Bytes>::new());
    ///     src.pipe(&out);
    ///     streams_core::promises::finished(&src).await.unwrap();
    ///     out.writable_ended()
    /// });
    /// assert!(!ended);
    /// ```
    pub fn ended_by_pipe(mut self, ended_by_pipe: bool) -> Self {
        self.ended_by_pipe = ended_by_pipe;
        self
    }

    /// The destination: Node's `write(chunk, encoding, callback)`. Write
    /// `chunk`, then call `cb`, now or later; the next chunk comes only
    /// after that. `encoding` is `None` for bytes and objects (Node's
    /// `'buffer'`), `Some` for a string kept as text (see
    /// [`Writable::write_str`]).
    ///
    /// The hook is `Fn`, not `FnMut`: as in Node it is re-entered when it
    /// completes synchronously and more data is waiting (the next chunk is
    /// written from inside `cb.call`). Keep mutable state in a `Cell` or
    /// `RefCell`, and do not hold a borrow across `cb.call`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let out = Rc::new(RefCell::new(Vec::new()));
    /// let sink = out.clone();
    /// let w = Writable::<Bytes>::builder()
    ///     .write(move |_, chunk, _, cb| {
    ///         sink.borrow_mut().extend_from_slice(&chunk);
    ///         cb.call(Ok(()));
    ///     })
    ///     .build();
    /// w.write(Bytes::from("ab"));
    /// w.write(Bytes::from("cd"));
    /// assert_eq!(&out.borrow()[..], b"abcd");
    /// ```
    pub fn write(
        mut self,
        write: impl Fn(&Writable<T>, T, Option<Encoding>, WriteCallback) + 'static,
    ) -> Self {
        self.write = Some(Rc::new(move |core: &Rc<Core<Void, T>>, chunk, encoding, cb| {
            write(&Writable::from_core(core), chunk, encoding, cb)
        }));
        self
    }

    /// Writes several buffered chunks at once: Node's `writev(chunks,
    /// callback)`. Called when more than one chunk is waiting (after
    /// [`uncork`](Writable::uncork), or when writes piled up behind a slow
    /// one); a lone chunk still goes to [`write`](Self::write). One `cb`
    /// completes the whole batch.
    ///
    /// Node marks the array with `allBuffers`; here every chunk's
    /// `encoding` is `None` in that case.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .write(|_, _, _, cb| cb.call(Ok(())))
    ///     .writev(|_, chunks, cb| {
    ///         let total: usize = chunks.iter().map(|c| c.chunk.len()).sum();
    ///         assert_eq!(total, 3);
    ///         cb.call(Ok(()));
    ///     })
    ///     .build();
    /// w.cork();
    /// w.write(Bytes::from("a"));
    /// w.write(Bytes::from("bc"));
    /// w.uncork();
    /// ```
    pub fn writev(
        mut self,
        writev: impl Fn(&Writable<T>, Vec<BufferedChunk<T>>, WriteCallback) + 'static,
    ) -> Self {
        self.writev = Some(Rc::new(move |core: &Rc<Core<Void, T>>, chunks, cb| {
            writev(&Writable::from_core(core), chunks, cb)
        }));
        self
    }

    /// Node's `final(callback)` (`final` is a reserved word in Rust): runs
    /// once, after `end()` when every chunk is written, before
    /// `'prefinish'` and `'finish'`. Flush, then call back; an error fails
    /// the stream instead of finishing it.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .write(|_, _, _, cb| cb.call(Ok(())))
    ///     .final_(|_, cb| {
    ///         println!("flushing");
    ///         cb.call(Ok(()));
    ///     })
    ///     .build();
    /// w.end(None);
    /// ```
    pub fn final_(mut self, final_: impl FnOnce(&Writable<T>, Callback) + 'static) -> Self {
        self.final_ = Some(Box::new(final_));
        self
    }

    /// Node's `destroy(err, callback)`: release resources, then call back
    /// (with the error to report, if any).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder()
    ///     .destroy(|_, err, cb| cb.call(err.map_or(Ok(()), Err)))
    ///     .build();
    /// # drop(w);
    /// ```
    pub fn destroy(
        mut self,
        destroy: impl FnMut(&Writable<T>, Option<StreamError>, Callback) + 'static,
    ) -> Self {
        self.destroy = Some(Box::new(destroy));
        self
    }

    /// Node's `construct(callback)`: runs on the next tick; writes are
    /// buffered and `final` waits until it calls back. An error destroys
    /// the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .construct(|_, cb| cb.call(Ok(())))
    ///         .write(|_, _, _, cb| cb.call(Ok(())))
    ///         .build();
    ///     w.write(Bytes::from("waits for construct"));
    ///     assert_eq!(w.writable_length(), 19); // buffered until constructed
    /// });
    /// ```
    pub fn construct(mut self, construct: impl FnOnce(&Writable<T>, Callback) + 'static) -> Self {
        self.construct = Some(Box::new(construct));
        self
    }

    /// Makes the stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert!(w.writable());
    /// ```
    pub fn build(self) -> Writable<T> {
        let hwm = self.hwm.unwrap_or_else(|| default_high_water_mark(self.ops.object_mode));
        let final_: Option<FinalHook<Void, T>> = self.final_.map(|f| {
            Box::new(move |core: &Rc<Core<Void, T>>, cb| f(&Writable::from_core(core), cb))
                as FinalHook<Void, T>
        });
        let destroy: Option<DestroyHook<Void, T>> = self.destroy.map(|mut f| {
            Box::new(move |core: &Rc<Core<Void, T>>, err, cb| {
                f(&Writable::from_core(core), err, cb)
            }) as DestroyHook<Void, T>
        });
        let construct: Option<ConstructHook<Void, T>> = self.construct.map(|f| {
            Box::new(move |core: &Rc<Core<Void, T>>, cb| f(&Writable::from_core(core), cb))
                as ConstructHook<Void, T>
        });
        let side = WriteSide::new(WriteOptions {
            ops: self.ops,
            hwm,
            decode_strings: self.decode_strings,
            default_encoding: self.default_encoding,
            write: self.write,
            writev: self.writev,
            final_,
            ended_by_pipe: self.ended_by_pipe,
        });
        let core = Core::new(
            None,
            Some(side),
            Lifecycle::new(self.emit_close, self.auto_destroy),
            true,
            destroy,
            construct,
        );
        Writable { core }
    }
}

impl WritableBuilder<Bytes> {
    /// Object mode for a stream of `Bytes`: each chunk counts as one item
    /// and the high-water mark counts chunks (16 by default); strings
    /// written with [`Writable::write_str`] are passed on as text.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().object_mode(true).build();
    /// assert!(w.writable_object_mode());
    /// assert_eq!(w.writable_high_water_mark(), 16);
    /// ```
    pub fn object_mode(mut self, object_mode: bool) -> Self {
        self.ops = if object_mode { ChunkOps::bytes_object() } else { ChunkOps::bytes() };
        self
    }

    /// Whether strings are encoded to bytes before they reach the `write`
    /// hook (Node's `decodeStrings`, default true). With `false` a string
    /// reaches the hook as its UTF-8 bytes together with `Some(encoding)`,
    /// the encoding it was written in, and counts toward the length in
    /// UTF-16 code units (JavaScript's string length).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Writable};
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .decode_strings(false)
    ///     .write(|_, chunk, encoding, _cb| {
    ///         assert_eq!(&chunk[..], b"6869"); // the text, as given
    ///         assert_eq!(encoding, Some(Encoding::Hex));
    ///     })
    ///     .build();
    /// w.write_str("6869", Encoding::Hex);
    /// assert_eq!(w.writable_length(), 4); // '6869'.length
    /// ```
    pub fn decode_strings(mut self, decode_strings: bool) -> Self {
        self.decode_strings = decode_strings;
        self
    }

    /// The encoding of strings written without one (Node's
    /// `defaultEncoding`, UTF-8 by default).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{encoding::Encoding, Writable};
    ///
    /// let w = Writable::<Bytes>::builder()
    ///     .default_encoding(Encoding::Base64)
    ///     .write(|_, chunk, _, _cb| assert_eq!(&chunk[..], b"hi"))
    ///     .build();
    /// w.write_str("aGk=", None);
    /// ```
    pub fn default_encoding(mut self, encoding: Encoding) -> Self {
        self.default_encoding = encoding;
        self
    }
}
