//! `create_write_stream`: Node's `fs.createWriteStream` / `fs.WriteStream`.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, IoSlice, Write};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use bytes::Bytes;
use streams_core::encoding::Encoding;
use streams_core::events;
use streams_core::writable::{BufferedChunk, WriteCallback};
use streams_core::{
    AnyStreamRef, Stream, StreamError, StreamId, Writable, WritableStream, WriteEndRef,
};

use crate::fast_path::{self, FastSink};
use crate::file::{join_error, FileSlot};
use crate::flags::open_options;

/// The options of [`create_write_stream`] (Node's
/// `fs.createWriteStream(path, options)`).
///
/// # Examples
///
/// ```
/// let opts = streams_fs::WriteStreamOptions::new().flags("a").flush(true);
/// # drop(opts);
/// ```
#[derive(Debug)]
#[must_use = "options do nothing until passed to create_write_stream"]
pub struct WriteStreamOptions {
    flags: String,
    encoding: Option<Encoding>,
    fd: Option<File>,
    mode: u32,
    auto_close: bool,
    emit_close: bool,
    start: Option<u64>,
    flush: bool,
    high_water_mark: Option<usize>,
}

impl Default for WriteStreamOptions {
    fn default() -> Self {
        WriteStreamOptions {
            flags: "w".into(),
            encoding: None,
            fd: None,
            mode: 0o666,
            auto_close: true,
            emit_close: true,
            start: None,
            flush: false,
            high_water_mark: None,
        }
    }
}

impl WriteStreamOptions {
    /// Node's defaults: flags `w`, mode `0o666`, auto-close, emit-close.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new();
    /// # drop(opts);
    /// ```
    pub fn new() -> WriteStreamOptions {
        WriteStreamOptions::default()
    }

    /// Node's file system flags (default `w`; `a` appends, `wx` fails if
    /// the file exists, `r+` writes into an existing file).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().flags("wx");
    /// # drop(opts);
    /// ```
    pub fn flags(mut self, flags: &str) -> Self {
        self.flags = flags.to_string();
        self
    }

    /// The default encoding of strings written (Node's `encoding`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    /// let opts = streams_fs::WriteStreamOptions::new().encoding(Encoding::Latin1);
    /// # drop(opts);
    /// ```
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Write to this open file instead of opening the path (Node's `fd`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let file = std::fs::File::create("/tmp/out").unwrap();
    /// let opts = streams_fs::WriteStreamOptions::new().fd(file);
    /// # drop(opts);
    /// ```
    pub fn fd(mut self, file: File) -> Self {
        self.fd = Some(file);
        self
    }

    /// The permission bits a created file gets (default `0o666`, less the
    /// umask).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().mode(0o600);
    /// # drop(opts);
    /// ```
    pub fn mode(mut self, mode: u32) -> Self {
        self.mode = mode;
        self
    }

    /// Close the file after `'finish'` or an error (default true).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().auto_close(false);
    /// # drop(opts);
    /// ```
    pub fn auto_close(mut self, auto_close: bool) -> Self {
        self.auto_close = auto_close;
        self
    }

    /// Emit `'close'` once closed (default true).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().emit_close(false);
    /// # drop(opts);
    /// ```
    pub fn emit_close(mut self, emit_close: bool) -> Self {
        self.emit_close = emit_close;
        self
    }

    /// Write from this position (in bytes) on, instead of the file's.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().flags("r+").start(100);
    /// # drop(opts);
    /// ```
    pub fn start(mut self, start: u64) -> Self {
        self.start = Some(start);
        self
    }

    /// `fsync` the file before closing it (Node's `flush`).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().flush(true);
    /// # drop(opts);
    /// ```
    pub fn flush(mut self, flush: bool) -> Self {
        self.flush = flush;
        self
    }

    /// The buffer limit past which `write` returns `false` (default
    /// 64 KiB).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::WriteStreamOptions::new().high_water_mark(1 << 20);
    /// # drop(opts);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.high_water_mark = Some(hwm);
        self
    }
}

pub(crate) struct WriteState {
    pub(crate) slot: Rc<FileSlot>,
    pub(crate) pos: Cell<Option<u64>>,
    pub(crate) bytes_written: Cell<u64>,
    flush: bool,
}

/// Node's `fs.WriteStream`: a [`Writable`] into a file.
///
/// It dereferences to its `Writable<Bytes>` and adds the
/// [`Open`](events::Open) and [`Ready`](events::Ready) events,
/// [`bytes_written`](WriteStream::bytes_written),
/// [`path`](WriteStream::path) and [`pending`](WriteStream::pending).
/// Chunks buffered while a write is in flight go out in one vectored write.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// use streams_fs::{create_write_stream, WriteStreamOptions};
///
/// let path = std::env::temp_dir().join(format!("streams-fs-wdoc-{}", std::process::id()));
/// let p = path.clone();
/// streams_core::run(async move {
///     let ws = create_write_stream(&p, WriteStreamOptions::new()).unwrap();
///     ws.write(Bytes::from("hello "));
///     ws.end(Bytes::from("world"));
/// });
/// assert_eq!(std::fs::read(&path).unwrap(), b"hello world");
/// std::fs::remove_file(path).unwrap();
/// ```
#[derive(Clone)]
pub struct WriteStream {
    writable: Writable<Bytes>,
    state: Rc<WriteState>,
}

impl fmt::Debug for WriteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteStream")
            .field("path", &self.state.slot.path)
            .field("bytes_written", &self.state.bytes_written.get())
            .finish_non_exhaustive()
    }
}

impl Deref for WriteStream {
    type Target = Writable<Bytes>;

    fn deref(&self) -> &Writable<Bytes> {
        &self.writable
    }
}

impl WriteStream {
    /// How many bytes were written so far (Node's `bytesWritten`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let ws = streams_fs::create_write_stream("/tmp/out", Default::default()).unwrap();
    /// assert_eq!(ws.bytes_written(), 0);
    /// ```
    pub fn bytes_written(&self) -> u64 {
        self.state.bytes_written.get()
    }

    /// The path given, if the stream opened one (Node's `path`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let ws = streams_fs::create_write_stream("/tmp/out", Default::default()).unwrap();
    /// assert_eq!(ws.path().unwrap().to_str(), Some("/tmp/out"));
    /// ```
    pub fn path(&self) -> Option<&Path> {
        self.state.slot.path.as_deref()
    }

    /// Whether the file is not open yet (Node's `pending`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let ws = streams_fs::create_write_stream("/tmp/out", Default::default()).unwrap();
    /// assert!(ws.pending());
    /// ```
    pub fn pending(&self) -> bool {
        !self.state.slot.is_open()
    }

    /// The stream as its `Writable<Bytes>` (which it dereferences to).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let ws = streams_fs::create_write_stream("/tmp/out", Default::default()).unwrap();
    /// let writable: streams_core::Writable = ws.into_writable();
    /// # drop(writable);
    /// ```
    pub fn into_writable(self) -> Writable<Bytes> {
        self.writable
    }
}

impl Stream for WriteStream {
    fn stream_id(&self) -> StreamId {
        self.writable.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.writable.any_stream()
    }
}

impl WritableStream for WriteStream {
    type In = Bytes;

    fn write_end(&self) -> WriteEndRef<Bytes> {
        self.writable.write_end()
    }
}

/// Writes all of `chunks` at `pos` (or at the file's position), with as
/// few system calls as the kernel allows.
fn write_all(file: &File, chunks: &[Bytes], pos: Option<u64>) -> io::Result<u64> {
    let total: usize = chunks.iter().map(Bytes::len).sum();
    match pos {
        #[cfg(unix)]
        Some(pos) => {
            use std::os::unix::fs::FileExt;
            let mut at = pos;
            for chunk in chunks {
                file.write_all_at(chunk, at)?;
                at += chunk.len() as u64;
            }
        }
        _ => {
            let mut writer = file;
            let mut slices: Vec<IoSlice<'_>> = chunks.iter().map(|c| IoSlice::new(c)).collect();
            let mut slices = &mut slices[..];
            while !slices.is_empty() {
                match writer.write_vectored(slices) {
                    Ok(0) => return Err(io::Error::from(io::ErrorKind::WriteZero)),
                    Ok(n) => IoSlice::advance_slices(&mut slices, n),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
    }
    Ok(total as u64)
}

/// Runs one write (or a `writev` batch) on the blocking pool and calls
/// back when it is done.
fn start_write(state: &Rc<WriteState>, chunks: Vec<Bytes>, cb: WriteCallback) {
    if state.slot.busy() {
        // A kernel copy into this file is in flight: write after it.
        let s = state.clone();
        state.slot.when_idle(move || start_write(&s, chunks, cb));
        return;
    }
    let Some(file) = state.slot.begin_io() else {
        cb.call(Err(StreamError::destroyed("write")));
        return;
    };
    let len: u64 = chunks.iter().map(|c| c.len() as u64).sum();
    let pos = state.pos.get();
    if let Some(p) = pos {
        state.pos.set(Some(p + len));
    }
    let state = state.clone();
    streams_core::spawn(async move {
        let res = tokio::task::spawn_blocking(move || write_all(&file, &chunks, pos)).await;
        match res {
            Err(e) => {
                state.slot.end_io();
                cb.call(Err(join_error(e)));
            }
            Ok(Err(e)) => {
                state.slot.end_io();
                // Node names no path for a failed write.
                cb.call(Err(StreamError::from_syscall(e, "write", None)));
            }
            Ok(Ok(n)) => {
                state.bytes_written.set(state.bytes_written.get() + n);
                state.slot.end_io();
                cb.call(Ok(()));
            }
        }
    });
}

/// Opens `path` for writing as a stream: Node's `fs.createWriteStream(path,
/// options)`. The file is opened on the next tick (`'open'`, `'ready'`);
/// writes made before are buffered.
///
/// # Errors
///
/// Never at the moment: Node throws only for option values that Rust's
/// types rule out (the `Result` leaves room for options that may). Failures
/// come as an `'error'` event, then `'close'`, as in Node:
/// unknown flags (`ERR_INVALID_ARG_VALUE`, found when the file is opened;
/// ignored with `fd`), `ENOENT` for a missing directory, `EISDIR`,
/// `EACCES`, `EEXIST` with `wx`. The descriptor is always closed.
///
/// # Examples
///
/// ```
/// use streams_core::{events, StreamError};
/// use streams_fs::create_write_stream;
///
/// streams_core::run(async {
///     let ws = create_write_stream("/no/such/dir/file", Default::default()).unwrap();
///     ws.on(events::Error, |e: &StreamError| assert_eq!(e.code(), Some("ENOENT")));
/// });
/// ```
pub fn create_write_stream(
    path: impl AsRef<Path>,
    options: WriteStreamOptions,
) -> Result<WriteStream, StreamError> {
    // Node checks the flags when it opens the file (not at all with `fd`):
    // bad flags are an 'error' event, then 'close'.
    let open = open_options(&options.flags, options.mode);
    let given = options.fd.is_some();
    let path: Option<PathBuf> = (!given).then(|| path.as_ref().to_path_buf());
    let state = Rc::new(WriteState {
        slot: FileSlot::new(path, options.fd),
        pos: Cell::new(options.start),
        bytes_written: Cell::new(0),
        flush: options.flush,
    });
    let mut builder = Writable::<Bytes>::builder()
        .auto_destroy(options.auto_close)
        .emit_close(options.emit_close);
    if let Some(hwm) = options.high_water_mark {
        builder = builder.high_water_mark(hwm);
    }
    if let Some(encoding) = options.encoding {
        builder = builder.default_encoding(encoding);
    }
    let construct_state = state.clone();
    let write_state = state.clone();
    let writev_state = state.clone();
    let destroy_state = state.clone();
    let writable = builder
        .construct(move |w, cb| {
            let w = w.clone();
            let open = match open {
                Ok(open) => open,
                // Flags do not matter for a file given with `fd`.
                Err(_) if construct_state.slot.is_open() => return cb.call(Ok(())),
                Err(err) => return cb.call(Err(err)),
            };
            construct_state.slot.open(open, cb, move |fd| {
                w.emit(events::Open, &fd);
                w.emit(events::Ready, &());
            });
        })
        .write(move |_, chunk, _, cb| start_write(&write_state, vec![chunk], cb))
        .writev(move |_, chunks: Vec<BufferedChunk<Bytes>>, cb| {
            let chunks = chunks.into_iter().map(|c| c.chunk).collect();
            start_write(&writev_state, chunks, cb);
        })
        .destroy(move |w, err, cb| {
            fast_path::unregister(w.stream_id());
            let flush = destroy_state.flush;
            destroy_state.slot.close(flush, err, cb);
        })
        .build();
    fast_path::register(
        writable.stream_id(),
        FastSink { writable: writable.clone(), state: state.clone() },
    );
    Ok(WriteStream { writable, state })
}
