//! write(): accepting a chunk, handing it to the implementation or
//! buffering it, and what happens when the implementation calls back
//! (Node's `_write`, `writeOrBuffer`, `doWrite`, `onwrite`, `afterWrite`).

use std::rc::Rc;

use super::side::{Completion, Request, UserCallback};
use super::{BufferedChunk, WriteCallback};
use crate::encoding::Encoding;
use crate::events;
use crate::next_tick;
use crate::stream::Core;
use crate::StreamError;

/// What a hook call writes: one chunk (`write`) or a batch (`writev`).
pub(crate) enum Job<W> {
    One(W, Option<Encoding>),
    Many(Vec<BufferedChunk<W>>),
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `_write(stream, chunk, encoding, cb)`: refuses the chunk
    /// after `end()` or `destroy()` (the callback gets the error on the
    /// next tick and the stream fails), otherwise writes or buffers it.
    /// `Ok` carries `write()`'s return value.
    pub(crate) fn write_chunk(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        cb: Option<UserCallback>,
    ) -> Result<bool, StreamError> {
        let ws = self.ws();
        let len = ws.len_of(&chunk, encoding);
        // Node's `_write` checks, then `writeOrBuffer`'s accounting, under
        // one borrow: straight to the hook when nothing is in flight,
        // corked, failed or still constructing; into the buffer otherwise.
        let accepted = {
            let mut state = ws.state.borrow_mut();
            if state.ending {
                Err((StreamError::write_after_end(), chunk, cb))
            } else if self.life.destroyed.get() {
                Err((StreamError::destroyed("write"), chunk, cb))
            } else {
                state.pending_cb += 1;
                state.length += len;
                let busy = state.writing
                    || self.life.is_errored()
                    || state.corked > 0
                    || !self.life.constructed.get();
                if busy {
                    state.buffered.push_back(Request { chunk, encoding, callback: cb });
                    Ok(None)
                } else {
                    Ok(Some((chunk, cb)))
                }
            }
        };
        match accepted {
            Err((err, chunk, cb)) => {
                drop(chunk);
                if let Some(cb) = cb {
                    let e = err.clone();
                    next_tick(move || cb(Err(e)));
                }
                self.error_or_destroy(err.clone(), true);
                Err(err)
            }
            Ok(direct) => Ok(self.write_or_buffer(len, encoding, direct)),
        }
    }

    /// The rest of Node's `writeOrBuffer`, once the chunk is accepted and
    /// counted: the hook call for a `direct` chunk, then the return
    /// value, computed after the hook ran (a synchronous completion has
    /// already taken its chunk off `length`).
    fn write_or_buffer(
        self: &Rc<Self>,
        len: usize,
        encoding: Option<Encoding>,
        direct: Option<(W, Option<UserCallback>)>,
    ) -> bool {
        let ws = self.ws();
        if let Some((chunk, cb)) = direct {
            self.do_write(len, Job::One(chunk, encoding), Completion::from_option(cb));
        }
        let ret = {
            let mut state = ws.state.borrow_mut();
            let ret = state.length < state.hwm || state.length == 0;
            if !ret {
                state.need_drain = true;
            }
            ret
        };
        // False once failed, to break `while w.write(..) {}` loops.
        ret && !self.life.destroyed.get() && !self.life.is_errored()
    }

    /// Node's `doWrite`: marks the write in flight and calls the hook.
    pub(crate) fn do_write(self: &Rc<Self>, len: usize, job: Job<W>, cb: Completion) {
        let ws = self.ws();
        let (seq, old_cb) = {
            let mut state = ws.state.borrow_mut();
            state.write_len = len;
            let old_cb = std::mem::replace(&mut state.write_cb, cb);
            state.writing = true;
            state.sync = true;
            state.expect_write_cb = true;
            state.write_seq = state.write_seq.wrapping_add(1);
            (state.write_seq, old_cb)
        };
        // Always `Nop` (the last write's callbacks were taken when it
        // completed); dropped with no borrow held all the same.
        old_cb.discard();
        let done = WriteCallback::new(self.clone(), seq);
        if self.life.destroyed.get() {
            done.call(Err(StreamError::destroyed("write")));
        } else {
            match job {
                Job::One(chunk, encoding) => {
                    let hook = ws.write_hook.borrow().clone();
                    match hook {
                        Some(hook) => hook(self, chunk, encoding, done),
                        None => {
                            // Node's default `_write` hands a lone chunk to
                            // `_writev` when there is one.
                            let writev = ws.writev_hook.borrow().clone();
                            match writev {
                                Some(writev) => {
                                    writev(self, vec![BufferedChunk { chunk, encoding }], done)
                                }
                                None => {
                                    done.call(Err(StreamError::method_not_implemented("_write()")))
                                }
                            }
                        }
                    }
                }
                Job::Many(chunks) => {
                    let writev = ws.writev_hook.borrow().clone();
                    match writev {
                        Some(writev) => writev(self, chunks, done),
                        // Only reachable once the hooks were released,
                        // i.e. after 'close'.
                        None => done.call(Err(StreamError::destroyed("write"))),
                    }
                }
            }
        }
        ws.state.borrow_mut().sync = false;
    }

    /// Node's `onwrite`: the hook called back for write number `seq`.
    pub(crate) fn write_done(self: &Rc<Self>, seq: u64, result: Result<(), StreamError>) {
        let ws = self.ws();
        let taken = {
            let mut state = ws.state.borrow_mut();
            if !state.expect_write_cb || state.write_seq != seq {
                // A `WriteCallback` is consumed when called, so this cannot
                // happen through the public API; kept as Node's guard.
                None
            } else {
                let sync = state.sync;
                let cb = std::mem::replace(&mut state.write_cb, Completion::Nop);
                state.writing = false;
                state.expect_write_cb = false;
                state.length -= state.write_len;
                state.write_len = 0;
                Some((sync, cb, !state.buffered.is_empty()))
            }
        };
        let Some((sync, cb, buffered)) = taken else {
            self.error_or_destroy(StreamError::multiple_callback(), false);
            return;
        };
        match result {
            Err(err) => {
                // A duplex's readable side sees the error too: the
                // lifecycle is shared.
                self.life.record_error(&err);
                if sync {
                    let core = self.clone();
                    next_tick(move || core.write_failed(err, cb));
                } else {
                    self.write_failed(err, cb);
                }
            }
            Ok(()) => {
                if buffered {
                    self.clear_buffer();
                }
                if sync {
                    self.defer_after_write(cb);
                } else {
                    self.after_write(cb);
                }
            }
        }
        ws.waiters.wake_all();
    }

    /// A synchronous completion: the producer's callback (and `'drain'`)
    /// wait for the next tick. Node skips the tick when nothing would be
    /// observed in it: no callback, no `'drain'` owed, and not object mode
    /// (Node's `needTick` reads the object-mode bit through an operator
    /// precedence slip, `state & kDestroyed !== 0`; kept for fidelity).
    fn defer_after_write(self: &Rc<Self>, cb: Completion) {
        let ws = self.ws();
        let finish_now = {
            let mut state = ws.state.borrow_mut();
            let need_drain = state.need_drain && state.length == 0;
            let need_tick = need_drain || ws.ops.object_mode || !cb.is_nop();
            if cb.is_nop() && (state.after_write_pending || !need_tick) {
                // One queued tick serves every callback-less write.
                state.dec_pending(1);
                Some(state.ending)
            } else {
                // Node batches only calls with the *same* callback
                // function; two Rust closures are never the same, so each
                // callback gets its own tick.
                state.after_write_pending = true;
                None
            }
        };
        match finish_now {
            Some(ending) => {
                cb.discard();
                if ending {
                    self.finish_maybe(true);
                }
            }
            None => {
                let core = self.clone();
                next_tick(move || core.after_write(cb));
            }
        }
    }

    /// Node's `afterWrite`: `'drain'` if owed (never after `end()`), then
    /// the producer's callback, then finishing if ending.
    fn after_write(self: &Rc<Self>, cb: Completion) {
        let ws = self.ws();
        let drain = {
            let mut state = ws.state.borrow_mut();
            state.after_write_pending = false;
            let drain = !state.ending
                && state.need_drain
                && !self.life.destroyed.get()
                && state.length == 0;
            if drain {
                state.need_drain = false;
            }
            drain
        };
        if drain {
            self.events.emit(events::Drain, &());
            ws.waiters.wake_all();
        }
        ws.state.borrow_mut().dec_pending(1);
        cb.call(Ok(()));
        if self.life.destroyed.get() {
            self.error_buffer();
        }
        if ws.state.borrow().ending {
            self.finish_maybe(true);
        }
    }

    /// Node's `onwriteError`: the failed write's callback first, then every
    /// buffered one and the `end` callbacks, then `'error'` (or destroy).
    fn write_failed(self: &Rc<Self>, err: StreamError, cb: Completion) {
        self.ws().state.borrow_mut().dec_pending(1);
        cb.call(Err(err.clone()));
        self.error_buffer();
        self.error_or_destroy(err, false);
    }
}
