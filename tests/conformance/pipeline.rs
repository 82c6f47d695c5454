//! The `pipeline-*` scenarios (but the async-generator one, which comes
//! with the async face).

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use streams::{
    events, immediate, pipeline, run, set_immediate, Readable, Stream, StreamError, Transform,
    Writable,
};

use crate::support::{assert_trace, b, log, show, Trace};

#[test]
fn pipeline_success() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let src: Readable = Readable::builder().read(|_, _| {}).build();
        let up = Transform::<Bytes, Bytes>::builder()
            .transform(|_, chunk, _, cb| cb.call(Ok(Some(Bytes::from(chunk.to_ascii_uppercase())))))
            .build();
        let out = Rc::new(RefCell::new(String::new()));
        let (t0, o) = (t.clone(), out.clone());
        let dest: Writable = Writable::builder()
            .write(move |_, chunk: Bytes, _, cb| {
                log!(t0, "dest _write {}", show(Some(chunk.clone())));
                o.borrow_mut().push_str(&String::from_utf8_lossy(&chunk));
                cb.call(Ok(()));
            })
            .build();
        let t1 = t.clone();
        src.on(events::End, move |_| t1.log("src end"));
        let t2 = t.clone();
        src.on(events::Close, move |_| t2.log("src close"));
        let t3 = t.clone();
        up.on(events::Finish, move |_| t3.log("up finish"));
        let t4 = t.clone();
        up.on(events::End, move |_| t4.log("up end"));
        let t5 = t.clone();
        up.on(events::Close, move |_| t5.log("up close"));
        let t6 = t.clone();
        dest.on(events::Finish, move |_| t6.log("dest finish"));
        let t7 = t.clone();
        dest.on(events::Close, move |_| t7.log("dest close"));
        let (t8, s, u, d) = (t.clone(), src.clone(), up.clone(), dest.clone());
        let ret = pipeline((src.clone(), up.clone(), dest.clone()), move |res| {
            let err = res.err().map_or("undefined".to_string(), |e| e.to_string());
            log!(t8, "pipeline cb err {err} out {}", out.borrow());
            log!(t8, "destroyed {} {} {}", s.destroyed(), u.destroyed(), d.destroyed());
        });
        log!(t, "pipeline returned dest {}", ret.stream_id() == dest.stream_id());
        src.push(b("a"));
        src.push(b("b"));
        src.push(None);
    });
    assert_trace("pipeline-success", &t);
}

#[test]
fn pipeline_error_middle() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let src: Readable = Readable::builder().read(|_, _| {}).build();
        let t0 = t.clone();
        let mid = Transform::<Bytes, Bytes>::builder()
            .transform(move |_, chunk, _, cb| {
                let s = show(Some(chunk.clone()));
                log!(t0, "mid _transform {s}");
                if s == "bad" {
                    cb.call(Err(StreamError::new("mid boom")));
                } else {
                    cb.call(Ok(Some(chunk)));
                }
            })
            .build();
        let t1 = t.clone();
        let dest: Writable = Writable::builder()
            .write(move |_, chunk: Bytes, _, cb| {
                log!(t1, "dest _write {}", show(Some(chunk)));
                cb.call(Ok(()));
            })
            .build();
        macro_rules! watch {
            ($name:literal, $s:expr) => {{
                let tc = t.clone();
                $s.on(events::Close, move |_| log!(tc, "{} close", $name));
                let te = t.clone();
                $s.on(events::Error, move |e: &StreamError| log!(te, "{} error {e}", $name));
            }};
        }
        watch!("src", src);
        watch!("mid", mid);
        watch!("dest", dest);
        let t2 = t.clone();
        dest.on(events::Finish, move |_| t2.log("dest finish"));
        let (t3, s, m, d) = (t.clone(), src.clone(), mid.clone(), dest.clone());
        pipeline((src.clone(), mid.clone(), dest.clone()), move |res| {
            let msg = |e: Option<StreamError>| e.map_or("null".to_string(), |e| e.to_string());
            log!(t3, "pipeline cb err {}", msg(res.err()));
            log!(
                t3,
                "destroyed src {} mid {} dest {}",
                s.destroyed(),
                m.destroyed(),
                d.destroyed()
            );
            log!(
                t3,
                "errored src {} mid {} dest {}",
                msg(s.errored()),
                msg(m.errored()),
                msg(d.errored())
            );
        });
        src.push(b("ok"));
        set_immediate(move || {
            src.push(b("bad"));
            src.push(b("never"));
        });
    });
    assert_trace("pipeline-error-middle", &t);
}

#[test]
fn pipeline_destroy_outside() {
    fn msg(e: &StreamError) -> String {
        e.code().unwrap_or(e.message()).to_string()
    }
    /// Logs `'error'` and `'close'` of one stream, prefixed as the script
    /// does.
    macro_rules! watch {
        ($t:expr, $name:expr, $n:literal, $s:expr) => {{
            let (te, name) = ($t.clone(), $name.clone());
            $s.on(events::Error, move |e: &StreamError| log!(te, "{name} {} error {}", $n, msg(e)));
            let (tc, name) = ($t.clone(), $name.clone());
            $s.on(events::Close, move |_| log!(tc, "{name} {} close", $n));
        }};
    }
    async fn one(t: &Trace, target: &'static str, with_error: bool) {
        let name = format!("{target}{}:", if with_error { " with error" } else { "" });
        let src = Readable::<String>::object_builder().read(|_, _| {}).build();
        let mid = Transform::<String, String>::object_builder()
            .transform(|_, c, _, cb| {
                set_immediate(move || cb.call(Ok(Some(c.to_uppercase()))));
            })
            .build();
        let (t1, n1) = (t.clone(), name.clone());
        let dst = Writable::<String>::object_builder()
            .high_water_mark(1)
            .write(move |_, c, _, cb| {
                log!(t1, "{n1} dst write {c}");
                set_immediate(move || cb.call(Ok(())));
            })
            .build();
        watch!(t, name, "src", src);
        watch!(t, name, "mid", mid);
        watch!(t, name, "dst", dst);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let (t2, n2, s, m, d) = (t.clone(), name.clone(), src.clone(), mid.clone(), dst.clone());
        pipeline((src.clone(), mid.clone(), dst.clone()), move |res| {
            log!(t2, "{n2} pipeline cb {}", res.as_ref().err().map_or("undefined".into(), msg));
            log!(t2, "{n2} destroyed {} {} {}", s.destroyed(), m.destroyed(), d.destroyed());
            let _ = tx.send(());
        });
        for c in ["a", "b", "c"] {
            src.push(c.to_string());
        }
        let t3 = t.clone();
        set_immediate(move || {
            set_immediate(move || {
                log!(t3, "{name} destroying {target}");
                let err = with_error.then(|| StreamError::new("boom"));
                match target {
                    "src" => drop(src.destroy(err)),
                    "mid" => drop(mid.destroy(err)),
                    _ => drop(dst.destroy(err)),
                }
            });
        });
        rx.await.unwrap();
        immediate().await;
    }
    async fn self_destroy(t: &Trace) {
        let name = "self-destroy:";
        let src = Readable::<String>::object_builder().read(|_, _| {}).build();
        let (t1, n) = (t.clone(), std::cell::Cell::new(0));
        let mid = Transform::<String, String>::object_builder()
            .transform(move |this, c, _, cb| {
                n.set(n.get() + 1);
                if n.get() == 1 {
                    set_immediate(move || cb.call(Ok(Some(c))));
                    return;
                }
                let len = this.writable_length();
                log!(t1, "{name} mid destroys itself on {c} writableLength {len}");
                this.destroy(None);
                cb.call(Ok(Some(c)));
            })
            .build();
        let dst = Writable::<String>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let name = name.to_string();
        watch!(t, name, "src", src);
        watch!(t, name, "mid", mid);
        watch!(t, name, "dst", dst);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let t2 = t.clone();
        pipeline((src.clone(), mid, dst), move |res| {
            let err = res.err();
            let code = err.as_ref().map_or("undefined".into(), msg);
            let message = err.as_ref().map_or("undefined", |e| e.message());
            log!(t2, "{name} pipeline cb {code} {message}");
            let _ = tx.send(());
        });
        for c in ["a", "b", "c"] {
            src.push(c.to_string());
        }
        rx.await.unwrap();
        immediate().await;
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        for target in ["src", "mid", "dst"] {
            for with_error in [false, true] {
                one(&tt, target, with_error).await;
            }
        }
        self_destroy(&tt).await;
    });
    assert_trace("pipeline-destroy-outside", &t);
}
