'use strict';
// W5 small writes: N writes of 100 bytes into a Writable with a 16 KiB
// highWaterMark whose writes complete asynchronously (setImmediate, the
// next turn of the loop), honouring write() === false and 'drain'. The
// sink implements writev, Node's fastest idiom for small writes.
// Usage: node w5_small_writes.js N
const { Writable } = require('stream');
const { count, now, report, fail } = require('./common');

const n = count(0);
const chunk = Buffer.alloc(100, 'x');
const start = now();
let written = 0;
const sink = new Writable({
  highWaterMark: 16 * 1024,
  write(_c, _enc, cb) {
    written += 1;
    setImmediate(cb);
  },
  writev(chunks, cb) {
    written += chunks.length;
    setImmediate(cb);
  },
});
let k = 0;
function pump() {
  while (k < n) {
    k++;
    if (!sink.write(chunk)) {
      sink.once('drain', pump);
      return;
    }
  }
  sink.end();
}
sink.on('finish', () => {
  if (written !== n) fail(`wrote ${written} of ${n}`);
  report(n, start);
});
pump();
