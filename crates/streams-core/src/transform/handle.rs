//! `Transform<I, O>` and `PassThrough`.

use std::fmt;
use std::ops::Deref;

use bytes::Bytes;

use super::TransformBuilder;
use crate::duplex::Duplex;
use crate::stream::{
    AnyStreamRef, ReadEndRef, ReadableStream, Stream, StreamId, WritableStream, WriteEndRef,
};

/// Node's `stream.Transform`: a [`Duplex`] whose output (chunks of `O`)
/// is computed from its input (chunks of `I`), one chunk at a time.
///
/// It dereferences to its [`Duplex`] (`Duplex<O, I>`: readable side of
/// `O`, writable side of `I`), which has every Readable and Writable
/// method, as a Node Transform is a Duplex. `'finish'` comes when all
/// input was transformed (and flushed); `'end'` when all output was read.
/// When nobody reads, writes return `false` once both sides' buffers are
/// full.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::{events, Readable, Transform};
///
/// let out = Rc::new(RefCell::new(Vec::new()));
/// let o = out.clone();
/// streams_core::run(async move {
///     let upper = Transform::<Bytes, Bytes>::builder()
///         .transform(|_, chunk, _, cb| cb.call(Ok(Some(Bytes::from(chunk.to_ascii_uppercase())))))
///         .build();
///     upper.on(events::Data, move |c: &Bytes| o.borrow_mut().push(c.clone()));
///     Readable::from_iter([Bytes::from("a"), Bytes::from("b")]).pipe(&upper);
/// });
/// assert_eq!(*out.borrow(), ["A", "B"]);
/// ```
pub struct Transform<I: 'static = Bytes, O: 'static = I> {
    duplex: Duplex<O, I>,
}

impl<I: 'static, O: 'static> Transform<I, O> {
    pub(crate) fn from_duplex(duplex: Duplex<O, I>) -> Transform<I, O> {
        Transform { duplex }
    }

    /// A builder for a transform whose sides are both object streams.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = streams_core::Transform::<u32, String>::object_builder()
    ///     .transform(|_, n, _, cb| cb.call(Ok(Some(n.to_string()))))
    ///     .build();
    /// t.write(7);
    /// assert_eq!(t.read(None).as_deref(), Some("7"));
    /// ```
    pub fn object_builder() -> TransformBuilder<I, O> {
        TransformBuilder::from_duplex(Duplex::<O, I>::object_builder())
    }

    /// The stream as a [`Duplex`] (which it dereferences to).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder().build();
    /// let d: streams_core::Duplex = t.into_duplex();
    /// # drop(d);
    /// ```
    pub fn into_duplex(self) -> Duplex<O, I> {
        self.duplex
    }

    /// The duplex, mutably: the `futures::Stream` and `Sink` impls
    /// delegate to it.
    pub(crate) fn duplex_mut(&mut self) -> &mut Duplex<O, I> {
        &mut self.duplex
    }
}

impl Transform<Bytes, Bytes> {
    /// A builder for a transform whose sides are both byte streams.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let t = streams_core::Transform::<Bytes, Bytes>::builder()
    ///     .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
    ///     .build();
    /// # drop(t);
    /// ```
    pub fn builder() -> TransformBuilder<Bytes, Bytes> {
        TransformBuilder::from_duplex(Duplex::builder())
    }
}

impl<I: 'static, O: 'static> Deref for Transform<I, O> {
    type Target = Duplex<O, I>;

    fn deref(&self) -> &Duplex<O, I> {
        &self.duplex
    }
}

impl<I: 'static, O: 'static> Clone for Transform<I, O> {
    fn clone(&self) -> Self {
        Transform { duplex: self.duplex.clone() }
    }
}

impl<I: 'static, O: 'static> fmt::Debug for Transform<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Transform").field(&self.duplex.core).finish()
    }
}

impl<I: 'static, O: 'static> Stream for Transform<I, O> {
    fn stream_id(&self) -> StreamId {
        self.duplex.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.duplex.any_stream()
    }
}

impl<I: 'static, O: Clone + 'static> ReadableStream for Transform<I, O> {
    type Out = O;

    fn read_end(&self) -> ReadEndRef<O> {
        self.duplex.read_end()
    }
}

impl<I: 'static, O: 'static> WritableStream for Transform<I, O> {
    type In = I;

    fn write_end(&self) -> WriteEndRef<I> {
        self.duplex.write_end()
    }
}

/// Node's `stream.PassThrough`: a [`Transform`] that passes every chunk on
/// unchanged.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::PassThrough;
///
/// let p = PassThrough::new();
/// p.write(Bytes::from("same"));
/// assert_eq!(p.read(None).as_deref(), Some(&b"same"[..]));
///
/// let objects = PassThrough::object::<(u8, char)>();
/// objects.write((1, 'a'));
/// assert_eq!(objects.read(None), Some((1, 'a')));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PassThrough;

impl PassThrough {
    /// A byte PassThrough with default options.
    ///
    /// # Examples
    ///
    /// See the type's example.
    #[allow(clippy::new_ret_no_self)] // Node's name for a Transform that passes through
    pub fn new() -> Transform<Bytes, Bytes> {
        PassThrough::builder().build()
    }

    /// An object-mode PassThrough with default options.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn object<T: 'static>() -> Transform<T, T> {
        PassThrough::object_builder().build()
    }

    /// A builder for a byte PassThrough, to set other options.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = streams_core::PassThrough::builder().high_water_mark(4).build();
    /// assert_eq!(p.readable_high_water_mark(), 4);
    /// ```
    pub fn builder() -> TransformBuilder<Bytes, Bytes> {
        Transform::builder().transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
    }

    /// A builder for an object-mode PassThrough.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = streams_core::PassThrough::object_builder::<u8>().high_water_mark(2).build();
    /// assert_eq!(p.readable_high_water_mark(), 2);
    /// ```
    pub fn object_builder<T: 'static>() -> TransformBuilder<T, T> {
        Transform::object_builder().transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
    }
}
