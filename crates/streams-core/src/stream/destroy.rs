//! destroy(), errorOrDestroy() and construct(): the lifecycle shared by
//! both sides.

use std::rc::Rc;

use super::{Callback, Core};
use crate::events;
use crate::{next_tick, StreamError};

impl<R: 'static, W: 'static> Core<R, W> {
    /// Node's `destroy(err)`: idempotent; marks both sides destroyed at
    /// once (so a re-entrant call is a no-op), runs the `destroy` hook (or
    /// defers it until a running `construct` hook is done), then emits
    /// `'error'` (if any) and `'close'` on the next tick.
    pub(crate) fn destroy(self: &Rc<Self>, err: Option<StreamError>) {
        if self.life.destroyed.get() {
            return;
        }
        if let Some(err) = &err {
            self.life.record_error(err);
        }
        self.life.set_destroyed();
        if let Some(write) = &self.write {
            write.on_destroy(self);
        }
        if !self.life.constructed.get() {
            *self.life.pending_destroy.borrow_mut() = Some(err);
            return;
        }
        self.run_destroy_hook(err);
    }

    fn run_destroy_hook(self: &Rc<Self>, err: Option<StreamError>) {
        let core = self.clone();
        let callback = Callback::new(move |result| core.on_destroyed(result.err()));
        let hook = self.destroy_hook.borrow_mut().take();
        match hook {
            Some(mut hook) => {
                hook(self, err, callback);
                // Closed streams keep no hooks: they may hold handles.
                if !self.life.closed.get() {
                    *self.destroy_hook.borrow_mut() = Some(hook);
                }
            }
            None => callback.call(err.map_or(Ok(()), Err)),
        }
    }

    fn on_destroyed(self: &Rc<Self>, err: Option<StreamError>) {
        if self.life.closed.get() {
            return;
        }
        if let Some(err) = &err {
            self.life.record_error(err);
        }
        self.life.closed.set(true);
        let core = self.clone();
        next_tick(move || {
            if let Some(err) = err {
                core.emit_error_now(err);
            }
            core.emit_close_now();
        });
    }

    /// Emits `'error'` unless one was emitted already.
    pub(crate) fn emit_error_now(self: &Rc<Self>, err: StreamError) {
        if self.life.error_emitted.replace(true) {
            return;
        }
        if !self.events.emit(events::Error, &err) {
            tracing::error!(code = err.code(), "unhandled stream error: {err}");
        }
    }

    fn emit_close_now(self: &Rc<Self>) {
        self.life.close_emitted.set(true);
        if self.life.emit_close {
            self.events.emit(events::Close, &());
        }
        // A closed stream emits nothing more. Dropping its listeners and
        // hooks breaks the reference cycles that listeners capturing their
        // own stream would otherwise leave (Node's GC collects those; Rc
        // cannot).
        self.events.clear();
        drop(self.destroy_hook.borrow_mut().take());
        if let Some(read) = &self.read {
            read.release_hooks();
        }
        if let Some(write) = &self.write {
            write.release_hooks();
        }
    }

    /// Node's `errorOrDestroy(stream, err, sync)`: with auto-destroy the
    /// stream is destroyed with `err`; without it the error is recorded and
    /// emitted (on the next tick when `sync`).
    pub(crate) fn error_or_destroy(self: &Rc<Self>, err: StreamError, sync: bool) {
        if self.life.destroyed.get() {
            return;
        }
        if self.life.auto_destroy {
            self.destroy(Some(err));
            return;
        }
        self.life.record_error(&err);
        if let Some(write) = &self.write {
            write.waiters.wake_all();
        }
        if sync {
            let core = self.clone();
            next_tick(move || core.emit_error_now(err));
        } else {
            self.emit_error_now(err);
        }
    }

    /// Starts the `construct` hook on the next tick; both sides wait for
    /// it (no `read`, `write` or `final` hook runs before it calls back).
    pub(crate) fn construct(self: &Rc<Self>) {
        self.life.set_constructed(false);
        let core = self.clone();
        next_tick(move || {
            let Some(hook) = core.construct_hook.borrow_mut().take() else { return };
            let done = core.clone();
            let callback = Callback::new(move |result| {
                next_tick(move || done.on_constructed(result.err()));
            });
            hook(&core, callback);
        });
    }

    fn on_constructed(self: &Rc<Self>, err: Option<StreamError>) {
        self.life.set_constructed(true);
        if self.life.destroyed.get() {
            let pending = self.life.pending_destroy.borrow_mut().take().flatten();
            self.run_destroy_hook(pending.or(err));
        } else if let Some(err) = err {
            self.error_or_destroy(err, true);
        } else {
            if let Some(read) = &self.read {
                read.on_constructed(self);
            }
            if let Some(write) = &self.write {
                write.on_constructed(self);
            }
        }
    }
}
