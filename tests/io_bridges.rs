//! The I/O bridges in both directions, against tokio's own types:
//! `ReaderReadable` over `tokio::io::duplex` and `tokio::fs::File`,
//! `WriterWritable` into a duplex, `ReadableReader` under `tokio::io::copy`
//! and `tokio_util::io::ReaderStream`, `WritableWriter` under
//! `write_all`/`flush`/`shutdown`, and the `Send` bridges fed from and
//! drained by tasks on a multi-threaded runtime. Every test runs under a
//! time limit.
#![warn(rust_2018_idioms)]
#![cfg(feature = "io")]

mod support;

use std::cell::{Cell, RefCell};
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use streams::events;
use streams::io::{
    send_sink, send_stream, ReadableReader, ReaderReadable, WritableWriter, WriterWritable,
};
use streams::{Readable, StreamError, Writable, WriteCallback};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use support::{pattern, within, TempDir};

fn sleep(ms: u64) -> tokio::time::Sleep {
    tokio::time::sleep(Duration::from_millis(ms))
}

/// Collects a Readable's chunks in flowing mode.
fn collect(r: &Readable) -> Rc<RefCell<Vec<Bytes>>> {
    let chunks = Rc::new(RefCell::new(Vec::new()));
    let c = chunks.clone();
    r.on(events::Data, move |chunk: &Bytes| c.borrow_mut().push(chunk.clone()));
    chunks
}

/// A writer around another that records, for each write call that wrote
/// something, how many buffers it was given.
struct Recording<W> {
    inner: W,
    calls: Rc<RefCell<Vec<usize>>>,
}

impl<W: AsyncWrite + Unpin> AsyncWrite for Recording<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let res = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(_)) = res {
            self.calls.borrow_mut().push(1);
        }
        res
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let res = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(_)) = res {
            self.calls.borrow_mut().push(bufs.iter().filter(|b| !b.is_empty()).count());
        }
        res
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------
// ReaderReadable: AsyncRead -> Readable<Bytes>
// ---------------------------------------------------------------------

#[test]
fn reader_readable_over_a_duplex_with_a_slow_writer() {
    within(30, || {
        let data = pattern(100_000);
        let d = data.clone();
        let got = streams::run(async move {
            let (mut tx, rx) = tokio::io::duplex(4096);
            streams::spawn(async move {
                for chunk in d.chunks(7_000) {
                    tx.write_all(chunk).await.unwrap();
                    sleep(1).await;
                }
                tx.shutdown().await.unwrap();
            });
            let r = ReaderReadable::with_high_water_mark(rx, 1024);
            let chunks = collect(&r);
            streams::promises::finished(&r).await.unwrap();
            let got = chunks.borrow().clone();
            got
        });
        assert!(got.iter().all(|c| !c.is_empty() && c.len() <= 1024), "a chunk over the hwm");
        assert!(got.concat() == data, "the data differs");
    });
}

#[test]
fn an_unconsumed_reader_readable_stops_reading_and_the_duplex_fills() {
    within(30, || {
        const DUPLEX: usize = 16 * 1024;
        const HWM: usize = 4096;
        const TOTAL: usize = 1 << 20;
        let data = pattern(TOTAL);
        let d = data.clone();
        let (blocked_at, length, got) = streams::run(async move {
            let (mut tx, rx) = tokio::io::duplex(DUPLEX);
            let written = Rc::new(Cell::new(0usize));
            let w = written.clone();
            streams::spawn(async move {
                for chunk in d.chunks(1024) {
                    tx.write_all(chunk).await.unwrap();
                    w.set(w.get() + chunk.len());
                }
                tx.shutdown().await.unwrap();
            });
            let r = ReaderReadable::with_high_water_mark(rx, HWM);
            // Paused mode with nobody calling read(): the stream fills its
            // buffer to the hwm and asks for nothing more.
            let listening = r.on(events::Readable, |_| {});
            // Wait for the duplex to fill, then for a while longer.
            for _ in 0..5000 {
                if written.get() >= DUPLEX {
                    break;
                }
                sleep(1).await;
            }
            sleep(100).await;
            let blocked_at = written.get();
            sleep(100).await;
            assert_eq!(written.get(), blocked_at, "the writer is still making progress");
            let length = r.readable_length();
            // Now consume it all.
            r.off(listening);
            let chunks = collect(&r);
            r.resume();
            streams::promises::finished(&r).await.unwrap();
            let got = chunks.borrow().concat();
            (blocked_at, length, got)
        });
        assert!(length <= HWM, "buffered {length}");
        // The duplex's buffer is full, and the stream holds at most its
        // hwm plus the chunk it was reading.
        assert!(blocked_at >= DUPLEX, "the duplex did not fill: {blocked_at}");
        assert!(blocked_at <= DUPLEX + 2 * HWM + 1024, "read too far ahead: {blocked_at}");
        assert!(got == data, "the data differs");
    });
}

#[test]
fn reader_readable_over_a_tokio_file() {
    within(30, || {
        let dir = TempDir::new("io-bridges");
        let path = dir.join("file");
        let data = pattern(300_000);
        std::fs::write(&path, &data).unwrap();
        let got = streams::run(async move {
            let file = tokio::fs::File::open(&path).await.unwrap();
            let r = ReaderReadable::new(file);
            assert_eq!(r.readable_high_water_mark(), 64 * 1024);
            let chunks = collect(&r);
            streams::promises::finished(&r).await.unwrap();
            let got = chunks.borrow().clone();
            got
        });
        assert!(got.iter().all(|c| c.len() <= 64 * 1024));
        assert!(got.concat() == data, "the data differs");
    });
}

#[test]
fn reader_readable_reports_read_errors_then_closes() {
    /// Yields "ok", then fails as a reset socket does.
    struct Failing(bool);
    impl AsyncRead for Failing {
        fn poll_read(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<io::Result<()>> {
            if self.0 {
                return Poll::Ready(Err(io::Error::from(io::ErrorKind::ConnectionReset)));
            }
            self.0 = true;
            buf.put_slice(b"ok");
            Poll::Ready(Ok(()))
        }
    }
    within(30, || {
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        streams::run(async move {
            let r = ReaderReadable::new(Failing(false));
            let l1 = l.clone();
            r.on(events::Data, move |c: &Bytes| {
                l1.borrow_mut().push(format!("data {}", String::from_utf8_lossy(c)))
            });
            let l1 = l.clone();
            r.on(events::Error, move |e: &StreamError| {
                l1.borrow_mut().push(format!("error {}", e.code().unwrap_or("-")))
            });
            r.on(events::Close, move |_| l.borrow_mut().push("close".to_string()));
        });
        assert_eq!(*log.borrow(), ["data ok", "error ECONNRESET", "close"]);
    });
}

#[test]
fn reader_readable_gives_its_reader_back() {
    within(30, || {
        streams::run(async {
            let (mut tx, rx) = tokio::io::duplex(64);
            let r = ReaderReadable::new(rx);
            let mut rx = r.into_inner().expect("no read in flight");
            tx.write_all(b"still mine").await.unwrap();
            let mut buf = [0u8; 10];
            rx.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"still mine");
        });
    });
}

// ---------------------------------------------------------------------
// WriterWritable: AsyncWrite -> Writable<Bytes>
// ---------------------------------------------------------------------

#[test]
fn writer_writable_into_a_duplex_batches_shuts_down_and_gives_it_back() {
    within(30, || {
        let calls = Rc::new(RefCell::new(Vec::new()));
        let c = calls.clone();
        let (got, back) = streams::run(async move {
            let (tx, mut rx) = tokio::io::duplex(1 << 16);
            let reader = streams::spawn(async move {
                let mut all = Vec::new();
                // Returns only at end of file: when the writer shut down.
                rx.read_to_end(&mut all).await.unwrap();
                all
            });
            let w = WriterWritable::new(Recording { inner: tx, calls: c });
            w.cork();
            for s in ["ab", "cde", "f"] {
                w.write(Bytes::from(s));
            }
            w.uncork(); // one vectored write of three buffers...
            w.write(Bytes::from("gh")); // ...this one waits for it, alone
            w.end(None);
            streams::promises::finished(&*w).await.unwrap();
            let got = reader.await.unwrap();
            (got, w.into_inner().is_some())
        });
        assert_eq!(got, b"abcdefgh");
        assert_eq!(*calls.borrow(), [3, 1]);
        assert!(back, "into_inner gave nothing back");
    });
}

#[test]
fn writer_writable_keep_open_flushes_but_does_not_shut_down() {
    within(30, || {
        streams::run(async {
            let (tx, mut rx) = tokio::io::duplex(1024);
            let w = WriterWritable::keep_open(tx);
            w.end(Bytes::from("first"));
            streams::promises::finished(&*w).await.unwrap();
            let mut buf = [0u8; 5];
            rx.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"first");
            // No end of file: the writer is still open...
            let pending = tokio::time::timeout(Duration::from_millis(50), rx.read(&mut buf)).await;
            assert!(pending.is_err(), "the writer was shut down");
            // ...and can be taken back and used.
            let mut tx = w.into_inner().expect("the writer");
            tx.write_all(b"more").await.unwrap();
            tx.shutdown().await.unwrap();
            let mut rest = Vec::new();
            rx.read_to_end(&mut rest).await.unwrap();
            assert_eq!(rest, b"more");
        });
    });
}

#[test]
fn writer_writable_pushes_back_when_the_duplex_is_full() {
    within(30, || {
        streams::run(async {
            let (tx, mut rx) = tokio::io::duplex(1024);
            let w = WriterWritable::new(tx);
            let hwm = w.writable_high_water_mark();
            let drained = Rc::new(Cell::new(false));
            let d = drained.clone();
            w.on(events::Drain, move |_| d.set(true));
            // Nobody reads: the duplex takes 1 KiB, then the stream buffers
            // up to its hwm and write() says so.
            let mut written = 0;
            while w.write(Bytes::from(vec![7u8; 1024])) {
                written += 1024;
                assert!(written <= hwm + 2048, "write() never returned false");
            }
            written += 1024;
            assert!(w.writable_need_drain());
            sleep(50).await;
            assert!(!drained.get());
            let mut got = vec![0u8; written];
            rx.read_exact(&mut got).await.unwrap();
            // Everything went through: 'drain' has come (or comes now).
            for _ in 0..100 {
                if drained.get() {
                    break;
                }
                sleep(1).await;
            }
            assert!(drained.get(), "no 'drain'");
            assert!(got.iter().all(|&b| b == 7));
            w.end(None);
        });
    });
}

// ---------------------------------------------------------------------
// ReadableReader: Readable<Bytes> -> AsyncRead
// ---------------------------------------------------------------------

#[test]
fn readable_reader_under_tokio_io_copy() {
    within(30, || {
        let data = pattern(200_000);
        let d = data.clone();
        let got = streams::run(async move {
            let chunks: Vec<Bytes> = d.chunks(3000).map(Bytes::copy_from_slice).collect();
            let mut reader = ReadableReader::new(Readable::from_iter(chunks));
            let (mut tx, mut rx) = tokio::io::duplex(8192);
            let copy = streams::spawn(async move {
                let n = tokio::io::copy(&mut reader, &mut tx).await.unwrap();
                tx.shutdown().await.unwrap();
                n
            });
            let mut got = Vec::new();
            rx.read_to_end(&mut got).await.unwrap();
            assert_eq!(copy.await.unwrap(), got.len() as u64);
            got
        });
        assert!(got == data, "the data differs");
    });
}

#[cfg(feature = "fs")]
#[test]
fn a_file_read_stream_copied_into_a_tokio_file_with_tokio_io_copy() {
    within(30, || {
        let dir = TempDir::new("io-bridges");
        let (src, dst) = (dir.join("src"), dir.join("dst"));
        let data = pattern(1 << 20);
        std::fs::write(&src, &data).unwrap();
        let d = dst.clone();
        streams::run(async move {
            let rs = streams::fs::create_read_stream(&src, Default::default()).unwrap();
            let mut reader = ReadableReader::new(rs.into_readable());
            let mut file = tokio::fs::File::create(&d).await.unwrap();
            tokio::io::copy(&mut reader, &mut file).await.unwrap();
            file.flush().await.unwrap();
        });
        assert!(std::fs::read(&dst).unwrap() == data, "the copy differs");
    });
}

#[test]
fn readable_reader_under_tokio_util_reader_stream() {
    within(30, || {
        let got = streams::run(async {
            let r = Readable::from_iter(["hello ", "from ", "a stream"].map(Bytes::from));
            let stream = tokio_util::io::ReaderStream::with_capacity(ReadableReader::new(r), 4);
            stream.map(|c| c.unwrap()).collect::<Vec<Bytes>>().await
        });
        assert!(got.iter().all(|c| c.len() <= 4));
        assert_eq!(got.concat(), b"hello from a stream");
    });
}

#[test]
fn readable_reader_errors_are_io_errors_with_the_stream_error_inside() {
    within(30, || {
        streams::run(async {
            let r: Readable = Readable::builder().read(|_, _| {}).build();
            r.push(Bytes::from("abc"));
            let failing = r.clone();
            streams::set_immediate(move || {
                let reset = io::Error::from(io::ErrorKind::ConnectionReset);
                failing.destroy(Some(StreamError::from_syscall(reset, "read", None)));
            });
            let mut reader = ReadableReader::new(r);
            let mut got = Vec::new();
            let err = reader.read_to_end(&mut got).await.unwrap_err();
            assert_eq!(got, b"abc");
            assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
            let inner = err.get_ref().and_then(|e| e.downcast_ref::<StreamError>());
            assert_eq!(inner.and_then(|e| e.code()), Some("ECONNRESET"));
            // Then end of file, as a fused reader.
            assert_eq!(reader.read(&mut [0u8; 8]).await.unwrap(), 0);
        });
    });
}

#[test]
fn readable_reader_reports_a_premature_close() {
    // Node's async iterator throws ERR_STREAM_PREMATURE_CLOSE when the
    // stream is destroyed (without an error) before its end: a reader
    // must not take that for the end of the data.
    within(30, || {
        streams::run(async {
            let r: Readable = Readable::builder().read(|_, _| {}).build();
            r.push(Bytes::from("abc"));
            let cut = r.clone();
            streams::set_immediate(move || {
                cut.destroy(None);
            });
            let mut reader = ReadableReader::new(r);
            let mut got = Vec::new();
            let err = reader.read_to_end(&mut got).await.unwrap_err();
            assert_eq!(got, b"abc");
            let inner = err.get_ref().and_then(|e| e.downcast_ref::<StreamError>());
            assert_eq!(inner.and_then(|e| e.code()), Some("ERR_STREAM_PREMATURE_CLOSE"));
        });
    });
}

// ---------------------------------------------------------------------
// WritableWriter: Writable<Bytes> -> AsyncWrite
// ---------------------------------------------------------------------

/// Write callbacks kept for later.
type Held = Rc<RefCell<Vec<WriteCallback>>>;

/// A Writable whose write callbacks wait until `release` calls them.
fn held_writable(hwm: usize) -> (Writable, Rc<RefCell<Vec<u8>>>, Held) {
    let out = Rc::new(RefCell::new(Vec::new()));
    let held = Rc::new(RefCell::new(Vec::new()));
    let (o, h) = (out.clone(), held.clone());
    let w = Writable::builder()
        .high_water_mark(hwm)
        .write(move |_, chunk: Bytes, _, cb| {
            o.borrow_mut().extend_from_slice(&chunk);
            h.borrow_mut().push(cb);
        })
        .build();
    (w, out, held)
}

fn release(held: &Held) -> usize {
    let cbs: Vec<WriteCallback> = held.borrow_mut().drain(..).collect();
    let n = cbs.len();
    for cb in cbs {
        cb.call(Ok(()));
    }
    n
}

#[test]
fn writable_writer_write_all_flush_and_shutdown() {
    within(30, || {
        let data = pattern(50_000);
        let d = data.clone();
        let got = streams::run(async move {
            let out = Rc::new(RefCell::new(Vec::new()));
            let o = out.clone();
            // An asynchronous sink: each write is called back a little later.
            let w = Writable::builder()
                .write(move |_, chunk: Bytes, _, cb| {
                    let o = o.clone();
                    streams::spawn(async move {
                        sleep(1).await;
                        o.borrow_mut().extend_from_slice(&chunk);
                        cb.call(Ok(()));
                    });
                })
                .build();
            let finished = Rc::new(Cell::new(false));
            let f = finished.clone();
            w.on(events::Finish, move |_| f.set(true));
            let mut writer = WritableWriter::new(w);
            for piece in d.chunks(5000) {
                writer.write_all(piece).await.unwrap();
            }
            writer.flush().await.unwrap();
            // flush() returned: every write has been called back.
            assert_eq!(out.borrow().len(), d.len());
            assert!(!finished.get());
            writer.shutdown().await.unwrap();
            assert!(finished.get(), "shutdown returned before 'finish'");
            let got = out.borrow().clone();
            got
        });
        assert!(got == data);
    });
}

/// A waker that records that it was woken.
struct Flag(std::sync::atomic::AtomicBool);

impl futures::task::ArcWake for Flag {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn writable_writer_is_pending_while_write_would_return_false_until_drain() {
    within(30, || {
        streams::run(async {
            let (w, out, held) = held_writable(10);
            let mut writer = WritableWriter::new(w.clone());
            let flag = Arc::new(Flag(false.into()));
            let waker = futures::task::waker(flag.clone());
            let mut cx = Context::from_waker(&waker);

            // 10 bytes: accepted, and now write() would return false.
            let first = Pin::new(&mut writer).poll_write(&mut cx, &[1; 10]);
            assert!(matches!(first, Poll::Ready(Ok(10))));
            assert!(w.writable_need_drain());
            let second = Pin::new(&mut writer).poll_write(&mut cx, &[2; 4]);
            assert!(second.is_pending(), "accepted past the high-water mark");
            assert!(Pin::new(&mut writer).poll_flush(&mut cx).is_pending());

            // The write completes; 'drain' follows and wakes the writer.
            sleep(10).await;
            assert!(!flag.0.load(Ordering::SeqCst), "woken before 'drain'");
            assert_eq!(release(&held), 1);
            for _ in 0..100 {
                if flag.0.load(Ordering::SeqCst) {
                    break;
                }
                sleep(1).await;
            }
            assert!(flag.0.load(Ordering::SeqCst), "'drain' did not wake the writer");
            let again = Pin::new(&mut writer).poll_write(&mut cx, &[2; 4]);
            assert!(matches!(again, Poll::Ready(Ok(4))));
            release(&held);
            sleep(5).await;
            release(&held);
            assert_eq!(*out.borrow(), [[1u8; 10].as_slice(), &[2; 4]].concat());
            w.destroy(None);
        });
    });
}

#[test]
fn writable_writer_errors_are_io_errors_with_the_stream_error_inside() {
    within(30, || {
        streams::run(async {
            let w: Writable = Writable::builder()
                .write(|_, _, _, cb| cb.call(Err(StreamError::with_code("E_FULL", "disk full"))))
                .build();
            w.on(events::Error, |_| {});
            let mut writer = WritableWriter::new(w);
            // The write itself is accepted; the failure shows at the next
            // call, as with any buffered writer.
            let _ = writer.write_all(b"abc").await;
            let err = writer.flush().await.unwrap_err();
            let inner = err.get_ref().and_then(|e| e.downcast_ref::<StreamError>());
            assert_eq!(inner.and_then(|e| e.code()), Some("E_FULL"));
            assert!(writer.write_all(b"more").await.is_err());
        });
    });
}

#[test]
fn tokio_io_copy_through_writable_writer_into_writer_writable() {
    within(30, || {
        let data = pattern(300_000);
        let d = data.clone();
        let got = streams::run(async move {
            let (tx, mut rx) = tokio::io::duplex(4096);
            let sink = WriterWritable::new(tx);
            let mut writer = WritableWriter::new(sink.into_writable());
            let reader = streams::spawn(async move {
                let mut got = Vec::new();
                rx.read_to_end(&mut got).await.unwrap();
                got
            });
            tokio::io::copy(&mut &d[..], &mut writer).await.unwrap();
            writer.shutdown().await.unwrap();
            reader.await.unwrap()
        });
        assert!(got == data);
    });
}

// ---------------------------------------------------------------------
// Send bridges, with a multi-threaded runtime on another thread
// ---------------------------------------------------------------------

/// Runs `fut` as a `tokio::spawn`ed task of a multi-threaded runtime on a
/// thread of its own; the handle gives its output and the id of the
/// thread it ran on.
fn on_multi_thread<F>(fut: F) -> std::thread::JoinHandle<(F::Output, std::thread::ThreadId)>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            tokio::spawn(async move {
                let out = fut.await;
                (out, std::thread::current().id())
            })
            .await
            .unwrap()
        })
    })
}

/// An object Readable of `0..n` that counts what it produced.
fn counting_source(n: usize, hwm: usize, produced: Arc<AtomicUsize>) -> Readable<usize> {
    Readable::object_builder()
        .high_water_mark(hwm)
        .read(move |this, _| {
            let i = produced.load(Ordering::SeqCst);
            if i < n {
                produced.store(i + 1, Ordering::SeqCst);
                this.push(i);
            } else {
                this.push(None);
            }
        })
        .build()
}

#[test]
fn send_stream_drained_by_a_spawned_task_on_a_multi_thread_runtime() {
    within(30, || {
        const N: usize = 100;
        const HWM: usize = 2;
        const CAPACITY: usize = 4;
        let produced = Arc::new(AtomicUsize::new(0));
        let p = produced.clone();
        let remote = streams::run(async move {
            let stream = send_stream(counting_source(N, HWM, p.clone()), CAPACITY);
            on_multi_thread(async move {
                let mut stream = stream;
                let first = stream.next().await.unwrap().unwrap();
                // A slow consumer: the producer fills the channel, then
                // must stop.
                for _ in 0..5000 {
                    if p.load(Ordering::SeqCst) > CAPACITY {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                let ahead = p.load(Ordering::SeqCst) - 1;
                let rest: Vec<usize> = stream.map(|item| item.unwrap()).collect().await;
                (first, ahead, rest)
            })
        });
        let ((first, ahead, rest), thread) = remote.join().unwrap();
        assert_ne!(thread, std::thread::current().id());
        assert_eq!(first, 0);
        assert_eq!(rest, (1..N).collect::<Vec<_>>());
        assert_eq!(produced.load(Ordering::SeqCst), N);
        // Bounded: the channel, the item being sent and the stream's own
        // buffer; and it did fill, so the bound is what stopped it.
        assert!(ahead <= CAPACITY + 1 + HWM, "{ahead} items in flight");
        assert!(ahead >= CAPACITY, "only {ahead} items in flight");
    });
}

#[test]
fn send_stream_carries_the_source_error() {
    within(30, || {
        let remote = streams::run(async {
            let sent = Cell::new(0);
            let r: Readable<u32> = Readable::object_builder()
                .read(move |this, _| {
                    sent.set(sent.get() + 1);
                    if sent.get() <= 2 {
                        this.push(sent.get());
                    } else {
                        this.destroy(Some(StreamError::with_code("E_SOURCE", "source broke")));
                    }
                })
                .build();
            let stream = send_stream(r, 2);
            on_multi_thread(async move { stream.collect::<Vec<_>>().await })
        });
        let (items, _) = remote.join().unwrap();
        let shown: Vec<String> = items
            .iter()
            .map(|i| match i {
                Ok(n) => n.to_string(),
                Err(e) => format!("{} {e}", e.code().unwrap_or("-")),
            })
            .collect();
        assert_eq!(shown, ["1", "2", "E_SOURCE source broke"]);
    });
}

#[test]
fn dropping_a_send_stream_destroys_the_source_with_abort_err() {
    within(30, || {
        // An endless source, dropped after two items; and a source with
        // nothing to give, dropped at once.
        for endless in [true, false] {
            let log = Rc::new(RefCell::new(Vec::new()));
            let l = log.clone();
            let remote = streams::run(async move {
                let n = Cell::new(0u64);
                let r: Readable<u64> = Readable::object_builder()
                    .read(move |this, _| {
                        if endless {
                            n.set(n.get() + 1);
                            this.push(n.get());
                        }
                    })
                    .build();
                let l1 = l.clone();
                r.on(events::Error, move |e: &StreamError| {
                    l1.borrow_mut().push(format!("error {}", e.code().unwrap_or("-")))
                });
                r.on(events::Close, move |_| l.borrow_mut().push("close".to_string()));
                let stream = send_stream(r, 2);
                on_multi_thread(async move {
                    let mut stream = stream;
                    if endless {
                        stream.next().await.unwrap().unwrap();
                        stream.next().await.unwrap().unwrap();
                    }
                    drop(stream);
                })
            });
            remote.join().unwrap();
            assert_eq!(*log.borrow(), ["error ABORT_ERR", "close"], "endless {endless}");
        }
    });
}

#[test]
fn send_sink_fed_from_a_spawned_task_keeps_backpressure() {
    within(30, || {
        const N: usize = 50;
        const HWM: usize = 2;
        const CAPACITY: usize = 4;
        let got = Rc::new(RefCell::new(Vec::new()));
        let g = got.clone();
        let sent = Arc::new(AtomicUsize::new(0));
        let s = sent.clone();
        let (remote, stalled_at) = streams::run(async move {
            let held: Held = Rc::new(RefCell::new(Vec::new()));
            let h = held.clone();
            let w: Writable<usize> = Writable::object_builder()
                .high_water_mark(HWM)
                .write(move |_, item, _, cb| {
                    g.borrow_mut().push(item);
                    h.borrow_mut().push(cb);
                })
                .build();
            let mut sink = send_sink(w.clone(), CAPACITY);
            let remote = on_multi_thread(async move {
                for i in 0..N {
                    sink.send(i).await?;
                    s.fetch_add(1, Ordering::SeqCst);
                }
                sink.close().await
            });
            // The Writable calls nothing back yet: the sender fills the
            // channel, then must stall.
            for _ in 0..5000 {
                if sent.load(Ordering::SeqCst) >= CAPACITY {
                    break;
                }
                sleep(1).await;
            }
            sleep(100).await;
            let stalled_at = sent.load(Ordering::SeqCst);
            // Then let it all through.
            while !w.writable_finished() {
                release(&held);
                sleep(1).await;
            }
            (remote, stalled_at)
        });
        let (result, thread) = remote.join().unwrap();
        assert_ne!(thread, std::thread::current().id());
        result.unwrap();
        assert_eq!(*got.borrow(), (0..N).collect::<Vec<_>>());
        // The writable's buffer, the channel, the item being written.
        assert!(stalled_at <= HWM + CAPACITY + 2, "{stalled_at} items sent while stalled");
        assert!(stalled_at >= CAPACITY, "only {stalled_at} items sent");
    });
}

#[test]
fn send_sink_carries_the_writable_error() {
    within(30, || {
        let remote = streams::run(async {
            let w: Writable<u32> = Writable::object_builder()
                .write(|_, item, _, cb| {
                    if item < 3 {
                        cb.call(Ok(()))
                    } else {
                        cb.call(Err(StreamError::with_code("E_SINK", "sink broke")))
                    }
                })
                .build();
            w.on(events::Error, |_| {});
            let mut sink = send_sink(w, 2);
            on_multi_thread(async move {
                for i in 0..1000 {
                    if let Err(e) = sink.send(i).await {
                        return Some((i, e));
                    }
                }
                None
            })
        });
        let (failure, _) = remote.join().unwrap();
        let (at, err) = failure.expect("every send succeeded");
        assert_eq!(err.code(), Some("E_SINK"));
        assert!(at >= 3, "failed before the error: at {at}");
    });
}

#[test]
fn dropping_a_send_sink_ends_the_writable() {
    // As dropping a channel's sender ends it: what was sent is written,
    // then 'finish', without a close() to wait for it.
    within(30, || {
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        let remote = streams::run(async move {
            let l1 = l.clone();
            let w: Writable<u32> = Writable::object_builder()
                .write(move |_, item, _, cb| {
                    l1.borrow_mut().push(format!("write {item}"));
                    cb.call(Ok(()))
                })
                .build();
            let l1 = l.clone();
            w.on(events::Finish, move |_| l1.borrow_mut().push("finish".to_string()));
            w.on(events::Close, move |_| l.borrow_mut().push("close".to_string()));
            let mut sink = send_sink(w, 4);
            on_multi_thread(async move {
                sink.send(1).await.unwrap();
                sink.send(2).await.unwrap();
                drop(sink);
            })
        });
        remote.join().unwrap();
        assert_eq!(*log.borrow(), ["write 1", "write 2", "finish", "close"]);
    });
}
