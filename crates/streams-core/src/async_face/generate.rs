//! Async generators: a `futures::Stream` written as an `async` block that
//! yields, as Node's `async function*` does.

use std::cell::Cell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::stream::FusedStream;
use futures::Stream;
use pin_project_lite::pin_project;

use crate::StreamError;

/// The `yield` of a generator made with [`generate`] (and of
/// [`Readable::from_fn`](crate::Readable::from_fn),
/// [`Transform::from_fn`](crate::Transform::from_fn)): hands items to
/// the consumer, one at a time.
///
/// Use it inside the generator's body only: an item is taken when the
/// consumer polls the generator.
pub struct Yielder<T> {
    slot: Rc<Cell<Option<T>>>,
}

impl<T> fmt::Debug for Yielder<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Yielder").finish_non_exhaustive()
    }
}

impl<T> Yielder<T> {
    /// Yields `item`: resolves once the consumer has taken it and asks for
    /// the next one (Node's `yield item`). The generator's body does not
    /// run ahead of its consumer: that is its backpressure.
    ///
    /// # Cancel safety
    ///
    /// Dropped before it resolved, the item may or may not have been taken
    /// by the consumer.
    ///
    /// # Examples
    ///
    /// See [`generate`].
    pub fn send(&self, item: T) -> Send<'_, T> {
        Send { yielder: self, item: Some(item) }
    }
}

/// The future of [`Yielder::send`].
#[must_use = "futures do nothing unless polled"]
pub struct Send<'a, T> {
    yielder: &'a Yielder<T>,
    /// The item, until it is in the slot.
    item: Option<T>,
}

impl<T> fmt::Debug for Send<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Send").field("handed_over", &self.item.is_none()).finish()
    }
}

impl<T> Unpin for Send<'_, T> {}

impl<T> Future for Send<'_, T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        match this.item.take() {
            // The generator's body is only polled with an empty slot: ours
            // was taken.
            None => Poll::Ready(()),
            Some(item) => {
                let slot = &this.yielder.slot;
                match slot.take() {
                    None => slot.set(Some(item)),
                    Some(other) => {
                        // Another `send` of the same body got there first.
                        slot.set(Some(other));
                        this.item = Some(item);
                    }
                }
                // No wake-up needed: the generator returns the item, and is
                // polled again when the consumer wants the next one.
                Poll::Pending
            }
        }
    }
}

pin_project! {
    /// The stream of [`generate`].
    #[must_use = "streams do nothing unless polled"]
    pub struct Generate<T, Fut> {
        #[pin]
        body: Option<Fut>,
        slot: Rc<Cell<Option<T>>>,
        // The body's error, when it came with a last item still to hand.
        failed: Option<StreamError>,
    }
}

impl<T, Fut> fmt::Debug for Generate<T, Fut> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Generate").field("done", &self.body.is_none()).finish()
    }
}

/// A `futures::Stream` from an async body that yields through a
/// [`Yielder`]: Node's `async function*`. The body runs only while the
/// consumer polls, and does not run ahead of it; returning `Ok(())` ends
/// the stream, `Err(e)` yields `Err(e)` and ends it. Dropping the stream
/// drops the body, as `return()` on a Node generator runs its `finally`.
///
/// The stream holds the body's future, so it is not `Unpin`: pin it
/// (`std::pin::pin!`, `Box::pin`) for adapters that need `Unpin`, such as
/// `SinkExt::send_all`, or make it a [`Readable`](crate::Readable) with
/// [`Readable::from_fn`](crate::Readable::from_fn).
///
/// # Cancel safety
///
/// `next().await` on the stream is cancel safe: an item is handed over
/// only when it is returned. Dropping the stream cancels the body at the
/// `await` it was stopped at.
///
/// # Examples
///
/// ```
/// use futures::TryStreamExt;
///
/// let squares = streams_core::generate(|out| async move {
///     for n in 1..=3u32 {
///         out.send(n * n).await;
///     }
///     Ok(())
/// });
/// let got: Vec<u32> = streams_core::run(squares.try_collect()).unwrap();
/// assert_eq!(got, [1, 4, 9]);
/// ```
pub fn generate<T, F, Fut>(body: F) -> Generate<T, Fut>
where
    F: FnOnce(Yielder<T>) -> Fut,
    Fut: Future<Output = Result<(), StreamError>>,
{
    let slot = Rc::new(Cell::new(None));
    let body = body(Yielder { slot: slot.clone() });
    Generate { body: Some(body), slot, failed: None }
}

impl<T, Fut> Stream for Generate<T, Fut>
where
    Fut: Future<Output = Result<(), StreamError>>,
{
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let mut this = self.project();
        if let Some(item) = this.slot.take() {
            return Poll::Ready(Some(Ok(item)));
        }
        if let Some(err) = this.failed.take() {
            return Poll::Ready(Some(Err(err)));
        }
        let Some(body) = this.body.as_mut().as_pin_mut() else {
            return Poll::Ready(None);
        };
        match body.poll(cx) {
            Poll::Pending => match this.slot.take() {
                Some(item) => Poll::Ready(Some(Ok(item))),
                None => Poll::Pending,
            },
            Poll::Ready(result) => {
                this.body.set(None);
                match (this.slot.take(), result) {
                    (Some(item), result) => {
                        *this.failed = result.err();
                        Poll::Ready(Some(Ok(item)))
                    }
                    (None, Ok(())) => Poll::Ready(None),
                    (None, Err(err)) => Poll::Ready(Some(Err(err))),
                }
            }
        }
    }
}

impl<T, Fut> FusedStream for Generate<T, Fut>
where
    Fut: Future<Output = Result<(), StreamError>>,
{
    fn is_terminated(&self) -> bool {
        self.body.is_none() && self.failed.is_none()
    }
}
