//! The `readable-*` scenarios.

use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::{events, next_tick, queue_microtask, run, set_immediate, Readable, StreamError};

use crate::support::{assert_trace, b, js_flowing, log, show, Trace};

/// `new Readable({ read() {} })`: a source that pushes from outside.
fn manual() -> Readable {
    Readable::builder().read(|_, _| {}).build()
}

fn manual_hwm(hwm: usize) -> Readable {
    Readable::builder().high_water_mark(hwm).read(|_, _| {}).build()
}

#[test]
fn readable_paused_default() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        log!(t, "flowing {}", js_flowing(r.readable_flowing()));
        log!(t, "isPaused {}", r.is_paused());
        r.push(b("a"));
        r.push(b("b"));
        log!(t, "length {}", r.readable_length());
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t1, "data {}", show(Some(c.clone()))));
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        let t3 = t.clone();
        r.on(events::Close, move |_| t3.log("close"));
        log!(t, "flowing {}", js_flowing(r.readable_flowing()));
        log!(t, "isPaused {}", r.is_paused());
        log!(t, "sync-after-on-data length {}", r.readable_length());
        let (t4, r4) = (t.clone(), r.clone());
        next_tick(move || log!(t4, "nextTick length {}", r4.readable_length()));
        let (t5, r5) = (t.clone(), r.clone());
        set_immediate(move || {
            t5.log("immediate");
            r5.push(b("c"));
            log!(t5, "after push c length {}", r5.readable_length());
            r5.push(None);
        });
    });
    assert_trace("readable-paused-default", &t);
}

#[test]
fn readable_resume_nexttick() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let (t1, r1) = (t.clone(), r.clone());
        r.on(events::Resume, move |_| {
            log!(t1, "resume flowing {}", js_flowing(r1.readable_flowing()))
        });
        let (t2, r2) = (t.clone(), r.clone());
        r.on(events::Pause, move |_| {
            log!(t2, "pause flowing {}", js_flowing(r2.readable_flowing()))
        });
        let t3 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t3, "data {}", show(Some(c.clone()))));
        log!(t, "flowing {}", js_flowing(r.readable_flowing()));
        r.push(b("x"));
        log!(t, "length {}", r.readable_length());
        next_tick(t.later("nextTick1"));
        queue_microtask(t.later("microtask1"));
        let (t, r) = (t.clone(), r.clone());
        set_immediate(move || {
            t.log("immediate1");
            r.pause();
            log!(t, "after pause flowing {}", js_flowing(r.readable_flowing()));
            r.pause();
            t.log("after 2nd pause (no event)");
            r.push(b("y"));
            log!(t, "length {}", r.readable_length());
            r.resume();
            log!(t, "after resume flowing {}", js_flowing(r.readable_flowing()));
            r.resume();
            t.log("after 2nd resume");
            next_tick(t.later("nextTick2"));
            let (t, r) = (t.clone(), r.clone());
            set_immediate(move || {
                t.log("immediate2");
                r.push(None);
                let t = t.clone();
                r.on(events::End, move |_| t.log("end"));
            });
        });
    });
    assert_trace("readable-resume-nexttick", &t);
}

#[test]
fn readable_flowing_false_buffers() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual_hwm(4);
        r.pause();
        log!(t, "flowing {}", js_flowing(r.readable_flowing()));
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t1, "data {}", show(Some(c.clone()))));
        log!(t, "flowing after on(data) {}", js_flowing(r.readable_flowing()));
        log!(t, "push a -> {}", r.push(b("a")));
        log!(t, "push bc -> {}", r.push(b("bc")));
        log!(t, "push de -> {}", r.push(b("de")));
        log!(t, "length {}", r.readable_length());
        set_immediate(move || {
            log!(
                t,
                "immediate length {} flowing {}",
                r.readable_length(),
                js_flowing(r.readable_flowing())
            );
            r.resume();
            log!(
                t,
                "resumed flowing {} length {}",
                js_flowing(r.readable_flowing()),
                r.readable_length()
            );
            next_tick(move || log!(t, "nextTick length {}", r.readable_length()));
        });
    });
    assert_trace("readable-flowing-false-buffers", &t);
}

#[test]
fn readable_read_n() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let reads = Rc::new(Cell::new(0));
        let rc = reads.clone();
        let r: Readable =
            Readable::builder().high_water_mark(100).read(move |_, _| rc.set(rc.get() + 1)).build();
        let t1 = t.clone();
        r.on(events::End, move |_| t1.log("end"));
        r.push(b("abc"));
        r.push(b("def"));
        log!(t, "length {}", r.readable_length());
        log!(t, "read(2) -> {}", show(r.read(2)));
        log!(t, "length {}", r.readable_length());
        log!(t, "read(0) -> {}", show(r.read(0)));
        log!(t, "read(10) -> {}", show(r.read(10)));
        log!(t, "length {}", r.readable_length());
        log!(t, "read() -> {}", show(r.read(None)));
        log!(t, "length {}", r.readable_length());
        log!(t, "read() -> {}", show(r.read(None)));
        r.push(b("gh"));
        r.push(b("ij"));
        r.push(None);
        log!(t, "length after push(null) {}", r.readable_length());
        log!(t, "read(10) -> {}", show(r.read(10)));
        log!(t, "read() -> {}", show(r.read(None)));
        log!(t, "readableEnded {}", r.readable_ended());
        next_tick(move || {
            log!(t, "nextTick readableEnded {} reads>0 {}", r.readable_ended(), reads.get() > 0)
        });
    });
    assert_trace("readable-read-n", &t);
}

#[test]
fn readable_event_drain_loop() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let src = [Some("abc"), Some("def"), None];
        let i = Cell::new(0);
        let t0 = t.clone();
        let r: Readable = Readable::builder()
            .high_water_mark(3)
            .read(move |this, size| {
                let c = src[i.get()];
                i.set(i.get() + 1);
                log!(t0, "_read {size} -> will push {}", c.unwrap_or("null"));
                let this = this.clone();
                next_tick(move || {
                    this.push(c.map(b));
                });
            })
            .build();
        let (t1, r1) = (t.clone(), r.clone());
        r.on(events::Readable, move |_| {
            log!(t1, "readable length {}", r1.readable_length());
            for _ in 0..3 {
                log!(t1, "read(1) -> {}", show(r1.read(1)));
            }
        });
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        let t3 = t.clone();
        r.on(events::Close, move |_| t3.log("close"));
        log!(t, "flowing {}", js_flowing(r.readable_flowing()));
    });
    assert_trace("readable-event-drain-loop", &t);
}

#[test]
fn readable_push_return() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual_hwm(4);
        for s in ["ab", "c", "d", "e", ""] {
            let ret = r.push(b(s));
            log!(t, "push({s:?}) -> {ret} length {}", r.readable_length());
        }
        log!(t, "read(3) -> {} length {}", show(r.read(3)), r.readable_length());
        log!(t, "push(\"f\") -> {} length {}", r.push(b("f")), r.readable_length());
        log!(t, "read() -> {} length {}", show(r.read(None)), r.readable_length());
        log!(t, "push(\"\") -> {} length {}", r.push(b("")), r.readable_length());
        log!(t, "push(null) -> {} length {}", r.push(None), r.readable_length());
    });
    assert_trace("readable-push-return", &t);
}

#[test]
fn readable_hwm_defaults() {
    use streams::{get_default_high_water_mark, Duplex, Transform, Writable};
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        log!(t, "getDefaultHighWaterMark(false) {}", get_default_high_water_mark(false));
        log!(t, "getDefaultHighWaterMark(true) {}", get_default_high_water_mark(true));
        log!(t, "Readable {}", Readable::builder().build().readable_high_water_mark());
        log!(
            t,
            "Readable objectMode {}",
            Readable::<u8>::object_builder().build().readable_high_water_mark()
        );
        log!(
            t,
            "Readable hwm 0 {}",
            Readable::builder().high_water_mark(0).build().readable_high_water_mark()
        );
        log!(t, "Writable {}", Writable::<Bytes>::builder().build().writable_high_water_mark());
        log!(
            t,
            "Writable objectMode {}",
            Writable::<u8>::object_builder().build().writable_high_water_mark()
        );
        // `readableObjectMode: true`: an object readable side, a byte writable side.
        let d = Duplex::<u8, Bytes>::object_builder().writable_object_mode(false).build();
        log!(
            t,
            "Duplex readableObjectMode {} {}",
            d.readable_high_water_mark(),
            d.writable_high_water_mark()
        );
        let tr = Transform::<Bytes, Bytes>::builder()
            .high_water_mark(5)
            .readable_high_water_mark(7)
            .build();
        log!(
            t,
            "Transform hwm 5 + readableHwm 7 {} {}",
            tr.readable_high_water_mark(),
            tr.writable_high_water_mark()
        );
        let t1 = t.clone();
        let r: Readable = Readable::builder()
            .read(move |this, size| {
                log!(t1, "_read {size}");
                this.push(None);
            })
            .build();
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        r.resume();
    });
    assert_trace("readable-hwm-defaults", &t);
}

#[test]
fn readable_end_after_consumption() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let t1 = t.clone();
        r.on(events::End, move |_| t1.log("end"));
        r.push(b("a"));
        r.push(b("b"));
        r.push(None);
        log!(t, "pushed null length {} readableEnded {}", r.readable_length(), r.readable_ended());
        set_immediate(move || {
            log!(
                t,
                "immediate1 length {} readableEnded {}",
                r.readable_length(),
                r.readable_ended()
            );
            log!(t, "read(1) -> {}", show(r.read(1)));
            log!(t, "after read(1) length {}", r.readable_length());
            set_immediate(move || {
                log!(t, "immediate2 readableEnded {}", r.readable_ended());
                log!(t, "read() -> {}", show(r.read(None)));
                log!(
                    t,
                    "after read() length {} readableEnded {}",
                    r.readable_length(),
                    r.readable_ended()
                );
                next_tick(move || log!(t, "nextTick readableEnded {}", r.readable_ended()));
            });
        });
    });
    assert_trace("readable-end-after-consumption", &t);
}

#[test]
fn readable_setencoding_utf8() {
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|x| format!("{x:02x}")).collect()
    }
    fn js_len(s: &str) -> usize {
        s.encode_utf16().count()
    }
    fn cps(s: &str) -> String {
        s.chars().map(|c| format!("U+{:X}", c as u32)).collect::<Vec<_>>().join(",")
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let bytes = Bytes::from("前端");
        let parts = [bytes.slice(0..2), bytes.slice(2..4), bytes.slice(4..)];

        // raw
        let (raw_done_tx, raw_done) = tokio::sync::oneshot::channel::<()>();
        let raw_done_tx = Cell::new(Some(raw_done_tx));
        let r = manual();
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t1, "raw data buffer {}", hex(c)));
        let t2 = t.clone();
        r.on(events::End, move |_| {
            t2.log("raw end");
            if let Some(tx) = raw_done_tx.take() {
                let _ = tx.send(());
            }
        });
        for p in &parts {
            r.push(p.clone());
        }
        r.push(None);
        raw_done.await.unwrap();

        // decoded
        let (done_tx, done) = tokio::sync::oneshot::channel::<()>();
        let done_tx = Cell::new(Some(done_tx));
        let r = manual();
        r.set_encoding(Encoding::Utf8);
        log!(t, "readableEncoding {}", r.readable_encoding().unwrap());
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| {
            let s = std::str::from_utf8(c).unwrap();
            log!(t1, "utf8 data string {s:?} len {}", js_len(s))
        });
        let t2 = t.clone();
        r.on(events::End, move |_| {
            t2.log("utf8 end");
            if let Some(tx) = done_tx.take() {
                let _ = tx.send(());
            }
        });
        for p in &parts {
            r.push(p.clone());
            log!(t, "push {} length now {}", hex(p), r.readable_length());
        }
        r.push(None);
        done.await.unwrap();

        // truncated
        let r = manual();
        r.set_encoding(Encoding::Utf8);
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| {
            log!(t1, "trunc data {}", cps(std::str::from_utf8(c).unwrap()))
        });
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("trunc end"));
        r.push(Bytes::from_static(&[0x61]));
        r.push(parts[0].clone());
        r.push(None);
    });
    assert_trace("readable-setencoding-utf8", &t);
}

/// The JavaScript values the object-mode scenario pushes.
#[derive(Debug, Clone)]
enum Js {
    Num(i64),
    Str(&'static str),
    Json(&'static str),
    Bool(bool),
}

impl Js {
    fn json(&self) -> String {
        match self {
            Js::Num(n) => n.to_string(),
            Js::Str(s) => format!("{s:?}"),
            Js::Json(json) => json.to_string(),
            Js::Bool(b) => b.to_string(),
        }
    }

    fn type_of(&self) -> &'static str {
        match self {
            Js::Num(_) => "number",
            Js::Str(_) => "string",
            Js::Json(_) => "object",
            Js::Bool(_) => "boolean",
        }
    }
}

#[test]
fn readable_objectmode() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = Readable::<Js>::object_builder().read(|_, _| {}).build();
        log!(
            t,
            "readableObjectMode {} hwm {}",
            r.readable_object_mode(),
            r.readable_high_water_mark()
        );
        let values = [
            Js::Num(1),
            Js::Str("str"),
            Js::Json("{\"a\":1}"),
            Js::Json("[1,2]"),
            Js::Num(0),
            Js::Bool(false),
            Js::Str(""),
        ];
        for v in values {
            let json = v.json();
            log!(t, "push {json} -> {} length {}", r.push(v), r.readable_length());
        }
        log!(t, "read(5) -> {} length {}", r.read(5).unwrap().json(), r.readable_length());
        log!(t, "read() -> {} length {}", r.read(None).unwrap().json(), r.readable_length());
        for i in 0..12 {
            log!(t, "push {i} -> {} length {}", r.push(Js::Num(i)), r.readable_length());
        }
        r.push(None);
        let t1 = t.clone();
        r.on(events::Data, move |v: &Js| log!(t1, "data {} {}", v.type_of(), v.json()));
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
    });
    assert_trace("readable-objectmode", &t);
}

#[test]
fn readable_read_raise_hwm() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual_hwm(4);
        log!(t, "hwm {}", r.readable_high_water_mark());
        log!(t, "push -> {} length {}", r.push(b("abcdefghij")), r.readable_length());
        log!(t, "read(5) -> {}", show(r.read(5)));
        log!(t, "hwm {}", r.readable_high_water_mark());
        log!(t, "read(8) -> {}", show(r.read(8)));
        log!(t, "hwm {}", r.readable_high_water_mark());
        log!(t, "read(100) -> {}", show(r.read(100)));
        log!(t, "hwm {}", r.readable_high_water_mark());
        log!(t, "push -> {} length {}", r.push(b("k")), r.readable_length());
        log!(t, "read(3) -> {}", show(r.read(3)));
        log!(t, "hwm {}", r.readable_high_water_mark());
    });
    assert_trace("readable-read-raise-hwm", &t);
}

#[test]
fn readable_end_once() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let ends = Rc::new(Cell::new(0));
        let r = manual();
        let (t1, r1, e1) = (t.clone(), r.clone(), ends.clone());
        r.on(events::End, move |_| {
            e1.set(e1.get() + 1);
            log!(t1, "end {} readableEnded {}", e1.get(), r1.readable_ended());
            log!(t1, "read() in end -> {}", show(r1.read(None)));
        });
        let t2 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t2, "data {}", show(Some(c.clone()))));
        r.push(b("a"));
        r.push(None);
        r.push(None);
        set_immediate(move || {
            log!(t, "read() after end -> {}", show(r.read(None)));
            let t3 = t.clone();
            r.on(events::End, move |_| t3.log("late end listener"));
            r.resume();
            set_immediate(move || log!(t, "final ends {}", ends.get()));
        });
    });
    assert_trace("readable-end-once", &t);
}

#[test]
fn readable_close_autodestroy() {
    async fn one(t: &Trace, name: &'static str, auto_destroy: bool, emit_close: bool) {
        let r: Readable = Readable::builder()
            .read(|_, _| {})
            .auto_destroy(auto_destroy)
            .emit_close(emit_close)
            .build();
        let (t1, r1) = (t.clone(), r.clone());
        r.on(events::End, move |_| {
            log!(t1, "{name} end destroyed {}", r1.destroyed());
            let (t1, r1) = (t1.clone(), r1.clone());
            next_tick(move || log!(t1, "{name} nextTick after end destroyed {}", r1.destroyed()));
        });
        let (t2, r2) = (t.clone(), r.clone());
        r.on(events::Close, move |_| {
            log!(t2, "{name} close destroyed {} closed {}", r2.destroyed(), r2.closed())
        });
        r.resume();
        r.push(b("x"));
        r.push(None);
        streams::immediate().await;
        log!(t, "{name} immediate destroyed {} closed {}", r.destroyed(), r.closed());
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        one(&tt, "default", true, true).await;
        one(&tt, "autoDestroy-false", false, true).await;
        one(&tt, "emitClose-false", true, false).await;
        tt.log("done");
    });
    assert_trace("readable-close-autodestroy", &t);
}

#[test]
fn readable_destroy_error() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let t0 = t.clone();
        let r: Readable = Readable::builder()
            .read(|_, _| {})
            .destroy(move |_, err, cb| {
                log!(t0, "_destroy {}", err.as_ref().map_or("null".into(), |e| e.to_string()));
                cb.call(err.map_or(Ok(()), Err));
            })
            .build();
        let t1 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t1, "data {}", show(Some(c.clone()))));
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        let (t3, r3) = (t.clone(), r.clone());
        r.on(events::Error, move |e: &StreamError| {
            log!(
                t3,
                "error {e} destroyed {} errored {}",
                r3.destroyed(),
                r3.errored().map_or("null".into(), |e| e.to_string())
            )
        });
        let (t4, r4) = (t.clone(), r.clone());
        r.on(events::Close, move |_| {
            log!(
                t4,
                "close errored {} closed {}",
                r4.errored().map_or("null".into(), |e| e.to_string()),
                r4.closed()
            )
        });
        r.push(b("a"));
        r.destroy(Some(StreamError::new("boom")));
        log!(
            t,
            "after destroy destroyed {} errored {}",
            r.destroyed(),
            r.errored().map_or("null".into(), |e| e.to_string())
        );
        r.destroy(Some(StreamError::new("second")));
        log!(t, "push after destroy -> {}", r.push(b("b")));
        log!(t, "read() -> {}", show(r.read(None)));
        next_tick(t.later("nextTick"));
    });
    assert_trace("readable-destroy-error", &t);
}

#[test]
fn readable_push_after_eof() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let t1 = t.clone();
        r.on(events::Error, move |e: &StreamError| {
            log!(t1, "error {} {}", e.code().unwrap_or("undefined"), e.message())
        });
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        let t3 = t.clone();
        r.on(events::Close, move |_| t3.log("close"));
        r.push(b("a"));
        r.push(None);
        log!(t, "push after EOF -> {}", r.push(b("b")));
        log!(
            t,
            "destroyed {} errored {}",
            r.destroyed(),
            r.errored().and_then(|e| e.code().map(str::to_owned)).unwrap_or("null".into())
        );
        let t4 = t.clone();
        r.on(events::Data, move |c: &Bytes| log!(t4, "data {}", show(Some(c.clone()))));
    });
    assert_trace("readable-push-after-eof", &t);
}

#[test]
fn readable_end_scheduled_once() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let t1 = t.clone();
        r.on(events::End, move |_| t1.log("end"));
        r.push(b("a"));
        r.push(None);
        let got = show(r.read(None));
        log!(t, "read {got}");
        let (t2, r2) = (t.clone(), r.clone());
        next_tick(move || {
            let got = show(r2.read(1));
            log!(t2, "tick read(1) {got} readableLength {}", r2.readable_length());
        });
        let got = show(r.read(None));
        log!(t, "read {got}");
        r.unshift(b("x"));
        log!(t, "unshift readableLength {}", r.readable_length());
        set_immediate(move || {
            log!(t, "immediate readableEnded {}", r.readable_ended());
            let got = show(r.read(None));
            log!(t, "read {got}");
        });
    });
    assert_trace("readable-end-scheduled-once", &t);
}
