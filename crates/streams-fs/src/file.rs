//! The open file a stream reads or writes, and closing it safely while
//! I/O may be in flight on the blocking pool.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use streams_core::{Callback, StreamError};

/// A stream's file: opened by the `construct` hook (or given), used by
/// one blocking operation at a time (a second one waits its turn), closed
/// by the `destroy` hook once no operation is in flight (Node waits for
/// `kIoDone` the same way: file I/O runs on a thread pool, and closing a
/// descriptor under it is unsafe).
pub(crate) struct FileSlot {
    pub(crate) path: Option<PathBuf>,
    file: RefCell<Option<Arc<File>>>,
    in_flight: Cell<bool>,
    waiting: RefCell<VecDeque<Box<dyn FnOnce()>>>,
}

impl FileSlot {
    pub(crate) fn new(path: Option<PathBuf>, file: Option<File>) -> Rc<FileSlot> {
        Rc::new(FileSlot {
            path,
            file: RefCell::new(file.map(Arc::new)),
            in_flight: Cell::new(false),
            waiting: RefCell::new(VecDeque::new()),
        })
    }

    pub(crate) fn path_string(&self) -> Option<String> {
        self.path.as_ref().map(|p| p.display().to_string())
    }

    pub(crate) fn is_open(&self) -> bool {
        self.file.borrow().is_some()
    }

    pub(crate) fn set(&self, file: File) {
        *self.file.borrow_mut() = Some(Arc::new(file));
    }

    /// The descriptor number, for the `'open'` event.
    pub(crate) fn fd(&self) -> i32 {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            self.file.borrow().as_ref().map_or(-1, |f| f.as_raw_fd())
        }
        #[cfg(not(unix))]
        {
            -1
        }
    }

    /// Whether an operation is in flight.
    pub(crate) fn busy(&self) -> bool {
        self.in_flight.get()
    }

    /// Marks an operation in flight and hands out the file for it; `None`
    /// if the file is closed or another operation is in flight.
    pub(crate) fn begin_io(&self) -> Option<Arc<File>> {
        if self.in_flight.get() {
            return None;
        }
        let file = self.file.borrow().clone()?;
        self.in_flight.set(true);
        Some(file)
    }

    /// Runs `f` now if no operation is in flight, or when the one in
    /// flight ends.
    pub(crate) fn when_idle(&self, f: impl FnOnce() + 'static) {
        if self.in_flight.get() {
            self.waiting.borrow_mut().push_back(Box::new(f));
        } else {
            f();
        }
    }

    /// The operation is over: let the next one that waited run.
    pub(crate) fn end_io(&self) {
        self.in_flight.set(false);
        let next = self.waiting.borrow_mut().pop_front();
        if let Some(next) = next {
            next();
        }
    }

    /// The `construct` hook of a file stream: opens the path on the
    /// blocking pool (unless a file was given), calls back, then — as
    /// Node's `_construct` does — calls `opened` with the descriptor (the
    /// stream emits `'open'` and `'ready'` there).
    pub(crate) fn open(
        self: &Rc<Self>,
        options: std::fs::OpenOptions,
        cb: Callback,
        opened: impl FnOnce(i32) + 'static,
    ) {
        let path = match &self.path {
            Some(path) if !self.is_open() => path.clone(),
            _ => return cb.call(Ok(())),
        };
        let slot = self.clone();
        streams_core::spawn(async move {
            match tokio::task::spawn_blocking(move || options.open(path)).await {
                Err(e) => cb.call(Err(join_error(e))),
                Ok(Err(e)) => {
                    let path = slot.path_string();
                    cb.call(Err(StreamError::from_syscall(e, "open", path.as_deref())));
                }
                Ok(Ok(file)) => {
                    slot.set(file);
                    cb.call(Ok(()));
                    opened(slot.fd());
                }
            }
        });
    }

    /// Closes the file (after `fsync` when `flush`), then calls `cb` with
    /// `err` or the close's own error. Waits for an operation in flight.
    pub(crate) fn close(self: &Rc<Self>, flush: bool, err: Option<StreamError>, cb: Callback) {
        if self.in_flight.get() {
            let slot = self.clone();
            self.when_idle(move || slot.close(flush, err, cb));
            return;
        }
        let file = self.file.borrow_mut().take();
        match file {
            Some(file) if flush => {
                streams_core::spawn(async move {
                    let synced = tokio::task::spawn_blocking(move || file.sync_all()).await;
                    let sync_err = match synced {
                        Ok(Ok(())) => None,
                        // Node names no path for a failed fsync.
                        Ok(Err(e)) => Some(StreamError::from_syscall(e, "fsync", None)),
                        Err(e) => Some(StreamError::new(format!("fsync task failed: {e}"))),
                    };
                    cb.call(err.or(sync_err).map_or(Ok(()), Err));
                });
            }
            // Dropping the last handle closes the descriptor.
            file => {
                drop(file);
                cb.call(err.map_or(Ok(()), Err));
            }
        }
    }
}

/// The error of a blocking task that could not finish (it panicked or the
/// runtime shut down).
pub(crate) fn join_error(e: tokio::task::JoinError) -> StreamError {
    StreamError::new(format!("file I/O task failed: {e}"))
}
