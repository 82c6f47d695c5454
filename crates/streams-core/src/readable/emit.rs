//! What implementations of a Readable need beyond the builder hooks:
//! emitting their own events, and failing the stream as Node's internal
//! `errorOrDestroy` does.

use crate::events::Event;
use crate::stream::StreamId;
use crate::StreamError;

use super::Readable;

impl<T: 'static> Readable<T> {
    /// Emits `event` to its listeners (Node's `emit`). Meant for events of
    /// your own, such as a file stream's [`Open`](crate::events::Open):
    /// emitting the stream's built-in events by hand confuses its
    /// consumers, as in Node.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Readable};
    ///
    /// let r = Readable::<Bytes>::builder().build();
    /// r.on(events::Open, |fd: &i32| assert_eq!(*fd, 7));
    /// assert!(r.emit(events::Open, &7));
    /// ```
    pub fn emit<E: Event>(&self, event: E, arg: &E::Arg<T>) -> bool {
        self.core.events.emit(event, arg)
    }

    /// Fails the stream with `err` the way an implementation should (Node's
    /// internal `errorOrDestroy`): with auto-destroy, `destroy(err)`;
    /// without it, the error is recorded and `'error'` emitted, but the
    /// stream is left for its owner to close.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Readable, StreamError};
    ///
    /// let r = Readable::<Bytes>::builder().build();
    /// r.error_or_destroy(StreamError::new("disk on fire"));
    /// assert!(r.destroyed());
    /// ```
    pub fn error_or_destroy(&self, err: StreamError) {
        self.core.error_or_destroy(err, false);
    }

    /// The streams this one is piped into (Node's `readableState.pipes`),
    /// for implementations that can move data faster when they know where
    /// it goes (a file piped into a file can be copied by the kernel).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Readable, Stream, Writable};
    ///
    /// let r = Readable::<Bytes>::builder().build();
    /// let w = Writable::<Bytes>::builder().build();
    /// r.pipe(&w);
    /// assert_eq!(r.pipe_destinations(), vec![w.stream_id()]);
    /// ```
    pub fn pipe_destinations(&self) -> Vec<StreamId> {
        self.core.rs().state.borrow().pipes.iter().map(|d| d.id()).collect()
    }
}
