//! Micro-benches of the hot paths, so that a regression in the
//! side-by-side numbers (`cargo bench --bench vs_node`) shows where it is:
//!
//! - `readable`: `push` then `read` of one chunk (bytes and objects), the
//!   paused-mode round trip every source pays;
//! - `writable`: `write` with a synchronous callback, and with `writev`
//!   batching behind a pending write;
//! - `events`: `emit` to one and to three listeners;
//! - `buffer_list`: consuming the readable buffer whole, across chunks
//!   (a copy) and within one chunk (a slice);
//! - `flow`: one chunk through `pipe` (Readable -> Writable) and through a
//!   pass-through Transform, per chunk.
//!
//! ```sh
//! cargo bench --bench core            # all
//! cargo bench --bench core -- events  # one group
//! ```
//!
//! Each measurement runs inside one event loop ([`streams::run`]), and
//! drains the tick queue as a loop turn would, so ticks queued by the
//! code under test are paid for where they are queued.

// `criterion_group!` makes an undocumented public function.
#![allow(missing_docs)]

use std::cell::Cell;
use std::hint::black_box;
use std::rc::Rc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use streams::events::{Data, EventEmitter};
use streams::{Readable, Transform, Writable};

/// Chunks per batch in the flow benches (the loop turn drains after each).
const BATCH: u64 = 1024;

/// Runs `body(iters)` inside a fresh event loop and times only it.
fn in_loop(iters: u64, body: impl FnOnce(u64) + 'static) -> Duration {
    streams::run(async move {
        let start = Instant::now();
        body(iters);
        streams::drain_ticks();
        start.elapsed()
    })
}

fn readable(c: &mut Criterion) {
    let mut g = c.benchmark_group("readable");
    g.throughput(Throughput::Elements(1));
    g.bench_function("push_read_bytes", |b| {
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let r = Readable::<Bytes>::builder().read(|_, _| {}).build();
                let chunk = Bytes::from_static(&[7u8; 1024]);
                for _ in 0..iters {
                    r.push(chunk.clone());
                    black_box(r.read(None));
                    streams::drain_ticks();
                }
            })
        })
    });
    g.bench_function("push_read_object", |b| {
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let r = Readable::<u64>::object_builder().read(|_, _| {}).build();
                for i in 0..iters {
                    r.push(i);
                    black_box(r.read(None));
                    streams::drain_ticks();
                }
            })
        })
    });
    g.finish();
}

fn writable(c: &mut Criterion) {
    let mut g = c.benchmark_group("writable");
    g.throughput(Throughput::Elements(1));
    g.bench_function("write_sync_callback", |b| {
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
                let chunk = Bytes::from_static(&[7u8; 1024]);
                for _ in 0..iters {
                    black_box(w.write(chunk.clone()));
                    streams::drain_ticks();
                }
            })
        })
    });
    g.bench_function("write_next_tick_callback", |b| {
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let w = Writable::<Bytes>::builder()
                    .high_water_mark(usize::MAX)
                    .write(|_, _, _, cb| streams::next_tick(move || cb.call(Ok(()))))
                    .build();
                let chunk = Bytes::from_static(&[7u8; 1024]);
                for _ in 0..iters {
                    black_box(w.write(chunk.clone()));
                    streams::drain_ticks();
                }
            })
        })
    });
    g.bench_function("write_buffered_writev_100", |b| {
        // 100 writes queue behind a pending one, then one writev takes them.
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let pending = Rc::new(Cell::new(None));
                let (p1, p2) = (pending.clone(), pending.clone());
                let w = Writable::<Bytes>::builder()
                    .high_water_mark(usize::MAX)
                    .write(move |_, _, _, cb| p1.set(Some(cb)))
                    .writev(move |_, chunks, cb| {
                        black_box(chunks.len());
                        p2.set(Some(cb));
                    })
                    .build();
                let chunk = Bytes::from_static(&[7u8; 100]);
                for _ in 0..iters.div_ceil(100) {
                    for _ in 0..100 {
                        black_box(w.write(chunk.clone()));
                    }
                    if let Some(cb) = pending.take() {
                        cb.call(Ok(()));
                    }
                    streams::drain_ticks();
                }
            })
        })
    });
    g.finish();
}

fn events(c: &mut Criterion) {
    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Elements(1));
    for listeners in [1usize, 3] {
        g.bench_with_input(BenchmarkId::new("emit_data", listeners), &listeners, |b, &n| {
            let emitter = EventEmitter::<u64>::new();
            let sum = Rc::new(Cell::new(0u64));
            for _ in 0..n {
                let s = sum.clone();
                emitter.on(Data, move |v: &u64| s.set(s.get().wrapping_add(*v)));
            }
            let mut i = 0u64;
            b.iter(|| {
                i += 1;
                black_box(emitter.emit(Data, &i))
            });
        });
    }
    g.finish();
}

fn buffer_list(c: &mut Criterion) {
    let mut g = c.benchmark_group("buffer_list");
    // 16 chunks of 1 KiB buffered, then consumed.
    g.throughput(Throughput::Bytes(16 * 1024));
    let reads: [(&str, Option<usize>); 3] =
        [("whole", None), ("across_chunks_4k", Some(4096)), ("within_chunk_512", Some(512))];
    for (name, size) in reads {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                in_loop(iters, move |iters| {
                    let r = Readable::<Bytes>::builder()
                        .high_water_mark(1 << 20)
                        .read(|_, _| {})
                        .build();
                    let chunk = Bytes::from_static(&[7u8; 1024]);
                    for _ in 0..iters {
                        for _ in 0..16 {
                            r.push(chunk.clone());
                        }
                        while let Some(got) = r.read(size) {
                            black_box(got);
                        }
                        streams::drain_ticks();
                    }
                })
            })
        });
    }
    g.finish();
}

fn flow(c: &mut Criterion) {
    let mut g = c.benchmark_group("flow");
    g.throughput(Throughput::Elements(BATCH));
    g.bench_function("pipe_bytes_1k", |b| {
        // A whole pipe per batch, so setup and teardown are a small share.
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                for _ in 0..iters {
                    let mut i = 0u64;
                    let chunk = Bytes::from_static(&[7u8; 1024]);
                    let r = Readable::<Bytes>::builder()
                        .read(move |this, _| {
                            i += 1;
                            this.push(if i > BATCH { None } else { Some(chunk.clone()) });
                        })
                        .build();
                    let w =
                        Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
                    r.pipe(&w);
                    streams::drain_ticks();
                }
            })
        })
    });
    g.bench_function("transform_passthrough_object", |b| {
        b.iter_custom(|iters| {
            in_loop(iters, |iters| {
                let t = Transform::<u64, u64>::object_builder()
                    .high_water_mark(usize::MAX)
                    .transform(|_, v, _, cb| cb.call(Ok(Some(v))))
                    .build();
                for _ in 0..iters {
                    for v in 0..BATCH {
                        t.write(v);
                        black_box(t.read(None));
                    }
                    streams::drain_ticks();
                }
            })
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = readable, writable, events, buffer_list, flow
}
criterion_main!(benches);
