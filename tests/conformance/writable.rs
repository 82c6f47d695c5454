//! The `writable-*` scenarios.

use std::rc::Rc;

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::{events, next_tick, run, set_immediate, StreamError, Writable, WriteCallback};

use crate::support::{assert_trace, b, log, Trace};

/// Node's `e2s`: `code:message`, `no-code:message`, or `null`.
fn e2s(result: &Result<(), StreamError>) -> String {
    match result {
        Ok(()) => "null".to_string(),
        Err(e) => format!("{}:{}", e.code().unwrap_or("no-code"), e.message()),
    }
}

/// `e && e.code`: the code, or `null` for success.
fn code(result: &Result<(), StreamError>) -> String {
    match result {
        Ok(()) => "null".to_string(),
        Err(e) => e.code().unwrap_or("undefined").to_string(),
    }
}

/// The encoding a hook receives, as Node prints it (`None` is `'buffer'`).
fn enc(encoding: Option<Encoding>) -> String {
    encoding.map_or_else(|| "buffer".to_string(), |e| e.to_string())
}

fn text(chunk: &Bytes) -> String {
    String::from_utf8_lossy(chunk).into_owned()
}

fn hex(chunk: &Bytes) -> String {
    Encoding::Hex.decode(chunk)
}

/// Completes a write on the next check phase (`setImmediate(cb)`).
fn later(cb: WriteCallback) {
    set_immediate(move || cb.call(Ok(())));
}

#[test]
fn writable_hwm_return() {
    fn make(t: &Trace, name: &'static str) -> Writable {
        let tw = t.clone();
        let w = Writable::builder()
            .high_water_mark(8)
            .write(move |_, chunk, _, cb| {
                log!(tw, "{name} _write {}", text(&chunk));
                later(cb);
            })
            .build();
        let (td, wd) = (t.clone(), w.clone());
        w.on(events::Drain, move |_| {
            log!(td, "{name} drain writableLength {}", wd.writable_length())
        });
        w
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let a = make(&t, "A");
        for s in ["1111", "222", "3333"] {
            let ret = a.write(b(s));
            log!(
                t,
                "A write {s} -> {ret} writableLength {} needDrain {}",
                a.writable_length(),
                a.writable_need_drain()
            );
        }
        let t1 = t.clone();
        a.on(events::Drain, move |_| {
            let b_ = make(&t1, "B");
            for s in ["1234", "5678", "9"] {
                let ret = b_.write(b(s));
                log!(t1, "B write {s} -> {ret} writableLength {}", b_.writable_length());
            }
            let t2 = t1.clone();
            b_.on(events::Drain, move |_| {
                let tc = t2.clone();
                let c = Writable::builder()
                    .high_water_mark(8)
                    .write(move |_, chunk, _, cb| {
                        log!(tc, "C _write {}", text(&chunk));
                        cb.call(Ok(()));
                    })
                    .build();
                let tc = t2.clone();
                c.on(events::Drain, move |_| tc.log("C drain"));
                let ret = c.write(b("123456789"));
                log!(t2, "C write 123456789 -> {ret} writableLength {}", c.writable_length());
            });
        });
    });
    assert_trace("writable-hwm-return", &t);
}

#[test]
fn writable_callback_order() {
    fn sync_case(t: &Trace) {
        let tw = t.clone();
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "sync _write {}", text(&chunk));
                cb.call(Ok(()));
            })
            .build();
        let ta = t.clone();
        w.write_with(b("a"), move |_| ta.log("sync cb a"));
        t.log("sync after write a");
        let tb = t.clone();
        w.write_with(b("b"), move |_| tb.log("sync cb b"));
        t.log("sync after write b");
        next_tick(t.later("sync nextTick"));
        let tn = t.clone();
        set_immediate(move || async_case(&tn));
    }

    fn async_case(t: &Trace) {
        let tw = t.clone();
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "async _write {}", text(&chunk));
                let tw = tw.clone();
                set_immediate(move || {
                    log!(tw, "async calling cb for {}", text(&chunk));
                    cb.call(Ok(()));
                });
            })
            .build();
        let ta = t.clone();
        w.write_with(b("a"), move |_| ta.log("async cb a"));
        t.log("async after write a");
        let tb = t.clone();
        w.write_with(b("b"), move |_| tb.log("async cb b"));
        log!(t, "async after write b writableLength {}", w.writable_length());
        next_tick(t.later("async nextTick"));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move { sync_case(&tt) });
    assert_trace("writable-callback-order", &t);
}

#[test]
fn writable_writev_cork() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let (tw, tv) = (t.clone(), t.clone());
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", text(&chunk));
                later(cb);
            })
            .writev(move |_, chunks, cb| {
                let list: Vec<String> = chunks
                    .iter()
                    .map(|c| format!("{}/{}", text(&c.chunk), enc(c.encoding)))
                    .collect();
                log!(tv, "_writev {} {}", chunks.len(), list.join(","));
                later(cb);
            })
            .build();
        w.cork();
        w.write(b("a"));
        w.write(b("b"));
        let tc = t.clone();
        w.write_with(b("c"), move |_| tc.log("cb c"));
        log!(
            t,
            "corked writableLength {} writableCorked {}",
            w.writable_length(),
            w.writable_corked()
        );
        w.uncork();
        log!(t, "after uncork writableCorked {}", w.writable_corked());
        let td = t.clone();
        w.on(events::Drain, move |_| td.log("drain"));
        set_immediate(move || {
            set_immediate(move || {
                t.log("-- in-flight buffering");
                w.write(b("d"));
                w.write(b("e"));
                w.write(b("f"));
                let (tg, wg) = (t.clone(), w.clone());
                w.write_with(b("g"), move |_| {
                    tg.log("cb g");
                    wg.cork();
                    wg.write(b("h"));
                    wg.uncork();
                });
            });
        });
    });
    assert_trace("writable-writev-cork", &t);
}

#[test]
fn writable_end_order() {
    fn make(t: &Trace, name: &'static str, asynchronous: bool, next: Rc<dyn Fn()>) {
        // `later(cb)`: at once, or from setImmediate.
        fn complete(asynchronous: bool, f: impl FnOnce() + 'static) {
            if asynchronous {
                set_immediate(f);
            } else {
                f();
            }
        }
        let (tw, tf, td) = (t.clone(), t.clone(), t.clone());
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "{name} _write {}", text(&chunk));
                complete(asynchronous, move || cb.call(Ok(())));
            })
            .final_(move |_, cb| {
                log!(tf, "{name} _final");
                complete(asynchronous, move || cb.call(Ok(())));
            })
            .destroy(move |_, err, cb| {
                // `err` is null here: Node prints it as `null`.
                log!(
                    td,
                    "{name} _destroy {}",
                    err.as_ref().map_or("null".into(), |e| e.to_string())
                );
                cb.call(err.map_or(Ok(()), Err));
            })
            .build();
        let tp = t.clone();
        w.on(events::Prefinish, move |_| log!(tp, "{name} prefinish"));
        let (tf, wf) = (t.clone(), w.clone());
        w.on(events::Finish, move |_| {
            log!(tf, "{name} finish writableFinished {}", wf.writable_finished())
        });
        let tc = t.clone();
        w.on(events::Close, move |_| {
            log!(tc, "{name} close");
            next();
        });
        w.write(b("a"));
        let te = t.clone();
        let ret = w.end_with(b("b"), move |_| log!(te, "{name} end cb"));
        log!(
            t,
            "{name} end returned stream {} writableEnded {} writableFinished {}",
            *ret == w,
            w.writable_ended(),
            w.writable_finished()
        );
        next_tick(t.later(format!("{name} nextTick")));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let t2 = t.clone();
        make(
            &t,
            "sync",
            false,
            Rc::new(move || {
                let t3 = t2.clone();
                make(&t2, "async", true, Rc::new(move || t3.log("done")));
            }),
        );
    });
    assert_trace("writable-end-order", &t);
}

#[test]
fn writable_write_after_end() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", text(&chunk));
                cb.call(Ok(()));
            })
            .build();
        let te = t.clone();
        w.on(events::Error, move |e: &StreamError| {
            log!(te, "error {}", e.code().unwrap_or("undefined"))
        });
        let tf = t.clone();
        w.on(events::Finish, move |_| tf.log("finish"));
        let (tc, wc) = (t.clone(), w.clone());
        w.on(events::Close, move |_| {
            log!(tc, "close destroyed {}", wc.destroyed());
            let tl = tc.clone();
            let ret2 = wc.write_with(b("c"), move |r| log!(tl, "late write cb {}", code(&r)));
            log!(tc, "late write -> {ret2}");
            set_immediate(tc.later("immediate"));
        });
        w.end(b("a"));
        let tb = t.clone();
        let ret = w.write_with(b("b"), move |r| log!(tb, "write cb {}", code(&r)));
        log!(t, "write after end -> {ret}");
    });
    assert_trace("writable-write-after-end", &t);
}

#[test]
fn writable_callback_error() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .high_water_mark(100)
            .write(move |_, chunk, _, cb| {
                let s = text(&chunk);
                log!(tw, "_write {s}");
                set_immediate(move || {
                    cb.call(if s == "bad" { Err(StreamError::new("boom")) } else { Ok(()) })
                });
            })
            .build();
        let (te, we) = (t.clone(), w.clone());
        w.on(events::Error, move |e: &StreamError| {
            log!(te, "error {} destroyed {}", e2s(&Err(e.clone())), we.destroyed())
        });
        let tc = t.clone();
        w.on(events::Close, move |_| tc.log("close"));
        let tf = t.clone();
        w.on(events::Finish, move |_| tf.log("finish"));
        let t1 = t.clone();
        w.write_with(b("ok"), move |r| log!(t1, "cb ok {}", e2s(&r)));
        let t2 = t.clone();
        w.write_with(b("bad"), move |r| log!(t2, "cb bad {}", e2s(&r)));
        let t3 = t.clone();
        w.write_with(b("after"), move |r| log!(t3, "cb after {}", e2s(&r)));
        let t4 = t.clone();
        w.end_with(None, move |r| log!(t4, "end cb {}", e2s(&r)));
    });
    assert_trace("writable-callback-error", &t);
}

#[test]
fn writable_decodestrings_default() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .write(move |_, chunk, encoding, cb| {
                // `Buffer.isBuffer(chunk)`: a byte stream's chunk is `Bytes`.
                log!(tw, "_write buffer {} {}", enc(encoding), hex(&chunk));
                later(cb);
            })
            .build();
        w.write_str("héllo", None);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("6869", Encoding::Hex);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("aGk=", Encoding::Base64);
        log!(t, "writableLength {}", w.writable_length());
        // `new Uint8Array([1, 2])`: any byte view is `Bytes` here.
        w.write(Bytes::from(vec![1u8, 2]));
        log!(t, "writableLength {}", w.writable_length());
    });
    assert_trace("writable-decodestrings-default", &t);
}

#[test]
fn writable_state_flags() {
    fn flags(t: &Trace, w: &Writable, tag: &str) {
        log!(
            t,
            "{tag} writable {} needDrain {} ended {} finished {} length {} destroyed {}",
            w.writable(),
            w.writable_need_drain(),
            w.writable_ended(),
            w.writable_finished(),
            w.writable_length(),
            w.destroyed()
        );
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tf = t.clone();
        let w = Writable::builder()
            .high_water_mark(2)
            .write(|_, _, _, cb| later(cb))
            .final_(move |this, cb| {
                flags(&tf, this, "_final");
                set_immediate(move || cb.call(Ok(())));
            })
            .build();
        for (event, tag) in [("drain", 0), ("finish", 1), ("close", 2)] {
            let (te, we) = (t.clone(), w.clone());
            let f = move |_: &()| flags(&te, &we, event);
            match tag {
                0 => w.on(events::Drain, f),
                1 => w.on(events::Finish, f),
                _ => w.on(events::Close, f),
            };
        }
        flags(&t, &w, "initial");
        log!(t, "write -> {}", w.write(b("abc")));
        flags(&t, &w, "after write");
        w.end(None);
        flags(&t, &w, "after end");
    });
    assert_trace("writable-state-flags", &t);
}

#[test]
fn writable_cork_nesting() {
    fn make(t: &Trace, name: &'static str) -> Writable {
        let (tw, tf) = (t.clone(), t.clone());
        Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "{name} _write {}", text(&chunk));
                later(cb);
            })
            .final_(move |_, cb| {
                log!(tf, "{name} _final");
                cb.call(Ok(()));
            })
            .build()
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let w = make(&t, "A");
        w.cork();
        w.cork();
        let ta = t.clone();
        w.write_with(b("a"), move |_| ta.log("A cb a"));
        let tb = t.clone();
        w.write_with(b("b"), move |_| tb.log("A cb b"));
        log!(
            t,
            "A corked {} length {} buffer {}",
            w.writable_corked(),
            w.writable_length(),
            w.writable_buffer().len()
        );
        w.uncork();
        log!(
            t,
            "A after 1st uncork corked {} buffer {}",
            w.writable_corked(),
            w.writable_buffer().len()
        );
        w.uncork();
        log!(
            t,
            "A after 2nd uncork corked {} buffer {}",
            w.writable_corked(),
            w.writable_buffer().len()
        );
        w.uncork();
        log!(t, "A after 3rd uncork corked {}", w.writable_corked());
        w.end(None);
        let tf = t.clone();
        w.on(events::Finish, move |_| {
            let t = tf.clone();
            t.log("A finish");
            let v = make(&t, "B");
            let t1 = t.clone();
            v.on(events::Finish, move |_| t1.log("B finish"));
            let t2 = t.clone();
            v.on(events::Close, move |_| t2.log("B close"));
            v.cork();
            v.cork();
            v.cork();
            v.write(b("x"));
            v.write(b("y"));
            log!(t, "B corked {}", v.writable_corked());
            let t3 = t.clone();
            v.end_with(b("z"), move |_| t3.log("B end cb"));
            log!(t, "B after end corked {} length {}", v.writable_corked(), v.writable_length());
        });
    });
    assert_trace("writable-cork-nesting", &t);
}

#[test]
fn writable_destroy_pending() {
    fn scenario(t: &Trace, name: &'static str, err: Option<StreamError>, next: Rc<dyn Fn()>) {
        let pending: Rc<std::cell::RefCell<Option<WriteCallback>>> = Rc::default();
        let (tw, td, p) = (t.clone(), t.clone(), pending.clone());
        let w = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tw, "{name} _write {}", text(&chunk));
                *p.borrow_mut() = Some(cb);
            })
            .destroy(move |_, e, cb| {
                log!(td, "{name} _destroy {}", e2s(&e.clone().map_or(Ok(()), Err)));
                cb.call(e.map_or(Ok(()), Err));
            })
            .build();
        let te = t.clone();
        w.on(events::Error, move |e: &StreamError| {
            log!(te, "{name} error {}", e2s(&Err(e.clone())))
        });
        let tf = t.clone();
        w.on(events::Finish, move |_| log!(tf, "{name} finish"));
        let (tc, wc) = (t.clone(), w.clone());
        w.on(events::Close, move |_| {
            log!(
                tc,
                "{name} close length {} aborted {}",
                wc.writable_length(),
                wc.writable_aborted()
            );
            let cb = pending.borrow_mut().take();
            if let Some(cb) = cb {
                cb.call(Ok(()));
            }
            let next = next.clone();
            set_immediate(move || next());
        });
        for s in ["a", "b", "c"] {
            let ts = t.clone();
            w.write_with(b(s), move |r| log!(ts, "{name} cb {s} {}", e2s(&r)));
        }
        let te = t.clone();
        w.end_with(None, move |r| log!(te, "{name} end cb {}", e2s(&r)));
        log!(t, "{name} length {} buffer {}", w.writable_length(), w.writable_buffer().len());
        w.destroy(err);
        log!(
            t,
            "{name} destroyed {} writable {} length {}",
            w.destroyed(),
            w.writable(),
            w.writable_length()
        );
        let td = t.clone();
        let ret = w.write_with(b("d"), move |r| log!(td, "{name} cb d {}", e2s(&r)));
        log!(t, "{name} write after destroy -> {ret}");
        next_tick(t.later(format!("{name} nextTick")));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t2 = tt.clone();
        scenario(
            &tt,
            "plain",
            None,
            Rc::new(move || {
                let t3 = t2.clone();
                scenario(
                    &t2,
                    "with-error",
                    Some(StreamError::new("stop")),
                    Rc::new(move || t3.log("done")),
                );
            }),
        );
    });
    assert_trace("writable-destroy-pending", &t);
}

#[test]
fn writable_end_twice() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .auto_destroy(false)
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", text(&chunk));
                later(cb);
            })
            .build();
        let te = t.clone();
        w.on(events::Error, move |e: &StreamError| log!(te, "error {}", e2s(&Err(e.clone()))));
        let (tf, wf) = (t.clone(), w.clone());
        w.on(events::Finish, move |_| {
            tf.log("finish");
            let t1 = tf.clone();
            wf.end_with(None, move |r| log!(t1, "end after finish cb {}", e2s(&r)));
            let errored = wf.errored().map_or(Ok(()), Err);
            log!(
                tf,
                "after end after finish: writableEnded {} errored {}",
                wf.writable_ended(),
                e2s(&errored)
            );
            let (t2, w2) = (tf.clone(), wf.clone());
            set_immediate(move || {
                w2.destroy(None);
                let t3 = t2.clone();
                w2.end_with(None, move |r| log!(t3, "end after destroy cb {}", e2s(&r)));
                let t4 = t2.clone();
                w2.on(events::Close, move |_| t4.log("close"));
            });
        });
        w.write(b("a"));
        let t1 = t.clone();
        w.end_with(None, move |r| log!(t1, "end 1 cb {}", e2s(&r)));
        let t2 = t.clone();
        w.end_with(None, move |r| log!(t2, "end 2 cb {}", e2s(&r)));
        log!(t, "ended {} finished {}", w.writable_ended(), w.writable_finished());
    });
    assert_trace("writable-end-twice", &t);
}

#[test]
fn writable_error_no_autodestroy() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .auto_destroy(false)
            .write(move |_, chunk, _, cb| {
                let s = text(&chunk);
                log!(tw, "_write {s}");
                set_immediate(move || {
                    cb.call(if s == "bad" { Err(StreamError::new("boom")) } else { Ok(()) })
                });
            })
            .build();
        let (te, we) = (t.clone(), w.clone());
        w.on(events::Error, move |e: &StreamError| {
            let errored = we.errored().map_or(Ok(()), Err);
            log!(
                te,
                "error {} destroyed {} writable {} errored {}",
                e2s(&Err(e.clone())),
                we.destroyed(),
                we.writable(),
                e2s(&errored)
            );
            let t1 = te.clone();
            let ret = we.write_with(b("more"), move |r| log!(t1, "cb more {}", e2s(&r)));
            log!(te, "write after error -> {ret} length {}", we.writable_length());
            let t2 = te.clone();
            we.end_with(None, move |r| log!(t2, "end cb {}", e2s(&r)));
            let (t3, w3) = (te.clone(), we.clone());
            set_immediate(move || {
                log!(t3, "immediate closed {} destroyed {}", w3.closed(), w3.destroyed())
            });
        });
        let tc = t.clone();
        w.on(events::Close, move |_| tc.log("close"));
        let t1 = t.clone();
        w.write_with(b("bad"), move |r| log!(t1, "cb bad {}", e2s(&r)));
        let t2 = t.clone();
        w.write_with(b("next"), move |r| log!(t2, "cb next {}", e2s(&r)));
    });
    assert_trace("writable-error-no-autodestroy", &t);
}

#[test]
fn writable_final_error() {
    fn scenario(t: &Trace, name: &'static str, asynchronous: bool, next: Rc<dyn Fn()>) {
        let tf = t.clone();
        let w = Writable::builder()
            .write(|_, _, _, cb| cb.call(Ok(())))
            .final_(move |_, cb| {
                log!(tf, "{name} _final");
                let fail = move || cb.call(Err(StreamError::new("final failed")));
                if asynchronous {
                    set_immediate(fail);
                } else {
                    fail();
                }
            })
            .build();
        let tp = t.clone();
        w.on(events::Prefinish, move |_| log!(tp, "{name} prefinish"));
        let tf = t.clone();
        w.on(events::Finish, move |_| log!(tf, "{name} finish"));
        let te = t.clone();
        w.on(events::Error, move |e: &StreamError| {
            log!(te, "{name} error {}", e2s(&Err(e.clone())))
        });
        let tc = t.clone();
        w.on(events::Close, move |_| {
            log!(tc, "{name} close");
            next();
        });
        let te = t.clone();
        w.end_with(b("x"), move |r| log!(te, "{name} end cb {}", e2s(&r)));
        next_tick(t.later(format!("{name} nextTick")));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t2 = tt.clone();
        scenario(
            &tt,
            "sync",
            false,
            Rc::new(move || {
                let t3 = t2.clone();
                scenario(&t2, "async", true, Rc::new(move || t3.log("done")));
            }),
        );
    });
    assert_trace("writable-final-error", &t);
}

#[test]
fn writable_construct() {
    fn scenario(t: &Trace, name: &'static str, fail: bool, next: Rc<dyn Fn()>) {
        let (tc, tw, tf) = (t.clone(), t.clone(), t.clone());
        let w = Writable::builder()
            .construct(move |_, cb| {
                log!(tc, "{name} _construct");
                let tc = tc.clone();
                set_immediate(move || {
                    log!(tc, "{name} constructed");
                    cb.call(if fail { Err(StreamError::new("no")) } else { Ok(()) });
                });
            })
            .write(move |_, chunk, _, cb| {
                log!(tw, "{name} _write {}", text(&chunk));
                cb.call(Ok(()));
            })
            .final_(move |_, cb| {
                log!(tf, "{name} _final");
                cb.call(Ok(()));
            })
            .build();
        let t1 = t.clone();
        w.on(events::Finish, move |_| log!(t1, "{name} finish"));
        let t2 = t.clone();
        w.on(events::Error, move |e: &StreamError| {
            log!(t2, "{name} error {}", e2s(&Err(e.clone())))
        });
        let t3 = t.clone();
        w.on(events::Close, move |_| {
            log!(t3, "{name} close");
            next();
        });
        let ta = t.clone();
        let ret = w.write_with(b("a"), move |r| log!(ta, "{name} cb a {}", e2s(&r)));
        log!(t, "{name} write a -> {ret}");
        log!(t, "{name} length {}", w.writable_length());
        let te = t.clone();
        w.end_with(b("b"), move |r| log!(te, "{name} end cb {}", e2s(&r)));
        next_tick(t.later(format!("{name} nextTick")));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t2 = tt.clone();
        scenario(
            &tt,
            "ok",
            false,
            Rc::new(move || {
                let t3 = t2.clone();
                scenario(&t2, "fail", true, Rc::new(move || t3.log("done")));
            }),
        );
    });
    assert_trace("writable-construct", &t);
}

#[test]
fn writable_decodestrings_false() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .decode_strings(false)
            .write(move |_, chunk, encoding, cb| {
                // A string kept as text arrives with its encoding (`typeof
                // chunk` is 'string'); bytes arrive with none (an object,
                // a Buffer).
                let kind = if encoding.is_some() { "string" } else { "object" };
                log!(tw, "_write {kind} {} \"{}\"", enc(encoding), text(&chunk));
                later(cb);
            })
            .build();
        w.write_str("héllo", None);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("😀", None);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("6869", Encoding::Hex);
        log!(t, "writableLength {}", w.writable_length());
        w.set_default_encoding(Encoding::Base64);
        w.write_str("aGk=", None);
        log!(t, "writableLength {}", w.writable_length());
        w.write(b("xyz"));
        log!(t, "writableLength {}", w.writable_length());
        w.end(None);
        let (tf, wf) = (t.clone(), w.clone());
        w.on(events::Finish, move |_| log!(tf, "finish writableLength {}", wf.writable_length()));
    });
    assert_trace("writable-decodestrings-false", &t);
}

#[test]
fn writable_objectmode_sync() {
    fn scenario<T: 'static>(
        t: &Trace,
        name: &'static str,
        w: Writable<T>,
        chunk: T,
        next: Rc<dyn Fn()>,
    ) {
        let tf = t.clone();
        w.on(events::Finish, move |_| log!(tf, "{name} finish"));
        let tc = t.clone();
        w.on(events::Close, move |_| {
            log!(tc, "{name} close");
            next();
        });
        w.write(chunk);
        next_tick(t.later(format!("{name} tick 1")));
        w.end(None);
        next_tick(t.later(format!("{name} tick 2")));
    }

    fn hwm(t: &Trace) {
        #[allow(dead_code)]
        struct Item {
            n: usize,
        }
        let w = Writable::<Item>::object_builder().write(|_, _, _, cb| later(cb)).build();
        log!(t, "hwm {}", w.writable_high_water_mark());
        let mut n = 0;
        while w.write(Item { n }) {
            n += 1;
        }
        log!(
            t,
            "false after {} writes, length {} needDrain {}",
            n + 1,
            w.writable_length(),
            w.writable_need_drain()
        );
        let (td, wd) = (t.clone(), w.clone());
        w.on(events::Drain, move |_| log!(td, "drain length {}", wd.writable_length()));
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tb = t.clone();
        let bytes = Writable::builder()
            .write(move |_, chunk, _, cb| {
                log!(tb, "bytes _write {}", text(&chunk));
                cb.call(Ok(()));
            })
            .build();
        let t2 = t.clone();
        scenario(
            &t,
            "bytes",
            bytes,
            b("x"),
            Rc::new(move || {
                let to = t2.clone();
                let objects = Writable::<u32>::object_builder()
                    .write(move |_, chunk, _, cb| {
                        log!(to, "objects _write {chunk}");
                        cb.call(Ok(()));
                    })
                    .build();
                let t3 = t2.clone();
                scenario(&t2, "objects", objects, 1, Rc::new(move || hwm(&t3)));
            }),
        );
    });
    assert_trace("writable-objectmode-sync", &t);
}

#[test]
fn writable_drain_sync_mixed() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let first = std::cell::Cell::new(true);
        let w = Writable::builder()
            .high_water_mark(4)
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", text(&chunk));
                if first.replace(false) {
                    later(cb);
                } else {
                    cb.call(Ok(()));
                }
            })
            .build();
        let (td, wd) = (t.clone(), w.clone());
        w.on(events::Drain, move |_| log!(td, "drain length {}", wd.writable_length()));
        for s in ["11", "22", "33"] {
            let ts = t.clone();
            let ret = w.write_with(b(s), move |_| log!(ts, "cb {s}"));
            log!(t, "write {s} -> {ret}");
        }
        log!(t, "write 44 -> {}", w.write(b("44")));
        log!(t, "length {} needDrain {}", w.writable_length(), w.writable_need_drain());
        next_tick(t.later("nextTick"));
        set_immediate(move || {
            t.log("immediate 1");
            next_tick(t.later("nextTick in immediate"));
        });
    });
    assert_trace("writable-drain-sync-mixed", &t);
}
