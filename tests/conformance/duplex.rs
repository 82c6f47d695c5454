//! The `duplex-*` scenarios.

use bytes::Bytes;
use streams::encoding::Encoding;
use streams::{events, next_tick, run, Duplex};

use crate::support::{assert_trace, b, log, show, Trace};

/// `Buffer.isBuffer(c) ? 'buffer' : typeof c` for what a byte side's
/// `_write` receives: a `Bytes` chunk with no encoding is a Buffer, one
/// kept as text (`decodeStrings: false`) is a string.
fn js_kind(encoding: Option<Encoding>) -> &'static str {
    match encoding {
        None => "buffer",
        Some(_) => "string",
    }
}

#[test]
fn duplex_allowhalfopen_false() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let tf = t.clone();
        let d = Duplex::<Bytes, Bytes>::builder()
            .allow_half_open(false)
            .read(|_, _| {})
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", show(Some(chunk)));
                cb.call(Ok(()));
            })
            .final_(move |_, cb| {
                tf.log("_final");
                cb.call(Ok(()));
            })
            .build();
        log!(t, "allowHalfOpen {}", d.allow_half_open());
        let t1 = t.clone();
        d.on(events::Data, move |c: &Bytes| log!(t1, "data {}", show(Some(c.clone()))));
        let (t2, d2) = (t.clone(), d.clone());
        d.on(events::End, move |_| {
            log!(t2, "end writable {} writableEnded {}", d2.writable(), d2.writable_ended());
            let (t2, d2) = (t2.clone(), d2.clone());
            next_tick(move || log!(t2, "nextTick after end writableEnded {}", d2.writable_ended()));
        });
        let t3 = t.clone();
        d.on(events::Finish, move |_| t3.log("finish"));
        let t4 = t.clone();
        d.on(events::Close, move |_| t4.log("close"));
        d.write_str("w1", None);
        d.push(b("r1"));
        d.push(None);
    });
    assert_trace("duplex-allowhalfopen-false", &t);
}

/// `{ k: 1 }`, the object the scenario pushes, printed as
/// `JSON.stringify` prints it.
#[derive(Debug, Clone)]
struct K {
    k: u32,
}

impl K {
    fn json(&self) -> String {
        format!("{{\"k\":{}}}", self.k)
    }
}

#[test]
fn duplex_independent_buffers() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let tw = t.clone();
        let d = Duplex::<Bytes, Bytes>::builder()
            .readable_high_water_mark(2)
            .writable_high_water_mark(5)
            .read(|_, _| {})
            .write(move |_, chunk, _, cb| {
                log!(tw, "_write {}", show(Some(chunk)));
                // Never calls back: keeps the writable buffer full.
                drop(cb);
            })
            .build();
        log!(
            t,
            "readableHighWaterMark {} writableHighWaterMark {}",
            d.readable_high_water_mark(),
            d.writable_high_water_mark()
        );
        let lengths = |d: &Duplex| {
            format!("readableLength {} writableLength {}", d.readable_length(), d.writable_length())
        };
        let ret = d.push(b("abc"));
        log!(t, "push abc -> {ret} {}", lengths(&d));
        let ret = d.write_str("abc", None);
        log!(t, "write abc -> {ret} {}", lengths(&d));
        let ret = d.write_str("de", None);
        log!(t, "write de -> {ret} {}", lengths(&d));
        let got = show(d.read(None));
        log!(t, "read() -> {got} {}", lengths(&d));

        let tm = t.clone();
        let m = Duplex::<K, Bytes>::object_builder()
            .writable_object_mode(false)
            .read(|_, _| {})
            .write(move |_, chunk, encoding, cb| {
                log!(tm, "m _write {} {}", js_kind(encoding), show(Some(chunk)));
                cb.call(Ok(()));
            })
            .build();
        log!(
            t,
            "m readableObjectMode {} writableObjectMode {}",
            m.readable_object_mode(),
            m.writable_object_mode()
        );
        log!(
            t,
            "m readableHighWaterMark {} writableHighWaterMark {}",
            m.readable_high_water_mark(),
            m.writable_high_water_mark()
        );
        m.push(K { k: 1 });
        m.write_str("str", None);
        log!(t, "m read() -> {}", m.read(None).map_or_else(|| "null".to_string(), |k| k.json()));
    });
    assert_trace("duplex-independent-buffers", &t);
}

#[test]
fn duplex_doublestream() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let (tw, tr, tf) = (t.clone(), t.clone(), t.clone());
        let d = Duplex::<Bytes, Bytes>::builder()
            .write(move |this, chunk, _, cb| {
                log!(tw, "_write {}", show(Some(chunk.clone())));
                this.push(chunk.clone());
                this.push(chunk);
                cb.call(Ok(()));
            })
            .read(move |_, size| log!(tr, "_read {size}"))
            .final_(move |this, cb| {
                tf.log("_final");
                this.push(None);
                cb.call(Ok(()));
            })
            .build();
        let t1 = t.clone();
        d.on(events::Data, move |c: &Bytes| log!(t1, "data {}", show(Some(c.clone()))));
        let t2 = t.clone();
        d.on(events::Finish, move |_| t2.log("finish"));
        let t3 = t.clone();
        d.on(events::End, move |_| t3.log("end"));
        let t4 = t.clone();
        d.on(events::Close, move |_| t4.log("close"));
        d.write_str("a", None);
        d.write_str("b", None);
        d.end_str("c", None);
        log!(t, "sync done readableLength {}", d.readable_length());
    });
    assert_trace("duplex-doublestream", &t);
}

#[test]
fn duplex_from_pair() {
    use std::cell::Cell;
    use streams::{Readable, StreamError, Writable};

    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        // basic
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let t0 = t.clone();
        let w: Writable = Writable::builder()
            .write(move |_, c: Bytes, _, cb| {
                log!(t0, "w _write {}", show(Some(c)));
                cb.call(Ok(()));
            })
            .build();
        let d = Duplex::from_pair(&r, &w);
        let t1 = t.clone();
        d.on(events::Data, move |c: &Bytes| log!(t1, "d data {}", show(Some(c.clone()))));
        let t2 = t.clone();
        d.on(events::End, move |_| t2.log("d end"));
        let t3 = t.clone();
        d.on(events::Finish, move |_| t3.log("d finish"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let tx = Cell::new(Some(tx));
        let (t4, r4, w4) = (t.clone(), r.clone(), w.clone());
        d.on(events::Close, move |_| {
            log!(t4, "d close r destroyed {} w destroyed {}", r4.destroyed(), w4.destroyed());
            if let Some(tx) = tx.take() {
                let _ = tx.send(());
            }
        });
        let t5 = t.clone();
        w.on(events::Finish, move |_| t5.log("w finish"));
        let t6 = t.clone();
        r.on(events::End, move |_| t6.log("r end"));
        d.write(b("ping"));
        r.push(b("pong"));
        r.push(None);
        d.end(None);
        rx.await.unwrap();

        // error
        let r: Readable = Readable::builder().read(|_, _| {}).build();
        let w: Writable = Writable::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let d = Duplex::from_pair(&r, &w);
        let t1 = t.clone();
        d.on(events::Error, move |e: &StreamError| log!(t1, "d error {e}"));
        let (t2, r2, w2) = (t.clone(), r.clone(), w.clone());
        d.on(events::Close, move |_| {
            log!(
                t2,
                "d close r destroyed {} w destroyed {} w errored {}",
                r2.destroyed(),
                w2.destroyed(),
                w2.errored().map_or("null".into(), |e| e.to_string())
            )
        });
        let t3 = t.clone();
        r.on(events::Error, move |e: &StreamError| log!(t3, "r error {e}"));
        let t4 = t.clone();
        w.on(events::Error, move |e: &StreamError| log!(t4, "w error {e}"));
        r.destroy(Some(StreamError::new("boom")));
    });
    assert_trace("duplex-from-pair", &t);
}
