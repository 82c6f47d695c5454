//! read(n): taking data out of the buffer, and calling the `read` hook to
//! refill it.

use std::rc::Rc;

use super::side::ReadState;
use crate::events;
use crate::next_tick;
use crate::stream::Core;
use crate::StreamError;

/// Node will not raise the high-water mark past 1 GiB.
const MAX_HWM: usize = 0x4000_0000;

/// The next power of two at or above `n`, so that repeated large reads do
/// not raise the high-water mark in tiny steps.
fn new_high_water_mark(n: usize) -> usize {
    n.next_power_of_two()
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// How much `read(n)` may return now (Node's `howMuchToRead`), under a
    /// borrow the caller holds; `None` is `read()` with no size.
    #[inline]
    fn how_much_to_read_in(&self, state: &ReadState<R>, n: Option<usize>) -> usize {
        if n == Some(0) || (state.length == 0 && state.ended) {
            return 0;
        }
        if self.rs().object_mode {
            return 1;
        }
        match n {
            None => {
                // Flowing: one chunk at a time; paused: everything.
                if state.flowing == Some(true) && state.length > 0 {
                    state.buffer.front().map_or(0, |c| self.rs().len_of(c))
                } else {
                    state.length
                }
            }
            Some(n) if n <= state.length => n,
            Some(_) if state.ended => state.length,
            Some(_) => 0,
        }
    }

    /// Node's `readable.read(n)`.
    pub(crate) fn read_chunk(self: &Rc<Self>, size: Option<usize>) -> Option<R> {
        self.read_sized(size, false)
    }

    /// Node's `readable.read()` with no size, as the flowing loop and the
    /// async iterator call it: [`read_chunk`](Self::read_chunk) compiled
    /// for `None`, without the size checks.
    pub(crate) fn read_next(self: &Rc<Self>) -> Option<R> {
        self.read_sized(None, false)
    }

    /// One turn of the flowing loop (Node's `flow`): `read()` while the
    /// stream flows, `None` (with nothing done) once it does not. The
    /// flowing test shares `read()`'s first borrow.
    pub(crate) fn read_flowing(self: &Rc<Self>) -> Option<R> {
        self.read_sized(None, true)
    }

    /// The body of `read(n)`.
    ///
    /// Everything up to the `read` hook runs under one borrow, and
    /// everything after it (taking the data, deciding on `'end'`) under
    /// another: no user code runs in between.
    #[inline(always)]
    fn read_sized(self: &Rc<Self>, size: Option<usize>, flowing_only: bool) -> Option<R> {
        let rs = self.rs();
        if let Some(n) = size {
            if n > MAX_HWM {
                self.error_or_destroy(
                    StreamError::out_of_range(format!(
                        "The value of \"size\" is out of range. It must be <= 1GiB. Received {n}"
                    )),
                    false,
                );
                return None;
            }
        }

        let (mut n, do_read, hwm) = {
            let mut state = rs.state.borrow_mut();
            if flowing_only && state.flowing != Some(true) {
                return None;
            }
            if let Some(size) = size {
                if size > state.hwm {
                    state.hwm = new_high_water_mark(size);
                }
            }
            if size != Some(0) {
                state.emitted_readable = false;
            } else {
                // read(0) with enough buffered (or at the end): only
                // trigger 'readable' (or 'end').
                let enough =
                    if state.hwm != 0 { state.length >= state.hwm } else { state.length > 0 };
                if state.need_readable && (enough || state.ended) {
                    let at_end = state.length == 0 && state.ended;
                    drop(state);
                    if at_end {
                        self.end_readable();
                    } else {
                        self.emit_readable();
                    }
                    return None;
                }
            }

            let n = self.how_much_to_read_in(&state, size);
            if n == 0 && state.ended {
                let empty = state.length == 0;
                drop(state);
                if empty {
                    self.end_readable();
                }
                return None;
            }

            // Decide whether to ask the source for more, before taking
            // data out: a synchronous read hook may change what is there.
            //
            // A read() from inside the read hook leaves the asking to the
            // hook that is running (Node would call it again, nested; an
            // FnMut cannot be re-entered, and claiming a read that no hook
            // call answers would stall the stream). Whatever the hook
            // pushes schedules the next read as usual.
            let want = state.need_readable
                || state.length == 0
                || state.length.saturating_sub(n) < state.hwm;
            let blocked = state.reading || rs.in_hook.get() || state.ended || self.life.is_halted();
            let do_read = want && !blocked;
            if do_read {
                state.reading = true;
                state.sync = true;
                if state.length == 0 {
                    state.need_readable = true;
                }
            }
            (n, do_read, state.hwm)
        };
        if do_read {
            self.call_read_hook(hwm);
        }

        // Take the data, then decide on 'end', under one borrow.
        let (ret, end_now, emit) = {
            let mut state = rs.state.borrow_mut();
            if do_read {
                state.sync = false;
                if !state.reading {
                    n = self.how_much_to_read_in(&state, size);
                }
            }
            // Exactly the first chunk (every read in object mode, every
            // flowing read in byte mode): pop it, with no `take` call and
            // no second measure.
            let whole = rs.object_mode
                || (!rs.text.get() && state.buffer.front().is_some_and(|c| rs.len_of(c) == n));
            let ret = if n > 0 && state.length > 0 {
                if whole {
                    state.buffer.pop_front()
                } else {
                    let total = state.length;
                    (rs.take.get())(&mut state.buffer, n, total)
                }
            } else {
                None
            };
            match &ret {
                None => {
                    if state.length <= state.hwm {
                        state.need_readable = true;
                    }
                    n = 0;
                }
                Some(chunk) => {
                    // Count what was taken: with an encoding, `take` rounds
                    // `n` up rather than split a surrogate pair.
                    let taken = if whole { n } else { rs.len_of(chunk) };
                    state.length -= taken.min(state.length);
                    state.await_drain.clear();
                }
            }
            let end_now = if state.length == 0 {
                if !state.ended {
                    state.need_readable = true;
                }
                // Tried to read past the end: 'end' on the next tick.
                size != Some(n) && state.ended
            } else {
                false
            };
            // `end_readable` below only schedules a tick: these flags are
            // the same before and after it.
            // `'error'` and `'close'` are emitted only once the stream is
            // errored or destroyed: a stream that is neither (nor under
            // construction) has emitted neither.
            debug_assert!(
                self.life.is_halted()
                    || !(self.life.error_emitted.get() || self.life.close_emitted.get())
            );
            let emit = ret.is_some()
                && (!self.life.is_halted()
                    || (!self.life.error_emitted.get() && !self.life.close_emitted.get()));
            if emit {
                state.data_emitted = true;
            }
            (ret, end_now, emit)
        };
        if end_now {
            self.end_readable();
        }

        if let Some(chunk) = ret.as_ref().filter(|_| emit) {
            self.events.emit_data(chunk);
        }
        ret
    }

    /// Calls the implementation's `read(size)`, with the hook taken out of
    /// its cell while it runs (`in_hook` keeps a `read()` made from inside
    /// it from asking for another call).
    #[inline(always)]
    fn call_read_hook(self: &Rc<Self>, hwm: usize) {
        let rs = self.rs();
        let Some(mut hook) = rs.hook.take() else {
            if !rs.has_hook.get() {
                self.error_or_destroy(StreamError::method_not_implemented("_read()"), false);
            }
            return;
        };
        rs.in_hook.set(true);
        hook(self, hwm);
        rs.in_hook.set(false);
        // Put it back unless the stream closed meanwhile (which released
        // the hooks: the slot is empty either way).
        if !self.life.close_emitted.get() {
            rs.hook.set(Some(hook));
        }
    }

    /// Schedules `'end'` (Node's `endReadable`).
    pub(crate) fn end_readable(self: &Rc<Self>) {
        {
            let mut state = self.rs().state.borrow_mut();
            if state.end_emitted || state.end_scheduled {
                return;
            }
            state.ended = true;
            state.end_scheduled = true;
        }
        let core = self.clone();
        next_tick(move || core.end_readable_now());
    }

    fn end_readable_now(self: &Rc<Self>) {
        {
            let mut state = self.rs().state.borrow_mut();
            // The tick is running: a later end of reading may schedule again.
            state.end_scheduled = false;
            let blocked = self.life.is_errored()
                || self.life.close_emitted.get()
                || state.end_emitted
                || state.length != 0;
            if blocked {
                return;
            }
            state.end_emitted = true;
        }
        self.events.emit(events::End, &());
        if self.is_writable() && !self.allow_half_open {
            let core = self.clone();
            next_tick(move || core.end_writable_after_readable());
        } else if self.life.auto_destroy {
            // A duplex is destroyed only once its writable side is done too.
            let writable_done = self.write.as_ref().is_none_or(|w| w.is_finished_or_disabled());
            if writable_done {
                self.destroy(None);
            }
        }
    }
}
