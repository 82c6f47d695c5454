//! A destination written as an async function over its whole input, with
//! a result: Node's `pipeline(..., async function (source) { ...; return
//! value })`, whose promise resolves with `value`.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures::channel::oneshot;

use super::runner::{Runner, Then};
use super::source::{Inbox, Source};
use crate::pipeline::PipelineStreams;
use crate::stream::{AnyStreamRef, StreamId, WritableStream, WriteEndRef};
use crate::{queue_microtask, StreamError, Writable};

/// A [`Writable`] whose chunks an async function consumes, as a
/// [`Source`], and whose result it keeps: the last stage of Node's
/// `pipeline(source, ..., async function (source) { ... })`.
///
/// The function is called, and polled once, when the consumer is made (as
/// `pipeline` calls it). The writable side is in object mode; each write
/// completes once the function has taken its chunk, and `'finish'` comes
/// once the input ended and the function returned `Ok`. `Err(e)` destroys
/// the stream with `e`. Returning `Ok` before the input ended keeps the
/// value and destroys the stream (a pipeline then fails with
/// `ERR_STREAM_PREMATURE_CLOSE`, but
/// [`promises::pipeline_value`](crate::promises::pipeline_value) still
/// resolves with the value, as Node's pipeline does).
///
/// It dereferences to its [`Writable`].
///
/// # Panics
///
/// [`new`](Consumer::new) panics if the function is pending outside a
/// `tokio::task::LocalSet`.
///
/// # Examples
///
/// ```
/// use futures::TryStreamExt;
/// use streams_core::{promises, Consumer, Readable};
///
/// let total = streams_core::run(async {
///     let sum = Consumer::new(|source| source.try_fold(0, |acc, n: u32| async move { Ok(acc + n) }));
///     promises::pipeline_value((Readable::from_iter([1, 2, 3]), sum)).await
/// });
/// assert_eq!(total.unwrap(), 6);
/// ```
pub struct Consumer<I: 'static, V: 'static> {
    writable: Writable<I>,
    value: Rc<RefCell<Option<V>>>,
}

impl<I: 'static, V: 'static> Consumer<I, V> {
    /// Makes the consumer and starts `body` with its input.
    ///
    /// # Panics
    ///
    /// If `body` is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// See the type's example.
    pub fn new<F, Fut>(body: F) -> Consumer<I, V>
    where
        F: FnOnce(Source<I>) -> Fut,
        Fut: Future<Output = Result<V, StreamError>> + 'static,
    {
        let inbox = Inbox::new(true);
        let runner = Runner::new(Some(inbox.waiting.clone()));
        inbox.set_notify(runner.notifier());
        let (on_write, on_final, on_fail) = (inbox.clone(), inbox.clone(), inbox.clone());
        let cancel = runner.clone();
        let writable = Writable::<I>::object_builder()
            .write(move |_, chunk, _, cb| on_write.deliver(chunk, cb))
            .final_(move |_, cb| on_final.end(cb))
            .destroy(move |_, err, cb| {
                on_fail.fail(err.clone());
                cancel.cancel();
                cb.call(err.map_or(Ok(()), Err));
            })
            .build();
        let value = Rc::new(RefCell::new(None));
        let (core, slot, ending) = (Rc::downgrade(&writable.core), value.clone(), inbox.clone());
        // Settled in a microtask, as a promise is: a function that returns
        // at once, before `pipeline` was even called, fails the pipeline
        // rather than the pipe.
        let done = Then(move |result: Result<V, StreamError>| {
            queue_microtask(move || {
                let Some(core) = core.upgrade() else { return };
                match result {
                    Ok(v) => {
                        *slot.borrow_mut() = Some(v);
                        match ending.take_end() {
                            Some(end) => end.call(Ok(())),
                            // Returned before the input ended.
                            None => core.destroy(None),
                        }
                    }
                    Err(err) => {
                        core.destroy(Some(err));
                    }
                }
            })
        });
        runner.start(body(Source::new(inbox)), done);
        Consumer { writable, value }
    }

    /// The value the function returned, once it has (taken: later calls
    /// return `None`). As a promise settles, a return is seen in a
    /// microtask, not at once.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::Consumer;
    ///
    /// streams_core::run(async {
    ///     let c = Consumer::<u8, &str>::new(|_| async { Ok("done early") });
    ///     assert_eq!(c.take_value(), None);
    ///     streams_core::immediate().await;
    ///     assert_eq!(c.take_value(), Some("done early"));
    ///     assert!(c.destroyed()); // it returned before its input ended
    /// });
    /// ```
    pub fn take_value(&self) -> Option<V> {
        self.value.borrow_mut().take()
    }

    /// The writable stream (which the consumer dereferences to).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::{Consumer, Writable};
    ///
    /// streams_core::run(async {
    ///     let w: Writable<u8> = Consumer::<u8, ()>::new(|_| async { Ok(()) }).into_writable();
    ///     # drop(w);
    /// });
    /// ```
    pub fn into_writable(self) -> Writable<I> {
        self.writable
    }
}

impl<I: 'static, V: 'static> Deref for Consumer<I, V> {
    type Target = Writable<I>;

    fn deref(&self) -> &Writable<I> {
        &self.writable
    }
}

impl<I: 'static, V: 'static> Clone for Consumer<I, V> {
    fn clone(&self) -> Self {
        Consumer { writable: self.writable.clone(), value: self.value.clone() }
    }
}

impl<I: 'static, V: 'static> fmt::Debug for Consumer<I, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Consumer").field(&self.writable).finish()
    }
}

impl<I: 'static, V: 'static> crate::Stream for Consumer<I, V> {
    fn stream_id(&self) -> StreamId {
        self.writable.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.writable.any_stream()
    }
}

impl<I: 'static, V: 'static> WritableStream for Consumer<I, V> {
    type In = I;

    fn write_end(&self) -> WriteEndRef<I> {
        self.writable.write_end()
    }
}

/// The future of [`pipeline_value`].
///
/// # Cancel safety
///
/// As [`promises::pipeline`](crate::promises::pipeline): dropping it does
/// not stop the pipeline; the value is lost.
#[must_use = "futures do nothing unless polled"]
pub struct PipelineValue<V: 'static> {
    done: oneshot::Receiver<Result<(), StreamError>>,
    value: Rc<RefCell<Option<V>>>,
}

impl<V: 'static> fmt::Debug for PipelineValue<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PipelineValue").finish_non_exhaustive()
    }
}

impl<V: 'static> Future for PipelineValue<V> {
    type Output = Result<V, StreamError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = futures::ready!(Pin::new(&mut self.done).poll(cx))
            .unwrap_or_else(|_| Err(StreamError::abort()));
        let value = self.value.borrow_mut().take();
        Poll::Ready(match (value, result) {
            (Some(value), _) => Ok(value),
            (None, Err(err)) => Err(err),
            (None, Ok(())) => Err(StreamError::premature_close()),
        })
    }
}

/// Pipes `streams`, whose last is a [`Consumer`], and resolves with the
/// value the consumer's function returned: Node's `await
/// pipeline(source, ..., async function (source) { ...; return value })`.
/// On an error every stream is destroyed, as with
/// [`promises::pipeline`](crate::promises::pipeline).
///
/// # Errors
///
/// The pipeline's error, unless the consumer returned a value (it may
/// return before its input ended, which destroys the other streams).
///
/// # Cancel safety
///
/// Dropping the future does not stop the pipeline; the value is lost.
///
/// # Examples
///
/// Node's `pipeline(Readable.from(['x', 'y']), async function* (s) { for
/// await (const c of s) yield c + c; }, async function (s) { let acc = '';
/// for await (const c of s) acc += c; return acc; })`:
///
/// ```
/// use futures::TryStreamExt;
/// use streams_core::{promises, Consumer, Readable, Transform};
///
/// let res = streams_core::run(async {
///     promises::pipeline_value((
///         Readable::from_iter(["x", "y"].map(String::from)),
///         Transform::from_stream_fn(|s| s.map_ok(|c: String| c.repeat(2))),
///         Consumer::new(|s| s.try_fold(String::new(), |acc, c: String| async move { Ok(acc + &c) })),
///     ))
///     .await
/// });
/// assert_eq!(res.unwrap(), "xxyy");
/// ```
pub fn pipeline_value<P, I, V>(streams: P) -> PipelineValue<V>
where
    P: PipelineStreams<Last = Consumer<I, V>>,
    I: 'static,
    V: 'static,
{
    let (tx, done) = oneshot::channel();
    let last = crate::pipeline(streams, move |result| {
        let _ = tx.send(result);
    });
    PipelineValue { done, value: last.value.clone() }
}
