//! The kernel fast path: a file ReadStream piped straight into a file
//! WriteStream, with nothing else observing the data, is copied by the
//! kernel (`std::io::copy` between two files uses `copy_file_range`, or
//! `sendfile`/`splice`, on Linux) instead of through user-space buffers.
//!
//! Observable behaviour stays the same: the same `'end'`, `'finish'`,
//! `'close'` order, the same `bytes_read`/`bytes_written`. What is not
//! there is what nobody listens to: the `'data'` events between the two
//! streams. The path is taken only while the source has exactly one pipe
//! destination and no `'data'` listener but the pipe's, no encoding, and
//! the destination has nothing buffered; otherwise reads go through
//! memory as usual.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;
use std::sync::Arc;

use bytes::Bytes;
use streams_core::{events, StreamId, Writable};

use crate::write_stream::WriteState;

/// A destination the fast path may write into: a file WriteStream.
pub(crate) struct FastSink {
    pub(crate) writable: Writable<Bytes>,
    pub(crate) state: Rc<WriteState>,
}

thread_local! {
    /// The open file WriteStreams of this thread, by stream id; a stream
    /// is removed when it is destroyed.
    static SINKS: RefCell<HashMap<StreamId, Rc<FastSink>>> = RefCell::new(HashMap::new());
}

pub(crate) fn register(id: StreamId, sink: FastSink) {
    SINKS.with(|s| s.borrow_mut().insert(id, Rc::new(sink)));
}

pub(crate) fn unregister(id: StreamId) {
    let removed = SINKS.with(|s| s.borrow_mut().remove(&id));
    // Dropped with no borrow of the registry held.
    drop(removed);
}

/// The destination of `source` if the fast path applies to it: its only
/// pipe destination is a file WriteStream, nothing else listens to its
/// data, it has no encoding, and nothing is buffered in it (data already
/// buffered must go out first, through memory, in order).
pub(crate) fn destination(source: &streams_core::Readable<Bytes>) -> Option<Rc<FastSink>> {
    if source.readable_encoding().is_some()
        || source.listener_count(events::Data) != 1
        || source.readable_length() != 0
    {
        return None;
    }
    let [id] = source.pipe_destinations()[..] else { return None };
    let sink = SINKS.with(|s| s.borrow().get(&id).cloned())?;
    sink.writable.writable().then_some(sink)
}

impl FastSink {
    /// Whether the destination has nothing buffered or in flight, so a
    /// kernel copy lands in order.
    pub(crate) fn idle(&self) -> bool {
        let w = &self.writable;
        w.writable_length() == 0
            && w.writable_corked() == 0
            && self.state.slot.is_open()
            && !self.state.slot.busy()
    }
}

/// Copies up to `n` bytes from `src` (at `src_pos`, or its position) to
/// `dst` (at `dst_pos`, or its position) in the kernel. Returns how many.
pub(crate) fn copy(
    src: &Arc<File>,
    src_pos: Option<u64>,
    dst: &Arc<File>,
    dst_pos: Option<u64>,
    n: u64,
) -> io::Result<u64> {
    if let Some(pos) = src_pos {
        (&**src).seek(SeekFrom::Start(pos))?;
    }
    if let Some(pos) = dst_pos {
        (&**dst).seek(SeekFrom::Start(pos))?;
    }
    let mut from = (&**src).take(n);
    let mut to = &**dst;
    io::copy(&mut from, &mut to)
}
