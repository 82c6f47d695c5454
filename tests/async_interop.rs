//! The async face with the futures and tokio-util ecosystems: Readables
//! consumed by `StreamExt` combinators and by a tokio-util codec, a
//! Writable fed by `SinkExt::send_all`, Transforms in async pipelines.
#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;

use bytes::Bytes;
use futures::{stream, SinkExt, StreamExt, TryStreamExt};
use streams::{
    events, immediate, promises, Consumer, NodeStreamExt, PassThrough, Readable, Source,
    StreamError, Transform, Writable,
};
use tokio_util::codec::{FramedRead, LinesCodec};
use tokio_util::io::StreamReader;

/// A byte source that pushes its chunks one per check phase, as I/O would.
fn slow_bytes(chunks: &'static [&'static str]) -> Readable {
    Readable::builder().high_water_mark(8).from_fn(move |out| async move {
        for chunk in chunks {
            immediate().await;
            out.send(Bytes::from_static(chunk.as_bytes())).await;
        }
        Ok(())
    })
}

#[test]
fn readable_through_stream_ext_combinators() {
    let got = streams::run(async {
        Readable::from_iter(1..=10)
            .map_ok(|n| n * 10)
            .try_filter(|n| futures::future::ready(n % 20 == 0))
            .skip(1)
            .take(3)
            .map(Result::unwrap)
            .collect::<Vec<u32>>()
            .await
    });
    assert_eq!(got, [40, 60, 80]);
}

#[test]
fn combinators_stop_early_and_destroy_the_source() {
    streams::run(async {
        let source = Readable::from_iter(1..=1000);
        let (closed, c) = (Rc::new(Cell::new(false)), Rc::new(Cell::new(false)));
        let flag = closed.clone();
        source.on(events::Close, move |_| flag.set(true));
        // Node's `readable.take(2)`: reading stops there and the source is
        // destroyed, as `break` does.
        let first: Vec<u32> = source.clone().take(2).try_collect().await.unwrap();
        assert_eq!(first, [1, 2]);
        assert!(source.destroyed());
        assert_eq!(
            source.errored().and_then(|e| e.code().map(str::to_owned)).as_deref(),
            Some("ABORT_ERR")
        );
        immediate().await;
        assert!(closed.get());
        drop(c);
    });
}

#[test]
fn readable_bytes_through_a_tokio_util_codec() {
    let lines = streams::run(async {
        let source = slow_bytes(&["first li", "ne\nsecond", " line\nthird\n", "last"]);
        // A Readable<Bytes> is a Stream of Result<Bytes, StreamError>:
        // StreamReader makes it an AsyncRead for any codec.
        let reader = StreamReader::new(source.map_err(io::Error::other));
        FramedRead::new(reader, LinesCodec::new())
            .map(|line| line.expect("a line"))
            .collect::<Vec<String>>()
            .await
    });
    assert_eq!(lines, ["first line", "second line", "third", "last"]);
}

#[test]
fn codec_sees_the_stream_error() {
    let result = streams::run(async {
        let source: Readable = Readable::builder().from_fn(|out| async move {
            out.send(Bytes::from("partial\n")).await;
            Err(StreamError::new("disk gone"))
        });
        let reader = StreamReader::new(source.map_err(io::Error::other));
        FramedRead::new(reader, LinesCodec::new()).collect::<Vec<_>>().await
    });
    assert_eq!(result.len(), 2);
    assert_eq!(result[0].as_deref().unwrap(), "partial");
    let err = result[1].as_ref().unwrap_err().to_string();
    assert!(err.contains("disk gone"), "{err}");
}

#[test]
fn writable_fed_by_send_all_respects_backpressure() {
    let written = Rc::new(RefCell::new(Vec::new()));
    let max_length = Rc::new(Cell::new(0));
    let (out, max) = (written.clone(), max_length.clone());
    streams::run(async move {
        let mut sink = Writable::<u32>::object_builder()
            .high_water_mark(4)
            .write_async(move |w, n, _| {
                let (out, max, w) = (out.clone(), max.clone(), w.clone());
                async move {
                    max.set(max.get().max(w.writable_length()));
                    immediate().await;
                    out.borrow_mut().push(n);
                    Ok(())
                }
            })
            .build();
        let drains = Rc::new(Cell::new(0));
        let d = drains.clone();
        sink.on(events::Drain, move |_| d.set(d.get() + 1));
        let mut numbers = stream::iter(0..100).map(Ok);
        sink.send_all(&mut numbers).await.unwrap();
        // send_all flushed: everything was written.
        assert_eq!(sink.writable_length(), 0);
        sink.close().await.unwrap();
        assert!(sink.writable_finished());
        assert!(drains.get() > 0);
    });
    assert_eq!(*written.borrow(), (0..100).collect::<Vec<_>>());
    // Never more than the high-water mark buffered: the producer waited.
    assert!(max_length.get() <= 4, "max length {}", max_length.get());
}

#[test]
fn sink_errors_after_end_and_after_a_failure() {
    streams::run(async {
        let mut w = Writable::<u8>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        w.send(1).await.unwrap();
        w.close().await.unwrap();
        let err = w.send(2).await.unwrap_err();
        assert_eq!(err.code(), Some("ERR_STREAM_WRITE_AFTER_END"));

        let mut failing = Writable::<u8>::object_builder()
            .write_async(|_, n, _| async move {
                immediate().await;
                if n == 3 {
                    Err(StreamError::new("bad chunk"))
                } else {
                    Ok(())
                }
            })
            .build();
        failing.on(events::Error, |_| {});
        let result = failing.send_all(&mut stream::iter(1..10).map(Ok)).await;
        assert_eq!(result.unwrap_err().message(), "bad chunk");
        assert!(failing.destroyed());
    });
}

#[test]
fn write_async_and_end_async() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    streams::run(async move {
        let w = Writable::<&'static str>::object_builder()
            .high_water_mark(1)
            .write(move |_, s, _, cb| {
                l.borrow_mut().push(s);
                streams::set_immediate(move || cb.call(Ok(())));
            })
            .build();
        for s in ["a", "b", "c"] {
            // Resolves when the chunk's callback fires.
            w.write_async(s).await.unwrap();
            assert_eq!(w.writable_length(), 0);
        }
        w.end_async("d").await.unwrap();
        assert!(w.writable_finished());
        let again = w.end_async(None).await.unwrap_err();
        assert_eq!(again.code(), Some("ERR_STREAM_ALREADY_FINISHED"));
    });
    assert_eq!(*log.borrow(), ["a", "b", "c", "d"]);
}

#[test]
fn transform_in_the_middle_of_an_async_pipeline() {
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    streams::run(async move {
        // An async generator source, a callback-face Transform, an
        // async-generator stage, and an async destination.
        let source = Readable::from_fn(|out| async move {
            for word in ["alpha", "beta", "gamma"] {
                immediate().await;
                out.send(word.to_string()).await;
            }
            Ok(())
        });
        let upper = Transform::<String, String>::object_builder()
            .transform(|_, s, _, cb| cb.call(Ok(Some(s.to_uppercase()))))
            .build();
        let numbered = Transform::from_fn(|mut source: Source<String>, out| async move {
            let mut n = 0;
            while let Some(s) = source.try_next().await? {
                n += 1;
                out.send(format!("{n}:{s}")).await;
            }
            Ok(())
        });
        let sink = Writable::<String>::object_builder()
            .write_async(move |_, s, _| {
                let o = o.clone();
                async move {
                    immediate().await;
                    o.borrow_mut().push(s);
                    Ok(())
                }
            })
            .build();
        promises::pipeline((source, upper, numbered, sink)).await.unwrap();
    });
    assert_eq!(*out.borrow(), ["1:ALPHA", "2:BETA", "3:GAMMA"]);
}

#[test]
fn transform_consumed_as_a_stream_and_fed_as_a_sink() {
    let got = streams::run(async {
        let t = Transform::<u32, u32>::object_builder()
            .transform_async(|_, n, _| async move {
                immediate().await;
                Ok(Some(n * n))
            })
            .build();
        // Feed the writable side from one task, read the readable side in
        // this one: a Transform is both a Sink and a Stream.
        let mut input = t.clone();
        let feeder = streams::spawn(async move {
            input.send_all(&mut stream::iter(1..=5).map(Ok)).await.unwrap();
            input.close().await.unwrap();
        });
        let squares: Vec<u32> = t.try_collect().await.unwrap();
        feeder.await.unwrap();
        squares
    });
    assert_eq!(got, [1, 4, 9, 16, 25]);
}

#[test]
fn split_a_passthrough_into_sink_and_stream() {
    let got = streams::run(async {
        let (mut tx, rx) = PassThrough::object::<String>().split();
        let reader = streams::spawn(rx.map(Result::unwrap).collect::<Vec<_>>());
        for s in ["x", "y", "z"] {
            tx.send(s.to_string()).await.unwrap();
        }
        tx.close().await.unwrap();
        reader.await.unwrap()
    });
    assert_eq!(got, ["x", "y", "z"]);
}

#[test]
fn node_operators() {
    streams::run(async {
        // map({ concurrency }) keeps the order.
        let mapped: Vec<u32> = Readable::from_iter([30u64, 10, 20])
            .map_ok(|ms| async move {
                tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                Ok(ms as u32)
            })
            .try_buffered(3)
            .into_readable()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(mapped, [30, 10, 20]);

        let kept: Vec<u32> = Readable::from_iter(1..=6)
            .filter_concurrent(3, |n| {
                let n = *n;
                async move {
                    immediate().await;
                    Ok(n % 3 != 0)
                }
            })
            .try_collect()
            .await
            .unwrap();
        assert_eq!(kept, [1, 2, 4, 5]);

        // flatMap
        let flat: Vec<u32> = Readable::from_iter([1u32, 2])
            .map_ok(|n| stream::iter([n, n * 10]).map(Ok))
            .try_flatten()
            .into_readable()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(flat, [1, 10, 2, 20]);

        // forEach, toArray, reduce, some, find, every
        let seen = Rc::new(Cell::new(0));
        let s = seen.clone();
        Readable::from_iter(1..=4)
            .try_for_each(|n| {
                s.set(s.get() + n);
                futures::future::ready(Ok(()))
            })
            .await
            .unwrap();
        assert_eq!(seen.get(), 10);
        let all: Vec<u32> = Readable::from_iter(1..=3).try_collect().await.unwrap();
        assert_eq!(all, [1, 2, 3]);
        let sum = Readable::from_iter(1..=4).reduce(|a, b| async move { Ok(a + b) }).await;
        assert_eq!(sum.unwrap(), Some(10));
        let init = Readable::from_iter(1..=4).try_fold(100, |a, b| async move { Ok(a + b) }).await;
        assert_eq!(init.unwrap(), 110);
        let some =
            Readable::from_iter(1..=4).try_any(|n| futures::future::ready(n > 3)).await.unwrap();
        assert!(some);
        let every =
            Readable::from_iter(1..=4).try_all(|n| futures::future::ready(n > 3)).await.unwrap();
        assert!(!every);
        let found = Readable::from_iter(1..=4)
            .find(|n| {
                let n = *n;
                async move { Ok(n % 2 == 0) }
            })
            .await
            .unwrap();
        assert_eq!(found, Some(2));
    });
}

#[test]
fn consumer_value_and_early_return() {
    streams::run(async {
        let total = promises::pipeline_value((
            Readable::from_iter(1..=4u32),
            Consumer::new(|source: Source<u32>| {
                source.try_fold(0, |a, b| async move { Ok(a + b) })
            }),
        ))
        .await
        .unwrap();
        assert_eq!(total, 10);

        // Returning before the input ended keeps the value and destroys
        // the rest, as Node's pipeline does.
        let source = Readable::from_iter(1..=1_000_000u32);
        let first_two = promises::pipeline_value((
            source.clone(),
            Consumer::new(|source: Source<u32>| async move {
                let got: Vec<u32> = source.take(2).try_collect().await?;
                Ok(got)
            }),
        ))
        .await
        .unwrap();
        assert_eq!(first_two, [1, 2]);
        assert!(source.destroyed());

        let failed = promises::pipeline_value((
            Readable::from_iter(1..=3u32),
            Consumer::new(|_: Source<u32>| async { Err::<(), _>(StreamError::new("nope")) }),
        ))
        .await
        .unwrap_err();
        assert_eq!(failed.message(), "nope");
    });
}
