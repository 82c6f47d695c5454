//! `compose` of 2, 3 and 4 transforms: one Duplex whose writes go through
//! the chain and whose output comes out of its end.
//!
//! - Data comes out in order, with backpressure both ways: a producer that
//!   waits for `'drain'` after each `false` and a slow consumer.
//! - The end propagates: `end()` on the composed stream ends the chain, and
//!   the composed stream emits `'finish'` and `'end'` (once each, then
//!   `'close'`).
//! - An error in any inner stream destroys the composed stream with it.
//! - Destroying the composed stream destroys the inner ones, with
//!   `ABORT_ERR` as Node does (or with the error given).
//! - Its output pipes into a Writable.
//!
//! The event order of these cases is checked line for line against Node
//! v24 by the `compose-events` conformance scenario. Every test also checks
//! that no stream is left alive once the loop is idle.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use bytes::Bytes;
use streams::{
    compose, events, immediate, live_streams, run, set_immediate, Duplex, StreamError, Transform,
    Writable,
};

/// An object transform adding `add`, with a small buffer on both sides,
/// completing each chunk on the next turn of the loop; it fails on `fail`.
fn adder(add: u32, fail: Option<u32>) -> Transform<u32, u32> {
    Transform::object_builder()
        .high_water_mark(2)
        .transform(move |_, x: u32, _, cb| {
            if Some(x) == fail {
                cb.call(Err(StreamError::new(format!("failed on {x}"))));
                return;
            }
            set_immediate(move || cb.call(Ok(Some(x + add))));
        })
        .build()
}

/// `compose` of `n` (2 to 4) adders (1, 10, 100, 1000), the one at
/// `fail_stage` failing on input `fail_on`; returns the composed stream,
/// the inner ones, and what a chunk gains on the way.
fn chain(
    n: usize,
    fail_stage: Option<usize>,
    fail_on: u32,
) -> (Duplex<u32, u32>, Vec<Transform<u32, u32>>, u32) {
    let adds = [1, 10, 100, 1000];
    let mut input = 0;
    let inner: Vec<_> = (0..n)
        .map(|i| {
            let t = adder(adds[i], (fail_stage == Some(i)).then_some(fail_on + input));
            input += adds[i];
            t
        })
        .collect();
    let c = match inner.as_slice() {
        [a, b] => compose((a.clone(), b.clone())),
        [a, b, c] => compose((a.clone(), b.clone(), c.clone())),
        [a, b, c, d] => compose((a.clone(), b.clone(), c.clone(), d.clone())),
        _ => unreachable!("2 to 4 streams"),
    };
    (c, inner, adds[..n].iter().sum())
}

/// Counts each lifecycle event of a stream.
#[derive(Default, Debug)]
struct Events {
    finish: Cell<usize>,
    end: Cell<usize>,
    close: Cell<usize>,
    drain: Cell<usize>,
    errors: RefCell<Vec<StreamError>>,
}

macro_rules! count_events {
    ($s:expr) => {{
        let e = Rc::new(Events::default());
        let e1 = e.clone();
        $s.on(events::Finish, move |_| e1.finish.set(e1.finish.get() + 1));
        let e2 = e.clone();
        $s.on(events::End, move |_| e2.end.set(e2.end.get() + 1));
        let e3 = e.clone();
        $s.on(events::Close, move |_| e3.close.set(e3.close.get() + 1));
        let e4 = e.clone();
        $s.on(events::Drain, move |_| e4.drain.set(e4.drain.get() + 1));
        let e5 = e.clone();
        $s.on(events::Error, move |err: &StreamError| e5.errors.borrow_mut().push(err.clone()));
        e
    }};
}

#[test]
fn data_goes_through_in_order_with_backpressure() {
    for n in 2..=4 {
        let falses = Rc::new(Cell::new(0));
        let got = Rc::new(RefCell::new(Vec::new()));
        let (f, g) = (falses.clone(), got.clone());
        let (events, inner_closes, gain) = run(async move {
            let (c, inner, gain) = chain(n, None, 0);
            let events = count_events!(c);
            let inner_events: Vec<_> = inner.iter().map(|t| count_events!(t)).collect();
            drop(inner);
            // The producer: write until false, wait for 'drain'.
            let producer = {
                let (c, events) = (c.clone(), events.clone());
                streams::spawn(async move {
                    for i in 0..200u32 {
                        if !c.write(i) {
                            f.set(f.get() + 1);
                            let drains = events.drain.get();
                            while events.drain.get() == drains {
                                immediate().await;
                            }
                        }
                    }
                    c.end(None);
                })
            };
            // The consumer: one read per turn of the loop.
            while events.end.get() == 0 {
                if let Some(x) = c.read(None) {
                    g.borrow_mut().push(x);
                }
                immediate().await;
            }
            producer.await.unwrap();
            drop(c);
            for _ in 0..5 {
                immediate().await;
            }
            let closes: Vec<usize> = inner_events.iter().map(|e| e.close.get()).collect();
            (events, closes, gain)
        });
        let expected: Vec<u32> = (0..200).map(|i| i + gain).collect();
        assert_eq!(*got.borrow(), expected, "{n} streams");
        assert!(falses.get() > 0, "{n} streams: write() never returned false");
        assert_eq!(events.drain.get(), falses.get(), "{n} streams: one 'drain' per false");
        let once = (events.finish.get(), events.end.get(), events.close.get());
        assert_eq!(once, (1, 1, 1), "{n} streams: finish, end, close");
        assert!(events.errors.borrow().is_empty());
        assert_eq!(inner_closes, vec![1; n], "{n} streams: every inner stream closed once");
        assert_eq!(live_streams(), 0);
    }
}

#[test]
fn bytes_go_through_a_composed_byte_chain() {
    let out = Rc::new(RefCell::new(Vec::new()));
    let o = out.clone();
    run(async move {
        let upper = Transform::<Bytes, Bytes>::builder()
            .high_water_mark(8)
            .transform(|_, c, _, cb| cb.call(Ok(Some(Bytes::from(c.to_ascii_uppercase())))))
            .build();
        let brackets = Transform::<Bytes, Bytes>::builder()
            .high_water_mark(8)
            .transform(|_, c, _, cb| cb.call(Ok(Some(Bytes::from([b"[", &c[..], b"]"].concat())))))
            .flush(|_, cb| cb.call(Ok(Some(Bytes::from_static(b"!")))))
            .build();
        let c = compose((upper, brackets));
        assert!(!c.readable_object_mode() && !c.writable_object_mode());
        c.on(events::Data, move |chunk: &Bytes| o.borrow_mut().extend_from_slice(chunk));
        for word in ["ab", "cd", "ef"] {
            c.write(Bytes::from(word));
        }
        c.end(None);
    });
    assert_eq!(&out.borrow()[..], b"[AB][CD][EF]!");
    assert_eq!(live_streams(), 0);
}

#[test]
fn the_end_propagates_in_order() {
    for n in 2..=4 {
        let order = Rc::new(RefCell::new(Vec::new()));
        let o = order.clone();
        run(async move {
            let (c, inner, _) = chain(n, None, 0);
            let last = inner.last().unwrap().clone();
            for (name, s) in [("tail", &*last), ("composed", &c)] {
                let (o1, o2, o3) = (o.clone(), o.clone(), o.clone());
                s.on(events::Finish, move |_| o1.borrow_mut().push(format!("{name} finish")));
                s.on(events::End, move |_| o2.borrow_mut().push(format!("{name} end")));
                s.on(events::Close, move |_| o3.borrow_mut().push(format!("{name} close")));
            }
            c.resume();
            c.write(7);
            c.end(8);
        });
        let order = order.borrow();
        let at =
            |e: &str| order.iter().position(|x| x == e).unwrap_or_else(|| panic!("{e}: {order:?}"));
        // As Node: the composed stream finishes only once the tail is
        // done (ended and closed), and ends after the tail ended.
        assert!(at("tail finish") < at("composed finish"), "{order:?}");
        assert!(at("tail end") < at("composed end"), "{order:?}");
        assert!(at("tail close") < at("composed finish"), "{order:?}");
        assert!(at("composed finish") < at("composed close"), "{order:?}");
        assert!(at("composed end") < at("composed close"), "{order:?}");
        assert_eq!(order.len(), 6, "each once: {order:?}");
        assert_eq!(live_streams(), 0);
    }
}

#[test]
fn an_error_in_any_inner_stream_destroys_the_composed_stream() {
    for n in 2..=4 {
        for stage in 0..n {
            let (events, inner_events, destroyed) = run(async move {
                let (c, inner, _) = chain(n, Some(stage), 3);
                let events = count_events!(c);
                let inner_events: Vec<_> = inner.iter().map(|t| count_events!(t)).collect();
                c.resume();
                for i in 0..10 {
                    c.write(i);
                }
                for _ in 0..20 {
                    immediate().await;
                }
                let mut destroyed: Vec<bool> = inner.iter().map(|t| t.destroyed()).collect();
                destroyed.push(c.destroyed());
                (events, inner_events, destroyed)
            });
            let errors = events.errors.borrow();
            assert_eq!(errors.len(), 1, "{n} streams, stage {stage}: {errors:?}");
            let input = 3 + [0, 1, 11, 111][stage]; // 3 as it reaches the stage
            assert_eq!(errors[0].message(), format!("failed on {input}"));
            assert_eq!(events.close.get(), 1);
            assert!(destroyed.iter().all(|&d| d), "{n} streams, stage {stage}: {destroyed:?}");
            for (i, e) in inner_events.iter().enumerate() {
                assert_eq!(e.close.get(), 1, "{n} streams, stage {stage}: inner {i} closes once");
            }
            assert_eq!(live_streams(), 0);
        }
    }
}

#[test]
fn destroying_the_composed_stream_destroys_the_inner_ones() {
    for n in 2..=4 {
        for with_error in [false, true] {
            let errored = run(async move {
                let (c, inner, _) = chain(n, None, 0);
                let events = count_events!(c);
                c.resume();
                c.write(1);
                c.write(2);
                immediate().await;
                c.destroy(with_error.then(|| StreamError::new("stop")));
                for _ in 0..5 {
                    immediate().await;
                }
                assert_eq!(events.close.get(), 1);
                assert!(inner.iter().all(|t| t.destroyed()));
                let mut errored: Vec<_> = inner.iter().map(|t| t.errored()).collect();
                errored.push(c.errored());
                errored
            });
            for e in errored {
                let e = e.expect("every stream errored");
                if with_error {
                    assert_eq!(e.message(), "stop", "{n} streams");
                } else {
                    // Node's AbortError, ABORT_ERR, on every stream.
                    assert_eq!(e.code(), Some("ABORT_ERR"), "{n} streams: {e}");
                }
            }
            assert_eq!(live_streams(), 0);
        }
    }
}

#[test]
fn the_output_pipes_into_a_writable() {
    for n in 2..=4 {
        let got = Rc::new(RefCell::new(Vec::new()));
        let finished = Rc::new(Cell::new(false));
        let (g, f) = (got.clone(), finished.clone());
        let gain = run(async move {
            let (c, _, gain) = chain(n, None, 0);
            let w = Writable::<u32>::object_builder()
                .high_water_mark(1)
                .write(move |_, x, _, cb| {
                    g.borrow_mut().push(x);
                    set_immediate(move || cb.call(Ok(())));
                })
                .build();
            w.on(events::Finish, move |_| f.set(true));
            c.pipe(&w);
            for i in 0..50 {
                c.write(i);
            }
            c.end(None);
            gain
        });
        assert_eq!(*got.borrow(), (0..50).map(|i| i + gain).collect::<Vec<_>>(), "{n} streams");
        assert!(finished.get());
        assert_eq!(live_streams(), 0);
    }
}
