//! end(): the last write, then `final`, `'prefinish'`, the `end`
//! callbacks, `'finish'` and auto-destroy (Node's `end`, `needFinish`,
//! `prefinish`, `finishMaybe`, `finish`).

use std::rc::Rc;

use super::side::UserCallback;
use crate::encoding::Encoding;
use crate::events;
use crate::next_tick;
use crate::stream::{Callback, Core};
use crate::StreamError;

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `end(chunk, encoding, cb)`.
    pub(crate) fn end_writable(
        self: &Rc<Self>,
        chunk: Option<(W, Option<Encoding>)>,
        cb: Option<UserCallback>,
    ) {
        let ws = self.ws();
        let mut err = None;
        if let Some((chunk, encoding)) = chunk {
            if let Err(e) = self.write_chunk(chunk, encoding, None) {
                err = Some(e);
            }
        }
        // end() uncorks fully.
        let corked = {
            let mut state = ws.state.borrow_mut();
            let corked = state.corked > 0;
            if corked {
                state.corked = 1;
            }
            corked
        };
        if corked {
            self.uncork();
        }
        if err.is_none() {
            let (ending, finished) = {
                let state = ws.state.borrow();
                (state.ending, state.finished)
            };
            if !ending && !self.life.is_errored() {
                // Forgiving, as Node is: a second end() before 'finish'
                // only adds its callback.
                ws.state.borrow_mut().ending = true;
                self.finish_maybe(true);
                ws.state.borrow_mut().ended = true;
            } else if finished {
                err = Some(StreamError::already_finished("end"));
            } else if self.life.destroyed.get() {
                err = Some(StreamError::destroyed("end"));
            }
        }
        let Some(cb) = cb else { return };
        let now = if let Some(err) = err {
            Some(Err(err))
        } else if let Some(errored) = self.life.errored() {
            Some(Err(errored))
        } else if ws.state.borrow().finished {
            Some(Ok(()))
        } else {
            None
        };
        match now {
            Some(result) => next_tick(move || cb(result)),
            None => {
                let orphan = {
                    let mut state = ws.state.borrow_mut();
                    state.on_finished.push(cb);
                    self.life.destroyed.get() && !state.writing
                };
                if orphan {
                    // Deviation: after a plain destroy() Node keeps this
                    // callback and never calls it (no write in flight will
                    // run errorBuffer again). Its docs promise
                    // ERR_STREAM_DESTROYED, and so does this.
                    let core = self.clone();
                    next_tick(move || core.error_buffer());
                }
            }
        }
    }

    /// Node's `needFinish`: ended, everything written, nothing failed.
    fn need_finish(&self) -> bool {
        let state = self.ws().state.borrow();
        state.ending
            && self.life.constructed.get()
            && !self.life.destroyed.get()
            && !state.finished
            && !state.writing
            && !self.life.error_emitted.get()
            && !self.life.close_emitted.get()
            && !self.life.is_errored()
            && state.buffered.is_empty()
            && state.length == 0
    }

    /// Node's `prefinish`: calls the `final` hook once (or, without one,
    /// emits `'prefinish'` at once).
    fn prefinish(self: &Rc<Self>) {
        let ws = self.ws();
        {
            let state = ws.state.borrow();
            if state.prefinished || state.final_called {
                return;
            }
        }
        if ws.has_final && !self.life.destroyed.get() {
            {
                let mut state = ws.state.borrow_mut();
                state.final_called = true;
                state.sync = true;
                state.pending_cb += 1;
            }
            let core = self.clone();
            let done = Callback::new(move |result| core.final_done(result.err()));
            let hook = ws.final_hook.borrow_mut().take();
            match hook {
                Some(hook) => hook(self, done),
                None => done.call(Ok(())),
            }
            ws.state.borrow_mut().sync = false;
        } else {
            {
                let mut state = ws.state.borrow_mut();
                state.final_called = true;
                state.prefinished = true;
            }
            self.events.emit(events::Prefinish, &());
        }
    }

    /// Node's `onFinish`: the `final` hook called back.
    fn final_done(self: &Rc<Self>, err: Option<StreamError>) {
        let ws = self.ws();
        if ws.state.borrow().prefinished {
            // The final `Callback` is consumed when called: unreachable
            // through the public API, kept as Node's guard.
            self.error_or_destroy(err.unwrap_or_else(StreamError::multiple_callback), false);
            return;
        }
        let sync = {
            let mut state = ws.state.borrow_mut();
            state.dec_pending(1);
            state.sync
        };
        if let Some(err) = err {
            self.call_finished_callbacks(Err(err.clone()));
            self.error_or_destroy(err, sync);
        } else if self.need_finish() {
            {
                let mut state = ws.state.borrow_mut();
                state.prefinished = true;
                state.pending_cb += 1;
            }
            self.events.emit(events::Prefinish, &());
            // 'finish' always comes on a later tick than the final
            // callback, as Node keeps it for compatibility.
            let core = self.clone();
            next_tick(move || core.finish());
        }
    }

    /// Node's `finishMaybe`: when everything is written, call `final`, and
    /// once nothing is pending emit `'finish'` (on the next tick when
    /// `sync`).
    pub(crate) fn finish_maybe(self: &Rc<Self>, sync: bool) {
        if !self.need_finish() {
            return;
        }
        self.prefinish();
        let ws = self.ws();
        if ws.state.borrow().pending_cb != 0 {
            return;
        }
        if sync {
            ws.state.borrow_mut().pending_cb += 1;
            let core = self.clone();
            next_tick(move || {
                if core.need_finish() {
                    core.finish();
                } else {
                    core.ws().state.borrow_mut().dec_pending(1);
                }
            });
        } else if self.need_finish() {
            ws.state.borrow_mut().pending_cb += 1;
            self.finish();
        }
    }

    /// Node's `finish`: the `end` callbacks, `'finish'`, then auto-destroy
    /// (for a duplex, only once its readable side has ended too).
    fn finish(self: &Rc<Self>) {
        {
            let mut state = self.ws().state.borrow_mut();
            state.dec_pending(1);
            state.finished = true;
        }
        self.call_finished_callbacks(Ok(()));
        self.events.emit(events::Finish, &());
        self.ws().waiters.wake_all();
        if self.life.auto_destroy {
            let readable_done =
                self.read.as_ref().is_none_or(|read| read.state.borrow().end_emitted);
            if readable_done {
                self.destroy(None);
            }
        }
    }

    /// Calls (and forgets) the callbacks given to `end()`.
    pub(crate) fn call_finished_callbacks(&self, result: Result<(), StreamError>) {
        let callbacks = std::mem::take(&mut self.ws().state.borrow_mut().on_finished);
        for cb in callbacks {
            cb(result.clone());
        }
    }
}
