//! The `streams` side: each workload written with our public API, the way
//! a user coming from Node would write it (builders with `read`/`write`/
//! `transform` hooks, `pipe`, `pipeline`, events).
//!
//! Each function runs one workload on a fresh event loop
//! ([`streams::run`]) and returns the work done and the seconds it took,
//! timed from building the streams to the last `'finish'`/`'close'`.

use std::cell::Cell;
use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use bytes::Bytes;
use streams::events::{Close, Data, Drain, Finish};
use streams::fs::{create_read_stream, create_write_stream};
use streams::{pipeline, Readable, StreamError, Transform, Writable};

use crate::workloads::{upper_ascii, Item, W3_CHUNK};
use crate::Outcome;

/// When the measured work ended (set by the last event).
type End = Rc<Cell<Option<Instant>>>;

fn outcome(units: u64, start: Instant, end: &End) -> Outcome {
    let end = end.get().expect("the workload never finished");
    Ok((units, (end - start).as_secs_f64()))
}

/// W1 / W1o: `create_read_stream(src).pipe(create_write_stream(dst))`,
/// with a `'data'` listener counting bytes when `observe` is set.
pub(crate) fn w1_copy(src: &Path, dst: &Path, observe: bool) -> Outcome {
    let end: End = Rc::default();
    let seen = Rc::new(Cell::new(0u64));
    let (e, s) = (end.clone(), seen.clone());
    let run = streams::run(async move {
        let start = Instant::now();
        let input = create_read_stream(src, Default::default())?;
        let output = create_write_stream(dst, Default::default())?;
        if observe {
            input.on(Data, move |chunk: &Bytes| s.set(s.get() + chunk.len() as u64));
        }
        input.pipe(&output);
        output.on(Close, move |_| e.set(Some(Instant::now())));
        streams::promises::finished(&output).await?;
        Ok::<_, StreamError>((start, output))
    });
    let (start, output) = run.map_err(|e| e.to_string())?;
    let written = output.bytes_written();
    if observe && seen.get() != written {
        return Err(format!("the 'data' listener counted {} of {written} bytes", seen.get()));
    }
    outcome(written, start, &end)
}

/// W2: object-mode Readable -> Transform (bumps a field) -> Writable (sums).
pub(crate) fn w2_objects(n: u64) -> Outcome {
    let end: End = Rc::default();
    let sum = Rc::new(Cell::new(0u64));
    let failed = Rc::new(Cell::new(false));
    let (e, s, f) = (end.clone(), sum.clone(), failed.clone());
    let start = streams::run(async move {
        let start = Instant::now();
        let mut next = 0u64;
        let source = Readable::<Item>::object_builder()
            .read(move |this, _| loop {
                // Push until the buffer is full, as a fast Node source does.
                if next == n {
                    this.push(None);
                    return;
                }
                let id = next;
                next += 1;
                if !this.push(Item { id, value: id }) {
                    return;
                }
            })
            .build();
        let bump = Transform::<Item, Item>::object_builder()
            .transform(|_, mut item, _, cb| {
                item.value += 1;
                cb.call(Ok(Some(item)));
            })
            .build();
        let sink = Writable::<Item>::object_builder()
            .write(move |_, item, _, cb| {
                s.set(s.get() + item.value);
                cb.call(Ok(()));
            })
            .build();
        pipeline((source, bump, sink), move |res| {
            f.set(res.is_err());
            e.set(Some(Instant::now()));
        });
        start
    });
    if failed.get() || sum.get() != n * (n + 1) / 2 {
        return Err(format!("bad sum {} (failed: {})", sum.get(), failed.get()));
    }
    outcome(n, start, &end)
}

/// W3: 16 KiB chunks through three Transforms (the middle one upper-cases
/// ASCII) into a discarding Writable.
pub(crate) fn w3_bytes(total: u64) -> Outcome {
    let chunks = total / W3_CHUNK as u64;
    let end: End = Rc::default();
    let bytes = Rc::new(Cell::new(0u64));
    let last = Rc::new(Cell::new(0u8));
    let (e, b, l) = (end.clone(), bytes.clone(), last.clone());
    let start = streams::run(async move {
        let start = Instant::now();
        let chunk = Bytes::from(crate::workloads::w3_chunk());
        let mut i = 0u64;
        let source = Readable::<Bytes>::builder()
            .read(move |this, _| loop {
                if i == chunks {
                    this.push(None);
                    return;
                }
                i += 1;
                if !this.push(chunk.clone()) {
                    return;
                }
            })
            .build();
        let pass = || {
            Transform::<Bytes, Bytes>::builder()
                .transform(|_, c, _, cb| cb.call(Ok(Some(c))))
                .build()
        };
        let upper = Transform::<Bytes, Bytes>::builder()
            .transform(|_, c, _, cb| cb.call(Ok(Some(upper_ascii(&c)))))
            .build();
        let sink = Writable::<Bytes>::builder()
            .write(move |_, c, _, cb| {
                b.set(b.get() + c.len() as u64);
                l.set(c[0]);
                cb.call(Ok(()));
            })
            .build();
        pipeline((source, pass(), upper, pass(), sink), move |res| {
            if res.is_ok() {
                e.set(Some(Instant::now()));
            }
        });
        start
    });
    if bytes.get() != chunks * W3_CHUNK as u64 || (chunks > 0 && last.get() != b'A') {
        return Err(format!("bad output: {} bytes", bytes.get()));
    }
    outcome(bytes.get(), start, &end)
}

/// W4 / W4p: the `socket.pipe(socket)` echo server, as Node's. Prints
/// `{"port": P}` once listening and serves until stdin closes.
pub(crate) fn w4_echo_server() -> Result<(), String> {
    use streams::net::{create_server, events::Listening, ServerOptions};
    streams::run(async {
        let server = create_server(ServerOptions::new().no_delay(true), |socket| {
            socket.on(streams::events::Error, |_: &streams::StreamError| {});
            socket.pipe(socket);
        });
        let s = server.clone();
        server.on(Listening, move |_| {
            if let Some(addr) = s.address() {
                crate::print_port(addr.port());
            }
        });
        server.listen(0, "127.0.0.1");
        crate::exit_when_stdin_closes();
        // Serve until the harness closes stdin (which exits the process).
        std::future::pending::<()>().await;
    });
    Ok(())
}

/// Whether [`w4_echo_server`] exists: streams-net is built.
pub(crate) const NET_BUILT: bool = true;

/// The W5 / N3 writer loop: write until `write()` returns `false`, resume
/// on `'drain'`, as Node's `while (k++ < n && s.write(b));` loop does.
struct Pump {
    sink: Writable<Bytes>,
    chunk: Bytes,
    left: Cell<u64>,
    /// Call `end()` when every write is issued (W5), or just stop (N3).
    end: bool,
    done: End,
}

impl Pump {
    fn run(self: &Rc<Self>) {
        while self.left.get() > 0 {
            self.left.set(self.left.get() - 1);
            if !self.sink.write(self.chunk.clone()) {
                let me = self.clone();
                self.sink.once(Drain, move |_| me.run());
                return;
            }
        }
        if self.end {
            self.sink.end(None);
        } else {
            self.done.set(Some(Instant::now()));
        }
    }
}

/// W5: 100-byte writes into a Writable (hwm 16 KiB) whose writes complete
/// on a later turn of the loop (`set_immediate`), with `writev`.
pub(crate) fn w5_small_writes(n: u64) -> Outcome {
    let end: End = Rc::default();
    let written = Rc::new(Cell::new(0u64));
    let (e, w1, w2) = (end.clone(), written.clone(), written.clone());
    let start = streams::run(async move {
        let start = Instant::now();
        let sink = Writable::<Bytes>::builder()
            .high_water_mark(16 * 1024)
            .write(move |_, _, _, cb| {
                w1.set(w1.get() + 1);
                streams::set_immediate(move || cb.call(Ok(())));
            })
            .writev(move |_, chunks, cb| {
                w2.set(w2.get() + chunks.len() as u64);
                streams::set_immediate(move || cb.call(Ok(())));
            })
            .build();
        sink.on(Finish, move |_| e.set(Some(Instant::now())));
        let pump = Rc::new(Pump {
            sink,
            chunk: Bytes::from_static(&[b'x'; 100]),
            left: Cell::new(n),
            end: true,
            done: Rc::default(),
        });
        pump.run();
        start
    });
    if written.get() != n {
        return Err(format!("wrote {} of {n}", written.get()));
    }
    outcome(n, start, &end)
}

/// N1: Node's `benchmark/streams/pipe.js`.
pub(crate) fn n1_pipe(n: u64) -> Outcome {
    let end: End = Rc::default();
    let e = end.clone();
    let start = streams::run(async move {
        // Node pushes one Buffer by reference; a static `Bytes` clones as
        // a pointer copy too (a shared one would add an atomic increment
        // per push and a decrement per write: a third of the time here).
        let b = Bytes::from_static(&[0u8; 1024]);
        let mut i = 0u64;
        let r = Readable::<Bytes>::builder()
            .read(move |this, _| {
                let last = i == n;
                i += 1;
                this.push(if last { None } else { Some(b.clone()) });
            })
            .build();
        let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let start = Instant::now();
        r.pipe(&w);
        w.on(Finish, move |_| e.set(Some(Instant::now())));
        start
    });
    outcome(n, start, &end)
}

/// The object of N2: Node pushes one shared `{}`.
#[derive(Clone, Copy, Debug)]
struct Empty;

/// N2: Node's `benchmark/streams/pipe-object-mode.js`.
pub(crate) fn n2_pipe_object_mode(n: u64) -> Outcome {
    let end: End = Rc::default();
    let e = end.clone();
    let start = streams::run(async move {
        let mut i = 0u64;
        let r = Readable::<Empty>::object_builder()
            .read(move |this, _| {
                let last = i == n;
                i += 1;
                this.push(if last { None } else { Some(Empty) });
            })
            .build();
        let w = Writable::<Empty>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let start = Instant::now();
        r.pipe(&w);
        w.on(Finish, move |_| e.set(Some(Instant::now())));
        start
    });
    outcome(n, start, &end)
}

/// N3: Node's `benchmark/streams/writable-manywrites.js` (writev no,
/// callback no, len 1024): the write calls back synchronously, or on the
/// next tick.
pub(crate) fn n3_manywrites(n: u64, sync: bool) -> Outcome {
    let end: End = Rc::default();
    let e = end.clone();
    let start = streams::run(async move {
        let builder = Writable::<Bytes>::builder().high_water_mark(16 * 1024);
        let sink = if sync {
            builder.write(|_, _, _, cb| cb.call(Ok(()))).build()
        } else {
            // Node's `process.nextTick(cb)`: the callback itself is queued.
            builder.write(|_, _, _, cb| cb.call_next_tick(Ok(()))).build()
        };
        let pump = Rc::new(Pump {
            sink,
            // One buffer written by reference, as Node's `b` (see N1).
            chunk: Bytes::from_static(&[0u8; 1024]),
            left: Cell::new(n),
            end: false,
            done: e,
        });
        let start = Instant::now();
        pump.run();
        start
    });
    outcome(n, start, &end)
}
