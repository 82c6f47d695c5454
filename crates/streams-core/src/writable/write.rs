//! write(): accepting a chunk, handing it to the implementation or
//! buffering it, and what happens when the implementation calls back
//! (Node's `_write`, `writeOrBuffer`, `doWrite`, `onwrite`, `afterWrite`).

use std::rc::Rc;

use super::side::{Completion, UserCallback, WriteSide, WriteState};
use super::{BufferedChunk, WriteCallback};
use crate::encoding::Encoding;
use crate::event_loop::CoreTick;
use crate::events;
use crate::next_tick;
use crate::stream::Core;
use crate::StreamError;

impl<W> WriteState<W> {
    /// The bookkeeping of Node's `doWrite`, done under the caller's borrow:
    /// a write of `len` with the callback(s) `cb` is in flight. Returns its
    /// number, for its [`WriteCallback`], and the previous callbacks, to be
    /// dropped with no borrow held (always `Nop`: the last write's were
    /// taken when it completed).
    pub(crate) fn begin_write(&mut self, len: usize, cb: Completion) -> (u64, Completion) {
        let old_cb = std::mem::replace(&mut self.write_cb, cb);
        (self.mark_in_flight(len), old_cb)
    }

    /// The flags and number of a write of `len` now in flight.
    #[inline]
    fn mark_in_flight(&mut self, len: usize) -> u64 {
        self.write_len = len;
        self.writing = true;
        self.sync = true;
        self.expect_write_cb = true;
        self.write_seq = self.write_seq.wrapping_add(1);
        self.write_seq
    }

    /// [`begin_write`](Self::begin_write) for a write given its own
    /// callback, if any: with none (the common case) the callbacks of the
    /// write in flight stay the `Nop` they are between writes, untouched.
    #[inline]
    pub(crate) fn begin_write_with(
        &mut self,
        len: usize,
        cb: Option<UserCallback>,
    ) -> (u64, Completion) {
        if cb.is_none() && self.write_cb.is_nop() {
            return (self.mark_in_flight(len), Completion::Nop);
        }
        self.begin_write(len, Completion::from_option(cb))
    }

    /// Node's `needTick` for a callback-less synchronous completion that
    /// leaves `length` buffered: a `'drain'` is owed, or object mode (see
    /// `defer_after_write`).
    #[inline]
    fn after_write_needs_tick(&self, length: usize, object_mode: bool) -> bool {
        (self.need_drain && length == 0) || object_mode
    }

    /// `writeOrBuffer`'s return value, before the stream's failure is
    /// taken into account: below the high-water mark; a `false` owes a
    /// `'drain'`.
    fn below_hwm(&mut self) -> bool {
        let ret = self.length < self.hwm || self.length == 0;
        if !ret {
            self.need_drain = true;
        }
        ret
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `_write(stream, chunk, encoding, cb)`: refuses the chunk
    /// after `end()` or `destroy()` (the callback gets the error on the
    /// next tick and the stream fails), otherwise writes or buffers it.
    /// `Ok` carries `write()`'s return value.
    #[inline]
    pub(crate) fn write_chunk(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        cb: Option<UserCallback>,
    ) -> Result<bool, StreamError> {
        // The answer comes back in a register; the error of a refused
        // write, rare, through the side.
        let answer = match cb {
            None => self.write_without_callback(chunk, encoding),
            Some(cb) => self.write_with_callback(chunk, encoding, cb),
        };
        match answer {
            Some(ret) => Ok(ret),
            None => Err(self.take_refusal()),
        }
    }

    /// [`write_or_buffer`](Self::write_or_buffer) compiled for a write
    /// without a callback (Node's `nop`), the common case.
    #[inline(never)]
    fn write_without_callback(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
    ) -> Option<bool> {
        self.write_or_buffer(chunk, encoding, None)
    }

    /// [`write_or_buffer`](Self::write_or_buffer) for a write with a
    /// callback.
    #[inline(never)]
    fn write_with_callback(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        cb: UserCallback,
    ) -> Option<bool> {
        self.write_or_buffer(chunk, encoding, Some(cb))
    }

    /// The error [`refuse_write`](Self::refuse_write) left for
    /// [`write_chunk`](Self::write_chunk) to return.
    #[cold]
    #[inline(never)]
    fn take_refusal(&self) -> StreamError {
        self.ws().refused.take().unwrap_or_else(StreamError::write_after_end)
    }

    /// The body of [`write_chunk`](Self::write_chunk): `None` when the
    /// write is refused (the error is left in `refused`).
    #[inline(always)]
    fn write_or_buffer(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        cb: Option<UserCallback>,
    ) -> Option<bool> {
        let ws = self.ws();
        let len = ws.len_of(&chunk, encoding);
        // Node's `_write` checks, `writeOrBuffer`'s accounting and, for a
        // chunk that goes straight to the hook (nothing in flight, corked,
        // failed or still constructing), `doWrite`'s bookkeeping, all
        // under one borrow.
        let (seq, old_cb) = {
            let mut state = ws.state.borrow_mut();
            if state.ending || self.life.destroyed.get() {
                let ending = state.ending;
                drop(state);
                self.refuse_write(ending, chunk, cb);
                return None;
            }
            state.pending_cb += 1;
            state.length += len;
            let busy = state.writing
                || self.life.is_errored()
                || state.corked > 0
                || !self.life.constructed.get();
            if busy {
                state.buffered.push_back(chunk, encoding, cb);
                let ret = state.below_hwm();
                drop(state);
                return Some(ret && self.may_go_on());
            }
            state.begin_write_with(len, cb)
        };
        old_cb.discard();
        // Not destroyed: checked above, and no user code ran since.
        self.invoke_write_hook(ws, WriteCallback::new(self.clone(), seq), chunk, encoding);
        // The return value is computed after the hook ran: a synchronous
        // completion has already taken its chunk off `length`.
        let ret = {
            let mut state = ws.state.borrow_mut();
            state.sync = false;
            state.below_hwm()
        };
        Some(ret && self.may_go_on())
    }

    /// False once failed, to break `while w.write(..) {}` loops.
    fn may_go_on(&self) -> bool {
        !self.life.destroyed.get() && !self.life.is_errored()
    }

    /// A write after `end()` (`ending`) or `destroy()`: the callback gets
    /// the error on the next tick, and the stream fails. The error is left
    /// in `refused` for [`write_chunk`](Self::write_chunk) to return (after
    /// `error_or_destroy`, which may run user code that writes again).
    #[cold]
    #[inline(never)]
    fn refuse_write(self: &Rc<Self>, ending: bool, chunk: W, cb: Option<UserCallback>) {
        drop(chunk);
        let err =
            if ending { StreamError::write_after_end() } else { StreamError::destroyed("write") };
        if let Some(cb) = cb {
            let e = err.clone();
            next_tick(move || cb(Err(e)));
        }
        self.error_or_destroy(err.clone(), true);
        self.ws().refused.set(Some(err));
    }

    /// The call of Node's `doWrite` for one chunk, once
    /// [`begin_write`](WriteState::begin_write) numbered it `seq`: the
    /// `write` hook, or `writev` with a batch of one when there is only
    /// that. The caller clears `sync` afterwards.
    #[inline]
    pub(crate) fn call_write_hook(self: &Rc<Self>, seq: u64, chunk: W, encoding: Option<Encoding>) {
        let done = WriteCallback::new(self.clone(), seq);
        if self.life.destroyed.get() {
            Self::write_destroyed(chunk, done);
            return;
        }
        self.invoke_write_hook(self.ws(), done, chunk, encoding);
    }

    /// Calls the `write` hook (the stream is not destroyed).
    #[inline(always)]
    fn invoke_write_hook(
        self: &Rc<Self>,
        ws: &WriteSide<R, W>,
        done: WriteCallback,
        chunk: W,
        encoding: Option<Encoding>,
    ) {
        match ws.write_hook_idle.take() {
            Some(hook) => {
                hook(self, chunk, encoding, done);
                // Put it back unless the stream closed meanwhile (which
                // released the hooks). Nothing else fills the slot (a call
                // made meanwhile found it empty and left it so): the `None`
                // it holds needs no drop glue.
                if !self.life.close_emitted.get() {
                    let empty = ws.write_hook_idle.replace(Some(hook));
                    debug_assert!(empty.is_none());
                    std::mem::forget(empty);
                }
            }
            None => self.call_write_hook_nested(chunk, encoding, done),
        }
    }

    /// The `write` hook called while it is already running (or once
    /// released, or absent).
    #[inline(never)]
    fn call_write_hook_nested(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        done: WriteCallback,
    ) {
        let hook = self.ws().write_hook.borrow().clone();
        match hook {
            Some(hook) => hook(self, chunk, encoding, done),
            None => self.write_without_hook(chunk, encoding, done),
        }
    }

    /// Node's default `_write`: hands a lone chunk to `_writev` when there
    /// is one.
    #[cold]
    #[inline(never)]
    fn write_without_hook(
        self: &Rc<Self>,
        chunk: W,
        encoding: Option<Encoding>,
        done: WriteCallback,
    ) {
        let writev = self.ws().writev_hook.borrow().clone();
        match writev {
            Some(writev) => writev(self, vec![BufferedChunk { chunk, encoding }], done),
            None => done.call(Err(StreamError::method_not_implemented("_write()"))),
        }
    }

    /// A write started on a destroyed stream fails at once.
    #[cold]
    #[inline(never)]
    fn write_destroyed<C>(chunk: C, done: WriteCallback) {
        drop(chunk);
        done.call(Err(StreamError::destroyed("write")));
    }

    /// The call of Node's `doWrite` for a batch numbered `seq`: the
    /// `writev` hook. The caller clears `sync` afterwards.
    pub(crate) fn call_writev_hook(self: &Rc<Self>, seq: u64, chunks: Vec<BufferedChunk<W>>) {
        let ws = self.ws();
        let done = WriteCallback::new(self.clone(), seq);
        if self.life.destroyed.get() {
            Self::write_destroyed(chunks, done);
            return;
        }
        let writev = ws.writev_hook.borrow().clone();
        match writev {
            Some(writev) => writev(self, chunks, done),
            // Only reachable once the hooks were released, i.e. after
            // 'close'.
            None => done.call(Err(StreamError::destroyed("write"))),
        }
    }

    /// Node's `onwrite`: the hook called back for write number `seq`.
    #[inline]
    pub(crate) fn write_done(self: &Rc<Self>, seq: u64, result: Result<(), StreamError>) {
        // Taken apart at once: a success then holds nothing to drop, and
        // is tested once.
        match result {
            Ok(()) => {
                if !self.sync_write_done(seq) {
                    self.write_done_slow(seq, Ok(()));
                }
            }
            Err(err) => self.write_done_slow(seq, Err(err)),
        }
    }

    /// The common synchronous success, with nothing buffered and no
    /// callback, when `defer_after_write` would queue nothing: all of
    /// `onwrite` under one borrow. Returns false, having changed nothing,
    /// for every other case.
    #[inline]
    fn sync_write_done(self: &Rc<Self>, seq: u64) -> bool {
        let ws = self.ws();
        let ending = {
            let mut state = ws.state.borrow_mut();
            if !state.sync
                || !state.expect_write_cb
                || state.write_seq != seq
                || !state.buffered.is_empty()
                || !state.write_cb.is_nop()
            {
                return false;
            }
            let length = state.length - state.write_len;
            if state.after_write_needs_tick(length, ws.ops.object_mode)
                && !state.after_write_pending
            {
                return false;
            }
            state.writing = false;
            state.expect_write_cb = false;
            state.length = length;
            // `write_len` is read only while a write is in flight, and the
            // next one sets it: left as it is.
            state.dec_pending(1);
            state.ending
        };
        if ending {
            self.finish_maybe(true);
        }
        ws.waiters.wake_all();
        true
    }

    /// The rest of Node's `onwrite`, out of line so that the fast path
    /// stays small. Also the whole of it: it handles every case, the
    /// synchronous success included.
    #[inline(never)]
    pub(crate) fn write_done_slow(self: &Rc<Self>, seq: u64, result: Result<(), StreamError>) {
        let ws = self.ws();
        let taken = {
            let mut state = ws.state.borrow_mut();
            if !state.expect_write_cb || state.write_seq != seq {
                // A `WriteCallback` is consumed when called, so this cannot
                // happen through the public API; kept as Node's guard.
                None
            } else {
                let sync = state.sync;
                state.writing = false;
                state.expect_write_cb = false;
                state.length -= state.write_len;
                state.write_len = 0;
                let buffered = !state.buffered.is_empty();
                let cb = std::mem::replace(&mut state.write_cb, Completion::Nop);
                Some((sync, cb, buffered))
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
            let need_tick =
                state.after_write_needs_tick(state.length, ws.ops.object_mode) || !cb.is_nop();
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
                self.next_tick(CoreTick::AfterWrite(cb));
            }
        }
    }

    /// Node's `afterWrite`: `'drain'` if owed (never after `end()`), then
    /// the producer's callback, then finishing if ending. Inlined into
    /// [`write_done_slow`](Self::write_done_slow), where an asynchronous
    /// completion runs it once per write.
    #[inline(always)]
    pub(crate) fn after_write(self: &Rc<Self>, cb: Completion) {
        let ws = self.ws();
        let (drain, ending) = {
            let mut state = ws.state.borrow_mut();
            state.after_write_pending = false;
            let drain = !state.ending
                && state.need_drain
                && !self.life.destroyed.get()
                && state.length == 0;
            if drain {
                state.need_drain = false;
            } else {
                // No listener runs before the count drops: drop it now.
                state.dec_pending(1);
            }
            (drain, state.ending)
        };
        if drain {
            self.events.emit(events::Drain, &());
            ws.waiters.wake_all();
            ws.state.borrow_mut().dec_pending(1);
        }
        // `ending` as read above holds unless user code ran since.
        let mut reread = drain;
        if !cb.is_nop() {
            cb.call(Ok(()));
            reread = true;
        } else {
            cb.discard();
        }
        if self.life.destroyed.get() {
            self.error_buffer();
            reread = true;
        }
        let ending = if reread { ws.state.borrow().ending } else { ending };
        if ending {
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
