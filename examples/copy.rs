//! Copies a file through Node-style streams:
//! `fs.createReadStream(src).pipe(fs.createWriteStream(dst))`, with
//! `pipeline` for error handling, progress on stderr, and a summary line.
//!
//! ```sh
//! cargo run --release --example copy -- SRC DST
//! cargo run --release --example copy          # generates a 64 MiB file, copies and verifies it
//! ```
//!
//! Memory stays bounded by the streams' high-water marks (64 KiB each),
//! whatever the size of the file.

use std::cell::Cell;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use streams::fs::{create_read_stream, create_write_stream};
use streams::StreamError;

/// The size of the file generated when no arguments are given.
const GENERATED_SIZE: u64 = 64 * 1024 * 1024;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (src, dst, generated) = match args.as_slice() {
        [src, dst] => (PathBuf::from(src), PathBuf::from(dst), false),
        [] => {
            let dir = std::env::temp_dir();
            let src = dir.join(format!("streams-copy-src-{}.bin", std::process::id()));
            let dst = dir.join(format!("streams-copy-dst-{}.bin", std::process::id()));
            if let Err(e) = generate(&src, GENERATED_SIZE) {
                eprintln!("copy: cannot generate {}: {e}", src.display());
                return ExitCode::FAILURE;
            }
            eprintln!("copy: generated {} ({} MiB)", src.display(), GENERATED_SIZE >> 20);
            (src, dst, true)
        }
        _ => {
            eprintln!("usage: copy [SRC DST]");
            return ExitCode::from(2);
        }
    };

    let total = std::fs::metadata(&src).map(|m| m.len()).ok();
    let started = Instant::now();
    let result = streams::run(copy(src.clone(), dst.clone(), total));
    let elapsed = started.elapsed();
    let code = match result {
        Ok(bytes) => {
            let secs = elapsed.as_secs_f64().max(1e-9);
            eprintln!(
                "\rcopy: {} -> {}: {bytes} bytes in {:.3} s ({:.1} MB/s)      ",
                src.display(),
                dst.display(),
                secs,
                bytes as f64 / secs / 1e6
            );
            if generated {
                match same_contents(&src, &dst) {
                    Ok(true) => {
                        eprintln!("copy: verified: the copy is identical");
                        ExitCode::SUCCESS
                    }
                    Ok(false) => {
                        eprintln!("copy: verify FAILED: the copy differs");
                        ExitCode::FAILURE
                    }
                    Err(e) => {
                        eprintln!("copy: cannot verify: {e}");
                        ExitCode::FAILURE
                    }
                }
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("\ncopy: failed: {} ({e})", e.code().unwrap_or("error"));
            ExitCode::FAILURE
        }
    };
    if generated {
        let _ = std::fs::remove_file(&src);
        let _ = std::fs::remove_file(&dst);
    }
    code
}

/// The copy itself, with a progress line updated in place every 100 ms.
async fn copy(src: PathBuf, dst: PathBuf, total: Option<u64>) -> Result<u64, StreamError> {
    let input = create_read_stream(&src, Default::default())?;
    let output = create_write_stream(&dst, Default::default())?;

    let done = Rc::new(Cell::new(false));
    let (d, out) = (done.clone(), output.clone());
    let started = Instant::now();
    streams::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        while !d.get() {
            tick.tick().await;
            let bytes = out.bytes_written();
            let rate = bytes as f64 / started.elapsed().as_secs_f64().max(1e-9) / 1e6;
            match total {
                Some(total) if total > 0 => eprint!(
                    "\rcopy: {bytes} / {total} bytes ({:.0}%) {rate:.1} MB/s   ",
                    bytes as f64 * 100.0 / total as f64
                ),
                _ => eprint!("\rcopy: {bytes} bytes {rate:.1} MB/s   "),
            }
            let _ = std::io::stderr().flush();
        }
    });

    let result = streams::promises::pipeline((input, output.clone())).await;
    done.set(true);
    result.map(|()| output.bytes_written())
}

/// Writes `size` bytes of a repeatable pseudo-random pattern.
fn generate(path: &Path, size: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut block = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        for chunk in block.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n])?;
        left -= n as u64;
    }
    file.flush()
}

fn same_contents(a: &Path, b: &Path) -> std::io::Result<bool> {
    let (mut fa, mut fb) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    if fa.metadata()?.len() != fb.metadata()?.len() {
        return Ok(false);
    }
    let (mut ba, mut bb) = (vec![0u8; 1 << 20], vec![0u8; 1 << 20]);
    loop {
        let n = fa.read(&mut ba)?;
        if n == 0 {
            return Ok(true);
        }
        fb.read_exact(&mut bb[..n])?;
        if ba[..n] != bb[..n] {
            return Ok(false);
        }
    }
}
