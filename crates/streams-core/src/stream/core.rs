//! `Core<R, W>`: the shared state behind every stream handle.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::Rc;

use super::Lifecycle;
use crate::event_loop::{next_tick_core, CoreTick, OnTick};
use crate::events::EventEmitter;
use crate::readable::ReadSide;
use crate::writable::WriteSide;
use crate::StreamError;

/// The chunk type of a side a stream does not have: a `Readable<T>` is a
/// `Core<T, Void>`. It has no values, so nothing can be written to a side
/// that is not there.
///
/// (Public, re-exported as `writable::Void`, because a `Writable`'s
/// listeners are typed by it: a [`Data`](crate::events::Data) listener on a
/// Writable receives `&Void`, so it can never be called.)
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{events, writable::Void, Writable};
///
/// let w = Writable::<Bytes>::builder().build();
/// // A Writable emits no 'data': such a listener cannot be called.
/// w.on(events::Data, |never: &Void| match *never {});
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Void {}

/// `destroy(err, cb)` as stored: it receives the core, so a handle can be
/// rebuilt for the user's hook without the hook owning one (no cycle).
pub(crate) type DestroyHook<R, W> =
    Box<dyn FnMut(&Rc<Core<R, W>>, Option<StreamError>, super::Callback)>;
pub(crate) type ConstructHook<R, W> = Box<dyn FnOnce(&Rc<Core<R, W>>, super::Callback)>;

/// One stream: Node's object with `_readableState` and/or `_writableState`.
///
/// Borrow discipline: each `RefCell` here is borrowed only for the time it
/// takes to read or update plain state, never across a call into user code
/// (a listener, a hook, a callback). Hooks are taken out of their cell while
/// they run and put back afterwards.
pub(crate) struct Core<R: 'static, W: 'static> {
    pub(crate) events: EventEmitter<R>,
    pub(crate) life: Lifecycle,
    pub(crate) read: Option<ReadSide<R, W>>,
    pub(crate) write: Option<WriteSide<R, W>>,
    /// Duplex only: whether the writable side stays open after the
    /// readable side ended (Node's `allowHalfOpen`, default true).
    pub(crate) allow_half_open: bool,
    pub(crate) destroy_hook: RefCell<Option<DestroyHook<R, W>>>,
    pub(crate) construct_hook: RefCell<Option<ConstructHook<R, W>>>,
}

impl<R: 'static, W: 'static> fmt::Debug for Core<R, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stream")
            .field("readable", &self.read.is_some())
            .field("writable", &self.write.is_some())
            .field("life", &self.life)
            .field("listeners", &self.events)
            .finish_non_exhaustive()
    }
}

thread_local! {
    /// How many `Core`s exist on this thread (see [`live_streams`]).
    static LIVE_STREAMS: Cell<usize> = const { Cell::new(0) };
}

/// How many streams (Readable, Writable, Duplex, Transform, PassThrough,
/// composed) are alive on this thread: made and not yet dropped. Useful in
/// tests that check nothing was left behind, as a stream is only dropped
/// when no handle, listener, pipe or pending callback refers to it any
/// more.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
///
/// let before = streams_core::live_streams();
/// let r = streams_core::Readable::<Bytes>::builder().build();
/// assert_eq!(streams_core::live_streams(), before + 1);
/// drop(r);
/// assert_eq!(streams_core::live_streams(), before);
/// ```
pub fn live_streams() -> usize {
    LIVE_STREAMS.with(Cell::get)
}

impl<R: 'static, W: 'static> Drop for Core<R, W> {
    fn drop(&mut self) {
        // `try_with`: a stream may be dropped while the thread exits.
        let _ = LIVE_STREAMS.try_with(|n| n.set(n.get().saturating_sub(1)));
    }
}

impl<R: 'static, W: 'static> Core<R, W> {
    pub(crate) fn new(
        read: Option<ReadSide<R, W>>,
        write: Option<WriteSide<R, W>>,
        life: Lifecycle,
        allow_half_open: bool,
        destroy_hook: Option<DestroyHook<R, W>>,
        construct_hook: Option<ConstructHook<R, W>>,
    ) -> Rc<Core<R, W>> {
        let has_construct = construct_hook.is_some();
        LIVE_STREAMS.with(|n| n.set(n.get() + 1));
        let core = Rc::new(Core {
            events: EventEmitter::new(),
            life,
            read,
            write,
            allow_half_open,
            destroy_hook: RefCell::new(destroy_hook),
            construct_hook: RefCell::new(construct_hook),
        });
        if has_construct {
            core.construct();
        }
        core
    }

    /// The read side; only called on paths that a read side exists for.
    #[inline]
    pub(crate) fn rs(&self) -> &ReadSide<R, W> {
        match &self.read {
            Some(rs) => rs,
            None => missing_side("a readable-side operation on a stream that has a read side"),
        }
    }

    /// The write side; only called on paths that a write side exists for.
    #[inline]
    pub(crate) fn ws(&self) -> &WriteSide<R, W> {
        match &self.write {
            Some(ws) => ws,
            None => missing_side("a writable-side operation on a stream that has a write side"),
        }
    }

    /// Queues `tick` to run on the next tick, in [`next_tick`]'s FIFO
    /// order, without boxing a closure.
    ///
    /// [`next_tick`]: crate::next_tick
    #[inline]
    pub(crate) fn next_tick(self: &Rc<Self>, tick: CoreTick) {
        next_tick_core(self.clone(), tick);
    }

    /// Node's `stream.writable`: a write side that is not ended, destroyed
    /// or errored.
    pub(crate) fn is_writable(&self) -> bool {
        self.write.as_ref().is_some_and(|w| w.is_writable(self))
    }
}

/// The panic of [`Core::rs`] and [`Core::ws`], out of line: the callers
/// test the side and branch here, without setting up the message and
/// location on their hot path.
#[cold]
#[inline(never)]
fn missing_side(what: &str) -> ! {
    panic!("{what}")
}

impl<R: 'static, W: 'static> OnTick for Core<R, W> {
    fn on_tick(self: Rc<Self>, tick: CoreTick) {
        match tick {
            CoreTick::EmitReadable => self.emit_readable_now(),
            CoreTick::ReadMore => self.maybe_read_more_now(),
            CoreTick::Resume => self.resume_now(),
            CoreTick::AfterWrite(cb) => self.after_write(cb),
        }
    }
}
