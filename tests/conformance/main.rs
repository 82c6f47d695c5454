//! Node.js v24 conformance: each scenario in `node/` (a script and the
//! output Node v24.21.0 printed for it) reproduced through our API, one
//! `#[test]` per scenario, named after the file with `-` turned into `_`.
//! See `README.md` beside this file.

mod support;

mod async_driven;
mod async_face;
mod compose;
mod duplex;
mod event_loop;
mod finished;
mod fs;
mod net;
mod pipe;
mod pipeline;
mod readable;
mod transform;
mod writable;
