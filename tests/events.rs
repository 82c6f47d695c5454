//! The typed `EventEmitter`: Node's `EventEmitter` semantics, event by
//! event — registration order, snapshots, `once`, re-entrancy, the
//! max-listeners warning, unhandled `'error'`, and listener destructors.

#![warn(rust_2018_idioms)]

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use streams::events::{
    Close, Data, Drain, End, Error, Event, EventEmitter, Finish, ListenerId, Pause, Resume,
    DEFAULT_MAX_LISTENERS,
};
use streams::StreamError;

/// The lines a test records, in order. Cheap to clone into listeners.
#[derive(Clone, Default)]
struct Log(Rc<RefCell<Vec<String>>>);

impl Log {
    fn push(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    /// A listener that records `line` whatever its argument.
    fn listener<A: ?Sized>(&self, line: &'static str) -> impl Fn(&A) + 'static {
        let log = self.clone();
        move |_| log.push(line)
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// Counts how many of its clones' closures have been dropped.
#[derive(Clone, Default)]
struct DropCounter(Rc<Cell<usize>>);

/// Owned by a listener closure; bumps the counter when the closure drops.
struct Probe(DropCounter);

impl Drop for Probe {
    fn drop(&mut self) {
        let count = &(self.0).0;
        count.set(count.get() + 1);
    }
}

impl DropCounter {
    fn probe(&self) -> Probe {
        Probe(self.clone())
    }

    fn dropped(&self) -> usize {
        self.0.get()
    }
}

/// Everything written to a `tracing` subscriber installed by [`capture`].
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `f` with a `tracing` subscriber that writes into a buffer, and
/// returns `f`'s output and the lines logged on this thread meanwhile.
fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    let buffer = Captured::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .without_time()
        .with_max_level(tracing::Level::TRACE)
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    (out, text.lines().map(str::to_owned).collect())
}

fn warnings(lines: &[String]) -> Vec<&String> {
    lines.iter().filter(|l| l.contains("MaxListenersExceededWarning")).collect()
}

// ---------------------------------------------------------------------------
// Registration, order, return values
// ---------------------------------------------------------------------------

#[test]
fn listeners_run_synchronously_in_registration_order() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    emitter.on(End, log.listener("first"));
    emitter.on(End, log.listener("second"));
    emitter.on(End, log.listener("third"));
    log.push("before emit");
    emitter.emit(End, &());
    log.push("after emit");
    assert_eq!(log.take(), ["before emit", "first", "second", "third", "after emit"]);
}

#[test]
fn emit_returns_whether_the_event_had_listeners() {
    let emitter = EventEmitter::<()>::new();
    assert!(!emitter.emit(End, &()));
    let id = emitter.on(End, |_| {});
    assert!(emitter.emit(End, &()));
    // Listeners of another event do not count.
    assert!(!emitter.emit(Finish, &()));
    assert!(emitter.off(id));
    assert!(!emitter.emit(End, &()));
}

#[test]
fn data_listeners_receive_the_emitters_chunk_type() {
    let bytes = EventEmitter::<Vec<u8>>::new();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = got.clone();
    bytes.on(Data, move |chunk: &Vec<u8>| g.borrow_mut().extend_from_slice(chunk));
    bytes.emit(Data, &vec![1, 2]);
    bytes.emit(Data, &vec![3]);
    assert_eq!(*got.borrow(), [1, 2, 3]);

    let strings = EventEmitter::<String>::new();
    let seen = Log::default();
    let s = seen.clone();
    strings.on(Data, move |chunk: &String| s.push(chunk.clone()));
    strings.emit(Data, &"chunk".to_string());
    assert_eq!(seen.take(), ["chunk"]);
}

#[test]
fn user_defined_events_carry_their_own_argument_type() {
    #[derive(Debug, Clone, Copy)]
    struct Progress;
    impl Event for Progress {
        type Arg<T: 'static> = (u64, u64);
        const NAME: &'static str = "progress";
    }

    let emitter = EventEmitter::<()>::new();
    let seen = Rc::new(Cell::new((0, 0)));
    let s = seen.clone();
    let id = emitter.on(Progress, move |done: &(u64, u64)| s.set(*done));
    assert!(emitter.emit(Progress, &(3, 10)));
    assert_eq!(seen.get(), (3, 10));
    assert_eq!(emitter.event_of(id), Some("progress"));
    assert_eq!(format!("{emitter:?}"), r#"{"progress": 1}"#);
}

#[test]
fn once_listeners_run_once() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    emitter.once(End, log.listener("once"));
    emitter.on(End, log.listener("on"));
    assert!(emitter.emit(End, &()));
    assert!(emitter.emit(End, &()));
    assert_eq!(log.take(), ["once", "on", "on"]);
    assert_eq!(emitter.listener_count(End), 1);
}

#[test]
fn once_listeners_are_removed_before_they_run() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let counts = Rc::new(RefCell::new(Vec::new()));
    let (e, c) = (emitter.clone(), counts.clone());
    emitter.once(End, move |_| c.borrow_mut().push(e.listener_count(End)));
    let (e, c) = (emitter.clone(), counts.clone());
    emitter.prepend_once_listener(End, move |_| c.borrow_mut().push(e.listener_count(End)));
    assert_eq!(emitter.listener_count(End), 2);
    emitter.emit(End, &());
    // Each saw itself gone already.
    assert_eq!(*counts.borrow(), [1, 0]);
    assert!(!emitter.emit(End, &()));
}

#[test]
fn off_removes_one_listener_by_id() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    emitter.on(Drain, log.listener("a"));
    let b = emitter.on(Drain, log.listener("b"));
    emitter.on(Drain, log.listener("c"));
    let once = emitter.once(Close, log.listener("close"));

    assert_eq!(emitter.event_of(b), Some("drain"));
    assert!(emitter.off(b));
    assert!(!emitter.off(b), "a second off of the same id finds nothing");
    assert_eq!(emitter.event_of(b), None);
    emitter.emit(Drain, &());
    assert_eq!(log.take(), ["a", "c"]);

    // off works on once listeners and whatever the event.
    assert!(emitter.off(once));
    assert!(!emitter.emit(Close, &()));
    assert_eq!(emitter.listener_count(Drain), 2);
}

#[test]
fn ids_are_distinct_even_for_the_same_closure_and_event() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    let a = emitter.on(End, log.listener("x"));
    let b = emitter.on(End, log.listener("x"));
    assert_ne!(a, b);
    emitter.off(a);
    emitter.emit(End, &());
    assert_eq!(log.take(), ["x"]);
}

#[test]
fn prepend_listener_and_prepend_once_listener_go_first() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    emitter.on(Finish, log.listener("on"));
    emitter.prepend_listener(Finish, log.listener("prepended"));
    emitter.prepend_once_listener(Finish, log.listener("prepended once"));
    emitter.once(Finish, log.listener("once"));
    emitter.emit(Finish, &());
    assert_eq!(log.take(), ["prepended once", "prepended", "on", "once"]);
    emitter.emit(Finish, &());
    assert_eq!(log.take(), ["prepended", "on"]);
}

#[test]
fn listener_count_counts_per_event() {
    let emitter = EventEmitter::<()>::new();
    assert_eq!(emitter.listener_count(End), 0);
    emitter.on(End, |_| {});
    emitter.once(End, |_| {});
    emitter.prepend_listener(End, |_| {});
    emitter.on(Close, |_| {});
    assert_eq!(emitter.listener_count(End), 3);
    assert_eq!(emitter.listener_count(Close), 1);
    assert_eq!(emitter.listener_count(Finish), 0);
    emitter.emit(End, &());
    assert_eq!(emitter.listener_count(End), 2, "the once listener left");
}

#[test]
fn remove_all_listeners_clears_one_event_only() {
    let emitter = EventEmitter::<()>::new();
    let log = Log::default();
    emitter.on(End, log.listener("end 1"));
    emitter.once(End, log.listener("end 2"));
    emitter.on(Close, log.listener("close"));
    emitter.remove_all_listeners(End);
    assert_eq!(emitter.listener_count(End), 0);
    assert!(!emitter.emit(End, &()));
    assert!(emitter.emit(Close, &()));
    assert_eq!(log.take(), ["close"]);
    // The event can be listened to again.
    emitter.on(End, log.listener("end 3"));
    emitter.emit(End, &());
    assert_eq!(log.take(), ["end 3"]);
    // Removing an event that has no listeners is a no-op.
    emitter.remove_all_listeners(Finish);
}

#[test]
fn clear_removes_every_listener() {
    let emitter = EventEmitter::<u8>::new();
    emitter.on(Data, |_: &u8| panic!("cleared"));
    emitter.on(End, |_| panic!("cleared"));
    emitter.once(Close, |_| panic!("cleared"));
    emitter.clear();
    assert!(!emitter.emit(Data, &1));
    assert!(!emitter.emit(End, &()));
    assert!(!emitter.emit(Close, &()));
    assert_eq!(format!("{emitter:?}"), "{}");
}

// ---------------------------------------------------------------------------
// Snapshots and re-entrancy
// ---------------------------------------------------------------------------

#[test]
fn a_listener_added_during_an_emit_is_not_called_by_it() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let (e, l) = (emitter.clone(), log.clone());
    emitter.once(End, move |_| {
        l.push("adder");
        e.on(End, l.listener("added"));
        e.prepend_listener(End, l.listener("prepended"));
    });
    emitter.on(End, log.listener("existing"));
    emitter.emit(End, &());
    assert_eq!(log.take(), ["adder", "existing"]);
    emitter.emit(End, &());
    assert_eq!(log.take(), ["prepended", "existing", "added"]);
}

#[test]
fn a_listener_removed_during_an_emit_is_still_called_by_it() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let victim: Rc<Cell<Option<ListenerId>>> = Rc::default();
    let (e, l, v) = (emitter.clone(), log.clone(), victim.clone());
    emitter.on(End, move |_| {
        l.push("remover");
        if let Some(id) = v.take() {
            assert!(e.off(id));
        }
    });
    victim.set(Some(emitter.on(End, log.listener("victim"))));
    emitter.emit(End, &());
    assert_eq!(log.take(), ["remover", "victim"], "Node calls it: emit works on a copy");
    emitter.emit(End, &());
    assert_eq!(log.take(), ["remover"]);
}

#[test]
fn remove_all_and_clear_during_an_emit_do_not_stop_it() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let (e, l) = (emitter.clone(), log.clone());
    emitter.on(End, move |_| {
        l.push("clearing");
        e.remove_all_listeners(End);
        e.clear();
    });
    emitter.on(End, log.listener("still called"));
    emitter.once(End, log.listener("once still called"));
    assert!(emitter.emit(End, &()));
    assert_eq!(log.take(), ["clearing", "still called", "once still called"]);
    assert!(!emitter.emit(End, &()));
}

#[test]
fn a_listener_can_remove_itself() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let me: Rc<Cell<Option<ListenerId>>> = Rc::default();
    let (e, l, m) = (emitter.clone(), log.clone(), me.clone());
    let id = emitter.on(Drain, move |_| {
        l.push("self-removing");
        assert!(e.off(m.get().unwrap()));
        assert!(!e.off(m.get().unwrap()));
    });
    me.set(Some(id));
    emitter.on(Drain, log.listener("next"));
    emitter.emit(Drain, &());
    emitter.emit(Drain, &());
    assert_eq!(log.take(), ["self-removing", "next", "next"]);
}

#[test]
fn once_runs_once_when_its_event_is_emitted_re_entrantly() {
    // Node: the outer emit's copy still holds the once wrapper, but the
    // wrapper fired in the inner emit, so the outer emit skips it.
    let emitter = Rc::new(EventEmitter::<u32>::new());
    let log = Log::default();
    let (e, l) = (emitter.clone(), log.clone());
    emitter.on(Data, move |depth: &u32| {
        l.push(format!("re-emitter {depth}"));
        if *depth == 0 {
            assert!(e.emit(Data, &1));
        }
    });
    let l = log.clone();
    emitter.once(Data, move |depth: &u32| l.push(format!("once {depth}")));
    let l = log.clone();
    emitter.on(Data, move |depth: &u32| l.push(format!("last {depth}")));

    emitter.emit(Data, &0);
    assert_eq!(log.take(), ["re-emitter 0", "re-emitter 1", "once 1", "last 1", "last 0"]);
    emitter.emit(Data, &0);
    assert_eq!(log.take(), ["re-emitter 0", "re-emitter 1", "last 1", "last 0"]);
}

#[test]
fn a_once_listener_that_re_emits_its_own_event_is_not_called_again() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let (e, l) = (emitter.clone(), log.clone());
    emitter.once(End, move |_| {
        l.push("once");
        // Already removed: the inner emit finds no listener.
        l.push(format!("inner emit returned {}", e.emit(End, &())));
    });
    assert!(emitter.emit(End, &()));
    assert_eq!(log.take(), ["once", "inner emit returned false"]);
}

#[test]
fn once_listeners_of_two_events_each_run_once_under_cross_emits() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let log = Log::default();
    let (e, l) = (emitter.clone(), log.clone());
    emitter.once(Pause, move |_| {
        l.push("pause");
        e.emit(Resume, &());
        e.emit(Pause, &());
    });
    let (e, l) = (emitter.clone(), log.clone());
    emitter.once(Resume, move |_| {
        l.push("resume");
        e.emit(Pause, &());
        e.emit(Resume, &());
    });
    emitter.emit(Pause, &());
    emitter.emit(Resume, &());
    assert_eq!(log.take(), ["pause", "resume"]);
}

/// A listener that calls every method of the emitter, emits other events
/// and its own event recursively: nothing may panic (no `RefCell` borrow is
/// held while user code runs).
#[test]
fn listeners_may_call_every_method_re_entrantly() {
    let emitter = Rc::new(EventEmitter::<u32>::new());
    let log = Log::default();
    let calls = Rc::new(Cell::new(0));

    let (e, l, c) = (emitter.clone(), log.clone(), calls.clone());
    emitter.on(Data, move |depth: &u32| {
        c.set(c.get() + 1);
        if *depth >= 4 {
            return;
        }
        let depth = *depth;
        // Register, query and remove while emitting.
        let added = e.on(Data, |_: &u32| {});
        let once = e.once(End, |_| {});
        e.prepend_listener(Close, |_| {});
        e.prepend_once_listener(Finish, |_| {});
        assert!(e.listener_count(Data) >= 2);
        assert_eq!(e.event_of(added), Some("data"));
        let _ = format!("{e:?}");
        e.set_max_listeners(e.max_listeners());
        // Emit other events, then the same one, recursively.
        e.emit(End, &());
        e.emit(Close, &());
        e.emit(Finish, &());
        e.emit(Data, &(depth + 1));
        assert!(e.off(added));
        e.off(once);
        e.remove_all_listeners(Close);
        l.push(format!("depth {depth} done"));
    });
    let (e, c) = (emitter.clone(), calls.clone());
    emitter.on(End, move |_| {
        c.set(c.get() + 1);
        // An End listener that emits Data at the deepest level only.
        e.emit(Data, &4);
        e.remove_all_listeners(Finish);
    });

    emitter.emit(Data, &0);
    assert_eq!(log.take(), ["depth 3 done", "depth 2 done", "depth 1 done", "depth 0 done"]);
    assert!(calls.get() > 8);

    // A listener that clears the emitter while it is nested in emits.
    let e = emitter.clone();
    emitter.on(Drain, move |_| {
        e.clear();
        e.emit(Drain, &());
        e.on(Drain, |_| {});
    });
    emitter.emit(Drain, &());
    assert_eq!(emitter.listener_count(Drain), 1);
    assert_eq!(emitter.listener_count(Data), 0);
}

// ---------------------------------------------------------------------------
// The max-listeners warning
// ---------------------------------------------------------------------------

#[test]
fn the_max_listeners_warning_is_logged_once_per_event_past_ten() {
    assert_eq!(DEFAULT_MAX_LISTENERS, 10);
    let emitter = EventEmitter::<()>::new();
    assert_eq!(emitter.max_listeners(), 10);
    let ((), lines) = capture(|| {
        for _ in 0..10 {
            emitter.on(End, |_| {});
        }
    });
    assert!(warnings(&lines).is_empty(), "ten listeners are fine: {lines:?}");

    let ((), lines) = capture(|| {
        emitter.once(End, |_| {}); // the 11th: once listeners count too
        for _ in 0..20 {
            emitter.on(End, |_| {});
        }
        emitter.emit(End, &());
    });
    let warned = warnings(&lines);
    assert_eq!(warned.len(), 1, "exactly one warning: {lines:?}");
    assert!(warned[0].contains("WARN"), "{}", warned[0]);
    assert!(warned[0].contains("11 end listeners added"), "{}", warned[0]);
    assert!(warned[0].contains("MaxListeners is 10"), "{}", warned[0]);

    // Another event has its own warning, once.
    let ((), lines) = capture(|| {
        for _ in 0..30 {
            emitter.prepend_listener(Close, |_| {});
        }
    });
    let warned = warnings(&lines);
    assert_eq!(warned.len(), 1, "{lines:?}");
    assert!(warned[0].contains("11 close listeners added"), "{}", warned[0]);
}

#[test]
fn set_max_listeners_changes_the_limit() {
    let emitter = EventEmitter::<()>::new();
    emitter.set_max_listeners(2);
    assert_eq!(emitter.max_listeners(), 2);
    let ((), lines) = capture(|| {
        emitter.on(End, |_| {});
        emitter.on(End, |_| {});
    });
    assert!(warnings(&lines).is_empty(), "{lines:?}");
    let ((), lines) = capture(|| {
        emitter.on(End, |_| {});
        emitter.on(End, |_| {});
    });
    let warned = warnings(&lines);
    assert_eq!(warned.len(), 1, "{lines:?}");
    assert!(warned[0].contains("3 end listeners added"), "{}", warned[0]);
    assert!(warned[0].contains("MaxListeners is 2"), "{}", warned[0]);

    // Raised before the limit is crossed: no warning until the new limit.
    let emitter = EventEmitter::<()>::new();
    emitter.set_max_listeners(15);
    let ((), lines) = capture(|| {
        for _ in 0..15 {
            emitter.on(Finish, |_| {});
        }
    });
    assert!(warnings(&lines).is_empty(), "{lines:?}");
    let (_, lines) = capture(|| emitter.on(Finish, |_| {}));
    assert_eq!(warnings(&lines).len(), 1, "{lines:?}");
}

#[test]
fn zero_max_listeners_means_unlimited() {
    let emitter = EventEmitter::<u8>::new();
    emitter.set_max_listeners(0);
    assert_eq!(emitter.max_listeners(), 0);
    let ((), lines) = capture(|| {
        for _ in 0..1000 {
            emitter.on(Data, |_: &u8| {});
        }
        emitter.emit(Data, &7);
    });
    assert!(warnings(&lines).is_empty(), "{lines:?}");
    assert_eq!(emitter.listener_count(Data), 1000);
}

// ---------------------------------------------------------------------------
// Unhandled 'error'
// ---------------------------------------------------------------------------

#[test]
fn an_error_with_no_listener_is_logged_not_thrown() {
    let emitter = EventEmitter::<()>::new();
    let (handled, lines) = capture(|| emitter.emit(Error, &StreamError::new("kaboom")));
    assert!(!handled);
    let errors: Vec<_> = lines.iter().filter(|l| l.contains("ERROR")).collect();
    assert_eq!(errors.len(), 1, "{lines:?}");
    assert!(errors[0].contains("unhandled 'error' event"), "{}", errors[0]);

    // With a listener, the listener gets it and nothing is logged.
    let got = Rc::new(RefCell::new(None));
    let g = got.clone();
    emitter.once(Error, move |err: &StreamError| *g.borrow_mut() = Some(err.clone()));
    let (handled, lines) = capture(|| emitter.emit(Error, &StreamError::write_after_end()));
    assert!(handled);
    assert!(lines.is_empty(), "{lines:?}");
    assert!(got.borrow().as_ref().unwrap().is_write_after_end());

    // The once listener is gone: the next error is unhandled again.
    let (handled, lines) = capture(|| emitter.emit(Error, &StreamError::new("again")));
    assert!(!handled);
    assert_eq!(lines.iter().filter(|l| l.contains("ERROR")).count(), 1, "{lines:?}");
}

#[test]
fn other_events_with_no_listener_are_silent() {
    let emitter = EventEmitter::<u8>::new();
    let (handled, lines) =
        capture(|| emitter.emit(Data, &1) || emitter.emit(End, &()) || emitter.emit(Close, &()));
    assert!(!handled);
    assert!(lines.is_empty(), "{lines:?}");
}

// ---------------------------------------------------------------------------
// Listener destructors
// ---------------------------------------------------------------------------

#[test]
fn a_listener_is_dropped_when_it_is_removed() {
    let emitter = EventEmitter::<()>::new();
    let drops = DropCounter::default();

    let probe = drops.probe();
    let id = emitter.on(End, move |_| {
        let _ = &probe;
    });
    let probe = drops.probe();
    emitter.on(End, move |_| {
        let _ = &probe;
    });
    assert_eq!(drops.dropped(), 0);
    emitter.off(id);
    assert_eq!(drops.dropped(), 1, "off drops the closure");
    emitter.emit(End, &());
    assert_eq!(drops.dropped(), 1, "emit drops nothing that stays registered");

    let probe = drops.probe();
    emitter.once(Close, move |_| {
        let _ = &probe;
    });
    emitter.emit(Close, &());
    assert_eq!(drops.dropped(), 2, "a once listener is dropped once it has run");

    let probe = drops.probe();
    emitter.on(Finish, move |_| {
        let _ = &probe;
    });
    emitter.remove_all_listeners(Finish);
    assert_eq!(drops.dropped(), 3, "remove_all_listeners drops the closures");

    let probe = drops.probe();
    emitter.on(Drain, move |_| {
        let _ = &probe;
    });
    emitter.clear();
    assert_eq!(drops.dropped(), 5, "clear drops every closure (drain and end)");
}

#[test]
fn dropping_the_emitter_drops_its_listeners() {
    let drops = DropCounter::default();
    let emitter = EventEmitter::<String>::new();
    for _ in 0..3 {
        let probe = drops.probe();
        emitter.on(Data, move |_: &String| {
            let _ = &probe;
        });
    }
    let probe = drops.probe();
    emitter.once(End, move |_| {
        let _ = &probe;
    });
    let probe = drops.probe();
    emitter.prepend_listener(Close, move |_| {
        let _ = &probe;
    });
    assert_eq!(drops.dropped(), 0);
    drop(emitter);
    assert_eq!(drops.dropped(), 5);
}

#[test]
fn a_listener_removed_during_an_emit_is_dropped_after_it() {
    let emitter = Rc::new(EventEmitter::<()>::new());
    let drops = DropCounter::default();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let (e, d, s) = (emitter.clone(), drops.clone(), seen.clone());
    emitter.on(End, move |_| {
        e.remove_all_listeners(End);
        s.borrow_mut().push(d.dropped());
    });
    let probe = drops.probe();
    let (d, s) = (drops.clone(), seen.clone());
    emitter.on(End, move |_| {
        let _ = &probe;
        s.borrow_mut().push(d.dropped());
    });
    emitter.emit(End, &());
    // Still alive while the emit that holds it runs; dropped afterwards.
    assert_eq!(*seen.borrow(), [0, 0]);
    assert_eq!(drops.dropped(), 1);
}

/// A destructor that re-enters the emitter (as a stream's listener that
/// owns a handle to the stream would) runs with no borrow held.
#[test]
fn listener_destructors_may_use_the_emitter() {
    struct Reenter(Rc<EventEmitter<()>>, Rc<Cell<usize>>);
    impl Drop for Reenter {
        fn drop(&mut self) {
            let emitter = &self.0;
            self.1.set(self.1.get() + 1);
            let _ = emitter.listener_count(End);
            let id = emitter.on(Pause, |_| {});
            emitter.off(id);
            emitter.emit(Resume, &());
            emitter.set_max_listeners(emitter.max_listeners());
        }
    }

    let emitter = Rc::new(EventEmitter::<()>::new());
    let drops = Rc::new(Cell::new(0));
    let add = |f: &dyn Fn(Reenter)| f(Reenter(emitter.clone(), drops.clone()));

    add(&|r| {
        let id = emitter.on(End, move |_| {
            let _ = &r;
        });
        emitter.off(id);
    });
    assert_eq!(drops.get(), 1);
    add(&|r| {
        emitter.once(End, move |_| {
            let _ = &r;
        });
        emitter.emit(End, &());
    });
    assert_eq!(drops.get(), 2);
    add(&|r| {
        emitter.on(Close, move |_| {
            let _ = &r;
        });
        emitter.remove_all_listeners(Close);
    });
    assert_eq!(drops.get(), 3);
    add(&|r| {
        emitter.on(Finish, move |_| {
            let _ = &r;
        });
        emitter.clear();
    });
    assert_eq!(drops.get(), 4);
}

/// A user event that claims a built-in event's fixed place (or one out of
/// range) in the emitter works like any other, and never panics.
#[test]
fn user_event_claiming_a_builtin_slot_is_harmless() {
    use std::cell::Cell;
    use std::rc::Rc;
    use streams::events::{Data, Event, EventEmitter};

    #[derive(Debug, Clone, Copy)]
    struct Squatter;
    impl Event for Squatter {
        type Arg<T: 'static> = String;
        const NAME: &'static str = "squatter";
        const SLOT: Option<usize> = Some(0);
    }
    #[derive(Debug, Clone, Copy)]
    struct Far;
    impl Event for Far {
        type Arg<T: 'static> = u8;
        const NAME: &'static str = "far";
        const SLOT: Option<usize> = Some(1000);
    }

    for squatter_first in [true, false] {
        let emitter = EventEmitter::<u32>::new();
        let (data, squat, far) =
            (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
        let (d, s, f) = (data.clone(), squat.clone(), far.clone());
        if squatter_first {
            emitter.on(Squatter, move |text: &String| s.set(s.get() + text.len()));
            emitter.on(Data, move |n: &u32| d.set(d.get() + *n as usize));
        } else {
            emitter.on(Data, move |n: &u32| d.set(d.get() + *n as usize));
            emitter.on(Squatter, move |text: &String| s.set(s.get() + text.len()));
        }
        emitter.on(Far, move |n: &u8| f.set(f.get() + *n as usize));
        assert!(emitter.emit(Data, &5));
        assert!(emitter.emit(Squatter, &"abc".to_string()));
        assert!(emitter.emit(Far, &7));
        assert_eq!((data.get(), squat.get(), far.get()), (5, 3, 7));
        emitter.remove_all_listeners(Data);
        assert!(emitter.emit(Squatter, &"xy".to_string()));
        assert!(!emitter.emit(Data, &1));
        assert_eq!((data.get(), squat.get()), (5, 5));
    }
}
