//! What every conformance test uses: a trace of printed lines and the
//! comparison with the `.expected` file Node recorded.

use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;

/// The lines a scenario prints, in order. Cheap to clone into listeners.
#[derive(Clone, Default)]
pub(crate) struct Trace(Rc<RefCell<Vec<String>>>);

impl Trace {
    pub(crate) fn new() -> Trace {
        Trace::default()
    }

    /// Prints one line, as the scenario's `log(...)` does.
    pub(crate) fn log(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    /// A closure that logs `line` when called (for ticks and immediates).
    pub(crate) fn later(&self, line: impl Into<String>) -> impl FnOnce() + 'static {
        let trace = self.clone();
        let line = line.into();
        move || trace.log(line)
    }

    pub(crate) fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// `log!(trace, "a {}", x)` prints one formatted line.
macro_rules! log {
    ($trace:expr, $($arg:tt)*) => { $trace.log(format!($($arg)*)) };
}
pub(crate) use log;

fn node_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/node")
}

/// The lines Node v24 printed for `scenario`.
pub(crate) fn expected(scenario: &str) -> Vec<String> {
    let path = node_dir().join(format!("{scenario}.expected"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines().map(str::to_owned).collect()
}

/// Asserts that `trace` printed exactly what Node printed for `scenario`,
/// line for line, showing both in full when they differ.
pub(crate) fn assert_trace(scenario: &str, trace: &Trace) {
    let want = expected(scenario);
    let got = trace.lines();
    if want != got {
        let width = want.iter().map(String::len).max().unwrap_or(0).max(8);
        let mut report = format!("{:<width$} | ours\n", "node");
        for i in 0..want.len().max(got.len()) {
            let w = want.get(i).map_or("", String::as_str);
            let g = got.get(i).map_or("", String::as_str);
            let mark = if w == g { ' ' } else { '!' };
            report.push_str(&format!("{w:<width$} {mark} {g}\n"));
        }
        panic!("scenario {scenario} differs from Node v24:\n{report}");
    }
}

/// A byte chunk from a string, like `Buffer.from(s)`.
pub(crate) fn b(s: &str) -> bytes::Bytes {
    bytes::Bytes::copy_from_slice(s.as_bytes())
}

/// A chunk or `null`, as the scenarios print `read()` results.
pub(crate) fn show(chunk: Option<bytes::Bytes>) -> String {
    chunk.map_or_else(|| "null".to_string(), |c| String::from_utf8_lossy(&c).into_owned())
}

/// `readableFlowing` as JavaScript prints it.
pub(crate) fn js_flowing(flowing: Option<bool>) -> &'static str {
    match flowing {
        None => "null",
        Some(true) => "true",
        Some(false) => "false",
    }
}
