//! `stdin()`, `stdout()`, `stderr()`: Node's `process.stdin`,
//! `process.stdout`, `process.stderr`.

use tokio::io::{Stderr, Stdin, Stdout};

use crate::{ReaderReadable, WriterWritable};

/// The process's standard input as a `Readable<Bytes>` (Node's
/// `process.stdin`).
///
/// # Examples
///
/// ```no_run
/// use streams_io::{stdin, stdout};
///
/// streams_core::run(async {
///     stdin().pipe(&*stdout()); // cat
/// });
/// ```
pub fn stdin() -> ReaderReadable<Stdin> {
    ReaderReadable::new(tokio::io::stdin())
}

/// The process's standard output as a `Writable<Bytes>` (Node's
/// `process.stdout`). `end()` flushes it but never closes it, and
/// `pipe()` never ends it (it unpipes when the source ends), as in Node.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// streams_core::run(async {
///     streams_io::stdout().write(Bytes::from("hello\n"));
/// });
/// ```
pub fn stdout() -> WriterWritable<Stdout> {
    WriterWritable::stdio(tokio::io::stdout())
}

/// The process's standard error as a `Writable<Bytes>` (Node's
/// `process.stderr`); like [`stdout`], never closed by `end()`.
///
/// # Examples
///
/// ```
/// use bytes::Bytes;
/// streams_core::run(async {
///     streams_io::stderr().write(Bytes::from("a warning\n"));
/// });
/// ```
pub fn stderr() -> WriterWritable<Stderr> {
    WriterWritable::stdio(tokio::io::stderr())
}
