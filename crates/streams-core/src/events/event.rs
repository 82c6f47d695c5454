//! The `Event` trait and the events the streams emit.

use crate::StreamError;

/// An event: a type that names one kind of occurrence and fixes the type of
/// the argument its listeners receive.
///
/// Node names events by strings and checks nothing; here an event is a
/// type, so `stream.on(Data, |chunk: &Bytes| ..)` is checked at compile
/// time. `Arg<T>` is generic over the emitter's chunk type `T`, so one
/// [`Data`] event carries `Bytes` on a byte stream and your struct on an
/// object stream.
///
/// # Examples
///
/// A user-defined event:
///
/// ```
/// use streams_core::events::{Event, EventEmitter};
///
/// #[derive(Debug, Clone, Copy)]
/// struct Temperature;
/// impl Event for Temperature {
///     type Arg<T: 'static> = f64;
///     const NAME: &'static str = "temperature";
/// }
///
/// let emitter = EventEmitter::<()>::new();
/// emitter.on(Temperature, |celsius: &f64| assert_eq!(*celsius, 21.5));
/// assert!(emitter.emit(Temperature, &21.5));
/// ```
pub trait Event: Copy + 'static {
    /// What a listener receives, by reference; `T` is the emitter's chunk
    /// type.
    type Arg<T: 'static>: ?Sized + 'static;
    /// Node's name for the event (`"data"`, `"end"`, ...), used in logs and
    /// warnings.
    const NAME: &'static str;
    /// A fixed place in every emitter for the built-in events, so finding
    /// their listeners is an index rather than a search. Leave it `None`.
    #[doc(hidden)]
    const SLOT: Option<usize> = None;
}

/// How many built-in events have a fixed place in an emitter.
pub(crate) const SLOTS: usize = 8;

macro_rules! unit_events {
    ($($(#[$doc:meta])* $name:ident = $node:literal $(, $slot:literal)?;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name;

        impl Event for $name {
            type Arg<T: 'static> = ();
            const NAME: &'static str = $node;
            $(const SLOT: Option<usize> = Some($slot);)?
        }
    )*};
}

/// `'data'`: a chunk handed to the consumer. Its argument is the chunk.
///
/// Adding a listener to a Readable switches it to flowing mode (unless it
/// was explicitly paused), as in Node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Data;

impl Event for Data {
    type Arg<T: 'static> = T;
    const NAME: &'static str = "data";
    const SLOT: Option<usize> = Some(0);
}

/// `'error'`: the stream failed. Its argument is the error.
///
/// An error emitted with no listener never vanishes: the stream records it
/// (`errored()`) and it is logged with `tracing::error!`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Error;

impl Event for Error {
    type Arg<T: 'static> = StreamError;
    const NAME: &'static str = "error";
    const SLOT: Option<usize> = Some(1);
}

unit_events! {
    /// `'end'`: a Readable has no more data, and all of it was consumed.
    End = "end", 2;
    /// `'close'`: the stream and its underlying resources are closed; no
    /// further events follow.
    Close = "close", 3;
    /// `'readable'`: data (or the end) is available to `read()`. Adding a
    /// listener switches a Readable to paused mode.
    Readable = "readable", 4;
    /// `'pause'`: `pause()` stopped a flowing Readable.
    Pause = "pause";
    /// `'resume'`: `resume()` started a Readable flowing (emitted on the
    /// next tick).
    Resume = "resume";
    /// `'drain'`: a Writable whose `write()` returned `false` has emptied
    /// its buffer.
    Drain = "drain", 5;
    /// `'finish'`: a Writable was ended and all data was flushed.
    Finish = "finish", 6;
    /// `'prefinish'`: a Writable's `final` completed, just before `'finish'`.
    Prefinish = "prefinish", 7;
}

/// `'pipe'`: a Readable started piping into this Writable. Its argument
/// is the source's [`StreamId`](crate::StreamId) (Node passes the source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pipe;

impl Event for Pipe {
    type Arg<T: 'static> = crate::StreamId;
    const NAME: &'static str = "pipe";
}

/// `'unpipe'`: a Readable stopped piping into this Writable. Its argument
/// is the source's [`StreamId`](crate::StreamId).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Unpipe;

impl Event for Unpipe {
    type Arg<T: 'static> = crate::StreamId;
    const NAME: &'static str = "unpipe";
}

/// `'open'`: a file or socket stream opened its descriptor. Its argument
/// is the descriptor number (`-1` where the platform has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Open;

impl Event for Open {
    type Arg<T: 'static> = i32;
    const NAME: &'static str = "open";
}

unit_events! {
    /// `'ready'`: a file or socket stream is ready for use (right after
    /// `'open'` or `'connect'`).
    Ready = "ready";
}
