//! Cancellation: every future of the async face dropped at every await
//! point. Nothing panics, nothing leaks (what a stream owns is counted when
//! it is dropped), and the stream is left as each `# Cancel safety` section
//! documents: destroyed, or usable.
#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;

use futures::{SinkExt, StreamExt, TryStreamExt};
use streams::{
    events, generate, immediate, promises, Consumer, IterOptions, Readable, Source, StreamError,
    Transform, Writable,
};

/// How many of the tracked values were dropped.
#[derive(Clone, Default)]
struct Drops(Rc<Cell<usize>>);

impl Drops {
    fn track(&self) -> Tracked {
        Tracked(self.clone())
    }

    fn count(&self) -> usize {
        self.0.get()
    }
}

/// A value whose drop is counted: held by a stream (a buffered chunk, a
/// hook's or a body's capture), it tells whether the stream let go.
struct Tracked(Drops);

impl Drop for Tracked {
    fn drop(&mut self) {
        (self.0).0.set((self.0).0.get() + 1);
    }
}

impl std::fmt::Debug for Tracked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tracked")
    }
}

/// How many polls the tests try before dropping: past the end of every
/// future here.
const POLLS: usize = 12;

/// Polls `fut` up to `polls` times, letting the loop turn (one check
/// phase) between polls, then drops it. Returns its output if it finished.
async fn poll_then_drop<F: Future>(fut: F, polls: usize) -> Option<F::Output> {
    let mut fut = pin!(fut);
    for _ in 0..polls {
        if let Poll::Ready(out) = poll_fn(|cx| Poll::Ready(fut.as_mut().poll(cx))).await {
            return Some(out);
        }
        immediate().await;
    }
    None
}

/// Lets the loop settle: a few check phases.
async fn settle() {
    for _ in 0..4 {
        immediate().await;
    }
}

/// A source of `n` chunks, one per check phase, whose body holds a tracked
/// value.
fn slow_source(n: u32, drops: &Drops) -> Readable<u32> {
    let held = drops.track();
    Readable::from_fn(move |out| async move {
        let _held = held;
        for i in 0..n {
            immediate().await;
            out.send(i).await;
        }
        Ok(())
    })
}

#[test]
fn iterating_handle_dropped_at_every_point_destroys_the_stream() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let source = slow_source(5, &d);
            let mut reader = source.clone();
            let all = async move {
                let mut got = Vec::new();
                while let Some(chunk) = reader.next().await {
                    got.push(chunk.unwrap());
                }
                got
            };
            let done = poll_then_drop(all, polls).await;
            settle().await;
            match done {
                // Read to the end: ended, then auto-destroyed.
                Some(got) => {
                    assert_eq!(got, [0, 1, 2, 3, 4]);
                    assert!(source.readable_ended());
                }
                // Dropped before the end (or never polled: nothing to undo).
                None if polls == 0 => assert!(!source.destroyed()),
                // Dropped mid-way: destroyed, with ABORT_ERR unless the
                // source had pushed its end already (Node's `isFinished`).
                None => {
                    assert!(source.destroyed(), "polls {polls}");
                    let code = source.errored().and_then(|e| e.code().map(str::to_owned));
                    assert!(matches!(code.as_deref(), Some("ABORT_ERR") | None), "{code:?}");
                }
            }
            source.destroy(None);
            settle().await;
            assert_eq!(streams::live_tasks(), 0);
        });
        assert_eq!(drops.count(), 1, "the generator's body was dropped (polls {polls})");
    }
}

#[test]
fn next_dropped_at_every_point_loses_no_chunk() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let mut source = slow_source(4, &d);
            let first = poll_then_drop(source.next(), polls).await;
            // The handle still iterates: nothing was lost.
            let mut got: Vec<u32> = first.into_iter().flatten().map(Result::unwrap).collect();
            while let Some(chunk) = source.next().await {
                got.push(chunk.unwrap());
            }
            assert_eq!(got, [0, 1, 2, 3]);
        });
        assert_eq!(drops.count(), 1);
    }
}

#[test]
fn iter_without_destroy_on_return_leaves_the_stream_usable() {
    for polls in 0..POLLS {
        streams::run(async move {
            let drops = Drops::default();
            let source = slow_source(3, &drops);
            let mut it = source.iter(IterOptions { destroy_on_return: false });
            let got = Rc::new(RefCell::new(Vec::new()));
            let g = got.clone();
            let all = async move {
                while let Some(chunk) = it.next().await {
                    g.borrow_mut().push(chunk.unwrap());
                }
            };
            let _ = poll_then_drop(all, polls).await;
            assert!(!source.destroyed() || source.readable_ended());
            let rest: Vec<u32> = source.clone().try_collect().await.unwrap();
            got.borrow_mut().extend(rest);
            assert_eq!(*got.borrow(), [0, 1, 2]);
        });
    }
}

#[test]
fn buffered_chunks_are_freed_with_a_dropped_stream() {
    let drops = Drops::default();
    let d = drops.clone();
    streams::run(async move {
        let r = Readable::<Tracked>::object_builder().read(|_, _| {}).build();
        r.push(d.track());
        r.push(d.track());
        let mut reader = r.clone();
        let first = reader.next().await;
        drop(first);
        drop(reader); // destroys: ABORT_ERR
        settle().await;
        assert!(r.destroyed());
        assert_eq!(d.count(), 1);
    });
    // The stream itself is gone, with the chunk it still buffered.
    assert_eq!(drops.count(), 2);
}

#[test]
fn write_async_dropped_at_every_point() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let written = Rc::new(RefCell::new(Vec::new()));
        let (d, out) = (drops.clone(), written.clone());
        streams::run(async move {
            let held = d.track();
            let w = Writable::<u32>::object_builder()
                .high_water_mark(1)
                .write_async(move |_, n, _| {
                    let (out, _held) = (out.clone(), &held);
                    async move {
                        immediate().await;
                        out.borrow_mut().push(n);
                        Ok(())
                    }
                })
                .build();
            // Fill the buffer: the next write_async waits for room.
            w.write(0);
            let result = poll_then_drop(w.write_async(1), polls).await;
            if let Some(result) = result {
                result.unwrap();
            }
            w.end_async(None).await.unwrap();
            assert!(w.writable_finished());
            settle().await;
            assert_eq!(streams::live_tasks(), 0);
        });
        let written = written.borrow();
        // Dropped while waiting for room: not written. Later: written.
        assert!(*written == [0] || *written == [0, 1], "polls {polls}: {written:?}");
        assert_eq!(drops.count(), 1, "the hook was released (polls {polls})");
    }
}

#[test]
fn sink_send_and_close_dropped_at_every_point() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let held = d.track();
            let mut w = Writable::<Tracked>::object_builder()
                .high_water_mark(2)
                .write_async(move |_, item, _| {
                    let _held = &held;
                    async move {
                        immediate().await;
                        drop(item);
                        Ok(())
                    }
                })
                .build();
            let tracked: Vec<Tracked> = (0..4).map(|_| d.track()).collect();
            let mut items = futures::stream::iter(tracked).map(Ok);
            let sent = poll_then_drop(w.send_all(&mut items), polls).await;
            if let Some(sent) = sent {
                sent.unwrap();
            }
            if poll_then_drop(w.close(), polls).await.is_none() {
                // Polled once, the end was asked for and goes on without
                // the future; closing again waits for it.
                assert_eq!(w.writable_ended(), polls > 0);
                w.close().await.unwrap();
            }
            assert!(w.writable_finished());
            drop(items);
            settle().await;
            assert_eq!(streams::live_tasks(), 0);
        });
        // 4 items (written, dropped unsent, or never taken) and the hook.
        assert_eq!(drops.count(), 5, "polls {polls}");
    }
}

#[test]
fn end_async_dropped_still_ends() {
    for polls in 0..POLLS {
        streams::run(async move {
            let w = Writable::<u8>::object_builder()
                .final_async(|_| async {
                    immediate().await;
                    Ok(())
                })
                .write_async(|_, _, _| async { Ok(()) })
                .build();
            let finished = Rc::new(Cell::new(false));
            let f = finished.clone();
            w.on(events::Finish, move |_| f.set(true));
            let _ = poll_then_drop(w.end_async(7), polls).await;
            settle().await;
            assert!(finished.get());
            assert!(w.destroyed());
        });
    }
}

#[test]
fn pending_write_future_runs_to_completion_after_destroy() {
    let drops = Drops::default();
    let d = drops.clone();
    let completed = Rc::new(Cell::new(false));
    let c = completed.clone();
    streams::run(async move {
        let held = d.track();
        let w = Writable::<u8>::object_builder()
            .write_async(move |_, _, _| {
                let (c, _held) = (c.clone(), &held);
                async move {
                    immediate().await;
                    immediate().await;
                    c.set(true);
                    Ok(())
                }
            })
            .build();
        w.write(1);
        w.destroy(None);
        drop(w);
    });
    // `run` waited for the pending write, as Node waits for an open handle.
    assert!(completed.get());
    assert_eq!(drops.count(), 1);
}

#[test]
fn stage_destroyed_at_every_point_drops_its_body() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let held = d.track();
            let stage = Transform::from_fn(move |mut source: Source<u32>, out| async move {
                let _held = held;
                while let Some(n) = source.try_next().await? {
                    immediate().await;
                    out.send(n * 2).await;
                }
                Ok(())
            });
            let mut input = stage.clone();
            let feed = async move {
                for n in 0..3 {
                    input.send(n).await.unwrap();
                }
                input.close().await.unwrap();
            };
            let reader = streams::spawn(stage.clone().map(|r| r.ok()).collect::<Vec<_>>());
            let fed = poll_then_drop(feed, polls).await;
            if fed.is_none() {
                stage.destroy(Some(StreamError::new("stop")));
            }
            let got = reader.await.unwrap();
            settle().await;
            assert!(stage.destroyed());
            if fed.is_some() {
                assert_eq!(got, [Some(0), Some(2), Some(4)]);
            }
            assert_eq!(streams::live_tasks(), 0);
        });
        assert_eq!(drops.count(), 1, "the stage's body was dropped (polls {polls})");
    }
}

#[test]
fn consumer_destroyed_drops_its_function() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let held = d.track();
            let sum = Consumer::new(move |source: Source<u32>| async move {
                let _held = held;
                source.try_fold(0, |a, b| async move { Ok(a + b) }).await
            });
            let pipeline = promises::pipeline_value((
                Readable::from_fn(|out| async move {
                    for n in 1..=3 {
                        immediate().await;
                        out.send(n).await;
                    }
                    Ok(())
                }),
                sum.clone(),
            ));
            match poll_then_drop(pipeline, polls).await {
                Some(total) => assert_eq!(total.unwrap(), 6),
                None => {
                    sum.destroy(Some(StreamError::new("cancelled")));
                }
            }
            settle().await;
            assert!(sum.destroyed());
            assert_eq!(streams::live_tasks(), 0);
        });
        assert_eq!(drops.count(), 1, "polls {polls}");
    }
}

#[test]
fn pipeline_future_dropped_the_pipeline_goes_on() {
    for polls in 0..POLLS {
        let written = Rc::new(RefCell::new(Vec::new()));
        let out = written.clone();
        streams::run(async move {
            let sink = Writable::<u32>::object_builder()
                .write_async(move |_, n, _| {
                    let out = out.clone();
                    async move {
                        immediate().await;
                        out.borrow_mut().push(n);
                        Ok(())
                    }
                })
                .build();
            let source = Readable::from_iter(0..5);
            let _ = poll_then_drop(promises::pipeline((source, sink)), polls).await;
        });
        assert_eq!(*written.borrow(), [0, 1, 2, 3, 4], "polls {polls}");
    }
}

#[test]
fn generator_stream_dropped_at_every_point() {
    for polls in 0..POLLS {
        let drops = Drops::default();
        let d = drops.clone();
        streams::run(async move {
            let held = d.track();
            let numbers = generate(move |out| async move {
                let _held = held;
                for n in 0..5u32 {
                    immediate().await;
                    out.send(n).await;
                }
                Ok(())
            });
            let all = numbers.try_collect::<Vec<u32>>();
            if let Some(all) = poll_then_drop(all, polls).await {
                assert_eq!(all.unwrap(), [0, 1, 2, 3, 4]);
            }
        });
        assert_eq!(drops.count(), 1, "polls {polls}");
    }
}

#[test]
fn finished_future_dropped() {
    for polls in 0..POLLS {
        streams::run(async move {
            let r = Readable::from_iter([1, 2, 3]);
            r.resume();
            let _ = poll_then_drop(promises::finished(&r), polls).await;
            settle().await;
            assert!(r.readable_ended());
        });
    }
}
