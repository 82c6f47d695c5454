//! Typed events: Node's `EventEmitter`, with events as types.
//!
//! In Node, `stream.on('data', fn)` registers `fn` under a string and
//! nothing checks what `fn` receives. Here each event is a type implementing
//! [`Event`], which fixes the listener's argument type, so a mistake is a
//! compile error. The standard stream events ([`Data`], [`End`],
//! [`Error`], [`Close`], [`Readable`], [`Drain`], [`Finish`], ...) are
//! defined here; you can define your own.
//!
//! [`EventEmitter`] keeps Node's semantics: listeners run synchronously in
//! registration order; an emit works on a snapshot of the listeners; `once`
//! listeners are removed before they run; listeners may re-enter the
//! emitter freely. Streams embed one and add their own side effects to
//! `on`/`off` (a [`Data`] listener starts a Readable flowing, as in Node).
//!
//! # Examples
//!
//! ```
//! use std::{cell::Cell, rc::Rc};
//! use streams_core::events::{Drain, EventEmitter};
//!
//! let emitter = EventEmitter::<()>::new();
//! let count = Rc::new(Cell::new(0));
//! let c = count.clone();
//! let id = emitter.on(Drain, move |_| c.set(c.get() + 1));
//! emitter.emit(Drain, &());
//! emitter.off(id);
//! emitter.emit(Drain, &());
//! assert_eq!(count.get(), 1);
//! ```

mod emitter;
mod event;

pub(crate) use self::emitter::PreparedListener;
pub use self::emitter::{EventEmitter, ListenerId, DEFAULT_MAX_LISTENERS};
pub use self::event::{
    Close, Data, Drain, End, Error, Event, Finish, Open, Pause, Pipe, Prefinish, Readable, Ready,
    Resume, Unpipe,
};
