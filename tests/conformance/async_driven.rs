//! The readable and writable scenarios again, driven through the async
//! face where they can be expressed that way: the Writables implemented
//! with async hooks (`write_async`, `writev_async`, `final_async`,
//! `destroy_async`, `construct_async`) in place of the callback hooks, and
//! Readables consumed as a `futures::Stream` in place of a `'data'`
//! listener. Each test is named after its scenario and checks the same
//! `.expected` file, line for line. `README.md` lists which scenarios are
//! here and why the others are not.
//!
//! A callback hook that calls back from `setImmediate` becomes an async
//! hook that awaits `immediate()`; one that calls back at once becomes an
//! async hook whose future is ready at once. The producers still use the
//! Node face (`write_with`, `end_with`): their callbacks are what the
//! scenarios print.

use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use futures::StreamExt;
use streams::encoding::Encoding;
use streams::{events, immediate, next_tick, run, set_immediate, Readable, StreamError, Writable};

use crate::async_face::{fmt, Value};
use crate::support::{assert_trace, b, log, show, Trace};

fn e2s(result: &Result<(), StreamError>) -> String {
    match result {
        Ok(()) => "null".to_string(),
        Err(e) => format!("{}:{}", e.code().unwrap_or("no-code"), e.message()),
    }
}

fn code(result: &Result<(), StreamError>) -> String {
    match result {
        Ok(()) => "null".to_string(),
        Err(e) => e.code().unwrap_or("undefined").to_string(),
    }
}

fn enc(encoding: Option<Encoding>) -> String {
    encoding.map_or_else(|| "buffer".to_string(), |e| e.to_string())
}

fn text(chunk: &Bytes) -> String {
    String::from_utf8_lossy(chunk).into_owned()
}

/// The async form of `setImmediate(cb)`: done on the next check phase.
async fn next_check() -> Result<(), StreamError> {
    immediate().await;
    Ok(())
}

// ----- Writable, with async hooks -----

#[test]
fn writable_hwm_return() {
    fn make(t: &Trace, name: &'static str) -> Writable {
        let tw = t.clone();
        let w = Writable::builder()
            .high_water_mark(8)
            .write_async(move |_, chunk, _| {
                log!(tw, "{name} _write {}", text(&chunk));
                next_check()
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
                    .write_async(move |_, chunk, _| {
                        log!(tc, "C _write {}", text(&chunk));
                        async { Ok(()) }
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
            .write_async(move |_, chunk, _| {
                log!(tw, "sync _write {}", text(&chunk));
                async { Ok(()) }
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
            .write_async(move |_, chunk, _| {
                log!(tw, "async _write {}", text(&chunk));
                let tw = tw.clone();
                async move {
                    immediate().await;
                    log!(tw, "async calling cb for {}", text(&chunk));
                    Ok(())
                }
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
            .write_async(move |_, chunk, _| {
                log!(tw, "_write {}", text(&chunk));
                next_check()
            })
            .writev_async(move |_, chunks| {
                let list: Vec<String> = chunks
                    .iter()
                    .map(|c| format!("{}/{}", text(&c.chunk), enc(c.encoding)))
                    .collect();
                log!(tv, "_writev {} {}", chunks.len(), list.join(","));
                next_check()
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
        async fn complete(asynchronous: bool) -> Result<(), StreamError> {
            if asynchronous {
                immediate().await;
            }
            Ok(())
        }
        let (tw, tf, td) = (t.clone(), t.clone(), t.clone());
        let w = Writable::builder()
            .write_async(move |_, chunk, _| {
                log!(tw, "{name} _write {}", text(&chunk));
                complete(asynchronous)
            })
            .final_async(move |_| {
                log!(tf, "{name} _final");
                complete(asynchronous)
            })
            .destroy_async(move |_, err| {
                let e = err.as_ref().map_or("null".into(), |e| e.to_string());
                log!(td, "{name} _destroy {e}");
                async move { err.map_or(Ok(()), Err) }
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
            .write_async(move |_, chunk, _| {
                log!(tw, "_write {}", text(&chunk));
                async { Ok(()) }
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
            .write_async(move |_, chunk, _| {
                let s = text(&chunk);
                log!(tw, "_write {s}");
                async move {
                    immediate().await;
                    if s == "bad" {
                        Err(StreamError::new("boom"))
                    } else {
                        Ok(())
                    }
                }
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
            .write_async(move |_, chunk, encoding| {
                log!(tw, "_write buffer {} {}", enc(encoding), Encoding::Hex.decode(&chunk));
                next_check()
            })
            .build();
        w.write_str("héllo", None);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("6869", Encoding::Hex);
        log!(t, "writableLength {}", w.writable_length());
        w.write_str("aGk=", Encoding::Base64);
        log!(t, "writableLength {}", w.writable_length());
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
            .write_async(|_, _, _| next_check())
            .final_async(move |this| {
                flags(&tf, this, "_final");
                next_check()
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
            .write_async(move |_, chunk, _| {
                log!(tw, "{name} _write {}", text(&chunk));
                next_check()
            })
            .final_async(move |_| {
                log!(tf, "{name} _final");
                async { Ok(()) }
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
fn writable_end_twice() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let w = Writable::builder()
            .auto_destroy(false)
            .write_async(move |_, chunk, _| {
                log!(tw, "_write {}", text(&chunk));
                next_check()
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
            .write_async(move |_, chunk, _| {
                let s = text(&chunk);
                log!(tw, "_write {s}");
                async move {
                    immediate().await;
                    if s == "bad" {
                        Err(StreamError::new("boom"))
                    } else {
                        Ok(())
                    }
                }
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
            .write_async(|_, _, _| async { Ok(()) })
            .final_async(move |_| {
                log!(tf, "{name} _final");
                async move {
                    if asynchronous {
                        immediate().await;
                    }
                    Err(StreamError::new("final failed"))
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
            .construct_async(move |_| {
                log!(tc, "{name} _construct");
                let tc = tc.clone();
                async move {
                    immediate().await;
                    log!(tc, "{name} constructed");
                    if fail {
                        Err(StreamError::new("no"))
                    } else {
                        Ok(())
                    }
                }
            })
            .write_async(move |_, chunk, _| {
                log!(tw, "{name} _write {}", text(&chunk));
                async { Ok(()) }
            })
            .final_async(move |_| {
                log!(tf, "{name} _final");
                async { Ok(()) }
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
            .write_async(move |_, chunk, encoding| {
                let kind = if encoding.is_some() { "string" } else { "object" };
                log!(tw, "_write {kind} {} \"{}\"", enc(encoding), text(&chunk));
                next_check()
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
        let w = Writable::<Item>::object_builder().write_async(|_, _, _| next_check()).build();
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
            .write_async(move |_, chunk, _| {
                log!(tb, "bytes _write {}", text(&chunk));
                async { Ok(()) }
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
                    .write_async(move |_, chunk, _| {
                        log!(to, "objects _write {chunk}");
                        async { Ok(()) }
                    })
                    .build();
                let t3 = t2.clone();
                scenario(&t2, "objects", objects, 1, Rc::new(move || hwm(&t3)));
            }),
        );
    });
    assert_trace("writable-objectmode-sync", &t);
}

// ----- Readable, consumed as a futures::Stream -----

/// `readable-from-array` with each stream read by a `for await` loop (the
/// `data` lines are the loop's items) instead of a `'data'` listener.
#[test]
fn readable_from_array() {
    async fn consume<T: Clone + 'static>(
        t: &Trace,
        name: &'static str,
        r: Readable<T>,
        show: impl Fn(&T) -> String,
    ) {
        log!(
            t,
            "{name} objectMode {} hwm {}",
            r.readable_object_mode(),
            r.readable_high_water_mark()
        );
        let t2 = t.clone();
        r.on(events::End, move |_| log!(t2, "{name} end"));
        let t3 = t.clone();
        r.on(events::Close, move |_| log!(t3, "{name} close"));
        let mut items = r;
        while let Some(item) = items.next().await {
            log!(t, "{name} data {}", show(&item.expect("no error")));
        }
    }

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let array = Readable::from_iter([
            Value::Str("a"),
            Value::Str("bc"),
            Value::Num(1.0),
            Value::Obj(r#"{"k":"v"}"#),
        ]);
        consume(&t, "array", array, fmt).await;
        consume(&t, "string", Readable::from_chunk(Value::Str("abc")), fmt).await;
        let buffer = |c: &Bytes| fmt(&Value::Buf(c.clone()));
        consume(&t, "buffer", Readable::from_chunk(b("xyz")), buffer).await;
        let iterable = Readable::from_iter(["p", "q"].into_iter().map(Value::Str));
        consume(&t, "iterable", iterable, fmt).await;
        let bytes = Readable::builder().from_iter(["m", "n"].map(b));
        consume(&t, "objectMode-false", bytes, buffer).await;
        t.log("done");
    });
    assert_trace("readable-from-array", &t);
}

/// `readable-objectmode` with the buffered values read by a `for await`
/// loop instead of a `'data'` listener.
#[test]
fn readable_objectmode() {
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
        let t2 = t.clone();
        r.on(events::End, move |_| t2.log("end"));
        let mut values = r;
        while let Some(v) = values.next().await {
            let v = v.expect("no error");
            log!(t, "data {} {}", v.type_of(), v.json());
        }
    });
    assert_trace("readable-objectmode", &t);
}

/// `readable-end-once` with the data read by a `for await` loop.
#[test]
fn readable_end_once() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let ends = Rc::new(Cell::new(0));
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let (t1, r1, e1) = (t.clone(), r.clone(), ends.clone());
        r.on(events::End, move |_| {
            e1.set(e1.get() + 1);
            log!(t1, "end {} readableEnded {}", e1.get(), r1.readable_ended());
            log!(t1, "read() in end -> {}", show(r1.read(None)));
        });
        r.push(b("a"));
        r.push(None);
        r.push(None);
        let (t2, r2) = (t.clone(), r.clone());
        set_immediate(move || {
            log!(t2, "read() after end -> {}", show(r2.read(None)));
            let t3 = t2.clone();
            r2.on(events::End, move |_| t3.log("late end listener"));
            r2.resume();
            set_immediate(move || log!(t2, "final ends {}", ends.get()));
        });
        let mut chunks = r;
        while let Some(c) = chunks.next().await {
            log!(t, "data {}", show(Some(c.expect("no error"))));
        }
    });
    assert_trace("readable-end-once", &t);
}
