//! The `compose-*` scenarios.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use streams::{compose, events, immediate, next_tick, run, set_immediate, StreamError};
use streams::{Transform, Writable};

use crate::support::{assert_trace, log, Trace};

/// `err.code || err.message`, or `undefined`.
fn msg(e: Option<StreamError>) -> String {
    e.map_or("undefined".into(), |e| e.code().unwrap_or(e.message()).to_string())
}

/// Logs what the script's `watch` logs; returns the stream.
macro_rules! watch {
    ($t:expr, $name:expr, $s:expr) => {{
        let s = $s;
        let name: &'static str = $name;
        let t0 = $t.clone();
        s.on(events::Prefinish, move |_| log!(t0, "{name} prefinish"));
        let t1 = $t.clone();
        s.on(events::Finish, move |_| log!(t1, "{name} finish"));
        let t2 = $t.clone();
        s.on(events::End, move |_| log!(t2, "{name} end"));
        let t3 = $t.clone();
        s.on(events::Close, move |_| log!(t3, "{name} close"));
        let t4 = $t.clone();
        s.on(events::Drain, move |_| log!(t4, "{name} drain"));
        let t5 = $t.clone();
        s.on(events::Error, move |e: &StreamError| {
            log!(t5, "{name} error {}", msg(Some(e.clone())))
        });
        s
    }};
}

/// The script's `t`: an object transform appending `suffix`, hwm 2 on both
/// sides, failing on `fail_on`.
fn t(
    tr: &Trace,
    name: &'static str,
    suffix: &'static str,
    fail_on: Option<&'static str>,
) -> Transform<String, String> {
    let tr2 = tr.clone();
    let s = Transform::<String, String>::object_builder()
        .high_water_mark(2)
        .transform(move |_, c, _, cb| {
            if Some(c.as_str()) == fail_on {
                log!(tr2, "{name} fails on {c}");
                cb.call(Err(StreamError::new(format!("{name} failed"))));
                return;
            }
            cb.call(Ok(Some(c + suffix)));
        })
        .build();
    watch!(tr, name, s)
}

async fn settle() {
    for _ in 0..3 {
        immediate().await;
    }
}

#[test]
fn compose_events() {
    let tr = Trace::new();
    let t0 = tr.clone();
    run(async move {
        let tr = t0;
        // basic
        tr.log("-- basic");
        let c = watch!(tr, "c", compose((t(&tr, "a", "1", None), t(&tr, "b", "2", None))));
        log!(
            tr,
            "objectMode {} {} hwm {} {}",
            c.readable_object_mode(),
            c.writable_object_mode(),
            c.readable_high_water_mark(),
            c.writable_high_water_mark()
        );
        let t1 = tr.clone();
        c.on(events::Data, move |d: &String| log!(t1, "c data {d}"));
        log!(tr, "write x {}", c.write("x".into()));
        log!(tr, "write y {}", c.write("y".into()));
        c.end(None);
        tr.log("end called");
        next_tick(tr.later("tick"));
        settle().await;

        // backpressure
        tr.log("-- backpressure");
        let inner = (t(&tr, "a", "1", None), t(&tr, "b", "2", None), t(&tr, "d", "3", None));
        let c = watch!(tr, "c", compose(inner));
        let (mut i, mut ok) = (0, true);
        while ok && i < 40 {
            ok = c.write(format!("v{i}"));
            log!(tr, "write {i} {ok} writableLength {}", c.writable_length());
            i += 1;
        }
        settle().await;
        log!(tr, "buffered {} {}", c.readable_length(), c.writable_length());
        let got = Rc::new(RefCell::new(Vec::new()));
        let ended = Rc::new(Cell::new(false));
        let e = ended.clone();
        c.on(events::End, move |_| e.set(true));
        let (t2, g, c2) = (tr.clone(), got.clone(), c.clone());
        c.once(events::Drain, move |_| {
            log!(t2, "drained after {} reads", g.borrow().len());
            c2.end("last".to_string());
        });
        loop {
            if let Some(v) = c.read(None) {
                got.borrow_mut().push(v);
            }
            if ended.get() {
                break;
            }
            immediate().await;
        }
        {
            let got = got.borrow();
            log!(tr, "got {} {} {}", got.len(), got[0], got[got.len() - 1]);
        }
        settle().await;

        // error in the middle
        tr.log("-- error in the middle");
        let (a, b, d) =
            (t(&tr, "a", "1", None), t(&tr, "b", "2", Some("y1")), t(&tr, "d", "3", None));
        let c = watch!(tr, "c", compose((a.clone(), b.clone(), d.clone())));
        let t3 = tr.clone();
        c.on(events::Data, move |v: &String| log!(t3, "c data {v}"));
        for v in ["x", "y", "z"] {
            c.write(v.into());
        }
        settle().await;
        log!(
            tr,
            "destroyed {} {} {} {}",
            a.destroyed(),
            b.destroyed(),
            d.destroyed(),
            c.destroyed()
        );

        // the composed stream destroyed
        tr.log("-- composed destroyed");
        let (a, b) = (t(&tr, "a", "1", None), t(&tr, "b", "2", None));
        let c = watch!(tr, "c", compose((a.clone(), b.clone())));
        c.write("x".into());
        settle().await;
        c.destroy(None);
        tr.log("destroy called");
        settle().await;
        log!(
            tr,
            "destroyed {} {} {} errored {} {} {}",
            a.destroyed(),
            b.destroyed(),
            c.destroyed(),
            msg(a.errored()),
            msg(b.errored()),
            msg(c.errored())
        );

        // piped into a Writable
        tr.log("-- piped into a Writable");
        let c = watch!(tr, "c", compose((t(&tr, "a", "1", None), t(&tr, "b", "2", None))));
        let t4 = tr.clone();
        let w = Writable::<String>::object_builder()
            .high_water_mark(1)
            .write(move |_, chunk, _, cb| {
                log!(t4, "w write {chunk}");
                set_immediate(move || cb.call(Ok(())));
            })
            .build();
        let w = watch!(tr, "w", w);
        c.pipe(&w);
        c.write("x".into());
        c.write("y".into());
        c.end("z".to_string());
        settle().await;
        settle().await;
        tr.log("done");
    });
    assert_trace("compose-events", &tr);
}
