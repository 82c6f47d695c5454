//! The `transform-*` and `passthrough-*` scenarios.

use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::{events, run, set_immediate, PassThrough, StreamError, Transform};

use crate::support::assert_trace;
use crate::support::{b, log, show, Trace};

/// The encoding a hook receives, as Node prints it (`None` is `'buffer'`).
fn enc(encoding: Option<Encoding>) -> String {
    encoding.map_or_else(|| "buffer".to_string(), |e| e.to_string())
}

/// `e ? e.code || e.message : e`.
fn e2s(result: &Result<(), StreamError>) -> String {
    match result {
        Ok(()) => "null".to_string(),
        Err(e) => e.code().unwrap_or(e.message()).to_string(),
    }
}

fn text(chunk: &Bytes) -> String {
    show(Some(chunk.clone()))
}

#[test]
fn transform_push_twice() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tx = t.clone();
        let tr = Transform::<Bytes, Bytes>::builder()
            .transform(move |this, chunk, encoding, cb| {
                let s = text(&chunk);
                log!(tx, "_transform {s} {}", enc(encoding));
                this.push(Bytes::from(s.clone()));
                this.push(Bytes::from(s.to_uppercase()));
                cb.call(Ok(None));
            })
            .build();
        let t1 = t.clone();
        tr.on(events::Data, move |c: &Bytes| log!(t1, "data {}", text(c)));
        let t2 = t.clone();
        tr.on(events::End, move |_| t2.log("end"));
        let t3 = t.clone();
        tr.write_with(b("a"), move |_| t3.log("cb a"));
        let t4 = t.clone();
        tr.write_with(b("b"), move |_| t4.log("cb b"));
        tr.end(None);
    });
    assert_trace("transform-push-twice", &t);
}

#[test]
fn transform_flush() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let total = Rc::new(Cell::new(0usize));
        let (tx, total_x) = (t.clone(), total.clone());
        let tf = t.clone();
        let tr = Transform::<Bytes, Bytes>::builder()
            .transform(move |_, chunk, _, cb| {
                log!(tx, "_transform {}", text(&chunk));
                total_x.set(total_x.get() + chunk.len());
                cb.call(Ok(Some(chunk)));
            })
            .flush(move |this, cb| {
                log!(tf, "_flush total {}", total.get());
                this.push(Bytes::from(format!("[total={}]", total.get())));
                cb.call(Ok(Some(b("[bye]"))));
            })
            .build();
        let t1 = t.clone();
        tr.on(events::Data, move |c: &Bytes| log!(t1, "data {}", text(c)));
        let t2 = t.clone();
        tr.on(events::Prefinish, move |_| t2.log("prefinish"));
        let t3 = t.clone();
        tr.on(events::Finish, move |_| t3.log("finish"));
        let t4 = t.clone();
        tr.on(events::End, move |_| t4.log("end"));
        let t5 = t.clone();
        tr.on(events::Close, move |_| t5.log("close"));
        tr.write_str("ab", None);
        tr.end_str("cde", None);
    });
    assert_trace("transform-flush", &t);
}

#[test]
fn transform_finish_end_order() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tr = Transform::<Bytes, Bytes>::builder()
            .transform(|_, chunk, _, cb| {
                cb.call(Ok(Some(Bytes::from(text(&chunk).to_uppercase()))))
            })
            .build();
        let (t1, r1) = (t.clone(), tr.clone());
        tr.on(events::Finish, move |_| {
            log!(
                t1,
                "finish readableLength {} readableEnded {}",
                r1.readable_length(),
                r1.readable_ended()
            )
        });
        let (t2, r2) = (t.clone(), tr.clone());
        tr.on(events::End, move |_| log!(t2, "end writableFinished {}", r2.writable_finished()));
        let t3 = t.clone();
        tr.on(events::Close, move |_| t3.log("close"));
        tr.write_str("a", None);
        tr.end_str("b", None);
        set_immediate(move || {
            log!(
                t,
                "immediate readableLength {} writableFinished {} readableEnded {}",
                tr.readable_length(),
                tr.writable_finished(),
                tr.readable_ended()
            );
            let t4 = t.clone();
            tr.on(events::Data, move |c: &Bytes| log!(t4, "data {}", text(c)));
        });
    });
    assert_trace("transform-finish-end-order", &t);
}

#[test]
fn transform_error() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tx = t.clone();
        let tr = Transform::<Bytes, Bytes>::builder()
            .transform(move |_, chunk, _, cb| {
                let s = text(&chunk);
                log!(tx, "_transform {s}");
                if s == "bad" {
                    cb.call(Err(StreamError::new("boom")));
                } else {
                    cb.call(Ok(Some(Bytes::from(s))));
                }
            })
            .build();
        let t1 = t.clone();
        tr.on(events::Data, move |c: &Bytes| log!(t1, "data {}", text(c)));
        let (t2, r2) = (t.clone(), tr.clone());
        tr.on(events::Error, move |e: &StreamError| {
            log!(t2, "error {} destroyed {}", e.message(), r2.destroyed())
        });
        let t3 = t.clone();
        tr.on(events::Finish, move |_| t3.log("finish"));
        let t4 = t.clone();
        tr.on(events::End, move |_| t4.log("end"));
        let (t5, r5) = (t.clone(), tr.clone());
        tr.on(events::Close, move |_| {
            log!(
                t5,
                "close readableAborted {} writableFinished {}",
                r5.readable_aborted(),
                r5.writable_finished()
            )
        });
        for s in ["ok", "bad", "more"] {
            let ts = t.clone();
            tr.write_with(b(s), move |r| log!(ts, "cb {s} {}", e2s(&r)));
        }
    });
    assert_trace("transform-error", &t);
}

/// The values the object PassThrough carries: `{ x: 1 }` and `7`, printed
/// as `JSON.stringify` prints them.
#[derive(Debug, Clone)]
enum Js {
    X(i64),
    Num(i64),
}

impl Js {
    fn json(&self) -> String {
        match self {
            Js::X(x) => format!("{{\"x\":{x}}}"),
            Js::Num(n) => n.to_string(),
        }
    }
}

/// `Buffer.isBuffer(c) ? 'buffer' : typeof c` for a byte stream's chunk:
/// the type says it is a Buffer.
fn js_kind(_: &Bytes) -> &'static str {
    "buffer"
}

#[test]
fn passthrough_basic() {
    fn bytes(t: &Trace, next: impl Fn() + 'static) {
        let p = PassThrough::new();
        let t1 = t.clone();
        p.on(events::Data, move |c: &Bytes| log!(t1, "bytes data {} {}", js_kind(c), text(c)));
        let t2 = t.clone();
        p.on(events::Finish, move |_| t2.log("bytes finish"));
        let t3 = t.clone();
        p.on(events::End, move |_| t3.log("bytes end"));
        let t4 = t.clone();
        p.on(events::Close, move |_| {
            t4.log("bytes close");
            next();
        });
        p.write_str("a", None);
        p.write(b("b"));
        p.end_str("c", None);
    }
    fn objects(t: &Trace) {
        let p = PassThrough::object::<Js>();
        p.write(Js::X(1));
        p.write(Js::Num(7));
        p.end(None);
        log!(t, "objects readableLength {}", p.readable_length());
        let json = |v: Option<Js>| v.map_or_else(|| "null".to_string(), |v| v.json());
        log!(t, "objects read() -> {}", json(p.read(None)));
        log!(t, "objects read() -> {}", json(p.read(None)));
        log!(t, "objects read() -> {}", json(p.read(None)));
        let t1 = t.clone();
        p.on(events::End, move |_| t1.log("objects end"));
        let t2 = t.clone();
        p.on(events::Close, move |_| t2.log("objects close"));
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tn = t.clone();
        bytes(&t, move || objects(&tn));
    });
    assert_trace("passthrough-basic", &t);
}

#[test]
fn transform_hwm_zero() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let base = || {
            Transform::<Bytes, Bytes>::builder()
                .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
        };
        let cases = [
            ("highWaterMark 0", base().high_water_mark(0)),
            ("readableHighWaterMark 0", base().readable_high_water_mark(0)),
            (
                "highWaterMark 0 + writableHighWaterMark 5",
                base().high_water_mark(0).writable_high_water_mark(5),
            ),
            (
                "highWaterMark 0 + readableHighWaterMark 5",
                base().high_water_mark(0).readable_high_water_mark(5),
            ),
            (
                "highWaterMark 5 + readableHighWaterMark 0",
                base().high_water_mark(5).readable_high_water_mark(0),
            ),
            (
                "readableHighWaterMark 0 + writableHighWaterMark 3",
                base().readable_high_water_mark(0).writable_high_water_mark(3),
            ),
        ];
        for (name, builder) in cases {
            let tr = builder.build();
            let writes: Vec<String> =
                ["ab", "cd", "ef"].iter().map(|s| tr.write_str(s, None).to_string()).collect();
            log!(
                t,
                "{name} -> {} {} writes {} readableLength {} writableLength {}",
                tr.readable_high_water_mark(),
                tr.writable_high_water_mark(),
                writes.join(","),
                tr.readable_length(),
                tr.writable_length()
            );
        }
    });
    assert_trace("transform-hwm-zero", &t);
}
