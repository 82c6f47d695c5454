//! The read side of a stream: its state and its `read` hook.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use crate::encoding::{Encoding, StringDecoder};
use crate::stream::{ChunkOps, Core, StreamId, WriteEnd};
use crate::writable::WriteCallback;

/// `ChunkOps::take`: `n` units from the front of a queue of `total`.
type TakeFn<T> = fn(&mut VecDeque<T>, usize, usize) -> Option<T>;

/// `read(size)` as stored (see `DestroyHook` for why it takes the core).
pub(crate) type ReadHook<R, W> = Box<dyn FnMut(&Rc<Core<R, W>>, usize)>;

/// Node's `ReadableState`.
///
/// The flowing state is Node's three-valued `readableFlowing`:
///
/// | `flowing`     | meaning                                         |
/// |---------------|-------------------------------------------------|
/// | `None`        | nobody consumes yet; a `'data'` listener or `resume()` starts flowing |
/// | `Some(true)`  | flowing: data is emitted as `'data'` as it arrives |
/// | `Some(false)` | paused explicitly (or by a `'readable'` listener); a `'data'` listener alone does not resume |
pub(crate) struct ReadState<T> {
    pub(crate) buffer: VecDeque<T>,
    /// Buffered length: bytes, items, or (with an encoding) UTF-16 units.
    pub(crate) length: usize,
    pub(crate) hwm: usize,
    pub(crate) flowing: Option<bool>,
    /// Node's `kHasPaused`/`kPaused`: `Some(true)` after `pause()`,
    /// `Some(false)` after `resume()`.
    pub(crate) paused: Option<bool>,
    pub(crate) ended: bool,
    pub(crate) end_emitted: bool,
    /// Node's `kEndScheduled`: the tick that emits `'end'` is queued, so
    /// another end of reading schedules nothing.
    pub(crate) end_scheduled: bool,
    /// A `read` hook call is outstanding (it has not pushed yet).
    pub(crate) reading: bool,
    /// The `read` hook is running right now, synchronously.
    pub(crate) sync: bool,
    pub(crate) need_readable: bool,
    pub(crate) emitted_readable: bool,
    pub(crate) readable_listening: bool,
    pub(crate) resume_scheduled: bool,
    pub(crate) reading_more: bool,
    pub(crate) data_emitted: bool,
    pub(crate) data_listening: bool,
    pub(crate) decoder: Option<StringDecoder>,
    pub(crate) encoding: Option<Encoding>,
    /// Destinations that returned `false` from `write` while piping; the
    /// source stays paused until every one of them has drained (Node's
    /// `awaitDrainWriters`).
    pub(crate) await_drain: Vec<StreamId>,
    /// Node's `kMultiAwaitDrain`: there were two or more pipes.
    pub(crate) multi_await_drain: bool,
    /// The destinations piped to (Node's `pipes`).
    pub(crate) pipes: Vec<Rc<dyn WriteEnd<T>>>,
    /// A Duplex made with `readable(false)` (Node's `readable === false`
    /// in the state): the side exists, ended, but the stream does not
    /// count as readable for `finished` and `pipeline`.
    pub(crate) disabled: bool,
}

impl<T> ReadState<T> {
    /// Node's `push()` return value: room below the high-water mark (or
    /// nothing buffered) and not ended.
    #[inline]
    pub(crate) fn can_push_more(&self) -> bool {
        !self.ended && (self.length < self.hwm || self.length == 0)
    }

    /// `maybeReadMore`'s guard: true, with `reading_more` now set, when a
    /// read-ahead tick should be scheduled (the stream is constructed and
    /// none is pending yet).
    #[inline]
    pub(crate) fn claim_read_more(&mut self, constructed: bool) -> bool {
        let claim = constructed && !self.reading_more;
        if claim {
            self.reading_more = true;
        }
        claim
    }
}

pub(crate) struct ReadSide<R: 'static, W: 'static> {
    pub(crate) state: RefCell<ReadState<R>>,
    /// How byte chunks are decoded (`as_bytes`, `from_text`). Its `take`,
    /// `object_mode` and `text` are the construction-time values; the live
    /// ones, which `set_encoding` changes, are the fields below.
    pub(crate) ops: ChunkOps<R>,
    /// How `read(n)` takes `n` units from the buffer (changes to text
    /// mode with `set_encoding`).
    pub(crate) take: Cell<TakeFn<R>>,
    /// Node's `objectMode`, fixed when the stream is made.
    pub(crate) object_mode: bool,
    /// Text mode: a byte stream with an encoding holds text.
    pub(crate) text: Cell<bool>,
    /// An encoding is set: pushed byte chunks go through the decoder.
    pub(crate) decoding: Cell<bool>,
    /// The `read` hook; empty while it runs (and once released).
    pub(crate) hook: Cell<Option<ReadHook<R, W>>>,
    /// Whether a `read` hook was given (it is out of its cell while it
    /// runs; a stream without one fails with `ERR_METHOD_NOT_IMPLEMENTED`).
    pub(crate) has_hook: Cell<bool>,
    /// The `read` hook is running: a `read()` from inside it must not ask
    /// for more data, as the hook cannot be re-entered.
    pub(crate) in_hook: Cell<bool>,
    /// A Transform's write callback, held back while its output is not
    /// read (Node's `kCallback`): the next `read` hook call releases it.
    pub(crate) parked_write: Cell<Option<WriteCallback>>,
}

impl<R: 'static, W: 'static> ReadSide<R, W> {
    pub(crate) fn new(
        ops: ChunkOps<R>,
        hwm: usize,
        hook: Option<ReadHook<R, W>>,
        encoding: Option<Encoding>,
    ) -> ReadSide<R, W> {
        ReadSide {
            state: RefCell::new(ReadState {
                buffer: VecDeque::new(),
                length: 0,
                hwm,
                flowing: None,
                paused: None,
                ended: false,
                end_emitted: false,
                end_scheduled: false,
                reading: false,
                sync: true,
                need_readable: false,
                emitted_readable: false,
                readable_listening: false,
                resume_scheduled: false,
                reading_more: false,
                data_emitted: false,
                data_listening: false,
                decoder: encoding.map(StringDecoder::new),
                encoding,
                await_drain: Vec::new(),
                multi_await_drain: false,
                pipes: Vec::new(),
                disabled: false,
            }),
            take: Cell::new(ops.take),
            object_mode: ops.object_mode,
            text: Cell::new(ops.text),
            decoding: Cell::new(encoding.is_some()),
            ops,
            has_hook: Cell::new(hook.is_some()),
            in_hook: Cell::new(false),
            parked_write: Cell::new(None),
            hook: Cell::new(hook),
        }
    }

    pub(crate) fn release_hooks(&self) {
        drop(self.hook.take());
        // It holds the stream: let it go with the hooks, as Node's
        // `kCallback` goes with the stream.
        drop(self.parked_write.take());
    }

    pub(crate) fn on_constructed(&self, core: &Rc<Core<R, W>>) {
        if self.state.borrow().need_readable {
            core.maybe_read_more();
        }
    }

    #[inline]
    pub(crate) fn len_of(&self, chunk: &R) -> usize {
        ChunkOps::len_in(chunk, self.object_mode, self.text.get())
    }
}
