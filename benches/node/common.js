'use strict';
// Shared by the vs_node scripts: argument parsing and the result line the
// harness (benches/vs_node) reads from stdout:
//   {"units": <work done>, "secs": <elapsed>, "rss_kb": <peak RSS>,
//    "cpu_wait": <share of the main thread's life spent waiting for a CPU>}

const fs = require('fs');

// Peak resident set size of this process in KiB (VmHWM), as the Rust
// children report it.
function peakRssKb() {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'latin1'));
  return m ? Number(m[1]) : process.resourceUsage().maxRSS;
}

// The share of the main thread's life spent waiting for a CPU.
function cpuWait() {
  try {
    const [ran, waited] = fs.readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ').map(Number);
    return ran + waited > 0 ? Number((waited / (ran + waited)).toFixed(4)) : null;
  } catch {
    return null;
  }
}

function count(i) {
  const n = Number(process.argv[2 + i]);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`argument ${i + 1}: expected a count, got ${process.argv[2 + i]}`);
  }
  return n;
}

function now() {
  return process.hrtime.bigint();
}

function report(units, start) {
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const line = { units, secs, rss_kb: peakRssKb(), cpu_wait: cpuWait() };
  process.stdout.write(JSON.stringify(line) + '\n');
}

function fail(msg) {
  process.stderr.write(`${msg}\n`);
  process.exit(1);
}

module.exports = { count, now, report, fail, peakRssKb, cpuWait };
