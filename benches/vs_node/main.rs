//! `cargo bench --bench vs_node`: the same workloads run by `streams`, by
//! hand-written tokio, and by Node.js v24, side by side (issue 9).
//!
//! ```sh
//! cargo bench --bench vs_node                      # every workload, full size
//! BENCH_SCALE=0.1 cargo bench --bench vs_node      # every size scaled down
//! cargo bench --bench vs_node -- W2 N1             # only these workloads
//! NODE=/path/to/node cargo bench --bench vs_node   # which node (else PATH)
//! ```
//!
//! Every measurement is one child process, so that its peak RSS (VmHWM)
//! is its own: this binary re-executes itself with `--child ID IMPL ...`
//! for the Rust sides, and runs `node benches/node/<script>` for Node.
//! A child times its own work and prints one JSON line,
//! `{"units": N, "secs": S, "rss_kb": K, "cpu_wait": F}`, where `cpu_wait`
//! is the share of its main thread's life spent waiting for a CPU: on a
//! shared machine, the rows with a high one are the noisy ones. The implementations of a
//! workload run interleaved (streams, tokio, node, streams, ...) for one
//! warm-up round and then `--rounds` (default 5) measured rounds.
//!
//! The harness prints, per workload and implementation, the median, min
//! and max rate and the peak RSS; then one summary line per workload
//! (`W2 objects: streams/node 23.1x streams/tokio 0.41x`); then the
//! targets of issue 9, held or not. `target/vs_node.json` has the same.
//!
//! TCP (W4, W4p) measures an echo server child with one client in this
//! process. The streams server waits for streams-net: until it lands W4
//! and W4p print `skipped` unless named on the command line, which runs
//! the tokio and Node servers alone.

mod report;
mod streams_side;
mod tokio_side;
mod workloads;

use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::Instant;

use report::{Row, Sample};
use workloads::{Impl, Kind, Workload, WORKLOADS};

/// What one workload run returns: (units of work done, seconds).
pub(crate) type Outcome = Result<(u64, f64), String>;

/// Measured rounds after the warm-up, unless `--rounds N` says otherwise.
const DEFAULT_ROUNDS: usize = 5;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; criterion-style filters follow.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if args.first().map(String::as_str) == Some("--child") {
        return match child(&args[1..]) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("vs_node child {:?}: {e}", &args[1..]);
                ExitCode::FAILURE
            }
        };
    }
    match harness(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vs_node: {e}");
            ExitCode::FAILURE
        }
    }
}

// ---------------------------------------------------------------------------
// The child side: run one workload once and report.

/// The peak resident set size of this process, in KiB (VmHWM).
pub(crate) fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The share of its life this process's main thread spent runnable but
/// waiting for a CPU (from /proc/thread-self/schedstat): how much other
/// load on the machine got in the way of this measurement.
pub(crate) fn cpu_wait_share() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let mut it = stat.split_whitespace().map(|v| v.parse::<f64>().ok());
    let (ran, waited) = (it.next()??, it.next()??);
    (ran + waited > 0.0).then(|| waited / (ran + waited))
}

fn print_result(units: u64, secs: f64) {
    let rss = peak_rss_kb().map_or("null".to_string(), |k| k.to_string());
    let wait = cpu_wait_share().map_or("null".to_string(), |w| format!("{w:.4}"));
    println!(
        "{{\"units\": {units}, \"secs\": {secs:.9}, \"rss_kb\": {rss}, \"cpu_wait\": {wait}}}"
    );
    let _ = std::io::stdout().flush();
}

/// For the TCP servers: announce the port.
pub(crate) fn print_port(port: u16) {
    println!("{{\"port\": {port}}}");
    let _ = std::io::stdout().flush();
}

/// For the TCP servers: when the harness closes our stdin, report the
/// peak RSS and exit.
pub(crate) fn exit_when_stdin_closes() {
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        print_result(0, 0.0);
        std::process::exit(0);
    });
}

fn child(args: &[String]) -> Result<(), String> {
    let [id, imp, rest @ ..] = args else {
        return Err("usage: --child ID IMPL ARGS...".into());
    };
    let imp = Impl::parse(imp).ok_or_else(|| format!("unknown implementation {imp}"))?;
    let size = || -> Result<u64, String> {
        let s = rest.first().ok_or("missing size")?;
        s.parse().map_err(|_| format!("bad size {s}"))
    };
    let paths = || -> Result<(PathBuf, PathBuf), String> {
        match rest {
            [src, dst, ..] => Ok((PathBuf::from(src), PathBuf::from(dst))),
            _ => Err("missing SRC DST".into()),
        }
    };
    use Impl::{Streams, Tokio};
    let outcome = match (id.as_str(), imp) {
        ("W1", Streams) => paths().and_then(|(s, d)| streams_side::w1_copy(&s, &d, false)),
        ("W1", Tokio) => paths().and_then(|(s, d)| tokio_side::w1_copy(&s, &d)),
        ("W1o", Streams) => paths().and_then(|(s, d)| streams_side::w1_copy(&s, &d, true)),
        ("W1o", Tokio) => paths().and_then(|(s, d)| tokio_side::w1o_copy(&s, &d)),
        ("W2", Streams) => streams_side::w2_objects(size()?),
        ("W2", Tokio) => tokio_side::w2_objects(size()?),
        ("W3", Streams) => streams_side::w3_bytes(size()?),
        ("W3", Tokio) => tokio_side::w3_bytes(size()?),
        ("W4" | "W4p", Streams) => return streams_side::w4_echo_server(),
        ("W4" | "W4p", Tokio) => return tokio_side::w4_echo_server(),
        ("W5", Streams) => streams_side::w5_small_writes(size()?),
        ("W5", Tokio) => tokio_side::w5_small_writes(size()?),
        ("N1", Streams) => streams_side::n1_pipe(size()?),
        ("N1", Tokio) => tokio_side::n1_pipe(size()?),
        ("N2", Streams) => streams_side::n2_pipe_object_mode(size()?),
        ("N2", Tokio) => tokio_side::n2_pipe_object_mode(size()?),
        ("N3s", Streams) => streams_side::n3_manywrites(size()?, true),
        ("N3s", Tokio) => tokio_side::n3_manywrites(size()?, true),
        ("N3a", Streams) => streams_side::n3_manywrites(size()?, false),
        ("N3a", Tokio) => tokio_side::n3_manywrites(size()?, false),
        _ => return Err(format!("no {} side for {id}", imp.name())),
    };
    let (units, secs) = outcome?;
    print_result(units, secs);
    Ok(())
}

// ---------------------------------------------------------------------------
// The harness side.

/// What every run needs to know.
struct Ctx {
    node: Option<PathBuf>,
    node_version: Option<String>,
    dir: PathBuf,
    exe: PathBuf,
    scripts: PathBuf,
}

fn harness(args: &[String]) -> Result<(), String> {
    let mut rounds = DEFAULT_ROUNDS;
    let mut filters = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rounds" => {
                let n = it.next().ok_or("--rounds needs a number")?;
                rounds = n.parse().ok().filter(|&r| r > 0).ok_or("--rounds: a number > 0")?;
            }
            "-h" | "--help" => {
                println!("usage: cargo bench --bench vs_node [-- [--rounds N] [WORKLOAD...]]");
                println!("workloads: {}", ids().join(" "));
                println!("env: BENCH_SCALE (default 1) scales every size; NODE = the node binary");
                return Ok(());
            }
            a if a.starts_with('-') => {} // other harness flags cargo may pass
            a => filters.push(a.to_string()),
        }
    }
    let scale = match std::env::var("BENCH_SCALE") {
        Ok(s) => s.parse::<f64>().ok().filter(|&s| s > 0.0).ok_or("BENCH_SCALE: a number > 0")?,
        Err(_) => 1.0,
    };
    let selected: Vec<&Workload> = WORKLOADS
        .iter()
        .filter(|w| filters.is_empty() || filters.iter().any(|f| selects(f, w.id)))
        .collect();
    if selected.is_empty() {
        return Err(format!("no workload matches {filters:?}; there are {}", ids().join(" ")));
    }
    let explicit = |w: &Workload| filters.iter().any(|f| selects(f, w.id));

    let (node, node_version) = find_node();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or(root.join("target"), PathBuf::from);
    let ctx = Ctx {
        node,
        node_version,
        dir: target.join("vs_node-data"),
        exe: std::env::current_exe().map_err(|e| e.to_string())?,
        scripts: root.join("benches/node"),
    };
    std::fs::create_dir_all(&ctx.dir).map_err(|e| format!("{}: {e}", ctx.dir.display()))?;

    let machine = report::Machine::probe();
    println!(
        "vs_node: BENCH_SCALE={scale} rounds={rounds} after 1 warm-up; {}; node {}",
        machine.describe(),
        match (&ctx.node, &ctx.node_version) {
            (Some(p), Some(v)) => format!("{v} ({})", p.display()),
            _ => "not found: the Node side is skipped (set NODE or put node on PATH)".into(),
        }
    );

    let mut rows: Vec<Row> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let src = ctx.dir.join("w1-src.bin");
    for w in selected {
        let net_missing = w.kind == Kind::Tcp && !streams_side::NET_BUILT;
        if net_missing && !explicit(w) {
            let line = format!("{}: skipped (streams-net not built yet)", w.id);
            println!("{line}");
            skipped.push(line);
            continue;
        }
        let impls: Vec<Impl> = w
            .impls
            .iter()
            .copied()
            .filter(|&i| match i {
                Impl::Node => ctx.node.is_some(),
                Impl::Streams => !net_missing,
                _ => true,
            })
            .collect();
        if net_missing {
            println!("{}: streams side skipped (streams-net not built yet)", w.id);
        }
        let size = w.size(scale);
        if w.kind == Kind::File {
            prepare_source(&src, size)?;
        }
        let mut samples: Vec<Vec<Sample>> = vec![Vec::new(); impls.len()];
        let mut errors: Vec<Option<String>> = vec![None; impls.len()];
        for round in 0..=rounds {
            for (k, &imp) in impls.iter().enumerate() {
                if errors[k].is_some() {
                    continue;
                }
                progress(format_args!(
                    "\r{} {} round {}/{}   ",
                    w.id,
                    imp.name(),
                    if round == 0 { "warm-up".to_string() } else { round.to_string() },
                    rounds
                ));
                match run_once(&ctx, w, imp, size, &src) {
                    Ok(s) if round > 0 => samples[k].push(s),
                    Ok(_) => {}
                    Err(e) => {
                        eprintln!("\r{} {}: failed: {e}", w.id, imp.name());
                        errors[k] = Some(e);
                    }
                }
            }
        }
        progress(format_args!("\r{:60}\r", ""));
        if w.kind == Kind::File {
            let _ = std::fs::remove_file(ctx.dir.join("w1-dst.bin"));
        }
        for (k, &imp) in impls.iter().enumerate() {
            let row = Row::new(w, imp, size, &samples[k], errors[k].clone());
            println!("{}", row.line());
            rows.push(row);
        }
    }
    let _ = std::fs::remove_file(&src);
    let _ = std::fs::remove_dir(&ctx.dir);

    println!();
    let summary = report::summaries(&rows);
    for line in &summary {
        println!("{line}");
    }
    println!();
    let targets = report::targets(&rows);
    for t in &targets {
        println!("{}", t.line());
    }
    let json = report::json(
        &machine,
        scale,
        rounds,
        ctx.node_version.as_deref(),
        &rows,
        &summary,
        &targets,
        &skipped,
    );
    let out = target.join("vs_node.json");
    std::fs::write(&out, json).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("\nwrote {}", out.display());
    Ok(())
}

/// A progress note on stderr, when it is a terminal.
fn progress(note: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr();
    if err.is_terminal() {
        let _ = err.write_fmt(note);
        let _ = err.flush();
    }
}

fn ids() -> Vec<&'static str> {
    WORKLOADS.iter().map(|w| w.id).collect()
}

/// `W1` selects W1 and W1o, `N3` both N3s and N3a; case does not matter.
fn selects(filter: &str, id: &str) -> bool {
    let (f, id) = (filter.to_ascii_lowercase(), id.to_ascii_lowercase());
    id == f || (id.starts_with(&f) && id.len() == f.len() + 1)
}

/// `NODE`, or `node` on the PATH; with its `--version`.
fn find_node() -> (Option<PathBuf>, Option<String>) {
    let candidate = match std::env::var_os("NODE") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path).map(|d| d.join("node")).find(|p| p.is_file())
        }),
    };
    let Some(node) = candidate else { return (None, None) };
    match Command::new(&node).arg("--version").output() {
        Ok(out) if out.status.success() => {
            let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (Some(node), Some(v))
        }
        _ => {
            eprintln!("vs_node: {} does not run; the Node side is skipped", node.display());
            (None, None)
        }
    }
}

/// Makes the W1 source file (`size` bytes of a repeatable pseudo-random
/// pattern, which no filesystem can compress or skip) unless it exists,
/// then reads it once so the copies start with a warm page cache.
fn prepare_source(src: &Path, size: u64) -> Result<(), String> {
    let err = |e: std::io::Error| format!("{}: {e}", src.display());
    if std::fs::metadata(src).map(|m| m.len()).ok() != Some(size) {
        progress(format_args!("\rgenerating {} ({size} bytes)...", src.display()));
        let mut file = std::io::BufWriter::new(std::fs::File::create(src).map_err(err)?);
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut block = vec![0u8; 1 << 20];
        let mut left = size;
        while left > 0 {
            for word in block.chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                word.copy_from_slice(&state.to_le_bytes()[..word.len()]);
            }
            let n = left.min(block.len() as u64) as usize;
            file.write_all(&block[..n]).map_err(err)?;
            left -= n as u64;
        }
        file.flush().map_err(err)?;
    }
    let mut f = std::fs::File::open(src).map_err(err)?;
    std::io::copy(&mut f, &mut std::io::sink()).map_err(err)?;
    Ok(())
}

fn run_once(ctx: &Ctx, w: &Workload, imp: Impl, size: u64, src: &Path) -> Result<Sample, String> {
    let dst = ctx.dir.join("w1-dst.bin");
    let mut args: Vec<String> = match w.kind {
        Kind::File => {
            // Each copy starts from no destination, outside the timing.
            let _ = std::fs::remove_file(&dst);
            vec![src.display().to_string(), dst.display().to_string()]
        }
        Kind::Local => vec![size.to_string()],
        Kind::Tcp => vec![],
    };
    let mut cmd = match imp {
        Impl::Cp => {
            let start = Instant::now();
            let status = Command::new("cp").args(&args).status().map_err(|e| e.to_string())?;
            let secs = start.elapsed().as_secs_f64();
            if !status.success() {
                return Err(format!("cp: {status}"));
            }
            return Ok(Sample { units: size, secs, rss_kb: None, cpu_wait: None });
        }
        Impl::Node => {
            let node = ctx.node.as_ref().ok_or("no node")?;
            let mut c = Command::new(node);
            c.arg(ctx.scripts.join(w.node.0));
            args.extend(w.node.1.iter().map(|s| s.to_string()));
            c
        }
        Impl::Streams | Impl::Tokio => {
            let mut c = Command::new(&ctx.exe);
            c.args(["--child", w.id, imp.name()]);
            c
        }
    };
    cmd.args(&args).stdout(Stdio::piped()).stderr(Stdio::inherit());
    let expected = if w.id == "W3" {
        size / workloads::W3_CHUNK as u64 * workloads::W3_CHUNK as u64
    } else {
        size
    };
    let sample = if w.kind == Kind::Tcp {
        run_server(cmd, w, size)?
    } else {
        let out = cmd.stdin(Stdio::null()).output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("exited with {}", out.status));
        }
        parse_sample(&String::from_utf8_lossy(&out.stdout))?
    };
    if sample.units != expected {
        return Err(format!("did {} {} of {expected}", sample.units, w.unit));
    }
    Ok(sample)
}

/// Starts a TCP echo server child, measures it with the client, then
/// closes its stdin and collects its peak RSS.
fn run_server(mut cmd: Command, w: &Workload, size: u64) -> Result<Sample, String> {
    let mut server: Child = cmd.stdin(Stdio::piped()).spawn().map_err(|e| e.to_string())?;
    let mut stdout = BufReader::new(server.stdout.take().ok_or("no stdout")?);
    let mut first = String::new();
    stdout.read_line(&mut first).map_err(|e| e.to_string())?;
    let port = report::json_number(&first, "port").map(|p| p as u16);
    let measured = match port {
        Some(port) if w.id == "W4" => tokio_side::w4_client(port, size),
        Some(port) => tokio_side::w4p_client(port, size),
        None => Err(format!("the server printed {first:?}, not its port")),
    };
    drop(server.stdin.take());
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    let status = server.wait().map_err(|e| e.to_string())?;
    let (units, secs) = measured?;
    if !status.success() {
        return Err(format!("the server exited with {status}"));
    }
    let server = parse_sample(&rest)?;
    Ok(Sample { units, secs, rss_kb: server.rss_kb, cpu_wait: server.cpu_wait })
}

fn parse_sample(stdout: &str) -> Result<Sample, String> {
    let line = stdout
        .lines()
        .rev()
        .find(|l| l.trim_start().starts_with('{'))
        .ok_or_else(|| format!("no result line in {stdout:?}"))?;
    let units = report::json_number(line, "units").ok_or("no units")?;
    let secs = report::json_number(line, "secs").ok_or("no secs")?;
    let rss_kb = report::json_number(line, "rss_kb").map(|k| k as u64);
    let cpu_wait = report::json_number(line, "cpu_wait");
    Ok(Sample { units: units as u64, secs, rss_kb, cpu_wait })
}
