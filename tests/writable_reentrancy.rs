//! Re-entrancy: every public operation of a Writable (`write`, `end`,
//! `cork`, `uncork`, `destroy`) called from inside every kind of listener
//! (`'drain'`, `'finish'`, `'error'`, `'close'`, `'prefinish'`), from
//! inside producer callbacks (of `write` and `end`) and from inside the
//! implementation's own hooks (`write`, `writev`, `final`), with hooks that
//! complete synchronously, on the next tick, or on a later turn. None may
//! panic (a `RefCell` borrow held across user code would), and nothing may
//! be lost: every callback is called exactly once, every chunk reaches the
//! implementation at most once and in order, every success was written.
#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use bytes::Bytes;
use streams::{events, next_tick, set_immediate, StreamError, Writable, WriteCallback};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Drain,
    Finish,
    Prefinish,
    Error,
    Close,
    WriteCb,
    EndCb,
    WriteHook,
    WritevHook,
    FinalHook,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Write,
    End,
    Cork,
    Uncork,
    CorkWriteUncork,
    Destroy,
    DestroyWithError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completion {
    Sync,
    Tick,
    /// `cb.call_next_tick(result)`: the callback itself queued as a tick.
    TickUnboxed,
    Immediate,
}

const PLACES: [Place; 10] = [
    Place::Drain,
    Place::Finish,
    Place::Prefinish,
    Place::Error,
    Place::Close,
    Place::WriteCb,
    Place::EndCb,
    Place::WriteHook,
    Place::WritevHook,
    Place::FinalHook,
];
const ACTIONS: [Action; 7] = [
    Action::Write,
    Action::End,
    Action::Cork,
    Action::Uncork,
    Action::CorkWriteUncork,
    Action::Destroy,
    Action::DestroyWithError,
];
const COMPLETIONS: [Completion; 4] =
    [Completion::Sync, Completion::Tick, Completion::TickUnboxed, Completion::Immediate];

/// The chunk that the implementation fails, in the `Error` place.
const FAILING: u32 = 3;

/// What happened, shared by the hooks, listeners and callbacks.
#[derive(Default)]
struct Record {
    next_id: Cell<u32>,
    /// Ids of the chunks the stream accepted, in write order.
    accepted: RefCell<Vec<u32>>,
    /// Ids as the implementation received them.
    written: RefCell<Vec<u32>>,
    /// Every result each write callback received.
    write_results: RefCell<HashMap<u32, Vec<Result<(), StreamError>>>>,
    /// Calls of each `end` callback.
    end_calls: RefCell<Vec<u32>>,
    ends: Cell<u32>,
    fired: Cell<bool>,
}

struct Case {
    place: Place,
    action: Action,
    completion: Completion,
    writev: bool,
}

/// Everything a place needs to act: the stream (weakly: a listener must not
/// keep its own stream alive) and the record.
#[derive(Clone)]
struct Ctx {
    w: Rc<RefCell<Option<Writable>>>,
    rec: Rc<Record>,
    place: Place,
    action: Action,
}

impl Ctx {
    fn stream(&self) -> Writable {
        self.w.borrow().clone().expect("stream set before any event")
    }

    /// Runs the action if `here` is the place under test, the first time.
    fn at(&self, here: Place) {
        if here != self.place || self.rec.fired.replace(true) {
            return;
        }
        let w = self.stream();
        match self.action {
            Action::Write => write(&w, self),
            Action::End => end(&w, self),
            Action::Cork => w.cork(),
            Action::Uncork => w.uncork(),
            Action::CorkWriteUncork => {
                w.cork();
                write(&w, self);
                write(&w, self);
                w.uncork();
            }
            Action::Destroy => {
                w.destroy(None);
            }
            Action::DestroyWithError => {
                w.destroy(Some(StreamError::new("destroyed by the test")));
            }
        }
    }
}

fn chunk(id: u32) -> Bytes {
    Bytes::copy_from_slice(&id.to_be_bytes())
}

fn id_of(chunk: &Bytes) -> u32 {
    u32::from_be_bytes(chunk[..4].try_into().expect("4-byte chunks"))
}

/// A producer write with a callback that records its result.
fn write(w: &Writable, ctx: &Ctx) {
    let id = ctx.rec.next_id.get() + 1;
    ctx.rec.next_id.set(id);
    let accepted = !w.writable_ended() && !w.destroyed();
    if accepted {
        ctx.rec.accepted.borrow_mut().push(id);
    }
    let c = ctx.clone();
    w.write_with(chunk(id), move |result| {
        c.rec.write_results.borrow_mut().entry(id).or_default().push(result);
        c.at(Place::WriteCb);
    });
}

fn end(w: &Writable, ctx: &Ctx) {
    let n = ctx.rec.ends.get() + 1;
    ctx.rec.ends.set(n);
    let c = ctx.clone();
    w.end_with(None, move |_| {
        c.rec.end_calls.borrow_mut().push(n);
        c.at(Place::EndCb);
    });
}

fn complete(completion: Completion, cb: WriteCallback, result: Result<(), StreamError>) {
    match completion {
        Completion::Sync => cb.call(result),
        Completion::Tick => next_tick(move || cb.call(result)),
        Completion::TickUnboxed => cb.call_next_tick(result),
        Completion::Immediate => {
            set_immediate(move || cb.call(result));
        }
    }
}

fn build(case: &Case, ctx: &Ctx) -> Writable {
    let completion = case.completion;
    let fail = case.place == Place::Error;
    let c = ctx.clone();
    let mut builder = Writable::builder().high_water_mark(8).write(move |_, data, _, cb| {
        let id = id_of(&data);
        c.rec.written.borrow_mut().push(id);
        c.at(Place::WriteHook);
        let result = if fail && id == FAILING { Err(StreamError::new("boom")) } else { Ok(()) };
        complete(completion, cb, result);
    });
    if case.writev {
        let c = ctx.clone();
        builder = builder.writev(move |_, chunks, cb| {
            let ids: Vec<u32> = chunks.iter().map(|c| id_of(&c.chunk)).collect();
            c.rec.written.borrow_mut().extend(&ids);
            c.at(Place::WritevHook);
            let result =
                if fail && ids.contains(&FAILING) { Err(StreamError::new("boom")) } else { Ok(()) };
            complete(completion, cb, result);
        });
    }
    let c = ctx.clone();
    builder = builder.final_(move |_, cb| {
        c.at(Place::FinalHook);
        match completion {
            Completion::Sync => cb.call(Ok(())),
            _ => {
                set_immediate(move || cb.call(Ok(())));
            }
        }
    });
    let w = builder.build();
    for place in [Place::Drain, Place::Finish, Place::Prefinish, Place::Error, Place::Close] {
        let c = ctx.clone();
        match place {
            Place::Drain => w.on(events::Drain, move |_| c.at(Place::Drain)),
            Place::Finish => w.on(events::Finish, move |_| c.at(Place::Finish)),
            Place::Prefinish => w.on(events::Prefinish, move |_| c.at(Place::Prefinish)),
            Place::Error => w.on(events::Error, move |_: &StreamError| c.at(Place::Error)),
            _ => w.on(events::Close, move |_| c.at(Place::Close)),
        };
    }
    w
}

/// Runs one case and checks that nothing was lost.
fn check(case: Case) {
    let rec = Rc::new(Record::default());
    let slot: Rc<RefCell<Option<Writable>>> = Rc::default();
    let ctx = Ctx { w: slot.clone(), rec: rec.clone(), place: case.place, action: case.action };
    let (place, writev) = (case.place, case.writev);
    let label = format!(
        "{:?} in {:?} ({:?} completion, writev {})",
        case.action, case.place, case.completion, case.writev
    );
    let final_state = streams::run(async move {
        let w = build(&case, &ctx);
        *ctx.w.borrow_mut() = Some(w.clone());
        // Corked writes past the hwm (so 'drain' is owed), a flush on the
        // next turn, then the end.
        w.cork();
        for _ in 0..6 {
            write(&w, &ctx);
        }
        let (w1, c1) = (w.clone(), ctx.clone());
        set_immediate(move || {
            w1.uncork();
            write(&w1, &c1);
        });
        // Let everything settle ('drain' comes only before the end), end,
        // settle; then undo any cork the action left behind (Node too keeps
        // corked data until uncork) and settle again.
        for _ in 0..40 {
            streams::immediate().await;
        }
        end(&w, &ctx);
        for _ in 0..40 {
            streams::immediate().await;
        }
        while w.writable_corked() > 0 {
            w.uncork();
        }
        for _ in 0..40 {
            streams::immediate().await;
        }
        let state =
            (w.destroyed(), w.errored().is_some(), w.writable_finished(), w.writable_length());
        // Break the handle cycle: listeners hold the slot.
        ctx.w.borrow_mut().take();
        state
    });
    drop(slot);
    let (destroyed, errored, finished, length) = final_state;
    if place != Place::WritevHook || writev {
        assert!(rec.fired.get(), "{label}: the place was never reached");
    }

    let accepted = rec.accepted.borrow().clone();
    let written = rec.written.borrow().clone();
    let results = rec.write_results.borrow();
    // Every write callback, accepted or refused, exactly once.
    for id in 1..=rec.next_id.get() {
        let n = results.get(&id).map_or(0, Vec::len);
        assert_eq!(n, 1, "{label}: write {id} called back {n} times");
    }
    // Every end callback exactly once.
    let mut ends = rec.end_calls.borrow().clone();
    ends.sort_unstable();
    assert_eq!(ends, (1..=rec.ends.get()).collect::<Vec<_>>(), "{label}: end callbacks");
    // Delivered once each, in order: a prefix of what was accepted.
    assert!(
        written.len() <= accepted.len() && written[..] == accepted[..written.len()],
        "{label}: written {written:?} is not a prefix of accepted {accepted:?}"
    );
    // A success means the implementation received the chunk.
    for (id, r) in results.iter() {
        if r[0].is_ok() {
            assert!(written.contains(id), "{label}: write {id} succeeded but was never written");
        }
    }
    if !destroyed && !errored {
        assert!(finished, "{label}: neither finished nor failed");
        assert_eq!(written, accepted, "{label}: finished without writing everything");
        assert_eq!(length, 0, "{label}: finished with data buffered");
        for id in &accepted {
            assert!(results[id][0].is_ok(), "{label}: write {id} failed in a clean run");
        }
    }
}

#[test]
fn every_operation_from_every_place_loses_nothing() {
    for place in PLACES {
        for action in ACTIONS {
            for completion in COMPLETIONS {
                for writev in [false, true] {
                    check(Case { place, action, completion, writev });
                }
            }
        }
    }
}

/// The places that must fire in the matrix above do fire, so the matrix
/// tests what it claims to.
#[test]
fn every_place_is_reached() {
    for place in PLACES {
        for completion in COMPLETIONS {
            let writev = place == Place::WritevHook;
            let rec = Rc::new(Record::default());
            let ctx = Ctx {
                w: Rc::default(),
                rec: rec.clone(),
                place,
                // A harmless action: nothing changes but `fired`.
                action: Action::Uncork,
            };
            let case = Case { place, action: Action::Uncork, completion, writev };
            streams::run(async move {
                let w = build(&case, &ctx);
                *ctx.w.borrow_mut() = Some(w.clone());
                w.cork();
                for _ in 0..6 {
                    write(&w, &ctx);
                }
                w.uncork();
                for _ in 0..40 {
                    streams::immediate().await;
                }
                // Only now: no 'drain' is emitted once ending.
                end(&w, &ctx);
                for _ in 0..40 {
                    streams::immediate().await;
                }
                ctx.w.borrow_mut().take();
            });
            assert!(rec.fired.get(), "{place:?} ({completion:?}) never reached");
        }
    }
}

/// The write hook re-entered from its own synchronous callback: Node calls
/// `_write` for the next buffered chunk from inside the callback of the
/// previous one, and so the deferred producer callbacks come in that
/// nested order.
#[test]
fn sync_callback_reenters_the_write_hook_as_node_does() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = log.clone();
    streams::run(async move {
        let slot: Rc<RefCell<Option<Writable>>> = Rc::default();
        let (s, l1) = (slot.clone(), l.clone());
        let w = Writable::builder()
            .write(move |_, data, _, cb| {
                let name = String::from_utf8_lossy(&data).into_owned();
                l1.borrow_mut().push(format!("_write {name}"));
                if name == "a" {
                    let w = s.borrow().clone().unwrap();
                    let l2 = l1.clone();
                    w.write_with(Bytes::from("b"), move |_| l2.borrow_mut().push("cb b".into()));
                }
                cb.call(Ok(()));
                l1.borrow_mut().push(format!("after cb {name}"));
            })
            .build();
        *slot.borrow_mut() = Some(w.clone());
        let l3 = l.clone();
        w.write_with(Bytes::from("a"), move |_| l3.borrow_mut().push("cb a".into()));
        slot.borrow_mut().take();
    });
    // What Node v24 prints for the same program.
    assert_eq!(*log.borrow(), ["_write a", "_write b", "after cb b", "after cb a", "cb b", "cb a"]);
}

/// `cb.call_next_tick(result)` takes the place in the tick queue that
/// `next_tick(move || cb.call(result))` would: after the ticks queued
/// before it, before those queued after; an error it carries reaches the
/// write's callback, then `'error'`.
#[test]
fn call_next_tick_keeps_the_tick_queue_order() {
    let log = Rc::new(RefCell::new(Vec::<String>::new()));
    let l = log.clone();
    streams::run(async move {
        let lw = l.clone();
        let w = Writable::builder()
            .write(move |_, data, _, cb| {
                let failing = &data[..] == b"bad";
                let l1 = lw.clone();
                next_tick(move || l1.borrow_mut().push("tick before".into()));
                let result = if failing { Err(StreamError::new("bad chunk")) } else { Ok(()) };
                cb.call_next_tick(result);
                let l2 = lw.clone();
                next_tick(move || l2.borrow_mut().push("tick after".into()));
            })
            .build();
        let le = l.clone();
        w.on(events::Error, move |e: &StreamError| {
            le.borrow_mut().push(format!("error {}", e.message()))
        });
        let l3 = l.clone();
        w.write_with(Bytes::from("ok"), move |r| {
            l3.borrow_mut().push(format!("cb ok {}", r.is_ok()))
        });
        let l4 = l.clone();
        set_immediate(move || {
            w.write_with(Bytes::from("bad"), move |r| {
                l4.borrow_mut().push(format!(
                    "cb bad {}",
                    r.err().map(|e| e.message().to_string()).unwrap_or_default()
                ));
            });
        });
    });
    assert_eq!(
        *log.borrow(),
        [
            "tick before",
            "cb ok true",
            "tick after",
            "tick before",
            "cb bad bad chunk",
            "tick after",
            "error bad chunk",
        ]
    );
}
