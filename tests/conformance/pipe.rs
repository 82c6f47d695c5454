//! The `pipe-*` scenarios.

use std::cell::Cell;
use std::rc::Rc;

use bytes::Bytes;
use streams::{events, run, set_immediate, Readable, Stream, StreamError, Writable};

use crate::support::{assert_trace, b, js_flowing, log, show, Trace};

/// `new Readable({ read() {} })`.
fn manual() -> Readable {
    Readable::builder().read(|_, _| {}).build()
}

/// A Writable whose `_write` logs the chunk and calls back at once.
fn logging_sink(t: &Trace) -> Writable {
    let t = t.clone();
    Writable::builder()
        .write(move |_, chunk: Bytes, _, cb| {
            log!(t, "_write {}", show(Some(chunk)));
            cb.call(Ok(()));
        })
        .build()
}

#[test]
fn pipe_basic() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let (t1, t2) = (t.clone(), t.clone());
        let w: Writable = Writable::builder()
            .write(move |_, chunk: Bytes, _, cb| {
                log!(t1, "_write {}", show(Some(chunk)));
                cb.call(Ok(()));
            })
            .final_(move |_, cb| {
                t2.log("_final");
                cb.call(Ok(()));
            })
            .build();
        let t3 = t.clone();
        r.on(events::End, move |_| t3.log("src end"));
        let t4 = t.clone();
        r.on(events::Close, move |_| t4.log("src close"));
        let t5 = t.clone();
        w.on(events::Finish, move |_| t5.log("dest finish"));
        let t6 = t.clone();
        w.on(events::Close, move |_| t6.log("dest close"));
        let ret = r.pipe(&w);
        log!(
            t,
            "pipe returned dest {} src flowing {}",
            ret.stream_id() == w.stream_id(),
            js_flowing(r.readable_flowing())
        );
        r.push(b("a"));
        r.push(b("b"));
        set_immediate(move || {
            r.push(b("c"));
            r.push(None);
        });
    });
    assert_trace("pipe-basic", &t);
}

#[test]
fn pipe_events() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let w = logging_sink(&t);
        let (t1, r1) = (t.clone(), r.clone());
        w.on(events::Pipe, move |src| {
            log!(
                t1,
                "pipe event src===r {} src flowing {}",
                *src == r1.stream_id(),
                js_flowing(r1.readable_flowing())
            )
        });
        let (t2, rid) = (t.clone(), r.stream_id());
        w.on(events::Unpipe, move |src| log!(t2, "unpipe event src===r {}", *src == rid));
        let t3 = t.clone();
        w.on(events::Finish, move |_| t3.log("finish"));
        let t4 = t.clone();
        w.on(events::Close, move |_| t4.log("close"));
        let t5 = t.clone();
        r.on(events::End, move |_| t5.log("src end"));
        t.log("before pipe");
        r.pipe(&w);
        t.log("after pipe");
        r.push(b("x"));
        r.push(None);
    });
    assert_trace("pipe-events", &t);
}

#[test]
fn pipe_backpressure() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let i = Cell::new(0);
        let t0 = t.clone();
        let r: Readable = Readable::builder()
            .high_water_mark(4)
            .read(move |this, size| {
                i.set(i.get() + 1);
                let chunk = (i.get() <= 6).then(|| format!("c{}", i.get()));
                log!(t0, "_read {size} push {}", chunk.as_deref().unwrap_or("null"));
                this.push(chunk.map(Bytes::from));
            })
            .build();
        let t1 = t.clone();
        let w: Writable = Writable::builder()
            .high_water_mark(4)
            .write(move |this, chunk: Bytes, _, cb| {
                log!(t1, "_write {} writableLength {}", show(Some(chunk)), this.writable_length());
                set_immediate(move || cb.call(Ok(())));
            })
            .build();
        let t2 = t.clone();
        r.on(events::Pause, move |_| t2.log("src pause"));
        let t3 = t.clone();
        r.on(events::Resume, move |_| t3.log("src resume"));
        let t4 = t.clone();
        w.on(events::Drain, move |_| t4.log("dest drain"));
        let t5 = t.clone();
        r.on(events::End, move |_| t5.log("src end"));
        let t6 = t.clone();
        w.on(events::Finish, move |_| t6.log("dest finish"));
        r.pipe(&w);
    });
    assert_trace("pipe-backpressure", &t);
}

#[test]
fn pipe_unpipe() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let w = logging_sink(&t);
        let (t1, rid) = (t.clone(), r.stream_id());
        w.on(events::Unpipe, move |src| log!(t1, "unpipe event src===r {}", *src == rid));
        let t2 = t.clone();
        w.on(events::Finish, move |_| t2.log("dest finish"));
        let t3 = t.clone();
        r.on(events::Pause, move |_| t3.log("src pause"));
        r.pipe(&w);
        r.push(b("a"));
        set_immediate(move || {
            t.log("unpipe");
            r.unpipe(Some(&w));
            log!(t, "after unpipe flowing {}", js_flowing(r.readable_flowing()));
            r.push(b("b"));
            r.push(None);
            set_immediate(move || {
                log!(
                    t,
                    "immediate src readableLength {} dest writableEnded {}",
                    r.readable_length(),
                    w.writable_ended()
                );
                let same = r.unpipe(Some(&w)).stream_id() == r.stream_id();
                log!(t, "unpipe again returns src {same}");
            });
        });
    });
    assert_trace("pipe-unpipe", &t);
}

#[test]
fn pipe_source_error() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let r = manual();
        let w = logging_sink(&t);
        let t1 = t.clone();
        r.on(events::Error, move |e: &StreamError| log!(t1, "src error {e}"));
        let t2 = t.clone();
        r.on(events::Close, move |_| t2.log("src close"));
        let t3 = t.clone();
        w.on(events::Unpipe, move |_| t3.log("dest unpipe"));
        let t4 = t.clone();
        w.on(events::Finish, move |_| t4.log("dest finish"));
        let t5 = t.clone();
        w.on(events::Close, move |_| t5.log("dest close"));
        let t6 = t.clone();
        w.on(events::Error, move |e: &StreamError| log!(t6, "dest error {e}"));
        r.pipe(&w);
        r.push(b("a"));
        let r = Rc::new(r);
        set_immediate(move || {
            r.destroy(Some(StreamError::new("boom")));
            set_immediate(move || {
                log!(
                    t,
                    "dest writable {} writableEnded {} destroyed {}",
                    w.writable(),
                    w.writable_ended(),
                    w.destroyed()
                );
                let t7 = t.clone();
                w.end_with(b("manual"), move |_| t7.log("dest end cb"));
            });
        });
    });
    assert_trace("pipe-source-error", &t);
}

#[test]
fn pipe_stdio_not_ended() {
    let t = Trace::new();
    let tt = t.clone();
    run(async move {
        let t = tt;
        let src = manual();
        let other = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
        let stderr = streams::io::stderr();
        let t1 = t.clone();
        stderr.on(events::Unpipe, move |_| t1.log("stderr unpipe"));
        let t2 = t.clone();
        other.on(events::Unpipe, move |_| t2.log("other unpipe"));
        let t3 = t.clone();
        other.on(events::Finish, move |_| t3.log("other finish"));
        let t4 = t.clone();
        src.on(events::End, move |_| t4.log("src end"));
        src.pipe(&*stderr);
        src.pipe(&other);
        src.push(None);
        set_immediate(move || {
            log!(
                t,
                "stderr writableEnded {} writable {}",
                stderr.writable_ended(),
                stderr.writable()
            );
            log!(t, "other writableEnded {} writable {}", other.writable_ended(), other.writable());
        });
    });
    assert_trace("pipe-stdio-not-ended", &t);
}
