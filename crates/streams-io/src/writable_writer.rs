//! `WritableWriter`: a `Writable<Bytes>` as a tokio `AsyncWrite`.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use bytes::Bytes;
use streams_core::events::{self, ListenerId};
use streams_core::{StreamError, Writable};
use tokio::io::AsyncWrite;

#[derive(Default)]
struct Signals {
    /// Woken by `'drain'` (room to write) and by failures.
    write: Option<Waker>,
    /// Woken when a write completes (flush) or `'finish'` (shutdown).
    flush: Option<Waker>,
    /// Writes handed to the stream whose callback has not run yet.
    pending: usize,
    finished: bool,
    closed: bool,
    error: Option<StreamError>,
}

fn wake_all(signals: &RefCell<Signals>) {
    let (a, b) = {
        let mut s = signals.borrow_mut();
        (s.write.take(), s.flush.take())
    };
    for waker in [a, b].into_iter().flatten() {
        waker.wake();
    }
}

/// A [`Writable<Bytes>`] as a tokio [`AsyncWrite`], for code that speaks
/// tokio I/O (`tokio::io::copy`, `FramedWrite`, ...).
///
/// `poll_write` honours the stream's backpressure: it is pending while
/// `write()` would return `false` and resumes on `'drain'`. `poll_flush`
/// waits until every write was handed to the implementation and called
/// back; `poll_shutdown` calls `end()` and waits for `'finish'`.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::Writable;
/// use streams_io::WritableWriter;
/// use tokio::io::AsyncWriteExt;
///
/// let out = Rc::new(RefCell::new(Vec::new()));
/// let o = out.clone();
/// streams_core::run(async move {
///     let w = Writable::<Bytes>::builder()
///         .write(move |_, chunk, _, cb| { o.borrow_mut().extend_from_slice(&chunk); cb.call(Ok(())) })
///         .build();
///     let mut writer = WritableWriter::new(w);
///     writer.write_all(b"hello").await.unwrap();
///     writer.shutdown().await.unwrap();
/// });
/// assert_eq!(*out.borrow(), b"hello");
/// ```
pub struct WritableWriter {
    writable: Writable<Bytes>,
    signals: Rc<RefCell<Signals>>,
    ids: Vec<ListenerId>,
    ending: bool,
}

impl fmt::Debug for WritableWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WritableWriter").field("writable", &self.writable).finish_non_exhaustive()
    }
}

impl WritableWriter {
    /// Writes into `writable`.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn new(writable: Writable<Bytes>) -> WritableWriter {
        let signals = Rc::new(RefCell::new(Signals::default()));
        let mut ids = Vec::with_capacity(4);
        let s = signals.clone();
        ids.push(writable.on(events::Drain, move |_| wake_all(&s)));
        let s = signals.clone();
        ids.push(writable.on(events::Finish, move |_| {
            s.borrow_mut().finished = true;
            wake_all(&s);
        }));
        let s = signals.clone();
        ids.push(writable.on(events::Error, move |err: &StreamError| {
            s.borrow_mut().error = Some(err.clone());
            wake_all(&s);
        }));
        let s = signals.clone();
        ids.push(writable.on(events::Close, move |_| {
            s.borrow_mut().closed = true;
            wake_all(&s);
        }));
        WritableWriter { writable, signals, ids, ending: false }
    }

    /// The stream written to.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert_eq!(streams_io::WritableWriter::new(w.clone()).get_ref(), &w);
    /// ```
    pub fn get_ref(&self) -> &Writable<Bytes> {
        &self.writable
    }

    /// Gives the stream back.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// let w = streams_core::Writable::<Bytes>::builder().build();
    /// assert_eq!(streams_io::WritableWriter::new(w.clone()).into_inner(), w);
    /// ```
    pub fn into_inner(self) -> Writable<Bytes> {
        self.writable.clone()
    }

    fn failure(&self) -> Option<io::Error> {
        if let Some(err) = self.signals.borrow().error.clone() {
            return Some(io::Error::from(err));
        }
        if let Some(err) = self.writable.errored() {
            return Some(io::Error::from(err));
        }
        if self.writable.destroyed() {
            return Some(io::Error::from(StreamError::destroyed("write")));
        }
        None
    }
}

impl Drop for WritableWriter {
    fn drop(&mut self) {
        for id in self.ids.drain(..) {
            self.writable.off(id);
        }
    }
}

impl AsyncWrite for WritableWriter {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(err) = self.failure() {
            return Poll::Ready(Err(err));
        }
        if self.writable.writable_ended() {
            return Poll::Ready(Err(io::Error::from(StreamError::write_after_end())));
        }
        if self.writable.writable_need_drain() {
            self.signals.borrow_mut().write = Some(cx.waker().clone());
            return Poll::Pending;
        }
        self.signals.borrow_mut().pending += 1;
        let s = self.signals.clone();
        self.writable.write_with(Bytes::copy_from_slice(buf), move |res| {
            {
                let mut s = s.borrow_mut();
                s.pending -= 1;
                if let Err(err) = res {
                    s.error.get_or_insert(err);
                }
            }
            wake_all(&s);
        });
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(err) = self.failure() {
            return Poll::Ready(Err(err));
        }
        let mut s = self.signals.borrow_mut();
        if s.pending == 0 {
            return Poll::Ready(Ok(()));
        }
        s.flush = Some(cx.waker().clone());
        Poll::Pending
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // Finished (and then auto-destroyed) is success.
        if self.signals.borrow().finished || self.writable.writable_finished() {
            return Poll::Ready(Ok(()));
        }
        if let Some(err) = self.failure() {
            return Poll::Ready(Err(err));
        }
        if !self.ending {
            self.ending = true;
            if !self.writable.writable_ended() {
                self.writable.end(None);
            }
        }
        let mut s = self.signals.borrow_mut();
        if s.finished || self.writable.writable_finished() {
            return Poll::Ready(Ok(()));
        }
        if s.closed {
            return Poll::Ready(Err(io::Error::from(StreamError::premature_close())));
        }
        s.flush = Some(cx.waker().clone());
        Poll::Pending
    }
}
