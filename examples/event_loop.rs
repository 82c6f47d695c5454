//! The event loop at work: Node's ordering of synchronous code, ticks,
//! microtasks, immediates, timers and tasks, printed as it happens.
//!
//! Run with `cargo run --example event_loop`.

use std::time::Duration;

use streams::events::{Data, End, EventEmitter};
use streams::{next_tick, queue_microtask, run, set_immediate, spawn};

fn main() {
    run(async {
        let emitter = std::rc::Rc::new(EventEmitter::<String>::new());
        emitter.on(Data, |chunk: &String| println!("'data' listener got {chunk:?}"));
        emitter.once(End, |_| println!("'end' listener (once)"));

        set_immediate(|| println!("4. setImmediate: the check phase, after ticks and ready I/O"));
        queue_microtask(|| println!("3. queueMicrotask: after the nextTick queue is empty"));
        let e = emitter.clone();
        next_tick(move || {
            println!("2. nextTick: right after the current macrotask");
            e.emit(Data, &"hello".to_string());
            e.emit(End, &());
            e.emit(End, &()); // nobody listens any more
        });
        spawn(async {
            tokio::time::sleep(Duration::from_millis(20)).await;
            println!("5. a spawned task woke from a 20 ms timer; run() waited for it");
        });
        println!("1. synchronous code first");
    });
    println!("6. the loop is empty: run() returned");
}
