//! `Send` bridges: a stream's data handed to multi-threaded tokio code and
//! back, across threads by bounded channel, with backpressure preserved.
//!
//! Streams live on one thread (they are `!Send`), as a Node stream lives
//! on its event loop. Code on other threads — an axum or hyper handler, a
//! `tokio::spawn`ed task — gets a [`SendStream`] (a `futures::Stream` that
//! is `Send`) fed from a `Readable`, or a [`SendSink`] (a `futures::Sink`
//! that is `Send`) that feeds a `Writable`. A local task on the stream's
//! thread moves the data; the channel's capacity bounds what is in
//! flight, so a slow consumer on either side pushes back on the producer.

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::{mpsc, oneshot};
use futures::{Sink, SinkExt, Stream, StreamExt};
use streams_core::events;
use streams_core::{Readable, StreamError, Writable};

use crate::pull::Puller;

/// A `Send` stream of the chunks of a `Readable` on another thread; made
/// by [`send_stream`].
///
/// Dropping it destroys the source stream with `ABORT_ERR` (on its
/// thread, even while the source has nothing to give), as breaking out of
/// a `for await` loop does in Node. A source destroyed before its end
/// without an error ends the stream with `ERR_STREAM_PREMATURE_CLOSE`.
#[derive(Debug)]
#[must_use = "streams do nothing unless polled"]
pub struct SendStream<T> {
    rx: mpsc::Receiver<Result<T, StreamError>>,
    /// Dropped with the stream: tells the local task to destroy the
    /// source even while it waits for data.
    _alive: oneshot::Receiver<()>,
}

impl<T> Stream for SendStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_next_unpin(cx)
    }
}

/// Hands the chunks of `readable` to any thread: a local task pulls them
/// (paused mode, `read()`) and sends them through a channel of
/// `capacity` chunks; it pulls again only when there is room.
///
/// # Panics
///
/// Panics outside a `LocalSet` (it spawns a local task with
/// [`streams_core::spawn`]).
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use futures::StreamExt;
/// use streams_core::Readable;
///
/// let total = streams_core::run(async {
///     let r = Readable::from_iter([Bytes::from("ab"), Bytes::from("cde")]);
///     let stream = streams_io::send_stream(r, 4);
///     // `stream` is Send: it could go to tokio::spawn on a multi-threaded runtime.
///     let handle = std::thread::spawn(move || {
///         let rt = tokio::runtime::Runtime::new().unwrap(); // multi-threaded
///         rt.block_on(stream.map(|c| c.unwrap().len()).collect::<Vec<_>>())
///     });
///     while !handle.is_finished() {
///         tokio::task::yield_now().await;
///     }
///     handle.join().unwrap().iter().sum::<usize>()
/// });
/// assert_eq!(total, 5);
/// ```
pub fn send_stream<T: Send + 'static>(readable: Readable<T>, capacity: usize) -> SendStream<T> {
    let (mut tx, rx) = mpsc::channel(capacity.max(1) - 1);
    let (mut alive, alive_rx) = oneshot::channel::<()>();
    streams_core::spawn(async move {
        let mut puller = Puller::new(readable);
        loop {
            // `None` when the receiver is gone; it may go while the source
            // has nothing to give.
            let item = poll_fn(|cx| match alive.poll_canceled(cx) {
                Poll::Ready(()) => Poll::Ready(None),
                Poll::Pending => puller.poll_next(cx).map(Some),
            })
            .await;
            let Some(item) = item else {
                puller.readable().destroy(Some(StreamError::abort()));
                break;
            };
            let Some(item) = item else { break };
            let failed = item.is_err();
            if tx.send(item).await.is_err() {
                // The receiver is gone: stop the source.
                puller.readable().destroy(Some(StreamError::abort()));
                break;
            }
            if failed {
                break;
            }
        }
    });
    SendStream { rx, _alive: alive_rx }
}

/// A `Send` sink feeding a `Writable` on another thread; made by
/// [`send_sink`]. `close()` ends the Writable and waits for `'finish'`;
/// dropping the sink without `close()` ends it too, without waiting (as
/// dropping a channel's sender ends the channel).
#[derive(Debug)]
#[must_use = "sinks do nothing unless polled"]
pub struct SendSink<T> {
    tx: mpsc::Sender<T>,
    done: Option<oneshot::Receiver<Result<(), StreamError>>>,
}

impl<T> SendSink<T> {
    /// After the channel broke: the Writable's own error, if it reported
    /// one.
    fn poll_failure(&mut self, cx: &mut Context<'_>) -> Poll<StreamError> {
        match self.done.as_mut() {
            None => Poll::Ready(StreamError::destroyed("write")),
            Some(done) => match Pin::new(done).poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(res) => {
                    self.done = None;
                    Poll::Ready(match res {
                        Ok(Err(err)) => err,
                        _ => StreamError::destroyed("write"),
                    })
                }
            },
        }
    }
}

impl<T> Sink<T> for SendSink<T> {
    type Error = StreamError;

    fn poll_ready(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
        match self.tx.poll_ready(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            Poll::Ready(Err(_)) => self.poll_failure(cx).map(Err),
            Poll::Pending => Poll::Pending,
        }
    }

    fn start_send(mut self: Pin<&mut Self>, item: T) -> Result<(), StreamError> {
        self.tx.start_send(item).map_err(|_| StreamError::destroyed("write"))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
        match Pin::new(&mut self.tx).poll_flush(cx) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(())),
            Poll::Ready(Err(_)) => self.poll_failure(cx).map(Err),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_close(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), StreamError>> {
        if Pin::new(&mut self.tx).poll_close(cx).is_pending() {
            return Poll::Pending;
        }
        match self.done.as_mut() {
            None => Poll::Ready(Ok(())),
            Some(done) => match Pin::new(done).poll(cx) {
                Poll::Pending => Poll::Pending,
                Poll::Ready(res) => {
                    self.done = None;
                    Poll::Ready(res.unwrap_or_else(|_| Err(StreamError::abort())))
                }
            },
        }
    }
}

/// Waits until `writable` can take more (`'drain'`), or fails.
async fn room<T: 'static>(writable: &Writable<T>) -> Result<(), StreamError> {
    use std::cell::RefCell;
    use std::rc::Rc;
    #[derive(Default)]
    struct State {
        ready: bool,
        error: Option<StreamError>,
        waker: Option<std::task::Waker>,
    }
    let state = Rc::new(RefCell::new(State::default()));
    let wake = |s: &Rc<RefCell<State>>| {
        let w = s.borrow_mut().waker.take();
        if let Some(w) = w {
            w.wake();
        }
    };
    let s = state.clone();
    let drain = writable.once(events::Drain, move |_| {
        s.borrow_mut().ready = true;
        wake(&s);
    });
    let s = state.clone();
    let error = writable.once(events::Error, move |err: &StreamError| {
        s.borrow_mut().error = Some(err.clone());
        wake(&s);
    });
    let s = state.clone();
    let close = writable.once(events::Close, move |_| {
        s.borrow_mut().error.get_or_insert_with(StreamError::premature_close);
        wake(&s);
    });
    let result = poll_fn(|cx| {
        let mut s = state.borrow_mut();
        if let Some(err) = s.error.clone() {
            return Poll::Ready(Err(err));
        }
        if s.ready || !writable.writable_need_drain() {
            return Poll::Ready(Ok(()));
        }
        s.waker = Some(cx.waker().clone());
        Poll::Pending
    })
    .await;
    for id in [drain, error, close] {
        writable.off(id);
    }
    result
}

/// Feeds `writable` from any thread: items sent into the returned sink
/// cross a channel of `capacity` items to a local task that writes them,
/// waiting for `'drain'` whenever `write()` returns `false`.
///
/// # Panics
///
/// Panics outside a `LocalSet` (it spawns a local task with
/// [`streams_core::spawn`]).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use futures::SinkExt;
/// use streams_core::Writable;
///
/// let got = Rc::new(RefCell::new(Vec::new()));
/// let g = got.clone();
/// streams_core::run(async move {
///     let w = Writable::<Bytes>::builder()
///         .write(move |_, c, _, cb| { g.borrow_mut().extend_from_slice(&c); cb.call(Ok(())) })
///         .build();
///     let mut sink = streams_io::send_sink(w, 4);
///     // `sink` is Send: another thread could own it.
///     sink.send(Bytes::from("over ")).await.unwrap();
///     sink.send(Bytes::from("there")).await.unwrap();
///     sink.close().await.unwrap();
/// });
/// assert_eq!(*got.borrow(), b"over there");
/// ```
pub fn send_sink<T: Send + 'static>(writable: Writable<T>, capacity: usize) -> SendSink<T> {
    let (tx, mut rx) = mpsc::channel::<T>(capacity.max(1) - 1);
    let (done_tx, done_rx) = oneshot::channel();
    streams_core::spawn(async move {
        let result = async {
            while let Some(item) = rx.next().await {
                if let Some(err) = writable.errored() {
                    return Err(err);
                }
                if writable.destroyed() {
                    return Err(StreamError::destroyed("write"));
                }
                if !writable.write(item) {
                    room(&writable).await?;
                }
            }
            writable.end(None);
            streams_core::promises::finished(&writable).await
        }
        .await;
        rx.close();
        let _ = done_tx.send(result);
    });
    SendSink { tx, done: Some(done_rx) }
}
