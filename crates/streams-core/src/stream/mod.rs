//! The object every stream is: Node's one `Stream` with a readable state,
//! a writable state, or both.
//!
//! In Node a Duplex is one object carrying a `_readableState` and a
//! `_writableState`, one event emitter and one lifecycle (`destroy()`
//! destroys both sides; `'close'` is emitted once). [`Core`] is that
//! object: `Core<R, W>` holds an optional read side of chunk type `R`, an
//! optional write side of chunk type `W`, the emitter and the shared
//! lifecycle. `Readable<T>` is a handle to a `Core<T, Void>`, `Writable<T>`
//! to a `Core<Void, T>`, `Duplex<R, W>` to a `Core<R, W>`.

mod callback;
mod chunk;
mod core;
mod destroy;
mod ends;
mod lifecycle;

pub use self::callback::Callback;
pub(crate) use self::chunk::ChunkOps;
pub use self::core::live_streams;
pub(crate) use self::core::{ConstructHook, Core, DestroyHook};
// Public for the writable module's listener signatures (see `Void`).
pub use self::core::Void;
pub(crate) use self::ends::{
    impl_stream_traits, AnyStream, Lifecycle as LifecycleEvent, ReadEnd, WriteEnd,
};
pub use self::ends::{
    AnyStreamRef, ReadEndRef, ReadableStream, Stream, StreamId, WritableStream, WriteEndRef,
};
pub(crate) use self::lifecycle::Lifecycle;
