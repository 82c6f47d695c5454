'use strict';
// N3: Node's benchmark/streams/writable-manywrites.js with writev=no,
// callback=no, len=1024: N writes of one 1 KiB Buffer into a Writable
// (highWaterMark 16 KiB) whose write calls back synchronously ("sync") or
// on process.nextTick ("async"), resuming on 'drain'.
// Usage: node n3_writable_manywrites.js N sync|async
const { Writable } = require('stream');
const { count, now, report } = require('./common');

const n = count(0);
const sync = process.argv[3] === 'sync';
const b = Buffer.allocUnsafe(1024);
const s = new Writable({ highWaterMark: 16 * 1024 });
s._write = sync ? (chunk, encoding, cb) => cb() : (chunk, encoding, cb) => process.nextTick(cb);

const start = now();
let k = 0;
function run() {
  while (k++ < n && s.write(b));
  if (k >= n) {
    report(n, start);
    s.removeListener('drain', run);
  }
}
s.on('drain', run);
run();
