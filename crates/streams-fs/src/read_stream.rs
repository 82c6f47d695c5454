//! `create_read_stream`: Node's `fs.createReadStream` / `fs.ReadStream`.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use bytes::{Bytes, BytesMut};
use streams_core::encoding::Encoding;
use streams_core::events;
use streams_core::{
    AnyStreamRef, ReadEndRef, Readable, ReadableStream, Stream, StreamError, StreamId,
};

use crate::fast_path::{self, FastSink};
use crate::file::{join_error, FileSlot};
use crate::flags::open_options;

/// The options of [`create_read_stream`] (Node's `fs.createReadStream(path,
/// options)`).
///
/// # Examples
///
/// ```
/// let opts = streams_fs::ReadStreamOptions::new().start(3).end(14).high_water_mark(4);
/// # drop(opts);
/// ```
#[derive(Debug)]
#[must_use = "options do nothing until passed to create_read_stream"]
pub struct ReadStreamOptions {
    flags: String,
    encoding: Option<Encoding>,
    fd: Option<File>,
    mode: u32,
    auto_close: bool,
    emit_close: bool,
    start: Option<u64>,
    end: Option<u64>,
    high_water_mark: usize,
}

impl Default for ReadStreamOptions {
    fn default() -> Self {
        ReadStreamOptions {
            flags: "r".into(),
            encoding: None,
            fd: None,
            mode: 0o666,
            auto_close: true,
            emit_close: true,
            start: None,
            end: None,
            high_water_mark: 64 * 1024,
        }
    }
}

impl ReadStreamOptions {
    /// Node's defaults: flags `r`, mode `0o666`, auto-close, emit-close,
    /// the whole file, 64 KiB chunks.
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new();
    /// # drop(opts);
    /// ```
    pub fn new() -> ReadStreamOptions {
        ReadStreamOptions::default()
    }

    /// Node's file system flags (default `r`).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().flags("r+");
    /// # drop(opts);
    /// ```
    pub fn flags(mut self, flags: &str) -> Self {
        self.flags = flags.to_string();
        self
    }

    /// Decode the data as text (see `Readable::set_encoding`).
    ///
    /// # Examples
    ///
    /// ```
    /// use streams_core::encoding::Encoding;
    /// let opts = streams_fs::ReadStreamOptions::new().encoding(Encoding::Utf8);
    /// # drop(opts);
    /// ```
    pub fn encoding(mut self, encoding: Encoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Read from this open file instead of opening the path (Node's `fd`);
    /// no `'open'` event is emitted.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let file = std::fs::File::open("/etc/hostname").unwrap();
    /// let opts = streams_fs::ReadStreamOptions::new().fd(file);
    /// # drop(opts);
    /// ```
    pub fn fd(mut self, file: File) -> Self {
        self.fd = Some(file);
        self
    }

    /// The permission bits a created file gets (default `0o666`).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().mode(0o600);
    /// # drop(opts);
    /// ```
    pub fn mode(mut self, mode: u32) -> Self {
        self.mode = mode;
        self
    }

    /// Close the file after `'end'` or an error (default true; Node's
    /// `autoClose`, which is the stream's auto-destroy).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().auto_close(false);
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
    /// let opts = streams_fs::ReadStreamOptions::new().emit_close(false);
    /// # drop(opts);
    /// ```
    pub fn emit_close(mut self, emit_close: bool) -> Self {
        self.emit_close = emit_close;
        self
    }

    /// The first byte to read (inclusive).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().start(10);
    /// # drop(opts);
    /// ```
    pub fn start(mut self, start: u64) -> Self {
        self.start = Some(start);
        self
    }

    /// The last byte to read (inclusive, as in Node).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().start(0).end(0); // one byte
    /// # drop(opts);
    /// ```
    pub fn end(mut self, end: u64) -> Self {
        self.end = Some(end);
        self
    }

    /// The chunk size and buffer limit (default 64 KiB).
    ///
    /// # Examples
    ///
    /// ```
    /// let opts = streams_fs::ReadStreamOptions::new().high_water_mark(1 << 20);
    /// # drop(opts);
    /// ```
    pub fn high_water_mark(mut self, hwm: usize) -> Self {
        self.high_water_mark = hwm;
        self
    }
}

/// What the stream's hooks share.
struct ReadState {
    slot: Rc<FileSlot>,
    /// The next position to read at; `None` reads from the file's current
    /// position (no `start` given).
    pos: Cell<Option<u64>>,
    /// The last byte to read (inclusive); `u64::MAX` for the whole file.
    end: u64,
    bytes_read: Cell<u64>,
}

/// Node's `fs.ReadStream`: a [`Readable`] of a file's bytes.
///
/// It dereferences to its `Readable<Bytes>` (every Readable method and
/// event), and adds the [`Open`](events::Open) and
/// [`Ready`](events::Ready) events, [`bytes_read`](ReadStream::bytes_read),
/// [`path`](ReadStream::path) and [`pending`](ReadStream::pending). It
/// reads one high-water mark at a time, only when the consumer wants data.
///
/// # Examples
///
/// ```
/// use std::{cell::Cell, rc::Rc};
/// use bytes::Bytes;
/// use streams_core::events;
/// use streams_fs::{create_read_stream, ReadStreamOptions};
///
/// let path = std::env::temp_dir().join(format!("streams-fs-doc-{}", std::process::id()));
/// std::fs::write(&path, b"hello").unwrap();
/// let total = Rc::new(Cell::new(0));
/// let t = total.clone();
/// let p = path.clone();
/// streams_core::run(async move {
///     let rs = create_read_stream(&p, ReadStreamOptions::new()).unwrap();
///     rs.on(events::Data, move |chunk: &Bytes| t.set(t.get() + chunk.len()));
/// });
/// assert_eq!(total.get(), 5);
/// std::fs::remove_file(path).unwrap();
/// ```
#[derive(Clone)]
pub struct ReadStream {
    readable: Readable<Bytes>,
    state: Rc<ReadState>,
}

impl fmt::Debug for ReadStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadStream")
            .field("path", &self.state.slot.path)
            .field("bytes_read", &self.state.bytes_read.get())
            .finish_non_exhaustive()
    }
}

impl Deref for ReadStream {
    type Target = Readable<Bytes>;

    fn deref(&self) -> &Readable<Bytes> {
        &self.readable
    }
}

impl ReadStream {
    /// How many bytes were read so far (Node's `bytesRead`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let rs = streams_fs::create_read_stream("/etc/hostname", Default::default()).unwrap();
    /// assert_eq!(rs.bytes_read(), 0);
    /// ```
    pub fn bytes_read(&self) -> u64 {
        self.state.bytes_read.get()
    }

    /// The path given, if the stream opened one (Node's `path`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let rs = streams_fs::create_read_stream("/etc/hostname", Default::default()).unwrap();
    /// assert_eq!(rs.path().unwrap().to_str(), Some("/etc/hostname"));
    /// ```
    pub fn path(&self) -> Option<&Path> {
        self.state.slot.path.as_deref()
    }

    /// Whether the file is not open yet (Node's `pending`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let rs = streams_fs::create_read_stream("/etc/hostname", Default::default()).unwrap();
    /// assert!(rs.pending());
    /// ```
    pub fn pending(&self) -> bool {
        !self.state.slot.is_open()
    }

    /// The stream as its `Readable<Bytes>` (which it dereferences to).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let rs = streams_fs::create_read_stream("/etc/hostname", Default::default()).unwrap();
    /// let readable: streams_core::Readable = rs.into_readable();
    /// # drop(readable);
    /// ```
    pub fn into_readable(self) -> Readable<Bytes> {
        self.readable
    }
}

impl Stream for ReadStream {
    fn stream_id(&self) -> StreamId {
        self.readable.stream_id()
    }

    fn any_stream(&self) -> AnyStreamRef {
        self.readable.any_stream()
    }
}

impl ReadableStream for ReadStream {
    type Out = Bytes;

    fn read_end(&self) -> ReadEndRef<Bytes> {
        self.readable.read_end()
    }
}

/// Reads up to `n` bytes at `pos` (or at the file's position).
fn read_chunk(file: &File, n: usize, pos: Option<u64>) -> io::Result<Bytes> {
    let mut buf = BytesMut::zeroed(n);
    let got = loop {
        let res = match pos {
            #[cfg(unix)]
            Some(pos) => std::os::unix::fs::FileExt::read_at(file, &mut buf, pos),
            #[cfg(not(unix))]
            Some(_) => (&*file).read(&mut buf),
            None => (&*file).read(&mut buf),
        };
        match res {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => break other?,
        }
    };
    buf.truncate(got);
    Ok(buf.freeze())
}

/// Opens `path` for reading as a stream: Node's `fs.createReadStream(path,
/// options)`. The file is opened on the next tick; `'open'` (with the
/// descriptor) and `'ready'` follow, then data as it is consumed.
///
/// # Errors
///
/// `start` after `end` fails at once with `ERR_OUT_OF_RANGE` (Node
/// throws). Everything else comes as an `'error'` event, then `'close'`,
/// as in Node: unknown flags (`ERR_INVALID_ARG_VALUE`, found when the file
/// is opened; ignored with `fd`), a missing file (`ENOENT`), permissions
/// (`EACCES`), a directory (`EISDIR`, from the first read, after
/// `'open'`). The descriptor is always closed.
///
/// # Examples
///
/// ```
/// use streams_core::{events, StreamError};
/// use streams_fs::create_read_stream;
///
/// streams_core::run(async {
///     let rs = create_read_stream("/no/such/file", Default::default()).unwrap();
///     rs.on(events::Error, |e: &StreamError| assert_eq!(e.code(), Some("ENOENT")));
/// });
/// ```
pub fn create_read_stream(
    path: impl AsRef<Path>,
    options: ReadStreamOptions,
) -> Result<ReadStream, StreamError> {
    if let (Some(start), Some(end)) = (options.start, options.end) {
        if start > end {
            return Err(StreamError::out_of_range(format!(
                "The value of \"start\" is out of range. It must be <= \"end\" (here: {end}). \
                 Received {start}"
            )));
        }
    }
    // Node checks the flags when it opens the file (not at all with `fd`):
    // bad flags are an 'error' event, then 'close'.
    let open = open_options(&options.flags, options.mode);
    let given = options.fd.is_some();
    let path: Option<PathBuf> = (!given).then(|| path.as_ref().to_path_buf());
    let state = Rc::new(ReadState {
        slot: FileSlot::new(path, options.fd),
        pos: Cell::new(options.start),
        end: options.end.unwrap_or(u64::MAX),
        bytes_read: Cell::new(0),
    });

    let mut builder = Readable::<Bytes>::builder()
        .high_water_mark(options.high_water_mark)
        .auto_destroy(options.auto_close)
        .emit_close(options.emit_close);
    if let Some(encoding) = options.encoding {
        builder = builder.encoding(encoding);
    }
    let construct_state = state.clone();
    let read_state = state.clone();
    let destroy_state = state.clone();
    let readable = builder
        .construct(move |r, cb| {
            let r = r.clone();
            let open = match open {
                Ok(open) => open,
                // Flags do not matter for a file given with `fd`.
                Err(_) if construct_state.slot.is_open() => return cb.call(Ok(())),
                Err(err) => return cb.call(Err(err)),
            };
            construct_state.slot.open(open, cb, move |fd| {
                r.emit(events::Open, &fd);
                r.emit(events::Ready, &());
            });
        })
        .read(move |r, n| {
            let state = read_state.clone();
            let done = state.bytes_read.get();
            // Bytes left up to `end` (inclusive); none once past it.
            let at = state.pos.get().unwrap_or(done);
            let left = if at > state.end { 0 } else { (state.end - at).saturating_add(1) };
            let n = (n as u64).min(left) as usize;
            if n == 0 {
                r.push(None);
                return;
            }
            if let Some(sink) = fast_path::destination(r) {
                copy_in_kernel(r, &state, sink, n, left);
            } else {
                read_into_memory(r, &state, n);
            }
        })
        .destroy(move |_, err, cb| destroy_state.slot.close(false, err, cb))
        .build();
    Ok(ReadStream { readable, state })
}

/// How much one fast-path hop copies: no memory is used, so more than a
/// high-water mark per thread hop.
const FAST_HOP: u64 = 8 * 1024 * 1024;

/// The fast path (see `fast_path`): once the destination is idle (its
/// last write done), copies up to `left` bytes from this stream's file into
/// the destination's in the kernel, then pushes an empty chunk (which
/// completes the read without data) or the end. Falls back to an ordinary
/// read of `n` bytes if the destination stops being a candidate.
fn copy_in_kernel(
    r: &Readable<Bytes>,
    state: &Rc<ReadState>,
    sink: Rc<FastSink>,
    n: usize,
    left: u64,
) {
    let (r, state) = (r.clone(), state.clone());
    streams_core::spawn(async move {
        while !sink.idle() {
            if r.destroyed() {
                return;
            }
            if !sink.writable.writable() {
                read_into_memory(&r, &state, n);
                return;
            }
            streams_core::immediate().await;
        }
        kernel_copy(r, state, sink, left).await;
    });
}

async fn kernel_copy(r: Readable<Bytes>, state: Rc<ReadState>, sink: Rc<FastSink>, left: u64) {
    let Some(src) = state.slot.begin_io() else {
        r.push(None);
        return;
    };
    let Some(dst) = sink.state.slot.begin_io() else {
        state.slot.end_io();
        r.error_or_destroy(StreamError::destroyed("write"));
        return;
    };
    let hop = left.min(FAST_HOP);
    let (src_pos, dst_pos) = (state.pos.get(), sink.state.pos.get());
    {
        let res =
            tokio::task::spawn_blocking(move || fast_path::copy(&src, src_pos, &dst, dst_pos, hop))
                .await;
        state.slot.end_io();
        sink.state.slot.end_io();
        if r.destroyed() {
            return;
        }
        match res {
            Err(e) => r.error_or_destroy(join_error(e)),
            Ok(Err(e)) => r.error_or_destroy(StreamError::from_syscall(e, "copy_file_range", None)),
            Ok(Ok(0)) => {
                r.push(None);
            }
            Ok(Ok(n)) => {
                if let Some(pos) = state.pos.get() {
                    state.pos.set(Some(pos + n));
                }
                state.bytes_read.set(state.bytes_read.get() + n);
                if let Some(pos) = sink.state.pos.get() {
                    sink.state.pos.set(Some(pos + n));
                }
                sink.state.bytes_written.set(sink.state.bytes_written.get() + n);
                r.push(Bytes::new());
            }
        }
    }
}

/// The ordinary read: up to `n` bytes into a new buffer, then pushed.
fn read_into_memory(r: &Readable<Bytes>, state: &Rc<ReadState>, n: usize) {
    let Some(file) = state.slot.begin_io() else {
        r.push(None);
        return;
    };
    let (r, state) = (r.clone(), state.clone());
    let pos = state.pos.get();
    streams_core::spawn(async move {
        let res: Result<io::Result<Bytes>, _> =
            tokio::task::spawn_blocking(move || read_chunk(&file, n, pos)).await;
        // The read is over: a close that waited for it may run.
        state.slot.end_io();
        if r.destroyed() {
            return;
        }
        match res {
            Err(e) => r.error_or_destroy(join_error(e)),
            // Node names no path for a failed read.
            Ok(Err(e)) => r.error_or_destroy(StreamError::from_syscall(e, "read", None)),
            Ok(Ok(chunk)) if chunk.is_empty() => {
                r.push(None);
            }
            Ok(Ok(chunk)) => {
                let len = chunk.len() as u64;
                if let Some(pos) = state.pos.get() {
                    state.pos.set(Some(pos + len));
                }
                state.bytes_read.set(state.bytes_read.get() + len);
                r.push(chunk);
            }
        }
    });
}
