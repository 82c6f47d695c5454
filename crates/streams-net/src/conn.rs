//! The state a socket's hooks and tasks share, and the I/O on the
//! connection: reading while the readable side asks, writing (one chunk or
//! a vectored batch), shutting down the write side, closing.
//!
//! The connection is a tokio `TcpStream` split into its owned halves, held
//! in `Inner::conn`. Every borrow of it lasts one non-blocking call (a
//! readiness poll, a `try_read`, a `try_write`): never across an `await`,
//! never across user code. So `destroy` can take it out at any moment,
//! which closes the descriptor at once, and the tasks waiting on it are
//! woken to find it gone.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::net::SocketAddr;
use std::pin::Pin;
use std::rc::Weak;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use streams_core::{Callback, WriteCallback};
use tokio::io::AsyncWrite;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

use crate::server::ServerInner;

/// Bytes asked of the kernel per read (Node reads 64 KiB at a time).
pub(crate) const READ_SIZE: usize = 64 * 1024;
/// At most this many slices per vectored write.
const MAX_IOVECS: usize = 64;

/// The two halves of an open connection.
pub(crate) struct Conn {
    pub(crate) read: OwnedReadHalf,
    /// `None` once the write side was shut down (`end()`).
    pub(crate) write: Option<OwnedWriteHalf>,
}

impl Conn {
    pub(crate) fn new(stream: TcpStream) -> Conn {
        let (read, write) = stream.into_split();
        Conn { read, write: Some(write) }
    }

    /// The whole stream, for its socket options.
    pub(crate) fn stream(&self) -> &TcpStream {
        self.read.as_ref()
    }
}

/// A write that came while connecting, held until `'connect'` (Node
/// queues it with `once('connect')`).
pub(crate) enum PendingWrite {
    One(Bytes, WriteCallback),
    Many(Vec<Bytes>, WriteCallback),
}

/// What one poll of the read side produced.
pub(crate) enum ReadOutcome {
    Data(Bytes),
    Eof,
    Error(io::Error),
    /// The socket was destroyed: stop.
    Closed,
}

/// The socket's shared state (the hooks and the tasks hold an `Rc` of it;
/// it holds no handle to the stream itself, so there is no cycle).
#[derive(Default)]
pub(crate) struct Inner {
    pub(crate) conn: RefCell<Option<Conn>>,
    /// Node's `connecting`: between `connect()` and `'connect'`.
    pub(crate) connecting: Cell<bool>,
    /// Set by `destroy`: every task stops.
    pub(crate) closed: Cell<bool>,
    /// Node's `handle.reading`: reads go on while the readable side wants
    /// more (`push` returned true); `push` returning false stops them, the
    /// read hook starts them again.
    pub(crate) reading: Cell<bool>,
    /// The read hook was called while connecting.
    pub(crate) read_on_connect: Cell<bool>,
    pub(crate) reader_waker: RefCell<Option<Waker>>,
    pub(crate) writer_waker: RefCell<Option<Waker>>,
    pub(crate) pending_write: RefCell<Option<PendingWrite>>,
    pub(crate) pending_final: RefCell<Option<Callback>>,
    /// The connect task, aborted by `destroy`.
    pub(crate) connect_task: RefCell<Option<JoinHandle<()>>>,
    pub(crate) bytes_read: Cell<u64>,
    /// Bytes handed to the kernel or being written (Node's
    /// `handle.bytesWritten`).
    pub(crate) bytes_dispatched: Cell<u64>,
    /// The length of the write in flight (it is still in
    /// `writable_length`).
    pub(crate) in_flight: Cell<usize>,
    pub(crate) had_error: Cell<bool>,
    /// `reset_and_destroy()`: close with `SO_LINGER` 0, sending RST.
    pub(crate) reset: Cell<bool>,
    pub(crate) no_delay: Cell<bool>,
    pub(crate) keep_alive: Cell<bool>,
    pub(crate) remote: Cell<Option<SocketAddr>>,
    pub(crate) local: Cell<Option<SocketAddr>>,
    pub(crate) timer: crate::timer::Timer,
    /// The server that accepted this socket, told when it closes.
    pub(crate) server: RefCell<Option<Weak<ServerInner>>>,
}

fn store(slot: &RefCell<Option<Waker>>, cx: &Context<'_>) {
    let mut slot = slot.borrow_mut();
    match &*slot {
        Some(w) if w.will_wake(cx.waker()) => {}
        _ => *slot = Some(cx.waker().clone()),
    }
}

fn wake(slot: &RefCell<Option<Waker>>) {
    let waker = slot.borrow_mut().take();
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl Inner {
    /// Wakes the tasks that wait on the connection (it changed, or is
    /// gone).
    pub(crate) fn wake_all(&self) {
        wake(&self.reader_waker);
        wake(&self.writer_waker);
    }

    /// The read hook: Node's `_read`, which starts the handle reading.
    pub(crate) fn start_reading(&self) {
        if self.connecting.get() {
            self.read_on_connect.set(true);
        } else if !self.reading.replace(true) {
            wake(&self.reader_waker);
        }
    }

    /// Reads once from the connection into `buf`, when reading is on.
    pub(crate) fn poll_read(&self, cx: &mut Context<'_>, buf: &mut BytesMut) -> Poll<ReadOutcome> {
        if self.closed.get() {
            return Poll::Ready(ReadOutcome::Closed);
        }
        if !self.reading.get() {
            store(&self.reader_waker, cx);
            return Poll::Pending;
        }
        let conn = self.conn.borrow();
        let Some(conn) = conn.as_ref() else { return Poll::Ready(ReadOutcome::Closed) };
        loop {
            match conn.stream().poll_read_ready(cx) {
                Poll::Pending => {
                    store(&self.reader_waker, cx);
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(ReadOutcome::Error(e)),
                Poll::Ready(Ok(())) => {}
            }
            // Every read asks for a whole READ_SIZE, as Node's does: a
            // read into the short tail of the last buffer would split one
            // arrival into two reads (and two pushes and two writes). Once
            // the chunks read before were dropped (written and gone), the
            // same allocation is taken back; otherwise a new one is made.
            if buf.capacity() - buf.len() < READ_SIZE {
                buf.reserve(READ_SIZE);
            }
            match conn.read.try_read_buf(buf) {
                Ok(0) => return Poll::Ready(ReadOutcome::Eof),
                Ok(_) => return Poll::Ready(ReadOutcome::Data(buf.split().freeze())),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Poll::Ready(ReadOutcome::Error(e)),
            }
        }
    }

    /// Writes as much of `bufs` as the kernel takes now, dropping what was
    /// written from the front. `Ok(true)` when everything went.
    pub(crate) fn try_write(&self, bufs: &mut VecDeque<Bytes>) -> io::Result<bool> {
        let conn = self.conn.borrow();
        let Some(half) = conn.as_ref().and_then(|c| c.write.as_ref()) else {
            return Err(io::ErrorKind::NotConnected.into());
        };
        write_some(half, bufs)
    }

    /// Waits until the kernel took all of `bufs`.
    pub(crate) fn poll_write(
        &self,
        cx: &mut Context<'_>,
        bufs: &mut VecDeque<Bytes>,
    ) -> Poll<io::Result<()>> {
        loop {
            if bufs.is_empty() {
                return Poll::Ready(Ok(()));
            }
            if self.closed.get() {
                return Poll::Ready(Err(io::ErrorKind::NotConnected.into()));
            }
            let conn = self.conn.borrow();
            let Some(half) = conn.as_ref().and_then(|c| c.write.as_ref()) else {
                return Poll::Ready(Err(io::ErrorKind::NotConnected.into()));
            };
            match half.as_ref().poll_write_ready(cx) {
                Poll::Pending => {
                    store(&self.writer_waker, cx);
                    return Poll::Pending;
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                Poll::Ready(Ok(())) => {}
            }
            if let Err(e) = write_some(half, bufs) {
                return Poll::Ready(Err(e));
            }
        }
    }

    /// Shuts the write side down (sends FIN). Not connected counts as done,
    /// as in Node.
    pub(crate) fn shutdown(&self) -> io::Result<()> {
        let half = self.conn.borrow_mut().as_mut().and_then(|c| c.write.take());
        let Some(mut half) = half else { return Ok(()) };
        // OwnedWriteHalf's shutdown is one `shutdown(2)` call: ready at once.
        let mut cx = Context::from_waker(Waker::noop());
        let res = match Pin::new(&mut half).poll_shutdown(&mut cx) {
            Poll::Ready(res) => res,
            Poll::Pending => Ok(()),
        };
        half.forget();
        match res {
            Err(e) if e.kind() == io::ErrorKind::NotConnected => Ok(()),
            other => other,
        }
    }

    /// Closes the connection now (the descriptor is closed when this
    /// returns), with RST if `reset_and_destroy` asked for it.
    pub(crate) fn close(&self) {
        self.closed.set(true);
        self.connecting.set(false);
        let task = self.connect_task.borrow_mut().take();
        if let Some(task) = task {
            task.abort();
        }
        self.timer.cancel();
        let conn = self.conn.borrow_mut().take();
        if let Some(conn) = conn {
            if self.reset.get() {
                if let Err(e) = conn.stream().set_zero_linger() {
                    tracing::debug!("reset_and_destroy: SO_LINGER failed: {e}");
                }
            }
            if let Some(write) = conn.write {
                // Close without a FIN of our own: the peer sees what Node's
                // uv_close gives (FIN, or RST with unread data or linger 0).
                write.forget();
            }
            drop(conn.read);
        }
        self.wake_all();
    }

    /// Node's `_unrefTimer`: activity pushes the idle timeout back.
    pub(crate) fn touch(&self) {
        self.timer.touch();
    }

    pub(crate) fn set_no_delay_now(&self, enable: bool) {
        self.no_delay.set(enable);
        if let Some(conn) = self.conn.borrow().as_ref() {
            if let Err(e) = conn.stream().set_nodelay(enable) {
                tracing::debug!("set_no_delay failed: {e}");
            }
        }
    }

    pub(crate) fn set_keep_alive_now(&self, enable: bool) {
        self.keep_alive.set(enable);
        if let Some(conn) = self.conn.borrow().as_ref() {
            if let Err(e) = crate::sockopt::set_keepalive(conn.stream(), enable) {
                tracing::debug!("set_keep_alive failed: {e}");
            }
        }
    }

    /// The idle timeout in force, if any.
    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.timer.timeout()
    }
}

/// One `write` (one buffer) or `writev` (several) of what the kernel takes,
/// repeated until it takes no more.
fn write_some(half: &OwnedWriteHalf, bufs: &mut VecDeque<Bytes>) -> io::Result<bool> {
    loop {
        while bufs.front().is_some_and(Bytes::is_empty) {
            bufs.pop_front();
        }
        if bufs.is_empty() {
            return Ok(true);
        }
        let res = if bufs.len() == 1 {
            half.try_write(&bufs[0])
        } else {
            let slices: Vec<IoSlice<'_>> =
                bufs.iter().take(MAX_IOVECS).map(|b| IoSlice::new(b)).collect();
            half.try_write_vectored(&slices)
        };
        match res {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(mut n) => {
                while n > 0 {
                    let front = bufs.front_mut().expect("the kernel wrote no more than given");
                    if n >= front.len() {
                        n -= front.len();
                        bufs.pop_front();
                    } else {
                        front.advance(n);
                        n = 0;
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
