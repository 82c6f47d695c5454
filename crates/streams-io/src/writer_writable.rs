//! `WriterWritable`: any tokio `AsyncWrite` as a `Writable<Bytes>`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, IoSlice};
use std::ops::Deref;
use std::rc::Rc;

use bytes::{Buf, Bytes};
use streams_core::writable::{BufferedChunk, WriteCallback};
use streams_core::{
    AnyStreamRef, Callback, Stream, StreamError, StreamId, Writable, WritableStream, WriteEndRef,
};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// A tokio [`AsyncWrite`] as a [`Writable<Bytes>`]: each chunk is written
/// out in full before the next; chunks buffered meanwhile go out in one
/// vectored write (`writev`); `end()` shuts the writer down (its `final`),
/// unless made with [`keep_open`](Self::keep_open), which only flushes.
///
/// It dereferences to the `Writable`; [`into_inner`](Self::into_inner)
/// gives the writer back (it is dropped with the last handle otherwise).
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_io::WriterWritable;
///
/// let out = streams_core::run(async {
///     let w = WriterWritable::new(Vec::<u8>::new());
///     w.write(Bytes::from("hello "));
///     w.write(Bytes::from("world"));
///     streams_core::promises::finished(&*w.end(None)).await.unwrap();
///     w.into_inner().unwrap()
/// });
/// assert_eq!(out, b"hello world");
/// ```
pub struct WriterWritable<W> {
    writable: Writable<Bytes>,
    writer: Rc<RefCell<Option<W>>>,
}

impl<W> fmt::Debug for WriterWritable<W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriterWritable").field("writable", &self.writable).finish_non_exhaustive()
    }
}

impl<W> Clone for WriterWritable<W> {
    fn clone(&self) -> Self {
        WriterWritable { writable: self.writable.clone(), writer: self.writer.clone() }
    }
}

impl<W> Deref for WriterWritable<W> {
    type Target = Writable<Bytes>;

    fn deref(&self) -> &Writable<Bytes> {
        &self.writable
    }
}

/// Writes every byte of `chunks`, with vectored writes.
async fn write_all_vectored<W: AsyncWrite + Unpin>(
    writer: &mut W,
    chunks: Vec<Bytes>,
) -> io::Result<()> {
    let mut left: VecDeque<Bytes> = chunks.into_iter().filter(|c| !c.is_empty()).collect();
    while !left.is_empty() {
        let n = {
            let slices: Vec<IoSlice<'_>> = left.iter().map(|c| IoSlice::new(c)).collect();
            writer.write_vectored(&slices).await?
        };
        if n == 0 {
            return Err(io::Error::from(io::ErrorKind::WriteZero));
        }
        let mut n = n;
        while n > 0 {
            let Some(front) = left.front_mut() else { break };
            if front.len() <= n {
                n -= front.len();
                left.pop_front();
            } else {
                front.advance(n);
                n = 0;
            }
        }
    }
    Ok(())
}

impl<W: AsyncWrite + Unpin + 'static> WriterWritable<W> {
    /// Wraps `writer`; `end()` shuts it down.
    ///
    /// # Examples
    ///
    /// ```
    /// let w = streams_io::WriterWritable::new(tokio::io::sink());
    /// assert!(w.writable());
    /// ```
    pub fn new(writer: W) -> WriterWritable<W> {
        WriterWritable::build(writer, true, true)
    }

    /// Wraps `writer`; `end()` only flushes it and leaves it open (as Node
    /// does for `process.stdout`).
    ///
    /// # Examples
    ///
    /// ```
    /// let w = streams_io::WriterWritable::keep_open(tokio::io::sink());
    /// # drop(w);
    /// ```
    pub fn keep_open(writer: W) -> WriterWritable<W> {
        WriterWritable::build(writer, false, true)
    }

    /// The process's stdout or stderr: kept open, and never ended by
    /// `pipe()` (Node's `pipe` only unpipes `process.stdout`).
    pub(crate) fn stdio(writer: W) -> WriterWritable<W> {
        WriterWritable::build(writer, false, false)
    }

    fn build(writer: W, shutdown: bool, ended_by_pipe: bool) -> WriterWritable<W> {
        let slot = Rc::new(RefCell::new(Some(writer)));
        let run = {
            let slot = slot.clone();
            move |chunks: Vec<Bytes>, cb: WriteCallback| {
                let Some(mut writer) = slot.borrow_mut().take() else {
                    cb.call(Err(StreamError::destroyed("write")));
                    return;
                };
                let slot = slot.clone();
                streams_core::spawn(async move {
                    let res = match chunks.len() {
                        1 => writer.write_all(&chunks[0]).await,
                        _ => write_all_vectored(&mut writer, chunks).await,
                    };
                    *slot.borrow_mut() = Some(writer);
                    cb.call(res.map_err(StreamError::from));
                });
            }
        };
        let run = Rc::new(run);
        let (write_run, writev_run) = (run.clone(), run);
        let final_slot = slot.clone();
        let writable = Writable::<Bytes>::builder()
            .ended_by_pipe(ended_by_pipe)
            .write(move |_, chunk, _, cb| write_run(vec![chunk], cb))
            .writev(move |_, chunks: Vec<BufferedChunk<Bytes>>, cb| {
                writev_run(chunks.into_iter().map(|c| c.chunk).collect(), cb)
            })
            .final_(move |_, cb: Callback| {
                let Some(mut writer) = final_slot.borrow_mut().take() else {
                    cb.call(Ok(()));
                    return;
                };
                let slot = final_slot.clone();
                streams_core::spawn(async move {
                    let res = if shutdown { writer.shutdown().await } else { writer.flush().await };
                    *slot.borrow_mut() = Some(writer);
                    cb.call(res.map_err(StreamError::from));
                });
            })
            .build();
        WriterWritable { writable, writer: slot }
    }

    /// Takes the writer back, unless a write is in flight (then `None`).
    ///
    /// # Examples
    ///
    /// ```
    /// let w = streams_io::WriterWritable::new(Vec::<u8>::new());
    /// assert_eq!(w.into_inner(), Some(Vec::new()));
    /// ```
    pub fn into_inner(self) -> Option<W> {
        self.writer.borrow_mut().take()
    }

    /// The stream as a plain `Writable<Bytes>`.
    ///
    /// # Examples
    ///
    /// ```
    /// let w: streams_core::Writable = streams_io::WriterWritable::new(tokio::io::sink()).into_writable();
    /// # drop(w);
    /// ```
    pub fn into_writable(self) -> Writable<Bytes> {
        self.writable
    }
}

impl<W: 'static> Stream for WriterWritable<W> {
    fn stream_id(&self) -> StreamId {
        self.writable.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.writable.any_stream()
    }
}

impl<W: 'static> WritableStream for WriterWritable<W> {
    type In = Bytes;

    fn write_end(&self) -> WriteEndRef<Bytes> {
        self.writable.write_end()
    }
}
