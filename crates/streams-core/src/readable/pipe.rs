//! pipe() and unpipe(): Node's `readable.pipe(dest)`, with its
//! backpressure (pause on a `false` write, resume on `'drain'`), its
//! cleanup, and its end handling.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use super::listen::Add;
use crate::events::{self, ListenerId};
use crate::next_tick;
use crate::stream::{AnyStream, Core, StreamId, WriteEnd};
use crate::StreamError;

/// One `src.pipe(dest)`: what its listeners share. As in Node, the source
/// and the destination reference each other through their listeners until
/// the pipe is cleaned up (unpipe, `'finish'` or `'close'` of the
/// destination) or a stream closes (a closed stream drops its listeners).
struct PipeLink<R: 'static, W: 'static> {
    src: Rc<Core<R, W>>,
    dest: Rc<dyn WriteEnd<R>>,
    cleaned_up: Cell<bool>,
    ids: RefCell<LinkIds>,
}

#[derive(Default)]
struct LinkIds {
    src_end: Option<ListenerId>,
    src_data: Option<ListenerId>,
    dest_unpipe: Option<ListenerId>,
    dest_drain: Option<ListenerId>,
    dest_error: Option<ListenerId>,
    dest_close: Option<ListenerId>,
    dest_finish: Option<ListenerId>,
}

impl<R: Clone + 'static, W: 'static> Core<R, W> {
    /// Node's `readable.pipe(dest, { end })`.
    pub(crate) fn pipe(self: &Rc<Self>, dest: Rc<dyn WriteEnd<R>>, end: bool) {
        // Node's `doEnd`: never for process.stdout and process.stderr.
        let end = end && dest.ended_by_pipe();
        let dest_id = dest.id();
        let src_id = AnyStream::id(&**self);
        let end_emitted = {
            let mut state = self.rs().state.borrow_mut();
            if state.pipes.len() == 1 && !state.multi_await_drain {
                state.multi_await_drain = true;
            }
            state.pipes.push(dest.clone());
            state.end_emitted
        };
        let link = Rc::new(PipeLink {
            src: self.clone(),
            dest: dest.clone(),
            cleaned_up: Cell::new(false),
            ids: RefCell::new(LinkIds::default()),
        });

        // When the source ends: end the destination, or just unpipe.
        let on_end = {
            let link = link.clone();
            move || {
                if end {
                    link.dest.clone().end();
                } else {
                    link.src.unpipe(Some(dest_id));
                }
            }
        };
        if end_emitted {
            next_tick(on_end);
        } else {
            let id = self.events.once(events::End, move |_| on_end());
            link.ids.borrow_mut().src_end = Some(id);
        }

        let on_unpipe = {
            let link = link.clone();
            Rc::new(move |source: StreamId| {
                if source == src_id && !link.cleaned_up.get() {
                    link.cleanup();
                }
            })
        };
        link.ids.borrow_mut().dest_unpipe = Some(dest.on_unpipe(on_unpipe));

        // The destination makes the 'data' listener (it writes each chunk
        // straight into its own, statically known, write path); a `false`
        // write pauses the source.
        let on_full = {
            let link = link.clone();
            Rc::new(move || link.pause())
        };
        let on_data = dest.clone().pipe_data_listener(on_full);
        // A 'data' listener like any other: it starts the flow.
        let data_id = self.add_prepared_listener(events::Data, on_data, Add::On);
        link.ids.borrow_mut().src_data = Some(data_id);

        // Our error handler goes before the user's.
        let on_error = {
            let link = link.clone();
            Rc::new(move |err: &StreamError| link.on_dest_error(err))
        };
        link.ids.borrow_mut().dest_error = Some(dest.prepend_error(on_error));

        // Close and finish both unpipe, once.
        let on_close = {
            let link = link.clone();
            Rc::new(move |_: Option<&StreamError>| {
                if let Some(id) = link.ids.borrow_mut().dest_finish.take() {
                    link.dest.unlisten(id);
                }
                link.unpipe();
            })
        };
        let close_id = dest.listen(crate::stream::LifecycleEvent::Close, true, on_close);
        let on_finish = {
            let link = link.clone();
            Rc::new(move |_: Option<&StreamError>| {
                if let Some(id) = link.ids.borrow_mut().dest_close.take() {
                    link.dest.unlisten(id);
                }
                link.unpipe();
            })
        };
        let finish_id = dest.listen(crate::stream::LifecycleEvent::Finish, true, on_finish);
        {
            let mut ids = link.ids.borrow_mut();
            ids.dest_close = Some(close_id);
            ids.dest_finish = Some(finish_id);
        }

        dest.emit_pipe(src_id);

        if dest.need_drain() {
            link.pause();
        } else if self.rs().state.borrow().flowing != Some(true) {
            self.resume();
        }
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `readable.unpipe(dest)`: `None` unpipes every destination.
    pub(crate) fn unpipe(self: &Rc<Self>, dest: Option<StreamId>) {
        let src_id = AnyStream::id(&**self);
        let removed: Vec<Rc<dyn WriteEnd<R>>> = {
            let mut state = self.rs().state.borrow_mut();
            if state.pipes.is_empty() {
                return;
            }
            match dest {
                None => std::mem::take(&mut state.pipes),
                Some(id) => {
                    let Some(index) = state.pipes.iter().position(|d| d.id() == id) else {
                        return;
                    };
                    vec![state.pipes.remove(index)]
                }
            }
        };
        if self.rs().state.borrow().pipes.is_empty() {
            self.pause();
        }
        for dest in removed {
            dest.emit_unpipe(src_id);
        }
    }
}

impl<R: 'static, W: 'static> PipeLink<R, W> {
    fn unpipe(&self) {
        self.src.unpipe(Some(self.dest.id()));
    }

    /// A `false` write: wait for this destination's `'drain'`.
    fn pause(self: &Rc<Self>) {
        let src = &self.src;
        let dest_id = self.dest.id();
        if !self.cleaned_up.get() {
            {
                let mut state = src.rs().state.borrow_mut();
                let piped = state.pipes.iter().any(|d| d.id() == dest_id);
                if state.pipes.len() == 1 && piped {
                    state.await_drain.clear();
                    state.await_drain.push(dest_id);
                    state.multi_await_drain = false;
                } else if state.pipes.len() > 1 && piped && !state.await_drain.contains(&dest_id) {
                    state.await_drain.push(dest_id);
                }
            }
            src.pause();
        }
        if self.ids.borrow().dest_drain.is_none() {
            let link = self.clone();
            let id = self.dest.on_drain(Rc::new(move || link.on_drain()));
            self.ids.borrow_mut().dest_drain = Some(id);
        }
    }

    /// Node's `pipeOnDrain`: resume once no destination is waited for.
    fn on_drain(&self) {
        let src = &self.src;
        let dest_id = self.dest.id();
        let resume = {
            let mut state = src.rs().state.borrow_mut();
            state.await_drain.retain(|id| *id != dest_id);
            state.await_drain.is_empty() && state.data_listening
        };
        if resume {
            src.resume();
        }
    }

    fn on_dest_error(&self, err: &StreamError) {
        self.unpipe();
        if let Some(id) = self.ids.borrow_mut().dest_error.take() {
            self.dest.unlisten(id);
        }
        if self.dest.error_listener_count() == 0 {
            if self.dest.error_emitted() {
                self.dest.clone().emit_error(err.clone());
            } else {
                self.dest.clone().error_or_destroy_any(err.clone());
            }
        }
    }

    /// Removes every listener of this pipe (Node's `cleanup`).
    fn cleanup(&self) {
        let ids = std::mem::take(&mut *self.ids.borrow_mut());
        for id in [ids.dest_close, ids.dest_finish, ids.dest_drain, ids.dest_error, ids.dest_unpipe]
            .into_iter()
            .flatten()
        {
            self.dest.unlisten(id);
        }
        for id in [ids.src_end, ids.src_data].into_iter().flatten() {
            self.src.remove_listener(id);
        }
        self.cleaned_up.set(true);
        // If the source waits for this destination's 'drain', it would
        // never flow again: act as if it drained.
        if ids.dest_drain.is_some() {
            let waiting = {
                let state = self.src.rs().state.borrow();
                state.multi_await_drain || !state.await_drain.is_empty()
            };
            if waiting && self.dest.need_drain() {
                self.on_drain();
            }
        }
    }
}
