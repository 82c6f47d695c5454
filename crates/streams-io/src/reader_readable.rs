//! `ReaderReadable`: any tokio `AsyncRead` as a `Readable<Bytes>`.

use std::cell::RefCell;
use std::fmt;
use std::ops::Deref;
use std::rc::Rc;

use bytes::{Bytes, BytesMut};
use streams_core::{
    AnyStreamRef, ReadEndRef, Readable, ReadableStream, Stream, StreamError, StreamId,
};
use tokio::io::{AsyncRead, AsyncReadExt};

/// A tokio [`AsyncRead`] as a [`Readable<Bytes>`]: Node's way of wrapping
/// a source, with `read(size)` reading one high-water mark (default
/// 64 KiB) at a time, and only when the stream wants data — an unconsumed
/// stream stops reading its source.
///
/// It dereferences to the `Readable`; [`into_inner`](Self::into_inner)
/// gives the reader back (it is dropped with the last handle otherwise).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::events;
/// use streams_io::ReaderReadable;
///
/// let got = Rc::new(RefCell::new(Vec::new()));
/// let g = got.clone();
/// streams_core::run(async move {
///     let r = ReaderReadable::new(&b"hello"[..]);
///     r.on(events::Data, move |chunk: &Bytes| g.borrow_mut().extend_from_slice(chunk));
/// });
/// assert_eq!(*got.borrow(), b"hello");
/// ```
pub struct ReaderReadable<R> {
    readable: Readable<Bytes>,
    reader: Rc<RefCell<Option<R>>>,
}

impl<R> fmt::Debug for ReaderReadable<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReaderReadable").field("readable", &self.readable).finish_non_exhaustive()
    }
}

impl<R> Clone for ReaderReadable<R> {
    fn clone(&self) -> Self {
        ReaderReadable { readable: self.readable.clone(), reader: self.reader.clone() }
    }
}

impl<R> Deref for ReaderReadable<R> {
    type Target = Readable<Bytes>;

    fn deref(&self) -> &Readable<Bytes> {
        &self.readable
    }
}

impl<R: AsyncRead + Unpin + 'static> ReaderReadable<R> {
    /// Wraps `reader` with the default high-water mark (64 KiB).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_io::ReaderReadable::new(tokio::io::empty());
    /// assert_eq!(r.readable_high_water_mark(), 65536);
    /// ```
    pub fn new(reader: R) -> ReaderReadable<R> {
        ReaderReadable::with_high_water_mark(
            reader,
            streams_core::get_default_high_water_mark(false),
        )
    }

    /// Wraps `reader`, reading at most `hwm` bytes per read.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_io::ReaderReadable::with_high_water_mark(tokio::io::empty(), 4096);
    /// assert_eq!(r.readable_high_water_mark(), 4096);
    /// ```
    pub fn with_high_water_mark(reader: R, hwm: usize) -> ReaderReadable<R> {
        let slot = Rc::new(RefCell::new(Some(reader)));
        let read_slot = slot.clone();
        let readable = Readable::<Bytes>::builder()
            .high_water_mark(hwm)
            .read(move |this, size| {
                let Some(mut reader) = read_slot.borrow_mut().take() else {
                    // Gone (destroyed, or taken with into_inner): the end.
                    this.push(None);
                    return;
                };
                let (this, slot) = (this.clone(), read_slot.clone());
                streams_core::spawn(async move {
                    let mut buf = BytesMut::with_capacity(size.max(1));
                    let res = reader.read_buf(&mut buf).await;
                    *slot.borrow_mut() = Some(reader);
                    if this.destroyed() {
                        return;
                    }
                    match res {
                        Err(e) => this.error_or_destroy(StreamError::from(e)),
                        Ok(0) => {
                            this.push(None);
                        }
                        Ok(_) => {
                            this.push(buf.freeze());
                        }
                    }
                });
            })
            .build();
        ReaderReadable { readable, reader: slot }
    }

    /// Takes the reader back, unless a read is in flight or the stream
    /// was destroyed (then `None`). The stream reads nothing more.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = streams_io::ReaderReadable::new(tokio::io::empty());
    /// assert!(r.into_inner().is_some());
    /// ```
    pub fn into_inner(self) -> Option<R> {
        self.reader.borrow_mut().take()
    }

    /// The stream as a plain `Readable<Bytes>`.
    ///
    /// # Examples
    ///
    /// ```
    /// let r: streams_core::Readable = streams_io::ReaderReadable::new(tokio::io::empty()).into_readable();
    /// # drop(r);
    /// ```
    pub fn into_readable(self) -> Readable<Bytes> {
        self.readable
    }
}

impl<R: 'static> Stream for ReaderReadable<R> {
    fn stream_id(&self) -> StreamId {
        self.readable.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.readable.any_stream()
    }
}

impl<R: 'static> ReadableStream for ReaderReadable<R> {
    type Out = Bytes;

    fn read_end(&self) -> ReadEndRef<Bytes> {
        self.readable.read_end()
    }
}
