//! The callbacks of the `transform` and `flush` hooks.

use std::fmt;
use std::rc::Rc;

use crate::next_tick;
use crate::stream::{Callback, Core};
use crate::writable::WriteCallback;
use crate::StreamError;

/// The callback of a [`transform`](super::TransformBuilder::transform)
/// hook: Node's `callback(err, data)`.
///
/// `call(Ok(None))` is Node's `callback()`, `call(Ok(Some(data)))` pushes
/// `data` first (`callback(null, data)`), `call(Err(e))` fails the stream.
/// It is consumed by the call, so it cannot be called twice.
///
/// When the readable side is over its high-water mark, the write is held
/// back until the output is read: that is how a Transform pushes back on
/// its writer.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Transform;
///
/// let upper = Transform::<Bytes, Bytes>::builder()
///     .transform(|_, chunk, _, cb| cb.call(Ok(Some(Bytes::from(chunk.to_ascii_uppercase())))))
///     .build();
/// upper.write(Bytes::from("abc"));
/// assert_eq!(upper.read(None).as_deref(), Some(&b"ABC"[..]));
/// ```
#[must_use = "the write stays pending until the callback is called"]
pub struct TransformCallback<I: 'static, O: 'static> {
    pub(crate) core: Rc<Core<O, I>>,
    pub(crate) write: WriteCallback,
    /// The readable length when the transform started.
    pub(crate) length: usize,
}

impl<I: 'static, O: 'static> fmt::Debug for TransformCallback<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransformCallback").finish_non_exhaustive()
    }
}

impl<I: 'static, O: 'static> TransformCallback<I, O> {
    /// Completes the transform of one chunk.
    ///
    /// # Examples
    ///
    /// See the type's example.
    #[inline]
    pub fn call(self, result: Result<Option<O>, StreamError>) {
        let data = match result {
            Err(err) => return self.write.call(Err(err)),
            Ok(data) => data,
        };
        if let Some(data) = data {
            self.core.push_value(data);
        }
        let (ended, length, hwm) = {
            let state = self.core.rs().state.borrow();
            (state.ended, state.length, state.hwm)
        };
        if ended {
            // push(None) happened: let the new state propagate first.
            let write = self.write;
            next_tick(move || write.call(Ok(())));
        } else if length < hwm || length == self.length || self.core.ws().state.borrow().ended {
            // Node tests `wState.ended` first; the three tests only read
            // state, so the cheapest goes first.
            self.write.call(Ok(()));
        } else if !self.core.life.close_emitted.get() {
            // Node's `kCallback`: the next `_read` calls it.
            self.core.rs().parked_write.set(Some(self.write));
        }
        // After 'close' no `_read` comes (the hooks are released) and Node
        // never calls the parked callback: dropping it here keeps the
        // stream from holding itself through the slot.
    }
}

/// The callback of a [`flush`](super::TransformBuilder::flush) hook:
/// `call(Ok(Some(data)))` pushes a last chunk, then the readable side ends.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::Transform;
///
/// let t = Transform::<Bytes, Bytes>::builder()
///     .transform(|_, chunk, _, cb| cb.call(Ok(Some(chunk))))
///     .flush(|_, cb| cb.call(Ok(Some(Bytes::from("!")))))
///     .build();
/// t.end(Bytes::from("hi"));
/// # drop(t);
/// ```
#[must_use = "the end stays pending until the callback is called"]
pub struct FlushCallback<I: 'static, O: 'static> {
    pub(crate) core: Rc<Core<O, I>>,
    pub(crate) done: Callback,
}

impl<I: 'static, O: 'static> fmt::Debug for FlushCallback<I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlushCallback").finish_non_exhaustive()
    }
}

impl<I: 'static, O: 'static> FlushCallback<I, O> {
    /// Completes the flush: `Err` fails the stream, `Ok(data)` pushes
    /// `data` if given, then ends the readable side.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn call(self, result: Result<Option<O>, StreamError>) {
        match result {
            Err(err) => self.done.call(Err(err)),
            Ok(data) => {
                if let Some(data) = data {
                    self.core.push_value(data);
                }
                self.core.push_eof();
                self.done.call(Ok(()));
            }
        }
    }
}
