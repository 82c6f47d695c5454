//! What implementations of a Duplex need beyond the builder hooks:
//! emitting their own events, and failing the stream as Node's internal
//! `errorOrDestroy` does (the same pair as `Readable` and `Writable` have).

use crate::events::Event;
use crate::StreamError;

use super::Duplex;

impl<R: 'static, W: 'static> Duplex<R, W> {
    /// Emits `event` to its listeners (Node's `emit`). Meant for events of
    /// your own, such as a socket's `'connect'`: emitting the stream's
    /// built-in events by hand confuses its consumers, as in Node.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{events, Duplex};
    ///
    /// let d = Duplex::<Bytes, Bytes>::builder().build();
    /// d.on(events::Ready, |_| println!("ready"));
    /// assert!(d.emit(events::Ready, &()));
    /// ```
    pub fn emit<E: Event>(&self, event: E, arg: &E::Arg<R>) -> bool {
        self.core.events.emit(event, arg)
    }

    /// Fails the stream with `err` as Node's internal `errorOrDestroy`:
    /// `destroy(err)` with auto-destroy, otherwise the error is recorded and
    /// `'error'` emitted, the stream left for its owner to close.
    ///
    /// # Examples
    ///
    /// ```
    /// use bytes::Bytes;
    /// use streams_core::{Duplex, StreamError};
    ///
    /// let d = Duplex::<Bytes, Bytes>::builder().build();
    /// d.error_or_destroy(StreamError::new("connection lost"));
    /// assert!(d.destroyed());
    /// ```
    pub fn error_or_destroy(&self, err: StreamError) {
        self.core.error_or_destroy(err, false);
    }
}
