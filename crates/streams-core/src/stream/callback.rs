//! The completion callback handed to implementation hooks.

use std::fmt;

use crate::StreamError;

/// The callback an implementation hook (`destroy`, `construct`, `final`,
/// ...) calls when it is done: Node's `callback(err)`.
///
/// It is consumed by [`call`](Callback::call), so it cannot be called
/// twice: the misuse Node reports as `ERR_MULTIPLE_CALLBACK` does not
/// compile here. Dropping it without calling it leaves the operation
/// pending forever, as not calling the callback does in Node.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{Readable, StreamError};
///
/// streams_core::run(async {
///     let r = Readable::<Bytes>::builder()
///         .read(|_, _| {})
///         .destroy(|_, err, cb| {
///             // Release resources, then report how it went.
///             cb.call(err.map_or(Ok(()), Err));
///         })
///         .build();
///     r.destroy(Some(StreamError::new("stop")));
///     assert!(r.destroyed());
/// });
/// ```
#[must_use = "the operation stays pending until the callback is called"]
pub struct Callback {
    f: Box<dyn FnOnce(Result<(), StreamError>)>,
}

impl Callback {
    pub(crate) fn new(f: impl FnOnce(Result<(), StreamError>) + 'static) -> Callback {
        Callback { f: Box::new(f) }
    }

    /// Completes the operation: `Ok(())` for success (Node's `cb()`),
    /// `Err(e)` for failure (`cb(e)`).
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn call(self, result: Result<(), StreamError>) {
        (self.f)(result)
    }
}

impl fmt::Debug for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callback").finish_non_exhaustive()
    }
}
