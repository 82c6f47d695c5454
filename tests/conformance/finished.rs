//! The `finished-*` scenarios.

use bytes::Bytes;
use streams::{
    events, finished, immediate, next_tick, run, set_immediate, Duplex, FinishedOptions,
    PassThrough, Readable, Stream, StreamError, Transform, Writable,
};

use crate::support::{assert_trace, b, log, Trace};

/// How the scenarios print a callback's `err`: `undefined` for none.
fn err_or_undefined(res: &Result<(), StreamError>) -> String {
    match res {
        Ok(()) => "undefined".into(),
        Err(e) => e.to_string(),
    }
}

#[test]
fn finished_writable() {
    async fn one(t: &Trace, name: &'static str, auto_destroy: bool) {
        let w: Writable = Writable::builder()
            .write(|_, _, _, cb| cb.call(Ok(())))
            .auto_destroy(auto_destroy)
            .build();
        let t1 = t.clone();
        w.on(events::Finish, move |_| log!(t1, "{name} finish"));
        let t2 = t.clone();
        w.on(events::Close, move |_| log!(t2, "{name} close"));
        let (tx, rx) = tokio::sync::oneshot::channel();
        let t3 = t.clone();
        let cleanup = finished(&w, FinishedOptions::default(), move |res| {
            log!(t3, "{name} finished cb err {}", err_or_undefined(&res));
            let _ = tx.send(());
        });
        // Node returns a cleanup function; ours is a `Cleanup` value.
        log!(t, "{name} cleanup is function {}", std::mem::size_of_val(&cleanup) > 0);
        w.end(b("x"));
        rx.await.unwrap();
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        one(&tt, "autoDestroy", true).await;
        one(&tt, "no-autoDestroy", false).await;
        tt.log("done");
    });
    assert_trace("finished-writable", &t);
}

#[test]
fn finished_duplex() {
    fn make(t: &Trace, name: &'static str) -> Duplex {
        let d: Duplex =
            Duplex::builder().read(|_, _| {}).write(|_, _, _, cb| cb.call(Ok(()))).build();
        let t1 = t.clone();
        d.on(events::End, move |_| log!(t1, "{name} end"));
        let t2 = t.clone();
        d.on(events::Finish, move |_| log!(t2, "{name} finish"));
        let t3 = t.clone();
        d.on(events::Close, move |_| log!(t3, "{name} close"));
        d
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let d = make(&t, "both");
        let t1 = t.clone();
        let _ = finished(&d, FinishedOptions::default(), move |res| {
            log!(t1, "both finished cb err {}", err_or_undefined(&res))
        });
        d.end(b("x"));
        immediate().await;
        t.log("both immediate (writable done, readable not yet)");
        d.push(None);
        d.resume();
        immediate().await;
        let w = make(&t, "writable-only");
        let t2 = t.clone();
        let opts = FinishedOptions { readable: Some(false), ..Default::default() };
        let _ = finished(&w, opts, move |res| {
            log!(t2, "writable-only finished cb err {}", err_or_undefined(&res))
        });
        w.end(b("y"));
    });
    assert_trace("finished-duplex", &t);
}

#[test]
fn finished_premature_close() {
    fn code_and_message(res: &Result<(), StreamError>) -> String {
        match res {
            Ok(()) => "undefined undefined".into(),
            Err(e) => format!("{} {}", e.code().unwrap_or("undefined"), e.message()),
        }
    }
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let t1 = t.clone();
        let _ = finished(&r, FinishedOptions::default(), move |res| {
            log!(t1, "readable finished cb {}", code_and_message(&res))
        });
        r.push(b("a"));
        r.destroy(None);
        set_immediate(move || {
            let w: Writable = Writable::builder()
                .write(|_, _, _, cb| {
                    set_immediate(move || cb.call(Ok(())));
                })
                .build();
            let t2 = t.clone();
            let _ = finished(&w, FinishedOptions::default(), move |res| {
                let code = res.err().and_then(|e| e.code().map(str::to_owned));
                log!(t2, "writable finished cb {}", code.as_deref().unwrap_or("undefined"))
            });
            w.write(b("a"));
            w.destroy(None);
            set_immediate(move || {
                let w2: Writable = Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
                w2.on(events::Error, |_: &StreamError| {});
                let t3 = t.clone();
                let _ = finished(&w2, FinishedOptions::default(), move |res| {
                    log!(t3, "errored finished cb {}", code_and_message(&res))
                });
                w2.destroy(Some(StreamError::new("explicit")));
            });
        });
    });
    assert_trace("finished-premature-close", &t);
}

/// How `finished-states` prints a callback's `err`: its code, else its
/// message, else `undefined`.
fn code_or_message(res: &Result<(), StreamError>) -> String {
    match res {
        Ok(()) => "undefined".into(),
        Err(e) => e.code().unwrap_or(e.message()).to_string(),
    }
}

/// Logs a stream's `'end'`, `'finish'`, `'close'` and `'error'` as
/// `finished-states`' `watch` does; returns the stream.
macro_rules! watch {
    ($t:expr, $name:expr, $s:expr) => {{
        let s = $s;
        let name: &'static str = $name;
        let t1 = $t.clone();
        s.on(events::End, move |_| log!(t1, "{name} end"));
        let t2 = $t.clone();
        s.on(events::Finish, move |_| log!(t2, "{name} finish"));
        let t3 = $t.clone();
        s.on(events::Close, move |_| log!(t3, "{name} close"));
        let t4 = $t.clone();
        s.on(events::Error, move |e: &StreamError| {
            log!(t4, "{name} error {}", e.code().unwrap_or(e.message()))
        });
        s
    }};
}

#[test]
fn finished_states() {
    /// The script's `check`: attaches `finished`, says so, and queues a
    /// tick that shows whether the callback ran before it.
    fn check<S: Stream>(t: &Trace, name: &'static str, s: &S, opts: FinishedOptions) {
        let t1 = t.clone();
        let _ =
            finished(s, opts, move |res| log!(t1, "{name} finished cb {}", code_or_message(&res)));
        log!(t, "{name} finished called");
        next_tick(t.later(format!("{name} tick")));
    }
    /// The script's `settle`: three turns of the loop.
    async fn settle() {
        for _ in 0..3 {
            immediate().await;
        }
    }
    let all = FinishedOptions::default();
    let no_readable = FinishedOptions { readable: Some(false), ..all };
    let no_writable = FinishedOptions { writable: Some(false), ..all };
    let no_error = FinishedOptions { error: false, ..all };
    let readable = |t: &Trace, name: &'static str| -> Readable {
        watch!(t, name, Readable::builder().read(|_, _| {}).build())
    };
    let writable = |t: &Trace, name: &'static str| -> Writable {
        watch!(t, name, Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).build())
    };
    let duplex = |t: &Trace, name: &'static str| -> Duplex {
        let d = Duplex::builder().read(|_, _| {}).write(|_, _, _, cb| cb.call(Ok(()))).build();
        watch!(t, name, d)
    };
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        // Readable
        let r = readable(&t, "r-fresh");
        check(&t, "r-fresh", &r, all);
        r.push(b("a"));
        r.push(None);
        r.resume();
        settle().await;

        let name = "r-ended-noautodestroy";
        let r: Readable =
            watch!(t, name, Readable::builder().read(|_, _| {}).auto_destroy(false).build());
        r.push(None);
        r.resume();
        settle().await;
        check(&t, name, &r, all);
        settle().await;

        let name = "r-ended-before-close";
        let r = readable(&t, name);
        let (t1, r1) = (t.clone(), r.clone());
        r.on(events::End, move |_| check(&t1, name, &r1, all));
        r.push(None);
        r.resume();
        settle().await;

        let r = readable(&t, "r-closed");
        r.push(None);
        r.resume();
        settle().await;
        check(&t, "r-closed", &r, all);
        settle().await;

        let name = "r-errored-noautodestroy";
        let r: Readable =
            watch!(t, name, Readable::builder().read(|_, _| {}).auto_destroy(false).build());
        r.push(None);
        r.push(b("late"));
        settle().await;
        check(&t, name, &r, all);
        settle().await;

        let name = "r-errored-before-close";
        let r = readable(&t, name);
        let (t1, r1) = (t.clone(), r.clone());
        r.on(events::Error, move |_: &StreamError| check(&t1, name, &r1, all));
        r.destroy(Some(StreamError::new("boom")));
        settle().await;

        let r = readable(&t, "r-errored-closed");
        r.destroy(Some(StreamError::new("boom")));
        settle().await;
        check(&t, "r-errored-closed", &r, all);
        settle().await;

        let r = readable(&t, "r-destroyed");
        r.push(b("a"));
        r.destroy(None);
        check(&t, "r-destroyed", &r, all);
        settle().await;

        let r = readable(&t, "r-destroyed-closed");
        r.destroy(None);
        settle().await;
        check(&t, "r-destroyed-closed", &r, all);
        settle().await;

        let name = "r-destroyed-noemitclose";
        let r: Readable =
            watch!(t, name, Readable::builder().read(|_, _| {}).emit_close(false).build());
        check(&t, name, &r, all);
        r.destroy(None);
        settle().await;

        let r = readable(&t, "r-opt-readable-false");
        check(&t, "r-opt-readable-false", &r, no_readable);
        r.push(None);
        r.resume();
        settle().await;

        let r = readable(&t, "r-opt-error-false");
        check(&t, "r-opt-error-false", &r, no_error);
        r.destroy(Some(StreamError::new("boom")));
        settle().await;

        let name = "r-opt-error-false-noautodestroy";
        let r: Readable =
            watch!(t, name, Readable::builder().read(|_, _| {}).auto_destroy(false).build());
        check(&t, name, &r, no_error);
        r.push(None);
        r.push(b("late"));
        settle().await;

        // Writable
        let w = writable(&t, "w-fresh");
        check(&t, "w-fresh", &w, all);
        w.end(b("x"));
        settle().await;

        let name = "w-finished-noautodestroy";
        let w: Writable = watch!(
            t,
            name,
            Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).auto_destroy(false).build()
        );
        w.end(b("x"));
        settle().await;
        check(&t, name, &w, all);
        settle().await;

        let name = "w-finished-before-close";
        let w = writable(&t, name);
        let (t1, w1) = (t.clone(), w.clone());
        w.on(events::Finish, move |_| check(&t1, name, &w1, all));
        w.end(b("x"));
        settle().await;

        let w = writable(&t, "w-closed");
        w.end(b("x"));
        settle().await;
        check(&t, "w-closed", &w, all);
        settle().await;

        let slow = || {
            Writable::builder()
                .write(|_, _, _, cb| {
                    set_immediate(move || cb.call(Ok(())));
                })
                .build()
        };
        let w: Writable = watch!(t, "w-ending", slow());
        w.write(b("a"));
        w.end(None);
        check(&t, "w-ending", &w, all);
        settle().await;

        let name = "w-errored-noautodestroy";
        let w: Writable = watch!(
            t,
            name,
            Writable::builder()
                .auto_destroy(false)
                .write(|_, _, _, cb| cb.call(Err(StreamError::new("write failed"))))
                .build()
        );
        w.write(b("a"));
        settle().await;
        check(&t, name, &w, all);
        settle().await;

        let name = "w-errored-before-close";
        let w = writable(&t, name);
        let (t1, w1) = (t.clone(), w.clone());
        w.on(events::Error, move |_: &StreamError| check(&t1, name, &w1, all));
        w.destroy(Some(StreamError::new("boom")));
        settle().await;

        let w: Writable = watch!(t, "w-destroyed-writing", slow());
        w.write(b("a"));
        w.destroy(None);
        check(&t, "w-destroyed-writing", &w, all);
        settle().await;

        let name = "w-destroyed-closed";
        let w: Writable = watch!(
            t,
            name,
            Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).auto_destroy(false).build()
        );
        w.destroy(None);
        settle().await;
        check(&t, name, &w, all);
        settle().await;

        let w = writable(&t, "w-opt-writable-false");
        check(&t, "w-opt-writable-false", &w, no_writable);
        w.end(b("x"));
        settle().await;

        let w = writable(&t, "w-opt-error-false");
        check(&t, "w-opt-error-false", &w, no_error);
        w.destroy(Some(StreamError::new("boom")));
        settle().await;

        // Duplex
        let d = duplex(&t, "d-fresh");
        check(&t, "d-fresh", &d, all);
        d.push(None);
        d.resume();
        let d1 = d.clone();
        set_immediate(move || {
            d1.end(None);
        });
        settle().await;

        let d = duplex(&t, "d-readable-ended");
        d.push(None);
        d.resume();
        settle().await;
        check(&t, "d-readable-ended", &d, all);
        d.end(None);
        settle().await;

        let name = "d-readable-ended-opt-writable-false";
        let d = duplex(&t, name);
        d.push(None);
        d.resume();
        settle().await;
        check(&t, name, &d, no_writable);
        settle().await;
        d.destroy(None);
        settle().await;

        let name = "d-writable-finished-opt-readable-false";
        let d = duplex(&t, name);
        d.end(None);
        settle().await;
        check(&t, name, &d, no_readable);
        settle().await;
        d.destroy(None);
        settle().await;

        let d = duplex(&t, "d-writable-finished");
        d.end(None);
        settle().await;
        check(&t, "d-writable-finished", &d, all);
        d.push(None);
        d.resume();
        settle().await;

        let d = duplex(&t, "d-readable-ended-destroyed");
        d.push(None);
        d.resume();
        settle().await;
        d.destroy(None);
        check(&t, "d-readable-ended-destroyed", &d, all);
        settle().await;

        let name = "d-option-readable-false";
        let d: Duplex = watch!(
            t,
            name,
            Duplex::builder()
                .readable(false)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build()
        );
        check(&t, name, &d, all);
        d.end(None);
        settle().await;

        let name = "d-option-writable-false";
        let d: Duplex = watch!(
            t,
            name,
            Duplex::builder()
                .writable(false)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build()
        );
        check(&t, name, &d, all);
        d.push(None);
        d.resume();
        settle().await;

        let name = "d-option-readable-false-opt-readable-false";
        let d: Duplex = watch!(
            t,
            name,
            Duplex::builder()
                .readable(false)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build()
        );
        check(&t, name, &d, no_readable);
        d.end(None);
        settle().await;

        let name = "d-option-writable-false-opt-writable-false";
        let d: Duplex = watch!(
            t,
            name,
            Duplex::builder()
                .writable(false)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build()
        );
        check(&t, name, &d, no_writable);
        d.push(None);
        d.resume();
        settle().await;

        let name = "d-noautodestroy";
        let d: Duplex = watch!(
            t,
            name,
            Duplex::builder()
                .auto_destroy(false)
                .read(|_, _| {})
                .write(|_, _, _, cb| cb.call(Ok(())))
                .build()
        );
        check(&t, name, &d, all);
        d.push(None);
        d.resume();
        d.end(None);
        settle().await;

        // Transform
        let name = "t-finished-unread";
        let p = watch!(t, name, PassThrough::new());
        p.end(b("x"));
        settle().await;
        check(&t, name, &p, all);
        p.resume();
        settle().await;

        let name = "t-finished-unread-opt-readable-false";
        let p = watch!(t, name, PassThrough::new());
        p.end(b("x"));
        settle().await;
        check(&t, name, &p, no_readable);
        settle().await;
        p.destroy(None);
        settle().await;

        let failing = || {
            Transform::<Bytes, Bytes>::builder()
                .transform(|_, _, _, cb| cb.call(Err(StreamError::new("bad chunk"))))
                .build()
        };
        let x = watch!(t, "t-error", failing());
        check(&t, "t-error", &x, all);
        x.write(b("x"));
        settle().await;

        let x = watch!(t, "t-error-opt-error-false", failing());
        check(&t, "t-error-opt-error-false", &x, no_error);
        x.write(b("x"));
        settle().await;

        t.log("done");
    });
    assert_trace("finished-states", &t);
}
