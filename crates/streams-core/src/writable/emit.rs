//! What implementations of a Writable need beyond the builder hooks:
//! emitting their own events, and failing the stream as Node's internal
//! `errorOrDestroy` does.

use crate::events::Event;
use crate::stream::Void;
use crate::StreamError;

use super::Writable;

impl<T: 'static> Writable<T> {
    /// Emits `event` to its listeners (Node's `emit`). Meant for events of
    /// your own, such as a file stream's [`Open`](crate::events::Open).
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Writable};
    ///
    /// let w = Writable::<Bytes>::builder().build();
    /// assert!(!w.emit(events::Ready, &()));
    /// ```
    pub fn emit<E: Event>(&self, event: E, arg: &E::Arg<Void>) -> bool {
        self.core.events.emit(event, arg)
    }

    /// Fails the stream with `err` as Node's internal `errorOrDestroy`:
    /// `destroy(err)` with auto-destroy, otherwise `'error'` only.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{StreamError, Writable};
    ///
    /// let w = Writable::<Bytes>::builder().auto_destroy(false).build();
    /// w.error_or_destroy(StreamError::new("full"));
    /// assert!(!w.destroyed());
    /// assert!(w.errored().is_some());
    /// ```
    pub fn error_or_destroy(&self, err: StreamError) {
        self.core.error_or_destroy(err, false);
    }
}
