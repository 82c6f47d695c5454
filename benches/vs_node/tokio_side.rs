//! The hand-written tokio side: the same jobs as good tokio/futures code,
//! on a current-thread runtime (which beat the multi-thread one on every
//! workload measured here): the bound on what our semantics cost.
//!
//! - Files: `tokio::fs::copy` (W1, which may use the kernel's copy), a
//!   64 KiB `tokio::fs::File` read/write loop (W1o, the chunk size of the
//!   streams' default high-water mark).
//! - In-memory pipelines (W2, W3, N1, N2): `futures` stream combinators
//!   inside one task, no channel or task hop between stages.
//! - Writers (W5, N3): `AsyncWrite` sinks; W5 buffers through a 16 KiB
//!   `BufWriter`, the tokio idiom for many small writes (the Node and
//!   streams sides batch with `writev`).
//! - TCP (W4): a 64 KiB read/write echo loop per connection.

use std::future::{ready, Future};
use std::io;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use bytes::Bytes;
use futures::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufWriter};

use crate::workloads::{upper_ascii, Item, W3_CHUNK};
use crate::Outcome;

fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(f)
}

fn io_err(e: io::Error) -> String {
    e.to_string()
}

/// W1: `tokio::fs::copy`.
pub(crate) fn w1_copy(src: &Path, dst: &Path) -> Outcome {
    block_on(async {
        let start = Instant::now();
        let n = tokio::fs::copy(src, dst).await.map_err(io_err)?;
        Ok((n, start.elapsed().as_secs_f64()))
    })
}

/// W1o: a 64 KiB read loop that counts the bytes it copies.
pub(crate) fn w1o_copy(src: &Path, dst: &Path) -> Outcome {
    block_on(async {
        let start = Instant::now();
        let mut input = tokio::fs::File::open(src).await.map_err(io_err)?;
        let mut output = tokio::fs::File::create(dst).await.map_err(io_err)?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut seen = 0u64;
        loop {
            let n = input.read(&mut buf).await.map_err(io_err)?;
            if n == 0 {
                break;
            }
            seen += n as u64;
            output.write_all(&buf[..n]).await.map_err(io_err)?;
        }
        output.flush().await.map_err(io_err)?;
        drop(output);
        Ok((seen, start.elapsed().as_secs_f64()))
    })
}

/// W2: source -> map (bumps a field) -> fold (sums), one task.
pub(crate) fn w2_objects(n: u64) -> Outcome {
    block_on(async {
        let start = Instant::now();
        let sum = futures::stream::iter((0..n).map(|id| Item { id, value: id }))
            .map(|mut item| {
                item.value += 1;
                item
            })
            .fold(0u64, |sum, item| ready(sum + std::hint::black_box(item).value))
            .await;
        if sum != n * (n + 1) / 2 {
            return Err(format!("bad sum {sum}"));
        }
        Ok((n, start.elapsed().as_secs_f64()))
    })
}

/// W3: 16 KiB chunks through three maps (the middle one upper-cases) into
/// a fold that discards them.
pub(crate) fn w3_bytes(total: u64) -> Outcome {
    let chunks = total / W3_CHUNK as u64;
    block_on(async {
        let start = Instant::now();
        let chunk = Bytes::from(crate::workloads::w3_chunk());
        let (bytes, last) = futures::stream::iter((0..chunks).map(|_| chunk.clone()))
            .map(std::hint::black_box)
            .map(|c| upper_ascii(&c))
            .map(std::hint::black_box)
            .fold((0u64, 0u8), |(n, _), c| ready((n + c.len() as u64, c[0])))
            .await;
        if bytes != chunks * W3_CHUNK as u64 || (chunks > 0 && last != b'A') {
            return Err(format!("bad output: {bytes} bytes"));
        }
        Ok((bytes, start.elapsed().as_secs_f64()))
    })
}

/// W4 / W4p: an echo server, a read/write loop from each connection to
/// itself. Prints `{"port": P}`, serves until stdin closes.
pub(crate) fn w4_echo_server() -> Result<(), String> {
    block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(io_err)?;
        let port = listener.local_addr().map_err(io_err)?.port();
        crate::print_port(port);
        crate::exit_when_stdin_closes();
        loop {
            let (mut socket, _) = listener.accept().await.map_err(io_err)?;
            socket.set_nodelay(true).map_err(io_err)?;
            tokio::spawn(async move {
                // A 64 KiB read/write loop: tokio::io::copy's 8 KiB
                // buffer echoes at about half the speed.
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => {
                            if socket.write_all(&buf[..n]).await.is_err() {
                                break;
                            }
                        }
                    }
                }
                let _ = socket.shutdown().await;
            });
        }
    })
}

/// An `AsyncWrite` whose every write completes asynchronously: it is
/// pending once (waking itself, so it completes on a later turn of the
/// scheduler), then accepts the whole buffer.
#[derive(Debug, Default)]
struct LaterSink {
    armed: bool,
    writes: u64,
}

impl AsyncWrite for LaterSink {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if !self.armed {
            self.armed = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.armed = false;
        self.writes += 1;
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// W5: 100-byte writes through a 16 KiB `BufWriter` into a sink whose
/// writes complete asynchronously.
pub(crate) fn w5_small_writes(n: u64) -> Outcome {
    block_on(async {
        let start = Instant::now();
        let chunk = [b'x'; 100];
        let mut w = BufWriter::with_capacity(16 * 1024, LaterSink::default());
        for _ in 0..n {
            w.write_all(std::hint::black_box(&chunk)).await.map_err(io_err)?;
        }
        w.shutdown().await.map_err(io_err)?;
        Ok((n, start.elapsed().as_secs_f64()))
    })
}

/// N1 / N2: the items forwarded into a sink that takes each at once and
/// counts it.
fn forward<T: Clone>(n: u64, item: T) -> Outcome {
    block_on(async {
        let start = Instant::now();
        let mut taken = 0u64;
        let sink = futures::sink::unfold(&mut taken, |taken, item: T| {
            std::hint::black_box(item);
            *taken += 1;
            ready(Ok::<_, std::convert::Infallible>(taken))
        });
        let items = futures::stream::iter((0..n).map(|_| Ok(item.clone())));
        items.forward(sink).await.map_err(|e| format!("{e:?}"))?;
        if taken != n {
            return Err(format!("took {taken} of {n}"));
        }
        Ok((n, start.elapsed().as_secs_f64()))
    })
}

/// N1: 1 KiB `Bytes` forwarded into a draining sink.
pub(crate) fn n1_pipe(n: u64) -> Outcome {
    // The same static buffer as the streams side: a clone is a pointer copy.
    forward(n, Bytes::from_static(&[0u8; 1024]))
}

/// N2: one small object forwarded into a draining sink.
pub(crate) fn n2_pipe_object_mode(n: u64) -> Outcome {
    #[derive(Clone, Debug)]
    struct Empty;
    forward(n, Empty)
}

/// N3: 1 KiB writes into a sink that completes at once (`sync`) or on a
/// later turn of the scheduler.
pub(crate) fn n3_manywrites(n: u64, sync: bool) -> Outcome {
    async fn writes<W: AsyncWrite + Unpin>(n: u64, mut w: W) -> Outcome {
        let start = Instant::now();
        let b = vec![0u8; 1024];
        for _ in 0..n {
            w.write_all(std::hint::black_box(&b)).await.map_err(io_err)?;
        }
        Ok((n, start.elapsed().as_secs_f64()))
    }
    block_on(async {
        if sync {
            writes(n, tokio::io::sink()).await
        } else {
            writes(n, LaterSink::default()).await
        }
    })
}

/// W4 / W4p client, shared by every server: 1 connection, `total` bytes
/// sent in 64 KiB writes while reading the echo at once. Returns (bytes
/// echoed, seconds).
pub(crate) fn w4_client(port: u16, total: u64) -> Outcome {
    block_on(async {
        let socket = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.map_err(io_err)?;
        socket.set_nodelay(true).map_err(io_err)?;
        let start = Instant::now();
        let (mut r, mut w) = socket.into_split();
        let send = async move {
            let buf = vec![0x5au8; 64 * 1024];
            let mut left = total;
            while left > 0 {
                let n = left.min(buf.len() as u64) as usize;
                w.write_all(&buf[..n]).await?;
                left -= n as u64;
            }
            w.shutdown().await
        };
        let receive = async move {
            let mut buf = vec![0u8; 64 * 1024];
            let mut got = 0u64;
            while got < total {
                let n = r.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                got += n as u64;
            }
            Ok::<_, io::Error>(got)
        };
        let (sent, got) = tokio::join!(send, receive);
        sent.map_err(io_err)?;
        let got = got.map_err(io_err)?;
        if got != total {
            return Err(format!("echoed {got} of {total} bytes"));
        }
        Ok((got, start.elapsed().as_secs_f64()))
    })
}

/// W4p client: `trips` round trips of 1 KiB on one connection.
pub(crate) fn w4p_client(port: u16, trips: u64) -> Outcome {
    block_on(async {
        let mut socket =
            tokio::net::TcpStream::connect(("127.0.0.1", port)).await.map_err(io_err)?;
        socket.set_nodelay(true).map_err(io_err)?;
        let start = Instant::now();
        let out = [0x5au8; 1024];
        let mut back = [0u8; 1024];
        for _ in 0..trips {
            socket.write_all(&out).await.map_err(io_err)?;
            read_exact(&mut socket, &mut back).await?;
        }
        Ok((trips, start.elapsed().as_secs_f64()))
    })
}

async fn read_exact<R: AsyncRead + Unpin>(r: &mut R, buf: &mut [u8]) -> Result<(), String> {
    r.read_exact(buf).await.map(drop).map_err(io_err)
}
