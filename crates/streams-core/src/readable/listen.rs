//! Listener registration with Node's side effects on the read side: a
//! `'data'` listener starts the flow, a `'readable'` listener takes over.

use std::any::TypeId;
use std::rc::Rc;

use crate::events::{self, Event, ListenerId, PreparedListener};
use crate::next_tick;
use crate::stream::Core;

/// Where a new listener goes, as Node's `on`, `once`, `prependListener`
/// and `prependOnceListener`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Add {
    On,
    Once,
    Prepend,
    PrependOnce,
}

impl<R: 'static, W: 'static> Core<R, W> {
    pub(crate) fn add_listener<E: Event>(
        self: &Rc<Self>,
        event: E,
        listener: impl Fn(&E::Arg<R>) + 'static,
        add: Add,
    ) -> ListenerId {
        self.add_prepared_listener(event, PreparedListener::new(listener), add)
    }

    /// [`add_listener`](Self::add_listener) of a listener made beforehand.
    pub(crate) fn add_prepared_listener<E: Event>(
        self: &Rc<Self>,
        event: E,
        listener: PreparedListener<E::Arg<R>>,
        add: Add,
    ) -> ListenerId {
        let (once, prepend) = match add {
            Add::On => (false, false),
            Add::Once => (true, false),
            Add::Prepend => (false, true),
            Add::PrependOnce => (true, true),
        };
        let id = self.events.add_prepared(event, listener, once, prepend);
        if self.read.is_some() {
            self.listener_added(TypeId::of::<E>());
        }
        id
    }

    fn listener_added(self: &Rc<Self>, event: TypeId) {
        if event == TypeId::of::<events::Data>() {
            let resume = {
                let readable_listeners = self.events.listener_count(events::Readable) > 0;
                let mut state = self.rs().state.borrow_mut();
                state.data_listening = true;
                if readable_listeners {
                    state.readable_listening = true;
                }
                // Start flowing unless explicitly paused.
                state.flowing != Some(false)
            };
            if resume {
                self.resume();
            }
        } else if event == TypeId::of::<events::Readable>() {
            let next = {
                let mut state = self.rs().state.borrow_mut();
                if state.end_emitted || state.readable_listening {
                    return;
                }
                state.readable_listening = true;
                state.need_readable = true;
                state.flowing = Some(false);
                state.emitted_readable = false;
                if state.length > 0 {
                    Some(true)
                } else if !state.reading {
                    Some(false)
                } else {
                    None
                }
            };
            match next {
                Some(true) => self.emit_readable(),
                Some(false) => {
                    let core = self.clone();
                    next_tick(move || {
                        core.read_chunk(Some(0));
                    });
                }
                None => {}
            }
        }
    }

    pub(crate) fn remove_listener(self: &Rc<Self>, id: ListenerId) -> bool {
        let name = self.events.event_of(id);
        let removed = self.events.off(id);
        if removed && self.read.is_some() {
            self.listener_removed(name);
        }
        removed
    }

    pub(crate) fn remove_all_listeners<E: Event>(self: &Rc<Self>, event: E) {
        self.events.remove_all_listeners(event);
        if self.read.is_some() {
            self.listener_removed(Some(E::NAME));
        }
    }

    fn listener_removed(self: &Rc<Self>, name: Option<&'static str>) {
        match name {
            Some(name) if name == events::Readable::NAME => {
                // After the 'readable' emit that may be running, before I/O:
                // supports once('readable') cycles.
                let core = self.clone();
                next_tick(move || core.update_readable_listening());
            }
            Some(name)
                if name == events::Data::NAME && self.events.listener_count(events::Data) == 0 =>
            {
                self.rs().state.borrow_mut().data_listening = false;
            }
            _ => {}
        }
    }
}
