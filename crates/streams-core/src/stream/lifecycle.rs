//! The lifecycle flags both sides of a stream share.

use std::cell::{Cell, RefCell};

use crate::StreamError;

/// Node keeps these per side and always sets them on both together; one
/// copy serves both here. Every field is a `Cell` so a flag can be read or
/// set from anywhere, including from inside user code.
///
/// | flag           | set when                                              |
/// |----------------|-------------------------------------------------------|
/// | `constructed`  | no `construct` hook, or it called back                |
/// | `destroyed`    | `destroy()` was called                                |
/// | `errored`      | the first error (destroy(err), a failed hook, ...)    |
/// | `closed`       | the `destroy` hook called back                        |
/// | `error_emitted`| `'error'` was emitted (or is being emitted)           |
/// | `close_emitted`| the close tick ran (`'close'` emitted if `emit_close`)|
#[derive(Debug)]
pub(crate) struct Lifecycle {
    pub(crate) constructed: Cell<bool>,
    pub(crate) destroyed: Cell<bool>,
    errored: RefCell<Option<StreamError>>,
    /// `errored.is_some()`, kept beside it so the hot paths test a flag
    /// instead of borrowing the `RefCell`. Set only by `record_error`.
    has_error: Cell<bool>,
    pub(crate) closed: Cell<bool>,
    pub(crate) error_emitted: Cell<bool>,
    pub(crate) close_emitted: Cell<bool>,
    /// `destroyed || errored || !constructed`, kept up to date by
    /// [`set_destroyed`](Self::set_destroyed),
    /// [`set_constructed`](Self::set_constructed) and
    /// [`record_error`](Self::record_error), so `read()` tests one flag
    /// for all three before it calls the read hook.
    halted: Cell<bool>,
    pub(crate) emit_close: bool,
    pub(crate) auto_destroy: bool,
    /// The error passed to `destroy()` while a `construct` hook was still
    /// running: the destroy hook runs once construction is over.
    pub(crate) pending_destroy: RefCell<Option<Option<StreamError>>>,
}

impl Lifecycle {
    pub(crate) fn new(emit_close: bool, auto_destroy: bool) -> Lifecycle {
        Lifecycle {
            constructed: Cell::new(true),
            destroyed: Cell::new(false),
            errored: RefCell::new(None),
            has_error: Cell::new(false),
            closed: Cell::new(false),
            error_emitted: Cell::new(false),
            close_emitted: Cell::new(false),
            halted: Cell::new(false),
            emit_close,
            auto_destroy,
            pending_destroy: RefCell::new(None),
        }
    }

    pub(crate) fn is_errored(&self) -> bool {
        self.has_error.get()
    }

    pub(crate) fn errored(&self) -> Option<StreamError> {
        self.errored.borrow().clone()
    }

    /// Records `err` as the stream's error unless it already has one.
    pub(crate) fn record_error(&self, err: &StreamError) {
        let mut errored = self.errored.borrow_mut();
        if errored.is_none() {
            *errored = Some(err.clone());
            self.has_error.set(true);
            self.halted.set(true);
        }
    }

    /// Destroyed, errored or not constructed (yet): no hook may run.
    #[inline]
    pub(crate) fn is_halted(&self) -> bool {
        debug_assert_eq!(
            self.halted.get(),
            self.destroyed.get() || self.is_errored() || !self.constructed.get()
        );
        self.halted.get()
    }

    /// Marks the stream destroyed (set this flag only through here).
    pub(crate) fn set_destroyed(&self) {
        self.destroyed.set(true);
        self.halted.set(true);
    }

    /// Marks construction as running or done (set this flag only through
    /// here).
    pub(crate) fn set_constructed(&self, constructed: bool) {
        self.constructed.set(constructed);
        self.halted.set(self.destroyed.get() || self.is_errored() || !constructed);
    }
}
