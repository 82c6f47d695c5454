//! The one error type of the streams crates, carrying Node's error codes.
//!
//! Node reports stream failures as `Error` objects with a `code` property
//! (`ERR_STREAM_WRITE_AFTER_END`, `ENOENT`, ...). [`StreamError`] is the Rust
//! counterpart: one cheap-to-clone value (a single error reaches many
//! listeners and callbacks, as in Node), whose [`code`](StreamError::code) is
//! Node's code string and whose [`Display`](std::fmt::Display) reads like
//! Node's message. Wrapped I/O errors take their errno name (`ENOENT`,
//! `EADDRINUSE`, `ECONNRESET`, ...) as their code.
//!
//! # Examples
//!
//! ```
//! use streams_core::StreamError;
//!
//! let err = StreamError::write_after_end();
//! assert_eq!(err.code(), Some("ERR_STREAM_WRITE_AFTER_END"));
//! assert_eq!(err.to_string(), "write after end");
//! assert!(err.is_write_after_end());
//!
//! let io = std::io::Error::from_raw_os_error(2);
//! let err = StreamError::from(io);
//! # #[cfg(target_os = "linux")]
//! assert_eq!(err.code(), Some("ENOENT"));
//! ```

use std::borrow::Cow;
use std::fmt;
use std::io;
use std::sync::Arc;

/// The kind of a [`StreamError`]: one variant per Node error code the
/// streams raise, plus [`Io`](ErrorKind::Io) and [`Other`](ErrorKind::Other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// `ERR_STREAM_PUSH_AFTER_EOF`: `push` after `push(None)`.
    PushAfterEof,
    /// `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`: `unshift` after `'end'`.
    UnshiftAfterEndEvent,
    /// `ERR_STREAM_WRITE_AFTER_END`: `write` after `end`.
    WriteAfterEnd,
    /// `ERR_STREAM_ALREADY_FINISHED`: `end` after `'finish'`.
    AlreadyFinished,
    /// `ERR_STREAM_DESTROYED`: an operation on a destroyed stream.
    Destroyed,
    /// `ERR_STREAM_PREMATURE_CLOSE`: closed before `'end'` or `'finish'`.
    PrematureClose,
    /// `ERR_MULTIPLE_CALLBACK`: a callback called more than once.
    MultipleCallback,
    /// `ERR_STREAM_NULL_VALUES`: a null value written to an object stream.
    NullValues,
    /// `ERR_INVALID_ARG_TYPE`: an argument of the wrong type.
    InvalidArgType,
    /// `ERR_INVALID_ARG_VALUE`: an argument with a value that is not allowed.
    InvalidArgValue,
    /// `ERR_OUT_OF_RANGE`: a number outside its allowed range.
    OutOfRange,
    /// `ERR_STREAM_CANNOT_PIPE`: piping into a stream that is not writable.
    CannotPipe,
    /// `ERR_STREAM_UNABLE_TO_PIPE`: a pipeline into a closed or destroyed
    /// stream.
    UnableToPipe,
    /// `ERR_METHOD_NOT_IMPLEMENTED`: a required hook (`read`, `write`, ...) is missing.
    MethodNotImplemented,
    /// `ABORT_ERR`: the operation was aborted.
    Abort,
    /// An operating-system error; the code is its errno name.
    Io,
    /// Any other error, such as one raised by user code.
    Other,
}

impl ErrorKind {
    /// Node's code string for this kind, or `None` for [`Io`](ErrorKind::Io)
    /// (whose code depends on the errno) and [`Other`](ErrorKind::Other).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::ErrorKind;
    /// assert_eq!(ErrorKind::PrematureClose.code(), Some("ERR_STREAM_PREMATURE_CLOSE"));
    /// ```
    pub const fn code(self) -> Option<&'static str> {
        Some(match self {
            ErrorKind::PushAfterEof => "ERR_STREAM_PUSH_AFTER_EOF",
            ErrorKind::UnshiftAfterEndEvent => "ERR_STREAM_UNSHIFT_AFTER_END_EVENT",
            ErrorKind::WriteAfterEnd => "ERR_STREAM_WRITE_AFTER_END",
            ErrorKind::AlreadyFinished => "ERR_STREAM_ALREADY_FINISHED",
            ErrorKind::Destroyed => "ERR_STREAM_DESTROYED",
            ErrorKind::PrematureClose => "ERR_STREAM_PREMATURE_CLOSE",
            ErrorKind::MultipleCallback => "ERR_MULTIPLE_CALLBACK",
            ErrorKind::NullValues => "ERR_STREAM_NULL_VALUES",
            ErrorKind::InvalidArgType => "ERR_INVALID_ARG_TYPE",
            ErrorKind::InvalidArgValue => "ERR_INVALID_ARG_VALUE",
            ErrorKind::OutOfRange => "ERR_OUT_OF_RANGE",
            ErrorKind::CannotPipe => "ERR_STREAM_CANNOT_PIPE",
            ErrorKind::UnableToPipe => "ERR_STREAM_UNABLE_TO_PIPE",
            ErrorKind::MethodNotImplemented => "ERR_METHOD_NOT_IMPLEMENTED",
            ErrorKind::Abort => "ABORT_ERR",
            ErrorKind::Io | ErrorKind::Other => return None,
        })
    }
}

/// An error raised by a stream, with Node's code and message.
///
/// Cloning is cheap (one reference count), so the same error can be handed
/// to every pending callback and to the `'error'` listeners, as Node does.
/// It is `Send + Sync`, so it crosses into multi-threaded code and converts
/// into [`std::io::Error`].
///
/// # Examples
///
/// ```
/// use streams_core::{ErrorKind, StreamError};
///
/// let err = StreamError::new("boom");
/// assert_eq!(err.kind(), ErrorKind::Other);
/// assert_eq!(err.code(), None);
/// assert_eq!(err.to_string(), "boom");
///
/// let coded = StreamError::with_code("EMYAPP", "something specific");
/// assert_eq!(coded.code(), Some("EMYAPP"));
/// ```
#[derive(Clone)]
pub struct StreamError {
    repr: Arc<Repr>,
}

struct Repr {
    kind: ErrorKind,
    code: Option<Cow<'static, str>>,
    message: Cow<'static, str>,
    io: Option<io::Error>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StreamError {
    fn from_parts(
        kind: ErrorKind,
        code: Option<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> StreamError {
        StreamError {
            repr: Arc::new(Repr { kind, code, message: message.into(), io: None, source: None }),
        }
    }

    fn node(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError::from_parts(kind, kind.code().map(Cow::Borrowed), message)
    }

    /// An error with a message and no code, like `new Error(message)`.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = streams_core::StreamError::new("kaboom");
    /// assert_eq!(err.message(), "kaboom");
    /// ```
    pub fn new(message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError::from_parts(ErrorKind::Other, None, message)
    }

    /// An error with a code of your own, like an `Error` whose `code` you set.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = streams_core::StreamError::with_code("E_QUOTA", "quota exceeded");
    /// assert_eq!(err.code(), Some("E_QUOTA"));
    /// ```
    pub fn with_code(
        code: impl Into<Cow<'static, str>>,
        message: impl Into<Cow<'static, str>>,
    ) -> StreamError {
        StreamError::from_parts(ErrorKind::Other, Some(code.into()), message)
    }

    /// Wraps any error (its `Display` becomes the message; it stays
    /// reachable through [`source`](std::error::Error::source)).
    ///
    /// # Examples
    ///
    /// ```
    /// let parse = "x".parse::<u8>().unwrap_err();
    /// let err = streams_core::StreamError::other(parse);
    /// assert_eq!(err.to_string(), "invalid digit found in string");
    /// ```
    pub fn other(error: impl std::error::Error + Send + Sync + 'static) -> StreamError {
        let message = error.to_string();
        StreamError {
            repr: Arc::new(Repr {
                kind: ErrorKind::Other,
                code: None,
                message: message.into(),
                io: None,
                source: Some(Box::new(error)),
            }),
        }
    }

    /// `ERR_STREAM_PUSH_AFTER_EOF`: "stream.push() after EOF".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::push_after_eof().is_push_after_eof());
    /// ```
    pub fn push_after_eof() -> StreamError {
        StreamError::node(ErrorKind::PushAfterEof, "stream.push() after EOF")
    }

    /// `ERR_STREAM_UNSHIFT_AFTER_END_EVENT`: "stream.unshift() after end event".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::unshift_after_end_event();
    /// assert_eq!(e.code(), Some("ERR_STREAM_UNSHIFT_AFTER_END_EVENT"));
    /// ```
    pub fn unshift_after_end_event() -> StreamError {
        StreamError::node(ErrorKind::UnshiftAfterEndEvent, "stream.unshift() after end event")
    }

    /// `ERR_STREAM_WRITE_AFTER_END`: "write after end".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::write_after_end().is_write_after_end());
    /// ```
    pub fn write_after_end() -> StreamError {
        StreamError::node(ErrorKind::WriteAfterEnd, "write after end")
    }

    /// `ERR_STREAM_ALREADY_FINISHED`: "Cannot call `method` after a stream was finished".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::already_finished("end");
    /// assert_eq!(e.to_string(), "Cannot call end after a stream was finished");
    /// ```
    pub fn already_finished(method: &str) -> StreamError {
        StreamError::node(
            ErrorKind::AlreadyFinished,
            format!("Cannot call {method} after a stream was finished"),
        )
    }

    /// `ERR_STREAM_DESTROYED`: "Cannot call `method` after a stream was destroyed".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::destroyed("write");
    /// assert_eq!(e.to_string(), "Cannot call write after a stream was destroyed");
    /// ```
    pub fn destroyed(method: &str) -> StreamError {
        StreamError::node(
            ErrorKind::Destroyed,
            format!("Cannot call {method} after a stream was destroyed"),
        )
    }

    /// `ERR_STREAM_PREMATURE_CLOSE`: "Premature close".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::premature_close().is_premature_close());
    /// ```
    pub fn premature_close() -> StreamError {
        StreamError::node(ErrorKind::PrematureClose, "Premature close")
    }

    /// `ERR_MULTIPLE_CALLBACK`: "Callback called multiple times".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::multiple_callback().is_multiple_callback());
    /// ```
    pub fn multiple_callback() -> StreamError {
        StreamError::node(ErrorKind::MultipleCallback, "Callback called multiple times")
    }

    /// `ERR_STREAM_NULL_VALUES`: "May not write null values to stream".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::null_values();
    /// assert_eq!(e.code(), Some("ERR_STREAM_NULL_VALUES"));
    /// ```
    pub fn null_values() -> StreamError {
        StreamError::node(ErrorKind::NullValues, "May not write null values to stream")
    }

    /// `ERR_INVALID_ARG_TYPE` with a message of the caller's.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::invalid_arg_type("The \"chunk\" argument must be of type string");
    /// assert_eq!(e.code(), Some("ERR_INVALID_ARG_TYPE"));
    /// ```
    pub fn invalid_arg_type(message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError::node(ErrorKind::InvalidArgType, message)
    }

    /// `ERR_INVALID_ARG_VALUE` with a message of the caller's.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::invalid_arg_value("The argument 'flags' is invalid");
    /// assert_eq!(e.code(), Some("ERR_INVALID_ARG_VALUE"));
    /// ```
    pub fn invalid_arg_value(message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError::node(ErrorKind::InvalidArgValue, message)
    }

    /// `ERR_OUT_OF_RANGE` with a message of the caller's.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::out_of_range("The value of \"start\" is out of range");
    /// assert_eq!(e.code(), Some("ERR_OUT_OF_RANGE"));
    /// ```
    pub fn out_of_range(message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError::node(ErrorKind::OutOfRange, message)
    }

    /// `ERR_STREAM_CANNOT_PIPE`: "Cannot pipe, not readable".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::cannot_pipe();
    /// assert_eq!(e.code(), Some("ERR_STREAM_CANNOT_PIPE"));
    /// ```
    pub fn cannot_pipe() -> StreamError {
        StreamError::node(ErrorKind::CannotPipe, "Cannot pipe, not readable")
    }

    /// `ERR_STREAM_UNABLE_TO_PIPE`: "Cannot pipe to a closed or destroyed
    /// stream".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::unable_to_pipe();
    /// assert_eq!(e.code(), Some("ERR_STREAM_UNABLE_TO_PIPE"));
    /// ```
    pub fn unable_to_pipe() -> StreamError {
        StreamError::node(ErrorKind::UnableToPipe, "Cannot pipe to a closed or destroyed stream")
    }

    /// `ERR_METHOD_NOT_IMPLEMENTED`: "The `method` method is not implemented".
    ///
    /// # Examples
    ///
    /// ```
    /// let e = streams_core::StreamError::method_not_implemented("_read()");
    /// assert_eq!(e.to_string(), "The _read() method is not implemented");
    /// ```
    pub fn method_not_implemented(method: &str) -> StreamError {
        StreamError::node(
            ErrorKind::MethodNotImplemented,
            format!("The {method} method is not implemented"),
        )
    }

    /// `ABORT_ERR`: "The operation was aborted".
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::abort().is_abort());
    /// ```
    pub fn abort() -> StreamError {
        StreamError::node(ErrorKind::Abort, "The operation was aborted")
    }

    /// An operating-system error as Node reports it from a system call:
    /// `"ENOENT: no such file or directory, open '/tmp/x'"`, with the errno
    /// name as its code.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use streams_core::StreamError;
    ///
    /// let err = StreamError::from_syscall(io::Error::from_raw_os_error(2), "open", Some("/tmp/x"));
    /// # #[cfg(target_os = "linux")]
    /// assert_eq!(err.to_string(), "ENOENT: no such file or directory, open '/tmp/x'");
    /// ```
    pub fn from_syscall(error: io::Error, syscall: &str, path: Option<&str>) -> StreamError {
        let (code, description) = StreamError::describe_io(&error);
        let mut message = match code {
            Some(code) => format!("{code}: {description}, {syscall}"),
            None => format!("{description}, {syscall}"),
        };
        if let Some(path) = path {
            message.push_str(&format!(" '{path}'"));
        }
        StreamError::with_io(error, message)
    }

    /// The errno name of an operating-system error (`"ENOENT"`, or `None`
    /// for an error without one) and its description as Node words it
    /// (libuv's `uv_strerror`, lower-cased: `"no such file or directory"`;
    /// the error's own text where libuv has none): the parts of the
    /// messages of [`from_syscall`](StreamError::from_syscall), for callers
    /// that build Node's other forms with [`with_io`](StreamError::with_io).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use streams_core::StreamError;
    ///
    /// # #[cfg(target_os = "linux")]
    /// # {
    /// let (code, description) = StreamError::describe_io(&io::Error::from_raw_os_error(98));
    /// assert_eq!(code, Some("EADDRINUSE"));
    /// assert_eq!(description, "address already in use");
    /// # }
    /// ```
    pub fn describe_io(error: &io::Error) -> (Option<&'static str>, String) {
        let code = errno_name(error);
        // Node's wording is libuv's (`uv_strerror`), not the C library's.
        let mut description = match code.and_then(uv_description) {
            Some(text) => text.to_string(),
            None => error.to_string(),
        };
        if let Some(at) = description.find(" (os error") {
            description.truncate(at);
        }
        if let Some(first) = description.get(..1) {
            let lower = first.to_lowercase();
            description.replace_range(..1, &lower);
        }
        (code, description)
    }

    /// An operating-system error with a message of the caller's: the code is
    /// the errno name and [`io_error`](StreamError::io_error) the error
    /// itself, as with [`from_syscall`](StreamError::from_syscall). For the
    /// forms Node writes other than the file system's (`"read ECONNRESET"`,
    /// `"connect ECONNREFUSED 127.0.0.1:1"`).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use streams_core::StreamError;
    ///
    /// let reset = io::Error::from(io::ErrorKind::ConnectionReset);
    /// let err = StreamError::with_io(reset, "read ECONNRESET");
    /// assert_eq!(err.code(), Some("ECONNRESET"));
    /// assert_eq!(err.to_string(), "read ECONNRESET");
    /// assert!(err.io_error().is_some());
    /// ```
    pub fn with_io(error: io::Error, message: impl Into<Cow<'static, str>>) -> StreamError {
        StreamError {
            repr: Arc::new(Repr {
                kind: ErrorKind::Io,
                code: errno_name(&error).map(Cow::Borrowed),
                message: message.into(),
                io: Some(error),
                source: None,
            }),
        }
    }

    /// The kind of this error.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::{ErrorKind, StreamError};
    /// assert_eq!(StreamError::abort().kind(), ErrorKind::Abort);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.repr.kind
    }

    /// Node's code: `ERR_*` for the streams' own errors, the errno name
    /// (`ENOENT`, `ECONNRESET`, ...) for an operating-system error, the code
    /// given to [`with_code`](StreamError::with_code), or `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::StreamError;
    /// assert_eq!(StreamError::destroyed("write").code(), Some("ERR_STREAM_DESTROYED"));
    /// assert_eq!(StreamError::new("plain").code(), None);
    /// ```
    pub fn code(&self) -> Option<&str> {
        self.repr.code.as_deref()
    }

    /// The message, without the code (Node's `err.message`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(streams_core::StreamError::premature_close().message(), "Premature close");
    /// ```
    pub fn message(&self) -> &str {
        &self.repr.message
    }

    /// The wrapped operating-system error, if this is one.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// let err = streams_core::StreamError::from(io::Error::from(io::ErrorKind::NotFound));
    /// assert_eq!(err.io_error().map(|e| e.kind()), Some(io::ErrorKind::NotFound));
    /// ```
    pub fn io_error(&self) -> Option<&io::Error> {
        self.repr.io.as_ref()
    }

    /// Whether two handles are the same error (one was cloned from the other).
    ///
    /// # Examples
    ///
    /// ```
    /// let a = streams_core::StreamError::new("x");
    /// assert!(a.same(&a.clone()));
    /// assert!(!a.same(&streams_core::StreamError::new("x")));
    /// ```
    pub fn same(&self, other: &StreamError) -> bool {
        Arc::ptr_eq(&self.repr, &other.repr)
    }

    /// Whether this is `ERR_STREAM_PUSH_AFTER_EOF`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_core::StreamError::abort().is_push_after_eof());
    /// ```
    pub fn is_push_after_eof(&self) -> bool {
        self.kind() == ErrorKind::PushAfterEof
    }

    /// Whether this is `ERR_STREAM_WRITE_AFTER_END`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_core::StreamError::abort().is_write_after_end());
    /// ```
    pub fn is_write_after_end(&self) -> bool {
        self.kind() == ErrorKind::WriteAfterEnd
    }

    /// Whether this is `ERR_STREAM_DESTROYED`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(streams_core::StreamError::destroyed("end").is_destroyed());
    /// ```
    pub fn is_destroyed(&self) -> bool {
        self.kind() == ErrorKind::Destroyed
    }

    /// Whether this is `ERR_STREAM_PREMATURE_CLOSE`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_core::StreamError::abort().is_premature_close());
    /// ```
    pub fn is_premature_close(&self) -> bool {
        self.kind() == ErrorKind::PrematureClose
    }

    /// Whether this is `ERR_MULTIPLE_CALLBACK`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_core::StreamError::abort().is_multiple_callback());
    /// ```
    pub fn is_multiple_callback(&self) -> bool {
        self.kind() == ErrorKind::MultipleCallback
    }

    /// Whether this is `ABORT_ERR`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!streams_core::StreamError::premature_close().is_abort());
    /// ```
    pub fn is_abort(&self) -> bool {
        self.kind() == ErrorKind::Abort
    }

    /// Whether this wraps an operating-system error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// assert!(streams_core::StreamError::from(io::Error::other("x")).is_io());
    /// ```
    pub fn is_io(&self) -> bool {
        self.kind() == ErrorKind::Io
    }
}

impl fmt::Debug for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("StreamError");
        d.field("kind", &self.repr.kind);
        if let Some(code) = &self.repr.code {
            d.field("code", code);
        }
        d.field("message", &self.repr.message).finish()
    }
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repr.message)
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        if let Some(io) = &self.repr.io {
            return Some(io);
        }
        self.repr.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<io::Error> for StreamError {
    fn from(error: io::Error) -> StreamError {
        let message = match errno_name(&error) {
            Some(name) => format!("{name}: {error}"),
            None => error.to_string(),
        };
        StreamError::with_io(error, message)
    }
}

impl From<StreamError> for io::Error {
    fn from(error: StreamError) -> io::Error {
        let kind = match (&error.repr.io, error.kind()) {
            (Some(io), _) => io.kind(),
            (None, ErrorKind::Destroyed | ErrorKind::PrematureClose) => io::ErrorKind::BrokenPipe,
            (None, ErrorKind::WriteAfterEnd) => io::ErrorKind::BrokenPipe,
            (None, ErrorKind::Abort) => io::ErrorKind::Interrupted,
            (None, ErrorKind::InvalidArgType | ErrorKind::InvalidArgValue) => {
                io::ErrorKind::InvalidInput
            }
            (None, _) => io::ErrorKind::Other,
        };
        io::Error::new(kind, error)
    }
}

/// The errno name of an I/O error, as Node puts it in `err.code`.
fn errno_name(error: &io::Error) -> Option<&'static str> {
    if let Some(name) = error.raw_os_error().and_then(os_errno_name) {
        return Some(name);
    }
    // Errors made from a kind alone (or on platforms without the table).
    Some(match error.kind() {
        io::ErrorKind::NotFound => "ENOENT",
        io::ErrorKind::PermissionDenied => "EACCES",
        io::ErrorKind::ConnectionRefused => "ECONNREFUSED",
        io::ErrorKind::ConnectionReset => "ECONNRESET",
        io::ErrorKind::ConnectionAborted => "ECONNABORTED",
        io::ErrorKind::NotConnected => "ENOTCONN",
        io::ErrorKind::AddrInUse => "EADDRINUSE",
        io::ErrorKind::AddrNotAvailable => "EADDRNOTAVAIL",
        io::ErrorKind::BrokenPipe => "EPIPE",
        io::ErrorKind::AlreadyExists => "EEXIST",
        io::ErrorKind::WouldBlock => "EAGAIN",
        io::ErrorKind::InvalidInput => "EINVAL",
        io::ErrorKind::TimedOut => "ETIMEDOUT",
        io::ErrorKind::Interrupted => "EINTR",
        io::ErrorKind::Unsupported => "ENOTSUP",
        io::ErrorKind::OutOfMemory => "ENOMEM",
        io::ErrorKind::UnexpectedEof => "EOF",
        _ => return None,
    })
}

/// Linux errno numbers to their names (the ones I/O on files and sockets
/// can raise).
#[cfg(target_os = "linux")]
fn os_errno_name(errno: i32) -> Option<&'static str> {
    Some(match errno {
        1 => "EPERM",
        2 => "ENOENT",
        4 => "EINTR",
        5 => "EIO",
        6 => "ENXIO",
        9 => "EBADF",
        11 => "EAGAIN",
        12 => "ENOMEM",
        13 => "EACCES",
        16 => "EBUSY",
        17 => "EEXIST",
        18 => "EXDEV",
        20 => "ENOTDIR",
        21 => "EISDIR",
        22 => "EINVAL",
        23 => "ENFILE",
        24 => "EMFILE",
        27 => "EFBIG",
        28 => "ENOSPC",
        29 => "ESPIPE",
        30 => "EROFS",
        32 => "EPIPE",
        36 => "ENAMETOOLONG",
        39 => "ENOTEMPTY",
        40 => "ELOOP",
        95 => "ENOTSUP",
        97 => "EAFNOSUPPORT",
        98 => "EADDRINUSE",
        99 => "EADDRNOTAVAIL",
        100 => "ENETDOWN",
        101 => "ENETUNREACH",
        103 => "ECONNABORTED",
        104 => "ECONNRESET",
        105 => "ENOBUFS",
        106 => "EISCONN",
        107 => "ENOTCONN",
        110 => "ETIMEDOUT",
        111 => "ECONNREFUSED",
        113 => "EHOSTUNREACH",
        _ => return None,
    })
}

#[cfg(not(target_os = "linux"))]
fn os_errno_name(_errno: i32) -> Option<&'static str> {
    None
}

/// libuv's description of an errno name (`uv_strerror`, as Node v24's
/// `util.getSystemErrorMap()` lists them), which Node puts in its messages.
fn uv_description(code: &str) -> Option<&'static str> {
    Some(match code {
        "EPERM" => "operation not permitted",
        "ENOENT" => "no such file or directory",
        "EINTR" => "interrupted system call",
        "EIO" => "i/o error",
        "ENXIO" => "no such device or address",
        "EBADF" => "bad file descriptor",
        "EAGAIN" => "resource temporarily unavailable",
        "ENOMEM" => "not enough memory",
        "EACCES" => "permission denied",
        "EBUSY" => "resource busy or locked",
        "EEXIST" => "file already exists",
        "EXDEV" => "cross-device link not permitted",
        "ENOTDIR" => "not a directory",
        "EISDIR" => "illegal operation on a directory",
        "EINVAL" => "invalid argument",
        "ENFILE" => "file table overflow",
        "EMFILE" => "too many open files",
        "EFBIG" => "file too large",
        "ENOSPC" => "no space left on device",
        "ESPIPE" => "invalid seek",
        "EROFS" => "read-only file system",
        "EPIPE" => "broken pipe",
        "ENAMETOOLONG" => "name too long",
        "ENOTEMPTY" => "directory not empty",
        "ELOOP" => "too many symbolic links encountered",
        "ENOTSUP" => "operation not supported on socket",
        "EAFNOSUPPORT" => "address family not supported",
        "EADDRINUSE" => "address already in use",
        "EADDRNOTAVAIL" => "address not available",
        "ENETDOWN" => "network is down",
        "ENETUNREACH" => "network is unreachable",
        "ECONNABORTED" => "software caused connection abort",
        "ECONNRESET" => "connection reset by peer",
        "ENOBUFS" => "no buffer space available",
        "EISCONN" => "socket is already connected",
        "ENOTCONN" => "socket is not connected",
        "ETIMEDOUT" => "connection timed out",
        "ECONNREFUSED" => "connection refused",
        "EHOSTUNREACH" => "host is unreachable",
        "EOF" => "end of file",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone + 'static>() {}
        assert_send_sync::<StreamError>();
        assert_eq!(std::mem::size_of::<StreamError>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn io_errors_take_their_errno_name() {
        for (errno, name) in [(2, "ENOENT"), (13, "EACCES"), (17, "EEXIST"), (21, "EISDIR")] {
            let err = StreamError::from(io::Error::from_raw_os_error(errno));
            if cfg!(target_os = "linux") {
                assert_eq!(err.code(), Some(name));
                assert!(err.to_string().starts_with(name), "{err}");
            }
            assert!(err.is_io());
        }
        let err = StreamError::from(io::Error::from(io::ErrorKind::AddrInUse));
        assert_eq!(err.code(), Some("EADDRINUSE"));
        let err = StreamError::from(io::Error::other("custom"));
        assert_eq!(err.code(), None);
    }

    #[test]
    fn syscall_errors_use_libuv_wording_as_node_does() {
        // What Node v24 says for each (libuv's `uv_strerror`, not strerror).
        for (errno, kind, message) in [
            (2, io::ErrorKind::NotFound, "ENOENT: no such file or directory, open '/x'"),
            (13, io::ErrorKind::PermissionDenied, "EACCES: permission denied, open '/x'"),
            (17, io::ErrorKind::AlreadyExists, "EEXIST: file already exists, open '/x'"),
            (21, io::ErrorKind::Other, "EISDIR: illegal operation on a directory, open '/x'"),
        ] {
            let error = if cfg!(target_os = "linux") {
                io::Error::from_raw_os_error(errno)
            } else if kind == io::ErrorKind::Other {
                continue;
            } else {
                io::Error::from(kind)
            };
            let err = StreamError::from_syscall(error, "open", Some("/x"));
            assert_eq!(err.to_string(), message);
        }
        let err = StreamError::from_syscall(io::Error::other("Odd failure"), "read", None);
        assert_eq!(err.to_string(), "odd failure, read");
    }

    #[test]
    fn converts_back_into_io_error() {
        let err: io::Error = StreamError::write_after_end().into();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(err.to_string(), "write after end");
        let inner = StreamError::from(io::Error::from(io::ErrorKind::ConnectionReset));
        let err: io::Error = inner.into();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    }

    #[test]
    fn every_node_kind_has_its_code() {
        let all = [
            (StreamError::push_after_eof(), "ERR_STREAM_PUSH_AFTER_EOF"),
            (StreamError::unshift_after_end_event(), "ERR_STREAM_UNSHIFT_AFTER_END_EVENT"),
            (StreamError::write_after_end(), "ERR_STREAM_WRITE_AFTER_END"),
            (StreamError::already_finished("end"), "ERR_STREAM_ALREADY_FINISHED"),
            (StreamError::destroyed("write"), "ERR_STREAM_DESTROYED"),
            (StreamError::premature_close(), "ERR_STREAM_PREMATURE_CLOSE"),
            (StreamError::multiple_callback(), "ERR_MULTIPLE_CALLBACK"),
            (StreamError::null_values(), "ERR_STREAM_NULL_VALUES"),
            (StreamError::invalid_arg_type("x"), "ERR_INVALID_ARG_TYPE"),
            (StreamError::invalid_arg_value("x"), "ERR_INVALID_ARG_VALUE"),
            (StreamError::out_of_range("x"), "ERR_OUT_OF_RANGE"),
            (StreamError::cannot_pipe(), "ERR_STREAM_CANNOT_PIPE"),
            (StreamError::unable_to_pipe(), "ERR_STREAM_UNABLE_TO_PIPE"),
            (StreamError::method_not_implemented("_read()"), "ERR_METHOD_NOT_IMPLEMENTED"),
            (StreamError::abort(), "ABORT_ERR"),
        ];
        for (err, code) in all {
            assert_eq!(err.code(), Some(code));
            assert_eq!(err.kind().code(), Some(code));
            assert!(!err.message().is_empty());
        }
    }

    #[test]
    fn other_keeps_its_source() {
        use std::error::Error as _;
        let err = StreamError::other(io::Error::other("inner"));
        assert_eq!(err.source().map(|s| s.to_string()), Some("inner".to_string()));
    }
}
