//! The `pipeline-*` scenarios (but the async-generator one, which comes
//! with the async face).

use std::cell::RefCell;
use std::rc::Rc;

use bytes::Bytes;
use streams::{
    events, pipeline, run, set_immediate, Readable, Stream, StreamError, Transform, Writable,
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
