//! The write side of a stream: Node's `WritableState` and the
//! implementation's hooks.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use super::{BufferedChunk, WriteCallback};
use crate::encoding::{js_len, Encoding};
use crate::stream::{Callback, ChunkOps, Core};
use crate::StreamError;

/// `write(chunk, encoding, cb)` as stored. `Fn`, not `FnMut`, and behind
/// an `Rc`: Node re-enters `_write` when a synchronous callback finds more
/// data buffered, so the hook must be callable while it is running.
pub(crate) type WriteHook<R, W> = Rc<dyn Fn(&Rc<Core<R, W>>, W, Option<Encoding>, WriteCallback)>;
/// `writev(chunks, cb)` as stored (re-entrant for the same reason).
pub(crate) type WritevHook<R, W> =
    Rc<dyn Fn(&Rc<Core<R, W>>, Vec<BufferedChunk<W>>, WriteCallback)>;
/// `final(cb)` as stored: it runs at most once.
pub(crate) type FinalHook<R, W> = Box<dyn FnOnce(&Rc<Core<R, W>>, Callback)>;

/// A callback a producer gave to `write` or `end` (Node's `cb(err)`).
pub(crate) type UserCallback = Box<dyn FnOnce(Result<(), StreamError>)>;

/// What to call back when the write in flight completes: nothing (Node's
/// `nop`, the common case, which costs no allocation), one producer
/// callback, or those of a whole `writev` batch.
pub(crate) enum Completion {
    Nop,
    One(UserCallback),
    Batch(Vec<UserCallback>),
}

impl Completion {
    #[inline]
    pub(crate) fn from_option(cb: Option<UserCallback>) -> Completion {
        cb.map_or(Completion::Nop, Completion::One)
    }

    #[inline]
    pub(crate) fn is_nop(&self) -> bool {
        matches!(self, Completion::Nop)
    }

    /// Drops the callbacks uncalled; a `Nop` costs nothing (no drop glue
    /// call), which matters once per write.
    #[inline]
    pub(crate) fn discard(self) {
        if self.is_nop() {
            std::mem::forget(self);
        } else {
            drop(self);
        }
    }

    /// Calls the callbacks, with no borrow of the stream held.
    pub(crate) fn call(self, result: Result<(), StreamError>) {
        match self {
            Completion::Nop => {}
            Completion::One(cb) => cb(result),
            Completion::Batch(cbs) => {
                for cb in cbs {
                    cb(result.clone());
                }
            }
        }
    }
}

/// The writes waiting in the buffer (Node's `buffered` array of `{ chunk,
/// encoding, callback }`): the chunks, kept as the `writev` batch they may
/// become (taking them all moves the storage, without copying a chunk),
/// and, apart from them, the callbacks of the writes that have one, each
/// with the number of its write.
pub(crate) struct WriteBuffer<W> {
    chunks: VecDeque<BufferedChunk<W>>,
    callbacks: VecDeque<(u64, UserCallback)>,
    /// The number of the write at the front of `chunks`; writes are
    /// numbered in the order they are buffered.
    head: u64,
}

impl<W> WriteBuffer<W> {
    pub(crate) fn new() -> WriteBuffer<W> {
        WriteBuffer { chunks: VecDeque::new(), callbacks: VecDeque::new(), head: 0 }
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.chunks.len()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &BufferedChunk<W>> {
        self.chunks.iter()
    }

    #[inline]
    pub(crate) fn push_back(
        &mut self,
        chunk: W,
        encoding: Option<Encoding>,
        callback: Option<UserCallback>,
    ) {
        if let Some(callback) = callback {
            let number = self.head.wrapping_add(self.chunks.len() as u64);
            self.callbacks.push_back((number, callback));
        }
        self.chunks.push_back(BufferedChunk { chunk, encoding });
    }

    /// The first write, with its callback.
    #[inline]
    pub(crate) fn pop_front(&mut self) -> Option<(BufferedChunk<W>, Option<UserCallback>)> {
        let chunk = self.chunks.pop_front()?;
        let number = self.head;
        self.head = self.head.wrapping_add(1);
        let callback = match self.callbacks.front() {
            Some((n, _)) if *n == number => self.callbacks.pop_front().map(|(_, cb)| cb),
            _ => None,
        };
        Some((chunk, callback))
    }

    /// Every write: the chunks as one batch (the storage itself; the
    /// buffer gets a new one of the same size) and the callbacks, in order.
    pub(crate) fn take_all(&mut self) -> (Vec<BufferedChunk<W>>, Vec<UserCallback>) {
        let count = self.chunks.len();
        self.head = self.head.wrapping_add(count as u64);
        let chunks = std::mem::replace(&mut self.chunks, VecDeque::with_capacity(count));
        let callbacks = self.callbacks.drain(..).map(|(_, cb)| cb).collect();
        (Vec::from(chunks), callbacks)
    }
}

/// Node's `WritableState`, less the lifecycle flags that both sides share
/// (`destroyed`, `errored`, `closed`, `constructed`, ... live in
/// [`Lifecycle`](crate::stream::Lifecycle)).
///
/// | field               | Node                  | meaning |
/// |---------------------|-----------------------|---------|
/// | `length`            | `length`              | bytes (items) accepted and not yet written: the one in flight plus the buffered ones |
/// | `writing`           | `kWriting`            | a `write`/`writev` hook call has not called back yet |
/// | `sync`              | `kSync`               | a hook (`write`, `writev`, `final`) is running right now |
/// | `expect_write_cb`   | `kExpectWriteCb`      | the write in flight may still call back (with `write_seq`) |
/// | `corked`            | `corked`              | `cork()` depth; writes are buffered while > 0 |
/// | `buffer_processing` | `kBufferProcessing`   | `clear_buffer` is running (a sync callback must not re-run it) |
/// | `need_drain`        | `kNeedDrain`          | `write()` returned `false`; `'drain'` is owed |
/// | `after_write_pending` | `kAfterWritePending`| an `after_write` tick for a callback-less sync write is queued |
/// | `pending_cb`        | `pendingcb`           | writes (and `final`, and the finish tick) not yet completed; `'finish'` waits for 0 |
/// | `ending`            | `kEnding`             | `end()` was called (Node's `writableEnded`) |
/// | `ended`             | `kEnded`              | `end()` returned |
/// | `final_called`      | `kFinalCalled`        | the `final` hook was called (or there is none) |
/// | `prefinished`       | `kPrefinished`        | `'prefinish'` was emitted |
/// | `finished`          | `kFinished`           | `'finish'` was emitted |
pub(crate) struct WriteState<W> {
    pub(crate) buffered: WriteBuffer<W>,
    pub(crate) length: usize,
    pub(crate) hwm: usize,
    pub(crate) corked: usize,
    pub(crate) writing: bool,
    pub(crate) sync: bool,
    pub(crate) expect_write_cb: bool,
    /// Numbers the writes handed to the hooks; the [`WriteCallback`] of the
    /// write in flight carries the current one.
    pub(crate) write_seq: u64,
    /// The length of the write in flight (Node's `writelen`).
    pub(crate) write_len: usize,
    /// The callback(s) of the write in flight (Node's `writecb`).
    pub(crate) write_cb: Completion,
    pub(crate) need_drain: bool,
    pub(crate) buffer_processing: bool,
    pub(crate) after_write_pending: bool,
    pub(crate) pending_cb: usize,
    pub(crate) ending: bool,
    pub(crate) ended: bool,
    pub(crate) final_called: bool,
    pub(crate) prefinished: bool,
    pub(crate) finished: bool,
    /// The callbacks given to `end()` before `'finish'` (Node's
    /// `kOnFinished`).
    pub(crate) on_finished: Vec<UserCallback>,
    pub(crate) decode_strings: bool,
    pub(crate) default_encoding: Encoding,
    /// A Duplex made with `writable(false)` (Node's `writable === false`
    /// in the state): the side exists, finished, but the stream does not
    /// count as writable for `finished` and `pipeline`.
    pub(crate) disabled: bool,
}

impl<W> WriteState<W> {
    /// `pendingcb--`. The count is balanced by construction; saturating
    /// keeps a bug from turning into a panic in release builds.
    pub(crate) fn dec_pending(&mut self, n: usize) {
        debug_assert!(self.pending_cb >= n, "pending_cb underflow");
        self.pending_cb = self.pending_cb.saturating_sub(n);
    }
}

/// The write side of a [`Core`]: its state, how it measures chunks, and
/// the implementation's hooks.
pub(crate) struct WriteSide<R: 'static, W: 'static> {
    pub(crate) state: RefCell<WriteState<W>>,
    pub(crate) ops: ChunkOps<W>,
    /// The `write` hook, for a call that finds it here: taken out while
    /// it runs and put back after (no reference count to move), so a call
    /// made while it runs (a synchronous completion that finds more
    /// buffered) finds it empty and uses [`write_hook`](Self::write_hook).
    /// Empty once released.
    pub(crate) write_hook_idle: Cell<Option<WriteHook<R, W>>>,
    /// The `write` hook, for every call that does not find it idle.
    pub(crate) write_hook: RefCell<Option<WriteHook<R, W>>>,
    pub(crate) writev_hook: RefCell<Option<WritevHook<R, W>>>,
    pub(crate) final_hook: RefCell<Option<FinalHook<R, W>>>,
    /// Whether a `writev` hook was given (Node's `stream._writev`): only
    /// then are buffered chunks written in one batch.
    pub(crate) has_writev: bool,
    /// Whether a `final` hook was given (Node's `stream._final`).
    pub(crate) has_final: bool,
    /// Whether `pipe()` ends this stream when its source ends: false only
    /// for the process's stdout and stderr, as in Node.
    pub(crate) ended_by_pipe: bool,
    /// Async code waiting for this side to move (the `Sink` face).
    pub(crate) waiters: crate::async_face::Waiters,
    /// The error of the write just refused, from `refuse_write` to the
    /// `write_chunk` that returns it.
    pub(crate) refused: Cell<Option<StreamError>>,
}

/// The options of a write side, as a builder collects them.
pub(crate) struct WriteOptions<R: 'static, W: 'static> {
    pub(crate) ops: ChunkOps<W>,
    pub(crate) hwm: usize,
    pub(crate) decode_strings: bool,
    pub(crate) default_encoding: Encoding,
    pub(crate) write: Option<WriteHook<R, W>>,
    pub(crate) writev: Option<WritevHook<R, W>>,
    pub(crate) final_: Option<FinalHook<R, W>>,
    pub(crate) ended_by_pipe: bool,
}

impl<R: 'static, W: 'static> WriteSide<R, W> {
    pub(crate) fn new(options: WriteOptions<R, W>) -> WriteSide<R, W> {
        WriteSide {
            state: RefCell::new(WriteState {
                buffered: WriteBuffer::new(),
                length: 0,
                hwm: options.hwm,
                corked: 0,
                writing: false,
                // Node starts with kSync set: nothing is "later" before the
                // first write.
                sync: true,
                expect_write_cb: false,
                write_seq: 0,
                write_len: 0,
                write_cb: Completion::Nop,
                need_drain: false,
                buffer_processing: false,
                after_write_pending: false,
                pending_cb: 0,
                ending: false,
                ended: false,
                final_called: false,
                prefinished: false,
                finished: false,
                on_finished: Vec::new(),
                decode_strings: options.decode_strings,
                default_encoding: options.default_encoding,
                disabled: false,
            }),
            ops: options.ops,
            has_writev: options.writev.is_some(),
            has_final: options.final_.is_some(),
            ended_by_pipe: options.ended_by_pipe,
            write_hook_idle: Cell::new(options.write.clone()),
            write_hook: RefCell::new(options.write),
            writev_hook: RefCell::new(options.writev),
            final_hook: RefCell::new(options.final_),
            waiters: Default::default(),
            refused: Cell::new(None),
        }
    }

    /// How much a chunk counts toward `length`: 1 in object mode; in byte
    /// mode its bytes, or, for a string kept as text (`decode_strings`
    /// off), its length in UTF-16 code units as JavaScript counts it.
    #[inline]
    pub(crate) fn len_of(&self, chunk: &W, encoding: Option<Encoding>) -> usize {
        if encoding.is_some() && !self.ops.object_mode {
            if let Some(text) = (self.ops.as_bytes)(chunk).and_then(|b| std::str::from_utf8(b).ok())
            {
                return js_len(text);
            }
        }
        self.ops.len(chunk)
    }

    /// Node's `stream.writable`: not ending, ended, destroyed or errored.
    pub(crate) fn is_writable(&self, core: &Core<R, W>) -> bool {
        let state = self.state.borrow();
        !state.ending && !state.ended && !core.life.destroyed.get() && !core.life.is_errored()
    }

    /// Called by `destroy()` (after `destroyed` is set, before the destroy
    /// hook runs): Node's `Writable.prototype.destroy` fails the buffered
    /// writes and the pending `end` callbacks on the next tick
    /// (`errorBuffer`).
    pub(crate) fn on_destroy(&self, core: &Rc<Core<R, W>>) {
        self.waiters.wake_all();
        let pending = {
            let state = self.state.borrow();
            !state.buffered.is_empty() || !state.on_finished.is_empty()
        };
        if pending {
            let core = core.clone();
            crate::next_tick(move || core.error_buffer());
        }
    }

    /// Drops the hooks of a closed stream (they may hold handles to it).
    pub(crate) fn release_hooks(&self) {
        // A `write` hook running now is dropped when it returns (the stream
        // is closed by then).
        let idle = self.write_hook_idle.take();
        let write = self.write_hook.borrow_mut().take();
        let writev = self.writev_hook.borrow_mut().take();
        let final_ = self.final_hook.borrow_mut().take();
        drop((idle, write, writev, final_));
    }

    /// Called when the `construct` hook succeeded: write what was buffered
    /// meanwhile, and finish if `end()` was called.
    pub(crate) fn on_constructed(&self, core: &Rc<Core<R, W>>) {
        let (writing, ending) = {
            let state = self.state.borrow();
            (state.writing, state.ending)
        };
        if !writing {
            core.clear_buffer();
        }
        if ending {
            core.finish_maybe(false);
        }
    }

    /// Whether the side finished, for the auto-destroy of a duplex after
    /// `'end'` (Node's `wState.finished || wState.writable === false`).
    pub(crate) fn is_finished_or_disabled(&self) -> bool {
        self.state.borrow().finished
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `endWritableNT`: a duplex without half-open ends its
    /// writable side once the readable side ended.
    pub(crate) fn end_writable_after_readable(self: &Rc<Self>) {
        let Some(ws) = &self.write else { return };
        let end = {
            let state = ws.state.borrow();
            ws.is_writable(self) && !state.ending && !self.life.destroyed.get()
        };
        if end {
            self.end_writable(None, None);
        }
    }
}
