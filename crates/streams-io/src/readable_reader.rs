//! `ReadableReader`: a `Readable<Bytes>` as a tokio `AsyncRead`.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use streams_core::Readable;
use tokio::io::{AsyncRead, ReadBuf};

use crate::pull::Puller;

/// A [`Readable<Bytes>`] as a tokio [`AsyncRead`], for code that speaks
/// tokio I/O (`tokio::io::copy`, `tokio_util::codec::FramedRead`, ...).
///
/// It consumes the stream in paused mode, as Node's async iterator does:
/// a `'readable'` listener and `read()`. `'end'` is end of file; an
/// `'error'` is an `io::Error` wrapping the [`StreamError`](streams_core::StreamError),
/// and so is a stream destroyed before its end (`ERR_STREAM_PREMATURE_CLOSE`,
/// which Node's async iterator throws), never a clean end of file.
/// It lives on the stream's thread (it is `!Send`).
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Readable;
/// use streams_io::ReadableReader;
/// use tokio::io::AsyncReadExt;
///
/// streams_core::run(async {
///     let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
///     r.push(Bytes::from("hello"));
///     r.push(None);
///     let mut text = String::new();
///     ReadableReader::new(r).read_to_string(&mut text).await.unwrap();
///     assert_eq!(text, "hello");
/// });
/// ```
pub struct ReadableReader {
    puller: Puller<Bytes>,
    leftover: Bytes,
}

impl fmt::Debug for ReadableReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadableReader").field("readable", self.puller.readable()).finish()
    }
}

impl ReadableReader {
    /// Reads from `readable`.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn new(readable: Readable<Bytes>) -> ReadableReader {
        ReadableReader { puller: Puller::new(readable), leftover: Bytes::new() }
    }

    /// The stream read from.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// let reader = streams_io::ReadableReader::new(r.clone());
    /// assert_eq!(reader.get_ref(), &r);
    /// ```
    pub fn get_ref(&self) -> &Readable<Bytes> {
        self.puller.readable()
    }

    /// Gives the stream back, with any bytes read from it but not yet
    /// handed out.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let r = streams_core::Readable::<Bytes>::builder().build();
    /// let (back, unread) = streams_io::ReadableReader::new(r.clone()).into_inner();
    /// assert_eq!(back, r);
    /// assert!(unread.is_empty());
    /// ```
    pub fn into_inner(self) -> (Readable<Bytes>, Bytes) {
        let readable = self.puller.readable().clone();
        (readable, self.leftover)
    }
}

impl AsyncRead for ReadableReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.leftover.is_empty() {
            match this.puller.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Err(io::Error::from(err))),
                Poll::Ready(Some(Ok(chunk))) => this.leftover = chunk,
            }
        }
        let n = this.leftover.len().min(buf.remaining());
        buf.put_slice(&this.leftover[..n]);
        this.leftover.advance(n);
        Poll::Ready(Ok(()))
    }
}
