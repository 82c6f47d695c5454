//! The `finished-*` scenarios.

use streams::{
    events, finished, immediate, run, set_immediate, Duplex, FinishedOptions, Readable,
    StreamError, Writable,
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
