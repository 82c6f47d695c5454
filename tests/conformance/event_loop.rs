//! The `loop-*` scenarios: Node's ordering of nextTick, microtasks and
//! setImmediate.

use crate::support::{assert_trace, log, Trace};
use streams::{immediate, next_tick, queue_microtask, run, set_immediate, spawn};

#[test]
fn loop_nested_ticks() {
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        let t = t2;
        set_immediate(t.later("immediate"));
        let t1 = t.clone();
        next_tick(move || {
            t1.log("tick 1");
            let t11 = t1.clone();
            next_tick(move || {
                t11.log("tick 1.1");
                next_tick(t11.later("tick 1.1.1"));
            });
            next_tick(t1.later("tick 1.2"));
        });
        next_tick(t.later("tick 2"));
        t.log("sync");
    });
    assert_trace("loop-nested-ticks", &t);
}

#[test]
fn loop_tick_vs_immediate() {
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        set_immediate(t2.later("immediate 1"));
        next_tick(t2.later("tick 1"));
        set_immediate(t2.later("immediate 2"));
        next_tick(t2.later("tick 2"));
        t2.log("sync");
    });
    assert_trace("loop-tick-vs-immediate", &t);
}

#[test]
fn loop_tick_from_immediate() {
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        let t = t2;
        let a = t.clone();
        set_immediate(move || {
            a.log("immediate 1");
            let a2 = a.clone();
            next_tick(move || {
                a2.log("tick from immediate 1");
                next_tick(a2.later("nested tick from immediate 1"));
            });
        });
        let b = t.clone();
        set_immediate(move || {
            b.log("immediate 2");
            next_tick(b.later("tick from immediate 2"));
        });
        t.log("sync");
    });
    assert_trace("loop-tick-from-immediate", &t);
}

#[test]
fn loop_immediate_from_tick() {
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        let t = t2;
        let a = t.clone();
        set_immediate(move || {
            a.log("immediate A");
            set_immediate(a.later("immediate C (queued by A)"));
            next_tick(a.later("tick from A"));
        });
        let b = t.clone();
        next_tick(move || {
            b.log("tick");
            set_immediate(b.later("immediate B (queued by tick)"));
        });
        t.log("sync");
    });
    assert_trace("loop-immediate-from-tick", &t);
}

#[test]
fn loop_microtask_order() {
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        let t = t2;
        let a = t.clone();
        queue_microtask(move || {
            a.log("microtask 1");
            next_tick(a.later("tick from microtask 1"));
            queue_microtask(a.later("microtask 1.1"));
        });
        let b = t.clone();
        next_tick(move || {
            b.log("tick 1");
            queue_microtask(b.later("microtask from tick 1"));
        });
        queue_microtask(t.later("microtask 2"));
        next_tick(t.later("tick 2"));
        set_immediate(t.later("immediate"));
        t.log("sync");
    });
    assert_trace("loop-microtask-order", &t);
}

#[test]
fn loop_two_tasks() {
    async fn task(t: Trace, name: &'static str) {
        for i in 0..3 {
            log!(t, "{name} step {i}");
            next_tick(t.later(format!("{name} tick {i}")));
            immediate().await;
        }
        log!(t, "{name} done");
    }
    let t = Trace::new();
    let t2 = t.clone();
    run(async move {
        spawn(task(t2.clone(), "A"));
        spawn(task(t2.clone(), "B"));
        t2.log("sync");
    });
    assert_trace("loop-two-tasks", &t);
}
