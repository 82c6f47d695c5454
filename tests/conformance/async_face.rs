//! The scenarios of the async face: `for await` over a Readable,
//! `Readable.from`, and `stream.promises.pipeline` with async-generator
//! stages.

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;

use bytes::Bytes;
use futures::{SinkExt, StreamExt, TryStreamExt};
use streams::{
    events, generate, immediate, promises, run, set_immediate, Consumer, IterOptions, Readable,
    Source, StreamError, Transform, Writable,
};

use crate::support::{assert_trace, b, log, Trace};

#[test]
fn readable_async_iter() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let t1 = t.clone();
        r.on(events::End, move |_| t1.log("end"));
        let t2 = t.clone();
        r.on(events::Close, move |_| t2.log("close"));
        r.push(b("a"));
        r.push(b("b"));
        let r2 = r.clone();
        set_immediate(move || {
            r2.push(b("c"));
            let r3 = r2.clone();
            set_immediate(move || {
                r3.push(b("d"));
                r3.push(None);
            });
        });
        // for await (const chunk of r)
        let mut chunks = r.clone();
        while let Some(chunk) = chunks.next().await {
            let chunk = chunk.expect("no error");
            log!(t, "chunk {}", String::from_utf8_lossy(&chunk));
        }
        log!(t, "loop done destroyed {}", r.destroyed());
    });
    assert_trace("readable-async-iter", &t);
}

/// The JavaScript values the `readable-from-array` script streams.
#[derive(Debug, Clone)]
pub(crate) enum Value {
    Str(&'static str),
    Num(f64),
    /// `{ k: 'v' }`, as its JSON.
    Obj(&'static str),
    Buf(Bytes),
}

/// The script's `fmt(c)`: `buffer <text>`, or `typeof c` and its JSON.
pub(crate) fn fmt(value: &Value) -> String {
    match value {
        Value::Str(s) => format!("string {s:?}"),
        Value::Num(n) => format!("number {n}"),
        Value::Obj(json) => format!("object {json}"),
        Value::Buf(bytes) => format!("buffer {}", String::from_utf8_lossy(bytes)),
    }
}

/// The script's `runOpts`: log the mode and hwm, then every event; `next`
/// runs on 'close'.
fn watch<T: Clone + 'static>(
    t: &Trace,
    name: &'static str,
    r: &Readable<T>,
    show: fn(&T) -> String,
    next: impl Fn() + 'static,
) {
    log!(t, "{name} objectMode {} hwm {}", r.readable_object_mode(), r.readable_high_water_mark());
    let t1 = t.clone();
    r.on(events::Data, move |c: &T| log!(t1, "{name} data {}", show(c)));
    let t2 = t.clone();
    r.on(events::End, move |_| log!(t2, "{name} end"));
    let t3 = t.clone();
    r.on(events::Close, move |_| {
        log!(t3, "{name} close");
        next();
    });
}

fn buffer(chunk: &Bytes) -> String {
    fmt(&Value::Buf(chunk.clone()))
}

#[test]
fn readable_from_array() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        // Readable.from(['a', 'bc', 1, { k: 'v' }])
        let array = Readable::from_iter([
            Value::Str("a"),
            Value::Str("bc"),
            Value::Num(1.0),
            Value::Obj(r#"{"k":"v"}"#),
        ]);
        let t0 = t.clone();
        watch(&t, "array", &array, fmt, move || {
            // Readable.from('abc'): one chunk, not three.
            let string = Readable::from_chunk(Value::Str("abc"));
            let t1 = t0.clone();
            watch(&t0, "string", &string, fmt, move || {
                // Readable.from(Buffer.from('xyz')): one chunk too.
                let buf = Readable::from_chunk(b("xyz"));
                let t2 = t1.clone();
                watch(&t1, "buffer", &buf, buffer, move || {
                    // Readable.from({ *[Symbol.iterator]() { yield 'p'; yield 'q'; } })
                    let iterable = Readable::from_iter(["p", "q"].into_iter().map(Value::Str));
                    let t3 = t2.clone();
                    watch(&t2, "iterable", &iterable, fmt, move || {
                        // Readable.from(['m', 'n'], { objectMode: false })
                        let bytes = Readable::builder().from_iter(["m", "n"].map(b));
                        let t4 = t3.clone();
                        watch(&t3, "objectMode-false", &bytes, buffer, move || t4.log("done"));
                    });
                });
            });
        });
    });
    assert_trace("readable-from-array", &t);
}

#[test]
fn pipeline_promises_asyncgen() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        // Pipeline 1: a generator stage, and a Writable sink.
        let collected = Rc::new(RefCell::new(Vec::new()));
        let (t1, c1) = (t.clone(), collected.clone());
        let sink = Writable::<String>::object_builder()
            .write(move |_, chunk, _, cb| {
                log!(t1, "sink _write string {chunk}");
                c1.borrow_mut().push(chunk);
                cb.call(Ok(()));
            })
            .build();
        let t2 = t.clone();
        sink.on(events::Finish, move |_| t2.log("sink finish"));
        let tg = t.clone();
        // async function* upper(source) { for await (const chunk of source) { ...; yield } }
        let upper = Transform::from_fn(move |mut source: Source<String>, out| async move {
            while let Some(chunk) = source.try_next().await? {
                log!(tg, "gen got {chunk}");
                out.send(chunk.to_uppercase()).await;
            }
            tg.log("gen done");
            Ok(())
        });
        let src = Readable::from_iter(["a", "b", "c"].map(String::from));
        let res = promises::pipeline((src, upper, sink)).await;
        let res = res.map_or_else(|e| e.to_string(), |()| "undefined".to_string());
        log!(t, "pipeline 1 resolved {res} collected {}", collected.borrow().join(","));

        // Pipeline 2: a stream-returning stage, and an async function as
        // the destination, whose value the pipeline resolves with.
        let res2 = promises::pipeline_value((
            Readable::from_iter(["x", "y"].map(String::from)),
            Transform::from_stream_fn(|source| source.map_ok(|c: String| c.repeat(2))),
            Consumer::new(|mut source: Source<String>| async move {
                let mut acc = String::new();
                while let Some(c) = source.try_next().await? {
                    acc += &c;
                }
                Ok(acc)
            }),
        ))
        .await
        .expect("pipeline 2 resolves");
        log!(t, "pipeline 2 resolved {res2}");

        // Pipeline 3: the generator throws.
        let t3 = t.clone();
        let sink3 = Writable::<String>::object_builder()
            .write(move |_, c, _, cb| {
                log!(t3, "sink3 _write {c}");
                cb.call(Ok(()));
            })
            .build();
        let failing = Transform::from_fn(|mut source: Source<String>, out| async move {
            while let Some(c) = source.try_next().await? {
                if c == "2" {
                    return Err(StreamError::new("gen boom"));
                }
                out.send(c).await;
            }
            Ok(())
        });
        let src3 = Readable::from_iter(["1", "2"].map(String::from));
        if let Err(e) = promises::pipeline((src3, failing, sink3)).await {
            log!(t, "pipeline 3 rejected {}", e.message());
        }
    });
    assert_trace("pipeline-promises-asyncgen", &t);
}

#[test]
fn readable_async_iter_return() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        // for await (const c of r1) { ...; break; }
        let r1 = Readable::from_iter(["a", "b", "c"]);
        let t1 = t.clone();
        r1.on(events::Error, move |e: &StreamError| {
            log!(t1, "r1 error {}", e.code().unwrap_or(""))
        });
        let t2 = t.clone();
        r1.on(events::Close, move |_| t2.log("r1 close"));
        let mut it = r1.clone();
        if let Some(c) = it.next().await {
            log!(t, "r1 chunk {}", c.expect("a chunk"));
        }
        drop(it); // break
        log!(t, "r1 after break destroyed {}", r1.destroyed());
        immediate().await;

        // r2.iterator({ destroyOnReturn: false }), then a second loop.
        let r2 = Readable::from_iter(["a", "b", "c"]);
        let t3 = t.clone();
        r2.on(events::End, move |_| t3.log("r2 end"));
        let t4 = t.clone();
        r2.on(events::Close, move |_| t4.log("r2 close"));
        let mut it = r2.iter(IterOptions { destroy_on_return: false });
        if let Some(c) = it.next().await {
            log!(t, "r2 chunk {}", c.expect("a chunk"));
        }
        drop(it);
        log!(t, "r2 after break destroyed {}", r2.destroyed());
        immediate().await;
        let mut rest = r2.clone();
        while let Some(c) = rest.next().await {
            log!(t, "r2 rest {}", c.expect("a chunk"));
        }
        log!(t, "r2 done destroyed {}", r2.destroyed());
        immediate().await;

        // An error while iterating ends the loop with that error.
        let r3: Readable = Readable::builder().read(|_, _| {}).build();
        let t5 = t.clone();
        r3.on(events::Close, move |_| t5.log("r3 close"));
        r3.push(b("x"));
        let r = r3.clone();
        set_immediate(move || {
            r.destroy(Some(StreamError::new("boom")));
        });
        let mut it = r3.clone();
        while let Some(c) = it.next().await {
            match c {
                Ok(c) => log!(t, "r3 chunk {}", String::from_utf8_lossy(&c)),
                Err(e) => {
                    log!(t, "r3 caught {} destroyed {}", e.message(), r3.destroyed());
                    break;
                }
            }
        }
    });
    assert_trace("readable-async-iter-return", &t);
}

/// Node's `pumpToNode` (an async generator piped into a Writable) through
/// the `Sink`: `poll_ready` (backpressure), the generator's next chunk,
/// `start_send`; then `close`.
#[test]
fn pipeline_asyncgen_backpressure() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tg = t.clone();
        let mut numbers = std::pin::pin!(generate(move |out| async move {
            for i in 1..=5 {
                log!(tg, "gen yield {i}");
                out.send(i.to_string()).await;
            }
            tg.log("gen done");
            Ok(())
        }));
        let tw = t.clone();
        let mut w = Writable::<String>::object_builder()
            .high_water_mark(2)
            .write(move |w, chunk, _, cb| {
                log!(tw, "_write {chunk} length {}", w.writable_length());
                let tw = tw.clone();
                set_immediate(move || {
                    log!(tw, "cb {chunk}");
                    cb.call(Ok(()));
                });
            })
            .build();
        let t1 = t.clone();
        w.on(events::Drain, move |_| t1.log("drain"));
        let t2 = t.clone();
        w.on(events::Finish, move |_| t2.log("finish"));
        let t3 = t.clone();
        w.on(events::Close, move |_| t3.log("close"));
        // for await (const chunk of numbers) if (!w.write(chunk)) await drain:
        // room first, then the next chunk. (`send_all` would pull one
        // chunk ahead of the backpressure.)
        loop {
            poll_fn(|cx| w.poll_ready_unpin(cx)).await.expect("room");
            match numbers.next().await {
                Some(chunk) => w.start_send_unpin(chunk.expect("a chunk")).expect("written"),
                None => break,
            }
        }
        w.close().await.expect("finished");
        // Node's pipeline resolves once the Writable closed.
        promises::finished(&w).await.expect("closed");
        t.log("pipeline resolved");
    });
    assert_trace("pipeline-asyncgen-backpressure", &t);
}
