//! Statistics, the printed table, the summary lines, the targets of issue
//! 9, and `target/vs_node.json`.

use std::fmt::Write as _;

use crate::workloads::{Impl, Workload};

/// One measured run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sample {
    pub(crate) units: u64,
    pub(crate) secs: f64,
    /// Peak RSS (VmHWM) in KiB; `None` for `cp`.
    pub(crate) rss_kb: Option<u64>,
    /// The share of the child's main thread's life spent waiting for a
    /// CPU; `None` for `cp`.
    pub(crate) cpu_wait: Option<f64>,
}

/// The machine, as far as /proc tells.
#[derive(Debug)]
pub(crate) struct Machine {
    pub(crate) cpus: usize,
    pub(crate) model: String,
    pub(crate) kernel: String,
    pub(crate) mem_gib: f64,
    pub(crate) loadavg: String,
}

impl Machine {
    pub(crate) fn probe() -> Machine {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let cpuinfo = read("/proc/cpuinfo");
        let model = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split(':').nth(1))
            .map_or("unknown".to_string(), |m| m.trim().to_string());
        let mem_kb: f64 = read("/proc/meminfo")
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0.0);
        Machine {
            cpus: std::thread::available_parallelism().map_or(0, |n| n.get()),
            model,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
            mem_gib: mem_kb / (1024.0 * 1024.0),
            loadavg: read("/proc/loadavg").split_whitespace().take(3).collect::<Vec<_>>().join(" "),
        }
    }

    pub(crate) fn describe(&self) -> String {
        format!(
            "{} x {}, {:.0} GiB, Linux {}, load average {}",
            self.cpus, self.model, self.mem_gib, self.kernel, self.loadavg
        )
    }
}

/// One workload and implementation: its rates and peak RSS.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) imp: Impl,
    pub(crate) size: u64,
    pub(crate) rate_unit: String,
    /// Rates in `rate_unit`, in the order measured.
    pub(crate) rates: Vec<f64>,
    pub(crate) median: Option<f64>,
    pub(crate) min: Option<f64>,
    pub(crate) max: Option<f64>,
    /// The largest peak RSS of the rounds, in KiB.
    pub(crate) rss_kb: Option<u64>,
    /// The median share of time the child waited for a CPU.
    pub(crate) cpu_wait: Option<f64>,
    pub(crate) error: Option<String>,
}

impl Row {
    pub(crate) fn new(
        w: &Workload,
        imp: Impl,
        size: u64,
        samples: &[Sample],
        error: Option<String>,
    ) -> Row {
        let rates: Vec<f64> =
            samples.iter().map(|s| s.units as f64 / s.secs.max(1e-9) / w.rate_divisor()).collect();
        let mut sorted = rates.clone();
        sorted.sort_by(f64::total_cmp);
        let mid = median(&sorted);
        let mut waits: Vec<f64> = samples.iter().filter_map(|s| s.cpu_wait).collect();
        waits.sort_by(f64::total_cmp);
        Row {
            id: w.id,
            name: w.name,
            imp,
            size,
            rate_unit: w.rate_unit(),
            median: mid,
            min: sorted.first().copied(),
            max: sorted.last().copied(),
            rates,
            rss_kb: samples.iter().filter_map(|s| s.rss_kb).max(),
            cpu_wait: median(&waits),
            error,
        }
    }

    /// The printed line: median, min, max, peak RSS.
    pub(crate) fn line(&self) -> String {
        let head = format!("{:<4} {:<26} {:<8}", self.id, self.name, self.imp.name());
        if let Some(e) = &self.error {
            return format!("{head} FAILED: {e}");
        }
        let (Some(med), Some(min), Some(max)) = (self.median, self.min, self.max) else {
            return format!("{head} no samples");
        };
        let rss = self.rss_kb.map_or("-".to_string(), |k| format!("{:.1} MB", k as f64 / 1024.0));
        let wait = self.cpu_wait.map_or("-".to_string(), |w| format!("{:.0}%", w * 100.0));
        format!(
            "{head} median {:>9} {}  min {:>9}  max {:>9}  peak RSS {rss}  cpu wait {wait}",
            fmt_rate(med),
            self.rate_unit,
            fmt_rate(min),
            fmt_rate(max),
        )
    }
}

/// The median of sorted values.
fn median(sorted: &[f64]) -> Option<f64> {
    let m = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[m]),
        _ => Some((sorted[m - 1] + sorted[m]) / 2.0),
    }
}

fn fmt_rate(r: f64) -> String {
    if r >= 1e6 {
        format!("{:.2}M", r / 1e6)
    } else if r >= 1e4 {
        format!("{:.1}k", r / 1e3)
    } else if r >= 100.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.2}")
    }
}

fn fmt_ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.1}x")
    } else {
        format!("{r:.2}x")
    }
}

fn find<'a>(rows: &'a [Row], id: &str, imp: Impl) -> Option<&'a Row> {
    rows.iter().find(|r| r.id == id && r.imp == imp)
}

/// streams' median over `other`'s, when both ran.
fn ratio(rows: &[Row], id: &str, other: Impl) -> Option<f64> {
    let s = find(rows, id, Impl::Streams)?.median?;
    let o = find(rows, id, other)?.median?;
    (o > 0.0).then(|| s / o)
}

/// streams' peak RSS over Node's.
fn rss_ratio(rows: &[Row], id: &str) -> Option<f64> {
    let s = find(rows, id, Impl::Streams)?.rss_kb?;
    let n = find(rows, id, Impl::Node)?.rss_kb?;
    (n > 0).then(|| s as f64 / n as f64)
}

/// One line per workload: `W2 objects: streams/node 23.1x streams/tokio 0.41x`.
pub(crate) fn summaries(rows: &[Row]) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for r in rows {
        if seen.contains(&r.id) {
            continue;
        }
        seen.push(r.id);
        let mut line = format!("{} {}:", r.id, r.name);
        let mut others = vec![Impl::Node, Impl::Tokio];
        if find(rows, r.id, Impl::Cp).is_some() {
            others.push(Impl::Cp);
        }
        for other in others {
            let v = ratio(rows, r.id, other).map_or("n/a".to_string(), fmt_ratio);
            let _ = write!(line, " streams/{} {v}", other.name());
        }
        out.push(line);
    }
    out
}

/// One target of issue 9.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub(crate) what: String,
    /// A lower bound (`>=`) or, for memory, an upper bound (`<=`).
    pub(crate) at_least: bool,
    pub(crate) bound: f64,
    pub(crate) actual: Option<f64>,
}

impl Target {
    pub(crate) fn held(&self) -> Option<bool> {
        self.actual.map(|a| if self.at_least { a >= self.bound } else { a <= self.bound })
    }

    pub(crate) fn line(&self) -> String {
        let op = if self.at_least { ">=" } else { "<=" };
        let verdict = match self.held() {
            Some(true) => "held",
            Some(false) => "NOT HELD",
            None => "not measured",
        };
        let actual = self.actual.map_or("n/a".to_string(), fmt_ratio);
        format!("target {} {op} {}: {actual} {verdict}", self.what, fmt_ratio(self.bound))
    }
}

/// The targets of issue 9 for the workloads that ran.
pub(crate) fn targets(rows: &[Row]) -> Vec<Target> {
    const VS_NODE: &[(&str, f64)] = &[
        ("W1", 5.0),
        ("W1o", 1.3),
        ("W2", 5.0),
        ("W3", 4.0),
        ("W4", 1.5),
        ("W4p", 1.0),
        ("W5", 3.0),
        ("N1", 5.0),
        ("N2", 5.0),
        ("N3s", 5.0),
        ("N3a", 5.0),
    ];
    const VS_OTHER: &[(&str, Impl, f64)] =
        &[("W1o", Impl::Tokio, 0.9), ("W4", Impl::Tokio, 0.9), ("W1", Impl::Cp, 0.5)];
    let ran = |id: &str| rows.iter().any(|r| r.id == id);
    let mut out = Vec::new();
    for &(id, bound) in VS_NODE.iter().filter(|(id, _)| ran(id)) {
        let what = format!("{id} streams/node");
        out.push(Target { what, at_least: true, bound, actual: ratio(rows, id, Impl::Node) });
    }
    for &(id, other, bound) in VS_OTHER.iter().filter(|(id, ..)| ran(id)) {
        let what = format!("{id} streams/{}", other.name());
        out.push(Target { what, at_least: true, bound, actual: ratio(rows, id, other) });
    }
    for &(id, _) in VS_NODE.iter().filter(|(id, _)| ran(id)) {
        let what = format!("{id} peak RSS streams/node");
        out.push(Target { what, at_least: false, bound: 0.1, actual: rss_ratio(rows, id) });
    }
    out
}

/// The number after `"key":` in a one-line JSON object.
pub(crate) fn json_number(line: &str, key: &str) -> Option<f64> {
    let at = line.find(&format!("\"{key}\""))? + key.len() + 2;
    let rest = line[at..].trim_start().strip_prefix(':')?.trim_start();
    let end =
        rest.find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c))).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn jn(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite()).map_or("null".to_string(), |v| format!("{v}"))
}

/// `target/vs_node.json`: the same as printed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn json(
    machine: &Machine,
    scale: f64,
    rounds: usize,
    node: Option<&str>,
    rows: &[Row],
    summary: &[String],
    targets: &[Target],
    skipped: &[String],
) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{{");
    let _ = writeln!(
        o,
        "  \"machine\": {{\"cpus\": {}, \"model\": {}, \"kernel\": {}, \"mem_gib\": {:.1}, \"loadavg\": {}}},",
        machine.cpus,
        js(&machine.model),
        js(&machine.kernel),
        machine.mem_gib,
        js(&machine.loadavg)
    );
    let _ = writeln!(o, "  \"scale\": {scale},");
    let _ = writeln!(o, "  \"rounds\": {rounds},");
    let _ = writeln!(o, "  \"node\": {},", node.map_or("null".to_string(), js));
    let _ = writeln!(o, "  \"results\": [");
    for (i, r) in rows.iter().enumerate() {
        let rates: Vec<String> = r.rates.iter().map(|v| format!("{v}")).collect();
        let _ = writeln!(
            o,
            "    {{\"workload\": {}, \"name\": {}, \"impl\": {}, \"size\": {}, \"unit\": {}, \"median\": {}, \"min\": {}, \"max\": {}, \"rates\": [{}], \"peak_rss_kb\": {}, \"cpu_wait\": {}, \"error\": {}}}{}",
            js(r.id),
            js(r.name),
            js(r.imp.name()),
            r.size,
            js(&r.rate_unit),
            jn(r.median),
            jn(r.min),
            jn(r.max),
            rates.join(", "),
            r.rss_kb.map_or("null".to_string(), |k| k.to_string()),
            jn(r.cpu_wait),
            r.error.as_deref().map_or("null".to_string(), js),
            if i + 1 < rows.len() { "," } else { "" }
        );
    }
    let _ = writeln!(o, "  ],");
    let lines: Vec<String> = summary.iter().map(|s| js(s)).collect();
    let _ = writeln!(o, "  \"summary\": [{}],", lines.join(", "));
    let _ = writeln!(o, "  \"targets\": [");
    for (i, t) in targets.iter().enumerate() {
        let _ = writeln!(
            o,
            "    {{\"target\": {}, \"op\": {}, \"bound\": {}, \"actual\": {}, \"held\": {}}}{}",
            js(&t.what),
            js(if t.at_least { ">=" } else { "<=" }),
            t.bound,
            jn(t.actual),
            t.held().map_or("null".to_string(), |h| h.to_string()),
            if i + 1 < targets.len() { "," } else { "" }
        );
    }
    let _ = writeln!(o, "  ],");
    let lines: Vec<String> = skipped.iter().map(|s| js(s)).collect();
    let _ = writeln!(o, "  \"skipped\": [{}]", lines.join(", "));
    let _ = writeln!(o, "}}");
    o
}
