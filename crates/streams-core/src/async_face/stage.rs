//! Async transforms: a Transform from an async function per chunk, and a
//! Transform from an async generator over its whole input (Node's
//! `Duplex.from(async function* (source) { ... })`, and the
//! async-generator stages of `pipeline`).

use std::future::Future;

use futures::Stream;

use super::generate::{generate, Yielder};
use super::pump::Pump;
use super::runner::Runner;
use super::source::{Inbox, Source};
use crate::encoding::Encoding;
use crate::transform::{FlushCallback, Transform, TransformBuilder, TransformCallback};
use crate::{Duplex, StreamError};

impl<I: 'static, O: 'static> TransformBuilder<I, O> {
    /// The transformation as an async function: Node's `transform(chunk,
    /// encoding, callback)` with the callback called when the future
    /// resolves: `Ok(Some(out))` pushes `out`, `Ok(None)` pushes nothing
    /// (push more with the stream's [`push`](crate::Duplex::push)),
    /// `Err(e)` fails the stream. The future is polled at once, then by a
    /// local task (see [`WritableBuilder::write_async`](crate::WritableBuilder::write_async)).
    ///
    /// # Panics
    ///
    /// When a future is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{SinkExt, TryStreamExt};
    /// use streams_core::Transform;
    ///
    /// streams_core::run(async {
    ///     let mut lengths = Transform::<String, usize>::object_builder()
    ///         .transform_async(|_, s, _| async move {
    ///             streams_core::immediate().await; // a lookup
    ///             Ok(Some(s.len()))
    ///         })
    ///         .build();
    ///     let out = lengths.clone();
    ///     lengths.send("four".to_string()).await.unwrap();
    ///     lengths.close().await.unwrap();
    ///     assert_eq!(out.try_collect::<Vec<_>>().await.unwrap(), [4]);
    /// });
    /// ```
    pub fn transform_async<F, Fut>(self, transform: F) -> Self
    where
        F: Fn(&Transform<I, O>, I, Option<Encoding>) -> Fut + 'static,
        Fut: Future<Output = Result<Option<O>, StreamError>> + 'static,
    {
        let runner = Runner::<Fut, TransformCallback<I, O>>::new(None);
        self.transform(move |t, chunk, encoding, cb| {
            runner.start(transform(t, chunk, encoding), cb)
        })
    }

    /// Node's `flush(callback)` as an async function: runs after the last
    /// chunk was transformed; `Ok(Some(out))` pushes a last chunk, then the
    /// readable side ends.
    ///
    /// # Panics
    ///
    /// When the future is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::{SinkExt, TryStreamExt};
    /// use streams_core::Transform;
    ///
    /// streams_core::run(async {
    ///     let mut t = Transform::<u32, u32>::object_builder()
    ///         .transform(|_, n, _, cb| cb.call(Ok(Some(n))))
    ///         .flush_async(|_| async { Ok(Some(0)) })
    ///         .build();
    ///     let out = t.clone();
    ///     t.send(7).await.unwrap();
    ///     t.close().await.unwrap();
    ///     assert_eq!(out.try_collect::<Vec<_>>().await.unwrap(), [7, 0]);
    /// });
    /// ```
    pub fn flush_async<F, Fut>(self, flush: F) -> Self
    where
        F: FnOnce(&Transform<I, O>) -> Fut + 'static,
        Fut: Future<Output = Result<Option<O>, StreamError>> + 'static,
    {
        self.flush(move |t, cb| Runner::<Fut, FlushCallback<I, O>>::new(None).start(flush(t), cb))
    }
}

impl<I: 'static, O: 'static> Transform<I, O> {
    /// A transform whose output is a `futures::Stream` computed from its
    /// input: `stage` receives the input as a [`Source`] and returns the
    /// output. Node's `Duplex.from(async function* (source) { ... })`, and
    /// the Rust form of an async-generator stage of `pipeline`:
    /// `pipeline((source, Transform::from_stream_fn(|s| ..), sink))` is
    /// Node's `pipeline(source, async function* (s) { .. }, sink)`.
    ///
    /// Both sides are in object mode with a high-water mark of 1, as Node's
    /// `Duplex.from` makes them. The output stream is polled as
    /// [`Readable::from_stream`](crate::Readable::from_stream) polls its
    /// stream; each write completes once the stage has taken its chunk. An
    /// `Err` from the output destroys the transform with that error;
    /// destroying the transform drops the output stream (and with it the
    /// source and the stage's state).
    ///
    /// # Panics
    ///
    /// When the output stream is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use streams_core::{promises, Readable, Transform, Writable};
    ///
    /// streams_core::run(async {
    ///     let upper = Transform::from_stream_fn(|source| {
    ///         source.map_ok(|s: String| s.to_uppercase())
    ///     });
    ///     let sink = Writable::<String>::object_builder()
    ///         .write(|_, s, _, cb| { println!("{s}"); cb.call(Ok(())) })
    ///         .build();
    ///     let src = Readable::from_iter(["a".to_string(), "b".to_string()]);
    ///     promises::pipeline((src, upper, sink)).await.unwrap();
    /// });
    /// ```
    pub fn from_stream_fn<F, S>(stage: F) -> Transform<I, O>
    where
        F: FnOnce(Source<I>) -> S,
        S: Stream<Item = Result<O, StreamError>> + 'static,
    {
        let inbox = Inbox::new(false);
        let output = stage(Source::new(inbox.clone()));
        let pump = Pump::new(output, Some(inbox.waiting.clone()));
        inbox.set_notify(pump.notifier());
        let (on_read, on_destroy) = (pump.clone(), pump.clone());
        let (on_write, on_final, on_fail) = (inbox.clone(), inbox.clone(), inbox);
        let duplex = Duplex::<O, I>::object_builder()
            .high_water_mark(1)
            .read(move |_, _| on_read.on_read())
            .write(move |_, chunk, _, cb| on_write.deliver(chunk, cb))
            .final_(move |_, cb| on_final.end(cb))
            .destroy(move |_, err, cb| {
                on_fail.fail(err.clone());
                on_destroy.close();
                cb.call(err.map_or(Ok(()), Err));
            })
            .build();
        pump.set_core(&duplex.core);
        Transform::from_duplex(duplex)
    }

    /// A transform written as an async generator over its input: the body
    /// receives the input as a [`Source`] and yields output with
    /// [`Yielder::send`]. Node's `async function* (source) { for await
    /// (const chunk of source) yield f(chunk); }` as a stage; see
    /// [`from_stream_fn`](Self::from_stream_fn).
    ///
    /// # Panics
    ///
    /// When the body is pending outside a `tokio::task::LocalSet`.
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use streams_core::{promises, Readable, Transform, Writable};
    ///
    /// streams_core::run(async {
    ///     let doubled = Transform::from_fn(|mut source, out| async move {
    ///         while let Some(n) = source.try_next().await? {
    ///             out.send(n).await;
    ///             out.send(n).await;
    ///         }
    ///         Ok(())
    ///     });
    ///     let sink = Writable::<u32>::object_builder()
    ///         .write(|_, n, _, cb| { println!("{n}"); cb.call(Ok(())) })
    ///         .build();
    ///     promises::pipeline((Readable::from_iter([1, 2]), doubled, sink)).await.unwrap();
    /// });
    /// ```
    pub fn from_fn<F, Fut>(body: F) -> Transform<I, O>
    where
        F: FnOnce(Source<I>, Yielder<O>) -> Fut,
        Fut: Future<Output = Result<(), StreamError>> + 'static,
    {
        Transform::from_stream_fn(move |source| generate(move |out| body(source, out)))
    }
}
