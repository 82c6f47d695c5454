//! File stream failures, as Node v24 reports them: a missing file, a
//! directory, permissions, `wx` on an existing file, `start > end`, unknown
//! flags. Each gives its error with Node's code and message, then
//! `'close'`, never a panic; and the descriptor is always closed, which
//! each case checks by counting `/proc/self/fd` before and after its loop
//! (also for `destroy()` in the middle of a read or a write, `auto_close`
//! off, and the `fd` option).
//!
//! The expected traces are what Node v24.21.0 prints for the same
//! programs (`fs.createReadStream` / `fs.createWriteStream` with listeners
//! on `open`, `ready`, `error`, `end`, `finish`, `close`).
#![warn(rust_2018_idioms)]
#![cfg(all(feature = "fs", target_os = "linux"))]

mod support;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use bytes::Bytes;
use streams::events;
use streams::fs::{
    create_read_stream, create_write_stream, ReadStream, ReadStreamOptions, WriteStream,
    WriteStreamOptions,
};
use streams::StreamError;

use support::{open_fds, panics, pattern, serial, within, TempDir};

type Log = Rc<RefCell<Vec<String>>>;

fn push(log: &Log, entry: impl Into<String>) {
    log.borrow_mut().push(entry.into());
}

fn error_entry(e: &StreamError) -> String {
    format!("error {} {}", e.code().unwrap_or("-"), e)
}

/// Logs a ReadStream's lifecycle events (not `'data'`).
fn watch_read(rs: &ReadStream, log: &Log) {
    let l = log.clone();
    rs.on(events::Open, move |_| push(&l, "open"));
    let l = log.clone();
    rs.on(events::Ready, move |_| push(&l, "ready"));
    let l = log.clone();
    rs.on(events::Error, move |e: &StreamError| push(&l, error_entry(e)));
    let l = log.clone();
    rs.on(events::End, move |_| push(&l, "end"));
    let l = log.clone();
    rs.on(events::Close, move |_| push(&l, "close"));
}

/// Logs a WriteStream's lifecycle events.
fn watch_write(ws: &WriteStream, log: &Log) {
    let l = log.clone();
    ws.on(events::Open, move |_| push(&l, "open"));
    let l = log.clone();
    ws.on(events::Ready, move |_| push(&l, "ready"));
    let l = log.clone();
    ws.on(events::Error, move |e: &StreamError| push(&l, error_entry(e)));
    let l = log.clone();
    ws.on(events::Finish, move |_| push(&l, "finish"));
    let l = log.clone();
    ws.on(events::Close, move |_| push(&l, "close"));
}

/// Runs one case on a fresh event loop (its streams are made by `body`)
/// and returns the log. The test holds [`serial`] (its own set-up opens
/// files too). Checks that nothing panicked and that the process
/// has as many descriptors open once the loop has returned as before.
fn case(body: impl FnOnce(Log) + Send + 'static) -> Vec<String> {
    within(30, move || {
        // Whatever a first runtime sets up once per process is not ours.
        streams::run(async {});
        let (fds, panicked) = (open_fds(), panics());
        let list = support::fd_list();
        let log: Log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        streams::run(async move { body(l) });
        assert_eq!(panics(), panicked, "a panic happened");
        assert_eq!(
            open_fds(),
            fds,
            "a descriptor was left open: {list:?} {:?}",
            support::fd_list()
        );
        let entries = log.borrow().clone();
        entries
    })
}

/// The path a descriptor of this process refers to, if it is open.
fn fd_target(fd: i32) -> Option<PathBuf> {
    std::fs::read_link(format!("/proc/self/fd/{fd}")).ok()
}

fn enoent_open(path: &Path) -> String {
    format!("error ENOENT ENOENT: no such file or directory, open '{}'", path.display())
}

#[test]
fn read_missing_file_is_enoent_then_close() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("missing");
    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new()).unwrap();
        watch_read(&rs, &log);
        rs.resume();
    });
    assert_eq!(log, [enoent_open(&path), "close".into()]);
}

#[test]
fn read_error_has_node_fields() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("missing");
    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new()).unwrap();
        let l = log.clone();
        rs.on(events::Error, move |e: &StreamError| {
            let kind = e.io_error().map(|io| io.kind());
            push(&l, format!("{:?} {} {:?} {}", e.code(), e.is_io(), kind, e.message()));
        });
    });
    assert_eq!(
        log,
        [format!(
            "Some(\"ENOENT\") true Some(NotFound) ENOENT: no such file or directory, open '{}'",
            path.display()
        )]
    );
}

#[test]
fn read_directory_opens_then_fails_to_read_with_eisdir() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let d = dir.path().to_path_buf();
    let log = case(move |log| {
        let rs = create_read_stream(&d, ReadStreamOptions::new()).unwrap();
        watch_read(&rs, &log);
        rs.resume();
    });
    // Node: open succeeds (O_RDONLY on a directory), the read fails, with
    // no path in the message.
    assert_eq!(
        log,
        ["open", "ready", "error EISDIR EISDIR: illegal operation on a directory, read", "close"]
    );
}

#[test]
fn write_directory_is_eisdir_at_open() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let d = dir.path().to_path_buf();
    let log = case(move |log| {
        let ws = create_write_stream(&d, WriteStreamOptions::new()).unwrap();
        watch_write(&ws, &log);
        ws.end(Bytes::from("x"));
    });
    assert_eq!(
        log,
        [
            format!(
                "error EISDIR EISDIR: illegal operation on a directory, open '{}'",
                dir.path().display()
            ),
            "close".into()
        ]
    );
}

#[test]
fn write_into_missing_directory_is_enoent() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("no").join("file");
    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new()).unwrap();
        watch_write(&ws, &log);
        ws.write(Bytes::from("x"));
        ws.end(None);
    });
    assert_eq!(log, [enoent_open(&path), "close".into()]);
}

#[test]
fn writes_before_a_failed_open_are_called_back_with_the_error() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("no").join("file");
    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new()).unwrap();
        watch_write(&ws, &log);
        let l = log.clone();
        ws.write_with(Bytes::from("x"), move |res| {
            push(
                &l,
                format!(
                    "write cb {}",
                    res.err().and_then(|e| e.code().map(String::from)).unwrap_or_default()
                ),
            )
        });
    });
    // Node v24: the buffered write is errored with the open's error,
    // before 'error' and 'close'.
    assert_eq!(log, ["write cb ENOENT".to_string(), enoent_open(&path), "close".into()]);
}

/// Whether this process can open a file whose mode is 0o000 (it runs as
/// root, or with CAP_DAC_OVERRIDE): then there is no EACCES to see.
fn privileged(path: &Path) -> bool {
    std::fs::File::open(path).is_ok()
}

#[test]
fn permissions_give_eacces_unless_privileged() {
    let _serial = serial();
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("fs-errors");
    let path = dir.join("noperm");
    std::fs::write(&path, "x").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = privileged(&path);

    let p = path.clone();
    let read_log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new()).unwrap();
        watch_read(&rs, &log);
        rs.resume();
    });
    let p = path.clone();
    let write_log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new().flags("a")).unwrap();
        watch_write(&ws, &log);
        ws.end(None);
    });
    if privileged {
        eprintln!(
            "skipping the EACCES assertions: this process opens a file of mode 0o000 \
             (it runs as root); checking Node's events for root instead"
        );
        // What Node v24 gives as root: the files open as any other.
        assert_eq!(read_log, ["open", "ready", "end", "close"]);
        assert_eq!(write_log, ["open", "ready", "finish", "close"]);
        return;
    }
    let eacces = format!("error EACCES EACCES: permission denied, open '{}'", path.display());
    assert_eq!(read_log, [eacces.clone(), "close".into()]);
    assert_eq!(write_log, [eacces, "close".into()]);
}

#[test]
fn wx_on_an_existing_file_is_eexist_and_leaves_it_alone() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("exists");
    std::fs::write(&path, "keep me").unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new().flags("wx")).unwrap();
        watch_write(&ws, &log);
        ws.end(Bytes::from("overwritten"));
    });
    assert_eq!(
        log,
        [
            format!("error EEXIST EEXIST: file already exists, open '{}'", path.display()),
            "close".into()
        ]
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn start_after_end_fails_at_creation() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, "0123456789").unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let err = create_read_stream(&p, ReadStreamOptions::new().start(5).end(2)).unwrap_err();
        push(&log, error_entry(&err));
    });
    // Node throws: no stream, so no 'close'.
    assert_eq!(
        log,
        ["error ERR_OUT_OF_RANGE The value of \"start\" is out of range. \
             It must be <= \"end\" (here: 2). Received 5"]
    );
}

#[test]
fn unknown_flags_are_an_error_event_then_close() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, "0123456789").unwrap();
    let expected =
        ["error ERR_INVALID_ARG_VALUE The argument 'flags' is invalid. Received 'q'", "close"];

    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new().flags("q")).unwrap();
        watch_read(&rs, &log);
        rs.resume();
    });
    assert_eq!(log, expected);

    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new().flags("q")).unwrap();
        watch_write(&ws, &log);
        ws.end(Bytes::from("x"));
    });
    assert_eq!(log, expected);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "0123456789");
}

#[test]
fn flags_are_ignored_with_fd_as_in_node() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, "0123456789").unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let file = std::fs::File::open(&p).unwrap();
        let rs = create_read_stream("", ReadStreamOptions::new().fd(file).flags("q")).unwrap();
        watch_read(&rs, &log);
        let l = log.clone();
        rs.on(events::Data, move |c: &Bytes| push(&l, format!("data {}", c.len())));
    });
    // With `fd`, Node emits neither 'open' nor 'ready'.
    assert_eq!(log, ["data 10", "end", "close"]);
}

#[test]
fn destroy_while_a_read_is_in_flight_closes_after_it() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("big");
    std::fs::write(&path, pattern(4 << 20)).unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new().high_water_mark(4 << 20)).unwrap();
        watch_read(&rs, &log);
        let l = log.clone();
        rs.on(events::Data, move |_: &Bytes| push(&l, "data"));
        let r = rs.clone();
        rs.on(events::Ready, move |_| {
            // Starts a 4 MiB read on the blocking pool, then destroys the
            // stream under it: the close waits for the read (Node's
            // kIsPerformingIO / kIoDone).
            r.read(0);
            r.destroy(None);
        });
        let (l, r) = (log.clone(), rs.clone());
        rs.on(events::Close, move |_| push(&l, format!("bytes_read {}", r.bytes_read())));
    });
    assert_eq!(log, ["open", "ready", "close", "bytes_read 0"]);
}

#[test]
fn destroy_from_a_data_listener_stops_and_closes() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("big");
    std::fs::write(&path, pattern(1 << 20)).unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new()).unwrap();
        watch_read(&rs, &log);
        let (l, r) = (log.clone(), rs.clone());
        rs.on(events::Data, move |c: &Bytes| {
            push(&l, format!("data {}", c.len()));
            r.destroy(None);
        });
    });
    assert_eq!(log, ["open", "ready", "data 65536", "close"]);
}

#[test]
fn destroy_while_a_write_is_in_flight_closes_after_it() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("out");
    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new()).unwrap();
        watch_write(&ws, &log);
        let (l, w) = (log.clone(), ws.clone());
        ws.on(events::Ready, move |_| {
            let l = l.clone();
            w.write_with(Bytes::from(pattern(4 << 20)), move |res| {
                let code = res.err().and_then(|e| e.code().map(String::from));
                push(&l, format!("write cb {}", code.unwrap_or_default()));
            });
            w.destroy(None);
        });
    });
    // Node v24: the write's callback gets ERR_STREAM_DESTROYED, then 'close'.
    assert_eq!(log, ["open", "ready", "write cb ERR_STREAM_DESTROYED", "close"]);
}

#[test]
fn auto_close_false_keeps_the_file_open_until_destroy() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, pattern(200_000)).unwrap();
    let canonical = path.canonicalize().unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let rs = create_read_stream(&p, ReadStreamOptions::new().auto_close(false)).unwrap();
        watch_read(&rs, &log);
        let fd = Rc::new(std::cell::Cell::new(-1));
        let f = fd.clone();
        rs.on(events::Open, move |n: &i32| f.set(*n));
        let (l, r) = (log.clone(), rs.clone());
        rs.on(events::End, move |_| {
            // Node: still open after 'end' (no close, fd still set).
            let open = fd_target(fd.get()) == Some(canonical.clone());
            push(&l, format!("after end: open {open} destroyed {}", r.destroyed()));
            let r = r.clone();
            streams::set_immediate(move || {
                r.destroy(None);
            });
        });
        rs.resume();
    });
    assert_eq!(log, ["open", "ready", "end", "after end: open true destroyed false", "close"]);
}

#[test]
fn auto_close_false_write_stream_closes_on_destroy() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("out");
    let canonical_dir = dir.path().canonicalize().unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let ws = create_write_stream(&p, WriteStreamOptions::new().auto_close(false)).unwrap();
        watch_write(&ws, &log);
        let fd = Rc::new(std::cell::Cell::new(-1));
        let f = fd.clone();
        ws.on(events::Open, move |n: &i32| f.set(*n));
        let (l, w) = (log.clone(), ws.clone());
        ws.on(events::Finish, move |_| {
            let open = fd_target(fd.get()) == Some(canonical_dir.join("out"));
            push(&l, format!("after finish: open {open} destroyed {}", w.destroyed()));
            let w = w.clone();
            streams::set_immediate(move || {
                w.destroy(None);
            });
        });
        ws.end(Bytes::from("abc"));
    });
    assert_eq!(
        log,
        ["open", "ready", "finish", "after finish: open true destroyed false", "close"]
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "abc");
}

#[test]
fn the_fd_option_is_closed_with_the_stream() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, pattern(100_000)).unwrap();
    let p = path.clone();
    // `case` counts descriptors before the file is opened here.
    let log = case(move |log| {
        let file = std::fs::File::open(&p).unwrap();
        let rs = create_read_stream("", ReadStreamOptions::new().fd(file)).unwrap();
        assert!(!rs.pending());
        assert_eq!(rs.path(), None);
        watch_read(&rs, &log);
        rs.resume();
    });
    assert_eq!(log, ["end", "close"]);

    let out = dir.join("out");
    let o = out.clone();
    let log = case(move |log| {
        let file = std::fs::File::create(&o).unwrap();
        let ws = create_write_stream("", WriteStreamOptions::new().fd(file)).unwrap();
        watch_write(&ws, &log);
        ws.end(Bytes::from("via fd"));
    });
    assert_eq!(log, ["finish", "close"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "via fd");
}

#[test]
fn the_fd_option_with_auto_close_false_is_closed_when_the_stream_drops() {
    let _serial = serial();
    // Node leaves a numeric fd open for its owner; here the stream owns
    // the `File`, so it is closed when the last handle goes.
    let dir = TempDir::new("fs-errors");
    let path = dir.join("file");
    std::fs::write(&path, "abc").unwrap();
    let p = path.clone();
    let log = case(move |log| {
        let file = std::fs::File::open(&p).unwrap();
        let before = open_fds();
        let rs =
            create_read_stream("", ReadStreamOptions::new().fd(file).auto_close(false)).unwrap();
        watch_read(&rs, &log);
        // (A listener holding `rs` would make a cycle that only 'close'
        // breaks, and with auto_close off there is no 'close'.)
        let l = log.clone();
        rs.on(events::End, move |_| {
            push(&l, format!("after end: still open {}", open_fds() == before))
        });
        rs.resume();
    });
    // No 'close': the stream is never destroyed; `case` checks that the
    // descriptor is closed all the same once the loop has dropped it.
    assert_eq!(log, ["end", "after end: still open true"]);
}

#[test]
fn many_failures_leak_nothing() {
    let _serial = serial();
    let dir = TempDir::new("fs-errors");
    let base = dir.path().to_path_buf();
    let log = case(move |log| {
        for i in 0..50 {
            let rs =
                create_read_stream(base.join(format!("missing-{i}")), ReadStreamOptions::new())
                    .unwrap();
            let l = log.clone();
            rs.on(events::Close, move |_| push(&l, "close"));
            let ws = create_write_stream(&base, WriteStreamOptions::new()).unwrap();
            let l = log.clone();
            ws.on(events::Close, move |_| push(&l, "close"));
            let _ = (rs.on(events::Error, |_| {}), ws.on(events::Error, |_| {}));
        }
    });
    assert_eq!(log.len(), 100);
}
