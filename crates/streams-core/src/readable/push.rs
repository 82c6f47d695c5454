//! push(), unshift() and the end of the stream.

use std::rc::Rc;

use crate::stream::Core;
use crate::StreamError;

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `push(chunk)` for a chunk that is already in the buffer's
    /// representation (decoded text when an encoding is set).
    ///
    /// The common case (a chunk with data, added to the buffer or emitted
    /// at once) decides everything under one borrow.
    #[inline(always)]
    pub(crate) fn push_chunk(self: &Rc<Self>, chunk: R, decoded: bool) -> bool {
        let rs = self.rs();
        let len = rs.len_of(&chunk);
        if !rs.object_mode && len == 0 {
            return self.push_empty(decoded);
        }
        let mut state = rs.state.borrow_mut();
        if state.ended {
            drop(state);
            self.error_or_destroy(StreamError::push_after_eof(), false);
            return false;
        }
        // Destroyed or errored implies halted: one test while neither.
        if self.life.is_halted() && (self.life.destroyed.get() || self.life.is_errored()) {
            return false;
        }
        state.reading = false;
        // Node's `addChunk`: straight to 'data' when flowing with nothing
        // buffered and not inside the read hook.
        let direct =
            state.flowing == Some(true) && !state.sync && state.data_listening && state.length == 0;
        if direct {
            state.await_drain.clear();
            state.data_emitted = true;
            drop(state);
            self.events.emit_data(&chunk);
            // `maybe_read_more` and `can_push_more` under one borrow: the
            // tick it may schedule changes nothing `can_push_more` reads.
            let (read_more, more) = {
                let mut state = rs.state.borrow_mut();
                (state.claim_read_more(self.life.constructed.get()), state.can_push_more())
            };
            if read_more {
                self.schedule_read_more();
            }
            drop(chunk);
            return more;
        }
        state.length += len;
        state.buffer.push_back(chunk);
        let need_readable = state.need_readable;
        // `maybe_read_more`, decided here: the 'readable' scheduled below
        // does not touch these fields.
        let read_more = state.claim_read_more(self.life.constructed.get());
        let more = state.can_push_more();
        drop(state);
        if need_readable {
            self.emit_readable();
        }
        if read_more {
            self.schedule_read_more();
        }
        more
    }

    /// [`push_chunk`](Self::push_chunk) of an empty byte chunk: it ends the
    /// current read without adding data.
    #[cold]
    fn push_empty(self: &Rc<Self>, decoded: bool) -> bool {
        let rs = self.rs();
        if !decoded {
            rs.state.borrow_mut().reading = false;
            self.maybe_read_more();
            return self.can_push_more();
        }
        {
            let mut state = rs.state.borrow_mut();
            if state.ended {
                drop(state);
                self.error_or_destroy(StreamError::push_after_eof(), false);
                return false;
            }
            if self.life.destroyed.get() || self.life.is_errored() {
                return false;
            }
            state.reading = false;
        }
        // A decoder kept the bytes back (half a character).
        self.maybe_read_more();
        self.can_push_more()
    }

    /// Node's `push(null)`.
    pub(crate) fn push_eof(self: &Rc<Self>) -> bool {
        self.rs().state.borrow_mut().reading = false;
        self.on_eof_chunk();
        false
    }

    /// Node's `unshift(chunk)`.
    pub(crate) fn unshift_chunk(self: &Rc<Self>, chunk: R) -> bool {
        let rs = self.rs();
        let len = rs.len_of(&chunk);
        if !rs.object_mode && len == 0 {
            return self.can_push_more();
        }
        if rs.state.borrow().end_emitted {
            self.error_or_destroy(StreamError::unshift_after_end_event(), false);
        } else if self.life.destroyed.get() || self.life.is_errored() {
            return false;
        } else {
            self.add_chunk(chunk, len, true);
        }
        self.can_push_more()
    }

    pub(crate) fn can_push_more(&self) -> bool {
        self.rs().state.borrow().can_push_more()
    }

    fn add_chunk(self: &Rc<Self>, chunk: R, len: usize, front: bool) {
        let emit_now = {
            let mut state = self.rs().state.borrow_mut();
            let direct = state.flowing == Some(true)
                && !state.sync
                && state.data_listening
                && state.length == 0;
            if direct {
                state.await_drain.clear();
                state.data_emitted = true;
            }
            direct
        };
        if emit_now {
            self.events.emit_data(&chunk);
        } else {
            let need_readable = {
                let mut state = self.rs().state.borrow_mut();
                state.length += len;
                if front {
                    state.buffer.push_front(chunk);
                } else {
                    state.buffer.push_back(chunk);
                }
                state.need_readable
            };
            if need_readable {
                self.emit_readable();
            }
        }
        self.maybe_read_more();
    }

    fn on_eof_chunk(self: &Rc<Self>) {
        let rs = self.rs();
        let sync = {
            let mut state = rs.state.borrow_mut();
            if state.ended {
                return;
            }
            let tail = state.decoder.as_mut().map(|d| d.end()).filter(|t| !t.is_empty());
            if let Some(chunk) = tail.and_then(rs.ops.from_text) {
                state.length += rs.len_of(&chunk);
                state.buffer.push_back(chunk);
            }
            state.ended = true;
            state.sync
        };
        if sync {
            // Inside the read hook: wait a tick, so no data is emitted from
            // within the read() call that is running.
            self.emit_readable();
        } else {
            {
                let mut state = rs.state.borrow_mut();
                state.need_readable = false;
                state.emitted_readable = true;
            }
            self.emit_readable_now();
        }
    }
}
