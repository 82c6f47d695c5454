//! The buffer of pending writes: cork()/uncork(), writing what was
//! buffered one by one or as one `writev` batch (Node's `clearBuffer`),
//! and failing it all (`errorBuffer`).

use std::rc::Rc;

use super::side::Completion;
use crate::encoding::Encoding;
use crate::stream::Core;
use crate::StreamError;

/// One buffered chunk with the encoding it was written in: what a
/// [`writev`](crate::WritableBuilder::writev) hook receives, and what
/// [`writable_buffer`](crate::Writable::writable_buffer) shows (Node's
/// `{ chunk, encoding }` objects).
///
/// `encoding` is `None` for a chunk that is not a string: Node's
/// `'buffer'` (or no encoding at all, in object mode). It is `Some` only
/// for a string kept as text, that is written with
/// [`write_str`](crate::Writable::write_str) to a stream with
/// `decode_strings(false)` or in object mode; the chunk then holds the
/// string's UTF-8 bytes.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{encoding::Encoding, BufferedChunk, Writable};
///
/// let w = Writable::<Bytes>::builder().write(|_, _, _, _cb| { /* never done */ }).build();
/// w.write(Bytes::from("a")); // in flight
/// w.write(Bytes::from("b")); // buffered
/// w.write_str("c", Encoding::Utf8); // encoded to bytes: buffered as "buffer"
/// assert_eq!(
///     w.writable_buffer(),
///     [
///         BufferedChunk { chunk: Bytes::from("b"), encoding: None },
///         BufferedChunk { chunk: Bytes::from("c"), encoding: None },
///     ]
/// );
/// # drop(w);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BufferedChunk<T> {
    /// The chunk, as written.
    pub chunk: T,
    /// The string's encoding, or `None` for bytes and objects (`'buffer'`).
    pub encoding: Option<Encoding>,
}

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `cork()`.
    pub(crate) fn cork(&self) {
        self.ws().state.borrow_mut().corked += 1;
    }

    /// Node's `uncork()`: one level; at zero the buffer is written.
    pub(crate) fn uncork(self: &Rc<Self>) {
        let flush = {
            let mut state = self.ws().state.borrow_mut();
            if state.corked == 0 {
                return;
            }
            state.corked -= 1;
            !state.writing
        };
        if flush {
            self.clear_buffer();
        }
    }

    /// Node's `clearBuffer`: writes what is buffered, unless corked,
    /// destroyed, constructing or already doing it. Several chunks go to
    /// `writev` in one batch when there is one; otherwise they go to
    /// `write` one at a time, for as long as each completes synchronously.
    pub(crate) fn clear_buffer(self: &Rc<Self>) {
        let ws = self.ws();
        // One borrow from the checks to the start of the first write, one
        // from its end to the start of the next (or to the end): none is
        // held while a hook runs.
        let mut state = ws.state.borrow_mut();
        let blocked = self.life.destroyed.get()
            || state.buffer_processing
            || state.corked > 0
            || state.buffered.is_empty()
            || !self.life.constructed.get();
        if blocked {
            return;
        }
        state.buffer_processing = true;
        loop {
            let count = state.buffered.len();
            if count > 1 && ws.has_writev {
                // The batch is one write: one pending count, one callback
                // that calls every producer callback.
                state.dec_pending(count - 1);
                let (chunks, callbacks) = state.buffered.take_all();
                let cb = if callbacks.is_empty() {
                    Completion::Nop
                } else {
                    Completion::Batch(callbacks)
                };
                let len = state.length;
                let (seq, old_cb) = state.begin_write(len, cb);
                drop(state);
                old_cb.discard();
                self.call_writev_hook(seq, chunks);
                // Node resets the buffer after the writev call, losing what
                // the hook wrote meanwhile (still counted in `length`, its
                // callbacks never called). Having drained first, such
                // writes are still here: when the batch already completed,
                // write them now, before any later write can overtake them.
                state = ws.state.borrow_mut();
                state.sync = false;
                let again = !state.buffered.is_empty()
                    && !state.writing
                    && state.corked == 0
                    && !self.life.destroyed.get();
                if !again {
                    break;
                }
            } else {
                // One by one, for as long as each completes synchronously
                // (chunks written meanwhile included).
                while let Some((request, callback)) = state.buffered.pop_front() {
                    let len = ws.len_of(&request.chunk, request.encoding);
                    // Without a callback (the common case) the `Nop` slot
                    // stays as it is.
                    let (seq, old_cb) = state.begin_write_with(len, callback);
                    drop(state);
                    old_cb.discard();
                    self.call_write_hook(seq, request.chunk, request.encoding);
                    state = ws.state.borrow_mut();
                    state.sync = false;
                    if state.writing {
                        break;
                    }
                }
                break;
            }
        }
        state.buffer_processing = false;
    }

    /// Node's `errorBuffer`: unless a write is in flight, every buffered
    /// write's callback gets the stream's error (or `ERR_STREAM_DESTROYED`)
    /// and leaves `length`, then the `end` callbacks get it too.
    pub(crate) fn error_buffer(self: &Rc<Self>) {
        let ws = self.ws();
        if ws.state.borrow().writing {
            return;
        }
        // One at a time, with no borrow held while a callback runs; a
        // callback that writes again adds to what this loop fails.
        loop {
            let request = {
                let mut state = ws.state.borrow_mut();
                let request = state.buffered.pop_front();
                if let Some((request, _)) = &request {
                    let len = ws.len_of(&request.chunk, request.encoding);
                    state.length -= len;
                }
                request
            };
            let Some((_request, callback)) = request else { break };
            if let Some(cb) = callback {
                cb(Err(self.life.errored().unwrap_or_else(|| StreamError::destroyed("write"))));
            }
        }
        let has_finish_callbacks = !ws.state.borrow().on_finished.is_empty();
        if has_finish_callbacks {
            let err = self.life.errored().unwrap_or_else(|| StreamError::destroyed("end"));
            self.call_finished_callbacks(Err(err));
        }
    }
}
