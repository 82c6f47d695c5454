//! The async forms of [`finished`](crate::finished) and
//! [`pipeline`](crate::pipeline): Node's `stream/promises`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::channel::oneshot;

pub use crate::async_face::{pipeline_value, PipelineValue};
use crate::finished::FinishedOptions;
use crate::pipeline::PipelineStreams;
use crate::stream::Stream;
use crate::StreamError;

/// The future of [`finished`] and [`pipeline`]: resolves with the
/// callback's result.
///
/// # Cancel safety
///
/// Dropping it does not stop the pipeline or remove the `finished`
/// listeners; the result is discarded.
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Done {
    rx: oneshot::Receiver<Result<(), StreamError>>,
}

impl Future for Done {
    type Output = Result<(), StreamError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.rx).poll(cx).map(|res| {
            // The sender is only dropped unsent if the loop shut down first.
            res.unwrap_or_else(|_| Err(StreamError::abort()))
        })
    }
}

fn channel() -> (impl FnOnce(Result<(), StreamError>) + 'static, Done) {
    let (tx, rx) = oneshot::channel();
    (
        move |res| {
            let _ = tx.send(res);
        },
        Done { rx },
    )
}

/// Resolves once `stream` is done, or fails with its error (Node's
/// `stream.promises.finished(stream)`); see [`crate::finished`].
///
/// # Errors
///
/// The stream's error, or `ERR_STREAM_PREMATURE_CLOSE` if it closed before
/// it ended or finished.
///
/// # Examples
///
/// ```
/// use streams_core::{promises, Readable};
///
/// streams_core::run(async {
///     let r = Readable::from_iter([1, 2, 3]);
///     r.resume();
///     promises::finished(&r).await.unwrap();
///     assert!(r.readable_ended());
/// });
/// ```
pub fn finished<S: Stream>(stream: &S) -> Done {
    finished_with(stream, FinishedOptions::default())
}

/// [`finished`] with options.
///
/// # Errors
///
/// As [`finished`].
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{promises, Duplex, FinishedOptions};
///
/// streams_core::run(async {
///     let d = Duplex::<Bytes, Bytes>::builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
///     d.end(None);
///     let only_writable = FinishedOptions { readable: Some(false), ..Default::default() };
///     promises::finished_with(&d, only_writable).await.unwrap();
/// });
/// ```
pub fn finished_with<S: Stream>(stream: &S, options: FinishedOptions) -> Done {
    let (callback, done) = channel();
    // Dropping the `Cleanup` keeps the listeners armed (they go away with
    // the stream's 'close'); forgetting it would leak its state, and with
    // it the stream's allocation, which that state's `Weak` keeps.
    drop(crate::finished(stream, options, callback));
    done
}

/// Pipes `streams` and resolves when the last one finished, or fails with
/// the first error, after every stream was destroyed (Node's
/// `stream.promises.pipeline`); see [`crate::pipeline`].
///
/// # Errors
///
/// As [`crate::pipeline`].
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_core::{promises, PassThrough, Readable, Writable};
///
/// streams_core::run(async {
///     let src = Readable::from_iter([Bytes::from("x")]);
///     let sink = Writable::<Bytes>::object_builder().write(|_, _, _, cb| cb.call(Ok(()))).build();
///     promises::pipeline((src, PassThrough::object(), sink)).await.unwrap();
/// });
/// ```
pub fn pipeline<P: PipelineStreams>(streams: P) -> Done {
    let (callback, done) = channel();
    crate::pipeline(streams, callback);
    done
}
