//! Node's stream operators that `futures` has no counterpart for.
//!
//! Most of Node's `readable.map()`, `filter()`, `take()`, ... are
//! `StreamExt` / `TryStreamExt` adapters already (`docs/async.md` has the
//! map); what a Node operator adds is that its result is a Node stream
//! again, which [`into_readable`](NodeStreamExt::into_readable) does for
//! any of them. This trait adds the rest.

use std::future::Future;
use std::pin::pin;

use futures::{Stream, TryStreamExt};

use crate::{Readable, StreamError};

/// Node's stream operators missing from `futures`, for every
/// `futures::Stream` of `Result<T, StreamError>` (a [`Readable`], a
/// Duplex, or any chain of adapters over them).
pub trait NodeStreamExt<T: 'static>:
    Stream<Item = Result<T, StreamError>> + Sized + 'static
{
    /// This stream as a Node [`Readable`] again (object mode, high-water
    /// mark 1): what Node's `map`, `filter`, `take`, `drop` and `flatMap`
    /// return, for their `futures` counterparts.
    ///
    /// # Panics
    ///
    /// As [`Readable::from_stream`].
    ///
    /// # Examples
    ///
    /// Node's `readable.drop(1).take(2)`:
    ///
    /// ```
    /// use futures::{StreamExt, TryStreamExt};
    /// use streams_core::{NodeStreamExt, Readable};
    ///
    /// streams_core::run(async {
    ///     let middle = Readable::from_iter([1, 2, 3, 4]).skip(1).take(2).into_readable();
    ///     assert_eq!(middle.try_collect::<Vec<_>>().await.unwrap(), [2, 3]);
    /// });
    /// ```
    fn into_readable(self) -> Readable<T> {
        Readable::from_stream(self)
    }

    /// Node's `filter(fn, { concurrency })`: keeps the items for which the
    /// async predicate resolves `true`, running up to `concurrency`
    /// predicates at once and keeping the order. `futures` filters one
    /// item at a time. An `Err` from the predicate fails the stream.
    ///
    /// # Panics
    ///
    /// If `concurrency` is 0 (Node throws `ERR_OUT_OF_RANGE`), and as
    /// [`Readable::from_stream`].
    ///
    /// # Examples
    ///
    /// ```
    /// use futures::TryStreamExt;
    /// use streams_core::{NodeStreamExt, Readable};
    ///
    /// streams_core::run(async {
    ///     let odd = Readable::from_iter(1..=5).filter_concurrent(2, |n| {
    ///         let n = *n;
    ///         async move { Ok(n % 2 == 1) }
    ///     });
    ///     assert_eq!(odd.try_collect::<Vec<_>>().await.unwrap(), [1, 3, 5]);
    /// });
    /// ```
    fn filter_concurrent<F, Fut>(self, concurrency: usize, mut predicate: F) -> Readable<T>
    where
        F: FnMut(&T) -> Fut + 'static,
        Fut: Future<Output = Result<bool, StreamError>> + 'static,
    {
        assert!(concurrency > 0, "filter_concurrent: concurrency must be at least 1");
        self.map_ok(move |item| {
            let keep = predicate(&item);
            async move { Ok(keep.await?.then_some(item)) }
        })
        .try_buffered(concurrency)
        .try_filter_map(|item| futures::future::ready(Ok(item)))
        .into_readable()
    }

    /// Node's `find(fn)`: the first item for which the async predicate
    /// resolves `true`, or `None`. Like Node's, it stops reading there
    /// (and, for a [`Readable`], dropping it destroys the stream).
    ///
    /// # Errors
    ///
    /// The stream's or the predicate's first error.
    ///
    /// # Cancel safety
    ///
    /// The future owns the stream: dropping it drops the stream (a
    /// [`Readable`] is then destroyed with `ABORT_ERR`, as `break` does).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::{NodeStreamExt, Readable};
    ///
    /// streams_core::run(async {
    ///     let big = Readable::from_iter([1, 5, 10, 50]).find(|n| {
    ///         let n = *n;
    ///         async move { Ok(n > 7) }
    ///     });
    ///     assert_eq!(big.await.unwrap(), Some(10));
    /// });
    /// ```
    fn find<F, Fut>(
        self,
        mut predicate: F,
    ) -> impl Future<Output = Result<Option<T>, StreamError>> + 'static
    where
        F: FnMut(&T) -> Fut + 'static,
        Fut: Future<Output = Result<bool, StreamError>> + 'static,
    {
        async move {
            let mut stream = pin!(self);
            while let Some(item) = stream.try_next().await? {
                if predicate(&item).await? {
                    return Ok(Some(item));
                }
            }
            Ok(None)
        }
    }

    /// Node's `reduce(fn)` without an initial value: the first item is the
    /// initial accumulator (`TryStreamExt::try_fold` takes one). `None`
    /// for an empty stream, where Node throws.
    ///
    /// # Errors
    ///
    /// The stream's or the reducer's first error.
    ///
    /// # Cancel safety
    ///
    /// As [`find`](NodeStreamExt::find): dropping the future drops the
    /// stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::{NodeStreamExt, Readable};
    ///
    /// streams_core::run(async {
    ///     let max = Readable::from_iter([3, 9, 4]).reduce(|a, b| async move { Ok(a.max(b)) });
    ///     assert_eq!(max.await.unwrap(), Some(9));
    /// });
    /// ```
    fn reduce<F, Fut>(
        self,
        mut reducer: F,
    ) -> impl Future<Output = Result<Option<T>, StreamError>> + 'static
    where
        F: FnMut(T, T) -> Fut + 'static,
        Fut: Future<Output = Result<T, StreamError>> + 'static,
    {
        async move {
            let mut stream = pin!(self);
            let Some(mut acc) = stream.try_next().await? else { return Ok(None) };
            while let Some(item) = stream.try_next().await? {
                acc = reducer(acc, item).await?;
            }
            Ok(Some(acc))
        }
    }
}

impl<T: 'static, S> NodeStreamExt<T> for S where
    S: Stream<Item = Result<T, StreamError>> + Sized + 'static
{
}
