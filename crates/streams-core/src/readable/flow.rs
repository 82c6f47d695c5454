//! Flowing mode: resume(), pause(), flow(), and the scheduling of
//! 'readable' and of reading ahead.

use std::rc::Rc;

use crate::event_loop::CoreTick;
use crate::events;
use crate::stream::Core;

impl<R: 'static, W: 'static> Core<R, W> {
    /// Schedules a `'readable'` event (Node's `emitReadable`): never
    /// synchronously, so a `read()` inside the read hook cannot recurse.
    pub(crate) fn emit_readable(self: &Rc<Self>) {
        let schedule = {
            let mut state = self.rs().state.borrow_mut();
            state.need_readable = false;
            !std::mem::replace(&mut state.emitted_readable, true)
        };
        if schedule {
            self.next_tick(CoreTick::EmitReadable);
        }
    }

    pub(crate) fn emit_readable_now(self: &Rc<Self>) {
        let rs = self.rs();
        let emit = {
            let state = rs.state.borrow();
            !self.life.destroyed.get()
                && !self.life.is_errored()
                && (state.length > 0 || state.ended)
        };
        if emit {
            self.events.emit(events::Readable, &());
            rs.state.borrow_mut().emitted_readable = false;
        }
        {
            // Ask for another 'readable' unless flowing (flow() takes over),
            // ended, or over the high-water mark.
            let mut state = rs.state.borrow_mut();
            if state.flowing != Some(true) && !state.ended && state.length <= state.hwm {
                state.need_readable = true;
            }
        }
        self.flow();
    }

    /// Reads ahead on the next tick, up to the high-water mark (Node's
    /// `maybeReadMore`).
    pub(crate) fn maybe_read_more(self: &Rc<Self>) {
        let claimed = self.rs().state.borrow_mut().claim_read_more(self.life.constructed.get());
        if claimed {
            self.schedule_read_more();
        }
    }

    /// The tick of [`maybe_read_more`](Self::maybe_read_more), once
    /// `reading_more` is set.
    pub(crate) fn schedule_read_more(self: &Rc<Self>) {
        self.next_tick(CoreTick::ReadMore);
    }

    pub(crate) fn maybe_read_more_now(self: &Rc<Self>) {
        let rs = self.rs();
        loop {
            let len = {
                let state = rs.state.borrow();
                let want =
                    state.length < state.hwm || (state.flowing == Some(true) && state.length == 0);
                if state.reading || state.ended || !want {
                    break;
                }
                state.length
            };
            self.read_chunk(Some(0));
            if rs.state.borrow().length == len {
                // Nothing came in: stop spinning.
                break;
            }
        }
        rs.state.borrow_mut().reading_more = false;
    }

    /// Node's `resume()`: flowing at once (unless a `'readable'` listener
    /// holds the stream paused), `'resume'` and the flow on the next tick.
    pub(crate) fn resume(self: &Rc<Self>) {
        let schedule = {
            let mut state = self.rs().state.borrow_mut();
            let schedule = if state.flowing != Some(true) {
                state.flowing = Some(!state.readable_listening);
                !std::mem::replace(&mut state.resume_scheduled, true)
            } else {
                false
            };
            state.paused = Some(false);
            schedule
        };
        if schedule {
            self.next_tick(CoreTick::Resume);
        }
    }

    pub(crate) fn resume_now(self: &Rc<Self>) {
        if !self.rs().state.borrow().reading {
            self.read_chunk(Some(0));
        }
        self.rs().state.borrow_mut().resume_scheduled = false;
        self.events.emit(events::Resume, &());
        self.flow();
        let read_again = {
            let state = self.rs().state.borrow();
            state.flowing == Some(true) && !state.reading
        };
        if read_again {
            self.read_chunk(Some(0));
        }
    }

    /// Node's `pause()`: `'pause'` synchronously, once.
    pub(crate) fn pause(self: &Rc<Self>) {
        let emit = {
            let mut state = self.rs().state.borrow_mut();
            let emit = state.flowing != Some(false);
            if emit {
                state.flowing = Some(false);
            }
            state.paused = Some(true);
            emit
        };
        if emit {
            self.events.emit(events::Pause, &());
        }
    }

    /// Reads and emits chunk after chunk while flowing.
    pub(crate) fn flow(self: &Rc<Self>) {
        while self.read_flowing().is_some() {}
    }

    /// Node's `isPaused()`.
    pub(crate) fn is_paused(&self) -> bool {
        let state = self.rs().state.borrow();
        state.paused == Some(true) || state.flowing == Some(false)
    }

    /// Node's `updateReadableListening`, run on the tick after a
    /// `'readable'` listener was removed.
    pub(crate) fn update_readable_listening(self: &Rc<Self>) {
        let listening = self.events.listener_count(events::Readable) > 0;
        let resume = {
            let mut state = self.rs().state.borrow_mut();
            state.readable_listening = listening;
            if state.paused == Some(false) && state.resume_scheduled {
                // Flowing must be true now, or the coming resume won't flow.
                state.flowing = Some(true);
                false
            } else if state.data_listening {
                true
            } else {
                if !listening {
                    state.flowing = None;
                }
                false
            }
        };
        if resume {
            self.resume();
        }
    }
}
