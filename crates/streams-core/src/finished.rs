//! `finished(stream, options, callback)`: Node's `stream.finished` (the
//! internal `eos`), told once when a stream is done or failed.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::rc::{Rc, Weak};

use crate::events::ListenerId;
use crate::next_tick;
use crate::stream::{AnyStream, LifecycleEvent, Stream};
use crate::StreamError;

/// The options of [`finished`] (Node's `finished(stream, options, cb)`).
///
/// # Examples
///
/// ```
/// let only_writable = streams_core::FinishedOptions { readable: Some(false), ..Default::default() };
/// assert!(only_writable.error);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FinishedOptions {
    /// Wait for the readable side (`'end'`); default: whether the stream
    /// has one.
    pub readable: Option<bool>,
    /// Wait for the writable side (`'finish'`); default: whether the
    /// stream has one.
    pub writable: Option<bool>,
    /// Report `'error'` events (default true). When false, an error is
    /// still reported if the stream then closes early.
    pub error: bool,
}

impl Default for FinishedOptions {
    fn default() -> Self {
        FinishedOptions { readable: None, writable: None, error: true }
    }
}

type Done = Box<dyn FnOnce(Result<(), StreamError>)>;

/// Removes the listeners [`finished`] added; the callback will not be
/// called after [`cleanup`](Cleanup::cleanup). Dropping it does nothing
/// (the callback stays armed).
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{events, finished, FinishedOptions, Readable};
///
/// let r = Readable::<Bytes>::builder().build();
/// let cleanup = finished(&r, FinishedOptions::default(), |_| unreachable!());
/// cleanup.cleanup();
/// assert_eq!(r.listener_count(events::End), 0);
/// ```
#[must_use = "dropping the Cleanup keeps the callback armed; call cleanup() to disarm it"]
pub struct Cleanup {
    state: Rc<Eos>,
}

impl fmt::Debug for Cleanup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cleanup").finish_non_exhaustive()
    }
}

impl Cleanup {
    /// Removes every listener `finished` added and disarms the callback.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn cleanup(self) {
        self.state.cleanup();
    }
}

/// What the listeners share. The stream is held weakly: the stream holds
/// the listeners, and a stream that is gone emits nothing more.
struct Eos {
    stream: Weak<dyn AnyStream>,
    callback: RefCell<Option<Done>>,
    readable: bool,
    writable: bool,
    readable_finished: Cell<bool>,
    writable_finished: Cell<bool>,
    will_emit_close: Cell<bool>,
    ids: RefCell<Vec<ListenerId>>,
}

impl Eos {
    fn call(&self, result: Result<(), StreamError>) {
        let callback = self.callback.borrow_mut().take();
        if let Some(callback) = callback {
            callback(result);
        }
    }

    fn cleanup(&self) {
        drop(self.callback.borrow_mut().take());
        let ids = std::mem::take(&mut *self.ids.borrow_mut());
        if let Some(stream) = self.stream.upgrade() {
            for id in ids {
                stream.unlisten(id);
            }
        }
    }

    fn on_finish(&self) {
        let Some(stream) = self.stream.upgrade() else { return };
        self.writable_finished.set(true);
        if stream.destroyed() {
            // Userland did something unusual: 'close' cannot be trusted.
            self.will_emit_close.set(false);
        }
        if self.will_emit_close.get() && (!stream.readable_prop() || self.readable) {
            return;
        }
        if !self.readable || self.readable_finished.get() {
            self.call(Ok(()));
        }
    }

    fn on_end(&self) {
        let Some(stream) = self.stream.upgrade() else { return };
        self.readable_finished.set(true);
        if stream.destroyed() {
            self.will_emit_close.set(false);
        }
        if self.will_emit_close.get() && (!stream.writable_prop() || self.writable) {
            return;
        }
        if !self.writable || self.writable_finished.get() {
            self.call(Ok(()));
        }
    }

    fn on_close(&self) {
        let Some(stream) = self.stream.upgrade() else { return };
        let result = on_close_error(
            &*stream,
            self.readable,
            self.readable_finished.get(),
            self.writable,
            self.writable_finished.get(),
        );
        self.call(result.map_or(Ok(()), Err));
    }
}

/// What a close means for the sides watched: the stream's error, a
/// premature close, or nothing (Node's `getEosOnCloseError`).
fn on_close_error(
    stream: &dyn AnyStream,
    readable: bool,
    readable_finished: bool,
    writable: bool,
    writable_finished: bool,
) -> Option<StreamError> {
    if let Some(err) = stream.errored() {
        return Some(err);
    }
    if readable && !readable_finished && stream.has_read_side() && !stream.readable_finished() {
        return Some(StreamError::premature_close());
    }
    if writable && !writable_finished && !stream.writable_finished() {
        return Some(StreamError::premature_close());
    }
    None
}

/// Calls `callback` once `stream` is done: ended (readable side), finished
/// (writable side) and, when it will emit `'close'`, closed; or failed,
/// with its error, or with `ERR_STREAM_PREMATURE_CLOSE` when it closes
/// before it ended or finished. Node's `stream.finished(stream, options,
/// callback)`.
///
/// Returns a [`Cleanup`] that removes every listener it added. For the
/// async form see [`promises::finished`](crate::promises::finished).
///
/// # Examples
///
/// ```
/// use std::{cell::RefCell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::{finished, FinishedOptions, Writable};
///
/// let result = Rc::new(RefCell::new(None));
/// let r = result.clone();
/// streams_core::run(async move {
///     let w = Writable::<Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
///     let _ = finished(&w, FinishedOptions::default(), move |res| *r.borrow_mut() = Some(res));
///     w.end(Bytes::from("x"));
/// });
/// assert!(matches!(*result.borrow(), Some(Ok(()))));
/// ```
pub fn finished<S: Stream>(
    stream: &S,
    options: FinishedOptions,
    callback: impl FnOnce(Result<(), StreamError>) + 'static,
) -> Cleanup {
    eos(stream.any_stream().0, options, Box::new(callback))
}

pub(crate) fn eos(stream: Rc<dyn AnyStream>, options: FinishedOptions, callback: Done) -> Cleanup {
    let readable = options.readable.unwrap_or(stream.has_read_side());
    let writable = options.writable.unwrap_or(stream.has_write_side());
    let will_emit_close = stream.will_emit_close()
        && stream.has_read_side() == readable
        && stream.has_write_side() == writable;
    let writable_finished = stream.writable_finished();
    let readable_finished = stream.readable_finished();

    // Already done (or failed)? Then answer on the next tick.
    let done_writing = !readable
        && (!will_emit_close || stream.is_readable())
        && (writable_finished || stream.writable_is_false())
        && stream.pending_cb() == 0;
    let done_reading = !writable
        && (!will_emit_close || stream.is_writable())
        && (readable_finished || stream.readable_is_false());
    let immediate: Option<Option<StreamError>> = if stream.closed() {
        Some(on_close_error(&*stream, readable, readable_finished, writable, writable_finished))
    } else if stream.error_emitted() {
        (!will_emit_close).then(|| stream.errored())
    } else if done_writing || done_reading {
        Some(stream.errored())
    } else {
        None
    };

    let state = Rc::new(Eos {
        stream: Rc::downgrade(&stream),
        callback: RefCell::new(Some(callback)),
        readable,
        writable,
        readable_finished: Cell::new(readable_finished),
        writable_finished: Cell::new(writable_finished),
        will_emit_close: Cell::new(will_emit_close),
        ids: RefCell::new(Vec::new()),
    });

    if let Some(result) = immediate {
        if options.error {
            // Swallow errors the stream may still emit, as Node's nop
            // listener does.
            let id = stream.listen(LifecycleEvent::Error, false, Rc::new(|_| {}));
            state.ids.borrow_mut().push(id);
        }
        let s = state.clone();
        next_tick(move || s.call(result.map_or(Ok(()), Err)));
        return Cleanup { state };
    }

    let mut ids = Vec::with_capacity(4);
    let s = state.clone();
    ids.push(stream.listen(LifecycleEvent::End, false, Rc::new(move |_| s.on_end())));
    let s = state.clone();
    ids.push(stream.listen(LifecycleEvent::Finish, false, Rc::new(move |_| s.on_finish())));
    if options.error {
        let s = state.clone();
        ids.push(stream.listen(
            LifecycleEvent::Error,
            false,
            Rc::new(move |err| {
                if let Some(err) = err {
                    s.call(Err(err.clone()));
                }
            }),
        ));
    }
    let s = state.clone();
    ids.push(stream.listen(LifecycleEvent::Close, false, Rc::new(move |_| s.on_close())));
    *state.ids.borrow_mut() = ids;
    Cleanup { state }
}
