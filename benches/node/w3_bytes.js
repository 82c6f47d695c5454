'use strict';
// W3 bytes: TOTAL bytes in 16 KiB chunks through three Transforms (the
// middle one upper-cases ASCII, with latin1 toUpperCase) into a
// discarding Writable.
// Usage: node w3_bytes.js TOTAL
const { Readable, Transform, Writable, pipeline } = require('stream');
const { count, now, report, fail } = require('./common');

const CHUNK = 16 * 1024;
const total = count(0);
const chunks = Math.floor(total / CHUNK);
const chunk = Buffer.alloc(CHUNK, 'abcdefghijklmnopqrstuvwxyz0123456789 ');

const start = now();
let i = 0;
const source = new Readable({
  read() {
    for (;;) {
      if (i === chunks) {
        this.push(null);
        return;
      }
      i++;
      if (!this.push(chunk)) return;
    }
  },
});
const pass = () => new Transform({
  transform(c, _enc, cb) {
    cb(null, c);
  },
});
const upper = new Transform({
  transform(c, _enc, cb) {
    cb(null, Buffer.from(c.toString('latin1').toUpperCase(), 'latin1'));
  },
});
let bytes = 0;
let last = 0;
const sink = new Writable({
  write(c, _enc, cb) {
    bytes += c.length;
    last = c[0];
    cb();
  },
});
pipeline(source, pass(), upper, pass(), sink, (err) => {
  if (err) fail(err.message);
  if (bytes !== chunks * CHUNK || (chunks > 0 && last !== 0x41)) fail(`bad output: ${bytes} bytes`);
  report(bytes, start);
});
