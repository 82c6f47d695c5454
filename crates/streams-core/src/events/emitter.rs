//! The typed event emitter.

use std::any::{Any, TypeId};
use std::cell::{Cell, RefCell};
use std::fmt;
use std::marker::PhantomData;
use std::rc::Rc;

use super::event::SLOTS;
use super::{Data, Event};

/// Names one registered listener, for [`EventEmitter::off`].
///
/// # Examples
///
/// ```
/// use streams_core::events::{EventEmitter, End};
///
/// let emitter = EventEmitter::<()>::new();
/// let id = emitter.on(End, |_| {});
/// assert!(emitter.off(id));
/// assert!(!emitter.off(id));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

/// A listener: its closure is the unsized tail, so one allocation holds it
/// all and `Rc<Listener<dyn Fn(&A)>>` is a direct call.
struct Listener<F: ?Sized> {
    id: ListenerId,
    once: bool,
    /// Set when a `once` listener has run, so a re-entrant emit that still
    /// holds it in its snapshot does not run it twice.
    fired: Cell<bool>,
    f: F,
}

type Handle<A> = Rc<Listener<dyn Fn(&A)>>;

/// A listener made before it is added (with
/// [`EventEmitter::add_prepared`]), by code that knows the closure's type
/// where the code adding it does not: a pipe's destination makes the
/// source's `'data'` listener, so the per-chunk call goes straight into
/// the destination's monomorphised write.
pub(crate) struct PreparedListener<A: ?Sized + 'static>(Handle<A>);

impl<A: ?Sized + 'static> PreparedListener<A> {
    /// Wraps `f`; its id and `once` are set when it is added.
    pub(crate) fn new(f: impl Fn(&A) + 'static) -> PreparedListener<A> {
        PreparedListener(Rc::new(Listener {
            id: ListenerId(0),
            once: false,
            fired: Cell::new(false),
            f,
        }))
    }
}

/// A snapshot of one event's listeners.
type List<A> = Rc<Vec<Handle<A>>>;

/// The listeners of one event. Copy-on-write: `emit` clones the `Rc` (no
/// allocation) and iterates that snapshot, while `on`/`off` change the
/// list in place when no snapshot shares it and copy it otherwise. That
/// gives Node's semantics for free: a listener added during an emit is not
/// called by it, one removed during it still is.
struct Slot<A: ?Sized + 'static> {
    listeners: List<A>,
}

struct Entry {
    event: TypeId,
    /// The event's fixed place ([`Event::SLOT`]), if it has one.
    fixed: Option<usize>,
    name: &'static str,
    warned: bool,
    len: usize,
    slot: Box<dyn Any>,
    /// Removes a listener by id without knowing the argument type; returns
    /// the old list, to be dropped once no borrow is held.
    remove_dyn: fn(&mut Entry, ListenerId) -> Option<Box<dyn Any>>,
    contains_dyn: fn(&Entry, ListenerId) -> bool,
}

impl Entry {
    fn new<A: ?Sized + 'static>(event: TypeId, fixed: Option<usize>, name: &'static str) -> Entry {
        let empty: List<A> = Rc::new(Vec::new());
        Entry {
            event,
            fixed,
            name,
            warned: false,
            len: 0,
            slot: Box::new(Slot { listeners: empty }),
            remove_dyn: remove_from::<A>,
            contains_dyn: contains::<A>,
        }
    }
}

fn remove_from<A: ?Sized + 'static>(entry: &mut Entry, id: ListenerId) -> Option<Box<dyn Any>> {
    remove_typed::<A>(entry, id).map(|removed| Box::new(removed) as Box<dyn Any>)
}

/// Takes listener `id` out of `entry`'s list: in place when no snapshot
/// shares the list, from a copy otherwise (the snapshot keeps it). The
/// listener is returned, to be dropped once no borrow is held.
fn remove_typed<A: ?Sized + 'static>(entry: &mut Entry, id: ListenerId) -> Option<Handle<A>> {
    let slot = downcast_mut::<A>(&mut entry.slot);
    let index = slot.listeners.iter().position(|l| l.id == id)?;
    let removed = Rc::make_mut(&mut slot.listeners).remove(index);
    entry.len -= 1;
    Some(removed)
}

/// What `emit` calls: nothing, a lone `once` listener already taken out
/// of its list (no snapshot needed), or a snapshot of the list.
enum Taken<A: ?Sized + 'static> {
    Nothing,
    Once(Handle<A>),
    All(List<A>),
}

fn contains<A: ?Sized + 'static>(entry: &Entry, id: ListenerId) -> bool {
    entry
        .slot
        .downcast_ref::<Slot<A>>()
        .is_some_and(|slot| slot.listeners.iter().any(|l| l.id == id))
}

/// An event emitter whose events are types (see [`Event`]).
///
/// `T` is the chunk type passed to events such as [`Data`](super::Data);
/// use `()` when no event depends on it.
///
/// Node's semantics hold: listeners run synchronously, in registration
/// order; `emit` works on a snapshot; `once` listeners are removed before
/// they run; a listener may add or remove listeners and emit events,
/// because no borrow is held while user code runs. Past the limit of
/// listeners for one event (10 by default, see
/// [`set_max_listeners`](EventEmitter::set_max_listeners)) a warning is
/// logged once through `tracing`.
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use streams_core::events::{Data, End, EventEmitter};
///
/// let emitter = EventEmitter::<String>::new();
/// let seen = Rc::new(RefCell::new(Vec::new()));
/// let s = seen.clone();
/// emitter.on(Data, move |chunk: &String| s.borrow_mut().push(chunk.clone()));
/// emitter.once(End, |_| println!("done"));
///
/// emitter.emit(Data, &"a".to_string());
/// emitter.emit(Data, &"b".to_string());
/// assert!(emitter.emit(End, &()));
/// assert!(!emitter.emit(End, &())); // the once listener is gone
/// assert_eq!(*seen.borrow(), ["a", "b"]);
/// ```
pub struct EventEmitter<T: 'static = ()> {
    entries: RefCell<Vec<Entry>>,
    /// For each built-in event with a fixed place, 1 + the index of its
    /// entry in `entries`, or 0 when it has none yet.
    fixed: [Cell<usize>; SLOTS],
    /// A copy of the [`Data`] listeners (`None` when there are none), kept
    /// beside their entry so the per-chunk [`emit_data`](Self::emit_data)
    /// needs no search and no downcast. Refreshed after every change to
    /// the listeners.
    data: RefCell<Option<List<T>>>,
    next_id: Cell<u64>,
    max_listeners: Cell<usize>,
    _chunk: PhantomData<fn(&T)>,
}

/// Node's `EventEmitter.defaultMaxListeners`.
pub const DEFAULT_MAX_LISTENERS: usize = 10;

impl<T: 'static> Default for EventEmitter<T> {
    fn default() -> Self {
        EventEmitter::new()
    }
}

impl<T: 'static> fmt::Debug for EventEmitter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = self.entries.borrow();
        let mut map = f.debug_map();
        for entry in entries.iter().filter(|e| e.len > 0) {
            map.entry(&entry.name, &entry.len);
        }
        map.finish()
    }
}

impl<T: 'static> EventEmitter<T> {
    /// An emitter with no listeners.
    ///
    /// # Examples
    ///
    /// ```
    /// let emitter = streams_core::events::EventEmitter::<()>::new();
    /// assert_eq!(emitter.listener_count(streams_core::events::End), 0);
    /// ```
    pub fn new() -> EventEmitter<T> {
        EventEmitter {
            entries: RefCell::new(Vec::new()),
            fixed: Default::default(),
            data: RefCell::new(None),
            next_id: Cell::new(0),
            max_listeners: Cell::new(DEFAULT_MAX_LISTENERS),
            _chunk: PhantomData,
        }
    }

    /// Adds `listener` at the end of `event`'s list (Node's `on` /
    /// `addListener`). Returns its id for [`off`](EventEmitter::off).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Finish};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.on(Finish, |_| println!("finished"));
    /// assert_eq!(emitter.listener_count(Finish), 1);
    /// ```
    pub fn on<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<T>) + 'static) -> ListenerId {
        self.add(event, listener, false, false)
    }

    /// Adds a listener that is removed before it runs the first time
    /// (Node's `once`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, End};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.once(End, |_| {});
    /// emitter.emit(End, &());
    /// assert_eq!(emitter.listener_count(End), 0);
    /// ```
    pub fn once<E: Event>(&self, event: E, listener: impl Fn(&E::Arg<T>) + 'static) -> ListenerId {
        self.add(event, listener, true, false)
    }

    /// Adds `listener` at the front of `event`'s list (Node's
    /// `prependListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use streams_core::events::{EventEmitter, End};
    ///
    /// let emitter = EventEmitter::<()>::new();
    /// let log = Rc::new(RefCell::new(Vec::new()));
    /// let (a, b) = (log.clone(), log.clone());
    /// emitter.on(End, move |_| a.borrow_mut().push("second"));
    /// emitter.prepend_listener(End, move |_| b.borrow_mut().push("first"));
    /// emitter.emit(End, &());
    /// assert_eq!(*log.borrow(), ["first", "second"]);
    /// ```
    pub fn prepend_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<T>) + 'static,
    ) -> ListenerId {
        self.add(event, listener, false, true)
    }

    /// Adds a `once` listener at the front of `event`'s list (Node's
    /// `prependOnceListener`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, End};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.prepend_once_listener(End, |_| {});
    /// assert!(emitter.emit(End, &()));
    /// assert!(!emitter.emit(End, &()));
    /// ```
    pub fn prepend_once_listener<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<T>) + 'static,
    ) -> ListenerId {
        self.add(event, listener, true, true)
    }

    fn add<E: Event>(
        &self,
        event: E,
        listener: impl Fn(&E::Arg<T>) + 'static,
        once: bool,
        prepend: bool,
    ) -> ListenerId {
        self.add_prepared(event, PreparedListener::new(listener), once, prepend)
    }

    /// Adds a listener made beforehand (see [`PreparedListener`]), as
    /// [`on`](Self::on), [`once`](Self::once) or the prepending forms do.
    pub(crate) fn add_prepared<E: Event>(
        &self,
        _event: E,
        listener: PreparedListener<E::Arg<T>>,
        once: bool,
        prepend: bool,
    ) -> ListenerId {
        let id = ListenerId(self.next_id.get());
        self.next_id.set(id.0 + 1);
        let mut handle = listener.0;
        {
            let fresh = Rc::get_mut(&mut handle).expect("a prepared listener is not shared");
            fresh.id = id;
            fresh.once = once;
        }
        let warn = {
            let mut entries = self.entries.borrow_mut();
            let entry = self.entry_mut::<E>(&mut entries);
            let slot = downcast_mut::<E::Arg<T>>(&mut entry.slot);
            // In place unless an emit holds a snapshot of the list.
            let list = Rc::make_mut(&mut slot.listeners);
            if prepend {
                list.insert(0, handle);
            } else {
                list.push(handle);
            }
            entry.len += 1;
            let max = self.max_listeners.get();
            let warn = max > 0 && entry.len > max && !entry.warned;
            if warn {
                entry.warned = true;
            }
            warn.then_some(entry.len)
        };
        self.refresh_data::<E>();
        if let Some(count) = warn {
            tracing::warn!(
                "MaxListenersExceededWarning: Possible EventEmitter memory leak detected. \
                 {count} {} listeners added. MaxListeners is {}. \
                 Use set_max_listeners() to increase limit",
                E::NAME,
                self.max_listeners.get()
            );
        }
        id
    }

    /// The index of `E`'s entry in `entries`, if it has one: by its fixed
    /// place for a built-in event, by a search otherwise.
    ///
    /// The fixed place is only a hint: it is checked against the event's
    /// type, so a user event that claims a built-in's place (or one out of
    /// range) is found by the search and never mistaken for another.
    fn position<E: Event>(&self, entries: &[Entry]) -> Option<usize> {
        let event = TypeId::of::<E>();
        if let Some(cell) = E::SLOT.and_then(|fixed| self.fixed.get(fixed)) {
            let hint = cell.get().checked_sub(1);
            if let Some(index) = hint.filter(|&i| entries.get(i).is_some_and(|e| e.event == event))
            {
                return Some(index);
            }
        }
        entries.iter().position(|e| e.event == event)
    }

    /// Rebuilds the fixed places after entries were removed.
    fn reindex(&self, entries: &[Entry]) {
        for cell in &self.fixed {
            cell.set(0);
        }
        for (index, entry) in entries.iter().enumerate() {
            if let Some(cell) = entry.fixed.and_then(|fixed| self.fixed.get(fixed)) {
                if cell.get() == 0 {
                    cell.set(index + 1);
                }
            }
        }
    }

    fn entry_mut<'a, E: Event>(&self, entries: &'a mut Vec<Entry>) -> &'a mut Entry {
        let index = match self.position::<E>(entries) {
            Some(index) => index,
            None => {
                entries.push(Entry::new::<E::Arg<T>>(TypeId::of::<E>(), E::SLOT, E::NAME));
                if let Some(cell) = E::SLOT.and_then(|fixed| self.fixed.get(fixed)) {
                    // First come, first served: a user event claiming a
                    // built-in's place is found by the search instead.
                    if cell.get() == 0 {
                        cell.set(entries.len());
                    }
                }
                entries.len() - 1
            }
        };
        &mut entries[index]
    }

    /// Copies the [`Data`] listeners into their fast slot after a change
    /// to `E`'s listeners (a no-op for any other event).
    #[inline]
    fn refresh_data<E: Event>(&self) {
        if TypeId::of::<E>() == TypeId::of::<Data>() {
            self.refresh_data_now();
        }
    }

    fn refresh_data_now(&self) {
        let list = {
            let entries = self.entries.borrow();
            self.position::<Data>(&entries)
                .filter(|&i| entries[i].len > 0)
                .and_then(|i| entries[i].slot.downcast_ref::<Slot<T>>())
                .map(|slot| slot.listeners.clone())
        };
        let old = std::mem::replace(&mut *self.data.borrow_mut(), list);
        // A removed listener's destructor runs with no borrow held.
        drop(old);
    }

    /// `emit(Data, chunk)` for the streams' own per-chunk path: the same
    /// calls in the same order, from the copy of the list kept for it.
    #[inline]
    pub(crate) fn emit_data(&self, chunk: &T) -> bool {
        let listeners = match &*self.data.borrow() {
            Some(list) => list.clone(),
            None => return false,
        };
        if let [listener] = &listeners[..] {
            if !listener.once {
                (listener.f)(chunk);
                return true;
            }
        }
        self.call_all::<Data>(&listeners, chunk);
        true
    }

    fn call_all<E: Event>(&self, listeners: &[Handle<E::Arg<T>>], arg: &E::Arg<T>) {
        for listener in listeners.iter() {
            if listener.once {
                if listener.fired.replace(true) {
                    continue;
                }
                self.remove::<E>(listener.id);
            }
            (listener.f)(arg);
        }
    }

    /// What an emit of `E` calls. A lone `once` listener of a list no
    /// snapshot shares is taken out of it at once (Node removes a `once`
    /// listener before calling it), which spares the snapshot and keeps the
    /// list's storage for the next listener.
    fn take_listeners<E: Event>(&self) -> Taken<E::Arg<T>> {
        let mut entries = self.entries.borrow_mut();
        let Some(index) = self.position::<E>(&entries) else {
            return Taken::Nothing;
        };
        let entry = &mut entries[index];
        if entry.len == 0 {
            return Taken::Nothing;
        }
        let slot = downcast_mut::<E::Arg<T>>(&mut entry.slot);
        if let [only] = &slot.listeners[..] {
            if only.once {
                if let Some(list) = Rc::get_mut(&mut slot.listeners) {
                    let handle = list.pop().expect("the list holds one listener");
                    entry.len -= 1;
                    return Taken::Once(handle);
                }
            }
        }
        Taken::All(slot.listeners.clone())
    }

    /// Calls every listener of `event` with `arg`, synchronously and in
    /// order, and returns whether there was any (Node's `emit`).
    ///
    /// An [`Error`](super::Error) event with no listener is logged with
    /// `tracing::error!` instead of throwing as in Node; streams also record
    /// it, so it never vanishes.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{Data, EventEmitter};
    /// let emitter = EventEmitter::<u32>::new();
    /// assert!(!emitter.emit(Data, &1));
    /// emitter.on(Data, |n: &u32| assert_eq!(*n, 2));
    /// assert!(emitter.emit(Data, &2));
    /// ```
    pub fn emit<E: Event>(&self, event: E, arg: &E::Arg<T>) -> bool {
        let _ = event;
        match self.take_listeners::<E>() {
            Taken::Nothing => {
                if E::NAME == "error" {
                    tracing::error!(event = E::NAME, "unhandled 'error' event");
                }
                false
            }
            Taken::Once(listener) => {
                self.refresh_data::<E>();
                listener.fired.set(true);
                (listener.f)(arg);
                // Its destructor runs with no borrow held.
                drop(listener);
                true
            }
            Taken::All(listeners) => {
                self.call_all::<E>(&listeners, arg);
                true
            }
        }
    }

    fn remove<E: Event>(&self, id: ListenerId) {
        let old = {
            let mut entries = self.entries.borrow_mut();
            self.position::<E>(&entries)
                .and_then(|i| remove_typed::<E::Arg<T>>(&mut entries[i], id))
        };
        self.refresh_data::<E>();
        drop(old);
    }

    /// Removes the listener `id`, whatever its event (Node's `off` /
    /// `removeListener`). Returns whether it was registered. Removing a
    /// listener during an emit does not stop that emit from calling it.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Drain};
    /// let emitter = EventEmitter::<()>::new();
    /// let id = emitter.on(Drain, |_| unreachable!());
    /// emitter.off(id);
    /// assert!(!emitter.emit(Drain, &()));
    /// ```
    pub fn off(&self, id: ListenerId) -> bool {
        let old = {
            let mut entries = self.entries.borrow_mut();
            entries.iter_mut().find_map(|entry| (entry.remove_dyn)(entry, id))
        };
        if old.is_some() {
            self.refresh_data_now();
        }
        // The closure's destructor runs with no borrow held.
        old.is_some()
    }

    /// The name of the event that listener `id` is registered for, if it is.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Finish};
    /// let emitter = EventEmitter::<()>::new();
    /// let id = emitter.on(Finish, |_| {});
    /// assert_eq!(emitter.event_of(id), Some("finish"));
    /// ```
    pub fn event_of(&self, id: ListenerId) -> Option<&'static str> {
        let entries = self.entries.borrow();
        entries.iter().find(|e| (e.contains_dyn)(e, id)).map(|e| e.name)
    }

    /// How many listeners `event` has (Node's `listenerCount`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Close};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.on(Close, |_| {});
    /// emitter.on(Close, |_| {});
    /// assert_eq!(emitter.listener_count(Close), 2);
    /// ```
    pub fn listener_count<E: Event>(&self, _event: E) -> usize {
        let entries = self.entries.borrow();
        self.position::<E>(&entries).map_or(0, |i| entries[i].len)
    }

    /// Removes every listener of `event` (Node's
    /// `removeAllListeners(event)`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Close};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.on(Close, |_| {});
    /// emitter.remove_all_listeners(Close);
    /// assert_eq!(emitter.listener_count(Close), 0);
    /// ```
    pub fn remove_all_listeners<E: Event>(&self, _event: E) {
        let removed = {
            let mut entries = self.entries.borrow_mut();
            let removed = self.position::<E>(&entries).map(|i| entries.remove(i));
            if removed.is_some() {
                self.reindex(&entries);
            }
            removed
        };
        self.refresh_data::<E>();
        // The closures' destructors run with no borrow held.
        drop(removed);
    }

    /// Removes every listener of every event (Node's `removeAllListeners()`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::events::{EventEmitter, Close, End};
    /// let emitter = EventEmitter::<()>::new();
    /// emitter.on(Close, |_| {});
    /// emitter.on(End, |_| {});
    /// emitter.clear();
    /// assert_eq!(emitter.listener_count(End), 0);
    /// ```
    pub fn clear(&self) {
        let removed = std::mem::take(&mut *self.entries.borrow_mut());
        self.reindex(&[]);
        let data = self.data.borrow_mut().take();
        drop(data);
        drop(removed);
    }

    /// Sets the number of listeners per event past which a warning is
    /// logged; 0 means no limit (Node's `setMaxListeners`).
    ///
    /// # Examples
    ///
    /// ```
    /// let emitter = streams_core::events::EventEmitter::<()>::new();
    /// emitter.set_max_listeners(0);
    /// assert_eq!(emitter.max_listeners(), 0);
    /// ```
    pub fn set_max_listeners(&self, max: usize) {
        self.max_listeners.set(max);
    }

    /// The current limit (Node's `getMaxListeners`).
    ///
    /// # Examples
    ///
    /// ```
    /// let emitter = streams_core::events::EventEmitter::<()>::new();
    /// assert_eq!(emitter.max_listeners(), 10);
    /// ```
    pub fn max_listeners(&self) -> usize {
        self.max_listeners.get()
    }
}

fn downcast_mut<A: ?Sized + 'static>(slot: &mut Box<dyn Any>) -> &mut Slot<A> {
    slot.downcast_mut::<Slot<A>>().expect("an event's slot always holds its own argument type")
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::EventEmitter;
    use crate::events::{Data, End};

    type Log = Rc<RefCell<Vec<String>>>;

    fn logger(log: &Log, name: &'static str) -> impl Fn(&u32) + 'static {
        let log = log.clone();
        move |n: &u32| log.borrow_mut().push(format!("{name}{n}"))
    }

    #[test]
    fn emit_data_follows_listener_changes() {
        let emitter = Rc::new(EventEmitter::<u32>::new());
        let log: Log = Rc::default();
        assert!(!emitter.emit_data(&0));
        let a = emitter.on(Data, logger(&log, "a"));
        assert!(emitter.emit_data(&1));
        emitter.once(Data, logger(&log, "once"));
        emitter.emit_data(&2);
        emitter.emit_data(&3);
        assert!(emitter.off(a));
        assert!(!emitter.emit_data(&4));
        emitter.on(Data, logger(&log, "b"));
        emitter.on(End, |_| {});
        emitter.emit_data(&5);
        emitter.remove_all_listeners(Data);
        assert!(!emitter.emit_data(&6));
        emitter.on(Data, logger(&log, "c"));
        emitter.clear();
        assert!(!emitter.emit_data(&7));
        assert_eq!(*log.borrow(), ["a1", "a2", "once2", "a3", "b5"]);
    }

    #[test]
    fn emit_data_uses_a_snapshot_while_listeners_change() {
        let emitter = Rc::new(EventEmitter::<u32>::new());
        let log: Log = Rc::default();
        let id = Rc::new(std::cell::Cell::new(None));
        let (e, l, i) = (emitter.clone(), log.clone(), id.clone());
        // A lone listener that removes itself and adds another while it
        // runs: the new one is called from the next emit on.
        let first = emitter.on(Data, move |n: &u32| {
            l.borrow_mut().push(format!("first{n}"));
            if let Some(id) = i.take() {
                e.off(id);
                e.on(Data, logger(&l, "second"));
                e.emit_data(&(n + 10));
            }
        });
        id.set(Some(first));
        emitter.emit_data(&1);
        emitter.emit_data(&2);
        assert_eq!(*log.borrow(), ["first1", "second11", "second2"]);
    }

    #[test]
    fn a_lone_once_listener_may_add_listeners_while_it_runs() {
        let emitter = Rc::new(EventEmitter::<u32>::new());
        let log: Log = Rc::default();
        let (e, l) = (emitter.clone(), log.clone());
        // The pattern of a producer waiting for 'drain': the lone once
        // listener registers the next one, which this emit must not call.
        emitter.once(End, move |_| {
            l.borrow_mut().push("first".into());
            assert_eq!(e.listener_count(End), 0);
            let l2 = l.clone();
            e.once(End, move |_| l2.borrow_mut().push("second".into()));
            let l3 = l.clone();
            e.on(End, move |_| l3.borrow_mut().push("on".into()));
        });
        assert!(emitter.emit(End, &()));
        assert_eq!(emitter.listener_count(End), 2);
        assert!(emitter.emit(End, &()));
        assert!(emitter.emit(End, &()));
        assert_eq!(*log.borrow(), ["first", "second", "on", "on"]);
    }

    #[test]
    fn a_nested_emit_does_not_run_a_once_listener_twice() {
        let emitter = Rc::new(EventEmitter::<u32>::new());
        let log: Log = Rc::default();
        let (e, l) = (emitter.clone(), log.clone());
        emitter.once(End, move |_| {
            l.borrow_mut().push("once".into());
            assert!(!e.emit(End, &()));
        });
        assert!(emitter.emit(End, &()));
        assert!(!emitter.emit(End, &()));
        let (e, l) = (emitter.clone(), log.clone());
        // Two listeners: the snapshot path, where the inner emit sees the
        // once listener already removed.
        emitter.on(End, move |_| {
            l.borrow_mut().push("on".into());
            if l.borrow().len() < 3 {
                e.emit(End, &());
            }
        });
        let l = log.clone();
        emitter.once(End, move |_| l.borrow_mut().push("once2".into()));
        emitter.emit(End, &());
        assert_eq!(*log.borrow(), ["once", "on", "on", "once2"]);
    }
}
