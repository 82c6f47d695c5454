//! `WriteCallback`: the completion handed to the `write` and `writev`
//! hooks, one per write, without an allocation.

use std::fmt;
use std::rc::Rc;

use crate::stream::Core;
use crate::StreamError;

/// What a [`WriteCallback`] reports to: the stream it came from, whatever
/// its chunk types. Erasing them keeps `WriteCallback` one plain type for
/// `Writable`, `Duplex` and `Transform` alike; the `Rc<Core>` coerces to
/// `Rc<dyn OnWrite>` without allocating.
pub(crate) trait OnWrite {
    fn on_write(self: Rc<Self>, seq: u64, result: Result<(), StreamError>);

    /// [`on_write`](OnWrite::on_write) for a completion queued as a tick,
    /// which is almost never synchronous: straight to the general path,
    /// without trying the synchronous one first.
    fn on_write_later(self: Rc<Self>, seq: u64, result: Result<(), StreamError>);
}

impl<R: 'static, W: 'static> OnWrite for Core<R, W> {
    fn on_write(self: Rc<Self>, seq: u64, result: Result<(), StreamError>) {
        self.write_done(seq, result);
    }

    fn on_write_later(self: Rc<Self>, seq: u64, result: Result<(), StreamError>) {
        self.write_done_slow(seq, result);
    }
}

/// The callback a [`write`](crate::WritableBuilder::write) or
/// [`writev`](crate::WritableBuilder::writev) hook calls when the chunk is
/// written: Node's `callback(err)` of `_write(chunk, encoding, callback)`.
///
/// Call it now (inside the hook) or later (from a tick, an immediate or a
/// task): `Ok(())` when the data is written, `Err(e)` when it failed,
/// which fails the stream. The stream hands the hook the next chunk only
/// after this is called.
///
/// It is a small value (the stream and the number of the write), not a
/// boxed closure: a write costs no allocation beyond its chunk. It is
/// consumed by [`call`](WriteCallback::call), so it cannot be called
/// twice; the misuse Node reports at run time as `ERR_MULTIPLE_CALLBACK`
/// does not compile:
///
/// ```compile_fail,E0382
/// use bytes::Bytes;
/// use streams_core::Writable;
///
/// let w = Writable::<Bytes>::builder()
///     .write(|_, _chunk, _encoding, cb| {
///         cb.call(Ok(()));
///         cb.call(Ok(())); // error[E0382]: use of moved value: `cb`
///     })
///     .build();
/// ```
///
/// Dropping it without calling it leaves the write pending forever, as not
/// calling the callback does in Node: the stream buffers every later
/// write and never emits `'finish'`.
///
/// # Examples
///
/// A hook that completes each write on a later turn of the loop:
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Writable;
///
/// streams_core::run(async {
///     let w = Writable::<Bytes>::builder()
///         .write(|_, chunk, _, cb| {
///             println!("writing {} bytes", chunk.len());
///             streams_core::set_immediate(move || cb.call(Ok(())));
///         })
///         .build();
///     w.write(Bytes::from("hello"));
///     w.end(None);
/// });
/// ```
#[must_use = "the write stays pending until the callback is called"]
pub struct WriteCallback {
    core: Rc<dyn OnWrite>,
    seq: u64,
}

impl WriteCallback {
    #[inline]
    pub(crate) fn new<R: 'static, W: 'static>(core: Rc<Core<R, W>>, seq: u64) -> WriteCallback {
        WriteCallback { core, seq }
    }

    /// Completes the write: `Ok(())` for success (Node's `cb()`), `Err(e)`
    /// for failure (`cb(err)`).
    ///
    /// Called inside the hook, the completion is synchronous and the
    /// producer's own callback runs on the next tick, as in Node; called
    /// later, the producer's callback runs at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, StreamError, Writable};
    ///
    /// streams_core::run(async {
    ///     let w = Writable::<Bytes>::builder()
    ///         .write(|_, _, _, cb| cb.call(Err(StreamError::new("disk full"))))
    ///         .build();
    ///     w.on(events::Error, |e: &StreamError| assert_eq!(e.message(), "disk full"));
    ///     w.write(Bytes::from("x"));
    /// });
    /// ```
    #[inline]
    pub fn call(self, result: Result<(), StreamError>) {
        self.core.on_write(self.seq, result);
    }

    /// [`call`](Self::call) from the tick queued by
    /// [`call_next_tick`](Self::call_next_tick).
    #[inline]
    pub(crate) fn call_queued(self, result: Result<(), StreamError>) {
        self.core.on_write_later(self.seq, result);
    }

    /// Completes the write on the next tick: Node's
    /// `process.nextTick(callback)` inside `_write`.
    ///
    /// The same as `next_tick(move || cb.call(result))`, in the same place
    /// of the tick queue, but the callback is queued as it is instead of in
    /// a boxed closure: no allocation per write.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::{cell::RefCell, rc::Rc};
    /// use bytes::Bytes;
    /// use streams_core::Writable;
    ///
    /// let log = Rc::new(RefCell::new(Vec::new()));
    /// let l = log.clone();
    /// streams_core::run(async move {
    ///     let w = Writable::<Bytes>::builder()
    ///         .write(|_, _, _, cb| cb.call_next_tick(Ok(())))
    ///         .build();
    ///     let l2 = l.clone();
    ///     w.write_with(Bytes::from("a"), move |r| l2.borrow_mut().push(format!("written {r:?}")));
    ///     l.borrow_mut().push("after write".to_string());
    /// });
    /// assert_eq!(*log.borrow(), ["after write", "written Ok(())"]);
    /// ```
    pub fn call_next_tick(self, result: Result<(), StreamError>) {
        crate::event_loop::next_tick_write_done(self, result);
    }
}

impl fmt::Debug for WriteCallback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteCallback").field("write", &self.seq).finish_non_exhaustive()
    }
}
