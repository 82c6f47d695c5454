//! The workloads: what each one does, its size at `BENCH_SCALE=1`, its
//! unit, and who runs it. Issue 9 names them; docs/performance.md has the
//! table of results.

use bytes::{Bytes, BytesMut};

/// One W2 object: a small struct, as a Node object `{ id, value }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) id: u64,
    pub(crate) value: u64,
}

/// The W3 chunk size: 16 KiB.
pub(crate) const W3_CHUNK: usize = 16 * 1024;

/// The W3 chunk: lower-case ASCII text, as `Buffer.alloc(16384, 'abc...')`.
pub(crate) fn w3_chunk() -> Vec<u8> {
    b"abcdefghijklmnopqrstuvwxyz0123456789 ".iter().copied().cycle().take(W3_CHUNK).collect()
}

/// The upper-casing transform of W3: a new chunk, as Node's
/// `Buffer.from(chunk.toString('latin1').toUpperCase(), 'latin1')`.
pub(crate) fn upper_ascii(chunk: &Bytes) -> Bytes {
    let mut out = BytesMut::from(&chunk[..]);
    out.make_ascii_uppercase();
    out.freeze()
}

/// Who runs a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Impl {
    Streams,
    Tokio,
    Node,
    /// `cp SRC DST`: the physical bound of W1.
    Cp,
}

impl Impl {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Impl::Streams => "streams",
            Impl::Tokio => "tokio",
            Impl::Node => "node",
            Impl::Cp => "cp",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Impl> {
        [Impl::Streams, Impl::Tokio, Impl::Node, Impl::Cp].into_iter().find(|i| i.name() == s)
    }
}

/// How a workload is driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// In one child process, which times itself (units = the size).
    Local,
    /// A file copy of `size` bytes from a generated source file.
    File,
    /// A TCP echo server child, measured by the harness's client.
    Tcp,
}

/// One workload.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Workload {
    /// `W1`, ..., `N3a`: what the command line selects.
    pub(crate) id: &'static str,
    /// The name in the summary line (`W2 objects: ...`).
    pub(crate) name: &'static str,
    /// The size at `BENCH_SCALE=1`, in `unit_of`.
    pub(crate) size: u64,
    /// What the size counts: `bytes` (reported in MB/s) or a plural noun.
    pub(crate) unit: &'static str,
    pub(crate) kind: Kind,
    /// The Node script in benches/node/ and its arguments after the size.
    pub(crate) node: (&'static str, &'static [&'static str]),
    pub(crate) impls: &'static [Impl],
}

impl Workload {
    /// The size at `scale`; never 0.
    pub(crate) fn size(&self, scale: f64) -> u64 {
        ((self.size as f64 * scale).round() as u64).max(1)
    }

    /// The rate's unit as printed: `MB/s` or `objects/s`.
    pub(crate) fn rate_unit(&self) -> String {
        if self.unit == "bytes" {
            "MB/s".into()
        } else {
            format!("{}/s", self.unit)
        }
    }

    /// Work units to the printed rate's units (bytes to MB).
    pub(crate) fn rate_divisor(&self) -> f64 {
        if self.unit == "bytes" {
            1e6
        } else {
            1.0
        }
    }
}

const ALL: &[Impl] = &[Impl::Streams, Impl::Tokio, Impl::Node];
const GIB: u64 = 1 << 30;
const MIB: u64 = 1 << 20;

/// Every workload, in the order they run.
pub(crate) const WORKLOADS: &[Workload] = &[
    Workload {
        id: "W1",
        name: "copy",
        size: GIB,
        unit: "bytes",
        kind: Kind::File,
        node: ("w1_copy.js", &[]),
        impls: &[Impl::Streams, Impl::Tokio, Impl::Node, Impl::Cp],
    },
    Workload {
        id: "W1o",
        name: "copy+data",
        size: GIB,
        unit: "bytes",
        kind: Kind::File,
        node: ("w1_copy.js", &["data"]),
        impls: ALL,
    },
    Workload {
        id: "W2",
        name: "objects",
        size: 2_000_000,
        unit: "objects",
        kind: Kind::Local,
        node: ("w2_objects.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "W3",
        name: "bytes",
        size: 256 * MIB,
        unit: "bytes",
        kind: Kind::Local,
        node: ("w3_bytes.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "W4",
        name: "tcp",
        size: 512 * MIB,
        unit: "bytes",
        kind: Kind::Tcp,
        node: ("w4_echo_server.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "W4p",
        name: "tcp ping-pong",
        size: 20_000,
        unit: "round trips",
        kind: Kind::Tcp,
        node: ("w4_echo_server.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "W5",
        name: "small writes",
        size: 1_000_000,
        unit: "writes",
        kind: Kind::Local,
        node: ("w5_small_writes.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "N1",
        name: "pipe",
        size: 5_000_000,
        unit: "ops",
        kind: Kind::Local,
        node: ("n1_pipe.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "N2",
        name: "pipe-object-mode",
        size: 5_000_000,
        unit: "ops",
        kind: Kind::Local,
        node: ("n2_pipe_object_mode.js", &[]),
        impls: ALL,
    },
    Workload {
        id: "N3s",
        name: "writable-manywrites sync",
        size: 100_000,
        unit: "ops",
        kind: Kind::Local,
        node: ("n3_writable_manywrites.js", &["sync"]),
        impls: ALL,
    },
    Workload {
        id: "N3a",
        name: "writable-manywrites async",
        size: 100_000,
        unit: "ops",
        kind: Kind::Local,
        node: ("n3_writable_manywrites.js", &["async"]),
        impls: ALL,
    },
];
